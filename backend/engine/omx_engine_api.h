/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx_engine_api.h - what open-mx.ko offers other kernel modules.
 *
 * open-mx.ko is a whole Open-MX host by itself: attached interfaces,
 * the peer table, /dev/open-mx for local processes.  A module with
 * clients of its own (xen2mx-back: Xen guests) adds boards through this
 * header and nothing else:
 *
 *  - it registers a virtual board: its own MAC on an attached interface,
 *    a hostname, a number of endpoints (omx_board_register);
 *  - it opens endpoints on it over memory it supplies (the guest's pages,
 *    laid out as shared/omx_abi.h says) and is called to wake the
 *    endpoint's owner (omx_board_ops.wake);
 *  - it attaches regions whose data it moves itself (omx_region_ops: grant
 *    copy for a guest); the engine's own pinned pages stay its own case;
 *  - it answers its clients' commands with the same code as /dev/open-mx
 *    (omx_cmd_control, omx_cmd_endpoint), seen through a view that limits
 *    them to its board and its rights.
 *
 * Contexts and locks are part of each contract below.  Every function
 * here may be called only while the caller's module holds a reference on
 * open-mx (any module using these symbols does, by linking to them).
 */
#ifndef OMX_ENGINE_API_H
#define OMX_ENGINE_API_H

#include <linux/types.h>

#include "omx_abi.h"
#include "omx_cmd_arg.h"

struct omx_iface;		/* a board */
struct omx_endpoint;		/* an open endpoint */

/* ---- Virtual boards ---- */

struct omx_board_ops {
	/*
	 * News for the owner of an endpoint of this board (@owner, as given
	 * to omx_endpoint_open_ext): an event was committed while the owner
	 * had armed the descriptor (omx_abi_desc.armed, which the engine
	 * cleared), or the endpoint died (its board went away).  Called with
	 * the endpoint's spinlock held, bottom halves off, so the caller is
	 * an RCU reader; from softirq or process context.  Must not sleep.
	 */
	void (*wake)(void *owner);
};

struct omx_board_params {
	const char *parent_ifname;	/* attached interface; NULL: the first */
	const u8 *mac;			/* its own unicast MAC */
	const char *hostname;		/* its peer-table name */
	u32 endpoint_max;		/* clipped to the "endpoints" parameter */
	const char *shown_ifname;	/* what GET_BOARD_INFO shows as ifname */
	const char *shown_driver;	/* and as driver */
	const struct omx_board_ops *ops;
};

/*
 * Publish a virtual board: a board slot, a peer-table entry, its MAC in
 * the parent's unicast filter.  Frames between boards of this host never
 * reach a wire.  Errors: -EINVAL bad MAC or no ops or hostname, -ENODEV no
 * such attached interface, -EADDRINUSE MAC taken, -ENOSPC no board slot
 * or peer entry, -ENOMEM.  Process context; takes RTNL then the engine
 * mutex (hold neither).
 *
 * Lifetime: @p->ops, and every owner and region priv given for the
 * board's endpoints, must stay valid until omx_board_unregister() and
 * every omx_endpoint_close() of the board have returned; after those the
 * engine calls nothing of the caller's.  A module keeps that by closing
 * and unregistering everything in its exit.
 */
int omx_board_register(const struct omx_board_params *p, struct omx_iface **out);
/*
 * Unpublish (unless its interface was detached under it already) and
 * free, after an RCU grace period.  Its endpoints must be closed.
 */
void omx_board_unregister(struct omx_iface *b);

struct omx_board_summary {
	u32 index;				/* board number on this host */
	u8 mac[6];
	char hostname[OMX_ABI_HOSTNAME_MAX];
	char parent[OMX_ABI_IFNAMSIZ];		/* "" once detached */
};
/* For logs and debugfs: what @b is.  Any context but hard IRQ. */
void omx_board_summary(struct omx_iface *b, struct omx_board_summary *s);
/*
 * Kill every endpoint of every board registered with @ops: their owners
 * are woken and every command on them fails.  For the registering
 * module's exit, before it closes them.  Process context.
 */
void omx_boards_kill_endpoints(const struct omx_board_ops *ops);
/* The engine's "endpoints" parameter: no board has more. */
u32 omx_engine_endpoints_max(void);

/* ---- Endpoints over the caller's memory ---- */

/*
 * Open endpoint @index of virtual board @b over @mem (OMX_ABI_MMAP_SIZE
 * octets, kernel-mapped, the caller's until omx_endpoint_close()
 * returns).  @owner_name is shown as its command; @owner is passed to
 * ops->wake.  -ENODEV when the board was taken away with its interface,
 * -EBUSY when the index is open, -EINVAL beyond the board's endpoints.
 * Process context.
 */
int omx_endpoint_open_ext(struct omx_iface *b, u32 index, void *mem,
			  const char *owner_name, void *owner,
			  struct omx_endpoint **out);
/*
 * Close: pulls are cancelled, regions released (omx_region_ops.release),
 * and once it returns the engine neither touches the memory nor calls
 * wake for it.  Process context; sleeps.
 */
void omx_endpoint_close(struct omx_endpoint *ep);
u32 omx_endpoint_session(const struct omx_endpoint *ep);

/* ---- Regions the caller moves ---- */

struct omx_region_ops {
	/*
	 * May one more frame be copied into or out of the region now (a
	 * budget)?  Softirq, the endpoint's lock held.  NULL: always.
	 */
	bool (*admit)(void *priv);
	/*
	 * Copy @len octets between linear kernel memory @buf and the region
	 * at @offset; the range and writability are checked already.
	 * Softirq or process context, the endpoint's lock held: never
	 * sleeps.  Calls for one endpoint never overlap.
	 */
	int (*copy)(void *priv, u64 offset, void *buf, u32 len, bool to_region);
	/* The region left its endpoint (destroyed or closed).  Process context. */
	void (*release)(void *priv);
};

/*
 * Make @priv region @id of @ep, @length octets: from now on pulls use it.
 * -EINVAL bad id or length, -EBUSY id taken, -ESHUTDOWN endpoint closing;
 * on error @priv stays the caller's.  Process context.
 */
int omx_region_attach(struct omx_endpoint *ep, u32 id, bool writable,
		      u64 length, const struct omx_region_ops *ops, void *priv);
/* Is region @id of @ep in use?  (The answer may change at once.) */
bool omx_region_busy(struct omx_endpoint *ep, u32 id);

/* ---- Commands: one implementation for /dev/open-mx and for clients ---- */

#define OMX_VIEW_ADMIN		0x1	/* may change the peer table and names,
					   clear counters */
#define OMX_VIEW_SESSIONS	0x2	/* GET_ENDPOINT_INFO shows session ids */
#define OMX_VIEW_ONE_BOARD	0x4	/* only @board (see below) */
#define OMX_VIEW_CAPABLE	0x8	/* the calling process's CAP_NET_ADMIN
					   grants ADMIN and SESSIONS */

struct omx_cmd_view {
	/*
	 * Without OMX_VIEW_ONE_BOARD: the host (every board).  With it, only
	 * this board (NULL: none at all), as board 0, whose share of the
	 * same-host counters is its shared board.
	 */
	struct omx_iface *board;
	u32 endpoint_max;		/* with ONE_BOARD: endpoints it may see */
	unsigned int flags;		/* OMX_VIEW_* */
};

/*
 * A command that needs no endpoint: GET_INFO, GET_BOARD_INFO,
 * GET_COUNTERS, PEER_ADD, PEERS_CLEAR, PEER_FROM_*, SET_HOSTNAME,
 * GET_ENDPOINT_INFO, GET/SET_PEER_TABLE_STATE.  @nr is the command's
 * _IOC_NR; @a was copied from the client and is updated with the answer.
 * -EPERM without the right, -ENOSYS for another command.  Process context.
 */
long omx_cmd_control(const struct omx_cmd_view *v, unsigned int nr,
		     union omx_cmd_arg *a);
/*
 * A command on @ep: SEND_*, DESTROY_REGION, PULL.  For an endpoint of a
 * local process (opened on /dev/open-mx) also CREATE_REGION (its segments
 * are the caller's user addresses), WAIT_EVENT and WAKEUP (the caller
 * sleeps); for an endpoint of omx_endpoint_open_ext these are -ENOSYS, as
 * is any other command.  Process context.
 */
long omx_cmd_endpoint(struct omx_endpoint *ep, unsigned int nr,
		      union omx_cmd_arg *a);

#endif /* OMX_ENGINE_API_H */
