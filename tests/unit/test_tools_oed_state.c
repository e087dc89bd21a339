// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_oed_state.c - when omxoed broadcasts (8 frames 1 s apart at
 * start and on news, else every 180 s) and what it makes of what it hears.
 */
#include "omxoed_state.h"
#include "tap.h"

#define MAX_SENDS 32

/*
 * Run the daemon's loop on a simulated clock from @from to @until (ms):
 * at each step, jump to the next due broadcast and record it.  If @news_at
 * is not 0, news arrives at that time (a burst starts).
 */
static unsigned int simulate(struct omxoed_schedule *s, uint64_t from,
			     uint64_t until, uint64_t news_at,
			     uint64_t sent[MAX_SENDS])
{
	uint64_t now = from;
	unsigned int n = 0;

	while (n < MAX_SENDS) {
		uint64_t due = now + omxoed_schedule_wait_ms(s, now);

		if (news_at && news_at <= due) {
			now = news_at;
			news_at = 0;
			omxoed_schedule_burst(s, now);
			continue;
		}
		if (due > until)
			break;
		now = due;
		sent[n++] = now;
		omxoed_schedule_sent(s, now);
	}
	return n;
}

static void test_start_burst(void)
{
	struct omxoed_schedule s;
	uint64_t sent[MAX_SENDS];
	unsigned int n, i, regular = 1;

	omxoed_schedule_burst(&s, 5000);
	tap_is(omxoed_schedule_wait_ms(&s, 5000), 0, "first broadcast is due at start");
	n = simulate(&s, 5000, 5000 + 400000, 0, sent);

	tap_is(n, 10, "8 burst broadcasts then 2 in the next 400 s");
	for (i = 0; i < 8 && i < n; i++)
		if (sent[i] != 5000 + 1000 * (uint64_t)i)
			regular = 0;
	tap_ok(regular, "burst broadcasts are 1 s apart from the start");
	if (n >= 10) {
		tap_is(sent[8] - sent[7], 180000, "then 180 s after the last of the burst");
		tap_is(sent[9] - sent[8], 180000, "and every 180 s after that");
	}
}

static void test_news_restarts_burst(void)
{
	struct omxoed_schedule s;
	uint64_t sent[MAX_SENDS];
	unsigned int n, i, regular = 1;

	/* 3 sends at 0, 1000, 2000; news at 2500 */
	omxoed_schedule_burst(&s, 0);
	n = simulate(&s, 0, 20000, 2500, sent);
	tap_is(n, 3 + 8, "news mid-burst: a whole new burst of 8");
	for (i = 3; i < n; i++)
		if (sent[i] != 2500 + 1000 * (uint64_t)(i - 3))
			regular = 0;
	tap_ok(n > 3 && sent[3] == 2500 && regular,
	       "the new burst starts at once and is 1 s apart");

	/* Quiet period: news at 100 s waits no longer than the next step */
	omxoed_schedule_burst(&s, 0);
	n = simulate(&s, 0, 300000, 100000, sent);
	tap_ok(n > 8 && sent[8] == 100000, "news in the quiet period: broadcast at once");
	tap_is(omxoed_schedule_wait_ms(&s, sent[n - 1]), 180000,
	       "back to 180 s after the second burst");
}

static void test_wait(void)
{
	struct omxoed_schedule s;

	omxoed_schedule_burst(&s, 1000);
	omxoed_schedule_sent(&s, 1000);
	tap_is(omxoed_schedule_wait_ms(&s, 1400), 600, "wait counts down to the next broadcast");
	tap_is(omxoed_schedule_wait_ms(&s, 9999), 0, "an overdue broadcast waits 0");
}

static void test_peers(void)
{
	struct omxoed_peers p;
	enum omxoed_news news;
	unsigned int i, all_new = 1, all_known = 1;

	omxoed_peers_init(&p);
	tap_ok(!omxoed_peers_learn(&p, 0x001b213a0001ULL, 7, &news) && news == OMXOED_NEW,
	       "first announcement of a board is news");
	tap_ok(!omxoed_peers_learn(&p, 0x001b213a0001ULL, 7, &news) && news == OMXOED_KNOWN,
	       "the same announcement again is not");
	tap_ok(!omxoed_peers_learn(&p, 0x001b213a0001ULL, 8, &news) && news == OMXOED_RESTARTED,
	       "a new serial from a known board means its daemon restarted");
	tap_ok(!omxoed_peers_learn(&p, 0x001b213a0001ULL, 8, &news) && news == OMXOED_KNOWN,
	       "the new serial is remembered");
	tap_ok(!omxoed_peers_learn(&p, 0x001b213a0002ULL, 8, &news) && news == OMXOED_NEW,
	       "another board with the same serial is news");

	for (i = 0; i < 3000; i++)
		if (omxoed_peers_learn(&p, 0x020000000000ULL + i, i, &news) ||
		    news != OMXOED_NEW)
			all_new = 0;
	for (i = 0; i < 3000; i++)
		if (omxoed_peers_learn(&p, 0x020000000000ULL + i, i, &news) ||
		    news != OMXOED_KNOWN)
			all_known = 0;
	tap_ok(all_new && all_known, "3000 boards are each news once");
	tap_is(p.count, 3002, "every board recorded once");
	omxoed_peers_free(&p);
}

int main(void)
{
	test_start_burst();
	test_news_restarts_burst();
	test_wait();
	test_peers();
	return tap_done();
}
