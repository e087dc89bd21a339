/* SPDX-License-Identifier: MIT */
/*
 * test_lib_failure.c - what an application sees when things go wrong
 * (mx-api.md 7.8, 7.9, 7.11): a peer that stops answering, request and
 * connect timeouts, closed and reopened endpoints, disconnect, and errors
 * going through the error handler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

static omx_endpoint_t a, b;
static omx_endpoint_addr_t a2b, b2a;
static uint8_t buf[200000];	/* send from the start, receive at +100000 */

static unsigned handler_calls;
static omx_return_t handler_last;

static omx_return_t counting_handler(char *str, omx_return_t ret)
{
	(void)str;
	handler_calls++;
	handler_last = ret;
	return ret;
}

static void connect_both(void)
{
	a2b = lt_connect(a, 1, 0, 0);
	b2a = lt_connect(b, 0, 0, 0);
}

/* A message a -> b gets through (and b's receive sees it). */
static int works(omx_endpoint_t from, omx_endpoint_addr_t dest,
		 omx_endpoint_t to, uint32_t len)
{
	omx_request_t s, r;
	omx_status_t sst, rst;
	int ok;

	lt_fill(buf, len, len);
	omx_irecv(to, buf + 100000, len, 0xabc, ~0ULL, NULL, &r);
	omx_isend(from, buf, len, dest, 0xabc, NULL, &s);
	ok = lt_wait(to, &r, &rst) && rst.code == OMX_SUCCESS &&
	     lt_check(buf + 100000, len, len) < 0;
	ok = lt_wait(from, &s, &sst) && sst.code == OMX_SUCCESS && ok;
	return ok;
}

static void test_dead_peer(void)
{
	static const uint32_t lens[] = { 10, 20000, 40000 };
	omx_request_t s;
	omx_status_t st;
	uint64_t t0;
	unsigned i;

	omx_set_request_timeout(a, NULL, 3000);
	fake_endpoint_set_deaf(1, 0, 1);
	for (i = 0; i < 3; i++) {
		unsigned calls = handler_calls;
		uint32_t result;
		int ok;

		t0 = fake_now_us();
		omx_isend(a, buf, lens[i], a2b, 1, NULL, &s);
		/* eager sends complete at once; their late failure goes to the handler */
		if (lens[i] <= 32768) {
			ok = lt_wait(a, &s, &st) && st.code == OMX_SUCCESS;
			tap_ok(ok, "%u bytes to a dead peer: completed early", lens[i]);
			/* 10 s of progression: a probe for a message nobody sends */
			omx_probe(a, 0xdead, ~0ULL, &st, &result, 10000);
			tap_ok(handler_calls == calls + 1 &&
			       handler_last == OMX_REMOTE_ENDPOINT_UNREACHABLE,
			       "then its failure reaches the error handler");
		} else {
			ok = lt_wait(a, &s, &st) &&
			     st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE &&
			     st.xfer_length == 0;
			tap_ok(ok, "%u bytes to a dead peer: OMX_REMOTE_ENDPOINT_UNREACHABLE",
			       lens[i]);
			tap_ok(fake_now_us() - t0 >= 3000000 &&
			       fake_now_us() - t0 <= 4500000,
			       "after the 3 s request timeout (took %llu ms)",
			       (unsigned long long)(fake_now_us() - t0) / 1000);
		}
		/* the peer must be connected again */
		omx_isend(a, buf, 10, a2b, 1, NULL, &s);
		tap_ok(lt_wait(a, &s, &st) &&
		       st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE,
		       "sending again without reconnecting fails at once");
		fake_endpoint_set_deaf(1, 0, 0);
		connect_both();
		tap_ok(works(a, a2b, b, 100) && works(b, b2a, a, 100),
		       "after reconnecting, both directions work again");
		fake_endpoint_set_deaf(1, 0, 1);
	}

	/* a single request's own timeout */
	omx_set_request_timeout(a, NULL, OMX_TIMEOUT_INFINITE);
	omx_issend(a, buf, 10, a2b, 1, NULL, &s);
	omx_set_request_timeout(a, s, 1000);
	t0 = fake_now_us();
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE &&
	       fake_now_us() - t0 <= 2000000,
	       "a per-request timeout of 1 s overrides the endpoint's");

	/* OMX_TIMEOUT_INFINITE never gives up (Open-MX 1.5 wrapped it to 0.5 s) */
	fake_endpoint_set_deaf(1, 0, 0);
	connect_both();
	fake_endpoint_set_deaf(1, 0, 1);
	omx_issend(a, buf, 10, a2b, 1, NULL, &s);
	{
		uint32_t result = 1;

		omx_wait(a, &s, &st, &result, 600000);
		tap_is(result, 0, "with OMX_TIMEOUT_INFINITE, still trying after 600 s");
		fake_endpoint_set_deaf(1, 0, 0);
		result = 1;
		omx_wait(a, &s, &st, &result, 10000);
		tap_is(result, 0, "the peer is back: the issend waits for its receive");
	}
	omx_disconnect(a, a2b);
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE,
	       "omx_disconnect fails the pending issend");
	connect_both();
	tap_ok(works(a, a2b, b, 100) && works(b, b2a, a, 20000),
	       "reconnected after the disconnect");
	omx_set_request_timeout(a, NULL, 3000);
}

static void test_connect_failures(void)
{
	omx_endpoint_addr_t addr;
	omx_request_t r;
	omx_status_t st;
	uint64_t t0;

	fake_endpoint_set_deaf(1, 0, 1);
	t0 = fake_now_us();
	tap_is(omx_connect(a, fake_board_addr(1), 0, 0, 2000, &addr), OMX_TIMEOUT,
	       "connect to a silent endpoint times out");
	tap_ok(fake_now_us() - t0 >= 2000000 && fake_now_us() - t0 < 2100000,
	       "after its 2 s timeout");
	omx_iconnect(a, fake_board_addr(1), 0, 0, 0x5, (void *)3, &r);
	omx_set_request_timeout(a, r, 1500);
	tap_ok(lt_wait(a, &r, &st) && st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE &&
	       st.match_info == 0x5 && st.context == (void *)3,
	       "iconnect to it completes with OMX_REMOTE_ENDPOINT_UNREACHABLE");
	fake_endpoint_set_deaf(1, 0, 0);
	omx_iconnect(a, fake_board_addr(1), 0, 0, 0x6, NULL, &r);
	tap_ok(lt_wait(a, &r, &st) && st.code == OMX_SUCCESS && st.match_info == 0x6,
	       "iconnect completes with the new address");
	a2b = st.addr;
	tap_ok(works(a, a2b, b, 10), "and the address works");
}

static void test_closed_and_reopened(void)
{
	omx_request_t s;
	omx_status_t st;

	lt_close(b);
	omx_isend(a, buf, 10, a2b, 1, NULL, &s);
	lt_wait(a, &s, &st);	/* completed early */
	omx_isend(a, buf, 50000, a2b, 1, NULL, &s);
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_REMOTE_ENDPOINT_CLOSED,
	       "a large send to a closed endpoint: OMX_REMOTE_ENDPOINT_CLOSED");

	b = lt_open(1, 0, 0);
	omx_isend(a, buf, 50000, a2b, 1, NULL, &s);
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_REMOTE_ENDPOINT_BAD_SESSION,
	       "to its new incarnation with the old address: OMX_REMOTE_ENDPOINT_BAD_SESSION");

	/* the new incarnation connects: the old state is dropped on both sides */
	connect_both();
	tap_ok(works(a, a2b, b, 100) && works(b, b2a, a, 100) &&
	       works(a, a2b, b, 60000) && works(b, b2a, a, 60000),
	       "after connecting both ways, the reopened endpoint talks");
}

static void test_one_way_connection(void)
{
	omx_endpoint_t c = lt_open(0, 2, 0);
	omx_endpoint_addr_t c2b = lt_connect(c, 1, 0, 0);
	omx_request_t s, r;
	omx_status_t st;
	char m[8];

	/* only c connected to b: b replies to the source address */
	omx_irecv(b, m, 8, 0, 0, NULL, &r);
	omx_isend(c, "hi", 3, c2b, 1, NULL, NULL);
	lt_wait(b, &r, &st);
	omx_irecv(c, m, 8, 0, 0, NULL, &r);
	omx_isend(b, "yo", 3, st.addr, 1, NULL, &s);
	tap_ok(lt_wait(c, &r, &st) && !strcmp(m, "yo"),
	       "one-way connection: eager reply to the sender's address works");
	lt_wait(b, &s, &st);
	omx_irecv(c, buf + 100000, 50000, 0, 0, NULL, &r);
	omx_isend(b, buf, 50000, st.addr, 1, NULL, &s);
	tap_ok(lt_wait(c, &r, &st) && st.code == OMX_REMOTE_ENDPOINT_BAD_SESSION,
	       "but a large reply fails with BAD_SESSION at the receiver (7.8)");
	omx_forget(b, &s);
	lt_close(c);
}

/*
 * A NACK_LIB names the sequence number of the packet it refuses, 0 for a
 * connect (openmx-wire.md 4.10).  One whose number matches nothing sent
 * (a stale nack, or one forged on the wire) must not fail a pending
 * connect to that endpoint; one with 0 does.
 */
static void test_stray_nack(void)
{
	omx_request_t r;
	omx_status_t st;
	uint32_t done = 1;

	fake_endpoint_set_deaf(1, 0, 1);
	omx_iconnect(a, fake_board_addr(1), 0, 0, 0x7, NULL, &r);
	fake_inject_nack_lib(0, 0, 1, 0, 0x1234, 2 /* ENDPT_CLOSED */);
	fake_advance_us(1000);
	tap_ok(omx_test(a, &r, &st, &done) == OMX_SUCCESS && !done,
	       "a NACK_LIB naming a sequence number nothing uses leaves a pending connect alone");
	if (done) {
		tap_ok(0, "one naming 0 fails it (the connect had already ended: %d)", st.code);
	} else {
		fake_inject_nack_lib(0, 0, 1, 0, 0, 2 /* ENDPT_CLOSED */);
		tap_ok(lt_wait(a, &r, &st) && st.code == OMX_REMOTE_ENDPOINT_CLOSED &&
		       st.match_info == 0x7,
		       "one naming 0 fails it: OMX_REMOTE_ENDPOINT_CLOSED");
	}
	fake_endpoint_set_deaf(1, 0, 0);
}

int main(void)
{
	setenv("OMX_SHARED_RNDV_THRESHOLD", "32768", 1);
	lt_init(7);
	omx_set_error_handler(NULL, counting_handler);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	connect_both();

	test_dead_peer();
	test_connect_failures();
	test_closed_and_reopened();
	test_one_way_connection();
	test_stray_nack();

	lt_close(a);
	lt_close(b);
	omx_finalize();
	return tap_done();
}
