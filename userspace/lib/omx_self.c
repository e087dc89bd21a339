/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_self.c - sends to the same endpoint (mx-api.md 7.1), handled without
 * the driver unless OMX_DISABLE_SELF=1.
 *
 * The message is matched at once against the posted receives; otherwise a
 * copy is queued as unexpected (so the send buffer is free at once:
 * omx_ibuffered says 1), and the send completes when a receive takes it,
 * with that receive's xfer_length: self sends are synchronous.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <stdlib.h>

#include "omx_lib.h"

/* Copy the send's data into a matched receive and complete both. */
static void deliver(struct omx__request *send, struct omx__request *recv,
		    const void *data)
{
	uint32_t xfer;

	if (data) {
		omx__segs_copy_to(&recv->segs, 0, data, recv->status.xfer_length);
	} else {
		uint32_t off = 0;
		uint8_t chunk[4096];

		/* vector to vector, through a bounce buffer */
		while (off < recv->status.xfer_length) {
			uint32_t n = recv->status.xfer_length - off;

			if (n > sizeof(chunk))
				n = sizeof(chunk);
			omx__segs_copy_from(&send->segs, off, chunk, n);
			omx__segs_copy_to(&recv->segs, off, chunk, n);
			off += n;
		}
	}
	xfer = recv->status.xfer_length;
	omx__complete(recv, xfer < recv->status.msg_length ?
			    OMX_MESSAGE_TRUNCATED : OMX_SUCCESS);
	send->state &= ~OMX_REQ_NEED_REPLY;
	send->status.xfer_length = xfer;
	omx__complete(send, xfer < send->status.msg_length ?
			    OMX_MESSAGE_TRUNCATED : OMX_SUCCESS);
}

/* A receive (already described by omx__recv_take_message) takes a queued self send. */
void omx__self_deliver(struct omx__request *recv, struct omx__request *unexp)
{
	struct omx__request *send = unexp->recv.self_send;

	unexp->recv.self_send = NULL;
	deliver(send, recv, unexp->recv.unexp_buf);
	omx__request_free(unexp);
}

void omx__self_send(struct omx__request *send)
{
	struct omx_endpoint *ep = send->ep;
	uint64_t info = send->status.match_info;
	uint32_t len = send->status.msg_length;
	struct omx_match_entry *m;
	struct omx__request *u;

	send->state |= OMX_REQ_NEED_REPLY;	/* until a receive takes it */
	m = omx_match_take_recv(&ep->mq, info);
	if (m) {
		struct omx__request *recv =
			OMX_LIST_ENTRY(m, struct omx__request, match);

		omx__recv_take_message(recv, ep->myself, info, len);
		deliver(send, recv, NULL);
		return;
	}

	u = omx__request_alloc(ep, OMX_REQ_UNEXP);
	if (u)
		u->recv.unexp_buf = malloc(len ? len : 1);
	if (!u || !u->recv.unexp_buf) {
		if (u)
			omx__request_free(u);
		send->state &= ~OMX_REQ_NEED_REPLY;
		send->status.xfer_length = 0;
		omx__complete(send, OMX_NO_RESOURCES);
		return;
	}
	u->state |= OMX_REQ_RELEASED;
	u->partner = ep->myself;
	u->status = send->status;
	u->status.context = NULL;
	omx__segs_copy_from(&send->segs, 0, u->recv.unexp_buf, len);
	u->recv.self_send = send;

	if (ep->unexp_handler) {
		int finished;

		omx__unexp_handler_call(ep, u, u->recv.unexp_buf, &finished);
		if (finished) {
			/* consumed by the handler: the send succeeded */
			u->recv.self_send = NULL;
			omx__request_free(u);
			send->state &= ~OMX_REQ_NEED_REPLY;
			omx__complete(send, OMX_SUCCESS);
			return;
		}
		m = omx_match_take_recv(&ep->mq, info);
		if (m) {
			struct omx__request *recv =
				OMX_LIST_ENTRY(m, struct omx__request, match);

			omx__recv_take_message(recv, ep->myself, info, len);
			omx__self_deliver(recv, u);
			return;
		}
	}
	u->state |= OMX_REQ_UNEXP_QUEUED;
	omx_match_add_unexp(&ep->mq, &u->match, info);
}
