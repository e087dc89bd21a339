// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frontend's request.c, built into the rogue, and the rogue's way in:
 * x2mfront_call() is static there, and it is the one that puts a slot on
 * the ring and waits for its answer.  fuzz.c's requests do not wait: they
 * use the pending table directly (x2mrogue_post, x2mrogue_reap).
 */
#include "request.c"
#include "rogue.h"

/*
 * Send @req exactly as it is (only its id is ours to set) and wait for
 * the answer, at most X2MFRONT_CALL_TIMEOUT.  0 with the response in
 * @rsp, or -ETIMEDOUT, -ENOTCONN, -EIO (the device broke).
 */
int x2mrogue_call(struct x2mfront_device *fe, struct xen2mx_request *req,
		  struct xen2mx_response *rsp)
{
	struct x2mfront_pending ans;
	int err;

	err = x2mfront_call(fe, req, false, X2MFRONT_WAIT_NOINTR, &ans);
	if (!err)
		*rsp = ans.rsp;
	return err;
}

/*
 * Fuzzing (fuzz.c) keeps the ring full instead of waiting for each answer.
 *
 * x2mrogue_post() puts @req on the ring (its id is ours to set) and
 * returns at once with its entry's index in *@idx; the entry stays in use
 * until x2mrogue_reap() hands its answer back.  @want_event: the request
 * is an ECHO the backend answers on the event ring too.  -EAGAIN when
 * every entry is in flight, -ENOTCONN when the device is gone or broken.
 */
int x2mrogue_post(struct x2mfront_device *fe, struct xen2mx_request *req,
		  bool want_event, unsigned int *idx)
{
	struct x2mfront_pending *p;
	unsigned long flags;
	int notify;

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (!x2mfront_usable(fe)) {
		spin_unlock_irqrestore(&fe->ring_lock, flags);
		return -ENOTCONN;
	}
	p = x2mfront_take_entry(fe);
	if (!p) {
		spin_unlock_irqrestore(&fe->ring_lock, flags);
		return -EAGAIN;
	}
	p->want_event = want_event;
	req->id = ((u64)p->generation << 32) | (u32)(p - fe->pending);
	*RING_GET_REQUEST(&fe->req_ring, fe->req_ring.req_prod_pvt) = *req;
	fe->req_ring.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fe->req_ring, notify);
	*idx = p - fe->pending;
	spin_unlock_irqrestore(&fe->ring_lock, flags);

	atomic64_inc(&fe->stats.requests);
	if (notify) {
		notify_remote_via_irq(fe->irq);
		atomic64_inc(&fe->stats.notifications);
	}
	return 0;
}

/* An entry's answer is complete: its response, and its event if one comes. */
static bool x2mrogue_complete(const struct x2mfront_pending *p)
{
	if (!p->rsp_done)
		return false;
	/* The backend posts the event only for a request it carried out. */
	return !p->want_event || p->evt_done || p->rsp.status != XEN2MX_ST_OK;
}

/*
 * Each entry flagged in @mine (ring_slots flags) whose answer is complete
 * goes to @done (called with the ring lock held: it must not sleep), is
 * freed and unflagged.  Returns how many, or -ENOTCONN when the device is
 * gone or broken (its teardown frees the entries).
 */
int x2mrogue_reap(struct x2mfront_device *fe, bool *mine,
		  void (*done)(void *ctx, unsigned int idx,
			       const struct x2mfront_pending *p),
		  void *ctx)
{
	unsigned long flags;
	unsigned int i;
	int n = 0;

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (!x2mfront_usable(fe)) {
		spin_unlock_irqrestore(&fe->ring_lock, flags);
		return -ENOTCONN;
	}
	for (i = 0; i < fe->ring_slots; i++) {
		struct x2mfront_pending *p = &fe->pending[i];

		if (!mine[i] || !x2mrogue_complete(p))
			continue;
		done(ctx, i, p);
		mine[i] = false;
		p->in_use = false;
		fe->pending_free++;
		n++;
	}
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	if (n)
		wake_up_all(&fe->wq);
	return n;
}

/*
 * Give up on the entries flagged in @mine: the interrupt handler frees
 * each once answered, as it does for an interrupted x2mfront_call().
 * Returns how many were still unanswered.
 */
unsigned int x2mrogue_abandon(struct x2mfront_device *fe, bool *mine)
{
	unsigned long flags;
	unsigned int i, n = 0;

	spin_lock_irqsave(&fe->ring_lock, flags);
	for (i = 0; fe->pending && i < fe->ring_slots; i++) {
		struct x2mfront_pending *p = &fe->pending[i];

		if (!mine[i])
			continue;
		mine[i] = false;
		if (x2mfront_usable(fe) && x2mrogue_complete(p)) {
			p->in_use = false;	/* answered meanwhile */
			fe->pending_free++;
			continue;
		}
		/* Without a connection, the teardown frees the table. */
		p->abandoned = true;
		n++;
	}
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	wake_up_all(&fe->wq);
	return n;
}

/* Responses and events consumed so far: changes whenever the backend answers. */
u64 x2mrogue_progress(struct x2mfront_device *fe)
{
	return atomic64_read(&fe->stats.responses) +
	       atomic64_read(&fe->stats.events);
}

bool x2mrogue_usable(struct x2mfront_device *fe)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&fe->ring_lock, flags);
	ok = x2mfront_usable(fe);
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	return ok;
}

/* Give up on entry @idx of x2mrogue_post(), as x2mrogue_abandon() does. */
void x2mrogue_abandon_one(struct x2mfront_device *fe, unsigned int idx)
{
	unsigned long flags;

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (fe->pending && idx < fe->ring_slots) {
		struct x2mfront_pending *p = &fe->pending[idx];

		if (x2mfront_usable(fe) && x2mrogue_complete(p)) {
			p->in_use = false;
			fe->pending_free++;
		} else {
			p->abandoned = true;
		}
	}
	spin_unlock_irqrestore(&fe->ring_lock, flags);
}
