// SPDX-License-Identifier: GPL-2.0-only
/*
 * request.c - the backend's data path: drain the request ring, answer each
 * request, and produce events on the event ring.
 *
 * The guest can rewrite the shared pages at any moment, so the producer
 * index is read once per pass and checked, and every request is copied to
 * the stack (RING_COPY_REQUEST) before a single field of it is looked at.
 *
 * Each request is paid for from the device's credit before it runs
 * (common.h): a guest gets at most credit_rate units of dom0 work per
 * second, however fast it fills its ring.  Out of credit, the worker
 * leaves the request on the ring and comes back when the credit is there,
 * without sending the EOI, so the guest's event channel stays masked and
 * its notifications cost nothing meanwhile.
 */
#include "common.h"
#include <linux/sched.h>
#include <linux/string.h>


void x2mback_fill_stats(struct x2mback_device *be, struct xen2mx_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ring_pages_mapped = READ_ONCE(be->ring_pages_mapped);
	st->grants_mapped = READ_ONCE(be->grants_mapped);
	st->requests = atomic64_read(&be->stats.requests);
	st->errors = atomic64_read(&be->stats.errors);
	st->events = atomic64_read(&be->stats.events);
	st->notifications = atomic64_read(&be->stats.notifications);
}

static void x2mback_disable(struct x2mback_device *be, const char *why)
{
	WRITE_ONCE(be->disabled, true);
	x2mback_dev_log(be, err, "%s; device disabled\n", why);
	be->ops->fatal(be, -EPROTO, why);
}

/*
 * Take one credit the frontend posted on the event ring and fill its slot
 * with @evt.  Returns false when there is no credit (or the guest's credit
 * producer is out of bounds, which disables the device).
 */
static bool x2mback_post_event(struct x2mback_device *be,
			       struct xen2mx_event *evt)
{
	struct xen2mx_evt_back_ring *ring = &be->evt_ring;
	struct xen2mx_evt_credit credit;
	RING_IDX prod;
	int notify;

	prod = READ_ONCE(ring->sring->req_prod);
	virt_rmb();	/* credits are read after the index that publishes them */
	if (x2m_ring_prod_overflow(prod, ring->rsp_prod_pvt, RING_SIZE(ring))) {
		x2mback_disable(be, "event ring credit producer out of range");
		return false;
	}
	if (ring->req_cons == prod)
		return false;

	RING_COPY_REQUEST(ring, ring->req_cons, &credit);
	ring->req_cons++;
	evt->id = credit.id;
	memcpy(RING_GET_RESPONSE(ring, ring->rsp_prod_pvt), evt, sizeof(*evt));
	ring->rsp_prod_pvt++;
	atomic64_inc(&be->stats.events);

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(ring, notify);
	if (notify) {
		be->ops->notify(be);
		atomic64_inc(&be->stats.notifications);
	}
	return true;
}

void x2mback_credit_init(struct x2mback_device *be)
{
	be->credit = be->credit_burst;
	be->credit_stamp = jiffies;
	be->credit_wait = 0;
}

/* What @req costs, from its (private copy of its) header alone. */
static u32 x2mback_request_cost(const struct xen2mx_request *req)
{
	struct xen2mx_omx_hdr hdr;

	if (req->op != XEN2MX_OP_OMX || req->len < sizeof(hdr))
		return X2MBACK_COST_REQUEST;
	memcpy(&hdr, req->payload, sizeof(hdr));
	switch (hdr.cmd) {
	case _IOC_NR(OMX_CMD_OPEN_ENDPOINT):
	case XEN2MX_OMXC_CLOSE_ENDPOINT:
		return X2MBACK_COST_ENDPOINT;
	case XEN2MX_OMXC_REGION_PIECES:
		return X2MBACK_COST_REQUEST +
		       XEN2MX_OMX_PIECE_DIRS_MAX * X2MBACK_COST_DIR_PAGE;
	}
	return X2MBACK_COST_REQUEST;
}

/*
 * Pay @cost from the credit, refilled for the time gone by; or leave it
 * and say in be->credit_wait how many jiffies until it can be paid.
 */
static bool x2mback_credit_take(struct x2mback_device *be, u32 cost)
{
	unsigned long now = jiffies, elapsed = now - be->credit_stamp;

	if (elapsed) {
		u64 refill = (u64)min_t(unsigned long, elapsed, HZ) *
			     be->credit_rate / HZ;

		be->credit = min_t(u64, be->credit_burst, be->credit + refill);
		be->credit_stamp = now;
	}
	if (be->credit >= cost) {
		be->credit -= cost;
		return true;
	}
	be->credit_wait = max_t(unsigned long, 1,
				DIV_ROUND_UP_ULL((u64)(cost - be->credit) * HZ,
						 be->credit_rate));
	return false;
}

static void x2mback_handle(struct x2mback_device *be,
			   const struct xen2mx_request *req,
			   struct xen2mx_response *rsp)
{
	struct xen2mx_event evt;
	struct xen2mx_stats st;
	int status;

	memset(rsp, 0, sizeof(*rsp));
	rsp->id = req->id;
	rsp->op = req->op;

	status = x2m_request_check(req);
	if (status != XEN2MX_ST_OK) {
		/* XEN2MX_OP_OMX answers in errno values (xen2mx_proto.h). */
		if (req->op == XEN2MX_OP_OMX)
			status = -EINVAL;
		goto error;
	}

	switch (req->op) {
	case XEN2MX_OP_ECHO:
		memset(&evt, 0, sizeof(evt));
		x2m_echo_fill(req, rsp, &evt);
		if ((req->flags & XEN2MX_ECHO_VIA_EVENT) &&
		    !x2mback_post_event(be, &evt)) {
			status = XEN2MX_ST_ENOSPC;
			goto error;
		}
		return;
	case XEN2MX_OP_STATS:
		x2mback_fill_stats(be, &st);
		memcpy(rsp->payload, &st, sizeof(st));
		rsp->len = sizeof(st);
		rsp->status = XEN2MX_ST_OK;
		return;
	case XEN2MX_OP_OMX:
		x2mback_omx_request(be, req, rsp);
		return;
	}
	status = XEN2MX_ST_ENOSYS;	/* x2m_request_check knows every op above */
error:
	rsp->len = 0;
	rsp->status = status;
	atomic64_inc(&be->stats.errors);
}

/*
 * Handle up to @budget requests.  *@more tells whether requests are still
 * waiting (the caller then runs again before sending the EOI).  Returns the
 * number handled, or -EPROTO when the guest broke the ring.
 */
int x2mback_process_requests(struct x2mback_device *be, unsigned int budget,
			     bool *more)
{
	struct xen2mx_req_back_ring *ring = &be->req_ring;
	struct xen2mx_request req;
	struct xen2mx_response rsp;
	RING_IDX prod, cons;
	int handled = 0, notify, pending;

	*more = false;
	be->credit_wait = 0;
	if (READ_ONCE(be->disabled))
		return -EPROTO;

	prod = READ_ONCE(ring->sring->req_prod);
	virt_rmb();	/* requests are read after the index that publishes them */
	if (x2m_ring_prod_overflow(prod, ring->rsp_prod_pvt, RING_SIZE(ring))) {
		x2mback_disable(be, "request producer index out of range");
		return -EPROTO;
	}

	for (cons = ring->req_cons; cons != prod && handled < budget; cons++) {
		RING_COPY_REQUEST(ring, cons, &req);
		if (!x2mback_credit_take(be, x2mback_request_cost(&req))) {
			/* Left on the ring: copied again when paid for. */
			atomic64_inc(&be->stats.throttled);
			break;
		}
		ring->req_cons = cons + 1;
		atomic64_inc(&be->stats.requests);

		x2mback_handle(be, &req, &rsp);
		if (READ_ONCE(be->disabled))
			return -EPROTO;
		memcpy(RING_GET_RESPONSE(ring, ring->rsp_prod_pvt), &rsp,
		       sizeof(rsp));
		ring->rsp_prod_pvt++;
		handled++;
	}

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(ring, notify);
	if (notify) {
		be->ops->notify(be);
		atomic64_inc(&be->stats.notifications);
	}

	if (ring->req_cons != prod) {
		*more = true;	/* budget used up */
	} else {
		/* Re-arm req_event, then look once more (io/ring.h's idiom). */
		RING_FINAL_CHECK_FOR_REQUESTS(ring, pending);
		*more = pending;
	}
	return handled;
}

void x2mback_work(struct work_struct *work)
{
	struct x2mback_device *be = container_of(to_delayed_work(work),
						 struct x2mback_device, work);
	bool more;
	int handled;

	handled = x2mback_process_requests(be, X2MBACK_BATCH, &more);
	if (handled > 0)
		be->handled_since_eoi = true;
	if (handled >= 0 && more) {
		/*
		 * Keep the event channel masked: we are not done yet.  Come
		 * back at once, or when the credit for the next request is
		 * there.
		 */
		schedule_delayed_work(&be->work, be->credit_wait);
		return;
	}
	/* An event that brought no request counts towards flood throttling. */
	be->ops->eoi(be, !be->handled_since_eoi);
	be->handled_since_eoi = false;
}
