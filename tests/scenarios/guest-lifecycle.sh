#!/bin/sh
# guest-lifecycle: guests that are Open-MX boards (on a dom0 veth, as in
# guest-omx) go away in each way a guest can, mid-traffic.  What they held
# is released (the backend's debugfs counters prove it), and the programs
# that talked to them get clean error statuses instead of hanging:
#  1. xl destroy of g2 while it streams with g1 (api-peer-loss, mixed sizes
#     both ways, large pulls included): each request of g1's program ends
#     with OMX_REMOTE_ENDPOINT_UNREACHABLE or _CLOSED within its request
#     timeout; the backend drops g2's device (its debugfs file goes) and
#     holds exactly g1's idle share; a new guest g3 attaches, talks to g1.
#  2. the same with a clean shutdown of g3; then g2 anew (on_reboot=restart).
#  3. rmmod xen2mx-front in g2 is refused while omx_perf has an endpoint
#     open, which then still works; once it has ended rmmod succeeds, the
#     backend holds nothing of the device but keeps it (online=1), and
#     insmod reconnects it: Open-MX works again.
#  4. xen2mx-back unloaded while g2 sends to g1 (omx_perf, large messages):
#     both programs end with the library's "interface was removed" error,
#     both frontends wait (Initialising), dom0's kernel log has no warning;
#     loaded again, both reconnect, boards back, Open-MX works.
#  5. g2 reboots from inside (reboot -f) with an endpoint open: the backend
#     releases and drops the old device.  xl starts the new domain from its
#     configuration, which does not have the device xen2mx-attach wrote by
#     hand: the rebooted g2 has none, and the old domain's backend nodes
#     stay behind until xen2mx-detach by domid removes them; attached
#     again, g2 talks to g1.
# In the end every guest detaches and goes, the backend holds nothing and
# unloads.  On the debug kernel: lockdep and kmemleak in dom0 and guests.
# timeout: 1500
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh
LINK=omxg0
. /opt/xen2mx/scenarios/lib-guest.sh

REQ_TIMEOUT=3000		# api-peer-loss client's request timeout, ms
# "Open-MX works again" checks: eager, medium and large (pulled) messages;
# one 1 MiB sweep (after the destroy) covers multi-block pulls.
SWEEP_END=262144
LIB_GONE="The endpoint's interface was removed"	# libopen-mx's abort message

# ---------------------------------------------------------------- helpers

# share D: what device D.0 holds, "ring_pages_mapped grants_mapped grants_held".
share() {
	echo "$(dev_value "$1" ring_pages_mapped) $(dev_value "$1" grants_mapped) $(dev_value "$1" grants_held)"
}

totals_share() {
	echo "$(totals ring_pages_mapped) $(totals grants_mapped) $(totals grants_held)"
}

# only_share N WANT: the backend has N devices and its totals are WANT.
only_share() {
	local now
	now=$(totals_share)
	cat /sys/kernel/debug/xen2mx-back/totals
	[ "$(totals devices)" = "$1" ] || { echo "devices: $(totals devices), expected $1"; return 1; }
	[ "$now" = "$2" ] || { echo "totals '$now', expected '$2'"; return 1; }
}

both_held() {
	held_at_least "$d1" $EP_PAGES && held_at_least "$d2" $EP_PAGES
}

# held_at_least D N: device D.0 holds at least N grant references.
held_at_least() {
	local h
	h=$(dev_value "$1" grants_held) || { echo "no device $1.0"; return 1; }
	echo "device $1.0: grants_held $h"
	[ "$h" -ge "$2" ]
}

device_gone() {
	if [ -e "/sys/kernel/debug/xen2mx-back/$1.0" ]; then
		cat "/sys/kernel/debug/xen2mx-back/$1.0"
		return 1
	fi
}

# dev_released D: device D.0 exists and holds nothing: no ring, no
# endpoint page, no region piece, no endpoint, no board.
dev_released() {
	local f=/sys/kernel/debug/xen2mx-back/$1.0 k rc=0
	[ -r "$f" ] || { echo "no device $1.0"; return 1; }
	cat "$f"
	for k in ring_pages_mapped grants_mapped grants_held omx_endpoints_open; do
		[ "$(dev_value "$1" $k)" = 0 ] || { echo "$k is not 0"; rc=1; }
	done
	[ "$(dev_value "$1" omx_board)" = none ] || { echo "it still has a board"; rc=1; }
	return $rc
}

# detach_leftover D: xen2mx-detach by domid removes the backend nodes a
# vanished domain D left, and none is left.
detach_leftover() {
	xenstore-ls -f "/local/domain/0/backend/xen2mx/$1" 2>&1
	xen2mx-detach "$1" || return 1
	if xenstore-ls "/local/domain/0/backend/xen2mx/$1" >/dev/null 2>&1; then
		echo "still there after xen2mx-detach $1:"
		xenstore-ls -f "/local/domain/0/backend/xen2mx/$1"
		return 1
	fi
}

bg_kill() {
	guest_exec "$1" "kill \$(cat /tmp/$2.pid) 2>/dev/null; cat /tmp/$2.log" 2>&1
}

_perf_n=0

# bg_ended_0 G TAG: G's background /tmp/TAG (guest_bg) ended with 0.
bg_ended_0() {
	guest_exec "$1" "grep -qx rc=0 /tmp/$2.log || { tail -n 20 /tmp/$2.log; false; }"
}

# perf_pair RX TX END DESC: omx_perf receiver on endpoint 0 of guest RX, the
# sender in guest TX, 0 B..END B, every byte verified; one result per side.
# The sender runs in the foreground: each guest_exec costs seconds on the
# debug kernel, and its output (under 2 KiB) comes back whole.
perf_pair() {
	local rx="$1" tx="$2" end="$3" desc="$4" tag t0 log
	_perf_n=$((_perf_n + 1))
	tag=perf$_perf_n
	t0=$(date +%s)
	guest_bg "$rx" "$tag-rx" "omx_perf -w -e 0"
	if ! tap_check "$desc: omx_perf receiver ready in $rx" \
		wait_for 60 guest_exec "$rx" "grep -q 'Starting receiver' /tmp/$tag-rx.log"; then
		tap_diag "$(bg_kill "$rx" "$tag-rx")"
		return 1
	fi
	log=$XEN2MX_RUN/$tx-$tag-tx.log
	GEXEC_TIMEOUT=300 guest_exec "$tx" \
		"omx_perf -w -d $rx:0 -V -E $((end + 1)) -N 2 -W 1 2>&1; echo rc=\$?" >"$log" 2>&1
	tap_check "$desc: omx_perf $tx -> $rx, 0 B..$end B, every byte verified" \
		perf_ok "$log" "$end"
	tap_check "$desc: its receiver in $rx ends cleanly" \
		wait_for 60 bg_ended_0 "$rx" "$tag-rx" || tap_diag "$(bg_kill "$rx" "$tag-rx")"
	tap_diag "omx_perf $tx -> $rx took $(($(date +%s) - t0)) s"
}

# peer_loss C G HOW: api-peer-loss, server in G, client (the survivor) in
# g1; once the stream is steady G goes away by HOW (guest_destroy or
# guest_shutdown).  g1's program must end with every request ended
# cleanly, the backend must drop G's device and hold g1's idle share only,
# and xen2mx-detach by domid must remove what G left in xenstore.
peer_loss() {
	local c="$1" g="$2" how="$3" d t0
	d=$(guest_domid "$g")
	guest_bg "$g" "$c-server" "api-peer-loss --role server --max-runtime-s 600"
	guest_bg g1 "$c-client" "api-peer-loss --role client --peer $g:0 --request-timeout-ms $REQ_TIMEOUT --closed-ok --max-runtime-s 600"
	if ! tap_check "$c: the stream between g1 and $g is steady" \
		wait_for 240 guest_exec "$g" "grep -q '^# server: streaming' /tmp/$c-server.log"; then
		tap_diag "$g: $(bg_kill "$g" "$c-server")"
		tap_diag "g1: $(bg_kill g1 "$c-client")"
		return 1
	fi
	tap_check "$c: every byte $g received so far is right" \
		guest_exec "$g" "grep '^ok .*every byte right' /tmp/$c-server.log"
	# Mid-stream: let more large messages get under way first.
	sleep 2
	tap_check "$c: $g's device holds its endpoint's pages while it streams" \
		held_at_least "$d" $EP_PAGES
	t0=$(date +%s)
	tap_check "$c: $g goes ($how) in the middle of the stream" "$how" "$g"
	guest_bg_wait g1 "$c-client" 120
	tap_diag "$c: g1's program ended $(($(date +%s) - t0)) s after $g began to go"
	import_guest g1 "$c-client" "$c: api-peer-loss client (g1)"
	tap_check "$c: the backend dropped $g's device (no $d.0 in its debugfs)" \
		wait_for 60 device_gone "$d"
	tap_check "$c: the backend holds g1's idle share only ($g1_idle)" \
		wait_for 30 only_share 1 "$g1_idle"
	tap_check "$c: no endpoint left open in g1" none_open_in g1
	tap_check "$c: xen2mx-detach $d removes what $g left in xenstore" detach_leftover "$d"
}

# dmesg_warnings_since T: dom0's kernel messages of level warning or worse
# stamped T (seconds since boot) or later; fails when there is one.
dmesg_warnings_since() {
	local out
	out=$(dmesg -r | awk -v t="$1" '
		/^<[0-9]+>\[ *[0-9.]+\]/ {
			lvl = substr($0, 2, index($0, ">") - 2) % 8
			ts = $0
			sub(/^<[0-9]+>\[ */, "", ts)
			sub(/\].*/, "", ts)
			if (ts + 0 >= t + 0 && lvl <= 4)
				print
		}')
	[ -z "$out" ] && return 0
	echo "$out"
	return 1
}

uptime_now() { cut -d' ' -f1 /proc/uptime; }

# gone_with_lib_error FILE: a program's log (guest_bg) that ended, by the
# library's abort on a dead endpoint.
gone_with_lib_error() {
	local rc
	cat "$1"
	rc=$(sed -n 's/^rc=\([0-9]*\)$/\1/p' "$1" | tail -n 1)
	[ -n "$rc" ] || { echo "no rc= line: it did not end"; return 1; }
	[ "$rc" != 0 ] || { echo "it ended with 0, not with an error"; return 1; }
	grep -qF "$LIB_GONE" "$1" || { echo "no '$LIB_GONE' in its output"; return 1; }
}

omx_info_fails() {
	local out rc
	out=$(guest_exec "$1" "omx_info 2>&1")
	rc=$?
	echo "$out"
	echo "exit status $rc"
	[ $rc != 0 ] && [ $rc != 124 ] && [ $rc != 125 ]
}

board_back() {
	guest_exec "$1" "omx_info" | grep -x " $1:0 (board #0 name [^ ]* addr $(mac_of "$1"))"
}

new_domid() {
	local d
	d=$(guest_domid "$1") && [ "$d" != "$2" ] && echo "$d"
}

agent_ready() {
	[ "$(xs_read "/local/domain/$1/data/xen2mx-agent")" = ready ]
}

# ---------------------------------------------------------------- set-up

tap_check "a veth pair $LINK at MTU 9000" veth_up || exit 0
tap_check "open-mx and xen2mx-back load with ifnames=$LINK" xen2mx_load ifnames=$LINK || exit 0
tap_check "dom0's board is named dom0:0" omx_hostname -b 0 dom0:0
guest_up g1 || exit 0
guest_up g2 || exit 0
d1=$(guest_domid g1)
g1_idle=$(share "$d1")
tap_diag "g1's idle share of the backend (ring pages, grants mapped, grants held): $g1_idle"
# Every later comparison is against it: it must be a connected device's.
tap_check "g1 idle: rings mapped, no endpoint grant held" \
	sh -c "set -- $g1_idle; [ \"\$1\" -gt 0 ] && [ \"\$3\" = 0 ]"

# ---------------------------------------------------------------- 1. xl destroy

peer_loss destroy g2 guest_destroy
guest_up g3 || exit 0
perf_pair g1 g3 1048576 "destroy: the new guest g3 and g1"

# ---------------------------------------------------------------- 2. clean shutdown

peer_loss shutdown g3 guest_shutdown
# g2 anew, on the MAC whose board went with the destroyed g2; case 3 has
# it talk to g1.
GUEST_CFG_LINE='on_reboot = "restart"' guest_up g2 || exit 0
d2=$(guest_domid g2)

# ---------------------------------------------------------------- 3. frontend module

guest_bg g2 fe-rx "omx_perf -w -e 0"
if tap_check "frontend: omx_perf in g2 has an endpoint open" \
	wait_for 60 guest_exec g2 "grep -q 'Starting receiver' /tmp/fe-rx.log"; then
	tap_check "frontend: g2's device holds its pages" held_at_least "$d2" $EP_PAGES
	out=$(guest_exec g2 "rmmod xen2mx_front 2>&1")
	rc=$?
	if [ $rc != 0 ] && guest_exec g2 "kill -0 \$(cat /tmp/fe-rx.pid)" >/dev/null &&
		states_are $XS_CONNECTED $XS_CONNECTED "$d2"; then
		tap_ok "frontend: rmmod xen2mx-front in g2 is refused while the endpoint is open"
	else
		tap_fail "frontend: rmmod xen2mx-front in g2 is refused while the endpoint is open" \
			"rmmod status $rc: $out" "states: backend $(be_state "$d2"), frontend $(fe_state "$d2")"
	fi
	# The endpoint lived through it: a sender in g1 runs against it.
	GEXEC_TIMEOUT=300 guest_exec g1 \
		"omx_perf -w -d g2:0 -V -E $((SWEEP_END + 1)) -N 2 -W 1 2>&1; echo rc=\$?" \
		>"$XEN2MX_RUN/g1-fe-tx.log" 2>&1
	tap_check "frontend: then omx_perf g1 -> g2, 0 B..$SWEEP_END B, every byte verified" \
		perf_ok "$XEN2MX_RUN/g1-fe-tx.log" $SWEEP_END
	tap_check "frontend: the receiver in g2 ends cleanly" \
		wait_for 60 bg_ended_0 g2 fe-rx || tap_diag "$(bg_kill g2 fe-rx)"
else
	tap_diag "$(bg_kill g2 fe-rx)"
fi
tap_check "frontend: once the program has ended, rmmod xen2mx-front in g2 succeeds" \
	guest_exec g2 "rmmod xen2mx_front"
tap_check "frontend: it wrote Closed" test "$(fe_state "$d2")" = $XS_CLOSED
tap_check "frontend: the backend reached Closed" \
	wait_for 60 sh -c "[ \"\$(xenstore-read $(be_dir "$d2")/state)\" = $XS_CLOSED ]"
tap_check "frontend: the backend holds nothing of g2's device (no ring, endpoint, grant, board)" \
	wait_for 60 dev_released "$d2"
tap_check "frontend: ... but keeps it (online=1), and holds g1's idle share only" \
	only_share 2 "$g1_idle"
tap_check "frontend: the module loads again in g2" guest_frontend_load g2
tap_check "frontend: both ends Connected again" \
	wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d2"
perf_pair g1 g2 $SWEEP_END "frontend: after the reload"

# ---------------------------------------------------------------- 4. backend module

guest_bg g1 be-rx "omx_perf -w -e 0"
if tap_check "backend: omx_perf receiver ready in g1" \
	wait_for 60 guest_exec g1 "grep -q 'Starting receiver' /tmp/be-rx.log"; then
	# 64 KiB..16 MiB, 20 round trips each: far longer than this test.
	guest_bg g2 be-tx "omx_perf -w -d g1:0 -V -S 65536 -E 16777217 -N 20 -W 1"
	tap_check "backend: the transfer g2 -> g1 is under way (64 KiB done)" \
		wait_for 300 guest_exec g2 "grep -q '^length 65536: ' /tmp/be-tx.log"
	tap_check "backend: both guests' devices hold their endpoints' pages" \
		both_held
	t_mark=$(uptime_now)
	tap_check "backend: xen2mx-back unloads with both guests attached, mid-transfer" \
		unload_module xen2mx-back
	tap_check "backend: the module is gone, with all it held" test ! -e /sys/module/xen2mx_back
	tap_check "backend: open-mx stays, no longer used" \
		test "$(cat /sys/module/open_mx/refcnt 2>/dev/null)" = 0
	for g in g1 g2; do
		d=$(guest_domid $g)
		tap_check "backend: $g's frontend notices and waits (Initialising)" \
			wait_for 60 sh -c "[ \"\$(xenstore-read $(fe_dir "$d")/state)\" = 1 ]"
	done
	t0=$(date +%s)
	guest_bg_wait g2 be-tx 90
	guest_bg_wait g1 be-rx 60
	tap_diag "backend: the programs ended within $(($(date +%s) - t0)) s of the unload's end"
	fetch_check g2 be-tx "backend: the sender in g2 ends with the library's error ($LIB_GONE), not a hang" \
		gone_with_lib_error
	fetch_check g1 be-rx "backend: the receiver in g1 ends with the library's error ($LIB_GONE), not a hang" \
		gone_with_lib_error
	tap_check "backend: without a backend, omx_info in g1 fails instead of hanging" omx_info_fails g1
	tap_check "backend: dom0's kernel log has no warning since the unload" \
		dmesg_warnings_since "$t_mark"
else
	tap_diag "$(bg_kill g1 be-rx)"
	tap_check "backend: xen2mx-back unloads with both guests attached" unload_module xen2mx-back
fi
tap_check "backend: xen2mx-back loads again on open-mx" load_module xen2mx-back || exit 0
for d in "$d1" "$d2"; do
	tap_check "backend: device $d.0 is Connected again" \
		wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$d"
done
for g in g1 g2; do
	tap_check "backend: $g's board is back ($g:0 in its omx_info)" wait_for 30 board_back $g
done
tap_check "backend: each device holds its idle share ($g1_idle)" \
	only_share 2 "$(echo "$g1_idle" | awk '{ print 2 * $1, 2 * $2, 2 * $3 }')"
perf_pair g1 g2 $SWEEP_END "backend: after the reload"

# ---------------------------------------------------------------- 5. reboot

guest_bg g2 rb-rx "omx_perf -w -e 0"
tap_check "reboot: omx_perf in g2 has an endpoint open" \
	wait_for 60 guest_exec g2 "grep -q 'Starting receiver' /tmp/rb-rx.log"
tap_check "reboot: g2's device holds its pages" held_at_least "$d2" $EP_PAGES
tap_check "reboot: g2 reboots from inside (reboot -f)" \
	guest_exec g2 "(sleep 1; reboot -f) >/dev/null 2>&1 &"
if d2new=$(wait_for 120 new_domid g2 "$d2"); then
	tap_ok "reboot: xl restarts g2 as a new domain ($d2 -> $d2new)"
else
	tap_fail "reboot: xl restarts g2 as a new domain" "$(xl list 2>&1)"
	exit 0
fi
tap_check "reboot: the backend dropped the old device $d2.0" wait_for 60 device_gone "$d2"
tap_check "reboot: the backend holds g1's idle share only" wait_for 30 only_share 1 "$g1_idle"
tap_check "reboot: the new g2's agent answers" wait_for 120 agent_ready "$d2new" || exit 0
tap_diag "reboot: backend nodes of the old domain: $(xenstore-ls -f "/local/domain/0/backend/xen2mx/$d2" 2>&1)"
tap_check "reboot: the new domain has no xen2mx device (not in its xl configuration)" \
	sh -c "! xenstore-ls $(fe_dir "$d2new") && ! xenstore-ls /local/domain/0/backend/xen2mx/$d2new"
tap_check "reboot: xen2mx-detach $d2 removes what the old domain left in xenstore" \
	detach_leftover "$d2"
tap_check "reboot: frontend module loads in the rebooted g2" guest_frontend_load g2
tap_check "reboot: g2 attaches again as g2:0 and both ends reach Connected" \
	attach_connected g2 --mac "$(mac_of g2)" --hostname g2:0
perf_pair g1 g2 $SWEEP_END "reboot: after the reboot"

# ---------------------------------------------------------------- the end

for g in g1 g2; do
	tap_check "$g: no endpoint left open" none_open_in $g
	tap_check "$g detaches" xen2mx-detach $g
	tap_check "$g shuts down" guest_shutdown $g
done
tap_check "backend clean: nothing mapped" wait_for 30 backend_clean
tap_check "backend clean: no device, nothing mapped, no grant held" only_share 0 "0 0 0"
tap_check "xen2mx-back and open-mx unload" omx_unload
ip link del $LINK
exit 0
