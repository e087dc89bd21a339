/* SPDX-License-Identifier: MIT */
/*
 * mx_codes.c - Open-MX <-> MX code tables, and the MX error strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mx_codes.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

struct omx_mx_return_pair {
	omx_return_t omx;
	mx_return_t mx;
};

/*
 * Return codes.  Lookups take the first pair that matches, so a pair
 * listed after another with the same Open-MX code only works backwards:
 * MX_CANCEL_NOT_SUPPORTED reads as OMX_BAD_REQUEST, while
 * OMX_BAD_REQUEST always becomes MX_BAD_REQUEST (cancelling a send).
 */
static const struct omx_mx_return_pair omx_mx_returns[] = {
	{ OMX_SUCCESS, MX_SUCCESS },
	{ OMX_BAD_ERROR, MX_BAD_BAD_BAD },
	{ OMX_ALREADY_INITIALIZED, MX_ALREADY_INITIALIZED },
	{ OMX_NOT_INITIALIZED, MX_NOT_INITIALIZED },
	{ OMX_NO_DEVICE_FILE, MX_NO_DEV },
	{ OMX_NO_DRIVER, MX_NO_DRIVER },
	{ OMX_ACCESS_DENIED, MX_NO_PERM },
	{ OMX_BOARD_NOT_FOUND, MX_BOARD_UNKNOWN },
	{ OMX_BAD_ENDPOINT, MX_BAD_ENDPOINT },
	{ OMX_SEGMENTS_BAD_COUNT, MX_BAD_SEG_CNT },
	{ OMX_BAD_REQUEST, MX_BAD_REQUEST },
	{ OMX_BAD_REQUEST, MX_CANCEL_NOT_SUPPORTED },
	{ OMX_BAD_MATCH_MASK, MX_BAD_MATCH_MASK },
	{ OMX_NO_RESOURCES, MX_NO_RESOURCES },
	{ OMX_BUSY, MX_BUSY },
	{ OMX_BAD_INFO_KEY, MX_BAD_INFO_KEY },
	{ OMX_BAD_INFO_ADDRESS, MX_BAD_INFO_VAL },
	{ OMX_ENDPOINT_PARAMS_BAD_LIST, MX_BAD_PARAM_LIST },
	{ OMX_ENDPOINT_PARAM_BAD_KEY, MX_BAD_PARAM_NAME },
	{ OMX_ENDPOINT_PARAM_BAD_VALUE, MX_BAD_PARAM_VAL },
	{ OMX_PEER_NOT_FOUND, MX_HOST_NOT_FOUND },
	{ OMX_TIMEOUT, MX_TIMEOUT },
	{ OMX_REMOTE_ENDPOINT_BAD_ID, MX_BAD_ENDPOINT_ID },
	{ OMX_REMOTE_ENDPOINT_CLOSED, MX_CONNECTION_FAILED },
	{ OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, MX_BAD_CONNECTION_KEY },
	{ OMX_BAD_INFO_LENGTH, MX_BAD_INFO_LENGTH },
	{ OMX_NIC_ID_NOT_FOUND, MX_NIC_NOT_FOUND },
	{ OMX_BAD_KERNEL_ABI, MX_BAD_KERNEL_VERSION },
	{ OMX_BAD_LIB_ABI, MX_BAD_LIB_VERSION },
	{ OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK },
	{ OMX_NOT_SUPPORTED_IN_HANDLER, MX_CLOSE_IN_HANDLER },
};

struct omx_mx_status_pair {
	omx_return_t omx;
	mx_status_code_t mx;
};

static const struct omx_mx_status_pair omx_mx_statuses[] = {
	{ OMX_SUCCESS, MX_STATUS_SUCCESS },
	{ OMX_TIMEOUT, MX_STATUS_TIMEOUT },
	{ OMX_MESSAGE_TRUNCATED, MX_STATUS_TRUNCATED },
	{ OMX_CANCELLED, MX_STATUS_CANCELLED },
	{ OMX_REMOTE_ENDPOINT_CLOSED, MX_STATUS_ENDPOINT_CLOSED },
	{ OMX_REMOTE_ENDPOINT_UNREACHABLE, MX_STATUS_ENDPOINT_UNREACHABLE },
	{ OMX_REMOTE_ENDPOINT_BAD_SESSION, MX_STATUS_BAD_SESSION },
	{ OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, MX_STATUS_BAD_KEY },
	{ OMX_REMOTE_ENDPOINT_BAD_ID, MX_STATUS_BAD_ENDPOINT },
	{ OMX_REMOTE_RDMA_WINDOW_BAD_ID, MX_STATUS_BAD_RDMAWIN },
	{ OMX_MESSAGE_ABORTED, MX_STATUS_ABORTED },
	{ OMX_NO_RESOURCES, MX_STATUS_NO_RESOURCES },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

bool omx__mx_return_lookup(omx_return_t ret, mx_return_t *mx_ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(omx_mx_returns); i++)
		if (omx_mx_returns[i].omx == ret) {
			*mx_ret = omx_mx_returns[i].mx;
			return true;
		}
	return false;
}

bool omx__omx_return_lookup(mx_return_t mx_ret, omx_return_t *ret)
{
	for (size_t i = 0; i < ARRAY_SIZE(omx_mx_returns); i++)
		if (omx_mx_returns[i].mx == mx_ret) {
			*ret = omx_mx_returns[i].omx;
			return true;
		}
	return false;
}

bool omx__mx_status_lookup(omx_return_t code, mx_status_code_t *mx_code)
{
	for (size_t i = 0; i < ARRAY_SIZE(omx_mx_statuses); i++)
		if (omx_mx_statuses[i].omx == code) {
			*mx_code = omx_mx_statuses[i].mx;
			return true;
		}
	return false;
}

bool omx__omx_status_lookup(mx_status_code_t mx_code, omx_return_t *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(omx_mx_statuses); i++)
		if (omx_mx_statuses[i].mx == mx_code) {
			*code = omx_mx_statuses[i].omx;
			return true;
		}
	return false;
}

static void omx_mx_untranslatable(const char *what, omx_return_t code)
	__attribute__((noreturn));
static void omx_mx_untranslatable(const char *what, omx_return_t code)
{
	fprintf(stderr, "%sOpen-MX %s %d (%s) has no MX equivalent, aborting\n",
		omx__message_prefix(), what, (int)code, omx_strerror(code));
	abort();
}

mx_return_t omx__mx_return(omx_return_t ret)
{
	mx_return_t mx_ret;

	if (!omx__mx_return_lookup(ret, &mx_ret))
		omx_mx_untranslatable("return code", ret);
	return mx_ret;
}

mx_status_code_t omx__mx_status(omx_return_t code)
{
	mx_status_code_t mx_code;

	if (!omx__mx_status_lookup(code, &mx_code))
		omx_mx_untranslatable("status code", code);
	return mx_code;
}

mx_return_t omx__mx_return_for_handler(omx_return_t ret)
{
	mx_return_t mx_ret;

	return omx__mx_return_lookup(ret, &mx_ret) ? mx_ret : (mx_return_t)ret;
}

omx_return_t omx__omx_return_from_handler(mx_return_t mx_ret)
{
	omx_return_t ret;

	return omx__omx_return_lookup(mx_ret, &ret) ? ret : (omx_return_t)mx_ret;
}

void omx__mx_status_from_omx(mx_status_t *mx_status, const omx_status_t *status)
{
	mx_status->code = omx__mx_status(status->code);
	_Static_assert(sizeof(mx_status->source) == sizeof(status->addr),
		       "MX and Open-MX addresses differ in size");
	memcpy(&mx_status->source, &status->addr, sizeof(mx_status->source));
	mx_status->match_info = status->match_info;
	mx_status->msg_length = status->msg_length;
	mx_status->xfer_length = status->xfer_length;
	mx_status->context = status->context;
}

/* ------------------------------------------------------------------------
 * Strings.  Codes Open-MX shares with MX read as Open-MX's strings; the
 * ones MX alone defines (never produced by this library, but a program
 * may still print them) get their own instead of killing the process
 * as Open-MX 1.5 did (doc/api-differences.md).
 */
static const char *mx_only_return_string(mx_return_t mx_ret)
{
	switch (mx_ret) {
	case MX_FAILURE:
		return "Failure";
	case MX_BAD_SEG_LIST:
		return "Bad Segment List";
	case MX_BAD_SEG_MEM:
		return "Bad Segment Memory";
	case MX_BAD_ADDR_LIST:
		return "Bad Address List";
	case MX_BAD_ADDR_COUNT:
		return "Bad Address Count";
	case MX_BAD_ROOT:
		return "Bad Root";
	case MX_NOT_COMPLETED:
		return "Not Completed";
	case MX_BAD_NIC:
		return "Bad NIC";
	case MX_BAD_HOSTNAME_ARGS:
		return "Bad Hostname Arguments";
	case MX_REQUEST_PENDING:
		return "Request Pending";
	case MX_NO_MATCH:
		return "No Match";
	case MX_NIC_DEAD:
		return "NIC Dead";
	case MX_NOT_SUPPORTED_WITH_CONTEXT_ID:
		return "Not Supported with Context Id";
	default:
		return NULL;
	}
}

static const char *mx_only_status_string(mx_status_code_t mx_code)
{
	switch (mx_code) {
	case MX_STATUS_PENDING:
		return "Pending";
	case MX_STATUS_BUFFERED:
		return "Buffered";
	case MX_STATUS_REJECTED:
		return "Rejected";
	case MX_STATUS_ENDPOINT_UNKNOWN:
		return "Endpoint Unknown";
	case MX_STATUS_EVENTQ_FULL:
		return "Event Queue Full";
	default:
		return NULL;
	}
}

OMX_EXPORT const char *mx_strerror(mx_return_t return_code)
{
	omx_return_t ret;
	const char *str;

	if (omx__omx_return_lookup(return_code, &ret))
		return omx_strerror(ret);
	str = mx_only_return_string(return_code);
	if (str)
		return str;
	fprintf(stderr, "%smx_strerror: unknown return code %d\n",
		omx__message_prefix(), (int)return_code);
	return "Unknown Return Code";
}

OMX_EXPORT const char *mx_strstatus(mx_status_code_t status)
{
	omx_return_t code;
	const char *str;

	if (omx__omx_status_lookup(status, &code))
		return omx_strerror(code);
	str = mx_only_status_string(status);
	if (str)
		return str;
	fprintf(stderr, "%smx_strstatus: unknown status code %d\n",
		omx__message_prefix(), (int)status);
	return "Unknown Status Code";
}
