// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * xen2mx-echo - drive ECHO round trips from a guest through /dev/open-mx
 * to the xen2mx backend in dom0, check every payload and report the
 * round-trip times.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "xen2mx_ioctl.h"

static const char *progname = "xen2mx-echo";

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [-n COUNT] [-s SIZE] [--via-event] [--device PATH]\n"
		"       %s --stats [--device PATH]\n"
		"Send COUNT (default 1000) ECHO requests of SIZE (0..%u, default 64)\n"
		"bytes to dom0 and check each answer byte for byte.\n"
		"  -n, --count COUNT   number of round trips\n"
		"  -s, --size SIZE     payload bytes per request\n"
		"  -e, --via-event     have dom0 answer on the event ring\n"
		"  -S, --stats         print the device's counters and exit\n"
		"  -d, --device PATH   character device (default /dev/open-mx)\n"
		"  -h, --help          this text\n",
		progname, progname, XEN2MX_INLINE_MAX);
}

static int parse_uint(const char *opt, const char *s, unsigned long max,
		      unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || *s == '-' || *out > max) {
		fprintf(stderr, "%s: invalid %s '%s' (0..%lu)\n", progname, opt, s,
			max);
		return -1;
	}
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* xorshift: cheap, reproducible payloads that differ on every round. */
static uint32_t next_rand(uint32_t *state)
{
	uint32_t x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

static int print_stats(int fd)
{
	struct xen2mx_ioc_stats st;

	if (ioctl(fd, XEN2MX_IOC_STATS, &st) < 0) {
		fprintf(stderr, "%s: STATS: %s\n", progname, strerror(errno));
		return 1;
	}
	printf("devid: %" PRIu32 "\n", st.devid);
	printf("version: %" PRIu32 "\n", st.version);
	printf("ring_page_order: %" PRIu32 "\n", st.ring_page_order);
	printf("ring_slots: %" PRIu32 "\n", st.ring_slots);
	printf("ring_pages_mapped: %" PRIu32 "\n", st.backend.ring_pages_mapped);
	printf("grants_mapped: %" PRIu32 "\n", st.backend.grants_mapped);
	printf("requests: %" PRIu64 "\n", st.backend.requests);
	printf("errors: %" PRIu64 "\n", st.backend.errors);
	printf("events: %" PRIu64 "\n", st.backend.events);
	printf("notifications: %" PRIu64 "\n", st.backend.notifications);
	printf("frontend_requests: %" PRIu64 "\n", st.requests);
	printf("frontend_responses: %" PRIu64 "\n", st.responses);
	printf("frontend_events: %" PRIu64 "\n", st.events);
	printf("frontend_notifications: %" PRIu64 "\n", st.notifications);
	return 0;
}

/*
 * Round-trip times kept for the percentiles; beyond this many, the first
 * MAX_SAMPLES stand for the run (the bound keeps memory at 8 MB).
 */
#define MAX_SAMPLES 1000000ul

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The value below which @pct percent of the sorted samples lie. */
static uint64_t percentile(const uint64_t *sorted, unsigned long n, unsigned int pct)
{
	unsigned long i;

	if (n == 0)
		return 0;
	i = (n * pct + 99) / 100;
	return sorted[i ? i - 1 : 0];
}

static int run_echo(int fd, unsigned long count, unsigned int size,
		    uint32_t flags)
{
	struct xen2mx_ioc_echo io;
	uint8_t expect[XEN2MX_INLINE_MAX];
	uint64_t t0, dt, min = UINT64_MAX, max = 0, sum = 0;
	uint32_t seed = 0x2545f491u ^ (uint32_t)getpid();
	unsigned long i, mismatches = 0, nsamples = 0;
	uint64_t *samples;
	unsigned int j;

	nsamples = count < MAX_SAMPLES ? count : MAX_SAMPLES;
	samples = malloc((nsamples ? nsamples : 1) * sizeof(*samples));
	nsamples = 0;
	if (!samples) {
		fprintf(stderr, "%s: out of memory\n", progname);
		return 1;
	}

	for (i = 0; i < count; i++) {
		memset(&io, 0, sizeof(io));
		io.len = size;
		io.flags = flags;
		for (j = 0; j < size; j++)
			expect[j] = io.data[j] = (uint8_t)next_rand(&seed);

		t0 = now_ns();
		if (ioctl(fd, XEN2MX_IOC_ECHO, &io) < 0) {
			fprintf(stderr, "%s: ECHO %lu of %lu: %s\n", progname,
				i + 1, count, strerror(errno));
			free(samples);
			return 1;
		}
		dt = now_ns() - t0;

		if (io.len != size || memcmp(io.data, expect, size) != 0)
			mismatches++;
		sum += dt;
		if (nsamples < MAX_SAMPLES)
			samples[nsamples++] = dt;
		if (dt < min)
			min = dt;
		if (dt > max)
			max = dt;
	}
	if (count == 0)
		min = 0;
	qsort(samples, nsamples, sizeof(*samples), cmp_u64);
	printf("echo: %lu round trips, %u bytes: min %.1f us, median %.1f us, p99 %.1f us, avg %.1f us, max %.1f us, %lu mismatches\n",
	       count, size, min / 1e3, percentile(samples, nsamples, 50) / 1e3,
	       percentile(samples, nsamples, 99) / 1e3,
	       count ? sum / 1e3 / count : 0.0, max / 1e3, mismatches);
	free(samples);
	return mismatches ? 1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 's' },
		{ "via-event", no_argument, NULL, 'e' },
		{ "stats", no_argument, NULL, 'S' },
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *device = "/dev/open-mx";
	unsigned long count = 1000, size = 64;
	uint32_t flags = 0;
	int stats = 0, c, fd, ret;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":n:s:eSd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if (parse_uint("count", optarg, 1000000000ul, &count))
				return 2;
			break;
		case 's':
			if (parse_uint("size", optarg, XEN2MX_INLINE_MAX, &size))
				return 2;
			break;
		case 'e':
			flags |= XEN2MX_ECHO_VIA_EVENT;
			break;
		case 'S':
			stats = 1;
			break;
		case 'd':
			device = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, "%s: option '%s' needs a value\n", progname,
				argv[optind - 1]);
			return 2;
		default:
			fprintf(stderr, "%s: unknown option '%s' (see --help)\n",
				progname, argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", progname,
			argv[optind]);
		return 2;
	}

	fd = open(device, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", progname, device, strerror(errno));
		return 1;
	}
	ret = stats ? print_stats(fd) : run_echo(fd, count, (unsigned int)size, flags);
	close(fd);
	return ret;
}
