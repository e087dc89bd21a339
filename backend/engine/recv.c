// SPDX-License-Identifier: GPL-2.0-only
/*
 * recv.c - frames in: decode, check, and turn into endpoint events.
 *
 * Every frame goes through the one validating decoder of shared/omx_wire.c
 * before any field is used; what it rejects is counted under the Open-MX
 * drop counters.  Then the checks of the wire spec (section 6.8): the
 * header's peer index must name the sending board (we also insist that its
 * address is the frame's source MAC), the endpoint must exist and be open,
 * and the session must be the endpoint's; message packets that fail the
 * endpoint or session checks are nacked so the sender stops retrying.
 *
 * A frame that claims to come from a board of this host must have been
 * looped back by send.c (marked PACKET_LOOPBACK): from a wire, such a
 * source address is forged and the frame is dropped before anything else.
 * Replies to the driver's own requests (PULL_REPLY, NACK_MCP, HOST_REPLY)
 * must come from the peer asked and echo what only that request carried
 * (pull.c, peer.c).
 */
#include "common.h"
#include <linux/etherdevice.h>
#include <linux/skbuff.h>

static enum x2mback_counter x2mback_decode_counter(int err)
{
	switch (-err) {
	case OMX_WIRE_EPTYPE:
		return X2M_CNT_DROP_UNKNOWN_TYPE;
	case OMX_WIRE_EPTYPE_INVALID:
		return X2M_CNT_DROP_INVALID_TYPE;
	case OMX_WIRE_ESHORT:
		return X2M_CNT_DROP_BAD_HEADER_DATALEN;
	case OMX_WIRE_EPEER:
		return X2M_CNT_DROP_BAD_PEER_INDEX;
	default:
		return X2M_CNT_DROP_BAD_DATALEN;
	}
}

/*
 * The sender named by the header's peer index, if it really sent this.
 * Under RCU.
 */
struct x2mback_peer *x2mback_sender(struct x2mback_iface *ifc,
				    const struct omx_wire_pkt *pkt)
{
	struct x2mback_peer *peer = x2mback_peer_by_index(pkt->hdr.peer_index);

	if (!peer || peer->addr != x2mback_mac_to_addr(pkt->hdr.src_mac)) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_PEER_INDEX);
		return NULL;
	}
	return peer;
}

/*
 * The endpoint a sequenced packet is for, or NULL after nacking it.
 * @session_check is false for CONNECT (no session yet).
 */
static struct x2mback_endpoint *
x2mback_target(struct x2mback_iface *ifc, const struct omx_wire_pkt *pkt,
	       const struct x2mback_peer *peer, u8 dst_ep, u8 src_ep,
	       bool session_check, u32 session, u16 seqnum)
{
	struct x2mback_endpoint *ep;
	u8 nack;

	if (dst_ep >= ifc->endpoint_max) {
		nack = OMX_WIRE_NACK_BAD_ENDPT;
	} else {
		ep = x2mback_endpoint_get(ifc, dst_ep);
		if (ep && (!session_check || session == ep->session_id))
			return ep;
		nack = ep ? OMX_WIRE_NACK_BAD_SESSION : OMX_WIRE_NACK_ENDPT_CLOSED;
	}
	x2mback_count(ifc, nack == OMX_WIRE_NACK_BAD_SESSION ?
			   X2M_CNT_DROP_BAD_SESSION : X2M_CNT_DROP_BAD_ENDPOINT);
	x2mback_send_nack_lib(ifc, pkt->hdr.src_mac,
			      x2mback_remote_index(ifc, peer), src_ep, dst_ep,
			      seqnum, nack);
	return NULL;
}

static void x2mback_queue_full(struct x2mback_iface *ifc)
{
	x2mback_count(ifc, X2M_CNT_UNEXP_EVENTQ_FULL);
}

static void x2mback_msg_event(struct omx_evt_msg *e, u8 type,
			      const struct omx_wire_pkt *pkt,
			      const struct omx_wire_msg_head *h, u32 msg_length)
{
	e->head.type = type;
	e->head.src_endpoint = h->src_endpoint;
	e->head.peer_index = pkt->hdr.peer_index;
	e->match_info = h->match_info;
	e->seqnum = h->lib_seqnum;
	e->piggyack = h->lib_piggyack;
	e->msg_length = msg_length;
}

static void x2mback_recv_msg(struct x2mback_iface *ifc,
			     const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_msg_head *h;
	struct x2mback_endpoint *ep;
	struct x2mback_peer *peer;
	struct omx_evt_msg *e;
	union omx_evt *evt;
	void *slot_data = NULL;
	u32 slot = 0;
	bool need_slot;

	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
		h = &pkt->msg.head;
		x2mback_count(ifc, X2M_CNT_RECV_TINY);
		break;
	case OMX_WIRE_PTYPE_SMALL:
		h = &pkt->msg.head;
		x2mback_count(ifc, X2M_CNT_RECV_SMALL);
		break;
	case OMX_WIRE_PTYPE_MEDIUM:
		h = &pkt->medium.head;
		x2mback_count(ifc, X2M_CNT_RECV_MEDIUM_FRAG);
		break;
	default:
		h = &pkt->rndv.head;
		x2mback_count(ifc, X2M_CNT_RECV_RNDV);
		break;
	}
	peer = x2mback_sender(ifc, pkt);
	if (!peer)
		return;
	ep = x2mback_target(ifc, pkt, peer, h->dst_endpoint, h->src_endpoint,
			    true, h->session, h->lib_seqnum);
	if (!ep)
		return;

	need_slot = pkt->ptype == OMX_WIRE_PTYPE_SMALL ||
		    pkt->ptype == OMX_WIRE_PTYPE_MEDIUM;
	spin_lock(&ep->lock);
	evt = x2mback_event_reserve(ep, false, &slot,
				    need_slot ? &slot_data : NULL);
	if (!evt) {
		spin_unlock(&ep->lock);
		x2mback_queue_full(ifc);
		return;
	}
	e = &evt->msg;
	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
		x2mback_msg_event(e, OMX_EVT_RECV_TINY, pkt, h, pkt->msg.length);
		memcpy(e->tiny.data, pkt->msg.data, pkt->msg.length);
		break;
	case OMX_WIRE_PTYPE_SMALL:
		x2mback_msg_event(e, OMX_EVT_RECV_SMALL, pkt, h, pkt->msg.length);
		e->small.recvq_slot = slot;
		memcpy(slot_data, pkt->msg.data, pkt->msg.length);
		break;
	case OMX_WIRE_PTYPE_MEDIUM:
		x2mback_msg_event(e, OMX_EVT_RECV_MEDIUM_FRAG, pkt, h,
				  pkt->medium.length);
		e->medium.recvq_slot = slot;
		e->medium.frag_length = pkt->medium.frag_length;
		e->medium.frag_seqnum = pkt->medium.frag_seqnum;
		memcpy(slot_data, pkt->medium.data, pkt->medium.frag_length);
		break;
	default:
		x2mback_msg_event(e, OMX_EVT_RECV_RNDV, pkt, h,
				  pkt->rndv.msg_length);
		e->rndv.rdma_id = pkt->rndv.pulled_rdma_id;
		e->rndv.rdma_seqnum = pkt->rndv.pulled_rdma_seqnum;
		e->rndv.rdma_offset = pkt->rndv.pulled_rdma_offset;
		break;
	}
	x2mback_event_commit(ep, need_slot);
	spin_unlock(&ep->lock);
}

static void x2mback_recv_notify(struct x2mback_iface *ifc,
				const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_notify *n = &pkt->notify;
	struct x2mback_endpoint *ep;
	struct x2mback_peer *peer;
	struct omx_evt_notify *e;
	union omx_evt *evt;

	x2mback_count(ifc, X2M_CNT_RECV_NOTIFY);
	peer = x2mback_sender(ifc, pkt);
	if (!peer)
		return;
	ep = x2mback_target(ifc, pkt, peer, n->dst_endpoint, n->src_endpoint,
			    true, n->session, n->lib_seqnum);
	if (!ep)
		return;
	spin_lock(&ep->lock);
	evt = x2mback_event_reserve(ep, false, NULL, NULL);
	if (evt) {
		e = &evt->notify;
		e->head.type = OMX_EVT_RECV_NOTIFY;
		e->head.src_endpoint = n->src_endpoint;
		e->head.peer_index = pkt->hdr.peer_index;
		e->total_length = n->total_length;
		e->seqnum = n->lib_seqnum;
		e->piggyack = n->lib_piggyack;
		e->rdma_id = n->pulled_rdma_id;
		e->rdma_seqnum = n->pulled_rdma_seqnum;
		x2mback_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		x2mback_queue_full(ifc);
}

static void x2mback_recv_connect(struct x2mback_iface *ifc,
				 const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_connect *c = &pkt->connect;
	struct x2mback_endpoint *ep;
	struct x2mback_peer *peer;
	struct omx_evt_connect *e;
	union omx_evt *evt;

	x2mback_count(ifc, c->is_reply ? X2M_CNT_RECV_CONNECT_REPLY :
					 X2M_CNT_RECV_CONNECT_REQUEST);
	/* CONNECT names its sender by source address (wire spec 6.4). */
	peer = x2mback_peer_by_addr(x2mback_mac_to_addr(pkt->hdr.src_mac));
	if (!peer) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_PEER_ADDR);
		return;
	}
	if (!x2mback_iface_by_addr(peer->addr))
		x2mback_peer_set_remote_index(peer->index, c->src_dst_peer_index);
	ep = x2mback_target(ifc, pkt, peer, c->dst_endpoint, c->src_endpoint,
			    false, 0, 0);
	if (!ep)
		return;
	spin_lock(&ep->lock);
	evt = x2mback_event_reserve(ep, false, NULL, NULL);
	if (evt) {
		e = &evt->connect;
		e->head.type = c->is_reply ? OMX_EVT_RECV_CONNECT_REPLY :
					     OMX_EVT_RECV_CONNECT_REQUEST;
		e->head.src_endpoint = c->src_endpoint;
		e->head.peer_index = peer->index;
		e->src_session_id = c->src_session_id;
		if (c->is_reply) {
			e->target_session_id = c->target_session_id;
			e->status_code = c->status_code;
		} else {
			e->app_key = c->app_key;
		}
		e->target_recv_seqnum_start = c->target_recv_seqnum_start;
		e->connect_seqnum = c->connect_seqnum;
		x2mback_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		x2mback_queue_full(ifc);
}

static void x2mback_recv_truc(struct x2mback_iface *ifc,
			      const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_truc *t = &pkt->truc;
	struct x2mback_endpoint *ep;
	struct omx_evt_liback *e;
	union omx_evt *evt;

	x2mback_count(ifc, X2M_CNT_RECV_LIBACK);
	if (!x2mback_sender(ifc, pkt))
		return;
	/* Explicit acks are never nacked: a stale one is simply dropped. */
	ep = t->dst_endpoint < ifc->endpoint_max ?
	     x2mback_endpoint_get(ifc, t->dst_endpoint) : NULL;
	if (!ep) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_ENDPOINT);
		return;
	}
	if (t->session != ep->session_id) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_SESSION);
		return;
	}
	spin_lock(&ep->lock);
	evt = x2mback_event_reserve(ep, false, NULL, NULL);
	if (evt) {
		e = &evt->liback;
		e->head.type = OMX_EVT_RECV_LIBACK;
		e->head.src_endpoint = t->src_endpoint;
		e->head.peer_index = pkt->hdr.peer_index;
		e->acknum = t->acknum;
		e->lib_seqnum = t->lib_seqnum;
		x2mback_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		x2mback_queue_full(ifc);
}

static void x2mback_recv_nack_lib(struct x2mback_iface *ifc,
				  const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_nack_lib *n = &pkt->nack_lib;
	struct x2mback_endpoint *ep;
	struct x2mback_peer *peer;
	struct omx_evt_nack_lib *e;
	union omx_evt *evt;

	x2mback_count(ifc, X2M_CNT_RECV_NACK_LIB);
	if (pkt->hdr.peer_index == OMX_WIRE_PEER_INDEX_UNKNOWN) {
		peer = x2mback_peer_by_addr(x2mback_mac_to_addr(pkt->hdr.src_mac));
		if (!peer) {
			x2mback_count(ifc, X2M_CNT_DROP_BAD_PEER_ADDR);
			return;
		}
	} else {
		peer = x2mback_sender(ifc, pkt);
		if (!peer)
			return;
	}
	ep = n->dst_endpoint < ifc->endpoint_max ?
	     x2mback_endpoint_get(ifc, n->dst_endpoint) : NULL;
	if (!ep) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_ENDPOINT);
		return;
	}
	spin_lock(&ep->lock);
	evt = x2mback_event_reserve(ep, false, NULL, NULL);
	if (evt) {
		e = &evt->nack_lib;
		e->head.type = OMX_EVT_RECV_NACK_LIB;
		e->head.src_endpoint = n->src_endpoint;
		e->head.peer_index = peer->index;
		e->lib_seqnum = n->lib_seqnum;
		e->nack_type = n->nack_type;
		x2mback_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		x2mback_queue_full(ifc);
}

static void x2mback_recv_host(struct x2mback_iface *ifc,
			      const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_host *h = &pkt->host;
	struct x2mback_peer *peer;
	bool query = pkt->ptype == OMX_WIRE_PTYPE_HOST_QUERY;
	bool local;

	x2mback_count(ifc, query ? X2M_CNT_RECV_HOST_QUERY :
				   X2M_CNT_RECV_HOST_REPLY);
	if (memcmp(pkt->hdr.dst_mac, ifc->mac, ETH_ALEN))
		return;
	peer = x2mback_peer_by_addr(x2mback_mac_to_addr(pkt->hdr.src_mac));
	if (!peer) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_PEER_ADDR);
		return;
	}
	/* A board of this host shares our table: nothing to learn from it. */
	local = x2mback_iface_by_addr(peer->addr) != NULL;
	if (query) {
		if (!local)
			x2mback_peer_set_remote_index(peer->index,
						      h->src_dst_peer_index);
		x2mback_send_host_reply(ifc, pkt->hdr.src_mac, peer->index,
					h->magic);
		return;
	}
	/* Only the answer to our own query, which only that peer saw. */
	if (h->magic != x2mback_host_query_magic(peer->addr)) {
		x2mback_count(ifc, X2M_CNT_DROP_HOST_REPLY_BAD_MAGIC);
		return;
	}
	if (local || !x2mback_peer_name_acceptable(peer, h->hostname)) {
		x2mback_count(ifc, X2M_CNT_DROP_BAD_PEER_ADDR);
		return;
	}
	x2mback_peer_set_remote_index(peer->index, h->src_dst_peer_index);
	/* Naming allocates: leave the softirq for it. */
	x2mback_peer_name_later(peer->index, h->hostname);
}

/*
 * One Open-MX frame received on @dev (a wire, or send.c's loopback).
 * Consumes @skb.  Softirq context.
 */
int x2mback_receive(struct sk_buff *skb, struct net_device *dev)
{
	struct x2mback_iface *ifc;
	struct omx_wire_pkt pkt;
	bool looped;
	int err;

	if (skb->pkt_type == PACKET_OUTGOING || !skb_mac_header_was_set(skb) ||
	    skb->data - skb_mac_header(skb) != ETH_HLEN)
		goto drop;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb)
		return NET_RX_DROP;
	looped = skb->pkt_type == PACKET_LOOPBACK;

	rcu_read_lock();
	ifc = x2mback_iface_for_frame(dev, eth_hdr(skb)->h_dest);
	if (!ifc)
		goto unlock_drop;
	/* Frames to a guest board are "other host" to the interface. */
	if (skb->pkt_type == PACKET_OTHERHOST && !ifc->guest)
		goto unlock_drop;
	if (skb_is_nonlinear(skb)) {
		x2mback_count(ifc, X2M_CNT_RECV_NONLINEAR_HEADER);
		if (skb_linearize(skb)) {
			x2mback_count(ifc, X2M_CNT_DROP_BAD_SKBLEN);
			goto unlock_drop;
		}
	}
	err = omx_wire_decode(skb_mac_header(skb), skb->len + ETH_HLEN,
			      &x2mback_wire, &pkt);
	if (err) {
		x2mback_count(ifc, x2mback_decode_counter(err));
		goto unlock_drop;
	}
	if (!looped &&
	    x2mback_iface_by_addr(x2mback_mac_to_addr(pkt.hdr.src_mac))) {
		/* A board of this host never sends to us over a wire. */
		x2mback_count(ifc, X2M_CNT_DROP_BAD_PEER_ADDR);
		goto unlock_drop;
	}

	switch (pkt.ptype) {
	case OMX_WIRE_PTYPE_TINY:
	case OMX_WIRE_PTYPE_SMALL:
	case OMX_WIRE_PTYPE_MEDIUM:
	case OMX_WIRE_PTYPE_RNDV:
		x2mback_recv_msg(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_NOTIFY:
		x2mback_recv_notify(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_CONNECT:
		x2mback_recv_connect(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_TRUC:
		x2mback_recv_truc(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_NACK_LIB:
		x2mback_recv_nack_lib(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_NACK_MCP:
		x2mback_recv_nack_mcp(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_PULL:
		x2mback_recv_pull(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_PULL_REPLY:
		x2mback_recv_pull_reply(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_HOST_QUERY:
	case OMX_WIRE_PTYPE_HOST_REPLY:
		x2mback_recv_host(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_RAW:
		x2mback_count(ifc, X2M_CNT_RECV_RAW);
		x2mback_raw_deliver(ifc, pkt.raw.frame, pkt.raw.len);
		break;
	default:
		x2mback_count(ifc, X2M_CNT_DROP_NOSYS_TYPE);
		break;
	}
	rcu_read_unlock();
	consume_skb(skb);
	return NET_RX_SUCCESS;

unlock_drop:
	rcu_read_unlock();
drop:
	kfree_skb(skb);
	return NET_RX_DROP;
}

static int x2mback_rcv(struct sk_buff *skb, struct net_device *dev,
		       struct packet_type *pt, struct net_device *orig_dev)
{
	return x2mback_receive(skb, dev);
}

static struct packet_type x2mback_packet_type = {
	.type = cpu_to_be16(OMX_WIRE_ETHERTYPE),
	.func = x2mback_rcv,
};

static bool x2mback_recv_registered;

int x2mback_recv_init(void)
{
	dev_add_pack(&x2mback_packet_type);
	x2mback_recv_registered = true;
	return 0;
}

/* No frame is received any more once this returns; may be called twice. */
void x2mback_recv_exit(void)
{
	if (!x2mback_recv_registered)
		return;
	dev_remove_pack(&x2mback_packet_type);	/* waits for running handlers */
	x2mback_recv_registered = false;
}
