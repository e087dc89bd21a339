#!/bin/bash
# run-demo.sh - the xen2mx demo on a fresh machine.
#
#   bash tests/run-demo.sh
#
# Installs what it needs, builds xen2mx against Debian's stock kernel, boots
# a virtual Xen host (Xen 4.17 + dom0 in QEMU) with two PV guests, attaches a
# xen2mx device to each, and prints the negotiated xenstore nodes and a
# table of ECHO round-trip times. Build trees go to $XEN2MX_BUILD (default
# _build in the source tree).
set -uo pipefail

src=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${XEN2MX_BUILD:-$src/_build}

bash "$src/tests/testbed/install-deps.sh" || exit 1
kv=$(ls /boot/vmlinuz-*-amd64 | sed 's|/boot/vmlinuz-||' | sort -V | tail -n 1)
mkdir -p "$build/stock"
echo "building xen2mx against linux-headers-$kv ..."
(cd "$src" && ./autogen.sh >"$build/autogen.log" 2>&1) || { echo "autogen.sh failed: $build/autogen.log" >&2; exit 1; }
(cd "$build/stock" && "$src/configure" --with-linux="/usr/src/linux-headers-$kv" >configure.log 2>&1 &&
	make -j"$(nproc)" >make.log 2>&1) || { echo "build failed: see $build/stock/make.log" >&2; exit 1; }

echo "booting Xen, dom0 and two guests in QEMU (TCG; takes a few minutes) ..."
logs=$build/demo-logs
bash "$src/tests/testbed/run-testbed.sh" --boots "$src/tests/scenarios/demo-boots.txt" \
	--build-stock "$build/stock" --log-dir "$logs" >"$logs.tap"
rc=$?
echo
sed -n 's/^XEN2MX-DEMO: \{0,1\}//p' "$logs/demo/console.log"
echo
grep -E '^not ok' "$logs.tap" && echo "demo FAILED; console log: $logs/demo/console.log"
echo "$(grep -c '^ok' "$logs.tap") checks passed, $(grep -c '^not ok' "$logs.tap") failed; console log: $logs/demo/console.log"
exit $rc
