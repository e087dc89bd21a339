// SPDX-License-Identifier: MIT
/*
 * omx_medium.c - see omx_medium.h.
 *
 * Compiled into the kernel modules (through a one-line wrapper in a module
 * directory) and into the user-space unit tests.
 */
#include "omx_medium.h"

uint32_t omx_medium_nfrags(uint32_t msg_length, uint32_t frag_max)
{
	if (frag_max == 0)
		return 0;
	/* Not (L + F - 1) / F: that wraps for L near 2^32. */
	return msg_length / frag_max + (msg_length % frag_max != 0);
}

void omx_medium_frag_extent(uint32_t msg_length, uint32_t frag_max, uint32_t i,
			    uint32_t *offset, uint32_t *length)
{
	uint64_t start = (uint64_t)i * frag_max;
	uint64_t end = start + frag_max;

	if (frag_max == 0 || start >= msg_length) {
		*offset = msg_length;
		*length = 0;
		return;
	}
	if (end > msg_length)
		end = msg_length;
	*offset = (uint32_t)start;
	*length = (uint32_t)(end - start);
}

int omx_medium_rx_init(struct omx_medium_rx *m, uint32_t msg_length,
		       uint32_t frag_max, uint32_t frags_max)
{
	uint32_t n = omx_medium_nfrags(msg_length, frag_max);

	if (frags_max == 0 || frags_max > OMX_MEDIUM_FRAGS_LIMIT)
		return -1;
	if (n == 0 || n > frags_max)
		return -1;
	m->msg_length = msg_length;
	m->frag_max = frag_max;
	m->received = 0;
	m->frag_mask = 0;
	m->nfrags = (uint8_t)n;
	return 0;
}

enum omx_medium_verdict omx_medium_rx_frag(struct omx_medium_rx *m,
					   uint8_t frag_seqnum,
					   uint32_t frag_length,
					   uint32_t *offset)
{
	uint32_t start, length, bit;

	if (frag_seqnum >= m->nfrags)
		return OMX_MEDIUM_FRAG_BAD;
	omx_medium_frag_extent(m->msg_length, m->frag_max, frag_seqnum,
			       &start, &length);
	/*
	 * Every fragment but the last is exactly F bytes: a shorter one would
	 * leave a hole that the byte count alone would not notice.
	 */
	if (frag_length != length)
		return OMX_MEDIUM_FRAG_BAD;
	bit = 1U << frag_seqnum;
	if (m->frag_mask & bit)
		return OMX_MEDIUM_FRAG_DUPLICATE;
	m->frag_mask |= bit;
	m->received += length;
	*offset = start;
	return OMX_MEDIUM_FRAG_NEW;
}

int omx_medium_rx_complete(const struct omx_medium_rx *m)
{
	return m->nfrags != 0 && m->received == m->msg_length;
}
