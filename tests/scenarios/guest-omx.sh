#!/bin/sh
# guest-omx: the guest data path on one host.  dom0's engine gets one
# Ethernet board (a veth pair); two guests, each a board of its own riding
# on it (xen2mx-attach --mac/--hostname), run unchanged Open-MX and MX
# programs against each other: omx_perf 0 B..16 MiB with every byte
# verified, then mx-pingpong and the api-* programs of tests/api (g1
# server, g2 client), api-unexp-consume on the paths inside g1 (two
# endpoints, its own address through the library and through the driver,
# same-host shortcuts on and off), then mx-pingpong between g1 and dom0's
# own board.
# Same-host traffic must never reach the wire: dom0's boards count no frame
# sent and the veth sends nothing, while the same-host counters move.  Then
# both guests detach and shut down, and the backend holds nothing and
# unloads.
# timeout: 800
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh
LINK=omxg0			# dom0's board: one end of a veth pair
. /opt/xen2mx/scenarios/lib-guest.sh

DOM0_BOARD=dom0:0
PROG_WAIT=330			# seconds a guest program may take (its watchdog: 300)
PROGRAMS="api-sizes api-matching api-truncation-cancel api-issend
	api-unexp-handler mx-pingpong api-many-endpoints api-timeout
	api-unexp-consume"

# ---------------------------------------------------------------- helpers

# omx_info_is_board G: omx_info in guest G shows exactly one board, board 0,
# named G:0 with G's MAC, up, the default number of endpoints; its peer
# table names the other guest's board and dom0's.
omx_info_is_board() {
	local g="$1" other out rc boards
	case $g in g1) other=g2 ;; *) other=g1 ;; esac
	out=$(guest_exec "$g" "omx_info")
	rc=$?
	echo "$out"
	[ "$rc" = 0 ] || { echo "omx_info in $g: exit status $rc"; return 1; }
	boards=$(echo "$out" | grep -c '^ .* (board #[0-9]* name .* addr [0-9a-f:]*)$')
	[ "$boards" = 1 ] || { echo "$boards board lines, expected 1"; return 1; }
	echo "$out" | grep -qx "Found 1 boards (1 max) supporting $GUEST_ENDPOINTS endpoints each:" ||
		{ echo "not 'Found 1 boards (1 max) supporting $GUEST_ENDPOINTS endpoints each:'"; return 1; }
	echo "$out" | grep -qx " $g:0 (board #0 name [^ ]* addr $(mac_of "$g"))" ||
		{ echo "no board line ' $g:0 (board #0 name ... addr $(mac_of "$g"))'"; return 1; }
	! echo "$out" | grep -q WARNING || { echo "the board has a warning"; return 1; }
	echo "$out" | grep -qx "  [0-9]*) $(mac_of "$other") $other:0" ||
		{ echo "the peer table does not name $other:0 ($(mac_of "$other"))"; return 1; }
	echo "$out" | grep -qx "  [0-9]*) $LINK_MAC $DOM0_BOARD" ||
		{ echo "the peer table does not name $DOM0_BOARD ($LINK_MAC)"; return 1; }
}

# dom0's peer table names both guests' boards with their MACs.
dom0_peers_name_guests() {
	local out g rc=0
	out=$(omx_info) || { echo "omx_info failed"; return 1; }
	echo "$out"
	for g in g1 g2; do
		echo "$out" | grep -qx "  [0-9]*) $(mac_of "$g") $g:0" ||
			{ echo "no peer '$(mac_of "$g") $g:0'"; rc=1; }
	done
	return "$rc"
}

_pair_n=0

# guest_pair PROG [ARGS...]: PROG --role server in g1, PROG --role client
# --peer g1:0 in g2, both started in the background (each waits for the
# other); their results become "PROG server (g1): ..." and
# "PROG client (g2): ...".
guest_pair() {
	local prog="$1" tag t0
	shift
	_pair_n=$((_pair_n + 1))
	tag=pair$_pair_n
	t0=$(date +%s)
	guest_bg g1 "$tag-server" "$prog --role server --max-runtime-s 300 $*"
	guest_bg g2 "$tag-client" "$prog --role client --peer g1:0 --max-runtime-s 300 $*"
	guest_bg_wait g2 "$tag-client" $PROG_WAIT
	guest_bg_wait g1 "$tag-server" 60
	import_guest g1 "$tag-server" "$prog server (g1)"
	import_guest g2 "$tag-client" "$prog client (g2)"
	tap_diag "$prog between g1 and g2 took $(($(date +%s) - t0)) s"
}

# ---------------------------------------------------------------- set-up

tap_check "a veth pair $LINK at MTU 9000" veth_up || exit 0
LINK_MAC=$(cat "/sys/class/net/$LINK/address")
tap_check "open-mx and xen2mx-back load with ifnames=$LINK" xen2mx_load ifnames=$LINK || exit 0
tap_check "dom0's board is named $DOM0_BOARD" omx_hostname -b 0 $DOM0_BOARD

# g1 names dom0's board, g2 rides on the backend's first board by default.
guest_up g1 --board $LINK || exit 0
guest_up g2 || exit 0
for g in g1 g2; do
	d=$(guest_domid $g)
	tap_check "the backend of $g announces feature-omx" \
		test "$(xs_read "$(be_dir "$d")/feature-omx")" = 1
done
tap_diag "$(xenstore-ls -f /local/domain/0/backend/xen2mx 2>&1)"

# ---------------------------------------------------------------- the boards

tap_check "dom0's peer table names g1:0 and g2:0 with their MACs" dom0_peers_name_guests
for g in g1 g2; do
	tap_check "$g: omx_info shows one board, $g:0 at $(mac_of $g), and its peers" \
		omx_info_is_board $g
done

# ---------------------------------------------------------------- guest to guest

tap_check "what went to the wire so far" snapshot_wire || exit 0

# omx_perf: the receiver in g1 opens endpoint 0, then the sender in g2.
t0=$(date +%s)
guest_bg g1 perf-rx "omx_perf -w -e 0"
if tap_check "omx_perf receiver ready in g1" \
	wait_for 60 guest_exec g1 "grep -q 'Starting receiver' /tmp/perf-rx.log"; then
	guest_bg g2 perf-tx "omx_perf -w -d g1:0 -V -E 16777217 -N 2 -W 1 -P 0"
	guest_bg_wait g2 perf-tx 600
	guest_bg_wait g1 perf-rx 60
	if out=$(guest_fetch g2 /tmp/perf-tx.log "$XEN2MX_RUN/perf-tx.log"); then
		tap_diag "$(cat "$XEN2MX_RUN/perf-tx.log")"
		tap_check "omx_perf g2 -> g1: 0 B..16 MiB, every byte verified" \
			perf_ok "$XEN2MX_RUN/perf-tx.log"
	else
		tap_fail "omx_perf g2 -> g1: 0 B..16 MiB, every byte verified" "$out"
	fi
	if out=$(guest_fetch g1 /tmp/perf-rx.log "$XEN2MX_RUN/perf-rx.log"); then
		tap_check "omx_perf receiver in g1 ends cleanly" ended_with_0 "$XEN2MX_RUN/perf-rx.log"
	else
		tap_fail "omx_perf receiver in g1 ends cleanly" "$out"
	fi
else
	tap_diag "$(guest_exec g1 "kill \$(cat /tmp/perf-rx.pid); cat /tmp/perf-rx.log")"
fi
tap_diag "omx_perf took $(($(date +%s) - t0)) s"

for p in $PROGRAMS; do
	case $p in
	api-many-endpoints) guest_pair "$p" --count $GUEST_ENDPOINTS ;;
	*) guest_pair "$p" ;;
	esac
done

# Inside g1: an unexpected handler consuming every message on each path
# of one guest board (the Open-MX 1.5 program's is the last one).  Each
# run on endpoints of its own, all at once.
t0=$(date +%s)
set -- "--self --server-endpoint 0 --client-endpoint 1" \
	"OMX_DISABLE_SHARED=1 --self --server-endpoint 2 --client-endpoint 3" \
	"--role server --own-endpoint --server-endpoint 4" \
	"OMX_DISABLE_SELF=1 --role server --own-endpoint --server-endpoint 5" \
	"OMX_DISABLE_SELF=1 OMX_DISABLE_SHARED=1 --role server --own-endpoint --server-endpoint 6"
n=0
for v in "$@"; do
	n=$((n + 1))
	envs=${v%%--*}
	guest_bg g1 "consume$n" "${envs}api-unexp-consume ${v#"$envs"} --max-runtime-s 300"
done
n=0
for v in "$@"; do
	n=$((n + 1))
	guest_bg_wait g1 "consume$n" $PROG_WAIT
	import_guest g1 "consume$n" "api-unexp-consume in g1, $v"
done
tap_diag "api-unexp-consume inside g1 took $(($(date +%s) - t0)) s"

tap_check "guest-to-guest traffic never touched the wire" no_wire_traffic
for g in g1 g2; do
	tap_check "$g: no endpoint left open" none_open_in $g
done
# Closed endpoints and destroyed regions gave back every grant reference,
# while both devices are still connected.
tap_check "the backend holds no grant of the guests' endpoints or regions" \
	wait_for 10 totals_is grants_held 0
# Honest traffic never meets a guest's grant-copy budget (ring-protocol.md
# 3.6): no frame of the 0 B..16 MiB runs was dropped for it.
for g in g1 g2; do
	d=$(guest_domid $g)
	tap_check "$g: no frame dropped for its grant-copy budget ($(dev_value "$d" copy_ops) copy operations in $(dev_value "$d" copy_calls) hypercalls)" \
		test "$(dev_value "$d" copy_budget_drops)" = 0
done

# ---------------------------------------------------------------- guest and dom0

# dom0's mx-pingpong serves on its own board (endpoint 0), g1 is the client.
tap_check "what went to the wire before guest-to-dom0 traffic" snapshot_wire
t0=$(date +%s)
(mx-pingpong --role server --max-runtime-s 300; echo "rc=$?") >"$XEN2MX_RUN/dom0-server.log" 2>&1 &
dom0_server=$!
guest_bg g1 dom0-client "mx-pingpong --role client --peer $DOM0_BOARD --max-runtime-s 300"
guest_bg_wait g1 dom0-client $PROG_WAIT
import_guest g1 dom0-client "mx-pingpong client (g1) to dom0"
wait $dom0_server
tap_import "mx-pingpong server (dom0) for g1" log_result "$XEN2MX_RUN/dom0-server.log"
tap_diag "mx-pingpong between g1 and dom0 took $(($(date +%s) - t0)) s"
tap_check "guest-to-dom0 traffic never touched the wire" no_wire_traffic
tap_check "dom0: no endpoint left open" dom0_none_open

# ---------------------------------------------------------------- the end

for g in g1 g2; do
	tap_check "$g detaches" xen2mx-detach $g
	tap_check "$g shuts down" guest_shutdown $g
done
tap_check "backend clean: nothing mapped" wait_for 30 backend_clean
tap_check "backend clean: no grant held" totals_is grants_held 0
tap_check "xen2mx-back and open-mx unload" omx_unload
ip link del $LINK
exit 0
