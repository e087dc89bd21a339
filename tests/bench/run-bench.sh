#!/bin/bash
# run-bench.sh - the xen2mx benchmark (`make bench`): boot the two-host test
# bed, run the bench scenarios between the two dom0s and print one table.
#
#   tests/bench/run-bench.sh --build-stock BUILD_DIR [options]
#
# The boots are those of tests/bench/boots.txt (scenarios from
# tests/scenarios, e.g. twohost-bench.sh). A scenario reports each number with
# bench_report TRANSPORT:METRIC VALUE UNIT (lib-dom0.sh); the table has one
# row per METRIC, one column per TRANSPORT ("tcp" first) and, for every other
# transport, its ratio to tcp (a latency ratio below 1, a bandwidth ratio
# above 1, is better than TCP). Under QEMU's TCG the absolute numbers are
# those of an emulated machine: compare columns, not runs on other machines.
#
# Exit status 0 iff every test-bed result was ok (the numbers were measured).
set -uo pipefail

usage() {
	sed -n '2,14s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
	cat <<'EOF'
Options:
  --build-stock DIR   xen2mx build dir configured against the stock kernel
  --build-test DIR    same, for boots of the test kernel
  --log-dir DIR       test-bed logs (default: <build dir>/tests/bench/logs)
  --verbose           show the consoles while booting
  -h, --help          this text
EOF
}

die() { printf 'run-bench: error: %s\n' "$*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
testbed_args=()
build='' log_dir=''
while [[ $# -gt 0 ]]; do
	case $1 in
	--build-stock) build=${2:?}; testbed_args+=(--build-stock "$2"); shift 2 ;;
	--build-test) testbed_args+=(--build-test "${2:?}"); shift 2 ;;
	--log-dir) log_dir=${2:?}; shift 2 ;;
	--verbose) testbed_args+=(--verbose); shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[[ -n $build ]] || die "--build-stock DIR is required (a configured and built xen2mx tree)"
[[ -d $build ]] || die "build dir '$build' does not exist"
log_dir=${log_dir:-$build/tests/bench/logs}
mkdir -p "$log_dir" || die "cannot create $log_dir"
tap=$log_dir/bench.tap

"$src/tests/testbed/run-testbed.sh" "${testbed_args[@]}" --boots "$here/boots.txt" \
	--scenario-dir "$src/tests/scenarios" --log-dir "$log_dir" >"$tap"
status=$?
if grep -q '^not ok' "$tap"; then
	echo "run-bench: some measurements failed (test-bed results below; logs in $log_dir):"
	grep -A 15 '^not ok' "$tap" | grep -v '^ok' | head -n 60
	echo
fi

# "# BENCH HOST TRANSPORT:METRIC VALUE UNIT" -> the table.
grep '^# BENCH ' "$tap" | awk '
{
	split($4, tm, ":")
	t = tm[1]; m = tm[2]
	if (!(m in seen_m)) { seen_m[m] = 1; metrics[++nm] = m; unit[m] = $6 }
	if (!(t in seen_t)) { seen_t[t] = 1; transports[++nt] = t }
	value[t, m] = $5
	host[t, m] = $3
}
END {
	if (!nm) {
		print "run-bench: no measurements (no BENCH lines in the test-bed results)"
		exit 1
	}
	# tcp is the baseline column, whatever reported first.
	if ("tcp" in seen_t) {
		order[++no] = "tcp"
		for (i = 1; i <= nt; i++) if (transports[i] != "tcp") order[++no] = transports[i]
	} else
		for (i = 1; i <= nt; i++) order[++no] = transports[i]

	printf "%-22s %-6s", "metric", "unit"
	for (i = 1; i <= no; i++) printf " %12s", order[i]
	for (i = 1; i <= no; i++) if (order[i] != "tcp" && ("tcp" in seen_t)) printf " %12s", order[i] "/tcp"
	printf "\n"
	for (j = 1; j <= nm; j++) {
		m = metrics[j]
		printf "%-22s %-6s", m, unit[m]
		for (i = 1; i <= no; i++) printf " %12s", ((order[i], m) in value) ? value[order[i], m] : "-"
		for (i = 1; i <= no; i++) {
			t = order[i]
			if (t == "tcp" || !("tcp" in seen_t)) continue
			if (((t, m) in value) && (("tcp", m) in value) && value["tcp", m] + 0 > 0)
				printf " %12.2f", value[t, m] / value["tcp", m]
			else
				printf " %12s", "-"
		}
		printf "\n"
	}
}'
table=$?
echo "(QEMU TCG, two hosts on one virtio-net link; test-bed results in $tap)"
((status == 0 && table == 0))
