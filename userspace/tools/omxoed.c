// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omxoed - Open-MX peer discovery daemon.
 *
 * Every host of the fabric runs one.  It broadcasts its boards' NIC ids in
 * RAW frames (openmx-wire.md 4.13) out of every attached board, and adds
 * every NIC id it hears to the driver's peer table; the driver then asks
 * each new peer for its hostname by itself (HOST_QUERY).  The schedule and
 * the meaning of what is heard live in omxoed_state.c.
 *
 * Interoperation with Open-MX 1.5's omxoed (and Myricom's mxoed it comes
 * from): checked against 1.5's tools/omxoed.c (struct mxoed_pkt; stored
 * copy in the ananos/xen2mx repository), the frame is the same 64 octets,
 * byte for byte: broadcast destination, the board's MAC as source,
 * ethertype 0x86DF, sender peer index 0, packet type 1 (RAW), zeros to
 * octet 32, then the NIC id's high and low 32 bits and a random serial,
 * big-endian, zeros to octet 64 (test_omx_wire.c's "raw oed" frame).  The
 * schedule is 1.5's too: 8 broadcasts 1 s apart at start and after a new
 * peer or a changed serial, else one every 180 s.  Where we differ, only
 * in what we accept: frames shorter than 44 octets and NIC ids that are
 * not board addresses (zero, multicast) are ignored, which 1.5 would add.
 *
 * One /dev/open-mx file per board holds that board's raw interface
 * (OMX_CMD_RAW_OPEN: one opener per board, so two daemons cannot run); a
 * control file changes the peer table.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "omx_tools.h"
#include "omx_tools_dev.h"
#include "omx_wire.h"
#include "omxoed_state.h"

/*
 * Longest single wait in the driver: bounds how late a SIGTERM is noticed
 * if the driver's wait is not interruptible, and with several boards, how
 * long one board is not listened to.
 */
#define WAIT_SLICE_MS	200

struct oed_board {
	int fd;
	uint32_t index;
	uint64_t nic_id;
	char title[256];
	bool send_failing;	/* log a failing board once, not every burst */
};

struct oed {
	struct omx_dev ctl;
	struct omx_wire_params wire;
	struct oed_board *boards;
	unsigned int nboards;
	struct omxoed_peers peers;
	struct omxoed_schedule sched;
	uint32_t serial;
	uint32_t table_version;
	bool foreground;
	bool verbose;
};

static volatile sig_atomic_t stop_signal;

static bool log_to_syslog;

__attribute__((format(printf, 2, 3)))
static void oed_log(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (log_to_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fprintf(stderr, "omxoed: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omxoed [-f] [-v] [-p PIDFILE]\n"
"\n"
"Open-MX peer discovery daemon.  Broadcasts this host's boards on every\n"
"attached interface and adds every board it hears about to the driver's\n"
"peer table, then marks the table configured.  Run it on every host of\n"
"the fabric (omx_init start does); it is compatible with Myricom's mxoed.\n"
"\n"
"Announcements: %d broadcasts %d s apart at start and whenever a new board\n"
"or a restarted daemon is heard, otherwise one every %d s.  Boards attached\n"
"after the daemon started are not served: restart it.\n"
"\n"
"Options:\n"
"  -f, --foreground       stay in the foreground, log to stderr (default:\n"
"                         detach and log to syslog, facility daemon)\n"
"  -v, --verbose          log every announcement heard, not only news\n"
"  -p, --pidfile PIDFILE  write the daemon's pid to PIDFILE, removed at exit;\n"
"                         refuse to start if it names a live process\n"
"  -h, --help             show this help and exit\n"
"\n"
"SIGTERM or SIGINT stops the daemon; the peer table is left as it is.\n"
"Needs root.  Exit status: 0 stopped by a signal, 1 failure, 2 usage error.\n",
		OMXOED_BURST_COUNT, OMXOED_BURST_PERIOD_MS / 1000,
		OMXOED_STEADY_PERIOD_MS / 1000);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void install_signals(void)
{
	struct sigaction sa;

	/* No SA_RESTART: a signal must end a wait in the driver at once. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static uint32_t draw_serial(void)
{
	uint32_t serial;

	if (getrandom(&serial, sizeof(serial), GRND_NONBLOCK) ==
	    (ssize_t)sizeof(serial))
		return serial;
	/* Early boot without entropy: any value differing across starts. */
	return (uint32_t)time(NULL) ^ (uint32_t)getpid() << 16;
}

/* ------------------------------------------------------------------------
 * Setup
 */
static void open_boards(struct oed *oed)
{
	struct omx_cmd_board_info bi;
	struct omx_cmd_raw_open ro;
	uint32_t i;
	int ret;

	oed->boards = calloc(oed->ctl.info.board_max ? oed->ctl.info.board_max : 1,
			     sizeof(*oed->boards));
	if (!oed->boards)
		omx_tool_fail("out of memory");
	for (i = 0; i < oed->ctl.info.board_max; i++) {
		struct oed_board *b = &oed->boards[oed->nboards];

		ret = omx_dev_board(&oed->ctl, i, &bi);
		if (ret == 1)
			continue;
		if (ret < 0)
			omx_tool_fail("board #%u: %s", i, omx_dev_strerror(-ret));
		b->index = i;
		b->nic_id = bi.addr;
		omx_dev_board_title(&bi, b->title, sizeof(b->title));
		b->fd = open(OMX_ABI_DEVICE, O_RDWR | O_CLOEXEC);
		if (b->fd < 0)
			omx_tool_fail("%s: opening %s: %s", b->title,
				      OMX_ABI_DEVICE, strerror(errno));
		memset(&ro, 0, sizeof(ro));
		ro.board_index = i;
		if (ioctl(b->fd, OMX_CMD_RAW_OPEN, &ro) < 0) {
			if (errno == EBUSY)
				omx_tool_fail("%s: raw interface busy: another discovery daemon (omxoed, FMA) runs already",
					      b->title);
			omx_tool_fail("%s: opening the raw interface: %s",
				      b->title, omx_dev_strerror(errno));
		}
		oed->nboards++;
	}
	if (!oed->nboards)
		omx_tool_fail("no board attached to the driver: nothing to discover (see omx_info)");
}

static void set_wire_params(struct oed *oed)
{
	enum omx_wire_variant v;

	switch (oed->ctl.info.wire_mtu) {
	case OMX_WIRE_9000_MTU:
		v = OMX_WIRE_VARIANT_MTU9000;
		break;
	case OMX_WIRE_1500_MTU:
		v = OMX_WIRE_VARIANT_MTU1500;
		break;
	default:
		omx_tool_fail("driver wire MTU %u is neither %d nor %d",
			      oed->ctl.info.wire_mtu, OMX_WIRE_9000_MTU,
			      OMX_WIRE_1500_MTU);
	}
	if (omx_wire_params_init(&oed->wire, v, oed->ctl.info.peer_max))
		omx_tool_fail("driver peer table size %u out of range",
			      oed->ctl.info.peer_max);
}

/* Tell the driver (and omx_info) that a mapper maintains the table. */
static int mark_configured(struct oed *oed)
{
	struct omx_cmd_peer_table_state st;

	memset(&st, 0, sizeof(st));
	st.configured = 1;
	st.version = ++oed->table_version;
	st.mapper_id = oed->boards[0].nic_id;
	return omx_dev_cmd(&oed->ctl, OMX_CMD_SET_PEER_TABLE_STATE, &st);
}

static void read_table_version(struct oed *oed)
{
	struct omx_cmd_peer_table_state st;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = omx_dev_cmd(&oed->ctl, OMX_CMD_GET_PEER_TABLE_STATE, &st);
	if (ret < 0)
		omx_tool_fail("reading the peer table state: %s",
			      omx_dev_strerror(-ret));
	oed->table_version = st.version;
}

/* ------------------------------------------------------------------------
 * Pid file
 */
static void check_pidfile(const char *path)
{
	FILE *f = fopen(path, "r");
	long pid;

	if (!f)
		return;
	if (fscanf(f, "%ld", &pid) == 1 && pid > 0 &&
	    (kill((pid_t)pid, 0) == 0 || errno == EPERM))
		omx_tool_fail("already running as pid %ld (pid file %s)", pid,
			      path);
	fclose(f);
}

static void write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
		oed_log(LOG_ERR, "writing pid file %s: %s", path,
			strerror(errno));
		exit(OMX_TOOL_EXIT_FAILURE);
	}
}

/* ------------------------------------------------------------------------
 * Announcing
 */
static void broadcast(struct oed *oed)
{
	uint8_t frame[OMX_WIRE_OED_FRAME_LEN];
	struct omx_cmd_raw_send rs;
	struct omx_wire_hdr hdr;
	struct omx_wire_oed ann;
	unsigned int i;
	int len, k;

	for (i = 0; i < oed->nboards; i++) {
		struct oed_board *b = &oed->boards[i];

		memset(hdr.dst_mac, 0xff, sizeof(hdr.dst_mac));
		for (k = 0; k < OMX_WIRE_ETH_ALEN; k++)
			hdr.src_mac[k] = (uint8_t)(b->nic_id >> (40 - 8 * k));
		hdr.peer_index = 0;
		ann.nic_id = b->nic_id;
		ann.serial = oed->serial;
		len = omx_wire_encode_raw_oed(&hdr, &ann, frame, sizeof(frame));
		if (len < 0) {
			oed_log(LOG_ERR, "%s: encoding the announcement: %s",
				b->title, omx_wire_strerror(len));
			continue;
		}

		memset(&rs, 0, sizeof(rs));
		rs.buffer = (uintptr_t)frame;
		rs.length = (uint32_t)len;
		if (ioctl(b->fd, OMX_CMD_RAW_SEND, &rs) < 0) {
			if (!b->send_failing)
				oed_log(LOG_WARNING, "%s: broadcast failed: %s",
					b->title, omx_dev_strerror(errno));
			b->send_failing = true;
		} else if (b->send_failing) {
			oed_log(LOG_NOTICE, "%s: broadcasting again", b->title);
			b->send_failing = false;
		}
	}
}

/* ------------------------------------------------------------------------
 * Listening
 */
static bool is_local(const struct oed *oed, uint64_t nic_id)
{
	unsigned int i;

	for (i = 0; i < oed->nboards; i++)
		if (oed->boards[i].nic_id == nic_id)
			return true;
	return false;
}

static void add_peer(struct oed *oed, uint64_t nic_id, const char *mac)
{
	struct omx_cmd_peer peer;
	int ret;

	/* No name: the driver asks the peer for it (HOST_QUERY). */
	memset(&peer, 0, sizeof(peer));
	peer.addr = nic_id;
	ret = omx_dev_cmd(&oed->ctl, OMX_CMD_PEER_ADD, &peer);
	if (ret == -ENOSPC) {
		oed_log(LOG_ERR, "peer table full: %s not added (raise the driver's 'peers' parameter)",
			mac);
		return;
	}
	if (ret < 0 && ret != -EEXIST) {
		oed_log(LOG_ERR, "adding peer %s: %s", mac,
			omx_dev_strerror(-ret));
		return;
	}
	ret = mark_configured(oed);
	if (ret < 0)
		oed_log(LOG_WARNING, "updating the peer table state: %s",
			omx_dev_strerror(-ret));
}

static void handle_frame(struct oed *oed, const struct oed_board *b,
			 const uint8_t *frame, size_t len)
{
	char mac[OMX_MAC_STRLEN];
	struct omx_wire_pkt pkt;
	struct omx_wire_oed ann;
	enum omxoed_news news;
	int ret;

	ret = omx_wire_decode(frame, len, &oed->wire, &pkt);
	if (!ret && pkt.ptype != OMX_WIRE_PTYPE_RAW)
		ret = -OMX_WIRE_EPTYPE;
	if (!ret)
		ret = omx_wire_decode_raw_oed(&pkt.raw, &ann);
	if (ret) {
		if (oed->verbose)
			oed_log(LOG_DEBUG, "%s: ignoring a %zu-octet raw frame: %s",
				b->title, len, omx_wire_strerror(ret));
		return;
	}
	omx_mac_format(ann.nic_id, mac);
	if (!omx_mac_is_board_addr(ann.nic_id)) {
		if (oed->verbose)
			oed_log(LOG_DEBUG, "%s: ignoring an announcement of NIC id 0x%llx: not a board address",
				b->title, (unsigned long long)ann.nic_id);
		return;
	}
	/* Our own broadcasts, heard on another of our boards */
	if (is_local(oed, ann.nic_id))
		return;

	if (omxoed_peers_learn(&oed->peers, ann.nic_id, ann.serial, &news)) {
		oed_log(LOG_ERR, "out of memory recording peer %s", mac);
		return;
	}
	switch (news) {
	case OMXOED_KNOWN:
		if (oed->verbose)
			oed_log(LOG_DEBUG, "%s: heard %s (serial 0x%08x)",
				b->title, mac, ann.serial);
		return;
	case OMXOED_NEW:
		oed_log(LOG_INFO, "%s: new peer %s", b->title, mac);
		add_peer(oed, ann.nic_id, mac);
		break;
	case OMXOED_RESTARTED:
		oed_log(LOG_INFO, "%s: peer %s restarted its daemon", b->title,
			mac);
		break;
	}
	/* Let the newcomer learn about us quickly. */
	omxoed_schedule_burst(&oed->sched, now_ms());
}

/*
 * Wait up to @timeout_ms for one frame on @b and handle it.  Returns 1 if a
 * frame came, 0 on timeout or signal, -1 if the board is gone or broken.
 */
static int receive(struct oed *oed, struct oed_board *b, uint32_t timeout_ms)
{
	uint8_t frame[OMX_ABI_RAW_FRAME_MAX];
	struct omx_cmd_raw_recv rr;

	memset(&rr, 0, sizeof(rr));
	rr.buffer = (uintptr_t)frame;
	rr.timeout_ms = timeout_ms;
	if (ioctl(b->fd, OMX_CMD_RAW_RECV, &rr) < 0) {
		if (errno == EINTR)
			return 0;
		oed_log(LOG_ERR, "%s: receiving: %s", b->title,
			omx_dev_strerror(errno));
		return -1;
	}
	if (rr.status != 0)
		return 0;
	if (rr.length > sizeof(frame)) {
		oed_log(LOG_ERR, "%s: driver returned a %u-octet frame (max %d)",
			b->title, rr.length, OMX_ABI_RAW_FRAME_MAX);
		return -1;
	}
	handle_frame(oed, b, frame, rr.length);
	return 1;
}

static void drop_board(struct oed *oed, unsigned int i)
{
	oed_log(LOG_WARNING, "%s: no longer served", oed->boards[i].title);
	close(oed->boards[i].fd);
	oed->boards[i] = oed->boards[--oed->nboards];
}

static int run(struct oed *oed)
{
	uint64_t wait;
	uint32_t slice;
	unsigned int i;
	int got;

	omxoed_schedule_burst(&oed->sched, now_ms());
	while (!stop_signal) {
		wait = omxoed_schedule_wait_ms(&oed->sched, now_ms());
		if (wait == 0) {
			broadcast(oed);
			omxoed_schedule_sent(&oed->sched, now_ms());
			continue;
		}
		/* Share the wait between the boards; stop sleeping once busy. */
		slice = WAIT_SLICE_MS / oed->nboards;
		if (slice > wait)
			slice = (uint32_t)wait;
		for (i = 0; i < oed->nboards && !stop_signal; i++) {
			got = receive(oed, &oed->boards[i], slice);
			if (got < 0) {
				drop_board(oed, i--);
				if (!oed->nboards) {
					oed_log(LOG_ERR, "no board left, exiting");
					return OMX_TOOL_EXIT_FAILURE;
				}
			} else if (got > 0) {
				slice = 0;
			}
		}
	}
	oed_log(LOG_INFO, "stopping on signal %d", (int)stop_signal);
	return 0;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *pidfile = NULL;
	struct oed oed;
	unsigned int i;
	int c, ret;

	omx_tool_set_name("omxoed");
	memset(&oed, 0, sizeof(oed));
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":fvp:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			oed.foreground = true;
			break;
		case 'v':
			oed.verbose = true;
			break;
		case 'p':
			if (optarg[0] == '\0')
				omx_tool_usage_error("empty pid file name for -p");
			pidfile = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			omx_tool_bad_option(c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		omx_tool_usage_error("unexpected argument '%s' (see --help)",
				     argv[optind]);

	/* Everything that can fail is done before detaching, so it is seen. */
	if (pidfile)
		check_pidfile(pidfile);
	omx_dev_open(&oed.ctl);
	set_wire_params(&oed);
	open_boards(&oed);
	read_table_version(&oed);
	ret = mark_configured(&oed);
	if (ret < 0)
		omx_tool_fail("marking the peer table configured: %s",
			      omx_dev_strerror(-ret));
	omxoed_peers_init(&oed.peers);
	oed.serial = draw_serial();

	if (!oed.foreground) {
		openlog("omxoed", LOG_PID, LOG_DAEMON);
		if (daemon(0, 0) < 0)
			omx_tool_fail("detaching: %s", strerror(errno));
		log_to_syslog = true;
	}
	/* Handlers first: whoever reads the pid file may signal us at once. */
	install_signals();
	if (pidfile)
		write_pidfile(pidfile);
	oed_log(LOG_INFO, "serving %u board%s, serial 0x%08x", oed.nboards,
		oed.nboards > 1 ? "s" : "", oed.serial);

	ret = run(&oed);

	if (pidfile)
		unlink(pidfile);
	for (i = 0; i < oed.nboards; i++)
		close(oed.boards[i].fd);
	free(oed.boards);
	omxoed_peers_free(&oed.peers);
	omx_dev_close(&oed.ctl);
	return ret;
}
