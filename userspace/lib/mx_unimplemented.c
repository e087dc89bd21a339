/* SPDX-License-Identifier: MIT */
/*
 * mx_unimplemented.c - MX symbols that exist so MX programs link, but
 * whose feature Open-MX 1.5 does not provide either.
 *
 * Calling one is a program that cannot work here: it says so on one line
 * and aborts rather than returning a code the caller would not expect.
 */
#include <stdio.h>
#include <stdlib.h>

#include "myriexpress.h"
#include "mx_raw.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

static void mx_not_implemented(const char *function) __attribute__((noreturn));
static void mx_not_implemented(const char *function)
{
	fprintf(stderr, "%s%s is not implemented, aborting\n",
		omx__message_prefix(), function);
	abort();
}

OMX_EXPORT mx_return_t mx_register_unexp_callback(mx_endpoint_t ep,
						  mx_matching_callback_t cb,
						  void *ctxt)
{
	(void)ep, (void)cb, (void)ctxt;
	mx_not_implemented(__func__);
}

OMX_EXPORT mx_return_t mx_iput(mx_endpoint_t endpoint, void *local_addr,
			       uint32_t length,
			       mx_endpoint_addr_t dest_endpoint,
			       uint64_t remote_addr, void *context,
			       mx_request_t *request)
{
	(void)endpoint, (void)local_addr, (void)length, (void)dest_endpoint;
	(void)remote_addr, (void)context, (void)request;
	mx_not_implemented(__func__);
}

OMX_EXPORT mx_return_t mx_iget(mx_endpoint_t endpoint, void *local_addr,
			       uint32_t length,
			       mx_endpoint_addr_t dest_endpoint,
			       uint64_t remote_addr, void *context,
			       mx_request_t *request)
{
	(void)endpoint, (void)local_addr, (void)length, (void)dest_endpoint;
	(void)remote_addr, (void)context, (void)request;
	mx_not_implemented(__func__);
}

OMX_EXPORT mx_return_t mx_buffered(mx_endpoint_t endpoint,
				   mx_request_t *request, uint32_t timeout,
				   uint32_t *result)
{
	(void)endpoint, (void)request, (void)timeout, (void)result;
	mx_not_implemented(__func__);
}

OMX_EXPORT mx_return_t mx_raw_remove_peer(mx_raw_endpoint_t endpoint,
					  uint64_t destination_id)
{
	(void)endpoint, (void)destination_id;
	mx_not_implemented(__func__);
}

/*
 * MX let memory allocators drop the registration-cache entries of memory
 * they free.  Open-MX 1.5 dropped the overlapping entries of its cache and
 * returned 0; this library keeps no such cache today, so only the answer
 * remains.  A core registration cache would be purged here.
 */
OMX_EXPORT int mx__regcache_clean(void *ptr, size_t len)
{
	(void)ptr, (void)len;
	return 0;
}
