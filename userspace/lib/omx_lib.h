/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_lib.h - private state of the libopen-mx core: the library globals,
 * endpoints, partners (remote endpoints) and requests, and the functions
 * the core files share.
 *
 * Split of work with the driver (shared/omx_abi.h): the driver moves
 * frames, keeps the peer table, pins regions and runs whole pulls; the
 * library owns the message protocol of openmx-wire.md section 6:
 * sessions and the connect handshake, sequence numbers, acks,
 * retransmission, matching, medium reassembly and the rendezvous
 * bookkeeping.  Nothing runs in the background: all protocol work happens
 * inside API calls (mx-api.md 7.12), under the endpoint's mutex.
 *
 * Files:
 *   omx_init.c      omx__init_api/omx_finalize, globals
 *   omx_env.c       environment variables (mx-api.md 6.1, 6.2)
 *   omx_error.c     error-handler dispatch, verbose and fatal messages
 *   omx_endpoint.c  open/close, endpoint parameters
 *   omx_partner.c   remote endpoints, addresses, peer resets
 *   omx_request.c   request lifetime, completion, segment copies
 *   omx_connect.c   connect handshake (wire 6.4), disconnect
 *   omx_send.c      isend/issend: tiny, small, medium, rendezvous
 *   omx_recv.c      irecv and every incoming message (6.1, 6.5)
 *   omx_large.c     regions, pulls and notifies (6.6)
 *   omx_ack.c       piggyacks, libacks, nacks (6.2, 6.3)
 *   omx_self.c      sends to the same endpoint (mx-api.md 7.1)
 *   omx_progress.c  event loop, timers, sleeping in the driver
 *   omx_test.c      test/wait/peek/probe/cancel/forget
 *   omx_info.c      boards, hostnames, omx_get_info
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_LIB_H
#define OMX_LIB_H

#include <pthread.h>
#include <stdint.h>

#include "open-mx.h"
#include "omx_abi.h"
#include "omx_driver.h"
#include "omx_export.h"
#include "omx_list.h"
#include "omx_match.h"
#include "omx_medium.h"
#include "omx_seq.h"

#define OMX_TINY_MAX		32
#define OMX_SMALL_MAX		128
#define OMX_REGION_SENDS_MAX	128	/* concurrent large sends per endpoint */
#define OMX_REGION_SEQNUM_START	23	/* first rdma seqnum of every region id */
#define OMX_MEDIUM_FRAGS_MAX	OMX_MEDIUM_FRAGS_LIMIT

/* Protocol clock (openmx-wire.md 6.2, 6.3), in microseconds. */
#define OMX_RESEND_DELAY_US	500000		/* (HZ + 2) / 2 jiffies */
#define OMX_ACK_DELAY_US	15625		/* (HZ + 64) / 64 jiffies */
/* Silence, in resend periods, before probing a peer we wait on (omx_connect.c) */
#define OMX_PROBE_IDLE_RESENDS	2

/* Request timeout in retransmissions: "never give up". */
#define OMX_RESENDS_INFINITE	UINT32_MAX

/* ------------------------------------------------------------------------
 * Library globals
 */
struct omx__globals {
	int initialized;
	int control_fd;
	struct omx_cmd_get_info info;	/* at init */
	uint32_t medium_frag_max;	/* F */
	uint32_t medium_frags_max;
	uint32_t medium_max;		/* F x frags: upper clamp of the thresholds */

	/* Environment (omx_env.c) */
	int verbose;
	char verbose_prefix[64];
	uint32_t abort_sleeps;		/* seconds before a fatal exit */
	int fatal_errors;
	int disable_self;
	int disable_shared;
	uint32_t rndv_threshold;
	uint32_t shared_rndv_threshold;
	uint32_t resends_max;		/* OMX_RESENDS_INFINITE allowed */
	uint32_t zombie_max;
	uint32_t notacked_max;
	int waitspin;
	int waitintr;
	uint32_t any_endpoint;		/* OMX_ANY_ENDPOINT when unset */
	int ctxid_set;
	uint8_t ctxid_bits, ctxid_shift;

	/* Protocol clock; constants except in tests */
	uint64_t resend_delay_us;
	uint64_t ack_delay_us;

	/* Boards attached at init: their NIC ids make peers "same host". */
	uint32_t nlocal_boards;
	uint64_t local_board_addrs[64];

	pthread_mutex_t lock;		/* the endpoint list below */
	struct omx_list endpoints;
};

extern struct omx__globals omx__globals;

/* ------------------------------------------------------------------------
 * Partners: one per remote endpoint this endpoint talks to
 */
struct omx__partner {
	struct omx__partner *hash_next;
	struct omx_endpoint *ep;		/* owner */
	uint64_t board_addr;
	uint16_t peer_index;
	uint8_t endpoint_index;
	uint8_t local;				/* same host, shared comms on: shared threshold */

	/*
	 * Sessions (wire 6.4): "true" goes into TINY/SMALL/MEDIUM/RNDV and is
	 * learned from the reply to our connect or from the peer's connect;
	 * "back" goes into libacks, PULL and NOTIFY and is learned only from
	 * the peer's own connect.
	 */
	uint32_t true_session;
	uint32_t back_session;
	uint8_t true_session_valid;
	uint8_t back_session_valid;

	uint8_t next_connect_seqnum;
	uint8_t connect_seqnum_seen;	/* of the last connect request processed */
	uint8_t connect_seqnum_seen_valid;

	/* Send side */
	uint16_t next_send_seq;
	uint16_t next_acked_send_seq;	/* first sequence not acked yet */
	struct omx_list non_acked_q;	/* sequenced requests, by seqnum */
	uint32_t throttled;		/* its sends on ep->throttled_q */
	uint32_t throttle_pass;		/* blocked in this pass of omx__send_throttled */
	uint32_t next_send_acknum;	/* liback counter, first = 1 */
	uint32_t last_recv_acknum;

	/* Receive side */
	uint16_t next_frag_recv_seq;	/* first not completely received */
	uint16_t next_match_recv_seq;	/* next to match */
	uint16_t last_acked_recv_seq;	/* the ack value we last sent */
	struct omx_list partial_q;	/* partly received mediums, by seqnum */
	struct omx_list early_q;	/* packets ahead of next_match, by seqnum */

	/* Delayed or immediate liback pending (ep->ack_q, ordered by deadline) */
	struct omx_list ack_elt;
	uint64_t ack_deadline_us;

	/*
	 * Liveness (omx_connect.c): while large sends wait for its NOTIFY,
	 * the partner is on ep->watch_q, and a connect request probes it
	 * after OMX_PROBE_IDLE_RESENDS resend periods without a packet.
	 */
	uint32_t notify_waits;		/* large sends acked, awaiting NOTIFY */
	struct omx_list watch_elt;
	uint8_t heard;			/* a packet came since the last look */
	uint64_t last_heard_us;
	struct omx__request *probe;	/* in flight, or NULL */

	void *user_context;		/* omx_set_endpoint_addr_context */
};

/* ------------------------------------------------------------------------
 * Requests
 */
enum omx__req_type {
	OMX_REQ_SEND_TINY,
	OMX_REQ_SEND_SMALL,
	OMX_REQ_SEND_MEDIUM,
	OMX_REQ_SEND_LARGE,	/* rendezvous, also every issend */
	OMX_REQ_SEND_SELF,	/* send to the same endpoint, inside the library */
	OMX_REQ_RECV,		/* application receive */
	OMX_REQ_UNEXP,		/* message that arrived before its receive */
	OMX_REQ_NOTIFY,		/* internal: NOTIFY of a large message nobody pulled */
	OMX_REQ_CONNECT,
};

enum omx__req_state {
	OMX_REQ_THROTTLED	= 1U << 0,	/* send waiting for resources (ep->throttled_q) */
	OMX_REQ_NEED_ACK	= 1U << 1,	/* sequenced packet not acked (partner->non_acked_q) */
	OMX_REQ_NEED_REPLY	= 1U << 2,	/* large send awaiting NOTIFY, connect awaiting
						 * reply, self send awaiting its receive */
	OMX_REQ_POSTED		= 1U << 3,	/* receive in the posted queue */
	OMX_REQ_UNEXP_QUEUED	= 1U << 4,	/* message in the unexpected queue */
	OMX_REQ_PARTIAL		= 1U << 5,	/* medium partly received (partner->partial_q) */
	OMX_REQ_PULLING		= 1U << 6,	/* pull waiting to start or in the driver */
	OMX_REQ_DONE		= 1U << 7,	/* status is final */
	OMX_REQ_RELEASED	= 1U << 8,	/* no application handle any more */
	OMX_REQ_ZOMBIE		= 1U << 9,	/* done early, counted in ep->zombies */
	OMX_REQ_WAIT_MATCHED	= 1U << 10,	/* receive fed by a partial unexpected medium */
	OMX_REQ_WAIT_NOTIFY	= 1U << 11,	/* large send acked, counted in
						 * partner->notify_waits */
};

#define OMX_REQ_BUSY_MASK (OMX_REQ_THROTTLED | OMX_REQ_NEED_ACK |	\
			   OMX_REQ_NEED_REPLY | OMX_REQ_POSTED |	\
			   OMX_REQ_UNEXP_QUEUED | OMX_REQ_PARTIAL |	\
			   OMX_REQ_PULLING | OMX_REQ_WAIT_MATCHED)

/* A user buffer: one segment or a copy of the application's vector. */
struct omx__segs {
	omx_seg_t *segs;
	uint32_t nseg;
	uint32_t total;
	omx_seg_t single;
};

struct omx__request {
	enum omx__req_type type;
	uint32_t state;
	omx_status_t status;
	struct omx_endpoint *ep;
	struct omx__partner *partner;

	struct omx_list all_elt;	/* ep->all_q: everything alive, freed at close */
	struct omx_list queue_elt;	/* throttled_q, connect_q or partner->partial_q */
	struct omx_list done_elt;	/* ep->done_q */
	struct omx_list ack_elt;	/* partner->non_acked_q */
	struct omx_list resend_elt;	/* ep->resend_q, by last send time */
	struct omx_match_entry match;	/* posted receive or unexpected message */

	uint16_t seqnum;		/* of the sequenced packet this request sends */
	uint8_t synchronous;		/* issend */
	uint8_t quiet;			/* complete without the error handler */
	uint32_t resends;
	uint32_t resends_max;
	uint64_t last_send_us;

	struct omx__segs segs;		/* send source or receive destination */

	union {
		struct {
			uint8_t data[OMX_SMALL_MAX];	/* kept for resends */
		} small;
		struct {
			uint16_t slots[OMX_MEDIUM_FRAGS_MAX];
			uint32_t nfrags;
		} medium;
		struct {
			uint8_t region;
			uint8_t rdma_seqnum;
		} large;
		struct {
			struct omx__request *unexp;	/* the queued copy, until matched */
		} self;
		struct {
			uint16_t msg_seqnum;
			struct omx_medium_rx medium;
			void *unexp_buf;		/* UNEXP: the library's copy */
			struct omx__request *matched;	/* UNEXP partial: the receive it feeds */
			struct omx__request *self_send;	/* UNEXP from self: the send */
			uint8_t is_large;
			uint8_t rdma_id;		/* remote region (RNDV) */
			uint8_t rdma_seqnum;
			uint16_t rdma_offset;
			int local_region;		/* -1 when none */
			uint32_t pull_gen;
			uint32_t notify_length;		/* NOTIFY total_length */
		} recv;
		struct {
			uint32_t key;
			uint8_t connect_seqnum;
			uint8_t probe;		/* liveness probe, internal */
		} connect;
	};
};

union omx_request {
	struct omx__request req;
};

static inline struct omx__request *omx__req(omx_request_t handle)
{
	return &handle->req;
}

static inline omx_request_t omx__handle(struct omx__request *req)
{
	return (omx_request_t)req;
}

/* ------------------------------------------------------------------------
 * Endpoints
 */
struct omx__region {
	struct omx__request *req;	/* NULL: free */
	uint8_t seqnum;			/* rdma seqnum of the next use */
};

#define OMX_PARTNER_HASH_SIZE	256

struct omx_endpoint {
	pthread_mutex_t lock;
	struct omx_list globals_elt;	/* omx__globals.endpoints */
	int fd;
	void *map;
	volatile struct omx_abi_desc *desc;
	const union omx_evt *eventq;
	const uint8_t *recvq;
	uint8_t *sendq;

	uint32_t board_index;
	uint32_t endpoint_index;
	uint32_t session_id;
	uint32_t key;
	uint64_t board_addr;
	uint16_t peer_index;		/* own board in the peer table */

	omx_error_handler_t error_handler;	/* NULL: the global one */
	struct omx_match_queues mq;

	struct omx__partner *partners[OMX_PARTNER_HASH_SIZE];
	struct omx__partner *myself;

	struct omx_list all_q;		/* every live request */
	struct omx_list done_q;		/* done, handle still held, completion order */
	struct omx_list throttled_q;	/* sends waiting for resources, post order */
	struct omx_list connect_q;	/* connects waiting for their reply */
	struct omx_list resend_q;	/* sequenced sends and connects, by last send */
	struct omx_list pull_wait_q;	/* large receives waiting to start a pull */
	struct omx_list ack_q;		/* partners owing a liback, by deadline */
	struct omx_list watch_q;	/* partners we wait on for a NOTIFY */

	uint32_t zombies;		/* done early, still unacked */
	uint32_t throttle_pass;

	uint16_t sendq_free[OMX_ABI_SENDQ_SLOTS];
	uint32_t sendq_nfree;

	struct omx__region regions[OMX_ABI_REGION_MAX];
	uint32_t large_sends;		/* regions held by sends */
	uint32_t region_next;		/* where to look for a free id */
	uint32_t pulls;			/* pulls in the driver */
	uint32_t pull_gen;

	uint32_t resends_max;		/* default of new requests */
	uint32_t pull_timeout_ms;

	omx_unexp_handler_t unexp_handler;
	void *unexp_handler_context;
	int in_handler;			/* the unexpected handler is running */
	pthread_t handler_thread;
	pthread_cond_t progress_cond;	/* handler returned, progression re-enabled, wakeup */
	int progression_disabled;	/* omx_disable_progression */

	uint32_t driver_complaints;	/* unexpected command errors reported */
	uint32_t sleepers;		/* threads in OMX_CMD_WAIT_EVENT */
	uint32_t user_wakeups;		/* omx_wakeup calls */
	int dead;			/* interface detached */
};

static inline void omx__lock(struct omx_endpoint *ep)
{
	pthread_mutex_lock(&ep->lock);
}

static inline void omx__unlock(struct omx_endpoint *ep)
{
	pthread_mutex_unlock(&ep->lock);
}

/* ------------------------------------------------------------------------
 * Shared functions, by file
 */

/* omx_env.c */
void omx__env_read(void);
const char *omx__verbose_prefix(void);

/* omx_error.c */
omx_return_t omx__error(struct omx_endpoint *ep, omx_return_t ret,
			const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void omx__abort(struct omx_endpoint *ep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
void omx__verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void omx__error_handler_init(void);

/* omx_init.c */
omx_return_t omx__errno_to_return(int err);
uint32_t omx__rndv_threshold(void);	/* also used by the MX layer */

/* omx_endpoint.c */
int omx__endpoint_valid(struct omx_endpoint *ep);

/* omx_partner.c */
struct omx__partner *omx__partner_lookup(struct omx_endpoint *ep,
					 uint16_t peer_index,
					 uint8_t endpoint_index);
struct omx__partner *omx__partner_get(struct omx_endpoint *ep,
				      uint16_t peer_index,
				      uint8_t endpoint_index);
void omx__partner_free_all(struct omx_endpoint *ep);
void omx__partner_to_addr(const struct omx__partner *p,
			  omx_endpoint_addr_t *addr);
struct omx__partner *omx__partner_from_addr(const omx_endpoint_addr_t *addr);
void omx__partner_reset(struct omx_endpoint *ep, struct omx__partner *p,
			omx_return_t code);

/* omx_request.c */
struct omx__request *omx__request_alloc(struct omx_endpoint *ep,
					enum omx__req_type type);
void omx__request_free(struct omx__request *req);
void omx__request_release(struct omx__request *req);
void omx__request_try_free(struct omx__request *req);
void omx__complete(struct omx__request *req, omx_return_t code);
void omx__complete_early(struct omx__request *req);
int omx__segs_init(struct omx__segs *s, const omx_seg_t *segs, uint32_t nseg);
void omx__segs_init_single(struct omx__segs *s, void *buf, uint32_t len);
void omx__segs_free(struct omx__segs *s);
void omx__segs_copy_to(const struct omx__segs *s, uint32_t offset,
		       const void *src, uint32_t len);
void omx__segs_copy_from(const struct omx__segs *s, uint32_t offset,
			 void *dst, uint32_t len);

/* omx_connect.c */
void omx__recv_connect_request(struct omx_endpoint *ep,
			       const struct omx_evt_connect *evt);
void omx__recv_connect_reply(struct omx_endpoint *ep,
			     const struct omx_evt_connect *evt);
void omx__connect_resend(struct omx__request *req);
void omx__watch_notify(struct omx__request *req);
void omx__unwatch_notify(struct omx__request *req);
void omx__probes_due(struct omx_endpoint *ep, uint64_t now);
uint64_t omx__probe_deadline(struct omx_endpoint *ep);
void omx__probe_freed(struct omx__request *req);
void omx__probe_nacked(struct omx__request *req, omx_return_t code);

static inline void omx__partner_heard(struct omx__partner *p)
{
	p->heard = 1;
}

/* omx_send.c */
int omx__driver_cmd(struct omx_endpoint *ep, unsigned long cmd, void *arg);
void omx__send_or_throttle(struct omx__request *req);
void omx__send_throttled(struct omx_endpoint *ep);
void omx__send_resend(struct omx__request *req);
void omx__send_acked(struct omx__request *req);
void omx__send_large_notified(struct omx__request *req, uint32_t xfer_length);
void omx__send_fail(struct omx__request *req, omx_return_t code);

/* omx_recv.c */
void omx__recv_msg(struct omx_endpoint *ep, const union omx_evt *evt,
		   const void *payload);
void omx__unexp_free(struct omx__request *unexp);
void omx__recv_take_message(struct omx__request *recv, struct omx__partner *p,
			    uint64_t match_info, uint32_t msg_length);
void omx__early_drop_all(struct omx__partner *p);

/* omx_large.c */
int omx__region_alloc(struct omx_endpoint *ep, struct omx__request *req,
		      const struct omx__segs *segs, int writable);
void omx__region_free(struct omx_endpoint *ep, int id);
void omx__large_recv_start(struct omx__request *req);
void omx__pull_waiting(struct omx_endpoint *ep);
void omx__recv_pull_done(struct omx_endpoint *ep,
			 const struct omx_evt_pull_done *evt);
void omx__recv_notify(struct omx_endpoint *ep, struct omx__partner *p,
		      const struct omx_evt_notify *evt);
void omx__notify_send(struct omx__request *req);

/* omx_ack.c */
int omx__piggyack_check(struct omx__partner *p, uint16_t piggyack);
void omx__ack_received(struct omx__partner *p, uint16_t ack);
void omx__recv_liback(struct omx_endpoint *ep,
		      const struct omx_evt_liback *evt);
void omx__recv_nack_lib(struct omx_endpoint *ep,
			const struct omx_evt_nack_lib *evt);
void omx__ack_account(struct omx_endpoint *ep, struct omx__partner *p);
void omx__ack_now(struct omx_endpoint *ep, struct omx__partner *p);
void omx__ack_sent(struct omx__partner *p);
void omx__acks_due(struct omx_endpoint *ep, uint64_t now);
void omx__acks_flush(struct omx_endpoint *ep);

/* omx_self.c */
void omx__self_send(struct omx__request *req);
void omx__self_deliver(struct omx__request *recv, struct omx__request *unexp);

/* omx_progress.c */
void omx__progress(struct omx_endpoint *ep);
void omx__wake_sleepers(struct omx_endpoint *ep);
int omx__wait_until(struct omx_endpoint *ep,
		    int (*cond)(struct omx_endpoint *ep, void *arg), void *arg,
		    uint32_t timeout_ms);
void omx__unexp_handler_call(struct omx_endpoint *ep,
			     struct omx__request *unexp, const void *data,
			     int *finished);

/* omx_info.c */
int omx__addr_is_local(uint64_t board_addr);
void omx__boards_refresh(void);

#endif /* OMX_LIB_H */
