// SPDX-License-Identifier: GPL-2.0-only
/*
 * endpoint.c - a guest endpoint: its memory, its life, its waiting.
 *
 * The OMX_ABI_MMAP_SIZE octets an endpoint shares with the library
 * (descriptor, event, receive and send queues) are guest pages, granted
 * read-write to the backend, which maps them once at open and from then on
 * writes events and payloads straight into them.  So an event needs no
 * ring traffic: WAIT_EVENT looks at the shared descriptor, and the backend
 * kicks the event channel only when a sleeper armed it (desc->armed,
 * xen2mx_proto.h "Waiting").
 *
 * An endpoint lives on the device connection it was opened on.  When that
 * connection ends the backend has closed it: it is dead (WAIT_EVENT says
 * OMX_ABI_WAIT_DEAD, commands -ESHUTDOWN) but keeps its pages until its
 * file is released, since the process may still have them mapped.
 */
#include "common.h"
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

static_assert(X2MFRONT_EP_PAGES * sizeof(grant_ref_t) <= XEN_PAGE_SIZE,
	      "endpoint directory fits a page");

static struct x2mfront_endpoint *x2mfront_ep_alloc(struct x2mfront_device *fe,
						   u16 index)
{
	struct x2mfront_endpoint *ep = kzalloc(sizeof(*ep), GFP_KERNEL);

	if (!ep)
		return NULL;
	ep->pages = kcalloc(X2MFRONT_EP_PAGES, sizeof(*ep->pages), GFP_KERNEL);
	ep->refs = kcalloc(X2MFRONT_EP_PAGES, sizeof(*ep->refs), GFP_KERNEL);
	if (!ep->pages || !ep->refs) {
		kfree(ep->pages);
		kfree(ep->refs);
		kfree(ep);
		return NULL;
	}
	kref_get(&fe->ref);
	ep->fe = fe;
	ep->domid = fe->dev->otherend_id;
	ep->index = index;
	ep->pid = task_tgid_nr(current);
	get_task_comm(ep->command, current);
	ep->dead = true;		/* until it is on fe->endpoints */
	INIT_LIST_HEAD(&ep->node);
	init_waitqueue_head(&ep->waitq);
	atomic_set(&ep->wakeups, 0);
	mutex_init(&ep->region_lock);
	return ep;
}

/* Its pages are gone already.  Call without conn_sem: it may free fe. */
static void x2mfront_ep_free(struct x2mfront_endpoint *ep)
{
	struct x2mfront_device *fe = ep->fe;

	kfree(ep->pages);
	kfree(ep->refs);
	kfree(ep);
	x2mfront_device_unref(fe);
}

/*
 * Put @ep on its device's list, which also reserves its index: two files
 * of this guest never race for one index on the backend, and the owner of
 * an index is the only one that may send CLOSE_ENDPOINT for it.
 */
static int x2mfront_ep_reserve(struct x2mfront_endpoint *ep)
{
	struct x2mfront_device *fe = ep->fe;
	struct x2mfront_endpoint *other;
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&fe->ep_lock, flags);
	list_for_each_entry(other, &fe->endpoints, node) {
		if (other->index == ep->index) {
			err = -EBUSY;
			break;
		}
	}
	if (!err) {
		list_add_tail(&ep->node, &fe->endpoints);
		ep->dead = false;
	}
	spin_unlock_irqrestore(&fe->ep_lock, flags);
	return err;
}

static void x2mfront_ep_unlink(struct x2mfront_endpoint *ep)
{
	unsigned long flags;

	spin_lock_irqsave(&ep->fe->ep_lock, flags);
	x2mfront_endpoint_kill_locked(ep);
	spin_unlock_irqrestore(&ep->fe->ep_lock, flags);
}

/* Endpoints open on the current connection (debugfs) */
unsigned int x2mfront_endpoints_count(struct x2mfront_device *fe)
{
	struct x2mfront_endpoint *ep;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&fe->ep_lock, flags);
	list_for_each_entry(ep, &fe->endpoints, node)
		n++;
	spin_unlock_irqrestore(&fe->ep_lock, flags);
	return n;
}

/*
 * Who has endpoint @index open in this guest, for GET_ENDPOINT_INFO (the
 * backend only knows the guest).  Caller holds conn_sem for reading.
 */
bool x2mfront_endpoint_lookup(struct x2mfront_device *fe, u32 index,
			      pid_t *pid, char *command)
{
	struct x2mfront_endpoint *ep;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&fe->ep_lock, flags);
	list_for_each_entry(ep, &fe->endpoints, node) {
		if (ep->index == index) {
			*pid = ep->pid;
			memcpy(command, ep->command, OMX_ABI_COMMAND_MAX);
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&fe->ep_lock, flags);
	return found;
}

/*
 * The device of a live endpoint, with conn_sem held for reading
 * (x2mfront_put), or NULL when the endpoint is dead.  Not the default
 * device: the endpoint exists on the one it was opened on.
 */
struct x2mfront_device *x2mfront_endpoint_get_device(struct x2mfront_endpoint *ep)
{
	struct x2mfront_device *fe = ep->fe;

	down_read(&fe->conn_sem);
	if (READ_ONCE(ep->dead)) {
		up_read(&fe->conn_sem);
		return NULL;
	}
	return fe;
}

/*
 * A failed call on a connection that ended means the endpoint is gone.
 * @fe is the endpoint's, its conn_sem held.
 */
int x2mfront_endpoint_errno(struct x2mfront_device *fe, int err)
{
	if (err == -ENOTCONN || (err == -EIO && READ_ONCE(fe->broken)))
		return -ESHUTDOWN;
	return err;
}

/* Allocate the endpoint's pages, zeroed, and grant each to the backend. */
static int x2mfront_ep_grant(struct x2mfront_endpoint *ep)
{
	struct x2mfront_device *fe = ep->fe;
	unsigned long flags;
	unsigned int i;
	int ref;

	for (i = 0; i < X2MFRONT_EP_PAGES; i++) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!page)
			return -ENOMEM;
		ref = gnttab_grant_foreign_access(ep->domid,
						  xen_page_to_gfn(page), 0);
		if (ref < 0) {
			__free_page(page);
			return ref;
		}
		ep->pages[i] = page;
		ep->refs[i] = ref;
	}
	/* Now the interrupt handler may look at it. */
	spin_lock_irqsave(&fe->ep_lock, flags);
	ep->desc = page_address(ep->pages[0]);
	spin_unlock_irqrestore(&fe->ep_lock, flags);
	return 0;
}

/*
 * End the backend's access to the pages granted so far; each page is
 * freed once the backend no longer maps it (at once after CLOSE_ENDPOINT,
 * later if a misbehaving backend never unmaps).  No user mapping is left:
 * a mapping holds the file.
 */
static void x2mfront_ep_ungrant(struct x2mfront_endpoint *ep)
{
	unsigned int i;

	for (i = 0; i < X2MFRONT_EP_PAGES && ep->pages[i]; i++) {
		gnttab_end_foreign_access(ep->refs[i], ep->pages[i]);
		ep->pages[i] = NULL;
	}
	ep->desc = NULL;
}

/* OPEN_ENDPOINT on the ring: the directory of references, then the command. */
static int x2mfront_ep_send_open(struct x2mfront_endpoint *ep, u32 board,
				 u32 *session_id)
{
	struct omx_cmd_open_endpoint ans;
	struct xen2mx_omx_open arg = {
		.board_index = board,
		.endpoint_index = ep->index,
		.nr_pages = X2MFRONT_EP_PAGES,
	};
	struct page *dir;
	u32 *refs;
	unsigned int i;
	int ref, err;

	dir = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!dir)
		return -ENOMEM;
	refs = page_address(dir);
	for (i = 0; i < X2MFRONT_EP_PAGES; i++)
		refs[i] = ep->refs[i];
	ref = gnttab_grant_foreign_access(ep->domid, xen_page_to_gfn(dir), 1);
	if (ref < 0) {
		__free_page(dir);
		return ref;
	}
	arg.dir_ref = ref;

	err = x2mfront_omx_call(ep->fe, _IOC_NR(OMX_CMD_OPEN_ENDPOINT),
				ep->index, &arg, sizeof(arg), &ans, sizeof(ans));
	/* The backend read the directory before answering: it may go. */
	gnttab_end_foreign_access(ref, dir);
	if (!err)
		*session_id = ans.session_id;
	return err;
}

int x2mfront_endpoint_open(struct x2mfront_endpoint **epp,
			   struct omx_cmd_open_endpoint *o)
{
	struct x2mfront_endpoint *ep;
	struct x2mfront_device *fe;
	int err;

	/* hdr.endpoint is 16 bits, and 0xffff means "none" */
	if (o->endpoint_index >= XEN2MX_OMX_NO_ENDPOINT)
		return -EINVAL;
	fe = x2mfront_get_default();
	if (!fe)
		return -ENODEV;
	if (!fe->omx) {
		x2mfront_put(fe);
		return -EOPNOTSUPP;
	}
	ep = x2mfront_ep_alloc(fe, o->endpoint_index);
	if (!ep) {
		x2mfront_put(fe);
		return -ENOMEM;
	}
	err = x2mfront_ep_reserve(ep);
	if (err)
		goto fail;
	err = x2mfront_ep_grant(ep);
	if (err)
		goto fail_unlink;
	err = x2mfront_ep_send_open(ep, o->board_index, &o->session_id);
	if (err == -ERESTARTSYS || err == -EIO) {
		/*
		 * Killed while waiting, or a garbled answer: the backend may
		 * have opened it.  Close it (we still own the index) so its
		 * index is not lost until the next disconnect.
		 */
		x2mfront_omx_call_nointr(fe, XEN2MX_OMXC_CLOSE_ENDPOINT,
					 ep->index, NULL, 0);
	}
	if (err)
		goto fail_unlink;
	x2mfront_put(fe);
	*epp = ep;
	return 0;

fail_unlink:
	x2mfront_ep_unlink(ep);
	x2mfront_ep_ungrant(ep);
fail:
	x2mfront_put(fe);
	x2mfront_ep_free(ep);
	/* The device went away under us: like a board that is not there. */
	return err == -ENOTCONN ? -ENODEV : err;
}

/*
 * The file is released.  A live endpoint is closed on the backend first,
 * which unmaps its pages before answering; then its regions' and its own
 * grants end.  A dead one was closed by the backend when its connection
 * ended.
 */
void x2mfront_endpoint_close(struct x2mfront_endpoint *ep)
{
	struct x2mfront_device *fe = x2mfront_endpoint_get_device(ep);
	int err;

	if (fe) {
		err = x2mfront_omx_call_nointr(fe, XEN2MX_OMXC_CLOSE_ENDPOINT,
					       ep->index, NULL, 0);
		if (err && err != -ENOTCONN)
			pr_warn_ratelimited("device %u: closing endpoint %u: error %d\n",
					    fe->devid, ep->index, err);
		x2mfront_ep_unlink(ep);
		x2mfront_put(fe);
	}
	x2mfront_regions_free(ep);
	x2mfront_ep_ungrant(ep);
	x2mfront_ep_free(ep);
}

/* An endpoint command the backend carries out, its argument unchanged. */
static long x2mfront_ep_forward(struct x2mfront_endpoint *ep, unsigned int cmd,
				const void *arg)
{
	struct x2mfront_device *fe = x2mfront_endpoint_get_device(ep);
	int err;

	if (!fe)
		return -ESHUTDOWN;
	err = x2mfront_omx_call(fe, _IOC_NR(cmd), ep->index, arg,
				_IOC_SIZE(cmd), NULL, 0);
	err = x2mfront_endpoint_errno(fe, err);
	x2mfront_put(fe);
	return err;
}

static bool x2mfront_wait_done(struct x2mfront_endpoint *ep, u32 wakeups,
			       u32 *status)
{
	struct omx_abi_desc *desc = ep->desc;

	if (READ_ONCE(ep->dead) ||
	    (READ_ONCE(desc->status) & OMX_ABI_DESC_STATUS_IFACE_GONE)) {
		*status = OMX_ABI_WAIT_DEAD;
		return true;
	}
	if ((u32)atomic_read(&ep->wakeups) != wakeups) {
		*status = OMX_ABI_WAIT_WAKEUP;
		return true;
	}
	if (READ_ONCE(desc->eventq_prod) != READ_ONCE(desc->eventq_cons)) {
		*status = OMX_ABI_WAIT_EVENT;
		return true;
	}
	return false;
}

/*
 * The sleeping condition: nothing yet, so ask the backend for a kick and
 * look again.  The full barrier orders our write of armed before our read
 * of eventq_prod; the backend's orders its write of eventq_prod before its
 * read of armed.  One of us sees the other.
 */
static bool x2mfront_wait_armed(struct x2mfront_endpoint *ep, u32 wakeups,
				u32 *status)
{
	if (x2mfront_wait_done(ep, wakeups, status))
		return true;
	WRITE_ONCE(ep->desc->armed, 1);
	smp_mb();	/* armed before eventq_prod: pairs with the backend's */
	return x2mfront_wait_done(ep, wakeups, status);
}

/* As dom0's x2mback_endpoint_wait(), without the ring. */
static int x2mfront_endpoint_wait(struct x2mfront_endpoint *ep,
				  struct omx_cmd_wait_event *w)
{
	long timeout = w->timeout_ms == OMX_ABI_WAIT_INFINITE ?
		       MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies(w->timeout_ms);
	u32 status = OMX_ABI_WAIT_TIMEOUT;
	long ret;

	/* A poll needs no kick. */
	if (!timeout) {
		x2mfront_wait_done(ep, w->wakeups, &status);
		w->status = status;
		return 0;
	}
	ret = wait_event_interruptible_timeout(ep->waitq,
			x2mfront_wait_armed(ep, w->wakeups, &status), timeout);
	if (ret == -ERESTARTSYS)
		status = OMX_ABI_WAIT_INTR;
	else if (ret == 0 && !x2mfront_wait_done(ep, w->wakeups, &status))
		status = OMX_ABI_WAIT_TIMEOUT;
	w->status = status;
	return 0;
}

static void x2mfront_endpoint_wakeup(struct x2mfront_endpoint *ep)
{
	WRITE_ONCE(ep->desc->wakeups, (u32)atomic_inc_return(&ep->wakeups));
	wake_up_all(&ep->waitq);
}

/* Commands on a bound file; @arg is the copied-in argument (chardev.c). */
long x2mfront_endpoint_cmd(struct x2mfront_endpoint *ep, unsigned int cmd,
			   void *arg)
{
	switch (cmd) {
	case OMX_CMD_SEND_TINY:
	case OMX_CMD_SEND_SMALL:
	case OMX_CMD_SEND_MEDIUM_FRAG:
	case OMX_CMD_SEND_RNDV:
	case OMX_CMD_SEND_NOTIFY:
	case OMX_CMD_SEND_CONNECT:
	case OMX_CMD_SEND_LIBACK:
	case OMX_CMD_PULL:
		return x2mfront_ep_forward(ep, cmd, arg);
	case OMX_CMD_CREATE_REGION:
		return x2mfront_region_create(ep, arg);
	case OMX_CMD_DESTROY_REGION:
		return x2mfront_region_destroy(ep,
				((struct omx_cmd_destroy_region *)arg)->id);
	case OMX_CMD_WAIT_EVENT:
		return x2mfront_endpoint_wait(ep, arg);
	case OMX_CMD_WAKEUP:
		x2mfront_endpoint_wakeup(ep);
		return 0;
	}
	return -ENOTTY;
}

/* The whole endpoint at offset 0, as dom0 gives it; nothing else. */
int x2mfront_endpoint_mmap(struct x2mfront_endpoint *ep,
			   struct vm_area_struct *vma)
{
	unsigned long left = X2MFRONT_EP_PAGES;

	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != OMX_ABI_MMAP_SIZE)
		return -EINVAL;
	/* On error the caller unmaps whatever was inserted. */
	return vm_insert_pages(vma, vma->vm_start, ep->pages, &left);
}
