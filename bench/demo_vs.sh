#!/usr/bin/env bash
# The default demo sweep (scripts/demo.sh's: every amp in netlists/ into the
# 24 resistors and every load model, with figures and report) timed at an
# earlier commit and now, side by side in one run (issue 15 asks for it
# against 5775758). Each side sweeps its own netlists and models with its own
# build, as a user of that commit would have. Not a test; a benchmark: read
# the ratio, the machine is shared.
# Usage: bench/demo_vs.sh [COMMIT]   (default 5775758)
set -euo pipefail
cd "$(dirname "$0")/.."
old=${1:-5775758}
scripts/setup.sh >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/old"
git archive "$old" | tar -x -C "$work/old"
# that commit's build as its scripts/setup.sh made it, without -Werror (an
# older compiler warning must not stop the comparison)
cmake -S "$work/old" -B "$work/old/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DAMPSWEEP_WERROR=OFF >/dev/null
cmake --build "$work/old/build" -j"$(nproc)" >/dev/null

demo() { # tree output: the demo's sweep in tree, its wall time in seconds
    local tree=$1 out=$2 t0 t1 files=()
    for f in "$tree"/models/loads/*.lib; do files+=(--load-file "$f"); done
    t0=$(date +%s.%N)
    (cd "$tree" && build/ampsweep sweep --quiet --out "$out" --loads 4:600:24 "${files[@]}" \
        netlists >/dev/null 2>&1) || true
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}
cost() { # power.csv: runs per point (mean, max, over 10) and periods when recorded
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "runs") c = i; if ($i == "periods") q = i }; next }
             { s += $c; n++; if ($c > m) m = $c; if ($c > 10) o++; if (q) p += $q }
             END { printf "%d points, %.2f runs (max %d, %d over 10)", n, s / n, m, o
                   if (q) printf ", %.1f periods", p / n; printf "\n" }' "$1"
}
t_old=$(demo "$work/old" "$work/r_old")
t_new=$(demo "$(pwd)" "$work/r_new")
echo "demo sweep at $old: $t_old s; $(cost "$work/r_old/power.csv")"
echo "demo sweep now: $t_new s; $(cost "$work/r_new/power.csv")"
awk -v a="$t_old" -v b="$t_new" 'BEGIN { printf "now takes %.2f of the time at the old commit (%.2fx as fast)\n", b / a, a / b }'
