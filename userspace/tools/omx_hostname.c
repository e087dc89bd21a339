// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_hostname - print or change the peer-table name of a local board.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "omx_tools.h"
#include "omx_tools_dev.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_hostname [-b BOARD] [NAME]\n"
"\n"
"Without NAME, print the hostname of local board BOARD, the name other\n"
"hosts see in their peer table (by default '<nodename>:<interface number>',\n"
"e.g. 'node1:0').  With NAME, give the board that name (needs root); peers\n"
"that already know the board keep the old name until they ask again.\n"
"\n"
"Options:\n"
"  -b, --board BOARD  the board number (default 0)\n"
"  -h, --help         show this help and exit\n"
"\n"
"NAME: 1 to %d printable characters, no blanks.\n"
"Exit status: 0 success, 1 driver failure or no such board, 2 usage error.\n",
		OMX_ABI_HOSTNAME_MAX - 1);
}

static void check_name(const char *name)
{
	size_t len = strlen(name), i;

	if (len == 0)
		omx_tool_usage_error("empty hostname");
	if (len >= OMX_ABI_HOSTNAME_MAX)
		omx_tool_usage_error("hostname '%.32s...' is longer than %d characters",
				     name, OMX_ABI_HOSTNAME_MAX - 1);
	for (i = 0; i < len; i++)
		if (name[i] < '!' || name[i] > '~')
			omx_tool_usage_error("hostname '%s' has a blank or non-printable character at position %zu",
					     name, i + 1);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct omx_cmd_set_hostname set;
	struct omx_cmd_board_info bi;
	const char *name = NULL;
	struct omx_dev dev;
	uint32_t board = 0;
	int c, ret;

	omx_tool_set_name("omx_hostname");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board = omx_tool_opt_u32('b', "board number", optarg,
						 0, UINT32_MAX - 1);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			omx_tool_bad_option(c, optopt, argv, optind);
		}
	}
	if (optind < argc)
		name = argv[optind++];
	if (optind < argc)
		omx_tool_usage_error("unexpected argument '%s' after NAME",
				     argv[optind]);
	if (name)
		check_name(name);

	omx_dev_open(&dev);
	omx_dev_board_or_fail(&dev, board, &bi);
	if (!name) {
		printf("%.*s\n", (int)strnlen(bi.hostname, sizeof(bi.hostname)),
		       bi.hostname);
	} else {
		memset(&set, 0, sizeof(set));
		set.board_index = board;
		memcpy(set.hostname, name, strlen(name) + 1);
		ret = omx_dev_cmd(&dev, OMX_CMD_SET_HOSTNAME, &set);
		if (ret < 0)
			omx_tool_fail("board #%u: setting hostname '%s': %s",
				      board, name, omx_dev_strerror(-ret));
	}
	omx_dev_close(&dev);
	return 0;
}
