/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_driver.c - the default driver operations: /dev/open-mx and
 * CLOCK_MONOTONIC.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "omx_abi.h"
#include "omx_driver.h"

static int dev_open(void)
{
	int fd = open(OMX_ABI_DEVICE, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int dev_ioctl(int fd, unsigned long cmd, void *arg)
{
	int ret;

	/* WAIT_EVENT reports signals itself; other commands never sleep. */
	do {
		ret = ioctl(fd, cmd, arg);
	} while (ret < 0 && errno == EINTR && cmd != OMX_CMD_WAIT_EVENT);
	return ret < 0 ? -errno : 0;
}

static void *dev_mmap(int fd, size_t len)
{
	void *addr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	return addr == MAP_FAILED ? NULL : addr;
}

static void dev_munmap(void *addr, size_t len)
{
	munmap(addr, len);
}

static void dev_close(int fd)
{
	close(fd);
}

static uint64_t dev_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static const struct omx_driver_ops dev_ops = {
	.open = dev_open,
	.ioctl = dev_ioctl,
	.mmap = dev_mmap,
	.munmap = dev_munmap,
	.close = dev_close,
	.now_us = dev_now_us,
};

const struct omx_driver_ops *omx__driver = &dev_ops;

void omx__driver_set_ops(const struct omx_driver_ops *ops)
{
	omx__driver = ops ? ops : &dev_ops;
}
