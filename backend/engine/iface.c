// SPDX-License-Identifier: GPL-2.0-only
/*
 * iface.c - attaching Ethernet interfaces as Open-MX boards.
 *
 * The ifnames parameter lists the attached interfaces.  Written at load
 * time it selects them (default: every Ethernet interface that is up and
 * whose MTU carries Open-MX frames); written at run time, "+eth1" or "eth1"
 * attaches, "-eth1" detaches unless endpoints use it and "--eth1" detaches
 * anyway (their endpoints die).  An interface that disappears is detached
 * by the netdevice notifier.
 */
#include "omx_engine.h"
#include <linux/etherdevice.h>
#include <linux/export.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/utsname.h>

struct omx_iface __rcu **omx_ifaces;
struct omx_counter_set omx_shared_counters;
DEFINE_MUTEX(omx_engine_mutex);

/* ifnames given before the module was initialised, attached by init */
static char omx_ifnames_pending[256];
static bool omx_ifaces_ready;

u64 omx_mac_to_addr(const u8 *mac)
{
	u64 addr = 0;
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		addr = addr << 8 | mac[i];
	return addr;
}

void omx_addr_to_mac(u64 addr, u8 *mac)
{
	int i;

	for (i = ETH_ALEN - 1; i >= 0; i--) {
		mac[i] = addr & 0xff;
		addr >>= 8;
	}
}

void omx_count(struct omx_iface *ifc, enum omx_counter c)
{
	atomic_inc(ifc ? &ifc->counters.v[c] : &omx_shared_counters.v[c]);
}

/* A frame @ifc sent to a board of this host: the host's and its own. */
void omx_count_shared(struct omx_iface *ifc, enum omx_counter c)
{
	atomic_inc(&omx_shared_counters.v[c]);
	atomic_inc(&ifc->shared_counters.v[c]);
}

/* The attached interface @dev.  Under RCU or the engine mutex. */
struct omx_iface *omx_iface_by_dev(const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_check(omx_ifaces[i],
				lockdep_is_held(&omx_engine_mutex));

		if (ifc && ifc->dev == dev && !omx_iface_is_virtual(ifc))
			return ifc;
	}
	return NULL;
}

/*
 * The board a frame that arrived on @dev is for: a virtual board riding
 * on @dev whose MAC it is sent to, else @dev's own board.  Under RCU.
 */
struct omx_iface *omx_iface_for_frame(const struct net_device *dev,
				      const u8 *dst_mac)
{
	struct omx_iface *own = NULL;
	unsigned int i;

	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference(omx_ifaces[i]);

		if (!ifc || ifc->dev != dev)
			continue;
		if (omx_iface_is_virtual(ifc)) {
			if (ether_addr_equal(ifc->mac, dst_mac))
				return ifc;
		} else {
			own = ifc;
		}
	}
	return own;
}

struct omx_iface *omx_iface_by_addr(u64 addr)
{
	unsigned int i;

	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_check(omx_ifaces[i],
				lockdep_is_held(&omx_engine_mutex));

		if (ifc && ifc->addr == addr)
			return ifc;
	}
	return NULL;
}

unsigned int omx_iface_count(void)
{
	unsigned int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < omx_ifaces_max; i++)
		if (rcu_dereference(omx_ifaces[i]))
			n++;
	rcu_read_unlock();
	return n;
}

/* Why @dev cannot carry Open-MX frames, or NULL. */
static const char *omx_iface_unfit(const struct net_device *dev,
				   char *why, size_t len)
{
	unsigned int need = omx_engine_wire.mtu - ETH_HLEN;

	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN) {
		snprintf(why, len, "%s: not an Ethernet interface", dev->name);
		return why;
	}
	if (!(dev->flags & IFF_UP)) {
		snprintf(why, len,
			 "%s: it is down; bring it up first (ip link set %s up)",
			 dev->name, dev->name);
		return why;
	}
	if (dev->mtu < need) {
		snprintf(why, len,
			 "%s: its MTU %u is below the %u Open-MX frames need; raise it (ip link set %s mtu %u) or load with wire_mtu=1500",
			 dev->name, dev->mtu, need, dev->name,
			 omx_engine_wire.mtu == 9000 ? 9000 : need);
		return why;
	}
	return NULL;
}

static int omx_iface_attach(const char *name)
{
	struct omx_iface *ifc;
	struct net_device *dev;
	char why[160];
	unsigned int slot;
	int err;

	lockdep_assert_held(&omx_engine_mutex);
	dev = dev_get_by_name(&init_net, name);
	if (!dev) {
		pr_err("cannot attach %s: no such interface\n", name);
		return -ENODEV;
	}
	if (omx_iface_by_dev(dev)) {
		dev_put(dev);
		pr_info("%s is already attached\n", name);
		return 0;
	}
	if (omx_iface_unfit(dev, why, sizeof(why))) {
		pr_err("cannot attach %s\n", why);
		dev_put(dev);
		return -EINVAL;
	}
	for (slot = 0; slot < omx_ifaces_max; slot++)
		if (!rcu_access_pointer(omx_ifaces[slot]))
			break;
	if (slot == omx_ifaces_max) {
		pr_err("cannot attach %s: all %u boards in use (module parameter ifaces)\n",
		       name, omx_ifaces_max);
		dev_put(dev);
		return -ENOSPC;
	}

	ifc = kzalloc(sizeof(*ifc), GFP_KERNEL);
	if (!ifc)
		goto nomem;
	ifc->endpoints = kcalloc(omx_endpoints_max,
				 sizeof(*ifc->endpoints), GFP_KERNEL);
	if (!ifc->endpoints)
		goto nomem;
	ifc->index = slot;
	ifc->endpoint_max = omx_endpoints_max;
	ether_addr_copy(ifc->mac, dev->dev_addr);
	ifc->addr = omx_mac_to_addr(dev->dev_addr);
	snprintf(ifc->hostname, sizeof(ifc->hostname), "%s:%u",
		 init_utsname()->nodename, slot);
	err = omx_peer_add(ifc->addr, ifc->hostname, &ifc->peer_index);
	if (err) {
		pr_err("cannot attach %s: the peer table is full (module parameter peers)\n",
		       name);
		kfree(ifc->endpoints);
		kfree(ifc);
		dev_put(dev);
		return err;
	}
	/* Swap the untracked reference of dev_get_by_name for a tracked one. */
	ifc->dev = dev;
	netdev_tracker_alloc(dev, &ifc->dev_tracker, GFP_KERNEL);
	rcu_assign_pointer(omx_ifaces[slot], ifc);
	pr_info("attached %s (%pM) as board %u, hostname %s\n", dev->name,
		dev->dev_addr, slot, ifc->hostname);
	return 0;

nomem:
	if (ifc)
		kfree(ifc->endpoints);
	kfree(ifc);
	dev_put(dev);
	return -ENOMEM;
}

static void omx_iface_free_rcu(struct rcu_head *head)
{
	struct omx_iface *ifc = container_of(head, struct omx_iface, rcu);

	kfree(ifc->endpoints);
	kfree(ifc);
}

/* Virtual boards riding on @dev. */
static unsigned int omx_vboards_on(const struct net_device *dev)
{
	unsigned int i, n = 0;

	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_protected(
			omx_ifaces[i], lockdep_is_held(&omx_engine_mutex));

		if (ifc && omx_iface_is_virtual(ifc) && ifc->dev == dev)
			n++;
	}
	return n;
}

/*
 * Take a board out of the table: its endpoints die (their owners learn it
 * from the descriptor), its raw channel is cut (the discovery daemon
 * learns it at its next command and stops serving the board), nobody finds
 * it any more.  A virtual board's struct stays with the module that
 * registered it, which frees it (omx_board_unregister).
 */
static void omx_board_unpublish(struct omx_iface *ifc)
{
	lockdep_assert_held(&omx_engine_mutex);
	omx_endpoints_kill_iface(ifc, "detached");
	/*
	 * A virtual board too: omxoed announces every board GET_BOARD_INFO
	 * shows, guests' included, and must not keep sending on one that
	 * is about to be freed.
	 */
	omx_raw_detach(ifc);
	RCU_INIT_POINTER(omx_ifaces[ifc->index], NULL);
	/*
	 * A virtual board leaves the peer table with it: guests come and go
	 * (a reboot is a new domain), and their entries would fill the
	 * table and keep their names resolving to boards that are gone.
	 */
	if (omx_iface_is_virtual(ifc))
		omx_peer_remove(ifc->addr);
	synchronize_rcu();	/* no sender or receiver sees ifc any more */
	if (omx_iface_is_virtual(ifc))
		dev_uc_del(ifc->dev, ifc->mac);
	netdev_put(ifc->dev, &ifc->dev_tracker);
	ifc->dev = NULL;
}

static int omx_iface_detach(struct omx_iface *ifc, bool force)
{
	struct net_device *dev = ifc->dev;
	unsigned int i, guests;

	lockdep_assert_held(&omx_engine_mutex);
	guests = omx_vboards_on(dev);
	if ((ifc->endpoints_open || guests) && !force) {
		pr_err("cannot detach %s: %u endpoints and %u virtual (guest) boards use it; close them or write --%s to force\n",
		       dev->name, ifc->endpoints_open, guests, dev->name);
		return -EBUSY;
	}
	for (i = 0; guests && i < omx_ifaces_max; i++) {
		struct omx_iface *v = rcu_dereference_protected(
			omx_ifaces[i], lockdep_is_held(&omx_engine_mutex));

		if (v && omx_iface_is_virtual(v) && v->dev == dev) {
			pr_warn("%s is detached under the virtual board %s\n",
				dev->name, v->hostname);
			omx_board_unpublish(v);
		}
	}
	pr_info("detached %s (board %u)\n", dev->name, ifc->index);
	omx_board_unpublish(ifc);
	call_rcu(&ifc->rcu, omx_iface_free_rcu);
	return 0;
}

/* The first attached interface, or the one called @ifname. */
static struct omx_iface *omx_parent_board(const char *ifname)
{
	unsigned int i;

	if (!omx_ifaces)	/* no engine (KUnit's ring suites) */
		return NULL;
	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_protected(
			omx_ifaces[i], lockdep_is_held(&omx_engine_mutex));

		if (ifc && !omx_iface_is_virtual(ifc) &&
		    (!ifname || !strcmp(ifc->dev->name, ifname)))
			return ifc;
	}
	return NULL;
}

/*
 * A virtual board, riding on the attached interface p->parent_ifname
 * (NULL: the first one).  Its MAC joins the interface's unicast filter so
 * frames for it are received; frames between boards of this host never
 * leave it.  Contract in omx_engine_api.h.
 */
int omx_board_register(const struct omx_board_params *p, struct omx_iface **out)
{
	struct omx_iface *parent, *ifc;
	unsigned int slot;
	int err;

	if (!p->ops || !p->mac || !is_valid_ether_addr(p->mac) || !p->hostname)
		return -EINVAL;
	ifc = kzalloc(sizeof(*ifc), GFP_KERNEL);
	if (!ifc)
		return -ENOMEM;
	ifc->endpoints = kcalloc(omx_endpoints_max,
				 sizeof(*ifc->endpoints), GFP_KERNEL);
	if (!ifc->endpoints) {
		kfree(ifc);
		return -ENOMEM;
	}
	ifc->ops = p->ops;
	ifc->endpoint_max = min(p->endpoint_max, omx_endpoints_max);
	ether_addr_copy(ifc->mac, p->mac);
	ifc->addr = omx_mac_to_addr(p->mac);
	strscpy(ifc->hostname, p->hostname, sizeof(ifc->hostname));
	strscpy(ifc->shown_ifname, p->shown_ifname ?: "", sizeof(ifc->shown_ifname));
	strscpy(ifc->shown_driver, p->shown_driver ?: "", sizeof(ifc->shown_driver));

	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&omx_engine_mutex);
	err = -ENODEV;
	parent = omx_parent_board(p->parent_ifname);
	if (!parent)
		goto fail;
	err = -EADDRINUSE;
	if (omx_iface_by_addr(ifc->addr))
		goto fail;
	err = -ENOSPC;
	for (slot = 0; slot < omx_ifaces_max; slot++)
		if (!rcu_access_pointer(omx_ifaces[slot]))
			break;
	if (slot == omx_ifaces_max)
		goto fail;
	err = omx_peer_add(ifc->addr, ifc->hostname, &ifc->peer_index);
	if (err)
		goto fail;
	err = dev_uc_add(parent->dev, p->mac);
	if (err) {
		omx_peer_remove(ifc->addr);
		goto fail;
	}
	ifc->index = slot;
	ifc->dev = parent->dev;
	netdev_hold(ifc->dev, &ifc->dev_tracker, GFP_KERNEL);
	rcu_assign_pointer(omx_ifaces[slot], ifc);
	mutex_unlock(&omx_engine_mutex);
	rtnl_unlock();
	*out = ifc;	/* its owner says so, within its own log rate */
	return 0;

fail:
	mutex_unlock(&omx_engine_mutex);
	rtnl_unlock();
	kfree(ifc->endpoints);
	kfree(ifc);
	return err;
}
EXPORT_SYMBOL_GPL(omx_board_register);

/*
 * Every endpoint of every board registered with @ops dies now (its
 * module is going): owners learn it from their descriptors and are woken.
 * Boards stay until their owners and interfaces let them go.
 */
void omx_boards_kill_endpoints(const struct omx_board_ops *ops)
{
	unsigned int i;

	if (!ops)
		return;
	mutex_lock(&omx_engine_mutex);
	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_protected(
			omx_ifaces[i], lockdep_is_held(&omx_engine_mutex));

		if (ifc && ifc->ops == ops)
			omx_endpoints_kill_iface(ifc, NULL);
	}
	mutex_unlock(&omx_engine_mutex);
}
EXPORT_SYMBOL_GPL(omx_boards_kill_endpoints);

/* Still published, not taken away with its interface?  Under RCU. */
bool omx_iface_alive(const struct omx_iface *ifc)
{
	return rcu_dereference(omx_ifaces[ifc->index]) == ifc;
}

void omx_board_summary(struct omx_iface *b, struct omx_board_summary *s)
{
	struct net_device *dev;

	memset(s, 0, sizeof(*s));
	s->index = b->index;
	ether_addr_copy(s->mac, b->mac);
	strscpy(s->hostname, b->hostname, sizeof(s->hostname));
	rcu_read_lock();
	dev = omx_iface_alive(b) ? READ_ONCE(b->dev) : NULL;
	if (dev)
		strscpy(s->parent, dev->name, sizeof(s->parent));
	rcu_read_unlock();
}
EXPORT_SYMBOL_GPL(omx_board_summary);

u32 omx_engine_endpoints_max(void)
{
	return omx_endpoints_max;
}
EXPORT_SYMBOL_GPL(omx_engine_endpoints_max);

/* Its owner lets it go: its endpoints are already closed. */
void omx_board_unregister(struct omx_iface *ifc)
{
	if (ifc->endpoints_open)	/* the caller broke the contract */
		pr_err("virtual board %s unregistered with %u endpoints open\n",
		       ifc->hostname, ifc->endpoints_open);
	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&omx_engine_mutex);
	if (ifc->dev)		/* not already taken away with its interface */
		omx_board_unpublish(ifc);
	mutex_unlock(&omx_engine_mutex);
	rtnl_unlock();
	call_rcu(&ifc->rcu, omx_iface_free_rcu);
}
EXPORT_SYMBOL_GPL(omx_board_unregister);

static struct omx_iface *omx_iface_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_protected(
			omx_ifaces[i], lockdep_is_held(&omx_engine_mutex));

		if (ifc && !omx_iface_is_virtual(ifc) && !strcmp(ifc->dev->name, name))
			return ifc;
	}
	return NULL;
}

/* One comma-separated word of ifnames: [+|-|--]name */
static int omx_ifnames_word(char *word)
{
	struct omx_iface *ifc;
	bool force = false;

	if (word[0] == '-') {
		word++;
		if (word[0] == '-') {
			force = true;
			word++;
		}
		if (!*word || strlen(word) >= IFNAMSIZ)
			return -EINVAL;
		ifc = omx_iface_by_name(word);
		if (!ifc) {
			pr_err("cannot detach %s: not attached\n", word);
			return -ENODEV;
		}
		return omx_iface_detach(ifc, force);
	}
	if (word[0] == '+')
		word++;
	if (!*word || strlen(word) >= IFNAMSIZ) {
		pr_err("bad interface name in ifnames: '%s'\n", word);
		return -EINVAL;
	}
	return omx_iface_attach(word);
}

static int omx_ifnames_apply(const char *val)
{
	char *copy, *cur, *word;
	int err = 0, ret;

	copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = strim(copy);
	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&omx_engine_mutex);
	while ((word = strsep(&cur, ",")) != NULL) {
		word = strim(word);
		if (!*word)
			continue;
		ret = omx_ifnames_word(word);
		if (ret && !err)
			err = ret;
	}
	mutex_unlock(&omx_engine_mutex);
	rtnl_unlock();
	kfree(copy);
	return err;
}

int omx_ifnames_set(const char *val)
{
	if (!READ_ONCE(omx_ifaces_ready)) {
		if (strscpy(omx_ifnames_pending, val,
			    sizeof(omx_ifnames_pending)) < 0)
			return -E2BIG;
		return 0;
	}
	return omx_ifnames_apply(val);
}

int omx_ifnames_get(char *buf)
{
	unsigned int i;
	int len = 0;

	rcu_read_lock();
	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference(omx_ifaces[i]);

		if (ifc && !omx_iface_is_virtual(ifc))
			len += scnprintf(buf + len, PAGE_SIZE - len, "%s%s",
					 len ? "," : "", ifc->dev->name);
	}
	rcu_read_unlock();
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

/* Without ifnames: every interface fit for Open-MX, as Open-MX does. */
static void omx_attach_all(void)
{
	struct net_device *dev;
	char names[8][IFNAMSIZ];
	char why[160];
	unsigned int n = 0, i;

	rtnl_lock();
	for_each_netdev(&init_net, dev) {
		if (dev->flags & IFF_LOOPBACK)
			continue;
		if (omx_iface_unfit(dev, why, sizeof(why))) {
			pr_info("not attaching %s\n", why);
			continue;
		}
		if (n < ARRAY_SIZE(names))
			strscpy(names[n++], dev->name, IFNAMSIZ);
	}
	rtnl_unlock();
	mutex_lock(&omx_engine_mutex);
	for (i = 0; i < n; i++)
		omx_iface_attach(names[i]);
	mutex_unlock(&omx_engine_mutex);
}

static int omx_netdev_event(struct notifier_block *nb,
			    unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct omx_iface *ifc;

	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGEMTU &&
	    event != NETDEV_DOWN)
		return NOTIFY_DONE;
	/* Unregistering the notifier replays DOWN/UNREGISTER: exit handles it. */
	if (!READ_ONCE(omx_ifaces_ready))
		return NOTIFY_DONE;
	mutex_lock(&omx_engine_mutex);
	ifc = omx_iface_by_dev(dev);
	if (ifc) {
		if (event == NETDEV_UNREGISTER) {
			pr_warn("%s is going away: detaching board %u\n",
				dev->name, ifc->index);
			omx_iface_detach(ifc, true);
		} else if (event == NETDEV_DOWN) {
			pr_warn("%s went down: board %u cannot send until it is up again\n",
				dev->name, ifc->index);
		} else if (dev->mtu < omx_engine_wire.mtu - ETH_HLEN) {
			pr_warn("%s MTU is now %u, below the %u Open-MX needs: large frames will be dropped\n",
				dev->name, dev->mtu, omx_engine_wire.mtu - ETH_HLEN);
		}
	}
	mutex_unlock(&omx_engine_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block omx_netdev_nb = {
	.notifier_call = omx_netdev_event,
};

int omx_ifaces_init(void)
{
	int err;

	omx_ifaces = kcalloc(omx_ifaces_max, sizeof(*omx_ifaces),
			     GFP_KERNEL);
	if (!omx_ifaces)
		return -ENOMEM;
	err = register_netdevice_notifier(&omx_netdev_nb);
	if (err) {
		kfree(omx_ifaces);
		return err;
	}
	WRITE_ONCE(omx_ifaces_ready, true);
	if (omx_ifnames_pending[0])
		omx_ifnames_apply(omx_ifnames_pending);
	else
		omx_attach_all();
	return 0;
}

void omx_ifaces_exit(void)
{
	unsigned int i;

	WRITE_ONCE(omx_ifaces_ready, false);
	unregister_netdevice_notifier(&omx_netdev_nb);
	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&omx_engine_mutex);
	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference_protected(
			omx_ifaces[i], lockdep_is_held(&omx_engine_mutex));

		/* Virtual boards go with their parents or their owners. */
		if (ifc && !omx_iface_is_virtual(ifc))
			omx_iface_detach(ifc, true);
	}
	mutex_unlock(&omx_engine_mutex);
	rtnl_unlock();
	rcu_barrier();		/* every omx_iface_free_rcu has run */
	kfree(omx_ifaces);
}
