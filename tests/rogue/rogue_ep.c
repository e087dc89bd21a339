// SPDX-License-Identifier: GPL-2.0-only
/*
 * rogue_ep.c - what the attacks are built from: requests of any shape,
 * granted pages and directories, endpoints, regions, events.
 *
 * Nothing here checks what it sends: that is the point.  Everything here
 * cleans up after itself, so that what the backend still holds at the end
 * is the backend's doing (x2mrogue_ungrant() says whether dom0 still uses
 * a page).
 */
#include "rogue.h"
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

/* ------------------------------------------------------------------------
 * Requests
 */

/* One slot on the ring; the backend's status, or X2MROGUE_NO_ANSWER. */
s32 x2mrogue_req(struct x2mfront_device *fe, u8 op, u8 flags, u16 len,
		 const void *payload, unsigned int plen,
		 struct xen2mx_response *rsp)
{
	struct xen2mx_request req = { .op = op, .flags = flags, .len = len };
	struct xen2mx_response dummy;
	int err;

	if (!rsp)
		rsp = &dummy;
	memcpy(req.payload, payload, min_t(unsigned int, plen, XEN2MX_INLINE_MAX));
	err = x2mrogue_call(fe, &req, rsp);
	if (err) {
		x2mrogue_printf("request op %u len %u: no answer (%d)\n", op, len, err);
		return X2MROGUE_NO_ANSWER;
	}
	return rsp->status;
}

/*
 * An XEN2MX_OP_OMX slot with the header and @arg, its len field @len
 * whatever the argument's size; on success up to @out_len octets of the
 * answer are copied to @out.
 */
s32 x2mrogue_omx_len(struct x2mfront_device *fe, u32 cmd, u16 endpoint,
		     const void *arg, unsigned int arg_len, u16 len,
		     void *out, unsigned int out_len)
{
	struct xen2mx_omx_hdr hdr = { .cmd = cmd, .endpoint = endpoint };
	u8 payload[XEN2MX_INLINE_MAX] = { 0 };
	struct xen2mx_response rsp;
	s32 status;

	memcpy(payload, &hdr, sizeof(hdr));
	if (arg_len)
		memcpy(payload + XEN2MX_OMX_HDR_SIZE, arg,
		       min_t(unsigned int, arg_len, XEN2MX_OMX_ARG_MAX));
	status = x2mrogue_req(fe, XEN2MX_OP_OMX, 0, len, payload,
			      sizeof(payload), &rsp);
	if (status == 0 && out)
		memcpy(out, rsp.payload, min_t(unsigned int, out_len, rsp.len));
	return status;
}

s32 x2mrogue_omx(struct x2mfront_device *fe, u32 cmd, u16 endpoint,
		 const void *arg, unsigned int arg_len,
		 void *out, unsigned int out_len)
{
	return x2mrogue_omx_len(fe, cmd, endpoint, arg, arg_len,
				XEN2MX_OMX_HDR_SIZE + arg_len, out, out_len);
}

/* ------------------------------------------------------------------------
 * Granted pages
 */

/* A page of 32-bit @words, granted read-only to @domid. */
struct page *x2mrogue_dir_alloc(domid_t domid, const u32 *words,
				unsigned int n, grant_ref_t *ref)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	int r;

	if (!page)
		return NULL;
	memcpy(page_address(page), words, min_t(size_t, n * 4, PAGE_SIZE));
	r = gnttab_grant_foreign_access(domid, xen_page_to_gfn(page), 1);
	if (r < 0) {
		__free_page(page);
		return NULL;
	}
	*ref = r;
	return page;
}

void x2mrogue_dir_free(struct page *page, grant_ref_t ref)
{
	if (page)
		gnttab_end_foreign_access(ref, page);
}

/*
 * Take the access back now, as a frontend that frees a buffer would: the
 * reference is freed too (gnttab_end_foreign_access_ref() would keep it,
 * but it warns on a busy entry, which the console checks take for a
 * kernel report).  Callers make every grant they need first, so that no
 * new grant reuses the number while the backend may still name it.
 * False when the backend keeps the page in use for 2 s.
 */
bool x2mrogue_revoke(grant_ref_t ref)
{
	unsigned int i;

	for (i = 0; i < 200; i++) {
		if (gnttab_try_end_foreign_access(ref))
			return true;
		msleep(10);
	}
	return false;
}

/*
 * End the access to @page and free both.  True when the backend no longer
 * used it; false when it still maps it or copies to or from it (the page
 * then goes when it lets go, Xen's deferred release).
 */
bool x2mrogue_ungrant(grant_ref_t ref, struct page *page)
{
	if (gnttab_try_end_foreign_access(ref)) {
		__free_page(page);
		return true;
	}
	gnttab_end_foreign_access(ref, page);
	return false;
}

/* ------------------------------------------------------------------------
 * Endpoints
 */

struct x2mrogue_ep *x2mrogue_ep_alloc(domid_t domid, u16 index)
{
	struct x2mrogue_ep *ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	unsigned int i;
	int ref;

	if (!ep)
		return NULL;
	ep->index = index;
	ep->pages = kcalloc(X2MFRONT_EP_PAGES, sizeof(*ep->pages), GFP_KERNEL);
	ep->refs = kcalloc(X2MFRONT_EP_PAGES, sizeof(*ep->refs), GFP_KERNEL);
	if (!ep->pages || !ep->refs)
		goto fail;
	for (i = 0; i < X2MFRONT_EP_PAGES; i++) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page)
			goto fail;
		ref = gnttab_grant_foreign_access(domid, xen_page_to_gfn(page), 0);
		if (ref < 0) {
			__free_page(page);
			goto fail;
		}
		ep->pages[i] = page;
		ep->refs[i] = ref;
	}
	return ep;

fail:
	x2mrogue_ep_free(ep);
	return NULL;
}

/* Frees @ep; the number of its pages dom0 still used. */
unsigned int x2mrogue_ep_free(struct x2mrogue_ep *ep)
{
	unsigned int i, mapped = 0;

	if (!ep)
		return 0;
	for (i = 0; ep->pages && i < X2MFRONT_EP_PAGES && ep->pages[i]; i++)
		if (!x2mrogue_ungrant(ep->refs[i], ep->pages[i]))
			mapped++;
	kfree(ep->pages);
	kfree(ep->refs);
	kfree(ep);
	return mapped;
}

struct omx_abi_desc *x2mrogue_ep_desc(struct x2mrogue_ep *ep)
{
	return page_address(ep->pages[0]);
}

/* OPEN_ENDPOINT as xen2mx-front sends it: the status. */
s32 x2mrogue_ep_open(struct x2mfront_device *fe, struct x2mrogue_ep *ep)
{
	struct omx_cmd_open_endpoint ans = { 0 };
	struct xen2mx_omx_open arg = {
		.board_index = 0,
		.endpoint_index = ep->index,
		.nr_pages = X2MFRONT_EP_PAGES,
	};
	struct page *dir;
	s32 status;

	dir = x2mrogue_dir_alloc(fe->dev->otherend_id, ep->refs,
				 X2MFRONT_EP_PAGES, &arg.dir_ref);
	if (!dir)
		return -ENOMEM;
	status = x2mrogue_omx(fe, _IOC_NR(OMX_CMD_OPEN_ENDPOINT), ep->index,
			      &arg, sizeof(arg), &ans, sizeof(ans));
	x2mrogue_dir_free(dir, arg.dir_ref);
	if (status == 0) {
		ep->open = true;
		ep->session = ans.session_id;
		ep->peer_index = READ_ONCE(x2mrogue_ep_desc(ep)->peer_index);
		ep->cons = 0;
	}
	return status;
}

s32 x2mrogue_ep_close(struct x2mfront_device *fe, struct x2mrogue_ep *ep)
{
	s32 status = x2mrogue_omx(fe, XEN2MX_OMXC_CLOSE_ENDPOINT, ep->index,
				  NULL, 0, NULL, 0);

	if (status == 0)
		ep->open = false;
	return status;
}

static union omx_evt *x2mrogue_ep_slot(struct x2mrogue_ep *ep, u32 i)
{
	size_t off = (size_t)(i % OMX_ABI_EVENTQ_SLOTS) * OMX_ABI_EVENT_SIZE;

	return page_address(ep->pages[OMX_ABI_EVENTQ_OFFSET / PAGE_SIZE +
				      off / PAGE_SIZE]) + off % PAGE_SIZE;
}

/*
 * Consume events until one of @type arrives whose key matches (a pull's
 * cookie, a connect's app_key), for at most @timeout_ms.  Other events
 * are consumed and dropped.
 */
bool x2mrogue_ep_wait_event(struct x2mrogue_ep *ep, u8 type, u64 key,
			    unsigned int timeout_ms, union omx_evt *out)
{
	struct omx_abi_desc *desc = x2mrogue_ep_desc(ep);
	unsigned long deadline = jiffies + msecs_to_jiffies(timeout_ms);
	union omx_evt evt;
	bool found = false;

	do {
		u32 prod = READ_ONCE(desc->eventq_prod);

		virt_rmb();	/* the events after the index */
		while (!found && ep->cons != prod) {
			memcpy(&evt, x2mrogue_ep_slot(ep, ep->cons), sizeof(evt));
			ep->cons++;
			if (evt.head.type != type)
				continue;
			if ((type == OMX_EVT_PULL_DONE &&
			     evt.pull_done.lib_cookie == key) ||
			    (type == OMX_EVT_RECV_CONNECT_REQUEST &&
			     evt.connect.app_key == (u32)key))
				found = true;
		}
		WRITE_ONCE(desc->eventq_cons, ep->cons);
		if (found) {
			if (out)
				*out = evt;
			return true;
		}
		msleep(10);
	} while (time_before(jiffies, deadline));
	return false;
}

/* ------------------------------------------------------------------------
 * Regions
 */

struct x2mrogue_region *x2mrogue_region_alloc(domid_t domid, u32 id,
					      bool writable, unsigned int nr)
{
	struct x2mrogue_region *r = kzalloc(sizeof(*r), GFP_KERNEL);
	unsigned int i;
	int ref;

	if (!r)
		return NULL;
	r->id = id;
	r->writable = writable;
	r->pages = kcalloc(nr, sizeof(*r->pages), GFP_KERNEL);
	r->refs = kcalloc(nr, sizeof(*r->refs), GFP_KERNEL);
	r->revoked = kcalloc(nr, sizeof(*r->revoked), GFP_KERNEL);
	if (!r->pages || !r->refs || !r->revoked)
		goto fail;
	for (i = 0; i < nr; i++) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page)
			goto fail;
		ref = gnttab_grant_foreign_access(domid, xen_page_to_gfn(page),
						  !writable);
		if (ref < 0) {
			__free_page(page);
			goto fail;
		}
		r->pages[i] = page;
		r->refs[i] = ref;
		r->nr++;
	}
	return r;

fail:
	x2mrogue_region_free(r);
	return NULL;
}

/* Frees @r; the number of its pages the backend still used. */
unsigned int x2mrogue_region_free(struct x2mrogue_region *r)
{
	unsigned int i, busy = 0;

	if (!r)
		return 0;
	for (i = 0; i < r->nr; i++) {
		if (r->revoked[i])
			__free_page(r->pages[i]);	/* its reference went */
		else if (!x2mrogue_ungrant(r->refs[i], r->pages[i]))
			busy++;
	}
	kfree(r->pages);
	kfree(r->refs);
	kfree(r->revoked);
	kfree(r);
	return busy;
}

bool x2mrogue_region_revoke(struct x2mrogue_region *r, unsigned int i)
{
	if (r->revoked[i])
		return true;
	r->revoked[i] = x2mrogue_revoke(r->refs[i]);
	return r->revoked[i];
}

s32 x2mrogue_region_create(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
			   u32 id, u32 writable, u32 nr_pieces, u64 length)
{
	struct xen2mx_omx_region arg = {
		.id = id,
		.writable = writable,
		.nr_pieces = nr_pieces,
		.length = length,
	};

	return x2mrogue_omx(fe, _IOC_NR(OMX_CMD_CREATE_REGION), ep->index,
			    &arg, sizeof(arg), NULL, 0);
}

/* REGION_PIECES with @nr (<= 512) pieces in one directory page. */
s32 x2mrogue_region_pieces(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
			   u32 id, u32 first,
			   const struct xen2mx_omx_piece *pieces, u32 nr)
{
	struct xen2mx_omx_pieces arg = {
		.id = id,
		.first = first,
		.nr_pieces = nr,
	};
	struct page *dir;
	s32 status;

	if (nr > XEN2MX_OMX_PIECES_PER_PAGE)
		return -E2BIG;
	dir = x2mrogue_dir_alloc(fe->dev->otherend_id, (const u32 *)pieces,
				 nr * 2, &arg.dir_refs[0]);
	if (!dir)
		return -ENOMEM;
	status = x2mrogue_omx(fe, XEN2MX_OMXC_REGION_PIECES, ep->index, &arg,
			      sizeof(arg), NULL, 0);
	x2mrogue_dir_free(dir, arg.dir_refs[0]);
	return status;
}

/* CREATE_REGION then its pieces, whole pages: the first failing status. */
s32 x2mrogue_region_send(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
			 struct x2mrogue_region *r)
{
	struct xen2mx_omx_piece *pieces;
	unsigned int i;
	s32 status;

	pieces = kcalloc(r->nr, sizeof(*pieces), GFP_KERNEL);
	if (!pieces)
		return -ENOMEM;
	for (i = 0; i < r->nr; i++) {
		pieces[i].ref = r->refs[i];
		pieces[i].offset = 0;
		pieces[i].len = XEN_PAGE_SIZE;
	}
	status = x2mrogue_region_create(fe, ep, r->id, r->writable, r->nr,
					(u64)r->nr * XEN_PAGE_SIZE);
	if (status == 0)
		status = x2mrogue_region_pieces(fe, ep, r->id, 0, pieces, r->nr);
	kfree(pieces);
	return status;
}

s32 x2mrogue_region_destroy(struct x2mfront_device *fe,
			    struct x2mrogue_ep *ep, u32 id)
{
	struct omx_cmd_destroy_region arg = { .id = id };

	return x2mrogue_omx(fe, _IOC_NR(OMX_CMD_DESTROY_REGION), ep->index,
			    &arg, sizeof(arg), NULL, 0);
}

/*
 * PULL from our own endpoint's region @remote_id into @local_id: the
 * request goes to our own board (same-host delivery in dom0), which
 * answers from the first region and writes into the second, both by
 * grant copy.
 */
s32 x2mrogue_pull(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
		  u32 remote_id, u32 local_id, u32 length, u32 timeout_ms,
		  u64 cookie)
{
	struct omx_cmd_pull arg = {
		.peer_index = ep->peer_index,
		.dest_endpoint = ep->index,
		.session = ep->session,
		.length = length,
		.local_region = local_id,
		.remote_rdma_id = remote_id,
		.timeout_ms = timeout_ms,
		.lib_cookie = cookie,
	};

	return x2mrogue_omx(fe, _IOC_NR(OMX_CMD_PULL), ep->index, &arg,
			    sizeof(arg), NULL, 0);
}

/* The status of the PULL_DONE for @cookie, or -1 when none came. */
int x2mrogue_pull_done(struct x2mrogue_ep *ep, u64 cookie,
		       unsigned int timeout_ms)
{
	union omx_evt evt;

	if (!x2mrogue_ep_wait_event(ep, OMX_EVT_PULL_DONE, cookie, timeout_ms,
				    &evt))
		return -1;
	return evt.pull_done.status;
}

/* A CONNECT request from @from to our own endpoint @dest_endpoint. */
s32 x2mrogue_connect(struct x2mfront_device *fe, struct x2mrogue_ep *from,
		     u8 dest_endpoint, u32 app_key)
{
	struct omx_cmd_send_connect arg = {
		.peer_index = from->peer_index,
		.dest_endpoint = dest_endpoint,
		.src_session_id = from->session,
		.app_key = app_key,
	};

	return x2mrogue_omx(fe, _IOC_NR(OMX_CMD_SEND_CONNECT), from->index,
			    &arg, sizeof(arg), NULL, 0);
}
