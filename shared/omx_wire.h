/* SPDX-License-Identifier: MIT */
/*
 * omx_wire.h - the Open-MX 1.5 Ethernet wire protocol: constants, host-order
 * packet structs, encoders and one validating decoder.
 *
 * Written from the project's Open-MX wire reference (openmx-wire.md, facts
 * taken from Open-MX 1.5.4's headers and documentation, not its code);
 * section numbers such as 4.2 or 6.5 refer to it.  Compiled into the kernel
 * modules and into the user-space unit tests, so it uses only fixed-width
 * types, no allocation and no host byte-order functions.
 *
 * Conventions
 *  - The structs hold field values in host order; they are never laid over
 *    a buffer.  Encoders write every octet of the frame they return (fields,
 *    zeros for pads and unset fields, zero padding up to 60 octets).
 *  - Supported builds: the endian-independent native build at MTU 9000 (the
 *    Open-MX default) and at MTU 1500, ethertype 0x86DF.  Multi-octet fields
 *    are big-endian.  The MX-wire-compatible build (other MEDIUM and PULL
 *    layouts) is not supported.
 *  - Payloads are not copied on decode: data pointers point into the frame.
 *  - The decoder rejects what an Open-MX receiver drops without looking at
 *    its own state (lengths, packet types, peer index range); checks that
 *    need endpoints, sessions or the peer table, and those answered with a
 *    NACK, are left to the caller.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_WIRE_H
#define OMX_WIRE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* ------------------------------------------------------------------------
 * Frame header (section 2)
 */
#define OMX_WIRE_ETHERTYPE		0x86DF
#define OMX_WIRE_ETH_ALEN		6
#define OMX_WIRE_ETH_HLEN		14	/* dst MAC, src MAC, ethertype */
#define OMX_WIRE_HLEN			16	/* + peer index: body starts here */
#define OMX_WIRE_ETH_ZLEN		60	/* shorter frames are padded */
#define OMX_WIRE_PEER_INDEX_UNKNOWN	0xFFFF	/* sender does not know it yet */

/* Packet types (section 3) */
#define OMX_WIRE_PTYPE_NONE		0
#define OMX_WIRE_PTYPE_RAW		1
#define OMX_WIRE_PTYPE_MFM_NIC_REPLY	2
#define OMX_WIRE_PTYPE_HOST_QUERY	3
#define OMX_WIRE_PTYPE_HOST_REPLY	4
#define OMX_WIRE_PTYPE_ETHER_UNICAST	32
#define OMX_WIRE_PTYPE_ETHER_MULTICAST	33
#define OMX_WIRE_PTYPE_ETHER_NATIVE	34
#define OMX_WIRE_PTYPE_TRUC		35
#define OMX_WIRE_PTYPE_CONNECT		36
#define OMX_WIRE_PTYPE_TINY		37
#define OMX_WIRE_PTYPE_SMALL		38
#define OMX_WIRE_PTYPE_MEDIUM		39
#define OMX_WIRE_PTYPE_RNDV		40
#define OMX_WIRE_PTYPE_PULL		41
#define OMX_WIRE_PTYPE_PULL_REPLY	42
#define OMX_WIRE_PTYPE_NOTIFY		43
#define OMX_WIRE_PTYPE_NACK_LIB		44
#define OMX_WIRE_PTYPE_NACK_MCP		45
#define OMX_WIRE_PTYPE_MAX		255

/* Body sizes, payload excluded (section 4) */
#define OMX_WIRE_MSG_BODY		24	/* TINY, SMALL */
#define OMX_WIRE_MEDIUM_BODY		32
#define OMX_WIRE_RNDV_BODY		32
#define OMX_WIRE_PULL_BODY		44
#define OMX_WIRE_PULL_REPLY_BODY	16
#define OMX_WIRE_NOTIFY_BODY		24
#define OMX_WIRE_CONNECT_BODY		32
#define OMX_WIRE_TRUC_BODY		28
#define OMX_WIRE_NACK_BODY		16	/* NACK_LIB, NACK_MCP */
#define OMX_WIRE_HOST_BODY		16	/* HOST_QUERY, HOST_REPLY */

/* Limits that do not depend on the build variant */
#define OMX_WIRE_TINY_MAX		32
#define OMX_WIRE_SMALL_MAX		128
#define OMX_WIRE_RNDV_DATA_LEN		8	/* RNDV length field */
#define OMX_WIRE_CONNECT_DATA_LEN	16	/* CONNECT length field */
#define OMX_WIRE_TRUC_DATA_LEN		16	/* TRUC length field */
#define OMX_WIRE_HOSTNAME_MAX		80	/* HOST_REPLY name, NUL included */
#define OMX_WIRE_RAW_MAX		1024	/* whole RAW frame */
#define OMX_WIRE_OED_FRAME_LEN		64	/* omxoed discovery frame (4.13) */

/* Limits of the two supported build variants (section 1) */
#define OMX_WIRE_9000_MTU		9000	/* largest frame, Ethernet header included */
#define OMX_WIRE_9000_MEDIUM_FRAG_MAX	8192
#define OMX_WIRE_9000_MEDIUM_FRAGS_MAX	32
#define OMX_WIRE_9000_PULL_REPLY_MAX	8968
#define OMX_WIRE_9000_PULL_BLOCK_REPLIES 32
#define OMX_WIRE_1500_MTU		1500
#define OMX_WIRE_1500_MEDIUM_FRAG_MAX	1452
#define OMX_WIRE_1500_MEDIUM_FRAGS_MAX	32
#define OMX_WIRE_1500_PULL_REPLY_MAX	1468
#define OMX_WIRE_1500_PULL_BLOCK_REPLIES 32

/* Sizes of the receiver's peer table the decoder accepts (section 6.7) */
#define OMX_WIRE_PEER_MAX_DEFAULT	1024
#define OMX_WIRE_PEER_MAX_LIMIT		65536	/* 16-bit index */

/* NACK_LIB / NACK_MCP nack types (section 3) */
#define OMX_WIRE_NACK_NONE		0
#define OMX_WIRE_NACK_BAD_ENDPT		1
#define OMX_WIRE_NACK_ENDPT_CLOSED	2
#define OMX_WIRE_NACK_BAD_SESSION	3
#define OMX_WIRE_NACK_BAD_RDMAWIN	4	/* NACK_MCP only */

#define OMX_WIRE_TRUC_ACK		0x55	/* the only TRUC subtype */

/* CONNECT reply status codes */
#define OMX_WIRE_CONNECT_SUCCESS	0
#define OMX_WIRE_CONNECT_BAD_KEY	11

/* ------------------------------------------------------------------------
 * Errors, returned negated by the encoders and the decoder
 */
enum omx_wire_error {
	OMX_WIRE_EINVAL = 1,	/* bad argument: NULL data with a length, bad variant */
	OMX_WIRE_ENOSPC,	/* encode: buffer smaller than the frame */
	OMX_WIRE_ESHORT,	/* decode: frame ends inside the fixed fields */
	OMX_WIRE_EETHERTYPE,	/* decode: not 0x86DF */
	OMX_WIRE_EPTYPE,	/* packet type unknown */
	OMX_WIRE_EPTYPE_INVALID, /* packet type defined but never valid on the wire */
	OMX_WIRE_ELENGTH,	/* length over its limit, or payload beyond the frame */
	OMX_WIRE_EFRAG,		/* medium fragment number out of range */
	OMX_WIRE_EPEER,		/* header peer index cannot be a valid entry */
	OMX_WIRE_EFIELD,	/* a field holds a value the protocol does not define */
};

const char *omx_wire_strerror(int err);	/* err may be negated or not */

/* ------------------------------------------------------------------------
 * Build variant, chosen at run time (a module option)
 */
enum omx_wire_variant {
	OMX_WIRE_VARIANT_MTU9000,	/* Open-MX default */
	OMX_WIRE_VARIANT_MTU1500,	/* Open-MX --with-mtu=1500 */
};

struct omx_wire_params {
	enum omx_wire_variant variant;
	uint32_t mtu;			/* largest frame, Ethernet header included */
	uint32_t medium_frag_max;	/* MEDIUM payload per fragment (F) */
	uint32_t medium_frags_max;	/* fragments per MEDIUM message */
	uint32_t pull_reply_max;	/* PULL_REPLY payload (R) */
	uint32_t pull_block_replies;	/* PULL_REPLY frames per PULL block (N) */
	uint32_t peer_max;		/* entries of the receiver's peer table */
};

/*
 * Fill @p for @variant and a peer table of @peer_max entries (1..65536).
 * Returns 0 or -OMX_WIRE_EINVAL.
 */
int omx_wire_params_init(struct omx_wire_params *p,
			 enum omx_wire_variant variant, uint32_t peer_max);

/* ------------------------------------------------------------------------
 * Host-order packet structs.  Pads, src_generation and the RNDV, CONNECT and
 * TRUC length fields (constants) have no member: encoders write them,
 * the decoder checks or ignores them.
 */

/* Octets 0..15 of every frame (section 2) */
struct omx_wire_hdr {
	uint8_t dst_mac[OMX_WIRE_ETH_ALEN];
	uint8_t src_mac[OMX_WIRE_ETH_ALEN];
	uint16_t peer_index;	/* sender's index in the receiver's table */
};

/* Message header shared by TINY, SMALL, RNDV and MEDIUM (4.1, 4.2, 4.3) */
struct omx_wire_msg_head {
	uint8_t dst_endpoint;
	uint8_t src_endpoint;
	uint16_t checksum;	/* debug builds only; 0 otherwise */
	uint16_t lib_seqnum;
	uint16_t lib_piggyack;
	uint64_t match_info;	/* match_a is bits 63..32 */
	uint32_t session;	/* session of the target endpoint */
};

/* TINY (<= 32 octets) and SMALL (<= 128 octets), 4.1 */
struct omx_wire_msg {
	struct omx_wire_msg_head head;
	uint16_t length;
	const uint8_t *data;
};

/* MEDIUM, native layout, 4.2 */
struct omx_wire_medium {
	struct omx_wire_msg_head head;
	uint32_t length;	/* whole message */
	uint16_t frag_length;	/* payload in this frame */
	uint8_t frag_seqnum;	/* fragment index; payload goes at index * F */
	const uint8_t *data;
};

/* RNDV, 4.3 */
struct omx_wire_rndv {
	struct omx_wire_msg_head head;
	uint32_t msg_length;
	uint8_t pulled_rdma_id;
	uint8_t pulled_rdma_seqnum;
	uint16_t pulled_rdma_offset;
};

/* PULL, native layout, 4.4 */
struct omx_wire_pull {
	uint8_t dst_endpoint;	/* owner of the data */
	uint8_t src_endpoint;	/* puller */
	uint32_t session;
	uint32_t total_length;
	uint32_t pulled_rdma_id;	/* 32 bits: a bad id is nacked, not dropped */
	uint8_t pulled_rdma_seqnum;
	uint32_t pulled_rdma_offset;
	uint32_t src_pull_handle;
	uint32_t src_magic;
	uint32_t first_frame_offset;
	uint32_t block_length;
	uint32_t frame_index;
};

/* PULL_REPLY, 4.6 */
struct omx_wire_pull_reply {
	uint8_t frame_seqnum;
	uint16_t frame_length;
	uint32_t msg_offset;
	uint32_t dst_pull_handle;
	uint32_t dst_magic;
	const uint8_t *data;
};

/* NOTIFY, 4.7 */
struct omx_wire_notify {
	uint8_t dst_endpoint;
	uint8_t src_endpoint;
	uint32_t session;
	uint32_t total_length;
	uint8_t pulled_rdma_id;
	uint8_t pulled_rdma_seqnum;
	uint16_t lib_seqnum;
	uint16_t lib_piggyack;
};

/* CONNECT request and reply, 4.8 */
struct omx_wire_connect {
	uint8_t dst_endpoint;
	uint8_t src_endpoint;
	uint16_t lib_seqnum;		/* 0 */
	uint16_t src_dst_peer_index;	/* receiver's index in the sender's table */
	uint32_t src_session_id;
	union {
		uint32_t app_key;		/* request */
		uint32_t target_session_id;	/* reply */
	};
	uint16_t target_recv_seqnum_start;
	uint8_t is_reply;		/* 0 or 1 */
	uint8_t connect_seqnum;
	uint8_t status_code;		/* reply only; a pad in a request */
};

/* TRUC liback, 4.9.  session is sent twice (session and session_id). */
struct omx_wire_truc {
	uint8_t dst_endpoint;
	uint8_t src_endpoint;
	uint32_t session;
	uint8_t type;			/* OMX_WIRE_TRUC_ACK */
	uint16_t lib_seqnum;		/* next seqnum expected */
	uint32_t acknum;
	uint16_t send_seq;
	uint8_t resent;
};

/* NACK_LIB, 4.10.  Its peer index copy is the header's peer_index. */
struct omx_wire_nack_lib {
	uint8_t src_endpoint;	/* endpoint the nacked packet was sent to */
	uint8_t nack_type;	/* OMX_WIRE_NACK_BAD_ENDPT..BAD_SESSION */
	uint8_t dst_endpoint;	/* endpoint that sent the nacked packet */
	uint16_t lib_seqnum;
};

/* NACK_MCP, 4.11 */
struct omx_wire_nack_mcp {
	uint8_t src_endpoint;	/* the puller */
	uint8_t nack_type;	/* OMX_WIRE_NACK_BAD_ENDPT..BAD_RDMAWIN */
	uint32_t src_pull_handle;
	uint32_t src_magic;
};

/* HOST_QUERY and HOST_REPLY, 4.12; the hostname is for a reply only */
struct omx_wire_host {
	uint16_t src_dst_peer_index;
	uint32_t magic;
	uint8_t hostname_len;	/* NUL included, 1..80 */
	const char *hostname;	/* NUL-terminated within hostname_len */
};

/* RAW, 4.13: the whole frame, Ethernet header included */
struct omx_wire_raw {
	const uint8_t *frame;
	size_t len;
};

/* The omxoed discovery layout of a RAW frame, 4.13 */
struct omx_wire_oed {
	uint64_t nic_id;
	uint32_t serial;
};

/* A decoded frame: ptype selects the union member. */
struct omx_wire_pkt {
	struct omx_wire_hdr hdr;
	uint8_t ptype;
	union {
		struct omx_wire_msg msg;	/* TINY, SMALL */
		struct omx_wire_medium medium;
		struct omx_wire_rndv rndv;
		struct omx_wire_pull pull;
		struct omx_wire_pull_reply pull_reply;
		struct omx_wire_notify notify;
		struct omx_wire_connect connect;
		struct omx_wire_truc truc;
		struct omx_wire_nack_lib nack_lib;
		struct omx_wire_nack_mcp nack_mcp;
		struct omx_wire_host host;	/* HOST_QUERY, HOST_REPLY */
		struct omx_wire_raw raw;
	};
};

/* ------------------------------------------------------------------------
 * Encoders.  Each writes one whole frame into @buf and returns its length
 * (at least OMX_WIRE_ETH_ZLEN), or a negated enum omx_wire_error; on error
 * @buf may have been partly written.  Limits are checked as the decoder
 * checks them, so an encoded frame always decodes.
 */
int omx_wire_encode_tiny(const struct omx_wire_hdr *hdr,
			 const struct omx_wire_msg *msg,
			 uint8_t *buf, size_t buflen);
int omx_wire_encode_small(const struct omx_wire_hdr *hdr,
			  const struct omx_wire_msg *msg,
			  uint8_t *buf, size_t buflen);
int omx_wire_encode_medium(const struct omx_wire_params *p,
			   const struct omx_wire_hdr *hdr,
			   const struct omx_wire_medium *m,
			   uint8_t *buf, size_t buflen);
int omx_wire_encode_rndv(const struct omx_wire_hdr *hdr,
			 const struct omx_wire_rndv *r,
			 uint8_t *buf, size_t buflen);
int omx_wire_encode_pull(const struct omx_wire_params *p,
			 const struct omx_wire_hdr *hdr,
			 const struct omx_wire_pull *pull,
			 uint8_t *buf, size_t buflen);
int omx_wire_encode_pull_reply(const struct omx_wire_params *p,
			       const struct omx_wire_hdr *hdr,
			       const struct omx_wire_pull_reply *r,
			       uint8_t *buf, size_t buflen);
int omx_wire_encode_notify(const struct omx_wire_hdr *hdr,
			   const struct omx_wire_notify *n,
			   uint8_t *buf, size_t buflen);
int omx_wire_encode_connect(const struct omx_wire_hdr *hdr,
			    const struct omx_wire_connect *c,
			    uint8_t *buf, size_t buflen);
int omx_wire_encode_truc(const struct omx_wire_hdr *hdr,
			 const struct omx_wire_truc *t,
			 uint8_t *buf, size_t buflen);
int omx_wire_encode_nack_lib(const struct omx_wire_hdr *hdr,
			     const struct omx_wire_nack_lib *n,
			     uint8_t *buf, size_t buflen);
int omx_wire_encode_nack_mcp(const struct omx_wire_hdr *hdr,
			     const struct omx_wire_nack_mcp *n,
			     uint8_t *buf, size_t buflen);
int omx_wire_encode_host_query(const struct omx_wire_hdr *hdr,
			       const struct omx_wire_host *h,
			       uint8_t *buf, size_t buflen);
int omx_wire_encode_host_reply(const struct omx_wire_hdr *hdr,
			       const struct omx_wire_host *h,
			       uint8_t *buf, size_t buflen);
/* A RAW frame built by a discovery program, copied as is (then padded). */
int omx_wire_encode_raw(const struct omx_wire_raw *raw,
			uint8_t *buf, size_t buflen);
/* A RAW frame in the omxoed layout (64 octets). */
int omx_wire_encode_raw_oed(const struct omx_wire_hdr *hdr,
			    const struct omx_wire_oed *oed,
			    uint8_t *buf, size_t buflen);

/* Encode a decoded packet again: dispatches on pkt->ptype. */
int omx_wire_encode(const struct omx_wire_params *p,
		    const struct omx_wire_pkt *pkt,
		    uint8_t *buf, size_t buflen);

/* ------------------------------------------------------------------------
 * Decoder
 */

/*
 * Validate the @len octets at @frame (Ethernet header first, no FCS) against
 * @p and fill @out.  Returns 0 or a negated enum omx_wire_error; @out is
 * unspecified on error.  Never reads past @len.  Octets after the last field
 * or payload octet (Ethernet padding) are ignored, as are pads.
 */
int omx_wire_decode(const uint8_t *frame, size_t len,
		    const struct omx_wire_params *p, struct omx_wire_pkt *out);

/* Read the omxoed fields of a decoded RAW frame: 0 or -OMX_WIRE_ESHORT. */
int omx_wire_decode_raw_oed(const struct omx_wire_raw *raw,
			    struct omx_wire_oed *oed);

/* ------------------------------------------------------------------------
 * Big-endian accessors, written with shifts so that they behave the same
 * on any host, in the kernel and in user space.
 */
static inline void omx_wire_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void omx_wire_put_be32(uint8_t *p, uint32_t v)
{
	omx_wire_put_be16(p, (uint16_t)(v >> 16));
	omx_wire_put_be16(p + 2, (uint16_t)v);
}

static inline void omx_wire_put_be64(uint8_t *p, uint64_t v)
{
	omx_wire_put_be32(p, (uint32_t)(v >> 32));
	omx_wire_put_be32(p + 4, (uint32_t)v);
}

static inline uint16_t omx_wire_get_be16(const uint8_t *p)
{
	return (uint16_t)((uint16_t)p[0] << 8 | p[1]);
}

static inline uint32_t omx_wire_get_be32(const uint8_t *p)
{
	return (uint32_t)omx_wire_get_be16(p) << 16 | omx_wire_get_be16(p + 2);
}

static inline uint64_t omx_wire_get_be64(const uint8_t *p)
{
	return (uint64_t)omx_wire_get_be32(p) << 32 | omx_wire_get_be32(p + 4);
}

#endif /* OMX_WIRE_H */
