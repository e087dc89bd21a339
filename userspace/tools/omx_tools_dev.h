/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_tools_dev.h - a control handle on /dev/open-mx for the administration
 * tools (omx_info, omx_counters, omx_init_peers, omxoed, ...).
 *
 * These tools read and change driver state the Open-MX API does not expose
 * (peer table, board status, raw frames), so they use the commands of
 * shared/omx_abi.h directly instead of libopen-mx, as Open-MX's own tools
 * use the library's internal driver calls.
 */
#ifndef OMX_TOOLS_DEV_H
#define OMX_TOOLS_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "omx_abi.h"

struct omx_dev {
	int fd;
	struct omx_cmd_get_info info;	/* read at open */
};

/*
 * Open a control handle and read the driver's description, checking that
 * it speaks our ABI.  On failure, prints one line (what to do about it
 * included) and exits with status 1.
 */
void omx_dev_open(struct omx_dev *dev);
void omx_dev_close(struct omx_dev *dev);

/* ioctl() on the handle: 0, or the negative errno. */
int omx_dev_cmd(const struct omx_dev *dev, unsigned long cmd, void *arg);

/*
 * Board @index: 0 and @bi filled, 1 if no interface is attached at that
 * index, or the negative errno of the query.
 */
int omx_dev_board(const struct omx_dev *dev, uint32_t index,
		  struct omx_cmd_board_info *bi);

/*
 * Like omx_dev_board() for a board the user named: a missing board or a
 * failed query exits with status 1 and a message naming the index.
 */
void omx_dev_board_or_fail(const struct omx_dev *dev, uint32_t index,
			   struct omx_cmd_board_info *bi);

/*
 * "<hostname> (board #<n> name <ifname> addr <mac>)", the way every tool
 * names a board.  Driver strings are read within their array bounds even
 * if the driver forgot the NUL.
 */
void omx_dev_board_title(const struct omx_cmd_board_info *bi, char *out,
			 size_t size);

/* strerror() with the meaning the driver gives to some errno values. */
const char *omx_dev_strerror(int err);

#endif /* OMX_TOOLS_DEV_H */
