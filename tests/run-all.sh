#!/bin/bash
# run-all.sh - the whole xen2mx test suite, from a fresh clone.
#
#   bash tests/run-all.sh [--only BOOTNAME]... [--skip-testbed]
#
# 1. installs what the project needs (tests/testbed/install-deps.sh),
# 2. builds against Debian's stock kernel headers and runs the user-space
#    unit tests (make check),
# 3. builds (or takes from its cache) the debug test kernel with KUnit,
#    lockdep and kmemleak, and builds the modules against it,
# 4. boots the Xen test bed for every line of tests/scenarios/boots.txt,
# and closes with the line "N passed, N failed" summed over every TAP result
# (unit tests, KUnit cases and test-bed scenarios). Exit status 0 iff
# nothing failed.
#
# Build trees go to $XEN2MX_BUILD (default: _build in the source tree); the
# test kernel is cached under $XEN2MX_CACHE (default /var/cache/xen2mx).
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${XEN2MX_BUILD:-$src/_build}
testbed_args=()
skip_testbed=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--only) testbed_args+=(--only "${2:?--only needs a boot name}"); shift 2 ;;
	--skip-testbed) skip_testbed=1; shift ;;
	-h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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

step "installing dependencies"
bash "$src/tests/testbed/install-deps.sh" || { fail_step "installing dependencies failed"; }

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

step "building the debug test kernel (cached)"
test_ok=0
if kdir=$(bash "$src/tests/testbed/build-test-kernel.sh"); then
	kdir=$(printf '%s\n' "$kdir" | tail -n 1)
	step "building against the test kernel"
	if (cd "$build/test" && "$src/configure" --enable-werror --with-linux="$kdir/linux" >configure.log 2>&1 &&
		make -j"$(nproc)" >make.log 2>&1); then
		test_ok=1
	else
		fail_step "test-kernel build failed (see $build/test/configure.log and make.log)"
		tail -n 30 "$build/test/make.log" 2>/dev/null >&2
	fi
else
	fail_step "building the test kernel failed"
	kdir=
fi

step "booting the Xen test bed"
tap=$build/testbed.tap
bash "$src/tests/testbed/run-testbed.sh" \
	--build-stock "$([[ $stock_ok == 1 ]] && echo "$build/stock" || echo none)" \
	--build-test "$([[ $test_ok == 1 ]] && echo "$build/test" || echo none)" \
	${kdir:+--test-kernel-dir "$kdir"} --log-dir "$build/testbed-logs" \
	"${testbed_args[@]}" | tee "$tap"
count_tap "$tap"
grep -q . "$tap" || fail_step "the test bed printed no result"

step "done"
echo "console logs: $build/testbed-logs"
echo
echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
