// SPDX-License-Identifier: GPL-2.0-only
/*
 * module.c - xen2mx frontend: parameters and module entry points.
 *
 * The frontend runs in a guest, connects to the xen2mx backend in dom0 over
 * shared rings (doc/ring-protocol.md) and offers /dev/open-mx.
 */
#include "common.h"
#include <linux/module.h>
#include <xen/xen.h>

DEFINE_MUTEX(x2mfront_devices_lock);
LIST_HEAD(x2mfront_devices);

/* Ring size to use when the toolstack did not ask for one, log2 of pages (default 4, capped by the backend). */
unsigned int x2mfront_max_ring_page_order = XEN2MX_MAX_RING_PAGE_ORDER;
module_param_named(max_ring_page_order, x2mfront_max_ring_page_order, uint, 0644);
MODULE_PARM_DESC(max_ring_page_order,
		 "Ring size used unless the toolstack set requested-ring-page-order, log2 of pages (default 4, capped by the backend's max-ring-page-order)");

static int __init x2mfront_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;

	x2mfront_debugfs_init();
	err = x2mfront_chardev_init();
	if (err)
		goto out_debugfs;
	err = x2mfront_xenbus_init();
	if (err)
		goto out_chardev;
	return 0;

out_chardev:
	x2mfront_chardev_exit();
out_debugfs:
	x2mfront_debugfs_exit();
	return err;
}
module_init(x2mfront_init);

static void __exit x2mfront_exit(void)
{
	x2mfront_xenbus_exit();
	x2mfront_chardev_exit();
	x2mfront_debugfs_exit();
}
module_exit(x2mfront_exit);

MODULE_DESCRIPTION("xen2mx frontend: MX/Open-MX transport for Xen guests");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen:xen2mx");
