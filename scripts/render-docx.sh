#!/usr/bin/env bash
# Renders a run's Word documents as LibreOffice lays them out, to look at
# them as the officer who signs them would: notice.docx and the first two
# feedback sheets (when the run wrote them) to PDF, then each page to PNG.
#   scripts/render-docx.sh reports/demo [OUT_DIR]
# Needs Debian's libreoffice-writer and poppler-utils. The official fonts
# (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) are not free: for the look
# only, alias them in fontconfig to a CJK font you have, e.g. with
# /etc/fonts/conf.d/99-zwgk-official.conf holding one
#   <alias><family>仿宋_GB2312</family><prefer><family>FandolFang</family></prefer></alias>
# per name (Debian's texlive-lang-chinese has the Fandol fonts, or use
# WenQuanYi Micro Hei). The .docx keeps the official names either way.
set -euo pipefail
run="${1:?usage: scripts/render-docx.sh RUN_DIR [OUT_DIR]}"
out="${2:-$run/rendered}"
mkdir -p "$out"
files=("$run/notice.docx")
if [ -d "$run/feedback" ]; then
  while IFS= read -r f; do files+=("$f"); done < <(ls "$run"/feedback/*.docx 2>/dev/null | head -2)
fi
for f in "${files[@]}"; do
  # A fresh profile per call: concurrent or reused profiles fail silently.
  profile="$(mktemp -d)"
  soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf --outdir "$out" "$f" >/dev/null
  rm -rf "$profile"
  pdf="$out/$(basename "${f%.docx}").pdf"
  pdftoppm -r 80 -png "$pdf" "${pdf%.pdf}"
  echo "$pdf: $(pdfinfo "$pdf" | awk '/^Pages/ {print $2}') pages"
done
