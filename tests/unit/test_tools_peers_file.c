// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_peers_file.c - the static peer table file of omx_init_peers:
 * what is accepted, and which line and problem a bad file is reported with.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_peers_file.h"
#include "tap.h"

/* Parse @text; returns the result, @list and @err filled. */
static int parse(const char *text, struct omx_peer_list *list,
		 struct omx_peers_error *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f) {
		perror("fmemopen");
		exit(99);
	}
	omx_peer_list_init(list);
	ret = omx_peers_file_read(f, list, err);
	fclose(f);
	return ret;
}

/* @text must fail at @line with a problem containing @what. */
static void rejects(const char *name, const char *text, unsigned int line,
		    const char *what)
{
	struct omx_peer_list list;
	struct omx_peers_error err;
	int ret = parse(text, &list, &err);

	tap_ok(ret == -1 && err.line == line && strstr(err.problem, what),
	       "%s: line %u, '%s' (got %d, line %u, '%s')", name, line, what,
	       ret, err.line, err.problem);
	omx_peer_list_free(&list);
}

static void accepts_good_file(void)
{
	const char *text =
		"# peers of the test fabric\n"
		"\n"
		"00:1b:21:3a:00:01 node1:0\n"
		"  \t\n"
		"0:1B:21:3a:0:2\tnode2:0   # trailing comment\n"
		"a0:b0:c0:d0:e0:f0  localhost\r\n"
		"02:00:00:00:00:04 node4:1";	/* no final newline */
	struct omx_peer_list list;
	struct omx_peers_error err;
	int ret = parse(text, &list, &err);

	tap_is(ret, 0, "comments, blank lines, tabs, CRLF and a missing final newline are fine");
	tap_is(list.count, 4, "four peers read");
	if (list.count == 4) {
		tap_ok(list.entries[0].addr == 0x001b213a0001ULL &&
		       !strcmp(list.entries[0].hostname, "node1:0") &&
		       list.entries[0].line == 3, "first peer, from line 3");
		tap_ok(list.entries[1].addr == 0x001b213a0002ULL &&
		       !strcmp(list.entries[1].hostname, "node2:0") &&
		       list.entries[1].line == 5,
		       "short octets and a comment after the hostname");
		tap_ok(!strcmp(list.entries[2].hostname, "localhost"),
		       "CR is not part of the hostname");
		tap_ok(list.entries[3].line == 7 &&
		       !strcmp(list.entries[3].hostname, "node4:1"),
		       "last line without newline");
	}
	omx_peer_list_free(&list);

	ret = parse("", &list, &err);
	tap_ok(ret == 0 && list.count == 0, "an empty file is an empty table");
	omx_peer_list_free(&list);
}

static void rejects_bad_lines(void)
{
	char text[512];

	rejects("bad MAC", "00:1b:21:3a:00:01 node1:0\n\n00:1b:21:3a:00 node2:0\n",
		3, "invalid MAC address '00:1b:21:3a:00'");
	rejects("fields swapped", "node1:0 00:1b:21:3a:00:01\n", 1,
		"invalid MAC address 'node1:0'");
	rejects("no hostname", "00:1b:21:3a:00:01\n", 1,
		"missing hostname");
	rejects("no hostname, comment", "00:1b:21:3a:00:01 # node1:0\n", 1,
		"missing hostname");
	rejects("third field", "00:1b:21:3a:00:01 node1:0 extra\n", 1,
		"unexpected 'extra' after the hostname");
	rejects("multicast", "01:00:5e:00:00:01 group\n", 1,
		"01:00:5e:00:00:01 is not a board address");
	rejects("zero", "0:0:0:0:0:0 nobody\n", 1, "is not a board address");
	rejects("control character", "00:1b:21:3a:00:01 no\001de\n", 1,
		"non-printable character at position 3");

	/* 79 characters fit in the driver's 80-octet name, 80 do not */
	snprintf(text, sizeof(text), "00:1b:21:3a:00:01 %.79s\n",
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
	{
		struct omx_peer_list list;
		struct omx_peers_error err;

		tap_is(parse(text, &list, &err), 0, "a 79-character hostname is accepted");
		omx_peer_list_free(&list);
	}
	snprintf(text, sizeof(text), "00:1b:21:3a:00:01 %.80s\n",
		 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn");
	rejects("80-character hostname", text, 1, "longer than 79 characters");

	rejects("same MAC twice",
		"00:1b:21:3a:00:01 node1:0\n00:1b:21:3a:00:02 node2:0\n"
		"00:1B:21:3A:00:01 node3:0\n",
		3, "MAC address 00:1b:21:3a:00:01 is already on line 1");
	rejects("same hostname twice",
		"00:1b:21:3a:00:01 node1:0\n# comment\n00:1b:21:3a:00:02 node1:0\n",
		3, "hostname 'node1:0' is already on line 1");
	rejects("first bad line wins",
		"00:1b:21:3a:00:01 node1:0\n00:1b:21:3a:00:01 node2:0\nbad line\n",
		2, "already on line 1");
}

/* The driver's peer index is 16 bits: 65536 peers fit, one more does not. */
static void checks_size_limit(void)
{
	size_t n = OMX_PEERS_FILE_MAX + 1, i, len = 0;
	struct omx_peer_list list;
	struct omx_peers_error err;
	char *text = malloc(n * 40);
	int ret;

	if (!text)
		exit(99);
	for (i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "02:00:00:%02zx:%02zx:%02zx h%zu\n",
				       (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, i);

	ret = parse(text, &list, &err);
	tap_ok(ret == -1 && err.line == OMX_PEERS_FILE_MAX + 1 &&
	       strstr(err.problem, "more than 65536 peers"),
	       "line 65537 is one peer too many (got line %u, '%s')", err.line,
	       err.problem);
	tap_is(list.count, OMX_PEERS_FILE_MAX, "the 65536 before it were all distinct");
	omx_peer_list_free(&list);
	free(text);
}

int main(void)
{
	accepts_good_file();
	rejects_bad_lines();
	checks_size_limit();
	return tap_done();
}
