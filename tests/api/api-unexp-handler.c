// SPDX-License-Identifier: MIT
/*
 * api-unexp-handler - omx_register_unexp_handler.
 *
 * The server installs a handler, then the client sends, in this order:
 *
 *   POST      tiny    handler checks the data, posts a receive for it from
 *                     inside the handler, returns RECV_CONTINUE: the new
 *                     receive gets the message
 *   DROP      tiny    handler tries omx_close_endpoint (must fail with
 *                     OMX_NOT_SUPPORTED_IN_HANDLER), returns RECV_FINISHED:
 *                     the message is gone
 *   QUEUE     tiny    RECV_CONTINUE without a receive: queued as unexpected
 *   SMALL     100 B   RECV_CONTINUE; the handler sees the data
 *   MEDIUM    1000 B  RECV_CONTINUE; one fragment at any MTU, so the
 *                     handler sees the data too
 *   LARGE     300000  the handler gets no data pointer; RECV_FINISHED: the
 *                     sender's send completes with xfer_length 0
 *                     (OMX_MESSAGE_TRUNCATED)
 *   EXPECTED  16 B    a receive was posted beforehand: no handler call
 *
 * The server then checks the handler's log (one call per unexpected
 * message, in arrival order, each with the right length, data and source)
 * and what became of each message.  Finally the handler is removed and a
 * further unexpected message must not reach it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_omx.h"
#include "api_pattern.h"

#define U_PREFIX	0x0000c10000000000ULL
#define U_PREFIX_MASK	0xffffff0000000000ULL

enum msg { POST, DROP, QUEUE, SMALL, MEDIUM, LARGE, EXPECTED, AFTER, N_MSGS };

static const struct {
	const char *name;
	uint32_t len;
} msgs[N_MSGS] = {
	[POST]	   = { "tiny (receive posted in the handler)", 20 },
	[DROP]	   = { "tiny (dropped)", 24 },
	[QUEUE]	   = { "tiny (left queued)", 28 },
	[SMALL]	   = { "small", 100 },
	[MEDIUM]   = { "medium", 1000 },
	[LARGE]	   = { "large (dropped)", 300000 },
	[EXPECTED] = { "expected", 16 },
	[AFTER]	   = { "sent after the handler is removed", 12 },
};

/* The handler sees the messages up to LARGE; EXPECTED and AFTER must not
 * reach it. */
#define N_HANDLED (LARGE + 1)

static uint64_t match_of(enum msg m)
{
	return U_PREFIX | (unsigned)m;
}

static uint32_t seed_of(enum msg m)
{
	return pattern_seed((uint32_t)m, 0, 0xc1);
}

/* ---- the handler and what it saw -------------------------------------- */

struct call {
	uint64_t match;
	uint32_t length;
	bool had_data;
	bool data_ok;
	uint64_t src_nic;
	uint32_t src_index;
};

struct handler_log {
	struct omx_pair *p;
	unsigned ncalls;
	struct call calls[16];
	unsigned overflow;
	/* POST: the receive posted from inside the handler */
	omx_return_t post_ret;
	omx_request_t posted;
	uint8_t posted_buf[20];
	/* DROP: omx_close_endpoint from inside the handler */
	omx_return_t close_ret;
};

static omx_unexp_handler_action_t handler(void *context,
					  omx_endpoint_addr_t source,
					  uint64_t match_info,
					  uint32_t msg_length,
					  void *data_if_available)
{
	struct handler_log *h = context;
	enum msg m = (enum msg)(match_info & 0xff);
	struct call *c;

	/* Harness messages (or anything else) are left to the library. */
	if ((match_info & U_PREFIX_MASK) != U_PREFIX || m >= N_MSGS)
		return OMX_UNEXP_HANDLER_RECV_CONTINUE;
	if (h->ncalls == sizeof(h->calls) / sizeof(h->calls[0])) {
		h->overflow++;
		return OMX_UNEXP_HANDLER_RECV_CONTINUE;
	}
	c = &h->calls[h->ncalls++];
	c->match = match_info;
	c->length = msg_length;
	c->had_data = data_if_available != NULL;
	c->data_ok = c->had_data && msg_length == msgs[m].len &&
		     pattern_mismatch(data_if_available, msg_length, seed_of(m),
				      0) == msg_length;
	omx_decompose_endpoint_addr(source, &c->src_nic, &c->src_index);

	switch (m) {
	case POST:
		h->post_ret = omx_irecv(h->p->ep, h->posted_buf,
					sizeof(h->posted_buf), match_info,
					API_MATCH_EXACT, h, &h->posted);
		return OMX_UNEXP_HANDLER_RECV_CONTINUE;
	case DROP:
		h->close_ret = omx_close_endpoint(h->p->ep);
		return OMX_UNEXP_HANDLER_RECV_FINISHED;
	case LARGE:
		return OMX_UNEXP_HANDLER_RECV_FINISHED;
	default:
		return OMX_UNEXP_HANDLER_RECV_CONTINUE;
	}
}

/* ---- server ----------------------------------------------------------- */

static const struct call *find_call(const struct handler_log *h, enum msg m)
{
	for (unsigned k = 0; k < h->ncalls; k++)
		if (h->calls[k].match == match_of(m))
			return &h->calls[k];
	return NULL;
}

static void check_calls(struct omx_pair *p, const struct handler_log *h)
{
	char order[128] = "";
	size_t n = 0;
	unsigned k;
	bool in_order = h->ncalls == N_HANDLED && !h->overflow;

	for (k = 0; k < h->ncalls && n < sizeof(order); k++) {
		n += (size_t)snprintf(order + n, sizeof(order) - n, "%s%u",
				      k ? "," : "calls ",
				      (unsigned)(h->calls[k].match & 0xff));
		if (h->calls[k].match != match_of((enum msg)k))
			in_order = false;
	}
	tap_check(in_order, order, p->who,
		  "the handler saw the %u unexpected messages once each, in "
		  "arrival order (%u calls)", N_HANDLED, h->ncalls);

	for (k = 0; k < N_HANDLED; k++) {
		const struct call *c = find_call(h, (enum msg)k);
		bool want_data = k != LARGE;

		if (!tap_ok(c != NULL, p->who, "handler called for %s",
			    msgs[k].name))
			continue;
		tap_ok(c->length == msgs[k].len && c->src_nic == p->peer_nic &&
		       c->src_index == p->peer_index, p->who,
		       "%s: handler got length %" PRIu32 " (want %" PRIu32
		       ") and the client as source", msgs[k].name, c->length,
		       msgs[k].len);
		if (want_data)
			tap_ok(c->data_ok, p->who,
			       "%s: handler got the payload (%s)", msgs[k].name,
			       c->had_data ? "given" : "NULL");
		else
			tap_ok(!c->had_data, p->who,
			       "%s: handler got no data pointer", msgs[k].name);
	}
	tap_ok(find_call(h, EXPECTED) == NULL, p->who,
	       "no handler call for a message with a posted receive");
}

/* Receives message @m (which must be queued) and checks it. */
static bool receive_queued(struct omx_pair *p, enum msg m)
{
	uint8_t *buf = api_alloc(msgs[m].len);
	struct api_want want = { OMX_SUCCESS, msgs[m].len, msgs[m].len,
				 match_of(m), buf };
	omx_request_t req;
	omx_status_t st;

	if (!api_call(p->who, omx_irecv(p->ep, buf, msgs[m].len, match_of(m),
					API_MATCH_EXACT, buf, &req), "irecv") ||
	    !api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms,
		      msgs[m].name))
		return false;
	api_check_status(&st, &want, p->who, "%s: received after the handler "
			 "let it through", msgs[m].name);
	pattern_check(buf, msgs[m].len, seed_of(m), p->who, "%s: data",
		      msgs[m].name);
	free(buf);
	return true;
}

static void check_gone(struct omx_pair *p, enum msg m)
{
	uint32_t result = 1;
	omx_status_t st;

	api_call(p->who, omx_iprobe(p->ep, match_of(m), API_MATCH_EXACT, &st,
				    &result), "iprobe");
	tap_is(result, 0, p->who, "%s: RECV_FINISHED dropped the message",
	       msgs[m].name);
}

static bool server_checks(struct omx_pair *p, struct handler_log *h,
			  omx_request_t *expected, uint8_t *expected_buf)
{
	const uint32_t timeout = p->role->opts->timeout_ms;
	struct api_want want_post = { OMX_SUCCESS, msgs[POST].len,
				      msgs[POST].len, match_of(POST), h };
	omx_status_t st;

	check_calls(p, h);

	api_check_ret(h->post_ret, OMX_SUCCESS, p->who,
		      "omx_irecv from inside the handler succeeds");
	if (h->post_ret == OMX_SUCCESS &&
	    api_wait(p->who, p->ep, &h->posted, &st, timeout,
		     "receive posted in the handler")) {
		api_check_status(&st, &want_post, p->who,
				 "the receive posted in the handler "
				 "(RECV_CONTINUE) got the message");
		pattern_check(h->posted_buf, msgs[POST].len, seed_of(POST),
			      p->who, "... with its data");
	}
	api_check_ret(h->close_ret, OMX_NOT_SUPPORTED_IN_HANDLER, p->who,
		      "omx_close_endpoint inside the handler is refused");
	check_gone(p, DROP);
	check_gone(p, LARGE);
	if (!receive_queued(p, QUEUE) || !receive_queued(p, SMALL) ||
	    !receive_queued(p, MEDIUM))
		return false;
	if (!api_wait(p->who, p->ep, expected, &st, timeout, "expected message"))
		return false;
	api_check_ret(st.code, OMX_SUCCESS, p->who,
		      "the expected message completes its posted receive");
	pattern_check(expected_buf, msgs[EXPECTED].len, seed_of(EXPECTED),
		      p->who, "... with its data");
	return true;
}

static void server(const struct api_role *role)
{
	struct handler_log *h = calloc(1, sizeof(*h));
	uint8_t expected_buf[16];
	omx_request_t expected;
	struct omx_pair p;
	unsigned before;
	bool ok;

	if (!h)
		tap_bail("out of memory");
	if (!omx_pair_setup(role, &p)) {
		free(h);
		return;
	}
	h->p = &p;
	h->post_ret = h->close_ret = OMX_BAD_ERROR;	/* "not called" */
	ok = api_call(p.who, omx_irecv(p.ep, expected_buf, sizeof(expected_buf),
				       match_of(EXPECTED), API_MATCH_EXACT, NULL,
				       &expected), "irecv expected");
	ok = ok && api_check_ret(omx_register_unexp_handler(p.ep, handler, h),
				 OMX_SUCCESS, p.who,
				 "omx_register_unexp_handler");
	ok = ok && omx_pair_signal(&p, 1) && omx_pair_await(&p, 2) &&
	     server_checks(&p, h, &expected, expected_buf);
	if (ok) {
		before = h->ncalls;
		api_check_ret(omx_register_unexp_handler(p.ep, NULL, NULL),
			      OMX_SUCCESS, p.who, "remove the handler (NULL)");
		ok = omx_pair_signal(&p, 3) && omx_pair_await(&p, 4);
		if (ok) {
			tap_is(h->ncalls, before, p.who,
			       "a removed handler is not called any more");
			ok = receive_queued(&p, AFTER);
		}
	}
	if (ok)
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
	free(h);
}

/* ---- client ----------------------------------------------------------- */

static bool client_send(struct omx_pair *p, enum msg m, uint8_t **buf,
			omx_request_t *req)
{
	*buf = api_alloc(msgs[m].len);
	pattern_fill(*buf, msgs[m].len, seed_of(m));
	return api_call(p->who, omx_isend(p->ep, *buf, msgs[m].len, p->peer,
					  match_of(m), NULL, req),
			"isend %s", msgs[m].name);
}

static void client(const struct api_role *role)
{
	const uint32_t timeout = role->opts->timeout_ms;
	omx_request_t req[N_MSGS];
	uint8_t *buf[N_MSGS] = { NULL };
	struct omx_pair p;
	omx_status_t st;
	unsigned m;
	bool ok;

	if (!omx_pair_setup(role, &p))
		return;
	ok = omx_pair_await(&p, 1);
	for (m = 0; m <= EXPECTED && ok; m++)
		ok = client_send(&p, (enum msg)m, &buf[m], &req[m]);
	ok = ok && omx_pair_signal(&p, 2);
	for (m = 0; m <= EXPECTED && ok; m++) {
		ok = api_wait(p.who, p.ep, &req[m], &st, timeout, msgs[m].name);
		if (!ok)
			break;
		if (m == LARGE) {
			struct api_want want = { OMX_MESSAGE_TRUNCATED,
						 msgs[LARGE].len, 0,
						 match_of(LARGE), NULL };

			api_check_status(&st, &want, p.who,
					 "large send dropped by the handler "
					 "completes with xfer_length 0");
		} else {
			api_check_ret(st.code, OMX_SUCCESS, p.who, "send %s",
				      msgs[m].name);
		}
	}
	ok = ok && omx_pair_await(&p, 3) &&
	     client_send(&p, AFTER, &buf[AFTER], &req[AFTER]) &&
	     api_wait(p.who, p.ep, &req[AFTER], &st, timeout, "send after") &&
	     omx_pair_signal(&p, 4);
	if (ok)
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
	for (m = 0; m < N_MSGS; m++)
		free(buf[m]);
}

static const struct api_program program = {
	.name = "api-unexp-handler",
	.summary =
		"Checks the unexpected-message handler: data given for tiny,\n"
		"small and one-fragment medium messages, RECV_CONTINUE after\n"
		"posting a receive inside the handler, RECV_FINISHED dropping\n"
		"tiny and large messages (the large sender sees xfer_length 0).",
	.init = omx_api_init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
