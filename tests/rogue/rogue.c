// SPDX-License-Identifier: GPL-2.0-only
/*
 * rogue.c - xen2mx-rogue.ko: a hostile xen2mx frontend, for tests only.
 *
 * It binds to xen2mx devices like xen2mx-front (same negotiation, same
 * rings: the frontend's own code) and offers one file,
 *
 *   /sys/kernel/debug/xen2mx-rogue/attack
 *
 * Writing an attack's name (attacks.c) runs it against the device with
 * the lowest id; reading gives the outcome of the last one:
 *
 *   attack: NAME
 *   result: S S ...        the backend's status for each request, in order
 *                          ("none" when no answer came)
 *   ...                    what else the attack found out
 *   answering: yes|no      a STATS request afterwards got its answer
 *   frontend: STATE
 *   backend: STATE         xenbus states, read after the attack
 *
 * Never load it next to xen2mx-front: both would want the same devices.
 */
#include "rogue.h"
#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <xen/xen.h>

/* What the frontend's xenbus.c, ring.c and request.c expect of module.c */
DEFINE_MUTEX(x2mfront_devices_lock);
LIST_HEAD(x2mfront_devices);

/* Ring size, log2 of pages (default 4, capped by the backend), as xen2mx-front. */
unsigned int x2mfront_max_ring_page_order = XEN2MX_MAX_RING_PAGE_ORDER;
module_param_named(max_ring_page_order, x2mfront_max_ring_page_order, uint, 0644);
MODULE_PARM_DESC(max_ring_page_order,
		 "Ring size, log2 of pages (default 4, capped by the backend's max-ring-page-order)");

#define X2MROGUE_OUT_SIZE	2048

/* One attack at a time; its outcome stays until the next one. */
static DEFINE_MUTEX(x2mrogue_attack_lock);
static char x2mrogue_out[X2MROGUE_OUT_SIZE];
static size_t x2mrogue_out_len;
static char x2mrogue_line[512];		/* the "result:" line being built */
static size_t x2mrogue_line_len;

/* The xenbus device we are bound to (one is all the tests attach). */
static DEFINE_MUTEX(x2mrogue_dev_lock);
static struct xenbus_device *x2mrogue_xdev;

static struct dentry *x2mrogue_debugfs;

void x2mrogue_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	x2mrogue_out_len += vscnprintf(x2mrogue_out + x2mrogue_out_len,
				       sizeof(x2mrogue_out) - x2mrogue_out_len,
				       fmt, ap);
	va_end(ap);
}

void x2mrogue_result(s32 status)
{
	size_t room = sizeof(x2mrogue_line) - x2mrogue_line_len;

	if (status == X2MROGUE_NO_ANSWER)
		x2mrogue_line_len += scnprintf(x2mrogue_line + x2mrogue_line_len,
					       room, " none");
	else
		x2mrogue_line_len += scnprintf(x2mrogue_line + x2mrogue_line_len,
					       room, " %d", status);
}

/*
 * The frontend's xenbus.c calls these at probe and remove, where
 * xen2mx-front adds its debugfs file: we remember the device instead.
 */
void x2mfront_debugfs_add(struct x2mfront_device *fe)
{
	mutex_lock(&x2mrogue_dev_lock);
	if (!x2mrogue_xdev)
		x2mrogue_xdev = fe->dev;
	mutex_unlock(&x2mrogue_dev_lock);
}

void x2mfront_debugfs_remove(struct x2mfront_device *fe)
{
	mutex_lock(&x2mrogue_dev_lock);
	if (x2mrogue_xdev == fe->dev)
		x2mrogue_xdev = NULL;
	mutex_unlock(&x2mrogue_dev_lock);
}

domid_t x2mrogue_backend_domid(void)
{
	domid_t domid = 0;

	mutex_lock(&x2mrogue_dev_lock);
	if (x2mrogue_xdev)
		domid = x2mrogue_xdev->otherend_id;
	mutex_unlock(&x2mrogue_dev_lock);
	return domid;
}

enum xenbus_state x2mrogue_backend_state(void)
{
	enum xenbus_state s = XenbusStateUnknown;

	mutex_lock(&x2mrogue_dev_lock);
	if (x2mrogue_xdev && x2mrogue_xdev->otherend)
		s = xenbus_read_driver_state(x2mrogue_xdev->otherend);
	mutex_unlock(&x2mrogue_dev_lock);
	return s;
}

/* After every attack: does the device still answer, and in what state? */
static void x2mrogue_epilogue(void)
{
	struct x2mfront_device *fe = x2mfront_get_default();
	struct xen2mx_response rsp;
	s32 status;

	if (!fe) {
		x2mrogue_printf("answering: no (no connected device)\n");
	} else {
		status = x2mrogue_req(fe, XEN2MX_OP_STATS, 0, 0, NULL, 0, &rsp);
		x2mfront_put(fe);
		if (status == XEN2MX_ST_OK && rsp.len == sizeof(struct xen2mx_stats)) {
			struct xen2mx_stats st;

			memcpy(&st, rsp.payload, sizeof(st));
			x2mrogue_printf("answering: yes\n");
			x2mrogue_printf("stats: requests %llu errors %llu\n",
					st.requests, st.errors);
		} else if (status == X2MROGUE_NO_ANSWER) {
			x2mrogue_printf("answering: no (no answer to STATS)\n");
		} else {
			x2mrogue_printf("answering: no (STATS answered %d, %u octets)\n",
					status, rsp.len);
		}
	}
	mutex_lock(&x2mrogue_dev_lock);
	if (x2mrogue_xdev) {
		x2mrogue_printf("frontend: %s\n",
				xenbus_strstate(x2mrogue_xdev->state));
		x2mrogue_printf("backend: %s\n",
				xenbus_strstate(x2mrogue_xdev->otherend ?
					xenbus_read_driver_state(x2mrogue_xdev->otherend) :
					XenbusStateUnknown));
	} else {
		x2mrogue_printf("frontend: none\nbackend: none\n");
	}
	mutex_unlock(&x2mrogue_dev_lock);
}

static void x2mrogue_run(const struct x2mrogue_attack *a)
{
	struct x2mfront_device *fe = NULL;
	size_t head;

	x2mrogue_out_len = 0;
	x2mrogue_line_len = 0;
	x2mrogue_line[0] = '\0';
	x2mrogue_printf("attack: %s\n", a->name);
	head = x2mrogue_out_len;
	if (a->hold) {
		fe = x2mfront_get_default();
		if (!fe) {
			x2mrogue_printf("not run: no connected device\n");
			goto out;
		}
	}
	pr_info("attack %s\n", a->name);
	a->run(fe);
	if (fe)
		x2mfront_put(fe);
	/* The statuses go right after the name, before the details. */
	if (x2mrogue_line_len) {
		char *details = kmemdup(x2mrogue_out + head,
					x2mrogue_out_len - head + 1, GFP_KERNEL);

		x2mrogue_out_len = head;
		x2mrogue_printf("result:%s\n", x2mrogue_line);
		if (details) {
			x2mrogue_printf("%s", details);
			kfree(details);
		}
	}
out:
	x2mrogue_epilogue();
}

static ssize_t x2mrogue_attack_write(struct file *file, const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	const struct x2mrogue_attack *a;
	char name[32];
	size_t n = min(count, sizeof(name) - 1);

	if (copy_from_user(name, ubuf, n))
		return -EFAULT;
	name[n] = '\0';
	strim(name);
	for (a = x2mrogue_attacks; a->name; a++)
		if (!strcmp(a->name, name))
			break;
	if (!a->name)
		return -EINVAL;
	mutex_lock(&x2mrogue_attack_lock);
	x2mrogue_run(a);
	mutex_unlock(&x2mrogue_attack_lock);
	return count;
}

static ssize_t x2mrogue_attack_read(struct file *file, char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&x2mrogue_attack_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, x2mrogue_out,
				      x2mrogue_out_len);
	mutex_unlock(&x2mrogue_attack_lock);
	return ret;
}

static const struct file_operations x2mrogue_attack_fops = {
	.owner = THIS_MODULE,
	.read = x2mrogue_attack_read,
	.write = x2mrogue_attack_write,
	.llseek = default_llseek,
};

static int __init x2mrogue_init(void)
{
	int err;

	if (!xen_domain())
		return -ENODEV;
	x2mrogue_printf("no attack yet\n");
	x2mrogue_debugfs = debugfs_create_dir("xen2mx-rogue", NULL);
	debugfs_create_file("attack", 0600, x2mrogue_debugfs, NULL,
			    &x2mrogue_attack_fops);
	err = x2mfront_xenbus_init();
	if (err)
		debugfs_remove_recursive(x2mrogue_debugfs);
	return err;
}
module_init(x2mrogue_init);

static void __exit x2mrogue_exit(void)
{
	debugfs_remove_recursive(x2mrogue_debugfs);
	x2mfront_xenbus_exit();
	x2mrogue_attacks_cleanup();
}
module_exit(x2mrogue_exit);

MODULE_DESCRIPTION("xen2mx hostile frontend (tests only: attacks the backend)");
MODULE_LICENSE("GPL");
/* No MODULE_ALIAS: it must never be loaded for a device automatically. */
