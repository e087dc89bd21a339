// SPDX-License-Identifier: GPL-2.0-only
/*
 * send.c - frames out: the library's send commands, nacks, host queries.
 *
 * Every frame is encoded by shared/omx_wire.c straight into its socket
 * buffer.  A frame addressed to a board of this host is looped back into
 * the receive path (netif_rx) instead of being transmitted: endpoints of
 * one host talk without touching the wire, through the same checks.
 */
#include "omx_engine.h"
#include <linux/etherdevice.h>
#include <linux/skbuff.h>

struct sk_buff *omx_frame_alloc(struct omx_iface *ifc, size_t len)
{
	unsigned int headroom = LL_RESERVED_SPACE(ifc->dev);
	struct sk_buff *skb;

	if (len < OMX_WIRE_ETH_ZLEN)
		len = OMX_WIRE_ETH_ZLEN;
	skb = alloc_skb(headroom + len + ifc->dev->needed_tailroom, GFP_ATOMIC);
	if (!skb) {
		omx_count(ifc, OMX_CNT_SEND_NOMEM_SKB);
		return NULL;
	}
	skb_reserve(skb, headroom);
	return skb;
}

/*
 * Sends the frame in skb->data (already skb_put).  Called under
 * rcu_read_lock() with @ifc alive; consumes @skb.
 */
int omx_xmit(struct omx_iface *ifc, struct sk_buff *skb,
	     enum omx_counter wire_cnt, enum omx_counter shared_cnt)
{
	struct omx_iface *local;

	local = omx_iface_by_addr(omx_mac_to_addr(skb->data));
	if (local) {
		/*
		 * Shared communication: straight into this host's receive
		 * path, marked as ours so a board's own address is believed
		 * (recv.c drops it in a frame that came from a wire).
		 */
		skb->protocol = eth_type_trans(skb, local->dev);
		skb->pkt_type = PACKET_LOOPBACK;
		omx_count_shared(ifc, shared_cnt);
		netif_rx(skb);
		return 0;
	}
	skb->dev = ifc->dev;
	skb->protocol = htons(OMX_WIRE_ETHERTYPE);
	skb_reset_mac_header(skb);
	skb_reset_network_header(skb);
	omx_count(ifc, wire_cnt);
	/* A full device queue loses the frame; the protocol resends it. */
	dev_queue_xmit(skb);
	return 0;
}

/*
 * Our index in the table of @peer, as frames to it carry it.  A board of
 * this host shares our table: our index there is @ifc's own.  Under RCU.
 */
u16 omx_remote_index(struct omx_iface *ifc,
		     const struct omx_peer *peer)
{
	if (omx_iface_by_addr(peer->addr))
		return ifc->peer_index;
	return READ_ONCE(peer->remote_index);
}

/* Ethernet addresses and header peer index for a frame to @peer_index. */
int omx_dest(struct omx_iface *ifc, u16 peer_index,
	     struct omx_wire_hdr *hdr)
{
	struct omx_peer *peer = omx_peer_by_index(peer_index);

	if (!peer)
		return -ENOENT;
	omx_addr_to_mac(peer->addr, hdr->dst_mac);
	memcpy(hdr->src_mac, ifc->mac, ETH_ALEN);
	hdr->peer_index = omx_remote_index(ifc, peer);
	return 0;
}

/*
 * Common frame: allocate for @maxlen, let @encode write it, send it.
 * Runs under rcu_read_lock() so the board cannot be freed meanwhile.
 */
typedef int (*omx_encode_fn)(const struct omx_wire_hdr *hdr,
			     const void *arg, u8 *buf, size_t len);

static int omx_send_frame(struct omx_endpoint *ep, u16 peer_index,
			  size_t maxlen, omx_encode_fn encode,
			  const void *arg, enum omx_counter wire_cnt,
			  enum omx_counter shared_cnt)
{
	struct omx_wire_hdr hdr;
	struct omx_iface *ifc;
	struct sk_buff *skb;
	int len, err;

	rcu_read_lock();
	ifc = READ_ONCE(ep->iface);
	err = -ESHUTDOWN;
	if (!ifc)
		goto out;
	err = omx_dest(ifc, peer_index, &hdr);
	if (err)
		goto out;
	err = -ENOMEM;
	skb = omx_frame_alloc(ifc, maxlen);
	if (!skb)
		goto out;
	len = encode(&hdr, arg, skb->data, skb_tailroom(skb));
	if (len < 0) {
		kfree_skb(skb);
		err = -EINVAL;
		goto out;
	}
	skb_put(skb, len);
	err = omx_xmit(ifc, skb, wire_cnt, shared_cnt);
out:
	rcu_read_unlock();
	return err;
}

static void omx_msg_head(struct omx_endpoint *ep,
			 const struct omx_cmd_send_head *c,
			 struct omx_wire_msg_head *h)
{
	h->dst_endpoint = c->dest_endpoint;
	h->src_endpoint = ep->index;
	h->checksum = 0;
	h->lib_seqnum = c->seqnum;
	h->lib_piggyack = c->piggyack;
	h->match_info = c->match_info;
	h->session = c->session;
}

static int omx_enc_tiny(const struct omx_wire_hdr *hdr, const void *arg,
			u8 *buf, size_t len)
{
	return omx_wire_encode_tiny(hdr, arg, buf, len);
}

static int omx_enc_small(const struct omx_wire_hdr *hdr, const void *arg,
			 u8 *buf, size_t len)
{
	return omx_wire_encode_small(hdr, arg, buf, len);
}

int omx_send_tiny(struct omx_endpoint *ep,
		  const struct omx_cmd_send_tiny *cmd, bool small)
{
	struct omx_wire_msg m;

	if (cmd->length > (small ? OMX_WIRE_SMALL_MAX : OMX_WIRE_TINY_MAX))
		return -EINVAL;
	omx_msg_head(ep, &cmd->head, &m.head);
	m.length = cmd->length;
	m.data = cmd->data;
	if (small)
		return omx_send_frame(ep, cmd->head.peer_index,
				OMX_WIRE_HLEN + OMX_WIRE_MSG_BODY + m.length,
				omx_enc_small, &m, OMX_CNT_SEND_SMALL,
				OMX_CNT_SHARED_SMALL);
	return omx_send_frame(ep, cmd->head.peer_index,
			      OMX_WIRE_HLEN + OMX_WIRE_MSG_BODY + m.length,
			      omx_enc_tiny, &m, OMX_CNT_SEND_TINY,
			      OMX_CNT_SHARED_TINY);
}

static int omx_enc_medium(const struct omx_wire_hdr *hdr, const void *arg,
			  u8 *buf, size_t len)
{
	return omx_wire_encode_medium(&omx_engine_wire, hdr, arg, buf, len);
}

int omx_send_medium_frag(struct omx_endpoint *ep,
			 const struct omx_cmd_send_medium_frag *cmd)
{
	struct omx_wire_medium m;

	if (cmd->sendq_slot >= OMX_ABI_SENDQ_SLOTS ||
	    cmd->frag_length > omx_engine_wire.medium_frag_max ||
	    cmd->frag_length > OMX_ABI_SENDQ_SLOT_SIZE ||
	    cmd->frag_seqnum >= omx_engine_wire.medium_frags_max ||
	    cmd->msg_length > (u64)omx_engine_wire.medium_frag_max *
			      omx_engine_wire.medium_frags_max)
		return -EINVAL;
	omx_msg_head(ep, &cmd->head, &m.head);
	m.length = cmd->msg_length;
	m.frag_length = cmd->frag_length;
	m.frag_seqnum = cmd->frag_seqnum;
	m.data = ep->mem + OMX_ABI_SENDQ_OFFSET +
		 (size_t)cmd->sendq_slot * OMX_ABI_SENDQ_SLOT_SIZE;
	return omx_send_frame(ep, cmd->head.peer_index,
			OMX_WIRE_HLEN + OMX_WIRE_MEDIUM_BODY + m.frag_length,
			omx_enc_medium, &m, OMX_CNT_SEND_MEDIUMSQ_FRAG,
			OMX_CNT_SHARED_MEDIUMSQ_FRAG);
}

static int omx_enc_rndv(const struct omx_wire_hdr *hdr, const void *arg,
			u8 *buf, size_t len)
{
	return omx_wire_encode_rndv(hdr, arg, buf, len);
}

int omx_send_rndv(struct omx_endpoint *ep,
		  const struct omx_cmd_send_rndv *cmd)
{
	struct omx_wire_rndv r;

	omx_msg_head(ep, &cmd->head, &r.head);
	r.msg_length = cmd->msg_length;
	r.pulled_rdma_id = cmd->rdma_id;
	r.pulled_rdma_seqnum = cmd->rdma_seqnum;
	r.pulled_rdma_offset = cmd->rdma_offset;
	return omx_send_frame(ep, cmd->head.peer_index,
			      OMX_WIRE_HLEN + OMX_WIRE_RNDV_BODY,
			      omx_enc_rndv, &r, OMX_CNT_SEND_RNDV,
			      OMX_CNT_SHARED_RNDV);
}

static int omx_enc_notify(const struct omx_wire_hdr *hdr, const void *arg,
			  u8 *buf, size_t len)
{
	return omx_wire_encode_notify(hdr, arg, buf, len);
}

int omx_send_notify(struct omx_endpoint *ep,
		    const struct omx_cmd_send_notify *cmd)
{
	struct omx_wire_notify n = {
		.dst_endpoint = cmd->dest_endpoint,
		.src_endpoint = ep->index,
		.session = cmd->session,
		.total_length = cmd->total_length,
		.pulled_rdma_id = cmd->rdma_id,
		.pulled_rdma_seqnum = cmd->rdma_seqnum,
		.lib_seqnum = cmd->seqnum,
		.lib_piggyack = cmd->piggyack,
	};

	return omx_send_frame(ep, cmd->peer_index,
			      OMX_WIRE_HLEN + OMX_WIRE_NOTIFY_BODY,
			      omx_enc_notify, &n, OMX_CNT_SEND_NOTIFY,
			      OMX_CNT_SHARED_NOTIFY);
}

static int omx_enc_connect(const struct omx_wire_hdr *hdr, const void *arg,
			   u8 *buf, size_t len)
{
	return omx_wire_encode_connect(hdr, arg, buf, len);
}

int omx_send_connect(struct omx_endpoint *ep,
		     const struct omx_cmd_send_connect *cmd)
{
	struct omx_wire_connect c = {
		.dst_endpoint = cmd->dest_endpoint,
		.src_endpoint = ep->index,
		.lib_seqnum = 0,
		.src_dst_peer_index = cmd->peer_index,
		.src_session_id = cmd->src_session_id,
		.target_recv_seqnum_start = cmd->target_recv_seqnum_start,
		.is_reply = cmd->is_reply,
		.connect_seqnum = cmd->connect_seqnum,
		.status_code = cmd->is_reply ? cmd->status_code : 0,
	};

	if (cmd->is_reply > 1)
		return -EINVAL;
	if (cmd->is_reply)
		c.target_session_id = cmd->target_session_id;
	else
		c.app_key = cmd->app_key;
	return omx_send_frame(ep, cmd->peer_index,
			OMX_WIRE_HLEN + OMX_WIRE_CONNECT_BODY,
			omx_enc_connect, &c,
			cmd->is_reply ? OMX_CNT_SEND_CONNECT_REPLY :
					OMX_CNT_SEND_CONNECT_REQUEST,
			cmd->is_reply ? OMX_CNT_SHARED_CONNECT_REPLY :
					OMX_CNT_SHARED_CONNECT_REQUEST);
}

static int omx_enc_truc(const struct omx_wire_hdr *hdr, const void *arg,
			u8 *buf, size_t len)
{
	return omx_wire_encode_truc(hdr, arg, buf, len);
}

int omx_send_liback(struct omx_endpoint *ep,
		    const struct omx_cmd_send_liback *cmd)
{
	struct omx_wire_truc t = {
		.dst_endpoint = cmd->dest_endpoint,
		.src_endpoint = ep->index,
		.session = cmd->session,
		.type = OMX_WIRE_TRUC_ACK,
		.lib_seqnum = cmd->lib_seqnum,
		.acknum = cmd->acknum,
		.send_seq = cmd->lib_seqnum,
		.resent = 0,
	};

	return omx_send_frame(ep, cmd->peer_index,
			      OMX_WIRE_HLEN + OMX_WIRE_TRUC_BODY,
			      omx_enc_truc, &t, OMX_CNT_SEND_LIBACK,
			      OMX_CNT_SHARED_LIBACK);
}

/*
 * Frames the driver originates itself (nacks, host queries) go back to a
 * MAC address rather than to a peer index.  Under rcu_read_lock().
 */
static void omx_send_to_mac(struct omx_iface *ifc, const u8 *dst_mac,
			    u16 peer_index, size_t maxlen,
			    omx_encode_fn encode, const void *arg,
			    enum omx_counter wire_cnt,
			    enum omx_counter shared_cnt)
{
	struct omx_wire_hdr hdr;
	struct sk_buff *skb;
	int len;

	memcpy(hdr.dst_mac, dst_mac, ETH_ALEN);
	memcpy(hdr.src_mac, ifc->mac, ETH_ALEN);
	hdr.peer_index = peer_index;
	skb = omx_frame_alloc(ifc, maxlen);
	if (!skb)
		return;
	len = encode(&hdr, arg, skb->data, skb_tailroom(skb));
	if (len < 0) {
		kfree_skb(skb);
		return;
	}
	skb_put(skb, len);
	omx_xmit(ifc, skb, wire_cnt, shared_cnt);
}

static int omx_enc_nack_lib(const struct omx_wire_hdr *hdr,
			    const void *arg, u8 *buf, size_t len)
{
	return omx_wire_encode_nack_lib(hdr, arg, buf, len);
}

void omx_send_nack_lib(struct omx_iface *ifc, const u8 *dst_mac,
		       u16 peer_index, u8 dst_ep, u8 src_ep,
		       u16 lib_seqnum, u8 nack_type)
{
	struct omx_wire_nack_lib n = {
		.src_endpoint = src_ep,
		.nack_type = nack_type,
		.dst_endpoint = dst_ep,
		.lib_seqnum = lib_seqnum,
	};

	omx_send_to_mac(ifc, dst_mac, peer_index,
			OMX_WIRE_HLEN + OMX_WIRE_NACK_BODY,
			omx_enc_nack_lib, &n, OMX_CNT_SEND_NACK_LIB,
			OMX_CNT_SEND_NACK_LIB);
}

static int omx_enc_nack_mcp(const struct omx_wire_hdr *hdr,
			    const void *arg, u8 *buf, size_t len)
{
	return omx_wire_encode_nack_mcp(hdr, arg, buf, len);
}

void omx_send_nack_mcp(struct omx_iface *ifc, const u8 *dst_mac,
		       u16 peer_index, u8 src_ep, u32 handle, u32 magic,
		       u8 nack_type)
{
	struct omx_wire_nack_mcp n = {
		.src_endpoint = src_ep,
		.nack_type = nack_type,
		.src_pull_handle = handle,
		.src_magic = magic,
	};

	omx_send_to_mac(ifc, dst_mac, peer_index,
			OMX_WIRE_HLEN + OMX_WIRE_NACK_BODY,
			omx_enc_nack_mcp, &n, OMX_CNT_SEND_NACK_MCP,
			OMX_CNT_SEND_NACK_MCP);
}

static int omx_enc_host_query(const struct omx_wire_hdr *hdr,
			      const void *arg, u8 *buf, size_t len)
{
	return omx_wire_encode_host_query(hdr, arg, buf, len);
}

void omx_send_host_query(struct omx_iface *ifc,
			 const struct omx_peer *peer)
{
	struct omx_wire_host h = {
		.src_dst_peer_index = peer->index,
		.magic = omx_host_query_magic(peer->addr),
	};
	u8 mac[ETH_ALEN];

	omx_addr_to_mac(peer->addr, mac);
	omx_send_to_mac(ifc, mac, OMX_WIRE_PEER_INDEX_UNKNOWN,
			OMX_WIRE_HLEN + OMX_WIRE_HOST_BODY,
			omx_enc_host_query, &h, OMX_CNT_SEND_HOST_QUERY,
			OMX_CNT_SEND_HOST_QUERY);
}

static int omx_enc_host_reply(const struct omx_wire_hdr *hdr,
			      const void *arg, u8 *buf, size_t len)
{
	return omx_wire_encode_host_reply(hdr, arg, buf, len);
}

void omx_send_host_reply(struct omx_iface *ifc, const u8 *dst_mac,
			 u16 remote_index, u32 magic)
{
	char name[OMX_ABI_HOSTNAME_MAX];
	struct omx_wire_host h = {
		.src_dst_peer_index = remote_index,
		.magic = magic,
		.hostname = name,
	};

	strscpy(name, ifc->hostname, sizeof(name));
	h.hostname_len = strlen(name) + 1;
	omx_send_to_mac(ifc, dst_mac, OMX_WIRE_PEER_INDEX_UNKNOWN,
			OMX_WIRE_HLEN + OMX_WIRE_HOST_BODY + h.hostname_len,
			omx_enc_host_reply, &h, OMX_CNT_SEND_HOST_REPLY,
			OMX_CNT_SEND_HOST_REPLY);
}
