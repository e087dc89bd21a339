#!/bin/sh
# smoke: the test bed itself works (needs no xen2mx artifact).
#
# Two guests boot and answer their agents; guest_exec passes output and exit
# statuses through (zero, non-zero, stderr, long output, timeouts); background
# commands keep running and are reaped when they end; destroyed and shut down
# guests leave xl list.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh

tap_check "guest g1 starts and its agent answers" guest_start g1 || exit 0
tap_check "guest g2 starts and its agent answers" guest_start g2 || exit 0

d1=$(guest_domid g1)
d2=$(guest_domid g2)
if [ -n "$d1" ] && [ -n "$d2" ] && [ "$d1" != "$d2" ]; then
	tap_ok "the guests have distinct domids ($d1, $d2)"
else
	tap_fail "the guests have distinct domids" "g1: '$d1', g2: '$d2'"
fi
tap_check "xs_read reads a guest's name from xenstore" \
	test "$(xs_read "/local/domain/$d1/name")" = g1

# $(hostname) is expanded in the guest, proving the command ran there.
out=$(guest_exec g1 'echo "hello from $(hostname), domid $(xenstore-read domid)"')
rc=$?
if [ "$rc" = 0 ] && [ "$out" = "hello from g1, domid $d1" ]; then
	tap_ok "guest_exec returns the output and status 0"
else
	tap_fail "guest_exec returns the output and status 0" "status: $rc" "output: $out"
fi

out=$(guest_exec g2 'echo to-stderr >&2; exit 7')
rc=$?
if [ "$rc" = 7 ] && [ "$out" = to-stderr ]; then
	tap_ok "guest_exec returns a non-zero status and stderr"
else
	tap_fail "guest_exec returns a non-zero status and stderr" "status: $rc (want 7)" "output: $out"
fi

out=$(guest_exec g1 'printf "%s\n" -lead "back\\slash" ""')
want=$(printf '%s\n' -lead 'back\slash')
if [ "$out" = "$want" ]; then
	tap_ok "guest_exec keeps backslashes, leading dashes and newlines"
else
	tap_fail "guest_exec keeps backslashes, leading dashes and newlines" "output: $out"
fi

# Longer than what xenstore carries: the end must survive, with a note, and
# without a seam where it was split across nodes (line 2 may be cut short).
out=$(guest_exec g2 'seq 1 2000')
rc=$?
last=$(printf '%s\n' "$out" | tail -n 1)
if [ "$rc" = 0 ] && [ "$last" = 2000 ] &&
	printf '%s\n' "$out" | head -n 1 | grep -q 'bytes cut' &&
	printf '%s\n' "$out" | awk 'NR > 3 && $0 != p + 1 { bad = 1 } { p = $0 } END { exit bad }'; then
	tap_ok "guest_exec keeps the end of a long output"
else
	tap_fail "guest_exec keeps the end of a long output" "status: $rc" "last line: $last" \
		"$(printf '%s\n' "$out" | head -n 3)"
fi

out=$(guest_exec g1 'true')
if [ $? = 0 ] && [ -z "$out" ]; then
	tap_ok "guest_exec of a silent command prints nothing"
else
	tap_fail "guest_exec of a silent command prints nothing" "output: '$out'"
fi

start=$(date +%s)
guest_exec g1 '(sleep 20; echo background-done) >/tmp/bg.log 2>&1 &'
rc=$?
took=$(($(date +%s) - start))
if [ "$rc" = 0 ] && [ "$took" -lt 15 ]; then
	tap_ok "a background command returns at once (${took} s)"
else
	tap_fail "a background command returns at once" "status: $rc, took $took s"
fi
tap_check "the background command runs on and finishes" \
	wait_for 60 guest_exec g1 'grep -q background-done /tmp/bg.log'

# A zombie would still answer kill -0: PID 1 of the guest must reap orphans.
guest_exec g2 'sleep 1 & echo $! >/tmp/bg.pid'
tap_check "a finished background process is reaped" \
	wait_for 30 guest_exec g2 '! kill -0 "$(cat /tmp/bg.pid)" 2>/dev/null'

GEXEC_TIMEOUT=3 guest_exec g2 'sleep 15' >/dev/null 2>&1
rc=$?
if [ "$rc" = 124 ]; then
	tap_ok "guest_exec times out with status 124"
else
	tap_fail "guest_exec times out with status 124" "status: $rc"
fi
# The agent runs one command at a time: this one waits for the sleep.
tap_check "the agent answers again after a timed-out command" guest_exec g2 'echo again'

tap_check "guest_destroy g2" guest_destroy g2
tap_check "g2 is gone from xl list" sh -c '! xl list | grep -qw g2'
tap_check "g1 still answers" guest_exec g1 true

tap_check "guest_shutdown g1" guest_shutdown g1
tap_check "g1 is gone from xl list" sh -c '! xl list | grep -qw g1'

guest_exec_fails() { ! guest_exec "$@"; }
tap_check "guest_exec on a missing guest fails" guest_exec_fails g1 true
