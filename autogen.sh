#!/bin/sh
# Regenerate the build system (configure, Makefile.in, build-aux/) from
# configure.ac and the Makefile.am files.  Needed once after a fresh checkout.
set -e
cd "$(dirname "$0")"
autoreconf -fi
