/* SPDX-License-Identifier: MIT */
/*
 * test_lib_unexp_consume.c - an unexpected handler that consumes every
 * message (mx-api.md 4.7, 7.5), as a program written for Open-MX 1.5 does
 * it: either by returning OMX_UNEXP_HANDLER_RECV_FINISHED, or by posting a
 * forgotten 0-byte receive and returning OMX_UNEXP_HANDLER_RECV_CONTINUE.
 * Lengths 0, 16, 100, 1024, 10000 and 1 MiB, each with omx_isend and
 * omx_issend, over every way a message can travel in one process:
 *
 *   - to its own endpoint address through the library (self path);
 *   - to its own address through the driver (OMX_DISABLE_SELF=1), with
 *     same-host shortcuts enabled (rendezvous above 4096) or disabled
 *     (OMX_DISABLE_SHARED=1: the remote threshold, 32768, as in Open-MX);
 *   - between two endpoints of this host (both fake boards are attached),
 *     with and without OMX_DISABLE_SHARED.
 *
 * What the sender sees: an eager send (not synchronous, at most the
 * rendezvous threshold of that peer) never learns how it was received and
 * completes with OMX_SUCCESS; a synchronous or large one, and any send to
 * self, reports the receiver's xfer_length, 0 here, so OMX_MESSAGE_TRUNCATED
 * unless the message was empty, except that RECV_FINISHED on a self send
 * completes it successfully.  What the handler sees: the payload for a
 * message complete in one packet (tiny, small, one-fragment medium) and for
 * any self send, nothing for a rendezvous or a medium of several fragments.
 * Nothing stays queued afterwards.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

#define MIB (1024 * 1024)

static const uint32_t lens[] = { 0, 16, 100, 1024, 10000, MIB };
#define NLENS (sizeof(lens) / sizeof(lens[0]))

enum style { FINISHED, CONTINUE_ZERO_RECV };

struct handler_state {
	omx_endpoint_t ep;		/* the receiving endpoint */
	enum style style;
	uint32_t want_len;
	uint32_t seed;
	int want_data;
	unsigned calls;
	int len_ok, data_ok;
	omx_return_t irecv_ret;
};

static struct handler_state hs;
static uint8_t *sbuf;

static omx_unexp_handler_action_t handler(void *context,
					  omx_endpoint_addr_t source,
					  uint64_t match_info,
					  uint32_t msg_length, void *data)
{
	struct handler_state *h = context;

	(void)source;
	h->calls++;
	h->len_ok = msg_length == h->want_len;
	if (h->want_data)
		h->data_ok = data != NULL && lt_check(data, msg_length, h->seed) < 0;
	else
		h->data_ok = data == NULL;
	if (h->style == FINISHED)
		return OMX_UNEXP_HANDLER_RECV_FINISHED;
	/* a forgotten 0-byte receive takes the message: nothing is stored */
	h->irecv_ret = omx_irecv(h->ep, NULL, 0, match_info, ~0ULL, NULL, NULL);
	return OMX_UNEXP_HANDLER_RECV_CONTINUE;
}

struct path {
	const char *name;
	int disable_self, disable_shared;
	int own_endpoint;
};

/* Largest send that goes eager on this path (mx-api.md 7.1). */
static uint32_t eager_max(const struct path *pa)
{
	return pa->disable_shared ? 32768 : 4096;
}

static int self_path(const struct path *pa)
{
	return pa->own_endpoint && !pa->disable_self;
}

static void one(const struct path *pa, omx_endpoint_t from,
		omx_endpoint_addr_t dest, uint32_t len, int sync,
		enum style style, uint32_t seed)
{
	int eager = !self_path(pa) && !sync && len <= eager_max(pa);
	omx_return_t want_code;
	uint32_t want_xfer, result = 1;
	omx_request_t s;
	omx_status_t st;
	unsigned i;
	int done;

	if (self_path(pa) && style == FINISHED) {
		want_code = OMX_SUCCESS;
		want_xfer = len;
	} else if (eager) {
		want_code = OMX_SUCCESS;
		want_xfer = len;
	} else {
		want_code = len ? OMX_MESSAGE_TRUNCATED : OMX_SUCCESS;
		want_xfer = 0;
	}

	lt_fill(sbuf, len, seed);
	memset(&hs.calls, 0, sizeof(hs) - offsetof(struct handler_state, calls));
	hs.style = style;
	hs.want_len = len;
	hs.seed = seed;
	hs.want_data = self_path(pa) || (eager && len <= 8192);
	hs.irecv_ret = OMX_SUCCESS;

	if (sync)
		omx_issend(from, sbuf, len, dest, seed, NULL, &s);
	else
		omx_isend(from, sbuf, len, dest, seed, NULL, &s);
	done = lt_wait(from, &s, &st);
	tap_ok(done && st.code == want_code && st.xfer_length == want_xfer &&
	       st.msg_length == len,
	       "%s, %s, %s of %u: completes with %s, xfer_length %u",
	       pa->name, style == FINISHED ? "RECV_FINISHED" :
	       "0-byte receive + RECV_CONTINUE", sync ? "issend" : "isend", len,
	       omx_strerror(want_code), want_xfer);
	if (!done || st.code != want_code || st.xfer_length != want_xfer)
		printf("#   done %d, code %s, xfer_length %u\n", done,
		       omx_strerror(st.code), st.xfer_length);

	/* an eager send completes at once: let the message reach the handler */
	for (i = 0; i < 2000 && hs.calls == 0; i++) {
		fake_advance_us(1000);
		lt_progress_all();
	}
	for (i = 0; i < 20; i++) {
		fake_advance_us(1000);
		lt_progress_all();
	}
	omx_iprobe(hs.ep, 0, 0, &st, &result);
	tap_ok(hs.calls == 1 && hs.len_ok && hs.data_ok &&
	       hs.irecv_ret == OMX_SUCCESS && result == 0,
	       "%s, %s of %u: handler called once with the length and %s, "
	       "nothing left queued", pa->name, sync ? "issend" : "isend", len,
	       hs.want_data ? "the payload" : "no data");
	if (hs.calls != 1 || !hs.len_ok || !hs.data_ok || result)
		printf("#   calls %u, length ok %d, data ok %d, queued %u\n",
		       hs.calls, hs.len_ok, hs.data_ok, result);
}

static void run_path(const struct path *pa, uint32_t seed)
{
	omx_endpoint_t from, to;
	omx_endpoint_addr_t dest;
	unsigned i, sync, style;

	if (pa->disable_self)
		setenv("OMX_DISABLE_SELF", "1", 1);
	if (pa->disable_shared)
		setenv("OMX_DISABLE_SHARED", "1", 1);
	lt_init(seed);
	from = lt_open(0, 0, 0x12345678);
	if (pa->own_endpoint) {
		to = from;
		omx_get_endpoint_addr(from, &dest);
	} else {
		to = lt_open(1, 0, 0x12345678);
		dest = lt_connect(from, 1, 0, 0x12345678);
		lt_connect(to, 0, 0, 0x12345678);
	}
	hs.ep = to;
	omx_register_unexp_handler(to, handler, &hs);

	for (style = FINISHED; style <= CONTINUE_ZERO_RECV; style++)
		for (i = 0; i < NLENS; i++)
			for (sync = 0; sync < 2; sync++)
				one(pa, from, dest, lens[i], (int)sync,
				    (enum style)style, seed * 100 + i * 2 + sync);

	lt_close(from);
	if (to != from)
		lt_close(to);
	omx_finalize();
	unsetenv("OMX_DISABLE_SELF");
	unsetenv("OMX_DISABLE_SHARED");
}

int main(void)
{
	static const struct path paths[] = {
		{ "self", 0, 0, 1 },
		{ "own address through the driver", 1, 0, 1 },
		{ "own address, OMX_DISABLE_SHARED", 1, 1, 1 },
		{ "same host", 0, 0, 0 },
		{ "same host, OMX_DISABLE_SHARED", 0, 1, 0 },
	};
	unsigned i;

	sbuf = malloc(MIB);
	if (!sbuf)
		return 1;
	unsetenv("OMX_DISABLE_SELF");
	unsetenv("OMX_DISABLE_SHARED");
	unsetenv("OMX_SHARED_RNDV_THRESHOLD");
	unsetenv("OMX_RNDV_THRESHOLD");
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		run_path(&paths[i], 20 + i);
	free(sbuf);
	return tap_done();
}
