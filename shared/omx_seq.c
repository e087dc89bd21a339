// SPDX-License-Identifier: MIT
/*
 * omx_seq.c - see omx_seq.h.
 *
 * Compiled into the kernel modules (through a one-line wrapper in a module
 * directory) and into the user-space unit tests.
 */
#include "omx_seq.h"

enum omx_seq_class omx_seq_classify(uint16_t seq, uint16_t next_frag,
				    uint16_t next_match)
{
	uint16_t idx, max;

	if (!omx_seq_same_sesnum(seq, next_match))
		return OMX_SEQ_BAD_SESNUM;

	/*
	 * Distances from next_frag, the oldest number still of interest:
	 * everything in [next_frag, next_match) is partly received, next_match
	 * is due, and the window after it may arrive early.  Measuring from
	 * next_frag rather than next_match keeps partial mediums and early
	 * packets in one modular order.
	 */
	idx = omx_seq_diff(seq, next_frag);
	max = omx_seq_diff(next_match, next_frag);

	if (idx == max)
		return OMX_SEQ_NEXT;
	if (idx < max)
		return OMX_SEQ_PARTIAL;
	if ((unsigned)idx <= (unsigned)max + OMX_SEQ_EARLY_WINDOW)
		return OMX_SEQ_EARLY;
	/*
	 * The number just before next_frag is what a sender retransmits when
	 * our ack for it was lost: tell it again at once instead of letting it
	 * resend until the delayed ack.
	 */
	if (idx == OMX_SEQNUM_MASK)
		return OMX_SEQ_OBSOLETE_PREV;
	return OMX_SEQ_OBSOLETE;
}

int omx_seq_ack_accept(uint16_t ack, uint16_t first_unacked,
		       uint16_t next_send, unsigned *newly)
{
	uint16_t acked = omx_seq_diff(ack, first_unacked);
	uint16_t outstanding = omx_seq_diff(next_send, first_unacked);

	*newly = 0;
	if (!omx_seq_same_sesnum(ack, first_unacked))
		return 0;
	/* 0: an old or repeated ack; above outstanding: not something we sent. */
	if (acked == 0 || acked > outstanding)
		return 0;
	*newly = acked;
	return 1;
}

int omx_seq_acknum_newer(uint32_t acknum, uint32_t last)
{
	uint32_t d = acknum - last;	/* unsigned: wraps, no overflow */

	return d != 0 && d < 0x80000000U;
}
