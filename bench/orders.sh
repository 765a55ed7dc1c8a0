#!/usr/bin/env bash
# bench/orders.sh — `mqlreport run` on every order of events.csv and every
# spelling of lead ids, each timed alternately with DuckDB's group-by scan of
# the same events.csv. Called by bench/run.sh; runs alone too:
#
#   bench/orders.sh BINARY LEADS RUNS [--scale LEADS2] [--gen-only]
#
# For each combination of --events-order lead|time|random and --id-style
# prefixed|numeric|salesforce it generates LEADS leads into
# bench/data/gen-LEADS-ORDER-STYLE (reused while the options and the binary's
# generator are unchanged), then, RUNS rounds over all combinations: one
# `run --no-email` and one DuckDB scan (SELECT channel, type, count(*) …
# GROUP BY channel, type) of the same file, each under /usr/bin/time, the
# two in turn first (run first in odd rounds), after reading the files
# twice untimed (warm page cache, its pages active, for both). With
# --scale, time order and numeric ids are also run at LEADS2 leads, right
# after the same at LEADS in each round. Prints,
# and writes into bench/data/results/orders.md: per combination the medians
# of wall seconds, CPU seconds and peak RSS, the median of the per-round ratios
# mqlreport / DuckDB, and each combination's time against the fastest.
# GEN_BIN, when set, is the binary that generates the data (default BINARY):
# the data is kept while that binary is unchanged.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=$1 leads=$2 runs=$3
shift 3
scale="" gen_only=""
while [ $# -gt 0 ]; do
	case "$1" in
	--scale) scale=$2; shift 2 ;;
	--gen-only) gen_only=1; shift ;;
	*) echo "orders.sh: unknown option $1" >&2; exit 64 ;;
	esac
done
week=2026-W47
seed=42
results=$here/data/results
mkdir -p "$results"
export LC_ALL=C

# combos: "LEADS ORDER STYLE"
combos=()
for order in lead time random; do
	for style in prefixed numeric salesforce; do
		combos+=("$leads $order $style")
		# the larger set right after its smaller one: the scaling is
		# the pair's ratio in each round
		[ -n "$scale" ] && [ "$order $style" = "time numeric" ] && combos+=("$scale time numeric")
	done
done

dir_of() { echo "$here/data/gen-$1-$2-$3"; }

# ---- the data ----
gen_bin=${GEN_BIN:-$bin}
gen_sum=$(sha256sum "$gen_bin" | cut -c1-16)
for c in "${combos[@]}"; do
	read -r n order style <<<"$c"
	d=$(dir_of "$n" "$order" "$style")
	stamp="--leads $n --seed $seed --end-week $week --events-order $order --id-style $style $gen_sum"
	if [ "$(cat "$d/.stamp" 2>/dev/null)" != "$stamp" ]; then
		echo "generating $n leads, $order order, $style ids, into $d"
		rm -rf "$d"
		"$gen_bin" gen --leads "$n" --seed "$seed" --end-week "$week" --events-order "$order" \
			--id-style "$style" --out "$d" >/dev/null
		echo "$stamp" >"$d/.stamp"
	fi
done
[ -n "$gen_only" ] && exit 0

# ---- alternate runs ----
tsv=$results/orders.tsv
: >"$tsv"
tmp=$(mktemp -d "$here/data/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# timed NAME COMMAND…: wall seconds, peak KB, user and system CPU seconds
# appended to $tmp/NAME
timed() {
	local name=$1
	shift
	/usr/bin/time -f '%e %M %U %S' -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || {
		echo "orders.sh: $name failed:" >&2
		cat "$tmp/err" >&2
		exit 70
	}
	cat "$tmp/t" >>"$tmp/$name"
}
for r in $(seq "$runs"); do
	for c in "${combos[@]}"; do
		read -r n order style <<<"$c"
		d=$(dir_of "$n" "$order" "$style")
		key="$n-$order-$style"
		# both tools read warm files: all the combinations together may
		# not fit the page cache, and the first reader must not pay for
		# it. Read twice: the second read moves the pages to the kernel's
		# active list, which the first tool to read them again would
		# otherwise do (the second of two runs of one binary took 0.97
		# of the first's CPU after a single read). And the tools take
		# turns to go first, for whatever else favours one place.
		cat "$d"/*.csv >/dev/null
		cat "$d"/*.csv >/dev/null
		if [ $((r % 2)) = 1 ]; then
			timed "mql-$key" "$bin" run --data "$d" --week "$week" --no-email --out "$tmp/run"
			timed "duck-$key" node "$here/duckdb_bench.mjs" scan "$d"
		else
			timed "duck-$key" node "$here/duckdb_bench.mjs" scan "$d"
			timed "mql-$key" "$bin" run --data "$d" --week "$week" --no-email --out "$tmp/run"
		fi
		printf 'round %d %-28s mqlreport %6.2f s  DuckDB %6.2f s\n' "$r" "$key" \
			"$(tail -1 "$tmp/mql-$key" | cut -d' ' -f1)" "$(tail -1 "$tmp/duck-$key" | cut -d' ' -f1)"
	done
done
for c in "${combos[@]}"; do
	read -r n order style <<<"$c"
	key="$n-$order-$style"
	d=$(dir_of "$n" "$order" "$style")
	rows=$(($(wc -l <"$d/events.csv") - 1))
	bytes=$(stat -c %s "$d/events.csv")
	all=$(cat "$d"/*.csv | wc -c)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$order" "$style" "$rows" "$bytes" "$all" \
		"$(paste -sd' ' "$tmp/mql-$key")" "$(paste -sd' ' "$tmp/duck-$key")" >>"$tsv"
done

/usr/bin/python3 - "$tsv" "$leads" <<'EOF' | tee "$results/orders.md"
import statistics as st
import sys

rows = []
for line in open(sys.argv[1]):
    n, order, style, nev, evb, allb, mql, duck = line.rstrip("\n").split("\t")
    m = [float(x) for x in mql.split()]
    d = [float(x) for x in duck.split()]
    mw, mk, mc = m[0::4], m[1::4], [u + s for u, s in zip(m[2::4], m[3::4])]
    dw, dk, dc = d[0::4], d[1::4], [u + s for u, s in zip(d[2::4], d[3::4])]
    rows.append(dict(n=int(n), order=order, style=style, nev=int(nev), evb=int(evb),
                     allb=int(allb), mw=st.median(mw), mk=st.median(mk) / 1024,
                     mc=st.median(mc), dw=st.median(dw), dk=st.median(dk) / 1024,
                     dc=st.median(dc), ratio=st.median(a / b for a, b in zip(mw, dw)),
                     cratio=st.median(a / b for a, b in zip(mc, dc)), runs=len(mw),
                     mws=mw, mcs=mc))
base = [r for r in rows if r["n"] == int(sys.argv[2])]
fastest = min(r["mw"] for r in base)
fastest_cpu = min(r["mc"] for r in base)
print("| leads | events order | ids | events | events.csv MB | all inputs MB | run wall s "
      "| run CPU s | run peak MB | DuckDB scan s | DuckDB CPU s | DuckDB peak MB "
      "| run / DuckDB wall | run / DuckDB CPU | run / fastest wall | run / fastest CPU |")
print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
      "| ---: | ---: | ---: |")
for r in rows:
    vs = f"{r['mw'] / fastest:.2f} | {r['mc'] / fastest_cpu:.2f}" if r in base else " | "
    print(f"| {r['n']:,} | {r['order']} | {r['style']} | {r['nev']:,} | {r['evb'] / 1e6:,.1f} "
          f"| {r['allb'] / 1e6:,.1f} | {r['mw']:.2f} | {r['mc']:.2f} | {r['mk']:,.0f} | {r['dw']:.2f} "
          f"| {r['dc']:.2f} | {r['dk']:,.0f} | {r['ratio']:.2f} | {r['cratio']:.2f} | {vs} |")
print(f"\nMedians of {rows[0]['runs']} rounds; run / DuckDB is the median of each round's ratio "
      "(the two timed back to back).")
big = [r for r in rows if r["n"] != int(sys.argv[2])]
ref = [r for r in base if r["order"] == "time" and r["style"] == "numeric"]
if big and ref:
    b, a = big[0], ref[0]
    walls = [y / x for x, y in zip(a["mws"], b["mws"])]
    cpus = [y / x for x, y in zip(a["mcs"], b["mcs"])]
    print(f"Scaling, time order and numeric ids, {b['n']:,} / {a['n']:,} leads, the median of "
          f"each round's ratio (the two run back to back): wall {st.median(walls):.2f}× "
          f"(rounds {', '.join(f'{x:.2f}' for x in walls)}), CPU {st.median(cpus):.2f}×, "
          f"peak RSS {b['mk'] / a['mk']:.2f}×.")
EOF
