#!/usr/bin/env bash
# Installs, builds and runs every test: C++ (Catch2) and Python (pytest) through ctest.
#   tools/test.sh               the Release build (build/)
#   tools/test.sh --sanitize    the same tests under AddressSanitizer + UBSan (build-asan/)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./tools/setup.sh "$@"
build=build
[[ ${1:-} == --sanitize ]] && build=build-asan
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)"
