/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_large.c - large messages (openmx-wire.md 6.6): regions, pulls and
 * notifies.
 *
 * Sender: the buffer becomes region `id` (0..255, at most 128 held by
 * sends), announced by a RNDV carrying the region's use counter; the driver
 * answers the receiver's PULLs from it by itself; the receiver's NOTIFY
 * completes the send with the length it took.
 * Receiver: once a receive matched the RNDV, its buffer becomes a writable
 * region and one OMX_CMD_PULL asks the driver for min(message, buffer)
 * bytes; OMX_EVT_PULL_DONE ends it and a sequenced NOTIFY tells the sender.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omx_lib.h"

/*
 * Register segs as a region: the id, or -EAGAIN when no id is free (or
 * 128 sends hold one) or the driver is short of memory; other -errno from
 * the driver.
 */
int omx__region_alloc(struct omx_endpoint *ep, struct omx__request *req,
		      const struct omx__segs *segs, int writable)
{
	struct omx_abi_seg abi[OMX_ABI_REGION_SEGS_MAX];
	struct omx_cmd_create_region cmd;
	uint32_t i, n = 0;
	int id = -1, err;

	if (!writable && ep->large_sends >= OMX_REGION_SENDS_MAX)
		return -EAGAIN;
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		uint32_t cand = (ep->region_next + i) % OMX_ABI_REGION_MAX;

		if (!ep->regions[cand].req) {
			id = (int)cand;
			break;
		}
	}
	if (id < 0)
		return -EAGAIN;
	for (i = 0; i < segs->nseg; i++) {
		if (!segs->segs[i].len)
			continue;
		abi[n].vaddr = (uint64_t)(uintptr_t)segs->segs[i].ptr;
		abi[n].len = segs->segs[i].len;
		n++;
	}
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = (uint32_t)id;
	cmd.nseg = n;
	cmd.writable = writable ? 1 : 0;
	cmd.segs = (uint64_t)(uintptr_t)abi;
	err = omx__driver_cmd(ep, OMX_CMD_CREATE_REGION, &cmd);
	if (err == -ENOMEM || err == -ENOSPC || err == -EBUSY)
		return -EAGAIN;
	if (err < 0)
		return err;
	ep->regions[id].req = req;
	ep->region_next = (uint32_t)id + 1;
	return id;
}

void omx__region_free(struct omx_endpoint *ep, int id)
{
	struct omx_cmd_destroy_region cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.id = (uint32_t)id;
	omx__driver_cmd(ep, OMX_CMD_DESTROY_REGION, &cmd);
	ep->regions[id].req = NULL;
}

/* ------------------------------------------------------------------------
 * Receiver
 */
static uint32_t back_session(const struct omx__partner *p)
{
	/* Until the peer connected to us, the packets we originate are refused. */
	return p->back_session_valid ? p->back_session : 0xffffffffU;
}

/* 0 when the pull is in the driver, -1 to retry later. */
static int start_pull(struct omx__request *req)
{
	struct omx_endpoint *ep = req->ep;
	struct omx__partner *p = req->partner;
	struct omx_cmd_pull cmd;
	int id, err;

	if (ep->pulls >= OMX_ABI_PULL_MAX)
		return -1;
	id = omx__region_alloc(ep, req, &req->segs, 1);
	if (id == -EAGAIN)
		return -1;
	if (id < 0) {
		req->state &= ~OMX_REQ_PULLING;
		req->status.xfer_length = 0;
		omx__complete(req, OMX_NO_SYSTEM_RESOURCES);
		return 0;
	}
	req->recv.local_region = id;
	req->recv.pull_gen = ++ep->pull_gen;
	memset(&cmd, 0, sizeof(cmd));
	cmd.peer_index = p->peer_index;
	cmd.dest_endpoint = p->endpoint_index;
	cmd.session = back_session(p);
	cmd.length = req->status.xfer_length;
	cmd.local_region = (uint32_t)id;
	cmd.local_offset = 0;
	cmd.remote_rdma_id = req->recv.rdma_id;
	cmd.remote_rdma_seqnum = req->recv.rdma_seqnum;
	cmd.remote_rdma_offset = req->recv.rdma_offset;
	cmd.timeout_ms = ep->pull_timeout_ms;
	cmd.lib_cookie = (uint64_t)req->recv.pull_gen << 8 | (uint64_t)id;
	err = omx__driver_cmd(ep, OMX_CMD_PULL, &cmd);
	if (err < 0) {
		omx__region_free(ep, id);
		req->recv.local_region = -1;
		if (err == -ENOSPC || err == -EBUSY || err == -ENOMEM)
			return -1;
		req->state &= ~OMX_REQ_PULLING;
		req->status.xfer_length = 0;
		omx__complete(req, OMX_NO_SYSTEM_RESOURCES);
		return 0;
	}
	ep->pulls++;
	return 0;
}

/* After the pull (or none): NOTIFY the sender, then complete the receive. */
static void pull_finished(struct omx__request *req, omx_return_t code)
{
	req->recv.notify_length = req->status.xfer_length;
	req->status.code = code;
	omx__send_or_throttle(req);
	if (code != OMX_SUCCESS && code != OMX_MESSAGE_TRUNCATED)
		omx__complete(req, code);
}

/*
 * A receive matched a RNDV (the request holds the partner and the RNDV's
 * region, seqnum and offset): pull what fits.
 */
void omx__large_recv_start(struct omx__request *req)
{
	uint32_t x = req->status.msg_length;

	if (x > req->segs.total)
		x = req->segs.total;
	req->status.xfer_length = x;
	if (x == 0) {
		pull_finished(req, x < req->status.msg_length ?
				   OMX_MESSAGE_TRUNCATED : OMX_SUCCESS);
		return;
	}
	req->state |= OMX_REQ_PULLING;
	if (!omx_list_empty(&req->ep->pull_wait_q) || start_pull(req) < 0)
		omx_list_add_tail(&req->queue_elt, &req->ep->pull_wait_q);
}

/* Start queued pulls while the driver takes them. */
void omx__pull_waiting(struct omx_endpoint *ep)
{
	while (!omx_list_empty(&ep->pull_wait_q)) {
		struct omx__request *req =
			omx_list_first_entry(&ep->pull_wait_q,
					     struct omx__request, queue_elt);

		if (start_pull(req) < 0)
			return;
		omx_list_del(&req->queue_elt);
	}
}

static omx_return_t pull_status_code(uint32_t status)
{
	switch (status) {
	case OMX_ABI_PULL_SUCCESS:
		return OMX_SUCCESS;
	case OMX_ABI_PULL_TIMEOUT:
		return OMX_REMOTE_ENDPOINT_UNREACHABLE;
	case OMX_ABI_PULL_BAD_ENDPT:
		return OMX_REMOTE_ENDPOINT_BAD_ID;
	case OMX_ABI_PULL_ENDPT_CLOSED:
		return OMX_REMOTE_ENDPOINT_CLOSED;
	case OMX_ABI_PULL_BAD_SESSION:
		return OMX_REMOTE_ENDPOINT_BAD_SESSION;
	case OMX_ABI_PULL_BAD_RDMAWIN:
		return OMX_REMOTE_RDMA_WINDOW_BAD_ID;
	default:
		return OMX_MESSAGE_ABORTED;
	}
}

void omx__recv_pull_done(struct omx_endpoint *ep,
			 const struct omx_evt_pull_done *evt)
{
	uint32_t id = (uint32_t)(evt->lib_cookie & 0xff);
	struct omx__request *req;
	omx_return_t code;

	if (id >= OMX_ABI_REGION_MAX || evt->local_region != id)
		return;
	req = ep->regions[id].req;
	if (!req || req->type != OMX_REQ_RECV ||
	    !(req->state & OMX_REQ_PULLING) ||
	    req->recv.pull_gen != (uint32_t)(evt->lib_cookie >> 8))
		return;		/* stale or foreign cookie: the driver's problem */
	ep->pulls--;
	omx__region_free(ep, (int)id);
	req->recv.local_region = -1;
	req->state &= ~OMX_REQ_PULLING;

	code = pull_status_code(evt->status);
	if (code == OMX_SUCCESS && evt->pulled_length != req->status.xfer_length)
		code = OMX_MESSAGE_ABORTED;
	if (code != OMX_SUCCESS)
		req->status.xfer_length = 0;
	else if (req->status.xfer_length < req->status.msg_length)
		code = OMX_MESSAGE_TRUNCATED;
	pull_finished(req, code);
}

/* NOTIFY packet of a receive (OMX_REQ_RECV) or a dropped message (OMX_REQ_NOTIFY). */
void omx__notify_send(struct omx__request *req)
{
	const struct omx__partner *p = req->partner;
	struct omx_cmd_send_notify cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.peer_index = p->peer_index;
	cmd.dest_endpoint = p->endpoint_index;
	cmd.session = back_session(p);
	cmd.total_length = req->recv.notify_length;
	cmd.seqnum = req->seqnum;
	cmd.piggyack = p->next_frag_recv_seq;
	cmd.rdma_id = req->recv.rdma_id;
	cmd.rdma_seqnum = req->recv.rdma_seqnum;
	omx__driver_cmd(req->ep, OMX_CMD_SEND_NOTIFY, &cmd);
}

/* ------------------------------------------------------------------------
 * Sender
 */
void omx__recv_notify(struct omx_endpoint *ep, struct omx__partner *p,
		      const struct omx_evt_notify *evt)
{
	struct omx__request *req = ep->regions[evt->rdma_id].req;
	uint32_t xfer;

	/* Not a pending send of this partner with that use counter: stale. */
	if (!req || req->type != OMX_REQ_SEND_LARGE || req->partner != p ||
	    !(req->state & OMX_REQ_NEED_REPLY) ||
	    req->large.rdma_seqnum != evt->rdma_seqnum)
		return;
	xfer = evt->total_length;
	if (xfer > req->status.msg_length)
		xfer = req->status.msg_length;
	omx__send_large_notified(req, xfer);
}
