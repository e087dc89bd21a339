// SPDX-License-Identifier: GPL-2.0-only
/*
 * ring_kunit.c - the backend's connect path and request ring against a
 * simulated guest.
 *
 * The fake Xen ops hand out plain kernel memory as "mapped" ring pages;
 * the test plays the frontend on that memory with the front-ring macros,
 * including the hostile things a guest can do to the shared page.
 */
#include "common.h"
#include <kunit/test.h>
#include <linux/slab.h>

#define X2M_FAKE_BAD_REF	0xbad	/* the fake hypervisor refuses this ref */
#define X2M_FAKE_BAD_PORT	666	/* and this event channel */

struct x2m_fake {
	struct kunit *test;
	struct x2mback_device *be;
	struct x2mback_frontend_params params;
	int maps, unmaps, binds, unbinds, notifies, eois, spurious_eois, fatals;
	bool state_at_bind, kicks_at_bind;	/* what bind_evtchn saw */
	char fatal_msg[128];
	void *pages[2];			/* request ring, event ring */
	struct xen2mx_req_front_ring req;
	struct xen2mx_evt_front_ring evt;
};

static struct x2m_fake *x2m_fake;	/* suites run one test at a time */

static int x2m_fake_map(struct x2mback_device *be, grant_ref_t *refs,
			unsigned int nr, void **vaddr)
{
	struct x2m_fake *f = x2m_fake;
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (refs[i] == X2M_FAKE_BAD_REF)
			return -EINVAL;
	/* Refs 1.. are the request ring, 1001.. the event ring. */
	*vaddr = f->pages[refs[0] > 1000];
	f->maps++;
	return 0;
}

static void x2m_fake_unmap(struct x2mback_device *be, void *vaddr)
{
	x2m_fake->unmaps++;
}

static int x2m_fake_bind(struct x2mback_device *be, evtchn_port_t port)
{
	if (port == X2M_FAKE_BAD_PORT)
		return -EINVAL;
	x2m_fake->binds++;
	x2m_fake->state_at_bind = be->geps != NULL;
	x2m_fake->kicks_at_bind = READ_ONCE(be->kick_ok);
	return 0;
}

static void x2m_fake_unbind(struct x2mback_device *be)
{
	x2m_fake->unbinds++;
}

static void x2m_fake_notify(struct x2mback_device *be)
{
	x2m_fake->notifies++;
}

static void x2m_fake_eoi(struct x2mback_device *be, bool spurious)
{
	x2m_fake->eois++;
	if (spurious)
		x2m_fake->spurious_eois++;
}

static void x2m_fake_fatal(struct x2mback_device *be, int err, const char *msg)
{
	x2m_fake->fatals++;
	strscpy(x2m_fake->fatal_msg, msg, sizeof(x2m_fake->fatal_msg));
}

static const struct x2mback_xen_ops x2m_fake_ops = {
	.map_ring = x2m_fake_map,
	.unmap_ring = x2m_fake_unmap,
	.bind_evtchn = x2m_fake_bind,
	.unbind_evtchn = x2m_fake_unbind,
	.notify = x2m_fake_notify,
	.eoi = x2m_fake_eoi,
	.fatal = x2m_fake_fatal,
};

/* What a well-behaved frontend would publish for a ring of 2^order pages. */
static void x2m_fake_params(struct x2m_fake *f, unsigned int order)
{
	unsigned int i;

	memset(&f->params, 0, sizeof(f->params));
	f->params.version = XEN2MX_PROTO_VERSION;
	f->params.ring_page_order = order;
	f->params.event_channel = 9;
	f->params.nr_refs = 1u << order;
	for (i = 0; i < f->params.nr_refs; i++) {
		f->params.ring_refs[i] = 1 + i;
		f->params.evt_ring_refs[i] = 1001 + i;
	}
}

static int x2m_ring_test_init(struct kunit *test)
{
	struct x2m_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	size_t size = XEN_PAGE_SIZE << XEN2MX_MAX_RING_PAGE_ORDER;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	f->pages[0] = kunit_kzalloc(test, size, GFP_KERNEL);
	f->pages[1] = kunit_kzalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->pages[0]);
	KUNIT_ASSERT_NOT_NULL(test, f->pages[1]);
	f->be = x2mback_alloc(NULL, 5, 0);
	KUNIT_ASSERT_NOT_NULL(test, f->be);
	f->be->ops = &x2m_fake_ops;
	x2mback_max_ring_page_order = XEN2MX_MAX_RING_PAGE_ORDER;
	x2m_fake = f;
	test->priv = f;
	return 0;
}

static void x2m_ring_test_exit(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2mback_free(f->be);
	x2m_fake = NULL;
}

/* Connect at @order with the frontend's view of both rings initialised. */
static void x2m_connect(struct kunit *test, unsigned int order)
{
	struct x2m_fake *f = test->priv;
	size_t size = XEN_PAGE_SIZE << order;

	XEN_FRONT_RING_INIT(&f->req, (struct xen2mx_req_sring *)f->pages[0], size);
	XEN_FRONT_RING_INIT(&f->evt, (struct xen2mx_evt_sring *)f->pages[1], size);
	x2m_fake_params(f, order);
	KUNIT_ASSERT_EQ(test, x2mback_connect(f->be, &f->params), 0);
}

static void x2m_push_echo(struct x2m_fake *f, u64 id, unsigned int len,
			  unsigned int flags)
{
	struct xen2mx_request *req = RING_GET_REQUEST(&f->req, f->req.req_prod_pvt);
	unsigned int i;

	memset(req, 0, sizeof(*req));
	req->id = id;
	req->op = XEN2MX_OP_ECHO;
	req->flags = flags;
	req->len = len;
	for (i = 0; i < len && i < XEN2MX_INLINE_MAX; i++)
		req->payload[i] = (u8)(id + i);
	f->req.req_prod_pvt++;
	RING_PUSH_REQUESTS(&f->req);
}

static int x2m_process(struct x2m_fake *f, unsigned int budget, bool *more)
{
	return x2mback_process_requests(f->be, budget, more);
}

static void x2mback_connect_maps_both_rings_and_binds(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_connect(test, 2);
	KUNIT_EXPECT_EQ(test, f->maps, 2);
	KUNIT_EXPECT_EQ(test, f->binds, 1);
	KUNIT_EXPECT_EQ(test, f->be->ring_pages_mapped, 8u);
	KUNIT_EXPECT_EQ(test, f->be->grants_mapped, 8u);
	KUNIT_EXPECT_EQ(test, f->be->ring_slots, 64u);
	KUNIT_EXPECT_EQ(test, RING_SIZE(&f->be->req_ring), 64u);

	x2mback_disconnect(f->be);
	KUNIT_EXPECT_EQ(test, f->unmaps, 2);
	KUNIT_EXPECT_EQ(test, f->unbinds, 1);
	KUNIT_EXPECT_EQ(test, f->be->ring_pages_mapped, 0u);
	KUNIT_EXPECT_EQ(test, f->be->grants_mapped, 0u);
}

static void x2mback_connect_rejects_order_above_max(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2mback_max_ring_page_order = 2;
	x2m_fake_params(f, 3);
	KUNIT_EXPECT_EQ(test, x2mback_connect(f->be, &f->params), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->maps, 0);
	KUNIT_EXPECT_FALSE(test, f->be->connected);
}

static void x2mback_connect_rejects_order_beyond_protocol(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_fake_params(f, 0);
	f->params.ring_page_order = 7;	/* what a hostile xenstore node says */
	f->params.nr_refs = 0;
	KUNIT_EXPECT_EQ(test, x2mback_connect(f->be, &f->params), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->maps, 0);
}

static void x2mback_connect_rejects_grant_ref_zero(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_fake_params(f, 1);
	f->params.evt_ring_refs[1] = 0;
	KUNIT_EXPECT_EQ(test, x2mback_connect(f->be, &f->params), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->maps, 0);
}

static void x2mback_connect_unwinds_when_a_grant_is_refused(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_fake_params(f, 2);
	f->params.evt_ring_refs[3] = X2M_FAKE_BAD_REF;	/* foreign or bogus */
	KUNIT_EXPECT_EQ(test, x2mback_connect(f->be, &f->params), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->maps, 1);
	KUNIT_EXPECT_EQ(test, f->unmaps, 1);
	KUNIT_EXPECT_EQ(test, f->be->grants_mapped, 0u);
	KUNIT_EXPECT_FALSE(test, f->be->connected);
}

static void x2mback_connect_unwinds_when_evtchn_bind_fails(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_fake_params(f, 0);
	f->params.event_channel = X2M_FAKE_BAD_PORT;
	KUNIT_EXPECT_EQ(test, x2mback_connect(f->be, &f->params), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->maps, 2);
	KUNIT_EXPECT_EQ(test, f->unmaps, 2);
	KUNIT_EXPECT_EQ(test, f->be->ring_pages_mapped, 0u);
}

static void x2mback_echo_answers_byte_for_byte(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	struct xen2mx_response *rsp;
	bool more;
	int i, notify_before;

	x2m_connect(test, 0);
	for (i = 0; i < 10; i++)
		x2m_push_echo(f, 100 + i, i * 17, 0);
	notify_before = f->notifies;
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 10);
	KUNIT_EXPECT_FALSE(test, more);
	KUNIT_EXPECT_EQ(test, f->notifies, notify_before + 1);

	KUNIT_ASSERT_EQ(test, f->req.sring->rsp_prod, 10u);
	for (i = 0; i < 10; i++) {
		int j;

		rsp = RING_GET_RESPONSE(&f->req, i);
		KUNIT_EXPECT_EQ(test, rsp->id, (u64)(100 + i));
		KUNIT_EXPECT_EQ(test, rsp->status, XEN2MX_ST_OK);
		KUNIT_EXPECT_EQ(test, rsp->len, i * 17);
		for (j = 0; j < rsp->len; j++)
			KUNIT_EXPECT_EQ(test, rsp->payload[j], (u8)(100 + i + j));
	}
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->be->stats.requests), 10);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->be->stats.errors), 0);
}

static void x2mback_rejects_req_prod_beyond_ring_size(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	bool more;

	x2m_connect(test, 0);
	f->req.sring->req_prod = RING_SIZE(&f->req) + 1;	/* hostile */
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), -EPROTO);
	KUNIT_EXPECT_EQ(test, f->fatals, 1);
	KUNIT_EXPECT_TRUE(test, f->be->disabled);
	KUNIT_EXPECT_EQ(test, f->req.sring->rsp_prod, 0u);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->be->stats.requests), 0);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, strstr(f->fatal_msg, "out of range"));

	/* Further kicks do nothing and raise no second fatal. */
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), -EPROTO);
	KUNIT_EXPECT_EQ(test, f->fatals, 1);
}

static void x2mback_rejects_req_prod_behind_consumer(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	bool more;

	x2m_connect(test, 0);
	x2m_push_echo(f, 1, 4, 0);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 1);
	f->req.sring->req_prod = 0;	/* moved backwards: wraps to "huge" */
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), -EPROTO);
	KUNIT_EXPECT_EQ(test, f->fatals, 1);
}

static void x2mback_handles_index_wraparound(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	const RING_IDX start = 0xfffffff0u;
	bool more;
	int i, handled = 0;

	x2m_connect(test, 0);
	/* A long-lived ring: every index just below the 32-bit wrap. */
	f->req.req_prod_pvt = f->req.rsp_cons = start;
	f->req.sring->req_prod = f->req.sring->rsp_prod = start;
	f->req.sring->rsp_event = start + 1;
	f->be->req_ring.req_cons = f->be->req_ring.rsp_prod_pvt = start;

	for (i = 0; i < 48; i++) {
		if (RING_FULL(&f->req)) {
			handled += x2m_process(f, X2MBACK_BATCH, &more);
			f->req.rsp_cons = f->req.sring->rsp_prod;
		}
		x2m_push_echo(f, i, 8, 0);
	}
	handled += x2m_process(f, X2MBACK_BATCH, &more);
	KUNIT_EXPECT_EQ(test, handled, 48);
	KUNIT_EXPECT_EQ(test, f->req.sring->rsp_prod, start + 48);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, start + 47)->id, 47ull);
	KUNIT_EXPECT_EQ(test, f->fatals, 0);
}

static void x2mback_bad_requests_get_errors_and_ring_goes_on(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	struct xen2mx_request *req;
	bool more;

	x2m_connect(test, 0);
	x2m_push_echo(f, 1, XEN2MX_INLINE_MAX + 1, 0);	/* too long */
	x2m_push_echo(f, 2, 4, 0x40);			/* unknown flag */
	req = RING_GET_REQUEST(&f->req, f->req.req_prod_pvt);
	memset(req, 0xff, sizeof(*req));		/* garbage: op 255 */
	req->id = 3;
	req->reserved = 0;
	f->req.req_prod_pvt++;
	RING_PUSH_REQUESTS(&f->req);
	x2m_push_echo(f, 4, 16, 0);			/* good one */

	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 4);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 0)->status, XEN2MX_ST_EINVAL);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 0)->len, 0);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 1)->status, XEN2MX_ST_EINVAL);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 2)->status, XEN2MX_ST_ENOSYS);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 3)->status, XEN2MX_ST_OK);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 3)->len, 16);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->be->stats.errors), 3);
	KUNIT_EXPECT_EQ(test, f->fatals, 0);
}

static void x2mback_budget_limits_one_pass(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	bool more;
	int i;

	x2m_connect(test, 4);
	for (i = 0; i < 100; i++)
		x2m_push_echo(f, i, 1, 0);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), X2MBACK_BATCH);
	KUNIT_EXPECT_TRUE(test, more);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 100 - X2MBACK_BATCH);
	KUNIT_EXPECT_FALSE(test, more);
}

static void x2mback_echo_via_event_uses_a_credit(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	struct xen2mx_event *evt;
	bool more;

	x2m_connect(test, 0);
	/* No credit posted yet: the request fails cleanly. */
	x2m_push_echo(f, 7, 5, XEN2MX_ECHO_VIA_EVENT);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 1);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 0)->status, XEN2MX_ST_ENOSPC);

	RING_GET_REQUEST(&f->evt, f->evt.req_prod_pvt)->id = 77;
	f->evt.req_prod_pvt++;
	RING_PUSH_REQUESTS(&f->evt);
	x2m_push_echo(f, 8, 5, XEN2MX_ECHO_VIA_EVENT);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 1);
	KUNIT_EXPECT_EQ(test, RING_GET_RESPONSE(&f->req, 1)->status, XEN2MX_ST_OK);
	KUNIT_ASSERT_EQ(test, f->evt.sring->rsp_prod, 1u);
	evt = RING_GET_RESPONSE(&f->evt, 0);
	KUNIT_EXPECT_EQ(test, evt->id, 77ull);
	KUNIT_EXPECT_EQ(test, evt->type, XEN2MX_EVT_ECHO);
	KUNIT_EXPECT_EQ(test, evt->req_id, 8u);
	KUNIT_EXPECT_EQ(test, evt->len, 5);
	KUNIT_EXPECT_EQ(test, evt->payload[4], (u8)12);
}

static void x2mback_rejects_credit_prod_beyond_ring_size(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	bool more;

	x2m_connect(test, 0);
	f->evt.sring->req_prod = 1000;	/* hostile credit producer */
	x2m_push_echo(f, 1, 5, XEN2MX_ECHO_VIA_EVENT);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), -EPROTO);
	KUNIT_EXPECT_EQ(test, f->fatals, 1);
	KUNIT_EXPECT_EQ(test, f->evt.sring->rsp_prod, 0u);
}

static void x2mback_work_eoi_is_spurious_without_requests(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_connect(test, 0);
	x2mback_work(&f->be->work.work);		/* an event with nothing behind it */
	KUNIT_EXPECT_EQ(test, f->eois, 1);
	KUNIT_EXPECT_EQ(test, f->spurious_eois, 1);

	x2m_push_echo(f, 1, 1, 0);
	x2mback_work(&f->be->work.work);
	KUNIT_EXPECT_EQ(test, f->eois, 2);
	KUNIT_EXPECT_EQ(test, f->spurious_eois, 1);
}

static void x2mback_stats_report_counters(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	struct xen2mx_request *req;
	struct xen2mx_stats st;
	bool more;

	x2m_connect(test, 1);
	x2m_push_echo(f, 1, 1, 0);
	req = RING_GET_REQUEST(&f->req, f->req.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	req->op = XEN2MX_OP_STATS;
	f->req.req_prod_pvt++;
	RING_PUSH_REQUESTS(&f->req);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), 2);
	KUNIT_ASSERT_EQ(test, RING_GET_RESPONSE(&f->req, 1)->len, (u16)sizeof(st));
	memcpy(&st, RING_GET_RESPONSE(&f->req, 1)->payload, sizeof(st));
	KUNIT_EXPECT_EQ(test, st.ring_pages_mapped, 4u);
	KUNIT_EXPECT_EQ(test, st.grants_mapped, 4u);
	KUNIT_EXPECT_EQ(test, st.requests, 2ull);
}

/* A request of the OMX op naming command @cmd, with nothing else valid. */
static void x2m_push_omx(struct x2m_fake *f, u32 cmd)
{
	struct xen2mx_omx_hdr hdr = { .cmd = cmd, .endpoint = 0 };
	struct xen2mx_request *req;

	req = RING_GET_REQUEST(&f->req, f->req.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	req->id = f->req.req_prod_pvt;
	req->op = XEN2MX_OP_OMX;
	req->len = sizeof(hdr);
	memcpy(req->payload, &hdr, sizeof(hdr));
	f->req.req_prod_pvt++;
	RING_PUSH_REQUESTS(&f->req);
}

/*
 * Closing endpoints (each one an RCU grace period and 785 unmaps in real
 * life) as fast as the ring takes them: the device's credit pays for a
 * burst, then the rest waits on the ring, the event channel still masked,
 * and the worker comes back later instead of running on.
 */
static void x2mback_credit_paces_costly_requests(struct kunit *test)
{
	struct x2m_fake *f = test->priv;
	unsigned int paid = X2MBACK_CREDIT_BURST / X2MBACK_COST_ENDPOINT;
	unsigned int i, eois;
	bool more;

	x2m_connect(test, 3);
	for (i = 0; i < paid + 5; i++)
		x2m_push_omx(f, XEN2MX_OMXC_CLOSE_ENDPOINT);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more), (int)paid);
	KUNIT_EXPECT_TRUE(test, more);
	KUNIT_EXPECT_EQ(test, f->be->req_ring.req_cons, paid);
	KUNIT_EXPECT_GT(test, f->be->credit_wait, 0UL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->be->stats.throttled), 1LL);

	/* The worker neither sends the EOI nor runs again at once. */
	eois = f->eois;
	f->be->credit = 0;
	f->be->credit_stamp = jiffies;
	x2mback_work(&f->be->work.work);
	KUNIT_EXPECT_EQ(test, f->eois, eois);
	KUNIT_EXPECT_TRUE(test, delayed_work_pending(&f->be->work));
	KUNIT_EXPECT_GT(test, f->be->work.timer.expires, jiffies);
	cancel_delayed_work_sync(&f->be->work);

	/* Cheap requests still go by the thousand. */
	x2mback_credit_init(f->be);
	f->req.req_prod_pvt = f->be->req_ring.req_cons;	/* drop the rest */
	for (i = 0; i < X2MBACK_BATCH; i++)
		x2m_push_echo(f, i, 1, 0);
	KUNIT_EXPECT_EQ(test, x2m_process(f, X2MBACK_BATCH, &more),
			X2MBACK_BATCH);
}

/*
 * The first event may run the worker before bind_evtchn even returns: the
 * guest's Open-MX state must exist by then, and kicks may only start once
 * the channel is there to carry them.
 */
static void x2mback_connect_publishes_the_guest_state_before_binding(struct kunit *test)
{
	struct x2m_fake *f = test->priv;

	x2m_connect(test, 0);
	KUNIT_EXPECT_TRUE(test, f->state_at_bind);
	KUNIT_EXPECT_FALSE(test, f->kicks_at_bind);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(f->be->kick_ok));
}

static struct kunit_case x2m_ring_cases[] = {
	KUNIT_CASE(x2mback_connect_maps_both_rings_and_binds),
	KUNIT_CASE(x2mback_connect_rejects_order_above_max),
	KUNIT_CASE(x2mback_connect_rejects_order_beyond_protocol),
	KUNIT_CASE(x2mback_connect_rejects_grant_ref_zero),
	KUNIT_CASE(x2mback_connect_unwinds_when_a_grant_is_refused),
	KUNIT_CASE(x2mback_connect_unwinds_when_evtchn_bind_fails),
	KUNIT_CASE(x2mback_echo_answers_byte_for_byte),
	KUNIT_CASE(x2mback_rejects_req_prod_beyond_ring_size),
	KUNIT_CASE(x2mback_rejects_req_prod_behind_consumer),
	KUNIT_CASE(x2mback_handles_index_wraparound),
	KUNIT_CASE(x2mback_bad_requests_get_errors_and_ring_goes_on),
	KUNIT_CASE(x2mback_budget_limits_one_pass),
	KUNIT_CASE(x2mback_echo_via_event_uses_a_credit),
	KUNIT_CASE(x2mback_rejects_credit_prod_beyond_ring_size),
	KUNIT_CASE(x2mback_work_eoi_is_spurious_without_requests),
	KUNIT_CASE(x2mback_stats_report_counters),
	KUNIT_CASE(x2mback_credit_paces_costly_requests),
	KUNIT_CASE(x2mback_connect_publishes_the_guest_state_before_binding),
	{}
};

static struct kunit_suite x2m_ring_suite = {
	.name = "xen2mx_ring",
	.init = x2m_ring_test_init,
	.exit = x2m_ring_test_exit,
	.test_cases = x2m_ring_cases,
};
kunit_test_suites(&x2m_ring_suite);
