// SPDX-License-Identifier: GPL-2.0-only
/*
 * chardev.c - dom0's /dev/open-mx: the commands of shared/omx_abi.h.
 *
 * A file is a control handle until OMX_CMD_OPEN_ENDPOINT (or
 * OMX_CMD_RAW_OPEN) binds it, once, to an endpoint (or a board's raw
 * discovery channel).  Every command copies its argument in before looking
 * at it; nothing a process passes is trusted beyond its own endpoint.
 * Reading the device gives a status text (cat /dev/open-mx).
 */
#include "omx_engine.h"
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

struct omx_file {
	struct mutex lock;		/* binding; commands run unlocked */
	struct omx_endpoint *ep;
	struct omx_raw *raw;
};

static int omx_chr_open(struct inode *inode, struct file *file)
{
	struct omx_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int omx_chr_release(struct inode *inode, struct file *file)
{
	struct omx_file *f = file->private_data;

	if (f->ep)
		omx_endpoint_close(f->ep);
	if (f->raw)
		omx_raw_close(f->raw);
	kfree(f);
	return 0;
}

/* The endpoint of a file, once bound; the binding is never undone. */
static struct omx_endpoint *omx_file_ep(struct omx_file *f)
{
	return smp_load_acquire(&f->ep);
}

static int omx_bind_endpoint(struct omx_file *f,
			     struct omx_cmd_open_endpoint *o)
{
	struct omx_endpoint *ep;
	int err = -EBUSY;

	mutex_lock(&f->lock);
	if (!f->ep && !f->raw) {
		err = omx_endpoint_open(&ep, o->board_index,
					o->endpoint_index);
		if (!err) {
			o->session_id = ep->session_id;
			/* Other threads' commands see it fully set up. */
			smp_store_release(&f->ep, ep);
		}
	}
	mutex_unlock(&f->lock);
	return err;
}

static struct omx_raw *omx_file_raw(struct omx_file *f)
{
	struct omx_raw *raw;

	mutex_lock(&f->lock);
	raw = f->raw;
	mutex_unlock(&f->lock);
	return raw;
}

static int omx_bind_raw(struct omx_file *f, struct omx_cmd_raw_open *o)
{
	int err = -EBUSY;

	if (!capable(CAP_NET_RAW))
		return -EPERM;
	mutex_lock(&f->lock);
	if (!f->ep && !f->raw)
		err = omx_raw_open(&f->raw, o->board_index);
	mutex_unlock(&f->lock);
	return err;
}

/*
 * Is @cmd one of ours, number, direction and size?  The command code
 * dispatches on the number alone, and the argument is copied in and out
 * at the size @cmd says: any other size would answer with stack bytes
 * the command never wrote.
 */
static bool omx_chr_cmd_known(unsigned int cmd)
{
	switch (cmd) {
	case OMX_CMD_GET_INFO: case OMX_CMD_GET_BOARD_INFO:
	case OMX_CMD_GET_COUNTERS: case OMX_CMD_PEER_ADD:
	case OMX_CMD_PEERS_CLEAR: case OMX_CMD_PEER_FROM_INDEX:
	case OMX_CMD_PEER_FROM_ADDR: case OMX_CMD_PEER_FROM_HOSTNAME:
	case OMX_CMD_SET_HOSTNAME: case OMX_CMD_GET_ENDPOINT_INFO:
	case OMX_CMD_GET_PEER_TABLE_STATE: case OMX_CMD_SET_PEER_TABLE_STATE:
	case OMX_CMD_OPEN_ENDPOINT: case OMX_CMD_SEND_TINY:
	case OMX_CMD_SEND_SMALL: case OMX_CMD_SEND_MEDIUM_FRAG:
	case OMX_CMD_SEND_RNDV: case OMX_CMD_SEND_NOTIFY:
	case OMX_CMD_SEND_CONNECT: case OMX_CMD_SEND_LIBACK:
	case OMX_CMD_CREATE_REGION: case OMX_CMD_DESTROY_REGION:
	case OMX_CMD_PULL: case OMX_CMD_WAIT_EVENT: case OMX_CMD_WAKEUP:
	case OMX_CMD_RAW_OPEN: case OMX_CMD_RAW_SEND: case OMX_CMD_RAW_RECV:
		return true;
	}
	return false;
}

static long omx_chr_ioctl(struct file *file, unsigned int cmd,
			  unsigned long uarg)
{
	struct omx_file *f = file->private_data;
	void __user *argp = (void __user *)uarg;
	union omx_cmd_arg a;
	size_t size = _IOC_SIZE(cmd);
	long ret;

	if (!omx_chr_cmd_known(cmd) || size > sizeof(a))
		return -ENOTTY;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(&a, argp, size))
		return -EFAULT;

	switch (cmd) {
	case OMX_CMD_OPEN_ENDPOINT:
		ret = omx_bind_endpoint(f, &a.open);
		break;
	case OMX_CMD_RAW_OPEN:
		ret = omx_bind_raw(f, &a.raw_open);
		break;
	case OMX_CMD_RAW_SEND:
		if (!omx_file_raw(f))
			return -EBADF;
		if (a.raw_send.length > OMX_ABI_RAW_FRAME_MAX)
			return -EINVAL;
		ret = omx_raw_send(f->raw,
				   u64_to_user_ptr(a.raw_send.buffer),
				   a.raw_send.length);
		break;
	case OMX_CMD_RAW_RECV:
		if (!omx_file_raw(f))
			return -EBADF;
		ret = omx_raw_recv(f->raw, &a.raw_recv);
		break;
	default: {
		struct omx_endpoint *ep = omx_file_ep(f);
		/* Rights: CAP_NET_ADMIN, asked where a command needs it. */
		struct omx_cmd_view view = { .flags = OMX_VIEW_CAPABLE };

		ret = omx_cmd_control(&view, _IOC_NR(cmd), &a);
		if (ret != -ENOSYS)
			break;
		if (!ep)
			return -EBADF;
		ret = omx_cmd_endpoint(ep, _IOC_NR(cmd), &a);
		if (ret == -ENOSYS)
			return -ENOTTY;
		break;
	}
	}
	if (ret >= 0 && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(argp, &a, size))
		return -EFAULT;
	return ret;
}

static int omx_chr_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct omx_endpoint *ep = omx_file_ep(file->private_data);

	if (!ep)
		return -EBADF;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != OMX_ABI_MMAP_SIZE)
		return -EINVAL;
	return remap_vmalloc_range(vma, ep->mem, 0);
}

static ssize_t omx_chr_read(struct file *file, char __user *buf,
			    size_t count, loff_t *ppos)
{
	struct omx_cmd_get_info info;
	char ifnames[128];
	char *text;
	ssize_t ret;
	int len;

	text = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	omx_fill_info(&info);
	len = omx_ifnames_get(text);	/* scratch, then the report */
	strscpy(ifnames, text, sizeof(ifnames));
	strim(ifnames);
	len = scnprintf(text, PAGE_SIZE,
		"Open-MX %s (xen2mx)\n"
		" Driver ABI=0x%x\n"
		" Configured for %u endpoints on %u interfaces with %u peers\n"
		" Interfaces: %s\n"
		" WireSpecs: NoWireCompat EtherType=0x%x MTU>=%u\n"
		" SendQ: %uB x %u slots\n"
		" RecvQ: %uB x %u slots\n"
		" MediumMessages: %uB per fragment\n"
		" LargeMessages: %u requests in parallel, %u x %uB pull replies per request\n"
		" SharedComms: Enabled\n"
		" Pinning: at region creation\n",
		info.version, OMX_ABI_VERSION, info.endpoint_max, info.board_max,
		info.peer_max, ifnames[0] ? ifnames : "(none)",
		OMX_WIRE_ETHERTYPE, info.wire_mtu,
		OMX_ABI_SENDQ_SLOT_SIZE, OMX_ABI_SENDQ_SLOTS,
		OMX_ABI_RECVQ_SLOT_SIZE, OMX_ABI_RECVQ_SLOTS,
		info.medium_frag_max, OMX_PULL_BLOCKS_MAX,
		info.pull_block_replies, info.pull_reply_max);
	ret = simple_read_from_buffer(buf, count, ppos, text, len);
	kfree(text);
	return ret;
}

static const struct file_operations omx_chr_fops = {
	.owner = THIS_MODULE,
	.open = omx_chr_open,
	.release = omx_chr_release,
	.unlocked_ioctl = omx_chr_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = omx_chr_mmap,
	.read = omx_chr_read,
	.llseek = default_llseek,
};

static struct miscdevice omx_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "open-mx",
	.fops = &omx_chr_fops,
	.mode = 0666,
};

int omx_chardev_init(void)
{
	return misc_register(&omx_miscdev);
}

void omx_chardev_exit(void)
{
	misc_deregister(&omx_miscdev);
}
