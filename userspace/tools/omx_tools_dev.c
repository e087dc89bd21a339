// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_tools_dev.c - control handle on /dev/open-mx for the tools.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "omx_host.h"
#include "omx_tools.h"
#include "omx_tools_dev.h"

void omx_dev_open(struct omx_dev *dev)
{
	dev->fd = open(OMX_ABI_DEVICE, O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		int err = errno;

		if (err == ENOENT || err == ENODEV || err == ENXIO)
			omx_tool_fail("cannot open %s: %s (%s)",
				      OMX_ABI_DEVICE, strerror(err),
				      omx_driver_hint());
		omx_tool_fail("cannot open %s: %s", OMX_ABI_DEVICE,
			      strerror(err));
	}
	memset(&dev->info, 0, sizeof(dev->info));
	if (ioctl(dev->fd, OMX_CMD_GET_INFO, &dev->info) < 0)
		omx_tool_fail("%s: reading the driver description: %s",
			      OMX_ABI_DEVICE, strerror(errno));
	if (dev->info.abi_version != OMX_ABI_VERSION)
		omx_tool_fail("%s: driver ABI 0x%04x, these tools need 0x%04x (rebuild or reload the driver)",
			      OMX_ABI_DEVICE, dev->info.abi_version,
			      OMX_ABI_VERSION);
}

void omx_dev_close(struct omx_dev *dev)
{
	if (dev->fd >= 0)
		close(dev->fd);
	dev->fd = -1;
}

int omx_dev_cmd(const struct omx_dev *dev, unsigned long cmd, void *arg)
{
	return ioctl(dev->fd, cmd, arg) < 0 ? -errno : 0;
}

int omx_dev_board(const struct omx_dev *dev, uint32_t index,
		  struct omx_cmd_board_info *bi)
{
	int ret;

	memset(bi, 0, sizeof(*bi));
	bi->board_index = index;
	ret = omx_dev_cmd(dev, OMX_CMD_GET_BOARD_INFO, bi);
	if (ret == -ENODEV)
		return 1;
	return ret;
}

void omx_dev_board_or_fail(const struct omx_dev *dev, uint32_t index,
			   struct omx_cmd_board_info *bi)
{
	int ret = omx_dev_board(dev, index, bi);

	if (ret == 1)
		omx_tool_fail("no board #%u (the driver has %u boards attached)",
			      index, dev->info.board_count);
	if (ret < 0)
		omx_tool_fail("board #%u: %s", index, omx_dev_strerror(-ret));
}

void omx_dev_board_title(const struct omx_cmd_board_info *bi, char *out,
			 size_t size)
{
	char mac[OMX_MAC_STRLEN];

	omx_mac_format(bi->addr, mac);
	snprintf(out, size, "%.*s (board #%u name %.*s addr %s)",
		 (int)strnlen(bi->hostname, sizeof(bi->hostname)), bi->hostname,
		 bi->board_index,
		 (int)strnlen(bi->ifname, sizeof(bi->ifname)), bi->ifname, mac);
}

const char *omx_dev_strerror(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "permission denied (needs root)";
	case ENODEV:
		return "no such board";
	case ENOSPC:
		return "table full";
	case ESHUTDOWN:
		return "interface detached";
	default:
		return strerror(err);
	}
}
