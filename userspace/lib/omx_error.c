/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_error.c - error-handler dispatch (mx-api.md 4.1, 7.11), verbose and
 * fatal messages.
 *
 * An API failure or an error completion goes to the endpoint's handler if
 * it has one, else to the global handler; what the handler returns is
 * what the call returns (or the request's status).  The global handler is,
 * until the application picks one: a fatal "BeforeInit" handler before
 * omx_init(), then OMX_ERRORS_ARE_FATAL (or OMX_ERRORS_RETURN with
 * OMX_FATAL_ERRORS=0).  A handler chosen before omx_init() survives it.
 * The two handler objects and omx_strerror() live in the compat files.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "omx_compat_internal.h"
#include "omx_lib.h"

static omx_return_t before_init_handler(char *str, omx_return_t ret)
{
	fprintf(stderr, "%sBeforeInit: %s: %s\n", omx__verbose_prefix(), str,
		omx_strerror(ret));
	exit(-1);
}

static omx_error_handler_t global_handler = before_init_handler;
static int global_handler_chosen;	/* by the application */

/* At omx_init(): the default handler, unless the application chose one. */
void omx__error_handler_init(void)
{
	if (global_handler_chosen)
		return;
	global_handler = omx__globals.fatal_errors ? OMX_ERRORS_ARE_FATAL
						   : OMX_ERRORS_RETURN;
}

/*
 * No lock: a handler is one pointer, and this may be called from inside a
 * handler running under the endpoint's lock.
 */
OMX_EXPORT omx_error_handler_t omx_set_error_handler(omx_endpoint_t ep,
						     omx_error_handler_t handler)
{
	omx_error_handler_t old;

	if (ep) {
		old = ep->error_handler;
		ep->error_handler = handler;
		return old;
	}
	old = global_handler;
	if (handler) {
		global_handler = handler;
		global_handler_chosen = 1;
	} else {
		/* NULL restores the default of the current phase. */
		global_handler_chosen = 0;
		global_handler = before_init_handler;
		if (omx__globals.initialized)
			omx__error_handler_init();
	}
	return old;
}

omx_return_t omx__error(struct omx_endpoint *ep, omx_return_t ret,
			const char *fmt, ...)
{
	omx_error_handler_t handler = ep && ep->error_handler ?
				      ep->error_handler : global_handler;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return handler(msg, ret);
}

/* The same, for the MX layer (omx_compat_internal.h). */
omx_return_t omx__error_with_ep(omx_endpoint_t ep, omx_return_t ret,
				const char *fmt, ...)
{
	omx_error_handler_t handler = ep && ep->error_handler ?
				      ep->error_handler : global_handler;
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return handler(msg, ret);
}

void omx__abort(struct omx_endpoint *ep, const char *fmt, ...)
{
	va_list ap;

	fputs(omx__verbose_prefix(), stderr);
	if (ep)
		fprintf(stderr, "endpoint %u on board %u: ", ep->endpoint_index,
			ep->board_index);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (omx__globals.abort_sleeps) {
		fprintf(stderr, "%sSleeping %u s before aborting, pid %ld\n",
			omx__verbose_prefix(), omx__globals.abort_sleeps,
			(long)getpid());
		sleep(omx__globals.abort_sleeps);
	}
	abort();
}

void omx__verbose(const char *fmt, ...)
{
	va_list ap;

	fputs(omx__verbose_prefix(), stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
