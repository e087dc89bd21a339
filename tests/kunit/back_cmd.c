// SPDX-License-Identifier: GPL-2.0-only
/* The engine's cmd.c, built into the KUnit module (found through -I backend/engine/). */
#include "cmd.c"
