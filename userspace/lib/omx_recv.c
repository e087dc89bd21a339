/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_recv.c - posting receives (mx-api.md 4.4) and every incoming
 * sequenced packet: TINY, SMALL, MEDIUM fragments, RNDV, NOTIFY.
 *
 * Receiver rules of openmx-wire.md 6.1: drop on a foreign sesnum, apply
 * the piggyack, then by position of the sequence number: the next one is
 * a new message (matched now, 7.2/7.3), one between next_frag and
 * next_match is a fragment of a partly received medium (or a duplicate),
 * one up to 255 ahead is kept as an early packet until the gap fills, and
 * the one just before next_frag is an old duplicate that asks for an
 * immediate ack.
 *
 * A new message goes to the first posted receive of its bucket that takes
 * it; otherwise the unexpected handler (if any) sees it, and then it is
 * copied into a library buffer on the unexpected queue (7.4).  Rendezvous
 * messages keep only their RNDV fields until a receive matches them.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_lib.h"

/* A packet that arrived ahead of its turn, with a copy of its payload. */
struct omx__early {
	struct omx_list elt;
	union omx_evt evt;
	uint32_t len;
	uint8_t data[];
};

static uint16_t evt_seqnum(const union omx_evt *evt)
{
	return evt->head.type == OMX_EVT_RECV_NOTIFY ? evt->notify.seqnum
						     : evt->msg.seqnum;
}

static uint16_t evt_piggyack(const union omx_evt *evt)
{
	return evt->head.type == OMX_EVT_RECV_NOTIFY ? evt->notify.piggyack
						     : evt->msg.piggyack;
}

/* Bytes of payload the event carries (inline or in its receive slot). */
static uint32_t evt_payload_len(const union omx_evt *evt)
{
	switch (evt->head.type) {
	case OMX_EVT_RECV_TINY:
	case OMX_EVT_RECV_SMALL:
		return evt->msg.msg_length;
	case OMX_EVT_RECV_MEDIUM_FRAG:
		return evt->msg.medium.frag_length;
	default:
		return 0;
	}
}

/* next_frag: the oldest partly received medium, else next_match (wire 6.1). */
static void update_next_frag(struct omx__partner *p)
{
	if (omx_list_empty(&p->partial_q))
		p->next_frag_recv_seq = p->next_match_recv_seq;
	else
		p->next_frag_recv_seq =
			omx_list_first_entry(&p->partial_q, struct omx__request,
					     queue_elt)->recv.msg_seqnum;
}

/* ------------------------------------------------------------------------
 * Completing receives
 */
static omx_return_t recv_code(const struct omx__request *req)
{
	return req->status.xfer_length < req->status.msg_length ?
	       OMX_MESSAGE_TRUNCATED : OMX_SUCCESS;
}

/* A receive took a message: its status now describes the message. */
void omx__recv_take_message(struct omx__request *recv,
			      struct omx__partner *p, uint64_t match_info,
			      uint32_t msg_length)
{
	recv->state &= ~OMX_REQ_POSTED;
	recv->partner = p;
	omx__partner_to_addr(p, &recv->status.addr);
	recv->status.match_info = match_info;
	recv->status.msg_length = msg_length;
	recv->status.xfer_length = msg_length < recv->segs.total ?
				   msg_length : recv->segs.total;
}

/* Copy a whole contiguous message into a matched receive and complete it. */
static void recv_complete_copy(struct omx__request *recv, const void *data)
{
	omx__segs_copy_to(&recv->segs, 0, data, recv->status.xfer_length);
	omx__complete(recv, recv_code(recv));
}

void omx__unexp_free(struct omx__request *unexp)
{
	if (unexp->recv.self_send) {
		struct omx__request *send = unexp->recv.self_send;

		send->status.xfer_length = 0;
		omx__complete(send, OMX_REMOTE_ENDPOINT_UNREACHABLE);
	}
	omx__request_free(unexp);
}

/* Copy the part of fragment [off, off + len) that fits into the receive. */
static void recv_copy_frag(struct omx__request *recv, uint32_t off,
			   const void *data, uint32_t len)
{
	uint32_t room = recv->status.xfer_length;

	if (off >= room)
		return;
	if (len > room - off)
		len = room - off;
	omx__segs_copy_to(&recv->segs, off, data, len);
}

/* An unexpected message is complete and a receive matched it meanwhile. */
static void unexp_deliver_to_matched(struct omx__request *unexp)
{
	struct omx__request *recv = unexp->recv.matched;

	recv->state &= ~OMX_REQ_WAIT_MATCHED;
	unexp->recv.matched = NULL;
	recv_complete_copy(recv, unexp->recv.unexp_buf);
	omx__request_free(unexp);
}

/* A medium fragment for a message already matched (receive or unexpected). */
static void medium_frag(struct omx__request *req, const union omx_evt *evt,
			const void *payload)
{
	struct omx__partner *p = req->partner;
	uint32_t off;

	if (omx_medium_rx_frag(&req->recv.medium, evt->msg.medium.frag_seqnum,
			       evt->msg.medium.frag_length, &off) !=
	    OMX_MEDIUM_FRAG_NEW)
		return;
	if (req->type == OMX_REQ_RECV)
		recv_copy_frag(req, off, payload, evt->msg.medium.frag_length);
	else if (req->recv.unexp_buf)
		memcpy((uint8_t *)req->recv.unexp_buf + off, payload,
		       evt->msg.medium.frag_length);
	if (!omx_medium_rx_complete(&req->recv.medium))
		return;

	if (req->state & OMX_REQ_PARTIAL) {
		omx_list_del(&req->queue_elt);
		req->state &= ~OMX_REQ_PARTIAL;
		update_next_frag(p);
	}
	if (req->type == OMX_REQ_RECV)
		omx__complete(req, recv_code(req));
	else if (req->recv.matched)
		unexp_deliver_to_matched(req);
	else if (!(req->state & OMX_REQ_UNEXP_QUEUED))
		omx__request_free(req);	/* consumed by the handler */
}

/* First fragment: start reassembly; 0, or -1 if the message is malformed. */
static int medium_start(struct omx__request *req, const union omx_evt *evt,
			const void *payload)
{
	struct omx__partner *p = req->partner;

	if (omx_medium_rx_init(&req->recv.medium, evt->msg.msg_length,
			       omx__globals.medium_frag_max,
			       omx__globals.medium_frags_max) < 0)
		return -1;
	req->recv.msg_seqnum = evt->msg.seqnum;
	req->state |= OMX_REQ_PARTIAL;
	omx_list_add_tail(&req->queue_elt, &p->partial_q);
	medium_frag(req, evt, payload);
	return 0;
}

/* ------------------------------------------------------------------------
 * New messages
 */

/* Deliver a new message to a receive that matched it. */
static void deliver_to_recv(struct omx__request *recv, struct omx__partner *p,
			    const union omx_evt *evt, const void *payload)
{
	omx__recv_take_message(recv, p, evt->msg.match_info, evt->msg.msg_length);
	switch (evt->head.type) {
	case OMX_EVT_RECV_TINY:
	case OMX_EVT_RECV_SMALL:
		recv_complete_copy(recv, payload);
		break;
	case OMX_EVT_RECV_MEDIUM_FRAG:
		medium_start(recv, evt, payload);
		break;
	case OMX_EVT_RECV_RNDV:
		recv->recv.is_large = 1;
		recv->recv.rdma_id = evt->msg.rndv.rdma_id;
		recv->recv.rdma_seqnum = evt->msg.rndv.rdma_seqnum;
		recv->recv.rdma_offset = evt->msg.rndv.rdma_offset;
		omx__large_recv_start(recv);
		break;
	}
}

/* The library's copy of a message nobody expected yet; NULL if no memory. */
static struct omx__request *unexp_alloc(struct omx_endpoint *ep,
					struct omx__partner *p,
					const union omx_evt *evt,
					const void *payload)
{
	struct omx__request *u = omx__request_alloc(ep, OMX_REQ_UNEXP);
	uint32_t len = evt->msg.msg_length;

	if (!u)
		return NULL;
	u->state |= OMX_REQ_RELEASED;
	u->partner = p;
	u->status.match_info = evt->msg.match_info;
	u->status.msg_length = len;
	u->status.xfer_length = len;
	omx__partner_to_addr(p, &u->status.addr);
	switch (evt->head.type) {
	case OMX_EVT_RECV_TINY:
	case OMX_EVT_RECV_SMALL:
	case OMX_EVT_RECV_MEDIUM_FRAG:
		u->recv.unexp_buf = malloc(len ? len : 1);
		if (!u->recv.unexp_buf) {
			omx__request_free(u);
			return NULL;
		}
		if (evt->head.type != OMX_EVT_RECV_MEDIUM_FRAG)
			memcpy(u->recv.unexp_buf, payload, len);
		break;
	case OMX_EVT_RECV_RNDV:
		u->recv.is_large = 1;
		u->recv.rdma_id = evt->msg.rndv.rdma_id;
		u->recv.rdma_seqnum = evt->msg.rndv.rdma_seqnum;
		u->recv.rdma_offset = evt->msg.rndv.rdma_offset;
		break;
	}
	return u;
}

/* The handler consumed a message: tell a large sender nothing was taken. */
static void unexp_consumed(struct omx__request *u, const union omx_evt *evt,
			   const void *payload)
{
	if (evt->head.type == OMX_EVT_RECV_RNDV) {
		/* reuse the request as the NOTIFY carrier (wire 6.6) */
		u->type = OMX_REQ_NOTIFY;
		u->recv.notify_length = 0;
		omx__send_or_throttle(u);
		return;
	}
	if (evt->head.type == OMX_EVT_RECV_MEDIUM_FRAG) {
		/* swallow the remaining fragments, then disappear */
		free(u->recv.unexp_buf);
		u->recv.unexp_buf = NULL;
		if (medium_start(u, evt, payload) == 0)
			return;
	}
	omx__request_free(u);
}

/* Data the unexpected handler may look at: a message complete in this packet. */
static const void *handler_data(const union omx_evt *evt, const void *payload)
{
	switch (evt->head.type) {
	case OMX_EVT_RECV_TINY:
	case OMX_EVT_RECV_SMALL:
		return payload;
	case OMX_EVT_RECV_MEDIUM_FRAG:
		return evt->msg.medium.frag_seqnum == 0 &&
		       evt->msg.medium.frag_length == evt->msg.msg_length ?
		       payload : NULL;
	default:
		return NULL;
	}
}

/* 0 when consumed, -1 when the packet must be dropped (no memory). */
static int deliver_new(struct omx_endpoint *ep, struct omx__partner *p,
		       const union omx_evt *evt, const void *payload)
{
	uint64_t info = evt->msg.match_info;
	struct omx_match_entry *m;
	struct omx__request *u;

	if (evt->head.type == OMX_EVT_RECV_MEDIUM_FRAG &&
	    omx_medium_nfrags(evt->msg.msg_length, omx__globals.medium_frag_max) >
	    omx__globals.medium_frags_max)
		return 0;	/* malformed: consume its sequence number, drop */

	m = omx_match_take_recv(&ep->mq, info);
	if (m) {
		deliver_to_recv(OMX_LIST_ENTRY(m, struct omx__request, match),
				p, evt, payload);
		return 0;
	}
	u = unexp_alloc(ep, p, evt, payload);
	if (!u)
		return -1;
	if (ep->unexp_handler) {
		int finished;

		omx__unexp_handler_call(ep, u, handler_data(evt, payload),
					&finished);
		if (finished) {
			unexp_consumed(u, evt, payload);
			return 0;
		}
		m = omx_match_take_recv(&ep->mq, info);
		if (m) {
			omx__request_free(u);
			deliver_to_recv(OMX_LIST_ENTRY(m, struct omx__request,
						       match),
					p, evt, payload);
			return 0;
		}
	}
	u->state |= OMX_REQ_UNEXP_QUEUED;
	omx_match_add_unexp(&ep->mq, &u->match, info);
	if (evt->head.type == OMX_EVT_RECV_MEDIUM_FRAG &&
	    medium_start(u, evt, payload) < 0)
		omx__request_free(u);
	return 0;
}

/* seq == next_match: a new message (or a NOTIFY, sequenced but not matched). */
static void process_next(struct omx_endpoint *ep, struct omx__partner *p,
			 const union omx_evt *evt, const void *payload)
{
	p->next_match_recv_seq = omx_seq_add(p->next_match_recv_seq, 1);
	if (evt->head.type == OMX_EVT_RECV_NOTIFY) {
		omx__recv_notify(ep, p, &evt->notify);
	} else if (deliver_new(ep, p, evt, payload) < 0) {
		/* not taken: the sender will retransmit it */
		p->next_match_recv_seq = evt->msg.seqnum;
		return;
	}
	update_next_frag(p);
}

/* seq in [next_frag, next_match): a fragment of a partial medium, or a duplicate. */
static void process_partial(struct omx__partner *p, const union omx_evt *evt,
			    const void *payload)
{
	struct omx_list *pos;

	if (evt->head.type != OMX_EVT_RECV_MEDIUM_FRAG)
		return;
	omx_list_for_each(pos, &p->partial_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);

		if (req->recv.msg_seqnum == evt->msg.seqnum) {
			medium_frag(req, evt, payload);
			return;
		}
	}
}

/* ------------------------------------------------------------------------
 * Early packets
 */
static void early_store(struct omx__partner *p, const union omx_evt *evt,
			const void *payload)
{
	uint32_t len = evt_payload_len(evt);
	uint16_t seq = evt_seqnum(evt);
	uint16_t dist = omx_seq_diff(seq, p->next_frag_recv_seq);
	struct omx__early *e;
	struct omx_list *pos;

	omx_list_for_each(pos, &p->early_q) {
		struct omx__early *o = OMX_LIST_ENTRY(pos, struct omx__early, elt);
		uint16_t odist = omx_seq_diff(evt_seqnum(&o->evt),
					      p->next_frag_recv_seq);

		if (odist < dist)
			continue;
		if (odist > dist)
			break;
		/* same sequence number: a duplicate unless another fragment */
		if (evt->head.type != OMX_EVT_RECV_MEDIUM_FRAG ||
		    o->evt.head.type != OMX_EVT_RECV_MEDIUM_FRAG ||
		    o->evt.msg.medium.frag_seqnum == evt->msg.medium.frag_seqnum)
			return;
		if (o->evt.msg.medium.frag_seqnum > evt->msg.medium.frag_seqnum)
			break;
	}
	e = malloc(sizeof(*e) + len);
	if (!e)
		return;		/* dropped: retransmitted later */
	e->evt = *evt;
	e->len = len;
	if (len)
		memcpy(e->data, payload, len);
	omx_list_add_before(&e->elt, pos);
}

/* Process early packets that are now in turn. */
static void early_process(struct omx_endpoint *ep, struct omx__partner *p)
{
	while (!omx_list_empty(&p->early_q)) {
		struct omx__early *e = omx_list_first_entry(&p->early_q,
							    struct omx__early,
							    elt);
		enum omx_seq_class cls = omx_seq_classify(evt_seqnum(&e->evt),
							  p->next_frag_recv_seq,
							  p->next_match_recv_seq);

		if (cls == OMX_SEQ_EARLY)
			return;
		omx_list_del(&e->elt);
		if (cls == OMX_SEQ_NEXT)
			process_next(ep, p, &e->evt, e->data);
		else if (cls == OMX_SEQ_PARTIAL)
			process_partial(p, &e->evt, e->data);
		free(e);
	}
}

void omx__early_drop_all(struct omx__partner *p)
{
	while (!omx_list_empty(&p->early_q)) {
		struct omx__early *e = omx_list_first_entry(&p->early_q,
							    struct omx__early,
							    elt);

		omx_list_del(&e->elt);
		free(e);
	}
}

/* ------------------------------------------------------------------------
 * Entry point of every sequenced packet
 */
static int payload_valid(const union omx_evt *evt)
{
	switch (evt->head.type) {
	case OMX_EVT_RECV_TINY:
		return evt->msg.msg_length <= OMX_TINY_MAX;
	case OMX_EVT_RECV_SMALL:
		return evt->msg.msg_length <= OMX_SMALL_MAX;
	case OMX_EVT_RECV_MEDIUM_FRAG:
		return evt->msg.medium.frag_length <= omx__globals.medium_frag_max &&
		       evt->msg.msg_length > 0;
	default:
		return 1;
	}
}

void omx__recv_msg(struct omx_endpoint *ep, const union omx_evt *evt,
		   const void *payload)
{
	uint16_t seq = evt_seqnum(evt);
	struct omx__partner *p;

	if (!payload_valid(evt))
		return;
	p = omx__partner_get(ep, evt->head.peer_index, evt->head.src_endpoint);
	if (!p)
		return;
	omx__partner_heard(p);
	/* rule 1: both numbers must belong to the current sesnums */
	if (!omx__piggyack_check(p, evt_piggyack(evt)))
		return;
	switch (omx_seq_classify(seq, p->next_frag_recv_seq,
				 p->next_match_recv_seq)) {
	case OMX_SEQ_BAD_SESNUM:
		return;
	case OMX_SEQ_NEXT:
		omx__ack_received(p, evt_piggyack(evt));
		process_next(ep, p, evt, payload);
		early_process(ep, p);
		break;
	case OMX_SEQ_PARTIAL:
		omx__ack_received(p, evt_piggyack(evt));
		process_partial(p, evt, payload);
		early_process(ep, p);
		break;
	case OMX_SEQ_EARLY:
		omx__ack_received(p, evt_piggyack(evt));
		early_store(p, evt, payload);
		break;
	case OMX_SEQ_OBSOLETE_PREV:
		omx__ack_received(p, evt_piggyack(evt));
		omx__ack_now(ep, p);	/* our last ack was probably lost */
		break;
	case OMX_SEQ_OBSOLETE:
		omx__ack_received(p, evt_piggyack(evt));
		break;
	}
	omx__ack_account(ep, p);
}

/* ------------------------------------------------------------------------
 * Receives
 */

/* A new receive takes an unexpected message. */
static void match_unexp(struct omx__request *recv,
			   struct omx__request *unexp)
{
	unexp->state &= ~OMX_REQ_UNEXP_QUEUED;
	omx__recv_take_message(recv, unexp->partner, unexp->status.match_info,
			  unexp->status.msg_length);
	if (unexp->recv.self_send) {
		omx__self_deliver(recv, unexp);
		return;
	}
	if (unexp->recv.is_large) {
		recv->recv.is_large = 1;
		recv->recv.rdma_id = unexp->recv.rdma_id;
		recv->recv.rdma_seqnum = unexp->recv.rdma_seqnum;
		recv->recv.rdma_offset = unexp->recv.rdma_offset;
		omx__request_free(unexp);
		omx__large_recv_start(recv);
		return;
	}
	if (unexp->state & OMX_REQ_PARTIAL) {
		/* more fragments to come: complete the receive with the last */
		recv->state |= OMX_REQ_WAIT_MATCHED;
		unexp->recv.matched = recv;
		return;
	}
	recv_complete_copy(recv, unexp->recv.unexp_buf);
	omx__request_free(unexp);
}

static omx_return_t post_recv(struct omx_endpoint *ep, struct omx__segs *segs,
			      uint64_t match_info, uint64_t match_mask,
			      void *context, omx_request_t *request)
{
	struct omx_match_entry *m;
	struct omx__request *req;

	switch (omx_match_check_recv(&ep->mq, match_info, match_mask)) {
	case OMX_MATCH_BAD_MASK:
		omx__segs_free(segs);
		return omx__error(ep, OMX_BAD_MATCH_MASK,
				  "Posting receive with match %016llx mask %016llx",
				  (unsigned long long)match_info,
				  (unsigned long long)match_mask);
	case OMX_MATCH_BAD_CTXID:
		omx__segs_free(segs);
		return omx__error(ep, OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK,
				  "Posting receive with mask %016llx wildcarding context-id bits",
				  (unsigned long long)match_mask);
	case OMX_MATCH_OK:
		break;
	}

	omx__lock(ep);
	req = omx__request_alloc(ep, OMX_REQ_RECV);
	if (!req) {
		omx__unlock(ep);
		omx__segs_free(segs);
		return omx__error(ep, OMX_NO_RESOURCES,
				  "Allocating a receive request");
	}
	req->segs = *segs;
	if (segs->segs == &segs->single)
		req->segs.segs = &req->segs.single;
	req->status.context = context;
	req->status.match_info = match_info;
	if (request)
		*request = omx__handle(req);
	else
		req->state |= OMX_REQ_RELEASED;

	m = omx_match_take_unexp(&ep->mq, match_info, match_mask);
	if (m) {
		match_unexp(req, OMX_LIST_ENTRY(m, struct omx__request, match));
	} else {
		req->state |= OMX_REQ_POSTED;
		omx_match_post_recv(&ep->mq, &req->match, match_info,
				    match_mask);
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_irecv(omx_endpoint_t ep, void *buffer,
				  size_t length, uint64_t match_info,
				  uint64_t match_mask, void *context,
				  omx_request_t *request)
{
	struct omx__segs s;

	omx__segs_init_single(&s, buffer, (uint32_t)length);
	return post_recv(ep, &s, match_info, match_mask, context, request);
}

OMX_EXPORT omx_return_t omx_irecvv(omx_endpoint_t ep, omx_seg_t *segs,
				   uint32_t nseg, uint64_t match_info,
				   uint64_t match_mask, void *context,
				   omx_request_t *request)
{
	struct omx__segs s;

	if (nseg > OMX_MAX_SEGMENTS)
		return omx__error(ep, OMX_SEGMENTS_BAD_COUNT,
				  "Receiving into %u segments (max %u)", nseg,
				  OMX_MAX_SEGMENTS);
	if (omx__segs_init(&s, segs, nseg) < 0)
		return omx__error(ep, OMX_NO_RESOURCES,
				  "Receiving into %u segments: too long or no memory",
				  nseg);
	return post_recv(ep, &s, match_info, match_mask, context, request);
}
