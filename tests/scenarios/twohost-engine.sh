#!/bin/sh
# twohost-engine: dom0's Open-MX engine on each of two hosts.
#
# xen2mx-back attaches the link (ifnames=), reports it in /dev/open-mx,
# omx_info and the ifnames parameter; refuses, with a message that says
# what to do, an unknown interface, a link that is down or whose MTU is too
# small, and takes it back at run time (-IF, +IF).  The driver contract
# (omx-abi-check: every command, same-host frames, pulls, nacks, full
# queues) holds on each host.  Peer tables: static (omx_init_peers) with
# names, then dynamic (omxoed discovery; names learnt by HOST_QUERY).
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

link=$XEN2MX_LINK
me=$XEN2MX_HOST_NAME:0
peer=$XEN2MX_PEER_NAME:0

tap_check "open-mx loads with ifnames=$link" omx_load "ifnames=$link"
attached_is() { [ "$(omx_param ifnames)" = "$1" ]; }
tap_check "the ifnames parameter lists $link" attached_is "$link"
tap_check "/dev/open-mx reports $link" sh -c "cat /dev/open-mx | grep -x ' Interfaces: $link'"
tap_check "omx_hostname names the board $me" omx_hostname -b 0 "$me"
tap_check "omx_info shows one board named $me" sh -c \
	"omx_info | grep -q 'Found 1 boards' && omx_info | grep -F '$me (board #0 name $link'"

# Run-time attach and detach, and the refusals (the peer does the same
# meanwhile on its own link: no barrier until the link is back).
omx_dmesg_mark
bad_write() { ! omx_ifnames "$1" 2>/dev/null; }
tap_check "attaching an unknown interface is refused" bad_write +nosuch0
tap_check "... with a message naming it" omx_dmesg_has "cannot attach nosuch0: no such interface"
tap_check "-$link detaches it (no endpoint uses it)" omx_ifnames "-$link"
tap_check "ifnames is empty" attached_is ""
ip link set dev "$link" mtu 1500
omx_dmesg_mark
tap_check "attaching at MTU 1500 is refused" bad_write "+$link"
tap_check "... with a message that says what to do" omx_dmesg_has "ip link set $link mtu 9000"
ip link set dev "$link" mtu 9000
ip link set dev "$link" down
omx_dmesg_mark
tap_check "attaching a link that is down is refused" bad_write "+$link"
tap_check "... with a message that says what to do" omx_dmesg_has "ip link set $link up"
ip link set dev "$link" up
wait_for 30 sh -c "[ \"\$(cat /sys/class/net/$link/carrier)\" = 1 ]"
tap_check "+$link attaches it again" omx_ifnames "+$link"
tap_check "ifnames lists $link again" attached_is "$link"
tap_check "omx_hostname names it $me again" omx_hostname -b 0 "$me"
peer_barrier link-back 120 || exit 0

tap_import abi omx-abi-check -b 0

# Static peer table: both boards by name.
mac_of() { cat "/sys/class/net/$link/address"; }
peer_mac=$(peer_exchange board-mac "$(mac_of)" 60) || exit 0
printf '# two hosts\n%s %s\n%s %s\n' "$(mac_of)" "$me" "$peer_mac" "$peer" >"$XEN2MX_RUN/peers"
tap_check "omx_init_peers loads a static table" omx_init_peers "$XEN2MX_RUN/peers"
tap_check "omx_info lists the peer $peer with its address" sh -c \
	"omx_info | grep -E '^ *[0-9]+\\) $peer_mac $peer\$'"
tap_check "omx_info says the table is ready" sh -c "omx_info | grep -q 'Peer table is ready'"
printf '%s %s\nzz:00:00:00:00:01 bad:0\n' "$(mac_of)" "$me" >"$XEN2MX_RUN/bad-peers"
bad_peers() {
	out=$(omx_init_peers "$XEN2MX_RUN/bad-peers" 2>&1)
	rc=$?
	echo "$out"
	[ $rc != 0 ] && echo "$out" | grep -q "bad-peers:2"
}
tap_check "a bad peers file is refused naming its line" bad_peers
tap_check "... and the table is left as it was" sh -c "omx_info | grep -qF '$peer_mac $peer'"
peer_barrier static-done 120 || exit 0

# Dynamic discovery: an empty table, omxoed on both hosts.
tap_check "omx_init_peers -c clears the table" omx_init_peers -c
gone() { ! omx_info | grep -qF "$peer_mac"; }
tap_check "the peer is gone" gone
peer_barrier cleared 60 || exit 0
omxoed -f -p "$XEN2MX_RUN/omxoed.pid" >"$XEN2MX_RUN/omxoed.log" 2>&1 &
oed=$!
named() { omx_info | grep -E "^ *[0-9]+\\) $peer_mac $peer\$"; }
tap_check "omxoed discovers $peer and its name arrives (host query)" wait_for 60 named
peer_barrier discovered 120
kill "$oed" 2>/dev/null
wait "$oed" 2>/dev/null
tap_check "omxoed exits on SIGTERM" sh -c "! kill -0 $oed 2>/dev/null"
tap_check "open-mx unloads" omx_unload
