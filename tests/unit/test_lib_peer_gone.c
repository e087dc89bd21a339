/* SPDX-License-Identifier: MIT */
/*
 * test_lib_peer_gone.c - a large send whose rendezvous the receiver
 * acknowledged waits for the receiver's NOTIFY, which the wire protocol
 * never times out (openmx-wire.md 6.3).  When that NOTIFY is lost and the
 * receiver then leaves, nothing would ever end the send: a program would
 * hang because its peer left at the wrong moment.  The library probes a
 * peer it waits on and hears nothing from, so such a send ends:
 *
 *   - the receiver's endpoint closed (its program exited): the probe is
 *     refused, the send fails with OMX_REMOTE_ENDPOINT_CLOSED;
 *   - the receiver's host vanished: nobody answers the probe, the send
 *     fails with OMX_REMOTE_ENDPOINT_UNREACHABLE after the request timeout;
 *   - the receiver disconnected the sender (it forgot the message): its
 *     answer to the probe shows it, the send fails with
 *     OMX_REMOTE_ENDPOINT_UNREACHABLE;
 *   - the receiver lives but has not posted its receive yet, for ten
 *     request timeouts: it answers the probes, the send keeps waiting and
 *     completes once the receive is posted.
 *
 * The lossy wire is the fake driver's: the NOTIFY frame is dropped on
 * purpose.  Every wait is bounded (lt_wait: one virtual minute).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"
#include "omx_abi.h"

#define MIB		(1024 * 1024)
#define REQ_TIMEOUT_MS	3000

static omx_endpoint_t a, b;
static omx_endpoint_addr_t a2b, b2a;
static uint8_t *sbuf, *rbuf;

static void setup(uint32_t seed)
{
	lt_init(seed);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	b2a = lt_connect(b, 0, 0, 0);
	omx_set_request_timeout(a, NULL, REQ_TIMEOUT_MS);
	omx_set_request_timeout(b, NULL, REQ_TIMEOUT_MS);
}

static void teardown(void)
{
	unsigned i;

	for (i = lt_neps; i > 0; i--)
		lt_close(lt_eps[i - 1].ep);
	omx_finalize();
}

/* Stop progressing ep (it stays open): it no longer answers anything. */
static void forget(omx_endpoint_t ep)
{
	unsigned i;

	for (i = 0; i < lt_neps; i++) {
		if (lt_eps[i].ep == ep) {
			lt_eps[i] = lt_eps[--lt_neps];
			return;
		}
	}
}

/* Let acks and retransmissions happen for `ms` of virtual time. */
static void run_for(unsigned ms)
{
	unsigned i;

	for (i = 0; i < ms; i++) {
		fake_advance_us(1000);
		lt_progress_all();
	}
}

/*
 * a sends 1 MiB to b; the rendezvous arrives before b's receive and b acks
 * it (as it does during a long pull on a real link); b's receive then
 * pulls the data and completes, but its NOTIFY is lost.
 */
static int large_send_notify_lost(omx_request_t *s, uint32_t seed)
{
	omx_request_t r;
	omx_status_t st;
	int ok;

	lt_fill(sbuf, MIB, seed);
	omx_isend(a, sbuf, MIB, a2b, seed, NULL, s);
	run_for(50);		/* b's liback acks the rendezvous */
	fake_wire_drop_type(OMX_EVT_RECV_NOTIFY, 1);
	omx_irecv(b, rbuf, MIB, seed, ~0ULL, NULL, &r);
	ok = lt_wait(b, &r, &st) && st.code == OMX_SUCCESS &&
	     lt_check(rbuf, MIB, seed) < 0;
	return ok;
}

static void test_receiver_closes(void)
{
	uint64_t lost, t0;
	omx_request_t s;
	omx_status_t st;
	uint32_t result;

	setup(31);
	lost = fake_get_stats()->lost;
	tap_ok(large_send_notify_lost(&s, 1),
	       "receiver closes: b received the 1 MiB message");
	tap_ok(fake_get_stats()->lost == lost + 1,
	       "and its NOTIFY was lost on the wire");
	lt_close(b);
	t0 = fake_now_us();
	result = lt_wait(a, &s, &st);
	printf("# ended %llu ms after the receiver closed\n",
	       (unsigned long long)(fake_now_us() - t0) / 1000);
	tap_ok(result && st.code == OMX_REMOTE_ENDPOINT_CLOSED,
	       "the large send waiting for that NOTIFY ends with "
	       "OMX_REMOTE_ENDPOINT_CLOSED (done %u, %s)", result,
	       result ? omx_strerror(st.code) : "still pending");
	teardown();
}

static void test_receiver_vanishes(void)
{
	omx_request_t s;
	omx_status_t st;
	uint32_t result;
	uint64_t t0;

	setup(32);
	tap_ok(large_send_notify_lost(&s, 2),
	       "receiver vanishes: b received the 1 MiB message");
	fake_endpoint_set_deaf(1, 0, 1);
	forget(b);
	t0 = fake_now_us();
	result = lt_wait(a, &s, &st);
	printf("# ended %llu ms after the receiver vanished\n",
	       (unsigned long long)(fake_now_us() - t0) / 1000);
	tap_ok(result && st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE,
	       "the large send ends with OMX_REMOTE_ENDPOINT_UNREACHABLE "
	       "within the %u ms request timeout (done %u, %s)",
	       REQ_TIMEOUT_MS, result,
	       result ? omx_strerror(st.code) : "still pending");
	lt_close(b);
	teardown();
}

static void test_receiver_never_posts_then_exits(void)
{
	omx_request_t s;
	omx_status_t st;
	uint32_t result;

	setup(33);
	lt_fill(sbuf, MIB, 3);
	omx_isend(a, sbuf, MIB, a2b, 3, NULL, &s);
	run_for(50);		/* the rendezvous arrives unexpected, acked */
	lt_close(b);		/* b's program ends without receiving it */
	result = lt_wait(a, &s, &st);
	tap_ok(result && st.code == OMX_REMOTE_ENDPOINT_CLOSED,
	       "a large send nobody received ends with "
	       "OMX_REMOTE_ENDPOINT_CLOSED when the receiver exits (done %u, %s)",
	       result, result ? omx_strerror(st.code) : "still pending");
	teardown();
}

static void test_receiver_forgets(void)
{
	omx_request_t s;
	omx_status_t st;
	uint32_t result;

	setup(36);
	lt_fill(sbuf, MIB, 6);
	omx_isend(a, sbuf, MIB, a2b, 6, NULL, &s);
	run_for(50);		/* the rendezvous arrives unexpected, acked */
	omx_disconnect(b, b2a);	/* b drops it and forgets a */
	result = lt_wait(a, &s, &st);
	tap_ok(result && st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE,
	       "a large send the receiver forgot (it disconnected us) ends "
	       "with OMX_REMOTE_ENDPOINT_UNREACHABLE (done %u, %s)", result,
	       result ? omx_strerror(st.code) : "still pending");
	teardown();
}

static void test_slow_receiver(void)
{
	uint64_t connects;
	omx_request_t s, r;
	omx_status_t st;
	uint32_t result = 1;

	setup(34);
	lt_fill(sbuf, MIB, 4);
	omx_isend(a, sbuf, MIB, a2b, 4, NULL, &s);
	run_for(50);
	connects = fake_get_stats()->connects;
	/* ten request timeouts; b progresses (the idle hook) but posts nothing */
	omx_wait(a, &s, &st, &result, 10 * REQ_TIMEOUT_MS);
	tap_ok(result == 0,
	       "slow receiver: after 10 request timeouts the large send is "
	       "still waiting (done %u)", result);
	tap_ok(fake_get_stats()->connects > connects,
	       "the sender probed the silent receiver meanwhile (%llu connect "
	       "packets), and the receiver answered",
	       (unsigned long long)(fake_get_stats()->connects - connects));
	omx_irecv(b, rbuf, MIB, 4, ~0ULL, NULL, &r);
	tap_ok(lt_wait(b, &r, &st) && st.code == OMX_SUCCESS &&
	       lt_check(rbuf, MIB, 4) < 0,
	       "the late receive gets the whole message");
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_SUCCESS &&
	       st.xfer_length == MIB, "and the send completes with success");
	teardown();
}

static void test_notify_lost_receiver_alive(void)
{
	omx_request_t s;
	omx_status_t st;

	setup(35);
	tap_ok(large_send_notify_lost(&s, 5),
	       "receiver alive: b received the 1 MiB message");
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_SUCCESS &&
	       st.xfer_length == MIB,
	       "its lost NOTIFY is sent again and the send completes");
	teardown();
}

int main(void)
{
	sbuf = malloc(MIB);
	rbuf = malloc(MIB);
	if (!sbuf || !rbuf)
		return 1;
	test_receiver_closes();
	test_receiver_vanishes();
	test_receiver_never_posts_then_exits();
	test_receiver_forgets();
	test_slow_receiver();
	test_notify_lost_receiver_alive();
	free(sbuf);
	free(rbuf);
	return tap_done();
}
