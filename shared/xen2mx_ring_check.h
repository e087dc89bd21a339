/* SPDX-License-Identifier: MIT */
/*
 * xen2mx_ring_check.h - ring bookkeeping and request checks shared by the
 * frontend, the backend and the user-space unit tests.
 *
 * Nothing here touches Xen or the kernel: every function takes plain values
 * (indexes read once from the shared page, negotiated orders, a private copy
 * of a slot) and answers whether they are acceptable.  Keeping the checks
 * here lets the unit tests hammer them with hostile values in user space.
 */
#ifndef XEN2MX_RING_CHECK_H
#define XEN2MX_RING_CHECK_H

#include "xen2mx_proto.h"

#ifndef __KERNEL__
#include <stdbool.h>
#include <stddef.h>
#endif

/*
 * Slots of a Xen standard ring of 2^order pages holding XEN2MX_SLOT_SIZE
 * slots: the largest power of two that fits after the 64-octet header (the
 * same rounding as io/ring.h's __RING_SIZE).  0 for an order out of range.
 */
unsigned int x2m_ring_slots(unsigned int order);

/*
 * Number of entries between a consumer index and a producer index, with the
 * 32-bit wrap-around the ring indexes use.
 */
static inline uint32_t x2m_ring_distance(uint32_t prod, uint32_t cons)
{
	return prod - cons;
}

/*
 * A producer may be at most @slots entries ahead of the point the other end
 * has answered up to (rsp_prod_pvt for a request ring, the consumer's index
 * for a response ring).  Anything further is an ill-behaved peer: the ring
 * content cannot be trusted any more.
 */
static inline bool x2m_ring_prod_overflow(uint32_t prod, uint32_t answered,
					  unsigned int slots)
{
	return x2m_ring_distance(prod, answered) > slots;
}

/* Outcome of validating what a frontend wrote in xenstore. */
enum x2m_nego_error {
	X2M_NEGO_OK = 0,
	X2M_NEGO_BAD_VERSION,		/* version not among the backend's */
	X2M_NEGO_ORDER_TOO_BIG,		/* ring-page-order > max-ring-page-order */
	X2M_NEGO_BAD_GRANT_REF,		/* a ring-ref is 0 or missing */
	X2M_NEGO_BAD_EVTCHN,		/* event-channel is 0 or missing */
};

struct x2m_nego {
	unsigned int version;
	unsigned int ring_page_order;
	unsigned int max_ring_page_order;	/* the backend's limit */
	unsigned int event_channel;
	unsigned int nr_refs;			/* refs present in each ring */
	const uint32_t *ring_refs;		/* request ring, 2^order entries */
	const uint32_t *evt_ring_refs;		/* event ring, 2^order entries */
};

enum x2m_nego_error x2m_nego_check(const struct x2m_nego *n);
const char *x2m_nego_strerror(enum x2m_nego_error e);

/*
 * Parse the backend's "versions" list (decimal numbers separated by commas
 * or blanks) and return the highest version both ends speak, or 0 when none
 * is shared or the list is malformed.
 */
unsigned int x2m_choose_version(const char *versions, unsigned int max_supported);

/*
 * Name of the xenstore node holding ring page @i: "<base>" for a one-page
 * ring, "<base><i>" otherwise.  Returns the length snprintf would produce.
 */
int x2m_ring_ref_node(char *buf, size_t len, const char *base,
		      unsigned int order, unsigned int i);

/*
 * Check a private copy of a request slot.  Returns XEN2MX_ST_OK when it may
 * be executed, or the status to answer it with.
 */
int x2m_request_check(const struct xen2mx_request *req);

/*
 * Execute an ECHO that passed x2m_request_check into @rsp (which the caller
 * zeroed).  When the request asks for the event ring, the payload goes to
 * @evt instead (may be NULL only when the flag is clear).
 */
void x2m_echo_fill(const struct xen2mx_request *req,
		   struct xen2mx_response *rsp, struct xen2mx_event *evt);

#endif /* XEN2MX_RING_CHECK_H */
