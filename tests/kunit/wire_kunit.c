// SPDX-License-Identifier: GPL-2.0-only
/*
 * wire_kunit.c - what frames from a wire, and guest boards coming and
 * going, may do to dom0's boards and peer table.
 *
 * dom0's board is a fake registered interface (fake_netdev.c) attached the
 * way "ifnames=" attaches one; a guest's board rides on it.  Frames "from
 * the wire" go through the engine's receive function exactly as the packet
 * handler hands them over; what the engine sends is read back from the
 * fake interface.
 */
#include "omx_engine.h"
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include "fake_netdev.h"

static const u8 x2m_w_dom0_mac[ETH_ALEN] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x01 };
static const u8 x2m_w_guest_mac[ETH_ALEN] = { 0x02, 0x58, 0x4d, 0, 7, 0 };
static const u8 x2m_w_remote_mac[ETH_ALEN] = { 0x02, 0x77, 0, 0, 0, 0x05 };

struct x2m_wire_fake {
	struct net_device *dev;		/* dom0's board's interface */
	struct omx_iface *dom0;
	struct omx_iface *vb;	/* the guest board, NULL once gone */
};

static struct omx_iface *x2m_w_board_of(struct net_device *dev)
{
	struct omx_iface *ifc;

	mutex_lock(&omx_engine_mutex);
	ifc = omx_iface_by_dev(dev);
	mutex_unlock(&omx_engine_mutex);
	return ifc;
}

/* The owner of the virtual ("guest") boards: nothing to wake here. */
static void x2m_w_wake(void *owner)
{
}

static const struct omx_board_ops x2m_w_ops = {
	.wake = x2m_w_wake,
};

/* A guest-like virtual board on the first attached interface. */
static int x2m_w_vboard(const u8 *mac, const char *name, struct omx_iface **out)
{
	struct omx_board_params p = {
		.mac = mac,
		.hostname = name,
		.endpoint_max = 4,
		.shown_ifname = "xen2mx",
		.shown_driver = "xen2mx-back",
		.ops = &x2m_w_ops,
	};

	return omx_board_register(&p, out);
}

static int x2m_wire_init(struct kunit *test)
{
	struct x2m_wire_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	test->priv = f;
	KUNIT_ASSERT_EQ(test, omx_wire_params_init(&omx_engine_wire,
			OMX_WIRE_VARIANT_MTU9000, omx_peers_max), 0);
	omx_engine_pull_geom.reply_max = omx_engine_wire.pull_reply_max;
	omx_engine_pull_geom.block_replies = omx_engine_wire.pull_block_replies;
	KUNIT_ASSERT_EQ(test, omx_peers_init(), 0);
	f->dev = x2m_fake_netdev_create(test, x2m_w_dom0_mac);
	/* As "modprobe ... ifnames=x2mkN" would */
	KUNIT_ASSERT_EQ(test, omx_ifnames_set(f->dev->name), 0);
	KUNIT_ASSERT_EQ(test, omx_ifaces_init(), 0);
	f->dom0 = x2m_w_board_of(f->dev);
	KUNIT_ASSERT_NOT_NULL(test, f->dom0);
	KUNIT_ASSERT_EQ(test, x2m_w_vboard(x2m_w_guest_mac, "g7:0", &f->vb), 0);
	return 0;
}

static void x2m_wire_exit(struct kunit *test)
{
	struct x2m_wire_fake *f = test->priv;

	if (f->vb)
		omx_board_unregister(f->vb);
	omx_ifaces_exit();
	omx_peers_exit();
	if (f->dev)
		x2m_fake_netdev_destroy(f->dev);
}

static int x2m_w_lookup(const char *name, u64 *addr)
{
	struct omx_cmd_peer q = { 0 };
	int err;

	strscpy(q.hostname, name, sizeof(q.hostname));
	err = omx_peer_lookup(&q, OMX_PEER_BY_HOSTNAME);
	*addr = q.addr;
	return err;
}

static bool x2m_w_named(u64 addr, const char *name)
{
	struct omx_cmd_peer q = { .addr = addr };

	return !omx_peer_lookup(&q, OMX_PEER_BY_ADDR) &&
	       !strcmp(q.hostname, name);
}

/* A HOST_REPLY from @src to dom0's board, naming @name, magic @magic. */
static void x2m_w_host_reply(struct x2m_wire_fake *f, const u8 *src,
			     u32 magic, const char *name)
{
	struct omx_wire_hdr hdr = { .peer_index = OMX_WIRE_PEER_INDEX_UNKNOWN };
	struct omx_wire_host h = {
		.src_dst_peer_index = 0,
		.magic = magic,
		.hostname_len = strlen(name) + 1,
		.hostname = name,
	};
	u8 frame[OMX_WIRE_HLEN + OMX_WIRE_HOST_BODY + OMX_ABI_HOSTNAME_MAX + 64];
	int len;

	ether_addr_copy(hdr.dst_mac, x2m_w_dom0_mac);
	ether_addr_copy(hdr.src_mac, src);
	len = omx_wire_encode_host_reply(&hdr, &h, frame, sizeof(frame));
	if (len > 0)
		x2m_fake_netdev_receive(f->dev, frame, len, false);
	omx_peers_sync();	/* names are applied by a work item */
}

/* The magic of the HOST_QUERY the engine sent to @dst (0 if none seen). */
static u32 x2m_w_query_magic(struct x2m_wire_fake *f, const u8 *dst)
{
	struct omx_wire_pkt pkt;
	struct sk_buff *skb;
	u32 magic = 0;

	omx_peers_sync();	/* the query work has run */
	while ((skb = x2m_fake_netdev_sent(f->dev))) {
		if (!omx_wire_decode(skb->data, skb->len, &omx_engine_wire, &pkt) &&
		    pkt.ptype == OMX_WIRE_PTYPE_HOST_QUERY &&
		    ether_addr_equal(pkt.hdr.dst_mac, dst))
			magic = pkt.host.magic;
		kfree_skb(skb);
	}
	return magic;
}

/*
 * omxoed holds the raw channel of every board, guests' included: when the
 * guest's board goes, so must the daemon's hold on it (it was left
 * pointing at the freed board, and dom0 crashed at the next broadcast).
 */
static void x2m_wire_raw_channel_goes_with_a_guest_board(struct kunit *test)
{
	struct x2m_wire_fake *f = test->priv;
	struct omx_cmd_raw_recv rr = { .timeout_ms = 0 };
	struct omx_raw *raw;

	KUNIT_ASSERT_EQ(test, omx_raw_open(&raw, f->vb->index), 0);
	omx_board_unregister(f->vb);
	f->vb = NULL;
	KUNIT_EXPECT_EQ(test, omx_raw_recv(raw, &rr), -ESHUTDOWN);
	omx_raw_close(raw);
}

/*
 * A guest's board takes its peer entry with it; its name then resolves to
 * nothing, and to the next life's board when it comes back.  Guests coming
 * and going many times the table's size never fill it, and a freed index
 * is the last one given again.
 */
static void x2m_wire_guest_board_leaves_the_peer_table(struct kunit *test)
{
	struct x2m_wire_fake *f = test->priv;
	u8 mac[ETH_ALEN] = { 0x02, 0x58, 0x4d, 0, 8, 0 };
	unsigned int before, i;
	u32 old_index;
	u64 addr;

	before = omx_peer_count();
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("g7:0", &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, omx_mac_to_addr(x2m_w_guest_mac));
	old_index = f->vb->peer_index;
	omx_board_unregister(f->vb);
	f->vb = NULL;
	KUNIT_EXPECT_EQ(test, omx_peer_count(), before - 1);
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("g7:0", &addr), -ENOENT);

	/* Rebooted: a new domain, a new MAC, the same name */
	KUNIT_ASSERT_EQ(test, x2m_w_vboard(mac, "g7:0", &f->vb), 0);
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("g7:0", &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, omx_mac_to_addr(mac));
	KUNIT_EXPECT_NE(test, f->vb->peer_index, old_index);
	omx_board_unregister(f->vb);
	f->vb = NULL;

	for (i = 0; i < 3 * omx_peers_max; i++) {
		struct omx_iface *vb;

		mac[4] = 9 + i;
		if (x2m_w_vboard(mac, "churn", &vb)) {
			KUNIT_FAIL(test, "guest board %u of the churn refused (%u peers)",
				   i, omx_peer_count());
			break;
		}
		omx_board_unregister(vb);
	}
	KUNIT_EXPECT_EQ(test, omx_peer_count(), before - 1);
}

/*
 * A remote peer's name comes only from the answer to our query, which
 * only that peer saw: a HOST_REPLY with any other magic names nothing,
 * and once named, a peer is not renamed by the wire.
 */
static void x2m_wire_host_reply_needs_our_query(struct kunit *test)
{
	struct x2m_wire_fake *f = test->priv;
	u64 r = omx_mac_to_addr(x2m_w_remote_mac);
	u32 index, magic;

	KUNIT_ASSERT_EQ(test, omx_peer_add(r, NULL, &index), 0);
	magic = x2m_w_query_magic(f, x2m_w_remote_mac);
	KUNIT_ASSERT_NE(test, magic, 0U);

	x2m_w_host_reply(f, x2m_w_remote_mac, 0x13052008U, "forged");
	x2m_w_host_reply(f, x2m_w_remote_mac, magic ^ 1, "forged");
	KUNIT_EXPECT_FALSE(test, x2m_w_named(r, "forged"));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->dom0->counters.v[OMX_CNT_DROP_HOST_REPLY_BAD_MAGIC]), 2);

	x2m_w_host_reply(f, x2m_w_remote_mac, magic, "remote:0");
	KUNIT_EXPECT_TRUE(test, x2m_w_named(r, "remote:0"));
	x2m_w_host_reply(f, x2m_w_remote_mac, magic, "renamed");
	KUNIT_EXPECT_TRUE(test, x2m_w_named(r, "remote:0"));
}

/*
 * Nothing from a wire renames a board of this host or takes its name:
 * guests may not choose their names, so neither may the wire for them.
 */
static void x2m_wire_never_renames_a_board_of_this_host(struct kunit *test)
{
	struct x2m_wire_fake *f = test->priv;
	u64 g = omx_mac_to_addr(x2m_w_guest_mac);
	u64 r = omx_mac_to_addr(x2m_w_remote_mac), addr;
	u32 index, magic;

	/* Forged as coming from the guest's board itself, right magic too */
	x2m_w_host_reply(f, x2m_w_guest_mac, omx_host_query_magic(g), "evil");
	KUNIT_EXPECT_TRUE(test, x2m_w_named(g, "g7:0"));
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("evil", &addr), -ENOENT);

	/* A remote peer answering our query with the guest board's name */
	KUNIT_ASSERT_EQ(test, omx_peer_add(r, NULL, &index), 0);
	magic = x2m_w_query_magic(f, x2m_w_remote_mac);
	x2m_w_host_reply(f, x2m_w_remote_mac, magic, "g7:0");
	KUNIT_EXPECT_FALSE(test, x2m_w_named(r, "g7:0"));
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("g7:0", &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, g);
}

/* Two entries with one name: the one named last is the live one. */
static void x2m_wire_newest_name_wins(struct kunit *test)
{
	u64 a = 0x020000000a01ULL, b = 0x020000000a02ULL, addr;
	u32 index;

	KUNIT_ASSERT_EQ(test, omx_peer_add(a, "node7:0", &index), 0);
	KUNIT_ASSERT_EQ(test, omx_peer_add(b, "node7:0", &index), 0);
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("node7:0", &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, b);
	KUNIT_ASSERT_EQ(test, omx_peer_add(a, "other", &index), 0);
	KUNIT_ASSERT_EQ(test, omx_peer_add(a, "node7:0", &index), 0);
	KUNIT_EXPECT_EQ(test, x2m_w_lookup("node7:0", &addr), 0);
	KUNIT_EXPECT_EQ(test, addr, a);
}

/*
 * A board of this host never sends over a wire: a frame from one carrying
 * such a source address is forged and dropped before anything else looks
 * at it.  The same frame looped back inside dom0 is delivered.
 */
static void x2m_wire_forged_local_source_is_dropped(struct kunit *test)
{
	struct x2m_wire_fake *f = test->priv;
	struct omx_wire_hdr hdr = { .peer_index = f->vb->peer_index };
	struct omx_wire_msg m = {
		.head = { .dst_endpoint = 1, .src_endpoint = 0, .session = 1 },
		.length = 4,
		.data = (const u8 *)"abcd",
	};
	atomic_t *bad_addr = &f->dom0->counters.v[OMX_CNT_DROP_BAD_PEER_ADDR];
	atomic_t *bad_ep = &f->dom0->counters.v[OMX_CNT_DROP_BAD_ENDPOINT];
	u8 frame[128];
	int len;

	ether_addr_copy(hdr.dst_mac, x2m_w_dom0_mac);
	ether_addr_copy(hdr.src_mac, x2m_w_guest_mac);
	len = omx_wire_encode_tiny(&hdr, &m, frame, sizeof(frame));
	KUNIT_ASSERT_GT(test, len, 0);
	x2m_fake_netdev_receive(f->dev, frame, len, false);
	KUNIT_EXPECT_EQ(test, atomic_read(bad_addr), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(bad_ep), 0);

	/* Looped back by this host: believed, then nacked (no endpoint 1) */
	x2m_fake_netdev_receive(f->dev, frame, len, true);
	KUNIT_EXPECT_EQ(test, atomic_read(bad_addr), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(bad_ep), 1);
}

static struct kunit_case x2m_wire_cases[] = {
	KUNIT_CASE(x2m_wire_raw_channel_goes_with_a_guest_board),
	KUNIT_CASE(x2m_wire_guest_board_leaves_the_peer_table),
	KUNIT_CASE(x2m_wire_host_reply_needs_our_query),
	KUNIT_CASE(x2m_wire_never_renames_a_board_of_this_host),
	KUNIT_CASE(x2m_wire_newest_name_wins),
	KUNIT_CASE(x2m_wire_forged_local_source_is_dropped),
	{}
};

static struct kunit_suite x2m_wire_suite = {
	.name = "open_mx_wire",
	.init = x2m_wire_init,
	.exit = x2m_wire_exit,
	.test_cases = x2m_wire_cases,
};
kunit_test_suite(x2m_wire_suite);
