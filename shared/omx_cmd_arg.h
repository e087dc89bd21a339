/* SPDX-License-Identifier: MIT */
/*
 * omx_cmd_arg.h - every argument a /dev/open-mx command may carry, as one
 * union: what the engine's and the frontend's ioctl handlers copy in
 * before looking at any field, and what the engine's command code
 * (omx_cmd_control, omx_cmd_endpoint) reads and answers in.
 *
 * A guest's requests carry a different form (xen2mx_omx_arg.h: ring
 * sizes, grant references instead of user addresses); xen2mx-back
 * translates them into this one.
 */
#ifndef OMX_CMD_ARG_H
#define OMX_CMD_ARG_H

#include "omx_abi.h"

union omx_cmd_arg {
	struct omx_cmd_get_info info;
	struct omx_cmd_board_info board;
	struct omx_cmd_counters counters;	/* the largest */
	struct omx_cmd_peer peer;
	struct omx_cmd_peer_table_state state;
	struct omx_cmd_set_hostname hostname;
	struct omx_cmd_endpoint_info epinfo;
	struct omx_cmd_open_endpoint open;
	struct omx_cmd_send_tiny tiny;
	struct omx_cmd_send_medium_frag medium;
	struct omx_cmd_send_rndv rndv;
	struct omx_cmd_send_notify notify;
	struct omx_cmd_send_connect connect;
	struct omx_cmd_send_liback liback;
	struct omx_cmd_create_region region;
	struct omx_cmd_destroy_region destroy;
	struct omx_cmd_pull pull;
	struct omx_cmd_wait_event wait;
	struct omx_cmd_raw_open raw_open;
	struct omx_cmd_raw_send raw_send;
	struct omx_cmd_raw_recv raw_recv;
};

#endif /* OMX_CMD_ARG_H */
