/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_perf_plan.h - what an omx_perf run does, independent of the Open-MX
 * API: the message lengths, the test parameters the sender hands to the
 * receiver, the verification pattern and the result line.
 */
#ifndef OMX_PERF_PLAN_H
#define OMX_PERF_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OMX_PERF_LENGTH_MAX		(16u << 20)	/* 16 MiB */
#define OMX_PERF_DEFAULT_START		0
#define OMX_PERF_DEFAULT_END		(4u << 20)	/* 4 MiB */
#define OMX_PERF_DEFAULT_MULT		2
#define OMX_PERF_DEFAULT_ITER		1000
#define OMX_PERF_DEFAULT_WARMUP		10
#define OMX_PERF_ITER_MAX		100000000u

#define OMX_PERF_SYNC		0x1	/* synchronous sends (issend) */
#define OMX_PERF_UNIDIR		0x2	/* sender -> receiver only */
#define OMX_PERF_VERIFY		0x4	/* fill and check every byte */
#define OMX_PERF_FLAGS_ALL	0x7

struct omx_perf_plan {
	uint32_t start;		/* first length */
	uint32_t end;		/* no length beyond this one */
	uint32_t mult;		/* next length = length * mult (after 0: 1) */
	uint32_t iter;		/* measured round trips per length */
	uint32_t warmup;	/* unmeasured ones before them */
	uint32_t flags;		/* OMX_PERF_* */
};

void omx_perf_plan_default(struct omx_perf_plan *plan);

/* NULL if @plan is usable, else why not (one phrase). */
const char *omx_perf_plan_check(const struct omx_perf_plan *plan);

/*
 * The length after @len: @len * mult, and 1 after 0, so the default plan
 * runs 0, 1, 2, 4, ... 4194304.  Returns false when it would pass the end.
 */
bool omx_perf_next_length(const struct omx_perf_plan *plan, uint32_t len,
			  uint32_t *next);

/* ------------------------------------------------------------------------
 * The plan on the wire: the sender's first message tells the receiver
 * what to expect.  Fixed little-endian layout, so hosts of any kind agree.
 */
#define OMX_PERF_PLAN_WIRE_LEN		32
#define OMX_PERF_PLAN_MAGIC		0x4f4d5850u	/* "OMXP" */
#define OMX_PERF_PLAN_VERSION		1

void omx_perf_plan_encode(const struct omx_perf_plan *plan,
			  uint8_t out[OMX_PERF_PLAN_WIRE_LEN]);

/* NULL and @plan filled, or why the message is not a usable plan. */
const char *omx_perf_plan_decode(const uint8_t *msg, size_t len,
				 struct omx_perf_plan *plan);

/* ------------------------------------------------------------------------
 * Verification pattern.  It depends on the length, the iteration and the
 * direction, so a message delivered to the wrong receive, a stale buffer
 * left by the previous iteration or a payload echoed back unchanged are
 * all caught, as are shifted, truncated or corrupted bytes.
 */
enum omx_perf_dir {
	OMX_PERF_PING = 0,	/* sender -> receiver */
	OMX_PERF_PONG = 1,	/* receiver -> sender */
};

void omx_perf_fill(uint8_t *buf, uint32_t len, uint32_t iteration,
		   enum omx_perf_dir dir);

/*
 * 0 if @buf holds the pattern; else -1 with the first wrong offset and
 * the byte found and expected there.
 */
int omx_perf_check(const uint8_t *buf, uint32_t len, uint32_t iteration,
		   enum omx_perf_dir dir, uint32_t *offset, uint8_t *got,
		   uint8_t *want);

/* ------------------------------------------------------------------------
 * Results
 */

/*
 * "length <n>: <us> us <MB/s> MB/s <MiB/s> MiB/s", without newline, for a
 * length and the measured one-way time per message in microseconds.
 */
void omx_perf_format_result(char *out, size_t size, uint32_t len,
			    double usec);

#endif /* OMX_PERF_PLAN_H */
