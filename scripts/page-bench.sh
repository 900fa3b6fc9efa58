#!/usr/bin/env bash
# The results page's size, and its open and search times in Debian's
# headless Chromium, as the page itself measures them, from navigation
# start: data-ready-ms, the ranking drawn; data-frame-ms, the frame that
# first shows it; data-loaded-ms, the whole page read (DOMContentLoaded);
# data-search-ms, the search the address asks for, run as soon as the page
# is read (so it unpacks the search's block itself): "cs", which stops at
# its first 30 units, and "xyzq", which no unit has, so every name is read.
# At the demo's size and at generated sizes:
#   scripts/page-bench.sh [UNITS RECORDS]...   (default: demo, 20000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
zwgk="${CARGO_TARGET_DIR:-target}/release/zwgk"
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
measure() { # measure LABEL PAGE
  local page=$1 label=$2
  local size
  size=$(stat -c %s "$page")
  for round in 1 2 3; do
    for q in cs xyzq; do
      chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$work/profile" --dump-dom "file://$page#q=$q" 2>/dev/null |
        grep -o 'data-[a-z]*-ms="[0-9]*"' | grep -v prepared | tr '\n' ' ' |
        sed "s/^/$label: $size bytes, round $round, q=$q: /"
      echo
    done
  done
}
"$zwgk" run --out "$work/demo" --notice-date 2024-03-01 >/dev/null 2>&1
measure "$work/demo/results.html" demo
set -- "${@:-20000 1000000}"
while [ $# -ge 2 ]; do
  "$zwgk" generate --units "$1" --records "$2" --out "$work/g$1" >/dev/null
  "$zwgk" run --indicators "$work/g$1/indicators.toml" --data "$work/g$1/data" \
    --out "$work/g$1/out" --no-charts --no-feedback --notice-date 2024-03-01 >/dev/null 2>&1
  measure "$work/g$1/out/results.html" "$1 units, $2 records"
  shift 2
done
