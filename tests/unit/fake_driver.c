/* SPDX-License-Identifier: MIT */
/*
 * fake_driver.c - in-process fake of the xen2mx driver (see fake_driver.h).
 *
 * Frames are host-order C structs, not Ethernet frames: what matters to
 * the library is what the receiving driver puts in its event queue, so a
 * frame carries the event it will become plus what the receiving side
 * checks (destination endpoint and session).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "omx_abi.h"
#include "omx_driver.h"
#include "fake_driver.h"

#define FAKE_FD_BASE		1000
#define FAKE_FILES		512
#define FAKE_BOARDS_MAX		8
#define FAKE_BOARD_MAX		32	/* reported "ifaces" */
#define FAKE_LATENCY_US		20
#define FAKE_REORDER_MAX_US	3000
#define FAKE_STUCK_US		(3600ULL * 1000000)	/* one virtual hour */

struct fake_region {
	int used;
	int writable;
	uint32_t nseg;
	struct omx_abi_seg *segs;
	uint64_t len;
};

struct fake_endpoint {
	int open;
	int deaf;
	uint32_t session;
	uint8_t *map;
	struct omx_abi_desc *desc;
	struct fake_region regions[OMX_ABI_REGION_MAX];
	unsigned pulls;
};

struct fake_board {
	uint64_t addr;
	char hostname[OMX_ABI_HOSTNAME_MAX];
	char ifname[OMX_ABI_IFNAMSIZ];
	struct fake_endpoint *eps;
};

struct fake_file {
	int used;
	int board, endpoint;	/* -1: control handle */
};

enum frame_kind {
	FRAME_MSG,	/* sequenced: nacked on bad endpoint/closed/session */
	FRAME_CONNECT,	/* nacked on bad endpoint/closed, no session check */
	FRAME_LIBACK,	/* dropped on any mismatch */
	FRAME_NACK,
	FRAME_PULL,	/* the pull engine's whole transfer, reliable */
};

struct fake_frame {
	struct fake_frame *next;
	uint64_t at;
	enum frame_kind kind;
	unsigned src_board, src_ep;
	unsigned dst_board, dst_ep;
	uint32_t session;
	union omx_evt evt;
	uint32_t len;			/* payload in a receive slot */
	struct omx_cmd_pull pull;
	uint64_t pull_deadline;
	uint8_t payload[OMX_ABI_RECVQ_SLOT_SIZE];
};

static struct {
	struct fake_config cfg;
	struct fake_board boards[FAKE_BOARDS_MAX];
	struct fake_file files[FAKE_FILES];
	struct fake_frame *wire;
	uint64_t now;
	uint64_t rng;
	unsigned loss, dup, reorder;
	unsigned script_pass, script_drop;	/* fake_wire_script() */
	uint8_t drop_type;			/* fake_wire_drop_type() */
	unsigned drop_type_count;
	fake_idle_hook_t hook;
	void *hook_arg;
	struct fake_stats stats;
	int realtime;
	uint64_t real_origin;
} w;

/* The whole fake is one critical section; the condition says "something changed". */
static pthread_mutex_t world_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t world_cond = PTHREAD_COND_INITIALIZER;

static uint64_t real_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* In real-time mode the clock follows CLOCK_MONOTONIC. */
static void clock_sync(void)
{
	if (w.realtime)
		w.now = 1000000 + real_us() - w.real_origin;
}

static uint32_t rnd(void)
{
	/* xorshift64* */
	w.rng ^= w.rng >> 12;
	w.rng ^= w.rng << 25;
	w.rng ^= w.rng >> 27;
	return (uint32_t)((w.rng * 2685821657736338717ULL) >> 32);
}

static int chance(unsigned pct)
{
	return pct && rnd() % 100 < pct;
}

/* ------------------------------------------------------------------------
 * Wire
 */
static void wire_insert(struct fake_frame *f)
{
	struct fake_frame **pp = &w.wire;

	while (*pp && (*pp)->at <= f->at)
		pp = &(*pp)->next;
	f->next = *pp;
	*pp = f;
}

static void wire_send(struct fake_frame *f)
{
	w.stats.frames++;
	if (f->kind != FRAME_PULL && w.script_drop) {
		if (w.script_pass) {
			w.script_pass--;
		} else {
			w.script_drop--;
			w.stats.lost++;
			free(f);
			return;
		}
	}
	if (f->kind != FRAME_PULL && w.drop_type_count &&
	    f->evt.head.type == w.drop_type) {
		w.drop_type_count--;
		w.stats.lost++;
		free(f);
		return;
	}
	if (f->kind != FRAME_PULL && chance(w.loss)) {
		w.stats.lost++;
		free(f);
		return;
	}
	f->at = w.now + FAKE_LATENCY_US;
	if (f->kind != FRAME_PULL && chance(w.reorder)) {
		w.stats.reordered++;
		f->at += rnd() % FAKE_REORDER_MAX_US;
	}
	if (f->kind != FRAME_PULL && chance(w.dup)) {
		struct fake_frame *d = malloc(sizeof(*d));

		if (d) {
			*d = *f;
			d->at += rnd() % FAKE_REORDER_MAX_US;
			w.stats.duplicated++;
			wire_insert(d);
		}
	}
	wire_insert(f);
}

static struct fake_frame *frame_new(enum frame_kind kind, unsigned src_board,
				    unsigned src_ep, unsigned dst_board,
				    unsigned dst_ep)
{
	struct fake_frame *f = calloc(1, sizeof(*f));

	if (!f) {
		fprintf(stderr, "fake driver: out of memory\n");
		abort();
	}
	f->kind = kind;
	f->src_board = src_board;
	f->src_ep = src_ep;
	f->dst_board = dst_board;
	f->dst_ep = dst_ep;
	return f;
}

static struct fake_endpoint *endpoint_of(unsigned board, unsigned ep)
{
	if (board >= w.cfg.nboards || ep >= w.cfg.endpoint_max)
		return NULL;
	return &w.boards[board].eps[ep];
}

/* Queue an event (and its payload in the next receive slot); 0 or -1 if full. */
static int post_event(struct fake_endpoint *ep, union omx_evt *evt,
		      const void *payload, uint32_t len, int needs_slot)
{
	struct omx_abi_desc *d = ep->desc;

	if (d->eventq_prod - d->eventq_cons >= OMX_ABI_EVENTQ_SLOTS) {
		w.stats.dropped_full++;
		return -1;
	}
	if (needs_slot) {
		uint32_t slot;

		if (d->recvq_prod - d->recvq_cons >= OMX_ABI_RECVQ_SLOTS) {
			w.stats.dropped_full++;
			return -1;
		}
		slot = d->recvq_prod % OMX_ABI_RECVQ_SLOTS;
		memcpy(ep->map + OMX_ABI_RECVQ_OFFSET +
		       (size_t)slot * OMX_ABI_RECVQ_SLOT_SIZE, payload, len);
		evt->msg.small.recvq_slot = slot;
		d->recvq_prod++;
	}
	memcpy(ep->map + OMX_ABI_EVENTQ_OFFSET +
	       (size_t)(d->eventq_prod % OMX_ABI_EVENTQ_SLOTS) * OMX_ABI_EVENT_SIZE,
	       evt, sizeof(*evt));
	__atomic_store_n(&d->eventq_prod, d->eventq_prod + 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&world_cond);
	return 0;
}

static void send_nack(const struct fake_frame *f, uint8_t type)
{
	struct fake_frame *n = frame_new(FRAME_NACK, f->dst_board, f->dst_ep,
					 f->src_board, f->src_ep);

	w.stats.nacks++;
	n->evt.nack_lib.head.type = OMX_EVT_RECV_NACK_LIB;
	n->evt.nack_lib.head.src_endpoint = (uint8_t)f->dst_ep;
	n->evt.nack_lib.head.peer_index = (uint16_t)f->dst_board;
	n->evt.nack_lib.nack_type = type;
	if (f->kind == FRAME_MSG)
		n->evt.nack_lib.lib_seqnum =
			f->evt.head.type == OMX_EVT_RECV_NOTIFY ?
			f->evt.notify.seqnum : f->evt.msg.seqnum;
	wire_send(n);
}

/* Copy between two regions' segment lists. */
static void region_copy(const struct fake_region *dst, uint64_t doff,
			const struct fake_region *src, uint64_t soff,
			uint64_t len)
{
	uint32_t di = 0, si = 0;

	while (di < dst->nseg && doff >= dst->segs[di].len)
		doff -= dst->segs[di++].len;
	while (si < src->nseg && soff >= src->segs[si].len)
		soff -= src->segs[si++].len;
	while (len && di < dst->nseg && si < src->nseg) {
		uint64_t n = len;

		if (n > dst->segs[di].len - doff)
			n = dst->segs[di].len - doff;
		if (n > src->segs[si].len - soff)
			n = src->segs[si].len - soff;
		memcpy((uint8_t *)(uintptr_t)dst->segs[di].vaddr + doff,
		       (const uint8_t *)(uintptr_t)src->segs[si].vaddr + soff, n);
		len -= n;
		doff += n;
		soff += n;
		if (doff == dst->segs[di].len) {
			di++;
			doff = 0;
		}
		if (soff == src->segs[si].len) {
			si++;
			soff = 0;
		}
	}
}

static void pull_deliver(struct fake_frame *f)
{
	struct fake_endpoint *puller = endpoint_of(f->src_board, f->src_ep);
	struct fake_endpoint *owner = endpoint_of(f->pull.peer_index,
						  f->pull.dest_endpoint);
	const struct omx_cmd_pull *c = &f->pull;
	struct fake_region *src, *dst;
	union omx_evt evt;
	uint32_t status = OMX_ABI_PULL_SUCCESS, pulled = 0;

	if (!puller || !puller->open) {
		free(f);
		return;
	}
	puller->pulls--;
	if (!owner) {
		status = OMX_ABI_PULL_BAD_ENDPT;
	} else if (!owner->open) {
		status = OMX_ABI_PULL_ENDPT_CLOSED;
	} else if (owner->deaf) {
		if (w.now < f->pull_deadline) {
			/* nobody answers: the driver gives up at the deadline */
			puller->pulls++;
			f->at = f->pull_deadline;
			wire_insert(f);
			return;
		}
		status = OMX_ABI_PULL_TIMEOUT;
	} else if (c->session != owner->session) {
		status = OMX_ABI_PULL_BAD_SESSION;
	} else if (!owner->regions[c->remote_rdma_id].used) {
		status = OMX_ABI_PULL_BAD_RDMAWIN;
	} else {
		src = &owner->regions[c->remote_rdma_id];
		dst = &puller->regions[c->local_region];
		if (!dst->used || !dst->writable) {
			status = OMX_ABI_PULL_ABORTED;
		} else {
			uint64_t n = c->length;

			if (c->remote_rdma_offset > src->len)
				n = 0;
			else if (n > src->len - c->remote_rdma_offset)
				n = src->len - c->remote_rdma_offset;
			if (c->local_offset > dst->len)
				n = 0;
			else if (n > dst->len - c->local_offset)
				n = dst->len - c->local_offset;
			region_copy(dst, c->local_offset, src,
				    c->remote_rdma_offset, n);
			pulled = (uint32_t)n;
		}
	}
	memset(&evt, 0, sizeof(evt));
	evt.pull_done.head.type = OMX_EVT_PULL_DONE;
	evt.pull_done.head.src_endpoint = c->dest_endpoint;
	evt.pull_done.head.peer_index = c->peer_index;
	evt.pull_done.lib_cookie = c->lib_cookie;
	evt.pull_done.status = status;
	evt.pull_done.pulled_length = pulled;
	evt.pull_done.local_region = c->local_region;
	post_event(puller, &evt, NULL, 0, 0);
	free(f);
}

static void deliver(struct fake_frame *f)
{
	struct fake_endpoint *ep;
	int slot;

	if (f->kind == FRAME_PULL) {
		pull_deliver(f);
		return;
	}
	ep = endpoint_of(f->dst_board, f->dst_ep);
	switch (f->kind) {
	case FRAME_MSG:
	case FRAME_CONNECT:
		if (!ep) {
			send_nack(f, 1);
			break;
		}
		if (!ep->open) {
			send_nack(f, 2);
			break;
		}
		if (ep->deaf)
			break;
		if (f->kind == FRAME_MSG && f->session != ep->session) {
			send_nack(f, 3);
			break;
		}
		slot = f->evt.head.type == OMX_EVT_RECV_SMALL ||
		       f->evt.head.type == OMX_EVT_RECV_MEDIUM_FRAG;
		post_event(ep, &f->evt, f->payload, f->len, slot);
		break;
	case FRAME_LIBACK:
		if (ep && ep->open && !ep->deaf && f->session == ep->session)
			post_event(ep, &f->evt, NULL, 0, 0);
		break;
	case FRAME_NACK:
		if (ep && ep->open && !ep->deaf)
			post_event(ep, &f->evt, NULL, 0, 0);
		break;
	case FRAME_PULL:
		break;
	}
	free(f);
}

/* Deliver every frame due by now. */
static void wire_run(void)
{
	while (w.wire && w.wire->at <= w.now) {
		struct fake_frame *f = w.wire;

		w.wire = f->next;
		deliver(f);
	}
}

/* ------------------------------------------------------------------------
 * Commands
 */
static struct fake_file *file_of(int fd)
{
	if (fd < FAKE_FD_BASE || fd >= FAKE_FD_BASE + FAKE_FILES ||
	    !w.files[fd - FAKE_FD_BASE].used)
		return NULL;
	return &w.files[fd - FAKE_FD_BASE];
}

static void fill_info(struct omx_cmd_get_info *gi)
{
	memset(gi, 0, sizeof(*gi));
	gi->abi_version = OMX_ABI_VERSION;
	gi->board_count = w.cfg.nboards;
	gi->board_max = FAKE_BOARD_MAX;
	gi->endpoint_max = w.cfg.endpoint_max;
	gi->peer_max = 1024;
	gi->counter_max = OMX_ABI_COUNTER_MAX;
	gi->wire_mtu = 9000;
	gi->medium_frag_max = 8192;
	gi->medium_frags_max = 32;
	gi->pull_reply_max = 8968;
	gi->pull_block_replies = 32;
	gi->peer_table_configured = 1;
	gi->peer_table_size = w.cfg.nboards;
	gi->peer_table_mapper = w.boards[0].addr;
	gi->shared_comms = 1;
	strcpy(gi->version, "fake");
}

static int peer_fill(struct omx_cmd_peer *p, unsigned board)
{
	p->index = board;
	p->addr = w.boards[board].addr;
	memcpy(p->hostname, w.boards[board].hostname, sizeof(p->hostname));
	return 0;
}

static int control_cmd(unsigned long cmd, void *arg)
{
	unsigned i;

	switch (cmd) {
	case OMX_CMD_GET_INFO:
		fill_info(arg);
		return 0;
	case OMX_CMD_GET_BOARD_INFO: {
		struct omx_cmd_board_info *bi = arg;
		uint32_t b = bi->board_index;

		if (b >= w.cfg.nboards)
			return -ENODEV;
		memset(bi, 0, sizeof(*bi));
		bi->board_index = b;
		bi->numa_node = (uint32_t)-1;
		bi->addr = w.boards[b].addr;
		bi->mtu = 9000;
		bi->peer_index = b;
		strcpy(bi->ifname, w.boards[b].ifname);
		strcpy(bi->hostname, w.boards[b].hostname);
		strcpy(bi->driver, "fake");
		return 0;
	}
	case OMX_CMD_GET_COUNTERS: {
		struct omx_cmd_counters *c = arg;

		if (c->board_index >= w.cfg.nboards &&
		    c->board_index != OMX_ABI_SHARED_BOARD)
			return -ENODEV;
		memset(c->values, 0, sizeof(c->values));
		c->values[0] = 7;	/* something to read back */
		return 0;
	}
	case OMX_CMD_PEER_FROM_INDEX: {
		struct omx_cmd_peer *p = arg;

		if (p->index >= w.cfg.nboards)
			return -ENOENT;
		return peer_fill(p, p->index);
	}
	case OMX_CMD_PEER_FROM_ADDR: {
		struct omx_cmd_peer *p = arg;

		for (i = 0; i < w.cfg.nboards; i++)
			if (w.boards[i].addr == p->addr)
				return peer_fill(p, i);
		return -ENOENT;
	}
	case OMX_CMD_PEER_FROM_HOSTNAME: {
		struct omx_cmd_peer *p = arg;

		for (i = 0; i < w.cfg.nboards; i++)
			if (!strncmp(w.boards[i].hostname, p->hostname,
				     sizeof(p->hostname)))
				return peer_fill(p, i);
		return -ENOENT;
	}
	default:
		return -ENOTTY;
	}
}

static int open_endpoint(struct fake_file *file,
			 struct omx_cmd_open_endpoint *cmd)
{
	struct fake_endpoint *ep;

	if (file->board >= 0)
		return -EBUSY;
	if (cmd->board_index >= w.cfg.nboards)
		return -ENODEV;
	if (cmd->endpoint_index >= w.cfg.endpoint_max)
		return -EINVAL;
	ep = &w.boards[cmd->board_index].eps[cmd->endpoint_index];
	if (ep->open)
		return -EBUSY;
	memset(ep, 0, sizeof(*ep));
	ep->map = aligned_alloc(OMX_ABI_PAGE, OMX_ABI_MMAP_SIZE);
	if (!ep->map)
		return -ENOMEM;
	memset(ep->map, 0, OMX_ABI_MMAP_SIZE);
	ep->desc = (struct omx_abi_desc *)(ep->map + OMX_ABI_DESC_OFFSET);
	ep->session = rnd();
	ep->desc->abi_version = OMX_ABI_VERSION;
	ep->desc->session_id = ep->session;
	ep->desc->board_index = cmd->board_index;
	ep->desc->endpoint_index = cmd->endpoint_index;
	ep->desc->board_addr = w.boards[cmd->board_index].addr;
	ep->desc->peer_index = cmd->board_index;
	ep->open = 1;
	file->board = (int)cmd->board_index;
	file->endpoint = (int)cmd->endpoint_index;
	cmd->session_id = ep->session;
	return 0;
}

static void msg_frame_head(struct fake_frame *f, uint8_t type,
			   const struct omx_cmd_send_head *h)
{
	f->session = h->session;
	f->evt.msg.head.type = type;
	f->evt.msg.head.src_endpoint = (uint8_t)f->src_ep;
	f->evt.msg.head.peer_index = (uint16_t)f->src_board;
	f->evt.msg.match_info = h->match_info;
	f->evt.msg.seqnum = h->seqnum;
	f->evt.msg.piggyack = h->piggyack;
}

static int wait_event(struct fake_file *file, struct fake_endpoint *ep,
		      struct omx_cmd_wait_event *cmd)
{
	uint64_t start = w.now;
	uint64_t limit = cmd->timeout_ms == OMX_ABI_WAIT_INFINITE ? UINT64_MAX :
			 start + (uint64_t)cmd->timeout_ms * 1000;

	for (;;) {
		uint64_t next;

		wire_run();
		if (ep->desc->wakeups != cmd->wakeups) {
			cmd->status = OMX_ABI_WAIT_WAKEUP;
			return 0;
		}
		if (ep->desc->eventq_prod != ep->desc->eventq_cons) {
			cmd->status = OMX_ABI_WAIT_EVENT;
			return 0;
		}
		if (w.now >= limit) {
			cmd->status = OMX_ABI_WAIT_TIMEOUT;
			return 0;
		}
		if (w.realtime) {
			/* sleep until the next frame is due or something happens */
			struct timespec ts;
			uint64_t until = limit, ns;

			if (w.wire && w.wire->at < until)
				until = w.wire->at;
			if (until - w.now > 100000)
				until = w.now + 100000;
			clock_gettime(CLOCK_REALTIME, &ts);
			ns = (uint64_t)ts.tv_nsec + (until - w.now) * 1000;
			ts.tv_sec += (time_t)(ns / 1000000000);
			ts.tv_nsec = (long)(ns % 1000000000);
			pthread_cond_timedwait(&world_cond, &world_lock, &ts);
			clock_sync();
			continue;
		}
		if (w.hook) {
			/* the hook re-enters the library, hence the driver */
			pthread_mutex_unlock(&world_lock);
			w.hook(w.hook_arg, (unsigned)file->board,
			       (unsigned)file->endpoint);
			pthread_mutex_lock(&world_lock);
			wire_run();
			if (ep->desc->eventq_prod != ep->desc->eventq_cons) {
				cmd->status = OMX_ABI_WAIT_EVENT;
				return 0;
			}
		}
		if (w.now - start > FAKE_STUCK_US) {
			fprintf(stderr, "fake driver: endpoint %d/%d waited one "
				"virtual hour for nothing: deadlock?\n",
				file->board, file->endpoint);
			abort();
		}
		next = w.now + 1000;
		if (w.wire && w.wire->at < next)
			next = w.wire->at;
		if (limit < next)
			next = limit;
		w.now = next > w.now ? next : w.now + 1;
	}
}

static int endpoint_cmd(struct fake_file *file, unsigned long cmd, void *arg)
{
	struct fake_endpoint *ep = endpoint_of((unsigned)file->board,
					       (unsigned)file->endpoint);
	unsigned sb = (unsigned)file->board, se = (unsigned)file->endpoint;
	struct fake_frame *f;

	switch (cmd) {
	case OMX_CMD_SEND_TINY:
	case OMX_CMD_SEND_SMALL: {
		const struct omx_cmd_send_tiny *c = arg;
		int tiny = cmd == OMX_CMD_SEND_TINY;

		if (c->length > (tiny ? 32U : 128U) ||
		    c->head.peer_index >= w.cfg.nboards)
			return -EINVAL;
		f = frame_new(FRAME_MSG, sb, se, c->head.peer_index,
			      c->head.dest_endpoint);
		msg_frame_head(f, tiny ? OMX_EVT_RECV_TINY : OMX_EVT_RECV_SMALL,
			       &c->head);
		f->evt.msg.msg_length = c->length;
		if (tiny) {
			memcpy(f->evt.msg.tiny.data, c->data, c->length);
		} else {
			memcpy(f->payload, c->data, c->length);
			f->len = c->length;
		}
		wire_send(f);
		return 0;
	}
	case OMX_CMD_SEND_MEDIUM_FRAG: {
		const struct omx_cmd_send_medium_frag *c = arg;

		if (c->sendq_slot >= OMX_ABI_SENDQ_SLOTS ||
		    c->frag_length > 8192 || c->head.peer_index >= w.cfg.nboards)
			return -EINVAL;
		f = frame_new(FRAME_MSG, sb, se, c->head.peer_index,
			      c->head.dest_endpoint);
		msg_frame_head(f, OMX_EVT_RECV_MEDIUM_FRAG, &c->head);
		f->evt.msg.msg_length = c->msg_length;
		f->evt.msg.medium.frag_length = c->frag_length;
		f->evt.msg.medium.frag_seqnum = c->frag_seqnum;
		memcpy(f->payload, ep->map + OMX_ABI_SENDQ_OFFSET +
		       (size_t)c->sendq_slot * OMX_ABI_SENDQ_SLOT_SIZE,
		       c->frag_length);
		f->len = c->frag_length;
		wire_send(f);
		return 0;
	}
	case OMX_CMD_SEND_RNDV: {
		const struct omx_cmd_send_rndv *c = arg;

		if (c->head.peer_index >= w.cfg.nboards)
			return -EINVAL;
		f = frame_new(FRAME_MSG, sb, se, c->head.peer_index,
			      c->head.dest_endpoint);
		msg_frame_head(f, OMX_EVT_RECV_RNDV, &c->head);
		f->evt.msg.msg_length = c->msg_length;
		f->evt.msg.rndv.rdma_id = c->rdma_id;
		f->evt.msg.rndv.rdma_seqnum = c->rdma_seqnum;
		f->evt.msg.rndv.rdma_offset = c->rdma_offset;
		wire_send(f);
		return 0;
	}
	case OMX_CMD_SEND_NOTIFY: {
		const struct omx_cmd_send_notify *c = arg;

		if (c->peer_index >= w.cfg.nboards)
			return -EINVAL;
		f = frame_new(FRAME_MSG, sb, se, c->peer_index, c->dest_endpoint);
		f->session = c->session;
		f->evt.notify.head.type = OMX_EVT_RECV_NOTIFY;
		f->evt.notify.head.src_endpoint = (uint8_t)se;
		f->evt.notify.head.peer_index = (uint16_t)sb;
		f->evt.notify.total_length = c->total_length;
		f->evt.notify.seqnum = c->seqnum;
		f->evt.notify.piggyack = c->piggyack;
		f->evt.notify.rdma_id = c->rdma_id;
		f->evt.notify.rdma_seqnum = c->rdma_seqnum;
		wire_send(f);
		return 0;
	}
	case OMX_CMD_SEND_CONNECT: {
		const struct omx_cmd_send_connect *c = arg;

		if (c->peer_index >= w.cfg.nboards)
			return -EINVAL;
		w.stats.connects++;
		f = frame_new(FRAME_CONNECT, sb, se, c->peer_index,
			      c->dest_endpoint);
		f->evt.connect.head.type = c->is_reply ?
			OMX_EVT_RECV_CONNECT_REPLY : OMX_EVT_RECV_CONNECT_REQUEST;
		f->evt.connect.head.src_endpoint = (uint8_t)se;
		f->evt.connect.head.peer_index = (uint16_t)sb;
		f->evt.connect.src_session_id = c->src_session_id;
		f->evt.connect.app_key = c->app_key;
		f->evt.connect.target_session_id = c->target_session_id;
		f->evt.connect.target_recv_seqnum_start =
			c->target_recv_seqnum_start;
		f->evt.connect.connect_seqnum = c->connect_seqnum;
		f->evt.connect.status_code = c->status_code;
		wire_send(f);
		return 0;
	}
	case OMX_CMD_SEND_LIBACK: {
		const struct omx_cmd_send_liback *c = arg;

		if (c->peer_index >= w.cfg.nboards)
			return -EINVAL;
		w.stats.libacks++;
		f = frame_new(FRAME_LIBACK, sb, se, c->peer_index,
			      c->dest_endpoint);
		f->session = c->session;
		f->evt.liback.head.type = OMX_EVT_RECV_LIBACK;
		f->evt.liback.head.src_endpoint = (uint8_t)se;
		f->evt.liback.head.peer_index = (uint16_t)sb;
		f->evt.liback.acknum = c->acknum;
		f->evt.liback.lib_seqnum = c->lib_seqnum;
		wire_send(f);
		return 0;
	}
	case OMX_CMD_CREATE_REGION: {
		const struct omx_cmd_create_region *c = arg;
		struct fake_region *r;
		uint32_t i;

		if (c->id >= OMX_ABI_REGION_MAX || c->nseg > OMX_ABI_REGION_SEGS_MAX)
			return -EINVAL;
		r = &ep->regions[c->id];
		if (r->used)
			return -EBUSY;
		r->segs = malloc((c->nseg ? c->nseg : 1) * sizeof(*r->segs));
		if (!r->segs)
			return -ENOMEM;
		memcpy(r->segs, (const void *)(uintptr_t)c->segs,
		       c->nseg * sizeof(struct omx_abi_seg));
		r->nseg = c->nseg;
		r->len = 0;
		for (i = 0; i < c->nseg; i++)
			r->len += r->segs[i].len;
		r->writable = c->writable != 0;
		r->used = 1;
		return 0;
	}
	case OMX_CMD_DESTROY_REGION: {
		const struct omx_cmd_destroy_region *c = arg;

		if (c->id >= OMX_ABI_REGION_MAX || !ep->regions[c->id].used)
			return -ENOENT;
		ep->regions[c->id].used = 0;
		free(ep->regions[c->id].segs);
		ep->regions[c->id].segs = NULL;
		return 0;
	}
	case OMX_CMD_PULL: {
		const struct omx_cmd_pull *c = arg;

		if (c->local_region >= OMX_ABI_REGION_MAX ||
		    !ep->regions[c->local_region].used ||
		    !ep->regions[c->local_region].writable)
			return -EINVAL;
		if (ep->pulls >= OMX_ABI_PULL_MAX)
			return -ENOSPC;
		ep->pulls++;
		w.stats.pulls++;
		f = frame_new(FRAME_PULL, sb, se, c->peer_index, c->dest_endpoint);
		f->pull = *c;
		f->pull_deadline = c->timeout_ms == OMX_ABI_WAIT_INFINITE ?
				   UINT64_MAX : w.now + (uint64_t)c->timeout_ms * 1000;
		wire_send(f);
		return 0;
	}
	case OMX_CMD_WAIT_EVENT:
		return wait_event(file, ep, arg);
	case OMX_CMD_WAKEUP:
		ep->desc->wakeups++;
		pthread_cond_broadcast(&world_cond);
		return 0;
	default:
		return -ENOTTY;
	}
}

/* ------------------------------------------------------------------------
 * Driver operations
 */
static int open_file(void)
{
	unsigned i;

	for (i = 0; i < FAKE_FILES; i++) {
		if (!w.files[i].used) {
			w.files[i].used = 1;
			w.files[i].board = w.files[i].endpoint = -1;
			return FAKE_FD_BASE + (int)i;
		}
	}
	return -EMFILE;
}

static int dispatch(int fd, unsigned long cmd, void *arg)
{
	struct fake_file *file = file_of(fd);

	if (!file)
		return -EBADF;
	switch (cmd) {
	case OMX_CMD_GET_INFO:
	case OMX_CMD_GET_BOARD_INFO:
	case OMX_CMD_GET_COUNTERS:
	case OMX_CMD_PEER_FROM_INDEX:
	case OMX_CMD_PEER_FROM_ADDR:
	case OMX_CMD_PEER_FROM_HOSTNAME:
		return control_cmd(cmd, arg);
	case OMX_CMD_OPEN_ENDPOINT:
		return open_endpoint(file, arg);
	default:
		if (file->board < 0)
			return -EBADF;
		return endpoint_cmd(file, cmd, arg);
	}
}

static int fake_open(void)
{
	int fd;

	pthread_mutex_lock(&world_lock);
	fd = open_file();
	pthread_mutex_unlock(&world_lock);
	return fd;
}

static int fake_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	pthread_mutex_lock(&world_lock);
	clock_sync();
	ret = dispatch(fd, cmd, arg);
	pthread_mutex_unlock(&world_lock);
	return ret;
}

static void *fake_mmap(int fd, size_t len)
{
	struct fake_file *file;
	void *map = NULL;

	pthread_mutex_lock(&world_lock);
	file = file_of(fd);
	if (file && file->board >= 0 && len == OMX_ABI_MMAP_SIZE)
		map = w.boards[file->board].eps[file->endpoint].map;
	pthread_mutex_unlock(&world_lock);
	if (!map)
		errno = EINVAL;
	return map;
}

static void fake_munmap(void *addr, size_t len)
{
	(void)addr;
	(void)len;	/* freed with the endpoint at close */
}

static void endpoint_release(struct fake_endpoint *ep)
{
	unsigned i;

	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		free(ep->regions[i].segs);
		ep->regions[i].segs = NULL;
		ep->regions[i].used = 0;
	}
	ep->open = 0;
	free(ep->map);
	ep->map = NULL;
	ep->desc = NULL;
}

static void fake_close(int fd)
{
	struct fake_file *file;

	pthread_mutex_lock(&world_lock);
	file = file_of(fd);
	if (file) {
		if (file->board >= 0)
			endpoint_release(&w.boards[file->board].eps[file->endpoint]);
		file->used = 0;
	}
	pthread_mutex_unlock(&world_lock);
}

static uint64_t fake_now(void)
{
	uint64_t now;

	pthread_mutex_lock(&world_lock);
	clock_sync();
	now = w.now;
	pthread_mutex_unlock(&world_lock);
	return now;
}

static const struct omx_driver_ops fake_ops = {
	.open = fake_open,
	.ioctl = fake_ioctl,
	.mmap = fake_mmap,
	.munmap = fake_munmap,
	.close = fake_close,
	.now_us = fake_now,
};

/* ------------------------------------------------------------------------
 * Test controls
 */
/* Free the previous world: endpoints left open and frames in flight. */
static void world_free(void)
{
	unsigned b, e;

	for (b = 0; b < w.cfg.nboards; b++) {
		if (!w.boards[b].eps)
			continue;
		for (e = 0; e < w.cfg.endpoint_max; e++)
			endpoint_release(&w.boards[b].eps[e]);
		free(w.boards[b].eps);
	}
	while (w.wire) {
		struct fake_frame *f = w.wire;

		w.wire = f->next;
		free(f);
	}
}

void fake_driver_install(const struct fake_config *cfg)
{
	unsigned b;

	world_free();
	memset(&w, 0, sizeof(w));
	w.cfg = *cfg;
	if (w.cfg.nboards > FAKE_BOARDS_MAX)
		w.cfg.nboards = FAKE_BOARDS_MAX;
	if (w.cfg.endpoint_max > 256)
		w.cfg.endpoint_max = 256;
	w.rng = (uint64_t)cfg->seed * 0x9E3779B97F4A7C15ULL + 1;
	w.now = 1000000;
	for (b = 0; b < w.cfg.nboards; b++) {
		w.boards[b].addr = 0x020000000001ULL + b;
		snprintf(w.boards[b].hostname, sizeof(w.boards[b].hostname),
			 "fakehost:%u", b);
		snprintf(w.boards[b].ifname, sizeof(w.boards[b].ifname),
			 "fake%u", b);
		w.boards[b].eps = calloc(w.cfg.endpoint_max,
					 sizeof(struct fake_endpoint));
	}
	omx__driver_set_ops(&fake_ops);
}

void fake_set_realtime(int on)
{
	pthread_mutex_lock(&world_lock);
	w.realtime = on;
	w.real_origin = real_us() - (w.now - 1000000);
	pthread_mutex_unlock(&world_lock);
}

void fake_wire_set(unsigned loss_pct, unsigned dup_pct, unsigned reorder_pct)
{
	pthread_mutex_lock(&world_lock);
	w.loss = loss_pct;
	w.dup = dup_pct;
	w.reorder = reorder_pct;
	pthread_mutex_unlock(&world_lock);
}

void fake_wire_script(unsigned pass, unsigned drop)
{
	pthread_mutex_lock(&world_lock);
	w.script_pass = pass;
	w.script_drop = drop;
	pthread_mutex_unlock(&world_lock);
}

void fake_wire_drop_type(uint8_t evt_type, unsigned count)
{
	pthread_mutex_lock(&world_lock);
	w.drop_type = evt_type;
	w.drop_type_count = count;
	pthread_mutex_unlock(&world_lock);
}

void fake_endpoint_set_deaf(unsigned board, unsigned endpoint, int deaf)
{
	struct fake_endpoint *ep;

	pthread_mutex_lock(&world_lock);
	ep = endpoint_of(board, endpoint);
	if (ep)
		ep->deaf = deaf;
	pthread_mutex_unlock(&world_lock);
}

void fake_inject_nack_lib(unsigned board, unsigned endpoint, unsigned from_board,
			  unsigned from_ep, uint16_t lib_seqnum, uint8_t nack_type)
{
	union omx_evt evt;
	struct fake_endpoint *ep;

	memset(&evt, 0, sizeof(evt));
	evt.nack_lib.head.type = OMX_EVT_RECV_NACK_LIB;
	evt.nack_lib.head.src_endpoint = (uint8_t)from_ep;
	evt.nack_lib.head.peer_index = (uint16_t)from_board;
	evt.nack_lib.lib_seqnum = lib_seqnum;
	evt.nack_lib.nack_type = nack_type;
	pthread_mutex_lock(&world_lock);
	ep = endpoint_of(board, endpoint);
	if (ep && ep->desc)
		post_event(ep, &evt, NULL, 0, 0);
	pthread_mutex_unlock(&world_lock);
}

void fake_set_idle_hook(fake_idle_hook_t hook, void *arg)
{
	w.hook = hook;
	w.hook_arg = arg;
}

uint64_t fake_now_us(void)
{
	return fake_now();
}

void fake_advance_us(uint64_t us)
{
	uint64_t end;

	pthread_mutex_lock(&world_lock);
	end = w.now + us;
	for (;;) {
		wire_run();
		if (w.now >= end)
			break;
		if (w.wire && w.wire->at < end)
			w.now = w.wire->at > w.now ? w.wire->at : w.now;
		else
			w.now = end;
	}
	pthread_mutex_unlock(&world_lock);
}

uint64_t fake_board_addr(unsigned board)
{
	return w.boards[board].addr;
}

const struct fake_stats *fake_get_stats(void)
{
	return &w.stats;
}
