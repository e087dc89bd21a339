/* SPDX-License-Identifier: MIT */
/*
 * wirefuzz_gen.h - the frame generator of omx-wirefuzz: valid Open-MX
 * frames of every packet type, built with the project's encoder
 * (shared/omx_wire.c), then mutated the way a hostile or broken host on the
 * link would (type, lengths, indexes, sessions, magics, handles, offsets,
 * truncation, extension, random octets), with source MACs spoofed from a
 * list of real peers.
 *
 * Frame N of a run depends only on the seed, N and the configuration, so
 * any single frame of a run can be built again (omx-wirefuzz --from N).
 * Plain C without I/O: the unit tests (tests/unit/test_wirefuzz_gen.c) link
 * it with the decoder.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef WIREFUZZ_GEN_H
#define WIREFUZZ_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "omx_wire.h"

#define WF_DST_MAX	8	/* target boards */
#define WF_SRC_MAX	16	/* spoofed peers */
#define WF_NAME_MAX	8	/* hostnames HOST_REPLY frames may claim */
/* The largest frame the generator writes: a 64 KiB MTU plus the header. */
#define WF_FRAME_MAX	(65535 + OMX_WIRE_ETH_HLEN)

/* The valid frame a generated frame starts from. */
enum wf_base {
	WF_TINY, WF_SMALL, WF_MEDIUM, WF_RNDV, WF_NOTIFY, WF_CONNECT,
	WF_CONNECT_REPLY, WF_TRUC, WF_NACK_LIB, WF_NACK_MCP, WF_PULL,
	WF_PULL_REPLY, WF_HOST_QUERY, WF_HOST_REPLY, WF_RAW,
	WF_BASE_MAX
};

/* What was done to it; a frame carries a bit mask of these. */
enum wf_mutation {
	WF_MUT_TYPE,		/* packet type octet, or a subtype field */
	WF_MUT_LENGTH,		/* a length field */
	WF_MUT_PEER_INDEX,	/* header peer index or a body copy of one */
	WF_MUT_ENDPOINT,	/* an endpoint index */
	WF_MUT_SESSION,		/* a session id */
	WF_MUT_MAGIC,		/* a pull or host-query magic */
	WF_MUT_HANDLE,		/* a pull handle or region id */
	WF_MUT_OFFSET,		/* an offset, fragment or frame number */
	WF_MUT_SEQNUM,		/* a sequence, ack or connect number */
	WF_MUT_TRUNCATE,	/* the frame cut short */
	WF_MUT_EXTEND,		/* octets appended */
	WF_MUT_BYTES,		/* random octets overwritten */
	WF_MUT_MAX
};

struct wf_peer {
	uint8_t mac[OMX_WIRE_ETH_ALEN];
	uint16_t index;		/* its index in the target's peer table */
	int has_index;		/* 0: not known, the generator guesses */
};

struct wf_config {
	struct omx_wire_params params;	/* limits of valid frames */
	uint8_t dst[WF_DST_MAX][OMX_WIRE_ETH_ALEN];
	unsigned int ndst;		/* at least 1 */
	struct wf_peer src[WF_SRC_MAX];
	unsigned int nsrc;		/* 0: every source MAC is random */
	const char *names[WF_NAME_MAX];	/* hostnames to claim, < 80 octets */
	unsigned int nnames;
	unsigned int endpoints;		/* endpoints per target board, 1..255 */
	size_t max_frame;		/* longest frame, header included */
	unsigned int valid_percent;	/* frames left unmutated, 0..100 */
	unsigned int spoof_percent;	/* sources from src[] (if any), 0..100 */
	uint32_t types;			/* 1 << enum wf_base to build; 0: all */
};

struct wf_frame {
	uint8_t buf[WF_FRAME_MAX];
	size_t len;
	enum wf_base base;
	uint32_t mutations;	/* 1 << enum wf_mutation; 0: left valid */
	int src;		/* index in wf_config.src, -1: a random MAC */
	unsigned int dst;	/* index in wf_config.dst */
};

/*
 * Defaults: MTU 9000 limits and a 1024-entry peer table, no target, no
 * peer, 8 endpoints, frames up to 9014 octets, 10% valid, 85% spoofed.
 */
void wf_config_init(struct wf_config *c);

/* 0 if @c can generate frames, else a static message saying why not. */
const char *wf_config_check(const struct wf_config *c);

/* Build frame @n of the run of @seed.  @c must pass wf_config_check(). */
void wf_generate(const struct wf_config *c, uint64_t seed, uint64_t n,
		 struct wf_frame *f);

const char *wf_base_name(enum wf_base b);
/* The base of a name ("tiny", ..., "raw"), or -1. */
int wf_base_by_name(const char *name);
const char *wf_mutation_name(enum wf_mutation m);

/* The packet type octet of a base frame (CONNECT_REPLY is CONNECT). */
uint8_t wf_base_ptype(enum wf_base b);

/* splitmix64: the generator's PRNG, exported for the seed of a run. */
uint64_t wf_mix64(uint64_t *state);

#endif /* WIREFUZZ_GEN_H */
