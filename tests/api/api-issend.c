// SPDX-License-Identifier: MIT
/*
 * api-issend - a synchronous send completes only once the receiver has
 * posted the matching receive, whatever its size (0 bytes included).
 *
 * For each case the client posts omx_issend (or omx_issendv) and tells
 * the server; the server checks the message is waiting (omx_iprobe), then
 * sleeps DELAY_MS without calling the library and only then posts its
 * receive.  Meanwhile the client polls omx_test for POLL_MS (< DELAY_MS)
 * and must never see the send complete; afterwards the send completes,
 * no sooner than DELAY_MS after it was posted, with a correct status, and
 * the server checks the bytes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_omx.h"
#include "api_pattern.h"

#define DELAY_MS	1000	/* server: from the client's signal to irecv */
#define POLL_MS		700	/* client: omx_test polling window */
#define POLL_STEP_MS	20
#define CLOCK_SLACK_MS	100	/* two guests' clocks, timer granularity */

struct issend_case {
	uint32_t size;
	bool vector;		/* omx_issendv with two segments */
};

static const struct issend_case cases[] = {
	{ 0, false }, { 1, false }, { 128, false }, { 100000, false },
	{ 100000, true },
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static uint64_t match_of(unsigned i)
{
	return 0x0000810000000000ULL | i;
}

static const char *call_of(unsigned i)
{
	return cases[i].vector ? "issendv" : "issend";
}

static bool client_case(struct omx_pair *p, unsigned i)
{
	const struct issend_case *c = &cases[i];
	uint8_t *buf = api_alloc(c->size);
	struct api_want want = { OMX_SUCCESS, c->size, c->size, match_of(i),
				 buf };
	omx_seg_t segs[2] = { { buf, c->size / 3 },
			      { buf + c->size / 3, c->size - c->size / 3 } };
	uint32_t result = 0;
	omx_request_t req;
	omx_return_t ret;
	omx_status_t st;
	uint64_t t0, elapsed;

	pattern_fill(buf, c->size, pattern_seed(c->size, i, 0));
	t0 = api_now_ms();
	if (c->vector)
		ret = omx_issendv(p->ep, segs, 2, p->peer, match_of(i), buf,
				  &req);
	else
		ret = omx_issend(p->ep, buf, c->size, p->peer, match_of(i), buf,
				 &req);
	if (!api_call(p->who, ret, "%s of %" PRIu32 " B", call_of(i), c->size) ||
	    !omx_pair_signal(p, 10 + i))
		return false;
	while (!result && api_now_ms() - t0 < POLL_MS) {
		api_sleep_ms(POLL_STEP_MS);
		if (!api_call(p->who, omx_test(p->ep, &req, &st, &result),
			      "omx_test"))
			return false;
	}
	tap_ok(!result, p->who,
	       "%s of %" PRIu32 " B: omx_test stays 0 while the receiver has not "
	       "posted (%u ms)", call_of(i), c->size, POLL_MS);
	if (!result && !api_wait(p->who, p->ep, &req, &st,
				 p->role->opts->timeout_ms, "synchronous send"))
		return false;
	elapsed = api_now_ms() - t0;
	tap_ok(elapsed + CLOCK_SLACK_MS >= DELAY_MS, p->who,
	       "%s of %" PRIu32 " B completes only after the receive is posted "
	       "(%" PRIu64 " ms, receiver posts after %u ms)", call_of(i),
	       c->size, elapsed, DELAY_MS);
	api_check_status(&st, &want, p->who, "%s of %" PRIu32 " B: send status",
			 call_of(i), c->size);
	free(buf);
	return true;
}

static bool server_case(struct omx_pair *p, unsigned i)
{
	const struct issend_case *c = &cases[i];
	uint8_t *buf = api_alloc(c->size);
	struct api_want want = { OMX_SUCCESS, c->size, c->size, match_of(i),
				 buf };
	uint32_t result = 0;
	omx_request_t req;
	omx_status_t st;

	if (!omx_pair_await(p, 10 + i))
		return false;
	/* The signal was sent after the issend: its rendezvous is queued. */
	api_call(p->who, omx_iprobe(p->ep, match_of(i), API_MATCH_EXACT, &st,
				    &result), "iprobe");
	tap_ok(result == 1 && st.msg_length == c->size, p->who,
	       "%s of %" PRIu32 " B is waiting as an unexpected message",
	       call_of(i), c->size);
	api_sleep_ms(DELAY_MS);
	if (!api_call(p->who, omx_irecv(p->ep, buf, c->size, match_of(i),
					API_MATCH_EXACT, buf, &req), "irecv") ||
	    !api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		      "receive of a synchronous send"))
		return false;
	api_check_status(&st, &want, p->who, "%s of %" PRIu32 " B: receive status",
			 call_of(i), c->size);
	pattern_check(buf, c->size, pattern_seed(c->size, i, 0), p->who,
		      "%s of %" PRIu32 " B: data", call_of(i), c->size);
	free(buf);
	return true;
}

static void server(const struct api_role *role)
{
	struct omx_pair p;
	unsigned i;

	if (!omx_pair_setup(role, &p))
		return;
	for (i = 0; i < N_CASES; i++)
		if (!server_case(&p, i)) {
			omx_pair_close(&p);
			return;
		}
	omx_pair_finish(&p);
}

static void client(const struct api_role *role)
{
	struct omx_pair p;
	unsigned i;

	if (!omx_pair_setup(role, &p))
		return;
	for (i = 0; i < N_CASES; i++)
		if (!client_case(&p, i)) {
			omx_pair_close(&p);
			return;
		}
	omx_pair_finish(&p);
}

static const struct api_program program = {
	.name = "api-issend",
	.summary =
		"Checks that omx_issend/omx_issendv of 0, 1, 128 and 100000 bytes\n"
		"complete only after the receiver posts its receive (about 1 s\n"
		"later), with the data intact.",
	.init = omx_api_init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
