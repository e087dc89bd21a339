// SPDX-License-Identifier: GPL-2.0-only
/*
 * peer.c - the peer table: every board of the fabric, local ones included.
 *
 * Filled by omx_init_peers (static file) or the discovery daemon through
 * /dev/open-mx; a peer known by address only is asked for its hostname
 * (HOST_QUERY) every 5 s until it answers.  The receive path reads the
 * table under RCU; writers serialise on omx_peers_lock.
 *
 * What the wire may change here is little, and checked (recv.c):
 * - a HOST_REPLY names only a remote peer we asked and that has no name
 *   yet, and only if it echoes the magic of our query, which is a keyed
 *   hash of that peer's address: another host cannot guess it;
 * - no name from the wire may be the name of a board of this host, and
 *   no frame from the wire renames one;
 * - a hostname resolves to a board of this host first, else to the peer
 *   named most recently, so a rebooted guest's or host's new board wins
 *   over an entry left behind by its previous life.
 * A guest's board takes its entry out of the table when it goes.  Slots
 * are handed out round-robin, so an index freed by a departed board is the
 * last one to be given again (stale references to it then meet a new
 * session and are nacked, not delivered).
 */
#include "omx_engine.h"
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/siphash.h>
#include <linux/slab.h>

#define OMX_HOST_QUERY_PERIOD	(5 * HZ)

static struct omx_peer __rcu **omx_peers;
static DEFINE_HASHTABLE(omx_peer_hash, 8);
static DEFINE_SPINLOCK(omx_peers_lock);
static unsigned int omx_peer_used;
static u32 omx_peer_next;		/* where the next free slot is sought */
static u64 omx_peer_name_seq;	/* orders the namings */
static bool omx_peer_full_flag;
static siphash_key_t omx_query_key;	/* HOST_QUERY magics; random */
static struct omx_cmd_peer_table_state omx_peer_state;
static struct delayed_work omx_host_query_work;

/* Names learnt in softirq (HOST_REPLY), applied by a work item */
#define OMX_NAME_QUEUE	16
static struct {
	u32 index;
	char name[OMX_ABI_HOSTNAME_MAX];
} omx_name_queue[OMX_NAME_QUEUE];
static unsigned int omx_name_count;
static DEFINE_SPINLOCK(omx_name_lock);
static struct work_struct omx_name_work;

struct omx_peer *omx_peer_by_index(u32 index)
{
	if (index >= omx_peers_max)
		return NULL;
	return rcu_dereference_check(omx_peers[index],
				     lockdep_is_held(&omx_peers_lock));
}

struct omx_peer *omx_peer_by_addr(u64 addr)
{
	struct omx_peer *p;

	hash_for_each_possible_rcu(omx_peer_hash, p, hash, addr,
				   lockdep_is_held(&omx_peers_lock))
		if (p->addr == addr)
			return p;
	return NULL;
}

/* Adds @addr, or names it if it is known; *index gets its slot. */
int omx_peer_add(u64 addr, const char *hostname, u32 *index)
{
	struct omx_peer *p, *old, *np;
	u32 i;

	np = kzalloc(sizeof(*np), GFP_KERNEL);
	if (!np)
		return -ENOMEM;
	spin_lock_bh(&omx_peers_lock);
	old = omx_peer_by_addr(addr);
	if (old) {
		*index = old->index;
		if (hostname && hostname[0] &&
		    (!old->named || strcmp(old->hostname, hostname))) {
			/* Names change by replacement: readers see one or the other. */
			*np = *old;
			strscpy(np->hostname, hostname, sizeof(np->hostname));
			np->named = true;
			np->named_seq = ++omx_peer_name_seq;
			hash_del_rcu(&old->hash);
			hash_add_rcu(omx_peer_hash, &np->hash, addr);
			rcu_assign_pointer(omx_peers[old->index], np);
			kfree_rcu(old, rcu);
			np = NULL;
		}
		spin_unlock_bh(&omx_peers_lock);
		kfree(np);
		return 0;
	}
	if (omx_peer_used == omx_peers_max) {
		omx_peer_full_flag = true;
		spin_unlock_bh(&omx_peers_lock);
		kfree(np);
		return -ENOSPC;
	}
	/* Round-robin: the slot freed last is reused last. */
	i = omx_peer_next;
	while (rcu_access_pointer(omx_peers[i]))
		i = (i + 1) % omx_peers_max;
	omx_peer_next = (i + 1) % omx_peers_max;
	p = np;
	p->addr = addr;
	p->index = i;
	p->remote_index = OMX_WIRE_PEER_INDEX_UNKNOWN;
	if (hostname && hostname[0]) {
		strscpy(p->hostname, hostname, sizeof(p->hostname));
		p->named = true;
		p->named_seq = ++omx_peer_name_seq;
	}
	hash_add_rcu(omx_peer_hash, &p->hash, addr);
	rcu_assign_pointer(omx_peers[i], p);
	omx_peer_used++;
	*index = i;
	spin_unlock_bh(&omx_peers_lock);
	if (!p->named)
		mod_delayed_work(system_wq, &omx_host_query_work, 0);
	return 0;
}

/* Takes @addr out of the table (a guest's board that went away). */
void omx_peer_remove(u64 addr)
{
	struct omx_peer *p;

	spin_lock_bh(&omx_peers_lock);
	p = omx_peer_by_addr(addr);
	if (p) {
		hash_del_rcu(&p->hash);
		RCU_INIT_POINTER(omx_peers[p->index], NULL);
		kfree_rcu(p, rcu);
		omx_peer_used--;
		omx_peer_full_flag = false;
	}
	spin_unlock_bh(&omx_peers_lock);
}

/*
 * Drops every remote peer.  Local boards stay (their indexes are in
 * endpoint descriptors), named after the board again.
 */
void omx_peers_clear(void)
{
	unsigned int i;

	rcu_read_lock();	/* omx_iface_by_addr() */
	spin_lock_bh(&omx_peers_lock);
	for (i = 0; i < omx_peers_max; i++) {
		struct omx_peer *p = omx_peer_by_index(i);

		if (!p || omx_iface_by_addr(p->addr))
			continue;
		hash_del_rcu(&p->hash);
		RCU_INIT_POINTER(omx_peers[i], NULL);
		kfree_rcu(p, rcu);
		omx_peer_used--;
	}
	omx_peer_full_flag = false;
	memset(&omx_peer_state, 0, sizeof(omx_peer_state));
	spin_unlock_bh(&omx_peers_lock);
	rcu_read_unlock();
}

/*
 * The peer called @name: a board of this host if one is, else the one
 * named last (the newest life of a board that came back).  Under RCU.
 */
static struct omx_peer *omx_peer_by_hostname(const char *name)
{
	struct omx_peer *best = NULL;
	unsigned int i;

	for (i = 0; i < omx_peers_max; i++) {
		struct omx_peer *c = omx_peer_by_index(i);

		if (!c || !c->named || strcmp(c->hostname, name))
			continue;
		if (omx_iface_by_addr(c->addr))
			return c;
		if (!best || c->named_seq > best->named_seq)
			best = c;
	}
	return best;
}

int omx_peer_lookup(struct omx_cmd_peer *cmd, unsigned int how)
{
	struct omx_peer *p = NULL;
	int err = -ENOENT;

	rcu_read_lock();
	switch (how) {
	case OMX_PEER_BY_INDEX:
		p = omx_peer_by_index(cmd->index);
		break;
	case OMX_PEER_BY_ADDR:
		p = omx_peer_by_addr(cmd->addr);
		break;
	case OMX_PEER_BY_HOSTNAME:
		cmd->hostname[sizeof(cmd->hostname) - 1] = '\0';
		p = omx_peer_by_hostname(cmd->hostname);
		break;
	}
	if (p) {
		cmd->index = p->index;
		cmd->addr = p->addr;
		memset(cmd->hostname, 0, sizeof(cmd->hostname));
		if (p->named)
			strscpy(cmd->hostname, p->hostname, sizeof(cmd->hostname));
		err = 0;
	}
	rcu_read_unlock();
	return err;
}

/*
 * A CONNECT or HOST_* packet told us our index in that peer's table.  The
 * field is a u16 written and read whole, so no replacement is needed.
 */
void omx_peer_set_remote_index(u32 index, u16 remote_index)
{
	struct omx_peer *p;

	rcu_read_lock();
	p = omx_peer_by_index(index);
	if (p && READ_ONCE(p->remote_index) != remote_index)
		WRITE_ONCE(p->remote_index, remote_index);
	rcu_read_unlock();
}

void omx_peer_set_hostname(u32 index, const char *name)
{
	struct omx_peer *p;
	u64 addr = 0;
	u32 ignored;

	rcu_read_lock();
	p = omx_peer_by_index(index);
	if (p)
		addr = p->addr;
	rcu_read_unlock();
	if (p)
		omx_peer_add(addr, name, &ignored);
}

/*
 * Whether a board of this host is called @name.  Under RCU.  The name is
 * compared in the peer table, where every local board has its entry.
 */
static bool omx_name_is_local(const char *name)
{
	unsigned int i;

	for (i = 0; i < omx_ifaces_max; i++) {
		struct omx_iface *ifc = rcu_dereference(omx_ifaces[i]);
		struct omx_peer *p;

		if (!ifc)
			continue;
		p = omx_peer_by_index(ifc->peer_index);
		if (p && p->named && !strcmp(p->hostname, name))
			return true;
	}
	return false;
}

/*
 * A HOST_REPLY names remote peer @index.  Whether to believe it: the peer
 * is not a board of this host, we asked it (it has no name yet) and the
 * name is not one of our boards'.  Under RCU (receive path).
 */
bool omx_peer_name_acceptable(const struct omx_peer *peer,
			      const char *name)
{
	return !omx_iface_by_addr(peer->addr) && !READ_ONCE(peer->named) &&
	       name[0] && !omx_name_is_local(name);
}

/* From the receive path: a full queue drops the name; the next query retries. */
void omx_peer_name_later(u32 index, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&omx_name_lock, flags);
	if (omx_name_count < OMX_NAME_QUEUE) {
		omx_name_queue[omx_name_count].index = index;
		strscpy(omx_name_queue[omx_name_count].name, name,
			OMX_ABI_HOSTNAME_MAX);
		omx_name_count++;
	}
	spin_unlock_irqrestore(&omx_name_lock, flags);
	schedule_work(&omx_name_work);
}

static void omx_peer_name_from_wire(u32 index, const char *name);

static void omx_name_fn(struct work_struct *work)
{
	char name[OMX_ABI_HOSTNAME_MAX];
	unsigned long flags;
	u32 index;

	for (;;) {
		spin_lock_irqsave(&omx_name_lock, flags);
		if (!omx_name_count) {
			spin_unlock_irqrestore(&omx_name_lock, flags);
			return;
		}
		omx_name_count--;
		index = omx_name_queue[omx_name_count].index;
		memcpy(name, omx_name_queue[omx_name_count].name,
		       sizeof(name));
		spin_unlock_irqrestore(&omx_name_lock, flags);
		omx_peer_name_from_wire(index, name);
	}
}

/* Applies a name a HOST_REPLY gave, if it is still acceptable now. */
static void omx_peer_name_from_wire(u32 index, const char *name)
{
	struct omx_peer *p;
	bool ok;

	rcu_read_lock();
	p = omx_peer_by_index(index);
	ok = p && omx_peer_name_acceptable(p, name);
	rcu_read_unlock();
	if (ok)
		omx_peer_set_hostname(index, name);
}

/*
 * Runs the pending host queries and applies the names learnt from the
 * wire so far (KUnit: what the work items would do by themselves).
 */
void omx_peers_sync(void)
{
	flush_delayed_work(&omx_host_query_work);
	flush_work(&omx_name_work);
}

void omx_peer_get_state(struct omx_cmd_peer_table_state *st)
{
	spin_lock_bh(&omx_peers_lock);
	*st = omx_peer_state;
	st->size = omx_peer_used;
	spin_unlock_bh(&omx_peers_lock);
}

void omx_peer_set_state(const struct omx_cmd_peer_table_state *st)
{
	spin_lock_bh(&omx_peers_lock);
	omx_peer_state.configured = !!st->configured;
	omx_peer_state.version = st->version;
	omx_peer_state.mapper_id = st->mapper_id;
	spin_unlock_bh(&omx_peers_lock);
}

unsigned int omx_peer_count(void)
{
	return READ_ONCE(omx_peer_used);
}

bool omx_peers_full(void)
{
	return READ_ONCE(omx_peer_full_flag);
}

/*
 * The magic of our HOST_QUERY to @addr, which its HOST_REPLY must echo: a
 * keyed hash, so knowing the magic of one peer tells nothing of another's.
 */
u32 omx_host_query_magic(u64 addr)
{
	return (u32)siphash_1u64(addr, &omx_query_key);
}

/* Ask every unnamed remote peer its name, out of every board. */
static void omx_host_query_fn(struct work_struct *work)
{
	bool pending = false;
	unsigned int i, b;

	rcu_read_lock();
	for (i = 0; i < omx_peers_max; i++) {
		struct omx_peer *p = omx_peer_by_index(i);

		if (!p || p->named || omx_iface_by_addr(p->addr))
			continue;
		pending = true;
		for (b = 0; b < omx_ifaces_max; b++) {
			struct omx_iface *ifc = rcu_dereference(omx_ifaces[b]);

			if (ifc)
				omx_send_host_query(ifc, p);
		}
	}
	rcu_read_unlock();
	if (pending)
		schedule_delayed_work(&omx_host_query_work,
				      OMX_HOST_QUERY_PERIOD);
}

int omx_peers_init(void)
{
	omx_peers = kcalloc(omx_peers_max, sizeof(*omx_peers),
			    GFP_KERNEL);
	if (!omx_peers)
		return -ENOMEM;
	get_random_bytes(&omx_query_key, sizeof(omx_query_key));
	omx_peer_next = 0;
	omx_peer_name_seq = 0;
	INIT_DELAYED_WORK(&omx_host_query_work, omx_host_query_fn);
	INIT_WORK(&omx_name_work, omx_name_fn);
	return 0;
}

/* Stops the work items; the receive path must already be gone. */
void omx_peers_stop(void)
{
	cancel_delayed_work_sync(&omx_host_query_work);
	cancel_work_sync(&omx_name_work);
}

void omx_peers_exit(void)
{
	unsigned int i;

	omx_peers_stop();
	spin_lock_bh(&omx_peers_lock);
	for (i = 0; i < omx_peers_max; i++) {
		struct omx_peer *p = omx_peer_by_index(i);

		if (!p)
			continue;
		hash_del_rcu(&p->hash);
		RCU_INIT_POINTER(omx_peers[i], NULL);
		kfree_rcu(p, rcu);
	}
	omx_peer_used = 0;
	spin_unlock_bh(&omx_peers_lock);
	rcu_barrier();
	kfree(omx_peers);
}
