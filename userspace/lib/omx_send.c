/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_send.c - posting sends (mx-api.md 4.4, 7.1) and the life of a
 * sequenced packet until its ack: retransmission, throttling, failure.
 *
 * Size classes per destination: TINY (<= 32, data inline), SMALL (<= 128),
 * MEDIUM (up to the rendezvous threshold, copied into send-queue slots, one
 * per fragment), LARGE (rendezvous, see omx_large.c; also every issend).
 * Tiny, small and medium sends keep their data (the request or the slots)
 * until acked, so they can complete at once (7.7) and still be resent.
 *
 * A send that cannot go out now (sequence window full, no send-queue slot,
 * no region id) waits on ep->throttled_q.  Matching order is per sender
 * and receiver pair (7.3), so a throttled send holds back later sends to
 * the same partner only.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <string.h>

#include "omx_lib.h"

static uint32_t partner_threshold(const struct omx__partner *p)
{
	return p->local ? omx__globals.shared_rndv_threshold
			: omx__globals.rndv_threshold;
}

/*
 * Hand a command to the driver.  A transient failure (queue or memory
 * short) is left to the retransmission timer; losing the interface or a
 * bad user buffer is fatal (mx-api.md 7.11).  Any other refusal means the
 * driver and the library disagree on something: say so (a few times), as
 * retransmitting will not help.
 */
int omx__driver_cmd(struct omx_endpoint *ep, unsigned long cmd, void *arg)
{
	int err = omx__ioctl(ep->fd, cmd, arg);

	switch (err) {
	case 0:
	case -ENOSPC:
	case -ENOBUFS:
	case -ENOMEM:
	case -EAGAIN:
	case -EBUSY:
		break;
	case -EFAULT:
		omx__abort(ep, "Driver returned Bad Address");
	case -ESHUTDOWN:
		omx__abort(ep, "The endpoint's interface was removed");
	default:
		if (ep->driver_complaints < 10) {
			ep->driver_complaints++;
			omx__verbose("endpoint %u: driver refused command %#lx: %s\n",
				     ep->endpoint_index, cmd, strerror(-err));
		}
		break;
	}
	return err;
}

static void fill_head(struct omx_cmd_send_head *h, const struct omx__partner *p,
		      uint16_t seqnum, uint64_t match_info)
{
	memset(h, 0, sizeof(*h));
	h->peer_index = p->peer_index;
	h->dest_endpoint = p->endpoint_index;
	h->session = p->true_session;
	h->seqnum = seqnum;
	h->piggyack = p->next_frag_recv_seq;
	h->match_info = match_info;
}

static void send_tiny_small(struct omx__request *req)
{
	struct omx_cmd_send_tiny cmd;
	uint32_t len = req->status.msg_length;

	fill_head(&cmd.head, req->partner, req->seqnum, req->status.match_info);
	cmd.length = len;
	cmd.pad = 0;
	memcpy(cmd.data, req->small.data, len);
	memset(cmd.data + len, 0, sizeof(cmd.data) - len);
	omx__driver_cmd(req->ep, req->type == OMX_REQ_SEND_TINY ?
			OMX_CMD_SEND_TINY : OMX_CMD_SEND_SMALL, &cmd);
}

static void send_medium_frags(struct omx__request *req)
{
	struct omx_cmd_send_medium_frag cmd;
	uint32_t len = req->status.msg_length, i;

	for (i = 0; i < req->medium.nfrags; i++) {
		uint32_t off, flen;

		omx_medium_frag_extent(len, omx__globals.medium_frag_max, i,
				       &off, &flen);
		memset(&cmd, 0, sizeof(cmd));
		fill_head(&cmd.head, req->partner, req->seqnum,
			  req->status.match_info);
		cmd.msg_length = len;
		cmd.sendq_slot = req->medium.slots[i];
		cmd.frag_length = (uint16_t)flen;
		cmd.frag_seqnum = (uint8_t)i;
		omx__driver_cmd(req->ep, OMX_CMD_SEND_MEDIUM_FRAG, &cmd);
	}
}

static void send_rndv(struct omx__request *req)
{
	struct omx_cmd_send_rndv cmd;

	memset(&cmd, 0, sizeof(cmd));
	fill_head(&cmd.head, req->partner, req->seqnum, req->status.match_info);
	cmd.msg_length = req->status.msg_length;
	cmd.rdma_id = req->large.region;
	cmd.rdma_seqnum = req->large.rdma_seqnum;
	cmd.rdma_offset = 0;
	omx__driver_cmd(req->ep, OMX_CMD_SEND_RNDV, &cmd);
}

/* After the first transmission of a sequenced packet. */
static void sequenced_sent(struct omx__request *req)
{
	struct omx_endpoint *ep = req->ep;
	struct omx__partner *p = req->partner;

	req->state |= OMX_REQ_NEED_ACK;
	req->resends = 0;
	req->last_send_us = omx__now_us();
	omx_list_add_tail(&req->ack_elt, &p->non_acked_q);
	omx_list_add_tail(&req->resend_elt, &ep->resend_q);
	omx__ack_sent(p);
}

/* Take the partner's next sequence number (try_send checked the window). */
static void take_seqnum(struct omx__request *req)
{
	struct omx__partner *p = req->partner;

	req->seqnum = p->next_send_seq;
	p->next_send_seq = omx_seq_add(p->next_send_seq, 1);
}

static int medium_take_slots(struct omx__request *req)
{
	struct omx_endpoint *ep = req->ep;
	uint32_t len = req->status.msg_length, i;
	uint32_t n = omx_medium_nfrags(len, omx__globals.medium_frag_max);

	if (ep->sendq_nfree < n)
		return -1;
	req->medium.nfrags = n;
	for (i = 0; i < n; i++) {
		uint16_t slot = ep->sendq_free[--ep->sendq_nfree];
		uint32_t off, flen;

		req->medium.slots[i] = slot;
		omx_medium_frag_extent(len, omx__globals.medium_frag_max, i,
				       &off, &flen);
		omx__segs_copy_from(&req->segs, off,
				    ep->sendq + (size_t)slot * OMX_ABI_SENDQ_SLOT_SIZE,
				    flen);
	}
	return 0;
}

static void medium_release_slots(struct omx__request *req)
{
	struct omx_endpoint *ep = req->ep;
	uint32_t i;

	for (i = 0; i < req->medium.nfrags; i++)
		ep->sendq_free[ep->sendq_nfree++] = req->medium.slots[i];
	req->medium.nfrags = 0;
}

/*
 * Send now if resources allow: 0 when sent (or failed for good), -1 when
 * the request must wait.
 */
static int try_send(struct omx__request *req)
{
	struct omx__partner *p = req->partner;

	/* at most 8191 unacked sequence numbers per partner (wire 6.1) */
	if (omx_seq_diff(p->next_send_seq, p->next_acked_send_seq) >=
	    OMX_SEQ_UNACKED_MAX)
		return -1;

	switch (req->type) {
	case OMX_REQ_SEND_TINY:
	case OMX_REQ_SEND_SMALL:
		omx__segs_copy_from(&req->segs, 0, req->small.data,
				    req->status.msg_length);
		take_seqnum(req);
		send_tiny_small(req);
		sequenced_sent(req);
		omx__complete_early(req);
		return 0;
	case OMX_REQ_SEND_MEDIUM:
		if (medium_take_slots(req) < 0)
			return -1;
		take_seqnum(req);
		send_medium_frags(req);
		sequenced_sent(req);
		omx__complete_early(req);
		return 0;
	case OMX_REQ_SEND_LARGE: {
		int id = omx__region_alloc(req->ep, req, &req->segs, 0);

		if (id == -EAGAIN)
			return -1;
		if (id < 0) {
			omx__complete(req, OMX_NO_SYSTEM_RESOURCES);
			return 0;
		}
		req->large.region = (uint8_t)id;
		req->large.rdma_seqnum = req->ep->regions[id].seqnum++;
		req->ep->large_sends++;
		take_seqnum(req);
		req->state |= OMX_REQ_NEED_REPLY;
		send_rndv(req);
		sequenced_sent(req);
		return 0;
	}
	case OMX_REQ_RECV:
	case OMX_REQ_NOTIFY:
		take_seqnum(req);
		omx__notify_send(req);
		sequenced_sent(req);
		/* a failed pull completes (with its error) by itself */
		if (req->type == OMX_REQ_RECV &&
		    (req->status.code == OMX_SUCCESS ||
		     req->status.code == OMX_MESSAGE_TRUNCATED))
			omx__complete_early(req);
		return 0;
	default:
		omx__abort(req->ep, "Unexpected request type %d in a send queue",
			   (int)req->type);
	}
}

/* Send, or queue behind earlier throttled sends to the same partner. */
void omx__send_or_throttle(struct omx__request *req)
{
	if (req->partner->throttled == 0 && try_send(req) == 0)
		return;
	req->state |= OMX_REQ_THROTTLED;
	req->partner->throttled++;
	omx_list_add_tail(&req->queue_elt, &req->ep->throttled_q);
}

/* Retry throttled sends, in post order, skipping partners still blocked. */
void omx__send_throttled(struct omx_endpoint *ep)
{
	struct omx_list *pos, *tmp;
	uint32_t pass = ++ep->throttle_pass;

	omx_list_for_each_safe(pos, tmp, &ep->throttled_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);
		struct omx__partner *p = req->partner;

		if (p->throttle_pass == pass)
			continue;
		omx_list_del(&req->queue_elt);
		req->state &= ~OMX_REQ_THROTTLED;
		p->throttled--;
		if (try_send(req) < 0) {
			/* back in place; later sends to p wait too */
			omx_list_add_before(&req->queue_elt, tmp);
			req->state |= OMX_REQ_THROTTLED;
			p->throttled++;
			p->throttle_pass = pass;
		}
	}
}

/* Retransmit a sequenced packet with the current piggyack. */
void omx__send_resend(struct omx__request *req)
{
	switch (req->type) {
	case OMX_REQ_SEND_TINY:
	case OMX_REQ_SEND_SMALL:
		send_tiny_small(req);
		break;
	case OMX_REQ_SEND_MEDIUM:
		send_medium_frags(req);
		break;
	case OMX_REQ_SEND_LARGE:
		send_rndv(req);
		break;
	case OMX_REQ_RECV:
	case OMX_REQ_NOTIFY:
		omx__notify_send(req);
		break;
	default:
		omx__abort(req->ep, "Resending a request of type %d",
			   (int)req->type);
	}
	omx__ack_sent(req->partner);
}

/* Stop tracking the ack of a request (acked, failed, or implied by NOTIFY). */
static void unlink_unacked(struct omx__request *req)
{
	if (!(req->state & OMX_REQ_NEED_ACK))
		return;
	omx_list_del(&req->ack_elt);
	omx_list_del(&req->resend_elt);
	req->state &= ~OMX_REQ_NEED_ACK;
	if (req->type == OMX_REQ_SEND_MEDIUM)
		medium_release_slots(req);
	if (req->state & OMX_REQ_ZOMBIE) {
		req->state &= ~OMX_REQ_ZOMBIE;
		req->ep->zombies--;
	}
}

/* The peer acked req's sequence number. */
void omx__send_acked(struct omx__request *req)
{
	unlink_unacked(req);
	if (req->state & OMX_REQ_NEED_REPLY) {
		/* large send: NOTIFY completes it; watch the peer meanwhile */
		omx__watch_notify(req);
		return;
	}
	if (req->state & OMX_REQ_DONE)
		omx__request_try_free(req);
	else
		omx__complete(req, req->status.code);
}

/* A large send's NOTIFY arrived: its RNDV was obviously received. */
void omx__send_large_notified(struct omx__request *req, uint32_t xfer_length)
{
	unlink_unacked(req);
	omx__unwatch_notify(req);
	req->state &= ~OMX_REQ_NEED_REPLY;
	omx__region_free(req->ep, req->large.region);
	req->ep->large_sends--;
	req->status.xfer_length = xfer_length;
	omx__complete(req, xfer_length < req->status.msg_length ?
			   OMX_MESSAGE_TRUNCATED : OMX_SUCCESS);
}

/* Give up a send, notify or connect: nack, unreachable peer, disconnect. */
void omx__send_fail(struct omx__request *req, omx_return_t code)
{
	struct omx_endpoint *ep = req->ep;

	if (req->state & OMX_REQ_THROTTLED) {
		omx_list_del(&req->queue_elt);
		req->state &= ~OMX_REQ_THROTTLED;
		req->partner->throttled--;
	}
	unlink_unacked(req);
	if (req->state & OMX_REQ_NEED_REPLY) {
		req->state &= ~OMX_REQ_NEED_REPLY;
		if (req->type == OMX_REQ_SEND_LARGE) {
			omx__unwatch_notify(req);
			omx__region_free(ep, req->large.region);
			ep->large_sends--;
		} else if (req->type == OMX_REQ_CONNECT) {
			omx_list_del(&req->queue_elt);
			omx_list_del(&req->resend_elt);
		}
	}
	if (req->type == OMX_REQ_SEND_LARGE || req->type == OMX_REQ_SEND_TINY ||
	    req->type == OMX_REQ_SEND_SMALL || req->type == OMX_REQ_SEND_MEDIUM)
		req->status.xfer_length = 0;
	omx__complete(req, code);
}

/* ------------------------------------------------------------------------
 * The API
 */
static omx_return_t post_send(struct omx_endpoint *ep, struct omx__segs *segs,
			      omx_endpoint_addr_t dest, uint64_t match_info,
			      void *context, omx_request_t *request,
			      int synchronous)
{
	struct omx__partner *p = omx__partner_from_addr(&dest);
	struct omx__request *req;
	uint32_t len = segs->total;
	enum omx__req_type type;

	if (p == ep->myself && !omx__globals.disable_self)
		type = OMX_REQ_SEND_SELF;
	else if (synchronous || len > partner_threshold(p))
		type = OMX_REQ_SEND_LARGE;
	else if (len <= OMX_TINY_MAX)
		type = OMX_REQ_SEND_TINY;
	else if (len <= OMX_SMALL_MAX)
		type = OMX_REQ_SEND_SMALL;
	else
		type = OMX_REQ_SEND_MEDIUM;

	omx__lock(ep);
	req = omx__request_alloc(ep, type);
	if (!req) {
		omx__unlock(ep);
		omx__segs_free(segs);
		return omx__error(ep, OMX_NO_RESOURCES, "Allocating a send request");
	}
	req->segs = *segs;
	if (segs->segs == &segs->single)
		req->segs.segs = &req->segs.single;
	req->partner = p;
	req->synchronous = (uint8_t)synchronous;
	req->status.code = OMX_SUCCESS;
	req->status.addr = dest;
	req->status.match_info = match_info;
	req->status.msg_length = len;
	req->status.xfer_length = len;
	req->status.context = context;
	if (request)
		*request = omx__handle(req);
	else
		req->state |= OMX_REQ_RELEASED;

	if (type == OMX_REQ_SEND_SELF)
		omx__self_send(req);
	else if (!p->true_session_valid)
		/* never connected, disconnected, or declared unreachable */
		omx__send_fail(req, OMX_REMOTE_ENDPOINT_UNREACHABLE);
	else
		omx__send_or_throttle(req);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

static omx_return_t post_sendv(struct omx_endpoint *ep, omx_seg_t *segs,
			       uint32_t nseg, omx_endpoint_addr_t dest,
			       uint64_t match_info, void *context,
			       omx_request_t *request, int synchronous)
{
	struct omx__segs s;

	if (nseg > OMX_MAX_SEGMENTS)
		return omx__error(ep, OMX_SEGMENTS_BAD_COUNT,
				  "Sending %u segments (max %u)", nseg,
				  OMX_MAX_SEGMENTS);
	if (omx__segs_init(&s, segs, nseg) < 0)
		return omx__error(ep, OMX_NO_RESOURCES,
				  "Sending %u segments: too long or no memory",
				  nseg);
	return post_send(ep, &s, dest, match_info, context, request,
			 synchronous);
}

OMX_EXPORT omx_return_t omx_isend(omx_endpoint_t ep, void *buffer,
				  size_t length, omx_endpoint_addr_t dest_endpoint,
				  uint64_t match_info, void *context,
				  omx_request_t *request)
{
	struct omx__segs s;

	omx__segs_init_single(&s, buffer, (uint32_t)length);
	return post_send(ep, &s, dest_endpoint, match_info, context, request, 0);
}

OMX_EXPORT omx_return_t omx_isendv(omx_endpoint_t ep, omx_seg_t *segs,
				   uint32_t nseg, omx_endpoint_addr_t dest_endpoint,
				   uint64_t match_info, void *context,
				   omx_request_t *request)
{
	return post_sendv(ep, segs, nseg, dest_endpoint, match_info, context,
			  request, 0);
}

OMX_EXPORT omx_return_t omx_issend(omx_endpoint_t ep, void *buffer,
				   size_t length, omx_endpoint_addr_t dest_endpoint,
				   uint64_t match_info, void *context,
				   omx_request_t *request)
{
	struct omx__segs s;

	omx__segs_init_single(&s, buffer, (uint32_t)length);
	return post_send(ep, &s, dest_endpoint, match_info, context, request, 1);
}

OMX_EXPORT omx_return_t omx_issendv(omx_endpoint_t ep, omx_seg_t *segs,
				    uint32_t nseg,
				    omx_endpoint_addr_t dest_endpoint,
				    uint64_t match_info, void *context,
				    omx_request_t *request)
{
	return post_sendv(ep, segs, nseg, dest_endpoint, match_info, context,
			  request, 1);
}
