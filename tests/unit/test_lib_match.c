/* SPDX-License-Identifier: MIT */
/*
 * test_lib_match.c - the matching queues of libopen-mx (omx_match.c):
 * masks, posting and arrival order, context ids.
 */
#include <stdint.h>

#include "omx_match.h"
#include "tap.h"

#define N 8

static struct omx_match_entry e[N];

static int idx(const struct omx_match_entry *m)
{
	return m ? (int)(m - e) : -1;
}

static void init_entries(void)
{
	unsigned i;

	for (i = 0; i < N; i++) {
		omx_list_init(&e[i].bucket_elt);
		omx_list_init(&e[i].all_elt);
	}
}

static void test_checks(void)
{
	struct omx_match_queues q;

	tap_ok(omx_match_ctxid_valid(16, 48), "16 bits at shift 48 is a valid split");
	tap_ok(!omx_match_ctxid_valid(17, 0), "17 bits is too many");
	tap_ok(!omx_match_ctxid_valid(8, 57), "bits + shift beyond 64 is refused");
	tap_is(omx_match_queues_init(&q, 17, 0), -1, "init refuses a bad split");

	omx_match_queues_init(&q, 4, 8);
	tap_is(omx_match_check_recv(&q, 0x100, 0xf00), OMX_MATCH_OK,
	       "pattern inside a mask covering the context id");
	tap_is(omx_match_check_recv(&q, 0x101, 0xf00), OMX_MATCH_BAD_MASK,
	       "pattern bit outside the mask");
	tap_is(omx_match_check_recv(&q, 0x100, 0x700), OMX_MATCH_BAD_CTXID,
	       "mask leaving one context-id bit wildcarded");
	tap_is(omx_match_bucket(&q, 0xa5ff), 5, "bucket = bits 8..11");
	omx_match_queues_destroy(&q);
}

static void test_posted_order_and_masks(void)
{
	struct omx_match_queues q;

	init_entries();
	omx_match_queues_init(&q, 0, 0);
	omx_match_post_recv(&q, &e[0], 0x10, 0xf0);	/* any 0x1? */
	omx_match_post_recv(&q, &e[1], 0x12, ~0ULL);	/* exactly 0x12 */
	omx_match_post_recv(&q, &e[2], 0, 0);		/* anything */

	tap_is(idx(omx_match_take_recv(&q, 0x12)), 0,
	       "the first posted receive that matches takes the message");
	tap_is(idx(omx_match_take_recv(&q, 0x12)), 1,
	       "then the exact one, in posting order");
	tap_is(idx(omx_match_take_recv(&q, 0x99)), 2,
	       "the wildcard takes anything");
	tap_is(idx(omx_match_take_recv(&q, 0x12)), -1, "nothing left");
	omx_match_queues_destroy(&q);
}

static void test_unexpected_order(void)
{
	struct omx_match_queues q;

	init_entries();
	omx_match_queues_init(&q, 0, 0);
	omx_match_add_unexp(&q, &e[0], 0x21);
	omx_match_add_unexp(&q, &e[1], 0x35);
	omx_match_add_unexp(&q, &e[2], 0x22);

	tap_is(idx(omx_match_peek_unexp(&q, 0x20, 0xf0)), 0,
	       "peek finds the oldest matching message");
	tap_is(idx(omx_match_peek_unexp(&q, 0x20, 0xf0)), 0,
	       "and leaves it queued");
	tap_is(idx(omx_match_take_unexp(&q, 0x20, 0xf0)), 0,
	       "a receive takes the oldest matching message");
	tap_is(idx(omx_match_take_unexp(&q, 0x20, 0xf0)), 2,
	       "then the next one, skipping a non-matching one");
	tap_is(idx(omx_match_take_unexp(&q, 0x20, 0xf0)), -1,
	       "no third 0x2? message");
	tap_is(idx(omx_match_peek_unexp(&q, 0, 0)), 1, "0x35 is still there");
	omx_match_remove(&e[1]);
	tap_is(idx(omx_match_peek_unexp(&q, 0, 0)), -1, "removed");
	omx_match_queues_destroy(&q);
}

static void test_context_ids(void)
{
	struct omx_match_queues q;

	init_entries();
	omx_match_queues_init(&q, 2, 62);	/* top two bits */
	omx_match_post_recv(&q, &e[0], 0x4000000000000000ULL,
			    0xc000000000000000ULL);
	omx_match_post_recv(&q, &e[1], 0x8000000000000000ULL,
			    0xc000000000000000ULL);
	tap_is(idx(omx_match_take_recv(&q, 0x8000000000000001ULL)), 1,
	       "a message reaches the receive of its own context id");
	tap_is(idx(omx_match_take_recv(&q, 0x0000000000000001ULL)), -1,
	       "context id 0 has no receive");

	omx_match_add_unexp(&q, &e[2], 0xc000000000000007ULL);
	omx_match_add_unexp(&q, &e[3], 0x0000000000000007ULL);
	tap_is(idx(omx_match_take_unexp(&q, 0x0000000000000007ULL, ~0ULL)), 3,
	       "a receive sees only its context id's unexpected messages");
	tap_is(idx(omx_match_peek_unexp(&q, 7, 7)), 2,
	       "a probe with any mask sees all context ids");
	omx_match_queues_destroy(&q);
}

int main(void)
{
	test_checks();
	test_posted_order_and_masks();
	test_unexpected_order();
	test_context_ids();
	return tap_done();
}
