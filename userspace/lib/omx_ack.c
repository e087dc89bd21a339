/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_ack.c - acknowledgements and negative acknowledgements
 * (openmx-wire.md 6.2, 6.3).
 *
 * Receiving: an ack value A (piggybacked on every sequenced packet, or in
 * a liback) acknowledges every sequence number before A; each newly acked
 * request is released (or completed, if it was not done early).
 *
 * Sending: every sequenced packet we send carries our current ack.  When
 * nothing else carries it, a liback goes out after 1/64 s, at once when
 * OMX_NOTACKED_MAX messages are unacked or when the peer resent the
 * message just before next_frag (it lost our ack), and for every pending
 * peer when the endpoint closes.  Partners owing an ack sit on ep->ack_q in
 * deadline order (immediate ones at the head).
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <string.h>

#include "omx_lib.h"

/* Rule 1 of 6.1: a piggyack from another sesnum than our sends' is stale. */
int omx__piggyack_check(struct omx__partner *p, uint16_t piggyack)
{
	return omx_seq_same_sesnum(piggyack, p->next_send_seq);
}

void omx__ack_received(struct omx__partner *p, uint16_t ack)
{
	struct omx_list *pos, *tmp;
	uint16_t first = p->next_acked_send_seq;
	unsigned newly;

	if (!omx_seq_ack_accept(ack, first, p->next_send_seq, &newly))
		return;
	p->next_acked_send_seq = ack;
	omx_list_for_each_safe(pos, tmp, &p->non_acked_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, ack_elt);

		if (omx_seq_diff(req->seqnum, first) >= newly)
			break;
		omx__send_acked(req);
	}
}

void omx__recv_liback(struct omx_endpoint *ep, const struct omx_evt_liback *evt)
{
	struct omx__partner *p = omx__partner_lookup(ep, evt->head.peer_index,
						     evt->head.src_endpoint);

	if (!p)
		return;
	omx__partner_heard(p);
	if (!omx__piggyack_check(p, evt->lib_seqnum))
		return;
	if (!omx_seq_acknum_newer(evt->acknum, p->last_recv_acknum))
		return;		/* an older liback overtaken by a newer one */
	p->last_recv_acknum = evt->acknum;
	omx__ack_received(p, evt->lib_seqnum);
}

static omx_return_t nack_code(uint8_t nack_type)
{
	switch (nack_type) {
	case 1:	/* OMX_WIRE_NACK_BAD_ENDPT */
		return OMX_REMOTE_ENDPOINT_BAD_ID;
	case 2:	/* OMX_WIRE_NACK_ENDPT_CLOSED */
		return OMX_REMOTE_ENDPOINT_CLOSED;
	case 3:	/* OMX_WIRE_NACK_BAD_SESSION */
		return OMX_REMOTE_ENDPOINT_BAD_SESSION;
	default:
		return OMX_MESSAGE_ABORTED;
	}
}

/*
 * The request with the nacked sequence number fails.  A CONNECT is nacked
 * with seqnum 0 (wire 4.10), which then fails the oldest pending connect to
 * that endpoint (wire 6.3).  A nack naming another number that nothing
 * unacked carries is stale (its request already ended) or forged: NACK_LIB
 * carries no session, so it fails nothing.
 */
void omx__recv_nack_lib(struct omx_endpoint *ep,
			const struct omx_evt_nack_lib *evt)
{
	struct omx__partner *p = omx__partner_lookup(ep, evt->head.peer_index,
						     evt->head.src_endpoint);
	omx_return_t code = nack_code(evt->nack_type);
	struct omx_list *pos;

	if (!p)
		return;
	omx_list_for_each(pos, &p->non_acked_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, ack_elt);

		if (req->seqnum == evt->lib_seqnum) {
			omx__send_fail(req, code);
			return;
		}
	}
	if (evt->lib_seqnum != 0)
		return;
	omx_list_for_each(pos, &ep->connect_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);

		if (req->partner == p) {
			if (req->connect.probe)
				omx__probe_nacked(req, code);
			else
				omx__send_fail(req, code);
			return;
		}
	}
}

/* ------------------------------------------------------------------------
 * Sending acks
 */

/* After any packet that carried our current ack. */
void omx__ack_sent(struct omx__partner *p)
{
	p->last_acked_recv_seq = p->next_frag_recv_seq;
	omx_list_del(&p->ack_elt);
}

/* After receiving from p: schedule the ack it is owed. */
void omx__ack_account(struct omx_endpoint *ep, struct omx__partner *p)
{
	uint16_t pending = omx_seq_diff(p->next_frag_recv_seq,
					p->last_acked_recv_seq);

	if (pending == 0)
		return;
	if (pending >= omx__globals.notacked_max) {
		omx__ack_now(ep, p);
		return;
	}
	if (omx_list_linked(&p->ack_elt))
		return;		/* already scheduled, maybe sooner */
	p->ack_deadline_us = omx__now_us() + omx__globals.ack_delay_us;
	omx_list_add_tail(&p->ack_elt, &ep->ack_q);
}

/* Ack p at the end of this round of progression, even if nothing is new. */
void omx__ack_now(struct omx_endpoint *ep, struct omx__partner *p)
{
	omx_list_del(&p->ack_elt);
	p->ack_deadline_us = 0;
	omx_list_add_head(&p->ack_elt, &ep->ack_q);
}

static void send_liback(struct omx_endpoint *ep, struct omx__partner *p)
{
	struct omx_cmd_send_liback cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.peer_index = p->peer_index;
	cmd.dest_endpoint = p->endpoint_index;
	/* the peer drops it until it connected to us (wire 6.2) */
	cmd.session = p->back_session_valid ? p->back_session : 0xffffffffU;
	cmd.acknum = p->next_send_acknum++;
	cmd.lib_seqnum = p->next_frag_recv_seq;
	omx__driver_cmd(ep, OMX_CMD_SEND_LIBACK, &cmd);
	omx__ack_sent(p);
}

/* Libacks whose deadline passed. */
void omx__acks_due(struct omx_endpoint *ep, uint64_t now)
{
	while (!omx_list_empty(&ep->ack_q)) {
		struct omx__partner *p = omx_list_first_entry(&ep->ack_q,
							      struct omx__partner,
							      ack_elt);

		if (p->ack_deadline_us > now)
			return;
		send_liback(ep, p);
	}
}

/* Every owed ack, now (endpoint closing). */
void omx__acks_flush(struct omx_endpoint *ep)
{
	while (!omx_list_empty(&ep->ack_q))
		send_liback(ep, omx_list_first_entry(&ep->ack_q,
							  struct omx__partner,
							  ack_elt));
}
