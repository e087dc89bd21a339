// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frontend's ring.c (rings, event channel, interrupt), built into the
 * rogue, and a way to consume answers without the interrupt (fuzz.c).
 */
#include "ring.c"
#include "rogue.h"

/*
 * Fuzzing: consume what the backend answered without waiting for the
 * interrupt, which the scribbled rsp_event may have suppressed and which
 * lateeoi may be holding back.
 */
void x2mrogue_poll(struct x2mfront_device *fe)
{
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&fe->ring_lock, flags);
	if (!fe->broken && fe->pending) {
		found = x2mfront_consume_responses(fe);
		found |= x2mfront_consume_events(fe);
	}
	spin_unlock_irqrestore(&fe->ring_lock, flags);
	if (found)
		wake_up_all(&fe->wq);
}
