// SPDX-License-Identifier: MIT
/*
 * api_run.c - options, roles, --self threads and the watchdog of the API
 * test programs (see api_run.h).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_run.h"

/* For error messages; set by api_main(). */
static const char *progname = "api-test";

enum {
	OPT_ROLE = 0x100,
	OPT_SELF,
	OPT_PEER,
	OPT_BOARD,
	OPT_SERVER_EP,
	OPT_CLIENT_EP,
	OPT_KEY,
	OPT_TIMEOUT,
	OPT_CONNECT_WAIT,
	OPT_MAX_RUNTIME,
	OPT_HELP,
};

static const struct option common_options[] = {
	{ "role",		required_argument, NULL, OPT_ROLE },
	{ "self",		no_argument,	   NULL, OPT_SELF },
	{ "peer",		required_argument, NULL, OPT_PEER },
	{ "board",		required_argument, NULL, OPT_BOARD },
	{ "server-endpoint",	required_argument, NULL, OPT_SERVER_EP },
	{ "client-endpoint",	required_argument, NULL, OPT_CLIENT_EP },
	{ "key",		required_argument, NULL, OPT_KEY },
	{ "timeout-ms",		required_argument, NULL, OPT_TIMEOUT },
	{ "connect-wait-s",	required_argument, NULL, OPT_CONNECT_WAIT },
	{ "max-runtime-s",	required_argument, NULL, OPT_MAX_RUNTIME },
	{ "help",		no_argument,	   NULL, OPT_HELP },
};
#define N_COMMON (sizeof(common_options) / sizeof(common_options[0]))

static void usage(FILE *out, const struct api_program *prog)
{
	fprintf(out,
		"Usage: %s --role server [OPTIONS]\n"
		"       %s --role client --peer HOST:BOARD [OPTIONS]\n"
		"       %s --self [OPTIONS]\n"
		"%s\n"
		"Output is TAP; the exit status is 0 when all assertions pass.\n"
		"  --role server|client  this process's side of the test\n"
		"  --self                both sides in this process, on two\n"
		"                        endpoints of one board\n"
		"  --peer NAME           client: peer-table name of the\n"
		"                        server's board (e.g. hostA:0)\n"
		"  --board N             local board index (default 0)\n"
		"  --server-endpoint N   endpoint the server opens and the\n"
		"                        client connects to (default 0;\n"
		"                        give the same on both sides)\n"
		"  --client-endpoint N   endpoint the client opens (default:\n"
		"                        any free one)\n"
		"  --key K               endpoint key (default 0x5ca1ab1e)\n"
		"  --timeout-ms N        bound of every wait (default 20000)\n"
		"  --connect-wait-s N    how long each side waits for the\n"
		"                        other to appear (default 60)\n"
		"  --max-runtime-s N     watchdog: bail out after N s\n"
		"                        (default 600)\n"
		"%s"
		"  --help                this text\n",
		prog->name, prog->name, prog->name, prog->summary,
		prog->options_help ? prog->options_help : "");
}

int api_parse_u32(const char *opt, const char *arg, uint32_t max,
		  uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || *arg == '\0' || *arg == '-' || *end != '\0' || v > max) {
		fprintf(stderr, "%s: invalid %s '%s' (0..%u)\n", progname, opt, arg,
			max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int parse_common(struct api_opts *o, int code, const char *arg,
			bool *role_given)
{
	switch (code) {
	case OPT_ROLE:
		if (!strcmp(arg, "server"))
			o->role = API_SERVER;
		else if (!strcmp(arg, "client"))
			o->role = API_CLIENT;
		else {
			fprintf(stderr, "%s: invalid --role '%s' (server or "
				"client)\n", progname, arg);
			return -1;
		}
		*role_given = true;
		return 0;
	case OPT_SELF:
		o->self = true;
		return 0;
	case OPT_PEER:
		o->peer = (char *)arg;
		return 0;
	case OPT_BOARD:
		return api_parse_u32("--board", arg, 255, &o->board);
	case OPT_SERVER_EP:
		return api_parse_u32("--server-endpoint", arg, 255,
				     &o->server_endpoint);
	case OPT_CLIENT_EP:
		return api_parse_u32("--client-endpoint", arg, 255,
				     &o->client_endpoint);
	case OPT_KEY:
		return api_parse_u32("--key", arg, UINT32_MAX, &o->key);
	case OPT_TIMEOUT:
		/* 0 would make every wait a poll; an hour is plenty. */
		if (api_parse_u32("--timeout-ms", arg, 3600000, &o->timeout_ms))
			return -1;
		if (o->timeout_ms == 0) {
			fprintf(stderr, "%s: invalid --timeout-ms 0 "
				"(1..3600000)\n", progname);
			return -1;
		}
		return 0;
	case OPT_CONNECT_WAIT:
		return api_parse_u32("--connect-wait-s", arg, 3600,
				     &o->connect_wait_s);
	case OPT_MAX_RUNTIME:
		return api_parse_u32("--max-runtime-s", arg, 86400,
				     &o->max_runtime_s);
	}
	return -1;
}

static int parse_options(int argc, char **argv,
			 const struct api_program *prog, struct api_opts *o)
{
	struct option all[N_COMMON + 32];
	size_t n = 0, i;
	bool role_given = false;
	int code;

	for (i = 0; i < N_COMMON; i++)
		all[n++] = common_options[i];
	for (i = 0; prog->options && prog->options[i].name; i++) {
		if (n == N_COMMON + 31) {
			fprintf(stderr, "%s: too many options\n", progname);
			return -1;
		}
		all[n++] = prog->options[i];
	}
	memset(&all[n], 0, sizeof(all[n]));

	while ((code = getopt_long(argc, argv, "", all, NULL)) != -1) {
		if (code == OPT_HELP) {
			usage(stdout, prog);
			exit(0);
		}
		if (code == '?')
			return -1;	/* getopt_long already said why */
		if (code >= API_OPT_PROGRAM) {
			if (!prog->parse_option ||
			    prog->parse_option(code, optarg))
				return -1;
		} else if (parse_common(o, code, optarg, &role_given)) {
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
			argv[optind]);
		return -1;
	}
	if (o->self == role_given) {
		fprintf(stderr, "%s: give exactly one of --role and --self\n",
			progname);
		return -1;
	}
	if (!o->self && o->role == API_CLIENT && !o->peer) {
		fprintf(stderr, "%s: --role client needs --peer HOST:BOARD\n",
			progname);
		return -1;
	}
	if (o->peer && (o->self || o->role == API_SERVER)) {
		fprintf(stderr, "%s: --peer is for --role client only\n",
			progname);
		return -1;
	}
	return 0;
}

/* ---- watchdog --------------------------------------------------------- */

static char watchdog_msg[160];
static uint64_t run_deadline_ms;	/* 0: no whole-run watchdog */

static void watchdog_fired(int sig)
{
	ssize_t ignored;

	(void)sig;
	/* Only async-signal-safe calls here. */
	ignored = write(STDOUT_FILENO, watchdog_msg, strlen(watchdog_msg));
	(void)ignored;
	_exit(3);
}

static void arm_watchdog(uint32_t seconds)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = watchdog_fired;
	sigaction(SIGALRM, &sa, NULL);
	if (!seconds)
		return;
	run_deadline_ms = api_now_ms() + (uint64_t)seconds * 1000;
	snprintf(watchdog_msg, sizeof(watchdog_msg),
		 "\nBail out! watchdog: still running after %u s "
		 "(a blocking call ignored its timeout?)\n", seconds);
	alarm(seconds);
}

void api_guard_begin(uint32_t seconds, const char *what)
{
	alarm(0);
	snprintf(watchdog_msg, sizeof(watchdog_msg),
		 "\nBail out! %s did not return within %u s\n", what, seconds);
	alarm(seconds);
}

void api_guard_end(void)
{
	uint64_t now = api_now_ms();
	uint32_t left;

	alarm(0);
	if (!run_deadline_ms)
		return;
	left = run_deadline_ms > now ?
	       (uint32_t)((run_deadline_ms - now + 999) / 1000) : 1;
	snprintf(watchdog_msg, sizeof(watchdog_msg),
		 "\nBail out! watchdog: run exceeded its time limit "
		 "(a blocking call ignored its timeout?)\n");
	alarm(left);
}

/* ---- --self: the server role in a thread ------------------------------ */

static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static bool server_is_ready;

void api_server_ready(const struct api_role *role)
{
	if (!role->opts->self)
		return;
	pthread_mutex_lock(&ready_lock);
	server_is_ready = true;
	pthread_cond_broadcast(&ready_cond);
	pthread_mutex_unlock(&ready_lock);
}

struct server_thread_arg {
	const struct api_program *prog;
	const struct api_role *role;
};

static void *server_thread(void *p)
{
	struct server_thread_arg *arg = p;

	arg->prog->server(arg->role);
	/* A server that gave up before it was ready must not leave the
	 * client waiting for ever. */
	api_server_ready(arg->role);
	return NULL;
}

static void run_self(const struct api_program *prog,
		     const struct api_role *server, const struct api_role *client)
{
	struct server_thread_arg arg = { prog, server };
	pthread_t thread;
	int err;

	err = pthread_create(&thread, NULL, server_thread, &arg);
	if (err)
		tap_bail("cannot start the server thread: %s", strerror(err));
	pthread_mutex_lock(&ready_lock);
	while (!server_is_ready)
		pthread_cond_wait(&ready_cond, &ready_lock);
	pthread_mutex_unlock(&ready_lock);
	prog->client(client);
	pthread_join(thread, NULL);
}

int api_main(int argc, char **argv, const struct api_program *prog)
{
	struct api_opts o = {
		.board = 0,
		.server_endpoint = 0,
		.client_endpoint = API_ANY_ENDPOINT,
		.key = 0x5ca1ab1e,
		.timeout_ms = 20000,
		.connect_wait_s = 60,
		.max_runtime_s = 600,
	};
	struct api_role server = { "server", API_SERVER, &o };
	struct api_role client = { "client", API_CLIENT, &o };
	int status;

	progname = prog->name;
	/* getopt_long names the program after argv[0], which libtool's
	 * wrapper script turns into .libs/lt-NAME: keep its messages short. */
	argv[0] = (char *)prog->name;
	if (parse_options(argc, argv, prog, &o)) {
		fprintf(stderr, "Try '%s --help'.\n", prog->name);
		return 2;
	}
	arm_watchdog(o.max_runtime_s);
	if (prog->init && prog->init(&o))
		tap_bail("library initialisation failed");

	if (o.self)
		run_self(prog, &server, &client);
	else if (o.role == API_SERVER)
		prog->server(&server);
	else
		prog->client(&client);

	if (prog->fini)
		prog->fini();
	status = tap_finish();
	return status;
}

uint64_t api_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void api_sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
