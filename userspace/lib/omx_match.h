/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_match.h - message matching of libopen-mx (mx-api.md 7.2), without
 * any endpoint, request or driver: the queues and the rules only.
 *
 * A message carries a 64-bit match_info; a posted receive (info, mask)
 * takes it when (match_info & mask) == info.  Context ids split the match
 * space: the bits [shift, shift + bits) of match_info select one of 2^bits
 * independent queue pairs.  A receive must name its context id exactly
 * (its mask covers those bits), so it only ever looks at one bucket.
 *
 * Order (7.2): an incoming message is offered to the posted receives of
 * its bucket in posting order; a new receive scans the unexpected messages
 * of its bucket in arrival order.  omx_iprobe() may use any mask, so the
 * unexpected messages are also kept on one list in arrival order across
 * all buckets.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_MATCH_H
#define OMX_MATCH_H

#include <stdint.h>

#include "omx_list.h"

#define OMX_MATCH_CTXID_BITS_MAX	16

/* Embedded in whatever is queued: a posted receive or an unexpected message. */
struct omx_match_entry {
	struct omx_list bucket_elt;	/* posted or unexpected list of its bucket */
	struct omx_list all_elt;	/* unexpected messages only: arrival order */
	uint64_t info;			/* receive pattern, or the message's match_info */
	uint64_t mask;			/* receive mask (messages: all ones) */
};

struct omx_match_queues {
	uint8_t ctxid_bits;
	uint8_t ctxid_shift;
	uint32_t nbuckets;		/* 2^ctxid_bits */
	struct omx_list *posted;	/* [nbuckets] */
	struct omx_list *unexp;		/* [nbuckets] */
	struct omx_list unexp_all;
};

enum omx_match_check {
	OMX_MATCH_OK,
	OMX_MATCH_BAD_MASK,	/* info has a bit outside mask */
	OMX_MATCH_BAD_CTXID,	/* mask leaves context-id bits wildcarded */
};

/* 1 if (bits, shift) is a valid context-id split: bits <= 16, bits + shift <= 64. */
int omx_match_ctxid_valid(unsigned bits, unsigned shift);

/* 0, or -1 on a bad split or allocation failure. */
int omx_match_queues_init(struct omx_match_queues *q, unsigned bits,
			  unsigned shift);
void omx_match_queues_destroy(struct omx_match_queues *q);

/* The bucket a match_info (or a receive pattern) belongs to. */
uint32_t omx_match_bucket(const struct omx_match_queues *q, uint64_t info);

/* Whether a receive pattern may be posted. */
enum omx_match_check omx_match_check_recv(const struct omx_match_queues *q,
					  uint64_t info, uint64_t mask);

/* Whether a test_any / iprobe pattern is well formed (any mask allowed). */
static inline int omx_match_pattern_ok(uint64_t info, uint64_t mask)
{
	return (info & ~mask) == 0;
}

static inline int omx_match_hit(uint64_t msg_info, uint64_t info,
				uint64_t mask)
{
	return (msg_info & mask) == info;
}

/* Queue a receive (the caller checked it with omx_match_check_recv()). */
void omx_match_post_recv(struct omx_match_queues *q,
			 struct omx_match_entry *recv, uint64_t info,
			 uint64_t mask);

/* The first posted receive that takes a message, removed; NULL if none. */
struct omx_match_entry *omx_match_take_recv(struct omx_match_queues *q,
					    uint64_t msg_info);

/* Queue an unexpected message at the tail (arrival order). */
void omx_match_add_unexp(struct omx_match_queues *q,
			 struct omx_match_entry *msg, uint64_t msg_info);

/*
 * The oldest unexpected message a receive (info, mask) takes, removed;
 * NULL if none.  Only the receive's bucket is looked at.
 */
struct omx_match_entry *omx_match_take_unexp(struct omx_match_queues *q,
					     uint64_t info, uint64_t mask);

/* The oldest unexpected message matching any pattern, left queued. */
struct omx_match_entry *omx_match_peek_unexp(const struct omx_match_queues *q,
					     uint64_t info, uint64_t mask);

/* Remove a posted receive or an unexpected message from its queues. */
void omx_match_remove(struct omx_match_entry *e);

#endif /* OMX_MATCH_H */
