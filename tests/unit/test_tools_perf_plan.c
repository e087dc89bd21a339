// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_perf_plan.c - omx_perf's command line, message lengths,
 * parameter message (against Open-MX 1.5's byte layout), verification
 * pattern and result line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "omx_perf_plan.h"
#include "tap.h"

static unsigned int lengths(const struct omx_perf_plan *plan, uint32_t *out,
			    unsigned int max)
{
	uint32_t len = plan->start;
	unsigned int n = 0;

	do
		out[n++] = len;
	while (n < max && omx_perf_next_length(plan, len, &len));
	return n;
}

static void test_lengths(void)
{
	struct omx_perf_plan plan;
	uint32_t v[64];
	unsigned int n, i, powers = 1;

	omx_perf_plan_default(&plan);
	tap_ok(omx_perf_plan_check(&plan) == NULL, "the default plan is valid");
	n = lengths(&plan, v, 64);
	tap_is(n, 24, "default (1.5's: end 4194305, excluded): 0, then 1, 2, 4 ... 4 MiB: 24 lengths");
	for (i = 1; i < n; i++)
		if (v[i] != 1u << (i - 1))
			powers = 0;
	tap_ok(v[0] == 0 && powers && v[n - 1] == 4194304,
	       "default lengths are 0 and the powers of 2 up to 4194304");

	plan.start = 3;
	plan.mult = 10;
	plan.end = 3000;
	n = lengths(&plan, v, 64);
	tap_ok(n == 3 && v[0] == 3 && v[1] == 30 && v[2] == 300,
	       "-S 3 -M 10 -E 3000: 3 30 300 (the end is excluded, as in 1.5)");
	plan.end = 3001;
	tap_is(lengths(&plan, v, 64), 4, "-E 3001 runs 3000 too");

	omx_perf_plan_default(&plan);
	plan.incr = 5;
	plan.end = 100;
	n = lengths(&plan, v, 64);
	tap_ok(n == 5 && v[0] == 0 && v[1] == 5 && v[2] == 15 && v[3] == 35 &&
	       v[4] == 75,
	       "-I 5 -E 100: 0, then 5 (the increment), 15, 35, 75 (len * 2 + 5)");
	plan.mult = 1;
	plan.incr = 1000;
	plan.end = 3001;
	n = lengths(&plan, v, 64);
	tap_ok(n == 4 && v[1] == 1000 && v[3] == 3000,
	       "-M 1 -I 1000: 0 1000 2000 3000 (linear)");

	plan.start = 7;
	plan.end = 8;
	tap_is(lengths(&plan, v, 64), 1, "end == start + 1: one length");

	plan.start = 1u << 24;
	plan.end = (1u << 24) + 1;
	plan.mult = 0xffffffffu;
	plan.incr = 16u << 20;
	tap_ok(!omx_perf_next_length(&plan, plan.start, &v[0]),
	       "16 MiB times a huge multiplier stops instead of wrapping");
}

static void test_check(void)
{
	struct omx_perf_plan plan;

	omx_perf_plan_default(&plan);
	plan.end = (16u << 20) + 1;
	tap_ok(omx_perf_plan_check(&plan) == NULL, "-E 16 MiB + 1 (16 MiB run) is allowed");
	plan.end = (16u << 20) + 2;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "-E 16 MiB + 2 is not");

	omx_perf_plan_default(&plan);
	plan.start = 100;
	plan.end = 100;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "start == end (nothing to run) is refused");
	omx_perf_plan_default(&plan);
	plan.mult = 1;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "multiplier 1 without increment (endless run) is refused");
	plan.incr = 1;
	tap_ok(omx_perf_plan_check(&plan) == NULL, "multiplier 1 with an increment is fine");
	plan.mult = 0;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "multiplier 0 is refused");
	omx_perf_plan_default(&plan);
	plan.iter = 0;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "zero iterations are refused");
	omx_perf_plan_default(&plan);
	plan.warmup = 0;
	tap_ok(omx_perf_plan_check(&plan) == NULL, "zero warmup is fine");
}

/*
 * The golden parameter message: Open-MX 1.5's struct param for
 * "omx_perf -d H -N 77 -W 5 -S 3 -E 4194305 -M 3 -I 2 -a -Y", as 1.5's
 * sender fills it (tests/omx_perf.c, see omx_perf.c's header): every
 * 32-bit word big-endian (htonl); each 64-bit value as its low word, then
 * its high word (HTON_DU32); three one-byte booleans; one padding byte.
 */
static const uint8_t golden[OMX_PERF_PARAM_LEN] = {
	0x00, 0x00, 0x00, 0x4d,		/*  0 iter = 77 */
	0x00, 0x00, 0x00, 0x05,		/*  4 warmup = 5 */
	0x00, 0x00, 0x00, 0x03,		/*  8 min_low = 3 (-S) */
	0x00, 0x00, 0x00, 0x00,		/* 12 min_high */
	0x00, 0x40, 0x00, 0x01,		/* 16 max_low = 4194305 (-E) */
	0x00, 0x00, 0x00, 0x00,		/* 20 max_high */
	0x00, 0x00, 0x00, 0x03,		/* 24 multiplier_low = 3 (-M) */
	0x00, 0x00, 0x00, 0x00,		/* 28 multiplier_high */
	0x00, 0x00, 0x00, 0x02,		/* 32 increment_low = 2 (-I) */
	0x00, 0x00, 0x00, 0x00,		/* 36 increment_high */
	0x01,				/* 40 align (-a) */
	0x00,				/* 41 unidir (-U) */
	0x01,				/* 42 sync (-Y) */
	0x00,				/* 43 padding: we send 0 */
};

static void golden_plan(struct omx_perf_plan *plan)
{
	omx_perf_plan_default(plan);
	plan->iter = 77;
	plan->warmup = 5;
	plan->start = 3;
	plan->end = 4194305;
	plan->mult = 3;
	plan->incr = 2;
	plan->flags = OMX_PERF_ALIGN | OMX_PERF_SYNC;
}

static void test_wire(void)
{
	struct omx_perf_plan plan, back;
	uint8_t msg[OMX_PERF_PARAM_EXT_LEN], in[OMX_PERF_PARAM_EXT_LEN];
	unsigned int i, first_diff = OMX_PERF_PARAM_LEN;
	size_t len;

	tap_is(OMX_PERF_KEY, 0x12345678u, "endpoint key is 1.5's 0x12345678");
	tap_ok(OMX_PERF_MATCH_DATA == 0x1234567887654321ULL &&
	       OMX_PERF_MATCH_ACK == 0, "match infos are 1.5's (data 0x1234567887654321, ready 0)");

	golden_plan(&plan);
	len = omx_perf_plan_encode(&plan, msg);
	tap_is(len, 44, "a plain sender's parameter message is 1.5's 44 bytes");
	for (i = 0; i < OMX_PERF_PARAM_LEN; i++)
		if (msg[i] != golden[i]) {
			first_diff = i;
			break;
		}
	tap_ok(first_diff == OMX_PERF_PARAM_LEN,
	       "encoding matches 1.5's layout byte for byte (first difference at %u)",
	       first_diff);

	memcpy(in, golden, sizeof(golden));
	in[43] = 0xa5;	/* 1.5 leaves its padding byte unset */
	tap_ok(omx_perf_plan_decode(in, OMX_PERF_PARAM_LEN, &back) == NULL &&
	       !memcmp(&plan, &back, sizeof(plan)),
	       "1.5's message decodes to its plan, whatever its padding byte");
	in[40] = 0x02;
	in[41] = 0xff;
	tap_ok(omx_perf_plan_decode(in, OMX_PERF_PARAM_LEN, &back) == NULL &&
	       back.flags == (OMX_PERF_ALIGN | OMX_PERF_UNIDIR | OMX_PERF_SYNC),
	       "its one-byte flags are booleans, as 1.5 reads them");
	memcpy(in, golden, sizeof(golden));
	in[20] = 1;
	tap_ok(omx_perf_plan_decode(in, OMX_PERF_PARAM_LEN, &back) != NULL,
	       "an end length beyond 4 GiB (high word) is refused");
	memcpy(in, golden, sizeof(golden));
	tap_ok(omx_perf_plan_decode(in, OMX_PERF_PARAM_LEN - 1, &back) != NULL,
	       "a shorter message is refused");
	in[27] = 1;	/* multiplier 1, no increment: endless */
	in[35] = 0;
	tap_ok(omx_perf_plan_decode(in, OMX_PERF_PARAM_LEN, &back) != NULL,
	       "an invalid plan from the sender is refused");

	/* -V: 1.5's 44 bytes, then magic, version, flags (ours) */
	plan.flags |= OMX_PERF_VERIFY;
	len = omx_perf_plan_encode(&plan, msg);
	tap_ok(len == OMX_PERF_PARAM_EXT_LEN && !memcmp(msg, golden, 44) &&
	       msg[44] == 'X' && msg[45] == '2' && msg[46] == 'M' &&
	       msg[47] == 'X' && msg[51] == 1 && msg[55] == 1,
	       "-V appends 'X2MX', version 1, flags 1 to 1.5's 44 bytes");
	tap_ok(omx_perf_plan_decode(msg, len, &back) == NULL &&
	       !memcmp(&plan, &back, sizeof(plan)), "and decodes back with -V");
	msg[44] = 0;
	tap_ok(omx_perf_plan_decode(msg, len, &back) != NULL,
	       "a 56-byte message without the magic is refused");
	msg[44] = 'X';
	msg[51] = 2;
	tap_ok(omx_perf_plan_decode(msg, len, &back) != NULL,
	       "another version is refused");
}

/* ------------------------------------------------------------------------
 * The command line
 */
static int parse(struct omx_perf_opts *o, const char *const *args)
{
	char *argv[32];
	int argc = 0;

	argv[argc++] = (char *)"omx_perf";
	while (*args && argc < 31)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	omx_perf_parse_options(argc, argv, o);
	return 0;
}

/* Exit status of parsing @args in a child (usage errors exit 2). */
static int parse_status(const char *const *args)
{
	struct omx_perf_opts o;
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		exit(99);
	if (pid == 0) {
		/* keep the TAP stream clean */
		if (!freopen("/dev/null", "w", stderr))
			_exit(98);
		parse(&o, args);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_options(void)
{
	struct omx_perf_opts o;

	parse(&o, (const char *const[]){ NULL });
	tap_ok(!o.dest && !o.slave && o.endpoint == OMX_PERF_ANY_ENDPOINT &&
	       o.board == 0 && o.pause_ms == 100 && o.plan.start == 0 &&
	       o.plan.end == 4194305 && o.plan.mult == 2 && o.plan.incr == 0 &&
	       o.plan.iter == 1000 && o.plan.warmup == 10 && !o.plan.flags,
	       "no option: receiver, 1.5's defaults");

	parse(&o, (const char *const[]){ "-d", "node1:0", "-S", "8", "-E", "1025",
		"-M", "4", "-I", "1", "-N", "20", "-W", "3", "-P", "0", "-r", "2",
		"-a", "-U", "-Y", "-V", "-b", "1", "-e", "7", "-w", "-y", "-v",
		NULL });
	tap_ok(o.dest && !strcmp(o.dest, "node1:0") && o.plan.start == 8 &&
	       o.plan.end == 1025 && o.plan.mult == 4 && o.plan.incr == 1 &&
	       o.plan.iter == 20 && o.plan.warmup == 3 && o.pause_ms == 0 &&
	       o.rendpoint == 2 && o.board == 1 && o.endpoint == 7 && o.wait &&
	       o.yield && o.verbose &&
	       o.plan.flags == (OMX_PERF_ALIGN | OMX_PERF_UNIDIR |
				OMX_PERF_SYNC | OMX_PERF_VERIFY),
	       "1.5's letters: -S start -E end -M -I -N -W -P -r -a -U -Y, and -V");

	parse(&o, (const char *const[]){ "-s", "-w", "-e", "3", NULL });
	tap_ok(o.slave && o.wait && o.endpoint == 3 && !o.dest,
	       "-s is 1.5's slave receiver");
	parse(&o, (const char *const[]){ "--dest", "h", "--start", "2",
		"--sync", "--increment", "3", "--pause", "5", NULL });
	tap_ok(o.dest && o.plan.start == 2 && (o.plan.flags & OMX_PERF_SYNC) &&
	       o.plan.incr == 3 && o.pause_ms == 5, "long names");
	parse(&o, (const char *const[]){ "-h", NULL });
	tap_ok(o.help, "-h asks for help");

	tap_is(parse_status((const char *const[]){ "-d", "h", NULL }), 0,
	       "a plain sender parses");
	tap_is(parse_status((const char *const[]){ "-S", "8", NULL }), 2,
	       "-S without -d is a usage error (a sender option)");
	tap_is(parse_status((const char *const[]){ "-d", "h", "-s", NULL }), 2,
	       "-s with -d is a usage error (a receiver option)");
	tap_is(parse_status((const char *const[]){ "-d", "h", "-S", "x", NULL }), 2,
	       "-S needs a number");
	tap_is(parse_status((const char *const[]){ "-d", "h", "-M", "1", NULL }), 2,
	       "-M 1 without -I is a usage error (endless)");
	tap_is(parse_status((const char *const[]){ "-d", "h", "-S", "64", "-E", "64", NULL }), 2,
	       "-S 64 -E 64 runs nothing: usage error");
	tap_is(parse_status((const char *const[]){ "-d", "h", "-E", "16777218", NULL }), 2,
	       "-E beyond 16 MiB + 1 is a usage error");
	tap_is(parse_status((const char *const[]){ "-d", "h", "-E", "16777217", NULL }), 0,
	       "-E 16777217 (16 MiB included) is fine");
	tap_is(parse_status((const char *const[]){ "-x", NULL }), 2,
	       "an unknown option is a usage error");
}

static void test_pattern(void)
{
	static const uint32_t lens[] = { 0, 1, 3, 4, 5, 33, 4097, 1u << 20 };
	uint8_t *a = malloc(1u << 20), *b = malloc(1u << 20);
	uint32_t off = 0, i, distinct = 0;
	uint8_t got = 0, want = 0, seen[256] = { 0 };
	unsigned int k, ok = 1;

	if (!a || !b)
		exit(99);
	for (k = 0; k < sizeof(lens) / sizeof(lens[0]); k++) {
		omx_perf_fill(a, lens[k], 9, OMX_PERF_PING);
		if (omx_perf_check(a, lens[k], 9, OMX_PERF_PING, &off, &got, &want))
			ok = 0;
	}
	tap_ok(ok, "a filled buffer checks, for lengths 0 to 1 MiB");

	omx_perf_fill(a, 4097, 9, OMX_PERF_PING);
	a[4000] ^= 0x10;
	tap_ok(omx_perf_check(a, 4097, 9, OMX_PERF_PING, &off, &got, &want) == -1 &&
	       off == 4000 && got == (uint8_t)(want ^ 0x10),
	       "a flipped bit is found at its offset with the bytes found and expected");
	omx_perf_fill(a, 4097, 9, OMX_PERF_PING);
	a[4096] = (uint8_t)~a[4096];
	tap_ok(omx_perf_check(a, 4097, 9, OMX_PERF_PING, &off, &got, &want) == -1 &&
	       off == 4096, "the last byte of an odd length is checked");

	omx_perf_fill(a, 4096, 9, OMX_PERF_PING);
	tap_ok(omx_perf_check(a, 4096, 10, OMX_PERF_PING, &off, &got, &want) == -1,
	       "the previous iteration's data does not pass");
	tap_ok(omx_perf_check(a, 4096, 9, OMX_PERF_PONG, &off, &got, &want) == -1,
	       "data sent back unchanged does not pass as the reply");
	omx_perf_fill(b, 4097, 9, OMX_PERF_PING);
	tap_ok(memcmp(a, b, 4096) != 0, "the pattern depends on the length");
	memmove(a + 1, a, 4095);
	tap_ok(omx_perf_check(a, 4096, 9, OMX_PERF_PING, &off, &got, &want) == -1 &&
	       off < 8, "data shifted by one byte fails near its start");

	omx_perf_fill(a, 4096, 0, OMX_PERF_PING);
	for (i = 0; i < 4096; i++)
		if (!seen[a[i]]++)
			distinct++;
	tap_ok(distinct > 200, "the pattern is not a constant or a short cycle (%u byte values)",
	       distinct);
	free(a);
	free(b);
}

static void result_is(uint32_t len, double usec, const char *want)
{
	char got[128];

	omx_perf_format_result(got, sizeof(got), len, usec);
	tap_ok(!strcmp(got, want), "'%s' (got '%s')", want, got);
}

int main(void)
{
	test_lengths();
	test_check();
	test_wire();
	test_options();
	test_pattern();
	result_is(0, 7.97, "length 0: 7.970 us 0.00 MB/s 0.00 MiB/s");
	result_is(1024, 10.0, "length 1024: 10.000 us 102.40 MB/s 97.66 MiB/s");
	result_is(4194304, 4194.304, "length 4194304: 4194.304 us 1000.00 MB/s 953.67 MiB/s");
	return tap_done();
}
