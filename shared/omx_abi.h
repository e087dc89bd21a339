/* SPDX-License-Identifier: MIT */
/*
 * omx_abi.h - the /dev/open-mx interface between libopen-mx and the driver.
 *
 * The driver is xen2mx-back in dom0 (native Open-MX stack on dom0's NICs)
 * and, in issue 4, xen2mx-front in a guest, which forwards these same
 * commands over the shared rings.  One library binary serves both.
 *
 * Split of work (the same as Open-MX 1.5): the driver owns the wire (frames
 * in and out, peer table, endpoints, pinned regions and the whole pull
 * engine of large messages); the library owns the message protocol
 * (sessions, sequence numbers, acks, retransmission, matching, medium
 * reassembly).
 *
 * An open file is either a control handle (no endpoint: info, peer table,
 * counters) or, after OMX_CMD_OPEN_ENDPOINT, one endpoint.  mmap() of an
 * endpoint file at offset 0 and length OMX_ABI_MMAP_SIZE gives:
 *
 *   OMX_ABI_DESC_OFFSET    struct omx_abi_desc: ring indexes, session id
 *   OMX_ABI_EVENTQ_OFFSET  OMX_ABI_EVENTQ_SLOTS events of 64 octets
 *   OMX_ABI_RECVQ_OFFSET   OMX_ABI_RECVQ_SLOTS slots of 8 KiB (small and
 *                          medium payloads the driver received)
 *   OMX_ABI_SENDQ_OFFSET   OMX_ABI_SENDQ_SLOTS slots of 8 KiB (medium
 *                          payloads the library hands to the driver)
 *
 * Event queue: single producer (driver), single consumer (library).  The
 * driver writes event slot (eventq_prod % SLOTS), then, after a write
 * barrier, increments desc->eventq_prod.  The library reads events up to
 * eventq_prod (read barrier after reading the index) and writes
 * desc->eventq_cons when it is done with them.  A full queue (prod - cons
 * == SLOTS) makes the driver drop the frame and count it (the sender
 * retransmits).  The receive queue works the same way with recvq_prod /
 * recvq_cons: every RECV_SMALL and RECV_MEDIUM_FRAG event owns the next
 * receive slot, so slots are consumed in event order.  The driver never
 * trusts the library's indexes beyond "how full is the queue".
 *
 * All multi-octet fields are in host order.  Every struct has a fixed
 * size on every ABI (no pointers, no longs); user addresses are uint64_t.
 */
#ifndef OMX_ABI_H
#define OMX_ABI_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <stdint.h>
#include <sys/ioctl.h>
#endif

/* Bumped on any incompatible change; the library refuses a mismatch. */
#define OMX_ABI_VERSION			0x0102

#define OMX_ABI_DEVICE			"/dev/open-mx"

/* ------------------------------------------------------------------------
 * Sizes
 */
#define OMX_ABI_PAGE			4096
#define OMX_ABI_EVENT_SIZE		64
#define OMX_ABI_EVENTQ_SLOTS		1024
#define OMX_ABI_RECVQ_SLOT_SIZE		8192
#define OMX_ABI_RECVQ_SLOTS		256
#define OMX_ABI_SENDQ_SLOT_SIZE		8192
#define OMX_ABI_SENDQ_SLOTS		128

#define OMX_ABI_DESC_OFFSET		0
#define OMX_ABI_EVENTQ_OFFSET		OMX_ABI_PAGE
#define OMX_ABI_EVENTQ_SIZE		(OMX_ABI_EVENTQ_SLOTS * OMX_ABI_EVENT_SIZE)
#define OMX_ABI_RECVQ_OFFSET		(OMX_ABI_EVENTQ_OFFSET + OMX_ABI_EVENTQ_SIZE)
#define OMX_ABI_RECVQ_SIZE		(OMX_ABI_RECVQ_SLOTS * OMX_ABI_RECVQ_SLOT_SIZE)
#define OMX_ABI_SENDQ_OFFSET		(OMX_ABI_RECVQ_OFFSET + OMX_ABI_RECVQ_SIZE)
#define OMX_ABI_SENDQ_SIZE		(OMX_ABI_SENDQ_SLOTS * OMX_ABI_SENDQ_SLOT_SIZE)
#define OMX_ABI_MMAP_SIZE		(OMX_ABI_SENDQ_OFFSET + OMX_ABI_SENDQ_SIZE)

#define OMX_ABI_IFNAMSIZ		16
#define OMX_ABI_HOSTNAME_MAX		80	/* NUL included */
#define OMX_ABI_COMMAND_MAX		16	/* process name (TASK_COMM_LEN) in endpoint info */
#define OMX_ABI_COUNTER_MAX		85
#define OMX_ABI_REGION_MAX		256	/* region ids per endpoint */
#define OMX_ABI_REGION_SEGS_MAX		256
#define OMX_ABI_PULL_MAX		64	/* pulls in flight per endpoint */
#define OMX_ABI_RAW_FRAME_MAX		1024

/* Board index of the same-host pseudo-board in counter queries */
#define OMX_ABI_SHARED_BOARD		0xfffffffeU

/* ------------------------------------------------------------------------
 * Shared descriptor (first page of the mapping)
 */
struct omx_abi_desc {
	uint32_t abi_version;		/* driver: OMX_ABI_VERSION */
	uint32_t session_id;		/* driver: drawn at open */
	uint32_t eventq_prod;		/* driver */
	uint32_t eventq_cons;		/* library */
	uint32_t recvq_prod;		/* driver */
	uint32_t recvq_cons;		/* library */
	uint32_t board_index;		/* driver */
	uint32_t endpoint_index;	/* driver */
	uint64_t board_addr;		/* driver: NIC id (MAC in bits 47..0) */
	uint32_t status;		/* driver: OMX_ABI_DESC_STATUS_* */
	uint32_t peer_index;		/* driver: own board's peer index */
	uint32_t wakeups;		/* driver: bumped by OMX_CMD_WAKEUP */
	uint32_t armed;		/* xen2mx guests: frontend asks dom0 to notify (xen2mx_proto.h) */
};

#define OMX_ABI_DESC_STATUS_IFACE_GONE	0x1	/* interface detached: endpoint dead */

/* ------------------------------------------------------------------------
 * Events
 */
enum omx_abi_event_type {
	OMX_EVT_NONE = 0,
	OMX_EVT_RECV_CONNECT_REQUEST,
	OMX_EVT_RECV_CONNECT_REPLY,
	OMX_EVT_RECV_TINY,		/* payload inline */
	OMX_EVT_RECV_SMALL,		/* payload in one receive slot */
	OMX_EVT_RECV_MEDIUM_FRAG,	/* fragment payload in one receive slot */
	OMX_EVT_RECV_RNDV,
	OMX_EVT_RECV_NOTIFY,
	OMX_EVT_RECV_LIBACK,
	OMX_EVT_RECV_NACK_LIB,
	OMX_EVT_PULL_DONE,
	OMX_EVT_TYPE_MAX
};

/* Octets 0..7 of every event */
struct omx_evt_head {
	uint8_t type;			/* enum omx_abi_event_type */
	uint8_t src_endpoint;		/* remote endpoint index */
	uint16_t peer_index;		/* remote board in the local peer table */
	uint32_t pad;
};

/* TINY, SMALL, MEDIUM fragment, RNDV: the message fields */
struct omx_evt_msg {
	struct omx_evt_head head;	/* 0 */
	uint64_t match_info;		/* 8 */
	uint16_t seqnum;		/* 16 */
	uint16_t piggyack;		/* 18 */
	uint32_t msg_length;		/* 20: whole message */
	union {				/* 24 */
		struct {
			uint8_t data[32];
		} tiny;
		struct {
			uint32_t recvq_slot;
		} small;
		struct {
			uint32_t recvq_slot;
			uint16_t frag_length;
			uint8_t frag_seqnum;
			uint8_t pad;
		} medium;
		struct {
			uint8_t rdma_id;
			uint8_t rdma_seqnum;
			uint16_t rdma_offset;
		} rndv;
		uint8_t u_pad[40];
	};
};

struct omx_evt_connect {
	struct omx_evt_head head;
	uint32_t src_session_id;	/* request: sender's session; reply: echo */
	uint32_t app_key;		/* request only */
	uint32_t target_session_id;	/* reply only */
	uint16_t target_recv_seqnum_start;
	uint8_t connect_seqnum;
	uint8_t status_code;		/* reply only */
	uint8_t pad[40];
};

struct omx_evt_notify {
	struct omx_evt_head head;
	uint32_t total_length;
	uint16_t seqnum;
	uint16_t piggyack;
	uint8_t rdma_id;
	uint8_t rdma_seqnum;
	uint8_t pad[46];
};

struct omx_evt_liback {
	struct omx_evt_head head;
	uint32_t acknum;
	uint16_t lib_seqnum;		/* next seqnum the peer expects */
	uint16_t pad0;
	uint8_t pad[48];
};

struct omx_evt_nack_lib {
	struct omx_evt_head head;	/* src_endpoint: the nacking endpoint */
	uint16_t lib_seqnum;		/* of the nacked packet, 0 for a connect */
	uint8_t nack_type;		/* OMX_WIRE_NACK_* */
	uint8_t pad[53];
};

struct omx_evt_pull_done {
	struct omx_evt_head head;
	uint64_t lib_cookie;		/* from struct omx_cmd_pull */
	uint32_t status;		/* OMX_ABI_PULL_* */
	uint32_t pulled_length;		/* bytes written into the local region */
	uint32_t local_region;
	uint8_t pad[36];
};

enum omx_abi_pull_status {
	OMX_ABI_PULL_SUCCESS = 0,
	OMX_ABI_PULL_TIMEOUT,		/* deadline passed: peer unreachable */
	OMX_ABI_PULL_BAD_ENDPT,		/* NACK_MCP 1 */
	OMX_ABI_PULL_ENDPT_CLOSED,	/* NACK_MCP 2 */
	OMX_ABI_PULL_BAD_SESSION,	/* NACK_MCP 3 */
	OMX_ABI_PULL_BAD_RDMAWIN,	/* NACK_MCP 4 */
	OMX_ABI_PULL_ABORTED,		/* local failure */
};

union omx_evt {
	struct omx_evt_head head;
	struct omx_evt_msg msg;
	struct omx_evt_connect connect;
	struct omx_evt_notify notify;
	struct omx_evt_liback liback;
	struct omx_evt_nack_lib nack_lib;
	struct omx_evt_pull_done pull_done;
	uint8_t raw[OMX_ABI_EVENT_SIZE];
};

/* ------------------------------------------------------------------------
 * Control commands (any open file)
 */
struct omx_cmd_get_info {
	uint32_t abi_version;
	uint32_t board_count;		/* interfaces attached now */
	uint32_t board_max;		/* module parameter ifaces */
	uint32_t endpoint_max;		/* module parameter endpoints */
	uint32_t peer_max;		/* module parameter peers */
	uint32_t counter_max;		/* OMX_ABI_COUNTER_MAX */
	uint32_t wire_mtu;		/* 9000 or 1500 */
	uint32_t medium_frag_max;	/* F */
	uint32_t medium_frags_max;
	uint32_t pull_reply_max;	/* R */
	uint32_t pull_block_replies;	/* N */
	uint32_t peer_table_configured;
	uint32_t peer_table_version;
	uint32_t peer_table_size;	/* entries in use */
	uint64_t peer_table_mapper;	/* NIC id of the mapper */
	uint32_t peer_table_full;
	uint32_t shared_comms;		/* same-host delivery enabled */
	char version[32];		/* package version string */
};

struct omx_cmd_board_info {
	uint32_t board_index;		/* in */
	uint32_t numa_node;		/* (uint32_t)-1 if unknown */
	uint64_t addr;			/* NIC id */
	uint32_t mtu;
	uint32_t status;		/* OMX_ABI_BOARD_* flags */
	uint32_t peer_index;
	uint32_t pad;
	char ifname[OMX_ABI_IFNAMSIZ];
	char hostname[OMX_ABI_HOSTNAME_MAX];
	char driver[32];
};

#define OMX_ABI_BOARD_DOWN		0x1
#define OMX_ABI_BOARD_BAD_MTU		0x2

struct omx_cmd_counters {
	uint32_t board_index;		/* in; OMX_ABI_SHARED_BOARD for the pseudo-board */
	uint32_t clear;			/* in: 1 = clear after reading (root) */
	uint32_t values[OMX_ABI_COUNTER_MAX];
	uint32_t pad;
};

struct omx_cmd_peer {
	uint32_t index;			/* in or out */
	uint32_t pad;
	uint64_t addr;			/* in or out */
	char hostname[OMX_ABI_HOSTNAME_MAX];	/* in or out; "" = unknown */
};

struct omx_cmd_peer_table_state {
	uint32_t configured;
	uint32_t version;
	uint32_t size;			/* out only */
	uint32_t pad;
	uint64_t mapper_id;
};

struct omx_cmd_set_hostname {
	uint32_t board_index;
	uint32_t pad;
	char hostname[OMX_ABI_HOSTNAME_MAX];
};

struct omx_cmd_endpoint_info {
	uint32_t board_index;		/* in */
	uint32_t endpoint_index;	/* in */
	uint32_t open;			/* out: 0 closed, 1 open */
	uint32_t pid;			/* out */
	uint32_t session_id;		/* out, root only */
	uint32_t pad;
	char command[OMX_ABI_COMMAND_MAX];
};

/* ------------------------------------------------------------------------
 * Endpoint commands
 */
struct omx_cmd_open_endpoint {
	uint32_t board_index;		/* in */
	uint32_t endpoint_index;	/* in */
	uint32_t session_id;		/* out */
	uint32_t pad;
};

/* Where an outgoing message goes, and its sequencing fields */
struct omx_cmd_send_head {
	uint16_t peer_index;		/* destination board in the peer table */
	uint8_t dest_endpoint;
	uint8_t pad0;
	uint32_t session;		/* target endpoint's session */
	uint16_t seqnum;
	uint16_t piggyack;
	uint32_t pad1;
	uint64_t match_info;
};

struct omx_cmd_send_tiny {		/* TINY (<= 32) and SMALL (<= 128) */
	struct omx_cmd_send_head head;
	uint32_t length;
	uint32_t pad;
	uint8_t data[128];
};

struct omx_cmd_send_medium_frag {
	struct omx_cmd_send_head head;
	uint32_t msg_length;
	uint32_t sendq_slot;		/* payload at OMX_ABI_SENDQ_OFFSET + slot * 8 KiB */
	uint16_t frag_length;
	uint8_t frag_seqnum;
	uint8_t pad[5];
};

struct omx_cmd_send_rndv {
	struct omx_cmd_send_head head;
	uint32_t msg_length;
	uint8_t rdma_id;		/* local region announced */
	uint8_t rdma_seqnum;
	uint16_t rdma_offset;
};

struct omx_cmd_send_notify {
	uint16_t peer_index;
	uint8_t dest_endpoint;
	uint8_t pad0;
	uint32_t session;
	uint32_t total_length;
	uint16_t seqnum;
	uint16_t piggyack;
	uint8_t rdma_id;
	uint8_t rdma_seqnum;
	uint8_t pad[6];
};

struct omx_cmd_send_connect {		/* request or reply */
	uint16_t peer_index;
	uint8_t dest_endpoint;
	uint8_t is_reply;
	uint32_t src_session_id;
	uint32_t app_key;		/* request */
	uint32_t target_session_id;	/* reply */
	uint16_t target_recv_seqnum_start;
	uint8_t connect_seqnum;
	uint8_t status_code;		/* reply */
	uint32_t pad;
};

struct omx_cmd_send_liback {
	uint16_t peer_index;
	uint8_t dest_endpoint;
	uint8_t pad0;
	uint32_t session;		/* the peer's session (back session) */
	uint32_t acknum;
	uint16_t lib_seqnum;		/* next seqnum expected */
	uint16_t pad1;
};

struct omx_abi_seg {
	uint64_t vaddr;
	uint64_t len;
};

struct omx_cmd_create_region {
	uint32_t id;			/* 0..OMX_ABI_REGION_MAX-1, chosen by the library */
	uint32_t nseg;			/* 0..OMX_ABI_REGION_SEGS_MAX */
	uint32_t writable;		/* 1: the driver may write (receive buffer) */
	uint32_t pad;
	uint64_t segs;			/* user pointer to nseg struct omx_abi_seg */
};

struct omx_cmd_destroy_region {
	uint32_t id;
	uint32_t pad;
};

struct omx_cmd_pull {
	uint16_t peer_index;
	uint8_t dest_endpoint;		/* owner of the data (the sender) */
	uint8_t pad0;
	uint32_t session;		/* the sender's session (back session) */
	uint32_t length;		/* bytes to pull */
	uint32_t local_region;		/* writable region receiving the data */
	uint32_t local_offset;
	uint8_t remote_rdma_id;
	uint8_t remote_rdma_seqnum;
	uint16_t remote_rdma_offset;
	uint32_t timeout_ms;		/* deadline of the whole pull */
	uint32_t pad1;
	uint64_t lib_cookie;		/* echoed in OMX_EVT_PULL_DONE */
};

struct omx_cmd_wait_event {
	uint32_t timeout_ms;		/* in: OMX_ABI_WAIT_INFINITE for none */
	uint32_t wakeups;		/* in: desc->wakeups the caller last saw */
	uint32_t status;		/* out: OMX_ABI_WAIT_* */
	uint32_t pad;
};

#define OMX_ABI_WAIT_INFINITE		0xffffffffU
enum omx_abi_wait_status {
	OMX_ABI_WAIT_EVENT = 0,		/* the event queue is not empty */
	OMX_ABI_WAIT_TIMEOUT,
	OMX_ABI_WAIT_WAKEUP,		/* OMX_CMD_WAKEUP was called */
	OMX_ABI_WAIT_INTR,		/* a signal arrived */
	OMX_ABI_WAIT_DEAD,		/* the endpoint's interface is gone */
};

/* Raw frames (peer discovery): one raw opener per board */
struct omx_cmd_raw_open {
	uint32_t board_index;
	uint32_t pad;
};

struct omx_cmd_raw_send {
	uint64_t buffer;		/* user pointer to a whole Ethernet frame */
	uint32_t length;		/* 14..OMX_ABI_RAW_FRAME_MAX */
	uint32_t pad;
};

struct omx_cmd_raw_recv {
	uint64_t buffer;		/* user pointer, OMX_ABI_RAW_FRAME_MAX octets */
	uint32_t length;		/* out */
	uint32_t timeout_ms;		/* in */
	uint32_t status;		/* out: 0 frame, 1 timeout */
	uint32_t pad;
};

/* ------------------------------------------------------------------------
 * Command numbers.  'X' 0x00..0x7f; 0x80.. are xen2mx_ioctl.h diagnostics.
 */
#define OMX_IOC_TYPE			'X'

#define OMX_CMD_GET_INFO		_IOR(OMX_IOC_TYPE, 0x01, struct omx_cmd_get_info)
#define OMX_CMD_GET_BOARD_INFO		_IOWR(OMX_IOC_TYPE, 0x02, struct omx_cmd_board_info)
#define OMX_CMD_GET_COUNTERS		_IOWR(OMX_IOC_TYPE, 0x03, struct omx_cmd_counters)
#define OMX_CMD_PEER_ADD		_IOW(OMX_IOC_TYPE, 0x04, struct omx_cmd_peer)
#define OMX_CMD_PEERS_CLEAR		_IO(OMX_IOC_TYPE, 0x05)
#define OMX_CMD_PEER_FROM_INDEX		_IOWR(OMX_IOC_TYPE, 0x06, struct omx_cmd_peer)
#define OMX_CMD_PEER_FROM_ADDR		_IOWR(OMX_IOC_TYPE, 0x07, struct omx_cmd_peer)
#define OMX_CMD_PEER_FROM_HOSTNAME	_IOWR(OMX_IOC_TYPE, 0x08, struct omx_cmd_peer)
#define OMX_CMD_SET_HOSTNAME		_IOW(OMX_IOC_TYPE, 0x09, struct omx_cmd_set_hostname)
#define OMX_CMD_GET_ENDPOINT_INFO	_IOWR(OMX_IOC_TYPE, 0x0a, struct omx_cmd_endpoint_info)
#define OMX_CMD_GET_PEER_TABLE_STATE	_IOR(OMX_IOC_TYPE, 0x0b, struct omx_cmd_peer_table_state)
#define OMX_CMD_SET_PEER_TABLE_STATE	_IOW(OMX_IOC_TYPE, 0x0c, struct omx_cmd_peer_table_state)

#define OMX_CMD_OPEN_ENDPOINT		_IOWR(OMX_IOC_TYPE, 0x10, struct omx_cmd_open_endpoint)
#define OMX_CMD_SEND_TINY		_IOW(OMX_IOC_TYPE, 0x11, struct omx_cmd_send_tiny)
#define OMX_CMD_SEND_SMALL		_IOW(OMX_IOC_TYPE, 0x12, struct omx_cmd_send_tiny)
#define OMX_CMD_SEND_MEDIUM_FRAG	_IOW(OMX_IOC_TYPE, 0x13, struct omx_cmd_send_medium_frag)
#define OMX_CMD_SEND_RNDV		_IOW(OMX_IOC_TYPE, 0x14, struct omx_cmd_send_rndv)
#define OMX_CMD_SEND_NOTIFY		_IOW(OMX_IOC_TYPE, 0x15, struct omx_cmd_send_notify)
#define OMX_CMD_SEND_CONNECT		_IOW(OMX_IOC_TYPE, 0x16, struct omx_cmd_send_connect)
#define OMX_CMD_SEND_LIBACK		_IOW(OMX_IOC_TYPE, 0x17, struct omx_cmd_send_liback)
#define OMX_CMD_CREATE_REGION		_IOW(OMX_IOC_TYPE, 0x18, struct omx_cmd_create_region)
#define OMX_CMD_DESTROY_REGION		_IOW(OMX_IOC_TYPE, 0x19, struct omx_cmd_destroy_region)
#define OMX_CMD_PULL			_IOW(OMX_IOC_TYPE, 0x1a, struct omx_cmd_pull)
#define OMX_CMD_WAIT_EVENT		_IOWR(OMX_IOC_TYPE, 0x1b, struct omx_cmd_wait_event)
#define OMX_CMD_WAKEUP			_IO(OMX_IOC_TYPE, 0x1c)

#define OMX_CMD_RAW_OPEN		_IOW(OMX_IOC_TYPE, 0x20, struct omx_cmd_raw_open)
#define OMX_CMD_RAW_SEND		_IOW(OMX_IOC_TYPE, 0x21, struct omx_cmd_raw_send)
#define OMX_CMD_RAW_RECV		_IOWR(OMX_IOC_TYPE, 0x22, struct omx_cmd_raw_recv)

/*
 * errno values of the commands, as the library maps them:
 *   ENODEV   board index not attached       EBUSY   endpoint / raw board in use
 *   EINVAL   bad field                      ENOSPC  table or queue full
 *   ENOENT   peer / region unknown          EPERM   root only
 *   EFAULT   bad user pointer               ENOMEM  allocation failed
 *   EBADF    endpoint command on a control handle, or the reverse
 *   ESHUTDOWN  the endpoint's interface was detached
 */

#ifdef __KERNEL__
#define OMX_ABI_ASSERT(c, m) static_assert(c, m)
#else
#define OMX_ABI_ASSERT(c, m) _Static_assert(c, m)
#endif
OMX_ABI_ASSERT(sizeof(struct omx_abi_desc) == 56, "descriptor");
OMX_ABI_ASSERT(sizeof(union omx_evt) == OMX_ABI_EVENT_SIZE, "event size");
OMX_ABI_ASSERT(sizeof(struct omx_evt_msg) == OMX_ABI_EVENT_SIZE, "msg event");
OMX_ABI_ASSERT(sizeof(struct omx_evt_connect) == OMX_ABI_EVENT_SIZE, "connect event");
OMX_ABI_ASSERT(sizeof(struct omx_evt_notify) == OMX_ABI_EVENT_SIZE, "notify event");
OMX_ABI_ASSERT(sizeof(struct omx_evt_liback) == OMX_ABI_EVENT_SIZE, "liback event");
OMX_ABI_ASSERT(sizeof(struct omx_evt_nack_lib) == OMX_ABI_EVENT_SIZE, "nack event");
OMX_ABI_ASSERT(sizeof(struct omx_evt_pull_done) == OMX_ABI_EVENT_SIZE, "pull event");
OMX_ABI_ASSERT(OMX_ABI_MMAP_SIZE % OMX_ABI_PAGE == 0, "mapping in pages");

#endif /* OMX_ABI_H */
