/* SPDX-License-Identifier: MIT */
/*
 * test_lib_threads.c - the library under threads (mx-api.md 7.12): two
 * endpoints, each used at once by a sending thread and a receiving
 * thread, plus a thread that keeps calling omx_wakeup() and omx_progress()
 * on one of them.  The fake driver runs in real time (blocking calls
 * really sleep), with 1% of the frames lost and the resend period cut to
 * 20 ms so that retransmissions happen within the test's few seconds.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib_test_util.h"
#include "omx_lib.h"
#include "tap.h"

#define NMSG 200

static const uint32_t sizes[] = { 0, 20, 100, 3000, 20000, 70000 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

struct side {
	omx_endpoint_t ep;
	omx_endpoint_addr_t peer;	/* set before the sender starts */
	uint32_t base;			/* match_info of what this side sends */
	uint32_t peer_base;
	unsigned received_ok;
	unsigned sent_ok;
	unsigned woken;			/* waits ended by omx_wakeup */
};

static struct side sa, sb;
static int stop_noise;	/* atomic */

static uint32_t len_of(unsigned k)
{
	return sizes[k % NSIZES];
}

static void *receiver(void *arg)
{
	struct side *s = arg;
	uint8_t *buf = malloc(70000);
	unsigned k;

	for (k = 0; k < NMSG; k++) {
		omx_request_t r;
		omx_status_t st;
		uint32_t result = 0;

		memset(buf, 0, len_of(k));
		omx_irecv(s->ep, buf, len_of(k), s->peer_base + k, ~0ULL, NULL, &r);
		while (!result) {
			omx_wait(s->ep, &r, &st, &result, 10000);
			if (!result)
				s->woken++;
		}
		if (st.code == OMX_SUCCESS && st.xfer_length == len_of(k) &&
		    lt_check(buf, len_of(k), s->peer_base + k) < 0)
			s->received_ok++;
	}
	free(buf);
	return NULL;
}

static void *sender(void *arg)
{
	struct side *s = arg;
	uint8_t *buf = malloc(70000);
	unsigned k;

	for (k = 0; k < NMSG; k++) {
		omx_request_t r;
		omx_status_t st;
		uint32_t result = 0;

		lt_fill(buf, len_of(k), s->base + k);
		omx_isend(s->ep, buf, len_of(k), s->peer, s->base + k, NULL, &r);
		while (!result)
			omx_wait(s->ep, &r, &st, &result, 10000);
		if (st.code == OMX_SUCCESS)
			s->sent_ok++;
	}
	free(buf);
	return NULL;
}

/* Contention on the lock and spurious wakeups for the waiting threads. */
static void *noise(void *arg)
{
	struct side *s = arg;

	while (!__atomic_load_n(&stop_noise, __ATOMIC_RELAXED)) {
		omx_wakeup(s->ep);
		omx_progress(s->ep);
		usleep(3000);
	}
	return NULL;
}

int main(void)
{
	pthread_t ra, rb, ta, tb, na;

	lt_init(21);
	fake_set_idle_hook(NULL, NULL);
	fake_set_realtime(1);
	fake_wire_set(1, 0, 5);
	omx__globals.resend_delay_us = 20000;

	sa.ep = lt_open(0, 0, 0);
	sb.ep = lt_open(1, 0, 0);
	sa.base = sb.peer_base = 0x100000;
	sb.base = sa.peer_base = 0x200000;

	/* receivers first: their blocking waits answer the connects */
	pthread_create(&ra, NULL, receiver, &sa);
	pthread_create(&rb, NULL, receiver, &sb);
	tap_is(omx_connect(sa.ep, fake_board_addr(1), 0, 0, 10000, &sa.peer),
	       OMX_SUCCESS, "A connects to B while B's receiving thread waits");
	tap_is(omx_connect(sb.ep, fake_board_addr(0), 0, 0, 10000, &sb.peer),
	       OMX_SUCCESS, "B connects to A while A's receiving thread waits");

	pthread_create(&na, NULL, noise, &sa);
	pthread_create(&ta, NULL, sender, &sa);
	pthread_create(&tb, NULL, sender, &sb);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	pthread_join(ra, NULL);
	pthread_join(rb, NULL);
	__atomic_store_n(&stop_noise, 1, __ATOMIC_RELAXED);
	pthread_join(na, NULL);

	tap_is(sa.sent_ok, NMSG, "A's sending thread: all %u sends succeeded", NMSG);
	tap_is(sb.received_ok, NMSG, "B's receiving thread got them all intact");
	tap_is(sb.sent_ok, NMSG, "B's sending thread: all %u sends succeeded", NMSG);
	tap_is(sa.received_ok, NMSG,
	       "A's receiving thread got them all intact (its waits were woken %u times)",
	       sa.woken);
	tap_ok(fake_get_stats()->lost > 0, "frames were lost (%llu) and resent",
	       (unsigned long long)fake_get_stats()->lost);

	lt_close(sa.ep);
	lt_close(sb.ep);
	omx_finalize();
	return tap_done();
}
