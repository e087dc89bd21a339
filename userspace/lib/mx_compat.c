/* SPDX-License-Identifier: MIT */
/*
 * mx_compat.c - the MX API (myriexpress.h, mx_extensions.h) as calls of
 * the Open-MX API.
 *
 * Every call forwards to its omx_* twin and translates on the way:
 *  - return codes strictly (mx_codes.h);
 *  - the status of a completion call, only when something completed;
 *  - MX timeouts, where 0 (MX_INFINITE) means forever;
 *  - handles and structures, which have identical layouts (checked
 *    below) and are passed through or copied.
 * The error handler already ran inside the omx_* call.
 */
#include <stddef.h>
#include <string.h>

#include "mx_codes.h"
#include "mx_extensions.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

/* The casts of this file rely on these. */
#define SAME_LAYOUT(mx_type, mx_field, omx_type, omx_field)		\
	_Static_assert(offsetof(mx_type, mx_field) ==			\
		       offsetof(omx_type, omx_field) &&			\
		       sizeof(((mx_type *)0)->mx_field) ==		\
		       sizeof(((omx_type *)0)->omx_field),		\
		       #mx_type "." #mx_field " differs from Open-MX")
SAME_LAYOUT(mx_segment_t, segment_ptr, omx_seg_t, ptr);
SAME_LAYOUT(mx_segment_t, segment_length, omx_seg_t, len);
_Static_assert(sizeof(mx_segment_t) == sizeof(omx_seg_t), "segments");
SAME_LAYOUT(mx_param_t, key, omx_endpoint_param_t, key);
SAME_LAYOUT(mx_param_t, val.error_handler, omx_endpoint_param_t, val.error_handler);
SAME_LAYOUT(mx_param_t, val.unexp_queue_max, omx_endpoint_param_t, val.unexp_queue_max);
SAME_LAYOUT(mx_param_t, val.context_id.bits, omx_endpoint_param_t, val.context_id.bits);
SAME_LAYOUT(mx_param_t, val.context_id.shift, omx_endpoint_param_t, val.context_id.shift);
_Static_assert(sizeof(mx_param_t) == sizeof(omx_endpoint_param_t), "params");
_Static_assert(sizeof(mx_endpoint_addr_t) == sizeof(omx_endpoint_addr_t), "addresses");

/* mx_endpoint_t and omx_endpoint_t name the same object. */
#define OMX_EP(ep)		((omx_endpoint_t)(ep))
#define OMX_REQ(req)		((omx_request_t *)(req))
#define OMX_SEGS(segs)		((omx_seg_t *)(segs))

static inline omx_endpoint_addr_t omx_addr_of(mx_endpoint_addr_t mx_addr)
{
	omx_endpoint_addr_t addr;

	memcpy(&addr, &mx_addr, sizeof(addr));
	return addr;
}

static inline void mx_addr_set(mx_endpoint_addr_t *mx_addr,
			       const omx_endpoint_addr_t *addr)
{
	memcpy(mx_addr, addr, sizeof(*mx_addr));
}

/* ------------------------------------------------------------------------
 * Initialisation, endpoints
 */
OMX_EXPORT mx_return_t mx__init_api(int api)
{
	return omx__mx_return(omx__init_api(api));
}

OMX_EXPORT mx_return_t mx_finalize(void)
{
	return omx__mx_return(omx_finalize());
}

OMX_EXPORT mx_return_t mx_open_endpoint(uint32_t board_number,
					uint32_t endpoint_id,
					uint32_t endpoint_key,
					mx_param_t *params_array,
					uint32_t params_count,
					mx_endpoint_t *endpoint)
{
	return omx__mx_return(omx_open_endpoint(board_number, endpoint_id,
				endpoint_key,
				(omx_endpoint_param_t *)params_array,
				params_count, (omx_endpoint_t *)endpoint));
}

OMX_EXPORT mx_return_t mx_close_endpoint(mx_endpoint_t endpoint)
{
	return omx__mx_return(omx_close_endpoint(OMX_EP(endpoint)));
}

OMX_EXPORT mx_return_t mx_wakeup(mx_endpoint_t endpoint)
{
	return omx__mx_return(omx_wakeup(OMX_EP(endpoint)));
}

OMX_EXPORT mx_return_t mx_disable_progression(mx_endpoint_t ep)
{
	return omx__mx_return(omx_disable_progression(OMX_EP(ep)));
}

OMX_EXPORT mx_return_t mx_reenable_progression(mx_endpoint_t ep)
{
	return omx__mx_return(omx_reenable_progression(OMX_EP(ep)));
}

OMX_EXPORT mx_return_t mx_progress(mx_endpoint_t ep)
{
	return omx__mx_return(omx_progress(OMX_EP(ep)));
}

/* ------------------------------------------------------------------------
 * Addresses and connections
 */
OMX_EXPORT mx_return_t mx_get_endpoint_addr(mx_endpoint_t endpoint,
					    mx_endpoint_addr_t *endpoint_addr)
{
	omx_endpoint_addr_t addr;
	omx_return_t ret;

	ret = omx_get_endpoint_addr(OMX_EP(endpoint), &addr);
	if (ret == OMX_SUCCESS)
		mx_addr_set(endpoint_addr, &addr);
	return omx__mx_return(ret);
}

OMX_EXPORT mx_return_t mx_decompose_endpoint_addr(mx_endpoint_addr_t endpoint_addr,
						  uint64_t *nic_id,
						  uint32_t *endpoint_id)
{
	return omx__mx_return(omx_decompose_endpoint_addr(
			omx_addr_of(endpoint_addr), nic_id, endpoint_id));
}

OMX_EXPORT mx_return_t mx_decompose_endpoint_addr2(mx_endpoint_addr_t endpoint_addr,
						   uint64_t *nic_id,
						   uint32_t *endpoint_id,
						   uint32_t *session_id)
{
	return omx__mx_return(omx_decompose_endpoint_addr_with_session(
			omx_addr_of(endpoint_addr), nic_id, endpoint_id,
			session_id));
}

OMX_EXPORT mx_return_t mx_set_endpoint_addr_context(mx_endpoint_addr_t endpoint_addr,
						    void *context)
{
	return omx__mx_return(omx_set_endpoint_addr_context(
			omx_addr_of(endpoint_addr), context));
}

OMX_EXPORT mx_return_t mx_get_endpoint_addr_context(mx_endpoint_addr_t endpoint_addr,
						    void **context)
{
	return omx__mx_return(omx_get_endpoint_addr_context(
			omx_addr_of(endpoint_addr), context));
}

OMX_EXPORT mx_return_t mx_connect(mx_endpoint_t endpoint, uint64_t nic_id,
				  uint32_t endpoint_id, uint32_t key,
				  uint32_t timeout, mx_endpoint_addr_t *addr)
{
	omx_endpoint_addr_t omx_addr;
	omx_return_t ret;

	ret = omx_connect(OMX_EP(endpoint), nic_id, endpoint_id, key,
			  omx__mx_timeout(timeout), &omx_addr);
	if (ret == OMX_SUCCESS)
		mx_addr_set(addr, &omx_addr);
	return omx__mx_return(ret);
}

OMX_EXPORT mx_return_t mx_iconnect(mx_endpoint_t ep, uint64_t nic_id,
				   uint32_t eid, uint32_t key,
				   uint64_t match_info, void *context,
				   mx_request_t *request)
{
	return omx__mx_return(omx_iconnect(OMX_EP(ep), nic_id, eid, key,
					   match_info, context,
					   OMX_REQ(request)));
}

OMX_EXPORT mx_return_t mx_disconnect(mx_endpoint_t ep, mx_endpoint_addr_t addr)
{
	return omx__mx_return(omx_disconnect(OMX_EP(ep), omx_addr_of(addr)));
}

/* ------------------------------------------------------------------------
 * Communication: MX only has the vector flavours
 */
OMX_EXPORT mx_return_t mx_isend(mx_endpoint_t endpoint,
				mx_segment_t *segments_list,
				uint32_t segments_count,
				mx_endpoint_addr_t dest_endpoint,
				uint64_t match_info, void *context,
				mx_request_t *request)
{
	return omx__mx_return(omx_isendv(OMX_EP(endpoint),
					 OMX_SEGS(segments_list),
					 segments_count,
					 omx_addr_of(dest_endpoint),
					 match_info, context,
					 OMX_REQ(request)));
}

OMX_EXPORT mx_return_t mx_issend(mx_endpoint_t endpoint,
				 mx_segment_t *segments_list,
				 uint32_t segments_count,
				 mx_endpoint_addr_t dest_endpoint,
				 uint64_t match_info, void *context,
				 mx_request_t *request)
{
	return omx__mx_return(omx_issendv(OMX_EP(endpoint),
					  OMX_SEGS(segments_list),
					  segments_count,
					  omx_addr_of(dest_endpoint),
					  match_info, context,
					  OMX_REQ(request)));
}

OMX_EXPORT mx_return_t mx_irecv(mx_endpoint_t endpoint,
				mx_segment_t *segments_list,
				uint32_t segments_count, uint64_t match_info,
				uint64_t match_mask, void *context,
				mx_request_t *request)
{
	return omx__mx_return(omx_irecvv(OMX_EP(endpoint),
					 OMX_SEGS(segments_list),
					 segments_count, match_info,
					 match_mask, context,
					 OMX_REQ(request)));
}

OMX_EXPORT mx_return_t mx_context(mx_request_t *request, void **context)
{
	return omx__mx_return(omx_context(OMX_REQ(request), context));
}

OMX_EXPORT mx_return_t mx_register_unexp_handler(mx_endpoint_t ep,
						 mx_unexp_handler_t handler,
						 void *context)
{
	/* Same arguments and action values: the pointer is used as is. */
	_Static_assert((int)MX_RECV_CONTINUE == (int)OMX_UNEXP_HANDLER_RECV_CONTINUE &&
		       (int)MX_RECV_FINISHED == (int)OMX_UNEXP_HANDLER_RECV_FINISHED,
		       "unexpected handler actions differ");
	return omx__mx_return(omx_register_unexp_handler(OMX_EP(ep),
			(omx_unexp_handler_t)(void (*)(void))handler,
			context));
}

OMX_EXPORT mx_return_t mx_set_request_timeout(mx_endpoint_t endpoint,
					      mx_request_t request,
					      uint32_t milli_seconds)
{
	/* Not an MX timeout: 0 keeps meaning "no retransmission". */
	return omx__mx_return(omx_set_request_timeout(OMX_EP(endpoint),
				(omx_request_t)request, milli_seconds));
}

/* ------------------------------------------------------------------------
 * Completion.  The status is translated only when the call says that
 * something completed: otherwise it holds nothing worth reading.
 */
static mx_return_t mx_completion(omx_return_t ret, const omx_status_t *status,
				 const uint32_t *result, mx_status_t *mx_status)
{
	if (ret == OMX_SUCCESS && *result)
		omx__mx_status_from_omx(mx_status, status);
	return omx__mx_return(ret);
}

OMX_EXPORT mx_return_t mx_test(mx_endpoint_t ep, mx_request_t *request,
			       mx_status_t *status, uint32_t *result)
{
	omx_status_t omx_status;
	omx_return_t ret;

	ret = omx_test(OMX_EP(ep), OMX_REQ(request), &omx_status, result);
	return mx_completion(ret, &omx_status, result, status);
}

OMX_EXPORT mx_return_t mx_wait(mx_endpoint_t endpoint, mx_request_t *request,
			       uint32_t timeout, mx_status_t *status,
			       uint32_t *result)
{
	omx_status_t omx_status;
	omx_return_t ret;

	ret = omx_wait(OMX_EP(endpoint), OMX_REQ(request), &omx_status, result,
		       omx__mx_timeout(timeout));
	return mx_completion(ret, &omx_status, result, status);
}

OMX_EXPORT mx_return_t mx_test_any(mx_endpoint_t endpoint, uint64_t match_info,
				   uint64_t match_mask, mx_status_t *status,
				   uint32_t *result)
{
	omx_status_t omx_status;
	omx_return_t ret;

	ret = omx_test_any(OMX_EP(endpoint), match_info, match_mask,
			   &omx_status, result);
	return mx_completion(ret, &omx_status, result, status);
}

OMX_EXPORT mx_return_t mx_wait_any(mx_endpoint_t endpoint, uint32_t timeout,
				   uint64_t match_info, uint64_t match_mask,
				   mx_status_t *status, uint32_t *result)
{
	omx_status_t omx_status;
	omx_return_t ret;

	ret = omx_wait_any(OMX_EP(endpoint), match_info, match_mask,
			   &omx_status, result, omx__mx_timeout(timeout));
	return mx_completion(ret, &omx_status, result, status);
}

OMX_EXPORT mx_return_t mx_iprobe(mx_endpoint_t endpoint, uint64_t match_info,
				 uint64_t match_mask, mx_status_t *status,
				 uint32_t *result)
{
	omx_status_t omx_status;
	omx_return_t ret;

	ret = omx_iprobe(OMX_EP(endpoint), match_info, match_mask,
			 &omx_status, result);
	return mx_completion(ret, &omx_status, result, status);
}

OMX_EXPORT mx_return_t mx_probe(mx_endpoint_t endpoint, uint32_t timeout,
				uint64_t match_info, uint64_t match_mask,
				mx_status_t *status, uint32_t *result)
{
	omx_status_t omx_status;
	omx_return_t ret;

	ret = omx_probe(OMX_EP(endpoint), match_info, match_mask, &omx_status,
			result, omx__mx_timeout(timeout));
	return mx_completion(ret, &omx_status, result, status);
}

OMX_EXPORT mx_return_t mx_ipeek(mx_endpoint_t endpoint, mx_request_t *request,
				uint32_t *result)
{
	return omx__mx_return(omx_ipeek(OMX_EP(endpoint), OMX_REQ(request),
					result));
}

OMX_EXPORT mx_return_t mx_peek(mx_endpoint_t endpoint, uint32_t timeout,
			       mx_request_t *request, uint32_t *result)
{
	return omx__mx_return(omx_peek(OMX_EP(endpoint), OMX_REQ(request),
				       result, omx__mx_timeout(timeout)));
}

OMX_EXPORT mx_return_t mx_ibuffered(mx_endpoint_t endpoint,
				    mx_request_t *request, uint32_t *result)
{
	return omx__mx_return(omx_ibuffered(OMX_EP(endpoint), OMX_REQ(request),
					    result));
}

OMX_EXPORT mx_return_t mx_cancel(mx_endpoint_t endpoint, mx_request_t *request,
				 uint32_t *result)
{
	return omx__mx_return(omx_cancel(OMX_EP(endpoint), OMX_REQ(request),
					 result));
}

OMX_EXPORT mx_return_t mx_forget(mx_endpoint_t endpoint, mx_request_t *request)
{
	return omx__mx_return(omx_forget(OMX_EP(endpoint), OMX_REQ(request)));
}

/* ------------------------------------------------------------------------
 * Boards and hostnames
 */
OMX_EXPORT mx_return_t mx_hostname_to_nic_id(char *hostname, uint64_t *nic_id)
{
	return omx__mx_return(omx_hostname_to_nic_id(hostname, nic_id));
}

OMX_EXPORT mx_return_t mx_board_number_to_nic_id(uint32_t board_number,
						 uint64_t *nic_id)
{
	return omx__mx_return(omx_board_number_to_nic_id(board_number, nic_id));
}

OMX_EXPORT mx_return_t mx_nic_id_to_board_number(uint64_t nic_id,
						 uint32_t *board_number)
{
	return omx__mx_return(omx_nic_id_to_board_number(nic_id, board_number));
}

OMX_EXPORT mx_return_t mx_nic_id_to_hostname(uint64_t nic_id, char *hostname)
{
	_Static_assert(MX_MAX_HOSTNAME_LEN == OMX_HOSTNAMELEN_MAX,
		       "hostname buffers differ");
	return omx__mx_return(omx_nic_id_to_hostname(nic_id, hostname));
}
