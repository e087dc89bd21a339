// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_info - show the Open-MX driver, its boards and its peer table.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_tools.h"
#include "omx_tools_dev.h"

#define RULE "================================================"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_info [-b BOARD] [-q | -v]\n"
"\n"
"Describe the Open-MX driver: its version, the attached boards (network\n"
"interfaces) with their hostname and address, and the peer table (every\n"
"board of the fabric this host can talk to).\n"
"\n"
"Options:\n"
"  -b, --board BOARD  show only board number BOARD\n"
"  -q, --quiet        boards only: no version, no details, no peer table\n"
"  -v, --verbose      everything (the default)\n"
"  -h, --help         show this help and exit\n"
"\n"
"A board line reads ' <hostname> (board #<n> name <interface> addr <mac>)'.\n"
"Warnings follow a board that cannot carry Open-MX traffic (interface down,\n"
"MTU too small).  A peer line reads '  <index>) <mac> <hostname>';\n"
"'<unknown>' means the peer's name has not been learned yet.\n"
"\n"
"Exit status: 0 success, 1 driver not loaded or query failed, 2 usage error.\n");
}

static void print_board(const struct omx_dev *dev,
			const struct omx_cmd_board_info *bi, bool verbose)
{
	char title[256];
	int ifname_len = (int)strnlen(bi->ifname, sizeof(bi->ifname));

	omx_dev_board_title(bi, title, sizeof(title));
	printf(" %s\n", title);
	if (verbose) {
		printf("   managed by driver '%.*s'\n",
		       (int)strnlen(bi->driver, sizeof(bi->driver)), bi->driver);
		if (bi->numa_node != (uint32_t)-1)
			printf("   attached to numa node %u\n", bi->numa_node);
	}
	if (bi->status & OMX_ABI_BOARD_DOWN)
		printf("   WARNING: interface %.*s is down\n", ifname_len,
		       bi->ifname);
	if (bi->status & OMX_ABI_BOARD_BAD_MTU)
		printf("   WARNING: MTU=%u invalid (too small for %u-byte Open-MX frames)\n",
		       bi->mtu, dev->info.wire_mtu);
}

static void print_boards(const struct omx_dev *dev, bool one_board,
			 uint32_t board, bool verbose)
{
	struct omx_cmd_board_info bi;
	uint32_t i;
	int ret;

	printf("Found %u boards (%u max) supporting %u endpoints each:\n",
	       dev->info.board_count, dev->info.board_max,
	       dev->info.endpoint_max);
	if (one_board) {
		omx_dev_board_or_fail(dev, board, &bi);
		print_board(dev, &bi, verbose);
		return;
	}
	for (i = 0; i < dev->info.board_max; i++) {
		ret = omx_dev_board(dev, i, &bi);
		if (ret == 1)
			continue;
		if (ret < 0)
			omx_tool_fail("board #%u: %s", i, omx_dev_strerror(-ret));
		print_board(dev, &bi, verbose);
	}
}

static void print_peers(const struct omx_dev *dev)
{
	struct omx_cmd_peer peer;
	char mac[OMX_MAC_STRLEN];
	uint32_t i;
	int ret;

	omx_mac_format(dev->info.peer_table_mapper, mac);
	if (dev->info.peer_table_configured)
		printf("Peer table is ready, mapper is %s\n", mac);
	else
		printf("Peer table is not configured yet\n");
	printf("%s\n", RULE);

	/* Every slot: the table may have holes, and it is small (<= 64 Ki). */
	for (i = 0; i < dev->info.peer_max; i++) {
		memset(&peer, 0, sizeof(peer));
		peer.index = i;
		ret = omx_dev_cmd(dev, OMX_CMD_PEER_FROM_INDEX, &peer);
		if (ret == -ENOENT)
			continue;
		if (ret < 0)
			omx_tool_fail("reading peer #%u: %s", i,
				      omx_dev_strerror(-ret));
		omx_mac_format(peer.addr, mac);
		if (peer.hostname[0])
			printf("  %u) %s %.*s\n", i, mac,
			       (int)strnlen(peer.hostname, sizeof(peer.hostname)),
			       peer.hostname);
		else
			printf("  %u) %s <unknown>\n", i, mac);
	}
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool verbose = true, one_board = false;
	uint32_t board = 0;
	struct omx_dev dev;
	int c;

	omx_tool_set_name("omx_info");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			board = omx_tool_opt_u32('b', "board number", optarg,
						 0, UINT32_MAX - 1);
			one_board = true;
			break;
		case 'q':
			verbose = false;
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
	if (verbose) {
		printf("Open-MX version %.*s\n",
		       (int)strnlen(dev.info.version, sizeof(dev.info.version)),
		       dev.info.version);
		printf(" build: %s tools, driver ABI 0x%04x\n\n", PACKAGE_STRING,
		       dev.info.abi_version);
	}
	print_boards(&dev, one_board, board, verbose);
	if (verbose) {
		printf("\n");
		print_peers(&dev);
	}
	if (dev.info.peer_table_full)
		printf("WARNING: the peer table is full (%u entries): peers are being refused; raise the driver's 'peers' parameter\n",
		       dev.info.peer_max);
	omx_dev_close(&dev);
	return 0;
}
