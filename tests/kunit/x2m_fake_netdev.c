// SPDX-License-Identifier: GPL-2.0-only
/* fake_netdev.c again, for xen2mx-kunit.ko: an object belongs to one module. */
#include "fake_netdev.c"
