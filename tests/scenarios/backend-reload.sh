#!/bin/sh
# backend-reload: the backend module is unloaded and loaded again while a
# guest is attached; the frontend reconnects by itself and ECHO works again.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

bring_up g1 || exit 0
d=$(guest_domid g1)
tap_check "ECHO works before the reload" guest_exec g1 "xen2mx-echo -n 1000"

for round in 1 2; do
	tap_check "round $round: backend module unloads with a guest attached" unload_module xen2mx-back
	tap_check "round $round: the frontend notices and waits (Initialising)" \
		wait_for 60 sh -c "[ \"\$(xenstore-read $(fe_dir "$d")/state)\" = 1 ]"
	out=$(guest_exec g1 "xen2mx-echo -n 1 2>&1")
	rc=$?
	if [ $rc != 0 ] && echo "$out" | grep -q "not connected"; then
		tap_ok "round $round: ECHO without a backend fails cleanly (not connected)"
	else
		tap_fail "round $round: ECHO without a backend fails cleanly (not connected)" "status $rc" "$out"
	fi
	tap_check "round $round: backend module loads again" load_module xen2mx-back
	tap_check "round $round: both ends Connected again" \
		wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d"
	tap_check "round $round: ECHO works after the reload" guest_exec g1 "xen2mx-echo -n 1000 -s 176"
done
tap_check "the frontend counted the backend's departures" \
	guest_exec g1 "grep -qx 'reconnects: 2' /sys/kernel/debug/xen2mx-front/0"

# Unload with traffic running: waiters must fail cleanly, not hang.
guest_exec g1 "xen2mx-echo -n 1000000000 >/tmp/echo.log 2>&1 & echo \$! >/tmp/echo.pid" >/dev/null
busy() { [ "$(dom0_debugfs_value "xen2mx-back/$d.0" requests)" -ge 1000 ]; }
tap_check "traffic flows" wait_for 120 busy
tap_check "backend unloads under traffic" unload_module xen2mx-back
tap_check "the guest's ECHO loop ends with an error instead of hanging" \
	wait_for 60 guest_exec g1 "! kill -0 \$(cat /tmp/echo.pid) 2>/dev/null"
tap_diag "$(guest_exec g1 'cat /tmp/echo.log')"
tap_check "backend loads again" load_module xen2mx-back
tap_check "reconnected after the unload under traffic" \
	wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d"
tap_check "ECHO works" guest_exec g1 "xen2mx-echo -n 500"

tap_check "detach" xen2mx-detach g1
tap_check "backend clean" wait_for 30 backend_clean
tap_check "g1 shuts down" guest_shutdown g1
tap_check "backend module unloads" unload_module xen2mx-back
