// SPDX-License-Identifier: GPL-2.0-only
/* The frontend's ring.c (rings, event channel, interrupt), built into the rogue. */
#include "ring.c"
