#!/bin/sh
# guest-three: three senders at once to one receiving guest.  g1 runs three
# omx_perf receivers (endpoints 0, 1 and 2); g2, g3 and a process of dom0
# (on dom0's own board) each send to one of them at the same time, 0 B..16
# MiB with every byte verified both ways.  All three runs must complete and
# verify, they must really overlap (none has ended when the last one
# starts), and none of it may reach the wire: every frame stays inside dom0.
# Then no endpoint is left open, the backend holds nothing and unloads.
# timeout: 800
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh
LINK=omxg0
. /opt/xen2mx/scenarios/lib-guest.sh

DOM0_BOARD=dom0:0
END=16777216			# last length of every run
SENDERS="g2 g3 dom0"		# in the order of g1's endpoints 0, 1, 2

# The receiver endpoint in g1 of sender $1.
endpoint_of() {
	case $1 in
	g2) echo 0 ;;
	g3) echo 1 ;;
	dom0) echo 2 ;;
	esac
}

receivers_ready() {
	guest_exec g1 "grep -c 'Starting receiver' /tmp/rx-0.log /tmp/rx-1.log /tmp/rx-2.log" |
		grep -c ':1$' | grep -qx 3
}

sender_running() {
	case $1 in
	dom0) kill -0 "$dom0_tx" 2>/dev/null ;;
	*) ! guest_bg_done "$1" tx ;;
	esac
}

# No sender had ended once the last one was started.
all_running() {
	local s rc=0
	for s in $SENDERS; do
		if sender_running "$s"; then
			echo "$s: still running"
		else
			echo "$s: already ended"
			rc=1
		fi
	done
	return $rc
}

# ---------------------------------------------------------------- set-up

tap_check "a veth pair $LINK at MTU 9000" veth_up || exit 0
tap_check "open-mx and xen2mx-back load with ifnames=$LINK" xen2mx_load ifnames=$LINK || exit 0
tap_check "dom0's board is named $DOM0_BOARD" omx_hostname -b 0 $DOM0_BOARD
for g in g1 g2 g3; do
	guest_up $g || exit 0
done

# ---------------------------------------------------------------- three senders at once

tap_check "what went to the wire so far" snapshot_wire || exit 0
for e in 0 1 2; do
	guest_bg g1 "rx-$e" "omx_perf -w -e $e"
done
if ! tap_check "three omx_perf receivers ready in g1 (endpoints 0, 1, 2)" \
	wait_for 90 receivers_ready; then
	tap_diag "$(guest_exec g1 "kill \$(cat /tmp/rx-*.pid); cat /tmp/rx-*.log")"
	exit 0
fi

t0=$(date +%s)
for s in $SENDERS; do
	e=$(endpoint_of $s)
	cmd="omx_perf -w -d g1:0 -r $e -V -E $((END + 1)) -N 2 -W 1"
	case $s in
	dom0)
		($cmd; echo "rc=$?") >"$XEN2MX_RUN/dom0-tx.log" 2>&1 &
		dom0_tx=$!
		;;
	*) guest_bg "$s" tx "$cmd" ;;
	esac
done
tap_check "the three senders (g2, g3, dom0) run at the same time" all_running

for s in $SENDERS; do
	case $s in
	dom0)
		if ! wait_for 600 sh -c "! kill -0 $dom0_tx 2>/dev/null" >/dev/null 2>&1; then
			tap_diag "dom0's sender still running after 600 s: killed"
			kill "$dom0_tx"
		fi
		wait "$dom0_tx"
		;;
	*) guest_bg_wait "$s" tx 600 ;;
	esac
done
for e in 0 1 2; do
	guest_bg_wait g1 "rx-$e" 60
done
tap_diag "the three runs took $(($(date +%s) - t0)) s"

for s in $SENDERS; do
	e=$(endpoint_of $s)
	desc="omx_perf $s -> g1 endpoint $e: 0 B..16 MiB, every byte verified"
	if [ $s = dom0 ]; then
		tap_diag "$(cat "$XEN2MX_RUN/dom0-tx.log")"
		tap_check "$desc" perf_ok "$XEN2MX_RUN/dom0-tx.log" $END
	else
		fetch_check "$s" tx "$desc" perf_ok $END
		tap_diag "$(cat "$XEN2MX_RUN/$s-tx.log" 2>&1)"
	fi
	fetch_check g1 "rx-$e" "omx_perf receiver on g1's endpoint $e ends cleanly" ended_with_0
done

tap_check "none of it touched the wire" no_wire_traffic
for g in g1 g2 g3; do
	tap_check "$g: no endpoint left open" none_open_in $g
done
tap_check "dom0: no endpoint left open" dom0_none_open
tap_check "the backend holds no grant of the guests' endpoints or regions" \
	wait_for 10 totals_is grants_held 0

# ---------------------------------------------------------------- the end

for g in g1 g2 g3; do
	tap_check "$g detaches" xen2mx-detach $g
	tap_check "$g shuts down" guest_shutdown $g
done
tap_check "backend clean: nothing mapped" wait_for 30 backend_clean
tap_check "backend clean: no grant held" totals_is grants_held 0
tap_check "xen2mx-back and open-mx unload" omx_unload
ip link del $LINK
exit 0
