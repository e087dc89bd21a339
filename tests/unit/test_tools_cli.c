// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_cli.c - run the administration tools as a user would, against
 * the pretend driver of test_tools_fakedev.c, and check what they print,
 * their exit status and the driver commands they issue.
 *
 * The tools are the programs of userspace/tools in the build tree; the
 * pretend driver is preloaded (LD_PRELOAD) into each of them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "omx_host.h"
#include "tap.h"

#define TOOLS_DIR	"../../userspace/tools/"
#define FAKEDEV		".libs/test_tools_fakedev.so"
#define OUT_MAX		(64 * 1024)

static char shim[4096];
static char tmpdir[] = "/tmp/test_tools_cli.XXXXXX";
static char log_path[4200];

struct result {
	int status;		/* exit status, or 128 + signal */
	char out[OUT_MAX];
	char err[OUT_MAX];
	char log[OUT_MAX];	/* driver commands */
};

static void read_file(const char *path, char *buf)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, OUT_MAX - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/*
 * Start TOOL with the NULL-terminated arguments, FAKEDEV_* settings from
 * @envs (NULL-terminated "NAME=VALUE" list, may be NULL).  Returns the pid.
 */
static pid_t start_tool(const char *const *envs, const char *tool,
			const char *const *argv_tail)
{
	char path[256], out[4200], err[4200];
	const char *argv[32];
	pid_t pid;
	int i;

	snprintf(path, sizeof(path), TOOLS_DIR "%s", tool);
	snprintf(out, sizeof(out), "%s/out", tmpdir);
	snprintf(err, sizeof(err), "%s/err", tmpdir);
	unlink(log_path);

	argv[0] = tool;
	for (i = 0; argv_tail[i] && i < 30; i++)
		argv[i + 1] = argv_tail[i];
	argv[i + 1] = NULL;

	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(99);
	}
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(98);
		setenv("LD_PRELOAD", shim, 1);
		setenv("FAKEDEV_LOG", log_path, 1);
		for (i = 0; envs && envs[i]; i++)
			putenv((char *)envs[i]);
		execv(path, (char *const *)argv);
		_exit(97);
	}
	return pid;
}

static void finish_tool(pid_t pid, struct result *r)
{
	char out[4200], err[4200];
	int st;

	snprintf(out, sizeof(out), "%s/out", tmpdir);
	snprintf(err, sizeof(err), "%s/err", tmpdir);
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(99);
	}
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	read_file(out, r->out);
	read_file(err, r->err);
	read_file(log_path, r->log);
}

/* run(r, envs, tool, args..., NULL) */
static struct result *run(struct result *r, const char *const *envs,
			  const char *tool, ...)
{
	const char *args[30];
	va_list ap;
	int n = 0;

	va_start(ap, tool);
	while (n < 29 && (args[n] = va_arg(ap, const char *)))
		n++;
	va_end(ap);
	args[n] = NULL;
	finish_tool(start_tool(envs, tool, args), r);
	return r;
}

static void show(const char *what, const char *text)
{
	const char *line = text;

	printf("#   %s:\n", what);
	while (*line) {
		const char *nl = strchr(line, '\n');
		int len = nl ? (int)(nl - line) : (int)strlen(line);

		printf("#     |%.*s\n", len, line);
		line += len + (nl ? 1 : 0);
	}
}

static void is_text(const char *got, const char *want, const char *name)
{
	if (!tap_ok(!strcmp(got, want), "%s", name)) {
		show("got", got);
		show("want", want);
	}
}

static void has_text(const char *got, const char *want, const char *name)
{
	if (!tap_ok(strstr(got, want) != NULL, "%s", name)) {
		show("got", got);
		show("missing", want);
	}
}

static void is_status(const struct result *r, int want, const char *name)
{
	if (!tap_ok(r->status == want, "%s: exit status %d", name, want)) {
		printf("#   got %d\n", r->status);
		show("stderr", r->err);
	}
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(99);
	}
}

/* ------------------------------------------------------------------------ */

static void test_omx_info(void)
{
	static struct result r;
	static const char *full[] = { "FAKEDEV_FULL=1", NULL };
	static const char *unconf[] = { "FAKEDEV_UNCONFIGURED=1", NULL };
	static const char *absent[] = { "FAKEDEV_ABSENT=1", NULL };
	static const char *old_abi[] = { "FAKEDEV_ABI=0x0101", NULL };
	char want[2048];

	snprintf(want, sizeof(want),
		 "Open-MX version 1.5.4-fake\n"
		 " build: %s tools, driver ABI 0x%04x\n"
		 "\n"
		 "Found 2 boards (4 max) supporting 8 endpoints each:\n"
		 " node1:0 (board #0 name eth0 addr 02:00:00:00:00:01)\n"
		 "   managed by driver 'virtio_net'\n"
		 " node1:1 (board #2 name eth2 addr 02:00:00:00:00:02)\n"
		 "   managed by driver 'e1000'\n"
		 "   attached to numa node 0\n"
		 "   WARNING: interface eth2 is down\n"
		 "   WARNING: MTU=1500 invalid (too small for 9000-byte Open-MX frames)\n"
		 "\n"
		 "Peer table is ready, mapper is 02:00:00:00:00:01\n"
		 "================================================\n"
		 "  0) 02:00:00:00:00:01 node1:0\n"
		 "  1) 02:00:00:00:00:02 node1:1\n"
		 "  3) 02:00:00:00:00:09 <unknown>\n",
		 PACKAGE_STRING, 0x0102);
	run(&r, NULL, "omx_info", NULL);
	is_status(&r, 0, "omx_info");
	is_text(r.out, want, "omx_info: version, boards with warnings, peer table with holes and an unnamed peer");
	is_text(r.log, "", "omx_info changes nothing in the driver");

	run(&r, NULL, "omx_info", "-q", NULL);
	is_text(r.out,
		"Found 2 boards (4 max) supporting 8 endpoints each:\n"
		" node1:0 (board #0 name eth0 addr 02:00:00:00:00:01)\n"
		" node1:1 (board #2 name eth2 addr 02:00:00:00:00:02)\n"
		"   WARNING: interface eth2 is down\n"
		"   WARNING: MTU=1500 invalid (too small for 9000-byte Open-MX frames)\n",
		"omx_info -q: boards and their warnings only");

	run(&r, NULL, "omx_info", "-q", "-b", "0", NULL);
	is_text(r.out,
		"Found 2 boards (4 max) supporting 8 endpoints each:\n"
		" node1:0 (board #0 name eth0 addr 02:00:00:00:00:01)\n",
		"omx_info -q -b 0: that board only");

	run(&r, NULL, "omx_info", "-b", "1", NULL);
	is_status(&r, 1, "omx_info -b 1 (not attached)");
	is_text(r.err, "omx_info: no board #1 (the driver has 2 boards attached)\n",
		"omx_info -b 1 says the board is not attached");

	run(&r, full, "omx_info", "-q", NULL);
	has_text(r.out, "WARNING: the peer table is full (6 entries)",
		 "omx_info warns about a full peer table");
	run(&r, unconf, "omx_info", NULL);
	has_text(r.out, "\nPeer table is not configured yet\n=====",
		 "omx_info says when the peer table is not configured");

	run(&r, absent, "omx_info", NULL);
	is_status(&r, 1, "omx_info without the driver");
	/* what to do depends on where the test runs (test_tools_host.c) */
	snprintf(want, sizeof(want),
		 "omx_info: cannot open /dev/open-mx: No such file or directory (%s)\n",
		 omx_driver_hint());
	is_text(r.err, want,
		"omx_info without the driver says what to do here");
	run(&r, old_abi, "omx_info", NULL);
	is_status(&r, 1, "omx_info with another driver ABI");
	is_text(r.err, "omx_info: /dev/open-mx: driver ABI 0x0101, these tools need 0x0102 (rebuild or reload the driver)\n",
		"omx_info names both ABI versions");

	run(&r, NULL, "omx_info", "-b", "x", NULL);
	is_status(&r, 2, "omx_info -b x");
	is_text(r.err, "omx_info: invalid board number 'x' for -b (expected 0..4294967294)\n",
		"a bad option argument is named in one line");
	run(&r, NULL, "omx_info", "--frobnicate", NULL);
	is_status(&r, 2, "omx_info --frobnicate");
	is_text(r.err, "omx_info: unknown option --frobnicate (see --help)\n",
		"an unknown long option is named");
	run(&r, NULL, "omx_info", "--help", NULL);
	tap_ok(r.status == 0 && !strncmp(r.out, "Usage: omx_info ", 16) && !r.err[0],
	       "omx_info --help prints the usage on stdout");
}

static void test_omx_counters(void)
{
	static struct result r;
	static const char *eperm[] = { "FAKEDEV_EPERM=1", NULL };
	const char *p;
	int lines = 0;

	run(&r, NULL, "omx_counters", NULL);
	is_status(&r, 0, "omx_counters");
	is_text(r.out,
		"Shared Communication (addr 00:00:00:00:00:00)\n"
		"=============================================\n"
		"072:         3 Shared Tiny\n"
		"\n"
		"node1:0 (board #0 name eth0 addr 02:00:00:00:00:01)\n"
		"===================================================\n"
		"000:         5 Send Tiny\n"
		"016:         7 Recv Tiny\n"
		"084: 4294967295 DMA Shared Large only Partial\n"
		"\n"
		"node1:1 (board #2 name eth2 addr 02:00:00:00:00:02)\n"
		"===================================================\n"
		"\n",
		"omx_counters: shared pseudo-board then every board, non-zero counters");

	run(&r, NULL, "omx_counters", "-v", "-b", "2", NULL);
	for (p = r.out; (p = strchr(p, '\n')); p++)
		lines++;
	tap_is(lines, 2 + 85 + 1, "omx_counters -v -b 2: title, rule, 85 counters, blank line");
	has_text(r.out, "\n000:         0 Send Tiny\n", "... zero counters included");
	has_text(r.out, "\n084:         0 DMA Shared Large only Partial\n\n",
		 "... up to the last one");

	run(&r, NULL, "omx_counters", "-s", NULL);
	is_text(r.out,
		"Shared Communication (addr 00:00:00:00:00:00)\n"
		"=============================================\n"
		"072:         3 Shared Tiny\n\n",
		"omx_counters -s: the shared pseudo-board only");

	run(&r, NULL, "omx_counters", "-c", NULL);
	is_status(&r, 0, "omx_counters -c");
	is_text(r.log,
		"COUNTERS_CLEAR board=0xfffffffe\n"
		"COUNTERS_CLEAR board=0x0\n"
		"COUNTERS_CLEAR board=0x2\n",
		"omx_counters -c reads and clears every board in one command each");
	run(&r, eperm, "omx_counters", "-c", "-b", "0", NULL);
	is_status(&r, 1, "omx_counters -c as a user");
	is_text(r.err, "omx_counters: clearing counters of node1:0 (board #0 name eth0 addr 02:00:00:00:00:01): permission denied (needs root)\n",
		"... says root is needed");

	run(&r, NULL, "omx_counters", "-b", "0", "-s", NULL);
	is_status(&r, 2, "omx_counters -b 0 -s");
	is_text(r.err, "omx_counters: -b, -a and -s exclude each other\n",
		"... the options exclude each other");
}

static void test_omx_endpoint_info(void)
{
	static struct result r;

	run(&r, NULL, "omx_endpoint_info", NULL);
	is_status(&r, 0, "omx_endpoint_info");
	is_text(r.out,
		"node1:0 (board #0 name eth0 addr 02:00:00:00:00:01)\n"
		"  endpoint 1: pid 4242 command omx_perf\n"
		"  1 of 8 endpoints open\n"
		"node1:1 (board #2 name eth2 addr 02:00:00:00:00:02)\n"
		"  0 of 8 endpoints open\n",
		"omx_endpoint_info lists the open endpoint of each board");
	run(&r, NULL, "omx_endpoint_info", "-v", "-b", "0", NULL);
	is_text(r.out,
		"node1:0 (board #0 name eth0 addr 02:00:00:00:00:01)\n"
		"  endpoint 1: pid 4242 command omx_perf session 0xdeadbeef\n"
		"  1 of 8 endpoints open\n",
		"omx_endpoint_info -v -b 0 adds the session");
}

static void test_omx_hostname(void)
{
	static struct result r;
	static const char *eperm[] = { "FAKEDEV_EPERM=1", NULL };

	run(&r, NULL, "omx_hostname", NULL);
	tap_ok(r.status == 0 && !strcmp(r.out, "node1:0\n"),
	       "omx_hostname prints board 0's name");
	run(&r, NULL, "omx_hostname", "-b", "2", NULL);
	is_text(r.out, "node1:1\n", "omx_hostname -b 2 prints board 2's name");
	run(&r, NULL, "omx_hostname", "-b", "2", "big:1", NULL);
	is_status(&r, 0, "omx_hostname -b 2 big:1");
	is_text(r.log, "SET_HOSTNAME 2 'big:1'\n", "... renames board 2");
	run(&r, eperm, "omx_hostname", "big:0", NULL);
	is_status(&r, 1, "omx_hostname NAME as a user");
	is_text(r.err, "omx_hostname: board #0: setting hostname 'big:0': permission denied (needs root)\n",
		"... says root is needed");
	run(&r, NULL, "omx_hostname", "two words", NULL);
	is_status(&r, 2, "omx_hostname 'two words'");
	is_text(r.log, "", "... and the driver is not asked");
}

static void test_omx_init_peers(void)
{
	static struct result r;
	static const char *eperm[] = { "FAKEDEV_EPERM=1", NULL };
	static const char *full[] = { "FAKEDEV_PEERS_FULL_AT=2", NULL };
	char good[4200], bad[4200], big[4200];

	snprintf(good, sizeof(good), "%s/peers", tmpdir);
	snprintf(bad, sizeof(bad), "%s/bad-peers", tmpdir);
	snprintf(big, sizeof(big), "%s/big-peers", tmpdir);
	write_file(good, "# test fabric\n02:00:00:00:00:01 node1:0\n\n02:00:00:00:00:05\tnode2:0\n");
	write_file(bad, "02:00:00:00:00:01 node1:0\n# fine so far\n02:00:00:00:00:05 node2:0 node3:0\n");
	write_file(big, "2:0:0:0:0:1 a\n2:0:0:0:0:2 b\n2:0:0:0:0:3 c\n2:0:0:0:0:4 d\n"
			"2:0:0:0:0:5 e\n2:0:0:0:0:6 f\n2:0:0:0:0:7 g\n");

	run(&r, NULL, "omx_init_peers", good, NULL);
	is_status(&r, 0, "omx_init_peers FILE");
	is_text(r.log,
		"PEERS_CLEAR\n"
		"PEER_ADD 02:00:00:00:00:01 'node1:0'\n"
		"PEER_ADD 02:00:00:00:00:05 'node2:0'\n"
		"SET_PEER_TABLE_STATE configured=1 version=8 mapper=00:00:00:00:00:00\n",
		"omx_init_peers clears, adds every peer, then marks the table configured");
	tap_ok(!r.out[0] && !r.err[0], "... silently");

	run(&r, NULL, "omx_init_peers", "-v", good, NULL);
	{
		char want[4400];

		snprintf(want, sizeof(want),
			 "02:00:00:00:00:01 node1:0\n"
			 "02:00:00:00:00:05 node2:0\n"
			 "2 peers loaded from %s\n", good);
		is_text(r.out, want, "omx_init_peers -v lists the peers");
	}

	run(&r, NULL, "omx_init_peers", bad, NULL);
	is_status(&r, 1, "omx_init_peers with a bad line");
	{
		char want[4400];

		snprintf(want, sizeof(want),
			 "omx_init_peers: %s:3: unexpected 'node3:0' after the hostname\n", bad);
		is_text(r.err, want, "... reports FILE:LINE: problem");
	}
	is_text(r.log, "", "... and leaves the driver untouched");

	run(&r, NULL, "omx_init_peers", big, NULL);
	is_status(&r, 1, "omx_init_peers with more peers than the driver holds");
	has_text(r.err, "7 peers, but the driver's table holds 6", "... says so");
	is_text(r.log, "", "... before touching the table");

	run(&r, eperm, "omx_init_peers", good, NULL);
	is_status(&r, 1, "omx_init_peers as a user");
	is_text(r.err, "omx_init_peers: clearing the peer table: permission denied (needs root)\n",
		"... says root is needed");

	run(&r, full, "omx_init_peers", good, NULL);
	is_status(&r, 1, "omx_init_peers when the driver table fills up");
	{
		char want[4400];

		snprintf(want, sizeof(want),
			 "omx_init_peers: %s:4: adding 02:00:00:00:00:05 node2:0: table full (the table is left not configured)\n",
			 good);
		is_text(r.err, want, "... names the line of the peer refused");
	}
	tap_ok(!strstr(r.log, "SET_PEER_TABLE_STATE"), "... and does not mark the table configured");

	run(&r, NULL, "omx_init_peers", "-c", NULL);
	is_status(&r, 0, "omx_init_peers -c");
	is_text(r.log,
		"PEERS_CLEAR\n"
		"SET_PEER_TABLE_STATE configured=0 version=8 mapper=00:00:00:00:00:00\n",
		"omx_init_peers -c clears and marks the table not configured");

	run(&r, NULL, "omx_init_peers", "-c", good, NULL);
	is_status(&r, 2, "omx_init_peers -c FILE");
	run(&r, NULL, "omx_init_peers", "/nonexistent/peers", NULL);
	is_status(&r, 1, "omx_init_peers with a missing file");
	is_text(r.err, "omx_init_peers: cannot open /nonexistent/peers: No such file or directory\n",
		"... names the file and the reason");
}

/* The 64-octet announcement of @mac (hex), serial left out (8 hex digits). */
static void oed_frame_hex(const char *mac_hex, char *out)
{
	/* dst broadcast, src, ethertype, peer index 0, ptype 1, 15 pad */
	sprintf(out, "ffffffffffff%s86df000001%030d0000%s", mac_hex, 0, mac_hex);
}

static int count_lines(const char *text, const char *prefix)
{
	const char *p = text;
	int n = 0;
	size_t len = strlen(prefix);

	while (p && *p) {
		if (!strncmp(p, prefix, len))
			n++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return n;
}

static void test_omxoed(void)
{
	static struct result r;
	static const char *eperm[] = { "FAKEDEV_EPERM=1", NULL };
	const char *args[] = { "-f", "-v", "-p", NULL, NULL };
	char pidfile[4200], head0[200], head2[200], serial[9] = "";
	const char *s0, *s, *add;
	struct stat sb;
	int pidfile_seen = 0, i, frames_ok = 1;
	pid_t pid;

	snprintf(pidfile, sizeof(pidfile), "%s/omxoed.pid", tmpdir);
	args[3] = pidfile;
	pid = start_tool(NULL, "omxoed", args);
	for (i = 0; i < 50 && !pidfile_seen; i++) {
		usleep(10000);
		pidfile_seen = stat(pidfile, &sb) == 0;
	}
	usleep(500000);
	kill(pid, SIGTERM);
	finish_tool(pid, &r);

	is_status(&r, 0, "omxoed -f exits cleanly on SIGTERM");
	tap_ok(pidfile_seen && stat(pidfile, &sb) < 0,
	       "omxoed writes its pid file and removes it at exit");
	has_text(r.log,
		 "RAW_OPEN 0\nRAW_OPEN 2\n"
		 "SET_PEER_TABLE_STATE configured=1 version=8 mapper=02:00:00:00:00:01\n"
		 "RAW_SEND 64 ",
		 "omxoed opens every board's raw channel, marks the table configured, broadcasts");

	/* Every frame is the omxoed layout of the board that sends it. */
	oed_frame_hex("020000000001", head0);
	oed_frame_hex("020000000002", head2);
	for (s = r.log; (s = strstr(s, "RAW_SEND 64 ")); s++) {
		const char *f = s + strlen("RAW_SEND 64 ");
		const char *want = strncmp(f + 12, "020000000001", 12) ? head2 : head0;

		if (strncmp(f, want, strlen(want)) ||
		    strncmp(f + 88, "0000000000000000000000000000000000000000", 40))
			frames_ok = 0;
		if (!serial[0])
			memcpy(serial, f + 80, 8);
		else if (strncmp(f + 80, serial, 8))
			frames_ok = 0;
	}
	tap_ok(frames_ok, "each broadcast is 64 octets: broadcast, own MAC, 0x86DF, RAW, NIC id, one serial, zero pad");

	add = strstr(r.log, "PEER_ADD 02:00:00:00:00:05 ''\n");
	tap_ok(add != NULL, "the peer heard is added, without a name (the driver asks it)");
	s0 = add ? strstr(add, "SET_PEER_TABLE_STATE configured=1 version=9") : NULL;
	tap_ok(s0 != NULL, "... and the table version moves on");
	tap_is(count_lines(add ? add : "", "RAW_SEND 64 "), 2,
	       "a new peer starts a new burst at once (one frame per board)");
	tap_is(count_lines(r.log, "RAW_SEND"), 4, "no other frame in the first half second");
	has_text(r.err, "omxoed: node1:0 (board #0 name eth0 addr 02:00:00:00:00:01): new peer 02:00:00:00:00:05\n",
		 "omxoed -f logs the new peer on stderr");
	has_text(r.err, "omxoed: stopping on signal 15\n", "... and why it stops");

	run(&r, eperm, "omxoed", "-f", NULL);
	is_status(&r, 1, "omxoed as a user");
	is_text(r.err, "omxoed: node1:0 (board #0 name eth0 addr 02:00:00:00:00:01): opening the raw interface: permission denied (needs root)\n",
		"... fails before detaching, in one line");
}

int main(void)
{
	if (!realpath(FAKEDEV, shim)) {
		printf("1..0 # SKIP pretend driver %s not built\n", FAKEDEV);
		return 0;
	}
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(log_path, sizeof(log_path), "%s/driver.log", tmpdir);

	test_omx_info();
	test_omx_counters();
	test_omx_endpoint_info();
	test_omx_hostname();
	test_omx_init_peers();
	test_omxoed();

	{
		char cmd[4300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", tmpdir);
	}
	return tap_done();
}
