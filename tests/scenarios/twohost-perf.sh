#!/bin/sh
# twohost-perf: omx_perf between the two hosts, every length from 0 to
# 16 MiB (tiny, small, medium, large), every byte checked (-V); then the
# same with synchronous sends (-Y: rendezvous for every length).  -E is
# Open-MX 1.5's: the end length is excluded; -P 0: no pause between lengths.
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0

omx_perf_pair "verify: every length sent and verified" -V -E 16777217 -N 3 -W 1 -P 0 || exit 0
# What the engine saw: drops and re-requests explain slow lengths.
tap_diag "$(omx_counters -q 2>&1)" "$(ip -s link show dev "$XEN2MX_LINK")"
omx_perf_pair "sync: every length sent and verified" -Y -V -E 1048577 -N 2 -W 1 -P 0 || exit 0
tap_check "open-mx unloads" omx_unload
