// SPDX-License-Identifier: MIT
/*
 * test_omx_pull_plan.c - unit tests of shared/omx_pull_plan.{h,c}: the
 * large-message pull arithmetic of both sides (wire reference 6.6).
 *
 * Frame and block numbers below are worked out by hand in the comments
 * (R = 8968 and N = 32 at MTU 9000, R = 1468 at MTU 1500).  An end-to-end
 * part then drives the puller and the replier against each other over many
 * geometries, lengths and offsets, with reordering, loss, late copies and
 * retransmissions, and checks that every message byte is written exactly
 * once.
 */
#include <stdint.h>
#include <string.h>

#include "omx_pull_plan.h"
#include "tap.h"

#define R9000	8968
#define R1500	1468
#define MIB16	(16U * 1024 * 1024)

static const struct omx_pull_geom g9000 = { R9000, 32 };
static const struct omx_pull_geom g1500 = { R1500, 32 };

/* ------------------------------------------------------------------------
 * Geometry
 */

static void test_geom(void)
{
	static const struct omx_pull_geom zero_r = { 0, 32 }, zero_n = { R9000, 0 },
		n65 = { R9000, 65 }, n64 = { R9000, 64 }, r16 = { 65535, 64 },
		r17 = { 65536, 1 };

	tap_ok(omx_pull_geom_valid(&g9000), "geom: MTU 9000 valid");
	tap_ok(omx_pull_geom_valid(&g1500), "geom: MTU 1500 valid");
	tap_ok(omx_pull_geom_valid(&n64), "geom: N = 64 valid");
	tap_ok(omx_pull_geom_valid(&r16), "geom: R = 65535 valid");
	tap_ok(!omx_pull_geom_valid(&zero_r), "geom: R = 0 invalid");
	tap_ok(!omx_pull_geom_valid(&zero_n), "geom: N = 0 invalid");
	tap_ok(!omx_pull_geom_valid(&n65), "geom: N = 65 invalid (64-bit bitmap)");
	tap_ok(!omx_pull_geom_valid(&r17), "geom: R = 65536 invalid (16-bit frame_length)");
}

/* ------------------------------------------------------------------------
 * Puller: frames and blocks
 */

struct extent {
	uint32_t off, len;
};

static void check_frames(const char *what, const struct omx_pull_plan *p,
			 const struct extent *want, unsigned n)
{
	uint32_t off, len;
	unsigned f;

	tap_is(omx_pull_plan_nframes(p), n, "%s: %u frames", what, n);
	for (f = 0; f < n; f++) {
		omx_pull_frame_extent(p, f, &off, &len);
		tap_ok(off == want[f].off && len == want[f].len,
		       "%s: frame %u is (%u, %u)", what, f, want[f].off, want[f].len);
		if (off != want[f].off || len != want[f].len)
			printf("#   got (%u, %u)\n", off, len);
	}
	omx_pull_frame_extent(p, n, &off, &len);
	tap_ok(off == p->total_length && len == 0, "%s: frame %u is past the end", what, n);
}

static void check_block(const char *what, const struct omx_pull_block *b,
			uint32_t fi, uint32_t ffo, uint32_t len, uint32_t nf)
{
	tap_ok(b->frame_index == fi && b->first_frame_offset == ffo &&
	       b->block_length == len && b->nframes == nf && b->received == 0,
	       "%s: block {frame %u, first offset %u, %u bytes, %u frames}",
	       what, fi, ffo, len, nf);
	if (b->frame_index != fi || b->first_frame_offset != ffo ||
	    b->block_length != len || b->nframes != nf)
		printf("#   got {%u, %u, %u, %u}\n", b->frame_index,
		       b->first_frame_offset, b->block_length, b->nframes);
}

static void test_20000(void)
{
	/* 20000 = 8968 + 8968 + 2064 */
	static const struct extent o0[] = { { 0, 8968 }, { 8968, 8968 }, { 17936, 2064 } };
	/* o = 100: frame 0 is 8968 - 100 = 8868, then 8968, then 20000 - 17836 = 2164 */
	static const struct extent o100[] = { { 0, 8868 }, { 8868, 8968 }, { 17836, 2164 } };
	/* MTU 1500, 3000 = 1468 + 1468 + 64 */
	static const struct extent m1500[] = { { 0, 1468 }, { 1468, 1468 }, { 2936, 64 } };
	struct omx_pull_plan p;
	struct omx_pull_block b, untouched;

	omx_pull_plan_init(&p, &g9000, 20000, 0);
	check_frames("20000 @0", &p, o0, 3);
	tap_is(omx_pull_plan_next_block(&p, &b), 1, "20000 @0: a block");
	check_block("20000 @0", &b, 0, 0, 20000, 3);
	memset(&untouched, 0x5a, sizeof(untouched));
	b = untouched;
	tap_is(omx_pull_plan_next_block(&p, &b), 0, "20000 @0: one block only");
	tap_ok(!memcmp(&b, &untouched, sizeof(b)), "20000 @0: no block left untouched");

	omx_pull_plan_init(&p, &g9000, 20000, 100);
	tap_is(p.offset_mod, 100, "20000 @100: o = 100");
	check_frames("20000 @100", &p, o100, 3);
	omx_pull_plan_next_block(&p, &b);
	check_block("20000 @100", &b, 0, 100, 20000, 3);

	/* 9068 = 8968 + 100: the same grid as offset 100 */
	omx_pull_plan_init(&p, &g9000, 20000, 9068);
	tap_is(p.offset_mod, 100, "20000 @9068: o = 100");
	check_frames("20000 @9068", &p, o100, 3);

	omx_pull_plan_init(&p, &g1500, 3000, 0);
	check_frames("3000 @0 MTU 1500", &p, m1500, 3);
}

static void test_zero(void)
{
	struct omx_pull_plan p;
	struct omx_pull_block b;

	omx_pull_plan_init(&p, &g9000, 0, 100);
	tap_is(omx_pull_plan_nframes(&p), 0, "0 bytes: no frame");
	tap_is(omx_pull_plan_next_block(&p, &b), 0, "0 bytes: no block");
	tap_ok(omx_pull_plan_complete(&p), "0 bytes: complete at once");
}

/*
 * 16 MiB at offset 0: blocks of R*N = 286976 bytes, 16777216 = 58 x 286976
 * + 132608, so 59 blocks, the last one at frame 58 x 32 = 1856 with
 * ceil(132608 / 8968) = 15 frames; 1871 frames, the last one
 * 16777216 - 1870 x 8968 = 7056 bytes.
 * At offset 100: first block 286876, then 57 full ones and
 * 16777216 - 286876 - 57 x 286976 = 132708; still 59 blocks and 1871
 * frames, the last one 7156 bytes.
 */
static void test_16mib_blocks(uint32_t offset, uint32_t last_len,
			      uint32_t last_frame_len)
{
	struct omx_pull_plan p;
	struct omx_pull_block b;
	uint32_t k = 0, off, len;
	int middle_ok = 1;
	char what[32];

	snprintf(what, sizeof(what), "16 MiB @%u", offset);
	omx_pull_plan_init(&p, &g9000, MIB16, offset);
	tap_is(omx_pull_plan_nframes(&p), 1871, "%s: 1871 frames", what);
	while (omx_pull_plan_next_block(&p, &b)) {
		if (k == 0)
			check_block(what, &b, 0, offset, 286976 - offset, 32);
		else if (k == 58)
			check_block(what, &b, 1856, 0, last_len, 15);
		else if (b.frame_index != 32 * k || b.first_frame_offset != 0 ||
			 b.block_length != 286976 || b.nframes != 32)
			middle_ok = 0;
		k++;
	}
	tap_ok(middle_ok, "%s: blocks 1..57 are {32k, 0, 286976, 32}", what);
	tap_is(k, 59, "%s: 59 blocks", what);
	tap_ok(p.requested == MIB16 && p.next_frame == 1871,
	       "%s: everything requested, 1871 frames", what);
	omx_pull_frame_extent(&p, 1870, &off, &len);
	tap_ok(off == MIB16 - last_frame_len && len == last_frame_len,
	       "%s: last frame is the last %u bytes", what, last_frame_len);
}

/*
 * Just under 4 GiB at offset 8967 (o = R - 1): frame 0 is 1 byte, frame f
 * starts at f*8968 - 8967.  ceil((2^32 - 1 + 8967) / 8968) = 478923 frames;
 * the last, 478922, starts at 4294963529 and is 3766 bytes.  Blocks: one of
 * 286976 - 8967, then ceil((2^32 - 1 - 278009) / 286976) = 14966 more.
 */
static void test_4gib(void)
{
	struct omx_pull_plan p;
	struct omx_pull_block b, last = { 0 };
	uint64_t sum = 0;
	uint32_t k = 0, off, len;
	unsigned bi = 99;

	omx_pull_plan_init(&p, &g9000, 0xffffffffU, 8967);
	tap_is(omx_pull_plan_nframes(&p), 478923, "4 GiB @8967: 478923 frames");
	omx_pull_frame_extent(&p, 0, &off, &len);
	tap_ok(off == 0 && len == 1, "4 GiB @8967: frame 0 is 1 byte");
	omx_pull_frame_extent(&p, 1, &off, &len);
	tap_ok(off == 1 && len == 8968, "4 GiB @8967: frame 1 is (1, 8968)");
	omx_pull_frame_extent(&p, 478922, &off, &len);
	tap_ok(off == 4294963529U && len == 3766, "4 GiB @8967: last frame (4294963529, 3766)");
	omx_pull_frame_extent(&p, 0xffffffffU, &off, &len);
	tap_ok(off == 0xffffffffU && len == 0, "4 GiB @8967: frame 2^32 - 1 is past the end");

	while (omx_pull_plan_next_block(&p, &b)) {
		sum += b.block_length;
		last = b;
		k++;
	}
	tap_is(k, 14967, "4 GiB @8967: 14967 blocks");
	tap_is(sum, 0xffffffffU, "4 GiB @8967: block lengths add up to X");
	tap_ok(last.frame_index + last.nframes == 478923,
	       "4 GiB @8967: the last block ends on the last frame");

	/* 478922 mod 256 = 202; ceil(4294963529 / 8968) must not wrap. */
	tap_is(omx_pull_reply_accept(&p, &last, 1, 202, 4294963529U, 3766, &bi),
	       OMX_PULL_REPLY_NEW, "4 GiB @8967: last frame accepted");
	tap_is(p.done_bytes, 3766, "4 GiB @8967: its bytes counted");
}

/* ------------------------------------------------------------------------
 * Puller: classifying replies
 */

/* Accept every frame of blocks[slot], as the replier would send them. */
static void fill_block(struct omx_pull_plan *p, struct omx_pull_block *blocks,
		       unsigned n, unsigned slot)
{
	struct omx_pull_block *b = &blocks[slot];
	uint32_t i, off, len;
	unsigned bi;

	for (i = 0; i < b->nframes; i++) {
		omx_pull_frame_extent(p, b->frame_index + i, &off, &len);
		omx_pull_reply_accept(p, blocks, n, (uint8_t)(b->frame_index + i),
				      off, len, &bi);
	}
}

static void check_reply(struct omx_pull_plan *p, struct omx_pull_block *blocks,
			uint8_t seq, uint32_t off, uint32_t len,
			enum omx_pull_reply_verdict want, unsigned want_block,
			const char *what)
{
	unsigned bi = 99;
	enum omx_pull_reply_verdict got =
		omx_pull_reply_accept(p, blocks, OMX_PULL_BLOCKS_MAX, seq, off, len, &bi);
	int block_ok = (want == OMX_PULL_REPLY_NEW || want == OMX_PULL_REPLY_DUPLICATE) ?
		       bi == want_block : bi == 99;

	tap_ok(got == want && block_ok, "reply seq %u (%u, %u): %s", seq, off, len, what);
	if (got != want || !block_ok)
		printf("#   got verdict %d block %u, want %d block %u\n",
		       got, bi, want, want_block);
}

static void test_accept(void)
{
	struct omx_pull_plan p;
	struct omx_pull_block blk[OMX_PULL_BLOCKS_MAX];
	uint32_t done;
	unsigned i;

	/* 16 MiB at 0, blocks 0..3 = frames 0..127 */
	omx_pull_plan_init(&p, &g9000, MIB16, 0);
	for (i = 0; i < OMX_PULL_BLOCKS_MAX; i++)
		omx_pull_plan_next_block(&p, &blk[i]);

	/* frame 33 = 33 x 8968 = 295944, in block 1 */
	check_reply(&p, blk, 33, 295944, 8968, OMX_PULL_REPLY_NEW, 1, "frame 33, block 1");
	tap_is(p.done_bytes, 8968, "frame 33 counted");
	tap_is(blk[1].received, 2, "frame 33 is bit 1 of block 1");
	check_reply(&p, blk, 33, 295944, 8968, OMX_PULL_REPLY_DUPLICATE, 1, "frame 33 again");
	tap_is(p.done_bytes, 8968, "a duplicate is not counted");
	check_reply(&p, blk, 0, 0, 8968, OMX_PULL_REPLY_NEW, 0, "frame 0, out of order");
	check_reply(&p, blk, 127, 127 * 8968, 8968, OMX_PULL_REPLY_NEW, 3,
		    "frame 127, last of block 3");
	check_reply(&p, blk, 128, 128 * 8968, 8968, OMX_PULL_REPLY_NOT_OUTSTANDING,
		    0, "frame 128, not requested yet");
	check_reply(&p, blk, 32, 295944, 8968, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "frame 33's offset with seqnum 32");
	/* ceil(295945 / 8968) = 34: seqnum agrees, but frame 34 starts at 304912 */
	check_reply(&p, blk, 34, 295945, 8968, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "offset one past frame 33");
	/* ceil(295943 / 8968) = 33, but frame 33 starts at 295944 */
	check_reply(&p, blk, 33, 295943, 8968, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "offset one before frame 33");
	check_reply(&p, blk, 34, 304912, 8967, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "frame 34 one byte short");
	check_reply(&p, blk, 34, 304912, 8969, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "frame 34 one byte long");
	check_reply(&p, blk, 34, 304912, 0, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "frame 34 empty");
	check_reply(&p, blk, 33, 295944, 8000, OMX_PULL_REPLY_BAD_FRAME, 0,
		    "received frame 33 with a wrong length: bad, not duplicate");
	tap_is(p.done_bytes, 3 * 8968, "bad replies are not counted");
	tap_is(blk[1].received, 2, "bad replies mark nothing");

	/*
	 * Slide the window: block 0 completes and is replaced by block 4
	 * (frames 128..159), then blocks 1..3 by 5..7 (frames 160..255), then
	 * block 4 by block 8 (frames 256..287, seqnums 0..31).
	 */
	fill_block(&p, blk, OMX_PULL_BLOCKS_MAX, 0);
	tap_ok(omx_pull_block_complete(&blk[0]), "block 0 complete");
	tap_ok(!omx_pull_block_complete(&blk[1]), "block 1 not complete");
	omx_pull_plan_next_block(&p, &blk[0]);
	check_block("window", &blk[0], 128, 0, 286976, 32);
	check_reply(&p, blk, 128, 128 * 8968, 8968, OMX_PULL_REPLY_NEW, 0,
		    "frame 128, now in slot 0");
	for (i = 1; i < 4; i++) {
		fill_block(&p, blk, OMX_PULL_BLOCKS_MAX, i);
		omx_pull_plan_next_block(&p, &blk[i]);
	}
	fill_block(&p, blk, OMX_PULL_BLOCKS_MAX, 0);
	omx_pull_plan_next_block(&p, &blk[0]);
	check_block("window", &blk[0], 256, 0, 286976, 32);
	done = p.done_bytes;
	tap_is(done, 160 * 8968, "frames 0..159 counted once each");

	/* outstanding now: blocks 8, 5, 6, 7 = frames 256..287, 160..255 */
	check_reply(&p, blk, 0, 2295808, 8968, OMX_PULL_REPLY_NEW, 0,
		    "frame 256 (seqnum 0, 256 x 8968) after the wrap");
	check_reply(&p, blk, 0, 0, 8968, OMX_PULL_REPLY_NOT_OUTSTANDING, 0,
		    "a late frame 0 (seqnum 0) does not alias frame 256");
	check_reply(&p, blk, 255, 255 * 8968, 8968, OMX_PULL_REPLY_NEW, 3,
		    "frame 255 (seqnum 255) still in block 7");
	check_reply(&p, blk, 159, 159 * 8968, 8968, OMX_PULL_REPLY_NOT_OUTSTANDING, 0,
		    "a late frame 159 after its block completed");
	check_reply(&p, blk, 31, 287 * 8968, 8968, OMX_PULL_REPLY_NEW, 0,
		    "frame 287 (seqnum 31), last of block 8");
	tap_is(p.done_bytes, done + 3 * 8968, "only the three new frames counted");
}

static void test_accept_last_and_offset(void)
{
	struct omx_pull_plan p;
	struct omx_pull_block blk[OMX_PULL_BLOCKS_MAX];
	unsigned bi;

	/* 20000 @100: frames (0, 8868), (8868, 8968), (17836, 2164) */
	omx_pull_plan_init(&p, &g9000, 20000, 100);
	omx_pull_plan_next_block(&p, &blk[0]);
	tap_is(omx_pull_reply_accept(&p, blk, 1, 1, 8868, 8968, &bi), OMX_PULL_REPLY_NEW,
	       "20000 @100: frame 1 at 8868");
	tap_is(omx_pull_reply_accept(&p, blk, 1, 0, 0, 8968, &bi), OMX_PULL_REPLY_BAD_FRAME,
	       "20000 @100: frame 0 with a full R is too long");
	tap_is(omx_pull_reply_accept(&p, blk, 1, 2, 17836, 2165, &bi), OMX_PULL_REPLY_BAD_FRAME,
	       "20000 @100: last frame one byte past X");
	tap_is(omx_pull_reply_accept(&p, blk, 1, 3, 26804, 1, &bi),
	       OMX_PULL_REPLY_NOT_OUTSTANDING, "20000 @100: a frame 3 that does not exist");
	tap_ok(!omx_pull_plan_complete(&p), "20000 @100: not complete with frame 1 only");
	tap_is(omx_pull_reply_accept(&p, blk, 1, 2, 17836, 2164, &bi), OMX_PULL_REPLY_NEW,
	       "20000 @100: last frame");
	tap_is(omx_pull_reply_accept(&p, blk, 1, 0, 0, 8868, &bi), OMX_PULL_REPLY_NEW,
	       "20000 @100: frame 0 last");
	tap_ok(omx_pull_block_complete(&blk[0]), "20000 @100: block complete");
	tap_ok(omx_pull_plan_complete(&p), "20000 @100: plan complete");
	tap_is(omx_pull_reply_accept(&p, blk, 0, 0, 0, 8868, &bi),
	       OMX_PULL_REPLY_NOT_OUTSTANDING, "no outstanding block at all");
}

static void test_block_complete_64(void)
{
	static const struct omx_pull_geom g64 = { R9000, 64 };
	struct omx_pull_plan p;
	struct omx_pull_block b;
	unsigned bi;

	omx_pull_plan_init(&p, &g64, MIB16, 0);
	omx_pull_plan_next_block(&p, &b);
	tap_is(b.nframes, 64, "N = 64: 64 frames per block");
	b.received = ~(uint64_t)0 >> 1;
	tap_ok(!omx_pull_block_complete(&b), "N = 64: bit 63 missing");
	b.received = ~(uint64_t)0;
	tap_ok(omx_pull_block_complete(&b), "N = 64: all 64 bits");
	/* a caller-made block claiming 100 frames: only 64 are trackable */
	b.nframes = 100;
	b.received = 0;
	tap_is(omx_pull_reply_accept(&p, &b, 1, 70, 70 * 8968, 8968, &bi),
	       OMX_PULL_REPLY_NOT_OUTSTANDING, "100-frame block: frame 70 not trackable");
	tap_is(omx_pull_reply_accept(&p, &b, 1, 63, 63 * 8968, 8968, &bi),
	       OMX_PULL_REPLY_NEW, "100-frame block: frame 63 is");
	b.nframes = 15;
	b.received = 0x3fff;
	tap_ok(!omx_pull_block_complete(&b), "15 frames: bit 14 missing");
	b.received = 0x7fff;
	tap_ok(omx_pull_block_complete(&b), "15 frames: all 15 bits");
}

static void test_invalid_geom(void)
{
	static const struct omx_pull_geom bad = { 0, 32 };
	struct omx_pull_plan p;
	struct omx_pull_block b = { 0, 0, 100, 1, 0 };
	uint32_t off, len, n = 77;
	uint8_t seq;
	unsigned bi;

	omx_pull_plan_init(&p, &bad, 100, 7);
	tap_is(omx_pull_plan_nframes(&p), 0, "R = 0: no frames");
	tap_is(omx_pull_plan_next_block(&p, &b), 0, "R = 0: no block");
	omx_pull_frame_extent(&p, 0, &off, &len);
	tap_is(len, 0, "R = 0: empty frame");
	tap_is(omx_pull_reply_accept(&p, &b, 1, 0, 0, 100, &bi), OMX_PULL_REPLY_BAD_FRAME,
	       "R = 0: every reply bad");
	tap_is(omx_pull_reply_count(&bad, 0, 100, &n), -1, "R = 0: PULL refused");
	tap_is(omx_pull_reply_block_offset(&bad, 0, 0, 0, 100, &off), -1,
	       "R = 0: no block offset");
	omx_pull_reply_frame(&bad, 7, 0, 0, 100, 0, &seq, &off, &len);
	tap_is(len, 0, "R = 0: empty reply frame, no division by zero");
}

/* ------------------------------------------------------------------------
 * Replier
 */

static void check_count(const struct omx_pull_geom *g, uint32_t ffo, uint32_t len,
			int want, uint32_t want_n)
{
	uint32_t n = 0xdeadbeef;
	int got = omx_pull_reply_count(g, ffo, len, &n);

	tap_ok(got == want && n == (want ? 0xdeadbeef : want_n),
	       "reply_count(R %u, first offset %u, %u bytes) = %d, %u frames",
	       g->reply_max, ffo, len, want, want_n);
	if (got != want)
		printf("#   got %d, %u\n", got, n);
}

static void test_reply_count(void)
{
	check_count(&g9000, 0, 20000, 0, 3);
	check_count(&g9000, 100, 20000, 0, 3);	/* ceil(20100 / 8968) */
	check_count(&g9000, 0, 286976, 0, 32);
	check_count(&g9000, 0, 286977, -1, 0);
	check_count(&g9000, 100, 286876, 0, 32);
	check_count(&g9000, 100, 286877, -1, 0);
	check_count(&g9000, 8967, 1, 0, 1);
	check_count(&g9000, 8967, 2, 0, 2);
	check_count(&g9000, 0, 0, -1, 0);		/* nothing asked */
	check_count(&g9000, 8968, 1, -1, 0);	/* frame 0 has no room */
	check_count(&g9000, 0xffffffffU, 0xffffffffU, -1, 0);
	check_count(&g9000, 0, 0xffffffffU, -1, 0);
	check_count(&g1500, 0, 46976, 0, 32);	/* 32 x 1468 */
	check_count(&g1500, 0, 46977, -1, 0);
}

static void check_block_offset(uint32_t pulled, uint32_t fi, uint32_t ffo,
			       uint32_t len, int want, uint32_t want_off,
			       const char *what)
{
	uint32_t off = 0xdeadbeef;
	int got = omx_pull_reply_block_offset(&g9000, pulled, fi, ffo, len, &off);

	tap_ok(got == want && off == (want ? 0xdeadbeef : want_off),
	       "block offset (@%u, frame %u, first offset %u, %u bytes): %s",
	       pulled, fi, ffo, len, what);
	if (got != want || off != (want ? 0xdeadbeef : want_off))
		printf("#   got %d, %u\n", got, off);
}

static void test_block_offset(void)
{
	check_block_offset(100, 0, 100, 20000, 0, 0, "first block starts at 0");
	check_block_offset(100, 1, 0, 8968, 0, 8868, "frame 1 at 8968 - 100");
	check_block_offset(9068, 1, 0, 8968, 0, 8868, "only pulled offset mod R counts");
	check_block_offset(100, 0, 0, 1, -1, 0, "would start at -100");
	check_block_offset(100, 0, 99, 1, -1, 0, "would start at -1");
	check_block_offset(100, 0, 101, 1, 0, 1, "starts at 1");
	/* 478921 x 8968 = 4294963528; 2^32 - 1 - 4294963528 = 3767 */
	check_block_offset(0, 478921, 0, 3767, 0, 4294963528U, "ends at 2^32 - 1");
	check_block_offset(0, 478921, 0, 3768, -1, 0, "ends at 2^32");
	check_block_offset(0, 0xffffffffU, 0, 1, -1, 0, "frame_index x R beyond 32 bits");
	check_block_offset(0, 478922, 0, 1, -1, 0, "starts past 2^32 - 1");
}

static void test_in_region(void)
{
	tap_ok(omx_pull_range_in_region(0, 0, 0, 0), "region: nothing in nothing");
	tap_ok(!omx_pull_range_in_region(1, 0, 0, 0), "region: offset 1 of an empty region");
	tap_ok(omx_pull_range_in_region(100, 0, 20000, 20100), "region: exactly fits");
	tap_ok(!omx_pull_range_in_region(100, 0, 20000, 20099), "region: one byte over");
	tap_ok(omx_pull_range_in_region(100, 17836, 2164, 20100), "region: last frame fits");
	tap_ok(!omx_pull_range_in_region(100, 17837, 2164, 20100), "region: shifted one over");
	/* 3 x (2^32 - 1) = 0x2fffffffd: the sum must not wrap */
	tap_ok(omx_pull_range_in_region(0xffffffffU, 0xffffffffU, 0xffffffffU,
					0x2fffffffdULL), "region: three maxima fit");
	tap_ok(!omx_pull_range_in_region(0xffffffffU, 0xffffffffU, 0xffffffffU,
					 0x2fffffffcULL), "region: three maxima, one over");
}

static void test_request_check(void)
{
	uint32_t n = 0xdeadbeef;

	tap_ok(omx_pull_request_check(&g9000, 100, 0, 100, 20000, 20100, &n) == 0 && n == 3,
	       "request: 20000 @100 in a 20100-byte region, 3 frames");
	n = 0xdeadbeef;
	tap_ok(omx_pull_request_check(&g9000, 100, 0, 100, 20000, 20099, &n) == -1 &&
	       n == 0xdeadbeef, "request: region one byte short");
	tap_ok(omx_pull_request_check(&g9000, 100, 0, 100, 0, 20100, &n) == -1,
	       "request: 0 bytes");
	tap_ok(omx_pull_request_check(&g9000, 100, 0, 0, 20000, 1 << 20, &n) == -1,
	       "request: starts before the message");
	tap_ok(omx_pull_request_check(&g9000, 0, 0, 0, 286977, 1 << 20, &n) == -1,
	       "request: 33 frames");
	tap_ok(omx_pull_request_check(&g9000, 0, 0xffffffffU, 0, 1, ~(uint64_t)0, &n) == -1,
	       "request: frame_index past 4 GiB, even in a huge region");
}

static void check_frame(const struct omx_pull_geom *g, uint32_t pulled,
			uint32_t fi, uint32_t ffo, uint32_t len, uint32_t i,
			uint8_t want_seq, uint32_t want_off, uint32_t want_len)
{
	uint8_t seq = 0xee;
	uint32_t off = 0xdeadbeef, flen = 0xdeadbeef;

	omx_pull_reply_frame(g, pulled, fi, ffo, len, i, &seq, &off, &flen);
	if (want_len == 0) {
		tap_ok(flen == 0, "reply %u of {@%u, frame %u, %u, %u}: empty",
		       i, pulled, fi, ffo, len);
		return;
	}
	tap_ok(seq == want_seq && off == want_off && flen == want_len,
	       "reply %u of {@%u, frame %u, %u, %u}: seq %u (%u, %u)",
	       i, pulled, fi, ffo, len, want_seq, want_off, want_len);
	if (seq != want_seq || off != want_off || flen != want_len)
		printf("#   got seq %u (%u, %u)\n", seq, off, flen);
}

static void test_reply_frame(void)
{
	/* the 20000-byte examples, as the replier sends them */
	check_frame(&g9000, 0, 0, 0, 20000, 0, 0, 0, 8968);
	check_frame(&g9000, 0, 0, 0, 20000, 1, 1, 8968, 8968);
	check_frame(&g9000, 0, 0, 0, 20000, 2, 2, 17936, 2064);
	check_frame(&g9000, 0, 0, 0, 20000, 3, 0, 0, 0);
	check_frame(&g9000, 100, 0, 100, 20000, 0, 0, 0, 8868);
	check_frame(&g9000, 100, 0, 100, 20000, 1, 1, 8868, 8968);
	check_frame(&g9000, 100, 0, 100, 20000, 2, 2, 17836, 2164);
	/* 16 MiB: last block {1856, 0, 132608}, reply 14 is frame 1870 = seq 78 */
	check_frame(&g9000, 0, 1856, 0, 132608, 14, 78, 16770160, 7056);
	check_frame(&g9000, 0, 1856, 0, 132608, 15, 0, 0, 0);
	/* at offset 100 the block starts at 1856 x 8968 - 100 = 16644508 */
	check_frame(&g9000, 100, 1856, 0, 132708, 0, 64, 16644508, 8968);
	check_frame(&g9000, 100, 1856, 0, 132708, 14, 78, 16770060, 7156);
	/* a block shorter than its first frame */
	check_frame(&g9000, 100, 0, 100, 50, 0, 0, 0, 50);
	check_frame(&g9000, 100, 0, 100, 50, 1, 0, 0, 0);
	/* seqnum wraps within a block: frames 250..281 */
	check_frame(&g9000, 0, 250, 0, 286976, 5, 255, 255 * 8968, 8968);
	check_frame(&g9000, 0, 250, 0, 286976, 6, 0, 256 * 8968, 8968);
	/* unchecked nonsense: first offset beyond R leaves frame 0 empty */
	check_frame(&g9000, 0, 0, 20000, 100, 0, 0, 0, 0);
	check_frame(&g1500, 0, 0, 0, 3000, 2, 2, 2936, 64);
}

/* ------------------------------------------------------------------------
 * Both sides together
 */

#define SIM_MAX_BYTES	MIB16
#define SIM_MAX_PENDING	(OMX_PULL_BLOCKS_MAX * OMX_PULL_BLOCK_REPLIES_LIMIT)

static uint8_t sim_written[SIM_MAX_BYTES];
static uint32_t sim_rand_state = 12345;

static uint32_t sim_rand(void)
{
	sim_rand_state = sim_rand_state * 1103515245U + 12345U;
	return sim_rand_state >> 8;
}

struct sim_reply {
	uint8_t seq;
	uint32_t off, len;
};

/*
 * One transfer: the puller keeps up to 4 blocks outstanding; each round
 * the replier answers every outstanding block in full (a first request or a
 * re-request), the replies arrive shuffled, a third of them are lost and
 * some of the lost ones arrive one round late, after the window moved.
 * Every byte must be written exactly once, and no honest reply may be
 * judged bad.
 */
static void sim_transfer(const struct omx_pull_geom *g, uint32_t x, uint32_t pulled)
{
	struct omx_pull_plan p;
	struct omx_pull_block blk[OMX_PULL_BLOCKS_MAX];
	int active[OMX_PULL_BLOCKS_MAX] = { 0 };
	static struct sim_reply now[SIM_MAX_PENDING], late[SIM_MAX_PENDING];
	unsigned nnow, nlate = 0, s, rounds = 0, bad = 0, rejected_requests = 0;
	unsigned overlaps = 0, holes = 0, new_frames = 0;
	uint64_t region = (uint64_t)pulled + x;
	uint32_t i;

	memset(sim_written, 0, x);
	omx_pull_plan_init(&p, g, x, pulled);

	while (rounds++ < 100000) {
		int any = 0;

		/* keep 4 blocks outstanding */
		for (s = 0; s < OMX_PULL_BLOCKS_MAX; s++) {
			if (active[s] && omx_pull_block_complete(&blk[s]))
				active[s] = 0;
			if (!active[s])
				active[s] = omx_pull_plan_next_block(&p, &blk[s]);
			any |= active[s];
		}
		if (!any)
			break;

		/* stale copies from the last round arrive first */
		for (i = 0; i < nlate; i++) {
			unsigned bi;
			enum omx_pull_reply_verdict v = omx_pull_reply_accept(
				&p, blk, OMX_PULL_BLOCKS_MAX, late[i].seq,
				late[i].off, late[i].len, &bi);

			if (v == OMX_PULL_REPLY_BAD_FRAME)
				bad++;
			if (v == OMX_PULL_REPLY_NEW) {
				uint32_t j;

				new_frames++;
				for (j = 0; j < late[i].len; j++)
					overlaps += sim_written[late[i].off + j]++ != 0;
			}
		}
		nlate = 0;

		/* the replier answers each outstanding block, as requested */
		nnow = 0;
		for (s = 0; s < OMX_PULL_BLOCKS_MAX; s++) {
			uint32_t n;

			if (!active[s])
				continue;
			if (omx_pull_request_check(g, pulled, blk[s].frame_index,
						   blk[s].first_frame_offset,
						   blk[s].block_length, region, &n) ||
			    n != blk[s].nframes) {
				rejected_requests++;
				continue;
			}
			for (i = 0; i < n; i++) {
				struct sim_reply *r = &now[nnow++];

				omx_pull_reply_frame(g, pulled, blk[s].frame_index,
						     blk[s].first_frame_offset,
						     blk[s].block_length, i,
						     &r->seq, &r->off, &r->len);
			}
		}
		/* shuffle, lose a third, delay some of the lost */
		for (i = nnow; i > 1; i--) {
			uint32_t j = sim_rand() % i;
			struct sim_reply t = now[i - 1];

			now[i - 1] = now[j];
			now[j] = t;
		}
		for (i = 0; i < nnow; i++) {
			unsigned bi;
			enum omx_pull_reply_verdict v;

			if (sim_rand() % 3 == 0) {
				if (sim_rand() % 2)
					late[nlate++] = now[i];
				continue;
			}
			v = omx_pull_reply_accept(&p, blk, OMX_PULL_BLOCKS_MAX,
						  now[i].seq, now[i].off,
						  now[i].len, &bi);
			if (v == OMX_PULL_REPLY_BAD_FRAME ||
			    v == OMX_PULL_REPLY_NOT_OUTSTANDING)
				bad++;
			if (v == OMX_PULL_REPLY_NEW) {
				uint32_t j;

				new_frames++;
				for (j = 0; j < now[i].len; j++)
					overlaps += sim_written[now[i].off + j]++ != 0;
			}
		}
	}
	for (i = 0; i < x; i++)
		holes += sim_written[i] == 0;

	tap_ok(omx_pull_plan_complete(&p) && overlaps == 0 && holes == 0 && bad == 0 &&
	       rejected_requests == 0 && new_frames == omx_pull_plan_nframes(&p),
	       "end to end: R %u N %u, %u bytes @%u: %u frames, each byte once",
	       g->reply_max, g->block_replies, x, pulled, new_frames);
	if (!omx_pull_plan_complete(&p) || overlaps || holes || bad || rejected_requests)
		printf("#   done %u/%u, overlaps %u, holes %u, bad %u, refused PULLs %u, "
		       "frames %u/%u, rounds %u\n", p.done_bytes, x, overlaps, holes,
		       bad, rejected_requests, new_frames, omx_pull_plan_nframes(&p),
		       rounds);
}

static void test_end_to_end(void)
{
	static const struct omx_pull_geom geoms[] = {
		{ R9000, 32 }, { R1500, 32 }, { 4096, 8 }, { R9000, 64 }, { 7, 3 },
	};
	static const uint32_t offsets[] = { 0, 1, 100, 8967, 8968, 9068, 65535 };
	unsigned gi, oi, li;

	for (gi = 0; gi < sizeof(geoms) / sizeof(geoms[0]); gi++) {
		const struct omx_pull_geom *g = &geoms[gi];
		uint32_t r = g->reply_max, b = r * g->block_replies;
		/* around frame and block boundaries, and a long one */
		const uint32_t lengths[] = {
			1, r - 1, r, r + 1, b - 1, b, b + 1, 4 * b + r / 2, 9 * b - 1,
			g->reply_max > 100 ? 3000000 : 2000,
		};

		for (oi = 0; oi < sizeof(offsets) / sizeof(offsets[0]); oi++)
			for (li = 0; li < sizeof(lengths) / sizeof(lengths[0]); li++)
				sim_transfer(g, lengths[li], offsets[oi]);
	}
	sim_transfer(&g9000, MIB16, 0);
	sim_transfer(&g9000, MIB16, 100);
	sim_transfer(&g1500, MIB16, 1467);
}

int main(void)
{
	test_geom();
	test_20000();
	test_zero();
	test_16mib_blocks(0, 132608, 7056);
	test_16mib_blocks(100, 132708, 7156);
	test_4gib();
	test_accept();
	test_accept_last_and_offset();
	test_block_complete_64();
	test_invalid_geom();
	test_reply_count();
	test_block_offset();
	test_in_region();
	test_request_check();
	test_reply_frame();
	test_end_to_end();
	return tap_done();
}
