// SPDX-License-Identifier: GPL-2.0-only
/* The frontend's xenbus.c (negotiation), built into the rogue (found through -I frontend/). */
#include "xenbus.c"
