/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_partner.c - remote endpoints ("partners"), their addresses, and
 * resetting one when it is disconnected, unreachable or reincarnated.
 *
 * A partner is created the first time this endpoint talks to, or hears
 * from, a (peer board, endpoint index) pair and lives until the endpoint
 * closes, so an omx_endpoint_addr_t can point at it: the address holds
 * the partner pointer (offset 0), the peer index and endpoint index
 * (offset 8) and the partner's session at the time (offset 12), as Open-MX
 * does.  The address context is stored in the partner, so every address
 * naming the same remote endpoint shares it.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_lib.h"

static unsigned partner_hash(uint16_t peer_index, uint8_t endpoint_index)
{
	return ((unsigned)peer_index * 37U + endpoint_index) %
	       OMX_PARTNER_HASH_SIZE;
}

struct omx__partner *omx__partner_lookup(struct omx_endpoint *ep,
					 uint16_t peer_index,
					 uint8_t endpoint_index)
{
	struct omx__partner *p;

	for (p = ep->partners[partner_hash(peer_index, endpoint_index)]; p;
	     p = p->hash_next)
		if (p->peer_index == peer_index &&
		    p->endpoint_index == endpoint_index)
			return p;
	return NULL;
}

/* Lookup, creating the partner if needed; NULL if the peer is unknown. */
struct omx__partner *omx__partner_get(struct omx_endpoint *ep,
				      uint16_t peer_index,
				      uint8_t endpoint_index)
{
	struct omx__partner *p = omx__partner_lookup(ep, peer_index,
						     endpoint_index);
	struct omx_cmd_peer peer;
	unsigned h;

	if (p)
		return p;
	memset(&peer, 0, sizeof(peer));
	peer.index = peer_index;
	if (omx__ioctl(omx__globals.control_fd, OMX_CMD_PEER_FROM_INDEX,
		       &peer) < 0)
		return NULL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->ep = ep;
	p->peer_index = peer_index;
	p->endpoint_index = endpoint_index;
	p->board_addr = peer.addr;
	/*
	 * Same host: the shared rendezvous threshold applies, unless the
	 * program turned same-host shortcuts off (OMX_DISABLE_SHARED), which
	 * makes Open-MX treat the peer as remote (mx-api.md 6.1, 7.1).  The
	 * driver still delivers between local endpoints without a wire.
	 */
	p->local = (uint8_t)(omx__addr_is_local(peer.addr) &&
			     !omx__globals.disable_shared);
	/* A fresh pair starts at sequence 1, sesnum 0 (wire 6.1). */
	p->next_send_seq = p->next_acked_send_seq = 1;
	p->next_frag_recv_seq = p->next_match_recv_seq = 1;
	p->last_acked_recv_seq = 1;
	p->next_send_acknum = 1;
	p->last_recv_acknum = 0;
	omx_list_init(&p->non_acked_q);
	omx_list_init(&p->partial_q);
	omx_list_init(&p->early_q);
	omx_list_init(&p->ack_elt);
	omx_list_init(&p->watch_elt);
	h = partner_hash(peer_index, endpoint_index);
	p->hash_next = ep->partners[h];
	ep->partners[h] = p;
	return p;
}

void omx__partner_free_all(struct omx_endpoint *ep)
{
	unsigned i;

	for (i = 0; i < OMX_PARTNER_HASH_SIZE; i++) {
		while (ep->partners[i]) {
			struct omx__partner *p = ep->partners[i];

			ep->partners[i] = p->hash_next;
			omx__early_drop_all(p);
			free(p);
		}
	}
	ep->myself = NULL;
}

/* ------------------------------------------------------------------------
 * Addresses
 */
void omx__partner_to_addr(const struct omx__partner *p,
			  omx_endpoint_addr_t *addr)
{
	uint32_t session = p->true_session_valid ? p->true_session :
			   p->back_session_valid ? p->back_session : 0;

	memset(addr, 0, sizeof(*addr));
	addr->data[0] = (uint64_t)(uintptr_t)p;
	addr->data[1] = (uint64_t)p->peer_index |
			(uint64_t)p->endpoint_index << 16 |
			(uint64_t)session << 32;
}

struct omx__partner *omx__partner_from_addr(const omx_endpoint_addr_t *addr)
{
	return (struct omx__partner *)(uintptr_t)addr->data[0];
}

OMX_EXPORT omx_return_t omx_decompose_endpoint_addr(omx_endpoint_addr_t endpoint_addr,
						    uint64_t *nic_id,
						    uint32_t *endpoint_id)
{
	const struct omx__partner *p = omx__partner_from_addr(&endpoint_addr);

	*nic_id = p->board_addr;
	*endpoint_id = p->endpoint_index;
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_decompose_endpoint_addr_with_session(
		omx_endpoint_addr_t endpoint_addr, uint64_t *nic_id,
		uint32_t *endpoint_id, uint32_t *session_id)
{
	const struct omx__partner *p = omx__partner_from_addr(&endpoint_addr);

	*nic_id = p->board_addr;
	*endpoint_id = p->endpoint_index;
	*session_id = (uint32_t)(endpoint_addr.data[1] >> 32);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_set_endpoint_addr_context(omx_endpoint_addr_t endpoint_addr,
						      void *context)
{
	omx__partner_from_addr(&endpoint_addr)->user_context = context;
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_get_endpoint_addr_context(omx_endpoint_addr_t endpoint_addr,
						      void **context)
{
	*context = omx__partner_from_addr(&endpoint_addr)->user_context;
	return OMX_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Reset
 */

/* Every send-side request to p: unacked, awaiting NOTIFY, throttled, connects. */
static void fail_sends(struct omx_endpoint *ep, struct omx__partner *p,
			     omx_return_t code)
{
	struct omx_list *pos, *tmp;
	unsigned i;

	omx_list_for_each_safe(pos, tmp, &p->non_acked_q)
		omx__send_fail(OMX_LIST_ENTRY(pos, struct omx__request, ack_elt),
			       code);
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		struct omx__request *req = ep->regions[i].req;

		if (req && req->partner == p && req->type == OMX_REQ_SEND_LARGE)
			omx__send_fail(req, code);
	}
	omx_list_for_each_safe(pos, tmp, &ep->throttled_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);

		if (req->partner == p)
			omx__send_fail(req, code);
	}
	omx_list_for_each_safe(pos, tmp, &ep->connect_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);

		if (req->partner == p)
			omx__send_fail(req, code);
	}
}

/* Partial and unexpected messages from p. */
static void drop_receives(struct omx_endpoint *ep, struct omx__partner *p,
			  omx_return_t code)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &p->partial_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);

		omx_list_del(&req->queue_elt);
		req->state &= ~OMX_REQ_PARTIAL;
		if (req->type == OMX_REQ_RECV) {
			req->status.xfer_length = 0;
			omx__complete(req, code);
		} else if (req->recv.matched) {
			struct omx__request *recv = req->recv.matched;

			recv->state &= ~OMX_REQ_WAIT_MATCHED;
			recv->status.xfer_length = 0;
			omx__unexp_free(req);
			omx__complete(recv, code);
		} else {
			omx__unexp_free(req);
		}
	}
	omx_list_for_each_safe(pos, tmp, &ep->mq.unexp_all) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, match.all_elt);

		if (req->partner == p)
			omx__unexp_free(req);
	}
	omx__early_drop_all(p);
}

/*
 * Forget everything about p's current incarnation (wire 6.3, 6.4,
 * mx-api.md 4.3 omx_disconnect): its pending requests complete with
 * code, its messages are dropped, and new receive sequence numbers in the
 * next sesnum make stale packets harmless.  Sending again needs a connect.
 */
void omx__partner_reset(struct omx_endpoint *ep, struct omx__partner *p,
			omx_return_t code)
{
	fail_sends(ep, p, code);
	drop_receives(ep, p, code);
	omx_list_del(&p->ack_elt);
	p->next_frag_recv_seq = omx_seq_next_sesnum(p->next_match_recv_seq);
	p->next_match_recv_seq = p->next_frag_recv_seq;
	p->last_acked_recv_seq = p->next_frag_recv_seq;
	p->next_acked_send_seq = p->next_send_seq;
	if (p != ep->myself) {
		p->true_session_valid = 0;
		p->back_session_valid = 0;
	}
}
