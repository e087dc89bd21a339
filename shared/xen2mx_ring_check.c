// SPDX-License-Identifier: MIT
/*
 * xen2mx_ring_check.c - see xen2mx_ring_check.h.
 *
 * Compiled into both kernel modules (through a one-line wrapper in each
 * module's directory) and into the user-space unit tests.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#else
#include <stdio.h>
#include <string.h>
#endif

#include "xen2mx_ring_check.h"

unsigned int x2m_ring_slots(unsigned int order)
{
	unsigned int room, slots = 1;

	if (order > XEN2MX_MAX_RING_PAGE_ORDER)
		return 0;
	room = ((XEN2MX_PAGE_SIZE << order) - XEN2MX_SRING_HEADER_SIZE) /
	       XEN2MX_SLOT_SIZE;
	while (slots * 2 <= room)
		slots *= 2;
	return slots;
}

static bool x2m_refs_valid(const uint32_t *refs, unsigned int nr)
{
	unsigned int i;

	if (!refs)
		return false;
	/* Grant reference 0 is reserved by Xen and never handed to a peer. */
	for (i = 0; i < nr; i++)
		if (refs[i] == 0)
			return false;
	return true;
}

enum x2m_nego_error x2m_nego_check(const struct x2m_nego *n)
{
	if (n->version != XEN2MX_PROTO_VERSION)
		return X2M_NEGO_BAD_VERSION;
	if (n->ring_page_order > n->max_ring_page_order ||
	    n->ring_page_order > XEN2MX_MAX_RING_PAGE_ORDER)
		return X2M_NEGO_ORDER_TOO_BIG;
	if (n->nr_refs != (1u << n->ring_page_order) ||
	    !x2m_refs_valid(n->ring_refs, n->nr_refs) ||
	    !x2m_refs_valid(n->evt_ring_refs, n->nr_refs))
		return X2M_NEGO_BAD_GRANT_REF;
	if (n->event_channel == 0)
		return X2M_NEGO_BAD_EVTCHN;
	return X2M_NEGO_OK;
}

const char *x2m_nego_strerror(enum x2m_nego_error e)
{
	switch (e) {
	case X2M_NEGO_OK:
		return "ok";
	case X2M_NEGO_BAD_VERSION:
		return "unsupported protocol version";
	case X2M_NEGO_ORDER_TOO_BIG:
		return "ring-page-order exceeds max-ring-page-order";
	case X2M_NEGO_BAD_GRANT_REF:
		return "missing or invalid ring grant reference";
	case X2M_NEGO_BAD_EVTCHN:
		return "missing or invalid event-channel";
	}
	return "unknown negotiation error";
}

unsigned int x2m_choose_version(const char *versions, unsigned int max_supported)
{
	unsigned int best = 0, v = 0;
	bool in_number = false;
	const char *p;

	if (!versions)
		return 0;
	for (p = versions; ; p++) {
		if (*p >= '0' && *p <= '9') {
			/* Cap the value so a long digit string cannot wrap. */
			if (v < 100000)
				v = v * 10 + (unsigned int)(*p - '0');
			in_number = true;
			continue;
		}
		if (*p != ',' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\0')
			return 0;	/* malformed: trust none of it */
		if (in_number && v <= max_supported && v > best)
			best = v;
		in_number = false;
		v = 0;
		if (*p == '\0')
			break;
	}
	return best;
}

int x2m_ring_ref_node(char *buf, size_t len, const char *base,
		      unsigned int order, unsigned int i)
{
	if (order == 0)
		return snprintf(buf, len, "%s", base);
	return snprintf(buf, len, "%s%u", base, i);
}

int x2m_request_check(const struct xen2mx_request *req)
{
	if (req->reserved != 0)
		return XEN2MX_ST_EINVAL;
	switch (req->op) {
	case XEN2MX_OP_ECHO:
		if (req->len > XEN2MX_INLINE_MAX)
			return XEN2MX_ST_EINVAL;
		if (req->flags & ~XEN2MX_ECHO_FLAGS_ALL)
			return XEN2MX_ST_EINVAL;
		return XEN2MX_ST_OK;
	case XEN2MX_OP_STATS:
		if (req->len != 0 || req->flags != 0)
			return XEN2MX_ST_EINVAL;
		return XEN2MX_ST_OK;
	case XEN2MX_OP_OMX:
		/* The command's own checks follow (backend omx_guest.c). */
		if (req->len < XEN2MX_OMX_HDR_SIZE ||
		    req->len > XEN2MX_INLINE_MAX || req->flags != 0)
			return XEN2MX_ST_EINVAL;
		return XEN2MX_ST_OK;
	default:
		return XEN2MX_ST_ENOSYS;
	}
}

void x2m_echo_fill(const struct xen2mx_request *req,
		   struct xen2mx_response *rsp, struct xen2mx_event *evt)
{
	rsp->id = req->id;
	rsp->op = req->op;
	rsp->status = XEN2MX_ST_OK;
	if (req->flags & XEN2MX_ECHO_VIA_EVENT) {
		evt->type = XEN2MX_EVT_ECHO;
		evt->len = req->len;
		evt->req_id = (uint32_t)req->id;
		memcpy(evt->payload, req->payload, req->len);
		rsp->len = 0;
	} else {
		rsp->len = req->len;
		memcpy(rsp->payload, req->payload, req->len);
	}
}
