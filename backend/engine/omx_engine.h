/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine.h - the Open-MX engine of the backend: dom0's native Open-MX stack.
 *
 * Boards are attached Ethernet interfaces (iface.c).  The peer table
 * (peer.c) names every board of the fabric, local ones included.  Endpoints
 * (endpoint.c, chardev.c) are opened through /dev/open-mx and mapped into
 * the process (shared/omx_abi.h).  send.c turns library commands into
 * frames, recv.c turns frames into endpoint events, region.c pins the
 * buffers of large messages and pull.c moves them.  Frames for a board of
 * this host never reach a wire: xmit loops them back (shared comms).
 *
 * Locking, outermost first:
 *   x2mback_engine_mutex    attach/detach of boards, endpoint open/close
 *   ep->lock (spin, BH)     an endpoint's queues, regions and pulls
 *   x2mback_peers_lock      peer table writers (readers use RCU)
 * The receive path runs in softirq under rcu_read_lock() and takes only
 * ep->lock.
 */
#ifndef X2MBACK_ENGINE_H
#define X2MBACK_ENGINE_H

#include <linux/netdevice.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/timer.h>
#include <linux/wait.h>

#include "omx_abi.h"
#include "omx_wire.h"
#include "omx_pull_plan.h"

/* Module parameters (module.c) */
extern unsigned int x2mback_ifaces_max;		/* boards */
extern unsigned int x2mback_endpoints_max;	/* endpoints per board */
extern unsigned int x2mback_peers_max;		/* peer table entries */
extern unsigned int x2mback_wire_mtu;		/* 9000 or 1500 */

extern struct omx_wire_params x2mback_wire;	/* from x2mback_wire_mtu */
extern struct omx_pull_geom x2mback_pull_geom;
extern struct mutex x2mback_engine_mutex;

/* Counters, in the order of the Open-MX 1.5 table (omx_counters) */
enum x2mback_counter {
	X2M_CNT_SEND_TINY, X2M_CNT_SEND_SMALL, X2M_CNT_SEND_MEDIUMSQ_FRAG,
	X2M_CNT_SEND_MEDIUMVA_FRAG, X2M_CNT_SEND_RNDV, X2M_CNT_SEND_NOTIFY,
	X2M_CNT_SEND_CONNECT_REQUEST, X2M_CNT_SEND_CONNECT_REPLY,
	X2M_CNT_SEND_LIBACK, X2M_CNT_SEND_NACK_LIB, X2M_CNT_SEND_NACK_MCP,
	X2M_CNT_SEND_PULL, X2M_CNT_SEND_PULL_REPLY, X2M_CNT_SEND_RAW,
	X2M_CNT_SEND_HOST_QUERY, X2M_CNT_SEND_HOST_REPLY,
	X2M_CNT_RECV_TINY, X2M_CNT_RECV_SMALL, X2M_CNT_RECV_MEDIUM_FRAG,
	X2M_CNT_RECV_RNDV, X2M_CNT_RECV_NOTIFY, X2M_CNT_RECV_CONNECT_REQUEST,
	X2M_CNT_RECV_CONNECT_REPLY, X2M_CNT_RECV_LIBACK, X2M_CNT_RECV_NACK_LIB,
	X2M_CNT_RECV_NACK_MCP, X2M_CNT_RECV_PULL, X2M_CNT_RECV_PULL_REPLY,
	X2M_CNT_RECV_RAW, X2M_CNT_RECV_HOST_QUERY, X2M_CNT_RECV_HOST_REPLY,
	X2M_CNT_DMA_RECV_MEDIUM_FRAG, X2M_CNT_DMA_RECV_MEDIUM_FRAG_PARTIAL,
	X2M_CNT_DMA_RECV_PULL_REPLY, X2M_CNT_DMA_RECV_PULL_REPLY_PARTIAL,
	X2M_CNT_DMA_RECV_PULL_REPLY_DEFERRED, X2M_CNT_RECV_NONLINEAR_HEADER,
	X2M_CNT_EXP_EVENTQ_FULL, X2M_CNT_UNEXP_EVENTQ_FULL,
	X2M_CNT_SEND_NOMEM_SKB, X2M_CNT_SEND_NOMEM_MEDIUM_DEFEVENT,
	X2M_CNT_MEDIUMSQ_FRAG_SEND_LINEAR, X2M_CNT_PULL_NONFIRST_BLOCK_DONE_EARLY,
	X2M_CNT_PULL_REQUEST_NOTONLYFIRST_BLOCKS,
	X2M_CNT_PULL_TIMEOUT_HANDLER_FIRST_BLOCK,
	X2M_CNT_PULL_TIMEOUT_HANDLER_NONFIRST_BLOCK, X2M_CNT_PULL_TIMEOUT_ABORT,
	X2M_CNT_PULL_REPLY_SEND_LINEAR, X2M_CNT_PULL_REPLY_FILL_FAILED,
	X2M_CNT_DROP_BAD_HEADER_DATALEN, X2M_CNT_DROP_BAD_DATALEN,
	X2M_CNT_DROP_BAD_SKBLEN, X2M_CNT_DROP_BAD_PEER_ADDR,
	X2M_CNT_DROP_BAD_PEER_INDEX, X2M_CNT_DROP_BAD_ENDPOINT,
	X2M_CNT_DROP_BAD_SESSION, X2M_CNT_DROP_PULL_BAD_REPLIES,
	X2M_CNT_DROP_PULL_BAD_REGION, X2M_CNT_DROP_PULL_BAD_OFFSET_LENGTH,
	X2M_CNT_DROP_PULL_REPLY_BAD_MAGIC_ENDPOINT,
	X2M_CNT_DROP_PULL_REPLY_BAD_WIRE_HANDLE,
	X2M_CNT_DROP_PULL_REPLY_BAD_SEQNUM_WRAPAROUND,
	X2M_CNT_DROP_PULL_REPLY_BAD_SEQNUM, X2M_CNT_DROP_PULL_REPLY_DUPLICATE,
	X2M_CNT_DROP_NACK_MCP_BAD_MAGIC_ENDPOINT,
	X2M_CNT_DROP_NACK_MCP_BAD_WIRE_HANDLE,
	X2M_CNT_DROP_HOST_REPLY_BAD_MAGIC, X2M_CNT_DROP_RAW_QUEUE_FULL,
	X2M_CNT_DROP_RAW_TOO_LARGE, X2M_CNT_DROP_NOSYS_TYPE,
	X2M_CNT_DROP_INVALID_TYPE, X2M_CNT_DROP_UNKNOWN_TYPE,
	X2M_CNT_SHARED_TINY, X2M_CNT_SHARED_SMALL, X2M_CNT_SHARED_MEDIUMSQ_FRAG,
	X2M_CNT_SHARED_MEDIUMVA, X2M_CNT_SHARED_RNDV, X2M_CNT_SHARED_NOTIFY,
	X2M_CNT_SHARED_CONNECT_REQUEST, X2M_CNT_SHARED_CONNECT_REPLY,
	X2M_CNT_SHARED_LIBACK, X2M_CNT_SHARED_PULL,
	X2M_CNT_SHARED_DMA_MEDIUM_FRAG, X2M_CNT_SHARED_DMA_LARGE,
	X2M_CNT_SHARED_DMA_PARTIAL_LARGE,
	X2M_CNT_MAX
};
static_assert(X2M_CNT_MAX == OMX_ABI_COUNTER_MAX, "85 Open-MX counters");

struct x2mback_counters_omx {
	atomic_t v[X2M_CNT_MAX];
};

/* Counters of the same-host pseudo-board (OMX_ABI_SHARED_BOARD) */
extern struct x2mback_counters_omx x2mback_shared_counters;

struct x2mback_endpoint;
struct x2mback_raw;

struct x2mback_device;

/*
 * A board: an attached interface, or a guest's virtual board (guest set)
 * that rides on one: its own MAC (in the interface's unicast filter), its
 * own peer-table entry and endpoints, the interface's wire.
 */
struct x2mback_iface {
	struct net_device *dev;		/* reference held while attached */
	netdevice_tracker dev_tracker;
	struct x2mback_device *guest;	/* owner of a virtual board, or NULL */
	unsigned int index;		/* board number */
	u64 addr;			/* NIC id = MAC */
	u8 mac[ETH_ALEN];		/* the same, as frames carry it */
	u32 endpoint_max;		/* indexes 0..endpoint_max-1 exist */
	u32 peer_index;			/* own entry in the peer table */
	char hostname[OMX_ABI_HOSTNAME_MAX];
	struct x2mback_endpoint __rcu **endpoints;	/* x2mback_endpoints_max */
	unsigned int endpoints_open;
	struct x2mback_raw *raw;	/* discovery opener, under engine mutex */
	struct x2mback_counters_omx counters;
	/*
	 * Its share of the same-host counters (what it sent without a
	 * wire): a guest sees these as its shared board, not the host's.
	 */
	struct x2mback_counters_omx shared_counters;
	struct rcu_head rcu;
};

/* Board slots; readers under RCU, writers under x2mback_engine_mutex */
extern struct x2mback_iface __rcu **x2mback_ifaces;

/*
 * A pinned user buffer (region.c), or a guest's region (region_grant.c):
 * pieces of granted pages moved by grant copy, never mapped.
 */
struct x2mback_gregion;
struct x2mback_region {
	u32 id;
	bool writable;
	u64 length;			/* sum of the segments */
	struct x2mback_gregion *grants;	/* a guest's region, or NULL */
	unsigned int nseg;
	struct x2mback_region_seg {
		u64 vaddr;
		u64 len;
		unsigned int first_page_offset;
		unsigned int nr_pages;
		struct page **pages;
	} *segs;
};

/* A large-message pull this endpoint is running (pull.c) */
struct x2mback_pull {
	struct x2mback_endpoint *ep;
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
struct x2mback_endpoint {
	/*
	 * NULL once the board was detached under the endpoint.  Readers
	 * outside x2mback_engine_mutex use READ_ONCE() under rcu_read_lock():
	 * detaching clears it before the RCU grace period that frees the board.
	 */
	struct x2mback_iface *iface;
	u32 index;
	u32 session_id;
	pid_t pid;
	char command[OMX_ABI_COMMAND_MAX];
	struct x2mback_device *guest;	/* a guest's endpoint: memory is its */

	spinlock_t lock;		/* everything below */
	bool closing;
	void *mem;			/* vmalloc_user(OMX_ABI_MMAP_SIZE) */
	struct omx_abi_desc *desc;
	u32 eventq_prod;		/* private copies: the library */
	u32 recvq_prod;			/* cannot change ours */
	struct x2mback_region *regions[OMX_ABI_REGION_MAX];
	unsigned long pinned_pages;
	struct x2mback_pull pulls[OMX_ABI_PULL_MAX];
	u32 pull_magic;			/* random; low octet = index */

	wait_queue_head_t waitq;
	atomic_t wakeups;
};

/* iface.c */
int x2mback_ifaces_init(void);
void x2mback_ifaces_exit(void);
int x2mback_ifnames_set(const char *val);
int x2mback_ifnames_get(char *buf);
struct x2mback_iface *x2mback_iface_by_dev(const struct net_device *dev);
struct x2mback_iface *x2mback_iface_for_frame(const struct net_device *dev,
					      const u8 *dst_mac);
int x2mback_vboard_create(struct x2mback_device *guest, const char *ifname,
			  const u8 *mac, const char *hostname,
			  u32 endpoint_max, struct x2mback_iface **out);
void x2mback_vboard_destroy(struct x2mback_iface *ifc);
void x2mback_ifaces_kill_endpoints(void);
struct x2mback_iface *x2mback_iface_by_addr(u64 addr);
unsigned int x2mback_iface_count(void);
void x2mback_count(struct x2mback_iface *ifc, enum x2mback_counter c);
void x2mback_count_shared(struct x2mback_iface *ifc, enum x2mback_counter c);
u64 x2mback_mac_to_addr(const u8 *mac);
void x2mback_addr_to_mac(u64 addr, u8 *mac);

/* peer.c */
struct x2mback_peer {
	u64 addr;
	u32 index;
	u16 remote_index;	/* our index in this peer's table, 0xFFFF unknown */
	bool named;
	u64 named_seq;		/* when it was named: the newest name wins */
	char hostname[OMX_ABI_HOSTNAME_MAX];
	struct hlist_node hash;
	struct rcu_head rcu;
};
int x2mback_peers_init(void);
void x2mback_peers_stop(void);
void x2mback_peers_exit(void);
int x2mback_peer_add(u64 addr, const char *hostname, u32 *index);
void x2mback_peer_remove(u64 addr);
void x2mback_peers_clear(void);
struct x2mback_peer *x2mback_peer_by_index(u32 index);	/* under RCU */
struct x2mback_peer *x2mback_peer_by_addr(u64 addr);	/* under RCU */
int x2mback_peer_lookup(struct omx_cmd_peer *cmd, unsigned int how);
void x2mback_peer_set_remote_index(u32 index, u16 remote_index);
void x2mback_peer_set_hostname(u32 index, const char *name);
bool x2mback_peer_name_acceptable(const struct x2mback_peer *peer,
				  const char *name);
void x2mback_peer_name_later(u32 index, const char *name);
void x2mback_peers_sync(void);
void x2mback_peer_get_state(struct omx_cmd_peer_table_state *st);
void x2mback_peer_set_state(const struct omx_cmd_peer_table_state *st);
unsigned int x2mback_peer_count(void);
bool x2mback_peers_full(void);
u32 x2mback_host_query_magic(u64 addr);
#define X2M_PEER_BY_INDEX	0
#define X2M_PEER_BY_ADDR	1
#define X2M_PEER_BY_HOSTNAME	2

/* endpoint.c */
int x2mback_endpoint_open(struct x2mback_endpoint **epp, u32 board, u32 index);
int x2mback_endpoint_open_guest(struct x2mback_endpoint **epp,
				struct x2mback_iface *ifc, u32 index,
				void *mem, const char *owner);
void x2mback_endpoint_close(struct x2mback_endpoint *ep);
struct x2mback_endpoint *x2mback_endpoint_get(struct x2mback_iface *ifc,
					      u32 index);	/* under RCU */
union omx_evt *x2mback_event_reserve(struct x2mback_endpoint *ep,
				     bool reserved_slot, u32 *recvq_slot,
				     void **recvq_data);
void x2mback_event_commit(struct x2mback_endpoint *ep, bool used_recvq);
int x2mback_endpoint_wait(struct x2mback_endpoint *ep,
			  struct omx_cmd_wait_event *w);
void x2mback_endpoint_wakeup(struct x2mback_endpoint *ep);
void x2mback_endpoints_kill_iface(struct x2mback_iface *ifc, const char *why);

/* chardev.c */
void x2mback_fill_info(struct omx_cmd_get_info *info);
void x2mback_board_describe(struct x2mback_iface *ifc,
			    struct omx_cmd_board_info *bi);
int x2mback_chardev_init(void);
void x2mback_chardev_exit(void);

/* send.c */
struct sk_buff *x2mback_frame_alloc(struct x2mback_iface *ifc, size_t len);
int x2mback_xmit(struct x2mback_iface *ifc, struct sk_buff *skb,
		 enum x2mback_counter wire_cnt, enum x2mback_counter shared_cnt);
int x2mback_dest(struct x2mback_iface *ifc, u16 peer_index,
		 struct omx_wire_hdr *hdr);
u16 x2mback_remote_index(struct x2mback_iface *ifc,
			 const struct x2mback_peer *peer);
int x2mback_send_tiny(struct x2mback_endpoint *ep,
		      const struct omx_cmd_send_tiny *cmd, bool small);
int x2mback_send_medium_frag(struct x2mback_endpoint *ep,
			     const struct omx_cmd_send_medium_frag *cmd);
int x2mback_send_rndv(struct x2mback_endpoint *ep,
		      const struct omx_cmd_send_rndv *cmd);
int x2mback_send_notify(struct x2mback_endpoint *ep,
			const struct omx_cmd_send_notify *cmd);
int x2mback_send_connect(struct x2mback_endpoint *ep,
			 const struct omx_cmd_send_connect *cmd);
int x2mback_send_liback(struct x2mback_endpoint *ep,
			const struct omx_cmd_send_liback *cmd);
void x2mback_send_nack_lib(struct x2mback_iface *ifc, const u8 *dst_mac,
			   u16 peer_index, u8 dst_ep, u8 src_ep,
			   u16 lib_seqnum, u8 nack_type);
void x2mback_send_nack_mcp(struct x2mback_iface *ifc, const u8 *dst_mac,
			   u16 peer_index, u8 src_ep, u32 handle, u32 magic,
			   u8 nack_type);
void x2mback_send_host_query(struct x2mback_iface *ifc,
			     const struct x2mback_peer *peer);
void x2mback_send_host_reply(struct x2mback_iface *ifc, const u8 *dst_mac,
			     u16 remote_index, u32 magic);

/* recv.c */
struct x2mback_peer *x2mback_sender(struct x2mback_iface *ifc,
				    const struct omx_wire_pkt *pkt);
int x2mback_receive(struct sk_buff *skb, struct net_device *dev);
int x2mback_recv_init(void);
void x2mback_recv_exit(void);

/* region.c */
int x2mback_region_create(struct x2mback_endpoint *ep,
			  const struct omx_cmd_create_region *cmd);
int x2mback_region_destroy(struct x2mback_endpoint *ep, u32 id);
void x2mback_region_free(struct x2mback_endpoint *ep,
			 struct x2mback_region *r);
int x2mback_region_copy(struct x2mback_region *r, u64 offset, void *buf,
			u32 len, bool to_region);
bool x2mback_region_admit(struct x2mback_region *r);
int x2mback_region_install(struct x2mback_endpoint *ep,
			   struct x2mback_region *r);

/* pull.c */
#define X2M_PULL_MAGIC_INDEX_MASK	0xffU	/* the endpoint, in a pull magic */
#define X2M_PULL_HANDLE_SLOT_SHIFT	22	/* handle = slot << 22 | generation */
#define X2M_PULL_GENERATION_MASK	((1U << X2M_PULL_HANDLE_SLOT_SHIFT) - 1)
int x2mback_pull_start(struct x2mback_endpoint *ep,
		       const struct omx_cmd_pull *cmd);
void x2mback_pull_cancel_all(struct x2mback_endpoint *ep);
void x2mback_recv_pull(struct x2mback_iface *ifc, const struct omx_wire_pkt *pkt);
void x2mback_recv_pull_reply(struct x2mback_iface *ifc,
			     const struct omx_wire_pkt *pkt);
void x2mback_recv_nack_mcp(struct x2mback_iface *ifc,
			   const struct omx_wire_pkt *pkt);

/* raw.c */
int x2mback_raw_open(struct x2mback_raw **rawp, u32 board);
void x2mback_raw_close(struct x2mback_raw *raw);
int x2mback_raw_send(struct x2mback_raw *raw, const void __user *buf, u32 len);
int x2mback_raw_recv(struct x2mback_raw *raw, struct omx_cmd_raw_recv *cmd);
void x2mback_raw_deliver(struct x2mback_iface *ifc, const u8 *frame, u32 len);
void x2mback_raw_detach(struct x2mback_iface *ifc);

#endif /* X2MBACK_ENGINE_H */
