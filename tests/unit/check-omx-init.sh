#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-omx-init.sh - omx_init stop in a Xen dom0 (TAP): xen2mx-back runs
# on open-mx, so stop unloads it first; while guests are connected to it
# stop refuses, naming them, and leaves everything loaded; --force cuts
# them off.  Runs the omx_init built here against a fake sysfs tree
# (OMX_SYSFS) with fake rmmod, xenstore-read and id on PATH: nothing is
# loaded or unloaded for real.
set -u

prog=${OMX_INIT:-../../userspace/tools/omx_init}

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

if [ ! -f "$prog" ]; then
	echo "1..0 # SKIP $prog not built"
	exit 0
fi

mkdir -p "$tmp/bin" "$tmp/conf"
cat >"$tmp/bin/rmmod" <<'EOS'
#!/bin/sh
echo "$1" >>"$FAKE/rmmod.log"
rm -rf "$FAKE/sys/module/$1"
EOS
cat >"$tmp/bin/xenstore-read" <<'EOS'
#!/bin/sh
case $1 in
/local/domain/3/name) echo g1 ;;
/local/domain/5/name) echo g2 ;;
*) exit 1 ;;
esac
EOS
printf '#!/bin/sh\necho 0\n' >"$tmp/bin/id"
chmod +x "$tmp/bin/rmmod" "$tmp/bin/xenstore-read" "$tmp/bin/id"
printf 'OMX_PIDFILE=%s/omxoed.pid\n' "$tmp" >"$tmp/conf/open-mx.conf"

# setup STATE...: open-mx and xen2mx-back loaded, one xen2mx device per
# STATE (domains 3, 5, 7: g1, g2, a nameless one), bound to the driver.
setup() {
	rm -rf "$tmp/sys" "$tmp/rmmod.log"
	mkdir -p "$tmp/sys/module/open_mx" "$tmp/sys/module/xen2mx_back" \
		"$tmp/sys/bus/xen-backend/devices" "$tmp/sys/bus/xen-backend/drivers/xen2mx"
	: >"$tmp/rmmod.log"
	domid=3
	for state in "$@"; do
		dev=$tmp/sys/bus/xen-backend/devices/xen2mx-$domid-0
		mkdir -p "$dev"
		echo "$state" >"$dev/state"
		ln -s ../../drivers/xen2mx "$dev/driver"
		domid=$((domid + 2))
	done
}

stop() {
	FAKE=$tmp OMX_SYSFS=$tmp/sys OMX_CONF_DIR=$tmp/conf PATH=$tmp/bin:$PATH \
		sh "$prog" stop "$@" >"$tmp/out" 2>"$tmp/err"
}

setup Connected InitWait Connected
stop
rc=$?
[ $rc = 1 ]
check $? "stop with connected guests: exit status 1"
want="omx_init: not stopping: xen2mx-back serves connected guests: g1 (domain 3, device 0), domain 7 (domain 7, device 0); detach them first (xen2mx-detach GUEST) or use 'omx_init stop --force' to cut them off"
[ "$(cat "$tmp/err")" = "$want" ]
check $? "stop names the connected guests, and only those, in one line"
[ ! -s "$tmp/rmmod.log" ] && [ -d "$tmp/sys/module/xen2mx_back" ] && [ -d "$tmp/sys/module/open_mx" ]
check $? "stop refused: nothing unloaded"

stop --force
rc=$?
[ $rc = 0 ] && [ "$(cat "$tmp/rmmod.log")" = "$(printf 'xen2mx_back\nopen_mx')" ]
check $? "stop --force: xen2mx-back unloaded, then open-mx"
grep -q '^Cutting off guests: g1 (domain 3, device 0), domain 7' "$tmp/out"
check $? "stop --force says whom it cuts off"

setup InitWait Closed
stop
rc=$?
[ $rc = 0 ] && [ "$(cat "$tmp/rmmod.log")" = "$(printf 'xen2mx_back\nopen_mx')" ]
check $? "stop with no guest connected: xen2mx-back, then open-mx"

setup
rm -rf "$tmp/sys/module/xen2mx_back"
stop
rc=$?
[ $rc = 0 ] && [ "$(cat "$tmp/rmmod.log")" = open_mx ]
check $? "stop without xen2mx-back (bare metal): open-mx alone"

setup Connected
stop --hard
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/rmmod.log" ] && grep -q "unknown option '--hard' for stop" "$tmp/err"
check $? "stop --hard: usage error, exit status 2, nothing unloaded"

tap_end
