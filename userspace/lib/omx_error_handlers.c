/* SPDX-License-Identifier: MIT */
/*
 * omx_error_handlers.c - the two error handlers every application can
 * choose from, and the message prefix they print.
 *
 * Which handler runs, and when, is the core's business (omx_set_error_handler
 * and the error paths); a handler only decides what an error does:
 * end the process or come back as the call's return value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "open-mx.h"
#include "omx_compat_internal.h"
#include "omx_export.h"

static const char *omx_message_prefix = "OMX: ";

void omx__set_message_prefix(const char *prefix)
{
	omx_message_prefix = prefix ? prefix : "";
}

const char *omx__message_prefix(void)
{
	return omx_message_prefix;
}

/*
 * OMX_ABORT_SLEEPS=<seconds> keeps a dying process around long enough
 * to attach a debugger; it is read here, at the time of death, so that
 * it also works for errors raised before omx_init().
 */
static void omx_sleep_before_dying(void)
{
	const char *env = getenv("OMX_ABORT_SLEEPS");
	char *end;
	unsigned long seconds;

	if (!env || !*env)
		return;
	seconds = strtoul(env, &end, 10);
	if (*end || !seconds)
		return;
	fprintf(stderr, "%sSleeping %lu seconds before exiting, pid %ld\n",
		omx_message_prefix, seconds, (long)getpid());
	while (seconds)
		seconds = sleep(seconds);
}

static omx_return_t omx_errors_are_fatal(char *str, omx_return_t ret)
{
	fprintf(stderr, "%s%s: %s\n", omx_message_prefix, str ? str : "",
		omx_strerror(ret));
	omx_sleep_before_dying();
	exit(-1);
}

static omx_return_t omx_errors_return(char *str, omx_return_t ret)
{
	(void)str;
	return ret;
}

OMX_EXPORT const omx_error_handler_t OMX_ERRORS_ARE_FATAL = omx_errors_are_fatal;
OMX_EXPORT const omx_error_handler_t OMX_ERRORS_RETURN = omx_errors_return;
