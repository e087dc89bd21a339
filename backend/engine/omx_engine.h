/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * omx_engine.h - private definitions of open-mx.ko, the Open-MX engine: a
 * native Open-MX 1.5 stack for any Linux host, Xen or not.
 *
 * Boards are attached Ethernet interfaces (iface.c).  The peer table
 * (peer.c) names every board of the fabric, local ones included.  Endpoints
 * (endpoint.c, chardev.c) are opened through /dev/open-mx and mapped into
 * the process (shared/omx_abi.h).  send.c turns library commands into
 * frames, recv.c turns frames into endpoint events, region.c pins the
 * buffers of large messages and pull.c moves them.  Frames for a board of
 * this host never reach a wire: xmit loops them back (shared comms).
 * cmd.c answers the commands of /dev/open-mx and of other modules' boards
 * (omx_engine_api.h: the only way in for xen2mx-back).
 *
 * Locking, outermost first:
 *   omx_engine_mutex    attach/detach of boards, endpoint open/close
 *   ep->lock (spin, BH)     an endpoint's queues, regions and pulls
 *   omx_peers_lock      peer table writers (readers use RCU)
 * The receive path runs in softirq under rcu_read_lock() and takes only
 * ep->lock.
 */
#ifndef OMX_ENGINE_H
#define OMX_ENGINE_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/wait.h>

#include "omx_abi.h"
#include "omx_engine_api.h"
#include "omx_wire.h"
#include "omx_pull_plan.h"

/* Module parameters (module.c) */
extern unsigned int omx_ifaces_max;		/* boards */
extern unsigned int omx_endpoints_max;	/* endpoints per board */
extern unsigned int omx_peers_max;		/* peer table entries */
extern unsigned int omx_wire_mtu;		/* 9000 or 1500 */

extern struct omx_wire_params omx_engine_wire;	/* from omx_wire_mtu */
extern struct omx_pull_geom omx_engine_pull_geom;
extern struct mutex omx_engine_mutex;

/* Counters, in the order of the Open-MX 1.5 table (omx_counters) */
enum omx_counter {
	OMX_CNT_SEND_TINY, OMX_CNT_SEND_SMALL, OMX_CNT_SEND_MEDIUMSQ_FRAG,
	OMX_CNT_SEND_MEDIUMVA_FRAG, OMX_CNT_SEND_RNDV, OMX_CNT_SEND_NOTIFY,
	OMX_CNT_SEND_CONNECT_REQUEST, OMX_CNT_SEND_CONNECT_REPLY,
	OMX_CNT_SEND_LIBACK, OMX_CNT_SEND_NACK_LIB, OMX_CNT_SEND_NACK_MCP,
	OMX_CNT_SEND_PULL, OMX_CNT_SEND_PULL_REPLY, OMX_CNT_SEND_RAW,
	OMX_CNT_SEND_HOST_QUERY, OMX_CNT_SEND_HOST_REPLY,
	OMX_CNT_RECV_TINY, OMX_CNT_RECV_SMALL, OMX_CNT_RECV_MEDIUM_FRAG,
	OMX_CNT_RECV_RNDV, OMX_CNT_RECV_NOTIFY, OMX_CNT_RECV_CONNECT_REQUEST,
	OMX_CNT_RECV_CONNECT_REPLY, OMX_CNT_RECV_LIBACK, OMX_CNT_RECV_NACK_LIB,
	OMX_CNT_RECV_NACK_MCP, OMX_CNT_RECV_PULL, OMX_CNT_RECV_PULL_REPLY,
	OMX_CNT_RECV_RAW, OMX_CNT_RECV_HOST_QUERY, OMX_CNT_RECV_HOST_REPLY,
	OMX_CNT_DMA_RECV_MEDIUM_FRAG, OMX_CNT_DMA_RECV_MEDIUM_FRAG_PARTIAL,
	OMX_CNT_DMA_RECV_PULL_REPLY, OMX_CNT_DMA_RECV_PULL_REPLY_PARTIAL,
	OMX_CNT_DMA_RECV_PULL_REPLY_DEFERRED, OMX_CNT_RECV_NONLINEAR_HEADER,
	OMX_CNT_EXP_EVENTQ_FULL, OMX_CNT_UNEXP_EVENTQ_FULL,
	OMX_CNT_SEND_NOMEM_SKB, OMX_CNT_SEND_NOMEM_MEDIUM_DEFEVENT,
	OMX_CNT_MEDIUMSQ_FRAG_SEND_LINEAR, OMX_CNT_PULL_NONFIRST_BLOCK_DONE_EARLY,
	OMX_CNT_PULL_REQUEST_NOTONLYFIRST_BLOCKS,
	OMX_CNT_PULL_TIMEOUT_HANDLER_FIRST_BLOCK,
	OMX_CNT_PULL_TIMEOUT_HANDLER_NONFIRST_BLOCK, OMX_CNT_PULL_TIMEOUT_ABORT,
	OMX_CNT_PULL_REPLY_SEND_LINEAR, OMX_CNT_PULL_REPLY_FILL_FAILED,
	OMX_CNT_DROP_BAD_HEADER_DATALEN, OMX_CNT_DROP_BAD_DATALEN,
	OMX_CNT_DROP_BAD_SKBLEN, OMX_CNT_DROP_BAD_PEER_ADDR,
	OMX_CNT_DROP_BAD_PEER_INDEX, OMX_CNT_DROP_BAD_ENDPOINT,
	OMX_CNT_DROP_BAD_SESSION, OMX_CNT_DROP_PULL_BAD_REPLIES,
	OMX_CNT_DROP_PULL_BAD_REGION, OMX_CNT_DROP_PULL_BAD_OFFSET_LENGTH,
	OMX_CNT_DROP_PULL_REPLY_BAD_MAGIC_ENDPOINT,
	OMX_CNT_DROP_PULL_REPLY_BAD_WIRE_HANDLE,
	OMX_CNT_DROP_PULL_REPLY_BAD_SEQNUM_WRAPAROUND,
	OMX_CNT_DROP_PULL_REPLY_BAD_SEQNUM, OMX_CNT_DROP_PULL_REPLY_DUPLICATE,
	OMX_CNT_DROP_NACK_MCP_BAD_MAGIC_ENDPOINT,
	OMX_CNT_DROP_NACK_MCP_BAD_WIRE_HANDLE,
	OMX_CNT_DROP_HOST_REPLY_BAD_MAGIC, OMX_CNT_DROP_RAW_QUEUE_FULL,
	OMX_CNT_DROP_RAW_TOO_LARGE, OMX_CNT_DROP_NOSYS_TYPE,
	OMX_CNT_DROP_INVALID_TYPE, OMX_CNT_DROP_UNKNOWN_TYPE,
	OMX_CNT_SHARED_TINY, OMX_CNT_SHARED_SMALL, OMX_CNT_SHARED_MEDIUMSQ_FRAG,
	OMX_CNT_SHARED_MEDIUMVA, OMX_CNT_SHARED_RNDV, OMX_CNT_SHARED_NOTIFY,
	OMX_CNT_SHARED_CONNECT_REQUEST, OMX_CNT_SHARED_CONNECT_REPLY,
	OMX_CNT_SHARED_LIBACK, OMX_CNT_SHARED_PULL,
	OMX_CNT_SHARED_DMA_MEDIUM_FRAG, OMX_CNT_SHARED_DMA_LARGE,
	OMX_CNT_SHARED_DMA_PARTIAL_LARGE,
	OMX_CNT_MAX
};
static_assert(OMX_CNT_MAX == OMX_ABI_COUNTER_MAX, "85 Open-MX counters");

struct omx_counter_set {
	atomic_t v[OMX_CNT_MAX];
};

/* Counters of the same-host pseudo-board (OMX_ABI_SHARED_BOARD) */
extern struct omx_counter_set omx_shared_counters;

struct omx_endpoint;
struct omx_raw;

/*
 * A board: an attached interface, or a virtual board another module
 * registered (ops set; xen2mx-back's guests) that rides on one: its own
 * MAC (in the interface's unicast filter), its own peer-table entry and
 * endpoints, the interface's wire.
 */
struct omx_iface {
	struct net_device *dev;		/* reference held while attached */
	netdevice_tracker dev_tracker;
	const struct omx_board_ops *ops;	/* a virtual board's owner, or NULL */
	char shown_ifname[OMX_ABI_IFNAMSIZ];	/* what GET_BOARD_INFO shows */
	char shown_driver[32];			/* of a virtual board */
	unsigned int index;		/* board number */
	u64 addr;			/* NIC id = MAC */
	u8 mac[ETH_ALEN];		/* the same, as frames carry it */
	u32 endpoint_max;		/* indexes 0..endpoint_max-1 exist */
	u32 peer_index;			/* own entry in the peer table */
	char hostname[OMX_ABI_HOSTNAME_MAX];
	struct omx_endpoint __rcu **endpoints;	/* omx_endpoints_max */
	unsigned int endpoints_open;
	struct omx_raw *raw;	/* discovery opener, under engine mutex */
	struct omx_counter_set counters;
	/*
	 * Its share of the same-host counters (what it sent without a
	 * wire): a guest sees these as its shared board, not the host's.
	 */
	struct omx_counter_set shared_counters;
	struct rcu_head rcu;
};

/* Board slots; readers under RCU, writers under omx_engine_mutex */
extern struct omx_iface __rcu **omx_ifaces;

/*
 * A pinned user buffer (region.c), or a region another module moves
 * itself (ops set: a guest's granted pages, copied by grant copy).
 */
struct omx_region {
	u32 id;
	bool writable;
	u64 length;			/* sum of the segments */
	const struct omx_region_ops *ops;	/* NULL: pinned pages, segs */
	void *priv;			/* the ops' own */
	unsigned int nseg;
	struct omx_region_seg {
		u64 vaddr;
		u64 len;
		unsigned int first_page_offset;
		unsigned int nr_pages;
		struct page **pages;
	} *segs;
};

/* A large-message pull this endpoint is running (pull.c) */
struct omx_pull {
	struct omx_endpoint *ep;
	bool active;
	u32 slot;
	u32 generation;			/* handle = slot << 22 | generation */
	u64 cookie;
	u32 local_region;
	u32 local_offset;
	u16 peer_index;
	u8 dest_endpoint;
	u32 session;
	u8 rdma_id;
	u8 rdma_seqnum;
	u16 rdma_offset;
	struct omx_pull_plan plan;
	struct omx_pull_block blocks[OMX_PULL_BLOCKS_MAX];
	unsigned int nblocks;		/* outstanding, oldest first */
	u32 done_at_last_tick;		/* progress seen by the timer */
	unsigned long last_rerequest;
	unsigned long deadline;
	struct timer_list timer;
};

/* An open endpoint */
struct omx_endpoint {
	/*
	 * NULL once the board was detached under the endpoint.  Readers
	 * outside omx_engine_mutex use READ_ONCE() under rcu_read_lock():
	 * detaching clears it before the RCU grace period that frees the board.
	 */
	struct omx_iface *iface;
	u32 index;
	u32 session_id;
	pid_t pid;
	char command[OMX_ABI_COMMAND_MAX];
	/*
	 * An endpoint of a virtual board: its memory is the board owner's
	 * (never freed here) and events wake the owner through its ops.
	 */
	const struct omx_board_ops *owner_ops;
	void *owner;

	spinlock_t lock;		/* everything below */
	bool closing;
	void *mem;			/* vmalloc_user(OMX_ABI_MMAP_SIZE) */
	struct omx_abi_desc *desc;
	u32 eventq_prod;		/* private copies: the library */
	u32 recvq_prod;			/* cannot change ours */
	struct omx_region *regions[OMX_ABI_REGION_MAX];
	unsigned long pinned_pages;
	struct omx_pull pulls[OMX_ABI_PULL_MAX];
	u32 pull_magic;			/* random; low octet = index */

	wait_queue_head_t waitq;
	atomic_t wakeups;
};

/* iface.c */
int omx_ifaces_init(void);
void omx_ifaces_exit(void);
int omx_ifnames_set(const char *val);
int omx_ifnames_get(char *buf);
struct omx_iface *omx_iface_by_dev(const struct net_device *dev);
struct omx_iface *omx_iface_for_frame(const struct net_device *dev,
				      const u8 *dst_mac);
/* Registered by another module (ops set), not an attached interface. */
static inline bool omx_iface_is_virtual(const struct omx_iface *ifc)
{
	return ifc->ops != NULL;
}
bool omx_iface_alive(const struct omx_iface *ifc);	/* under RCU */
struct omx_iface *omx_iface_by_addr(u64 addr);
unsigned int omx_iface_count(void);
void omx_count(struct omx_iface *ifc, enum omx_counter c);
void omx_count_shared(struct omx_iface *ifc, enum omx_counter c);
u64 omx_mac_to_addr(const u8 *mac);
void omx_addr_to_mac(u64 addr, u8 *mac);

/* peer.c */
struct omx_peer {
	u64 addr;
	u32 index;
	u16 remote_index;	/* our index in this peer's table, 0xFFFF unknown */
	bool named;
	u64 named_seq;		/* when it was named: the newest name wins */
	char hostname[OMX_ABI_HOSTNAME_MAX];
	struct hlist_node hash;
	struct rcu_head rcu;
};
int omx_peers_init(void);
void omx_peers_stop(void);
void omx_peers_exit(void);
int omx_peer_add(u64 addr, const char *hostname, u32 *index);
void omx_peer_remove(u64 addr);
void omx_peers_clear(void);
struct omx_peer *omx_peer_by_index(u32 index);	/* under RCU */
struct omx_peer *omx_peer_by_addr(u64 addr);	/* under RCU */
int omx_peer_lookup(struct omx_cmd_peer *cmd, unsigned int how);
void omx_peer_set_remote_index(u32 index, u16 remote_index);
void omx_peer_set_hostname(u32 index, const char *name);
bool omx_peer_name_acceptable(const struct omx_peer *peer,
			      const char *name);
void omx_peer_name_later(u32 index, const char *name);
void omx_peers_sync(void);
void omx_peer_get_state(struct omx_cmd_peer_table_state *st);
void omx_peer_set_state(const struct omx_cmd_peer_table_state *st);
unsigned int omx_peer_count(void);
bool omx_peers_full(void);
u32 omx_host_query_magic(u64 addr);
#define OMX_PEER_BY_INDEX	0
#define OMX_PEER_BY_ADDR	1
#define OMX_PEER_BY_HOSTNAME	2

/* endpoint.c */
int omx_endpoint_open(struct omx_endpoint **epp, u32 board, u32 index);
void omx_endpoint_close(struct omx_endpoint *ep);
struct omx_endpoint *omx_endpoint_get(struct omx_iface *ifc,
				      u32 index);	/* under RCU */
union omx_evt *omx_event_reserve(struct omx_endpoint *ep,
				 bool reserved_slot, u32 *recvq_slot,
				 void **recvq_data);
void omx_event_commit(struct omx_endpoint *ep, bool used_recvq);
int omx_endpoint_wait(struct omx_endpoint *ep,
		      struct omx_cmd_wait_event *w);
void omx_endpoint_wakeup(struct omx_endpoint *ep);
void omx_endpoints_kill_iface(struct omx_iface *ifc, const char *why);

/* cmd.c */
void omx_fill_info(struct omx_cmd_get_info *info);

/* chardev.c */
int omx_chardev_init(void);
void omx_chardev_exit(void);

/* send.c */
struct sk_buff *omx_frame_alloc(struct omx_iface *ifc, size_t len);
int omx_xmit(struct omx_iface *ifc, struct sk_buff *skb,
	     enum omx_counter wire_cnt, enum omx_counter shared_cnt);
int omx_dest(struct omx_iface *ifc, u16 peer_index,
	     struct omx_wire_hdr *hdr);
u16 omx_remote_index(struct omx_iface *ifc,
		     const struct omx_peer *peer);
int omx_send_tiny(struct omx_endpoint *ep,
		  const struct omx_cmd_send_tiny *cmd, bool small);
int omx_send_medium_frag(struct omx_endpoint *ep,
			 const struct omx_cmd_send_medium_frag *cmd);
int omx_send_rndv(struct omx_endpoint *ep,
		  const struct omx_cmd_send_rndv *cmd);
int omx_send_notify(struct omx_endpoint *ep,
		    const struct omx_cmd_send_notify *cmd);
int omx_send_connect(struct omx_endpoint *ep,
		     const struct omx_cmd_send_connect *cmd);
int omx_send_liback(struct omx_endpoint *ep,
		    const struct omx_cmd_send_liback *cmd);
void omx_send_nack_lib(struct omx_iface *ifc, const u8 *dst_mac,
		       u16 peer_index, u8 dst_ep, u8 src_ep,
		       u16 lib_seqnum, u8 nack_type);
void omx_send_nack_mcp(struct omx_iface *ifc, const u8 *dst_mac,
		       u16 peer_index, u8 src_ep, u32 handle, u32 magic,
		       u8 nack_type);
void omx_send_host_query(struct omx_iface *ifc,
			 const struct omx_peer *peer);
void omx_send_host_reply(struct omx_iface *ifc, const u8 *dst_mac,
			 u16 remote_index, u32 magic);

/* recv.c */
struct omx_peer *omx_sender(struct omx_iface *ifc,
			    const struct omx_wire_pkt *pkt);
int omx_receive(struct sk_buff *skb, struct net_device *dev);
int omx_recv_init(void);
void omx_recv_exit(void);

/* region.c */
int omx_region_create(struct omx_endpoint *ep,
		      const struct omx_cmd_create_region *cmd);
int omx_region_destroy(struct omx_endpoint *ep, u32 id);
void omx_region_free(struct omx_endpoint *ep,
		     struct omx_region *r);
int omx_region_copy(struct omx_region *r, u64 offset, void *buf,
		    u32 len, bool to_region);
bool omx_region_admit(struct omx_region *r);


/* pull.c */
#define OMX_PULL_MAGIC_INDEX_MASK	0xffU	/* the endpoint, in a pull magic */
#define OMX_PULL_HANDLE_SLOT_SHIFT	22	/* handle = slot << 22 | generation */
#define OMX_PULL_GENERATION_MASK	((1U << OMX_PULL_HANDLE_SLOT_SHIFT) - 1)
int omx_pull_start(struct omx_endpoint *ep,
		   const struct omx_cmd_pull *cmd);
void omx_pull_cancel_all(struct omx_endpoint *ep);
void omx_recv_pull(struct omx_iface *ifc, const struct omx_wire_pkt *pkt);
void omx_recv_pull_reply(struct omx_iface *ifc,
			 const struct omx_wire_pkt *pkt);
void omx_recv_nack_mcp(struct omx_iface *ifc,
		       const struct omx_wire_pkt *pkt);

/* raw.c */
int omx_raw_open(struct omx_raw **rawp, u32 board);
void omx_raw_close(struct omx_raw *raw);
int omx_raw_send(struct omx_raw *raw, const void __user *buf, u32 len);
int omx_raw_recv(struct omx_raw *raw, struct omx_cmd_raw_recv *cmd);
void omx_raw_deliver(struct omx_iface *ifc, const u8 *frame, u32 len);
void omx_raw_detach(struct omx_iface *ifc);

/*
 * Built into the KUnit module, next to a loaded open-mx.ko maybe: the
 * interface's symbols must have one owner, so the copy exports nothing.
 */
#ifdef OMX_ENGINE_NO_EXPORTS
#undef EXPORT_SYMBOL_GPL
#define EXPORT_SYMBOL_GPL(sym)
#endif

#endif /* OMX_ENGINE_H */
