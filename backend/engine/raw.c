// SPDX-License-Identifier: GPL-2.0-only
/*
 * raw.c - the raw channel of a board, for the peer-discovery daemon.
 *
 * One opener per board (CAP_NET_RAW).  Received RAW frames (ptype 1) are
 * queued whole, up to OMX_ABI_RAW_FRAME_MAX octets and 32 frames; sent
 * ones must be Open-MX RAW frames and leave with the board's own source
 * address whatever the daemon wrote there.
 */
#include "omx_engine.h"
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#define OMX_RAW_QUEUE_MAX	32

struct omx_raw {
	struct omx_iface *iface;	/* NULL once the board is detached */
	spinlock_t lock;
	struct sk_buff_head queue;
	wait_queue_head_t waitq;
};

int omx_raw_open(struct omx_raw **rawp, u32 board)
{
	struct omx_iface *ifc;
	struct omx_raw *raw;
	int err;

	raw = kzalloc(sizeof(*raw), GFP_KERNEL);
	if (!raw)
		return -ENOMEM;
	spin_lock_init(&raw->lock);
	skb_queue_head_init(&raw->queue);
	init_waitqueue_head(&raw->waitq);

	mutex_lock(&omx_engine_mutex);
	err = -ENODEV;
	ifc = board < omx_ifaces_max ?
	      rcu_dereference_protected(omx_ifaces[board],
				lockdep_is_held(&omx_engine_mutex)) : NULL;
	if (ifc) {
		err = -EBUSY;
		if (!ifc->raw) {
			raw->iface = ifc;
			/* Published to the receive path under RCU. */
			smp_store_release(&ifc->raw, raw);
			err = 0;
		}
	}
	mutex_unlock(&omx_engine_mutex);
	if (err) {
		kfree(raw);
		return err;
	}
	*rawp = raw;
	return 0;
}

void omx_raw_close(struct omx_raw *raw)
{
	mutex_lock(&omx_engine_mutex);
	if (raw->iface)
		WRITE_ONCE(raw->iface->raw, NULL);
	mutex_unlock(&omx_engine_mutex);
	synchronize_rcu();	/* no receiver still queues to us */
	skb_queue_purge(&raw->queue);
	kfree(raw);
}

/* The board goes away: its opener learns it at the next command. */
void omx_raw_detach(struct omx_iface *ifc)
{
	struct omx_raw *raw = ifc->raw;

	lockdep_assert_held(&omx_engine_mutex);
	if (!raw)
		return;
	WRITE_ONCE(ifc->raw, NULL);
	spin_lock_bh(&raw->lock);
	WRITE_ONCE(raw->iface, NULL);
	spin_unlock_bh(&raw->lock);
	wake_up_all(&raw->waitq);
}

/* Receive path, under RCU. */
void omx_raw_deliver(struct omx_iface *ifc, const u8 *frame, u32 len)
{
	struct omx_raw *raw = smp_load_acquire(&ifc->raw);
	struct sk_buff *copy;

	if (!raw)
		return;
	if (len > OMX_ABI_RAW_FRAME_MAX) {
		omx_count(ifc, OMX_CNT_DROP_RAW_TOO_LARGE);
		return;
	}
	if (skb_queue_len(&raw->queue) >= OMX_RAW_QUEUE_MAX) {
		omx_count(ifc, OMX_CNT_DROP_RAW_QUEUE_FULL);
		return;
	}
	copy = alloc_skb(len, GFP_ATOMIC);
	if (!copy)
		return;
	skb_put_data(copy, frame, len);
	skb_queue_tail(&raw->queue, copy);
	wake_up(&raw->waitq);
}

int omx_raw_send(struct omx_raw *raw, const void __user *buf, u32 len)
{
	struct omx_iface *ifc;
	struct sk_buff *skb;
	int err = 0;

	if (len < OMX_WIRE_HLEN + 1 || len > OMX_ABI_RAW_FRAME_MAX)
		return -EINVAL;
	rcu_read_lock();
	ifc = READ_ONCE(raw->iface);
	if (!ifc) {
		err = -ESHUTDOWN;
		goto out;
	}
	skb = omx_frame_alloc(ifc, len);
	if (!skb) {
		err = -ENOMEM;
		goto out;
	}
	/* Sleeping copy under RCU is not allowed: copy into a bounce first. */
	rcu_read_unlock();
	if (copy_from_user(skb_put(skb, len), buf, len)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	if (len < OMX_WIRE_ETH_ZLEN)
		skb_put_zero(skb, OMX_WIRE_ETH_ZLEN - len);
	if (omx_wire_get_be16(skb->data + 12) != OMX_WIRE_ETHERTYPE ||
	    skb->data[OMX_WIRE_HLEN] != OMX_WIRE_PTYPE_RAW) {
		kfree_skb(skb);
		return -EINVAL;
	}
	rcu_read_lock();
	ifc = READ_ONCE(raw->iface);
	if (!ifc) {
		kfree_skb(skb);
		err = -ESHUTDOWN;
		goto out;
	}
	memcpy(skb->data + ETH_ALEN, ifc->mac, ETH_ALEN);
	omx_xmit(ifc, skb, OMX_CNT_SEND_RAW, OMX_CNT_SEND_RAW);
out:
	rcu_read_unlock();
	return err;
}

int omx_raw_recv(struct omx_raw *raw, struct omx_cmd_raw_recv *cmd)
{
	long timeout = cmd->timeout_ms == OMX_ABI_WAIT_INFINITE ?
		       MAX_SCHEDULE_TIMEOUT : (long)msecs_to_jiffies(cmd->timeout_ms);
	struct sk_buff *skb;
	long ret;

	ret = wait_event_interruptible_timeout(raw->waitq,
			!skb_queue_empty(&raw->queue) || !READ_ONCE(raw->iface),
			timeout);
	if (ret < 0)
		return ret;
	skb = skb_dequeue(&raw->queue);
	if (!skb) {
		if (!READ_ONCE(raw->iface))
			return -ESHUTDOWN;
		cmd->status = 1;
		cmd->length = 0;
		return 0;
	}
	if (copy_to_user(u64_to_user_ptr(cmd->buffer), skb->data, skb->len)) {
		kfree_skb(skb);
		return -EFAULT;
	}
	cmd->status = 0;
	cmd->length = skb->len;
	kfree_skb(skb);
	return 0;
}
