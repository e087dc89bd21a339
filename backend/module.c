// SPDX-License-Identifier: GPL-2.0-only
/*
 * module.c - xen2mx backend: parameters and module entry points.
 *
 * The backend runs in dom0 (or a driver domain) and serves the xen2mx
 * frontends of guests over shared rings; see doc/ring-protocol.md.
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

/* ---- The Open-MX engine (dom0's native stack) ---- */

/* Boards that may be attached at once (1..256, default 32). */
unsigned int x2mback_ifaces_max = 32;
module_param_named(ifaces, x2mback_ifaces_max, uint, 0444);
MODULE_PARM_DESC(ifaces, "Maximum number of attached interfaces (1..256, default 32)");

/* Endpoints per board (1..256: the wire field is 8 bits; default 32). */
unsigned int x2mback_endpoints_max = 32;
module_param_named(endpoints, x2mback_endpoints_max, uint, 0444);
MODULE_PARM_DESC(endpoints, "Maximum number of endpoints per interface (1..256, default 32)");

/* Peer table entries (1..65535: the wire index is 16 bits, 0xFFFF means unknown). */
unsigned int x2mback_peers_max = OMX_WIRE_PEER_MAX_DEFAULT;
module_param_named(peers, x2mback_peers_max, uint, 0444);
MODULE_PARM_DESC(peers, "Maximum number of peers (1..65535, default 1024)");

/* Frame size of the wire variant: 9000 (Open-MX default) or 1500. */
unsigned int x2mback_wire_mtu = OMX_WIRE_9000_MTU;
module_param_named(wire_mtu, x2mback_wire_mtu, uint, 0444);
MODULE_PARM_DESC(wire_mtu, "Open-MX wire variant: 9000 (default) or 1500; every host of the fabric must use the same");

struct omx_wire_params x2mback_wire;
struct omx_pull_geom x2mback_pull_geom;

static int x2mback_ifnames_param_set(const char *val, const struct kernel_param *kp)
{
	return x2mback_ifnames_set(val);
}

static int x2mback_ifnames_param_get(char *buf, const struct kernel_param *kp)
{
	return x2mback_ifnames_get(buf);
}

static const struct kernel_param_ops x2mback_ifnames_ops = {
	.set = x2mback_ifnames_param_set,
	.get = x2mback_ifnames_param_get,
};
module_param_cb(ifnames, &x2mback_ifnames_ops, NULL, 0644);
MODULE_PARM_DESC(ifnames, "Interfaces to attach, comma-separated; at run time +eth1 attaches, -eth1 detaches, --eth1 detaches even if endpoints use it");

static int x2mback_engine_params(void)
{
	enum omx_wire_variant variant;

	if (!x2mback_ifaces_max || x2mback_ifaces_max > 256 ||
	    !x2mback_endpoints_max || x2mback_endpoints_max > 256 ||
	    !x2mback_peers_max || x2mback_peers_max >= OMX_WIRE_PEER_INDEX_UNKNOWN) {
		pr_err("bad module parameter: ifaces must be 1..256, endpoints 1..256, peers 1..65535\n");
		return -EINVAL;
	}
	if (x2mback_wire_mtu == OMX_WIRE_9000_MTU) {
		variant = OMX_WIRE_VARIANT_MTU9000;
	} else if (x2mback_wire_mtu == OMX_WIRE_1500_MTU) {
		variant = OMX_WIRE_VARIANT_MTU1500;
	} else {
		pr_err("bad module parameter wire_mtu=%u: use 9000 or 1500\n",
		       x2mback_wire_mtu);
		return -EINVAL;
	}
	if (omx_wire_params_init(&x2mback_wire, variant, x2mback_peers_max))
		return -EINVAL;
	x2mback_pull_geom.reply_max = x2mback_wire.pull_reply_max;
	x2mback_pull_geom.block_replies = x2mback_wire.pull_block_replies;
	return 0;
}

static int x2mback_engine_init(void)
{
	int err;

	err = x2mback_engine_params();
	if (err)
		return err;
	err = x2mback_peers_init();
	if (err)
		return err;
	err = x2mback_ifaces_init();
	if (err)
		goto peers;
	err = x2mback_recv_init();
	if (err)
		goto ifaces;
	err = x2mback_chardev_init();
	if (err)
		goto recv;
	return 0;
recv:
	x2mback_recv_exit();
ifaces:
	x2mback_ifaces_exit();
peers:
	x2mback_peers_exit();
	return err;
}

static void x2mback_engine_exit(void)
{
	x2mback_chardev_exit();		/* no file is open: the module is pinned */
	x2mback_recv_exit();
	x2mback_peers_stop();		/* before the boards it sends on go */
	x2mback_ifaces_exit();
	x2mback_peers_exit();
}

static int __init x2mback_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;

	err = x2mback_engine_init();
	if (err)
		return err;
	x2mback_debugfs_init();
	err = x2mback_xenbus_init();
	if (err) {
		x2mback_debugfs_exit();
		x2mback_engine_exit();
		return err;
	}
	pr_info("protocol version %u, max-ring-page-order %u; Open-MX wire MTU %u, %u boards x %u endpoints, %u peers\n",
		XEN2MX_PROTO_VERSION, x2mback_max_ring_page_order,
		x2mback_wire_mtu, x2mback_ifaces_max, x2mback_endpoints_max,
		x2mback_peers_max);
	return 0;
}
module_init(x2mback_init);

static void __exit x2mback_exit(void)
{
	/*
	 * Every program using us learns the same thing: its own endpoint's
	 * interface went away.  The wire stops first, then every endpoint
	 * dies at once; only then are the guests' devices torn down one by
	 * one.  (Tearing down device by device with frames still flowing
	 * let a program hear first that its peer's endpoint had closed.)
	 */
	x2mback_recv_exit();
	x2mback_ifaces_kill_endpoints();
	x2mback_xenbus_exit();
	x2mback_debugfs_exit();
	x2mback_engine_exit();
}
module_exit(x2mback_exit);

MODULE_DESCRIPTION("xen2mx backend: MX/Open-MX transport for Xen guests");
MODULE_LICENSE("GPL");
MODULE_ALIAS("xen-backend:xen2mx");
