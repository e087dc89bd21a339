// SPDX-License-Identifier: MIT
/*
 * api-truncation-cancel - receive buffers that are too short, and the
 * calls that take a request back: cancel, cancel_notest, forget,
 * ibuffered.
 *
 *  1. Tiny, small, medium and large messages into shorter receive buffers,
 *     once with the receives posted first and once with the messages
 *     already unexpected: the receive completes with OMX_MESSAGE_TRUNCATED,
 *     xfer_length is the buffer length, the prefix is right and the bytes
 *     after the buffer are untouched.  The sender of the large message
 *     learns the truncation (status and xfer_length); eager senders do not.
 *  2. omx_cancel of a receive nothing matched: result 1, handle NULL.
 *     omx_cancel_notest: result 1, then the request completes with
 *     OMX_CANCELLED and its context.  omx_cancel of a receive that already
 *     matched: result 0, and the receive still completes with its data.
 *  3. omx_cancel of a send is refused with OMX_BAD_REQUEST and the send
 *     still completes.
 *  4. omx_forget of a send and of a pending receive: handles NULL, the
 *     message still moves, and test_any never reports the forgotten one.
 *  5. omx_ibuffered: 1 for a tiny send, 0 for a large send that is not
 *     received yet, OMX_BAD_REQUEST for a receive.
 *
 * "Large" is 300000 bytes: above the largest rendezvous threshold Open-MX
 * accepts (262144 with MTU 9000), so it is large for any configuration.
 * "Medium" is 3000: above small (128), below the 4096 threshold used
 * between endpoints of one host, so it stays medium in --self runs too.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_omx.h"
#include "api_pattern.h"

#define GUARD 64	/* poisoned bytes after every short receive buffer */

struct trunc_case {
	const char *class;
	uint32_t msg_len, buf_len;
	bool large;	/* rendezvous: the sender learns the receiver's length */
};

static const struct trunc_case trunc_cases[] = {
	{ "tiny",	20,	10,	false },
	{ "small",	100,	50,	false },
	{ "medium",	3000,	1000,	false },
	{ "large",	300000, 40000,	true },
};
#define N_TRUNC (sizeof(trunc_cases) / sizeof(trunc_cases[0]))

static uint64_t trunc_match(bool posted_first, unsigned i)
{
	return 0x0000710000000000ULL | ((uint64_t)posted_first << 8) | i;
}

static const char *trunc_mode(bool posted_first)
{
	return posted_first ? "posted first" : "unexpected";
}

static bool server_truncation(struct omx_pair *p, bool posted_first,
			      uint32_t tag)
{
	omx_request_t req[N_TRUNC];
	uint8_t *buf[N_TRUNC];
	omx_status_t st;
	unsigned i;

	for (i = 0; i < N_TRUNC; i++)
		buf[i] = api_alloc(trunc_cases[i].buf_len + GUARD);
	if (!posted_first && !omx_pair_await(p, tag))
		return false;
	for (i = 0; i < N_TRUNC; i++)
		if (!api_call(p->who, omx_irecv(p->ep, buf[i],
						trunc_cases[i].buf_len,
						trunc_match(posted_first, i),
						API_MATCH_EXACT, buf[i], &req[i]),
			      "irecv %s", trunc_cases[i].class))
			return false;
	if (posted_first && !omx_pair_signal(p, tag))
		return false;
	for (i = 0; i < N_TRUNC; i++) {
		const struct trunc_case *c = &trunc_cases[i];
		struct api_want want = { OMX_MESSAGE_TRUNCATED, c->msg_len,
					 c->buf_len,
					 trunc_match(posted_first, i), buf[i] };

		if (!api_wait(p->who, p->ep, &req[i], &st,
			      p->role->opts->timeout_ms, "truncated receive"))
			return false;
		api_check_status(&st, &want, p->who,
				 "%s %" PRIu32 " B into %" PRIu32 " B (%s): "
				 "receive status", c->class, c->msg_len,
				 c->buf_len, trunc_mode(posted_first));
		pattern_check(buf[i], c->buf_len, pattern_seed(1, i, 0), p->who,
			      "%s (%s): the first %" PRIu32 " bytes", c->class,
			      trunc_mode(posted_first), c->buf_len);
		poison_check(buf[i] + c->buf_len, GUARD, p->who,
			     "%s (%s): nothing written past the buffer",
			     c->class, trunc_mode(posted_first));
	}
	for (i = 0; i < N_TRUNC; i++)
		free(buf[i]);
	return true;
}

static bool client_truncation(struct omx_pair *p, bool posted_first,
			      uint32_t tag)
{
	omx_request_t req[N_TRUNC];
	uint8_t *buf[N_TRUNC];
	omx_status_t st;
	unsigned i;

	if (posted_first && !omx_pair_await(p, tag))
		return false;
	for (i = 0; i < N_TRUNC; i++) {
		buf[i] = api_alloc(trunc_cases[i].msg_len);
		pattern_fill(buf[i], trunc_cases[i].msg_len,
			     pattern_seed(1, i, 0));
		if (!api_call(p->who, omx_isend(p->ep, buf[i],
						trunc_cases[i].msg_len, p->peer,
						trunc_match(posted_first, i),
						buf[i], &req[i]),
			      "isend %s", trunc_cases[i].class))
			return false;
	}
	if (!posted_first && !omx_pair_signal(p, tag))
		return false;
	for (i = 0; i < N_TRUNC; i++) {
		const struct trunc_case *c = &trunc_cases[i];
		struct api_want want = {
			c->large ? OMX_MESSAGE_TRUNCATED : OMX_SUCCESS,
			c->msg_len, c->large ? c->buf_len : c->msg_len,
			trunc_match(posted_first, i), buf[i]
		};

		if (!api_wait(p->who, p->ep, &req[i], &st,
			      p->role->opts->timeout_ms, "truncated send"))
			return false;
		api_check_status(&st, &want, p->who,
				 "%s send truncated by the receiver (%s): %s",
				 c->class, trunc_mode(posted_first),
				 c->large ? "sender sees the truncation" :
				 "eager sender sees success");
	}
	for (i = 0; i < N_TRUNC; i++)
		free(buf[i]);
	return true;
}

/* ---- receive cancellation (server only, plus one message) ------------- */

#define M_NOBODY	0x0000720000000001ULL
#define M_MATCHED	0x0000720000000002ULL
#define MATCHED_LEN	24

static void server_cancel_unmatched(struct omx_pair *p)
{
	static int ctx;
	omx_request_t req;
	uint32_t result = 7;
	omx_status_t st;

	if (!api_call(p->who, omx_irecv(p->ep, p->scratch, sizeof(p->scratch),
					M_NOBODY, API_MATCH_EXACT, &ctx, &req),
		      "irecv to cancel"))
		return;
	api_check_ret(omx_cancel(p->ep, &req, &result), OMX_SUCCESS, p->who,
		      "omx_cancel of an unmatched receive succeeds");
	tap_ok(result == 1 && req == NULL, p->who,
	       "... with result 1 and the handle set to NULL (result %" PRIu32
	       ", handle %s)", result, req ? "set" : "NULL");

	if (!api_call(p->who, omx_irecv(p->ep, p->scratch, sizeof(p->scratch),
					M_NOBODY, API_MATCH_EXACT, &ctx, &req),
		      "irecv to cancel_notest"))
		return;
	result = 7;
	api_check_ret(omx_cancel_notest(p->ep, &req, &result), OMX_SUCCESS,
		      p->who, "omx_cancel_notest of an unmatched receive succeeds");
	if (!tap_ok(result == 1 && req != NULL, p->who,
		    "... with result 1, handle kept for the completion "
		    "(result %" PRIu32 ")", result))
		return;
	if (api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		     "completion of the cancel_notest receive")) {
		api_check_ret(st.code, OMX_CANCELLED, p->who,
			      "it completes with status OMX_CANCELLED");
		tap_ok(st.context == &ctx, p->who,
		       "... and the receive's context");
	}
}

static bool server_cancel_matched(struct omx_pair *p)
{
	uint8_t buf[MATCHED_LEN];
	omx_request_t req;
	uint32_t result = 7;
	omx_status_t st;

	if (!api_call(p->who, omx_irecv(p->ep, buf, sizeof(buf), M_MATCHED,
					API_MATCH_EXACT, NULL, &req),
		      "irecv to be matched") ||
	    !omx_pair_signal(p, 3) || !omx_pair_await(p, 4))
		return false;
	/* The message came before signal 4: the receive has matched. */
	api_check_ret(omx_cancel(p->ep, &req, &result), OMX_SUCCESS, p->who,
		      "omx_cancel of a matched receive returns success");
	if (!tap_ok(result == 0 && req != NULL, p->who,
		    "... with result 0 and the handle kept (result %" PRIu32 ")",
		    result))
		return true;
	if (!api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		      "matched receive after a refused cancel"))
		return false;
	api_check_ret(st.code, OMX_SUCCESS, p->who,
		      "the receive then completes successfully");
	pattern_check(buf, MATCHED_LEN, pattern_seed(2, 0, 0), p->who,
		      "... with its data");
	return true;
}

static bool client_cancel_matched(struct omx_pair *p)
{
	uint8_t buf[MATCHED_LEN];
	omx_request_t req;
	omx_status_t st;

	pattern_fill(buf, sizeof(buf), pattern_seed(2, 0, 0));
	return omx_pair_await(p, 3) &&
	       api_call(p->who, omx_isend(p->ep, buf, sizeof(buf), p->peer,
					  M_MATCHED, NULL, &req), "isend") &&
	       api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
			"send to the receive that gets cancelled") &&
	       omx_pair_signal(p, 4);
}

/* ---- send cancellation ------------------------------------------------ */

#define M_SEND_CANCEL	0x0000730000000001ULL
#define SEND_CANCEL_LEN	300000

static bool client_cancel_send(struct omx_pair *p)
{
	uint8_t *buf = api_alloc(SEND_CANCEL_LEN);
	omx_request_t req, before;
	uint32_t result = 7;
	omx_status_t st;

	pattern_fill(buf, SEND_CANCEL_LEN, pattern_seed(3, 0, 0));
	if (!api_call(p->who, omx_isend(p->ep, buf, SEND_CANCEL_LEN, p->peer,
					M_SEND_CANCEL, NULL, &req), "isend"))
		return false;
	before = req;
	api_check_ret(omx_cancel(p->ep, &req, &result), OMX_BAD_REQUEST, p->who,
		      "omx_cancel of a pending large send: OMX_BAD_REQUEST");
	if (!tap_ok(req == before, p->who, "... and the handle is left alone"))
		return false;
	if (!omx_pair_signal(p, 5) ||
	    !api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		      "send after a refused cancel"))
		return false;
	api_check_ret(st.code, OMX_SUCCESS, p->who,
		      "the send still completes successfully");
	free(buf);
	return true;
}

static bool server_cancel_send(struct omx_pair *p)
{
	uint8_t *buf = api_alloc(SEND_CANCEL_LEN);
	omx_request_t req;
	omx_status_t st;

	if (!omx_pair_await(p, 5) ||
	    !api_call(p->who, omx_irecv(p->ep, buf, SEND_CANCEL_LEN,
					M_SEND_CANCEL, API_MATCH_EXACT, NULL,
					&req), "irecv") ||
	    !api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		      "receive of the send the client tried to cancel"))
		return false;
	pattern_check(buf, SEND_CANCEL_LEN, pattern_seed(3, 0, 0), p->who,
		      "the send the client failed to cancel arrives intact");
	free(buf);
	return true;
}

/* ---- forget ----------------------------------------------------------- */

#define M_FORGET_RECV	0x0000740000000001ULL
#define M_FORGET_SEND	0x0000740000000002ULL
#define FORGET_LEN	20

static bool server_forget(struct omx_pair *p)
{
	uint8_t forgotten[FORGET_LEN], buf[FORGET_LEN];
	omx_request_t req;
	uint32_t result = 7;
	omx_status_t st;

	memset(forgotten, API_POISON, sizeof(forgotten));
	if (!api_call(p->who, omx_irecv(p->ep, forgotten, FORGET_LEN,
					M_FORGET_RECV, API_MATCH_EXACT, NULL,
					&req), "irecv to forget"))
		return false;
	api_check_ret(omx_forget(p->ep, &req), OMX_SUCCESS, p->who,
		      "omx_forget of a pending receive succeeds");
	tap_ok(req == NULL, p->who, "... and sets the handle to NULL");
	if (!omx_pair_signal(p, 6) || !omx_pair_await(p, 7))
		return false;
	/* Both messages came before signal 7. */
	pattern_check(forgotten, FORGET_LEN, pattern_seed(4, 1, 0), p->who,
		      "the forgotten receive still took its message");
	result = 7;
	api_call(p->who, omx_test_any(p->ep, M_FORGET_RECV, API_MATCH_EXACT,
				      &st, &result), "test_any");
	tap_is(result, 0, p->who,
	       "test_any does not report the forgotten receive");
	if (!api_call(p->who, omx_irecv(p->ep, buf, FORGET_LEN, M_FORGET_SEND,
					API_MATCH_EXACT, NULL, &req), "irecv") ||
	    !api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		      "receive of a forgotten send"))
		return false;
	pattern_check(buf, FORGET_LEN, pattern_seed(4, 2, 0), p->who,
		      "a send the client forgot arrives intact");
	return true;
}

static bool client_forget(struct omx_pair *p)
{
	uint8_t to_recv[FORGET_LEN], to_forget[FORGET_LEN];
	omx_request_t req, forgotten;
	omx_status_t st;

	pattern_fill(to_recv, FORGET_LEN, pattern_seed(4, 1, 0));
	pattern_fill(to_forget, FORGET_LEN, pattern_seed(4, 2, 0));
	if (!omx_pair_await(p, 6) ||
	    !api_call(p->who, omx_isend(p->ep, to_recv, FORGET_LEN, p->peer,
					M_FORGET_RECV, NULL, &req), "isend") ||
	    !api_call(p->who, omx_isend(p->ep, to_forget, FORGET_LEN, p->peer,
					M_FORGET_SEND, NULL, &forgotten),
		      "isend"))
		return false;
	api_check_ret(omx_forget(p->ep, &forgotten), OMX_SUCCESS, p->who,
		      "omx_forget of a send succeeds");
	tap_ok(forgotten == NULL, p->who, "... and sets the handle to NULL");
	/* Tiny sends are buffered: the buffers may be reused at once. */
	return api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
			"send next to the forgotten one") &&
	       omx_pair_signal(p, 7);
}

/* ---- ibuffered -------------------------------------------------------- */

#define M_IBUF_TINY	0x0000750000000001ULL
#define M_IBUF_LARGE	0x0000750000000002ULL
#define IBUF_TINY_LEN	20
#define IBUF_LARGE_LEN	300000

static bool client_ibuffered(struct omx_pair *p)
{
	uint8_t tiny[IBUF_TINY_LEN], *large = api_alloc(IBUF_LARGE_LEN);
	omx_request_t req_tiny, req_large;
	uint32_t result;
	omx_status_t st;

	pattern_fill(tiny, IBUF_TINY_LEN, pattern_seed(5, 1, 0));
	pattern_fill(large, IBUF_LARGE_LEN, pattern_seed(5, 2, 0));
	if (!api_call(p->who, omx_isend(p->ep, tiny, IBUF_TINY_LEN, p->peer,
					M_IBUF_TINY, NULL, &req_tiny), "isend") ||
	    !api_call(p->who, omx_isend(p->ep, large, IBUF_LARGE_LEN, p->peer,
					M_IBUF_LARGE, NULL, &req_large),
		      "isend"))
		return false;
	result = 7;
	api_check_ret(omx_ibuffered(p->ep, &req_tiny, &result), OMX_SUCCESS,
		      p->who, "omx_ibuffered of a tiny send succeeds");
	tap_is(result, 1, p->who, "... and says the tiny send is buffered");
	result = 7;
	api_check_ret(omx_ibuffered(p->ep, &req_large, &result), OMX_SUCCESS,
		      p->who, "omx_ibuffered of an unreceived large send succeeds");
	tap_is(result, 0, p->who, "... and says it is not buffered");
	if (!omx_pair_signal(p, 8) ||
	    !api_wait(p->who, p->ep, &req_tiny, &st, p->role->opts->timeout_ms,
		      "tiny send") ||
	    !api_wait(p->who, p->ep, &req_large, &st, p->role->opts->timeout_ms,
		      "large send"))
		return false;
	free(large);
	return true;
}

static bool server_ibuffered(struct omx_pair *p)
{
	uint8_t tiny[IBUF_TINY_LEN], *large = api_alloc(IBUF_LARGE_LEN);
	omx_request_t req_tiny, req_large;
	uint32_t result = 7;
	omx_status_t st;

	if (!omx_pair_await(p, 8) ||
	    !api_call(p->who, omx_irecv(p->ep, tiny, IBUF_TINY_LEN, M_IBUF_TINY,
					API_MATCH_EXACT, NULL, &req_tiny),
		      "irecv") ||
	    !api_call(p->who, omx_irecv(p->ep, large, IBUF_LARGE_LEN,
					M_IBUF_LARGE, API_MATCH_EXACT, NULL,
					&req_large), "irecv"))
		return false;
	api_check_ret(omx_ibuffered(p->ep, &req_tiny, &result), OMX_BAD_REQUEST,
		      p->who, "omx_ibuffered of a receive: OMX_BAD_REQUEST");
	if (!api_wait(p->who, p->ep, &req_tiny, &st, p->role->opts->timeout_ms,
		      "tiny receive") ||
	    !api_wait(p->who, p->ep, &req_large, &st, p->role->opts->timeout_ms,
		      "large receive"))
		return false;
	pattern_check(tiny, IBUF_TINY_LEN, pattern_seed(5, 1, 0), p->who,
		      "the ibuffered tiny send arrives intact");
	pattern_check(large, IBUF_LARGE_LEN, pattern_seed(5, 2, 0), p->who,
		      "the ibuffered large send arrives intact");
	free(large);
	return true;
}

static void server(const struct api_role *role)
{
	struct omx_pair p;
	bool ok;

	if (!omx_pair_setup(role, &p))
		return;
	ok = server_truncation(&p, true, 1) && server_truncation(&p, false, 2);
	if (ok) {
		server_cancel_unmatched(&p);
		ok = server_cancel_matched(&p) && server_cancel_send(&p) &&
		     server_forget(&p) && server_ibuffered(&p);
	}
	if (ok)
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
}

static void client(const struct api_role *role)
{
	struct omx_pair p;

	if (!omx_pair_setup(role, &p))
		return;
	if (client_truncation(&p, true, 1) && client_truncation(&p, false, 2) &&
	    client_cancel_matched(&p) && client_cancel_send(&p) &&
	    client_forget(&p) && client_ibuffered(&p))
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
}

static const struct api_program program = {
	.name = "api-truncation-cancel",
	.summary =
		"Checks truncated receives of every size class, omx_cancel,\n"
		"omx_cancel_notest, omx_forget and omx_ibuffered.",
	.init = omx_api_init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
