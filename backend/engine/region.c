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
#include "common.h"
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

/* Pages one endpoint may keep pinned: 1 GiB, enough for 64 x 16 MiB. */
#define X2M_PINNED_PAGES_MAX	(1UL << (30 - PAGE_SHIFT))

static void x2mback_region_unpin(struct x2mback_region *r)
{
	unsigned int i;

	for (i = 0; i < r->nseg; i++) {
		struct x2mback_region_seg *s = &r->segs[i];

		if (s->pages) {
			unpin_user_pages_dirty_lock(s->pages, s->nr_pages,
						    r->writable);
			kvfree(s->pages);
		}
	}
	kfree(r->segs);
	kfree(r);
}

static int x2mback_region_pin_seg(struct x2mback_region_seg *s, bool writable)
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

int x2mback_region_create(struct x2mback_endpoint *ep,
			  const struct omx_cmd_create_region *cmd)
{
	struct omx_abi_seg __user *usegs = u64_to_user_ptr(cmd->segs);
	struct x2mback_region *r;
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
		err = x2mback_region_pin_seg(&r->segs[i], r->writable);
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
	if (ep->pinned_pages + pages > X2M_PINNED_PAGES_MAX)
		goto unlock_fail;
	ep->pinned_pages += pages;
	ep->regions[r->id] = r;
	spin_unlock_bh(&ep->lock);
	return 0;

unlock_fail:
	spin_unlock_bh(&ep->lock);
fail:
	x2mback_region_unpin(r);
	return err;
}

/* Frees @r, which the caller has already taken out of ep->regions. */
void x2mback_region_free(struct x2mback_endpoint *ep, struct x2mback_region *r)
{
	unsigned long pages = 0;
	unsigned int i;

	if (r->grants) {
		x2mback_gregion_free(r);
		return;
	}
	for (i = 0; i < r->nseg; i++)
		pages += r->segs[i].nr_pages;
	spin_lock_bh(&ep->lock);
	ep->pinned_pages -= pages;
	spin_unlock_bh(&ep->lock);
	x2mback_region_unpin(r);
}

/* A guest's region, complete: from now on pulls may use it. */
int x2mback_region_install(struct x2mback_endpoint *ep,
			   struct x2mback_region *r)
{
	int err = 0;

	spin_lock_bh(&ep->lock);
	if (ep->closing)
		err = -ESHUTDOWN;
	else if (ep->regions[r->id])
		err = -EBUSY;
	else
		ep->regions[r->id] = r;
	spin_unlock_bh(&ep->lock);
	return err;
}

int x2mback_region_destroy(struct x2mback_endpoint *ep, u32 id)
{
	struct x2mback_region *r;

	if (id >= OMX_ABI_REGION_MAX)
		return -EINVAL;
	spin_lock_bh(&ep->lock);
	r = ep->regions[id];
	/* From now on neither PULLs nor PULL_REPLYs can reach it. */
	ep->regions[id] = NULL;
	spin_unlock_bh(&ep->lock);
	if (!r)
		return -ENOENT;
	x2mback_region_free(ep, r);
	return 0;
}

/*
 * May one more frame be copied into or out of @r now?  Always for a dom0
 * process's region; a guest's is bounded by its copy budget.  Under
 * ep->lock, before the frame is accepted.
 */
bool x2mback_region_admit(struct x2mback_region *r)
{
	return !r->grants || x2mback_gregion_admit(r);
}

/*
 * Copies @len octets between @buf and the region at @offset.  The caller
 * holds ep->lock (the region cannot go away) and has checked the range.
 */
int x2mback_region_copy(struct x2mback_region *r, u64 offset, void *buf,
			u32 len, bool to_region)
{
	unsigned int i = 0, poff;
	struct page *page;
	void *va;
	u32 chunk;

	if (offset > r->length || len > r->length - offset ||
	    (to_region && !r->writable))
		return -EINVAL;
	if (r->grants)
		return x2mback_gregion_copy(r, offset, buf, len, to_region);
	while (i < r->nseg && offset >= r->segs[i].len) {
		offset -= r->segs[i].len;
		i++;
	}
	while (len) {
		struct x2mback_region_seg *s = &r->segs[i];
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
