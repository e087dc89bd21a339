/* SPDX-License-Identifier: MIT */
/*
 * omx_compat_internal.h - the seam between the library core and the
 * compatibility half of libopen-mx (error strings and handlers, the MX
 * layer, the MX raw interface).
 *
 * The compatibility half calls the core only through the public omx_*
 * functions of open-mx.h plus the few internal functions below; the core
 * calls the compatibility half only through omx__set_message_prefix().
 */
#ifndef OMX_COMPAT_INTERNAL_H
#define OMX_COMPAT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "open-mx.h"

/* ------------------------------------------------------------------------
 * Provided by the core
 */

/* Current eager/rendezvous switch for remote peers, in bytes
 * (OMX_RNDV_THRESHOLD, default 32768): what MX calls MX_COPY_SEND_MAX. */
uint32_t omx__rndv_threshold(void);

/*
 * Report an error detected by the MX layer itself (a bad mx_get_info key
 * or length) the way the core reports its own: format the message, pass
 * (message, ret) to the handler of ep (NULL: the global handler) and
 * return what the handler returns.
 */
omx_return_t omx__error_with_ep(omx_endpoint_t ep, omx_return_t ret,
				const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------------------
 * Provided by the compatibility half (omx_error_handlers.c)
 */

/*
 * Prefix of the library's messages on stderr, "OMX: " until the core
 * sets the one OMX_VERBOSE_PREFIX asks for.  The string is not copied:
 * it must stay valid until the next call.
 */
void omx__set_message_prefix(const char *prefix);
const char *omx__message_prefix(void);

/* ------------------------------------------------------------------------
 * Exported without a public header (MX libraries had it; some MPI
 * implementations call it to drop registration-cache entries)
 */
int mx__regcache_clean(void *ptr, size_t len);

#endif /* OMX_COMPAT_INTERNAL_H */
