/* SPDX-License-Identifier: MIT */
/*
 * test_lib_lossy.c - the protocol over a bad wire: 5% of the frames lost,
 * 2% duplicated, 10% delayed out of order.  Two endpoints exchange
 * messages of every size class in both directions at once, with receives
 * posted before and after the messages arrive.  Every message must be
 * delivered exactly once, intact, and in send order (each receive is a
 * wildcard, so the k-th receive posted must get the k-th message sent).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

#define NMSG 150

static const uint32_t sizes[] = {
	0, 1, 32, 33, 128, 129, 8192, 32768, 32769, 200000, 5000, 17,
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

struct flow {
	omx_endpoint_t from, to;
	omx_endpoint_addr_t dest;
	uint32_t base;			/* match_info and pattern seed base */
	uint8_t *sbuf[NMSG], *rbuf[NMSG];
	omx_request_t sreq[NMSG], rreq[NMSG];
};

static uint32_t msg_len(unsigned k)
{
	return k % 50 == 49 ? 1024 * 1024 : sizes[k % NSIZES];
}

static void flow_init(struct flow *f, omx_endpoint_t from,
		      omx_endpoint_addr_t dest, omx_endpoint_t to,
		      uint32_t base)
{
	unsigned k;

	f->from = from;
	f->to = to;
	f->dest = dest;
	f->base = base;
	for (k = 0; k < NMSG; k++) {
		uint32_t len = msg_len(k);

		f->sbuf[k] = malloc(len + 1);
		f->rbuf[k] = malloc(len + 1);
		lt_fill(f->sbuf[k], len, base + k);
		memset(f->rbuf[k], 0, len + 1);
	}
}

static void flow_free(struct flow *f)
{
	unsigned k;

	for (k = 0; k < NMSG; k++) {
		free(f->sbuf[k]);
		free(f->rbuf[k]);
	}
}

static void post_recvs(struct flow *f)
{
	unsigned k;

	/* wildcards: only the order of arrival decides which one gets what */
	for (k = 0; k < NMSG; k++)
		omx_irecv(f->to, f->rbuf[k], msg_len(k), 0, 0, NULL, &f->rreq[k]);
}

static void post_sends(struct flow *f)
{
	unsigned k;

	for (k = 0; k < NMSG; k++)
		omx_isend(f->from, f->sbuf[k], msg_len(k), f->dest, f->base + k,
			  NULL, &f->sreq[k]);
}

/* Count the receives that got exactly the k-th message, and the sends done. */
static void flow_check(struct flow *f, unsigned *good_recv,
		       unsigned *good_send)
{
	unsigned k;

	*good_recv = *good_send = 0;
	for (k = 0; k < NMSG; k++) {
		uint32_t len = msg_len(k);
		omx_status_t st;

		if (lt_wait(f->to, &f->rreq[k], &st) && st.code == OMX_SUCCESS &&
		    st.match_info == f->base + k && st.msg_length == len &&
		    st.xfer_length == len &&
		    lt_check(f->rbuf[k], len, f->base + k) < 0)
			(*good_recv)++;
		else
			printf("# message %u (%u bytes): code %d match %llx len %u\n",
			       k, len, (int)st.code,
			       (unsigned long long)st.match_info, st.xfer_length);
	}
	for (k = 0; k < NMSG; k++) {
		omx_status_t st;

		if (lt_wait(f->from, &f->sreq[k], &st) && st.code == OMX_SUCCESS)
			(*good_send)++;
	}
}

/* Nothing else arrives: no duplicate was delivered as a new message. */
static int nothing_left(omx_endpoint_t ep)
{
	omx_status_t st;
	uint32_t result = 1;

	omx_probe(ep, 0, 0, &st, &result, 5000);
	return result == 0;
}

static void run(uint32_t seed, int recv_first)
{
	omx_endpoint_t a, b;
	omx_endpoint_addr_t a2b, b2a;
	struct flow ab, ba;
	unsigned gr, gs;
	const struct fake_stats *stats;

	lt_init(seed);
	fake_wire_set(5, 2, 10);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	b2a = lt_connect(b, 0, 0, 0);
	flow_init(&ab, a, a2b, b, 0x10000);
	flow_init(&ba, b, b2a, a, 0x20000);

	if (recv_first) {
		post_recvs(&ab);
		post_recvs(&ba);
		post_sends(&ab);
		post_sends(&ba);
	} else {
		unsigned i;

		post_sends(&ab);
		post_sends(&ba);
		/* 5 virtual seconds of progress before anyone posts a receive */
		for (i = 0; i < 500; i++) {
			fake_advance_us(10000);
			lt_progress_all();
		}
		post_recvs(&ab);
		post_recvs(&ba);
	}

	flow_check(&ab, &gr, &gs);
	tap_is(gr, NMSG, "seed %u, receives %s: all %u A -> B messages intact, "
	       "in order", seed, recv_first ? "first" : "last", NMSG);
	tap_is(gs, NMSG, "seed %u: all A -> B sends succeeded", seed);
	flow_check(&ba, &gr, &gs);
	tap_is(gr, NMSG, "seed %u, receives %s: all %u B -> A messages intact, "
	       "in order", seed, recv_first ? "first" : "last", NMSG);
	tap_is(gs, NMSG, "seed %u: all B -> A sends succeeded", seed);
	tap_ok(nothing_left(a) && nothing_left(b),
	       "seed %u: no message delivered twice", seed);
	stats = fake_get_stats();
	tap_ok(stats->lost > 0 && stats->duplicated > 0 && stats->reordered > 0,
	       "seed %u: the wire lost %llu, duplicated %llu, reordered %llu of %llu frames",
	       seed, (unsigned long long)stats->lost,
	       (unsigned long long)stats->duplicated,
	       (unsigned long long)stats->reordered,
	       (unsigned long long)stats->frames);

	flow_free(&ab);
	flow_free(&ba);
	lt_close(a);
	lt_close(b);
	omx_finalize();
}

/* 40000 messages: the 14-bit sequence numbers wrap twice, under loss. */
static void run_wrap(uint32_t seed)
{
	omx_endpoint_t a, b;
	omx_endpoint_addr_t a2b;
	unsigned k, good = 0;

	lt_init(seed);
	fake_wire_set(2, 1, 5);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	lt_connect(b, 0, 0, 0);
	for (k = 0; k < 40000; k++) {
		omx_request_t s, r;
		omx_status_t st;
		uint32_t v = k, got = ~0U;

		omx_irecv(b, &got, sizeof(got), 0, 0, NULL, &r);
		omx_isend(a, &v, sizeof(v), a2b, k, NULL, &s);
		omx_forget(a, &s);
		if (lt_wait(b, &r, &st) && got == k && st.match_info == k)
			good++;
	}
	tap_is(good, 40000, "seed %u: 40000 messages across two sequence wraps", seed);
	lt_close(a);
	lt_close(b);
	omx_finalize();
}

int main(void)
{
	setenv("OMX_SHARED_RNDV_THRESHOLD", "32768", 1);
	omx_set_error_handler(NULL, OMX_ERRORS_RETURN);
	run(11, 1);
	run(12, 0);
	run(13, 1);
	run_wrap(14);
	return tap_done();
}
