// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_perf_plan.c - command line, lengths, parameter message (Open-MX
 * 1.5's layout), verification pattern and result line of omx_perf.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "omx_perf_plan.h"
#include "omx_tools.h"

void omx_perf_plan_default(struct omx_perf_plan *plan)
{
	plan->start = OMX_PERF_DEFAULT_START;
	plan->end = OMX_PERF_DEFAULT_END;
	plan->mult = OMX_PERF_DEFAULT_MULT;
	plan->incr = OMX_PERF_DEFAULT_INCR;
	plan->iter = OMX_PERF_DEFAULT_ITER;
	plan->warmup = OMX_PERF_DEFAULT_WARMUP;
	plan->flags = 0;
}

const char *omx_perf_plan_check(const struct omx_perf_plan *plan)
{
	if (plan->end > OMX_PERF_LENGTH_MAX + 1)
		return "end length beyond 16 MiB + 1 (the end is excluded)";
	if (plan->start >= plan->end)
		return "no length below the end length (the end is excluded)";
	if (plan->incr > OMX_PERF_LENGTH_MAX)
		return "length increment beyond 16 MiB";
	/* Lengths must grow, or the run never ends. */
	if (plan->mult < 1 || (plan->mult == 1 && plan->incr == 0))
		return "lengths would not grow (multiplier below 2 without an increment)";
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
	uint64_t n;

	if (len)
		n = (uint64_t)len * plan->mult + plan->incr;
	else
		n = plan->incr ? plan->incr : 1;
	if (n >= plan->end)
		return false;
	*next = (uint32_t)n;
	return true;
}

/* ------------------------------------------------------------------------
 * The parameter message
 */
static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* A 64-bit value of 1.5's message: low word first, then high word. */
static void put_du32(uint8_t *p, uint32_t v)
{
	put_be32(p, v);
	put_be32(p + 4, 0);
}

size_t omx_perf_plan_encode(const struct omx_perf_plan *plan,
			    uint8_t out[OMX_PERF_PARAM_EXT_LEN])
{
	memset(out, 0, OMX_PERF_PARAM_EXT_LEN);
	put_be32(out + 0, plan->iter);
	put_be32(out + 4, plan->warmup);
	put_du32(out + 8, plan->start);
	put_du32(out + 16, plan->end);
	put_du32(out + 24, plan->mult);
	put_du32(out + 32, plan->incr);
	out[40] = !!(plan->flags & OMX_PERF_ALIGN);
	out[41] = !!(plan->flags & OMX_PERF_UNIDIR);
	out[42] = !!(plan->flags & OMX_PERF_SYNC);
	/* out[43]: structure padding in 1.5, unspecified; we send 0 */
	if (!(plan->flags & OMX_PERF_VERIFY))
		return OMX_PERF_PARAM_LEN;
	put_be32(out + 44, OMX_PERF_EXT_MAGIC);
	put_be32(out + 48, OMX_PERF_EXT_VERSION);
	put_be32(out + 52, OMX_PERF_EXT_VERIFY);
	return OMX_PERF_PARAM_EXT_LEN;
}

const char *omx_perf_plan_decode(const uint8_t *msg, size_t len,
				 struct omx_perf_plan *plan)
{
	uint32_t ext_flags = 0;

	if (len != OMX_PERF_PARAM_LEN && len != OMX_PERF_PARAM_EXT_LEN)
		return "not an omx_perf parameter message (length)";
	if (len == OMX_PERF_PARAM_EXT_LEN) {
		if (get_be32(msg + 44) != OMX_PERF_EXT_MAGIC)
			return "not an omx_perf parameter message (magic)";
		if (get_be32(msg + 48) != OMX_PERF_EXT_VERSION)
			return "omx_perf parameter message of another version";
		ext_flags = get_be32(msg + 52);
		if (ext_flags & ~OMX_PERF_EXT_VERIFY)
			return "unknown flags in the parameter message";
	}
	/* 1.5 carries 64-bit lengths; ours stop at 16 MiB. */
	if (get_be32(msg + 12) || get_be32(msg + 20) || get_be32(msg + 28) ||
	    get_be32(msg + 36))
		return "lengths beyond 4 GiB";
	plan->iter = get_be32(msg + 0);
	plan->warmup = get_be32(msg + 4);
	plan->start = get_be32(msg + 8);
	plan->end = get_be32(msg + 16);
	plan->mult = get_be32(msg + 24);
	plan->incr = get_be32(msg + 32);
	plan->flags = 0;
	/* 1.5 tests them as booleans */
	if (msg[40])
		plan->flags |= OMX_PERF_ALIGN;
	if (msg[41])
		plan->flags |= OMX_PERF_UNIDIR;
	if (msg[42])
		plan->flags |= OMX_PERF_SYNC;
	if (ext_flags & OMX_PERF_EXT_VERIFY)
		plan->flags |= OMX_PERF_VERIFY;
	return omx_perf_plan_check(plan);
}

/* ------------------------------------------------------------------------
 * The command line
 */
void omx_perf_parse_options(int argc, char *argv[], struct omx_perf_opts *o)
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "slave", no_argument, NULL, 's' },
		{ "wait", no_argument, NULL, 'w' },
		{ "yield", no_argument, NULL, 'y' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "align", no_argument, NULL, 'a' },
		{ "dest", required_argument, NULL, 'd' },
		{ "remote-endpoint", required_argument, NULL, 'r' },
		{ "start", required_argument, NULL, 'S' },
		{ "end", required_argument, NULL, 'E' },
		{ "multiplier", required_argument, NULL, 'M' },
		{ "increment", required_argument, NULL, 'I' },
		{ "iterations", required_argument, NULL, 'N' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "pause", required_argument, NULL, 'P' },
		{ "unidirectional", no_argument, NULL, 'U' },
		{ "sync", no_argument, NULL, 'Y' },
		{ "verify", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct omx_perf_plan *plan = &o->plan;
	int c, sender_opt = 0;
	const char *why;

	memset(o, 0, sizeof(*o));
	omx_perf_plan_default(plan);
	o->endpoint = OMX_PERF_ANY_ENDPOINT;
	o->pause_ms = OMX_PERF_DEFAULT_PAUSE_MS;
	opterr = 0;
	optind = 0;	/* a full reset, so it can run more than once */
	while ((c = getopt_long(argc, argv,
				":b:e:swyvad:r:S:E:M:I:N:W:P:UYVh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'b':
			o->board = omx_tool_opt_u32(c, "board number", optarg,
						    0, UINT32_MAX - 1);
			break;
		case 'e':
			o->endpoint = omx_tool_opt_u32(c, "endpoint index",
						       optarg, 0, 255);
			break;
		case 's':
			o->slave = true;
			break;
		case 'w':
			o->wait = true;
			break;
		case 'y':
			o->yield = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			o->help = true;
			return;
		case 'd':
			if (!optarg[0])
				omx_tool_usage_error("empty hostname for -d");
			o->dest = optarg;
			break;
		case 'r':
			o->rendpoint = omx_tool_opt_u32(c, "remote endpoint index",
							optarg, 0, 255);
			sender_opt = c;
			break;
		case 'S':
			plan->start = omx_tool_opt_u32(c, "start length", optarg,
						       0, OMX_PERF_LENGTH_MAX);
			sender_opt = c;
			break;
		case 'E':
			plan->end = omx_tool_opt_u32(c, "end length", optarg, 1,
						     OMX_PERF_LENGTH_MAX + 1);
			sender_opt = c;
			break;
		case 'M':
			plan->mult = omx_tool_opt_u32(c, "length multiplier",
						      optarg, 1, UINT32_MAX);
			sender_opt = c;
			break;
		case 'I':
			plan->incr = omx_tool_opt_u32(c, "length increment",
						      optarg, 0,
						      OMX_PERF_LENGTH_MAX);
			sender_opt = c;
			break;
		case 'N':
			plan->iter = omx_tool_opt_u32(c, "iteration count",
						      optarg, 1,
						      OMX_PERF_ITER_MAX);
			sender_opt = c;
			break;
		case 'W':
			plan->warmup = omx_tool_opt_u32(c, "warmup count",
							optarg, 0,
							OMX_PERF_ITER_MAX);
			sender_opt = c;
			break;
		case 'P':
			o->pause_ms = omx_tool_opt_u32(c, "pause", optarg, 0,
						       3600000);
			sender_opt = c;
			break;
		case 'a':
			plan->flags |= OMX_PERF_ALIGN;
			sender_opt = c;
			break;
		case 'U':
			plan->flags |= OMX_PERF_UNIDIR;
			sender_opt = c;
			break;
		case 'Y':
			plan->flags |= OMX_PERF_SYNC;
			sender_opt = c;
			break;
		case 'V':
			plan->flags |= OMX_PERF_VERIFY;
			sender_opt = c;
			break;
		default:
			omx_tool_bad_option(c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		omx_tool_usage_error("unexpected argument '%s' (see --help)",
				     argv[optind]);
	if (!o->dest && sender_opt)
		omx_tool_usage_error("-%c is a sender option: the receiver gets it from the sender (add -d HOSTNAME)",
				     sender_opt);
	if (o->dest && o->slave)
		omx_tool_usage_error("-s is a receiver option (drop -d HOSTNAME)");
	why = omx_perf_plan_check(plan);
	if (why)
		omx_tool_usage_error("%s (-S %u -E %u -M %u -I %u)", why,
				     plan->start, plan->end, plan->mult,
				     plan->incr);
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
