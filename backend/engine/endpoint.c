// SPDX-License-Identifier: GPL-2.0-only
/*
 * endpoint.c - Open-MX endpoints: open, close, event queues, waiting.
 *
 * An endpoint's memory (descriptor, event queue, receive queue, send
 * queue; layout in shared/omx_abi.h) is one vmalloc_user() area mapped
 * into the process.  The driver produces events and receive slots; the
 * library consumes them and reports how far it got in the descriptor.
 * Those library-written indexes are only ever used to decide whether a
 * queue is full, so a confused process can only starve itself.
 */
#include "omx_engine.h"
#include <linux/export.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

/* Event slots only OMX_EVT_PULL_DONE may use: a finished pull is never lost. */
#define OMX_EVENTQ_RESERVED	OMX_ABI_PULL_MAX

/* Under RCU (receive path). */
struct omx_endpoint *omx_endpoint_get(struct omx_iface *ifc,
				      u32 index)
{
	if (index >= ifc->endpoint_max)
		return NULL;
	return rcu_dereference(ifc->endpoints[index]);
}

static struct omx_endpoint *omx_endpoint_alloc(void *mem, u32 index)
{
	struct omx_endpoint *ep;
	unsigned int i;

	ep = kzalloc(sizeof(*ep), GFP_KERNEL);
	if (!ep)
		return NULL;
	ep->mem = mem;
	spin_lock_init(&ep->lock);
	init_waitqueue_head(&ep->waitq);
	/* Unpredictable, so no other host can forge a reply (pull.c). */
	for (i = 0; i < OMX_ABI_PULL_MAX; i++) {
		ep->pulls[i].ep = ep;
		ep->pulls[i].slot = i;
		ep->pulls[i].generation = get_random_u32() &
					  OMX_PULL_GENERATION_MASK;
	}
	ep->index = index;
	ep->pull_magic = (get_random_u32() & ~OMX_PULL_MAGIC_INDEX_MASK) | index;
	ep->session_id = get_random_u32();
	return ep;
}

/* Make @ep endpoint @ep->index of @ifc.  Under omx_engine_mutex. */
static int omx_endpoint_publish(struct omx_endpoint *ep,
				struct omx_iface *ifc)
{
	lockdep_assert_held(&omx_engine_mutex);
	if (ep->index >= ifc->endpoint_max)
		return -EINVAL;
	if (rcu_access_pointer(ifc->endpoints[ep->index]))
		return -EBUSY;
	ep->iface = ifc;
	ep->desc = ep->mem + OMX_ABI_DESC_OFFSET;
	ep->desc->abi_version = OMX_ABI_VERSION;
	ep->desc->session_id = ep->session_id;
	/* A virtual board's owner shows it as its board 0. */
	ep->desc->board_index = omx_iface_is_virtual(ifc) ? 0 : ifc->index;
	ep->desc->endpoint_index = ep->index;
	ep->desc->board_addr = ifc->addr;
	ep->desc->peer_index = ifc->peer_index;
	ep->desc->eventq_prod = 0;
	ep->desc->recvq_prod = 0;
	ep->desc->status = 0;
	ep->desc->wakeups = 0;
	ep->desc->armed = 0;
	ifc->endpoints_open++;
	rcu_assign_pointer(ifc->endpoints[ep->index], ep);
	return 0;
}

/* An endpoint of a dom0 process, on one of dom0's own boards. */
int omx_endpoint_open(struct omx_endpoint **epp, u32 board, u32 index)
{
	struct omx_endpoint *ep;
	struct omx_iface *ifc;
	void *mem;
	int err;

	if (index >= omx_endpoints_max)
		return -EINVAL;
	mem = vmalloc_user(OMX_ABI_MMAP_SIZE);
	if (!mem)
		return -ENOMEM;
	ep = omx_endpoint_alloc(mem, index);
	if (!ep) {
		vfree(mem);
		return -ENOMEM;
	}
	ep->pid = task_tgid_nr(current);
	get_task_comm(ep->command, current);

	mutex_lock(&omx_engine_mutex);
	err = -ENODEV;
	if (board >= omx_ifaces_max)
		goto unlock;
	ifc = rcu_dereference_protected(omx_ifaces[board],
					lockdep_is_held(&omx_engine_mutex));
	if (!ifc)
		goto unlock;
	err = -EPERM;		/* a virtual board is its owner's alone */
	if (omx_iface_is_virtual(ifc))
		goto unlock;
	err = omx_endpoint_publish(ep, ifc);
	if (err)
		goto unlock;
	mutex_unlock(&omx_engine_mutex);
	*epp = ep;
	return 0;

unlock:
	mutex_unlock(&omx_engine_mutex);
	vfree(ep->mem);
	kfree(ep);
	return err;
}

/*
 * An endpoint of a virtual board @ifc over its owner's memory @mem (a
 * guest's pages, mapped by the owner, who unmaps them after close).
 */
int omx_endpoint_open_ext(struct omx_iface *ifc, u32 index, void *mem,
			  const char *owner_name, void *owner,
			  struct omx_endpoint **epp)
{
	struct omx_endpoint *ep;
	int err;

	if (!omx_iface_is_virtual(ifc) || !mem)
		return -EINVAL;
	if (index >= omx_endpoints_max)
		return -EINVAL;
	ep = omx_endpoint_alloc(mem, index);
	if (!ep)
		return -ENOMEM;
	ep->owner_ops = ifc->ops;
	ep->owner = owner;
	strscpy(ep->command, owner_name, sizeof(ep->command));

	mutex_lock(&omx_engine_mutex);
	err = -ENODEV;		/* taken away with the interface it rode on */
	if (ifc->dev && rcu_access_pointer(omx_ifaces[ifc->index]) == ifc)
		err = omx_endpoint_publish(ep, ifc);
	mutex_unlock(&omx_engine_mutex);
	if (err) {
		kfree(ep);
		return err;
	}
	*epp = ep;
	return 0;
}
EXPORT_SYMBOL_GPL(omx_endpoint_open_ext);

u32 omx_endpoint_session(const struct omx_endpoint *ep)
{
	return ep->session_id;
}
EXPORT_SYMBOL_GPL(omx_endpoint_session);

void omx_endpoint_close(struct omx_endpoint *ep)
{
	struct omx_iface *ifc;
	unsigned int i;

	mutex_lock(&omx_engine_mutex);
	ifc = ep->iface;
	if (ifc) {
		RCU_INIT_POINTER(ifc->endpoints[ep->index], NULL);
		ifc->endpoints_open--;
	}
	mutex_unlock(&omx_engine_mutex);
	synchronize_rcu();	/* the receive path no longer finds ep */

	spin_lock_bh(&ep->lock);
	ep->closing = true;
	spin_unlock_bh(&ep->lock);
	omx_pull_cancel_all(ep);
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		struct omx_region *r = ep->regions[i];

		if (r) {
			ep->regions[i] = NULL;	/* closing: nothing else looks */
			omx_region_free(ep, r);
		}
	}
	if (!ep->owner_ops)
		vfree(ep->mem);	/* a virtual board's endpoint: its owner's */
	kfree(ep);
}
EXPORT_SYMBOL_GPL(omx_endpoint_close);

/*
 * The board under these endpoints is being detached: they stay allocated
 * until their files close, but every command now fails and waiters learn
 * it at once.  @why is logged for each (NULL: the module is going, which
 * is no surprise).  Called with omx_engine_mutex held.
 */
void omx_endpoints_kill_iface(struct omx_iface *ifc, const char *why)
{
	unsigned int i;

	for (i = 0; i < omx_endpoints_max; i++) {
		struct omx_endpoint *ep = rcu_dereference_protected(
			ifc->endpoints[i], lockdep_is_held(&omx_engine_mutex));

		if (!ep)
			continue;
		RCU_INIT_POINTER(ifc->endpoints[i], NULL);
		ifc->endpoints_open--;
		spin_lock_bh(&ep->lock);
		WRITE_ONCE(ep->iface, NULL);
		ep->desc->status |= OMX_ABI_DESC_STATUS_IFACE_GONE;
		/*
		 * Under the lock (a BH-off section, so an RCU reader): the
		 * owner may rely on that (omx_board_ops.wake).
		 */
		if (ep->owner_ops)
			ep->owner_ops->wake(ep->owner);
		spin_unlock_bh(&ep->lock);
		wake_up_all(&ep->waitq);
		if (why)
			pr_warn("board %u %s under endpoint %u of pid %d (%s)\n",
				ifc->index, why, ep->index, ep->pid,
				ep->command);
	}
}

/*
 * Next free event slot, zeroed, or NULL when the queue (or, with
 * @recvq_data, the receive queue) is full.  Called with ep->lock held; the
 * event becomes visible at omx_event_commit().
 */
union omx_evt *omx_event_reserve(struct omx_endpoint *ep,
				 bool reserved_slot, u32 *recvq_slot,
				 void **recvq_data)
{
	u32 limit = OMX_ABI_EVENTQ_SLOTS - (reserved_slot ? 0 : OMX_EVENTQ_RESERVED);
	union omx_evt *evt;

	lockdep_assert_held(&ep->lock);
	if (ep->closing)
		return NULL;
	if (ep->eventq_prod - READ_ONCE(ep->desc->eventq_cons) >= limit)
		return NULL;
	if (recvq_data) {
		u32 slot;

		if (ep->recvq_prod - READ_ONCE(ep->desc->recvq_cons) >=
		    OMX_ABI_RECVQ_SLOTS)
			return NULL;
		slot = ep->recvq_prod % OMX_ABI_RECVQ_SLOTS;
		*recvq_slot = slot;
		*recvq_data = ep->mem + OMX_ABI_RECVQ_OFFSET +
			      (size_t)slot * OMX_ABI_RECVQ_SLOT_SIZE;
	}
	evt = ep->mem + OMX_ABI_EVENTQ_OFFSET +
	      (size_t)(ep->eventq_prod % OMX_ABI_EVENTQ_SLOTS) * OMX_ABI_EVENT_SIZE;
	memset(evt, 0, sizeof(*evt));
	return evt;
}

void omx_event_commit(struct omx_endpoint *ep, bool used_recvq)
{
	lockdep_assert_held(&ep->lock);
	/* Event (and payload) contents before the index that publishes them. */
	smp_wmb();
	if (used_recvq)
		WRITE_ONCE(ep->desc->recvq_prod, ++ep->recvq_prod);
	WRITE_ONCE(ep->desc->eventq_prod, ++ep->eventq_prod);
	if (!ep->owner_ops) {
		wake_up(&ep->waitq);
		return;
	}
	/*
	 * A remote owner (a guest's frontend) sleeps only after setting
	 * armed and looking at eventq_prod again: with a full barrier on
	 * both sides, either it sees our event or we see its flag
	 * (xen2mx_proto.h, "Waiting").
	 */
	smp_mb();
	if (READ_ONCE(ep->desc->armed)) {
		WRITE_ONCE(ep->desc->armed, 0);
		ep->owner_ops->wake(ep->owner);
	}
}

static bool omx_wait_done(struct omx_endpoint *ep, u32 wakeups,
			  u32 *status)
{
	if (!READ_ONCE(ep->iface)) {
		*status = OMX_ABI_WAIT_DEAD;
		return true;
	}
	if ((u32)atomic_read(&ep->wakeups) != wakeups) {
		*status = OMX_ABI_WAIT_WAKEUP;
		return true;
	}
	if (READ_ONCE(ep->eventq_prod) != READ_ONCE(ep->desc->eventq_cons)) {
		*status = OMX_ABI_WAIT_EVENT;
		return true;
	}
	return false;
}

/* Sleeps until an event is there, the timeout passes or someone wakes us. */
int omx_endpoint_wait(struct omx_endpoint *ep,
		      struct omx_cmd_wait_event *w)
{
	long timeout = w->timeout_ms == OMX_ABI_WAIT_INFINITE ?
		       MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies(w->timeout_ms);
	u32 status = OMX_ABI_WAIT_TIMEOUT;
	long ret;

	ret = wait_event_interruptible_timeout(ep->waitq,
			omx_wait_done(ep, w->wakeups, &status), timeout);
	if (ret == -ERESTARTSYS)
		status = OMX_ABI_WAIT_INTR;
	else if (ret == 0 && !omx_wait_done(ep, w->wakeups, &status))
		status = OMX_ABI_WAIT_TIMEOUT;
	w->status = status;
	return 0;
}

void omx_endpoint_wakeup(struct omx_endpoint *ep)
{
	WRITE_ONCE(ep->desc->wakeups, (u32)atomic_inc_return(&ep->wakeups));
	wake_up_all(&ep->waitq);
}
