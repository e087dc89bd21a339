// SPDX-License-Identifier: MIT
/*
 * mx-pingpong - a ping-pong written against the MX API only
 * (<myriexpress.h>, <mx_extensions.h>): the MX source-compatibility check.
 *
 * The client sends a ping of each size (0 B to 4 MiB, several times) as
 * two segments; the server receives it into three segments, checks it and
 * answers with a pong of the same size and another pattern, which the
 * client checks.  Sends complete through mx_test polling, receives through
 * mx_wait with a finite timeout.  Then:
 *  - mx_wait with MX_INFINITE (0) really waits: the server answers one ping
 *    only after DELAY_MS; a wrong translation of MX_INFINITE (0 taken as
 *    a 0 ms timeout) returns result 0 at once;
 *  - a truncated receive reports MX_STATUS_TRUNCATED (5: the MX status
 *    numbering, not Open-MX's);
 *  - mx_strerror / mx_strstatus give the documented strings.
 * The server connects back with mx_iconnect (mx_extensions.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <myriexpress.h>
#include <mx_extensions.h>

#include "api_pattern.h"
#include "api_run.h"

#define M_HELLO		0x00004d0000000001ULL
#define M_HELLO_ACK	0x00004d0000000002ULL
#define M_CONNECT_BACK	0x00004d0000000003ULL
#define M_GOODBYE	0x00004d0000000004ULL
#define M_PING		0x00004e0000000000ULL	/* | iter << 32 | size */
#define M_PONG		0x00004f0000000000ULL
#define M_INFINITE	0x00004d0000000010ULL
#define M_TRUNC		0x00004d0000000011ULL

#define ITERATIONS	3
#define DELAY_MS	300
#define TRUNC_LEN	100
#define TRUNC_BUF	50

static const uint32_t sizes[] = {
	0, 1, 31, 32, 33, 127, 128, 129, 1000, 4096, 4097, 8193, 32768, 32769,
	100000, 1U << 20, 4U << 20,
};
#define N_SIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAX_SIZE (4U << 20)

struct mx_pair {
	const struct api_role *role;
	const char *who;
	mx_endpoint_t ep;
	mx_endpoint_addr_t peer;
	uint64_t peer_nic;
	uint32_t peer_index;
	char scratch[8];
};

/* ---- small helpers ---------------------------------------------------- */

static bool mx_call(const char *who, mx_return_t ret, const char *what)
{
	char detail[128];

	if (ret == MX_SUCCESS)
		return true;
	snprintf(detail, sizeof(detail), "returned %s (%d)", mx_strerror(ret),
		 (int)ret);
	return tap_check(false, detail, who, "%s", what);
}

static bool wait_req(struct mx_pair *p, mx_request_t *req, mx_status_t *st,
		     uint32_t timeout_ms, const char *what)
{
	uint32_t result = 0;

	/* Never 0 here: that is MX_INFINITE. */
	if (!mx_call(p->who, mx_wait(p->ep, req, timeout_ms, st, &result), what))
		return false;
	return result || tap_check(false, "timed out", p->who, "%s", what);
}

/* Completes @req by polling mx_test, bounded by the --timeout-ms. */
static bool test_until_done(struct mx_pair *p, mx_request_t *req,
			    mx_status_t *st, const char *what)
{
	uint64_t deadline = api_now_ms() + p->role->opts->timeout_ms;
	uint32_t result = 0;

	for (;;) {
		if (!mx_call(p->who, mx_test(p->ep, req, st, &result), what))
			return false;
		if (result)
			return true;
		if (api_now_ms() > deadline)
			return tap_check(false, "timed out", p->who, "%s", what);
		api_sleep_ms(1);
	}
}

static bool send_control(struct mx_pair *p, uint64_t match, const char *what)
{
	mx_segment_t seg = { p->scratch, 0 };
	mx_request_t req;
	mx_status_t st;

	return mx_call(p->who, mx_isend(p->ep, &seg, 1, p->peer, match, NULL,
					&req), what) &&
	       wait_req(p, &req, &st, p->role->opts->timeout_ms, what);
}

static bool recv_control(struct mx_pair *p, uint64_t match,
			 uint32_t timeout_ms, mx_status_t *st, const char *what)
{
	mx_segment_t seg = { p->scratch, 0 };
	mx_request_t req;

	return mx_call(p->who, mx_irecv(p->ep, &seg, 1, match,
					MX_MATCH_MASK_NONE, NULL, &req), what) &&
	       wait_req(p, &req, st, timeout_ms, what);
}

/* ---- set-up ----------------------------------------------------------- */

static int init(const struct api_opts *opts)
{
	mx_return_t ret;

	(void)opts;
	mx_set_error_handler(MX_ERRORS_RETURN);
	ret = mx_init();
	if (ret != MX_SUCCESS) {
		tap_diag("mx_init: %s (%d)", mx_strerror(ret), (int)ret);
		return -1;
	}
	return 0;
}

static void fini(void)
{
	mx_finalize();
}

static bool open_endpoint(struct mx_pair *p, uint32_t index)
{
	const struct api_opts *o = p->role->opts;

	return mx_call(p->who, mx_open_endpoint(o->board, index, o->key, NULL, 0,
						&p->ep), "mx_open_endpoint");
}

static bool server_handshake(struct mx_pair *p)
{
	const struct api_opts *o = p->role->opts;
	mx_request_t req;
	mx_status_t st;

	if (!recv_control(p, M_HELLO, o->connect_wait_s * 1000, &st,
			  "client's hello") ||
	    !mx_call(p->who, mx_decompose_endpoint_addr(st.source, &p->peer_nic,
							&p->peer_index),
		     "mx_decompose_endpoint_addr") ||
	    !mx_call(p->who, mx_iconnect(p->ep, p->peer_nic, p->peer_index,
					 o->key, M_CONNECT_BACK, p, &req),
		     "mx_iconnect back to the client") ||
	    !wait_req(p, &req, &st, o->timeout_ms, "mx_iconnect completion"))
		return false;
	if (!tap_ok(st.code == MX_STATUS_SUCCESS && st.context == p &&
		    st.match_info == M_CONNECT_BACK, p->who,
		    "mx_iconnect back to the client completes (%s)",
		    mx_strstatus(st.code)))
		return false;
	p->peer = st.source;
	return send_control(p, M_HELLO_ACK, "hello ack");
}

static bool client_handshake(struct mx_pair *p)
{
	const struct api_opts *o = p->role->opts;
	uint64_t deadline = api_now_ms() + (uint64_t)o->connect_wait_s * 1000;
	mx_segment_t seg = { p->scratch, 0 };
	mx_request_t ack;
	mx_status_t st;
	mx_return_t ret;

	if (o->self) {
		ret = mx_board_number_to_nic_id(o->board, &p->peer_nic);
	} else {
		/* The peer table may still be filling in. */
		while ((ret = mx_hostname_to_nic_id(o->peer, &p->peer_nic)) ==
		       MX_HOST_NOT_FOUND && api_now_ms() < deadline)
			api_sleep_ms(250);
	}
	if (!mx_call(p->who, ret, "NIC id of the server's board"))
		return false;
	p->peer_index = o->server_endpoint;
	/* Retry while the server's endpoint is not open yet. */
	while ((ret = mx_connect(p->ep, p->peer_nic, p->peer_index, o->key, 2000,
				 &p->peer)) != MX_SUCCESS &&
	       (ret == MX_CONNECTION_FAILED || ret == MX_TIMEOUT) &&
	       api_now_ms() < deadline)
		api_sleep_ms(250);
	if (!mx_call(p->who, ret, "mx_connect to the server"))
		return false;
	return mx_call(p->who, mx_irecv(p->ep, &seg, 1, M_HELLO_ACK,
					MX_MATCH_MASK_NONE, NULL, &ack),
		       "irecv hello ack") &&
	       send_control(p, M_HELLO, "hello") &&
	       wait_req(p, &ack, &st, o->timeout_ms, "server's hello ack");
}

/* ---- ping-pong -------------------------------------------------------- */

static uint64_t ping_match(uint64_t base, unsigned iter, uint32_t size)
{
	return base | ((uint64_t)iter << 32) | size;
}

static uint32_t seed_of(uint64_t base, unsigned iter, uint32_t size)
{
	return pattern_seed(size, iter, (uint32_t)(base >> 40));
}

/* Two or three segments, unevenly split; the pieces are contiguous in
 * @buf so the bytes can be checked in one go. */
static uint32_t segments(mx_segment_t *segs, uint8_t *buf, uint32_t size,
			 unsigned n)
{
	uint32_t first = size / 3, second = n == 3 ? size / 4 : size - first;

	segs[0] = (mx_segment_t){ buf, first };
	segs[1] = (mx_segment_t){ buf + first, second };
	if (n == 3)
		segs[2] = (mx_segment_t){ buf + first + second,
					  size - first - second };
	return n;
}

/* Appends "what" to @detail unless it already holds the first failure. */
static void first_failure(char *detail, size_t len, unsigned iter,
			  const char *what)
{
	if (!detail[0])
		snprintf(detail, len, "iteration %u: %s", iter, what);
}

static void check_recv(const mx_status_t *st, const uint8_t *buf,
		       uint32_t size, uint64_t match, void *ctx, uint32_t seed,
		       unsigned iter, char *detail, size_t len)
{
	char what[96];

	if (st->code != MX_STATUS_SUCCESS) {
		snprintf(what, sizeof(what), "status %s", mx_strstatus(st->code));
		first_failure(detail, len, iter, what);
	} else if (st->msg_length != size || st->xfer_length != size) {
		snprintf(what, sizeof(what), "%" PRIu32 "/%" PRIu32 " B",
			 st->xfer_length, st->msg_length);
		first_failure(detail, len, iter, what);
	} else if (st->match_info != match || st->context != ctx) {
		first_failure(detail, len, iter, "wrong match_info or context");
	} else if (pattern_mismatch(buf, size, seed, 0) < size) {
		first_failure(detail, len, iter, "wrong bytes");
	}
}

/* One round trip, client side.  A failed status or wrong bytes go into
 * @detail (the first one only); false means the exchange itself failed. */
static bool client_round(struct mx_pair *p, uint32_t size, unsigned iter,
			 uint8_t *sbuf, uint8_t *rbuf, mx_status_t *st,
			 char *detail, size_t len)
{
	uint64_t ping = ping_match(M_PING, iter, size);
	uint64_t pong = ping_match(M_PONG, iter, size);
	mx_segment_t ssegs[2], rsegs[2];
	mx_request_t sreq, rreq;
	uint32_t nr = segments(rsegs, rbuf, size, 2);
	uint32_t ns = segments(ssegs, sbuf, size, 2);

	memset(rbuf, API_POISON, size);
	pattern_fill(sbuf, size, seed_of(M_PING, iter, size));
	if (!mx_call(p->who, mx_irecv(p->ep, rsegs, nr, pong,
				      MX_MATCH_MASK_NONE, rbuf, &rreq),
		     "mx_irecv pong") ||
	    !mx_call(p->who, mx_isend(p->ep, ssegs, ns, p->peer, ping, sbuf,
				      &sreq), "mx_isend ping") ||
	    !test_until_done(p, &sreq, st, "ping send (mx_test)"))
		return false;
	if (st->code != MX_STATUS_SUCCESS)
		first_failure(detail, len, iter, mx_strstatus(st->code));
	if (!wait_req(p, &rreq, st, p->role->opts->timeout_ms,
		      "pong (mx_wait)"))
		return false;
	check_recv(st, rbuf, size, pong, rbuf, seed_of(M_PONG, iter, size),
		   iter, detail, len);
	return true;
}

static bool client_pingpong(struct mx_pair *p, uint8_t *sbuf, uint8_t *rbuf)
{
	unsigned s, iter;

	for (s = 0; s < N_SIZES; s++) {
		uint64_t t0 = api_now_ms();
		char detail[128] = "";
		mx_status_t st;

		for (iter = 0; iter < ITERATIONS; iter++) {
			uint64_t nic = 0;
			uint32_t index = 0;

			if (!client_round(p, sizes[s], iter, sbuf, rbuf, &st,
					  detail, sizeof(detail)))
				return false;
			if (s || iter)
				continue;
			mx_decompose_endpoint_addr(st.source, &nic, &index);
			tap_ok(nic == p->peer_nic && index == p->peer_index,
			       p->who, "pong status.source is the server (NIC "
			       "0x%012" PRIx64 ", endpoint %" PRIu32 ")", nic,
			       index);
		}
		tap_check(!detail[0], detail, p->who,
			  "ping-pong of %" PRIu32 " B x%u: statuses and data",
			  sizes[s], ITERATIONS);
		if (sizes[s] >= 65536)
			tap_diag("%s: %u round trips of %" PRIu32 " B in %" PRIu64
				 " ms", p->who, ITERATIONS, sizes[s],
				 api_now_ms() - t0);
	}
	return true;
}

/* One round trip, server side: three receive segments, two send ones. */
static bool server_round(struct mx_pair *p, uint32_t size, unsigned iter,
			 uint8_t *sbuf, uint8_t *rbuf, char *detail,
			 size_t len)
{
	uint64_t ping = ping_match(M_PING, iter, size);
	uint64_t pong = ping_match(M_PONG, iter, size);
	mx_segment_t ssegs[2], rsegs[3];
	uint32_t nr = segments(rsegs, rbuf, size, 3);
	uint32_t ns = segments(ssegs, sbuf, size, 2);
	mx_request_t req;
	mx_status_t st;

	memset(rbuf, API_POISON, size);
	if (!mx_call(p->who, mx_irecv(p->ep, rsegs, nr, ping,
				      MX_MATCH_MASK_NONE, rbuf, &req),
		     "mx_irecv ping") ||
	    !wait_req(p, &req, &st, p->role->opts->timeout_ms,
		      "ping (mx_wait)"))
		return false;
	check_recv(&st, rbuf, size, ping, rbuf, seed_of(M_PING, iter, size),
		   iter, detail, len);
	pattern_fill(sbuf, size, seed_of(M_PONG, iter, size));
	if (!mx_call(p->who, mx_isend(p->ep, ssegs, ns, p->peer, pong, NULL,
				      &req), "mx_isend pong") ||
	    !test_until_done(p, &req, &st, "pong send (mx_test)"))
		return false;
	if (st.code != MX_STATUS_SUCCESS)
		first_failure(detail, len, iter, mx_strstatus(st.code));
	return true;
}

static bool server_pingpong(struct mx_pair *p, uint8_t *sbuf, uint8_t *rbuf)
{
	unsigned s, iter;

	for (s = 0; s < N_SIZES; s++) {
		char detail[128] = "";

		for (iter = 0; iter < ITERATIONS; iter++)
			if (!server_round(p, sizes[s], iter, sbuf, rbuf, detail,
					  sizeof(detail)))
				return false;
		tap_check(!detail[0], detail, p->who,
			  "ping of %" PRIu32 " B x%u received intact, pong sent",
			  sizes[s], ITERATIONS);
	}
	return true;
}

/* ---- MX_INFINITE, truncation, strings --------------------------------- */

static bool client_infinite(struct mx_pair *p)
{
	mx_segment_t seg = { p->scratch, 0 };
	uint32_t result = 0;
	mx_request_t req;
	mx_status_t st;
	mx_return_t ret;
	uint64_t t0;

	if (!mx_call(p->who, mx_irecv(p->ep, &seg, 1, M_INFINITE,
				      MX_MATCH_MASK_NONE, NULL, &req),
		     "mx_irecv") ||
	    !send_control(p, M_INFINITE, "ping answered late"))
		return false;
	t0 = api_now_ms();
	api_guard_begin(p->role->opts->timeout_ms / 1000 + 1,
			"mx_wait(MX_INFINITE)");
	ret = mx_wait(p->ep, &req, MX_INFINITE, &st, &result);
	api_guard_end();
	mx_call(p->who, ret, "mx_wait(MX_INFINITE)");
	return tap_ok(result == 1 && api_now_ms() - t0 + 50 >= DELAY_MS, p->who,
		      "mx_wait(MX_INFINITE) blocks until the late answer "
		      "(result %" PRIu32 " after %" PRIu64 " ms, answer after "
		      "%u ms)",
		      result, api_now_ms() - t0, DELAY_MS);
}

static bool server_infinite(struct mx_pair *p)
{
	mx_status_t st;

	if (!recv_control(p, M_INFINITE, p->role->opts->timeout_ms, &st,
			  "ping to answer late"))
		return false;
	api_sleep_ms(DELAY_MS);
	return send_control(p, M_INFINITE, "late answer");
}

static bool client_truncated(struct mx_pair *p, uint8_t *buf)
{
	mx_segment_t seg = { buf, TRUNC_LEN };
	mx_request_t req;
	mx_status_t st;

	pattern_fill(buf, TRUNC_LEN, pattern_seed(TRUNC_LEN, 0, 7));
	return mx_call(p->who, mx_isend(p->ep, &seg, 1, p->peer, M_TRUNC, NULL,
					&req), "mx_isend") &&
	       wait_req(p, &req, &st, p->role->opts->timeout_ms,
			"send to a short buffer");
}

static bool server_truncated(struct mx_pair *p, uint8_t *buf)
{
	mx_segment_t seg = { buf, TRUNC_BUF };
	mx_request_t req;
	mx_status_t st;

	if (!mx_call(p->who, mx_irecv(p->ep, &seg, 1, M_TRUNC, MX_MATCH_MASK_NONE,
				      NULL, &req), "mx_irecv") ||
	    !wait_req(p, &req, &st, p->role->opts->timeout_ms,
		      "receive into a short buffer"))
		return false;
	tap_is(st.code, MX_STATUS_TRUNCATED, p->who,
	       "truncated receive: status MX_STATUS_TRUNCATED (\"%s\")",
	       mx_strstatus(st.code));
	tap_ok(st.msg_length == TRUNC_LEN && st.xfer_length == TRUNC_BUF,
	       p->who, "truncated receive: msg_length %" PRIu32
	       ", xfer_length %" PRIu32, st.msg_length, st.xfer_length);
	return pattern_check(buf, TRUNC_BUF, pattern_seed(TRUNC_LEN, 0, 7),
			     p->who, "truncated receive: the first %u bytes",
			     TRUNC_BUF);
}

static void check_string(const char *who, const char *got, const char *want,
			 const char *call)
{
	char detail[160];

	snprintf(detail, sizeof(detail), "got \"%s\"", got ? got : "(null)");
	tap_check(got && !strcmp(got, want), detail, who, "%s is \"%s\"", call,
		  want);
}

static void client_strings(const char *who)
{
	check_string(who, mx_strerror(MX_SUCCESS), "Success",
		     "mx_strerror(MX_SUCCESS)");
	check_string(who, mx_strerror(MX_TIMEOUT), "Command Timeout",
		     "mx_strerror(MX_TIMEOUT)");
	check_string(who, mx_strerror(MX_BAD_CONNECTION_KEY),
		     "Connection Key to Remote Endpoint is Invalid",
		     "mx_strerror(MX_BAD_CONNECTION_KEY)");
	check_string(who, mx_strstatus(MX_STATUS_TRUNCATED), "Message Truncated",
		     "mx_strstatus(MX_STATUS_TRUNCATED)");
	check_string(who, mx_strstatus(MX_STATUS_ENDPOINT_UNREACHABLE),
		     "Remote Endpoint Unreachable",
		     "mx_strstatus(MX_STATUS_ENDPOINT_UNREACHABLE)");
}

/* ---- roles ------------------------------------------------------------ */

static void run_role(const struct api_role *role)
{
	bool server = role->kind == API_SERVER;
	struct mx_pair p = { .role = role, .who = role->name };
	uint8_t *sbuf = api_alloc(MAX_SIZE), *rbuf = api_alloc(MAX_SIZE);
	bool ok;

	if (!open_endpoint(&p, server ? role->opts->server_endpoint :
				   role->opts->client_endpoint)) {
		api_server_ready(role);
		goto out;
	}
	if (server) {
		api_server_ready(role);
		ok = server_handshake(&p) && server_pingpong(&p, sbuf, rbuf) &&
		     server_infinite(&p) && server_truncated(&p, rbuf);
	} else {
		client_strings(p.who);
		ok = client_handshake(&p) && client_pingpong(&p, sbuf, rbuf) &&
		     client_infinite(&p) && client_truncated(&p, sbuf);
	}
	if (ok) {
		/* Last word: nobody closes while the other still needs it. */
		mx_status_t st;

		if (server) {
			uint64_t t0;

			send_control(&p, M_GOODBYE, "goodbye");
			/* Closing drops what is not acked yet: let the
			 * goodbye be resent if a lossy wire ate it. */
			for (t0 = api_now_ms(); api_now_ms() - t0 < 2500;
			     api_sleep_ms(20))
				mx_progress(p.ep);
		} else
			recv_control(&p, M_GOODBYE, role->opts->timeout_ms, &st,
				     "server's goodbye");
	}
	mx_call(p.who, mx_close_endpoint(p.ep), "mx_close_endpoint");
out:
	free(sbuf);
	free(rbuf);
}

static const struct api_program program = {
	.name = "mx-pingpong",
	.summary =
		"A verified ping-pong from 0 B to 4 MiB written with the MX API\n"
		"(myriexpress.h), plus MX_INFINITE, MX status and string checks.",
	.init = init,
	.fini = fini,
	.server = run_role,
	.client = run_role,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
