// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx_guest.c - a guest's Open-MX commands (XEN2MX_OP_OMX): its board,
 * its endpoints, its regions.
 *
 * The guest is a virtual board of open-mx (omx_engine_api.h) riding on
 * one of dom0's interfaces; inside the guest it is board 0.  Its
 * endpoints are ordinary engine endpoints whose memory is the guest's
 * pages, mapped once at open; from then on the engine's send and receive
 * paths run unchanged.  Commands are answered by the engine's own command
 * code, seen through the guest's view (its board alone, no rights over
 * the host's tables).  Every
 * request was copied off the ring by request.c; here each argument is
 * checked for its exact size and each field for its range before use, and
 * nothing a guest names can reach another guest's board or dom0's tables.
 */
#include "common.h"
#include "xen2mx_omx_arg.h"
#include <linux/etherdevice.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#define X2M_EP_PAGES	(OMX_ABI_MMAP_SIZE / XEN_PAGE_SIZE)

static_assert(X2M_EP_PAGES * sizeof(grant_ref_t) <= XEN_PAGE_SIZE,
	      "endpoint directory fits a page");

/*
 * omx_board_ops.wake: called with the endpoint's lock held, in any
 * context.  That lock (BH off) makes the caller an RCU reader, which is
 * what lets disconnect clear kick_ok, wait a grace period and then unbind
 * the channel.
 */
static void x2mback_guest_kick(void *owner)
{
	struct x2mback_device *be = owner;

	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "xen2mx: guest kicked outside RCU and BH-off sections");
	if (!READ_ONCE(be->kick_ok))
		return;
	be->ops->notify(be);
	atomic64_inc(&be->stats.kicks);
	atomic64_inc(&be->stats.notifications);
}

const struct omx_board_ops x2mback_board_ops = {
	.wake = x2mback_guest_kick,
};

static int x2mback_grants_take(struct x2mback_device *be, unsigned int nr)
{
	if (nr > be->omx_cfg.max_grants - be->grants_held)
		return -ENOSPC;
	be->grants_held += nr;
	return 0;
}

void x2mback_grants_release(struct x2mback_device *be, unsigned int nr)
{
	be->grants_held -= nr;
}

static int x2mback_garea_alloc(struct x2mback_garea *a, unsigned int nr)
{
	memset(a, 0, sizeof(*a));
	a->pages = kvcalloc(nr, sizeof(*a->pages), GFP_KERNEL);
	a->handles = kvcalloc(nr, sizeof(*a->handles), GFP_KERNEL);
	return a->pages && a->handles ? 0 : -ENOMEM;
}

static void x2mback_garea_free(struct x2mback_garea *a)
{
	kvfree(a->pages);
	kvfree(a->handles);
	memset(a, 0, sizeof(*a));
}

int x2mback_omx_start(struct x2mback_device *be)
{
	struct x2mback_omx_config *c = &be->omx_cfg;
	struct omx_board_params params = {
		.parent_ifname = c->board[0] ? c->board : NULL,
		.mac = c->mac,
		.hostname = c->hostname,
		.endpoint_max = c->max_endpoints,
		/* A guest sees a xen2mx board, not dom0's interface. */
		.shown_ifname = "xen2mx",
		.shown_driver = "xen2mx-back",
		.ops = &x2mback_board_ops,
	};
	struct omx_board_summary sum;
	int err;

	be->geps = kcalloc(c->max_endpoints, sizeof(*be->geps), GFP_KERNEL);
	if (!be->geps)
		return -ENOMEM;
	err = omx_board_register(&params, &be->board);
	if (err) {
		/* The rings still work; Open-MX commands answer -ENODEV. */
		x2mback_dev_log(be, warn, "no Open-MX board (%pM on %s): error %d%s\n",
				c->mac,
				c->board[0] ? c->board : "dom0's first board", err,
				err == -ENODEV ? ", no such attached interface" :
				err == -EADDRINUSE ? ", MAC address in use" : "");
		be->board = NULL;
	} else {
		omx_board_summary(be->board, &sum);
		x2mback_dev_log(be, info, "board %u, %pM (%s), on %s\n",
				sum.index, c->mac, c->hostname, sum.parent);
	}
	x2mback_copy_budget_reset(be);
	return 0;
}

/* Close the endpoint and give its pages back.  Worker or disconnect. */
static void x2mback_gep_close(struct x2mback_device *be,
			      struct x2mback_gendpoint *g)
{
	unsigned int i;

	if (!g->ep)
		return;
	x2mback_credit_charge(be, X2MBACK_COST_ENDPOINT);
	omx_endpoint_close(g->ep);	/* nobody touches the pages after */
	g->ep = NULL;
	for (i = 0; i < OMX_ABI_REGION_MAX; i++)
		if (g->building[i])
			x2mback_gregion_free(g->building[i]);
	kfree(g->building);
	g->building = NULL;
	kfree(g->copy_ops);
	g->copy_ops = NULL;
	be->ops->unmap_area(be, &g->area);
	be->grants_mapped -= X2M_EP_PAGES;
	x2mback_grants_release(be, X2M_EP_PAGES);
	x2mback_garea_free(&g->area);
}

void x2mback_omx_stop(struct x2mback_device *be)
{
	unsigned int i;

	if (!be->geps)
		return;
	for (i = 0; i < be->omx_cfg.max_endpoints; i++)
		x2mback_gep_close(be, &be->geps[i]);
	kfree(be->geps);
	be->geps = NULL;
	if (be->board)
		omx_board_unregister(be->board);
	be->board = NULL;
}

static int x2mback_omx_open(struct x2mback_device *be, u16 index,
			    const struct xen2mx_omx_open *o,
			    struct omx_cmd_open_endpoint *out)
{
	struct x2mback_gendpoint *g = &be->geps[index];
	char owner[OMX_ABI_COMMAND_MAX];
	grant_ref_t *dir;
	int err;

	if (o->board_index != 0 || o->endpoint_index != index ||
	    o->nr_pages != X2M_EP_PAGES || !o->dir_ref)
		return -EINVAL;
	if (g->ep)
		return -EBUSY;
	err = x2mback_grants_take(be, X2M_EP_PAGES);
	if (err)
		return err;
	err = -ENOMEM;
	dir = (grant_ref_t *)get_zeroed_page(GFP_KERNEL);
	g->building = kcalloc(OMX_ABI_REGION_MAX, sizeof(*g->building),
			      GFP_KERNEL);
	g->copy_ops = kmalloc_array(X2MBACK_GCOPY_BATCH, sizeof(*g->copy_ops),
				    GFP_KERNEL);
	if (!dir || !g->building || !g->copy_ops ||
	    x2mback_garea_alloc(&g->area, X2M_EP_PAGES))
		goto fail;
	x2mback_credit_charge(be, X2MBACK_COST_DIR_PAGE);
	err = x2mback_grant_read(be, o->dir_ref, dir,
				 X2M_EP_PAGES * sizeof(*dir));
	if (err)
		goto fail;
	x2mback_credit_charge(be, X2MBACK_COST_ENDPOINT);
	err = be->ops->map_area(be, dir, X2M_EP_PAGES, &g->area);
	if (err)
		goto fail;
	be->grants_mapped += X2M_EP_PAGES;
	snprintf(owner, sizeof(owner), "dom%u", be->domid);
	err = omx_endpoint_open_ext(be->board, index, g->area.vaddr, owner, be,
				    &g->ep);
	if (err) {
		be->ops->unmap_area(be, &g->area);
		be->grants_mapped -= X2M_EP_PAGES;
		goto fail;
	}
	free_page((unsigned long)dir);
	out->board_index = 0;
	out->endpoint_index = index;
	out->session_id = omx_endpoint_session(g->ep);
	return 0;

fail:
	x2mback_grants_release(be, X2M_EP_PAGES);
	free_page((unsigned long)dir);
	x2mback_garea_free(&g->area);
	kfree(g->building);
	g->building = NULL;
	kfree(g->copy_ops);
	g->copy_ops = NULL;
	return err;
}

static int x2mback_omx_create_region(struct x2mback_device *be,
				     struct x2mback_gendpoint *g,
				     const struct xen2mx_omx_region *a)
{
	struct x2mback_gregion *r;
	int err;

	if (a->id >= OMX_ABI_REGION_MAX || a->writable > 1 ||
	    a->length > U32_MAX ||
	    (u64)a->nr_pieces * XEN_PAGE_SIZE < a->length ||
	    (a->nr_pieces && !a->length))
		return -EINVAL;
	if (g->building[a->id] || omx_region_busy(g->ep, a->id))
		return -EBUSY;
	err = x2mback_grants_take(be, a->nr_pieces);
	if (err)
		return err;
	r = x2mback_gregion_alloc(be, g, a->id, a->writable, a->nr_pieces,
				  a->length);
	if (!r) {
		x2mback_grants_release(be, a->nr_pieces);
		return -ENOMEM;
	}
	if (!a->nr_pieces) {
		err = x2mback_gregion_attach(r, g->ep);
		if (err)
			x2mback_gregion_free(r);
		return err;
	}
	g->building[a->id] = r;
	return 0;
}

static int x2mback_omx_pieces(struct x2mback_device *be,
			      struct x2mback_gendpoint *g,
			      const struct xen2mx_omx_pieces *a)
{
	struct x2mback_gregion *r;
	struct xen2mx_omx_piece *dir;
	u32 left, ndirs, i;
	int err = 0;

	if (a->id >= OMX_ABI_REGION_MAX || !g->building[a->id] ||
	    !a->nr_pieces ||
	    a->nr_pieces > XEN2MX_OMX_PIECE_DIRS_MAX * XEN2MX_OMX_PIECES_PER_PAGE)
		return -EINVAL;
	r = g->building[a->id];
	ndirs = DIV_ROUND_UP(a->nr_pieces, XEN2MX_OMX_PIECES_PER_PAGE);
	dir = (struct xen2mx_omx_piece *)__get_free_page(GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	left = a->nr_pieces;
	for (i = 0; i < ndirs && !err; i++) {
		u32 n = min_t(u32, left, XEN2MX_OMX_PIECES_PER_PAGE);

		x2mback_credit_charge(be, X2MBACK_COST_DIR_PAGE);
		err = x2mback_grant_read(be, a->dir_refs[i], dir,
					 n * sizeof(*dir));
		if (!err)
			err = x2mback_gregion_fill(r, a->first +
						   i * XEN2MX_OMX_PIECES_PER_PAGE,
						   dir, n);
		left -= n;
	}
	free_page((unsigned long)dir);
	if (!err && x2mback_gregion_complete(r)) {
		g->building[a->id] = NULL;
		err = x2mback_gregion_attach(r, g->ep);
		if (err)
			x2mback_gregion_free(r);
		return err;
	}
	if (err) {
		/* A region that went wrong is forgotten whole. */
		g->building[a->id] = NULL;
		x2mback_gregion_free(r);
	}
	return err;
}

/* What the engine's command code shows the guest: its board alone. */
static struct omx_cmd_view x2mback_omx_view(struct x2mback_device *be)
{
	return (struct omx_cmd_view){
		.board = be->board,
		.endpoint_max = be->omx_cfg.max_endpoints,
		/* Its own endpoints' sessions; no rights over the host's tables. */
		.flags = OMX_VIEW_ONE_BOARD | OMX_VIEW_SESSIONS,
	};
}

/*
 * GET_COUNTERS in ring form: @a->count values from @a->first, of its own
 * board or its own share of the same-host ones (the view's), into @out.
 * The engine answers in a structure of its own (all 85 values), not in
 * the request's: the request's fields are what bound the copy out.
 */
static int x2mback_omx_counters(struct x2mback_device *be,
				const struct xen2mx_omx_counters *a, u32 *out)
{
	struct omx_cmd_view view = x2mback_omx_view(be);
	union omx_cmd_arg all;
	long err;

	if (a->clear)
		return -EPERM;	/* the host's counters are dom0's to clear */
	if ((a->board_index && a->board_index != OMX_ABI_SHARED_BOARD) ||
	    !a->count || a->count > XEN2MX_OMX_COUNTERS_MAX ||
	    a->first >= OMX_ABI_COUNTER_MAX ||
	    a->count > OMX_ABI_COUNTER_MAX - a->first)
		return -EINVAL;
	memset(&all.counters, 0, sizeof(all.counters));
	all.counters.board_index = a->board_index;
	err = omx_cmd_control(&view, _IOC_NR(OMX_CMD_GET_COUNTERS), &all);
	if (err)
		return err;
	memcpy(out, &all.counters.values[a->first], a->count * sizeof(u32));
	return 0;
}

/* Argument and answer sizes of each command a guest may send. */
struct x2mback_omx_cmd {
	u16 in;
	u16 out;
	bool endpoint;			/* acts on hdr.endpoint */
};

static const struct x2mback_omx_cmd x2mback_omx_cmds[] = {
#define X2M_CMD(c, i, o, e) [_IOC_NR(c)] = { i, o, e }
	X2M_CMD(OMX_CMD_GET_INFO, 0, sizeof(struct omx_cmd_get_info), false),
	X2M_CMD(OMX_CMD_GET_BOARD_INFO, sizeof(struct omx_cmd_board_info),
		sizeof(struct omx_cmd_board_info), false),
	X2M_CMD(OMX_CMD_GET_COUNTERS, sizeof(struct xen2mx_omx_counters), 0,
		false),	/* answer: count values */
	X2M_CMD(OMX_CMD_PEER_ADD, sizeof(struct omx_cmd_peer), 0, false),
	X2M_CMD(OMX_CMD_PEERS_CLEAR, 0, 0, false),
	X2M_CMD(OMX_CMD_PEER_FROM_INDEX, sizeof(struct omx_cmd_peer),
		sizeof(struct omx_cmd_peer), false),
	X2M_CMD(OMX_CMD_PEER_FROM_ADDR, sizeof(struct omx_cmd_peer),
		sizeof(struct omx_cmd_peer), false),
	X2M_CMD(OMX_CMD_PEER_FROM_HOSTNAME, sizeof(struct omx_cmd_peer),
		sizeof(struct omx_cmd_peer), false),
	X2M_CMD(OMX_CMD_SET_HOSTNAME, sizeof(struct omx_cmd_set_hostname), 0,
		false),
	X2M_CMD(OMX_CMD_GET_ENDPOINT_INFO, sizeof(struct omx_cmd_endpoint_info),
		sizeof(struct omx_cmd_endpoint_info), false),
	X2M_CMD(OMX_CMD_GET_PEER_TABLE_STATE, 0,
		sizeof(struct omx_cmd_peer_table_state), false),
	X2M_CMD(OMX_CMD_SET_PEER_TABLE_STATE,
		sizeof(struct omx_cmd_peer_table_state), 0, false),
	X2M_CMD(OMX_CMD_OPEN_ENDPOINT, sizeof(struct xen2mx_omx_open),
		sizeof(struct omx_cmd_open_endpoint), false),
	X2M_CMD(OMX_CMD_SEND_TINY, sizeof(struct omx_cmd_send_tiny), 0, true),
	X2M_CMD(OMX_CMD_SEND_SMALL, sizeof(struct omx_cmd_send_tiny), 0, true),
	X2M_CMD(OMX_CMD_SEND_MEDIUM_FRAG,
		sizeof(struct omx_cmd_send_medium_frag), 0, true),
	X2M_CMD(OMX_CMD_SEND_RNDV, sizeof(struct omx_cmd_send_rndv), 0, true),
	X2M_CMD(OMX_CMD_SEND_NOTIFY, sizeof(struct omx_cmd_send_notify), 0,
		true),
	X2M_CMD(OMX_CMD_SEND_CONNECT, sizeof(struct omx_cmd_send_connect), 0,
		true),
	X2M_CMD(OMX_CMD_SEND_LIBACK, sizeof(struct omx_cmd_send_liback), 0,
		true),
	X2M_CMD(OMX_CMD_CREATE_REGION, sizeof(struct xen2mx_omx_region), 0,
		true),
	X2M_CMD(OMX_CMD_DESTROY_REGION, sizeof(struct omx_cmd_destroy_region),
		0, true),
	X2M_CMD(OMX_CMD_PULL, sizeof(struct omx_cmd_pull), 0, true),
	[XEN2MX_OMXC_REGION_PIECES] = { sizeof(struct xen2mx_omx_pieces), 0,
					true },
	[XEN2MX_OMXC_CLOSE_ENDPOINT] = { 0, 0, true },
#undef X2M_CMD
};

/*
 * A request's argument.  The ring form's members other than counters,
 * open, region and pieces are the very structures the engine's commands
 * take, at offset 0 of both unions: copied in once, read as either.
 * Those four are read only in ring form (the engine answers counters in
 * a union of its own).
 */
union x2mback_omx_args {
	union xen2mx_omx_arg ring;
	union omx_cmd_arg cmd;
};

/* Each member read through both unions is the same structure. */
#define X2M_SAME_MEMBER(m)						\
	static_assert(__same_type(((union xen2mx_omx_arg *)0)->m,	\
				  ((union omx_cmd_arg *)0)->m),		\
		      "ring and engine forms of " #m " differ")
X2M_SAME_MEMBER(info);
X2M_SAME_MEMBER(board);
X2M_SAME_MEMBER(peer);
X2M_SAME_MEMBER(state);
X2M_SAME_MEMBER(hostname);
X2M_SAME_MEMBER(epinfo);
X2M_SAME_MEMBER(tiny);
X2M_SAME_MEMBER(medium);
X2M_SAME_MEMBER(rndv);
X2M_SAME_MEMBER(notify);
X2M_SAME_MEMBER(connect);
X2M_SAME_MEMBER(liback);
X2M_SAME_MEMBER(destroy);
X2M_SAME_MEMBER(pull);
#undef X2M_SAME_MEMBER

static int x2mback_omx_endpoint_cmd(struct x2mback_device *be, u32 cmd,
				    struct x2mback_gendpoint *g,
				    union x2mback_omx_args *a)
{
	u32 id;

	switch (cmd) {
	case _IOC_NR(OMX_CMD_CREATE_REGION):
		return x2mback_omx_create_region(be, g, &a->ring.region);
	case XEN2MX_OMXC_REGION_PIECES:
		return x2mback_omx_pieces(be, g, &a->ring.pieces);
	case _IOC_NR(OMX_CMD_DESTROY_REGION):
		id = a->ring.destroy.id;
		if (id < OMX_ABI_REGION_MAX && g->building[id]) {
			x2mback_gregion_free(g->building[id]);
			g->building[id] = NULL;
			return 0;
		}
		break;
	case XEN2MX_OMXC_CLOSE_ENDPOINT:
		x2mback_gep_close(be, g);
		return 0;
	}
	/* Sends, DESTROY_REGION, PULL: the engine's, as for dom0's processes. */
	return omx_cmd_endpoint(g->ep, cmd, &a->cmd);
}

static int x2mback_omx_control_cmd(struct x2mback_device *be, u32 cmd,
				   union x2mback_omx_args *a, u16 endpoint,
				   void *out)
{
	struct omx_cmd_view view;

	switch (cmd) {
	case _IOC_NR(OMX_CMD_GET_COUNTERS):
		return x2mback_omx_counters(be, &a->ring.counters, out);
	case _IOC_NR(OMX_CMD_OPEN_ENDPOINT):
		if (!be->board)
			return -ENODEV;
		if (endpoint >= be->omx_cfg.max_endpoints ||
		    endpoint >= omx_engine_endpoints_max())
			return -EINVAL;
		return x2mback_omx_open(be, endpoint, &a->ring.open, out);
	}
	/*
	 * The rest is answered in place by the engine through the guest's
	 * view: its board as board 0; the host's peer table and the boards'
	 * names are dom0's (-EPERM), including its own name (xenstore
	 * "hostname"): a name a guest chose could be the one a guest
	 * attached later is given.
	 */
	view = x2mback_omx_view(be);
	return omx_cmd_control(&view, cmd, &a->cmd);
}

/*
 * One XEN2MX_OP_OMX request (already copied off the ring).  Fills @rsp's
 * status and, on success, its payload.
 */
void x2mback_omx_request(struct x2mback_device *be,
			 const struct xen2mx_request *req,
			 struct xen2mx_response *rsp)
{
	const struct x2mback_omx_cmd *c = NULL;
	union x2mback_omx_args a;
	struct xen2mx_omx_hdr hdr;
	unsigned int out_len = 0;
	u32 out_buf[XEN2MX_OMX_ARG_MAX / 4];
	void *out = NULL;
	int err;

	atomic64_inc(&be->stats.omx_requests);
	err = -EINVAL;
	if (req->len < XEN2MX_OMX_HDR_SIZE || req->len > XEN2MX_INLINE_MAX)
		goto done;
	memcpy(&hdr, req->payload, sizeof(hdr));
	if (hdr.reserved)
		goto done;
	err = -ENOSYS;
	if (hdr.cmd < ARRAY_SIZE(x2mback_omx_cmds))
		c = &x2mback_omx_cmds[hdr.cmd];
	if (!c || (!c->in && !c->out && !c->endpoint &&
		   hdr.cmd != _IOC_NR(OMX_CMD_PEERS_CLEAR)))
		goto done;
	err = -EINVAL;
	if (req->len != XEN2MX_OMX_HDR_SIZE + c->in)
		goto done;
	memset(&a, 0, sizeof(a));
	memcpy(&a, req->payload + XEN2MX_OMX_HDR_SIZE, c->in);
	memset(out_buf, 0, sizeof(out_buf));

	/* Answers are the argument updated, but for these two */
	out = &a;
	out_len = c->out;
	if (hdr.cmd == _IOC_NR(OMX_CMD_GET_COUNTERS)) {
		out = out_buf;
		out_len = a.ring.counters.count * sizeof(u32);
	} else if (hdr.cmd == _IOC_NR(OMX_CMD_OPEN_ENDPOINT)) {
		out = out_buf;
	}

	if (c->endpoint) {
		err = -EINVAL;
		if (!be->geps || hdr.endpoint >= be->omx_cfg.max_endpoints)
			goto done;
		err = -EBADF;
		if (!be->geps[hdr.endpoint].ep)
			goto done;
		err = x2mback_omx_endpoint_cmd(be, hdr.cmd,
					       &be->geps[hdr.endpoint], &a);
	} else {
		err = -EINVAL;
		if (hdr.endpoint != XEN2MX_OMX_NO_ENDPOINT &&
		    hdr.cmd != _IOC_NR(OMX_CMD_OPEN_ENDPOINT))
			goto done;
		err = -ENODEV;
		if (!be->geps)
			goto done;
		err = x2mback_omx_control_cmd(be, hdr.cmd, &a, hdr.endpoint,
					      out);
	}
done:
	rsp->status = err < 0 ? err : 0;
	rsp->len = 0;
	if (err >= 0 && out_len) {
		memcpy(rsp->payload, out, out_len);
		rsp->len = out_len;
	}
	if (err < 0)
		atomic64_inc(&be->stats.errors);
}

/* debugfs: the guest's board, its limits and the data path's costs. */
void x2mback_omx_show(struct seq_file *m, struct x2mback_device *be)
{
	struct x2mback_counters *c = &be->stats;
	unsigned int i, open = 0;

	mutex_lock(&be->lock);	/* against connect and disconnect */
	if (be->board) {
		struct omx_board_summary sum;

		omx_board_summary(be->board, &sum);
		seq_printf(m, "omx_board: %u %pM %s\n", sum.index, sum.mac,
			   sum.hostname);
	} else
		seq_puts(m, "omx_board: none\n");
	for (i = 0; be->geps && i < be->omx_cfg.max_endpoints; i++)
		if (READ_ONCE(be->geps[i].ep))
			open++;
	mutex_unlock(&be->lock);
	seq_printf(m, "omx_endpoints_open: %u\n", open);
	seq_printf(m, "max_endpoints: %u\n", be->omx_cfg.max_endpoints);
	seq_printf(m, "max_grants: %u\n", be->omx_cfg.max_grants);
	seq_printf(m, "grants_held: %u\n", READ_ONCE(be->grants_held));
	seq_printf(m, "omx_requests: %llu\n", atomic64_read(&c->omx_requests));
	seq_printf(m, "kicks: %llu\n", atomic64_read(&c->kicks));
	seq_printf(m, "copy_ops: %llu\n", atomic64_read(&c->copy_ops));
	seq_printf(m, "copy_calls: %llu\n", atomic64_read(&c->copy_calls));
	seq_printf(m, "copy_bytes: %llu\n", atomic64_read(&c->copy_bytes));
	seq_printf(m, "copy_budget: %u\n", READ_ONCE(be->omx_cfg.copy_budget));
	seq_printf(m, "copy_budget_drops: %llu\n",
		   atomic64_read(&c->copy_budget_drops));
}
