// SPDX-License-Identifier: GPL-2.0-only
/*
 * attacks.c - what a hostile guest can do to the backend, one word each.
 *
 * Every attack reports the backend's status for each request it sent, in
 * order, on the "result:" line (rogue.c), then what else it observed.  All
 * but "overflow" must leave the device connected and answering, and all
 * but "scribble" (which "scribble-end" finishes) leave nothing open: what
 * the backend still holds afterwards is a leak.  The statuses expected of
 * the backend are in the comments (xen2mx_proto.h, doc/ring-protocol.md);
 * tests/scenarios/guest-hostile.sh checks them.
 */
#include "rogue.h"
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <xen/events.h>

#define R(x)		x2mrogue_result(x)
#define NO_EP		XEN2MX_OMX_NO_ENDPOINT
#define EP_PAGES	X2MFRONT_EP_PAGES
#define ENDPOINTS	8	/* the backend's default max-endpoints */
#define HUGE_REF	0xfffffff0u
#define UNUSED_REF	7u	/* reserved by Xen, never granted */
#define OTHER_DOMID	32000	/* a domain that is not the backend's */
#define PULL_WAIT_MS	10000

static domid_t x2mrogue_domid(struct x2mfront_device *fe)
{
	return fe->dev->otherend_id;
}

/* Lengths that do not match their command (-EINVAL) or the slot (ST_EINVAL). */
static void x2mrogue_badlen(struct x2mfront_device *fe)
{
	struct xen2mx_omx_counters counters = { .count = 0x40000001 };
	u8 zero[XEN2MX_INLINE_MAX] = { 0 };

	/* GET_INFO takes no argument: 4 octets too many -> -22 */
	R(x2mrogue_omx_len(fe, _IOC_NR(OMX_CMD_GET_INFO), NO_EP, zero, 4,
			   XEN2MX_OMX_HDR_SIZE + 4, NULL, 0));
	/* OPEN_ENDPOINT one octet short -> -22 */
	R(x2mrogue_omx_len(fe, _IOC_NR(OMX_CMD_OPEN_ENDPOINT), 0, zero, 15,
			   XEN2MX_OMX_HDR_SIZE + 15, NULL, 0));
	/* REGION_PIECES 100 octets instead of 168 -> -22 */
	R(x2mrogue_omx_len(fe, XEN2MX_OMXC_REGION_PIECES, 0, zero, 100,
			   XEN2MX_OMX_HDR_SIZE + 100, NULL, 0));
	/* shorter than the OMX header, longer than a slot, 0xffff -> -22 */
	R(x2mrogue_omx_len(fe, _IOC_NR(OMX_CMD_GET_INFO), NO_EP, NULL, 0, 4,
			   NULL, 0));
	R(x2mrogue_omx_len(fe, _IOC_NR(OMX_CMD_GET_INFO), NO_EP, NULL, 0,
			   XEN2MX_INLINE_MAX + 1, NULL, 0));
	R(x2mrogue_omx_len(fe, _IOC_NR(OMX_CMD_GET_INFO), NO_EP, NULL, 0,
			   0xffff, NULL, 0));
	/* GET_COUNTERS whose answer length (count x 4) wraps to 4 -> -22 */
	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_GET_COUNTERS), NO_EP, &counters,
		       sizeof(counters), NULL, 0));
	/* ECHO longer than a slot, STATS with a payload -> XEN2MX_ST_EINVAL */
	R(x2mrogue_req(fe, XEN2MX_OP_ECHO, 0, XEN2MX_INLINE_MAX + 1, zero,
		       sizeof(zero), NULL));
	R(x2mrogue_req(fe, XEN2MX_OP_STATS, 0, 8, zero, sizeof(zero), NULL));
}

/* Ops nobody defined -> XEN2MX_ST_ENOSYS (-2), whatever their length. */
static void x2mrogue_unknown_op(struct x2mfront_device *fe)
{
	static const u8 ops[] = { 99, 0, 4, 255 };
	u8 zero[XEN2MX_INLINE_MAX] = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		R(x2mrogue_req(fe, ops[i], 0, 0, NULL, 0, NULL));
	R(x2mrogue_req(fe, 99, 0xff, 0xffff, zero, sizeof(zero), NULL));
}

/* OMX commands nobody defined, or that never reach the ring -> -38 */
static void x2mrogue_unknown_cmd(struct x2mfront_device *fe)
{
	static const u32 cmds[] = {
		0x7f, 0x00, 0x0d,
		_IOC_NR(OMX_CMD_WAIT_EVENT), _IOC_NR(OMX_CMD_RAW_OPEN),
		0x82, 0xffffffff,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		R(x2mrogue_omx(fe, cmds[i], NO_EP, NULL, 0, NULL, 0));
}

/* Endpoint fields out of range (-22) or naming no open endpoint (-9). */
static void x2mrogue_bad_endpoint(struct x2mfront_device *fe)
{
	struct omx_cmd_send_tiny tiny = { .length = 1 };
	struct xen2mx_omx_open open = {
		.endpoint_index = ENDPOINTS,
		.dir_ref = UNUSED_REF,
		.nr_pages = EP_PAGES,
	};
	struct xen2mx_omx_hdr hdr = {
		.cmd = _IOC_NR(OMX_CMD_GET_INFO),
		.endpoint = NO_EP,
		.reserved = 1,
	};

	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_SEND_TINY), 3, &tiny, sizeof(tiny),
		       NULL, 0));				/* -9 */
	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_SEND_TINY), ENDPOINTS, &tiny,
		       sizeof(tiny), NULL, 0));			/* -22 */
	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_SEND_TINY), NO_EP, &tiny,
		       sizeof(tiny), NULL, 0));			/* -22 */
	R(x2mrogue_omx(fe, XEN2MX_OMXC_CLOSE_ENDPOINT, 5, NULL, 0, NULL, 0));
								/* -9 */
	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_OPEN_ENDPOINT), ENDPOINTS, &open,
		       sizeof(open), NULL, 0));			/* -22 */
	open.endpoint_index = 3;				/* header says 2 */
	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_OPEN_ENDPOINT), 2, &open,
		       sizeof(open), NULL, 0));			/* -22 */
	R(x2mrogue_omx(fe, _IOC_NR(OMX_CMD_GET_INFO), 0, NULL, 0, NULL, 0));
								/* -22 */
	R(x2mrogue_req(fe, XEN2MX_OP_OMX, 0, sizeof(hdr), &hdr, sizeof(hdr),
		       NULL));					/* -22 */
	hdr.reserved = 0;					/* flags set: -22 */
	R(x2mrogue_req(fe, XEN2MX_OP_OMX, 1, sizeof(hdr), &hdr, sizeof(hdr),
		       NULL));
}

/* OPEN_ENDPOINT with @dir_ref as the directory: the status. */
static s32 x2mrogue_open_dir(struct x2mfront_device *fe, u16 index,
			     grant_ref_t dir_ref, u32 nr_pages)
{
	struct xen2mx_omx_open open = {
		.endpoint_index = index,
		.dir_ref = dir_ref,
		.nr_pages = nr_pages,
	};

	return x2mrogue_omx(fe, _IOC_NR(OMX_CMD_OPEN_ENDPOINT), index, &open,
			    sizeof(open), NULL, 0);
}

/* OPEN_ENDPOINT with a directory of @words, granted by us. */
static s32 x2mrogue_open_words(struct x2mfront_device *fe, u16 index,
			       const u32 *words)
{
	grant_ref_t ref;
	struct page *dir = x2mrogue_dir_alloc(x2mrogue_domid(fe), words,
					      EP_PAGES, &ref);
	s32 status;

	if (!dir)
		return -ENOMEM;
	status = x2mrogue_open_dir(fe, index, ref, EP_PAGES);
	x2mrogue_dir_free(dir, ref);
	return status;
}

/*
 * A proper open of @index (0), the same open again (-16: it is open), a
 * close (0); how many pages dom0 still uses afterwards.
 */
static unsigned int x2mrogue_open_close(struct x2mfront_device *fe, u16 index)
{
	struct x2mrogue_ep *ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), index);

	if (!ep) {
		R(-ENOMEM);
		return 0;
	}
	R(x2mrogue_ep_open(fe, ep));
	R(x2mrogue_ep_open(fe, ep));
	R(x2mrogue_ep_close(fe, ep));
	return x2mrogue_ep_free(ep);
}

/*
 * Directories the backend cannot read: a reference we reserved but never
 * granted, one Xen reserves, references beyond any table, a page granted
 * to another domain (-14 each: the hypervisor refuses the copy), and 0
 * (-22).  Then the index opens (0), not twice (-16), and closes (0).
 */
static void x2mrogue_foreign_dir(struct x2mfront_device *fe)
{
	struct x2mrogue_ep *ep;
	grant_ref_t head, unused;
	unsigned int mapped;
	struct page *dir;
	int ref;

	if (gnttab_alloc_grant_references(1, &head)) {
		R(-ENOMEM);
		return;
	}
	unused = gnttab_claim_grant_reference(&head);
	R(x2mrogue_open_dir(fe, 0, unused, EP_PAGES));
	gnttab_free_grant_reference(unused);
	R(x2mrogue_open_dir(fe, 0, UNUSED_REF, EP_PAGES));
	R(x2mrogue_open_dir(fe, 0, 0x0fffffff, EP_PAGES));
	R(x2mrogue_open_dir(fe, 0, 0xffffffff, EP_PAGES));

	/* A real directory of real pages, but granted to someone else */
	ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), 0);
	dir = ep ? alloc_page(GFP_KERNEL | __GFP_ZERO) : NULL;
	if (dir) {
		memcpy(page_address(dir), ep->refs, EP_PAGES * sizeof(u32));
		ref = gnttab_grant_foreign_access(OTHER_DOMID,
						  xen_page_to_gfn(dir), 1);
		if (ref >= 0) {
			R(x2mrogue_open_dir(fe, 0, ref, EP_PAGES));
			x2mrogue_dir_free(dir, ref);
		} else {
			R(ref);
			__free_page(dir);
		}
	} else {
		R(-ENOMEM);
	}
	mapped = x2mrogue_ep_free(ep);

	R(x2mrogue_open_dir(fe, 0, 0, EP_PAGES));		/* -22 */
	mapped += x2mrogue_open_close(fe, 0);
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

/*
 * Directories naming pages the backend may not map: Xen's reserved 7,
 * references beyond any table, 784 good pages and a bad last one (the
 * backend maps the 784, then must unmap them), pages granted to another
 * domain, pages granted read-only, one good page named 785 times (Xen stops pinning one grant
 * long before that): -14 each.  Then the index opens (0), not twice
 * (-16), and closes (0).
 */
static void x2mrogue_foreign_pages(struct x2mfront_device *fe)
{
	struct x2mrogue_ep *ep, *other;
	struct x2mrogue_region *ro;
	unsigned int i, mapped = 0;
	u32 *words;

	words = kcalloc(EP_PAGES, sizeof(*words), GFP_KERNEL);
	ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), 0);
	other = x2mrogue_ep_alloc(OTHER_DOMID, 0);
	/* As many pages, granted to the backend read-only */
	ro = x2mrogue_region_alloc(x2mrogue_domid(fe), 0, false, EP_PAGES);
	if (!words || !ep || !other || !ro) {
		R(-ENOMEM);
		goto out;
	}
	for (i = 0; i < EP_PAGES; i++)
		words[i] = UNUSED_REF;
	R(x2mrogue_open_words(fe, 0, words));
	for (i = 0; i < EP_PAGES; i++)
		words[i] = HUGE_REF - i;
	R(x2mrogue_open_words(fe, 0, words));
	memcpy(words, ep->refs, EP_PAGES * sizeof(u32));
	words[EP_PAGES - 1] = HUGE_REF;
	R(x2mrogue_open_words(fe, 0, words));
	R(x2mrogue_open_words(fe, 0, other->refs));
	R(x2mrogue_open_words(fe, 0, ro->refs));
	for (i = 0; i < EP_PAGES; i++)
		words[i] = ep->refs[0];
	R(x2mrogue_open_words(fe, 0, words));
	mapped += x2mrogue_open_close(fe, 0);
out:
	mapped += x2mrogue_ep_free(ep);
	mapped += x2mrogue_ep_free(other);
	mapped += x2mrogue_region_free(ro);
	kfree(words);
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

/*
 * Pieces the backend must refuse (-22: out of their page, empty, more
 * than announced, out of order, a region never created; -14: a directory
 * it cannot read; -28: more pieces than max-grants), regions it must
 * refuse (-22), and pieces naming references we never granted, which it
 * accepts (the hypervisor checks them at copy time): a pull into that
 * region ends aborted (PULL_DONE status 6), as one into a receive region
 * whose pages are granted read-only.  A region that went wrong is
 * forgotten whole (DESTROY_REGION -2); one half built when the endpoint
 * closes goes with it.
 */
static void x2mrogue_bad_pieces(struct x2mfront_device *fe)
{
	struct x2mrogue_region *good = NULL, *src = NULL;
	struct xen2mx_omx_piece p[2];
	struct xen2mx_omx_pieces bad_dir = {
		.id = 3, .nr_pieces = 1, .dir_refs = { UNUSED_REF },
	};
	struct x2mrogue_ep *ep;
	unsigned int mapped = 0;
	int done[2] = { -1, -1 };

	ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), 0);
	if (ep) {
		good = x2mrogue_region_alloc(x2mrogue_domid(fe), 0, true, 2);
		src = x2mrogue_region_alloc(x2mrogue_domid(fe), 5, false, 2);
	}
	if (!ep || !good || !src) {
		R(-ENOMEM);
		goto out;
	}
	R(x2mrogue_ep_open(fe, ep));				/* 0 */

	/* A piece beyond its page; then the region is gone. */
	R(x2mrogue_region_create(fe, ep, 1, true, 2, 2 * XEN_PAGE_SIZE));
	p[0] = (struct xen2mx_omx_piece){ good->refs[0], 0, XEN_PAGE_SIZE };
	p[1] = (struct xen2mx_omx_piece){ good->refs[1], 4000, 200 };
	R(x2mrogue_region_pieces(fe, ep, 1, 0, p, 2));		/* -22 */
	p[1] = (struct xen2mx_omx_piece){ good->refs[1], 0, XEN_PAGE_SIZE };
	R(x2mrogue_region_pieces(fe, ep, 1, 0, p, 2));		/* -22 */

	/* An empty piece */
	R(x2mrogue_region_create(fe, ep, 2, true, 1, XEN_PAGE_SIZE));
	p[0].len = 0;
	R(x2mrogue_region_pieces(fe, ep, 2, 0, p, 1));		/* -22 */
	p[0].len = XEN_PAGE_SIZE;

	/* A directory we never granted */
	R(x2mrogue_region_create(fe, ep, 3, true, 1, XEN_PAGE_SIZE));
	R(x2mrogue_omx(fe, XEN2MX_OMXC_REGION_PIECES, ep->index, &bad_dir,
		       sizeof(bad_dir), NULL, 0));		/* -14 */

	/* Pieces in pages we never granted: accepted, then a pull fails */
	R(x2mrogue_region_create(fe, ep, 4, true, 2, 2 * XEN_PAGE_SIZE));
	p[0] = (struct xen2mx_omx_piece){ UNUSED_REF, 0, XEN_PAGE_SIZE };
	p[1] = (struct xen2mx_omx_piece){ HUGE_REF, 0, XEN_PAGE_SIZE };
	R(x2mrogue_region_pieces(fe, ep, 4, 0, p, 2));		/* 0 */
	R(x2mrogue_region_send(fe, ep, src));			/* 0 */
	R(x2mrogue_pull(fe, ep, 5, 4, 2 * XEN_PAGE_SIZE, PULL_WAIT_MS,
			0xbad4));				/* 0 */
	done[0] = x2mrogue_pull_done(ep, 0xbad4, PULL_WAIT_MS + 2000);
	/* A receive region in pages granted read-only: the same */
	R(x2mrogue_region_create(fe, ep, 12, true, 2, 2 * XEN_PAGE_SIZE));
	p[0] = (struct xen2mx_omx_piece){ src->refs[0], 0, XEN_PAGE_SIZE };
	p[1] = (struct xen2mx_omx_piece){ src->refs[1], 0, XEN_PAGE_SIZE };
	R(x2mrogue_region_pieces(fe, ep, 12, 0, p, 2));		/* 0 0 */
	R(x2mrogue_pull(fe, ep, 5, 12, 2 * XEN_PAGE_SIZE, PULL_WAIT_MS,
			0xbad12));				/* 0 */
	done[1] = x2mrogue_pull_done(ep, 0xbad12, PULL_WAIT_MS + 2000);
	R(x2mrogue_region_destroy(fe, ep, 4));			/* 0 */
	R(x2mrogue_region_destroy(fe, ep, 5));			/* 0 */
	R(x2mrogue_region_destroy(fe, ep, 12));			/* 0 */

	/* Regions out of range: length, id, writable, no length */
	R(x2mrogue_region_create(fe, ep, 6, true, 1, 2 * XEN_PAGE_SIZE));
	R(x2mrogue_region_create(fe, ep, OMX_ABI_REGION_MAX + 44, true, 1,
				 XEN_PAGE_SIZE));
	R(x2mrogue_region_create(fe, ep, 6, 2, 1, XEN_PAGE_SIZE));
	R(x2mrogue_region_create(fe, ep, 6, true, 2, 0));	/* -22 x4 */

	/* Pieces out of order: the region is forgotten */
	R(x2mrogue_region_create(fe, ep, 7, true, 2, 2 * XEN_PAGE_SIZE));
	p[0] = (struct xen2mx_omx_piece){ good->refs[0], 0, XEN_PAGE_SIZE };
	R(x2mrogue_region_pieces(fe, ep, 7, 1, p, 1));		/* -22 */
	R(x2mrogue_region_destroy(fe, ep, 7));			/* -2 */

	/* Beyond max-grants */
	R(x2mrogue_region_create(fe, ep, 8, true, 0x7fffffff,
				 XEN_PAGE_SIZE));		/* -28 */
	/* Pieces of a region never created */
	R(x2mrogue_region_pieces(fe, ep, 9, 0, p, 1));		/* -22 */
	/* More pieces than announced */
	R(x2mrogue_region_create(fe, ep, 10, true, 1, XEN_PAGE_SIZE));
	p[1] = (struct xen2mx_omx_piece){ good->refs[1], 0, XEN_PAGE_SIZE };
	R(x2mrogue_region_pieces(fe, ep, 10, 0, p, 2));		/* -22 */
	/* The first one went wrong, so it is gone too */
	R(x2mrogue_region_destroy(fe, ep, 1));			/* -2 */
	/* Half built when the endpoint closes: the close drops it */
	R(x2mrogue_region_create(fe, ep, 11, true, 2, 2 * XEN_PAGE_SIZE));
	R(x2mrogue_region_pieces(fe, ep, 11, 0, p, 1));		/* 0 0 */
	R(x2mrogue_ep_close(fe, ep));				/* 0 */
out:
	x2mrogue_printf("pull_done: %d %d\n", done[0], done[1]);
	mapped += x2mrogue_region_free(good);
	mapped += x2mrogue_region_free(src);
	mapped += x2mrogue_ep_free(ep);
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

static void x2mrogue_fill(struct x2mrogue_region *r, u8 seed)
{
	unsigned int i, j;

	for (i = 0; i < r->nr; i++) {
		u8 *va = page_address(r->pages[i]);

		for (j = 0; j < PAGE_SIZE; j++)
			va[j] = seed + i * 7 + j * 13;
	}
}

/*
 * Regions whose pages we take back before the backend copies: a pull
 * into a revoked page ends aborted (6), a pull from one times out (1: the
 * backend cannot answer it), the same pull between good pages succeeds
 * (0, data checked).  Then a 2 MiB pull whose destination we revoke from
 * its end while it runs: 0 or 6, whichever wins, but an end either way.
 * Last, a 2 MiB pull and at once CLOSE_ENDPOINT, which must stop it: once
 * the close is answered, no page of ours is in use any more.
 */
#define X2MROGUE_BIG	512	/* pages: 2 MiB, one directory page */

static void x2mrogue_region_then_pull(struct x2mfront_device *fe)
{
	enum {
		SRC = 1, DST_REVOKED, SRC_REVOKED, DST, BIG_DST, BIG_SRC,
		BIG_DST2, NR
	};
	static const unsigned int pages[NR] = {
		[SRC] = 1, [DST_REVOKED] = 1, [SRC_REVOKED] = 1, [DST] = 1,
		[BIG_DST] = X2MROGUE_BIG, [BIG_SRC] = X2MROGUE_BIG,
		[BIG_DST2] = X2MROGUE_BIG,
	};
	struct x2mrogue_region *r[NR] = { NULL };
	int done[3] = { -1, -1, -1 }, race = -1;
	unsigned int i, revoked = 0, mapped = 0;
	struct x2mrogue_ep *ep;
	bool data_ok = false;

	ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), 0);
	for (i = SRC; ep && i < NR; i++) {
		r[i] = x2mrogue_region_alloc(x2mrogue_domid(fe), i,
					     i != SRC && i != SRC_REVOKED &&
					     i != BIG_SRC, pages[i]);
		if (!r[i])
			break;
	}
	if (!ep || i < NR) {
		R(-ENOMEM);
		goto out;
	}
	x2mrogue_fill(r[SRC], 0x11);
	x2mrogue_fill(r[SRC_REVOKED], 0x22);
	x2mrogue_fill(r[BIG_SRC], 0x33);
	R(x2mrogue_ep_open(fe, ep));
	/* Every grant is made before any is taken back: none is reused. */
	for (i = SRC; i < NR; i++)
		R(x2mrogue_region_send(fe, ep, r[i]));
	if (!x2mrogue_region_revoke(r[DST_REVOKED], 0) ||
	    !x2mrogue_region_revoke(r[SRC_REVOKED], 0))
		x2mrogue_printf("revoking: the backend keeps the pages in use\n");

	R(x2mrogue_pull(fe, ep, SRC, DST_REVOKED, XEN_PAGE_SIZE, PULL_WAIT_MS, 1));
	done[0] = x2mrogue_pull_done(ep, 1, PULL_WAIT_MS + 2000);
	R(x2mrogue_pull(fe, ep, SRC_REVOKED, DST, XEN_PAGE_SIZE, 1000, 2));
	done[1] = x2mrogue_pull_done(ep, 2, PULL_WAIT_MS);
	R(x2mrogue_pull(fe, ep, SRC, DST, XEN_PAGE_SIZE, PULL_WAIT_MS, 3));
	done[2] = x2mrogue_pull_done(ep, 3, PULL_WAIT_MS + 2000);
	data_ok = !memcmp(page_address(r[SRC]->pages[0]),
			  page_address(r[DST]->pages[0]), PAGE_SIZE);

	/* The last pages are written last: take them back first. */
	R(x2mrogue_pull(fe, ep, BIG_SRC, BIG_DST, X2MROGUE_BIG * XEN_PAGE_SIZE,
			PULL_WAIT_MS, 4));
	for (i = X2MROGUE_BIG; i-- > 0;)
		revoked += x2mrogue_region_revoke(r[BIG_DST], i);
	race = x2mrogue_pull_done(ep, 4, PULL_WAIT_MS + 2000);
	for (i = SRC; i <= BIG_DST; i++)
		R(x2mrogue_region_destroy(fe, ep, i));

	/* Closed under a running pull; the close drops the regions left. */
	R(x2mrogue_pull(fe, ep, BIG_SRC, BIG_DST2, X2MROGUE_BIG * XEN_PAGE_SIZE,
			PULL_WAIT_MS, 5));
	R(x2mrogue_ep_close(fe, ep));
out:
	x2mrogue_printf("pull_done: %d %d %d\n", done[0], done[1], done[2]);
	x2mrogue_printf("data: %s\n", data_ok ? "ok" : "wrong");
	x2mrogue_printf("race: %d (%u of %u pages revoked before PULL_DONE)\n",
			race, revoked, X2MROGUE_BIG);
	for (i = SRC; i < NR; i++)
		mapped += x2mrogue_region_free(r[i]);
	mapped += x2mrogue_ep_free(ep);
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

/*
 * tiny-pieces: regions whose pieces would make one frame cost dom0 a copy
 * operation per octet (issue 9, item 2).  A region of 8968 one-octet
 * pieces is refused at its first directory (-22) and forgotten (DESTROY
 * -2); 257 one-octet pieces, one break more than 256 user segments give,
 * are refused too (-22).  The worst region the backend admits, 255
 * two-octet segments each across a page boundary and then 9 whole pages
 * (519 pieces), is accepted; a pull of its first frame (all 510 small
 * pieces) into a plain region delivers every octet (pull_done 0), at a
 * cost to dom0 of at most 517 copy operations in 9 hypercalls to read it
 * and 7 in one to write it (the scenario reads dom0's counters).
 */
#define X2MROGUE_TINY_SEGS	255	/* two-octet segments */
#define X2MROGUE_TINY_BIG	9	/* then whole pages */
#define X2MROGUE_TINY_PAGES	(X2MROGUE_TINY_SEGS + 1 + X2MROGUE_TINY_BIG)
#define X2MROGUE_TINY_PIECES	(2 * X2MROGUE_TINY_SEGS + X2MROGUE_TINY_BIG)
#define X2MROGUE_TINY_LEN	(2 * X2MROGUE_TINY_SEGS + \
				 X2MROGUE_TINY_BIG * XEN_PAGE_SIZE)
#define X2MROGUE_FRAME		8968	/* a PULL_REPLY's payload, MTU 9000 */

static void x2mrogue_tiny_pieces(struct x2mfront_device *fe)
{
	struct x2mrogue_region *src = NULL, *dst = NULL;
	struct xen2mx_omx_piece *p = NULL;
	struct x2mrogue_ep *ep;
	unsigned int i, k, mapped = 0;
	bool data_ok = false;
	int done = -1;
	u8 *want = NULL;

	ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), 0);
	if (ep) {
		src = x2mrogue_region_alloc(x2mrogue_domid(fe), 3, false,
					    X2MROGUE_TINY_PAGES);
		dst = x2mrogue_region_alloc(x2mrogue_domid(fe), 4, true,
					    DIV_ROUND_UP(X2MROGUE_TINY_LEN,
							 XEN_PAGE_SIZE));
		p = kcalloc(X2MROGUE_TINY_PIECES, sizeof(*p), GFP_KERNEL);
		want = kmalloc(X2MROGUE_TINY_LEN, GFP_KERNEL);
	}
	if (!ep || !src || !dst || !p || !want) {
		R(-ENOMEM);
		goto out;
	}
	x2mrogue_fill(src, 0x44);
	R(x2mrogue_ep_open(fe, ep));				/* 0 */

	/* One octet per piece, a frame's worth: refused, forgotten */
	for (i = 0; i < XEN2MX_OMX_PIECES_PER_PAGE; i++)
		p[i] = (struct xen2mx_omx_piece){ src->refs[0], i, 1 };
	R(x2mrogue_region_create(fe, ep, 1, true, X2MROGUE_FRAME,
				 X2MROGUE_FRAME));		/* 0 */
	R(x2mrogue_region_pieces(fe, ep, 1, 0, p,
				 XEN2MX_OMX_PIECES_PER_PAGE));	/* -22 */
	R(x2mrogue_region_destroy(fe, ep, 1));			/* -2 */
	/* 257 one-octet pieces: 256 breaks */
	R(x2mrogue_region_create(fe, ep, 2, true, OMX_ABI_REGION_SEGS_MAX + 1,
				 OMX_ABI_REGION_SEGS_MAX + 1));	/* 0 */
	R(x2mrogue_region_pieces(fe, ep, 2, 0, p,
				 OMX_ABI_REGION_SEGS_MAX + 1));	/* -22 */

	/* The worst admitted: segment k is octet 4095 of page k, 0 of k + 1 */
	for (k = 0; k < X2MROGUE_TINY_SEGS; k++) {
		p[2 * k] = (struct xen2mx_omx_piece){ src->refs[k],
						      XEN_PAGE_SIZE - 1, 1 };
		p[2 * k + 1] = (struct xen2mx_omx_piece){ src->refs[k + 1], 0, 1 };
		want[2 * k] = ((u8 *)page_address(src->pages[k]))[XEN_PAGE_SIZE - 1];
		want[2 * k + 1] = ((u8 *)page_address(src->pages[k + 1]))[0];
	}
	for (i = 0; i < X2MROGUE_TINY_BIG; i++) {
		p[2 * k + i] = (struct xen2mx_omx_piece){ src->refs[k + 1 + i],
							  0, XEN_PAGE_SIZE };
		memcpy(want + 2 * k + i * XEN_PAGE_SIZE,
		       page_address(src->pages[k + 1 + i]), XEN_PAGE_SIZE);
	}
	R(x2mrogue_region_create(fe, ep, 3, false, X2MROGUE_TINY_PIECES,
				 X2MROGUE_TINY_LEN));		/* 0 */
	R(x2mrogue_region_pieces(fe, ep, 3, 0, p,
				 XEN2MX_OMX_PIECES_PER_PAGE));	/* 0 */
	R(x2mrogue_region_pieces(fe, ep, 3, XEN2MX_OMX_PIECES_PER_PAGE,
				 p + XEN2MX_OMX_PIECES_PER_PAGE,
				 X2MROGUE_TINY_PIECES -
				 XEN2MX_OMX_PIECES_PER_PAGE));	/* 0 */
	R(x2mrogue_region_send(fe, ep, dst));			/* 0 */
	R(x2mrogue_pull(fe, ep, 3, 4, X2MROGUE_FRAME, PULL_WAIT_MS,
			0x7194));				/* 0 */
	done = x2mrogue_pull_done(ep, 0x7194, PULL_WAIT_MS + 2000);
	for (i = 0, data_ok = true; i < X2MROGUE_FRAME && data_ok; i++)
		data_ok = ((u8 *)page_address(dst->pages[i / XEN_PAGE_SIZE]))
			  [i % XEN_PAGE_SIZE] == want[i];
	R(x2mrogue_region_destroy(fe, ep, 3));			/* 0 */
	R(x2mrogue_region_destroy(fe, ep, 4));			/* 0 */
	R(x2mrogue_ep_close(fe, ep));				/* 0 */
out:
	x2mrogue_printf("pull_done: %d\n", done);
	x2mrogue_printf("data: %s\n", data_ok ? "ok" : "wrong");
	kfree(p);
	kfree(want);
	mapped += x2mrogue_region_free(src);
	mapped += x2mrogue_region_free(dst);
	mapped += x2mrogue_ep_free(ep);
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

/* ------------------------------------------------------------------------
 * scribble, scribble-end: endpoint 0's consumer indexes rewritten with
 * absurd values, over and over, while others send to it.  The backend
 * reads them only as "how full": endpoint 0 must starve (no event), and
 * only it; endpoint 1 of the same guest is served meanwhile.
 */
static struct x2mrogue_ep *x2mrogue_scr_ep[2];
static struct task_struct *x2mrogue_scr_task;
static u32 x2mrogue_scr_prod, x2mrogue_scr_rprod;
static unsigned long x2mrogue_scr_count;

/* Values the queue can only read as full: prod - cons >= the queue size. */
static void x2mrogue_scribble_once(struct omx_abi_desc *d, unsigned long i)
{
	u32 r = get_random_u32() & 0x7fffffff;

	if (i & 1) {
		WRITE_ONCE(d->eventq_cons, x2mrogue_scr_prod + 1 + r);
		WRITE_ONCE(d->recvq_cons, x2mrogue_scr_rprod + 1 + r);
	} else {
		WRITE_ONCE(d->eventq_cons,
			   x2mrogue_scr_prod - OMX_ABI_EVENTQ_SLOTS - r);
		WRITE_ONCE(d->recvq_cons,
			   x2mrogue_scr_rprod - OMX_ABI_RECVQ_SLOTS - r);
	}
	WRITE_ONCE(d->armed, 1);
	WRITE_ONCE(d->wakeups, r);
}

static int x2mrogue_scribbler(void *data)
{
	struct omx_abi_desc *d = data;
	unsigned long i = 1;

	while (!kthread_should_stop()) {
		x2mrogue_scribble_once(d, i++);
		/* A few hundred a second, as fuzz.c's scribbler */
		usleep_range(2000, 4000);
	}
	x2mrogue_scr_count = i;
	return 0;
}

static void x2mrogue_scribble(struct x2mfront_device *fe)
{
	struct omx_abi_desc *d;
	unsigned int i;

	if (x2mrogue_scr_task) {
		x2mrogue_printf("already scribbling\n");
		return;
	}
	for (i = 0; i < 2; i++) {
		x2mrogue_scr_ep[i] = x2mrogue_ep_alloc(x2mrogue_domid(fe), i);
		if (!x2mrogue_scr_ep[i]) {
			R(-ENOMEM);
			goto fail;
		}
		R(x2mrogue_ep_open(fe, x2mrogue_scr_ep[i]));	/* 0 0 */
		if (!x2mrogue_scr_ep[i]->open)
			goto fail;
	}
	d = x2mrogue_ep_desc(x2mrogue_scr_ep[0]);
	x2mrogue_scr_prod = READ_ONCE(d->eventq_prod);
	x2mrogue_scr_rprod = READ_ONCE(d->recvq_prod);
	x2mrogue_scribble_once(d, 0);	/* before anyone can send to it */
	x2mrogue_scr_task = kthread_run(x2mrogue_scribbler, d, "x2m-scribbler");
	if (IS_ERR(x2mrogue_scr_task)) {
		R(PTR_ERR(x2mrogue_scr_task));
		x2mrogue_scr_task = NULL;
		goto fail;
	}
	x2mrogue_printf("scribbling: endpoint 0 of board peer %u, session %#x\n",
			x2mrogue_scr_ep[0]->peer_index,
			x2mrogue_scr_ep[0]->session);
	return;

fail:
	for (i = 0; i < 2; i++) {
		if (x2mrogue_scr_ep[i] && x2mrogue_scr_ep[i]->open)
			R(x2mrogue_ep_close(fe, x2mrogue_scr_ep[i]));
		x2mrogue_ep_free(x2mrogue_scr_ep[i]);
		x2mrogue_scr_ep[i] = NULL;
	}
}

static void x2mrogue_scribble_end(struct x2mfront_device *fe)
{
	struct x2mrogue_ep *ep0 = x2mrogue_scr_ep[0], *ep1 = x2mrogue_scr_ep[1];
	struct omx_abi_desc *d;
	bool starved, served, recovered;
	unsigned int i, mapped = 0;
	u32 events;

	if (!x2mrogue_scr_task) {
		x2mrogue_printf("not scribbling\n");
		return;
	}
	d = x2mrogue_ep_desc(ep0);
	/* From endpoint 1 to the scribbled 0: dropped */
	R(x2mrogue_connect(fe, ep1, 0, 0x5c0));			/* 0 */
	msleep(1000);
	starved = READ_ONCE(d->eventq_prod) == x2mrogue_scr_prod;
	/* From endpoint 1 to itself: delivered */
	R(x2mrogue_connect(fe, ep1, 1, 0x5c1));			/* 0 */
	served = x2mrogue_ep_wait_event(ep1, OMX_EVT_RECV_CONNECT_REQUEST,
					0x5c1, 5000, NULL);
	kthread_stop(x2mrogue_scr_task);
	x2mrogue_scr_task = NULL;
	events = READ_ONCE(d->eventq_prod) - x2mrogue_scr_prod;

	/* Sane indexes again: endpoint 0 is served at once. */
	ep0->cons = READ_ONCE(d->eventq_prod);
	WRITE_ONCE(d->eventq_cons, ep0->cons);
	WRITE_ONCE(d->recvq_cons, READ_ONCE(d->recvq_prod));
	WRITE_ONCE(d->armed, 0);
	R(x2mrogue_connect(fe, ep1, 0, 0x5c2));			/* 0 */
	recovered = x2mrogue_ep_wait_event(ep0, OMX_EVT_RECV_CONNECT_REQUEST,
					   0x5c2, 5000, NULL);
	for (i = 0; i < 2; i++) {
		R(x2mrogue_ep_close(fe, x2mrogue_scr_ep[i]));	/* 0 0 */
		mapped += x2mrogue_ep_free(x2mrogue_scr_ep[i]);
		x2mrogue_scr_ep[i] = NULL;
	}
	x2mrogue_printf("scribbles: %lu\n", x2mrogue_scr_count);
	x2mrogue_printf("ep0 starved: %s\n", starved ? "yes" : "no");
	x2mrogue_printf("ep1 served: %s\n", served ? "yes" : "no");
	x2mrogue_printf("ep0 events while scribbled: %u\n", events);
	x2mrogue_printf("ep0 recovered: %s\n", recovered ? "yes" : "no");
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

/* ------------------------------------------------------------------------
 * evtchn-flood: the event channel kicked 100000 times with no request.
 * The backend must throttle it (lateeoi) and still answer at once after.
 */
#define X2MROGUE_FLOOD	100000
#define X2MROGUE_ECHOES	50

static void x2mrogue_evtchn_flood(struct x2mfront_device *fe)
{
	struct xen2mx_response rsp;
	unsigned int i, ok = 0;
	u8 data[16];
	ktime_t t0;

	t0 = ktime_get();
	for (i = 0; i < X2MROGUE_FLOOD; i++) {
		notify_remote_via_irq(fe->irq);
		if (i % 1024 == 0)
			cond_resched();
	}
	x2mrogue_printf("notified: %u times in %lld ms\n", X2MROGUE_FLOOD,
			ktime_ms_delta(ktime_get(), t0));
	t0 = ktime_get();
	for (i = 0; i < X2MROGUE_ECHOES; i++) {
		memset(data, i, sizeof(data));
		if (x2mrogue_req(fe, XEN2MX_OP_ECHO, 0, sizeof(data), data,
				 sizeof(data), &rsp) == 0 &&
		    rsp.len == sizeof(data) && !memcmp(rsp.payload, data, sizeof(data)))
			ok++;
	}
	x2mrogue_printf("echo after flood: %u of %u (%lld ms)\n", ok,
			X2MROGUE_ECHOES, ktime_ms_delta(ktime_get(), t0));
}

/* ------------------------------------------------------------------------
 * overflow: req_prod ten rings ahead of what the backend answered.  The
 * ring cannot be trusted any more: the backend must write an error node,
 * close the device (Closing, then Closed once we are) and let go of the
 * endpoint and regions we had.  Runs without holding the device, which
 * the frontend's xenbus.c must be free to disconnect.
 */
/*
 * After breaking the ring: wait (30 s at most) for the backend to close the
 * device, then free @r and @ep and say how many of the pages they held
 * dom0 still had in use, counting @mapped from before.
 */
void x2mrogue_await_shutdown(struct x2mrogue_region *r, struct x2mrogue_ep *ep,
			     unsigned int mapped)
{
	enum xenbus_state s;
	unsigned int ms;

	for (ms = 0; ms < 30000; ms += 100) {
		s = x2mrogue_backend_state();
		if (s == XenbusStateClosed || s == XenbusStateUnknown)
			break;
		msleep(100);
	}
	x2mrogue_printf("backend closed after: %u ms\n", ms);
	/* Once Closed, the backend has let go of everything. */
	mapped += x2mrogue_region_free(r);
	mapped += x2mrogue_ep_free(ep);
	x2mrogue_printf("left in use by dom0: %u\n", mapped);
}

static void x2mrogue_overflow(struct x2mfront_device *unused)
{
	struct x2mrogue_region *r = NULL;
	struct x2mfront_device *fe;
	struct x2mrogue_ep *ep;
	unsigned long flags;
	unsigned int mapped = 0;
	RING_IDX prod = 0;

	fe = x2mfront_get_default();
	if (!fe) {
		x2mrogue_printf("not run: no connected device\n");
		return;
	}
	/* Something for the teardown to release: an endpoint, two regions */
	ep = x2mrogue_ep_alloc(x2mrogue_domid(fe), 0);
	if (ep)
		r = x2mrogue_region_alloc(x2mrogue_domid(fe), 1, false, 2);
	if (ep && r) {
		R(x2mrogue_ep_open(fe, ep));
		R(x2mrogue_region_send(fe, ep, r));
		R(x2mrogue_region_create(fe, ep, 2, true, 3, 3 * XEN_PAGE_SIZE));
	} else {
		R(-ENOMEM);
	}

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (fe->pending) {
		prod = READ_ONCE(fe->req_ring.sring->rsp_prod) +
		       10 * RING_SIZE(&fe->req_ring);
		virt_wmb();
		WRITE_ONCE(fe->req_ring.sring->req_prod, prod);
	}
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	notify_remote_via_irq(fe->irq);
	x2mrogue_printf("req_prod: %u, ring of %u slots\n", prod, fe->ring_slots);
	x2mfront_put(fe);

	x2mrogue_await_shutdown(r, ep, mapped);
}

const struct x2mrogue_attack x2mrogue_attacks[] = {
	{ "badlen",		x2mrogue_badlen,		true },
	{ "unknown-op",		x2mrogue_unknown_op,		true },
	{ "unknown-cmd",	x2mrogue_unknown_cmd,		true },
	{ "bad-endpoint",	x2mrogue_bad_endpoint,		true },
	{ "foreign-dir",	x2mrogue_foreign_dir,		true },
	{ "foreign-pages",	x2mrogue_foreign_pages,		true },
	{ "bad-pieces",		x2mrogue_bad_pieces,		true },
	{ "region-then-pull",	x2mrogue_region_then_pull,	true },
	{ "tiny-pieces",	x2mrogue_tiny_pieces,		true },
	{ "scribble",		x2mrogue_scribble,		true },
	{ "scribble-end",	x2mrogue_scribble_end,		true },
	{ "evtchn-flood",	x2mrogue_evtchn_flood,		true },
	{ "overflow",		x2mrogue_overflow,		false },
	{ "fuzz",		x2mrogue_fuzz,			true },
	{ "fuzz-ring",		x2mrogue_fuzz_ring,		false },
	{ NULL }
};

/* Module exit: a scribble nobody ended. */
void x2mrogue_attacks_cleanup(void)
{
	unsigned int i;

	if (x2mrogue_scr_task)
		kthread_stop(x2mrogue_scr_task);
	x2mrogue_scr_task = NULL;
	for (i = 0; i < 2; i++) {
		x2mrogue_ep_free(x2mrogue_scr_ep[i]);
		x2mrogue_scr_ep[i] = NULL;
	}
}
