// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_perf_plan.c - lengths, wire form of the parameters, verification
 * pattern and result line of omx_perf.
 */
#include <stdio.h>
#include <string.h>

#include "omx_perf_plan.h"

void omx_perf_plan_default(struct omx_perf_plan *plan)
{
	plan->start = OMX_PERF_DEFAULT_START;
	plan->end = OMX_PERF_DEFAULT_END;
	plan->mult = OMX_PERF_DEFAULT_MULT;
	plan->iter = OMX_PERF_DEFAULT_ITER;
	plan->warmup = OMX_PERF_DEFAULT_WARMUP;
	plan->flags = 0;
}

const char *omx_perf_plan_check(const struct omx_perf_plan *plan)
{
	if (plan->end > OMX_PERF_LENGTH_MAX)
		return "end length beyond 16 MiB";
	if (plan->start > plan->end)
		return "start length beyond the end length";
	if (plan->mult < 2)
		return "length multiplier below 2";
	if (plan->iter < 1 || plan->iter > OMX_PERF_ITER_MAX)
		return "iteration count out of range";
	if (plan->warmup > OMX_PERF_ITER_MAX)
		return "warmup count out of range";
	if (plan->flags & ~OMX_PERF_FLAGS_ALL)
		return "unknown flags";
	return NULL;
}

bool omx_perf_next_length(const struct omx_perf_plan *plan, uint32_t len,
			  uint32_t *next)
{
	uint64_t n = len ? (uint64_t)len * plan->mult : 1;

	if (n > plan->end)
		return false;
	*next = (uint32_t)n;
	return true;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

void omx_perf_plan_encode(const struct omx_perf_plan *plan,
			  uint8_t out[OMX_PERF_PLAN_WIRE_LEN])
{
	memset(out, 0, OMX_PERF_PLAN_WIRE_LEN);
	put_le32(out + 0, OMX_PERF_PLAN_MAGIC);
	put_le32(out + 4, OMX_PERF_PLAN_VERSION);
	put_le32(out + 8, plan->start);
	put_le32(out + 12, plan->end);
	put_le32(out + 16, plan->mult);
	put_le32(out + 20, plan->iter);
	put_le32(out + 24, plan->warmup);
	put_le32(out + 28, plan->flags);
}

const char *omx_perf_plan_decode(const uint8_t *msg, size_t len,
				 struct omx_perf_plan *plan)
{
	if (len != OMX_PERF_PLAN_WIRE_LEN || get_le32(msg) != OMX_PERF_PLAN_MAGIC)
		return "not an omx_perf parameter message";
	if (get_le32(msg + 4) != OMX_PERF_PLAN_VERSION)
		return "omx_perf parameter message of another version";
	plan->start = get_le32(msg + 8);
	plan->end = get_le32(msg + 12);
	plan->mult = get_le32(msg + 16);
	plan->iter = get_le32(msg + 20);
	plan->warmup = get_le32(msg + 24);
	plan->flags = get_le32(msg + 28);
	return omx_perf_plan_check(plan);
}

/* ------------------------------------------------------------------------
 * Pattern: 32-bit words of a hash of (message seed, word index), stored
 * little-endian; a 4 MiB message costs about a millisecond to fill.
 */
static uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static uint32_t message_seed(uint32_t len, uint32_t iteration,
			     enum omx_perf_dir dir)
{
	return mix32(mix32(len ^ 0x9e3779b9U) ^ iteration ^
		     (dir == OMX_PERF_PONG ? 0x80000000U : 0));
}

static uint8_t pattern_byte(uint32_t seed, uint32_t offset)
{
	return (uint8_t)(mix32(seed + offset / 4) >> (8 * (offset % 4)));
}

void omx_perf_fill(uint8_t *buf, uint32_t len, uint32_t iteration,
		   enum omx_perf_dir dir)
{
	uint32_t seed = message_seed(len, iteration, dir);
	uint32_t words = len / 4, i, w;

	for (i = 0; i < words; i++) {
		w = mix32(seed + i);
		buf[4 * i] = (uint8_t)w;
		buf[4 * i + 1] = (uint8_t)(w >> 8);
		buf[4 * i + 2] = (uint8_t)(w >> 16);
		buf[4 * i + 3] = (uint8_t)(w >> 24);
	}
	for (i = words * 4; i < len; i++)
		buf[i] = pattern_byte(seed, i);
}

int omx_perf_check(const uint8_t *buf, uint32_t len, uint32_t iteration,
		   enum omx_perf_dir dir, uint32_t *offset, uint8_t *got,
		   uint8_t *want)
{
	uint32_t seed = message_seed(len, iteration, dir);
	uint32_t i, w = 0;
	uint8_t b;

	/* One hash per word, as omx_perf_fill() does it. */
	for (i = 0; i < len; i++) {
		if (i % 4 == 0)
			w = mix32(seed + i / 4);
		b = (uint8_t)(w >> (8 * (i % 4)));
		if (buf[i] != b) {
			*offset = i;
			*got = buf[i];
			*want = b;
			return -1;
		}
	}
	return 0;
}

void omx_perf_format_result(char *out, size_t size, uint32_t len, double usec)
{
	/* bytes per microsecond are MB/s (10^6 bytes per second) */
	double mbs = usec > 0 ? len / usec : 0;

	snprintf(out, size, "length %u: %.3f us %.2f MB/s %.2f MiB/s", len,
		 usec, mbs, mbs * 1e6 / (1024.0 * 1024.0));
}
