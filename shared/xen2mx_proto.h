/* SPDX-License-Identifier: MIT */
/*
 * xen2mx_proto.h - the xen2mx split-driver protocol, version 1.
 *
 * This header is the normative companion of doc/ring-protocol.md: it holds
 * every constant, xenstore node name and slot layout the frontend (domU) and
 * the backend (dom0) agree on.  Prose, the example xenstore tree and the state
 * diagrams live in the document; the two must change together.
 *
 * It is included by both kernel modules and by user space, so it uses only
 * fixed-width types and no kernel or Xen headers.  Xen's ring macros are
 * applied to these slot types in xen2mx_ring_types.h (kernel only).
 *
 * Conventions
 *  - All multi-octet fields are little-endian (both ends run on one host).
 *  - Every "reserved" field and every octet past a payload's declared length
 *    is written as zero by its producer and ignored by its consumer.
 *  - Octet diagrams count from the first octet of the slot.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef XEN2MX_PROTO_H
#define XEN2MX_PROTO_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

/* ------------------------------------------------------------------------
 * Versions and limits
 */
#define XEN2MX_PROTO_VERSION		1	/* the only version defined here */
#define XEN2MX_DEVICE_TYPE		"xen2mx"	/* xenbus device type */

/*
 * A ring spans 2^ring-page-order pages of 4096 octets.  The absolute limit is
 * what one xenbus ring mapping can hold (16 grants); the backend may publish
 * a smaller max-ring-page-order.
 */
#define XEN2MX_PAGE_SIZE		4096u
#define XEN2MX_MAX_RING_PAGE_ORDER	4u
#define XEN2MX_MAX_RING_PAGES		(1u << XEN2MX_MAX_RING_PAGE_ORDER)

/*
 * Both rings use Xen's standard shared-ring layout (io/ring.h): a 64-octet
 * header { req_prod, req_event, rsp_prod, rsp_event, pad } followed by a
 * power-of-two number of slots, each the size of the larger of the request
 * and response of that ring.  All xen2mx slots are XEN2MX_SLOT_SIZE octets.
 */
#define XEN2MX_SRING_HEADER_SIZE	64u
#define XEN2MX_SLOT_SIZE		192u
#define XEN2MX_SLOT_HEADER_SIZE		16u
#define XEN2MX_INLINE_MAX		(XEN2MX_SLOT_SIZE - XEN2MX_SLOT_HEADER_SIZE) /* 176 */

/* ------------------------------------------------------------------------
 * Xenstore nodes (see doc/ring-protocol.md for Values / Default / Notes)
 */
/* Written by the toolstack (xen2mx-attach) */
#define XEN2MX_XS_REQUESTED_RING_PAGE_ORDER "requested-ring-page-order" /* frontend dir */
/* Written by the backend */
#define XEN2MX_XS_VERSIONS		"versions"
#define XEN2MX_XS_MAX_RING_PAGE_ORDER	"max-ring-page-order"
#define XEN2MX_XS_FEATURE_ECHO		"feature-echo"
#define XEN2MX_XS_FEATURE_STATS		"feature-stats"
/* Written by the frontend */
#define XEN2MX_XS_VERSION		"version"
#define XEN2MX_XS_RING_PAGE_ORDER	"ring-page-order"
#define XEN2MX_XS_RING_REF		"ring-ref"	/* order 0; else ring-ref%u */
#define XEN2MX_XS_EVT_RING_REF		"event-ring-ref" /* order 0; else event-ring-ref%u */
#define XEN2MX_XS_EVENT_CHANNEL		"event-channel"

/* ------------------------------------------------------------------------
 * Request ring: requests guest -> dom0, one response dom0 -> guest for each.
 *
 * Request slot
 *
 *  0     1     2     3     4     5     6     7     octet
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |                       id                      |  frontend cookie, echoed
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * | op  |flags|    len    |       reserved        |
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |              payload (len octets, <= 176)     |
 * /                                               /
 * +-----+-----+-----+-----+-----+-----+-----+-----+  octet 192
 *
 * Response slot
 *
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |                       id                      |  copied from the request
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * | op  | rsv |    len    |        status         |  status: XEN2MX_ST_*
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |              payload (len octets, <= 176)     |
 * /                                               /
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 */
enum xen2mx_op {
	XEN2MX_OP_ECHO  = 1,	/* payload returned byte for byte */
	XEN2MX_OP_STATS = 2,	/* no payload; response carries xen2mx_stats */
};

/* XEN2MX_OP_ECHO flags */
#define XEN2MX_ECHO_VIA_EVENT	0x01	/* return the payload on the event ring */
#define XEN2MX_ECHO_FLAGS_ALL	XEN2MX_ECHO_VIA_EVENT

/* Response status: 0 or a negative code; the slot's payload is then empty */
enum xen2mx_status {
	XEN2MX_ST_OK		= 0,
	XEN2MX_ST_EINVAL	= -1,	/* a field out of range (len, flags, reserved) */
	XEN2MX_ST_ENOSYS	= -2,	/* unknown op */
	XEN2MX_ST_ENOSPC	= -3,	/* no event-ring credit was posted */
};

struct xen2mx_request {
	uint64_t id;
	uint8_t  op;
	uint8_t  flags;
	uint16_t len;
	uint32_t reserved;
	uint8_t  payload[XEN2MX_INLINE_MAX];
};

struct xen2mx_response {
	uint64_t id;
	uint8_t  op;
	uint8_t  reserved;
	uint16_t len;
	int32_t  status;
	uint8_t  payload[XEN2MX_INLINE_MAX];
};

/*
 * STATS response payload: the backend's counters for this device.
 *
 * +-----------------------+-----------------------+
 * | ring_pages_mapped     | grants_mapped         |  octets 0..7
 * +-----------------------+-----------------------+
 * | requests (64)                                 |  octets 8..15
 * | errors (64)                                   |  octets 16..23
 * | events (64)                                   |  octets 24..31
 * | notifications (64)                            |  octets 32..39
 * +-----------------------------------------------+
 */
struct xen2mx_stats {
	uint32_t ring_pages_mapped;	/* pages of both rings mapped for this device */
	uint32_t grants_mapped;		/* grant references held by the backend */
	uint64_t requests;		/* requests consumed, valid or not */
	uint64_t errors;		/* requests answered with a negative status */
	uint64_t events;		/* events produced on the event ring */
	uint64_t notifications;		/* event-channel notifications sent */
};

/* ------------------------------------------------------------------------
 * Event ring: dom0 -> guest messages the guest did not ask for one by one.
 * The frontend posts credits (its "requests"); the backend consumes one
 * credit per event and fills the matching response slot with the event.
 *
 * Credit slot
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |                       id                      |  frontend cookie
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |              reserved (184 octets)            |
 * /                                               /
 *
 * Event slot
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |                       id                      |  from the consumed credit
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |type | rsv |    len    |      request id (lo)  |  low 32 bits of the id of
 * +-----+-----+-----+-----+-----+-----+-----+-----+  the request it answers, or 0
 * |              payload (len octets, <= 176)     |
 * /                                               /
 */
enum xen2mx_event_type {
	XEN2MX_EVT_ECHO = 1,	/* payload of an ECHO sent with XEN2MX_ECHO_VIA_EVENT */
};

struct xen2mx_evt_credit {
	uint64_t id;
	uint8_t  reserved[XEN2MX_SLOT_SIZE - 8];
};

struct xen2mx_event {
	uint64_t id;
	uint8_t  type;
	uint8_t  reserved;
	uint16_t len;
	uint32_t req_id;
	uint8_t  payload[XEN2MX_INLINE_MAX];
};

/* The layouts above are wire format: pin them down at compile time. */
#ifdef __cplusplus
#define XEN2MX_STATIC_ASSERT static_assert
#else
#define XEN2MX_STATIC_ASSERT _Static_assert
#endif
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_request) == XEN2MX_SLOT_SIZE, "request slot size");
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_response) == XEN2MX_SLOT_SIZE, "response slot size");
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_evt_credit) == XEN2MX_SLOT_SIZE, "credit slot size");
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_event) == XEN2MX_SLOT_SIZE, "event slot size");
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_stats) == 40, "stats payload size");

#endif /* XEN2MX_PROTO_H */
