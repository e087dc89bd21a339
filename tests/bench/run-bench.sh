#!/bin/bash
# run-bench.sh - the xen2mx benchmark (`make bench`): boot the test bed, run
# the bench scenarios and print a table per boot.
#
#   tests/bench/run-bench.sh --build-stock BUILD_DIR [options]
#
# The boots are those of tests/bench/boots.txt (scenarios from
# tests/scenarios: twohost-bench.sh between two dom0s, guest-bench.sh
# between two guests of one host). A scenario reports each number with
# bench_report TRANSPORT:METRIC VALUE UNIT (lib-dom0.sh); a boot's table has
# one row per METRIC, one column per TRANSPORT, the boot's baselines first
# ("tcp" unless the scenario names others with bench_baseline) and, for
# every other transport, its ratio to each baseline (a latency ratio below
# 1, a bandwidth ratio above 1, is better than the baseline). Counts per
# message (a UNIT ending in "/msg") make a second table, without ratios.
# Under QEMU's TCG the absolute numbers are those of an emulated machine:
# compare columns, not runs on other machines.
#
# Exit status 0 iff every test-bed result was ok (the numbers were measured).
set -uo pipefail

usage() {
	sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
	cat <<'EOF'
Options:
  --build-stock DIR   xen2mx build dir configured against the stock kernel
  --build-test DIR    same, for boots of the test kernel
  --log-dir DIR       test-bed logs (default: <build dir>/tests/bench/logs)
  --only BOOT         run this boot of boots.txt only (repeatable)
  --verbose           show the consoles while booting
  --tables TAP        boot nothing: print the tables of an earlier run's
                      results (LOG_DIR/bench.tap)
  -h, --help          this text
EOF
}

die() { printf 'run-bench: error: %s\n' "$*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
testbed_args=()
build='' log_dir='' tables_of=''
while [[ $# -gt 0 ]]; do
	case $1 in
	--build-stock) build=${2:?}; testbed_args+=(--build-stock "$2"); shift 2 ;;
	--build-test) testbed_args+=(--build-test "${2:?}"); shift 2 ;;
	--log-dir) log_dir=${2:?}; shift 2 ;;
	--only) testbed_args+=(--only "${2:?}"); shift 2 ;;
	--verbose) testbed_args+=(--verbose); shift ;;
	--tables) tables_of=${2:?}; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done

# print_tables TAP: a table per boot of the results in TAP (and a second one
# for its "/msg" rows); non-zero if there are no measurements.  The results
# of one boot follow its "BOOT: boot completed" line, so each "# BENCH HOST
# TRANSPORT:METRIC VALUE UNIT" line belongs to the boot named by the result
# line before it.  "# BENCH-BASELINE HOST T..." names the columns the others
# are divided by (default tcp), "# BENCH-NOTE HOST TEXT" adds a line below.
print_tables() {
	grep -E '^(ok|not ok) [0-9]+ - |^# BENCH(-BASELINE|-NOTE)? ' "$1" | awk '
function width(name) { return length(name) > 12 ? length(name) : 12 }

/^(ok|not ok) / {
	b = $0
	sub(/^(not )?ok [0-9]+ - /, "", b)
	sub(/:.*/, "", b)
	boot = b
	next
}
$2 == "BENCH" {
	if (!(boot in seen_b)) { seen_b[boot] = 1; boots[++nbt] = boot }
	split($4, tm, ":")
	t = tm[1]; m = tm[2]
	# Table 1: measurements; table 2: counts per message.
	k = ($6 ~ /\/msg$/) ? 2 : 1
	if (!((boot, k, m) in seen_m)) {
		seen_m[boot, k, m] = 1
		metrics[boot, k, ++nm[boot, k]] = m
		unit[boot, k, m] = $6
	}
	if (!((boot, k, t) in seen_t)) {
		seen_t[boot, k, t] = 1
		transports[boot, k, ++nt[boot, k]] = t
	}
	value[boot, k, t, m] = $5
	next
}
$2 == "BENCH-BASELINE" {
	for (i = 4; i <= NF; i++) baseline[boot, ++nbase[boot]] = $i
	next
}
$2 == "BENCH-NOTE" {
	text = $0
	sub(/^# BENCH-NOTE [^ ]+ /, "", text)
	notes[boot, ++nnote[boot]] = text
	next
}

# One table: rows are metrics, columns the transports (baselines first),
# then with ratios, each other transport divided by each baseline.
function table(b, k, ratios,    i, j, c, m, t, no, nr, order, isbase, num, den, mw) {
	no = 0
	if (ratios) {
		for (i = 1; i <= nbase[b]; i++) {
			t = baseline[b, i]
			if (((b, k, t) in seen_t) && !(t in isbase)) { isbase[t] = 1; order[++no] = t }
		}
	}
	for (i = 1; i <= nt[b, k]; i++) {
		t = transports[b, k, i]
		if (!(t in isbase)) order[++no] = t
	}
	nr = 0
	for (i = 1; i <= no; i++) {
		if (order[i] in isbase) continue
		for (j = 1; j <= nbase[b]; j++) {
			if (!(baseline[b, j] in isbase)) continue
			nr++; num[nr] = order[i]; den[nr] = baseline[b, j]
		}
	}
	mw = 22
	for (j = 1; j <= nm[b, k]; j++)
		if (length(metrics[b, k, j]) > mw) mw = length(metrics[b, k, j])
	printf "%-" mw "s %-6s", "metric", "unit"
	for (i = 1; i <= no; i++) printf " %" width(order[i]) "s", order[i]
	for (c = 1; c <= nr; c++) printf " %" width(num[c] "/" den[c]) "s", num[c] "/" den[c]
	printf "\n"
	for (j = 1; j <= nm[b, k]; j++) {
		m = metrics[b, k, j]
		printf "%-" mw "s %-6s", m, unit[b, k, m]
		for (i = 1; i <= no; i++)
			printf " %" width(order[i]) "s", ((b, k, order[i], m) in value) ? value[b, k, order[i], m] : "-"
		for (c = 1; c <= nr; c++) {
			if (((b, k, num[c], m) in value) && ((b, k, den[c], m) in value) &&
			    value[b, k, den[c], m] + 0 > 0)
				printf " %" width(num[c] "/" den[c]) ".2f", value[b, k, num[c], m] / value[b, k, den[c], m]
			else
				printf " %" width(num[c] "/" den[c]) "s", "-"
		}
		printf "\n"
	}
}

END {
	if (!nbt) {
		print "run-bench: no measurements (no BENCH lines in the test-bed results)"
		exit 1
	}
	for (i = 1; i <= nbt; i++) {
		b = boots[i]
		if (!nbase[b]) baseline[b, ++nbase[b]] = "tcp"
		if (i > 1) printf "\n"
		printf "== %s\n", b
		if (nm[b, 1]) table(b, 1, 1)
		if (nm[b, 2]) {
			if (nm[b, 1]) printf "\n"
			table(b, 2, 0)
		}
		for (j = 1; j <= nnote[b]; j++) printf "(%s)\n", notes[b, j]
	}
}'
}

if [[ -n $tables_of ]]; then
	[[ -r $tables_of ]] || die "cannot read $tables_of"
	print_tables "$tables_of"
	exit
fi

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
print_tables "$tap"
table=$?
echo "(QEMU TCG: compare columns, not runs on other machines; test-bed results in $tap)"
((status == 0 && table == 0))
