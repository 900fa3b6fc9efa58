#!/usr/bin/env bash
# Accessibility check of a results page with axe-core (npm; MPL-2.0, not
# shipped, fetched into a temporary folder) in Debian's headless Chromium:
# the page is copied with axe injected, run at the address given (say
# `#unit=Z06`), and the violations are printed (none is the goal).
#   scripts/axe-check.sh reports/demo/results.html [#unit=Z06]
set -euo pipefail
page=$(realpath "$1")
hash="${2:-}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install axe-core@4 --silent >/dev/null)
python3 - "$page" "$work" <<'PY'
import sys
page, work = sys.argv[1], sys.argv[2]
html = open(page, encoding="utf-8").read()
axe = open(f"{work}/node_modules/axe-core/axe.min.js", encoding="utf-8").read()
run = """<script>%s</script><script>
setTimeout(function () {
  axe.run(document, { resultTypes: ["violations"] }).then(function (r) {
    var out = r.violations.map(function (v) {
      return v.id + " (" + v.impact + "): " + v.nodes.length + " × " + v.help;
    });
    document.body.setAttribute("data-axe", JSON.stringify(out));
  });
}, 200);
</script>""" % axe
open(f"{work}/page.html", "w", encoding="utf-8").write(html.replace("</body>", run + "</body>"))
PY
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$work/profile" --virtual-time-budget=20000 \
  --dump-dom "file://$work/page.html$hash" 2>/dev/null |
  python3 -c '
import sys, re, json, html
m = re.search(r"data-axe=\"([^\"]*)\"", sys.stdin.read())
if not m: sys.exit("axe did not report")
found = json.loads(html.unescape(m.group(1)))
print("\n".join(found) if found else "axe-core: no violations")
sys.exit(1 if found else 0)'
