// SPDX-License-Identifier: GPL-2.0-only
/*
 * xen2mx_kunit_main.c - the xen2mx KUnit module.
 *
 * It links the backend's interface, data-path and state-machine code with
 * fakes for every call into Xen (see x2mback_xen_ops), so the suites run
 * in any kernel with CONFIG_KUNIT: they need no guest and map nothing.
 * Loading the module runs the suites; results appear in the kernel log
 * and under /sys/kernel/debug/kunit/.
 */
#include "common.h"
#include <linux/module.h>

/* The backend's module parameters and wire setup, which module.c normally provides. */
unsigned int x2mback_max_ring_page_order = XEN2MX_MAX_RING_PAGE_ORDER;
unsigned int x2mback_ifaces_max = 4;
unsigned int x2mback_endpoints_max = 8;
unsigned int x2mback_peers_max = 16;
unsigned int x2mback_wire_mtu = OMX_WIRE_9000_MTU;
struct omx_wire_params x2mback_wire;
struct omx_pull_geom x2mback_pull_geom;

MODULE_DESCRIPTION("KUnit suites for xen2mx");
MODULE_LICENSE("GPL");
