#!/bin/sh
# kunit: load the KUnit module in dom0 (test kernel) and report every KUnit
# case as a result of its own.
# timeout: 300
. /opt/xen2mx/lib/lib-dom0.sh

if [ ! -d /sys/kernel/debug/kunit ] && ! grep -q kunit /proc/kallsyms 2>/dev/null; then
	tap_fail "the kernel has KUnit" "no /sys/kernel/debug/kunit: this boot's kernel was built without CONFIG_KUNIT"
	exit 0
fi
tap_check "the KUnit module loads" load_module xen2mx-kunit || exit 0
found=0
for suite in xen2mx_ring xen2mx_xenbus xen2mx_front_ring xen2mx_engine xen2mx_guest xen2mx_wire; do
	res=/sys/kernel/debug/kunit/$suite/results
	if [ ! -r "$res" ]; then
		tap_fail "KUnit suite $suite ran" "no $res"
		continue
	fi
	found=1
	# Cases are the indented "ok N name" lines; parameterised cases add
	# one more level, reported under the case's name.
	while IFS= read -r line; do
		case $line in
		"    ok "*|"    not ok "*)
			status=${line#    }
			name=$(echo "$status" | sed 's/^\(not \)\{0,1\}ok [0-9]* //')
			case $status in
			ok*) tap_ok "KUnit $suite: $name" ;;
			*) tap_fail "KUnit $suite: $name" "$(cat "$res")" ;;
			esac ;;
		"        not ok "*)
			tap_diag "$suite parameter case failed: $line" ;;
		esac
	done <"$res"
done
[ $found = 1 ] && tap_check "the KUnit module unloads" unload_module xen2mx-kunit
