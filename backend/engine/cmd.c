// SPDX-License-Identifier: GPL-2.0-only
/*
 * cmd.c - the Open-MX commands, once for every client: dom0's processes
 * through /dev/open-mx (chardev.c) and the clients of other modules'
 * boards (xen2mx-back's guests), each seen through a view.
 *
 * A view without a board is the host: every board, the host's same-host
 * counters.  A view with a board is that board alone, shown as board 0,
 * with its own share of the same-host counters as its shared board: the
 * host's totals would tell one guest what the others and dom0 exchange.
 * Who may change the host's tables is the view's flags, decided by the
 * caller (CAP_NET_ADMIN for a process; never for a guest).
 */
#include "omx_engine.h"
#include <linux/capability.h>
#include <linux/export.h>

/*
 * May @v's client do what @flag guards?  A local process's rights are its
 * capabilities, asked only where they matter: an LSM audits every ask,
 * and sends must not pay for one.
 */
static bool omx_view_may(const struct omx_cmd_view *v, unsigned int flag)
{
	if (v->flags & flag)
		return true;
	return (v->flags & OMX_VIEW_CAPABLE) && capable(CAP_NET_ADMIN);
}

void omx_fill_info(struct omx_cmd_get_info *info)
{
	struct omx_cmd_peer_table_state st;

	memset(info, 0, sizeof(*info));
	omx_peer_get_state(&st);
	info->abi_version = OMX_ABI_VERSION;
	info->board_count = omx_iface_count();
	info->board_max = omx_ifaces_max;
	info->endpoint_max = omx_endpoints_max;
	info->peer_max = omx_peers_max;
	info->counter_max = OMX_ABI_COUNTER_MAX;
	info->wire_mtu = omx_engine_wire.mtu;
	info->medium_frag_max = omx_engine_wire.medium_frag_max;
	info->medium_frags_max = omx_engine_wire.medium_frags_max;
	info->pull_reply_max = omx_engine_wire.pull_reply_max;
	info->pull_block_replies = omx_engine_wire.pull_block_replies;
	info->peer_table_configured = st.configured;
	info->peer_table_version = st.version;
	info->peer_table_size = st.size;
	info->peer_table_mapper = st.mapper_id;
	info->peer_table_full = omx_peers_full();
	info->shared_comms = 1;
	strscpy(info->version, XEN2MX_PACKAGE_VERSION, sizeof(info->version));
}

/* The board @v calls @board_index, published, or NULL.  Under RCU. */
static struct omx_iface *omx_view_board(const struct omx_cmd_view *v,
					u32 board_index)
{
	if (v->flags & OMX_VIEW_ONE_BOARD)
		return !board_index && v->board && omx_iface_alive(v->board) ?
		       v->board : NULL;
	return board_index < omx_ifaces_max ?
	       rcu_dereference(omx_ifaces[board_index]) : NULL;
}

/* What omx_info shows of board @ifc.  Under RCU; @bi is zeroed first. */
static void omx_board_describe(struct omx_iface *ifc,
			       struct omx_cmd_board_info *bi)
{
	struct net_device *dev = ifc->dev;
	u32 board = bi->board_index;

	memset(bi, 0, sizeof(*bi));
	bi->board_index = board;
	bi->addr = ifc->addr;
	bi->mtu = dev->mtu;
	bi->peer_index = ifc->peer_index;
	bi->numa_node = (u32)-1;
	if (!(dev->flags & IFF_UP) || !netif_carrier_ok(dev))
		bi->status |= OMX_ABI_BOARD_DOWN;
	if (dev->mtu < omx_engine_wire.mtu - ETH_HLEN)
		bi->status |= OMX_ABI_BOARD_BAD_MTU;
	strscpy(bi->hostname, ifc->hostname, sizeof(bi->hostname));
	if (omx_iface_is_virtual(ifc)) {
		/* Its owner's board, not dom0's interface, is what it shows. */
		strscpy(bi->ifname, ifc->shown_ifname, sizeof(bi->ifname));
		strscpy(bi->driver, ifc->shown_driver, sizeof(bi->driver));
		return;
	}
	if (dev->dev.parent)
		bi->numa_node = (u32)dev_to_node(dev->dev.parent);
	strscpy(bi->ifname, dev->name, sizeof(bi->ifname));
	if (dev->dev.parent && dev->dev.parent->driver)
		strscpy(bi->driver, dev->dev.parent->driver->name,
			sizeof(bi->driver));
}

static int omx_cmd_info(const struct omx_cmd_view *v,
			struct omx_cmd_get_info *info)
{
	omx_fill_info(info);
	if (!(v->flags & OMX_VIEW_ONE_BOARD))
		return 0;
	rcu_read_lock();
	info->board_count = omx_view_board(v, 0) ? 1 : 0;
	rcu_read_unlock();
	info->board_max = 1;
	info->endpoint_max = min(v->endpoint_max, omx_endpoints_max);
	return 0;
}

static int omx_cmd_board_info(const struct omx_cmd_view *v,
			      struct omx_cmd_board_info *bi)
{
	struct omx_iface *ifc;
	u32 board = bi->board_index;
	int err = -ENODEV;

	rcu_read_lock();
	ifc = omx_view_board(v, board);
	if (ifc) {
		omx_board_describe(ifc, bi);
		err = 0;
	} else {
		memset(bi, 0, sizeof(*bi));
		bi->board_index = board;
	}
	rcu_read_unlock();
	return err;
}

static int omx_cmd_counters(const struct omx_cmd_view *v,
			    struct omx_cmd_counters *c)
{
	struct omx_counter_set *cnt = NULL;
	struct omx_iface *ifc;
	unsigned int i;
	int err = 0;

	if (c->clear && !omx_view_may(v, OMX_VIEW_ADMIN))
		return -EPERM;	/* the host's counters are the admin's to clear */
	rcu_read_lock();
	if (c->board_index == OMX_ABI_SHARED_BOARD) {
		if (!(v->flags & OMX_VIEW_ONE_BOARD))
			cnt = &omx_shared_counters;
		else if ((ifc = omx_view_board(v, 0)))
			cnt = &ifc->shared_counters;
	} else {
		ifc = omx_view_board(v, c->board_index);
		if (ifc)
			cnt = &ifc->counters;
	}
	if (cnt) {
		for (i = 0; i < OMX_ABI_COUNTER_MAX; i++)
			c->values[i] = c->clear ? atomic_xchg(&cnt->v[i], 0) :
				       atomic_read(&cnt->v[i]);
	} else {
		err = -ENODEV;
	}
	rcu_read_unlock();
	return err;
}

static int omx_cmd_set_hostname(struct omx_cmd_set_hostname *h)
{
	struct omx_iface *ifc;
	int err = -ENODEV;

	h->hostname[sizeof(h->hostname) - 1] = '\0';
	if (!h->hostname[0])
		return -EINVAL;
	mutex_lock(&omx_engine_mutex);
	ifc = h->board_index < omx_ifaces_max ?
	      rcu_dereference_protected(omx_ifaces[h->board_index],
				lockdep_is_held(&omx_engine_mutex)) : NULL;
	if (ifc) {
		/* Readers copy the name under RCU; a torn name is harmless. */
		strscpy(ifc->hostname, h->hostname, sizeof(ifc->hostname));
		omx_peer_set_hostname(ifc->peer_index, h->hostname);
		err = 0;
	}
	mutex_unlock(&omx_engine_mutex);
	return err;
}

static int omx_cmd_endpoint_info(const struct omx_cmd_view *v,
				 struct omx_cmd_endpoint_info *ei)
{
	bool one = v->flags & OMX_VIEW_ONE_BOARD;
	u32 max = one ? min(v->endpoint_max, omx_endpoints_max) :
		  omx_endpoints_max;
	struct omx_endpoint *ep;
	struct omx_iface *ifc;
	int err = -ENODEV;

	ei->open = 0;
	ei->pid = 0;
	ei->session_id = 0;
	memset(ei->command, 0, sizeof(ei->command));
	if (one && (ei->board_index || !v->board))
		return -ENODEV;
	if (ei->endpoint_index >= max)
		return -EINVAL;
	rcu_read_lock();
	ifc = omx_view_board(v, ei->board_index);
	if (ifc) {
		ep = omx_endpoint_get(ifc, ei->endpoint_index);
		if (ep) {
			ei->open = 1;
			ei->pid = ep->pid;
			memcpy(ei->command, ep->command, sizeof(ei->command));
			if (omx_view_may(v, OMX_VIEW_SESSIONS))
				ei->session_id = ep->session_id;
		}
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

long omx_cmd_control(const struct omx_cmd_view *v, unsigned int nr,
		     union omx_cmd_arg *a)
{
	switch (nr) {
	case _IOC_NR(OMX_CMD_GET_INFO):
		return omx_cmd_info(v, &a->info);
	case _IOC_NR(OMX_CMD_GET_BOARD_INFO):
		return omx_cmd_board_info(v, &a->board);
	case _IOC_NR(OMX_CMD_GET_COUNTERS):
		return omx_cmd_counters(v, &a->counters);
	case _IOC_NR(OMX_CMD_PEER_ADD):
		if (!omx_view_may(v, OMX_VIEW_ADMIN))
			return -EPERM;
		a->peer.hostname[sizeof(a->peer.hostname) - 1] = '\0';
		if (!a->peer.addr || a->peer.addr >> 48)
			return -EINVAL;
		return omx_peer_add(a->peer.addr, a->peer.hostname,
				    &a->peer.index);
	case _IOC_NR(OMX_CMD_PEERS_CLEAR):
		if (!omx_view_may(v, OMX_VIEW_ADMIN))
			return -EPERM;
		omx_peers_clear();
		return 0;
	case _IOC_NR(OMX_CMD_PEER_FROM_INDEX):
		return omx_peer_lookup(&a->peer, OMX_PEER_BY_INDEX);
	case _IOC_NR(OMX_CMD_PEER_FROM_ADDR):
		return omx_peer_lookup(&a->peer, OMX_PEER_BY_ADDR);
	case _IOC_NR(OMX_CMD_PEER_FROM_HOSTNAME):
		return omx_peer_lookup(&a->peer, OMX_PEER_BY_HOSTNAME);
	case _IOC_NR(OMX_CMD_SET_HOSTNAME):
		/*
		 * A board's name is the host's to set: a name a guest chose
		 * could be the one a guest attached later is given.
		 */
		if ((v->flags & OMX_VIEW_ONE_BOARD) ||
		    !omx_view_may(v, OMX_VIEW_ADMIN))
			return -EPERM;
		return omx_cmd_set_hostname(&a->hostname);
	case _IOC_NR(OMX_CMD_GET_ENDPOINT_INFO):
		return omx_cmd_endpoint_info(v, &a->epinfo);
	case _IOC_NR(OMX_CMD_GET_PEER_TABLE_STATE):
		omx_peer_get_state(&a->state);
		return 0;
	case _IOC_NR(OMX_CMD_SET_PEER_TABLE_STATE):
		if (!omx_view_may(v, OMX_VIEW_ADMIN))
			return -EPERM;
		omx_peer_set_state(&a->state);
		return 0;
	}
	return -ENOSYS;
}
EXPORT_SYMBOL_GPL(omx_cmd_control);

long omx_cmd_endpoint(struct omx_endpoint *ep, unsigned int nr,
		      union omx_cmd_arg *a)
{
	switch (nr) {
	case _IOC_NR(OMX_CMD_SEND_TINY):
		return omx_send_tiny(ep, &a->tiny, false);
	case _IOC_NR(OMX_CMD_SEND_SMALL):
		return omx_send_tiny(ep, &a->tiny, true);
	case _IOC_NR(OMX_CMD_SEND_MEDIUM_FRAG):
		return omx_send_medium_frag(ep, &a->medium);
	case _IOC_NR(OMX_CMD_SEND_RNDV):
		return omx_send_rndv(ep, &a->rndv);
	case _IOC_NR(OMX_CMD_SEND_NOTIFY):
		return omx_send_notify(ep, &a->notify);
	case _IOC_NR(OMX_CMD_SEND_CONNECT):
		return omx_send_connect(ep, &a->connect);
	case _IOC_NR(OMX_CMD_SEND_LIBACK):
		return omx_send_liback(ep, &a->liback);
	case _IOC_NR(OMX_CMD_DESTROY_REGION):
		return omx_region_destroy(ep, a->destroy.id);
	case _IOC_NR(OMX_CMD_PULL):
		return omx_pull_start(ep, &a->pull);
	}
	/*
	 * What only a local process may ask: its segments are addresses of
	 * the calling process, and only a local process sleeps in here.
	 */
	if (ep->owner_ops)
		return -ENOSYS;
	switch (nr) {
	case _IOC_NR(OMX_CMD_CREATE_REGION):
		return omx_region_create(ep, &a->region);
	case _IOC_NR(OMX_CMD_WAIT_EVENT):
		return omx_endpoint_wait(ep, &a->wait);
	case _IOC_NR(OMX_CMD_WAKEUP):
		omx_endpoint_wakeup(ep);
		return 0;
	}
	return -ENOSYS;
}
EXPORT_SYMBOL_GPL(omx_cmd_endpoint);
