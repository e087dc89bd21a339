// SPDX-License-Identifier: GPL-2.0-only
/* The engine's iface.c, built into the KUnit module (found through -I backend/engine/). */
#include "iface.c"
