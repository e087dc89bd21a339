#!/bin/sh
# timeout: 600
#
# attach-bad-input: xen2mx-attach and xen2mx-detach refuse every bad input
# with the right exit status (2 for a bad command line, 1 otherwise), exactly
# one line on stderr that starts with the tool's name and names the problem,
# and xenstore left exactly as it was; then the good path: the guest-board
# options (--mac, --board, --hostname, --max-endpoints, --max-grants)
# written to the backend directory, attach by name and by domid, both devices
# Connected, a second attach refused without harming the first, detach
# through Closed, and detach after the guest is destroyed.

for lib in /opt/xen2mx/lib/lib-dom0.sh /opt/xen2mx/scenarios/lib-dom0.sh; do
	[ -f "$lib" ] && break
done
. "$lib"

G=g1
NO_SUCH_DOMID=32000		# a valid domid no guest of this test bed gets
CONNECT_TIMEOUT=60		# seconds; under TCG connecting takes 5-7 s
work=$XEN2MX_RUN/attach-bad-input
mkdir -p "$work"
OUT=$work/stdout
ERR=$work/stderr

# ---------------------------------------------------------------- helpers

# Everything attach or detach could touch, permissions included.  A missing
# subtree is part of the picture too, hence the "absent" lines.
snapshot() {
	local path
	for path in /local/domain/0/backend /local/domain/0/error \
		"/local/domain/$D/device" "/local/domain/$D/error"; do
		echo "== $path"
		xenstore-ls -fp "$path" 2>/dev/null || echo "(absent)"
	done
}

# expect_refusal DESC TOOL STATUS PATTERN [ARG...]
# One TAP line: TOOL ARG... exits with STATUS, prints nothing on stdout and
# exactly one line on stderr that starts with "TOOL: " and contains PATTERN
# (a fixed string), and the xenstore snapshot is the same after as before.
expect_refusal() {
	local desc="$1" tool="$2" want="$3" pattern="$4" rc problems=
	shift 4
	snapshot >"$work/before"
	"$tool" "$@" >"$OUT" 2>"$ERR"
	rc=$?
	snapshot >"$work/after"

	[ "$rc" = "$want" ] || problems="$problems exit status $rc, expected $want;"
	[ -s "$OUT" ] && problems="$problems something on stdout;"
	[ "$(wc -l <"$ERR")" = 1 ] ||
		problems="$problems stderr has $(wc -l <"$ERR") lines, expected 1;"
	case $(head -n 1 "$ERR") in
	"$tool: "*) ;;
	*) problems="$problems stderr does not start with '$tool: ';" ;;
	esac
	grep -qF -- "$pattern" "$ERR" ||
		problems="$problems stderr does not mention '$pattern';"
	cmp -s "$work/before" "$work/after" || problems="$problems xenstore changed;"

	if [ -z "$problems" ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "command: $tool $*" "problems:$problems" \
			"stderr: $(cat "$ERR")" "stdout: $(cat "$OUT")" \
			"$(diff "$work/before" "$work/after")"
	fi
}

# expect_success DESC TOOL [ARG...]: exit status 0 and a silent stderr.
expect_success() {
	local desc="$1" rc
	shift
	"$@" >"$OUT" 2>"$ERR"
	rc=$?
	if [ "$rc" = 0 ] && [ ! -s "$ERR" ]; then
		tap_ok "$desc"
	else
		tap_fail "$desc" "command: $* (exit status $rc)" "stderr: $(cat "$ERR")"
	fi
}

fe_dir() { echo "/local/domain/$D/device/xen2mx/$1"; }
be_dir() { echo "/local/domain/0/backend/xen2mx/$D/$1"; }

# Both ends of device $1 report Connected (4).
connected() {
	local be fe
	be=$(xs_read "$(be_dir "$1")/state")
	fe=$(xs_read "$(fe_dir "$1")/state")
	echo "backend state '$be', frontend state '$fe'"
	[ "$be" = 4 ] && [ "$fe" = 4 ]
}

# Neither directory of device $1 is left in xenstore.
device_gone() {
	local dir
	for dir in "$(fe_dir "$1")" "$(be_dir "$1")"; do
		if xenstore-exists "$dir" 2>/dev/null; then
			echo "$dir is still there:"
			xenstore-ls -f "$dir"
			return 1
		fi
	done
}

# The xenstore permissions of node $1 are exactly $2 (as xenstore-ls -p prints them).
has_perms() {
	local got
	got=$(xenstore-ls -fp "${1%/*}" | sed -n "s|^$1 = .*(\(.*\))\$|\1|p")
	echo "permissions of $1: '$got', expected '$2'"
	[ "$got" = "$2" ]
}

help_works() {
	"$1" --help >"$OUT" 2>"$ERR" || { echo "exit status $?"; return 1; }
	grep -q "^Usage: $1 " "$OUT" || { echo "no usage on stdout:"; cat "$OUT"; return 1; }
	[ ! -s "$ERR" ] || { echo "stderr not empty:"; cat "$ERR"; return 1; }
}

# The backend bus has no xen2mx device left for device $1 of the guest.
backend_device_gone() {
	[ ! -e "/sys/bus/xen-backend/devices/xen2mx-$D-$1" ] ||
		{ echo "xen2mx-$D-$1 still on the backend bus"; return 1; }
}

# ---------------------------------------------------------------- setup

if [ -e /sys/module/xen2mx_back ]; then
	unload_module xen2mx-back || tap_fail "no xen2mx-back left from before" "rmmod failed"
fi
if ! out=$(guest_start "$G" 2>&1); then
	tap_fail "guest $G starts" "$out"
	exit 0
fi
D=$(guest_domid "$G")
tap_ok "guest $G starts (domid $D)"

# ---------------------------------------------------------------- bad command lines (exit 2)

A=xen2mx-attach
R=xen2mx-detach
expect_refusal "attach: no arguments" $A 2 "missing DOMAIN"
expect_refusal "attach: unknown option" $A 2 "--frobnicate" "$G" --frobnicate
expect_refusal "attach: --devid without a value" $A 2 "--devid needs a value" "$G" --devid
expect_refusal "attach: --devid abc" $A 2 "'abc'" "$G" --devid abc
expect_refusal "attach: --devid -1" $A 2 "'-1'" "$G" --devid -1
expect_refusal "attach: --devid beyond an int" $A 2 "'99999999999'" "$G" --devid 99999999999
expect_refusal "attach: --ring-page-order 5 (max 4)" $A 2 "--ring-page-order '5'" "$G" --ring-page-order 5
expect_refusal "attach: --ring-page-order x" $A 2 "--ring-page-order 'x'" "$G" --ring-page-order x
expect_refusal "attach: --ring-page-order without a value" $A 2 "--ring-page-order needs a value" "$G" --ring-page-order
expect_refusal "attach: --wait -3" $A 2 "--wait '-3'" "$G" --wait -3
expect_refusal "attach: extra positional argument" $A 2 "'surplus'" "$G" surplus
expect_refusal "attach: options only, no DOMAIN" $A 2 "missing DOMAIN" --devid 1

# The guest's board: MAC, interface, hostname, limits.
XX=XX:XX:XX:XX:XX:XX
expect_refusal "attach: --mac without a value" $A 2 "--mac needs a value" "$G" --mac
expect_refusal "attach: --mac with five octets" $A 2 "'02:00:00:00:01': expected six hexadecimal octets $XX" "$G" --mac 02:00:00:00:01
expect_refusal "attach: --mac with seven octets" $A 2 "expected six hexadecimal octets" "$G" --mac 02:00:00:00:01:02:03
expect_refusal "attach: --mac with a three-digit octet" $A 2 "expected six hexadecimal octets" "$G" --mac 02:00:00:00:01:011
expect_refusal "attach: --mac with one-digit octets" $A 2 "expected six hexadecimal octets" "$G" --mac 2:0:0:0:1:1
expect_refusal "attach: --mac with dashes" $A 2 "expected six hexadecimal octets" "$G" --mac 02-00-00-00-01-01
expect_refusal "attach: --mac not hexadecimal" $A 2 "expected six hexadecimal octets" "$G" --mac 02:00:00:00:01:0g
expect_refusal "attach: --mac multicast" $A 2 "'01:00:5e:00:00:01': a multicast address" "$G" --mac 01:00:5e:00:00:01
expect_refusal "attach: --mac broadcast" $A 2 "'ff:ff:ff:ff:ff:ff': a multicast address" "$G" --mac ff:ff:ff:ff:ff:ff
expect_refusal "attach: --mac all-zero" $A 2 "all-zero" "$G" --mac 00:00:00:00:00:00
expect_refusal "attach: --mac empty" $A 2 "--mac '': expected six" "$G" --mac=
expect_refusal "attach: --board without a value" $A 2 "--board needs a value" "$G" --board
expect_refusal "attach: --board empty" $A 2 "--board '': expected an interface name of 1..15 characters" "$G" --board=
expect_refusal "attach: --board of 16 characters" $A 2 "expected an interface name of 1..15 characters" "$G" --board 0123456789abcdef
expect_refusal "attach: --board with a slash" $A 2 "'/' cannot be part of an interface name" "$G" --board a/b
expect_refusal "attach: --board with a colon" $A 2 "':' cannot be part of an interface name" "$G" --board eth0:1
expect_refusal "attach: --board with a space" $A 2 "a space cannot be part of an interface name" "$G" --board "eth 0"
expect_refusal "attach: --board .." $A 2 "'.' and '..' are not interface names" "$G" --board ..
expect_refusal "attach: --hostname without a value" $A 2 "--hostname needs a value" "$G" --hostname
expect_refusal "attach: --hostname empty" $A 2 "--hostname '': expected a name of 1..79 characters" "$G" --hostname=
H80=hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh
expect_refusal "attach: --hostname of 80 characters" $A 2 "expected a name of 1..79 characters" \
	"$G" --hostname "$H80"
expect_refusal "attach: --hostname with a space" $A 2 "a space cannot be part of a hostname" "$G" --hostname "g1 0"
# A newline in the value must not split the report: it shows as '?'.
expect_refusal "attach: --hostname with a newline" $A 2 "'g1?0': character 0x0a cannot be part of a hostname" \
	"$G" --hostname "g1
0"
expect_refusal "attach: --max-endpoints without a value" $A 2 "--max-endpoints needs a value" "$G" --max-endpoints
expect_refusal "attach: --max-endpoints 0" $A 2 "--max-endpoints '0': expected an integer 1..255" "$G" --max-endpoints 0
expect_refusal "attach: --max-endpoints 256" $A 2 "--max-endpoints '256': expected an integer 1..255" "$G" --max-endpoints 256
expect_refusal "attach: --max-endpoints eight" $A 2 "--max-endpoints 'eight'" "$G" --max-endpoints eight
expect_refusal "attach: --max-grants without a value" $A 2 "--max-grants needs a value" "$G" --max-grants
expect_refusal "attach: --max-grants 0" $A 2 "--max-grants '0': expected an integer 1..1048576" "$G" --max-grants 0
expect_refusal "attach: --max-grants 1048577" $A 2 "--max-grants '1048577': expected an integer 1..1048576" "$G" --max-grants 1048577
expect_refusal "attach: --max-grants -1" $A 2 "--max-grants '-1'" "$G" --max-grants -1
# A bad board option after good ones still refuses the whole command.
expect_refusal "attach: good --mac, bad --max-grants" $A 2 "--max-grants '0'" \
	"$G" --mac 02:00:00:00:01:01 --hostname g1:0 --max-grants 0

expect_refusal "detach: no arguments" $R 2 "missing DOMAIN"
expect_refusal "detach: unknown option" $R 2 "--frobnicate" "$G" --frobnicate
expect_refusal "detach: attach-only option --ring-page-order" $R 2 "--ring-page-order" "$G" --ring-page-order 1
expect_refusal "detach: --devid without a value" $R 2 "--devid needs a value" "$G" --devid
expect_refusal "detach: --devid abc" $R 2 "'abc'" "$G" --devid abc
expect_refusal "detach: --timeout without a value" $R 2 "--timeout needs a value" "$G" --timeout
expect_refusal "detach: --timeout soon" $R 2 "'soon'" "$G" --timeout soon
expect_refusal "detach: extra positional argument" $R 2 "'surplus'" "$G" surplus
expect_refusal "detach: attach-only option --mac" $R 2 "unknown option '--mac'" "$G" --mac 02:00:00:00:01:01
expect_refusal "detach: attach-only option --hostname" $R 2 "unknown option '--hostname'" "$G" --hostname g1:0

tap_check "attach: --help prints usage and exits 0" help_works $A
tap_check "detach: --help prints usage and exits 0" help_works $R

# ---------------------------------------------------------------- refusals (exit 1)

expect_refusal "attach: backend module not loaded" $A 1 "not loaded" "$G"

if ! tap_check "load xen2mx-back" load_module xen2mx-back; then
	exit 0
fi

expect_refusal "attach: unknown domain name" $A 1 "unknown domain 'no-such-guest'" no-such-guest
expect_refusal "attach: unknown numeric domid" $A 1 "unknown domain '$NO_SUCH_DOMID'" $NO_SUCH_DOMID
expect_refusal "attach: domid beyond the domid range" $A 1 "unknown domain '99999'" 99999
expect_refusal "attach: domain 0" $A 1 "domain 0 is dom0" 0
expect_refusal "attach: Domain-0 by name" $A 1 "domain 0 is dom0" Domain-0
expect_refusal "detach: unknown domain name" $R 1 "unknown domain 'no-such-guest'" no-such-guest
expect_refusal "detach: unknown numeric domid" $R 1 "unknown domain '$NO_SUCH_DOMID'" $NO_SUCH_DOMID
expect_refusal "detach: domain 0" $R 1 "domain 0 is dom0" 0
expect_refusal "detach: device not attached" $R 1 "has no xen2mx device 0" "$G"
expect_refusal "detach: device not attached, by domid and devid" $R 1 "has no xen2mx device 7" "$D" --devid 7

# ---------------------------------------------------------------- the guest-board nodes

# Every guest-board option at its upper bound (the MAC in upper case: it is
# written in the canonical lower-case form), with the frontend not loaded
# yet: this is about what the tool writes, not about the backend connecting it.
BOARD_NODES="mac board hostname max-endpoints max-grants"
B15=gb0123456789abc
H79=${H80#h}
snapshot >"$work/before-board"
expect_success "attach devid 5 with every guest-board option" $A "$G" --devid 5 \
	--mac 02:AB:cd:00:05:0F --board $B15 --hostname "$H79" --max-endpoints 255 \
	--max-grants 1048576
# node_is DEVID NAME VALUE: the backend node holds VALUE, owned by dom0 and
# readable by the guest, like the other backend nodes.
node_is() {
	local got
	got=$(xs_read "$(be_dir "$1")/$2") || { echo "$(be_dir "$1")/$2 is absent"; return 1; }
	echo "$(be_dir "$1")/$2 = '$got', expected '$3'"
	[ "$got" = "$3" ] && has_perms "$(be_dir "$1")/$2" "n0,r$D"
}
tap_check "mac written in lower case" node_is 5 mac 02:ab:cd:00:05:0f
tap_check "board of 15 characters written" node_is 5 board $B15
tap_check "hostname of 79 characters written" node_is 5 hostname "$H79"
tap_check "max-endpoints 255 written" node_is 5 max-endpoints 255
tap_check "max-grants 1048576 written" node_is 5 max-grants 1048576
tap_diag "$(xenstore-ls -f "$(be_dir 5)" 2>&1)"
# Let the backend probe it (InitWait) before it goes, so that nothing of the
# backend's arrives after the removal.
backend_probed() {
	local s
	s=$(xs_read "$(be_dir "$1")/state")
	echo "backend state of devid $1: '$s'"
	[ -n "$s" ] && [ "$s" != 1 ]
}
tap_check "the backend probes devid 5" wait_for 30 backend_probed 5
# Nobody answers for the frontend, so the backend cannot close: detach waits
# out its timeout, warns, and removes the device anyway.
"$R" "$G" --devid 5 --timeout 1 >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" = 0 ] && device_gone 5 >/dev/null; then
	tap_ok "detach devid 5"
else
	tap_fail "detach devid 5" "exit status $rc" "stderr: $(cat "$ERR")" "$(device_gone 5)"
fi
tap_check "devid 5 gone from the backend bus" wait_for 10 backend_device_gone 5
# A late error node from the backend would show here too.
sleep 2
snapshot >"$work/after-board"
tap_check "xenstore as before devid 5" diff "$work/before-board" "$work/after-board"

# ---------------------------------------------------------------- the good path

if ! out=$(guest_exec "$G" "insmod /opt/xen2mx/modules/xen2mx-front.ko" 2>&1); then
	tap_fail "load xen2mx-front in $G" "$out"
	exit 0
fi
tap_ok "load xen2mx-front in $G"

snapshot >"$work/pristine"
expect_success "attach by name (devid 0)" $A "$G"
expect_success "attach by domid (devid 1, ring-page-order 0)" $A "$D" --devid 1 --ring-page-order 0
tap_check "frontend dir owned by the guest, readable by dom0" has_perms "$(fe_dir 0)" "n$D,r0"
tap_check "backend dir owned by dom0, readable by the guest" has_perms "$(be_dir 0)" "n0,r$D"
tap_check "requested-ring-page-order written for devid 1" \
	test "$(xs_read "$(fe_dir 1)/requested-ring-page-order")" = 0
tap_check "no requested-ring-page-order unless asked" \
	sh -c "! xenstore-exists '$(fe_dir 0)/requested-ring-page-order' 2>/dev/null"
# no_board_nodes DEVID: none of the guest-board nodes (the backend's defaults apply).
no_board_nodes() {
	local node rc=0
	for node in $BOARD_NODES; do
		if xenstore-exists "$(be_dir "$1")/$node" 2>/dev/null; then
			echo "$(be_dir "$1")/$node = '$(xs_read "$(be_dir "$1")/$node")' though not asked"
			rc=1
		fi
	done
	return "$rc"
}
tap_check "no guest-board nodes unless asked" no_board_nodes 0
tap_check "device 0 Connected within $CONNECT_TIMEOUT s" wait_for $CONNECT_TIMEOUT connected 0
tap_check "device 1 Connected within $CONNECT_TIMEOUT s" wait_for $CONNECT_TIMEOUT connected 1

expect_refusal "attach: already attached (by name)" $A 1 "already has xen2mx device 0" "$G"
expect_refusal "attach: already attached (by domid)" $A 1 "already has xen2mx device 1" "$D" --devid 1
tap_check "device 0 still Connected after the refused attach" connected 0

# A silent stderr means no "did not close" warning: the backend reached Closed.
expect_success "detach device 0 by name, backend Closed in time" $R "$G"
tap_check "device 0 gone from xenstore" device_gone 0
tap_check "device 0 gone from the backend bus" wait_for 10 backend_device_gone 0
tap_check "device 1 still Connected after detaching device 0" connected 1
expect_success "detach device 1 by domid, backend Closed in time" $R "$D" --devid 1
tap_check "device 1 gone from xenstore" device_gone 1
snapshot >"$work/detached"
tap_check "xenstore as before the first attach" diff "$work/pristine" "$work/detached"

# A guest destroyed with a device attached leaves the backend half behind;
# detach by domid cleans it up.
expect_success "attach devid 2 by name" $A "$G" --devid 2
tap_check "device 2 Connected within $CONNECT_TIMEOUT s" wait_for $CONNECT_TIMEOUT connected 2
tap_check "destroy $G with device 2 attached" guest_destroy "$G"
# detach may have to wait out its timeout if the backend already let go.
"$R" "$D" --devid 2 --timeout 5 >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" = 0 ] && ! xenstore-exists "$(be_dir 2)" 2>/dev/null; then
	tap_ok "detach by domid after the guest is gone removes the backend half"
else
	tap_fail "detach by domid after the guest is gone removes the backend half" \
		"exit status $rc" "stderr: $(cat "$ERR")"
fi
tap_check "no xen2mx backend nodes left" \
	sh -c "! xenstore-exists /local/domain/0/backend/xen2mx 2>/dev/null"
expect_refusal "detach: the same device again" $R 1 "no xen2mx device 2" "$D" --devid 2

tap_check "unload xen2mx-back" unload_module xen2mx-back
rm -rf "$work"
exit 0
