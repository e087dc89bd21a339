/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * rogue.h - private definitions of xen2mx-rogue.ko, a hostile frontend.
 *
 * TEST ONLY.  The module negotiates with the backend exactly as
 * xen2mx-front does (it is built from the frontend's xenbus.c, ring.c and
 * request.c, see the front_*.c wrappers), then, instead of /dev/open-mx,
 * offers /sys/kernel/debug/xen2mx-rogue/attack: writing an attack's name
 * sends the backend malformed requests, foreign grant references, a
 * scribbled endpoint, an event storm or a broken ring; reading it gives
 * what the backend answered and the state of the device afterwards.
 *
 * rogue.c holds the module, the device and the output; rogue_ep.c the
 * raw requests, endpoints, regions and events the attacks are built from;
 * attacks.c the attacks; fuzz.c the seeded random ones ("fuzz",
 * "fuzz-ring").
 */
#ifndef X2MROGUE_H
#define X2MROGUE_H

#include "common.h"		/* the frontend's */

/* What x2mrogue_req() returns when no answer came (not a status) */
#define X2MROGUE_NO_ANSWER	INT_MIN

/* front_request.c: one request as it is, answered or not (-errno) */
int x2mrogue_call(struct x2mfront_device *fe, struct xen2mx_request *req,
		  struct xen2mx_response *rsp);
/* front_request.c, front_ring.c: requests without waiting (fuzz.c) */
int x2mrogue_post(struct x2mfront_device *fe, struct xen2mx_request *req,
		  bool want_event, unsigned int *idx);
int x2mrogue_reap(struct x2mfront_device *fe, bool *mine,
		  void (*done)(void *ctx, unsigned int idx,
			       const struct x2mfront_pending *p),
		  void *ctx);
unsigned int x2mrogue_abandon(struct x2mfront_device *fe, bool *mine);
void x2mrogue_abandon_one(struct x2mfront_device *fe, unsigned int idx);
u64 x2mrogue_progress(struct x2mfront_device *fe);
bool x2mrogue_usable(struct x2mfront_device *fe);
void x2mrogue_poll(struct x2mfront_device *fe);

/* rogue.c: the outcome of the attack in progress */
__printf(1, 2) void x2mrogue_printf(const char *fmt, ...);
void x2mrogue_result(s32 status);	/* one word of the "result:" line */
struct xenbus_device;
domid_t x2mrogue_backend_domid(void);
enum xenbus_state x2mrogue_backend_state(void);

/* attacks.c: after breaking the ring, wait for Closed and free r and ep */
struct x2mrogue_region;
struct x2mrogue_ep;
void x2mrogue_await_shutdown(struct x2mrogue_region *r, struct x2mrogue_ep *ep,
			     unsigned int mapped);

/* rogue_ep.c: requests */
s32 x2mrogue_req(struct x2mfront_device *fe, u8 op, u8 flags, u16 len,
		 const void *payload, unsigned int plen,
		 struct xen2mx_response *rsp);
s32 x2mrogue_omx_len(struct x2mfront_device *fe, u32 cmd, u16 endpoint,
		     const void *arg, unsigned int arg_len, u16 len,
		     void *out, unsigned int out_len);
s32 x2mrogue_omx(struct x2mfront_device *fe, u32 cmd, u16 endpoint,
		 const void *arg, unsigned int arg_len,
		 void *out, unsigned int out_len);

/* rogue_ep.c: granted pages */
struct page *x2mrogue_dir_alloc(domid_t domid, const u32 *words,
				unsigned int n, grant_ref_t *ref);
void x2mrogue_dir_free(struct page *page, grant_ref_t ref);
bool x2mrogue_revoke(grant_ref_t ref);
bool x2mrogue_ungrant(grant_ref_t ref, struct page *page);

/* An endpoint of ours: X2MFRONT_EP_PAGES pages granted read-write */
struct x2mrogue_ep {
	u16 index;
	bool open;
	u32 session;
	u16 peer_index;			/* our own board's, from the descriptor */
	u32 cons;			/* events we consumed */
	struct page **pages;
	grant_ref_t *refs;
};

struct x2mrogue_ep *x2mrogue_ep_alloc(domid_t domid, u16 index);
s32 x2mrogue_ep_open(struct x2mfront_device *fe, struct x2mrogue_ep *ep);
s32 x2mrogue_ep_close(struct x2mfront_device *fe, struct x2mrogue_ep *ep);
unsigned int x2mrogue_ep_free(struct x2mrogue_ep *ep);
struct omx_abi_desc *x2mrogue_ep_desc(struct x2mrogue_ep *ep);
bool x2mrogue_ep_wait_event(struct x2mrogue_ep *ep, u8 type, u64 key,
			    unsigned int timeout_ms, union omx_evt *out);

/* A region of ours: one piece per page */
struct x2mrogue_region {
	u32 id;
	bool writable;
	unsigned int nr;
	struct page **pages;
	grant_ref_t *refs;
	bool *revoked;
};

struct x2mrogue_region *x2mrogue_region_alloc(domid_t domid, u32 id,
					      bool writable, unsigned int nr);
unsigned int x2mrogue_region_free(struct x2mrogue_region *r);
s32 x2mrogue_region_create(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
			   u32 id, u32 writable, u32 nr_pieces, u64 length);
s32 x2mrogue_region_pieces(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
			   u32 id, u32 first,
			   const struct xen2mx_omx_piece *pieces, u32 nr);
s32 x2mrogue_region_send(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
			 struct x2mrogue_region *r);
s32 x2mrogue_region_destroy(struct x2mfront_device *fe,
			    struct x2mrogue_ep *ep, u32 id);
bool x2mrogue_region_revoke(struct x2mrogue_region *r, unsigned int i);
s32 x2mrogue_pull(struct x2mfront_device *fe, struct x2mrogue_ep *ep,
		  u32 remote_id, u32 local_id, u32 length, u32 timeout_ms,
		  u64 cookie);
int x2mrogue_pull_done(struct x2mrogue_ep *ep, u64 cookie,
		       unsigned int timeout_ms);
s32 x2mrogue_connect(struct x2mfront_device *fe, struct x2mrogue_ep *from,
		     u8 dest_endpoint, u32 app_key);

/* attacks.c */
struct x2mrogue_attack {
	const char *name;
	/* Runs with the device held (conn_sem for reading) unless !hold. */
	void (*run)(struct x2mfront_device *fe);
	bool hold;
};
extern const struct x2mrogue_attack x2mrogue_attacks[];
void x2mrogue_attacks_cleanup(void);

/* fuzz.c: the seeded random mode (module parameters fuzz_*) */
void x2mrogue_fuzz(struct x2mfront_device *fe);
void x2mrogue_fuzz_ring(struct x2mfront_device *unused);

#endif /* X2MROGUE_H */
