# kernel.m4 - locate the target kernel and probe its API for the modules.
#
# Kernel interfaces are probed by compiling: every feature is a tiny module
# source in config/kernel-tests/NAME.c, and all of them are built in a single
# Kbuild pass (one obj-m per test, `make -k`, so a failing test costs nothing
# but its own compile) in kernel-conftest/ under the build directory.  A test
# passes when its object file was produced and, if it names symbols, the
# kernel exports them (Module.symvers).  Grepping headers instead would miss
# signature changes and break on the next reshuffle of the headers.
#
# Results become HAVE_* defines in xen2mx_kconfig.h, which Kbuild forces into
# every module source with -include.  The pass is keyed on the test sources
# and the kernel tree, so re-running configure against the same kernel skips
# it entirely.

# ---------------------------------------------------------------------------
# Test registry
# ---------------------------------------------------------------------------

m4_define([_XEN2MX_KTEST_NAMES], [])
m4_define([_XEN2MX_KTEST_RESULTS], [])

# XEN2MX_KERNEL_TEST(NAME, [DEFINE], [SYMBOLS], [REQUIRED-WHY], [XEN])
# -------------------------------------------------------------------
# Register config/kernel-tests/NAME.c.  After the pass, print
# "checking for NAME... yes/no", set xen2mx_ktest_NAME=yes/no and, on yes,
# define DEFINE in xen2mx_kconfig.h.  SYMBOLS is a space-separated list of
# functions that must also be exported by the kernel; "a|b" accepts either
# (for APIs that became a macro over a renamed function).  A non-empty
# REQUIRED-WHY makes a "no" fatal, the text says what needs the API; with
# XEN set to "xen", only for a kernel with Xen (CONFIG_XEN): without it the
# Xen modules are not built and the engine alone needs nothing of Xen.
AC_DEFUN([XEN2MX_KERNEL_TEST], [dnl
m4_append([_XEN2MX_KTEST_NAMES], [$1], [ ])dnl
m4_append([_XEN2MX_KTEST_RESULTS],
	[_XEN2MX_KERNEL_TEST_RESULT([$1], [$2], [$3], [$4], [$5])
])dnl
])

# _XEN2MX_KERNEL_TEST_RESULT(NAME, DEFINE, SYMBOLS, REQUIRED-WHY, XEN)
# --------------------------------------------------------------------
AC_DEFUN([_XEN2MX_KERNEL_TEST_RESULT], [
	AC_MSG_CHECKING([for $1])
	xen2mx_ktest_$1=no
	xen2mx_ktest_why=
	AS_IF([grep -qx '$1' "$xen2mx_kdir/passed"], [
		xen2mx_ktest_$1=yes
		m4_ifval([$3], [_XEN2MX_KERNEL_EXPORTS([$3], [xen2mx_ktest_$1=no])])
	], [
		xen2mx_ktest_why=" (does not compile)"
		grep "/$1\.c:" "$xen2mx_kdir/build.log" | head -n 5 >&AS_MESSAGE_LOG_FD
	])
	AC_MSG_RESULT([$xen2mx_ktest_$1$xen2mx_ktest_why])
	m4_ifval([$2], [AS_IF([test "$xen2mx_ktest_$1" = yes],
		[xen2mx_kconfig_yes="$xen2mx_kconfig_yes $2"],
		[xen2mx_kconfig_no="$xen2mx_kconfig_no $2"])])
	m4_ifval([$4], [AS_IF([test "$xen2mx_ktest_$1" = no]m4_if([$5], [xen],
			[[ && test "$xen2mx_build_xen" = yes]]),
		[xen2mx_kmissing="$xen2mx_kmissing${xen2mx_kmissing:+, }$1 ($4)"])])
])

# _XEN2MX_KERNEL_EXPORTS(SYMBOLS, ACTION-IF-MISSING)
# --------------------------------------------------
# Look each symbol up in the kernel's Module.symvers (column 2).  Without a
# Module.symvers nothing can be said; the compile result then stands alone.
AC_DEFUN([_XEN2MX_KERNEL_EXPORTS], [
	AS_IF([test -r "$LINUX_OBJ/Module.symvers"], [
		xen2mx_ksyms='$1'
		for xen2mx_ksym in $xen2mx_ksyms; do
			xen2mx_kfound=no
			for xen2mx_kalt in `echo "$xen2mx_ksym" | tr '|' ' '`; do
				AS_IF([$AWK -F '\t' -v sym="$xen2mx_kalt" \
					'$[]2 == sym { found = 1; exit } END { exit !found }' \
					"$LINUX_OBJ/Module.symvers"],
					[xen2mx_kfound=yes; break])
			done
			AS_IF([test "$xen2mx_kfound" = no], [
				$2
				xen2mx_ktest_why=" (compiles, but $xen2mx_ksym is not exported)"
				break
			])
		done
	])
])

# ---------------------------------------------------------------------------
# Kernel tree
# ---------------------------------------------------------------------------

# _XEN2MX_KERNEL_DEFAULT_TREE
# ---------------------------
# The running kernel's build link, else the newest installed headers package
# that is a configured build tree.  Debian splits headers into -common (the
# sources, no .config) and the arch package (e.g. linux-headers-6.1.0-NN-amd64,
# whose Makefile includes -common): only the latter is a build directory.
AC_DEFUN([_XEN2MX_KERNEL_DEFAULT_TREE], [
	xen2mx_kdefault=/lib/modules/`uname -r`/build
	AS_IF([test ! -f "$xen2mx_kdefault/Makefile"], [
		xen2mx_kdefault=
		for xen2mx_kcand in `ls -d /usr/src/linux-headers-* 2>/dev/null | sort -V -r`; do
			AS_IF([test -f "$xen2mx_kcand/Makefile" &&
			       test -f "$xen2mx_kcand/include/generated/autoconf.h"], [
				xen2mx_kdefault=$xen2mx_kcand
				break
			])
		done
	])
])

# _XEN2MX_KERNEL_TREE
# -------------------
# --with-linux / --with-linux-obj, validated; sets LINUX, LINUX_OBJ.
# Kbuild is always run from LINUX_OBJ (the tree with .config and generated
# headers); LINUX is where the sources are when they live elsewhere.
AC_DEFUN([_XEN2MX_KERNEL_TREE], [
	AC_ARG_WITH([linux],
		[AS_HELP_STRING([--with-linux=DIR],
			[kernel source tree @<:@/lib/modules/`uname -r`/build if
			 present, else the newest /usr/src/linux-headers-* build tree@:>@])],
		[LINUX=$withval], [LINUX=])
	AC_ARG_WITH([linux-obj],
		[AS_HELP_STRING([--with-linux-obj=DIR],
			[kernel build tree (.config, generated headers,
			 Module.symvers) @<:@same as --with-linux@:>@])],
		[LINUX_OBJ=$withval], [LINUX_OBJ=])

	AC_MSG_CHECKING([for the kernel tree])
	AS_IF([test -z "$LINUX"], [
		_XEN2MX_KERNEL_DEFAULT_TREE
		AS_IF([test -z "$xen2mx_kdefault"], [
			AC_MSG_RESULT([not found])
			AC_MSG_ERROR([no kernel build tree found: install linux-headers-`uname -r` (or linux-headers-amd64), pass --with-linux=DIR, or --disable-modules])
		])
		LINUX=$xen2mx_kdefault
	])
	AS_IF([test -z "$LINUX_OBJ"], [LINUX_OBJ=$LINUX])
	# Absolute paths: Kbuild runs with -C and the Makefiles live in subdirs.
	xen2mx_kpath=`cd "$LINUX" 2>/dev/null && pwd -P` || {
		AC_MSG_RESULT([not found])
		AC_MSG_ERROR([kernel tree $LINUX (--with-linux) is not a directory])
	}
	LINUX=$xen2mx_kpath
	xen2mx_kpath=`cd "$LINUX_OBJ" 2>/dev/null && pwd -P` || {
		AC_MSG_RESULT([not found])
		AC_MSG_ERROR([kernel build tree $LINUX_OBJ (--with-linux-obj) is not a directory])
	}
	LINUX_OBJ=$xen2mx_kpath
	AS_IF([test "$LINUX" = "$LINUX_OBJ"],
		[AC_MSG_RESULT([$LINUX])],
		[AC_MSG_RESULT([$LINUX (objects in $LINUX_OBJ)])])

	AS_IF([test ! -f "$LINUX_OBJ/Makefile"],
		[AC_MSG_ERROR([$LINUX_OBJ has no Makefile: not a kernel build tree])])
	AS_IF([test ! -f "$LINUX_OBJ/include/generated/autoconf.h"],
		[AC_MSG_ERROR([$LINUX_OBJ is not configured and prepared (no include/generated/autoconf.h): run make modules_prepare there, or point --with-linux-obj at the arch headers package])])
	AC_SUBST([LINUX])
	AC_SUBST([LINUX_OBJ])
])

# _XEN2MX_KERNEL_RELEASE
# ----------------------
# The release string modules are built for (their vermagic), which is also
# the /lib/modules directory they belong in.  utsrelease.h is what vermagic
# is made of; include/config/kernel.release and `make kernelrelease` can
# disagree with it (Debian's headers say 6.1.NNN there, not 6.1.0-NN-amd64).
AC_DEFUN([_XEN2MX_KERNEL_RELEASE], [
	AC_MSG_CHECKING([kernel release])
	KERNEL_RELEASE=`sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$LINUX_OBJ/include/generated/utsrelease.h" 2>/dev/null`
	AS_IF([test -z "$KERNEL_RELEASE"],
		[KERNEL_RELEASE=`cat "$LINUX_OBJ/include/config/kernel.release" 2>/dev/null`])
	AS_IF([test -z "$KERNEL_RELEASE"],
		[KERNEL_RELEASE=`$xen2mx_kmake -s -C "$LINUX_OBJ" kernelrelease 2>/dev/null`])
	AS_IF([test -z "$KERNEL_RELEASE"], [
		AC_MSG_RESULT([unknown])
		AC_MSG_ERROR([cannot tell the release of the kernel in $LINUX_OBJ])
	])
	AC_MSG_RESULT([$KERNEL_RELEASE])
	AC_SUBST([KERNEL_RELEASE])
])

# _XEN2MX_KERNEL_CONFIG(OPTION)
# -----------------------------
# Set xen2mx_kconfig_value to y, m or empty for CONFIG_OPTION, as the kernel's
# Kbuild sees it (include/config/auto.conf, else .config).
AC_DEFUN([_XEN2MX_KERNEL_CONFIG], [
	xen2mx_kconfig_file=$LINUX_OBJ/include/config/auto.conf
	AS_IF([test ! -r "$xen2mx_kconfig_file"], [xen2mx_kconfig_file=$LINUX_OBJ/.config])
	xen2mx_kconfig_value=`sed -n 's/^CONFIG_$1=//p' "$xen2mx_kconfig_file" 2>/dev/null`
])

# ---------------------------------------------------------------------------
# The single Kbuild pass
# ---------------------------------------------------------------------------

# _XEN2MX_KERNEL_TESTS_PASS
# -------------------------
# Build every registered test in $xen2mx_kdir, leaving the names of those
# that compiled in $xen2mx_kdir/passed; reuse the previous pass when neither
# the tests nor the kernel tree changed.
AC_DEFUN([_XEN2MX_KERNEL_TESTS_PASS], [
	xen2mx_kdir=$ac_pwd/kernel-conftest
	xen2mx_ktests="_XEN2MX_KTEST_NAMES"
	xen2mx_ktestsrc=$srcdir/config/kernel-tests
	# Warnings count as failures: a test that only warns about a wrong
	# pointer type still means the API is not the one the code expects.
	xen2mx_kccflags=-Werror

	# The key covers everything the outcome depends on: the test sources,
	# the tree's location, configuration and exports, and the make flags.
	xen2mx_kkey=`{
		echo "$LINUX $LINUX_OBJ $KERNEL_RELEASE $xen2mx_kmake $xen2mx_kccflags"
		echo "$xen2mx_ktests"
		for xen2mx_kt in $xen2mx_ktests; do
			cat "$xen2mx_ktestsrc/$xen2mx_kt.c"
		done
		cat "$LINUX_OBJ/include/generated/autoconf.h" \
		    "$LINUX_OBJ/Module.symvers" 2>/dev/null
	} | cksum`

	AC_MSG_CHECKING([kernel API tests (one Kbuild pass in kernel-conftest/)])
	AS_IF([test -f "$xen2mx_kdir/passed" &&
	       test "`cat "$xen2mx_kdir/key" 2>/dev/null`" = "$xen2mx_kkey"], [
		AC_MSG_RESULT([cached])
	], [
		rm -rf "$xen2mx_kdir"
		AS_MKDIR_P(["$xen2mx_kdir"])
		{
			echo "# Generated by configure: one module per kernel API test."
			echo "ccflags-y := $xen2mx_kccflags"
			for xen2mx_kt in $xen2mx_ktests; do
				cp "$xen2mx_ktestsrc/$xen2mx_kt.c" "$xen2mx_kdir/" ||
					AC_MSG_ERROR([cannot copy $xen2mx_ktestsrc/$xen2mx_kt.c])
				echo "obj-m += $xen2mx_kt.o"
			done
		} > "$xen2mx_kdir/Kbuild"

		xen2mx_kjobs=`getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1`
		# -k: a test that does not compile must not stop the others.
		# A surrounding make's MAKEFLAGS (config.status --recheck run
		# from make) would leak its jobserver and variables into Kbuild.
		(
			unset MAKEFLAGS MFLAGS MAKELEVEL
			$xen2mx_kmake -k -j"$xen2mx_kjobs" -C "$LINUX_OBJ" \
				M="$xen2mx_kdir" modules
		) > "$xen2mx_kdir/build.log" 2>&1

		: > "$xen2mx_kdir/passed"
		for xen2mx_kt in $xen2mx_ktests; do
			AS_IF([test -f "$xen2mx_kdir/$xen2mx_kt.o"],
				[echo "$xen2mx_kt" >> "$xen2mx_kdir/passed"])
		done
		echo "$xen2mx_kkey" > "$xen2mx_kdir/key"
		AC_MSG_RESULT([done])
	])
])

# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

# XEN2MX_KERNEL
# -------------
# Options, tree, tests, the generated header, and the AM conditionals
# BUILD_MODULES and BUILD_KUNIT.  Substitutes LINUX, LINUX_OBJ,
# KERNEL_RELEASE, KERNEL_MAKE_ARGS, kmoddir, DEPMOD, and KERNEL_WERROR
# (the $WERROR that --enable-werror sets in configure.ac).
AC_DEFUN([XEN2MX_KERNEL], [
	AC_REQUIRE([AC_PROG_AWK])
	AC_ARG_ENABLE([modules],
		[AS_HELP_STRING([--disable-modules],
			[build user space only, no kernel modules])],
		[], [enable_modules=yes])
	AC_ARG_ENABLE([kunit],
		[AS_HELP_STRING([--disable-kunit],
			[do not build the KUnit test module even if the
			 kernel has KUnit @<:@default=auto@:>@])],
		[], [enable_kunit=auto])
	AC_ARG_WITH([kmoddir],
		[AS_HELP_STRING([--with-kmoddir=DIR],
			[install the modules in DIR @<:@/lib/modules/RELEASE/extra@:>@])],
		[kmoddir=$withval], [kmoddir=])
	AC_ARG_VAR([KERNEL_MAKE_ARGS],
		[extra arguments for the kernel's make, e.g. LLVM=1 for a
		 kernel built with clang])
	xen2mx_kmake="${MAKE:-make} $KERNEL_MAKE_ARGS"

	xen2mx_build_modules=no
	xen2mx_build_xen=no
	xen2mx_build_xen_back=no
	xen2mx_build_kunit=no
	xen2mx_build_kunit_why="no (--disable-modules)"
	AS_IF([test "$enable_modules" != no], [
		xen2mx_build_modules=yes
		_XEN2MX_KERNEL_TREE
		_XEN2MX_KERNEL_RELEASE
		XEN2MX_KERNEL_TESTS
		_XEN2MX_KERNEL_TESTS_PASS

		AS_IF([grep -qx empty_module "$xen2mx_kdir/passed"], [], [
			tail -n 20 "$xen2mx_kdir/build.log" >&AS_MESSAGE_LOG_FD
			AC_MSG_ERROR([not even an empty module builds against $LINUX_OBJ (compiler or tree broken?): see kernel-conftest/build.log])
		])
		xen2mx_kconfig_yes=
		xen2mx_kconfig_no=
		xen2mx_kmissing=

		# The Xen modules need a kernel with Xen: the frontend (and the
		# test bed's rogue frontend) CONFIG_XEN, the backend and the KUnit
		# module of the Xen layers CONFIG_XEN_BACKEND.  open-mx.ko needs
		# neither.
		_XEN2MX_KERNEL_CONFIG([XEN])
		AS_IF([test -n "$xen2mx_kconfig_value"],
			[xen2mx_build_xen=yes], [xen2mx_build_xen=no])
		_XEN2MX_KERNEL_CONFIG([XEN_BACKEND])
		AS_IF([test "$xen2mx_build_xen" = yes && test -n "$xen2mx_kconfig_value"],
			[xen2mx_build_xen_back=yes], [xen2mx_build_xen_back=no])
		AS_IF([test ! -r "$LINUX_OBJ/Module.symvers"],
			[AC_MSG_WARN([$LINUX_OBJ/Module.symvers missing: exports cannot be checked])])
		_XEN2MX_KTEST_RESULTS
		AS_IF([test -n "$xen2mx_kmissing"],
			[AC_MSG_ERROR([kernel $KERNEL_RELEASE lacks required API: $xen2mx_kmissing; see kernel-conftest/build.log])])

		# KUnit: the kernel must be built with it (else the module has
		# nothing to load into) and the test API must compile.
		_XEN2MX_KERNEL_CONFIG([KUNIT])
		AS_CASE([$enable_kunit:$xen2mx_kconfig_value:$xen2mx_ktest_kunit_test_suite],
			[no:*], [xen2mx_build_kunit_why="no (--disable-kunit)"],
			[*::*], [xen2mx_build_kunit_why="no (CONFIG_KUNIT is not set in the kernel)"],
			[*:*:no], [xen2mx_build_kunit_why="no (kunit_test_suite does not compile)"],
			[xen2mx_build_kunit=yes
			 xen2mx_build_kunit_why="yes (CONFIG_KUNIT=$xen2mx_kconfig_value)"])
		AS_IF([test "$enable_kunit:$xen2mx_build_kunit" = yes:no],
			[AC_MSG_ERROR([--enable-kunit: KUnit module cannot be built: $xen2mx_build_kunit_why])])
		AC_MSG_CHECKING([whether to build the KUnit module])
		AC_MSG_RESULT([$xen2mx_build_kunit_why])

		AS_IF([test -z "$kmoddir"], [kmoddir=/lib/modules/$KERNEL_RELEASE/extra])
	])
	AM_CONDITIONAL([BUILD_MODULES], [test "$xen2mx_build_modules" = yes])
	AM_CONDITIONAL([BUILD_XEN], [test "$xen2mx_build_xen" = yes])
	AM_CONDITIONAL([BUILD_XEN_BACK], [test "$xen2mx_build_xen_back" = yes])
	AM_CONDITIONAL([BUILD_KUNIT], [test "$xen2mx_build_kunit" = yes])

	AC_SUBST([KERNEL_WERROR], [$WERROR])
	AC_SUBST([kmoddir])
	AC_PATH_PROG([DEPMOD], [depmod], [], [$PATH$PATH_SEPARATOR/sbin$PATH_SEPARATOR/usr/sbin])

	# Written by config.status, and only when its contents change, so a
	# re-run of configure does not force the modules to rebuild.
	AC_CONFIG_COMMANDS([xen2mx_kconfig.h], [
		AS_IF([test "$xen2mx_build_modules" = yes], [
			{
				echo "/* xen2mx_kconfig.h - generated by configure from the kernel API"
				echo " * tests in config/kernel-tests/ against $LINUX_OBJ."
				echo " * Forced into every module source by Kbuild (-include). */"
				echo "#ifndef XEN2MX_KCONFIG_H"
				echo "#define XEN2MX_KCONFIG_H"
				echo
				for xen2mx_d in $xen2mx_kconfig_yes; do
					echo "#define $xen2mx_d 1"
				done
				for xen2mx_d in $xen2mx_kconfig_no; do
					echo "/* #undef $xen2mx_d */"
				done
				echo
				echo "#endif /* XEN2MX_KCONFIG_H */"
			} > xen2mx_kconfig.h.tmp
			AS_IF([cmp -s xen2mx_kconfig.h.tmp xen2mx_kconfig.h], [
				AC_MSG_NOTICE([xen2mx_kconfig.h is unchanged])
				rm -f xen2mx_kconfig.h.tmp
			], [
				mv -f xen2mx_kconfig.h.tmp xen2mx_kconfig.h
			])
		])
	], [
		xen2mx_build_modules='$xen2mx_build_modules'
		xen2mx_kconfig_yes='$xen2mx_kconfig_yes'
		xen2mx_kconfig_no='$xen2mx_kconfig_no'
		LINUX_OBJ='$LINUX_OBJ'
	])
])
