// SPDX-License-Identifier: GPL-2.0-only
/*
 * module.c - open-mx.ko: the Open-MX engine's parameters and entry points.
 *
 * The engine is a native Open-MX 1.5 host on any Linux: it needs no Xen.
 * Its parameters are Open-MX's (modprobe open-mx ifnames=eth1 ...);
 * xen2mx-back adds guests' boards to it through omx_engine_api.h.
 */
#include "omx_engine.h"
#include <linux/module.h>

/* Boards that may be attached at once (1..256, default 32). */
unsigned int omx_ifaces_max = 32;
module_param_named(ifaces, omx_ifaces_max, uint, 0444);
MODULE_PARM_DESC(ifaces, "Maximum number of attached interfaces (1..256, default 32)");

/* Endpoints per board (1..256: the wire field is 8 bits; default 32). */
unsigned int omx_endpoints_max = 32;
module_param_named(endpoints, omx_endpoints_max, uint, 0444);
MODULE_PARM_DESC(endpoints, "Maximum number of endpoints per interface (1..256, default 32)");

/* Peer table entries (1..65535: the wire index is 16 bits, 0xFFFF means unknown). */
unsigned int omx_peers_max = OMX_WIRE_PEER_MAX_DEFAULT;
module_param_named(peers, omx_peers_max, uint, 0444);
MODULE_PARM_DESC(peers, "Maximum number of peers (1..65535, default 1024)");

/* Frame size of the wire variant: 9000 (Open-MX default) or 1500. */
unsigned int omx_wire_mtu = OMX_WIRE_9000_MTU;
module_param_named(wire_mtu, omx_wire_mtu, uint, 0444);
MODULE_PARM_DESC(wire_mtu, "Open-MX wire variant: 9000 (default) or 1500; every host of the fabric must use the same");

struct omx_wire_params omx_engine_wire;
struct omx_pull_geom omx_engine_pull_geom;

static int omx_ifnames_param_set(const char *val, const struct kernel_param *kp)
{
	return omx_ifnames_set(val);
}

static int omx_ifnames_param_get(char *buf, const struct kernel_param *kp)
{
	return omx_ifnames_get(buf);
}

static const struct kernel_param_ops omx_ifnames_ops = {
	.set = omx_ifnames_param_set,
	.get = omx_ifnames_param_get,
};
module_param_cb(ifnames, &omx_ifnames_ops, NULL, 0644);
MODULE_PARM_DESC(ifnames, "Interfaces to attach, comma-separated; at run time +eth1 attaches, -eth1 detaches, --eth1 detaches even if endpoints use it");

static int omx_engine_params(void)
{
	enum omx_wire_variant variant;

	if (!omx_ifaces_max || omx_ifaces_max > 256 ||
	    !omx_endpoints_max || omx_endpoints_max > 256 ||
	    !omx_peers_max || omx_peers_max >= OMX_WIRE_PEER_INDEX_UNKNOWN) {
		pr_err("bad module parameter: ifaces must be 1..256, endpoints 1..256, peers 1..65535\n");
		return -EINVAL;
	}
	if (omx_wire_mtu == OMX_WIRE_9000_MTU) {
		variant = OMX_WIRE_VARIANT_MTU9000;
	} else if (omx_wire_mtu == OMX_WIRE_1500_MTU) {
		variant = OMX_WIRE_VARIANT_MTU1500;
	} else {
		pr_err("bad module parameter wire_mtu=%u: use 9000 or 1500\n",
		       omx_wire_mtu);
		return -EINVAL;
	}
	if (omx_wire_params_init(&omx_engine_wire, variant, omx_peers_max))
		return -EINVAL;
	omx_engine_pull_geom.reply_max = omx_engine_wire.pull_reply_max;
	omx_engine_pull_geom.block_replies = omx_engine_wire.pull_block_replies;
	return 0;
}

static int __init omx_engine_init(void)
{
	int err;

	err = omx_engine_params();
	if (err)
		return err;
	err = omx_peers_init();
	if (err)
		return err;
	err = omx_ifaces_init();
	if (err)
		goto peers;
	err = omx_recv_init();
	if (err)
		goto ifaces;
	err = omx_chardev_init();
	if (err)
		goto recv;
	pr_info("Open-MX %s: wire MTU %u, %u boards x %u endpoints, %u peers\n",
		XEN2MX_PACKAGE_VERSION, omx_wire_mtu, omx_ifaces_max,
		omx_endpoints_max, omx_peers_max);
	return 0;
recv:
	omx_recv_exit();
ifaces:
	omx_ifaces_exit();
peers:
	omx_peers_exit();
	return err;
}

static void __exit omx_engine_exit(void)
{
	omx_chardev_exit();		/* no file is open: the module is pinned */
	omx_recv_exit();
	omx_peers_stop();		/* before the boards it sends on go */
	omx_ifaces_exit();
	omx_peers_exit();
}

module_init(omx_engine_init);
module_exit(omx_engine_exit);

MODULE_DESCRIPTION("Open-MX: the MX message-passing interface over Ethernet");
MODULE_LICENSE("GPL");
