// SPDX-License-Identifier: GPL-2.0-only
/* shared/omx_wire.c, built into the KUnit module. */
#include "omx_wire.c"
