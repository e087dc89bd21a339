// SPDX-License-Identifier: GPL-2.0-only
/*
 * pull.c - the large-message pull engine, both ends (wire spec 6.6).
 *
 * Puller: the library issues OMX_CMD_PULL once it matched a rendezvous;
 * the engine keeps OMX_PULL_BLOCKS_MAX blocks of PULL_REPLY frames in
 * flight, writes each new frame into the pinned receive region, re-asks
 * for blocks a loss left incomplete, and reports OMX_EVT_PULL_DONE once
 * (success, a nack, or the deadline).  Replier: a PULL for one of our
 * regions is answered from the pinned pages, frame by frame, without the
 * library.  The arithmetic lives in shared/omx_pull_plan.c; this file
 * holds the locking, timers and frames.
 *
 * Handles: bits 31..22 the pull slot, 21..0 a generation bumped at every
 * use, so a late reply to a finished pull is recognised and dropped.  The
 * generations start at random values and the endpoint's magic is random
 * but for its low octet (the endpoint index): a reply or nack must echo
 * 46 bits only the PULL it answers carried, and come from the peer that
 * PULL went to, or it is dropped.  Another host on the wire cannot finish,
 * fill or abort someone else's pull.
 */
#include "omx_engine.h"
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/skbuff.h>

/*
 * Recovery.  Open-MX re-requests whole blocks after 1 s without progress.
 * We re-request only the frames still missing, as PULLs covering each run
 * of missing frames (the wire allows any frame range inside a block), and
 * sooner: a stall of 200 ms, or a later block completing while an earlier
 * one has holes.  A burst of four blocks (over 1 MiB) overflows small
 * receive rings; asking again for a few frames is cheap, asking again for
 * whole blocks loses again.
 */
#define OMX_PULL_STALL			(HZ / 5)
#define OMX_PULL_HOLE_RETRY		(HZ / 50)

static u32 omx_pull_handle(const struct omx_pull *p)
{
	return p->slot << OMX_PULL_HANDLE_SLOT_SHIFT | p->generation;
}

static u32 omx_pull_magic(const struct omx_endpoint *ep)
{
	return ep->pull_magic;
}

static int omx_enc_pull(const struct omx_wire_hdr *hdr, const void *arg,
			u8 *buf, size_t len)
{
	return omx_wire_encode_pull(&omx_engine_wire, hdr, arg, buf, len);
}

/* Asks for one block (or a run of frames).  ep->lock held. */
static void omx_pull_request(struct omx_pull *p,
			     const struct omx_pull_block *b)
{
	struct omx_endpoint *ep = p->ep;
	struct omx_wire_pull w = {
		.dst_endpoint = p->dest_endpoint,
		.src_endpoint = ep->index,
		.session = p->session,
		.total_length = p->plan.total_length,
		.pulled_rdma_id = p->rdma_id,
		.pulled_rdma_seqnum = p->rdma_seqnum,
		.pulled_rdma_offset = p->rdma_offset,
		.src_pull_handle = omx_pull_handle(p),
		.src_magic = omx_pull_magic(ep),
		.first_frame_offset = b->first_frame_offset,
		.block_length = b->block_length,
		.frame_index = b->frame_index,
	};
	struct omx_iface *ifc;
	struct omx_wire_hdr hdr;
	struct sk_buff *skb;
	int len;

	rcu_read_lock();
	ifc = READ_ONCE(ep->iface);
	if (!ifc || omx_dest(ifc, p->peer_index, &hdr))
		goto out;
	skb = omx_frame_alloc(ifc, OMX_WIRE_HLEN + OMX_WIRE_PULL_BODY);
	if (!skb)
		goto out;
	len = omx_enc_pull(&hdr, &w, skb->data, skb_tailroom(skb));
	if (len < 0) {
		kfree_skb(skb);
		goto out;
	}
	skb_put(skb, len);
	omx_xmit(ifc, skb, OMX_CNT_SEND_PULL, OMX_CNT_SHARED_PULL);
out:
	rcu_read_unlock();
}

/* Tops the outstanding blocks up to OMX_PULL_BLOCKS_MAX.  ep->lock held. */
static void omx_pull_fill(struct omx_pull *p)
{
	while (p->nblocks < OMX_PULL_BLOCKS_MAX) {
		struct omx_pull_block *b = &p->blocks[p->nblocks];

		if (!omx_pull_plan_next_block(&p->plan, b))
			break;
		p->nblocks++;
		omx_pull_request(p, b);
	}
}

/* Reports the end of a pull and frees its slot.  ep->lock held. */
static void omx_pull_finish(struct omx_pull *p, u32 status)
{
	struct omx_endpoint *ep = p->ep;
	struct omx_evt_pull_done *e;
	union omx_evt *evt;

	p->active = false;
	p->generation = (p->generation + 1) & OMX_PULL_GENERATION_MASK;
	/* Not _sync: this may be the timer itself; it checks ->active. */
	del_timer(&p->timer);
	evt = omx_event_reserve(ep, true, NULL, NULL);
	if (!evt)
		return;		/* only when the endpoint is closing */
	e = &evt->pull_done;
	e->head.type = OMX_EVT_PULL_DONE;
	e->head.src_endpoint = p->dest_endpoint;
	e->head.peer_index = p->peer_index;
	e->lib_cookie = p->cookie;
	e->status = status;
	e->pulled_length = status == OMX_ABI_PULL_SUCCESS ?
			   p->plan.done_bytes : 0;
	e->local_region = p->local_region;
	omx_event_commit(ep, false);
}

/* Asks for frames [first, last] of the transfer, all inside one block. */
static void omx_pull_request_frames(struct omx_pull *p, u32 first,
				    u32 last)
{
	struct omx_pull_block run = { .frame_index = first };
	u32 start, len, end_off, end_len;

	omx_pull_frame_extent(&p->plan, first, &start, &len);
	omx_pull_frame_extent(&p->plan, last, &end_off, &end_len);
	run.first_frame_offset = first ? 0 : p->plan.offset_mod;
	run.block_length = end_off + end_len - start;
	omx_pull_request(p, &run);
}

/* Asks again for the frames still missing in the first @upto blocks. */
static unsigned int omx_pull_rerequest(struct omx_pull *p,
				       unsigned int upto)
{
	unsigned int i, runs = 0;

	for (i = 0; i < upto && i < p->nblocks; i++) {
		struct omx_pull_block *b = &p->blocks[i];
		u32 f = 0;

		while (f < b->nframes) {
			u32 first;

			if (b->received & (1ULL << f)) {
				f++;
				continue;
			}
			first = f;
			while (f < b->nframes && !(b->received & (1ULL << f)))
				f++;
			omx_pull_request_frames(p, b->frame_index + first,
						b->frame_index + f - 1);
			runs++;
		}
	}
	p->last_rerequest = jiffies;
	return runs;
}

static void omx_pull_timer(struct timer_list *t)
{
	struct omx_pull *p = from_timer(p, t, timer);
	struct omx_endpoint *ep = p->ep;
	struct omx_iface *ifc;

	spin_lock_bh(&ep->lock);
	if (!p->active || ep->closing)
		goto unlock;
	ifc = READ_ONCE(ep->iface);
	if (time_after(jiffies, p->deadline)) {
		if (ifc)
			omx_count(ifc, OMX_CNT_PULL_TIMEOUT_ABORT);
		omx_pull_finish(p, OMX_ABI_PULL_TIMEOUT);
		goto unlock;
	}
	if (p->plan.done_bytes == p->done_at_last_tick &&
	    omx_pull_rerequest(p, p->nblocks) && ifc)
		omx_count(ifc, OMX_CNT_PULL_TIMEOUT_HANDLER_FIRST_BLOCK);
	p->done_at_last_tick = p->plan.done_bytes;
	mod_timer(&p->timer, jiffies + OMX_PULL_STALL);
unlock:
	spin_unlock_bh(&ep->lock);
}

int omx_pull_start(struct omx_endpoint *ep,
		   const struct omx_cmd_pull *cmd)
{
	struct omx_region *r;
	struct omx_pull *p = NULL;
	unsigned int i;
	int err;

	if (!cmd->length)
		return -EINVAL;	/* nothing to pull: the library notifies at once */
	spin_lock_bh(&ep->lock);
	err = -ESHUTDOWN;
	if (!READ_ONCE(ep->iface) || ep->closing)
		goto unlock;
	err = -ENOENT;
	r = cmd->local_region < OMX_ABI_REGION_MAX ?
	    ep->regions[cmd->local_region] : NULL;
	if (!r)
		goto unlock;
	err = -EINVAL;
	if (!r->writable || (u64)cmd->local_offset + cmd->length > r->length)
		goto unlock;
	err = -ENOSPC;
	for (i = 0; i < OMX_ABI_PULL_MAX; i++) {
		if (!ep->pulls[i].active) {
			p = &ep->pulls[i];
			break;
		}
	}
	if (!p)
		goto unlock;

	p->active = true;
	p->cookie = cmd->lib_cookie;
	p->local_region = cmd->local_region;
	p->local_offset = cmd->local_offset;
	p->peer_index = cmd->peer_index;
	p->dest_endpoint = cmd->dest_endpoint;
	p->session = cmd->session;
	p->rdma_id = cmd->remote_rdma_id;
	p->rdma_seqnum = cmd->remote_rdma_seqnum;
	p->rdma_offset = cmd->remote_rdma_offset;
	p->nblocks = 0;
	p->done_at_last_tick = 0;
	p->last_rerequest = jiffies;
	p->deadline = jiffies + (cmd->timeout_ms == OMX_ABI_WAIT_INFINITE ?
				 MAX_JIFFY_OFFSET : msecs_to_jiffies(cmd->timeout_ms));
	omx_pull_plan_init(&p->plan, &omx_engine_pull_geom, cmd->length,
			   cmd->remote_rdma_offset);
	timer_setup(&p->timer, omx_pull_timer, 0);
	mod_timer(&p->timer, jiffies + OMX_PULL_STALL);
	omx_pull_fill(p);
	err = 0;
unlock:
	spin_unlock_bh(&ep->lock);
	return err;
}

/* The endpoint is closing (ep->closing set): stop every pull for good. */
void omx_pull_cancel_all(struct omx_endpoint *ep)
{
	unsigned int i;

	for (i = 0; i < OMX_ABI_PULL_MAX; i++) {
		struct omx_pull *p = &ep->pulls[i];

		spin_lock_bh(&ep->lock);
		p->active = false;
		spin_unlock_bh(&ep->lock);
		if (p->timer.function)
			del_timer_sync(&p->timer);
	}
}

/*
 * The puller's endpoint and pull named by a reply's magic and handle, if
 * the reply comes from the peer the pull asked.  Under RCU.
 */
static struct omx_pull *omx_pull_lookup(struct omx_iface *ifc,
					const struct omx_wire_pkt *pkt,
					u32 magic, u32 handle,
					enum omx_counter bad_magic,
					enum omx_counter bad_handle)
{
	u32 slot = handle >> OMX_PULL_HANDLE_SLOT_SHIFT;
	struct omx_endpoint *ep;
	struct omx_peer *peer;
	struct omx_pull *p;

	ep = omx_endpoint_get(ifc, magic & OMX_PULL_MAGIC_INDEX_MASK);
	if (!ep || ep->pull_magic != magic) {
		omx_count(ifc, bad_magic);
		return NULL;
	}
	spin_lock(&ep->lock);
	p = slot < OMX_ABI_PULL_MAX ? &ep->pulls[slot] : NULL;
	if (!p || !p->active || omx_pull_handle(p) != handle) {
		spin_unlock(&ep->lock);
		omx_count(ifc, bad_handle);
		return NULL;
	}
	peer = omx_peer_by_index(p->peer_index);
	if (!peer || peer->addr != omx_mac_to_addr(pkt->hdr.src_mac)) {
		spin_unlock(&ep->lock);
		omx_count(ifc, OMX_CNT_DROP_BAD_PEER_ADDR);
		return NULL;
	}
	return p;	/* with ep->lock held */
}

void omx_recv_pull_reply(struct omx_iface *ifc,
			 const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_pull_reply *r = &pkt->pull_reply;
	enum omx_pull_reply_verdict v;
	struct omx_region *region;
	struct omx_pull *p;
	unsigned int bi, done;

	omx_count(ifc, OMX_CNT_RECV_PULL_REPLY);
	p = omx_pull_lookup(ifc, pkt, r->dst_magic, r->dst_pull_handle,
			    OMX_CNT_DROP_PULL_REPLY_BAD_MAGIC_ENDPOINT,
			    OMX_CNT_DROP_PULL_REPLY_BAD_WIRE_HANDLE);
	if (!p)
		return;

	/*
	 * Past the region owner's budget (a guest's copy budget) the frame
	 * is dropped before it counts as received: the pull's recovery asks
	 * for it again.
	 */
	region = p->ep->regions[p->local_region];
	if (region && !omx_region_admit(region))
		goto unlock;
	v = omx_pull_reply_accept(&p->plan, p->blocks, p->nblocks,
				  r->frame_seqnum, r->msg_offset,
				  r->frame_length, &bi);
	if (v == OMX_PULL_REPLY_DUPLICATE) {
		omx_count(ifc, OMX_CNT_DROP_PULL_REPLY_DUPLICATE);
		goto unlock;
	}
	if (v != OMX_PULL_REPLY_NEW) {
		omx_count(ifc, OMX_CNT_DROP_PULL_REPLY_BAD_SEQNUM);
		goto unlock;
	}
	region = p->ep->regions[p->local_region];
	if (!region || omx_region_copy(region,
			(u64)p->local_offset + r->msg_offset,
			(void *)r->data, r->frame_length, true)) {
		/* The library destroyed the region under its own pull. */
		omx_count(ifc, OMX_CNT_PULL_REPLY_FILL_FAILED);
		omx_pull_finish(p, OMX_ABI_PULL_ABORTED);
		goto unlock;
	}
	omx_count(ifc, OMX_CNT_DMA_RECV_PULL_REPLY);

	if (omx_pull_plan_complete(&p->plan)) {
		omx_pull_finish(p, OMX_ABI_PULL_SUCCESS);
		goto unlock;
	}
	if (!omx_pull_block_complete(&p->blocks[bi]))
		goto unlock;
	if (bi) {
		/* A hole before this block: a reply was lost, ask again. */
		omx_count(ifc, OMX_CNT_PULL_NONFIRST_BLOCK_DONE_EARLY);
		if (time_after_eq(jiffies, p->last_rerequest + OMX_PULL_HOLE_RETRY))
			omx_pull_rerequest(p, bi);
		goto unlock;
	}
	/* Retire the complete blocks at the front, then top up. */
	for (done = 0; done < p->nblocks &&
		       omx_pull_block_complete(&p->blocks[done]); done++)
		;
	memmove(p->blocks, p->blocks + done,
		(p->nblocks - done) * sizeof(p->blocks[0]));
	p->nblocks -= done;
	omx_pull_fill(p);
unlock:
	spin_unlock(&p->ep->lock);
}

void omx_recv_nack_mcp(struct omx_iface *ifc,
		       const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_nack_mcp *n = &pkt->nack_mcp;
	struct omx_pull *p;
	u32 status;

	omx_count(ifc, OMX_CNT_RECV_NACK_MCP);
	p = omx_pull_lookup(ifc, pkt, n->src_magic, n->src_pull_handle,
			    OMX_CNT_DROP_NACK_MCP_BAD_MAGIC_ENDPOINT,
			    OMX_CNT_DROP_NACK_MCP_BAD_WIRE_HANDLE);
	if (!p)
		return;
	switch (n->nack_type) {
	case OMX_WIRE_NACK_BAD_ENDPT:
		status = OMX_ABI_PULL_BAD_ENDPT;
		break;
	case OMX_WIRE_NACK_ENDPT_CLOSED:
		status = OMX_ABI_PULL_ENDPT_CLOSED;
		break;
	case OMX_WIRE_NACK_BAD_SESSION:
		status = OMX_ABI_PULL_BAD_SESSION;
		break;
	default:
		status = OMX_ABI_PULL_BAD_RDMAWIN;
		break;
	}
	omx_pull_finish(p, status);
	spin_unlock(&p->ep->lock);
}

/* ------------------------------------------------------------------------
 * Replier: answer a PULL from a pinned region
 */

static int omx_enc_pull_reply(const struct omx_wire_hdr *hdr,
			      const struct omx_wire_pull_reply *r,
			      u8 *buf, size_t len)
{
	return omx_wire_encode_pull_reply(&omx_engine_wire, hdr, r, buf, len);
}

/* Sends reply @i of the block.  ep->lock held (the region stays). */
static void omx_pull_reply_one(struct omx_iface *ifc,
			       const struct omx_wire_pkt *pkt,
			       struct omx_region *region, u16 peer_index,
			       u32 i)
{
	const struct omx_wire_pull *w = &pkt->pull;
	struct omx_wire_pull_reply r = {
		.dst_pull_handle = w->src_pull_handle,
		.dst_magic = w->src_magic,
	};
	struct omx_wire_hdr hdr;
	struct sk_buff *skb;
	u32 msg_offset, frame_length;
	u8 *payload;
	int len;

	omx_pull_reply_frame(&omx_engine_pull_geom, w->pulled_rdma_offset,
			     w->frame_index, w->first_frame_offset,
			     w->block_length, i, &r.frame_seqnum, &msg_offset,
			     &frame_length);
	r.msg_offset = msg_offset;
	r.frame_length = frame_length;
	/* Past the owner's budget (a guest's copy budget): not sent, the puller asks again. */
	if (!omx_region_admit(region))
		return;
	skb = omx_frame_alloc(ifc, OMX_WIRE_HLEN + OMX_WIRE_PULL_REPLY_BODY +
				       frame_length);
	if (!skb)
		return;
	/* The payload goes straight from the pinned pages into the frame. */
	payload = skb->data + OMX_WIRE_HLEN + OMX_WIRE_PULL_REPLY_BODY;
	if (omx_region_copy(region, (u64)w->pulled_rdma_offset + msg_offset,
			    payload, frame_length, false)) {
		kfree_skb(skb);
		return;
	}
	r.data = payload;
	memcpy(hdr.dst_mac, pkt->hdr.src_mac, ETH_ALEN);
	memcpy(hdr.src_mac, ifc->mac, ETH_ALEN);
	hdr.peer_index = peer_index;
	len = omx_enc_pull_reply(&hdr, &r, skb->data, skb_tailroom(skb));
	if (len < 0) {
		kfree_skb(skb);
		return;
	}
	skb_put(skb, len);
	omx_xmit(ifc, skb, OMX_CNT_SEND_PULL_REPLY, OMX_CNT_SHARED_DMA_LARGE);
}

void omx_recv_pull(struct omx_iface *ifc, const struct omx_wire_pkt *pkt)
{
	const struct omx_wire_pull *w = &pkt->pull;
	struct omx_endpoint *ep;
	struct omx_region *region;
	struct omx_peer *peer;
	u32 nframes, i;
	u16 remote_index;
	u8 nack = 0;

	omx_count(ifc, OMX_CNT_RECV_PULL);
	peer = omx_sender(ifc, pkt);
	if (!peer)
		return;
	remote_index = omx_remote_index(ifc, peer);

	ep = w->dst_endpoint < ifc->endpoint_max ?
	     omx_endpoint_get(ifc, w->dst_endpoint) : NULL;
	if (w->dst_endpoint >= ifc->endpoint_max)
		nack = OMX_WIRE_NACK_BAD_ENDPT;
	else if (!ep)
		nack = OMX_WIRE_NACK_ENDPT_CLOSED;
	else if (w->session != ep->session_id)
		nack = OMX_WIRE_NACK_BAD_SESSION;
	if (nack) {
		omx_count(ifc, nack == OMX_WIRE_NACK_BAD_SESSION ?
				   OMX_CNT_DROP_BAD_SESSION :
				   OMX_CNT_DROP_BAD_ENDPOINT);
		omx_send_nack_mcp(ifc, pkt->hdr.src_mac, remote_index,
				  w->src_endpoint, w->src_pull_handle,
				  w->src_magic, nack);
		return;
	}

	spin_lock(&ep->lock);
	region = w->pulled_rdma_id < OMX_ABI_REGION_MAX ?
		 ep->regions[w->pulled_rdma_id] : NULL;
	if (!region) {
		spin_unlock(&ep->lock);
		omx_count(ifc, OMX_CNT_DROP_PULL_BAD_REGION);
		omx_send_nack_mcp(ifc, pkt->hdr.src_mac, remote_index,
				  w->src_endpoint, w->src_pull_handle,
				  w->src_magic, OMX_WIRE_NACK_BAD_RDMAWIN);
		return;
	}
	if (omx_pull_request_check(&omx_engine_pull_geom, w->pulled_rdma_offset,
				   w->frame_index, w->first_frame_offset,
				   w->block_length, region->length, &nframes)) {
		spin_unlock(&ep->lock);
		omx_count(ifc, OMX_CNT_DROP_PULL_BAD_OFFSET_LENGTH);
		return;
	}
	for (i = 0; i < nframes; i++)
		omx_pull_reply_one(ifc, pkt, region, remote_index, i);
	spin_unlock(&ep->lock);
}
