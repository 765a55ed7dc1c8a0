#!/usr/bin/env bash
# What scoring adds to ingest: the default model replayed over 1,000,000 leads
# with about 20,000,000 events must take no more than 20% of the time it takes
# to read them. Generates the data once into bench/data/score-1m (about 1.4 GB).
#
# Usage: bench/score.sh [LEADS]   (BUILD=dir to choose the build folder)
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
leads=${1:-1000000}
build=${BUILD:-build-bench}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" --target mqlreport score_bench
data=bench/data/score-$leads
if [ ! -f "$data/events.csv" ]; then
  "$build"/cmd/mqlreport gen --out "$data" --leads "$leads" --seed 1 --weeks 26 --end-week 2026-W47
fi
"$build"/tests/score_bench "$data" 2026-11-23T00:00:00Z 0.20
