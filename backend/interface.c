// SPDX-License-Identifier: GPL-2.0-only
/*
 * interface.c - a backend device's rings and event channel.
 *
 * Allocation, connecting (map both rings, bind the event channel) and
 * disconnecting.  Everything the guest wrote in xenstore has already been
 * copied by xenbus.c; it is validated here, before anything is mapped.
 */
#include "common.h"
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <xen/events.h>


DEFINE_MUTEX(x2mback_devices_lock);
LIST_HEAD(x2mback_devices);

static irqreturn_t x2mback_interrupt(int irq, void *dev_id)
{
	struct x2mback_device *be = dev_id;

	/*
	 * A disabled device's guest may keep kicking us: acknowledge as
	 * spurious so the lateeoi machinery throttles the flood.
	 */
	if (READ_ONCE(be->disabled)) {
		WRITE_ONCE(be->irq, irq);
		be->ops->eoi(be, true);
		return IRQ_HANDLED;
	}
	/*
	 * An event already pending when the channel is bound is delivered
	 * inside bind_interdomain_evtchn_to_irqhandler_lateeoi(), before it
	 * returns the irq: record it here so the worker's EOI cannot go to
	 * a stale number and leave the channel masked for good.
	 */
	WRITE_ONCE(be->irq, irq);
	/* The event channel stays masked until the worker sends the EOI. */
	schedule_work(&be->work);
	return IRQ_HANDLED;
}

static int x2mback_real_map_ring(struct x2mback_device *be, grant_ref_t *refs,
				 unsigned int nr, void **vaddr)
{
	return xenbus_map_ring_valloc(be->dev, refs, nr, vaddr);
}

static void x2mback_real_unmap_ring(struct x2mback_device *be, void *vaddr)
{
	xenbus_unmap_ring_vfree(be->dev, vaddr);
}

static int x2mback_real_bind_evtchn(struct x2mback_device *be,
				    evtchn_port_t port)
{
	int irq;

	irq = bind_interdomain_evtchn_to_irqhandler_lateeoi(be->dev, port,
							    x2mback_interrupt,
							    0, "xen2mx-back",
							    be);
	if (irq < 0)
		return irq;
	be->irq = irq;
	return 0;
}

static void x2mback_real_unbind_evtchn(struct x2mback_device *be)
{
	/*
	 * Wait out a running handler first, so the worker cancelled next can
	 * no longer be queued behind our back.
	 */
	disable_irq(be->irq);
	cancel_work_sync(&be->work);
	unbind_from_irqhandler(be->irq, be);
	be->irq = 0;
}

static void x2mback_real_notify(struct x2mback_device *be)
{
	notify_remote_via_irq(be->irq);
}

static void x2mback_real_eoi(struct x2mback_device *be, bool spurious)
{
	xen_irq_lateeoi(READ_ONCE(be->irq), spurious ? XEN_EOI_FLAG_SPURIOUS : 0);
}

static void x2mback_real_fatal(struct x2mback_device *be, int err,
			       const char *msg)
{
	xenbus_dev_fatal(be->dev, err, "%s", msg);
}

const struct x2mback_xen_ops x2mback_real_xen_ops = {
	.map_ring	= x2mback_real_map_ring,
	.unmap_ring	= x2mback_real_unmap_ring,
	.bind_evtchn	= x2mback_real_bind_evtchn,
	.unbind_evtchn	= x2mback_real_unbind_evtchn,
	.notify		= x2mback_real_notify,
	.eoi		= x2mback_real_eoi,
	.fatal		= x2mback_real_fatal,
};

struct x2mback_device *x2mback_alloc(struct xenbus_device *dev, domid_t domid,
				     unsigned int devid)
{
	struct x2mback_device *be;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return NULL;
	be->dev = dev;
	be->ops = &x2mback_real_xen_ops;
	be->domid = domid;
	be->devid = devid;
	mutex_init(&be->lock);
	INIT_WORK(&be->work, x2mback_work);
	INIT_LIST_HEAD(&be->node);

	mutex_lock(&x2mback_devices_lock);
	list_add_tail(&be->node, &x2mback_devices);
	mutex_unlock(&x2mback_devices_lock);
	return be;
}

void x2mback_free(struct x2mback_device *be)
{
	x2mback_disconnect(be);
	mutex_lock(&x2mback_devices_lock);
	list_del(&be->node);
	mutex_unlock(&x2mback_devices_lock);
	mutex_destroy(&be->lock);
	kfree(be);
}

static int x2mback_map_one(struct x2mback_device *be, grant_ref_t *refs,
			   unsigned int nr, void **vaddr)
{
	int err = be->ops->map_ring(be, refs, nr, vaddr);

	if (err)
		return err;
	be->ring_pages_mapped += nr;
	be->grants_mapped += nr;
	return 0;
}

static void x2mback_unmap_one(struct x2mback_device *be, void **vaddr,
			      unsigned int nr)
{
	if (!*vaddr)
		return;
	be->ops->unmap_ring(be, *vaddr);
	*vaddr = NULL;
	be->ring_pages_mapped -= nr;
	be->grants_mapped -= nr;
}

/*
 * Validate the frontend's choices against our limits, then map both rings
 * and bind the event channel.  On failure nothing stays mapped or bound and
 * the return value is a negative errno; xenbus.c reports it to the guest.
 */
void x2mback_nego_init(struct x2m_nego *n,
		       const struct x2mback_frontend_params *p)
{
	*n = (struct x2m_nego) {
		.version = p->version,
		.ring_page_order = p->ring_page_order,
		.max_ring_page_order = READ_ONCE(x2mback_max_ring_page_order),
		.event_channel = p->event_channel,
		.nr_refs = p->nr_refs,
		.ring_refs = p->ring_refs,
		.evt_ring_refs = p->evt_ring_refs,
	};
}

int x2mback_connect(struct x2mback_device *be,
		    const struct x2mback_frontend_params *p)
{
	struct x2m_nego n;
	unsigned int nr, size;
	int err;

	x2mback_nego_init(&n, p);
	if (x2m_nego_check(&n) != X2M_NEGO_OK)
		return -EINVAL;

	mutex_lock(&be->lock);
	if (be->connected) {
		err = -EBUSY;
		goto out;
	}
	nr = 1u << p->ring_page_order;
	size = XEN_PAGE_SIZE << p->ring_page_order;

	err = x2mback_map_one(be, (grant_ref_t *)p->ring_refs, nr, &be->req_vaddr);
	if (err)
		goto out;
	err = x2mback_map_one(be, (grant_ref_t *)p->evt_ring_refs, nr, &be->evt_vaddr);
	if (err)
		goto unmap_req;

	BACK_RING_INIT(&be->req_ring, (struct xen2mx_req_sring *)be->req_vaddr, size);
	BACK_RING_INIT(&be->evt_ring, (struct xen2mx_evt_sring *)be->evt_vaddr, size);
	be->version = p->version;
	be->ring_page_order = p->ring_page_order;
	be->ring_slots = x2m_ring_slots(p->ring_page_order);
	be->evtchn = p->event_channel;
	WRITE_ONCE(be->disabled, false);

	err = be->ops->bind_evtchn(be, p->event_channel);
	if (err)
		goto unmap_evt;

	be->connected = true;
	mutex_unlock(&be->lock);
	return 0;

unmap_evt:
	x2mback_unmap_one(be, &be->evt_vaddr, nr);
unmap_req:
	x2mback_unmap_one(be, &be->req_vaddr, nr);
out:
	mutex_unlock(&be->lock);
	return err;
}

void x2mback_disconnect(struct x2mback_device *be)
{
	unsigned int nr;

	mutex_lock(&be->lock);
	if (!be->connected) {
		mutex_unlock(&be->lock);
		return;
	}
	/* Stops the interrupt and waits for the worker: rings are then ours. */
	be->ops->unbind_evtchn(be);
	nr = 1u << be->ring_page_order;
	x2mback_unmap_one(be, &be->evt_vaddr, nr);
	x2mback_unmap_one(be, &be->req_vaddr, nr);
	be->connected = false;
	mutex_unlock(&be->lock);
}

void x2mback_totals(unsigned int *devices, unsigned int *pages,
		    unsigned int *grants)
{
	struct x2mback_device *be;

	*devices = *pages = *grants = 0;
	mutex_lock(&x2mback_devices_lock);
	list_for_each_entry(be, &x2mback_devices, node) {
		(*devices)++;
		*pages += READ_ONCE(be->ring_pages_mapped);
		*grants += READ_ONCE(be->grants_mapped);
	}
	mutex_unlock(&x2mback_devices_lock);
}
