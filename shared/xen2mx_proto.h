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
#define XEN2MX_XS_FEATURE_OMX		"feature-omx"	/* XEN2MX_OP_OMX below */
/* Per-guest limits and the guest's board: toolstack or default (backend dir) */
#define XEN2MX_XS_MAX_ENDPOINTS		"max-endpoints"
#define XEN2MX_XS_MAX_GRANTS		"max-grants"
#define XEN2MX_XS_BOARD			"board"		/* dom0 interface */
#define XEN2MX_XS_MAC			"mac"		/* the guest board's NIC id */
#define XEN2MX_XS_HOSTNAME		"hostname"	/* its peer-table name */
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
	XEN2MX_OP_OMX   = 3,	/* an Open-MX command (feature-omx), see below */
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
	/* XEN2MX_OP_OMX answers 0 or a negative Linux errno value instead. */
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

/* ------------------------------------------------------------------------
 * XEN2MX_OP_OMX: the guest's /dev/open-mx commands (shared/omx_abi.h).
 *
 * Request payload (len = 8 + size of the argument)
 *
 *  0     1     2     3     4     5     6     7     octet
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |          cmd          | endpoint  | reserved  |
 * +-----+-----+-----+-----+-----+-----+-----+-----+
 * |   argument: the command's structure, or one of the structures below
 * /                                               /
 *
 * cmd:      _IOC_NR of the omx_abi.h command (OMX_CMD_*, 0x01..0x1a), or a
 *           XEN2MX_OMXC_* command of this protocol (0x80..).
 * endpoint: the guest's endpoint index the command acts on (endpoint
 *           commands), XEN2MX_OMX_NO_ENDPOINT for control commands.
 *
 * The response's status is 0 or a negative Linux errno value; on success
 * its payload is the command's output structure (commands the ioctl
 * defines as _IOR/_IOWR), else empty.  The argument sizes are exact: a
 * request whose len does not match its cmd is answered -EINVAL.
 *
 * The guest is a board of its own (xenstore "mac", "hostname"): board
 * index 0 in every command means that board, and is the only one it has.
 * Its endpoint indexes run from 0 to max-endpoints - 1.
 *
 * Endpoint memory.  The OMX_ABI_MMAP_SIZE octets of an endpoint (descriptor,
 * event, receive and send queues) are guest pages, granted read-write to
 * the backend for the endpoint's life and mapped by it once, at open: the
 * backend writes events and received payloads straight into them and reads
 * medium payloads from the send queue.  OPEN_ENDPOINT's argument is
 * struct xen2mx_omx_open; its directory page holds the nr_pages grant
 * references, in order, as 32-bit values.  The backend never trusts an
 * index read from those pages beyond "how full is this queue".
 *
 * XEN2MX_OMXC_CLOSE_ENDPOINT closes it (the guest's file was released): the
 * backend unmaps the pages before answering, so the frontend can end
 * foreign access at once.  A device that disconnects closes all of them.
 *
 * Waiting.  WAIT_EVENT and WAKEUP never reach the ring.  Before sleeping,
 * the frontend sets desc->armed (struct omx_abi_desc) to 1, issues a full
 * barrier and compares eventq_prod with eventq_cons again; the backend,
 * after publishing an event, issues a full barrier and, if armed is
 * non-zero, clears it and notifies the device's event channel.  An event
 * channel notification carries no information: the frontend looks at every
 * endpoint of the device.
 *
 * Large messages.  A region is a list of pieces, each a part of one granted
 * guest page; the backend never maps them, it moves data with grant copy.
 * CREATE_REGION's argument is struct xen2mx_omx_region (the total); then
 * XEN2MX_OMXC_REGION_PIECES requests fill the pieces in order, each naming
 * directory pages of struct xen2mx_omx_piece.  The region can be pulled
 * from or into once the last piece arrived.  Pieces follow the user
 * segments they describe (a partial first page, whole pages, a partial
 * last page each): a piece that ends before its page does, or one that
 * starts past offset 0 after another, is a break, and a region may have
 * at most XEN2MX_OMX_REGION_BREAKS_MAX of them (-EINVAL beyond), so that
 * no frame costs the backend more than a few copy operations per page.
 *
 * Counters.  GET_COUNTERS takes struct xen2mx_omx_counters and answers
 * count values from index first.
 */
#define XEN2MX_OMX_NO_ENDPOINT		0xffffu
#define XEN2MX_OMX_HDR_SIZE		8u
#define XEN2MX_OMX_ARG_MAX		(XEN2MX_INLINE_MAX - XEN2MX_OMX_HDR_SIZE) /* 168 */

#define XEN2MX_OMXC_REGION_PIECES	0x80	/* struct xen2mx_omx_pieces */
#define XEN2MX_OMXC_CLOSE_ENDPOINT	0x81	/* no argument; hdr.endpoint */

struct xen2mx_omx_hdr {
	uint32_t cmd;
	uint16_t endpoint;
	uint16_t reserved;
};

/* OPEN_ENDPOINT argument; the answer is struct omx_cmd_open_endpoint. */
struct xen2mx_omx_open {
	uint32_t board_index;		/* 0 */
	uint32_t endpoint_index;	/* < max-endpoints, = hdr.endpoint */
	uint32_t dir_ref;		/* page of nr_pages grant references */
	uint32_t nr_pages;		/* OMX_ABI_MMAP_SIZE / 4096 */
};

/* CREATE_REGION argument */
struct xen2mx_omx_region {
	uint32_t id;			/* < OMX_ABI_REGION_MAX */
	uint32_t writable;		/* 0 or 1 */
	uint32_t nr_pieces;		/* 0 .. what max-grants leaves */
	uint32_t reserved;
	uint64_t length;		/* sum of the pieces' lengths */
};

/* One piece: len octets at offset in the granted page ref. */
struct xen2mx_omx_piece {
	uint32_t ref;
	uint16_t offset;		/* offset + len <= 4096 */
	uint16_t len;			/* 1 .. 4096 */
};
#define XEN2MX_OMX_PIECES_PER_PAGE	(XEN2MX_PAGE_SIZE / 8u)	/* 512 */
#define XEN2MX_OMX_PIECE_DIRS_MAX	38
#define XEN2MX_OMX_REGION_BREAKS_MAX	255	/* OMX_ABI_REGION_SEGS_MAX - 1 */

/*
 * XEN2MX_OMXC_REGION_PIECES argument: pieces first .. first + nr_pieces - 1
 * of region id, in ceil(nr_pieces / 512) directory pages (full but the
 * last).  first must be the number of pieces the region already has.
 */
struct xen2mx_omx_pieces {
	uint32_t id;
	uint32_t first;
	uint32_t nr_pieces;
	uint32_t reserved;
	uint32_t dir_refs[XEN2MX_OMX_PIECE_DIRS_MAX];
};

/* GET_COUNTERS argument; the answer is count uint32_t values. */
struct xen2mx_omx_counters {
	uint32_t board_index;		/* 0 */
	uint32_t clear;			/* refused: the host's counters are dom0's */
	uint32_t first;
	uint32_t count;			/* 1 .. 42, first + count <= 85 */
};
#define XEN2MX_OMX_COUNTERS_MAX		42

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
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_omx_hdr) == XEN2MX_OMX_HDR_SIZE, "omx header");
XEN2MX_STATIC_ASSERT(sizeof(struct xen2mx_omx_pieces) <= XEN2MX_OMX_ARG_MAX, "pieces argument");
XEN2MX_STATIC_ASSERT(XEN2MX_OMX_COUNTERS_MAX * 4 <= XEN2MX_OMX_ARG_MAX, "counters answer");

#endif /* XEN2MX_PROTO_H */
