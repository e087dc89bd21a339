#!/bin/sh
# twohost-link: the two-host plumbing works (needs no xen2mx module).
#
# Both hosts see the link up at MTU 9000 and can synchronise over it; IPv4
# crosses it, 9000-octet packets too; raw Open-MX frames (ethertype 0x86DF)
# of 60 octets and of 9014, the most an MTU of 9000 carries, arrive intact
# in both directions; netem drops about 5% of what hostA sends while
# installed and nothing once removed; the payload's programs and the network
# tools find their shared libraries.
# timeout: 420
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh

link_at_mtu_9000() {
	local state mtu
	state=$(cat "/sys/class/net/$XEN2MX_LINK/operstate")
	mtu=$(cat "/sys/class/net/$XEN2MX_LINK/mtu")
	echo "$XEN2MX_LINK: operstate $state, mtu $mtu"
	[ "$state" = up ] && [ "$mtu" = 9000 ]
}
tap_check "link ${XEN2MX_LINK:-?} is up at MTU 9000" link_at_mtu_9000

# Proves the exchange both ways: each host learns the other's MAC from it.
peer_mac=$(peer_exchange mac "$XEN2MX_LOCAL_MAC" 60)
rc=$?
if [ $rc = 0 ] && [ "$peer_mac" = "$XEN2MX_PEER_MAC" ]; then
	tap_ok "peer_exchange gets $XEN2MX_PEER_NAME's MAC ($peer_mac)"
else
	tap_fail "peer_exchange gets $XEN2MX_PEER_NAME's MAC" "got '$peer_mac' (status $rc)"
	exit 0
fi

tap_check "ping $XEN2MX_PEER_NAME at $XEN2MX_PEER_IP" ping -c 3 -W 5 "$XEN2MX_PEER_IP"
# 8972 octets of data + 8 ICMP + 20 IP = 9000: one full frame each way.
tap_check "ping with 9000-octet IPv4 packets" ping -c 3 -W 5 -s 8972 "$XEN2MX_PEER_IP"
peer_barrier pings-done 120 || exit 0

# Raw frames from host $1 to the other one. The receiver captures first;
# the sender sends once told so, then passes on what its sends printed
# ("sent 1 frames len=L fnv=H"), so the receiver can check each frame's
# length and hash (which covers every octet: addresses, type, peer index).
rx_log=$XEN2MX_RUN/raw-rx.log
rx_err=$XEN2MX_RUN/raw-rx.err
sent_status() {
	printf '%s\n' "$sent"
	return "$sent_rc"
}
raw_frames_from() {
	local from=$1 tag=raw-from-$1 pid sent line len hash n
	if host_is "$from"; then
		peer_barrier "$tag-listening" 60 || return 1
		sent=$(omx-rawframe send -i "$XEN2MX_LINK" -d "$XEN2MX_PEER_MAC" -t 0x25 -p 7 \
			-b 00010203:04:05:06:07 2>&1) &&
			sent="$sent / $(omx-rawframe send -i "$XEN2MX_LINK" -d "$XEN2MX_PEER_MAC" \
				-t 0x2a -p 7 -b 0badcafe -l 9014 2>&1)"
		sent_rc=$?
		# Told even after a failure, so that the receiver does not wait.
		peer_send "$tag-sent" "$sent" 60 || return 1
		tap_check "omx-rawframe sends frames of 60 and 9014 octets to $XEN2MX_PEER_NAME" \
			sent_status
		return 0
	fi
	omx-rawframe recv -i "$XEN2MX_LINK" -w 60 -n 2 >"$rx_log" 2>"$rx_err" &
	pid=$!
	if ! wait_for 30 grep -q listening "$rx_err" >/dev/null; then
		tap_fail "omx-rawframe recv starts capturing" "$(cat "$rx_err")"
		kill "$pid" 2>/dev/null
		return 1
	fi
	peer_barrier "$tag-listening" 60 || return 1
	sent=$(peer_recv "$tag-sent" 60) || return 1
	wait "$pid"
	n=0
	for line in $(printf '%s\n' "$sent" | sed -n 's/.*len=\([0-9]*\) fnv=\([0-9a-f]*\).*len=\([0-9]*\) fnv=\([0-9a-f]*\).*/\1:\2 \3:\4/p'); do
		len=${line%:*}
		hash=${line#*:}
		grep -qx "len=$len type=0x[0-9a-f]* peer_index=0x0007 src=$XEN2MX_PEER_MAC dst=$XEN2MX_LOCAL_MAC fnv=$hash" \
			"$rx_log" && n=$((n + 1))
	done
	if [ $n = 2 ]; then
		tap_ok "frames of 60 and 9014 octets from $XEN2MX_PEER_NAME arrive intact"
	else
		tap_fail "frames of 60 and 9014 octets from $XEN2MX_PEER_NAME arrive intact" \
			"$XEN2MX_PEER_NAME sent: $sent" "received:" "$(cat "$rx_log" "$rx_err")"
	fi
}
raw_frames_from 1 || exit 0
raw_frames_from 2 || exit 0

# netem on hostA's side only: it drops hostA's echo requests. 200 pings at
# 5% lose 10 on average; none lost has a chance of 0.95^200 (4e-5), more
# than 40 far less.
if host_is 1; then
	tap_check "netem 5% loss installs on $XEN2MX_LINK" link_netem loss 5%
	out=$(ping -q -c 200 -i 0.02 -W 5 "$XEN2MX_PEER_IP" 2>&1)
	lost=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' |
		awk '{ print $1 - $2 }')
	if [ -n "$lost" ] && [ "$lost" -ge 1 ] && [ "$lost" -le 40 ]; then
		tap_ok "netem drops some of 200 pings ($lost lost)"
	else
		tap_fail "netem drops some of 200 pings (1 to 40)" "lost: '${lost}'" "$out"
	fi
	tap_check "netem is removed" link_netem_clear
	no_netem() { ! tc qdisc show dev "$XEN2MX_LINK" | grep netem; }
	tap_check "no netem left on $XEN2MX_LINK" no_netem
	out=$(ping -q -c 100 -i 0.02 -W 5 "$XEN2MX_PEER_IP" 2>&1)
	if printf '%s\n' "$out" | grep -q '100 packets transmitted, 100 packets received'; then
		tap_ok "no ping lost once netem is removed"
	else
		tap_fail "no ping lost once netem is removed" "$out"
	fi
	# Reordering needs a delay to reorder against.
	tap_check "netem delay with 25% reordering installs" link_netem delay 2ms reorder 25% 50%
	tap_check "and is removed" link_netem_clear
fi
peer_barrier netem-done 180 || exit 0

# Every program the images bring, with all its libraries found: the
# payload's (libopen-mx among them once it exists) and the network tools.
libraries_found() {
	local prog out bad=0
	for prog in "$XEN2MX_ROOT"/bin/* /usr/sbin/tc /usr/sbin/ip /usr/bin/iperf3 /usr/bin/sockperf; do
		# Scripts have no libraries; ELF files start with 0x7f E L F.
		[ "$(head -c 4 "$prog" | tail -c 3)" = ELF ] || continue
		if ! out=$(/lib64/ld-linux-x86-64.so.2 --list "$prog" 2>&1) ||
			printf '%s\n' "$out" | grep -q 'not found'; then
			echo "$prog:"
			printf '%s\n' "$out"
			bad=1
		fi
	done
	return $bad
}
tap_check "the payload's programs and the network tools find their libraries" libraries_found
