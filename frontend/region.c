// SPDX-License-Identifier: GPL-2.0-only
/*
 * region.c - the user buffers of large messages, pinned and granted.
 *
 * A region (OMX_CMD_CREATE_REGION) is up to OMX_ABI_REGION_SEGS_MAX user
 * segments.  Its pages are pinned for the region's life and each is
 * granted to the backend (read-write only for a receive buffer); the
 * backend never maps them, it moves data with grant copy.  It learns the
 * region as a list of pieces, one per page a segment touches (a partial
 * first page, full pages, a partial last page), sent in directory pages
 * after CREATE_REGION (xen2mx_proto.h "Large messages").  Piece i is
 * always pages[i], refs[i].
 *
 * Ending the grants never frees a user page: if the backend is copying at
 * that moment, Xen's deferred release holds a page reference of its own.
 */
#include "common.h"
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* Pages one endpoint may keep pinned, as in dom0: 1 GiB. */
#define X2MFRONT_PINNED_PAGES_MAX	(1UL << (30 - PAGE_SHIFT))

struct x2mfront_region {
	u32 id;
	bool writable;
	unsigned int nr_pages;		/* = pieces = grants, when complete */
	unsigned int nr_pinned;
	unsigned int nr_granted;
	struct page **pages;
	grant_ref_t *refs;
};

/* Walks the pieces of a segment list in order. */
struct x2mfront_piece_iter {
	const struct omx_abi_seg *segs;
	u32 nseg;
	u32 seg;
	u64 done;			/* octets of segs[seg] already walked */
};

static void x2mfront_piece_next(struct x2mfront_piece_iter *it,
				struct xen2mx_omx_piece *piece)
{
	const struct omx_abi_seg *s;
	u64 addr;

	/* Zero-length segments, and finished ones, give nothing. */
	while (it->segs[it->seg].len == it->done) {
		it->seg++;
		it->done = 0;
	}
	s = &it->segs[it->seg];
	addr = s->vaddr + it->done;
	piece->offset = offset_in_page(addr);
	piece->len = min_t(u64, PAGE_SIZE - piece->offset, s->len - it->done);
	it->done += piece->len;
}

static unsigned int x2mfront_seg_pages(const struct omx_abi_seg *s)
{
	if (!s->len)
		return 0;
	return (PAGE_ALIGN(s->vaddr + s->len) - (s->vaddr & PAGE_MASK)) >>
	       PAGE_SHIFT;
}

/* The checks dom0 makes on a segment list; the total in pages. */
static int x2mfront_segs_check(const struct omx_abi_seg *segs, u32 nseg,
			       u64 *length, unsigned int *nr_pages)
{
	u32 i;

	*length = 0;
	*nr_pages = 0;
	for (i = 0; i < nseg; i++) {
		const struct omx_abi_seg *s = &segs[i];

		if (s->len > U32_MAX || s->vaddr + s->len < s->vaddr ||
		    !access_ok(u64_to_user_ptr(s->vaddr), s->len))
			return -EINVAL;
		*length += s->len;
		*nr_pages += x2mfront_seg_pages(s);
	}
	return *length > U32_MAX ? -EINVAL : 0;
}

static void x2mfront_region_release(struct x2mfront_region *r)
{
	unsigned int i;

	for (i = 0; i < r->nr_granted; i++)
		gnttab_end_foreign_access(r->refs[i], NULL);
	if (r->nr_pinned)
		unpin_user_pages_dirty_lock(r->pages, r->nr_pinned, r->writable);
	kvfree(r->pages);
	kvfree(r->refs);
	kfree(r);
}

static struct x2mfront_region *x2mfront_region_alloc(u32 id, bool writable,
						     unsigned int nr_pages)
{
	struct x2mfront_region *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->id = id;
	r->writable = writable;
	r->nr_pages = nr_pages;
	r->pages = kvmalloc_array(max(nr_pages, 1U), sizeof(*r->pages),
				  GFP_KERNEL);
	r->refs = kvmalloc_array(max(nr_pages, 1U), sizeof(*r->refs),
				 GFP_KERNEL);
	if (!r->pages || !r->refs) {
		x2mfront_region_release(r);
		return NULL;
	}
	return r;
}

/* Pin every page the segments touch, in piece order, and grant each. */
static int x2mfront_region_pin(struct x2mfront_region *r, domid_t domid,
			       const struct omx_abi_seg *segs, u32 nseg)
{
	unsigned int gup = FOLL_LONGTERM | (r->writable ? FOLL_WRITE : 0);
	u32 i;
	int ref;

	for (i = 0; i < nseg; i++) {
		unsigned int n = x2mfront_seg_pages(&segs[i]);
		int pinned;

		if (!n)
			continue;
		pinned = pin_user_pages_fast(segs[i].vaddr & PAGE_MASK, n, gup,
					     r->pages + r->nr_pinned);
		if (pinned > 0)
			r->nr_pinned += pinned;
		if (pinned != n)
			return pinned < 0 ? pinned : -EFAULT;
	}
	for (i = 0; i < r->nr_pages; i++) {
		ref = gnttab_grant_foreign_access(domid,
						  xen_page_to_gfn(r->pages[i]),
						  !r->writable);
		if (ref < 0)
			return ref;
		r->refs[i] = ref;
		r->nr_granted++;
	}
	return 0;
}

/*
 * One REGION_PIECES request: pieces first .. first + n - 1 in directory
 * pages granted read-only; the pages go once the backend answered.
 */
static int x2mfront_region_send_pieces(struct x2mfront_endpoint *ep,
				       struct x2mfront_region *r,
				       struct x2mfront_piece_iter *it,
				       unsigned int first, unsigned int n)
{
	struct page *dirs[XEN2MX_OMX_PIECE_DIRS_MAX];
	struct xen2mx_omx_pieces arg = {
		.id = r->id,
		.first = first,
		.nr_pieces = n,
	};
	unsigned int ndirs = 0, i;
	int ref, err = 0;

	while (ndirs * XEN2MX_OMX_PIECES_PER_PAGE < n) {
		struct xen2mx_omx_piece *dir;
		unsigned int base = ndirs * XEN2MX_OMX_PIECES_PER_PAGE;
		unsigned int cnt = min(n - base, XEN2MX_OMX_PIECES_PER_PAGE);
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page) {
			err = -ENOMEM;
			break;
		}
		dir = page_address(page);
		for (i = 0; i < cnt; i++) {
			dir[i].ref = r->refs[first + base + i];
			x2mfront_piece_next(it, &dir[i]);
		}
		ref = gnttab_grant_foreign_access(ep->domid,
						  xen_page_to_gfn(page), 1);
		if (ref < 0) {
			__free_page(page);
			err = ref;
			break;
		}
		dirs[ndirs] = page;
		arg.dir_refs[ndirs++] = ref;
	}
	if (!err)
		err = x2mfront_omx_call(ep->fe, XEN2MX_OMXC_REGION_PIECES,
					ep->index, &arg, sizeof(arg), NULL, 0);
	for (i = 0; i < ndirs; i++)
		gnttab_end_foreign_access(arg.dir_refs[i], dirs[i]);
	return err;
}

/* CREATE_REGION, then its pieces; on failure the backend forgets it. */
static int x2mfront_region_send(struct x2mfront_endpoint *ep,
				struct x2mfront_region *r, u64 length,
				const struct omx_abi_seg *segs, u32 nseg)
{
	struct xen2mx_omx_region arg = {
		.id = r->id,
		.writable = r->writable,
		.nr_pieces = r->nr_pages,
		.length = length,
	};
	struct x2mfront_piece_iter it = { .segs = segs, .nseg = nseg };
	struct omx_cmd_destroy_region destroy = { .id = r->id };
	unsigned int first, n;
	int err;

	err = x2mfront_omx_call(ep->fe, _IOC_NR(OMX_CMD_CREATE_REGION),
				ep->index, &arg, sizeof(arg), NULL, 0);
	/* A clean refusal leaves nothing behind; anything else may have. */
	if (err && err != -ERESTARTSYS && err != -EIO)
		return err;
	for (first = 0; !err && first < r->nr_pages; first += n) {
		n = min(r->nr_pages - first,
			XEN2MX_OMX_PIECE_DIRS_MAX * XEN2MX_OMX_PIECES_PER_PAGE);
		err = x2mfront_region_send_pieces(ep, r, &it, first, n);
	}
	if (err)
		x2mfront_omx_call_nointr(ep->fe, _IOC_NR(OMX_CMD_DESTROY_REGION),
					 ep->index, &destroy, sizeof(destroy));
	return err;
}

int x2mfront_region_create(struct x2mfront_endpoint *ep,
			   const struct omx_cmd_create_region *cmd)
{
	struct x2mfront_device *fe;
	struct x2mfront_region *r;
	struct omx_abi_seg *segs;
	unsigned int nr_pages;
	u64 length;
	int err;

	if (cmd->id >= OMX_ABI_REGION_MAX ||
	    cmd->nseg > OMX_ABI_REGION_SEGS_MAX || cmd->writable > 1)
		return -EINVAL;
	segs = kmalloc_array(max(cmd->nseg, 1U), sizeof(*segs), GFP_KERNEL);
	if (!segs)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(segs, u64_to_user_ptr(cmd->segs),
			   cmd->nseg * sizeof(*segs)))
		goto free_segs;
	err = x2mfront_segs_check(segs, cmd->nseg, &length, &nr_pages);
	if (err)
		goto free_segs;

	err = -ESHUTDOWN;
	fe = x2mfront_endpoint_get_device(ep);
	if (!fe)
		goto free_segs;
	mutex_lock(&ep->region_lock);
	err = -EBUSY;
	if (ep->regions[cmd->id])
		goto unlock;
	/* What the backend would refuse anyway, before pinning any of it. */
	err = -ENOSPC;
	if (nr_pages > fe->omx_max_grants ||
	    ep->pinned_pages + nr_pages > X2MFRONT_PINNED_PAGES_MAX)
		goto unlock;
	err = -ENOMEM;
	r = x2mfront_region_alloc(cmd->id, cmd->writable, nr_pages);
	if (!r)
		goto unlock;
	err = x2mfront_region_pin(r, ep->domid, segs, cmd->nseg);
	if (!err)
		err = x2mfront_region_send(ep, r, length, segs, cmd->nseg);
	if (err) {
		x2mfront_region_release(r);
		goto unlock;
	}
	ep->regions[cmd->id] = r;
	ep->pinned_pages += nr_pages;
unlock:
	mutex_unlock(&ep->region_lock);
	err = x2mfront_endpoint_errno(fe, err);
	x2mfront_put(fe);
free_segs:
	kfree(segs);
	return err;
}

/*
 * The backend destroys its side first (a pull in progress then fails
 * there, not on a page we already took back).  Ours goes whatever the
 * answer: a dead endpoint's regions are only ours, and a killed caller
 * sent the command anyway, which the backend carries out in order.
 */
int x2mfront_region_destroy(struct x2mfront_endpoint *ep, u32 id)
{
	struct omx_cmd_destroy_region arg = { .id = id };
	struct x2mfront_device *fe;
	struct x2mfront_region *r;
	int err = 0;

	if (id >= OMX_ABI_REGION_MAX)
		return -EINVAL;
	/* conn_sem before region_lock, as in x2mfront_region_create() */
	fe = x2mfront_endpoint_get_device(ep);
	mutex_lock(&ep->region_lock);
	r = ep->regions[id];
	if (!r) {
		mutex_unlock(&ep->region_lock);
		if (fe)
			x2mfront_put(fe);
		return -ENOENT;
	}
	if (fe) {
		err = x2mfront_omx_call(fe, _IOC_NR(OMX_CMD_DESTROY_REGION),
					ep->index, &arg, sizeof(arg), NULL, 0);
		err = x2mfront_endpoint_errno(fe, err);
	}
	ep->regions[id] = NULL;
	ep->pinned_pages -= r->nr_pages;
	mutex_unlock(&ep->region_lock);
	if (fe)
		x2mfront_put(fe);
	x2mfront_region_release(r);
	/* Gone on both sides, as far as the library can tell. */
	return err == -ESHUTDOWN || err == -ENOENT ? 0 : err;
}

/* The endpoint is closed (the backend dropped its regions): ours go. */
void x2mfront_regions_free(struct x2mfront_endpoint *ep)
{
	unsigned int i;

	mutex_lock(&ep->region_lock);
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		if (ep->regions[i]) {
			x2mfront_region_release(ep->regions[i]);
			ep->regions[i] = NULL;
		}
	}
	ep->pinned_pages = 0;
	mutex_unlock(&ep->region_lock);
}
