#!/bin/sh
# kmemleak-report: make kmemleak scan now and print what it suspects.
#
# kmemleak only reports objects that stayed unreferenced across scans and are
# older than its minimum age, so scan twice a few seconds apart before reading
# the report. The host-side checker looks for "unreferenced object" lines.
# Prints a note and succeeds when the kernel has no kmemleak.
f=/sys/kernel/debug/kmemleak
if [ ! -e "$f" ]; then
	echo "kmemleak-report: no $f (kernel without kmemleak or debugfs not mounted)"
	exit 0
fi
if ! echo scan >"$f" 2>/dev/null; then
	echo "kmemleak-report: kmemleak is disabled (it turns itself off after an internal error)"
	exit 0
fi
sleep "${KMEMLEAK_SCAN_GAP:-5}"
echo scan >"$f"
echo "kmemleak-report: begin"
cat "$f"
echo "kmemleak-report: end"
