/* SPDX-License-Identifier: MIT */
/*
 * test_lib_env.c - the environment variables of mx-api.md 6.1 and 6.2
 * and the default error handlers (4.1, 7.11), as a program sees them.
 * Cases that end the process run in a child.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib_test_util.h"
#include "omx_compat_internal.h"
#include "tap.h"

/* Run fn in a child; its exit status, and what it wrote on stderr in err. */
static int run_child(void (*fn)(void), char *err, size_t errlen)
{
	int fds[2], status = -1;
	ssize_t n, total = 0;
	pid_t pid;

	fflush(stdout);
	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		fn();
		exit(0);
	}
	close(fds[1]);
	while (total + 1 < (ssize_t)errlen &&
	       (n = read(fds[0], err + total, errlen - 1 - total)) > 0)
		total += n;
	err[total] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void open_before_init(void)
{
	omx_endpoint_t ep;

	omx_open_endpoint(0, 0, 0, NULL, 0, &ep);
}

static void error_after_init_default(void)
{
	omx_endpoint_t ep;
	struct fake_config cfg = { 2, 8, 1 };

	fake_driver_install(&cfg);
	omx_init();
	omx_open_endpoint(0, 99, 0, NULL, 0, &ep);
}

static void verbose_init(void)
{
	struct fake_config cfg = { 2, 8, 1 };

	setenv("OMX_VERBOSE", "1", 1);
	setenv("OMX_VERBOSE_PREFIX", "T%p: ", 1);
	fake_driver_install(&cfg);
	omx_init();
}

static void test_default_handlers(void)
{
	char err[1024];

	tap_is(run_child(open_before_init, err, sizeof(err)), 255,
	       "an error before omx_init exits with status -1");
	tap_ok(strstr(err, "BeforeInit") != NULL,
	       "and says BeforeInit (stderr: %.*s)", (int)strcspn(err, "\n"), err);
	tap_is(run_child(error_after_init_default, err, sizeof(err)), 255,
	       "after omx_init errors are fatal by default");
	tap_ok(strstr(err, "Bad Endpoint") != NULL, "with the error string");
	setenv("OMX_FATAL_ERRORS", "0", 1);
	tap_is(run_child(error_after_init_default, err, sizeof(err)), 0,
	       "OMX_FATAL_ERRORS=0: the same error returns");
	unsetenv("OMX_FATAL_ERRORS");
	setenv("MX_ERRORS_ARE_FATAL", "0", 1);
	tap_is(run_child(error_after_init_default, err, sizeof(err)), 0,
	       "MX_ERRORS_ARE_FATAL=0 stands in for it");
	setenv("OMX_IGNORE_MX_ENV", "1", 1);
	tap_is(run_child(error_after_init_default, err, sizeof(err)), 255,
	       "unless OMX_IGNORE_MX_ENV=1");
	unsetenv("OMX_IGNORE_MX_ENV");
	unsetenv("MX_ERRORS_ARE_FATAL");

	run_child(verbose_init, err, sizeof(err));
	tap_ok(err[0] == 'T' && err[1] >= '1' && err[1] <= '9' &&
	       strstr(err, ": initialized") != NULL,
	       "OMX_VERBOSE=1 prints with OMX_VERBOSE_PREFIX=\"T%%p: \" (%.*s)",
	       (int)strcspn(err, "\n"), err);
}

static void reinit(void)
{
	omx_finalize();
	lt_init(9);
}

static void test_thresholds(void)
{
	setenv("OMX_RNDV_THRESHOLD", "100", 1);
	reinit();
	tap_is(omx__rndv_threshold(), 128, "OMX_RNDV_THRESHOLD=100 is raised to 128");
	setenv("OMX_RNDV_THRESHOLD", "10000000", 1);
	reinit();
	tap_is(omx__rndv_threshold(), 262144,
	       "OMX_RNDV_THRESHOLD=10000000 is lowered to 32 x 8192");
	setenv("OMX_RNDV_THRESHOLD", "junk", 1);
	reinit();
	tap_is(omx__rndv_threshold(), 32768, "a value that does not parse is ignored");
	unsetenv("OMX_RNDV_THRESHOLD");
}

static void test_zombies_and_acks(void)
{
	omx_endpoint_t a, b;
	omx_endpoint_addr_t a2b;
	omx_request_t s, r;
	omx_status_t st;
	uint32_t result = 1;
	uint64_t libacks;
	char m[8];

	setenv("OMX_ZOMBIE_SEND", "0", 1);
	setenv("OMX_NOTACKED_MAX", "1", 1);
	reinit();
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	lt_connect(b, 0, 0, 0);

	omx_isend(a, "zz", 3, a2b, 1, NULL, &s);
	omx_test(a, &s, &st, &result);
	tap_is(result, 0, "OMX_ZOMBIE_SEND=0: a tiny send is not done before its ack");
	fake_advance_us(100);
	libacks = fake_get_stats()->libacks;
	omx_irecv(b, m, 8, 1, ~0ULL, NULL, &r);
	omx_progress(b);
	tap_is(fake_get_stats()->libacks, libacks + 1,
	       "OMX_NOTACKED_MAX=1: the receiver acks at once, not after 1/64 s");
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_SUCCESS,
	       "the send completes with the ack");
	lt_wait(b, &r, &st);
	lt_close(a);
	lt_close(b);
	unsetenv("OMX_ZOMBIE_SEND");
	unsetenv("OMX_NOTACKED_MAX");
}

static void test_ctxids_and_any_endpoint(void)
{
	omx_endpoint_t ep;
	omx_endpoint_addr_t addr;
	omx_request_t r;
	uint64_t nic;
	uint32_t eid;
	char m[8];

	setenv("OMX_CTXIDS", "4,60", 1);
	setenv("OMX_ANY_ENDPOINT", "5", 1);
	reinit();
	tap_is(omx_open_endpoint(OMX_ANY_NIC, OMX_ANY_ENDPOINT, 0, NULL, 0, &ep),
	       OMX_SUCCESS, "open any endpoint with OMX_ANY_ENDPOINT=5");
	omx_get_endpoint_addr(ep, &addr);
	omx_decompose_endpoint_addr(addr, &nic, &eid);
	tap_is(eid, 5, "endpoint 5 was opened");
	tap_is(omx_irecv(ep, m, 8, 0, 0, NULL, &r),
	       OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK,
	       "OMX_CTXIDS=4,60 gives endpoints context ids by default");
	omx_close_endpoint(ep);
	unsetenv("OMX_CTXIDS");
	unsetenv("OMX_ANY_ENDPOINT");
}

int main(void)
{
	test_default_handlers();
	lt_init(8);
	test_thresholds();
	test_zombies_and_acks();
	test_ctxids_and_any_endpoint();
	omx_finalize();
	return tap_done();
}
