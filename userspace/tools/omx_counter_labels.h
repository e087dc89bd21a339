/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_counter_labels.h - names of the OMX_ABI_COUNTER_MAX driver counters.
 */
#ifndef OMX_COUNTER_LABELS_H
#define OMX_COUNTER_LABELS_H

#include <stdint.h>

#include "omx_abi.h"

extern const char *const omx_counter_labels[OMX_ABI_COUNTER_MAX];

/* Label of counter @index, or NULL beyond the table. */
const char *omx_counter_label(uint32_t index);

#endif /* OMX_COUNTER_LABELS_H */
