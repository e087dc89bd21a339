# shellcheck shell=sh
# lib-twohost.sh: the two-host API of test-bed scenarios, sourced in dom0
# after lib-dom0.sh:
#
#   . /opt/xen2mx/lib/lib-dom0.sh
#   . /opt/xen2mx/lib/lib-twohost.sh
#
# In a two-host boot (KERNEL@2 in boots.txt) two QEMU machines, host 1
# ("hostA") and host 2 ("hostB"), each Xen + dom0 (or one of them plain
# Linux: KERNEL@2:bareN), run the same scenarios.
# Their only link is a virtio-net NIC on each, joined by QEMU's dgram netdev
# (UDP over 127.0.0.1 on the machine running the test bed). The runner sets
# the link up before the first scenario and makes both hosts start every
# scenario together (a barrier), so a scenario only synchronises its own
# steps. Results carry the host: "BOOT: hostA: SCENARIO: DESC".
#
# Environment (derived here from XEN2MX_HOST, which init-dom0.sh takes from
# "xen2mx.host=N" on dom0's command line)
#   XEN2MX_HOST        1 or 2: this host        XEN2MX_PEER   the other one
#   XEN2MX_HOST_NAME   hostA or hostB           XEN2MX_PEER_NAME
#   XEN2MX_LINK        the link's interface (found by its MAC), e.g. eth0
#   XEN2MX_LINK_MTU    9000
#   XEN2MX_LOCAL_MAC   02:58:32:00:00:0N        XEN2MX_PEER_MAC
#   XEN2MX_LOCAL_IP    10.77.0.N (/24)          XEN2MX_PEER_IP
#   XEN2MX_BARE_HOST   in a KERNEL@2:bareN boot, N: the host that is plain
#                      Linux in QEMU, no Xen (init-dom0.sh takes it from
#                      "xen2mx.bare=N"); empty when both hosts run Xen.
#                      The bare host has no xl, xenstore or guests: the
#                      guest_*, xs_* and xenstore helpers of lib-dom0.sh are
#                      for the other host only.
#
# Synchronisation (one line of text over TCP port 7700 on the link: host 1
# listens, host 2 connects). Both hosts make the same calls in the same
# order; one at a time per host. A timeout (seconds) defaults to 120. Each
# returns non-zero with a one-line reason on stderr on timeout, or when the
# peer is at another step (the names differ: the scenario halves diverged).
#   peer_barrier NAME [TIMEOUT]        wait until the peer reaches NAME too
#   peer_exchange NAME VALUE [TIMEOUT] barrier that swaps one line of text:
#                                      prints the peer's VALUE
#   peer_send NAME VALUE [TIMEOUT]     one host sends VALUE, while ...
#   peer_recv NAME [TIMEOUT]           ... the other prints it
#
# The peer's life
#   peer_alive                    the peer answers one ping (1 s)
#   peer_wait_down [TIMEOUT]      wait until the peer has missed 3 pings in a
#                                 row (default 120 s), i.e. it is powered off
#   host_power_off                cut this host's power at once, like a pulled
#                                 plug: results so far are kept, nothing else
#                                 runs. Only for a scenario that declares it in
#                                 its header, "# powers-off: N" (N = the host
#                                 that calls it); such a scenario must be the
#                                 last of its boot, and the host side expects
#                                 that machine to stop there.
#
# Helpers
#   host_is N                     true on host N
#   host_is_bare                  true on the bare host of a KERNEL@2:bareN boot
#   link_netem ARG...             tc qdisc replace dev LINK root netem ARG...
#                                 (e.g. "loss 5%", "delay 1ms reorder 25%")
#   link_netem_clear              back to the default qdisc (the runner also
#                                 does this after every scenario)
#
# The dom0 image of a two-host boot also has iproute2's ip and tc (sch_netem
# loaded), iperf3, sockperf and omx-rawframe (tests/tools). busybox sh runs
# its own applets before anything on PATH, so "ip" and "tc" are functions
# here that run iproute2's; a child "sh -c" must say /usr/sbin/tc.

XEN2MX_PEER_PORT=${XEN2MX_PEER_PORT:-7700}
XEN2MX_LINK_MTU=${XEN2MX_LINK_MTU:-9000}

case ${XEN2MX_HOST:-} in
1 | 2) ;;
*)
	echo "lib-twohost.sh: XEN2MX_HOST is '${XEN2MX_HOST:-}', not 1 or 2: not a two-host boot" >&2
	return 1 2>/dev/null || exit 1
	;;
esac
XEN2MX_PEER=$((3 - XEN2MX_HOST))
_twohost_name() { if [ "$1" = 1 ]; then echo hostA; else echo hostB; fi; }
XEN2MX_HOST_NAME=$(_twohost_name "$XEN2MX_HOST")
XEN2MX_PEER_NAME=$(_twohost_name "$XEN2MX_PEER")
# run-testbed.sh gives host N's NIC this MAC.
XEN2MX_LOCAL_MAC=02:58:32:00:00:0$XEN2MX_HOST
XEN2MX_PEER_MAC=02:58:32:00:00:0$XEN2MX_PEER
XEN2MX_LOCAL_IP=10.77.0.$XEN2MX_HOST
XEN2MX_PEER_IP=10.77.0.$XEN2MX_PEER

_twohost_find_link() {
	local dev
	for dev in /sys/class/net/*; do
		if [ "$(cat "$dev/address" 2>/dev/null)" = "$XEN2MX_LOCAL_MAC" ]; then
			basename "$dev"
			return 0
		fi
	done
	return 1
}
XEN2MX_LINK=$(_twohost_find_link)
export XEN2MX_HOST XEN2MX_PEER XEN2MX_HOST_NAME XEN2MX_PEER_NAME XEN2MX_LINK \
	XEN2MX_LINK_MTU XEN2MX_LOCAL_MAC XEN2MX_PEER_MAC XEN2MX_LOCAL_IP XEN2MX_PEER_IP
XEN2MX_BARE_HOST=${XEN2MX_BARE_HOST:-}
export XEN2MX_BARE_HOST

host_is() {
	[ "$XEN2MX_HOST" = "$1" ]
}

host_is_bare() {
	[ "$XEN2MX_HOST" = "$XEN2MX_BARE_HOST" ]
}

ip() {
	/usr/sbin/ip "$@"
}

tc() {
	/usr/sbin/tc "$@"
}

# ---------------------------------------------------------------- the link

# Called once by the runner before the first scenario.
twohost_link_up() {
	if [ -z "$XEN2MX_LINK" ]; then
		echo "no interface has MAC $XEN2MX_LOCAL_MAC; interfaces: $(ls /sys/class/net | tr '\n' ' ')"
		return 1
	fi
	ip link set dev lo up
	# No IPv6 on the link: its neighbour discovery would add frames to
	# every capture and benchmark.
	echo 1 >"/proc/sys/net/ipv6/conf/$XEN2MX_LINK/disable_ipv6" 2>/dev/null
	ip link set dev "$XEN2MX_LINK" mtu "$XEN2MX_LINK_MTU" || return 1
	ip link set dev "$XEN2MX_LINK" up || return 1
	ip addr add "$XEN2MX_LOCAL_IP/24" dev "$XEN2MX_LINK" || return 1
	wait_for 30 _twohost_carrier
}

_twohost_carrier() {
	[ "$(cat "/sys/class/net/$XEN2MX_LINK/carrier" 2>/dev/null)" = 1 ]
}

link_netem() {
	tc qdisc replace dev "$XEN2MX_LINK" root netem "$@"
}

link_netem_clear() {
	# Deleting the root qdisc when there is only the default one fails:
	# only a netem qdisc is removed.
	if tc qdisc show dev "$XEN2MX_LINK" | grep -q netem; then
		tc qdisc del dev "$XEN2MX_LINK" root
	fi
}

# ---------------------------------------------------------------- peers

# One exchange is one TCP connection on which both ends send their line
# "xen2mx-peer HOST NAME VALUE" and read the other's. busybox nc sends its
# stdin first when it is a file (always readable), then half-closes and
# reads until the other end closes, so neither line can be lost to a race.
peer_exchange() {
	local name="$1" value="$2" t="${3:-120}" out in deadline left tag from pname pvalue
	case $name in
	"" | *[!A-Za-z0-9._-]*)
		echo "peer_exchange: NAME '$name' must be one word of letters, digits, . _ -" >&2
		return 2
		;;
	esac
	case $value in
	*"
"*)
		echo "peer_exchange $name: VALUE must be one line" >&2
		return 2
		;;
	esac
	out=$XEN2MX_RUN/peer.out
	in=$XEN2MX_RUN/peer.in
	printf 'xen2mx-peer %s %s %s\n' "$XEN2MX_HOST" "$name" "$value" >"$out"
	deadline=$(($(date +%s) + t))
	while :; do
		: >"$in"
		left=$((deadline - $(date +%s)))
		[ "$left" -gt 0 ] || break
		if host_is 1; then
			timeout "$left" nc -l -p "$XEN2MX_PEER_PORT" <"$out" >"$in" 2>/dev/null
		else
			timeout 10 nc -w 2 "$XEN2MX_PEER_IP" "$XEN2MX_PEER_PORT" <"$out" >"$in" 2>/dev/null
		fi
		[ -s "$in" ] && break
		# Refused (host 1 not listening yet), or a connection that died
		# before the peer's line: try again shortly.
		sleep 0.3
	done
	if [ ! -s "$in" ]; then
		echo "peer_exchange $name: no word from $XEN2MX_PEER_NAME ($XEN2MX_PEER_IP) within $t s" >&2
		return 1
	fi
	read -r tag from pname pvalue <"$in"
	if [ "$tag" != xen2mx-peer ] || [ "$from" != "$XEN2MX_PEER" ]; then
		echo "peer_exchange $name: garbled answer: $(head -c 200 "$in")" >&2
		return 1
	fi
	if [ "$pname" != "$name" ]; then
		echo "peer_exchange $name: $XEN2MX_PEER_NAME is at '$pname' instead" >&2
		return 1
	fi
	printf '%s\n' "$pvalue"
}

peer_barrier() {
	peer_exchange "$1" "" "${2:-120}" >/dev/null
}

peer_send() {
	peer_exchange "$1" "$2" "${3:-120}" >/dev/null
}

peer_recv() {
	peer_exchange "$1" "" "${2:-120}"
}

peer_alive() {
	ping -c 1 -W 1 "$XEN2MX_PEER_IP" >/dev/null 2>&1
}

peer_wait_down() {
	local t="${1:-120}" deadline missed=0
	deadline=$(($(date +%s) + t))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		if peer_alive; then
			missed=0
			sleep 0.5
		else
			missed=$((missed + 1))
			[ $missed -ge 3 ] && return 0
		fi
	done
	echo "peer_wait_down: $XEN2MX_PEER_NAME still answers pings after $t s" >&2
	return 1
}

# The declared host of the scenario being run ("# powers-off: N"), if any.
twohost_powers_off() {
	head -n 30 "$1" | sed -n 's/^# powers-off: *\([0-9]\).*/\1/p' | head -n 1
}

host_power_off() {
	local file=$XEN2MX_ROOT/scenarios/$XEN2MX_SCENARIO.sh
	if [ "$(twohost_powers_off "$file")" != "$XEN2MX_HOST" ]; then
		tap_fail "host_power_off is declared" \
			"$XEN2MX_SCENARIO.sh has no '# powers-off: $XEN2MX_HOST' header line"
		return 1
	fi
	echo "XEN2MX: $XEN2MX_HOST_NAME powered off by scenario $XEN2MX_SCENARIO at $(cut -d' ' -f1 /proc/uptime) s"
	# What init-dom0.sh prints at its end, minus everything that would take
	# time: the results so far, then exit byte 2 ("powered off on purpose").
	echo "XEN2MX-RESULTS-BEGIN"
	cat "$XEN2MX_TAP_FILE"
	echo "XEN2MX-RESULTS-END"
	echo "XEN2MX-EXIT: 2"
	# Let the console drain through Xen's serial line first.
	sleep 1
	printf '\002' | dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	sleep 5
	echo "XEN2MX: the exit port did not stop QEMU, powering off"
	poweroff -f
}
