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
#include <xen/page.h>
#include <xen/xen.h>
#include <asm/xen/hypercall.h>


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
	schedule_delayed_work(&be->work, 0);
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
	cancel_delayed_work_sync(&be->work);
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
	x2mback_dev_fatal(be, err, "%s", msg);
}

/*
 * Map @nr guest pages at consecutive kernel addresses.
 *
 * A PV dom0 cannot point a second page-table entry at a foreign frame, so
 * the grants are mapped straight at their final addresses: a range of
 * vmalloc space is reserved by vmap()ing one filler page @nr times, and
 * each grant then replaces one entry of that range (GNTMAP_host_map at a
 * virtual address).  An auto-translated dom0 maps the grants onto
 * ballooned frames and vmap()s those.
 */
static int x2mback_real_map_area(struct x2mback_device *be,
				 const grant_ref_t *refs, unsigned int nr,
				 struct x2mback_garea *a)
{
	struct gnttab_map_grant_ref *map;
	unsigned int i, bad = 0;
	bool pv = xen_pv_domain();
	int err = -ENOMEM;

	a->nr = nr;
	map = kvcalloc(nr, sizeof(*map), GFP_KERNEL);
	a->unmap_ops = kvcalloc(nr, sizeof(struct gnttab_unmap_grant_ref),
				GFP_KERNEL);
	a->unmap_pages = kvcalloc(nr, sizeof(*a->unmap_pages), GFP_KERNEL);
	if (!map || !a->unmap_ops || !a->unmap_pages) {
		kvfree(map);
		kvfree(a->unmap_ops);
		kvfree(a->unmap_pages);
		a->unmap_ops = NULL;
		a->unmap_pages = NULL;
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++)
		a->handles[i] = INVALID_GRANT_HANDLE;
	if (pv) {
		a->filler = alloc_page(GFP_KERNEL | __GFP_ZERO);
		if (!a->filler)
			goto out;
		for (i = 0; i < nr; i++)
			a->pages[i] = a->filler;
		a->vaddr = vmap(a->pages, nr, VM_MAP, PAGE_KERNEL);
		if (!a->vaddr)
			goto out;
		for (i = 0; i < nr; i++)
			gnttab_set_map_op(&map[i],
					  (unsigned long)a->vaddr + i * XEN_PAGE_SIZE,
					  GNTMAP_host_map, refs[i], be->domid);
		gnttab_batch_map(map, nr);
	} else {
		err = gnttab_alloc_pages(nr, a->pages);
		if (err) {
			/*
			 * It gave back whatever it took but left the pointers:
			 * clear them, or the unwinding below frees them again.
			 */
			memset(a->pages, 0, nr * sizeof(*a->pages));
			goto out;
		}
		for (i = 0; i < nr; i++)
			gnttab_set_map_op(&map[i],
					  (unsigned long)pfn_to_kaddr(page_to_pfn(a->pages[i])),
					  GNTMAP_host_map, refs[i], be->domid);
		err = gnttab_map_refs(map, NULL, a->pages, nr);
		if (err)
			bad = nr;
	}
	for (i = 0; i < nr; i++) {
		if (map[i].status == GNTST_okay)
			a->handles[i] = map[i].handle;
		else
			bad++;
	}
	err = -EFAULT;
	if (bad)
		goto out;
	if (pv) {
		/*
		 * A TLB may still hold the filler under the new entries:
		 * Xen does not flush what a grant mapping replaces.
		 */
		struct mmuext_op flush = { .cmd = MMUEXT_TLB_FLUSH_ALL };

		if (HYPERVISOR_mmuext_op(&flush, 1, NULL, DOMID_SELF))
			goto out;
	} else {
		a->vaddr = vmap(a->pages, nr, VM_MAP, PAGE_KERNEL);
		err = -ENOMEM;
		if (!a->vaddr)
			goto out;
	}
	err = 0;
out:
	kvfree(map);
	if (err)
		be->ops->unmap_area(be, a);
	return err;
}

/* Undo x2mback_real_map_area, also a partial one. */
static void x2mback_real_unmap_area(struct x2mback_device *be,
				    struct x2mback_garea *a)
{
	struct gnttab_unmap_grant_ref *unmap;
	struct page **mapped;
	bool pv = xen_pv_domain();
	unsigned int i, n = 0;

	/* Allocated with the area: taking pages back never fails for memory. */
	unmap = a->unmap_ops;
	mapped = a->unmap_pages;
	if (!pv && a->vaddr)
		vunmap(a->vaddr);	/* an alias of the frames unmapped below */
	for (i = 0; i < a->nr; i++) {
		unsigned long addr;

		if (a->handles[i] == INVALID_GRANT_HANDLE)
			continue;
		addr = pv ? (unsigned long)a->vaddr + i * XEN_PAGE_SIZE :
			    (unsigned long)pfn_to_kaddr(page_to_pfn(a->pages[i]));
		gnttab_set_unmap_op(&unmap[n], addr, GNTMAP_host_map,
				    a->handles[i]);
		mapped[n++] = a->pages[i];
		a->handles[i] = INVALID_GRANT_HANDLE;
	}
	if (n && (pv ? HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref,
						 unmap, n) :
		       gnttab_unmap_refs(unmap, NULL, mapped, n)))
		x2mback_dev_log(be, err, "unmapping %u endpoint pages failed\n",
				n);
	for (i = 0; pv && i < n; i++)
		if (unmap[i].status != GNTST_okay)
			x2mback_dev_log(be, err,
					"unmapping an endpoint page: status %d\n",
					unmap[i].status);
	if (pv) {
		/* The grants' entries are empty now: vunmap() finds nothing. */
		if (a->vaddr)
			vunmap(a->vaddr);
		if (a->filler)
			__free_page(a->filler);
		a->filler = NULL;
	} else if (a->pages[0]) {
		gnttab_free_pages(a->nr, a->pages);
	}
	memset(a->pages, 0, a->nr * sizeof(*a->pages));
	a->vaddr = NULL;
	kvfree(a->unmap_ops);
	kvfree(a->unmap_pages);
	a->unmap_ops = NULL;
	a->unmap_pages = NULL;
}

/* The hypercall itself: gnttab_batch_copy() may sleep on GNTST_eagain. */
static int x2mback_real_grant_copy(struct x2mback_device *be,
				   struct gnttab_copy *ops, unsigned int nr)
{
	return HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, nr) ? -EFAULT : 0;
}

const struct x2mback_xen_ops x2mback_real_xen_ops = {
	.map_area	= x2mback_real_map_area,
	.unmap_area	= x2mback_real_unmap_area,
	.grant_copy	= x2mback_real_grant_copy,
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
	be->omx_cfg.max_endpoints = X2MBACK_DEFAULT_MAX_ENDPOINTS;
	be->omx_cfg.max_grants = X2MBACK_DEFAULT_MAX_GRANTS;
	ratelimit_state_init(&be->log_rs, 5 * HZ, 10);
	be->credit_rate = X2MBACK_CREDIT_RATE;
	be->credit_burst = X2MBACK_CREDIT_BURST;
	mutex_init(&be->lock);
	INIT_DELAYED_WORK(&be->work, x2mback_work);
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
	x2mback_credit_init(be);

	/*
	 * Everything the worker serves exists before the channel is bound:
	 * the guest may have queued requests and kicked already, and the
	 * first event runs the worker at once (queueing it orders these
	 * stores before everything it reads).
	 */
	err = x2mback_omx_start(be);
	if (err)
		goto unmap_evt;
	err = be->ops->bind_evtchn(be, p->event_channel);
	if (err)
		goto stop_omx;

	be->connected = true;
	/* Endpoints may notify the guest from now on (x2mback_guest_kick). */
	WRITE_ONCE(be->kick_ok, true);
	mutex_unlock(&be->lock);
	return 0;

stop_omx:
	x2mback_omx_stop(be);
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
	/* No endpoint notifies through the channel we are about to close. */
	WRITE_ONCE(be->kick_ok, false);
	synchronize_rcu();
	/* Stops the interrupt and waits for the worker: rings are then ours. */
	be->ops->unbind_evtchn(be);
	x2mback_omx_stop(be);
	nr = 1u << be->ring_page_order;
	x2mback_unmap_one(be, &be->evt_vaddr, nr);
	x2mback_unmap_one(be, &be->req_vaddr, nr);
	be->connected = false;
	mutex_unlock(&be->lock);
}

void x2mback_totals(unsigned int *devices, unsigned int *pages,
		    unsigned int *grants, unsigned int *held)
{
	struct x2mback_device *be;

	*devices = *pages = *grants = *held = 0;
	mutex_lock(&x2mback_devices_lock);
	list_for_each_entry(be, &x2mback_devices, node) {
		(*devices)++;
		*pages += READ_ONCE(be->ring_pages_mapped);
		*grants += READ_ONCE(be->grants_mapped);
		*held += READ_ONCE(be->grants_held);
	}
	mutex_unlock(&x2mback_devices_lock);
}
