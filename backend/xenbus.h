/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xenbus.h - the backend state machine's decision function, shared with the
 * KUnit suite.
 */
#ifndef X2MBACK_XENBUS_H
#define X2MBACK_XENBUS_H

#include <xen/xenbus.h>

enum x2mback_action {
	X2MBACK_NOTHING,
	X2MBACK_REARM,		/* back to InitWait: offer the device again */
	X2MBACK_CONNECT,	/* read, validate, map, bind, go Connected */
	X2MBACK_CLOSE,		/* disconnect, go Closing */
	X2MBACK_CLOSED,		/* disconnect, go Closed, keep the device */
	X2MBACK_UNREGISTER,	/* disconnect, go Closed, drop the device */
};

enum x2mback_action x2mback_next_action(enum xenbus_state be,
					enum xenbus_state fe, bool online);

/*
 * Connection attempts a device may make: X2MBACK_CONNECT_BURST at once,
 * then one per X2MBACK_CONNECT_PERIOD.  A guest cycling its frontend state
 * gets its connects spread out (each costs dom0 mappings, RTNL, RCU grace
 * periods and log lines), not refused.
 */
#define X2MBACK_CONNECT_BURST	4
#define X2MBACK_CONNECT_PERIOD	(2 * HZ)

struct x2mback_connect_pace {
	unsigned int tokens;
	unsigned long stamp;		/* jiffies of the last refill */
};

void x2mback_connect_pace_init(struct x2mback_connect_pace *pc,
			       unsigned long now);
bool x2mback_connect_pace_take(struct x2mback_connect_pace *pc,
			       unsigned long now, unsigned long *wait);

#endif /* X2MBACK_XENBUS_H */
