// SPDX-License-Identifier: GPL-2.0-only
/*
 * fake_netdev.c - a registered, running Ethernet device without hardware.
 *
 * The engine sends real socket buffers through dev_queue_xmit(); here they
 * land in a queue (Open-MX frames only: the IPv6 stack talks on any new
 * device) instead of on a wire.  Frames "from the wire" go straight to the
 * engine's receive function, in softirq-like context, as the packet
 * handler would be called.
 */
#include "omx_engine.h"
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include "fake_netdev.h"

struct x2m_fake_netdev {
	struct sk_buff_head sent;
};

static netdev_tx_t x2m_fake_netdev_xmit(struct sk_buff *skb,
					struct net_device *dev)
{
	struct x2m_fake_netdev *priv = netdev_priv(dev);

	if (skb->len >= ETH_HLEN &&
	    omx_wire_get_be16(skb->data + 12) == OMX_WIRE_ETHERTYPE)
		skb_queue_tail(&priv->sent, skb);
	else
		kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops x2m_fake_netdev_ops = {
	.ndo_start_xmit = x2m_fake_netdev_xmit,
};

static void x2m_fake_netdev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &x2m_fake_netdev_ops;
	dev->priv_flags |= IFF_NO_QUEUE;	/* transmit at once, in our thread */
	dev->max_mtu = 9000;
	dev->mtu = 9000;
}

struct net_device *x2m_fake_netdev_create(struct kunit *test, const u8 *mac)
{
	struct x2m_fake_netdev *priv;
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(*priv), "x2mk%d", NET_NAME_ENUM,
			   x2m_fake_netdev_setup);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	priv = netdev_priv(dev);
	skb_queue_head_init(&priv->sent);
	eth_hw_addr_set(dev, mac);
	rtnl_lock();
	err = register_netdevice(dev);
	if (!err)
		err = dev_open(dev, NULL);
	rtnl_unlock();
	if (err) {
		free_netdev(dev);
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	return dev;
}

void x2m_fake_netdev_destroy(struct net_device *dev)
{
	struct x2m_fake_netdev *priv = netdev_priv(dev);

	unregister_netdev(dev);
	skb_queue_purge(&priv->sent);
	free_netdev(dev);
}

struct sk_buff *x2m_fake_netdev_sent(struct net_device *dev)
{
	struct x2m_fake_netdev *priv = netdev_priv(dev);

	return skb_dequeue(&priv->sent);
}

unsigned int x2m_fake_netdev_sent_count(struct net_device *dev)
{
	struct x2m_fake_netdev *priv = netdev_priv(dev);

	return skb_queue_len(&priv->sent);
}

void x2m_fake_netdev_receive(struct net_device *dev, const void *frame,
			     unsigned int len, bool looped)
{
	struct sk_buff *skb = alloc_skb(len + NET_IP_ALIGN, GFP_KERNEL);

	if (!skb)
		return;
	skb_reserve(skb, NET_IP_ALIGN);
	skb_put_data(skb, frame, len);
	skb->protocol = eth_type_trans(skb, dev);	/* sets pkt_type */
	if (looped)
		skb->pkt_type = PACKET_LOOPBACK;	/* as send.c marks it */
	local_bh_disable();
	omx_receive(skb, dev);
	local_bh_enable();
}
