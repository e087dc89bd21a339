// SPDX-License-Identifier: MIT
/*
 * api-many-endpoints - N endpoints on each side, every pair talks.
 *
 * The server opens endpoints E..E+N-1 (E = --server-endpoint), the client
 * N endpoints anywhere.  Each role is one thread driving all its
 * endpoints from a polling loop (omx_test on every pending request,
 * omx_progress on every endpoint), as a multi-rail or multi-process-per-
 * node MPI would; blocking calls would deadlock here, since an endpoint
 * only answers connects while someone progresses it.
 *
 *  0. The usual handshake between the first endpoints of each side (it
 *     waits until the server is up).
 *  1. Connections: client endpoint i omx_iconnect()s to server endpoint j
 *     for all N*N pairs and sends HELLO(i, j); server endpoint j learns
 *     the client endpoint from HELLO's status.addr, omx_iconnect()s back
 *     and sends ACK(i, j).
 *  2. Traffic: every pair sends one message client->server and one reply
 *     server->client, sizes from tiny to large depending on the pair,
 *     each checked byte for byte and by its status.
 *
 * Assertions are per phase and direction, over all N*N pairs, with the
 * first bad pair in the detail.  The 0-byte HELLO and ACK messages are
 * posted with a NULL buffer, as applications commonly do.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_omx.h"
#include "api_pattern.h"

#define MAX_COUNT	32
#define DEFAULT_COUNT	16
#define DEFAULT_SELF	8	/* 2 x 8 endpoints on one board of 32 */

enum { OPT_COUNT = API_OPT_PROGRAM };

static uint32_t count;	/* 0: the default for the mode */

static const struct option options[] = {
	{ "count", required_argument, NULL, OPT_COUNT },
	{ NULL, 0, NULL, 0 },
};

static int parse_option(int code, const char *arg)
{
	(void)code;
	if (api_parse_u32("--count", arg, MAX_COUNT, &count))
		return -1;
	if (count == 0) {
		fprintf(stderr, "api-many-endpoints: invalid --count 0 (1..%d)\n",
			MAX_COUNT);
		return -1;
	}
	return 0;
}

/* ---- match infos and payloads ----------------------------------------- */

enum kind { K_HELLO = 1, K_ACK, K_C2S, K_S2C, K_CONNECT, K_CONNECT_BACK };

/* i: client endpoint, j: server endpoint */
static uint64_t match_of(enum kind kind, unsigned i, unsigned j)
{
	return 0x0000a10000000000ULL | ((uint64_t)kind << 24) |
	       ((uint64_t)i << 8) | j;
}

#define ANY_CLIENT_MASK	(~0xff00ULL)	/* i wildcarded */

static const uint32_t pair_sizes[] = { 0, 31, 200, 5000, 40000 };
#define N_PAIR_SIZES (sizeof(pair_sizes) / sizeof(pair_sizes[0]))
#define MAX_PAIR_SIZE 40000

static uint32_t size_of(unsigned i, unsigned j, enum kind dir)
{
	return pair_sizes[(i * 7 + j * 3 + (dir == K_S2C)) % N_PAIR_SIZES];
}

static uint32_t seed_of(unsigned i, unsigned j, enum kind dir)
{
	return pattern_seed(i, j, dir);
}

/* ---- one role's endpoints and its polling loop ------------------------ */

struct pend {
	omx_endpoint_t ep;
	omx_request_t req;
	enum kind kind;
	unsigned i, j;
	uint8_t *buf;
};

struct side {
	const struct api_role *role;
	const char *who;
	unsigned n;
	omx_endpoint_t ep[MAX_COUNT];
	/* peer[mine][theirs]: client [i][j], server [j][i] */
	omx_endpoint_addr_t peer[MAX_COUNT][MAX_COUNT];
	struct pend *pend;
	unsigned npend, cap, open;
	/* per-phase results: how many went right, the first that did not */
	unsigned good[K_CONNECT_BACK + 1];
	char bad[K_CONNECT_BACK + 1][128];
};

static void note_bad(struct side *s, enum kind k, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void note_bad(struct side *s, enum kind k, const char *fmt, ...)
{
	va_list ap;

	if (s->bad[k][0])
		return;		/* keep the first */
	va_start(ap, fmt);
	vsnprintf(s->bad[k], sizeof(s->bad[k]), fmt, ap);
	va_end(ap);
}

static void add_pend(struct side *s, omx_endpoint_t ep, omx_request_t req,
		     enum kind kind, unsigned i, unsigned j, uint8_t *buf)
{
	if (s->npend == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->pend = realloc(s->pend, s->cap * sizeof(*s->pend));
		if (!s->pend)
			tap_bail("out of memory");
	}
	s->pend[s->npend++] = (struct pend){ ep, req, kind, i, j, buf };
	s->open++;
}

typedef void (*on_done_t)(struct side *s, struct pend *p,
			  const omx_status_t *st);

/*
 * Tests every pending request until none is left or @deadline_ms passes.
 * @on_done may add requests.  Completed entries keep their slot (their
 * req is NULL); the table is reset between phases.
 */
static bool run_loop(struct side *s, on_done_t on_done, uint64_t deadline_ms)
{
	while (s->open) {
		bool moved = false;
		unsigned k, n = s->npend;	/* entries added now wait */

		for (k = 0; k < s->n; k++)
			omx_progress(s->ep[k]);
		for (k = 0; k < n; k++) {
			struct pend copy;
			omx_status_t st;
			uint32_t result = 0;

			if (!s->pend[k].req)
				continue;
			if (!api_call(s->who, omx_test(s->pend[k].ep,
						       &s->pend[k].req, &st,
						       &result), "omx_test"))
				return false;
			if (!result)
				continue;
			s->open--;
			moved = true;
			copy = s->pend[k];	/* on_done may realloc */
			on_done(s, &copy, &st);
		}
		if (!moved) {
			if (api_now_ms() > deadline_ms)
				return tap_check(false, "timed out", s->who,
						 "%u requests still pending",
						 s->open);
			api_sleep_ms(1);
		}
	}
	s->npend = 0;
	return true;
}

static uint64_t phase_deadline(const struct side *s)
{
	/* Generous: N*N exchanges, each normally far below the bound. */
	return api_now_ms() + 3ULL * s->role->opts->timeout_ms;
}

static void close_side(struct side *s)
{
	for (unsigned k = 0; k < s->n; k++)
		if (s->ep[k])
			api_call(s->who, omx_close_endpoint(s->ep[k]),
				 "close endpoint %u", k);
}

/* ---- client ----------------------------------------------------------- */

static void client_connect_done(struct side *s, struct pend *p,
				const omx_status_t *st)
{
	omx_request_t req;

	switch (p->kind) {
	case K_CONNECT:
		if (st->code != OMX_SUCCESS ||
		    st->match_info != match_of(K_CONNECT, p->i, p->j)) {
			note_bad(s, K_CONNECT, "client %u -> server %u: %s", p->i,
				 p->j, omx_strerror(st->code));
			return;
		}
		s->good[K_CONNECT]++;
		s->peer[p->i][p->j] = st->addr;
		if (api_call(s->who, omx_isend(p->ep, NULL, 0, st->addr,
					       match_of(K_HELLO, p->i, p->j),
					       NULL, &req), "isend hello"))
			add_pend(s, p->ep, req, K_HELLO, p->i, p->j, NULL);
		return;
	case K_HELLO:
		if (st->code != OMX_SUCCESS)
			note_bad(s, K_HELLO, "hello %u -> %u: %s", p->i, p->j,
				 omx_strerror(st->code));
		return;
	case K_ACK:
		if (st->code == OMX_SUCCESS)
			s->good[K_ACK]++;
		else
			note_bad(s, K_ACK, "ack %u <- %u: %s", p->i, p->j,
				 omx_strerror(st->code));
		return;
	default:
		return;
	}
}

static bool client_connect(struct side *s, uint64_t server_nic)
{
	const struct api_opts *o = s->role->opts;
	unsigned i, j, pairs = s->n * s->n;
	omx_request_t req;
	omx_return_t ret;
	bool ok;

	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->n; j++) {
			if (!api_call(s->who, omx_irecv(s->ep[i], NULL, 0,
							match_of(K_ACK, i, j),
							API_MATCH_EXACT, NULL,
							&req), "irecv ack"))
				return false;
			add_pend(s, s->ep[i], req, K_ACK, i, j, NULL);
			ret = omx_iconnect(s->ep[i], server_nic,
					   o->server_endpoint + j, o->key,
					   match_of(K_CONNECT, i, j), NULL, &req);
			if (!api_call(s->who, ret, "iconnect %u -> %u", i, j))
				return false;
			add_pend(s, s->ep[i], req, K_CONNECT, i, j, NULL);
		}
	ok = run_loop(s, client_connect_done, phase_deadline(s));
	tap_check(s->good[K_CONNECT] == pairs, s->bad[K_CONNECT], s->who,
		  "%u of %u omx_iconnect client->server succeeded",
		  s->good[K_CONNECT], pairs);
	tap_check(s->good[K_ACK] == pairs, s->bad[K_ACK], s->who,
		  "%u of %u server endpoints connected back (acks)",
		  s->good[K_ACK], pairs);
	return ok && s->good[K_CONNECT] == pairs && s->good[K_ACK] == pairs;
}

static void client_traffic_done(struct side *s, struct pend *p,
				const omx_status_t *st)
{
	uint32_t len = size_of(p->i, p->j, p->kind);

	if (p->kind == K_C2S) {
		if (st->code == OMX_SUCCESS && st->xfer_length == len)
			s->good[K_C2S]++;
		else
			note_bad(s, K_C2S, "send %u -> %u: %s, %" PRIu32 " B",
				 p->i, p->j, omx_strerror(st->code),
				 st->xfer_length);
	} else if (st->code != OMX_SUCCESS || st->msg_length != len ||
		   st->xfer_length != len ||
		   st->match_info != match_of(K_S2C, p->i, p->j)) {
		note_bad(s, K_S2C, "reply %u <- %u: %s, %" PRIu32 " of %" PRIu32
			 " B, want %" PRIu32, p->i, p->j, omx_strerror(st->code),
			 st->xfer_length, st->msg_length, len);
	} else if (pattern_mismatch(p->buf, len, seed_of(p->i, p->j, K_S2C),
				    0) < len) {
		note_bad(s, K_S2C, "reply %u <- %u: wrong bytes", p->i, p->j);
	} else {
		s->good[K_S2C]++;
	}
	free(p->buf);
}

static bool client_traffic(struct side *s)
{
	unsigned i, j, pairs = s->n * s->n;
	omx_request_t req;
	bool ok;

	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->n; j++) {
			uint32_t rlen = size_of(i, j, K_S2C);
			uint32_t slen = size_of(i, j, K_C2S);
			uint8_t *rbuf = api_alloc(rlen), *sbuf = api_alloc(slen);

			if (!api_call(s->who, omx_irecv(s->ep[i], rbuf, rlen,
							match_of(K_S2C, i, j),
							API_MATCH_EXACT, NULL,
							&req), "irecv reply"))
				return false;
			add_pend(s, s->ep[i], req, K_S2C, i, j, rbuf);
			pattern_fill(sbuf, slen, seed_of(i, j, K_C2S));
			if (!api_call(s->who, omx_isend(s->ep[i], sbuf, slen,
							s->peer[i][j],
							match_of(K_C2S, i, j),
							NULL, &req), "isend"))
				return false;
			add_pend(s, s->ep[i], req, K_C2S, i, j, sbuf);
		}
	ok = run_loop(s, client_traffic_done, phase_deadline(s));
	tap_check(s->good[K_C2S] == pairs, s->bad[K_C2S], s->who,
		  "%u of %u client->server sends completed", s->good[K_C2S],
		  pairs);
	tap_check(s->good[K_S2C] == pairs, s->bad[K_S2C], s->who,
		  "%u of %u server->client replies verified", s->good[K_S2C],
		  pairs);
	return ok;
}

static void client(const struct api_role *role)
{
	struct side *s = calloc(1, sizeof(*s));
	struct omx_pair first = { .role = role, .who = role->name };
	uint64_t nic;
	unsigned i;

	if (!s)
		tap_bail("out of memory");
	s->role = role;
	s->who = role->name;
	s->n = count;
	for (i = 0; i < s->n; i++)
		if (!omx_api_open(role, role->opts->client_endpoint, &s->ep[i]))
			goto out;
	tap_diag("client: %u endpoints open", s->n);
	first.ep = s->ep[0];
	if (omx_api_server_nic(role, &nic) &&
	    omx_pair_dial(&first, nic, role->opts->server_endpoint) &&
	    client_connect(s, nic) && client_traffic(s))
		omx_pair_sync(&first);	/* nobody closes too early */
out:
	close_side(s);
	free(s->pend);
	free(s);
}

/* ---- server ----------------------------------------------------------- */

static void server_connect_done(struct side *s, struct pend *p,
				const omx_status_t *st)
{
	omx_request_t req;
	uint64_t nic;
	uint32_t index;
	unsigned i;

	switch (p->kind) {
	case K_HELLO:
		i = (unsigned)(st->match_info >> 8) & 0xff;
		if (st->code != OMX_SUCCESS || i >= s->n) {
			note_bad(s, K_HELLO, "hello on %u: %s, client %u", p->j,
				 omx_strerror(st->code), i);
			return;
		}
		s->good[K_HELLO]++;
		omx_decompose_endpoint_addr(st->addr, &nic, &index);
		if (api_call(s->who, omx_iconnect(p->ep, nic, index,
						  s->role->opts->key,
						  match_of(K_CONNECT_BACK, i,
							   p->j), NULL, &req),
			     "iconnect back %u -> %u", p->j, i))
			add_pend(s, p->ep, req, K_CONNECT_BACK, i, p->j, NULL);
		return;
	case K_CONNECT_BACK:
		if (st->code != OMX_SUCCESS) {
			note_bad(s, K_CONNECT_BACK, "server %u -> client %u: %s",
				 p->j, p->i, omx_strerror(st->code));
			return;
		}
		s->good[K_CONNECT_BACK]++;
		s->peer[p->j][p->i] = st->addr;
		if (api_call(s->who, omx_isend(p->ep, NULL, 0, st->addr,
					       match_of(K_ACK, p->i, p->j),
					       NULL, &req), "isend ack"))
			add_pend(s, p->ep, req, K_ACK, p->i, p->j, NULL);
		return;
	case K_ACK:
		if (st->code != OMX_SUCCESS)
			note_bad(s, K_ACK, "ack %u -> %u: %s", p->j, p->i,
				 omx_strerror(st->code));
		return;
	default:
		return;
	}
}

static bool server_connect(struct side *s)
{
	unsigned i, j, pairs = s->n * s->n;
	omx_request_t req;
	bool ok;

	/* N hello receives per server endpoint, any client endpoint. */
	for (j = 0; j < s->n; j++)
		for (i = 0; i < s->n; i++) {
			if (!api_call(s->who, omx_irecv(s->ep[j], NULL, 0,
							match_of(K_HELLO, 0, j),
							ANY_CLIENT_MASK, NULL,
							&req), "irecv hello"))
				return false;
			add_pend(s, s->ep[j], req, K_HELLO, 0, j, NULL);
		}
	ok = run_loop(s, server_connect_done, phase_deadline(s));
	tap_check(s->good[K_HELLO] == pairs, s->bad[K_HELLO], s->who,
		  "%u of %u hellos received", s->good[K_HELLO], pairs);
	tap_check(s->good[K_CONNECT_BACK] == pairs, s->bad[K_CONNECT_BACK],
		  s->who, "%u of %u omx_iconnect server->client succeeded",
		  s->good[K_CONNECT_BACK], pairs);
	return ok && s->good[K_CONNECT_BACK] == pairs;
}

static void server_traffic_done(struct side *s, struct pend *p,
				const omx_status_t *st)
{
	uint32_t len = size_of(p->i, p->j, p->kind);
	omx_request_t req;
	uint8_t *reply;
	uint32_t rlen;

	if (p->kind == K_S2C) {
		if (st->code == OMX_SUCCESS)
			s->good[K_S2C]++;
		else
			note_bad(s, K_S2C, "reply %u -> %u: %s", p->j, p->i,
				 omx_strerror(st->code));
		free(p->buf);
		return;
	}
	if (st->code != OMX_SUCCESS || st->msg_length != len ||
	    st->xfer_length != len)
		note_bad(s, K_C2S, "message %u -> %u: %s, %" PRIu32 " of %"
			 PRIu32 " B, want %" PRIu32, p->i, p->j,
			 omx_strerror(st->code), st->xfer_length,
			 st->msg_length, len);
	else if (pattern_mismatch(p->buf, len, seed_of(p->i, p->j, K_C2S), 0) <
		 len)
		note_bad(s, K_C2S, "message %u -> %u: wrong bytes", p->i, p->j);
	else
		s->good[K_C2S]++;
	free(p->buf);

	/* Reply whatever happened, so the client is not left waiting. */
	rlen = size_of(p->i, p->j, K_S2C);
	reply = api_alloc(rlen);
	pattern_fill(reply, rlen, seed_of(p->i, p->j, K_S2C));
	if (api_call(s->who, omx_isend(p->ep, reply, rlen, s->peer[p->j][p->i],
				       match_of(K_S2C, p->i, p->j), NULL, &req),
		     "isend reply"))
		add_pend(s, p->ep, req, K_S2C, p->i, p->j, reply);
}

static bool server_traffic(struct side *s)
{
	unsigned i, j, pairs = s->n * s->n;
	omx_request_t req;
	bool ok;

	for (j = 0; j < s->n; j++)
		for (i = 0; i < s->n; i++) {
			uint32_t len = size_of(i, j, K_C2S);
			uint8_t *buf = api_alloc(len);

			if (!api_call(s->who, omx_irecv(s->ep[j], buf, len,
							match_of(K_C2S, i, j),
							API_MATCH_EXACT, NULL,
							&req), "irecv"))
				return false;
			add_pend(s, s->ep[j], req, K_C2S, i, j, buf);
		}
	ok = run_loop(s, server_traffic_done, phase_deadline(s));
	tap_check(s->good[K_C2S] == pairs, s->bad[K_C2S], s->who,
		  "%u of %u client->server messages verified", s->good[K_C2S],
		  pairs);
	tap_check(s->good[K_S2C] == pairs, s->bad[K_S2C], s->who,
		  "%u of %u replies sent", s->good[K_S2C], pairs);
	return ok;
}

static void server(const struct api_role *role)
{
	struct side *s = calloc(1, sizeof(*s));
	struct omx_pair first = { .role = role, .who = role->name };
	unsigned j;

	if (!s)
		tap_bail("out of memory");
	s->role = role;
	s->who = role->name;
	s->n = count;
	for (j = 0; j < s->n; j++)
		if (!omx_api_open(role, role->opts->server_endpoint + j,
				  &s->ep[j]))
			goto out;
	tap_diag("server: endpoints %" PRIu32 "..%" PRIu32 " open",
		 role->opts->server_endpoint,
		 role->opts->server_endpoint + s->n - 1);
	api_server_ready(role);
	first.ep = s->ep[0];
	if (omx_pair_accept(&first) && server_connect(s) && server_traffic(s))
		omx_pair_sync(&first);
out:
	close_side(s);
	free(s->pend);
	free(s);
}

static int init(const struct api_opts *opts)
{
	if (!count)
		count = opts->self ? DEFAULT_SELF : DEFAULT_COUNT;
	return omx_api_init(opts);
}

static const struct api_program program = {
	.name = "api-many-endpoints",
	.summary =
		"Opens N endpoints on each side; all N*N pairs connect both ways\n"
		"(omx_iconnect) and exchange verified messages.",
	.options = options,
	.options_help =
		"  --count N             endpoints per side (default 16, 8\n"
		"                        with --self; same on both sides)\n",
	.parse_option = parse_option,
	.init = init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
