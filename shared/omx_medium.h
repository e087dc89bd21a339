/* SPDX-License-Identifier: MIT */
/*
 * omx_medium.h - MEDIUM message fragmentation and reassembly (6.5 of the
 * project's Open-MX wire reference, openmx-wire.md).
 *
 * A message of L bytes travels as n = ceil(L / F) fragments of F bytes
 * (F = medium fragment payload: 8192 at MTU 9000, 1452 at MTU 1500);
 * fragment i carries bytes [i*F, min(L, (i+1)*F)).  Only the native layout
 * is handled (fragment i lands at i*F), not MX-wire's frag_pipeline.
 *
 * Shared by the kernel modules and user space: fixed-width types only, no
 * allocation, no libc.  Every value that comes off the wire (msg_length,
 * frag_seqnum, frag_length) is checked here; F and the fragment limit are
 * local configuration.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_MEDIUM_H
#define OMX_MEDIUM_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

/* The reassembly bitmap has one bit per fragment. */
#define OMX_MEDIUM_FRAGS_LIMIT	32

/*
 * ceil(msg_length / frag_max).  0 when msg_length is 0 (a MEDIUM always
 * carries more than a SMALL's 128 bytes, so a 0-length one is malformed) or
 * when frag_max is 0.
 */
uint32_t omx_medium_nfrags(uint32_t msg_length, uint32_t frag_max);

/*
 * Bytes [*offset, *offset + *length) of the message carried by fragment i.
 * A fragment past the end (i >= nfrags) gets *length = 0 and
 * *offset = msg_length.
 */
void omx_medium_frag_extent(uint32_t msg_length, uint32_t frag_max, uint32_t i,
			    uint32_t *offset, uint32_t *length);

/* Reassembly state of one MEDIUM message on the receiver. */
struct omx_medium_rx {
	uint32_t msg_length;
	uint32_t frag_max;	/* F */
	uint32_t received;	/* bytes accepted so far */
	uint32_t frag_mask;	/* bit i: fragment i accepted (<= 32 fragments) */
	uint8_t nfrags;
};

/*
 * 0, or -1 if msg_length is 0, frag_max is 0, frags_max is 0 or above
 * OMX_MEDIUM_FRAGS_LIMIT, or msg_length needs more than frags_max
 * fragments.  The caller answers -1 by dropping the fragment.
 */
int omx_medium_rx_init(struct omx_medium_rx *m, uint32_t msg_length,
		       uint32_t frag_max, uint32_t frags_max);

enum omx_medium_verdict {
	OMX_MEDIUM_FRAG_NEW,		/* copy it to *offset */
	OMX_MEDIUM_FRAG_DUPLICATE,	/* already accepted: drop */
	OMX_MEDIUM_FRAG_BAD,		/* seqnum or length wrong: drop */
};

/*
 * Checks frag_seqnum < nfrags and frag_length == the expected extent of that
 * fragment (BAD otherwise, even if that fragment was already accepted); on
 * NEW sets *offset (where to copy) and updates received and frag_mask.
 * *offset is left untouched on DUPLICATE and BAD.
 */
enum omx_medium_verdict omx_medium_rx_frag(struct omx_medium_rx *m,
					   uint8_t frag_seqnum,
					   uint32_t frag_length,
					   uint32_t *offset);

/* 1 once every byte of the message was accepted. */
int omx_medium_rx_complete(const struct omx_medium_rx *m);

#endif /* OMX_MEDIUM_H */
