// SPDX-License-Identifier: MIT
/*
 * test_omx_medium.c - unit tests of shared/omx_medium.{h,c}: MEDIUM
 * fragmentation and reassembly (wire reference 6.5).
 *
 * Expected fragment counts and extents are worked out by hand in the
 * comments.  Reassembly runs a 32-fragment message in reverse order with
 * duplicates and malformed fragments mixed in, and checks that every byte is
 * claimed exactly once.
 */
#include <stdint.h>
#include <string.h>

#include "omx_medium.h"
#include "tap.h"

#define F9000	8192	/* medium fragment payload at MTU 9000 */
#define F1500	1452	/* at MTU 1500 */
#define NFRAGS	32

static void test_nfrags(void)
{
	tap_is(omx_medium_nfrags(0, F9000), 0, "nfrags: 0 bytes, no fragment");
	tap_is(omx_medium_nfrags(1, F9000), 1, "nfrags: 1 byte");
	tap_is(omx_medium_nfrags(129, F9000), 1, "nfrags: smallest medium");
	tap_is(omx_medium_nfrags(8192, F9000), 1, "nfrags: exactly one fragment");
	tap_is(omx_medium_nfrags(8193, F9000), 2, "nfrags: one byte into the second");
	tap_is(omx_medium_nfrags(262144, F9000), 32, "nfrags: 32 x 8192");
	tap_is(omx_medium_nfrags(262145, F9000), 33, "nfrags: 32 x 8192 + 1");
	tap_is(omx_medium_nfrags(46464, F1500), 32, "nfrags: 32 x 1452 at MTU 1500");
	tap_is(omx_medium_nfrags(46465, F1500), 33, "nfrags: 32 x 1452 + 1");
	/* 0xffffffff / 8192 = 524287 rest 8191: a +F-1 rounding would wrap. */
	tap_is(omx_medium_nfrags(0xffffffffU, F9000), 524288, "nfrags: 2^32 - 1 bytes");
	tap_is(omx_medium_nfrags(0xffffffffU, 1), 0xffffffffU, "nfrags: 2^32 - 1 of 1 byte");
	tap_is(omx_medium_nfrags(100, 0), 0, "nfrags: fragment size 0");
}

static void check_extent(uint32_t len, uint32_t f, uint32_t i,
			 uint32_t want_off, uint32_t want_len)
{
	uint32_t off = 0xdeadbeef, got = 0xdeadbeef;

	omx_medium_frag_extent(len, f, i, &off, &got);
	tap_ok(off == want_off && got == want_len,
	       "extent of fragment %u of %u bytes by %u: (%u, %u)",
	       i, len, f, want_off, want_len);
	if (off != want_off || got != want_len)
		printf("#   got (%u, %u)\n", off, got);
}

static void test_extent(void)
{
	/* 20000 = 8192 + 8192 + 3616 */
	check_extent(20000, F9000, 0, 0, 8192);
	check_extent(20000, F9000, 1, 8192, 8192);
	check_extent(20000, F9000, 2, 16384, 3616);
	check_extent(20000, F9000, 3, 20000, 0);
	check_extent(16384, F9000, 1, 8192, 8192);
	check_extent(16384, F9000, 2, 16384, 0);
	/* 2^32 - 1 in halves of 2^31: the second is one byte short. */
	check_extent(0xffffffffU, 0x80000000U, 1, 0x80000000U, 0x7fffffffU);
	check_extent(0xffffffffU, 0x80000000U, 2, 0xffffffffU, 0);
	/* i * F = (2^32 - 1)^2 must not wrap back into the message. */
	check_extent(0xffffffffU, 0xffffffffU, 0xffffffffU, 0xffffffffU, 0);
	check_extent(0xffffffffU, 0x10000U, 0x10000U, 0xffffffffU, 0);
	check_extent(100, 0, 0, 100, 0);
}

static void test_init(void)
{
	struct omx_medium_rx m;

	tap_is(omx_medium_rx_init(&m, 262144, F9000, NFRAGS), 0,
	       "init: 32 fragments of 8192");
	tap_is(m.nfrags, 32, "init: nfrags 32");
	tap_ok(m.received == 0 && m.frag_mask == 0 && !omx_medium_rx_complete(&m),
	       "init: nothing received, not complete");
	tap_is(omx_medium_rx_init(&m, 262145, F9000, NFRAGS), -1,
	       "init: 33 fragments refused");
	tap_is(omx_medium_rx_init(&m, 20000, F9000, 3), 0, "init: 3 fragments, limit 3");
	tap_is(omx_medium_rx_init(&m, 20000, F9000, 2), -1, "init: 3 fragments, limit 2");
	tap_is(omx_medium_rx_init(&m, 0, F9000, NFRAGS), -1, "init: 0-length medium refused");
	tap_is(omx_medium_rx_init(&m, 1000, 0, NFRAGS), -1, "init: fragment size 0 refused");
	tap_is(omx_medium_rx_init(&m, 1000, F9000, 0), -1, "init: fragment limit 0 refused");
	tap_is(omx_medium_rx_init(&m, 1000, F9000, 33), -1,
	       "init: fragment limit beyond the 32-bit bitmap refused");
	tap_is(omx_medium_rx_init(&m, 0xffffffffU, F9000, NFRAGS), -1,
	       "init: 2^32 - 1 bytes refused");
}

static void test_single(void)
{
	struct omx_medium_rx m;
	uint32_t off = 0xdeadbeef;

	omx_medium_rx_init(&m, 129, F9000, NFRAGS);
	tap_is(omx_medium_rx_frag(&m, 0, 128, &off), OMX_MEDIUM_FRAG_BAD,
	       "single: 128 of 129 bytes refused");
	tap_is(omx_medium_rx_frag(&m, 0, 8192, &off), OMX_MEDIUM_FRAG_BAD,
	       "single: a full fragment for 129 bytes refused");
	tap_is(omx_medium_rx_frag(&m, 1, 0, &off), OMX_MEDIUM_FRAG_BAD,
	       "single: fragment 1 of a 1-fragment message refused");
	tap_ok(off == 0xdeadbeef && m.received == 0 && m.frag_mask == 0,
	       "single: refused fragments change nothing");
	tap_is(omx_medium_rx_frag(&m, 0, 129, &off), OMX_MEDIUM_FRAG_NEW,
	       "single: the one fragment");
	tap_ok(off == 0 && omx_medium_rx_complete(&m), "single: at 0, complete");
	off = 0xdeadbeef;
	tap_is(omx_medium_rx_frag(&m, 0, 129, &off), OMX_MEDIUM_FRAG_DUPLICATE,
	       "single: again is a duplicate");
	tap_ok(off == 0xdeadbeef && m.received == 129, "single: a duplicate changes nothing");
}

/*
 * 32 fragments: 31 x 8192 + 100 = 254052 bytes.  Fragments arrive last
 * first, each preceded by two copies one byte too long and too short and
 * followed by a replay.  Each NEW fragment claims its bytes in a
 * map, so an overlap or a hole shows whatever the offsets are.
 */
static void test_reverse_32(void)
{
	static uint8_t claimed[254052];
	struct omx_medium_rx m;
	uint32_t i, off, len, overlaps = 0, holes = 0, bad_ok = 0, dup_ok = 0;
	int complete_early = 0;

	memset(claimed, 0, sizeof(claimed));
	tap_is(omx_medium_rx_init(&m, sizeof(claimed), F9000, NFRAGS), 0,
	       "32 fragments: init");
	tap_is(m.nfrags, 32, "32 fragments: nfrags");

	for (i = NFRAGS; i-- > 0; ) {
		uint32_t j;

		len = i == 31 ? 100 : 8192;
		/* wrong lengths first: they must not count as received */
		if (omx_medium_rx_frag(&m, (uint8_t)i, len + 1, &off) == OMX_MEDIUM_FRAG_BAD &&
		    omx_medium_rx_frag(&m, (uint8_t)i, len - 1, &off) == OMX_MEDIUM_FRAG_BAD)
			bad_ok++;
		if (omx_medium_rx_frag(&m, (uint8_t)i, len, &off) != OMX_MEDIUM_FRAG_NEW) {
			tap_ok(0, "32 fragments: fragment %u accepted", i);
			continue;
		}
		for (j = 0; j < len; j++) {
			if (off + j >= sizeof(claimed) || claimed[off + j]++)
				overlaps++;
		}
		if (omx_medium_rx_frag(&m, (uint8_t)i, len, &off) == OMX_MEDIUM_FRAG_DUPLICATE)
			dup_ok++;
		if (i != 0 && omx_medium_rx_complete(&m))
			complete_early = 1;
	}
	for (i = 0; i < sizeof(claimed); i++)
		holes += !claimed[i];

	tap_is(bad_ok, 32, "32 fragments: length +-1 refused for each");
	tap_is(dup_ok, 32, "32 fragments: each replay is a duplicate");
	tap_is(overlaps, 0, "32 fragments: no byte claimed twice or out of range");
	tap_is(holes, 0, "32 fragments: no byte left unclaimed");
	tap_ok(!complete_early, "32 fragments: not complete before the last one");
	tap_ok(omx_medium_rx_complete(&m), "32 fragments: complete");
	tap_is(m.received, 254052, "32 fragments: received bytes");
	tap_is(m.frag_mask, 0xffffffffU, "32 fragments: every bit set");
	tap_is(omx_medium_rx_frag(&m, 32, 8192, &off), OMX_MEDIUM_FRAG_BAD,
	       "32 fragments: fragment 32 refused");
	tap_is(omx_medium_rx_frag(&m, 255, 8192, &off), OMX_MEDIUM_FRAG_BAD,
	       "32 fragments: fragment 255 refused");
	tap_is(omx_medium_rx_frag(&m, 5, 100, &off), OMX_MEDIUM_FRAG_BAD,
	       "32 fragments: a duplicate with a wrong length is bad, not duplicate");
}

static void test_one_byte_short(void)
{
	struct omx_medium_rx m;
	uint32_t off = 0;

	memset(&m, 0, sizeof(m));
	tap_ok(!omx_medium_rx_complete(&m), "a zeroed, never initialised state is not complete");

	/* 8193 = 8192 + 1: the 1-byte fragment is all that is missing */
	omx_medium_rx_init(&m, 8193, F9000, NFRAGS);
	tap_is(omx_medium_rx_frag(&m, 0, 8192, &off), OMX_MEDIUM_FRAG_NEW,
	       "8193 bytes: fragment 0");
	tap_ok(!omx_medium_rx_complete(&m), "8193 bytes: not complete one byte short");
	tap_is(omx_medium_rx_frag(&m, 1, 1, &off), OMX_MEDIUM_FRAG_NEW,
	       "8193 bytes: the 1-byte fragment");
	tap_ok(off == 8192 && omx_medium_rx_complete(&m), "8193 bytes: at 8192, complete");
}

static void test_mtu1500(void)
{
	struct omx_medium_rx m;
	uint32_t off = 0, i;
	int offsets_ok = 1;

	/* 46464 = 32 x 1452, every fragment full */
	omx_medium_rx_init(&m, 46464, F1500, NFRAGS);
	tap_is(omx_medium_rx_frag(&m, 31, 1452, &off), OMX_MEDIUM_FRAG_NEW,
	       "MTU 1500: last fragment is a full 1452");
	tap_is(off, 45012, "MTU 1500: last fragment at 31 x 1452");
	for (i = 0; i < 31; i++) {
		if (omx_medium_rx_frag(&m, (uint8_t)i, 1452, &off) != OMX_MEDIUM_FRAG_NEW ||
		    off != i * 1452)
			offsets_ok = 0;
		if (i < 30 && omx_medium_rx_complete(&m))
			offsets_ok = 0;
	}
	tap_ok(offsets_ok, "MTU 1500: fragments 0..30 at i x 1452, not complete early");
	tap_ok(omx_medium_rx_complete(&m), "MTU 1500: complete");
}

int main(void)
{
	test_nfrags();
	test_extent();
	test_init();
	test_single();
	test_reverse_32();
	test_one_byte_short();
	test_mtu1500();
	return tap_done();
}
