// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs.c - /sys/kernel/debug/xen2mx-back/: "totals" for the whole
 * backend and one "<domid>.<devid>" file per device, as "key: value" lines
 * that scripts and tests read.
 */
#include "common.h"
#include <linux/debugfs.h>
#include <linux/seq_file.h>


static struct dentry *x2mback_debugfs_root;

static int x2mback_totals_show(struct seq_file *m, void *unused)
{
	unsigned int devices, pages, grants, held;

	x2mback_totals(&devices, &pages, &grants, &held);
	seq_printf(m, "devices: %u\n", devices);
	seq_printf(m, "ring_pages_mapped: %u\n", pages);
	seq_printf(m, "grants_mapped: %u\n", grants);
	seq_printf(m, "grants_held: %u\n", held);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(x2mback_totals);

static int x2mback_device_show(struct seq_file *m, void *unused)
{
	struct x2mback_device *be = m->private;
	struct xen2mx_stats st;

	mutex_lock(&be->lock);
	seq_printf(m, "state: %s\n", xenbus_strstate(be->dev->state));
	seq_printf(m, "frontend_state: %s\n",
		   xenbus_strstate(xenbus_read_driver_state(be->dev->otherend)));
	seq_printf(m, "connected: %u\n", be->connected);
	seq_printf(m, "disabled: %u\n", READ_ONCE(be->disabled));
	seq_printf(m, "version: %u\n", be->version);
	seq_printf(m, "ring_page_order: %u\n", be->ring_page_order);
	seq_printf(m, "ring_slots: %u\n", be->ring_slots);
	seq_printf(m, "event_channel: %u\n", be->evtchn);
	if (be->connected) {
		/* The guest may rewrite these at any time: a snapshot. */
		seq_printf(m, "req_ring: req_prod %u req_cons %u rsp_prod_pvt %u req_event %u rsp_event %u\n",
			   READ_ONCE(be->req_ring.sring->req_prod),
			   be->req_ring.req_cons, be->req_ring.rsp_prod_pvt,
			   READ_ONCE(be->req_ring.sring->req_event),
			   READ_ONCE(be->req_ring.sring->rsp_event));
		seq_printf(m, "evt_ring: credit_prod %u credit_cons %u rsp_prod_pvt %u\n",
			   READ_ONCE(be->evt_ring.sring->req_prod),
			   be->evt_ring.req_cons, be->evt_ring.rsp_prod_pvt);
	}
	x2mback_fill_stats(be, &st);
	mutex_unlock(&be->lock);

	seq_printf(m, "ring_pages_mapped: %u\n", st.ring_pages_mapped);
	seq_printf(m, "grants_mapped: %u\n", st.grants_mapped);
	seq_printf(m, "requests: %llu\n", st.requests);
	seq_printf(m, "errors: %llu\n", st.errors);
	seq_printf(m, "events: %llu\n", st.events);
	seq_printf(m, "notifications: %llu\n", st.notifications);
	/* Worker-private: a snapshot. */
	seq_printf(m, "credit: %u of %u, %u per second\n", READ_ONCE(be->credit),
		   be->credit_burst, be->credit_rate);
	seq_printf(m, "throttled: %llu\n", atomic64_read(&be->stats.throttled));
	x2mback_omx_show(m, be);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(x2mback_device);

void x2mback_debugfs_init(void)
{
	x2mback_debugfs_root = debugfs_create_dir("xen2mx-back", NULL);
	debugfs_create_file("totals", 0444, x2mback_debugfs_root, NULL,
			    &x2mback_totals_fops);
}

void x2mback_debugfs_exit(void)
{
	debugfs_remove_recursive(x2mback_debugfs_root);
}

void x2mback_debugfs_add(struct x2mback_device *be)
{
	char name[32];

	snprintf(name, sizeof(name), "%u.%u", be->domid, be->devid);
	be->debugfs = debugfs_create_file(name, 0444, x2mback_debugfs_root, be,
					  &x2mback_device_fops);
}

void x2mback_debugfs_remove(struct x2mback_device *be)
{
	/* Waits for readers still inside x2mback_device_show(). */
	debugfs_remove(be->debugfs);
	be->debugfs = NULL;
}
