#!/bin/bash
# Turn the console log of one test-bed boot into TAP result lines.
#
# Prints unnumbered lines ("ok - ...", "not ok - ...", "# diagnostic") that
# run-testbed.sh numbers; usable alone to re-check a saved log:
#   analyze-log.sh --boot NAME --log console.log --qemu-status RC
# Three kinds of results:
#   - the boot itself: finished and reported through QEMU's exit port (or,
#     with --powers-off SCENARIO, powered off by that scenario on purpose:
#     exit byte 2, see lib-twohost.sh);
#   - the scenarios' own results (XEN2MX-TAP lines), prefixed with the boot;
#   - "console clean": the whole log (Xen, dom0, the guest logs dom0 prints
#     at the end) is searched for kernel and hypervisor trouble reports; each
#     report is one failure. The one known lockdep report of the test kernel's
#     dom0 (gntdev, at xl create, see testbed.md) is recognised by its exact
#     locks and stack and is not a failure, but lockdep is off in dom0 after
#     it and the diagnostics say so.
set -uo pipefail

usage() {
	sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
	echo "Options: --boot NAME --log FILE --qemu-status RC [--timeout S] [--elapsed S]"
	echo "         [--powers-off SCENARIO]"
}

boot='' log='' qemu_status='' timeout='?' elapsed='' powers_off=''
while [[ $# -gt 0 ]]; do
	case $1 in
	--boot) boot=${2:?}; shift 2 ;;
	--log) log=${2:?}; shift 2 ;;
	--qemu-status) qemu_status=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--elapsed) elapsed=${2:?}; shift 2 ;;
	--powers-off) powers_off=${2:?}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) echo "analyze-log: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[[ -n $boot && -r $log && -n $qemu_status ]] || { usage >&2; exit 2; }

log_tail() {
	echo "# last lines of $log:"
	tail -n 20 "$log" | sed 's/^/#   /'
}

# ------------------------------------------------------------ the boot

finished=0
grep -q '^XEN2MX-RESULTS-END' "$log" && finished=1
took=${elapsed:+ in $elapsed s}
if [[ -n $powers_off ]]; then
	# This machine must stop in that scenario, through host_power_off.
	case $qemu_status in
	5)
		if ((finished)); then
			echo "ok - $boot: powered off by $powers_off as it declares$took"
		else
			echo "not ok - $boot: powered off by $powers_off as it declares"
			echo "# exit byte 2 without the results block host_power_off prints"
		fi
		;;
	*)
		echo "not ok - $boot: powered off by $powers_off as it declares"
		echo "# QEMU exit status $qemu_status, not 5 (exit byte 2 of host_power_off)"
		log_tail
		;;
	esac
	qemu_status=handled
fi
case $qemu_status in
handled) ;;
1)
	# Exit byte 0: the runner went through every scenario.
	if ((finished)); then
		echo "ok - $boot: boot completed$took"
	else
		echo "not ok - $boot: boot completed"
		echo "# dom0 reported success but printed no results block"
	fi
	;;
5)
	echo "not ok - $boot: boot completed"
	echo "# powered off by a scenario (exit byte 2), but the boot expected no scenario to"
	grep -a '^XEN2MX: .* powered off by ' "$log" | tail -n 1 | sed 's/^/#   /'
	;;
3)
	echo "not ok - $boot: boot completed"
	echo "# the dom0 scenario runner failed or is missing (exit byte 1)"
	grep -a '^XEN2MX: ' "$log" | tail -n 5 | sed 's/^/#   /'
	;;
124 | 137)
	echo "not ok - $boot: boot completed"
	echo "# QEMU was killed after the boot timeout of $timeout s"
	log_tail
	;;
0)
	echo "not ok - $boot: boot completed"
	echo "# the machine reset or powered off without reporting (Xen or dom0 crash?)"
	log_tail
	;;
*)
	echo "not ok - $boot: boot completed"
	echo "# QEMU failed with exit status $qemu_status"
	log_tail
	;;
esac

# ------------------------------------------------------------ scenario results

# The block dom0 prints at the end is immune to console interleaving; the live
# lines are all there is when the boot did not get that far.
if ((finished)); then
	results=$(sed -n '/^XEN2MX-RESULTS-BEGIN/,/^XEN2MX-RESULTS-END/p' "$log" |
		sed -n 's/^XEN2MX-TAP: //p')
else
	results=$(grep -ao 'XEN2MX-TAP: .*' "$log" | sed 's/^XEN2MX-TAP: //')
	[[ -n $results ]] && echo "# scenario results below come from the live console (no results block)"
fi
if [[ -n $results ]]; then
	sed -e "s/^ok - /ok - $boot: /" -e "s/^not ok - /not ok - $boot: /" <<<"$results"
fi

# ------------------------------------------------------------ console clean

LC_ALL=C awk -v boot="$boot" -v logname="$(basename "$log")" '
# Lines of the guest logs that dom0 prints at the end start with
# "[guest NAME] "; everything else is Xen or dom0.
function source_of(line) {
	if (match(line, /^\[guest [^]]+\] /))
		return substr(line, 2, RLENGTH - 3)
	return "dom0"
}

# What a report line says, without the prefixes and timestamps.
function bare(line) {
	sub(/^\[guest [^]]+\] /, "", line)
	sub(/^\[[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:.]+\] /, "", line)
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", line)
	sub(/^\(XEN\) (\[[^]]*\] )?/, "(XEN) ", line)
	return line
}

# A line for a TAP description or diagnostic: short, and no "#" directive.
function shown(line) {
	line = substr(line, 1, 120)
	gsub(/#/, "\\#", line)
	return line
}

# The known report (testbed.md): at xl create, xenstored holds gntdev priv->lock
# while copying to user space (gntdev_ioctl -> mmap_lock), and mmaps a gntdev
# file under mmap_lock (gntdev_mmap -> priv->lock). Lockdep names the pair in
# either order, depending on which path it saw first. Every fact below must be
# in the block, so any other circular dependency is a failure.
function is_known_gntdev(t) {
	if (t !~ /WARNING: possible circular locking dependency detected/ ||
		t !~ /\nxenstored\/[0-9]+ is trying to acquire lock:/ ||
		t !~ /Comm: xenstored /)
		return 0
	# A cycle of exactly these two locks, nothing else.
	if (t ~ /\n-> #2 / || t !~ /\n-> #1 / || t !~ /\n-> #0 /)
		return 0
	mmap_side = t ~ /is trying to acquire lock:\n[^\n]*\(&priv->lock\)[^\n]*at: gntdev_mmap\+/ &&
		t ~ /but task is already holding lock:\n[^\n]*\(&mm->mmap_lock\)/
	ioctl_side = t ~ /is trying to acquire lock:\n[^\n]*\(&mm->mmap_lock\)/ &&
		t ~ /but task is already holding lock:\n[^\n]*\(&priv->lock\)[^\n]*at: gntdev_ioctl\+/
	if (!mmap_side && !ioctl_side)
		return 0
	# Both halves of the chain are the gntdev paths described above.
	return t ~ /\n *_copy_to_user\+[^\n]*\n *gntdev_ioctl\+/ &&
		t ~ /\n *__mutex_lock\+[^\n]*\n *gntdev_mmap\+/
}

BEGIN {
	npat = split("BUG:|kernel BUG at|Oops|WARNING:|general protection|KASAN|" \
		"possible circular locking|INFO: possible|WARNING: possible|" \
		"inconsistent lock state|unreferenced object|Kernel panic|Call Trace:|" \
		"Xen BUG at|Xen WARN at|Panic on CPU|FATAL TRAP|FATAL PAGE FAULT|" \
		"Hardware Dom0 crashed", pat, "|")
	nfind = 0
	nblock = 0
}

# Pass 1: find the lockdep circular-dependency reports: from the header to the
# end of the backtrace that closes them.
FNR == NR {
	src = source_of($0)
	if (index($0, "possible circular locking dependency detected")) {
		nblock++
		bstart[nblock] = FNR - 1 # the "=====" line above the header
		bsrc[nblock] = src
		btext = ""
		in_block = nblock
		backtrace = 0
	}
	if (in_block && src == bsrc[in_block]) {
		btext = btext "\n" bare($0)
		if (index($0, "stack backtrace:"))
			backtrace = 1
		if ((backtrace && index($0, "</TASK>")) || FNR - bstart[in_block] > 400) {
			bend[in_block] = FNR
			bknown[in_block] = is_known_gntdev(btext)
			in_block = 0
		}
	}
	next
}

# Pass 2: the trouble reports, outside known blocks and our own result lines.
FNR == 1 {
	if (in_block) { # a block cut short by the end of the log
		bend[in_block] = NR
		bknown[in_block] = 0
	}
}
/XEN2MX-TAP:/ { next }
/^XEN2MX-RESULTS-BEGIN/ { in_results = 1 }
in_results { if (/^XEN2MX-RESULTS-END/) in_results = 0; next }
/^XEN2MX: dom0 lockdep debug_locks:/ { debug_locks = $NF }
{
	for (b = 1; b <= nblock; b++)
		if (bknown[b] && FNR >= bstart[b] && FNR <= bend[b]) {
			if (!known_seen[b]++)
				known_line[b] = FNR
			next
		}
	for (p = 1; p <= npat; p++)
		if (index($0, pat[p]))
			break
	if (p > npat)
		next
	src = source_of($0)
	# Lines close to an earlier finding of the same source are the same
	# report (a WARNING: is followed by its Call Trace:, ...).
	f = last_find[src]
	if (f && FNR - last_line[src] <= 100) {
		nlines[f]++
	} else {
		f = ++nfind
		last_find[src] = f
		fsrc[f] = src
		ftitle[f] = shown(bare($0))
		nlines[f] = 1
	}
	last_line[src] = FNR
	if (nlines[f] <= 8)
		flines[f] = flines[f] "# " logname ":" FNR ": " shown(bare($0)) "\n"
}

END {
	known = 0
	for (b = 1; b <= nblock; b++)
		if (bknown[b]) {
			known++
			print "ok - " boot ": console clean (known gntdev lockdep report in " bsrc[b] " ignored)"
			print "# " logname ":" bstart[b] "-" bend[b] ": gntdev priv->lock vs mmap_lock at xl create (testbed.md)"
			print "# lockdep turned itself off in " bsrc[b] " there: later locking bugs in " bsrc[b] " went unchecked"
		}
	for (f = 1; f <= nfind; f++) {
		print "not ok - " boot ": console clean (" fsrc[f] ": " ftitle[f] ")"
		printf "%s", flines[f]
		if (nlines[f] > 8)
			print "# ... " nlines[f] - 8 " more matching lines"
	}
	if (debug_locks == "0" && !known && !nfind) {
		print "not ok - " boot ": console clean (lockdep off in dom0 without a report)"
		print "# /proc/lockdep_stats says debug_locks: 0"
		nfind++
	}
	if (!nfind && !known)
		print "ok - " boot ": console clean"
	# Kernels with lockdep: it must still be on when dom0 finishes, or it
	# did not watch our backend (the test kernel carries a fix for the
	# one report that used to switch it off at every xl create).
	if (debug_locks == "1")
		print "ok - " boot ": lockdep active in dom0 until the end of the boot"
	else if (debug_locks == "0") {
		print "not ok - " boot ": lockdep active in dom0 until the end of the boot"
		print "# /proc/lockdep_stats says debug_locks: 0: lockdep switched itself off after a report"
	}
}
' "$log" "$log"
