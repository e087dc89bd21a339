// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx-abi-check - exercises the driver's /dev/open-mx commands directly,
 * without the library: the engine's contract of shared/omx_abi.h.
 *
 * Two endpoints on one board talk through the driver's same-host path:
 * connect, tiny, small and medium frames, rendezvous, notify, liback,
 * nacks for closed endpoints and wrong sessions, pulls between pinned
 * regions (with nacks), a full event queue, waits and wakeups, and every
 * command refusing bad arguments.  Output is TAP.  Needs root (counters
 * are cleared) and one attached board.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_wire.h"
#include "../unit/tap.h"

struct ep {
	int fd;
	uint8_t *mem;
	struct omx_abi_desc *desc;
	uint32_t index;
	uint32_t session;
};

static uint32_t board;
static uint16_t own_peer;	/* our board's index in the peer table */
static struct omx_cmd_get_info info;

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int ep_open(struct ep *e, uint32_t index)
{
	struct omx_cmd_open_endpoint o = { .board_index = board,
					   .endpoint_index = index };
	int err;

	e->fd = open(OMX_ABI_DEVICE, O_RDWR);
	if (e->fd < 0)
		return -errno;
	err = xioctl(e->fd, OMX_CMD_OPEN_ENDPOINT, &o);
	if (err) {
		close(e->fd);
		return err;
	}
	e->mem = mmap(NULL, OMX_ABI_MMAP_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED, e->fd, 0);
	if (e->mem == MAP_FAILED) {
		err = -errno;
		close(e->fd);
		return err;
	}
	e->desc = (struct omx_abi_desc *)(e->mem + OMX_ABI_DESC_OFFSET);
	e->index = index;
	e->session = o.session_id;
	return 0;
}

static void ep_close(struct ep *e)
{
	munmap(e->mem, OMX_ABI_MMAP_SIZE);
	close(e->fd);
}

/* Next event, or NULL after @ms milliseconds.  Consumes it. */
static union omx_evt *ep_next(struct ep *e, uint32_t ms, union omx_evt *copy)
{
	for (;;) {
		uint32_t prod = __atomic_load_n(&e->desc->eventq_prod,
						__ATOMIC_ACQUIRE);
		uint32_t cons = e->desc->eventq_cons;
		struct omx_cmd_wait_event w = { .timeout_ms = ms,
						.wakeups = e->desc->wakeups };

		if (prod != cons) {
			memcpy(copy, e->mem + OMX_ABI_EVENTQ_OFFSET +
			       (cons % OMX_ABI_EVENTQ_SLOTS) * OMX_ABI_EVENT_SIZE,
			       sizeof(*copy));
			__atomic_store_n(&e->desc->eventq_cons, cons + 1,
					 __ATOMIC_RELEASE);
			return copy;
		}
		if (xioctl(e->fd, OMX_CMD_WAIT_EVENT, &w) ||
		    w.status == OMX_ABI_WAIT_TIMEOUT)
			return NULL;
	}
}

static const uint8_t *recvq_slot(struct ep *e, uint32_t slot)
{
	return e->mem + OMX_ABI_RECVQ_OFFSET +
	       (size_t)(slot % OMX_ABI_RECVQ_SLOTS) * OMX_ABI_RECVQ_SLOT_SIZE;
}

static void recvq_release(struct ep *e)
{
	__atomic_store_n(&e->desc->recvq_cons, e->desc->recvq_cons + 1,
			 __ATOMIC_RELEASE);
}

static void send_head(struct omx_cmd_send_head *h, const struct ep *to,
		      uint32_t session, uint16_t seq, uint64_t match)
{
	memset(h, 0, sizeof(*h));
	h->peer_index = own_peer;
	h->dest_endpoint = (uint8_t)to->index;
	h->session = session;
	h->seqnum = seq;
	h->piggyack = 7;
	h->match_info = match;
}

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + seed * 7 + (i >> 9));
}

static int same(const uint8_t *p, size_t n, unsigned int seed, size_t from)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)((i + from) * 131 + seed * 7 + ((i + from) >> 9)))
			return 0;
	return 1;
}

static void check_info(int ctl)
{
	struct omx_cmd_board_info bi = { .board_index = board };
	struct omx_cmd_peer p = { 0 };

	tap_is(xioctl(ctl, OMX_CMD_GET_INFO, &info), 0, "GET_INFO works");
	tap_is(info.abi_version, OMX_ABI_VERSION, "driver ABI matches");
	tap_ok(info.board_count >= 1, "at least one board attached (%u)",
	       info.board_count);
	tap_ok(info.wire_mtu == 9000 || info.wire_mtu == 1500,
	       "wire MTU is a known variant (%u)", info.wire_mtu);
	tap_is(xioctl(ctl, OMX_CMD_GET_BOARD_INFO, &bi), 0, "board %u info", board);
	tap_ok(bi.addr && bi.ifname[0] && bi.hostname[0],
	       "board %u is %s, %s", board, bi.ifname, bi.hostname);
	own_peer = (uint16_t)bi.peer_index;
	p.addr = bi.addr;
	tap_is(xioctl(ctl, OMX_CMD_PEER_FROM_ADDR, &p), 0, "own board in the peer table");
	tap_is(p.index, bi.peer_index, "peer index of the own board");
	memset(&p, 0, sizeof(p));
	strcpy(p.hostname, bi.hostname);
	tap_is(xioctl(ctl, OMX_CMD_PEER_FROM_HOSTNAME, &p), 0, "lookup by hostname");
	tap_is(p.addr, bi.addr, "hostname names the board");
	bi.board_index = info.board_max;
	tap_is(xioctl(ctl, OMX_CMD_GET_BOARD_INFO, &bi), -ENODEV,
	       "board beyond the maximum: ENODEV");
	p.index = info.peer_max + 5;
	tap_is(xioctl(ctl, OMX_CMD_PEER_FROM_INDEX, &p), -ENOENT,
	       "peer index beyond the table: ENOENT");
}

static void check_open(int ctl, struct ep *a)
{
	struct omx_cmd_open_endpoint o = { .board_index = board,
					   .endpoint_index = a->index };
	struct omx_cmd_wait_event w = { .timeout_ms = 0 };
	struct ep dup;
	void *m;

	tap_is(ep_open(&dup, a->index), -EBUSY, "second open of an endpoint: EBUSY");
	tap_is(ep_open(&dup, info.endpoint_max), -EINVAL,
	       "endpoint index = maximum: EINVAL");
	tap_is(xioctl(a->fd, OMX_CMD_OPEN_ENDPOINT, &o), -EBUSY,
	       "a file binds one endpoint only");
	tap_is(xioctl(ctl, OMX_CMD_WAIT_EVENT, &w), -EBADF,
	       "endpoint command on a control file: EBADF");
	m = mmap(NULL, OMX_ABI_PAGE, PROT_READ, MAP_SHARED, a->fd, 0);
	tap_ok(m == MAP_FAILED && errno == EINVAL, "partial mapping refused");
	tap_is(a->desc->session_id, a->session, "descriptor shows the session");
	tap_is(a->desc->endpoint_index, a->index, "descriptor shows the index");
}

static void check_messages(struct ep *a, struct ep *b)
{
	struct omx_cmd_send_connect c = {
		.peer_index = own_peer, .dest_endpoint = (uint8_t)b->index,
		.src_session_id = a->session, .app_key = 0x1234,
		.target_recv_seqnum_start = 1, .connect_seqnum = 3,
	};
	struct omx_cmd_send_tiny t;
	struct omx_cmd_send_medium_frag m;
	union omx_evt ev, *e;
	uint32_t len = 20000, f, nfrags;

	tap_is(xioctl(a->fd, OMX_CMD_SEND_CONNECT, &c), 0, "connect request sent");
	e = ep_next(b, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_CONNECT_REQUEST &&
	       e->connect.src_session_id == a->session &&
	       e->connect.app_key == 0x1234 && e->connect.connect_seqnum == 3 &&
	       e->head.src_endpoint == a->index && e->head.peer_index == own_peer,
	       "connect request event carries the handshake fields");

	send_head(&t.head, b, b->session, 1, 0x1122334455667788ULL);
	t.length = 32;
	fill(t.data, 32, 1);
	tap_is(xioctl(a->fd, OMX_CMD_SEND_TINY, &t), 0, "tiny sent");
	e = ep_next(b, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_TINY && e->msg.msg_length == 32 &&
	       e->msg.match_info == 0x1122334455667788ULL && e->msg.seqnum == 1 &&
	       e->msg.piggyack == 7 && same(e->msg.tiny.data, 32, 1, 0),
	       "tiny event: fields and 32 octets inline");

	send_head(&t.head, b, b->session, 2, 9);
	t.length = 128;
	fill(t.data, 128, 2);
	tap_is(xioctl(a->fd, OMX_CMD_SEND_SMALL, &t), 0, "small sent");
	e = ep_next(b, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_SMALL && e->msg.msg_length == 128 &&
	       same(recvq_slot(b, e->msg.small.recvq_slot), 128, 2, 0),
	       "small event: 128 octets in the receive queue");
	recvq_release(b);

	nfrags = (len + info.medium_frag_max - 1) / info.medium_frag_max;
	for (f = 0; f < nfrags; f++) {
		uint32_t off = f * info.medium_frag_max;
		uint32_t fl = len - off < info.medium_frag_max ? len - off :
							       info.medium_frag_max;
		uint8_t *slot = a->mem + OMX_ABI_SENDQ_OFFSET +
				(size_t)f * OMX_ABI_SENDQ_SLOT_SIZE;

		fill(slot, fl, 3 + f);
		send_head(&m.head, b, b->session, 3, 10);
		m.msg_length = len;
		m.sendq_slot = f;
		m.frag_length = (uint16_t)fl;
		m.frag_seqnum = (uint8_t)f;
		if (xioctl(a->fd, OMX_CMD_SEND_MEDIUM_FRAG, &m))
			break;
	}
	tap_is(f, nfrags, "%u medium fragments sent from the send queue", nfrags);
	for (f = 0; f < nfrags; f++) {
		e = ep_next(b, 2000, &ev);
		if (!e || e->head.type != OMX_EVT_RECV_MEDIUM_FRAG ||
		    e->msg.msg_length != len || e->msg.medium.frag_seqnum != f ||
		    !same(recvq_slot(b, e->msg.medium.recvq_slot),
			  e->msg.medium.frag_length, 3 + f, 0))
			break;
		recvq_release(b);
	}
	tap_is(f, nfrags, "every medium fragment arrived intact, in order");
}

static void check_control(struct ep *a, struct ep *b)
{
	struct omx_cmd_send_rndv r;
	struct omx_cmd_send_notify n = {
		.peer_index = own_peer, .dest_endpoint = (uint8_t)b->index,
		.session = b->session, .total_length = 777, .seqnum = 5,
		.piggyack = 4, .rdma_id = 9, .rdma_seqnum = 23,
	};
	struct omx_cmd_send_liback l = {
		.peer_index = own_peer, .dest_endpoint = (uint8_t)b->index,
		.session = b->session, .acknum = 42, .lib_seqnum = 6,
	};
	union omx_evt ev, *e;

	send_head(&r.head, b, b->session, 4, 11);
	r.msg_length = 1 << 20;
	r.rdma_id = 9;
	r.rdma_seqnum = 23;
	r.rdma_offset = 0;
	tap_is(xioctl(a->fd, OMX_CMD_SEND_RNDV, &r), 0, "rndv sent");
	e = ep_next(b, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_RNDV &&
	       e->msg.msg_length == 1 << 20 && e->msg.rndv.rdma_id == 9 &&
	       e->msg.rndv.rdma_seqnum == 23, "rndv event");
	tap_is(xioctl(a->fd, OMX_CMD_SEND_NOTIFY, &n), 0, "notify sent");
	e = ep_next(b, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_NOTIFY &&
	       e->notify.total_length == 777 && e->notify.seqnum == 5 &&
	       e->notify.rdma_seqnum == 23, "notify event");
	tap_is(xioctl(a->fd, OMX_CMD_SEND_LIBACK, &l), 0, "liback sent");
	e = ep_next(b, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_LIBACK && e->liback.acknum == 42 &&
	       e->liback.lib_seqnum == 6, "liback event");
	l.session = b->session ^ 1;
	tap_is(xioctl(a->fd, OMX_CMD_SEND_LIBACK, &l), 0, "liback with a stale session sent");
	tap_ok(!ep_next(b, 300, &ev), "a liback for another session is dropped, not nacked");
}

static void check_nacks(struct ep *a, struct ep *b)
{
	struct omx_cmd_send_tiny t;
	union omx_evt ev, *e;
	struct { uint32_t ep; uint32_t session; uint8_t nack; const char *what; } cases[] = {
		{ b->index, b->session ^ 0x5a5a, OMX_WIRE_NACK_BAD_SESSION, "wrong session" },
		{ info.endpoint_max - 1, 1, OMX_WIRE_NACK_ENDPT_CLOSED, "closed endpoint" },
		{ 255, 1, OMX_WIRE_NACK_BAD_ENDPT, "endpoint beyond the maximum" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].ep == 255 && info.endpoint_max == 256)
			continue;
		send_head(&t.head, b, cases[i].session, 77, 1);
		t.head.dest_endpoint = (uint8_t)cases[i].ep;
		t.length = 1;
		t.data[0] = 0;
		xioctl(a->fd, OMX_CMD_SEND_TINY, &t);
		e = ep_next(a, 2000, &ev);
		tap_ok(e && e->head.type == OMX_EVT_RECV_NACK_LIB &&
		       e->nack_lib.nack_type == cases[i].nack &&
		       e->nack_lib.lib_seqnum == 77 &&
		       e->head.src_endpoint == (uint8_t)cases[i].ep,
		       "tiny to a %s is nacked (type %u)", cases[i].what,
		       cases[i].nack);
	}
	tap_ok(!ep_next(b, 200, &ev), "nacked frames left no event at the target");
}

static int region(struct ep *e, uint32_t id, uint8_t *buf, size_t len,
		  int writable)
{
	/* Three uneven segments: the engine must cross their borders. */
	struct omx_abi_seg segs[3] = {
		{ (uintptr_t)buf, 1000 },
		{ (uintptr_t)buf + 1000, len / 2 },
		{ (uintptr_t)buf + 1000 + len / 2, len - 1000 - len / 2 },
	};
	struct omx_cmd_create_region c = { .id = id, .nseg = 3,
					   .writable = (uint32_t)writable,
					   .segs = (uintptr_t)segs };

	return xioctl(e->fd, OMX_CMD_CREATE_REGION, &c);
}

static union omx_evt *pull_ms(struct ep *b, struct ep *a, uint32_t session,
			      uint32_t len, uint16_t remote_off, uint8_t rid,
			      uint32_t timeout_ms, union omx_evt *ev)
{
	struct omx_cmd_pull p = {
		.peer_index = own_peer, .dest_endpoint = (uint8_t)a->index,
		.session = session, .length = len, .local_region = 0,
		.local_offset = 0, .remote_rdma_id = rid, .remote_rdma_seqnum = 23,
		.remote_rdma_offset = remote_off, .timeout_ms = timeout_ms,
		.lib_cookie = 0xfeedULL << 32 | len,
	};

	if (xioctl(b->fd, OMX_CMD_PULL, &p))
		return NULL;
	return ep_next(b, timeout_ms + 5000, ev);
}

static union omx_evt *pull(struct ep *b, struct ep *a, uint32_t session,
			   uint32_t len, uint16_t remote_off, uint8_t rid,
			   union omx_evt *ev)
{
	return pull_ms(b, a, session, len, remote_off, rid, 10000, ev);
}

static void check_pulls(struct ep *a, struct ep *b)
{
	size_t len = 3 * 1024 * 1024 + 777;
	uint8_t *src = malloc(len), *dst = malloc(len);
	union omx_evt ev, *e;

	fill(src, len, 9);
	memset(dst, 0, len);
	tap_is(region(a, 5, src, len, 0), 0, "send region of %zu octets pinned", len);
	tap_is(region(b, 0, dst, len, 1), 0, "receive region pinned");
	tap_is(region(b, 0, dst, len, 1), -EBUSY, "region id in use: EBUSY");

	e = pull(b, a, a->session, (uint32_t)len, 0, 5, &ev);
	tap_ok(e && e->head.type == OMX_EVT_PULL_DONE &&
	       e->pull_done.status == OMX_ABI_PULL_SUCCESS &&
	       e->pull_done.pulled_length == len &&
	       e->pull_done.lib_cookie == (0xfeedULL << 32 | (uint32_t)len),
	       "pull of %zu octets done", len);
	tap_ok(same(dst, len, 9, 0), "pulled data intact across segments");

	memset(dst, 0, len);
	e = pull(b, a, a->session, 100000, 12345, 5, &ev);
	tap_ok(e && e->pull_done.status == OMX_ABI_PULL_SUCCESS &&
	       e->pull_done.pulled_length == 100000 && same(dst, 100000, 9, 12345),
	       "pull from region offset 12345 reads the right octets");

	e = pull(b, a, a->session, 1000, 0, 6, &ev);
	tap_ok(e && e->pull_done.status == OMX_ABI_PULL_BAD_RDMAWIN,
	       "pull of an unknown region: BAD_RDMAWIN");
	e = pull(b, a, a->session ^ 1, 1000, 0, 5, &ev);
	tap_ok(e && e->pull_done.status == OMX_ABI_PULL_BAD_SESSION,
	       "pull with a wrong session: BAD_SESSION");
	/* The replier drops blocks reaching past its region: only the deadline ends it. */
	e = pull_ms(b, a, a->session, (uint32_t)len, 1000, 5, 2000, &ev);
	tap_ok(e && e->pull_done.status == OMX_ABI_PULL_TIMEOUT &&
	       e->pull_done.pulled_length == 0,
	       "pull reaching past the region end times out, nothing reported pulled");

	{
		struct omx_cmd_destroy_region d = { .id = 5 };

		tap_is(xioctl(a->fd, OMX_CMD_DESTROY_REGION, &d), 0, "region destroyed");
		tap_is(xioctl(a->fd, OMX_CMD_DESTROY_REGION, &d), -ENOENT,
		       "destroying it again: ENOENT");
	}
	free(src);
	free(dst);
}

static void check_bad_args(struct ep *a, struct ep *b)
{
	struct omx_cmd_send_tiny t;
	struct omx_cmd_send_medium_frag m;
	struct omx_cmd_create_region c = { .id = 256, .nseg = 1, .segs = 0 };
	struct omx_cmd_pull p = { .peer_index = own_peer, .length = 10,
				  .local_region = 77 };

	send_head(&t.head, b, b->session, 1, 1);
	t.length = 33;
	tap_is(xioctl(a->fd, OMX_CMD_SEND_TINY, &t), -EINVAL, "tiny of 33 octets: EINVAL");
	t.length = 129;
	tap_is(xioctl(a->fd, OMX_CMD_SEND_SMALL, &t), -EINVAL, "small of 129 octets: EINVAL");
	t.length = 1;
	t.head.peer_index = (uint16_t)(info.peer_max - 1);
	tap_is(xioctl(a->fd, OMX_CMD_SEND_TINY, &t), -ENOENT, "unknown peer: ENOENT");
	send_head(&m.head, b, b->session, 1, 1);
	m.msg_length = 9000;
	m.sendq_slot = OMX_ABI_SENDQ_SLOTS;
	m.frag_length = 100;
	m.frag_seqnum = 0;
	tap_is(xioctl(a->fd, OMX_CMD_SEND_MEDIUM_FRAG, &m), -EINVAL,
	       "send queue slot out of range: EINVAL");
	m.sendq_slot = 0;
	m.frag_length = (uint16_t)(info.medium_frag_max + 1);
	tap_is(xioctl(a->fd, OMX_CMD_SEND_MEDIUM_FRAG, &m), -EINVAL,
	       "fragment longer than the maximum: EINVAL");
	tap_is(xioctl(a->fd, OMX_CMD_CREATE_REGION, &c), -EINVAL, "region id 256: EINVAL");
	c.id = 1;
	c.nseg = OMX_ABI_REGION_SEGS_MAX + 1;
	tap_is(xioctl(a->fd, OMX_CMD_CREATE_REGION, &c), -EINVAL, "257 segments: EINVAL");
	c.nseg = 1;
	c.segs = 16;
	tap_is(xioctl(a->fd, OMX_CMD_CREATE_REGION, &c), -EFAULT,
	       "segment list at a bad address: EFAULT");
	{
		struct omx_abi_seg s = { 0x1000, 4096 };

		c.segs = (uintptr_t)&s;
		tap_is(xioctl(a->fd, OMX_CMD_CREATE_REGION, &c), -EFAULT,
		       "segment at an unmapped address: EFAULT");
		s.vaddr = ~0ULL - 10;
		tap_ok(xioctl(a->fd, OMX_CMD_CREATE_REGION, &c) != 0,
		       "segment wrapping the address space refused");
	}
	tap_is(xioctl(a->fd, OMX_CMD_PULL, &p), -ENOENT, "pull into an unknown region: ENOENT");
	p.length = 0;
	tap_is(xioctl(a->fd, OMX_CMD_PULL, &p), -EINVAL, "pull of 0 octets: EINVAL");
	tap_is(xioctl(a->fd, _IOW(OMX_IOC_TYPE, 0x7f, struct omx_cmd_pull), &p), -ENOTTY,
	       "unknown command: ENOTTY");
}

static void *wakeup_thread(void *arg)
{
	struct ep *e = arg;

	usleep(200000);
	ioctl(e->fd, OMX_CMD_WAKEUP);
	return NULL;
}

static void check_waits(struct ep *a)
{
	struct omx_cmd_wait_event w = { .timeout_ms = 150, .wakeups = a->desc->wakeups };
	struct timespec t0, t1;
	pthread_t th;
	double ms;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	tap_is(xioctl(a->fd, OMX_CMD_WAIT_EVENT, &w), 0, "wait with nothing to wait for");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	tap_ok(w.status == OMX_ABI_WAIT_TIMEOUT && ms >= 100,
	       "it slept until its timeout (%.0f ms)", ms);
	w.timeout_ms = OMX_ABI_WAIT_INFINITE;
	w.wakeups = a->desc->wakeups;
	pthread_create(&th, NULL, wakeup_thread, a);
	tap_is(xioctl(a->fd, OMX_CMD_WAIT_EVENT, &w), 0, "infinite wait");
	pthread_join(th, NULL);
	tap_is(w.status, OMX_ABI_WAIT_WAKEUP, "OMX_CMD_WAKEUP ends it");
}

static void check_queue_full(int ctl, struct ep *a, struct ep *b)
{
	struct omx_cmd_counters cnt = { .board_index = board, .clear = 1 };
	struct omx_cmd_send_tiny t;
	union omx_evt ev;
	unsigned int i, got = 0;

	xioctl(ctl, OMX_CMD_GET_COUNTERS, &cnt);
	send_head(&t.head, b, b->session, 1, 1);
	t.length = 0;
	for (i = 0; i < OMX_ABI_EVENTQ_SLOTS + 100; i++)
		xioctl(a->fd, OMX_CMD_SEND_TINY, &t);
	usleep(500000);
	tap_ok(b->desc->eventq_prod - b->desc->eventq_cons <=
	       OMX_ABI_EVENTQ_SLOTS - OMX_ABI_PULL_MAX,
	       "the event queue fills up to its unreserved part (%u events)",
	       b->desc->eventq_prod - b->desc->eventq_cons);
	cnt.clear = 0;
	xioctl(ctl, OMX_CMD_GET_COUNTERS, &cnt);
	tap_ok(cnt.values[38] >= 100, "the drops are counted (%u)", cnt.values[38]);
	while (ep_next(b, 100, &ev))
		got++;
	tap_ok(got >= OMX_ABI_EVENTQ_SLOTS - OMX_ABI_PULL_MAX - 1,
	       "the queued events are all readable (%u)", got);
	xioctl(a->fd, OMX_CMD_SEND_TINY, &t);
	tap_ok(ep_next(b, 2000, &ev) != NULL, "once drained, events flow again");
}

static void check_closed(struct ep *a, struct ep *b)
{
	struct omx_cmd_send_tiny t;
	union omx_evt ev, *e;
	uint32_t index = b->index, session = b->session;

	ep_close(b);
	send_head(&t.head, b, session, 9, 1);
	t.head.dest_endpoint = (uint8_t)index;
	t.length = 0;
	xioctl(a->fd, OMX_CMD_SEND_TINY, &t);
	e = ep_next(a, 2000, &ev);
	tap_ok(e && e->head.type == OMX_EVT_RECV_NACK_LIB &&
	       e->nack_lib.nack_type == OMX_WIRE_NACK_ENDPT_CLOSED,
	       "after close, its frames are nacked ENDPT_CLOSED");
	tap_is(ep_open(b, index), 0, "the index can be opened again");
	tap_ok(b->session != session, "with a new session id");
}

int main(int argc, char **argv)
{
	struct ep a, b;
	int ctl, opt;

	while ((opt = getopt(argc, argv, "b:h")) != -1) {
		switch (opt) {
		case 'b':
			board = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-b board]\n", argv[0]);
			return opt == 'h' ? 0 : 2;
		}
	}
	ctl = open(OMX_ABI_DEVICE, O_RDWR);
	if (!tap_ok(ctl >= 0, "%s opens", OMX_ABI_DEVICE))
		return tap_done();
	check_info(ctl);
	if (!tap_is(ep_open(&a, 0), 0, "endpoint 0 opens") ||
	    !tap_is(ep_open(&b, 1), 0, "endpoint 1 opens"))
		return tap_done();
	check_open(ctl, &a);
	check_messages(&a, &b);
	check_control(&a, &b);
	check_nacks(&a, &b);
	check_pulls(&a, &b);
	check_bad_args(&a, &b);
	check_waits(&a);
	check_queue_full(ctl, &a, &b);
	check_closed(&a, &b);
	ep_close(&a);
	ep_close(&b);
	close(ctl);
	return tap_done();
}
