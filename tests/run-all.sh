#!/bin/bash
# run-all.sh - the whole xen2mx test suite, from a fresh clone.
#
#   bash tests/run-all.sh [--only BOOTNAME]... [--skip-testbed] [--jobs N]
#
# 1. installs what the project needs (tests/testbed/install-deps.sh),
# 2. starts building (or takes from its cache) the debug test kernel with
#    KUnit, lockdep and kmemleak, in the background at low priority,
# 3. meanwhile builds against Debian's stock kernel headers, runs the
#    user-space unit tests (make check) and the test-bed boots on the stock
#    kernel,
# 4. then builds the modules against the test kernel and runs its boots,
# each of tests/scenarios/boots.txt, up to N QEMU machines at once (--jobs,
# default 2), and closes with each boot's wall time and the line
# "N passed, N failed" summed over every TAP result (unit tests, KUnit
# cases and test-bed scenarios). Exit status 0 iff nothing failed.
#
# Build trees go to $XEN2MX_BUILD (default: _build in the source tree); the
# test kernel is cached under $XEN2MX_CACHE (default /var/cache/xen2mx).
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${XEN2MX_BUILD:-$src/_build}
testbed_args=()
only=()
skip_testbed=0
jobs=2
while [[ $# -gt 0 ]]; do
	case $1 in
	--only) only+=("${2:?--only needs a boot name}"); shift 2 ;;
	--skip-testbed) skip_testbed=1; shift ;;
	--jobs) jobs=${2:?--jobs needs a number}; shift 2 ;;
	-h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "run-all: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done

start=$(date +%s)
passed=0 failed=0
step() { printf '\n=== %s (%ds)\n' "$*" $(($(date +%s) - start)); }
fail_step() {
	# A step that cannot run is one failed result, so the summary shows it.
	echo "run-all: $*" >&2
	failed=$((failed + 1))
}

# Count TAP results in a stream: "ok" / "not ok" lines at the start of a line.
count_tap() {
	local file=$1 p f
	p=$(grep -cE '^ok ' "$file")
	f=$(grep -cE '^not ok ' "$file")
	passed=$((passed + p))
	failed=$((failed + f))
}

stock_kv() {
	# Debian bumps the ABI number: take the newest installed stock kernel.
	ls /boot/vmlinuz-*-amd64 2>/dev/null | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1
}

[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "run-all: --jobs takes a number of machines, not '$jobs'" >&2; exit 2; }
boots_txt=$src/tests/scenarios/boots.txt
for o in "${only[@]}"; do
	grep -q "^$o " "$boots_txt" ||
		{ echo "run-all: no boot '$o' in $boots_txt (see its first column)" >&2; exit 2; }
	testbed_args+=(--only "$o")
done
# Whether a boot the run selects uses kernel $1 (stock or test).
wants_kernel() {
	local boot kernel rest o
	while read -r boot kernel rest; do
		[[ -z $boot || $boot == \#* || ${kernel%%[@,]*} != "$1" ]] && continue
		((${#only[@]})) || return 0
		for o in "${only[@]}"; do [[ $o == "$boot" ]] && return 0; done
	done <"$boots_txt"
	return 1
}

step "installing dependencies"
bash "$src/tests/testbed/install-deps.sh" || { fail_step "installing dependencies failed"; }

# The test kernel takes the longest to build and nothing before its own
# boots needs it: it builds in the background, niced, while the stock
# build, the unit tests and the stock boots run (whose QEMUs often wait).
tk_pid=
if [[ $skip_testbed == 0 ]] && wants_kernel test; then
	step "building the debug test kernel (cached), in the background"
	mkdir -p "$build"
	nice -n 10 bash "$src/tests/testbed/build-test-kernel.sh" \
		>"$build/test-kernel.out" 2>"$build/test-kernel.log" &
	tk_pid=$!
fi

step "building against the stock kernel and running unit tests"
kv=$(stock_kv)
mkdir -p "$build/stock" "$build/test"
(cd "$src" && ./autogen.sh >"$build/autogen.log" 2>&1) || fail_step "autogen.sh failed (see $build/autogen.log)"
stock_ok=0
if (cd "$build/stock" && "$src/configure" --enable-werror --with-linux="/usr/src/linux-headers-$kv" >configure.log 2>&1 &&
	make -j"$(nproc)" >make.log 2>&1); then
	stock_ok=1
	(cd "$build/stock" && make check >check.log 2>&1)
	# Automake's TAP driver writes one :test-result: line per TAP result.
	p=$(cat "$build"/stock/tests/unit/*.trs 2>/dev/null | grep -cE '^:test-result: (PASS|XFAIL|SKIP)')
	f=$(cat "$build"/stock/tests/unit/*.trs 2>/dev/null | grep -cE '^:test-result: (FAIL|XPASS|ERROR)')
	passed=$((passed + p))
	failed=$((failed + f))
	echo "unit tests: $p passed, $f failed"
	[[ $p -gt 0 ]] || fail_step "no unit test ran (see $build/stock/check.log)"
else
	fail_step "stock build failed (see $build/stock/configure.log and make.log)"
	tail -n 30 "$build/stock/make.log" "$build/stock/configure.log" 2>/dev/null >&2
fi

[[ $skip_testbed == 1 ]] && { echo; echo "$passed passed, $failed failed"; [[ $failed == 0 ]]; exit; }

# run_boots KIND [ARGS...]: the boots on kernel KIND, results counted.
run_boots() {
	local kind=$1 tap=$build/testbed-$1.tap
	shift
	bash "$src/tests/testbed/run-testbed.sh" --kernel "$kind" --jobs "$jobs" \
		--build-stock "$([[ $stock_ok == 1 ]] && echo "$build/stock" || echo none)" \
		--log-dir "$build/testbed-logs" "$@" "${testbed_args[@]}" | tee "$tap"
	count_tap "$tap"
	grep -q '^ok\|^not ok' "$tap" || fail_step "the test bed printed no result for the $kind kernel"
}

if wants_kernel stock; then
	step "booting the Xen test bed: stock kernel"
	run_boots stock --build-test none
fi

test_ok=0 kdir=
if [[ -n $tk_pid ]]; then
	step "waiting for the debug test kernel"
	if wait "$tk_pid" && kdir=$(tail -n 1 "$build/test-kernel.out") && [[ -e $kdir/.done ]]; then
		step "building against the test kernel"
		if (cd "$build/test" && "$src/configure" --enable-werror --with-linux="$kdir/linux" >configure.log 2>&1 &&
			make -j"$(nproc)" >make.log 2>&1); then
			test_ok=1
		else
			fail_step "test-kernel build failed (see $build/test/configure.log and make.log)"
			tail -n 30 "$build/test/make.log" 2>/dev/null >&2
		fi
	else
		fail_step "building the test kernel failed (see $build/test-kernel.log)"
		tail -n 30 "$build/test-kernel.log" >&2
		kdir=
	fi
	step "booting the Xen test bed: test kernel"
	run_boots test --build-test "$([[ $test_ok == 1 ]] && echo "$build/test" || echo none)" \
		${kdir:+--test-kernel-dir "$kdir"}
fi

step "done"
echo "console logs: $build/testbed-logs"
echo
# Each boot's wall time (run-testbed.sh's "# boot-time BOOT SECONDS").
cat "$build"/testbed-*.tap 2>/dev/null | awk '
	$1 == "#" && $2 == "boot-time" { printf "boot %-18s %5d s\n", $3, $4; t += $4; n++ }
	END { if (n) printf "boots: %d, %d s of QEMU wall time, %d s since the start\n", n, t, '"$(($(date +%s) - start))"' }'
echo
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
