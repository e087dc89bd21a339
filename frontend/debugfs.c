// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs.c - /sys/kernel/debug/xen2mx-front/<devid>: the device's state
 * and counters as "key: value" lines.
 */
#include "common.h"
#include <linux/debugfs.h>
#include <linux/seq_file.h>

static struct dentry *x2mfront_debugfs_root;

static int x2mfront_device_show(struct seq_file *m, void *unused)
{
	struct x2mfront_device *fe = m->private;

	/* Negotiated values only change under conn_sem held for writing. */
	down_read(&fe->conn_sem);
	seq_printf(m, "state: %s\n", xenbus_strstate(fe->dev->state));
	seq_printf(m, "backend_state: %s\n",
		   xenbus_strstate(xenbus_read_driver_state(fe->dev->otherend)));
	seq_printf(m, "connected: %u\n", READ_ONCE(fe->connected));
	seq_printf(m, "version: %u\n", fe->version);
	seq_printf(m, "omx: %u\n", fe->omx);
	seq_printf(m, "ring_page_order: %u\n", fe->ring_page_order);
	seq_printf(m, "ring_slots: %u\n", fe->ring_slots);
	seq_printf(m, "event_channel: %u\n", fe->evtchn);
	if (fe->pending)
		seq_printf(m, "req_ring: req_prod_pvt %u rsp_prod %u rsp_cons %u req_event %u rsp_event %u\n",
			   fe->req_ring.req_prod_pvt,
			   READ_ONCE(fe->req_ring.sring->rsp_prod),
			   fe->req_ring.rsp_cons,
			   READ_ONCE(fe->req_ring.sring->req_event),
			   READ_ONCE(fe->req_ring.sring->rsp_event));
	up_read(&fe->conn_sem);
	seq_printf(m, "requests: %lld\n", atomic64_read(&fe->stats.requests));
	seq_printf(m, "responses: %lld\n", atomic64_read(&fe->stats.responses));
	seq_printf(m, "events: %lld\n", atomic64_read(&fe->stats.events));
	seq_printf(m, "notifications: %lld\n",
		   atomic64_read(&fe->stats.notifications));
	seq_printf(m, "ep_wakeups: %lld\n", atomic64_read(&fe->stats.ep_wakeups));
	seq_printf(m, "endpoints: %u\n", x2mfront_endpoints_count(fe));
	seq_printf(m, "reconnects: %u\n", READ_ONCE(fe->reconnects));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(x2mfront_device);

void x2mfront_debugfs_init(void)
{
	x2mfront_debugfs_root = debugfs_create_dir("xen2mx-front", NULL);
}

void x2mfront_debugfs_exit(void)
{
	debugfs_remove_recursive(x2mfront_debugfs_root);
}

void x2mfront_debugfs_add(struct x2mfront_device *fe)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", fe->devid);
	fe->debugfs = debugfs_create_file(name, 0444, x2mfront_debugfs_root, fe,
					  &x2mfront_device_fops);
}

void x2mfront_debugfs_remove(struct x2mfront_device *fe)
{
	debugfs_remove(fe->debugfs);
	fe->debugfs = NULL;
}
