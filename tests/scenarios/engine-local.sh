#!/bin/sh
# engine-local: the Open-MX engine and library on one host, on the debug
# test kernel (lockdep, DEBUG_ATOMIC_SLEEP, kmemleak, SLUB and list
# debugging all watching).  A veth pair gives dom0 an Ethernet board; all
# traffic between its endpoints takes the same-host path through the
# driver: the whole omx-abi-check contract, every API test program in one
# process (--self), an unexpected handler consuming every message on each
# same-host path (api-unexp-consume: two endpoints, and one endpoint to its
# own address through the library and through the driver, with same-host
# shortcuts on and off), and omx_perf with sender and receiver on this host.
# Then the modules as installed: modprobe, the parameters, the load and
# unload order of open-mx and xen2mx-back.
# The boot's console and kmemleak checks then cover all of it.
# timeout: 1500
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-omx.sh

# busybox ip names the peer itself (vethN): find it by its ifindex.
veth_up() {
	local peer_ifindex dev
	ip link add name omx0 type veth || return 1
	peer_ifindex=$(cat /sys/class/net/omx0/iflink)
	for dev in /sys/class/net/*; do
		[ "$(cat "$dev/ifindex")" = "$peer_ifindex" ] && omx_peer_dev=${dev##*/}
	done
	[ -n "$omx_peer_dev" ] || { echo "no peer of omx0 found"; return 1; }
	ip link set omx0 mtu 9000 && ip link set "$omx_peer_dev" mtu 9000 &&
		ip link set omx0 up && ip link set "$omx_peer_dev" up
}
tap_check "a veth pair at MTU 9000" veth_up || exit 0
# Nothing of ours may leave through the board: count what does.
echo 1 >/proc/sys/net/ipv6/conf/omx0/disable_ipv6 2>/dev/null
tx_before=$(cat /sys/class/net/omx0/statistics/tx_packets)
tap_check "open-mx loads with ifnames=omx0" omx_load ifnames=omx0 || exit 0
tap_check "the board is named local:0" omx_hostname -b 0 local:0

tap_import abi omx-abi-check -b 0

for p in api-sizes api-matching api-truncation-cancel api-issend \
	api-unexp-handler mx-pingpong api-many-endpoints api-timeout \
	api-unexp-consume; do
	t0=$(date +%s)
	tap_import "$p self" "$p" --self
	tap_diag "$p --self took $(($(date +%s) - t0)) s"
done

# The program written for Open-MX 1.5 sends to its own address with
# OMX_DISABLE_SELF=1 OMX_DISABLE_SHARED=1; the other same-host paths too.
t0=$(date +%s)
tap_import "api-unexp-consume self, OMX_DISABLE_SHARED=1" \
	env OMX_DISABLE_SHARED=1 api-unexp-consume --self
tap_import "api-unexp-consume own address (self path)" \
	api-unexp-consume --role server --own-endpoint
tap_import "api-unexp-consume own address through the driver" \
	env OMX_DISABLE_SELF=1 api-unexp-consume --role server --own-endpoint
tap_import "api-unexp-consume own address through the driver, OMX_DISABLE_SHARED=1" \
	env OMX_DISABLE_SELF=1 OMX_DISABLE_SHARED=1 \
	api-unexp-consume --role server --own-endpoint
tap_diag "api-unexp-consume's same-host paths took $(($(date +%s) - t0)) s"

omx_perf -w -e 0 >"$XEN2MX_RUN/perf-rx.log" 2>&1 &
rx=$!
sleep 1
tap_check "omx_perf on one host: 0 B..4 MiB, every byte verified" \
	omx_perf -w -d local:0 -V -E 4194305 -N 2 -W 1
# The receiver waits for a sender without limit: bound it once the sender ended.
_omx_wait_pid "$rx" "$OMX_PERF_RX_GRACE"
tap_check "its receiver ends cleanly" test $? = 0 || tap_diag "$(tail -n 20 "$XEN2MX_RUN/perf-rx.log")"
tap_diag "$(omx_counters -s -q 2>&1)"
tx_after=$(cat /sys/class/net/omx0/statistics/tx_packets)
tap_check "same-host traffic never touched the wire ($tx_before -> $tx_after frames sent on omx0)" \
	test "$tx_after" = "$tx_before"
none_open() { omx_endpoint_info | grep -q '^ *0 of [0-9]* endpoints open'; }
tap_check "no endpoint is left open" none_open
tap_check "open-mx unloads" omx_unload

# Installed the way make install does (/lib/modules/RELEASE/extra, then
# depmod): modprobe takes the Open-MX 1.5 parameters, loads open-mx for
# xen2mx-back, and open-mx cannot go from under it.
kdir=/lib/modules/$(uname -r)/extra
mods_install() {
	mkdir -p "$kdir" &&
		cp "$XEN2MX_ROOT/modules/open-mx.ko" "$XEN2MX_ROOT/modules/xen2mx-back.ko" "$kdir/" &&
		depmod
}
both_gone() {
	modprobe -r xen2mx-back 2>/dev/null
	[ -e /sys/module/open_mx ] && rmmod open_mx
	[ ! -e /sys/module/xen2mx_back ] && [ ! -e /sys/module/open_mx ]
}
if tap_check "the modules are installed under $kdir and indexed (depmod)" mods_install; then
	tap_check "modprobe open-mx ifnames=omx0 attaches omx0" \
		sh -c 'modprobe open-mx ifnames=omx0 && [ "$(cat /sys/module/open_mx/parameters/ifnames)" = omx0 ]'
	tap_check "modprobe xen2mx-back runs on the loaded open-mx" modprobe xen2mx-back
	tap_check "rmmod open_mx is refused while xen2mx-back uses it" \
		sh -c '! rmmod open_mx 2>/dev/null && [ -e /sys/module/open_mx/initstate ]'
	tap_check "xen2mx-back, then open-mx, unload" both_gone
	tap_check "modprobe xen2mx-back alone loads open-mx first" \
		sh -c 'modprobe xen2mx-back && [ -e /sys/module/open_mx/initstate ] && [ -e /sys/module/xen2mx_back/initstate ]'
	tap_check "both unload again" both_gone
	rm -f "$kdir/open-mx.ko" "$kdir/xen2mx-back.ko"
	depmod
fi
ip link del omx0
