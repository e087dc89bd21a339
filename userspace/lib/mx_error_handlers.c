/* SPDX-License-Identifier: MIT */
/*
 * mx_error_handlers.c - MX_ERRORS_ARE_FATAL, MX_ERRORS_RETURN and
 * mx_set_error_handler() over the Open-MX handler machinery.
 *
 * The core only knows Open-MX handlers.  An MX handler is installed as
 * the global Open-MX handler through a trampoline that translates the
 * code on the way in and the handler's answer on the way out; the two
 * predefined MX handlers are installed as their Open-MX twins, so the
 * fatal one prints the Open-MX string of the original code.
 */
#include <pthread.h>

#include "mx_codes.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

static mx_return_t mx_errors_are_fatal(char *str, mx_return_t mx_ret)
{
	OMX_ERRORS_ARE_FATAL(str, omx__omx_return_from_handler(mx_ret));
	return mx_ret;	/* not reached: the Open-MX handler exits */
}

static mx_return_t mx_errors_return(char *str, mx_return_t mx_ret)
{
	(void)str;
	return mx_ret;
}

OMX_EXPORT const mx_error_handler_t MX_ERRORS_ARE_FATAL = mx_errors_are_fatal;
OMX_EXPORT const mx_error_handler_t MX_ERRORS_RETURN = mx_errors_return;

/* The application's MX handler while mx_handler_trampoline is installed;
 * the lock keeps it paired with what the core holds when two threads set
 * handlers at once. */
static pthread_mutex_t mx_handler_lock = PTHREAD_MUTEX_INITIALIZER;
static mx_error_handler_t mx_user_handler;

static omx_return_t mx_handler_trampoline(char *str, omx_return_t ret)
{
	mx_error_handler_t handler = __atomic_load_n(&mx_user_handler,
						     __ATOMIC_ACQUIRE);

	return omx__omx_return_from_handler(
		handler(str, omx__mx_return_for_handler(ret)));
}

/*
 * The MX handler a previous Open-MX global handler stands for.  A handler
 * set through the Open-MX API is handed back as is: the codes an MX
 * handler sees carry the same numbers, 96/41 aside.
 */
static mx_error_handler_t mx_handler_of(omx_error_handler_t omx_handler,
					mx_error_handler_t user_handler)
{
	if (omx_handler == OMX_ERRORS_ARE_FATAL)
		return MX_ERRORS_ARE_FATAL;
	if (omx_handler == OMX_ERRORS_RETURN)
		return MX_ERRORS_RETURN;
	if (omx_handler == mx_handler_trampoline)
		return user_handler;
	return (mx_error_handler_t)(void (*)(void))omx_handler;
}

/*
 * Returns the previous handler (Open-MX 1.5 returned the new one: see
 * doc/api-differences.md).  NULL asks the core to restore its default.
 */
OMX_EXPORT mx_error_handler_t mx_set_error_handler(mx_error_handler_t handler)
{
	omx_error_handler_t omx_handler, previous;
	mx_error_handler_t previous_user;

	if (handler == MX_ERRORS_ARE_FATAL)
		omx_handler = OMX_ERRORS_ARE_FATAL;
	else if (handler == MX_ERRORS_RETURN)
		omx_handler = OMX_ERRORS_RETURN;
	else if (handler == NULL)
		omx_handler = NULL;
	else
		omx_handler = mx_handler_trampoline;

	pthread_mutex_lock(&mx_handler_lock);
	previous_user = mx_user_handler;
	if (omx_handler == mx_handler_trampoline)
		__atomic_store_n(&mx_user_handler, handler, __ATOMIC_RELEASE);
	previous = omx_set_error_handler(NULL, omx_handler);
	pthread_mutex_unlock(&mx_handler_lock);

	return mx_handler_of(previous, previous_user);
}
