// SPDX-License-Identifier: GPL-2.0-only
/* The engine's pull.c, built into the KUnit module (found through -I backend/engine/). */
#include "pull.c"
