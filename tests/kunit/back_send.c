// SPDX-License-Identifier: GPL-2.0-only
/* The backend's send.c, built into the KUnit module (found through -I backend/). */
#include "send.c"
