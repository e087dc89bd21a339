// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - the backend's control plane: probe/remove, the state machine
 * driven by the frontend's state, and reading/writing xenstore.  It never
 * touches ring slots; interface.c connects and disconnects the data path.
 *
 * The guest drives this state machine and may drive it in circles: its
 * connects are paced (x2mback_connect_pace_take) and what each attempt
 * logs is rate-limited per device (x2mback_dev_fatal, x2mback_dev_log).
 */
#include "common.h"
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/slab.h>

/*
 * What to do when the frontend moves to @fe while we are in @be.  A pure
 * function so the KUnit suite can walk every pair of states.
 */
enum x2mback_action x2mback_next_action(enum xenbus_state be,
					enum xenbus_state fe, bool online)
{
	switch (fe) {
	case XenbusStateInitialising:
		/* A frontend starting over after a clean close: offer again. */
		return be == XenbusStateClosed ? X2MBACK_REARM : X2MBACK_NOTHING;
	case XenbusStateInitialised:
	case XenbusStateConnected:
		/*
		 * Connect from InitWait, or from Closed when a frontend
		 * reconnects without passing Initialising.  Never from
		 * Closing: that is where a fatal error leaves us.
		 */
		if (be == XenbusStateInitWait || be == XenbusStateClosed)
			return X2MBACK_CONNECT;
		return X2MBACK_NOTHING;
	case XenbusStateClosing:
		return X2MBACK_CLOSE;
	case XenbusStateClosed:
		return online ? X2MBACK_CLOSED : X2MBACK_UNREGISTER;
	case XenbusStateUnknown:
		/* The frontend's directory is gone: the guest died. */
		return X2MBACK_UNREGISTER;
	default:
		return X2MBACK_NOTHING;
	}
}

void x2mback_connect_pace_init(struct x2mback_connect_pace *pc,
			       unsigned long now)
{
	pc->tokens = X2MBACK_CONNECT_BURST;
	pc->stamp = now;
}

/* Take one connect, or say in *wait how many jiffies until one is there. */
bool x2mback_connect_pace_take(struct x2mback_connect_pace *pc,
			       unsigned long now, unsigned long *wait)
{
	unsigned long periods = (now - pc->stamp) / X2MBACK_CONNECT_PERIOD;

	if (periods) {
		pc->tokens = min_t(unsigned long, X2MBACK_CONNECT_BURST,
				   pc->tokens + periods);
		pc->stamp += periods * X2MBACK_CONNECT_PERIOD;
		if (pc->tokens == X2MBACK_CONNECT_BURST)
			pc->stamp = now;
	}
	if (pc->tokens) {
		pc->tokens--;
		return true;
	}
	*wait = pc->stamp + X2MBACK_CONNECT_PERIOD - now;
	return false;
}

/*
 * xenbus_dev_fatal() for @be: the error node and Closing, always; the log
 * line only within the device's log rate (the guest can make this happen
 * at every connect).
 */
void x2mback_dev_fatal(struct x2mback_device *be, int err, const char *fmt,
		       ...)
{
	struct xenbus_device *dev = be->dev;
	va_list ap;
	char *msg, *path;

	va_start(ap, fmt);
	msg = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (__ratelimit(&be->log_rs)) {
		xenbus_dev_fatal(dev, err, "%s", msg ? msg : "(out of memory)");
		kfree(msg);
		return;
	}
	/* What xenbus_dev_fatal() does, but the printk */
	path = kasprintf(GFP_KERNEL, "error/%s", dev->nodename);
	if (path && msg)
		xenbus_printf(XBT_NIL, path, "error", "%i %s", -err, msg);
	kfree(path);
	kfree(msg);
	xenbus_switch_state(dev, XenbusStateClosing);
}

static int x2mback_publish(struct xenbus_device *dev)
{
	struct xenbus_transaction xbt;
	const char *what;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}
	what = XEN2MX_XS_VERSIONS;
	err = xenbus_printf(xbt, dev->nodename, what, "%u", XEN2MX_PROTO_VERSION);
	if (err)
		goto abort;
	what = XEN2MX_XS_MAX_RING_PAGE_ORDER;
	err = xenbus_printf(xbt, dev->nodename, what, "%u",
			    READ_ONCE(x2mback_max_ring_page_order));
	if (err)
		goto abort;
	what = XEN2MX_XS_FEATURE_ECHO;
	err = xenbus_printf(xbt, dev->nodename, what, "%u", 1);
	if (err)
		goto abort;
	what = XEN2MX_XS_FEATURE_STATS;
	err = xenbus_printf(xbt, dev->nodename, what, "%u", 1);
	if (err)
		goto abort;
	what = XEN2MX_XS_FEATURE_OMX;
	err = xenbus_printf(xbt, dev->nodename, what, "%u", 1);
	if (err)
		goto abort;

	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		xenbus_dev_fatal(dev, err, "completing transaction");
	return err;

abort:
	xenbus_transaction_end(xbt, 1);
	xenbus_dev_fatal(dev, err, "writing %s", what);
	return err;
}

/* Read one ring's grant references; a missing or unparsable one reads as 0. */
static void x2mback_read_refs(const char *dir, const char *base,
			      unsigned int order, grant_ref_t *refs)
{
	char node[32];
	unsigned int i;

	for (i = 0; i < (1u << order); i++) {
		x2m_ring_ref_node(node, sizeof(node), base, order, i);
		if (xenbus_scanf(XBT_NIL, dir, node, "%u", &refs[i]) != 1)
			refs[i] = 0;
	}
}

/*
 * Copy everything the frontend published.  Values are checked afterwards,
 * on this private copy (x2mback_connect); the only check here keeps an
 * absurd order from running past our arrays.
 */
static void x2mback_read_frontend(struct xenbus_device *dev,
				  struct x2mback_frontend_params *p)
{
	const char *fe = dev->otherend;

	memset(p, 0, sizeof(*p));
	p->version = xenbus_read_unsigned(fe, XEN2MX_XS_VERSION, 0);
	p->ring_page_order = xenbus_read_unsigned(fe, XEN2MX_XS_RING_PAGE_ORDER, 0);
	p->event_channel = xenbus_read_unsigned(fe, XEN2MX_XS_EVENT_CHANNEL, 0);
	if (p->ring_page_order > XEN2MX_MAX_RING_PAGE_ORDER)
		return;
	p->nr_refs = 1u << p->ring_page_order;
	x2mback_read_refs(fe, XEN2MX_XS_RING_REF, p->ring_page_order, p->ring_refs);
	x2mback_read_refs(fe, XEN2MX_XS_EVT_RING_REF, p->ring_page_order,
			  p->evt_ring_refs);
}

/*
 * A number node of our own directory (written by the toolstack) within
 * [1, max], or @def when absent.  Returns false, after reporting which
 * node is wrong, when it is present but not such a number.
 */
static bool x2mback_read_limit(struct x2mback_device *be, const char *node,
			       unsigned int max, unsigned int def,
			       unsigned int *val)
{
	char *s = xenbus_read(XBT_NIL, be->dev->nodename, node, NULL);
	unsigned int v;

	if (IS_ERR(s)) {
		*val = def;
		return true;
	}
	if (kstrtouint(s, 10, &v) || !v || v > max) {
		x2mback_dev_fatal(be, -EINVAL, "%s: '%.32s' is not a number from 1 to %u",
				  node, s, max);
		kfree(s);
		return false;
	}
	kfree(s);
	*val = v;
	return true;
}

/* A string node of our directory, or "" when absent; false when too long. */
static bool x2mback_read_name(struct x2mback_device *be, const char *node,
			      char *buf, size_t size)
{
	char *s = xenbus_read(XBT_NIL, be->dev->nodename, node, NULL);
	bool ok = true;

	buf[0] = '\0';
	if (IS_ERR(s))
		return true;
	if (!s[0] || strscpy(buf, s, size) < 0 || strpbrk(s, " \t\n")) {
		x2mback_dev_fatal(be, -EINVAL,
				  "%s: '%.32s' is not a name of 1 to %zu characters without spaces",
				  node, s, size - 1);
		ok = false;
	}
	kfree(s);
	return ok;
}

/*
 * The guest's board and limits (ring-protocol.md 2.1): the toolstack's
 * nodes, or defaults derived from the domain.
 */
static bool x2mback_read_omx_config(struct x2mback_device *be)
{
	struct xenbus_device *dev = be->dev;
	struct x2mback_omx_config *c = &be->omx_cfg;
	char *s, path[32];

	if (!x2mback_read_limit(be, XEN2MX_XS_MAX_ENDPOINTS, 255,
				X2MBACK_DEFAULT_MAX_ENDPOINTS, &c->max_endpoints) ||
	    !x2mback_read_limit(be, XEN2MX_XS_MAX_GRANTS, 1u << 20,
				X2MBACK_DEFAULT_MAX_GRANTS, &c->max_grants) ||
	    !x2mback_read_name(be, XEN2MX_XS_BOARD, c->board, sizeof(c->board)) ||
	    !x2mback_read_name(be, XEN2MX_XS_HOSTNAME, c->hostname,
			       sizeof(c->hostname)))
		return false;

	s = xenbus_read(XBT_NIL, dev->nodename, XEN2MX_XS_MAC, NULL);
	if (IS_ERR(s)) {
		/* Locally administered, unique per domain and device */
		u8 def[ETH_ALEN] = { 0x02, 0x58, 0x4d, be->domid >> 8,
				     be->domid & 0xff, be->devid & 0xff };

		memcpy(c->mac, def, ETH_ALEN);
	} else {
		bool ok = strlen(s) == 17 && sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			&c->mac[0], &c->mac[1], &c->mac[2], &c->mac[3],
			&c->mac[4], &c->mac[5]) == 6 &&
			is_valid_ether_addr(c->mac);

		if (!ok)
			x2mback_dev_fatal(be, -EINVAL,
					  "mac: '%.32s' is not a unicast MAC address", s);
		kfree(s);
		if (!ok)
			return false;
	}

	if (!c->hostname[0]) {
		snprintf(path, sizeof(path), "/local/domain/%u", be->domid);
		s = xenbus_read(XBT_NIL, path, "name", NULL);
		snprintf(c->hostname, sizeof(c->hostname), "%s:%u",
			 IS_ERR(s) ? "domU" : s, be->devid);
		if (!IS_ERR(s))
			kfree(s);
	}
	return true;
}

static void x2mback_try_connect(struct x2mback_device *be)
{
	struct xenbus_device *dev = be->dev;
	struct x2mback_frontend_params *p;
	struct x2m_nego n;
	enum x2m_nego_error why;
	int err;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p) {
		x2mback_dev_fatal(be, -ENOMEM, "allocating frontend parameters");
		return;
	}
	x2mback_read_frontend(dev, p);

	/* Name the offending value in the error node the guest can read. */
	x2mback_nego_init(&n, p);
	why = x2m_nego_check(&n);
	if (why != X2M_NEGO_OK) {
		x2mback_dev_fatal(be, -EINVAL,
				  "%s (version %u, ring-page-order %u, max-ring-page-order %u, event-channel %u)",
				  x2m_nego_strerror(why), p->version,
				  p->ring_page_order, n.max_ring_page_order,
				  p->event_channel);
		goto out;
	}

	if (!x2mback_read_omx_config(be))
		goto out;
	err = x2mback_connect(be, p);
	if (err) {
		x2mback_dev_fatal(be, err,
				  "mapping %u-page rings or binding event channel %u",
				  p->nr_refs, p->event_channel);
		goto out;
	}
	err = xenbus_switch_state(dev, XenbusStateConnected);
	if (err)
		x2mback_disconnect(be);
out:
	kfree(p);
}

/* A connect, when the device's pace allows one; else later, by connect_work. */
static void x2mback_connect_paced(struct x2mback_device *be)
{
	unsigned long wait;

	if (x2mback_connect_pace_take(&be->connect_pace, jiffies, &wait)) {
		x2mback_try_connect(be);
		return;
	}
	x2mback_dev_log(be, info, "reconnecting too often: connecting in %u ms\n",
			jiffies_to_msecs(wait));
	schedule_delayed_work(&be->connect_work, wait);
}

/*
 * Runs the state machine for frontend state @fe_state.  Returns true when
 * the device is to be unregistered (which the caller does once the lock is
 * dropped: unregistering waits for connect_work).  Under xb_lock.
 */
static bool x2mback_step(struct x2mback_device *be, enum xenbus_state fe_state)
{
	struct xenbus_device *dev = be->dev;

	lockdep_assert_held(&be->xb_lock);
	dev_dbg(&dev->dev, "frontend %s, backend %s\n",
		xenbus_strstate(fe_state), xenbus_strstate(dev->state));

	switch (x2mback_next_action(dev->state, fe_state,
				    xenbus_dev_is_online(dev))) {
	case X2MBACK_NOTHING:
		break;
	case X2MBACK_REARM:
		xenbus_switch_state(dev, XenbusStateInitWait);
		break;
	case X2MBACK_CONNECT:
		x2mback_connect_paced(be);
		break;
	case X2MBACK_CLOSE:
		x2mback_disconnect(be);
		xenbus_switch_state(dev, XenbusStateClosing);
		break;
	case X2MBACK_CLOSED:
		x2mback_disconnect(be);
		xenbus_switch_state(dev, XenbusStateClosed);
		break;
	case X2MBACK_UNREGISTER:
		x2mback_disconnect(be);
		xenbus_switch_state(dev, XenbusStateClosed);
		return true;
	}
	return false;
}

static void x2mback_frontend_changed(struct xenbus_device *dev,
				     enum xenbus_state fe_state)
{
	struct x2mback_device *be = dev_get_drvdata(&dev->dev);
	bool unregister;

	mutex_lock(&be->xb_lock);
	unregister = x2mback_step(be, fe_state);
	mutex_unlock(&be->xb_lock);
	if (unregister)
		device_unregister(&dev->dev);
}

/* A connect put off by the pace: whatever the frontend's state is now. */
static void x2mback_connect_work(struct work_struct *work)
{
	struct x2mback_device *be = container_of(to_delayed_work(work),
						 struct x2mback_device,
						 connect_work);
	enum xenbus_state fe_state;

	mutex_lock(&be->xb_lock);
	fe_state = xenbus_read_driver_state(be->dev->otherend);
	/* Connecting is the only thing left to do here; anything else waits. */
	if (x2mback_next_action(be->dev->state, fe_state,
				xenbus_dev_is_online(be->dev)) == X2MBACK_CONNECT)
		x2mback_step(be, fe_state);
	mutex_unlock(&be->xb_lock);
}

static int x2mback_probe(struct xenbus_device *dev,
			 const struct xenbus_device_id *id)
{
	struct x2mback_device *be;
	unsigned int devid;
	int err;

	/* nodename is backend/xen2mx/<domid>/<devid>: the last part is ours. */
	if (sscanf(strrchr(dev->nodename, '/') + 1, "%u", &devid) != 1) {
		xenbus_dev_fatal(dev, -EINVAL, "parsing device id of %s",
				 dev->nodename);
		return -EINVAL;
	}
	be = x2mback_alloc(dev, dev->otherend_id, devid);
	if (!be) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating backend device");
		return -ENOMEM;
	}
	mutex_init(&be->xb_lock);
	x2mback_connect_pace_init(&be->connect_pace, jiffies);
	INIT_DELAYED_WORK(&be->connect_work, x2mback_connect_work);
	dev_set_drvdata(&dev->dev, be);

	err = x2mback_publish(dev);
	if (err)
		goto fail;
	err = xenbus_switch_state(dev, XenbusStateInitWait);
	if (err)
		goto fail;
	x2mback_debugfs_add(be);
	/*
	 * xenbus holds a reference on this module for every bound device,
	 * which would make "rmmod xen2mx-back" impossible while any guest is
	 * attached.  Our exit path closes every device cleanly (remove() runs
	 * for each before the module goes), so give the reference back and
	 * take it again in remove() for xenbus to drop.
	 */
	module_put(THIS_MODULE);
	return 0;

fail:
	dev_set_drvdata(&dev->dev, NULL);
	x2mback_free(be);
	return err;
}

#ifdef HAVE_XENBUS_REMOVE_VOID
static void x2mback_remove(struct xenbus_device *dev)
#else
static int x2mback_remove(struct xenbus_device *dev)
#endif
{
	struct x2mback_device *be = dev_get_drvdata(&dev->dev);

	if (be) {
		/* It may wait on xb_lock: never called with it held (see step). */
		cancel_delayed_work_sync(&be->connect_work);
		x2mback_debugfs_remove(be);
		x2mback_free(be);	/* disconnects first */
		dev_set_drvdata(&dev->dev, NULL);
		/* For the module_put() xenbus does after we return (see probe). */
		__module_get(THIS_MODULE);
	}
#ifndef HAVE_XENBUS_REMOVE_VOID
	return 0;
#endif
}

static const struct xenbus_device_id x2mback_ids[] = {
	{ XEN2MX_DEVICE_TYPE },
	{ "" }
};

static struct xenbus_driver x2mback_driver = {
	.name = XEN2MX_DEVICE_TYPE,
	.ids = x2mback_ids,
	.probe = x2mback_probe,
	.remove = x2mback_remove,
	.otherend_changed = x2mback_frontend_changed,
	/*
	 * Unloading the module moves our devices to Closed: the frontend
	 * takes that as "backend gone" and reconnects when we come back.
	 */
#ifdef HAVE_XENBUS_DRIVER_ALLOW_REBIND
	.allow_rebind = false,
#endif
};

int x2mback_xenbus_init(void)
{
	return xenbus_register_backend(&x2mback_driver);
}

void x2mback_xenbus_exit(void)
{
	xenbus_unregister_driver(&x2mback_driver);
}
