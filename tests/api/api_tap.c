// SPDX-License-Identifier: MIT
/*
 * api_tap.c - thread-safe TAP lines for the API tests (see api_tap.h).
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_tap.h"

static pthread_mutex_t tap_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int tap_count, tap_failed;

static bool tap_vcheck(bool ok, const char *detail, const char *who,
		       const char *fmt, va_list ap)
{
	char desc[512];

	vsnprintf(desc, sizeof(desc), fmt, ap);
	pthread_mutex_lock(&tap_lock);
	tap_count++;
	if (!ok)
		tap_failed++;
	printf("%sok %u - %s: %s%s%s\n", ok ? "" : "not ", tap_count, who, desc,
	       !ok && detail ? " # " : "", !ok && detail ? detail : "");
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
	return ok;
}

bool tap_check(bool ok, const char *detail, const char *who,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_vcheck(ok, detail, who, fmt, ap);
	va_end(ap);
	return ok;
}

bool tap_is(uint64_t got, uint64_t want, const char *who,
	    const char *fmt, ...)
{
	char detail[96];
	va_list ap;

	snprintf(detail, sizeof(detail), "got %" PRIu64 ", want %" PRIu64,
		 got, want);
	va_start(ap, fmt);
	tap_vcheck(got == want, detail, who, fmt, ap);
	va_end(ap);
	return got == want;
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
}

void tap_bail(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	fputs("Bail out! ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	/* exit() with the lock held: the other role cannot print after this. */
	exit(2);
}

int tap_finish(void)
{
	int status;

	pthread_mutex_lock(&tap_lock);
	printf("1..%u\n", tap_count);
	fflush(stdout);
	status = (tap_failed || tap_count == 0) ? 1 : 0;
	pthread_mutex_unlock(&tap_lock);
	return status;
}
