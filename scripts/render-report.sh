#!/usr/bin/env bash
# Renders a Wenshu evaluation report (wenshu eval --html REPORT.html) in headless Chromium,
# writes a screenshot, and checks the page for labels that do not fit (issue 13, item 12).
#
#   scripts/render-report.sh REPORT.html OUT.png [WIDTH [HEIGHT]]
#
# WIDTH defaults to 1200; HEIGHT to a height estimated from the report's rows (at most 6000).
# The check runs in a copy of the page with a small script appended (the report itself has
# no scripts): every SVG label must lie inside its chart, and no table cell may be wider
# than its box (scrollWidth > clientWidth). The copy is loaded with --dump-dom and the
# script's verdict read back from the DOM. Exit status: 0 all labels fit, 1 overflow found,
# 2 usage or Chromium failure. Installs Debian's chromium and fonts-noto-cjk when missing
# (root only). Prints the fonts the page asked for and whether a CJK font is installed.
set -euo pipefail

if [ $# -lt 2 ]; then echo "usage: $0 REPORT.html OUT.png [WIDTH [HEIGHT]]" >&2; exit 2; fi
report=$1 out=$2 width=${3:-1200}
[ -f "$report" ] || { echo "$0: no such file: $report" >&2; exit 2; }

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
has_cjk_font() { [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
if [ -z "$browser" ] || ! has_cjk_font; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing chromium and fonts-noto-cjk (apt-get)..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-noto-cjk >/dev/null
    browser=$(command -v chromium)
  fi
fi
[ -n "$browser" ] || { echo "$0: chromium not found (apt-get install chromium)" >&2; exit 2; }
has_cjk_font || echo "$0: warning: no CJK font installed (apt-get install fonts-noto-cjk): CJK text may show as boxes" >&2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-dev-shm-usage
       --user-data-dir="$work/profile" --virtual-time-budget=3000)

# Height: long reports get a tall screenshot, capped.
lines=$(grep -o '<tr>' "$report" | wc -l)
height=$(( 400 + lines * 24 )); [ $height -gt 6000 ] && height=6000
[ $# -ge 4 ] && height=$4

# 1. The overflow check on a copy with the checking script appended.
cat > "$work/check.js" <<'JS'
(function () {
  var bad = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var w = svg.width.baseVal.value;
    svg.querySelectorAll('text').forEach(function (t) {
      var b = t.getBBox();
      if (b.x < -0.5 || b.x + b.width > w + 0.5) bad.push('chart ' + svg.id + ': "' + t.textContent + '" x=' + b.x.toFixed(1) + ' w=' + b.width.toFixed(1) + ' of ' + w);
    });
  });
  document.querySelectorAll('td, th').forEach(function (c) {
    if (c.scrollWidth > c.clientWidth + 1) bad.push('cell: "' + c.textContent.slice(0, 40) + '" ' + c.scrollWidth + ' > ' + c.clientWidth);
  });
  if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('page wider than the window: ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
  var fonts = getComputedStyle(document.body).fontFamily;
  var pre = document.createElement('pre');
  pre.id = 'wenshu-check';
  pre.textContent = 'FONTS ' + fonts + '\nLABELS ' + document.querySelectorAll('svg.chart text.label').length + '\nOVERFLOW ' + bad.length + '\n' + bad.join('\n');
  document.body.appendChild(pre);
})();
JS
{ sed 's#</body></html>##' "$report"; echo '<script>'; cat "$work/check.js"; echo '</script></body></html>'; } > "$work/check.html"
"$browser" "${flags[@]}" --window-size="$width,$height" --dump-dom "file://$work/check.html" > "$work/dom.html" 2> "$work/chromium.log" || {
  echo "$0: chromium failed:" >&2; tail -5 "$work/chromium.log" >&2; exit 2; }
verdict=$(python3 - "$work/dom.html" <<'PY'
import html, re, sys
dom = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<pre id="wenshu-check">(.*?)</pre>', dom, re.S)
print(html.unescape(m.group(1)) if m else "OVERFLOW -1\nthe check did not run")
PY
)
echo "$verdict"

# 2. The screenshot of the report itself.
"$browser" "${flags[@]}" --window-size="$width,$height" --screenshot="$work/shot.png" "file://$(realpath "$report")" 2>> "$work/chromium.log" || {
  echo "$0: chromium failed to take the screenshot" >&2; exit 2; }
cp "$work/shot.png" "$out"
echo "screenshot: $out (${width}x${height})"

n=$(echo "$verdict" | sed -n 's/^OVERFLOW //p' | head -1)
[ "$n" = 0 ] || { echo "$0: $n label(s) overflow" >&2; exit 1; }
