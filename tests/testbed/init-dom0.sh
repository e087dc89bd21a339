#!/bin/sh
# /init of the test-bed dom0: bring up the Xen tool stack, run this boot's
# scenarios, print the guests' console logs and report to the host.
#
# Everything printed here goes to hvc0 -> Xen's com1 -> QEMU's stdout, which
# run-testbed.sh saves and parses:
#   XEN2MX-TAP: ...                  results, printed live by lib-dom0.sh
#   [guest NAME] ...                 guest console logs, printed at the end
#   XEN2MX-RESULTS-BEGIN/-END        all results again, in one quiet block
#   XEN2MX-EXIT: N                   the byte written to QEMU's exit port
# The exit byte is 0 when the scenario runner finished (failures are TAP
# lines), 1 when the runner itself failed or is missing (2 is written by
# host_power_off of lib-twohost.sh, not here).
#
# In a two-host boot, "xen2mx.host=N" on the command line says which host
# this is; it is exported as XEN2MX_HOST for the runner and lib-twohost.sh.
# "xen2mx.bare=N" says host N is plain Linux (exported as XEN2MX_BARE_HOST).
#
# The same script is /init of such a bare host (run-testbed.sh's
# KERNEL@2:bareN): with no hypervisor under the kernel (no
# /sys/hypervisor/type "xen") it skips the Xen drivers and tools (xenfs,
# xenstored, xen-init-dom0, xenconsoled) and runs the scenarios all the
# same; there is no guest to stop or print.
export PATH=/opt/xen2mx/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
for d in /usr/lib/xen-*/bin; do PATH=$PATH:$d; done

say() { echo "XEN2MX: $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# isa-debug-exit: QEMU exits with status (byte << 1) | 1 when a byte is
# written to port 0xf4 (244). The byte is also printed, so the host still
# knows it if /dev/port is missing and the fallback power-off is used.
finish() {
	echo "XEN2MX-EXIT: $1"
	sync
	printf "\\$(printf '%03o' "$1")" | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	sleep 5
	say "the exit port did not stop QEMU, powering off"
	poweroff -f
	# PID 1 must never exit, or the kernel panics.
	while :; do sleep 3600; done
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug
say "dom0 init started at $(uptime_s) s, kernel $(uname -r)"
for arg in $(cat /proc/cmdline); do
	case $arg in
	xen2mx.host=*) XEN2MX_HOST=${arg#xen2mx.host=} && export XEN2MX_HOST ;;
	xen2mx.bare=*) XEN2MX_BARE_HOST=${arg#xen2mx.bare=} && export XEN2MX_BARE_HOST ;;
	esac
done
[ -n "${XEN2MX_HOST:-}" ] && say "host $XEN2MX_HOST of a two-host boot"

# Xen drivers of a stock kernel are modules (list made by mkinitramfs.sh); the
# test kernel has them built in and ships no list. A driver that is already
# there (loaded or built in) is skipped or its insmod failure is harmless.
# On a bare host the Xen drivers (xen-*, xenfs) are left out: they refuse
# to load without Xen.
load_drivers() {
	local ko name
	[ -f /lib/modules/load-order ] || return 0
	while read -r ko; do
		name=$(basename "$ko" .ko | tr - _)
		case $1:$name in bare:xen*) continue ;; esac
		[ -e "/sys/module/$name" ] && continue
		insmod "$ko" || say "insmod $ko failed (built in?)"
	done </lib/modules/load-order
}

# The Xen tool stack of dom0.
xen_tools_up() {
	local i
	grep -qw xenfs /proc/filesystems || say "no xenfs in this kernel"
	mount -t xenfs xenfs /proc/xen

	mkdir -p /run/xen /run/xenstored /var/log/xen /var/lib/xen /var/lib/xenstored

	# The C xenstored (not oxenstored), with its default quotas: the xen2mx
	# drivers must work within what a real host allows.
	xenstored --pid-file=/run/xenstored.pid || { say "xenstored failed to start"; finish 1; }
	i=0
	until xenstore-read / >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le 150 ] || { say "xenstored does not answer"; finish 1; }
		sleep 0.2
	done
	xen-init-dom0 || { say "xen-init-dom0 failed"; finish 1; }
	xenconsoled --pid-file=/run/xenconsoled.pid --log=guest --log-dir=/var/log/xen \
		--timestamp=guest || { say "xenconsoled failed to start"; finish 1; }
	say "Xen tools up at $(uptime_s) s"
}

mkdir -p /run/xen2mx
if [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]; then
	load_drivers
	xen_tools_up
else
	say "no hypervisor: a bare host, no Xen tools"
	load_drivers bare
fi

export XEN2MX_TAP_FILE=/run/xen2mx/tap.log
: >"$XEN2MX_TAP_FILE"
runner=/opt/xen2mx/scenarios/run-boot.sh
if [ -x "$runner" ]; then
	"$runner"
	rc=$?
	say "scenario runner finished with status $rc at $(uptime_s) s"
else
	say "no $runner in the payload"
	rc=127
fi

# Guests still running keep writing to their logs: stop them first.
for dom in $(xl list 2>/dev/null | awk 'NR > 1 && $1 != "Domain-0" { print $1 }'); do
	say "destroying leftover guest $dom"
	xl destroy "$dom"
done
sleep 1
for log in /var/log/xen/guest-*.log; do
	[ -f "$log" ] || continue
	name=${log#/var/log/xen/guest-}
	name=${name%.log}
	say "console log of guest $name"
	sed "s/^/[guest $name] /" "$log"
done

if [ -e /sys/kernel/debug/kmemleak ]; then
	say "kmemleak report of dom0"
	kmemleak-report
fi
if [ -r /proc/lockdep_stats ]; then
	say "dom0 lockdep debug_locks: $(awk '/debug_locks:/ { print $2; exit }' /proc/lockdep_stats)"
fi

echo "XEN2MX-RESULTS-BEGIN"
cat "$XEN2MX_TAP_FILE"
echo "XEN2MX-RESULTS-END"
say "dom0 done at $(uptime_s) s"
if [ "$rc" = 0 ]; then finish 0; else finish 1; fi
