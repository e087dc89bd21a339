// SPDX-License-Identifier: GPL-2.0-only
/* The shared ring checks, built into the KUnit module. */
#include "xen2mx_ring_check.c"
