/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_connect.c - the connect handshake (openmx-wire.md 6.4) and
 * omx_connect/omx_iconnect/omx_disconnect (mx-api.md 4.3).
 *
 * The connecting side sends CONNECT with its session, the key and the
 * sequence number it expects next from the target, and resends it every
 * ~0.5 s until a reply matches (same session, same connect_seqnum).  The
 * target checks the key, recognises a new incarnation of the peer by its
 * session, and answers with its own session and the sequence number it
 * expects next.
 *
 * Sequence numbers are resynchronised by one rule, on both sides: the
 * "expected next" value the peer announces must lie between our first
 * unacked and our next sequence number (it cannot have received more than
 * we sent, nor less than it acked).  Anything else means the peer reset its
 * receive side (it disconnected us or gave up on us): what we had in
 * flight is lost, and we restart at the announced value.
 *
 * Liveness probes.  A large send whose RNDV the peer acked waits for its
 * NOTIFY, which nothing retransmits once the peer is gone (openmx-wire.md
 * 6.3): if the NOTIFY was lost and the peer then exited, or its host
 * vanished, the send would wait for ever.  So while such sends wait and
 * nothing else to that peer awaits an ack (unacked packets are resent and
 * time out by themselves), a peer silent for OMX_PROBE_IDLE_RESENDS resend
 * periods gets a connect request of the current session: an ordinary
 * CONNECT, which every Open-MX library answers and which changes nothing
 * at a peer that knows our session.  It is resent like any connect, with
 * the smallest request timeout of the waiting sends.  Any reply means the
 * peer lives (a reply announcing another session or a reset sequence
 * means it forgot us: the sends fail, as after any such reply); a NACK
 * (endpoint closed) fails the waiting sends with its code; no answer
 * within the timeout makes the peer unreachable, which fails them too.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <string.h>

#include "omx_lib.h"

static void send_connect(struct omx__request *req)
{
	struct omx_endpoint *ep = req->ep;
	struct omx__partner *p = req->partner;
	struct omx_cmd_send_connect cmd;

	memset(&cmd, 0, sizeof(cmd));
	cmd.peer_index = p->peer_index;
	cmd.dest_endpoint = p->endpoint_index;
	cmd.is_reply = 0;
	cmd.src_session_id = ep->session_id;
	cmd.app_key = req->connect.key;
	/*
	 * Recomputed at every resend: we may have received since.  A probe
	 * announces what we acknowledge (next_frag): a peer of this library
	 * takes the announced value as an ack, and must not take a partly
	 * received medium for acked.
	 */
	cmd.target_recv_seqnum_start = req->connect.probe ? p->next_frag_recv_seq
							  : p->next_match_recv_seq;
	cmd.connect_seqnum = req->connect.connect_seqnum;
	omx__driver_cmd(ep, OMX_CMD_SEND_CONNECT, &cmd);
}

void omx__connect_resend(struct omx__request *req)
{
	send_connect(req);
}

/* Sends to p that the peer will never ack or notify: fail them. */
static void fail_in_flight(struct omx_endpoint *ep, struct omx__partner *p)
{
	struct omx_list *pos, *tmp;
	unsigned i;

	omx_list_for_each_safe(pos, tmp, &p->non_acked_q)
		omx__send_fail(OMX_LIST_ENTRY(pos, struct omx__request, ack_elt),
			       OMX_REMOTE_ENDPOINT_UNREACHABLE);
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		struct omx__request *req = ep->regions[i].req;

		if (req && req->partner == p && req->type == OMX_REQ_SEND_LARGE)
			omx__send_fail(req, OMX_REMOTE_ENDPOINT_UNREACHABLE);
	}
}

/* Could the peer expect @start next from us, or did it reset? */
static int send_start_plausible(const struct omx__partner *p, uint16_t start)
{
	return omx_seq_same_sesnum(start, p->next_send_seq) &&
	       omx_seq_diff(start, p->next_acked_send_seq) <=
	       omx_seq_diff(p->next_send_seq, p->next_acked_send_seq);
}

/* The peer announced the next sequence number it expects from us. */
static void adopt_send_start(struct omx_endpoint *ep, struct omx__partner *p,
			     uint16_t start)
{
	if (send_start_plausible(p, start)) {
		omx__ack_received(p, start);
		return;
	}
	fail_in_flight(ep, p);
	p->next_send_seq = p->next_acked_send_seq = start;
}

void omx__recv_connect_request(struct omx_endpoint *ep,
			       const struct omx_evt_connect *evt)
{
	struct omx__partner *p = omx__partner_get(ep, evt->head.peer_index,
						  evt->head.src_endpoint);
	struct omx_cmd_send_connect reply;
	uint8_t status = evt->app_key == ep->key ? 0 : 11;

	if (!p)
		return;
	omx__partner_heard(p);
	if (status == 0) {
		int known = p->back_session_valid || p->true_session_valid;
		uint32_t session = p->back_session_valid ? p->back_session
							 : p->true_session;
		int duplicate = known && session == evt->src_session_id &&
				p->connect_seqnum_seen_valid &&
				p->connect_seqnum_seen == evt->connect_seqnum;

		if (!duplicate) {
			if (!known || session != evt->src_session_id) {
				/* a new incarnation of the peer, or a first contact */
				if (known)
					omx__partner_reset(ep, p,
							   OMX_REMOTE_ENDPOINT_UNREACHABLE);
				p->next_match_recv_seq =
					omx_seq_reset(p->next_match_recv_seq);
				p->next_frag_recv_seq = p->next_match_recv_seq;
				p->last_acked_recv_seq = p->next_match_recv_seq;
			}
			if (!p->true_session_valid ||
			    p->true_session != evt->src_session_id) {
				fail_in_flight(ep, p);
				p->next_send_seq = p->next_acked_send_seq =
					evt->target_recv_seqnum_start;
			} else {
				adopt_send_start(ep, p,
						 evt->target_recv_seqnum_start);
			}
			p->true_session = p->back_session = evt->src_session_id;
			p->true_session_valid = p->back_session_valid = 1;
			p->connect_seqnum_seen = evt->connect_seqnum;
			p->connect_seqnum_seen_valid = 1;
		}
	}

	memset(&reply, 0, sizeof(reply));
	reply.peer_index = p->peer_index;
	reply.dest_endpoint = p->endpoint_index;
	reply.is_reply = 1;
	reply.src_session_id = evt->src_session_id;
	reply.target_session_id = ep->session_id;
	reply.target_recv_seqnum_start = p->next_match_recv_seq;
	reply.connect_seqnum = evt->connect_seqnum;
	reply.status_code = status;
	omx__driver_cmd(ep, OMX_CMD_SEND_CONNECT, &reply);
}

static void connect_unlink(struct omx__request *req)
{
	omx_list_del(&req->queue_elt);
	omx_list_del(&req->resend_elt);
	req->state &= ~OMX_REQ_NEED_REPLY;
}

/*
 * The peer answered a probe: it lives.  Whatever the key said (a wrong
 * one is refused without touching the peer's state), the reply carries its
 * session and the sequence number it expects from us: if it forgot us
 * (another session, a reset sequence), what we wait for will never come.
 * An ordinary connect would take the announced value as an ack; a probe
 * does not, in case it counts a partly received medium.
 */
static void probe_replied(struct omx_endpoint *ep, struct omx__request *req,
			  const struct omx_evt_connect *evt)
{
	struct omx__partner *p = req->partner;

	connect_unlink(req);
	omx__request_free(req);
	if (evt->status_code != 0 && evt->status_code != 11)
		return;
	if (!p->true_session_valid || p->true_session != evt->target_session_id) {
		fail_in_flight(ep, p);
		p->next_send_seq = p->next_acked_send_seq =
			evt->target_recv_seqnum_start;
		p->true_session = evt->target_session_id;
		p->true_session_valid = 1;
	} else if (!send_start_plausible(p, evt->target_recv_seqnum_start)) {
		fail_in_flight(ep, p);
		p->next_send_seq = p->next_acked_send_seq =
			evt->target_recv_seqnum_start;
	}
}

void omx__recv_connect_reply(struct omx_endpoint *ep,
			     const struct omx_evt_connect *evt)
{
	struct omx__partner *p = omx__partner_lookup(ep, evt->head.peer_index,
						     evt->head.src_endpoint);
	struct omx__request *req = NULL;
	struct omx_list *pos;

	if (!p || evt->src_session_id != ep->session_id)
		return;		/* not for this incarnation of us */
	omx__partner_heard(p);
	omx_list_for_each(pos, &ep->connect_q) {
		struct omx__request *r =
			OMX_LIST_ENTRY(pos, struct omx__request, queue_elt);

		if (r->partner == p &&
		    r->connect.connect_seqnum == evt->connect_seqnum) {
			req = r;
			break;
		}
	}
	if (!req)
		return;		/* duplicate or stale reply */
	if (req->connect.probe) {
		probe_replied(ep, req, evt);
		return;
	}
	if (evt->status_code == 11) {
		connect_unlink(req);
		omx__complete(req, OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY);
		return;
	}
	if (evt->status_code != 0)
		return;

	if (!p->true_session_valid || p->true_session != evt->target_session_id) {
		/* first contact, or the peer was reopened: restart our sends */
		fail_in_flight(ep, p);
		p->next_send_seq = p->next_acked_send_seq =
			evt->target_recv_seqnum_start;
		p->true_session = evt->target_session_id;
		p->true_session_valid = 1;
	} else {
		adopt_send_start(ep, p, evt->target_recv_seqnum_start);
	}
	connect_unlink(req);
	omx__partner_to_addr(p, &req->status.addr);
	omx__complete(req, OMX_SUCCESS);
}

/* ------------------------------------------------------------------------
 * Liveness probes (see the top of this file)
 */

/* A large send's RNDV was acked: it now waits for NOTIFY only. */
void omx__watch_notify(struct omx__request *req)
{
	struct omx__partner *p = req->partner;

	req->state |= OMX_REQ_WAIT_NOTIFY;
	if (p->notify_waits++ == 0) {
		omx_list_add_tail(&p->watch_elt, &req->ep->watch_q);
		p->heard = 1;	/* the ack just came from it */
	}
}

/* A watched send got its NOTIFY, or failed. */
void omx__unwatch_notify(struct omx__request *req)
{
	struct omx__partner *p = req->partner;

	if (!(req->state & OMX_REQ_WAIT_NOTIFY))
		return;
	req->state &= ~OMX_REQ_WAIT_NOTIFY;
	if (--p->notify_waits == 0)
		omx_list_del(&p->watch_elt);
}

static uint64_t probe_idle_us(void)
{
	return OMX_PROBE_IDLE_RESENDS * omx__globals.resend_delay_us;
}

/* Probe now? Only a watched partner with nothing else awaiting an ack. */
static int probe_wanted(const struct omx__partner *p)
{
	return !p->probe && omx_list_empty(&p->non_acked_q) &&
	       p->true_session_valid;
}

/* The smallest request timeout of p's waiting sends, in resends. */
static uint32_t probe_resends_max(struct omx_endpoint *ep,
				  const struct omx__partner *p)
{
	uint32_t max = OMX_RESENDS_INFINITE, i;

	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		const struct omx__request *req = ep->regions[i].req;

		if (req && req->partner == p &&
		    (req->state & OMX_REQ_WAIT_NOTIFY) && req->resends_max < max)
			max = req->resends_max;
	}
	return max;
}

static void probe_start(struct omx_endpoint *ep, struct omx__partner *p,
			uint64_t now)
{
	struct omx__request *req = omx__request_alloc(ep, OMX_REQ_CONNECT);

	if (!req)
		return;		/* try again at the next progression */
	req->state |= OMX_REQ_RELEASED | OMX_REQ_NEED_REPLY;
	req->quiet = 1;
	req->partner = p;
	req->connect.key = ep->key;
	req->connect.probe = 1;
	req->connect.connect_seqnum = p->next_connect_seqnum++;
	req->resends = 0;
	req->resends_max = probe_resends_max(ep, p);
	req->last_send_us = now;
	omx_list_add_tail(&req->queue_elt, &ep->connect_q);
	omx_list_add_tail(&req->resend_elt, &ep->resend_q);
	p->probe = req;
	if (omx__globals.verbose)
		omx__verbose("endpoint %u of peer %u silent while %u large "
			     "send(s) wait for it: probing\n", p->endpoint_index,
			     p->peer_index, p->notify_waits);
	send_connect(req);
}

void omx__probes_due(struct omx_endpoint *ep, uint64_t now)
{
	struct omx_list *pos, *tmp;

	omx_list_for_each_safe(pos, tmp, &ep->watch_q) {
		struct omx__partner *p =
			OMX_LIST_ENTRY(pos, struct omx__partner, watch_elt);

		if (p->heard) {
			p->heard = 0;
			p->last_heard_us = now;
		}
		if (probe_wanted(p) && now - p->last_heard_us >= probe_idle_us())
			probe_start(ep, p, now);
	}
}

/* When the next probe is due (UINT64_MAX: none). */
uint64_t omx__probe_deadline(struct omx_endpoint *ep)
{
	uint64_t d = UINT64_MAX;
	struct omx_list *pos;

	omx_list_for_each(pos, &ep->watch_q) {
		const struct omx__partner *p =
			OMX_LIST_ENTRY(pos, struct omx__partner, watch_elt);
		uint64_t t = p->heard ? 0 : p->last_heard_us + probe_idle_us();

		if (probe_wanted(p) && t < d)
			d = t;
	}
	return d;
}

/* Called when a probe request is freed, however it ended. */
void omx__probe_freed(struct omx__request *req)
{
	if (req->partner && req->partner->probe == req)
		req->partner->probe = NULL;
}

/* The peer's driver refused the probe (endpoint closed or bad). */
void omx__probe_nacked(struct omx__request *req, omx_return_t code)
{
	struct omx_endpoint *ep = req->ep;
	struct omx__partner *p = req->partner;
	unsigned i;

	omx__send_fail(req, code);
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		struct omx__request *r = ep->regions[i].req;

		if (r && r->partner == p && (r->state & OMX_REQ_WAIT_NOTIFY))
			omx__send_fail(r, code);
	}
}

/* ------------------------------------------------------------------------
 * The API
 */

/* Post a connect (lock held); the request, or NULL with *ret set. */
static struct omx__request *post_connect(struct omx_endpoint *ep,
					 uint64_t nic_id, uint32_t endpoint_id,
					 uint32_t key, uint64_t match_info,
					 void *context, omx_return_t *ret)
{
	struct omx_cmd_peer peer;
	struct omx__partner *p;
	struct omx__request *req;

	memset(&peer, 0, sizeof(peer));
	peer.addr = nic_id;
	if (omx__ioctl(omx__globals.control_fd, OMX_CMD_PEER_FROM_ADDR,
		       &peer) < 0) {
		*ret = OMX_NIC_ID_NOT_FOUND;
		return NULL;
	}
	req = omx__request_alloc(ep, OMX_REQ_CONNECT);
	if (!req) {
		*ret = OMX_NO_RESOURCES;
		return NULL;
	}
	req->status.match_info = match_info;
	req->status.context = context;
	req->connect.key = key;
	if (endpoint_id > 0xff) {
		/* cannot even be named on the wire */
		omx__complete(req, OMX_REMOTE_ENDPOINT_BAD_ID);
		return req;
	}
	p = omx__partner_get(ep, (uint16_t)peer.index, (uint8_t)endpoint_id);
	if (!p) {
		omx__request_free(req);
		*ret = OMX_NO_RESOURCES;
		return NULL;
	}
	req->partner = p;
	if (p == ep->myself) {
		/* completes at once (mx-api.md 4.3) */
		omx__partner_to_addr(p, &req->status.addr);
		omx__complete(req, key == ep->key ? OMX_SUCCESS :
			      OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY);
		return req;
	}
	req->connect.connect_seqnum = p->next_connect_seqnum++;
	req->state |= OMX_REQ_NEED_REPLY;
	req->resends = 0;
	req->last_send_us = omx__now_us();
	omx_list_add_tail(&req->queue_elt, &ep->connect_q);
	omx_list_add_tail(&req->resend_elt, &ep->resend_q);
	send_connect(req);
	return req;
}

OMX_EXPORT omx_return_t omx_iconnect(omx_endpoint_t ep, uint64_t nic_id,
				     uint32_t endpoint_id, uint32_t key,
				     uint64_t match_info, void *context,
				     omx_request_t *request)
{
	struct omx__request *req;
	omx_return_t ret;

	omx__lock(ep);
	if (request)
		*request = NULL;
	req = post_connect(ep, nic_id, endpoint_id, key, match_info, context,
			   &ret);
	if (!req) {
		omx__unlock(ep);
		return omx__error(ep, ret, "Connecting to endpoint %u of %012llx",
				  endpoint_id, (unsigned long long)nic_id);
	}
	if (request) {
		*request = omx__handle(req);
	} else {
		omx__request_release(req);
	}
	omx__unlock(ep);
	return OMX_SUCCESS;
}

static int connect_done(struct omx_endpoint *ep, void *arg)
{
	(void)ep;
	return (((struct omx__request *)arg)->state & OMX_REQ_DONE) != 0;
}

OMX_EXPORT omx_return_t omx_connect(omx_endpoint_t endpoint, uint64_t nic_id,
				    uint32_t endpoint_id, uint32_t key,
				    uint32_t timeout, omx_endpoint_addr_t *addr)
{
	struct omx_endpoint *ep = endpoint;
	struct omx__request *req;
	omx_return_t ret;
	int done;

	omx__lock(ep);
	req = post_connect(ep, nic_id, endpoint_id, key, 0, NULL, &ret);
	if (!req) {
		omx__unlock(ep);
		return omx__error(ep, ret, "Connecting to endpoint %u of %012llx",
				  endpoint_id, (unsigned long long)nic_id);
	}
	/* the outcome is reported once, by this call, not at completion */
	req->quiet = 1;
	done = omx__wait_until(ep, connect_done, req, timeout);
	if (done <= 0) {
		if (req->state & OMX_REQ_NEED_REPLY)
			connect_unlink(req);
		omx__request_free(req);
		omx__unlock(ep);
		return omx__error(ep, OMX_TIMEOUT,
				  "Connecting to endpoint %u of %012llx: %s",
				  endpoint_id, (unsigned long long)nic_id,
				  done < 0 ? "woken up" : "no answer in time");
	}
	ret = req->status.code;
	if (ret == OMX_SUCCESS)
		*addr = req->status.addr;
	omx__request_free(req);
	omx__unlock(ep);
	if (ret == OMX_REMOTE_ENDPOINT_UNREACHABLE)
		ret = OMX_TIMEOUT;
	if (ret != OMX_SUCCESS)
		return omx__error(ep, ret, "Connecting to endpoint %u of %012llx",
				  endpoint_id, (unsigned long long)nic_id);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_disconnect(omx_endpoint_t ep,
				       omx_endpoint_addr_t addr)
{
	struct omx__partner *p = omx__partner_from_addr(&addr);

	omx__lock(ep);
	omx__progress(ep);
	omx__partner_reset(ep, p, OMX_REMOTE_ENDPOINT_UNREACHABLE);
	omx__unlock(ep);
	return OMX_SUCCESS;
}
