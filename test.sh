#!/usr/bin/env bash
# Run the whole test suite: install what is missing of what building and the
# tests need (./setup.sh --test-deps lists it), check the formatting of every
# C file against .clang-format, build the release and the test build with
# -Werror and run every test, then build and run everything again under
# AddressSanitizer and UndefinedBehaviorSanitizer, then run each libFuzzer
# harness (clang) for a bounded time.
set -euo pipefail
cd "$(dirname "$0")"
export LC_ALL=C

./setup.sh --test-deps

# Every C file as .clang-format says; a difference fails the run before the
# build (clang-format -i on the files it names fixes them).
find base net ingest metrics reports deliver gen engine cmd tests bench -name '*.[ch]' -print0 |
  xargs -0 clang-format --dry-run --Werror

jobs=$(nproc)
# The optimised build that ./setup.sh and the install make, without a
# warning either (its -O3 finds what -O2 does not).
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF -DMQL_WERROR=ON >/dev/null
cmake --build build-release -j"$jobs"

cmake -S . -B build-test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMQL_WERROR=ON >/dev/null
cmake --build build-test -j"$jobs"
ctest --test-dir build-test --output-on-failure -j"$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DMQL_WERROR=ON -DMQL_SANITIZE=ON >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DMQL_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$jobs" --target fuzz_csvr fuzz_timeparse fuzz_money
ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -R '^fuzz_'
