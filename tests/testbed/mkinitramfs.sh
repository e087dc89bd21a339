#!/bin/bash
# Build the gzip'ed cpio initramfs of a test-bed dom0 or domU.
#
# Both images are busybox-static plus the Xen user-space tools their role
# needs, copied with every shared library they load, and a PAYLOAD directory
# (the artifacts under test, scenario scripts, ...) copied to /opt/xen2mx.
# Run with --help for the options.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: mkinitramfs.sh --role dom0|domu --output FILE [options]

Options:
  --role dom0|domu       which image to build
  --output FILE          where to write the gzip'ed newc cpio archive
  --payload DIR          copied to /opt/xen2mx (bin/, modules/, scenarios/,
                         lib/: whatever is there); ELF programs in DIR/bin get
                         their shared libraries copied too; DIR/syslib/ (shared
                         libraries, symlinks kept) goes to the image's system
                         library directory instead, where the loader finds it
  --modules KV           also copy the Xen drivers of the installed kernel KV
                         (/lib/modules/KV) and load them at boot; leave out for
                         a kernel that has them built in (the test kernel)
  --guest-kernel FILE    dom0 only: the domU kernel (an ELF vmlinux loads much
                         faster than a bzImage), installed as
                         /opt/xen2mx/guest/vmlinux
  --guest-initramfs FILE dom0 only: the domU initramfs, installed as
                         /opt/xen2mx/guest/initramfs.cpio.gz
  --net-tools            add iproute2's ip, iperf3 and sockperf; a dom0 image
                         also gets tc (with netem; its module too with
                         --modules)
  -h, --help             show this help
EOF
}

die() { printf 'mkinitramfs: error: %s\n' "$*" >&2; exit 1; }
trap 'printf "mkinitramfs: error: line %s failed: %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR

role='' output='' payload='' kv='' guest_kernel='' guest_initramfs='' net_tools=0
while [[ $# -gt 0 ]]; do
	case $1 in
	--role) role=${2:?}; shift 2 ;;
	--output) output=${2:?}; shift 2 ;;
	--payload) payload=${2:?}; shift 2 ;;
	--modules) kv=${2:?}; shift 2 ;;
	--guest-kernel) guest_kernel=${2:?}; shift 2 ;;
	--guest-initramfs) guest_initramfs=${2:?}; shift 2 ;;
	--net-tools) net_tools=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[[ $role == dom0 || $role == domu ]] || die "--role must be dom0 or domu"
[[ -n $output ]] || die "--output is required"
if [[ $role == dom0 ]]; then
	[[ -f $guest_kernel && -f $guest_initramfs ]] ||
		die "a dom0 image needs --guest-kernel and --guest-initramfs"
elif [[ -n $guest_kernel$guest_initramfs ]]; then
	die "--guest-kernel/--guest-initramfs are for dom0 images only"
fi
[[ -z $payload || -d $payload ]] || die "payload '$payload' is not a directory"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Debian installs Xen's tools under a versioned directory; libxl also execs
# helpers from there by absolute path, so the image keeps the same layout.
xen_bin=$(dirname "$(ls -d /usr/lib/xen-*/bin/xl 2>/dev/null | sort -V | tail -n1)")
[[ -x $xen_bin/xl ]] || die "Xen tools not found (install xen-utils; see install-deps.sh)"
busybox=$(command -v busybox) || die "busybox not found (install busybox-static)"
# The image has no libraries of its own for busybox to use.
[[ $(ldd "$busybox" 2>&1) == *"not a dynamic executable"* ]] ||
	die "$busybox is not static (install busybox-static)"

stage=$(mktemp -d "${TMPDIR:-/tmp}/xen2mx-initramfs.XXXXXX")
trap 'rm -rf "$stage"' EXIT

mkdir -p "$stage"/{bin,sbin,lib,lib64,usr/bin,usr/sbin,usr/lib,usr/local/bin,etc/xen} \
	"$stage"/{dev,proc,sys,run,tmp,root,mnt,opt/xen2mx} \
	"$stage"/var/{log/xen,lib/xen,lib/xenstored}
chmod 1777 "$stage/tmp"
# libxl takes its locks under /var/run/xen; without the link to /run a dead
# guest stays listed as "(null)".
ln -s ../run "$stage/var/run"
: >"$stage/etc/xen/xl.conf"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$stage/etc/passwd"
printf 'root:x:0:\n' >"$stage/etc/group"

# busybox and its applets (bin/sh, sbin/insmod, usr/bin/awk, ...).
cp "$busybox" "$stage/bin/busybox"
while read -r applet; do
	[[ $applet == */* ]] || applet=bin/$applet
	[[ -e $stage/$applet ]] || ln -s /bin/busybox "$stage/$applet"
done < <("$busybox" --list-full)

# Copy a file to the same absolute path in the image, following symlinks.
copy_file() {
	mkdir -p "$stage$(dirname "$1")"
	cp -L "$1" "$stage$1"
}

# Where the loader looks without an ld.so.cache: the directory of libc, as
# ldd reports it (and as copy_libs below copies it).
syslib_dir=$(dirname "$(ldd "$BASH" 2>/dev/null | awk '$1 == "libc.so.6" { print $3 }')")
[[ $syslib_dir == /* ]] || die "cannot find the directory of libc.so.6"

# Copy the shared libraries an ELF program needs (ldd's "=> /path" lines and
# the dynamic loader line), each to the path the loader will look it up at.
# A library the payload brings (syslib/) wins over one found on this machine.
copy_libs() {
	local out
	out=$(ldd "$1" 2>&1) || return 0 # static or not ELF: nothing to copy
	while read -r lib; do
		[[ -e $stage$lib || -e $stage$syslib_dir/$(basename "$lib") ]] || copy_file "$lib"
	done < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$out")
}

# Install a program at DEST in the image, with its libraries.
install_prog() {
	local src=$1 dest=$2
	mkdir -p "$stage$(dirname "$dest")"
	# Never through a busybox applet link (absolute: it would hit this
	# machine's busybox).
	rm -f "$stage$dest"
	cp -L "$src" "$stage$dest"
	chmod 0755 "$stage$dest"
	copy_libs "$src"
}

# glibc dlopen()s libgcc_s for thread cancellation and unwinding; ldd does
# not list it, and without it xl create aborts (rc 134).
# (awk reads all of its input: an early exit would kill ldconfig with
# SIGPIPE, a failure under pipefail.)
libgcc=$(ldconfig -p | awk '/libgcc_s\.so\.1 .*x86-64/ && !found { print $NF; found = 1 }')
[[ -n $libgcc ]] || die "libgcc_s.so.1 not found"
copy_file "$libgcc"

# The xenstore client is one binary acting on the name it is called by.
install_prog "$(command -v xenstore)" /usr/bin/xenstore
for tool in read write ls list rm chmod exists watch; do
	ln -s xenstore "$stage/usr/bin/xenstore-$tool"
done

if [[ $role == dom0 ]]; then
	for prog in xenstored xl xenconsoled xen-init-dom0 xenconsole; do
		install_prog "$xen_bin/$prog" "$xen_bin/$prog"
		ln -sf "$xen_bin/$prog" "$stage/usr/sbin/$prog"
	done
fi

# Two-host boots: link setup and fault injection (iproute2; busybox's ip has
# no tc, and its ip is shadowed, /usr/sbin coming first on PATH), TCP
# benchmarks. tc reads netem's delay distributions from /usr/lib/tc.
# Guests that run TCP benchmarks get the same minus tc (about 5.5 MB more
# of compressed image, hence only when asked for).
if ((net_tools)); then
	progs="/usr/sbin/ip /usr/bin/iperf3 /usr/bin/sockperf"
	if [[ $role == dom0 ]]; then progs="$progs /usr/sbin/tc"; fi
	for prog in $progs; do
		[[ -x $prog ]] || die "$prog not found (see install-deps.sh)"
		install_prog "$prog" "$prog"
	done
	if [[ $role == dom0 ]]; then
		for dist in /usr/lib/tc/*.dist; do
			if [[ -f $dist ]]; then copy_file "$dist"; fi
		done
	fi
fi

# Xen drivers of a stock kernel, with whatever they depend on, in load order
# (modprobe's own resolution, not a hard-coded list). The init script insmods
# the files listed in /lib/modules/load-order and tolerates built-in drivers.
if [[ -n $kv ]]; then
	[[ -d /lib/modules/$kv ]] || die "no modules for kernel $kv in /lib/modules"
	if [[ $role == dom0 ]]; then
		wanted="xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs virtio_net virtio_pci veth xen-netback bridge"
		if ((net_tools)); then wanted="$wanted sch_netem"; fi
	else
		wanted="xen-evtchn xen-gntdev xen-gntalloc xenfs xen-netfront"
	fi
	order=$stage/lib/modules/load-order
	mkdir -p "$stage/lib/modules"
	: >"$order"
	for mod in $wanted; do
		deps=$(modprobe -d / -S "$kv" --show-depends "$mod") ||
			die "modprobe cannot resolve $mod for $kv"
		while read -r verb path _; do
			[[ $verb == insmod ]] || continue # "builtin NAME"
			dest=${path%.xz}
			dest=${dest%.zst}
			grep -qxF "$dest" "$order" && continue
			mkdir -p "$stage$(dirname "$dest")"
			# busybox insmod may not understand compressed modules.
			case $path in
			*.xz) xz -dc "$path" >"$stage$dest" ;;
			*.zst) zstd -qdc "$path" >"$stage$dest" ;;
			*) cp "$path" "$stage$dest" ;;
			esac
			printf '%s\n' "$dest" >>"$order"
		done <<<"$deps"
	done
fi

# Framework files: the init script, helpers and, in dom0, the scenario API.
install -m 0755 "$here/kmemleak-report.sh" "$stage/usr/local/bin/kmemleak-report"
if [[ $role == dom0 ]]; then
	install -m 0755 "$here/init-dom0.sh" "$stage/init"
	mkdir -p "$stage/opt/xen2mx/guest"
	cp "$guest_kernel" "$stage/opt/xen2mx/guest/vmlinux"
	cp "$guest_initramfs" "$stage/opt/xen2mx/guest/initramfs.cpio.gz"
else
	install -m 0755 "$here/init-domu.sh" "$stage/init"
	install -m 0755 "$here/guest-agent.sh" "$stage/usr/local/bin/xen2mx-agent"
fi

if [[ -n $payload ]]; then
	# Libraries first, so that copy_libs takes them rather than any copy
	# installed on this machine.
	if [[ -d $payload/syslib ]]; then
		mkdir -p "$stage$syslib_dir"
		cp -a "$payload/syslib/." "$stage$syslib_dir/"
		for lib in "$payload"/syslib/*; do
			if [[ -f $lib && ! -L $lib ]]; then copy_libs "$lib"; fi
		done
	fi
	tar -C "$payload" --exclude=./syslib -cf - . | tar -C "$stage/opt/xen2mx" -xf -
	if [[ -d $stage/opt/xen2mx/bin ]]; then
		for prog in "$stage"/opt/xen2mx/bin/*; do
			if [[ -f $prog ]]; then copy_libs "$prog"; fi
		done
	fi
fi
# The scenario API lives next to the payload's files, where scenarios source
# it from; it is part of the framework, so it wins over a payload copy.
if [[ $role == dom0 ]]; then
	mkdir -p "$stage/opt/xen2mx/lib"
	install -m 0644 "$here/lib-dom0.sh" "$stage/opt/xen2mx/lib/lib-dom0.sh"
	install -m 0644 "$here/lib-twohost.sh" "$stage/opt/xen2mx/lib/lib-twohost.sh"
	install -m 0755 "$here/run-scenarios.sh" "$stage/opt/xen2mx/lib/run-scenarios.sh"
fi

mkdir -p "$(dirname "$output")"
(cd "$stage" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
	cpio --quiet -o -0 -H newc -R 0:0) | gzip -1 >"$output.tmp"
mv -f "$output.tmp" "$output"
