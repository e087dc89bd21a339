#!/bin/sh
# twohost-wirefuzz: wire fuzzing.  hostB fires 10^5 mutated Open-MX frames
# (tests/tools/omx-wirefuzz: valid frames of every packet type, then their
# type, lengths, peer indexes, endpoints, sessions, magics, handles, offsets
# and sizes mutated) at hostA's dom0 board and at the board of hostA's guest
# g1, with the source MACs of the real peers (hostB's board, and hostA's
# own boards: hostA:0 and g1:0) and their peer indexes in hostA's table.
# Meanwhile g1 receives a verified stream from hostA's dom0: rounds of
# omx_perf -V (0 B..1 MiB, every byte checked, eager and rendezvous, through
# the same receive path as wire frames), one after the other for as long as
# the fuzzer runs.  The stream's partner is a board of hostA, so nothing
# hostB sends can legitimately disturb it: a frame from the wire claiming to
# come from a board of this host must be dropped.  (A stream from hostB
# would not do: a blind spoofer of hostB can reset its connection with a
# CONNECT carrying a new session, as Open-MX's protocol allows.)
# Passing means: every round of the stream intact; both boards saw the
# frames and their drop counters moved; hostA's peer table and board names
# as before (no frame from the wire may rename a board); g1 and hostA's dom0
# answer a fresh verified omx_perf afterwards, from hostA and from hostB;
# g1 detaches cleanly and the backend holds nothing; consoles clean (the
# runner).  The seed is in the results: omx-wirefuzz --seed S --from N
# --count 1 sends frame N again, --dry-run prints it.
# timeout: 840
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh
LINK=$XEN2MX_LINK
. /opt/xen2mx/scenarios/lib-guest.sh

G=g1
G_MAC=$(mac_of $G)
COUNT=100000		# frames
RATE=1000		# frames per second
BURST=8			# frames back to back
STREAM="-V -E 1048577 -N 2 -W 1"
MAX_ROUNDS=60
SENDER_WAIT=180		# seconds for one round of the stream
# The fuzzer's deadline: 3 times its nominal time, and a minute.
FUZZ_WAIT=$((COUNT * 3 / RATE + 60))

# Open-MX counter indexes (openmx-wire.md 8.1): receive 16..30, drops
# 49..71, the same-host pseudo-board's frames 72..84.
C_RECV="16-30" C_DROP="49-71" C_SHARED="72-84"
# Drops decided by the decoder alone (the frame is under no receive
# counter).  52 (bad peer address: among others, a forged source MAC of a
# board of this host) and 53 (bad peer index) count frames dropped before
# any receive counter and frames dropped after one.
C_DECODED_DROPS="49 50 70 71"
C_PEER_ADDR=52 C_PEER_INDEX=53

# counters_sum OMX_COUNTERS_ARGS RANGES...: the sum of the counters in the
# ranges ("16-30") or single indexes.
counters_sum() {
	local args="$1"
	shift
	# shellcheck disable=SC2086
	omx_counters -v $args | awk -v spec="$*" '
		BEGIN {
			n = split(spec, r, " ")
			for (i = 1; i <= n; i++) {
				if (split(r[i], ab, "-") == 2) { lo[i] = ab[1]; hi[i] = ab[2] }
				else { lo[i] = r[i]; hi[i] = r[i] }
			}
		}
		/^[0-9]+:/ {
			# "053:" is 53: busybox awk would read 053 as octal.
			k = $1
			sub(/^0+/, "", k)
			c = k + 0
			for (i = 1; i <= n; i++)
				if (c >= lo[i] + 0 && c <= hi[i] + 0) { s += $2; break }
		}
		END { print s + 0 }'
}

# "recv R drop D decoder D2 peer P" of a board.
board_sums() {
	echo "recv $(counters_sum "-b $1" $C_RECV)" \
		"drop $(counters_sum "-b $1" $C_DROP)" \
		"decoder $(counters_sum "-b $1" $C_DECODED_DROPS)" \
		"peer $(counters_sum "-b $1" $C_PEER_ADDR $C_PEER_INDEX)"
}

# field "recv 1 drop 2 ..." drop -> 2
field() {
	echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'
}

# delta BEFORE AFTER KEY: how much KEY grew.
delta() {
	echo $(($(field "$2" "$3") - $(field "$1" "$3")))
}

link_rx() {
	cat "/sys/class/net/$XEN2MX_LINK/statistics/rx_packets"
}

peer_lines() {
	omx_info | grep -E '^  [0-9]+\) '
}

board_lines() {
	omx_info -q | grep ' (board #'
}

peer_index_of() {
	peer_lines | sed -n "s/^  \([0-9]*\)) $1 .*/\1/p"
}

guest_board() {
	omx_info -q | sed -n "s/^ $G:0 (board #\([0-9]*\) .*/\1/p"
}

same_text() {
	if [ "$1" = "$2" ]; then
		echo "$2"
		return 0
	fi
	echo "before:"
	echo "$1"
	echo "after:"
	echo "$2"
	return 1
}

# One round of the stream: g1's receiver, hostA's dom0 sends.  Appends
# "round N sender=RC receiver=RC" to $STREAM_LOG; non-zero when it failed.
stream_round() {
	local n=$1 s_rc r_rc
	guest_bg $G rx$n "omx_perf -w"
	if ! GEXEC_TIMEOUT=20 wait_for 60 guest_exec $G "grep -q '^Successfully attached' /tmp/rx$n.log" >/dev/null; then
		echo "round $n sender=not-started receiver=not-ready" >>"$STREAM_LOG"
		return 1
	fi
	timeout $SENDER_WAIT omx_perf -w -d $G:0 $STREAM >"$XEN2MX_RUN/tx$n.log" 2>&1
	s_rc=$?
	if guest_bg_wait $G rx$n 120; then
		r_rc=$(guest_exec $G "sed -n 's/^rc=//p' /tmp/rx$n.log")
	else
		r_rc=killed
	fi
	echo "round $n sender=$s_rc receiver=$r_rc" >>"$STREAM_LOG"
	[ "$s_rc" = 0 ] && [ "$r_rc" = 0 ] && return 0
	{
		echo "round $n: sender in hostA's dom0 (exit $s_rc, 124: still running after $SENDER_WAIT s):"
		tail -n 12 "$XEN2MX_RUN/tx$n.log"
		echo "round $n: receiver in $G (exit $r_rc):"
		guest_exec $G "tail -n 12 /tmp/rx$n.log"
	} >>"$STREAM_DIAG" 2>&1
	return 1
}

after_local() {
	stream_round after && return 0
	cat "$STREAM_LOG" "$STREAM_DIAG"
	return 1
}

# Rounds until $STREAM_STOP exists or one fails.
stream_loop() {
	local n=0
	while [ $n -lt $MAX_ROUNDS ]; do
		n=$((n + 1))
		stream_round $n || return 1
		[ -e "$STREAM_STOP" ] && return 0
	done
}

omx_twohost_up || exit 0
tap_check "xen2mx-back loads on open-mx" load_module xen2mx-back || exit 0

# ---------------------------------------------------------------- set-up
up=0
if host_is 1; then
	guest_up $G --board "$XEN2MX_LINK" || up=1
fi
peer_up=$(peer_exchange guest-up "$up" 300) || exit 0
[ "$up" = 0 ] && [ "$peer_up" = 0 ] || exit 0

# Both hosts' tables: hostA:0, hostB:0 and g1:0.
cp "$XEN2MX_RUN/omx-peers" "$XEN2MX_RUN/omx-peers-fuzz"
printf '%s %s\n' "$G_MAC" $G:0 >>"$XEN2MX_RUN/omx-peers-fuzz"
tap_check "static peer table with $G:0" omx_init_peers "$XEN2MX_RUN/omx-peers-fuzz"
peer_barrier peers-up 120 || exit 0

# hostA tells hostB whom to impersonate: every real peer, with its index in
# hostA's table, so that spoofed frames pass the peer-index check.
if host_is 1; then
	peers_before=$(peer_lines)
	boards_before=$(board_lines)
	gboard=$(guest_board)
	g_before=$(guest_exec $G "omx_info -q" | grep ' (board #')
	spoof="$XEN2MX_PEER_MAC=$(peer_index_of "$XEN2MX_PEER_MAC")"
	spoof="$spoof $XEN2MX_LOCAL_MAC=$(peer_index_of "$XEN2MX_LOCAL_MAC")"
	spoof="$spoof $G_MAC=$(peer_index_of "$G_MAC")"
	tap_check "hostA's peer table names hostB:0, hostA:0 and $G:0 ($spoof)" \
		sh -c 'for s in $1; do case $s in *=) exit 1 ;; esac; done; [ -n "$2" ]' _ "$spoof" "$gboard"
	peer_send fuzz-spoof "$spoof" 60 || exit 0
else
	spoof=$(peer_recv fuzz-spoof 60) || exit 0
	peers_before=$(peer_lines)
fi

# ---------------------------------------------------------------- the fuzz
if host_is 1; then
	a_before=$(board_sums 0)
	g_sums_before=$(board_sums "$gboard")
	shared_before=$(counters_sum -s $C_SHARED)
	rx_before=$(link_rx)
	STREAM_LOG=$XEN2MX_RUN/stream.log STREAM_DIAG=$XEN2MX_RUN/stream.diag
	STREAM_STOP=$XEN2MX_RUN/stream.stop
	: >"$STREAM_LOG"
	: >"$STREAM_DIAG"
	rm -f "$STREAM_STOP"
	peer_barrier fuzz-start 60 || exit 0
	stream_loop &
	stream_pid=$!
	res=$(peer_recv fuzz-done $((FUZZ_WAIT + 120))) || exit 0
	touch "$STREAM_STOP"
	wait "$stream_pid"
	stream_rc=$?
	rx_after=$(link_rx)
	sent=${res%% *}
else
	fuzz_out=$XEN2MX_RUN/wirefuzz.out
	set -- -i "$XEN2MX_LINK" -d "$XEN2MX_PEER_MAC" -d "$G_MAC" \
		-H "$XEN2MX_PEER_NAME:0" -H "$XEN2MX_HOST_NAME:0" -H $G:0 \
		-n $COUNT -r $RATE -b $BURST --progress 20000
	for s in $spoof; do
		set -- "$@" -s "$s"
	done
	peer_barrier fuzz-start 60 || exit 0
	tap_diag "omx-wirefuzz $*"
	timeout $FUZZ_WAIT omx-wirefuzz "$@" >"$fuzz_out" 2>"$fuzz_out.err"
	fuzz_rc=$?
	summary=$(grep '^sent ' "$fuzz_out")
	sent=$(echo "$summary" | sed -n 's/^sent \([0-9]*\) frames.*/\1/p')
	tap_diag "$(cat "$fuzz_out")" "$(tail -n 12 "$fuzz_out.err")"
	tap_check "omx-wirefuzz fired ${sent:-no} frames at hostA:0 and $G:0 ($summary)" \
		test "$fuzz_rc" = 0 -a "${sent:-0}" -ge $COUNT
	peer_send fuzz-done "${sent:-0} $(grep '^targets:' "$fuzz_out" | cut -d' ' -f2-)" 120 || exit 0
fi

# ---------------------------------------------------------------- results
if host_is 1; then
	rounds=$(grep -c 'sender=0 receiver=0$' "$STREAM_LOG")
	if [ "$stream_rc" = 0 ] && [ "$rounds" -gt 0 ]; then
		tap_ok "$G received $rounds rounds of omx_perf $STREAM from $OMX_ME during the fuzzing, every one intact"
	else
		tap_fail "$G received a verified stream from $OMX_ME during the fuzzing, every round intact" \
			"$(cat "$STREAM_LOG")" "$(cat "$STREAM_DIAG")"
	fi
	a_after=$(board_sums 0)
	g_sums_after=$(board_sums "$gboard")
	shared=$(($(counters_sum -s $C_SHARED) - shared_before))
	tap_diag "hostB sent $sent frames (per target: ${res#* }); hostA's $XEN2MX_LINK received $((rx_after - rx_before)) frames meanwhile (the barriers' included); the stream's same-host data frames: $shared"
	for b in "hostA:0 $a_before|$a_after" "$G:0 $g_sums_before|$g_sums_after"; do
		name=${b%% *}
		before=${b#* }
		after=${before#*|}
		before=${before%|*}
		d_recv=$(delta "$before" "$after" recv)
		d_drop=$(delta "$before" "$after" drop)
		d_decoder=$(delta "$before" "$after" decoder)
		d_peer=$(delta "$before" "$after" peer)
		tap_diag "$name saw $((d_recv + d_decoder)) to $((d_recv + d_decoder + d_peer)) frames (same-host ones included: the stream's, and the boards' answers to frames spoofed as each other's): $d_recv under receive counters, $d_decoder refused by the decoder, $d_peer with a bad peer address or index; drop counters +$d_drop"
		tap_check "$name saw $((d_recv + d_decoder))+ frames and its drop counters moved (+$d_drop)" \
			test "$d_recv" -gt 0 -a "$d_decoder" -gt 0 -a "$d_drop" -gt 0
	done
	tap_diag "hostA:0 counters now:" "$(omx_counters -b 0 | grep -v ': *0 ')"
	tap_diag "$G:0 counters now:" "$(omx_counters -b "$gboard" | grep -v ': *0 ')"
	tap_check "hostA's peer table is as before (no frame renamed or moved a peer)" \
		same_text "$peers_before" "$(peer_lines)"
	tap_check "hostA's boards keep their names" same_text "$boards_before" "$(board_lines)"
	tap_check "$G's board keeps its name" \
		same_text "$g_before" "$(guest_exec $G "omx_info -q" | grep ' (board #')"
else
	tap_check "hostB's peer table is as before" same_text "$peers_before" "$(peer_lines)"
fi
peer_barrier checked 120 || exit 0

# ---------------------------------------------------------------- afterwards
# Fresh verified omx_perf runs: hostA's dom0 to g1, hostB to g1, hostB to
# hostA's dom0.
if host_is 1; then
	STREAM_LOG=$XEN2MX_RUN/after.log STREAM_DIAG=$XEN2MX_RUN/after.diag
	: >"$STREAM_LOG"
	: >"$STREAM_DIAG"
	tap_check "$G answers a fresh omx_perf from $OMX_ME after the fuzzing" after_local
fi
peer_barrier after-local 300 || exit 0
if host_is 1; then
	guest_bg $G after "omx_perf -w"
	GEXEC_TIMEOUT=20 wait_for 60 guest_exec $G "grep -q '^Successfully attached' /tmp/after.log" >/dev/null
	peer_barrier after-g-ready 120 || exit 0
	peer_barrier after-g-done 600 || exit 0
	guest_bg_wait $G after 120
	fetch_check $G after "$G answers a fresh omx_perf from $XEN2MX_PEER_NAME:0 after the fuzzing" ended_with_0
else
	peer_barrier after-g-ready 120 || exit 0
	tap_check "omx_perf to $G:0 after the fuzzing: 0 B..1 MiB, every byte verified" \
		timeout $SENDER_WAIT omx_perf -w -d $G:0 $STREAM
	peer_barrier after-g-done 600 || exit 0
fi
omx_perf_pair "to $OMX_PEER after the fuzzing: 0 B..1 MiB, every byte verified" $STREAM

# Everything is given back, then the guest goes.
if host_is 1; then
	tap_check "$G: no endpoint left open" none_open_in $G
	tap_check "$G detaches" xen2mx-detach $G
	tap_check "$G shuts down" guest_shutdown $G
	tap_check "backend clean" wait_for 30 backend_clean
	tap_check "backend holds no guest grant" totals_is grants_held 0
fi
peer_barrier guest-gone 300
tap_check "xen2mx-back and open-mx unload" omx_unload
