// SPDX-License-Identifier: MIT
/*
 * test_ring_check.c - unit tests of shared/xen2mx_ring_check.c: ring sizes,
 * index arithmetic across the 32-bit wrap, hostile producer indexes,
 * negotiation checks, version lists and request validation.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "tap.h"
#include "xen2mx_ring_check.h"

static void test_ring_slots(void)
{
	/* (4096 << order) - 64 header, / 192-octet slots, power of two down */
	tap_is(x2m_ring_slots(0), 16, "order 0 ring holds 16 slots");
	tap_is(x2m_ring_slots(1), 32, "order 1 ring holds 32 slots");
	tap_is(x2m_ring_slots(2), 64, "order 2 ring holds 64 slots");
	tap_is(x2m_ring_slots(3), 128, "order 3 ring holds 128 slots");
	tap_is(x2m_ring_slots(4), 256, "order 4 ring holds 256 slots");
	tap_is(x2m_ring_slots(5), 0, "order 5 is beyond the protocol: 0 slots");
	tap_is(x2m_ring_slots(UINT_MAX), 0, "absurd order: 0 slots, no overflow");
	tap_ok(XEN2MX_SRING_HEADER_SIZE + x2m_ring_slots(4) * XEN2MX_SLOT_SIZE <=
	       XEN2MX_PAGE_SIZE << 4, "order 4 slots fit in 16 pages");
}

static void test_ring_distance(void)
{
	tap_is(x2m_ring_distance(10, 4), 6, "distance without wrap");
	tap_is(x2m_ring_distance(3, UINT32_MAX - 2), 6, "distance across the 32-bit wrap");
	tap_is(x2m_ring_distance(7, 7), 0, "empty ring has distance 0");
}

static void test_prod_overflow(void)
{
	tap_ok(!x2m_ring_prod_overflow(16, 0, 16), "a full ring is not an overflow");
	tap_ok(x2m_ring_prod_overflow(17, 0, 16), "one request beyond the ring size is refused");
	tap_ok(x2m_ring_prod_overflow(0x80000000u, 0, 16), "producer far ahead is refused");
	tap_ok(x2m_ring_prod_overflow(5, 10, 16), "producer behind the consumer (wraps huge) is refused");
	tap_ok(!x2m_ring_prod_overflow(4, UINT32_MAX - 5, 16),
	       "a full ring straddling the index wrap is accepted");
	tap_ok(x2m_ring_prod_overflow(5, UINT32_MAX - 11, 16),
	       "overflow straddling the index wrap is refused");
	tap_ok(!x2m_ring_prod_overflow(0, 0, 0) && x2m_ring_prod_overflow(1, 0, 0),
	       "nothing outstanding: any response is an overflow");
}

static struct x2m_nego good_nego(uint32_t *refs, uint32_t *evt_refs,
				 unsigned int order)
{
	unsigned int i;

	for (i = 0; i < (1u << order); i++) {
		refs[i] = 8 + i;
		evt_refs[i] = 100 + i;
	}
	return (struct x2m_nego) {
		.version = 1, .ring_page_order = order, .max_ring_page_order = 4,
		.event_channel = 7, .nr_refs = 1u << order,
		.ring_refs = refs, .evt_ring_refs = evt_refs,
	};
}

static void test_nego(void)
{
	uint32_t refs[16], evt[16];
	struct x2m_nego n;

	n = good_nego(refs, evt, 0);
	tap_is(x2m_nego_check(&n), X2M_NEGO_OK, "order 0 negotiation accepted");
	n = good_nego(refs, evt, 4);
	tap_is(x2m_nego_check(&n), X2M_NEGO_OK, "order 4 negotiation accepted");

	n = good_nego(refs, evt, 3);
	n.max_ring_page_order = 2;
	tap_is(x2m_nego_check(&n), X2M_NEGO_ORDER_TOO_BIG, "order above the backend's max refused");
	n = good_nego(refs, evt, 0);
	n.ring_page_order = 5;
	n.max_ring_page_order = 9;
	tap_is(x2m_nego_check(&n), X2M_NEGO_ORDER_TOO_BIG, "order above the protocol max refused even if max is bigger");
	n.ring_page_order = UINT_MAX;
	tap_is(x2m_nego_check(&n), X2M_NEGO_ORDER_TOO_BIG, "order UINT_MAX refused");

	n = good_nego(refs, evt, 2);
	n.version = 0;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_VERSION, "missing version (0) refused");
	n.version = 2;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_VERSION, "unknown version 2 refused");

	n = good_nego(refs, evt, 2);
	refs[3] = 0;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_GRANT_REF, "grant ref 0 in the request ring refused");
	n = good_nego(refs, evt, 2);
	evt[0] = 0;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_GRANT_REF, "grant ref 0 in the event ring refused");
	n = good_nego(refs, evt, 2);
	n.nr_refs = 3;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_GRANT_REF, "ref count not matching the order refused");
	n = good_nego(refs, evt, 0);
	n.ring_refs = NULL;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_GRANT_REF, "missing ref array refused");

	n = good_nego(refs, evt, 1);
	n.event_channel = 0;
	tap_is(x2m_nego_check(&n), X2M_NEGO_BAD_EVTCHN, "event channel 0 refused");

	tap_ok(strstr(x2m_nego_strerror(X2M_NEGO_ORDER_TOO_BIG), "max-ring-page-order") != NULL,
	       "order error message names max-ring-page-order");
}

static void test_versions(void)
{
	tap_is(x2m_choose_version("1", 1), 1, "versions \"1\" gives 1");
	tap_is(x2m_choose_version("1,2,3", 2), 2, "highest common version chosen");
	tap_is(x2m_choose_version("3 1", 1), 1, "blank-separated list accepted");
	tap_is(x2m_choose_version("2,3", 1), 0, "no common version gives 0");
	tap_is(x2m_choose_version("", 1), 0, "empty list gives 0");
	tap_is(x2m_choose_version("1;2", 2), 0, "malformed list gives 0");
	tap_is(x2m_choose_version("99999999999999999999", 1), 0, "huge number does not wrap into a valid version");
	tap_is(x2m_choose_version(NULL, 1), 0, "missing list gives 0");
}

static void test_ring_ref_node(void)
{
	char buf[32];

	x2m_ring_ref_node(buf, sizeof(buf), "ring-ref", 0, 0);
	tap_ok(strcmp(buf, "ring-ref") == 0, "order 0 uses the bare node name");
	x2m_ring_ref_node(buf, sizeof(buf), "event-ring-ref", 2, 3);
	tap_ok(strcmp(buf, "event-ring-ref3") == 0, "multi-page rings number their nodes");
}

static struct xen2mx_request echo_req(unsigned int len, unsigned int flags)
{
	struct xen2mx_request r;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	r.id = 0x1234567800000009ull;
	r.op = XEN2MX_OP_ECHO;
	r.flags = flags;
	r.len = len;
	for (i = 0; i < len && i < XEN2MX_INLINE_MAX; i++)
		r.payload[i] = (uint8_t)(i * 7 + 1);
	return r;
}

static void test_request_check(void)
{
	struct xen2mx_request r;

	r = echo_req(0, 0);
	tap_is(x2m_request_check(&r), XEN2MX_ST_OK, "empty echo accepted");
	r = echo_req(XEN2MX_INLINE_MAX, XEN2MX_ECHO_VIA_EVENT);
	tap_is(x2m_request_check(&r), XEN2MX_ST_OK, "full-slot echo via event accepted");
	r = echo_req(XEN2MX_INLINE_MAX + 1, 0);
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "echo one byte too long refused");
	r = echo_req(0xffff, 0);
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "echo len 65535 refused");
	r = echo_req(4, 0x80);
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "unknown echo flag refused");
	r = echo_req(4, 0);
	r.reserved = 1;
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "non-zero reserved field refused");
	r = echo_req(0, 0);
	r.op = 0;
	tap_is(x2m_request_check(&r), XEN2MX_ST_ENOSYS, "op 0 is unknown");
	r.op = 255;
	tap_is(x2m_request_check(&r), XEN2MX_ST_ENOSYS, "op 255 is unknown");
	r = echo_req(0, 0);
	r.op = XEN2MX_OP_STATS;
	tap_is(x2m_request_check(&r), XEN2MX_ST_OK, "stats accepted");
	r.len = 1;
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "stats with a payload refused");
	r = echo_req(XEN2MX_OMX_HDR_SIZE, 0);
	r.op = XEN2MX_OP_OMX;
	tap_is(x2m_request_check(&r), XEN2MX_ST_OK, "omx command header accepted");
	r.len = XEN2MX_OMX_HDR_SIZE - 1;
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "omx request shorter than its header refused");
	r.len = XEN2MX_INLINE_MAX + 1;
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "omx request past the slot refused");
	r.len = XEN2MX_INLINE_MAX;
	r.flags = 1;
	tap_is(x2m_request_check(&r), XEN2MX_ST_EINVAL, "omx request with flags refused");
}

static void test_echo_fill(void)
{
	struct xen2mx_request r = echo_req(XEN2MX_INLINE_MAX, 0);
	struct xen2mx_response rsp;
	struct xen2mx_event evt;

	memset(&rsp, 0, sizeof(rsp));
	x2m_echo_fill(&r, &rsp, NULL);
	tap_ok(rsp.id == r.id && rsp.op == XEN2MX_OP_ECHO && rsp.status == 0 &&
	       rsp.len == XEN2MX_INLINE_MAX &&
	       memcmp(rsp.payload, r.payload, XEN2MX_INLINE_MAX) == 0,
	       "echo response carries id, op and the payload byte for byte");

	r = echo_req(33, XEN2MX_ECHO_VIA_EVENT);
	memset(&rsp, 0, sizeof(rsp));
	memset(&evt, 0, sizeof(evt));
	x2m_echo_fill(&r, &rsp, &evt);
	tap_ok(rsp.len == 0 && evt.type == XEN2MX_EVT_ECHO && evt.len == 33 &&
	       evt.req_id == 9 && memcmp(evt.payload, r.payload, 33) == 0,
	       "echo via event puts the payload and the request index in the event");
}

int main(void)
{
	test_ring_slots();
	test_ring_distance();
	test_prod_overflow();
	test_nego();
	test_versions();
	test_ring_ref_node();
	test_request_check();
	test_echo_fill();
	return tap_done();
}
