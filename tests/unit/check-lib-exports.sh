#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-lib-exports.sh - libopen-mx exports exactly the Open-MX 1.5 API
# (TAP): every function and object of open-mx.h, myriexpress.h,
# mx_extensions.h, mx_raw.h and mx_internals/, plus mx__regcache_clean,
# and nothing else; the MX symbols carry MX's ELF versions
# (libopen-mx.map) and every other symbol is unversioned.
#
# Run from tests/unit of the build tree, after userspace/lib was built.
set -u

lib=${LIBOPEN_MX:-../../userspace/lib/.libs/libopen-mx.so}

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"

if [ ! -f "$lib" ]; then
	echo "1..0 # SKIP $lib not built"
	exit 0
fi

# The API of mx-api.md sections 4 and 5, one name a line.
sort > "$tmp/expected" <<'EOL'
OMX_ERRORS_ARE_FATAL
OMX_ERRORS_RETURN
omx__init_api
omx_finalize
omx_strerror
omx_set_error_handler
omx_open_endpoint
omx_close_endpoint
omx_wakeup
omx_get_endpoint_addr
omx_connect
omx_iconnect
omx_disconnect
omx_decompose_endpoint_addr
omx_decompose_endpoint_addr_with_session
omx_set_endpoint_addr_context
omx_get_endpoint_addr_context
omx_isend
omx_issend
omx_isendv
omx_issendv
omx_irecv
omx_irecvv
omx_context
omx_test
omx_wait
omx_test_any
omx_wait_any
omx_ipeek
omx_peek
omx_iprobe
omx_probe
omx_ibuffered
omx_cancel
omx_cancel_notest
omx_forget
omx_progress
omx_disable_progression
omx_reenable_progression
omx_set_request_timeout
omx_register_unexp_handler
omx_board_number_to_nic_id
omx_nic_id_to_board_number
omx_hostname_to_nic_id
omx_nic_id_to_hostname
omx_get_info
MX_ERRORS_ARE_FATAL
MX_ERRORS_RETURN
mx__init_api
mx_finalize
mx_set_error_handler
mx_open_endpoint
mx_close_endpoint
mx_wakeup
mx_disable_progression
mx_reenable_progression
mx_isend
mx_issend
mx_irecv
mx_cancel
mx_test
mx_wait
mx_test_any
mx_wait_any
mx_ipeek
mx_peek
mx_iprobe
mx_probe
mx_ibuffered
mx_context
mx_get_info
mx_hostname_to_nic_id
mx_board_number_to_nic_id
mx_nic_id_to_board_number
mx_nic_id_to_hostname
mx_connect
mx_decompose_endpoint_addr
mx_get_endpoint_addr
mx_strerror
mx_strstatus
mx_iconnect
mx_disconnect
mx_register_unexp_handler
mx_forget
mx_progress
mx_set_endpoint_addr_context
mx_get_endpoint_addr_context
mx_set_request_timeout
mx_decompose_endpoint_addr2
mx_register_unexp_callback
mx_iput
mx_iget
mx_buffered
mx_raw_handle
mx_raw_open_endpoint
mx_raw_close_endpoint
mx_raw_send
mx_raw_next_event
mx_raw_set_route_begin
mx_raw_set_route_end
mx_raw_set_route_mag
mx_raw_set_route
mx_raw_clear_routes
mx_raw_remove_peer
mx_raw_set_map_version
mx_raw_num_ports
mx_raw_line_speed
mx_raw_set_hostname
mx_raw_set_peer_name
mx_raw_set_nic_reply_info
mx_open_board
mx__get_mapper_state
mx__regcache_clean
EOL

# "<name> <version>" of every defined dynamic symbol; the version nodes
# themselves appear as absolute symbols and are left out.
objdump -T "$lib" | grep -v -e '\*UND\*' -e '\*ABS\*' |
	awk '/^[0-9a-f]+ / { print $NF, $(NF - 1) }' | sort > "$tmp/exported"
cut -d' ' -f1 "$tmp/exported" | sort -u > "$tmp/names"

comm -23 "$tmp/expected" "$tmp/names" > "$tmp/missing"
[ -s "$tmp/missing" ] && sed 's/^/# missing: /' "$tmp/missing"
[ ! -s "$tmp/missing" ]
check $? "every API function and object is exported ($(wc -l < "$tmp/expected") names)"

comm -13 "$tmp/expected" "$tmp/names" > "$tmp/extra"
[ -s "$tmp/extra" ] && sed 's/^/# not API: /' "$tmp/extra"
[ ! -s "$tmp/extra" ]
check $? "nothing else is exported"

for v in "mx_open_endpoint MX_0.9" "mx_decompose_endpoint_addr MX_0.9" \
	 "mx_get_info MX_0.91" "mx_test MX_0.91" "mx_wait MX_0.91" \
	 "mx_iprobe MX_0.91" "mx__init_api MX_0.92"; do
	grep -qx "$v" "$tmp/exported"
	check $? "${v% *} has version ${v#* }"
done

grep -v ' MX_0\.9\(1\|2\)\?$' "$tmp/exported" | grep -v ' Base$' > "$tmp/odd"
[ -s "$tmp/odd" ] && sed 's/^/# versioned: /' "$tmp/odd"
[ ! -s "$tmp/odd" ]
check $? "every other symbol is unversioned"

readelf -V "$lib" > "$tmp/versions"
grep -q 'Name: MX_0\.0$' "$tmp/versions"
check $? "version node MX_0.0 is defined"
grep -A1 'Name: MX_0\.91$' "$tmp/versions" | grep -q 'Parent 1: MX_0\.9$'
check $? "MX_0.91 inherits MX_0.9"
grep -A1 'Name: MX_0\.92$' "$tmp/versions" | grep -q 'Parent 1: MX_0\.91$'
check $? "MX_0.92 inherits MX_0.91"

tap_end
