/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h - private definitions of the xen2mx backend (dom0).
 *
 * The backend is cut like xen-netback: xenbus.c negotiates (control plane
 * only), interface.c maps and unmaps a device's rings and event channel,
 * request.c moves requests and events, debugfs.c shows state and counters,
 * module.c holds the parameters and the module entry points.
 */
#ifndef X2MBACK_COMMON_H
#define X2MBACK_COMMON_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>

#include "omx_engine_api.h"
#include "xen2mx_proto.h"
#include "xen2mx_ring_types.h"
#include "xen2mx_ring_check.h"
#include "xenbus.h"

/* Module parameters (module.c) */
extern unsigned int x2mback_max_ring_page_order;

/* Requests handled per pass before the worker yields the CPU. */
#define X2MBACK_BATCH	64

/*
 * Each device's budget of dom0 work (request.c, ring-protocol.md "Request
 * credit"): requests cost credit units, refilled at credit_rate per second
 * up to credit_burst; costly steps are charged when they happen and may
 * leave the device in debt.  A device out of credit waits, its event
 * channel masked; nothing fails.  Costs are rough dom0 effort: opening or
 * closing an endpoint maps or unmaps 785 pages and flushes every TLB or
 * waits for an RCU grace period, which a guest must not be able to
 * demand at ring speed.
 */
#define X2MBACK_CREDIT_RATE	1000000U	/* units per second */
#define X2MBACK_CREDIT_BURST	100000U		/* units: 0.1 s of rate */
#define X2MBACK_COST_REQUEST	1U		/* any request */
#define X2MBACK_COST_DIR_PAGE	64U		/* each directory page read */
#define X2MBACK_COST_ENDPOINT	10000U		/* an endpoint mapped or closed */

struct x2mback_device;

/* Guest pages mapped contiguously into dom0's kernel */
struct x2mback_garea {
	void *vaddr;
	unsigned int nr;
	grant_handle_t *handles;	/* nr */
	struct page **pages;		/* nr: what vaddr maps until mapped */
	struct page *filler;		/* PV: the page reserving the range */
	void *unmap_ops;		/* nr unmap operations, ready */
	struct page **unmap_pages;	/* nr */
};

/*
 * The calls into Xen a device makes.  Real ones by default; KUnit swaps in
 * fakes so the ring and negotiation code runs against a simulated guest.
 */
struct x2mback_xen_ops {
	int (*map_ring)(struct x2mback_device *be, grant_ref_t *refs,
			unsigned int nr, void **vaddr);
	void (*unmap_ring)(struct x2mback_device *be, void *vaddr);
	int (*bind_evtchn)(struct x2mback_device *be, evtchn_port_t port);
	void (*unbind_evtchn)(struct x2mback_device *be);
	void (*notify)(struct x2mback_device *be);
	void (*eoi)(struct x2mback_device *be, bool spurious);
	void (*fatal)(struct x2mback_device *be, int err, const char *msg);
	/*
	 * Map @nr guest pages contiguously for the kernel (an endpoint's
	 * memory, omx_guest.c); unmap them.  handles[] records what is mapped.
	 */
	int (*map_area)(struct x2mback_device *be, const grant_ref_t *refs,
			unsigned int nr, struct x2mback_garea *area);
	void (*unmap_area)(struct x2mback_device *be,
			   struct x2mback_garea *area);
	/* GNTTABOP_copy without sleeping; fills each op's status */
	int (*grant_copy)(struct x2mback_device *be, struct gnttab_copy *ops,
			  unsigned int nr);
};

extern const struct x2mback_xen_ops x2mback_real_xen_ops;

/* What the frontend asked for, read from xenstore by xenbus.c. */
struct x2mback_frontend_params {
	unsigned int version;
	unsigned int ring_page_order;
	unsigned int event_channel;
	unsigned int nr_refs;
	grant_ref_t ring_refs[XEN2MX_MAX_RING_PAGES];
	grant_ref_t evt_ring_refs[XEN2MX_MAX_RING_PAGES];
};

struct x2mback_counters {
	atomic64_t requests;
	atomic64_t errors;
	atomic64_t events;
	atomic64_t notifications;
	/* Open-MX data path costs (make bench reports them per message) */
	atomic64_t omx_requests;	/* XEN2MX_OP_OMX ring slots */
	atomic64_t copy_ops;		/* grant copy operations */
	atomic64_t copy_calls;		/* GNTTABOP_copy hypercalls */
	atomic64_t copy_bytes;		/* octets grant-copied */
	atomic64_t copy_budget_drops;	/* frames dropped: copy budget spent */
	atomic64_t kicks;		/* endpoint notifications sent */
	atomic64_t throttled;		/* passes stopped for lack of credit */
	atomic64_t connects_put_off;	/* connects delayed by the pace */
};

/* Per-guest limits and identity, from the backend directory (xenbus.c) */
struct x2mback_omx_config {
	u8 mac[6];
	char board[16];			/* "" = dom0's first board */
	char hostname[80];
	unsigned int max_endpoints;
	unsigned int max_grants;
	unsigned int copy_budget;	/* grant-copy ops per second; 0: no limit */
};
#define X2MBACK_DEFAULT_MAX_ENDPOINTS	8
#define X2MBACK_DEFAULT_MAX_GRANTS	65536
/*
 * Grant-copy operations a guest's frames may cost dom0 per second, both
 * directions together (region_grant.c, ring-protocol.md "Worst-case
 * cost"): about 3 GB/s of honest 8968-octet frames, more than one dom0
 * CPU copies.
 */
#define X2MBACK_DEFAULT_COPY_BUDGET	2000000

/*
 * The token bucket behind copy_budget: refilled with time, spent by every
 * grant-copy operation of a region of this guest (softirq), checked before
 * each frame.  Tokens are in ops x HZ so any rate refills exactly.
 */
struct x2mback_copy_bucket {
	spinlock_t lock;
	s64 tokens;			/* below 0: the last frames' debt */
	unsigned long stamp;		/* jiffies of the last refill */
};

struct x2mback_gregion;

/* A guest endpoint: its pages mapped here for its whole life */
struct x2mback_gendpoint {
	struct omx_endpoint *ep;
	struct x2mback_garea area;
	/* Regions whose pieces are still arriving, by id */
	struct x2mback_gregion **building;
	/*
	 * Grant-copy operations being built for one frame of one of its
	 * regions (X2MBACK_GCOPY_BATCH); always used under ep->lock.
	 */
	struct gnttab_copy *copy_ops;
};

struct x2mback_device {
	struct xenbus_device *dev;	/* NULL in KUnit */
	const struct x2mback_xen_ops *ops;
	domid_t domid;
	unsigned int devid;

	/*
	 * Everything this device logs goes through here: a guest decides
	 * how often those things happen (x2mback_dev_log).
	 */
	struct ratelimit_state log_rs;

	/* xenbus.c: serialises the state machine against connect_work */
	struct mutex xb_lock;
	struct x2mback_connect_pace connect_pace;
	struct delayed_work connect_work;	/* a connect put off */

	/* Serialises connect/disconnect against each other and debugfs. */
	struct mutex lock;
	bool connected;

	/* Negotiated values, valid while connected */
	unsigned int version;
	unsigned int ring_page_order;
	unsigned int ring_slots;
	evtchn_port_t evtchn;
	int irq;

	struct xen2mx_req_back_ring req_ring;
	struct xen2mx_evt_back_ring evt_ring;
	void *req_vaddr;
	void *evt_vaddr;
	unsigned int ring_pages_mapped;
	unsigned int grants_mapped;

	/*
	 * Set once the guest wrote something impossible to the rings; the
	 * worker stops touching them and xenbus.c tears the device down.
	 */
	bool disabled;
	struct delayed_work work;	/* drains the request ring */
	bool handled_since_eoi;		/* worker-private */

	/* Request credit (request.c); the worker's own */
	u32 credit_rate;		/* units per second */
	u32 credit_burst;		/* most units held */
	s64 credit;			/* below 0: in debt */
	unsigned long credit_stamp;	/* jiffies of the last refill */
	unsigned long credit_wait;	/* jiffies the last pass needs to wait */

	/* The guest's Open-MX board and endpoints (omx_guest.c) */
	struct x2mback_omx_config omx_cfg;
	struct omx_iface *board;	/* NULL: no board (see log) */
	struct x2mback_gendpoint *geps;	/* omx_cfg.max_endpoints */
	unsigned int grants_held;	/* endpoint pages + region pieces */
	bool kick_ok;			/* event channel usable for kicks */
	struct x2mback_copy_bucket copy_bucket;	/* omx_cfg.copy_budget */

	struct x2mback_counters stats;
	struct dentry *debugfs;
	struct list_head node;		/* in x2mback_devices */
};

/* A log line about @be, at most 10 a minute for each device. */
#define x2mback_dev_log(be, level, fmt, ...)				\
do {									\
	if (__ratelimit(&(be)->log_rs))					\
		pr_##level("domain %u device %u: " fmt, (be)->domid,	\
			   (be)->devid, ##__VA_ARGS__);			\
} while (0)

/* interface.c */
extern struct mutex x2mback_devices_lock;
extern struct list_head x2mback_devices;
struct x2mback_device *x2mback_alloc(struct xenbus_device *dev, domid_t domid,
				     unsigned int devid);
void x2mback_free(struct x2mback_device *be);
void x2mback_nego_init(struct x2m_nego *n,
		       const struct x2mback_frontend_params *p);
int x2mback_connect(struct x2mback_device *be,
		    const struct x2mback_frontend_params *p);
void x2mback_disconnect(struct x2mback_device *be);
void x2mback_totals(unsigned int *devices, unsigned int *pages,
		    unsigned int *grants, unsigned int *held);

/* request.c */
void x2mback_credit_init(struct x2mback_device *be);
void x2mback_credit_charge(struct x2mback_device *be, u32 cost);
void x2mback_work(struct work_struct *work);
int x2mback_process_requests(struct x2mback_device *be, unsigned int budget,
			     bool *more);
void x2mback_fill_stats(struct x2mback_device *be, struct xen2mx_stats *st);

/* omx_guest.c */
int x2mback_omx_start(struct x2mback_device *be);
void x2mback_omx_stop(struct x2mback_device *be);
void x2mback_omx_request(struct x2mback_device *be,
			 const struct xen2mx_request *req,
			 struct xen2mx_response *rsp);
extern const struct omx_board_ops x2mback_board_ops;
void x2mback_grants_release(struct x2mback_device *be, unsigned int nr);
struct seq_file;
void x2mback_omx_show(struct seq_file *m, struct x2mback_device *be);

/* region_grant.c */
/* Copy operations per GNTTABOP_copy hypercall (an array per endpoint) */
#define X2MBACK_GCOPY_BATCH	64
struct x2mback_gregion *x2mback_gregion_alloc(struct x2mback_device *be,
					      struct x2mback_gendpoint *gep,
					      u32 id, bool writable,
					      u32 nr_pieces, u64 length);
int x2mback_gregion_fill(struct x2mback_gregion *g, u32 first,
			 const struct xen2mx_omx_piece *pieces, u32 nr);
bool x2mback_gregion_complete(const struct x2mback_gregion *g);
void x2mback_gregion_free(struct x2mback_gregion *g);
int x2mback_gregion_attach(struct x2mback_gregion *g, struct omx_endpoint *ep);
void x2mback_copy_budget_reset(struct x2mback_device *be);
int x2mback_grant_read(struct x2mback_device *be, grant_ref_t ref,
		       void *buf, unsigned int len);

/* xenbus.c */
__printf(3, 4)
void x2mback_dev_fatal(struct x2mback_device *be, int err, const char *fmt,
		       ...);
int x2mback_xenbus_init(void);
void x2mback_xenbus_exit(void);

/* debugfs.c */
void x2mback_debugfs_init(void);
void x2mback_debugfs_exit(void);
void x2mback_debugfs_add(struct x2mback_device *be);
void x2mback_debugfs_remove(struct x2mback_device *be);

#endif /* X2MBACK_COMMON_H */
