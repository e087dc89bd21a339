/* SPDX-License-Identifier: MIT */
/*
 * xen2mx_ioctl.h - transport diagnostics on the frontend's /dev/open-mx.
 *
 * The guest's /dev/open-mx will carry the Open-MX endpoint commands; the
 * commands here exercise the split-driver transport itself (ECHO, STATS) and
 * live in a number range of their own (0x80..0x8f) so they never collide with
 * the endpoint commands.
 */
#ifndef XEN2MX_IOCTL_H
#define XEN2MX_IOCTL_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <sys/ioctl.h>
#include <stdint.h>
#endif

#include "xen2mx_proto.h"

#define XEN2MX_IOC_TYPE		'X'

/* ECHO: data[0..len) goes to dom0 and comes back into data[0..len). */
struct xen2mx_ioc_echo {
	uint32_t len;			/* in: 0..XEN2MX_INLINE_MAX */
	uint32_t flags;			/* in: XEN2MX_ECHO_* */
	uint8_t  data[XEN2MX_INLINE_MAX];
};

/* STATS: both ends' view of the device the char device is bound to. */
struct xen2mx_ioc_stats {
	struct xen2mx_stats backend;	/* as reported by dom0 (XEN2MX_OP_STATS) */
	uint64_t requests;		/* requests this frontend pushed */
	uint64_t responses;		/* responses it consumed */
	uint64_t events;		/* events it consumed */
	uint64_t notifications;		/* notifications it sent */
	uint32_t version;		/* negotiated protocol version */
	uint32_t ring_page_order;	/* negotiated ring-page-order */
	uint32_t ring_slots;		/* slots per ring */
	uint32_t devid;			/* xenbus device id */
};

#define XEN2MX_IOC_ECHO		_IOWR(XEN2MX_IOC_TYPE, 0x80, struct xen2mx_ioc_echo)
#define XEN2MX_IOC_STATS	_IOR(XEN2MX_IOC_TYPE, 0x81, struct xen2mx_ioc_stats)

#endif /* XEN2MX_IOCTL_H */
