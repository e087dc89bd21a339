/* SPDX-License-Identifier: MIT */
/*
 * lib_test_util.c - see lib_test_util.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib_test_util.h"

struct lt_ep lt_eps[LT_EPS_MAX];
unsigned lt_neps;

static void idle_hook(void *arg, unsigned board, unsigned index)
{
	unsigned i;

	(void)arg;
	for (i = 0; i < lt_neps; i++)
		if (lt_eps[i].board != board || lt_eps[i].index != index)
			omx_progress(lt_eps[i].ep);
}

void lt_init_hook(void)
{
	fake_set_idle_hook(idle_hook, NULL);
}

void lt_init(uint32_t seed)
{
	struct fake_config cfg = { .nboards = 2, .endpoint_max = 8, .seed = seed };
	omx_return_t ret;

	fake_driver_install(&cfg);
	fake_set_idle_hook(idle_hook, NULL);
	omx_set_error_handler(NULL, OMX_ERRORS_RETURN);
	ret = omx_init();
	if (ret != OMX_SUCCESS) {
		fprintf(stderr, "Bail out! omx_init: %s\n", omx_strerror(ret));
		exit(1);
	}
}

omx_endpoint_t lt_open(unsigned board, unsigned index, uint32_t key)
{
	omx_endpoint_t ep;
	omx_return_t ret = omx_open_endpoint(board, index, key, NULL, 0, &ep);

	if (ret != OMX_SUCCESS || lt_neps == LT_EPS_MAX) {
		printf("Bail out! opening endpoint %u/%u: %s\n", board, index,
		       omx_strerror(ret));
		exit(1);
	}
	lt_eps[lt_neps].ep = ep;
	lt_eps[lt_neps].board = board;
	lt_eps[lt_neps].index = index;
	lt_neps++;
	return ep;
}

void lt_close(omx_endpoint_t ep)
{
	unsigned i;

	for (i = 0; i < lt_neps; i++) {
		if (lt_eps[i].ep == ep) {
			lt_eps[i] = lt_eps[--lt_neps];
			break;
		}
	}
	omx_close_endpoint(ep);
}

omx_endpoint_addr_t lt_connect(omx_endpoint_t from, unsigned board,
			       unsigned index, uint32_t key)
{
	omx_endpoint_addr_t addr;
	omx_return_t ret = omx_connect(from, fake_board_addr(board), index, key,
				       60000, &addr);

	if (ret != OMX_SUCCESS) {
		printf("Bail out! connecting to %u/%u: %s\n", board, index,
		       omx_strerror(ret));
		exit(1);
	}
	return addr;
}

void lt_progress_all(void)
{
	unsigned i;

	for (i = 0; i < lt_neps; i++)
		omx_progress(lt_eps[i].ep);
}

static uint8_t pattern(size_t i, uint32_t seed)
{
	uint32_t x = (uint32_t)i * 2654435761U ^ seed * 40503U;

	return (uint8_t)(x >> 13 ^ x >> 5 ^ i);
}

void lt_fill(void *buf, size_t len, uint32_t seed)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern(i, seed);
}

long lt_check(const void *buf, size_t len, uint32_t seed)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(i, seed))
			return (long)i;
	return -1;
}

uint32_t lt_wait(omx_endpoint_t ep, omx_request_t *req, omx_status_t *st)
{
	uint32_t result = 0;

	omx_wait(ep, req, st, &result, 60000);
	return result;
}
