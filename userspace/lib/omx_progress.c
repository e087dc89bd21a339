/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_progress.c - progression (mx-api.md 7.12): draining the event
 * queue, retransmissions, delayed acks, and sleeping in the driver until
 * the next of those deadlines.
 *
 * There is no background thread.  Every call that progresses takes the
 * endpoint's mutex, consumes the events the driver queued, runs the timers
 * that expired, and retries sends and pulls that were waiting for
 * resources.  A blocking call sleeps in OMX_CMD_WAIT_EVENT with the mutex
 * released, for no longer than the next library deadline, so acks and
 * retransmissions keep their schedule while the application waits.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#include "omx_lib.h"

#define OMX_EVENTS_PER_PROGRESS	OMX_ABI_EVENTQ_SLOTS

static void process_event(struct omx_endpoint *ep, const union omx_evt *evt)
{
	const uint8_t *payload;
	uint32_t slot;

	switch (evt->head.type) {
	case OMX_EVT_RECV_CONNECT_REQUEST:
		omx__recv_connect_request(ep, &evt->connect);
		break;
	case OMX_EVT_RECV_CONNECT_REPLY:
		omx__recv_connect_reply(ep, &evt->connect);
		break;
	case OMX_EVT_RECV_TINY:
		omx__recv_msg(ep, evt, evt->msg.tiny.data);
		break;
	case OMX_EVT_RECV_SMALL:
	case OMX_EVT_RECV_MEDIUM_FRAG:
		/* small.recvq_slot and medium.recvq_slot share their offset */
		slot = evt->msg.small.recvq_slot;
		if (slot < OMX_ABI_RECVQ_SLOTS) {
			payload = ep->recvq + (size_t)slot * OMX_ABI_RECVQ_SLOT_SIZE;
			omx__recv_msg(ep, evt, payload);
		}
		/* every such event owns the next receive slot: release it */
		ep->desc->recvq_cons = ep->desc->recvq_cons + 1;
		break;
	case OMX_EVT_RECV_RNDV:
	case OMX_EVT_RECV_NOTIFY:
		omx__recv_msg(ep, evt, NULL);
		break;
	case OMX_EVT_RECV_LIBACK:
		omx__recv_liback(ep, &evt->liback);
		break;
	case OMX_EVT_RECV_NACK_LIB:
		omx__recv_nack_lib(ep, &evt->nack_lib);
		break;
	case OMX_EVT_PULL_DONE:
		omx__recv_pull_done(ep, &evt->pull_done);
		break;
	default:
		break;		/* unknown: a newer driver's business */
	}
}

/* Drain the event queue; the number of events processed. */
static unsigned process_events(struct omx_endpoint *ep)
{
	unsigned n = 0;

	while (n < OMX_EVENTS_PER_PROGRESS && !ep->in_handler) {
		uint32_t cons = ep->desc->eventq_cons;
		uint32_t prod = __atomic_load_n(&ep->desc->eventq_prod,
						__ATOMIC_ACQUIRE);
		union omx_evt evt;

		if (cons == prod)
			break;
		/* a private copy: the slot is the driver's once cons moves */
		memcpy(&evt, (const void *)&ep->eventq[cons % OMX_ABI_EVENTQ_SLOTS],
		       sizeof(evt));
		__atomic_store_n(&ep->desc->eventq_cons, cons + 1,
				 __ATOMIC_RELEASE);
		process_event(ep, &evt);
		n++;
	}
	return n;
}

/*
 * A request was retransmitted resends_max times without an ack (or a
 * connect without a reply): the peer endpoint is unreachable (wire 6.3).
 */
static void partner_unreachable(struct omx_endpoint *ep,
				struct omx__partner *p)
{
	if (omx__globals.verbose)
		omx__verbose("endpoint %u of peer %u unreachable\n",
			     p->endpoint_index, p->peer_index);
	omx__partner_reset(ep, p, OMX_REMOTE_ENDPOINT_UNREACHABLE);
}

static void resend_due(struct omx_endpoint *ep, uint64_t now)
{
	while (!omx_list_empty(&ep->resend_q)) {
		struct omx__request *req =
			omx_list_first_entry(&ep->resend_q, struct omx__request,
					     resend_elt);

		if (req->last_send_us + omx__globals.resend_delay_us > now)
			return;
		if (req->resends_max != OMX_RESENDS_INFINITE &&
		    req->resends >= req->resends_max) {
			partner_unreachable(ep, req->partner);
			continue;	/* the reset dequeued req */
		}
		if (req->type == OMX_REQ_CONNECT)
			omx__connect_resend(req);
		else
			omx__send_resend(req);
		req->resends++;
		req->last_send_us = now;
		omx_list_del(&req->resend_elt);
		omx_list_add_tail(&req->resend_elt, &ep->resend_q);
	}
}

/* One round of progression (lock held). */
void omx__progress(struct omx_endpoint *ep)
{
	uint64_t now;
	unsigned n;

	if (ep->progression_disabled || ep->in_handler)
		return;
	if (ep->desc->status & OMX_ABI_DESC_STATUS_IFACE_GONE)
		omx__abort(ep, "The endpoint's interface was removed");
	n = process_events(ep);
	now = omx__now_us();
	resend_due(ep, now);
	omx__probes_due(ep, now);
	omx__acks_due(ep, now);
	omx__pull_waiting(ep);
	omx__send_throttled(ep);
	if (n)
		omx__wake_sleepers(ep);
}

/* When the next library timer expires (UINT64_MAX: none). */
static uint64_t next_deadline(struct omx_endpoint *ep)
{
	uint64_t d = UINT64_MAX;

	if (!omx_list_empty(&ep->resend_q))
		d = omx_list_first_entry(&ep->resend_q, struct omx__request,
					 resend_elt)->last_send_us +
		    omx__globals.resend_delay_us;
	if (!omx_list_empty(&ep->ack_q)) {
		uint64_t a = omx_list_first_entry(&ep->ack_q,
						  struct omx__partner,
						  ack_elt)->ack_deadline_us;
		if (a < d)
			d = a;
	}
	if (!omx_list_empty(&ep->watch_q)) {
		uint64_t p = omx__probe_deadline(ep);

		if (p < d)
			d = p;
	}
	return d;
}

/* Another thread may be asleep waiting for what we just did. */
void omx__wake_sleepers(struct omx_endpoint *ep)
{
	if (ep->sleepers)
		omx__ioctl(ep->fd, OMX_CMD_WAKEUP, NULL);
}

enum sleep_result {
	SLEEP_AGAIN,	/* an event, a timer or another thread: look again */
	SLEEP_WOKEN,	/* omx_wakeup(), or a signal with OMX_WAITINTR=1 */
};

/*
 * Sleep (lock released) until an event, the deadline, or a wakeup.
 * WOKEN only for omx_wakeup() (and signals with OMX_WAITINTR=1); the
 * library's own wakeups just make the caller look again.
 */
static enum sleep_result sleep_in_driver(struct omx_endpoint *ep,
					 uint64_t deadline,
					 uint32_t user_wakeups_seen)
{
	struct omx_cmd_wait_event cmd;
	uint64_t now = omx__now_us();
	int err;

	if (deadline <= now)
		return SLEEP_AGAIN;
	if (omx__globals.waitspin) {
		omx__unlock(ep);
		sched_yield();
		omx__lock(ep);
		return SLEEP_AGAIN;
	}
	memset(&cmd, 0, sizeof(cmd));
	if (deadline == UINT64_MAX ||
	    (deadline - now + 999) / 1000 >= OMX_ABI_WAIT_INFINITE)
		cmd.timeout_ms = OMX_ABI_WAIT_INFINITE;
	else
		cmd.timeout_ms = (uint32_t)((deadline - now + 999) / 1000);
	cmd.wakeups = ep->desc->wakeups;
	ep->sleepers++;
	omx__unlock(ep);
	err = omx__ioctl(ep->fd, OMX_CMD_WAIT_EVENT, &cmd);
	omx__lock(ep);
	ep->sleepers--;
	if (ep->user_wakeups != user_wakeups_seen)
		return SLEEP_WOKEN;
	if (err == -EINTR)
		return omx__globals.waitintr ? SLEEP_WOKEN : SLEEP_AGAIN;
	if (err == -ESHUTDOWN)
		omx__abort(ep, "The endpoint's interface was removed");
	if (err < 0)
		return SLEEP_AGAIN;
	switch (cmd.status) {
	case OMX_ABI_WAIT_INTR:
		return omx__globals.waitintr ? SLEEP_WOKEN : SLEEP_AGAIN;
	case OMX_ABI_WAIT_DEAD:
		omx__abort(ep, "The endpoint's interface was removed");
	default:
		return SLEEP_AGAIN;
	}
}

/*
 * Progression is off (omx_disable_progression, or the unexpected handler
 * runs in another thread): the driver's queue would wake us at once and
 * keep doing so, so wait for the condition variable instead, a bounded
 * while of real time.
 */
static void sleep_unprogressed(struct omx_endpoint *ep, uint64_t remaining_us)
{
	struct timespec ts;
	uint64_t ns;

	if (remaining_us > 10000)
		remaining_us = 10000;
	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (uint64_t)ts.tv_nsec + remaining_us * 1000;
	ts.tv_sec += (time_t)(ns / 1000000000);
	ts.tv_nsec = (long)(ns % 1000000000);
	pthread_cond_timedwait(&ep->progress_cond, &ep->lock, &ts);
}

/*
 * Progress and sleep until cond() holds (1), the timeout in ms passes (0),
 * or omx_wakeup() is called (-1).  Lock held.
 */
int omx__wait_until(struct omx_endpoint *ep,
		    int (*cond)(struct omx_endpoint *ep, void *arg), void *arg,
		    uint32_t timeout_ms)
{
	uint64_t start = omx__now_us();
	uint64_t limit = timeout_ms == OMX_TIMEOUT_INFINITE ? UINT64_MAX :
			 start + (uint64_t)timeout_ms * 1000;
	uint32_t wakeups = ep->user_wakeups;

	for (;;) {
		uint64_t d, now;

		omx__progress(ep);
		if (cond(ep, arg))
			return 1;
		if (ep->user_wakeups != wakeups)
			return -1;
		now = omx__now_us();
		if (now >= limit)
			return 0;
		if (ep->progression_disabled || ep->in_handler) {
			sleep_unprogressed(ep, limit - now);
			continue;
		}
		d = next_deadline(ep);
		if (d > limit)
			d = limit;
		if (sleep_in_driver(ep, d, wakeups) == SLEEP_WOKEN)
			return cond(ep, arg) ? 1 : -1;
	}
}

/* ------------------------------------------------------------------------
 * Unexpected handler
 */
void omx__unexp_handler_call(struct omx_endpoint *ep,
			     struct omx__request *unexp, const void *data,
			     int *finished)
{
	omx_unexp_handler_t handler = ep->unexp_handler;
	void *context = ep->unexp_handler_context;
	omx_unexp_handler_action_t action;
	omx_endpoint_addr_t source;

	omx__partner_to_addr(unexp->partner, &source);
	ep->in_handler = 1;
	ep->handler_thread = pthread_self();
	omx__unlock(ep);
	action = handler(context, source, unexp->status.match_info,
			 unexp->status.msg_length, (void *)data);
	omx__lock(ep);
	ep->in_handler = 0;
	pthread_cond_broadcast(&ep->progress_cond);
	if (action != OMX_UNEXP_HANDLER_RECV_CONTINUE &&
	    action != OMX_UNEXP_HANDLER_RECV_FINISHED)
		omx__abort(ep, "The unexpected handler returned %d", (int)action);
	*finished = action == OMX_UNEXP_HANDLER_RECV_FINISHED;
}

/* ------------------------------------------------------------------------
 * The API
 */
OMX_EXPORT omx_return_t omx_progress(omx_endpoint_t ep)
{
	omx__lock(ep);
	omx__progress(ep);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_disable_progression(omx_endpoint_t ep)
{
	omx__lock(ep);
	ep->progression_disabled = 1;
	/* let a handler running in another thread finish first */
	while (ep->in_handler &&
	       !pthread_equal(ep->handler_thread, pthread_self()))
		pthread_cond_wait(&ep->progress_cond, &ep->lock);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_reenable_progression(omx_endpoint_t ep)
{
	omx__lock(ep);
	ep->progression_disabled = 0;
	pthread_cond_broadcast(&ep->progress_cond);
	omx__progress(ep);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_wakeup(omx_endpoint_t ep)
{
	omx__lock(ep);
	ep->user_wakeups++;
	pthread_cond_broadcast(&ep->progress_cond);
	omx__ioctl(ep->fd, OMX_CMD_WAKEUP, NULL);
	omx__unlock(ep);
	return OMX_SUCCESS;
}

OMX_EXPORT omx_return_t omx_register_unexp_handler(omx_endpoint_t ep,
						   omx_unexp_handler_t handler,
						   void *context)
{
	omx__lock(ep);
	ep->unexp_handler = handler;
	ep->unexp_handler_context = context;
	omx__unlock(ep);
	return OMX_SUCCESS;
}

/*
 * Retransmissions allowed before the peer is declared unreachable, one per
 * resend period.  Unlike Open-MX 1.5 (32-bit ms * 2 that wraps, so that
 * OMX_TIMEOUT_INFINITE meant "give up after 0.5 s"), large values do not
 * wrap and OMX_TIMEOUT_INFINITE means never give up.  No lock: it may be
 * called from an error handler; a racing progress sees the old or the new
 * limit, both valid.
 */
OMX_EXPORT omx_return_t omx_set_request_timeout(omx_endpoint_t endpoint,
						omx_request_t request,
						uint32_t milliseconds)
{
	uint64_t delay_ms = omx__globals.resend_delay_us / 1000;
	uint32_t resends;

	if (milliseconds == OMX_TIMEOUT_INFINITE)
		resends = OMX_RESENDS_INFINITE;
	else
		resends = (uint32_t)(((uint64_t)milliseconds + delay_ms - 1) /
				     (delay_ms ? delay_ms : 1));
	if (request) {
		omx__req(request)->resends_max = resends;
		return OMX_SUCCESS;
	}
	endpoint->resends_max = resends;
	endpoint->pull_timeout_ms = milliseconds == OMX_TIMEOUT_INFINITE ?
				    OMX_ABI_WAIT_INFINITE : milliseconds;
	return OMX_SUCCESS;
}
