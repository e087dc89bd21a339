// SPDX-License-Identifier: MIT
/*
 * omx_wire.c - see omx_wire.h.
 *
 * Field offsets are written as "body offsets" (frame offset - 16), the
 * column of the same name in the reference's layout tables, so each line
 * can be checked against its table row.
 *
 * Compiled into the kernel modules (through a one-line wrapper in a module
 * directory) and into the user-space unit tests.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#include "omx_wire.h"

#define OMX_WIRE_NELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define OMX_WIRE_OED_USED	44	/* omxoed frame octets holding fields */

/* ------------------------------------------------------------------------
 * Build variants
 */
static const struct omx_wire_params omx_wire_variants[] = {
	[OMX_WIRE_VARIANT_MTU9000] = {
		.variant = OMX_WIRE_VARIANT_MTU9000,
		.mtu = OMX_WIRE_9000_MTU,
		.medium_frag_max = OMX_WIRE_9000_MEDIUM_FRAG_MAX,
		.medium_frags_max = OMX_WIRE_9000_MEDIUM_FRAGS_MAX,
		.pull_reply_max = OMX_WIRE_9000_PULL_REPLY_MAX,
		.pull_block_replies = OMX_WIRE_9000_PULL_BLOCK_REPLIES,
	},
	[OMX_WIRE_VARIANT_MTU1500] = {
		.variant = OMX_WIRE_VARIANT_MTU1500,
		.mtu = OMX_WIRE_1500_MTU,
		.medium_frag_max = OMX_WIRE_1500_MEDIUM_FRAG_MAX,
		.medium_frags_max = OMX_WIRE_1500_MEDIUM_FRAGS_MAX,
		.pull_reply_max = OMX_WIRE_1500_PULL_REPLY_MAX,
		.pull_block_replies = OMX_WIRE_1500_PULL_BLOCK_REPLIES,
	},
};

int omx_wire_params_init(struct omx_wire_params *p,
			 enum omx_wire_variant variant, uint32_t peer_max)
{
	if ((unsigned int)variant >= OMX_WIRE_NELEMS(omx_wire_variants))
		return -OMX_WIRE_EINVAL;
	if (peer_max == 0 || peer_max > OMX_WIRE_PEER_MAX_LIMIT)
		return -OMX_WIRE_EINVAL;
	*p = omx_wire_variants[variant];
	p->peer_max = peer_max;
	return 0;
}

const char *omx_wire_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return "ok";
	case OMX_WIRE_EINVAL:
		return "invalid argument";
	case OMX_WIRE_ENOSPC:
		return "buffer too small for the frame";
	case OMX_WIRE_ESHORT:
		return "frame too short for its headers";
	case OMX_WIRE_EETHERTYPE:
		return "not an Open-MX ethertype";
	case OMX_WIRE_EPTYPE:
		return "unknown packet type";
	case OMX_WIRE_EPTYPE_INVALID:
		return "packet type not valid on the wire";
	case OMX_WIRE_ELENGTH:
		return "length over its limit or beyond the frame";
	case OMX_WIRE_EFRAG:
		return "medium fragment number out of range";
	case OMX_WIRE_EPEER:
		return "invalid peer index";
	case OMX_WIRE_EFIELD:
		return "field value not defined by the protocol";
	}
	return "unknown omx_wire error";
}

/* Types Open-MX defines but counts as invalid when received (section 3). */
static int omx_wire_ptype_error(uint8_t ptype)
{
	switch (ptype) {
	case OMX_WIRE_PTYPE_MFM_NIC_REPLY:
	case OMX_WIRE_PTYPE_ETHER_UNICAST:
	case OMX_WIRE_PTYPE_ETHER_MULTICAST:
	case OMX_WIRE_PTYPE_ETHER_NATIVE:
		return -OMX_WIRE_EPTYPE_INVALID;
	default:
		return -OMX_WIRE_EPTYPE;
	}
}

/* ------------------------------------------------------------------------
 * Limits, shared by the encoders and the decoder so that both sides agree
 */
static int omx_wire_check_msg(uint8_t ptype, const struct omx_wire_msg *m)
{
	unsigned int max = ptype == OMX_WIRE_PTYPE_TINY ?
			   OMX_WIRE_TINY_MAX : OMX_WIRE_SMALL_MAX;

	return m->length > max ? -OMX_WIRE_ELENGTH : 0;
}

static int omx_wire_check_medium(const struct omx_wire_params *p,
				 const struct omx_wire_medium *m)
{
	uint64_t frag_max = p->medium_frag_max;
	uint64_t start = m->frag_seqnum * frag_max;	/* 6.5: index * F */

	if (m->frag_length > frag_max)
		return -OMX_WIRE_ELENGTH;
	/* Medium messages fit in the fragments a sender may use (6.5). */
	if (m->length > frag_max * p->medium_frags_max)
		return -OMX_WIRE_ELENGTH;
	/*
	 * frag_seqnum < ceil(length / F): the fragment starts inside the
	 * message.  With the length bound above this also keeps it below the
	 * variant's fragment count.
	 */
	if (start >= m->length)
		return -OMX_WIRE_EFRAG;
	/* ... and ends inside it, so a receiver never writes past the end. */
	if (start + m->frag_length > m->length)
		return -OMX_WIRE_ELENGTH;
	return 0;
}

static int omx_wire_check_pull(const struct omx_wire_params *p,
			       const struct omx_wire_pull *pull)
{
	uint64_t reply_max = p->pull_reply_max;

	/* A block starts inside its first frame (6.6 step 3). */
	if (pull->first_frame_offset >= reply_max)
		return -OMX_WIRE_ELENGTH;
	/*
	 * The replier sends ceil((first_frame_offset + block_length) / R)
	 * frames, at most N per block (6.6 step 4).
	 */
	if (pull->first_frame_offset + (uint64_t)pull->block_length >
	    reply_max * p->pull_block_replies)
		return -OMX_WIRE_ELENGTH;
	return 0;
}

static int omx_wire_check_pull_reply(const struct omx_wire_params *p,
				     const struct omx_wire_pull_reply *r)
{
	return r->frame_length > p->pull_reply_max ? -OMX_WIRE_ELENGTH : 0;
}

static int omx_wire_check_connect(const struct omx_wire_connect *c)
{
	return c->is_reply > 1 ? -OMX_WIRE_EFIELD : 0;
}

static int omx_wire_check_truc(const struct omx_wire_truc *t)
{
	return t->type != OMX_WIRE_TRUC_ACK ? -OMX_WIRE_EFIELD : 0;
}

static int omx_wire_check_nack_type(uint8_t nack_type, uint8_t last)
{
	if (nack_type < OMX_WIRE_NACK_BAD_ENDPT || nack_type > last)
		return -OMX_WIRE_EFIELD;
	return 0;
}

/* @h->hostname must point to hostname_len readable octets. */
static int omx_wire_check_hostname(const struct omx_wire_host *h)
{
	if (h->hostname_len == 0 || h->hostname_len > OMX_WIRE_HOSTNAME_MAX)
		return -OMX_WIRE_ELENGTH;
	/* NUL-terminated, so the name can be used as a C string in place. */
	if (h->hostname[h->hostname_len - 1] != '\0')
		return -OMX_WIRE_EFIELD;
	return 0;
}

static int omx_wire_peer_valid(const struct omx_wire_params *p, uint16_t idx)
{
	/* 0xFFFF means "unknown", even in a table of 65536 entries. */
	return idx != OMX_WIRE_PEER_INDEX_UNKNOWN && idx < p->peer_max;
}

/* Which packets name their sender by the header peer index (section 2). */
static int omx_wire_check_peer(const struct omx_wire_params *p, uint8_t ptype,
			       uint16_t idx)
{
	switch (ptype) {
	case OMX_WIRE_PTYPE_TINY:
	case OMX_WIRE_PTYPE_SMALL:
	case OMX_WIRE_PTYPE_MEDIUM:
	case OMX_WIRE_PTYPE_RNDV:
	case OMX_WIRE_PTYPE_NOTIFY:
	case OMX_WIRE_PTYPE_TRUC:
	case OMX_WIRE_PTYPE_PULL:
		return omx_wire_peer_valid(p, idx) ? 0 : -OMX_WIRE_EPEER;
	case OMX_WIRE_PTYPE_NACK_LIB:
	case OMX_WIRE_PTYPE_NACK_MCP:
		/* Unknown index: the receiver falls back to the source MAC. */
		if (idx == OMX_WIRE_PEER_INDEX_UNKNOWN ||
		    omx_wire_peer_valid(p, idx))
			return 0;
		return -OMX_WIRE_EPEER;
	default:
		/* CONNECT, HOST_*: source MAC; PULL_REPLY, RAW: unchecked. */
		return 0;
	}
}

/* ------------------------------------------------------------------------
 * Encoding
 */

/*
 * memcpy() with a NULL source is undefined even for 0 octets.  A payload
 * already written at its place in the frame (the kernel copies pull-reply
 * data straight from pinned pages into the socket buffer) is left alone.
 */
static void omx_wire_copy(uint8_t *dst, const void *src, size_t len)
{
	if (len && dst != src)
		memcpy(dst, src, len);
}

static int omx_wire_data_ok(const void *data, size_t len)
{
	return data || !len ? 0 : -OMX_WIRE_EINVAL;
}

/*
 * Check room for a frame of @body_len fixed octets and @data_len payload
 * octets, zero everything but the payload and write octets 0..16.  Returns
 * the frame length (padded to 60) or -OMX_WIRE_ENOSPC.
 */
static int omx_wire_begin(const struct omx_wire_hdr *hdr, uint8_t ptype,
			  size_t body_len, size_t data_len,
			  uint8_t *buf, size_t buflen)
{
	size_t used = OMX_WIRE_HLEN + body_len + data_len;
	size_t frame = used < OMX_WIRE_ETH_ZLEN ? OMX_WIRE_ETH_ZLEN : used;

	if (buflen < frame)
		return -OMX_WIRE_ENOSPC;
	memset(buf, 0, OMX_WIRE_HLEN + body_len);
	memset(buf + used, 0, frame - used);
	memcpy(buf, hdr->dst_mac, OMX_WIRE_ETH_ALEN);
	memcpy(buf + OMX_WIRE_ETH_ALEN, hdr->src_mac, OMX_WIRE_ETH_ALEN);
	omx_wire_put_be16(buf + 12, OMX_WIRE_ETHERTYPE);
	omx_wire_put_be16(buf + 14, hdr->peer_index);
	buf[OMX_WIRE_HLEN] = ptype;
	return (int)frame;
}

/* Message header fields at the same place in TINY, SMALL, RNDV, MEDIUM. */
static void omx_wire_put_head(uint8_t *b, const struct omx_wire_msg_head *h)
{
	b[1] = h->dst_endpoint;
	b[2] = h->src_endpoint;
	omx_wire_put_be16(b + 8, h->lib_seqnum);
	omx_wire_put_be16(b + 10, h->lib_piggyack);
	omx_wire_put_be64(b + 12, h->match_info);	/* match_a, match_b */
	omx_wire_put_be32(b + 20, h->session);
}

static int omx_wire_encode_msg(uint8_t ptype, const struct omx_wire_hdr *hdr,
			       const struct omx_wire_msg *m,
			       uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_msg(ptype, m);
	if (!ret)
		ret = omx_wire_data_ok(m->data, m->length);
	if (!ret)
		ret = omx_wire_begin(hdr, ptype, OMX_WIRE_MSG_BODY, m->length,
				     buf, buflen);
	if (ret < 0)
		return ret;
	omx_wire_put_head(b, &m->head);
	omx_wire_put_be16(b + 4, m->length);
	omx_wire_put_be16(b + 6, m->head.checksum);
	omx_wire_copy(b + OMX_WIRE_MSG_BODY, m->data, m->length);
	return ret;
}

int omx_wire_encode_tiny(const struct omx_wire_hdr *hdr,
			 const struct omx_wire_msg *msg,
			 uint8_t *buf, size_t buflen)
{
	return omx_wire_encode_msg(OMX_WIRE_PTYPE_TINY, hdr, msg, buf, buflen);
}

int omx_wire_encode_small(const struct omx_wire_hdr *hdr,
			  const struct omx_wire_msg *msg,
			  uint8_t *buf, size_t buflen)
{
	return omx_wire_encode_msg(OMX_WIRE_PTYPE_SMALL, hdr, msg, buf, buflen);
}

int omx_wire_encode_medium(const struct omx_wire_params *p,
			   const struct omx_wire_hdr *hdr,
			   const struct omx_wire_medium *m,
			   uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_medium(p, m);
	if (!ret)
		ret = omx_wire_data_ok(m->data, m->frag_length);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_MEDIUM,
				     OMX_WIRE_MEDIUM_BODY, m->frag_length,
				     buf, buflen);
	if (ret < 0)
		return ret;
	omx_wire_put_head(b, &m->head);
	omx_wire_put_be32(b + 4, m->length);
	omx_wire_put_be16(b + 24, m->frag_length);
	b[26] = m->frag_seqnum;
	omx_wire_put_be16(b + 28, m->head.checksum);
	omx_wire_copy(b + OMX_WIRE_MEDIUM_BODY, m->data, m->frag_length);
	return ret;
}

int omx_wire_encode_rndv(const struct omx_wire_hdr *hdr,
			 const struct omx_wire_rndv *r,
			 uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_RNDV, OMX_WIRE_RNDV_BODY, 0,
			     buf, buflen);
	if (ret < 0)
		return ret;
	omx_wire_put_head(b, &r->head);
	omx_wire_put_be16(b + 4, OMX_WIRE_RNDV_DATA_LEN);
	omx_wire_put_be16(b + 6, r->head.checksum);
	omx_wire_put_be32(b + 24, r->msg_length);
	b[28] = r->pulled_rdma_id;
	b[29] = r->pulled_rdma_seqnum;
	omx_wire_put_be16(b + 30, r->pulled_rdma_offset);
	return ret;
}

int omx_wire_encode_pull(const struct omx_wire_params *p,
			 const struct omx_wire_hdr *hdr,
			 const struct omx_wire_pull *pull,
			 uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_pull(p, pull);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_PULL,
				     OMX_WIRE_PULL_BODY, 0, buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = pull->dst_endpoint;
	b[2] = pull->src_endpoint;
	omx_wire_put_be32(b + 4, pull->session);
	omx_wire_put_be32(b + 8, pull->total_length);
	omx_wire_put_be32(b + 12, pull->pulled_rdma_id);
	b[16] = pull->pulled_rdma_seqnum;
	omx_wire_put_be32(b + 20, pull->pulled_rdma_offset);
	omx_wire_put_be32(b + 24, pull->src_pull_handle);
	omx_wire_put_be32(b + 28, pull->src_magic);
	omx_wire_put_be32(b + 32, pull->first_frame_offset);
	omx_wire_put_be32(b + 36, pull->block_length);
	omx_wire_put_be32(b + 40, pull->frame_index);
	return ret;
}

int omx_wire_encode_pull_reply(const struct omx_wire_params *p,
			       const struct omx_wire_hdr *hdr,
			       const struct omx_wire_pull_reply *r,
			       uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_pull_reply(p, r);
	if (!ret)
		ret = omx_wire_data_ok(r->data, r->frame_length);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_PULL_REPLY,
				     OMX_WIRE_PULL_REPLY_BODY, r->frame_length,
				     buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = r->frame_seqnum;
	omx_wire_put_be16(b + 2, r->frame_length);
	omx_wire_put_be32(b + 4, r->msg_offset);
	omx_wire_put_be32(b + 8, r->dst_pull_handle);
	omx_wire_put_be32(b + 12, r->dst_magic);
	omx_wire_copy(b + OMX_WIRE_PULL_REPLY_BODY, r->data, r->frame_length);
	return ret;
}

int omx_wire_encode_notify(const struct omx_wire_hdr *hdr,
			   const struct omx_wire_notify *n,
			   uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_NOTIFY, OMX_WIRE_NOTIFY_BODY,
			     0, buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = n->dst_endpoint;
	b[2] = n->src_endpoint;
	omx_wire_put_be32(b + 4, n->session);
	omx_wire_put_be32(b + 8, n->total_length);
	b[12] = n->pulled_rdma_id;
	b[13] = n->pulled_rdma_seqnum;
	omx_wire_put_be16(b + 18, n->lib_seqnum);
	omx_wire_put_be16(b + 20, n->lib_piggyack);
	return ret;
}

int omx_wire_encode_connect(const struct omx_wire_hdr *hdr,
			    const struct omx_wire_connect *c,
			    uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_connect(c);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_CONNECT,
				     OMX_WIRE_CONNECT_BODY, 0, buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = c->dst_endpoint;
	b[2] = c->src_endpoint;
	b[4] = OMX_WIRE_CONNECT_DATA_LEN;
	omx_wire_put_be16(b + 8, c->lib_seqnum);
	omx_wire_put_be16(b + 10, c->src_dst_peer_index);
	omx_wire_put_be32(b + 16, c->src_session_id);
	omx_wire_put_be32(b + 20, c->app_key);	/* or target_session_id */
	omx_wire_put_be16(b + 24, c->target_recv_seqnum_start);
	b[26] = c->is_reply;
	b[27] = c->connect_seqnum;
	if (c->is_reply)	/* a pad in a request: stays zero */
		b[28] = c->status_code;
	return ret;
}

int omx_wire_encode_truc(const struct omx_wire_hdr *hdr,
			 const struct omx_wire_truc *t,
			 uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_truc(t);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_TRUC,
				     OMX_WIRE_TRUC_BODY, 0, buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = t->dst_endpoint;
	b[2] = t->src_endpoint;
	b[4] = OMX_WIRE_TRUC_DATA_LEN;
	omx_wire_put_be32(b + 8, t->session);
	b[12] = t->type;
	omx_wire_put_be16(b + 14, t->lib_seqnum);
	omx_wire_put_be32(b + 16, t->session);	/* session_id */
	omx_wire_put_be32(b + 20, t->acknum);
	omx_wire_put_be16(b + 24, t->send_seq);
	b[26] = t->resent;
	return ret;
}

int omx_wire_encode_nack_lib(const struct omx_wire_hdr *hdr,
			     const struct omx_wire_nack_lib *n,
			     uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_nack_type(n->nack_type, OMX_WIRE_NACK_BAD_SESSION);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_NACK_LIB,
				     OMX_WIRE_NACK_BODY, 0, buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = n->src_endpoint;
	b[3] = n->nack_type;
	b[9] = n->dst_endpoint;
	omx_wire_put_be16(b + 10, hdr->peer_index);	/* copy of octets 14-15 */
	omx_wire_put_be16(b + 12, n->lib_seqnum);
	return ret;
}

int omx_wire_encode_nack_mcp(const struct omx_wire_hdr *hdr,
			     const struct omx_wire_nack_mcp *n,
			     uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_check_nack_type(n->nack_type, OMX_WIRE_NACK_BAD_RDMAWIN);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_NACK_MCP,
				     OMX_WIRE_NACK_BODY, 0, buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = n->src_endpoint;
	b[3] = n->nack_type;
	omx_wire_put_be32(b + 8, n->src_pull_handle);
	omx_wire_put_be32(b + 12, n->src_magic);
	return ret;
}

int omx_wire_encode_host_query(const struct omx_wire_hdr *hdr,
			       const struct omx_wire_host *h,
			       uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_HOST_QUERY,
			     OMX_WIRE_HOST_BODY, 0, buf, buflen);
	if (ret < 0)
		return ret;
	omx_wire_put_be16(b + 2, h->src_dst_peer_index);
	omx_wire_put_be32(b + 8, h->magic);
	return ret;
}

int omx_wire_encode_host_reply(const struct omx_wire_hdr *hdr,
			       const struct omx_wire_host *h,
			       uint8_t *buf, size_t buflen)
{
	uint8_t *b = buf + OMX_WIRE_HLEN;
	int ret;

	if (!h->hostname)
		return -OMX_WIRE_EINVAL;
	ret = omx_wire_check_hostname(h);
	if (!ret)
		ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_HOST_REPLY,
				     OMX_WIRE_HOST_BODY, h->hostname_len,
				     buf, buflen);
	if (ret < 0)
		return ret;
	b[1] = h->hostname_len;
	omx_wire_put_be16(b + 2, h->src_dst_peer_index);
	omx_wire_put_be32(b + 8, h->magic);
	omx_wire_copy(b + OMX_WIRE_HOST_BODY, h->hostname, h->hostname_len);
	return ret;
}

/* What makes a frame a RAW frame the driver would pass up or send. */
static int omx_wire_check_raw(const uint8_t *frame, size_t len)
{
	if (!frame || len < OMX_WIRE_HLEN + 1)
		return -OMX_WIRE_ESHORT;
	if (len > OMX_WIRE_RAW_MAX)
		return -OMX_WIRE_ELENGTH;
	if (omx_wire_get_be16(frame + 12) != OMX_WIRE_ETHERTYPE)
		return -OMX_WIRE_EETHERTYPE;
	if (frame[OMX_WIRE_HLEN] != OMX_WIRE_PTYPE_RAW)
		return -OMX_WIRE_EPTYPE;
	return 0;
}

int omx_wire_encode_raw(const struct omx_wire_raw *raw,
			uint8_t *buf, size_t buflen)
{
	size_t frame;
	int ret;

	ret = omx_wire_check_raw(raw->frame, raw->len);
	if (ret)
		return ret;
	frame = raw->len < OMX_WIRE_ETH_ZLEN ? OMX_WIRE_ETH_ZLEN : raw->len;
	if (buflen < frame)
		return -OMX_WIRE_ENOSPC;
	memcpy(buf, raw->frame, raw->len);
	memset(buf + raw->len, 0, frame - raw->len);
	return (int)frame;
}

int omx_wire_encode_raw_oed(const struct omx_wire_hdr *hdr,
			    const struct omx_wire_oed *oed,
			    uint8_t *buf, size_t buflen)
{
	int ret;

	ret = omx_wire_begin(hdr, OMX_WIRE_PTYPE_RAW,
			     OMX_WIRE_OED_FRAME_LEN - OMX_WIRE_HLEN, 0,
			     buf, buflen);
	if (ret < 0)
		return ret;
	omx_wire_put_be64(buf + 32, oed->nic_id);	/* high, low halves */
	omx_wire_put_be32(buf + 40, oed->serial);
	return ret;
}

int omx_wire_encode(const struct omx_wire_params *p,
		    const struct omx_wire_pkt *pkt,
		    uint8_t *buf, size_t buflen)
{
	const struct omx_wire_hdr *hdr = &pkt->hdr;

	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
		return omx_wire_encode_tiny(hdr, &pkt->msg, buf, buflen);
	case OMX_WIRE_PTYPE_SMALL:
		return omx_wire_encode_small(hdr, &pkt->msg, buf, buflen);
	case OMX_WIRE_PTYPE_MEDIUM:
		return omx_wire_encode_medium(p, hdr, &pkt->medium, buf, buflen);
	case OMX_WIRE_PTYPE_RNDV:
		return omx_wire_encode_rndv(hdr, &pkt->rndv, buf, buflen);
	case OMX_WIRE_PTYPE_PULL:
		return omx_wire_encode_pull(p, hdr, &pkt->pull, buf, buflen);
	case OMX_WIRE_PTYPE_PULL_REPLY:
		return omx_wire_encode_pull_reply(p, hdr, &pkt->pull_reply,
						  buf, buflen);
	case OMX_WIRE_PTYPE_NOTIFY:
		return omx_wire_encode_notify(hdr, &pkt->notify, buf, buflen);
	case OMX_WIRE_PTYPE_CONNECT:
		return omx_wire_encode_connect(hdr, &pkt->connect, buf, buflen);
	case OMX_WIRE_PTYPE_TRUC:
		return omx_wire_encode_truc(hdr, &pkt->truc, buf, buflen);
	case OMX_WIRE_PTYPE_NACK_LIB:
		return omx_wire_encode_nack_lib(hdr, &pkt->nack_lib, buf, buflen);
	case OMX_WIRE_PTYPE_NACK_MCP:
		return omx_wire_encode_nack_mcp(hdr, &pkt->nack_mcp, buf, buflen);
	case OMX_WIRE_PTYPE_HOST_QUERY:
		return omx_wire_encode_host_query(hdr, &pkt->host, buf, buflen);
	case OMX_WIRE_PTYPE_HOST_REPLY:
		return omx_wire_encode_host_reply(hdr, &pkt->host, buf, buflen);
	case OMX_WIRE_PTYPE_RAW:
		return omx_wire_encode_raw(&pkt->raw, buf, buflen);
	default:
		return omx_wire_ptype_error(pkt->ptype);
	}
}

/* ------------------------------------------------------------------------
 * Decoding.  Each omx_wire_decode_<type>() gets the body (frame + 16) and
 * its length, which the dispatcher has checked holds at least the ptype.
 */

/* Payload of @data_len octets after @body_len fixed octets, or an error. */
static int omx_wire_payload(size_t blen, size_t body_len, size_t data_len)
{
	if (blen < body_len)
		return -OMX_WIRE_ESHORT;
	return data_len > blen - body_len ? -OMX_WIRE_ELENGTH : 0;
}

static void omx_wire_get_head(const uint8_t *b, struct omx_wire_msg_head *h)
{
	h->dst_endpoint = b[1];
	h->src_endpoint = b[2];
	h->lib_seqnum = omx_wire_get_be16(b + 8);
	h->lib_piggyack = omx_wire_get_be16(b + 10);
	h->match_info = omx_wire_get_be64(b + 12);
	h->session = omx_wire_get_be32(b + 20);
}

static int omx_wire_decode_msg(uint8_t ptype, const uint8_t *b, size_t blen,
			       struct omx_wire_msg *m)
{
	int ret;

	if (blen < OMX_WIRE_MSG_BODY)
		return -OMX_WIRE_ESHORT;
	omx_wire_get_head(b, &m->head);
	m->head.checksum = omx_wire_get_be16(b + 6);
	m->length = omx_wire_get_be16(b + 4);
	ret = omx_wire_check_msg(ptype, m);
	if (!ret)
		ret = omx_wire_payload(blen, OMX_WIRE_MSG_BODY, m->length);
	m->data = b + OMX_WIRE_MSG_BODY;
	return ret;
}

static int omx_wire_decode_medium(const struct omx_wire_params *p,
				  const uint8_t *b, size_t blen,
				  struct omx_wire_medium *m)
{
	int ret;

	if (blen < OMX_WIRE_MEDIUM_BODY)
		return -OMX_WIRE_ESHORT;
	omx_wire_get_head(b, &m->head);
	m->head.checksum = omx_wire_get_be16(b + 28);
	m->length = omx_wire_get_be32(b + 4);
	m->frag_length = omx_wire_get_be16(b + 24);
	m->frag_seqnum = b[26];
	ret = omx_wire_check_medium(p, m);
	if (!ret)
		ret = omx_wire_payload(blen, OMX_WIRE_MEDIUM_BODY,
				       m->frag_length);
	m->data = b + OMX_WIRE_MEDIUM_BODY;
	return ret;
}

static int omx_wire_decode_rndv(const uint8_t *b, size_t blen,
				struct omx_wire_rndv *r)
{
	if (blen < OMX_WIRE_RNDV_BODY)
		return -OMX_WIRE_ESHORT;
	/* Only a short length is dropped; a longer one is tolerated (6.8). */
	if (omx_wire_get_be16(b + 4) < OMX_WIRE_RNDV_DATA_LEN)
		return -OMX_WIRE_ELENGTH;
	omx_wire_get_head(b, &r->head);
	r->head.checksum = omx_wire_get_be16(b + 6);
	r->msg_length = omx_wire_get_be32(b + 24);
	r->pulled_rdma_id = b[28];
	r->pulled_rdma_seqnum = b[29];
	r->pulled_rdma_offset = omx_wire_get_be16(b + 30);
	return 0;
}

static int omx_wire_decode_pull(const struct omx_wire_params *p,
				const uint8_t *b, size_t blen,
				struct omx_wire_pull *pull)
{
	if (blen < OMX_WIRE_PULL_BODY)
		return -OMX_WIRE_ESHORT;
	pull->dst_endpoint = b[1];
	pull->src_endpoint = b[2];
	pull->session = omx_wire_get_be32(b + 4);
	pull->total_length = omx_wire_get_be32(b + 8);
	pull->pulled_rdma_id = omx_wire_get_be32(b + 12);
	pull->pulled_rdma_seqnum = b[16];
	pull->pulled_rdma_offset = omx_wire_get_be32(b + 20);
	pull->src_pull_handle = omx_wire_get_be32(b + 24);
	pull->src_magic = omx_wire_get_be32(b + 28);
	pull->first_frame_offset = omx_wire_get_be32(b + 32);
	pull->block_length = omx_wire_get_be32(b + 36);
	pull->frame_index = omx_wire_get_be32(b + 40);
	return omx_wire_check_pull(p, pull);
}

static int omx_wire_decode_pull_reply(const struct omx_wire_params *p,
				      const uint8_t *b, size_t blen,
				      struct omx_wire_pull_reply *r)
{
	int ret;

	if (blen < OMX_WIRE_PULL_REPLY_BODY)
		return -OMX_WIRE_ESHORT;
	r->frame_seqnum = b[1];
	r->frame_length = omx_wire_get_be16(b + 2);
	r->msg_offset = omx_wire_get_be32(b + 4);
	r->dst_pull_handle = omx_wire_get_be32(b + 8);
	r->dst_magic = omx_wire_get_be32(b + 12);
	ret = omx_wire_check_pull_reply(p, r);
	if (!ret)
		ret = omx_wire_payload(blen, OMX_WIRE_PULL_REPLY_BODY,
				       r->frame_length);
	r->data = b + OMX_WIRE_PULL_REPLY_BODY;
	return ret;
}

static int omx_wire_decode_notify(const uint8_t *b, size_t blen,
				  struct omx_wire_notify *n)
{
	if (blen < OMX_WIRE_NOTIFY_BODY)
		return -OMX_WIRE_ESHORT;
	n->dst_endpoint = b[1];
	n->src_endpoint = b[2];
	n->session = omx_wire_get_be32(b + 4);
	n->total_length = omx_wire_get_be32(b + 8);
	n->pulled_rdma_id = b[12];
	n->pulled_rdma_seqnum = b[13];
	n->lib_seqnum = omx_wire_get_be16(b + 18);
	n->lib_piggyack = omx_wire_get_be16(b + 20);
	return 0;
}

static int omx_wire_decode_connect(const uint8_t *b, size_t blen,
				   struct omx_wire_connect *c)
{
	if (blen < OMX_WIRE_CONNECT_BODY)
		return -OMX_WIRE_ESHORT;
	if (b[4] < OMX_WIRE_CONNECT_DATA_LEN)
		return -OMX_WIRE_ELENGTH;
	c->dst_endpoint = b[1];
	c->src_endpoint = b[2];
	c->lib_seqnum = omx_wire_get_be16(b + 8);
	c->src_dst_peer_index = omx_wire_get_be16(b + 10);
	c->src_session_id = omx_wire_get_be32(b + 16);
	c->app_key = omx_wire_get_be32(b + 20);
	c->target_recv_seqnum_start = omx_wire_get_be16(b + 24);
	c->is_reply = b[26];
	c->connect_seqnum = b[27];
	c->status_code = c->is_reply ? b[28] : 0;
	return omx_wire_check_connect(c);
}

static int omx_wire_decode_truc(const uint8_t *b, size_t blen,
				struct omx_wire_truc *t)
{
	if (blen < OMX_WIRE_TRUC_BODY)
		return -OMX_WIRE_ESHORT;
	if (b[4] < OMX_WIRE_TRUC_DATA_LEN)
		return -OMX_WIRE_ELENGTH;
	t->dst_endpoint = b[1];
	t->src_endpoint = b[2];
	t->session = omx_wire_get_be32(b + 8);
	t->type = b[12];
	t->lib_seqnum = omx_wire_get_be16(b + 14);
	t->acknum = omx_wire_get_be32(b + 20);
	t->send_seq = omx_wire_get_be16(b + 24);
	t->resent = b[26];
	/* The two copies of the session must agree (4.9). */
	if (omx_wire_get_be32(b + 16) != t->session)
		return -OMX_WIRE_EFIELD;
	return omx_wire_check_truc(t);
}

static int omx_wire_decode_nack_lib(const uint8_t *b, size_t blen,
				    uint16_t peer_index,
				    struct omx_wire_nack_lib *n)
{
	if (blen < OMX_WIRE_NACK_BODY)
		return -OMX_WIRE_ESHORT;
	n->src_endpoint = b[1];
	n->nack_type = b[3];
	n->dst_endpoint = b[9];
	n->lib_seqnum = omx_wire_get_be16(b + 12);
	/* The body copy of the peer index must be a copy (4.10). */
	if (omx_wire_get_be16(b + 10) != peer_index)
		return -OMX_WIRE_EPEER;
	return omx_wire_check_nack_type(n->nack_type, OMX_WIRE_NACK_BAD_SESSION);
}

static int omx_wire_decode_nack_mcp(const uint8_t *b, size_t blen,
				    struct omx_wire_nack_mcp *n)
{
	if (blen < OMX_WIRE_NACK_BODY)
		return -OMX_WIRE_ESHORT;
	n->src_endpoint = b[1];
	n->nack_type = b[3];
	n->src_pull_handle = omx_wire_get_be32(b + 8);
	n->src_magic = omx_wire_get_be32(b + 12);
	return omx_wire_check_nack_type(n->nack_type, OMX_WIRE_NACK_BAD_RDMAWIN);
}

static int omx_wire_decode_host(uint8_t ptype, const uint8_t *b, size_t blen,
				struct omx_wire_host *h)
{
	int ret;

	if (blen < OMX_WIRE_HOST_BODY)
		return -OMX_WIRE_ESHORT;
	h->src_dst_peer_index = omx_wire_get_be16(b + 2);
	h->magic = omx_wire_get_be32(b + 8);
	if (ptype == OMX_WIRE_PTYPE_HOST_QUERY)
		return 0;	/* octet 1 is a pad in a query */
	h->hostname_len = b[1];
	h->hostname = (const char *)(b + OMX_WIRE_HOST_BODY);
	ret = omx_wire_payload(blen, OMX_WIRE_HOST_BODY, h->hostname_len);
	if (!ret)
		ret = omx_wire_check_hostname(h);
	return ret;
}

int omx_wire_decode(const uint8_t *frame, size_t len,
		    const struct omx_wire_params *p, struct omx_wire_pkt *out)
{
	const uint8_t *b;
	size_t blen;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!frame || len < OMX_WIRE_HLEN + 1)
		return -OMX_WIRE_ESHORT;
	if (omx_wire_get_be16(frame + 12) != OMX_WIRE_ETHERTYPE)
		return -OMX_WIRE_EETHERTYPE;
	b = frame + OMX_WIRE_HLEN;
	blen = len - OMX_WIRE_HLEN;
	memcpy(out->hdr.dst_mac, frame, OMX_WIRE_ETH_ALEN);
	memcpy(out->hdr.src_mac, frame + OMX_WIRE_ETH_ALEN, OMX_WIRE_ETH_ALEN);
	out->hdr.peer_index = omx_wire_get_be16(frame + 14);
	out->ptype = b[0];
	ret = omx_wire_check_peer(p, out->ptype, out->hdr.peer_index);
	if (ret)
		return ret;

	switch (out->ptype) {
	case OMX_WIRE_PTYPE_TINY:
	case OMX_WIRE_PTYPE_SMALL:
		return omx_wire_decode_msg(out->ptype, b, blen, &out->msg);
	case OMX_WIRE_PTYPE_MEDIUM:
		return omx_wire_decode_medium(p, b, blen, &out->medium);
	case OMX_WIRE_PTYPE_RNDV:
		return omx_wire_decode_rndv(b, blen, &out->rndv);
	case OMX_WIRE_PTYPE_PULL:
		return omx_wire_decode_pull(p, b, blen, &out->pull);
	case OMX_WIRE_PTYPE_PULL_REPLY:
		return omx_wire_decode_pull_reply(p, b, blen, &out->pull_reply);
	case OMX_WIRE_PTYPE_NOTIFY:
		return omx_wire_decode_notify(b, blen, &out->notify);
	case OMX_WIRE_PTYPE_CONNECT:
		return omx_wire_decode_connect(b, blen, &out->connect);
	case OMX_WIRE_PTYPE_TRUC:
		return omx_wire_decode_truc(b, blen, &out->truc);
	case OMX_WIRE_PTYPE_NACK_LIB:
		return omx_wire_decode_nack_lib(b, blen, out->hdr.peer_index,
						&out->nack_lib);
	case OMX_WIRE_PTYPE_NACK_MCP:
		return omx_wire_decode_nack_mcp(b, blen, &out->nack_mcp);
	case OMX_WIRE_PTYPE_HOST_QUERY:
	case OMX_WIRE_PTYPE_HOST_REPLY:
		return omx_wire_decode_host(out->ptype, b, blen, &out->host);
	case OMX_WIRE_PTYPE_RAW:
		out->raw.frame = frame;
		out->raw.len = len;
		return omx_wire_check_raw(frame, len);
	default:
		return omx_wire_ptype_error(out->ptype);
	}
}

int omx_wire_decode_raw_oed(const struct omx_wire_raw *raw,
			    struct omx_wire_oed *oed)
{
	/* The fields end at frame offset 44; the rest of the 64 is pad. */
	if (!raw->frame || raw->len < OMX_WIRE_OED_USED)
		return -OMX_WIRE_ESHORT;
	oed->nic_id = omx_wire_get_be64(raw->frame + 32);
	oed->serial = omx_wire_get_be32(raw->frame + 40);
	return 0;
}
