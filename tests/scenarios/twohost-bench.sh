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
if host_is 1; then
	bench_note "twohost-bench: two hosts (dom0 <-> dom0) on one virtio-net link"
fi

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
# The same metrics between the two dom0s over xen2mx's Open-MX engine on
# the same link, hostA the sender (omx_perf -d hostB:0), hostB a fresh
# omx_perf receiver for each run (it exits after one).
#
#   omx:latency_64B    half the round trip of omx_perf's ping-pong, mean of
#   omx:latency_4KiB   1000 (64 B) and 500 (4 KiB) iterations, polling as
#                      Open-MX's omx_perf does, in microseconds
#   omx:bandwidth      omx_perf -U (one way), 4 MiB messages, MB/s
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0

# omx_perf prints "length 64: 7.970 us 0.00 MB/s 0.00 MiB/s".
omx_run() {
	local tag=$1 len=$2 metric=$3 field=$4 unit=$5 out value
	shift 5
	if host_is 2; then
		omx_perf -e 0 >"$log.omx-$tag" 2>&1 &
		pid=$!
		peer_barrier "omx-$tag-receiver" 60 || return 1
		wait "$pid"
	else
		peer_barrier "omx-$tag-receiver" 60 || return 1
		sleep 1
		out=$(omx_perf -d "$OMX_PEER" -S "$len" -E "$((len + 1))" "$@" 2>&1)
		value=$(printf '%s\n' "$out" | awk -v l="length $len:" -v f="$field" \
			'index($0, l) == 1 { print $f }')
		if [ -n "$value" ]; then
			tap_ok "omx_perf $tag: $value $unit"
			bench_report "omx:$metric" "$value" "$unit"
		else
			tap_fail "omx_perf $tag" "$out"
		fi
	fi
	peer_barrier "omx-$tag-done" 600
}
omx_run lat64 64 latency_64B 3 us -N 1000 -W 50 || exit 0
omx_run lat4k 4096 latency_4KiB 3 us -N 500 -W 20 || exit 0
omx_run bw 4194304 bandwidth 5 MB/s -U -N 20 -W 2 || exit 0
tap_check "open-mx unloads" omx_unload
