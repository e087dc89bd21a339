/* SPDX-License-Identifier: MIT */
/*
 * mx__driver_interface.h - MX's driver-level queries, reduced to the one
 * other software uses: the mapper state of the peer table.
 */
#ifndef MX__DRIVER_INTERFACE_H
#define MX__DRIVER_INTERFACE_H

#include "../mx_io.h"
#include "mx__fops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fills map_version and mapper_mac; the other fields are left alone.
 * The handle is not used (the state is global to the driver). */
mx_return_t mx__get_mapper_state(mx_endpt_handle_t handle,
				 mx_mapper_state_t *state);

#ifdef __cplusplus
}
#endif

#endif /* MX__DRIVER_INTERFACE_H */
