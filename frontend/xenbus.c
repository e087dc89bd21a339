// SPDX-License-Identifier: GPL-2.0-only
/*
 * xenbus.c - the frontend's control plane: probe/remove, negotiation with
 * the backend and the reaction to its state.
 *
 * Reconnection rule: a backend that goes to Closed without passing Closing
 * has gone away (its module was unloaded, or dom0 restarted it); we drop
 * our rings, return to Initialising and connect again when it offers
 * InitWait.  A backend that passes Closing is closing us on purpose (detach
 * or a fatal error), and we stay Closed.
 */
#include "common.h"
#include <linux/module.h>
#include <linux/slab.h>

static unsigned int x2mfront_choose_order(struct x2mfront_device *fe)
{
	struct xenbus_device *dev = fe->dev;
	unsigned int be_max;

	/*
	 * An order the toolstack asked for is used as is: the backend is the
	 * authority on its limit and refuses visibly (an error node) rather
	 * than us silently shrinking the ring the administrator chose.
	 */
	if (xenbus_exists(XBT_NIL, dev->nodename,
			  XEN2MX_XS_REQUESTED_RING_PAGE_ORDER))
		return xenbus_read_unsigned(dev->nodename,
					    XEN2MX_XS_REQUESTED_RING_PAGE_ORDER,
					    UINT_MAX);
	be_max = xenbus_read_unsigned(dev->otherend,
				      XEN2MX_XS_MAX_RING_PAGE_ORDER, 0);
	return min3(be_max, READ_ONCE(x2mfront_max_ring_page_order),
		    XEN2MX_MAX_RING_PAGE_ORDER);
}

static int x2mfront_write_refs(struct xenbus_transaction xbt, const char *dir,
			       const char *base, unsigned int order,
			       const grant_ref_t *refs)
{
	char node[32];
	unsigned int i;
	int err;

	for (i = 0; i < (1u << order); i++) {
		x2m_ring_ref_node(node, sizeof(node), base, order, i);
		err = xenbus_printf(xbt, dir, node, "%u", refs[i]);
		if (err)
			return err;
	}
	return 0;
}

static int x2mfront_publish(struct x2mfront_device *fe)
{
	struct xenbus_device *dev = fe->dev;
	struct xenbus_transaction xbt;
	int err;

again:
	err = xenbus_transaction_start(&xbt);
	if (err) {
		xenbus_dev_fatal(dev, err, "starting transaction");
		return err;
	}
	err = xenbus_printf(xbt, dev->nodename, XEN2MX_XS_VERSION, "%u",
			    fe->version);
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, XEN2MX_XS_RING_PAGE_ORDER,
				    "%u", fe->ring_page_order);
	if (!err)
		err = x2mfront_write_refs(xbt, dev->nodename, XEN2MX_XS_RING_REF,
					  fe->ring_page_order, fe->req_refs);
	if (!err)
		err = x2mfront_write_refs(xbt, dev->nodename, XEN2MX_XS_EVT_RING_REF,
					  fe->ring_page_order, fe->evt_refs);
	if (!err)
		err = xenbus_printf(xbt, dev->nodename, XEN2MX_XS_EVENT_CHANNEL,
				    "%u", fe->evtchn);
	if (err) {
		xenbus_transaction_end(xbt, 1);
		xenbus_dev_fatal(dev, err, "writing ring nodes");
		return err;
	}
	err = xenbus_transaction_end(xbt, 0);
	if (err == -EAGAIN)
		goto again;
	if (err)
		xenbus_dev_fatal(dev, err, "completing transaction");
	return err;
}

/*
 * What the backend offers beyond the rings.  Read at every connect: a
 * backend that came back may be another build.  Caller holds conn_sem for
 * writing.
 */
static void x2mfront_read_features(struct x2mfront_device *fe)
{
	struct xenbus_device *dev = fe->dev;

	fe->omx = xenbus_read_unsigned(dev->otherend, XEN2MX_XS_FEATURE_OMX, 0);
	/* Endpoint memory and region pieces are counted in 4096-octet pages. */
	if (fe->omx && PAGE_SIZE != XEN_PAGE_SIZE) {
		dev_warn(&dev->dev, "%s ignored: page size %lu is not %lu\n",
			 XEN2MX_XS_FEATURE_OMX, PAGE_SIZE, XEN_PAGE_SIZE);
		fe->omx = false;
	}
	/* Only used to refuse early what the backend would refuse anyway. */
	fe->omx_max_grants = xenbus_read_unsigned(dev->otherend,
						  XEN2MX_XS_MAX_GRANTS, UINT_MAX);
}

static void x2mfront_disconnect(struct x2mfront_device *fe)
{
	x2mfront_ring_stop(fe);
	down_write(&fe->conn_sem);
	x2mfront_ring_teardown(fe);
	up_write(&fe->conn_sem);
	/* After the interrupt is gone: nothing can schedule it again. */
	cancel_work_sync(&fe->fatal_work);
}

/* Backend in InitWait: choose, allocate, publish, go Initialised. */
static void x2mfront_connect(struct x2mfront_device *fe)
{
	struct xenbus_device *dev = fe->dev;
	unsigned int version, order;
	char *versions;
	int err;

	versions = xenbus_read(XBT_NIL, dev->otherend, XEN2MX_XS_VERSIONS, NULL);
	if (IS_ERR(versions)) {
		xenbus_dev_fatal(dev, PTR_ERR(versions), "reading %s/%s",
				 dev->otherend, XEN2MX_XS_VERSIONS);
		return;
	}
	version = x2m_choose_version(versions, XEN2MX_PROTO_VERSION);
	if (!version) {
		xenbus_dev_fatal(dev, -EPROTONOSUPPORT,
				 "backend offers protocol versions \"%s\", we speak %u",
				 versions, XEN2MX_PROTO_VERSION);
		kfree(versions);
		return;
	}
	kfree(versions);

	order = x2mfront_choose_order(fe);
	if (order > XEN2MX_MAX_RING_PAGE_ORDER) {
		xenbus_dev_fatal(dev, -EINVAL,
				 "%s %u exceeds the protocol maximum %u",
				 XEN2MX_XS_REQUESTED_RING_PAGE_ORDER, order,
				 XEN2MX_MAX_RING_PAGE_ORDER);
		return;
	}

	down_write(&fe->conn_sem);
	fe->version = version;
	x2mfront_read_features(fe);
	err = x2mfront_ring_setup(fe, order);
	up_write(&fe->conn_sem);
	if (err) {
		xenbus_dev_fatal(dev, err, "allocating %u-page rings", 1u << order);
		return;
	}
	err = x2mfront_publish(fe);
	if (!err)
		err = xenbus_switch_state(dev, XenbusStateInitialised);
	if (err)
		x2mfront_disconnect(fe);
}

static void x2mfront_backend_changed(struct xenbus_device *dev,
				     enum xenbus_state be_state)
{
	struct x2mfront_device *fe = dev_get_drvdata(&dev->dev);

	dev_dbg(&dev->dev, "backend %s, frontend %s\n",
		xenbus_strstate(be_state), xenbus_strstate(dev->state));

	switch (be_state) {
	case XenbusStateInitWait:
		/*
		 * Watch events repeat: InitWait seen again while Initialised
		 * is the same offer, and the backend may already be mapping
		 * the rings we published.  Only a backend we were Connected
		 * to and that offers InitWait again has restarted under us.
		 */
		if (dev->state == XenbusStateConnected) {
			x2mfront_disconnect(fe);
			xenbus_switch_state(dev, XenbusStateInitialising);
			fe->reconnects++;
		}
		if (dev->state == XenbusStateInitialising)
			x2mfront_connect(fe);
		break;
	case XenbusStateConnected:
		if (dev->state != XenbusStateInitialised)
			break;
		x2mfront_ring_start(fe);
		xenbus_switch_state(dev, XenbusStateConnected);
		dev_info(&dev->dev, "connected: protocol %u, %u-page rings, %u slots%s\n",
			 fe->version, 1u << fe->ring_page_order, fe->ring_slots,
			 fe->omx ? ", Open-MX" : "");
		break;
	case XenbusStateClosing:
		fe->backend_closed_us = true;
		x2mfront_disconnect(fe);
		xenbus_frontend_closed(dev);
		break;
	case XenbusStateClosed:
		if (dev->state == XenbusStateClosed)
			break;
		x2mfront_disconnect(fe);
		if (fe->backend_closed_us) {
			xenbus_frontend_closed(dev);
			break;
		}
		dev_info(&dev->dev, "backend went away; waiting for it to return\n");
		if (dev->state != XenbusStateInitialising) {
			xenbus_switch_state(dev, XenbusStateInitialising);
			fe->reconnects++;
		}
		break;
	case XenbusStateUnknown:
		/* The backend's directory is gone: nothing to talk to. */
		x2mfront_disconnect(fe);
		if (dev->state != XenbusStateClosed)
			xenbus_frontend_closed(dev);
		break;
	default:
		break;
	}
}

static void x2mfront_fatal_work(struct work_struct *work)
{
	struct x2mfront_device *fe = container_of(work, struct x2mfront_device,
						  fatal_work);

	xenbus_dev_fatal(fe->dev, -EPROTO, "%s", fe->fatal_why);
}

static void x2mfront_device_free(struct kref *ref)
{
	kfree(container_of(ref, struct x2mfront_device, ref));
}

/*
 * Drop a reference: the probe's (remove) or an endpoint's (file released).
 * The last one frees the device; it is then off x2mfront_devices and
 * disconnected.
 */
void x2mfront_device_unref(struct x2mfront_device *fe)
{
	kref_put(&fe->ref, x2mfront_device_free);
}

static int x2mfront_probe(struct xenbus_device *dev,
			  const struct xenbus_device_id *id)
{
	struct x2mfront_device *fe;
	unsigned int devid;

	/* nodename is device/xen2mx/<devid> */
	if (sscanf(strrchr(dev->nodename, '/') + 1, "%u", &devid) != 1) {
		xenbus_dev_fatal(dev, -EINVAL, "parsing device id of %s",
				 dev->nodename);
		return -EINVAL;
	}
	fe = kzalloc(sizeof(*fe), GFP_KERNEL);
	if (!fe) {
		xenbus_dev_fatal(dev, -ENOMEM, "allocating frontend device");
		return -ENOMEM;
	}
	fe->dev = dev;
	fe->devid = devid;
	kref_init(&fe->ref);
	init_rwsem(&fe->conn_sem);
	spin_lock_init(&fe->ring_lock);
	spin_lock_init(&fe->ep_lock);
	INIT_LIST_HEAD(&fe->endpoints);
	init_waitqueue_head(&fe->wq);
	INIT_WORK(&fe->fatal_work, x2mfront_fatal_work);
	dev_set_drvdata(&dev->dev, fe);

	mutex_lock(&x2mfront_devices_lock);
	list_add_tail(&fe->node, &x2mfront_devices);
	mutex_unlock(&x2mfront_devices_lock);
	x2mfront_debugfs_add(fe);

	/*
	 * The backend waits for Initialising before it offers the device
	 * again, and the node may say something else: Closed for a device
	 * this module closed when it was unloaded, or whatever was written
	 * there before the module first loaded (xenbus then believes it is
	 * Initialising already and would not write it).  Say we start over,
	 * in xenstore.
	 */
	if (dev->state != XenbusStateInitialising ||
	    xenbus_read_driver_state(dev->nodename) != XenbusStateInitialising) {
		dev->state = XenbusStateUnknown;	/* so that it is written */
		xenbus_switch_state(dev, XenbusStateInitialising);
	}
	/*
	 * xenbus pins this module once per bound device, so it could not be
	 * unloaded while a device is attached; remove() closes each device
	 * cleanly, so hand the reference back (remove() takes it again).
	 */
	module_put(THIS_MODULE);
	/* Connecting starts when the backend's InitWait reaches us. */
	return 0;
}

#ifdef HAVE_XENBUS_REMOVE_VOID
static void x2mfront_remove(struct xenbus_device *dev)
#else
static int x2mfront_remove(struct xenbus_device *dev)
#endif
{
	struct x2mfront_device *fe = dev_get_drvdata(&dev->dev);

	mutex_lock(&x2mfront_devices_lock);
	list_del(&fe->node);
	mutex_unlock(&x2mfront_devices_lock);
	x2mfront_debugfs_remove(fe);
	x2mfront_disconnect(fe);	/* every endpoint is dead from here */
	dev_set_drvdata(&dev->dev, NULL);
	fe->dev = NULL;			/* freed after we return */
	x2mfront_device_unref(fe);
	/* For the module_put() xenbus does after we return (see probe). */
	__module_get(THIS_MODULE);
#ifndef HAVE_XENBUS_REMOVE_VOID
	return 0;
#endif
}

static const struct xenbus_device_id x2mfront_ids[] = {
	{ XEN2MX_DEVICE_TYPE },
	{ "" }
};

static struct xenbus_driver x2mfront_driver = {
	.ids = x2mfront_ids,
	.probe = x2mfront_probe,
	.remove = x2mfront_remove,
	.otherend_changed = x2mfront_backend_changed,
	/* Guests boot fine without it: do not wait for it at boot. */
	.not_essential = true,
};

int x2mfront_xenbus_init(void)
{
	return xenbus_register_frontend(&x2mfront_driver);
}

void x2mfront_xenbus_exit(void)
{
	xenbus_unregister_driver(&x2mfront_driver);
}
