// SPDX-License-Identifier: GPL-2.0-only
/*
 * region_grant.c - a guest's large-message regions: pieces of granted
 * pages that the pull engine reads and writes with grant copy.
 *
 * The backend never maps a region: each PULL_REPLY frame is filled from,
 * or emptied into, the guest's pages by one batch of GNTTABOP_copy
 * operations between the socket buffer and the granted pieces.  That is
 * one copy per octet, no mapping, no TLB flush, and the hypervisor checks
 * every reference, so a guest can only name memory it granted to us.
 *
 * What a frame may cost is bounded three ways (ring-protocol.md, "Worst-
 * case cost"), because it is paid in softirq under the endpoint's lock:
 * - the shape of a region: a piece may end before its page does, or the
 *   next one start past offset 0, only where the guest's user segments
 *   meet, so at most OMX_ABI_REGION_SEGS_MAX - 1 times per region.  The
 *   honest frontend sends exactly that (a partial first page, full pages,
 *   a partial last page per segment); 1-octet pieces are refused;
 * - a cap on the copy operations of one frame, which that shape never
 *   reaches (checked anyway, before any hypercall);
 * - a per-guest budget of copy operations per second: past it a frame is
 *   dropped before it counts (the pull's recovery asks for it again).
 */
#include "common.h"
#include "omx_wire.h"
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <xen/page.h>

/* Places where a region's pieces are not page-contiguous (see above) */
#define X2M_GREGION_BREAKS_MAX	XEN2MX_OMX_REGION_BREAKS_MAX
static_assert(X2M_GREGION_BREAKS_MAX == OMX_ABI_REGION_SEGS_MAX - 1,
	      "a break where two user segments meet");

/*
 * The largest frame payload (PULL_REPLY at MTU 9000), and what it can
 * cost with that shape: one operation, plus one more at each point where
 * a piece ends or the socket buffer crosses a page.  In @len octets the
 * buffer crosses at most ceil((len - 1) / 4096) pages; between two piece
 * ends that are both page-contiguous lies a whole page, so at most
 * 1 + 2 x breaks + (len - 2) / 4096 pieces end inside the frame.
 */
#define X2M_GCOPY_FRAME_LEN	OMX_WIRE_9000_PULL_REPLY_MAX
#define X2M_GCOPY_FRAME_OPS_MAX						\
	(2 + DIV_ROUND_UP(X2M_GCOPY_FRAME_LEN - 1, XEN_PAGE_SIZE) +	\
	 (X2M_GCOPY_FRAME_LEN - 2) / XEN_PAGE_SIZE + 2 * X2M_GREGION_BREAKS_MAX)
static_assert(X2M_GCOPY_FRAME_OPS_MAX == 517, "ring-protocol.md says 517");

/* The budget's burst: this many milliseconds of copy_budget */
#define X2M_COPY_BURST_MS	20

struct x2mback_gpiece {
	u64 start;			/* offset of the piece in the region */
	grant_ref_t ref;
	u16 offset;
	u16 len;
};

struct x2mback_gregion {
	struct x2mback_device *be;
	struct x2mback_gendpoint *gep;	/* its endpoint (copy_ops) */
	u32 id;
	bool writable;
	u64 length;			/* announced; the pieces add up to it */
	u32 nr;				/* pieces announced */
	u32 filled;			/* pieces received so far */
	u32 breaks;			/* see X2M_GREGION_BREAKS_MAX */
	u64 next_start;
	struct x2mback_gpiece *pieces;
};

struct x2mback_gregion *x2mback_gregion_alloc(struct x2mback_device *be,
					      struct x2mback_gendpoint *gep,
					      u32 id, bool writable,
					      u32 nr_pieces, u64 length)
{
	struct x2mback_gregion *g;

	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return NULL;
	g->pieces = kvmalloc_array(max(nr_pieces, 1U), sizeof(*g->pieces),
				   GFP_KERNEL);
	if (!g->pieces) {
		kfree(g);
		return NULL;
	}
	g->be = be;
	g->gep = gep;
	g->nr = nr_pieces;
	g->id = id;
	g->writable = writable;
	g->length = length;
	return g;
}

/*
 * Does the region stop being page-contiguous between @prev and @next: a
 * piece that ends before its page does, or one that starts past offset 0?
 */
static bool x2mback_gpiece_break(const struct x2mback_gpiece *prev,
				 const struct xen2mx_omx_piece *next)
{
	return prev->offset + prev->len != XEN_PAGE_SIZE || next->offset;
}

/*
 * Append pieces @first.. of @r.  Every piece must lie in one page, the
 * region may break page contiguity at most X2M_GREGION_BREAKS_MAX times,
 * and the pieces must add up to the announced length, exactly, at the end.
 */
int x2mback_gregion_fill(struct x2mback_gregion *g, u32 first,
			 const struct xen2mx_omx_piece *pieces, u32 nr)
{
	u32 i;

	if (first != g->filled || nr > g->nr - g->filled)
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		struct xen2mx_omx_piece p = pieces[i];	/* one read of each */
		struct x2mback_gpiece *d = &g->pieces[g->filled + i];

		if (!p.len || p.len > XEN_PAGE_SIZE ||
		    p.offset > XEN_PAGE_SIZE - p.len || !p.ref)
			return -EINVAL;
		if (g->next_start + p.len > g->length)
			return -EINVAL;
		if (g->filled + i && x2mback_gpiece_break(d - 1, &p) &&
		    ++g->breaks > X2M_GREGION_BREAKS_MAX)
			return -EINVAL;
		d->start = g->next_start;
		d->ref = p.ref;
		d->offset = p.offset;
		d->len = p.len;
		g->next_start += p.len;
	}
	g->filled += nr;
	if (g->filled == g->nr && g->next_start != g->length)
		return -EINVAL;
	return 0;
}

bool x2mback_gregion_complete(const struct x2mback_gregion *g)
{
	return g->filled == g->nr;
}

void x2mback_gregion_free(struct x2mback_gregion *g)
{
	x2mback_grants_release(g->be, g->nr);
	kvfree(g->pieces);
	kfree(g);
}

/* The piece holding region offset @offset (which is < the length). */
static u32 x2mback_gpiece_find(const struct x2mback_gregion *g, u64 offset)
{
	u32 lo = 0, hi = g->nr;

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (g->pieces[mid].start <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int x2mback_gcopy_flush(struct x2mback_device *be,
			       struct gnttab_copy *ops, unsigned int n)
{
	unsigned int i;
	int err;

	if (!n)
		return 0;
	err = be->ops->grant_copy(be, ops, n);
	atomic64_inc(&be->stats.copy_calls);
	atomic64_add(n, &be->stats.copy_ops);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		if (ops[i].status != GNTST_okay)
			return -EFAULT;
		atomic64_add(ops[i].len, &be->stats.copy_bytes);
	}
	return 0;
}

/*
 * A walk over the copy operations of @len octets between region offset
 * @offset and the buffer @buf: each ends where a piece or a page of the
 * buffer does.  One walk counts them, the next one builds them.
 */
struct x2mback_gcopy_walk {
	u64 offset;
	void *buf;
	u32 len;			/* left */
	u32 i;				/* the piece holding offset */
};

/* The next operation's length (0 at the end); the walk moves past it. */
static u32 x2mback_gcopy_next(const struct x2mback_gregion *g,
			      struct x2mback_gcopy_walk *w)
{
	const struct x2mback_gpiece *p;
	u32 in_piece, chunk;

	if (!w->len)
		return 0;
	p = &g->pieces[w->i];
	in_piece = w->offset - p->start;
	chunk = min3(w->len, (u32)p->len - in_piece,
		     (u32)(XEN_PAGE_SIZE - xen_offset_in_page(w->buf)));
	w->buf += chunk;
	w->len -= chunk;
	w->offset += chunk;
	if (in_piece + chunk == p->len)
		w->i++;
	return chunk;
}

/* Spends @ops operations of @be's budget; it may go into debt. */
static void x2mback_copy_budget_spend(struct x2mback_device *be,
				      unsigned int ops)
{
	if (!READ_ONCE(be->omx_cfg.copy_budget))
		return;
	spin_lock_bh(&be->copy_bucket.lock);
	be->copy_bucket.tokens -= (s64)ops * HZ;
	spin_unlock_bh(&be->copy_bucket.lock);
}

/*
 * Copy @len octets between the kernel buffer @buf (linear memory: a
 * socket buffer's data) and region @priv at @offset, already range-
 * checked (omx_region_ops.copy).  Runs under the endpoint's lock, which
 * also makes it the only user of the endpoint's copy_ops: it never
 * sleeps.  A copy
 * that would cost more than X2M_GCOPY_FRAME_OPS_MAX operations is refused
 * (-E2BIG) before any; the budget is charged, never checked, here: it was
 * checked before the frame was accepted (x2mback_gregion_admit()).
 */
static int x2mback_gregion_copy(void *priv, u64 offset, void *buf, u32 len,
				bool to_region)
{
	struct x2mback_gregion *g = priv;
	struct gnttab_copy *ops = g->gep->copy_ops;
	domid_t domid = g->be->domid;
	struct x2mback_gcopy_walk w;
	unsigned int n = 0, total = 0;
	u32 chunk;
	int err;

	if (g->filled != g->nr)
		return -EINVAL;
	if (!len)
		return 0;
	w = (struct x2mback_gcopy_walk){ offset, buf, len,
					 x2mback_gpiece_find(g, offset) };
	while (x2mback_gcopy_next(g, &w))
		if (++total > X2M_GCOPY_FRAME_OPS_MAX)
			return -E2BIG;
	x2mback_copy_budget_spend(g->be, total);

	w = (struct x2mback_gcopy_walk){ offset, buf, len,
					 x2mback_gpiece_find(g, offset) };
	while (w.len) {
		const struct x2mback_gpiece *p = &g->pieces[w.i];
		u32 in_piece = w.offset - p->start;
		void *at = w.buf;
		struct gnttab_copy *op = &ops[n++];

		chunk = x2mback_gcopy_next(g, &w);
		memset(op, 0, sizeof(*op));
		op->len = chunk;
		if (to_region) {
			op->source.domid = DOMID_SELF;
			op->source.u.gmfn = virt_to_gfn(at);
			op->source.offset = xen_offset_in_page(at);
			op->dest.domid = domid;
			op->dest.u.ref = p->ref;
			op->dest.offset = p->offset + in_piece;
			op->flags = GNTCOPY_dest_gref;
		} else {
			op->source.domid = domid;
			op->source.u.ref = p->ref;
			op->source.offset = p->offset + in_piece;
			op->dest.domid = DOMID_SELF;
			op->dest.u.gmfn = virt_to_gfn(at);
			op->dest.offset = xen_offset_in_page(at);
			op->flags = GNTCOPY_source_gref;
		}
		if (n == X2MBACK_GCOPY_BATCH) {
			err = x2mback_gcopy_flush(g->be, ops, n);
			if (err)
				return err;
			n = 0;
		}
	}
	return x2mback_gcopy_flush(g->be, ops, n);
}

/* A full bucket, as at connection time. */
void x2mback_copy_budget_reset(struct x2mback_device *be)
{
	struct x2mback_copy_bucket *b = &be->copy_bucket;
	u64 rate = READ_ONCE(be->omx_cfg.copy_budget);

	spin_lock_init(&b->lock);
	b->tokens = max_t(s64, rate * X2M_COPY_BURST_MS / MSEC_PER_SEC, 1) * HZ;
	b->stamp = jiffies;
}

/*
 * May a frame of region @priv be copied now (omx_region_ops.admit)?
 * Refills its guest's bucket for the time gone by (at most a burst) and
 * answers whether it holds any token; if not the caller drops the frame,
 * counted here.  Softirq, under the endpoint's lock, before the frame
 * counts as received.
 */
static bool x2mback_gregion_admit(void *priv)
{
	struct x2mback_device *be = ((struct x2mback_gregion *)priv)->be;
	struct x2mback_copy_bucket *b = &be->copy_bucket;
	u64 rate = READ_ONCE(be->omx_cfg.copy_budget);
	unsigned long now = jiffies;
	bool ok;

	if (!rate)
		return true;
	spin_lock_bh(&b->lock);
	/* A stamp in the future (KUnit sets one) refills nothing. */
	if (time_after(now, b->stamp)) {
		s64 full = max_t(s64, rate * X2M_COPY_BURST_MS / MSEC_PER_SEC,
				 1) * HZ;
		unsigned long dt = min(now - b->stamp, (unsigned long)HZ);

		b->tokens = min_t(s64, b->tokens + (s64)(dt * rate), full);
		b->stamp = now;
	}
	ok = b->tokens > 0;
	spin_unlock_bh(&b->lock);
	if (!ok)
		atomic64_inc(&be->stats.copy_budget_drops);
	return ok;
}

/* The region left its endpoint (omx_region_ops.release). */
static void x2mback_gregion_release(void *priv)
{
	x2mback_gregion_free(priv);
}

static const struct omx_region_ops x2mback_gregion_ops = {
	.admit = x2mback_gregion_admit,
	.copy = x2mback_gregion_copy,
	.release = x2mback_gregion_release,
};

/*
 * The region is complete: hand it to the engine as region g->id of @ep,
 * from now on the engine's to release.  On error it stays the caller's.
 */
int x2mback_gregion_attach(struct x2mback_gregion *g, struct omx_endpoint *ep)
{
	return omx_region_attach(ep, g->id, g->writable, g->length,
				 &x2mback_gregion_ops, g);
}

/* Read the first @len octets of the guest page @ref (a directory). */
int x2mback_grant_read(struct x2mback_device *be, grant_ref_t ref,
		       void *buf, unsigned int len)
{
	struct gnttab_copy op = {
		.source.u.ref = ref,
		.source.domid = be->domid,
		.dest.domid = DOMID_SELF,
		.len = len,
		.flags = GNTCOPY_source_gref,
	};

	/* @buf is one kmalloc'd page: never crosses a page boundary. */
	if (len > XEN_PAGE_SIZE - xen_offset_in_page(buf))
		return -EINVAL;
	op.dest.u.gmfn = virt_to_gfn(buf);
	op.dest.offset = xen_offset_in_page(buf);
	return x2mback_gcopy_flush(be, &op, 1);
}
