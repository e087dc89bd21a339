// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_perf_interop.c - our omx_perf against Open-MX 1.5's, played by
 * this test, over the fake driver (real-time mode, two threads).
 *
 * Open-MX 1.5 does not build here, so the test plays its omx_perf the
 * way its tests/omx_perf.c behaves (facts listed at the top of
 * userspace/tools/omx_perf.c): key 0x12345678; the 44-byte parameter
 * message (big-endian words) issent with match info 0x1234567887654321;
 * every receive posted with mask 0 (anything matches); the receiver
 * connects back and issends an empty "ready" with match info 0; then per
 * length and iteration one message each way, the reply empty with -U.
 * Our omx_perf runs unchanged (perf_under_test.c) in a thread, with -w:
 * the fake driver moves frames only while some endpoint sleeps in it, so
 * a side that polls alone (after the other closed) would never hear the
 * answer to its liveness probe.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "open-mx.h"
#include "fake_driver.h"
#include "tap.h"

#define KEY_15		0x12345678u
#define MATCH_15	0x1234567887654321ULL

int omx_perf_main(int argc, char *argv[]);

omx_return_t perf_test_init(void)
{
	return OMX_SUCCESS;
}

omx_return_t perf_test_finalize(void)
{
	return OMX_SUCCESS;
}

/* ------------------------------------------------------------------------
 * Our omx_perf in a thread
 */
struct perf_run {
	pthread_t thread;
	const char *argv[32];
	int rc;
};

static void *perf_thread(void *arg)
{
	struct perf_run *r = arg;
	int argc = 0;

	while (r->argv[argc])
		argc++;
	r->rc = omx_perf_main(argc, (char **)r->argv);
	return NULL;
}

static void perf_start(struct perf_run *r, const char *const *args)
{
	int i = 0;

	r->argv[i++] = "omx_perf";
	while (*args && i < 31)
		r->argv[i++] = *args++;
	r->argv[i] = NULL;
	r->rc = -1;
	if (pthread_create(&r->thread, NULL, perf_thread, r))
		exit(99);
}

/* ------------------------------------------------------------------------
 * Open-MX 1.5's omx_perf, played here
 */
struct plan15 {
	uint32_t iter, warmup, min, max, mult, incr;
	uint8_t align, unidir, sync;
};

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint64_t next15(uint64_t len, const struct plan15 *pl)
{
	if (len)
		return len * pl->mult + pl->incr;
	return pl->incr ? pl->incr : 1;
}

static int wait15(omx_endpoint_t ep, omx_request_t *req, omx_status_t *st)
{
	uint32_t result = 0;

	if (omx_wait(ep, req, st, &result, 30000) != OMX_SUCCESS || !result)
		return -1;
	return st->code == OMX_SUCCESS ? 0 : -1;
}

static int send15(omx_endpoint_t ep, void *buf, uint32_t len,
		  omx_endpoint_addr_t to, uint64_t match, int sync,
		  omx_status_t *st)
{
	omx_request_t req;

	if ((sync ? omx_issend : omx_isend)(ep, buf, len, to, match, NULL,
					    &req) != OMX_SUCCESS)
		return -1;
	return wait15(ep, &req, st);
}

/* A receive of @len bytes with mask 0, as 1.5 posts them all. */
static int recv15(omx_endpoint_t ep, void *buf, uint32_t len,
		  omx_status_t *st)
{
	omx_request_t req;

	if (omx_irecv(ep, buf, len, 0, 0, NULL, &req) != OMX_SUCCESS)
		return -1;
	return wait15(ep, &req, st);
}

struct tally {
	unsigned lengths, bad;	/* lengths run; messages not as expected */
	char why[160];
};

static void bad(struct tally *t, const char *what, uint32_t len,
		const omx_status_t *st)
{
	if (!t->bad++)
		snprintf(t->why, sizeof(t->why),
			 "%s at length %u: %u/%u bytes, match 0x%llx, %s", what,
			 len, st->xfer_length, st->msg_length,
			 (unsigned long long)st->match_info,
			 omx_strerror(st->code));
}

/*
 * 1.5's sender, from endpoint 1 of board 1 to endpoint @index of board 0.
 * Checks every reply (length, match info) and the "ready".
 */
static void sender15(unsigned index, const struct plan15 *pl,
		     struct tally *t)
{
	static uint8_t sbuf[70000], rbuf[70000];
	omx_endpoint_addr_t addr;
	omx_endpoint_t ep;
	omx_status_t st;
	uint8_t param[44];
	uint64_t len;
	uint32_t i, rlen;
	int tries;

	memset(t, 0, sizeof(*t));
	memset(&st, 0, sizeof(st));
	if (omx_open_endpoint(1, 1, KEY_15, NULL, 0, &ep) != OMX_SUCCESS) {
		bad(t, "opening", 0, &st);
		return;
	}
	/* our receiver opens its endpoint when its thread gets there */
	for (tries = 0; tries < 500; tries++) {
		if (omx_connect(ep, fake_board_addr(0), index, KEY_15, 1000,
				&addr) == OMX_SUCCESS)
			break;
		usleep(10000);
	}
	if (tries == 500) {
		bad(t, "connecting", 0, &st);
		goto out;
	}

	memset(param, 0xee, sizeof(param));	/* padding left unset */
	put_be32(param + 0, pl->iter);
	put_be32(param + 4, pl->warmup);
	put_be32(param + 8, pl->min);
	put_be32(param + 12, 0);
	put_be32(param + 16, pl->max);
	put_be32(param + 20, 0);
	put_be32(param + 24, pl->mult);
	put_be32(param + 28, 0);
	put_be32(param + 32, pl->incr);
	put_be32(param + 36, 0);
	param[40] = pl->align;
	param[41] = pl->unidir;
	param[42] = pl->sync;
	if (send15(ep, param, sizeof(param), addr, MATCH_15, 1, &st)) {
		bad(t, "sending the parameters", 0, &st);
		goto out;
	}
	if (recv15(ep, NULL, 0, &st) || st.match_info != 0 ||
	    st.msg_length != 0) {
		bad(t, "the ready message", 0, &st);
		goto out;
	}
	for (len = pl->min; len < pl->max; len = next15(len, pl)) {
		rlen = pl->unidir ? 0 : (uint32_t)len;
		for (i = 0; i < pl->iter + pl->warmup; i++) {
			if (send15(ep, sbuf, (uint32_t)len, addr, MATCH_15,
				   pl->sync, &st)) {
				bad(t, "ping", (uint32_t)len, &st);
				goto out;
			}
			if (recv15(ep, rbuf, rlen, &st) ||
			    st.match_info != MATCH_15 ||
			    st.msg_length != rlen) {
				bad(t, "pong", (uint32_t)len, &st);
				goto out;
			}
		}
		t->lengths++;
	}
out:
	/* 1.5 pauses 100 ms after each length, then leaves */
	usleep(100000);
	omx_close_endpoint(ep);
}

/*
 * 1.5's receiver, on endpoint @index of board 0, already open as @ep.
 * Checks the parameter message against @want (byte for byte) and every
 * ping (length, match info).
 */
static void receiver15(omx_endpoint_t ep, const uint8_t want[44],
		       struct tally *t)
{
	static uint8_t buf[70000];
	omx_endpoint_addr_t addr;
	uint8_t param[44];
	struct plan15 pl;
	omx_status_t st;
	uint64_t nic_id, len;
	uint32_t index, i;

	memset(t, 0, sizeof(*t));
	if (recv15(ep, param, sizeof(param), &st) ||
	    st.match_info != MATCH_15 || st.msg_length != 44) {
		bad(t, "the parameters", 0, &st);
		return;
	}
	if (memcmp(param, want, 43)) {
		snprintf(t->why, sizeof(t->why),
			 "parameter message differs from 1.5's layout");
		t->bad++;
		return;
	}
	pl.iter = get_be32(param);
	pl.warmup = get_be32(param + 4);
	pl.min = get_be32(param + 8);
	pl.max = get_be32(param + 16);
	pl.mult = get_be32(param + 24);
	pl.incr = get_be32(param + 32);
	pl.unidir = param[41];
	pl.sync = param[42];

	omx_decompose_endpoint_addr(st.addr, &nic_id, &index);
	if (omx_connect(ep, nic_id, index, KEY_15, 10000, &addr) !=
	    OMX_SUCCESS) {
		bad(t, "connecting back", 0, &st);
		return;
	}
	if (send15(ep, NULL, 0, addr, 0, 1, &st)) {
		bad(t, "ready", 0, &st);
		return;
	}
	for (len = pl.min; len < pl.max; len = next15(len, &pl)) {
		for (i = 0; i < pl.iter + pl.warmup; i++) {
			if (recv15(ep, buf, (uint32_t)len, &st) ||
			    st.match_info != MATCH_15 ||
			    st.msg_length != len) {
				bad(t, "ping", (uint32_t)len, &st);
				return;
			}
			if (send15(ep, buf, pl.unidir ? 0 : (uint32_t)len,
				   addr, MATCH_15, pl.sync, &st)) {
				bad(t, "pong", (uint32_t)len, &st);
				return;
			}
		}
		t->lengths++;
	}
	/* the last pong is taken before 1.5's receiver closes */
	usleep(200000);
}

/* ------------------------------------------------------------------------
 * The cases
 */
static void sender_15_to_ours(const char *name, const struct plan15 *pl,
			      unsigned expect_lengths)
{
	struct perf_run r;
	struct tally t;

	perf_start(&r, (const char *const[]){ "-b", "0", "-e", "0", "-w", NULL });
	sender15(0, pl, &t);
	pthread_join(r.thread, NULL);
	tap_ok(!t.bad && t.lengths == expect_lengths,
	       "%s: 1.5's sender ran its %u lengths against our receiver%s%s",
	       name, expect_lengths, t.bad ? ": " : "", t.why);
	tap_is(r.rc, 0, "%s: our receiver ends with status 0", name);
}

static void ours_to_receiver_15(const char *name, const char *const *args,
				const uint8_t want[44], unsigned expect_lengths)
{
	struct perf_run r;
	omx_endpoint_t ep;
	struct tally t;

	if (omx_open_endpoint(0, 1, KEY_15, NULL, 0, &ep) != OMX_SUCCESS) {
		printf("Bail out! cannot open 1.5's receiver endpoint\n");
		exit(1);
	}
	perf_start(&r, args);
	receiver15(ep, want, &t);
	pthread_join(r.thread, NULL);
	omx_close_endpoint(ep);
	tap_ok(!t.bad && t.lengths == expect_lengths,
	       "%s: our sender ran %u lengths against 1.5's receiver%s%s", name,
	       expect_lengths, t.bad ? ": " : "", t.why);
	tap_is(r.rc, 0, "%s: our sender ends with status 0", name);
}

/* Ours on both sides, with our -V (verify, goodbye) */
static void ours_to_ours_verify(void)
{
	struct perf_run rx, tx;

	perf_start(&rx, (const char *const[]){ "-w", "-b", "0", "-e", "2",
		NULL });
	usleep(500000);	/* its endpoint open before the sender connects */
	perf_start(&tx, (const char *const[]){ "-w", "-b", "1", "-d",
		"fakehost:0", "-r", "2", "-V", "-E", "70000", "-N", "2", "-W",
		"1", "-P", "0", NULL });
	pthread_join(tx.thread, NULL);
	pthread_join(rx.thread, NULL);
	tap_is(tx.rc, 0, "ours to ours with -V: the sender verified every byte");
	tap_is(rx.rc, 0, "ours to ours with -V: the receiver ends with status 0");
}

/*
 * -s: our receiver serves one sender after another, 1.5's and ours with
 * -V (whose goodbye completes a request of its own); it never ends.
 */
static void slave_serves_many(const struct plan15 *pl, unsigned expect)
{
	static struct perf_run r;	/* its thread outlives this call */
	struct perf_run tx;
	struct tally t;
	int run;

	perf_start(&r, (const char *const[]){ "-w", "-s", "-b", "0", "-e",
		"3", NULL });
	for (run = 1; run <= 2; run++) {
		sender15(3, pl, &t);
		tap_ok(!t.bad && t.lengths == expect,
		       "-s: 1.5's sender #%d served by our slave receiver%s%s",
		       run, t.bad ? ": " : "", t.why);
	}
	for (run = 1; run <= 2; run++) {
		perf_start(&tx, (const char *const[]){ "-w", "-b", "1", "-d",
			"fakehost:0", "-r", "3", "-V", "-E", "300", "-N", "2",
			"-P", "0", NULL });
		pthread_join(tx.thread, NULL);
		tap_is(tx.rc, 0, "-s: our -V sender #%d served by our slave receiver",
		       run);
	}
	sender15(3, pl, &t);
	tap_ok(!t.bad && t.lengths == expect,
	       "-s: then 1.5's sender again%s%s", t.bad ? ": " : "", t.why);
}

/* 1.5's parameter message for iter, warmup, min, max, mult, incr, flags */
static void param15(uint8_t out[44], uint32_t iter, uint32_t warmup,
		    uint32_t min, uint32_t max, uint32_t mult, uint32_t incr,
		    uint8_t align, uint8_t unidir, uint8_t sync)
{
	memset(out, 0, 44);
	put_be32(out, iter);
	put_be32(out + 4, warmup);
	put_be32(out + 8, min);
	put_be32(out + 16, max);
	put_be32(out + 24, mult);
	put_be32(out + 32, incr);
	out[40] = align;
	out[41] = unidir;
	out[42] = sync;
}

int main(void)
{
	struct fake_config cfg = { .nboards = 2, .endpoint_max = 8, .seed = 5 };
	/* 0, 1, 2, 4 ... 65536: tiny, small, medium and large messages */
	struct plan15 pl = { .iter = 3, .warmup = 1, .min = 0, .max = 70000,
			     .mult = 2 };
	uint8_t want[44];

	fake_driver_install(&cfg);
	fake_set_realtime(1);
	omx_set_error_handler(NULL, OMX_ERRORS_RETURN);
	if (omx_init() != OMX_SUCCESS) {
		printf("Bail out! omx_init\n");
		return 1;
	}

	sender_15_to_ours("plain", &pl, 18);
	pl.unidir = 1;
	pl.sync = 1;
	pl.min = 5;
	pl.mult = 3;
	pl.incr = 7;
	/* 5, 22, 73, 226, 685, 2062, 6193, 18586, 55765 */
	sender_15_to_ours("-U -Y -S 5 -M 3 -I 7", &pl, 9);

	param15(want, 3, 1, 0, 70000, 2, 0, 0, 0, 0);
	ours_to_receiver_15("plain", (const char *const[]){ "-w", "-b", "1", "-d",
		"fakehost:0", "-r", "1", "-N", "3", "-W", "1", "-E", "70000",
		"-P", "0", NULL }, want, 18);
	param15(want, 2, 0, 1, 5000, 4, 1, 1, 1, 1);
	/* 1, 5, 21, 85, 341, 1365 */
	ours_to_receiver_15("-a -U -Y -S 1 -M 4 -I 1", (const char *const[]){
		"-w", "-b", "1", "-d", "fakehost:0", "-r", "1", "-N", "2", "-W", "0",
		"-S", "1", "-E", "5000", "-M", "4", "-I", "1", "-a", "-U", "-Y",
		"-P", "0", NULL }, want, 6);
	ours_to_ours_verify();

	pl.unidir = 0;
	pl.sync = 0;
	pl.min = 0;
	pl.max = 300;
	pl.mult = 2;
	pl.incr = 0;
	/* 0, 1, 2 ... 256; the receiver's thread stays in its loop */
	slave_serves_many(&pl, 10);
	return tap_done();
}
