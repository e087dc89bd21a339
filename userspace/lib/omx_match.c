/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_match.c - matching queues with masks and context ids (see omx_match.h).
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#include <stdlib.h>

#include "omx_match.h"

int omx_match_ctxid_valid(unsigned bits, unsigned shift)
{
	return bits <= OMX_MATCH_CTXID_BITS_MAX && bits + shift <= 64;
}

int omx_match_queues_init(struct omx_match_queues *q, unsigned bits,
			  unsigned shift)
{
	uint32_t i;

	if (!omx_match_ctxid_valid(bits, shift))
		return -1;
	q->ctxid_bits = (uint8_t)bits;
	q->ctxid_shift = bits ? (uint8_t)shift : 0;
	q->nbuckets = 1U << bits;
	q->posted = calloc(q->nbuckets, sizeof(*q->posted));
	q->unexp = calloc(q->nbuckets, sizeof(*q->unexp));
	if (!q->posted || !q->unexp) {
		free(q->posted);
		free(q->unexp);
		q->posted = q->unexp = NULL;
		return -1;
	}
	for (i = 0; i < q->nbuckets; i++) {
		omx_list_init(&q->posted[i]);
		omx_list_init(&q->unexp[i]);
	}
	omx_list_init(&q->unexp_all);
	return 0;
}

void omx_match_queues_destroy(struct omx_match_queues *q)
{
	free(q->posted);
	free(q->unexp);
	q->posted = q->unexp = NULL;
}

static uint64_t ctxid_field_mask(const struct omx_match_queues *q)
{
	if (!q->ctxid_bits)
		return 0;
	return (((uint64_t)1 << q->ctxid_bits) - 1) << q->ctxid_shift;
}

uint32_t omx_match_bucket(const struct omx_match_queues *q, uint64_t info)
{
	if (!q->ctxid_bits)
		return 0;
	return (uint32_t)((info & ctxid_field_mask(q)) >> q->ctxid_shift);
}

enum omx_match_check omx_match_check_recv(const struct omx_match_queues *q,
					  uint64_t info, uint64_t mask)
{
	uint64_t ctx = ctxid_field_mask(q);

	if (!omx_match_pattern_ok(info, mask))
		return OMX_MATCH_BAD_MASK;
	if ((mask & ctx) != ctx)
		return OMX_MATCH_BAD_CTXID;
	return OMX_MATCH_OK;
}

void omx_match_post_recv(struct omx_match_queues *q,
			 struct omx_match_entry *recv, uint64_t info,
			 uint64_t mask)
{
	recv->info = info;
	recv->mask = mask;
	omx_list_init(&recv->all_elt);
	omx_list_add_tail(&recv->bucket_elt,
			  &q->posted[omx_match_bucket(q, info)]);
}

struct omx_match_entry *omx_match_take_recv(struct omx_match_queues *q,
					    uint64_t msg_info)
{
	struct omx_list *head = &q->posted[omx_match_bucket(q, msg_info)];
	struct omx_list *pos;

	omx_list_for_each(pos, head) {
		struct omx_match_entry *e =
			OMX_LIST_ENTRY(pos, struct omx_match_entry, bucket_elt);

		if (omx_match_hit(msg_info, e->info, e->mask)) {
			omx_list_del(&e->bucket_elt);
			return e;
		}
	}
	return NULL;
}

void omx_match_add_unexp(struct omx_match_queues *q,
			 struct omx_match_entry *msg, uint64_t msg_info)
{
	msg->info = msg_info;
	msg->mask = ~(uint64_t)0;
	omx_list_add_tail(&msg->bucket_elt,
			  &q->unexp[omx_match_bucket(q, msg_info)]);
	omx_list_add_tail(&msg->all_elt, &q->unexp_all);
}

struct omx_match_entry *omx_match_take_unexp(struct omx_match_queues *q,
					     uint64_t info, uint64_t mask)
{
	struct omx_list *head = &q->unexp[omx_match_bucket(q, info)];
	struct omx_list *pos;

	omx_list_for_each(pos, head) {
		struct omx_match_entry *e =
			OMX_LIST_ENTRY(pos, struct omx_match_entry, bucket_elt);

		if (omx_match_hit(e->info, info, mask)) {
			omx_match_remove(e);
			return e;
		}
	}
	return NULL;
}

struct omx_match_entry *omx_match_peek_unexp(const struct omx_match_queues *q,
					     uint64_t info, uint64_t mask)
{
	const struct omx_list *pos;

	omx_list_for_each(pos, &q->unexp_all) {
		struct omx_match_entry *e =
			OMX_LIST_ENTRY(pos, struct omx_match_entry, all_elt);

		if (omx_match_hit(e->info, info, mask))
			return e;
	}
	return NULL;
}

void omx_match_remove(struct omx_match_entry *e)
{
	omx_list_del(&e->bucket_elt);
	omx_list_del(&e->all_elt);
}
