// SPDX-License-Identifier: MIT
/*
 * omx-rawframe - put hand-made Open-MX frames (ethertype 0x86DF) on a link,
 * or print the ones that arrive, through an AF_PACKET socket.
 *
 * The test bed uses it to send what no correct Open-MX stack sends (unknown
 * packet types, bad peer indexes, truncated headers, odd lengths) and to
 * check what reaches the other host.  Nothing here knows the packet layouts
 * beyond the 17-octet head (Ethernet header, peer index, packet type):
 * everything after the type octet is the caller's hex.
 *
 * Both directions print a 32-bit FNV-1a hash of each whole frame, so a test
 * can check that a frame arrived byte for byte without dumping it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
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

static const char *progname = "omx-rawframe";

/* The largest frame a link can carry (64 KiB MTU) plus the Ethernet header. */
#define FRAME_MAX	(65535 + OMX_WIRE_ETH_HLEN)
/* Frame offset of the packet type: the Open-MX head is 16 octets. */
#define PTYPE_OFF	OMX_WIRE_HLEN

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s send -i IFACE [options]   send crafted 0x86DF frames\n"
		"       %s recv -i IFACE [options]   print arriving 0x86DF frames\n"
		"\n"
		"send options:\n"
		"  -i, --interface IFACE  link to send on (required)\n"
		"  -d, --dst MAC          destination (default ff:ff:ff:ff:ff:ff)\n"
		"  -s, --src MAC          source (default: the interface's address)\n"
		"  -p, --peer-index N     header peer index, 0..65535 (default 65535,\n"
		"                         \"sender not known yet\")\n"
		"  -t, --type N           packet type octet, 0..255 (default 0, NONE)\n"
		"  -b, --body HEX         octets after the type octet, e.g. 0102ff or\n"
		"                         01:02:ff (default none)\n"
		"  -l, --length N         whole frame length, Ethernet header included,\n"
		"                         %d..%d: cuts the head and body or pads them\n"
		"                         with zeros (default: head and body, padded\n"
		"                         to %d)\n"
		"  -n, --count N          frames to send (default 1)\n"
		"Prints one line: sent COUNT frames len=LEN fnv=HASH.\n"
		"\n"
		"recv options:\n"
		"  -i, --interface IFACE  link to listen on (required)\n"
		"  -w, --seconds S        stop after S seconds (default 10)\n"
		"  -n, --count N          stop after N frames; fewer by the deadline\n"
		"                         is a failure\n"
		"Prints \"listening on IFACE\" on stderr once frames are captured, then\n"
		"one line per frame received (frames this host sends are skipped):\n"
		"  len=LEN type=0xTT peer_index=0xPPPP src=MAC dst=MAC fnv=HASH\n"
		"(type and peer_index are \"-\" when the frame is too short to hold\n"
		"them), and at the end: received N frames.\n"
		"\n"
		"Exit status: 0 done, 1 failure (socket, send, too few frames),\n"
		"2 bad arguments.\n",
		progname, progname, OMX_WIRE_ETH_HLEN, FRAME_MAX, OMX_WIRE_ETH_ZLEN);
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

/* A decimal or 0x-prefixed hexadecimal number from 0 to max. */
static unsigned long parse_number(const char *opt, const char *s,
				  unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *s == '\0' || *s == '-' || *end != '\0' || v > max)
		bad_args("%s: '%s' is not a number from 0 to %lu", opt, s, max);
	return v;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Hex octets, each two digits, optionally separated by ':'; returns how many
 * were stored in out (at most max).
 */
static size_t parse_hex(const char *opt, const char *s, uint8_t *out,
			size_t max)
{
	size_t n = 0;
	const char *p = s;

	while (*p) {
		int hi = hex_digit(p[0]);
		int lo = hi < 0 ? -1 : hex_digit(p[1]);

		if (hi < 0 || lo < 0)
			bad_args("%s: '%s' is not hex octets (two digits each, "
				 "':' allowed between them)", opt, s);
		if (n == max)
			bad_args("%s: more than %zu octets", opt, max);
		out[n++] = (uint8_t)(hi << 4 | lo);
		p += 2;
		if (*p == ':' && p[1] != '\0')
			p++;
	}
	return n;
}

static void parse_mac(const char *opt, const char *s, uint8_t mac[ETH_ALEN])
{
	unsigned int b[ETH_ALEN];
	char extra;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &extra) != ETH_ALEN || strlen(s) != 17)
		bad_args("%s: '%s' is not a MAC address like 02:58:32:00:00:01",
			 opt, s);
	for (i = 0; i < ETH_ALEN; i++)
		mac[i] = (uint8_t)b[i];
}

static void format_mac(const uint8_t *mac, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
}

static uint32_t fnv1a(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	while (len--) {
		h ^= *p++;
		h *= 16777619u;
	}
	return h;
}

struct send_opts {
	const char *ifname;
	uint8_t dst[ETH_ALEN];
	uint8_t src[ETH_ALEN];
	int have_src;
	unsigned int peer_index;
	unsigned int ptype;
	uint8_t body[FRAME_MAX];
	size_t body_len;
	long length;		/* -1: head and body, padded to 60 */
	unsigned long count;
};

static int do_send(struct send_opts *o)
{
	static uint8_t frame[FRAME_MAX];
	uint8_t if_mac[ETH_ALEN];
	size_t natural, len;
	unsigned long i;
	int fd, ifindex;

	fd = omx_link_open(progname, o->ifname, &ifindex, if_mac, NULL);
	if (fd < 0)
		return 1;

	/* Lay out the whole head and body, then cut or pad to the length. */
	memcpy(frame, o->dst, ETH_ALEN);
	memcpy(frame + ETH_ALEN, o->have_src ? o->src : if_mac, ETH_ALEN);
	frame[12] = OMX_WIRE_ETHERTYPE >> 8;
	frame[13] = OMX_WIRE_ETHERTYPE & 0xff;
	frame[14] = (uint8_t)(o->peer_index >> 8);
	frame[15] = (uint8_t)o->peer_index;
	frame[PTYPE_OFF] = (uint8_t)o->ptype;
	natural = PTYPE_OFF + 1 + o->body_len;
	if (natural > FRAME_MAX) {
		fprintf(stderr, "%s: head and body make %zu octets, more than %d\n",
			progname, natural, FRAME_MAX);
		close(fd);
		return 2;
	}
	memcpy(frame + PTYPE_OFF + 1, o->body, o->body_len);
	if (o->length >= 0)
		len = (size_t)o->length;
	else
		len = natural < OMX_WIRE_ETH_ZLEN ? OMX_WIRE_ETH_ZLEN : natural;
	if (len > natural)
		memset(frame + natural, 0, len - natural);

	for (i = 0; i < o->count; i++) {
		ssize_t n = send(fd, frame, len, 0);

		if (n < 0) {
			fprintf(stderr, "%s: sending frame %lu of %lu (%zu octets) "
				"on %s: %s\n", progname, i + 1, o->count, len,
				o->ifname, strerror(errno));
			close(fd);
			return 1;
		}
		if ((size_t)n != len) {
			fprintf(stderr, "%s: %s took %zd of %zu octets\n",
				progname, o->ifname, n, len);
			close(fd);
			return 1;
		}
	}
	close(fd);
	printf("sent %lu frames len=%zu fnv=%08x\n", o->count, len,
	       fnv1a(frame, len));
	return 0;
}

static void print_frame(const uint8_t *f, size_t len)
{
	char dst[18] = "-", src[18] = "-", ptype[8] = "-", peer[8] = "-";

	if (len >= ETH_ALEN)
		format_mac(f, dst);
	if (len >= 2 * ETH_ALEN)
		format_mac(f + ETH_ALEN, src);
	if (len >= PTYPE_OFF)
		snprintf(peer, sizeof(peer), "0x%04x", f[14] << 8 | f[15]);
	if (len > PTYPE_OFF)
		snprintf(ptype, sizeof(ptype), "0x%02x", f[PTYPE_OFF]);
	printf("len=%zu type=%s peer_index=%s src=%s dst=%s fnv=%08x\n", len,
	       ptype, peer, src, dst, fnv1a(f, len));
	fflush(stdout);
}

static long ms_until(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

static int do_recv(const char *ifname, unsigned long seconds,
		   unsigned long count)
{
	static uint8_t frame[FRAME_MAX];
	struct timespec deadline;
	uint8_t if_mac[ETH_ALEN];
	unsigned long received = 0;
	int fd, ifindex;
	long left;

	fd = omx_link_open(progname, ifname, &ifindex, if_mac, NULL);
	if (fd < 0)
		return 1;
	fprintf(stderr, "%s: listening on %s\n", progname, ifname);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)seconds;
	while ((count == 0 || received < count) &&
	       (left = ms_until(&deadline)) > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		struct sockaddr_ll from;
		socklen_t fromlen = sizeof(from);
		ssize_t n;
		int r;

		r = poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "%s: poll: %s\n", progname,
				strerror(errno));
			close(fd);
			return 1;
		}
		if (r <= 0)
			continue;
		/* MSG_TRUNC: the real length even if it did not fit. */
		n = recvfrom(fd, frame, sizeof(frame), MSG_TRUNC,
			     (struct sockaddr *)&from, &fromlen);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: receive on %s: %s\n", progname,
				ifname, strerror(errno));
			close(fd);
			return 1;
		}
		/* A packet socket also sees what this host sends. */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		print_frame(frame, (size_t)n > sizeof(frame) ? sizeof(frame)
							      : (size_t)n);
		received++;
	}
	close(fd);
	printf("received %lu frames\n", received);
	if (count && received < count) {
		fprintf(stderr, "%s: received %lu of %lu frames in %lu s\n",
			progname, received, count, seconds);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option send_longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "dst", required_argument, NULL, 'd' },
		{ "src", required_argument, NULL, 's' },
		{ "peer-index", required_argument, NULL, 'p' },
		{ "type", required_argument, NULL, 't' },
		{ "body", required_argument, NULL, 'b' },
		{ "length", required_argument, NULL, 'l' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option recv_longopts[] = {
		{ "interface", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static struct send_opts so;
	unsigned long seconds = 10, count = 0;
	const char *ifname = NULL;
	int sending, c;

	if (argc < 2)
		bad_args("missing mode: send or recv");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "send") && strcmp(argv[1], "recv"))
		bad_args("unknown mode '%s': send or recv", argv[1]);
	sending = !strcmp(argv[1], "send");
	argv++;
	argc--;

	memset(so.dst, 0xff, ETH_ALEN);
	so.peer_index = OMX_WIRE_PEER_INDEX_UNKNOWN;
	so.ptype = OMX_WIRE_PTYPE_NONE;
	so.length = -1;
	so.count = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv,
				sending ? ":i:d:s:p:t:b:l:n:h" : ":i:w:n:h",
				sending ? send_longopts : recv_longopts,
				NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 'd':
			parse_mac("--dst", optarg, so.dst);
			break;
		case 's':
			parse_mac("--src", optarg, so.src);
			so.have_src = 1;
			break;
		case 'p':
			so.peer_index = (unsigned int)parse_number(
				"--peer-index", optarg, 0xffff);
			break;
		case 't':
			so.ptype = (unsigned int)parse_number("--type", optarg,
							      0xff);
			break;
		case 'b':
			so.body_len = parse_hex("--body", optarg, so.body,
						sizeof(so.body));
			break;
		case 'l':
			so.length = (long)parse_number("--length", optarg,
						       FRAME_MAX);
			if (so.length < OMX_WIRE_ETH_HLEN)
				bad_args("--length: %ld is shorter than the "
					 "%d-octet Ethernet header", so.length,
					 OMX_WIRE_ETH_HLEN);
			break;
		case 'n':
			count = parse_number("--count", optarg, 1000000000);
			so.count = count;
			break;
		case 'w':
			seconds = parse_number("--seconds", optarg, 86400);
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			bad_args("option '%s' needs a value", argv[optind - 1]);
		default:
			/* optopt names a bad short option, even inside "-xy". */
			if (optopt)
				bad_args("unknown option '-%c' for %s", optopt,
					 sending ? "send" : "recv");
			bad_args("unknown option '%s' for %s", argv[optind - 1],
				 sending ? "send" : "recv");
		}
	}
	if (optind < argc)
		bad_args("unexpected argument '%s'", argv[optind]);
	if (!ifname)
		bad_args("%s needs --interface IFACE", sending ? "send" : "recv");
	if (sending && so.count == 0)
		bad_args("--count: sending 0 frames proves nothing");
	if (!sending && seconds == 0)
		bad_args("--seconds: 0 leaves no time to receive");

	so.ifname = ifname;
	return sending ? do_send(&so) : do_recv(ifname, seconds, count);
}
