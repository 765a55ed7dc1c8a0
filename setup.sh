#!/usr/bin/env bash
# Install what is missing from Debian's packages, build mqlreport, and run the
# weekly report on the bundled sample exports.
#
#   ./setup.sh              everything
#   ./setup.sh --deps-only  only install the missing packages
#   ./setup.sh --bench-deps only install the missing packages, with what
#                           bench/run.sh needs besides (hyperfine, Node.js, pandas)
set -euo pipefail
cd "$(dirname "$0")"

# Build and run: compiler, CMake, the libraries, a font for the PDF, time zones.
packages=(
  gcc make cmake pkg-config tzdata ca-certificates
  libcsv-dev libxlsxwriter-dev libcurl4-openssl-dev libssl-dev libcairo2-dev libpango1.0-dev
  libglib2.0-dev fonts-dejavu-core help2man
  # tests: cmocka, a workbook reader, PDF tools, LibreOffice, an SMTP server,
  # certificates for STARTTLS, clang for the fuzz harnesses
  libcmocka-dev python3 python3-openpyxl poppler-utils qpdf libreoffice-calc-nogui
  python3-aiosmtpd openssl clang libclang-rt-dev systemd man-db fakeroot
)

# bench/run.sh: timing tools and the peers it compares against
# (a Node.js that is already on PATH is used as it is)
if [ "${1:-}" = "--bench-deps" ]; then
  packages+=(hyperfine time python3-pandas)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
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

case "${1:-}" in
  --deps-only|--bench-deps) exit 0 ;;
  "") ;;
  *) echo "usage: ./setup.sh [--deps-only|--bench-deps]" >&2; exit 64 ;;
esac

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"

./build/cmd/mqlreport run --config config/demo.ini --no-email
week=$(sed -n 's/^week *= *//p' config/demo.ini)
echo "setup: the sample report is in out/$week/ (see README.md)"
