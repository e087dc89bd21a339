// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * perf_under_test.c - omx_perf itself, built into test_perf_interop: its
 * main() becomes omx_perf_main(), and its omx_init()/omx_finalize() calls
 * go to the test, which owns the library (one per process) and shares it
 * with the Open-MX 1.5 peer it plays.
 */
#include <open-mx.h>

omx_return_t perf_test_init(void);
omx_return_t perf_test_finalize(void);
int omx_perf_main(int argc, char *argv[]);

#define omx_init	perf_test_init
#define omx_finalize	perf_test_finalize
#define main		omx_perf_main
#include "omx_perf.c"
