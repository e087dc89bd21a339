// SPDX-License-Identifier: MIT
/*
 * api-matching - which receive gets which message.
 *
 *  1. Posted receives with an exact match, two partial masks and a
 *     wildcard: each message goes to the first posted receive it matches;
 *     a receive nothing matches stays pending (then cancels with result 1).
 *  2. Unexpected messages: omx_iprobe finds the oldest matching one without
 *     consuming it, omx_probe finds a given one, later receives take them
 *     in arrival order.
 *  3. omx_test_any/omx_wait_any complete only a done request whose match
 *     info passes the mask; wait_any with nothing matching times out.
 *  4. Many messages of mixed sizes (tiny to large) with one match info are
 *     received in send order, both with the receives posted first and
 *     with all messages arriving before any receive.
 *
 * The server receives, the client sends; control signals keep the phases
 * apart (e.g. "all my receives are posted", "all my messages are sent").
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_omx.h"
#include "api_pattern.h"

/* ---- phase 1: masks on posted receives -------------------------------- */

#define M_NOBODY	0x0000ab0000000002ULL	/* no message carries it */
#define M_EXACT		0x0000ab0000000001ULL
#define PARTIAL_MASK	0x0000ffff000000ffULL
#define PARTIAL_INFO	0x0000ac0000000042ULL
#define M_PARTIAL	0x0000ac0055555542ULL	/* passes PARTIAL_MASK */
#define M_OTHER		0x0000123400000000ULL	/* only the wildcard */

/* Each message must fit its receive and no receive posted before it. */
_Static_assert((M_PARTIAL & PARTIAL_MASK) == PARTIAL_INFO,
	       "M_PARTIAL must pass the partial mask");
_Static_assert((M_EXACT & PARTIAL_MASK) != PARTIAL_INFO,
	       "M_EXACT must not pass the partial mask");
_Static_assert((M_OTHER & PARTIAL_MASK) != PARTIAL_INFO &&
	       M_OTHER != M_EXACT && M_OTHER != M_NOBODY,
	       "M_OTHER must match only the wildcard");

struct mask_case {
	const char *name;
	uint64_t info, mask;	/* the receive */
	uint64_t message;	/* the message meant for it */
	uint32_t size;
};

/* Posted in this order.  Every message also matches the wildcard, which
 * is posted last: posting order must win. */
static const struct mask_case mask_cases[] = {
	{ "exact match",	M_EXACT, API_MATCH_EXACT, M_EXACT, 5000 },
	{ "partial mask",	PARTIAL_INFO, PARTIAL_MASK, M_PARTIAL, 20 },
	{ "wildcard mask 0",	0, 0, M_OTHER, 100000 },
};
#define N_MASK_CASES (sizeof(mask_cases) / sizeof(mask_cases[0]))

/* The client sends in this order (not the posting order). */
static const unsigned mask_send_order[] = { 1, 0, 2 };

static bool server_masks(struct omx_pair *p)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	omx_request_t nobody, req[N_MASK_CASES];
	void *buf[N_MASK_CASES];
	uint32_t result = 0;
	omx_status_t st;
	bool ok = true;
	unsigned i;

	if (!api_call(p->who, omx_irecv(p->ep, p->scratch, sizeof(p->scratch),
					M_NOBODY, API_MATCH_EXACT, NULL, &nobody),
		      "irecv of a match nobody sends"))
		return false;
	for (i = 0; i < N_MASK_CASES; i++) {
		const struct mask_case *c = &mask_cases[i];

		buf[i] = api_alloc(c->size);
		if (!api_call(p->who, omx_irecv(p->ep, buf[i], c->size, c->info,
						c->mask, &buf[i], &req[i]),
			      "irecv with %s", c->name))
			return false;
	}
	if (!omx_pair_signal(p, 1))
		return false;
	for (i = 0; i < N_MASK_CASES && ok; i++) {
		const struct mask_case *c = &mask_cases[i];
		struct api_want want = { OMX_SUCCESS, c->size, c->size,
					 c->message, &buf[i] };

		ok = api_wait(p->who, p->ep, &req[i], &st, timeout, c->name);
		if (!ok)
			break;
		api_check_status(&st, &want, p->who,
				 "receive with %s (info 0x%016" PRIx64
				 ", mask 0x%016" PRIx64 ") got message 0x%016"
				 PRIx64, c->name, c->info, c->mask, c->message);
		pattern_check(buf[i], c->size, pattern_seed(1, i, 0), p->who,
			      "receive with %s: data", c->name);
	}
	if (ok) {
		api_check_ret(omx_cancel(p->ep, &nobody, &result), OMX_SUCCESS,
			      p->who, "cancel the receive nothing matched");
		tap_ok(result == 1 && nobody == NULL, p->who,
		       "that receive was still pending (result %" PRIu32 ")",
		       result);
	}
	/* On failure the endpoint is closed before the buffers go. */
	if (ok)
		for (i = 0; i < N_MASK_CASES; i++)
			free(buf[i]);
	return ok;
}

static bool client_masks(struct omx_pair *p)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	omx_request_t req[N_MASK_CASES];
	void *buf[N_MASK_CASES];
	omx_status_t st;
	bool ok = true;
	unsigned k;

	if (!omx_pair_await(p, 1))
		return false;
	for (k = 0; k < N_MASK_CASES; k++) {
		unsigned i = mask_send_order[k];
		const struct mask_case *c = &mask_cases[i];

		buf[k] = api_alloc(c->size);
		pattern_fill(buf[k], c->size, pattern_seed(1, i, 0));
		if (!api_call(p->who, omx_isend(p->ep, buf[k], c->size, p->peer,
						c->message, NULL, &req[k]),
			      "isend for the receive with %s", c->name))
			return false;
	}
	for (k = 0; k < N_MASK_CASES && ok; k++) {
		const struct mask_case *c = &mask_cases[mask_send_order[k]];

		ok = api_wait(p->who, p->ep, &req[k], &st, timeout, c->name) &&
		     api_check_ret(st.code, OMX_SUCCESS, p->who,
				   "send for the receive with %s", c->name);
	}
	if (ok)
		for (k = 0; k < N_MASK_CASES; k++)
			free(buf[k]);
	return ok;
}

/* ---- phase 2: unexpected queue, iprobe, probe ------------------------- */

#define UNEXP_PREFIX	0x00000b0000000000ULL
#define UNEXP_MASK	0xffffffff00000000ULL

static const uint32_t unexp_sizes[] = { 10, 3000, 100000 };
#define N_UNEXP (sizeof(unexp_sizes) / sizeof(unexp_sizes[0]))

static bool server_unexpected(struct omx_pair *p)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	uint32_t result;
	omx_status_t st;
	unsigned i;
	bool ok = true;

	if (!omx_pair_await(p, 2))	/* sent after the three messages */
		return false;

	result = 0;
	memset(&st, 0, sizeof(st));
	api_call(p->who, omx_iprobe(p->ep, UNEXP_PREFIX, UNEXP_MASK, &st, &result),
		 "iprobe");
	tap_ok(result == 1 && st.match_info == (UNEXP_PREFIX | 1) &&
	       st.msg_length == unexp_sizes[0], p->who,
	       "iprobe finds the oldest unexpected message (result %" PRIu32
	       ", match 0x%" PRIx64 ", %" PRIu32 " B)", result, st.match_info,
	       st.msg_length);
	result = 0;
	memset(&st, 0, sizeof(st));
	api_call(p->who, omx_iprobe(p->ep, UNEXP_PREFIX, UNEXP_MASK, &st, &result),
		 "iprobe again");
	tap_ok(result == 1 && st.match_info == (UNEXP_PREFIX | 1), p->who,
	       "iprobe did not consume it: a second iprobe finds it again");

	result = 0;
	memset(&st, 0, sizeof(st));
	api_call(p->who, omx_probe(p->ep, UNEXP_PREFIX | 3, API_MATCH_EXACT, &st,
				   &result, timeout), "probe");
	tap_ok(result == 1 && st.match_info == (UNEXP_PREFIX | 3) &&
	       st.msg_length == unexp_sizes[2] && st.code == OMX_SUCCESS,
	       p->who, "probe finds the large unexpected message by exact match "
	       "(result %" PRIu32 ", %" PRIu32 " B)", result, st.msg_length);

	result = 1;
	api_call(p->who, omx_iprobe(p->ep, UNEXP_PREFIX | 4, API_MATCH_EXACT, &st,
				    &result), "iprobe for a match nobody sent");
	tap_is(result, 0, p->who, "iprobe for a match nobody sent finds nothing");

	for (i = 0; i < N_UNEXP && ok; i++) {
		/* Big enough for any of them: arrival order decides. */
		void *buf = api_alloc(unexp_sizes[N_UNEXP - 1]);
		struct api_want want = { OMX_SUCCESS, unexp_sizes[i],
					 unexp_sizes[i], UNEXP_PREFIX | (i + 1),
					 buf };
		omx_request_t req;

		ok = api_call(p->who, omx_irecv(p->ep, buf,
						unexp_sizes[N_UNEXP - 1],
						UNEXP_PREFIX, UNEXP_MASK, buf,
						&req), "irecv of unexpected") &&
		     api_wait(p->who, p->ep, &req, &st, timeout,
			      "receive of an unexpected message");
		if (ok) {
			api_check_status(&st, &want, p->who,
					 "receive %u with a partial mask takes "
					 "unexpected message %u (arrival order)",
					 i + 1, i + 1);
			pattern_check(buf, unexp_sizes[i], pattern_seed(2, i, 0),
				      p->who, "unexpected message %u: data",
				      i + 1);
			free(buf);
		}
	}
	if (!ok)
		return false;
	result = 1;
	api_call(p->who, omx_iprobe(p->ep, UNEXP_PREFIX, UNEXP_MASK, &st,
				    &result), "final iprobe");
	return tap_is(result, 0, p->who,
		      "iprobe finds nothing once all were received");
}

static bool client_unexpected(struct omx_pair *p)
{
	omx_request_t req[N_UNEXP];
	void *buf[N_UNEXP];
	omx_status_t st;
	unsigned i;
	bool ok = true;

	for (i = 0; i < N_UNEXP; i++) {
		buf[i] = api_alloc(unexp_sizes[i]);
		pattern_fill(buf[i], unexp_sizes[i], pattern_seed(2, i, 0));
		if (!api_call(p->who, omx_isend(p->ep, buf[i], unexp_sizes[i],
						p->peer, UNEXP_PREFIX | (i + 1),
						NULL, &req[i]),
			      "isend of unexpected message %u", i + 1))
			return false;
	}
	/* Per-pair ordering: when the server matches this signal, the three
	 * messages are already in its unexpected queue. */
	if (!omx_pair_signal(p, 2))
		return false;
	for (i = 0; i < N_UNEXP && ok; i++)
		ok = api_wait(p->who, p->ep, &req[i], &st,
			      p->role->opts->timeout_ms,
			      "send of an unexpected message") &&
		     api_check_ret(st.code, OMX_SUCCESS, p->who,
				   "send of unexpected message %u (%" PRIu32
				   " B)", i + 1, unexp_sizes[i]);
	if (ok)
		for (i = 0; i < N_UNEXP; i++)
			free(buf[i]);
	return ok;
}

/* ---- phase 3: test_any / wait_any ------------------------------------- */

#define ANY_PREFIX	0x00000c0000000000ULL
#define ANY_A		(ANY_PREFIX | 1)
#define ANY_B		(ANY_PREFIX | 2)
#define ANY_A_SIZE	3000
#define ANY_B_SIZE	16
#define ANY_MASK	0xffffffff00000000ULL
#define ANY_IDLE_MS	300

static bool server_any(struct omx_pair *p)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	static int ctx_a, ctx_b;
	void *buf_a = api_alloc(ANY_A_SIZE), *buf_b = api_alloc(ANY_B_SIZE);
	struct api_want want_b = { OMX_SUCCESS, ANY_B_SIZE, ANY_B_SIZE, ANY_B,
				   &ctx_b };
	struct api_want want_a = { OMX_SUCCESS, ANY_A_SIZE, ANY_A_SIZE, ANY_A,
				   &ctx_a };
	omx_request_t req_a, req_b;
	uint32_t result;
	omx_status_t st;
	uint64_t t0;

	if (!api_call(p->who, omx_irecv(p->ep, buf_a, ANY_A_SIZE, ANY_A,
					API_MATCH_EXACT, &ctx_a, &req_a),
		      "irecv A") ||
	    !api_call(p->who, omx_irecv(p->ep, buf_b, ANY_B_SIZE, ANY_B,
					API_MATCH_EXACT, &ctx_b, &req_b),
		      "irecv B") ||
	    !omx_pair_signal(p, 3) || !omx_pair_await(p, 4))
		return false;
	/* B's message arrived before signal 4: B is done, A is not. */
	result = 1;
	api_call(p->who, omx_test_any(p->ep, ANY_A, API_MATCH_EXACT, &st,
				      &result), "test_any for A");
	tap_is(result, 0, p->who,
	       "test_any for A's match while only B is done finds nothing");
	result = 1;
	t0 = api_now_ms();
	api_call(p->who, omx_wait_any(p->ep, ANY_A, API_MATCH_EXACT, &st,
				      &result, ANY_IDLE_MS), "wait_any for A");
	tap_ok(result == 0 && api_now_ms() - t0 >= ANY_IDLE_MS - 50, p->who,
	       "wait_any for A's match returns result 0 after its %u ms "
	       "timeout (result %" PRIu32 ", %" PRIu64 " ms)", ANY_IDLE_MS,
	       result, api_now_ms() - t0);
	result = 0;
	memset(&st, 0, sizeof(st));
	api_call(p->who, omx_test_any(p->ep, ANY_B, API_MATCH_EXACT, &st,
				      &result), "test_any for B");
	/* From here on req_b is a dead handle: test_any completed B. */
	if (!tap_is(result, 1, p->who, "test_any for B's match completes B"))
		return false;
	api_check_status(&st, &want_b, p->who, "test_any status is B's");
	pattern_check(buf_b, ANY_B_SIZE, pattern_seed(3, 2, 0), p->who,
		      "B's data");

	if (!omx_pair_signal(p, 5))
		return false;
	result = 0;
	memset(&st, 0, sizeof(st));
	api_call(p->who, omx_wait_any(p->ep, ANY_PREFIX, ANY_MASK, &st, &result,
				      timeout), "wait_any with a partial mask");
	if (!tap_check(result == 1, "timed out", p->who,
		       "wait_any with a partial mask completes A"))
		return false;
	api_check_status(&st, &want_a, p->who, "wait_any status is A's");
	pattern_check(buf_a, ANY_A_SIZE, pattern_seed(3, 1, 0), p->who,
		      "A's data");
	free(buf_a);
	free(buf_b);
	return true;
}

static bool client_any(struct omx_pair *p)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	void *buf_a = api_alloc(ANY_A_SIZE), *buf_b = api_alloc(ANY_B_SIZE);
	omx_request_t req;
	omx_status_t st;
	bool ok;

	pattern_fill(buf_b, ANY_B_SIZE, pattern_seed(3, 2, 0));
	pattern_fill(buf_a, ANY_A_SIZE, pattern_seed(3, 1, 0));
	ok = omx_pair_await(p, 3) &&
	     api_call(p->who, omx_isend(p->ep, buf_b, ANY_B_SIZE, p->peer, ANY_B,
					NULL, &req), "isend B") &&
	     api_wait(p->who, p->ep, &req, &st, timeout, "send B") &&
	     omx_pair_signal(p, 4) && omx_pair_await(p, 5) &&
	     api_call(p->who, omx_isend(p->ep, buf_a, ANY_A_SIZE, p->peer, ANY_A,
					NULL, &req), "isend A") &&
	     api_wait(p->who, p->ep, &req, &st, timeout, "send A");
	if (ok) {
		free(buf_a);
		free(buf_b);
	}
	return ok;
}

/* ---- phase 4: ordering of many mixed-size messages -------------------- */

#define ORDER_COUNT	100
#define ORDER_EXPECTED	0x00000d0000000000ULL	/* receives first */
#define ORDER_UNEXP	0x00000e0000000000ULL	/* messages first */

static const uint32_t order_sizes[] = { 0, 17, 100, 3000, 9000, 40000, 70000 };
#define N_ORDER_SIZES (sizeof(order_sizes) / sizeof(order_sizes[0]))
#define ORDER_MAX 70000

static uint32_t order_size(unsigned k)
{
	/* 7 sizes, step 3: consecutive messages change size class. */
	return order_sizes[(k * 3) % N_ORDER_SIZES];
}

/* Receive @ORDER_COUNT messages on @match; receive k must get message k. */
static bool server_order(struct omx_pair *p, uint64_t match, bool post_first,
			 uint32_t tag)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	omx_request_t *req = calloc(ORDER_COUNT, sizeof(*req));
	uint8_t *bufs = malloc((size_t)ORDER_COUNT * ORDER_MAX);
	char detail[128] = "";
	omx_status_t st;
	unsigned k;

	if (!req || !bufs)
		tap_bail("out of memory");
	if (post_first) {
		for (k = 0; k < ORDER_COUNT; k++)
			if (!api_call(p->who, omx_irecv(p->ep, bufs + (size_t)k *
							ORDER_MAX, ORDER_MAX,
							match, API_MATCH_EXACT,
							NULL, &req[k]),
				      "irecv %u", k))
				return false;
		if (!omx_pair_signal(p, tag))
			return false;
	} else if (!omx_pair_await(p, tag)) {
		return false;
	}
	for (k = 0; k < ORDER_COUNT; k++) {
		uint8_t *buf = bufs + (size_t)k * ORDER_MAX;

		if (!post_first &&
		    !api_call(p->who, omx_irecv(p->ep, buf, ORDER_MAX, match,
						API_MATCH_EXACT, NULL, &req[k]),
			      "irecv %u", k))
			return false;
		if (!api_wait(p->who, p->ep, &req[k], &st, timeout,
			      "receive of an ordered message"))
			return false;
		if (detail[0])
			continue;
		if (st.code != OMX_SUCCESS || st.msg_length != order_size(k) ||
		    st.xfer_length != order_size(k))
			snprintf(detail, sizeof(detail),
				 "receive %u: code %d, %" PRIu32 " B, want %"
				 PRIu32 " B", k, (int)st.code, st.msg_length,
				 order_size(k));
		else if (pattern_mismatch(buf, order_size(k),
					  pattern_seed(4, k, tag), 0) <
			 order_size(k))
			snprintf(detail, sizeof(detail),
				 "receive %u: data is not message %u's", k, k);
	}
	tap_check(!detail[0], detail, p->who,
		  "%u mixed-size messages (%s) received in send order",
		  ORDER_COUNT, post_first ? "receives posted before arrival" :
		  "all unexpected");
	free(req);
	free(bufs);
	return true;
}

static bool client_order(struct omx_pair *p, uint64_t match, bool post_first,
			 uint32_t tag)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	omx_request_t *req = calloc(ORDER_COUNT, sizeof(*req));
	uint8_t *bufs = malloc((size_t)ORDER_COUNT * ORDER_MAX);
	char detail[96] = "";
	omx_status_t st;
	unsigned k;

	if (!req || !bufs)
		tap_bail("out of memory");
	if (post_first && !omx_pair_await(p, tag))
		return false;
	for (k = 0; k < ORDER_COUNT; k++) {
		uint8_t *buf = bufs + (size_t)k * ORDER_MAX;

		pattern_fill(buf, order_size(k), pattern_seed(4, k, tag));
		if (!api_call(p->who, omx_isend(p->ep, buf, order_size(k),
						p->peer, match, NULL, &req[k]),
			      "isend %u", k))
			return false;
	}
	if (!post_first && !omx_pair_signal(p, tag))
		return false;
	for (k = 0; k < ORDER_COUNT; k++) {
		if (!api_wait(p->who, p->ep, &req[k], &st, timeout,
			      "send of an ordered message"))
			return false;
		if (st.code != OMX_SUCCESS && !detail[0])
			snprintf(detail, sizeof(detail), "send %u: %s", k,
				 omx_strerror(st.code));
	}
	tap_check(!detail[0], detail, p->who,
		  "%u mixed-size sends (%s) completed successfully",
		  ORDER_COUNT, post_first ? "receives posted before arrival" :
		  "all unexpected");
	free(req);
	free(bufs);
	return true;
}

static void server(const struct api_role *role)
{
	struct omx_pair p;

	if (!omx_pair_setup(role, &p))
		return;
	if (server_masks(&p) && server_unexpected(&p) && server_any(&p) &&
	    server_order(&p, ORDER_EXPECTED, true, 6) &&
	    server_order(&p, ORDER_UNEXP, false, 7))
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
}

static void client(const struct api_role *role)
{
	struct omx_pair p;

	if (!omx_pair_setup(role, &p))
		return;
	if (client_masks(&p) && client_unexpected(&p) && client_any(&p) &&
	    client_order(&p, ORDER_EXPECTED, true, 6) &&
	    client_order(&p, ORDER_UNEXP, false, 7))
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
}

static const struct api_program program = {
	.name = "api-matching",
	.summary =
		"Checks match info and masks on posted receives, the\n"
		"unexpected queue with iprobe/probe, test_any/wait_any\n"
		"selection, and per-pair ordering of many mixed-size messages.",
	.init = omx_api_init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
