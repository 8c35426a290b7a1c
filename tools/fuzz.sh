#!/usr/bin/env bash
# Fuzzes the scenario loader and one short run with libFuzzer.
#   tools/fuzz.sh [SECONDS]     default 60; 0 only replays the corpus (a regression check)
# Builds build-fuzz/ with clang-14: every library with -fsanitize=fuzzer-no-link,address,undefined,
# the harness (tools/fuzz/fuzz_scenario.cpp) with -fsanitize=fuzzer. Seeds: the shipped scenarios,
# the malformed ones (tests/bad_scenarios) and tests/fuzz_corpus (inputs that once failed; each
# also replayed here). New inputs go to build-fuzz/corpus, crashes to build-fuzz/findings/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds=${1:-60}
./tools/setup.sh --fuzz
root=$PWD
mkdir -p build-fuzz/corpus build-fuzz/findings
harness=$root/build-fuzz/bin/hybridsim-fuzz-scenario
# CSV paths in the bad scenarios are relative to their folder: run from there.
cd tests/bad_scenarios
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if [[ $seconds == 0 ]]; then
  "$harness" -runs=0 "$root/tests/fuzz_corpus" "$root/scenarios" "$root/tests/bad_scenarios"
  exit
fi
"$harness" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$root/build-fuzz/findings/" \
  "$root/build-fuzz/corpus" "$root/tests/fuzz_corpus" "$root/scenarios" "$root/tests/bad_scenarios" 2>&1 |
  tee "$root/build-fuzz/last-run.log" | grep -E "^(#[0-9]+ +DONE|Done|==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units)" || true
exit "${PIPESTATUS[0]}"
