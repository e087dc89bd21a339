/* SPDX-License-Identifier: MIT */
/*
 * omx_strerror.c - the message of every omx_return_t.
 *
 * The strings are Open-MX 1.5's, word for word: programs and scripts
 * compare them, and the MX layer reuses them for mx_strerror().
 */
#include <stdio.h>

#include "open-mx.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

OMX_EXPORT const char *omx_strerror(omx_return_t ret)
{
	switch (ret) {
	case OMX_SUCCESS:
		return "Success";
	case OMX_BAD_ERROR:
		return "Bad error";
	case OMX_ALREADY_INITIALIZED:
		return "Already initialized";
	case OMX_NOT_INITIALIZED:
		return "Not initialized";
	case OMX_NO_DEVICE_FILE:
		return "No device file";
	case OMX_NO_DRIVER:
		return "Unusable device file (driver loaded?)";
	case OMX_ACCESS_DENIED:
		return "Access denied";
	case OMX_BOARD_NOT_FOUND:
		return "Board Not Found";
	case OMX_BAD_ENDPOINT:
		return "Bad Endpoint";
	case OMX_SEGMENTS_BAD_COUNT:
		return "Multiple Segments Count Invalid";
	case OMX_BAD_REQUEST:
		return "This Function cannot be applied to this Request";
	case OMX_BAD_MATCH_MASK:
		return "Bad match mask.";
	case OMX_NO_RESOURCES:
		return "No resources available";
	case OMX_BUSY:
		return "Resource Busy";
	case OMX_BAD_INFO_KEY:
		return "Bad Info Key";
	case OMX_BAD_INFO_ADDRESS:
		return "Bad Info Value Address";
	case OMX_ENDPOINT_PARAMS_BAD_LIST:
		return "Bad Endpoint Parameter List";
	case OMX_ENDPOINT_PARAM_BAD_KEY:
		return "Bad Endpoint Parameter Key";
	case OMX_ENDPOINT_PARAM_BAD_VALUE:
		return "Bad Endpoint Parameter Value";
	case OMX_PEER_NOT_FOUND:
		return "Peer Not Found in the Table";
	case OMX_TIMEOUT:
		return "Command Timeout";
	case OMX_REMOTE_ENDPOINT_BAD_ID:
		return "Remote Endpoint Id is Wrong";
	case OMX_REMOTE_ENDPOINT_CLOSED:
		return "Remote Endpoint is Closed";
	case OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY:
		return "Connection Key to Remote Endpoint is Invalid";
	case OMX_BAD_INFO_LENGTH:
		return "Bad Info Value Length";
	case OMX_NIC_ID_NOT_FOUND:
		return "Nic ID not Found in Peer Table";
	case OMX_BAD_KERNEL_ABI:
		return "Kernel ABI too old, did you rebuild/reload the new driver?";
	case OMX_BAD_LIB_ABI:
		return "Library ABI too old, did you relink your program with the new library?";
	case OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK:
		return "Matching info does not respect context id mask";
	case OMX_CANCELLED:
		return "Cancelled";
	case OMX_REMOTE_RDMA_WINDOW_BAD_ID:
		return "Remote Window Id is Invalid";
	case OMX_REMOTE_ENDPOINT_UNREACHABLE:
		return "Remote Endpoint Unreachable";
	case OMX_REMOTE_ENDPOINT_BAD_SESSION:
		return "Wrong Remote Endpoint Session";
	case OMX_MESSAGE_ABORTED:
		return "Message Aborted";
	case OMX_MESSAGE_TRUNCATED:
		return "Message Truncated";
	case OMX_NOT_SUPPORTED_IN_HANDLER:
		return "Operation not supported in the handler";
	case OMX_NO_SYSTEM_RESOURCES:
		return "No resources available in the system";
	case OMX_NOT_IMPLEMENTED:
		return "Not implemented";
	case OMX_RETURN_CODE_MAX:
		return "Maximum return code";
	}

	/* Not a switch default: -Wswitch then flags a code added to the enum
	 * without its string. */
	fprintf(stderr, "%somx_strerror: unknown return code %d\n",
		omx__message_prefix(), (int)ret);
	return "Unknown Return Code";
}
