// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx_kunit_main.c - open-mx-kunit.ko, the KUnit suites of the Open-MX
 * engine alone.
 *
 * It links the engine's sources (omx_eng_*.c) and nothing of Xen, so it
 * loads and runs on any kernel with CONFIG_KUNIT: dom0, and the same debug
 * kernel booted with no hypervisor at all.  Loading the module runs the
 * suites; results appear in the kernel log and under /sys/kernel/debug/kunit/.
 */
#include "omx_engine.h"
#include <linux/module.h>

#include "omx_engine_params_kunit.h"

MODULE_DESCRIPTION("KUnit suites for open-mx, the Open-MX engine");
MODULE_LICENSE("GPL");
