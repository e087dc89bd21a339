// SPDX-License-Identifier: GPL-2.0-only
/*
 * chardev.c - /dev/open-mx in the guest.
 *
 * The device node dom0's Open-MX stack also offers, with the same commands
 * (shared/omx_abi.h) and the same answers, so one libopen-mx binary runs
 * in both.  As in dom0 (backend/chardev.c), a file is a control handle
 * until OMX_CMD_OPEN_ENDPOINT binds it, once, to an endpoint; arguments
 * are copied in before anything looks at them.  Control commands go to
 * control.c, endpoint commands to endpoint.c.  Raw frames (peer
 * discovery) are dom0's job: a guest has none.
 *
 * The transport diagnostics of xen2mx_ioctl.h (ECHO, STATS) live in the
 * same number space, above the Open-MX commands.
 */
#include "common.h"
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "omx_cmd_arg.h"
#include "xen2mx_ioctl.h"

struct x2mfront_file {
	struct mutex lock;		/* binding; commands run unlocked */
	struct x2mfront_endpoint *ep;
};

static int x2mfront_chr_open(struct inode *inode, struct file *file)
{
	struct x2mfront_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int x2mfront_chr_release(struct inode *inode, struct file *file)
{
	struct x2mfront_file *f = file->private_data;

	if (f->ep)
		x2mfront_endpoint_close(f->ep);
	kfree(f);
	return 0;
}

/* The endpoint of a file, once bound; the binding is never undone. */
static struct x2mfront_endpoint *x2mfront_file_ep(struct x2mfront_file *f)
{
	/* Pairs with the release in x2mfront_bind_endpoint(). */
	return smp_load_acquire(&f->ep);
}

static int x2mfront_bind_endpoint(struct x2mfront_file *f,
				  struct omx_cmd_open_endpoint *o)
{
	struct x2mfront_endpoint *ep;
	int err = -EBUSY;

	mutex_lock(&f->lock);
	if (!f->ep) {
		err = x2mfront_endpoint_open(&ep, o);
		/* Other threads' commands see it fully set up. */
		if (!err)
			smp_store_release(&f->ep, ep);	/* see x2mfront_file_ep() */
	}
	mutex_unlock(&f->lock);
	return err;
}

/* The commands of omx_abi.h, with dom0's checks in dom0's order. */
static long x2mfront_omx_ioctl(struct x2mfront_file *f, unsigned int cmd,
			       void __user *argp)
{
	union omx_cmd_arg a;
	size_t size = _IOC_SIZE(cmd);
	long ret;

	if (_IOC_TYPE(cmd) != OMX_IOC_TYPE || size > sizeof(a))
		return -ENOTTY;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(&a, argp, size))
		return -EFAULT;

	switch (cmd) {
	case OMX_CMD_GET_INFO:
	case OMX_CMD_GET_BOARD_INFO:
	case OMX_CMD_GET_COUNTERS:
	case OMX_CMD_PEER_ADD:
	case OMX_CMD_PEERS_CLEAR:
	case OMX_CMD_PEER_FROM_INDEX:
	case OMX_CMD_PEER_FROM_ADDR:
	case OMX_CMD_PEER_FROM_HOSTNAME:
	case OMX_CMD_SET_HOSTNAME:
	case OMX_CMD_GET_ENDPOINT_INFO:
	case OMX_CMD_GET_PEER_TABLE_STATE:
	case OMX_CMD_SET_PEER_TABLE_STATE:
		ret = x2mfront_control_cmd(cmd, &a);
		break;
	case OMX_CMD_OPEN_ENDPOINT:
		ret = x2mfront_bind_endpoint(f, &a.open);
		break;
	case OMX_CMD_RAW_OPEN:
	case OMX_CMD_RAW_SEND:
	case OMX_CMD_RAW_RECV:
		return -EOPNOTSUPP;
	default: {
		struct x2mfront_endpoint *ep = x2mfront_file_ep(f);

		if (!ep)
			return -EBADF;
		ret = x2mfront_endpoint_cmd(ep, cmd, &a);
		break;
	}
	}
	if (ret >= 0 && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(argp, &a, size))
		return -EFAULT;
	return ret;
}

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

/* ECHO and STATS: the transport itself, on the default device. */
static long x2mfront_diag_ioctl(unsigned int cmd, void __user *argp)
{
	struct x2mfront_device *fe;
	long ret;

	fe = x2mfront_get_default();
	if (!fe)
		return -ENOTCONN;
	if (cmd == XEN2MX_IOC_ECHO)
		ret = x2mfront_ioctl_echo(fe, argp);
	else
		ret = x2mfront_ioctl_stats(fe, argp);
	x2mfront_put(fe);
	return ret;
}

static long x2mfront_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	if (cmd == XEN2MX_IOC_ECHO || cmd == XEN2MX_IOC_STATS)
		return x2mfront_diag_ioctl(cmd, (void __user *)arg);
	return x2mfront_omx_ioctl(file->private_data, cmd, (void __user *)arg);
}

static int x2mfront_chr_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct x2mfront_endpoint *ep = x2mfront_file_ep(file->private_data);

	if (!ep)
		return -EBADF;
	return x2mfront_endpoint_mmap(ep, vma);
}

/* .owner pins the module while a file is open: no unload under a user. */
static const struct file_operations x2mfront_fops = {
	.owner = THIS_MODULE,
	.open = x2mfront_chr_open,
	.release = x2mfront_chr_release,
	.mmap = x2mfront_chr_mmap,
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
