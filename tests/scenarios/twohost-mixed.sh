#!/bin/sh
# twohost-mixed: a mixed fabric, for a KERNEL@2:bareN boot.  One host is
# Xen with two guests (g1, g2) attached on its link through xen2mx-back on
# open-mx; the other is plain Linux with open-mx alone, a bare-metal
# Open-MX node.  On the bare host first the engine's own checks that need
# no Xen: the KUnit engine suites (kunit.sh, results under "kunit") and
# the driver contract (omx-abi-check on its link board), while the Xen
# host starts its guests.  Then, with no static peer file, omxoed on both
# hosts: the bare host learns every board (the dom0's and both guests'),
# dom0 and the guests learn the bare host's.  Between a guest and the bare
# node, both ways: omx_perf 0 B..16 MiB with every byte verified (g1 ->
# bare, bare -> g2) and API programs (mx-pingpong and api-sizes with g1
# serving, mx-pingpong and api-matching with the bare node serving g2).
# Last the bare host unloads open-mx, the Xen host detaches and shuts its
# guests down and unloads both modules.
# timeout: 1200
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh

if [ -z "$XEN2MX_BARE_HOST" ]; then
	tap_fail "one host of this boot is bare" "boot it as KERNEL@2:bare1 or KERNEL@2:bare2 (run-testbed.sh --help)"
	exit 0
fi
# The boards' names: the bare node's and the Xen host's dom0 board.
if host_is_bare; then
	BARE=$XEN2MX_HOST_NAME:0 XENH=$XEN2MX_PEER_NAME:0
else
	BARE=$XEN2MX_PEER_NAME:0 XENH=$XEN2MX_HOST_NAME:0
fi
GUESTS="g1 g2"
mac_of() {
	case $1 in
	g1) echo 02:00:00:00:0a:01 ;;
	g2) echo 02:00:00:00:0a:02 ;;
	esac
}
# Only the guests carry traffic here: dom0 keeps every check.
GUEST_DEBUG=light
export GUEST_DEBUG
SIZES="-V -E 16777217 -N 2 -W 1"

# lists_boards: omx_info here names each of the boards "NAME..." in its
# peer table (by name, so the host query answered too).
lists_boards() {
	local out name
	out=$(omx_info) || { echo "$out"; return 1; }
	for name in "$@"; do
		echo "$out" | grep -qE "^ *[0-9]+\\) [0-9a-f:]+ $name\$" ||
			{ echo "$out"; echo "no $name"; return 1; }
	done
}
guest_lists_boards() {
	local g=$1 out name
	shift
	out=$(guest_exec "$g" omx_info) || { echo "$out"; return 1; }
	for name in "$@"; do
		echo "$out" | grep -qE "^ *[0-9]+\\) [0-9a-f:]+ $name\$" ||
			{ echo "$out"; echo "no $name"; return 1; }
	done
}

# guest_run G NAME CMD SECONDS: CMD in guest G, its output and then
# "rc=N" into /tmp/NAME.log there; prints the log's last lines.
guest_run() {
	GEXEC_TIMEOUT=$4 guest_exec "$1" "($3; echo rc=\$?) >/tmp/$2.log 2>&1; tail -n 40 /tmp/$2.log"
}
# A guest's API program ended with status 0 and no failed case.
guest_prog_passed() {
	echo "$1" | grep -qx rc=0 && ! echo "$1" | grep -q '^not ok'
}

oed_start() {
	omxoed -f -p "$XEN2MX_RUN/omxoed.pid" >"$XEN2MX_RUN/omxoed.log" 2>&1 &
	OED=$!
}
oed_stop() {
	kill "$OED" 2>/dev/null
	wait "$OED" 2>/dev/null
	! kill -0 "$OED" 2>/dev/null
}

# ------------------------------------------------------------ bring-up
if host_is_bare; then
	# The engine's KUnit suites on this kernel with no hypervisor under it
	# (kunit.sh leaves out the Xen layers' suites here).
	XEN2MX_SCENARIO=kunit sh "$XEN2MX_ROOT/scenarios/kunit.sh"
	tap_check "open-mx alone loads on $XEN2MX_LINK (no Xen)" omx_load "ifnames=$XEN2MX_LINK" || exit 0
	tap_check "no xen2mx-back here" test ! -e /sys/module/xen2mx_back
	tap_check "board named $BARE" omx_hostname -b 0 "$BARE" || exit 0
	# The driver contract, on the bare host's own NIC board.
	t0=$(date +%s)
	tap_import "abi" omx-abi-check -b 0
	tap_diag "omx-abi-check took $(($(date +%s) - t0)) s"
else
	tap_check "open-mx and xen2mx-back load on $XEN2MX_LINK" xen2mx_load "ifnames=$XEN2MX_LINK" || exit 0
	tap_check "board named $XENH" omx_hostname -b 0 "$XENH" || exit 0
	for g in $GUESTS; do
		tap_check "guest $g starts" guest_start $g || exit 0
		tap_check "frontend module loads in $g" guest_frontend_load $g || exit 0
		tap_check "$g attaches as $g:0 on $XEN2MX_LINK" \
			attach_connected $g --board "$XEN2MX_LINK" --mac "$(mac_of $g)" --hostname $g:0 || exit 0
	done
fi
peer_barrier mixed-up 900 || exit 0

# ------------------------------------------------------------ discovery
# No peers file anywhere: omxoed finds the boards, host queries name them.
if host_is_bare; then
	tap_check "before omxoed, $BARE knows no guest board" sh -c '! omx_info | grep -qE " g[12]:0\$"'
fi
oed_start
if host_is_bare; then
	tap_check "omxoed: $BARE lists $XENH, g1:0 and g2:0" wait_for 120 lists_boards "$XENH" g1:0 g2:0
else
	tap_check "omxoed: dom0 lists $BARE" wait_for 120 lists_boards "$BARE"
	for g in $GUESTS; do
		tap_check "omxoed: $g lists $BARE and $XENH" wait_for 60 guest_lists_boards $g "$BARE" "$XENH"
	done
fi
peer_barrier discovered 300 || exit 0

# ------------------------------------------------------------ omx_perf
# 1. g1 -> the bare node.
if host_is_bare; then
	omx_perf -w -e 0 >"$XEN2MX_RUN/perf1.out" 2>&1 &
	pid=$!
	peer_barrier perf1-receiver 60 || exit 0
	_omx_wait_pid "$pid" 900
	rc=$?
	tap_check "omx_perf receiver on $BARE for g1 ends cleanly" test $rc = 0 ||
		tap_diag "$(tail -n 20 "$XEN2MX_RUN/perf1.out")"
else
	peer_barrier perf1-receiver 60 || exit 0
	sleep 1
	t0=$(date +%s)
	out=$(guest_run g1 perf "omx_perf -w -d $BARE $SIZES" 800)
	tap_diag "$out" "g1 -> $BARE took $(($(date +%s) - t0)) s"
	tap_check "omx_perf g1 -> $BARE: 0 B..16 MiB, every byte verified" \
		sh -c 'echo "$1" | grep -qx rc=0 && echo "$1" | grep -q "^length 16777216: "' _ "$out"
fi
peer_barrier perf1-done 960 || exit 0

# 2. The bare node -> g2.
if host_is_bare; then
	peer_barrier perf2-receiver 60 || exit 0
	sleep 1
	t0=$(date +%s)
	omx_perf -w -d g2:0 $SIZES >"$XEN2MX_RUN/perf2.out" 2>&1
	rc=$?
	tap_diag "$(cat "$XEN2MX_RUN/perf2.out")" "$BARE -> g2 took $(($(date +%s) - t0)) s"
	tap_check "omx_perf $BARE -> g2: 0 B..16 MiB, every byte verified" \
		sh -c '[ "$1" = 0 ] && grep -q "^length 16777216: " "$2"' _ "$rc" "$XEN2MX_RUN/perf2.out"
else
	guest_exec g2 "(omx_perf -w -e 0; echo rc=\$?) >/tmp/perf-rx.log 2>&1 &" >/dev/null
	sleep 2
	peer_barrier perf2-receiver 60 || exit 0
	rx_ended() { guest_exec g2 "grep '^rc=' /tmp/perf-rx.log"; }
	if out=$(wait_for 900 rx_ended); then
		tap_check "omx_perf receiver in g2 for $BARE ends cleanly" test "$out" = rc=0 ||
			tap_diag "$(guest_exec g2 'tail -n 20 /tmp/perf-rx.log')"
	else
		tap_fail "omx_perf receiver in g2 for $BARE ends" "$(guest_exec g2 'tail -n 20 /tmp/perf-rx.log')"
	fi
fi
peer_barrier perf2-done 960 || exit 0

# ------------------------------------------------------------ API programs
# mixed_prog G SERVER PROG: PROG between guest G and the bare node, the
# server on SERVER's side (guest or bare).  The bare side's cases become
# results of their own; the guest's side is one result (its output is in
# the guest's console log).
n_prog=0
mixed_prog() {
	local g=$1 server=$2 prog=$3 peer out t0
	n_prog=$((n_prog + 1))
	peer_barrier "prog$n_prog-$prog" 120 || return 1
	t0=$(date +%s)
	if host_is_bare; then
		if [ "$server" = bare ]; then
			tap_import "$prog server on $BARE for $g" "$prog" --role server --max-runtime-s 300
		else
			sleep 3
			tap_import "$prog client on $BARE of $g" "$prog" --role client --peer $g:0 --max-runtime-s 300
		fi
	else
		if [ "$server" = bare ]; then
			sleep 3
			out=$(guest_run $g $prog "$prog --role client --peer $BARE --max-runtime-s 300" 400)
			tap_check "$prog client in $g of $BARE" guest_prog_passed "$out" || tap_diag "$out"
		else
			out=$(guest_run $g $prog "$prog --role server --max-runtime-s 300" 400)
			tap_check "$prog server in $g for $BARE" guest_prog_passed "$out" || tap_diag "$out"
		fi
	fi
	tap_diag "$prog took $(($(date +%s) - t0)) s"
	peer_barrier "prog$n_prog-done" 600
}
mixed_prog g1 guest mx-pingpong || exit 0
mixed_prog g1 guest api-sizes || exit 0
mixed_prog g2 bare mx-pingpong || exit 0
mixed_prog g2 bare api-matching || exit 0

# ------------------------------------------------------------ teardown
tap_check "omxoed exits on SIGTERM" oed_stop
if host_is_bare; then
	tap_check "open-mx unloads cleanly" omx_unload
	tap_check "no open-mx module left" test ! -e /sys/module/open_mx
else
	for g in $GUESTS; do
		tap_check "$g detaches" xen2mx-detach $g
		tap_check "$g shuts down" guest_shutdown $g
	done
	tap_check "backend clean" wait_for 30 backend_clean
	tap_check "xen2mx-back and open-mx unload" omx_unload
fi
peer_barrier mixed-done 300
