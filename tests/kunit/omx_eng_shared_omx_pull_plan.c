// SPDX-License-Identifier: GPL-2.0-only
/* shared/omx_pull_plan.c, built into open-mx-kunit.ko. */
#include "omx_pull_plan.c"
