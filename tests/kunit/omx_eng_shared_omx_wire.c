// SPDX-License-Identifier: GPL-2.0-only
/* shared/omx_wire.c, built into open-mx-kunit.ko. */
#include "omx_wire.c"
