/* SPDX-License-Identifier: MIT */
/*
 * test_mx_compat.c - the MX layer's translations against the reference
 * tables (shared/reference/mx-api.md 3.2-3.4): return and status codes
 * both ways, the error strings, MX timeouts, the error handlers and
 * mx_set_error_handler().
 *
 * Built from the library's sources (mx_codes.c, omx_strerror.c,
 * omx_error_handlers.c, mx_error_handlers.c); the one core call they
 * make, omx_set_error_handler(), is faked here so the handler plumbing
 * can be observed.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mx_codes.h"
#include "omx_compat_internal.h"
#include "tap.h"

#define NONE	(-1)	/* "-" in the reference: no counterpart */

/* ------------------------------------------------------------------------
 * Fake core: the global error handler
 */
static omx_error_handler_t fake_global_handler;
static omx_endpoint_t fake_handler_ep = (omx_endpoint_t)1;

omx_error_handler_t omx_set_error_handler(omx_endpoint_t ep,
					  omx_error_handler_t handler)
{
	omx_error_handler_t previous = fake_global_handler;

	fake_handler_ep = ep;
	fake_global_handler = handler;
	return previous;
}

/* ------------------------------------------------------------------------
 * Running something that should end the process, and what it printed
 */
struct child_result {
	int status;		/* from waitpid */
	char err[512];		/* what it wrote on stderr */
};

static void run_in_child(void (*fn)(void *), void *arg, struct child_result *res)
{
	int fds[2];
	ssize_t n, len = 0;
	pid_t pid;

	memset(res, 0, sizeof(*res));
	fflush(stdout);
	if (pipe(fds) < 0)
		abort();
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		/* No core dump from the abort() we are testing. */
		signal(SIGABRT, SIG_DFL);
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], res->err + len, sizeof(res->err) - 1 - len)) > 0)
		len += n;
	close(fds[0]);
	waitpid(pid, &res->status, 0);
}

static int exited_with(const struct child_result *res, int code)
{
	return WIFEXITED(res->status) && WEXITSTATUS(res->status) == code;
}

static int aborted(const struct child_result *res)
{
	return WIFSIGNALED(res->status) && WTERMSIG(res->status) == SIGABRT;
}

static int one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl && nl[1] == '\0';
}

/* ------------------------------------------------------------------------
 * Table 3.2: every Open-MX code, its string, its MX return and status
 */
static const struct {
	omx_return_t code;
	const char *name;
	const char *string;
	int mx_ret;
	int mx_status;
} omx_codes[] = {
#define C(code, str, ret, st) { code, #code, str, ret, st }
	C(OMX_SUCCESS, "Success", MX_SUCCESS, MX_STATUS_SUCCESS),
	C(OMX_BAD_ERROR, "Bad error", MX_BAD_BAD_BAD, NONE),
	C(OMX_ALREADY_INITIALIZED, "Already initialized", MX_ALREADY_INITIALIZED, NONE),
	C(OMX_NOT_INITIALIZED, "Not initialized", MX_NOT_INITIALIZED, NONE),
	C(OMX_NO_DEVICE_FILE, "No device file", MX_NO_DEV, NONE),
	C(OMX_NO_DRIVER, "Unusable device file (driver loaded?)", MX_NO_DRIVER, NONE),
	C(OMX_ACCESS_DENIED, "Access denied", MX_NO_PERM, NONE),
	C(OMX_BOARD_NOT_FOUND, "Board Not Found", MX_BOARD_UNKNOWN, NONE),
	C(OMX_BAD_ENDPOINT, "Bad Endpoint", MX_BAD_ENDPOINT, NONE),
	C(OMX_SEGMENTS_BAD_COUNT, "Multiple Segments Count Invalid", MX_BAD_SEG_CNT, NONE),
	C(OMX_BAD_REQUEST, "This Function cannot be applied to this Request", MX_BAD_REQUEST, NONE),
	C(OMX_BAD_MATCH_MASK, "Bad match mask.", MX_BAD_MATCH_MASK, NONE),
	C(OMX_NO_RESOURCES, "No resources available", MX_NO_RESOURCES, MX_STATUS_NO_RESOURCES),
	C(OMX_BUSY, "Resource Busy", MX_BUSY, NONE),
	C(OMX_BAD_INFO_KEY, "Bad Info Key", MX_BAD_INFO_KEY, NONE),
	C(OMX_BAD_INFO_ADDRESS, "Bad Info Value Address", MX_BAD_INFO_VAL, NONE),
	C(OMX_ENDPOINT_PARAMS_BAD_LIST, "Bad Endpoint Parameter List", MX_BAD_PARAM_LIST, NONE),
	C(OMX_ENDPOINT_PARAM_BAD_KEY, "Bad Endpoint Parameter Key", MX_BAD_PARAM_NAME, NONE),
	C(OMX_ENDPOINT_PARAM_BAD_VALUE, "Bad Endpoint Parameter Value", MX_BAD_PARAM_VAL, NONE),
	C(OMX_PEER_NOT_FOUND, "Peer Not Found in the Table", MX_HOST_NOT_FOUND, NONE),
	C(OMX_TIMEOUT, "Command Timeout", MX_TIMEOUT, MX_STATUS_TIMEOUT),
	C(OMX_REMOTE_ENDPOINT_BAD_ID, "Remote Endpoint Id is Wrong", MX_BAD_ENDPOINT_ID, MX_STATUS_BAD_ENDPOINT),
	C(OMX_REMOTE_ENDPOINT_CLOSED, "Remote Endpoint is Closed", MX_CONNECTION_FAILED, MX_STATUS_ENDPOINT_CLOSED),
	C(OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, "Connection Key to Remote Endpoint is Invalid", MX_BAD_CONNECTION_KEY, MX_STATUS_BAD_KEY),
	C(OMX_BAD_INFO_LENGTH, "Bad Info Value Length", MX_BAD_INFO_LENGTH, NONE),
	C(OMX_NIC_ID_NOT_FOUND, "Nic ID not Found in Peer Table", MX_NIC_NOT_FOUND, NONE),
	C(OMX_BAD_KERNEL_ABI, "Kernel ABI too old, did you rebuild/reload the new driver?", MX_BAD_KERNEL_VERSION, NONE),
	C(OMX_BAD_LIB_ABI, "Library ABI too old, did you relink your program with the new library?", MX_BAD_LIB_VERSION, NONE),
	C(OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, "Matching info does not respect context id mask", MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, NONE),
	C(OMX_CANCELLED, "Cancelled", NONE, MX_STATUS_CANCELLED),
	C(OMX_REMOTE_RDMA_WINDOW_BAD_ID, "Remote Window Id is Invalid", NONE, MX_STATUS_BAD_RDMAWIN),
	C(OMX_REMOTE_ENDPOINT_UNREACHABLE, "Remote Endpoint Unreachable", NONE, MX_STATUS_ENDPOINT_UNREACHABLE),
	C(OMX_REMOTE_ENDPOINT_BAD_SESSION, "Wrong Remote Endpoint Session", NONE, MX_STATUS_BAD_SESSION),
	C(OMX_MESSAGE_ABORTED, "Message Aborted", NONE, MX_STATUS_ABORTED),
	C(OMX_MESSAGE_TRUNCATED, "Message Truncated", NONE, MX_STATUS_TRUNCATED),
	C(OMX_NOT_SUPPORTED_IN_HANDLER, "Operation not supported in the handler", MX_CLOSE_IN_HANDLER, NONE),
	C(OMX_NO_SYSTEM_RESOURCES, "No resources available in the system", NONE, NONE),
	C(OMX_NOT_IMPLEMENTED, "Not implemented", NONE, NONE),
	C(OMX_RETURN_CODE_MAX, "Maximum return code", NONE, NONE),
#undef C
};

/* Table 3.3: every MX return code and its Open-MX equivalent */
static const struct {
	mx_return_t code;
	const char *name;
	int omx;
} mx_returns[] = {
#define M(code, omx) { code, #code, omx }
	M(MX_SUCCESS, OMX_SUCCESS),
	M(MX_BAD_BAD_BAD, OMX_BAD_ERROR),
	M(MX_FAILURE, NONE),
	M(MX_ALREADY_INITIALIZED, OMX_ALREADY_INITIALIZED),
	M(MX_NOT_INITIALIZED, OMX_NOT_INITIALIZED),
	M(MX_NO_DEV, OMX_NO_DEVICE_FILE),
	M(MX_NO_DRIVER, OMX_NO_DRIVER),
	M(MX_NO_PERM, OMX_ACCESS_DENIED),
	M(MX_BOARD_UNKNOWN, OMX_BOARD_NOT_FOUND),
	M(MX_BAD_ENDPOINT, OMX_BAD_ENDPOINT),
	M(MX_BAD_SEG_LIST, NONE),
	M(MX_BAD_SEG_MEM, NONE),
	M(MX_BAD_SEG_CNT, OMX_SEGMENTS_BAD_COUNT),
	M(MX_BAD_REQUEST, OMX_BAD_REQUEST),
	M(MX_BAD_MATCH_MASK, OMX_BAD_MATCH_MASK),
	M(MX_NO_RESOURCES, OMX_NO_RESOURCES),
	M(MX_BAD_ADDR_LIST, NONE),
	M(MX_BAD_ADDR_COUNT, NONE),
	M(MX_BAD_ROOT, NONE),
	M(MX_NOT_COMPLETED, NONE),
	M(MX_BUSY, OMX_BUSY),
	M(MX_BAD_INFO_KEY, OMX_BAD_INFO_KEY),
	M(MX_BAD_INFO_VAL, OMX_BAD_INFO_ADDRESS),
	M(MX_BAD_NIC, NONE),
	M(MX_BAD_PARAM_LIST, OMX_ENDPOINT_PARAMS_BAD_LIST),
	M(MX_BAD_PARAM_NAME, OMX_ENDPOINT_PARAM_BAD_KEY),
	M(MX_BAD_PARAM_VAL, OMX_ENDPOINT_PARAM_BAD_VALUE),
	M(MX_BAD_HOSTNAME_ARGS, NONE),
	M(MX_HOST_NOT_FOUND, OMX_PEER_NOT_FOUND),
	M(MX_REQUEST_PENDING, NONE),
	M(MX_TIMEOUT, OMX_TIMEOUT),
	M(MX_NO_MATCH, NONE),
	M(MX_BAD_ENDPOINT_ID, OMX_REMOTE_ENDPOINT_BAD_ID),
	M(MX_CONNECTION_FAILED, OMX_REMOTE_ENDPOINT_CLOSED),
	M(MX_BAD_CONNECTION_KEY, OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY),
	M(MX_BAD_INFO_LENGTH, OMX_BAD_INFO_LENGTH),
	M(MX_NIC_NOT_FOUND, OMX_NIC_ID_NOT_FOUND),
	M(MX_BAD_KERNEL_VERSION, OMX_BAD_KERNEL_ABI),
	M(MX_BAD_LIB_VERSION, OMX_BAD_LIB_ABI),
	M(MX_NIC_DEAD, NONE),
	M(MX_CANCEL_NOT_SUPPORTED, OMX_BAD_REQUEST),
	M(MX_CLOSE_IN_HANDLER, OMX_NOT_SUPPORTED_IN_HANDLER),
	M(MX_BAD_MATCHING_FOR_CONTEXT_ID_MASK, OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK),
	M(MX_NOT_SUPPORTED_WITH_CONTEXT_ID, NONE),
#undef M
};

/* Table 3.4: every MX status code, its Open-MX equivalent and string */
static const struct {
	mx_status_code_t code;
	const char *name;
	int omx;
	const char *string;
} mx_statuses[] = {
#define S(code, omx, str) { code, #code, omx, str }
	S(MX_STATUS_SUCCESS, OMX_SUCCESS, "Success"),
	S(MX_STATUS_PENDING, NONE, NULL),
	S(MX_STATUS_BUFFERED, NONE, NULL),
	S(MX_STATUS_REJECTED, NONE, NULL),
	S(MX_STATUS_TIMEOUT, OMX_TIMEOUT, "Command Timeout"),
	S(MX_STATUS_TRUNCATED, OMX_MESSAGE_TRUNCATED, "Message Truncated"),
	S(MX_STATUS_CANCELLED, OMX_CANCELLED, "Cancelled"),
	S(MX_STATUS_ENDPOINT_UNKNOWN, NONE, NULL),
	S(MX_STATUS_ENDPOINT_CLOSED, OMX_REMOTE_ENDPOINT_CLOSED, "Remote Endpoint is Closed"),
	S(MX_STATUS_ENDPOINT_UNREACHABLE, OMX_REMOTE_ENDPOINT_UNREACHABLE, "Remote Endpoint Unreachable"),
	S(MX_STATUS_BAD_SESSION, OMX_REMOTE_ENDPOINT_BAD_SESSION, "Wrong Remote Endpoint Session"),
	S(MX_STATUS_BAD_KEY, OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, "Connection Key to Remote Endpoint is Invalid"),
	S(MX_STATUS_BAD_ENDPOINT, OMX_REMOTE_ENDPOINT_BAD_ID, "Remote Endpoint Id is Wrong"),
	S(MX_STATUS_BAD_RDMAWIN, OMX_REMOTE_RDMA_WINDOW_BAD_ID, "Remote Window Id is Invalid"),
	S(MX_STATUS_ABORTED, OMX_MESSAGE_ABORTED, "Message Aborted"),
	S(MX_STATUS_EVENTQ_FULL, NONE, NULL),
	S(MX_STATUS_NO_RESOURCES, OMX_NO_RESOURCES, "No resources available"),
#undef S
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_return_codes_to_mx(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(omx_codes); i++) {
		mx_return_t mx_ret = (mx_return_t)-1;
		bool found = omx__mx_return_lookup(omx_codes[i].code, &mx_ret);

		if (omx_codes[i].mx_ret == NONE)
			tap_ok(!found, "%s has no MX return code", omx_codes[i].name);
		else
			tap_ok(found && (int)mx_ret == omx_codes[i].mx_ret,
			       "%s -> MX return %d", omx_codes[i].name,
			       omx_codes[i].mx_ret);
	}
}

static void test_return_codes_from_mx(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mx_returns); i++) {
		omx_return_t ret = (omx_return_t)-1;
		bool found = omx__omx_return_lookup(mx_returns[i].code, &ret);

		if (mx_returns[i].omx == NONE)
			tap_ok(!found, "%s has no Open-MX code", mx_returns[i].name);
		else
			tap_ok(found && (int)ret == mx_returns[i].omx,
			       "%s -> Open-MX %d", mx_returns[i].name,
			       mx_returns[i].omx);
	}
}

static void test_status_codes_to_mx(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(omx_codes); i++) {
		mx_status_code_t st = (mx_status_code_t)-1;
		bool found = omx__mx_status_lookup(omx_codes[i].code, &st);

		if (omx_codes[i].mx_status == NONE)
			tap_ok(!found, "%s has no MX status", omx_codes[i].name);
		else
			tap_ok(found && (int)st == omx_codes[i].mx_status,
			       "%s -> MX status %d", omx_codes[i].name,
			       omx_codes[i].mx_status);
	}
}

static void test_status_codes_from_mx(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mx_statuses); i++) {
		omx_return_t code = (omx_return_t)-1;
		bool found = omx__omx_status_lookup(mx_statuses[i].code, &code);

		if (mx_statuses[i].omx == NONE)
			tap_ok(!found, "%s has no Open-MX status", mx_statuses[i].name);
		else
			tap_ok(found && (int)code == mx_statuses[i].omx,
			       "%s -> Open-MX %d", mx_statuses[i].name,
			       mx_statuses[i].omx);
	}
}

/* What an MX error handler sees and answers: unmapped codes keep their
 * number, so a truncation reaches it as 95. */
static void test_handler_translation(void)
{
	tap_is(omx__mx_return_for_handler(OMX_NOT_SUPPORTED_IN_HANDLER),
	       MX_CLOSE_IN_HANDLER, "handler sees OMX 96 as MX_CLOSE_IN_HANDLER");
	tap_is(omx__mx_return_for_handler(OMX_MESSAGE_TRUNCATED), 95,
	       "handler sees a truncation as 95, unchanged");
	tap_is(omx__mx_return_for_handler(OMX_NO_SYSTEM_RESOURCES), 97,
	       "handler sees OMX 97 unchanged");
	tap_is(omx__mx_return_for_handler(OMX_REMOTE_ENDPOINT_CLOSED),
	       MX_CONNECTION_FAILED, "handler sees OMX 33 as MX_CONNECTION_FAILED");
	tap_is(omx__omx_return_from_handler(MX_CLOSE_IN_HANDLER),
	       OMX_NOT_SUPPORTED_IN_HANDLER, "handler answer 41 reads as OMX 96");
	tap_is(omx__omx_return_from_handler(MX_CANCEL_NOT_SUPPORTED),
	       OMX_BAD_REQUEST, "handler answer 40 reads as OMX_BAD_REQUEST");
	tap_is(omx__omx_return_from_handler((mx_return_t)95),
	       OMX_MESSAGE_TRUNCATED, "handler answer 95 reads back as 95");
	tap_is(omx__omx_return_from_handler(MX_FAILURE), 2,
	       "handler answer MX_FAILURE keeps its number");
}

static void strict_return_of_truncated(void *arg)
{
	(void)arg;
	omx__mx_return(OMX_MESSAGE_TRUNCATED);
}

static void strict_status_of_bad_error(void *arg)
{
	(void)arg;
	omx__mx_status(OMX_BAD_ERROR);
}

static void test_strict_translation(void)
{
	struct child_result res;
	omx_status_t status = {
		.code = OMX_MESSAGE_TRUNCATED,
		.addr = { { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } },
		.match_info = 0x1122334455667788ULL,
		.msg_length = 4096,
		.xfer_length = 100,
		.context = &res,
	};
	mx_status_t mx_status;

	tap_is(omx__mx_return(OMX_NOT_SUPPORTED_IN_HANDLER), MX_CLOSE_IN_HANDLER,
	       "strict: OMX 96 returns MX_CLOSE_IN_HANDLER");
	tap_is(omx__mx_status(OMX_REMOTE_ENDPOINT_UNREACHABLE),
	       MX_STATUS_ENDPOINT_UNREACHABLE,
	       "strict: unreachable status converts");

	run_in_child(strict_return_of_truncated, NULL, &res);
	tap_ok(aborted(&res), "strict: an OMX 95 return code aborts");
	tap_ok(one_line(res.err) && strstr(res.err, "95") &&
	       strstr(res.err, "Message Truncated"),
	       "  ...saying which code, on one line");
	run_in_child(strict_status_of_bad_error, NULL, &res);
	tap_ok(aborted(&res), "strict: an OMX_BAD_ERROR status aborts");

	memset(&mx_status, 0xa5, sizeof(mx_status));
	omx__mx_status_from_omx(&mx_status, &status);
	tap_is(mx_status.code, MX_STATUS_TRUNCATED, "status copy: code translated");
	tap_ok(!memcmp(&mx_status.source, &status.addr, sizeof(status.addr)),
	       "status copy: source = addr");
	tap_ok(mx_status.match_info == status.match_info &&
	       mx_status.msg_length == 4096 && mx_status.xfer_length == 100 &&
	       mx_status.context == &res,
	       "status copy: match info, lengths and context");
}

static void test_timeouts(void)
{
	tap_is(omx__mx_timeout(MX_INFINITE), OMX_TIMEOUT_INFINITE,
	       "MX_INFINITE (0) waits forever");
	tap_is(omx__mx_timeout(1), 1, "MX timeout 1 ms stays 1 ms");
	tap_is(omx__mx_timeout(5000), 5000, "MX timeout 5000 ms stays 5000 ms");
	tap_is(omx__mx_timeout(UINT32_MAX - 1), UINT32_MAX - 1,
	       "the largest finite MX timeout stays finite");
}

/* ------------------------------------------------------------------------
 * Strings
 */
static void strerror_of(void *arg)
{
	omx_strerror((omx_return_t)(intptr_t)arg);
}

static void mx_strerror_of(void *arg)
{
	mx_strerror((mx_return_t)(intptr_t)arg);
}

static void test_omx_strerror(void)
{
	struct child_result res;

	for (size_t i = 0; i < ARRAY_SIZE(omx_codes); i++)
		tap_ok(!strcmp(omx_strerror(omx_codes[i].code), omx_codes[i].string),
		       "omx_strerror(%s) = \"%s\"", omx_codes[i].name,
		       omx_codes[i].string);

	tap_ok(!strcmp(omx_strerror((omx_return_t)2), "Unknown Return Code"),
	       "omx_strerror(2) = \"Unknown Return Code\"");
	tap_ok(!strcmp(omx_strerror((omx_return_t)101), "Unknown Return Code"),
	       "omx_strerror(101) = \"Unknown Return Code\"");
	run_in_child(strerror_of, (void *)(intptr_t)101, &res);
	tap_ok(one_line(res.err) && strstr(res.err, "101"),
	       "omx_strerror(101) warns on one line naming the code");
	run_in_child(strerror_of, (void *)(intptr_t)OMX_TIMEOUT, &res);
	tap_ok(exited_with(&res, 0) && res.err[0] == '\0',
	       "omx_strerror of a known code prints nothing");
}

static void test_mx_strerror(void)
{
	struct child_result res;

	for (size_t i = 0; i < ARRAY_SIZE(mx_returns); i++) {
		const char *str = mx_strerror(mx_returns[i].code);

		if (mx_returns[i].omx != NONE)
			tap_ok(!strcmp(str, omx_strerror(mx_returns[i].omx)),
			       "mx_strerror(%s) = omx_strerror(%d)",
			       mx_returns[i].name, mx_returns[i].omx);
		else
			tap_ok(str && *str && strcmp(str, "Unknown Return Code"),
			       "mx_strerror(%s) = \"%s\" (MX-only code)",
			       mx_returns[i].name, str ? str : "(null)");
	}
	tap_ok(!strcmp(mx_strerror(MX_CANCEL_NOT_SUPPORTED),
		       "This Function cannot be applied to this Request"),
	       "mx_strerror(MX_CANCEL_NOT_SUPPORTED) reads as a bad request");
	run_in_child(mx_strerror_of, (void *)(intptr_t)MX_NIC_DEAD, &res);
	tap_ok(exited_with(&res, 0) && res.err[0] == '\0',
	       "mx_strerror of an MX-only code neither aborts nor warns");
	tap_ok(!strcmp(mx_strerror((mx_return_t)44), "Unknown Return Code"),
	       "mx_strerror(44) = \"Unknown Return Code\"");
}

static void test_mx_strstatus(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(mx_statuses); i++) {
		const char *str = mx_strstatus(mx_statuses[i].code);

		if (mx_statuses[i].string)
			tap_ok(!strcmp(str, mx_statuses[i].string),
			       "mx_strstatus(%s) = \"%s\"", mx_statuses[i].name,
			       mx_statuses[i].string);
		else
			tap_ok(str && *str && strcmp(str, "Unknown Status Code"),
			       "mx_strstatus(%s) = \"%s\" (MX-only status)",
			       mx_statuses[i].name, str ? str : "(null)");
	}
	tap_ok(!strcmp(mx_strstatus((mx_status_code_t)17), "Unknown Status Code"),
	       "mx_strstatus(17) = \"Unknown Status Code\"");
}

/* ------------------------------------------------------------------------
 * Error handlers
 */
static void omx_fatal_truncated(void *arg)
{
	OMX_ERRORS_ARE_FATAL((char *)arg, OMX_MESSAGE_TRUNCATED);
}

static void mx_fatal_close_in_handler(void *arg)
{
	MX_ERRORS_ARE_FATAL((char *)arg, MX_CLOSE_IN_HANDLER);
}

static void omx_fatal_with_prefix(void *arg)
{
	omx__set_message_prefix("node1:42 ");
	OMX_ERRORS_ARE_FATAL((char *)arg, OMX_TIMEOUT);
}

static void test_predefined_handlers(void)
{
	struct child_result res;
	struct timespec t0, t1;
	char msg[] = "Completed recv";

	tap_is(OMX_ERRORS_RETURN(msg, OMX_MESSAGE_TRUNCATED), OMX_MESSAGE_TRUNCATED,
	       "OMX_ERRORS_RETURN returns the code");
	tap_is(MX_ERRORS_RETURN(msg, MX_TIMEOUT), MX_TIMEOUT,
	       "MX_ERRORS_RETURN returns the code");

	run_in_child(omx_fatal_truncated, msg, &res);
	tap_ok(exited_with(&res, 255), "OMX_ERRORS_ARE_FATAL exits with -1");
	tap_ok(!strcmp(res.err, "OMX: Completed recv: Message Truncated\n"),
	       "  ...after printing \"<prefix><message>: <error>\"");

	run_in_child(omx_fatal_with_prefix, msg, &res);
	tap_ok(!strcmp(res.err, "node1:42 Completed recv: Command Timeout\n"),
	       "OMX_ERRORS_ARE_FATAL uses the prefix the core sets");

	run_in_child(mx_fatal_close_in_handler, msg, &res);
	tap_ok(exited_with(&res, 255) &&
	       !strcmp(res.err, "OMX: Completed recv: Operation not supported in the handler\n"),
	       "MX_ERRORS_ARE_FATAL prints the Open-MX string and exits with -1");

	setenv("OMX_ABORT_SLEEPS", "1", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run_in_child(omx_fatal_truncated, msg, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	unsetenv("OMX_ABORT_SLEEPS");
	tap_ok(exited_with(&res, 255) && t1.tv_sec - t0.tv_sec >= 1 &&
	       strstr(res.err, "pid"),
	       "OMX_ABORT_SLEEPS=1: sleeps a second, printing the pid, then exits");
}

static char *user_str;
static mx_return_t user_saw;

static mx_return_t user_handler(char *str, mx_return_t ret)
{
	user_str = str;
	user_saw = ret;
	return ret;
}

static mx_return_t other_user_handler(char *str, mx_return_t ret)
{
	(void)str;
	(void)ret;
	return MX_SUCCESS;
}

static omx_return_t foreign_omx_handler(char *str, omx_return_t ret)
{
	(void)str;
	return ret;
}

static void test_mx_set_error_handler(void)
{
	char msg[] = "Closing endpoint";
	omx_error_handler_t installed;

	fake_global_handler = OMX_ERRORS_ARE_FATAL;	/* the core's default */

	tap_ok(mx_set_error_handler(MX_ERRORS_RETURN) == MX_ERRORS_ARE_FATAL,
	       "mx_set_error_handler returns the previous handler (fatal)");
	tap_ok(fake_handler_ep == NULL,
	       "mx_set_error_handler sets the global Open-MX handler");
	tap_ok(fake_global_handler == OMX_ERRORS_RETURN,
	       "MX_ERRORS_RETURN is installed as OMX_ERRORS_RETURN");

	tap_ok(mx_set_error_handler(user_handler) == MX_ERRORS_RETURN,
	       "setting an application handler returns MX_ERRORS_RETURN");
	installed = fake_global_handler;
	tap_ok(installed && installed != OMX_ERRORS_RETURN &&
	       installed != OMX_ERRORS_ARE_FATAL,
	       "an application handler is installed through a wrapper");
	tap_is(installed(msg, OMX_NOT_SUPPORTED_IN_HANDLER),
	       OMX_NOT_SUPPORTED_IN_HANDLER,
	       "the wrapper translates the handler's answer back (41 -> 96)");
	tap_is(user_saw, MX_CLOSE_IN_HANDLER,
	       "the application handler sees MX codes (96 -> 41)");
	tap_ok(user_str == msg, "the application handler gets the message");
	installed(msg, OMX_MESSAGE_TRUNCATED);
	tap_is(user_saw, 95, "a truncation reaches the handler as 95");

	tap_ok(mx_set_error_handler(other_user_handler) == user_handler,
	       "replacing an application handler returns it");
	tap_is(fake_global_handler(msg, OMX_TIMEOUT), OMX_SUCCESS,
	       "the wrapper now calls the new handler");

	tap_ok(mx_set_error_handler(MX_ERRORS_ARE_FATAL) == other_user_handler,
	       "going back to fatal returns the application handler");
	tap_ok(fake_global_handler == OMX_ERRORS_ARE_FATAL,
	       "MX_ERRORS_ARE_FATAL is installed as OMX_ERRORS_ARE_FATAL");

	fake_global_handler = foreign_omx_handler;
	tap_ok(mx_set_error_handler(MX_ERRORS_RETURN) ==
	       (mx_error_handler_t)(void (*)(void))foreign_omx_handler,
	       "a handler set with omx_set_error_handler comes back as is");

	mx_set_error_handler(NULL);
	tap_ok(fake_global_handler == NULL,
	       "NULL is passed on: the core restores its default");
}

int main(void)
{
	test_return_codes_to_mx();
	test_return_codes_from_mx();
	test_status_codes_to_mx();
	test_status_codes_from_mx();
	test_handler_translation();
	test_strict_translation();
	test_timeouts();
	test_omx_strerror();
	test_mx_strerror();
	test_mx_strstatus();
	test_predefined_handlers();
	test_mx_set_error_handler();
	return tap_done();
}
