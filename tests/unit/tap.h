/* SPDX-License-Identifier: MIT */
/*
 * tap.h - the few TAP helpers the user-space unit tests need.
 *
 * Each check prints one "ok N - name" or "not ok N - name" line; tap_done()
 * prints the plan and turns failures into the exit status Automake's TAP
 * driver expects.
 */
#ifndef XEN2MX_TAP_H
#define XEN2MX_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;

static inline __attribute__((format(printf, 2, 3)))
int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return cond;
}

#define tap_is(got, want, ...)						\
	(tap_ok((got) == (want), __VA_ARGS__) ? 1 :			\
	 (printf("#   got %lld, want %lld\n", (long long)(got),		\
		 (long long)(want)), 0))

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* XEN2MX_TAP_H */
