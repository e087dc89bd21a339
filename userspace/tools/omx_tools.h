/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_tools.h - what every Open-MX command-line tool shares: error
 * reporting with the documented exit statuses, option parsing, and the
 * textual form of board addresses.
 *
 * Exit statuses of every tool:
 *   0  success
 *   1  runtime failure (driver missing, ioctl refused, peer unreachable...)
 *   2  usage error (bad option, bad argument); nothing was changed
 */
#ifndef OMX_TOOLS_H
#define OMX_TOOLS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>

#define OMX_TOOL_EXIT_FAILURE	1
#define OMX_TOOL_EXIT_USAGE	2

/* ------------------------------------------------------------------------
 * Messages.  Each is one line on stderr, prefixed with the tool's name.
 */
void omx_tool_set_name(const char *name);
const char *omx_tool_name(void);

__attribute__((format(printf, 1, 2)))
noreturn void omx_tool_usage_error(const char *fmt, ...);

__attribute__((format(printf, 1, 2)))
noreturn void omx_tool_fail(const char *fmt, ...);

__attribute__((format(printf, 1, 2)))
void omx_tool_warn(const char *fmt, ...);

/*
 * Turn getopt_long()'s '?' or ':' (the option string must start with ':')
 * into a usage error naming the option.
 */
noreturn void omx_tool_bad_option(int c, int optopt_value, char *const argv[],
				  int optind_value);

/* ------------------------------------------------------------------------
 * Numbers
 */

/*
 * Parse a decimal number in [min, max].  No sign, no blanks, no suffix.
 * Returns 0, or -1 if @s is not such a number.
 */
int omx_tool_parse_u32(const char *s, uint32_t min, uint32_t max,
		       uint32_t *out);

/*
 * The same for the argument of option @opt: on failure, a usage error such
 * as "invalid board index 'x' for -b (expected 0..31)".
 */
uint32_t omx_tool_opt_u32(int opt, const char *what, const char *arg,
			  uint32_t min, uint32_t max);

/* ------------------------------------------------------------------------
 * Board addresses ("NIC ids"): the MAC in bits 47..0, first octet in 47..40
 */
#define OMX_MAC_STRLEN		18	/* "xx:xx:xx:xx:xx:xx" + NUL */
#define OMX_MAC_MASK		0xffffffffffffULL

/* Lower-case, two digits per octet. */
void omx_mac_format(uint64_t nic_id, char out[OMX_MAC_STRLEN]);

/*
 * Parse six colon-separated hexadecimal octets of one or two digits each
 * ("0:1b:21:a:b:c" is accepted).  Returns 0, or -1 on anything else.
 */
int omx_mac_parse(const char *s, uint64_t *nic_id);

/* A board address: not zero, not a group (multicast/broadcast) address. */
bool omx_mac_is_board_addr(uint64_t nic_id);

#endif /* OMX_TOOLS_H */
