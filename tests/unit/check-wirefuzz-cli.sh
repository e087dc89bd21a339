#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-wirefuzz-cli.sh - the command line of tests/tools/omx-wirefuzz
# (TAP): --help, one line on stderr and exit status 2 for every bad
# command line, and the replay promise: a seed gives the same frames every
# time, and --from N --count 1 gives frame N of the longer run.  Runs the
# copy built here (wirefuzz_cli); frames are printed (--dry-run), never
# sent.
set -u

prog=${WIREFUZZ:-./wirefuzz_cli}

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

if [ ! -x "$prog" ]; then
	echo "1..0 # SKIP $prog not built"
	exit 0
fi

A=02:58:32:00:00:01
G=02:00:00:00:0a:01
B=02:58:32:00:00:02

"$prog" --help >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && head -n 1 "$tmp/out" | grep -q '^Usage: ' && [ ! -s "$tmp/err" ]
check $? "--help: usage on stdout, exit status 0"

# Each bad command line: exit 2, nothing on stdout, one line on stderr.
bad() {
	"$prog" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
		grep -q '^omx-wirefuzz: ' "$tmp/err"
	check $? "bad command line ($*): one line on stderr, exit status 2 (got $rc: $(head -c 120 "$tmp/err"))"
}
bad
bad --dry-run
bad -i eth0
bad --dry-run -d 02:58:32:00:00
bad --dry-run -d "$A" -s "$B=65536"
bad --dry-run -d "$A" -s "$B=x"
bad --dry-run -d "$A" -n 0
bad --dry-run -d "$A" -r -1
bad --dry-run -d "$A" -b 0
bad --dry-run -d "$A" -e 256
bad --dry-run -d "$A" -m 63
bad --dry-run -d "$A" -v 101
bad --dry-run -d "$A" -p 101
bad --dry-run -d "$A" -t tiny,nosuchtype
bad --dry-run -d "$A" -H ""
bad --dry-run -d "$A" -S 18446744073709551616
bad --dry-run -d "$A" --bogus
bad --dry-run -d "$A" -x
bad --dry-run -d "$A" extra
bad --dry-run -d "$A" --count
bad --dry-run -i eth0 -d "$A"
bad --dry-run -d "$A" -d "$A" -d "$A" -d "$A" -d "$A" -d "$A" -d "$A" -d "$A" -d "$A"

set -- --dry-run -d "$A" -d "$G" -s "$B=1" -s "$G=2" -H g1:0 -S 7
"$prog" "$@" -n 50 >"$tmp/run1" 2>&1
rc1=$?
"$prog" "$@" -n 50 >"$tmp/run2" 2>&1
[ $rc1 = 0 ] && [ "$(head -n 1 "$tmp/run1")" = "seed 7" ] &&
	[ "$(wc -l <"$tmp/run1")" = 51 ] && cmp -s "$tmp/run1" "$tmp/run2"
check $? "--dry-run: 'seed 7', then 50 frames, the same every time"

"$prog" "$@" -f 30 -n 1 >"$tmp/one" 2>&1
[ "$(sed -n 2p "$tmp/one")" = "$(sed -n 32p "$tmp/run1")" ] &&
	sed -n 2p "$tmp/one" | grep -q '^30 base='
check $? "--from 30 --count 1: frame 30 of the run, alone"

# Each frame line: its length matches its octets, it goes to a target.
awk -v a="$A" -v g="$G" 'NR > 1 {
	for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	if (length(f["hex"]) != 2 * f["len"]) exit 1
	if (f["dst"] != a && f["dst"] != g) exit 1
	if (f["len"] < 14 || f["len"] > 9014) exit 1
	if (substr(f["hex"], 25, 4) != "86df") exit 1
}' "$tmp/run1"
check $? "--dry-run: 14..9014 octets of 0x86DF to a target, as the line says"

"$prog" --dry-run -d "$A" -t pull,nack_mcp -n 40 -S 3 >"$tmp/types" 2>&1
[ "$(grep -c ' base=pull \| base=nack_mcp ' "$tmp/types")" = 40 ]
check $? "--types pull,nack_mcp: only those"

"$prog" --dry-run -d "$A" -m 100 -n 200 -S 3 >"$tmp/small" 2>&1
! awk 'NR > 1 { sub(/^len=/, "", $4); if ($4 + 0 > 100) bad = 1 } END { exit !bad }' "$tmp/small"
check $? "--max-frame 100: no frame longer"

"$prog" -i xen2mx-no-such-if -d "$A" -n 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ -s "$tmp/err" ]
check $? "a link that cannot be used: a message and exit status 1 (got $rc)"

tap_end
