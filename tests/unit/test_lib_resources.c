/* SPDX-License-Identifier: MIT */
/*
 * test_lib_resources.c - what happens when the library runs short of
 * driver resources, and the less common receive paths: send-queue slots
 * and region ids exhausted (sends wait, in order), more pulls than the
 * driver runs at once, a medium message matched while partly received,
 * the unexpected handler on medium messages, and pulls that fail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

static omx_endpoint_t a, b;
static omx_endpoint_addr_t a2b, b2a;

/* n messages of len bytes a -> b, all sent before any receive is posted. */
static void burst(unsigned n, uint32_t len, uint32_t tiny_after,
		  const char *what)
{
	uint8_t **sbuf = calloc(n + 1, sizeof(*sbuf));
	uint8_t **rbuf = calloc(n + 1, sizeof(*rbuf));
	omx_request_t *s = calloc(n + 1, sizeof(*s));
	omx_request_t *r = calloc(n + 1, sizeof(*r));
	unsigned k, good = 0, sent = 0, waiting = 0, total = n + !!tiny_after;

	for (k = 0; k < total; k++) {
		uint32_t l = k < n ? len : tiny_after;
		uint32_t buffered = 1;

		sbuf[k] = malloc(l);
		rbuf[k] = malloc(l);
		lt_fill(sbuf[k], l, k);
		omx_isend(a, sbuf[k], l, a2b, k, NULL, &s[k]);
		if (k < n && len <= 32768) {
			omx_ibuffered(a, &s[k], &buffered);
			waiting += !buffered;
		}
	}
	if (len <= 32768)
		tap_ok(waiting > 0, "%s: %u of %u sends wait for send-queue slots",
		       what, waiting, n);
	/* wildcard receives: send order must survive the waiting */
	for (k = 0; k < total; k++)
		omx_irecv(b, rbuf[k], k < n ? len : tiny_after, 0, 0, NULL, &r[k]);
	for (k = 0; k < total; k++) {
		uint32_t l = k < n ? len : tiny_after;
		omx_status_t st;

		if (lt_wait(b, &r[k], &st) && st.code == OMX_SUCCESS &&
		    st.match_info == k && st.xfer_length == l &&
		    lt_check(rbuf[k], l, k) < 0)
			good++;
	}
	for (k = 0; k < total; k++) {
		omx_status_t st;

		if (lt_wait(a, &s[k], &st) && st.code == OMX_SUCCESS)
			sent++;
		free(sbuf[k]);
		free(rbuf[k]);
	}
	tap_is(good, total, "%s: all %u messages received intact, in send order",
	       what, total);
	tap_is(sent, total, "%s: all sends succeeded", what);
	free(sbuf);
	free(rbuf);
	free(s);
	free(r);
}

/* A medium whose first fragment arrived alone, matched before the rest. */
static void test_partial_medium_matched(void)
{
	static uint8_t sbuf[32768], rbuf[32768];
	omx_request_t s, r;
	omx_status_t st;
	uint32_t result = 0;

	lt_fill(sbuf, sizeof(sbuf), 77);
	fake_wire_script(1, 3);		/* fragment 0 passes, 1..3 are lost */
	omx_isend(a, sbuf, sizeof(sbuf), a2b, 0x77, NULL, &s);
	fake_advance_us(1000);
	omx_iprobe(b, 0x77, ~0ULL, &st, &result);
	tap_ok(result == 1 && st.msg_length == sizeof(sbuf),
	       "a medium with only its first fragment is already unexpected");
	omx_irecv(b, rbuf, sizeof(rbuf), 0x77, ~0ULL, NULL, &r);
	omx_test(b, &r, &st, &result);
	tap_is(result, 0, "the receive that matches it waits for the rest");
	tap_ok(lt_wait(b, &r, &st) && st.xfer_length == sizeof(rbuf) &&
	       lt_check(rbuf, sizeof(rbuf), 77) < 0,
	       "and completes intact once the fragments are resent");
	lt_wait(a, &s, &st);

	/* the same with the receive posted first */
	memset(rbuf, 0, sizeof(rbuf));
	omx_irecv(b, rbuf, sizeof(rbuf), 0x78, ~0ULL, NULL, &r);
	fake_wire_script(2, 1);
	omx_isend(a, sbuf, sizeof(sbuf), a2b, 0x78, NULL, &s);
	tap_ok(lt_wait(b, &r, &st) && lt_check(rbuf, sizeof(rbuf), 77) < 0,
	       "a posted receive gets a medium whose fragment 2 was lost, intact");
	lt_wait(a, &s, &st);
}

struct medium_log {
	unsigned calls;
	int had_data;
	uint8_t first;
};

static omx_unexp_handler_action_t medium_handler(void *context,
						 omx_endpoint_addr_t source,
						 uint64_t match_info,
						 uint32_t msg_length, void *data)
{
	struct medium_log *log = context;

	(void)source;
	(void)msg_length;
	log->calls++;
	log->had_data = data != NULL;
	if (data)
		log->first = *(uint8_t *)data;
	return match_info == 0xf0 ? OMX_UNEXP_HANDLER_RECV_FINISHED :
				    OMX_UNEXP_HANDLER_RECV_CONTINUE;
}

static void test_handler_on_mediums(void)
{
	static uint8_t sbuf[20000], rbuf[20000];
	struct medium_log log = { 0, 0, 0 };
	omx_request_t r;
	omx_status_t st;
	uint32_t result = 1;

	lt_fill(sbuf, sizeof(sbuf), 5);
	omx_register_unexp_handler(b, medium_handler, &log);
	omx_isend(a, sbuf, 5000, a2b, 0xf1, NULL, NULL);
	fake_advance_us(1000);
	omx_progress(b);
	tap_ok(log.calls == 1 && log.had_data && log.first == sbuf[0],
	       "a one-fragment medium reaches the handler with its data");
	omx_isend(a, sbuf, 20000, a2b, 0xf0, NULL, NULL);
	fake_advance_us(1000);
	omx_progress(b);
	tap_ok(log.calls == 2 && !log.had_data,
	       "a three-fragment medium reaches it without data");
	omx_iprobe(b, 0xf0, ~0ULL, &st, &result);
	tap_is(result, 0, "consumed by the handler: its other fragments are swallowed");
	omx_register_unexp_handler(b, NULL, NULL);
	omx_irecv(b, rbuf, 5000, 0xf1, ~0ULL, NULL, &r);
	tap_ok(lt_wait(b, &r, &st) && lt_check(rbuf, 5000, 5) < 0,
	       "the message the handler let through is received afterwards");
	omx_isend(a, sbuf, 20000, a2b, 0xf2, NULL, NULL);
	omx_irecv(b, rbuf, sizeof(rbuf), 0xf2, ~0ULL, NULL, &r);
	tap_ok(lt_wait(b, &r, &st) && lt_check(rbuf, 20000, 5) < 0,
	       "and the next medium arrives normally");
}

static void test_pull_failures(void)
{
	static uint8_t sbuf[40000], rbuf[40000];
	omx_request_t s, r;
	omx_status_t st;
	uint64_t t0;

	/* the sender stops answering once its RNDV arrived: the pull times out */
	omx_set_request_timeout(b, NULL, 2000);
	omx_isend(a, sbuf, sizeof(sbuf), a2b, 0x91, NULL, &s);
	fake_advance_us(1000);
	omx_progress(b);
	fake_endpoint_set_deaf(0, 0, 1);
	t0 = fake_now_us();
	omx_irecv(b, rbuf, sizeof(rbuf), 0x91, ~0ULL, NULL, &r);
	tap_ok(lt_wait(b, &r, &st) && st.code == OMX_REMOTE_ENDPOINT_UNREACHABLE &&
	       st.xfer_length == 0 && fake_now_us() - t0 >= 2000000,
	       "a pull from a silent sender ends after the 2 s request timeout");
	fake_endpoint_set_deaf(0, 0, 0);
	omx_forget(a, &s);

	/* the sender closes before the pull */
	omx_isend(a, sbuf, sizeof(sbuf), a2b, 0x92, NULL, NULL);
	fake_advance_us(1000);
	omx_progress(b);
	lt_close(a);
	omx_irecv(b, rbuf, sizeof(rbuf), 0x92, ~0ULL, NULL, &r);
	tap_ok(lt_wait(b, &r, &st) && st.code == OMX_REMOTE_ENDPOINT_CLOSED,
	       "a pull from a closed endpoint: OMX_REMOTE_ENDPOINT_CLOSED");
}

int main(void)
{
	setenv("OMX_SHARED_RNDV_THRESHOLD", "32768", 1);
	lt_init(31);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	b2a = lt_connect(b, 0, 0, 0);
	(void)b2a;

	burst(60, 32768, 10, "60 mediums of 32 KiB (240 slots of 128), then a tiny");
	burst(200, 40000, 10, "200 rendezvous (more than 128 sends hold regions, 64 pulls run)");
	test_partial_medium_matched();
	test_handler_on_mediums();
	test_pull_failures();

	lt_close(b);
	omx_finalize();
	return tap_done();
}
