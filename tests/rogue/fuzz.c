// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz.c - the rogue's seeded random mode: a storm of requests, most of
 * them nearly right, while the endpoint pages are scribbled and the event
 * channel fires at random.  Two attacks (attacks.c's table):
 *
 *   fuzz       fuzz_requests requests (module parameter, default 10^6),
 *              the ring kept full, drawn from fuzz_seed: valid headers
 *              with random ops, commands, fields and lengths; the Open-MX
 *              commands built from their structures with values near and
 *              beyond their limits; grant references of every kind (ours
 *              read-write and read-only, granted to another domain, ended,
 *              never granted, absurd); region piece directories; endpoint
 *              open/close churn; raw random slots.  Meanwhile a thread
 *              rewrites the descriptor fields, consumer indexes and queue
 *              contents of our endpoints' pages and kicks the event
 *              channel.  Then every endpoint is closed and every page
 *              taken back.  Its report counts the requests sent and
 *              answered, by kind and by status.
 *   fuzz-ring  a producer index game drawn from fuzz_seed: the request
 *              producer far ahead or behind, or the event-credit producer
 *              far ahead.  The backend must shut the device down with an
 *              error node naming the reason and let go of everything.
 *
 * Replaying: the seed fixes the sequence of requests the generator draws
 * (and the scribbler's sequence of writes).  Values taken from the live
 * device when a request is built (a session the backend handed out, grant
 * reference numbers) and the interleaving of requests, scribbles and the
 * backend's work depend on timing, so a replay sends the same requests,
 * not necessarily in the same race.
 */
#include "rogue.h"
#include "xen2mx_omx_arg.h"
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/events.h>

static unsigned long long x2mrogue_fuzz_seed;
module_param_named(fuzz_seed, x2mrogue_fuzz_seed, ullong, 0644);
MODULE_PARM_DESC(fuzz_seed, "Seed of the fuzz attacks (0: draw one; the report prints it)");

static unsigned long x2mrogue_fuzz_requests = 1000000;
module_param_named(fuzz_requests, x2mrogue_fuzz_requests, ulong, 0644);
MODULE_PARM_DESC(fuzz_requests, "Requests the fuzz attack sends (default 1000000)");

static unsigned int x2mrogue_fuzz_kinds;
module_param_named(fuzz_kinds, x2mrogue_fuzz_kinds, uint, 0644);
MODULE_PARM_DESC(fuzz_kinds, "Kinds of requests the fuzz attack draws, a mask of bits in the order its report lists them (default 0: all)");

static unsigned int x2mrogue_fuzz_seconds = 900;
module_param_named(fuzz_seconds, x2mrogue_fuzz_seconds, uint, 0644);
MODULE_PARM_DESC(fuzz_seconds, "The fuzz attack stops sending after this many seconds (default 900)");

#define FZ_SETS		3	/* endpoint page sets; index i uses set i % 3 */
#define FZ_EPS		8	/* the backend's default max-endpoints */
#define FZ_RW		48	/* pages granted read-write for regions */
#define FZ_RO		8	/* ... read-only */
#define FZ_FOREIGN	4	/* ... to another domain */
#define FZ_STALE	8	/* references granted, then ended */
#define FZ_UNUSED	4	/* references reserved, never granted */
#define FZ_DIRS		96	/* region piece directory pages */
#define FZ_BAD_DIRS	4	/* endpoint directories naming bad pages */
#define FZ_REGIONS	16	/* region ids per endpoint the model follows */
#define FZ_STALL_S	30	/* no answer for this long: the backend hung */
#define FZ_DRAIN_S	60	/* waiting for the last answers */
#define FZ_REPORT_S	15	/* progress on the console */
#define UNUSED_REF	7u	/* reserved by Xen, never granted */
#define OTHER_DOMID	32000
#define EP_PAGES	X2MFRONT_EP_PAGES
#define PIECES_PER_DIR	XEN2MX_OMX_PIECES_PER_PAGE

/* ------------------------------------------------------------------------
 * The generator's random numbers: splitmix64, all state in the struct.
 */
struct fz_rng {
	u64 s;
};

static u64 fz_next(struct fz_rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 .. n - 1 (n > 0) */
static u32 fz_below(struct fz_rng *r, u32 n)
{
	return (u32)(((u64)(u32)fz_next(r) * n) >> 32);
}

/* true with probability @per_mille / 1000 */
static bool fz_chance(struct fz_rng *r, u32 per_mille)
{
	return fz_below(r, 1000) < per_mille;
}

static const u32 fz_edges[] = {
	0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 127, 128, 129, 255, 256,
	511, 512, 1023, 1024, 4095, 4096, 4097, 8191, 8192, 8193, 9000, 32767,
	32768, 65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
};

/* A value near an edge, small, or anything */
static u32 fz_u32(struct fz_rng *r)
{
	switch (fz_below(r, 10)) {
	case 0: case 1: case 2: case 3:
		return fz_edges[fz_below(r, ARRAY_SIZE(fz_edges))];
	case 4: case 5: case 6:
		return fz_below(r, 20);
	default:
		return (u32)fz_next(r);
	}
}

static void fz_bytes(struct fz_rng *r, void *buf, size_t len)
{
	u8 *b = buf;
	u64 v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (!(i & 7))
			v = fz_next(r);
		b[i] = v;
		v >>= 8;
	}
}

/* ------------------------------------------------------------------------
 * The run's state
 */
struct fz_page {
	struct page *page;
	grant_ref_t ref;
};

enum fz_kind {
	FZ_K_RAW, FZ_K_HEADER, FZ_K_ECHO, FZ_K_STATS, FZ_K_CONTROL, FZ_K_OPEN,
	FZ_K_CLOSE, FZ_K_SEND, FZ_K_REGION, FZ_K_PIECES, FZ_K_PULL,
	FZ_K_UNKNOWN, FZ_K_NR
};

static const char *const fz_kind_names[FZ_K_NR] = {
	"raw", "header", "echo", "stats", "control", "open", "close", "send",
	"region", "pieces", "pull", "unknown",
};

/* What a request in flight was, for the counts and the model */
struct fz_meta {
	u8 kind;
	u8 ndirs;
	u16 ep;
	u8 dirs[2];
	bool want_event;
};

/* The model's view of one region id of one endpoint */
enum { FZ_R_NONE, FZ_R_BUILDING, FZ_R_READY };

struct fz_region {
	u8 state;
	bool writable;
	u32 n;			/* pieces announced */
	u32 sent;		/* pieces sent so far */
	u64 length;
	u64 seed;		/* piece k is drawn from (seed, k) */
};

#define FZ_STATUSES	48

struct fz_status {
	s32 status;
	u64 count;
};

struct x2mrogue_fuzz {
	struct x2mfront_device *fe;
	domid_t domid;
	u64 seed;
	unsigned int kinds;		/* mask of enum fz_kind drawn */
	struct fz_rng gen;		/* the storm's draws */
	struct fz_rng scr;		/* the scribbler's draws */

	/* What the requests name */
	struct x2mrogue_ep *sets[FZ_SETS];
	struct fz_page setdir[FZ_SETS];
	struct fz_page baddir[FZ_BAD_DIRS];
	struct fz_page rw[FZ_RW], ro[FZ_RO], foreign[FZ_FOREIGN];
	struct fz_page dirs[FZ_DIRS];
	bool dir_busy[FZ_DIRS];
	unsigned int next_dir;
	grant_ref_t stale[FZ_STALE], unused[FZ_UNUSED];
	unsigned int nr_unused;
	grant_ref_t ring_refs[2 * XEN2MX_MAX_RING_PAGES];
	unsigned int nr_ring_refs;

	/* The generator's model of the backend (drawn, never read back) */
	bool open[FZ_EPS];
	struct fz_region reg[FZ_EPS][FZ_REGIONS];

	/* Learnt from answers: only values, never a choice */
	u32 session[FZ_EPS];
	u16 own_peer;

	/* In flight */
	bool *mine;			/* ring_slots */
	struct fz_meta *meta;		/* ring_slots */
	unsigned int in_flight;

	/* Counts */
	u64 target, sent, answered;
	u64 by_kind[FZ_K_NR];
	struct fz_status status[FZ_STATUSES];
	u64 status_other;
	unsigned int unanswered;
	const char *ended;

	/* The scribbler */
	struct task_struct *scribbler;
	unsigned long scribbles, kicks;
};

/* ------------------------------------------------------------------------
 * Pages and references
 */
static int fz_grant(struct x2mrogue_fuzz *f, struct fz_page *p, domid_t to,
		    bool readonly)
{
	int ref;

	p->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!p->page)
		return -ENOMEM;
	ref = gnttab_grant_foreign_access(to, xen_page_to_gfn(p->page), readonly);
	if (ref < 0) {
		__free_page(p->page);
		p->page = NULL;
		return ref;
	}
	p->ref = ref;
	return 0;
}

/* 1 when the backend still used the page (it goes when it lets go) */
static unsigned int fz_ungrant(struct fz_page *p)
{
	unsigned int busy = 0;

	if (p->page)
		busy = !x2mrogue_ungrant(p->ref, p->page);
	p->page = NULL;
	return busy;
}

static bool fz_is_ring_ref(struct x2mrogue_fuzz *f, u32 ref)
{
	unsigned int i;

	for (i = 0; i < f->nr_ring_refs; i++)
		if (f->ring_refs[i] == ref)
			return true;
	return false;
}

/*
 * A grant reference of some kind.  Never one of the rings' own (a pull
 * into them would break the ring from our side, which proves nothing) nor
 * one below 8 (Xen's reserved entries: console and xenstore rings, which
 * the test bed needs).
 */
static u32 fz_ref(struct x2mrogue_fuzz *f, struct fz_rng *r)
{
	u32 ref;

	switch (fz_below(r, 100)) {
	case 0 ... 59:
		return f->rw[fz_below(r, FZ_RW)].ref;
	case 60 ... 69:
		return f->ro[fz_below(r, FZ_RO)].ref;
	case 70 ... 74:
		return f->foreign[fz_below(r, FZ_FOREIGN)].ref;
	case 75 ... 79:
		return f->stale[fz_below(r, FZ_STALE)];
	case 80 ... 82:
		return f->nr_unused ? f->unused[fz_below(r, f->nr_unused)] :
				      UNUSED_REF;
	case 83:
		return UNUSED_REF;
	case 84 ... 88:
		return f->sets[fz_below(r, FZ_SETS)]->refs[fz_below(r, EP_PAGES)];
	case 89 ... 90:
		return f->dirs[fz_below(r, FZ_DIRS)].ref;
	case 91 ... 95:
		ref = 8 + fz_below(r, 8192);
		return fz_is_ring_ref(f, ref) ? UNUSED_REF : ref;
	case 96 ... 98:
		ref = fz_u32(r);
		return ref < 8 || fz_is_ring_ref(f, ref) ? UNUSED_REF : ref;
	default:
		return 0;
	}
}

/* Piece @k of a region drawn from @seed: mostly whole pages */
static struct xen2mx_omx_piece fz_piece(struct x2mrogue_fuzz *f, u64 seed,
					u32 k)
{
	struct fz_rng r = { seed ^ ((u64)k * 0xd1b54a32d192ed03ULL) };
	struct xen2mx_omx_piece p;

	fz_next(&r);
	p.ref = fz_ref(f, &r);
	switch (fz_below(&r, 10)) {
	case 0 ... 5:
		p.offset = 0;
		p.len = XEN_PAGE_SIZE;
		break;
	case 6 ... 8:
		p.offset = fz_below(&r, XEN_PAGE_SIZE);
		p.len = 1 + fz_below(&r, XEN_PAGE_SIZE - p.offset);
		break;
	default:
		p.len = 1 + fz_below(&r, 16);
		p.offset = fz_below(&r, XEN_PAGE_SIZE - p.len + 1);
		break;
	}
	return p;
}

/* ------------------------------------------------------------------------
 * The generator: one request and what it was, drawn from f->gen only.
 */

/* An endpoint index for an endpoint command: mostly one we opened */
static u16 fz_ep(struct x2mrogue_fuzz *f)
{
	struct fz_rng *r = &f->gen;
	unsigned int i, n = 0;
	u16 open[FZ_EPS];

	for (i = 0; i < FZ_EPS; i++)
		if (f->open[i])
			open[n++] = i;
	switch (fz_below(r, 100)) {
	case 0 ... 84:
		if (n)
			return open[fz_below(r, n)];
		fallthrough;
	case 85 ... 94:
		return fz_below(r, FZ_EPS);
	case 95 ... 97:
		return fz_below(r, 16);
	default:
		return fz_chance(r, 500) ? XEN2MX_OMX_NO_ENDPOINT : fz_u32(r);
	}
}

static u16 fz_peer(struct x2mrogue_fuzz *f)
{
	struct fz_rng *r = &f->gen;

	switch (fz_below(r, 10)) {
	case 0 ... 5:
		return f->own_peer;
	case 6 ... 8:
		return fz_below(r, 8);
	default:
		return fz_u32(r);
	}
}

static u8 fz_dest(struct x2mrogue_fuzz *f)
{
	return fz_chance(&f->gen, 900) ? fz_below(&f->gen, FZ_EPS) :
					 fz_u32(&f->gen);
}

static u32 fz_session(struct x2mrogue_fuzz *f, u8 dest)
{
	return fz_chance(&f->gen, 700) ? f->session[dest % FZ_EPS] :
					 fz_u32(&f->gen);
}

static void fz_send_head(struct x2mrogue_fuzz *f, struct omx_cmd_send_head *h)
{
	h->peer_index = fz_peer(f);
	h->dest_endpoint = fz_dest(f);
	h->session = fz_session(f, h->dest_endpoint);
}

/* A region id for @ep in state @state (any id when none is), or anything */
static u32 fz_region_id(struct x2mrogue_fuzz *f, u16 ep, int state)
{
	struct fz_rng *r = &f->gen;
	unsigned int i, n = 0;
	u8 ids[FZ_REGIONS];

	if (ep < FZ_EPS && state >= 0)
		for (i = 0; i < FZ_REGIONS; i++)
			if (f->reg[ep][i].state == state)
				ids[n++] = i;
	switch (fz_below(r, 100)) {
	case 0 ... 79:
		if (n)
			return ids[fz_below(r, n)];
		fallthrough;
	case 80 ... 92:
		return fz_below(r, FZ_REGIONS);
	case 93 ... 97:
		return fz_below(r, OMX_ABI_REGION_MAX + 8);
	default:
		return fz_u32(r);
	}
}

static void fz_forget_regions(struct x2mrogue_fuzz *f, u16 ep)
{
	if (ep < FZ_EPS)
		memset(f->reg[ep], 0, sizeof(f->reg[ep]));
}

/* Control commands: any field, nothing the model follows */
static u32 fz_control(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a)
{
	static const char *const names[] = { "g1:0", "g2:0", "g3:0", "dom0", "" };
	struct fz_rng *r = &f->gen;

	switch (fz_below(r, 12)) {
	case 0:
		return _IOC_NR(OMX_CMD_GET_INFO);
	case 1:
		a->board.board_index = fz_chance(r, 800) ? 0 : fz_u32(r);
		return _IOC_NR(OMX_CMD_GET_BOARD_INFO);
	case 2: case 3:
		a->counters.board_index = fz_chance(r, 600) ? 0 :
			fz_chance(r, 500) ? OMX_ABI_SHARED_BOARD : fz_u32(r);
		a->counters.clear = fz_chance(r, 950) ? 0 : fz_u32(r);
		a->counters.first = fz_chance(r, 800) ? fz_below(r, 90) : fz_u32(r);
		a->counters.count = fz_chance(r, 800) ? 1 + fz_below(r, 44) : fz_u32(r);
		return _IOC_NR(OMX_CMD_GET_COUNTERS);
	case 4:
		a->peer.index = fz_chance(r, 800) ? fz_below(r, 12) : fz_u32(r);
		return _IOC_NR(OMX_CMD_PEER_FROM_INDEX);
	case 5:
		if (fz_chance(r, 500))
			a->peer.addr = 0x020000000100ULL + fz_below(r, 5);
		return _IOC_NR(OMX_CMD_PEER_FROM_ADDR);
	case 6:
		/* A known name, or no NUL in the whole field */
		if (fz_chance(r, 600))
			strscpy(a->peer.hostname, names[fz_below(r, ARRAY_SIZE(names))],
				sizeof(a->peer.hostname));
		else if (fz_chance(r, 500))
			memset(a->peer.hostname, 'a' + fz_below(r, 26),
			       sizeof(a->peer.hostname));
		return _IOC_NR(OMX_CMD_PEER_FROM_HOSTNAME);
	case 7:
		a->epinfo.board_index = fz_chance(r, 800) ? 0 : fz_u32(r);
		a->epinfo.endpoint_index = fz_chance(r, 800) ? fz_below(r, 12) :
							      fz_u32(r);
		return _IOC_NR(OMX_CMD_GET_ENDPOINT_INFO);
	case 8:
		return _IOC_NR(OMX_CMD_GET_PEER_TABLE_STATE);
	case 9:
		return _IOC_NR(fz_chance(r, 500) ? OMX_CMD_SET_PEER_TABLE_STATE :
						    OMX_CMD_PEERS_CLEAR);
	case 10:
		return _IOC_NR(OMX_CMD_SET_HOSTNAME);
	default:
		return _IOC_NR(OMX_CMD_PEER_ADD);
	}
}

static u32 fz_open(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a, u16 *ep,
		   struct fz_meta *m)
{
	struct fz_rng *r = &f->gen;
	bool good = true;
	u16 i;

	i = fz_chance(r, 950) ? fz_below(r, FZ_EPS) : fz_ep(f);
	*ep = i;
	m->ep = i;
	a->open.board_index = 0;
	a->open.endpoint_index = i;
	a->open.nr_pages = EP_PAGES;
	a->open.dir_ref = f->setdir[i % FZ_SETS].ref;
	if (fz_chance(r, 30)) {
		a->open.board_index = fz_u32(r);
		good = false;
	}
	if (fz_chance(r, 30)) {
		a->open.endpoint_index = fz_u32(r);
		good = false;
	}
	if (fz_chance(r, 30)) {
		a->open.nr_pages = fz_u32(r);
		good = false;
	}
	switch (fz_below(r, 100)) {
	case 0 ... 84:
		break;
	case 85 ... 94:
		a->open.dir_ref = f->baddir[fz_below(r, FZ_BAD_DIRS)].ref;
		good = false;
		break;
	default:
		a->open.dir_ref = fz_ref(f, r);
		good = false;
		break;
	}
	if (good && i < FZ_EPS && !f->open[i] && a->open.endpoint_index == i &&
	    a->open.nr_pages == EP_PAGES && !a->open.board_index) {
		f->open[i] = true;
		fz_forget_regions(f, i);
	}
	return _IOC_NR(OMX_CMD_OPEN_ENDPOINT);
}

static u32 fz_send(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a)
{
	struct fz_rng *r = &f->gen;

	switch (fz_below(r, 50)) {
	case 0 ... 11:
		fz_send_head(f, &a->tiny.head);
		a->tiny.length = fz_chance(r, 850) ? fz_below(r, 33) : fz_u32(r);
		return _IOC_NR(OMX_CMD_SEND_TINY);
	case 12 ... 19:
		fz_send_head(f, &a->tiny.head);
		a->tiny.length = fz_chance(r, 850) ? fz_below(r, 129) : fz_u32(r);
		return _IOC_NR(OMX_CMD_SEND_SMALL);
	case 20 ... 29:
		fz_send_head(f, &a->medium.head);
		a->medium.msg_length = fz_chance(r, 700) ? fz_below(r, 65536) :
							   fz_u32(r);
		a->medium.sendq_slot = fz_chance(r, 900) ?
			fz_below(r, OMX_ABI_SENDQ_SLOTS) : fz_u32(r);
		a->medium.frag_length = fz_chance(r, 850) ? fz_below(r, 8193) :
							    fz_u32(r);
		a->medium.frag_seqnum = fz_chance(r, 850) ? fz_below(r, 8) :
							    fz_u32(r);
		return _IOC_NR(OMX_CMD_SEND_MEDIUM_FRAG);
	case 30 ... 35:
		fz_send_head(f, &a->rndv.head);
		a->rndv.msg_length = fz_u32(r);
		a->rndv.rdma_id = fz_chance(r, 800) ? fz_below(r, FZ_REGIONS) :
						      fz_u32(r);
		a->rndv.rdma_offset = fz_chance(r, 800) ? 0 : fz_u32(r);
		return _IOC_NR(OMX_CMD_SEND_RNDV);
	case 36 ... 39:
		a->notify.peer_index = fz_peer(f);
		a->notify.dest_endpoint = fz_dest(f);
		a->notify.session = fz_session(f, a->notify.dest_endpoint);
		a->notify.total_length = fz_u32(r);
		a->notify.rdma_id = fz_below(r, FZ_REGIONS);
		return _IOC_NR(OMX_CMD_SEND_NOTIFY);
	case 40 ... 45:
		a->connect.peer_index = fz_peer(f);
		a->connect.dest_endpoint = fz_dest(f);
		a->connect.is_reply = fz_chance(r, 900) ? fz_below(r, 2) :
							  fz_u32(r);
		a->connect.src_session_id = fz_session(f, fz_below(r, FZ_EPS));
		a->connect.target_session_id =
			fz_session(f, a->connect.dest_endpoint);
		return _IOC_NR(OMX_CMD_SEND_CONNECT);
	default:
		a->liback.peer_index = fz_peer(f);
		a->liback.dest_endpoint = fz_dest(f);
		a->liback.session = fz_session(f, a->liback.dest_endpoint);
		return _IOC_NR(OMX_CMD_SEND_LIBACK);
	}
}

/* CREATE_REGION: the pieces are drawn now, so the length adds up */
static u32 fz_create(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a, u16 ep)
{
	struct fz_rng *r = &f->gen;
	u64 seed = fz_next(r), length = 0;
	bool good = true;
	u32 id, n, k;

	id = fz_region_id(f, ep, FZ_R_NONE);
	switch (fz_below(r, 100)) {
	case 0 ... 1:
		n = 0;
		break;
	case 2 ... 71:
		n = 1 + fz_below(r, 4);
		break;
	case 72 ... 95:
		n = 5 + fz_below(r, 28);
		break;
	case 96 ... 98:
		n = 33 + fz_below(r, PIECES_PER_DIR - 32);
		break;
	default:
		/* Two directory pages; pulls of it are a few MiB: rare. */
		n = fz_chance(r, 500) ? 33 + fz_below(r, PIECES_PER_DIR - 32) :
			PIECES_PER_DIR + 1 + fz_below(r, PIECES_PER_DIR);
		break;
	}
	for (k = 0; k < n; k++)
		length += fz_piece(f, seed, k).len;
	a->region.id = id;
	a->region.writable = fz_below(r, 2);
	a->region.nr_pieces = n;
	a->region.length = length;
	if (fz_chance(r, 30)) {
		a->region.writable = fz_u32(r);
		good = false;
	}
	if (fz_chance(r, 40)) {
		a->region.nr_pieces = fz_u32(r);
		good = false;
	}
	if (fz_chance(r, 40)) {
		a->region.length = fz_chance(r, 500) ? length + fz_u32(r) :
			((u64)fz_u32(r) << 32) | fz_u32(r);
		good = false;
	}
	if (fz_chance(r, 10))
		a->region.reserved = fz_u32(r);	/* ignored */
	if (good && ep < FZ_EPS && f->open[ep] && id < FZ_REGIONS &&
	    f->reg[ep][id].state == FZ_R_NONE) {
		struct fz_region *g = &f->reg[ep][id];

		g->state = n ? FZ_R_BUILDING : FZ_R_READY;
		g->writable = a->region.writable;
		g->n = n;
		g->sent = 0;
		g->length = length;
		g->seed = seed;
	}
	return _IOC_NR(OMX_CMD_CREATE_REGION);
}

/* REGION_PIECES: the next pieces in fresh directory pages, now and then spoilt */
static u32 fz_pieces(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a, u16 ep,
		     struct fz_meta *m)
{
	struct fz_rng *r = &f->gen;
	struct fz_region *g = NULL, junk = { .n = 1 + fz_below(r, 64) };
	u32 id, first, nr, left, i, k, d;
	bool good = true;

	id = fz_region_id(f, ep, FZ_R_BUILDING);
	if (ep < FZ_EPS && id < FZ_REGIONS &&
	    f->reg[ep][id].state == FZ_R_BUILDING)
		g = &f->reg[ep][id];
	if (!g) {
		junk.seed = fz_next(r);
		g = &junk;
		good = false;
	}
	left = g->n - g->sent;
	first = g->sent;
	nr = fz_chance(r, 500) ? left : 1 + fz_below(r, left);
	if (fz_chance(r, 30)) {
		first = fz_u32(r);
		good = false;
	}
	if (fz_chance(r, 30)) {
		nr = fz_u32(r);
		good = false;
	}
	a->pieces.id = id;
	a->pieces.first = first;
	a->pieces.nr_pieces = nr;
	a->pieces.reserved = fz_chance(r, 990) ? 0 : fz_u32(r);
	for (d = 0; d < XEN2MX_OMX_PIECE_DIRS_MAX; d++)
		a->pieces.dir_refs[d] = fz_ref(f, r);
	/* At most two directory pages are written: the rest are refs only. */
	for (d = 0; d < 2 && d * PIECES_PER_DIR < nr; d++) {
		struct xen2mx_omx_piece *dir;
		unsigned int slot = f->next_dir;

		f->next_dir = (f->next_dir + 1) % FZ_DIRS;
		dir = page_address(f->dirs[slot].page);
		/* Past the pieces named, whatever the page held before */
		for (i = 0; i < PIECES_PER_DIR && d * PIECES_PER_DIR + i < nr; i++) {
			k = first + d * PIECES_PER_DIR + i;
			dir[i] = fz_piece(f, g->seed, k);
		}
		if (fz_chance(r, 150)) {
			i = fz_below(r, min_t(u32, nr - d * PIECES_PER_DIR,
					      PIECES_PER_DIR));
			fz_bytes(r, &dir[i], sizeof(dir[i]));
			good = false;
		}
		a->pieces.dir_refs[d] = f->dirs[slot].ref;
		if (fz_chance(r, 30)) {
			a->pieces.dir_refs[d] = fz_ref(f, r);
			good = false;
		}
		m->dirs[m->ndirs++] = slot;
		f->dir_busy[slot] = true;
	}
	if (g != &junk) {
		if (!good) {
			g->state = FZ_R_NONE;	/* forgotten whole, as the backend does */
		} else {
			g->sent += nr;
			if (g->sent == g->n)
				g->state = FZ_R_READY;
		}
	}
	return XEN2MX_OMXC_REGION_PIECES;
}

static u32 fz_destroy(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a, u16 ep)
{
	u32 id = fz_region_id(f, ep, fz_chance(&f->gen, 500) ? FZ_R_READY :
							      FZ_R_BUILDING);

	a->destroy.id = id;
	if (ep < FZ_EPS && id < FZ_REGIONS)
		f->reg[ep][id].state = FZ_R_NONE;
	return _IOC_NR(OMX_CMD_DESTROY_REGION);
}

/* PULL: from a region of one of our endpoints into a writable one */
static u32 fz_pull(struct x2mrogue_fuzz *f, union xen2mx_omx_arg *a, u16 ep)
{
	struct fz_rng *r = &f->gen;
	struct fz_region *local = NULL, *remote = NULL;
	u32 lid, rid;
	u8 dest;
	u64 len;

	lid = fz_region_id(f, ep, FZ_R_READY);
	if (ep < FZ_EPS && lid < FZ_REGIONS &&
	    f->reg[ep][lid].state == FZ_R_READY)
		local = &f->reg[ep][lid];
	dest = fz_chance(r, 800) ? fz_ep(f) : fz_dest(f);
	rid = fz_region_id(f, dest, FZ_R_READY);
	if (dest < FZ_EPS && rid < FZ_REGIONS &&
	    f->reg[dest][rid].state == FZ_R_READY)
		remote = &f->reg[dest][rid];
	len = local ? local->length : 65536;
	if (remote)
		len = min(len, remote->length);
	a->pull.peer_index = fz_peer(f);
	a->pull.dest_endpoint = dest;
	a->pull.session = fz_session(f, dest);
	a->pull.local_region = lid;
	a->pull.remote_rdma_id = rid;
	/* Mostly what both regions hold, seldom more than 64 KiB of it */
	switch (fz_below(r, 20)) {
	case 0 ... 15:
		a->pull.length = 1 + fz_below(r, min_t(u64, len ?: 1, 65536));
		break;
	case 16:
		a->pull.length = len;
		break;
	default:
		a->pull.length = fz_u32(r);
		break;
	}
	a->pull.local_offset = fz_chance(r, 850) ? 0 : fz_u32(r);
	a->pull.remote_rdma_offset = fz_chance(r, 850) ? 0 : fz_u32(r);
	a->pull.remote_rdma_seqnum = fz_u32(r);
	switch (fz_below(r, 20)) {
	case 0 ... 11:
		a->pull.timeout_ms = 50 + fz_below(r, 2000);
		break;
	case 12 ... 15:
		a->pull.timeout_ms = fz_below(r, 50);
		break;
	case 16 ... 18:
		a->pull.timeout_ms = fz_u32(r);
		break;
	default:
		a->pull.timeout_ms = OMX_ABI_WAIT_INFINITE;
		break;
	}
	a->pull.lib_cookie = fz_next(r);
	return _IOC_NR(OMX_CMD_PULL);
}

/* Commands nobody defined, or that never reach the ring */
static u32 fz_unknown(struct x2mrogue_fuzz *f)
{
	static const u32 cmds[] = {
		0x00, 0x0d, 0x0e, 0x0f, 0x1b, 0x1c, 0x1d, 0x20, 0x21, 0x22,
		0x7f, 0x82, 0x83, 0xff, 0x100, 0x8010, 0xffffffff,
	};
	struct fz_rng *r = &f->gen;

	return fz_chance(r, 800) ? cmds[fz_below(r, ARRAY_SIZE(cmds))] :
				   (u32)fz_next(r);
}

/* Argument sizes of the commands, as the backend expects them */
static unsigned int fz_arg_size(u32 cmd)
{
	switch (cmd) {
	case _IOC_NR(OMX_CMD_GET_BOARD_INFO):
		return sizeof(struct omx_cmd_board_info);
	case _IOC_NR(OMX_CMD_GET_COUNTERS):
		return sizeof(struct xen2mx_omx_counters);
	case _IOC_NR(OMX_CMD_PEER_ADD):
	case _IOC_NR(OMX_CMD_PEER_FROM_INDEX):
	case _IOC_NR(OMX_CMD_PEER_FROM_ADDR):
	case _IOC_NR(OMX_CMD_PEER_FROM_HOSTNAME):
		return sizeof(struct omx_cmd_peer);
	case _IOC_NR(OMX_CMD_SET_HOSTNAME):
		return sizeof(struct omx_cmd_set_hostname);
	case _IOC_NR(OMX_CMD_GET_ENDPOINT_INFO):
		return sizeof(struct omx_cmd_endpoint_info);
	case _IOC_NR(OMX_CMD_SET_PEER_TABLE_STATE):
		return sizeof(struct omx_cmd_peer_table_state);
	case _IOC_NR(OMX_CMD_OPEN_ENDPOINT):
		return sizeof(struct xen2mx_omx_open);
	case _IOC_NR(OMX_CMD_SEND_TINY):
	case _IOC_NR(OMX_CMD_SEND_SMALL):
		return sizeof(struct omx_cmd_send_tiny);
	case _IOC_NR(OMX_CMD_SEND_MEDIUM_FRAG):
		return sizeof(struct omx_cmd_send_medium_frag);
	case _IOC_NR(OMX_CMD_SEND_RNDV):
		return sizeof(struct omx_cmd_send_rndv);
	case _IOC_NR(OMX_CMD_SEND_NOTIFY):
		return sizeof(struct omx_cmd_send_notify);
	case _IOC_NR(OMX_CMD_SEND_CONNECT):
		return sizeof(struct omx_cmd_send_connect);
	case _IOC_NR(OMX_CMD_SEND_LIBACK):
		return sizeof(struct omx_cmd_send_liback);
	case _IOC_NR(OMX_CMD_CREATE_REGION):
		return sizeof(struct xen2mx_omx_region);
	case _IOC_NR(OMX_CMD_DESTROY_REGION):
		return sizeof(struct omx_cmd_destroy_region);
	case _IOC_NR(OMX_CMD_PULL):
		return sizeof(struct omx_cmd_pull);
	case XEN2MX_OMXC_REGION_PIECES:
		return sizeof(struct xen2mx_omx_pieces);
	default:
		return 0;
	}
}

/* An XEN2MX_OP_OMX request, mostly well formed */
static void fz_omx(struct x2mrogue_fuzz *f, struct xen2mx_request *req,
		   struct fz_meta *m)
{
	struct fz_rng *r = &f->gen;
	struct xen2mx_omx_hdr hdr = { .endpoint = XEN2MX_OMX_NO_ENDPOINT };
	union xen2mx_omx_arg a;
	u16 ep;

	/* Garbage first: whatever a builder leaves alone is random. */
	fz_bytes(r, &a, sizeof(a));
	switch (m->kind) {
	case FZ_K_CONTROL:
		hdr.cmd = fz_control(f, &a);
		break;
	case FZ_K_OPEN:
		hdr.cmd = fz_open(f, &a, &hdr.endpoint, m);
		break;
	case FZ_K_CLOSE:
		ep = fz_ep(f);
		hdr.cmd = XEN2MX_OMXC_CLOSE_ENDPOINT;
		hdr.endpoint = ep;
		if (ep < FZ_EPS) {
			f->open[ep] = false;
			fz_forget_regions(f, ep);
		}
		break;
	case FZ_K_SEND:
		hdr.endpoint = fz_ep(f);
		hdr.cmd = fz_send(f, &a);
		break;
	case FZ_K_REGION:
		hdr.endpoint = fz_ep(f);
		hdr.cmd = fz_chance(r, 600) ? fz_create(f, &a, hdr.endpoint) :
					      fz_destroy(f, &a, hdr.endpoint);
		break;
	case FZ_K_PIECES:
		hdr.endpoint = fz_ep(f);
		hdr.cmd = fz_pieces(f, &a, hdr.endpoint, m);
		break;
	case FZ_K_PULL:
		hdr.endpoint = fz_ep(f);
		hdr.cmd = fz_pull(f, &a, hdr.endpoint);
		break;
	default:
		hdr.cmd = fz_unknown(f);
		hdr.endpoint = fz_ep(f);
		break;
	}
	if (m->kind == FZ_K_CONTROL && fz_chance(r, 20))
		hdr.endpoint = fz_ep(f);	/* control commands take none */
	if (fz_chance(r, 10))
		hdr.reserved = fz_u32(r);
	req->op = XEN2MX_OP_OMX;
	req->len = XEN2MX_OMX_HDR_SIZE + fz_arg_size(hdr.cmd);
	if (m->kind == FZ_K_UNKNOWN || fz_chance(r, 40))
		req->len = fz_chance(r, 700) ? fz_below(r, XEN2MX_INLINE_MAX + 1) :
					       fz_u32(r);
	if (fz_chance(r, 5))
		req->flags = fz_u32(r);
	if (fz_chance(r, 5))
		req->reserved = fz_u32(r);
	memcpy(req->payload, &hdr, sizeof(hdr));
	memcpy(req->payload + XEN2MX_OMX_HDR_SIZE, &a, XEN2MX_OMX_ARG_MAX);
	m->ep = hdr.endpoint;
}

/*
 * The kind of the next request, drawn by these weights.  What each costs
 * the backend differs a lot: under the test bed's TCG and debug kernel,
 * requests the ring code answers alone went at about 13000/s, sends
 * (a frame built, looped back and delivered) at about 500/s, and an open
 * or close maps or unmaps 785 pages.  The costly kinds are drawn less
 * often, so that a storm of 10^6 fits minutes and still reaches every
 * path tens of thousands of times.
 */
static const u16 fz_weights[FZ_K_NR] = {
	[FZ_K_RAW] = 1300, [FZ_K_HEADER] = 1300, [FZ_K_ECHO] = 1500,
	[FZ_K_STATS] = 200, [FZ_K_CONTROL] = 2000, [FZ_K_OPEN] = 15,
	[FZ_K_CLOSE] = 4, [FZ_K_SEND] = 400, [FZ_K_REGION] = 700,
	[FZ_K_PIECES] = 800, [FZ_K_PULL] = 400, [FZ_K_UNKNOWN] = 1381,
};

static unsigned int fz_pick(struct x2mrogue_fuzz *f, unsigned int mask)
{
	unsigned int total = 0, k, w;

	for (k = 0; k < FZ_K_NR; k++)
		if (mask & BIT(k))
			total += fz_weights[k];
	w = fz_below(&f->gen, total);
	for (k = 0; k < FZ_K_NR - 1; k++) {
		if (!(mask & BIT(k)))
			continue;
		if (w < fz_weights[k])
			break;
		w -= fz_weights[k];
	}
	return k;
}

/* One request, drawn from f->gen; its id is the poster's. */
static void fz_generate(struct x2mrogue_fuzz *f, struct xen2mx_request *req,
			struct fz_meta *m)
{
	static const u8 ops[] = { 0, 1, 2, 3, 4, 5, 0x7f, 0x80, 0xff };
	struct fz_rng *r = &f->gen;

	memset(req, 0, sizeof(*req));
	memset(m, 0, sizeof(*m));
	m->kind = fz_pick(f, f->kinds);
	if (m->kind == FZ_K_RAW) {
		/* A raw slot: every octet random but the id */
		fz_bytes(r, (u8 *)req + sizeof(req->id),
			 sizeof(*req) - sizeof(req->id));
	} else if (m->kind == FZ_K_HEADER) {
		/* A header of any op, flags and length */
		fz_bytes(r, req->payload, sizeof(req->payload));
		req->op = ops[fz_below(r, ARRAY_SIZE(ops))];
		req->flags = fz_chance(r, 500) ? 0 : fz_u32(r);
		req->len = fz_chance(r, 500) ? fz_below(r, XEN2MX_INLINE_MAX + 2) :
					       fz_u32(r);
		req->reserved = fz_chance(r, 800) ? 0 : fz_u32(r);
	} else if (m->kind == FZ_K_ECHO) {
		req->op = XEN2MX_OP_ECHO;
		fz_bytes(r, req->payload, sizeof(req->payload));
		req->len = fz_chance(r, 900) ? fz_below(r, XEN2MX_INLINE_MAX + 1) :
					       fz_u32(r);
		req->flags = fz_chance(r, 700) ? 0 :
			     fz_chance(r, 850) ? XEN2MX_ECHO_VIA_EVENT : fz_u32(r);
	} else if (m->kind == FZ_K_STATS) {
		req->op = XEN2MX_OP_STATS;
		if (fz_chance(r, 100))
			req->len = fz_u32(r);
	} else {
		fz_omx(f, req, m);
	}
	/* The frontend takes an event only for a request that asked for one. */
	m->want_event = req->op == XEN2MX_OP_ECHO &&
			(req->flags & XEN2MX_ECHO_VIA_EVENT);
}

/* ------------------------------------------------------------------------
 * The scribbler: our endpoints' pages rewritten and the channel kicked,
 * all through the storm.
 */
static void fz_poke(struct x2mrogue_fuzz *f, struct x2mrogue_ep *ep,
		    size_t area, size_t size)
{
	struct fz_rng *r = &f->scr;
	size_t off = area + fz_below(r, size);
	size_t len = min_t(size_t, 8 + fz_below(r, 248),
			   PAGE_SIZE - off % PAGE_SIZE);

	fz_bytes(r, page_address(ep->pages[off / PAGE_SIZE]) + off % PAGE_SIZE,
		 len);
}

static void fz_scribble_once(struct x2mrogue_fuzz *f)
{
	struct fz_rng *r = &f->scr;
	struct x2mrogue_ep *ep = f->sets[fz_below(r, FZ_SETS)];
	struct omx_abi_desc *d = x2mrogue_ep_desc(ep);
	u32 *word = (u32 *)d;

	switch (fz_below(r, 100)) {
	case 0 ... 29:
		/* Consume everything: the queues flow again. */
		WRITE_ONCE(d->eventq_cons, READ_ONCE(d->eventq_prod));
		WRITE_ONCE(d->recvq_cons, READ_ONCE(d->recvq_prod));
		break;
	case 30 ... 44:
		WRITE_ONCE(d->eventq_cons, fz_u32(r));
		break;
	case 45 ... 54:
		WRITE_ONCE(d->recvq_cons, fz_u32(r));
		break;
	case 55 ... 64:
		/* What can only read as "full" or as "more than full" */
		WRITE_ONCE(d->eventq_cons, READ_ONCE(d->eventq_prod) +
			   (fz_chance(r, 500) ? 1 + fz_below(r, 1 << 30) :
			    -(OMX_ABI_EVENTQ_SLOTS + fz_below(r, 1 << 30))));
		WRITE_ONCE(d->recvq_cons, READ_ONCE(d->recvq_prod) +
			   (fz_chance(r, 500) ? 1 + fz_below(r, 1 << 30) :
			    -(OMX_ABI_RECVQ_SLOTS + fz_below(r, 1 << 30))));
		break;
	case 65 ... 74:
		WRITE_ONCE(d->armed, fz_chance(r, 900) ? fz_below(r, 2) : fz_u32(r));
		break;
	case 75 ... 79:
		/* Any word of the descriptor, the driver's included */
		WRITE_ONCE(word[fz_below(r, sizeof(*d) / 4)], fz_u32(r));
		break;
	case 80 ... 89:
		fz_poke(f, ep, OMX_ABI_SENDQ_OFFSET, OMX_ABI_SENDQ_SIZE);
		break;
	case 90 ... 93:
		fz_poke(f, ep, OMX_ABI_EVENTQ_OFFSET, OMX_ABI_EVENTQ_SIZE);
		break;
	case 94 ... 97:
		fz_poke(f, ep, OMX_ABI_RECVQ_OFFSET, OMX_ABI_RECVQ_SIZE);
		break;
	default:
		/* Our own notification thresholds (never a producer index) */
		if (fz_chance(r, 500))
			WRITE_ONCE(f->fe->req_ring.sring->rsp_event, fz_u32(r));
		else
			WRITE_ONCE(f->fe->evt_ring.sring->rsp_event, fz_u32(r));
		break;
	}
	f->scribbles++;
}

static int fz_scribbler(void *data)
{
	struct x2mrogue_fuzz *f = data;
	unsigned int i, n;

	while (!kthread_should_stop()) {
		n = 1 + fz_below(&f->scr, 4);
		for (i = 0; i < n; i++)
			fz_scribble_once(f);
		if (!fz_below(&f->scr, 4)) {
			notify_remote_via_irq(f->fe->irq);
			f->kicks++;
		}
		/*
		 * A few hundred rounds a second: enough to race every read the
		 * backend makes, and little enough that the storm keeps g3's
		 * one vCPU (with high-resolution timers a 50 us sleep would let
		 * this thread take most of it).
		 */
		usleep_range(2000, 4000);
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * Set-up and take-down
 */
static void fz_free(struct x2mrogue_fuzz *f, unsigned int *busy)
{
	unsigned int i;

	for (i = 0; i < FZ_SETS; i++) {
		*busy += fz_ungrant(&f->setdir[i]);
		*busy += x2mrogue_ep_free(f->sets[i]);
	}
	for (i = 0; i < FZ_BAD_DIRS; i++)
		*busy += fz_ungrant(&f->baddir[i]);
	for (i = 0; i < FZ_RW; i++)
		*busy += fz_ungrant(&f->rw[i]);
	for (i = 0; i < FZ_RO; i++)
		*busy += fz_ungrant(&f->ro[i]);
	for (i = 0; i < FZ_FOREIGN; i++)
		*busy += fz_ungrant(&f->foreign[i]);
	for (i = 0; i < FZ_DIRS; i++)
		*busy += fz_ungrant(&f->dirs[i]);
	for (i = 0; i < f->nr_unused; i++)
		gnttab_free_grant_reference(f->unused[i]);
	kfree(f->mine);
	kfree(f->meta);
	vfree(f);
}

static struct x2mrogue_fuzz *fz_alloc(struct x2mfront_device *fe, u64 seed)
{
	struct x2mrogue_fuzz *f = vzalloc(sizeof(*f));
	unsigned int i, busy = 0;
	grant_ref_t head;
	u32 *words;
	int err = 0;

	if (!f)
		return NULL;
	f->fe = fe;
	f->domid = fe->dev->otherend_id;
	f->seed = seed;
	f->gen.s = seed;
	f->scr.s = seed ^ 0x5c81bb1e5c81bb1eULL;
	f->mine = kcalloc(fe->ring_slots, sizeof(*f->mine), GFP_KERNEL);
	f->meta = kcalloc(fe->ring_slots, sizeof(*f->meta), GFP_KERNEL);
	words = kcalloc(EP_PAGES, sizeof(*words), GFP_KERNEL);
	if (!f->mine || !f->meta || !words)
		goto fail;
	for (i = 0; i < (1u << fe->ring_page_order); i++) {
		f->ring_refs[f->nr_ring_refs++] = fe->req_refs[i];
		f->ring_refs[f->nr_ring_refs++] = fe->evt_refs[i];
	}
	for (i = 0; i < FZ_SETS && !err; i++) {
		f->sets[i] = x2mrogue_ep_alloc(f->domid, i);
		err = f->sets[i] ? fz_grant(f, &f->setdir[i], f->domid, true) :
				   -ENOMEM;
		if (!err)
			memcpy(page_address(f->setdir[i].page), f->sets[i]->refs,
			       EP_PAGES * sizeof(u32));
	}
	for (i = 0; i < FZ_RW && !err; i++)
		err = fz_grant(f, &f->rw[i], f->domid, false);
	for (i = 0; i < FZ_RO && !err; i++)
		err = fz_grant(f, &f->ro[i], f->domid, true);
	for (i = 0; i < FZ_FOREIGN && !err; i++)
		err = fz_grant(f, &f->foreign[i], OTHER_DOMID, false);
	for (i = 0; i < FZ_DIRS && !err; i++)
		err = fz_grant(f, &f->dirs[i], f->domid, true);
	if (err)
		goto fail;
	/* Endpoint directories that go wrong at a drawn page */
	for (i = 0; i < EP_PAGES; i++)
		words[i] = UNUSED_REF;
	for (i = 0; i < FZ_BAD_DIRS && !err; i++) {
		err = fz_grant(f, &f->baddir[i], f->domid, true);
		if (err)
			break;
		if (i)
			memcpy(words, f->sets[i % FZ_SETS]->refs,
			       EP_PAGES * sizeof(u32));
		if (i == 1)
			words[EP_PAGES - 1] = 0xfffffff0u;
		if (i == 2)
			words[fz_below(&f->gen, EP_PAGES)] = f->ro[0].ref;
		if (i == 3)
			words[fz_below(&f->gen, EP_PAGES)] = f->foreign[0].ref;
		memcpy(page_address(f->baddir[i].page), words,
		       EP_PAGES * sizeof(u32));
	}
	if (err)
		goto fail;
	/* Ended references: taken last, so that nothing reuses them */
	for (i = 0; i < FZ_STALE; i++) {
		struct fz_page p;

		if (fz_grant(f, &p, f->domid, false))
			goto fail;
		f->stale[i] = p.ref;
		fz_ungrant(&p);
	}
	if (!gnttab_alloc_grant_references(FZ_UNUSED, &head)) {
		for (i = 0; i < FZ_UNUSED; i++)
			f->unused[f->nr_unused++] = gnttab_claim_grant_reference(&head);
	}
	kfree(words);
	return f;

fail:
	kfree(words);
	fz_free(f, &busy);
	return NULL;
}

/* ------------------------------------------------------------------------
 * The storm
 */
static void fz_count_status(struct x2mrogue_fuzz *f, s32 status)
{
	unsigned int i;

	for (i = 0; i < FZ_STATUSES; i++) {
		if (f->status[i].count && f->status[i].status == status) {
			f->status[i].count++;
			return;
		}
		if (!f->status[i].count) {
			f->status[i].status = status;
			f->status[i].count = 1;
			return;
		}
	}
	f->status_other++;
}

/* An answer (ring lock held) */
static void fz_done(void *ctx, unsigned int idx,
		    const struct x2mfront_pending *p)
{
	struct x2mrogue_fuzz *f = ctx;
	struct fz_meta *m = &f->meta[idx];
	unsigned int i;

	f->answered++;
	f->in_flight--;
	fz_count_status(f, p->rsp.status);
	for (i = 0; i < m->ndirs; i++)
		f->dir_busy[m->dirs[i]] = false;
	if (m->kind == FZ_K_OPEN && p->rsp.status == 0 && m->ep < FZ_EPS &&
	    p->rsp.len == sizeof(struct omx_cmd_open_endpoint)) {
		struct omx_cmd_open_endpoint o;

		memcpy(&o, p->rsp.payload, sizeof(o));
		f->session[m->ep] = o.session_id;
	}
}

static int fz_reap(struct x2mrogue_fuzz *f)
{
	return x2mrogue_reap(f->fe, f->mine, fz_done, f);
}

/* Wait a little for answers; -ENOTCONN when the device went */
static int fz_wait(struct x2mrogue_fuzz *f)
{
	struct x2mfront_device *fe = f->fe;
	u64 seen = x2mrogue_progress(fe);

	if (!wait_event_timeout(fe->wq, x2mrogue_progress(fe) != seen ||
				!x2mrogue_usable(fe), 2))
		x2mrogue_poll(fe);	/* no interrupt: look anyway */
	return fz_reap(f);
}

/* Two directory pages free for the next request */
static bool fz_dirs_free(struct x2mrogue_fuzz *f)
{
	return !f->dir_busy[f->next_dir] &&
	       !f->dir_busy[(f->next_dir + 1) % FZ_DIRS];
}

static void fz_storm(struct x2mrogue_fuzz *f)
{
	unsigned long start = jiffies, last = jiffies, report = jiffies;
	unsigned long stop = start + (unsigned long)x2mrogue_fuzz_seconds * HZ;
	struct xen2mx_request req;
	struct fz_meta m;
	bool have = false;
	unsigned int idx;
	int n, err;

	f->ended = "done";
	while (f->answered < f->target) {
		while (f->sent < f->target && time_before(jiffies, stop)) {
			if (!have) {
				if (!fz_dirs_free(f))
					break;
				fz_generate(f, &req, &m);
				have = true;
			}
			err = x2mrogue_post(f->fe, &req, m.want_event, &idx);
			if (err == -EAGAIN)
				break;
			if (err) {
				f->ended = "device gone";
				return;
			}
			f->meta[idx] = m;
			f->mine[idx] = true;
			f->in_flight++;
			f->sent++;
			f->by_kind[m.kind]++;
			have = false;
		}
		n = fz_reap(f);
		if (!n)
			n = fz_wait(f);
		if (n < 0) {
			f->ended = "device gone";
			return;
		}
		if (n)
			last = jiffies;
		if (!f->in_flight && (f->sent >= f->target || !time_before(jiffies, stop))) {
			if (f->sent < f->target)
				f->ended = "time limit";
			return;
		}
		if (time_after(jiffies, last + FZ_STALL_S * HZ)) {
			f->ended = "stalled: no answer for 30 s";
			return;
		}
		if (time_after_eq(jiffies, report)) {
			pr_info("fuzz: %llu of %llu requests answered, %u in flight, %u s\n",
				f->answered, f->target, f->in_flight,
				jiffies_to_msecs(jiffies - start) / 1000);
			report = jiffies + FZ_REPORT_S * HZ;
		}
		cond_resched();
	}
}

static void fz_report(struct x2mrogue_fuzz *f, unsigned int ms)
{
	unsigned int i, j;

	x2mrogue_printf("seed: %llu\n", f->seed);
	if (f->kinds != BIT(FZ_K_NR) - 1)
		x2mrogue_printf("kinds drawn: %#x\n", f->kinds);
	x2mrogue_printf("ended: %s\n", f->ended);
	x2mrogue_printf("requests: sent %llu answered %llu in %u ms (%llu/s)\n",
			f->sent, f->answered, ms,
			ms ? div_u64(f->answered * 1000, ms) : 0);
	x2mrogue_printf("kinds:");
	for (i = 0; i < FZ_K_NR; i++)
		x2mrogue_printf(" %s %llu", fz_kind_names[i], f->by_kind[i]);
	x2mrogue_printf("\nstatus:");
	/* In order of status, so that runs compare line by line */
	for (i = 0; i < FZ_STATUSES && f->status[i].count; i++)
		for (j = i + 1; j < FZ_STATUSES && f->status[j].count; j++)
			if (f->status[j].status > f->status[i].status)
				swap(f->status[i], f->status[j]);
	for (i = 0; i < FZ_STATUSES && f->status[i].count; i++)
		x2mrogue_printf(" %d:%llu", f->status[i].status,
				f->status[i].count);
	if (f->status_other)
		x2mrogue_printf(" other:%llu", f->status_other);
	x2mrogue_printf("\nscribbles: %lu, event channel kicks: %lu\n",
			f->scribbles, f->kicks);
}

static u64 fz_seed(void)
{
	u64 seed = READ_ONCE(x2mrogue_fuzz_seed);

	return seed ? seed : get_random_u64() | 1;
}

void x2mrogue_fuzz(struct x2mfront_device *fe)
{
	struct x2mrogue_fuzz *f;
	unsigned int i, busy = 0, open = 0;
	struct omx_cmd_board_info bi = { .board_index = 0 };
	unsigned long start, t;
	s32 status;

	f = fz_alloc(fe, fz_seed());
	if (!f) {
		x2mrogue_printf("not run: no memory or grants for the fuzz pages\n");
		return;
	}
	f->target = READ_ONCE(x2mrogue_fuzz_requests);
	f->kinds = READ_ONCE(x2mrogue_fuzz_kinds) & (BIT(FZ_K_NR) - 1);
	if (!f->kinds)
		f->kinds = BIT(FZ_K_NR) - 1;
	pr_info("fuzz: seed %llu, %llu requests\n", f->seed, f->target);
	/* Our board's peer index: sends and pulls to ourselves */
	if (!x2mrogue_omx(fe, _IOC_NR(OMX_CMD_GET_BOARD_INFO),
			  XEN2MX_OMX_NO_ENDPOINT, &bi, sizeof(bi), &bi, sizeof(bi)))
		f->own_peer = bi.peer_index;

	f->scribbler = kthread_run(fz_scribbler, f, "x2m-fuzz-scr");
	if (IS_ERR(f->scribbler)) {
		x2mrogue_printf("not run: no scribbler (%ld)\n",
				PTR_ERR(f->scribbler));
		fz_free(f, &busy);
		return;
	}
	start = jiffies;
	fz_storm(f);
	kthread_stop(f->scribbler);
	t = jiffies;
	/* The last answers, however the storm ended */
	while (f->in_flight && time_before(jiffies, t + FZ_DRAIN_S * HZ) &&
	       fz_wait(f) >= 0)
		;
	fz_report(f, jiffies_to_msecs(t - start));
	f->unanswered = f->in_flight ? x2mrogue_abandon(fe, f->mine) : 0;
	x2mrogue_printf("unanswered: %u\n", f->unanswered);

	/* Everything closed: the backend must let go of every page. */
	for (i = 0; i < FZ_EPS && x2mrogue_usable(fe); i++) {
		status = x2mrogue_omx(fe, XEN2MX_OMXC_CLOSE_ENDPOINT, i, NULL, 0,
				      NULL, 0);
		if (status == 0)
			open++;
		else if (status != -EBADF)
			x2mrogue_printf("closing endpoint %u: %d\n", i, status);
	}
	x2mrogue_printf("endpoints closed at the end: %u\n", open);
	fz_free(f, &busy);
	x2mrogue_printf("left in use by dom0: %u\n", busy);
	pr_info("fuzz: done\n");
}

/* ------------------------------------------------------------------------
 * fuzz-ring: a producer index game; the device must go down for it.
 */
static const char *const fz_games[] = {
	"request producer ahead", "request producer behind",
	"event credit producer ahead",
};

void x2mrogue_fuzz_ring(struct x2mfront_device *unused)
{
	struct x2mrogue_region *r = NULL;
	struct x2mfront_device *fe;
	struct x2mrogue_ep *ep;
	struct xen2mx_request req = {
		.op = XEN2MX_OP_ECHO,
		.flags = XEN2MX_ECHO_VIA_EVENT,
	};
	unsigned int mapped = 0, game, idx, size;
	u64 seed = fz_seed();
	struct fz_rng rng = { seed ^ 0x7269616e67ULL };
	unsigned long flags;
	RING_IDX prod = 0;
	u32 far;

	fe = x2mfront_get_default();
	if (!fe) {
		x2mrogue_printf("not run: no connected device\n");
		return;
	}
	x2mrogue_printf("seed: %llu\n", seed);
	game = fz_below(&rng, ARRAY_SIZE(fz_games));
	far = fz_below(&rng, 1u << 31);
	/* Something for the teardown to release: an endpoint, two regions */
	ep = x2mrogue_ep_alloc(fe->dev->otherend_id, 0);
	if (ep)
		r = x2mrogue_region_alloc(fe->dev->otherend_id, 1, false, 2);
	if (ep && r) {
		x2mrogue_result(x2mrogue_ep_open(fe, ep));
		x2mrogue_result(x2mrogue_region_send(fe, ep, r));
		x2mrogue_result(x2mrogue_region_create(fe, ep, 2, true, 3,
						       3 * XEN_PAGE_SIZE));
	} else {
		x2mrogue_result(-ENOMEM);
	}

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (fe->pending) {
		size = RING_SIZE(&fe->req_ring);
		switch (game) {
		case 0:
			prod = READ_ONCE(fe->req_ring.sring->rsp_prod) + size +
			       1 + far % (0x80000000u - size);
			virt_wmb();
			WRITE_ONCE(fe->req_ring.sring->req_prod, prod);
			break;
		case 1:
			prod = READ_ONCE(fe->req_ring.sring->rsp_prod) - 1 - far;
			virt_wmb();
			WRITE_ONCE(fe->req_ring.sring->req_prod, prod);
			break;
		default:
			prod = READ_ONCE(fe->evt_ring.sring->rsp_prod) + size +
			       1 + far % (0x80000000u - size);
			virt_wmb();
			WRITE_ONCE(fe->evt_ring.sring->req_prod, prod);
			break;
		}
	}
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	/* The backend looks at the credits when an event is due. */
	if (game == 2 && !x2mrogue_post(fe, &req, true, &idx))
		x2mrogue_abandon_one(fe, idx);
	notify_remote_via_irq(fe->irq);
	x2mrogue_printf("game: %s\n", fz_games[game]);
	x2mrogue_printf("producer: %u\n", prod);
	x2mfront_put(fe);

	x2mrogue_await_shutdown(r, ep, mapped);
}
