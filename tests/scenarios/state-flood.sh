#!/bin/sh
# state-flood: a guest drives its device's state machine in circles
# (issue 9 item 4).  Without a frontend module, g1 writes its own frontend
# state node 120 times over (Closed, Initialising, Initialised: each round
# is a connect attempt that fails, its rings never granted).  The backend
# paces the attempts (4 at once, then one per 2 s) and rate-limits what it
# logs per device (10 lines a minute), so dom0's kernel log grows by a few
# lines, not by one per round; nothing else breaks, and the real frontend,
# loaded with the node left at Closed, then connects and works on the same
# device.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

ROUNDS=120

tap_check "backend module loads" load_module xen2mx-back || exit 0
tap_check "guest g1 starts" guest_start g1 || exit 0
d=$(guest_domid g1)
tap_check "xen2mx-attach g1 (no frontend module in g1 yet)" xen2mx-attach g1 || exit 0
tap_check "the backend offers the device (InitWait)" \
	wait_for 60 sh -c "[ \"\$(xenstore-read $(be_dir "$d")/state)\" = 2 ]"

# dom0's kernel log lines about this device: the xenbus device's name or
# the backend's "domain D device 0:" prefix.
dev_lines() {
	dmesg | grep -c -e "xen2mx-$d-0" -e "domain $d device 0:"
}
before=$(dev_lines)
t0=$(date +%s)
out=$(GEXEC_TIMEOUT=400 guest_exec g1 "
	s=device/xen2mx/0/state
	i=0
	while [ \$i -lt $ROUNDS ]; do
		xenstore-write \$s 6 && xenstore-write \$s 1 && xenstore-write \$s 3 || exit 1
		i=\$((i + 1))
	done
	echo rounds=\$i")
rc=$?
secs=$(($(date +%s) - t0))
tap_diag "g1: $out (exit status $rc, $secs s)"
tap_check "g1 wrote its frontend state $ROUNDS rounds over" test "$rc" = 0
# Let the attempts put off meanwhile run (one per 2 s at most).
sleep 6
after=$(dev_lines)
allowed=$((10 + (secs + 6 + 59) / 60 * 10))
tap_diag "dom0 log lines about device $d.0: $before before, $after after ($((after - before)) for $ROUNDS rounds in $secs s; at most $allowed allowed)"
tap_diag "$(grep -e throttled -e connects_put_off /sys/kernel/debug/xen2mx-back/$d.0)"
tap_check "the backend logged at most 10 lines a minute ($allowed), not one per round" \
	test $((after - before)) -le "$allowed"
tap_check "the backend put connects off" \
	test "$(dom0_debugfs_value "xen2mx-back/$d.0" connects_put_off)" -gt 0
tap_check "the error node names why the last attempt failed" \
	xenstore-read "/local/domain/0/error/backend/xen2mx/$d/0/error"

# Now a real frontend on the same device: the backend still serves it.
tap_check "g1 goes back to Closed" guest_exec g1 "xenstore-write device/xen2mx/0/state 6"
tap_check "frontend module loads in g1" guest_frontend_load g1
tap_check "the real frontend connects (the pace lets it, within a few seconds)" \
	wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d"
tap_check "500 checked ECHO round trips" guest_exec g1 "xen2mx-echo -n 500 -s 100"
tap_check "g1 detaches" xen2mx-detach g1
tap_check "backend holds nothing" wait_for 30 backend_clean
tap_check "g1 shuts down" guest_shutdown g1
tap_check "backend module unloads" unload_module xen2mx-back
exit 0
