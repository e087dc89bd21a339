/* SPDX-License-Identifier: MIT */
/*
 * test_api_headers.c - the public headers of libopen-mx against the
 * Open-MX 1.5 reference (shared/reference/mx-api.md): every constant,
 * enum value, type, structure layout and prototype an Open-MX or MX
 * program may rely on.
 *
 * All four application headers are included together, in the order MX
 * programs use; mx_raw.h comes after myriexpress.h as it expects.
 * Prototypes and object types are compared with _Generic, whose operand
 * is never evaluated: the test references no library symbol.
 */
#include <open-mx.h>
#include <myriexpress.h>
#include <mx_extensions.h>
#include <mx_raw.h>
#include <mx_internals/mx__driver_interface.h>

#include <stdalign.h>
#include <stddef.h>
#include <string.h>

#include "tap.h"

#define VALUE(name, want)	tap_is((long long)(name), (long long)(want), #name " = " #want)
#define SIZE(type, want)	tap_is(sizeof(type), want, "sizeof(" #type ") = " #want)
#define OFFSET(type, field, want) \
	tap_is(offsetof(type, field), want, "offsetof(" #type ", " #field ") = " #want)
#define STR_(x)			#x
#define XSTR(x)			STR_(x)	/* x macro-expanded, as a string */
#define IS_TYPE(expr, type) \
	tap_ok(_Generic((expr), type: 1, default: 0), #expr " has type " #type)

static void test_open_mx_constants(void)
{
	VALUE(OMX_API, 0x301);
	VALUE(OMX_SIZEOF_ADDR, 16);
	VALUE(OMX_ANY_NIC, 0xffffffffU);
	IS_TYPE(OMX_ANY_NIC, unsigned int);
	VALUE(OMX_ANY_ENDPOINT, 0xffffffffU);
	IS_TYPE(OMX_ANY_ENDPOINT, unsigned int);
	VALUE(OMX_ENDPOINT_CONTEXT_ID_BITS_MAX, 16);
	VALUE(OMX_MAX_SEGMENTS, 256);
	VALUE(OMX_TIMEOUT_INFINITE, 0xffffffffU);
	IS_TYPE(OMX_TIMEOUT_INFINITE, uint32_t);
	VALUE(OMX_HOSTNAMELEN_MAX, 80);
	VALUE(OMX_BOARD_ADDR_STRLEN, 18);
}

static void test_omx_return_codes(void)
{
	VALUE(OMX_SUCCESS, 0);
	VALUE(OMX_BAD_ERROR, 1);
	VALUE(OMX_ALREADY_INITIALIZED, 3);
	VALUE(OMX_NOT_INITIALIZED, 4);
	VALUE(OMX_NO_DEVICE_FILE, 5);
	VALUE(OMX_NO_DRIVER, 6);
	VALUE(OMX_ACCESS_DENIED, 7);
	VALUE(OMX_BOARD_NOT_FOUND, 8);
	VALUE(OMX_BAD_ENDPOINT, 9);
	VALUE(OMX_SEGMENTS_BAD_COUNT, 12);
	VALUE(OMX_BAD_REQUEST, 13);
	VALUE(OMX_BAD_MATCH_MASK, 14);
	VALUE(OMX_NO_RESOURCES, 15);
	VALUE(OMX_BUSY, 20);
	VALUE(OMX_BAD_INFO_KEY, 21);
	VALUE(OMX_BAD_INFO_ADDRESS, 22);
	VALUE(OMX_ENDPOINT_PARAMS_BAD_LIST, 24);
	VALUE(OMX_ENDPOINT_PARAM_BAD_KEY, 25);
	VALUE(OMX_ENDPOINT_PARAM_BAD_VALUE, 26);
	VALUE(OMX_PEER_NOT_FOUND, 28);
	VALUE(OMX_TIMEOUT, 30);
	VALUE(OMX_REMOTE_ENDPOINT_BAD_ID, 32);
	VALUE(OMX_REMOTE_ENDPOINT_CLOSED, 33);
	VALUE(OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, 34);
	VALUE(OMX_BAD_INFO_LENGTH, 35);
	VALUE(OMX_NIC_ID_NOT_FOUND, 36);
	VALUE(OMX_BAD_KERNEL_ABI, 37);
	VALUE(OMX_BAD_LIB_ABI, 38);
	VALUE(OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, 42);
	VALUE(OMX_CANCELLED, 90);
	VALUE(OMX_REMOTE_RDMA_WINDOW_BAD_ID, 91);
	VALUE(OMX_REMOTE_ENDPOINT_UNREACHABLE, 92);
	VALUE(OMX_REMOTE_ENDPOINT_BAD_SESSION, 93);
	VALUE(OMX_MESSAGE_ABORTED, 94);
	VALUE(OMX_MESSAGE_TRUNCATED, 95);
	VALUE(OMX_NOT_SUPPORTED_IN_HANDLER, 96);
	VALUE(OMX_NO_SYSTEM_RESOURCES, 97);
	VALUE(OMX_NOT_IMPLEMENTED, 99);
	VALUE(OMX_RETURN_CODE_MAX, 100);
}

static void test_open_mx_enums(void)
{
	VALUE(OMX_ENDPOINT_PARAM_ERROR_HANDLER, 0);
	VALUE(OMX_ENDPOINT_PARAM_UNEXP_QUEUE_MAX, 1);
	VALUE(OMX_ENDPOINT_PARAM_CONTEXT_ID, 2);

	VALUE(OMX_UNEXP_HANDLER_RECV_CONTINUE, 0);
	VALUE(OMX_UNEXP_HANDLER_RECV_FINISHED, 1);

	VALUE(OMX_INFO_BOARD_MAX, 0);
	VALUE(OMX_INFO_ENDPOINT_MAX, 1);
	VALUE(OMX_INFO_BOARD_COUNT, 2);
	VALUE(OMX_INFO_BOARD_IDS, 3);
	VALUE(OMX_INFO_BOARD_HOSTNAME, 4);
	VALUE(OMX_INFO_BOARD_IFACENAME, 5);
	VALUE(OMX_INFO_BOARD_NUMA_NODE, 6);
	VALUE(OMX_INFO_COUNTER_MAX, 7);
	VALUE(OMX_INFO_COUNTER_VALUES, 8);
	VALUE(OMX_INFO_COUNTER_LABEL, 9);
}

static void test_mx_constants(void)
{
	VALUE(MX_API, 0x301);
	VALUE(MX_MAX_STR_LEN, 128);
	VALUE(MX_SIZEOF_ADDR, 16);
	VALUE(MX_ANY_NIC, 0xffffffffU);
	VALUE(MX_ANY_ENDPOINT, 0xffffffffU);
	VALUE(MX_INFINITE, 0);
	VALUE(MX_CONTEXT_ID_BITS_MAX, 16);
	VALUE(MX_MAX_SEGMENTS, 256);
	tap_ok(MX_MATCH_MASK_NONE == UINT64_MAX, "MX_MATCH_MASK_NONE = ~(uint64_t)0");
	IS_TYPE(MX_MATCH_MASK_NONE, uint64_t);
	VALUE(MX_MAX_HOSTNAME_LEN, 80);
	tap_ok(!strcmp(XSTR(mx_init()), "mx__init_api(0x301)"),
	       "mx_init() expands to mx__init_api(MX_API)");
	VALUE(MX__INVALID_HANDLE, -1);
	VALUE(MX_RAW_NO_EVENT, 0);
	VALUE(MX_RAW_SEND_COMPLETE, 1);
	VALUE(MX_RAW_RECV_COMPLETE, 2);
	VALUE(MX_DEAD_RECOVERABLE_SRAM_PARITY_ERROR, 10);
	VALUE(MX_DEAD_SRAM_PARITY_ERROR, 11);
	VALUE(MX_DEAD_WATCHDOG_TIMEOUT, 12);
	VALUE(MX_DEAD_COMMAND_TIMEOUT, 13);
	VALUE(MX_DEAD_ENDPOINT_CLOSE_TIMEOUT, 14);
	VALUE(MX_DEAD_ROUTE_UPDATE_TIMEOUT, 15);
	VALUE(MX_DEAD_PCI_PARITY_ERROR, 16);
	VALUE(MX_DEAD_PCI_MASTER_ABORT, 17);
}

/* MX_HAS_NET_TYPE is defined empty: "#if defined" is how programs test it. */
#if !defined(MX_HAS_NET_TYPE)
#error MX_HAS_NET_TYPE missing
#endif

static void test_mx_feature_macros(void)
{
	tap_ok(sizeof(XSTR(MX_HAS_NET_TYPE)) == 1, "MX_HAS_NET_TYPE is defined and empty");
	VALUE(MX_HAS_ICONNECT_V2, 1);
	VALUE(MX_RAW_POLL_SUPPORTED, 1);
	VALUE(MX_SET_ROUTE_TAKES_MAGID, 1);
	VALUE(MX_HAS_RAW_LINE_SPEED, 1);
	VALUE(MX_HAS_RAW_SET_NIC_REPLY_INFO, 1);
}

static void test_mx_return_codes(void)
{
	VALUE(MX_SUCCESS, 0);
	VALUE(MX_BAD_BAD_BAD, 1);
	VALUE(MX_FAILURE, 2);
	VALUE(MX_ALREADY_INITIALIZED, 3);
	VALUE(MX_NOT_INITIALIZED, 4);
	VALUE(MX_NO_DEV, 5);
	VALUE(MX_NO_DRIVER, 6);
	VALUE(MX_NO_PERM, 7);
	VALUE(MX_BOARD_UNKNOWN, 8);
	VALUE(MX_BAD_ENDPOINT, 9);
	VALUE(MX_BAD_SEG_LIST, 10);
	VALUE(MX_BAD_SEG_MEM, 11);
	VALUE(MX_BAD_SEG_CNT, 12);
	VALUE(MX_BAD_REQUEST, 13);
	VALUE(MX_BAD_MATCH_MASK, 14);
	VALUE(MX_NO_RESOURCES, 15);
	VALUE(MX_BAD_ADDR_LIST, 16);
	VALUE(MX_BAD_ADDR_COUNT, 17);
	VALUE(MX_BAD_ROOT, 18);
	VALUE(MX_NOT_COMPLETED, 19);
	VALUE(MX_BUSY, 20);
	VALUE(MX_BAD_INFO_KEY, 21);
	VALUE(MX_BAD_INFO_VAL, 22);
	VALUE(MX_BAD_NIC, 23);
	VALUE(MX_BAD_PARAM_LIST, 24);
	VALUE(MX_BAD_PARAM_NAME, 25);
	VALUE(MX_BAD_PARAM_VAL, 26);
	VALUE(MX_BAD_HOSTNAME_ARGS, 27);
	VALUE(MX_HOST_NOT_FOUND, 28);
	VALUE(MX_REQUEST_PENDING, 29);
	VALUE(MX_TIMEOUT, 30);
	VALUE(MX_NO_MATCH, 31);
	VALUE(MX_BAD_ENDPOINT_ID, 32);
	VALUE(MX_CONNECTION_FAILED, 33);
	VALUE(MX_BAD_CONNECTION_KEY, 34);
	VALUE(MX_BAD_INFO_LENGTH, 35);
	VALUE(MX_NIC_NOT_FOUND, 36);
	VALUE(MX_BAD_KERNEL_VERSION, 37);
	VALUE(MX_BAD_LIB_VERSION, 38);
	VALUE(MX_NIC_DEAD, 39);
	VALUE(MX_CANCEL_NOT_SUPPORTED, 40);
	VALUE(MX_CLOSE_IN_HANDLER, 41);
	VALUE(MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, 42);
	VALUE(MX_NOT_SUPPORTED_WITH_CONTEXT_ID, 43);
}

static void test_mx_status_codes(void)
{
	VALUE(MX_STATUS_SUCCESS, 0);
	VALUE(MX_STATUS_PENDING, 1);
	VALUE(MX_STATUS_BUFFERED, 2);
	VALUE(MX_STATUS_REJECTED, 3);
	VALUE(MX_STATUS_TIMEOUT, 4);
	VALUE(MX_STATUS_TRUNCATED, 5);
	VALUE(MX_STATUS_CANCELLED, 6);
	VALUE(MX_STATUS_ENDPOINT_UNKNOWN, 7);
	VALUE(MX_STATUS_ENDPOINT_CLOSED, 8);
	VALUE(MX_STATUS_ENDPOINT_UNREACHABLE, 9);
	VALUE(MX_STATUS_BAD_SESSION, 10);
	VALUE(MX_STATUS_BAD_KEY, 11);
	VALUE(MX_STATUS_BAD_ENDPOINT, 12);
	VALUE(MX_STATUS_BAD_RDMAWIN, 13);
	VALUE(MX_STATUS_ABORTED, 14);
	VALUE(MX_STATUS_EVENTQ_FULL, 15);
	VALUE(MX_STATUS_NO_RESOURCES, 16);
}

static void test_mx_enums(void)
{
	VALUE(MX_PARAM_ERROR_HANDLER, 0);
	VALUE(MX_PARAM_UNEXP_QUEUE_MAX, 1);
	VALUE(MX_PARAM_CONTEXT_ID, 2);

	VALUE(MX_RECV_CONTINUE, 0);
	VALUE(MX_RECV_FINISHED, 1);

	VALUE(MX_NIC_COUNT, 1);
	VALUE(MX_NIC_IDS, 2);
	VALUE(MX_MAX_NATIVE_ENDPOINTS, 3);
	VALUE(MX_NATIVE_REQUESTS, 4);
	VALUE(MX_COUNTERS_COUNT, 5);
	VALUE(MX_COUNTERS_LABELS, 6);
	VALUE(MX_COUNTERS_VALUES, 7);
	VALUE(MX_PRODUCT_CODE, 8);
	VALUE(MX_PART_NUMBER, 9);
	VALUE(MX_SERIAL_NUMBER, 10);
	VALUE(MX_PORT_COUNT, 11);
	VALUE(MX_PIO_SEND_MAX, 12);
	VALUE(MX_COPY_SEND_MAX, 13);
	VALUE(MX_NUMA_NODE, 14);
	VALUE(MX_NET_TYPE, 15);
	VALUE(MX_LINE_SPEED, 16);

	VALUE(MX_SPEED_2G, 0);
	VALUE(MX_SPEED_10G, 1);
	VALUE(MX_SPEED_OPEN_MX, 2);
	VALUE(MX_NET_MYRI, 0);
	VALUE(MX_NET_ETHER, 1);
	SIZE(enum mx_net_type, 4);	/* the tag exists (no typedef) */

	VALUE(MX_HOST_GM, 1);
	VALUE(MX_HOST_XM, 2);
	VALUE(MX_HOST_MX, 3);
	VALUE(MX_HOST_MXvM, 4);
}

static void test_helper_macros(void)
{
	uint64_t big = 0x1122334455667788ULL;
	uint32_t small = 0xdeadbeefU;
	uint64_t calls64 = 5;
	uint32_t calls32 = 5;

	VALUE(MX_U32(big), 0x11223344U);
	VALUE(MX_L32(big), 0x55667788U);
	VALUE(MX_U32(small), 0);
	VALUE(MX_L32(small), 0xdeadbeefU);
	IS_TYPE(MX_U32(big), uint32_t);
	IS_TYPE(MX_L32(big), uint32_t);
	/* The argument is evaluated exactly once, whatever its width. */
	(void)MX_U32(calls64++);
	(void)MX_U32(calls32++);
	tap_ok(calls64 == 6 && calls32 == 6, "MX_U32 evaluates its argument once");
}

static void test_types(void)
{
	IS_TYPE((omx_endpoint_t)0, struct omx_endpoint *);
	IS_TYPE((omx_request_t)0, union omx_request *);
	IS_TYPE((omx_seg_ptr_t)0, void *);
	IS_TYPE((mx_endpoint_t)0, struct mx_endpoint *);
	IS_TYPE((mx_request_t)0, union mx_request *);
	IS_TYPE((mx_segment_ptr_t)0, void *);
	IS_TYPE((mx_endpt_handle_t)0, int);
	IS_TYPE((mx_raw_status_t)0, int);
	IS_TYPE((mx_raw_endpoint_t)0, struct omx_raw_endpoint *);
	IS_TYPE((omx_return_t)0, enum omx_return);
	IS_TYPE((mx_return_t)0, enum mx_return_code);
	IS_TYPE((mx_status_code_t)0, enum mx_status_code);
	IS_TYPE((omx_info_key_t)0, enum omx_info_key);
	IS_TYPE((mx_get_info_key_t)0, enum mx_get_info_key);
	IS_TYPE((mx_param_key_t)0, enum mx_param_key);
	IS_TYPE((omx_endpoint_param_key_t)0, enum omx_endpoint_param_key);
	IS_TYPE((omx_unexp_handler_action_t)0, enum omx_unexp_handler_action);
	IS_TYPE((mx_unexp_handler_action_t)0, enum mx_unexp_handler_action);
	IS_TYPE((mx_line_speed_t)0, enum mx_line_speed);
	IS_TYPE((omx_status_t *)0, struct omx_status *);
	IS_TYPE((mx_status_t *)0, struct mx_status *);
	IS_TYPE((omx_seg_t *)0, struct omx_seg *);
	IS_TYPE((omx_endpoint_addr_t *)0, struct omx_endpoint_addr *);

	IS_TYPE((omx_error_handler_t)0, omx_return_t (*)(char *, omx_return_t));
	IS_TYPE((mx_error_handler_t)0, mx_return_t (*)(char *, mx_return_t));
	IS_TYPE((omx_unexp_handler_t)0,
		omx_unexp_handler_action_t (*)(void *, omx_endpoint_addr_t,
					       uint64_t, uint32_t, void *));
	IS_TYPE((mx_unexp_handler_t)0,
		mx_unexp_handler_action_t (*)(void *, mx_endpoint_addr_t,
					      uint64_t, uint32_t, void *));
	IS_TYPE((mx_matching_callback_t)0, void (*)(void *, uint64_t, int));

	IS_TYPE(&OMX_ERRORS_ARE_FATAL, const omx_error_handler_t *);
	IS_TYPE(&OMX_ERRORS_RETURN, const omx_error_handler_t *);
	IS_TYPE(&MX_ERRORS_ARE_FATAL, const mx_error_handler_t *);
	IS_TYPE(&MX_ERRORS_RETURN, const mx_error_handler_t *);

	SIZE(omx_return_t, 4);
	SIZE(mx_return_t, 4);
	SIZE(mx_status_code_t, 4);
}

/* Layouts: the MX ABI casts between the two families of structures. */
static void test_layouts(void)
{
	int lp64 = sizeof(void *) == 8;

	SIZE(omx_endpoint_addr_t, 16);
	tap_is(alignof(omx_endpoint_addr_t), 8, "omx_endpoint_addr_t is 8-aligned");
	SIZE(mx_endpoint_addr_t, 16);
	tap_is(sizeof(((omx_endpoint_addr_t *)0)->data) / sizeof(uint64_t), 2,
	       "omx_endpoint_addr_t.data has 2 uint64_t");
	tap_is(sizeof(((mx_endpoint_addr_t *)0)->stuff) / sizeof(uint64_t), 2,
	       "mx_endpoint_addr_t.stuff has 2 uint64_t");

	SIZE(omx_status_t, lp64 ? 48 : 40);
	OFFSET(omx_status_t, code, 0);
	OFFSET(omx_status_t, addr, lp64 ? 8 : 4);
	OFFSET(omx_status_t, match_info, lp64 ? 24 : 20);
	OFFSET(omx_status_t, msg_length, lp64 ? 32 : 28);
	OFFSET(omx_status_t, xfer_length, lp64 ? 36 : 32);
	OFFSET(omx_status_t, context, lp64 ? 40 : 36);
	SIZE(mx_status_t, lp64 ? 48 : 40);
	OFFSET(mx_status_t, code, 0);
	OFFSET(mx_status_t, source, lp64 ? 8 : 4);
	OFFSET(mx_status_t, match_info, lp64 ? 24 : 20);
	OFFSET(mx_status_t, msg_length, lp64 ? 32 : 28);
	OFFSET(mx_status_t, xfer_length, lp64 ? 36 : 32);
	OFFSET(mx_status_t, context, lp64 ? 40 : 36);

	SIZE(omx_seg_t, lp64 ? 16 : 8);
	OFFSET(omx_seg_t, ptr, 0);
	OFFSET(omx_seg_t, len, lp64 ? 8 : 4);
	SIZE(mx_segment_t, lp64 ? 16 : 8);
	OFFSET(mx_segment_t, segment_ptr, 0);
	OFFSET(mx_segment_t, segment_length, lp64 ? 8 : 4);

	SIZE(omx_endpoint_param_t, lp64 ? 16 : 8);
	OFFSET(omx_endpoint_param_t, key, 0);
	OFFSET(omx_endpoint_param_t, val, lp64 ? 8 : 4);
	OFFSET(omx_endpoint_param_t, val.error_handler, lp64 ? 8 : 4);
	OFFSET(omx_endpoint_param_t, val.unexp_queue_max, lp64 ? 8 : 4);
	OFFSET(omx_endpoint_param_t, val.context_id.bits, lp64 ? 8 : 4);
	OFFSET(omx_endpoint_param_t, val.context_id.shift, lp64 ? 9 : 5);
	SIZE(mx_param_t, lp64 ? 16 : 8);
	OFFSET(mx_param_t, key, 0);
	OFFSET(mx_param_t, val, lp64 ? 8 : 4);
	OFFSET(mx_param_t, val.context_id.bits, lp64 ? 8 : 4);
	OFFSET(mx_param_t, val.context_id.shift, lp64 ? 9 : 5);

	SIZE(mx_mapper_state_t, 36);
	OFFSET(mx_mapper_state_t, board_number, 0);
	OFFSET(mx_mapper_state_t, mapper_mac, 4);
	SIZE(((mx_mapper_state_t *)0)->mapper_mac, 6);
	OFFSET(mx_mapper_state_t, iport, 10);
	OFFSET(mx_mapper_state_t, map_version, 12);
	OFFSET(mx_mapper_state_t, num_hosts, 16);
	OFFSET(mx_mapper_state_t, network_configured, 20);
	OFFSET(mx_mapper_state_t, routes_valid, 24);
	OFFSET(mx_mapper_state_t, level, 28);
	OFFSET(mx_mapper_state_t, flags, 32);
}

#define PROTO(fn, type)	tap_ok(_Generic(&fn, type: 1, default: 0), "prototype of " #fn)

static void test_open_mx_prototypes(void)
{
	typedef omx_endpoint_t ep_t;
	typedef omx_endpoint_addr_t addr_t;
	typedef omx_request_t req_t;
	typedef omx_status_t st_t;
	typedef omx_return_t ret_t;

	PROTO(omx__init_api, ret_t (*)(int));
	PROTO(omx_init, ret_t (*)(void));
	PROTO(omx_finalize, ret_t (*)(void));
	PROTO(omx_strerror, const char *(*)(ret_t));
	PROTO(omx_set_error_handler,
	      omx_error_handler_t (*)(ep_t, omx_error_handler_t));
	PROTO(omx_open_endpoint,
	      ret_t (*)(uint32_t, uint32_t, uint32_t, omx_endpoint_param_t *,
			uint32_t, ep_t *));
	PROTO(omx_close_endpoint, ret_t (*)(ep_t));
	PROTO(omx_wakeup, ret_t (*)(ep_t));
	PROTO(omx_get_endpoint_addr, ret_t (*)(ep_t, addr_t *));
	PROTO(omx_connect,
	      ret_t (*)(ep_t, uint64_t, uint32_t, uint32_t, uint32_t, addr_t *));
	PROTO(omx_iconnect,
	      ret_t (*)(ep_t, uint64_t, uint32_t, uint32_t, uint64_t, void *,
			req_t *));
	PROTO(omx_disconnect, ret_t (*)(ep_t, addr_t));
	PROTO(omx_decompose_endpoint_addr,
	      ret_t (*)(addr_t, uint64_t *, uint32_t *));
	PROTO(omx_decompose_endpoint_addr_with_session,
	      ret_t (*)(addr_t, uint64_t *, uint32_t *, uint32_t *));
	PROTO(omx_set_endpoint_addr_context, ret_t (*)(addr_t, void *));
	PROTO(omx_get_endpoint_addr_context, ret_t (*)(addr_t, void **));
	PROTO(omx_isend,
	      ret_t (*)(ep_t, void *, size_t, addr_t, uint64_t, void *, req_t *));
	PROTO(omx_issend,
	      ret_t (*)(ep_t, void *, size_t, addr_t, uint64_t, void *, req_t *));
	PROTO(omx_isendv,
	      ret_t (*)(ep_t, omx_seg_t *, uint32_t, addr_t, uint64_t, void *,
			req_t *));
	PROTO(omx_issendv,
	      ret_t (*)(ep_t, omx_seg_t *, uint32_t, addr_t, uint64_t, void *,
			req_t *));
	PROTO(omx_irecv,
	      ret_t (*)(ep_t, void *, size_t, uint64_t, uint64_t, void *,
			req_t *));
	PROTO(omx_irecvv,
	      ret_t (*)(ep_t, omx_seg_t *, uint32_t, uint64_t, uint64_t, void *,
			req_t *));
	PROTO(omx_context, ret_t (*)(req_t *, void **));
	PROTO(omx_test, ret_t (*)(ep_t, req_t *, st_t *, uint32_t *));
	PROTO(omx_wait, ret_t (*)(ep_t, req_t *, st_t *, uint32_t *, uint32_t));
	PROTO(omx_test_any,
	      ret_t (*)(ep_t, uint64_t, uint64_t, st_t *, uint32_t *));
	PROTO(omx_wait_any,
	      ret_t (*)(ep_t, uint64_t, uint64_t, st_t *, uint32_t *, uint32_t));
	PROTO(omx_ipeek, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(omx_peek, ret_t (*)(ep_t, req_t *, uint32_t *, uint32_t));
	PROTO(omx_iprobe,
	      ret_t (*)(ep_t, uint64_t, uint64_t, st_t *, uint32_t *));
	PROTO(omx_probe,
	      ret_t (*)(ep_t, uint64_t, uint64_t, st_t *, uint32_t *, uint32_t));
	PROTO(omx_ibuffered, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(omx_cancel, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(omx_cancel_notest, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(omx_forget, ret_t (*)(ep_t, req_t *));
	PROTO(omx_progress, ret_t (*)(ep_t));
	PROTO(omx_disable_progression, ret_t (*)(ep_t));
	PROTO(omx_reenable_progression, ret_t (*)(ep_t));
	PROTO(omx_set_request_timeout, ret_t (*)(ep_t, req_t, uint32_t));
	PROTO(omx_register_unexp_handler,
	      ret_t (*)(ep_t, omx_unexp_handler_t, void *));
	PROTO(omx_board_number_to_nic_id, ret_t (*)(uint32_t, uint64_t *));
	PROTO(omx_nic_id_to_board_number, ret_t (*)(uint64_t, uint32_t *));
	PROTO(omx_hostname_to_nic_id, ret_t (*)(char *, uint64_t *));
	PROTO(omx_nic_id_to_hostname, ret_t (*)(uint64_t, char *));
	PROTO(omx_get_info,
	      ret_t (*)(ep_t, omx_info_key_t, const void *, uint32_t, void *,
			uint32_t));
}

static void test_mx_prototypes(void)
{
	typedef mx_endpoint_t ep_t;
	typedef mx_endpoint_addr_t addr_t;
	typedef mx_request_t req_t;
	typedef mx_status_t st_t;
	typedef mx_return_t ret_t;
	typedef mx_raw_endpoint_t raw_t;

	PROTO(mx__init_api, ret_t (*)(int));
	PROTO(mx_finalize, ret_t (*)(void));
	PROTO(mx_set_error_handler, mx_error_handler_t (*)(mx_error_handler_t));
	PROTO(mx_open_endpoint,
	      ret_t (*)(uint32_t, uint32_t, uint32_t, mx_param_t *, uint32_t,
			ep_t *));
	PROTO(mx_close_endpoint, ret_t (*)(ep_t));
	PROTO(mx_wakeup, ret_t (*)(ep_t));
	PROTO(mx_disable_progression, ret_t (*)(ep_t));
	PROTO(mx_reenable_progression, ret_t (*)(ep_t));
	PROTO(mx_isend,
	      ret_t (*)(ep_t, mx_segment_t *, uint32_t, addr_t, uint64_t,
			void *, req_t *));
	PROTO(mx_issend,
	      ret_t (*)(ep_t, mx_segment_t *, uint32_t, addr_t, uint64_t,
			void *, req_t *));
	PROTO(mx_irecv,
	      ret_t (*)(ep_t, mx_segment_t *, uint32_t, uint64_t, uint64_t,
			void *, req_t *));
	PROTO(mx_cancel, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(mx_test, ret_t (*)(ep_t, req_t *, st_t *, uint32_t *));
	PROTO(mx_wait, ret_t (*)(ep_t, req_t *, uint32_t, st_t *, uint32_t *));
	PROTO(mx_test_any,
	      ret_t (*)(ep_t, uint64_t, uint64_t, st_t *, uint32_t *));
	PROTO(mx_wait_any,
	      ret_t (*)(ep_t, uint32_t, uint64_t, uint64_t, st_t *, uint32_t *));
	PROTO(mx_ipeek, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(mx_peek, ret_t (*)(ep_t, uint32_t, req_t *, uint32_t *));
	PROTO(mx_iprobe,
	      ret_t (*)(ep_t, uint64_t, uint64_t, st_t *, uint32_t *));
	PROTO(mx_probe,
	      ret_t (*)(ep_t, uint32_t, uint64_t, uint64_t, st_t *, uint32_t *));
	PROTO(mx_ibuffered, ret_t (*)(ep_t, req_t *, uint32_t *));
	PROTO(mx_context, ret_t (*)(req_t *, void **));
	PROTO(mx_get_info,
	      ret_t (*)(ep_t, mx_get_info_key_t, void *, uint32_t, void *,
			uint32_t));
	PROTO(mx_hostname_to_nic_id, ret_t (*)(char *, uint64_t *));
	PROTO(mx_board_number_to_nic_id, ret_t (*)(uint32_t, uint64_t *));
	PROTO(mx_nic_id_to_board_number, ret_t (*)(uint64_t, uint32_t *));
	PROTO(mx_nic_id_to_hostname, ret_t (*)(uint64_t, char *));
	PROTO(mx_connect,
	      ret_t (*)(ep_t, uint64_t, uint32_t, uint32_t, uint32_t, addr_t *));
	PROTO(mx_decompose_endpoint_addr,
	      ret_t (*)(addr_t, uint64_t *, uint32_t *));
	PROTO(mx_get_endpoint_addr, ret_t (*)(ep_t, addr_t *));
	PROTO(mx_strerror, const char *(*)(ret_t));
	PROTO(mx_strstatus, const char *(*)(mx_status_code_t));
	PROTO(mx_register_unexp_callback,
	      ret_t (*)(ep_t, mx_matching_callback_t, void *));
	PROTO(mx_iput,
	      ret_t (*)(ep_t, void *, uint32_t, addr_t, uint64_t, void *,
			req_t *));
	PROTO(mx_iget,
	      ret_t (*)(ep_t, void *, uint32_t, addr_t, uint64_t, void *,
			req_t *));
	PROTO(mx_buffered, ret_t (*)(ep_t, req_t *, uint32_t, uint32_t *));

	/* mx_extensions.h */
	PROTO(mx_iconnect,
	      ret_t (*)(ep_t, uint64_t, uint32_t, uint32_t, uint64_t, void *,
			req_t *));
	PROTO(mx_disconnect, ret_t (*)(ep_t, addr_t));
	PROTO(mx_register_unexp_handler,
	      ret_t (*)(ep_t, mx_unexp_handler_t, void *));
	PROTO(mx_forget, ret_t (*)(ep_t, req_t *));
	PROTO(mx_progress, ret_t (*)(ep_t));
	PROTO(mx_set_endpoint_addr_context, ret_t (*)(addr_t, void *));
	PROTO(mx_get_endpoint_addr_context, ret_t (*)(addr_t, void **));
	PROTO(mx_set_request_timeout, ret_t (*)(ep_t, req_t, uint32_t));
	PROTO(mx_decompose_endpoint_addr2,
	      ret_t (*)(addr_t, uint64_t *, uint32_t *, uint32_t *));

	/* mx_raw.h and mx_internals/ */
	PROTO(mx_raw_handle, mx_endpt_handle_t (*)(raw_t));
	PROTO(mx_raw_open_endpoint,
	      ret_t (*)(uint32_t, mx_param_t *, uint32_t, raw_t *));
	PROTO(mx_raw_close_endpoint, ret_t (*)(raw_t));
	PROTO(mx_raw_send,
	      ret_t (*)(raw_t, uint32_t, void *, uint32_t, void *, uint32_t,
			void *));
	PROTO(mx_raw_next_event,
	      ret_t (*)(raw_t, uint32_t *, void **, void *, uint32_t *,
			uint32_t, mx_raw_status_t *));
	PROTO(mx_raw_set_route_begin, ret_t (*)(raw_t));
	PROTO(mx_raw_set_route_end, ret_t (*)(raw_t));
	PROTO(mx_raw_set_route_mag,
	      ret_t (*)(raw_t, uint64_t, void *, uint32_t, uint32_t, uint32_t,
			mx_host_type_t, uint32_t));
	PROTO(mx_raw_set_route,
	      ret_t (*)(raw_t, uint64_t, void *, uint32_t, uint32_t, uint32_t,
			mx_host_type_t));
	PROTO(mx_raw_clear_routes, ret_t (*)(raw_t, uint64_t, uint32_t));
	PROTO(mx_raw_remove_peer, ret_t (*)(raw_t, uint64_t));
	PROTO(mx_raw_set_map_version,
	      ret_t (*)(raw_t, uint32_t, uint64_t, uint32_t, uint32_t, uint32_t));
	PROTO(mx_raw_num_ports, ret_t (*)(raw_t, uint32_t *));
	PROTO(mx_raw_line_speed, ret_t (*)(raw_t, mx_line_speed_t *));
	PROTO(mx_raw_set_hostname, ret_t (*)(raw_t, char *));
	PROTO(mx_raw_set_peer_name, ret_t (*)(raw_t, uint64_t, char *));
	PROTO(mx_raw_set_nic_reply_info, ret_t (*)(raw_t, void *, uint32_t));
	PROTO(mx_open_board, ret_t (*)(int, mx_endpt_handle_t *));
	PROTO(mx__get_mapper_state,
	      ret_t (*)(mx_endpt_handle_t, mx_mapper_state_t *));
}

int main(void)
{
	test_open_mx_constants();
	test_omx_return_codes();
	test_open_mx_enums();
	test_mx_constants();
	test_mx_feature_macros();
	test_mx_return_codes();
	test_mx_status_codes();
	test_mx_enums();
	test_helper_macros();
	test_types();
	test_layouts();
	test_open_mx_prototypes();
	test_mx_prototypes();
	return tap_done();
}
