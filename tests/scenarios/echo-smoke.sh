#!/bin/sh
# echo-smoke: on Debian's stock kernel (what users run): attach, ECHO,
# detach, everything released.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

bring_up g1 || exit 0
out=$(guest_exec g1 "xen2mx-echo -n 2000 -s 176 && xen2mx-echo -n 500 --via-event")
rc=$?
tap_diag "$out"
tap_check "ECHO round trips, payloads checked (ring and event ring)" test $rc = 0
tap_check "detach" xen2mx-detach g1
tap_check "backend released every page and grant" wait_for 30 backend_clean
tap_check "g1 shuts down" guest_shutdown g1
tap_check "backend module unloads" unload_module xen2mx-back
