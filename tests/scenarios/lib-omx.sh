# shellcheck shell=sh
# lib-omx.sh: helpers for the Open-MX engine scenarios, sourced after
# lib-dom0.sh (and lib-twohost.sh on two hosts).
#
#   tap_import PREFIX CMD...     run a TAP-printing program; each of its
#                                results becomes one result "PREFIX: desc";
#                                a missing plan, a count that differs from
#                                the plan or a non-zero exit adds a failure
#   omx_param NAME               a parameter of the loaded engine (open-mx)
#   omx_ifnames CMD              write CMD to the ifnames parameter
#   omx_load [PARAM=VALUE...]    load the engine, open-mx, with these parameters
#   xen2mx_load [PARAM=VALUE...] load open-mx with these parameters, then
#                                xen2mx-back on it
#   omx_unload                   unload xen2mx-back if loaded, then open-mx
#   omx_dmesg_has TEXT           the kernel log has TEXT since omx_dmesg_mark
#   omx_dmesg_mark               remember where the kernel log ends now
#   omx_counter BOARD INDEX      one Open-MX counter of a board (omx_counters -v)

OMX_PARAMS=/sys/module/open_mx/parameters

tap_import() {
	local prefix="$1" out rc line plan=0 seen=0 desc
	shift
	out=$(mktemp "$XEN2MX_RUN/tap.XXXXXX")
	"$@" >"$out" 2>&1
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*)
			seen=$((seen + 1))
			desc=$(printf '%s' "$line" | sed 's/^ok [0-9]* - //; s/^ok [0-9]* //')
			tap_ok "$prefix: $desc"
			;;
		"not ok "*)
			seen=$((seen + 1))
			desc=$(printf '%s' "$line" | sed 's/^not ok [0-9]* - //; s/^not ok [0-9]* //')
			tap_fail "$prefix: $desc"
			;;
		"1.."*)
			plan=${line#1..}
			plan=${plan%% *}
			;;
		"#"*)
			_tap_line "$line"
			;;
		*)
			_tap_line "# $line"
			;;
		esac
	done <"$out"
	rm -f "$out"
	if [ "$plan" = 0 ] || [ "$seen" != "$plan" ] || [ $rc != 0 ]; then
		tap_fail "$prefix: ran to its end" \
			"command: $* (exit status $rc, plan $plan, results $seen)"
		return 1
	fi
	return 0
}

omx_param() {
	cat "$OMX_PARAMS/$1"
}

omx_ifnames() {
	printf '%s' "$1" >"$OMX_PARAMS/ifnames"
}

omx_load() {
	load_module open-mx "$@"
}

xen2mx_load() {
	omx_load "$@" && load_module xen2mx-back
}

omx_unload() {
	if [ -e /sys/module/xen2mx_back ]; then
		unload_module xen2mx-back || return 1
	fi
	unload_module open-mx
}

omx_dmesg_mark() {
	_omx_dmesg_lines=$(dmesg | wc -l)
}

omx_dmesg_has() {
	dmesg | tail -n +"$((${_omx_dmesg_lines:-0} + 1))" | grep -F -- "$1"
}

omx_counter() {
	omx_counters -v -b "$1" | sed -n "s/^ *0*$2: *\([0-9]*\) .*/\1/p"
}

# Two hosts: load open-mx on the link, name the board HOST:0 and load a
# static peer table with both boards.  One result per step; non-zero at the
# first failure.  Sets OMX_ME and OMX_PEER (the boards' hostnames).
omx_twohost_up() {
	local mac peer_mac
	OMX_ME=$XEN2MX_HOST_NAME:0
	OMX_PEER=$XEN2MX_PEER_NAME:0
	tap_check "open-mx loads on $XEN2MX_LINK" omx_load "ifnames=$XEN2MX_LINK" "$@" || return 1
	tap_check "board named $OMX_ME" omx_hostname -b 0 "$OMX_ME" || return 1
	mac=$(cat "/sys/class/net/$XEN2MX_LINK/address")
	peer_mac=$(peer_exchange omx-board-mac "$mac" 120) || return 1
	printf '%s %s\n%s %s\n' "$mac" "$OMX_ME" "$peer_mac" "$OMX_PEER" >"$XEN2MX_RUN/omx-peers"
	tap_check "static peer table with $OMX_PEER" omx_init_peers "$XEN2MX_RUN/omx-peers" || return 1
	peer_barrier omx-up 120
}

# Both hosts call these, in the same order.
_omx_pair_n=0

# omx_pair_prog SUFFIX PROG [ARGS...]: a tests/api program, server role on
# hostA and client role (towards hostA's board) on hostB; its results become
# "PROG server SUFFIX: ..." and "PROG client SUFFIX: ...".
omx_pair_prog() {
	local suffix=$1 prog=$2 tag t0
	shift 2
	_omx_pair_n=$((_omx_pair_n + 1))
	tag=pair$_omx_pair_n-$prog
	peer_barrier "$tag-start" 120 || return 1
	t0=$(date +%s)
	if host_is 1; then
		tap_import "$prog server$suffix" "$prog" --role server "$@"
	else
		tap_import "$prog client$suffix" "$prog" --role client --peer "$OMX_PEER" "$@"
	fi
	tap_diag "$prog took $(($(date +%s) - t0)) s"
	peer_barrier "$tag-done" 900
}

# omx_perf_pair DESC SENDER-OPTIONS...: an omx_perf receiver on hostA, the
# sender on hostB (-w: both sleep while waiting); the sender's lines are
# shown on the console as they come and kept in the results.  Nothing
# waits unbounded: hostA learns when hostB's sender ended, and its receiver
# must then end within OMX_PERF_RX_GRACE seconds (it waits up to 10 s for
# the sender's goodbye, and the library ends a send the sender left behind
# in about a second) or it is killed and fails.
OMX_PERF_RX_GRACE=90
omx_perf_pair() {
	local desc=$1 tag out pid tailpid rc sender_rc
	shift
	_omx_pair_n=$((_omx_pair_n + 1))
	tag=perf$_omx_pair_n
	out=$XEN2MX_RUN/$tag.out
	if host_is 1; then
		omx_perf -w -e 0 >"$out" 2>&1 &
		pid=$!
		peer_barrier "$tag-receiver" 60 || { kill "$pid"; return 1; }
		if ! sender_rc=$(peer_exchange "$tag-sender-ended" - 1500); then
			kill "$pid" 2>/dev/null
			tap_fail "omx_perf receiver ($desc): the sender ended" "$(tail -n 20 "$out")"
			return 1
		fi
		_omx_wait_pid "$pid" "$OMX_PERF_RX_GRACE"
		rc=$?
		if [ $rc = 124 ]; then
			tap_fail "omx_perf receiver ($desc) ends within $OMX_PERF_RX_GRACE s of the sender (exit status $sender_rc)" \
				"$(tail -n 20 "$out")"
		else
			tap_check "omx_perf receiver ($desc) ends cleanly" test $rc = 0 ||
				tap_diag "$(tail -n 20 "$out")"
		fi
		# How the run ended, when the sender left first
		grep -qE '^(The sender on|No goodbye from)' "$out" &&
			tap_diag "$(grep -E '^(The sender on|No goodbye from)' "$out")"
	else
		peer_barrier "$tag-receiver" 60 || return 1
		sleep 1
		omx_perf -w -d "$OMX_PEER" "$@" >"$out" 2>&1 &
		pid=$!
		tail -f "$out" &
		tailpid=$!
		wait "$pid"
		rc=$?
		kill "$tailpid" 2>/dev/null
		tap_diag "$(cat "$out")"
		tap_check "omx_perf $desc" test $rc = 0
		peer_exchange "$tag-sender-ended" "$rc" 120 >/dev/null || return 1
	fi
	peer_barrier "$tag-done" 300
}

# _omx_wait_pid PID SECONDS: PID's exit status once it ended, or 124 after
# SECONDS (it is then killed).
_omx_wait_pid() {
	local pid=$1 left=$2
	while kill -0 "$pid" 2>/dev/null && [ "$left" -gt 0 ]; do
		sleep 1
		left=$((left - 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		return 124
	fi
	wait "$pid"
}
