#!/bin/sh
# render-pdf.sh — build the sample campaign-ROI PDF and write a PNG of every
# page into docs/img/ (pdf-1.png …), the pictures docs/outputs.md shows.
#
# usage: docs/render-pdf.sh [BUILD_DIR]   (default: build; configured and
# built here when it has no binary). Needs pdftoppm (poppler-utils).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
bin=$build/cmd/mqlreport
if [ ! -x "$bin" ]; then
	cmake -S "$top" -B "$build" >/dev/null
	cmake --build "$build" -j2 >/dev/null
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bin" run --data "$top/samples" --week 2026-W47 --out "$tmp/out" --no-email >/dev/null 2>&1
mkdir -p "$top/docs/img"
rm -f "$top"/docs/img/pdf-*.png
pdftoppm -png -r 60 "$tmp"/out/campaign-roi-*.pdf "$top/docs/img/pdf"
ls "$top"/docs/img/pdf-*.png
