// SPDX-License-Identifier: GPL-2.0-only
/* The engine's peer.c, built into the KUnit module (found through -I backend/engine/). */
#include "peer.c"
