/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_test.c - completion calls (mx-api.md 4.5): test, wait, test_any,
 * wait_any, ipeek, peek, iprobe, probe, ibuffered, cancel, forget,
 * context.
 *
 * The blocking variants are their non-blocking twin plus
 * omx__wait_until(): a timeout or omx_wakeup() gives OMX_SUCCESS with
 * *result = 0.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include "omx_lib.h"

/* Hand a done request to the application: status copied, handle consumed. */
static void take_done(struct omx__request *req, omx_request_t *handle,
		      omx_status_t *status)
{
	*status = req->status;
	if (handle)
		*handle = NULL;
	omx__request_release(req);
}

static int req_done(struct omx_endpoint *ep, void *arg)
{
	(void)ep;
	return (((struct omx__request *)arg)->state & OMX_REQ_DONE) != 0;
}

OMX_EXPORT omx_return_t omx_test(omx_endpoint_t ep, omx_request_t *request,
				 omx_status_t *status, uint32_t *result)
{
	struct omx__request *req = omx__req(*request);

	omx__lock(ep);
	omx__progress(ep);
	*result = 0;
	if (req->state & OMX_REQ_DONE) {
		take_done(req, request, status);
		*result = 1;
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_wait(omx_endpoint_t ep, omx_request_t *request,
				 omx_status_t *status, uint32_t *result,
				 uint32_t timeout)
{
	struct omx__request *req = omx__req(*request);

	omx__lock(ep);
	*result = 0;
	if (omx__wait_until(ep, req_done, req, timeout) > 0) {
		take_done(req, request, status);
		*result = 1;
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

struct any_pattern {
	uint64_t info, mask;
	struct omx__request *found;
};

static int find_done(struct omx_endpoint *ep, void *arg)
{
	struct any_pattern *pat = arg;
	struct omx_list *pos;

	omx_list_for_each(pos, &ep->done_q) {
		struct omx__request *req =
			OMX_LIST_ENTRY(pos, struct omx__request, done_elt);

		if (omx_match_hit(req->status.match_info, pat->info,
				  pat->mask)) {
			pat->found = req;
			return 1;
		}
	}
	return 0;
}

OMX_EXPORT omx_return_t omx_test_any(omx_endpoint_t ep, uint64_t match_info,
				     uint64_t match_mask, omx_status_t *status,
				     uint32_t *result)
{
	struct any_pattern pat = { match_info, match_mask, NULL };

	if (!omx_match_pattern_ok(match_info, match_mask))
		return omx__error(ep, OMX_BAD_MATCH_MASK,
				  "Testing any request with match %016llx mask %016llx",
				  (unsigned long long)match_info,
				  (unsigned long long)match_mask);
	omx__lock(ep);
	omx__progress(ep);
	*result = 0;
	if (find_done(ep, &pat)) {
		take_done(pat.found, NULL, status);
		*result = 1;
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_wait_any(omx_endpoint_t ep, uint64_t match_info,
				     uint64_t match_mask, omx_status_t *status,
				     uint32_t *result, uint32_t timeout)
{
	struct any_pattern pat = { match_info, match_mask, NULL };

	if (!omx_match_pattern_ok(match_info, match_mask))
		return omx__error(ep, OMX_BAD_MATCH_MASK,
				  "Waiting any request with match %016llx mask %016llx",
				  (unsigned long long)match_info,
				  (unsigned long long)match_mask);
	omx__lock(ep);
	*result = 0;
	if (omx__wait_until(ep, find_done, &pat, timeout) > 0) {
		take_done(pat.found, NULL, status);
		*result = 1;
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

static int any_done(struct omx_endpoint *ep, void *arg)
{
	(void)arg;
	return !omx_list_empty(&ep->done_q);
}

static void peek_result(struct omx_endpoint *ep, omx_request_t *request,
			uint32_t *result)
{
	*result = 0;
	if (!omx_list_empty(&ep->done_q)) {
		*request = omx__handle(omx_list_first_entry(&ep->done_q,
							    struct omx__request,
							    done_elt));
		*result = 1;
	}
}

OMX_EXPORT omx_return_t omx_ipeek(omx_endpoint_t ep, omx_request_t *request,
				  uint32_t *result)
{
	omx__lock(ep);
	omx__progress(ep);
	peek_result(ep, request, result);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_peek(omx_endpoint_t ep, omx_request_t *request,
				 uint32_t *result, uint32_t timeout)
{
	omx__lock(ep);
	omx__wait_until(ep, any_done, NULL, timeout);
	peek_result(ep, request, result);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

static int find_unexp(struct omx_endpoint *ep, void *arg)
{
	struct any_pattern *pat = arg;
	struct omx_match_entry *m = omx_match_peek_unexp(&ep->mq, pat->info,
							 pat->mask);

	pat->found = m ? OMX_LIST_ENTRY(m, struct omx__request, match) : NULL;
	return m != NULL;
}

static void probe_status(const struct omx__request *u, omx_status_t *status)
{
	status->code = OMX_SUCCESS;
	status->addr = u->status.addr;
	status->match_info = u->status.match_info;
	status->msg_length = u->status.msg_length;
	status->xfer_length = u->status.msg_length;
	status->context = NULL;
}

OMX_EXPORT omx_return_t omx_iprobe(omx_endpoint_t ep, uint64_t match_info,
				   uint64_t match_mask, omx_status_t *status,
				   uint32_t *result)
{
	struct any_pattern pat = { match_info, match_mask, NULL };

	if (!omx_match_pattern_ok(match_info, match_mask))
		return omx__error(ep, OMX_BAD_MATCH_MASK,
				  "Probing with match %016llx mask %016llx",
				  (unsigned long long)match_info,
				  (unsigned long long)match_mask);
	omx__lock(ep);
	omx__progress(ep);
	*result = 0;
	if (find_unexp(ep, &pat)) {
		probe_status(pat.found, status);
		*result = 1;
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_probe(omx_endpoint_t ep, uint64_t match_info,
				  uint64_t match_mask, omx_status_t *status,
				  uint32_t *result, uint32_t timeout)
{
	struct any_pattern pat = { match_info, match_mask, NULL };

	if (!omx_match_pattern_ok(match_info, match_mask))
		return omx__error(ep, OMX_BAD_MATCH_MASK,
				  "Probing with match %016llx mask %016llx",
				  (unsigned long long)match_info,
				  (unsigned long long)match_mask);
	omx__lock(ep);
	*result = 0;
	if (omx__wait_until(ep, find_unexp, &pat, timeout) > 0) {
		probe_status(pat.found, status);
		*result = 1;
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_ibuffered(omx_endpoint_t ep, omx_request_t *request,
				      uint32_t *result)
{
	struct omx__request *req = omx__req(*request);
	omx_return_t ret = OMX_SUCCESS;

	omx__lock(ep);
	switch (req->type) {
	case OMX_REQ_SEND_TINY:
	case OMX_REQ_SEND_SMALL:
	case OMX_REQ_SEND_MEDIUM:
		/* copied out once it left the throttled queue */
		*result = !(req->state & OMX_REQ_THROTTLED);
		break;
	case OMX_REQ_SEND_SELF:
		*result = 1;
		break;
	case OMX_REQ_SEND_LARGE:
		*result = 0;
		break;
	default:
		ret = OMX_BAD_REQUEST;	/* not through the handler (4.5) */
		break;
	}
	omx__unlock(ep);
	return ret;
}

/* 1 if removed before anything happened to it, 0 if it must complete. */
static int cancel_one(struct omx__request *req)
{
	if (req->type == OMX_REQ_RECV && (req->state & OMX_REQ_POSTED)) {
		omx_match_remove(&req->match);
		req->state &= ~OMX_REQ_POSTED;
		return 1;
	}
	if (req->type == OMX_REQ_CONNECT && (req->state & OMX_REQ_NEED_REPLY)) {
		omx_list_del(&req->queue_elt);
		omx_list_del(&req->resend_elt);
		req->state &= ~OMX_REQ_NEED_REPLY;
		return 1;
	}
	return 0;
}

static omx_return_t cancel(struct omx_endpoint *ep, omx_request_t *request,
			   uint32_t *result, int notest)
{
	struct omx__request *req = omx__req(*request);

	if (req->type != OMX_REQ_RECV && req->type != OMX_REQ_CONNECT)
		return omx__error(ep, OMX_BAD_REQUEST,
				  "Cancelling a send request");
	omx__lock(ep);
	*result = cancel_one(req);
	if (*result) {
		if (notest) {
			omx__complete(req, OMX_CANCELLED);
		} else {
			*request = NULL;
			omx__request_release(req);
		}
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_cancel(omx_endpoint_t ep, omx_request_t *request,
				   uint32_t *result)
{
	return cancel(ep, request, result, 0);
}

OMX_EXPORT omx_return_t omx_cancel_notest(omx_endpoint_t ep,
					  omx_request_t *request,
					  uint32_t *result)
{
	return cancel(ep, request, result, 1);
}

OMX_EXPORT omx_return_t omx_forget(omx_endpoint_t ep, omx_request_t *request)
{
	struct omx__request *req = omx__req(*request);

	omx__lock(ep);
	*request = NULL;
	omx__request_release(req);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_context(omx_request_t *request, void **context)
{
	*context = omx__req(*request)->status.context;
	return OMX_SUCCESS;
}
