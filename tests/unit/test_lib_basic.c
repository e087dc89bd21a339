/* SPDX-License-Identifier: MIT */
/*
 * test_lib_basic.c - libopen-mx over the fake driver: initialisation,
 * information, boards, endpoints, addresses, connecting both ways, and
 * tiny and small messages in both directions.
 */
#include <stdio.h>
#include <string.h>

#include "lib_test_util.h"
#include "tap.h"

static void test_init_and_info(void)
{
	uint32_t v = 0, idx;
	uint64_t ids[4] = { 1, 1, 1, 1 }, nic = 0;
	char name[OMX_HOSTNAMELEN_MAX];
	uint8_t board = 1;

	tap_is(omx_init(), OMX_ALREADY_INITIALIZED,
	       "a second omx_init says already initialized");
	tap_is(omx__init_api(0x201), OMX_ALREADY_INITIALIZED,
	       "init with another API major is refused (already initialized first)");

	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_COUNT, NULL, 0, &v, sizeof(v)),
	       OMX_SUCCESS, "OMX_INFO_BOARD_COUNT succeeds");
	tap_is(v, 2, "two boards attached");
	omx_get_info(NULL, OMX_INFO_ENDPOINT_MAX, NULL, 0, &v, sizeof(v));
	tap_is(v, 8, "8 endpoints per board");
	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_MAX, NULL, 0, &v, 2),
	       OMX_BAD_INFO_LENGTH, "a 2-byte output is too short");
	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_MAX, NULL, 0, NULL, 4),
	       OMX_BAD_INFO_ADDRESS, "a NULL output is refused");
	tap_is(omx_get_info(NULL, (omx_info_key_t)77, NULL, 0, &v, 4),
	       OMX_BAD_INFO_KEY, "an unknown key is refused");

	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_IDS, NULL, 0, ids, sizeof(ids)),
	       OMX_SUCCESS, "OMX_INFO_BOARD_IDS succeeds");
	tap_ok(ids[0] == fake_board_addr(0) && ids[1] == fake_board_addr(1) &&
	       ids[2] == 0, "board ids written with a 0 terminator");
	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_IDS, NULL, 0, ids, 16),
	       OMX_BAD_INFO_LENGTH, "board ids need room for the terminator");

	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_HOSTNAME, &board, 1, name,
			    sizeof(name)), OMX_SUCCESS, "hostname of board 1");
	tap_ok(!strcmp(name, "fakehost:1"), "board 1 is fakehost:1 (got %s)", name);
	tap_is(omx_get_info(NULL, OMX_INFO_BOARD_IFACENAME, &board, 1, name,
			    sizeof(name)), OMX_SUCCESS, "interface of board 1");
	tap_ok(!strcmp(name, "fake1"), "board 1 is interface fake1");
	omx_get_info(NULL, OMX_INFO_COUNTER_MAX, NULL, 0, &v, 4);
	tap_is(v, 85, "85 counters");
	idx = 0;
	tap_is(omx_get_info(NULL, OMX_INFO_COUNTER_LABEL, &idx, 1, name,
			    sizeof(name)), OMX_SUCCESS, "label of counter 0");
	tap_ok(!strcmp(name, "Send Tiny"), "counter 0 is Send Tiny");

	tap_is(omx_board_number_to_nic_id(1, &nic), OMX_SUCCESS,
	       "board 1 has a NIC id");
	tap_is(nic, fake_board_addr(1), "it is board 1's MAC");
	tap_is(omx_board_number_to_nic_id(5, &nic), OMX_BOARD_NOT_FOUND,
	       "board 5 does not exist");
	tap_is(omx_nic_id_to_board_number(fake_board_addr(1), &idx), OMX_SUCCESS,
	       "NIC id to board number");
	tap_is(idx, 1, "back to board 1");
	tap_is(omx_hostname_to_nic_id("fakehost:0", &nic), OMX_SUCCESS,
	       "hostname to NIC id");
	tap_is(nic, fake_board_addr(0), "fakehost:0 is board 0");
	tap_is(omx_hostname_to_nic_id("nobody:0", &nic), OMX_PEER_NOT_FOUND,
	       "unknown hostname");
	memset(name, 'x', sizeof(name));
	tap_is(omx_nic_id_to_hostname(fake_board_addr(1), name), OMX_SUCCESS,
	       "NIC id to hostname");
	tap_ok(!strcmp(name, "fakehost:1") && name[79] == '\0',
	       "hostname NUL-padded to 80 bytes");
}

static void test_open_errors(void)
{
	omx_endpoint_t ep;
	omx_endpoint_param_t param;

	tap_is(omx_open_endpoint(0, 8, 0, NULL, 0, &ep), OMX_BAD_ENDPOINT,
	       "endpoint index beyond the driver maximum");
	tap_is(omx_open_endpoint(4, 0, 0, NULL, 0, &ep), OMX_BOARD_NOT_FOUND,
	       "board that is not attached");
	tap_is(omx_open_endpoint(0, 0, 0, NULL, 1, &ep),
	       OMX_ENDPOINT_PARAMS_BAD_LIST, "parameters at NULL");
	param.key = (omx_endpoint_param_key_t)9;
	tap_is(omx_open_endpoint(0, 0, 0, &param, 1, &ep),
	       OMX_ENDPOINT_PARAM_BAD_KEY, "unknown parameter key");
	param.key = OMX_ENDPOINT_PARAM_CONTEXT_ID;
	param.val.context_id.bits = 17;
	param.val.context_id.shift = 0;
	tap_is(omx_open_endpoint(0, 0, 0, &param, 1, &ep),
	       OMX_ENDPOINT_PARAM_BAD_VALUE, "17 context-id bits");
}

/* Wildcards: the outer loop runs over endpoints, the inner one over boards. */
static void test_wildcards(void)
{
	omx_endpoint_t e00, any1, any2;
	omx_endpoint_addr_t addr;
	uint64_t nic;
	uint32_t eid;

	e00 = lt_open(0, 0, 0);
	tap_is(omx_open_endpoint(OMX_ANY_NIC, OMX_ANY_ENDPOINT, 0, NULL, 0, &any1),
	       OMX_SUCCESS, "open any endpoint on any board");
	omx_get_endpoint_addr(any1, &addr);
	omx_decompose_endpoint_addr(addr, &nic, &eid);
	tap_ok(nic == fake_board_addr(1) && eid == 0,
	       "endpoint 0 of board 1 comes before endpoint 1 of board 0");
	tap_is(omx_open_endpoint(0, OMX_ANY_ENDPOINT, 0, NULL, 0, &any2),
	       OMX_SUCCESS, "open any endpoint on board 0");
	omx_get_endpoint_addr(any2, &addr);
	omx_decompose_endpoint_addr(addr, &nic, &eid);
	tap_ok(nic == fake_board_addr(0) && eid == 1, "it is endpoint 1");
	omx_close_endpoint(any1);
	omx_close_endpoint(any2);
	lt_close(e00);
	tap_is(omx_close_endpoint(any1), OMX_BAD_ENDPOINT,
	       "closing a closed endpoint is refused");
}

static void test_tiny_small(void)
{
	omx_endpoint_t a = lt_open(0, 0, 0x1234);
	omx_endpoint_t b = lt_open(1, 3, 0x5678);
	omx_endpoint_t busy;
	omx_endpoint_addr_t a2b, b2a, self;
	omx_request_t sreq, rreq;
	omx_status_t st;
	uint64_t nic;
	uint32_t eid, session, result;
	static const unsigned sizes[] = { 0, 1, 31, 32, 33, 127, 128 };
	char sbuf[128], rbuf[128];
	unsigned i, len;

	tap_is(omx_open_endpoint(1, 3, 0, NULL, 0, &busy), OMX_BUSY,
	       "an endpoint in use cannot be opened twice");
	tap_is(omx_connect(a, fake_board_addr(1), 3, 0x1111, 5000, &a2b),
	       OMX_REMOTE_ENDPOINT_BAD_CONNECTION_KEY, "connect with a wrong key");
	tap_is(omx_connect(a, fake_board_addr(1), 5, 0x5678, 5000, &a2b),
	       OMX_REMOTE_ENDPOINT_CLOSED, "connect to a closed endpoint");
	tap_is(omx_connect(a, 0x0200000000ffULL, 5, 0x5678, 5000, &a2b),
	       OMX_NIC_ID_NOT_FOUND, "connect to an unknown NIC id");
	tap_is(omx_connect(a, fake_board_addr(1), 9, 0x5678, 5000, &a2b),
	       OMX_REMOTE_ENDPOINT_BAD_ID,
	       "connect to an endpoint index beyond the remote maximum");

	a2b = lt_connect(a, 1, 3, 0x5678);
	b2a = lt_connect(b, 0, 0, 0x1234);
	omx_decompose_endpoint_addr_with_session(a2b, &nic, &eid, &session);
	tap_ok(nic == fake_board_addr(1) && eid == 3,
	       "A's address of B decomposes to board 1 endpoint 3");
	omx_get_endpoint_addr(a, &self);
	omx_decompose_endpoint_addr(self, &nic, &eid);
	tap_ok(nic == fake_board_addr(0) && eid == 0,
	       "A's own address is board 0 endpoint 0");

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int ok;

		len = sizes[i];
		lt_fill(sbuf, len, len);
		memset(rbuf, 0, sizeof(rbuf));
		omx_irecv(b, rbuf, sizeof(rbuf), 0xabc0000 + len, ~0ULL,
			  (void *)0x77, &rreq);
		omx_isend(a, sbuf, len, a2b, 0xabc0000 + len, (void *)0x66, &sreq);
		result = lt_wait(b, &rreq, &st);
		ok = result && st.code == OMX_SUCCESS && st.msg_length == len &&
		     st.xfer_length == len && st.match_info == 0xabc0000 + len &&
		     st.context == (void *)0x77 && lt_check(rbuf, len, len) < 0 &&
		     rreq == NULL;
		omx_decompose_endpoint_addr(st.addr, &nic, &eid);
		ok = ok && nic == fake_board_addr(0) && eid == 0;
		result = lt_wait(a, &sreq, &st);
		ok = ok && result && st.code == OMX_SUCCESS &&
		     st.xfer_length == len && st.context == (void *)0x66;
		tap_ok(ok, "%u bytes A -> B arrive intact with the right status", len);
	}

	/* and back, replying to the sender's address from the status */
	lt_fill(sbuf, 100, 9);
	omx_irecv(a, rbuf, sizeof(rbuf), 0, 0, NULL, &rreq);
	omx_isend(b, sbuf, 100, b2a, 42, NULL, &sreq);
	result = lt_wait(a, &rreq, &st);
	tap_ok(result && st.xfer_length == 100 && lt_check(rbuf, 100, 9) < 0 &&
	       st.match_info == 42, "100 bytes B -> A");
	lt_wait(b, &sreq, &st);

	lt_close(a);
	lt_close(b);
}

int main(void)
{
	lt_init(1);
	test_init_and_info();
	test_open_errors();
	test_wildcards();
	test_tiny_small();
	omx_finalize();
	return tap_done();
}
