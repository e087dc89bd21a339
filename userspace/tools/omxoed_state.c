// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omxoed_state.c - broadcast schedule and peer bookkeeping of omxoed.
 */
#include <stdlib.h>

#include "omxoed_state.h"

void omxoed_schedule_burst(struct omxoed_schedule *s, uint64_t now_ms)
{
	/* A burst already running restarts: the newcomer needs all 8. */
	s->burst_left = OMXOED_BURST_COUNT;
	s->next_ms = now_ms;
}

uint64_t omxoed_schedule_wait_ms(const struct omxoed_schedule *s,
				 uint64_t now_ms)
{
	return s->next_ms > now_ms ? s->next_ms - now_ms : 0;
}

void omxoed_schedule_sent(struct omxoed_schedule *s, uint64_t now_ms)
{
	if (s->burst_left)
		s->burst_left--;
	s->next_ms = now_ms + (s->burst_left ? OMXOED_BURST_PERIOD_MS
					     : OMXOED_STEADY_PERIOD_MS);
}

void omxoed_peers_init(struct omxoed_peers *p)
{
	p->v = NULL;
	p->count = 0;
	p->alloc = 0;
}

void omxoed_peers_free(struct omxoed_peers *p)
{
	free(p->v);
	omxoed_peers_init(p);
}

int omxoed_peers_learn(struct omxoed_peers *p, uint64_t nic_id,
		       uint32_t serial, enum omxoed_news *news)
{
	size_t i;

	/*
	 * A linear scan: a fabric has at most a few thousand boards and each
	 * announces itself every few minutes outside bursts.
	 */
	for (i = 0; i < p->count; i++) {
		if (p->v[i].nic_id != nic_id)
			continue;
		if (p->v[i].serial == serial) {
			*news = OMXOED_KNOWN;
		} else {
			p->v[i].serial = serial;
			*news = OMXOED_RESTARTED;
		}
		return 0;
	}
	if (p->count == p->alloc) {
		size_t n = p->alloc ? p->alloc * 2 : 32;
		struct omxoed_peer *v = realloc(p->v, n * sizeof(*v));

		if (!v)
			return -1;
		p->v = v;
		p->alloc = n;
	}
	p->v[p->count].nic_id = nic_id;
	p->v[p->count].serial = serial;
	p->count++;
	*news = OMXOED_NEW;
	return 0;
}
