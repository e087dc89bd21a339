// SPDX-License-Identifier: GPL-2.0-only
/*
 * module.c - xen2mx backend: parameters and module entry points.
 *
 * The backend runs in dom0 (or a driver domain) and serves the xen2mx
 * frontends of guests over shared rings (doc/ring-protocol.md).  Each
 * guest is a board of open-mx.ko, the Open-MX engine, which it uses
 * through omx_engine_api.h alone (doc/architecture.md).
 */
#include "common.h"
#include <linux/module.h>
#include <xen/xen.h>


/* Largest ring a guest may ask for, as a power-of-two number of pages (0..4, default 4). */
unsigned int x2mback_max_ring_page_order = XEN2MX_MAX_RING_PAGE_ORDER;

static int x2mback_set_max_order(const char *val, const struct kernel_param *kp)
{
	unsigned int order;
	int err = kstrtouint(val, 0, &order);

	if (err)
		return err;
	if (order > XEN2MX_MAX_RING_PAGE_ORDER)
		return -ERANGE;
	WRITE_ONCE(x2mback_max_ring_page_order, order);
	return 0;
}

static const struct kernel_param_ops x2mback_max_order_ops = {
	.set = x2mback_set_max_order,
	.get = param_get_uint,
};
module_param_cb(max_ring_page_order, &x2mback_max_order_ops,
		&x2mback_max_ring_page_order, 0644);
MODULE_PARM_DESC(max_ring_page_order,
		 "Maximum ring size a frontend may use, log2 of pages (0..4, default 4); applies to devices probed afterwards");

static int __init x2mback_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;

	x2mback_debugfs_init();
	err = x2mback_xenbus_init();
	if (err) {
		x2mback_debugfs_exit();
		return err;
	}
	pr_info("protocol version %u, max-ring-page-order %u; guests' boards on open-mx, at most %u endpoints each\n",
		XEN2MX_PROTO_VERSION, x2mback_max_ring_page_order,
		omx_engine_endpoints_max());
	return 0;
}
module_init(x2mback_init);

static void __exit x2mback_exit(void)
{
	/*
	 * Every guest program learns the same thing: its own endpoint's
	 * board went away.  Every guest endpoint dies at once, before the
	 * devices are torn down one by one (tearing down device by device
	 * let a program hear first that its peer's endpoint had closed).
	 * open-mx, its wire and dom0's own endpoints stay.
	 */
	omx_boards_kill_endpoints(&x2mback_board_ops);
	x2mback_xenbus_exit();
	x2mback_debugfs_exit();
}
module_exit(x2mback_exit);

MODULE_DESCRIPTION("xen2mx backend: MX/Open-MX transport for Xen guests, on open-mx");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:xen2mx");
