/* SPDX-License-Identifier: MIT */
/*
 * omx_export.h - which symbols of libopen-mx applications may see.
 *
 * The library is compiled with -fvisibility=hidden so that its internal
 * functions neither pollute the applications' namespace nor cost a PLT
 * indirection.  Every function and object of the public headers
 * (open-mx.h, myriexpress.h, mx_extensions.h, mx_raw.h, mx_internals/)
 * is defined with OMX_EXPORT in front:
 *
 *	OMX_EXPORT omx_return_t omx_finalize(void) { ... }
 *	OMX_EXPORT const omx_error_handler_t OMX_ERRORS_RETURN = ...;
 *
 * The ELF symbol versions of the MX symbols come from libopen-mx.map.
 */
#ifndef OMX_EXPORT_H
#define OMX_EXPORT_H

#define OMX_EXPORT __attribute__((visibility("default")))

#endif /* OMX_EXPORT_H */
