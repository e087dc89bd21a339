/* SPDX-License-Identifier: MIT */
/*
 * omx_pull_plan.h - large-message pull arithmetic, both sides (6.6 of the
 * project's Open-MX wire reference, openmx-wire.md, steps 3 to 5).
 *
 * Geometry: R = PULL_REPLY payload (8968 at MTU 9000, 1468 at MTU 1500),
 * N = PULL_REPLY frames per PULL block (32).  A transfer of X bytes pulled
 * from region offset pulled_rdma_offset is cut into frames aligned on the
 * region's R-byte grid, o = pulled_rdma_offset mod R:
 *
 *	frame f covers message bytes [max(0, f*R - o), min(X, (f+1)*R - o))
 *
 * so frame 0 is R - o bytes (or X if smaller), later frames R, the last one
 * what is left.  Blocks are runs of at most N consecutive frames: the first
 * one starts at message offset 0 (first_frame_offset = o), every later one
 * on a frame boundary (first_frame_offset = 0).
 *
 * The puller (receiver of the message) uses struct omx_pull_plan to hand out
 * blocks and omx_pull_reply_accept() to check each PULL_REPLY; the replier
 * (data owner) uses omx_pull_request_check() (or its parts) on each PULL and
 * omx_pull_reply_frame() to build the replies.
 *
 * Shared by the kernel modules and user space: fixed-width types only, no
 * allocation, no libc.  Values taken from the wire are never trusted: every
 * product and sum is computed in 64 bits and out-of-range results are
 * rejected.  The geometry is local configuration; functions given an
 * invalid one (see omx_pull_geom_valid()) refuse everything rather than
 * divide by zero.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_PULL_PLAN_H
#define OMX_PULL_PLAN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#define OMX_PULL_BLOCKS_MAX		4	/* outstanding blocks per transfer */
#define OMX_PULL_BLOCK_REPLIES_LIMIT	64	/* frames per block: bits in a uint64_t */

struct omx_pull_geom {
	uint32_t reply_max;	/* R */
	uint32_t block_replies;	/* N, <= OMX_PULL_BLOCK_REPLIES_LIMIT */
};

/*
 * 1 if 0 < R <= 65535 (PULL_REPLY frame_length is a 16-bit field) and
 * 0 < N <= 64.
 */
int omx_pull_geom_valid(const struct omx_pull_geom *g);

/* ------------------------------------------------------------------------
 * Puller side
 */

/* One PULL request, as sent (the first four fields) and tracked. */
struct omx_pull_block {
	uint32_t frame_index;		/* first frame of the block in the transfer */
	uint32_t first_frame_offset;	/* o for the first block, 0 after */
	uint32_t block_length;		/* bytes requested */
	uint32_t nframes;
	uint64_t received;		/* bit i: frame frame_index+i received */
};

struct omx_pull_plan {
	struct omx_pull_geom g;
	uint32_t total_length;	/* X */
	uint32_t offset_mod;	/* o */
	uint32_t requested;	/* bytes covered by blocks handed out so far */
	uint32_t next_frame;	/* frame_index of the next block */
	uint32_t done_bytes;	/* bytes received so far */
};

/* A transfer of total_length bytes (0 is allowed: nothing to request). */
void omx_pull_plan_init(struct omx_pull_plan *p, const struct omx_pull_geom *g,
			uint32_t total_length, uint32_t pulled_rdma_offset);

/* Frames in the whole transfer: ceil((X + o) / R), 0 when X is 0. */
uint32_t omx_pull_plan_nframes(const struct omx_pull_plan *p);

/*
 * Fills *b with the next block to request (received cleared) and returns 1;
 * returns 0, leaving *b untouched, when nothing is left to request.
 */
int omx_pull_plan_next_block(struct omx_pull_plan *p, struct omx_pull_block *b);

/*
 * Message extent of global frame f.  A frame past the end of the transfer
 * gets *length = 0 and *msg_offset = X.
 */
void omx_pull_frame_extent(const struct omx_pull_plan *p, uint32_t f,
			   uint32_t *msg_offset, uint32_t *length);

enum omx_pull_reply_verdict {
	OMX_PULL_REPLY_NEW,		/* write it at msg_offset */
	OMX_PULL_REPLY_DUPLICATE,	/* already received: drop */
	OMX_PULL_REPLY_NOT_OUTSTANDING,	/* its frame is in none of the blocks: drop */
	OMX_PULL_REPLY_BAD_FRAME,	/* inconsistent seqnum/offset/length: drop */
};

/*
 * Classifies a PULL_REPLY (frame_seqnum is mod 256, msg_offset and
 * frame_length as received) against the nblocks outstanding blocks, in this
 * order:
 *  1. f = ceil(msg_offset / R) is the frame msg_offset implies (the doc's
 *     (msg_offset + R - 1) / R); f mod 256 != frame_seqnum -> BAD_FRAME;
 *  2. no block holds frame f -> NOT_OUTSTANDING;
 *  3. (msg_offset, frame_length) != the extent of frame f -> BAD_FRAME;
 *  4. frame f already received -> DUPLICATE;
 *  5. NEW: marks the frame in its block, adds frame_length to
 *     p->done_bytes and sets *block_i to the block's index in blocks[].
 * *block_i is set on DUPLICATE too, and left untouched otherwise.
 */
enum omx_pull_reply_verdict omx_pull_reply_accept(struct omx_pull_plan *p,
						  struct omx_pull_block *blocks,
						  unsigned nblocks,
						  uint8_t frame_seqnum,
						  uint32_t msg_offset,
						  uint32_t frame_length,
						  unsigned *block_i);

int omx_pull_block_complete(const struct omx_pull_block *b);
int omx_pull_plan_complete(const struct omx_pull_plan *p);	/* done_bytes == total_length */

/* ------------------------------------------------------------------------
 * Replier (data owner) side: all inputs come from a PULL.
 */

/*
 * The replies a PULL asks for (6.6 step 4): 0 and *nframes =
 * ceil((first_frame_offset + block_length) / R) if that is <= N; -1 (drop)
 * if it is more, if block_length is 0 (Open-MX never asks for nothing) or
 * if first_frame_offset >= R (frame 0 would have no room).
 */
int omx_pull_reply_count(const struct omx_pull_geom *g,
			 uint32_t first_frame_offset, uint32_t block_length,
			 uint32_t *nframes);

/*
 * Message offset of the block's first byte, frame_index*R - o +
 * first_frame_offset with o = pulled_rdma_offset mod R: 0, or -1 if it is
 * negative or the block [*msg_offset, *msg_offset + block_length) does not
 * fit in 32 bits.
 */
int omx_pull_reply_block_offset(const struct omx_pull_geom *g,
				uint32_t pulled_rdma_offset,
				uint32_t frame_index,
				uint32_t first_frame_offset,
				uint32_t block_length, uint32_t *msg_offset);

/*
 * 1 if message bytes [msg_offset, msg_offset + length), which live at region
 * offset pulled_rdma_offset + msg_offset, lie inside a region of
 * region_length bytes; 0 otherwise.
 */
int omx_pull_range_in_region(uint32_t pulled_rdma_offset, uint32_t msg_offset,
			     uint32_t length, uint64_t region_length);

/*
 * Everything 6.6 step 4 silently drops, in one call: omx_pull_reply_count(),
 * omx_pull_reply_block_offset() and omx_pull_range_in_region() on the whole
 * block.  0 with *nframes set, or -1.
 */
int omx_pull_request_check(const struct omx_pull_geom *g,
			   uint32_t pulled_rdma_offset, uint32_t frame_index,
			   uint32_t first_frame_offset, uint32_t block_length,
			   uint64_t region_length, uint32_t *nframes);

/*
 * Reply i (0-based) of a block that passed omx_pull_request_check():
 * frame_seqnum = (frame_index + i) mod 256; frame_length = R -
 * first_frame_offset for i == 0 and R after, capped by what remains of the
 * block; msg_offset starts at frame_index*R - o + first_frame_offset and
 * grows by each frame_length.  Data is read at region offset
 * msg_offset + pulled_rdma_offset.  For i >= nframes *frame_length is 0.
 * Given an unchecked block the results are meaningless but computed
 * without undefined behaviour (mod 2^32).
 */
void omx_pull_reply_frame(const struct omx_pull_geom *g,
			  uint32_t pulled_rdma_offset, uint32_t frame_index,
			  uint32_t first_frame_offset, uint32_t block_length,
			  uint32_t i, uint8_t *frame_seqnum,
			  uint32_t *msg_offset, uint32_t *frame_length);

#endif /* OMX_PULL_PLAN_H */
