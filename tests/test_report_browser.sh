#!/usr/bin/env bash
# The report in a real browser. Copies a small results folder
# (tests/data/results_small, written by a real sweep) to a path with spaces,
# runs `ampsweep plot` on it, opens report.html in headless Chromium and
# checks from the rendered DOM, in a window 1280 px wide, that every image
# loaded (the page's own script marks each <img> data-loaded="yes"/"no" and
# counts them on <body>) and that the page does not scroll sideways (the
# script records the page's scrollWidth and the window's clientWidth on
# <body>). Keeps report_screenshot.png in the build folder.
# Usage: test_report_browser.sh AMPSWEEP PROJECT_DIR BUILD_DIR
set -uo pipefail
bin=$1
project=$2
build=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/checks.sh
. "$(dirname "$0")/checks.sh"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "FAIL - chromium is not installed (scripts/setup.sh installs it)"
    echo "0 passed, 1 failed"
    exit 1
fi

dir="$work/my results/run 1"
mkdir -p "$dir"
cp "$project"/tests/data/results_small/* "$dir/"
"$bin" plot "$dir" 2>"$work/plot.txt"
if [ $? -eq 0 ]; then ok "ampsweep plot exits 0"; else bad "ampsweep plot: $(cat "$work/plot.txt")"; fi
[ -f "$dir/report.html" ] && ok "report.html is written" || bad "no report.html"

# Chromium as root needs --no-sandbox; a private profile keeps runs apart.
run_browser() {
    timeout 60 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --user-data-dir="$work/profile" --hide-scrollbars \
        --virtual-time-budget=5000 "$@" 2>>"$work/browser.txt"
}
url="file://$(printf '%s' "$dir/report.html" | sed 's/ /%20/g')"
run_browser --window-size=1280,1000 --dump-dom "$url" >"$work/dom.html"
n_img=$(grep -o '<img ' "$work/dom.html" | wc -l)
n_ok=$(grep -o 'data-loaded="yes"' "$work/dom.html" | wc -l)
n_bad=$(grep -o 'data-loaded="no"' "$work/dom.html" | wc -l)
if [ "$n_img" -ge 6 ]; then ok "the page shows $n_img figures"; else bad "only $n_img images in the DOM: $(head -c 300 "$work/browser.txt")"; fi
if [ "$n_ok" -eq "$n_img" ] && [ "$n_bad" -eq 0 ] && grep -q "data-images=\"$n_img/$n_img\"" "$work/dom.html"; then
    ok "every image loaded in Chromium ($n_ok of $n_img)"
else
    bad "images loaded: $n_ok of $n_img, $n_bad broken"
fi
sw=$(grep -o 'data-scroll-width="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*')
cw=$(grep -o 'data-client-width="[0-9]*"' "$work/dom.html" | grep -o '[0-9]*')
if [ -z "$sw" ] || [ -z "$cw" ]; then
    bad "the page did not record its width"
elif [ "$cw" -ne 1280 ]; then
    bad "the window is $cw px wide, not 1280"
elif [ "$sw" -le "$cw" ]; then
    ok "no horizontal scroll at 1280 px (page $sw px wide)"
else
    bad "the page scrolls sideways at 1280 px: $sw px wide"
fi
grep -q '<table class="matrix">' "$work/dom.html" && ok "the amps x loads matrix is on the page" || bad "no matrix"
grep -q 'data-profile="headphone"' "$work/dom.html" && grep -q 'data-profile="speaker"' "$work/dom.html" &&
    ok "the matrix shows both profiles" || bad "the matrix lacks a profile"
grep -q 'Can it drive speakers?' "$work/dom.html" && ok "the answers are on the page" || bad "no answers"
grep -q 'class="claims"' "$work/dom.html" && ok "the claims table is on the page" || bad "no claims"

shot="$build/report_screenshot.png"
rm -f "$shot"
run_browser --screenshot="$shot" --window-size=1280,3000 "$url" >/dev/null
if [ -s "$shot" ]; then ok "screenshot kept in $shot"; else bad "no screenshot: $(tail -3 "$work/browser.txt")"; fi

finish
