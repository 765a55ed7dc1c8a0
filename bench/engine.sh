#!/usr/bin/env bash
# bench/engine.sh — `run --engine clickhouse` beside the embedded `run` on
# generated data, loaded with `mqlreport load` into a local two-server
# cluster (tests/e2e/clickhouse_cluster.py writes its configuration).
#
#   bench/engine.sh                      # 1,000,000 and 2,000,000 leads
#   bench/engine.sh --leads "500000 1000000"
#   bench/engine.sh --leads "1000000 2000000" --data 1000000=DIR --data 2000000=DIR
#   MQLREPORT=path/to/mqlreport bench/engine.sh
#
# --data N=DIR takes the four CSV files of size N from DIR (for example a
# set made earlier with `mqlreport gen --leads N --seed 42 --end-week
# 2026-W47`) instead of generating them under bench/data/gen-N.
# For each size: a fresh cluster, `load` under /usr/bin/time -v, the
# embedded run and the engine run under /usr/bin/time -v (peak RSS of the
# mqlreport process only; the servers are separate processes), the rows and
# bytes on each node, and the traffic mqlreport reports. Data under
# bench/data/ (git-ignored). It measures; it does not judge.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
LEADS="1000000 2000000"
declare -A GIVEN=()
while [ $# -gt 0 ]; do
	case "$1" in
	--leads) LEADS="$2"; shift 2 ;;
	--data) GIVEN["${2%%=*}"]="$(cd "${2#*=}" && pwd)"; shift 2 ;; # the config's paths are its own
	*) echo "usage: bench/engine.sh [--leads \"N M\"] [--data N=DIR]..." >&2; exit 64 ;;
	esac
done

DATA="$ROOT/bench/data"
OUT="$DATA/engine-results"
mkdir -p "$DATA" "$OUT"
if [ -z "${MQLREPORT:-}" ]; then
	cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$ROOT/build-bench" -j2 >/dev/null
	MQLREPORT="$ROOT/build-bench/cmd/mqlreport"
fi
# both runs stamp the same generation time, so metrics.json compares whole
export SOURCE_DATE_EPOCH=1764000000
CLUSTER_PY="$ROOT/tests/e2e/clickhouse_cluster.py"
CLUSTER="$DATA/cluster"

# wall seconds and peak RSS (KiB) from a /usr/bin/time -v log
tv() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
		/Maximum resident set size/ { r = $2 }
		END { printf "%.2f s, %.0f MB peak RSS", w, r / 1024 }' "$1"
}

sql() { # url query
	curl -sS --data-binary "$2" "$1"
}

# CPU seconds (user + system) a process has used so far
cpu_s() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"
}

stop_cluster() { python3 "$CLUSTER_PY" stop "$CLUSTER" || true; }
trap stop_cluster EXIT

for N in $LEADS; do
	G="${GIVEN[$N]:-$DATA/gen-$N}"
	if [ ! -s "$G/events.csv" ]; then
		/usr/bin/time -v "$MQLREPORT" gen --leads "$N" --seed 42 --end-week 2026-W47 \
			--out "$G" 2>"$OUT/gen-$N.time" >/dev/null
	fi
	URL="$(python3 "$CLUSTER_PY" start "$CLUSTER" | tail -1)"
	BASE="$(cat "$CLUSTER/base_port")"
	NODE=("http://127.0.0.1:$((BASE + 1))/" "http://127.0.0.1:$((BASE + 11))/")
	INI="$OUT/bench-$N.ini"
	{
		printf '[report]\nweek = 2026-W47\n'
		for s in leads events spend opportunities; do
			printf '[source.%s]\nlocation = %s/%s.csv\n' "$s" "$G" "$s"
		done
		printf '[engine]\nurl = %s\nallow_http = true\ndatabase = mqlreport\nnodes = %s %s\n' \
			"$URL" "${NODE[0]}" "${NODE[1]}"
	} >"$INI"

	/usr/bin/time -v "$MQLREPORT" load --config "$INI" 2>"$OUT/load-$N.log"
	/usr/bin/time -v "$MQLREPORT" run --config "$INI" --no-email --out "$OUT/embedded-$N" \
		2>"$OUT/embedded-$N.log"
	PIDS=("$(cat "$CLUSTER/s0/pid")" "$(cat "$CLUSTER/s1/pid")")
	BEFORE=("$(cpu_s "${PIDS[0]}")" "$(cpu_s "${PIDS[1]}")")
	/usr/bin/time -v "$MQLREPORT" run --config "$INI" --no-email --engine clickhouse \
		--out "$OUT/engine-$N" 2>"$OUT/engine-$N.log"
	AFTER=("$(cpu_s "${PIDS[0]}")" "$(cpu_s "${PIDS[1]}")")
	if python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); sys.exit(a!=b)' \
		"$OUT/embedded-$N/metrics.json" "$OUT/engine-$N/metrics.json"; then
		SAME="metrics.json equal"
	else
		SAME="metrics.json DIFFERS"
	fi

	echo "== $N leads: $(wc -l <"$G/events.csv") events.csv lines," \
		"$(du -cb "$G"/*.csv | tail -1 | cut -f1) bytes of CSV"
	echo "load:     $(tv "$OUT/load-$N.log")"
	grep -E 'rows loaded|load into' "$OUT/load-$N.log" | sed 's/^mqlreport: /  /'
	echo "embedded: $(tv "$OUT/embedded-$N.log")"
	echo "engine:   $(tv "$OUT/engine-$N.log"); $SAME"
	echo "  CPU s during the engine run: mqlreport $(awk -F': ' '/User time|System time/ \
{ s += $2 } END { printf "%.2f", s }' "$OUT/engine-$N.log"), node 0" \
		"$(awk "BEGIN { printf \"%.2f\", ${AFTER[0]} - ${BEFORE[0]} }"), node 1" \
		"$(awk "BEGIN { printf \"%.2f\", ${AFTER[1]} - ${BEFORE[1]} }")"
	grep -E 'clickhouse:' "$OUT/engine-$N.log" | sed 's/^mqlreport: /  /'
	for i in 0 1; do
		echo "node $i: $(sql "${NODE[$i]}" "SELECT table, sum(rows), \
sum(data_uncompressed_bytes), sum(bytes) FROM system.parts WHERE active AND \
database = 'mqlreport' AND table IN ('leads_local', 'events_local') GROUP BY table \
ORDER BY table FORMAT TSV" | tr '\t\n' ' ;')"
	done
	stop_cluster
done
