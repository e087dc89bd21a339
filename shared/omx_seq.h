/* SPDX-License-Identifier: MIT */
/*
 * omx_seq.h - Open-MX message sequence numbers and acknowledgements.
 *
 * Section numbers (6.1, 6.2) refer to the project's Open-MX wire reference
 * (openmx-wire.md).  Shared by the kernel modules and user space: fixed-width
 * types only, no allocation, no libc.
 *
 * A 16-bit lib_seqnum is two fields:
 *
 *	 15 14 13                                      0
 *	+-----+-----------------------------------------+
 *	|sesn.|         sequence number (mod 2^14)      |
 *	+-----+-----------------------------------------+
 *
 * The session number ("sesnum") changes when a peer is declared unreachable
 * and is never touched by sequence arithmetic: omx_seq_add() wraps
 * 0x3FFF -> 0x0000 inside the same sesnum.  Comparisons between numbers of
 * different sesnums are meaningless; every function here that compares says
 * what it does with them.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_SEQ_H
#define OMX_SEQ_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#define OMX_SEQNUM_BITS		14
#define OMX_SEQNUM_MASK		0x3fffU
#define OMX_SESNUM_MASK		0xc000U
#define OMX_SESNUM_SHIFT	OMX_SEQNUM_BITS
#define OMX_SEQ_EARLY_WINDOW	255	/* packets accepted ahead of next_match */
#define OMX_SEQ_UNACKED_MAX	8191	/* 0x3FFF/2 unacked per peer */

/* s + n (mod 2^14); the sesnum bits of s are kept. */
static inline uint16_t omx_seq_add(uint16_t s, unsigned n)
{
	return (uint16_t)((s & OMX_SESNUM_MASK) |
			  (((unsigned)s + n) & OMX_SEQNUM_MASK));
}

/* a - b (mod 2^14): how far a is ahead of b; the sesnum bits are ignored. */
static inline uint16_t omx_seq_diff(uint16_t a, uint16_t b)
{
	return (uint16_t)(((unsigned)a - (unsigned)b) & OMX_SEQNUM_MASK);
}

static inline int omx_seq_same_sesnum(uint16_t a, uint16_t b)
{
	return ((a ^ b) & OMX_SESNUM_MASK) == 0;
}

/* Sequence 1 with the sesnum of s kept (what Open-MX calls a reset). */
static inline uint16_t omx_seq_reset(uint16_t s)
{
	return (uint16_t)((s & OMX_SESNUM_MASK) | 1U);
}

/* Sequence 1 in the next sesnum (mod 4), after a peer was given up on. */
static inline uint16_t omx_seq_next_sesnum(uint16_t s)
{
	return (uint16_t)((((s & OMX_SESNUM_MASK) + (1U << OMX_SESNUM_SHIFT)) &
			   OMX_SESNUM_MASK) | 1U);
}

/*
 * Where a received sequenced packet stands (6.1, receiver rule 3).
 *
 * next_frag is the first sequence number not completely received,
 * next_match the next one to match; they differ while MEDIUM messages are
 * partly received.  With
 *	idx = (seq - next_frag) mod 2^14,  max = (next_match - next_frag) mod 2^14:
 *	seq's sesnum != next_match's	OMX_SEQ_BAD_SESNUM
 *	idx == max			OMX_SEQ_NEXT
 *	idx <  max			OMX_SEQ_PARTIAL
 *	max <  idx <= max + 255		OMX_SEQ_EARLY
 *	seq == next_frag - 1		OMX_SEQ_OBSOLETE_PREV (and not EARLY)
 *	otherwise			OMX_SEQ_OBSOLETE
 * next_frag and next_match are expected to share their sesnum bits; only
 * next_match's are compared.
 */
enum omx_seq_class {
	OMX_SEQ_NEXT,		/* seq == next_match: a new message to match */
	OMX_SEQ_PARTIAL,	/* next_frag <= seq < next_match: fragment of a partly
				 * received medium (or an old duplicate: the caller
				 * decides with its per-message state) */
	OMX_SEQ_EARLY,		/* next_match < seq <= next_match + OMX_SEQ_EARLY_WINDOW:
				 * keep for later */
	OMX_SEQ_OBSOLETE,	/* anything else: drop */
	OMX_SEQ_OBSOLETE_PREV,	/* seq == next_frag - 1: drop AND send an ack now
				 * (the last ack was probably lost) */
	OMX_SEQ_BAD_SESNUM,	/* sesnum bits of seq differ from next_match's: drop */
};

enum omx_seq_class omx_seq_classify(uint16_t seq, uint16_t next_frag,
				    uint16_t next_match);

/*
 * Ack acceptance (6.2).  An ack value acknowledges every sequence number
 * before it.  Returns 1 and sets *newly to the number of sequence numbers it
 * newly acknowledges when
 *	0 < (ack - first_unacked) mod 2^14 <= (next_send - first_unacked) mod 2^14
 * and ack has first_unacked's sesnum; otherwise returns 0 with *newly = 0
 * (nothing new, beyond what was sent, or another sesnum).  Rule 1 of 6.1
 * (drop the whole packet when a piggyack's sesnum differs from our send
 * sesnum) is the caller's: check it with omx_seq_same_sesnum() first.
 */
int omx_seq_ack_accept(uint16_t ack, uint16_t first_unacked,
		       uint16_t next_send, unsigned *newly);

/*
 * Liback acknum acceptance (6.2): 1 if acknum is "greater" than last in
 * 32-bit serial-number arithmetic (RFC 1982): 0 < (acknum - last) mod 2^32
 * < 2^31.  Equal numbers, and the undefined distance of exactly 2^31, are
 * not newer.
 */
int omx_seq_acknum_newer(uint32_t acknum, uint32_t last);

#endif /* OMX_SEQ_H */
