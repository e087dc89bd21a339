// SPDX-License-Identifier: GPL-2.0-only
/* The backend's omx_guest.c, built into the KUnit module (found through -I backend/). */
#include "omx_guest.c"
