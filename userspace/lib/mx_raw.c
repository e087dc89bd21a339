/* SPDX-License-Identifier: MIT */
/*
 * mx_raw.c - the MX raw interface (mx_raw.h) and the mapper state query
 * (mx_internals/), for peer-discovery daemons, over /dev/open-mx.
 *
 * A raw endpoint is a file of the driver on which OMX_CMD_RAW_OPEN
 * claimed one board: whole Ethernet frames go out with OMX_CMD_RAW_SEND
 * and come in with OMX_CMD_RAW_RECV.  The peer-table commands are issued
 * on the same file.  Unlike the rest of the MX layer, these calls need
 * no mx_init() and never go through the error handler: a daemon wants
 * the code.
 *
 * The driver sends a raw frame at once, so the library reports the
 * completion itself: each successful mx_raw_send() queues the caller's
 * context, and mx_raw_next_event() hands queued completions out, oldest
 * first, before it looks for a received frame.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "omx_abi.h"
#include "myriexpress.h"
#include "mx_raw.h"
#include "mx_internals/mx__driver_interface.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

/* Smallest frame: an Ethernet header. */
#define MX_RAW_FRAME_MIN	14

struct omx_raw_endpoint {
	int fd;
	uint32_t board_index;
	/* Contexts of sends whose completion was not reported yet: a ring
	 * of done_size slots, done_count of them used from done_first. */
	void **done;
	uint32_t done_first;
	uint32_t done_count;
	uint32_t done_size;
};

/* errno of open(/dev/open-mx) -> MX code */
static mx_return_t mx_raw_open_error(int err)
{
	switch (err) {
	case ENOENT:
		return MX_NO_DEV;
	case ENODEV:
	case ENXIO:
		return MX_NO_DRIVER;
	case EACCES:
	case EPERM:
		return MX_NO_PERM;
	case EMFILE:
	case ENFILE:
	case ENOMEM:
		return MX_NO_RESOURCES;
	default:
		return MX_BAD_BAD_BAD;
	}
}

/* errno of a driver command -> MX code (see the list in omx_abi.h) */
static mx_return_t mx_raw_command_error(int err)
{
	switch (err) {
	case ENODEV:
	case ESHUTDOWN:
		return MX_BOARD_UNKNOWN;
	case EBUSY:
		return MX_BUSY;
	case EACCES:
	case EPERM:
		return MX_NO_PERM;
	case ENOSPC:
	case ENOMEM:
		return MX_NO_RESOURCES;
	case ENOENT:
		return MX_HOST_NOT_FOUND;
	default:
		return MX_BAD_BAD_BAD;
	}
}

static mx_return_t mx_driver_command(int fd, unsigned long cmd, void *arg)
{
	if (ioctl(fd, cmd, arg) < 0)
		return mx_raw_command_error(errno);
	return MX_SUCCESS;
}

static mx_return_t mx_raw_command(mx_raw_endpoint_t ep, unsigned long cmd,
				  void *arg)
{
	return mx_driver_command(ep->fd, cmd, arg);
}

/* ------------------------------------------------------------------------
 * Endpoints
 */
OMX_EXPORT mx_return_t mx_raw_open_endpoint(uint32_t board_number,
					    mx_param_t *params_array,
					    uint32_t params_count,
					    mx_raw_endpoint_t *endpoint)
{
	struct omx_cmd_raw_open cmd = { .board_index = board_number };
	struct omx_raw_endpoint *ep;
	mx_return_t ret;

	(void)params_array, (void)params_count;	/* none apply to raw endpoints */

	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return MX_NO_RESOURCES;
	ep->board_index = board_number;
	ep->fd = open(OMX_ABI_DEVICE, O_RDWR | O_CLOEXEC);
	if (ep->fd < 0) {
		ret = mx_raw_open_error(errno);
		free(ep);
		return ret;
	}
	ret = mx_raw_command(ep, OMX_CMD_RAW_OPEN, &cmd);
	if (ret != MX_SUCCESS) {
		close(ep->fd);
		free(ep);
		return ret;
	}
	*endpoint = ep;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx_raw_close_endpoint(mx_raw_endpoint_t endpoint)
{
	close(endpoint->fd);
	free(endpoint->done);
	free(endpoint);
	return MX_SUCCESS;
}

OMX_EXPORT mx_endpt_handle_t mx_raw_handle(mx_raw_endpoint_t ep)
{
	return ep->fd;
}

OMX_EXPORT mx_return_t mx_raw_num_ports(mx_raw_endpoint_t endpoint,
					uint32_t *num_ports)
{
	(void)endpoint;
	*num_ports = 1;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx_raw_line_speed(mx_raw_endpoint_t endpoint,
					 mx_line_speed_t *speed)
{
	(void)endpoint;
	*speed = MX_SPEED_10G;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx_raw_set_nic_reply_info(mx_raw_endpoint_t ep,
						 void *blob, uint32_t size)
{
	(void)ep, (void)blob, (void)size;	/* Myrinet firmware only */
	return MX_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Frames
 */

/* Room for one more completion, so that a send the driver accepted is
 * always reported. */
static int mx_raw_done_reserve(struct omx_raw_endpoint *ep)
{
	uint32_t size;
	void **done;

	if (ep->done_count < ep->done_size)
		return 0;
	size = ep->done_size ? 2 * ep->done_size : 16;
	done = malloc(size * sizeof(*done));
	if (!done)
		return -1;
	for (uint32_t i = 0; i < ep->done_count; i++)
		done[i] = ep->done[(ep->done_first + i) % ep->done_size];
	free(ep->done);
	ep->done = done;
	ep->done_first = 0;
	ep->done_size = size;
	return 0;
}

OMX_EXPORT mx_return_t mx_raw_send(mx_raw_endpoint_t endpoint,
				   uint32_t physical_port, void *route_pointer,
				   uint32_t route_length, void *send_buffer,
				   uint32_t buffer_length, void *context)
{
	struct omx_cmd_raw_send cmd = {
		.buffer = (uintptr_t)send_buffer,
		.length = buffer_length,
	};
	mx_return_t ret;

	(void)physical_port, (void)route_pointer, (void)route_length;

	if (buffer_length < MX_RAW_FRAME_MIN ||
	    buffer_length > OMX_ABI_RAW_FRAME_MAX)
		return MX_BAD_SEG_LIST;
	if (mx_raw_done_reserve(endpoint) < 0)
		return MX_NO_RESOURCES;
	ret = mx_raw_command(endpoint, OMX_CMD_RAW_SEND, &cmd);
	if (ret != MX_SUCCESS)
		return ret;
	endpoint->done[(endpoint->done_first + endpoint->done_count) %
		       endpoint->done_size] = context;
	endpoint->done_count++;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx_raw_next_event(mx_raw_endpoint_t endpoint,
					 uint32_t *incoming_port,
					 void **context, void *recv_buffer,
					 uint32_t *recv_bytes,
					 uint32_t timeout_ms,
					 mx_raw_status_t *status)
{
	uint8_t bounce[OMX_ABI_RAW_FRAME_MAX];
	struct omx_cmd_raw_recv cmd = { .timeout_ms = timeout_ms };
	uint32_t room = *recv_bytes;
	void *frame;

	if (endpoint->done_count) {
		*context = endpoint->done[endpoint->done_first];
		endpoint->done_first = (endpoint->done_first + 1) %
				       endpoint->done_size;
		endpoint->done_count--;
		*status = MX_RAW_SEND_COMPLETE;
		return MX_SUCCESS;
	}

	/* The driver writes up to a whole frame: a smaller caller buffer
	 * gets the beginning of it. */
	frame = room >= OMX_ABI_RAW_FRAME_MAX ? recv_buffer : bounce;
	cmd.buffer = (uintptr_t)frame;
	if (ioctl(endpoint->fd, OMX_CMD_RAW_RECV, &cmd) < 0) {
		if (errno != EINTR)
			return mx_raw_command_error(errno);
		cmd.status = 1;		/* a signal ends the wait early */
	}
	if (cmd.status != 0) {
		*status = MX_RAW_NO_EVENT;
		return MX_SUCCESS;
	}

	if (cmd.length < room)
		room = cmd.length;
	if (frame == bounce)
		memcpy(recv_buffer, bounce, room);
	*recv_bytes = room;
	*incoming_port = 0;
	*status = MX_RAW_RECV_COMPLETE;
	return MX_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Peer table
 */

/* Copy a name into a driver field, refusing what would not fit. */
static int mx_raw_copy_name(char dst[OMX_ABI_HOSTNAME_MAX], const char *name)
{
	size_t len;

	if (!name)
		return -1;
	len = strlen(name);
	if (len >= OMX_ABI_HOSTNAME_MAX)
		return -1;
	memcpy(dst, name, len + 1);
	return 0;
}

static mx_return_t mx_raw_peer_add(mx_raw_endpoint_t endpoint, uint64_t nic_id,
				   const char *hostname)
{
	struct omx_cmd_peer cmd = { .addr = nic_id };

	if (hostname && mx_raw_copy_name(cmd.hostname, hostname) < 0)
		return MX_BAD_HOSTNAME_ARGS;
	return mx_raw_command(endpoint, OMX_CMD_PEER_ADD, &cmd);
}

OMX_EXPORT mx_return_t mx_raw_set_route_begin(mx_raw_endpoint_t endpoint)
{
	(void)endpoint;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx_raw_set_route_end(mx_raw_endpoint_t endpoint)
{
	(void)endpoint;
	return MX_SUCCESS;
}

/* Ethernet needs no route: knowing the NIC id is enough. */
OMX_EXPORT mx_return_t mx_raw_set_route_mag(mx_raw_endpoint_t endpoint,
					    uint64_t destination_id,
					    void *route, uint32_t route_length,
					    uint32_t input_port,
					    uint32_t output_port,
					    mx_host_type_t host_type,
					    uint32_t mag_id)
{
	(void)route, (void)route_length, (void)input_port, (void)output_port;
	(void)host_type, (void)mag_id;
	return mx_raw_peer_add(endpoint, destination_id, NULL);
}

OMX_EXPORT mx_return_t mx_raw_set_route(mx_raw_endpoint_t endpoint,
					uint64_t destination_id, void *route,
					uint32_t route_length,
					uint32_t input_port,
					uint32_t output_port,
					mx_host_type_t host_type)
{
	(void)route, (void)route_length, (void)input_port, (void)output_port;
	(void)host_type;
	return mx_raw_peer_add(endpoint, destination_id, NULL);
}

OMX_EXPORT mx_return_t mx_raw_clear_routes(mx_raw_endpoint_t endpoint,
					   uint64_t destination_id,
					   uint32_t port)
{
	(void)endpoint, (void)destination_id, (void)port;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx_raw_set_peer_name(mx_raw_endpoint_t endpoint,
					    uint64_t nic_id, char *hostname)
{
	if (!hostname)
		return MX_BAD_HOSTNAME_ARGS;
	return mx_raw_peer_add(endpoint, nic_id, hostname);
}

OMX_EXPORT mx_return_t mx_raw_set_hostname(mx_raw_endpoint_t endpoint,
					   char *hostname)
{
	struct omx_cmd_set_hostname cmd = {
		.board_index = endpoint->board_index,
	};

	if (mx_raw_copy_name(cmd.hostname, hostname) < 0)
		return MX_BAD_HOSTNAME_ARGS;
	return mx_raw_command(endpoint, OMX_CMD_SET_HOSTNAME, &cmd);
}

OMX_EXPORT mx_return_t mx_raw_set_map_version(mx_raw_endpoint_t endpoint,
					      uint32_t physical_port,
					      uint64_t mapper_id,
					      uint32_t map_version,
					      uint32_t num_nodes,
					      uint32_t mapping_complete)
{
	struct omx_cmd_peer_table_state cmd = {
		.configured = mapping_complete,
		.version = map_version,
		.size = num_nodes,	/* the driver counts its own */
		.mapper_id = mapper_id,
	};

	(void)physical_port;
	return mx_raw_command(endpoint, OMX_CMD_SET_PEER_TABLE_STATE, &cmd);
}

/* ------------------------------------------------------------------------
 * mx_internals/: what Open MPI's configure and MX tools look for
 */
OMX_EXPORT mx_return_t mx_open_board(int i, mx_endpt_handle_t *handle)
{
	(void)i, (void)handle;
	return MX_SUCCESS;
}

OMX_EXPORT mx_return_t mx__get_mapper_state(mx_endpt_handle_t handle,
					    mx_mapper_state_t *state)
{
	struct omx_cmd_peer_table_state cmd;
	mx_return_t ret;
	int fd;

	(void)handle;	/* mx_open_board gives none: the state is global */

	fd = open(OMX_ABI_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return mx_raw_open_error(errno);
	ret = mx_driver_command(fd, OMX_CMD_GET_PEER_TABLE_STATE, &cmd);
	close(fd);
	if (ret != MX_SUCCESS)
		return ret;

	state->map_version = cmd.version;
	for (int i = 0; i < 6; i++)
		state->mapper_mac[i] = (uint8_t)(cmd.mapper_id >> (40 - 8 * i));
	return MX_SUCCESS;
}
