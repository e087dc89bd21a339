// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_perf - ping-pong latency and bandwidth between two Open-MX endpoints.
 *
 * An ordinary application of the public Open-MX API (open-mx.h).  The
 * receiver (no -d) opens its endpoint and waits; the sender (-d HOST)
 * connects to it and sends the test parameters (omx_perf_plan.h).  The
 * receiver learns the sender's address from that first message and
 * connects back, because a connection is one-way (a large reply to an
 * address learnt only from a received message would be refused), then says
 * "ready".  For each length the sender then times ITER round trips (or
 * ITER one-way messages with -U) after WARMUP untimed ones.
 *
 * When one side fails in the middle of a run (bad data, error status) it
 * tells the other with an ABORT message before exiting, so that the other
 * side reports why instead of waiting forever.
 *
 * The end of a run: a side's last message may need the other side to
 * answer or retransmit after it already has all it wanted (a buffered
 * pong lost on the wire, the NOTIFY of the last large pong lost).  So
 * after the run the sender says goodbye with a synchronous empty message
 * (bounded wait), and the receiver waits for it (bounded) instead of
 * closing at once; while they wait, their libraries retransmit.  If the
 * sender still leaves before confirming the last pong (its endpoint
 * closed: the library's probe of a silent peer reports it), the receiver
 * has served the whole run: it says so and ends with status 0, and the
 * sender's own result tells whether that pong arrived.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <open-mx.h>

#include "omx_perf_plan.h"
#include "omx_tools.h"

/* Both sides must use the same connection key. */
#define PERF_KEY		0x4f4d5850u

/* Match info of each kind of message: "OMXP" then the kind. */
#define MATCH_PLAN		0x4f4d585000000001ULL
#define MATCH_READY		0x4f4d585000000002ULL
#define MATCH_DATA		0x4f4d585000000003ULL
#define MATCH_ACK		0x4f4d585000000004ULL
#define MATCH_ABORT		0x4f4d585000000005ULL
#define MATCH_BYE		0x4f4d585000000006ULL
#define MATCH_EXACT		(~0ULL)

#define CONNECT_TIMEOUT_MS	10000
/* A request outstanding this long means the other side is gone or stuck. */
#define STALL_TIMEOUT_MS	60000
/* How often a long wait looks for an ABORT from the other side */
#define ABORT_CHECK_MS		100
#define ABORT_TEXT_MAX		160
/* How long each side waits for the goodbye at the end of a run */
#define BYE_WAIT_MS		10000

struct perf {
	omx_endpoint_t ep;
	bool sender;
	bool sleep;			/* -w: omx_wait instead of polling */
	struct omx_perf_plan plan;

	/* the other side, once connected */
	bool connected;
	omx_endpoint_addr_t peer;
	char peer_name[OMX_HOSTNAMELEN_MAX];
	omx_request_t abort_req;
	char abort_text[ABORT_TEXT_MAX];
	omx_request_t bye_req;		/* receiver: the sender's goodbye */

	uint8_t *sbuf, *rbuf;

	/* where we are, for error messages */
	uint32_t len, iteration;
	bool last_len;			/* len is the run's last length */
};

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_perf [-b BOARD] [-e ENDPOINT] [-w]                  (receiver)\n"
"       omx_perf -d HOSTNAME [-r ENDPOINT] [-b BOARD] [-e ENDPOINT]\n"
"                [-s START] [-E END] [-M MULT] [-N ITER] [-W WARMUP]\n"
"                [-S] [-U] [-V] [-w]                             (sender)\n"
"\n"
"Measure Open-MX latency and bandwidth between two endpoints.  Start the\n"
"receiver first, then the sender, naming the receiver's board by its\n"
"peer-table hostname (see omx_info), e.g. 'omx_perf -d node1:0'.\n"
"\n"
"For each message length the sender prints\n"
"  length <bytes>: <microseconds> us <MB/s> MB/s <MiB/s> MiB/s\n"
"where the time is half a round trip (one message with -U) and MB are\n"
"10^6 bytes.  Lengths run from START to END, multiplied by MULT each\n"
"step (after 0 comes 1).\n"
"\n"
"Options:\n"
"  -b, --board BOARD           local board number (default 0)\n"
"  -e, --endpoint ENDPOINT     local endpoint index (default: 0 for the\n"
"                              receiver, any free one for the sender)\n"
"  -d, --dest HOSTNAME         be the sender, towards board HOSTNAME\n"
"  -r, --remote-endpoint EP    the receiver's endpoint index (default 0)\n"
"  -s, --start START           first length (default %u)\n"
"  -E, --end END               last length, at most %u (default %u)\n"
"  -M, --multiplier MULT       length multiplier, at least 2 (default %u)\n"
"  -N, --iterations ITER       timed round trips per length (default %u)\n"
"  -W, --warmup WARMUP         untimed round trips before them (default %u)\n"
"  -S, --sync                  synchronous sends (omx_issend): every message\n"
"                              uses the rendezvous protocol\n"
"  -U, --unidirectional        sender to receiver only, acknowledged once\n"
"                              per length\n"
"  -V, --verify                fill every message with a pattern depending on\n"
"                              its length and iteration, check every byte\n"
"                              received; stop at the first wrong byte\n"
"  -w, --wait                  sleep in omx_wait instead of polling\n"
"  -h, --help                  show this help and exit\n"
"\n"
"-s -E -M -N -W -S -U -V are given to the sender only; the receiver gets\n"
"them from it.  The receiver exits after one sender's run, once the sender\n"
"said goodbye (at most %u s later); a sender that left right after its last\n"
"message is no failure of the receiver.\n"
"Exit status: 0 success, 1 communication or verification failure,\n"
"2 usage error.\n",
		OMX_PERF_DEFAULT_START, OMX_PERF_LENGTH_MAX,
		OMX_PERF_DEFAULT_END, OMX_PERF_DEFAULT_MULT,
		OMX_PERF_DEFAULT_ITER, OMX_PERF_DEFAULT_WARMUP,
		(unsigned)(BYE_WAIT_MS / 1000));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
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
	omx_return_t ret;

	for (;;) {
		if (p->sleep)
			ret = omx_wait(p->ep, req, st, &done, ABORT_CHECK_MS);
		else
			ret = omx_test(p->ep, req, st, &done);
		if (ret != OMX_SUCCESS)
			perf_fail(p, "%s at length %u iteration %u: %s", what,
				  p->len, p->iteration, omx_strerror(ret));
		if (done)
			break;
		/* Reading the clock on every poll would show in the latency. */
		if (!p->sleep && ++polls % 1024)
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
 * The receiver's last pong of the run: the sender, which had it, may
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

/* A valid address for messages without data (ready, acks) */
static uint8_t no_data[1];

static void send_empty(struct perf *p, uint64_t match, const char *what)
{
	omx_request_t req;
	omx_status_t st;

	post_send(p, no_data, 0, match, false, &req);
	wait_request(p, &req, &st, what);
}

static void recv_empty(struct perf *p, uint64_t match, const char *what)
{
	omx_request_t req;
	omx_status_t st;

	post_recv(p, no_data, 0, match, &req);
	wait_request(p, &req, &st, what);
}

/* A data message arrived: right length, and with -V, right bytes. */
static void check_data(struct perf *p, const omx_status_t *st,
		       enum omx_perf_dir dir)
{
	uint8_t got, want;
	uint32_t off;

	if (st->msg_length != p->len || st->xfer_length != p->len)
		perf_fail(p, "length %u iteration %u: received %u of %u bytes",
			  p->len, p->iteration, st->xfer_length, st->msg_length);
	if ((p->plan.flags & OMX_PERF_VERIFY) &&
	    omx_perf_check(p->rbuf, p->len, p->iteration, dir, &off, &got,
			   &want))
		perf_fail(p, "verify failed: length %u iteration %u offset %u: got 0x%02x, expected 0x%02x",
			  p->len, p->iteration, off, got, want);
}

static void fill_data(struct perf *p, enum omx_perf_dir dir)
{
	if (p->plan.flags & OMX_PERF_VERIFY)
		omx_perf_fill(p->sbuf, p->len, p->iteration, dir);
}

/* ------------------------------------------------------------------------
 * One length
 */
static double sender_pingpong(struct perf *p)
{
	uint32_t total = p->plan.warmup + p->plan.iter;
	bool sync = p->plan.flags & OMX_PERF_SYNC;
	omx_request_t sreq, rreq;
	omx_status_t st;
	uint64_t t0 = now_ns();

	for (p->iteration = 0; p->iteration < total; p->iteration++) {
		if (p->iteration == p->plan.warmup)
			t0 = now_ns();
		post_recv(p, p->rbuf, p->len, MATCH_DATA, &rreq);
		fill_data(p, OMX_PERF_PING);
		post_send(p, p->sbuf, p->len, MATCH_DATA, sync, &sreq);
		wait_request(p, &sreq, &st, "ping");
		wait_request(p, &rreq, &st, "pong");
		check_data(p, &st, OMX_PERF_PONG);
	}
	return (double)(now_ns() - t0) / 1000.0 / p->plan.iter / 2;
}

static void receiver_pingpong(struct perf *p)
{
	uint32_t total = p->plan.warmup + p->plan.iter;
	bool sync = p->plan.flags & OMX_PERF_SYNC;
	omx_request_t sreq, rreq;
	omx_status_t st;

	/* The next receive is always posted before the pong goes out. */
	p->iteration = 0;
	post_recv(p, p->rbuf, p->len, MATCH_DATA, &rreq);
	for (; p->iteration < total; p->iteration++) {
		wait_request(p, &rreq, &st, "ping");
		check_data(p, &st, OMX_PERF_PING);
		if (p->iteration + 1 < total)
			post_recv(p, p->rbuf, p->len, MATCH_DATA, &rreq);
		fill_data(p, OMX_PERF_PONG);
		post_send(p, p->sbuf, p->len, MATCH_DATA, sync, &sreq);
		if (p->last_len && p->iteration + 1 == total)
			wait_last_pong(p, &sreq, &st);
		else
			wait_request(p, &sreq, &st, "pong");
	}
}

/* -U: @count messages from iteration @first, then one ack back. */
static void sender_stream(struct perf *p, uint32_t first, uint32_t count)
{
	bool sync = p->plan.flags & OMX_PERF_SYNC;
	omx_request_t req;
	omx_status_t st;

	for (p->iteration = first; p->iteration < first + count; p->iteration++) {
		fill_data(p, OMX_PERF_PING);
		post_send(p, p->sbuf, p->len, MATCH_DATA, sync, &req);
		wait_request(p, &req, &st, "send");
	}
	recv_empty(p, MATCH_ACK, "acknowledgement");
}

static void receiver_stream(struct perf *p, uint32_t first, uint32_t count)
{
	omx_request_t req;
	omx_status_t st;

	for (p->iteration = first; p->iteration < first + count; p->iteration++) {
		post_recv(p, p->rbuf, p->len, MATCH_DATA, &req);
		wait_request(p, &req, &st, "receive");
		check_data(p, &st, OMX_PERF_PING);
	}
	send_empty(p, MATCH_ACK, "acknowledgement");
}

static double sender_unidir(struct perf *p)
{
	uint64_t t0;

	if (p->plan.warmup)
		sender_stream(p, 0, p->plan.warmup);
	t0 = now_ns();
	sender_stream(p, p->plan.warmup, p->plan.iter);
	return (double)(now_ns() - t0) / 1000.0 / p->plan.iter;
}

static void receiver_unidir(struct perf *p)
{
	if (p->plan.warmup)
		receiver_stream(p, 0, p->plan.warmup);
	receiver_stream(p, p->plan.warmup, p->plan.iter);
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
			if (unidir)
				receiver_unidir(p);
			else
				receiver_pingpong(p);
		} else {
			usec = unidir ? sender_unidir(p) : sender_pingpong(p);
			omx_perf_format_result(line, sizeof(line), p->len, usec);
			printf("%s\n", line);
			fflush(stdout);
		}
		if (p->last_len)
			break;
		p->len = next;
	}
}

/*
 * Sender, after the run: a synchronous empty message, complete once the
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

/* Receiver, after the run: the sender's goodbye, or its absence. */
static void await_bye(struct perf *p)
{
	uint64_t start = now_ns();
	omx_status_t st;
	uint32_t done = 0;

	while (!done && (now_ns() - start) / 1000000 < BYE_WAIT_MS) {
		if (omx_wait(p->ep, &p->bye_req, &st, &done, ABORT_CHECK_MS) !=
		    OMX_SUCCESS)
			break;
		check_abort(p);
	}
	if (!done) {
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
		omx_tool_fail("initializing Open-MX: %s (is the xen2mx-back driver loaded? try 'omx_init start')",
			      omx_strerror(ret));
	if (ret != OMX_SUCCESS)
		omx_tool_fail("initializing Open-MX: %s", omx_strerror(ret));
	ret = omx_open_endpoint(board, endpoint, PERF_KEY, NULL, 0, &p->ep);
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

	ret = omx_connect(p->ep, nic_id, endpoint, PERF_KEY, CONNECT_TIMEOUT_MS,
			  &p->peer);
	if (ret != OMX_SUCCESS)
		perf_fail(p, "connecting to %s endpoint %u: %s", p->peer_name,
			  endpoint, omx_strerror(ret));
	/* From now on the other side is told about our failures. */
	p->connected = true;
	post_recv(p, p->abort_text, sizeof(p->abort_text) - 1, MATCH_ABORT,
		  &p->abort_req);
}

static void alloc_buffers(struct perf *p)
{
	size_t size = p->plan.end ? p->plan.end : 1;

	if (posix_memalign((void **)&p->sbuf, 4096, size) ||
	    posix_memalign((void **)&p->rbuf, 4096, size))
		perf_fail(p, "cannot allocate two buffers of %zu bytes", size);
	/* Touch the pages now rather than inside the first timed loop. */
	memset(p->sbuf, 0, size);
	memset(p->rbuf, 0, size);
}

static void start_sender(struct perf *p, const char *dest, uint32_t rendpoint)
{
	uint8_t msg[OMX_PERF_PLAN_WIRE_LEN];
	omx_request_t req, ready;
	omx_status_t st;
	uint64_t nic_id;
	omx_return_t ret;

	snprintf(p->peer_name, sizeof(p->peer_name), "%s", dest);
	ret = omx_hostname_to_nic_id((char *)dest, &nic_id);
	if (ret != OMX_SUCCESS)
		perf_fail(p, "unknown peer '%s': %s (see omx_info for the peer table)",
			  dest, omx_strerror(ret));
	alloc_buffers(p);
	connect_to(p, nic_id, rendpoint);

	post_recv(p, no_data, 0, MATCH_READY, &ready);
	omx_perf_plan_encode(&p->plan, msg);
	post_send(p, msg, sizeof(msg), MATCH_PLAN, false, &req);
	wait_request(p, &req, &st, "sending the parameters");
	wait_request(p, &ready, &st, "waiting for the receiver");

	printf("Starting sender to %s...\n", dest);
	fflush(stdout);
	run(p);
	say_bye(p);
}

static void start_receiver(struct perf *p)
{
	uint8_t msg[OMX_PERF_PLAN_WIRE_LEN + 1];
	char hostname[OMX_HOSTNAMELEN_MAX];
	uint32_t done = 0, endpoint;
	omx_request_t req;
	const char *why;
	omx_status_t st;
	uint64_t nic_id;
	omx_return_t ret;

	printf("Starting receiver...\n");
	fflush(stdout);

	/* One byte more than a plan, so a longer message shows as such. */
	post_recv(p, msg, sizeof(msg), MATCH_PLAN, &req);
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

	if (st.msg_length != OMX_PERF_PLAN_WIRE_LEN)
		why = "not an omx_perf parameter message";
	else
		why = omx_perf_plan_decode(msg, st.xfer_length, &p->plan);
	if (why)
		perf_fail(p, "bad parameters from %s endpoint %u: %s",
			  p->peer_name, endpoint, why);
	printf("Got a sender: %s endpoint %u\n", p->peer_name, endpoint);
	fflush(stdout);

	alloc_buffers(p);
	connect_to(p, nic_id, endpoint);
	post_recv(p, no_data, 0, MATCH_BYE, &p->bye_req);
	send_empty(p, MATCH_READY, "telling the sender we are ready");
	run(p);
	await_bye(p);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "endpoint", required_argument, NULL, 'e' },
		{ "dest", required_argument, NULL, 'd' },
		{ "remote-endpoint", required_argument, NULL, 'r' },
		{ "start", required_argument, NULL, 's' },
		{ "end", required_argument, NULL, 'E' },
		{ "multiplier", required_argument, NULL, 'M' },
		{ "iterations", required_argument, NULL, 'N' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "sync", no_argument, NULL, 'S' },
		{ "unidirectional", no_argument, NULL, 'U' },
		{ "verify", no_argument, NULL, 'V' },
		{ "wait", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	uint32_t board = 0, endpoint = OMX_ANY_ENDPOINT, rendpoint = 0;
	const char *dest = NULL, *why;
	int c, sender_opt = 0, remote_opt = 0;
	struct perf p;

	omx_tool_set_name("omx_perf");
	memset(&p, 0, sizeof(p));
	omx_perf_plan_default(&p.plan);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:e:d:r:s:E:M:N:W:SUVwh",
				longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board = omx_tool_opt_u32(c, "board number", optarg, 0,
						 UINT32_MAX - 1);
			break;
		case 'e':
			endpoint = omx_tool_opt_u32(c, "endpoint index", optarg,
						    0, 255);
			break;
		case 'd':
			if (!optarg[0])
				omx_tool_usage_error("empty hostname for -d");
			dest = optarg;
			break;
		case 'r':
			rendpoint = omx_tool_opt_u32(c, "remote endpoint index",
						     optarg, 0, 255);
			remote_opt = c;
			break;
		case 's':
			p.plan.start = omx_tool_opt_u32(c, "start length", optarg,
							0, OMX_PERF_LENGTH_MAX);
			sender_opt = c;
			break;
		case 'E':
			p.plan.end = omx_tool_opt_u32(c, "end length", optarg, 0,
						      OMX_PERF_LENGTH_MAX);
			sender_opt = c;
			break;
		case 'M':
			p.plan.mult = omx_tool_opt_u32(c, "length multiplier",
						       optarg, 2, UINT32_MAX);
			sender_opt = c;
			break;
		case 'N':
			p.plan.iter = omx_tool_opt_u32(c, "iteration count",
						       optarg, 1,
						       OMX_PERF_ITER_MAX);
			sender_opt = c;
			break;
		case 'W':
			p.plan.warmup = omx_tool_opt_u32(c, "warmup count",
							 optarg, 0,
							 OMX_PERF_ITER_MAX);
			sender_opt = c;
			break;
		case 'S':
			p.plan.flags |= OMX_PERF_SYNC;
			sender_opt = c;
			break;
		case 'U':
			p.plan.flags |= OMX_PERF_UNIDIR;
			sender_opt = c;
			break;
		case 'V':
			p.plan.flags |= OMX_PERF_VERIFY;
			sender_opt = c;
			break;
		case 'w':
			p.sleep = true;
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
	if (!dest && sender_opt)
		omx_tool_usage_error("-%c is a sender option: the receiver gets it from the sender (add -d HOSTNAME)",
				     sender_opt);
	if (!dest && remote_opt)
		omx_tool_usage_error("-r needs -d HOSTNAME");
	why = omx_perf_plan_check(&p.plan);
	if (why)
		omx_tool_usage_error("%s (-s %u -E %u -M %u)", why, p.plan.start,
				     p.plan.end, p.plan.mult);

	p.sender = dest != NULL;
	if (!p.sender && endpoint == OMX_ANY_ENDPOINT)
		endpoint = 0;
	open_endpoint(&p, board, endpoint);
	if (p.sender)
		start_sender(&p, dest, rendpoint);
	else
		start_receiver(&p);

	omx_close_endpoint(p.ep);
	omx_finalize();
	free(p.sbuf);
	free(p.rbuf);
	return 0;
}
