#!/bin/sh
# run-scenarios.sh NAME...: run test-bed scenarios one after the other in dom0.
#
# Each /opt/xen2mx/scenarios/NAME.sh runs in its own session, so that on
# timeout (header line "# timeout: N", default 300 s) the whole process group
# (xl, guest_exec polls, sleeps...) can be killed and the next scenario still
# starts from a clean dom0. The runner adds a failed result when a scenario
# is missing, times out, exits non-zero or reports nothing, and cleans up
# what a scenario left behind (guests, loaded xen2mx modules).
#
# In a two-host boot (XEN2MX_HOST set, see lib-twohost.sh) it first sets the
# link up (results under the name "twohost"), starts each scenario only once
# the peer host is at the same scenario (a barrier), skips the scenarios
# after one the peer did not reach, and clears netem from the link after
# each scenario.
#
# Exits 0 when every scenario has been run, whatever their results.

. "$(dirname "$0")/lib-dom0.sh"

say() { echo "XEN2MX: $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }
: "${XEN2MX_TAP_FILE:=$XEN2MX_RUN/tap.log}"
export XEN2MX_TAP_FILE
: >>"$XEN2MX_TAP_FILE"

# Number of result lines (not diagnostics) recorded so far.
count_results() {
	grep -c '^XEN2MX-TAP: \(ok\|not ok\) ' "$XEN2MX_TAP_FILE"
}

scenario_timeout() {
	local t
	t=$(head -n 30 "$1" | sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	echo "${t:-300}"
}

# Destroy the guests and unload the xen2mx modules a scenario left behind.
cleanup_after() {
	local dom ko mod out
	if [ -n "${XEN2MX_HOST:-}" ] && [ -n "$XEN2MX_LINK" ] &&
		tc qdisc show dev "$XEN2MX_LINK" 2>/dev/null | grep -q netem; then
		tap_diag "cleanup: removing netem from $XEN2MX_LINK, left by $XEN2MX_SCENARIO"
		link_netem_clear || tap_fail "cleanup: remove netem from $XEN2MX_LINK after the scenario"
	fi
	for dom in $(xl list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }'); do
		tap_diag "cleanup: destroying guest $dom left by $XEN2MX_SCENARIO"
		guest_destroy "$dom" || xl destroy "$dom"
	done
	# Users before what they use: xen2mx-back before open-mx (the glob's
	# order reversed: open-mx sorts first).
	for ko in $(ls -r "$XEN2MX_ROOT"/modules/*.ko 2>/dev/null); do
		[ -f "$ko" ] || continue
		mod=$(basename "$ko" .ko | tr - _)
		# initstate exists for loaded modules only, not for built-in ones.
		[ -e "/sys/module/$mod/initstate" ] || continue
		tap_diag "cleanup: unloading module $mod left by $XEN2MX_SCENARIO"
		if ! out=$(rmmod "$mod" 2>&1); then
			tap_fail "cleanup: rmmod $mod after the scenario" "$out" \
				"refcount: $(cat "/sys/module/$mod/refcnt" 2>/dev/null)"
		fi
	done
	rm -f "$XEN2MX_RUN/modules-loaded-as-dependencies"
}

run_one() {
	local file t before start pid watchdog rc marker
	XEN2MX_SCENARIO=$1
	export XEN2MX_SCENARIO
	file=$XEN2MX_ROOT/scenarios/$1.sh
	if [ ! -f "$file" ]; then
		tap_fail "scenario script present" "no $file in the payload"
		return
	fi
	t=$(scenario_timeout "$file")
	if [ -n "${XEN2MX_HOST:-}" ] && ! peer_at_start "$1"; then
		return
	fi
	before=$(count_results)
	start=$(date +%s)
	marker=$XEN2MX_RUN/timed-out.$1
	rm -f "$marker"
	say "==== scenario $1 (timeout $t s) starts at $(uptime_s) s"

	setsid sh "$file" </dev/null &
	pid=$!
	# setsid made the scenario a process group leader (pid = pgid).
	(
		# Take the sleep down too when the scenario ends in time.
		trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
		sleep "$t" &
		sleeper=$!
		wait "$sleeper"
		: >"$marker"
		kill -TERM -- "-$pid" 2>/dev/null
		sleep 5
		kill -KILL -- "-$pid" 2>/dev/null
	) &
	watchdog=$!
	wait "$pid"
	rc=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	# Background processes the scenario forgot go with it.
	kill -KILL -- "-$pid" 2>/dev/null

	if [ -e "$marker" ]; then
		tap_fail "finished within its timeout" "killed after $t s"
	elif [ "$rc" != 0 ]; then
		tap_fail "script exited with status 0" "exit status $rc"
	elif [ "$(count_results)" = "$before" ]; then
		tap_fail "reported results" "the script exited without any tap_* result"
	fi
	cleanup_after
	say "==== scenario $1 done in $(($(date +%s) - start)) s (status $rc)"
}

# Two-host boots: both hosts enter each scenario together. The first wait
# covers the difference in boot times; a later one the peer's previous
# scenario, which may run until its own timeout. A peer that does not come
# (it crashed, hung or powered off) is not waited for again.
peer_lost=
peer_wait=300
peer_at_start() {
	local out stats
	if [ -n "$peer_lost" ]; then
		tap_fail "$XEN2MX_PEER_NAME runs it too" "skipped: $XEN2MX_PEER_NAME did not start $peer_lost"
		return 1
	fi
	say "waiting up to $peer_wait s for $XEN2MX_PEER_NAME to reach scenario $1"
	if ! out=$(peer_barrier "scenario-$1" "$peer_wait" 2>&1); then
		# Nothing received at all points at the link, not at the peer.
		stats=/sys/class/net/${XEN2MX_LINK:-none}/statistics
		tap_fail "$XEN2MX_PEER_NAME runs it too" "skipped: $out" \
			"link ${XEN2MX_LINK:-?}: $(cat "$stats/rx_packets" 2>/dev/null) frames received, $(cat "$stats/tx_packets" 2>/dev/null) sent"
		peer_lost=$1
		return 1
	fi
	peer_wait=$(($(scenario_timeout "$XEN2MX_ROOT/scenarios/$1.sh") + 60))
}

if [ -n "${XEN2MX_HOST:-}" ]; then
	. "$(dirname "$0")/lib-twohost.sh"
	XEN2MX_SCENARIO=twohost
	tap_check "link ${XEN2MX_LINK:-?} ($XEN2MX_LOCAL_MAC) up at MTU $XEN2MX_LINK_MTU as $XEN2MX_LOCAL_IP/24" \
		twohost_link_up
fi

for name in "$@"; do
	run_one "$name"
done
exit 0
