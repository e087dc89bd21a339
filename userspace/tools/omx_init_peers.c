// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_init_peers - load a static peer table from a file into the driver,
 * for fabrics that do not run the omxoed discovery daemon.
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "omx_peers_file.h"
#include "omx_tools.h"
#include "omx_tools_dev.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: omx_init_peers [-v] FILE\n"
"       omx_init_peers -c\n"
"\n"
"Replace the driver's peer table with the peers listed in FILE (usually\n"
"/etc/open-mx/peers), then mark the table configured.  FILE has one peer\n"
"per line, a MAC address and a hostname separated by blanks:\n"
"\n"
"    # comments and blank lines are allowed\n"
"    00:1b:21:3a:00:01  node1:0\n"
"    00:1b:21:3a:00:02  node2:0\n"
"\n"
"The whole file is checked first; the first bad line is reported as\n"
"FILE:LINE: <problem> and the driver is left untouched.  List every board\n"
"of the fabric, this host's included, on every host.\n"
"\n"
"Options:\n"
"  -c, --clear    only empty the peer table and mark it not configured\n"
"  -v, --verbose  print each peer as it is added\n"
"  -h, --help     show this help and exit\n"
"\n"
"Changing the peer table needs root.\n"
"Exit status: 0 success, 1 bad file or driver failure, 2 usage error.\n");
}

static void set_table_state(const struct omx_dev *dev, bool configured)
{
	struct omx_cmd_peer_table_state st;
	int ret;

	memset(&st, 0, sizeof(st));
	ret = omx_dev_cmd(dev, OMX_CMD_GET_PEER_TABLE_STATE, &st);
	if (ret < 0)
		omx_tool_fail("reading the peer table state: %s",
			      omx_dev_strerror(-ret));
	st.configured = configured;
	st.version++;		/* tell readers the table changed */
	st.mapper_id = 0;	/* a static table has no mapper */
	ret = omx_dev_cmd(dev, OMX_CMD_SET_PEER_TABLE_STATE, &st);
	if (ret < 0)
		omx_tool_fail("marking the peer table %s: %s",
			      configured ? "configured" : "not configured",
			      omx_dev_strerror(-ret));
}

static void clear_table(const struct omx_dev *dev)
{
	int ret = omx_dev_cmd(dev, OMX_CMD_PEERS_CLEAR, NULL);

	if (ret < 0)
		omx_tool_fail("clearing the peer table: %s",
			      omx_dev_strerror(-ret));
}

static void load_table(const struct omx_dev *dev, const char *path,
		       const struct omx_peer_list *list, bool verbose)
{
	struct omx_cmd_peer peer;
	char mac[OMX_MAC_STRLEN];
	size_t i;
	int ret;

	if (list->count > dev->info.peer_max)
		omx_tool_fail("%s: %zu peers, but the driver's table holds %u (driver parameter 'peers')",
			      path, list->count, dev->info.peer_max);

	clear_table(dev);
	for (i = 0; i < list->count; i++) {
		const struct omx_peer_entry *e = &list->entries[i];

		memset(&peer, 0, sizeof(peer));
		peer.addr = e->addr;
		memcpy(peer.hostname, e->hostname, sizeof(peer.hostname));
		omx_mac_format(e->addr, mac);
		ret = omx_dev_cmd(dev, OMX_CMD_PEER_ADD, &peer);
		/* EEXIST: a local board the driver keeps across a clear */
		if (ret < 0 && ret != -EEXIST)
			omx_tool_fail("%s:%u: adding %s %s: %s (the table is left not configured)",
				      path, e->line, mac, e->hostname,
				      omx_dev_strerror(-ret));
		if (verbose)
			printf("%s %s\n", mac, e->hostname);
	}
	set_table_state(dev, true);
	if (verbose)
		printf("%zu peers loaded from %s\n", list->count, path);
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "clear", no_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool clear_only = false, verbose = false;
	struct omx_peers_error err;
	struct omx_peer_list list;
	struct omx_dev dev;
	const char *path;
	FILE *f;
	int c;

	omx_tool_set_name("omx_init_peers");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":cvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			clear_only = true;
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

	if (clear_only) {
		if (optind < argc)
			omx_tool_usage_error("-c takes no FILE (got '%s')",
					     argv[optind]);
		omx_dev_open(&dev);
		clear_table(&dev);
		set_table_state(&dev, false);
		omx_dev_close(&dev);
		return 0;
	}

	if (optind == argc)
		omx_tool_usage_error("missing FILE (see --help)");
	if (optind + 1 < argc)
		omx_tool_usage_error("unexpected argument '%s' after FILE",
				     argv[optind + 1]);
	path = argv[optind];

	f = fopen(path, "r");
	if (!f)
		omx_tool_fail("cannot open %s: %s", path, strerror(errno));
	omx_peer_list_init(&list);
	if (omx_peers_file_read(f, &list, &err)) {
		if (err.line)
			omx_tool_fail("%s:%u: %s", path, err.line, err.problem);
		omx_tool_fail("%s: %s", path, err.problem);
	}
	fclose(f);

	omx_dev_open(&dev);
	load_table(&dev, path, &list, verbose);
	omx_dev_close(&dev);
	omx_peer_list_free(&list);
	return 0;
}
