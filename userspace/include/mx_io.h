/* SPDX-License-Identifier: MIT */
/*
 * mx_io.h - the few MX driver-level types other software expects
 * (Open MPI's configure looks for mx_endpt_handle_t and
 * mx_mapper_state_t).
 */
#ifndef MX_IO_H
#define MX_IO_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A file descriptor of the driver. */
typedef int mx_endpt_handle_t;

#define MX__INVALID_HANDLE		-1

/* State of the peer table as the mapper (discovery daemon) left it. */
typedef struct {
	uint32_t board_number;
	uint8_t mapper_mac[6];		/* NIC id of the mapper, MSB first */
	uint16_t iport;
	uint32_t map_version;
	uint32_t num_hosts;
	uint32_t network_configured;
	uint32_t routes_valid;
	uint32_t level;
	uint32_t flags;
} mx_mapper_state_t;

#ifdef __cplusplus
}
#endif

#endif /* MX_IO_H */
