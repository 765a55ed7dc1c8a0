#!/usr/bin/env bash
# Render the sample report's outputs as pictures into docs/img/, so that
# docs/outputs.md shows what a reader sees and a change to a renderer can be
# looked at before it is merged.
#
#   docs/render.sh              builds build/cmd/mqlreport when it is missing
#   MQLREPORT=path docs/render.sh   uses that binary
#
# Needs LibreOffice, poppler and Chromium: ./setup.sh --docs-deps.
# The sample is config/demo.ini's, with SOURCE_DATE_EPOCH fixed, so that the
# pictures change only when a renderer does.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
img=$root/docs/img
mkdir -p "$img"

bin=${MQLREPORT:-$root/build/cmd/mqlreport}
if [ ! -x "$bin" ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
  cmake --build build -j"$(nproc)"
  bin=$root/build/cmd/mqlreport
fi
for tool in soffice pdftoppm pdftotext chromium python3; do
  command -v "$tool" >/dev/null || { echo "render: $tool is missing (./setup.sh --docs-deps)" >&2; exit 69; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Monday 23 Nov 2026 07:00 UTC, the morning after the sample week: its
# generated date follows the week, as a real run's does
export SOURCE_DATE_EPOCH=1795417200 TZ=UTC

# ---- the sample report, with an [email] group so that --eml writes the message
week=$(sed -n 's/^week *= *//p' config/demo.ini)
sed -e "s|^out = .*|out = $work/out|" -e "s|= \.\./samples/|= $root/samples/|" config/demo.ini >"$work/demo.ini"
cat >>"$work/demo.ini" <<'INI'

[email]
smtp_url = smtp://127.0.0.1:9
from = reports@example.com
to = ceo@example.com
INI
"$bin" run --config "$work/demo.ini" --eml "$work/report.eml" >"$work/run.log" 2>&1 ||
  { cat "$work/run.log" >&2; exit 1; }
out=$work/out/$week

# ---- the workbook: LibreOffice → PDF → one PNG per important sheet's first page
soffice --headless "-env:UserInstallation=file://$work/lo" --convert-to pdf \
  --outdir "$work" "$out/mqlreport-$week.xlsx" >"$work/soffice.log" 2>&1
wbpdf=$work/mqlreport-$week.pdf
pages=$(pdfinfo "$wbpdf" | sed -n "s/^Pages: *//p")
echo "render: the workbook prints as ${pages:-?} pages"
# every page's header names its sheet (&A): the first page whose header
# does is that sheet's first page
first_page() {
  local p
  for ((p = 1; p <= pages; p++)); do
    local top
    top=$(pdftotext -f "$p" -l "$p" -layout "$wbpdf" - | head -3 || true)
    if grep -q -- "[[:space:]]$1[[:space:]]*\$" <<<"$top"; then
      echo "$p"
      return
    fi
  done
}
for sheet in "Overview:workbook-overview" "Channels:workbook-channels" "Campaigns:workbook-campaigns" \
  "Data quality:workbook-data-quality" "MQLs this week:workbook-mqls"; do
  name=${sheet%%:*}
  file=${sheet##*:}
  p=$(first_page "$name")
  if [ -z "$p" ]; then
    echo "render: no page of sheet \"$name\"" >&2
    continue
  fi
  pdftoppm -png -r 70 -f "$p" -l "$p" -singlefile "$wbpdf" "$img/$file"
done

# ---- the e-mail's HTML part at 375 px (a phone) and 800 px (a laptop); the
# inline picture is written beside it and its cid: reference rewritten
python3 - "$work/report.eml" "$work" <<'PY'
import email, email.policy, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
html = msg.get_body(preferencelist=("html",)).get_content()
for part in msg.walk():
    cid = part.get("Content-ID")
    if cid and part.get_content_disposition() == "inline":
        name = part.get_filename() or "inline.bin"
        with open(f"{sys.argv[2]}/{name}", "wb") as f:
            f.write(part.get_payload(decode=True))
        html = html.replace(f"cid:{cid.strip('<>')}", name)
with open(f"{sys.argv[2]}/mail.html", "w", encoding="utf-8") as f:
    f.write(html)
with open(f"{sys.argv[2]}/mail.txt", "w", encoding="utf-8") as f:
    f.write(f"Subject: {msg['Subject']}\n\n" + msg.get_body(preferencelist=("plain",)).get_content())
PY
cp "$work/mail.txt" "$img/email.txt"
for size in 375,1620 800,1480; do
  w=${size%%,*}
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars "--user-data-dir=$(mktemp -d -p "$work")" "--window-size=$size" \
    "--screenshot=$img/email-$w.png" "file://$work/mail.html" >/dev/null 2>&1
done

# ---- the campaign-ROI PDF: every page
rm -f "$img"/pdf-*.png
pdftoppm -png -r 60 "$out/campaign-roi-$week.pdf" "$img/pdf"

echo "render: docs/img/ updated"
ls -1 "$img"
