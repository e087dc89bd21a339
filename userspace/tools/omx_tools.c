// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * omx_tools.c - messages, number parsing and board addresses for the
 * Open-MX command-line tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omx_tools.h"

static const char *tool_name = "open-mx";

void omx_tool_set_name(const char *name)
{
	tool_name = name;
}

const char *omx_tool_name(void)
{
	return tool_name;
}

static void vmessage(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", tool_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

noreturn void omx_tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(OMX_TOOL_EXIT_USAGE);
}

noreturn void omx_tool_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
	exit(OMX_TOOL_EXIT_FAILURE);
}

void omx_tool_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage(fmt, ap);
	va_end(ap);
}

noreturn void omx_tool_bad_option(int c, int optopt_value, char *const argv[],
				  int optind_value)
{
	/*
	 * Name the option as the user typed it: optopt is 0 for an unknown
	 * long option, and the short equivalent for a known one.
	 */
	const char *typed = argv[optind_value - 1];
	bool is_long = typed && typed[0] == '-' && typed[1] == '-';

	if (is_long)
		optopt_value = 0;
	if (c == ':') {
		if (optopt_value)
			omx_tool_usage_error("option -%c needs an argument (see --help)",
					     optopt_value);
		omx_tool_usage_error("option %s needs an argument (see --help)",
				     typed);
	}
	if (optopt_value)
		omx_tool_usage_error("unknown option -%c (see --help)",
				     optopt_value);
	omx_tool_usage_error("unknown option %s (see --help)", typed);
}

int omx_tool_parse_u32(const char *s, uint32_t min, uint32_t max,
		       uint32_t *out)
{
	unsigned long long v;
	char *end;

	/* strtoull accepts blanks and a sign; a count or index never has one. */
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end != '\0' || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

uint32_t omx_tool_opt_u32(int opt, const char *what, const char *arg,
			  uint32_t min, uint32_t max)
{
	uint32_t v;

	if (omx_tool_parse_u32(arg, min, max, &v))
		omx_tool_usage_error("invalid %s '%s' for -%c (expected %u..%u)",
				     what, arg, opt, min, max);
	return v;
}

void omx_mac_format(uint64_t nic_id, char out[OMX_MAC_STRLEN])
{
	snprintf(out, OMX_MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 (unsigned int)(nic_id >> 40) & 0xff,
		 (unsigned int)(nic_id >> 32) & 0xff,
		 (unsigned int)(nic_id >> 24) & 0xff,
		 (unsigned int)(nic_id >> 16) & 0xff,
		 (unsigned int)(nic_id >> 8) & 0xff,
		 (unsigned int)nic_id & 0xff);
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int omx_mac_parse(const char *s, uint64_t *nic_id)
{
	uint64_t id = 0;
	int octet, digits, d;

	for (octet = 0; octet < 6; octet++) {
		unsigned int v = 0;

		if (octet > 0 && *s++ != ':')
			return -1;
		for (digits = 0; (d = hex_digit(*s)) >= 0; digits++, s++) {
			if (digits == 2)
				return -1;
			v = v << 4 | (unsigned int)d;
		}
		if (digits == 0)
			return -1;
		id = id << 8 | v;
	}
	if (*s != '\0')
		return -1;
	*nic_id = id;
	return 0;
}

bool omx_mac_is_board_addr(uint64_t nic_id)
{
	/* The group bit is the lowest bit of the first octet. */
	return nic_id != 0 && (nic_id & OMX_MAC_MASK) == nic_id &&
	       !((nic_id >> 40) & 1);
}
