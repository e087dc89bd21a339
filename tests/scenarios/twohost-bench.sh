#!/bin/sh
# twohost-bench: the numbers of `make bench` (tests/bench/run-bench.sh),
# measured between the two dom0s over their link, hostA the client and
# hostB the server. Each is a bench_report line (lib-dom0.sh); the table
# puts every transport next to TCP with its ratio. Under QEMU's TCG only the
# ratios mean something.
#
#   tcp:latency_64B    one-way latency (half the round trip), median, of
#   tcp:latency_4KiB   sockperf ping-pong over TCP with 64- and 4096-octet
#                      messages, in microseconds
#   tcp:bandwidth      iperf3, one TCP stream, what the receiver got, MB/s
#                      (10^6 octets per second)
# timeout: 900
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh

SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
SOCKPERF_PORT=11111
IPERF_PORT=5201
log=$XEN2MX_RUN/bench

# ------------------------------------------------------------ TCP

listening() {
	netstat -ltn | grep -q ":$1 "
}

if host_is 2; then
	sockperf server --tcp -i "$XEN2MX_LOCAL_IP" -p $SOCKPERF_PORT >"$log.sockperf-server" 2>&1 &
	sockperf_server=$!
	iperf3 -s -B "$XEN2MX_LOCAL_IP" -p $IPERF_PORT >"$log.iperf3-server" 2>&1 &
	iperf3_server=$!
	tap_check "sockperf server listens" wait_for 60 listening $SOCKPERF_PORT
	tap_check "iperf3 server listens" wait_for 60 listening $IPERF_PORT
fi
peer_barrier tcp-servers-up 120 || exit 0

# sockperf prints "---> percentile 50.000 =   50.484" (microseconds, already
# half the round trip).
sockperf_latency() {
	local size=$1 metric=$2 out median
	out=$(sockperf ping-pong --tcp -i "$XEN2MX_PEER_IP" -p $SOCKPERF_PORT -m "$size" \
		-t "$SECONDS_PER_RUN" 2>&1 | tr -d '\033')
	median=$(printf '%s\n' "$out" | sed -n 's/.*percentile 50\.000 = *\([0-9.]*\).*/\1/p')
	if [ -n "$median" ]; then
		tap_ok "sockperf ping-pong, $size-octet messages over TCP: median $median us one way"
		bench_report "tcp:$metric" "$median" us
	else
		tap_fail "sockperf ping-pong, $size-octet messages over TCP" "$(printf '%s\n' "$out" | tail -n 15)"
	fi
}

# iperf3's receiver line: "[  5]   0.00-10.00  sec   123 MBytes  98.7 Mbits/sec   receiver".
iperf3_bandwidth() {
	local out mbits
	out=$(iperf3 -c "$XEN2MX_PEER_IP" -p $IPERF_PORT -t "$SECONDS_PER_RUN" -f m 2>&1)
	mbits=$(printf '%s\n' "$out" | awk '/receiver$/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i } END { print v }')
	if [ -n "$mbits" ]; then
		mbs=$(awk -v m="$mbits" 'BEGIN { printf "%.1f", m / 8 }')
		tap_ok "iperf3 over TCP: $mbs MB/s"
		bench_report tcp:bandwidth "$mbs" MB/s
	else
		tap_fail "iperf3 over TCP" "$(printf '%s\n' "$out" | tail -n 15)"
	fi
}

if host_is 1; then
	sockperf_latency 64 latency_64B
	sockperf_latency 4096 latency_4KiB
	iperf3_bandwidth
fi
peer_barrier tcp-done 600 || exit 0
if host_is 2; then
	kill "$sockperf_server" "$iperf3_server" 2>/dev/null
	# Their status is that of the kill: not the scenario's.
	wait "$sockperf_server" "$iperf3_server" 2>/dev/null || true
fi

# ------------------------------------------------------------ Open-MX
#
# TO BE ADDED (omx_perf, once the backend speaks Open-MX on the link):
# measure the same metrics between the two dom0s under the transport "omx",
# hostA reporting, e.g.
#     bench_report omx:latency_64B "$median_us" us
#     bench_report omx:latency_4KiB "$median_us" us
#     bench_report omx:bandwidth "$mb_per_s" MB/s
# (omx_perf on hostB waiting, omx_perf -d <hostB's board> on hostA; start
# the backend on $XEN2MX_LINK on both hosts first, and synchronise with
# peer_barrier as above). run-bench.sh then prints omx next to tcp with the
# ratio omx/tcp; new metrics get rows of their own.
