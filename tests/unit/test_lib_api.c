/* SPDX-License-Identifier: MIT */
/*
 * test_lib_api.c - the semantics of mx-api.md sections 4 and 7 over the
 * fake driver: matching with masks and context ids, ordering, truncation,
 * cancel, issend, test_any/wait_any, peek, probe, forget, the unexpected
 * handler, sends to self, wakeup, progression control, address contexts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

static omx_endpoint_t a, b;
static omx_endpoint_addr_t a2b, b2a;
static uint8_t sbuf[200000], rbuf[200000];

/* Let messages reach b and be processed, without waiting on anything. */
static void settle(void)
{
	fake_advance_us(2000);
	lt_progress_all();
	fake_advance_us(2000);
	lt_progress_all();
}

static void test_masks_and_order(void)
{
	omx_request_t r1, r2, r3, s;
	omx_status_t st;
	char m1[8] = "", m2[8] = "", m3[8] = "";

	omx_irecv(b, m1, 8, 0x100, 0xf00, NULL, &r1);
	omx_irecv(b, m2, 8, 0x200, 0xf00, NULL, &r2);
	omx_isend(a, "to-two", 7, a2b, 0x2ab, NULL, NULL);
	tap_ok(lt_wait(b, &r2, &st) && !strcmp(m2, "to-two") &&
	       st.match_info == 0x2ab,
	       "0x2ab goes to the receive (0x200, 0xf00), status has the message's match");
	omx_isend(a, "to-one", 7, a2b, 0x1cd, NULL, NULL);
	tap_ok(lt_wait(b, &r1, &st) && !strcmp(m1, "to-one"),
	       "0x1cd goes to the receive (0x100, 0xf00)");

	/* posting order: two receives that both match */
	omx_irecv(b, m1, 8, 0, 0, NULL, &r1);
	omx_irecv(b, m2, 8, 0, 0, NULL, &r2);
	omx_isend(a, "first", 6, a2b, 1, NULL, NULL);
	omx_isend(a, "second", 7, a2b, 2, NULL, NULL);
	lt_wait(b, &r1, &st);
	lt_wait(b, &r2, &st);
	tap_ok(!strcmp(m1, "first") && !strcmp(m2, "second"),
	       "two wildcard receives take messages in posting order");

	/* arrival order of unexpected messages, across sizes */
	omx_isend(a, "one", 4, a2b, 7, NULL, NULL);
	lt_fill(sbuf, 50000, 3);
	omx_isend(a, sbuf, 50000, a2b, 7, NULL, &s);	/* rendezvous */
	omx_isend(a, "three", 6, a2b, 7, NULL, NULL);
	settle();
	omx_irecv(b, m1, 8, 7, ~0ULL, NULL, &r1);
	omx_irecv(b, rbuf, sizeof(rbuf), 7, ~0ULL, NULL, &r2);
	omx_irecv(b, m3, 8, 7, ~0ULL, NULL, &r3);
	lt_wait(b, &r1, &st);
	lt_wait(b, &r2, &st);
	tap_ok(st.msg_length == 50000 && lt_check(rbuf, 50000, 3) < 0,
	       "the large message is matched second");
	lt_wait(b, &r3, &st);
	tap_ok(!strcmp(m1, "one") && !strcmp(m3, "three"),
	       "unexpected messages are matched in arrival order, whatever their size");
	lt_wait(a, &s, &st);

	tap_is(omx_irecv(b, m1, 8, 0x11, 0x10, NULL, &r1), OMX_BAD_MATCH_MASK,
	       "a pattern bit outside the mask is refused");
}

static void test_truncation(void)
{
	static const uint32_t lens[] = { 100, 20000, 100000 };
	unsigned i;

	for (i = 0; i < 3; i++) {
		omx_request_t s, r;
		omx_status_t sst, rst;
		int ok;

		lt_fill(sbuf, lens[i], 40 + i);
		memset(rbuf, 0, 64);
		omx_irecv(b, rbuf, 10, 0, 0, NULL, &r);
		omx_isend(a, sbuf, lens[i], a2b, 3, NULL, &s);
		lt_wait(b, &r, &rst);
		lt_wait(a, &s, &sst);
		ok = rst.code == OMX_MESSAGE_TRUNCATED && rst.msg_length == lens[i] &&
		     rst.xfer_length == 10 && lt_check(rbuf, 10, 40 + i) < 0 &&
		     rbuf[10] == 0;
		tap_ok(ok, "%u bytes into 10: receive truncated, 10 bytes stored",
		       lens[i]);
		if (lens[i] > 32768)
			tap_ok(sst.code == OMX_MESSAGE_TRUNCATED &&
			       sst.xfer_length == 10,
			       "large send reports the receiver's 10 bytes");
		else
			tap_ok(sst.code == OMX_SUCCESS && sst.xfer_length == lens[i],
			       "eager send of %u reports success", lens[i]);
	}
}

static void test_cancel(void)
{
	omx_request_t r, s, keep;
	omx_status_t st;
	uint32_t result = 7;
	char m[8];

	omx_irecv(b, m, 8, 0x55, ~0ULL, NULL, &r);
	tap_is(omx_cancel(b, &r, &result), OMX_SUCCESS, "cancel a posted receive");
	tap_ok(result == 1 && r == NULL, "it is removed and the handle consumed");
	omx_isend(a, "late", 5, a2b, 0x55, NULL, &s);
	settle();
	result = 0;
	omx_iprobe(b, 0x55, ~0ULL, &st, &result);
	tap_is(result, 1, "the message then arrives unexpected");
	omx_irecv(b, m, 8, 0x55, ~0ULL, NULL, &r);
	tap_ok(lt_wait(b, &r, &st) && !strcmp(m, "late"), "and is received later");

	tap_is(omx_cancel(a, &s, &result), OMX_BAD_REQUEST,
	       "a send cannot be cancelled");
	lt_wait(a, &s, &st);

	omx_irecv(b, m, 8, 0x56, ~0ULL, (void *)0x99, &r);
	keep = r;
	omx_cancel_notest(b, &r, &result);
	tap_ok(result == 1 && r == keep, "cancel_notest keeps the handle");
	tap_ok(lt_wait(b, &r, &st) && st.code == OMX_CANCELLED &&
	       st.context == (void *)0x99,
	       "and the receive completes with OMX_CANCELLED");

	omx_irecv(b, m, 8, 0x57, ~0ULL, NULL, &r);
	omx_isend(a, sbuf, 60000, a2b, 0x57, NULL, &s);
	settle();
	omx_cancel(b, &r, &result);
	tap_ok(result == 0 && r != NULL,
	       "a receive that already matched is not cancelled");
	lt_wait(b, &r, &st);
	lt_wait(a, &s, &st);
}

static void test_issend(void)
{
	static const uint32_t lens[] = { 0, 100 };
	unsigned i;

	for (i = 0; i < 2; i++) {
		omx_request_t s, r;
		omx_status_t st;
		uint32_t result = 1, buffered = 1;
		char m[128];

		lt_fill(sbuf, lens[i], i);
		omx_issend(a, sbuf, lens[i], a2b, 0x77, NULL, &s);
		omx_ibuffered(a, &s, &buffered);
		tap_is(buffered, 0, "issend of %u bytes is not buffered", lens[i]);
		settle();
		omx_test(a, &s, &st, &result);
		tap_is(result, 0, "issend of %u bytes waits for a receive", lens[i]);
		omx_irecv(b, m, sizeof(m), 0x77, ~0ULL, NULL, &r);
		tap_ok(lt_wait(a, &s, &st) && st.code == OMX_SUCCESS &&
		       st.xfer_length == lens[i],
		       "and completes once the receiver took it");
		tap_ok(lt_wait(b, &r, &st) && st.xfer_length == lens[i] &&
		       lt_check(m, lens[i], i) < 0, "the data arrived");
	}
}

static void test_any_peek_probe_forget(void)
{
	omx_request_t r1, r2, peeked = NULL;
	omx_status_t st;
	uint32_t result = 0;
	void *ctx = NULL;
	char m1[8], m2[8];

	omx_irecv(b, m1, 8, 0x1000, ~0ULL, (void *)1, &r1);
	omx_irecv(b, m2, 8, 0x2000, ~0ULL, (void *)2, &r2);
	omx_context(&r2, &ctx);
	tap_ok(ctx == (void *)2, "omx_context returns the posted context");
	omx_isend(a, "x", 2, a2b, 0x1000, NULL, NULL);
	omx_isend(a, "y", 2, a2b, 0x2000, NULL, NULL);
	omx_peek(b, &peeked, &result, 60000);
	tap_ok(result == 1 && peeked == r1, "peek returns the oldest done request");
	settle();
	result = 0;
	omx_test_any(b, 0x2000, 0xf000, &st, &result);
	tap_ok(result == 1 && st.context == (void *)2,
	       "test_any picks the done request matching its pattern");
	result = 0;
	omx_wait_any(b, 0, 0, &st, &result, 1000);
	tap_ok(result == 1 && st.context == (void *)1, "wait_any takes the other");
	result = 1;
	omx_test_any(b, 0, 0, &st, &result);
	tap_is(result, 0, "nothing left to test");
	tap_is(omx_test_any(b, 1, 0, &st, &result), OMX_BAD_MATCH_MASK,
	       "test_any checks its pattern");

	result = 1;
	omx_iprobe(b, 0x3000, ~0ULL, &st, &result);
	tap_is(result, 0, "iprobe finds nothing yet");
	omx_isend(a, "probe", 6, a2b, 0x3000, NULL, NULL);
	omx_probe(b, 0x3000, ~0ULL, &st, &result, 60000);
	tap_ok(result == 1 && st.msg_length == 6 && st.match_info == 0x3000,
	       "probe waits for the unexpected message and describes it");
	omx_iprobe(b, 0x3000, ~0ULL, &st, &result);
	tap_is(result, 1, "probing leaves it queued");
	omx_irecv(b, m1, 8, 0x3000, ~0ULL, NULL, &r1);
	lt_wait(b, &r1, &st);

	/* forgotten requests free themselves and never show up as done */
	omx_irecv(b, m1, 8, 0x4000, ~0ULL, NULL, &r1);
	omx_forget(b, &r1);
	tap_ok(r1 == NULL, "forget consumes the handle");
	omx_isend(a, "gone", 5, a2b, 0x4000, NULL, NULL);
	settle();
	tap_ok(!strcmp(m1, "gone"), "a forgotten receive still receives");
	result = 1;
	omx_test_any(b, 0, 0, &st, &result);
	tap_is(result, 0, "but is never reported");
}

struct handler_log {
	unsigned calls;
	uint64_t match;
	uint32_t len;
	int had_data;
	char data[8];
	omx_request_t posted;
	char buf[8];
};

static omx_unexp_handler_action_t handler(void *context,
					  omx_endpoint_addr_t source,
					  uint64_t match_info,
					  uint32_t msg_length, void *data)
{
	struct handler_log *log = context;

	(void)source;
	log->calls++;
	log->match = match_info;
	log->len = msg_length;
	log->had_data = data != NULL;
	if (data && msg_length <= sizeof(log->data))
		memcpy(log->data, data, msg_length);
	if (match_info == 0xc0)	/* post the receive from inside the handler */
		omx_irecv(b, log->buf, sizeof(log->buf), 0xc0, ~0ULL, NULL,
			  &log->posted);
	if (match_info == 0xf1)
		return OMX_UNEXP_HANDLER_RECV_FINISHED;
	return OMX_UNEXP_HANDLER_RECV_CONTINUE;
}

static void test_unexp_handler(void)
{
	struct handler_log log;
	omx_request_t s;
	omx_status_t st;
	uint32_t result = 0;

	memset(&log, 0, sizeof(log));
	omx_register_unexp_handler(b, handler, &log);
	omx_isend(a, "hand", 5, a2b, 0xc0, NULL, NULL);
	settle();
	tap_ok(log.calls == 1 && log.match == 0xc0 && log.len == 5 &&
	       log.had_data && !strcmp(log.data, "hand"),
	       "the handler sees source, match, length and the tiny payload");
	tap_ok(log.posted && lt_wait(b, &log.posted, &st) &&
	       !strcmp(log.buf, "hand"),
	       "CONTINUE re-matches: the receive posted in the handler gets it");

	omx_isend(a, sbuf, 70000, a2b, 0xf1, NULL, &s);
	settle();
	tap_ok(log.calls == 2 && log.len == 70000 && !log.had_data,
	       "a large message reaches the handler without data");
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_MESSAGE_TRUNCATED &&
	       st.xfer_length == 0,
	       "FINISHED on a large message: the sender learns 0 bytes were taken");
	omx_iprobe(b, 0xf1, ~0ULL, &st, &result);
	tap_is(result, 0, "and nothing is queued");
	omx_register_unexp_handler(b, NULL, NULL);
}

static void test_self(void)
{
	omx_endpoint_addr_t me;
	omx_request_t s, r;
	omx_status_t st;
	uint32_t result = 1, buffered = 0;
	char m[16];

	omx_get_endpoint_addr(a, &me);
	omx_irecv(a, m, sizeof(m), 9, ~0ULL, NULL, &r);
	omx_isend(a, "self", 5, me, 9, NULL, &s);
	tap_ok(lt_wait(a, &r, &st) && !strcmp(m, "self"),
	       "send to self, receive posted first");
	lt_wait(a, &s, &st);

	lt_fill(sbuf, 100000, 5);
	omx_isend(a, sbuf, 100000, me, 10, NULL, &s);
	omx_ibuffered(a, &s, &buffered);
	tap_is(buffered, 1, "a self send is buffered");
	omx_test(a, &s, &st, &result);
	tap_is(result, 0, "and waits for its receive");
	omx_irecv(a, rbuf, 1000, 10, ~0ULL, NULL, &r);
	tap_ok(lt_wait(a, &r, &st) && st.code == OMX_MESSAGE_TRUNCATED &&
	       st.xfer_length == 1000 && lt_check(rbuf, 1000, 5) < 0,
	       "the receive gets the first 1000 bytes (truncated)");
	tap_ok(lt_wait(a, &s, &st) && st.code == OMX_MESSAGE_TRUNCATED &&
	       st.xfer_length == 1000, "the send reports the receiver's length");
}

static void test_context_ids(void)
{
	omx_endpoint_param_t param;
	omx_endpoint_t c;
	omx_request_t r;

	param.key = OMX_ENDPOINT_PARAM_CONTEXT_ID;
	param.val.context_id.bits = 4;
	param.val.context_id.shift = 60;
	tap_is(omx_open_endpoint(0, 5, 0, &param, 1, &c), OMX_SUCCESS,
	       "open with 4 context-id bits at shift 60");
	tap_is(omx_irecv(c, rbuf, 1, 0, 0x0fffffffffffffffULL, NULL, &r),
	       OMX_BAD_MATCHING_FOR_CONTEXT_ID_MASK,
	       "a receive wildcarding the context id is refused");
	tap_is(omx_irecv(c, rbuf, 1, 0x3000000000000000ULL,
			 0xf000000000000000ULL, NULL, &r), OMX_SUCCESS,
	       "a receive naming its context id is accepted");
	omx_close_endpoint(c);
}

static omx_endpoint_t wake_target;

static void waking_hook(void *arg, unsigned board, unsigned index)
{
	(void)arg;
	(void)board;
	(void)index;
	omx_wakeup(wake_target);
}

static void test_wakeup_and_progression(void)
{
	omx_request_t r;
	omx_status_t st;
	uint32_t result = 1;
	uint64_t t0;
	char m[8];

	omx_irecv(b, m, 8, 0x88, ~0ULL, NULL, &r);
	wake_target = b;
	fake_set_idle_hook(waking_hook, NULL);
	t0 = fake_now_us();
	omx_wait(b, &r, &st, &result, OMX_TIMEOUT_INFINITE);
	tap_ok(result == 0 && r != NULL && fake_now_us() - t0 < 10000,
	       "omx_wakeup ends a blocked omx_wait with result 0");
	lt_init_hook();

	omx_disable_progression(b);
	omx_isend(a, "held", 5, a2b, 0x88, NULL, NULL);
	settle();
	omx_test(b, &r, &st, &result);
	tap_is(result, 0, "nothing is received while progression is disabled");
	omx_reenable_progression(b);
	tap_ok(lt_wait(b, &r, &st) && !strcmp(m, "held"),
	       "re-enabling progression delivers it");

	t0 = fake_now_us();
	omx_irecv(b, m, 8, 0x89, ~0ULL, NULL, &r);
	omx_wait(b, &r, &st, &result, 300);
	tap_ok(result == 0 && fake_now_us() - t0 >= 300000 &&
	       fake_now_us() - t0 < 320000,
	       "omx_wait times out after 300 ms with result 0");
	omx_cancel(b, &r, &result);
}

static void test_addr_context(void)
{
	omx_endpoint_addr_t again;
	void *ctx = NULL;

	omx_set_endpoint_addr_context(a2b, (void *)0x1234);
	again = lt_connect(a, 1, 0, 0);
	omx_get_endpoint_addr_context(again, &ctx);
	tap_ok(ctx == (void *)0x1234,
	       "the address context is shared by every address of the endpoint");
}

/* OMX_DISABLE_SELF=1: sends to oneself go through the driver like any other. */
static void test_disable_self(void)
{
	static const uint32_t lens[] = { 20, 9000, 100000 };
	omx_endpoint_addr_t me;
	omx_endpoint_t c;
	unsigned i;

	setenv("OMX_DISABLE_SELF", "1", 1);
	lt_init(6);
	c = lt_open(0, 4, 0);
	omx_get_endpoint_addr(c, &me);
	for (i = 0; i < 3; i++) {
		omx_request_t s, r;
		omx_status_t st;
		uint32_t buffered = 2;
		int ok;

		lt_fill(sbuf, lens[i], 70 + i);
		omx_isend(c, sbuf, lens[i], me, 0x5e1f, NULL, &s);
		omx_ibuffered(c, &s, &buffered);
		omx_irecv(c, rbuf, lens[i], 0x5e1f, ~0ULL, NULL, &r);
		ok = lt_wait(c, &r, &st) && st.xfer_length == lens[i] &&
		     lt_check(rbuf, lens[i], 70 + i) < 0;
		ok = lt_wait(c, &s, &st) && st.code == OMX_SUCCESS && ok;
		tap_ok(ok && buffered == (lens[i] <= 32768),
		       "%u bytes to self through the driver (buffered %u)",
		       lens[i], buffered);
	}
	lt_close(c);
	omx_finalize();
	unsetenv("OMX_DISABLE_SELF");
}

int main(void)
{
	setenv("OMX_SHARED_RNDV_THRESHOLD", "32768", 1);
	lt_init(5);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	b2a = lt_connect(b, 0, 0, 0);
	(void)b2a;

	test_masks_and_order();
	test_truncation();
	test_cancel();
	test_issend();
	test_any_peek_probe_forget();
	test_unexp_handler();
	test_self();
	test_context_ids();
	test_wakeup_and_progression();
	test_addr_context();

	lt_close(a);
	lt_close(b);
	omx_finalize();

	test_disable_self();
	return tap_done();
}
