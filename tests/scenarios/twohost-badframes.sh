#!/bin/sh
# twohost-badframes: hostB injects malformed Open-MX frames at hostA with a
# raw packet socket (omx-rawframe): too short for their headers, a length
# field beyond its limit or beyond the frame, unknown and never-valid packet
# types, a peer index beyond the table, a valid peer index from the wrong
# address, a pull reply for no pull.  hostA counts each kind under its
# Open-MX drop counter and drops it; afterwards the two hosts still talk
# (omx_perf, every byte checked) and hostA's kernel log is clean.
# timeout: 600
. /opt/xen2mx/lib/lib-dom0.sh
. /opt/xen2mx/lib/lib-twohost.sh
. /opt/xen2mx/scenarios/lib-omx.sh

omx_twohost_up || exit 0
N=20

# Counter indexes (openmx-wire.md 8.1)
C_HDRLEN=49 C_DATALEN=50 C_PEER_INDEX=53 C_REPLY_MAGIC=59 C_INVALID=70 C_UNKNOWN=71

# The sum of some counters of board 0.
counters_sum() {
	local c sum=0 v
	for c in $(echo "$1" | tr + ' '); do
		v=$(omx_counter 0 "$c")
		sum=$((sum + ${v:-0}))
	done
	echo $sum
}

# frame NAME COUNTERS OMX-RAWFRAME-ARGS...: hostB sends N of them, hostA
# checks that COUNTERS (one index, or several joined by +) grew by N.
frame() {
	local name=$1 counter=$2 before after tag
	shift 2
	tag=$(echo "$name" | tr -c 'A-Za-z0-9\n' - | cut -c1-40)
	if host_is 1; then
		before=$(counters_sum "$counter")
		peer_barrier "bad-$tag-ready" 60 || return 1
		peer_barrier "bad-$tag-sent" 60 || return 1
		sleep 1
		after=$(counters_sum "$counter")
		if [ -n "$before" ] && [ -n "$after" ] && [ $((after - before)) -ge $N ]; then
			tap_ok "$name: counted and dropped (counter $counter: $before -> $after)"
		else
			tap_fail "$name: counted and dropped (counter $counter +$N)" \
				"before '$before', after '$after'" "$(omx_counters -q)"
		fi
	else
		peer_barrier "bad-$tag-ready" 60 || return 1
		tap_check "$name: $N frames sent" omx-rawframe send -i "$XEN2MX_LINK" \
			-d "$XEN2MX_PEER_MAC" -n $N "$@"
		peer_barrier "bad-$tag-sent" 60 || return 1
	fi
}

# -b gives the octets after the type octet: for TINY/SMALL, dst endpoint,
# src endpoint, generation, then the 16-bit length.
# A 30-octet TINY (0x25): too short for its 40 octets of headers, or, if
# something on the way pads it to the 60-octet minimum, its length (32)
# runs past the end; either way a length drop.
frame "TINY frame of 30 octets" $C_HDRLEN+$C_DATALEN -t 0x25 -p 0 -b 0000000020 -l 30 || exit 0
frame "TINY with length 100 (over 32)" $C_DATALEN -t 0x25 -p 0 -b 0000000064 || exit 0
frame "SMALL of 120 octets in a 60-octet frame" $C_DATALEN -t 0x26 -p 0 -b 0000000078 -l 60 || exit 0
frame "unknown packet type 0x77" $C_UNKNOWN -t 0x77 -p 0 || exit 0
frame "packet type 0x20, never valid on the wire" $C_INVALID -t 0x20 -p 0 || exit 0
frame "peer index beyond the table" $C_PEER_INDEX -t 0x25 -p 0xfff0 || exit 0
# hostA's own entry in its peer table (valid), but sent from hostB.
own_index=$(omx_info | sed -n "s/^ *\\([0-9]*\\)) $(cat /sys/class/net/$XEN2MX_LINK/address) .*/\\1/p")
a_index=$(peer_exchange bad-own-index "$own_index" 60) || exit 0
host_is 2 || a_index=0
frame "a valid peer index that is not the sender's" $C_PEER_INDEX -t 0x25 -p "$a_index" || exit 0
# PULL_REPLY (0x2a): seqnum, length, offset, handle, then a magic naming
# no endpoint.
frame "PULL_REPLY for no pull" $C_REPLY_MAGIC -t 0x2a -b 00000000000000000000000000ffff || exit 0

# Garbage of every type and length: nothing may break.
if host_is 2; then
	i=0
	while [ $i -lt 60 ]; do
		len=$((14 + (i * 37) % 1500))
		omx-rawframe send -i "$XEN2MX_LINK" -d "$XEN2MX_PEER_MAC" -t $((i * 7 % 256)) \
			-p $((i * 4099 % 65536)) -b "$(printf '%08x%08x%08x' $((i * 2654435761 % 4294967296)) $i $((i * i)))" \
			-l "$len" >/dev/null 2>&1
		i=$((i + 1))
	done
fi
peer_barrier garbage-sent 120 || exit 0

# Still talking: a verified ping-pong through every size class.
omx_perf_pair "to $OMX_PEER after the bad frames: 0 B..1 MiB, every byte verified" \
	-V -E 1048577 -N 2 -W 1 || exit 0
tap_check "open-mx unloads" omx_unload
