# shellcheck shell=sh
# lib-dom0.sh: the API of test-bed scenario scripts, sourced in dom0.
#
#   . /opt/xen2mx/lib/lib-dom0.sh
#
# Scenarios run under busybox sh in the test-bed dom0 (POSIX sh plus `local`).
# They report results only through the tap_* functions and should exit 0; a
# non-zero exit, a scenario that reports nothing or one that exceeds its
# timeout (header line "# timeout: N", default 300 s) is reported as a failure
# by the runner, which also destroys guests and unloads xen2mx modules the
# scenario left behind.
#
# Results
#   tap_ok DESC                   passed
#   tap_fail DESC [DETAIL...]     failed; each DETAIL is printed as a diagnostic
#   tap_check DESC CMD [ARG...]   passed iff CMD (a program or shell function)
#                                 exits 0; on failure CMD's output becomes the
#                                 diagnostics. Returns CMD's exit status.
#   tap_skip DESC REASON          skipped
#   tap_diag TEXT...              a diagnostic line attached to the results
# Each prints "XEN2MX-TAP: ok - <scenario>: DESC" (or "not ok", "# SKIP ...")
# to stdout and to $XEN2MX_TAP_FILE; the host turns these into numbered TAP.
#
# Benchmarks
#   bench_report TRANSPORT:METRIC VALUE UNIT
#                                 one measurement, e.g. "tcp:latency_64B
#                                 41.5 us"; a diagnostic "# BENCH HOST
#                                 TRANSPORT:METRIC VALUE UNIT" (HOST: hostA,
#                                 hostB, or dom0 in a one-host boot), which
#                                 tests/bench/run-bench.sh makes a table of:
#                                 one row per METRIC, one column per
#                                 TRANSPORT, and each one's ratio to "tcp".
#                                 A UNIT ending in "/msg" (a count per
#                                 message) puts the row in a second table
#                                 of the boot, without ratios.
#   bench_baseline TRANSPORT...   this boot's table divides every other
#                                 transport by each of these (default: tcp)
#   bench_note TEXT               a line printed under this boot's tables
#
# Guests (PV domUs running xen2mx-agent, see guest-agent.sh)
#   guest_start NAME [CFG_LINE...]  xl create a guest (256 MiB, 1 vCPU) and wait
#                                 for its agent (GSTART_TIMEOUT, default 300 s);
#                                 extra xl config lines override or add keys.
#                                 GUEST_DEBUG=light (set by a scenario whose
#                                 guests only carry traffic): on the debug
#                                 kernel, no SLUB poisoning and no kmemleak in
#                                 the guest (lockdep stays); guest processes
#                                 then fork and exit about 40% faster under TCG.
#                                 Silent on success; non-zero with a message on
#                                 stderr on failure.
#   guest_domid NAME              print the guest's domid
#   guest_exec NAME CMD           run CMD with sh -c in the guest; prints its
#                                 output (last ~3 KiB; the full output is on the
#                                 guest console) and returns its exit status;
#                                 124 after GEXEC_TIMEOUT (default 300) s, 125
#                                 if the guest is gone or unreachable.
#                                 One guest_exec at a time per guest.
#                                 "CMD >/tmp/log 2>&1 &" leaves CMD running.
#   guest_destroy NAME            xl destroy (after a kmemleak scan in guests
#                                 that have kmemleak), wait until it is gone
#   guest_shutdown NAME           same, but a clean xl shutdown -w
#                                 (GSHUTDOWN_TIMEOUT, default 60 s, then
#                                 destroyed and non-zero)
#
# Helpers
#   wait_for SECONDS CMD [ARG...] retry CMD every 0.5 s until it exits 0 (then
#                                 print that run's output) or time runs out
#   xs_read PATH                  print a xenstore value, non-zero if absent
#   xs_wait_change PATH SECS      sleep until PATH is written, SECS at most
#   dom0_debugfs_value FILE KEY   print VALUE of the "KEY: VALUE" line of FILE
#                                 (relative to /sys/kernel/debug unless
#                                 absolute), non-zero if absent
#   load_module NAME [PARAM...]   insmod /opt/xen2mx/modules/NAME.ko, after
#                                 the payload's modules it links to
#   unload_module NAME            rmmod NAME, then what load_module loaded
#                                 for it that nothing uses any more
#
# PATH includes /opt/xen2mx/bin (here and in guests), where the payload's
# programs (xen2mx-attach, xen2mx-detach, xen2mx-echo) are.

XEN2MX_ROOT=${XEN2MX_ROOT:-/opt/xen2mx}
XEN2MX_RUN=${XEN2MX_RUN:-/run/xen2mx}
case ":$PATH:" in
*":$XEN2MX_ROOT/bin:"*) ;;
*) PATH=$XEN2MX_ROOT/bin:$PATH ;;
esac
export PATH
: "${XEN2MX_SCENARIO:=$(basename "$0" .sh)}"
mkdir -p "$XEN2MX_RUN/guests"

# ---------------------------------------------------------------- results

_tap_line() {
	printf 'XEN2MX-TAP: %s\n' "$1"
	if [ -n "${XEN2MX_TAP_FILE:-}" ]; then
		printf 'XEN2MX-TAP: %s\n' "$1" >>"$XEN2MX_TAP_FILE"
	fi
}

# A description is one line; "#" would start a TAP directive.
_tap_desc() {
	printf '%s' "$*" | tr '\n' ' ' | sed 's/#/\\#/g'
}

tap_diag() {
	local line
	printf '%s\n' "$*" | while IFS= read -r line; do
		_tap_line "# $line"
	done
}

tap_ok() {
	_tap_line "ok - $XEN2MX_SCENARIO: $(_tap_desc "$1")"
}

tap_fail() {
	_tap_line "not ok - $XEN2MX_SCENARIO: $(_tap_desc "$1")"
	shift
	local d
	for d in "$@"; do
		tap_diag "$d"
	done
}

bench_report() {
	case $1 in
	*[!A-Za-z0-9_.:-]* | *:*:*) tap_fail "bench_report: '$1' is not TRANSPORT:METRIC"; return 1 ;;
	[a-z]*:[A-Za-z0-9]*) ;;
	*) tap_fail "bench_report: '$1' is not TRANSPORT:METRIC"; return 1 ;;
	esac
	case $2 in
	"" | *[!0-9.]* | *.*.*)
		tap_fail "bench_report $1: '$2' is not a number"
		return 1
		;;
	esac
	case $3 in
	"" | *" "*) tap_fail "bench_report $1: '$3' is not a unit"; return 1 ;;
	esac
	tap_diag "BENCH ${XEN2MX_HOST_NAME:-dom0} $1 $2 $3"
}

bench_baseline() {
	local t
	for t in "$@"; do
		case $t in
		[a-z]*) case $t in *[!A-Za-z0-9_.-]*) ;; *) continue ;; esac ;;
		esac
		tap_fail "bench_baseline: '$t' is not a transport name"
		return 1
	done
	tap_diag "BENCH-BASELINE ${XEN2MX_HOST_NAME:-dom0} $*"
}

bench_note() {
	tap_diag "BENCH-NOTE ${XEN2MX_HOST_NAME:-dom0} $(printf '%s' "$*" | tr '\n' ' ')"
}

tap_skip() {
	_tap_line "ok - $XEN2MX_SCENARIO: $(_tap_desc "$1") # SKIP $(_tap_desc "$2")"
}

tap_check() {
	local desc="$1" out rc line
	shift
	out=$(mktemp "$XEN2MX_RUN/check.XXXXXX")
	"$@" >"$out" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "command: $* (exit status $rc)"
		# The end of the output is where the reason usually is.
		if [ "$(wc -l <"$out")" -gt 60 ]; then
			tap_diag "(first $(($(wc -l <"$out") - 60)) lines cut)"
		fi
		tail -n 60 "$out" | while IFS= read -r line; do
			_tap_line "# $line"
		done
	fi
	rm -f "$out"
	return $rc
}

# ---------------------------------------------------------------- helpers

wait_for() {
	local secs="$1" out deadline rounds=0
	shift
	out=$(mktemp "$XEN2MX_RUN/wait.XXXXXX")
	deadline=$(($(date +%s) + secs))
	while :; do
		if "$@" >"$out" 2>&1; then
			cat "$out"
			rm -f "$out"
			return 0
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "wait_for: '$*' did not succeed within $secs s; last output:" >&2
			cat "$out" >&2
			rm -f "$out"
			return 1
		fi
		# Every try forks (often a guest_exec): twice a second for the
		# first 5 s, then once a second, which halves what a long wait
		# costs the emulated CPUs.
		rounds=$((rounds + 1))
		if [ $rounds -le 10 ]; then sleep 0.5; else sleep 1; fi
	done
}

xs_read() {
	xenstore-read "$1" 2>/dev/null
}

# xs_wait_change PATH SECS: sleep until PATH is written, SECS at most.  A
# watch fires once when set, then at the change; the bound also covers a
# write that came before the watch was set.  Forks far less than polling,
# which under TCG costs tens of milliseconds of the shared CPUs a process.
xs_wait_change() {
	timeout "$2" xenstore-watch -n 2 "$1" >/dev/null 2>&1
}

dom0_debugfs_value() {
	local file="$1" key="$2"
	case $file in
	/*) ;;
	*) file=/sys/kernel/debug/$file ;;
	esac
	[ -r "$file" ] || return 1
	# Exact key match, no regular expression: keys may contain any character.
	awk -v key="$key" '
		index($0, key ":") == 1 {
			v = substr($0, length(key) + 2)
			sub(/^[ \t]+/, "", v)
			print v
			found = 1
			exit
		}
		END { exit !found }' "$file"
}

_module_name() {
	basename "$1" .ko | tr - _
}

# What a module links to (modinfo's "depends=", read off the file: busybox's
# modinfo wants a modules.dep the images do not have).
_module_depends() {
	strings "$1" | sed -n 's/^depends=//p' | tr ',' ' '
}

# Loads the payload's modules NAME links to first (xen2mx-back: open-mx),
# as modprobe would, and remembers them for unload_module.
load_module() {
	local name="$1" ko dep
	shift
	ko=$XEN2MX_ROOT/modules/$(basename "$name" .ko).ko
	if [ ! -f "$ko" ]; then
		echo "load_module: $ko is not in the payload" >&2
		return 1
	fi
	for dep in $(_module_depends "$ko"); do
		[ -f "$XEN2MX_ROOT/modules/$dep.ko" ] || continue	# the kernel's
		[ -e "/sys/module/$(_module_name "$dep")/initstate" ] && continue
		load_module "$dep" || return 1
		echo "$dep" >>"$XEN2MX_RUN/modules-loaded-as-dependencies"
	done
	insmod "$ko" "$@"
}

# Unloads NAME, then what load_module loaded for it that nothing uses now.
unload_module() {
	local ko dep list=$XEN2MX_RUN/modules-loaded-as-dependencies
	ko=$XEN2MX_ROOT/modules/$(basename "$1" .ko).ko
	rmmod "$(_module_name "$1")" || return 1
	[ -f "$ko" ] && [ -f "$list" ] || return 0
	for dep in $(_module_depends "$ko"); do
		grep -qx "$dep" "$list" || continue
		[ "$(cat "/sys/module/$(_module_name "$dep")/refcnt" 2>/dev/null)" = 0 ] || continue
		unload_module "$dep" || return 1
		grep -vx "$dep" "$list" >"$list.new"
		mv "$list.new" "$list"
	done
}

# ---------------------------------------------------------------- guests

guest_domid() {
	xl domid "$1" 2>/dev/null
}

_guest_alive() {
	xl domid "$1" >/dev/null 2>&1
}

guest_start() {
	local name="$1" cfg domid line out deadline rounds=0
	shift
	cfg=$XEN2MX_RUN/guests/$name.cfg
	deadline=$(($(date +%s) + ${GSTART_TIMEOUT:-300}))
	{
		echo "name = \"$name\""
		echo "type = \"pv\""
		echo "kernel = \"$XEN2MX_ROOT/guest/vmlinux\""
		echo "ramdisk = \"$XEN2MX_ROOT/guest/initramfs.cpio.gz\""
		if [ "${GUEST_DEBUG:-full}" = light ]; then
			echo "extra = \"console=hvc0 slub_debug=- kmemleak=off\""
		else
			echo "extra = \"console=hvc0\""
		fi
		echo "memory = 256"
		echo "vcpus = 1"
		echo "on_poweroff = \"destroy\""
		echo "on_reboot = \"destroy\""
		echo "on_crash = \"destroy\""
		# Later lines win in xl's config parser.
		for line in "$@"; do
			echo "$line"
		done
	} >"$cfg"
	if ! out=$(timeout "${GSTART_TIMEOUT:-300}" xl create "$cfg" 2>&1); then
		echo "guest_start $name: xl create failed:" >&2
		printf '%s\n' "$out" >&2
		return 1
	fi
	domid=$(guest_domid "$name") || {
		echo "guest_start $name: created, but xl does not know it" >&2
		return 1
	}
	until [ "$(xs_read "/local/domain/$domid/data/xen2mx-agent")" = ready ]; do
		# xl is the costliest command here: ask it every 4th round.
		rounds=$((rounds + 1))
		if [ $((rounds % 4)) = 0 ] && ! _guest_alive "$name"; then
			echo "guest_start $name: the guest died while booting (see its console log)" >&2
			return 1
		fi
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "guest_start $name: no answer from its agent within ${GSTART_TIMEOUT:-300} s" >&2
			return 1
		fi
		xs_wait_change "/local/domain/$domid/data/xen2mx-agent" 2
	done
	return 0
}

guest_exec() {
	local name="$1" cmd="$2" domid dir seqfile seq v rc deadline rounds
	domid=$(guest_domid "$name") || {
		echo "guest_exec: no guest named $name" >&2
		return 125
	}
	dir=/local/domain/$domid/data
	# The sequence number lives in a file: guest_exec often runs in a
	# subshell ($(...)) where a shell variable would not be kept.
	seqfile=$XEN2MX_RUN/guests/seq.$domid
	seq=$(($(cat "$seqfile" 2>/dev/null || echo 0) + 1))
	echo "$seq" >"$seqfile"
	if ! xenstore-write -R -- "$dir/xen2mx-cmd" "$seq $cmd"; then
		echo "guest_exec $name: cannot write the command to xenstore" >&2
		return 125
	fi
	deadline=$(($(date +%s) + ${GEXEC_TIMEOUT:-300}))
	rounds=0
	while :; do
		v=$(xenstore-read -R "$dir/xen2mx-rc" 2>/dev/null)
		case $v in
		"$seq "*) break ;;
		esac
		# Between rounds sleep until xen2mx-rc is written (1 s at
		# most); ask xl, the costliest command, every 4th round only.
		if [ "$(date +%s)" -ge "$deadline" ]; then
			echo "guest_exec $name: timed out after ${GEXEC_TIMEOUT:-300} s: $cmd" >&2
			return 124
		fi
		rounds=$((rounds + 1))
		if [ $((rounds % 4)) = 0 ] && ! _guest_alive "$name"; then
			echo "guest_exec $name: the guest is gone: $cmd" >&2
			return 125
		fi
		xs_wait_change "$dir/xen2mx-rc" 1
	done
	rc=${v#"$seq "}
	# -R prints each value as stored, with nothing in between or after; the
	# marker keeps command substitution from eating trailing newlines.
	v=$(xenstore-read -R "$dir/xen2mx-out" "$dir/xen2mx-out2" 2>/dev/null; echo x)
	v=${v%x}
	case $v in
	"") ;;
	*"
") printf '%s' "$v" ;;
	*) printf '%s\n' "$v" ;;
	esac
	return "$rc"
}

guest_destroy() {
	local name="$1"
	_guest_alive "$name" || {
		echo "guest_destroy: no guest named $name" >&2
		return 1
	}
	_guest_kmemleak "$name"
	xl destroy "$name" || return 1
	wait_for 30 _guest_gone "$name" >/dev/null
}

guest_shutdown() {
	local name="$1" t="${GSHUTDOWN_TIMEOUT:-60}"
	_guest_alive "$name" || {
		echo "guest_shutdown: no guest named $name" >&2
		return 1
	}
	_guest_kmemleak "$name"
	if timeout "$t" xl shutdown -w "$name" && wait_for 10 _guest_gone "$name" >/dev/null; then
		return 0
	fi
	echo "guest_shutdown $name: not down after $t s, destroying it" >&2
	xl destroy "$name"
	return 1
}

_guest_gone() {
	! _guest_alive "$1"
}

# Before a guest goes away, let kmemleak (when its kernel has it) report what
# this guest leaked; the report lands in its console log, which the host scans.
_guest_kmemleak() {
	local domid
	domid=$(guest_domid "$1") || return 0
	[ "$(xs_read "/local/domain/$domid/data/xen2mx-kmemleak")" = 1 ] || return 0
	GEXEC_TIMEOUT=120 guest_exec "$1" kmemleak-report >/dev/null
}
