#!/bin/sh
# demo: what tests/run-demo.sh shows. On Debian's stock kernel: attach a
# xen2mx device to each of two guests, print the negotiated xenstore nodes,
# run ECHO round trips of several sizes in both guests at once and print a
# latency table. Lines for the reader start with "XEN2MX-DEMO: ".
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

say() { printf 'XEN2MX-DEMO: %s\n' "$*"; }
say_lines() { while IFS= read -r l; do say "  $l"; done; }

bring_up g1 g2 || exit 0
d1=$(guest_domid g1)

say ""
say "Negotiated xenstore nodes of guest g1 (domid $d1):"
xenstore-ls -f "$(be_dir "$d1")" | grep -v -e '/frontend' | say_lines
xenstore-ls -f "$(fe_dir "$d1")" | grep -v -e 'ring-ref[1-9]' -e '/backend' | say_lines
say "  (ring-ref1..15 and event-ring-ref1..15 omitted)"
say ""
say "Backend view (/sys/kernel/debug/xen2mx-back/$d1.0):"
say_lines </sys/kernel/debug/xen2mx-back/$d1.0

say ""
say "ECHO round trips guest -> dom0 -> guest, both guests at the same time:"
say "$(printf '%-6s %-12s %8s %10s %10s %10s' guest path bytes 'min us' 'avg us' 'max us')"
for size in 0 64 176; do
	for flag in "" "--via-event"; do
		for g in g1 g2; do
			guest_exec $g "xen2mx-echo -n 3000 -s $size $flag >/tmp/echo.out 2>&1; echo rc=\$? >>/tmp/echo.out &" >/dev/null
		done
		for g in g1 g2; do
			out=$(wait_for 300 guest_exec $g "grep -q rc= /tmp/echo.out && cat /tmp/echo.out")
			line=$(echo "$out" | grep '^echo:')
			path=request-ring
			[ -n "$flag" ] && path=event-ring
			if echo "$out" | grep -q 'rc=0' && echo "$line" | grep -q ', 0 mismatches'; then
				# echo: N round trips, S bytes: min A us, avg B us, max C us, 0 mismatches
				set -- $(echo "$line" | sed 's/[^0-9. ]//g')
				say "$(printf '%-6s %-12s %8s %10s %10s %10s' $g $path $size $3 $4 $5)"
			else
				tap_fail "$g: ECHO of $size bytes ($path)" "$out"
			fi
		done
	done
done
tap_ok "ECHO table printed"
say ""
for g in g1 g2; do
	tap_check "$g detaches" xen2mx-detach $g
done
tap_check "backend released every page and grant" wait_for 30 backend_clean
say "After detach: $(tr '\n' ' ' </sys/kernel/debug/xen2mx-back/totals)"
