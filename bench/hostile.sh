#!/usr/bin/env bash
# bench/hostile.sh — mqlreport on hostile but valid exports, timed; not a
# test.
#
#   bench/hostile.sh [--runs R] [--quick]
#
# Generates with bench/hostile_gen.py, under bench/data/hostile/ (reused while
# the generator is unchanged):
#   types      events with 400,000 distinct event types (about 800,000 rows)
#   columns    a leads file whose header has 100,000 columns
#   campaigns  50,000 campaigns, each with a spend row and two leads
#   touches    20 won leads, each with 40,000 events in as many campaigns
# then runs on each, R times (default 3) under /usr/bin/time -v:
#   check            ingest and every metric, no outputs
#   run --no-email   everything: metrics.json, workbook, PDF, rejects.csv
# and once more on the campaigns `run --eml FILE` with an [email] section (the
# message written, not sent), for the e-mail's size against its cap.
# Prints, and writes to bench/data/results/hostile/summary.md, the median wall
# time (with min and max), CPU seconds, peak RSS, the PDF's pages (pdfinfo),
# the workbook's and the message's sizes. --quick: a tenth of each, 1 run.
# Without MQLREPORT it builds a Release binary into build-bench/.
#
# Targets: types and columns each under 2 s; campaigns: a PDF of
# at most 30 pages, a run under 10 s, an e-mail within its size cap;
# touches: metrics in time linear in the touchpoints (about a second).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
runs=3
types=400000
columns=100000
campaigns=50000
touches=40000
while [ $# -gt 0 ]; do
	case "$1" in
	--runs) runs=$2; shift 2 ;;
	--quick) types=40000; columns=10000; campaigns=5000; touches=4000; runs=1; shift ;;
	-h|--help) sed -n '2,25p' "$0"; exit 0 ;;
	*) echo "hostile.sh: unknown option $1" >&2; exit 64 ;;
	esac
done

for tool in /usr/bin/time /usr/bin/python3 pdfinfo; do
	command -v "$tool" >/dev/null || { echo "hostile.sh: $tool is needed" >&2; exit 69; }
done
if [ -z "${MQLREPORT:-}" ]; then
	cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
	cmake --build "$root/build-bench" -j"$(nproc)" --target mqlreport >/dev/null
	MQLREPORT=$root/build-bench/cmd/mqlreport
fi
bin=$MQLREPORT
week=2026-W47
data=$here/data/hostile
results=$here/data/results/hostile
mkdir -p "$data" "$results"
export LC_ALL=C
echo "binary: $bin ($("$bin" --version))"
echo "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)," \
	"$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)," \
	"load $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- the data ----
gen_stamp=$(sha256sum "$here/hostile_gen.py" | cut -c1-16)
generate() { # KIND N
	local dir=$data/$1-$2
	if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$gen_stamp" ]; then
		echo "generating $1 $2 into $dir"
		rm -rf "$dir"
		/usr/bin/python3 "$here/hostile_gen.py" "$1" "$2" "$dir"
		echo "$gen_stamp" >"$dir/.stamp"
	fi
	echo "$dir"
}
d_types=$(generate types "$types" | tail -1)
d_columns=$(generate columns "$columns" | tail -1)
d_campaigns=$(generate campaigns "$campaigns" | tail -1)
d_touches=$(generate touches "$touches" | tail -1)

# ---- measuring ----
tmp=$(mktemp -d "$data/tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
summary=$results/summary.md
{
	echo "| task | input | wall s (median of $runs) | min–max s | CPU s | peak RSS MB | PDF pages | workbook MB | metrics.json MB |"
	echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >"$summary"

# seconds from /usr/bin/time -v's "h:mm:ss" or "m:ss.ss"
wall_of() {
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0;
		for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.3f\n", s }' "$1"
}

# bench NAME INPUT COMMAND…: RUNS runs, each in a fresh output folder ($out)
bench() {
	local name=$1 input=$2
	shift 2
	local walls=() cpu=0 rss=0 r
	for r in $(seq 1 "$runs"); do
		rm -rf "$tmp/out"
		local t=$results/$name.$r.time
		if ! /usr/bin/time -v -o "$t" "$@" >"$results/$name.$r.log" 2>&1; then
			echo "hostile.sh: $name failed, see $results/$name.$r.log" >&2
			exit 70
		fi
		walls+=("$(wall_of "$t")")
		cpu=$(awk -F': ' -v c="$cpu" '/User time|System time/ { c += $2 } END { print c }' "$t")
		local kb
		kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$t")
		[ "$kb" -gt "$rss" ] && rss=$kb
	done
	local sorted median
	sorted=$(printf '%s\n' "${walls[@]}" | sort -g)
	median=$(echo "$sorted" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	local pages="" xlsx="" json=""
	if [ -d "$tmp/out" ]; then
		pages=$(pdfinfo "$tmp/out"/*.pdf | awk '/^Pages:/ { print $2 }')
		xlsx=$(stat -c %s "$tmp/out"/*.xlsx | awk '{ printf "%.1f", $1 / 1e6 }')
		json=$(stat -c %s "$tmp/out/metrics.json" | awk '{ printf "%.1f", $1 / 1e6 }')
	fi
	local row
	row=$(printf '| %s | %s | %.2f | %.2f–%.2f | %.2f | %.0f | %s | %s | %s |' "$name" "$input" \
		"$median" "$(echo "$sorted" | head -1)" "$(echo "$sorted" | tail -1)" \
		"$(awk -v c="$cpu" -v n="$runs" 'BEGIN { print c / n }')" \
		"$(awk -v kb="$rss" 'BEGIN { print kb / 1024 }')" "$pages" "$xlsx" "$json")
	echo "$row" >>"$summary"
	echo "$row"
	grep -h "metrics in" "$results/$name.$runs.log" | sed 's/: [^:]*$//; s/^/    /' || true
}

echo "| task | input | wall s (median of $runs) | min–max s | CPU s | peak RSS MB | PDF pages | workbook MB | metrics.json MB |"
bench types_check "$types event types" "$bin" check --data "$d_types" --week "$week"
bench types_run "$types event types" "$bin" run --data "$d_types" --week "$week" --no-email --out "$tmp/out"
bench columns_check "$columns-column header" "$bin" check --data "$d_columns" --week "$week"
bench columns_run "$columns-column header" "$bin" run --data "$d_columns" --week "$week" --no-email --out "$tmp/out"
bench campaigns_check "$campaigns campaigns" "$bin" check --data "$d_campaigns" --week "$week"
bench campaigns_run "$campaigns campaigns" "$bin" run --data "$d_campaigns" --week "$week" --no-email --out "$tmp/out"
bench touches_check "20 wins of $touches touchpoints" "$bin" check --data "$d_touches" --week "$week"

# ---- the e-mail: the message written with --eml, its size against the cap ----
cfg=$tmp/mail.ini
cat >"$cfg" <<EOF
[report]
timezone = UTC
week = $week

[source.leads]
location = $d_campaigns/leads.csv

[source.events]
location = $d_campaigns/events.csv

[source.spend]
location = $d_campaigns/spend.csv

[email]
smtp_url = smtp://127.0.0.1:25
from = reports@example.com
to = ceo@example.com
EOF
rm -rf "$tmp/out"
"$bin" run --config "$cfg" --out "$tmp/out" --eml "$tmp/message.eml" >"$results/campaigns_eml.log" 2>&1
eml=$(stat -c %s "$tmp/message.eml")
attached=$(/usr/bin/python3 - "$tmp/message.eml" <<'EOF'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print(", ".join(f"{p.get_filename()} ({len(p.get_payload(decode=True)):,} bytes)" for p in msg.iter_attachments()) or "none")
EOF
)
{
	echo
	echo "E-mail of the $campaigns campaigns (\`run --eml\`, default cap [email] max_bytes 10,000,000):"
	echo "message $eml bytes; attached: $attached."
	grep -h "not attached" "$results/campaigns_eml.log" | sed 's/^mqlreport: /Log: /' || true
} | tee -a "$summary"
echo "summary: $summary"
