// SPDX-License-Identifier: GPL-2.0-only
/*
 * The frontend's request.c, built into the rogue, and the rogue's way in:
 * x2mfront_call() is static there, and it is the one that puts a slot on
 * the ring and waits for its answer.
 */
#include "request.c"
#include "rogue.h"

/*
 * Send @req exactly as it is (only its id is ours to set) and wait for
 * the answer, at most X2MFRONT_CALL_TIMEOUT.  0 with the response in
 * @rsp, or -ETIMEDOUT, -ENOTCONN, -EIO (the device broke).
 */
int x2mrogue_call(struct x2mfront_device *fe, struct xen2mx_request *req,
		  struct xen2mx_response *rsp)
{
	struct x2mfront_pending ans;
	int err;

	err = x2mfront_call(fe, req, false, X2MFRONT_WAIT_NOINTR, &ans);
	if (!err)
		*rsp = ans.rsp;
	return err;
}
