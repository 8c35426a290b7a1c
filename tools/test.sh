#!/usr/bin/env bash
# Installs, builds and runs every test: C++ (Catch2) and Python (pytest) through ctest, then
# replays the malformed scenarios and fuzzes the loader and a short run (tools/fuzz.sh).
#   tools/test.sh               the Release build (build/), then HYBRIDSIM_FUZZ_SECONDS (default
#                               30; 0 skips) of fuzzing with clang-14 + libFuzzer (build-fuzz/)
#   tools/test.sh --sanitize    the same tests under AddressSanitizer + UBSan (build-asan/); the
#                               30-year horizon test, which the Release pass runs, is left out
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./tools/setup.sh "$@"
build=build
exclude=()
if [[ ${1:-} == --sanitize ]]; then
  build=build-asan
  # Thirty simulated years of seven scenarios take minutes under the sanitizers; the Release
  # pass pins them, the sanitizers check the same code on every shorter run.
  exclude=(-E "over 30 years")
fi
export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd "$build" && ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "${exclude[@]}")
if [[ ${1:-} != --sanitize ]]; then
  seconds=${HYBRIDSIM_FUZZ_SECONDS:-30}
  [[ $seconds != 0 ]] && ./tools/fuzz.sh "$seconds"
fi
exit 0
