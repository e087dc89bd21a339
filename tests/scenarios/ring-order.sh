#!/bin/sh
# ring-order: ring-page-order 0 and the maximum (4) both negotiate and carry
# traffic; an order above the backend's max-ring-page-order is refused with
# an error node, the device never connects and dom0 stays healthy.
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

tap_check "backend module loads" load_module xen2mx-back || exit 0
tap_check "guest g1 starts" guest_start g1 || exit 0
tap_check "frontend module loads in g1" guest_frontend_load g1 || exit 0
d=$(guest_domid g1)

# order devid slots
for spec in "0 1 16" "4 2 256"; do
	set -- $spec
	order=$1 devid=$2 slots=$3
	fe=$(fe_dir "$d" "$devid")
	if ! tap_check "order $order: attach reaches Connected" \
		attach_connected g1 --devid "$devid" --ring-page-order "$order"; then
		continue
	fi
	tap_check "order $order: frontend wrote ring-page-order $order" \
		test "$(xs_read "$fe/ring-page-order")" = "$order"
	if [ "$order" = 0 ]; then
		tap_check "order 0: single ring-ref and event-ring-ref nodes" \
			sh -c "xenstore-read $fe/ring-ref && xenstore-read $fe/event-ring-ref && ! xenstore-read $fe/ring-ref0"
	else
		tap_check "order $order: ring-ref0..15, no ring-ref16" \
			sh -c "xenstore-read $fe/ring-ref0 && xenstore-read $fe/ring-ref15 && ! xenstore-read $fe/ring-ref16"
	fi
	tap_check "order $order: backend reports $slots ring slots" \
		test "$(dom0_debugfs_value "xen2mx-back/$d.$devid" ring_slots)" = "$slots"
	# /dev/open-mx talks to the lowest connected devid: detach the other first.
	out=$(guest_exec g1 "xen2mx-echo -n 500 -s 150 && xen2mx-echo --stats")
	rc=$?
	tap_diag "$out"
	tap_check "order $order: 500 checked ECHO round trips" test $rc = 0
	tap_check "order $order: /dev/open-mx used this device ($slots slots)" \
		sh -c "echo '$out' | grep -qx 'ring_slots: $slots'"
	tap_check "order $order: detach" xen2mx-detach g1 --devid "$devid"
	tap_check "order $order: backend released everything" wait_for 30 backend_clean
done

# The backend now allows order 2 at most; the toolstack asks for 3.
echo 2 >/sys/module/xen2mx_back/parameters/max_ring_page_order
tap_check "backend max_ring_page_order set to 2" \
	test "$(cat /sys/module/xen2mx_back/parameters/max_ring_page_order)" = 2
xen2mx-attach g1 --devid 3 --ring-page-order 3
tap_check "attach with order 3 > max 2 is accepted by the tool (the backend decides)" test $? = 0
err=/local/domain/0/error/backend/xen2mx/$d/3/error
if msg=$(wait_for 60 xenstore-read "$err"); then
	tap_diag "error node: $msg"
	tap_check "the backend's error node names the limit" \
		sh -c "echo '$msg' | grep -q 'ring-page-order exceeds max-ring-page-order'"
else
	tap_fail "the backend writes an error node for order 3 > max 2"
fi
tap_check "the backend published max-ring-page-order 2 for this device" \
	test "$(xs_read "$(be_dir "$d" 3)/max-ring-page-order")" = 2
sleep 3
tap_check "the refused device is not Connected on either end" \
	sh -c "[ \"\$(xenstore-read $(be_dir "$d" 3)/state)\" != 4 ] && [ \"\$(xenstore-read $(fe_dir "$d" 3)/state)\" != 4 ]"
tap_check "nothing was mapped for the refused device" backend_clean
tap_check "detach of the refused device" xen2mx-detach g1 --devid 3
tap_check "no error node left behind" sh -c "! xenstore-read $err"
echo 4 >/sys/module/xen2mx_back/parameters/max_ring_page_order
tap_check "a bad max_ring_page_order (5) is refused by the backend" \
	sh -c "! echo 5 >/sys/module/xen2mx_back/parameters/max_ring_page_order"

# dom0 still works: a fresh device connects and carries traffic.
tap_check "dom0 healthy: a new device connects" attach_connected g1 --devid 4
tap_check "dom0 healthy: ECHO works" guest_exec g1 "xen2mx-echo -n 200"
tap_check "detach" xen2mx-detach g1 --devid 4
tap_check "backend totals back to 0" wait_for 30 backend_clean
tap_check "g1 shuts down" guest_shutdown g1
tap_check "backend module unloads" unload_module xen2mx-back
