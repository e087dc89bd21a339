/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * common.h - private definitions of the xen2mx frontend (domU).
 *
 * xenbus.c negotiates with the backend (control plane only), ring.c owns
 * the shared rings, the event channel and the interrupt handler, request.c
 * submits requests and waits for their answers, chardev.c is /dev/open-mx,
 * debugfs.c shows state and counters, module.c holds the entry points.
 */
#ifndef X2MFRONT_COMMON_H
#define X2MFRONT_COMMON_H

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <xen/xenbus.h>
#include <xen/grant_table.h>
#include <xen/interface/event_channel.h>

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
};

struct x2mfront_device {
	struct xenbus_device *dev;
	unsigned int devid;

	/*
	 * Users (ioctls) hold it for reading while they touch the rings;
	 * connect and disconnect hold it for writing.
	 */
	struct rw_semaphore conn_sem;
	bool connected;			/* rings usable; under ring_lock too */
	bool backend_closed_us;		/* backend passed Closing: no reconnect */
	unsigned int reconnects;

	/* Negotiated values */
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

	/* The backend broke the protocol: report it from process context. */
	bool broken;
	struct work_struct fatal_work;
	const char *fatal_why;

	struct x2mfront_counters stats;
	struct dentry *debugfs;
	struct list_head node;			/* in x2mfront_devices */
};

/* module.c */
extern struct mutex x2mfront_devices_lock;
extern struct list_head x2mfront_devices;

/* ring.c */
int x2mfront_ring_setup(struct x2mfront_device *fe, unsigned int order);
void x2mfront_ring_teardown(struct x2mfront_device *fe);
void x2mfront_ring_start(struct x2mfront_device *fe);
void x2mfront_ring_stop(struct x2mfront_device *fe);

/* request.c */
int x2mfront_echo(struct x2mfront_device *fe, void *data, unsigned int len,
		  unsigned int flags);
int x2mfront_stats(struct x2mfront_device *fe, struct xen2mx_stats *st);
struct x2mfront_device *x2mfront_get_default(void);
void x2mfront_put(struct x2mfront_device *fe);

/* xenbus.c */
int x2mfront_xenbus_init(void);
void x2mfront_xenbus_exit(void);

/* chardev.c */
int x2mfront_chardev_init(void);
void x2mfront_chardev_exit(void);

/* debugfs.c */
void x2mfront_debugfs_init(void);
void x2mfront_debugfs_exit(void);
void x2mfront_debugfs_add(struct x2mfront_device *fe);
void x2mfront_debugfs_remove(struct x2mfront_device *fe);

#endif /* X2MFRONT_COMMON_H */
