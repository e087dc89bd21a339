#!/bin/sh
# twohost-loss: the link loses 5% of the frames in each direction and
# reorders a quarter of them (tc netem on both hosts).  Every message must
# still arrive exactly once, intact and in order per pair: every size class
# both ways (api-sizes), 100 mixed-size messages in order and the matching
# rules (api-matching), an MX ping-pong, and omx_perf verifying every byte
# from 0 B to 4 MiB.  netem's own counters prove the loss was there.
# timeout: 1800
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0
tap_check "netem: 5% loss, 25% reordering on $XEN2MX_LINK" \
	link_netem loss 5% delay 2ms reorder 25% 50%
peer_barrier netem-on 60 || exit 0

run() {
	local prog=$1 t0
	shift
	peer_barrier "loss-$prog-start" 120 || return 1
	t0=$(date +%s)
	if host_is 1; then
		tap_import "$prog server, lossy link" "$prog" --role server "$@"
	else
		tap_import "$prog client, lossy link" "$prog" --role client --peer "$OMX_PEER" "$@"
	fi
	tap_diag "$prog took $(($(date +%s) - t0)) s"
	peer_barrier "loss-$prog-done" 900
}
run api-sizes --timeout-ms 120000 || exit 0
run api-matching --timeout-ms 120000 || exit 0
run mx-pingpong --timeout-ms 120000 || exit 0

if host_is 1; then
	omx_perf -w -e 0 >"$XEN2MX_RUN/perf.log" 2>&1 &
	pid=$!
	peer_barrier loss-perf-receiver 60 || exit 0
	wait "$pid"
	tap_check "omx_perf receiver ends cleanly on the lossy link" test $? = 0
else
	peer_barrier loss-perf-receiver 60 || exit 0
	sleep 1
	tap_check "omx_perf on the lossy link: 0 B..4 MiB, every byte verified" \
		omx_perf -w -d "$OMX_PEER" -V -E 4194304 -N 3 -W 1
fi
peer_barrier loss-perf-done 900 || exit 0

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
tap_check "xen2mx-back unloads" unload_module xen2mx-back
