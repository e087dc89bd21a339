/* SPDX-License-Identifier: MIT */
/*
 * fake_driver.h - an in-process stand-in for /dev/open-mx, for the unit
 * tests of libopen-mx.
 *
 * It implements the driver side of shared/omx_abi.h closely enough for the
 * library not to notice: boards with NIC ids and hostnames, one peer table
 * (peer index i = board i), endpoints with their mapped descriptor, event
 * queue, receive queue and send queue, regions, a pull engine, nacks for
 * bad or closed endpoints and bad sessions, and OMX_CMD_WAIT_EVENT.  All
 * boards are joined by one "wire" that can lose, duplicate and reorder
 * frames (a seeded generator makes runs repeatable).
 *
 * Time is virtual: it only moves while a library call sleeps in
 * OMX_CMD_WAIT_EVENT (or when a test calls fake_advance_us()), by steps of
 * at most 1 ms, so 500 ms retransmission periods cost nothing.  While one
 * endpoint sleeps, the test's idle hook progresses the others: several
 * endpoints talk to each other from one single-threaded test.
 *
 * One world per process.  Driver calls are serialised, so threads may
 * share it (in real-time mode, see fake_set_realtime()).
 */
#ifndef FAKE_DRIVER_H
#define FAKE_DRIVER_H

#include <stdint.h>

struct fake_config {
	unsigned nboards;	/* attached boards, 1..8 */
	unsigned endpoint_max;	/* endpoints per board, 1..256 */
	uint32_t seed;		/* of the wire's random decisions */
};

/* Reset the world and make the library use it (before omx_init). */
void fake_driver_install(const struct fake_config *cfg);

/*
 * Real-time mode, for tests with threads: the clock follows
 * CLOCK_MONOTONIC, OMX_CMD_WAIT_EVENT really sleeps (no idle hook), and
 * every driver call is serialised.
 */
void fake_set_realtime(int on);

/* Percentages of frames lost, duplicated, delayed out of order. */
void fake_wire_set(unsigned loss_pct, unsigned dup_pct, unsigned reorder_pct);

/* Let the next `pass` frames through, then lose the `drop` after them. */
void fake_wire_script(unsigned pass, unsigned drop);

/*
 * Lose the next `count` frames that would become an event of `evt_type`
 * (OMX_EVT_RECV_NOTIFY, ...) at their destination.
 */
void fake_wire_drop_type(uint8_t evt_type, unsigned count);

/* A deaf endpoint silently drops everything sent to it (a dead peer). */
void fake_endpoint_set_deaf(unsigned board, unsigned endpoint, int deaf);

/*
 * A NACK_LIB event at endpoint (board, endpoint) as if endpoint from_ep of
 * board from_board had sent it, naming lib_seqnum: stale or forged nacks.
 */
void fake_inject_nack_lib(unsigned board, unsigned endpoint, unsigned from_board,
			  unsigned from_ep, uint16_t lib_seqnum, uint8_t nack_type);

/* Called while endpoint (board, endpoint) sleeps: progress the others. */
typedef void (*fake_idle_hook_t)(void *arg, unsigned board, unsigned endpoint);
void fake_set_idle_hook(fake_idle_hook_t hook, void *arg);

uint64_t fake_now_us(void);
/* Let time pass, delivering frames (no idle hook). */
void fake_advance_us(uint64_t us);

uint64_t fake_board_addr(unsigned board);

struct fake_stats {
	uint64_t frames;	/* handed to the wire */
	uint64_t lost;
	uint64_t duplicated;
	uint64_t reordered;
	uint64_t nacks;
	uint64_t pulls;
	uint64_t dropped_full;	/* event or receive queue full */
	uint64_t libacks;
	uint64_t connects;
};
const struct fake_stats *fake_get_stats(void);

#endif /* FAKE_DRIVER_H */
