// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test_tools_counter_labels.c - omx_counters prints Open-MX 1.5's counter
 * names at Open-MX 1.5's indexes (openmx-wire.md 8.1), which scripts parse.
 */
#include <string.h>

#include "omx_counter_labels.h"
#include "tap.h"

static void label_is(uint32_t index, const char *want)
{
	const char *got = omx_counter_label(index);

	tap_ok(got && !strcmp(got, want), "counter %u is '%s' (got '%s')",
	       index, want, got ? got : "(null)");
}

int main(void)
{
	uint32_t i, j, missing = 0, dups = 0;

	tap_is(OMX_ABI_COUNTER_MAX, 85, "the driver has 85 counters");
	for (i = 0; i < OMX_ABI_COUNTER_MAX; i++)
		if (!omx_counter_labels[i] || !omx_counter_labels[i][0])
			missing++;
	tap_is(missing, 0, "every counter has a label");
	for (i = 0; i < OMX_ABI_COUNTER_MAX && !missing; i++)
		for (j = i + 1; j < OMX_ABI_COUNTER_MAX; j++)
			if (!strcmp(omx_counter_labels[i], omx_counter_labels[j]))
				dups++;
	tap_is(dups, 0, "no two counters share a label");
	tap_ok(omx_counter_label(OMX_ABI_COUNTER_MAX) == NULL,
	       "no label beyond the last counter");

	/* The boundaries of each group of the table, and odd spellings */
	label_is(0, "Send Tiny");
	label_is(2, "Send MediumSQ Frag");
	label_is(8, "Send LibAck");
	label_is(15, "Send Host Reply");
	label_is(16, "Recv Tiny");
	label_is(30, "Recv Host Reply");
	label_is(31, "DMA Recv Medium Frag");
	label_is(35, "DMA Recv Pull Reply with Deferred Wait");
	label_is(36, "Recv Open-MX Header as Non-Linear");
	label_is(42, "Pull Non-First Block Done before First One");
	label_is(43, "Pull Request for Not Only the First Block at Once");
	label_is(49, "Drop Bad Data Length for Headers");
	label_is(61, "Drop Pull Reply Bad Frame SeqNum WrapAround");
	label_is(71, "Drop Unknown Packet Type");
	label_is(72, "Shared Tiny");
	label_is(75, "Shared MediumVA");
	label_is(84, "DMA Shared Large only Partial");

	return tap_done();
}
