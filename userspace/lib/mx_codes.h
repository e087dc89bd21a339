/* SPDX-License-Identifier: MIT */
/*
 * mx_codes.h - translation between Open-MX and MX codes and timeouts.
 *
 * Open-MX has one omx_return_t for return values and request statuses;
 * MX has mx_return_t and a separately numbered mx_status_code_t.  Most
 * return codes share their number, but not all, and several codes of
 * each side have no counterpart on the other.
 *
 * Three flavours of translation:
 *  - lookups (bool): the tables themselves, nothing more;
 *  - strict (omx__mx_return, omx__mx_status): what the MX calls return;
 *    a code with no MX meaning means the library broke its own contract,
 *    so the process aborts with a message naming the code;
 *  - pass-through (..._for_handler): what an MX error handler sees and
 *    returns; a code without counterpart keeps its number (an MX handler
 *    may so see 95 for a truncated receive, as with Open-MX 1.5).
 */
#ifndef MX_CODES_H
#define MX_CODES_H

#include <stdbool.h>
#include <stdint.h>

#include "open-mx.h"
#include "myriexpress.h"

bool omx__mx_return_lookup(omx_return_t ret, mx_return_t *mx_ret);
bool omx__omx_return_lookup(mx_return_t mx_ret, omx_return_t *ret);
bool omx__mx_status_lookup(omx_return_t code, mx_status_code_t *mx_code);
bool omx__omx_status_lookup(mx_status_code_t mx_code, omx_return_t *code);

mx_return_t omx__mx_return(omx_return_t ret);
mx_status_code_t omx__mx_status(omx_return_t code);

mx_return_t omx__mx_return_for_handler(omx_return_t ret);
omx_return_t omx__omx_return_from_handler(mx_return_t mx_ret);

/* An Open-MX status copied into an MX one, code translated (strict). */
void omx__mx_status_from_omx(mx_status_t *mx_status,
			     const omx_status_t *status);

/* MX timeout (0 = MX_INFINITE = forever) -> Open-MX milliseconds. */
static inline uint32_t omx__mx_timeout(uint32_t mx_timeout)
{
	return mx_timeout == MX_INFINITE ? OMX_TIMEOUT_INFINITE : mx_timeout;
}

#endif /* MX_CODES_H */
