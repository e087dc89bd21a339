// SPDX-License-Identifier: MIT
/*
 * api-timeout - failures come back as values, in bounded time.
 *
 * The server opens two endpoints, E (--server-endpoint) and E+1; the
 * client connects one endpoint to both.
 *
 *  1. Connect errors (client): unknown hostname -> OMX_PEER_NOT_FOUND; NIC
 *     id not in the peer table -> OMX_NIC_ID_NOT_FOUND; wrong key ->
 *     OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY; an endpoint index that is not
 *     open (endpoint max - 1) -> OMX_REMOTE_ENDPOINT_CLOSED; an index beyond
 *     the endpoint max -> OMX_REMOTE_ENDPOINT_BAD_ID.
 *  2. Closed peer: the server closes E; a large send to E, with
 *     omx_set_request_timeout(request, 2000 ms), completes with
 *     OMX_REMOTE_ENDPOINT_CLOSED within BOUND_MS, and the endpoint's error
 *     handler sees that code.
 *  3. Silent peer: the server stops calling the library (E+1 stays open,
 *     nothing acks).  With omx_set_request_timeout(endpoint, 2000 ms) a
 *     large send to E+1 completes with OMX_REMOTE_ENDPOINT_UNREACHABLE,
 *     not before half the timeout and within BOUND_MS; then omx_connect
 *     with a 1000 ms timeout returns OMX_TIMEOUT.
 *
 * A vanished host looks like a silent peer on the wire (no acks, no
 * nacks): the test bed may destroy host A once the server has printed
 * "# server: going silent"; --gone-wait-s makes the client wait that long
 * before sending.  (Killing only the server *process* is different: its
 * driver then answers "closed".)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_omx.h"
#include "api_pattern.h"

#define REQUEST_TIMEOUT_MS	2000
#define BOUND_MS		10000	/* timeout + resend period + TCG slack */
#define CONNECT_TIMEOUT_MS	5000	/* connects that must be answered */
#define SILENT_CONNECT_MS	1000
#define LARGE_LEN		300000

#define M_TO_CLOSED		0x0000910000000001ULL
#define M_TO_SILENT		0x0000910000000002ULL

enum { OPT_LINGER = API_OPT_PROGRAM, OPT_GONE_WAIT };

static uint32_t linger_s = 20;	/* server: silent time before closing E+1 */
static uint32_t gone_wait_s;	/* client: pause before the silent send */

static const struct option options[] = {
	{ "linger-s",	 required_argument, NULL, OPT_LINGER },
	{ "gone-wait-s", required_argument, NULL, OPT_GONE_WAIT },
	{ NULL, 0, NULL, 0 },
};

static int parse_option(int code, const char *arg)
{
	if (code == OPT_LINGER)
		return api_parse_u32("--linger-s", arg, 3600, &linger_s);
	return api_parse_u32("--gone-wait-s", arg, 3600, &gone_wait_s);
}

/* ---- error handler of the client endpoint ----------------------------- */

/* Only the client thread uses its endpoint, hence these. */
static unsigned handler_calls;
static omx_return_t handler_last = OMX_SUCCESS;

static omx_return_t counting_handler(char *str, omx_return_t ret)
{
	(void)str;
	handler_calls++;
	handler_last = ret;
	return ret;
}

/* ---- client ----------------------------------------------------------- */

static void check_connect(struct omx_pair *p, uint64_t nic, uint32_t index,
			  uint32_t key, omx_return_t want, const char *what)
{
	omx_endpoint_addr_t addr;
	uint64_t t0 = api_now_ms();
	omx_return_t ret;

	ret = omx_connect(p->ep, nic, index, key, CONNECT_TIMEOUT_MS, &addr);
	api_check_ret(ret, want, p->who, "omx_connect %s (%" PRIu64 " ms)",
		      what, api_now_ms() - t0);
}

static void client_connect_errors(struct omx_pair *p, uint64_t server_nic)
{
	const struct api_opts *o = p->role->opts;
	char unknown[] = "no-such-host.invalid:0";
	uint32_t endpoint_max = 0;
	uint64_t nic;

	api_check_ret(omx_hostname_to_nic_id(unknown, &nic), OMX_PEER_NOT_FOUND,
		      p->who, "omx_hostname_to_nic_id of an unknown name");
	/* A locally administered MAC nobody in the test bed uses. */
	check_connect(p, 0x02dead00beefULL, 0, o->key, OMX_NIC_ID_NOT_FOUND,
		      "to a NIC id missing from the peer table");
	check_connect(p, server_nic, o->server_endpoint, o->key ^ 0x1,
		      OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, "with a wrong key");
	if (!api_call(p->who, omx_get_info(p->ep, OMX_INFO_ENDPOINT_MAX, NULL, 0,
					   &endpoint_max, sizeof(endpoint_max)),
		      "omx_get_info(OMX_INFO_ENDPOINT_MAX)") ||
	    !tap_ok(endpoint_max > o->server_endpoint + 2, p->who,
		    "endpoint max (%" PRIu32 ") leaves an unused index",
		    endpoint_max))
		return;
	/* Assumes both hosts run the driver with the same endpoint max. */
	check_connect(p, server_nic, endpoint_max - 1, o->key,
		      OMX_REMOTE_ENDPOINT_CLOSED,
		      "to an endpoint that is not open");
	check_connect(p, server_nic, endpoint_max, o->key,
		      OMX_REMOTE_ENDPOINT_BAD_ID,
		      "to an index beyond the endpoint max");
}

/* Large send to @to, bounded; returns the elapsed time or UINT64_MAX. */
static uint64_t client_doomed_send(struct omx_pair *p, omx_endpoint_addr_t to,
				   uint64_t match, bool per_request,
				   omx_status_t *st)
{
	uint8_t *buf = api_alloc(LARGE_LEN);
	omx_request_t req;
	uint64_t t0 = api_now_ms();

	if (!per_request)
		omx_set_request_timeout(p->ep, NULL, REQUEST_TIMEOUT_MS);
	if (!api_call(p->who, omx_isend(p->ep, buf, LARGE_LEN, to, match, NULL,
					&req), "isend"))
		return UINT64_MAX;
	if (per_request)
		omx_set_request_timeout(p->ep, req, REQUEST_TIMEOUT_MS);
	/* Bounded by BOUND_MS + the usual wait, not by the library. */
	if (!api_wait(p->who, p->ep, &req, st, BOUND_MS + p->role->opts->timeout_ms,
		      "send to a dead peer completes"))
		return UINT64_MAX;	/* buf stays with the pending request */
	free(buf);
	return api_now_ms() - t0;
}

static bool client_closed_peer(struct omx_pair *closed, struct omx_pair *live)
{
	omx_status_t st;
	uint64_t elapsed;

	if (!omx_pair_await(live, 2))	/* "E is closed" */
		return false;
	handler_calls = 0;
	handler_last = OMX_SUCCESS;
	elapsed = client_doomed_send(closed, closed->peer, M_TO_CLOSED, true, &st);
	if (elapsed == UINT64_MAX)
		return false;
	api_check_ret(st.code, OMX_REMOTE_ENDPOINT_CLOSED, closed->who,
		      "large send to a closed endpoint fails as closed");
	tap_ok(elapsed <= BOUND_MS, closed->who,
	       "... within %u ms (%" PRIu64 " ms)", BOUND_MS, elapsed);
	tap_ok(handler_calls >= 1 && handler_last == OMX_REMOTE_ENDPOINT_CLOSED,
	       closed->who, "the endpoint's error handler saw the failure "
	       "(%u calls, last code %d)", handler_calls, (int)handler_last);
	return omx_pair_signal(live, 3);
}

static void client_silent_peer(struct omx_pair *p)
{
	omx_endpoint_addr_t addr;
	omx_status_t st;
	omx_return_t ret;
	uint64_t elapsed, t0;

	if (!omx_pair_await(p, 4))	/* "going silent" */
		return;
	if (gone_wait_s) {
		tap_diag("client: waiting %" PRIu32 " s for host A to go",
			 gone_wait_s);
		api_sleep_ms(gone_wait_s * 1000);
	}
	elapsed = client_doomed_send(p, p->peer, M_TO_SILENT, false, &st);
	if (elapsed == UINT64_MAX)
		return;
	api_check_ret(st.code, OMX_REMOTE_ENDPOINT_UNREACHABLE, p->who,
		      "large send to a silent peer fails as unreachable");
	tap_ok(elapsed >= REQUEST_TIMEOUT_MS / 2 && elapsed <= BOUND_MS, p->who,
	       "... after retrying for about the %u ms request timeout "
	       "(%" PRIu64 " ms, bounds %u..%u)", REQUEST_TIMEOUT_MS, elapsed,
	       REQUEST_TIMEOUT_MS / 2, BOUND_MS);

	t0 = api_now_ms();
	ret = omx_connect(p->ep, p->peer_nic, p->peer_index,
			  p->role->opts->key, SILENT_CONNECT_MS, &addr);
	elapsed = api_now_ms() - t0;
	api_check_ret(ret, OMX_TIMEOUT, p->who,
		      "omx_connect to the silent peer times out");
	tap_ok(elapsed + 100 >= SILENT_CONNECT_MS && elapsed <= BOUND_MS, p->who,
	       "... after its %u ms timeout (%" PRIu64 " ms)", SILENT_CONNECT_MS,
	       elapsed);
}

static void client(const struct api_role *role)
{
	const struct api_opts *o = role->opts;
	struct omx_pair to_e = { .role = role, .who = role->name };
	struct omx_pair to_e1 = { .role = role, .who = role->name };
	uint64_t nic;

	if (!omx_api_open(role, o->client_endpoint, &to_e.ep))
		return;
	to_e1.ep = to_e.ep;	/* one client endpoint, two server endpoints */
	omx_set_error_handler(to_e.ep, counting_handler);
	if (!omx_api_server_nic(role, &nic) ||
	    !omx_pair_dial(&to_e, nic, o->server_endpoint) ||
	    !omx_pair_dial(&to_e1, nic, o->server_endpoint + 1))
		goto out;
	client_connect_errors(&to_e, nic);
	if (!omx_pair_signal(&to_e, 1))	/* "connect tests done" */
		goto out;
	if (client_closed_peer(&to_e, &to_e1))
		client_silent_peer(&to_e1);
out:
	omx_pair_close(&to_e);
}

/* ---- server ----------------------------------------------------------- */

static void server(const struct api_role *role)
{
	const struct api_opts *o = role->opts;
	struct omx_pair e = { .role = role, .who = role->name };
	struct omx_pair e1 = { .role = role, .who = role->name };

	if (!omx_api_open(role, o->server_endpoint, &e.ep) ||
	    !omx_api_open(role, o->server_endpoint + 1, &e1.ep)) {
		omx_pair_close(&e);
		return;
	}
	api_server_ready(role);
	/* Waiting for signal 1 also answers the client's bad-key connect. */
	if (!omx_pair_accept(&e) || !omx_pair_accept(&e1) ||
	    !omx_pair_await(&e, 1))
		goto fail;
	api_check_ret(omx_close_endpoint(e.ep), OMX_SUCCESS, role->name,
		      "close endpoint E while the client is connected to it");
	e.ep = NULL;
	if (!omx_pair_signal(&e1, 2) || !omx_pair_await(&e1, 3) ||
	    !omx_pair_signal(&e1, 4))
		goto fail;
	tap_diag("server: going silent for %" PRIu32 " s", linger_s);
	api_sleep_ms(linger_s * 1000);
	/* Events piled up while silent (the client's retransmissions). */
	api_check_ret(omx_close_endpoint(e1.ep), OMX_SUCCESS, role->name,
		      "close endpoint E+1 after %" PRIu32 " s of silence",
		      linger_s);
	return;
fail:
	omx_pair_close(&e);
	omx_pair_close(&e1);
}

static const struct api_program program = {
	.name = "api-timeout",
	.summary =
		"Checks connect errors, and that sends to a closed or silent peer\n"
		"fail (closed / unreachable) within a bound after\n"
		"omx_set_request_timeout, without hanging.",
	.options = options,
	.options_help =
		"  --linger-s N          server: stay silent N s before\n"
		"                        closing (default 20; keep it above\n"
		"                        the client's --gone-wait-s + 15)\n"
		"  --gone-wait-s N       client: wait N s before the send to\n"
		"                        the silent peer, e.g. while host A\n"
		"                        is removed (default 0)\n",
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
