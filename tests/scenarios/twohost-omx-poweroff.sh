#!/bin/sh
# twohost-omx-poweroff: hostA loses its power in the middle of an Open-MX
# stream (api-peer-loss: mixed sizes both ways, large pulls included).
# hostB, the survivor, must see every request in flight end with
# OMX_REMOTE_ENDPOINT_UNREACHABLE within its request timeout, nothing
# hanging; then no endpoint is left open, no region pinned (the module
# unloads) and its kernel log is clean (checked for every boot).
# powers-off: 1
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0

if host_is 1; then
	api-peer-loss --role server >"$XEN2MX_RUN/peer-loss.out" 2>&1 &
	streaming() { grep -q '^# server: streaming' "$XEN2MX_RUN/peer-loss.out"; }
	if ! tap_check "the server reaches a steady stream" wait_for 240 streaming; then
		tap_diag "$(cat "$XEN2MX_RUN/peer-loss.out")"
		exit 0
	fi
	tap_check "every byte it received so far is right" \
		grep -q '^ok .*every byte right' "$XEN2MX_RUN/peer-loss.out"
	# Mid-stream: let a few more large messages get under way first.
	sleep 2
	host_power_off
	tap_fail "host_power_off stops the machine" "it returned"
	exit 0
fi

tap_import "api-peer-loss client" api-peer-loss --role client --peer "$OMX_PEER" \
	--request-timeout-ms 3000
none_open() { omx_endpoint_info | grep -q '^ *0 of [0-9]* endpoints open'; }
tap_check "no endpoint is left open" none_open
tap_check "open-mx unloads (nothing pinned or held)" omx_unload
