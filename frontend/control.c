// SPDX-License-Identifier: GPL-2.0-only
/*
 * control.c - the Open-MX control commands of a guest's /dev/open-mx.
 *
 * Info, board, peer table, counters and endpoint info belong to dom0's
 * engine: each command goes to the backend as is (XEN2MX_OP_OMX, no
 * endpoint), and the answer comes back to the caller.  What the backend
 * cannot know is decided here: the caller's capabilities, and which
 * process of this guest owns an endpoint.
 */
#include "common.h"
#include <linux/capability.h>

/* GET_COUNTERS does not fit a slot: XEN2MX_OMX_COUNTERS_MAX values a time. */
static int x2mfront_counters(struct x2mfront_device *fe,
			     struct omx_cmd_counters *c)
{
	struct xen2mx_omx_counters q = {
		.board_index = c->board_index,
		.clear = c->clear,
	};
	u32 first;
	int err;

	for (first = 0; first < OMX_ABI_COUNTER_MAX; first += q.count) {
		q.first = first;
		q.count = min_t(u32, OMX_ABI_COUNTER_MAX - first,
				XEN2MX_OMX_COUNTERS_MAX);
		err = x2mfront_omx_call(fe, _IOC_NR(OMX_CMD_GET_COUNTERS),
					XEN2MX_OMX_NO_ENDPOINT, &q, sizeof(q),
					&c->values[first],
					q.count * sizeof(c->values[0]));
		if (err)
			return err;
	}
	c->pad = 0;
	return 0;
}

/*
 * The backend knows the guest, not its processes: it reports every
 * session id and no pid.  Show them as dom0 does for its own processes.
 */
static void x2mfront_endpoint_info_fixup(struct x2mfront_device *fe,
					 struct omx_cmd_endpoint_info *ei)
{
	pid_t pid;

	if (!capable(CAP_NET_ADMIN))
		ei->session_id = 0;
	if (ei->open && !ei->board_index &&
	    x2mfront_endpoint_lookup(fe, ei->endpoint_index, &pid, ei->command))
		ei->pid = pid;
}

/*
 * @arg is the command's structure, copied in for _IOC_WRITE commands and
 * copied back for _IOC_READ ones (chardev.c).  The argument sent is the
 * structure for _IOC_WRITE commands, nothing otherwise; the answer is the
 * structure for _IOC_READ commands, nothing otherwise.
 */
long x2mfront_control_cmd(unsigned int cmd, void *arg)
{
	unsigned int size = _IOC_SIZE(cmd);
	struct x2mfront_device *fe;
	int err;

	/* dom0 checks the caller first; only the guest knows who calls. */
	switch (cmd) {
	case OMX_CMD_PEER_ADD:
	case OMX_CMD_PEERS_CLEAR:
	case OMX_CMD_SET_HOSTNAME:
	case OMX_CMD_SET_PEER_TABLE_STATE:
		if (!capable(CAP_NET_ADMIN))
			return -EPERM;
		break;
	case OMX_CMD_GET_COUNTERS:
		if (((struct omx_cmd_counters *)arg)->clear &&
		    !capable(CAP_NET_ADMIN))
			return -EPERM;
		break;
	}

	fe = x2mfront_get_default();
	if (!fe)
		return -ENODEV;
	if (!fe->omx)
		err = -EOPNOTSUPP;
	else if (cmd == OMX_CMD_GET_COUNTERS)
		err = x2mfront_counters(fe, arg);
	else
		err = x2mfront_omx_call(fe, _IOC_NR(cmd), XEN2MX_OMX_NO_ENDPOINT,
					arg, _IOC_DIR(cmd) & _IOC_WRITE ? size : 0,
					arg, _IOC_DIR(cmd) & _IOC_READ ? size : 0);
	if (!err && cmd == OMX_CMD_GET_ENDPOINT_INFO)
		x2mfront_endpoint_info_fixup(fe, arg);
	x2mfront_put(fe);
	/* The device went away under us: like a board that is not there. */
	return err == -ENOTCONN ? -ENODEV : err;
}
