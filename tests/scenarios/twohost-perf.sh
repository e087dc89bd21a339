#!/bin/sh
# twohost-perf: omx_perf between the two hosts, every length from 0 to
# 16 MiB (tiny, small, medium, large), every byte checked (-V); then the
# same with synchronous sends (-S: rendezvous for every length).
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0

# run NAME SENDER-OPTIONS: hostA receives, hostB sends.
run() {
	local name=$1 out rc
	shift
	if host_is 1; then
		omx_perf -w -e 0 >"$XEN2MX_RUN/perf-$name.log" 2>&1 &
		pid=$!
		peer_barrier "perf-$name-receiver" 60 || return 1
		wait "$pid"
		rc=$?
		tap_check "omx_perf receiver ($name) ends cleanly" test $rc = 0 ||
			tap_diag "$(tail -n 20 "$XEN2MX_RUN/perf-$name.log")"
	else
		peer_barrier "perf-$name-receiver" 60 || return 1
		sleep 1
		# Shown on the console as it goes, and kept for the result.
		omx_perf -w -d "$OMX_PEER" "$@" >"$XEN2MX_RUN/perf-$name.out" 2>&1 &
		pid=$!
		tail -f "$XEN2MX_RUN/perf-$name.out" &
		tailpid=$!
		wait "$pid"
		rc=$?
		kill "$tailpid" 2>/dev/null
		tap_diag "$(cat "$XEN2MX_RUN/perf-$name.out")"
		tap_check "omx_perf $name: every length sent and verified" test $rc = 0
	fi
	# What the engine saw: drops and re-requests explain slow lengths.
	tap_diag "$(omx_counters -q 2>&1)" "$(ip -s link show dev "$XEN2MX_LINK")"
	peer_barrier "perf-$name-done" 600
}
run verify -V -E 16777216 -N 3 -W 1 || exit 0
run sync -S -V -E 1048576 -N 2 -W 1 || exit 0
tap_check "xen2mx-back unloads" unload_module xen2mx-back
