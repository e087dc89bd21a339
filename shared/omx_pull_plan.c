// SPDX-License-Identifier: MIT
/*
 * omx_pull_plan.c - see omx_pull_plan.h.
 *
 * Positions are computed as uint64_t: frame_index * R and offset sums of
 * 32-bit wire values cannot wrap there, and the results are range-checked
 * before they are narrowed back to the 32-bit wire fields.  Divisions, on
 * the other hand, are 32-bit only (see omx_pull_div_up()).
 *
 * Compiled into the kernel modules (through a one-line wrapper in a module
 * directory) and into the user-space unit tests.
 */
#include "omx_pull_plan.h"

#define OMX_PULL_REPLY_LENGTH_MAX	0xffffU	/* 16-bit frame_length */
#define OMX_PULL_U32_MAX		0xffffffffU

/*
 * Divisions stay 32-bit so that 32-bit kernels need no 64-bit division
 * helper; R <= 65535 (omx_pull_geom_valid()) keeps the sums below small.
 */

/* ceil(a / r), r > 0 */
static uint32_t omx_pull_div_up(uint32_t a, uint32_t r)
{
	return a / r + (a % r != 0);
}

/* ceil((first + length) / r) for first < r: frames a run of bytes touches */
static uint32_t omx_pull_frames_spanned(uint32_t r, uint32_t first,
					uint32_t length)
{
	/* length % r + first < 2r, so no 32-bit wrap */
	return length / r + omx_pull_div_up(length % r + first, r);
}

int omx_pull_geom_valid(const struct omx_pull_geom *g)
{
	return g->reply_max > 0 && g->reply_max <= OMX_PULL_REPLY_LENGTH_MAX &&
	       g->block_replies > 0 &&
	       g->block_replies <= OMX_PULL_BLOCK_REPLIES_LIMIT;
}

/* ------------------------------------------------------------------------
 * Puller side
 */

void omx_pull_plan_init(struct omx_pull_plan *p, const struct omx_pull_geom *g,
			uint32_t total_length, uint32_t pulled_rdma_offset)
{
	p->g = *g;
	p->total_length = total_length;
	p->offset_mod = omx_pull_geom_valid(g) ?
			pulled_rdma_offset % g->reply_max : 0;
	p->requested = 0;
	p->next_frame = 0;
	p->done_bytes = 0;
}

uint32_t omx_pull_plan_nframes(const struct omx_pull_plan *p)
{
	if (!omx_pull_geom_valid(&p->g) || p->total_length == 0)
		return 0;
	return omx_pull_frames_spanned(p->g.reply_max, p->offset_mod,
				       p->total_length);
}

int omx_pull_plan_next_block(struct omx_pull_plan *p, struct omx_pull_block *b)
{
	uint32_t block_max, first_frame_offset, length, left;

	if (!omx_pull_geom_valid(&p->g) || p->requested >= p->total_length)
		return 0;

	block_max = p->g.reply_max * p->g.block_replies;	/* < 2^22 */
	left = p->total_length - p->requested;
	/*
	 * The first block starts o bytes into frame 0, so that every later
	 * frame, and every later block, starts on the region's R-byte grid.
	 */
	first_frame_offset = p->requested == 0 ? p->offset_mod : 0;
	length = block_max - first_frame_offset;	/* o < R <= block_max */
	if (length > left)
		length = left;

	b->frame_index = p->next_frame;
	b->first_frame_offset = first_frame_offset;
	b->block_length = length;
	b->nframes = omx_pull_frames_spanned(p->g.reply_max, first_frame_offset,
					     length);
	b->received = 0;

	p->requested += length;
	p->next_frame += b->nframes;
	return 1;
}

void omx_pull_frame_extent(const struct omx_pull_plan *p, uint32_t f,
			   uint32_t *msg_offset, uint32_t *length)
{
	uint64_t r = p->g.reply_max;
	uint64_t start = (uint64_t)f * r;
	uint64_t end = start + r;

	/* Frame 0 starts o bytes early, i.e. at message offset 0. */
	start = start >= p->offset_mod ? start - p->offset_mod : 0;
	end -= p->offset_mod;	/* end >= R > o */
	if (end > p->total_length)
		end = p->total_length;
	if (start >= end) {	/* also when R is 0 */
		*msg_offset = p->total_length;
		*length = 0;
		return;
	}
	*msg_offset = (uint32_t)start;
	*length = (uint32_t)(end - start);
}

/* A block claiming more frames than its bitmap holds gets only 64. */
static int omx_pull_block_has_frame(const struct omx_pull_block *b, uint32_t f)
{
	return f >= b->frame_index && f - b->frame_index < b->nframes &&
	       f - b->frame_index < OMX_PULL_BLOCK_REPLIES_LIMIT;
}

enum omx_pull_reply_verdict omx_pull_reply_accept(struct omx_pull_plan *p,
						  struct omx_pull_block *blocks,
						  unsigned nblocks,
						  uint8_t frame_seqnum,
						  uint32_t msg_offset,
						  uint32_t frame_length,
						  unsigned *block_i)
{
	struct omx_pull_block *b = NULL;
	uint32_t f, want_offset, want_length;
	uint64_t bit;
	unsigned i;

	if (!omx_pull_geom_valid(&p->g))
		return OMX_PULL_REPLY_BAD_FRAME;

	/*
	 * Frame f starts at f*R - o with o < R, so ceil(msg_offset / R) is f
	 * for the true start of any frame.  Taking f from msg_offset rather
	 * than from the 8-bit seqnum picks the right frame even when more than
	 * 256 frames are outstanding; the seqnum must then agree with it.
	 */
	f = omx_pull_div_up(msg_offset, p->g.reply_max);
	if ((uint8_t)f != frame_seqnum)
		return OMX_PULL_REPLY_BAD_FRAME;

	for (i = 0; i < nblocks; i++) {
		if (omx_pull_block_has_frame(&blocks[i], f)) {
			b = &blocks[i];
			break;
		}
	}
	if (!b)
		return OMX_PULL_REPLY_NOT_OUTSTANDING;

	omx_pull_frame_extent(p, f, &want_offset, &want_length);
	if (msg_offset != want_offset || frame_length != want_length)
		return OMX_PULL_REPLY_BAD_FRAME;

	*block_i = i;
	bit = (uint64_t)1 << (f - b->frame_index);
	if (b->received & bit)
		return OMX_PULL_REPLY_DUPLICATE;
	b->received |= bit;
	p->done_bytes += frame_length;
	return OMX_PULL_REPLY_NEW;
}

int omx_pull_block_complete(const struct omx_pull_block *b)
{
	uint64_t all = b->nframes >= OMX_PULL_BLOCK_REPLIES_LIMIT ?
		       ~(uint64_t)0 : ((uint64_t)1 << b->nframes) - 1;

	return (b->received & all) == all;
}

int omx_pull_plan_complete(const struct omx_pull_plan *p)
{
	return p->done_bytes == p->total_length;
}

/* ------------------------------------------------------------------------
 * Replier side
 */

int omx_pull_reply_count(const struct omx_pull_geom *g,
			 uint32_t first_frame_offset, uint32_t block_length,
			 uint32_t *nframes)
{
	uint32_t n;

	if (!omx_pull_geom_valid(g))
		return -1;
	if (block_length == 0 || first_frame_offset >= g->reply_max)
		return -1;
	n = omx_pull_frames_spanned(g->reply_max, first_frame_offset,
				    block_length);
	if (n > g->block_replies)
		return -1;
	*nframes = n;
	return 0;
}

int omx_pull_reply_block_offset(const struct omx_pull_geom *g,
				uint32_t pulled_rdma_offset,
				uint32_t frame_index,
				uint32_t first_frame_offset,
				uint32_t block_length, uint32_t *msg_offset)
{
	uint32_t o;
	uint64_t start;

	if (!omx_pull_geom_valid(g))
		return -1;
	o = pulled_rdma_offset % g->reply_max;
	start = (uint64_t)frame_index * g->reply_max + first_frame_offset;
	if (start < o)
		return -1;
	start -= o;
	if (start + block_length > OMX_PULL_U32_MAX)
		return -1;
	*msg_offset = (uint32_t)start;
	return 0;
}

int omx_pull_range_in_region(uint32_t pulled_rdma_offset, uint32_t msg_offset,
			     uint32_t length, uint64_t region_length)
{
	/* Three 32-bit values: the sum cannot wrap 64 bits. */
	return (uint64_t)pulled_rdma_offset + msg_offset + length <=
	       region_length;
}

int omx_pull_request_check(const struct omx_pull_geom *g,
			   uint32_t pulled_rdma_offset, uint32_t frame_index,
			   uint32_t first_frame_offset, uint32_t block_length,
			   uint64_t region_length, uint32_t *nframes)
{
	uint32_t n, msg_offset;

	if (omx_pull_reply_count(g, first_frame_offset, block_length, &n))
		return -1;
	if (omx_pull_reply_block_offset(g, pulled_rdma_offset, frame_index,
					first_frame_offset, block_length,
					&msg_offset))
		return -1;
	if (!omx_pull_range_in_region(pulled_rdma_offset, msg_offset,
				      block_length, region_length))
		return -1;
	*nframes = n;
	return 0;
}

void omx_pull_reply_frame(const struct omx_pull_geom *g,
			  uint32_t pulled_rdma_offset, uint32_t frame_index,
			  uint32_t first_frame_offset, uint32_t block_length,
			  uint32_t i, uint8_t *frame_seqnum,
			  uint32_t *msg_offset, uint32_t *frame_length)
{
	uint64_t r = g->reply_max;
	uint32_t o = r ? pulled_rdma_offset % g->reply_max : 0;
	/* Mod 2^32 on purpose: exact for checked blocks, defined otherwise. */
	uint32_t block_start = frame_index * g->reply_max - o +
			       first_frame_offset;
	uint64_t first = first_frame_offset;
	uint64_t start, end;

	*frame_seqnum = (uint8_t)(frame_index + i);

	/*
	 * On the block's grid (0 = start of its first frame), the data is
	 * [first_frame_offset, first_frame_offset + block_length) and frame i
	 * is [i*R, (i+1)*R): the reply is their intersection.  For a checked
	 * block (first_frame_offset < R) only frame 0 is cut at the front.
	 */
	start = (uint64_t)i * r;
	if (start < first)
		start = first;
	end = ((uint64_t)i + 1) * r;
	if (end > first + block_length)
		end = first + block_length;
	if (start >= end) {
		*msg_offset = block_start + block_length;
		*frame_length = 0;
		return;
	}
	*msg_offset = block_start + (uint32_t)(start - first);
	*frame_length = (uint32_t)(end - start);
}
