/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_perf_plan.h - what an omx_perf run does, independent of the Open-MX
 * API: the command line, the message lengths, the parameter message the
 * sender hands to the receiver (Open-MX 1.5's layout, see omx_perf.c for
 * where each fact comes from), the verification pattern and the result
 * line.
 */
#ifndef OMX_PERF_PLAN_H
#define OMX_PERF_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Endpoint key and match infos of Open-MX 1.5's omx_perf */
#define OMX_PERF_KEY			0x12345678u
/* match infos: the parameters and all data; the receiver's "ready" */
#define OMX_PERF_MATCH_DATA		0x1234567887654321ULL
#define OMX_PERF_MATCH_ACK		0ULL

/* Our limit (buffers are allocated at the end length); 1.5 has none. */
#define OMX_PERF_LENGTH_MAX		(16u << 20)	/* 16 MiB */
#define OMX_PERF_ITER_MAX		100000000u

/* Open-MX 1.5's defaults */
#define OMX_PERF_DEFAULT_START		0
#define OMX_PERF_DEFAULT_END		(1024u * 4096 + 1) /* excluded */
#define OMX_PERF_DEFAULT_MULT		2
#define OMX_PERF_DEFAULT_INCR		0
#define OMX_PERF_DEFAULT_ITER		1000
#define OMX_PERF_DEFAULT_WARMUP		10
#define OMX_PERF_DEFAULT_PAUSE_MS	100

#define OMX_PERF_ALIGN		0x1	/* -a: 64 KiB aligned */
#define OMX_PERF_UNIDIR		0x2	/* -U: empty replies */
#define OMX_PERF_SYNC		0x4	/* -Y: synchronous sends */
#define OMX_PERF_VERIFY		0x8	/* -V (ours): every byte */
#define OMX_PERF_FLAGS_ALL	0xf

/* -a: Open-MX 1.5's BUFFER_ALIGN, "page-aligned on any arch" */
#define OMX_PERF_ALIGN_BYTES		(64u * 1024)

struct omx_perf_plan {
	uint32_t start;		/* first length */
	uint32_t end;		/* lengths stay below this one */
	uint32_t mult;		/* next length: length * mult + incr, */
	uint32_t incr;		/* after 0: incr, or 1 if incr is 0 */
	uint32_t iter;		/* measured round trips per length */
	uint32_t warmup;	/* unmeasured ones before them */
	uint32_t flags;		/* OMX_PERF_* */
};

void omx_perf_plan_default(struct omx_perf_plan *plan);

/* NULL if @plan is usable, else why not (one phrase). */
const char *omx_perf_plan_check(const struct omx_perf_plan *plan);

/*
 * The length after @len, as Open-MX 1.5 computes it: @len * mult + incr,
 * and after 0, incr (or 1 if incr is 0); so the default plan runs 0, 1, 2,
 * 4, ... 4194304.  Returns false when it would reach the end.
 */
bool omx_perf_next_length(const struct omx_perf_plan *plan, uint32_t len,
			  uint32_t *next);

/* ------------------------------------------------------------------------
 * The parameter message (Open-MX 1.5's struct param, 44 bytes, big-endian
 * 32-bit words), sent by the sender right after connecting.  With -V our
 * sender appends 12 bytes (magic, version, flags): only our receiver takes
 * them; Open-MX 1.5's receiver refuses the longer message (truncated).
 */
#define OMX_PERF_PARAM_LEN		44
#define OMX_PERF_PARAM_EXT_LEN		56
#define OMX_PERF_EXT_MAGIC		0x58324d58u	/* "X2MX" */
#define OMX_PERF_EXT_VERSION		1
#define OMX_PERF_EXT_VERIFY		0x1

/* Writes the message; returns its length (44, or 56 with -V). */
size_t omx_perf_plan_encode(const struct omx_perf_plan *plan,
			    uint8_t out[OMX_PERF_PARAM_EXT_LEN]);

/* NULL and @plan filled, or why the message is not a usable plan. */
const char *omx_perf_plan_decode(const uint8_t *msg, size_t len,
				 struct omx_perf_plan *plan);

/* ------------------------------------------------------------------------
 * The command line (Open-MX 1.5's options, plus -V and long names)
 */
struct omx_perf_opts {
	struct omx_perf_plan plan;	/* the sender's options */
	uint32_t board;			/* -b */
	uint32_t endpoint;		/* -e, or OMX_PERF_ANY_ENDPOINT */
	uint32_t rendpoint;		/* -r */
	const char *dest;		/* -d: be the sender */
	uint32_t pause_ms;		/* -P */
	bool slave;			/* -s */
	bool wait;			/* -w */
	bool yield;			/* -y */
	bool verbose;			/* -v */
	bool help;			/* -h */
};

#define OMX_PERF_ANY_ENDPOINT		UINT32_MAX

/*
 * Parse the options of @argv into @o (defaults first).  A usage error
 * prints one line and exits with status 2 (omx_tool_usage_error).
 */
void omx_perf_parse_options(int argc, char *argv[], struct omx_perf_opts *o);

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
 * length and the measured time per message in microseconds (half a round
 * trip; with -U a whole one, the reply being empty).
 */
void omx_perf_format_result(char *out, size_t size, uint32_t len,
			    double usec);

#endif /* OMX_PERF_PLAN_H */
