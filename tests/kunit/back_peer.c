// SPDX-License-Identifier: GPL-2.0-only
/* The backend's peer.c, built into the KUnit module (found through -I backend/). */
#include "peer.c"
