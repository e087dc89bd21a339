# shellcheck shell=sh
# SPDX-License-Identifier: MIT
#
# tap.sh - what the check-*.sh tests share, sourced first:
#   $tmp                          a scratch directory, removed at exit
#   check STATUS DESCRIPTION      one TAP result: ok when STATUS is 0
#   tap_end                       the plan (1..N); exit status 1 if any failed
n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

tap_end() {
	echo "1..$n"
	[ "$failed" = 0 ]
}
