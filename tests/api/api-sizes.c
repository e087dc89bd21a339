// SPDX-License-Identifier: MIT
/*
 * api-sizes - every message size class, both ways, checked byte for byte.
 *
 * For each size (the edges of tiny, small, medium and large, up to 16 MiB)
 * the client sends to the server, then the server sends the same size back
 * with another pattern.  Each side checks the completion status of its
 * send and of its receive (code, msg_length, xfer_length, match_info,
 * context) and the received bytes.  Client->server receives use a buffer
 * of exactly the message size; server->client receives a buffer 64 bytes
 * longer, whose tail must stay untouched (xfer_length is the message's
 * length, not the buffer's).  Then a few sizes go through isendv/irecvv
 * with differently split segments on the two sides, an empty one among
 * them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "api_omx.h"
#include "api_pattern.h"

static const uint32_t sizes[] = {
	0, 1, 32, 33, 128, 129, 4096, 8192, 8193, 32768, 32769, 65536,
	1U << 20, 16U << 20,
};
#define N_SIZES (sizeof(sizes) / sizeof(sizes[0]))
#define MAX_SIZE (16U << 20)

static const uint32_t vector_sizes[] = { 100, 3000, 70000, (1U << 20) + 3 };
#define N_VECTOR_SIZES (sizeof(vector_sizes) / sizeof(vector_sizes[0]))

/* Longer receive buffer of the server->client contiguous transfers. */
#define SLACK 64

enum dir { C2S, S2C };

static const char *const dir_name[] = { "client->server", "server->client" };

/* kind: 0 contiguous, 1 vector */
static uint64_t match_of(int kind, enum dir dir, uint32_t size)
{
	return (0x5153ULL << 40) | ((uint64_t)kind << 36) |
	       ((uint64_t)dir << 32) | size;
}

static uint32_t seed_of(int kind, enum dir dir, uint32_t size)
{
	return pattern_seed(size, (uint32_t)dir, (uint32_t)kind);
}

/* Distinct contexts for the send and the receive of every transfer, so a
 * status carrying the wrong request's context is caught. */
static void *context_of(bool send, int kind, enum dir dir, uint32_t index)
{
	return (void *)(uintptr_t)(0x10000 + (send << 12) + (kind << 10) +
				   (dir << 8) + index);
}

static bool check_send(struct omx_pair *p, omx_request_t *req, uint32_t size,
		       uint64_t match, void *ctx, const char *what)
{
	struct api_want want = { OMX_SUCCESS, size, size, match, ctx };
	omx_status_t st;

	if (!api_wait(p->who, p->ep, req, &st, p->role->opts->timeout_ms, what))
		return false;
	return api_check_status(&st, &want, p->who, "%s: send status", what);
}

static bool send_contiguous(struct omx_pair *p, void *buf, uint32_t i,
			    enum dir dir)
{
	uint32_t size = sizes[i];
	uint64_t match = match_of(0, dir, size);
	void *ctx = context_of(true, 0, dir, i);
	omx_request_t req;
	char what[64];

	snprintf(what, sizeof(what), "%" PRIu32 " B %s", size, dir_name[dir]);
	pattern_fill(buf, size, seed_of(0, dir, size));
	if (!api_call(p->who, omx_isend(p->ep, buf, size, p->peer, match, ctx,
					&req), "%s: isend", what))
		return false;
	return check_send(p, &req, size, match, ctx, what);
}

static bool recv_contiguous(struct omx_pair *p, void *buf, uint32_t i,
			    enum dir dir)
{
	uint32_t size = sizes[i];
	uint32_t len = dir == C2S ? size : size + SLACK;
	uint64_t match = match_of(0, dir, size);
	void *ctx = context_of(false, 0, dir, i);
	struct api_want want = { OMX_SUCCESS, size, size, match, ctx };
	omx_request_t req;
	omx_status_t st;
	char what[64];
	uint64_t t0;
	bool ok;

	snprintf(what, sizeof(what), "%" PRIu32 " B %s", size, dir_name[dir]);
	pattern_fill(buf, len, ~seed_of(0, dir, size));	/* not the payload */
	for (uint32_t k = size; k < len; k++)
		((uint8_t *)buf)[k] = API_POISON;
	t0 = api_now_ms();
	if (!api_call(p->who, omx_irecv(p->ep, buf, len, match, API_MATCH_EXACT,
					ctx, &req), "%s: irecv", what))
		return false;
	if (!api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms, what))
		return false;
	/* Not an assertion: a hint when a slow link nears --timeout-ms. */
	if (size >= 65536)
		tap_diag("%s: %s received %" PRIu64 " ms after irecv", p->who,
			 what, api_now_ms() - t0);
	ok = api_check_status(&st, &want, p->who, "%s: receive status (%s buffer)",
			      what, dir == C2S ? "exact" : "longer");
	ok &= pattern_check(buf, size, seed_of(0, dir, size), p->who,
			    "%s: data", what);
	if (len > size)
		ok &= poison_check((uint8_t *)buf + size, SLACK, p->who,
				   "%s: buffer beyond the message untouched",
				   what);
	if (i == 0) {
		uint64_t nic = 0;
		uint32_t index = 0;

		omx_decompose_endpoint_addr(st.addr, &nic, &index);
		tap_ok(nic == p->peer_nic && index == p->peer_index, p->who,
		       "receive status.addr names the peer (NIC 0x%012" PRIx64
		       ", endpoint %" PRIu32 ")", nic, index);
	}
	return ok;
}

/* Split @size into @n lengths proportional to @weights (a 0 weight gives
 * an empty segment); the last one takes the rounding remainder. */
static void split(uint32_t size, const uint32_t *weights, unsigned n,
		  uint32_t *lens)
{
	uint32_t sum = 0, used = 0;
	unsigned k;

	for (k = 0; k < n; k++)
		sum += weights[k];
	for (k = 0; k + 1 < n; k++) {
		lens[k] = (uint32_t)((uint64_t)size * weights[k] / sum);
		used += lens[k];
	}
	lens[n - 1] = size - used;
}

static const uint32_t send_weights[] = { 3, 0, 5, 2 };
static const uint32_t recv_weights[] = { 1, 4, 0, 2, 3 };
#define N_SEND_SEGS (sizeof(send_weights) / sizeof(send_weights[0]))
#define N_RECV_SEGS (sizeof(recv_weights) / sizeof(recv_weights[0]))

/* The segments point into separate allocations, so the library cannot get
 * away with treating the vector as one contiguous buffer. */
static void make_segs(omx_seg_t *segs, void **bufs, uint32_t size,
		      const uint32_t *weights, unsigned n)
{
	uint32_t lens[N_RECV_SEGS];
	unsigned k;

	split(size, weights, n, lens);
	for (k = 0; k < n; k++) {
		bufs[k] = api_alloc(lens[k]);
		segs[k].ptr = bufs[k];
		segs[k].len = lens[k];
	}
}

static void free_segs(void **bufs, unsigned n)
{
	for (unsigned k = 0; k < n; k++)
		free(bufs[k]);
}

static bool send_vector(struct omx_pair *p, uint32_t i, enum dir dir)
{
	uint32_t size = vector_sizes[i];
	uint64_t match = match_of(1, dir, size);
	void *ctx = context_of(true, 1, dir, i);
	omx_seg_t segs[N_SEND_SEGS];
	void *bufs[N_SEND_SEGS];
	size_t offset = 0;
	omx_request_t req;
	char what[80];
	bool ok;

	snprintf(what, sizeof(what), "%" PRIu32 " B %s in %zu segments",
		 size, dir_name[dir], N_SEND_SEGS);
	make_segs(segs, bufs, size, send_weights, N_SEND_SEGS);
	for (unsigned k = 0; k < N_SEND_SEGS; k++) {
		pattern_fill_at(segs[k].ptr, segs[k].len,
				seed_of(1, dir, size), offset);
		offset += segs[k].len;
	}
	ok = api_call(p->who, omx_isendv(p->ep, segs, N_SEND_SEGS, p->peer,
					 match, ctx, &req), "%s: isendv", what) &&
	     check_send(p, &req, size, match, ctx, what);
	free_segs(bufs, N_SEND_SEGS);
	return ok;
}

static bool recv_vector(struct omx_pair *p, uint32_t i, enum dir dir)
{
	uint32_t size = vector_sizes[i];
	uint64_t match = match_of(1, dir, size);
	void *ctx = context_of(false, 1, dir, i);
	struct api_want want = { OMX_SUCCESS, size, size, match, ctx };
	omx_seg_t segs[N_RECV_SEGS];
	void *bufs[N_RECV_SEGS];
	char what[80], detail[96] = "";
	size_t offset = 0;
	omx_request_t req;
	omx_status_t st;
	bool ok = false;

	snprintf(what, sizeof(what), "%" PRIu32 " B %s into %zu segments",
		 size, dir_name[dir], N_RECV_SEGS);
	make_segs(segs, bufs, size, recv_weights, N_RECV_SEGS);
	if (!api_call(p->who, omx_irecvv(p->ep, segs, N_RECV_SEGS, match,
					 API_MATCH_EXACT, ctx, &req),
		      "%s: irecvv", what) ||
	    !api_wait(p->who, p->ep, &req, &st, p->role->opts->timeout_ms, what))
		goto out;
	ok = api_check_status(&st, &want, p->who, "%s: receive status", what);
	for (unsigned k = 0; k < N_RECV_SEGS && !detail[0]; k++) {
		size_t bad = pattern_mismatch(segs[k].ptr, segs[k].len,
					      seed_of(1, dir, size), offset);

		if (bad < segs[k].len)
			snprintf(detail, sizeof(detail),
				 "segment %u, byte %zu of the message is wrong",
				 k, offset + bad);
		offset += segs[k].len;
	}
	ok &= tap_check(!detail[0], detail, p->who, "%s: data", what);
out:
	free_segs(bufs, N_RECV_SEGS);
	return ok;
}

static void server(const struct api_role *role)
{
	struct omx_pair p;
	void *buf;
	uint32_t i;

	if (!omx_pair_setup(role, &p))
		return;
	buf = api_alloc(MAX_SIZE + SLACK);
	for (i = 0; i < N_SIZES; i++)
		if (!recv_contiguous(&p, buf, i, C2S) ||
		    !send_contiguous(&p, buf, i, S2C))
			goto fail;
	for (i = 0; i < N_VECTOR_SIZES; i++)
		if (!recv_vector(&p, i, C2S) || !send_vector(&p, i, S2C))
			goto fail;
	omx_pair_finish(&p);
	free(buf);
	return;
fail:
	omx_pair_close(&p);
	free(buf);
}

static void client(const struct api_role *role)
{
	struct omx_pair p;
	void *buf;
	uint32_t i;

	if (!omx_pair_setup(role, &p))
		return;
	buf = api_alloc(MAX_SIZE + SLACK);
	for (i = 0; i < N_SIZES; i++)
		if (!send_contiguous(&p, buf, i, C2S) ||
		    !recv_contiguous(&p, buf, i, S2C))
			goto fail;
	for (i = 0; i < N_VECTOR_SIZES; i++)
		if (!send_vector(&p, i, C2S) || !recv_vector(&p, i, S2C))
			goto fail;
	omx_pair_finish(&p);
	free(buf);
	return;
fail:
	omx_pair_close(&p);
	free(buf);
}

static const struct api_program program = {
	.name = "api-sizes",
	.summary =
		"Sends every message size class (0 B to 16 MiB) both ways\n"
		"with omx_isend/omx_irecv and omx_isendv/omx_irecvv; checks\n"
		"the statuses and every byte.",
	.init = omx_api_init,
	.fini = omx_api_fini,
	.server = server,
	.client = client,
};

int main(int argc, char **argv)
{
	return api_main(argc, argv, &program);
}
