# lib-xen2mx.sh: helpers for the xen2mx scenarios, sourced after lib-dom0.sh.
#
#   be_dir DOMID [DEVID]          backend directory of a device
#   fe_dir DOMID [DEVID]          frontend directory of a device
#   be_state / fe_state DOMID [DEVID]   the xenbus state number, or "none"
#   states_are BE FE DOMID [DEVID]      both states equal the given numbers
#   totals KEY                    a value of xen2mx-back/totals
#   totals_is KEY VALUE           that value equals VALUE
#   backend_clean                 totals say nothing is mapped or held
#   guest_frontend_load NAME      insmod the frontend in a guest
#   bring_up NAME...              load the backend (unless loaded), then for each
#                                 guest: start it, load its frontend, attach and
#                                 wait for Connected; one result per step, and
#                                 non-zero at the first step that fails
#   attach_connected NAME [ATTACH OPTIONS...]
#                                 xen2mx-attach, then wait (60 s) for both ends
#                                 to reach Connected (4); prints diagnostics on
#                                 failure

XS_CONNECTED=4
XS_CLOSED=6

be_dir() { echo "/local/domain/0/backend/xen2mx/$1/${2:-0}"; }
fe_dir() { echo "/local/domain/$1/device/xen2mx/${2:-0}"; }

be_state() { xs_read "$(be_dir "$1" "$2")/state" || echo none; }
fe_state() { xs_read "$(fe_dir "$1" "$2")/state" || echo none; }

states_are() {
	[ "$(be_state "$3" "$4")" = "$1" ] && [ "$(fe_state "$3" "$4")" = "$2" ]
}

totals() { dom0_debugfs_value xen2mx-back/totals "$1"; }
totals_is() { [ "$(totals "$1")" = "$2" ]; }

backend_clean() {
	totals_is ring_pages_mapped 0 && totals_is grants_mapped 0
}

guest_frontend_load() {
	guest_exec "$1" "insmod /opt/xen2mx/modules/xen2mx-front.ko"
}

attach_connected() {
	local name=$1 domid devid=0 prev=
	shift
	domid=$(guest_domid "$name") || return 1
	for a in "$@"; do
		[ "$prev" = --devid ] && devid=$a
		prev=$a
	done
	xen2mx-attach "$name" "$@" || return 1
	if ! wait_for 60 states_are $XS_CONNECTED $XS_CONNECTED "$domid" "$devid"; then
		echo "backend state $(be_state "$domid" "$devid"), frontend state $(fe_state "$domid" "$devid")"
		xenstore-ls -f "$(be_dir "$domid" "$devid")" 2>&1
		xenstore-ls -f /local/domain/0/error 2>&1
		return 1
	fi
}

bring_up() {
	local g
	if ! grep -q '^xen2mx_back ' /proc/modules; then
		tap_check "backend module loads" load_module xen2mx-back || return 1
	fi
	for g in "$@"; do
		tap_check "guest $g starts" guest_start "$g" || return 1
		tap_check "frontend module loads in $g" guest_frontend_load "$g" || return 1
		tap_check "$g attaches and both ends reach Connected" attach_connected "$g" || return 1
	done
}
