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
#include "omx_engine.h"
#include <kunit/test.h>
#include <linux/etherdevice.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <xen/page.h>
#include "fake_netdev.h"

#define X2M_G_PAGES	1100
#define X2M_G_BAD_REF	0xbad0
#define X2M_G_EP_PAGES	(OMX_ABI_MMAP_SIZE / XEN_PAGE_SIZE)
#define X2M_G_DIR_REF	(X2M_G_EP_PAGES + 1)	/* after the endpoint's pages */
#define X2M_G_DATA_REF	(X2M_G_EP_PAGES + 2)	/* region pages from here */
#define X2M_G_DATA_PAGES	(X2M_G_PAGES + 1 - X2M_G_DATA_REF)
#define X2M_G_R		OMX_WIRE_9000_PULL_REPLY_MAX	/* a frame's payload */
/* What ring-protocol.md promises a frame costs at most, and in hypercalls */
#define X2M_G_FRAME_OPS_MAX	517
#define X2M_G_FRAME_CALLS_MAX	DIV_ROUND_UP(X2M_G_FRAME_OPS_MAX, X2MBACK_GCOPY_BATCH)

struct x2m_guest_fake {
	struct kunit *test;
	struct x2mback_device *be;
	struct net_device *dev;		/* the parent board's interface */
	struct omx_iface *parent;
	struct page *pages[X2M_G_PAGES];
	unsigned int mapped, unmapped, notifies, copies;
	unsigned int notifies_outside_rcu;	/* see x2m_g_notify */
};

static struct x2m_guest_fake *x2m_gf;	/* one test at a time */
static const u8 x2m_g_dom0_mac[ETH_ALEN] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };
static const u8 x2m_g_remote_mac[ETH_ALEN] = { 0x02, 0x77, 0, 0, 0, 0x09 };

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
	KUNIT_ASSERT_EQ(test, omx_wire_params_init(&omx_engine_wire,
			OMX_WIRE_VARIANT_MTU9000, omx_peers_max), 0);
	KUNIT_ASSERT_EQ(test, omx_peers_init(), 0);
	omx_ifaces = kcalloc(omx_ifaces_max, sizeof(*omx_ifaces),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, omx_ifaces);

	/* dom0's board: a fake interface that keeps what is sent on it */
	f->dev = x2m_fake_netdev_create(test, x2m_g_dom0_mac);
	f->parent = kzalloc(sizeof(*f->parent), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->parent);
	f->parent->endpoints = kcalloc(omx_endpoints_max,
				       sizeof(*f->parent->endpoints), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->parent->endpoints);
	f->parent->dev = f->dev;
	f->parent->addr = 0x02aabbccdd01ULL;
	f->parent->endpoint_max = omx_endpoints_max;
	rcu_assign_pointer(omx_ifaces[0], f->parent);

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
	RCU_INIT_POINTER(omx_ifaces[0], NULL);
	synchronize_rcu();
	rcu_barrier();		/* the guest board's RCU free */
	kfree(f->parent->endpoints);
	kfree(f->parent);
	x2m_fake_netdev_destroy(f->dev);
	kfree(omx_ifaces);
	omx_ifaces = NULL;
	omx_peers_exit();
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
	struct omx_endpoint *ep;

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

/* A frame's copy, as the receive path makes it: under endpoint 0's lock. */
static int x2m_g_copy_locked(struct x2m_guest_fake *f, struct omx_region *r,
			     u64 offset, void *buf, u32 len, bool to_region)
{
	struct omx_endpoint *ep = f->be->geps[0].ep;
	int err;

	spin_lock_bh(&ep->lock);
	err = omx_region_copy(r, offset, buf, len, to_region);
	spin_unlock_bh(&ep->lock);
	return err;
}

/*
 * Region @id of @n pieces: piece i is 1000 octets at 100 in page i, what
 * the frontend sends for @n user segments of 1000 octets at 100 in a page.
 */
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
	struct omx_region *r;
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
	KUNIT_EXPECT_EQ(test, x2m_g_copy_locked(f, r, 500, buf, 3000, true), 0);
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
	KUNIT_EXPECT_EQ(test, x2m_g_copy_locked(f, r, 1500, buf, 2000, false), 0);
	KUNIT_EXPECT_EQ(test, buf[0], (u8)(1000 * 7));
	KUNIT_EXPECT_EQ(test, buf[1999], (u8)(2999 * 7));
	/* Beyond the end is refused before any copy */
	KUNIT_EXPECT_EQ(test, x2m_g_copy_locked(f, r, 3500, buf, 501, false),
			-EINVAL);
	kfree(buf);

	KUNIT_EXPECT_EQ(test, omx_region_destroy(f->be->geps[0].ep, 5), 0);
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

/* ------------------------------------------------------------------------
 * What a region may cost dom0 (region_grant.c, ring-protocol.md
 * "Worst-case cost").  The guest's "user memory" for these regions is its
 * data pages end to end: user address u is octet u % 4096 of page
 * X2M_G_DATA_REF + u / 4096.
 */
struct x2m_g_seg {
	u32 vaddr;
	u32 len;
};

static u8 *x2m_g_user(u32 u)
{
	return (u8 *)x2m_g_page(X2M_G_DATA_REF + u / XEN_PAGE_SIZE) +
	       u % XEN_PAGE_SIZE;
}

/*
 * CREATE_REGION of @n pieces and @length octets, then its pieces, 512 per
 * REGION_PIECES; the first failing status.
 */
static int x2m_g_pieces(struct x2m_guest_fake *f, u32 id, bool writable,
			const struct xen2mx_omx_piece *pieces, u32 n,
			u64 length)
{
	struct xen2mx_omx_region r = {
		.id = id, .writable = writable, .nr_pieces = n, .length = length,
	};
	struct xen2mx_omx_piece *dir = x2m_g_page(X2M_G_DIR_REF);
	struct xen2mx_response rsp;
	u32 first, cnt;
	int err;

	err = x2m_g_req(f->be, _IOC_NR(OMX_CMD_CREATE_REGION), 0, &r,
			sizeof(r), &rsp);
	for (first = 0; !err && first < n; first += cnt) {
		struct xen2mx_omx_pieces p = {
			.id = id, .first = first,
			.dir_refs = { X2M_G_DIR_REF },
		};

		cnt = min_t(u32, n - first, XEN2MX_OMX_PIECES_PER_PAGE);
		p.nr_pieces = cnt;
		memcpy(dir, pieces + first, cnt * sizeof(*pieces));
		err = x2m_g_req(f->be, XEN2MX_OMXC_REGION_PIECES, 0, &p,
				sizeof(p), &rsp);
	}
	return err;
}

/*
 * The region the frontend (frontend/region.c) makes of user segments
 * @segs: per segment a partial first page, whole pages, a partial last
 * page; empty segments give nothing.
 */
static int x2m_g_segs_region(struct kunit *test, struct x2m_guest_fake *f,
			     u32 id, bool writable, const struct x2m_g_seg *segs,
			     u32 nseg, u64 *length)
{
	struct xen2mx_omx_piece *pieces;
	u32 i, n = 0, done;
	int err;

	*length = 0;
	pieces = kunit_kmalloc_array(test, X2M_G_DATA_PAGES * 2 + nseg,
				     sizeof(*pieces), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pieces);
	for (i = 0; i < nseg; i++) {
		KUNIT_ASSERT_LE(test, (u64)segs[i].vaddr + segs[i].len,
				(u64)X2M_G_DATA_PAGES * XEN_PAGE_SIZE);
		for (done = 0; done < segs[i].len; done += pieces[n++].len) {
			u32 u = segs[i].vaddr + done;

			KUNIT_ASSERT_LT(test, n, X2M_G_DATA_PAGES * 2 + nseg);
			pieces[n].ref = X2M_G_DATA_REF + u / XEN_PAGE_SIZE;
			pieces[n].offset = u % XEN_PAGE_SIZE;
			pieces[n].len = min_t(u32, XEN_PAGE_SIZE - pieces[n].offset,
					      segs[i].len - done);
		}
		*length += segs[i].len;
	}
	f->be->omx_cfg.max_grants = X2M_G_EP_PAGES + n;
	err = x2m_g_pieces(f, id, writable, pieces, n, *length);
	kunit_kfree(test, pieces);
	return err;
}

/* The user address of every octet of a region made of @segs */
static u32 *x2m_g_region_map(struct kunit *test, const struct x2m_g_seg *segs,
			     u32 nseg, u64 length)
{
	u32 *map = kvmalloc_array(max_t(u64, length, 1), sizeof(*map),
				  GFP_KERNEL);
	u64 at = 0;
	u32 i, j;

	for (i = 0; map && i < nseg; i++)
		for (j = 0; j < segs[i].len; j++)
			map[at++] = segs[i].vaddr + j;
	return map;
}

static u64 x2m_g_stat(atomic64_t *v)
{
	return atomic64_read(v);
}

/*
 * The attack of issue 9: a region of 1-octet pieces, so that one 8968-
 * octet PULL_REPLY would cost 8968 copy operations.  Refused, and nothing
 * of it stays; one octet-piece more than 256 user segments give is enough.
 */
static void x2m_guest_region_of_one_octet_pieces_is_refused(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct omx_cmd_destroy_region d = { .id = 4 };
	struct xen2mx_omx_piece *pieces;
	struct xen2mx_response rsp;
	unsigned int copies;
	u32 i;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 0, U32_MAX), 0);
	f->be->omx_cfg.max_grants = X2M_G_EP_PAGES + X2M_G_R;
	pieces = kunit_kmalloc_array(test, X2M_G_R, sizeof(*pieces), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pieces);
	for (i = 0; i < X2M_G_R; i++)
		pieces[i] = (struct xen2mx_omx_piece){ X2M_G_DATA_REF + i % 8,
						       i % XEN_PAGE_SIZE, 1 };
	copies = f->copies;
	KUNIT_EXPECT_EQ(test, x2m_g_pieces(f, 4, true, pieces, X2M_G_R, X2M_G_R),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, f->be->geps[0].building[4]);
	KUNIT_EXPECT_NULL(test, f->be->geps[0].ep->regions[4]);
	KUNIT_EXPECT_EQ(test, f->be->grants_held, X2M_G_EP_PAGES);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_DESTROY_REGION),
					0, &d, sizeof(d), &rsp), -ENOENT);
	/* It was refused at its first directory: nothing else was read. */
	KUNIT_EXPECT_EQ(test, f->copies - copies, 1U);

	/*
	 * 256 user segments of one octet each: 255 breaks, admitted; one
	 * piece more is one break too many.
	 */
	KUNIT_EXPECT_EQ(test, x2m_g_pieces(f, 5, true, pieces,
					   OMX_ABI_REGION_SEGS_MAX,
					   OMX_ABI_REGION_SEGS_MAX), 0);
	KUNIT_EXPECT_NOT_NULL(test, f->be->geps[0].ep->regions[5]);
	KUNIT_EXPECT_EQ(test, x2m_g_pieces(f, 6, true, pieces,
					   OMX_ABI_REGION_SEGS_MAX + 1,
					   OMX_ABI_REGION_SEGS_MAX + 1), -EINVAL);
	KUNIT_EXPECT_NULL(test, f->be->geps[0].ep->regions[6]);
	KUNIT_EXPECT_EQ(test, f->be->grants_held,
			X2M_G_EP_PAGES + OMX_ABI_REGION_SEGS_MAX);
}

/*
 * Every frame of @r (@len octets), into the region and back out, at
 * every buffer alignment in @aligns: the data is the guest's, and no
 * frame costs more than documented.  Returns the most one frame cost.
 */
static u64 x2m_g_frames_check(struct kunit *test, struct x2m_guest_fake *f,
			      struct omx_region *r,
			      const struct x2m_g_seg *segs, u32 nseg,
			      const u32 *aligns, unsigned int naligns)
{
	struct x2mback_counters *c = &f->be->stats;
	u8 *page_buf = kunit_kmalloc(test, 4 * XEN_PAGE_SIZE, GFP_KERNEL);
	u32 *map;
	u64 off, worst = 0;
	unsigned int a;
	u32 i, len;

	KUNIT_ASSERT_NOT_NULL(test, page_buf);
	KUNIT_ASSERT_EQ(test, offset_in_page(page_buf), 0UL);
	map = x2m_g_region_map(test, segs, nseg, r->length);
	KUNIT_ASSERT_NOT_NULL(test, map);	/* nothing to free yet */
	for (a = 0; a < naligns; a++) {
		u8 *buf = page_buf + aligns[a];

		for (off = 0; off < r->length; off += len) {
			u64 ops = x2m_g_stat(&c->copy_ops);
			u64 calls = x2m_g_stat(&c->copy_calls);

			len = min_t(u64, X2M_G_R, r->length - off);
			for (i = 0; i < len; i++)
				buf[i] = (u8)(off + i + a * 31);
			if (x2m_g_copy_locked(f, r, off, buf, len, true)) {
				KUNIT_FAIL(test, "frame at %llu not copied in", off);
				goto out;
			}
			for (i = 0; i < len; i++) {
				if (*x2m_g_user(map[off + i]) != (u8)(off + i + a * 31)) {
					KUNIT_FAIL(test, "octet %llu of the region is wrong",
						   off + i);
					goto out;
				}
			}
			memset(buf, 0, len);
			if (x2m_g_copy_locked(f, r, off, buf, len, false)) {
				KUNIT_FAIL(test, "frame at %llu not copied out", off);
				goto out;
			}
			for (i = 0; i < len; i++) {
				if (buf[i] != (u8)(off + i + a * 31)) {
					KUNIT_FAIL(test, "octet %llu read back is wrong",
						   off + i);
					goto out;
				}
			}
			ops = (x2m_g_stat(&c->copy_ops) - ops) / 2;
			calls = x2m_g_stat(&c->copy_calls) - calls;
			KUNIT_EXPECT_LE(test, ops, (u64)X2M_G_FRAME_OPS_MAX);
			KUNIT_EXPECT_LE(test, calls, 2ULL * X2M_G_FRAME_CALLS_MAX);
			worst = max(worst, ops);
		}
	}
out:
	kvfree(map);
	return worst;
}

static const u32 x2m_g_aligns[] = { 0, 1, 776, 2048, 4095 };

/*
 * What the frontend makes of user buffers, from one segment to 256 of
 * every size and alignment, is admitted, and its frames move the right
 * octets at a few operations each.
 */
static void x2m_guest_honest_regions_are_admitted(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct x2m_g_seg *segs;
	struct omx_region *r;
	u64 length, worst;
	u32 k;

	segs = kunit_kcalloc(test, OMX_ABI_REGION_SEGS_MAX, sizeof(*segs),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, segs);
	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 0, U32_MAX), 0);

	/* One buffer, page-aligned (a large malloc) */
	segs[0] = (struct x2m_g_seg){ 0, 64 * 1024 };
	KUNIT_ASSERT_EQ(test, x2m_g_segs_region(test, f, 1, true, segs, 1,
						&length), 0);
	r = f->be->geps[0].ep->regions[1];
	KUNIT_ASSERT_NOT_NULL(test, r);
	worst = x2m_g_frames_check(test, f, r, segs, 1, x2m_g_aligns,
				   ARRAY_SIZE(x2m_g_aligns));
	/* 8968 octets: 3 pages of the region, 3 of the buffer */
	KUNIT_EXPECT_LE(test, worst, 7ULL);
	KUNIT_EXPECT_EQ(test, omx_region_destroy(f->be->geps[0].ep, 1), 0);

	/* One buffer anywhere */
	segs[0] = (struct x2m_g_seg){ 123, 100000 };
	KUNIT_ASSERT_EQ(test, x2m_g_segs_region(test, f, 2, true, segs, 1,
						&length), 0);
	r = f->be->geps[0].ep->regions[2];
	KUNIT_ASSERT_NOT_NULL(test, r);
	worst = x2m_g_frames_check(test, f, r, segs, 1, x2m_g_aligns,
				   ARRAY_SIZE(x2m_g_aligns));
	KUNIT_EXPECT_LE(test, worst, 7ULL);
	KUNIT_EXPECT_EQ(test, omx_region_destroy(f->be->geps[0].ep, 2), 0);

	/* 256 segments of every length from 0 to ~3000, anywhere */
	for (k = 0; k < OMX_ABI_REGION_SEGS_MAX; k++) {
		segs[k].vaddr = k * 3700 + (k * 131) % 600;
		segs[k].len = k % 50 == 7 ? 0 : 1 + (k * 2909) % 3000;
	}
	KUNIT_ASSERT_EQ(test, x2m_g_segs_region(test, f, 3, true, segs,
						OMX_ABI_REGION_SEGS_MAX,
						&length), 0);
	r = f->be->geps[0].ep->regions[3];
	KUNIT_ASSERT_NOT_NULL(test, r);
	x2m_g_frames_check(test, f, r, segs, OMX_ABI_REGION_SEGS_MAX,
			   x2m_g_aligns, ARRAY_SIZE(x2m_g_aligns));
	KUNIT_EXPECT_EQ(test, omx_region_destroy(f->be->geps[0].ep, 3), 0);
}

/*
 * The worst region the rule admits: 255 user segments of 2 octets, each
 * across a page boundary (2 pieces and a break each), then a large one.
 * Its first frame costs about 517 operations, never more, in at most 9
 * hypercalls; a copy longer than any frame, which would cost more, is
 * refused before any operation.
 */
static void x2m_guest_worst_admitted_frame_costs_at_most_517_ops(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct x2mback_counters *c = &f->be->stats;
	u32 aligns[XEN_PAGE_SIZE / 256 + 1];
	struct x2m_g_seg *segs;
	struct omx_region *r;
	u64 length, worst, ops, calls;
	unsigned int k;
	u8 *big;

	segs = kunit_kcalloc(test, OMX_ABI_REGION_SEGS_MAX, sizeof(*segs),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, segs);
	for (k = 0; k < OMX_ABI_REGION_SEGS_MAX - 1; k++)
		segs[k] = (struct x2m_g_seg){ (k + 1) * XEN_PAGE_SIZE - 1, 2 };
	segs[k] = (struct x2m_g_seg){ (k + 1) * XEN_PAGE_SIZE, 10 * XEN_PAGE_SIZE };
	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 0, U32_MAX), 0);
	KUNIT_ASSERT_EQ(test, x2m_g_segs_region(test, f, 7, true, segs,
						OMX_ABI_REGION_SEGS_MAX,
						&length), 0);
	r = f->be->geps[0].ep->regions[7];
	KUNIT_ASSERT_NOT_NULL(test, r);

	for (k = 0; k < ARRAY_SIZE(aligns) - 1; k++)
		aligns[k] = k * 256 + k;
	aligns[k] = XEN_PAGE_SIZE - 1;
	worst = x2m_g_frames_check(test, f, r, segs, OMX_ABI_REGION_SEGS_MAX,
				   aligns, ARRAY_SIZE(aligns));
	/* The region really is that bad: 510 pieces in its first frame */
	KUNIT_EXPECT_GE(test, worst, 510ULL + 3);

	big = kunit_kzalloc(test, 8 * XEN_PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	ops = x2m_g_stat(&c->copy_ops);
	calls = x2m_g_stat(&c->copy_calls);
	KUNIT_EXPECT_EQ(test, x2m_g_copy_locked(f, r, 0, big, X2M_G_R, false), 0);
	ops = x2m_g_stat(&c->copy_ops) - ops;
	calls = x2m_g_stat(&c->copy_calls) - calls;
	kunit_info(test, "worst frame: %llu copy operations; frame 0: %llu in %llu hypercalls\n",
		   worst, ops, calls);
	KUNIT_EXPECT_EQ(test, calls, DIV_ROUND_UP(ops, (u64)X2MBACK_GCOPY_BATCH));

	ops = x2m_g_stat(&c->copy_ops);
	KUNIT_EXPECT_EQ(test, x2m_g_copy_locked(f, r, 0, big, 8 * XEN_PAGE_SIZE,
						false), -E2BIG);
	KUNIT_EXPECT_EQ(test, x2m_g_stat(&c->copy_ops), ops);
}

/* A PULL_REPLY for frame @fr of pull @p, from the wire, as recv.c hands it */
static void x2m_g_reply(struct x2m_guest_fake *f, struct omx_pull *p,
			u32 fr, u32 total, const u8 *src)
{
	u32 off = fr * X2M_G_R;
	struct omx_wire_pkt pkt = {
		.ptype = OMX_WIRE_PTYPE_PULL_REPLY,
		.pull_reply = {
			.frame_seqnum = (u8)fr,
			.frame_length = (u16)min_t(u32, X2M_G_R, total - off),
			.msg_offset = off,
			.dst_pull_handle = p->slot << 22 | p->generation,
			.dst_magic = p->ep->pull_magic,
			.data = src + off,
		},
	};

	ether_addr_copy(pkt.hdr.src_mac, x2m_g_remote_mac);	/* the pulled peer */
	rcu_read_lock();
	local_bh_disable();
	omx_recv_pull_reply(f->be->board, &pkt);
	local_bh_enable();
	rcu_read_unlock();
}

/* The next event of guest endpoint @ep, consumed; NULL if none. */
static union omx_evt *x2m_g_event(struct omx_endpoint *ep)
{
	union omx_evt *e;

	if (ep->desc->eventq_cons == READ_ONCE(ep->desc->eventq_prod))
		return NULL;
	e = ep->mem + OMX_ABI_EVENTQ_OFFSET +
	    (ep->desc->eventq_cons % OMX_ABI_EVENTQ_SLOTS) * OMX_ABI_EVENT_SIZE;
	ep->desc->eventq_cons++;
	return e;
}

static void x2m_g_pull(struct x2m_guest_fake *f, u16 peer, u32 region,
		       u32 length)
{
	struct omx_cmd_pull c = {
		.peer_index = peer,
		.dest_endpoint = 2,
		.session = 0x1234,
		.length = length,
		.local_region = region,
		.remote_rdma_id = 9,
		.timeout_ms = 60000,
		.lib_cookie = 0xb0d9e7,
	};

	KUNIT_ASSERT_EQ(f->test, omx_pull_start(f->be->geps[0].ep, &c), 0);
}

/*
 * Past its copy budget a guest's frames are dropped before they count as
 * received, and counted; its pull completes once frames are admitted
 * again.  The default budget never drops a whole block of honest frames.
 */
static void x2m_guest_copy_budget_drops_frames_past_it(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct x2mback_counters *c = &f->be->stats;
	u32 total = 4 * X2M_G_R, block = 32 * X2M_G_R;
	struct omx_endpoint *ep;
	struct omx_pull *p;
	struct x2m_g_seg seg;
	union omx_evt *e;
	u32 i, remote;
	u64 length;
	u8 *src;

	src = kunit_kmalloc(test, block, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, src);
	for (i = 0; i < block; i++)
		src[i] = (u8)(i ^ (i >> 9));
	KUNIT_ASSERT_EQ(test, omx_peer_add(omx_mac_to_addr(x2m_g_remote_mac),
					   "remote:0", &remote), 0);
	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 0, U32_MAX), 0);
	ep = f->be->geps[0].ep;
	p = &ep->pulls[0];
	seg = (struct x2m_g_seg){ 0, block };
	KUNIT_ASSERT_EQ(test, x2m_g_segs_region(test, f, 1, true, &seg, 1,
						&length), 0);

	/* 100 ops/s: a burst of 2 ops, and time frozen: no refill */
	f->be->omx_cfg.copy_budget = 100;
	x2mback_copy_budget_reset(f->be);
	f->be->copy_bucket.stamp = jiffies + 3600 * HZ;
	x2m_g_pull(f, remote, 1, total);
	for (i = 0; i < 4; i++)
		x2m_g_reply(f, p, i, total, src);
	/* Frame 0 spent the budget (3 pages at least); 1..3 were dropped. */
	KUNIT_EXPECT_EQ(test, x2m_g_stat(&c->copy_budget_drops), 3ULL);
	KUNIT_EXPECT_TRUE(test, p->active);
	KUNIT_EXPECT_EQ(test, p->nblocks, 1U);
	KUNIT_EXPECT_EQ(test, p->blocks[0].received, 1ULL);
	KUNIT_EXPECT_NULL(test, x2m_g_event(ep));

	/* No limit: what the recovery asks again completes the pull. */
	f->be->omx_cfg.copy_budget = 0;
	for (i = 0; i < 4; i++)
		x2m_g_reply(f, p, i, total, src);
	e = x2m_g_event(ep);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->head.type, OMX_EVT_PULL_DONE);
	KUNIT_EXPECT_EQ(test, e->pull_done.status, (u32)OMX_ABI_PULL_SUCCESS);
	KUNIT_EXPECT_EQ(test, e->pull_done.pulled_length, total);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->board->counters.v[OMX_CNT_DROP_PULL_REPLY_DUPLICATE]), 1);
	for (i = 0; i < total; i++) {
		if (*x2m_g_user(i) != src[i]) {
			KUNIT_FAIL(test, "octet %u of the pull is wrong", i);
			break;
		}
	}
	KUNIT_EXPECT_EQ(test, x2m_g_stat(&c->copy_budget_drops), 3ULL);

	/* The default budget, fresh: a whole block (32 frames) goes through. */
	f->be->omx_cfg.copy_budget = X2MBACK_DEFAULT_COPY_BUDGET;
	x2mback_copy_budget_reset(f->be);
	x2m_g_pull(f, remote, 1, block);
	for (i = 0; i < 32; i++)
		x2m_g_reply(f, p, i, block, src);
	e = x2m_g_event(ep);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->pull_done.status, (u32)OMX_ABI_PULL_SUCCESS);
	KUNIT_EXPECT_EQ(test, x2m_g_stat(&c->copy_budget_drops), 3ULL);
}

static void x2m_guest_is_kicked_only_when_armed(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct omx_endpoint *ep;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 3, U32_MAX), 0);
	ep = f->be->geps[3].ep;
	spin_lock_bh(&ep->lock);
	KUNIT_ASSERT_NOT_NULL(test, omx_event_reserve(ep, false, NULL, NULL));
	omx_event_commit(ep, false);
	spin_unlock_bh(&ep->lock);
	KUNIT_EXPECT_EQ(test, f->notifies, 0U);

	ep->desc->armed = 1;	/* the frontend is about to sleep */
	spin_lock_bh(&ep->lock);
	KUNIT_ASSERT_NOT_NULL(test, omx_event_reserve(ep, false, NULL, NULL));
	omx_event_commit(ep, false);
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
		.first = OMX_CNT_SHARED_TINY,
		.count = 1,
	};
	struct xen2mx_response rsp;
	u32 v;

	omx_count(NULL, OMX_CNT_SHARED_TINY);	/* someone else's */
	omx_count_shared(f->parent, OMX_CNT_SHARED_TINY);
	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), 0);
	memcpy(&v, rsp.payload, sizeof(v));
	KUNIT_EXPECT_EQ(test, v, 0U);
	omx_count_shared(f->be->board, OMX_CNT_SHARED_TINY);
	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &c, sizeof(c),
					&rsp), 0);
	memcpy(&v, rsp.payload, sizeof(v));
	KUNIT_EXPECT_EQ(test, v, 1U);
}

/* GET_COUNTERS @c (3 values) from the guest; its answer into @v. */
static void x2m_g_counters3(struct kunit *test, struct x2m_guest_fake *f,
			    const struct xen2mx_omx_counters *c, u32 v[3])
{
	struct xen2mx_response rsp;

	KUNIT_ASSERT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, c, sizeof(*c),
					&rsp), 0);
	KUNIT_EXPECT_EQ(test, rsp.len, 3 * sizeof(u32));
	memcpy(v, rsp.payload, 3 * sizeof(u32));
}

/*
 * The answer is the @count values asked for, whatever the counters hold:
 * here the first two (SEND_TINY, SEND_SMALL) sit where the request's
 * first/count fields would be if the answer overwrote the request.
 */
static void x2m_guest_counters_answer_what_was_asked(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct xen2mx_omx_counters c = { .board_index = 0, .first = 5, .count = 3 };
	u32 v[3];
	int i;

	atomic_set(&f->be->board->counters.v[0], 200);
	atomic_set(&f->be->board->counters.v[1], 100);
	for (i = 0; i < 3; i++)
		atomic_set(&f->be->board->counters.v[5 + i], 1000 + i);
	x2m_g_counters3(test, f, &c, v);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, v[i], 1000U + i);
	/* And its shared board's, not its own board's, with the same fields */
	c.board_index = OMX_ABI_SHARED_BOARD;
	x2m_g_counters3(test, f, &c, v);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, v[i], 0U);
}

/*
 * A board detached under a guest's endpoint tells the guest at once; that
 * kick must happen where disconnect's grace period can wait for it, or it
 * may hit an event channel already unbound.
 */
static void x2m_guest_kick_for_a_dying_board_is_an_rcu_reader(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct omx_endpoint *ep;

	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 1, U32_MAX), 0);
	ep = f->be->geps[1].ep;
	mutex_lock(&omx_engine_mutex);
	omx_endpoints_kill_iface(f->be->board, "detached");
	mutex_unlock(&omx_engine_mutex);
	KUNIT_EXPECT_TRUE(test, ep->desc->status & OMX_ABI_DESC_STATUS_IFACE_GONE);
	KUNIT_EXPECT_EQ(test, f->notifies, 1U);
	KUNIT_EXPECT_EQ(test, f->notifies_outside_rcu, 0U);
}

/*
 * Mapping and closing an endpoint are charged to the device's credit as
 * they happen; an open refused before anything is mapped costs nothing
 * heavy, so a guest hammering bad requests is not slowed for what it did
 * not get, and one opening and closing for real runs into debt.
 */
static void x2m_guest_endpoints_are_charged_when_mapped_or_closed(struct kunit *test)
{
	struct x2m_guest_fake *f = test->priv;
	struct xen2mx_omx_open o = {
		.endpoint_index = 1, .dir_ref = X2M_G_DIR_REF, .nr_pages = 1,
	};
	struct xen2mx_response rsp;
	u8 junk[8] = { 0 };
	s64 before;

	x2mback_credit_init(f->be);
	before = f->be->credit;
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, _IOC_NR(OMX_CMD_OPEN_ENDPOINT),
					1, &o, sizeof(o), &rsp), -EINVAL);
	KUNIT_EXPECT_EQ(test, f->be->credit, before);
	KUNIT_ASSERT_EQ(test, x2m_g_open(f, 1, U32_MAX), 0);
	KUNIT_EXPECT_EQ(test, f->be->credit, before - X2MBACK_COST_DIR_PAGE -
			X2MBACK_COST_ENDPOINT);
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, XEN2MX_OMXC_CLOSE_ENDPOINT, 1,
					junk, 0, &rsp), 0);
	KUNIT_EXPECT_EQ(test, f->be->credit, before - X2MBACK_COST_DIR_PAGE -
			2 * X2MBACK_COST_ENDPOINT);
	/* A close of nothing */
	KUNIT_EXPECT_EQ(test, x2m_g_req(f->be, XEN2MX_OMXC_CLOSE_ENDPOINT, 1,
					junk, 0, &rsp), -EBADF);
	KUNIT_EXPECT_EQ(test, f->be->credit, before - X2MBACK_COST_DIR_PAGE -
			2 * X2MBACK_COST_ENDPOINT);
}

static struct kunit_case x2m_guest_cases[] = {
	KUNIT_CASE(x2m_guest_endpoints_are_charged_when_mapped_or_closed),
	KUNIT_CASE(x2m_guest_kick_for_a_dying_board_is_an_rcu_reader),
	KUNIT_CASE(x2m_guest_shared_counters_are_its_own),
	KUNIT_CASE(x2m_guest_counters_answer_what_was_asked),
	KUNIT_CASE(x2m_guest_endpoint_lives_in_guest_pages),
	KUNIT_CASE(x2m_guest_refused_grant_maps_nothing),
	KUNIT_CASE(x2m_guest_malformed_requests_are_refused),
	KUNIT_CASE(x2m_guest_sees_one_board_of_its_own),
	KUNIT_CASE(x2m_guest_region_moves_by_grant_copy),
	KUNIT_CASE(x2m_guest_bad_regions_are_forgotten),
	KUNIT_CASE(x2m_guest_region_of_one_octet_pieces_is_refused),
	KUNIT_CASE(x2m_guest_honest_regions_are_admitted),
	KUNIT_CASE(x2m_guest_worst_admitted_frame_costs_at_most_517_ops),
	KUNIT_CASE(x2m_guest_copy_budget_drops_frames_past_it),
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
