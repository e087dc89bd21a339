#!/bin/sh
# xen2mx-agent: run shell commands that dom0 sends through xenstore.
#
# All nodes live in the guest's own data/ directory
# (/local/domain/<domid>/data, which libxl creates writable by the guest and
# which dom0 can always read and write):
#
#   xen2mx-agent     guest writes "ready" once it accepts commands
#   xen2mx-kmemleak  guest writes 1 if its kernel has kmemleak, else 0
#   xen2mx-cmd       dom0 writes "<seq> <command>"; seq is any token that
#                    differs from the previous command's
#   xen2mx-out       guest: the command's stdout+stderr, first part
#   xen2mx-out2      guest: second part (xenstored limits the size of one
#                    node written by a guest to about 2 KiB)
#   xen2mx-rc        guest: "<seq> <exit status>", written in the same
#                    transaction as the output, so a dom0 that sees its seq
#                    here also sees that command's output
#
# Output longer than about 3 KiB is cut from the front in xenstore; the full
# output always goes to the console (stdout of this agent), i.e. the guest's
# console log in dom0. Commands run one at a time with sh -c, stdin from
# /dev/null; "cmd &" returns at once and leaves cmd running.
#
# Relative xenstore paths resolve to the guest's home /local/domain/<domid>.

out_max=2900   # bytes kept for xenstore, plus the header line added below
chunk=1536     # bytes per node; out_max plus header fits in two

# Byte counts and offsets below are in bytes only in the C locale.
export LC_ALL=C
nl='
'

# The last command run: in a variable for speed, and in a file because the
# watch loop below runs in a subshell and the polling fallback must not run
# that command again. Every process costs tens of ms under TCG, hence the
# shell built-ins wherever they do.
last_seq=
last_seq_file=/run/xen2mx-agent.last
: >"$last_seq_file"

run_pending() {
	local v seq cmd rc out size part1 part2
	v=$(xenstore-read -R data/xen2mx-cmd 2>/dev/null) || return 0
	seq=${v%% *}
	cmd=${v#* }
	[ "$seq" = "$last_seq" ] && return 0
	last_seq=$seq
	echo "$seq" >"$last_seq_file"

	echo "xen2mx-agent: [$seq] \$ $cmd"
	# A file, not a pipe: "cmd &" must not keep the agent waiting for EOF.
	out=/tmp/xen2mx-agent.$seq.out
	sh -c "$cmd" </dev/null >"$out" 2>&1
	rc=$?
	v=$(cat "$out"; echo x)
	v=${v%x}
	printf '%s' "$v"
	case $v in
	"" | *"$nl") ;;
	*) echo ;;
	esac
	echo "xen2mx-agent: [$seq] exit status $rc"

	size=${#v}
	if [ "$size" -gt "$out_max" ]; then
		v=$(tail -c "$out_max" "$out"; echo x)
		v="[xen2mx-agent: first $((size - out_max)) of $size bytes cut; full output on the guest console]$nl${v%x}"
	fi
	rm -f "$out"
	part1=${v:0:$chunk}
	part2=${v:$chunk}

	if ! xenstore-write -R -- data/xen2mx-out "$part1" data/xen2mx-out2 "$part2" \
		data/xen2mx-rc "$seq $rc"; then
		# Never leave dom0 waiting: report the status without the output.
		echo "xen2mx-agent: [$seq] could not store the output in xenstore"
		xenstore-write -R -- data/xen2mx-out "[xen2mx-agent: output could not be stored]" \
			data/xen2mx-out2 "" data/xen2mx-rc "$seq $rc"
	fi
}

# kmemleak=off on the command line (GUEST_DEBUG=light) leaves the debugfs
# file in place, but nothing behind it.
if [ -e /sys/kernel/debug/kmemleak ] && ! grep -qw kmemleak=off /proc/cmdline; then
	kmemleak=1
else
	kmemleak=0
fi
if ! xenstore-write data/xen2mx-kmemleak "$kmemleak" data/xen2mx-agent ready; then
	echo "xen2mx-agent: cannot write to xenstore, giving up"
	exit 1
fi
echo "xen2mx-agent: ready (domid $(xenstore-read domid))"

# A watch fires once when set and then after every write to the node, so no
# command is missed; the pipe into the loop keeps the agent idle in between.
# If watches do not work, fall back to polling.
xenstore-watch data/xen2mx-cmd | while read -r _; do
	run_pending
done
echo "xen2mx-agent: xenstore-watch ended, polling every 0.2 s instead"
last_seq=$(cat "$last_seq_file")
while :; do
	run_pending
	sleep 0.2
done
