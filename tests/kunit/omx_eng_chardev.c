// SPDX-License-Identifier: GPL-2.0-only
/* The engine's chardev.c, built into open-mx-kunit.ko (found through -I backend/engine/). */
#include "chardev.c"
