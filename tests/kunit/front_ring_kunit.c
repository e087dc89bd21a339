// SPDX-License-Identifier: GPL-2.0-only
/*
 * front_ring_kunit.c - the frontend against a misbehaving backend.
 *
 * The frontend's ring.c is compiled in here (its consumers are static) and
 * driven on plain kernel memory: the test plays the backend with the
 * back-ring macros, sometimes honestly, sometimes not.
 */
#include "../../frontend/ring.c"	/* first: it sets pr_fmt */
#include <kunit/test.h>

struct x2mf_fake {
	struct x2mfront_device fe;
	struct xen2mx_req_back_ring be_req;
	struct xen2mx_evt_back_ring be_evt;
};

static atomic_t x2mf_fatals;

static void x2mf_fake_fatal_work(struct work_struct *work)
{
	atomic_inc(&x2mf_fatals);
}

static int x2mf_test_init(struct kunit *test)
{
	struct x2mf_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct x2mfront_device *fe;
	void *req_page, *evt_page;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	req_page = kunit_kzalloc(test, XEN_PAGE_SIZE, GFP_KERNEL);
	evt_page = kunit_kzalloc(test, XEN_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req_page);
	KUNIT_ASSERT_NOT_NULL(test, evt_page);

	fe = &f->fe;
	spin_lock_init(&fe->ring_lock);
	init_waitqueue_head(&fe->wq);
	INIT_WORK(&fe->fatal_work, x2mf_fake_fatal_work);
	XEN_FRONT_RING_INIT(&fe->req_ring, (struct xen2mx_req_sring *)req_page, XEN_PAGE_SIZE);
	XEN_FRONT_RING_INIT(&fe->evt_ring, (struct xen2mx_evt_sring *)evt_page, XEN_PAGE_SIZE);
	fe->ring_slots = RING_SIZE(&fe->req_ring);
	fe->pending = kunit_kcalloc(test, fe->ring_slots, sizeof(*fe->pending), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, fe->pending);
	fe->pending_free = fe->ring_slots;
	fe->connected = true;
	for (i = 0; i < fe->ring_slots; i++)
		x2mfront_post_credit(fe, i);
	RING_PUSH_REQUESTS(&fe->evt_ring);

	BACK_RING_INIT(&f->be_req, (struct xen2mx_req_sring *)req_page, XEN_PAGE_SIZE);
	BACK_RING_INIT(&f->be_evt, (struct xen2mx_evt_sring *)evt_page, XEN_PAGE_SIZE);
	atomic_set(&x2mf_fatals, 0);
	test->priv = f;
	return 0;
}

/* The frontend's side of a request: an entry in flight and a ring slot. */
static u64 x2mf_send(struct x2mf_fake *f, unsigned int idx, bool want_event)
{
	struct x2mfront_device *fe = &f->fe;
	struct x2mfront_pending *p = &fe->pending[idx];
	struct xen2mx_request *req;

	p->in_use = true;
	p->generation++;
	p->want_event = want_event;
	fe->pending_free--;
	req = RING_GET_REQUEST(&fe->req_ring, fe->req_ring.req_prod_pvt);
	memset(req, 0, sizeof(*req));
	req->id = ((u64)p->generation << 32) | idx;
	req->op = XEN2MX_OP_ECHO;
	fe->req_ring.req_prod_pvt++;
	RING_PUSH_REQUESTS(&fe->req_ring);
	return req->id;
}

/* The backend's answer, honest or not. */
static void x2mf_answer(struct x2mf_fake *f, u64 id, u16 len)
{
	struct xen2mx_response *rsp;

	rsp = RING_GET_RESPONSE(&f->be_req, f->be_req.rsp_prod_pvt);
	memset(rsp, 0, sizeof(*rsp));
	rsp->id = id;
	rsp->op = XEN2MX_OP_ECHO;
	rsp->len = len;
	f->be_req.rsp_prod_pvt++;
	RING_PUSH_RESPONSES(&f->be_req);
}

static void x2mf_event(struct x2mf_fake *f, u8 type, u32 req_id, u16 len)
{
	struct xen2mx_event *evt;

	f->be_evt.req_cons++;	/* the backend takes a credit */
	evt = RING_GET_RESPONSE(&f->be_evt, f->be_evt.rsp_prod_pvt);
	memset(evt, 0, sizeof(*evt));
	evt->type = type;
	evt->req_id = req_id;
	evt->len = len;
	f->be_evt.rsp_prod_pvt++;
	RING_PUSH_RESPONSES(&f->be_evt);
}

static bool x2mf_consume(struct x2mf_fake *f)
{
	bool found;

	spin_lock_irq(&f->fe.ring_lock);
	found = x2mfront_consume_responses(&f->fe);
	if (!f->fe.broken)
		found |= x2mfront_consume_events(&f->fe);
	spin_unlock_irq(&f->fe.ring_lock);
	flush_work(&f->fe.fatal_work);
	return found;
}

static void x2mfront_accepts_answer_to_request_in_flight(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	u64 id = x2mf_send(f, 3, false);

	x2mf_answer(f, id, 10);
	KUNIT_EXPECT_TRUE(test, x2mf_consume(f));
	KUNIT_EXPECT_TRUE(test, f->fe.pending[3].rsp_done);
	KUNIT_EXPECT_EQ(test, f->fe.pending[3].rsp.len, 10);
	KUNIT_EXPECT_FALSE(test, f->fe.broken);
	KUNIT_EXPECT_EQ(test, atomic_read(&x2mf_fatals), 0);
}

static void x2mfront_rejects_rsp_prod_beyond_requests(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;

	x2mf_send(f, 0, false);
	f->be_req.sring->rsp_prod = 2;	/* two answers to one request */
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_EQ(test, atomic_read(&x2mf_fatals), 1);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, strstr(f->fe.fatal_why, "out of range"));
	KUNIT_EXPECT_FALSE(test, f->fe.pending[0].rsp_done);
}

static void x2mfront_rejects_answer_to_unknown_id(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;

	x2mf_send(f, 0, false);
	x2mf_answer(f, 5, 0);		/* entry 5 holds no request */
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_EQ(test, atomic_read(&x2mf_fatals), 1);
}

static void x2mfront_rejects_answer_with_stale_generation(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	u64 id = x2mf_send(f, 2, false);

	x2mf_answer(f, id + (1ull << 32), 0);	/* right slot, wrong generation */
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_FALSE(test, f->fe.pending[2].rsp_done);
}

static void x2mfront_rejects_answer_longer_than_a_slot(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	u64 id = x2mf_send(f, 1, false);

	x2mf_answer(f, id, XEN2MX_INLINE_MAX + 1);
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_FALSE(test, f->fe.pending[1].rsp_done);
}

static void x2mfront_rejects_second_answer_to_one_request(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	u64 id = x2mf_send(f, 0, false);

	x2mf_send(f, 1, false);
	x2mf_answer(f, id, 0);
	x2mf_answer(f, id, 0);		/* again, instead of answering entry 1 */
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_EQ(test, atomic_read(&x2mf_fatals), 1);
}

static void x2mfront_echo_event_completes_its_request(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	u64 id = x2mf_send(f, 4, true);

	x2mf_event(f, XEN2MX_EVT_ECHO, 4, 7);
	x2mf_answer(f, id, 0);
	KUNIT_EXPECT_TRUE(test, x2mf_consume(f));
	KUNIT_EXPECT_TRUE(test, f->fe.pending[4].evt_done);
	KUNIT_EXPECT_TRUE(test, f->fe.pending[4].rsp_done);
	KUNIT_EXPECT_EQ(test, f->fe.pending[4].evt.len, 7);
	KUNIT_EXPECT_FALSE(test, f->fe.broken);
	/* The credit the event used was handed back. */
	KUNIT_EXPECT_EQ(test, f->fe.evt_ring.req_prod_pvt - f->fe.evt_ring.rsp_cons,
			f->fe.ring_slots);
}

static void x2mfront_rejects_echo_event_for_no_request(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;

	x2mf_send(f, 0, false);		/* in flight, but not waiting for an event */
	x2mf_event(f, XEN2MX_EVT_ECHO, 0, 1);
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_NOT_ERR_OR_NULL(test, strstr(f->fe.fatal_why, "no request"));
}

static void x2mfront_ignores_unknown_event_type(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	RING_IDX credits = f->fe.evt_ring.req_prod_pvt;

	x2mf_event(f, 200, 0, 0);
	KUNIT_EXPECT_TRUE(test, x2mf_consume(f));
	KUNIT_EXPECT_FALSE(test, f->fe.broken);
	KUNIT_EXPECT_EQ(test, atomic64_read(&f->fe.stats.events), 1);
	KUNIT_EXPECT_EQ(test, f->fe.evt_ring.req_prod_pvt, credits + 1);
}

static void x2mfront_rejects_event_prod_beyond_credits(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;

	f->be_evt.sring->rsp_prod = f->fe.ring_slots + 1;
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_EQ(test, atomic_read(&x2mf_fatals), 1);
}

static void x2mfront_break_frees_abandoned_entries(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	unsigned int free_before;

	x2mf_send(f, 0, false);
	x2mf_send(f, 1, false);
	f->fe.pending[1].abandoned = true;	/* its waiter was interrupted */
	free_before = f->fe.pending_free;
	f->be_req.sring->rsp_prod = 100;
	x2mf_consume(f);
	KUNIT_EXPECT_TRUE(test, f->fe.broken);
	KUNIT_EXPECT_FALSE(test, f->fe.pending[1].in_use);
	KUNIT_EXPECT_TRUE(test, f->fe.pending[0].in_use);	/* its waiter frees it */
	KUNIT_EXPECT_EQ(test, f->fe.pending_free, free_before + 1);
}

/*
 * The answer lands after the caller's wait was cut short (a signal) but
 * before the caller looks at its entry again: the command was carried
 * out, so the caller gets the answer, and the entry comes free, now.
 */
static void x2mfront_answer_racing_an_interrupted_wait_is_kept(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	struct x2mfront_pending ans;
	unsigned int free_before = f->fe.pending_free;
	u64 id = x2mf_send(f, 2, false);
	int err;

	x2mf_answer(f, id, 7);
	KUNIT_ASSERT_TRUE(test, x2mf_consume(f));	/* the interrupt ran */
	spin_lock_irq(&f->fe.ring_lock);
	err = x2mfront_pending_settle(&f->fe, &f->fe.pending[2], -ERESTARTSYS,
				      &ans);
	spin_unlock_irq(&f->fe.ring_lock);
	KUNIT_EXPECT_EQ(test, err, 0);
	KUNIT_EXPECT_EQ(test, ans.rsp.len, 7);
	KUNIT_EXPECT_FALSE(test, f->fe.pending[2].in_use);
	KUNIT_EXPECT_EQ(test, f->fe.pending_free, free_before);
}

/* Cut short before any answer: the interrupt handler frees it later. */
static void x2mfront_interrupted_wait_leaves_the_entry_to_its_answer(struct kunit *test)
{
	struct x2mf_fake *f = test->priv;
	struct x2mfront_pending ans;
	unsigned int free_before = f->fe.pending_free;
	u64 id = x2mf_send(f, 4, false);
	int err;

	spin_lock_irq(&f->fe.ring_lock);
	err = x2mfront_pending_settle(&f->fe, &f->fe.pending[4], -ERESTARTSYS,
				      &ans);
	spin_unlock_irq(&f->fe.ring_lock);
	KUNIT_EXPECT_EQ(test, err, -ERESTARTSYS);
	KUNIT_EXPECT_TRUE(test, f->fe.pending[4].in_use);
	x2mf_answer(f, id, 0);
	KUNIT_EXPECT_TRUE(test, x2mf_consume(f));
	KUNIT_EXPECT_FALSE(test, f->fe.pending[4].in_use);
	KUNIT_EXPECT_EQ(test, f->fe.pending_free, free_before);
}

static struct kunit_case x2mf_ring_cases[] = {
	KUNIT_CASE(x2mfront_answer_racing_an_interrupted_wait_is_kept),
	KUNIT_CASE(x2mfront_interrupted_wait_leaves_the_entry_to_its_answer),
	KUNIT_CASE(x2mfront_accepts_answer_to_request_in_flight),
	KUNIT_CASE(x2mfront_rejects_rsp_prod_beyond_requests),
	KUNIT_CASE(x2mfront_rejects_answer_to_unknown_id),
	KUNIT_CASE(x2mfront_rejects_answer_with_stale_generation),
	KUNIT_CASE(x2mfront_rejects_answer_longer_than_a_slot),
	KUNIT_CASE(x2mfront_rejects_second_answer_to_one_request),
	KUNIT_CASE(x2mfront_echo_event_completes_its_request),
	KUNIT_CASE(x2mfront_rejects_echo_event_for_no_request),
	KUNIT_CASE(x2mfront_ignores_unknown_event_type),
	KUNIT_CASE(x2mfront_rejects_event_prod_beyond_credits),
	KUNIT_CASE(x2mfront_break_frees_abandoned_entries),
	{}
};

static struct kunit_suite x2mf_ring_suite = {
	.name = "xen2mx_front_ring",
	.init = x2mf_test_init,
	.test_cases = x2mf_ring_cases,
};
kunit_test_suites(&x2mf_ring_suite);
