#!/usr/bin/env bash
# Install what is missing from Debian's packages, build mqlreport, and run the
# weekly report on the bundled sample exports.
#
#   ./setup.sh              what building and running need; build; run the sample
#   ./setup.sh --deps-only  only install what building and running need
#   ./setup.sh --test-deps  only install what building and running need, with
#                           what the tests need besides (./test.sh runs this)
#   ./setup.sh --bench-deps only install what building and running need, with
#                           what bench/run.sh needs besides (hyperfine, Node.js, pandas)
#   ./setup.sh --docs-deps  only install what building and running need, with
#                           what docs/render.sh needs besides (LibreOffice,
#                           poppler, Chromium)
#
# This is the one list of the packages per purpose.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-}
case "$mode" in
  ""|--deps-only|--test-deps|--bench-deps|--docs-deps) ;;
  *) echo "usage: ./setup.sh [--deps-only|--test-deps|--bench-deps|--docs-deps]" >&2; exit 64 ;;
esac

# Build and run: compiler, CMake, the libraries, fonts for the PDF (DejaVu;
# Droid Sans Fallback for Chinese, Japanese and Korean names; Noto Color
# Emoji for the emoji of a campaign's name), time
# zones, the certificate authorities for HTTPS sources and SMTP, the
# iso-codes country table (read with json-glib), zlib (the written workbook
# read back).
packages=(
  gcc make cmake pkg-config tzdata ca-certificates
  libcsv-dev libxlsxwriter-dev libcurl4-openssl-dev libssl-dev libcairo2-dev libpango1.0-dev
  libglib2.0-dev libjson-glib-dev zlib1g-dev iso-codes fonts-dejavu-core fonts-droid-fallback
  fonts-noto-color-emoji
  help2man
)

# ./test.sh: cmocka, Python with a workbook reader and an SMTP server, PDF
# tools, LibreOffice (a second reader of the workbook), openssl (certificates
# for the TLS tests), systemd-analyze (the shipped units), man and fakeroot
# (the install test), clang for the fuzz harnesses, clang-format (the style
# check), clickhouse-server (the engine tests start two of their own), headless
# Chromium (the HTML e-mail laid out at a phone's width), faketime (runs made
# at a chosen moment: a week e-mailed before it ended), and npm to fetch the
# csv-spectrum test data (an npm already on PATH is used as it is);
# Carlito has Calibri's metrics, the workbook's font: without it LibreOffice
# lays the sheets out in a wider font and breaks pages where Excel does not
if [ "$mode" = "--test-deps" ]; then
  packages+=(
    libcmocka-dev python3 python3-openpyxl python3-aiosmtpd poppler-utils qpdf
    libreoffice-calc-nogui fonts-crosextra-carlito openssl systemd man-db fakeroot clang libclang-rt-dev
    clang-format
    clickhouse-server
    chromium
    faketime
  )
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

# bench/run.sh: timing tools and the peers it compares against
# (a Node.js that is already on PATH is used as it is)
if [ "$mode" = "--bench-deps" ]; then
  packages+=(hyperfine time python3 python3-pandas)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

# docs/render.sh: the workbook converted to PDF (LibreOffice), PDF pages as
# PNG (poppler), the HTML e-mail screenshotted (headless Chromium); Carlito
# stands in for the workbook's Calibri with the same metrics
if [ "$mode" = "--docs-deps" ]; then
  packages+=(libreoffice-calc-nogui fonts-crosextra-carlito poppler-utils chromium)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup: these Debian packages are missing; as root, run:" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[ -z "$mode" ] || exit 0

# the tests need more than building does (./test.sh builds them)
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMQL_TESTS=OFF >/dev/null
cmake --build build -j"$(nproc)"

./build/cmd/mqlreport run --config config/demo.ini --no-email
week=$(sed -n 's/^week *= *//p' config/demo.ini)
echo "setup: the sample report is in out/$week/ (see README.md)"
