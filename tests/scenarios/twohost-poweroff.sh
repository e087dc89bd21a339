#!/bin/sh
# twohost-poweroff: a host can lose its power in the middle of a scenario,
# as the "peer powered off mid-stream" tests need. hostB cuts its power
# while hostA pings it; hostA sees it go, a barrier with it then fails, and
# the test bed reports hostB's machine as stopped on purpose (it checks the
# declaration below, so a host that does not stop here is a failure).
# powers-off: 2
# timeout: 300
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh

tap_check "$XEN2MX_PEER_NAME answers pings" peer_alive
peer_barrier before-power-off 60 || exit 0

if host_is 2; then
	host_power_off
	# Not reached: the machine is gone.
	tap_fail "host_power_off stops the machine" "it returned"
	exit 0
fi

start=$(date +%s)
ping -q -i 0.2 "$XEN2MX_PEER_IP" >"$XEN2MX_RUN/ping-stream.log" 2>&1 &
stream=$!
if tap_check "$XEN2MX_PEER_NAME stops answering once powered off" peer_wait_down 120; then
	tap_diag "noticed after $(($(date +%s) - start)) s"
fi
kill -INT "$stream" 2>/dev/null
wait "$stream"
tap_diag "$(tail -n 2 "$XEN2MX_RUN/ping-stream.log")"
barrier_fails() { ! peer_barrier after-power-off 5; }
tap_check "a barrier with the powered-off host fails" barrier_fails
