// SPDX-License-Identifier: GPL-2.0-only
/* The backend's chardev.c, built into the KUnit module (found through -I backend/). */
#include "chardev.c"
