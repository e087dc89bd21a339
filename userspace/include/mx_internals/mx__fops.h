/* SPDX-License-Identifier: MIT */
/*
 * mx__fops.h - MX's low-level board access, reduced to what other
 * software probes for (Open MPI's configure links against mx_open_board).
 */
#ifndef MX__FOPS_H
#define MX__FOPS_H

#include "../myriexpress.h"
#include "../mx_io.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Does nothing and succeeds: boards are opened by mx_open_endpoint. */
mx_return_t mx_open_board(int i, mx_endpt_handle_t *handle);

#ifdef __cplusplus
}
#endif

#endif /* MX__FOPS_H */
