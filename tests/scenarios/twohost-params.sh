#!/bin/sh
# twohost-params: the engine's load-time parameters between two hosts.
# Both load xen2mx-back with the 1500-octet wire variant (wire_mtu=1500:
# 1452-octet medium fragments, 1468-octet pull replies) and small tables
# (endpoints=8 peers=16); the library adapts to what the driver reports:
# omx_perf verifies every byte from 0 B to 1 MiB, 8 endpoints a side talk
# pairwise, and a 9th endpoint cannot be opened.
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up wire_mtu=1500 endpoints=8 peers=16 || exit 0
tap_check "/dev/open-mx reports the 1500 variant" sh -c "cat /dev/open-mx | grep -q 'MTU>=1500'"
tap_check "... and 1452-octet medium fragments" sh -c "cat /dev/open-mx | grep -q 'MediumMessages: 1452B'"
tap_check "omx_info: 8 endpoints per board" sh -c "omx_info | grep -q 'supporting 8 endpoints each'"

omx_perf_pair "with 1500-octet frames: 0 B..1 MiB, every byte verified" \
	-V -E 1048577 -N 2 -W 1 || exit 0

omx_pair_prog " (8)" api-many-endpoints --count 8 || exit 0

# All 8 open (omx_perf receivers waiting), then one more: "Resource Busy".
ninth() {
	local pids='' j=0 out rc
	while [ $j -lt 8 ]; do
		omx_perf -w -e $j >/dev/null 2>&1 &
		pids="$pids $!"
		j=$((j + 1))
	done
	sleep 3
	out=$(omx_endpoint_info 2>&1)
	echo "$out"
	echo "$out" | grep -q '^ *8 of 8 endpoints open' && rc=0 || rc=1
	# A ninth: any free endpoint, of which there is none.
	if omx_perf -w -d "$OMX_PEER" -S 0 -E 1 -N 1 -W 0 >"$XEN2MX_RUN/ninth.out" 2>&1; then
		echo "a ninth endpoint opened"
		rc=1
	fi
	cat "$XEN2MX_RUN/ninth.out"
	grep -q 'Resource Busy' "$XEN2MX_RUN/ninth.out" || rc=1
	kill $pids 2>/dev/null
	wait $pids 2>/dev/null
	return $rc
}
tap_check "with 8 endpoints open a ninth open fails: Resource Busy" ninth
tap_check "open-mx unloads" omx_unload
