/* SPDX-License-Identifier: MIT */
/*
 * xen2mx-attach, xen2mx-detach - plug a xen2mx device into a guest, or
 * unplug it, writing the xenstore nodes libxl writes for the PV device
 * types it knows.  Run in dom0.
 *
 * One binary, two names: the basename of argv[0] chooses the behaviour.
 *
 *   xen2mx-attach DOMAIN [--devid N] [--ring-page-order K] [--wait S]
 *                 [--mac XX:XX:XX:XX:XX:XX] [--board IFNAME] [--hostname NAME]
 *                 [--max-endpoints N] [--max-grants N]
 *   xen2mx-detach DOMAIN [--devid N] [--timeout S]
 *
 * Attach writes both halves of the device in ONE xenstore transaction:
 *
 *   /local/domain/0/backend/xen2mx/<domid>/<devid>/   owner dom0, guest reads
 *       frontend  frontend-id  online=1  [mac] [board] [hostname]
 *       [max-endpoints] [max-grants]  state=1
 *   /local/domain/<domid>/device/xen2mx/<devid>/       owner guest, dom0 reads
 *       backend  backend-id=0  [requested-ring-page-order=K]  state=1
 *
 * The bracketed nodes are written only when their option is given; when
 * absent the backend applies its default (doc/ring-protocol.md 2.1): a MAC
 * derived from domid and devid, its first board, "<guest name>:<devid>",
 * 8 endpoints, 65536 grants.  Their values are checked here (exit 2) only
 * for form: whether the board exists is the backend's business at connect.
 *
 * The two state nodes are what make the xenbus buses probe, so a half
 * written device must never become visible: the transaction commits
 * everything (permissions included) or nothing.
 *
 * Detach is libxl's graceful removal: online=0 and state=Closing on the
 * backend in one transaction (the frontend sees Closing and closes, the
 * backend sees the frontend Closed and, being offline, goes Closed and lets
 * go of the device), a bounded wait for the backend's Closed, then both
 * directories removed in one transaction, whether the wait succeeded or not.
 *
 * Exit status: 0 done; 1 failed; 2 bad command line.  Every failure is one
 * line on stderr that starts with the tool's name; a failure before the
 * commit aborts the transaction, so xenstore is left exactly as it was.
 * Past the commit, a failed "attach --wait" leaves the device attached for
 * inspection, and a backend that does not close in time is only a warning:
 * detach removes the device anyway and exits 0.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>
#include <xen/io/xenbus.h>

#include "../shared/omx_abi.h"
#include "../shared/xen2mx_proto.h"

enum { RC_OK = 0, RC_FAIL = 1, RC_USAGE = 2 };

#define BACKEND_DOMID	0u
#define GUEST_DOMID_MAX	0x7FEFu	/* DOMID_FIRST_RESERVED - 1 */
#define DEVID_MAX	((unsigned long)INT_MAX)	/* libxl's devid is an int */
#define SECONDS_MAX	86400ul
#define DEFAULT_DETACH_TIMEOUT_S 10ul	/* what libxl gives a backend */
#define TXN_ATTEMPTS	100	/* EAGAIN retries before giving up */
#define WAIT_POLL_MS	250	/* re-read even if a watch event got lost */
#define PATH_LEN	128
#define NAME_LEN	64
/* Per-guest limits and board names (doc/ring-protocol.md 2.1) */
#define MAX_ENDPOINTS_MAX	255ul	/* the wire's endpoint index is 8 bits */
#define MAX_GRANTS_MAX		1048576ul
#define IFNAME_MAX	(OMX_ABI_IFNAMSIZ - 1)		/* 15: Linux's IFNAMSIZ - 1 */
#define HOSTNAME_MAX	(OMX_ABI_HOSTNAME_MAX - 1)	/* 79 */
#define MAC_LEN		6
#define MAC_STRLEN	18				/* "xx:xx:xx:xx:xx:xx" + NUL */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Where the backend module shows up once loaded. */
static const char *const backend_driver_markers[] = {
	"/sys/bus/xen-backend/drivers/" XEN2MX_DEVICE_TYPE,
	"/sys/module/xen2mx_back",
};

/* Prefix of every message: the canonical name, not whatever argv[0] was. */
static const char *prog = "xen2mx-attach";

static void vreport(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/* Reports a failure and returns rc, for "return fail(...)". */
static int fail(int rc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
	return rc;
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------------
 * Command line
 */
struct options {
	bool detach;
	bool help;
	const char *domain;		/* name or domid, as typed */
	unsigned long devid;
	bool order_given;		/* else the frontend negotiates */
	unsigned long ring_page_order;
	unsigned long wait_s;		/* attach: 0 = return after the commit */
	unsigned long timeout_s;	/* detach: time the backend gets to close */
	/* The guest's board; each is left to the backend unless given. */
	bool mac_given;
	unsigned char mac[MAC_LEN];
	const char *board;		/* NULL: the backend's first board */
	const char *hostname;		/* NULL: "<guest name>:<devid>" */
	bool max_endpoints_given;
	unsigned long max_endpoints;
	bool max_grants_given;
	unsigned long max_grants;
};

/*
 * An option's value is an integer min..max stored in *value, or, with
 * parse set, a text that parse checks and stores in *out; parse returns
 * NULL, or why the text is wrong (the rest of the one-line message).
 */
typedef const char *(*text_parser)(const char *text, void *out);

struct value_option {
	const char *name;
	unsigned long min, max;
	unsigned long *value;
	text_parser parse;
	void *out;
	bool *given;			/* may be NULL */
};

/*
 * Decimal digits only, at most max.  strtoul() alone would take "-1" (as
 * ULONG_MAX), "+1", " 1" and "1x", none of which is a sensible device id.
 */
static bool parse_number(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++) {
		unsigned long digit;

		if (*s < '0' || *s > '9')
			return false;
		digit = (unsigned long)(*s - '0');
		if (digit > max || v > (max - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*out = v;
	return true;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * --mac: six octets of two hexadecimal digits (either case) separated by
 * colons; a board address, so unicast and not all-zero.  out: MAC_LEN octets.
 */
static const char *parse_mac(const char *s, void *out)
{
	unsigned char mac[MAC_LEN];
	bool zero = true;

	for (int i = 0; i < MAC_LEN; i++) {
		const char *octet = s + 3 * i;
		int hi = hex_value(octet[0]);
		int lo = hi < 0 ? -1 : hex_value(octet[1]);

		/* octet[2] is read only when octet[0..1] were not the end */
		if (lo < 0 || octet[2] != (i == MAC_LEN - 1 ? '\0' : ':'))
			return "expected six hexadecimal octets XX:XX:XX:XX:XX:XX";
		mac[i] = (unsigned char)(hi << 4 | lo);
		zero = zero && mac[i] == 0;
	}
	if (mac[0] & 0x01)
		return "a multicast address (low bit of the first octet set); a board needs a unicast one";
	if (zero)
		return "the all-zero address is no board's address";
	memcpy(out, mac, sizeof(mac));
	return NULL;
}

static void format_mac(const unsigned char mac[MAC_LEN], char out[MAC_STRLEN])
{
	snprintf(out, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* Why character c may not be in a name, or NULL; c in printable ASCII passes. */
static const char *bad_char(unsigned char c, const char *what)
{
	static char why[96];

	if (c == ' ')
		snprintf(why, sizeof(why), "a space cannot be part of %s", what);
	else if (c < 0x20 || c >= 0x7f)
		snprintf(why, sizeof(why), "character 0x%02x cannot be part of %s "
			 "(printable ASCII only)", c, what);
	else
		return NULL;
	return why;
}

/*
 * --board: a Linux interface name (dev_valid_name(): 1..IFNAMSIZ-1
 * characters, not "." or "..", no '/', ':' or white space), kept to
 * printable ASCII.  out: const char *.
 */
static const char *parse_board(const char *s, void *out)
{
	static char why[64];
	size_t len = strlen(s);

	if (len == 0 || len > IFNAME_MAX) {
		snprintf(why, sizeof(why), "expected an interface name of 1..%d characters",
			 IFNAME_MAX);
		return why;
	}
	if (strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return "'.' and '..' are not interface names";
	for (const char *c = s; *c; c++) {
		const char *bad = bad_char((unsigned char)*c, "an interface name");

		if (bad)
			return bad;
		if (*c == '/' || *c == ':') {
			snprintf(why, sizeof(why), "'%c' cannot be part of an interface name",
				 *c);
			return why;
		}
	}
	*(const char **)out = s;
	return NULL;
}

/* --hostname: the peer-table name, 1..79 printable ASCII, no space.  out: const char *. */
static const char *parse_hostname(const char *s, void *out)
{
	static char why[64];
	size_t len = strlen(s);

	if (len == 0 || len > HOSTNAME_MAX) {
		snprintf(why, sizeof(why), "expected a name of 1..%d characters",
			 HOSTNAME_MAX);
		return why;
	}
	for (const char *c = s; *c; c++) {
		const char *bad = bad_char((unsigned char)*c, "a hostname");

		if (bad)
			return bad;
	}
	*(const char **)out = s;
	return NULL;
}

/*
 * A value as quoted in a message: bytes outside printable ASCII become '?',
 * so that the report stays one line whatever was typed.
 */
static const char *shown(const char *value)
{
	static char buf[256];
	size_t i;

	for (i = 0; value[i] && i < sizeof(buf) - 1; i++)
		buf[i] = value[i] >= 0x20 && value[i] < 0x7f ? value[i] : '?';
	buf[i] = '\0';
	return buf;
}

/* Matches "--name" and "--name=value"; *inline_value is set for the latter. */
static const struct value_option *find_option(const struct value_option *opts,
					      size_t n, const char *arg,
					      const char **inline_value)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(opts[i].name);

		if (strncmp(arg, opts[i].name, len) != 0)
			continue;
		if (arg[len] == '\0') {
			*inline_value = NULL;
			return &opts[i];
		}
		if (arg[len] == '=') {
			*inline_value = arg + len + 1;
			return &opts[i];
		}
	}
	return NULL;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	const struct value_option attach_opts[] = {
		{ .name = "--devid", .max = DEVID_MAX, .value = &o->devid },
		{ .name = "--ring-page-order", .max = XEN2MX_MAX_RING_PAGE_ORDER,
		  .value = &o->ring_page_order, .given = &o->order_given },
		{ .name = "--wait", .max = SECONDS_MAX, .value = &o->wait_s },
		{ .name = "--mac", .parse = parse_mac, .out = o->mac,
		  .given = &o->mac_given },
		{ .name = "--board", .parse = parse_board, .out = &o->board },
		{ .name = "--hostname", .parse = parse_hostname, .out = &o->hostname },
		{ .name = "--max-endpoints", .min = 1, .max = MAX_ENDPOINTS_MAX,
		  .value = &o->max_endpoints, .given = &o->max_endpoints_given },
		{ .name = "--max-grants", .min = 1, .max = MAX_GRANTS_MAX,
		  .value = &o->max_grants, .given = &o->max_grants_given },
	};
	const struct value_option detach_opts[] = {
		{ .name = "--devid", .max = DEVID_MAX, .value = &o->devid },
		{ .name = "--timeout", .max = SECONDS_MAX, .value = &o->timeout_s },
	};
	const struct value_option *opts = o->detach ? detach_opts : attach_opts;
	size_t nopts = o->detach ? ARRAY_SIZE(detach_opts) : ARRAY_SIZE(attach_opts);
	bool options_done = false;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct value_option *opt;
		const char *value;

		if (options_done || arg[0] != '-') {
			if (o->domain)
				return fail(RC_USAGE, "unexpected argument '%s' (try --help)",
					    arg);
			o->domain = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
			continue;
		}
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			o->help = true;
			return RC_OK;
		}
		opt = find_option(opts, nopts, arg, &value);
		if (!opt)
			return fail(RC_USAGE, "unknown option '%s' (try --help)", arg);
		if (!value) {
			if (i + 1 == argc)
				return fail(RC_USAGE, "option %s needs a value", opt->name);
			value = argv[++i];
		}
		if (opt->parse) {
			const char *why = opt->parse(value, opt->out);

			if (why)
				return fail(RC_USAGE, "invalid %s '%s': %s", opt->name,
					    shown(value), why);
		} else if (!parse_number(value, opt->max, opt->value) ||
			   *opt->value < opt->min) {
			return fail(RC_USAGE, "invalid %s '%s': expected an integer %lu..%lu",
				    opt->name, shown(value), opt->min, opt->max);
		}
		if (opt->given)
			*opt->given = true;
	}
	if (!o->domain)
		return fail(RC_USAGE, "missing DOMAIN (try --help)");
	return RC_OK;
}

static void print_usage(bool detach)
{
	if (detach)
		printf("Usage: xen2mx-detach DOMAIN [--devid N] [--timeout S]\n"
		       "Detach xen2mx device N from guest DOMAIN (a name or a domid; a domid\n"
		       "also cleans up the backend nodes of a domain that is gone).  The\n"
		       "backend is asked to close; once it is Closed, or after S seconds,\n"
		       "both halves of the device are removed from xenstore.\n"
		       "  --devid N            device id (default 0)\n"
		       "  --timeout S          seconds the backend gets to close (default %lu)\n",
		       DEFAULT_DETACH_TIMEOUT_S);
	else
		printf("Usage: xen2mx-attach DOMAIN [--devid N] [--ring-page-order K] [--wait S]\n"
		       "                     [--mac XX:XX:XX:XX:XX:XX] [--board IFNAME] [--hostname NAME]\n"
		       "                     [--max-endpoints N] [--max-grants N]\n"
		       "Attach xen2mx device N to guest DOMAIN (a name or a domid): its frontend\n"
		       "and backend xenstore nodes are written in one transaction.\n"
		       "  --devid N            device id (default 0)\n"
		       "  --ring-page-order K  make the frontend use rings of 2^K pages (0..%u);\n"
		       "                       default: negotiated with the backend\n"
		       "  --wait S             wait up to S seconds for both ends to be\n"
		       "                       Connected (default 0: do not wait)\n"
		       "The guest's Open-MX board (each left to the backend unless given):\n"
		       "  --mac MAC            its address (NIC id), unicast, not all-zero;\n"
		       "                       default 02:58:4d:<domid hi>:<domid lo>:<devid lo>\n"
		       "  --board IFNAME       the dom0 interface it rides on (1..%d characters);\n"
		       "                       default: the backend's first board\n"
		       "  --hostname NAME      its peer-table name (1..%d printable characters,\n"
		       "                       no space); default <guest name>:<devid>\n"
		       "  --max-endpoints N    endpoints it may open (1..%lu; default 8)\n"
		       "  --max-grants N       grant references the backend holds for it:\n"
		       "                       endpoint pages and region pieces (1..%lu;\n"
		       "                       default 65536)\n",
		       XEN2MX_MAX_RING_PAGE_ORDER, IFNAME_MAX, HOSTNAME_MAX,
		       MAX_ENDPOINTS_MAX, MAX_GRANTS_MAX);
	printf("  -h, --help           show this help\n"
	       "Exit status: 0 done, 1 failed, 2 bad command line.\n");
}

/* ------------------------------------------------------------------------
 * Small xenstore helpers.  Each reports its own failure.
 */
static bool format_path(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool format_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_LEN, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_LEN) {
		fail(RC_FAIL, "internal error: xenstore path too long");
		return false;
	}
	return true;
}

/* 1: present, 0: absent, -1: xenstore error (reported). */
static int xs_exists(struct xs_handle *xs, xs_transaction_t t, const char *path)
{
	unsigned int len;
	void *value = xs_read(xs, t, path, &len);

	if (value) {
		free(value);
		return 1;
	}
	if (errno == ENOENT)
		return 0;
	fail(RC_FAIL, "cannot read %s: %s", path, strerror(errno));
	return -1;
}

/* A xenbus state node; absent or garbled reads as Unknown. */
static unsigned long read_state(struct xs_handle *xs, xs_transaction_t t,
				const char *dir)
{
	char path[PATH_LEN];
	unsigned long state = XenbusStateUnknown;
	char *value;

	if (snprintf(path, sizeof(path), "%s/state", dir) >= (int)sizeof(path))
		return XenbusStateUnknown;
	value = xs_read(xs, t, path, NULL);
	if (value && !parse_number(value, XenbusStateReconfigured, &state))
		state = XenbusStateUnknown;
	free(value);
	return state;
}

static const char *state_name(unsigned long state)
{
	static const char *const names[] = {
		"Unknown", "Initialising", "InitWait", "Initialised", "Connected",
		"Closing", "Closed", "Reconfiguring", "Reconfigured",
	};

	return state < ARRAY_SIZE(names) ? names[state] : "?";
}

static int write_node(struct xs_handle *xs, xs_transaction_t t,
		      const char *dir, const char *name, const char *value,
		      struct xs_permissions *perms, unsigned int nperms)
{
	char path[PATH_LEN];

	if (!format_path(path, "%s/%s", dir, name))
		return RC_FAIL;
	if (!xs_write(xs, t, path, value, (unsigned int)strlen(value)))
		return fail(RC_FAIL, "cannot write %s: %s", path, strerror(errno));
	/* Set explicitly rather than trusting inheritance from the directory. */
	if (perms && !xs_set_permissions(xs, t, path, perms, nperms))
		return fail(RC_FAIL, "cannot set permissions of %s: %s", path,
			    strerror(errno));
	return RC_OK;
}

static int make_dir(struct xs_handle *xs, xs_transaction_t t, const char *path,
		    struct xs_permissions *perms, unsigned int nperms)
{
	if (!xs_mkdir(xs, t, path))
		return fail(RC_FAIL, "cannot create %s: %s", path, strerror(errno));
	if (!xs_set_permissions(xs, t, path, perms, nperms))
		return fail(RC_FAIL, "cannot set permissions of %s: %s", path,
			    strerror(errno));
	return RC_OK;
}

/*
 * Creates the directories between root (exclusive) and dir (exclusive)
 * that do not exist yet, with perms.  Left alone, xs_mkdir would create
 * them with whatever their parent has, which for a fresh dom0 or a guest
 * not made by libxl may not be what the driver on each side needs.
 */
static int make_parents(struct xs_handle *xs, xs_transaction_t t,
			const char *root, const char *dir,
			struct xs_permissions *perms, unsigned int nperms)
{
	char path[PATH_LEN];
	const char *slash = dir + strlen(root);

	while ((slash = strchr(slash + 1, '/')) != NULL) {
		int found;

		snprintf(path, sizeof(path), "%.*s", (int)(slash - dir), dir);
		found = xs_exists(xs, t, path);
		if (found < 0)
			return RC_FAIL;
		if (!found && make_dir(xs, t, path, perms, nperms) != RC_OK)
			return RC_FAIL;
	}
	return RC_OK;
}

/*
 * Removes path if present, then each parent that this left empty, up to
 * but not including keep (which must be a prefix of path).
 */
static int remove_and_prune(struct xs_handle *xs, xs_transaction_t t,
			    const char *path, const char *keep)
{
	char dir[PATH_LEN];
	size_t keep_len = strlen(keep);
	char *slash;

	if (!xs_rm(xs, t, path) && errno != ENOENT)
		return fail(RC_FAIL, "cannot remove %s: %s", path, strerror(errno));

	snprintf(dir, sizeof(dir), "%s", path);
	while ((slash = strrchr(dir, '/')) != NULL && (size_t)(slash - dir) > keep_len) {
		unsigned int n;
		char **children;

		*slash = '\0';
		children = xs_directory(xs, t, dir, &n);
		if (!children) {
			if (errno == ENOENT)
				continue;
			return fail(RC_FAIL, "cannot list %s: %s", dir, strerror(errno));
		}
		free(children);
		if (n != 0)
			break;
		if (!xs_rm(xs, t, dir))
			return fail(RC_FAIL, "cannot remove %s: %s", dir, strerror(errno));
	}
	return RC_OK;
}

typedef int (*txn_body)(struct xs_handle *xs, xs_transaction_t t, void *arg);

/*
 * Runs body in a transaction.  A body that fails (having said why) aborts
 * it, which leaves xenstore untouched.  A commit that lost a race with
 * another writer (EAGAIN) reruns the whole body, reads included, so its
 * checks hold for the state it commits against.
 */
static int run_transaction(struct xs_handle *xs, txn_body body, void *arg)
{
	for (int attempt = 0; attempt < TXN_ATTEMPTS; attempt++) {
		xs_transaction_t t = xs_transaction_start(xs);
		int rc;

		if (t == XBT_NULL)
			return fail(RC_FAIL, "cannot start a xenstore transaction: %s",
				    strerror(errno));
		rc = body(xs, t, arg);
		if (rc != RC_OK) {
			xs_transaction_end(xs, t, true);
			return rc;
		}
		if (xs_transaction_end(xs, t, false))
			return RC_OK;
		if (errno != EAGAIN)
			return fail(RC_FAIL, "xenstore transaction failed: %s",
				    strerror(errno));
	}
	return fail(RC_FAIL, "xenstore transaction kept conflicting; gave up after %d tries",
		    TXN_ATTEMPTS);
}

/* ------------------------------------------------------------------------
 * Domains and device paths
 */
struct domain {
	unsigned int id;
	bool exists;			/* /local/domain/<id> is present */
	char label[NAME_LEN + 16];	/* "g1 (5)", or "5" without a name */
};

static void set_label(struct xs_handle *xs, xs_transaction_t t,
		      struct domain *dom)
{
	char path[PATH_LEN];
	char *name = NULL;

	snprintf(path, sizeof(path), "/local/domain/%u/name", dom->id);
	if (dom->exists)
		name = xs_read(xs, t, path, NULL);
	if (name && *name)
		snprintf(dom->label, sizeof(dom->label), "%.*s (%u)", NAME_LEN - 1,
			 name, dom->id);
	else
		snprintf(dom->label, sizeof(dom->label), "%u", dom->id);
	free(name);
}

/* Finds the domain whose /local/domain/<id>/name is name; 1 found, 0 not, -1 error. */
static int find_domain_by_name(struct xs_handle *xs, xs_transaction_t t,
			       const char *name, unsigned int *id)
{
	unsigned int n, matches = 0;
	char **ids = xs_directory(xs, t, "/local/domain", &n);

	if (!ids) {
		if (errno == ENOENT)
			return 0;
		fail(RC_FAIL, "cannot list /local/domain: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		char path[PATH_LEN];
		unsigned long candidate;
		char *value;

		if (!parse_number(ids[i], GUEST_DOMID_MAX, &candidate))
			continue;
		snprintf(path, sizeof(path), "/local/domain/%lu/name", candidate);
		value = xs_read(xs, t, path, NULL);
		if (value && strcmp(value, name) == 0) {
			*id = (unsigned int)candidate;
			matches++;
		}
		free(value);
	}
	free(ids);
	if (matches > 1) {
		/* libxl keeps names unique; guessing here could unplug the wrong guest */
		fail(RC_FAIL, "domain name '%s' is ambiguous (%u domains have it)",
		     name, matches);
		return -1;
	}
	return matches == 1;
}

/*
 * DOMAIN is a domid when it is all digits (as for xl), else a name.  With
 * allow_gone, a domid whose /local/domain/<id> has vanished still resolves
 * (exists = false), so that detach can clean up after a destroyed guest.
 */
static int resolve_domain(struct xs_handle *xs, xs_transaction_t t,
			  const char *arg, bool allow_gone, struct domain *dom)
{
	unsigned long id;
	int found;

	if (*arg && strspn(arg, "0123456789") == strlen(arg)) {
		char path[PATH_LEN];

		if (!parse_number(arg, GUEST_DOMID_MAX, &id))
			return fail(RC_FAIL, "unknown domain '%s': not a valid domid", arg);
		snprintf(path, sizeof(path), "/local/domain/%lu", id);
		found = xs_exists(xs, t, path);
		if (found < 0)
			return RC_FAIL;
		if (!found && !allow_gone)
			return fail(RC_FAIL, "unknown domain '%s': no such domid", arg);
	} else {
		unsigned int named = 0;

		found = find_domain_by_name(xs, t, arg, &named);
		if (found < 0)
			return RC_FAIL;
		if (!found)
			return fail(RC_FAIL, "unknown domain '%s': no domain has that name",
				    arg);
		id = named;
	}
	dom->id = (unsigned int)id;
	dom->exists = found;
	set_label(xs, t, dom);
	return RC_OK;
}

/*
 * A device's nodes, and the directories that detach keeps when pruning the
 * parents it empties: libxl makes device/ and error/ in the guest's home
 * on purpose (guest-writable), whereas dom0's backend/ and error/ are
 * made on first use and may go again.
 */
struct device_paths {
	char fe[PATH_LEN];		/* /local/domain/<d>/device/xen2mx/<n> */
	char fe_home[PATH_LEN];		/* /local/domain/<d> */
	char fe_keep[PATH_LEN];		/* /local/domain/<d>/device */
	char fe_error[PATH_LEN];	/* /local/domain/<d>/error/device/xen2mx/<n> */
	char fe_error_keep[PATH_LEN];	/* /local/domain/<d>/error */
	char be[PATH_LEN];		/* /local/domain/0/backend/xen2mx/<d>/<n> */
	char be_home[PATH_LEN];		/* /local/domain/0: keep */
	char be_error[PATH_LEN];	/* /local/domain/0/error/backend/xen2mx/<d>/<n> */
};

static bool make_paths(struct device_paths *p, unsigned int domid,
		       unsigned long devid)
{
	const char *type = XEN2MX_DEVICE_TYPE;

	return format_path(p->fe_home, "/local/domain/%u", domid) &&
	       format_path(p->fe_keep, "%s/device", p->fe_home) &&
	       format_path(p->fe, "%s/%s/%lu", p->fe_keep, type, devid) &&
	       format_path(p->fe_error_keep, "%s/error", p->fe_home) &&
	       format_path(p->fe_error, "%s/device/%s/%lu", p->fe_error_keep,
			   type, devid) &&
	       format_path(p->be_home, "/local/domain/%u", BACKEND_DOMID) &&
	       format_path(p->be, "%s/backend/%s/%u/%lu", p->be_home, type,
			   domid, devid) &&
	       /* xenbus_dev_fatal() writes error/<backend nodename>/error */
	       format_path(p->be_error, "%s/error/backend/%s/%u/%lu", p->be_home,
			   type, domid, devid);
}

static bool backend_driver_loaded(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(backend_driver_markers); i++)
		if (access(backend_driver_markers[i], F_OK) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------------
 * Waiting for states
 */

/* 1: condition met, 0: not yet, -1: failed (reported), stop waiting. */
typedef int (*wait_check)(struct xs_handle *xs, void *arg);

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Re-evaluates check whenever one of paths changes, for at most timeout_s.
 * Returns check's 1 or -1, or 0 on timeout.  The poll is capped so that a
 * lost watch event costs a quarter second, not the whole timeout.
 */
static int wait_until(struct xs_handle *xs, const char *const *paths,
		      size_t npaths, unsigned long timeout_s,
		      wait_check check, void *arg)
{
	static const char token[] = "xen2mx";
	long long deadline = now_ms() + (long long)timeout_s * 1000;
	int fd = xs_fileno(xs);		/* -1: no watch fd, plain polling */
	int rc;

	for (size_t i = 0; i < npaths; i++)
		xs_watch(xs, paths[i], token);	/* failure only costs latency */

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left;
		char **event;

		rc = check(xs, arg);
		if (rc != 0)
			break;
		left = deadline - now_ms();
		if (left <= 0)
			break;
		poll(&pfd, 1, left < WAIT_POLL_MS ? (int)left : WAIT_POLL_MS);
		while ((event = xs_check_watch(xs)) != NULL)
			free(event);
	}

	for (size_t i = 0; i < npaths; i++)
		xs_unwatch(xs, paths[i], token);
	return rc;
}

/* ------------------------------------------------------------------------
 * Attach
 */
struct attach_job {
	const struct options *opt;
	struct domain dom;
	struct device_paths paths;
};

/* dom0 owns its half; the guest may read it to follow the backend. */
static int write_backend_half(struct xs_handle *xs, xs_transaction_t t,
			      const struct device_paths *p, unsigned int domid,
			      const struct options *opt)
{
	struct xs_permissions perms[] = {
		{ .id = BACKEND_DOMID, .perms = XS_PERM_NONE },
		{ .id = domid, .perms = XS_PERM_READ },
	};
	/* backend/, backend/xen2mx/, backend/xen2mx/<domid>/: dom0's alone */
	struct xs_permissions parent_perms[] = {
		{ .id = BACKEND_DOMID, .perms = XS_PERM_NONE },
	};
	unsigned int n = ARRAY_SIZE(perms);
	char domid_s[16], mac_s[MAC_STRLEN], endpoints_s[16], grants_s[16];

	snprintf(domid_s, sizeof(domid_s), "%u", domid);
	format_mac(opt->mac, mac_s);
	snprintf(endpoints_s, sizeof(endpoints_s), "%lu", opt->max_endpoints);
	snprintf(grants_s, sizeof(grants_s), "%lu", opt->max_grants);
	if (make_parents(xs, t, p->be_home, p->be, parent_perms,
			 ARRAY_SIZE(parent_perms)) ||
	    make_dir(xs, t, p->be, perms, n) ||
	    write_node(xs, t, p->be, "frontend", p->fe, perms, n) ||
	    write_node(xs, t, p->be, "frontend-id", domid_s, perms, n) ||
	    write_node(xs, t, p->be, "online", "1", perms, n) ||
	    (opt->mac_given &&
	     write_node(xs, t, p->be, XEN2MX_XS_MAC, mac_s, perms, n)) ||
	    (opt->board &&
	     write_node(xs, t, p->be, XEN2MX_XS_BOARD, opt->board, perms, n)) ||
	    (opt->hostname &&
	     write_node(xs, t, p->be, XEN2MX_XS_HOSTNAME, opt->hostname, perms, n)) ||
	    (opt->max_endpoints_given &&
	     write_node(xs, t, p->be, XEN2MX_XS_MAX_ENDPOINTS, endpoints_s, perms, n)) ||
	    (opt->max_grants_given &&
	     write_node(xs, t, p->be, XEN2MX_XS_MAX_GRANTS, grants_s, perms, n)) ||
	    write_node(xs, t, p->be, "state", "1", perms, n))
		return RC_FAIL;
	return RC_OK;
}

/* The guest owns its half; dom0 may read it (libxl's frontend perms). */
static int write_frontend_half(struct xs_handle *xs, xs_transaction_t t,
			       const struct device_paths *p, unsigned int domid,
			       const struct options *opt)
{
	struct xs_permissions perms[] = {
		{ .id = domid, .perms = XS_PERM_NONE },
		{ .id = BACKEND_DOMID, .perms = XS_PERM_READ },
	};
	/*
	 * device/ and device/xen2mx/ belong to the guest, as libxl makes
	 * device/: the guest's xenbus lists them to find its devices.
	 */
	struct xs_permissions parent_perms[] = {
		{ .id = domid, .perms = XS_PERM_NONE },
	};
	unsigned int n = ARRAY_SIZE(perms);
	char backend_id_s[16], order_s[16];

	snprintf(backend_id_s, sizeof(backend_id_s), "%u", BACKEND_DOMID);
	snprintf(order_s, sizeof(order_s), "%lu", opt->ring_page_order);
	if (make_parents(xs, t, p->fe_home, p->fe, parent_perms,
			 ARRAY_SIZE(parent_perms)) ||
	    make_dir(xs, t, p->fe, perms, n) ||
	    write_node(xs, t, p->fe, "backend", p->be, perms, n) ||
	    write_node(xs, t, p->fe, "backend-id", backend_id_s, perms, n) ||
	    (opt->order_given &&
	     write_node(xs, t, p->fe, XEN2MX_XS_REQUESTED_RING_PAGE_ORDER,
			order_s, perms, n)) ||
	    write_node(xs, t, p->fe, "state", "1", perms, n))
		return RC_FAIL;
	return RC_OK;
}

static int attach_txn(struct xs_handle *xs, xs_transaction_t t, void *arg)
{
	struct attach_job *job = arg;
	const struct options *opt = job->opt;
	struct device_paths *p = &job->paths;
	int fe_found, be_found;

	if (resolve_domain(xs, t, opt->domain, false, &job->dom) != RC_OK)
		return RC_FAIL;
	if (job->dom.id == BACKEND_DOMID)
		return fail(RC_FAIL, "domain 0 is dom0; attach xen2mx to a guest");
	if (!make_paths(p, job->dom.id, opt->devid))
		return RC_FAIL;

	fe_found = xs_exists(xs, t, p->fe);
	be_found = fe_found < 0 ? -1 : xs_exists(xs, t, p->be);
	if (fe_found < 0 || be_found < 0)
		return RC_FAIL;
	if (fe_found || be_found)
		return fail(RC_FAIL, "domain %s already has xen2mx device %lu",
			    job->dom.label, opt->devid);

	/*
	 * Each half writes its state node last.  Inside one transaction the
	 * order is invisible to others; it is kept for the reader.
	 */
	if (write_backend_half(xs, t, p, job->dom.id, opt) ||
	    write_frontend_half(xs, t, p, job->dom.id, opt))
		return RC_FAIL;
	return RC_OK;
}

/* The first line of an error node, or NULL; for the one-line report. */
static char *read_error(struct xs_handle *xs, const char *dir)
{
	char path[PATH_LEN];
	char *text;

	if (snprintf(path, sizeof(path), "%s/error", dir) >= (int)sizeof(path))
		return NULL;
	text = xs_read(xs, XBT_NULL, path, NULL);
	if (text)
		text[strcspn(text, "\n")] = '\0';
	return text;
}

static int connected_check(struct xs_handle *xs, void *arg)
{
	struct attach_job *job = arg;
	const struct device_paths *p = &job->paths;
	/* states first: an error node is written before the state moves on */
	unsigned long be = read_state(xs, XBT_NULL, p->be);
	unsigned long fe = read_state(xs, XBT_NULL, p->fe);
	char *be_err = read_error(xs, p->be_error);
	char *fe_err = be_err ? NULL : read_error(xs, p->fe_error);
	int rc = 0;

	if (be_err || fe_err) {
		fail(RC_FAIL, "xen2mx device %lu of domain %s failed to connect: %s error: %s",
		     job->opt->devid, job->dom.label, be_err ? "backend" : "frontend",
		     be_err ? be_err : fe_err);
		rc = -1;
	} else if (be >= XenbusStateClosing || fe >= XenbusStateClosing) {
		fail(RC_FAIL, "xen2mx device %lu of domain %s closed before connecting (backend %s, frontend %s)",
		     job->opt->devid, job->dom.label, state_name(be), state_name(fe));
		rc = -1;
	} else if (be == XenbusStateConnected && fe == XenbusStateConnected) {
		rc = 1;
	}
	free(be_err);
	free(fe_err);
	return rc;
}

static int do_attach(struct xs_handle *xs, const struct options *opt)
{
	struct attach_job job = { .opt = opt };
	int rc;

	rc = run_transaction(xs, attach_txn, &job);
	if (rc != RC_OK || opt->wait_s == 0)
		return rc;

	/* a watch on a directory also fires for its children, errors included */
	const char *watched[] = {
		job.paths.be, job.paths.fe, job.paths.be_error, job.paths.fe_error,
	};
	rc = wait_until(xs, watched, ARRAY_SIZE(watched), opt->wait_s,
			connected_check, &job);
	if (rc == 1)
		return RC_OK;
	if (rc == 0)
		return fail(RC_FAIL, "xen2mx device %lu of domain %s not Connected after %lu s (backend %s, frontend %s); it stays attached",
			    opt->devid, job.dom.label, opt->wait_s,
			    state_name(read_state(xs, XBT_NULL, job.paths.be)),
			    state_name(read_state(xs, XBT_NULL, job.paths.fe)));
	return RC_FAIL;
}

/* ------------------------------------------------------------------------
 * Detach
 */
struct detach_job {
	const struct options *opt;
	struct domain dom;
	struct device_paths paths;
	bool backend_present;
};

/* First transaction: check the device is there and ask the backend to close. */
static int detach_close_txn(struct xs_handle *xs, xs_transaction_t t, void *arg)
{
	struct detach_job *job = arg;
	const struct device_paths *p = &job->paths;
	int fe_found, be_found;

	if (resolve_domain(xs, t, job->opt->domain, true, &job->dom) != RC_OK)
		return RC_FAIL;
	if (job->dom.id == BACKEND_DOMID)
		return fail(RC_FAIL, "domain 0 is dom0; xen2mx devices belong to guests");
	if (!make_paths(&job->paths, job->dom.id, job->opt->devid))
		return RC_FAIL;

	fe_found = xs_exists(xs, t, p->fe);
	be_found = fe_found < 0 ? -1 : xs_exists(xs, t, p->be);
	if (fe_found < 0 || be_found < 0)
		return RC_FAIL;
	if (!fe_found && !be_found) {
		if (!job->dom.exists)
			return fail(RC_FAIL, "unknown domain '%s': no such domid and no xen2mx device %lu left for it",
				    job->opt->domain, job->opt->devid);
		return fail(RC_FAIL, "domain %s has no xen2mx device %lu",
			    job->dom.label, job->opt->devid);
	}
	job->backend_present = be_found;
	if (!be_found)
		return RC_OK;

	/*
	 * online=0 tells the backend this close is for good (unregister, not
	 * wait for a reconnect); Closing is what the frontend reacts to.
	 * A backend already Closed keeps its state, as libxl does.
	 */
	if (write_node(xs, t, p->be, "online", "0", NULL, 0) != RC_OK)
		return RC_FAIL;
	if (read_state(xs, t, p->be) != XenbusStateClosed &&
	    write_node(xs, t, p->be, "state", "5", NULL, 0) != RC_OK)
		return RC_FAIL;
	return RC_OK;
}

static int backend_closed_check(struct xs_handle *xs, void *arg)
{
	struct detach_job *job = arg;
	int found = xs_exists(xs, XBT_NULL, job->paths.be);

	if (found <= 0)		/* gone counts as closed; an error ends the wait */
		return found == 0 ? 1 : -1;
	return read_state(xs, XBT_NULL, job->paths.be) == XenbusStateClosed;
}

/* Second transaction: both halves and their error nodes go at once. */
static int detach_remove_txn(struct xs_handle *xs, xs_transaction_t t, void *arg)
{
	const struct device_paths *p = &((struct detach_job *)arg)->paths;

	if (remove_and_prune(xs, t, p->fe, p->fe_keep) ||
	    remove_and_prune(xs, t, p->be, p->be_home) ||
	    remove_and_prune(xs, t, p->be_error, p->be_home) ||
	    remove_and_prune(xs, t, p->fe_error, p->fe_error_keep))
		return RC_FAIL;
	return RC_OK;
}

static int do_detach(struct xs_handle *xs, const struct options *opt)
{
	struct detach_job job = { .opt = opt };
	int rc;

	rc = run_transaction(xs, detach_close_txn, &job);
	if (rc != RC_OK)
		return rc;

	/* Without the backend driver nobody will answer: no point waiting. */
	if (job.backend_present && backend_driver_loaded()) {
		const char *watched[] = { job.paths.be };

		rc = wait_until(xs, watched, ARRAY_SIZE(watched), opt->timeout_s,
				backend_closed_check, &job);
		if (rc < 0)
			return RC_FAIL;
		if (rc == 0)
			warn("backend did not close within %lu s; removed anyway",
			     opt->timeout_s);
	}
	return run_transaction(xs, detach_remove_txn, &job);
}

/* ------------------------------------------------------------------------ */

static bool called_as_detach(const char *argv0)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;
	const char *suffix = "-detach";
	size_t len;

	base = base ? base + 1 : (argv0 ? argv0 : "");
	len = strlen(base);
	return len >= strlen(suffix) &&
	       strcmp(base + len - strlen(suffix), suffix) == 0;
}

int main(int argc, char **argv)
{
	struct options opt = { .timeout_s = DEFAULT_DETACH_TIMEOUT_S };
	struct xs_handle *xs;
	int rc;

	opt.detach = called_as_detach(argc > 0 ? argv[0] : NULL);
	prog = opt.detach ? "xen2mx-detach" : "xen2mx-attach";

	rc = parse_args(argc, argv, &opt);
	if (rc != RC_OK)
		return rc;
	if (opt.help) {
		print_usage(opt.detach);
		return RC_OK;
	}
	if (!opt.detach && !backend_driver_loaded())
		return fail(RC_FAIL, "backend module xen2mx-back is not loaded (modprobe xen2mx-back)");

	xs = xs_open(0);
	if (!xs)
		return fail(RC_FAIL, "cannot connect to xenstore: %s", strerror(errno));
	rc = opt.detach ? do_detach(xs, &opt) : do_attach(xs, &opt);
	xs_close(xs);
	return rc;
}
