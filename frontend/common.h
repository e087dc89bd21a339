/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h - private definitions of the xen2mx frontend (domU).
 *
 * xenbus.c negotiates with the backend (control plane only), ring.c owns
 * the shared rings, the event channel and the interrupt handler (which
 * also wakes the endpoints' sleepers), request.c submits requests and
 * waits for their answers, chardev.c is /dev/open-mx (file handles and
 * command dispatch), control.c forwards the Open-MX control commands,
 * endpoint.c owns an endpoint's granted memory and its waiting, region.c
 * pins and grants the buffers of large messages, debugfs.c shows state and
 * counters, module.c holds the entry points.
 */
#ifndef X2MFRONT_COMMON_H
#define X2MFRONT_COMMON_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/page.h>
#include <xen/interface/event_channel.h>

#include "omx_abi.h"
#include "xen2mx_proto.h"
#include "xen2mx_ring_types.h"
#include "xen2mx_ring_check.h"

extern unsigned int x2mfront_max_ring_page_order;

/* One request in flight; its index is the low half of the request id. */
struct x2mfront_pending {
	u32 generation;			/* high half of the id, bumped per use */
	bool in_use;
	bool want_event;		/* ECHO via the event ring */
	bool rsp_done;
	bool evt_done;
	bool abandoned;			/* waiter gone: free on completion */
	struct xen2mx_response rsp;
	struct xen2mx_event evt;
};

struct x2mfront_counters {
	atomic64_t requests;
	atomic64_t responses;
	atomic64_t events;
	atomic64_t notifications;
	atomic64_t ep_wakeups;		/* endpoint sleepers woken by the interrupt */
};

struct x2mfront_device {
	struct xenbus_device *dev;
	unsigned int devid;
	/*
	 * Endpoints outlive the device's removal (their files stay open), so
	 * each holds a reference; remove() drops the probe's.
	 */
	struct kref ref;

	/*
	 * Users (ioctls) hold it for reading while they touch the rings;
	 * connect and disconnect hold it for writing.
	 */
	struct rw_semaphore conn_sem;
	bool connected;			/* rings usable; under ring_lock too */
	bool backend_closed_us;		/* backend passed Closing: no reconnect */
	unsigned int reconnects;

	/* Negotiated values */
	bool omx;			/* feature-omx: XEN2MX_OP_OMX usable */
	unsigned int omx_max_grants;	/* backend's max-grants, or UINT_MAX */
	unsigned int version;
	unsigned int ring_page_order;
	unsigned int ring_slots;
	grant_ref_t req_refs[XEN2MX_MAX_RING_PAGES];
	grant_ref_t evt_refs[XEN2MX_MAX_RING_PAGES];
	void *req_sring;
	void *evt_sring;
	evtchn_port_t evtchn;
	int irq;

	/* Protects both front rings and the pending table. */
	spinlock_t ring_lock;
	struct xen2mx_req_front_ring req_ring;
	struct xen2mx_evt_front_ring evt_ring;
	struct x2mfront_pending *pending;	/* ring_slots entries */
	unsigned int pending_free;		/* entries not in use */
	wait_queue_head_t wq;			/* free entries, answers */

	/*
	 * Endpoints opened on the current connection; an endpoint leaves the
	 * list when it closes or when the connection it was opened on ends
	 * (it is then dead).  The list is also each index's reservation.
	 * Taken in the interrupt handler: always with interrupts off.
	 */
	spinlock_t ep_lock;
	struct list_head endpoints;

	/* The backend broke the protocol: report it from process context. */
	bool broken;
	struct work_struct fatal_work;
	const char *fatal_why;

	struct x2mfront_counters stats;
	struct dentry *debugfs;
	struct list_head node;			/* in x2mfront_devices */
};

/* OMX_ABI_MMAP_SIZE in pages: 785 */
#define X2MFRONT_EP_PAGES	(OMX_ABI_MMAP_SIZE / XEN_PAGE_SIZE)

struct x2mfront_region;
struct vm_area_struct;

/* An endpoint of a /dev/open-mx file (endpoint.c). */
struct x2mfront_endpoint {
	/* Constant once opened */
	struct x2mfront_device *fe;	/* holds a reference on it */
	domid_t domid;			/* the backend's, for grants */
	u16 index;
	pid_t pid;			/* GET_ENDPOINT_INFO, as dom0 reports */
	char command[OMX_ABI_COMMAND_MAX];
	struct page **pages;		/* X2MFRONT_EP_PAGES, granted read-write */
	grant_ref_t *refs;
	struct omx_abi_desc *desc;	/* page 0; set under fe->ep_lock */

	/*
	 * Under fe->ep_lock: on fe->endpoints while !dead.  dead means the
	 * connection the endpoint was opened on is gone (or broken), so
	 * the backend no longer has it, or that the file is closing.
	 */
	bool dead;
	struct list_head node;

	wait_queue_head_t waitq;	/* WAIT_EVENT sleepers */
	atomic_t wakeups;		/* OMX_CMD_WAKEUP count */

	/* Regions, serialised per endpoint (the backend answers in order) */
	struct mutex region_lock;
	struct x2mfront_region *regions[OMX_ABI_REGION_MAX];
	unsigned long pinned_pages;
};

/*
 * Under fe->ep_lock: @ep's connection is gone (ring.c) or it is closing
 * (endpoint.c).  It leaves the list, and its sleepers see it dead.
 */
static inline void x2mfront_endpoint_kill_locked(struct x2mfront_endpoint *ep)
{
	if (ep->dead)
		return;
	list_del_init(&ep->node);
	WRITE_ONCE(ep->dead, true);
	wake_up_all(&ep->waitq);
}

/* module.c */
extern struct mutex x2mfront_devices_lock;
extern struct list_head x2mfront_devices;

/* ring.c */
int x2mfront_ring_setup(struct x2mfront_device *fe, unsigned int order);
void x2mfront_ring_teardown(struct x2mfront_device *fe);
void x2mfront_ring_start(struct x2mfront_device *fe);
void x2mfront_ring_stop(struct x2mfront_device *fe);
void x2mfront_endpoints_kill(struct x2mfront_device *fe);
int x2mfront_pending_settle(struct x2mfront_device *fe,
			    struct x2mfront_pending *p, int err,
			    struct x2mfront_pending *answer);

/* Whether requests may be sent (under ring_lock). */
static inline bool x2mfront_usable(struct x2mfront_device *fe)
{
	return fe->connected && !fe->broken;
}

/* request.c */
/*
 * How a request waits for its ring entry and its answer.  OMX commands are
 * killable only: once a command was sent, a signal must not make the
 * library send it again.  Cleanup requests (closing, undoing) wait without
 * signals but give up after X2MFRONT_CALL_TIMEOUT.
 */
enum x2mfront_wait {
	X2MFRONT_WAIT_INTR,
	X2MFRONT_WAIT_KILLABLE,
	X2MFRONT_WAIT_NOINTR,
};
int x2mfront_omx_call(struct x2mfront_device *fe, u32 cmd, u16 endpoint,
		      const void *arg, unsigned int arg_len,
		      void *out, unsigned int out_len);
int x2mfront_omx_call_nointr(struct x2mfront_device *fe, u32 cmd,
			     u16 endpoint, const void *arg,
			     unsigned int arg_len);
int x2mfront_echo(struct x2mfront_device *fe, void *data, unsigned int len,
		  unsigned int flags);
int x2mfront_stats(struct x2mfront_device *fe, struct xen2mx_stats *st);
struct x2mfront_device *x2mfront_get_default(void);
void x2mfront_put(struct x2mfront_device *fe);

/* xenbus.c */
void x2mfront_device_unref(struct x2mfront_device *fe);
int x2mfront_xenbus_init(void);
void x2mfront_xenbus_exit(void);

/* chardev.c */
int x2mfront_chardev_init(void);
void x2mfront_chardev_exit(void);

/* control.c */
long x2mfront_control_cmd(unsigned int cmd, void *arg);

/* endpoint.c */
int x2mfront_endpoint_open(struct x2mfront_endpoint **epp,
			   struct omx_cmd_open_endpoint *o);
void x2mfront_endpoint_close(struct x2mfront_endpoint *ep);
long x2mfront_endpoint_cmd(struct x2mfront_endpoint *ep, unsigned int cmd,
			   void *arg);
int x2mfront_endpoint_mmap(struct x2mfront_endpoint *ep,
			   struct vm_area_struct *vma);
struct x2mfront_device *x2mfront_endpoint_get_device(struct x2mfront_endpoint *ep);
int x2mfront_endpoint_errno(struct x2mfront_device *fe, int err);
unsigned int x2mfront_endpoints_count(struct x2mfront_device *fe);
bool x2mfront_endpoint_lookup(struct x2mfront_device *fe, u32 index,
			      pid_t *pid, char *command);

/* region.c */
int x2mfront_region_create(struct x2mfront_endpoint *ep,
			   const struct omx_cmd_create_region *cmd);
int x2mfront_region_destroy(struct x2mfront_endpoint *ep, u32 id);
void x2mfront_regions_free(struct x2mfront_endpoint *ep);

/* debugfs.c */
void x2mfront_debugfs_init(void);
void x2mfront_debugfs_exit(void);
void x2mfront_debugfs_add(struct x2mfront_device *fe);
void x2mfront_debugfs_remove(struct x2mfront_device *fe);

#endif /* X2MFRONT_COMMON_H */
