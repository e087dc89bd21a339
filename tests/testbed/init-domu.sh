#!/bin/sh
# /init of a test-bed domU (PV guest started by lib-dom0.sh's guest_start).
#
# Sets up the minimum the Xen tools need, then runs xen2mx-agent, through which
# dom0 runs commands in this guest. Everything printed here goes to hvc0, which
# xenconsoled in dom0 logs to /var/log/xen/guest-<name>.log.
#
# This shell stays PID 1 and waits in the foreground for the agent: while it
# waits it also reaps the orphans that background commands leave behind, so a
# finished background process does not linger as a zombie.
export PATH=/opt/xen2mx/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /run
mount -t debugfs debugfs /sys/kernel/debug

# Xen drivers of a stock kernel are modules (list made by mkinitramfs.sh); the
# test kernel has them built in and ships no list. A driver that is already
# there (loaded or built in) is skipped or its insmod failure is harmless.
if [ -f /lib/modules/load-order ]; then
	while read -r ko; do
		name=$(basename "$ko" .ko | tr - _)
		[ -e "/sys/module/$name" ] && continue
		insmod "$ko" || echo "init: insmod $ko failed (built in?)"
	done </lib/modules/load-order
fi
grep -qw xenfs /proc/filesystems || echo "init: no xenfs in this kernel"
mount -t xenfs xenfs /proc/xen

# "xl shutdown" makes the kernel run poweroff_cmd, which needs an absolute
# path; busybox's plain poweroff would only signal PID 1, which is this
# script, so power off directly.
echo "/sbin/poweroff -f" >/proc/sys/kernel/poweroff_cmd

name=$(xenstore-read name 2>/dev/null) && hostname "$name"
echo "init: guest ${name:-?} up, kernel $(uname -r), starting xen2mx-agent"

xen2mx-agent
echo "init: xen2mx-agent exited with status $?, powering off"
poweroff -f
