/* SPDX-License-Identifier: MIT */
/*
 * lib_test_util.h - common ground of the libopen-mx unit tests: a fake
 * driver world with endpoints that progress each other while one of them
 * sleeps, and byte patterns to check data end to end.
 */
#ifndef LIB_TEST_UTIL_H
#define LIB_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "open-mx.h"
#include "fake_driver.h"

#define LT_EPS_MAX	8

struct lt_ep {
	omx_endpoint_t ep;
	unsigned board, index;
};

extern struct lt_ep lt_eps[LT_EPS_MAX];
extern unsigned lt_neps;

/*
 * Install the fake driver (2 boards, 8 endpoints each), initialise the
 * library and make errors return instead of exiting.
 */
void lt_init(uint32_t seed);

/* (Re)install the idle hook that progresses the other endpoints. */
void lt_init_hook(void);

/* Open endpoint `index` on `board` with `key`; abort the test on failure. */
omx_endpoint_t lt_open(unsigned board, unsigned index, uint32_t key);
/* Close and forget it (other endpoints stop progressing it). */
void lt_close(omx_endpoint_t ep);

/* Blocking connect from `from` to endpoint `index` of `board`; aborts on failure. */
omx_endpoint_addr_t lt_connect(omx_endpoint_t from, unsigned board,
			       unsigned index, uint32_t key);

/* Progress every open endpoint once. */
void lt_progress_all(void);

/* Fill with a pattern depending on seed and position; check it. */
void lt_fill(void *buf, size_t len, uint32_t seed);
/* -1 if buf holds the pattern, else the first wrong offset. */
long lt_check(const void *buf, size_t len, uint32_t seed);

/* Wait for a request (1 minute of virtual time); returns result. */
uint32_t lt_wait(omx_endpoint_t ep, omx_request_t *req, omx_status_t *st);

#endif /* LIB_TEST_UTIL_H */
