// SPDX-License-Identifier: GPL-2.0-only
/*
 * request.c - submit a request on the ring and sleep until it is answered.
 *
 * Each request in flight owns an entry of the pending table; the entry's
 * index is the low half of the request id and a per-entry generation the
 * high half, so a stale or forged id from the backend cannot complete the
 * wrong request.  A free entry always means a free ring slot: entries are
 * released only once their response has been consumed.
 *
 * XEN2MX_OP_OMX requests (x2mfront_omx_call) carry one /dev/open-mx
 * command: struct xen2mx_omx_hdr, then the command's argument.
 */
#include "common.h"
#include <linux/sched/signal.h>
#include <xen/events.h>

/*
 * How long a cleanup request (X2MFRONT_WAIT_NOINTR) waits for the backend:
 * far more than it needs, far less than the hung-task watchdog.
 */
#define X2MFRONT_CALL_TIMEOUT	(30 * HZ)

/* Wait on fe->wq for @cond as @mode says; 0 or a negative errno. */
#define x2mfront_wait_event(fe, mode, cond)				\
({									\
	long __r;							\
									\
	switch (mode) {							\
	case X2MFRONT_WAIT_INTR:					\
		__r = wait_event_interruptible((fe)->wq, cond);		\
		break;							\
	case X2MFRONT_WAIT_KILLABLE:					\
		__r = wait_event_killable((fe)->wq, cond);		\
		break;							\
	default:							\
		__r = wait_event_timeout((fe)->wq, cond,		\
					 X2MFRONT_CALL_TIMEOUT) ?	\
		      0 : -ETIMEDOUT;					\
		break;							\
	}								\
	__r;								\
})

/* Under ring_lock: take a free entry, or return NULL. */
static struct x2mfront_pending *x2mfront_take_entry(struct x2mfront_device *fe)
{
	unsigned int i;

	if (!fe->pending_free)
		return NULL;
	for (i = 0; i < fe->ring_slots; i++) {
		struct x2mfront_pending *p = &fe->pending[i];

		if (!p->in_use) {
			u32 gen = p->generation + 1;

			memset(p, 0, sizeof(*p));
			p->generation = gen;
			p->in_use = true;
			fe->pending_free--;
			return p;
		}
	}
	return NULL;
}

/* wait_event condition: an entry was free (now taken) or the ring died. */
static bool x2mfront_got_entry(struct x2mfront_device *fe,
			       struct x2mfront_pending **out)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&fe->ring_lock, flags);
	*out = x2mfront_usable(fe) ? x2mfront_take_entry(fe) : NULL;
	done = *out || !x2mfront_usable(fe);
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	return done;
}

static bool x2mfront_answered(struct x2mfront_device *fe,
			      struct x2mfront_pending *p)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&fe->ring_lock, flags);
	done = (p->rsp_done && (!p->want_event || p->evt_done)) ||
	       !x2mfront_usable(fe);
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	return done;
}

static int x2mfront_status_errno(int32_t status)
{
	switch (status) {
	case XEN2MX_ST_OK:
		return 0;
	case XEN2MX_ST_EINVAL:
		return -EINVAL;
	case XEN2MX_ST_ENOSYS:
		return -EOPNOTSUPP;
	case XEN2MX_ST_ENOSPC:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

/*
 * Send @req (its id is filled in here) and wait for the answer, copied to
 * @answer.  Caller holds conn_sem for reading.  A wait cut short (signal,
 * timeout) abandons the request: it may still be carried out.
 */
static int x2mfront_call(struct x2mfront_device *fe,
			 struct xen2mx_request *req, bool want_event,
			 enum x2mfront_wait mode,
			 struct x2mfront_pending *answer)
{
	struct x2mfront_pending *p = NULL;
	unsigned long flags;
	int notify, err;

	err = x2mfront_wait_event(fe, mode, x2mfront_got_entry(fe, &p));
	if (err)
		return err;
	if (!p)
		return -ENOTCONN;

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (!x2mfront_usable(fe)) {
		p->in_use = false;
		fe->pending_free++;
		spin_unlock_irqrestore(&fe->ring_lock, flags);
		return -ENOTCONN;
	}
	p->want_event = want_event;
	req->id = ((u64)p->generation << 32) | (u32)(p - fe->pending);
	*RING_GET_REQUEST(&fe->req_ring, fe->req_ring.req_prod_pvt) = *req;
	fe->req_ring.req_prod_pvt++;
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&fe->req_ring, notify);
	spin_unlock_irqrestore(&fe->ring_lock, flags);

	atomic64_inc(&fe->stats.requests);
	if (notify) {
		notify_remote_via_irq(fe->irq);
		atomic64_inc(&fe->stats.notifications);
	}

	err = x2mfront_wait_event(fe, mode, x2mfront_answered(fe, p));

	spin_lock_irqsave(&fe->ring_lock, flags);
	err = x2mfront_pending_settle(fe, p, err, answer);
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	if (!err)
		wake_up_all(&fe->wq);	/* an entry came free */
	return err;
}

int x2mfront_echo(struct x2mfront_device *fe, void *data, unsigned int len,
		  unsigned int flags)
{
	struct xen2mx_request req = {
		.op = XEN2MX_OP_ECHO,
		.flags = flags,
		.len = len,
	};
	struct x2mfront_pending ans;
	bool via_event = flags & XEN2MX_ECHO_VIA_EVENT;
	const void *back;
	unsigned int back_len;
	int err;

	if (len > XEN2MX_INLINE_MAX || (flags & ~XEN2MX_ECHO_FLAGS_ALL))
		return -EINVAL;
	memcpy(req.payload, data, len);

	err = x2mfront_call(fe, &req, via_event, X2MFRONT_WAIT_INTR, &ans);
	if (err)
		return err;
	err = x2mfront_status_errno(ans.rsp.status);
	if (err)
		return err;

	back = via_event ? ans.evt.payload : ans.rsp.payload;
	back_len = via_event ? ans.evt.len : ans.rsp.len;
	if (ans.rsp.op != XEN2MX_OP_ECHO || back_len != len) {
		pr_err_ratelimited("device %u: echo answered with %u bytes for %u\n",
				   fe->devid, back_len, len);
		return -EIO;
	}
	memcpy(data, back, len);
	return 0;
}

int x2mfront_stats(struct x2mfront_device *fe, struct xen2mx_stats *st)
{
	struct xen2mx_request req = { .op = XEN2MX_OP_STATS };
	struct x2mfront_pending ans;
	int err;

	err = x2mfront_call(fe, &req, false, X2MFRONT_WAIT_INTR, &ans);
	if (err)
		return err;
	err = x2mfront_status_errno(ans.rsp.status);
	if (err)
		return err;
	if (ans.rsp.op != XEN2MX_OP_STATS || ans.rsp.len != sizeof(*st))
		return -EIO;
	memcpy(st, ans.rsp.payload, sizeof(*st));
	return 0;
}

static int x2mfront_omx_request(struct x2mfront_device *fe, u32 cmd,
				u16 endpoint, const void *arg,
				unsigned int arg_len, void *out,
				unsigned int out_len, enum x2mfront_wait mode)
{
	struct xen2mx_omx_hdr hdr = { .cmd = cmd, .endpoint = endpoint };
	struct xen2mx_request req = { .op = XEN2MX_OP_OMX };
	struct x2mfront_pending ans;
	s32 status;
	int err;

	if (WARN_ON_ONCE(arg_len > XEN2MX_OMX_ARG_MAX ||
			 out_len > XEN2MX_INLINE_MAX))
		return -EINVAL;
	if (!fe->omx)
		return -EOPNOTSUPP;
	req.len = XEN2MX_OMX_HDR_SIZE + arg_len;
	memcpy(req.payload, &hdr, sizeof(hdr));
	if (arg_len)
		memcpy(req.payload + XEN2MX_OMX_HDR_SIZE, arg, arg_len);

	err = x2mfront_call(fe, &req, false, mode, &ans);
	if (err)
		return err;
	status = ans.rsp.status;
	if (ans.rsp.op != XEN2MX_OP_OMX || status > 0 || status <= -ERESTARTSYS) {
		/* Kernel-internal codes (-ERESTARTSYS...) must not reach users. */
		pr_err_ratelimited("device %u: omx command %#x answered op %u status %d\n",
				   fe->devid, cmd, ans.rsp.op, status);
		return -EIO;
	}
	if (status)
		return status;
	if (ans.rsp.len != out_len) {
		pr_err_ratelimited("device %u: omx command %#x answered %u bytes for %u\n",
				   fe->devid, cmd, ans.rsp.len, out_len);
		return -EIO;
	}
	if (out_len)
		memcpy(out, ans.rsp.payload, out_len);
	return 0;
}

/*
 * One Open-MX command for the backend: @cmd (_IOC_NR of an OMX_CMD_* or a
 * XEN2MX_OMXC_*) on @endpoint (XEN2MX_OMX_NO_ENDPOINT for control
 * commands) with @arg; on success the answer, exactly @out_len octets, is
 * copied to @out (which may be @arg).  Returns 0, the backend's -errno, or
 * -ENOTCONN / -EIO when the device went away or misbehaved,
 * -ERESTARTSYS when the caller was killed (the command may then have been
 * carried out).  Caller holds conn_sem for reading.
 */
int x2mfront_omx_call(struct x2mfront_device *fe, u32 cmd, u16 endpoint,
		      const void *arg, unsigned int arg_len,
		      void *out, unsigned int out_len)
{
	return x2mfront_omx_request(fe, cmd, endpoint, arg, arg_len, out,
				    out_len, X2MFRONT_WAIT_KILLABLE);
}

/*
 * The same for a command that undoes something (closing an endpoint,
 * dropping a half-built region): it runs even for a dying process, whose
 * fatal signal is pending, and gives up only after X2MFRONT_CALL_TIMEOUT
 * (-ETIMEDOUT).  No answer payload.
 */
int x2mfront_omx_call_nointr(struct x2mfront_device *fe, u32 cmd,
			     u16 endpoint, const void *arg,
			     unsigned int arg_len)
{
	return x2mfront_omx_request(fe, cmd, endpoint, arg, arg_len, NULL, 0,
				    X2MFRONT_WAIT_NOINTR);
}

/*
 * The device /dev/open-mx talks to: the connected one with the lowest
 * device id.  Returned with conn_sem held for reading (x2mfront_put).
 */
struct x2mfront_device *x2mfront_get_default(void)
{
	struct x2mfront_device *fe, *best = NULL;

	mutex_lock(&x2mfront_devices_lock);
	list_for_each_entry(fe, &x2mfront_devices, node)
		if (READ_ONCE(fe->connected) && (!best || fe->devid < best->devid))
			best = fe;
	if (best)
		down_read(&best->conn_sem);
	mutex_unlock(&x2mfront_devices_lock);
	return best;
}

void x2mfront_put(struct x2mfront_device *fe)
{
	up_read(&fe->conn_sem);
}
