/* SPDX-License-Identifier: MIT */
/*
 * xen2mx_omx_arg.h - every argument an XEN2MX_OP_OMX request may carry,
 * as one union of XEN2MX_OMX_ARG_MAX octets.
 *
 * The backend copies a request's argument into it before looking at any
 * field (a guest may rewrite its slot at any time); the rogue frontend of
 * the test bed builds its fuzzed arguments in it.  One definition, so that
 * a command added to the protocol is added to both.
 */
#ifndef XEN2MX_OMX_ARG_H
#define XEN2MX_OMX_ARG_H

#include "omx_abi.h"
#include "xen2mx_proto.h"

union xen2mx_omx_arg {
	struct omx_cmd_get_info info;
	struct omx_cmd_board_info board;
	struct xen2mx_omx_counters counters;
	struct omx_cmd_peer peer;
	struct omx_cmd_peer_table_state state;
	struct omx_cmd_set_hostname hostname;
	struct omx_cmd_endpoint_info epinfo;
	struct xen2mx_omx_open open;
	struct omx_cmd_send_tiny tiny;
	struct omx_cmd_send_medium_frag medium;
	struct omx_cmd_send_rndv rndv;
	struct omx_cmd_send_notify notify;
	struct omx_cmd_send_connect connect;
	struct omx_cmd_send_liback liback;
	struct xen2mx_omx_region region;
	struct omx_cmd_destroy_region destroy;
	struct omx_cmd_pull pull;
	struct xen2mx_omx_pieces pieces;
	uint8_t raw[XEN2MX_OMX_ARG_MAX];
};

XEN2MX_STATIC_ASSERT(sizeof(union xen2mx_omx_arg) == XEN2MX_OMX_ARG_MAX,
		     "every OMX argument fits a request slot");

#endif /* XEN2MX_OMX_ARG_H */
