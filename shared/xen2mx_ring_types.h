/* SPDX-License-Identifier: MIT */
/*
 * xen2mx_ring_types.h - Xen standard ring types over the xen2mx slots.
 *
 * Kernel only: io/ring.h needs the kernel's barriers.  The request ring
 * carries guest requests and their responses; the event ring carries the
 * guest's credits and the events dom0 fills into them.
 */
#ifndef XEN2MX_RING_TYPES_H
#define XEN2MX_RING_TYPES_H

#include <xen/interface/io/ring.h>
#include "xen2mx_proto.h"

DEFINE_RING_TYPES(xen2mx_req, struct xen2mx_request, struct xen2mx_response);
DEFINE_RING_TYPES(xen2mx_evt, struct xen2mx_evt_credit, struct xen2mx_event);

#endif /* XEN2MX_RING_TYPES_H */
