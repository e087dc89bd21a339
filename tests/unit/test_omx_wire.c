// SPDX-License-Identifier: MIT
/*
 * test_omx_wire.c - unit tests of shared/omx_wire.c, the Open-MX 1.5 wire
 * codec.
 *
 * Every packet type has a frame written out by hand below from the layout
 * tables of the Open-MX wire reference (one comment per field, with its
 * frame offset).  Each is encoded from a struct and compared octet by
 * octet, then decoded and compared field by field.  Generic checks then
 * run over all of them: every prefix of every frame, scribbled pads, a
 * decode/encode round trip, a buffer one octet short, and a mutation loop.
 * Run under valgrind or -fsanitize=address: the prefix and mutation loops
 * hand the decoder exact-size heap copies, so any read past the end shows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omx_wire.h"
#include "tap.h"

static struct omx_wire_params p9000, p1500;

/* Payload of the large frames: a pattern, not produced by the codec. */
static uint8_t payload[OMX_WIRE_9000_MTU];

static void fill_payload(void)
{
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(0x11 + i * 13);
}

static const struct omx_wire_hdr hdr_peer258 = {
	.dst_mac = { 0x00, 0x60, 0xdd, 0x47, 0x11, 0x22 },
	.src_mac = { 0x00, 0x60, 0xdd, 0x47, 0x33, 0x44 },
	.peer_index = 0x0102,
};

/* Octets 0..15: destination MAC, source MAC, ethertype, peer index. */
#define MACS		0x00, 0x60, 0xdd, 0x47, 0x11, 0x22, \
			0x00, 0x60, 0xdd, 0x47, 0x33, 0x44
#define HDR(hi, lo)	MACS, 0x86, 0xdf, hi, lo
#define ZERO4		0, 0, 0, 0
#define ZERO10		0, 0, 0, 0, 0, 0, 0, 0, 0, 0

static struct omx_wire_hdr hdr_with(uint16_t peer_index)
{
	struct omx_wire_hdr h = hdr_peer258;

	h.peer_index = peer_index;
	return h;
}

/* ------------------------------------------------------------------------
 * The frames (4.1 to 4.13)
 */

/* TINY, 5 octets: 40 + 5 used, padded to 60. */
static const uint8_t tiny_frame[] = {
	HDR(0x01, 0x02),		/* 0: MACs, 0x86DF, peer index 258 */
	0x25,				/* 16 ptype TINY */
	0x03,				/* 17 dst_endpoint */
	0x04,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x00, 0x05,			/* 20 length */
	0x00, 0x00,			/* 22 checksum */
	0x12, 0x34,			/* 24 lib_seqnum */
	0x56, 0x78,			/* 26 lib_piggyack */
	0xa1, 0xa2, 0xa3, 0xa4,		/* 28 match_a */
	0xb1, 0xb2, 0xb3, 0xb4,		/* 32 match_b */
	0xc1, 0xc2, 0xc3, 0xc4,		/* 36 session */
	'h', 'e', 'l', 'l', 'o',	/* 40 data */
	ZERO10, 0, 0, 0, 0, 0,		/* 45 Ethernet padding */
};

static const struct omx_wire_msg tiny_msg = {
	.head = { .dst_endpoint = 3, .src_endpoint = 4, .checksum = 0,
		  .lib_seqnum = 0x1234, .lib_piggyack = 0x5678,
		  .match_info = 0xa1a2a3a4b1b2b3b4ull, .session = 0xc1c2c3c4 },
	.length = 5,
	.data = (const uint8_t *)"hello",
};

/* SMALL, 128 octets (the maximum), peer index 1023 (last valid). */
static const uint8_t small_head[] = {
	HDR(0x03, 0xff),		/* 0: peer index 1023 */
	0x26,				/* 16 ptype SMALL */
	0x1f,				/* 17 dst_endpoint */
	0x00,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x00, 0x80,			/* 20 length 128 */
	0xbe, 0xef,			/* 22 checksum (as a debug build sends) */
	0xc0, 0x01,			/* 24 lib_seqnum, sesnum 3 */
	0x40, 0x02,			/* 26 lib_piggyack, sesnum 1 */
	0x01, 0x02, 0x03, 0x04,		/* 28 match_a */
	0x05, 0x06, 0x07, 0x08,		/* 32 match_b */
	0xde, 0xad, 0xbe, 0xef,		/* 36 session */
					/* 40 data: payload[0..127] */
};

static const struct omx_wire_msg small_msg = {
	.head = { .dst_endpoint = 31, .src_endpoint = 0, .checksum = 0xbeef,
		  .lib_seqnum = 0xc001, .lib_piggyack = 0x4002,
		  .match_info = 0x0102030405060708ull, .session = 0xdeadbeef },
	.length = 128,
	.data = payload,
};

/* MEDIUM, MTU 9000: last fragment (2) of 20000 octets: 20000 - 2 * 8192. */
static const uint8_t medium9000_head[] = {
	HDR(0x00, 0x00),		/* 0: peer index 0 */
	0x27,				/* 16 ptype MEDIUM */
	0x05,				/* 17 dst_endpoint */
	0x06,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x00, 0x00, 0x4e, 0x20,		/* 20 length 20000 */
	0x00, 0x07,			/* 24 lib_seqnum */
	0x00, 0x03,			/* 26 lib_piggyack */
	0xff, 0xff, 0xff, 0xff,		/* 28 match_a */
	0x00, 0x00, 0x00, 0x01,		/* 32 match_b */
	0x7f, 0x00, 0x00, 0x01,		/* 36 session */
	0x0e, 0x20,			/* 40 frag_length 3616 */
	0x02,				/* 42 frag_seqnum */
	0x00,				/* 43 pad1 */
	0x00, 0x00,			/* 44 checksum */
	0x00, 0x00,			/* 46 pad2 */
					/* 48 data: payload[0..3615] */
};

static const struct omx_wire_medium medium9000_msg = {
	.head = { .dst_endpoint = 5, .src_endpoint = 6, .lib_seqnum = 7,
		  .lib_piggyack = 3, .match_info = 0xffffffff00000001ull,
		  .session = 0x7f000001 },
	.length = 20000, .frag_length = 3616, .frag_seqnum = 2,
	.data = payload,
};

/* MEDIUM, MTU 1500: full fragment 1 of 3000 octets, a 1500-octet frame. */
static const uint8_t medium1500_head[] = {
	HDR(0x00, 0x10),		/* 0: peer index 16 */
	0x27,				/* 16 ptype MEDIUM */
	0x01,				/* 17 dst_endpoint */
	0x02,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x00, 0x00, 0x0b, 0xb8,		/* 20 length 3000 */
	0x3f, 0xff,			/* 24 lib_seqnum */
	0x3f, 0xfe,			/* 26 lib_piggyack */
	0x00, 0x00, 0x00, 0x00,		/* 28 match_a */
	0x00, 0x00, 0x00, 0x00,		/* 32 match_b */
	0x00, 0x00, 0x00, 0x2a,		/* 36 session */
	0x05, 0xac,			/* 40 frag_length 1452 */
	0x01,				/* 42 frag_seqnum */
	0x00,				/* 43 pad1 */
	0x12, 0x34,			/* 44 checksum */
	0x00, 0x00,			/* 46 pad2 */
					/* 48 data: payload[0..1451] */
};

static const struct omx_wire_medium medium1500_msg = {
	.head = { .dst_endpoint = 1, .src_endpoint = 2, .checksum = 0x1234,
		  .lib_seqnum = 0x3fff, .lib_piggyack = 0x3ffe,
		  .match_info = 0, .session = 42 },
	.length = 3000, .frag_length = 1452, .frag_seqnum = 1,
	.data = payload,
};

/* RNDV: 48 octets used, padded to 60. */
static const uint8_t rndv_frame[] = {
	HDR(0x01, 0x02),
	0x28,				/* 16 ptype RNDV */
	0x08,				/* 17 dst_endpoint */
	0x09,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x00, 0x08,			/* 20 length 8 */
	0x00, 0x00,			/* 22 checksum */
	0x00, 0x2a,			/* 24 lib_seqnum */
	0x00, 0x29,			/* 26 lib_piggyack */
	0x11, 0x22, 0x33, 0x44,		/* 28 match_a */
	0x55, 0x66, 0x77, 0x88,		/* 32 match_b */
	0x0a, 0x0b, 0x0c, 0x0d,		/* 36 session */
	0x00, 0x10, 0x00, 0x00,		/* 40 msg_length 1 MiB */
	0x7e,				/* 44 pulled_rdma_id */
	0x17,				/* 45 pulled_rdma_seqnum */
	0x01, 0x00,			/* 46 pulled_rdma_offset 256 */
	ZERO10, 0, 0,			/* 48 Ethernet padding */
};

static const struct omx_wire_rndv rndv_msg = {
	.head = { .dst_endpoint = 8, .src_endpoint = 9, .lib_seqnum = 42,
		  .lib_piggyack = 41, .match_info = 0x1122334455667788ull,
		  .session = 0x0a0b0c0d },
	.msg_length = 0x100000, .pulled_rdma_id = 0x7e,
	.pulled_rdma_seqnum = 0x17, .pulled_rdma_offset = 256,
};

/*
 * PULL, native: the first block of that RNDV at MTU 9000, o = 256, so
 * block_length = 32 * 8968 - 256 = 286720, exactly the 32-reply limit.
 */
static const uint8_t pull_frame[] = {
	HDR(0x01, 0x02),
	0x29,				/* 16 ptype PULL */
	0x09,				/* 17 dst_endpoint (data owner) */
	0x08,				/* 18 src_endpoint (puller) */
	0x00,				/* 19 src_generation */
	0x51, 0x52, 0x53, 0x54,		/* 20 session */
	0x00, 0x10, 0x00, 0x00,		/* 24 total_length */
	0x00, 0x00, 0x00, 0x7e,		/* 28 pulled_rdma_id */
	0x17,				/* 32 pulled_rdma_seqnum */
	0x00, 0x00, 0x00,		/* 33 pad1 */
	0x00, 0x00, 0x01, 0x00,		/* 36 pulled_rdma_offset */
	0x00, 0x40, 0x00, 0x23,		/* 40 src_pull_handle */
	0x21, 0x07, 0x19, 0x88,		/* 44 src_magic (8 ^ 0x21071980) */
	0x00, 0x00, 0x01, 0x00,		/* 48 first_frame_offset 256 */
	0x00, 0x04, 0x60, 0x00,		/* 52 block_length 286720 */
	0x00, 0x00, 0x00, 0x00,		/* 56 frame_index */
};

static const struct omx_wire_pull pull_msg = {
	.dst_endpoint = 9, .src_endpoint = 8, .session = 0x51525354,
	.total_length = 0x100000, .pulled_rdma_id = 0x7e,
	.pulled_rdma_seqnum = 0x17, .pulled_rdma_offset = 256,
	.src_pull_handle = 0x00400023, .src_magic = 0x21071988,
	.first_frame_offset = 256, .block_length = 286720, .frame_index = 0,
};

/* PULL_REPLY, MTU 9000, full frame: 32 + 8968 = 9000 octets. */
static const uint8_t pull_reply9000_head[] = {
	HDR(0xff, 0xff),		/* 0: peer index unset (not checked) */
	0x2a,				/* 16 ptype PULL_REPLY */
	0x21,				/* 17 frame_seqnum */
	0x23, 0x08,			/* 18 frame_length 8968 */
	0x00, 0x04, 0x5f, 0x00,		/* 20 msg_offset */
	0x00, 0x40, 0x00, 0x23,		/* 24 dst_pull_handle */
	0x21, 0x07, 0x19, 0x88,		/* 28 dst_magic */
					/* 32 data: payload[0..8967] */
};

static const struct omx_wire_pull_reply pull_reply9000_msg = {
	.frame_seqnum = 0x21, .frame_length = 8968, .msg_offset = 0x45f00,
	.dst_pull_handle = 0x00400023, .dst_magic = 0x21071988,
	.data = payload,
};

/* PULL_REPLY, MTU 1500, full frame: 32 + 1468 = 1500 octets. */
static const uint8_t pull_reply1500_head[] = {
	HDR(0x00, 0x00),
	0x2a,				/* 16 ptype PULL_REPLY */
	0xff,				/* 17 frame_seqnum */
	0x05, 0xbc,			/* 18 frame_length 1468 */
	0xff, 0xff, 0xff, 0xff,		/* 20 msg_offset */
	0xfe, 0xdc, 0xba, 0x98,		/* 24 dst_pull_handle */
	0x76, 0x54, 0x32, 0x10,		/* 28 dst_magic */
					/* 32 data: payload[0..1467] */
};

static const struct omx_wire_pull_reply pull_reply1500_msg = {
	.frame_seqnum = 0xff, .frame_length = 1468, .msg_offset = 0xffffffff,
	.dst_pull_handle = 0xfedcba98, .dst_magic = 0x76543210,
	.data = payload,
};

/* NOTIFY: 40 octets used, padded to 60. */
static const uint8_t notify_frame[] = {
	HDR(0x01, 0x02),
	0x2b,				/* 16 ptype NOTIFY */
	0x09,				/* 17 dst_endpoint (large sender) */
	0x08,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x51, 0x52, 0x53, 0x54,		/* 20 session */
	0x00, 0x0f, 0xff, 0xff,		/* 24 total_length */
	0x7e,				/* 28 pulled_rdma_id */
	0x17,				/* 29 pulled_rdma_seqnum */
	0x00, 0x00,			/* 30 pad1 */
	0x00, 0x00,			/* 32 pad2 */
	0x00, 0x09,			/* 34 lib_seqnum */
	0x00, 0x2b,			/* 36 lib_piggyack */
	0x00, 0x00,			/* 38 pad3 */
	ZERO10, ZERO10,			/* 40 Ethernet padding */
};

static const struct omx_wire_notify notify_msg = {
	.dst_endpoint = 9, .src_endpoint = 8, .session = 0x51525354,
	.total_length = 0x000fffff, .pulled_rdma_id = 0x7e,
	.pulled_rdma_seqnum = 0x17, .lib_seqnum = 9, .lib_piggyack = 0x2b,
};

/* CONNECT request: 48 octets used, padded to 60; sender index unknown. */
static const uint8_t connect_req_frame[] = {
	HDR(0xff, 0xff),		/* 0: peer index unknown */
	0x24,				/* 16 ptype CONNECT */
	0x02,				/* 17 dst_endpoint (target) */
	0x01,				/* 18 src_endpoint (connecting) */
	0x00,				/* 19 src_generation */
	0x10,				/* 20 length 16 */
	0x00, 0x00, 0x00,		/* 21 pad1 */
	0x00, 0x00,			/* 24 lib_seqnum */
	0x00, 0x05,			/* 26 src_dst_peer_index */
	0x00, 0x00, 0x00, 0x00,		/* 28 pad2 */
	0x9a, 0xbc, 0xde, 0xf0,		/* 32 src_session_id */
	0x00, 0x00, 0x00, 0x2a,		/* 36 app_key */
	0x00, 0x01,			/* 40 target_recv_seqnum_start */
	0x00,				/* 42 is_reply */
	0x00,				/* 43 connect_seqnum */
	0x00,				/* 44 pad (status in a reply) */
	0x00, 0x00, 0x00,		/* 45 pad */
	ZERO10, 0, 0,			/* 48 Ethernet padding */
};

static const struct omx_wire_connect connect_req_msg = {
	.dst_endpoint = 2, .src_endpoint = 1, .lib_seqnum = 0,
	.src_dst_peer_index = 5, .src_session_id = 0x9abcdef0,
	.app_key = 42, .target_recv_seqnum_start = 1, .is_reply = 0,
	.connect_seqnum = 0, .status_code = 0,
};

/* CONNECT reply with status "bad key". */
static const uint8_t connect_rep_frame[] = {
	HDR(0x01, 0x02),
	0x24,				/* 16 ptype CONNECT */
	0x01,				/* 17 dst_endpoint (connecting) */
	0x02,				/* 18 src_endpoint (target) */
	0x00,				/* 19 src_generation */
	0x10,				/* 20 length 16 */
	0x00, 0x00, 0x00,		/* 21 pad1 */
	0x00, 0x00,			/* 24 lib_seqnum */
	0x01, 0x02,			/* 26 src_dst_peer_index */
	0x00, 0x00, 0x00, 0x00,		/* 28 pad2 */
	0x9a, 0xbc, 0xde, 0xf0,		/* 32 src_session_id (echo) */
	0x13, 0x57, 0x24, 0x68,		/* 36 target_session_id */
	0x40, 0x01,			/* 40 target_recv_seqnum_start */
	0x01,				/* 42 is_reply */
	0x07,				/* 43 connect_seqnum (echo) */
	0x0b,				/* 44 connect_status_code 11 */
	0x00, 0x00, 0x00,		/* 45 pad */
	ZERO10, 0, 0,			/* 48 Ethernet padding */
};

static const struct omx_wire_connect connect_rep_msg = {
	.dst_endpoint = 1, .src_endpoint = 2, .lib_seqnum = 0,
	.src_dst_peer_index = 0x0102, .src_session_id = 0x9abcdef0,
	.target_session_id = 0x13572468, .target_recv_seqnum_start = 0x4001,
	.is_reply = 1, .connect_seqnum = 7,
	.status_code = OMX_WIRE_CONNECT_BAD_KEY,
};

/* TRUC liback: 44 octets used, padded to 60. */
static const uint8_t truc_frame[] = {
	HDR(0x01, 0x02),
	0x23,				/* 16 ptype TRUC */
	0x08,				/* 17 dst_endpoint */
	0x09,				/* 18 src_endpoint */
	0x00,				/* 19 src_generation */
	0x10,				/* 20 length 16 */
	0x00, 0x00, 0x00,		/* 21 pad1 */
	0x51, 0x52, 0x53, 0x54,		/* 24 session */
	0x55,				/* 28 type ACK */
	0x00,				/* 29 pad */
	0x00, 0x0b,			/* 30 lib_seqnum */
	0x51, 0x52, 0x53, 0x54,		/* 32 session_id */
	0x00, 0x00, 0x00, 0x03,		/* 36 acknum */
	0x00, 0x0b,			/* 40 send_seq */
	0x00,				/* 42 resent */
	0x00,				/* 43 pad1 */
	ZERO10, 0, 0, 0, 0, 0, 0,	/* 44 Ethernet padding */
};

static const struct omx_wire_truc truc_msg = {
	.dst_endpoint = 8, .src_endpoint = 9, .session = 0x51525354,
	.type = OMX_WIRE_TRUC_ACK, .lib_seqnum = 11, .acknum = 3,
	.send_seq = 11, .resent = 0,
};

/* NACK_LIB: 32 octets used, padded to 60. */
static const uint8_t nack_lib_frame[] = {
	HDR(0x01, 0x02),
	0x2c,				/* 16 ptype NACK_LIB */
	0x08,				/* 17 src_endpoint */
	0x00,				/* 18 src_generation */
	0x03,				/* 19 nack_type BAD_SESSION */
	0x00, 0x00, 0x00, 0x00,		/* 20 pad1 */
	0x00,				/* 24 pad2 */
	0x09,				/* 25 dst_endpoint */
	0x01, 0x02,			/* 26 dst_src_peer_index (copy of 14) */
	0x00, 0x2a,			/* 28 lib_seqnum */
	0x00, 0x00,			/* 30 pad3 */
	ZERO10, ZERO10, 0, 0, 0, 0, 0, 0, 0, 0, /* 32 Ethernet padding */
};

static const struct omx_wire_nack_lib nack_lib_msg = {
	.src_endpoint = 8, .nack_type = OMX_WIRE_NACK_BAD_SESSION,
	.dst_endpoint = 9, .lib_seqnum = 42,
};

/* NACK_MCP with an unknown sender index (allowed for nacks). */
static const uint8_t nack_mcp_frame[] = {
	HDR(0xff, 0xff),
	0x2d,				/* 16 ptype NACK_MCP */
	0x08,				/* 17 src_endpoint (puller) */
	0x00,				/* 18 src_generation */
	0x04,				/* 19 nack_type BAD_RDMAWIN */
	0x00, 0x00, 0x00, 0x00,		/* 20 pad1 */
	0x00, 0x40, 0x00, 0x23,		/* 24 src_pull_handle */
	0x21, 0x07, 0x19, 0x88,		/* 28 src_magic */
	ZERO10, ZERO10, 0, 0, 0, 0, 0, 0, 0, 0, /* 32 Ethernet padding */
};

static const struct omx_wire_nack_mcp nack_mcp_msg = {
	.src_endpoint = 8, .nack_type = OMX_WIRE_NACK_BAD_RDMAWIN,
	.src_pull_handle = 0x00400023, .src_magic = 0x21071988,
};

/* HOST_QUERY: 32 octets used, padded to 60. */
static const uint8_t host_query_frame[] = {
	HDR(0x00, 0x00),		/* 0: peer index not set */
	0x03,				/* 16 ptype HOST_QUERY */
	0x00,				/* 17 pad */
	0x00, 0x07,			/* 18 src_dst_peer_index */
	0x00, 0x00, 0x00, 0x00,		/* 20 pad0 */
	0x13, 0x05, 0x20, 0x08,		/* 24 magic */
	0x00, 0x00, 0x00, 0x00,		/* 28 pad1 */
	ZERO10, ZERO10, 0, 0, 0, 0, 0, 0, 0, 0, /* 32 Ethernet padding */
};

static const struct omx_wire_host host_query_msg = {
	.src_dst_peer_index = 7, .magic = 0x13052008,
};

/* HOST_REPLY with "node1:0": 40 octets used, padded to 60. */
static const uint8_t host_reply_frame[] = {
	HDR(0x00, 0x00),
	0x04,				/* 16 ptype HOST_REPLY */
	0x08,				/* 17 length, NUL included */
	0x00, 0x03,			/* 18 src_dst_peer_index */
	0x00, 0x00, 0x00, 0x00,		/* 20 pad0 */
	0x13, 0x05, 0x20, 0x08,		/* 24 magic (copied from the query) */
	0x00, 0x00, 0x00, 0x00,		/* 28 pad1 */
	'n', 'o', 'd', 'e', '1', ':', '0', 0x00, /* 32 hostname */
	ZERO10, ZERO10,			/* 40 Ethernet padding */
};

static const struct omx_wire_host host_reply_msg = {
	.src_dst_peer_index = 3, .magic = 0x13052008,
	.hostname_len = 8, .hostname = "node1:0",
};

/* RAW in the omxoed layout: 64 octets, broadcast. */
static const uint8_t raw_oed_frame[] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* 0 destination: broadcast */
	0x00, 0x60, 0xdd, 0x47, 0x33, 0x44, /* 6 source MAC */
	0x86, 0xdf,			/* 12 ethertype */
	0x00, 0x00,			/* 14 sender peer index 0 */
	0x01,				/* 16 ptype RAW */
	ZERO10, 0, 0, 0, 0, 0,		/* 17 pad */
	0x00, 0x00, 0x00, 0x60,		/* 32 NIC id high */
	0xdd, 0x47, 0x33, 0x44,		/* 36 NIC id low */
	0x5e, 0xed, 0x12, 0x34,		/* 40 serial */
	ZERO10, ZERO10,			/* 44 pad */
};

static const struct omx_wire_oed oed_msg = {
	.nic_id = 0x00000060dd473344ull, .serial = 0x5eed1234,
};

/* ------------------------------------------------------------------------
 * The frames as a table, for the generic checks
 */
struct pad {
	uint16_t off, len;
};

struct vec {
	const char *name;
	const struct omx_wire_params *p;
	const uint8_t *head;	/* literal octets */
	size_t head_len;
	size_t data_len;	/* then payload[0..data_len-1] */
	size_t frame_len;	/* then zeros up to this */
	size_t need;		/* shortest prefix that decodes */
	struct pad pads[6];	/* octets a receiver ignores */
};

#define V(a)	a, sizeof(a)

static const struct vec vecs[] = {
	{ "tiny", &p9000, V(tiny_frame), 0, 60, 45,
	  { { 19, 1 }, { 45, 15 } } },
	{ "small", &p9000, V(small_head), 128, 168, 168,
	  { { 19, 1 } } },
	{ "medium 9000", &p9000, V(medium9000_head), 3616, 3664, 3664,
	  { { 19, 1 }, { 43, 1 }, { 46, 2 } } },
	{ "medium 1500", &p1500, V(medium1500_head), 1452, 1500, 1500,
	  { { 19, 1 }, { 43, 1 }, { 46, 2 } } },
	{ "rndv", &p9000, V(rndv_frame), 0, 60, 48,
	  { { 19, 1 }, { 48, 12 } } },
	{ "pull", &p9000, V(pull_frame), 0, 60, 60,
	  { { 19, 1 }, { 33, 3 } } },
	{ "pull_reply 9000", &p9000, V(pull_reply9000_head), 8968, 9000, 9000,
	  { { 0, 0 } } },
	{ "pull_reply 1500", &p1500, V(pull_reply1500_head), 1468, 1500, 1500,
	  { { 0, 0 } } },
	{ "notify", &p9000, V(notify_frame), 0, 60, 40,
	  { { 19, 1 }, { 30, 4 }, { 38, 2 }, { 40, 20 } } },
	{ "connect request", &p9000, V(connect_req_frame), 0, 60, 48,
	  { { 19, 1 }, { 21, 3 }, { 28, 4 }, { 44, 4 }, { 48, 12 } } },
	{ "connect reply", &p9000, V(connect_rep_frame), 0, 60, 48,
	  { { 19, 1 }, { 21, 3 }, { 28, 4 }, { 45, 3 }, { 48, 12 } } },
	{ "truc", &p9000, V(truc_frame), 0, 60, 44,
	  { { 19, 1 }, { 21, 3 }, { 29, 1 }, { 43, 1 }, { 44, 16 } } },
	{ "nack_lib", &p9000, V(nack_lib_frame), 0, 60, 32,
	  { { 18, 1 }, { 20, 5 }, { 30, 2 }, { 32, 28 } } },
	{ "nack_mcp", &p9000, V(nack_mcp_frame), 0, 60, 32,
	  { { 18, 1 }, { 20, 4 }, { 32, 28 } } },
	{ "host_query", &p9000, V(host_query_frame), 0, 60, 32,
	  { { 17, 1 }, { 20, 4 }, { 28, 4 }, { 32, 28 } } },
	{ "host_reply", &p9000, V(host_reply_frame), 0, 60, 40,
	  { { 20, 4 }, { 28, 4 }, { 40, 20 } } },
	/* RAW frames are passed up whole: pads are part of the frame. */
	{ "raw oed", &p9000, V(raw_oed_frame), 0, 64, 17,
	  { { 0, 0 } } },
};

#define NVECS (sizeof(vecs) / sizeof(vecs[0]))

/* The expected frame: literal octets, payload pattern, zeros. */
static size_t build(const struct vec *v, uint8_t *out)
{
	memset(out, 0, v->frame_len);
	memcpy(out, v->head, v->head_len);
	memcpy(out + v->head_len, payload, v->data_len);
	return v->frame_len;
}

static const struct vec *vec_named(const char *name)
{
	size_t i;

	for (i = 0; i < NVECS; i++)
		if (!strcmp(vecs[i].name, name))
			return &vecs[i];
	abort();
}

static uint8_t want[OMX_WIRE_9000_MTU + 64], got[OMX_WIRE_9000_MTU + 64];

/* Compare an encoder's result with the expected frame. */
static void frame_is(int ret, const uint8_t *frame, size_t len,
		     const char *name)
{
	size_t i;

	if (!tap_is(ret, (long long)len, "%s: encoded frame length", name))
		return;
	for (i = 0; i < len && frame[i] == want[i]; i++)
		;
	if (!tap_ok(i == len, "%s: encoded octets match the layout", name))
		printf("#   first difference at octet %zu: got 0x%02x, want 0x%02x\n",
		       i, frame[i], want[i]);
}

static int decode_vec(const char *name, struct omx_wire_pkt *pkt)
{
	const struct vec *v = vec_named(name);
	int ret;

	build(v, want);
	ret = omx_wire_decode(want, v->frame_len, v->p, pkt);
	tap_is(ret, 0, "%s: decodes", name);
	return ret;
}

static void hdr_is(const struct omx_wire_hdr *h, const uint8_t *frame,
		   const char *name)
{
	tap_ok(!memcmp(h->dst_mac, frame, 6), "%s: dst_mac", name);
	tap_ok(!memcmp(h->src_mac, frame + 6, 6), "%s: src_mac", name);
	tap_is(h->peer_index, frame[14] << 8 | frame[15], "%s: peer_index", name);
}

static void head_is(const struct omx_wire_msg_head *g,
		    const struct omx_wire_msg_head *w, const char *name)
{
	tap_is(g->dst_endpoint, w->dst_endpoint, "%s: dst_endpoint", name);
	tap_is(g->src_endpoint, w->src_endpoint, "%s: src_endpoint", name);
	tap_is(g->checksum, w->checksum, "%s: checksum", name);
	tap_is(g->lib_seqnum, w->lib_seqnum, "%s: lib_seqnum", name);
	tap_is(g->lib_piggyack, w->lib_piggyack, "%s: lib_piggyack", name);
	tap_ok(g->match_info == w->match_info, "%s: match_info", name);
	tap_is(g->session, w->session, "%s: session", name);
}

/* ------------------------------------------------------------------------
 * One test per packet type: encode, compare, decode, compare fields
 */
static void test_msg(const char *name, const struct omx_wire_msg *m)
{
	const struct vec *v = vec_named(name);
	struct omx_wire_hdr hdr;
	struct omx_wire_pkt pkt;
	int ret;

	build(v, want);
	hdr = hdr_with((uint16_t)(want[14] << 8 | want[15]));
	if (!strcmp(name, "tiny"))
		ret = omx_wire_encode_tiny(&hdr, m, got, sizeof(got));
	else
		ret = omx_wire_encode_small(&hdr, m, got, sizeof(got));
	frame_is(ret, got, v->frame_len, name);
	if (decode_vec(name, &pkt))
		return;
	hdr_is(&pkt.hdr, want, name);
	tap_is(pkt.ptype, want[16], "%s: ptype", name);
	head_is(&pkt.msg.head, &m->head, name);
	tap_is(pkt.msg.length, m->length, "%s: length", name);
	tap_ok(pkt.msg.data == want + 40, "%s: data points into the frame", name);
	tap_ok(!memcmp(pkt.msg.data, m->data, m->length), "%s: data", name);
}

static void test_medium(const char *name, const struct omx_wire_params *p,
			const struct omx_wire_medium *m, uint16_t peer_index)
{
	const struct vec *v = vec_named(name);
	struct omx_wire_hdr hdr = hdr_with(peer_index);
	struct omx_wire_pkt pkt;

	build(v, want);
	frame_is(omx_wire_encode_medium(p, &hdr, m, got, sizeof(got)),
		 got, v->frame_len, name);
	if (decode_vec(name, &pkt))
		return;
	hdr_is(&pkt.hdr, want, name);
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_MEDIUM, "%s: ptype", name);
	head_is(&pkt.medium.head, &m->head, name);
	tap_is(pkt.medium.length, m->length, "%s: length", name);
	tap_is(pkt.medium.frag_length, m->frag_length, "%s: frag_length", name);
	tap_is(pkt.medium.frag_seqnum, m->frag_seqnum, "%s: frag_seqnum", name);
	tap_ok(pkt.medium.data == want + 48 &&
	       !memcmp(pkt.medium.data, payload, m->frag_length),
	       "%s: data", name);
}

static void test_rndv(void)
{
	struct omx_wire_pkt pkt;
	const struct omx_wire_rndv *r = &pkt.rndv;

	build(vec_named("rndv"), want);
	frame_is(omx_wire_encode_rndv(&hdr_peer258, &rndv_msg, got, sizeof(got)),
		 got, 60, "rndv");
	if (decode_vec("rndv", &pkt))
		return;
	hdr_is(&pkt.hdr, want, "rndv");
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_RNDV, "rndv: ptype");
	head_is(&r->head, &rndv_msg.head, "rndv");
	tap_is(r->msg_length, 0x100000, "rndv: msg_length");
	tap_is(r->pulled_rdma_id, 0x7e, "rndv: pulled_rdma_id");
	tap_is(r->pulled_rdma_seqnum, 0x17, "rndv: pulled_rdma_seqnum");
	tap_is(r->pulled_rdma_offset, 256, "rndv: pulled_rdma_offset");
}

static void test_pull(void)
{
	struct omx_wire_pkt pkt;
	const struct omx_wire_pull *g = &pkt.pull;

	build(vec_named("pull"), want);
	frame_is(omx_wire_encode_pull(&p9000, &hdr_peer258, &pull_msg,
				      got, sizeof(got)), got, 60, "pull");
	if (decode_vec("pull", &pkt))
		return;
	hdr_is(&pkt.hdr, want, "pull");
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_PULL, "pull: ptype");
	tap_is(g->dst_endpoint, 9, "pull: dst_endpoint");
	tap_is(g->src_endpoint, 8, "pull: src_endpoint");
	tap_is(g->session, 0x51525354, "pull: session");
	tap_is(g->total_length, 0x100000, "pull: total_length");
	tap_is(g->pulled_rdma_id, 0x7e, "pull: pulled_rdma_id");
	tap_is(g->pulled_rdma_seqnum, 0x17, "pull: pulled_rdma_seqnum");
	tap_is(g->pulled_rdma_offset, 256, "pull: pulled_rdma_offset");
	tap_is(g->src_pull_handle, 0x00400023, "pull: src_pull_handle");
	tap_is(g->src_magic, 0x21071988, "pull: src_magic");
	tap_is(g->first_frame_offset, 256, "pull: first_frame_offset");
	tap_is(g->block_length, 286720, "pull: block_length");
	tap_is(g->frame_index, 0, "pull: frame_index");
}

static void test_pull_reply(const char *name, const struct omx_wire_params *p,
			    const struct omx_wire_pull_reply *r,
			    uint16_t peer_index)
{
	const struct vec *v = vec_named(name);
	struct omx_wire_hdr hdr = hdr_with(peer_index);
	struct omx_wire_pkt pkt;
	const struct omx_wire_pull_reply *g = &pkt.pull_reply;

	build(v, want);
	frame_is(omx_wire_encode_pull_reply(p, &hdr, r, got, sizeof(got)),
		 got, v->frame_len, name);
	tap_is(v->frame_len, p->mtu, "%s: a full reply is an MTU-sized frame", name);
	if (decode_vec(name, &pkt))
		return;
	hdr_is(&pkt.hdr, want, name);
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_PULL_REPLY, "%s: ptype", name);
	tap_is(g->frame_seqnum, r->frame_seqnum, "%s: frame_seqnum", name);
	tap_is(g->frame_length, r->frame_length, "%s: frame_length", name);
	tap_is(g->msg_offset, r->msg_offset, "%s: msg_offset", name);
	tap_is(g->dst_pull_handle, r->dst_pull_handle, "%s: dst_pull_handle", name);
	tap_is(g->dst_magic, r->dst_magic, "%s: dst_magic", name);
	tap_ok(g->data == want + 32 &&
	       !memcmp(g->data, payload, r->frame_length), "%s: data", name);
}

static void test_notify(void)
{
	struct omx_wire_pkt pkt;
	const struct omx_wire_notify *g = &pkt.notify;

	build(vec_named("notify"), want);
	frame_is(omx_wire_encode_notify(&hdr_peer258, &notify_msg,
					got, sizeof(got)), got, 60, "notify");
	if (decode_vec("notify", &pkt))
		return;
	hdr_is(&pkt.hdr, want, "notify");
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_NOTIFY, "notify: ptype");
	tap_is(g->dst_endpoint, 9, "notify: dst_endpoint");
	tap_is(g->src_endpoint, 8, "notify: src_endpoint");
	tap_is(g->session, 0x51525354, "notify: session");
	tap_is(g->total_length, 0x000fffff, "notify: total_length");
	tap_is(g->pulled_rdma_id, 0x7e, "notify: pulled_rdma_id");
	tap_is(g->pulled_rdma_seqnum, 0x17, "notify: pulled_rdma_seqnum");
	tap_is(g->lib_seqnum, 9, "notify: lib_seqnum");
	tap_is(g->lib_piggyack, 0x2b, "notify: lib_piggyack");
}

static void test_connect(const char *name, const struct omx_wire_connect *c,
			 uint16_t peer_index)
{
	struct omx_wire_hdr hdr = hdr_with(peer_index);
	struct omx_wire_pkt pkt;
	const struct omx_wire_connect *g = &pkt.connect;

	build(vec_named(name), want);
	frame_is(omx_wire_encode_connect(&hdr, c, got, sizeof(got)),
		 got, 60, name);
	if (decode_vec(name, &pkt))
		return;
	hdr_is(&pkt.hdr, want, name);
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_CONNECT, "%s: ptype", name);
	tap_is(g->dst_endpoint, c->dst_endpoint, "%s: dst_endpoint", name);
	tap_is(g->src_endpoint, c->src_endpoint, "%s: src_endpoint", name);
	tap_is(g->lib_seqnum, 0, "%s: lib_seqnum", name);
	tap_is(g->src_dst_peer_index, c->src_dst_peer_index,
	       "%s: src_dst_peer_index", name);
	tap_is(g->src_session_id, c->src_session_id, "%s: src_session_id", name);
	tap_is(g->app_key, c->app_key, "%s: app_key / target_session_id", name);
	tap_is(g->target_recv_seqnum_start, c->target_recv_seqnum_start,
	       "%s: target_recv_seqnum_start", name);
	tap_is(g->is_reply, c->is_reply, "%s: is_reply", name);
	tap_is(g->connect_seqnum, c->connect_seqnum, "%s: connect_seqnum", name);
	tap_is(g->status_code, c->status_code, "%s: connect_status_code", name);
}

static void test_truc(void)
{
	struct omx_wire_pkt pkt;
	const struct omx_wire_truc *g = &pkt.truc;

	build(vec_named("truc"), want);
	frame_is(omx_wire_encode_truc(&hdr_peer258, &truc_msg, got, sizeof(got)),
		 got, 60, "truc");
	if (decode_vec("truc", &pkt))
		return;
	hdr_is(&pkt.hdr, want, "truc");
	tap_is(pkt.ptype, OMX_WIRE_PTYPE_TRUC, "truc: ptype");
	tap_is(g->dst_endpoint, 8, "truc: dst_endpoint");
	tap_is(g->src_endpoint, 9, "truc: src_endpoint");
	tap_is(g->session, 0x51525354, "truc: session and session_id");
	tap_is(g->type, 0x55, "truc: type");
	tap_is(g->lib_seqnum, 11, "truc: lib_seqnum");
	tap_is(g->acknum, 3, "truc: acknum");
	tap_is(g->send_seq, 11, "truc: send_seq");
	tap_is(g->resent, 0, "truc: resent");
}

static void test_nacks(void)
{
	struct omx_wire_hdr unknown = hdr_with(OMX_WIRE_PEER_INDEX_UNKNOWN);
	struct omx_wire_pkt pkt;

	build(vec_named("nack_lib"), want);
	frame_is(omx_wire_encode_nack_lib(&hdr_peer258, &nack_lib_msg,
					  got, sizeof(got)), got, 60, "nack_lib");
	if (!decode_vec("nack_lib", &pkt)) {
		hdr_is(&pkt.hdr, want, "nack_lib");
		tap_is(pkt.ptype, OMX_WIRE_PTYPE_NACK_LIB, "nack_lib: ptype");
		tap_is(pkt.nack_lib.src_endpoint, 8, "nack_lib: src_endpoint");
		tap_is(pkt.nack_lib.nack_type, 3, "nack_lib: nack_type");
		tap_is(pkt.nack_lib.dst_endpoint, 9, "nack_lib: dst_endpoint");
		tap_is(pkt.nack_lib.lib_seqnum, 42, "nack_lib: lib_seqnum");
	}

	build(vec_named("nack_mcp"), want);
	frame_is(omx_wire_encode_nack_mcp(&unknown, &nack_mcp_msg,
					  got, sizeof(got)), got, 60, "nack_mcp");
	if (!decode_vec("nack_mcp", &pkt)) {
		hdr_is(&pkt.hdr, want, "nack_mcp");
		tap_is(pkt.ptype, OMX_WIRE_PTYPE_NACK_MCP, "nack_mcp: ptype");
		tap_is(pkt.nack_mcp.src_endpoint, 8, "nack_mcp: src_endpoint");
		tap_is(pkt.nack_mcp.nack_type, 4, "nack_mcp: nack_type");
		tap_is(pkt.nack_mcp.src_pull_handle, 0x00400023,
		       "nack_mcp: src_pull_handle");
		tap_is(pkt.nack_mcp.src_magic, 0x21071988, "nack_mcp: src_magic");
	}
}

static void test_host(void)
{
	struct omx_wire_hdr hdr = hdr_with(0);
	struct omx_wire_pkt pkt;

	build(vec_named("host_query"), want);
	frame_is(omx_wire_encode_host_query(&hdr, &host_query_msg,
					    got, sizeof(got)), got, 60,
		 "host_query");
	if (!decode_vec("host_query", &pkt)) {
		hdr_is(&pkt.hdr, want, "host_query");
		tap_is(pkt.ptype, OMX_WIRE_PTYPE_HOST_QUERY, "host_query: ptype");
		tap_is(pkt.host.src_dst_peer_index, 7,
		       "host_query: src_dst_peer_index");
		tap_is(pkt.host.magic, 0x13052008, "host_query: magic");
		tap_ok(pkt.host.hostname_len == 0 && !pkt.host.hostname,
		       "host_query: no hostname");
	}

	build(vec_named("host_reply"), want);
	frame_is(omx_wire_encode_host_reply(&hdr, &host_reply_msg,
					    got, sizeof(got)), got, 60,
		 "host_reply");
	if (!decode_vec("host_reply", &pkt)) {
		hdr_is(&pkt.hdr, want, "host_reply");
		tap_is(pkt.ptype, OMX_WIRE_PTYPE_HOST_REPLY, "host_reply: ptype");
		tap_is(pkt.host.src_dst_peer_index, 3,
		       "host_reply: src_dst_peer_index");
		tap_is(pkt.host.magic, 0x13052008, "host_reply: magic");
		tap_is(pkt.host.hostname_len, 8, "host_reply: length");
		tap_ok(pkt.host.hostname &&
		       !strcmp(pkt.host.hostname, "node1:0"),
		       "host_reply: hostname is a C string in the frame");
	}
}

static void test_raw(void)
{
	struct omx_wire_hdr hdr = {
		.dst_mac = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		.src_mac = { 0x00, 0x60, 0xdd, 0x47, 0x33, 0x44 },
		.peer_index = 0,
	};
	struct omx_wire_raw raw = { raw_oed_frame, 20 };
	struct omx_wire_pkt pkt;
	struct omx_wire_oed oed;

	build(vec_named("raw oed"), want);
	frame_is(omx_wire_encode_raw_oed(&hdr, &oed_msg, got, sizeof(got)),
		 got, 64, "raw oed");
	if (!decode_vec("raw oed", &pkt)) {
		hdr_is(&pkt.hdr, want, "raw oed");
		tap_is(pkt.ptype, OMX_WIRE_PTYPE_RAW, "raw oed: ptype");
		tap_ok(pkt.raw.frame == want && pkt.raw.len == 64,
		       "raw oed: the whole frame is passed up");
		tap_is(omx_wire_decode_raw_oed(&pkt.raw, &oed), 0,
		       "raw oed: omxoed fields read");
		tap_ok(oed.nic_id == 0x00000060dd473344ull, "raw oed: nic_id");
		tap_is(oed.serial, 0x5eed1234, "raw oed: serial");
	}
	tap_is(omx_wire_decode_raw_oed(&raw, &oed), -OMX_WIRE_ESHORT,
	       "raw oed: a 20-octet raw frame holds no omxoed fields");

	/* A discovery program's own frame is sent as is, padded to 60. */
	memset(want, 0, 60);
	memcpy(want, raw_oed_frame, 20);
	frame_is(omx_wire_encode_raw(&raw, got, sizeof(got)), got, 60,
		 "raw 20 octets");
}

/* ------------------------------------------------------------------------
 * Generic checks over every frame
 */

/* Equal decodes: encoding both gives the same octets. */
static int pkt_same(const struct omx_wire_params *p,
		    const struct omx_wire_pkt *a, const struct omx_wire_pkt *b)
{
	static uint8_t ea[OMX_WIRE_9000_MTU], eb[OMX_WIRE_9000_MTU];
	int la = omx_wire_encode(p, a, ea, sizeof(ea));
	int lb = omx_wire_encode(p, b, eb, sizeof(eb));

	return la > 0 && la == lb && !memcmp(ea, eb, (size_t)la);
}

static uint8_t *heap_copy(const uint8_t *src, size_t len)
{
	/* malloc(0) may return NULL: keep one real allocation. */
	uint8_t *c = malloc(len ? len : 1);

	if (!c)
		abort();
	memcpy(c, src, len);
	return c;
}

/*
 * Each prefix goes to the decoder as an exact-size heap block, so a read
 * past its end is caught by valgrind or AddressSanitizer.  Prefixes shorter
 * than the fields and payload fail; longer ones only lose padding.
 */
static void test_prefixes(const struct vec *v)
{
	struct omx_wire_pkt full, pkt;
	unsigned int bad = 0;
	size_t n;

	build(v, want);
	omx_wire_decode(want, v->frame_len, v->p, &full);
	for (n = 0; n < v->frame_len; n++) {
		uint8_t *c = heap_copy(want, n);
		int ret = omx_wire_decode(c, n, v->p, &pkt);

		if (n < v->need ? ret >= 0 :
		    ret != 0 || (full.ptype != OMX_WIRE_PTYPE_RAW &&
				 !pkt_same(v->p, &full, &pkt))) {
			if (bad++ < 3)
				printf("#   prefix %zu: %s\n", n,
				       omx_wire_strerror(ret));
		}
		free(c);
	}
	tap_is(bad, 0, "%s: every prefix below %zu octets fails, above decodes",
	       v->name, v->need);
}

static void test_pads(const struct vec *v)
{
	struct omx_wire_pkt clean, dirty;
	const struct pad *pad;
	int ret;

	if (!v->pads[0].len)
		return;
	build(v, want);
	memcpy(got, want, v->frame_len);
	for (pad = v->pads; pad < v->pads + 6 && pad->len; pad++)
		memset(got + pad->off, 0xa5, pad->len);
	omx_wire_decode(want, v->frame_len, v->p, &clean);
	ret = omx_wire_decode(got, v->frame_len, v->p, &dirty);
	tap_ok(ret == 0 && pkt_same(v->p, &clean, &dirty),
	       "%s: non-zero pads and padding are ignored", v->name);
}

/* Encoding what was decoded gives the frame back; one octet less fails. */
static void test_round_trip(const struct vec *v)
{
	struct omx_wire_pkt pkt;
	int ret;

	build(v, want);
	ret = omx_wire_decode(want, v->frame_len, v->p, &pkt);
	if (ret)
		return;
	ret = omx_wire_encode(v->p, &pkt, got, v->frame_len);
	frame_is(ret, got, v->frame_len, v->name);
	tap_is(omx_wire_encode(v->p, &pkt, got, v->frame_len - 1),
	       -OMX_WIRE_ENOSPC, "%s: buffer one octet short refused", v->name);
}

static void test_generic(void)
{
	size_t i;

	for (i = 0; i < NVECS; i++) {
		test_prefixes(&vecs[i]);
		test_pads(&vecs[i]);
		test_round_trip(&vecs[i]);
	}
}

/*
 * Mutations: random octets of random frames changed and cut at random
 * lengths.  Whatever decodes must encode again and decode the same; the
 * rest must fail cleanly.
 */
static uint32_t rng_state = 0x2545f491;

static uint32_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static void test_mutations(void)
{
	static uint8_t enc[OMX_WIRE_9000_MTU];
	unsigned int i, decoded = 0, bad = 0;

	for (i = 0; i < 100000; i++) {
		const struct vec *v = &vecs[rng() % NVECS];
		struct omx_wire_pkt pkt, again;
		size_t len = v->frame_len, k;
		uint8_t *c;
		int ret;

		build(v, want);
		/* Octets from the peer index to the end of the literal part. */
		for (k = rng() % 4; k > 0; k--)
			want[14 + rng() % (v->head_len - 14)] = (uint8_t)rng();
		if (rng() % 2)
			len = rng() % (len + 1);
		c = heap_copy(want, len);
		ret = omx_wire_decode(c, len, v->p, &pkt);
		if (ret == 0) {
			decoded++;
			ret = omx_wire_encode(v->p, &pkt, enc, sizeof(enc));
			if (ret < 0 ||
			    omx_wire_decode(enc, (size_t)ret, v->p, &again) ||
			    !pkt_same(v->p, &pkt, &again))
				bad++;
		} else if (ret > 0 || -ret > OMX_WIRE_EFIELD) {
			bad++;
		}
		free(c);
	}
	tap_is(bad, 0, "mutations: %u of 100000 decoded, all re-encode the same",
	       decoded);
}

/* ------------------------------------------------------------------------
 * Decoder: refused frames
 */

/* Decode @len octets of `want` after patching octet @off (-1: none). */
static int decode_patched(const struct vec *v, size_t len, int off,
			  uint8_t val)
{
	struct omx_wire_pkt pkt;
	uint8_t *c;
	int ret;

	build(v, want);
	if (off >= 0)
		want[off] = val;
	c = heap_copy(want, len);
	ret = omx_wire_decode(c, len, v->p, &pkt);
	free(c);
	return ret;
}

static void put16(size_t off, uint16_t v)
{
	want[off] = (uint8_t)(v >> 8);
	want[off + 1] = (uint8_t)v;
}

static void put32(size_t off, uint32_t v)
{
	put16(off, (uint16_t)(v >> 16));
	put16(off + 2, (uint16_t)v);
}

static int decode_want(const struct omx_wire_params *p, size_t len)
{
	struct omx_wire_pkt pkt;

	return omx_wire_decode(want, len, p, &pkt);
}

static void test_decode_header_errors(void)
{
	const struct vec *tiny = vec_named("tiny");
	static const uint8_t unknown[] = { 0, 5, 31, 46, 100, 254, 255 };
	static const uint8_t invalid[] = { 2, 32, 33, 34 };
	static const size_t shorts[] = { 0, 1, 13, 14, 16 };
	struct omx_wire_pkt pkt;
	size_t i;

	for (i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++)
		tap_is(decode_patched(tiny, shorts[i], -1, 0), -OMX_WIRE_ESHORT,
		       "a %zu-octet frame is too short", shorts[i]);
	tap_is(omx_wire_decode(NULL, 0, &p9000, &pkt), -OMX_WIRE_ESHORT,
	       "no frame at all is too short");
	tap_is(decode_patched(tiny, 39, -1, 0), -OMX_WIRE_ESHORT,
	       "tiny cut inside its fixed fields: short");
	tap_is(decode_patched(tiny, 44, -1, 0), -OMX_WIRE_ELENGTH,
	       "tiny cut inside its payload: length beyond the frame");

	tap_is(decode_patched(tiny, 60, 13, 0xdd), -OMX_WIRE_EETHERTYPE,
	       "ethertype 0x86DD refused");
	build(tiny, want);
	put16(12, 0x0800);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EETHERTYPE,
	       "ethertype 0x0800 (IPv4) refused");
	put16(12, 0xdf86);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EETHERTYPE,
	       "byte-swapped ethertype refused");

	for (i = 0; i < sizeof(unknown); i++)
		tap_is(decode_patched(tiny, 60, 16, unknown[i]),
		       -OMX_WIRE_EPTYPE, "packet type %u is unknown", unknown[i]);
	for (i = 0; i < sizeof(invalid); i++)
		tap_is(decode_patched(tiny, 60, 16, invalid[i]),
		       -OMX_WIRE_EPTYPE_INVALID,
		       "packet type %u is defined but invalid", invalid[i]);
}

static void test_decode_peer_index(void)
{
	static const char *const checked[] = {
		"tiny", "small", "medium 9000", "rndv", "pull", "notify", "truc",
	};
	static const char *const unchecked[] = {
		"connect request", "host_query", "pull_reply 9000", "raw oed",
	};
	struct omx_wire_params big;
	size_t i;

	for (i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		const struct vec *v = vec_named(checked[i]);

		build(v, want);
		put16(14, OMX_WIRE_PEER_INDEX_UNKNOWN);
		tap_is(decode_want(v->p, v->frame_len), -OMX_WIRE_EPEER,
		       "%s: unknown sender index refused", v->name);
		put16(14, 1024);
		tap_is(decode_want(v->p, v->frame_len), -OMX_WIRE_EPEER,
		       "%s: index == peer table size refused", v->name);
	}
	for (i = 0; i < sizeof(unchecked) / sizeof(unchecked[0]); i++) {
		const struct vec *v = vec_named(unchecked[i]);

		build(v, want);
		put16(14, 0xfffe);
		tap_is(decode_want(v->p, v->frame_len), 0,
		       "%s: any peer index accepted", v->name);
	}

	omx_wire_params_init(&big, OMX_WIRE_VARIANT_MTU9000, 65536);
	build(vec_named("tiny"), want);
	put16(14, 0xfffe);
	tap_is(decode_want(&big, 60), 0, "65536 peers: index 65534 accepted");
	put16(14, 0xffff);
	tap_is(decode_want(&big, 60), -OMX_WIRE_EPEER,
	       "65536 peers: 0xFFFF still means unknown");

	build(vec_named("nack_lib"), want);
	put16(14, 0xffff);
	put16(26, 0xffff);
	tap_is(decode_want(&p9000, 60), 0, "nack_lib: unknown index accepted");
	put16(14, 1024);
	put16(26, 1024);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EPEER,
	       "nack_lib: index out of the table refused");
	put16(14, 0x0102);
	put16(26, 0x0103);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EPEER,
	       "nack_lib: body copy differing from the header refused");
	build(vec_named("nack_mcp"), want);
	put16(14, 1024);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EPEER,
	       "nack_mcp: index out of the table refused");
}

static void test_decode_msg_limits(void)
{
	const struct vec *tiny = vec_named("tiny");
	const struct vec *small = vec_named("small");

	build(tiny, want);
	put16(20, 20);
	tap_is(decode_want(&p9000, 60), 0, "tiny: 20 octets fill a 60-octet frame");
	put16(20, 21);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_ELENGTH,
	       "tiny: 21 octets do not fit a 60-octet frame");
	put16(20, 32);
	tap_is(decode_want(&p9000, 72), 0, "tiny: 32 octets accepted");
	put16(20, 33);
	tap_is(decode_want(&p9000, 73), -OMX_WIRE_ELENGTH,
	       "tiny: 33 octets refused even in a long enough frame");
	put16(20, 0xffff);
	tap_is(decode_want(&p9000, sizeof(want)), -OMX_WIRE_ELENGTH,
	       "tiny: length 0xFFFF refused");

	build(small, want);
	put16(20, 129);
	tap_is(decode_want(&p9000, 169), -OMX_WIRE_ELENGTH,
	       "small: 129 octets refused");
	put16(20, 0);
	tap_is(decode_want(&p9000, 60), 0,
	       "small: shorter than a tiny is still accepted");
	tap_is(decode_patched(small, 167, -1, 0), -OMX_WIRE_ELENGTH,
	       "small: payload one octet short refused");
}

static void test_decode_medium_limits(void)
{
	const struct vec *m9 = vec_named("medium 9000");
	const struct vec *m15 = vec_named("medium 1500");

	build(m9, want);
	put32(20, 0);
	tap_is(decode_want(&p9000, 3664), -OMX_WIRE_EFRAG,
	       "medium: empty message has no fragment");
	want[42] = 0;
	put16(40, 0);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EFRAG,
	       "medium: empty message, not even an empty fragment 0");
	build(m9, want);
	put32(20, 2 * 8192);
	put16(40, 0);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_EFRAG,
	       "medium: fragment 2 of an exact 2-fragment message refused");
	build(m9, want);
	want[42] = 3;
	tap_is(decode_want(&p9000, 3664), -OMX_WIRE_EFRAG,
	       "medium: fragment 3 of a 3-fragment message refused");
	want[42] = 255;
	tap_is(decode_want(&p9000, 3664), -OMX_WIRE_EFRAG,
	       "medium: fragment 255 refused");
	build(m9, want);
	put16(40, 3617);
	tap_is(decode_want(&p9000, 3665), -OMX_WIRE_ELENGTH,
	       "medium: fragment running past the message end refused");
	build(m9, want);
	want[42] = 0;
	put16(40, 8192);
	tap_is(decode_want(&p9000, 48 + 8192), 0,
	       "medium 9000: 8192-octet first fragment accepted");
	tap_is(decode_want(&p1500, 48 + 8192), -OMX_WIRE_ELENGTH,
	       "medium 1500: that 8192-octet fragment refused");
	tap_is(decode_want(&p9000, 48 + 8191), -OMX_WIRE_ELENGTH,
	       "medium: payload one octet short refused");
	put16(40, 8193);
	tap_is(decode_want(&p9000, 48 + 8193), -OMX_WIRE_ELENGTH,
	       "medium 9000: 8193-octet fragment refused");

	/* The largest medium message: 32 fragments of F. */
	build(m9, want);
	put32(20, 32 * 8192);
	want[42] = 31;
	put16(40, 8192);
	tap_is(decode_want(&p9000, 48 + 8192), 0,
	       "medium 9000: fragment 31 of 262144 octets accepted");
	put32(20, 32 * 8192 + 1);
	tap_is(decode_want(&p9000, 48 + 8192), -OMX_WIRE_ELENGTH,
	       "medium 9000: 262145-octet message refused");

	build(m15, want);
	put32(20, 32 * 1452);
	want[42] = 31;
	tap_is(decode_want(&p1500, 1500), 0,
	       "medium 1500: fragment 31 of 46464 octets accepted");
	put32(20, 32 * 1452 + 1);
	tap_is(decode_want(&p1500, 1500), -OMX_WIRE_ELENGTH,
	       "medium 1500: 46465-octet message refused");
	build(m15, want);
	put16(40, 1453);
	tap_is(decode_want(&p1500, 1501), -OMX_WIRE_ELENGTH,
	       "medium 1500: 1453-octet fragment refused");
}

static void test_decode_other_limits(void)
{
	const struct vec *v;

	v = vec_named("rndv");
	tap_is(decode_patched(v, 60, 21, 7), -OMX_WIRE_ELENGTH,
	       "rndv: length 7 refused");
	tap_is(decode_patched(v, 60, 20, 1), 0,
	       "rndv: length over 8 tolerated, as Open-MX does");

	v = vec_named("pull");
	build(v, want);
	put32(48, 8968);
	put32(52, 1);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_ELENGTH,
	       "pull: block starting past its first frame refused");
	build(v, want);
	put32(52, 286721);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_ELENGTH,
	       "pull: block needing 33 replies refused");
	put32(52, 0xffffffff);
	tap_is(decode_want(&p9000, 60), -OMX_WIRE_ELENGTH,
	       "pull: block_length 0xFFFFFFFF refused without wrapping");
	build(v, want);
	tap_is(decode_want(&p1500, 60), -OMX_WIRE_ELENGTH,
	       "pull: an MTU 9000 block is too long at MTU 1500");
	put32(48, 1467);
	put32(52, 32 * 1468 - 1467);
	tap_is(decode_want(&p1500, 60), 0,
	       "pull 1500: 32 replies of 1468 octets accepted");

	v = vec_named("pull_reply 9000");
	tap_is(decode_patched(v, 9000, -1, 0), 0, "pull_reply: decodes");
	build(v, want);
	tap_is(decode_want(&p1500, 9000), -OMX_WIRE_ELENGTH,
	       "pull_reply: 8968 octets refused at MTU 1500");
	put16(18, 8969);
	tap_is(decode_want(&p9000, 9001), -OMX_WIRE_ELENGTH,
	       "pull_reply: 8969 octets refused at MTU 9000");
	tap_is(decode_patched(v, 8999, -1, 0), -OMX_WIRE_ELENGTH,
	       "pull_reply: payload one octet short refused");

	v = vec_named("connect request");
	tap_is(decode_patched(v, 60, 20, 15), -OMX_WIRE_ELENGTH,
	       "connect: length 15 refused");
	tap_is(decode_patched(v, 60, 20, 17), 0, "connect: length 17 tolerated");
	tap_is(decode_patched(v, 60, 42, 2), -OMX_WIRE_EFIELD,
	       "connect: is_reply 2 refused");

	v = vec_named("truc");
	tap_is(decode_patched(v, 60, 20, 15), -OMX_WIRE_ELENGTH,
	       "truc: length 15 refused");
	tap_is(decode_patched(v, 60, 28, 0x54), -OMX_WIRE_EFIELD,
	       "truc: type other than ACK refused");
	tap_is(decode_patched(v, 60, 35, 0x55), -OMX_WIRE_EFIELD,
	       "truc: session_id differing from session refused");

	v = vec_named("nack_lib");
	tap_is(decode_patched(v, 60, 19, 0), -OMX_WIRE_EFIELD,
	       "nack_lib: nack type 0 refused");
	tap_is(decode_patched(v, 60, 19, 4), -OMX_WIRE_EFIELD,
	       "nack_lib: nack type 4 (MCP only) refused");
	v = vec_named("nack_mcp");
	tap_is(decode_patched(v, 60, 19, 5), -OMX_WIRE_EFIELD,
	       "nack_mcp: nack type 5 refused");
	tap_is(decode_patched(v, 60, 19, 1), 0, "nack_mcp: nack type 1 accepted");

	v = vec_named("host_reply");
	tap_is(decode_patched(v, 60, 17, 0), -OMX_WIRE_ELENGTH,
	       "host_reply: empty hostname refused");
	tap_is(decode_patched(v, 60, 17, 28), 0,
	       "host_reply: 28 octets, NUL-terminated by the zero padding");
	tap_is(decode_patched(v, 60, 17, 29), -OMX_WIRE_ELENGTH,
	       "host_reply: hostname beyond the frame refused");
	tap_is(decode_patched(v, 200, 17, 81), -OMX_WIRE_ELENGTH,
	       "host_reply: 81-octet hostname refused");
	tap_is(decode_patched(v, 60, 17, 7), -OMX_WIRE_EFIELD,
	       "host_reply: hostname without its NUL refused");
	tap_is(decode_patched(v, 60, 16, OMX_WIRE_PTYPE_HOST_QUERY), 0,
	       "host_query: octet 17 is a pad");

	build(vec_named("raw oed"), want);
	tap_is(decode_want(&p9000, 1024), 0, "raw: 1024-octet frame accepted");
	tap_is(decode_want(&p9000, 1025), -OMX_WIRE_ELENGTH,
	       "raw: 1025-octet frame refused");
}

/* ------------------------------------------------------------------------
 * Encoders: refused structs
 */
static void test_encode_errors(void)
{
	const struct omx_wire_hdr *h = &hdr_peer258;
	struct omx_wire_msg msg = tiny_msg;
	struct omx_wire_medium med = medium9000_msg;
	struct omx_wire_pull pull = pull_msg;
	struct omx_wire_pull_reply pr = pull_reply1500_msg;
	struct omx_wire_connect con = connect_req_msg;
	struct omx_wire_truc truc = truc_msg;
	struct omx_wire_nack_lib nl = nack_lib_msg;
	struct omx_wire_nack_mcp nm = nack_mcp_msg;
	struct omx_wire_host host = host_reply_msg;
	struct omx_wire_raw raw;
	struct omx_wire_pkt pkt;
	uint8_t big[OMX_WIRE_RAW_MAX + 1];
	size_t sz = sizeof(got);

	tap_is(omx_wire_encode_tiny(h, &msg, got, 59), -OMX_WIRE_ENOSPC,
	       "encode tiny: 59-octet buffer refused (frame padded to 60)");
	msg.length = 33;
	msg.data = payload;
	tap_is(omx_wire_encode_tiny(h, &msg, got, sz), -OMX_WIRE_ELENGTH,
	       "encode tiny: 33 octets refused");
	tap_is(omx_wire_encode_small(h, &msg, got, sz), 73,
	       "encode small: 33 octets, a 73-octet frame");
	msg.length = 129;
	tap_is(omx_wire_encode_small(h, &msg, got, sz), -OMX_WIRE_ELENGTH,
	       "encode small: 129 octets refused");
	msg.length = 1;
	msg.data = NULL;
	tap_is(omx_wire_encode_tiny(h, &msg, got, sz), -OMX_WIRE_EINVAL,
	       "encode tiny: no data for 1 octet refused");
	msg.length = 0;
	memset(got, 0xee, 60);
	tap_ok(omx_wire_encode_tiny(h, &msg, got, sz) == 60 &&
	       got[20] == 0 && got[21] == 0 && got[40] == 0 && got[59] == 0,
	       "encode tiny: empty message, zero-padded 60-octet frame");

	med.frag_seqnum = 3;
	tap_is(omx_wire_encode_medium(&p9000, h, &med, got, sz), -OMX_WIRE_EFRAG,
	       "encode medium: fragment past the message refused");
	med = medium9000_msg;
	med.frag_length = 3617;
	tap_is(omx_wire_encode_medium(&p9000, h, &med, got, sz),
	       -OMX_WIRE_ELENGTH, "encode medium: fragment overrunning the end");
	med = medium9000_msg;
	tap_is(omx_wire_encode_medium(&p9000, h, &med, got, 3663),
	       -OMX_WIRE_ENOSPC, "encode medium: buffer one octet short");
	med = medium1500_msg;
	med.frag_length = 1453;
	tap_is(omx_wire_encode_medium(&p1500, h, &med, got, sz),
	       -OMX_WIRE_ELENGTH, "encode medium 1500: 1453-octet fragment refused");

	pull.block_length++;
	tap_is(omx_wire_encode_pull(&p9000, h, &pull, got, sz), -OMX_WIRE_ELENGTH,
	       "encode pull: 33 replies refused");
	tap_is(omx_wire_encode_pull(&p1500, h, &pull_msg, got, sz),
	       -OMX_WIRE_ELENGTH, "encode pull: MTU 9000 block refused at 1500");

	pr.frame_length = 1469;
	tap_is(omx_wire_encode_pull_reply(&p1500, h, &pr, got, sz),
	       -OMX_WIRE_ELENGTH, "encode pull_reply 1500: 1469 octets refused");

	con.is_reply = 2;
	tap_is(omx_wire_encode_connect(h, &con, got, sz), -OMX_WIRE_EFIELD,
	       "encode connect: is_reply 2 refused");
	con = connect_req_msg;
	con.status_code = 11;
	tap_ok(omx_wire_encode_connect(h, &con, got, sz) == 60 && got[44] == 0,
	       "encode connect: a request's status octet stays a zero pad");

	truc.type = 0;
	tap_is(omx_wire_encode_truc(h, &truc, got, sz), -OMX_WIRE_EFIELD,
	       "encode truc: subtype other than ACK refused");
	nl.nack_type = OMX_WIRE_NACK_BAD_RDMAWIN;
	tap_is(omx_wire_encode_nack_lib(h, &nl, got, sz), -OMX_WIRE_EFIELD,
	       "encode nack_lib: BAD_RDMAWIN refused");
	nm.nack_type = OMX_WIRE_NACK_NONE;
	tap_is(omx_wire_encode_nack_mcp(h, &nm, got, sz), -OMX_WIRE_EFIELD,
	       "encode nack_mcp: type NONE refused");

	host.hostname = NULL;
	tap_is(omx_wire_encode_host_reply(h, &host, got, sz), -OMX_WIRE_EINVAL,
	       "encode host_reply: no hostname refused");
	host.hostname = (const char *)payload;
	host.hostname_len = 81;
	tap_is(omx_wire_encode_host_reply(h, &host, got, sz), -OMX_WIRE_ELENGTH,
	       "encode host_reply: 81 octets refused");
	host.hostname = "node1:0";
	host.hostname_len = 7;
	tap_is(omx_wire_encode_host_reply(h, &host, got, sz), -OMX_WIRE_EFIELD,
	       "encode host_reply: length leaving out the NUL refused");

	memset(big, 0, sizeof(big));
	memcpy(big, raw_oed_frame, sizeof(raw_oed_frame));
	raw.frame = big;
	raw.len = sizeof(big);
	tap_is(omx_wire_encode_raw(&raw, got, sz), -OMX_WIRE_ELENGTH,
	       "encode raw: 1025 octets refused");
	raw.len = 16;
	tap_is(omx_wire_encode_raw(&raw, got, sz), -OMX_WIRE_ESHORT,
	       "encode raw: frame without a packet type refused");
	raw.len = 64;
	big[16] = OMX_WIRE_PTYPE_TINY;
	tap_is(omx_wire_encode_raw(&raw, got, sz), -OMX_WIRE_EPTYPE,
	       "encode raw: frame of another type refused");

	memset(&pkt, 0, sizeof(pkt));
	pkt.ptype = 46;
	tap_is(omx_wire_encode(&p9000, &pkt, got, sz), -OMX_WIRE_EPTYPE,
	       "encode: unknown packet type refused");
	pkt.ptype = OMX_WIRE_PTYPE_ETHER_NATIVE;
	tap_is(omx_wire_encode(&p9000, &pkt, got, sz), -OMX_WIRE_EPTYPE_INVALID,
	       "encode: invalid packet type refused");
}

/* ------------------------------------------------------------------------
 * Parameters and helpers
 */
static void test_params(void)
{
	struct omx_wire_params p;

	tap_is(p9000.mtu, 9000, "9000: MTU");
	tap_is(p9000.medium_frag_max, 8192, "9000: medium fragment payload");
	tap_is(p9000.medium_frags_max, 32, "9000: medium fragments");
	tap_is(p9000.pull_reply_max, 8968, "9000: pull reply payload");
	tap_is(p9000.pull_block_replies, 32, "9000: replies per block");
	tap_is(p9000.peer_max, 1024, "9000: peer table size");
	tap_is(p1500.mtu, 1500, "1500: MTU");
	tap_is(p1500.medium_frag_max, 1452, "1500: medium fragment payload");
	tap_is(p1500.medium_frags_max, 32, "1500: medium fragments");
	tap_is(p1500.pull_reply_max, 1468, "1500: pull reply payload");
	tap_is(p1500.pull_block_replies, 32, "1500: replies per block");
	tap_is(omx_wire_params_init(&p, (enum omx_wire_variant)2, 1024),
	       -OMX_WIRE_EINVAL, "params: unknown variant refused");
	tap_is(omx_wire_params_init(&p, OMX_WIRE_VARIANT_MTU9000, 0),
	       -OMX_WIRE_EINVAL, "params: empty peer table refused");
	tap_is(omx_wire_params_init(&p, OMX_WIRE_VARIANT_MTU9000, 65537),
	       -OMX_WIRE_EINVAL, "params: more than 65536 peers refused");
	tap_is(omx_wire_params_init(&p, OMX_WIRE_VARIANT_MTU1500, 65536), 0,
	       "params: 65536 peers accepted");
}

static void test_byte_order(void)
{
	static const uint8_t be[8] = { 0x01, 0x23, 0x45, 0x67,
				       0x89, 0xab, 0xcd, 0xef };
	uint8_t b[8];

	omx_wire_put_be16(b, 0x0123);
	tap_ok(b[0] == 0x01 && b[1] == 0x23, "put_be16 writes the high octet first");
	omx_wire_put_be32(b, 0x01234567);
	tap_ok(!memcmp(b, be, 4), "put_be32 is big-endian");
	omx_wire_put_be64(b, 0x0123456789abcdefull);
	tap_ok(!memcmp(b, be, 8), "put_be64 is big-endian");
	tap_is(omx_wire_get_be16(be + 6), 0xcdef, "get_be16");
	tap_is(omx_wire_get_be32(be + 4), 0x89abcdef, "get_be32 of high-bit octets");
	tap_ok(omx_wire_get_be64(be) == 0x0123456789abcdefull, "get_be64");
	tap_ok(!strcmp(omx_wire_strerror(-OMX_WIRE_EFRAG),
		       omx_wire_strerror(OMX_WIRE_EFRAG)) &&
	       strcmp(omx_wire_strerror(-999), "ok"),
	       "strerror takes either sign and names unknown codes");
}

int main(void)
{
	fill_payload();
	omx_wire_params_init(&p9000, OMX_WIRE_VARIANT_MTU9000,
			     OMX_WIRE_PEER_MAX_DEFAULT);
	omx_wire_params_init(&p1500, OMX_WIRE_VARIANT_MTU1500,
			     OMX_WIRE_PEER_MAX_DEFAULT);

	test_params();
	test_byte_order();
	test_msg("tiny", &tiny_msg);
	test_msg("small", &small_msg);
	test_medium("medium 9000", &p9000, &medium9000_msg, 0);
	test_medium("medium 1500", &p1500, &medium1500_msg, 16);
	test_rndv();
	test_pull();
	test_pull_reply("pull_reply 9000", &p9000, &pull_reply9000_msg, 0xffff);
	test_pull_reply("pull_reply 1500", &p1500, &pull_reply1500_msg, 0);
	test_notify();
	test_connect("connect request", &connect_req_msg, 0xffff);
	test_connect("connect reply", &connect_rep_msg, 0x0102);
	test_truc();
	test_nacks();
	test_host();
	test_raw();
	test_generic();
	test_mutations();
	test_decode_header_errors();
	test_decode_peer_index();
	test_decode_msg_limits();
	test_decode_medium_limits();
	test_decode_other_limits();
	test_encode_errors();
	return tap_done();
}
