/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_request.c - request lifetime and completion, and copies between
 * contiguous buffers and segment vectors.
 *
 * A request lives while anyone needs it: the application (until it tests,
 * waits for or forgets it: OMX_REQ_RELEASED) and the protocol (the
 * OMX_REQ_BUSY_MASK flags: queued, unacked, awaiting a reply, pulling).
 * It is freed when neither does.  "Done" is separate: a buffered send
 * is done for the application at once (mx-api.md 7.7) yet stays unacked
 * inside the library as a zombie.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <stdlib.h>
#include <string.h>

#include "omx_lib.h"

struct omx__request *omx__request_alloc(struct omx_endpoint *ep,
					enum omx__req_type type)
{
	struct omx__request *req = calloc(1, sizeof(*req));

	if (!req)
		return NULL;
	req->type = type;
	req->ep = ep;
	omx_list_init(&req->queue_elt);
	omx_list_init(&req->done_elt);
	omx_list_init(&req->ack_elt);
	omx_list_init(&req->resend_elt);
	omx_list_init(&req->match.bucket_elt);
	omx_list_init(&req->match.all_elt);
	req->resends_max = ep->resends_max;
	req->recv.local_region = -1;
	omx_list_add_tail(&req->all_elt, &ep->all_q);
	return req;
}

void omx__request_free(struct omx__request *req)
{
	if (req->type == OMX_REQ_CONNECT && req->connect.probe)
		omx__probe_freed(req);
	omx_list_del(&req->all_elt);
	omx_list_del(&req->queue_elt);
	omx_list_del(&req->done_elt);
	omx_list_del(&req->ack_elt);
	omx_list_del(&req->resend_elt);
	omx_match_remove(&req->match);
	omx__segs_free(&req->segs);
	if (req->type == OMX_REQ_UNEXP)
		free(req->recv.unexp_buf);
	free(req);
}

void omx__request_try_free(struct omx__request *req)
{
	if ((req->state & OMX_REQ_RELEASED) &&
	    !(req->state & OMX_REQ_BUSY_MASK))
		omx__request_free(req);
}

/* The application gives up its handle (test, wait, forget). */
void omx__request_release(struct omx__request *req)
{
	req->state |= OMX_REQ_RELEASED;
	omx_list_del(&req->done_elt);
	omx__request_try_free(req);
}

static const char *req_name(const struct omx__request *req)
{
	switch (req->type) {
	case OMX_REQ_SEND_TINY:
	case OMX_REQ_SEND_SMALL:
	case OMX_REQ_SEND_MEDIUM:
	case OMX_REQ_SEND_LARGE:
	case OMX_REQ_SEND_SELF:
		return "send";
	case OMX_REQ_RECV:
	case OMX_REQ_UNEXP:
		return "receive";
	case OMX_REQ_NOTIFY:
		return "notify";
	case OMX_REQ_CONNECT:
		return "connect";
	}
	return "request";
}

static int code_is_error(omx_return_t code)
{
	return code != OMX_SUCCESS && code != OMX_MESSAGE_TRUNCATED &&
	       code != OMX_CANCELLED;
}

/*
 * Final status of a request.  Errors go through the error handler, whose
 * answer becomes the status (mx-api.md 7.11); truncation and cancellation
 * are ordinary outcomes, not errors.  A request already done early keeps
 * the status the application may have read; its late error is still
 * reported to the handler (7.7).
 */
void omx__complete(struct omx__request *req, omx_return_t code)
{
	struct omx_endpoint *ep = req->ep;

	if (code_is_error(code) && !req->quiet)
		code = omx__error(ep, code, "Completing %s request", req_name(req));
	if (req->state & OMX_REQ_DONE) {
		omx__request_try_free(req);
		return;
	}
	req->status.code = code;
	req->state |= OMX_REQ_DONE;
	if (req->state & OMX_REQ_RELEASED) {
		omx__request_try_free(req);
	} else {
		omx_list_add_tail(&req->done_elt, &ep->done_q);
		omx__wake_sleepers(ep);
	}
}

/*
 * A buffered send (or a large receive whose NOTIFY is out) is done for the
 * application before the peer acked it, while fewer than OMX_ZOMBIE_SEND
 * such zombies exist; otherwise it completes at the ack.
 */
void omx__complete_early(struct omx__request *req)
{
	struct omx_endpoint *ep = req->ep;

	if (req->state & OMX_REQ_DONE)
		return;
	if (ep->zombies >= omx__globals.zombie_max)
		return;
	ep->zombies++;
	req->state |= OMX_REQ_ZOMBIE;
	omx__complete(req, req->status.code);
}

/* ------------------------------------------------------------------------
 * Segments
 */
int omx__segs_init(struct omx__segs *s, const omx_seg_t *segs, uint32_t nseg)
{
	uint64_t total = 0;
	uint32_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < nseg; i++)
		total += segs[i].len;
	if (total > UINT32_MAX)
		return -1;
	s->total = (uint32_t)total;
	s->nseg = nseg;
	if (nseg <= 1) {
		if (nseg)
			s->single = segs[0];
		s->segs = &s->single;
		return 0;
	}
	s->segs = malloc(nseg * sizeof(*segs));
	if (!s->segs)
		return -1;
	memcpy(s->segs, segs, nseg * sizeof(*segs));
	return 0;
}

void omx__segs_init_single(struct omx__segs *s, void *buf, uint32_t len)
{
	memset(s, 0, sizeof(*s));
	s->single.ptr = buf;
	s->single.len = len;
	s->segs = &s->single;
	s->nseg = 1;
	s->total = len;
}

void omx__segs_free(struct omx__segs *s)
{
	if (s->segs && s->segs != &s->single)
		free(s->segs);
	s->segs = NULL;
	s->nseg = 0;
}

/* Write len bytes at offset of the vector (the caller stays within total). */
void omx__segs_copy_to(const struct omx__segs *s, uint32_t offset,
		       const void *src, uint32_t len)
{
	const uint8_t *from = src;
	uint32_t i;

	for (i = 0; i < s->nseg && len; i++) {
		uint32_t seglen = s->segs[i].len, chunk;

		if (offset >= seglen) {
			offset -= seglen;
			continue;
		}
		chunk = seglen - offset;
		if (chunk > len)
			chunk = len;
		memcpy((uint8_t *)s->segs[i].ptr + offset, from, chunk);
		from += chunk;
		len -= chunk;
		offset = 0;
	}
}

/* Read len bytes at offset of the vector. */
void omx__segs_copy_from(const struct omx__segs *s, uint32_t offset,
			 void *dst, uint32_t len)
{
	uint8_t *to = dst;
	uint32_t i;

	for (i = 0; i < s->nseg && len; i++) {
		uint32_t seglen = s->segs[i].len, chunk;

		if (offset >= seglen) {
			offset -= seglen;
			continue;
		}
		chunk = seglen - offset;
		if (chunk > len)
			chunk = len;
		memcpy(to, (const uint8_t *)s->segs[i].ptr + offset, chunk);
		to += chunk;
		len -= chunk;
		offset = 0;
	}
}
