/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_peers_file.h - the static peer table file read by omx_init_peers
 * (default /etc/open-mx/peers).
 *
 * One peer per line: a board address (six colon-separated hexadecimal
 * octets) and the board's hostname (usually "<host>:<interface number>"),
 * separated by spaces or tabs.  '#' starts a comment running to the end of
 * the line; blank lines are ignored.  Example:
 *
 *     # node1 and node2, interface eth2 of each
 *     00:1b:21:3a:00:01  node1:0
 *     00:1b:21:3a:00:02  node2:0
 *
 * The whole file is checked before anything is given to the driver, so a
 * typo cannot leave a half-loaded table behind.
 *
 * The format is Open-MX 1.5's (its README, section IV.b, and its
 * omx_init_peers.c: "%02x:%02x:%02x:%02x:%02x:%02x %s" per line, '#' lines
 * skipped): every file 1.5 reads as intended loads the same table here,
 * unless a hostname holds a '#'.
 * We are stricter on files 1.5 loads with losses or surprises, on
 * purpose: a third field (1.5 ignores it), the same MAC twice (1.5 warns
 * and keeps the first), the same hostname twice, a zero or multicast MAC,
 * a non-printable hostname are errors here; '#' starts a comment anywhere
 * (1.5: only first on a line, so "node#1" is a hostname there and "node"
 * here), and blank lines may hold spaces (1.5 refuses them).
 */
#ifndef OMX_PEERS_FILE_H
#define OMX_PEERS_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "omx_abi.h"

/* The driver's peer index is 16 bits wide. */
#define OMX_PEERS_FILE_MAX	65536

struct omx_peer_entry {
	uint64_t addr;
	char hostname[OMX_ABI_HOSTNAME_MAX];
	unsigned int line;
};

struct omx_peer_list {
	struct omx_peer_entry *entries;
	size_t count;
	size_t alloc;
	/* duplicate detection: open-addressing tables of entry index + 1 */
	uint32_t *by_addr;
	uint32_t *by_name;
	size_t buckets;			/* power of two, > 2 * count */
};

#define OMX_PEERS_PROBLEM_MAX	160

struct omx_peers_error {
	unsigned int line;		/* 0: not about one line (I/O, memory) */
	char problem[OMX_PEERS_PROBLEM_MAX];
};

void omx_peer_list_init(struct omx_peer_list *list);
void omx_peer_list_free(struct omx_peer_list *list);

/*
 * Read every line of @f into @list.  Returns 0, or -1 at the first bad line
 * (or I/O or memory failure) with @err describing it; @list then holds the
 * entries before it.
 */
int omx_peers_file_read(FILE *f, struct omx_peer_list *list,
			struct omx_peers_error *err);

/*
 * Check one line (modified in place: the comment is cut, fields are
 * NUL-terminated).  Returns 1 and fills @addr and @hostname for a peer,
 * 0 for a blank or comment line, -1 with @problem filled for a bad line.
 * Duplicates across lines are the business of omx_peers_file_read().
 */
int omx_peers_file_parse_line(char *line, uint64_t *addr,
			      char hostname[OMX_ABI_HOSTNAME_MAX],
			      char problem[OMX_PEERS_PROBLEM_MAX]);

#endif /* OMX_PEERS_FILE_H */
