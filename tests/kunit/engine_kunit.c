// SPDX-License-Identifier: GPL-2.0-only
/*
 * engine_kunit.c - the Open-MX engine's endpoint queues, regions and pull
 * engine, against a fake board.
 *
 * The fake board rides on a fake net_device that keeps what is sent on it
 * (fake_netdev.c), and the peer table holds one remote peer, the one every
 * pull asks.  The tests drive the engine from the "wire" side by handing
 * it decoded frames (PULL_REPLY, NACK_MCP) as recv.c would, and read what
 * the library would see in the endpoint's mapped queues.
 */
#include "omx_engine.h"
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/highmem.h>
#include <linux/slab.h>
#include "fake_netdev.h"

#define X2M_R	OMX_WIRE_9000_PULL_REPLY_MAX
#define X2M_FAKE_ORDER	3
#define X2M_FAKE_PAGES	(1 << X2M_FAKE_ORDER)
#define X2M_FAKE_LEN	(X2M_FAKE_PAGES * PAGE_SIZE - 100)	/* one whole region */

static const u8 x2m_board_mac[ETH_ALEN] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };
static const u8 x2m_remote_mac[ETH_ALEN] = { 0x02, 0x77, 0, 0, 0, 0x05 };
static const u8 x2m_other_mac[ETH_ALEN] = { 0x02, 0x77, 0, 0, 0, 0x06 };

struct x2m_engine_fake {
	struct omx_iface *ifc;
	struct omx_endpoint *ep;
	u32 remote;			/* peer index of the remote the pulls ask */
	u32 other;			/* another remote peer */
	struct page *pages;		/* 8 pages backing the fake regions */
	struct page *page_array[X2M_FAKE_PAGES];
};

static int x2m_engine_init(struct kunit *test)
{
	struct x2m_engine_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	KUNIT_ASSERT_EQ(test, omx_wire_params_init(&omx_engine_wire,
			OMX_WIRE_VARIANT_MTU9000, omx_peers_max), 0);
	omx_engine_pull_geom.reply_max = omx_engine_wire.pull_reply_max;
	omx_engine_pull_geom.block_replies = omx_engine_wire.pull_block_replies;
	KUNIT_ASSERT_EQ(test, omx_peers_init(), 0);
	omx_ifaces = kcalloc(omx_ifaces_max, sizeof(*omx_ifaces),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, omx_ifaces);
	f->ifc = kzalloc(sizeof(*f->ifc), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->ifc);
	f->ifc->endpoints = kcalloc(omx_endpoints_max,
				    sizeof(*f->ifc->endpoints), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->ifc->endpoints);
	f->ifc->dev = x2m_fake_netdev_create(test, x2m_board_mac);
	ether_addr_copy(f->ifc->mac, x2m_board_mac);
	f->ifc->addr = omx_mac_to_addr(x2m_board_mac);
	f->ifc->endpoint_max = omx_endpoints_max;
	rcu_assign_pointer(omx_ifaces[0], f->ifc);
	KUNIT_ASSERT_EQ(test, omx_peer_add(omx_mac_to_addr(x2m_remote_mac),
					   "remote", &f->remote), 0);
	KUNIT_ASSERT_EQ(test, omx_peer_add(omx_mac_to_addr(x2m_other_mac),
					   "other", &f->other), 0);
	/* What their CONNECTs told us: our index in their tables */
	omx_peer_set_remote_index(f->remote, 3);
	omx_peer_set_remote_index(f->other, 4);
	KUNIT_ASSERT_EQ(test, omx_endpoint_open(&f->ep, 0, 3), 0);

	f->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, X2M_FAKE_ORDER);
	KUNIT_ASSERT_NOT_NULL(test, f->pages);
	for (i = 0; i < X2M_FAKE_PAGES; i++)
		f->page_array[i] = f->pages + i;
	test->priv = f;
	return 0;
}

static void x2m_engine_exit(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;
	unsigned int i;

	/* The fake regions are not pinned user memory: keep close() off them. */
	for (i = 0; i < OMX_ABI_REGION_MAX; i++) {
		if (f->ep->regions[i]) {
			kfree(f->ep->regions[i]->segs);
			kfree(f->ep->regions[i]);
			f->ep->regions[i] = NULL;
		}
	}
	f->ep->pinned_pages = 0;
	omx_endpoint_close(f->ep);
	RCU_INIT_POINTER(omx_ifaces[0], NULL);
	synchronize_rcu();
	x2m_fake_netdev_destroy(f->ifc->dev);
	kfree(f->ifc->endpoints);
	kfree(f->ifc);
	kfree(omx_ifaces);
	omx_ifaces = NULL;
	omx_peers_exit();
	__free_pages(f->pages, X2M_FAKE_ORDER);
}

/* A region over the fake pages: @nseg segments of the given lengths. */
static struct omx_region *x2m_fake_region(struct kunit *test, u32 id,
					  bool writable, const u32 *lens,
					  unsigned int nseg)
{
	struct x2m_engine_fake *f = test->priv;
	struct omx_region *r = kzalloc(sizeof(*r), GFP_KERNEL);
	unsigned int i;
	u64 at = 100;	/* start inside the first page, like a user buffer */

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->segs = kcalloc(nseg, sizeof(*r->segs), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->segs);
	r->id = id;
	r->writable = writable;
	r->nseg = nseg;
	for (i = 0; i < nseg; i++) {
		KUNIT_ASSERT_LE(test, at + lens[i], (u64)X2M_FAKE_PAGES * PAGE_SIZE);
		r->segs[i].len = lens[i];
		r->segs[i].first_page_offset = offset_in_page(at);
		r->segs[i].pages = &f->page_array[at >> PAGE_SHIFT];
		r->segs[i].nr_pages = DIV_ROUND_UP(offset_in_page(at) + lens[i],
						   PAGE_SIZE);
		r->length += lens[i];
		at += lens[i];
	}
	f->ep->regions[id] = r;
	return r;
}

static u8 *x2m_fake_bytes(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;

	return page_address(f->pages);
}

/* The next event the library would read, consumed; NULL if none. */
static union omx_evt *x2m_next_event(struct omx_endpoint *ep)
{
	union omx_evt *e;

	if (ep->desc->eventq_cons == READ_ONCE(ep->desc->eventq_prod))
		return NULL;
	e = ep->mem + OMX_ABI_EVENTQ_OFFSET +
	    (ep->desc->eventq_cons % OMX_ABI_EVENTQ_SLOTS) * OMX_ABI_EVENT_SIZE;
	ep->desc->eventq_cons++;
	return e;
}

static void x2m_engine_queue_keeps_room_for_pull_completions(struct kunit *test)
{
	struct omx_endpoint *ep = ((struct x2m_engine_fake *)test->priv)->ep;
	unsigned int n = 0, reserved = 0;

	spin_lock_bh(&ep->lock);
	while (omx_event_reserve(ep, false, NULL, NULL)) {
		omx_event_commit(ep, false);
		n++;
	}
	while (omx_event_reserve(ep, true, NULL, NULL)) {
		omx_event_commit(ep, false);
		reserved++;
	}
	spin_unlock_bh(&ep->lock);
	KUNIT_EXPECT_EQ(test, n, OMX_ABI_EVENTQ_SLOTS - OMX_ABI_PULL_MAX);
	KUNIT_EXPECT_EQ(test, reserved, OMX_ABI_PULL_MAX);
	KUNIT_EXPECT_EQ(test, ep->desc->eventq_prod, OMX_ABI_EVENTQ_SLOTS);
}

/*
 * The library writes the consumer indexes: whatever it writes, the driver
 * must see a full queue rather than overwrite what it has not consumed.
 * (prod - cons is the fill level; anything above the size means "full".)
 */
static void x2m_engine_queue_survives_a_hostile_consumer_index(struct kunit *test)
{
	struct omx_endpoint *ep = ((struct x2m_engine_fake *)test->priv)->ep;
	u32 ahead[] = { 1, 0x7fffffff, 0x80000000, OMX_ABI_EVENTQ_SLOTS * 7 + 3 };
	void *got[ARRAY_SIZE(ahead) + 2];
	void *slot_data;
	unsigned int i;
	u32 slot;

	for (i = 0; i < ARRAY_SIZE(ahead); i++) {
		ep->desc->eventq_cons = ep->eventq_prod + ahead[i];
		spin_lock_bh(&ep->lock);
		got[i] = omx_event_reserve(ep, true, NULL, NULL);
		spin_unlock_bh(&ep->lock);
	}
	/* Claims a whole queue is still unconsumed: full as well. */
	ep->desc->eventq_cons = ep->eventq_prod - OMX_ABI_EVENTQ_SLOTS;
	spin_lock_bh(&ep->lock);
	got[i++] = omx_event_reserve(ep, true, NULL, NULL);
	/* A bad receive-queue index blocks data events only. */
	ep->desc->eventq_cons = ep->eventq_prod;
	ep->desc->recvq_cons = ep->recvq_prod + 5;
	got[i] = omx_event_reserve(ep, false, &slot, &slot_data);
	spin_unlock_bh(&ep->lock);
	for (i = 0; i < ARRAY_SIZE(ahead); i++)
		KUNIT_EXPECT_NULL_MSG(test, got[i], "consumer index prod+%u", ahead[i]);
	KUNIT_EXPECT_NULL(test, got[i]);
	KUNIT_EXPECT_NULL(test, got[i + 1]);
	spin_lock_bh(&ep->lock);
	got[0] = omx_event_reserve(ep, false, NULL, NULL);
	spin_unlock_bh(&ep->lock);
	KUNIT_EXPECT_NOT_NULL(test, got[0]);
}

static void x2m_engine_receive_slots_run_out_before_events(struct kunit *test)
{
	struct omx_endpoint *ep = ((struct x2m_engine_fake *)test->priv)->ep;
	unsigned int n = 0, misplaced = 0;
	u32 slot;
	void *data;

	spin_lock_bh(&ep->lock);
	while (omx_event_reserve(ep, false, &slot, &data)) {
		if (slot != n % OMX_ABI_RECVQ_SLOTS ||
		    data != ep->mem + OMX_ABI_RECVQ_OFFSET +
		    (size_t)slot * OMX_ABI_RECVQ_SLOT_SIZE)
			misplaced++;
		omx_event_commit(ep, true);
		n++;
	}
	spin_unlock_bh(&ep->lock);
	KUNIT_EXPECT_EQ(test, misplaced, 0U);
	KUNIT_EXPECT_EQ(test, n, OMX_ABI_RECVQ_SLOTS);
	KUNIT_EXPECT_EQ(test, ep->desc->recvq_prod, OMX_ABI_RECVQ_SLOTS);
}

static void x2m_engine_region_copy_crosses_pages_and_segments(struct kunit *test)
{
	static const u32 lens[] = { 3000, 0, 5000, 1 };
	struct omx_region *r = x2m_fake_region(test, 1, true, lens, 4);
	u8 *mem = x2m_fake_bytes(test), *buf = kunit_kmalloc(test, 9001, GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 9001; i++)
		buf[i] = (u8)(i * 7 + 1);
	KUNIT_ASSERT_EQ(test, omx_region_copy(r, 0, buf, 8001, true), 0);
	/* The segments are contiguous in the fake pages, from octet 100. */
	KUNIT_EXPECT_EQ(test, memcmp(mem + 100, buf, 8001), 0);
	memset(buf, 0, 9001);
	KUNIT_ASSERT_EQ(test, omx_region_copy(r, 2990, buf, 20, false), 0);
	for (i = 0; i < 20; i++)
		KUNIT_EXPECT_EQ(test, buf[i], (u8)((2990 + i) * 7 + 1));
	KUNIT_EXPECT_EQ(test, omx_region_copy(r, 8000, buf, 2, false), -EINVAL);
	KUNIT_EXPECT_EQ(test, omx_region_copy(r, U64_MAX - 1, buf, 4, false),
			-EINVAL);
	r->writable = false;
	KUNIT_EXPECT_EQ(test, omx_region_copy(r, 0, buf, 1, true), -EINVAL);
}

static void x2m_pull_cmd(struct kunit *test, struct omx_cmd_pull *c,
			 u32 length, u32 region)
{
	struct x2m_engine_fake *f = test->priv;

	memset(c, 0, sizeof(*c));
	c->peer_index = f->remote;
	c->dest_endpoint = 2;
	c->session = 0x1234;
	c->length = length;
	c->local_region = region;
	c->remote_rdma_id = 9;
	c->remote_rdma_seqnum = 23;
	c->timeout_ms = 60000;
	c->lib_cookie = 0xc00c1eULL;
}

/* A PULL_REPLY for frame @f of the only pull, as recv.c would decode it. */
static void x2m_reply(struct kunit *test, struct omx_pull *p, u32 f,
		      u32 total, const u8 *src)
{
	struct x2m_engine_fake *fk = test->priv;
	u32 off = f * X2M_R;
	struct omx_wire_pkt pkt = {
		.ptype = OMX_WIRE_PTYPE_PULL_REPLY,
		.pull_reply = {
			.frame_seqnum = (u8)f,
			.frame_length = (u16)min_t(u32, X2M_R, total - off),
			.msg_offset = off,
			.dst_pull_handle = p->slot << 22 | p->generation,
			.dst_magic = fk->ep->pull_magic,
			.data = src + off,
		},
	};

	ether_addr_copy(pkt.hdr.src_mac, x2m_remote_mac);

	rcu_read_lock();
	omx_recv_pull_reply(fk->ifc, &pkt);
	rcu_read_unlock();
}

static void x2m_engine_pull_completes_from_replies_in_any_order(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;
	static const u32 lens[] = { X2M_FAKE_LEN };
	u32 total = 3 * X2M_R + 100;
	struct omx_cmd_pull c;
	struct omx_pull *p = &f->ep->pulls[0];
	union omx_evt *e;
	u8 *src;
	u32 i;

	x2m_fake_region(test, 4, true, lens, 1);
	src = kunit_kmalloc(test, total, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	for (i = 0; i < total; i++)
		src[i] = (u8)(i ^ (i >> 8));
	x2m_pull_cmd(test, &c, total, 4);
	KUNIT_ASSERT_EQ(test, omx_pull_start(f->ep, &c), 0);
	KUNIT_EXPECT_TRUE(test, p->active);
	KUNIT_EXPECT_EQ(test, p->nblocks, 1U);

	x2m_reply(test, p, 3, total, src);
	x2m_reply(test, p, 1, total, src);
	x2m_reply(test, p, 1, total, src);	/* duplicate */
	x2m_reply(test, p, 0, total, src);
	KUNIT_EXPECT_NULL(test, x2m_next_event(f->ep));
	x2m_reply(test, p, 2, total, src);

	e = x2m_next_event(f->ep);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->head.type, OMX_EVT_PULL_DONE);
	KUNIT_EXPECT_EQ(test, e->pull_done.status, (u32)OMX_ABI_PULL_SUCCESS);
	KUNIT_EXPECT_EQ(test, e->pull_done.pulled_length, total);
	KUNIT_EXPECT_EQ(test, e->pull_done.lib_cookie, 0xc00c1eULL);
	KUNIT_EXPECT_EQ(test, memcmp(x2m_fake_bytes(test) + 100, src, total), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ifc->counters.v[OMX_CNT_DROP_PULL_REPLY_DUPLICATE]), 1);
	KUNIT_EXPECT_FALSE(test, p->active);

	/* A late reply to the finished pull: its handle is stale now. */
	x2m_reply(test, p, 0, total, src);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ifc->counters.v[OMX_CNT_DROP_PULL_REPLY_BAD_WIRE_HANDLE]), 1);
	KUNIT_EXPECT_NULL(test, x2m_next_event(f->ep));
}

static void x2m_engine_pull_reply_with_a_wrong_extent_is_dropped(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;
	static const u32 lens[] = { X2M_FAKE_LEN };
	struct omx_pull *p = &f->ep->pulls[0];
	struct omx_cmd_pull c;
	u8 *junk = kunit_kzalloc(test, X2M_R, GFP_KERNEL);
	struct omx_wire_pkt pkt = { .ptype = OMX_WIRE_PTYPE_PULL_REPLY };

	KUNIT_ASSERT_NOT_NULL(test, junk);

	x2m_fake_region(test, 4, true, lens, 1);
	x2m_pull_cmd(test, &c, 2 * X2M_R, 4);
	KUNIT_ASSERT_EQ(test, omx_pull_start(f->ep, &c), 0);
	pkt.pull_reply.frame_seqnum = 1;
	pkt.pull_reply.msg_offset = X2M_R + 1;		/* not frame 1's start */
	pkt.pull_reply.frame_length = 10;
	pkt.pull_reply.dst_pull_handle = p->slot << 22 | p->generation;
	pkt.pull_reply.dst_magic = f->ep->pull_magic;
	pkt.pull_reply.data = junk;
	ether_addr_copy(pkt.hdr.src_mac, x2m_remote_mac);
	rcu_read_lock();
	omx_recv_pull_reply(f->ifc, &pkt);
	pkt.pull_reply.dst_magic = 6;	/* no such endpoint */
	omx_recv_pull_reply(f->ifc, &pkt);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ifc->counters.v[OMX_CNT_DROP_PULL_REPLY_BAD_SEQNUM]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ifc->counters.v[OMX_CNT_DROP_PULL_REPLY_BAD_MAGIC_ENDPOINT]), 1);
	KUNIT_EXPECT_EQ(test, p->plan.done_bytes, 0U);
	KUNIT_EXPECT_TRUE(test, p->active);
}

static void x2m_engine_nack_mcp_ends_the_pull_with_its_reason(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;
	static const u32 lens[] = { X2M_FAKE_LEN };
	struct omx_pull *p = &f->ep->pulls[0];
	struct omx_cmd_pull c;
	struct omx_wire_pkt pkt = { .ptype = OMX_WIRE_PTYPE_NACK_MCP };
	union omx_evt *e;

	x2m_fake_region(test, 4, true, lens, 1);
	x2m_pull_cmd(test, &c, 5000, 4);
	KUNIT_ASSERT_EQ(test, omx_pull_start(f->ep, &c), 0);
	pkt.nack_mcp.nack_type = OMX_WIRE_NACK_BAD_SESSION;
	pkt.nack_mcp.src_pull_handle = p->slot << 22 | p->generation;
	pkt.nack_mcp.src_magic = f->ep->pull_magic;
	ether_addr_copy(pkt.hdr.src_mac, x2m_remote_mac);
	rcu_read_lock();
	omx_recv_nack_mcp(f->ifc, &pkt);
	rcu_read_unlock();
	e = x2m_next_event(f->ep);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->pull_done.status, (u32)OMX_ABI_PULL_BAD_SESSION);
	KUNIT_EXPECT_EQ(test, e->pull_done.pulled_length, 0U);
	KUNIT_EXPECT_FALSE(test, p->active);
}

static void x2m_engine_pull_start_refuses_what_it_cannot_do(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;
	static const u32 lens[] = { 8000 };
	struct omx_cmd_pull c;
	unsigned int i;

	x2m_pull_cmd(test, &c, 100, 4);
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -ENOENT);
	x2m_fake_region(test, 4, false, lens, 1);
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -EINVAL);
	f->ep->regions[4]->writable = true;
	c.length = 8001;
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -EINVAL);
	c.length = 100;
	c.local_offset = 7950;
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -EINVAL);
	c.local_offset = 0;
	c.length = 0;
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -EINVAL);
	c.length = 100;
	c.local_region = OMX_ABI_REGION_MAX;
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -ENOENT);
	c.local_region = 4;
	for (i = 0; i < OMX_ABI_PULL_MAX; i++)
		KUNIT_ASSERT_EQ(test, omx_pull_start(f->ep, &c), 0);
	KUNIT_EXPECT_EQ(test, omx_pull_start(f->ep, &c), -ENOSPC);
	/* exit() closes the endpoint with 64 pulls and their timers running. */
}

/*
 * Replies to a pull are believed only from the peer asked and only if they
 * echo what only the PULL carried: another host on the wire can neither
 * fill nor abort it, even knowing the endpoint index.
 */
static void x2m_engine_pull_answers_only_from_the_peer_asked(struct kunit *test)
{
	struct x2m_engine_fake *f = test->priv;
	static const u32 lens[] = { X2M_FAKE_LEN };
	struct omx_pull *p = &f->ep->pulls[0];
	u8 *junk = kunit_kzalloc(test, X2M_R, GFP_KERNEL);
	struct omx_wire_pkt pkt = { .ptype = OMX_WIRE_PTYPE_PULL_REPLY }, sent;
	struct omx_cmd_pull c;
	struct sk_buff *skb;

	KUNIT_ASSERT_NOT_NULL(test, junk);
	x2m_fake_region(test, 4, true, lens, 1);
	x2m_pull_cmd(test, &c, 2 * X2M_R, 4);
	KUNIT_ASSERT_EQ(test, omx_pull_start(f->ep, &c), 0);

	/* The PULL went to the remote, with a magic nobody can derive. */
	skb = x2m_fake_netdev_sent(f->ifc->dev);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, omx_wire_decode(skb->data, skb->len,
					      &omx_engine_wire, &sent), 0);
	kfree_skb(skb);
	KUNIT_EXPECT_EQ(test, sent.ptype, (u8)OMX_WIRE_PTYPE_PULL);
	KUNIT_EXPECT_TRUE(test, ether_addr_equal(sent.hdr.dst_mac, x2m_remote_mac));
	KUNIT_EXPECT_EQ(test, sent.pull.src_magic, f->ep->pull_magic);
	KUNIT_EXPECT_NE(test, sent.pull.src_magic, f->ep->index ^ 0x21071980U);
	KUNIT_EXPECT_EQ(test, sent.pull.src_magic & 0xff, f->ep->index);

	/* The right magic and handle, from another peer of the table */
	pkt.pull_reply.frame_seqnum = 0;
	pkt.pull_reply.msg_offset = 0;
	pkt.pull_reply.frame_length = X2M_R;
	pkt.pull_reply.dst_pull_handle = sent.pull.src_pull_handle;
	pkt.pull_reply.dst_magic = sent.pull.src_magic;
	pkt.pull_reply.data = junk;
	ether_addr_copy(pkt.hdr.src_mac, x2m_other_mac);
	rcu_read_lock();
	omx_recv_pull_reply(f->ifc, &pkt);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, p->plan.done_bytes, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ifc->counters.v[OMX_CNT_DROP_BAD_PEER_ADDR]), 1);

	/* Nor can it abort the pull */
	memset(&pkt, 0, sizeof(pkt));
	pkt.ptype = OMX_WIRE_PTYPE_NACK_MCP;
	pkt.nack_mcp.nack_type = OMX_WIRE_NACK_ENDPT_CLOSED;
	pkt.nack_mcp.src_pull_handle = sent.pull.src_pull_handle;
	pkt.nack_mcp.src_magic = sent.pull.src_magic;
	ether_addr_copy(pkt.hdr.src_mac, x2m_other_mac);
	rcu_read_lock();
	omx_recv_nack_mcp(f->ifc, &pkt);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, p->active);
	KUNIT_EXPECT_NULL(test, x2m_next_event(f->ep));

	/* The old predictable magic names no pull any more. */
	pkt.nack_mcp.src_magic = f->ep->index ^ 0x21071980U;
	ether_addr_copy(pkt.hdr.src_mac, x2m_remote_mac);
	rcu_read_lock();
	omx_recv_nack_mcp(f->ifc, &pkt);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, p->active);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->ifc->counters.v[OMX_CNT_DROP_NACK_MCP_BAD_MAGIC_ENDPOINT]), 1);

	/* The peer asked, echoing the PULL: it ends the pull. */
	pkt.nack_mcp.src_magic = sent.pull.src_magic;
	rcu_read_lock();
	omx_recv_nack_mcp(f->ifc, &pkt);
	rcu_read_unlock();
	KUNIT_EXPECT_FALSE(test, p->active);
}

static struct kunit_case x2m_engine_cases[] = {
	KUNIT_CASE(x2m_engine_queue_keeps_room_for_pull_completions),
	KUNIT_CASE(x2m_engine_queue_survives_a_hostile_consumer_index),
	KUNIT_CASE(x2m_engine_receive_slots_run_out_before_events),
	KUNIT_CASE(x2m_engine_region_copy_crosses_pages_and_segments),
	KUNIT_CASE(x2m_engine_pull_completes_from_replies_in_any_order),
	KUNIT_CASE(x2m_engine_pull_reply_with_a_wrong_extent_is_dropped),
	KUNIT_CASE(x2m_engine_nack_mcp_ends_the_pull_with_its_reason),
	KUNIT_CASE(x2m_engine_pull_start_refuses_what_it_cannot_do),
	KUNIT_CASE(x2m_engine_pull_answers_only_from_the_peer_asked),
	{}
};

static struct kunit_suite x2m_engine_suite = {
	.name = "open_mx_engine",
	.init = x2m_engine_init,
	.exit = x2m_engine_exit,
	.test_cases = x2m_engine_cases,
};
kunit_test_suite(x2m_engine_suite);
