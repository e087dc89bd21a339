#!/bin/sh
# twohost-guest: guests reach the other host over the wire.  Each host runs
# one guest (ga on hostA, gb on hostB), a board of its own riding on the
# host's link; the peer table of both hosts names all four boards.  Then:
# omx_perf -V from ga to hostB's dom0 (0 B..16 MiB, every byte checked),
# and mx-pingpong between ga and gb, guest to guest across the link.  The
# guest boards' own counters show their frames went out on the wire.
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh

if host_is 1; then
	G=ga OTHER_G=gb
else
	G=gb OTHER_G=ga
fi
mac_of() {
	case $1 in
	ga) echo 02:00:00:00:0a:01 ;;
	gb) echo 02:00:00:00:0b:01 ;;
	esac
}

# The guest's board's index in dom0 (omx_info lists it by hostname).
guest_board() {
	omx_info -q | sed -n "s/^ $G:0 (board #\([0-9]*\) .*/\1/p"
}

# Frames the guest board sent on the wire: counters 0..15 of its board.
guest_wire_sends() {
	local b i n sum=0
	b=$(guest_board)
	[ -n "$b" ] || { echo "no board $G:0 in dom0"; return 1; }
	omx_counters -v -b "$b" >/dev/null || return 1
	for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
		n=$(omx_counter "$b" "$i")
		sum=$((sum + ${n:-0}))
	done
	echo "$sum"
}

omx_twohost_up || exit 0
tap_check "xen2mx-back loads on open-mx" load_module xen2mx-back || exit 0
tap_check "guest $G starts" guest_start $G || exit 0
tap_check "frontend module loads in $G" guest_frontend_load $G || exit 0
tap_check "$G attaches as $G:0 on $XEN2MX_LINK" \
	attach_connected $G --board "$XEN2MX_LINK" --mac "$(mac_of $G)" --hostname $G:0 || exit 0

# Both hosts name all four boards: the dom0 boards (from omx_twohost_up)
# and both guests' boards.
cp "$XEN2MX_RUN/omx-peers" "$XEN2MX_RUN/omx-peers-guests"
printf '%s %s\n%s %s\n' "$(mac_of ga)" ga:0 "$(mac_of gb)" gb:0 >>"$XEN2MX_RUN/omx-peers-guests"
tap_check "static peer table with both guests' boards" \
	omx_init_peers "$XEN2MX_RUN/omx-peers-guests"
peer_barrier guests-up 300 || exit 0
# omx_info in the guest: its one board, and the boards of the other host.
guest_sees_fabric() {
	local out
	out=$(guest_exec $G omx_info) || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -qx " $G:0 (board #0 name [^ ]* addr $(mac_of $G))" &&
		echo "$out" | grep -q ") $(mac_of $OTHER_G) $OTHER_G:0\$" &&
		echo "$out" | grep -q " $OMX_PEER\$"
}
tap_check "$G sees its board, $OTHER_G:0 and $OMX_PEER" guest_sees_fabric

# guest_run NAME CMD SECONDS: CMD in the guest, output and then "rc=N" to
# /tmp/NAME.log there; prints the log's last lines.
guest_run() {
	GEXEC_TIMEOUT=$3 guest_exec $G "($2; echo rc=\$?) >/tmp/$1.log 2>&1; tail -n 40 /tmp/$1.log"
}

# 1. ga sends to hostB's dom0: omx_perf, every length, every byte checked.
sent_before=$(guest_wire_sends)
if host_is 1; then
	peer_barrier perf-receiver 120 || exit 0
	sleep 1
	out=$(guest_run perf "omx_perf -w -d $OMX_PEER -V -E 16777217 -N 2 -W 1" 700)
	tap_diag "$out"
	tap_check "omx_perf ga -> $OMX_PEER over the wire: 0 B..16 MiB, every byte verified" \
		sh -c 'echo "$1" | grep -qx rc=0 && echo "$1" | grep -q "^length 16777216: "' _ "$out"
	sent_after=$(guest_wire_sends)
	tap_check "ga's board sent its frames on the wire ($sent_before -> $sent_after)" \
		test "${sent_after:-0}" -gt "${sent_before:-0}"
else
	omx_perf -w -e 0 >"$XEN2MX_RUN/perf-rx.out" 2>&1 &
	pid=$!
	peer_barrier perf-receiver 120 || exit 0
	wait $pid
	tap_check "omx_perf receiver in hostB's dom0 for ga ends cleanly" test $? = 0 ||
		tap_diag "$(tail -n 20 "$XEN2MX_RUN/perf-rx.out")"
fi
peer_barrier perf-done 900 || exit 0

# 2. Guest to guest across the link: mx-pingpong, ga serves, gb asks.
peer_barrier pingpong-start 120 || exit 0
if host_is 1; then
	role="--role server"
else
	sleep 2
	role="--role client --peer ga:0"
fi
out=$(guest_run pingpong "mx-pingpong $role --max-runtime-s 300" 400)
printf '%s\n' "$out" >"$XEN2MX_RUN/pingpong.log"
tap_import "mx-pingpong $G" sh -c 'grep -v "^rc=" "$1"; grep -qx rc=0 "$1"' _ "$XEN2MX_RUN/pingpong.log"
peer_barrier pingpong-done 600 || exit 0

# Everything is given back, then the guest goes.
none_open() {
	local out
	out=$(guest_exec $G omx_endpoint_info) || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -q '^ *0 of [0-9]* endpoints open$'
}
tap_check "$G: no endpoint left open" none_open
tap_check "$G detaches" xen2mx-detach $G
tap_check "$G shuts down" guest_shutdown $G
tap_check "backend clean" wait_for 30 backend_clean
tap_check "backend holds no guest grant" totals_is grants_held 0
peer_barrier guests-gone 300
tap_check "xen2mx-back and open-mx unload" omx_unload
