/* SPDX-License-Identifier: MIT */
/*
 * api_tap.h - TAP output for the two-role API tests.
 *
 * Unlike tests/unit/tap.h, the counter lives in api_tap.c and is guarded by
 * a mutex: in --self mode the server and the client role run as two threads
 * of one process and print into the same stream.  Every line names the role
 * ("ok 7 - client: ..."), so the two-host logs read the same way.
 *
 * The plan ("1..N") is printed last: a role that stops early (timeout,
 * broken peer) then still yields a well-formed stream, and a process that
 * dies before tap_finish() has no plan, which a TAP reader counts as a
 * failure.
 */
#ifndef API_TAP_H
#define API_TAP_H

#include <stdbool.h>
#include <stdint.h>

#define API_PRINTF(f, a) __attribute__((format(printf, f, a)))

/*
 * One assertion: "ok N - WHO: DESCRIPTION" or, when @ok is false,
 * "not ok N - WHO: DESCRIPTION # DETAIL" (@detail may be NULL).
 * Returns @ok so callers can stop a sequence that makes no sense any more.
 */
bool tap_check(bool ok, const char *detail, const char *who,
	       const char *fmt, ...) API_PRINTF(4, 5);

/* An assertion without detail. */
#define tap_ok(ok, who, ...) tap_check((ok), NULL, (who), __VA_ARGS__)

/* Integer equality; the detail says "got G, want W". */
bool tap_is(uint64_t got, uint64_t want, const char *who,
	    const char *fmt, ...) API_PRINTF(4, 5);

/* "# ..." comment line (diagnostics, progress). */
void tap_diag(const char *fmt, ...) API_PRINTF(1, 2);

/* "Bail out! ..." and exit: the whole run is meaningless (bad options,
 * no library, no board). */
void tap_bail(const char *fmt, ...) API_PRINTF(1, 2) __attribute__((noreturn));

/* Print the plan; returns the process exit status (0 = all passed and at
 * least one assertion ran). */
int tap_finish(void);

#endif /* API_TAP_H */
