#!/bin/sh
# two-guests: two guests attached at once, ECHO running in both concurrently.
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

bring_up g1 g2 || exit 0
tap_check "backend totals: 2 devices" \
	totals_is devices 2

for g in g1 g2; do
	guest_exec $g "(xen2mx-echo -n 1500 -s 176; echo rc=\$?) >/tmp/echo.log 2>&1 &" >/dev/null
done
for g in g1 g2; do
	if out=$(GEXEC_TIMEOUT=60 wait_for 600 guest_exec $g "grep rc= /tmp/echo.log && cat /tmp/echo.log"); then
		tap_diag "$g: $out"
		tap_check "$g: 1,500 concurrent ECHO round trips, all payloads intact" \
			sh -c "echo '$out' | grep -q 'rc=0' && echo '$out' | grep -q ', 0 mismatches'"
	else
		tap_fail "$g: concurrent ECHO finished" "$(guest_exec $g 'cat /tmp/echo.log')"
	fi
done
d1=$(guest_domid g1)
d2=$(guest_domid g2)
for d in $d1 $d2; do
	tap_check "domain $d: backend counted >= 1,500 requests, no errors" \
		sh -c "[ \$(grep '^requests:' /sys/kernel/debug/xen2mx-back/$d.0 | cut -d' ' -f2) -ge 1500 ] &&
		       grep -qx 'errors: 0' /sys/kernel/debug/xen2mx-back/$d.0"
done
for g in g1 g2; do
	tap_check "$g detaches" xen2mx-detach $g
	tap_check "$g shuts down" guest_shutdown $g
done
tap_check "backend clean" wait_for 30 backend_clean
tap_check "backend module unloads" unload_module xen2mx-back
