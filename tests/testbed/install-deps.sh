#!/bin/sh
# Install every Debian package needed to build xen2mx and to run its test bed
# (Xen + dom0 + PV domUs inside QEMU, the test kernel build, and the network
# tools of two-host boots and benchmarks: iproute2's ip/tc, iperf3, sockperf).
#
# Idempotent and cheap when nothing is missing: dpkg-query is asked first, and
# the network (apt-get update, apt-get install) is only touched for packages
# that are not installed yet. Must run as root when something is missing.
set -eu

packages="
	qemu-system-x86
	xen-hypervisor-4.17-amd64
	xen-utils-4.17
	linux-image-amd64
	linux-headers-amd64
	busybox-static
	cpio
	xz-utils
	zstd
	kmod
	gcc
	make
	libc6-dev
	bc
	libxen-dev
	autoconf
	automake
	libtool
	pkg-config
	flex
	bison
	libelf-dev
	libssl-dev
	rsync
	linux-source-6.1
	dwarves
	patch
	iproute2
	iperf3
	sockperf
"

# "ii" is installed and configured; anything else (absent, half-installed,
# removed with config files left) needs apt-get's attention.
missing=
for pkg in $packages; do
	status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
	case $status in
	ii*) ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi

echo "install-deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: must run as root to install packages" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install -y --no-install-recommends $missing
