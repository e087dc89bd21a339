// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_perf - ping-pong latency and bandwidth between two Open-MX endpoints,
 * able to measure against Open-MX 1.5's omx_perf in either role.
 *
 * An ordinary application of the public Open-MX API (open-mx.h).  The
 * receiver (no -d) opens its endpoint and waits; the sender (-d HOST)
 * connects to it and sends the test parameters (omx_perf_plan.h).  The
 * receiver learns the sender's address from that first message and
 * connects back, because a connection is one-way, then says "ready" with
 * an empty message.  For each length the sender then times ITER round
 * trips after WARMUP untimed ones; with -U the replies are empty.
 *
 * What is Open-MX 1.5's, and where it comes from
 * ----------------------------------------------
 * Read in Open-MX's tests/omx_perf.c (installed as omx_perf): the copy
 * "Copyright inria 2007-2011" stored in the ananos/xen2mx repository at
 * commit a5bb9c4a33e39cee82dbafadb816243258d47db0 (the newest one found,
 * 1.5-era; the 2009 copy in j-r-jones/open-mx, tests/omx_perf.c, has the
 * same key, messages and options, without -y).  Our own code, not theirs:
 *
 * - Endpoint key 0x12345678: omx_open_endpoint() on both sides, the
 *   sender's omx_connect() and the receiver's connect back.
 * - Match info 0x1234567887654321 on the parameter message and on every
 *   data message both ways; the receiver's "ready" is an empty message
 *   with match info 0.  1.5 posts all its receives with mask 0 (anything
 *   matches); we match exactly, on the values 1.5 sends.
 * - Sequence: sender connects; sender omx_issend()s the parameters; the
 *   receiver takes them, connects back, omx_issend()s the empty "ready";
 *   then per length, per iteration: sender sends LEN bytes, receiver
 *   answers LEN bytes (0 with -U); isend, or issend with -Y.  The sender
 *   sleeps PAUSE ms after each length.  Nothing follows the last reply.
 * - Parameter message, 1.5's struct param (44 bytes, every word
 *   big-endian, htonl): 0 iter, 4 warmup, 8/12 start low/high word,
 *   16/20 end low/high, 24/28 multiplier low/high, 32/36 increment
 *   low/high, 40 align, 41 unidir, 42 sync (one byte each, 0 or 1),
 *   43 structure padding (unspecified; we send 0).
 * - Lengths: from START while below END (END itself is not run),
 *   next = len * MULT + INCR, after 0: INCR, or 1 if INCR is 0.
 * - Result: per length, time = total / (2 - unidir) / ITER and
 *   MB/s = (2 - unidir) * ITER * len / total (MB = 10^6 bytes).
 * - Options and defaults: -b board [0], -e endpoint [0; any free one for
 *   the sender], -s slave (the receiver serves sender after sender),
 *   -w sleep instead of busy polling, -y yield the processor while busy
 *   polling, -v verbose; sender: -a 64 KiB aligned buffers on both hosts,
 *   -d hostname, -r remote endpoint [0], -S start [0], -E end [4194305],
 *   -M multiplier [2], -I increment [0], -N iterations [1000],
 *   -W warmup [10], -P pause ms between lengths [100], -U replies of
 *   0 bytes, -Y synchronous sends.
 *
 * Ours, not 1.5's: -V (fill every message with a pattern and check every
 * byte), long option names, the result line's format, bounded waits,
 * the 16 MiB length limit.  -V needs our receiver: the sender then
 * appends 12 bytes to the parameter message (omx_perf_plan.h), which
 * 1.5's receiver refuses (truncated).  Only in such a -V run do both
 * sides know the other is ours, and only then do they use two more
 * messages of their own (other match infos): the sender's goodbye at the
 * end and ABORT on failure from either side (ABORT is also sent in plain
 * runs: a 1.5 peer takes it as data, and fails soon after, as it would
 * when we just left).
 *
 * The end of a run: a side's last message may need the other side to
 * answer or retransmit after it already has all it wanted (a buffered
 * reply lost on the wire, the NOTIFY of the last large reply lost).  In
 * a -V run the sender says goodbye with a synchronous empty message
 * (bounded wait), and the receiver waits for it (bounded) instead of
 * closing at once; while they wait, their libraries retransmit.  In a
 * plain run the receiver cannot know its sender; it lingers
 * LINGER_MS before closing.  If the sender leaves before confirming the
 * last reply (its endpoint closed: the library's probe of a silent peer
 * reports it), the receiver has served the whole run: it says so and
 * ends with status 0, and the sender's own result tells whether that
 * reply arrived.
 */
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <open-mx.h>

#include "omx_host.h"
#include "omx_perf_plan.h"
#include "omx_tools.h"

/* Our own messages (-V runs, and ABORT): "OMXP" then the kind. */
#define MATCH_ABORT		0x4f4d585000000005ULL
#define MATCH_BYE		0x4f4d585000000006ULL
#define MATCH_EXACT		(~0ULL)

#define CONNECT_TIMEOUT_MS	10000
/* A request outstanding this long means the other side is gone or stuck. */
#define STALL_TIMEOUT_MS	60000
/* How often a long wait looks for an ABORT from the other side */
#define ABORT_CHECK_MS		100
#define ABORT_TEXT_MAX		160
/* How long each side waits for the goodbye at the end of a -V run */
#define BYE_WAIT_MS		10000
/* How long a receiver stays after a plain run: three resend periods */
#define LINGER_MS		1500

struct perf {
	omx_endpoint_t ep;
	bool sender;
	struct omx_perf_opts opts;
	struct omx_perf_plan plan;	/* the sender's, on both sides */
	bool ours;			/* a -V run: the other side is ours */

	/* the other side, once connected */
	bool connected;
	omx_endpoint_addr_t peer;
	char peer_name[OMX_HOSTNAMELEN_MAX];
	omx_request_t abort_req;
	char abort_text[ABORT_TEXT_MAX];
	omx_request_t bye_req;		/* receiver: the goodbye */

	uint8_t *sbuf, *rbuf;

	/* where we are, for error messages */
	uint32_t len, iteration;
	bool last_len;			/* len is the run's last length */
};

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_perf [-b BOARD] [-e ENDPOINT] [-s] [-w] [-y] [-v]    (receiver)\n"
"       omx_perf -d HOSTNAME [-r ENDPOINT] [-b BOARD] [-e ENDPOINT]\n"
"                [-S START] [-E END] [-M MULT] [-I INCR] [-N ITER]\n"
"                [-W WARMUP] [-P PAUSE] [-a] [-U] [-Y] [-V] [-w] [-y] [-v]\n"
"                                                                (sender)\n"
"\n"
"Measure Open-MX latency and bandwidth between two endpoints; the options,\n"
"the messages and their order are Open-MX 1.5's, so either side may be\n"
"Open-MX 1.5's omx_perf.  Start the receiver first, then the sender,\n"
"naming the receiver's board by its peer-table hostname (see omx_info),\n"
"e.g. 'omx_perf -d node1:0'.\n"
"\n"
"For each message length the sender prints\n"
"  length <bytes>: <microseconds> us <MB/s> MB/s <MiB/s> MiB/s\n"
"where the time is half a round trip (a whole one with -U, the reply being\n"
"empty) and MB are 10^6 bytes.  Lengths run from START while below END,\n"
"each the previous one times MULT plus INCR (after 0 comes INCR, or 1).\n"
"\n"
"Options:\n"
"  -b, --board BOARD           local board number (default 0)\n"
"  -e, --endpoint ENDPOINT     local endpoint index (default: 0 for the\n"
"                              receiver, any free one for the sender)\n"
"  -s, --slave                 receiver: serve one sender after another\n"
"                              instead of exiting after the first\n"
"  -w, --wait                  sleep in omx_wait instead of polling\n"
"  -y, --yield                 yield the processor while polling\n"
"  -v, --verbose               say the parameters and each length's total\n"
"  -d, --dest HOSTNAME         be the sender, towards board HOSTNAME\n"
"  -r, --remote-endpoint EP    the receiver's endpoint index (default 0)\n"
"  -S, --start START           first length (default %u)\n"
"  -E, --end END               lengths stay below END, at most %u\n"
"                              (default %u)\n"
"  -M, --multiplier MULT       length multiplier (default %u)\n"
"  -I, --increment INCR        length increment (default %u)\n"
"  -N, --iterations ITER       timed round trips per length (default %u)\n"
"  -W, --warmup WARMUP         untimed round trips before them (default %u)\n"
"  -P, --pause PAUSE           milliseconds between lengths (default %u)\n"
"  -a, --align                 64 KiB aligned buffers on both sides\n"
"  -U, --unidirectional        the receiver replies with empty messages\n"
"  -Y, --sync                  synchronous sends (omx_issend): every message\n"
"                              uses the rendezvous protocol\n"
"  -V, --verify                fill every message with a pattern depending on\n"
"                              its length and iteration, check every byte\n"
"                              received; stop at the first wrong byte (not\n"
"                              Open-MX 1.5's: the receiver must be ours)\n"
"  -h, --help                  show this help and exit\n"
"\n"
"-r -S -E -M -I -N -W -P -a -U -Y -V are given to the sender only; the\n"
"receiver gets them from it.  Without -s the receiver exits after one\n"
"sender's run: after a -V run once the sender said goodbye (at most %u s\n"
"later), after a plain run %u ms after the last reply.  A sender that left\n"
"right after its last message is no failure of the receiver.\n"
"Exit status: 0 success, 1 communication or verification failure,\n"
"2 usage error.\n",
		OMX_PERF_DEFAULT_START, OMX_PERF_LENGTH_MAX + 1,
		OMX_PERF_DEFAULT_END, OMX_PERF_DEFAULT_MULT,
		OMX_PERF_DEFAULT_INCR, OMX_PERF_DEFAULT_ITER,
		OMX_PERF_DEFAULT_WARMUP, OMX_PERF_DEFAULT_PAUSE_MS,
		(unsigned)(BYE_WAIT_MS / 1000), (unsigned)LINGER_MS);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

/* ------------------------------------------------------------------------
 * Failing: tell the other side, then exit
 */
__attribute__((format(printf, 2, 3)))
static noreturn void perf_fail(struct perf *p, const char *fmt, ...)
{
	char text[ABORT_TEXT_MAX];
	omx_request_t req;
	omx_status_t st;
	uint32_t done;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s\n", omx_tool_name(), text);

	if (p->connected &&
	    omx_isend(p->ep, text, strlen(text) + 1, p->peer, MATCH_ABORT,
		      NULL, &req) == OMX_SUCCESS)
		omx_wait(p->ep, &req, &st, &done, 1000);
	if (p->ep)
		omx_close_endpoint(p->ep);
	exit(OMX_TOOL_EXIT_FAILURE);
}

/* The other side aborted: say why, and leave without answering. */
static noreturn void peer_aborted(struct perf *p, const omx_status_t *st)
{
	uint32_t n = st->xfer_length;

	if (n >= sizeof(p->abort_text))
		n = sizeof(p->abort_text) - 1;
	p->abort_text[n] = '\0';
	fprintf(stderr, "%s: the %s on %s failed: %s\n", omx_tool_name(),
		p->sender ? "receiver" : "sender", p->peer_name, p->abort_text);
	omx_close_endpoint(p->ep);
	exit(OMX_TOOL_EXIT_FAILURE);
}

static void check_abort(struct perf *p)
{
	omx_status_t st;
	uint32_t done = 0;

	if (!p->connected)
		return;
	if (omx_test(p->ep, &p->abort_req, &st, &done) != OMX_SUCCESS)
		return;
	if (done)
		peer_aborted(p, &st);
}

/* ------------------------------------------------------------------------
 * Requests
 */

/*
 * Wait for @req to complete.  Gives up after STALL_TIMEOUT_MS without
 * completion; watches for an ABORT meanwhile.
 */
static void wait_done(struct perf *p, omx_request_t *req, omx_status_t *st,
		      const char *what)
{
	uint64_t start = 0, elapsed_ms;
	uint32_t done = 0, polls = 0;
	bool sleep = p->opts.wait;
	omx_return_t ret;

	for (;;) {
		if (sleep)
			ret = omx_wait(p->ep, req, st, &done, ABORT_CHECK_MS);
		else
			ret = omx_test(p->ep, req, st, &done);
		if (ret != OMX_SUCCESS)
			perf_fail(p, "%s at length %u iteration %u: %s", what,
				  p->len, p->iteration, omx_strerror(ret));
		if (done)
			break;
		if (!sleep && p->opts.yield)
			sched_yield();
		/* Reading the clock on every poll would show in the latency. */
		if (!sleep && ++polls % 1024)
			continue;
		if (!start)
			start = now_ns();
		elapsed_ms = (now_ns() - start) / 1000000;
		if (elapsed_ms >= ABORT_CHECK_MS)
			check_abort(p);
		if (elapsed_ms >= STALL_TIMEOUT_MS)
			perf_fail(p, "%s at length %u iteration %u: no progress for %d s (is the %s on %s still running?)",
				  what, p->len, p->iteration,
				  STALL_TIMEOUT_MS / 1000,
				  p->sender ? "receiver" : "sender", p->peer_name);
	}
}

/* Wait for @req to complete with success. */
static void wait_request(struct perf *p, omx_request_t *req, omx_status_t *st,
			 const char *what)
{
	wait_done(p, req, st, what);
	if (st->code != OMX_SUCCESS)
		perf_fail(p, "%s at length %u iteration %u: %s", what, p->len,
			  p->iteration, omx_strerror(st->code));
}

/* The other side's endpoint closed, or its host went away. */
static bool peer_left(omx_return_t code)
{
	return code == OMX_REMOTE_ENDPOINT_CLOSED ||
	       code == OMX_REMOTE_ENDPOINT_UNREACHABLE;
}

/*
 * The receiver's last reply of the run: the sender, which had it, may
 * have left before its confirmation reached us.
 */
static void wait_last_pong(struct perf *p, omx_request_t *req,
			   omx_status_t *st)
{
	wait_done(p, req, st, "pong");
	if (st->code == OMX_SUCCESS)
		return;
	if (!peer_left(st->code))
		perf_fail(p, "pong at length %u iteration %u: %s", p->len,
			  p->iteration, omx_strerror(st->code));
	check_abort(p);
	printf("The sender on %s left before confirming the last pong (%s); it had taken it, its own result says whether it arrived intact\n",
	       p->peer_name, omx_strerror(st->code));
	fflush(stdout);
}

static void post_send(struct perf *p, void *buf, uint32_t len, uint64_t match,
		      bool sync, omx_request_t *req)
{
	omx_return_t ret;

	ret = sync ? omx_issend(p->ep, buf, len, p->peer, match, NULL, req)
		   : omx_isend(p->ep, buf, len, p->peer, match, NULL, req);
	if (ret != OMX_SUCCESS)
		perf_fail(p, "posting a send of %u bytes: %s", len,
			  omx_strerror(ret));
}

static void post_recv(struct perf *p, void *buf, uint32_t len, uint64_t match,
		      omx_request_t *req)
{
	omx_return_t ret;

	ret = omx_irecv(p->ep, buf, len, match, MATCH_EXACT, NULL, req);
	if (ret != OMX_SUCCESS)
		perf_fail(p, "posting a receive of %u bytes: %s", len,
			  omx_strerror(ret));
}

/* A valid address for messages without data (ready, replies of -U) */
static uint8_t no_data[1];

/* A data message arrived: right length, and with -V, right bytes. */
static void check_data(struct perf *p, const omx_status_t *st, uint32_t len,
		       enum omx_perf_dir dir)
{
	uint8_t got, want;
	uint32_t off;

	if (st->msg_length != len || st->xfer_length != len)
		perf_fail(p, "length %u iteration %u: received %u of %u bytes (expected %u)",
			  p->len, p->iteration, st->xfer_length,
			  st->msg_length, len);
	if ((p->plan.flags & OMX_PERF_VERIFY) &&
	    omx_perf_check(p->rbuf, len, p->iteration, dir, &off, &got, &want))
		perf_fail(p, "verify failed: length %u iteration %u offset %u: got 0x%02x, expected 0x%02x",
			  p->len, p->iteration, off, got, want);
}

static void fill_data(struct perf *p, uint32_t len, enum omx_perf_dir dir)
{
	if (p->plan.flags & OMX_PERF_VERIFY)
		omx_perf_fill(p->sbuf, len, p->iteration, dir);
}

/* With -U the receiver's replies are empty. */
static uint32_t pong_length(const struct perf *p)
{
	return (p->plan.flags & OMX_PERF_UNIDIR) ? 0 : p->len;
}

/* ------------------------------------------------------------------------
 * One length
 */

/* Returns the microseconds of the ITER timed round trips. */
static double sender_pingpong(struct perf *p)
{
	uint32_t total = p->plan.warmup + p->plan.iter;
	bool sync = p->plan.flags & OMX_PERF_SYNC;
	uint32_t plen = pong_length(p);
	omx_request_t sreq, rreq;
	omx_status_t st;
	uint64_t t0 = now_ns();

	for (p->iteration = 0; p->iteration < total; p->iteration++) {
		if (p->iteration == p->plan.warmup)
			t0 = now_ns();
		post_recv(p, plen ? p->rbuf : no_data, plen,
			  OMX_PERF_MATCH_DATA, &rreq);
		fill_data(p, p->len, OMX_PERF_PING);
		post_send(p, p->sbuf, p->len, OMX_PERF_MATCH_DATA, sync, &sreq);
		wait_request(p, &sreq, &st, "ping");
		wait_request(p, &rreq, &st, "pong");
		check_data(p, &st, plen, OMX_PERF_PONG);
	}
	return (double)(now_ns() - t0) / 1000.0;
}

static void receiver_pingpong(struct perf *p)
{
	uint32_t total = p->plan.warmup + p->plan.iter;
	bool sync = p->plan.flags & OMX_PERF_SYNC;
	uint32_t plen = pong_length(p);
	omx_request_t sreq, rreq;
	omx_status_t st;

	/* The next receive is always posted before the pong goes out. */
	p->iteration = 0;
	post_recv(p, p->rbuf, p->len, OMX_PERF_MATCH_DATA, &rreq);
	for (; p->iteration < total; p->iteration++) {
		wait_request(p, &rreq, &st, "ping");
		check_data(p, &st, p->len, OMX_PERF_PING);
		if (p->iteration + 1 < total)
			post_recv(p, p->rbuf, p->len, OMX_PERF_MATCH_DATA,
				  &rreq);
		fill_data(p, plen, OMX_PERF_PONG);
		post_send(p, plen ? p->sbuf : no_data, plen,
			  OMX_PERF_MATCH_DATA, sync, &sreq);
		if (p->last_len && p->iteration + 1 == total)
			wait_last_pong(p, &sreq, &st);
		else
			wait_request(p, &sreq, &st, "pong");
	}
}

static void run(struct perf *p)
{
	bool unidir = p->plan.flags & OMX_PERF_UNIDIR;
	char line[128];
	uint32_t next = 0;
	double usec;

	p->len = p->plan.start;
	for (;;) {
		p->last_len = !omx_perf_next_length(&p->plan, p->len, &next);
		if (!p->sender) {
			receiver_pingpong(p);
		} else {
			usec = sender_pingpong(p);
			if (p->opts.verbose)
				printf("Total Duration: %.0f us\n", usec);
			/* 1.5: total / (2 - unidir) / iter */
			usec = usec / p->plan.iter / (unidir ? 1 : 2);
			omx_perf_format_result(line, sizeof(line), p->len,
					       usec);
			printf("%s\n", line);
			fflush(stdout);
			sleep_ms(p->opts.pause_ms);
		}
		if (p->last_len)
			break;
		p->len = next;
	}
}

/*
 * Sender, after a -V run: a synchronous empty message, complete once the
 * receiver took it.  Whatever becomes of it, the results are in.
 */
static void say_bye(struct perf *p)
{
	uint64_t start = now_ns();
	omx_request_t req;
	omx_status_t st;
	uint32_t done = 0;

	if (omx_issend(p->ep, no_data, 0, p->peer, MATCH_BYE, NULL, &req) !=
	    OMX_SUCCESS)
		return;
	while (!done && (now_ns() - start) / 1000000 < BYE_WAIT_MS)
		if (omx_wait(p->ep, &req, &st, &done, ABORT_CHECK_MS) !=
		    OMX_SUCCESS)
			return;
}

/*
 * Receiver, after the run: the sender's goodbye or its absence (-V run),
 * or LINGER_MS of retransmission time for the last reply (plain run).
 */
static void await_bye(struct perf *p)
{
	uint32_t wait_ms = p->ours ? BYE_WAIT_MS : LINGER_MS;
	uint64_t start = now_ns();
	omx_status_t st;
	uint32_t done = 0;

	while (!done && (now_ns() - start) / 1000000 < wait_ms) {
		if (!p->ours) {
			omx_progress(p->ep);
			sleep_ms(10);
		} else if (omx_wait(p->ep, &p->bye_req, &st, &done,
				    ABORT_CHECK_MS) != OMX_SUCCESS) {
			break;
		}
		check_abort(p);
	}
	if (p->ours && !done) {
		printf("No goodbye from the sender on %s within %d s (it may have left first)\n",
		       p->peer_name, BYE_WAIT_MS / 1000);
		fflush(stdout);
	}
}

/* ------------------------------------------------------------------------
 * Setting up
 */
static void open_endpoint(struct perf *p, uint32_t board, uint32_t endpoint)
{
	char hostname[OMX_HOSTNAMELEN_MAX] = "", ifname[64] = "";
	char mac[OMX_MAC_STRLEN];
	omx_endpoint_addr_t addr;
	uint32_t index;
	uint64_t nic_id;
	omx_return_t ret;

	/* Report errors ourselves, in one line, instead of exiting inside. */
	omx_set_error_handler(NULL, OMX_ERRORS_RETURN);
	ret = omx_init();
	if (ret == OMX_NO_DEVICE_FILE || ret == OMX_NO_DRIVER)
		omx_tool_fail("initializing Open-MX: %s (%s)",
			      omx_strerror(ret), omx_driver_hint());
	if (ret != OMX_SUCCESS)
		omx_tool_fail("initializing Open-MX: %s", omx_strerror(ret));
	ret = omx_open_endpoint(board, endpoint, OMX_PERF_KEY, NULL, 0, &p->ep);
	if (ret != OMX_SUCCESS) {
		p->ep = NULL;
		if (endpoint == OMX_ANY_ENDPOINT)
			omx_tool_fail("opening an endpoint on board #%u: %s",
				      board, omx_strerror(ret));
		omx_tool_fail("opening endpoint %u on board #%u: %s", endpoint,
			      board, omx_strerror(ret));
	}

	omx_get_endpoint_addr(p->ep, &addr);
	omx_decompose_endpoint_addr(addr, &nic_id, &index);
	omx_get_info(p->ep, OMX_INFO_BOARD_HOSTNAME, NULL, 0, hostname,
		     sizeof(hostname));
	omx_get_info(p->ep, OMX_INFO_BOARD_IFACENAME, NULL, 0, ifname,
		     sizeof(ifname));
	hostname[sizeof(hostname) - 1] = '\0';
	ifname[sizeof(ifname) - 1] = '\0';
	omx_mac_format(nic_id, mac);
	printf("Successfully attached endpoint #%u on board #%u (hostname '%s', name '%s', addr %s)\n",
	       index, board, hostname, ifname, mac);
	fflush(stdout);
}

static void connect_to(struct perf *p, uint64_t nic_id, uint32_t endpoint)
{
	omx_return_t ret;

	ret = omx_connect(p->ep, nic_id, endpoint, OMX_PERF_KEY,
			  CONNECT_TIMEOUT_MS, &p->peer);
	if (ret != OMX_SUCCESS)
		perf_fail(p, "connecting to %s endpoint %u: %s", p->peer_name,
			  endpoint, omx_strerror(ret));
	/* From now on the other side is told about our failures. */
	p->connected = true;
	post_recv(p, p->abort_text, sizeof(p->abort_text) - 1, MATCH_ABORT,
		  &p->abort_req);
}

/* Buffers for the longest length of the plan */
static void alloc_buffers(struct perf *p)
{
	size_t align = (p->plan.flags & OMX_PERF_ALIGN) ? OMX_PERF_ALIGN_BYTES
							 : sizeof(void *);
	uint32_t len = p->plan.start, next;
	size_t size;

	while (omx_perf_next_length(&p->plan, len, &next))
		len = next;
	size = len ? len : 1;
	if (posix_memalign((void **)&p->sbuf, align, size) ||
	    posix_memalign((void **)&p->rbuf, align, size))
		perf_fail(p, "cannot allocate two buffers of %zu bytes", size);
	/* Touch the pages now rather than inside the first timed loop. */
	memset(p->sbuf, 0, size);
	memset(p->rbuf, 0, size);
}

static void say_plan(const struct perf *p, const char *verb, const char *to)
{
	if (!p->opts.verbose)
		return;
	printf("%s parameters (iter=%u, warmup=%u, min=%u, max=%u, mult=%u, incr=%u, unidir=%d, sync=%d, align=%d, verify=%d) %s peer %s\n",
	       verb, p->plan.iter, p->plan.warmup, p->plan.start, p->plan.end,
	       p->plan.mult, p->plan.incr,
	       !!(p->plan.flags & OMX_PERF_UNIDIR),
	       !!(p->plan.flags & OMX_PERF_SYNC),
	       !!(p->plan.flags & OMX_PERF_ALIGN),
	       !!(p->plan.flags & OMX_PERF_VERIFY), to, p->peer_name);
	fflush(stdout);
}

static void start_sender(struct perf *p, const char *dest, uint32_t rendpoint)
{
	uint8_t msg[OMX_PERF_PARAM_EXT_LEN];
	omx_request_t req, ready;
	omx_status_t st;
	uint64_t nic_id;
	omx_return_t ret;
	size_t len;

	snprintf(p->peer_name, sizeof(p->peer_name), "%s", dest);
	ret = omx_hostname_to_nic_id((char *)dest, &nic_id);
	if (ret != OMX_SUCCESS)
		perf_fail(p, "unknown peer '%s': %s (see omx_info for the peer table)",
			  dest, omx_strerror(ret));
	alloc_buffers(p);
	connect_to(p, nic_id, rendpoint);

	post_recv(p, no_data, 0, OMX_PERF_MATCH_ACK, &ready);
	len = omx_perf_plan_encode(&p->plan, msg);
	post_send(p, msg, (uint32_t)len, OMX_PERF_MATCH_DATA, true, &req);
	wait_request(p, &req, &st, "sending the parameters");
	say_plan(p, "Sent", "to");
	wait_request(p, &ready, &st,
		     p->ours ? "waiting for the receiver (-V needs our omx_perf there: Open-MX 1.5's refuses the parameters)"
			     : "waiting for the receiver");

	printf("Starting sender to %s...\n", dest);
	fflush(stdout);
	run(p);
	if (p->ours)
		say_bye(p);
}

/* One sender's run.  Returns once it is over; failures exit. */
static void serve_one(struct perf *p)
{
	uint8_t msg[OMX_PERF_PARAM_EXT_LEN + 1];
	char hostname[OMX_HOSTNAMELEN_MAX];
	uint32_t done = 0, endpoint;
	omx_request_t req;
	const char *why;
	omx_status_t st;
	uint64_t nic_id;
	omx_return_t ret;

	printf("Starting receiver...\n");
	fflush(stdout);

	/* One byte more than we know, so a longer message shows as such. */
	post_recv(p, msg, sizeof(msg), OMX_PERF_MATCH_DATA, &req);
	ret = omx_wait(p->ep, &req, &st, &done, OMX_TIMEOUT_INFINITE);
	if (ret != OMX_SUCCESS || !done)
		perf_fail(p, "waiting for a sender: %s",
			  ret != OMX_SUCCESS ? omx_strerror(ret) : "interrupted");
	if (st.code != OMX_SUCCESS && st.code != OMX_MESSAGE_TRUNCATED)
		perf_fail(p, "receiving the parameters: %s",
			  omx_strerror(st.code));

	omx_decompose_endpoint_addr(st.addr, &nic_id, &endpoint);
	if (omx_nic_id_to_hostname(nic_id, hostname) != OMX_SUCCESS ||
	    !hostname[0])
		omx_mac_format(nic_id, hostname);
	hostname[sizeof(hostname) - 1] = '\0';
	snprintf(p->peer_name, sizeof(p->peer_name), "%s", hostname);

	if (st.msg_length != st.xfer_length)
		why = "not an omx_perf parameter message (too long)";
	else
		why = omx_perf_plan_decode(msg, st.xfer_length, &p->plan);
	if (why)
		perf_fail(p, "bad parameters from %s endpoint %u: %s",
			  p->peer_name, endpoint, why);
	p->ours = p->plan.flags & OMX_PERF_VERIFY;
	printf("Got a sender: %s endpoint %u\n", p->peer_name, endpoint);
	fflush(stdout);
	say_plan(p, "Got", "from");

	alloc_buffers(p);
	connect_to(p, nic_id, endpoint);
	if (p->ours)
		post_recv(p, no_data, 0, MATCH_BYE, &p->bye_req);
	/* "ready": 1.5 sends it synchronously */
	post_send(p, no_data, 0, OMX_PERF_MATCH_ACK, true, &req);
	wait_request(p, &req, &st, "telling the sender we are ready");
	run(p);
	await_bye(p);
}

/*
 * -s: forget this sender, before serving the next one.  No
 * omx_disconnect() (1.5 calls it): the next sender may already be
 * connected from the same endpoint address, with a new session, and
 * would lose its connection.
 */
static void end_run(struct perf *p)
{
	uint32_t done;

	/* A completed request's handle is NULL: nothing left to cancel. */
	if (p->abort_req)
		omx_cancel(p->ep, &p->abort_req, &done);
	if (p->ours && p->bye_req)
		omx_cancel(p->ep, &p->bye_req, &done);
	p->abort_req = p->bye_req = NULL;
	p->connected = false;
	p->ours = false;
	free(p->sbuf);
	free(p->rbuf);
	p->sbuf = p->rbuf = NULL;
	p->len = p->iteration = 0;
}

int main(int argc, char *argv[])
{
	uint32_t endpoint;
	struct perf p;

	omx_tool_set_name("omx_perf");
	memset(&p, 0, sizeof(p));
	omx_perf_parse_options(argc, argv, &p.opts);
	if (p.opts.help) {
		usage(stdout);
		return 0;
	}

	p.sender = p.opts.dest != NULL;
	endpoint = p.opts.endpoint;
	if (endpoint == OMX_PERF_ANY_ENDPOINT)
		endpoint = p.sender ? OMX_ANY_ENDPOINT : 0;
	open_endpoint(&p, p.opts.board, endpoint);
	if (p.sender) {
		p.plan = p.opts.plan;
		p.ours = p.plan.flags & OMX_PERF_VERIFY;
		start_sender(&p, p.opts.dest, p.opts.rendpoint);
	} else {
		for (;;) {
			serve_one(&p);
			if (!p.opts.slave)
				break;
			end_run(&p);
		}
	}

	omx_close_endpoint(p.ep);
	omx_finalize();
	free(p.sbuf);
	free(p.rbuf);
	return 0;
}
