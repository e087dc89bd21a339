// SPDX-License-Identifier: MIT
/*
 * omx-wirefuzz - fire mutated Open-MX frames (ethertype 0x86DF) at target
 * boards through an AF_PACKET socket, as a hostile host on the link would:
 * valid frames of every packet type built with the project's encoder, then
 * mutated (wirefuzz_gen.c), with the source MACs of real peers.
 *
 * A run is a seed and a range of frame numbers: the same seed, --from and
 * --count give the same frames again, so a frame that did harm can be sent
 * alone (--from N --count 1) or printed (--dry-run).  --rate and --burst
 * pace the frames so that the target's link does not simply drop them.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "omx_link.h"
#include "omx_wire.h"
#include "wirefuzz_gen.h"

static const char *progname = "omx-wirefuzz";

#define DEFAULT_COUNT	100000
#define DEFAULT_RATE	2000
#define DEFAULT_BURST	16
/* Retries of one frame the link refuses (ENOBUFS) before giving up. */
#define BUSY_RETRIES	10000

static void usage(FILE *out)
{
	fprintf(out,
"Usage: %s -i IFACE -d MAC [options]       send mutated 0x86DF frames\n"
"       %s --dry-run -d MAC [options]      print them, send nothing\n"
"\n"
"Frames of every Open-MX packet type, valid when built, then mutated\n"
"(type, lengths, peer indexes, endpoints, sessions, magics, handles,\n"
"offsets, sequence numbers, truncation, extension, random octets).\n"
"\n"
"Options:\n"
"  -i, --interface IFACE   link to send on (required unless --dry-run)\n"
"  -d, --dst MAC           a target board; repeat for up to %d, each frame\n"
"                          goes to one of them (required)\n"
"  -s, --spoof MAC[=INDEX] a real peer to impersonate, repeat for up to %d:\n"
"                          its MAC as source and INDEX, its index in the\n"
"                          targets' peer table, as header peer index\n"
"                          (without INDEX the index is guessed)\n"
"  -H, --hostname NAME     a name HOST_REPLY frames claim, repeat for up\n"
"                          to %d (1..79 octets)\n"
"  -S, --seed N            the run's seed, 0..2^64-1 (default: random);\n"
"                          printed first, as \"seed N\"\n"
"  -f, --from N            first frame number (default 0)\n"
"  -n, --count N           frames to send, at least 1 (default %d)\n"
"  -r, --rate N            frames per second; 0: as fast as the link takes\n"
"                          them (default %d)\n"
"  -b, --burst N           frames sent back to back between pauses,\n"
"                          at least 1 (default %d)\n"
"  -e, --endpoints N       endpoints per target board, 1..255 (default 8)\n"
"  -m, --max-frame N       longest frame, Ethernet header included,\n"
"                          64..%d (default: the interface MTU + 14;\n"
"                          9014 with --dry-run)\n"
"  -t, --types LIST        packet types to build, comma-separated (default\n"
"                          all): tiny small medium rndv notify connect\n"
"                          connect_reply truc nack_lib nack_mcp pull\n"
"                          pull_reply host_query host_reply raw\n"
"  -v, --valid-percent P   frames left valid, 0..100 (default 10)\n"
"  -p, --spoof-percent P   frames from a --spoof source, 0..100\n"
"                          (default 85; the others: random sources)\n"
"      --progress N        a progress line on stderr every N frames\n"
"      --dry-run           print one line per frame instead of sending:\n"
"                          N base=TYPE mut=M+M len=L src=MAC dst=MAC hex=...\n"
"  -h, --help              show this help and exit\n"
"\n"
"At the end: \"sent N frames (O octets) in T s: R frames/s, seed S,\n"
"frames F..L\", the link's refusals (\"busy\", each retried), and the count\n"
"of frames to each target, of each packet type and of each mutation.\n"
"Exit status: 0 done, 1 failure (socket, send), 2 bad arguments.\n",
		progname, progname, WF_DST_MAX, WF_SRC_MAX, WF_NAME_MAX,
		DEFAULT_COUNT, DEFAULT_RATE, DEFAULT_BURST, WF_FRAME_MAX);
}

/* Every argument error is one line on stderr and exit status 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
bad_args(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see --help)\n");
	exit(2);
}

/* A decimal or 0x-prefixed hexadecimal number from min to max. */
static unsigned long long parse_number(const char *opt, const char *s,
				       unsigned long long min,
				       unsigned long long max)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *s == '-' || *s == '+' || *end != '\0' ||
	    v < min || v > max)
		bad_args("%s: '%s' is not a number from %llu to %llu", opt, s,
			 min, max);
	return v;
}

static int parse_mac(const char *s, uint8_t mac[ETH_ALEN])
{
	unsigned int b[ETH_ALEN];
	char extra;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &extra) != ETH_ALEN)
		return -1;
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

static void format_mac(const uint8_t *mac, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

/* MAC or MAC=INDEX */
static void parse_spoof(const char *s, struct wf_peer *p)
{
	char mac[18];
	const char *eq = strchr(s, '=');
	size_t n = eq ? (size_t)(eq - s) : strlen(s);

	if (n >= sizeof(mac))
		n = sizeof(mac) - 1;
	memcpy(mac, s, n);
	mac[n] = '\0';
	if (parse_mac(mac, p->mac))
		bad_args("--spoof: '%s' is not MAC or MAC=INDEX, e.g. "
			 "02:58:32:00:00:02=1", s);
	p->has_index = eq != NULL;
	if (eq)
		p->index = (uint16_t)parse_number("--spoof index", eq + 1, 0,
						  0xffff);
}

/* tiny,small,...: a mask of enum wf_base. */
static uint32_t parse_types(const char *s)
{
	char buf[256], *tok, *save = NULL;
	uint32_t mask = 0;
	int b;

	if (strlen(s) >= sizeof(buf))
		bad_args("--types: '%s' is too long", s);
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		b = wf_base_by_name(tok);
		if (b < 0)
			bad_args("--types: unknown packet type '%s'", tok);
		mask |= 1u << b;
	}
	if (!mask)
		bad_args("--types: '%s' names no packet type", s);
	return mask;
}

static uint64_t random_seed(void)
{
	struct timespec ts;
	uint64_t seed = 0;
	int fd = open("/dev/urandom", O_RDONLY);

	if (fd >= 0) {
		if (read(fd, &seed, sizeof(seed)) != (ssize_t)sizeof(seed))
			seed = 0;
		close(fd);
	}
	if (!seed) {
		clock_gettime(CLOCK_REALTIME, &ts);
		seed = (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^
		       (uint64_t)getpid() << 32;
	}
	return seed;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	double d = t - now_s();
	struct timespec ts;

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	nanosleep(&ts, NULL);
}

static void print_dry(uint64_t n, const struct wf_frame *f)
{
	char src[18], dst[18];
	unsigned int m, first = 1;
	size_t i;

	format_mac(f->buf, dst);
	format_mac(f->buf + ETH_ALEN, src);
	printf("%llu base=%s mut=", (unsigned long long)n, wf_base_name(f->base));
	for (m = 0; m < WF_MUT_MAX; m++) {
		if (!(f->mutations & 1u << m))
			continue;
		printf("%s%s", first ? "" : "+", wf_mutation_name(m));
		first = 0;
	}
	if (first)
		printf("none");
	printf(" len=%zu src=%s dst=%s hex=", f->len, src, dst);
	for (i = 0; i < f->len; i++)
		printf("%02x", f->buf[i]);
	printf("\n");
}

struct run {
	const char *ifname;
	uint64_t seed, from, count, progress;
	unsigned long rate, burst;
	int dry_run, max_frame_set;
	struct wf_config cfg;
	/* results */
	uint64_t sent, octets, busy;
	uint64_t by_base[WF_BASE_MAX], by_mut[WF_MUT_MAX], valid;
	uint64_t by_dst[WF_DST_MAX];
};

static void print_summary(const struct run *run, double secs)
{
	unsigned int i;

	printf("sent %llu frames (%llu octets) in %.1f s: %.0f frames/s, "
	       "seed %llu, frames %llu..%llu\n",
	       (unsigned long long)run->sent, (unsigned long long)run->octets,
	       secs, secs > 0 ? (double)run->sent / secs : 0.0,
	       (unsigned long long)run->seed, (unsigned long long)run->from,
	       (unsigned long long)(run->from + run->count - 1));
	printf("busy %llu (the link refused a frame, sent again)\n",
	       (unsigned long long)run->busy);
	printf("targets:");
	for (i = 0; i < run->cfg.ndst; i++) {
		char mac[18];

		format_mac(run->cfg.dst[i], mac);
		printf(" %s=%llu", mac, (unsigned long long)run->by_dst[i]);
	}
	printf("\ntypes:");
	for (i = 0; i < WF_BASE_MAX; i++)
		printf(" %s=%llu", wf_base_name(i),
		       (unsigned long long)run->by_base[i]);
	printf("\nmutations: none=%llu", (unsigned long long)run->valid);
	for (i = 0; i < WF_MUT_MAX; i++)
		printf(" %s=%llu", wf_mutation_name(i),
		       (unsigned long long)run->by_mut[i]);
	printf("\n");
}

/* One frame out; ENOBUFS (the queue to the link is full) is retried. */
static int send_frame(struct run *run, int fd, const struct wf_frame *f,
		      uint64_t n)
{
	unsigned int tries;

	for (tries = 0;; tries++) {
		ssize_t r = send(fd, f->buf, f->len, 0);

		if (r == (ssize_t)f->len)
			return 0;
		if (r >= 0) {
			fprintf(stderr, "%s: %s took %zd of %zu octets of frame "
				"%llu\n", progname, run->ifname, r, f->len,
				(unsigned long long)n);
			return -1;
		}
		if ((errno == ENOBUFS || errno == EAGAIN) && tries < BUSY_RETRIES) {
			struct timespec ts = { 0, 1000000 };	/* 1 ms */

			run->busy++;
			nanosleep(&ts, NULL);
			continue;
		}
		if (errno == EINTR)
			continue;
		fprintf(stderr, "%s: sending frame %llu (%zu octets) on %s: %s\n",
			progname, (unsigned long long)n, f->len, run->ifname,
			strerror(errno));
		return -1;
	}
}

static int do_run(struct run *run)
{
	static struct wf_frame f;
	unsigned int mtu = 0, i;
	const char *why;
	double t0, next;
	uint64_t k;
	int fd = -1, ifindex;

	if (!run->dry_run) {
		fd = omx_link_open(progname, run->ifname, &ifindex, NULL, &mtu);
		if (fd < 0)
			return 1;
		if (!run->max_frame_set)
			run->cfg.max_frame = mtu + ETH_HLEN > WF_FRAME_MAX ?
					     WF_FRAME_MAX : mtu + ETH_HLEN;
	}
	why = wf_config_check(&run->cfg);
	if (why) {
		fprintf(stderr, "%s: %s\n", progname, why);
		if (fd >= 0)
			close(fd);
		return 2;
	}
	printf("seed %llu\n", (unsigned long long)run->seed);
	fflush(stdout);

	t0 = now_s();
	next = t0;
	for (k = 0; k < run->count; k++) {
		uint64_t n = run->from + k;

		wf_generate(&run->cfg, run->seed, n, &f);
		if (run->dry_run) {
			print_dry(n, &f);
		} else {
			if (run->rate && k % run->burst == 0) {
				double now = now_s();

				/* Behind by over a second: no catching up in one go. */
				if (next < now - 1.0)
					next = now;
				sleep_until(next);
				next += (double)run->burst / (double)run->rate;
			}
			if (send_frame(run, fd, &f, n)) {
				print_summary(run, now_s() - t0);
				close(fd);
				return 1;
			}
		}
		run->sent++;
		run->octets += f.len;
		run->by_base[f.base]++;
		run->by_dst[f.dst]++;
		if (!f.mutations)
			run->valid++;
		for (i = 0; i < WF_MUT_MAX; i++)
			if (f.mutations & 1u << i)
				run->by_mut[i]++;
		if (run->progress && run->sent % run->progress == 0)
			fprintf(stderr, "%s: %llu frames, %.1f s\n", progname,
				(unsigned long long)run->sent, now_s() - t0);
	}
	if (fd >= 0)
		close(fd);
	if (!run->dry_run)
		print_summary(run, now_s() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_DRY_RUN = 256, OPT_PROGRESS };
	static const struct option longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "dst", required_argument, NULL, 'd' },
		{ "spoof", required_argument, NULL, 's' },
		{ "hostname", required_argument, NULL, 'H' },
		{ "seed", required_argument, NULL, 'S' },
		{ "from", required_argument, NULL, 'f' },
		{ "count", required_argument, NULL, 'n' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'b' },
		{ "endpoints", required_argument, NULL, 'e' },
		{ "max-frame", required_argument, NULL, 'm' },
		{ "types", required_argument, NULL, 't' },
		{ "valid-percent", required_argument, NULL, 'v' },
		{ "spoof-percent", required_argument, NULL, 'p' },
		{ "progress", required_argument, NULL, OPT_PROGRESS },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct run run;
	int have_seed = 0, c;

	wf_config_init(&run.cfg);
	run.count = DEFAULT_COUNT;
	run.rate = DEFAULT_RATE;
	run.burst = DEFAULT_BURST;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:d:s:H:S:f:n:r:b:e:m:t:v:p:h",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			run.ifname = optarg;
			break;
		case 'd':
			if (run.cfg.ndst == WF_DST_MAX)
				bad_args("--dst: more than %d targets", WF_DST_MAX);
			if (parse_mac(optarg, run.cfg.dst[run.cfg.ndst]))
				bad_args("--dst: '%s' is not a MAC address like "
					 "02:58:32:00:00:01", optarg);
			run.cfg.ndst++;
			break;
		case 's':
			if (run.cfg.nsrc == WF_SRC_MAX)
				bad_args("--spoof: more than %d peers", WF_SRC_MAX);
			parse_spoof(optarg, &run.cfg.src[run.cfg.nsrc++]);
			break;
		case 'H':
			if (run.cfg.nnames == WF_NAME_MAX)
				bad_args("--hostname: more than %d names",
					 WF_NAME_MAX);
			if (optarg[0] == '\0' ||
			    strlen(optarg) >= OMX_WIRE_HOSTNAME_MAX)
				bad_args("--hostname: '%s' is not 1..%d octets",
					 optarg, OMX_WIRE_HOSTNAME_MAX - 1);
			run.cfg.names[run.cfg.nnames++] = optarg;
			break;
		case 'S':
			run.seed = parse_number("--seed", optarg, 0, UINT64_MAX);
			have_seed = 1;
			break;
		case 'f':
			run.from = parse_number("--from", optarg, 0,
						UINT64_MAX / 2);
			break;
		case 'n':
			run.count = parse_number("--count", optarg, 1,
						 UINT64_MAX / 2);
			break;
		case 'r':
			run.rate = (unsigned long)parse_number("--rate", optarg,
							       0, 10000000);
			break;
		case 'b':
			run.burst = (unsigned long)parse_number("--burst", optarg,
								1, 1000000);
			break;
		case 'e':
			run.cfg.endpoints = (unsigned int)parse_number(
				"--endpoints", optarg, 1, 255);
			break;
		case 'm':
			run.cfg.max_frame = (size_t)parse_number("--max-frame",
					optarg, OMX_WIRE_ETH_ZLEN + 4, WF_FRAME_MAX);
			run.max_frame_set = 1;
			break;
		case 't':
			run.cfg.types = parse_types(optarg);
			break;
		case 'v':
			run.cfg.valid_percent = (unsigned int)parse_number(
				"--valid-percent", optarg, 0, 100);
			break;
		case 'p':
			run.cfg.spoof_percent = (unsigned int)parse_number(
				"--spoof-percent", optarg, 0, 100);
			break;
		case OPT_PROGRESS:
			run.progress = parse_number("--progress", optarg, 1,
						    UINT64_MAX);
			break;
		case OPT_DRY_RUN:
			run.dry_run = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			bad_args("option '%s' needs a value", argv[optind - 1]);
		default:
			/* optopt names a bad short option, even inside "-xy". */
			if (optopt)
				bad_args("unknown option '-%c'", optopt);
			bad_args("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		bad_args("unexpected argument '%s'", argv[optind]);
	if (run.cfg.ndst == 0)
		bad_args("needs at least one --dst MAC (a target board)");
	if (!run.ifname && !run.dry_run)
		bad_args("needs --interface IFACE (or --dry-run)");
	if (run.ifname && run.dry_run)
		bad_args("--dry-run sends nothing: --interface makes no sense");
	if (!have_seed)
		run.seed = random_seed();
	return do_run(&run);
}
