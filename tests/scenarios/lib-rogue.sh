# shellcheck shell=sh
# lib-rogue.sh: a hostile guest next to two honest ones (guest-hostile,
# guest-ringfuzz), sourced after lib-dom0.sh, lib-xen2mx.sh, lib-omx.sh
# and lib-guest.sh.
#
# g1 and g2 are ordinary guests (xen2mx-front) streaming verified omx_perf
# runs g2 -> g1 the whole time; g3 loads xen2mx-rogue (tests/rogue) and
# attacks through its debugfs file.
#
#   rogue_setup [--no-wait]       veth, xen2mx-back, g1, g2, g3 with the
#                                 rogue attached as g3:0, the stream
#                                 started and (unless told not to wait)
#                                 flowing; sets D1 D2 D3 (domids) and
#                                 runs_before; one result per step,
#                                 non-zero when the rest cannot run
#   rogue_teardown [--no-fresh-perf]
#                                 the stream stopped and every run checked,
#                                 a fresh verified omx_perf g2 -> g1 (unless
#                                 told not to), g3 destroyed, the backend
#                                 holding exactly g1's and g2's, then
#                                 nothing; g1 and g2 shut down, xen2mx-back
#                                 unloaded
#   stream_runs                   runs the stream completed so far
#   stream_alive                  no stream run failed
#   stream_beyond N               more than N runs completed
#   attack NAME                   g3 runs attack NAME; its report on stdout
#   report_has REPORT LINE...     each LINE is a line of REPORT (a LINE
#                                 starting with "~" is an extended regular
#                                 expression for the whole line)
#   report_value REPORT KEY       the rest of REPORT's line "KEY: ..."
#   g3_holds_nothing              g3's backend device: connected, not
#                                 disabled, no endpoint, no grant but its
#                                 rings'
#   g3_shut_down REASON           g3's device Closing or Closed, its error
#                                 node naming REASON
#   g3_released                   g3's backend device holds nothing at all
#   totals_are_g1_g2              the backend's totals are g1's plus g2's

ATTACK=/sys/kernel/debug/xen2mx-rogue/attack
STREAM_END=1048576		# the stream's largest message (pulled in blocks)
# Seconds between two runs: the stream must never stop, not saturate the
# machine.  On the two emulated CPUs a back-to-back 0..4 MiB stream took
# most of the time the attacks needed and more than doubled their wall time.
STREAM_PAUSE=4

# The stream: omx_perf runs g2 -> g1, STREAM_PAUSE s apart, until
# /tmp/stop exists; each run verifies every byte up to STREAM_END.  g2
# logs "run N ok" per run, and stops at the first run that fails.
RX_LOOP='n=0; while :; do omx_perf -w -e 0 >>/tmp/rx-runs.log 2>&1; rc=$?; [ -e /tmp/stop ] && break; [ $rc = 0 ] || exit $rc; n=$((n + 1)); done; echo runs=$n'
TX_LOOP='n=0; while [ ! -e /tmp/stop ]; do sleep '$STREAM_PAUSE'; omx_perf -w -d g1:0 -V -E '$((STREAM_END + 1))' -N 2 -W 1 -P 0 >/tmp/tx-run.log 2>&1; rc=$?; cat /tmp/tx-run.log >>/tmp/tx-runs.log; if [ $rc != 0 ] || ! grep -q "^length '$STREAM_END': " /tmp/tx-run.log; then echo "run $((n + 1)) failed: rc=$rc"; tail -n 5 /tmp/tx-run.log; exit 1; fi; n=$((n + 1)); echo "run $n ok"; done; echo runs=$n'

stream_runs() {
	local n
	n=$(guest_exec g2 "grep -c '^run [0-9]* ok' /tmp/stream-tx.log") || true
	echo "${n##*[!0-9]}"
}

stream_alive() {
	guest_exec g2 "! grep -q '^rc=' /tmp/stream-tx.log" ||
		{ guest_exec g2 "tail -n 8 /tmp/stream-tx.log"; return 1; }
}

stream_beyond() {
	[ "$(stream_runs)" -gt "$1" ]
}

g3_holds_nothing() {
	local k v rc=0
	for k in connected:1 disabled:0 omx_endpoints_open:0 grants_held:0; do
		v=$(dev_value "$D3" "${k%%:*}")
		[ "$v" = "${k#*:}" ] || { echo "g3's backend: ${k%%:*} is '$v', not ${k#*:}"; rc=1; }
	done
	[ "$(dev_value "$D3" grants_mapped)" = "$(dev_value "$D3" ring_pages_mapped)" ] ||
		{ echo "g3's backend maps $(dev_value "$D3" grants_mapped) grants for $(dev_value "$D3" ring_pages_mapped) ring pages"; rc=1; }
	return $rc
}

report_has() {
	local out="$1" line rc=0
	shift
	for line in "$@"; do
		case $line in
		"~"*) printf '%s\n' "$out" | grep -qxE -- "${line#"~"}" ;;
		*) printf '%s\n' "$out" | grep -qxF -- "$line" ;;
		esac || { echo "not in the report: '$line'"; rc=1; }
	done
	return $rc
}

report_value() {
	printf '%s\n' "$1" | sed -n "s/^$2: //p" | head -n 1
}

attack() {
	GEXEC_TIMEOUT=280 guest_exec g3 "echo $1 >$ATTACK && cat $ATTACK"
}

error_node() {
	xs_read "/local/domain/0/error/backend/xen2mx/$D3/0/error"
}

g3_shut_down() {
	local state err rc=0
	state=$(be_state "$D3")
	err=$(error_node)
	echo "backend state $state, error node '$err'"
	case $state in
	5 | 6) ;;
	*) echo "state $state is neither Closing (5) nor Closed (6)"; rc=1 ;;
	esac
	case $err in
	*"$1"*) ;;
	*) echo "the error node does not say '$1'"; rc=1 ;;
	esac
	return $rc
}

g3_released() {
	local k v rc=0
	for k in connected ring_pages_mapped grants_mapped grants_held omx_endpoints_open; do
		v=$(dev_value "$D3" "$k")
		echo "$k: $v"
		[ "$v" = 0 ] || rc=1
	done
	return $rc
}

totals_are_g1_g2() {
	local k t a b rc=0
	totals_is devices 2 || { echo "devices: $(totals devices), not 2"; rc=1; }
	for k in ring_pages_mapped grants_mapped grants_held; do
		t=$(totals "$k")
		a=$(dev_value "$D1" "$k")
		b=$(dev_value "$D2" "$k")
		echo "$k: total $t, g1 $a, g2 $b"
		[ -n "$t" ] && [ -n "$a" ] && [ -n "$b" ] && [ "$t" = $((a + b)) ] || rc=1
	done
	return $rc
}

rogue_setup() {
	tap_check "a veth pair $LINK at MTU 9000" veth_up || return 1
	tap_check "open-mx and xen2mx-back load with ifnames=$LINK" xen2mx_load ifnames=$LINK || return 1
	guest_up g1 || return 1
	guest_up g2 || return 1
	tap_check "guest g3 starts" guest_start g3 || return 1
	tap_check "the rogue frontend (xen2mx-rogue) loads in g3" \
		guest_exec g3 "insmod /opt/xen2mx/modules/xen2mx-rogue.ko" || return 1
	tap_check "g3 attaches as g3:0 and the rogue negotiates like a frontend: both ends reach Connected" \
		attach_connected g3 --mac "$(mac_of g3)" --hostname g3:0 || return 1
	D1=$(guest_domid g1)
	D2=$(guest_domid g2)
	D3=$(guest_domid g3)

	guest_bg g1 stream-rx "sh -c '$RX_LOOP'"
	tap_check "omx_perf receiver loop starts in g1" \
		wait_for 60 guest_exec g1 "grep -q 'Starting receiver' /tmp/rx-runs.log" || return 1
	guest_bg g2 stream-tx "sh -c '$TX_LOOP'"
	runs_before=0
	[ "${1:-}" = --no-wait ] && return 0
	tap_check "the g2 -> g1 stream (omx_perf -V 0..$STREAM_END, run after run) is flowing" \
		wait_for 300 stream_beyond 0
	runs_before=$(stream_runs)
}

rogue_teardown() {
	local g t0
	guest_exec g2 "touch /tmp/stop" >/dev/null
	guest_bg_wait g2 stream-tx 300
	fetch_check g2 stream-tx "every stream run g2 -> g1 verified every byte up to $STREAM_END" ended_with_0
	tap_diag "stream: $(stream_runs) runs"
	guest_exec g1 "touch /tmp/stop; kill \$(pidof omx_perf)" >/dev/null 2>&1
	guest_bg_wait g1 stream-rx 60
	fetch_check g1 stream-rx "the stream's receiver loop in g1 ended cleanly" ended_with_0

	if [ "${1:-}" != --no-fresh-perf ]; then
		t0=$(date +%s)
		guest_bg g1 perf-rx "omx_perf -w -e 0"
		if tap_check "a fresh omx_perf receiver ready in g1" \
			wait_for 60 guest_exec g1 "grep -q 'Starting receiver' /tmp/perf-rx.log"; then
			guest_bg g2 perf-tx "omx_perf -w -d g1:0 -V -E $((STREAM_END + 1)) -N 2 -W 1 -P 0"
			guest_bg_wait g2 perf-tx 400
			guest_bg_wait g1 perf-rx 60
			fetch_check g2 perf-tx "a fresh omx_perf g2 -> g1: 0 B..$STREAM_END B, every byte verified" perf_ok "$STREAM_END"
			fetch_check g1 perf-rx "the fresh omx_perf receiver in g1 ends cleanly" ended_with_0
		else
			tap_diag "$(guest_exec g1 "kill \$(cat /tmp/perf-rx.pid); cat /tmp/perf-rx.log")"
		fi
		tap_diag "fresh omx_perf took $(($(date +%s) - t0)) s"
	fi

	tap_check "g3 is destroyed" guest_destroy g3
	tap_check "the backend dropped g3's device" wait_for 60 totals_is devices 2
	tap_check "the backend holds exactly what g1 and g2 hold (ring pages, grants mapped, grants held)" \
		wait_for 30 totals_are_g1_g2
	tap_check "xen2mx-detach by domid cleans g3's leftover backend nodes" xen2mx-detach "$D3"

	for g in g1 g2; do
		tap_check "$g: no endpoint left open" none_open_in $g
		tap_check "$g detaches" xen2mx-detach $g
		tap_check "$g shuts down" guest_shutdown $g
	done
	tap_check "backend clean: nothing mapped" wait_for 30 backend_clean
	tap_check "backend clean: no grant held" totals_is grants_held 0
	tap_check "xen2mx-back and open-mx unload" omx_unload
	ip link del $LINK
}
