/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_env.c - the environment variables of mx-api.md 6.1 and the MX
 * variables of 6.2 that stand in for them.
 *
 * Read once by omx__init_api(), after the driver told us its medium
 * geometry (the rendezvous thresholds are clamped to it).  A value that
 * does not parse is reported (when verbose) and the default kept.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omx_compat_internal.h"
#include "omx_lib.h"

/* OMX_<name>, else (unless OMX_IGNORE_MX_ENV) the MX variable standing in for it. */
static const char *env_get(const char *omx_name, const char *mx_name)
{
	const char *v = getenv(omx_name);
	const char *ignore_mx;

	if (v || !mx_name)
		return v;
	ignore_mx = getenv("OMX_IGNORE_MX_ENV");
	if (ignore_mx && strtol(ignore_mx, NULL, 0) != 0)
		return NULL;
	v = getenv(mx_name);
	if (v && omx__globals.verbose)
		omx__verbose("using %s=%s as %s\n", mx_name, v, omx_name);
	return v;
}

static int parse_u32(const char *name, const char *v, uint32_t *out)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(v, &end, 0);
	if (errno || end == v || *end != '\0' || x > UINT32_MAX || v[0] == '-') {
		fprintf(stderr, "%sIgnoring %s=\"%s\": not a number in 0..%u\n",
			omx__verbose_prefix(), name, v, UINT32_MAX);
		return -1;
	}
	*out = (uint32_t)x;
	return 0;
}

static void env_u32(const char *omx_name, const char *mx_name, uint32_t *out)
{
	const char *v = env_get(omx_name, mx_name);

	if (v)
		parse_u32(omx_name, v, out);
}

static void env_bool(const char *omx_name, const char *mx_name, int *out)
{
	uint32_t x = (uint32_t)*out;

	env_u32(omx_name, mx_name, &x);
	*out = x != 0;
}

/* Append the local hostname, or characters [from, to] of it ("%H[2-5]"). */
static size_t append_hostname(char *dst, size_t room, const char **fmt)
{
	char host[256];
	unsigned from = 0, to = ~0U;
	size_t len;
	int consumed = 0;

	if (gethostname(host, sizeof(host)) < 0)
		strcpy(host, "X");
	host[sizeof(host) - 1] = '\0';
	if (sscanf(*fmt, "[%u-%u]%n", &from, &to, &consumed) == 2 && consumed)
		*fmt += consumed;
	len = strlen(host);
	if (to >= len)
		to = len ? (unsigned)len - 1 : 0;
	if (from > to || from >= len)
		return 0;
	len = to - from + 1;
	if (len >= room)
		len = room - 1;
	memcpy(dst, host + from, len);
	return len;
}

/*
 * OMX_VERBOSE_PREFIX: "1" means "OMX:%H:%p "; %p pid, %H hostname; the
 * endpoint-specific %e, %b, %B print X here (the prefix is global).
 */
static void build_prefix(const char *fmt)
{
	char *out = omx__globals.verbose_prefix;
	size_t room = sizeof(omx__globals.verbose_prefix), n = 0;

	if (!strcmp(fmt, "1"))
		fmt = "OMX:%H:%p ";
	while (*fmt && n + 1 < room) {
		if (fmt[0] != '%' || !fmt[1]) {
			out[n++] = *fmt++;
			continue;
		}
		fmt += 2;
		switch (fmt[-1]) {
		case 'p':
			n += (size_t)snprintf(out + n, room - n, "%ld",
					      (long)getpid());
			break;
		case 'H':
			n += append_hostname(out + n, room - n, &fmt);
			break;
		case 'B':
			append_hostname(out + n, 1, &fmt); /* skip a range */
			/* fall through */
		case 'e':
		case 'b':
			out[n++] = 'X';
			break;
		default:
			out[n++] = fmt[-1];
			break;
		}
		if (n >= room)
			n = room - 1;
	}
	out[n] = '\0';
}

/* One prefix for the whole library: the compat half prints it too. */
const char *omx__verbose_prefix(void)
{
	return omx__message_prefix();
}

static uint32_t clamp_threshold(const char *name, uint32_t v)
{
	uint32_t max = omx__globals.medium_max;

	if (v < OMX_SMALL_MAX || v > max) {
		uint32_t c = v < OMX_SMALL_MAX ? OMX_SMALL_MAX : max;

		if (omx__globals.verbose)
			omx__verbose("%s=%u clamped to %u\n", name, v, c);
		return c;
	}
	return v;
}

/* Parsed for compatibility; they select features this library lacks. */
static const char *const ignored_vars[] = {
	"OMX_VERBDEBUG", "OMX_DEBUG_SIGNAL", "OMX_DEBUG_SIGNAL_NUM",
	"OMX_DEBUG_REQUESTS", "OMX_DEBUG_CHECKSUM", "OMX_CONNECT_POLLALL",
	"OMX_RCACHE", "OMX_PRCACHE", "OMX_PROCESS_BINDING", "OMX_MEDIUM_SENDQ",
};

void omx__env_read(void)
{
	struct omx__globals *g = &omx__globals;
	const char *v;
	unsigned i;

	v = getenv("OMX_VERBOSE_PREFIX");
	build_prefix(v ? v : "OMX: ");
	omx__set_message_prefix(g->verbose_prefix);
	env_bool("OMX_VERBOSE", "MX_VERBOSE", &g->verbose);
	env_u32("OMX_ABORT_SLEEPS", NULL, &g->abort_sleeps);
	env_bool("OMX_FATAL_ERRORS", "MX_ERRORS_ARE_FATAL", &g->fatal_errors);
	env_bool("OMX_DISABLE_SELF", "MX_DISABLE_SELF", &g->disable_self);
	/*
	 * The driver always delivers between endpoints of one host itself;
	 * OMX_DISABLE_SHARED makes their peers "remote" for the rendezvous
	 * threshold, as in Open-MX (omx_partner.c).
	 */
	env_bool("OMX_DISABLE_SHARED", "MX_DISABLE_SHMEM", &g->disable_shared);
	env_u32("OMX_RNDV_THRESHOLD", NULL, &g->rndv_threshold);
	env_u32("OMX_SHARED_RNDV_THRESHOLD", NULL, &g->shared_rndv_threshold);
	g->rndv_threshold = clamp_threshold("OMX_RNDV_THRESHOLD",
					    g->rndv_threshold);
	g->shared_rndv_threshold =
		clamp_threshold("OMX_SHARED_RNDV_THRESHOLD",
				g->shared_rndv_threshold);
	env_u32("OMX_RESENDS_MAX", "MX_MAX_RETRIES", &g->resends_max);
	env_u32("OMX_ZOMBIE_SEND", "MX_ZOMBIE_SEND", &g->zombie_max);
	env_u32("OMX_NOTACKED_MAX", "MX_IMM_ACK", &g->notacked_max);
	if (g->notacked_max == 0)
		g->notacked_max = 1;
	env_bool("OMX_WAITSPIN", NULL, &g->waitspin);
	env_bool("OMX_WAITINTR", NULL, &g->waitintr);
	env_u32("OMX_ANY_ENDPOINT", NULL, &g->any_endpoint);

	v = getenv("OMX_CTXIDS");
	if (v) {
		unsigned bits, shift;
		int end = 0;

		if (sscanf(v, "%u,%u%n", &bits, &shift, &end) == 2 &&
		    v[end] == '\0' && omx_match_ctxid_valid(bits, shift)) {
			g->ctxid_set = 1;
			g->ctxid_bits = (uint8_t)bits;
			g->ctxid_shift = (uint8_t)shift;
		} else {
			fprintf(stderr, "%sIgnoring OMX_CTXIDS=\"%s\": expected "
				"bits,shift with bits <= 16 and bits + shift <= 64\n",
				omx__verbose_prefix(), v);
		}
	}

	if (env_get("OMX_RCACHE", "MX_RCACHE") && g->verbose)
		omx__verbose("OMX_RCACHE/MX_RCACHE ignored: no registration cache\n");
	for (i = 0; i < sizeof(ignored_vars) / sizeof(ignored_vars[0]); i++)
		if (getenv(ignored_vars[i]) && g->verbose)
			omx__verbose("%s ignored: not supported by this library\n",
				     ignored_vars[i]);
	if (g->disable_shared && g->verbose)
		omx__verbose("OMX_DISABLE_SHARED: peers on this host use the "
			     "remote rendezvous threshold (%u); the driver "
			     "still delivers between local endpoints itself\n",
			     g->rndv_threshold);
}
