#!/bin/sh
# frontend-reload: the frontend module is unloaded and loaded again in a
# guest with its device attached; the backend releases everything while the
# frontend is gone, and the device reconnects when it is back. The module
# cannot go while a program holds /dev/open-mx open.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

bring_up g1 || exit 0
d=$(guest_domid g1)
tap_check "ECHO works before the reload" guest_exec g1 "xen2mx-echo -n 500"

for round in 1 2; do
	tap_check "round $round: frontend module unloads with its device attached" \
		guest_exec g1 "rmmod xen2mx_front"
	tap_check "round $round: the frontend wrote Closed" \
		test "$(xs_read "$(fe_dir "$d")/state")" = $XS_CLOSED
	tap_check "round $round: /dev/open-mx is gone from the guest" \
		guest_exec g1 "! test -e /dev/open-mx"
	tap_check "round $round: the backend reached Closed" \
		wait_for 60 sh -c "[ \"\$(xenstore-read $(be_dir "$d")/state)\" = $XS_CLOSED ]"
	tap_check "round $round: the backend released every page and grant" \
		wait_for 60 backend_clean
	tap_check "round $round: the backend keeps the device (online=1)" \
		totals_is devices 1
	tap_check "round $round: frontend module loads again" guest_frontend_load g1
	tap_check "round $round: both ends Connected again" \
		wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d"
	tap_check "round $round: ECHO works after the reload" guest_exec g1 "xen2mx-echo -n 500 -s 176"
done

# A program with /dev/open-mx open pins the module: rmmod must refuse.
guest_exec g1 "xen2mx-echo -n 1000000000 >/tmp/echo.log 2>&1 & echo \$! >/tmp/echo.pid" >/dev/null
busy() { [ "$(dom0_debugfs_value "xen2mx-back/$d.0" requests)" -ge 2000 ]; }
tap_check "traffic flows" wait_for 120 busy
out=$(guest_exec g1 "rmmod xen2mx_front 2>&1")
rc=$?
if [ $rc != 0 ] && guest_exec g1 "kill -0 \$(cat /tmp/echo.pid)" >/dev/null; then
	tap_ok "rmmod refuses while /dev/open-mx is open, traffic goes on"
else
	tap_fail "rmmod refuses while /dev/open-mx is open, traffic goes on" "rmmod status $rc: $out"
fi
guest_exec g1 "kill \$(cat /tmp/echo.pid)" >/dev/null
tap_check "after the program exits, the module unloads" \
	wait_for 30 guest_exec g1 "rmmod xen2mx_front"
tap_check "backend released everything" wait_for 60 backend_clean
tap_check "frontend loads again" guest_frontend_load g1
tap_check "reconnected" wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d"
tap_check "ECHO works" guest_exec g1 "xen2mx-echo -n 200"

tap_check "detach" xen2mx-detach g1
tap_check "backend clean" wait_for 30 backend_clean
tap_check "g1 shuts down" guest_shutdown g1
tap_check "backend module unloads" unload_module xen2mx-back
