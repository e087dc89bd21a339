// SPDX-License-Identifier: MIT
/*
 * api-peer-loss - the peer's host loses power in the middle of a stream:
 * the survivor's requests end with a clean error status after the request
 * timeout, none hangs, and the endpoint closes.
 *
 * Both roles keep WINDOW sends and WINDOW receives in flight, of mixed
 * sizes (tiny, medium, and two large ones, so pulls are running), every
 * byte checked.  The server (host A) prints "# server: streaming" once
 * the stream is steady and streams on until its host is powered off (the
 * test bed does that).  The client (host B) has set a request timeout
 * (--request-timeout-ms) and streams until requests start failing; from
 * then on it posts nothing new, and every request still in flight must
 * end: sends and matched receives with OMX_REMOTE_ENDPOINT_UNREACHABLE,
 * receives nothing matched yet by a successful cancel.  Two hosts only.
 *
 * A large send whose RNDV the peer acked waits for its NOTIFY without a
 * timeout (openmx-wire.md 5): when the window holds only such sends and
 * receives nothing feeds, the loss shows in no request.  So when nothing
 * has completed for a request timeout, the client probes the peer with a
 * tiny message, which needs an ack: if the peer is gone it fails, and the
 * library then fails every request to that peer.
 *
 * --closed-ok: the server's endpoint may be closed before its board goes
 * (a guest that is destroyed or shut down: the backend closes the guest's
 * endpoints, then removes its board), so requests that meet the closed
 * endpoint end with OMX_REMOTE_ENDPOINT_CLOSED; that is a clean end too.
 * Either code, nothing else.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_omx.h"
#include "api_pattern.h"

#define WINDOW		4
#define MATCH_STREAM	0x0000570000000000ULL
#define MATCH_MASK	0xffffff0000000000ULL
/* Beyond any message number of the stream, inside its mask (wait_any) */
#define MATCH_PROBE	(MATCH_STREAM | 0x8000000000ULL)
#define STEADY_MSGS	24	/* server: messages each way before "streaming" */

static const uint32_t sizes[] = { 20, 3000, 70000, 200000 };
#define N_SIZES (sizeof(sizes) / sizeof(sizes[0]))
#define SIZE_MAX_MSG 200000

static uint32_t request_timeout_ms = 3000;
static bool closed_ok;		/* OMX_REMOTE_ENDPOINT_CLOSED is clean too */

enum { OPT_REQUEST_TIMEOUT = API_OPT_PROGRAM, OPT_CLOSED_OK };

static const struct option options[] = {
	{ "request-timeout-ms", required_argument, NULL, OPT_REQUEST_TIMEOUT },
	{ "closed-ok", no_argument, NULL, OPT_CLOSED_OK },
	{ NULL, 0, NULL, 0 }
};

static int parse_option(int code, const char *arg)
{
	if (code == OPT_CLOSED_OK) {
		closed_ok = true;
		return 0;
	}
	return api_parse_u32("--request-timeout-ms", arg, 600000,
			     &request_timeout_ms);
}

/* A status the survivor may get once its peer is gone. */
static bool clean_loss(omx_return_t code)
{
	return code == OMX_REMOTE_ENDPOINT_UNREACHABLE ||
	       (closed_ok && code == OMX_REMOTE_ENDPOINT_CLOSED);
}

struct slot {
	bool send;
	bool probe;		/* the client's probe, not a stream message */
	bool busy;
	uint32_t seq;		/* message number in its direction */
	uint8_t *buf;
	omx_request_t req;
};

struct stream {
	struct omx_pair *p;
	struct slot slots[2 * WINDOW];
	uint32_t next_send, next_recv;	/* next message numbers */
	uint32_t sent_ok, recv_ok;
	uint32_t bad_data;
	bool dir_server;		/* seeds differ per direction */
};

static uint32_t size_of(uint32_t seq)
{
	return sizes[seq % N_SIZES];
}

static uint32_t seed_of(const struct stream *s, bool outgoing, uint32_t seq)
{
	/* Direction 1: server -> client. */
	bool from_server = s->dir_server == outgoing;

	return pattern_seed(0x57e4, from_server, seq);
}

static bool post(struct stream *s, struct slot *sl)
{
	omx_return_t ret;

	if (sl->send) {
		uint32_t seq = s->next_send++, len = size_of(seq);

		sl->seq = seq;
		pattern_fill(sl->buf, len, seed_of(s, true, seq));
		ret = omx_isend(s->p->ep, sl->buf, len, s->p->peer,
				MATCH_STREAM | seq, sl, &sl->req);
	} else {
		/* Messages of one pair match in order: receive seq in turn. */
		uint32_t seq = s->next_recv++;

		sl->seq = seq;
		ret = omx_irecv(s->p->ep, sl->buf, SIZE_MAX_MSG,
				MATCH_STREAM | seq, ~0ULL, sl, &sl->req);
	}
	sl->busy = ret == OMX_SUCCESS;
	return api_call(s->p->who, ret, "post %s #%" PRIu32,
			sl->send ? "send" : "receive", sl->seq);
}

/* A completed request: check it; returns its status code. */
static omx_return_t done(struct stream *s, struct slot *sl,
			 const omx_status_t *st)
{
	sl->busy = false;
	if (st->code != OMX_SUCCESS || sl->probe)
		return st->code;
	if (sl->send) {
		s->sent_ok++;
	} else if (st->xfer_length != size_of(sl->seq) ||
		   pattern_mismatch(sl->buf, st->xfer_length,
				    seed_of(s, false, sl->seq), 0) !=
		   st->xfer_length) {
		s->bad_data++;
	} else {
		s->recv_ok++;
	}
	return OMX_SUCCESS;
}

static const char *kind(const struct slot *sl)
{
	return sl->probe ? "probe" : sl->send ? "send" : "receive";
}

/* A tiny message the server never receives (it stays unexpected there). */
static bool post_probe(struct stream *s, struct slot *sl, uint64_t quiet_ms)
{
	static uint8_t byte;
	omx_return_t ret;

	tap_diag("%s: nothing completed for %" PRIu64 " ms: probing the peer "
		 "with a tiny message (#%" PRIu32 ")", s->p->who, quiet_ms,
		 sl->seq);
	ret = omx_isend(s->p->ep, &byte, 1, s->p->peer, MATCH_PROBE | sl->seq,
			sl, &sl->req);
	sl->busy = ret == OMX_SUCCESS;
	return api_call(s->p->who, ret, "post probe #%" PRIu32, sl->seq);
}

static bool stream_init(struct stream *s, struct omx_pair *p, bool server)
{
	unsigned i;

	memset(s, 0, sizeof(*s));
	s->p = p;
	s->dir_server = server;
	for (i = 0; i < 2 * WINDOW; i++) {
		s->slots[i].send = i < WINDOW;
		s->slots[i].buf = api_alloc(SIZE_MAX_MSG);
	}
	for (i = 0; i < 2 * WINDOW; i++)
		if (!post(s, &s->slots[i]))
			return false;
	return true;
}

static void stream_free(struct stream *s)
{
	unsigned i;

	for (i = 0; i < 2 * WINDOW; i++)
		free(s->slots[i].buf);
}

/* One completion, waited for up to @ms; *code its status, *sl its slot. */
static bool next_done(struct stream *s, uint32_t ms, struct slot **sl,
		      omx_return_t *code)
{
	omx_status_t st;
	uint32_t result = 0;

	*sl = NULL;
	if (!api_call(s->p->who, omx_wait_any(s->p->ep, MATCH_STREAM, MATCH_MASK,
					      &st, &result, ms), "wait_any"))
		return false;
	if (result) {
		*sl = st.context;
		*code = done(s, *sl, &st);
	}
	return true;
}

static void server(const struct api_role *role)
{
	struct omx_pair p;
	struct stream s;
	struct slot *sl;
	omx_return_t code;
	bool said = false;

	if (role->opts->self) {
		tap_ok(true, role->name, "two hosts only: nothing to do with --self");
		return;
	}
	if (!omx_pair_setup(role, &p) || !stream_init(&s, &p, true))
		return;
	/* Until the power goes: the watchdog ends it if the test bed does not. */
	for (;;) {
		if (!next_done(&s, 1000, &sl, &code))
			break;
		if (!sl)
			continue;
		if (code != OMX_SUCCESS) {
			char buf[64];

			tap_diag("server: %s #%" PRIu32 " ended with %s",
				 sl->send ? "send" : "receive", sl->seq,
				 api_code_str(code, buf, sizeof(buf)));
			break;
		}
		if (!said && s.sent_ok >= STEADY_MSGS && s.recv_ok >= STEADY_MSGS) {
			tap_ok(s.bad_data == 0, p.who,
			       "%" PRIu32 " messages each way, every byte right",
			       s.recv_ok);
			printf("# server: streaming\n");
			fflush(stdout);
			said = true;
		}
		if (!post(&s, sl))
			break;
	}
	stream_free(&s);
	omx_pair_close(&p);
}

static void client(const struct api_role *role)
{
	uint32_t grace = 3 * request_timeout_ms + 30000, pending = 0, i;
	uint32_t failed_sends = 0, failed_recvs = 0, cancelled = 0, other = 0;
	uint32_t closed = 0;
	uint64_t t_fail = 0, t_last, t_quiet;
	struct slot probe = { .send = true, .probe = true };
	struct omx_pair p;
	struct stream s;
	struct slot *sl;
	omx_return_t code;
	char buf[64];

	if (role->opts->self) {
		tap_ok(true, role->name, "two hosts only: nothing to do with --self");
		return;
	}
	if (!omx_pair_setup(role, &p))
		return;
	api_call(p.who, omx_set_request_timeout(p.ep, NULL, request_timeout_ms),
		 "omx_set_request_timeout(%" PRIu32 " ms)", request_timeout_ms);
	if (!stream_init(&s, &p, false))
		return;

	/* Stream until the first failure: the peer is gone. */
	t_quiet = api_now_ms();
	while (!t_fail) {
		if (!next_done(&s, 1000, &sl, &code))
			goto out;
		if (!sl) {
			uint64_t quiet = api_now_ms() - t_quiet;

			if (!probe.busy && quiet >= request_timeout_ms &&
			    !post_probe(&s, &probe, quiet))
				goto out;
			continue;
		}
		t_quiet = api_now_ms();
		if (code == OMX_SUCCESS) {
			if (sl == &probe)
				probe.seq++;	/* the peer is alive after all */
			else if (!post(&s, sl))
				goto out;
			continue;
		}
		t_fail = api_now_ms();
		tap_diag("client: first failure: %s #%" PRIu32 ": %s",
			 kind(sl), sl->seq,
			 api_code_str(code, buf, sizeof(buf)));
		if (!clean_loss(code))
			other++;
		else if (sl->send)
			failed_sends++;
		else
			failed_recvs++;
		closed += code == OMX_REMOTE_ENDPOINT_CLOSED;
	}
	tap_ok(s.recv_ok >= STEADY_MSGS && s.sent_ok >= STEADY_MSGS &&
	       s.bad_data == 0, p.who,
	       "the stream ran until the peer vanished: %" PRIu32 " messages in, %"
	       PRIu32 " out, %" PRIu32 " damaged", s.recv_ok, s.sent_ok,
	       s.bad_data);

	/* Receives nothing has matched yet are ours to cancel. */
	for (i = 0; i < 2 * WINDOW; i++) {
		uint32_t result = 0;

		sl = &s.slots[i];
		if (!sl->busy || sl->send)
			continue;
		if (omx_cancel(p.ep, &sl->req, &result) == OMX_SUCCESS && result) {
			sl->busy = false;
			cancelled++;
		}
	}
	/* Everything else must end by itself, with an error, in bounded time. */
	for (i = 0; i < 2 * WINDOW; i++)
		pending += s.slots[i].busy;
	pending += probe.busy;
	t_last = api_now_ms();
	while (pending && api_now_ms() - t_fail < grace) {
		if (!next_done(&s, 1000, &sl, &code))
			break;
		if (!sl)
			continue;
		pending--;
		t_last = api_now_ms();
		if (clean_loss(code)) {
			if (sl->send)
				failed_sends++;
			else
				failed_recvs++;
			closed += code == OMX_REMOTE_ENDPOINT_CLOSED;
		} else if (code != OMX_SUCCESS) {
			other++;
			tap_diag("client: %s #%" PRIu32 ": %s",
				 kind(sl), sl->seq,
				 api_code_str(code, buf, sizeof(buf)));
		}
	}
	tap_ok(pending == 0, p.who,
	       "every request in flight ended (%" PRIu32 " still pending %" PRIu64
	       " ms after the first failure)", pending, api_now_ms() - t_fail);
	tap_ok(failed_sends >= 1 && other == 0, p.who,
	       "they failed with OMX_REMOTE_ENDPOINT_UNREACHABLE%s: %" PRIu32
	       " sends, %" PRIu32 " receives (%" PRIu32 " closed); %" PRIu32
	       " other errors", closed_ok ? " or _CLOSED" : "", failed_sends,
	       failed_recvs, closed, other);
	tap_ok(t_last - t_fail <= 2 * request_timeout_ms + 10000, p.who,
	       "the last one %" PRIu64 " ms after the first (request timeout %"
	       PRIu32 " ms)", t_last - t_fail, request_timeout_ms);
	tap_ok(cancelled <= WINDOW, p.who,
	       "%" PRIu32 " receives nothing had matched were cancelled", cancelled);
out:
	stream_free(&s);
	api_check_ret(omx_close_endpoint(p.ep), OMX_SUCCESS, p.who,
		      "the endpoint closes after its peer vanished");
}

static const struct api_program program = {
	.name = "api-peer-loss",
	.summary =
		"Streams mixed-size messages both ways until the server's host is\n"
		"powered off, then checks that every request of the client ends\n"
		"with OMX_REMOTE_ENDPOINT_UNREACHABLE (or a cancel) within its\n"
		"request timeout, and that its endpoint closes.  Two hosts only.\n"
		"With --closed-ok, OMX_REMOTE_ENDPOINT_CLOSED counts as clean too\n"
		"(a guest whose endpoints close before its board goes).",
	.options = options,
	.options_help =
		"  --request-timeout-ms N  client: omx_set_request_timeout value\n"
		"                        (default 3000)\n"
		"  --closed-ok           client: OMX_REMOTE_ENDPOINT_CLOSED is a\n"
		"                        clean end too\n",
	.parse_option = parse_option,
	.init = omx_api_init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
