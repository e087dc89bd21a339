// SPDX-License-Identifier: GPL-2.0-only
/* The backend's region_grant.c, built into the KUnit module (found through -I backend/). */
#include "region_grant.c"
