// SPDX-License-Identifier: GPL-2.0-only
/*
 * chardev.c - /dev/open-mx in the guest.
 *
 * The device node dom0's Open-MX stack also offers.  For now it carries the
 * transport diagnostics of xen2mx_ioctl.h; endpoint commands come with the
 * data path.
 */
#include "common.h"
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/uaccess.h>

#include "xen2mx_ioctl.h"

static long x2mfront_ioctl_echo(struct x2mfront_device *fe, void __user *arg)
{
	struct xen2mx_ioc_echo io;
	int err;

	if (copy_from_user(&io, arg, sizeof(io)))
		return -EFAULT;
	if (io.len > XEN2MX_INLINE_MAX)
		return -EINVAL;
	err = x2mfront_echo(fe, io.data, io.len, io.flags);
	if (err)
		return err;
	return copy_to_user(arg, &io, sizeof(io)) ? -EFAULT : 0;
}

static long x2mfront_ioctl_stats(struct x2mfront_device *fe, void __user *arg)
{
	struct xen2mx_ioc_stats io;
	int err;

	memset(&io, 0, sizeof(io));
	err = x2mfront_stats(fe, &io.backend);
	if (err)
		return err;
	io.requests = atomic64_read(&fe->stats.requests);
	io.responses = atomic64_read(&fe->stats.responses);
	io.events = atomic64_read(&fe->stats.events);
	io.notifications = atomic64_read(&fe->stats.notifications);
	io.version = fe->version;
	io.ring_page_order = fe->ring_page_order;
	io.ring_slots = fe->ring_slots;
	io.devid = fe->devid;
	return copy_to_user(arg, &io, sizeof(io)) ? -EFAULT : 0;
}

static long x2mfront_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	struct x2mfront_device *fe;
	long ret;

	if (cmd != XEN2MX_IOC_ECHO && cmd != XEN2MX_IOC_STATS)
		return -ENOTTY;
	fe = x2mfront_get_default();
	if (!fe)
		return -ENOTCONN;
	if (cmd == XEN2MX_IOC_ECHO)
		ret = x2mfront_ioctl_echo(fe, (void __user *)arg);
	else
		ret = x2mfront_ioctl_stats(fe, (void __user *)arg);
	x2mfront_put(fe);
	return ret;
}

static const struct file_operations x2mfront_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = x2mfront_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice x2mfront_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "open-mx",
	.fops = &x2mfront_fops,
	.mode = 0666,	/* like Open-MX: any user may open endpoints */
};

int x2mfront_chardev_init(void)
{
	return misc_register(&x2mfront_misc);
}

void x2mfront_chardev_exit(void)
{
	misc_deregister(&x2mfront_misc);
}
