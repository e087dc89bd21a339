// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus_kunit.c - the backend's state machine: what it does for every
 * frontend state, from every backend state it can be in.
 */
#include "common.h"
#include "xenbus.h"
#include <kunit/test.h>

struct x2m_state_case {
	enum xenbus_state be, fe;
	bool online;
	enum x2mback_action want;
	const char *name;
};

static const struct x2m_state_case x2m_state_cases[] = {
	{ XenbusStateInitWait, XenbusStateInitialising, true, X2MBACK_NOTHING,
	  "frontend_initialising_while_offering_waits" },
	{ XenbusStateInitWait, XenbusStateInitialised, true, X2MBACK_CONNECT,
	  "frontend_initialised_connects" },
	{ XenbusStateInitWait, XenbusStateConnected, true, X2MBACK_CONNECT,
	  "frontend_connected_before_us_connects" },
	{ XenbusStateConnected, XenbusStateConnected, true, X2MBACK_NOTHING,
	  "connected_pair_does_nothing" },
	{ XenbusStateConnected, XenbusStateInitialised, true, X2MBACK_NOTHING,
	  "already_connected_does_not_map_twice" },
	{ XenbusStateClosing, XenbusStateConnected, true, X2MBACK_NOTHING,
	  "after_fatal_error_never_reconnects" },
	{ XenbusStateConnected, XenbusStateClosing, true, X2MBACK_CLOSE,
	  "frontend_closing_disconnects" },
	{ XenbusStateClosing, XenbusStateClosed, true, X2MBACK_CLOSED,
	  "frontend_closed_online_keeps_device" },
	{ XenbusStateClosing, XenbusStateClosed, false, X2MBACK_UNREGISTER,
	  "frontend_closed_offline_unregisters" },
	{ XenbusStateConnected, XenbusStateUnknown, true, X2MBACK_UNREGISTER,
	  "frontend_vanished_unregisters" },
	{ XenbusStateClosed, XenbusStateInitialising, true, X2MBACK_REARM,
	  "frontend_restarting_after_close_rearms" },
	{ XenbusStateClosed, XenbusStateInitialised, true, X2MBACK_CONNECT,
	  "frontend_reconnecting_after_close_connects" },
	{ XenbusStateInitWait, XenbusStateReconfiguring, true, X2MBACK_NOTHING,
	  "meaningless_frontend_state_ignored" },
	{ XenbusStateInitWait, (enum xenbus_state)42, true, X2MBACK_NOTHING,
	  "out_of_range_frontend_state_ignored" },
};

static void x2m_state_case_desc(const struct x2m_state_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}
KUNIT_ARRAY_PARAM(x2m_state, x2m_state_cases, x2m_state_case_desc);

static void x2mback_next_action_matches_table(struct kunit *test)
{
	const struct x2m_state_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, x2mback_next_action(c->be, c->fe, c->online),
			c->want);
}

/*
 * A guest cycling its frontend state gets X2MBACK_CONNECT_BURST connects
 * at once, then one per X2MBACK_CONNECT_PERIOD, each told how long to
 * wait; a quiet device gets its burst back, and no more.
 */
static void x2mback_connects_are_paced(struct kunit *test)
{
	struct x2mback_connect_pace pc;
	unsigned long t0 = 1000, wait = 0;
	unsigned int i;

	x2mback_connect_pace_init(&pc, t0);
	for (i = 0; i < X2MBACK_CONNECT_BURST; i++)
		KUNIT_EXPECT_TRUE(test, x2mback_connect_pace_take(&pc, t0, &wait));
	KUNIT_EXPECT_FALSE(test, x2mback_connect_pace_take(&pc, t0, &wait));
	KUNIT_EXPECT_EQ(test, wait, (unsigned long)X2MBACK_CONNECT_PERIOD);
	KUNIT_EXPECT_FALSE(test, x2mback_connect_pace_take(&pc, t0 + 1, &wait));
	KUNIT_EXPECT_EQ(test, wait, (unsigned long)X2MBACK_CONNECT_PERIOD - 1);
	/* One period later: exactly one more */
	t0 += X2MBACK_CONNECT_PERIOD;
	KUNIT_EXPECT_TRUE(test, x2mback_connect_pace_take(&pc, t0, &wait));
	KUNIT_EXPECT_FALSE(test, x2mback_connect_pace_take(&pc, t0, &wait));
	/* A long quiet time refills the burst and no more */
	t0 += 100 * X2MBACK_CONNECT_PERIOD;
	for (i = 0; i < X2MBACK_CONNECT_BURST; i++)
		KUNIT_EXPECT_TRUE(test, x2mback_connect_pace_take(&pc, t0, &wait));
	KUNIT_EXPECT_FALSE(test, x2mback_connect_pace_take(&pc, t0, &wait));
	/* jiffies wrap around */
	x2mback_connect_pace_init(&pc, ULONG_MAX - 5);
	for (i = 0; i < X2MBACK_CONNECT_BURST; i++)
		x2mback_connect_pace_take(&pc, ULONG_MAX - 5, &wait);
	KUNIT_EXPECT_TRUE(test, x2mback_connect_pace_take(&pc,
			ULONG_MAX - 5 + X2MBACK_CONNECT_PERIOD, &wait));
}

static struct kunit_case x2m_xenbus_cases[] = {
	KUNIT_CASE_PARAM(x2mback_next_action_matches_table, x2m_state_gen_params),
	KUNIT_CASE(x2mback_connects_are_paced),
	{}
};

static struct kunit_suite x2m_xenbus_suite = {
	.name = "xen2mx_xenbus",
	.test_cases = x2m_xenbus_cases,
};
kunit_test_suites(&x2m_xenbus_suite);
