// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_mac.c - board addresses and numbers as the tools read and
 * print them (userspace/tools/omx_tools.c).
 */
#include <string.h>

#include "omx_tools.h"
#include "tap.h"

static void format_is(uint64_t id, const char *want)
{
	char got[OMX_MAC_STRLEN];

	omx_mac_format(id, got);
	tap_ok(!strcmp(got, want), "0x%llx prints as %s (got %s)",
	       (unsigned long long)id, want, got);
}

static void parse_is(const char *s, uint64_t want)
{
	uint64_t got = 0;
	int ret = omx_mac_parse(s, &got);

	tap_ok(ret == 0 && got == want, "'%s' parses as 0x%012llx", s,
	       (unsigned long long)want);
}

static void parse_rejects(const char *s)
{
	uint64_t got = 0x1234;
	int ret = omx_mac_parse(s, &got);

	tap_ok(ret == -1 && got == 0x1234, "'%s' is rejected, output untouched", s);
}

static void u32_is(const char *s, uint32_t min, uint32_t max, uint32_t want)
{
	uint32_t got = 0;

	tap_ok(omx_tool_parse_u32(s, min, max, &got) == 0 && got == want,
	       "'%s' in %u..%u reads %u", s, min, max, want);
}

static void u32_rejects(const char *s, uint32_t min, uint32_t max)
{
	uint32_t got = 77;

	tap_ok(omx_tool_parse_u32(s, min, max, &got) == -1 && got == 77,
	       "'%s' is not a number in %u..%u", s, min, max);
}

int main(void)
{
	char buf[OMX_MAC_STRLEN];
	uint64_t id;

	/* Printing: first octet from bits 47..40, two lower-case digits */
	format_is(0x001b213a0001ULL, "00:1b:21:3a:00:01");
	format_is(0xa0b0c0d0e0f0ULL, "a0:b0:c0:d0:e0:f0");
	format_is(0, "00:00:00:00:00:00");
	format_is(0xffff001b213a0001ULL, "00:1b:21:3a:00:01");	/* bits 63..48 ignored */

	/* Reading: 1 or 2 hex digits per octet, any case */
	parse_is("00:1b:21:3a:00:01", 0x001b213a0001ULL);
	parse_is("0:1b:21:a:b:c", 0x001b210a0b0cULL);
	parse_is("AA:bb:Cc:dD:EE:ff", 0xaabbccddeeffULL);
	parse_is("ff:ff:ff:ff:ff:ff", 0xffffffffffffULL);

	parse_rejects("");
	parse_rejects("00:1b:21:3a:00");		/* five octets */
	parse_rejects("00:1b:21:3a:00:01:02");		/* seven */
	parse_rejects("000:1b:21:3a:00:01");		/* three digits */
	parse_rejects("00-1b-21-3a-00-01");
	parse_rejects("00:1b:21:3a:00:0g");
	parse_rejects("00:1b::3a:00:01");
	parse_rejects(" 00:1b:21:3a:00:01");
	parse_rejects("00:1b:21:3a:00:01 ");
	parse_rejects("00:1b:21:3a:00:");
	parse_rejects("node1:0");

	/* What is printed reads back as the same address */
	omx_mac_format(0x0242ac110002ULL, buf);
	tap_ok(omx_mac_parse(buf, &id) == 0 && id == 0x0242ac110002ULL,
	       "format then parse gives the address back");

	/* Board addresses: unicast, not zero, 48 bits */
	tap_ok(omx_mac_is_board_addr(0x001b213a0001ULL), "00:1b:21:3a:00:01 is a board address");
	tap_ok(omx_mac_is_board_addr(0x020000000001ULL), "a locally administered address is a board address");
	tap_ok(!omx_mac_is_board_addr(0), "zero is not a board address");
	tap_ok(!omx_mac_is_board_addr(0xffffffffffffULL), "broadcast is not a board address");
	tap_ok(!omx_mac_is_board_addr(0x01005e000001ULL), "multicast is not a board address");
	tap_ok(!omx_mac_is_board_addr(0x1001b213a0001ULL), "an id wider than 48 bits is not a board address");

	/* Numbers of options: decimal only, within bounds */
	u32_is("0", 0, 10, 0);
	u32_is("10", 0, 10, 10);
	u32_is("08", 0, 10, 8);			/* decimal, not octal */
	u32_is("4294967295", 0, UINT32_MAX, UINT32_MAX);
	u32_rejects("11", 0, 10);
	u32_rejects("1", 2, 10);
	u32_rejects("4294967296", 0, UINT32_MAX);
	u32_rejects("99999999999999999999999", 0, UINT32_MAX);
	u32_rejects("", 0, 10);
	u32_rejects("-1", 0, 10);
	u32_rejects("+1", 0, 10);
	u32_rejects(" 1", 0, 10);
	u32_rejects("1 ", 0, 10);
	u32_rejects("0x1", 0, 10);
	u32_rejects("1k", 0, 10000);

	return tap_done();
}
