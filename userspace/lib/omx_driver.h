/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_driver.h - every contact of libopen-mx with the driver and the clock.
 *
 * The library never calls open(), ioctl(), mmap() or clock_gettime()
 * directly: it goes through one table of operations.  The default table
 * talks to /dev/open-mx (shared/omx_abi.h); the unit tests install an
 * in-process fake driver with a virtual clock, so the whole protocol runs
 * in one process, deterministically and without the kernel.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_DRIVER_H
#define OMX_DRIVER_H

#include <stddef.h>
#include <stdint.h>

struct omx_driver_ops {
	/* A new handle on the device: a file descriptor, or -errno. */
	int (*open)(void);
	/* 0 or -errno. */
	int (*ioctl)(int fd, unsigned long cmd, void *arg);
	/* The endpoint mapping (offset 0), or NULL with errno set. */
	void *(*mmap)(int fd, size_t len);
	void (*munmap)(void *addr, size_t len);
	void (*close)(int fd);
	/* Monotonic time in microseconds. */
	uint64_t (*now_us)(void);
};

/* The operations in use (never NULL). */
extern const struct omx_driver_ops *omx__driver;

/*
 * Replace the operations (NULL: back to /dev/open-mx).  Only while the
 * library is not initialised; for tests.
 */
void omx__driver_set_ops(const struct omx_driver_ops *ops);

static inline int omx__ioctl(int fd, unsigned long cmd, void *arg)
{
	return omx__driver->ioctl(fd, cmd, arg);
}

static inline uint64_t omx__now_us(void)
{
	return omx__driver->now_us();
}

#endif /* OMX_DRIVER_H */
