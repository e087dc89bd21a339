#!/bin/bash
# Build the xen2mx test kernel once and cache it.
#
# The kernel is Debian's linux-source-6.1 configured as tinyconfig plus
# test-kernel.config (Xen dom0 + domU built in, KUnit, lockdep, kmemleak,
# SLUB debugging). Run with --help for details.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: build-test-kernel.sh [--print-key | --help]

Build the xen2mx test kernel from /usr/src/linux-source-6.1.tar.xz with
tinyconfig + tests/testbed/test-kernel.config, unless it is already cached.

The cache directory is ${XEN2MX_CACHE:-/var/cache/xen2mx}/test-kernel-<key>,
where <key> hashes the config fragment, kernel-patches/*.patch, this script and the version of the
linux-source-6.1 package. It holds:
  linux/          the built source tree; build out-of-tree modules with
                  make -C <dir>/linux M=<module dir> modules
  bzImage         compressed kernel (plain QEMU, Xen dom0)
  vmlinux.elf     uncompressed ELF kernel (loads much faster as a Xen PV domU)
  kernelrelease   the release string (uname -r, module vermagic)
  build.log       full output of the build

On success the cache directory is the last (and only) line on stdout;
progress goes to stderr. A cold build takes 10-15 minutes on 2 cores; a
cached one returns at once.

Options:
  --print-key   print the cache directory that would be used, build nothing
  -h, --help    show this help
EOF
}

log() { printf 'build-test-kernel: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

mode=build
case "$*" in
"") ;;
-h | --help) usage; exit 0 ;;
--print-key) mode=print-key ;;
*) log "bad arguments: $* (see --help)"; exit 2 ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self=$here/$(basename "${BASH_SOURCE[0]}")
fragment=$here/test-kernel.config
# Local fixes carried on top of Debian's source, applied in name order.
patches=("$here"/kernel-patches/*.patch)
[[ -e ${patches[0]} ]] || patches=()
src_pkg=linux-source-6.1
tarball=/usr/src/$src_pkg.tar.xz
root=${XEN2MX_CACHE:-/var/cache/xen2mx}

src_version=$(dpkg-query -W -f='${Version}' "$src_pkg" 2>/dev/null) ||
	die "package $src_pkg is not installed"
key=$({ cat "$fragment" "$self" ${patches[@]+"${patches[@]}"}; printf '%s\n' "$src_version"; } |
	sha256sum | cut -c1-16)
dir=$root/test-kernel-$key

if [[ $mode == print-key || -e $dir/.done ]]; then
	printf '%s\n' "$dir"
	exit 0
fi

[[ -r $tarball ]] || die "$tarball not found (install $src_pkg)"
mkdir -p "$root"

# Two builds of the same key at once would trample each other's .tmp tree.
exec 9>"$dir.lock"
if ! flock -n 9; then
	log "another build of $dir is running, waiting for it"
	flock 9
fi
if [[ -e $dir/.done ]]; then
	printf '%s\n' "$dir"
	exit 0
fi

# Kbuild settings from the caller's environment must not leak in: O= (which
# KBUILD_OUTPUT amounts to) would make the tree non-relocatable, and an unset
# LOCALVERSION lets Kbuild append "+" when the tree sits at a git top level.
unset KBUILD_OUTPUT ARCH CROSS_COMPILE
export LOCALVERSION=

tmp=$dir.tmp
# A $dir without .done is an attempt that failed its final check.
rm -rf "$tmp" "$dir"
mkdir -p "$tmp/linux"
build_log=$tmp/build.log
: >"$build_log"
start=$(date +%s)

# Run a command with its output appended to the build log; on failure show
# the end of the log and stop.
run() {
	if ! "$@" >>"$build_log" 2>&1; then
		log "failed: $*"
		tail -n 30 "$build_log" >&2
		die "see $build_log"
	fi
}

log "building in $tmp (log: $build_log)"
log "extracting $tarball"
run tar -xJf "$tarball" -C "$tmp/linux" --strip-components=1
cd "$tmp/linux"
for patch in ${patches[@]+"${patches[@]}"}; do
	log "applying $(basename "$patch")"
	run patch -p1 --forward --batch -i "$patch"
done

# Parse the fragment into wanted[CONFIG_X]=value; "n" stands for "not set".
declare -A wanted=()
order=()
lineno=0
while IFS= read -r line || [[ -n $line ]]; do
	lineno=$((lineno + 1))
	if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
		name=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]}
	elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
		name=${BASH_REMATCH[1]} value=n
	elif [[ $line =~ ^[[:space:]]*(#.*)?$ ]]; then
		continue
	else
		die "$fragment:$lineno: cannot parse: $line"
	fi
	[[ -z ${wanted[$name]+set} ]] || die "$fragment:$lineno: $name given twice"
	wanted[$name]=$value
	order+=("$name")
done <"$fragment"

log "configuring (tinyconfig + $(basename "$fragment"), ${#order[@]} options)"
run make tinyconfig
config_args=()
for name in "${order[@]}"; do
	if [[ ${wanted[$name]} == n ]]; then
		config_args+=(--disable "$name")
	else
		# --set-val writes the value verbatim, quotes included.
		config_args+=(--set-val "$name" "${wanted[$name]}")
	fi
done
run scripts/config --file .config "${config_args[@]}"
run make olddefconfig

# olddefconfig silently drops an option whose dependencies are not met, so
# check that every requested value made it into the final configuration.
for name in "${order[@]}"; do
	want=${wanted[$name]}
	got=$(grep -m1 "^$name=" .config || true)
	got=${got#*=}
	if [[ $want == n ]]; then
		[[ -z $got ]] || die "$name is wanted unset but .config has $name=$got"
	elif [[ $got != "$want" ]]; then
		die "$name=$want did not stick (.config has ${got:+$name=}${got:-it unset})"
	fi
done

log "compiling with make -j$(nproc) bzImage modules (takes a while)"
run make -j"$(nproc)" bzImage modules
# Already done by the full build; explicit because M= builds depend on it.
run make modules_prepare
kernelrelease=$(make -s kernelrelease)
[[ $kernelrelease == *-xen2mx-test ]] ||
	die "unexpected kernelrelease '$kernelrelease'"
printf '%s\n' "$kernelrelease" >"$tmp/kernelrelease"
cp arch/x86/boot/bzImage "$tmp/bzImage"
run strip --strip-debug -o "$tmp/vmlinux.elf" vmlinux

cd /
mv -T "$tmp" "$dir"
build_log=$dir/build.log

# The tree was built at $dir.tmp and now lives at $dir: prove that an
# out-of-tree module still builds against it and gets the right vermagic.
log "checking that an out-of-tree module builds against $dir/linux"
probe=$(mktemp -d /tmp/xen2mx-kprobe.XXXXXX)
trap 'rm -rf "$probe"' EXIT
cat >"$probe/hello.c" <<'EOF'
#include <linux/module.h>
static int __init hello_init(void) { return 0; }
static void __exit hello_exit(void) { }
module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
EOF
echo 'obj-m := hello.o' >"$probe/Kbuild"
run make -C "$dir/linux" M="$probe" modules
vermagic=$(modinfo -F vermagic "$probe/hello.ko")
[[ ${vermagic%% *} == "$kernelrelease" ]] ||
	die "test module vermagic '$vermagic' does not match '$kernelrelease'"

touch "$dir/.done"
log "done in $(($(date +%s) - start)) s: $kernelrelease"
printf '%s\n' "$dir"
