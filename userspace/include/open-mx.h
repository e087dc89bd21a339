/* SPDX-License-Identifier: MIT */
/*
 * open-mx.h - the native Open-MX programming interface of libopen-mx.
 *
 * Source-compatible with Open-MX 1.5: every name, value and structure
 * layout below is the one Open-MX 1.5 applications were built against.
 * The MX interface (myriexpress.h) is layered on these same calls and
 * relies on omx_status_t, omx_seg_t and omx_endpoint_param_t having the
 * same layouts as their MX counterparts.
 *
 * Conventions of the whole API:
 *  - every call returns an omx_return_t; failures also go through the
 *    error handler (omx_set_error_handler), which by default exits;
 *  - blocking calls take a timeout in milliseconds, OMX_TIMEOUT_INFINITE
 *    for none;
 *  - a request handle passed as NULL means "forget it": the request frees
 *    itself when done; completed, cancelled or forgotten handles are set
 *    to NULL.
 */
#ifndef OPEN_MX_H
#define OPEN_MX_H

#include <stdint.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------
 * Versions and limits
 */

/* Interface version passed to omx__init_api(); the major part (0x3) must
 * match the library's. */
#define OMX_API				0x301

/* Size of an omx_endpoint_addr_t, in bytes. */
#define OMX_SIZEOF_ADDR			16

/* Wildcards of omx_open_endpoint(): any attached board, any free endpoint. */
#define OMX_ANY_NIC			0xffffffffU
#define OMX_ANY_ENDPOINT		0xffffffffU

/* At most 2^16 context ids may be carved out of the match space. */
#define OMX_ENDPOINT_CONTEXT_ID_BITS_MAX	16

/* Maximal segment count of the vector calls. */
#define OMX_MAX_SEGMENTS		256

/* "No timeout" for the blocking calls. */
#define OMX_TIMEOUT_INFINITE		((uint32_t) -1)

/* Hostname buffer size, NUL included (omx_nic_id_to_hostname writes
 * exactly this many bytes). */
#define OMX_HOSTNAMELEN_MAX		80

/* "xx:xx:xx:xx:xx:xx" plus NUL. */
#define OMX_BOARD_ADDR_STRLEN		18

/* ------------------------------------------------------------------------
 * Handles and addresses
 */

/* An open endpoint (opaque). */
typedef struct omx_endpoint *omx_endpoint_t;

/* A posted send, receive or connect (opaque). */
typedef union omx_request *omx_request_t;

/*
 * Address of a remote endpoint, obtained from omx_connect(),
 * omx_iconnect() or the status of a received message.  Opaque and passed
 * by value; it stays valid until omx_disconnect() or a peer reset.
 */
typedef struct omx_endpoint_addr {
	uint64_t data[OMX_SIZEOF_ADDR / sizeof(uint64_t)];
} omx_endpoint_addr_t;

/* ------------------------------------------------------------------------
 * Return and status codes: one type serves both.  The numbering has gaps
 * (2, 10, 11, ...) that keep each code equal to its MX counterpart.
 */
typedef enum omx_return {
	OMX_SUCCESS = 0,
	OMX_BAD_ERROR = 1,
	OMX_ALREADY_INITIALIZED = 3,
	OMX_NOT_INITIALIZED = 4,
	OMX_NO_DEVICE_FILE = 5,
	OMX_NO_DRIVER = 6,
	OMX_ACCESS_DENIED = 7,
	OMX_BOARD_NOT_FOUND = 8,
	OMX_BAD_ENDPOINT = 9,
	OMX_SEGMENTS_BAD_COUNT = 12,
	OMX_BAD_REQUEST = 13,
	OMX_BAD_MATCH_MASK = 14,
	OMX_NO_RESOURCES = 15,
	OMX_BUSY = 20,
	OMX_BAD_INFO_KEY = 21,
	OMX_BAD_INFO_ADDRESS = 22,
	OMX_ENDPOINT_PARAMS_BAD_LIST = 24,
	OMX_ENDPOINT_PARAM_BAD_KEY = 25,
	OMX_ENDPOINT_PARAM_BAD_VALUE = 26,
	OMX_PEER_NOT_FOUND = 28,
	OMX_TIMEOUT = 30,
	OMX_REMOTE_ENDPOINT_BAD_ID = 32,
	OMX_REMOTE_ENDPOINT_CLOSED = 33,
	OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY = 34,
	OMX_BAD_INFO_LENGTH = 35,
	OMX_NIC_ID_NOT_FOUND = 36,
	OMX_BAD_KERNEL_ABI = 37,
	OMX_BAD_LIB_ABI = 38,
	OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK = 42,
	/* 90..99: only ever seen as request status codes (or by handlers) */
	OMX_CANCELLED = 90,
	OMX_REMOTE_RDMA_WINDOW_BAD_ID = 91,
	OMX_REMOTE_ENDPOINT_UNREACHABLE = 92,
	OMX_REMOTE_ENDPOINT_BAD_SESSION = 93,
	OMX_MESSAGE_ABORTED = 94,
	OMX_MESSAGE_TRUNCATED = 95,
	OMX_NOT_SUPPORTED_IN_HANDLER = 96,
	OMX_NO_SYSTEM_RESOURCES = 97,
	OMX_NOT_IMPLEMENTED = 99,
	OMX_RETURN_CODE_MAX = 100,
} omx_return_t;

/*
 * Completion status of a request.  Same layout as mx_status_t (the MX
 * layer converts only `code`).  For a receive: sender's address, the
 * message's match info, the sender's length and the bytes stored.
 */
typedef struct omx_status {
	enum omx_return code;
	omx_endpoint_addr_t addr;
	uint64_t match_info;
	uint32_t msg_length;
	uint32_t xfer_length;
	void *context;
} omx_status_t;

/* ------------------------------------------------------------------------
 * Error handlers
 *
 * Every failing call and every request completing with an error passes
 * (message, code) to the handler; what the handler returns is what the
 * call returns or what the status holds.
 */
typedef omx_return_t (*omx_error_handler_t)(char *str, omx_return_t ret);

/* Print "<prefix><message>: <error string>" and exit(-1). */
extern const omx_error_handler_t OMX_ERRORS_ARE_FATAL;
/* Return the code unchanged. */
extern const omx_error_handler_t OMX_ERRORS_RETURN;

/* ------------------------------------------------------------------------
 * Endpoint parameters (omx_open_endpoint)
 */
typedef enum omx_endpoint_param_key {
	OMX_ENDPOINT_PARAM_ERROR_HANDLER = 0,	/* val.error_handler */
	OMX_ENDPOINT_PARAM_UNEXP_QUEUE_MAX = 1,	/* val.unexp_queue_max (ignored) */
	OMX_ENDPOINT_PARAM_CONTEXT_ID = 2,	/* val.context_id */
} omx_endpoint_param_key_t;

typedef struct {
	omx_endpoint_param_key_t key;
	union {
		omx_error_handler_t error_handler;
		uint32_t unexp_queue_max;
		/* match bits [shift, shift+bits) select one of 2^bits queues */
		struct {
			uint8_t bits;
			uint8_t shift;
		} context_id;
	} val;
} omx_endpoint_param_t;

/* ------------------------------------------------------------------------
 * Segments of the vector calls (same layout as mx_segment_t)
 */
typedef void *omx_seg_ptr_t;

typedef struct omx_seg {
	omx_seg_ptr_t ptr;
	uint32_t len;
} omx_seg_t;

/* ------------------------------------------------------------------------
 * Unexpected-message handler
 */
typedef enum omx_unexp_handler_action {
	/* match again against posted receives, else queue as unexpected */
	OMX_UNEXP_HANDLER_RECV_CONTINUE = 0,
	/* the handler consumed the message: drop it */
	OMX_UNEXP_HANDLER_RECV_FINISHED = 1,
} omx_unexp_handler_action_t;

/* data_if_available points to the whole payload for messages that arrived
 * in one piece, NULL otherwise; it is valid only during the call. */
typedef omx_unexp_handler_action_t (*omx_unexp_handler_t)(void *context,
		omx_endpoint_addr_t source, uint64_t match_info,
		uint32_t msg_length, void *data_if_available);

/* ------------------------------------------------------------------------
 * omx_get_info() keys
 */
typedef enum omx_info_key {
	OMX_INFO_BOARD_MAX = 0,		/* uint32_t */
	OMX_INFO_ENDPOINT_MAX = 1,	/* uint32_t, per board */
	OMX_INFO_BOARD_COUNT = 2,	/* uint32_t, attached now */
	OMX_INFO_BOARD_IDS = 3,		/* uint64_t[count + 1], 0-terminated */
	OMX_INFO_BOARD_HOSTNAME = 4,	/* string */
	OMX_INFO_BOARD_IFACENAME = 5,	/* string */
	OMX_INFO_BOARD_NUMA_NODE = 6,	/* uint32_t, (uint32_t)-1 if unknown */
	OMX_INFO_COUNTER_MAX = 7,	/* uint32_t */
	OMX_INFO_COUNTER_VALUES = 8,	/* uint32_t[counter max] */
	OMX_INFO_COUNTER_LABEL = 9,	/* string; in_val: uint8_t index */
} omx_info_key_t;

/* ------------------------------------------------------------------------
 * Initialisation and errors
 */
omx_return_t omx__init_api(int api);

/* Open the driver and set up the library; call once before anything. */
static inline omx_return_t omx_init(void)
{
	return omx__init_api(OMX_API);
}

omx_return_t omx_finalize(void);

const char *omx_strerror(omx_return_t ret);

/* ep == NULL: the global handler.  Returns the previous one. */
omx_error_handler_t omx_set_error_handler(omx_endpoint_t ep,
					  omx_error_handler_t handler);

/* ------------------------------------------------------------------------
 * Endpoints, addresses, connections
 */
omx_return_t omx_open_endpoint(uint32_t board_index, uint32_t endpoint_index,
			       uint32_t key, omx_endpoint_param_t *param_array,
			       uint32_t param_count, omx_endpoint_t *epp);
omx_return_t omx_close_endpoint(omx_endpoint_t ep);

omx_return_t omx_get_endpoint_addr(omx_endpoint_t endpoint,
				   omx_endpoint_addr_t *endpoint_addr);
omx_return_t omx_decompose_endpoint_addr(omx_endpoint_addr_t endpoint_addr,
					 uint64_t *nic_id,
					 uint32_t *endpoint_id);
omx_return_t omx_decompose_endpoint_addr_with_session(
		omx_endpoint_addr_t endpoint_addr, uint64_t *nic_id,
		uint32_t *endpoint_id, uint32_t *session_id);
omx_return_t omx_set_endpoint_addr_context(omx_endpoint_addr_t endpoint_addr,
					   void *context);
omx_return_t omx_get_endpoint_addr_context(omx_endpoint_addr_t endpoint_addr,
					   void **context);

omx_return_t omx_connect(omx_endpoint_t endpoint, uint64_t nic_id,
			 uint32_t endpoint_id, uint32_t key, uint32_t timeout,
			 omx_endpoint_addr_t *addr);
omx_return_t omx_iconnect(omx_endpoint_t ep, uint64_t nic_id,
			  uint32_t endpoint_id, uint32_t key,
			  uint64_t match_info, void *context,
			  omx_request_t *request);
omx_return_t omx_disconnect(omx_endpoint_t ep, omx_endpoint_addr_t addr);

/* ------------------------------------------------------------------------
 * Sending and receiving (never block)
 */
omx_return_t omx_isend(omx_endpoint_t ep, void *buffer, size_t length,
		       omx_endpoint_addr_t dest_endpoint, uint64_t match_info,
		       void *context, omx_request_t *request);
omx_return_t omx_isendv(omx_endpoint_t ep, omx_seg_t *segs, uint32_t nseg,
			omx_endpoint_addr_t dest_endpoint, uint64_t match_info,
			void *context, omx_request_t *request);
/* Synchronous: completion means the receiver matched and took the data. */
omx_return_t omx_issend(omx_endpoint_t ep, void *buffer, size_t length,
			omx_endpoint_addr_t dest_endpoint, uint64_t match_info,
			void *context, omx_request_t *request);
omx_return_t omx_issendv(omx_endpoint_t ep, omx_seg_t *segs, uint32_t nseg,
			 omx_endpoint_addr_t dest_endpoint,
			 uint64_t match_info, void *context,
			 omx_request_t *request);
omx_return_t omx_irecv(omx_endpoint_t ep, void *buffer, size_t length,
		       uint64_t match_info, uint64_t match_mask,
		       void *context, omx_request_t *request);
omx_return_t omx_irecvv(omx_endpoint_t ep, omx_seg_t *segs, uint32_t nseg,
			uint64_t match_info, uint64_t match_mask,
			void *context, omx_request_t *request);

omx_return_t omx_context(omx_request_t *request, void **context);

/* ------------------------------------------------------------------------
 * Completion.  *result is 1 when something completed or was found; a
 * blocking call that times out returns OMX_SUCCESS with *result == 0.
 */
omx_return_t omx_test(omx_endpoint_t ep, omx_request_t *request,
		      omx_status_t *status, uint32_t *result);
omx_return_t omx_wait(omx_endpoint_t ep, omx_request_t *request,
		      omx_status_t *status, uint32_t *result,
		      uint32_t timeout);
omx_return_t omx_test_any(omx_endpoint_t ep, uint64_t match_info,
			  uint64_t match_mask, omx_status_t *status,
			  uint32_t *result);
omx_return_t omx_wait_any(omx_endpoint_t ep, uint64_t match_info,
			  uint64_t match_mask, omx_status_t *status,
			  uint32_t *result, uint32_t timeout);
omx_return_t omx_ipeek(omx_endpoint_t ep, omx_request_t *request,
		       uint32_t *result);
omx_return_t omx_peek(omx_endpoint_t ep, omx_request_t *request,
		      uint32_t *result, uint32_t timeout);
omx_return_t omx_iprobe(omx_endpoint_t ep, uint64_t match_info,
			uint64_t match_mask, omx_status_t *status,
			uint32_t *result);
omx_return_t omx_probe(omx_endpoint_t ep, uint64_t match_info,
		       uint64_t match_mask, omx_status_t *status,
		       uint32_t *result, uint32_t timeout);
omx_return_t omx_ibuffered(omx_endpoint_t ep, omx_request_t *request,
			   uint32_t *result);
omx_return_t omx_cancel(omx_endpoint_t ep, omx_request_t *request,
			uint32_t *result);
/* Like omx_cancel, but the request completes with OMX_CANCELLED. */
omx_return_t omx_cancel_notest(omx_endpoint_t ep, omx_request_t *request,
			       uint32_t *result);
omx_return_t omx_forget(omx_endpoint_t ep, omx_request_t *request);

/* ------------------------------------------------------------------------
 * Progression, wakeup, timeouts, unexpected handler
 */
omx_return_t omx_progress(omx_endpoint_t ep);
omx_return_t omx_disable_progression(omx_endpoint_t ep);
omx_return_t omx_reenable_progression(omx_endpoint_t ep);
omx_return_t omx_wakeup(omx_endpoint_t ep);
/* request == NULL: the endpoint's default for later requests. */
omx_return_t omx_set_request_timeout(omx_endpoint_t endpoint,
				     omx_request_t request,
				     uint32_t milliseconds);
omx_return_t omx_register_unexp_handler(omx_endpoint_t ep,
					omx_unexp_handler_t handler,
					void *context);

/* ------------------------------------------------------------------------
 * Boards, NIC ids (MAC in bits 47..0), hostnames, information
 */
omx_return_t omx_board_number_to_nic_id(uint32_t board_number,
					uint64_t *nic_id);
omx_return_t omx_nic_id_to_board_number(uint64_t nic_id,
					uint32_t *board_number);
omx_return_t omx_hostname_to_nic_id(char *hostname, uint64_t *board_addr);
/* hostname must hold OMX_HOSTNAMELEN_MAX bytes. */
omx_return_t omx_nic_id_to_hostname(uint64_t board_addr, char *hostname);
omx_return_t omx_get_info(omx_endpoint_t ep, omx_info_key_t key,
			  const void *in_val, uint32_t in_len,
			  void *out_val, uint32_t out_len);

#ifdef __cplusplus
}
#endif

#endif /* OPEN_MX_H */
