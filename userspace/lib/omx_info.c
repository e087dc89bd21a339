/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_info.c - boards, NIC ids, hostnames and omx_get_info() (mx-api.md
 * 3.5, 4.8), all answered by the driver's control commands.
 *
 * Differs from Open-MX 1.5.4 on purpose: OMX_INFO_BOARD_IDS fills the
 * array it promises (1.5.4 returned success without writing anything).
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <string.h>

#include "omx_lib.h"

/* Driver counter labels, in index order (openmx-wire.md 8.1). */
static const char *const counter_labels[] = {
	"Send Tiny",
	"Send Small",
	"Send MediumSQ Frag",
	"Send MediumVA Frag",
	"Send Rndv",
	"Send Notify",
	"Send Connect Request",
	"Send Connect Reply",
	"Send LibAck",
	"Send Nack Lib",
	"Send Nack MCP",
	"Send Pull Request",
	"Send Pull Reply",
	"Send Raw",
	"Send Host Query",
	"Send Host Reply",
	"Recv Tiny",
	"Recv Small",
	"Recv Medium Frag",
	"Recv Rndv",
	"Recv Notify",
	"Recv Connect Request",
	"Recv Connect Reply",
	"Recv LibAck",
	"Recv Nack Lib",
	"Recv Nack MCP",
	"Recv Pull Request",
	"Recv Pull Reply",
	"Recv Raw",
	"Recv Host Query",
	"Recv Host Reply",
	"DMA Recv Medium Frag",
	"DMA Recv Medium Frag Only Partial",
	"DMA Recv Pull Reply",
	"DMA Recv Pull Reply Only Partial",
	"DMA Recv Pull Reply with Deferred Wait",
	"Recv Open-MX Header as Non-Linear",
	"Expected Event Queue Full",
	"Unexpected Event Queue Full",
	"Send Skbuff Alloc Failed",
	"Send Medium Deferred Event Alloc Failed",
	"MediumSQ Frag Sent as Linear",
	"Pull Non-First Block Done before First One",
	"Pull Request for Not Only the First Block at Once",
	"Pull Timeout Handler Requests First Block",
	"Pull Timeout Handler Requests Non-First Block",
	"Pull Timeout Abort",
	"Pull Reply Sent as Linear",
	"Pull Reply Recv Fill Pages Failed",
	"Drop Bad Data Length for Headers",
	"Drop Bad Data Length",
	"Drop Bad Skbuff Length",
	"Drop Bad Peer Addr",
	"Drop Bad Peer Index",
	"Drop Bad Endpoint",
	"Drop Bad Session",
	"Drop Pull Bad Number of Replies",
	"Drop Pull Bad Region",
	"Drop Pull Bad Offset or Length",
	"Drop Pull Reply Bad Endpoint in Magic",
	"Drop Pull Reply Bad Wire Handle",
	"Drop Pull Reply Bad Frame SeqNum WrapAround",
	"Drop Pull Reply Bad Frame SeqNum",
	"Drop Pull Reply Duplicate",
	"Drop Nack MCP Bad Endpoint in Magic",
	"Drop Nack MCP Bad Wire Handle",
	"Drop Host Reply with Bad Magic",
	"Drop Raw Queue Full",
	"Drop Raw Packet Too Large",
	"Drop Not Implemented Packet Type",
	"Drop Invalid Packet Type",
	"Drop Unknown Packet Type",
	"Shared Tiny",
	"Shared Small",
	"Shared MediumSQ Frag",
	"Shared MediumVA",
	"Shared Rndv",
	"Shared Notify",
	"Shared Connect Request",
	"Shared Connect Reply",
	"Shared LibAck",
	"Shared Pull",
	"DMA Shared Medium Frag",
	"DMA Shared Large",
	"DMA Shared Large only Partial",
};

#define NCOUNTER_LABELS (sizeof(counter_labels) / sizeof(counter_labels[0]))

static int board_info(uint32_t index, struct omx_cmd_board_info *bi)
{
	memset(bi, 0, sizeof(*bi));
	bi->board_index = index;
	return omx__ioctl(omx__globals.control_fd, OMX_CMD_GET_BOARD_INFO, bi);
}

/* Remember the NIC ids of the attached boards: peers on them are local. */
void omx__boards_refresh(void)
{
	struct omx__globals *g = &omx__globals;
	struct omx_cmd_board_info bi;
	uint32_t i, max = g->info.board_max;
	uint32_t n = 0;

	if (max > sizeof(g->local_board_addrs) / sizeof(g->local_board_addrs[0]))
		max = sizeof(g->local_board_addrs) / sizeof(g->local_board_addrs[0]);
	for (i = 0; i < max; i++)
		if (board_info(i, &bi) == 0)
			g->local_board_addrs[n++] = bi.addr;
	g->nlocal_boards = n;
}

int omx__addr_is_local(uint64_t board_addr)
{
	uint32_t i;

	for (i = 0; i < omx__globals.nlocal_boards; i++)
		if (omx__globals.local_board_addrs[i] == board_addr)
			return 1;
	return 0;
}

OMX_EXPORT omx_return_t omx_board_number_to_nic_id(uint32_t board_number,
						   uint64_t *nic_id)
{
	struct omx_cmd_board_info bi;
	int err;

	if (!omx__globals.initialized)
		return omx__error(NULL, OMX_NOT_INITIALIZED,
				  "Converting board number %u", board_number);
	err = board_info(board_number, &bi);
	if (err < 0)
		return omx__error(NULL, err == -ENODEV || err == -EINVAL ?
				  OMX_BOARD_NOT_FOUND : omx__errno_to_return(-err),
				  "Converting board number %u", board_number);
	*nic_id = bi.addr;
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_nic_id_to_board_number(uint64_t nic_id,
						   uint32_t *board_number)
{
	struct omx_cmd_board_info bi;
	uint32_t i;

	if (!omx__globals.initialized)
		return omx__error(NULL, OMX_NOT_INITIALIZED,
				  "Converting NIC id %012llx",
				  (unsigned long long)nic_id);
	for (i = 0; i < omx__globals.info.board_max; i++) {
		if (board_info(i, &bi) == 0 && bi.addr == nic_id) {
			*board_number = i;
			return OMX_SUCCESS;
		}
	}
	return omx__error(NULL, OMX_BOARD_NOT_FOUND,
			  "Converting NIC id %012llx",
			  (unsigned long long)nic_id);
}

static omx_return_t peer_lookup(unsigned long cmd, struct omx_cmd_peer *peer,
				const char *what)
{
	int err;

	if (!omx__globals.initialized)
		return omx__error(NULL, OMX_NOT_INITIALIZED, "%s", what);
	err = omx__ioctl(omx__globals.control_fd, cmd, peer);
	if (err == -ENOENT || err == -EINVAL)
		return omx__error(NULL, OMX_PEER_NOT_FOUND, "%s", what);
	if (err < 0)
		return omx__error(NULL, omx__errno_to_return(-err), "%s: %s",
				  what, strerror(-err));
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_hostname_to_nic_id(char *hostname,
					       uint64_t *board_addr)
{
	struct omx_cmd_peer peer;
	omx_return_t ret;

	memset(&peer, 0, sizeof(peer));
	strncpy(peer.hostname, hostname, sizeof(peer.hostname) - 1);
	ret = peer_lookup(OMX_CMD_PEER_FROM_HOSTNAME, &peer,
			  "Looking up a peer by hostname");
	if (ret == OMX_SUCCESS)
		*board_addr = peer.addr;
	return ret;
}

OMX_EXPORT omx_return_t omx_nic_id_to_hostname(uint64_t board_addr,
					       char *hostname)
{
	struct omx_cmd_peer peer;
	omx_return_t ret;

	memset(&peer, 0, sizeof(peer));
	peer.addr = board_addr;
	ret = peer_lookup(OMX_CMD_PEER_FROM_ADDR, &peer,
			  "Looking up a peer by NIC id");
	if (ret == OMX_SUCCESS) {
		peer.hostname[OMX_HOSTNAMELEN_MAX - 1] = '\0';
		/* exactly OMX_HOSTNAMELEN_MAX bytes, NUL-padded */
		strncpy(hostname, peer.hostname, OMX_HOSTNAMELEN_MAX);
	}
	return ret;
}

/* The board a per-board key is about: the endpoint's, or *(uint8_t *)in_val. */
static omx_return_t info_board(struct omx_endpoint *ep, const void *in_val,
			       uint32_t in_len, uint32_t *board)
{
	if (ep) {
		*board = ep->board_index;
		return OMX_SUCCESS;
	}
	if (!in_val)
		return omx__error(NULL, OMX_BAD_INFO_ADDRESS,
				  "Getting board info without an endpoint or a board index");
	if (in_len < 1)
		return omx__error(NULL, OMX_BAD_INFO_LENGTH,
				  "Getting board info with an empty board index");
	*board = *(const uint8_t *)in_val;
	return OMX_SUCCESS;
}

static void copy_string(void *out_val, uint32_t out_len, const char *s)
{
	char *out = out_val;

	if (!out_len)
		return;
	strncpy(out, s, out_len);
	out[out_len - 1] = '\0';
}

static omx_return_t info_board_field(struct omx_endpoint *ep,
				     omx_info_key_t key, const void *in_val,
				     uint32_t in_len, void *out_val,
				     uint32_t out_len)
{
	struct omx_cmd_board_info bi;
	uint32_t board = 0;
	omx_return_t ret;
	int err;

	ret = info_board(ep, in_val, in_len, &board);
	if (ret != OMX_SUCCESS)
		return ret;
	if (key == OMX_INFO_BOARD_NUMA_NODE && out_len < sizeof(uint32_t))
		return omx__error(ep, OMX_BAD_INFO_LENGTH,
				  "Getting the NUMA node into %u bytes", out_len);
	err = board_info(board, &bi);
	if (err < 0)
		return omx__error(ep, OMX_BOARD_NOT_FOUND,
				  "Getting info of board %u", board);
	if (key == OMX_INFO_BOARD_HOSTNAME)
		copy_string(out_val, out_len, bi.hostname);
	else if (key == OMX_INFO_BOARD_IFACENAME)
		copy_string(out_val, out_len, bi.ifname);
	else
		memcpy(out_val, &bi.numa_node, sizeof(uint32_t));
	return OMX_SUCCESS;
}

static omx_return_t info_counters(struct omx_endpoint *ep, const void *in_val,
				  uint32_t in_len, void *out_val,
				  uint32_t out_len)
{
	struct omx_cmd_counters c;
	uint32_t board = 0, n = omx__globals.info.counter_max;
	omx_return_t ret;
	int err;

	if (n > OMX_ABI_COUNTER_MAX)
		n = OMX_ABI_COUNTER_MAX;
	ret = info_board(ep, in_val, in_len, &board);
	if (ret != OMX_SUCCESS)
		return ret;
	if (out_len < n * sizeof(uint32_t))
		return omx__error(ep, OMX_BAD_INFO_LENGTH,
				  "Getting %u counters into %u bytes", n, out_len);
	memset(&c, 0, sizeof(c));
	c.board_index = board;
	err = omx__ioctl(omx__globals.control_fd, OMX_CMD_GET_COUNTERS, &c);
	if (err == -EPERM || err == -EACCES)
		return omx__error(ep, OMX_ACCESS_DENIED,
				  "Reading the counters of board %u", board);
	if (err < 0)
		return omx__error(ep, OMX_BOARD_NOT_FOUND,
				  "Reading the counters of board %u", board);
	memcpy(out_val, c.values, n * sizeof(uint32_t));
	return OMX_SUCCESS;
}

static omx_return_t info_u32(struct omx_endpoint *ep, void *out_val,
			     uint32_t out_len, uint32_t value)
{
	if (out_len < sizeof(uint32_t))
		return omx__error(ep, OMX_BAD_INFO_LENGTH,
				  "Getting a 32-bit info into %u bytes", out_len);
	memcpy(out_val, &value, sizeof(value));
	return OMX_SUCCESS;
}

static omx_return_t info_board_ids(struct omx_endpoint *ep, void *out_val,
				   uint32_t out_len)
{
	uint64_t *ids = out_val;
	uint32_t n;

	omx__boards_refresh();
	n = omx__globals.nlocal_boards;
	if (out_len < (n + 1) * sizeof(uint64_t))
		return omx__error(ep, OMX_BAD_INFO_LENGTH,
				  "Getting %u board ids into %u bytes", n, out_len);
	memcpy(ids, omx__globals.local_board_addrs, n * sizeof(uint64_t));
	ids[n] = 0;
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_get_info(omx_endpoint_t ep, omx_info_key_t key,
				     const void *in_val, uint32_t in_len,
				     void *out_val, uint32_t out_len)
{
	struct omx_cmd_get_info gi;

	if (!out_val)
		return omx__error(ep, OMX_BAD_INFO_ADDRESS,
				  "Getting info key %d into NULL", (int)key);
	if (!omx__globals.initialized)
		return omx__error(ep, OMX_NOT_INITIALIZED,
				  "Getting info key %d", (int)key);

	switch (key) {
	case OMX_INFO_BOARD_MAX:
		return info_u32(ep, out_val, out_len, omx__globals.info.board_max);
	case OMX_INFO_ENDPOINT_MAX:
		return info_u32(ep, out_val, out_len,
				omx__globals.info.endpoint_max);
	case OMX_INFO_BOARD_COUNT:
		memset(&gi, 0, sizeof(gi));
		if (omx__ioctl(omx__globals.control_fd, OMX_CMD_GET_INFO, &gi) < 0)
			gi.board_count = omx__globals.info.board_count;
		return info_u32(ep, out_val, out_len, gi.board_count);
	case OMX_INFO_BOARD_IDS:
		return info_board_ids(ep, out_val, out_len);
	case OMX_INFO_BOARD_HOSTNAME:
	case OMX_INFO_BOARD_IFACENAME:
	case OMX_INFO_BOARD_NUMA_NODE:
		return info_board_field(ep, key, in_val, in_len, out_val,
					out_len);
	case OMX_INFO_COUNTER_MAX:
		return info_u32(ep, out_val, out_len,
				omx__globals.info.counter_max);
	case OMX_INFO_COUNTER_VALUES:
		return info_counters(ep, in_val, in_len, out_val, out_len);
	case OMX_INFO_COUNTER_LABEL: {
		uint32_t index;
		size_t len;

		if (!in_val || in_len < 1)
			return omx__error(ep, OMX_BAD_INFO_ADDRESS,
					  "Getting a counter label without its index");
		index = *(const uint8_t *)in_val;
		if (index >= NCOUNTER_LABELS)
			return omx__error(ep, OMX_BAD_INFO_KEY,
					  "Getting the label of counter %u (of %u)",
					  index, (unsigned)NCOUNTER_LABELS);
		len = strlen(counter_labels[index]) + 1;
		if (out_len < len)
			return omx__error(ep, OMX_BAD_INFO_LENGTH,
					  "Getting counter label %u into %u bytes",
					  index, out_len);
		memcpy(out_val, counter_labels[index], len);
		return OMX_SUCCESS;
	}
	default:
		return omx__error(ep, OMX_BAD_INFO_KEY, "Getting info key %d",
				  (int)key);
	}
}
