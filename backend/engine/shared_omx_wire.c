// SPDX-License-Identifier: GPL-2.0-only
/* shared/omx_wire.c (plain C, also unit-tested in user space), built into this module. */
#include "omx_wire.c"
