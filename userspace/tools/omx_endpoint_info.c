// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_endpoint_info - list the open endpoints of each board, with the
 * process that holds them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "omx_tools.h"
#include "omx_tools_dev.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_endpoint_info [-b BOARD] [-v]\n"
"\n"
"List the open Open-MX endpoints of every board (or of board BOARD): the\n"
"endpoint index, the process id and the command name of its owner.\n"
"Useful before detaching an interface or unloading the driver.\n"
"\n"
"Options:\n"
"  -b, --board BOARD  only board number BOARD\n"
"  -v, --verbose      also show each endpoint's session id (root only;\n"
"                     0 otherwise)\n"
"  -h, --help         show this help and exit\n"
"\n"
"Exit status: 0 success, 1 driver not loaded or query failed, 2 usage error.\n");
}

static void list_board(const struct omx_dev *dev,
		       const struct omx_cmd_board_info *bi, bool verbose)
{
	struct omx_cmd_endpoint_info ei;
	char title[256];
	uint32_t i, open = 0;
	int ret;

	omx_dev_board_title(bi, title, sizeof(title));
	printf("%s\n", title);
	for (i = 0; i < dev->info.endpoint_max; i++) {
		memset(&ei, 0, sizeof(ei));
		ei.board_index = bi->board_index;
		ei.endpoint_index = i;
		ret = omx_dev_cmd(dev, OMX_CMD_GET_ENDPOINT_INFO, &ei);
		if (ret < 0)
			omx_tool_fail("board #%u endpoint %u: %s", bi->board_index,
				      i, omx_dev_strerror(-ret));
		if (!ei.open)
			continue;
		open++;
		printf("  endpoint %u: pid %u command %.*s", i, ei.pid,
		       (int)strnlen(ei.command, sizeof(ei.command)), ei.command);
		if (verbose)
			printf(" session 0x%08x", ei.session_id);
		printf("\n");
	}
	printf("  %u of %u endpoints open\n", open, dev->info.endpoint_max);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct omx_cmd_board_info bi;
	bool one_board = false, verbose = false;
	uint32_t board = 0, i;
	struct omx_dev dev;
	int c, ret;

	omx_tool_set_name("omx_endpoint_info");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board = omx_tool_opt_u32('b', "board number", optarg,
						 0, UINT32_MAX - 1);
			one_board = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			omx_tool_bad_option(c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		omx_tool_usage_error("unexpected argument '%s' (see --help)",
				     argv[optind]);

	omx_dev_open(&dev);
	if (one_board) {
		omx_dev_board_or_fail(&dev, board, &bi);
		list_board(&dev, &bi, verbose);
	} else {
		if (dev.info.board_count == 0)
			printf("No board attached\n");
		for (i = 0; i < dev.info.board_max; i++) {
			ret = omx_dev_board(&dev, i, &bi);
			if (ret == 1)
				continue;
			if (ret < 0)
				omx_tool_fail("board #%u: %s", i,
					      omx_dev_strerror(-ret));
			list_board(&dev, &bi, verbose);
		}
	}
	omx_dev_close(&dev);
	return 0;
}
