// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_fakedev.c - a pretend /dev/open-mx for running the tools in
 * `make check` (loaded with LD_PRELOAD by test_tools_cli).
 *
 * open() of /dev/open-mx gives a descriptor of /dev/null that ioctl()
 * answers from a fixed driver state:
 *
 *   boards   #0 node1:0 eth0 02:00:00:00:00:01, up, MTU 9000, virtio_net
 *            (#1 not attached)
 *            #2 node1:1 eth2 02:00:00:00:00:02, down, MTU 1500, numa node 0
 *   peers    0) 02:00:00:00:00:01 node1:0   1) 02:00:00:00:00:02 node1:1
 *            (2 empty)  3) 02:00:00:00:00:09 unnamed;  6 slots
 *   counters board #0: [0]=5 [16]=7 [84]=4294967295; shared: [72]=3
 *   endpoints board #0 endpoint 1: pid 4242 "omx_perf" session 0xdeadbeef
 *   raw      the first receive on a board returns one omxoed announcement
 *            of 02:00:00:00:00:05 serial 0x00001234, then nothing
 *
 * Environment: FAKEDEV_LOG (file the changing commands are written to, one
 * line each), FAKEDEV_ABSENT=1 (no device), FAKEDEV_ABI (another ABI
 * version), FAKEDEV_EPERM=1 (changes refused as for a user),
 * FAKEDEV_FULL=1 (peer table full), FAKEDEV_UNCONFIGURED=1,
 * FAKEDEV_PEERS_FULL_AT=N (PEER_ADD fails with ENOSPC from the Nth on).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "omx_abi.h"

#define MAX_FDS 64

static int fake_fds[MAX_FDS];
static int nfake;
static unsigned int raw_recvs, peer_adds;

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

__attribute__((format(printf, 1, 2)))
static void logf_(const char *fmt, ...)
{
	const char *path = env("FAKEDEV_LOG");
	va_list ap;
	FILE *f;

	if (!path || !(f = fopen(path, "a")))
		return;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fclose(f);
}

static int is_fake(int fd)
{
	int i;

	for (i = 0; i < nfake; i++)
		if (fake_fds[i] == fd)
			return 1;
	return 0;
}

/* ------------------------------------------------------------------------
 * open / close
 */
static int fake_open(const char *path, int flags, int *handled)
{
	int (*real_open)(const char *, int, ...) = dlsym(RTLD_NEXT, "open");
	int fd;

	*handled = strcmp(path, OMX_ABI_DEVICE) == 0;
	if (!*handled)
		return -1;
	if (env("FAKEDEV_ABSENT")) {
		errno = ENOENT;
		return -1;
	}
	fd = real_open("/dev/null", flags & O_CLOEXEC);
	if (fd >= 0 && nfake < MAX_FDS)
		fake_fds[nfake++] = fd;
	return fd;
}

#define OPEN_WRAPPER(name)						\
int name(const char *path, int flags, ...)				\
{									\
	int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, #name);	\
	mode_t mode = 0;						\
	int handled, fd;						\
	va_list ap;							\
									\
	fd = fake_open(path, flags, &handled);				\
	if (handled)							\
		return fd;						\
	if (flags & (O_CREAT | O_TMPFILE)) {				\
		va_start(ap, flags);					\
		mode = va_arg(ap, mode_t);				\
		va_end(ap);						\
	}								\
	return real(path, flags, mode);					\
}
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

int close(int fd)
{
	int (*real_close)(int) = dlsym(RTLD_NEXT, "close");
	int i;

	for (i = 0; i < nfake; i++)
		if (fake_fds[i] == fd)
			fake_fds[i] = fake_fds[--nfake];
	return real_close(fd);
}

/* ------------------------------------------------------------------------
 * The driver state
 */
struct fake_board {
	int attached;
	const char *hostname, *ifname, *driver;
	uint64_t addr;
	uint32_t mtu, status, numa;
};

static const struct fake_board boards[3] = {
	{ 1, "node1:0", "eth0", "virtio_net", 0x020000000001ULL, 9000, 0, (uint32_t)-1 },
	{ 0, NULL, NULL, NULL, 0, 0, 0, 0 },
	{ 1, "node1:1", "eth2", "e1000", 0x020000000002ULL, 1500,
	  OMX_ABI_BOARD_DOWN | OMX_ABI_BOARD_BAD_MTU, 0 },
};

static const struct { int used; uint64_t addr; const char *name; } peers[6] = {
	{ 1, 0x020000000001ULL, "node1:0" },
	{ 1, 0x020000000002ULL, "node1:1" },
	{ 0, 0, NULL },
	{ 1, 0x020000000009ULL, "" },
	{ 0, 0, NULL },
	{ 0, 0, NULL },
};

static void fmt_mac(uint64_t a, char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 (unsigned int)(a >> 40) & 0xff, (unsigned int)(a >> 32) & 0xff,
		 (unsigned int)(a >> 24) & 0xff, (unsigned int)(a >> 16) & 0xff,
		 (unsigned int)(a >> 8) & 0xff, (unsigned int)a & 0xff);
}

static int refused(void)
{
	if (env("FAKEDEV_EPERM")) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

static int board_ok(uint32_t b)
{
	if (b < 3 && boards[b].attached)
		return 0;
	errno = ENODEV;
	return -1;
}

static int get_info(struct omx_cmd_get_info *i)
{
	memset(i, 0, sizeof(*i));
	i->abi_version = env("FAKEDEV_ABI") ?
			 (uint32_t)strtoul(env("FAKEDEV_ABI"), NULL, 0) :
			 OMX_ABI_VERSION;
	i->board_count = 2;
	i->board_max = 4;
	i->endpoint_max = 8;
	i->peer_max = 6;
	i->counter_max = OMX_ABI_COUNTER_MAX;
	i->wire_mtu = 9000;
	i->peer_table_configured = !env("FAKEDEV_UNCONFIGURED");
	i->peer_table_version = 7;
	i->peer_table_size = 3;
	i->peer_table_mapper = 0x020000000001ULL;
	i->peer_table_full = env("FAKEDEV_FULL") != NULL;
	i->shared_comms = 1;
	strcpy(i->version, "1.5.4-fake");
	return 0;
}

static int board_info(struct omx_cmd_board_info *bi)
{
	uint32_t b = bi->board_index;

	if (board_ok(b))
		return -1;
	memset(bi, 0, sizeof(*bi));
	bi->board_index = b;
	bi->addr = boards[b].addr;
	bi->mtu = boards[b].mtu;
	bi->status = boards[b].status;
	bi->numa_node = boards[b].numa;
	strcpy(bi->ifname, boards[b].ifname);
	strcpy(bi->hostname, boards[b].hostname);
	strcpy(bi->driver, boards[b].driver);
	return 0;
}

static int counters(struct omx_cmd_counters *c)
{
	if (c->clear && refused())
		return -1;
	if (c->board_index != OMX_ABI_SHARED_BOARD && board_ok(c->board_index))
		return -1;
	memset(c->values, 0, sizeof(c->values));
	if (c->board_index == 0) {
		c->values[0] = 5;
		c->values[16] = 7;
		c->values[84] = 4294967295u;
	} else if (c->board_index == OMX_ABI_SHARED_BOARD) {
		c->values[72] = 3;
	}
	if (c->clear)
		logf_("COUNTERS_CLEAR board=0x%x", c->board_index);
	return 0;
}

static int peer_add(const struct omx_cmd_peer *p)
{
	const char *full_at = env("FAKEDEV_PEERS_FULL_AT");
	char mac[18];

	if (refused())
		return -1;
	if (full_at && ++peer_adds >= strtoul(full_at, NULL, 0)) {
		errno = ENOSPC;
		return -1;
	}
	fmt_mac(p->addr, mac);
	logf_("PEER_ADD %s '%.*s'", mac, (int)sizeof(p->hostname), p->hostname);
	return 0;
}

static int peer_from_index(struct omx_cmd_peer *p)
{
	uint32_t i = p->index;

	if (i >= 6 || !peers[i].used) {
		errno = ENOENT;
		return -1;
	}
	p->addr = peers[i].addr;
	memset(p->hostname, 0, sizeof(p->hostname));
	strcpy(p->hostname, peers[i].name);
	return 0;
}

static int endpoint_info(struct omx_cmd_endpoint_info *e)
{
	if (e->endpoint_index >= 8) {
		errno = EINVAL;
		return -1;
	}
	if (board_ok(e->board_index))
		return -1;
	e->open = e->board_index == 0 && e->endpoint_index == 1;
	e->pid = e->open ? 4242 : 0;
	e->session_id = e->open ? 0xdeadbeef : 0;
	memset(e->command, 0, sizeof(e->command));
	if (e->open)
		strcpy(e->command, "omx_perf");
	return 0;
}

static int raw_send(const struct omx_cmd_raw_send *rs)
{
	const uint8_t *f = (const uint8_t *)(uintptr_t)rs->buffer;
	char hex[2 * OMX_ABI_RAW_FRAME_MAX + 1];
	uint32_t i;

	if (rs->length > OMX_ABI_RAW_FRAME_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < rs->length; i++)
		sprintf(hex + 2 * i, "%02x", f[i]);
	hex[2 * rs->length] = '\0';
	logf_("RAW_SEND %u %s", rs->length, hex);
	return 0;
}

static int raw_recv(struct omx_cmd_raw_recv *rr)
{
	static const uint8_t announce[64] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
		0x02, 0, 0, 0, 0, 0x05,			/* source */
		0x86, 0xdf, 0, 0, 1,			/* ethertype, index, RAW */
		[32] = 0, 0, 0x02, 0, 0, 0, 0, 0x05,	/* NIC id */
		[40] = 0, 0, 0x12, 0x34,		/* serial */
	};
	uint32_t wait = rr->timeout_ms < 100 ? rr->timeout_ms : 100;

	if (raw_recvs++ == 0) {
		memcpy((void *)(uintptr_t)rr->buffer, announce, sizeof(announce));
		rr->length = sizeof(announce);
		rr->status = 0;
		return 0;
	}
	/* A signal ends the wait with EINTR, as in the driver. */
	if (usleep(wait * 1000) < 0)
		return -1;
	rr->status = 1;
	return 0;
}

static int fake_ioctl(unsigned long cmd, void *arg)
{
	struct omx_cmd_peer_table_state *st = arg;
	struct omx_cmd_set_hostname *sh = arg;
	char mac[18];

	switch (cmd) {
	case OMX_CMD_GET_INFO:
		return get_info(arg);
	case OMX_CMD_GET_BOARD_INFO:
		return board_info(arg);
	case OMX_CMD_GET_COUNTERS:
		return counters(arg);
	case OMX_CMD_PEER_ADD:
		return peer_add(arg);
	case OMX_CMD_PEERS_CLEAR:
		if (refused())
			return -1;
		logf_("PEERS_CLEAR");
		return 0;
	case OMX_CMD_PEER_FROM_INDEX:
		return peer_from_index(arg);
	case OMX_CMD_SET_HOSTNAME:
		if (refused() || board_ok(sh->board_index))
			return -1;
		logf_("SET_HOSTNAME %u '%.*s'", sh->board_index,
		      (int)sizeof(sh->hostname), sh->hostname);
		return 0;
	case OMX_CMD_GET_ENDPOINT_INFO:
		return endpoint_info(arg);
	case OMX_CMD_GET_PEER_TABLE_STATE:
		memset(st, 0, sizeof(*st));
		st->configured = !env("FAKEDEV_UNCONFIGURED");
		st->version = 7;
		st->size = 3;
		st->mapper_id = 0x020000000001ULL;
		return 0;
	case OMX_CMD_SET_PEER_TABLE_STATE:
		if (refused())
			return -1;
		fmt_mac(st->mapper_id, mac);
		logf_("SET_PEER_TABLE_STATE configured=%u version=%u mapper=%s",
		      st->configured, st->version, mac);
		return 0;
	case OMX_CMD_RAW_OPEN:
		if (refused() || board_ok(((struct omx_cmd_raw_open *)arg)->board_index))
			return -1;
		logf_("RAW_OPEN %u", ((struct omx_cmd_raw_open *)arg)->board_index);
		return 0;
	case OMX_CMD_RAW_SEND:
		return raw_send(arg);
	case OMX_CMD_RAW_RECV:
		return raw_recv(arg);
	default:
		errno = ENOTTY;
		return -1;
	}
}

int ioctl(int fd, unsigned long cmd, ...)
{
	int (*real_ioctl)(int, unsigned long, ...) = dlsym(RTLD_NEXT, "ioctl");
	va_list ap;
	void *arg;

	va_start(ap, cmd);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!is_fake(fd))
		return real_ioctl(fd, cmd, arg);
	return fake_ioctl(cmd, arg);
}
