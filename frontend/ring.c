// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring.c - the frontend's shared rings, event channel and interrupt.
 *
 * The frontend trusts the backend no more than the backend trusts it:
 * producer indexes are bounded by what we asked for, every response and
 * event is copied before use, and ids must name a request in flight.  A
 * backend that breaks those rules gets the device shut down.
 *
 * The event channel also tells endpoints (endpoint.c) that the backend
 * published events for them; the interrupt wakes their sleepers, and a
 * connection that ends takes its endpoints with it.
 */
#include "common.h"
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <xen/events.h>

static void x2mfront_fail_pending(struct x2mfront_device *fe)
{
	unsigned int i;

	/* Waiters see !connected or broken and give up; free what they left. */
	for (i = 0; i < fe->ring_slots; i++) {
		struct x2mfront_pending *p = &fe->pending[i];

		if (p->in_use && p->abandoned) {
			p->in_use = false;
			fe->pending_free++;
		}
	}
}

/* Called with ring_lock held, from the interrupt handler. */
static void x2mfront_break(struct x2mfront_device *fe, const char *why)
{
	if (fe->broken)
		return;
	fe->broken = true;
	fe->fatal_why = why;
	x2mfront_fail_pending(fe);
	schedule_work(&fe->fatal_work);
}

static void x2mfront_pending_done(struct x2mfront_device *fe,
				  struct x2mfront_pending *p)
{
	if (!p->rsp_done || (p->want_event && !p->evt_done))
		return;
	if (p->abandoned) {
		p->in_use = false;
		fe->pending_free++;
	}
}

/*
 * The caller of a request is done waiting for it, with @err (0, or why
 * the wait was cut short).  Copies a complete answer to @answer and frees
 * the entry, or leaves the entry to the interrupt handler, which frees it
 * when the answer comes.  An answer that arrived after the wait was cut
 * short but before this runs is taken here: the command was carried out,
 * so the caller must learn it (and nobody else would free the entry).
 * Returns 0 with an answer, or the error to report.  Caller holds
 * ring_lock.
 */
int x2mfront_pending_settle(struct x2mfront_device *fe,
			    struct x2mfront_pending *p, int err,
			    struct x2mfront_pending *answer)
{
	lockdep_assert_held(&fe->ring_lock);
	if (!x2mfront_usable(fe))
		/* Teardown frees the table; the entry must not be touched after. */
		return fe->broken ? -EIO : -ENOTCONN;
	if (err && (!p->rsp_done || (p->want_event && !p->evt_done))) {
		p->abandoned = true;	/* x2mfront_pending_done frees it */
		return err;
	}
	*answer = *p;
	p->in_use = false;
	fe->pending_free++;
	return 0;
}

/* The request in flight at @idx, or NULL when that slot holds none. */
static struct x2mfront_pending *x2mfront_in_flight(struct x2mfront_device *fe,
						   u32 idx)
{
	if (idx >= fe->ring_slots || !fe->pending[idx].in_use)
		return NULL;
	return &fe->pending[idx];
}

static bool x2mfront_consume_responses(struct x2mfront_device *fe)
{
	struct xen2mx_req_front_ring *ring = &fe->req_ring;
	struct xen2mx_response rsp;
	struct x2mfront_pending *p;
	RING_IDX prod, cons;
	bool found = false;
	int more;

	do {
		prod = READ_ONCE(ring->sring->rsp_prod);
		virt_rmb();	/* responses are read after their index */
		/* The backend cannot answer more requests than we sent. */
		if (x2m_ring_prod_overflow(prod, ring->rsp_cons,
					   ring->req_prod_pvt - ring->rsp_cons)) {
			x2mfront_break(fe, "response producer index out of range");
			return found;
		}
		for (cons = ring->rsp_cons; cons != prod; cons++) {
			RING_COPY_RESPONSE(ring, cons, &rsp);
			found = true;
			p = x2mfront_in_flight(fe, lower_32_bits(rsp.id));
			if (!p || p->generation != upper_32_bits(rsp.id) ||
			    p->rsp_done || rsp.len > XEN2MX_INLINE_MAX) {
				x2mfront_break(fe, "response to no request in flight");
				return found;
			}
			p->rsp = rsp;
			p->rsp_done = true;
			atomic64_inc(&fe->stats.responses);
			x2mfront_pending_done(fe, p);
		}
		ring->rsp_cons = cons;
		RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
	} while (more);
	return found;
}

/* Give one credit back to the backend for each event consumed. */
static void x2mfront_post_credit(struct x2mfront_device *fe, u64 id)
{
	struct xen2mx_evt_front_ring *ring = &fe->evt_ring;
	struct xen2mx_evt_credit *credit;

	credit = RING_GET_REQUEST(ring, ring->req_prod_pvt);
	memset(credit, 0, sizeof(*credit));
	credit->id = id;
	ring->req_prod_pvt++;
}

static bool x2mfront_consume_events(struct x2mfront_device *fe)
{
	struct xen2mx_evt_front_ring *ring = &fe->evt_ring;
	struct xen2mx_event evt;
	struct x2mfront_pending *p;
	RING_IDX prod, cons;
	bool found = false;
	int more;

	do {
		prod = READ_ONCE(ring->sring->rsp_prod);
		virt_rmb();
		/* Events can only fill credits we posted. */
		if (x2m_ring_prod_overflow(prod, ring->rsp_cons,
					   ring->req_prod_pvt - ring->rsp_cons)) {
			x2mfront_break(fe, "event producer index out of range");
			return found;
		}
		for (cons = ring->rsp_cons; cons != prod; cons++) {
			RING_COPY_RESPONSE(ring, cons, &evt);
			found = true;
			atomic64_inc(&fe->stats.events);
			if (evt.len > XEN2MX_INLINE_MAX) {
				x2mfront_break(fe, "event longer than a slot");
				return found;
			}
			if (evt.type == XEN2MX_EVT_ECHO) {
				p = x2mfront_in_flight(fe, evt.req_id);
				if (!p || !p->want_event || p->evt_done) {
					x2mfront_break(fe, "echo event for no request in flight");
					return found;
				}
				p->evt = evt;
				p->evt_done = true;
				x2mfront_pending_done(fe, p);
			} else {
				/* Newer backends may send types we do not know. */
				pr_warn_ratelimited("device %u: ignoring event type %u\n",
						    fe->devid, evt.type);
			}
			x2mfront_post_credit(fe, evt.id);
		}
		ring->rsp_cons = cons;
		RING_PUSH_REQUESTS(ring);	/* credits; the backend polls them */
		RING_FINAL_CHECK_FOR_RESPONSES(ring, more);
	} while (more);
	return found;
}

/*
 * The connection under @fe's endpoints ended (or broke): the backend has
 * closed them.  Any context.
 */
void x2mfront_endpoints_kill(struct x2mfront_device *fe)
{
	struct x2mfront_endpoint *ep, *next;
	unsigned long flags;

	spin_lock_irqsave(&fe->ep_lock, flags);
	list_for_each_entry_safe(ep, next, &fe->endpoints, node)
		x2mfront_endpoint_kill_locked(ep);
	spin_unlock_irqrestore(&fe->ep_lock, flags);
}

/* Something for WAIT_EVENT to report (the library may not have seen it). */
static bool x2mfront_endpoint_has_news(struct x2mfront_endpoint *ep)
{
	struct omx_abi_desc *desc = ep->desc;

	return READ_ONCE(desc->eventq_prod) != READ_ONCE(desc->eventq_cons) ||
	       (READ_ONCE(desc->status) & OMX_ABI_DESC_STATUS_IFACE_GONE);
}

/*
 * Wake every endpoint's sleepers, who look for themselves (endpoint.c).
 * Returns whether some endpoint had news, so a kick for an event is not
 * taken for a spurious interrupt (lateeoi would throttle us).
 */
static bool x2mfront_endpoints_wake(struct x2mfront_device *fe)
{
	struct x2mfront_endpoint *ep;
	unsigned long flags;
	bool news = false;

	spin_lock_irqsave(&fe->ep_lock, flags);
	list_for_each_entry(ep, &fe->endpoints, node) {
		if (!ep->desc)
			continue;	/* still opening */
		news |= x2mfront_endpoint_has_news(ep);
		if (wq_has_sleeper(&ep->waitq)) {
			wake_up_all(&ep->waitq);
			atomic64_inc(&fe->stats.ep_wakeups);
		}
	}
	spin_unlock_irqrestore(&fe->ep_lock, flags);
	return news;
}

/*
 * One event channel serves the rings and every endpoint: the backend also
 * kicks it after publishing an event in an endpoint that asked for it
 * (desc->armed), and a kick says nothing about which one.
 */
static irqreturn_t x2mfront_interrupt(int irq, void *dev_id)
{
	struct x2mfront_device *fe = dev_id;
	unsigned long flags;
	bool found = false, broken;

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (!fe->broken && fe->pending) {
		found = x2mfront_consume_responses(fe);
		found |= x2mfront_consume_events(fe);
	}
	broken = fe->broken;
	spin_unlock_irqrestore(&fe->ring_lock, flags);

	if (found)
		wake_up_all(&fe->wq);
	/* No command reaches a broken device: its endpoints are dead now. */
	if (broken)
		x2mfront_endpoints_kill(fe);
	found |= x2mfront_endpoints_wake(fe);
	/* A backend that kicks us for nothing gets throttled. */
	xen_irq_lateeoi(irq, found ? 0 : XEN_EOI_FLAG_SPURIOUS);
	return IRQ_HANDLED;
}

static int x2mfront_alloc_ring(struct x2mfront_device *fe, unsigned int order,
			       void **sring, grant_ref_t *refs)
{
	return xenbus_setup_ring(fe->dev, GFP_KERNEL, sring, 1u << order, refs);
}

/*
 * Allocate and grant both rings, post every event credit and bind a fresh
 * event channel.  The backend learns about them from xenbus.c.
 */
int x2mfront_ring_setup(struct x2mfront_device *fe, unsigned int order)
{
	unsigned int size = XEN_PAGE_SIZE << order, i;
	int err;

	err = x2mfront_alloc_ring(fe, order, &fe->req_sring, fe->req_refs);
	if (err)
		return err;
	err = x2mfront_alloc_ring(fe, order, &fe->evt_sring, fe->evt_refs);
	if (err)
		goto free_req;

	XEN_FRONT_RING_INIT(&fe->req_ring, (struct xen2mx_req_sring *)fe->req_sring, size);
	XEN_FRONT_RING_INIT(&fe->evt_ring, (struct xen2mx_evt_sring *)fe->evt_sring, size);
	fe->ring_page_order = order;
	fe->ring_slots = RING_SIZE(&fe->req_ring);

	fe->pending = kcalloc(fe->ring_slots, sizeof(*fe->pending), GFP_KERNEL);
	if (!fe->pending) {
		err = -ENOMEM;
		goto free_evt;
	}
	fe->pending_free = fe->ring_slots;
	fe->broken = false;

	for (i = 0; i < fe->ring_slots; i++)
		x2mfront_post_credit(fe, i);
	RING_PUSH_REQUESTS(&fe->evt_ring);

	err = xenbus_alloc_evtchn(fe->dev, &fe->evtchn);
	if (err)
		goto free_pending;
	err = bind_evtchn_to_irqhandler_lateeoi(fe->evtchn, x2mfront_interrupt,
						0, "xen2mx-front", fe);
	if (err < 0) {
		xenbus_free_evtchn(fe->dev, fe->evtchn);
		goto free_pending;
	}
	fe->irq = err;
	return 0;

free_pending:
	kfree(fe->pending);
	fe->pending = NULL;
free_evt:
	xenbus_teardown_ring(&fe->evt_sring, 1u << order, fe->evt_refs);
free_req:
	xenbus_teardown_ring(&fe->req_sring, 1u << order, fe->req_refs);
	return err;
}

/* Caller holds conn_sem for writing and has called x2mfront_ring_stop(). */
void x2mfront_ring_teardown(struct x2mfront_device *fe)
{
	unsigned int nr = 1u << fe->ring_page_order;

	if (!fe->pending)
		return;
	/* Unbinding also closes the event channel. */
	unbind_from_irqhandler(fe->irq, fe);
	fe->irq = 0;
	xenbus_teardown_ring(&fe->evt_sring, nr, fe->evt_refs);
	xenbus_teardown_ring(&fe->req_sring, nr, fe->req_refs);
	kfree(fe->pending);
	fe->pending = NULL;
	fe->ring_slots = 0;
}

/* The backend is Connected: requests may flow. */
void x2mfront_ring_start(struct x2mfront_device *fe)
{
	unsigned long flags;

	spin_lock_irqsave(&fe->ring_lock, flags);
	fe->connected = true;
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	wake_up_all(&fe->wq);
}

/*
 * Refuse new requests and release everyone waiting on the rings.  The
 * backend closes every endpoint of a connection that ends, so ours die
 * here too, and their sleepers learn it at once.
 */
void x2mfront_ring_stop(struct x2mfront_device *fe)
{
	unsigned long flags;

	spin_lock_irqsave(&fe->ring_lock, flags);
	fe->connected = false;
	if (fe->pending)
		x2mfront_fail_pending(fe);
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	wake_up_all(&fe->wq);
	x2mfront_endpoints_kill(fe);
}
