#!/bin/sh
# guest-bench: the one-host numbers of `make bench` (tests/bench/run-bench.sh),
# all measured in this one boot.  dom0's engine has one board on a veth (as
# in guest-omx.sh); two guests g1 and g2 are each a board of their own riding
# on it (xen2mx) and each also has a standard vif on a dom0 bridge (netback,
# 10.77.0.1 and .2, a subnet that never leaves the test bed).  g1 receives or
# serves, g2 sends or is the client.
# timeout: 600
# guest-net-tools: yes
#
#   tcp-vif:*       TCP between g1 and g2 over their vifs and the bridge:
#                   sockperf ping-pong (median one-way latency, 64 B and
#                   4 KiB), iperf3 (one stream, what the receiver got)
#   omx-dom0:*      omx_perf between two processes of dom0 on dom0's board
#                   (the native engine, same-host delivery)
#   xen2mx-guest:*  omx_perf from g2 to g1 through xen2mx
#
#   latency_64B, latency_4KiB  half the round trip of a ping-pong, us
#                              (omx_perf: mean of 1000 and 500 iterations)
#   bandwidth                  MB/s (10^6 octets/s): iperf3, or omx_perf -U
#                              with 4 MiB messages
# Every omx_perf here sleeps in omx_wait (-w), as sockperf and iperf3 sleep
# in the kernel: dom0 has one vCPU, where two polling processes would only
# take turns.  The ratios are against TCP over the vif and against dom0's
# native path.
#
# Then the backend's costs per message, from its debugfs counters of g2's
# device (send-SIZE columns) and of g1's (recv-SIZE), for omx_perf -U (one
# way, no ping-pong) with 8-octet (tiny), 16 KiB (medium) and 1 MiB (large)
# messages.  Each size runs twice, N1 and N2 messages; (costs of run 2 -
# costs of run 1) / (N2 - N1) leaves out what does not depend on the number
# of messages: opening, connecting, the parameters, the acknowledgement.
#   ring_slots     XEN2MX_OP_OMX requests (omx_requests)
#   notifications  event-channel notifications the backend sent (ring
#                  responses and kicks)
#   kicks          of which endpoint kicks
#   copy_ops       grant-copy operations
#   copy_calls     GNTTABOP_copy hypercalls
#   copy_bytes     octets grant-copied
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/scenarios/lib-xen2mx.sh
. /opt/xen2mx/scenarios/lib-omx.sh

LINK=omxg0			# dom0's Open-MX board: one end of a veth pair
. /opt/xen2mx/scenarios/lib-guest.sh
DOM0_BOARD=dom0:0
BRIDGE=xenbr0			# the guests' vifs
SUBNET=10.77.0
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
SOCKPERF_PORT=11111
IPERF_PORT=5201
PERF_WAIT=330			# seconds an omx_perf run may take
OMX_WAIT=-w			# omx_perf sleeps in omx_wait
VIF_SCRIPT=$XEN2MX_RUN/vif-bench
log=$XEN2MX_RUN/bench

# ---------------------------------------------------------------- helpers

# The bridge and xl's hotplug script for the vifs: xl's own vif-bridge needs
# bash and more than this dom0 has.  netback connects once the script wrote
# hotplug-status=connected.
bridge_up() {
	ip link add name "$BRIDGE" type bridge || return 1
	echo 1 >"/proc/sys/net/ipv6/conf/$BRIDGE/disable_ipv6" 2>/dev/null
	ip link set "$BRIDGE" up || return 1
	cat >"$VIF_SCRIPT" <<EOF
#!/bin/sh
# xl's vif hotplug script for guest-bench: online puts the vif on $BRIDGE.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
dev=\${vif:-}
if [ -z "\$dev" ]; then
	p=\${XENBUS_PATH#/local/domain/0/backend/vif/}
	dev=vif\${p%%/*}.\${p##*/}
fi
case \$1 in
online | add)
	echo 1 >/proc/sys/net/ipv6/conf/\$dev/disable_ipv6 2>/dev/null
	if ! ip link set "\$dev" master $BRIDGE || ! ip link set "\$dev" up; then
		xenstore-write "\$XENBUS_PATH/hotplug-error" "cannot put \$dev on $BRIDGE"
		exit 1
	fi
	xenstore-write "\$XENBUS_PATH/hotplug-status" connected
	;;
esac
exit 0
EOF
	chmod 0755 "$VIF_SCRIPT"
}

n_of() {
	case $1 in g1) echo 1 ;; g2) echo 2 ;; esac
}

# guest_up G: start G with its vif, load its frontend, attach it as board
# G:0 on dom0's board, give its vif its address.  One result per step.
guest_up() {
	local g=$1 n t0
	n=$(n_of "$g")
	t0=$(date +%s)
	tap_check "guest $g starts with a vif on $BRIDGE" guest_start "$g" \
		"vif = ['mac=02:00:00:00:02:0$n,bridge=$BRIDGE,script=$VIF_SCRIPT']" || return 1
	tap_diag "guest $g started in $(($(date +%s) - t0)) s"
	tap_check "frontend module loads in $g" guest_frontend_load "$g" || return 1
	tap_check "$g attaches as $g:0 and both ends reach Connected" attach_connected "$g" \
		--mac "02:00:00:00:01:0$n" --hostname "$g:0" --board "$LINK" || return 1
	tap_check "$g's vif is $SUBNET.$n/24" guest_exec "$g" \
		"echo 1 >/proc/sys/net/ipv6/conf/eth0/disable_ipv6; ip link set eth0 up && ip addr add $SUBNET.$n/24 dev eth0"
}

# guest_log G TAG: the end of G's /tmp/TAG.log (escape codes removed).
guest_log() {
	guest_exec "$1" "tr -d '\\033' </tmp/$2.log | tail -n 25"
}

# The number of the "length LEN:" line of omx_perf's output (stdin), field F.
perf_field() {
	awk -v l="length $1:" -v f="$2" 'index($0, l) == 1 { print $f }'
}

# guest_perf TAG ARGS...: omx_perf receiver in g1, sender in g2 with ARGS
# (towards g1:0); prints the sender's output, non-zero if either failed.
guest_perf() {
	local tag=$1
	shift
	guest_bg g1 "$tag-rx" "omx_perf $OMX_WAIT -e 0" || return 1
	if ! wait_for 60 guest_exec g1 "grep -q 'Starting receiver' /tmp/$tag-rx.log" >/dev/null; then
		echo "the receiver in g1 did not start:"
		guest_log g1 "$tag-rx"
		guest_exec g1 "kill \$(cat /tmp/$tag-rx.pid)" >/dev/null 2>&1
		return 1
	fi
	guest_bg g2 "$tag-tx" "omx_perf $OMX_WAIT -d g1:0 $*"
	guest_bg_wait g2 "$tag-tx" $PERF_WAIT
	guest_bg_wait g1 "$tag-rx" 60
	guest_log g2 "$tag-tx"
	guest_exec g2 "grep -qx rc=0 /tmp/$tag-tx.log" || return 1
	guest_exec g1 "grep -qx rc=0 /tmp/$tag-rx.log" ||
		{ echo "the receiver in g1:"; guest_log g1 "$tag-rx"; return 1; }
}

# dom0_perf TAG ARGS...: the same between two processes of dom0.
dom0_perf() {
	local tag=$1 pid rc
	shift
	omx_perf $OMX_WAIT -e 0 >"$log.$tag-rx" 2>&1 &
	pid=$!
	if ! wait_for 60 grep -q 'Starting receiver' "$log.$tag-rx" >/dev/null; then
		kill "$pid" 2>/dev/null
		echo "the receiver did not start:"
		cat "$log.$tag-rx"
		return 1
	fi
	timeout $PERF_WAIT omx_perf $OMX_WAIT -d "$DOM0_BOARD" "$@" 2>&1
	rc=$?
	# The receiver ends with the sender, or gives up within its own stall
	# timeout (60 s).
	wait_for 70 _gone "$pid" >/dev/null 2>&1 || kill "$pid" 2>/dev/null
	wait "$pid" || { echo "the receiver failed:"; cat "$log.$tag-rx"; rc=1; }
	return $rc
}

_gone() {
	! kill -0 "$1" 2>/dev/null
}

# perf_report TRANSPORT METRIC LEN FIELD UNIT RUNNER TAG ARGS...: one
# omx_perf run through RUNNER (guest_perf or dom0_perf), its result for
# length LEN reported as TRANSPORT:METRIC.
perf_report() {
	local transport=$1 metric=$2 len=$3 field=$4 unit=$5 runner=$6 tag=$7 out value
	shift 7
	out=$("$runner" "$tag" -s "$len" -E "$len" "$@" 2>&1)
	value=$(printf '%s\n' "$out" | perf_field "$len" "$field")
	if [ -n "$value" ]; then
		tap_ok "omx_perf $transport $tag: $value $unit"
		bench_report "$transport:$metric" "$value" "$unit"
	else
		tap_fail "omx_perf $transport $tag" "$out"
	fi
}

# The counters of guest G's device, in the order of COUNTERS.
COUNTERS="omx_requests notifications kicks copy_ops copy_calls copy_bytes"
METRICS="ring_slots notifications kicks copy_ops copy_calls copy_bytes"
dev_counters() {
	local domid file c v line=
	domid=$(guest_domid "$1") || return 1
	file=/sys/kernel/debug/xen2mx-back/$domid.0
	for c in $COUNTERS; do
		v=$(dom0_debugfs_value "$file" "$c") || { echo "no $c in $file" >&2; return 1; }
		line="$line $v"
	done
	echo $line
}

# cost_run TAG N SIZE: omx_perf -U with N messages of SIZE from g2 to g1;
# prints what it cost on each device: "send: C..." and "recv: C..." (the
# counters' increments, in the order of COUNTERS).
cost_run() {
	local tag=$1 n=$2 size=$3 s0 r0 s1 r1 out
	s0=$(dev_counters g2) && r0=$(dev_counters g1) || return 1
	out=$(guest_perf "$tag" -U -S "$size" -E "$((size + 1))" -N "$n" -W 0 2>&1) ||
		{ echo "$out"; return 1; }
	s1=$(dev_counters g2) && r1=$(dev_counters g1) || return 1
	echo "send: $(diff_counters "$s0" "$s1")"
	echo "recv: $(diff_counters "$r0" "$r1")"
}

diff_counters() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		n = split(a, x, " "); split(b, y, " ")
		for (i = 1; i <= n; i++) printf "%s%.0f", (i > 1 ? " " : ""), y[i] - x[i]
		printf "\n"
	}'
}

# cost_size NAME SIZE N1 N2: the per-message costs of SIZE-octet messages,
# reported as send-NAME:METRIC and recv-NAME:METRIC.
cost_size() {
	local name=$1 size=$2 n1=$3 n2=$4 a b side line1 line2 i m v unit
	if ! a=$(cost_run "cost-$name-1" "$n1" "$size"); then
		tap_fail "costs of $name messages: omx_perf -U -N $n1" "$a"
		return 1
	fi
	if ! b=$(cost_run "cost-$name-2" "$n2" "$size"); then
		tap_fail "costs of $name messages: omx_perf -U -N $n2" "$b"
		return 1
	fi
	tap_ok "costs of $name messages: omx_perf -U with $n1 and with $n2 messages of $size octets"
	tap_diag "increments over $n1 messages ($COUNTERS):"
	tap_diag "$a"
	tap_diag "over $n2 messages:"
	tap_diag "$b"
	for side in send recv; do
		line1=$(printf '%s\n' "$a" | sed -n "s/^$side: //p")
		line2=$(printf '%s\n' "$b" | sed -n "s/^$side: //p")
		i=0
		for m in $METRICS; do
			i=$((i + 1))
			v=$(awk -v a="$line1" -v b="$line2" -v i=$i -v n=$((n2 - n1)) 'BEGIN {
				split(a, x, " "); split(b, y, " ")
				v = (y[i] - x[i]) / n
				if (v < 0) v = 0	# noise: never a negative cost
				if (v == int(v)) printf "%.0f\n", v; else printf "%.2f\n", v
			}')
			case $m in copy_bytes) unit=B/msg ;; *) unit=/msg ;; esac
			bench_report "$side-$name:$m" "$v" "$unit"
		done
	done
}

listening_in() {
	guest_exec "$1" "netstat -ltn | grep -q ':$2 '"
}

# ---------------------------------------------------------------- set-up

t_start=$(date +%s)
tap_check "a veth pair $LINK at MTU 9000" veth_up || exit 0
tap_check "open-mx and xen2mx-back load with ifnames=$LINK" xen2mx_load ifnames=$LINK || exit 0
tap_check "dom0's board is named $DOM0_BOARD" omx_hostname -b 0 $DOM0_BOARD || exit 0
tap_check "bridge $BRIDGE for the guests' vifs" bridge_up || exit 0
guest_up g1 || exit 0
guest_up g2 || exit 0
tap_check "g2 reaches g1 over the vifs" guest_exec g2 "ping -c 3 -W 10 $SUBNET.1" || exit 0
tap_diag "set-up took $(($(date +%s) - t_start)) s"
bench_baseline tcp-vif omx-dom0
bench_note "guest-bench: one host; two PV guests: xen2mx vs dom0 native Open-MX vs TCP over vif/netback; omx_perf -w"
bench_note "costs per message: backend counters of the sender's (send-) and receiver's (recv-) device, omx_perf -U, (run of N2 - run of N1) / (N2 - N1)"

# ---------------------------------------------------------------- TCP over the vifs

t0=$(date +%s)
guest_bg g1 sockperf-server "sockperf server --tcp -i $SUBNET.1 -p $SOCKPERF_PORT"
guest_bg g1 iperf3-server "iperf3 -s -B $SUBNET.1 -p $IPERF_PORT"
tap_check "sockperf server listens in g1" wait_for 60 listening_in g1 $SOCKPERF_PORT
tap_check "iperf3 server listens in g1" wait_for 60 listening_in g1 $IPERF_PORT

# sockperf prints "---> percentile 50.000 =   50.484" (us, half the round
# trip), and "====> avg-latency=52.1 (std-dev=...)": the median is the number
# (as in twohost-bench.sh), the mean a diagnostic (omx_perf's is a mean).
sockperf_latency() {
	local size=$1 metric=$2 tag=sockperf-$1 median mean
	guest_bg g2 "$tag" "sockperf ping-pong --tcp -i $SUBNET.1 -p $SOCKPERF_PORT -m $size -t $SECONDS_PER_RUN"
	guest_bg_wait g2 "$tag" $((SECONDS_PER_RUN + 60))
	median=$(guest_exec g2 "tr -d '\\033' </tmp/$tag.log | sed -n 's/.*percentile 50\\.000 = *\\([0-9.]*\\).*/\\1/p'")
	mean=$(guest_exec g2 "sed -n 's/.*avg-latency=\\([0-9.]*\\).*/\\1/p' /tmp/$tag.log")
	if [ -n "$median" ]; then
		tap_ok "sockperf ping-pong g2 -> g1, $size-octet messages over TCP: median $median us one way"
		tap_diag "sockperf $size B: mean $mean us"
		bench_report "tcp-vif:$metric" "$median" us
	else
		tap_fail "sockperf ping-pong g2 -> g1, $size-octet messages over TCP" "$(guest_log g2 "$tag")"
	fi
}
sockperf_latency 64 latency_64B
sockperf_latency 4096 latency_4KiB

# iperf3's receiver line: "[  5]   0.00-10.00  sec   123 MBytes  98.7 Mbits/sec   receiver".
guest_bg g2 iperf3 "iperf3 -c $SUBNET.1 -p $IPERF_PORT -t $SECONDS_PER_RUN -f m"
guest_bg_wait g2 iperf3 $((SECONDS_PER_RUN + 60))
mbits=$(guest_exec g2 "awk '/receiver\$/ { for (i = 1; i < NF; i++) if (\$(i + 1) == \"Mbits/sec\") v = \$i } END { print v }' /tmp/iperf3.log")
if [ -n "$mbits" ]; then
	mbs=$(awk -v m="$mbits" 'BEGIN { printf "%.1f", m / 8 }')
	tap_ok "iperf3 g2 -> g1 over TCP: $mbs MB/s"
	bench_report tcp-vif:bandwidth "$mbs" MB/s
else
	tap_fail "iperf3 g2 -> g1 over TCP" "$(guest_log g2 iperf3)"
fi
guest_exec g1 "kill \$(cat /tmp/sockperf-server.pid) \$(cat /tmp/iperf3-server.pid)" >/dev/null
tap_diag "TCP over the vifs took $(($(date +%s) - t0)) s"

# ---------------------------------------------------------------- Open-MX

t0=$(date +%s)
perf_report omx-dom0 latency_64B 64 3 us dom0_perf lat64 -N 1000 -W 50
perf_report omx-dom0 latency_4KiB 4096 3 us dom0_perf lat4k -N 500 -W 20
perf_report omx-dom0 bandwidth 4194304 5 MB/s dom0_perf bw -U -N 20 -W 2
tap_diag "dom0 native took $(($(date +%s) - t0)) s"

t0=$(date +%s)
perf_report xen2mx-guest latency_64B 64 3 us guest_perf lat64 -N 1000 -W 50
perf_report xen2mx-guest latency_4KiB 4096 3 us guest_perf lat4k -N 500 -W 20
perf_report xen2mx-guest bandwidth 4194304 5 MB/s guest_perf bw -U -N 20 -W 2
tap_diag "guest to guest took $(($(date +%s) - t0)) s"


# ---------------------------------------------------------------- costs per message

t0=$(date +%s)
cost_size 8B 8 50 250
cost_size 16KiB 16384 20 120
cost_size 1MiB 1048576 4 24
tap_diag "costs per message took $(($(date +%s) - t0)) s"

# ---------------------------------------------------------------- the end

for g in g1 g2; do
	tap_check "$g detaches" xen2mx-detach $g
	tap_check "$g shuts down" guest_shutdown $g
done
tap_check "backend clean: nothing mapped" wait_for 30 backend_clean
tap_check "xen2mx-back and open-mx unload" omx_unload
ip link del $LINK
ip link del $BRIDGE
tap_diag "guest-bench took $(($(date +%s) - t_start)) s"
exit 0
