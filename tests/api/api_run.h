/* SPDX-License-Identifier: MIT */
/*
 * api_run.h - command line, roles and process set-up shared by the API
 * test programs.  Nothing here knows the Open-MX or MX API: the MX program
 * uses it too, so that its own source includes <myriexpress.h> only.
 *
 * Every program is one test in two roles:
 *
 *   host A:  PROG --role server [--board N] [--server-endpoint E]
 *   host B:  PROG --role client --peer HOSTNAME-OF-A:BOARD [--server-endpoint E]
 *   one host: PROG --self       (server and client as two threads of this
 *                               process, on two endpoints of one board)
 *
 * The program supplies one function per role; api_main() parses the
 * options, initialises the library once, runs the role(s), arms a
 * watchdog, and prints the TAP plan.
 */
#ifndef API_RUN_H
#define API_RUN_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "api_tap.h"

/* Same value as OMX_ANY_ENDPOINT / MX_ANY_ENDPOINT (both 0xffffffff). */
#define API_ANY_ENDPOINT 0xffffffffU

enum api_role_kind { API_SERVER, API_CLIENT };

struct api_opts {
	bool self;			/* both roles in this process */
	enum api_role_kind role;	/* the role, when !self */
	char *peer;			/* client: name of A's board */
	uint32_t board;			/* local board index */
	uint32_t server_endpoint;	/* the server opens, the client dials */
	uint32_t client_endpoint;	/* index the client opens (default any) */
	uint32_t key;			/* endpoint key, both sides */
	uint32_t timeout_ms;		/* bound of every single wait */
	uint32_t connect_wait_s;	/* how long the roles wait for each other */
	uint32_t max_runtime_s;		/* watchdog for the whole process */
};

struct api_role {
	const char *name;		/* "server" or "client": TAP prefix */
	enum api_role_kind kind;
	const struct api_opts *opts;
};

/* First option code a program may use for its own options. */
#define API_OPT_PROGRAM 0x200

struct api_program {
	const char *name;
	const char *summary;		/* what the test checks, for --help */
	const struct option *options;	/* extra options, NULL-terminated */
	const char *options_help;	/* their --help lines (22-column
					 * option names, as the common ones) */
	/* Handles one extra option; returns 0, or -1 after printing why. */
	int (*parse_option)(int code, const char *arg);
	/* Once per process, before any role runs; returns 0 or -1. */
	int (*init)(const struct api_opts *opts);
	void (*fini)(void);
	void (*server)(const struct api_role *role);
	void (*client)(const struct api_role *role);
};

int api_main(int argc, char **argv, const struct api_program *prog);

/*
 * The server calls this once its endpoints are open.  In --self mode the
 * client thread starts only then, so it cannot take the server's endpoint
 * index with an "any endpoint" open.  No-op in two-host runs.
 */
void api_server_ready(const struct api_role *role);

/* Parses an unsigned number (decimal, or 0x hexadecimal) of at most @max;
 * prints a one-line error and returns -1 on bad input. */
int api_parse_u32(const char *opt, const char *arg, uint32_t max,
		  uint32_t *out);

/*
 * Tighter watchdog around one call that has no timeout of its own (e.g.
 * mx_wait with MX_INFINITE): if it does not return within @seconds the
 * process prints "Bail out! WHAT did not return within N s" and exits.
 * api_guard_end() restores the whole-run watchdog.  Not for use by two
 * threads at once.
 */
void api_guard_begin(uint32_t seconds, const char *what);
void api_guard_end(void);

uint64_t api_now_ms(void);
void api_sleep_ms(uint32_t ms);

#endif /* API_RUN_H */
