// SPDX-License-Identifier: MIT
/*
 * wirefuzz_gen.c - see wirefuzz_gen.h.
 *
 * A frame is built in three steps: a header (a target board as destination,
 * a real peer's MAC and its peer index as source, or a random MAC), a valid
 * body of one packet type written by the omx_wire encoder with plausible
 * field values (a blind attacker's: random sessions, endpoint 0 most of the
 * time, Open-MX's published magic scheme), then mutations of single fields
 * found through a table of each type's fields, or of the frame as a whole.
 *
 * Field offsets below are body offsets (frame offset - 16), as in
 * shared/omx_wire.c and the wire reference's layout tables.
 */
#include <string.h>

#include "wirefuzz_gen.h"

/* Published Open-MX values (wire reference, section 5): a blind attacker's
 * first guesses. */
#define WF_PULL_MAGIC_XOR	0x21071980u	/* pull magic: endpoint ^ this */
#define WF_HOST_MAGIC0		0x13052008u	/* host-query magic at load */

#define WF_NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------
 * Random numbers
 */
uint64_t wf_mix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

struct wf_rng {
	uint64_t s;
};

static uint64_t rnd(struct wf_rng *r)
{
	return wf_mix64(&r->s);
}

/* 0..n-1 (0 when n is 0); the modulo bias is irrelevant here. */
static uint32_t below(struct wf_rng *r, uint64_t n)
{
	return n ? (uint32_t)(rnd(r) % n) : 0;
}

static int chance(struct wf_rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

static void rnd_bytes(struct wf_rng *r, uint8_t *p, size_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			v = rnd(r);
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* ------------------------------------------------------------------------
 * Names
 */
static const char *const wf_base_names[WF_BASE_MAX] = {
	[WF_TINY] = "tiny", [WF_SMALL] = "small", [WF_MEDIUM] = "medium",
	[WF_RNDV] = "rndv", [WF_NOTIFY] = "notify", [WF_CONNECT] = "connect",
	[WF_CONNECT_REPLY] = "connect_reply", [WF_TRUC] = "truc",
	[WF_NACK_LIB] = "nack_lib", [WF_NACK_MCP] = "nack_mcp",
	[WF_PULL] = "pull", [WF_PULL_REPLY] = "pull_reply",
	[WF_HOST_QUERY] = "host_query", [WF_HOST_REPLY] = "host_reply",
	[WF_RAW] = "raw",
};

static const char *const wf_mutation_names[WF_MUT_MAX] = {
	[WF_MUT_TYPE] = "type", [WF_MUT_LENGTH] = "length",
	[WF_MUT_PEER_INDEX] = "peer_index", [WF_MUT_ENDPOINT] = "endpoint",
	[WF_MUT_SESSION] = "session", [WF_MUT_MAGIC] = "magic",
	[WF_MUT_HANDLE] = "handle", [WF_MUT_OFFSET] = "offset",
	[WF_MUT_SEQNUM] = "seqnum", [WF_MUT_TRUNCATE] = "truncate",
	[WF_MUT_EXTEND] = "extend", [WF_MUT_BYTES] = "bytes",
};

const char *wf_base_name(enum wf_base b)
{
	return (unsigned int)b < WF_BASE_MAX ? wf_base_names[b] : "?";
}

int wf_base_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < WF_BASE_MAX; i++)
		if (!strcmp(name, wf_base_names[i]))
			return (int)i;
	return -1;
}

const char *wf_mutation_name(enum wf_mutation m)
{
	return (unsigned int)m < WF_MUT_MAX ? wf_mutation_names[m] : "?";
}

static const uint8_t wf_ptypes[WF_BASE_MAX] = {
	[WF_TINY] = OMX_WIRE_PTYPE_TINY, [WF_SMALL] = OMX_WIRE_PTYPE_SMALL,
	[WF_MEDIUM] = OMX_WIRE_PTYPE_MEDIUM, [WF_RNDV] = OMX_WIRE_PTYPE_RNDV,
	[WF_NOTIFY] = OMX_WIRE_PTYPE_NOTIFY,
	[WF_CONNECT] = OMX_WIRE_PTYPE_CONNECT,
	[WF_CONNECT_REPLY] = OMX_WIRE_PTYPE_CONNECT,
	[WF_TRUC] = OMX_WIRE_PTYPE_TRUC,
	[WF_NACK_LIB] = OMX_WIRE_PTYPE_NACK_LIB,
	[WF_NACK_MCP] = OMX_WIRE_PTYPE_NACK_MCP,
	[WF_PULL] = OMX_WIRE_PTYPE_PULL,
	[WF_PULL_REPLY] = OMX_WIRE_PTYPE_PULL_REPLY,
	[WF_HOST_QUERY] = OMX_WIRE_PTYPE_HOST_QUERY,
	[WF_HOST_REPLY] = OMX_WIRE_PTYPE_HOST_REPLY,
	[WF_RAW] = OMX_WIRE_PTYPE_RAW,
};

uint8_t wf_base_ptype(enum wf_base b)
{
	return (unsigned int)b < WF_BASE_MAX ? wf_ptypes[b] : 0;
}

/* ------------------------------------------------------------------------
 * The fields of each packet type a mutation may pick
 */
enum wf_kind {
	K_LENGTH = WF_MUT_LENGTH,
	K_PEER = WF_MUT_PEER_INDEX,
	K_ENDPOINT = WF_MUT_ENDPOINT,
	K_SESSION = WF_MUT_SESSION,
	K_MAGIC = WF_MUT_MAGIC,
	K_HANDLE = WF_MUT_HANDLE,
	K_OFFSET = WF_MUT_OFFSET,
	K_SEQNUM = WF_MUT_SEQNUM,
	K_SUBTYPE = WF_MUT_TYPE,	/* is_reply, TRUC type, nack type, status */
};

struct wf_field {
	uint8_t kind;	/* enum wf_kind */
	uint8_t off;	/* body offset */
	uint8_t size;	/* 1, 2, 4 or 8 octets, big-endian */
};

#define F(k, o, s) { K_##k, o, s }

/* TINY and SMALL (4.1) */
static const struct wf_field wf_msg_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(LENGTH, 4, 2), F(SEQNUM, 8, 2),
	F(SEQNUM, 10, 2), F(SESSION, 20, 4),
};
static const struct wf_field wf_medium_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(LENGTH, 4, 4), F(SEQNUM, 8, 2),
	F(SEQNUM, 10, 2), F(SESSION, 20, 4), F(LENGTH, 24, 2), F(OFFSET, 26, 1),
};
static const struct wf_field wf_rndv_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(LENGTH, 4, 2), F(SEQNUM, 8, 2),
	F(SEQNUM, 10, 2), F(SESSION, 20, 4), F(LENGTH, 24, 4), F(HANDLE, 28, 1),
	F(SEQNUM, 29, 1), F(OFFSET, 30, 2),
};
static const struct wf_field wf_notify_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(SESSION, 4, 4), F(LENGTH, 8, 4),
	F(HANDLE, 12, 1), F(SEQNUM, 13, 1), F(SEQNUM, 18, 2), F(SEQNUM, 20, 2),
};
static const struct wf_field wf_connect_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(LENGTH, 4, 1), F(SEQNUM, 8, 2),
	F(PEER, 10, 2), F(SESSION, 16, 4), F(SESSION, 20, 4), F(SEQNUM, 24, 2),
	F(SUBTYPE, 26, 1), F(SEQNUM, 27, 1), F(SUBTYPE, 28, 1),
};
static const struct wf_field wf_truc_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(LENGTH, 4, 1), F(SESSION, 8, 4),
	F(SUBTYPE, 12, 1), F(SEQNUM, 14, 2), F(SESSION, 16, 4), F(SEQNUM, 20, 4),
	F(SEQNUM, 24, 2), F(SUBTYPE, 26, 1),
};
static const struct wf_field wf_nack_lib_fields[] = {
	F(ENDPOINT, 1, 1), F(SUBTYPE, 3, 1), F(ENDPOINT, 9, 1), F(PEER, 10, 2),
	F(SEQNUM, 12, 2),
};
static const struct wf_field wf_nack_mcp_fields[] = {
	F(ENDPOINT, 1, 1), F(SUBTYPE, 3, 1), F(HANDLE, 8, 4), F(MAGIC, 12, 4),
};
static const struct wf_field wf_pull_fields[] = {
	F(ENDPOINT, 1, 1), F(ENDPOINT, 2, 1), F(SESSION, 4, 4), F(LENGTH, 8, 4),
	F(HANDLE, 12, 4), F(SEQNUM, 16, 1), F(OFFSET, 20, 4), F(HANDLE, 24, 4),
	F(MAGIC, 28, 4), F(OFFSET, 32, 4), F(LENGTH, 36, 4), F(OFFSET, 40, 4),
};
static const struct wf_field wf_pull_reply_fields[] = {
	F(SEQNUM, 1, 1), F(LENGTH, 2, 2), F(OFFSET, 4, 4), F(HANDLE, 8, 4),
	F(MAGIC, 12, 4),
};
static const struct wf_field wf_host_query_fields[] = {
	F(PEER, 2, 2), F(MAGIC, 8, 4),
};
static const struct wf_field wf_host_reply_fields[] = {
	F(LENGTH, 1, 1), F(PEER, 2, 2), F(MAGIC, 8, 4),
};
/* omxoed layout (4.13): NIC id and serial at frame offsets 32 and 40. */
static const struct wf_field wf_raw_fields[] = {
	F(HANDLE, 16, 8), F(SEQNUM, 24, 4),
};

#undef F

struct wf_fields {
	const struct wf_field *f;
	unsigned int n;
};

#define FIELDS(a) { a, WF_NELEMS(a) }
static const struct wf_fields wf_fields[WF_BASE_MAX] = {
	[WF_TINY] = FIELDS(wf_msg_fields),
	[WF_SMALL] = FIELDS(wf_msg_fields),
	[WF_MEDIUM] = FIELDS(wf_medium_fields),
	[WF_RNDV] = FIELDS(wf_rndv_fields),
	[WF_NOTIFY] = FIELDS(wf_notify_fields),
	[WF_CONNECT] = FIELDS(wf_connect_fields),
	[WF_CONNECT_REPLY] = FIELDS(wf_connect_fields),
	[WF_TRUC] = FIELDS(wf_truc_fields),
	[WF_NACK_LIB] = FIELDS(wf_nack_lib_fields),
	[WF_NACK_MCP] = FIELDS(wf_nack_mcp_fields),
	[WF_PULL] = FIELDS(wf_pull_fields),
	[WF_PULL_REPLY] = FIELDS(wf_pull_reply_fields),
	[WF_HOST_QUERY] = FIELDS(wf_host_query_fields),
	[WF_HOST_REPLY] = FIELDS(wf_host_reply_fields),
	[WF_RAW] = FIELDS(wf_raw_fields),
};
#undef FIELDS

/* Fixed body octets before a payload (RAW: its type octet). */
static const uint8_t wf_body[WF_BASE_MAX] = {
	[WF_TINY] = OMX_WIRE_MSG_BODY, [WF_SMALL] = OMX_WIRE_MSG_BODY,
	[WF_MEDIUM] = OMX_WIRE_MEDIUM_BODY, [WF_RNDV] = OMX_WIRE_RNDV_BODY,
	[WF_NOTIFY] = OMX_WIRE_NOTIFY_BODY, [WF_CONNECT] = OMX_WIRE_CONNECT_BODY,
	[WF_CONNECT_REPLY] = OMX_WIRE_CONNECT_BODY,
	[WF_TRUC] = OMX_WIRE_TRUC_BODY, [WF_NACK_LIB] = OMX_WIRE_NACK_BODY,
	[WF_NACK_MCP] = OMX_WIRE_NACK_BODY, [WF_PULL] = OMX_WIRE_PULL_BODY,
	[WF_PULL_REPLY] = OMX_WIRE_PULL_REPLY_BODY,
	[WF_HOST_QUERY] = OMX_WIRE_HOST_BODY,
	[WF_HOST_REPLY] = OMX_WIRE_HOST_BODY, [WF_RAW] = 1,
};

/* ------------------------------------------------------------------------
 * Configuration
 */
void wf_config_init(struct wf_config *c)
{
	memset(c, 0, sizeof(*c));
	omx_wire_params_init(&c->params, OMX_WIRE_VARIANT_MTU9000,
			     OMX_WIRE_PEER_MAX_DEFAULT);
	c->endpoints = 8;
	c->max_frame = OMX_WIRE_9000_MTU + OMX_WIRE_ETH_HLEN;
	c->valid_percent = 10;
	c->spoof_percent = 85;
}

const char *wf_config_check(const struct wf_config *c)
{
	unsigned int i;

	if (c->ndst == 0)
		return "no target board";
	if (c->ndst > WF_DST_MAX)
		return "too many target boards";
	if (c->nsrc > WF_SRC_MAX)
		return "too many spoofed peers";
	if (c->nnames > WF_NAME_MAX)
		return "too many hostnames";
	for (i = 0; i < c->nnames; i++)
		if (!c->names[i] || strlen(c->names[i]) + 1 > OMX_WIRE_HOSTNAME_MAX)
			return "a hostname is longer than 79 octets";
	if (c->endpoints == 0 || c->endpoints > 255)
		return "endpoints must be 1..255";
	/* Room for the largest fixed body (PULL, 60 octets) and a payload. */
	if (c->max_frame < OMX_WIRE_ETH_ZLEN + 4 || c->max_frame > WF_FRAME_MAX)
		return "the largest frame must be 64..65549 octets";
	if (c->valid_percent > 100 || c->spoof_percent > 100)
		return "a percentage is over 100";
	if (c->params.peer_max == 0)
		return "no peer table size";
	if (c->types >> WF_BASE_MAX)
		return "an unknown packet type is selected";
	return NULL;
}

/* ------------------------------------------------------------------------
 * Plausible values of a valid frame
 */

/* Endpoint 0 is where omx_perf and most programs listen. */
static uint8_t pick_endpoint(struct wf_rng *r, const struct wf_config *c)
{
	if (chance(r, 60))
		return 0;
	return (uint8_t)below(r, c->endpoints);
}

static uint16_t pick_seqnum(struct wf_rng *r)
{
	return chance(r, 50) ? (uint16_t)below(r, 64) : (uint16_t)rnd(r);
}

static uint32_t pick_pull_magic(struct wf_rng *r, const struct wf_config *c)
{
	if (chance(r, 70))
		return below(r, c->endpoints) ^ WF_PULL_MAGIC_XOR;
	return (uint32_t)rnd(r);
}

static uint32_t pick_host_magic(struct wf_rng *r)
{
	if (chance(r, 60))
		return WF_HOST_MAGIC0 + below(r, 4);
	return (uint32_t)rnd(r);
}

/* Small numbers in some bit position: how handles and ids tend to look. */
static uint32_t pick_handle(struct wf_rng *r)
{
	static const uint8_t shifts[] = { 0, 8, 16, 20, 22, 24 };

	if (chance(r, 30))
		return (uint32_t)rnd(r);
	return below(r, 16) << shifts[below(r, WF_NELEMS(shifts))] |
	       below(r, 16);
}

/* A 16-bit peer index of a peer named by the frame's source, or a guess. */
static uint16_t pick_peer_index(struct wf_rng *r, const struct wf_config *c)
{
	unsigned int i;

	if (c->nsrc && chance(r, 60)) {
		i = below(r, c->nsrc);
		if (c->src[i].has_index)
			return c->src[i].index;
	}
	switch (below(r, 3)) {
	case 0:
		return OMX_WIRE_PEER_INDEX_UNKNOWN;
	case 1:
		return (uint16_t)below(r, 8);
	default:
		return (uint16_t)below(r, c->params.peer_max);
	}
}

/* A payload length up to @max that fits @room, small ones favoured. */
static size_t pick_len(struct wf_rng *r, size_t max, size_t room)
{
	size_t lim = max < room ? max : room;

	if (chance(r, 60) && lim > 64)
		lim = 64;
	return below(r, (uint64_t)lim + 1);
}

/* A guess that the decoder accepts: inside the table, not "unknown". */
static uint16_t guess_peer_index(struct wf_rng *r, const struct wf_config *c)
{
	uint32_t max = c->params.peer_max < OMX_WIRE_PEER_INDEX_UNKNOWN ?
		       c->params.peer_max : OMX_WIRE_PEER_INDEX_UNKNOWN;

	return (uint16_t)below(r, chance(r, 50) && max > 8 ? 8 : max);
}

/* ------------------------------------------------------------------------
 * Valid frames
 */
static void pick_header(struct wf_rng *r, const struct wf_config *c,
			struct omx_wire_hdr *h, int *src, unsigned int *dst)
{
	unsigned int i;

	*dst = below(r, c->ndst);
	memcpy(h->dst_mac, c->dst[*dst], OMX_WIRE_ETH_ALEN);
	if (c->nsrc && chance(r, c->spoof_percent)) {
		i = below(r, c->nsrc);
		*src = (int)i;
		memcpy(h->src_mac, c->src[i].mac, OMX_WIRE_ETH_ALEN);
		h->peer_index = c->src[i].has_index ? c->src[i].index :
			       guess_peer_index(r, c);
		return;
	}
	*src = -1;
	switch (below(r, 4)) {
	case 0:		/* a target's own address, from outside */
		memcpy(h->src_mac, c->dst[below(r, c->ndst)], OMX_WIRE_ETH_ALEN);
		break;
	case 1:		/* a multicast source, which no NIC has */
		rnd_bytes(r, h->src_mac, OMX_WIRE_ETH_ALEN);
		h->src_mac[0] |= 0x01;
		break;
	default:	/* a stranger: locally administered unicast */
		rnd_bytes(r, h->src_mac, OMX_WIRE_ETH_ALEN);
		h->src_mac[0] = (uint8_t)((h->src_mac[0] & 0xfc) | 0x02);
		break;
	}
	h->peer_index = guess_peer_index(r, c);
}

static void pick_msg_head(struct wf_rng *r, const struct wf_config *c,
			  struct omx_wire_msg_head *h)
{
	h->dst_endpoint = pick_endpoint(r, c);
	h->src_endpoint = pick_endpoint(r, c);
	h->checksum = 0;
	h->lib_seqnum = pick_seqnum(r);
	h->lib_piggyack = pick_seqnum(r);
	h->match_info = chance(r, 50) ? below(r, 16) : rnd(r);
	h->session = (uint32_t)rnd(r);		/* blind: the session is secret */
}

/*
 * Payload octets are written at their place in the frame before the
 * encoder runs, which leaves a payload already in place alone.
 */
static const uint8_t *payload_at(struct wf_rng *r, struct wf_frame *f,
				 size_t body, size_t len)
{
	uint8_t *p = f->buf + OMX_WIRE_HLEN + body;

	rnd_bytes(r, p, len);
	return p;
}

/* Octets after the Open-MX head left for a body and payload. */
static size_t room_after(const struct wf_config *c, size_t body)
{
	size_t head = OMX_WIRE_HLEN + body;

	return c->max_frame > head ? c->max_frame - head : 0;
}

static int build_hostname(struct wf_rng *r, const struct wf_config *c,
			  struct wf_frame *f, struct omx_wire_host *h)
{
	char *name = (char *)f->buf + OMX_WIRE_HLEN + OMX_WIRE_HOST_BODY;
	size_t room = room_after(c, OMX_WIRE_HOST_BODY), max, len, i;
	const char *n = c->nnames ? c->names[below(r, c->nnames)] : NULL;

	/* 1..79 octets and the NUL, in what the frame may hold. */
	max = room > OMX_WIRE_HOSTNAME_MAX ? OMX_WIRE_HOSTNAME_MAX - 1 :
	      room > 1 ? room - 1 : 1;

	if (n && chance(r, 60) && strlen(n) <= max) {
		len = strlen(n);
		memcpy(name, n, len);
	} else {
		len = 1 + below(r, max);
		for (i = 0; i < len; i++)
			name[i] = (char)('!' + below(r, 94));
	}
	name[len] = '\0';
	h->hostname = name;
	h->hostname_len = (uint8_t)(len + 1);
	return 0;
}

static int build_valid(struct wf_rng *r, const struct wf_config *c,
		       struct wf_frame *f, const struct omx_wire_hdr *hdr)
{
	const struct omx_wire_params *p = &c->params;
	uint8_t *buf = f->buf;
	size_t cap = c->max_frame;
	union {
		struct omx_wire_msg msg;
		struct omx_wire_medium medium;
		struct omx_wire_rndv rndv;
		struct omx_wire_notify notify;
		struct omx_wire_connect connect;
		struct omx_wire_truc truc;
		struct omx_wire_nack_lib nack_lib;
		struct omx_wire_nack_mcp nack_mcp;
		struct omx_wire_pull pull;
		struct omx_wire_pull_reply reply;
		struct omx_wire_host host;
		struct omx_wire_oed oed;
	} u;

	memset(&u, 0, sizeof(u));
	switch (f->base) {
	case WF_TINY:
	case WF_SMALL:
		pick_msg_head(r, c, &u.msg.head);
		u.msg.length = (uint16_t)pick_len(r, f->base == WF_TINY ?
				OMX_WIRE_TINY_MAX : OMX_WIRE_SMALL_MAX,
				room_after(c, OMX_WIRE_MSG_BODY));
		u.msg.data = payload_at(r, f, OMX_WIRE_MSG_BODY, u.msg.length);
		return f->base == WF_TINY ?
		       omx_wire_encode_tiny(hdr, &u.msg, buf, cap) :
		       omx_wire_encode_small(hdr, &u.msg, buf, cap);
	case WF_MEDIUM: {
		uint32_t frag = p->medium_frag_max, start, left;

		pick_msg_head(r, c, &u.medium.head);
		u.medium.length = chance(r, 50) ? 1 + below(r, 2 * frag) :
				  1 + below(r, frag * p->medium_frags_max);
		u.medium.frag_seqnum = (uint8_t)below(r,
				(u.medium.length + frag - 1) / frag);
		start = u.medium.frag_seqnum * frag;
		left = u.medium.length - start;
		u.medium.frag_length = (uint16_t)pick_len(r,
				left < frag ? left : frag,
				room_after(c, OMX_WIRE_MEDIUM_BODY));
		u.medium.data = payload_at(r, f, OMX_WIRE_MEDIUM_BODY,
					   u.medium.frag_length);
		return omx_wire_encode_medium(p, hdr, &u.medium, buf, cap);
	}
	case WF_RNDV:
		pick_msg_head(r, c, &u.rndv.head);
		u.rndv.msg_length = chance(r, 50) ? 32769 + below(r, 1 << 24) :
				    (uint32_t)rnd(r);
		u.rndv.pulled_rdma_id = (uint8_t)below(r, 256);
		u.rndv.pulled_rdma_seqnum = (uint8_t)below(r, 256);
		u.rndv.pulled_rdma_offset = chance(r, 70) ? 0 : (uint16_t)rnd(r);
		return omx_wire_encode_rndv(hdr, &u.rndv, buf, cap);
	case WF_NOTIFY:
		u.notify.dst_endpoint = pick_endpoint(r, c);
		u.notify.src_endpoint = pick_endpoint(r, c);
		u.notify.session = (uint32_t)rnd(r);
		u.notify.total_length = (uint32_t)rnd(r) >> below(r, 32);
		u.notify.pulled_rdma_id = (uint8_t)below(r, 256);
		u.notify.pulled_rdma_seqnum = (uint8_t)below(r, 256);
		u.notify.lib_seqnum = pick_seqnum(r);
		u.notify.lib_piggyack = pick_seqnum(r);
		return omx_wire_encode_notify(hdr, &u.notify, buf, cap);
	case WF_CONNECT:
	case WF_CONNECT_REPLY:
		u.connect.dst_endpoint = pick_endpoint(r, c);
		u.connect.src_endpoint = pick_endpoint(r, c);
		u.connect.lib_seqnum = 0;
		u.connect.src_dst_peer_index = pick_peer_index(r, c);
		u.connect.src_session_id = (uint32_t)rnd(r);
		u.connect.app_key = chance(r, 50) ? below(r, 16) :
				    (uint32_t)rnd(r);
		u.connect.target_recv_seqnum_start = pick_seqnum(r);
		u.connect.is_reply = f->base == WF_CONNECT_REPLY;
		u.connect.connect_seqnum = (uint8_t)below(r, 256);
		u.connect.status_code = chance(r, 70) ?
			OMX_WIRE_CONNECT_SUCCESS : OMX_WIRE_CONNECT_BAD_KEY;
		return omx_wire_encode_connect(hdr, &u.connect, buf, cap);
	case WF_TRUC:
		u.truc.dst_endpoint = pick_endpoint(r, c);
		u.truc.src_endpoint = pick_endpoint(r, c);
		u.truc.session = (uint32_t)rnd(r);
		u.truc.type = OMX_WIRE_TRUC_ACK;
		u.truc.lib_seqnum = pick_seqnum(r);
		u.truc.acknum = (uint32_t)pick_seqnum(r);
		u.truc.send_seq = pick_seqnum(r);
		u.truc.resent = (uint8_t)below(r, 2);
		return omx_wire_encode_truc(hdr, &u.truc, buf, cap);
	case WF_NACK_LIB:
		u.nack_lib.src_endpoint = pick_endpoint(r, c);
		u.nack_lib.dst_endpoint = pick_endpoint(r, c);
		u.nack_lib.nack_type = (uint8_t)(OMX_WIRE_NACK_BAD_ENDPT +
					below(r, OMX_WIRE_NACK_BAD_SESSION));
		u.nack_lib.lib_seqnum = pick_seqnum(r);
		return omx_wire_encode_nack_lib(hdr, &u.nack_lib, buf, cap);
	case WF_NACK_MCP:
		u.nack_mcp.src_endpoint = pick_endpoint(r, c);
		u.nack_mcp.nack_type = (uint8_t)(OMX_WIRE_NACK_BAD_ENDPT +
					below(r, OMX_WIRE_NACK_BAD_RDMAWIN));
		u.nack_mcp.src_pull_handle = pick_handle(r);
		u.nack_mcp.src_magic = pick_pull_magic(r, c);
		return omx_wire_encode_nack_mcp(hdr, &u.nack_mcp, buf, cap);
	case WF_PULL: {
		uint32_t rmax = p->pull_reply_max;

		u.pull.dst_endpoint = pick_endpoint(r, c);
		u.pull.src_endpoint = pick_endpoint(r, c);
		u.pull.session = (uint32_t)rnd(r);
		u.pull.total_length = 32769 + below(r, 1 << 24);
		u.pull.pulled_rdma_id = below(r, 256);
		u.pull.pulled_rdma_seqnum = (uint8_t)below(r, 256);
		u.pull.pulled_rdma_offset = chance(r, 70) ? 0 : below(r, 4096);
		u.pull.src_pull_handle = pick_handle(r);
		u.pull.src_magic = pick_pull_magic(r, c);
		u.pull.first_frame_offset = chance(r, 70) ? 0 : below(r, rmax);
		u.pull.block_length = below(r, (uint64_t)rmax *
				p->pull_block_replies -
				u.pull.first_frame_offset + 1);
		u.pull.frame_index = below(r, 64) * p->pull_block_replies;
		return omx_wire_encode_pull(p, hdr, &u.pull, buf, cap);
	}
	case WF_PULL_REPLY:
		u.reply.frame_seqnum = (uint8_t)below(r, 256);
		u.reply.frame_length = (uint16_t)pick_len(r, p->pull_reply_max,
				room_after(c, OMX_WIRE_PULL_REPLY_BODY));
		u.reply.msg_offset = below(r, 64) * p->pull_reply_max;
		u.reply.dst_pull_handle = pick_handle(r);
		u.reply.dst_magic = pick_pull_magic(r, c);
		u.reply.data = payload_at(r, f, OMX_WIRE_PULL_REPLY_BODY,
					  u.reply.frame_length);
		return omx_wire_encode_pull_reply(p, hdr, &u.reply, buf, cap);
	case WF_HOST_QUERY:
		u.host.src_dst_peer_index = pick_peer_index(r, c);
		u.host.magic = pick_host_magic(r);
		return omx_wire_encode_host_query(hdr, &u.host, buf, cap);
	case WF_HOST_REPLY:
		u.host.src_dst_peer_index = pick_peer_index(r, c);
		u.host.magic = pick_host_magic(r);
		build_hostname(r, c, f, &u.host);
		return omx_wire_encode_host_reply(hdr, &u.host, buf, cap);
	case WF_RAW:
	default:
		if (chance(r, 50)) {
			/* The omxoed layout: a NIC id, often a real peer's. */
			u.oed.nic_id = rnd(r) & 0xffffffffffffull;
			if (c->nsrc && chance(r, 50)) {
				const uint8_t *m = c->src[below(r, c->nsrc)].mac;
				unsigned int i;

				u.oed.nic_id = 0;
				for (i = 0; i < OMX_WIRE_ETH_ALEN; i++)
					u.oed.nic_id = u.oed.nic_id << 8 | m[i];
			}
			u.oed.serial = (uint32_t)rnd(r);
			return omx_wire_encode_raw_oed(hdr, &u.oed, buf, cap);
		} else {
			/*
			 * Any RAW frame up to 1024 octets: the omxoed frame's
			 * head (its 64 octets zeroed), then random octets.
			 */
			size_t len = OMX_WIRE_HLEN + 1 +
				     below(r, OMX_WIRE_RAW_MAX - OMX_WIRE_HLEN);
			int ret;

			if (len > cap)
				len = cap;
			ret = omx_wire_encode_raw_oed(hdr, &u.oed, buf, cap);
			if (ret < 0)
				return ret;
			rnd_bytes(r, buf + OMX_WIRE_HLEN + 1,
				  len - OMX_WIRE_HLEN - 1);
			return len < OMX_WIRE_ETH_ZLEN ? OMX_WIRE_ETH_ZLEN :
			       (int)len;
		}
	}
}

/* ------------------------------------------------------------------------
 * Mutations
 */
static uint64_t field_max(unsigned int size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static uint64_t get_field(const uint8_t *p, unsigned int size)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < size; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_field(uint8_t *p, unsigned int size, uint64_t v)
{
	unsigned int i;

	for (i = size; i-- > 0;) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* A value that tends to sit on a boundary, derived from @old or not. */
static uint64_t interesting(struct wf_rng *r, unsigned int size, uint64_t old)
{
	uint64_t max = field_max(size);

	switch (below(r, 8)) {
	case 0:
		return 0;
	case 1:
		return max;
	case 2:
		return 1ull << (size * 8 - 1);		/* sign bit */
	case 3:
		return below(r, 16);
	case 4:
		return (old + 1 + below(r, 3)) & max;
	case 5:
		return (old - 1 - below(r, 3)) & max;
	case 6:
		return old ^ (1ull << below(r, size * 8));
	default:
		return rnd(r) & max;
	}
}

/* The limits of the protocol and of both build variants, and one beyond. */
static const uint32_t wf_lengths[] = {
	1, 7, 8, 15, 16, 32, 33, 80, 81, 128, 129, 1024, 1025,
	OMX_WIRE_1500_MEDIUM_FRAG_MAX, OMX_WIRE_1500_PULL_REPLY_MAX,
	OMX_WIRE_9000_MEDIUM_FRAG_MAX, OMX_WIRE_9000_PULL_REPLY_MAX, 9000,
	OMX_WIRE_9000_MEDIUM_FRAG_MAX * OMX_WIRE_9000_MEDIUM_FRAGS_MAX,
	OMX_WIRE_9000_PULL_REPLY_MAX * OMX_WIRE_9000_PULL_BLOCK_REPLIES,
	65535, 65536,
};

static uint64_t mutate_value(struct wf_rng *r, const struct wf_config *c,
			     const struct wf_frame *f,
			     const struct wf_field *fl, uint64_t old)
{
	uint64_t max = field_max(fl->size);
	uint64_t v;

	switch (fl->kind) {
	case K_LENGTH:
		if (chance(r, 40))
			return interesting(r, fl->size, old);
		if (chance(r, 30)) {
			/* The payload the frame really holds, +-1. */
			size_t head = (size_t)OMX_WIRE_HLEN + wf_body[f->base];

			v = f->len > head ? f->len - head : 0;
			return (v + below(r, 3) - 1) & max;
		}
		v = wf_lengths[below(r, WF_NELEMS(wf_lengths))];
		return (v + (chance(r, 50) ? 0 : 1)) & max;
	case K_PEER:
		return pick_peer_index(r, c) & max;
	case K_ENDPOINT:
		switch (below(r, 4)) {
		case 0:
			return below(r, c->endpoints);
		case 1:
			return c->endpoints + below(r, 2);	/* just beyond */
		case 2:
			return 255;
		default:
			return interesting(r, fl->size, old);
		}
	case K_SESSION:
		return interesting(r, fl->size, old);
	case K_MAGIC:
		if (chance(r, 40))
			return (below(r, c->endpoints + 2) ^ WF_PULL_MAGIC_XOR) & max;
		if (chance(r, 30))
			return (WF_HOST_MAGIC0 + below(r, 4)) & max;
		return interesting(r, fl->size, old);
	case K_HANDLE:
		if (chance(r, 50))
			return pick_handle(r) & max;
		return interesting(r, fl->size, old);
	case K_OFFSET:
		if (chance(r, 40)) {
			v = (uint64_t)below(r, 40) *
			    (chance(r, 50) ? c->params.pull_reply_max :
					     c->params.medium_frag_max);
			return (v + below(r, 3) - 1) & max;
		}
		return interesting(r, fl->size, old);
	case K_SEQNUM:
	case K_SUBTYPE:
	default:
		return interesting(r, fl->size, old);
	}
}

/* A field of @kind in the frame's base type that the frame still holds. */
static const struct wf_field *pick_field(struct wf_rng *r,
					 const struct wf_frame *f,
					 enum wf_kind kind)
{
	const struct wf_fields *t = &wf_fields[f->base];
	const struct wf_field *hit[16];
	unsigned int i, n = 0;

	for (i = 0; i < t->n && n < WF_NELEMS(hit); i++)
		if (t->f[i].kind == kind &&
		    (size_t)OMX_WIRE_HLEN + t->f[i].off + t->f[i].size <= f->len)
			hit[n++] = &t->f[i];
	return n ? hit[below(r, n)] : NULL;
}

static int mutate_field(struct wf_rng *r, const struct wf_config *c,
			struct wf_frame *f, enum wf_kind kind)
{
	const struct wf_field *fl = pick_field(r, f, kind);
	uint8_t *p;
	uint64_t v;

	if (!fl)
		return -1;
	p = f->buf + OMX_WIRE_HLEN + fl->off;
	v = mutate_value(r, c, f, fl, get_field(p, fl->size));
	put_field(p, fl->size, v);
	return 0;
}

/* Every packet type, the never-valid ones and a few unknown ones. */
static uint8_t pick_ptype(struct wf_rng *r)
{
	static const uint8_t odd[] = {
		OMX_WIRE_PTYPE_NONE, OMX_WIRE_PTYPE_MFM_NIC_REPLY,
		OMX_WIRE_PTYPE_ETHER_UNICAST, OMX_WIRE_PTYPE_ETHER_MULTICAST,
		OMX_WIRE_PTYPE_ETHER_NATIVE, 5, 31, OMX_WIRE_PTYPE_NACK_MCP + 1,
		0xff,
	};

	switch (below(r, 4)) {
	case 0:
	case 1:
		return wf_ptypes[below(r, WF_BASE_MAX)];	/* confusion */
	case 2:
		return odd[below(r, WF_NELEMS(odd))];
	default:
		return (uint8_t)below(r, 256);
	}
}

static void mutate(struct wf_rng *r, const struct wf_config *c,
		   struct wf_frame *f, enum wf_mutation m)
{
	size_t len;

	switch (m) {
	case WF_MUT_TYPE:
		if (chance(r, 25) && !mutate_field(r, c, f, K_SUBTYPE))
			break;
		f->buf[OMX_WIRE_HLEN] = pick_ptype(r);
		break;
	case WF_MUT_PEER_INDEX:
		if (chance(r, 30) && !mutate_field(r, c, f, K_PEER))
			break;
		put_field(f->buf + 14, 2, pick_peer_index(r, c) ^
			  (chance(r, 20) ? 1u << below(r, 16) : 0));
		break;
	case WF_MUT_LENGTH:
	case WF_MUT_ENDPOINT:
	case WF_MUT_SESSION:
	case WF_MUT_MAGIC:
	case WF_MUT_HANDLE:
	case WF_MUT_OFFSET:
	case WF_MUT_SEQNUM:
		if (mutate_field(r, c, f, (enum wf_kind)m))
			mutate(r, c, f, WF_MUT_BYTES);	/* type has no such field */
		break;
	case WF_MUT_TRUNCATE:
		/* Anywhere from the bare Ethernet header to one octet short. */
		if (chance(r, 50) && f->len > OMX_WIRE_HLEN + 1)
			len = OMX_WIRE_HLEN + 1 + below(r, f->len - OMX_WIRE_HLEN - 1);
		else
			len = OMX_WIRE_ETH_HLEN + below(r, f->len - OMX_WIRE_ETH_HLEN);
		f->len = len;
		break;
	case WF_MUT_EXTEND:
		if (f->len >= c->max_frame) {
			mutate(r, c, f, WF_MUT_BYTES);
			break;
		}
		len = c->max_frame - f->len;
		if (chance(r, 80) && len > 64)
			len = 64;
		len = 1 + below(r, len);
		rnd_bytes(r, f->buf + f->len, len);
		f->len += len;
		break;
	case WF_MUT_BYTES:
	default: {
		unsigned int i, n = 1 + below(r, 8);

		/* After the peer index: the Ethernet header stays routable. */
		if (f->len <= OMX_WIRE_HLEN)
			break;
		for (i = 0; i < n; i++)
			f->buf[OMX_WIRE_HLEN + below(r, f->len - OMX_WIRE_HLEN)] =
				(uint8_t)rnd(r);
		break;
	}
	}
}

/* ------------------------------------------------------------------------
 * A frame
 */

/* One of the selected types, each as likely. */
static enum wf_base pick_base(struct wf_rng *r, const struct wf_config *c)
{
	uint32_t mask = c->types ? c->types : (1u << WF_BASE_MAX) - 1;
	unsigned int i, n = 0, k;

	for (i = 0; i < WF_BASE_MAX; i++)
		n += !!(mask & 1u << i);
	k = below(r, n);
	for (i = 0; i < WF_BASE_MAX; i++)
		if (mask & 1u << i && k-- == 0)
			return (enum wf_base)i;
	return WF_TINY;
}
void wf_generate(const struct wf_config *c, uint64_t seed, uint64_t n,
		 struct wf_frame *f)
{
	struct wf_rng r;
	struct omx_wire_hdr hdr;
	unsigned int i, count;
	int len;

	/* Frame n's own stream: no need to generate frames 0..n-1 first. */
	r.s = seed;
	r.s = wf_mix64(&r.s) ^ n * 0xD1B54A32D192ED03ull;
	wf_mix64(&r.s);

	f->base = pick_base(&r, c);
	f->mutations = 0;
	pick_header(&r, c, &hdr, &f->src, &f->dst);
	len = build_valid(&r, c, f, &hdr);
	if (len < 0) {
		/* Cannot happen with a checked configuration; still a frame. */
		len = OMX_WIRE_ETH_ZLEN;
		memset(f->buf, 0, (size_t)len);
		memcpy(f->buf, hdr.dst_mac, OMX_WIRE_ETH_ALEN);
		memcpy(f->buf + OMX_WIRE_ETH_ALEN, hdr.src_mac, OMX_WIRE_ETH_ALEN);
		put_field(f->buf + 12, 2, OMX_WIRE_ETHERTYPE);
		f->mutations = 1u << WF_MUT_BYTES;
	}
	f->len = (size_t)len;
	if (chance(&r, c->valid_percent))
		return;

	count = 1 + below(&r, 3);
	if (chance(&r, 10))
		count += 1 + below(&r, 4);
	for (i = 0; i < count; i++) {
		enum wf_mutation m = (enum wf_mutation)below(&r, WF_MUT_MAX);

		mutate(&r, c, f, m);
		f->mutations |= 1u << m;
	}
}
