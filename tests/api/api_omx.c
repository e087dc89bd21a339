// SPDX-License-Identifier: MIT
/*
 * api_omx.c - Open-MX set-up, handshake, waits and status checks of the
 * API tests (see api_omx.h).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api_omx.h"

#define MATCH_HELLO	(API_MATCH_HARNESS | 0x1)
#define MATCH_HELLO_ACK	(API_MATCH_HARNESS | 0x2)
#define MATCH_SIGNAL	(API_MATCH_HARNESS | 0x0001000000000000ULL)
#define MATCH_SYNC	(API_MATCH_HARNESS | 0x0002000000000000ULL)

/* One connect attempt while the server may not be there yet. */
#define DIAL_ATTEMPT_MS	2000
#define DIAL_RETRY_MS	250

const char *api_code_str(omx_return_t code, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%d)", omx_strerror(code), (int)code);
	return buf;
}

int omx_api_init(const struct api_opts *opts)
{
	omx_return_t ret;

	(void)opts;
	omx_set_error_handler(NULL, OMX_ERRORS_RETURN);
	ret = omx_init();
	if (ret != OMX_SUCCESS) {
		char s[96];

		tap_diag("omx_init: %s", api_code_str(ret, s, sizeof(s)));
		return -1;
	}
	return 0;
}

void omx_api_fini(void)
{
	omx_finalize();
}

bool api_call(const char *who, omx_return_t ret, const char *fmt, ...)
{
	char desc[256], detail[96];
	va_list ap;

	if (ret == OMX_SUCCESS)
		return true;
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	snprintf(detail, sizeof(detail), "returned %s",
		 api_code_str(ret, (char[80]){ 0 }, 80));
	return tap_check(false, detail, who, "%s", desc);
}

bool api_check_ret(omx_return_t got, omx_return_t want, const char *who,
		   const char *fmt, ...)
{
	char desc[256], detail[192], g[80], w[80];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	snprintf(detail, sizeof(detail), "got %s, want %s",
		 api_code_str(got, g, sizeof(g)),
		 api_code_str(want, w, sizeof(w)));
	return tap_check(got == want, detail, who, "%s", desc);
}

bool api_check_status(const omx_status_t *st, const struct api_want *want,
		      const char *who, const char *fmt, ...)
{
	char desc[256], detail[512] = "", g[80], w[80];
	size_t n = 0;
	va_list ap;

#define ADD(...)							\
	n += (size_t)snprintf(detail + n, n < sizeof(detail) ?		\
			      sizeof(detail) - n : 0, __VA_ARGS__)
	if (st->code != want->code)
		ADD("code %s want %s; ", api_code_str(st->code, g, sizeof(g)),
		    api_code_str(want->code, w, sizeof(w)));
	if (st->msg_length != want->msg_length)
		ADD("msg_length %" PRIu32 " want %" PRIu32 "; ",
		    st->msg_length, want->msg_length);
	if (st->xfer_length != want->xfer_length)
		ADD("xfer_length %" PRIu32 " want %" PRIu32 "; ",
		    st->xfer_length, want->xfer_length);
	if (st->match_info != want->match_info)
		ADD("match_info 0x%" PRIx64 " want 0x%" PRIx64 "; ",
		    st->match_info, want->match_info);
	if (st->context != want->context)
		ADD("context %p want %p; ", st->context, want->context);
#undef ADD
	va_start(ap, fmt);
	vsnprintf(desc, sizeof(desc), fmt, ap);
	va_end(ap);
	return tap_check(detail[0] == '\0', detail, who, "%s", desc);
}

bool api_wait(const char *who, omx_endpoint_t ep, omx_request_t *req,
	      omx_status_t *status, uint32_t timeout_ms, const char *what)
{
	uint32_t result = 0;
	omx_return_t ret;
	char detail[128];

	ret = omx_wait(ep, req, status, &result, timeout_ms);
	if (ret == OMX_SUCCESS && result)
		return true;
	if (ret != OMX_SUCCESS)
		snprintf(detail, sizeof(detail), "omx_wait returned %s",
			 api_code_str(ret, (char[80]){ 0 }, 80));
	else
		snprintf(detail, sizeof(detail), "timed out after %" PRIu32
			 " ms", timeout_ms);
	return tap_check(false, detail, who, "%s", what);
}

bool omx_api_open(const struct api_role *role, uint32_t index,
		  omx_endpoint_t *ep)
{
	const struct api_opts *o = role->opts;
	omx_return_t ret;

	ret = omx_open_endpoint(o->board, index, o->key, NULL, 0, ep);
	if (ret == OMX_SUCCESS)
		return true;
	*ep = NULL;
	if (index == API_ANY_ENDPOINT)
		return api_call(role->name, ret,
				"open any endpoint of board %" PRIu32, o->board);
	return api_call(role->name, ret, "open endpoint %" PRIu32
			" of board %" PRIu32, index, o->board);
}

bool omx_api_server_nic(const struct api_role *role, uint64_t *nic)
{
	const struct api_opts *o = role->opts;
	uint64_t deadline = api_now_ms() + (uint64_t)o->connect_wait_s * 1000;
	omx_return_t ret;

	if (o->self)
		return api_call(role->name,
				omx_board_number_to_nic_id(o->board, nic),
				"NIC id of local board %" PRIu32, o->board);
	/* The peer table may still be filling in when the test starts. */
	for (;;) {
		ret = omx_hostname_to_nic_id(o->peer, nic);
		if (ret != OMX_PEER_NOT_FOUND || api_now_ms() >= deadline)
			break;
		api_sleep_ms(DIAL_RETRY_MS);
	}
	return api_call(role->name, ret, "find peer '%s' in the peer table",
			o->peer);
}

/* Post a receive for @match, wait for it; the payload is ignored. */
static bool recv_control(struct omx_pair *p, uint64_t match,
			 uint32_t timeout_ms, omx_status_t *st,
			 const char *what)
{
	omx_request_t req;

	if (!api_call(p->who, omx_irecv(p->ep, p->scratch, 0, match,
					API_MATCH_EXACT, NULL, &req),
		      "post receive for %s", what))
		return false;
	if (api_wait(p->who, p->ep, &req, st, timeout_ms, what))
		return api_call(p->who, st->code, "%s completion", what);
	/* Do not leave a receive behind that a later message could match. */
	omx_cancel(p->ep, &req, &(uint32_t){ 0 });
	return false;
}

static bool send_control(struct omx_pair *p, uint64_t match,
			 const char *what)
{
	omx_request_t req;
	omx_status_t st;

	if (!api_call(p->who, omx_isend(p->ep, p->scratch, 0, p->peer, match, NULL,
					&req), "send %s", what))
		return false;
	if (!api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms, what))
		return false;
	return api_call(p->who, st.code, "%s completion", what);
}

bool omx_pair_accept(struct omx_pair *p)
{
	const struct api_opts *o = p->role->opts;
	omx_status_t st;

	if (!recv_control(p, MATCH_HELLO, o->connect_wait_s * 1000, &st,
			  "client's hello"))
		return false;
	if (!api_call(p->who, omx_decompose_endpoint_addr(st.addr, &p->peer_nic,
							  &p->peer_index),
		      "decompose the hello sender's address"))
		return false;
	if (!api_call(p->who, omx_connect(p->ep, p->peer_nic, p->peer_index,
					  o->key, o->timeout_ms, &p->peer),
		      "connect back to client endpoint %" PRIu32 " of NIC 0x%012"
		      PRIx64, p->peer_index, p->peer_nic))
		return false;
	return send_control(p, MATCH_HELLO_ACK, "hello ack");
}

bool omx_pair_dial(struct omx_pair *p, uint64_t server_nic,
		   uint32_t server_index)
{
	const struct api_opts *o = p->role->opts;
	uint64_t deadline = api_now_ms() + (uint64_t)o->connect_wait_s * 1000;
	omx_request_t ack;
	omx_status_t st;
	omx_return_t ret;

	p->peer_nic = server_nic;
	p->peer_index = server_index;
	/* Until the server has opened its endpoint, its driver refuses the
	 * connect (closed) or nobody answers (timeout): retry. */
	for (;;) {
		ret = omx_connect(p->ep, server_nic, server_index, o->key,
				  DIAL_ATTEMPT_MS, &p->peer);
		if ((ret != OMX_REMOTE_ENDPOINT_CLOSED && ret != OMX_TIMEOUT) ||
		    api_now_ms() >= deadline)
			break;
		api_sleep_ms(DIAL_RETRY_MS);
	}
	if (!api_call(p->who, ret, "connect to server endpoint %" PRIu32
		      " of NIC 0x%012" PRIx64, server_index, server_nic))
		return false;
	/* Post the ack's receive first: the server answers at once. */
	if (!api_call(p->who, omx_irecv(p->ep, p->scratch, 0, MATCH_HELLO_ACK,
					API_MATCH_EXACT, NULL, &ack),
		      "post receive for hello ack"))
		return false;
	if (!send_control(p, MATCH_HELLO, "hello") ||
	    !api_wait(p->who, p->ep, &ack, &st, o->timeout_ms,
		      "server's hello ack")) {
		omx_cancel(p->ep, &ack, &(uint32_t){ 0 });
		return false;
	}
	return true;
}

bool omx_pair_setup(const struct api_role *role, struct omx_pair *p)
{
	const struct api_opts *o = role->opts;
	uint64_t nic;
	bool ok;

	memset(p, 0, sizeof(*p));
	p->role = role;
	p->who = role->name;
	if (role->kind == API_SERVER) {
		if (!omx_api_open(role, o->server_endpoint, &p->ep))
			return false;
		api_server_ready(role);
		ok = omx_pair_accept(p);
	} else {
		if (!omx_api_open(role, o->client_endpoint, &p->ep))
			return false;
		ok = omx_api_server_nic(role, &nic) &&
		     omx_pair_dial(p, nic, o->server_endpoint);
	}
	if (!ok)
		omx_pair_close(p);
	return ok;
}

bool omx_pair_signal(struct omx_pair *p, uint32_t tag)
{
	char what[64];

	snprintf(what, sizeof(what), "signal %" PRIu32, tag);
	return send_control(p, MATCH_SIGNAL | tag, what);
}

bool omx_pair_await(struct omx_pair *p, uint32_t tag)
{
	char what[64];
	omx_status_t st;

	snprintf(what, sizeof(what), "peer's signal %" PRIu32, tag);
	return recv_control(p, MATCH_SIGNAL | tag, p->role->opts->timeout_ms,
			    &st, what);
}

bool omx_pair_sync(struct omx_pair *p)
{
	uint64_t match = MATCH_SYNC | ++p->sync_seq;
	omx_request_t req;
	omx_status_t st;
	char what[64];

	snprintf(what, sizeof(what), "sync %" PRIu32 " with the peer",
		 p->sync_seq);
	if (!api_call(p->who, omx_irecv(p->ep, p->scratch, 0, match,
					API_MATCH_EXACT, NULL, &req),
		      "post receive for %s", what))
		return false;
	if (send_control(p, match, what) &&
	    api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms, what))
		return api_call(p->who, st.code, "%s completion", what);
	omx_cancel(p->ep, &req, &(uint32_t){ 0 });
	return false;
}

void omx_pair_close(struct omx_pair *p)
{
	if (p->ep)
		api_call(p->who, omx_close_endpoint(p->ep), "close endpoint");
	p->ep = NULL;
}

/*
 * Closing an endpoint drops what it has not had acked (Open-MX semantics:
 * a buffered send completes before the peer has it).  After the final
 * sync the peer may still be waiting for our sync message if the wire lost
 * it, so keep progressing long enough for a few retransmissions (one every
 * 0.5 s) before closing: on a link losing 5% of its frames, five losses in
 * a row are one chance in three million.
 */
#define FINISH_LINGER_MS	2500

void omx_pair_finish(struct omx_pair *p)
{
	if (p->ep && omx_pair_sync(p)) {
		uint64_t t0 = api_now_ms();

		while (api_now_ms() - t0 < FINISH_LINGER_MS) {
			omx_progress(p->ep);
			api_sleep_ms(20);
		}
	}
	omx_pair_close(p);
}
