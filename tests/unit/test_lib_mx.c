/* SPDX-License-Identifier: MIT */
/*
 * test_lib_mx.c - an MX program linked with the real libopen-mx, on a
 * machine without the driver: what it sees before any board exists.
 *
 * Checks the whole chain of an error (core -> error handler -> MX code)
 * and the parts of the MX layer that need no driver.  When /dev/open-mx
 * exists (in the test bed) the driverless checks are skipped.
 */
#include <string.h>
#include <unistd.h>

#include <myriexpress.h>
#include <mx_extensions.h>
#include <mx_raw.h>
#include <mx_internals/mx__driver_interface.h>
#include <open-mx.h>

#include "tap.h"

static void test_without_driver(void)
{
	mx_raw_endpoint_t raw = NULL;
	mx_mapper_state_t state;
	uint32_t value = 0;

	if (access("/dev/open-mx", F_OK) == 0) {
		tap_ok(1, "# SKIP /dev/open-mx exists: driverless checks");
		return;
	}

	mx_set_error_handler(MX_ERRORS_RETURN);
	tap_is(mx_init(), MX_NO_DEV,
	       "mx_init without /dev/open-mx: MX_NO_DEV, through MX_ERRORS_RETURN");
	tap_is(mx_get_info(NULL, MX_NIC_COUNT, NULL, 0, &value, sizeof(value)),
	       MX_NOT_INITIALIZED, "mx_get_info(MX_NIC_COUNT) before init: MX_NOT_INITIALIZED");
	tap_is(mx_raw_open_endpoint(0, NULL, 0, &raw), MX_NO_DEV,
	       "mx_raw_open_endpoint without /dev/open-mx: MX_NO_DEV");
	tap_is(mx__get_mapper_state(MX__INVALID_HANDLE, &state), MX_NO_DEV,
	       "mx__get_mapper_state without /dev/open-mx: MX_NO_DEV");
}

static void test_no_driver_needed(void)
{
	mx_endpt_handle_t handle = MX__INVALID_HANDLE;
	char product[32];
	uint32_t value = 0;

	tap_ok(!strcmp(mx_strerror(MX_BAD_CONNECTION_KEY),
		       "Connection Key to Remote Endpoint is Invalid"),
	       "mx_strerror from the library");
	tap_ok(!strcmp(mx_strstatus(MX_STATUS_TRUNCATED), "Message Truncated"),
	       "mx_strstatus from the library");
	tap_ok(!strcmp(omx_strerror(OMX_BAD_LIB_ABI),
		       "Library ABI too old, did you relink your program with the new library?"),
	       "omx_strerror from the library");
	tap_ok(mx_get_info(NULL, MX_PIO_SEND_MAX, NULL, 0, &value, sizeof(value)) == MX_SUCCESS &&
	       value == 128, "mx_get_info(MX_PIO_SEND_MAX) = 128");
	tap_ok(mx_get_info(NULL, MX_PRODUCT_CODE, NULL, 0, product, sizeof(product)) == MX_SUCCESS &&
	       !strcmp(product, "N/A (Open-MX)"), "mx_get_info(MX_PRODUCT_CODE)");
	tap_is(mx_open_board(0, &handle), MX_SUCCESS,
	       "mx_open_board succeeds (Open MPI's configure probe)");
}

int main(void)
{
	test_no_driver_needed();
	test_without_driver();
	return tap_done();
}
