/* SPDX-License-Identifier: MIT */
/*
 * test_mx_calls.c - every mx_* call of mx_compat.c reaches the right
 * omx_* call with its arguments in Open-MX's order, MX timeouts
 * translated (0 = forever), structures passed or copied intact, the
 * return code translated, and the status only when something completed.
 *
 * Built from mx_compat.c and the code tables over a fake core: each
 * omx_* function below records its name and arguments and returns
 * fake_ret.
 */
#include <string.h>

#include "mx_codes.h"
#include "mx_extensions.h"
#include "omx_compat_internal.h"
#include "tap.h"

/* ------------------------------------------------------------------------
 * Fake core
 */
static struct {
	const char *fn;
	omx_endpoint_t ep;
	uint64_t u64[2];
	uint32_t u32[4];
	const void *ptr[4];
	omx_endpoint_addr_t addr;
} call;

static omx_return_t fake_ret;
static uint32_t fake_result;		/* what completion calls report */
static omx_status_t fake_status;	/* what they complete with */

#define RECORD(name, endpoint)			\
	do {					\
		memset(&call, 0, sizeof(call));	\
		call.fn = name;			\
		call.ep = endpoint;		\
	} while (0)

const char *omx__message_prefix(void)
{
	return "OMX: ";
}

omx_return_t omx__init_api(int api)
{
	RECORD("omx__init_api", NULL);
	call.u32[0] = (uint32_t)api;
	return fake_ret;
}

omx_return_t omx_finalize(void)
{
	RECORD("omx_finalize", NULL);
	return fake_ret;
}

omx_return_t omx_open_endpoint(uint32_t board_index, uint32_t endpoint_index,
			       uint32_t key, omx_endpoint_param_t *param_array,
			       uint32_t param_count, omx_endpoint_t *epp)
{
	RECORD("omx_open_endpoint", NULL);
	call.u32[0] = board_index;
	call.u32[1] = endpoint_index;
	call.u32[2] = key;
	call.u32[3] = param_count;
	call.ptr[0] = param_array;
	*epp = (omx_endpoint_t)0x5000;
	return fake_ret;
}

#define SIMPLE_EP_CALL(fn)				\
	omx_return_t fn(omx_endpoint_t ep)		\
	{						\
		RECORD(#fn, ep);			\
		return fake_ret;			\
	}
SIMPLE_EP_CALL(omx_close_endpoint)
SIMPLE_EP_CALL(omx_wakeup)
SIMPLE_EP_CALL(omx_disable_progression)
SIMPLE_EP_CALL(omx_reenable_progression)
SIMPLE_EP_CALL(omx_progress)

static const omx_endpoint_addr_t own_addr = { { 0x1111222233334444ULL, 0x5555666677778888ULL } };

omx_return_t omx_get_endpoint_addr(omx_endpoint_t ep, omx_endpoint_addr_t *addr)
{
	RECORD("omx_get_endpoint_addr", ep);
	*addr = own_addr;
	return fake_ret;
}

omx_return_t omx_decompose_endpoint_addr(omx_endpoint_addr_t addr,
					 uint64_t *nic_id, uint32_t *endpoint_id)
{
	RECORD("omx_decompose_endpoint_addr", NULL);
	call.addr = addr;
	*nic_id = 0x0002c9aabbccULL;
	*endpoint_id = 3;
	return fake_ret;
}

omx_return_t omx_decompose_endpoint_addr_with_session(omx_endpoint_addr_t addr,
		uint64_t *nic_id, uint32_t *endpoint_id, uint32_t *session_id)
{
	RECORD("omx_decompose_endpoint_addr_with_session", NULL);
	call.addr = addr;
	*nic_id = 0x0002c9aabbccULL;
	*endpoint_id = 3;
	*session_id = 0xfeedf00d;
	return fake_ret;
}

omx_return_t omx_set_endpoint_addr_context(omx_endpoint_addr_t addr, void *context)
{
	RECORD("omx_set_endpoint_addr_context", NULL);
	call.addr = addr;
	call.ptr[0] = context;
	return fake_ret;
}

omx_return_t omx_get_endpoint_addr_context(omx_endpoint_addr_t addr, void **context)
{
	RECORD("omx_get_endpoint_addr_context", NULL);
	call.addr = addr;
	*context = (void *)0x77;
	return fake_ret;
}

omx_return_t omx_connect(omx_endpoint_t ep, uint64_t nic_id,
			 uint32_t endpoint_id, uint32_t key, uint32_t timeout,
			 omx_endpoint_addr_t *addr)
{
	RECORD("omx_connect", ep);
	call.u64[0] = nic_id;
	call.u32[0] = endpoint_id;
	call.u32[1] = key;
	call.u32[2] = timeout;
	*addr = own_addr;
	return fake_ret;
}

omx_return_t omx_iconnect(omx_endpoint_t ep, uint64_t nic_id,
			  uint32_t endpoint_id, uint32_t key,
			  uint64_t match_info, void *context,
			  omx_request_t *request)
{
	RECORD("omx_iconnect", ep);
	call.u64[0] = nic_id;
	call.u64[1] = match_info;
	call.u32[0] = endpoint_id;
	call.u32[1] = key;
	call.ptr[0] = context;
	call.ptr[1] = request;
	return fake_ret;
}

omx_return_t omx_disconnect(omx_endpoint_t ep, omx_endpoint_addr_t addr)
{
	RECORD("omx_disconnect", ep);
	call.addr = addr;
	return fake_ret;
}

#define VECTOR_SEND(fn)							\
	omx_return_t fn(omx_endpoint_t ep, omx_seg_t *segs, uint32_t nseg,	\
			omx_endpoint_addr_t dest, uint64_t match_info,	\
			void *context, omx_request_t *request)		\
	{								\
		RECORD(#fn, ep);					\
		call.ptr[0] = segs;					\
		call.u32[0] = nseg;					\
		call.addr = dest;					\
		call.u64[0] = match_info;				\
		call.ptr[1] = context;					\
		call.ptr[2] = request;					\
		return fake_ret;					\
	}
VECTOR_SEND(omx_isendv)
VECTOR_SEND(omx_issendv)

omx_return_t omx_irecvv(omx_endpoint_t ep, omx_seg_t *segs, uint32_t nseg,
			uint64_t match_info, uint64_t match_mask,
			void *context, omx_request_t *request)
{
	RECORD("omx_irecvv", ep);
	call.ptr[0] = segs;
	call.u32[0] = nseg;
	call.u64[0] = match_info;
	call.u64[1] = match_mask;
	call.ptr[1] = context;
	call.ptr[2] = request;
	return fake_ret;
}

omx_return_t omx_context(omx_request_t *request, void **context)
{
	RECORD("omx_context", NULL);
	call.ptr[0] = request;
	*context = (void *)0x99;
	return fake_ret;
}

/* Completion calls: report fake_result, and fake_status when it is 1. */
static omx_return_t complete(omx_status_t *status, uint32_t *result)
{
	*result = fake_result;
	if (fake_result)
		*status = fake_status;
	return fake_ret;
}

omx_return_t omx_test(omx_endpoint_t ep, omx_request_t *request,
		      omx_status_t *status, uint32_t *result)
{
	RECORD("omx_test", ep);
	call.ptr[0] = request;
	return complete(status, result);
}

omx_return_t omx_wait(omx_endpoint_t ep, omx_request_t *request,
		      omx_status_t *status, uint32_t *result, uint32_t timeout)
{
	RECORD("omx_wait", ep);
	call.ptr[0] = request;
	call.u32[0] = timeout;
	return complete(status, result);
}

omx_return_t omx_test_any(omx_endpoint_t ep, uint64_t match_info,
			  uint64_t match_mask, omx_status_t *status,
			  uint32_t *result)
{
	RECORD("omx_test_any", ep);
	call.u64[0] = match_info;
	call.u64[1] = match_mask;
	return complete(status, result);
}

omx_return_t omx_wait_any(omx_endpoint_t ep, uint64_t match_info,
			  uint64_t match_mask, omx_status_t *status,
			  uint32_t *result, uint32_t timeout)
{
	RECORD("omx_wait_any", ep);
	call.u64[0] = match_info;
	call.u64[1] = match_mask;
	call.u32[0] = timeout;
	return complete(status, result);
}

omx_return_t omx_iprobe(omx_endpoint_t ep, uint64_t match_info,
			uint64_t match_mask, omx_status_t *status,
			uint32_t *result)
{
	RECORD("omx_iprobe", ep);
	call.u64[0] = match_info;
	call.u64[1] = match_mask;
	return complete(status, result);
}

omx_return_t omx_probe(omx_endpoint_t ep, uint64_t match_info,
		       uint64_t match_mask, omx_status_t *status,
		       uint32_t *result, uint32_t timeout)
{
	RECORD("omx_probe", ep);
	call.u64[0] = match_info;
	call.u64[1] = match_mask;
	call.u32[0] = timeout;
	return complete(status, result);
}

#define REQUEST_RESULT_CALL(fn)						\
	omx_return_t fn(omx_endpoint_t ep, omx_request_t *request,	\
			uint32_t *result)				\
	{								\
		RECORD(#fn, ep);					\
		call.ptr[0] = request;					\
		*result = fake_result;					\
		return fake_ret;					\
	}
REQUEST_RESULT_CALL(omx_ipeek)
REQUEST_RESULT_CALL(omx_ibuffered)
REQUEST_RESULT_CALL(omx_cancel)

omx_return_t omx_peek(omx_endpoint_t ep, omx_request_t *request,
		      uint32_t *result, uint32_t timeout)
{
	RECORD("omx_peek", ep);
	call.ptr[0] = request;
	call.u32[0] = timeout;
	*result = fake_result;
	return fake_ret;
}

omx_return_t omx_forget(omx_endpoint_t ep, omx_request_t *request)
{
	RECORD("omx_forget", ep);
	call.ptr[0] = request;
	return fake_ret;
}

omx_return_t omx_set_request_timeout(omx_endpoint_t ep, omx_request_t request,
				     uint32_t milliseconds)
{
	RECORD("omx_set_request_timeout", ep);
	call.ptr[0] = request;
	call.u32[0] = milliseconds;
	return fake_ret;
}

omx_return_t omx_register_unexp_handler(omx_endpoint_t ep,
					omx_unexp_handler_t handler,
					void *context)
{
	RECORD("omx_register_unexp_handler", ep);
	call.ptr[0] = (const void *)(uintptr_t)handler;
	call.ptr[1] = context;
	return fake_ret;
}

omx_return_t omx_hostname_to_nic_id(char *hostname, uint64_t *nic_id)
{
	RECORD("omx_hostname_to_nic_id", NULL);
	call.ptr[0] = hostname;
	*nic_id = 0x0002c9aabbccULL;
	return fake_ret;
}

omx_return_t omx_board_number_to_nic_id(uint32_t board_number, uint64_t *nic_id)
{
	RECORD("omx_board_number_to_nic_id", NULL);
	call.u32[0] = board_number;
	*nic_id = 0x0002c9aabbccULL;
	return fake_ret;
}

omx_return_t omx_nic_id_to_board_number(uint64_t nic_id, uint32_t *board_number)
{
	RECORD("omx_nic_id_to_board_number", NULL);
	call.u64[0] = nic_id;
	*board_number = 2;
	return fake_ret;
}

omx_return_t omx_nic_id_to_hostname(uint64_t nic_id, char *hostname)
{
	RECORD("omx_nic_id_to_hostname", NULL);
	call.u64[0] = nic_id;
	strcpy(hostname, "node2:0");
	return fake_ret;
}

/* ------------------------------------------------------------------------
 * Checks
 */
static mx_endpoint_t const ep = (mx_endpoint_t)0x1000;
#define OMX_EP	((omx_endpoint_t)0x1000)

static const mx_endpoint_addr_t peer = { { 0xa1a2a3a4a5a6a7a8ULL, 0xb1b2b3b4b5b6b7b8ULL } };

static int reached(const char *fn)
{
	return call.fn && !strcmp(call.fn, fn);
}

static int got_peer(void)
{
	return !memcmp(&call.addr, &peer, sizeof(peer));
}

static void test_endpoints(void)
{
	mx_param_t params[2] = { { .key = MX_PARAM_CONTEXT_ID } };
	mx_endpoint_t opened = NULL;

	fake_ret = OMX_SUCCESS;
	tap_is(mx__init_api(MX_API), MX_SUCCESS, "mx__init_api succeeds");
	tap_ok(reached("omx__init_api") && call.u32[0] == MX_API,
	       "mx_init() is omx__init_api(0x301)");
	fake_ret = OMX_ALREADY_INITIALIZED;
	tap_is(mx_init(), MX_ALREADY_INITIALIZED, "mx_init twice: MX_ALREADY_INITIALIZED");

	fake_ret = OMX_SUCCESS;
	tap_ok(mx_open_endpoint(1, 7, 0x1234, params, 2, &opened) == MX_SUCCESS &&
	       reached("omx_open_endpoint") && call.u32[0] == 1 &&
	       call.u32[1] == 7 && call.u32[2] == 0x1234 && call.u32[3] == 2 &&
	       call.ptr[0] == params && opened == (mx_endpoint_t)0x5000,
	       "mx_open_endpoint: board, index, key, the params array as is, the endpoint back");

	fake_ret = OMX_NOT_SUPPORTED_IN_HANDLER;
	tap_ok(mx_close_endpoint(ep) == MX_CLOSE_IN_HANDLER &&
	       reached("omx_close_endpoint") && call.ep == OMX_EP,
	       "mx_close_endpoint in a handler: MX_CLOSE_IN_HANDLER (Open-MX 96)");
	fake_ret = OMX_SUCCESS;
	mx_wakeup(ep);
	tap_ok(reached("omx_wakeup") && call.ep == OMX_EP, "mx_wakeup");
	mx_disable_progression(ep);
	tap_ok(reached("omx_disable_progression"), "mx_disable_progression");
	mx_reenable_progression(ep);
	tap_ok(reached("omx_reenable_progression"), "mx_reenable_progression");
	mx_progress(ep);
	tap_ok(reached("omx_progress"), "mx_progress");
	mx_finalize();
	tap_ok(reached("omx_finalize"), "mx_finalize");
}

static void test_addresses(void)
{
	mx_endpoint_addr_t addr;
	uint64_t nic_id = 0;
	uint32_t eid = 0, session = 0;
	void *context = NULL;
	char hostname[MX_MAX_HOSTNAME_LEN];
	uint32_t board = 0;

	memset(&addr, 0, sizeof(addr));
	mx_get_endpoint_addr(ep, &addr);
	tap_ok(!memcmp(&addr, &own_addr, sizeof(addr)),
	       "mx_get_endpoint_addr copies the Open-MX address");

	mx_decompose_endpoint_addr(peer, &nic_id, &eid);
	tap_ok(reached("omx_decompose_endpoint_addr") && got_peer() &&
	       nic_id == 0x0002c9aabbccULL && eid == 3,
	       "mx_decompose_endpoint_addr passes the address bytes, returns id and index");
	mx_decompose_endpoint_addr2(peer, &nic_id, &eid, &session);
	tap_ok(reached("omx_decompose_endpoint_addr_with_session") && got_peer() &&
	       session == 0xfeedf00d,
	       "mx_decompose_endpoint_addr2 adds the session id");
	mx_set_endpoint_addr_context(peer, (void *)0x42);
	tap_ok(reached("omx_set_endpoint_addr_context") && got_peer() &&
	       call.ptr[0] == (void *)0x42, "mx_set_endpoint_addr_context");
	mx_get_endpoint_addr_context(peer, &context);
	tap_ok(got_peer() && context == (void *)0x77, "mx_get_endpoint_addr_context");

	memset(&addr, 0, sizeof(addr));
	tap_ok(mx_connect(ep, 0x0002c9aabbccULL, 5, 0xabc, MX_INFINITE, &addr) == MX_SUCCESS &&
	       reached("omx_connect") && call.u64[0] == 0x0002c9aabbccULL &&
	       call.u32[0] == 5 && call.u32[1] == 0xabc &&
	       call.u32[2] == OMX_TIMEOUT_INFINITE &&
	       !memcmp(&addr, &own_addr, sizeof(addr)),
	       "mx_connect with MX_INFINITE waits forever, returns the address");
	mx_connect(ep, 1, 5, 0xabc, 250, &addr);
	tap_is(call.u32[2], 250, "mx_connect with 250 ms waits 250 ms");
	fake_ret = OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY;
	tap_is(mx_connect(ep, 1, 5, 0xabd, 250, &addr), MX_BAD_CONNECTION_KEY,
	       "mx_connect with a wrong key: MX_BAD_CONNECTION_KEY");
	fake_ret = OMX_SUCCESS;

	mx_iconnect(ep, 0x0002c9aabbccULL, 4, 0xabc, 0x99ULL << 40, (void *)0x5,
		    (mx_request_t *)0x600);
	tap_ok(reached("omx_iconnect") && call.u64[0] == 0x0002c9aabbccULL &&
	       call.u32[0] == 4 && call.u32[1] == 0xabc &&
	       call.u64[1] == 0x99ULL << 40 && call.ptr[0] == (void *)0x5 &&
	       call.ptr[1] == (void *)0x600,
	       "mx_iconnect: id, index, key, match info, context, request");
	mx_disconnect(ep, peer);
	tap_ok(reached("omx_disconnect") && got_peer(), "mx_disconnect passes the address");

	mx_hostname_to_nic_id("node2:0", &nic_id);
	tap_ok(reached("omx_hostname_to_nic_id") && nic_id == 0x0002c9aabbccULL,
	       "mx_hostname_to_nic_id");
	mx_board_number_to_nic_id(1, &nic_id);
	tap_ok(reached("omx_board_number_to_nic_id") && call.u32[0] == 1,
	       "mx_board_number_to_nic_id");
	mx_nic_id_to_board_number(0x0002c9aabbccULL, &board);
	tap_ok(reached("omx_nic_id_to_board_number") && board == 2,
	       "mx_nic_id_to_board_number");
	mx_nic_id_to_hostname(0x0002c9aabbccULL, hostname);
	tap_ok(reached("omx_nic_id_to_hostname") && !strcmp(hostname, "node2:0"),
	       "mx_nic_id_to_hostname");
	fake_ret = OMX_PEER_NOT_FOUND;
	tap_is(mx_hostname_to_nic_id("nobody", &nic_id), MX_HOST_NOT_FOUND,
	       "an unknown hostname: MX_HOST_NOT_FOUND");
	fake_ret = OMX_SUCCESS;
}

static void test_communication(void)
{
	mx_segment_t segs[2];
	mx_request_t req;

	mx_isend(ep, segs, 2, peer, 0x1234, (void *)0x7, &req);
	tap_ok(reached("omx_isendv") && call.ptr[0] == segs && call.u32[0] == 2 &&
	       got_peer() && call.u64[0] == 0x1234 && call.ptr[1] == (void *)0x7 &&
	       call.ptr[2] == &req,
	       "mx_isend is omx_isendv with the same segments, destination, match, context");
	mx_issend(ep, segs, 1, peer, 0x5678, NULL, NULL);
	tap_ok(reached("omx_issendv") && call.u32[0] == 1 && call.u64[0] == 0x5678 &&
	       call.ptr[2] == NULL,
	       "mx_issend is omx_issendv (a NULL request is passed as NULL)");
	mx_irecv(ep, segs, 2, 0x1200, 0xff00, (void *)0x8, &req);
	tap_ok(reached("omx_irecvv") && call.ptr[0] == segs && call.u32[0] == 2 &&
	       call.u64[0] == 0x1200 && call.u64[1] == 0xff00 &&
	       call.ptr[1] == (void *)0x8 && call.ptr[2] == &req,
	       "mx_irecv is omx_irecvv with match info then mask");
	fake_ret = OMX_BAD_MATCH_MASK;
	tap_is(mx_irecv(ep, segs, 2, 0x1, 0x0, NULL, &req), MX_BAD_MATCH_MASK,
	       "mx_irecv with a bad mask: MX_BAD_MATCH_MASK");
	fake_ret = OMX_SEGMENTS_BAD_COUNT;
	tap_is(mx_isend(ep, segs, 257, peer, 0, NULL, &req), MX_BAD_SEG_CNT,
	       "mx_isend with 257 segments: MX_BAD_SEG_CNT");
	fake_ret = OMX_SUCCESS;

	mx_context(&req, (void **)&segs[0].segment_ptr);
	tap_ok(reached("omx_context") && call.ptr[0] == &req &&
	       segs[0].segment_ptr == (void *)0x99, "mx_context");
	mx_set_request_timeout(ep, (mx_request_t)0x700, 0);
	tap_ok(reached("omx_set_request_timeout") && call.ptr[0] == (void *)0x700 &&
	       call.u32[0] == 0,
	       "mx_set_request_timeout passes 0 through (not an MX timeout)");
}

static void test_completion(void)
{
	mx_request_t req = (mx_request_t)0x800;
	mx_status_t status;
	uint32_t result;

	fake_status.code = OMX_MESSAGE_TRUNCATED;
	memcpy(&fake_status.addr, &peer, sizeof(peer));
	fake_status.match_info = 0xabcdef;
	fake_status.msg_length = 1000;
	fake_status.xfer_length = 10;
	fake_status.context = (void *)0x31;

	fake_result = 1;
	memset(&status, 0, sizeof(status));
	tap_ok(mx_test(ep, &req, &status, &result) == MX_SUCCESS && result == 1 &&
	       reached("omx_test") && call.ptr[0] == &req &&
	       status.code == MX_STATUS_TRUNCATED &&
	       !memcmp(&status.source, &peer, sizeof(peer)) &&
	       status.match_info == 0xabcdef && status.msg_length == 1000 &&
	       status.xfer_length == 10 && status.context == (void *)0x31,
	       "mx_test: a completed truncated receive reads MX_STATUS_TRUNCATED, fields intact");

	fake_result = 0;
	memset(&status, 0x5a, sizeof(status));
	mx_test(ep, &req, &status, &result);
	tap_ok(result == 0 && status.code == (mx_status_code_t)0x5a5a5a5a,
	       "mx_test with nothing done leaves the status alone");
	fake_result = 1;

	mx_wait(ep, &req, MX_INFINITE, &status, &result);
	tap_ok(reached("omx_wait") && call.ptr[0] == &req &&
	       call.u32[0] == OMX_TIMEOUT_INFINITE && status.code == MX_STATUS_TRUNCATED,
	       "mx_wait(timeout 0) waits forever (timeout is its 3rd argument)");
	mx_wait(ep, &req, 1500, &status, &result);
	tap_is(call.u32[0], 1500, "mx_wait(1500) waits 1500 ms");

	mx_test_any(ep, 0x10, 0xf0, &status, &result);
	tap_ok(reached("omx_test_any") && call.u64[0] == 0x10 && call.u64[1] == 0xf0,
	       "mx_test_any: match info, mask");
	mx_wait_any(ep, MX_INFINITE, 0x10, 0xf0, &status, &result);
	tap_ok(reached("omx_wait_any") && call.u64[0] == 0x10 && call.u64[1] == 0xf0 &&
	       call.u32[0] == OMX_TIMEOUT_INFINITE,
	       "mx_wait_any(0, ...) waits forever (timeout is its 2nd argument)");
	mx_wait_any(ep, 20, 0x10, 0xf0, &status, &result);
	tap_is(call.u32[0], 20, "mx_wait_any(20, ...) waits 20 ms");

	fake_status.code = OMX_SUCCESS;
	mx_iprobe(ep, 0x20, 0xff, &status, &result);
	tap_ok(reached("omx_iprobe") && call.u64[0] == 0x20 && call.u64[1] == 0xff &&
	       status.code == MX_STATUS_SUCCESS,
	       "mx_iprobe: match info, mask, status converted");
	mx_probe(ep, MX_INFINITE, 0x20, 0xff, &status, &result);
	tap_ok(reached("omx_probe") && call.u32[0] == OMX_TIMEOUT_INFINITE &&
	       call.u64[0] == 0x20 && call.u64[1] == 0xff,
	       "mx_probe(0, ...) waits forever");
	mx_probe(ep, 7, 0x20, 0xff, &status, &result);
	tap_is(call.u32[0], 7, "mx_probe(7, ...) waits 7 ms");

	mx_ipeek(ep, &req, &result);
	tap_ok(reached("omx_ipeek") && call.ptr[0] == &req, "mx_ipeek");
	mx_peek(ep, MX_INFINITE, &req, &result);
	tap_ok(reached("omx_peek") && call.ptr[0] == &req &&
	       call.u32[0] == OMX_TIMEOUT_INFINITE,
	       "mx_peek(0, ...) waits forever");
	mx_peek(ep, 3, &req, &result);
	tap_is(call.u32[0], 3, "mx_peek(3, ...) waits 3 ms");

	mx_ibuffered(ep, &req, &result);
	tap_ok(reached("omx_ibuffered") && call.ptr[0] == &req, "mx_ibuffered");
	fake_ret = OMX_BAD_REQUEST;
	tap_is(mx_cancel(ep, &req, &result), MX_BAD_REQUEST,
	       "mx_cancel of a send: MX_BAD_REQUEST");
	tap_ok(reached("omx_cancel"), "  ...asked to omx_cancel");
	fake_ret = OMX_SUCCESS;
	mx_forget(ep, &req);
	tap_ok(reached("omx_forget") && call.ptr[0] == &req, "mx_forget");
}

static mx_unexp_handler_action_t unexp_handler(void *context, mx_endpoint_addr_t source,
					       uint64_t match_value, uint32_t length,
					       void *data)
{
	(void)context, (void)source, (void)match_value, (void)length, (void)data;
	return MX_RECV_CONTINUE;
}

static void test_unexpected_handler(void)
{
	mx_register_unexp_handler(ep, unexp_handler, (void *)0x3);
	tap_ok(reached("omx_register_unexp_handler") &&
	       call.ptr[0] == (const void *)(uintptr_t)unexp_handler &&
	       call.ptr[1] == (void *)0x3,
	       "mx_register_unexp_handler passes the handler and context as is");
}

int main(void)
{
	test_endpoints();
	test_addresses();
	test_communication();
	test_completion();
	test_unexpected_handler();
	return tap_done();
}
