# shellcheck shell=sh
# lib-guest.sh: helpers of the scenarios whose guests are Open-MX boards of
# their own riding on a dom0 veth (guest-omx, guest-three, guest-lifecycle,
# guest-hostile), sourced after lib-dom0.sh, lib-xen2mx.sh and lib-omx.sh.
#
#   LINK                          dom0's board, one end of a veth pair
#                                 (set it before sourcing; default omxg0)
#   veth_up                       create $LINK and its peer at MTU 9000, IPv6
#                                 off, both up; sets link_peer
#   mac_of G                      the MAC of guest gN: 02:00:00:00:01:0N
#   guest_up G [ATTACH OPTIONS...]
#                                 start G ($GUEST_CFG_LINE, if set, is one
#                                 extra xl config line), load its frontend,
#                                 attach it as board G:0 with its MAC and wait
#                                 for Connected; one result per step
#   guest_bg G TAG CMD            run CMD in the background in G: its output,
#                                 then "rc=N", go to /tmp/TAG.log there, its
#                                 pid to /tmp/TAG.pid
#   guest_bg_done G TAG           it has ended
#   guest_bg_wait G TAG SECONDS   wait for it; past SECONDS kill it (its log
#                                 then has no rc= line) and return 1
#   guest_fetch G FILE DEST       copy a text file out of G
#   fetch_check G TAG DESC CHECK [ARG...]
#                                 fetch G's /tmp/TAG.log and tap_check DESC
#                                 with CHECK LOCAL-COPY ARG...
#   ended_with_0 FILE             FILE's rc= line says 0
#   perf_ok FILE [END]            an omx_perf sender's log: rc=0 after a
#                                 result for length END (16777216)
#   log_result FILE               FILE without its rc= line, exit status N
#   import_guest G TAG PREFIX     G's /tmp/TAG.log, its TAP lines as results
#   none_open_in G                omx_endpoint_info in G: no endpoint open
#   dom0_none_open                no board of dom0 has an endpoint open
#   wire_sends, shared_frames, link_tx
#                                 frames dom0's boards sent to a wire, frames
#                                 delivered inside dom0, $LINK's tx_packets
#   snapshot_wire / no_wire_traffic
#                                 remember the wire counters; since then no
#                                 frame went to a wire and some were
#                                 delivered inside dom0
#   dev_value DOMID KEY           KEY of the backend's debugfs file DOMID.0
#   GUEST_ENDPOINTS               max-endpoints of a guest (the default, 8)
#   EP_PAGES                      grants an open endpoint holds (785)

: "${LINK:=omxg0}"
GUEST_ENDPOINTS=8
EP_PAGES=785

veth_up() {
	local peer_ifindex dev
	if ! ip link add name "$LINK" type veth; then
		[ -e /sys/module/veth ] ||
			echo "no veth driver in this dom0 (a stock-kernel dom0 needs veth.ko in its initramfs)"
		return 1
	fi
	# busybox ip names the peer itself (vethN): found by its ifindex.
	peer_ifindex=$(cat "/sys/class/net/$LINK/iflink")
	for dev in /sys/class/net/*; do
		[ "$(cat "$dev/ifindex")" = "$peer_ifindex" ] && link_peer=${dev##*/}
	done
	[ -n "$link_peer" ] || { echo "no peer of $LINK found"; return 1; }
	# No router solicitations: nothing but Open-MX may leave through it.
	for dev in "$LINK" "$link_peer"; do
		echo 1 >"/proc/sys/net/ipv6/conf/$dev/disable_ipv6" 2>/dev/null
	done
	ip link set "$LINK" mtu 9000 && ip link set "$link_peer" mtu 9000 &&
		ip link set "$LINK" up && ip link set "$link_peer" up
}

mac_of() {
	case $1 in
	g[1-9]) echo "02:00:00:00:01:0${1#g}" ;;
	*) echo "mac_of: no MAC for '$1'" >&2; return 1 ;;
	esac
}

guest_up() {
	local g="$1" cfg=""
	shift
	[ -n "${GUEST_CFG_LINE:-}" ] && cfg=" ($GUEST_CFG_LINE)"
	tap_check "guest $g starts$cfg" guest_start "$g" ${GUEST_CFG_LINE:+"$GUEST_CFG_LINE"} || return 1
	tap_check "frontend module loads in $g" guest_frontend_load "$g" || return 1
	tap_check "$g attaches as $g:0 ($(mac_of "$g")${1:+ $*}) and both ends reach Connected" \
		attach_connected "$g" --mac "$(mac_of "$g")" --hostname "$g:0" "$@"
}

# ---------------------------------------------------------------- programs in guests

guest_bg() {
	guest_exec "$1" "( $3 & echo \$! >/tmp/$2.pid; wait \$!; echo rc=\$? ) >/tmp/$2.log 2>&1 &" >/dev/null
}

guest_bg_done() {
	guest_exec "$1" "grep -q '^rc=' /tmp/$2.log"
}

guest_bg_wait() {
	GEXEC_TIMEOUT=60 wait_for "$3" guest_bg_done "$1" "$2" >/dev/null 2>&1 && return 0
	tap_diag "$1: /tmp/$2 still running after $3 s: killed"
	# Where it is stuck, for the diagnostics.
	local where="tail -n 5 /tmp/$2.log; grep -E '^(Name|State):' /proc/\$p/status;"
	where="$where echo wchan: \$(cat /proc/\$p/wchan); cat /proc/\$p/stack;"
	tap_diag "$(guest_exec "$1" "p=\$(cat /tmp/$2.pid); $where kill \$p" 2>&1)"
	return 1
}

# A few lines per guest_exec, whose output is cut at ~3 KiB.
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

fetch_check() {
	local g="$1" tag="$2" desc="$3" dest out check
	shift 3
	dest=$XEN2MX_RUN/$g-$tag.log
	if out=$(guest_fetch "$g" "/tmp/$tag.log" "$dest"); then
		check=$1
		shift
		tap_check "$desc" "$check" "$dest" "$@"
	else
		tap_fail "$desc" "$out"
	fi
}

ended_with_0() {
	grep -qx 'rc=0' "$1" || { tail -n 20 "$1"; return 1; }
}

# -V stops at the first wrong byte with exit status 1.
perf_ok() {
	local end="${2:-16777216}"
	ended_with_0 "$1" || return 1
	grep -q "^length $end: " "$1" ||
		{ echo "no result for length $end"; tail -n 20 "$1"; return 1; }
}

log_result() {
	local rc
	rc=$(sed -n 's/^rc=\([0-9]*\)$/\1/p' "$1" | tail -n 1)
	grep -v '^rc=[0-9]*$' "$1"
	return "${rc:-1}"
}

import_guest() {
	local dest="$XEN2MX_RUN/$1-$2.log" out
	if ! out=$(guest_fetch "$1" "/tmp/$2.log" "$dest"); then
		tap_fail "$3: results fetched from $1" "$out"
		return 1
	fi
	tap_import "$3" log_result "$dest"
}

none_open_in() {
	local out
	out=$(guest_exec "$1" "omx_endpoint_info") || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -qx "  0 of $GUEST_ENDPOINTS endpoints open"
}

dom0_none_open() {
	local out
	out=$(omx_endpoint_info) || { echo "$out"; return 1; }
	echo "$out"
	echo "$out" | grep -q 'endpoints open$' &&
		! echo "$out" | grep 'endpoints open$' | grep -qv '^ *0 of '
}

# ---------------------------------------------------------------- the wire

# The 16 "Send ..." counters (indexes 0..15) of every board omx_info lists
# (dom0's own and the guests'), one line per board, then "total N".
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

# The same-host pseudo-board's "Shared ..." counters (indexes 72..84).
shared_frames() {
	local out
	out=$(omx_counters -s -v) || { echo "omx_counters -s failed"; return 1; }
	echo "$out" | awk -F: '$1 ~ /^0*(7[2-9]|8[0-4])$/ { n += $2 } END { print n + 0 }'
}

link_tx() {
	cat "/sys/class/net/$LINK/statistics/tx_packets"
}

snapshot_wire() {
	wire_before=$(wire_sends) || return 1
	tx_before=$(link_tx)
	shared_before=$(shared_frames) || return 1
	echo "dom0 boards: $(echo "$wire_before" | tr '\n' ' ')"
	echo "$LINK tx_packets: $tx_before, same-host frames: $shared_before"
}

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

# ---------------------------------------------------------------- the backend

dev_value() {
	dom0_debugfs_value "xen2mx-back/$1.0" "$2"
}
