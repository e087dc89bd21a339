#!/bin/sh
# guest-omx: the guest data path on one host.  dom0's engine gets one
# Ethernet board (a veth pair); two guests, each a board of its own riding
# on it (xen2mx-attach --mac/--hostname), run unchanged Open-MX and MX
# programs against each other: omx_perf 0 B..16 MiB with every byte
# verified, then mx-pingpong and the api-* programs of tests/api (g1
# server, g2 client), then mx-pingpong between g1 and dom0's own board.
# Same-host traffic must never reach the wire: dom0's boards count no frame
# sent and the veth sends nothing, while the same-host counters move.  Then
# both guests detach and shut down, and the backend holds nothing and
# unloads.
# timeout: 800
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh

LINK=omxg0			# dom0's board: one end of a veth pair
DOM0_BOARD=dom0:0
GUEST_ENDPOINTS=8		# max-endpoints left to the backend's default
PROG_WAIT=330			# seconds a guest program may take (its watchdog: 300)
PROGRAMS="api-sizes api-matching api-truncation-cancel api-issend
	api-unexp-handler mx-pingpong api-many-endpoints api-timeout"

# ---------------------------------------------------------------- helpers

# A veth pair at MTU 9000, IPv6 off before it comes up (no router
# solicitations: nothing but Open-MX may leave through it, and that is
# counted).  busybox ip names the peer itself (vethN): found by ifindex.
veth_up() {
	local peer_ifindex dev
	if ! ip link add name "$LINK" type veth; then
		[ -e /sys/module/veth ] ||
			echo "no veth driver in this dom0 (a stock-kernel dom0 needs veth.ko in its initramfs)"
		return 1
	fi
	peer_ifindex=$(cat "/sys/class/net/$LINK/iflink")
	for dev in /sys/class/net/*; do
		[ "$(cat "$dev/ifindex")" = "$peer_ifindex" ] && link_peer=${dev##*/}
	done
	[ -n "$link_peer" ] || { echo "no peer of $LINK found"; return 1; }
	for dev in "$LINK" "$link_peer"; do
		echo 1 >"/proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null
	done
	ip link set "$LINK" mtu 9000 && ip link set "$link_peer" mtu 9000 &&
		ip link set "$LINK" up && ip link set "$link_peer" up
}

mac_of() {
	case $1 in
	g1) echo 02:00:00:00:01:01 ;;
	g2) echo 02:00:00:00:01:02 ;;
	esac
}

# guest_up NAME [ATTACH OPTIONS...]: start the guest, load its frontend,
# attach it as board NAME:0 with its MAC and wait for Connected (as
# bring_up does, with the board options).  One result per step.
guest_up() {
	local g="$1"
	shift
	tap_check "guest $g starts" guest_start "$g" || return 1
	tap_check "frontend module loads in $g" guest_frontend_load "$g" || return 1
	tap_check "$g attaches as $g:0 ($(mac_of "$g")${1:+ $*}) and both ends reach Connected" \
		attach_connected "$g" --mac "$(mac_of "$g")" --hostname "$g:0" "$@"
}

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

# Frames dom0's engine handed to a wire: the 16 "Send ..." counters
# (indexes 0..15) of every board omx_info lists (dom0's own and the
# guests'), one line per board, then "total N".
wire_sends() {
	local boards b i n sum total=0
	boards=$(omx_info -q | sed -n 's/^ .* (board #\([0-9]*\) name .*/\1/p')
	[ -n "$boards" ] || { echo "omx_info lists no board"; return 1; }
	for b in $boards; do
		omx_counters -v -b "$b" >/dev/null || { echo "omx_counters -b $b failed"; return 1; }
		sum=0
		for i in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
			n=$(omx_counter "$b" "$i")
			sum=$((sum + ${n:-0}))
		done
		echo "board $b: $sum"
		total=$((total + sum))
	done
	echo "total $total"
}

# Frames delivered inside dom0: the sum of the same-host pseudo-board's
# "Shared ..." counters (indexes 72..84).
shared_frames() {
	local out
	out=$(omx_counters -s -v) || { echo "omx_counters -s failed"; return 1; }
	echo "$out" | awk -F: '$1 ~ /^0*(7[2-9]|8[0-4])$/ { n += $2 } END { print n + 0 }'
}

link_tx() {
	cat "/sys/class/net/$LINK/statistics/tx_packets"
}

# snapshot_wire: remember what went to the wire so far.
snapshot_wire() {
	wire_before=$(wire_sends) || return 1
	tx_before=$(link_tx)
	shared_before=$(shared_frames) || return 1
	echo "dom0 boards: $(echo "$wire_before" | tr '\n' ' ')"
	echo "$LINK tx_packets: $tx_before, same-host frames: $shared_before"
}

# no_wire_traffic: since snapshot_wire, no board counted a frame sent and
# the veth sent nothing, while frames were delivered inside dom0.
no_wire_traffic() {
	local now tx shared rc=0
	now=$(wire_sends) || { echo "$now"; return 1; }
	tx=$(link_tx)
	shared=$(shared_frames) || { echo "$shared"; return 1; }
	echo "dom0 boards before: $(echo "$wire_before" | tr '\n' ' ')"
	echo "dom0 boards after:  $(echo "$now" | tr '\n' ' ')"
	echo "$LINK tx_packets: $tx_before -> $tx; same-host frames: $shared_before -> $shared"
	[ "$(echo "$now" | tail -n 1)" = "$(echo "$wire_before" | tail -n 1)" ] ||
		{ echo "dom0's boards counted frames sent on the wire"; rc=1; }
	[ "$tx" = "$tx_before" ] || { echo "$LINK sent frames"; rc=1; }
	[ "$shared" -gt "$shared_before" ] ||
		{ echo "no frame was delivered inside dom0: did any traffic happen?"; rc=1; }
	return "$rc"
}

# guest_bg G TAG CMD: run CMD in the background in guest G; its output,
# then "rc=N", go to /tmp/TAG.log there, its pid to /tmp/TAG.pid.
guest_bg() {
	guest_exec "$1" "( $3 & echo \$! >/tmp/$2.pid; wait \$!; echo rc=\$? ) >/tmp/$2.log 2>&1 &" >/dev/null
}

guest_bg_done() {
	guest_exec "$1" "grep -q '^rc=' /tmp/$2.log"
}

# guest_bg_wait G TAG SECONDS: wait for it; past SECONDS, kill it (its log
# then has no rc= line, which the import reports).
guest_bg_wait() {
	GEXEC_TIMEOUT=60 wait_for "$3" guest_bg_done "$1" "$2" >/dev/null 2>&1 && return 0
	tap_diag "$1: /tmp/$2 still running after $3 s: killed"
	guest_exec "$1" "kill \$(cat /tmp/$2.pid)" >/dev/null 2>&1
	return 1
}

# guest_fetch G FILE DEST: copy a text file out of guest G, a few lines per
# guest_exec (whose output is cut at ~3 KiB).
guest_fetch() {
	local g="$1" file="$2" dest="$3" lines first=1 n=20 page
	lines=$(guest_exec "$g" "wc -l <$file") || { echo "cannot read $file in $g"; return 1; }
	lines=${lines##*[!0-9]}
	case $lines in
	"" | *[!0-9]*) echo "wc -l of $file in $g said '$lines'"; return 1 ;;
	esac
	: >"$dest"
	while [ "$first" -le "$lines" ]; do
		page=$(guest_exec "$g" "sed -n '$first,$((first + n - 1))p' $file") ||
			{ echo "cannot read $file in $g"; return 1; }
		case $page in
		"[xen2mx-agent: first "*)
			[ $n -gt 1 ] || { echo "line $first of $file in $g is too long"; return 1; }
			n=$((n / 2))
			continue
			;;
		esac
		printf '%s\n' "$page" >>"$dest"
		first=$((first + n))
	done
}

# ended_with_0 FILE: FILE's "rc=" line (see guest_bg) says 0.
ended_with_0() {
	grep -qx 'rc=0' "$1" || { tail -n 20 "$1"; return 1; }
}

# perf_ok FILE: an omx_perf sender's log: it ended with 0 after a result
# for the last length, 16 MiB (-V stops at the first wrong byte, exit 1).
perf_ok() {
	ended_with_0 "$1" && grep -q '^length 16777216: ' "$1"
}

# log_result FILE: FILE without its "rc=N" line; exits with N (1 when the
# program never ended).
log_result() {
	local rc
	rc=$(sed -n 's/^rc=\([0-9]*\)$/\1/p' "$1" | tail -n 1)
	grep -v '^rc=[0-9]*$' "$1"
	return "${rc:-1}"
}

# import_guest G TAG PREFIX: G's /tmp/TAG.log, TAP lines become results.
import_guest() {
	local dest="$XEN2MX_RUN/$1-$2.log" out
	if ! out=$(guest_fetch "$1" "/tmp/$2.log" "$dest"); then
		tap_fail "$3: results fetched from $1" "$out"
		return 1
	fi
	tap_import "$3" log_result "$dest"
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

none_open_in() {
	local out
	out=$(guest_exec "$1" "omx_endpoint_info") || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -qx "  0 of $GUEST_ENDPOINTS endpoints open"
}

# Every board of dom0 says 0 endpoints open.
dom0_none_open() {
	local out
	out=$(omx_endpoint_info) || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -q 'endpoints open$' &&
		! echo "$out" | grep 'endpoints open$' | grep -qv '^ *0 of '
}

# ---------------------------------------------------------------- set-up

tap_check "a veth pair $LINK at MTU 9000" veth_up || exit 0
LINK_MAC=$(cat "/sys/class/net/$LINK/address")
tap_check "xen2mx-back loads with ifnames=$LINK" omx_load ifnames=$LINK || exit 0
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
	guest_bg g2 perf-tx "omx_perf -w -d g1:0 -V -E 16777216 -N 2 -W 1"
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

tap_check "guest-to-guest traffic never touched the wire" no_wire_traffic
for g in g1 g2; do
	tap_check "$g: no endpoint left open" none_open_in $g
done
# Closed endpoints and destroyed regions gave back every grant reference,
# while both devices are still connected.
tap_check "the backend holds no grant of the guests' endpoints or regions" \
	wait_for 10 totals_is grants_held 0

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
tap_check "backend module unloads" unload_module xen2mx-back
ip link del $LINK
exit 0
