#!/bin/sh
# demo: what tests/run-demo.sh shows. On Debian's stock kernel: attach a
# xen2mx device to each of two guests, print the negotiated xenstore nodes,
# run ECHO round trips of several sizes in each guest and print a latency
# table. Lines for the reader start with "XEN2MX-DEMO: ".
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
say "ECHO round trips guest -> dom0 -> guest, 3,000 per row, one guest at a time."
say "(Under QEMU's TCG every figure is emulation-bound; the guests' clock can also"
say " stand still for a round trip, so median and 99th percentile are the figures to read.)"
say "$(printf '%-6s %-13s %6s %11s %11s %11s' guest answer-via bytes 'median us' 'p99 us' 'mean us')"
for g in g1 g2; do
	for size in 0 64 176; do
		for flag in "" "--via-event"; do
			path=request-ring
			[ -n "$flag" ] && path=event-ring
			out=$(guest_exec $g "xen2mx-echo -n 3000 -s $size $flag")
			rc=$?
			line=$(echo "$out" | grep '^echo:')
			if [ $rc = 0 ] && echo "$line" | grep -q ', 0 mismatches$'; then
				# echo: N round trips, S bytes: min A us, median M us, p99 P us, avg B us, max C us, 0 mismatches
				med=$(echo "$line" | sed 's/.*median \([0-9.]*\) us.*/\1/')
				p99=$(echo "$line" | sed 's/.*p99 \([0-9.]*\) us.*/\1/')
				avg=$(echo "$line" | sed 's/.*avg \([0-9.]*\) us.*/\1/')
				say "$(printf '%-6s %-13s %6s %11s %11s %11s' $g $path $size $med $p99 $avg)"
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
