/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_init.c - library initialisation and finalisation (mx-api.md 4.1).
 *
 * omx__init_api() opens a control handle on the driver, checks that the
 * driver speaks our ABI and medium geometry, reads the environment and
 * installs the default error handler.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <string.h>

#include "omx_lib.h"

struct omx__globals omx__globals = {
	.control_fd = -1,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.endpoints = { &omx__globals.endpoints, &omx__globals.endpoints },
	.fatal_errors = 1,
};

/* Defaults of mx-api.md 6.1, before the environment overrides them. */
static void set_defaults(void)
{
	struct omx__globals *g = &omx__globals;

	g->verbose = 0;
	g->abort_sleeps = 0;
	g->fatal_errors = 1;
	g->disable_self = 0;
	g->disable_shared = 0;
	g->rndv_threshold = 32768;
	g->shared_rndv_threshold = 4096;
	g->resends_max = 1000;
	g->zombie_max = 512;
	g->notacked_max = 4;
	g->waitspin = 0;
	g->waitintr = 0;
	g->any_endpoint = OMX_ANY_ENDPOINT;
	g->ctxid_set = 0;
	g->resend_delay_us = OMX_RESEND_DELAY_US;
	g->ack_delay_us = OMX_ACK_DELAY_US;
}

/* A failed open() of the device or a failed command, as an API code. */
omx_return_t omx__errno_to_return(int err)
{
	switch (err) {
	case ENOENT:
		return OMX_NO_DEVICE_FILE;
	case ENODEV:
	case ENXIO:
	case ENOTTY:
		return OMX_NO_DRIVER;
	case EACCES:
	case EPERM:
		return OMX_ACCESS_DENIED;
	case EMFILE:
	case ENFILE:
	case ENOMEM:
	case ENOSPC:
		return OMX_NO_SYSTEM_RESOURCES;
	case EBUSY:
		return OMX_BUSY;
	default:
		return OMX_BAD_ERROR;
	}
}

OMX_EXPORT omx_return_t omx__init_api(int api)
{
	struct omx__globals *g = &omx__globals;
	struct omx_cmd_get_info info;
	int fd, err;

	if (g->initialized)
		return omx__error(NULL, OMX_ALREADY_INITIALIZED,
				  "Initializing the library");
	if (api == 0 || (api >> 8) != (OMX_API >> 8))
		return omx__error(NULL, OMX_BAD_LIB_ABI,
				  "Checking the API version 0x%x (library 0x%x)",
				  (unsigned)api, OMX_API);

	fd = omx__driver->open();
	if (fd < 0)
		return omx__error(NULL, omx__errno_to_return(-fd),
				  "Opening %s: %s", OMX_ABI_DEVICE,
				  strerror(-fd));
	memset(&info, 0, sizeof(info));
	err = omx__ioctl(fd, OMX_CMD_GET_INFO, &info);
	if (err < 0) {
		omx__driver->close(fd);
		return omx__error(NULL, omx__errno_to_return(-err),
				  "Reading the driver information: %s",
				  strerror(-err));
	}
	if (info.abi_version != OMX_ABI_VERSION) {
		omx__driver->close(fd);
		return omx__error(NULL, info.abi_version > OMX_ABI_VERSION ?
				  OMX_BAD_LIB_ABI : OMX_BAD_KERNEL_ABI,
				  "Driver ABI 0x%x, library ABI 0x%x",
				  info.abi_version, OMX_ABI_VERSION);
	}
	if (info.medium_frag_max == 0 ||
	    info.medium_frag_max > OMX_ABI_SENDQ_SLOT_SIZE ||
	    info.medium_frag_max > OMX_ABI_RECVQ_SLOT_SIZE ||
	    info.medium_frags_max == 0 ||
	    info.medium_frags_max > OMX_MEDIUM_FRAGS_MAX) {
		omx__driver->close(fd);
		return omx__error(NULL, OMX_BAD_LIB_ABI,
				  "Driver medium geometry %u x %u not supported",
				  info.medium_frags_max, info.medium_frag_max);
	}

	g->control_fd = fd;
	g->info = info;
	g->medium_frag_max = info.medium_frag_max;
	g->medium_frags_max = info.medium_frags_max;
	g->medium_max = info.medium_frag_max * info.medium_frags_max;
	set_defaults();
	omx__env_read();
	omx__boards_refresh();
	g->initialized = 1;
	omx__error_handler_init();
	if (g->verbose)
		omx__verbose("initialized: driver %s, %u board(s), "
			     "rendezvous above %u (same host %u)\n",
			     info.version, info.board_count, g->rndv_threshold,
			     g->shared_rndv_threshold);
	return OMX_SUCCESS;
}

/* Never fails and checks nothing (mx-api.md 4.1). */
OMX_EXPORT omx_return_t omx_finalize(void)
{
	struct omx__globals *g = &omx__globals;

	if (g->control_fd >= 0)
		omx__driver->close(g->control_fd);
	g->control_fd = -1;
	g->initialized = 0;
	return OMX_SUCCESS;
}

/* The remote-peer rendezvous threshold (MX_COPY_SEND_MAX). */
uint32_t omx__rndv_threshold(void)
{
	return omx__globals.initialized ? omx__globals.rndv_threshold : 32768;
}
