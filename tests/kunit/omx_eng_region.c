// SPDX-License-Identifier: GPL-2.0-only
/* The engine's region.c, built into open-mx-kunit.ko (found through -I backend/engine/). */
#include "region.c"
