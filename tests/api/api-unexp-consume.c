// SPDX-License-Identifier: MIT
/*
 * api-unexp-consume - an unexpected handler that consumes every message,
 * the way programs written for Open-MX 1.5 do it, and what the sender then
 * sees (mx-api.md 4.7, 7.1, 7.5).
 *
 * The receiver's handler takes each message in one of two styles:
 *
 *   FINISHED   returns OMX_UNEXP_HANDLER_RECV_FINISHED;
 *   ZERO-RECV  posts a forgotten 0-byte omx_irecv for it, then returns
 *              OMX_UNEXP_HANDLER_RECV_CONTINUE.
 *
 * Messages of 0, 16, 100, 1024, 10000 and 1 MiB are sent once with
 * omx_isend and once with omx_issend in each style (24 messages), one at a
 * time.  The sender checks each completion:
 *
 *   - an eager send (not synchronous, at most the rendezvous threshold of
 *     that peer) never learns how it was received: OMX_SUCCESS, xfer_length
 *     = its length;
 *   - a synchronous or large send reports the receiver's xfer_length, 0:
 *     OMX_MESSAGE_TRUNCATED, or OMX_SUCCESS for an empty message;
 *   - a send to self inside the library (own address, OMX_DISABLE_SELF
 *     unset) is synchronous: FINISHED completes it with OMX_SUCCESS, a
 *     0-byte receive truncates it.
 *
 * The receiver checks that the handler ran once per message with its
 * length, got the payload when the message was complete in one packet
 * (tiny, small, a 1024-byte medium, any send to self) and no pointer
 * otherwise (rendezvous, medium of several fragments), that the receives it
 * posted were accepted, and that nothing was left queued.
 *
 * Paths:
 *   --role server / --role client --peer H:B   two endpoints (two hosts,
 *                          two guests, or one host)
 *   --self                 two endpoints of one board, one process
 *   --role server --own-endpoint
 *                          one endpoint sending to its own address (no
 *                          client); with OMX_DISABLE_SELF=1 through the
 *                          driver
 *
 * The rendezvous threshold the sender expects: 4096 for a peer on a board
 * of this host (its own address included) unless OMX_DISABLE_SHARED is set
 * to a non-zero number, 32768 otherwise (Open-MX's defaults; the library
 * reads OMX_DISABLE_SELF and OMX_DISABLE_SHARED the same way).
 * --eager-max overrides it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_omx.h"
#include "api_pattern.h"

#define C_PREFIX	0x0000c20000000000ULL
#define C_PREFIX_MASK	0xffffff0000000000ULL
#define MIB		(1024 * 1024)

static const uint32_t lens[] = { 0, 16, 100, 1024, 10000, MIB };
#define N_LENS (sizeof(lens) / sizeof(lens[0]))

enum style { FINISHED, ZERO_RECV, N_STYLES };
static const char *const style_name[N_STYLES] = {
	[FINISHED] = "RECV_FINISHED",
	[ZERO_RECV] = "0-byte receive + RECV_CONTINUE",
};

/* One message: style, length index, synchronous or not. */
#define N_CASES (N_STYLES * N_LENS * 2)

struct kase {
	enum style style;
	uint32_t len;
	bool sync;
};

static struct kase case_of(unsigned k)
{
	struct kase c = {
		(enum style)(k / (N_LENS * 2)),
		lens[(k / 2) % N_LENS],
		k % 2 == 1,
	};
	return c;
}

static uint64_t match_of(unsigned k)
{
	return C_PREFIX | k;
}

static uint32_t seed_of(unsigned k)
{
	return pattern_seed(k, 0, 0xc2);
}

static const char *send_name(const struct kase *c)
{
	return c->sync ? "issend" : "isend";
}

/* ---- options ------------------------------------------------------- */

static bool own_endpoint;
static uint32_t eager_max_opt;	/* 0: from the path */

enum { OPT_OWN_ENDPOINT = API_OPT_PROGRAM, OPT_EAGER_MAX };

static const struct option options[] = {
	{ "own-endpoint", no_argument, NULL, OPT_OWN_ENDPOINT },
	{ "eager-max", required_argument, NULL, OPT_EAGER_MAX },
	{ NULL, 0, NULL, 0 }
};

static int parse_option(int code, const char *arg)
{
	if (code == OPT_OWN_ENDPOINT) {
		own_endpoint = true;
		return 0;
	}
	if (api_parse_u32("--eager-max", arg, UINT32_MAX, &eager_max_opt))
		return -1;
	if (eager_max_opt == 0) {
		fprintf(stderr, "api-unexp-consume: invalid --eager-max 0\n");
		return -1;
	}
	return 0;
}

/* A numeric environment variable that is set and not 0, as the library reads it. */
static bool env_on(const char *name)
{
	const char *v = getenv(name);

	return v && strtoul(v, NULL, 0) != 0;
}

/* ---- what the handler saw ----------------------------------------- */

struct call {
	unsigned n;			/* calls for this message */
	uint32_t length;
	bool had_data;
	bool data_ok;
	uint64_t src_nic;
	uint32_t src_index;
	omx_return_t irecv_ret;
};

struct handler_log {
	omx_endpoint_t ep;
	struct call calls[N_CASES];
	unsigned total, foreign;
};

static omx_unexp_handler_action_t handler(void *context,
					  omx_endpoint_addr_t source,
					  uint64_t match_info,
					  uint32_t msg_length,
					  void *data_if_available)
{
	struct handler_log *h = context;
	unsigned k = (unsigned)(match_info & 0xff);
	struct call *c;

	/* Harness messages (or anything else) are left to the library. */
	if ((match_info & C_PREFIX_MASK) != C_PREFIX || k >= N_CASES) {
		h->foreign++;
		return OMX_UNEXP_HANDLER_RECV_CONTINUE;
	}
	h->total++;
	c = &h->calls[k];
	c->n++;
	c->length = msg_length;
	c->had_data = data_if_available != NULL;
	c->data_ok = c->had_data &&
		     pattern_mismatch(data_if_available, msg_length,
				      seed_of(k), 0) == msg_length;
	omx_decompose_endpoint_addr(source, &c->src_nic, &c->src_index);
	if (case_of(k).style == FINISHED)
		return OMX_UNEXP_HANDLER_RECV_FINISHED;
	/* Taken by a receive of nothing, which nobody will ever test. */
	c->irecv_ret = omx_irecv(h->ep, NULL, 0, match_info, API_MATCH_EXACT,
				 NULL, NULL);
	return OMX_UNEXP_HANDLER_RECV_CONTINUE;
}

/*
 * The receiver's checks.  @self: the messages came through the library's
 * self path; @src_nic/@src_index: the sender's endpoint.
 */
static void check_handler(const char *who, omx_endpoint_t ep,
			  const struct handler_log *h, bool self,
			  uint64_t src_nic, uint32_t src_index)
{
	unsigned k, queued = 0;

	tap_is(h->total, N_CASES, who,
	       "the handler saw the %u messages (%u harness messages left "
	       "to the library)", (unsigned)N_CASES, h->foreign);
	for (k = 0; k < N_CASES; k++) {
		const struct kase c = case_of(k);
		const struct call *cl = &h->calls[k];
		/* a packet that holds the whole message, or a send to self */
		bool want_data = self || (!c.sync && c.len <= 1024);
		char detail[160];
		bool ok;

		ok = cl->n == 1 && cl->length == c.len &&
		     cl->src_nic == src_nic && cl->src_index == src_index &&
		     (want_data ? cl->data_ok : !cl->had_data) &&
		     cl->irecv_ret == OMX_SUCCESS;
		snprintf(detail, sizeof(detail),
			 "calls %u, length %" PRIu32 ", data %s%s, source "
			 "0x%012" PRIx64 ":%" PRIu32 ", irecv %d", cl->n,
			 cl->length, cl->had_data ? "given" : "NULL",
			 cl->had_data ? (cl->data_ok ? " (right)" : " (wrong)") :
			 "", cl->src_nic, cl->src_index, (int)cl->irecv_ret);
		tap_check(ok, detail, who,
			  "%s, %s of %" PRIu32 ": the handler ran once with "
			  "the length, the source and %s", style_name[c.style],
			  send_name(&c), c.len,
			  want_data ? "the payload" : "no data pointer");
	}
	for (k = 0; k < N_CASES; k++) {
		uint32_t result = 0;
		omx_status_t st;

		if (omx_iprobe(ep, match_of(k), API_MATCH_EXACT, &st,
			       &result) != OMX_SUCCESS || result)
			queued++;
	}
	tap_is(queued, 0, who, "nothing was left queued as unexpected");
}

/* ---- the sender ----------------------------------------------------- */

/*
 * Sends the 24 messages one at a time to @dest and checks each completion.
 * @self: to its own address through the library; @eager_max: the largest
 * non-synchronous send expected to go eager.
 */
static bool send_all(const char *who, omx_endpoint_t ep,
		     omx_endpoint_addr_t dest, bool self, uint32_t eager_max,
		     uint32_t timeout_ms)
{
	uint8_t *buf = api_alloc(MIB);
	unsigned k;
	bool ok = true;

	for (k = 0; k < N_CASES && ok; k++) {
		const struct kase c = case_of(k);
		bool eager = !self && !c.sync && c.len <= eager_max;
		struct api_want want = { OMX_SUCCESS, c.len, c.len, match_of(k),
					 NULL };
		omx_request_t req;
		omx_status_t st;
		char what[96];

		if (!eager && !(self && c.style == FINISHED)) {
			want.xfer_length = 0;
			want.code = c.len ? OMX_MESSAGE_TRUNCATED : OMX_SUCCESS;
		}
		pattern_fill(buf, c.len, seed_of(k));
		snprintf(what, sizeof(what), "%s of %" PRIu32 " (%s)",
			 send_name(&c), c.len, style_name[c.style]);
		ok = api_call(who, c.sync ?
			      omx_issend(ep, buf, c.len, dest, match_of(k),
					 NULL, &req) :
			      omx_isend(ep, buf, c.len, dest, match_of(k),
					NULL, &req), "post %s", what) &&
		     api_wait(who, ep, &req, &st, timeout_ms, what);
		if (ok)
			api_check_status(&st, &want, who,
					 "%s, %s of %" PRIu32 ": completes with "
					 "%s, xfer_length %" PRIu32 "%s",
					 style_name[c.style], send_name(&c),
					 c.len, want.code == OMX_SUCCESS ?
					 "success" : "truncation",
					 want.xfer_length, eager ? " (eager)" :
					 self ? " (self)" : "");
	}
	free(buf);
	return ok;
}

/* Is @nic one of this host's boards (OMX_INFO_BOARD_IDS)? */
static bool nic_is_local(const char *who, omx_endpoint_t ep, uint64_t nic)
{
	uint32_t count = 0, i;
	uint64_t *ids;
	bool local = false;

	if (!api_call(who, omx_get_info(ep, OMX_INFO_BOARD_COUNT, NULL, 0,
					&count, sizeof(count)),
		      "omx_get_info(OMX_INFO_BOARD_COUNT)"))
		return false;
	ids = api_alloc((count + 1) * sizeof(*ids));
	if (api_call(who, omx_get_info(ep, OMX_INFO_BOARD_IDS, NULL, 0, ids,
				       (count + 1) * sizeof(*ids)),
		     "omx_get_info(OMX_INFO_BOARD_IDS)"))
		for (i = 0; i < count; i++)
			local = local || ids[i] == nic;
	free(ids);
	return local;
}

static uint32_t eager_max_for(const char *who, omx_endpoint_t ep,
			      uint64_t peer_nic)
{
	bool local = nic_is_local(who, ep, peer_nic);
	bool shared = !env_on("OMX_DISABLE_SHARED");
	uint32_t max = eager_max_opt ? eager_max_opt :
		       local && shared ? 4096 : 32768;

	tap_diag("%s: the peer's board is %s, OMX_DISABLE_SHARED %s: eager up "
		 "to %" PRIu32 " bytes%s", who, local ? "on this host" :
		 "remote", shared ? "unset" : "set", max,
		 eager_max_opt ? " (--eager-max)" : "");
	return max;
}

/* ---- roles ----------------------------------------------------------- */

static void own_endpoint_run(const struct api_role *role)
{
	const struct api_opts *o = role->opts;
	struct handler_log *h = calloc(1, sizeof(*h));
	bool self = !env_on("OMX_DISABLE_SELF");
	omx_endpoint_addr_t me;
	uint64_t nic;
	uint32_t index, eager_max;
	omx_endpoint_t ep;
	uint64_t t0;

	if (!h)
		tap_bail("out of memory");
	if (!omx_api_open(role, o->server_endpoint, &ep)) {
		free(h);
		return;
	}
	api_server_ready(role);
	h->ep = ep;
	omx_get_endpoint_addr(ep, &me);
	omx_decompose_endpoint_addr(me, &nic, &index);
	eager_max = eager_max_for(role->name, ep, nic);
	tap_diag("%s: sending to its own address %s", role->name,
		 self ? "inside the library (self path)" :
		 "through the driver (OMX_DISABLE_SELF set)");
	if (api_check_ret(omx_register_unexp_handler(ep, handler, h),
			  OMX_SUCCESS, role->name, "omx_register_unexp_handler") &&
	    send_all(role->name, ep, me, self, eager_max, o->timeout_ms)) {
		/* an eager send completes before its message is processed */
		t0 = api_now_ms();
		while (h->total < N_CASES && api_now_ms() - t0 < o->timeout_ms) {
			omx_progress(ep);
			api_sleep_ms(1);
		}
		check_handler(role->name, ep, h, self, nic, index);
	}
	api_call(role->name, omx_close_endpoint(ep), "close endpoint");
	free(h);
}

static void server(const struct api_role *role)
{
	struct handler_log *h;
	struct omx_pair p;

	if (own_endpoint) {
		own_endpoint_run(role);
		return;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		tap_bail("out of memory");
	if (!omx_pair_setup(role, &p)) {
		free(h);
		return;
	}
	h->ep = p.ep;
	if (api_check_ret(omx_register_unexp_handler(p.ep, handler, h),
			  OMX_SUCCESS, p.who, "omx_register_unexp_handler") &&
	    omx_pair_signal(&p, 1) && omx_pair_await(&p, 2)) {
		/* messages of one pair are matched in send order: all came */
		check_handler(p.who, p.ep, h, false, p.peer_nic, p.peer_index);
		omx_pair_finish(&p);
	} else {
		omx_pair_close(&p);
	}
	free(h);
}

static void client(const struct api_role *role)
{
	struct omx_pair p;
	uint32_t eager_max;

	if (own_endpoint)
		return;		/* the server sends to itself */
	if (!omx_pair_setup(role, &p))
		return;
	eager_max = eager_max_for(p.who, p.ep, p.peer_nic);
	if (omx_pair_await(&p, 1) &&
	    send_all(p.who, p.ep, p.peer, false, eager_max,
		     role->opts->timeout_ms) &&
	    omx_pair_signal(&p, 2))
		omx_pair_finish(&p);
	else
		omx_pair_close(&p);
}

static const struct api_program program = {
	.name = "api-unexp-consume",
	.summary =
		"An unexpected handler consumes every message (RECV_FINISHED, or\n"
		"a forgotten 0-byte receive and RECV_CONTINUE): 0 B..1 MiB, isend\n"
		"and issend.  Eager sends complete with success, synchronous and\n"
		"large ones report truncation (xfer_length 0); sends to self\n"
		"inside the library are synchronous.  With --own-endpoint the\n"
		"server sends to its own address (OMX_DISABLE_SELF=1: through the\n"
		"driver) and no client is needed.",
	.options = options,
	.options_help =
		"  --own-endpoint        server: send to its own endpoint address\n"
		"                        (the client role does nothing)\n"
		"  --eager-max N         sender: largest non-synchronous send\n"
		"                        expected to complete eagerly (default\n"
		"                        4096 to a board of this host unless\n"
		"                        OMX_DISABLE_SHARED is set, else 32768)\n",
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
