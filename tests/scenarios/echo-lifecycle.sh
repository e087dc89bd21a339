#!/bin/sh
# echo-lifecycle: attach -> both Connected -> 3,000 checked ECHO round trips
# (and ECHO through the event ring) -> graceful close -> both Closed, and the
# backend holds no mapped page and no grant afterwards.
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

bring_up g1 || exit 0
d=$(guest_domid g1)

be=$(be_dir "$d")
fe=$(fe_dir "$d")
tap_check "backend published versions=1" test "$(xs_read "$be/versions")" = 1
tap_check "backend published max-ring-page-order=4" test "$(xs_read "$be/max-ring-page-order")" = 4
tap_check "frontend chose version 1" test "$(xs_read "$fe/version")" = 1
tap_check "frontend chose ring-page-order 4 (the backend's max) by default" \
	test "$(xs_read "$fe/ring-page-order")" = 4
tap_check "frontend published ring-ref0..15 and event-ring-ref0..15" \
	sh -c "xenstore-read $fe/ring-ref15 && xenstore-read $fe/event-ring-ref15 && xenstore-read $fe/event-channel"
tap_check "backend debugfs shows the device Connected with 32 pages mapped" \
	sh -c "[ \"\$(cat /sys/kernel/debug/xen2mx-back/$d.0 | grep '^state:')\" = 'state: Connected' ] &&
	       [ \"\$(grep '^ring_pages_mapped:' /sys/kernel/debug/xen2mx-back/$d.0)\" = 'ring_pages_mapped: 32' ]"

out=$(guest_exec g1 "xen2mx-echo -n 3000 -s 176")
rc=$?
tap_diag "$out"
if [ $rc = 0 ] && echo "$out" | grep -q "^echo: 3000 round trips, 176 bytes: .*, 0 mismatches$"; then
	tap_ok "3,000 ECHO round trips of 176 bytes, every payload checked"
else
	tap_fail "3,000 ECHO round trips of 176 bytes, every payload checked" "status $rc"
fi
out=$(guest_exec g1 "xen2mx-echo -n 1000 -s 0 && xen2mx-echo -n 1000 -s 1")
tap_check "ECHO of 0 and 1 bytes" test $? = 0
out=$(guest_exec g1 "xen2mx-echo -n 500 -s 100 --via-event")
rc=$?
tap_diag "$out"
tap_check "500 ECHO round trips answered through the event ring" test $rc = 0

stats=$(guest_exec g1 "xen2mx-echo --stats")
tap_diag "$stats"
req=$(echo "$stats" | sed -n 's/^requests: //p')
err=$(echo "$stats" | sed -n 's/^errors: //p')
evt=$(echo "$stats" | sed -n 's/^events: //p')
tap_check "STATS: the backend counted every request (>= 5,500), no errors" \
	sh -c "[ '${req:-0}' -ge 5500 ] && [ '$err' = 0 ]"
tap_check "STATS: the backend produced 500 events" test "$evt" = 500
out=$(guest_exec g1 "xen2mx-echo -s 177 2>&1")
rc=$?
if [ $rc = 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] && echo "$out" | grep -q "invalid size '177'"; then
	tap_ok "xen2mx-echo -s 177 fails with a one-line error naming the size"
else
	tap_fail "xen2mx-echo -s 177 fails with a one-line error naming the size" "status $rc" "$out"
fi

# Graceful close, the way a toolstack detaches: online=0 and Closing.
xenstore-write "$be/online" 0 "$be/state" 5
tap_check "after Closing: the frontend reaches Closed" wait_for 60 sh -c "[ \"\$(xenstore-read $fe/state)\" = $XS_CLOSED ]"
tap_check "after Closing: the backend reaches Closed" wait_for 60 sh -c "[ \"\$(xenstore-read $be/state 2>/dev/null || echo 6)\" = $XS_CLOSED ]"
tap_check "backend totals: 0 pages mapped, 0 grants held" wait_for 30 backend_clean
tap_check "backend totals: the device is gone" wait_for 30 totals_is devices 0
tap_check "xen2mx-detach removes the nodes" xen2mx-detach g1
tap_check "no xen2mx node left for g1" sh -c "! xenstore-read $be/state && ! xenstore-read $fe/state"

tap_check "g1 shuts down cleanly" guest_shutdown g1
tap_check "backend module unloads" unload_module xen2mx-back
