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
#include "omx_engine.h"
#include <linux/etherdevice.h>
#include <linux/skbuff.h>

static enum omx_counter omx_decode_counter(int err)
{
	switch (-err) {
	case OMX_WIRE_EPTYPE:
		return OMX_CNT_DROP_UNKNOWN_TYPE;
	case OMX_WIRE_EPTYPE_INVALID:
		return OMX_CNT_DROP_INVALID_TYPE;
	case OMX_WIRE_ESHORT:
		return OMX_CNT_DROP_BAD_HEADER_DATALEN;
	case OMX_WIRE_EPEER:
		return OMX_CNT_DROP_BAD_PEER_INDEX;
	default:
		return OMX_CNT_DROP_BAD_DATALEN;
	}
}

/*
 * The sender named by the header's peer index, if it really sent this.
 * Under RCU.
 */
struct omx_peer *omx_sender(struct omx_iface *ifc,
			    const struct omx_wire_pkt *pkt)
{
	struct omx_peer *peer = omx_peer_by_index(pkt->hdr.peer_index);

	if (!peer || peer->addr != omx_mac_to_addr(pkt->hdr.src_mac)) {
		omx_count(ifc, OMX_CNT_DROP_BAD_PEER_INDEX);
		return NULL;
	}
	return peer;
}

/*
 * The endpoint a sequenced packet is for, or NULL after nacking it.
 * @session_check is false for CONNECT (no session yet).
 */
static struct omx_endpoint *
omx_target(struct omx_iface *ifc, const struct omx_wire_pkt *pkt,
	   const struct omx_peer *peer, u8 dst_ep, u8 src_ep,
	   bool session_check, u32 session, u16 seqnum)
{
	struct omx_endpoint *ep;
	u8 nack;

	if (dst_ep >= ifc->endpoint_max) {
		nack = OMX_WIRE_NACK_BAD_ENDPT;
	} else {
		ep = omx_endpoint_get(ifc, dst_ep);
		if (ep && (!session_check || session == ep->session_id))
			return ep;
		nack = ep ? OMX_WIRE_NACK_BAD_SESSION : OMX_WIRE_NACK_ENDPT_CLOSED;
	}
	omx_count(ifc, nack == OMX_WIRE_NACK_BAD_SESSION ?
			   OMX_CNT_DROP_BAD_SESSION : OMX_CNT_DROP_BAD_ENDPOINT);
	omx_send_nack_lib(ifc, pkt->hdr.src_mac,
			  omx_remote_index(ifc, peer), src_ep, dst_ep,
			  seqnum, nack);
	return NULL;
}

static void omx_queue_full(struct omx_iface *ifc)
{
	omx_count(ifc, OMX_CNT_UNEXP_EVENTQ_FULL);
}

static void omx_msg_event(struct omx_evt_msg *e, u8 type,
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

static void omx_recv_msg(struct omx_iface *ifc,
			 const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_msg_head *h;
	struct omx_endpoint *ep;
	struct omx_peer *peer;
	struct omx_evt_msg *e;
	union omx_evt *evt;
	void *slot_data = NULL;
	u32 slot = 0;
	bool need_slot;

	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
		h = &pkt->msg.head;
		omx_count(ifc, OMX_CNT_RECV_TINY);
		break;
	case OMX_WIRE_PTYPE_SMALL:
		h = &pkt->msg.head;
		omx_count(ifc, OMX_CNT_RECV_SMALL);
		break;
	case OMX_WIRE_PTYPE_MEDIUM:
		h = &pkt->medium.head;
		omx_count(ifc, OMX_CNT_RECV_MEDIUM_FRAG);
		break;
	default:
		h = &pkt->rndv.head;
		omx_count(ifc, OMX_CNT_RECV_RNDV);
		break;
	}
	peer = omx_sender(ifc, pkt);
	if (!peer)
		return;
	ep = omx_target(ifc, pkt, peer, h->dst_endpoint, h->src_endpoint,
			true, h->session, h->lib_seqnum);
	if (!ep)
		return;

	need_slot = pkt->ptype == OMX_WIRE_PTYPE_SMALL ||
		    pkt->ptype == OMX_WIRE_PTYPE_MEDIUM;
	spin_lock(&ep->lock);
	evt = omx_event_reserve(ep, false, &slot,
				need_slot ? &slot_data : NULL);
	if (!evt) {
		spin_unlock(&ep->lock);
		omx_queue_full(ifc);
		return;
	}
	e = &evt->msg;
	switch (pkt->ptype) {
	case OMX_WIRE_PTYPE_TINY:
		omx_msg_event(e, OMX_EVT_RECV_TINY, pkt, h, pkt->msg.length);
		memcpy(e->tiny.data, pkt->msg.data, pkt->msg.length);
		break;
	case OMX_WIRE_PTYPE_SMALL:
		omx_msg_event(e, OMX_EVT_RECV_SMALL, pkt, h, pkt->msg.length);
		e->small.recvq_slot = slot;
		memcpy(slot_data, pkt->msg.data, pkt->msg.length);
		break;
	case OMX_WIRE_PTYPE_MEDIUM:
		omx_msg_event(e, OMX_EVT_RECV_MEDIUM_FRAG, pkt, h,
			      pkt->medium.length);
		e->medium.recvq_slot = slot;
		e->medium.frag_length = pkt->medium.frag_length;
		e->medium.frag_seqnum = pkt->medium.frag_seqnum;
		memcpy(slot_data, pkt->medium.data, pkt->medium.frag_length);
		break;
	default:
		omx_msg_event(e, OMX_EVT_RECV_RNDV, pkt, h,
			      pkt->rndv.msg_length);
		e->rndv.rdma_id = pkt->rndv.pulled_rdma_id;
		e->rndv.rdma_seqnum = pkt->rndv.pulled_rdma_seqnum;
		e->rndv.rdma_offset = pkt->rndv.pulled_rdma_offset;
		break;
	}
	omx_event_commit(ep, need_slot);
	spin_unlock(&ep->lock);
}

static void omx_recv_notify(struct omx_iface *ifc,
			    const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_notify *n = &pkt->notify;
	struct omx_endpoint *ep;
	struct omx_peer *peer;
	struct omx_evt_notify *e;
	union omx_evt *evt;

	omx_count(ifc, OMX_CNT_RECV_NOTIFY);
	peer = omx_sender(ifc, pkt);
	if (!peer)
		return;
	ep = omx_target(ifc, pkt, peer, n->dst_endpoint, n->src_endpoint,
			true, n->session, n->lib_seqnum);
	if (!ep)
		return;
	spin_lock(&ep->lock);
	evt = omx_event_reserve(ep, false, NULL, NULL);
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
		omx_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		omx_queue_full(ifc);
}

static void omx_recv_connect(struct omx_iface *ifc,
			     const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_connect *c = &pkt->connect;
	struct omx_endpoint *ep;
	struct omx_peer *peer;
	struct omx_evt_connect *e;
	union omx_evt *evt;

	omx_count(ifc, c->is_reply ? OMX_CNT_RECV_CONNECT_REPLY :
					 OMX_CNT_RECV_CONNECT_REQUEST);
	/* CONNECT names its sender by source address (wire spec 6.4). */
	peer = omx_peer_by_addr(omx_mac_to_addr(pkt->hdr.src_mac));
	if (!peer) {
		omx_count(ifc, OMX_CNT_DROP_BAD_PEER_ADDR);
		return;
	}
	if (!omx_iface_by_addr(peer->addr))
		omx_peer_set_remote_index(peer->index, c->src_dst_peer_index);
	ep = omx_target(ifc, pkt, peer, c->dst_endpoint, c->src_endpoint,
			false, 0, 0);
	if (!ep)
		return;
	spin_lock(&ep->lock);
	evt = omx_event_reserve(ep, false, NULL, NULL);
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
		omx_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		omx_queue_full(ifc);
}

static void omx_recv_truc(struct omx_iface *ifc,
			  const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_truc *t = &pkt->truc;
	struct omx_endpoint *ep;
	struct omx_evt_liback *e;
	union omx_evt *evt;

	omx_count(ifc, OMX_CNT_RECV_LIBACK);
	if (!omx_sender(ifc, pkt))
		return;
	/* Explicit acks are never nacked: a stale one is simply dropped. */
	ep = t->dst_endpoint < ifc->endpoint_max ?
	     omx_endpoint_get(ifc, t->dst_endpoint) : NULL;
	if (!ep) {
		omx_count(ifc, OMX_CNT_DROP_BAD_ENDPOINT);
		return;
	}
	if (t->session != ep->session_id) {
		omx_count(ifc, OMX_CNT_DROP_BAD_SESSION);
		return;
	}
	spin_lock(&ep->lock);
	evt = omx_event_reserve(ep, false, NULL, NULL);
	if (evt) {
		e = &evt->liback;
		e->head.type = OMX_EVT_RECV_LIBACK;
		e->head.src_endpoint = t->src_endpoint;
		e->head.peer_index = pkt->hdr.peer_index;
		e->acknum = t->acknum;
		e->lib_seqnum = t->lib_seqnum;
		omx_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		omx_queue_full(ifc);
}

static void omx_recv_nack_lib(struct omx_iface *ifc,
			      const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_nack_lib *n = &pkt->nack_lib;
	struct omx_endpoint *ep;
	struct omx_peer *peer;
	struct omx_evt_nack_lib *e;
	union omx_evt *evt;

	omx_count(ifc, OMX_CNT_RECV_NACK_LIB);
	if (pkt->hdr.peer_index == OMX_WIRE_PEER_INDEX_UNKNOWN) {
		peer = omx_peer_by_addr(omx_mac_to_addr(pkt->hdr.src_mac));
		if (!peer) {
			omx_count(ifc, OMX_CNT_DROP_BAD_PEER_ADDR);
			return;
		}
	} else {
		peer = omx_sender(ifc, pkt);
		if (!peer)
			return;
	}
	ep = n->dst_endpoint < ifc->endpoint_max ?
	     omx_endpoint_get(ifc, n->dst_endpoint) : NULL;
	if (!ep) {
		omx_count(ifc, OMX_CNT_DROP_BAD_ENDPOINT);
		return;
	}
	spin_lock(&ep->lock);
	evt = omx_event_reserve(ep, false, NULL, NULL);
	if (evt) {
		e = &evt->nack_lib;
		e->head.type = OMX_EVT_RECV_NACK_LIB;
		e->head.src_endpoint = n->src_endpoint;
		e->head.peer_index = peer->index;
		e->lib_seqnum = n->lib_seqnum;
		e->nack_type = n->nack_type;
		omx_event_commit(ep, false);
	}
	spin_unlock(&ep->lock);
	if (!evt)
		omx_queue_full(ifc);
}

static void omx_recv_host(struct omx_iface *ifc,
			  const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_host *h = &pkt->host;
	struct omx_peer *peer;
	bool query = pkt->ptype == OMX_WIRE_PTYPE_HOST_QUERY;
	bool local;

	omx_count(ifc, query ? OMX_CNT_RECV_HOST_QUERY :
				   OMX_CNT_RECV_HOST_REPLY);
	if (memcmp(pkt->hdr.dst_mac, ifc->mac, ETH_ALEN))
		return;
	peer = omx_peer_by_addr(omx_mac_to_addr(pkt->hdr.src_mac));
	if (!peer) {
		omx_count(ifc, OMX_CNT_DROP_BAD_PEER_ADDR);
		return;
	}
	/* A board of this host shares our table: nothing to learn from it. */
	local = omx_iface_by_addr(peer->addr) != NULL;
	if (query) {
		if (!local)
			omx_peer_set_remote_index(peer->index,
						  h->src_dst_peer_index);
		omx_send_host_reply(ifc, pkt->hdr.src_mac, peer->index,
				    h->magic);
		return;
	}
	/* Only the answer to our own query, which only that peer saw. */
	if (h->magic != omx_host_query_magic(peer->addr)) {
		omx_count(ifc, OMX_CNT_DROP_HOST_REPLY_BAD_MAGIC);
		return;
	}
	if (local || !omx_peer_name_acceptable(peer, h->hostname)) {
		omx_count(ifc, OMX_CNT_DROP_BAD_PEER_ADDR);
		return;
	}
	omx_peer_set_remote_index(peer->index, h->src_dst_peer_index);
	/* Naming allocates: leave the softirq for it. */
	omx_peer_name_later(peer->index, h->hostname);
}

/*
 * One Open-MX frame received on @dev (a wire, or send.c's loopback).
 * Consumes @skb.  Softirq context.
 */
int omx_receive(struct sk_buff *skb, struct net_device *dev)
{
	struct omx_iface *ifc;
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
	ifc = omx_iface_for_frame(dev, eth_hdr(skb)->h_dest);
	if (!ifc)
		goto unlock_drop;
	/* Frames to a virtual board are "other host" to the interface. */
	if (skb->pkt_type == PACKET_OTHERHOST && !omx_iface_is_virtual(ifc))
		goto unlock_drop;
	/*
	 * A frame looped back to a board of this host that went away since
	 * (a guest's, unregistered) would otherwise reach the interface's
	 * own board, which is not whom it was sent to.
	 */
	if (skb->pkt_type == PACKET_LOOPBACK &&
	    !ether_addr_equal(eth_hdr(skb)->h_dest, ifc->mac))
		goto unlock_drop;
	if (skb_is_nonlinear(skb)) {
		omx_count(ifc, OMX_CNT_RECV_NONLINEAR_HEADER);
		if (skb_linearize(skb)) {
			omx_count(ifc, OMX_CNT_DROP_BAD_SKBLEN);
			goto unlock_drop;
		}
	}
	err = omx_wire_decode(skb_mac_header(skb), skb->len + ETH_HLEN,
			      &omx_engine_wire, &pkt);
	if (err) {
		omx_count(ifc, omx_decode_counter(err));
		goto unlock_drop;
	}
	if (!looped &&
	    omx_iface_by_addr(omx_mac_to_addr(pkt.hdr.src_mac))) {
		/* A board of this host never sends to us over a wire. */
		omx_count(ifc, OMX_CNT_DROP_BAD_PEER_ADDR);
		goto unlock_drop;
	}

	switch (pkt.ptype) {
	case OMX_WIRE_PTYPE_TINY:
	case OMX_WIRE_PTYPE_SMALL:
	case OMX_WIRE_PTYPE_MEDIUM:
	case OMX_WIRE_PTYPE_RNDV:
		omx_recv_msg(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_NOTIFY:
		omx_recv_notify(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_CONNECT:
		omx_recv_connect(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_TRUC:
		omx_recv_truc(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_NACK_LIB:
		omx_recv_nack_lib(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_NACK_MCP:
		omx_recv_nack_mcp(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_PULL:
		omx_recv_pull(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_PULL_REPLY:
		omx_recv_pull_reply(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_HOST_QUERY:
	case OMX_WIRE_PTYPE_HOST_REPLY:
		omx_recv_host(ifc, &pkt);
		break;
	case OMX_WIRE_PTYPE_RAW:
		omx_count(ifc, OMX_CNT_RECV_RAW);
		omx_raw_deliver(ifc, pkt.raw.frame, pkt.raw.len);
		break;
	default:
		omx_count(ifc, OMX_CNT_DROP_NOSYS_TYPE);
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

static int omx_rcv(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev)
{
	return omx_receive(skb, dev);
}

static struct packet_type omx_packet_type = {
	.type = cpu_to_be16(OMX_WIRE_ETHERTYPE),
	.func = omx_rcv,
};

static bool omx_recv_registered;

int omx_recv_init(void)
{
	dev_add_pack(&omx_packet_type);
	omx_recv_registered = true;
	return 0;
}

/* No frame is received any more once this returns; may be called twice. */
void omx_recv_exit(void)
{
	if (!omx_recv_registered)
		return;
	dev_remove_pack(&omx_packet_type);	/* waits for running handlers */
	omx_recv_registered = false;
}
