#!/usr/bin/env bash
# bench/run.sh — mqlreport against its peers on generated data.
#
#   bench/run.sh [--leads N] [--runs R] [--quick] [--orders-only | --no-orders]
#
# Builds mqlreport (Release) into build-bench/ unless MQLREPORT names a binary,
# generates N leads (default 1,000,000, about 20 events each) with
# `mqlreport gen` under bench/data/ (reused while the generator's options and
# binary are unchanged), then times with hyperfine, each run under
# /usr/bin/time -v for its peak memory:
#   gen            the generator itself
#   check          mqlreport check (ingest of all four files, no report), also
#                  on the same data with events.csv in time order
#   score          mqlreport score (ingest + scoring replay + the scored CSV)
#   run            mqlreport run --no-email (everything), with --mql-source
#                  export and score
#   duckdb         @duckdb/node-api: events counted per type, and per type and
#                  per lead in one scan; the 13-week per-channel funnel
#   pandas         Debian's python3-pandas: the same tasks
#   libcsv         a plain single-threaded libcsv parse of events.csv (a floor)
# and writes bench/data/results/summary.md (copied into RESULTS.md by hand,
# with the machine). Then bench/orders.sh: `run` on every events order
# (lead, time, random) and lead id style (prefixed, numeric, salesforce) at N
# leads, and time order with numeric ids at 2N for scaling, each run timed
# alternately with DuckDB's group-by scan of the same events.csv, with the
# ratios (bench/data/results/orders.md). --orders-only: that part alone;
# --no-orders: without it. --quick: 100,000 leads, 2 runs. Needs hyperfine, node and
# npm (for @duckdb/node-api, installed into bench/node_modules), and
# /usr/bin/python3 with pandas.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
leads=1000000
runs=3
orders=yes
while [ $# -gt 0 ]; do
	case "$1" in
	--leads) leads=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--quick) leads=100000; runs=2; shift ;;
	--orders-only) orders=only; shift ;;
	--no-orders) orders=no; shift ;;
	-h|--help) sed -n '2,/^set -e/{/^set -e/!p}' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1" >&2; exit 64 ;;
	esac
done

week=2026-W47                 # the generated data's last week
from=2026-08-24T00:00:00Z     # its 13 weeks: W35 Monday …
to=2026-11-23T00:00:00Z       # … to as_of, the Monday after W47
seed=42
data=$here/data/gen-$leads
results=$here/data/results
mkdir -p "$results"
export LC_ALL=C
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

for tool in hyperfine node npm /usr/bin/time /usr/bin/python3; do
	command -v "$tool" >/dev/null || { echo "run.sh: $tool is needed" >&2; exit 69; }
done

# ---- the binary ----
if [ -z "${MQLREPORT:-}" ]; then
	cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
	cmake --build "$root/build-bench" -j"$(nproc)" --target mqlreport >/dev/null
	MQLREPORT=$root/build-bench/cmd/mqlreport
fi
bin=$MQLREPORT
echo "binary: $bin ($("$bin" --version))"

# ---- the peers ----
if [ ! -d "$here/node_modules/@duckdb/node-api" ]; then
	(cd "$here" && npm install --no-audit --no-fund >/dev/null)
fi
/usr/bin/python3 -c 'import pandas' 2>/dev/null || { echo "run.sh: python3-pandas is needed" >&2; exit 69; }

# ---- every order and id style, timed alternately with DuckDB ----
if [ "$orders" = only ]; then
	exec "$here/orders.sh" "$bin" "$leads" "$runs" --scale $((2 * leads))
fi

# ---- the data ----
gen_args="--leads $leads --seed $seed --end-week $week"
stamp="$gen_args $(sha256sum "$bin" | cut -c1-16)"
if [ "$(cat "$data/.stamp" 2>/dev/null)" != "$stamp" ]; then
	echo "generating $leads leads into $data"
	rm -rf "$data"
	# shellcheck disable=SC2086
	"$bin" gen $gen_args --out "$data"
	echo "$stamp" >"$data/.stamp"
fi
# the same data with events.csv sorted by time, as many exports are
data_time=$data-time
if [ "$(cat "$data_time/.stamp" 2>/dev/null)" != "$stamp time" ]; then
	echo "generating $leads leads, events in time order, into $data_time"
	rm -rf "$data_time"
	# shellcheck disable=SC2086
	"$bin" gen $gen_args --events-order time --out "$data_time"
	echo "$stamp time" >"$data_time/.stamp"
fi
events_bytes=$(stat -c %s "$data/events.csv")
input_bytes=$(cat "$data"/*.csv | wc -c)
events_rows=$(($(wc -l <"$data/events.csv") - 1))
echo "data: $data: events.csv $events_bytes bytes ($events_rows rows), all inputs $input_bytes bytes"

# ---- measuring ----
# bench NAME RUNS COMMAND…: hyperfine's mean and stddev, the largest peak
# RSS over the runs (from /usr/bin/time -v), and the exit status checked.
summary=$results/summary.tsv
: >"$summary"
bench() {
	local name=$1 n=$2
	shift 2
	local rss=$results/$name.rss
	: >"$rss"
	local cmd wrapped
	printf -v cmd '%q ' "$@"
	printf -v wrapped '/usr/bin/time -v -a -o %q %s>%q 2>%q' "$rss" "$cmd" \
		"$results/$name.out" "$results/$name.err"
	hyperfine --runs "$n" --style basic --export-json "$results/$name.json" \
		--command-name "$name" "$wrapped" >/dev/null
	local mean sd kb
	mean=$(/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.3f' % r['mean'])" "$results/$name.json")
	sd=$(/usr/bin/python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print('%.3f' % (r['stddev'] or 0))" "$results/$name.json")
	kb=$(awk -F': ' '/Maximum resident set size/ { if ($2 > m) m = $2 } END { print m + 0 }' "$rss")
	# CPU seconds (user + system) per run: less sensitive than wall time to
	# other processes competing for the cores
	cpu=$(awk -F': ' '/User time|System time/ { t += $2 } /Maximum resident/ { n++ }
		END { printf "%.3f", n ? t / n : 0 }' "$rss")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$mean" "$sd" "$kb" "$cpu" "$cmd" >>"$summary"
	printf '%-22s %8.3f s ± %6.3f  cpu %8.3f s  peak %7.1f MB\n' "$name" "$mean" "$sd" "$cpu" \
		"$(awk -v kb="$kb" 'BEGIN { print kb / 1024 }')"
}

tmp=$(mktemp -d "$here/data/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2086
bench gen "$(( runs > 2 ? 2 : runs ))" "$bin" gen $gen_args --force --out "$tmp/gen"
rm -rf "$tmp/gen"
bench check "$runs" "$bin" check --data "$data" --week "$week"
bench check_time_order "$runs" "$bin" check --data "$data_time" --week "$week"
bench score "$runs" "$bin" score --data "$data" --week "$week"
rm -f "$results/score.out" # the scored leads
bench run "$runs" "$bin" run --data "$data" --week "$week" --out "$tmp/run" --no-email
bench run_export "$runs" "$bin" run --data "$data" --week "$week" --out "$tmp/run" --no-email --mql-source export
bench run_score "$runs" "$bin" run --data "$data" --week "$week" --out "$tmp/run" --no-email --mql-source score
cc -std=c11 -O2 "$here/libcsv_baseline.c" -lcsv -o "$here/data/libcsv_baseline"
bench libcsv_events "$runs" "$here/data/libcsv_baseline" "$data/events.csv"
bench duckdb_events_type "$runs" node "$here/duckdb_bench.mjs" events_type "$data"
bench duckdb_events "$runs" node "$here/duckdb_bench.mjs" events "$data"
bench duckdb_funnel "$runs" node "$here/duckdb_bench.mjs" funnel "$data" "$from" "$to"
bench pandas_events "$(( runs > 2 ? 2 : runs ))" /usr/bin/python3 "$here/pandas_bench.py" events "$data"
bench pandas_funnel "$runs" /usr/bin/python3 "$here/pandas_bench.py" funnel "$data" "$from" "$to"

# ---- the answers agree ----
if ! cmp -s "$results/duckdb_funnel.out" "$results/pandas_funnel.out"; then
	echo "run.sh: DuckDB and pandas disagree on the funnel table" >&2
	exit 70
fi
if ! cmp -s "$results/duckdb_events.out" "$results/pandas_events.out"; then
	echo "run.sh: DuckDB and pandas disagree on the event counts" >&2
	exit 70
fi

# ---- the summary ----
{
	echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) memory; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
	echo "Code: commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- ingest metrics reports cmd 2>/dev/null || echo ' with uncommitted changes in the tree'); $(node --version | sed 's/^/node /'), @duckdb/node-api $(node -p "require('$here/node_modules/@duckdb/node-api/package.json').version"), pandas $(/usr/bin/python3 -c 'import pandas; print(pandas.__version__)')."
	echo
} >"$results/summary.md"
/usr/bin/python3 - "$summary" "$events_bytes" "$input_bytes" "$leads" "$events_rows" "$root" >>"$results/summary.md" <<'EOF'
import sys
rows = {}
root = sys.argv[6].rstrip("/") + "/"
for line in open(sys.argv[1]):
    name, mean, sd, kb, cpu, cmd = line.rstrip("\n").split("\t")
    cmd = cmd.replace(root, "")
    rows[name] = (float(mean), float(sd), int(kb), cmd, float(cpu))
ev, allb, leads, nev = (int(x) for x in sys.argv[2:6])
mb = 1e6
print(f"Input: {leads:,} leads, {nev:,} events; events.csv {ev / mb:,.1f} MB, "
      f"all four files {allb / mb:,.1f} MB.\n")
print("| task | wall s (mean) | ± s | CPU s | peak RSS MB | events MB/s | all inputs MB/s |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for name, (mean, sd, kb, cmd, cpu) in rows.items():
    evr = f"{ev / mb / mean:,.0f}" if name.startswith(("check", "score", "run", "libcsv", "duckdb_events", "pandas_events")) else ""
    allr = f"{allb / mb / mean:,.0f}" if name.startswith(("check", "score", "run", "gen")) else ""
    print(f"| {name} | {mean:.3f} | {sd:.3f} | {cpu:.2f} | {kb / 1024:,.0f} | {evr} | {allr} |")
print()
def ratio(a, b):
    return f"{rows[b][0] / rows[a][0]:.2f}" if a in rows and b in rows else "n/a"
print("Ratios (the peer's time / mqlreport's time; > 1: mqlreport is faster):\n")
print(f"- events load+aggregate: check vs DuckDB (per type and per lead) {ratio('check', 'duckdb_events')}, "
      f"vs DuckDB (per type) {ratio('check', 'duckdb_events_type')}, vs pandas {ratio('check', 'pandas_events')}, "
      f"vs plain libcsv {ratio('check', 'libcsv_events')}")
print(f"- 13-week channel funnel: run vs DuckDB {ratio('run', 'duckdb_funnel')}, vs pandas {ratio('run', 'pandas_funnel')}")
if "check" in rows and "score" in rows:
    print(f"- scoring: score / check = {rows['score'][0] / rows['check'][0]:.2f}; "
          f"run --mql-source score / export = {ratio('run_export', 'run_score')}")
import os, re
err = os.path.join(os.path.dirname(sys.argv[1]), "run.err")
if os.path.exists(err):
    text = " ".join(l.strip() for l in open(err))
    phases = re.findall(r"(read [^(]*?|metrics|outputs)[^,:]*? in ([0-9.]+) s", text)
    if phases:
        print("- run's own phase timings (its last run): " +
              ", ".join(f"{p.split()[0]} {t} s" for p, t in phases))
print("\nCommands:\n")
for name, (mean, sd, kb, cmd, cpu) in rows.items():
    print(f"- {name}: `{cmd.strip()}`")
EOF
cat "$results/summary.md"
if [ "$orders" = yes ]; then
	echo
	"$here/orders.sh" "$bin" "$leads" "$runs" --scale $((2 * leads))
fi
