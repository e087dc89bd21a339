// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_kunit.c - a guest's Open-MX commands (omx_guest.c, region_grant.c)
 * against a fake hypervisor.
 *
 * The fake guest owns a set of pages; grant reference r names page r - 1
 * and X2M_G_BAD_REF is one the hypervisor refuses.  "Mapping" hands those
 * very pages to the backend, "grant copy" copies between them and the
 * backend's buffer, so every test can check byte for byte what the guest
 * would see, and count what the backend holds afterwards.
 */
#include "common.h"
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/page.h>

#define X2M_G_PAGES	1024
#define X2M_G_BAD_REF	0xbad0
#define X2M_G_EP_PAGES	(OMX_ABI_MMAP_SIZE / XEN_PAGE_SIZE)
#define X2M_G_DIR_REF	(X2M_G_EP_PAGES + 1)	/* after the endpoint's pages */
#define X2M_G_DATA_REF	(X2M_G_EP_PAGES + 2)	/* region pages from here */

struct x2m_guest_fake {
	struct kunit *test;
	struct x2mback_device *be;
	struct net_device *dev;		/* the parent board's interface */
	struct x2mback_iface *parent;
	struct page *pages[X2M_G_PAGES];
	unsigned int mapped, unmapped, notifies, copies;
	unsigned int notifies_outside_rcu;	/* see x2m_g_notify */
};

static struct x2m_guest_fake *x2m_gf;	/* one test at a time */
static struct lock_class_key x2m_g_addr_lock_key;

static void *x2m_g_page(grant_ref_t ref)
{
	if (!ref || ref > X2M_G_PAGES)
		return NULL;
	return page_address(x2m_gf->pages[ref - 1]);
}

static int x2m_g_map(struct x2mback_device *be, const grant_ref_t *refs,
		     unsigned int nr, struct x2mback_garea *a)
{
	unsigned int i;

	a->nr = nr;
	for (i = 0; i < nr; i++)
		a->handles[i] = INVALID_GRANT_HANDLE;
	for (i = 0; i < nr; i++) {
		if (!x2m_g_page(refs[i])) {
			be->ops->unmap_area(be, a);
			return -EFAULT;
		}
		a->pages[i] = x2m_gf->pages[refs[i] - 1];
		a->handles[i] = refs[i];
		x2m_gf->mapped++;
	}
	a->vaddr = vmap(a->pages, nr, VM_MAP, PAGE_KERNEL);
	if (!a->vaddr) {
		be->ops->unmap_area(be, a);
		return -ENOMEM;
	}
	return 0;
}

static void x2m_g_unmap(struct x2mback_device *be, struct x2mback_garea *a)
{
	unsigned int i;

	if (a->vaddr)
		vunmap(a->vaddr);
	a->vaddr = NULL;
	for (i = 0; i < a->nr; i++) {
		if (a->handles[i] != INVALID_GRANT_HANDLE)
			x2m_gf->unmapped++;
		a->handles[i] = INVALID_GRANT_HANDLE;
	}
}

static void *x2m_g_side(struct gnttab_copy_ptr *p, bool gref)
{
	void *base = gref ? x2m_g_page(p->u.ref) : gfn_to_virt(p->u.gmfn);

	return base ? base + p->offset : NULL;
}

static int x2m_g_copy(struct x2mback_device *be, struct gnttab_copy *ops,
		      unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct gnttab_copy *op = &ops[i];
		void *src = x2m_g_side(&op->source, op->flags & GNTCOPY_source_gref);
		void *dst = x2m_g_side(&op->dest, op->flags & GNTCOPY_dest_gref);

		op->status = GNTST_bad_gntref;
		if (!src || !dst || op->source.offset + op->len > XEN_PAGE_SIZE ||
		    op->dest.offset + op->len > XEN_PAGE_SIZE)
			continue;
		memcpy(dst, src, op->len);
		op->status = GNTST_okay;
		x2m_gf->copies++;
	}
	return 0;
}

static void x2m_g_notify(struct x2mback_device *be)
{
	x2m_gf->notifies++;
	/* Disconnect unbinds the channel one RCU grace period after kick_ok. */
	if (!rcu_read_lock_any_held())
		x2m_gf->notifies_outside_rcu++;
}

static const struct x2mback_xen_ops x2m_g_ops = {
	.map_area = x2m_g_map,
	.unmap_area = x2m_g_unmap,
	.grant_copy = x2m_g_copy,
	.notify = x2m_g_notify,
};

static int x2m_guest_init(struct kunit *test)
{
	struct x2m_guest_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	static const u8 mac[ETH_ALEN] = { 0x02, 0x58, 0x4d, 0, 7, 0 };
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	x2m_gf = f;
	for (i = 0; i < X2M_G_PAGES; i++) {
		f->pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, f->pages[i]);
	}
	KUNIT_ASSERT_EQ(test, omx_wire_params_init(&x2mback_wire,
			OMX_WIRE_VARIANT_MTU9000, x2mback_peers_max), 0);
	KUNIT_ASSERT_EQ(test, x2mback_peers_init(), 0);
	x2mback_ifaces = kcalloc(x2mback_ifaces_max, sizeof(*x2mback_ifaces),
				 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, x2mback_ifaces);

	/* dom0's board: an interface that is never registered nor up */
	f->dev = alloc_etherdev(0);
	KUNIT_ASSERT_NOT_NULL(test, f->dev);
	/* What registering would do to its address list lock */
	spin_lock_init(&f->dev->addr_list_lock);
	lockdep_set_class(&f->dev->addr_list_lock, &x2m_g_addr_lock_key);
	f->parent = kzalloc(sizeof(*f->parent), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->parent);
	f->parent->endpoints = kcalloc(x2mback_endpoints_max,
				       sizeof(*f->parent->endpoints), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->parent->endpoints);
	f->parent->dev = f->dev;
	f->parent->addr = 0x02aabbccdd01ULL;
	f->parent->endpoint_max = x2mback_endpoints_max;
	rcu_assign_pointer(x2mback_ifaces[0], f->parent);

	f->be = x2mback_alloc(NULL, 7, 0);
	KUNIT_ASSERT_NOT_NULL(test, f->be);
	f->be->ops = &x2m_g_ops;
	memcpy(f->be->omx_cfg.mac, mac, ETH_ALEN);
	strscpy(f->be->omx_cfg.hostname, "g7:0", sizeof(f->be->omx_cfg.hostname));
	f->be->omx_cfg.max_endpoints = 4;
	f->be->omx_cfg.max_grants = X2M_G_EP_PAGES + 8;
	KUNIT_ASSERT_EQ(test, x2mback_omx_start(f->be), 0);
	KUNIT_ASSERT_NOT_NULL(test, f->be->board);
	/* What connecting does once the event channel is bound */
	WRITE_ONCE(f->be->kick_ok, true);
	test->priv = f;
	return 0;
}

static void x2m_guest_exit(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	unsigned int i;

	x2mback_omx_stop(f->be);
	x2mback_free(f->be);
	RCU_INIT_POINTER(x2mback_ifaces[0], NULL);
	synchronize_rcu();
	rcu_barrier();		/* the guest board's RCU free */
	kfree(f->parent->endpoints);
	kfree(f->parent);
	free_netdev(f->dev);
	kfree(x2mback_ifaces);
	x2mback_ifaces = NULL;
	x2mback_peers_exit();
	for (i = 0; i < X2M_G_PAGES; i++)
		__free_page(f->pages[i]);
	x2m_gf = NULL;
}

/* Send one OMX request; returns the status, answer in @rsp. */
static int x2m_g_req(struct x2mback_device *be, u32 cmd, u16 endpoint,
		     const void *arg, unsigned int len,
		     struct xen2mx_response *rsp)
{
	struct xen2mx_request req = { .op = XEN2MX_OP_OMX };
	struct xen2mx_omx_hdr hdr = { .cmd = cmd, .endpoint = endpoint };

	memcpy(req.payload, &hdr, sizeof(hdr));
	memcpy(req.payload + sizeof(hdr), arg, len);
	req.len = sizeof(hdr) + len;
	memset(rsp, 0, sizeof(*rsp));
	x2mback_omx_request(be, &req, rsp);
	return rsp->status;
}

/* Write the endpoint directory (refs 1..785) and open endpoint @index. */
static int x2m_g_open(struct x2m_guest_fake *f, u16 index, grant_ref_t bad_at)
{
	grant_ref_t *dir = x2m_g_page(X2M_G_DIR_REF);
	struct xen2mx_omx_open o = {
		.endpoint_index = index,
		.dir_ref = X2M_G_DIR_REF,
		.nr_pages = X2M_G_EP_PAGES,
	};
	struct xen2mx_response rsp;
	unsigned int i;

	for (i = 0; i < X2M_G_EP_PAGES; i++)
		dir[i] = i == bad_at ? X2M_G_BAD_REF : 1 + i;
	return x2m_g_req(f->be, _IOC_NR(OMX_CMD_OPEN_ENDPOINT), index, &o,
			 sizeof(o), &rsp);
}

static void x2m_guest_endpoint_lives_in_guest_pages(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct omx_abi_desc *desc = x2m_g_page(1);
	struct x2mback_endpoint *ep;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 2, U32_MAX), 0);
	ep = f->be->geps[2].ep;
	KUNIT_ASSERT_NOT_NULL(test, ep);
	/* The guest reads its descriptor in its own first page. */
	KUNIT_EXPECT_EQ(test, desc->endpoint_index, 2U);
	KUNIT_EXPECT_EQ(test, desc->board_index, 0U);
	KUNIT_EXPECT_EQ(test, desc->board_addr, 0x02584d000700ULL);
	KUNIT_EXPECT_EQ(test, desc->session_id, ep->session_id);
	KUNIT_EXPECT_EQ(test, f->be->grants_mapped, X2M_G_EP_PAGES);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, X2M_G_EP_PAGES);
	KUNIT_EXPECT_EQ(test, x2m_g_open(f, 2, U32_MAX), -EBUSY);
	KUNIT_EXPECT_EQ(test, x2m_g_open(f, 4, U32_MAX), -EINVAL);

	x2mback_omx_stop(f->be);
	KUNIT_EXPECT_EQ(test, f->unmapped, f->mapped);
	KUNIT_EXPECT_EQ(test, f->be->grants_mapped, 0U);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, 0U);
}

static void x2m_guest_refused_grant_maps_nothing(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct xen2mx_omx_open o = {
		.endpoint_index = 1,
		.dir_ref = X2M_G_BAD_REF,
		.nr_pages = X2M_G_EP_PAGES,
	};
	struct xen2mx_response rsp;

	/* A directory we cannot read, then one bad reference in the middle */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_OPEN_ENDPOINT),
					1, &o, sizeof(o), &rsp), -EFAULT);
	KUNIT_EXPECT_EQ(test, x2m_g_open(f, 1, 400), -EFAULT);
	KUNIT_EXPECT_NULL(test, f->be->geps[1].ep);
	KUNIT_EXPECT_EQ(test, f->unmapped, f->mapped);
	KUNIT_EXPECT_EQ(test, f->be->grants_mapped, 0U);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, 0U);
	/* The wrong page count, the wrong board */
	o.dir_ref = X2M_G_DIR_REF;
	o.nr_pages = X2M_G_EP_PAGES - 1;
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_OPEN_ENDPOINT),
					1, &o, sizeof(o), &rsp), -EINVAL);
	o.nr_pages = X2M_G_EP_PAGES;
	o.board_index = 1;
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_OPEN_ENDPOINT),
					1, &o, sizeof(o), &rsp), -EINVAL);
	/* And then a good open still works. */
	KUNIT_EXPECT_EQ(test, x2m_g_open(f, 1, U32_MAX), 0);
}

static void x2m_guest_malformed_requests_are_refused(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct xen2mx_omx_counters c = { .first = 0, .count = 4, .clear = 1 };
	struct omx_cmd_send_tiny tiny = { .length = 4 };
	struct omx_cmd_peer peer = { .addr = 0x020000000001ULL };
	struct xen2mx_response rsp;
	u8 junk[XEN2MX_OMX_ARG_MAX] = { 0 };

	/* A length that is not its command's */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_SEND_TINY), 0,
					&tiny, sizeof(tiny) - 1, &rsp), -EINVAL);
	/* Commands that do not exist, or exist only for dom0 processes */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, 0x7f, 0, junk, 0, &rsp), -ENOSYS);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, 0xffffffff, 0, junk, 0, &rsp),
			-ENOSYS);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_RAW_OPEN), 0,
					junk, 8, &rsp), -ENOSYS);
	/* An endpoint that is not open, or out of range */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_SEND_TINY), 0,
					&tiny, sizeof(tiny), &rsp), -EBADF);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_SEND_TINY), 9999,
					&tiny, sizeof(tiny), &rsp), -EINVAL);
	/* dom0's tables are not the guest's to change */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_PEER_ADD),
					XEN2MX_OMX_NO_ENDPOINT, &peer,
					sizeof(peer), &rsp), -EPERM);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_PEERS_CLEAR),
					XEN2MX_OMX_NO_ENDPOINT, junk, 0, &rsp),
			-EPERM);
	/* Nor its board's name: a later guest could be given that one. */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_SET_HOSTNAME),
					XEN2MX_OMX_NO_ENDPOINT, junk,
					sizeof(struct omx_cmd_set_hostname), &rsp),
			-EPERM);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), -EPERM);
	c.clear = 0;
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), 0);
	KUNIT_EXPECT_EQ(test, rsp.len, 16);
	c.first = 84;
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), -EINVAL);
	KUNIT_EXPECT_EQ(test, rsp.len, 0);
}

static void x2m_guest_sees_one_board_of_its_own(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct omx_cmd_board_info bi = { .board_index = 0 };
	struct omx_cmd_get_info *info;
	struct xen2mx_response rsp;

	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_INFO),
					XEN2MX_OMX_NO_ENDPOINT, NULL, 0, &rsp), 0);
	info = (struct omx_cmd_get_info *)rsp.payload;
	KUNIT_EXPECT_EQ(test, rsp.len, (u16)sizeof(*info));
	KUNIT_EXPECT_EQ(test, info->board_count, 1U);
	KUNIT_EXPECT_EQ(test, info->endpoint_max, 4U);
	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_BOARD_INFO),
					XEN2MX_OMX_NO_ENDPOINT, &bi, sizeof(bi),
					&rsp), 0);
	memcpy(&bi, rsp.payload, sizeof(bi));
	KUNIT_EXPECT_EQ(test, bi.addr, 0x02584d000700ULL);
	KUNIT_EXPECT_STREQ(test, bi.hostname, "g7:0");
	KUNIT_EXPECT_STREQ(test, bi.ifname, "xen2mx");
	/* dom0's board 0 is not the guest's board 1 */
	bi.board_index = 1;
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_BOARD_INFO),
					XEN2MX_OMX_NO_ENDPOINT, &bi, sizeof(bi),
					&rsp), -ENODEV);
}

/* Region @id of @n pieces: piece i is 1000 octets at 100 in page i. */
static int x2m_g_region(struct x2m_guest_fake *f, u32 id, u32 n,
			u16 bad_offset_at)
{
	struct xen2mx_omx_region r = {
		.id = id, .writable = 1, .nr_pieces = n, .length = n * 1000ULL,
	};
	struct xen2mx_omx_pieces p = { .id = id, .nr_pieces = n };
	struct xen2mx_omx_piece *dir = x2m_g_page(X2M_G_DIR_REF);
	struct xen2mx_response rsp;
	u32 i;
	int err;

	err = x2m_g_req(f->be, _IOC_NR(OMX_CMD_CREATE_REGION), 0, &r,
			sizeof(r), &rsp);
	if (err)
		return err;
	for (i = 0; i < n; i++) {
		dir[i].ref = X2M_G_DATA_REF + i;
		dir[i].offset = i == bad_offset_at ? 3500 : 100;
		dir[i].len = 1000;
	}
	p.dir_refs[0] = X2M_G_DIR_REF;
	return x2m_g_req(f->be, XEN2MX_OMXC_REGION_PIECES, 0, &p, sizeof(p),
			 &rsp);
}

static void x2m_guest_region_moves_by_grant_copy(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct x2mback_region *r;
	u8 *buf, *g;
	u32 i;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 0, U32_MAX), 0);
	KUNIT_ASSERT_EQ(test, x2m_g_region(f, 5, 4, U16_MAX), 0);
	r = f->be->geps[0].ep->regions[5];
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_EXPECT_EQ(test, r->length, 4000ULL);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, X2M_G_EP_PAGES + 4);

	/* A frame's worth across all four pieces, into the guest's pages */
	buf = kmalloc(3000, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 3000; i++)
		buf[i] = i * 7;
	KUNIT_EXPECT_EQ(test, x2mback_region_copy(r, 500, buf, 3000, true), 0);
	for (i = 0; i < 3000; i++) {
		u32 at = 500 + i;

		g = x2m_g_page(X2M_G_DATA_REF + at / 1000);
		if (g[100 + at % 1000] != (u8)(i * 7)) {
			KUNIT_FAIL(test, "octet %u of the copy is wrong", i);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, f->copies, 1U + 1 + 4);	/* 2 dirs, 4 pieces */
	/* And back out, from an offset inside a piece */
	memset(buf, 0, 3000);
	KUNIT_EXPECT_EQ(test, x2mback_region_copy(r, 1500, buf, 2000, false), 0);
	KUNIT_EXPECT_EQ(test, buf[0], (u8)(1000 * 7));
	KUNIT_EXPECT_EQ(test, buf[1999], (u8)(2999 * 7));
	/* Beyond the end is refused before any copy */
	KUNIT_EXPECT_EQ(test, x2mback_region_copy(r, 3500, buf, 501, false),
			-EINVAL);
	kfree(buf);

	KUNIT_EXPECT_EQ(test, x2mback_region_destroy(f->be->geps[0].ep, 5), 0);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, X2M_G_EP_PAGES);
}

static void x2m_guest_bad_regions_are_forgotten(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 0, U32_MAX), 0);
	/* A piece that runs past its page */
	KUNIT_EXPECT_EQ(test, x2m_g_region(f, 1, 3, 1), -EINVAL);
	KUNIT_EXPECT_NULL(test, f->be->geps[0].ep->regions[1]);
	KUNIT_EXPECT_NULL(test, f->be->geps[0].building[1]);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, X2M_G_EP_PAGES);
	/* More pieces than max-grants leaves */
	KUNIT_EXPECT_EQ(test, x2m_g_region(f, 2, 9, U16_MAX), -ENOSPC);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, X2M_G_EP_PAGES);
	/* The same id twice */
	KUNIT_EXPECT_EQ(test, x2m_g_region(f, 3, 2, U16_MAX), 0);
	KUNIT_EXPECT_EQ(test, x2m_g_region(f, 3, 2, U16_MAX), -EBUSY);
}

static void x2m_guest_is_kicked_only_when_armed(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct x2mback_endpoint *ep;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 3, U32_MAX), 0);
	ep = f->be->geps[3].ep;
	spin_lock_bh(&ep->lock);
	KUNIT_ASSERT_NOT_NULL(test, x2mback_event_reserve(ep, false, NULL, NULL));
	x2mback_event_commit(ep, false);
	spin_unlock_bh(&ep->lock);
	KUNIT_EXPECT_EQ(test, f->notifies, 0U);

	ep->desc->armed = 1;	/* the frontend is about to sleep */
	spin_lock_bh(&ep->lock);
	KUNIT_ASSERT_NOT_NULL(test, x2mback_event_reserve(ep, false, NULL, NULL));
	x2mback_event_commit(ep, false);
	spin_unlock_bh(&ep->lock);
	KUNIT_EXPECT_EQ(test, f->notifies, 1U);
	KUNIT_EXPECT_EQ(test, ep->desc->armed, 0U);
	KUNIT_EXPECT_EQ(test, ep->desc->eventq_prod, 2U);
}

/*
 * The same-host counters a guest reads are its own board's share, not the
 * host's: those would tell it what dom0 and the other guests exchange.
 */
static void x2m_guest_shared_counters_are_its_own(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct xen2mx_omx_counters c = {
		.board_index = OMX_ABI_SHARED_BOARD,
		.first = X2M_CNT_SHARED_TINY,
		.count = 1,
	};
	struct xen2mx_response rsp;
	u32 v;

	x2mback_count(NULL, X2M_CNT_SHARED_TINY);	/* someone else's */
	x2mback_count_shared(f->parent, X2M_CNT_SHARED_TINY);
	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), 0);
	memcpy(&v, rsp.payload, sizeof(v));
	KUNIT_EXPECT_EQ(test, v, 0U);
	x2mback_count_shared(f->be->board, X2M_CNT_SHARED_TINY);
	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), 0);
	memcpy(&v, rsp.payload, sizeof(v));
	KUNIT_EXPECT_EQ(test, v, 1U);
}

/*
 * A board detached under a guest's endpoint tells the guest at once; that
 * kick must happen where disconnect's grace period can wait for it, or it
 * may hit an event channel already unbound.
 */
static void x2m_guest_kick_for_a_dying_board_is_an_rcu_reader(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct x2mback_endpoint *ep;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 1, U32_MAX), 0);
	ep = f->be->geps[1].ep;
	mutex_lock(&x2mback_engine_mutex);
	x2mback_endpoints_kill_iface(f->be->board);
	mutex_unlock(&x2mback_engine_mutex);
	KUNIT_EXPECT_TRUE(test, ep->desc->status & OMX_ABI_DESC_STATUS_IFACE_GONE);
	KUNIT_EXPECT_EQ(test, f->notifies, 1U);
	KUNIT_EXPECT_EQ(test, f->notifies_outside_rcu, 0U);
}

static struct kunit_case x2m_guest_cases[] = {
	KUNIT_CASE(x2m_guest_kick_for_a_dying_board_is_an_rcu_reader),
	KUNIT_CASE(x2m_guest_shared_counters_are_its_own),
	KUNIT_CASE(x2m_guest_endpoint_lives_in_guest_pages),
	KUNIT_CASE(x2m_guest_refused_grant_maps_nothing),
	KUNIT_CASE(x2m_guest_malformed_requests_are_refused),
	KUNIT_CASE(x2m_guest_sees_one_board_of_its_own),
	KUNIT_CASE(x2m_guest_region_moves_by_grant_copy),
	KUNIT_CASE(x2m_guest_bad_regions_are_forgotten),
	KUNIT_CASE(x2m_guest_is_kicked_only_when_armed),
	{}
};

static struct kunit_suite x2m_guest_suite = {
	.name = "xen2mx_guest",
	.init = x2m_guest_init,
	.exit = x2m_guest_exit,
	.test_cases = x2m_guest_cases,
};
kunit_test_suite(x2m_guest_suite);
