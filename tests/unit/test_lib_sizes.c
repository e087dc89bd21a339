/* SPDX-License-Identifier: MIT */
/*
 * test_lib_sizes.c - every size class of mx-api.md 7.1 over the fake
 * driver, byte for byte, in both directions, with the receive posted
 * before and after the message arrives, contiguous and as vectors; and the
 * rendezvous thresholds (remote 32768, same host 4096 by default).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

#define MIB (1024 * 1024)

static const uint32_t sizes[] = {
	0, 1, 32, 33, 128, 129, 8192, 32768, 32769, MIB
};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

static uint8_t *sbuf, *rbuf;

/* One message from -> to; the receive is posted first or last. */
static int transfer(omx_endpoint_t from, omx_endpoint_addr_t dest,
		    omx_endpoint_t to, uint32_t len, int recv_first,
		    uint32_t seed, uint32_t *buffered)
{
	omx_request_t sreq, rreq;
	omx_status_t sst, rst;
	int ok;

	lt_fill(sbuf, len, seed);
	memset(rbuf, 0xee, len + 16);
	if (recv_first)
		omx_irecv(to, rbuf, len, seed, ~0ULL, NULL, &rreq);
	omx_isend(from, sbuf, len, dest, seed, NULL, &sreq);
	omx_ibuffered(from, &sreq, buffered);
	ok = 1;
	if (!recv_first) {
		uint32_t found = 0;

		/* let the message (or its RNDV) arrive unexpected */
		fake_advance_us(1000);
		omx_iprobe(to, seed, ~0ULL, &rst, &found);
		ok = found && rst.msg_length == len;
		omx_irecv(to, rbuf, len, seed, ~0ULL, NULL, &rreq);
	}
	ok = lt_wait(to, &rreq, &rst) && ok && rst.code == OMX_SUCCESS &&
	     rst.msg_length == len && rst.xfer_length == len &&
	     lt_check(rbuf, len, seed) < 0 && rbuf[len] == 0xee;
	ok = lt_wait(from, &sreq, &sst) && sst.code == OMX_SUCCESS &&
	     sst.xfer_length == len && ok;
	return ok;
}

static void test_sizes(omx_endpoint_t a, omx_endpoint_addr_t a2b,
		       omx_endpoint_t b, omx_endpoint_addr_t b2a)
{
	unsigned i;

	for (i = 0; i < NSIZES; i++) {
		uint32_t len = sizes[i], buffered = 2;
		int ok;

		ok = transfer(a, a2b, b, len, 1, 100 + i, &buffered);
		tap_ok(ok, "%u bytes A -> B, receive posted first", len);
		tap_is(buffered, len <= 32768,
		       "%u bytes: buffered (eager) iff <= 32768", len);
		tap_ok(transfer(b, b2a, a, len, 0, 200 + i, &buffered),
		       "%u bytes B -> A, probed unexpected, then received", len);
	}
}

static void test_vectors(omx_endpoint_t a, omx_endpoint_addr_t a2b,
			 omx_endpoint_t b)
{
	static const uint32_t lens[] = { 100, 20000, MIB };
	unsigned i;

	for (i = 0; i < 3; i++) {
		uint32_t len = lens[i];
		omx_seg_t ss[3] = {
			{ sbuf, len / 3 }, { sbuf + len / 3, 0 },
			{ sbuf + len / 3, len - len / 3 },
		};
		omx_seg_t rs[2] = {
			{ rbuf, len / 2 + 1 }, { rbuf + len / 2 + 1, len / 2 - 1 },
		};
		omx_request_t sreq, rreq;
		omx_status_t st;
		int ok;

		lt_fill(sbuf, len, 7 + i);
		memset(rbuf, 0, len);
		omx_irecvv(b, rs, 2, 5, ~0ULL, NULL, &rreq);
		omx_isendv(a, ss, 3, a2b, 5, NULL, &sreq);
		ok = lt_wait(b, &rreq, &st) && st.xfer_length == len &&
		     lt_check(rbuf, len, 7 + i) < 0;
		ok = lt_wait(a, &sreq, &st) && st.code == OMX_SUCCESS && ok;
		tap_ok(ok, "%u bytes from 3 segments (one empty) into 2", len);
	}
	tap_is(omx_isendv(a, NULL, 257, a2b, 0, NULL, NULL),
	       OMX_SEGMENTS_BAD_COUNT, "257 segments are refused");
}

/* Same host, default thresholds: above 4096 is a rendezvous. */
static void test_shared_threshold(void)
{
	omx_endpoint_t a, b;
	omx_endpoint_addr_t a2b;
	omx_request_t sreq;
	omx_status_t st;
	uint32_t buffered;

	unsetenv("OMX_SHARED_RNDV_THRESHOLD");
	lt_init(3);
	a = lt_open(0, 1, 0);
	b = lt_open(1, 1, 0);
	a2b = lt_connect(a, 1, 1, 0);
	lt_connect(b, 0, 1, 0);

	omx_isend(a, sbuf, 4096, a2b, 1, NULL, &sreq);
	omx_ibuffered(a, &sreq, &buffered);
	tap_is(buffered, 1, "4096 bytes to a same-host peer are eager");
	omx_forget(a, &sreq);
	omx_isend(a, sbuf, 4097, a2b, 2, NULL, &sreq);
	omx_ibuffered(a, &sreq, &buffered);
	tap_is(buffered, 0, "4097 bytes to a same-host peer are a rendezvous");
	omx_irecv(b, rbuf, 4097, 2, ~0ULL, NULL, NULL);
	omx_irecv(b, rbuf, 4096, 1, ~0ULL, NULL, NULL);
	tap_ok(lt_wait(a, &sreq, &st) && st.code == OMX_SUCCESS,
	       "and it completes once received");
	lt_close(a);
	lt_close(b);
	omx_finalize();
}

int main(void)
{
	omx_endpoint_t a, b;
	omx_endpoint_addr_t a2b, b2a;

	sbuf = malloc(MIB + 64);
	rbuf = malloc(MIB + 64);
	/* both fake boards are local: make them behave like remote peers */
	setenv("OMX_SHARED_RNDV_THRESHOLD", "32768", 1);
	lt_init(2);
	a = lt_open(0, 0, 0);
	b = lt_open(1, 0, 0);
	a2b = lt_connect(a, 1, 0, 0);
	b2a = lt_connect(b, 0, 0, 0);

	test_sizes(a, a2b, b, b2a);
	test_vectors(a, a2b, b);
	lt_close(a);
	lt_close(b);
	omx_finalize();

	test_shared_threshold();
	free(sbuf);
	free(rbuf);
	return tap_done();
}
