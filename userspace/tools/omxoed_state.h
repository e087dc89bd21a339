/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omxoed_state.h - the decisions of the omxoed discovery daemon, kept apart
 * from its I/O so they can be tested: when to broadcast, and what a
 * received announcement means.
 *
 * Protocol (openmx-wire.md 4.13, compatible with Myricom's mxoed): every
 * daemon broadcasts a 64-octet RAW frame carrying its board's NIC id and a
 * serial number drawn at start.  It sends a burst of 8 frames 1 s apart at
 * start and again whenever it hears a new board or a board whose serial
 * changed (that daemon restarted and has forgotten us), so that newcomers
 * learn everybody within seconds; otherwise one frame every 180 s.
 */
#ifndef OMXOED_STATE_H
#define OMXOED_STATE_H

#include <stddef.h>
#include <stdint.h>

#define OMXOED_BURST_COUNT	8
#define OMXOED_BURST_PERIOD_MS	1000
#define OMXOED_STEADY_PERIOD_MS	180000

/* ------------------------------------------------------------------------
 * Broadcast schedule; times are milliseconds of a monotonic clock.
 */
struct omxoed_schedule {
	unsigned int burst_left;	/* frames left in the current burst */
	uint64_t next_ms;		/* when the next broadcast is due */
};

/* Start a burst now (daemon start, new peer, restarted peer). */
void omxoed_schedule_burst(struct omxoed_schedule *s, uint64_t now_ms);

/* Milliseconds until the next broadcast is due; 0 means now. */
uint64_t omxoed_schedule_wait_ms(const struct omxoed_schedule *s,
				 uint64_t now_ms);

/* Record a broadcast sent at @now_ms and plan the next one. */
void omxoed_schedule_sent(struct omxoed_schedule *s, uint64_t now_ms);

/* ------------------------------------------------------------------------
 * Boards heard so far, with their daemons' serial numbers
 */
enum omxoed_news {
	OMXOED_KNOWN,		/* same board, same serial: nothing to do */
	OMXOED_NEW,		/* first time heard: add to the peer table */
	OMXOED_RESTARTED,	/* known board, new serial: its daemon restarted */
};

struct omxoed_peer {
	uint64_t nic_id;
	uint32_t serial;
};

struct omxoed_peers {
	struct omxoed_peer *v;
	size_t count;
	size_t alloc;
};

void omxoed_peers_init(struct omxoed_peers *p);
void omxoed_peers_free(struct omxoed_peers *p);

/*
 * Record that @nic_id announced @serial.  Returns 0 with *@news set, or -1
 * if memory ran out (nothing recorded).
 */
int omxoed_peers_learn(struct omxoed_peers *p, uint64_t nic_id,
		       uint32_t serial, enum omxoed_news *news);

#endif /* OMXOED_STATE_H */
