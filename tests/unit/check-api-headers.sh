#!/bin/sh
# SPDX-License-Identifier: MIT
#
# check-api-headers.sh - the public headers of libopen-mx as compilers
# see them (TAP):
#  - each header compiles alone as strict C99 (mx_raw.h after
#    myriexpress.h, as it documents), so no header leans on another
#    being included first by chance;
#  - all of them compile together as C++11 with -pedantic;
#  - in C++ their functions and objects keep C linkage (extern "C"): the
#    object file refers to unmangled names, which the C library defines.
#
# CC and CXX may be set in the environment; without a C++ compiler the
# C++ checks are skipped.
set -u

here=$(cd "$(dirname "$0")" && pwd)
inc=$here/../../userspace/include
CC=${CC:-cc}
CXX=${CXX:-c++}

# shellcheck source=tap.sh
. "$(dirname "$0")/tap.sh"
skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# compile_c <file name> <lines of the test program...>
compile_c() {
	name=$1
	shift
	printf '%s\n' "$@" 'int main(void) { return 0; }' > "$tmp/$name.c"
	$CC -std=c99 -pedantic -Wall -Wextra -Werror -I"$inc" \
		-c "$tmp/$name.c" -o "$tmp/$name.o" 2> "$tmp/$name.err"
	status=$?
	[ $status -eq 0 ] || sed 's/^/# /' "$tmp/$name.err"
	return $status
}

for h in open-mx.h myriexpress.h mx_extensions.h mx_io.h \
	 mx_internals/mx__fops.h mx_internals/mx__driver_interface.h; do
	compile_c "alone_$(basename "$h" .h)" "#include <$h>"
	check $? "$h compiles alone as C99"
done
compile_c alone_mx_raw '#include <myriexpress.h>' '#include <mx_raw.h>'
check $? "mx_raw.h compiles after myriexpress.h as C99"
compile_c twice '#include <open-mx.h>' '#include <mx_extensions.h>' \
	'#include <mx_raw.h>' '#include <mx_internals/mx__driver_interface.h>' \
	'#include <open-mx.h>' '#include <myriexpress.h>' '#include <mx_extensions.h>' \
	'#include <mx_raw.h>' '#include <mx_io.h>' '#include <mx_internals/mx__driver_interface.h>'
check $? "every header can be included twice"

if ! command -v "$CXX" > /dev/null 2>&1; then
	for what in "all headers compile as C++11" "no mangled symbol" \
		    open-mx.h myriexpress.h mx_extensions.h mx_raw.h mx_internals; do
		skip "C++: $what" "no C++ compiler ($CXX)"
	done
	echo "1..$n"
	exit 0
fi

# One reference to a function or object of each header.
cat > "$tmp/cxx.cc" <<'EOC'
#include <open-mx.h>
#include <myriexpress.h>
#include <mx_extensions.h>
#include <mx_raw.h>
#include <mx_internals/mx__driver_interface.h>

typedef void (*any_function)(void);
#define REF(f) reinterpret_cast<any_function>(&f)

any_function functions[] = {
	REF(omx__init_api), REF(omx_test), REF(omx_strerror),
	REF(mx__init_api), REF(mx_test), REF(mx_strerror),
	REF(mx_iconnect), REF(mx_register_unexp_handler),
	REF(mx_raw_open_endpoint), REF(mx_raw_send),
	REF(mx_open_board), REF(mx__get_mapper_state),
};
const void *objects[] = { &OMX_ERRORS_ARE_FATAL, &MX_ERRORS_RETURN };

int init(void)
{
	return omx_init() + mx_init();
}
EOC
$CXX -std=c++11 -pedantic -Wall -Wextra -Werror -I"$inc" \
	-c "$tmp/cxx.cc" -o "$tmp/cxx.o" 2> "$tmp/cxx.err"
status=$?
[ $status -eq 0 ] || sed 's/^/# /' "$tmp/cxx.err"
check $status "C++: all headers compile as C++11 -pedantic"

nm -u "$tmp/cxx.o" 2> /dev/null | awk '{ print $NF }' > "$tmp/undefined"
! grep -q '^_Z' "$tmp/undefined"
check $? "C++: no mangled symbol is referenced"
has_c_names() {
	for sym in "$@"; do
		grep -qx "$sym" "$tmp/undefined" || { echo "# $sym not referenced unmangled"; return 1; }
	done
}
has_c_names omx__init_api omx_test omx_strerror OMX_ERRORS_ARE_FATAL
check $? "C++: open-mx.h declarations have C linkage"
has_c_names mx__init_api mx_test mx_strerror MX_ERRORS_RETURN
check $? "C++: myriexpress.h declarations have C linkage"
has_c_names mx_iconnect mx_register_unexp_handler
check $? "C++: mx_extensions.h declarations have C linkage"
has_c_names mx_raw_open_endpoint mx_raw_send
check $? "C++: mx_raw.h declarations have C linkage"
has_c_names mx_open_board mx__get_mapper_state
check $? "C++: mx_internals/ declarations have C linkage"

tap_end
