/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_endpoint.c - opening and closing endpoints (mx-api.md 4.2).
 *
 * An endpoint is one open file of the driver plus its mapping (descriptor,
 * event queue, receive queue, send queue: shared/omx_abi.h), and all the
 * protocol state that hangs off it.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omx_lib.h"

/* 1 if ep is an endpoint this process opened and has not closed. */
int omx__endpoint_valid(struct omx_endpoint *ep)
{
	struct omx_list *pos;
	int found = 0;

	if (!ep)
		return 0;
	pthread_mutex_lock(&omx__globals.lock);
	omx_list_for_each(pos, &omx__globals.endpoints)
		if (pos == &ep->globals_elt)
			found = 1;
	pthread_mutex_unlock(&omx__globals.lock);
	return found;
}

struct open_params {
	omx_error_handler_t handler;
	unsigned ctxid_bits, ctxid_shift;
};

static omx_return_t parse_params(const omx_endpoint_param_t *params,
				 uint32_t count, struct open_params *op)
{
	uint32_t i;

	op->handler = NULL;
	op->ctxid_bits = omx__globals.ctxid_set ? omx__globals.ctxid_bits : 0;
	op->ctxid_shift = omx__globals.ctxid_set ? omx__globals.ctxid_shift : 0;
	if (count && !params)
		return omx__error(NULL, OMX_ENDPOINT_PARAMS_BAD_LIST,
				  "Opening endpoint with %u parameters at NULL",
				  count);
	for (i = 0; i < count; i++) {
		switch (params[i].key) {
		case OMX_ENDPOINT_PARAM_ERROR_HANDLER:
			op->handler = params[i].val.error_handler;
			break;
		case OMX_ENDPOINT_PARAM_UNEXP_QUEUE_MAX:
			break;	/* the unexpected queue is unbounded */
		case OMX_ENDPOINT_PARAM_CONTEXT_ID:
			if (!omx_match_ctxid_valid(params[i].val.context_id.bits,
						   params[i].val.context_id.shift))
				return omx__error(NULL, OMX_ENDPOINT_PARAM_BAD_VALUE,
						  "Context id of %u bits at shift %u",
						  params[i].val.context_id.bits,
						  params[i].val.context_id.shift);
			op->ctxid_bits = params[i].val.context_id.bits;
			op->ctxid_shift = params[i].val.context_id.shift;
			break;
		default:
			return omx__error(NULL, OMX_ENDPOINT_PARAM_BAD_KEY,
					  "Endpoint parameter key %d",
					  (int)params[i].key);
		}
	}
	return OMX_SUCCESS;
}

/* Open one (board, endpoint) pair in the driver and map it. */
static omx_return_t attach(struct omx_endpoint *ep, uint32_t board,
			   uint32_t index)
{
	struct omx_cmd_open_endpoint cmd;
	int fd, err;

	fd = omx__driver->open();
	if (fd < 0)
		return omx__errno_to_return(-fd);
	memset(&cmd, 0, sizeof(cmd));
	cmd.board_index = board;
	cmd.endpoint_index = index;
	err = omx__ioctl(fd, OMX_CMD_OPEN_ENDPOINT, &cmd);
	if (err < 0) {
		omx__driver->close(fd);
		switch (-err) {
		case ENODEV:
			return OMX_BOARD_NOT_FOUND;
		case EINVAL:
			return OMX_BAD_ENDPOINT;
		default:
			return omx__errno_to_return(-err);
		}
	}
	ep->map = omx__driver->mmap(fd, OMX_ABI_MMAP_SIZE);
	if (!ep->map) {
		omx__driver->close(fd);
		return OMX_NO_SYSTEM_RESOURCES;
	}
	ep->fd = fd;
	ep->desc = (volatile struct omx_abi_desc *)
		((uint8_t *)ep->map + OMX_ABI_DESC_OFFSET);
	ep->eventq = (const union omx_evt *)
		((uint8_t *)ep->map + OMX_ABI_EVENTQ_OFFSET);
	ep->recvq = (const uint8_t *)ep->map + OMX_ABI_RECVQ_OFFSET;
	ep->sendq = (uint8_t *)ep->map + OMX_ABI_SENDQ_OFFSET;
	if (ep->desc->abi_version != OMX_ABI_VERSION) {
		omx__driver->munmap(ep->map, OMX_ABI_MMAP_SIZE);
		omx__driver->close(fd);
		return OMX_BAD_KERNEL_ABI;
	}
	ep->board_index = board;
	ep->endpoint_index = index;
	ep->session_id = cmd.session_id;
	return OMX_SUCCESS;
}

/*
 * Wildcards (mx-api.md 4.2): the outer loop runs over endpoints, the inner
 * one over boards; busy endpoints and absent boards are skipped.
 */
static omx_return_t attach_any(struct omx_endpoint *ep, uint32_t board_index,
			       uint32_t endpoint_index)
{
	uint32_t emin = endpoint_index, emax = endpoint_index;
	uint32_t bmin = board_index, bmax = board_index;
	omx_return_t ret = OMX_BOARD_NOT_FOUND, last_busy = OMX_SUCCESS;
	uint32_t e, b;

	if (endpoint_index == OMX_ANY_ENDPOINT) {
		if (omx__globals.any_endpoint != OMX_ANY_ENDPOINT) {
			emin = emax = omx__globals.any_endpoint;
		} else {
			emin = 0;
			emax = omx__globals.info.endpoint_max - 1;
		}
	}
	if (board_index == OMX_ANY_NIC) {
		bmin = 0;
		bmax = omx__globals.info.board_max - 1;
	}
	for (e = emin; e <= emax && e != OMX_ANY_ENDPOINT; e++) {
		for (b = bmin; b <= bmax && b != OMX_ANY_NIC; b++) {
			ret = attach(ep, b, e);
			if (ret == OMX_SUCCESS)
				return ret;
			if (ret == OMX_BUSY)
				last_busy = ret;
			else if (ret != OMX_BOARD_NOT_FOUND)
				return ret;
		}
	}
	return last_busy != OMX_SUCCESS ? last_busy : ret;
}

static omx_return_t setup(struct omx_endpoint *ep, const struct open_params *op)
{
	struct omx_cmd_board_info bi;
	struct omx_cmd_peer peer;
	uint32_t i;

	memset(&bi, 0, sizeof(bi));
	bi.board_index = ep->board_index;
	if (omx__ioctl(omx__globals.control_fd, OMX_CMD_GET_BOARD_INFO, &bi) < 0)
		return OMX_BOARD_NOT_FOUND;
	ep->board_addr = bi.addr;
	memset(&peer, 0, sizeof(peer));
	peer.addr = bi.addr;
	if (omx__ioctl(omx__globals.control_fd, OMX_CMD_PEER_FROM_ADDR, &peer) < 0)
		return OMX_PEER_NOT_FOUND;
	ep->peer_index = (uint16_t)peer.index;

	if (omx_match_queues_init(&ep->mq, op->ctxid_bits, op->ctxid_shift) < 0)
		return OMX_NO_RESOURCES;
	ep->error_handler = op->handler;
	omx_list_init(&ep->all_q);
	omx_list_init(&ep->done_q);
	omx_list_init(&ep->throttled_q);
	omx_list_init(&ep->connect_q);
	omx_list_init(&ep->resend_q);
	omx_list_init(&ep->pull_wait_q);
	omx_list_init(&ep->ack_q);
	omx_list_init(&ep->watch_q);
	for (i = 0; i < OMX_ABI_SENDQ_SLOTS; i++)
		ep->sendq_free[i] = (uint16_t)(OMX_ABI_SENDQ_SLOTS - 1 - i);
	ep->sendq_nfree = OMX_ABI_SENDQ_SLOTS;
	for (i = 0; i < OMX_ABI_REGION_MAX; i++)
		ep->regions[i].seqnum = OMX_REGION_SEQNUM_START;
	ep->resends_max = omx__globals.resends_max;
	if (ep->resends_max == OMX_RESENDS_INFINITE ||
	    (uint64_t)ep->resends_max * omx__globals.resend_delay_us / 1000 >=
	    OMX_ABI_WAIT_INFINITE)
		ep->pull_timeout_ms = OMX_ABI_WAIT_INFINITE;
	else
		ep->pull_timeout_ms = (uint32_t)((uint64_t)ep->resends_max *
					 omx__globals.resend_delay_us / 1000);

	ep->myself = omx__partner_get(ep, ep->peer_index,
				      (uint8_t)ep->endpoint_index);
	if (!ep->myself)
		return OMX_NO_RESOURCES;
	ep->myself->true_session = ep->myself->back_session = ep->session_id;
	ep->myself->true_session_valid = ep->myself->back_session_valid = 1;
	return OMX_SUCCESS;
}

static void detach(struct omx_endpoint *ep)
{
	omx__driver->munmap(ep->map, OMX_ABI_MMAP_SIZE);
	omx__driver->close(ep->fd);
}

OMX_EXPORT omx_return_t omx_open_endpoint(uint32_t board_index,
					  uint32_t endpoint_index, uint32_t key,
					  omx_endpoint_param_t *param_array,
					  uint32_t param_count,
					  omx_endpoint_t *epp)
{
	struct open_params op;
	struct omx_endpoint *ep;
	omx_return_t ret;

	if (!omx__globals.initialized)
		return omx__error(NULL, OMX_NOT_INITIALIZED, "Opening endpoint");
	ret = parse_params(param_array, param_count, &op);
	if (ret != OMX_SUCCESS)
		return ret;
	if (endpoint_index != OMX_ANY_ENDPOINT &&
	    endpoint_index >= omx__globals.info.endpoint_max)
		return omx__error(NULL, OMX_BAD_ENDPOINT,
				  "Opening endpoint %u (driver maximum %u)",
				  endpoint_index, omx__globals.info.endpoint_max);
	omx__boards_refresh();

	ep = calloc(1, sizeof(*ep));
	if (!ep)
		return omx__error(NULL, OMX_NO_RESOURCES, "Allocating an endpoint");
	ret = attach_any(ep, board_index, endpoint_index);
	if (ret != OMX_SUCCESS) {
		free(ep);
		return omx__error(NULL, ret, "Opening endpoint %d on board %d",
				  (int)endpoint_index, (int)board_index);
	}
	ep->key = key;
	pthread_mutex_init(&ep->lock, NULL);
	pthread_cond_init(&ep->progress_cond, NULL);
	ret = setup(ep, &op);
	if (ret != OMX_SUCCESS) {
		omx__partner_free_all(ep);
		omx_match_queues_destroy(&ep->mq);
		detach(ep);
		pthread_mutex_destroy(&ep->lock);
		pthread_cond_destroy(&ep->progress_cond);
		free(ep);
		return omx__error(NULL, ret, "Setting up endpoint %u on board %u",
				  endpoint_index, board_index);
	}

	pthread_mutex_lock(&omx__globals.lock);
	omx_list_add_tail(&ep->globals_elt, &omx__globals.endpoints);
	pthread_mutex_unlock(&omx__globals.lock);
	if (omx__globals.verbose)
		omx__verbose("opened endpoint %u on board %u, session %08x\n",
			     ep->endpoint_index, ep->board_index, ep->session_id);
	*epp = ep;
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_close_endpoint(omx_endpoint_t ep)
{
	struct omx_list *pos, *tmp;

	if (!omx__endpoint_valid(ep))
		return omx__error(NULL, OMX_BAD_ENDPOINT, "Closing endpoint %p",
				  (void *)ep);
	omx__lock(ep);
	if (ep->in_handler && pthread_equal(ep->handler_thread, pthread_self())) {
		omx__unlock(ep);
		return omx__error(ep, OMX_NOT_SUPPORTED_IN_HANDLER,
				  "Closing endpoint from the unexpected handler");
	}
	/* a handler running in another thread still uses the endpoint */
	while (ep->in_handler)
		pthread_cond_wait(&ep->progress_cond, &ep->lock);
	pthread_mutex_lock(&omx__globals.lock);
	omx_list_del(&ep->globals_elt);
	pthread_mutex_unlock(&omx__globals.lock);

	/* Peers should not have to retransmit what we already received. */
	omx__acks_flush(ep);

	omx_list_for_each_safe(pos, tmp, &ep->all_q)
		omx__request_free(OMX_LIST_ENTRY(pos, struct omx__request,
						 all_elt));
	omx__partner_free_all(ep);
	omx_match_queues_destroy(&ep->mq);
	detach(ep);
	omx__unlock(ep);
	pthread_mutex_destroy(&ep->lock);
	pthread_cond_destroy(&ep->progress_cond);
	free(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_get_endpoint_addr(omx_endpoint_t endpoint,
					      omx_endpoint_addr_t *endpoint_addr)
{
	omx__partner_to_addr(endpoint->myself, endpoint_addr);
	return OMX_SUCCESS;
}
