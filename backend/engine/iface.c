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
#include "common.h"
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/utsname.h>

struct x2mback_iface __rcu **x2mback_ifaces;
struct x2mback_counters_omx x2mback_shared_counters;
DEFINE_MUTEX(x2mback_engine_mutex);

/* ifnames given before the module was initialised, attached by init */
static char x2mback_ifnames_pending[256];
static bool x2mback_ifaces_ready;

u64 x2mback_mac_to_addr(const u8 *mac)
{
	u64 addr = 0;
	int i;

	for (i = 0; i < ETH_ALEN; i++)
		addr = addr << 8 | mac[i];
	return addr;
}

void x2mback_addr_to_mac(u64 addr, u8 *mac)
{
	int i;

	for (i = ETH_ALEN - 1; i >= 0; i--) {
		mac[i] = addr & 0xff;
		addr >>= 8;
	}
}

void x2mback_count(struct x2mback_iface *ifc, enum x2mback_counter c)
{
	atomic_inc(ifc ? &ifc->counters.v[c] : &x2mback_shared_counters.v[c]);
}

/* A frame @ifc sent to a board of this host: the host's and its own. */
void x2mback_count_shared(struct x2mback_iface *ifc, enum x2mback_counter c)
{
	atomic_inc(&x2mback_shared_counters.v[c]);
	atomic_inc(&ifc->shared_counters.v[c]);
}

/* The attached interface @dev.  Under RCU or the engine mutex. */
struct x2mback_iface *x2mback_iface_by_dev(const struct net_device *dev)
{
	unsigned int i;

	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_check(x2mback_ifaces[i],
				lockdep_is_held(&x2mback_engine_mutex));

		if (ifc && ifc->dev == dev && !ifc->guest)
			return ifc;
	}
	return NULL;
}

/*
 * The board a frame that arrived on @dev is for: a virtual board riding
 * on @dev whose MAC it is sent to, else @dev's own board.  Under RCU.
 */
struct x2mback_iface *x2mback_iface_for_frame(const struct net_device *dev,
					      const u8 *dst_mac)
{
	struct x2mback_iface *own = NULL;
	unsigned int i;

	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference(x2mback_ifaces[i]);

		if (!ifc || ifc->dev != dev)
			continue;
		if (ifc->guest) {
			if (ether_addr_equal(ifc->mac, dst_mac))
				return ifc;
		} else {
			own = ifc;
		}
	}
	return own;
}

struct x2mback_iface *x2mback_iface_by_addr(u64 addr)
{
	unsigned int i;

	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_check(x2mback_ifaces[i],
				lockdep_is_held(&x2mback_engine_mutex));

		if (ifc && ifc->addr == addr)
			return ifc;
	}
	return NULL;
}

unsigned int x2mback_iface_count(void)
{
	unsigned int i, n = 0;

	rcu_read_lock();
	for (i = 0; i < x2mback_ifaces_max; i++)
		if (rcu_dereference(x2mback_ifaces[i]))
			n++;
	rcu_read_unlock();
	return n;
}

/* Why @dev cannot carry Open-MX frames, or NULL. */
static const char *x2mback_iface_unfit(const struct net_device *dev,
				       char *why, size_t len)
{
	unsigned int need = x2mback_wire.mtu - ETH_HLEN;

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
			 x2mback_wire.mtu == 9000 ? 9000 : need);
		return why;
	}
	return NULL;
}

static int x2mback_iface_attach(const char *name)
{
	struct x2mback_iface *ifc;
	struct net_device *dev;
	char why[160];
	unsigned int slot;
	int err;

	lockdep_assert_held(&x2mback_engine_mutex);
	dev = dev_get_by_name(&init_net, name);
	if (!dev) {
		pr_err("cannot attach %s: no such interface\n", name);
		return -ENODEV;
	}
	if (x2mback_iface_by_dev(dev)) {
		dev_put(dev);
		pr_info("%s is already attached\n", name);
		return 0;
	}
	if (x2mback_iface_unfit(dev, why, sizeof(why))) {
		pr_err("cannot attach %s\n", why);
		dev_put(dev);
		return -EINVAL;
	}
	for (slot = 0; slot < x2mback_ifaces_max; slot++)
		if (!rcu_access_pointer(x2mback_ifaces[slot]))
			break;
	if (slot == x2mback_ifaces_max) {
		pr_err("cannot attach %s: all %u boards in use (module parameter ifaces)\n",
		       name, x2mback_ifaces_max);
		dev_put(dev);
		return -ENOSPC;
	}

	ifc = kzalloc(sizeof(*ifc), GFP_KERNEL);
	if (!ifc)
		goto nomem;
	ifc->endpoints = kcalloc(x2mback_endpoints_max,
				 sizeof(*ifc->endpoints), GFP_KERNEL);
	if (!ifc->endpoints)
		goto nomem;
	ifc->index = slot;
	ifc->endpoint_max = x2mback_endpoints_max;
	ether_addr_copy(ifc->mac, dev->dev_addr);
	ifc->addr = x2mback_mac_to_addr(dev->dev_addr);
	snprintf(ifc->hostname, sizeof(ifc->hostname), "%s:%u",
		 init_utsname()->nodename, slot);
	err = x2mback_peer_add(ifc->addr, ifc->hostname, &ifc->peer_index);
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
	rcu_assign_pointer(x2mback_ifaces[slot], ifc);
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

static void x2mback_iface_free_rcu(struct rcu_head *head)
{
	struct x2mback_iface *ifc = container_of(head, struct x2mback_iface, rcu);

	kfree(ifc->endpoints);
	kfree(ifc);
}

/* Guest boards riding on @dev. */
static unsigned int x2mback_vboards_on(const struct net_device *dev)
{
	unsigned int i, n = 0;

	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_protected(
			x2mback_ifaces[i], lockdep_is_held(&x2mback_engine_mutex));

		if (ifc && ifc->guest && ifc->dev == dev)
			n++;
	}
	return n;
}

/*
 * Take a board out of the table: its endpoints die (their owners learn it
 * from the descriptor), its raw channel is cut (the discovery daemon
 * learns it at its next command and stops serving the board), nobody finds
 * it any more.  A virtual board's struct stays with its guest device,
 * which frees it.
 */
static void x2mback_board_unpublish(struct x2mback_iface *ifc)
{
	lockdep_assert_held(&x2mback_engine_mutex);
	x2mback_endpoints_kill_iface(ifc, "detached");
	/*
	 * A guest's board too: omxoed announces every board GET_BOARD_INFO
	 * shows, guests' included, and must not keep sending on one that
	 * is about to be freed.
	 */
	x2mback_raw_detach(ifc);
	RCU_INIT_POINTER(x2mback_ifaces[ifc->index], NULL);
	/*
	 * A guest's board leaves the peer table with it: guests come and go
	 * (a reboot is a new domain), and their entries would fill the
	 * table and keep their names resolving to boards that are gone.
	 */
	if (ifc->guest)
		x2mback_peer_remove(ifc->addr);
	synchronize_rcu();	/* no sender or receiver sees ifc any more */
	if (ifc->guest)
		dev_uc_del(ifc->dev, ifc->mac);
	netdev_put(ifc->dev, &ifc->dev_tracker);
	ifc->dev = NULL;
}

static int x2mback_iface_detach(struct x2mback_iface *ifc, bool force)
{
	struct net_device *dev = ifc->dev;
	unsigned int i, guests;

	lockdep_assert_held(&x2mback_engine_mutex);
	guests = x2mback_vboards_on(dev);
	if ((ifc->endpoints_open || guests) && !force) {
		pr_err("cannot detach %s: %u endpoints and %u guest boards use it; close them or write --%s to force\n",
		       dev->name, ifc->endpoints_open, guests, dev->name);
		return -EBUSY;
	}
	for (i = 0; guests && i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *v = rcu_dereference_protected(
			x2mback_ifaces[i], lockdep_is_held(&x2mback_engine_mutex));

		if (v && v->guest && v->dev == dev) {
			pr_warn("%s is detached under the board of guest %s\n",
				dev->name, v->hostname);
			x2mback_board_unpublish(v);
		}
	}
	pr_info("detached %s (board %u)\n", dev->name, ifc->index);
	x2mback_board_unpublish(ifc);
	call_rcu(&ifc->rcu, x2mback_iface_free_rcu);
	return 0;
}

/* The first attached interface, or the one called @ifname. */
static struct x2mback_iface *x2mback_parent_board(const char *ifname)
{
	unsigned int i;

	if (!x2mback_ifaces)	/* no engine (KUnit's ring suites) */
		return NULL;
	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_protected(
			x2mback_ifaces[i], lockdep_is_held(&x2mback_engine_mutex));

		if (ifc && !ifc->guest &&
		    (!ifname || !strcmp(ifc->dev->name, ifname)))
			return ifc;
	}
	return NULL;
}

/*
 * A guest's board, riding on the attached interface @ifname (NULL: the
 * first one).  Its MAC joins the interface's unicast filter so frames for
 * it are received; frames between boards of this host never leave it.
 */
int x2mback_vboard_create(struct x2mback_device *guest, const char *ifname,
			  const u8 *mac, const char *hostname,
			  u32 endpoint_max, struct x2mback_iface **out)
{
	struct x2mback_iface *parent, *ifc;
	unsigned int slot;
	int err;

	if (!is_valid_ether_addr(mac))
		return -EINVAL;
	ifc = kzalloc(sizeof(*ifc), GFP_KERNEL);
	if (!ifc)
		return -ENOMEM;
	ifc->endpoints = kcalloc(x2mback_endpoints_max,
				 sizeof(*ifc->endpoints), GFP_KERNEL);
	if (!ifc->endpoints) {
		kfree(ifc);
		return -ENOMEM;
	}
	ifc->guest = guest;
	ifc->endpoint_max = min(endpoint_max, x2mback_endpoints_max);
	ether_addr_copy(ifc->mac, mac);
	ifc->addr = x2mback_mac_to_addr(mac);
	strscpy(ifc->hostname, hostname, sizeof(ifc->hostname));

	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&x2mback_engine_mutex);
	err = -ENODEV;
	parent = x2mback_parent_board(ifname);
	if (!parent)
		goto fail;
	err = -EADDRINUSE;
	if (x2mback_iface_by_addr(ifc->addr))
		goto fail;
	err = -ENOSPC;
	for (slot = 0; slot < x2mback_ifaces_max; slot++)
		if (!rcu_access_pointer(x2mback_ifaces[slot]))
			break;
	if (slot == x2mback_ifaces_max)
		goto fail;
	err = x2mback_peer_add(ifc->addr, ifc->hostname, &ifc->peer_index);
	if (err)
		goto fail;
	err = dev_uc_add(parent->dev, mac);
	if (err)
		goto fail;
	ifc->index = slot;
	ifc->dev = parent->dev;
	netdev_hold(ifc->dev, &ifc->dev_tracker, GFP_KERNEL);
	rcu_assign_pointer(x2mback_ifaces[slot], ifc);
	mutex_unlock(&x2mback_engine_mutex);
	rtnl_unlock();
	*out = ifc;	/* its owner says so, within its own log rate */
	return 0;

fail:
	mutex_unlock(&x2mback_engine_mutex);
	rtnl_unlock();
	kfree(ifc->endpoints);
	kfree(ifc);
	return err;
}

/*
 * Every endpoint of every board dies now (the module is going): owners
 * learn it from their descriptors, guests are kicked.  Boards stay until
 * their devices and interfaces go.
 */
void x2mback_ifaces_kill_endpoints(void)
{
	unsigned int i;

	mutex_lock(&x2mback_engine_mutex);
	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_protected(
			x2mback_ifaces[i], lockdep_is_held(&x2mback_engine_mutex));

		if (ifc)
			x2mback_endpoints_kill_iface(ifc, NULL);
	}
	mutex_unlock(&x2mback_engine_mutex);
}

/* The guest device is going: its endpoints are already closed. */
void x2mback_vboard_destroy(struct x2mback_iface *ifc)
{
	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&x2mback_engine_mutex);
	if (ifc->dev)		/* not already taken away with its interface */
		x2mback_board_unpublish(ifc);
	mutex_unlock(&x2mback_engine_mutex);
	rtnl_unlock();
	call_rcu(&ifc->rcu, x2mback_iface_free_rcu);
}

static struct x2mback_iface *x2mback_iface_by_name(const char *name)
{
	unsigned int i;

	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_protected(
			x2mback_ifaces[i], lockdep_is_held(&x2mback_engine_mutex));

		if (ifc && !ifc->guest && !strcmp(ifc->dev->name, name))
			return ifc;
	}
	return NULL;
}

/* One comma-separated word of ifnames: [+|-|--]name */
static int x2mback_ifnames_word(char *word)
{
	struct x2mback_iface *ifc;
	bool force = false;

	if (word[0] == '-') {
		word++;
		if (word[0] == '-') {
			force = true;
			word++;
		}
		if (!*word || strlen(word) >= IFNAMSIZ)
			return -EINVAL;
		ifc = x2mback_iface_by_name(word);
		if (!ifc) {
			pr_err("cannot detach %s: not attached\n", word);
			return -ENODEV;
		}
		return x2mback_iface_detach(ifc, force);
	}
	if (word[0] == '+')
		word++;
	if (!*word || strlen(word) >= IFNAMSIZ) {
		pr_err("bad interface name in ifnames: '%s'\n", word);
		return -EINVAL;
	}
	return x2mback_iface_attach(word);
}

static int x2mback_ifnames_apply(const char *val)
{
	char *copy, *cur, *word;
	int err = 0, ret;

	copy = kstrdup(val, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	cur = strim(copy);
	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&x2mback_engine_mutex);
	while ((word = strsep(&cur, ",")) != NULL) {
		word = strim(word);
		if (!*word)
			continue;
		ret = x2mback_ifnames_word(word);
		if (ret && !err)
			err = ret;
	}
	mutex_unlock(&x2mback_engine_mutex);
	rtnl_unlock();
	kfree(copy);
	return err;
}

int x2mback_ifnames_set(const char *val)
{
	if (!READ_ONCE(x2mback_ifaces_ready)) {
		if (strscpy(x2mback_ifnames_pending, val,
			    sizeof(x2mback_ifnames_pending)) < 0)
			return -E2BIG;
		return 0;
	}
	return x2mback_ifnames_apply(val);
}

int x2mback_ifnames_get(char *buf)
{
	unsigned int i;
	int len = 0;

	rcu_read_lock();
	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference(x2mback_ifaces[i]);

		if (ifc && !ifc->guest)
			len += scnprintf(buf + len, PAGE_SIZE - len, "%s%s",
					 len ? "," : "", ifc->dev->name);
	}
	rcu_read_unlock();
	len += scnprintf(buf + len, PAGE_SIZE - len, "\n");
	return len;
}

/* Without ifnames: every interface fit for Open-MX, as Open-MX does. */
static void x2mback_attach_all(void)
{
	struct net_device *dev;
	char names[8][IFNAMSIZ];
	char why[160];
	unsigned int n = 0, i;

	rtnl_lock();
	for_each_netdev(&init_net, dev) {
		if (dev->flags & IFF_LOOPBACK)
			continue;
		if (x2mback_iface_unfit(dev, why, sizeof(why))) {
			pr_info("not attaching %s\n", why);
			continue;
		}
		if (n < ARRAY_SIZE(names))
			strscpy(names[n++], dev->name, IFNAMSIZ);
	}
	rtnl_unlock();
	mutex_lock(&x2mback_engine_mutex);
	for (i = 0; i < n; i++)
		x2mback_iface_attach(names[i]);
	mutex_unlock(&x2mback_engine_mutex);
}

static int x2mback_netdev_event(struct notifier_block *nb,
				unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct x2mback_iface *ifc;

	if (event != NETDEV_UNREGISTER && event != NETDEV_CHANGEMTU &&
	    event != NETDEV_DOWN)
		return NOTIFY_DONE;
	/* Unregistering the notifier replays DOWN/UNREGISTER: exit handles it. */
	if (!READ_ONCE(x2mback_ifaces_ready))
		return NOTIFY_DONE;
	mutex_lock(&x2mback_engine_mutex);
	ifc = x2mback_iface_by_dev(dev);
	if (ifc) {
		if (event == NETDEV_UNREGISTER) {
			pr_warn("%s is going away: detaching board %u\n",
				dev->name, ifc->index);
			x2mback_iface_detach(ifc, true);
		} else if (event == NETDEV_DOWN) {
			pr_warn("%s went down: board %u cannot send until it is up again\n",
				dev->name, ifc->index);
		} else if (dev->mtu < x2mback_wire.mtu - ETH_HLEN) {
			pr_warn("%s MTU is now %u, below the %u Open-MX needs: large frames will be dropped\n",
				dev->name, dev->mtu, x2mback_wire.mtu - ETH_HLEN);
		}
	}
	mutex_unlock(&x2mback_engine_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block x2mback_netdev_nb = {
	.notifier_call = x2mback_netdev_event,
};

int x2mback_ifaces_init(void)
{
	int err;

	x2mback_ifaces = kcalloc(x2mback_ifaces_max, sizeof(*x2mback_ifaces),
				 GFP_KERNEL);
	if (!x2mback_ifaces)
		return -ENOMEM;
	err = register_netdevice_notifier(&x2mback_netdev_nb);
	if (err) {
		kfree(x2mback_ifaces);
		return err;
	}
	WRITE_ONCE(x2mback_ifaces_ready, true);
	if (x2mback_ifnames_pending[0])
		x2mback_ifnames_apply(x2mback_ifnames_pending);
	else
		x2mback_attach_all();
	return 0;
}

void x2mback_ifaces_exit(void)
{
	unsigned int i;

	WRITE_ONCE(x2mback_ifaces_ready, false);
	unregister_netdevice_notifier(&x2mback_netdev_nb);
	rtnl_lock();	/* the unicast filter; before the engine mutex */
	mutex_lock(&x2mback_engine_mutex);
	for (i = 0; i < x2mback_ifaces_max; i++) {
		struct x2mback_iface *ifc = rcu_dereference_protected(
			x2mback_ifaces[i], lockdep_is_held(&x2mback_engine_mutex));

		/* Guest boards go with their parents or their devices. */
		if (ifc && !ifc->guest)
			x2mback_iface_detach(ifc, true);
	}
	mutex_unlock(&x2mback_engine_mutex);
	rtnl_unlock();
	rcu_barrier();		/* every x2mback_iface_free_rcu has run */
	kfree(x2mback_ifaces);
}
