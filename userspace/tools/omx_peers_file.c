// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_peers_file.c - parse and check a static peer table file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "omx_peers_file.h"
#include "omx_tools.h"

static const char blanks[] = " \t\r\f\v";

void omx_peer_list_init(struct omx_peer_list *list)
{
	memset(list, 0, sizeof(*list));
}

void omx_peer_list_free(struct omx_peer_list *list)
{
	free(list->entries);
	free(list->by_addr);
	free(list->by_name);
	omx_peer_list_init(list);
}

/* Next blank-separated field of *@cursor, NUL-terminated; NULL if none. */
static char *next_field(char **cursor)
{
	char *start = *cursor + strspn(*cursor, blanks);
	char *end;

	if (*start == '\0')
		return NULL;
	end = start + strcspn(start, blanks);
	if (*end != '\0')
		*end++ = '\0';
	*cursor = end;
	return start;
}

int omx_peers_file_parse_line(char *line, uint64_t *addr,
			      char hostname[OMX_ABI_HOSTNAME_MAX],
			      char problem[OMX_PEERS_PROBLEM_MAX])
{
	char *cursor = line, *mac, *name, *extra;
	char text[OMX_MAC_STRLEN];
	size_t len, i;

	line[strcspn(line, "#\n")] = '\0';
	mac = next_field(&cursor);
	if (!mac)
		return 0;
	name = next_field(&cursor);
	extra = next_field(&cursor);

	if (omx_mac_parse(mac, addr)) {
		snprintf(problem, OMX_PEERS_PROBLEM_MAX,
			 "invalid MAC address '%.40s' (expected 6 colon-separated hex octets)",
			 mac);
		return -1;
	}
	if (!omx_mac_is_board_addr(*addr)) {
		omx_mac_format(*addr, text);
		snprintf(problem, OMX_PEERS_PROBLEM_MAX,
			 "%s is not a board address (zero or multicast)", text);
		return -1;
	}
	if (!name) {
		snprintf(problem, OMX_PEERS_PROBLEM_MAX,
			 "missing hostname after the MAC address");
		return -1;
	}
	len = strlen(name);
	if (len >= OMX_ABI_HOSTNAME_MAX) {
		snprintf(problem, OMX_PEERS_PROBLEM_MAX,
			 "hostname '%.32s...' is longer than %d characters",
			 name, OMX_ABI_HOSTNAME_MAX - 1);
		return -1;
	}
	for (i = 0; i < len; i++) {
		/* Plain ASCII: names travel in HOST_REPLY frames and logs. */
		if (name[i] < '!' || name[i] > '~') {
			snprintf(problem, OMX_PEERS_PROBLEM_MAX,
				 "hostname has a non-printable character at position %zu",
				 i + 1);
			return -1;
		}
	}
	if (extra) {
		snprintf(problem, OMX_PEERS_PROBLEM_MAX,
			 "unexpected '%.40s' after the hostname", extra);
		return -1;
	}
	memcpy(hostname, name, len + 1);
	return 1;
}

/* ------------------------------------------------------------------------
 * Duplicate detection: two open-addressing hash sets of entry indexes, so
 * that a 65536-line file is checked in linear time.
 */
static uint64_t hash_addr(uint64_t a)
{
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	return a;
}

static uint64_t hash_name(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s) {
		h ^= (unsigned char)*s++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Slot of @e's key in @table: the entry equal to it, or an empty slot. */
static size_t find_slot(const struct omx_peer_list *list, const uint32_t *table,
			const struct omx_peer_entry *e, int by_name)
{
	size_t mask = list->buckets - 1;
	size_t slot = (by_name ? hash_name(e->hostname) : hash_addr(e->addr)) & mask;

	for (;; slot = (slot + 1) & mask) {
		const struct omx_peer_entry *o;

		if (!table[slot])
			return slot;
		o = &list->entries[table[slot] - 1];
		if (by_name ? !strcmp(o->hostname, e->hostname) : o->addr == e->addr)
			return slot;
	}
}

static int rehash(struct omx_peer_list *list, size_t buckets)
{
	uint32_t *by_addr = calloc(buckets, sizeof(*by_addr));
	uint32_t *by_name = calloc(buckets, sizeof(*by_name));
	size_t i;

	if (!by_addr || !by_name) {
		free(by_addr);
		free(by_name);
		return -1;
	}
	free(list->by_addr);
	free(list->by_name);
	list->by_addr = by_addr;
	list->by_name = by_name;
	list->buckets = buckets;
	for (i = 0; i < list->count; i++) {
		const struct omx_peer_entry *e = &list->entries[i];

		by_addr[find_slot(list, by_addr, e, 0)] = (uint32_t)i + 1;
		by_name[find_slot(list, by_name, e, 1)] = (uint32_t)i + 1;
	}
	return 0;
}

/* Append @e unless its address or name is taken: 0, 1 (duplicate), -1. */
static int add_entry(struct omx_peer_list *list, const struct omx_peer_entry *e,
		     struct omx_peers_error *err)
{
	size_t sa, sn;

	if (list->count == list->alloc) {
		size_t n = list->alloc ? list->alloc * 2 : 64;
		struct omx_peer_entry *v = realloc(list->entries, n * sizeof(*v));

		if (!v)
			return -1;
		list->entries = v;
		list->alloc = n;
	}
	if ((list->count + 1) * 2 > list->buckets &&
	    rehash(list, list->buckets ? list->buckets * 2 : 256))
		return -1;

	sa = find_slot(list, list->by_addr, e, 0);
	if (list->by_addr[sa]) {
		char text[OMX_MAC_STRLEN];

		omx_mac_format(e->addr, text);
		snprintf(err->problem, sizeof(err->problem),
			 "MAC address %s is already on line %u", text,
			 list->entries[list->by_addr[sa] - 1].line);
		return 1;
	}
	sn = find_slot(list, list->by_name, e, 1);
	if (list->by_name[sn]) {
		snprintf(err->problem, sizeof(err->problem),
			 "hostname '%s' is already on line %u", e->hostname,
			 list->entries[list->by_name[sn] - 1].line);
		return 1;
	}
	list->entries[list->count++] = *e;
	list->by_addr[sa] = (uint32_t)list->count;
	list->by_name[sn] = (uint32_t)list->count;
	return 0;
}

int omx_peers_file_read(FILE *f, struct omx_peer_list *list,
			struct omx_peers_error *err)
{
	struct omx_peer_entry e;
	char *line = NULL;
	size_t size = 0;
	int ret = 0, r;

	err->line = 0;
	err->problem[0] = '\0';
	for (e.line = 1; getline(&line, &size, f) >= 0; e.line++) {
		r = omx_peers_file_parse_line(line, &e.addr, e.hostname,
					      err->problem);
		if (r == 0)
			continue;
		if (r < 0)
			goto bad_line;
		if (list->count == OMX_PEERS_FILE_MAX) {
			snprintf(err->problem, sizeof(err->problem),
				 "more than %d peers (the peer index is 16 bits)",
				 OMX_PEERS_FILE_MAX);
			goto bad_line;
		}
		r = add_entry(list, &e, err);
		if (r > 0)
			goto bad_line;
		if (r < 0) {
			snprintf(err->problem, sizeof(err->problem),
				 "out of memory at line %u", e.line);
			ret = -1;
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err->problem, sizeof(err->problem), "read error: %s",
			 strerror(errno));
		ret = -1;
	}
	goto out;

bad_line:
	err->line = e.line;
	ret = -1;
out:
	free(line);
	return ret;
}
