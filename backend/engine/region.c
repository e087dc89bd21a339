// SPDX-License-Identifier: GPL-2.0-only
/*
 * region.c - user buffers of large messages, pinned for the pull engine.
 *
 * The library registers the buffer of every large send (read by remote
 * PULLs) and large receive (written by PULL_REPLYs) as a region of up to
 * OMX_ABI_REGION_SEGS_MAX segments.  Its pages are pinned once, at
 * creation, so the receive path can copy from and to them in softirq with
 * kmap_local_page() and no page-table walk; they are unpinned (and marked
 * dirty if written) when the region is destroyed or the endpoint closes.
 */
#include "omx_engine.h"
#include <linux/export.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* Pages one endpoint may keep pinned: 1 GiB, enough for 64 x 16 MiB. */
#define OMX_PINNED_PAGES_MAX	(1UL << (30 - PAGE_SHIFT))

static void omx_region_unpin(struct omx_region *r)
{
	unsigned int i;

	for (i = 0; i < r->nseg; i++) {
		struct omx_region_seg *s = &r->segs[i];

		if (s->pages) {
			unpin_user_pages_dirty_lock(s->pages, s->nr_pages,
						    r->writable);
			kvfree(s->pages);
		}
	}
	kfree(r->segs);
	kfree(r);
}

static int omx_region_pin_seg(struct omx_region_seg *s, bool writable)
{
	unsigned long start = s->vaddr & PAGE_MASK;
	unsigned long end = PAGE_ALIGN(s->vaddr + s->len);
	unsigned int gup = FOLL_LONGTERM | (writable ? FOLL_WRITE : 0);
	int pinned;

	s->first_page_offset = offset_in_page(s->vaddr);
	s->nr_pages = (end - start) >> PAGE_SHIFT;
	if (!s->nr_pages)
		return 0;
	s->pages = kvmalloc_array(s->nr_pages, sizeof(*s->pages), GFP_KERNEL);
	if (!s->pages)
		return -ENOMEM;
	pinned = pin_user_pages_fast(start, s->nr_pages, gup, s->pages);
	if (pinned == s->nr_pages)
		return 0;
	if (pinned > 0)
		unpin_user_pages(s->pages, pinned);
	kvfree(s->pages);
	s->pages = NULL;
	return pinned < 0 ? pinned : -EFAULT;
}

int omx_region_create(struct omx_endpoint *ep,
		      const struct omx_cmd_create_region *cmd)
{
	struct omx_abi_seg __user *usegs = u64_to_user_ptr(cmd->segs);
	struct omx_region *r;
	unsigned long pages = 0;
	unsigned int i;
	int err;

	if (cmd->id >= OMX_ABI_REGION_MAX || cmd->nseg > OMX_ABI_REGION_SEGS_MAX)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->id = cmd->id;
	r->writable = cmd->writable;
	r->segs = kcalloc(max(cmd->nseg, 1U), sizeof(*r->segs), GFP_KERNEL);
	if (!r->segs) {
		kfree(r);
		return -ENOMEM;
	}
	for (i = 0; i < cmd->nseg; i++) {
		struct omx_abi_seg us;

		err = -EFAULT;
		if (copy_from_user(&us, &usegs[i], sizeof(us)))
			goto fail;
		err = -EINVAL;
		if (us.len > U32_MAX || us.vaddr + us.len < us.vaddr ||
		    !access_ok(u64_to_user_ptr(us.vaddr), us.len))
			goto fail;
		r->segs[i].vaddr = us.vaddr;
		r->segs[i].len = us.len;
		r->length += us.len;
		r->nseg = i + 1;
		err = omx_region_pin_seg(&r->segs[i], r->writable);
		if (err)
			goto fail;
		pages += r->segs[i].nr_pages;
	}
	err = -EINVAL;
	if (r->length > U32_MAX)
		goto fail;

	spin_lock_bh(&ep->lock);
	err = -EBUSY;
	if (ep->regions[r->id])
		goto unlock_fail;
	err = -ENOSPC;
	if (ep->pinned_pages + pages > OMX_PINNED_PAGES_MAX)
		goto unlock_fail;
	ep->pinned_pages += pages;
	ep->regions[r->id] = r;
	spin_unlock_bh(&ep->lock);
	return 0;

unlock_fail:
	spin_unlock_bh(&ep->lock);
fail:
	omx_region_unpin(r);
	return err;
}

/* Frees @r, which the caller has already taken out of ep->regions. */
void omx_region_free(struct omx_endpoint *ep, struct omx_region *r)
{
	unsigned long pages = 0;
	unsigned int i;

	if (r->ops) {
		r->ops->release(r->priv);
		kfree(r);
		return;
	}
	for (i = 0; i < r->nseg; i++)
		pages += r->segs[i].nr_pages;
	spin_lock_bh(&ep->lock);
	ep->pinned_pages -= pages;
	spin_unlock_bh(&ep->lock);
	omx_region_unpin(r);
}

/* A region another module moves itself; contract in omx_engine_api.h. */
int omx_region_attach(struct omx_endpoint *ep, u32 id, bool writable,
		      u64 length, const struct omx_region_ops *ops, void *priv)
{
	struct omx_region *r;
	int err = 0;

	if (id >= OMX_ABI_REGION_MAX || length > U32_MAX || !ops ||
	    !ops->copy || !ops->release)
		return -EINVAL;
	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->id = id;
	r->writable = writable;
	r->length = length;
	r->ops = ops;
	r->priv = priv;
	spin_lock_bh(&ep->lock);
	if (ep->closing)
		err = -ESHUTDOWN;
	else if (ep->regions[id])
		err = -EBUSY;
	else
		ep->regions[id] = r;
	spin_unlock_bh(&ep->lock);
	if (err)
		kfree(r);
	return err;
}
EXPORT_SYMBOL_GPL(omx_region_attach);

bool omx_region_busy(struct omx_endpoint *ep, u32 id)
{
	return id < OMX_ABI_REGION_MAX && READ_ONCE(ep->regions[id]);
}
EXPORT_SYMBOL_GPL(omx_region_busy);

int omx_region_destroy(struct omx_endpoint *ep, u32 id)
{
	struct omx_region *r;

	if (id >= OMX_ABI_REGION_MAX)
		return -EINVAL;
	spin_lock_bh(&ep->lock);
	r = ep->regions[id];
	/* From now on neither PULLs nor PULL_REPLYs can reach it. */
	ep->regions[id] = NULL;
	spin_unlock_bh(&ep->lock);
	if (!r)
		return -ENOENT;
	omx_region_free(ep, r);
	return 0;
}

/*
 * May one more frame be copied into or out of @r now?  Always for a local
 * process's region; its owner may bound another module's (a guest's copy
 * budget).  Under ep->lock, before the frame is accepted.
 */
bool omx_region_admit(struct omx_region *r)
{
	return !r->ops || !r->ops->admit || r->ops->admit(r->priv);
}

/*
 * Copies @len octets between @buf and the region at @offset.  The caller
 * holds ep->lock (the region cannot go away) and has checked the range.
 */
int omx_region_copy(struct omx_region *r, u64 offset, void *buf,
		    u32 len, bool to_region)
{
	unsigned int i = 0, poff;
	struct page *page;
	void *va;
	u32 chunk;

	if (offset > r->length || len > r->length - offset ||
	    (to_region && !r->writable))
		return -EINVAL;
	if (r->ops)
		return r->ops->copy(r->priv, offset, buf, len, to_region);
	while (i < r->nseg && offset >= r->segs[i].len) {
		offset -= r->segs[i].len;
		i++;
	}
	while (len) {
		struct omx_region_seg *s = &r->segs[i];
		u64 in_seg;

		if (offset == s->len) {	/* empty segment, or this one is done */
			offset = 0;
			i++;
			continue;
		}
		in_seg = s->first_page_offset + offset;
		page = s->pages[in_seg >> PAGE_SHIFT];
		poff = offset_in_page(in_seg);
		chunk = min_t(u64, len, min_t(u64, PAGE_SIZE - poff,
					      s->len - offset));
		va = kmap_local_page(page);

		if (to_region)
			memcpy(va + poff, buf, chunk);
		else
			memcpy(buf, va + poff, chunk);
		kunmap_local(va);
		buf += chunk;
		len -= chunk;
		offset += chunk;
	}
	return 0;
}
