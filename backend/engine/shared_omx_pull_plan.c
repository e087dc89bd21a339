// SPDX-License-Identifier: GPL-2.0-only
/* shared/omx_pull_plan.c (plain C, also unit-tested in user space), built into this module. */
#include "omx_pull_plan.c"
