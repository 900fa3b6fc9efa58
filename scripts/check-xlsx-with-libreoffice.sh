#!/usr/bin/env bash
# Opens the scores.xlsx of a report directory with LibreOffice (headless),
# converts its first sheet (总表) to CSV and compares it cell by cell with the
# report's scores.csv. Needs Debian's libreoffice-calc.
#   scripts/check-xlsx-with-libreoffice.sh reports/demo
set -euo pipefail
dir=${1:-reports/demo}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$dir/scores.xlsx" "$tmp/"
libreoffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' \
  --outdir "$tmp" "$tmp/scores.xlsx" >/dev/null 2>&1
python3 - "$tmp/scores.csv" "$dir/scores.csv" <<'PY'
import csv, sys
lo = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
ours = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
# scores.csv writes text beginning with = + - @ with a leading ' (CSV only).
ours = [[c[1:] if c[:2] in ("'=", "'+", "'-", "'@") else c for c in r] for r in ours]
if lo != ours:
    for i, (a, b) in enumerate(zip(lo, ours)):
        if a != b:
            print(f"row {i + 1} differs:\n  xlsx: {a}\n  csv:  {b}")
            break
    print(f"rows: xlsx {len(lo)}, csv {len(ours)}")
    sys.exit(1)
print(f"scores.xlsx (总表) as read by LibreOffice equals scores.csv: {len(lo)} rows")
PY
