// SPDX-License-Identifier: GPL-2.0-only
/* The shared ring checks (plain C, also unit-tested in user space), built into this module. */
#include "xen2mx_ring_check.c"
