#!/bin/bash
# Boot Xen + dom0 + PV domUs in QEMU (TCG) and run the test-bed scenarios.
#
# Each line of tests/scenarios/boots.txt is one boot:
#     BOOTNAME KERNEL[@2[:bareN]][,alone] SCENARIO...
# KERNEL is "stock" (Debian's installed kernel as dom0 and domU, Xen drivers
# as modules) or "test" (the cached debug kernel of build-test-kernel.sh as
# dom0 and domU, everything built in). The scenarios run in that order inside
# one dom0; results come back as TAP on stdout. Run with --help for options.
#
# KERNEL@2 boots two hosts at once: two QEMU machines (hostA, hostB), each
# Xen + dom0 with that kernel, whose virtio-net NICs are joined by QEMU's
# dgram netdev over 127.0.0.1 (two free UDP ports chosen at run time). Both
# dom0s run the same scenarios (lib-twohost.sh); each host's results and
# console checks are reported with the host after the boot name.
#
# KERNEL@2:bareN (N = 1 or 2) makes host N plain Linux instead: that kernel
# booted by QEMU directly (-kernel/-initrd/-append, no hypervisor, one vCPU
# and 1 GiB like a dom0), with the same image and payload; init-dom0.sh then
# skips the Xen tool stack. Both hosts get "xen2mx.bare=N", for scenarios to
# know which host has no Xen (XEN2MX_BARE_HOST, lib-twohost.sh): a mixed
# fabric of a Xen host with its guests and a bare-metal Open-MX node.
#
# KERNEL,alone: no other machine runs beside this boot (--jobs counts it as
# all of them), for a boot whose guests ping-pong with dom0 so often that a
# second QEMU machine on the same cores slows it several times over.
set -uo pipefail

usage() {
	cat <<'EOF'
Usage: run-testbed.sh [options]

Boots list lines: BOOTNAME KERNEL[@2[:bareN]][,alone] SCENARIO...
  KERNEL      stock or test, the kernel of dom0 and guests
  @2          two hosts (hostA = 1, hostB = 2) joined by one link
  :bareN      host N (1 or 2) of a two-host boot is plain Linux in QEMU,
              no Xen: the same kernel, image and scenarios
  ,alone      no other QEMU machine runs beside this boot

Options:
  --build-stock DIR      build dir configured against the stock kernel headers
                         (its .ko files and programs go into the payload);
                         "none" boots without xen2mx artifacts
  --build-test DIR       same, built against the test kernel
  --test-kernel-dir DIR  the test kernel (default: the cache directory that
                         build-test-kernel.sh --print-key names)
  --only BOOTNAME        run this boot only (repeatable)
  --kernel KIND          run only the boots on this kernel: stock or test
  --boots FILE           the boots list (default tests/scenarios/boots.txt);
                         scenario scripts are taken from FILE's directory
  --scenario-dir DIR     take the scenario scripts from DIR instead
  --log-dir DIR          console logs and work files (default:
                         <first build dir>/tests/testbed/logs, or
                         /tmp/xen2mx-testbed/logs without a build dir)
  --timeout-per-boot S   QEMU is killed after S seconds (default: the sum of
                         the boot's scenario timeouts, plus 300 for booting
                         and starting guests, and at least 900)
  --jobs N               run up to N QEMU machines at once (default 1); a
                         two-host boot counts as two, and runs alone when N
                         is below 2.  Results are printed in boots-file order
                         all the same
  --keep-images          keep the initramfs images of passed boots too
  --verbose              copy the console to stderr while booting
  -h, --help             show this help

A boot whose kernel's build dir was not given, or needs a test kernel that is
not built, is reported as failed. Exit status 0 iff every TAP line is ok.
What a build dir contributes to the images is listed in payload.list.
EOF
}

die() { printf 'run-testbed: error: %s\n' "$*" >&2; exit 2; }
note() { printf 'run-testbed: %s\n' "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$(cd "$here/../.." && pwd)
boots_file=$src/tests/scenarios/boots.txt
scenario_dir=

build_stock='' build_test='' test_kernel_dir='' log_dir='' boot_timeout=auto
keep_images=0 verbose=0 jobs=1 only_kernel=''
only=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--build-stock) build_stock=${2:?}; shift 2 ;;
	--build-test) build_test=${2:?}; shift 2 ;;
	--test-kernel-dir) test_kernel_dir=${2:?}; shift 2 ;;
	--only) only+=("${2:?}"); shift 2 ;;
	--boots) boots_file=${2:?}; shift 2 ;;
	--scenario-dir) scenario_dir=${2:?}; shift 2 ;;
	--log-dir) log_dir=${2:?}; shift 2 ;;
	--timeout-per-boot) boot_timeout=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--kernel) only_kernel=${2:?}; shift 2 ;;
	--keep-images) keep_images=1; shift ;;
	--verbose) verbose=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[[ $boot_timeout == auto || $boot_timeout =~ ^[0-9]+$ ]] ||
	die "--timeout-per-boot needs a number of seconds"
[[ $jobs =~ ^[1-9][0-9]*$ ]] || die "--jobs needs a number of machines (1 or more)"
[[ -z $only_kernel || $only_kernel == stock || $only_kernel == test ]] ||
	die "--kernel takes stock or test, not '$only_kernel'"
for dir in "$build_stock" "$build_test"; do
	[[ -z $dir || $dir == none || -d $dir ]] || die "build dir '$dir' does not exist"
done
if [[ -z $log_dir ]]; then
	log_dir=/tmp/xen2mx-testbed/logs
	for dir in "$build_stock" "$build_test"; do
		if [[ -n $dir && $dir != none ]]; then
			log_dir=$dir/tests/testbed/logs
			break
		fi
	done
fi
mkdir -p "$log_dir" || die "cannot create $log_dir"
log_dir=$(cd "$log_dir" && pwd)
cache=$log_dir/cache
mkdir -p "$cache"

# --------------------------------------------------------------- TAP output

tap_n=0
tap_failed=0
# Print result lines ("ok - ...", "not ok - ...") numbered, "# ..." as is.
emit() {
	local line
	while IFS= read -r line; do
		case $line in
		"ok "* | "ok") tap_n=$((tap_n + 1)); printf 'ok %d %s\n' "$tap_n" "${line#ok }" ;;
		"not ok "*)
			tap_n=$((tap_n + 1))
			tap_failed=$((tap_failed + 1))
			printf 'not ok %d %s\n' "$tap_n" "${line#not ok }"
			;;
		*) printf '%s\n' "$line" ;;
		esac
	done
}

# --------------------------------------------------------------- kernels

# Xen's multiboot image must be the decompressed ELF for QEMU's loader.
xen_gz=$(ls /boot/xen-*.gz 2>/dev/null | sort -V | tail -n 1)
[[ -n $xen_gz ]] || die "no /boot/xen-*.gz (run tests/testbed/install-deps.sh)"
xen_elf=$cache/$(basename "$xen_gz" .gz).elf
if [[ ! -s $xen_elf || $xen_elf -ot $xen_gz ]]; then
	if ! zcat "$xen_gz" >"$xen_elf.tmp"; then die "cannot unpack $xen_gz"; fi
	mv "$xen_elf.tmp" "$xen_elf"
fi

# The stock kernel release: the one the stock build's modules were built for,
# else the newest installed kernel.
stock_kv=
if [[ -n $build_stock && $build_stock != none ]]; then
	ko=$(find "$build_stock" -name '*.ko' -print -quit)
	[[ -n $ko ]] && stock_kv=$(modinfo -F vermagic "$ko" | cut -d' ' -f1)
fi
if [[ -z $stock_kv ]]; then
	stock_kv=$(ls /boot/vmlinuz-* 2>/dev/null | sed 's|^/boot/vmlinuz-||' | sort -V | tail -n 1)
fi

# A bzImage takes 3x longer to load as a PV domU than the ELF inside it. The
# ELF is the xz stream that starts at the first xz magic (FD 37 7A 58 5A 00).
extract_vmlinux() {
	local bz=$1 out=$2 off
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$bz" | head -n 1 | cut -d: -f1)
	[[ -n $off ]] || { note "no xz stream in $bz"; return 1; }
	tail -c +$((off + 1)) "$bz" | xz -dc --single-stream >"$out.tmp" 2>/dev/null
	[[ $(head -c 4 "$out.tmp" | od -An -tx1 | tr -d ' ') == 7f454c46 ]] ||
		{ note "the xz stream in $bz is not an ELF kernel"; rm -f "$out.tmp"; return 1; }
	mv "$out.tmp" "$out"
}

if [[ -z $test_kernel_dir ]]; then
	test_kernel_dir=$("$here/build-test-kernel.sh" --print-key 2>/dev/null || true)
fi

# Sets boot_kernel, guest_kernel, modules_kv, build_dir for KERNEL=$1, or
# prints why the boot cannot run and fails.
select_kernel() {
	case $1 in
	stock)
		[[ -n $stock_kv && -f /boot/vmlinuz-$stock_kv ]] ||
			{ echo "no stock kernel /boot/vmlinuz-$stock_kv"; return 1; }
		[[ -d /lib/modules/$stock_kv ]] ||
			{ echo "no /lib/modules/$stock_kv for the stock kernel"; return 1; }
		[[ -n $build_stock ]] ||
			{ echo "no --build-stock DIR given (use 'none' to boot without xen2mx artifacts)"; return 1; }
		boot_kernel=/boot/vmlinuz-$stock_kv
		guest_kernel=$cache/vmlinux-$stock_kv
		if [[ ! -s $guest_kernel || $guest_kernel -ot $boot_kernel ]]; then
			extract_vmlinux "$boot_kernel" "$guest_kernel" ||
				{ echo "cannot extract the ELF vmlinux from $boot_kernel"; return 1; }
		fi
		modules_kv=$stock_kv
		build_dir=$build_stock
		;;
	test)
		[[ -n $test_kernel_dir && -e $test_kernel_dir/.done ]] ||
			{ echo "the test kernel is not built (${test_kernel_dir:-?}/.done missing; run tests/testbed/build-test-kernel.sh)"; return 1; }
		[[ -n $build_test ]] ||
			{ echo "no --build-test DIR given (use 'none' to boot without xen2mx artifacts)"; return 1; }
		boot_kernel=$test_kernel_dir/bzImage
		guest_kernel=$test_kernel_dir/vmlinux.elf
		modules_kv=
		build_dir=$build_test
		;;
	*)
		echo "unknown KERNEL '$1' in boots.txt (stock or test)"
		return 1
		;;
	esac
}

# --------------------------------------------------------------- payload

# payload.list: "DEST PATH" rules, checked once here.
payload_rules=()
while read -r dest path extra; do
	[[ -z $dest || $dest == \#* ]] && continue
	[[ -n $path && -z $extra ]] || die "payload.list: expected 'DEST PATH', got '$dest $path $extra'"
	case $dest in
	bin | modules | syslib) ;;
	*) die "payload.list: unknown DEST '$dest' (bin, modules or syslib)" ;;
	esac
	[[ $path == */ || $dest != syslib ]] || die "payload.list: syslib takes a directory (PATH/), not '$path'"
	[[ $path != */ || $dest != modules ]] || die "payload.list: modules takes files, not the directory '$path'"
	payload_rules+=("$dest $path")
done <"$here/payload.list"

# Copy a build artifact if it exists; a missing one makes the scenarios that
# need it fail, which is their report to make. A libtool wrapper script is
# replaced by the real program it runs.
copy_artifact() {
	local from=$1 to=$2 name
	name=$(basename "$from")
	[[ -f $from ]] || return 0
	if head -c 4096 "$from" | grep -q 'libtool' && [[ -x $(dirname "$from")/.libs/$name ]]; then
		from=$(dirname "$from")/.libs/$name
	fi
	cp "$from" "$to/"
}

# Every program (executable file) of a build directory.
copy_programs() {
	local from=$1 to=$2 f
	for f in "$from"/*; do
		[[ -f $f && -x $f ]] || continue
		case $f in *.so | *.so.* | *.la) continue ;; esac
		copy_artifact "$f" "$to"
	done
}

# Every shared library of a build directory and of its .libs/, symlinks
# kept as symlinks (libNAME.so -> libNAME.so.0 -> libNAME.so.0.0.0).
copy_libraries() {
	local from=$1 to=$2 f
	for f in "$from"/lib*.so "$from"/lib*.so.* "$from"/.libs/lib*.so "$from"/.libs/lib*.so.*; do
		if [[ -e $f || -L $f ]]; then cp -P "$f" "$to/"; fi
	done
}

make_payload() {
	local boot=$1 payload=$2 build=$3
	shift 3
	rm -rf "$payload"
	mkdir -p "$payload"/{bin,modules,scenarios,syslib}
	if [[ $build != none ]]; then
		local rule dest path from
		for rule in "${payload_rules[@]}"; do
			read -r dest path <<<"$rule"
			case $dest:$path in
			bin:*/) copy_programs "$build/$path" "$payload/bin" ;;
			syslib:*/) copy_libraries "$build/$path" "$payload/syslib" ;;
			*)
				# Generated into the build dir, or used from the source tree as is.
				from=$build/$path
				[[ -e $from ]] || from=$src/$path
				copy_artifact "$from" "$payload/$dest"
				;;
			esac
		done
	fi
	chmod -f 0755 "$payload"/bin/* || true
	cp "$scenario_dir"/*.sh "$payload/scenarios/"
	# Settings scenarios document for the host's environment (such as
	# guest-ringfuzz's XEN2MX_FUZZ_SEED): XEN2MX_FUZZ_* variables whose
	# values are plain words, for the scenarios to source.
	local var
	: >"$payload/scenarios/host.env"
	for var in $(compgen -v XEN2MX_FUZZ_); do
		if [[ ${!var} =~ ^[A-Za-z0-9_.:-]*$ ]]; then
			printf 'export %s=%s\n' "$var" "${!var}" >>"$payload/scenarios/host.env"
		else
			note "$var ignored: its value is not a plain word"
		fi
	done
	{
		echo "#!/bin/sh"
		echo "# Generated by run-testbed.sh: the scenarios of boot $boot."
		echo "exec /opt/xen2mx/lib/run-scenarios.sh $*"
	} >"$payload/scenarios/run-boot.sh"
	chmod 0755 "$payload"/scenarios/*.sh
}

# --------------------------------------------------------------- one boot

# The host a scenario powers off on purpose: its "# powers-off: N" header
# line (see lib-twohost.sh); nothing if none.
scenario_powers_off() {
	local file=$scenario_dir/$1.sh
	[[ -f $file ]] || return 0
	head -n 30 "$file" | sed -n 's/^# powers-off: *\([0-9]\).*/\1/p' | head -n 1
}

# A scenario's own time limit: its "# timeout: N" header (run-scenarios.sh
# kills it then), 300 s without one.
scenario_timeout() {
	local file=$scenario_dir/$1.sh t=
	[[ -f $file ]] && t=$(head -n 30 "$file" | sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' | head -n 1)
	echo "${t:-300}"
}

# The QEMU-level limit of a boot: a backstop behind the scenarios' own
# limits (a hung dom0 or a crash that does not stop QEMU), so no shorter
# than they add up to.
boot_limit() {
	local name sum=300
	if [[ $boot_timeout != auto ]]; then
		echo "$boot_timeout"
		return
	fi
	for name in "$@"; do
		sum=$((sum + $(scenario_timeout "$name")))
	done
	((sum < 900)) && sum=900
	echo "$sum"
}

# Whether a scenario's guests need the network tools (ip, iperf3, sockperf):
# its "# guest-net-tools: yes" header line. They make the guest image about
# 5.5 MB bigger, so only the boots that run such a scenario get them.
scenario_guest_net_tools() {
	local file=$scenario_dir/$1.sh
	[[ -f $file ]] && head -n 30 "$file" | grep -q '^# guest-net-tools: *yes'
}

# Sets poweroff_scenario[1] and [2]: the scenario after which host N is
# expected to be off (powers-off is only allowed in the last scenario: no
# later one could run there). Prints why the line is wrong and fails.
plan_power_offs() {
	local hosts=$1 name host last
	shift
	poweroff_scenario=([1]='' [2]='')
	for name in "$@"; do last=$name; done
	for name in "$@"; do
		host=$(scenario_powers_off "$name")
		[[ -z $host ]] && continue
		if ((hosts != 2)); then
			echo "scenario $name powers a host off: it needs a two-host boot (KERNEL@2)"
			return 1
		fi
		if [[ $host != 1 && $host != 2 ]]; then
			echo "scenario $name: '# powers-off: $host' names no host (1 or 2)"
			return 1
		fi
		if [[ $name != "$last" ]]; then
			echo "scenario $name powers host $host off, so it must be the last of the boot"
			return 1
		fi
		poweroff_scenario[$host]=$name
	done
}

# A UDP port on 127.0.0.1 that nothing uses right now, other than $1.
free_udp_port() {
	local p
	for _ in {1..100}; do
		p=$((20000 + RANDOM % 40000))
		[[ $p == "${1:-}" ]] && continue
		if [[ -z $(ss -Hnua "sport = :$p") ]]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# Boots one machine: Xen, then dom0 from $boot_kernel and IMAGE with the
# extra dom0 command line DOM0_EXTRA, plus extra QEMU options; or, when BARE
# is "bare", $boot_kernel alone from QEMU with no hypervisor (one vCPU and
# 1 GiB, what Xen gives dom0), IMAGE as its initramfs. Writes
# HOSTDIR/console.log, HOSTDIR/qemu-status (QEMU's exit status) and
# HOSTDIR/elapsed (seconds). LABEL prefixes the console with --verbose.
boot_host() {
	local hostdir=$1 image=$2 label=$3 dom0_extra=$4 bare=$5
	shift 5
	local xen_args="console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M dom0_max_vcpus=1 loglvl=all guest_loglvl=all"
	local dom0_args="console=hvc0 earlyprintk=xen${dom0_extra:+ $dom0_extra}"
	# Bare: the serial line is the console; ACPI's PCI routing costs ~30 s
	# under TCG and nothing needs it; a panic reboots, which -no-reboot
	# turns into an exit (under Xen, Xen does that).
	local bare_args="console=ttyS0,115200 pci=noacpi panic=1${dom0_extra:+ $dom0_extra}"
	local console=$hostdir/console.log start limit=$cur_boot_limit machine
	if [[ $bare == bare ]]; then
		machine=(-smp 1 -m 1024 -kernel "$boot_kernel" -initrd "$image" -append "$bare_args")
	else
		machine=(-smp 2 -m 2048 -kernel "$xen_elf" -append "$xen_args" -initrd "$boot_kernel $dom0_args,$image")
	fi
	start=$(date +%s)
	# TCG only: Xen dies under KVM here. qemu64 lacks SMAP, which breaks PV
	# dom0 under QEMU. No NIC but the ones asked for: the test bed has no
	# network of its own. Xen reboots when dom0 crashes, and -no-reboot
	# turns that into an exit.
	{
		timeout -k 10 "$limit" qemu-system-x86_64 \
			-accel tcg -cpu qemu64 \
			-nographic -no-reboot -serial mon:stdio -monitor none -nic none "$@" \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			"${machine[@]}" </dev/null 2>&1
		echo $? >"$hostdir/qemu-status"
	} | stdbuf -oL tr -d '\r' | if ((verbose)); then
		tee "$console" | sed -u "s/^/$label/" >&2
	else
		cat >"$console"
	fi
	echo $(($(date +%s) - start)) >"$hostdir/elapsed"
}

# Prints the TAP lines of one host's boot from its HOSTDIR.
analyze_host() {
	local name=$1 hostdir=$2 powers_off=$3 rc elapsed
	rc=$(cat "$hostdir/qemu-status" 2>/dev/null || echo 255)
	elapsed=$(cat "$hostdir/elapsed" 2>/dev/null || echo '?')
	note "$name: QEMU exited with status $rc after $elapsed s"
	"$here/analyze-log.sh" --boot "$name" --log "$hostdir/console.log" --qemu-status "$rc" \
		--timeout "$cur_boot_limit" --elapsed "$elapsed" ${powers_off:+--powers-off "$powers_off"}
}

# Prints the boot's TAP lines (unnumbered) on stdout, and last a diagnostic
# "# boot-time BOOT SECONDS" with its wall time (run-all.sh sums them up).
run_boot() {
	local t0=$SECONDS
	run_boot_body "$@"
	echo "# boot-time $1 $((SECONDS - t0))"
}

run_boot_body() {
	local boot=$1 kernel_spec=$2
	shift 2
	local dir=$log_dir/$boot why boot_kernel guest_kernel modules_kv build_dir
	local kernel=${kernel_spec%@*} hosts=1 bare='' poweroff_scenario
	[[ $kernel_spec == *@* ]] && hosts=${kernel_spec##*@}
	if [[ $hosts == *:* ]]; then
		bare=${hosts#*:}
		hosts=${hosts%%:*}
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	if [[ $hosts != 1 && $hosts != 2 ]]; then
		echo "not ok - $boot: boot could not start"
		echo "# '$kernel_spec': a boot has 1 or 2 hosts (KERNEL or KERNEL@2)"
		return
	fi
	if [[ -n $bare ]]; then
		if [[ $hosts != 2 || ! $bare =~ ^bare[12]$ ]]; then
			echo "not ok - $boot: boot could not start"
			echo "# '$kernel_spec': only a two-host boot can have a bare host, as KERNEL@2:bare1 or KERNEL@2:bare2"
			return
		fi
		bare=${bare#bare}
	fi
	if ! why=$(select_kernel "$kernel") || ! why=$(plan_power_offs "$hosts" "$@"); then
		echo "not ok - $boot: boot could not start"
		echo "# $why"
		return
	fi
	select_kernel "$kernel" >/dev/null
	plan_power_offs "$hosts" "$@"
	cur_boot_limit=$(boot_limit "$@")
	note "$boot: kernel $kernel ($boot_kernel), $hosts host(s)${bare:+, host $bare bare (no Xen)}, scenarios: $*"

	make_payload "$boot" "$dir/payload" "$build_dir" "$@"
	local mods=() net=() guest_net=() name
	[[ -n $modules_kv ]] && mods=(--modules "$modules_kv")
	((hosts == 2)) && net=(--net-tools)
	for name in "$@"; do
		scenario_guest_net_tools "$name" && guest_net=(--net-tools)
	done
	if ! "$here/mkinitramfs.sh" --role domu --output "$dir/domu.cpio.gz" \
		--payload "$dir/payload" "${mods[@]}" "${guest_net[@]}" >"$dir/mkinitramfs.log" 2>&1 ||
		! "$here/mkinitramfs.sh" --role dom0 --output "$dir/dom0.cpio.gz" \
			--payload "$dir/payload" "${mods[@]}" "${net[@]}" --guest-kernel "$guest_kernel" \
			--guest-initramfs "$dir/domu.cpio.gz" >>"$dir/mkinitramfs.log" 2>&1; then
		echo "not ok - $boot: boot could not start"
		echo "# building the initramfs images failed:"
		sed 's/^/# /' "$dir/mkinitramfs.log"
		return
	fi

	# QEMU's -initrd takes "file args,file args": no commas or spaces in paths.
	local p
	for p in "$xen_elf" "$boot_kernel" "$dir/dom0.cpio.gz"; do
		[[ $p != *[,\ ]* ]] || { echo "not ok - $boot: boot could not start"; echo "# path with a comma or space: $p"; return; }
	done

	local result
	if ((hosts == 1)); then
		note "$boot: booting (timeout $cur_boot_limit s, console: $dir/console.log)"
		boot_host "$dir" "$dir/dom0.cpio.gz" "" "" ""
		result=$(analyze_host "$boot" "$dir" "")
	else
		# Host N's NIC has MAC 02:58:32:00:00:0N (lib-twohost.sh finds its
		# link by it); each QEMU sends its frames to the other's port.
		local port_a port_b n name netdev pids=()
		if ! port_a=$(free_udp_port) || ! port_b=$(free_udp_port "$port_a"); then
			echo "not ok - $boot: boot could not start"
			echo "# no free UDP port on 127.0.0.1"
			return
		fi
		local ports=([1]=$port_a [2]=$port_b)
		link_buffers_raise
		note "$boot: booting hostA and hostB, linked by UDP 127.0.0.1:$port_a <-> 127.0.0.1:$port_b (timeout $cur_boot_limit s, consoles: $dir/host[AB]/console.log)"
		for n in 1 2; do
			name=host$([[ $n == 1 ]] && echo A || echo B)
			mkdir -p "$dir/$name"
			netdev="dgram,id=link,local.type=inet,local.host=127.0.0.1,local.port=${ports[$n]}"
			netdev+=",remote.type=inet,remote.host=127.0.0.1,remote.port=${ports[$((3 - n))]}"
			boot_host "$dir/$name" "$dir/dom0.cpio.gz" "[$name] " \
				"xen2mx.host=$n${bare:+ xen2mx.bare=$bare}" "$([[ $n == "$bare" ]] && echo bare)" \
				-netdev "$netdev" -device "virtio-net-pci,netdev=link,mac=02:58:32:00:00:0$n" &
			pids+=($!)
		done
		wait "${pids[@]}"
		link_buffers_restore
		result=$(analyze_host "$boot: hostA" "$dir/hostA" "${poweroff_scenario[1]}"
			analyze_host "$boot: hostB" "$dir/hostB" "${poweroff_scenario[2]}")
	fi
	printf '%s\n' "$result"
	# Only a passed boot's images are disposable; they are large.
	if ((!keep_images)) && ! grep -q '^not ok' <<<"$result"; then
		rm -f "$dir/dom0.cpio.gz" "$dir/domu.cpio.gz"
	fi
}

# The link between two hosts is a UDP socket per QEMU.  With the host's
# default receive buffer (net.core.rmem_default, often 208 KiB) such a
# socket holds about a dozen 9000-octet frames, so any burst a real NIC
# ring would absorb (one Open-MX pull block is 32 frames) overflows it
# while the receiving QEMU is busy, and the "link" loses frames no real
# link would (seen as RcvbufErrors in /proc/net/snmp).  QEMU sizes the
# socket at start from rmem_default: raise it for the boot, then put back
# the old value unless someone else changed it meanwhile.  Loss is tested
# on purpose, with netem, where a scenario asks for it.
link_rmem_want=16777216
link_rmem_saved=''
link_buffers_raise() {
	local cur max
	cur=$(cat /proc/sys/net/core/rmem_default 2>/dev/null) || return 0
	max=$(cat /proc/sys/net/core/rmem_max 2>/dev/null) || return 0
	((cur < link_rmem_want)) || return 0
	if ! { ((max >= link_rmem_want)) || echo "$link_rmem_want" >/proc/sys/net/core/rmem_max; } 2>/dev/null ||
		! echo "$link_rmem_want" 2>/dev/null >/proc/sys/net/core/rmem_default; then
		note "cannot raise net.core.rmem_default to $link_rmem_want (not root?): bursts on the link may be lost"
		return 0
	fi
	link_rmem_saved=$cur
}
link_buffers_restore() {
	[[ -n $link_rmem_saved ]] || return 0
	if [[ $(cat /proc/sys/net/core/rmem_default) == "$link_rmem_want" ]]; then
		echo "$link_rmem_saved" >/proc/sys/net/core/rmem_default 2>/dev/null
	fi
	link_rmem_saved=''
}

# --------------------------------------------------------------- main

[[ -f $boots_file ]] || die "no $boots_file"
[[ -z $scenario_dir || -d $scenario_dir ]] || die "scenario dir '$scenario_dir' does not exist"
scenario_dir=$(cd "${scenario_dir:-$(dirname "$boots_file")}" && pwd)
echo "TAP version 13"
declare -A seen=()
sel_boot=() sel_kernel=() sel_scenarios=() sel_alone=()
# The boots file is read on fd 3, so that nothing run for a boot can eat it.
while read -r boot kernel scenarios <&3; do
	[[ -z $boot || $boot == \#* ]] && continue
	seen[$boot]=1
	if ((${#only[@]})); then
		want=0
		for o in "${only[@]}"; do [[ $o == "$boot" ]] && want=1; done
		((want)) || continue
	fi
	alone=0
	[[ $kernel == *,alone ]] && alone=1 kernel=${kernel%,alone}
	[[ -z $only_kernel || ${kernel%@*} == "$only_kernel" ]] || continue
	sel_boot+=("$boot") sel_kernel+=("$kernel") sel_scenarios+=("$scenarios")
	sel_alone+=("$alone")
done 3<"$boots_file"

# Whatever a kernel needs prepared once (the ELF of the stock kernel for
# guests) is made here, before boots run side by side and could both make
# it; a kernel that cannot be used is reported by each of its boots.
declare -A prepared=()
for k in "${sel_kernel[@]}"; do
	k=${k%@*}
	[[ -n ${prepared[$k]:-} ]] && continue
	prepared[$k]=1
	select_kernel "$k" >/dev/null || true
done

# Machines a boot counts for: its host count, as its KERNEL@N says, or all
# of them for a boot that runs alone.
boot_weight() {
	local w=1
	[[ ${sel_kernel[$1]} == *@2 || ${sel_kernel[$1]} == *@2:* ]] && w=2
	((sel_alone[$1] || w > jobs)) && w=$jobs
	echo "$w"
}

# Run the selected boots, up to $jobs machines at a time (each boot that
# fits in what is free starts, in list order), each into its own results
# file; print each boot's results, numbered, as soon as every boot before
# it in the list is done, so the output is in list order whatever the
# order boots end in.
results_dir=$log_dir/results
rm -rf "$results_dir"
mkdir -p "$results_dir"
declare -A pid_of=() weight_of=() started=()
printed=0 used=0 n=${#sel_boot[@]}
while ((printed < n)); do
	for ((i = 0; i < n; i++)); do
		[[ -n ${started[$i]:-} ]] && continue
		w=$(boot_weight "$i")
		((used == 0 || used + w <= jobs)) || continue
		# shellcheck disable=SC2086 # the scenario list is split on purpose
		run_boot "${sel_boot[i]}" "${sel_kernel[i]}" ${sel_scenarios[i]} \
			>"$results_dir/$i.part" </dev/null &
		pid_of[$i]=$! weight_of[$i]=$w started[$i]=1
		used=$((used + w))
	done
	if ((${#pid_of[@]})); then
		wait -n "${pid_of[@]}"
		for i in "${!pid_of[@]}"; do
			kill -0 "${pid_of[$i]}" 2>/dev/null && continue
			wait "${pid_of[$i]}"
			mv "$results_dir/$i.part" "$results_dir/$i.done"
			used=$((used - weight_of[$i]))
			unset "pid_of[$i]" "weight_of[$i]"
		done
	fi
	# Not a pipe: emit must count in this shell.
	while ((printed < n)) && [[ -e $results_dir/$printed.done ]]; do
		emit <"$results_dir/$printed.done"
		printed=$((printed + 1))
	done
done
for o in "${only[@]}"; do
	[[ -n ${seen[$o]:-} || -n $only_kernel ]] ||
		emit <<<"not ok - $o: no such boot in boots.txt"
done
echo "1..$tap_n"
note "$tap_n results, $tap_failed failed; logs in $log_dir"
((tap_failed == 0 && tap_n > 0))
