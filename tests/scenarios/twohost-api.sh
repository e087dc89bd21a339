#!/bin/sh
# twohost-api: the API test programs of tests/api, written against the
# public headers only, between the two hosts (hostA server, hostB client):
# every size class verified byte for byte, matching with masks, the
# unexpected queue, probe, truncation, cancel, issend, vectors, the
# unexpected handler, request timeouts and connect errors, 16 endpoints a
# side, an MX-API ping-pong, an unexpected handler that consumes every
# message (api-unexp-consume: eager sends succeed, synchronous and large
# ones see the truncation).  Then each program in one process on each
# host (--self: two endpoints of one board, the same-host path).
# timeout: 1800
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

PROGRAMS="api-sizes api-matching api-truncation-cancel api-issend
	api-unexp-handler mx-pingpong api-many-endpoints api-timeout
	api-unexp-consume"

omx_twohost_up || exit 0

for p in $PROGRAMS; do
	omx_pair_prog "" "$p" || exit 0
done
for p in $PROGRAMS; do
	t0=$(date +%s)
	tap_import "$p self" "$p" --self
	tap_diag "$p --self took $(($(date +%s) - t0)) s"
done
peer_barrier api-all-done 900 || exit 0
tap_check "open-mx unloads" omx_unload
