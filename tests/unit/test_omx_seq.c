// SPDX-License-Identifier: MIT
/*
 * test_omx_seq.c - unit tests of shared/omx_seq.{h,c}: Open-MX sequence
 * numbers, receive classification and ack acceptance (wire reference 6.1,
 * 6.2).
 *
 * Expected values are worked out by hand in the comments, mostly around the
 * 2^14 wrap and with non-zero session numbers, where an off-by-one or a
 * forgotten mask would show.
 */
#include <stdint.h>

#include "omx_seq.h"
#include "tap.h"

static void test_arithmetic(void)
{
	/* +1 wraps the 14-bit sequence and keeps the sesnum. */
	tap_is(omx_seq_add(0x3fff, 1), 0x0000, "add: 0x3fff + 1 wraps to 0");
	tap_is(omx_seq_add(0x7fff, 1), 0x4000, "add: sesnum 1 kept across the wrap");
	tap_is(omx_seq_add(0xfffe, 3), 0xc001, "add: sesnum 3, 0x3ffe + 3 = 1");
	tap_is(omx_seq_add(0x4005, 16384), 0x4005, "add: 2^14 is a full turn");
	tap_is(omx_seq_add(0x8001, 0x3fff), 0x8000, "add: 1 + 0x3fff = 0, sesnum 2 kept");
	tap_is(omx_seq_add(0x1234, 0), 0x1234, "add: + 0 is the identity");

	tap_is(omx_seq_diff(0x0002, 0x3ffe), 4, "diff: 2 - 0x3ffe = 4 across the wrap");
	tap_is(omx_seq_diff(0x3ffe, 0x0002), 0x3ffc, "diff: the other way round is 2^14 - 4");
	tap_is(omx_seq_diff(0x4002, 0x3ffe), 4, "diff: sesnum bits ignored");
	tap_is(omx_seq_diff(0xc005, 0xc005), 0, "diff: equal numbers");

	tap_ok(omx_seq_same_sesnum(0x4001, 0x7fff), "same_sesnum: 0x4001 and 0x7fff");
	tap_ok(!omx_seq_same_sesnum(0x4001, 0x8001), "same_sesnum: sesnum 1 vs 2");
	tap_ok(!omx_seq_same_sesnum(0x0001, 0xc001), "same_sesnum: sesnum 0 vs 3");

	tap_is(omx_seq_reset(0xbabc), 0x8001, "reset: sequence 1, sesnum 2 kept");
	tap_is(omx_seq_reset(0x3fff), 0x0001, "reset: sesnum 0");

	tap_is(omx_seq_next_sesnum(0x0123), 0x4001, "next_sesnum: 0 -> 1");
	tap_is(omx_seq_next_sesnum(0x4123), 0x8001, "next_sesnum: 1 -> 2");
	tap_is(omx_seq_next_sesnum(0x8123), 0xc001, "next_sesnum: 2 -> 3");
	tap_is(omx_seq_next_sesnum(0xffff), 0x0001, "next_sesnum: 3 -> 0");
}

static void check_class(uint16_t seq, uint16_t next_frag, uint16_t next_match,
			enum omx_seq_class want, const char *what)
{
	tap_is(omx_seq_classify(seq, next_frag, next_match), want,
	       "classify seq %#06x (frag %#06x, match %#06x): %s",
	       seq, next_frag, next_match, what);
}

static void test_classify_nothing_partial(void)
{
	/* next_frag == next_match == 100: max = 0. */
	check_class(100, 100, 100, OMX_SEQ_NEXT, "the expected one");
	check_class(101, 100, 100, OMX_SEQ_EARLY, "one ahead");
	check_class(355, 100, 100, OMX_SEQ_EARLY, "100 + 255, last of the window");
	check_class(356, 100, 100, OMX_SEQ_OBSOLETE, "100 + 256, past the window");
	check_class(99, 100, 100, OMX_SEQ_OBSOLETE_PREV, "the previous one: re-ack");
	check_class(98, 100, 100, OMX_SEQ_OBSOLETE, "two back");
	check_class(0x4000 | 100, 100, 100, OMX_SEQ_BAD_SESNUM, "same sequence, sesnum 1");
	check_class(0x4000 | 99, 100, 100, OMX_SEQ_BAD_SESNUM,
		    "sesnum checked before the re-ack case");
}

static void test_classify_wrap(void)
{
	/*
	 * Mediums 0x3ff0..0x0004 partly received across the wrap:
	 * next_frag = 0x3ff0, next_match = 0x0005, max = 0x15 = 21.
	 */
	check_class(0x3ff0, 0x3ff0, 0x0005, OMX_SEQ_PARTIAL, "next_frag itself");
	check_class(0x3fff, 0x3ff0, 0x0005, OMX_SEQ_PARTIAL, "before the wrap");
	check_class(0x0000, 0x3ff0, 0x0005, OMX_SEQ_PARTIAL, "0 after the wrap");
	check_class(0x0004, 0x3ff0, 0x0005, OMX_SEQ_PARTIAL, "next_match - 1");
	check_class(0x0005, 0x3ff0, 0x0005, OMX_SEQ_NEXT, "next_match");
	check_class(0x0006, 0x3ff0, 0x0005, OMX_SEQ_EARLY, "next_match + 1");
	check_class(0x0104, 0x3ff0, 0x0005, OMX_SEQ_EARLY, "next_match + 255");
	check_class(0x0105, 0x3ff0, 0x0005, OMX_SEQ_OBSOLETE, "next_match + 256");
	check_class(0x3fef, 0x3ff0, 0x0005, OMX_SEQ_OBSOLETE_PREV, "next_frag - 1");
	check_class(0x3fee, 0x3ff0, 0x0005, OMX_SEQ_OBSOLETE, "next_frag - 2");
}

static void test_classify_sesnum(void)
{
	/* Sesnum 2: next_frag = 0xbffe (0x3ffe), next_match = 0x8001, max = 3. */
	check_class(0x8001, 0xbffe, 0x8001, OMX_SEQ_NEXT, "sesnum 2, next_match");
	check_class(0xbfff, 0xbffe, 0x8001, OMX_SEQ_PARTIAL, "sesnum 2, 0x3fff");
	check_class(0x8000, 0xbffe, 0x8001, OMX_SEQ_PARTIAL, "sesnum 2, 0");
	check_class(0x8100, 0xbffe, 0x8001, OMX_SEQ_EARLY, "sesnum 2, next_match + 255");
	check_class(0x8101, 0xbffe, 0x8001, OMX_SEQ_OBSOLETE, "sesnum 2, next_match + 256");
	check_class(0xbffd, 0xbffe, 0x8001, OMX_SEQ_OBSOLETE_PREV, "sesnum 2, next_frag - 1");
	check_class(0x0001, 0xbffe, 0x8001, OMX_SEQ_BAD_SESNUM, "sesnum 0 vs 2");
	check_class(0x4001, 0xbffe, 0x8001, OMX_SEQ_BAD_SESNUM, "sesnum 1 vs 2");
	check_class(0xc001, 0xbffe, 0x8001, OMX_SEQ_BAD_SESNUM, "sesnum 3 vs 2");
}

static void test_classify_precedence(void)
{
	/*
	 * With 16200 numbers partly received (not a state Open-MX reaches,
	 * but a legal input) the early window covers next_frag - 1: early
	 * wins over the re-ack case, as the comparison order in 6.1 says.
	 */
	check_class(9, 10, 10 + 16200, OMX_SEQ_EARLY, "window reaches next_frag - 1");
	check_class(10 + 16199, 10, 10 + 16200, OMX_SEQ_PARTIAL, "last partial of 16200");
}

static void check_ack(uint16_t ack, uint16_t first, uint16_t next,
		      int want, unsigned want_newly, const char *what)
{
	unsigned newly = 12345;
	int got = omx_seq_ack_accept(ack, first, next, &newly);

	tap_ok(got == want && newly == want_newly,
	       "ack %#06x (unacked %#06x..%#06x): %s", ack, first, next, what);
	if (got != want || newly != want_newly)
		printf("#   got %d/%u, want %d/%u\n", got, newly, want, want_newly);
}

static void test_ack(void)
{
	/* 5 outstanding across the wrap: 0x3ffe, 0x3fff, 0, 1, 2. */
	check_ack(0x3ffe, 0x3ffe, 0x0003, 0, 0, "acks nothing new");
	check_ack(0x3fff, 0x3ffe, 0x0003, 1, 1, "acks the first one");
	check_ack(0x0001, 0x3ffe, 0x0003, 1, 3, "acks three across the wrap");
	check_ack(0x0003, 0x3ffe, 0x0003, 1, 5, "acks exactly all outstanding");
	check_ack(0x0004, 0x3ffe, 0x0003, 0, 0, "one beyond what was sent");
	check_ack(0x3ffd, 0x3ffe, 0x0003, 0, 0, "an older ack");
	check_ack(0x4003, 0x3ffe, 0x0003, 0, 0, "right sequence, sesnum 1");

	/* Nothing outstanding, sesnum 1. */
	check_ack(0x4010, 0x4010, 0x4010, 0, 0, "nothing outstanding, same value");
	check_ack(0x4011, 0x4010, 0x4010, 0, 0, "nothing outstanding, one ahead");

	/* The sender's limit, 8191 outstanding. */
	check_ack(8191, 0, 8191, 1, 8191, "acks the full 8191");
	check_ack(8192, 0, 8191, 0, 0, "8192 with 8191 outstanding");
	/* Largest distance the arithmetic can express. */
	check_ack(0xbfff, 0x8000, 0xbfff, 1, 0x3fff, "2^14 - 1 newly acked");
}

static void test_acknum(void)
{
	tap_ok(omx_seq_acknum_newer(1, 0), "acknum: first liback (1) after 0");
	tap_ok(omx_seq_acknum_newer(2, 1), "acknum: 2 after 1");
	tap_ok(!omx_seq_acknum_newer(1, 1), "acknum: a repeat is not newer");
	tap_ok(!omx_seq_acknum_newer(1, 2), "acknum: 1 after 2 is older");
	tap_ok(omx_seq_acknum_newer(0, 0xffffffffU), "acknum: 0 after 2^32 - 1 (wrap)");
	tap_ok(omx_seq_acknum_newer(0x7fffffffU, 0), "acknum: 2^31 - 1 ahead is newer");
	tap_ok(!omx_seq_acknum_newer(0x80000000U, 0), "acknum: exactly 2^31 ahead is not");
	tap_ok(!omx_seq_acknum_newer(0x80000001U, 0), "acknum: 2^31 + 1 ahead is behind");
	tap_ok(omx_seq_acknum_newer(5, 0x80000006U), "acknum: 2^31 - 1 ahead across the wrap");
}

int main(void)
{
	test_arithmetic();
	test_classify_nothing_partial();
	test_classify_wrap();
	test_classify_sesnum();
	test_classify_precedence();
	test_ack();
	test_acknum();
	return tap_done();
}
