# xen.m4 - Xen's user-space libraries (libxen-dev on Debian).
#
# Xen ships pkg-config files (xenstore.pc, xencontrol.pc), which carry the
# right -I/-L for non-default installs; when pkg-config or the .pc files are
# missing, fall back to a plain header + library check.  Either way, a
# missing library is a one-line error that names the package to install.

# _XEN2MX_XEN_LIB(VAR, PKG-MODULE, HEADER, LIBRARY, FUNCTION)
# -----------------------------------------------------------
# Set and substitute VAR_CFLAGS and VAR_LIBS, or fail.
AC_DEFUN([_XEN2MX_XEN_LIB], [
	PKG_CHECK_MODULES([$1], [$2], [], [
		xen2mx_save_LIBS=$LIBS
		AC_CHECK_HEADER([$3], [], [AC_MSG_ERROR([$3 not found: install libxen-dev])])
		AC_CHECK_LIB([$4], [$5], [], [AC_MSG_ERROR([lib$4 not found: install libxen-dev])])
		LIBS=$xen2mx_save_LIBS
		$1_CFLAGS=
		$1_LIBS=-l$4
	])
])

# XEN2MX_XEN_LIBS
# ---------------
# libxenstore for the xenstore helpers (xen2mx-attach/-detach), libxenctrl
# for tools that need to query domains.
AC_DEFUN([XEN2MX_XEN_LIBS], [
	_XEN2MX_XEN_LIB([XENSTORE], [xenstore], [xenstore.h], [xenstore], [xs_open])
	_XEN2MX_XEN_LIB([XENCTRL], [xencontrol], [xenctrl.h], [xenctrl], [xc_interface_open])
])
