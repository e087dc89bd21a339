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
#include "omx_engine.h"
#include <linux/module.h>

#include "omx_engine_params_kunit.h"

/* The backend's parameter, which module.c normally provides. */
unsigned int x2mback_max_ring_page_order = XEN2MX_MAX_RING_PAGE_ORDER;

MODULE_DESCRIPTION("KUnit suites for xen2mx");
MODULE_LICENSE("GPL");
