/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * omx_list.h - intrusive circular doubly-linked lists for libopen-mx.
 *
 * A request or partner sits on several queues at once (posted receives,
 * done queue, unacked sends, resend order...), so every queue is a list
 * head and every member embeds one struct omx_list per queue it may join.
 * An element that is on no list points to itself, which makes
 * omx_list_linked() a cheap membership test and double removal harmless.
 *
 * Copyright (c) 2026 the xen2mx authors.
 */
#ifndef OMX_LIST_H
#define OMX_LIST_H

#include <stddef.h>

struct omx_list {
	struct omx_list *next, *prev;
};

#define OMX_LIST_ENTRY(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void omx_list_init(struct omx_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline int omx_list_empty(const struct omx_list *head)
{
	return head->next == head;
}

/* 1 if the element is on some list (elements start initialised). */
static inline int omx_list_linked(const struct omx_list *elt)
{
	return elt->next != elt;
}

static inline void omx_list_insert_between(struct omx_list *elt,
					   struct omx_list *prev,
					   struct omx_list *next)
{
	elt->prev = prev;
	elt->next = next;
	prev->next = elt;
	next->prev = elt;
}

static inline void omx_list_add_tail(struct omx_list *elt,
				     struct omx_list *head)
{
	omx_list_insert_between(elt, head->prev, head);
}

static inline void omx_list_add_head(struct omx_list *elt,
				     struct omx_list *head)
{
	omx_list_insert_between(elt, head, head->next);
}

/* Insert elt just before pos (pos may be the head: then at the tail). */
static inline void omx_list_add_before(struct omx_list *elt,
				       struct omx_list *pos)
{
	omx_list_insert_between(elt, pos->prev, pos);
}

static inline void omx_list_del(struct omx_list *elt)
{
	elt->prev->next = elt->next;
	elt->next->prev = elt->prev;
	omx_list_init(elt);
}

#define omx_list_first_entry(head, type, member) \
	OMX_LIST_ENTRY((head)->next, type, member)

/* Iterate; the _safe variant allows removing the current element. */
#define omx_list_for_each(pos, head) \
	for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

#define omx_list_for_each_safe(pos, tmp, head)				\
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

#endif /* OMX_LIST_H */
