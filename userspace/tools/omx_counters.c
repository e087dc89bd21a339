// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_counters - print (and optionally clear) the driver's per-board
 * packet counters.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "omx_counter_labels.h"
#include "omx_tools.h"
#include "omx_tools_dev.h"

/* The same-host pseudo-board has no interface; Open-MX names it so. */
#define SHARED_TITLE "Shared Communication (addr 00:00:00:00:00:00)"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_counters [-b BOARD | -a | -s] [-c] [-q | -v]\n"
"\n"
"Print the driver's packet counters (sent, received, dropped, by packet\n"
"type), one block per board.  Same-host traffic is counted on the\n"
"'Shared Communication' pseudo-board.\n"
"\n"
"Options:\n"
"  -b, --board BOARD  only board number BOARD\n"
"  -a, --all          the shared pseudo-board, then every board (default)\n"
"  -s, --shared       only the shared pseudo-board\n"
"  -c, --clear        reset the printed counters to zero; values are read\n"
"                     and cleared in one step, so no packet is missed\n"
"                     (needs root)\n"
"  -q, --quiet        print only the non-zero counters (the default)\n"
"  -v, --verbose      print all %d counters\n"
"  -h, --help         show this help and exit\n"
"\n"
"Each block is a title line, a line of '=', then one line per counter,\n"
"'<index>: <value> <label>', and a blank line.\n"
"\n"
"Exit status: 0 success, 1 driver not loaded or query refused, 2 usage error.\n",
		OMX_ABI_COUNTER_MAX);
}

enum scope { SCOPE_ALL, SCOPE_BOARD, SCOPE_SHARED };

static void print_block(const struct omx_dev *dev, uint32_t board,
			const char *title, bool clear, bool all_counters)
{
	struct omx_cmd_counters cnt;
	size_t len = strlen(title);
	uint32_t i;
	int ret;

	memset(&cnt, 0, sizeof(cnt));
	cnt.board_index = board;
	cnt.clear = clear;
	ret = omx_dev_cmd(dev, OMX_CMD_GET_COUNTERS, &cnt);
	if (ret < 0)
		omx_tool_fail("%s counters of %s: %s",
			      clear ? "clearing" : "reading", title,
			      omx_dev_strerror(-ret));

	printf("%s\n", title);
	while (len--)
		putchar('=');
	putchar('\n');
	for (i = 0; i < OMX_ABI_COUNTER_MAX; i++)
		if (all_counters || cnt.values[i])
			printf("%03u: %9u %s\n", i, cnt.values[i],
			       omx_counter_label(i));
	printf("\n");
}

static void print_board(const struct omx_dev *dev,
			const struct omx_cmd_board_info *bi, bool clear,
			bool all_counters)
{
	char title[256];

	omx_dev_board_title(bi, title, sizeof(title));
	print_block(dev, bi->board_index, title, clear, all_counters);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "all", no_argument, NULL, 'a' },
		{ "shared", no_argument, NULL, 's' },
		{ "clear", no_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool clear = false, all_counters = false;
	enum scope scope = SCOPE_ALL;
	int scopes_given = 0, c, ret;
	struct omx_cmd_board_info bi;
	uint32_t board = 0, i;
	struct omx_dev dev;

	omx_tool_set_name("omx_counters");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:ascqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board = omx_tool_opt_u32('b', "board number", optarg,
						 0, UINT32_MAX - 2);
			scope = SCOPE_BOARD;
			scopes_given++;
			break;
		case 'a':
			scope = SCOPE_ALL;
			scopes_given++;
			break;
		case 's':
			scope = SCOPE_SHARED;
			scopes_given++;
			break;
		case 'c':
			clear = true;
			break;
		case 'q':
			all_counters = false;
			break;
		case 'v':
			all_counters = true;
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
	if (scopes_given > 1)
		omx_tool_usage_error("-b, -a and -s exclude each other");

	omx_dev_open(&dev);
	switch (scope) {
	case SCOPE_BOARD:
		omx_dev_board_or_fail(&dev, board, &bi);
		print_board(&dev, &bi, clear, all_counters);
		break;
	case SCOPE_SHARED:
		if (!dev.info.shared_comms)
			omx_tool_fail("same-host communication is disabled in the driver: no shared counters");
		print_block(&dev, OMX_ABI_SHARED_BOARD, SHARED_TITLE, clear,
			    all_counters);
		break;
	case SCOPE_ALL:
		if (dev.info.shared_comms)
			print_block(&dev, OMX_ABI_SHARED_BOARD, SHARED_TITLE,
				    clear, all_counters);
		for (i = 0; i < dev.info.board_max; i++) {
			ret = omx_dev_board(&dev, i, &bi);
			if (ret == 1)
				continue;
			if (ret < 0)
				omx_tool_fail("board #%u: %s", i,
					      omx_dev_strerror(-ret));
			print_board(&dev, &bi, clear, all_counters);
		}
		break;
	}
	omx_dev_close(&dev);
	return 0;
}
