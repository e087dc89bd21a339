// SPDX-License-Identifier: GPL-2.0-only
/*
 * omx_guest.c - a guest's Open-MX commands (XEN2MX_OP_OMX): its board,
 * its endpoints, its regions.
 *
 * The guest is a board of its own riding on one of dom0's interfaces
 * (iface.c); inside the guest it is board 0.  Its endpoints are ordinary
 * engine endpoints whose memory is the guest's pages, mapped once at open;
 * from then on the engine's send and receive paths run unchanged.  Every
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
 * Called with the endpoint's lock held, in any context.  That lock (BH
 * off) makes the caller an RCU reader, which is what lets disconnect
 * clear kick_ok, wait a grace period and then unbind the channel.
 */
void x2mback_guest_kick(struct x2mback_device *be)
{
	RCU_LOCKDEP_WARN(!rcu_read_lock_any_held(),
			 "xen2mx: guest kicked outside RCU and BH-off sections");
	if (!READ_ONCE(be->kick_ok))
		return;
	be->ops->notify(be);
	atomic64_inc(&be->stats.kicks);
	atomic64_inc(&be->stats.notifications);
}

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
	int err;

	be->geps = kcalloc(c->max_endpoints, sizeof(*be->geps), GFP_KERNEL);
	if (!be->geps)
		return -ENOMEM;
	err = x2mback_vboard_create(be, c->board[0] ? c->board : NULL, c->mac,
				    c->hostname, c->max_endpoints, &be->board);
	if (err) {
		/* The rings still work; Open-MX commands answer -ENODEV. */
		x2mback_dev_log(be, warn, "no Open-MX board (%pM on %s): error %d%s\n",
				c->mac,
				c->board[0] ? c->board : "dom0's first board", err,
				err == -ENODEV ? ", no such attached interface" :
				err == -EADDRINUSE ? ", MAC address in use" : "");
		be->board = NULL;
	} else {
		x2mback_dev_log(be, info, "board %u, %pM (%s), on %s\n",
				be->board->index, c->mac, c->hostname,
				be->board->dev->name);
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
	x2mback_endpoint_close(g->ep);	/* nobody touches the pages after */
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
		x2mback_vboard_destroy(be->board);
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
	err = x2mback_endpoint_open_guest(&g->ep, be->board, index,
					  g->area.vaddr, owner);
	if (err) {
		be->ops->unmap_area(be, &g->area);
		be->grants_mapped -= X2M_EP_PAGES;
		goto fail;
	}
	free_page((unsigned long)dir);
	out->board_index = 0;
	out->endpoint_index = index;
	out->session_id = g->ep->session_id;
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
	struct x2mback_region *r;
	int err;

	if (a->id >= OMX_ABI_REGION_MAX || a->writable > 1 ||
	    a->length > U32_MAX ||
	    (u64)a->nr_pieces * XEN_PAGE_SIZE < a->length ||
	    (a->nr_pieces && !a->length))
		return -EINVAL;
	if (g->building[a->id] || READ_ONCE(g->ep->regions[a->id]))
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
		err = x2mback_region_install(g->ep, r);
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
	struct x2mback_region *r;
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
		err = x2mback_region_install(g->ep, r);
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

/* The guest's own board, alive; under RCU. */
static struct x2mback_iface *x2mback_own_board(struct x2mback_device *be)
{
	struct x2mback_iface *ifc = be->board;

	if (!ifc || rcu_dereference(x2mback_ifaces[ifc->index]) != ifc)
		return NULL;
	return ifc;
}

static int x2mback_omx_counters(struct x2mback_device *be,
				const struct xen2mx_omx_counters *a, u32 *out)
{
	struct x2mback_iface *ifc;
	u32 i;
	int err = -ENODEV;

	if (a->clear)
		return -EPERM;	/* the host's counters are dom0's to clear */
	if ((a->board_index && a->board_index != OMX_ABI_SHARED_BOARD) ||
	    !a->count || a->count > XEN2MX_OMX_COUNTERS_MAX ||
	    a->first >= OMX_ABI_COUNTER_MAX ||
	    a->count > OMX_ABI_COUNTER_MAX - a->first)
		return -EINVAL;
	rcu_read_lock();
	ifc = x2mback_own_board(be);
	if (ifc) {
		/*
		 * Its own board's, or its own share of the same-host ones:
		 * the host's totals would tell one guest what the others
		 * and dom0 exchange.
		 */
		const struct x2mback_counters_omx *cnt =
			a->board_index ? &ifc->shared_counters : &ifc->counters;

		for (i = 0; i < a->count; i++)
			out[i] = atomic_read(&cnt->v[a->first + i]);
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

static int x2mback_omx_info(struct x2mback_device *be,
			    struct omx_cmd_get_info *info)
{
	x2mback_fill_info(info);
	rcu_read_lock();
	info->board_count = x2mback_own_board(be) ? 1 : 0;
	rcu_read_unlock();
	info->board_max = 1;
	info->endpoint_max = min(be->omx_cfg.max_endpoints,
				 x2mback_endpoints_max);
	return 0;
}

static int x2mback_omx_board_info(struct x2mback_device *be,
				  struct omx_cmd_board_info *bi)
{
	struct x2mback_iface *ifc;
	int err = -ENODEV;

	if (bi->board_index) {
		memset(bi, 0, sizeof(*bi));
		return -ENODEV;
	}
	rcu_read_lock();
	ifc = x2mback_own_board(be);
	if (ifc) {
		x2mback_board_describe(ifc, bi);
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

static int x2mback_omx_endpoint_info(struct x2mback_device *be,
				     struct omx_cmd_endpoint_info *ei)
{
	u32 index = ei->endpoint_index;
	struct x2mback_gendpoint *g;

	ei->open = 0;
	ei->pid = 0;
	ei->session_id = 0;
	memset(ei->command, 0, sizeof(ei->command));
	if (ei->board_index || !be->board)
		return -ENODEV;
	if (index >= be->omx_cfg.max_endpoints)
		return -EINVAL;
	g = &be->geps[index];
	if (g->ep) {
		ei->open = 1;
		ei->session_id = g->ep->session_id;	/* the guest's own */
		memcpy(ei->command, g->ep->command, sizeof(ei->command));
	}
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


static int x2mback_omx_endpoint_cmd(struct x2mback_device *be, u32 cmd,
				    struct x2mback_gendpoint *g,
				    union xen2mx_omx_arg *a)
{
	struct x2mback_endpoint *ep = g->ep;

	switch (cmd) {
	case _IOC_NR(OMX_CMD_SEND_TINY):
		return x2mback_send_tiny(ep, &a->tiny, false);
	case _IOC_NR(OMX_CMD_SEND_SMALL):
		return x2mback_send_tiny(ep, &a->tiny, true);
	case _IOC_NR(OMX_CMD_SEND_MEDIUM_FRAG):
		return x2mback_send_medium_frag(ep, &a->medium);
	case _IOC_NR(OMX_CMD_SEND_RNDV):
		return x2mback_send_rndv(ep, &a->rndv);
	case _IOC_NR(OMX_CMD_SEND_NOTIFY):
		return x2mback_send_notify(ep, &a->notify);
	case _IOC_NR(OMX_CMD_SEND_CONNECT):
		return x2mback_send_connect(ep, &a->connect);
	case _IOC_NR(OMX_CMD_SEND_LIBACK):
		return x2mback_send_liback(ep, &a->liback);
	case _IOC_NR(OMX_CMD_CREATE_REGION):
		return x2mback_omx_create_region(be, g, &a->region);
	case XEN2MX_OMXC_REGION_PIECES:
		return x2mback_omx_pieces(be, g, &a->pieces);
	case _IOC_NR(OMX_CMD_DESTROY_REGION):
		if (a->destroy.id < OMX_ABI_REGION_MAX &&
		    g->building[a->destroy.id]) {
			x2mback_gregion_free(g->building[a->destroy.id]);
			g->building[a->destroy.id] = NULL;
			return 0;
		}
		return x2mback_region_destroy(ep, a->destroy.id);
	case _IOC_NR(OMX_CMD_PULL):
		return x2mback_pull_start(ep, &a->pull);
	case XEN2MX_OMXC_CLOSE_ENDPOINT:
		x2mback_gep_close(be, g);
		return 0;
	}
	return -ENOSYS;
}

static int x2mback_omx_control_cmd(struct x2mback_device *be, u32 cmd,
				   union xen2mx_omx_arg *a, u16 endpoint,
				   void *out)
{
	switch (cmd) {
	case _IOC_NR(OMX_CMD_GET_INFO):
		return x2mback_omx_info(be, out);
	case _IOC_NR(OMX_CMD_GET_BOARD_INFO):
		return x2mback_omx_board_info(be, &a->board);
	case _IOC_NR(OMX_CMD_GET_COUNTERS):
		return x2mback_omx_counters(be, &a->counters, out);
	case _IOC_NR(OMX_CMD_PEER_ADD):
	case _IOC_NR(OMX_CMD_PEERS_CLEAR):
	case _IOC_NR(OMX_CMD_SET_PEER_TABLE_STATE):
		return -EPERM;	/* the host's peer table is dom0's */
	case _IOC_NR(OMX_CMD_SET_HOSTNAME):
		/*
		 * Its name too (xenstore "hostname"): a name a guest chose
		 * could be the one a guest attached later is given.
		 */
		return -EPERM;
	case _IOC_NR(OMX_CMD_PEER_FROM_INDEX):
		return x2mback_peer_lookup(&a->peer, X2M_PEER_BY_INDEX);
	case _IOC_NR(OMX_CMD_PEER_FROM_ADDR):
		return x2mback_peer_lookup(&a->peer, X2M_PEER_BY_ADDR);
	case _IOC_NR(OMX_CMD_PEER_FROM_HOSTNAME):
		return x2mback_peer_lookup(&a->peer, X2M_PEER_BY_HOSTNAME);
	case _IOC_NR(OMX_CMD_GET_ENDPOINT_INFO):
		return x2mback_omx_endpoint_info(be, &a->epinfo);
	case _IOC_NR(OMX_CMD_GET_PEER_TABLE_STATE):
		x2mback_peer_get_state(out);
		return 0;
	case _IOC_NR(OMX_CMD_OPEN_ENDPOINT):
		if (!be->board)
			return -ENODEV;
		if (endpoint >= be->omx_cfg.max_endpoints ||
		    endpoint >= x2mback_endpoints_max)
			return -EINVAL;
		return x2mback_omx_open(be, endpoint, &a->open, out);
	}
	return -ENOSYS;
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
	union xen2mx_omx_arg a;
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

	/* Answers that are the argument updated, or a separate structure */
	out = c->in && c->out ? (void *)&a : (void *)out_buf;
	out_len = c->out;
	if (hdr.cmd == _IOC_NR(OMX_CMD_GET_COUNTERS))
		out_len = a.counters.count * sizeof(u32);

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
		if (hdr.cmd == _IOC_NR(OMX_CMD_OPEN_ENDPOINT))
			out = out_buf;	/* the answer is another structure */
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
	if (be->board)
		seq_printf(m, "omx_board: %u %pM %s\n", be->board->index,
			   be->board->mac, be->board->hostname);
	else
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
