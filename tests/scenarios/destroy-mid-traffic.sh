#!/bin/sh
# destroy-mid-traffic: a guest destroyed while ECHO traffic runs; the backend
# notices, unmaps and unbinds everything, and dom0 stays clean.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh

bring_up g1 || exit 0
d=$(guest_domid g1)

guest_exec g1 "xen2mx-echo -n 1000000000 -s 64 >/tmp/echo.log 2>&1 &" >/dev/null
requests() { dom0_debugfs_value "xen2mx-back/$d.0" requests; }
busy() { [ "$(requests)" -ge 2000 ]; }
tap_check "ECHO traffic is flowing (>= 2,000 requests seen by the backend)" wait_for 120 busy
tap_diag "requests before destroy: $(requests)"

xl destroy g1
tap_check "g1 is gone" wait_for 30 sh -c "! xl domid g1"
tap_check "the backend released every page and grant" wait_for 60 backend_clean
tap_check "the backend dropped the device" \
	wait_for 60 totals_is devices 0
tap_check "xen2mx-detach by domid cleans the leftover backend nodes" xen2mx-detach "$d"
tap_check "no backend node left for the dead domain" sh -c "! xenstore-ls /local/domain/0/backend/xen2mx/$d"

# dom0 still serves new guests.
bring_up g2 || exit 0
tap_check "ECHO works in g2" guest_exec g2 "xen2mx-echo -n 500"
tap_check "g2 detaches" xen2mx-detach g2
tap_check "g2 shuts down" guest_shutdown g2
tap_check "backend module unloads" unload_module xen2mx-back
