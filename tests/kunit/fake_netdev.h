/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fake_netdev.h - a registered Ethernet device for the KUnit suites: what
 * the engine transmits on it is kept for the test to read, nothing leaves.
 */
#ifndef X2M_FAKE_NETDEV_H
#define X2M_FAKE_NETDEV_H

#include <kunit/test.h>
#include <linux/netdevice.h>

struct net_device *x2m_fake_netdev_create(struct kunit *test, const u8 *mac);
void x2m_fake_netdev_destroy(struct net_device *dev);
/* The oldest Open-MX frame sent and not read yet, or NULL (kfree_skb it). */
struct sk_buff *x2m_fake_netdev_sent(struct net_device *dev);
unsigned int x2m_fake_netdev_sent_count(struct net_device *dev);
/*
 * A frame arriving on @dev: @len octets from the destination MAC on,
 * handed to the engine's receive path as the stack would; from a wire, or
 * (@looped) from the engine's own same-host loopback.
 */
void x2m_fake_netdev_receive(struct net_device *dev, const void *frame,
			     unsigned int len, bool looped);

#endif /* X2M_FAKE_NETDEV_H */
