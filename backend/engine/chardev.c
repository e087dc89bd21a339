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
#include "common.h"
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

struct x2mback_file {
	struct mutex lock;		/* binding; commands run unlocked */
	struct x2mback_endpoint *ep;
	struct x2mback_raw *raw;
};

static int x2mback_chr_open(struct inode *inode, struct file *file)
{
	struct x2mback_file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return 0;
}

static int x2mback_chr_release(struct inode *inode, struct file *file)
{
	struct x2mback_file *f = file->private_data;

	if (f->ep)
		x2mback_endpoint_close(f->ep);
	if (f->raw)
		x2mback_raw_close(f->raw);
	kfree(f);
	return 0;
}

void x2mback_fill_info(struct omx_cmd_get_info *info)
{
	struct omx_cmd_peer_table_state st;

	memset(info, 0, sizeof(*info));
	x2mback_peer_get_state(&st);
	info->abi_version = OMX_ABI_VERSION;
	info->board_count = x2mback_iface_count();
	info->board_max = x2mback_ifaces_max;
	info->endpoint_max = x2mback_endpoints_max;
	info->peer_max = x2mback_peers_max;
	info->counter_max = OMX_ABI_COUNTER_MAX;
	info->wire_mtu = x2mback_wire.mtu;
	info->medium_frag_max = x2mback_wire.medium_frag_max;
	info->medium_frags_max = x2mback_wire.medium_frags_max;
	info->pull_reply_max = x2mback_wire.pull_reply_max;
	info->pull_block_replies = x2mback_wire.pull_block_replies;
	info->peer_table_configured = st.configured;
	info->peer_table_version = st.version;
	info->peer_table_size = st.size;
	info->peer_table_mapper = st.mapper_id;
	info->peer_table_full = x2mback_peers_full();
	info->shared_comms = 1;
	strscpy(info->version, XEN2MX_PACKAGE_VERSION, sizeof(info->version));
}

/* What omx_info shows of board @ifc.  Under RCU; @bi is zeroed first. */
void x2mback_board_describe(struct x2mback_iface *ifc,
			    struct omx_cmd_board_info *bi)
{
	struct net_device *dev = ifc->dev;
	u32 board = bi->board_index;

	memset(bi, 0, sizeof(*bi));
	bi->board_index = board;
	bi->addr = ifc->addr;
	bi->mtu = dev->mtu;
	bi->peer_index = ifc->peer_index;
	bi->numa_node = (u32)-1;
	if (!(dev->flags & IFF_UP) || !netif_carrier_ok(dev))
		bi->status |= OMX_ABI_BOARD_DOWN;
	if (dev->mtu < x2mback_wire.mtu - ETH_HLEN)
		bi->status |= OMX_ABI_BOARD_BAD_MTU;
	strscpy(bi->hostname, ifc->hostname, sizeof(bi->hostname));
	if (ifc->guest) {
		/* A guest sees a xen2mx board, not dom0's interface. */
		strscpy(bi->ifname, "xen2mx", sizeof(bi->ifname));
		strscpy(bi->driver, "xen2mx-back", sizeof(bi->driver));
		return;
	}
	if (dev->dev.parent)
		bi->numa_node = (u32)dev_to_node(dev->dev.parent);
	strscpy(bi->ifname, dev->name, sizeof(bi->ifname));
	if (dev->dev.parent && dev->dev.parent->driver)
		strscpy(bi->driver, dev->dev.parent->driver->name,
			sizeof(bi->driver));
}

static int x2mback_board_info(struct omx_cmd_board_info *bi)
{
	struct x2mback_iface *ifc;
	u32 board = bi->board_index;
	int err = -ENODEV;

	rcu_read_lock();
	ifc = board < x2mback_ifaces_max ?
	      rcu_dereference(x2mback_ifaces[board]) : NULL;
	if (ifc) {
		x2mback_board_describe(ifc, bi);
		err = 0;
	} else {
		memset(bi, 0, sizeof(*bi));
		bi->board_index = board;
	}
	rcu_read_unlock();
	return err;
}

static int x2mback_counters(struct omx_cmd_counters *c)
{
	struct x2mback_counters_omx *cnt = NULL;
	struct x2mback_iface *ifc;
	unsigned int i;
	int err = 0;

	if (c->clear && !capable(CAP_NET_ADMIN))
		return -EPERM;
	rcu_read_lock();
	if (c->board_index == OMX_ABI_SHARED_BOARD) {
		cnt = &x2mback_shared_counters;
	} else if (c->board_index < x2mback_ifaces_max) {
		ifc = rcu_dereference(x2mback_ifaces[c->board_index]);
		if (ifc)
			cnt = &ifc->counters;
	}
	if (cnt) {
		for (i = 0; i < OMX_ABI_COUNTER_MAX; i++)
			c->values[i] = c->clear ? atomic_xchg(&cnt->v[i], 0) :
				       atomic_read(&cnt->v[i]);
	} else {
		err = -ENODEV;
	}
	rcu_read_unlock();
	return err;
}

static int x2mback_set_hostname(struct omx_cmd_set_hostname *h)
{
	struct x2mback_iface *ifc;
	int err = -ENODEV;

	h->hostname[sizeof(h->hostname) - 1] = '\0';
	if (!h->hostname[0])
		return -EINVAL;
	mutex_lock(&x2mback_engine_mutex);
	ifc = h->board_index < x2mback_ifaces_max ?
	      rcu_dereference_protected(x2mback_ifaces[h->board_index],
				lockdep_is_held(&x2mback_engine_mutex)) : NULL;
	if (ifc) {
		/* Readers copy the name under RCU; a torn name is harmless. */
		strscpy(ifc->hostname, h->hostname, sizeof(ifc->hostname));
		x2mback_peer_set_hostname(ifc->peer_index, h->hostname);
		err = 0;
	}
	mutex_unlock(&x2mback_engine_mutex);
	return err;
}

static int x2mback_endpoint_info(struct omx_cmd_endpoint_info *ei)
{
	struct x2mback_endpoint *ep;
	struct x2mback_iface *ifc;
	int err = -ENODEV;

	ei->open = 0;
	ei->pid = 0;
	ei->session_id = 0;
	memset(ei->command, 0, sizeof(ei->command));
	if (ei->endpoint_index >= x2mback_endpoints_max)
		return -EINVAL;
	rcu_read_lock();
	ifc = ei->board_index < x2mback_ifaces_max ?
	      rcu_dereference(x2mback_ifaces[ei->board_index]) : NULL;
	if (ifc) {
		ep = x2mback_endpoint_get(ifc, ei->endpoint_index);
		if (ep) {
			ei->open = 1;
			ei->pid = ep->pid;
			memcpy(ei->command, ep->command, sizeof(ei->command));
			if (capable(CAP_NET_ADMIN))
				ei->session_id = ep->session_id;
		}
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

/* The endpoint of a file, once bound; the binding is never undone. */
static struct x2mback_endpoint *x2mback_file_ep(struct x2mback_file *f)
{
	return smp_load_acquire(&f->ep);
}

static int x2mback_bind_endpoint(struct x2mback_file *f,
				 struct omx_cmd_open_endpoint *o)
{
	struct x2mback_endpoint *ep;
	int err = -EBUSY;

	mutex_lock(&f->lock);
	if (!f->ep && !f->raw) {
		err = x2mback_endpoint_open(&ep, o->board_index,
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

static struct x2mback_raw *x2mback_file_raw(struct x2mback_file *f)
{
	struct x2mback_raw *raw;

	mutex_lock(&f->lock);
	raw = f->raw;
	mutex_unlock(&f->lock);
	return raw;
}

static int x2mback_bind_raw(struct x2mback_file *f, struct omx_cmd_raw_open *o)
{
	int err = -EBUSY;

	if (!capable(CAP_NET_RAW))
		return -EPERM;
	mutex_lock(&f->lock);
	if (!f->ep && !f->raw)
		err = x2mback_raw_open(&f->raw, o->board_index);
	mutex_unlock(&f->lock);
	return err;
}

/* Largest argument of any command */
union x2mback_cmd_arg {
	struct omx_cmd_get_info info;
	struct omx_cmd_board_info board;
	struct omx_cmd_counters counters;
	struct omx_cmd_peer peer;
	struct omx_cmd_peer_table_state state;
	struct omx_cmd_set_hostname hostname;
	struct omx_cmd_endpoint_info epinfo;
	struct omx_cmd_open_endpoint open;
	struct omx_cmd_send_tiny tiny;
	struct omx_cmd_send_medium_frag medium;
	struct omx_cmd_send_rndv rndv;
	struct omx_cmd_send_notify notify;
	struct omx_cmd_send_connect connect;
	struct omx_cmd_send_liback liback;
	struct omx_cmd_create_region region;
	struct omx_cmd_destroy_region destroy;
	struct omx_cmd_pull pull;
	struct omx_cmd_wait_event wait;
	struct omx_cmd_raw_open raw_open;
	struct omx_cmd_raw_send raw_send;
	struct omx_cmd_raw_recv raw_recv;
};

static long x2mback_endpoint_cmd(struct x2mback_endpoint *ep, unsigned int cmd,
				 union x2mback_cmd_arg *a)
{
	switch (cmd) {
	case OMX_CMD_SEND_TINY:
		return x2mback_send_tiny(ep, &a->tiny, false);
	case OMX_CMD_SEND_SMALL:
		return x2mback_send_tiny(ep, &a->tiny, true);
	case OMX_CMD_SEND_MEDIUM_FRAG:
		return x2mback_send_medium_frag(ep, &a->medium);
	case OMX_CMD_SEND_RNDV:
		return x2mback_send_rndv(ep, &a->rndv);
	case OMX_CMD_SEND_NOTIFY:
		return x2mback_send_notify(ep, &a->notify);
	case OMX_CMD_SEND_CONNECT:
		return x2mback_send_connect(ep, &a->connect);
	case OMX_CMD_SEND_LIBACK:
		return x2mback_send_liback(ep, &a->liback);
	case OMX_CMD_CREATE_REGION:
		return x2mback_region_create(ep, &a->region);
	case OMX_CMD_DESTROY_REGION:
		return x2mback_region_destroy(ep, a->destroy.id);
	case OMX_CMD_PULL:
		return x2mback_pull_start(ep, &a->pull);
	case OMX_CMD_WAIT_EVENT:
		return x2mback_endpoint_wait(ep, &a->wait);
	case OMX_CMD_WAKEUP:
		x2mback_endpoint_wakeup(ep);
		return 0;
	}
	return -ENOTTY;
}

static long x2mback_chr_ioctl(struct file *file, unsigned int cmd,
			      unsigned long uarg)
{
	struct x2mback_file *f = file->private_data;
	void __user *argp = (void __user *)uarg;
	union x2mback_cmd_arg a;
	size_t size = _IOC_SIZE(cmd);
	long ret;

	if (_IOC_TYPE(cmd) != OMX_IOC_TYPE || size > sizeof(a))
		return -ENOTTY;
	if ((_IOC_DIR(cmd) & _IOC_WRITE) && copy_from_user(&a, argp, size))
		return -EFAULT;

	switch (cmd) {
	case OMX_CMD_GET_INFO:
		x2mback_fill_info(&a.info);
		ret = 0;
		break;
	case OMX_CMD_GET_BOARD_INFO:
		ret = x2mback_board_info(&a.board);
		break;
	case OMX_CMD_GET_COUNTERS:
		ret = x2mback_counters(&a.counters);
		break;
	case OMX_CMD_PEER_ADD:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		a.peer.hostname[sizeof(a.peer.hostname) - 1] = '\0';
		if (!a.peer.addr || a.peer.addr >> 48)
			return -EINVAL;
		ret = x2mback_peer_add(a.peer.addr, a.peer.hostname,
				       &a.peer.index);
		break;
	case OMX_CMD_PEERS_CLEAR:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		x2mback_peers_clear();
		ret = 0;
		break;
	case OMX_CMD_PEER_FROM_INDEX:
		ret = x2mback_peer_lookup(&a.peer, X2M_PEER_BY_INDEX);
		break;
	case OMX_CMD_PEER_FROM_ADDR:
		ret = x2mback_peer_lookup(&a.peer, X2M_PEER_BY_ADDR);
		break;
	case OMX_CMD_PEER_FROM_HOSTNAME:
		ret = x2mback_peer_lookup(&a.peer, X2M_PEER_BY_HOSTNAME);
		break;
	case OMX_CMD_SET_HOSTNAME:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		ret = x2mback_set_hostname(&a.hostname);
		break;
	case OMX_CMD_GET_ENDPOINT_INFO:
		ret = x2mback_endpoint_info(&a.epinfo);
		break;
	case OMX_CMD_GET_PEER_TABLE_STATE:
		x2mback_peer_get_state(&a.state);
		ret = 0;
		break;
	case OMX_CMD_SET_PEER_TABLE_STATE:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		x2mback_peer_set_state(&a.state);
		ret = 0;
		break;
	case OMX_CMD_OPEN_ENDPOINT:
		ret = x2mback_bind_endpoint(f, &a.open);
		break;
	case OMX_CMD_RAW_OPEN:
		ret = x2mback_bind_raw(f, &a.raw_open);
		break;
	case OMX_CMD_RAW_SEND:
		if (!x2mback_file_raw(f))
			return -EBADF;
		if (a.raw_send.length > OMX_ABI_RAW_FRAME_MAX)
			return -EINVAL;
		ret = x2mback_raw_send(f->raw,
				       u64_to_user_ptr(a.raw_send.buffer),
				       a.raw_send.length);
		break;
	case OMX_CMD_RAW_RECV:
		if (!x2mback_file_raw(f))
			return -EBADF;
		ret = x2mback_raw_recv(f->raw, &a.raw_recv);
		break;
	default: {
		struct x2mback_endpoint *ep = x2mback_file_ep(f);

		if (!ep)
			return -EBADF;
		ret = x2mback_endpoint_cmd(ep, cmd, &a);
		break;
	}
	}
	if (ret >= 0 && (_IOC_DIR(cmd) & _IOC_READ) &&
	    copy_to_user(argp, &a, size))
		return -EFAULT;
	return ret;
}

static int x2mback_chr_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct x2mback_endpoint *ep = x2mback_file_ep(file->private_data);

	if (!ep)
		return -EBADF;
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != OMX_ABI_MMAP_SIZE)
		return -EINVAL;
	return remap_vmalloc_range(vma, ep->mem, 0);
}

static ssize_t x2mback_chr_read(struct file *file, char __user *buf,
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
	x2mback_fill_info(&info);
	len = x2mback_ifnames_get(text);	/* scratch, then the report */
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

static const struct file_operations x2mback_chr_fops = {
	.owner = THIS_MODULE,
	.open = x2mback_chr_open,
	.release = x2mback_chr_release,
	.unlocked_ioctl = x2mback_chr_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = x2mback_chr_mmap,
	.read = x2mback_chr_read,
	.llseek = default_llseek,
};

static struct miscdevice x2mback_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "open-mx",
	.fops = &x2mback_chr_fops,
	.mode = 0666,
};

int x2mback_chardev_init(void)
{
	return misc_register(&x2mback_miscdev);
}

void x2mback_chardev_exit(void)
{
	misc_deregister(&x2mback_miscdev);
}
