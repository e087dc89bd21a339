#!/bin/sh
# twohost-tools: the init script and the tools on two hosts: omx_init
# start/status/stop with dynamic (omxoed) then static peers (a peers file),
# restart-discovery, repeated start and stop; omx_counters (-c clears),
# omx_endpoint_info and omx_hostname against the real driver.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

link=$XEN2MX_LINK
conf=$XEN2MX_RUN/conf
mkdir -p "$conf"
export OMX_CONF_DIR=$conf
printf 'OMX_IFACES=%s\nOMX_MODULE_DIR=/opt/xen2mx/modules\nOMX_PIDFILE=%s\n' \
	"$link" "$XEN2MX_RUN/omxoed.pid" >"$conf/open-mx.conf"
me=$(uname -n):0

tap_check "omx_init status before start: exit 3" sh -c 'omx_init status; [ $? = 3 ]'
tap_check "omx_init start (dynamic peers)" omx_init start
tap_check "/dev/open-mx exists" test -c /dev/open-mx
tap_check "the link is attached (ifnames from OMX_IFACES)" sh -c "[ \"\$(cat /sys/module/open_mx/parameters/ifnames)\" = $link ]"
tap_check "omx_init status: daemon running" sh -c "omx_init status | grep -q 'omxoed running, pid'"
tap_check "omx_init status shows omx_info" sh -c "omx_init status | grep -q 'Found 1 boards'"
me=$XEN2MX_HOST_NAME:0
peer=$XEN2MX_PEER_NAME:0
tap_check "omx_hostname renames the board $me" omx_hostname -b 0 "$me"
tap_check "omx_hostname prints it" sh -c "[ \"\$(omx_hostname)\" = $me ]"
peer_barrier started 120 || exit 0
# The peer was named before it renamed itself: look for its address, with
# whatever name its host query brought.
peer_mac=$(peer_exchange board-mac "$(cat /sys/class/net/$link/address)" 60) || exit 0
named() { omx_info | grep -E "^  [0-9]+\\) $peer_mac [^<]"; }
tap_check "omxoed started by omx_init discovers $peer_mac and its name" wait_for 60 named
tap_diag "$(omx_info)"
tap_check "omx_counters shows raw frames sent" sh -c "omx_counters -b 0 | grep -E '^013: +[1-9][0-9]* Send Raw\$'"
tap_diag "$(omx_counters)"
# omxoed keeps announcing: freeze it so that nothing counts between the
# clear and the check.
oed_pid=$(cat "$XEN2MX_RUN/omxoed.pid" 2>/dev/null)
[ -n "$oed_pid" ] && kill -STOP "$oed_pid"
tap_check "omx_counters -c clears" omx_counters -c -b 0
tap_check "... Send Raw is 0 right after" sh -c "omx_counters -v -b 0 | grep -E '^013: +0 Send Raw\$'"
[ -n "$oed_pid" ] && kill -CONT "$oed_pid"
tap_check "omx_endpoint_info: no endpoint open" sh -c "omx_endpoint_info | grep -q '0 of 32 endpoints open'"
peer_barrier discovered 120 || exit 0
tap_check "omx_init stop" omx_init stop
tap_check "the daemon is gone" sh -c "[ ! -e $XEN2MX_RUN/omxoed.pid ] && ! pidof omxoed"
tap_check "the driver is unloaded" test ! -d /sys/module/open_mx
tap_check "omx_init status after stop: exit 3" sh -c 'omx_init status; [ $? = 3 ]'
peer_barrier stopped 120 || exit 0

# Static table: a peers file in the configuration directory.
mac=$(cat /sys/class/net/$link/address)
printf '# two hosts\n%s %s\n%s %s\n' "$mac" "$me" "$peer_mac" "$peer" >"$conf/peers"
tap_check "omx_init start (static peers)" sh -c "omx_init start | tee /dev/stderr | grep -q 'Static peer table loaded'"
tap_check "no daemon with a static table" sh -c "! pidof omxoed"
tap_check "omx_info lists $peer from the file" sh -c "omx_info | grep -qE '^  [0-9]+\\) $peer_mac $peer\$'"
tap_check "omx_init restart-discovery --dynamic-peers starts omxoed" sh -c "omx_init restart-discovery --dynamic-peers && pidof omxoed"
tap_check "omx_init status: omxoed running" sh -c "omx_init status | grep -q 'omxoed running'"
tap_check "omx_init start again: already loaded, exit 0" omx_init start
tap_check "omx_init stop" omx_init stop
tap_check "omx_init stop again: exit 0" omx_init stop
