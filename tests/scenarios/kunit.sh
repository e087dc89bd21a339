#!/bin/sh
# kunit: load the KUnit modules (test kernel) and report every KUnit case
# as a result of its own: open-mx-kunit (the engine's suites, no Xen) on
# any host, xen2mx-kunit (the Xen layers') in a Xen dom0.
# timeout: 300
. /opt/xen2mx/lib/lib-dom0.sh

if [ ! -d /sys/kernel/debug/kunit ] && ! grep -q kunit /proc/kallsyms 2>/dev/null; then
	tap_fail "the kernel has KUnit" "no /sys/kernel/debug/kunit: this boot's kernel was built without CONFIG_KUNIT"
	exit 0
fi

# kunit_module MODULE SUITE...: load MODULE, report each SUITE's cases,
# unload it.
kunit_module() {
	local module="$1" suite res found=0 line status name
	shift
	tap_check "the KUnit module $module loads" load_module "$module" || return 0
	for suite in "$@"; do
		res=/sys/kernel/debug/kunit/$suite/results
		if [ ! -r "$res" ]; then
			tap_fail "KUnit suite $suite ran" "no $res"
			continue
		fi
		found=1
		# Cases are the indented "ok N name" lines; parameterised cases
		# add one more level, reported under the case's name.
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
	[ $found = 1 ] && tap_check "the KUnit module $module unloads" unload_module "$module"
}

kunit_module open-mx-kunit open_mx_engine open_mx_wire
if [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]; then
	kunit_module xen2mx-kunit xen2mx_ring xen2mx_xenbus xen2mx_front_ring xen2mx_guest
else
	tap_diag "no hypervisor: the Xen layers' suites (xen2mx-kunit) are dom0's"
fi
