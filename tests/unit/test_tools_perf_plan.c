// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_perf_plan.c - omx_perf's message lengths, its parameter
 * message, its verification pattern and its result line.
 */
#include <stdlib.h>
#include <string.h>

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
	tap_is(n, 24, "default: 0, then 1, 2, 4 ... 4 MiB: 24 lengths");
	for (i = 1; i < n; i++)
		if (v[i] != 1u << (i - 1))
			powers = 0;
	tap_ok(v[0] == 0 && powers && v[n - 1] == 4194304,
	       "default lengths are 0 and the powers of 2 up to 4194304");

	plan.start = 3;
	plan.mult = 10;
	plan.end = 5000;
	n = lengths(&plan, v, 64);
	tap_ok(n == 4 && v[0] == 3 && v[1] == 30 && v[2] == 300 && v[3] == 3000,
	       "-s 3 -M 10 -E 5000: 3 30 300 3000");

	plan.start = 7;
	plan.end = 7;
	tap_is(lengths(&plan, v, 64), 1, "start == end: one length");

	plan.start = 1u << 24;
	plan.end = 1u << 24;
	plan.mult = 0xffffffffu;
	tap_ok(!omx_perf_next_length(&plan, plan.start, &v[0]),
	       "16 MiB times a huge multiplier stops instead of wrapping");
}

static void test_check(void)
{
	struct omx_perf_plan plan;

	omx_perf_plan_default(&plan);
	plan.end = 16u << 20;
	tap_ok(omx_perf_plan_check(&plan) == NULL, "16 MiB is allowed");
	plan.end = (16u << 20) + 1;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "16 MiB + 1 is not");

	omx_perf_plan_default(&plan);
	plan.start = 100;
	plan.end = 99;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "start beyond end is refused");
	omx_perf_plan_default(&plan);
	plan.mult = 1;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "multiplier 1 (endless run) is refused");
	omx_perf_plan_default(&plan);
	plan.iter = 0;
	tap_ok(omx_perf_plan_check(&plan) != NULL, "zero iterations are refused");
	omx_perf_plan_default(&plan);
	plan.warmup = 0;
	tap_ok(omx_perf_plan_check(&plan) == NULL, "zero warmup is fine");
}

static void test_wire(void)
{
	struct omx_perf_plan plan, back;
	uint8_t msg[OMX_PERF_PLAN_WIRE_LEN];

	plan.start = 0x00010203;
	plan.end = 0x00f00000;
	plan.mult = 3;
	plan.iter = 77;
	plan.warmup = 5;
	plan.flags = OMX_PERF_SYNC | OMX_PERF_VERIFY;
	omx_perf_plan_encode(&plan, msg);
	tap_ok(msg[0] == 'P' && msg[1] == 'X' && msg[2] == 'M' && msg[3] == 'O' &&
	       msg[8] == 0x03 && msg[9] == 0x02 && msg[10] == 0x01 &&
	       msg[11] == 0x00,
	       "fields are little-endian whatever the host");
	tap_ok(omx_perf_plan_decode(msg, sizeof(msg), &back) == NULL &&
	       !memcmp(&plan, &back, sizeof(plan)), "decode gives the plan back");

	tap_ok(omx_perf_plan_decode(msg, sizeof(msg) - 1, &back) != NULL,
	       "a shorter message is refused");
	msg[4] = 2;
	tap_ok(omx_perf_plan_decode(msg, sizeof(msg), &back) != NULL,
	       "another version is refused");
	plan.mult = 1;
	omx_perf_plan_encode(&plan, msg);
	tap_ok(omx_perf_plan_decode(msg, sizeof(msg), &back) != NULL,
	       "an invalid plan from the sender is refused");
	memset(msg, 0, sizeof(msg));
	tap_ok(omx_perf_plan_decode(msg, sizeof(msg), &back) != NULL,
	       "a message without the magic is refused");
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
	test_pattern();
	result_is(0, 7.97, "length 0: 7.970 us 0.00 MB/s 0.00 MiB/s");
	result_is(1024, 10.0, "length 1024: 10.000 us 102.40 MB/s 97.66 MiB/s");
	result_is(4194304, 4194.304, "length 4194304: 4194.304 us 1000.00 MB/s 953.67 MiB/s");
	return tap_done();
}
