#!/bin/sh
# guest-hostile: a hostile guest against the backend.  g1 and g2 are
# ordinary guests (xen2mx-front) streaming verified omx_perf runs between
# their boards the whole time; g3 loads xen2mx-rogue instead (the
# frontend's negotiation and rings, then malformed requests on demand:
# tests/rogue/attacks.c).  Each attack is one result: the backend answers
# the status the protocol defines (xen2mx_proto.h, backend/request.c,
# backend/omx_guest.c), g3's device stays connected and answering, and the
# backend holds nothing of g3's beyond its rings afterwards.  The last
# attack breaks the request ring: the backend must shut that device down
# (an error node naming the reason, Closing then Closed) and let go of
# everything it held, while g1 and g2 go on.  Then g3 is destroyed and the
# backend holds exactly what g1 and g2 hold, then nothing.  On the debug
# kernel, the console checks (lockdep, kmemleak in dom0 and in g3 before
# it goes) do the rest.
# timeout: 1500
. /opt/xen2mx/lib/lib-dom0.sh
# The guests carry traffic; dom0's backend is what is watched (lockdep,
# kmemleak, SLUB poisoning there), so the guests' kernels run light.
GUEST_DEBUG=light
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh
LINK=omxg0
. /opt/xen2mx/scenarios/lib-guest.sh
. /opt/xen2mx/scenarios/lib-rogue.sh

# ---------------------------------------------------------------- helpers

# survives NAME LINE...: attack NAME, whose report must have each LINE;
# then g3's device is connected and answering and holds nothing.
survives() {
	local name=$1 out rc=0
	shift
	out=$(attack "$name") || { echo "$out"; echo "attack $name did not run"; return 1; }
	echo "$out"
	report_has "$out" "$@" "answering: yes" "frontend: Connected" "backend: Connected" || rc=1
	wait_for 10 g3_holds_nothing || rc=1
	return $rc
}

# Interrupts dom0 took on the backend's event channels, all devices.
backend_irqs() {
	awk '/xen2mx-back/ { for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i }
		END { print n + 0 }' /proc/interrupts
}

# The scribbled endpoint's peer: omx_perf in g2 towards g3:0 endpoint 0
# gives up (its connect is never answered) and exits with status 1.
scribbled_sender() {
	local out
	out=$(GEXEC_TIMEOUT=120 guest_exec g2 "omx_perf -w -e 4 -d g3:0 -r 0 2>&1; echo rc=\$?")
	echo "$out"
	report_has "$out" "rc=1" "~omx_perf: connecting to g3:0 endpoint 0: .*Timeout.*"
}

g3_scribbling() {
	local out rc=0
	out=$(attack scribble) || { echo "$out"; return 1; }
	echo "$out"
	report_has "$out" "result: 0 0" "answering: yes" "backend: Connected" || rc=1
	[ "$(dev_value "$D3" omx_endpoints_open)" = 2 ] ||
		{ echo "g3's backend: $(dev_value "$D3" omx_endpoints_open) endpoints open, not 2"; rc=1; }
	return $rc
}

# The broken ring: the rogue's report, then dom0's view of the device.
overflow_shuts_down() {
	local out rc=0
	out=$(attack overflow) || { echo "$out"; return 1; }
	echo "$out"
	report_has "$out" "result: 0 0 0" "left in use by dom0: 0" \
		"answering: no (no connected device)" "frontend: Closed" "backend: Closed" || rc=1
	return $rc
}

# ---------------------------------------------------------------- set-up

rogue_setup || exit 0

# ---------------------------------------------------------------- the attacks

tap_check "badlen: lengths that do not match the command, a counter answer whose length wraps (-EINVAL), lengths beyond the slot (XEN2MX_ST_EINVAL); g3 still answers, holds nothing" \
	survives badlen "result: -22 -22 -22 -22 -22 -22 -22 -1 -1"
tap_check "unknown-op: ops 99, 0, 4, 255 (and 99 with absurd flags and len) answered XEN2MX_ST_ENOSYS; g3 still answers" \
	survives unknown-op "result: -2 -2 -2 -2 -2"
tap_check "unknown-cmd: OMX commands 0x7f, 0, 0x0d, WAIT_EVENT, RAW_OPEN, 0x82, 0xffffffff answered -ENOSYS; g3 still answers" \
	survives unknown-cmd "result: -38 -38 -38 -38 -38 -38 -38"
tap_check "bad-endpoint: endpoints not open (-EBADF), out of range, a wrong header (-EINVAL); g3 still answers" \
	survives bad-endpoint "result: -9 -22 -22 -9 -22 -22 -22 -22 -22"
tap_check "foreign-dir: OPEN_ENDPOINT with directories never granted to dom0 (-EFAULT) or 0 (-EINVAL); then it opens, not twice (-EBUSY), and closes; nothing left in use" \
	survives foreign-dir "result: -14 -14 -14 -14 -14 -22 0 -16 0" "left in use by dom0: 0"
tap_check "foreign-pages: endpoint pages that are not ours to give, 784 good and a bad one, granted read-only, one page 785 times (-EFAULT); then a real open; nothing left in use" \
	survives foreign-pages "result: -14 -14 -14 -14 -14 -14 0 -16 0" "left in use by dom0: 0"
tap_check "bad-pieces: pieces out of their page, empty, unreadable, out of order, too many (-EINVAL, -EFAULT, -ENOSPC); ungranted or read-only pages accepted and pulls into them aborted; a half-built region goes with its endpoint" \
	survives bad-pieces \
	"result: 0 0 -22 -22 0 -22 0 -14 0 0 0 0 0 0 0 0 0 0 -22 -22 -22 -22 0 -22 -2 -28 -22 0 -22 -2 0 0 0" \
	"pull_done: 6 6" "left in use by dom0: 0"
tap_check "region-then-pull: a pull into a revoked page aborts, one from a revoked page times out, a good one succeeds; revoking during a pull, closing during one end cleanly" \
	survives region-then-pull "result: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0" \
	"pull_done: 6 1 0" "data: ok" "~race: (0|6) \(.*\)" "left in use by dom0: 0"

# tiny-pieces, and what it cost dom0 in grant copy: 6 directory reads (one
# operation and one hypercall each), then one frame of the worst region
# admitted read (<= 517 operations in <= 9 hypercalls) and written into a
# plain region (<= 7 in 1): ring-protocol.md, "Worst-case cost".
tiny_pieces() {
	local ops0 calls0 ops calls rc=0
	ops0=$(dev_value "$D3" copy_ops)
	calls0=$(dev_value "$D3" copy_calls)
	survives tiny-pieces "result: 0 0 -22 -2 0 -22 0 0 0 0 0 0 0 0" \
		"pull_done: 0" "data: ok" "left in use by dom0: 0" || rc=1
	ops=$(($(dev_value "$D3" copy_ops) - ops0))
	calls=$(($(dev_value "$D3" copy_calls) - calls0))
	tiny_cost="$ops operations in $calls hypercalls"
	echo "dom0's grant copy for it: $tiny_cost"
	[ "$ops" -le $((6 + 517 + 7)) ] && [ "$calls" -le $((6 + 9 + 1)) ] ||
		{ echo "more than ring-protocol.md allows (530 in 16)"; rc=1; }
	return $rc
}
tap_check "tiny-pieces: a region of one-octet pieces refused (-EINVAL) and forgotten (-ENOENT), so is one break too many; the worst region admitted is pulled from intact at <= 517 copy operations and 9 hypercalls a frame" \
	tiny_pieces
tap_diag "tiny-pieces cost dom0 ${tiny_cost:-?} of grant copy (6 directory reads, the worst frame read, then written)"

tap_check "scribble: g3 opens endpoints 0 and 1 and rewrites endpoint 0's consumer indexes with absurd values, over and over" \
	g3_scribbling
tap_check "g2 sends to the scribbled g3:0 endpoint 0: its connect is never answered, omx_perf gives up after 10 s" \
	scribbled_sender
tap_check "scribble-end: only the scribbled endpoint starved (endpoint 1 served); sane indexes again and it is served; g3 holds nothing" \
	survives scribble-end "result: 0 0 0 0 0" "ep0 starved: yes" "ep1 served: yes" \
	"ep0 events while scribbled: 0" "ep0 recovered: yes" "left in use by dom0: 0"
irqs_before=$(backend_irqs)
tap_check "evtchn-flood: 100000 notifications with no request; the backend still answers 50 echoes at once after" \
	survives evtchn-flood "~echo after flood: 50 of 50 .*"
tap_diag "dom0 took $(($(backend_irqs) - irqs_before)) xen2mx-back interrupts meanwhile (every device's, the stream's too)"

tap_check "the g1 <-> g2 stream went on through the attacks" stream_alive
runs_attacks=$(stream_runs)
tap_check "the stream completed runs during the attacks ($runs_before before them, $runs_attacks after)" \
	test "$runs_attacks" -gt "$runs_before"

# ---------------------------------------------------------------- the broken ring

omx_dmesg_mark
tap_check "overflow: req_prod 10 rings ahead; the backend closes g3's device, which no longer answers; the rogue's endpoint and regions are no longer mapped" \
	overflow_shuts_down
tap_check "g3's device is shut down: Closing/Closed, error node 'request producer index out of range'" \
	wait_for 30 g3_shut_down "request producer index out of range"
tap_check "dom0's log says why" omx_dmesg_has "request producer index out of range; device disabled"
tap_check "g3's backend device released everything (rings, endpoint, regions)" \
	wait_for 30 g3_released
runs_overflow=$(stream_runs)
tap_check "the g1 <-> g2 stream goes on after g3's device went down (a run completes)" \
	wait_for 180 stream_beyond "$runs_overflow"

# ---------------------------------------------------------------- g1 and g2 unharmed

rogue_teardown
exit 0
