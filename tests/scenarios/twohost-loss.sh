#!/bin/sh
# twohost-loss: the link loses 5% of the frames in each direction and
# reorders a quarter of them (tc netem on both hosts).  Every message must
# still arrive exactly once, intact and in order per pair: every size class
# both ways (api-sizes), 100 mixed-size messages in order and the matching
# rules (api-matching), an MX ping-pong, and omx_perf verifying every byte
# from 0 B to 4 MiB.  netem's own counters prove the loss was there.
# The end of a run is lossy too: the last frame one side needs may be lost
# after the other side left.  omx_perf's sender says goodbye and its
# receiver waits for it (both bounded); if the sender still leaves before
# the last pong's NOTIFY got through, the library ends that send
# (OMX_REMOTE_ENDPOINT_CLOSED, doc/api-differences.md 7) and the receiver,
# which served the whole run, ends with status 0 and says so.  Either way
# nothing waits unbounded (lib-omx.sh's omx_perf_pair).
# timeout: 1800
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0
tap_check "netem: 5% loss, 25% reordering on $XEN2MX_LINK" \
	link_netem loss 5% delay 2ms reorder 25% 50%
peer_barrier netem-on 60 || exit 0

for p in api-sizes api-matching mx-pingpong; do
	omx_pair_prog ", lossy link" "$p" --timeout-ms 120000 || exit 0
done

omx_perf_pair "on the lossy link: 0 B..4 MiB, every byte verified" -V -E 4194305 -N 3 -W 1 || exit 0

dropped() {
	tc -s qdisc show dev "$XEN2MX_LINK" | sed -n 's/.*dropped \([0-9]*\).*/\1/p' | head -n 1
}
n=$(dropped)
if [ -n "$n" ] && [ "$n" -gt 0 ]; then
	tap_ok "netem really dropped frames on $XEN2MX_HOST_NAME ($n)"
else
	tap_fail "netem really dropped frames" "$(tc -s qdisc show dev "$XEN2MX_LINK")"
fi
tap_diag "$(omx_counters -q 2>&1)"
link_netem_clear
tap_check "open-mx unloads" omx_unload
