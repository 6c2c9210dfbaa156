#!/usr/bin/env bash
# A measured impedance curve as a load, end to end (--load-file SPEAKER.zma,
# docs/loads.md "Impedance files"): it is fitted, the fit's RMS error is
# printed, the circuit is written beside the results and swept, and
# fr.csv's zload_ohm (ngspice's AC analysis of the written circuit) matches
# the file at every frequency of the sweep. A curve no circuit fits, and a
# malformed file, exit 2 naming the file, and cost no other load's rows.
# Usage: test_zload.sh AMPSWEEP PROJECT_DIR
set -uo pipefail
bin=$1
project=$2
zma=$project/tests/data/zma
amp=$project/netlists/headphone/starter_hp.cir
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/checks.sh
. "$(dirname "$0")/checks.sh"

sweep() { # OUT LOAD-FILE... : a small-signal sweep of starter_hp, 61 frequencies
    local out=$1
    shift
    local args=()
    for f in "$@"; do args+=(--load-file "$f"); done
    "$bin" sweep --no-plot --quiet --analyses fr --loads 8 --freqs 20:20000:61 --out "$out" \
        "${args[@]}" "$amp"
}

# The largest |zload_ohm / |Z|file - 1| of load NAME in OUT/fr.csv, |Z| of
# the file interpolated in log f and log |Z| (rows outside its band: none).
worst_miss() { # OUT NAME CURVE
    awk -F'[ \t,;]+' -v name="$2" '
        FNR == 1 { file++ }
        file == 1 && $1 ~ /^[0-9.]+$/ { n++; f[n] = $1; z[n] = $2; next }
        file == 2 && $2 == name {
            fr = $4; want = ""
            for (i = 1; i < n; i++)
                if (f[i] <= fr && fr <= f[i + 1]) {
                    t = log(fr / f[i]) / log(f[i + 1] / f[i])
                    want = exp(log(z[i]) + t * log(z[i + 1] / z[i]))
                }
            if (want == "") { print "outside"; exit }
            m = $7 / want - 1; if (m < 0) m = -m
            if (m > worst) { worst = m; at = fr }
            rows++
        }
        END { if (rows) printf "%.4f %d %g\n", worst, rows, at; else print "none" }
    ' "$3" "$1/fr.csv"
}

# Done when (issue 17): a measured-style file of a real driver loads, fits
# within 5 % RMS, and zload_ohm matches the file within 10 % everywhere.
sweep "$work/a" "$zma/usher_8945p_measured.zma" "$zma/usher_8945p_vented_limp.txt" \
    2>"$work/a.err"
expect_status "measured impedance files sweep" 0 $?
rms=$(sed -n "s/.*usher_8945p_measured.zma: fitted .*RMS error \([0-9.]*\) %.*/\1/p" "$work/a.err")
if [ -n "$rms" ] && awk -v r="$rms" 'BEGIN { exit !(r <= 5) }'; then
    ok "the fit's RMS error is printed and within 5 % ($rms %)"
else
    bad "no RMS error within 5 % printed: $(cat "$work/a.err")"
fi
for c in usher_8945p_measured:"$zma/usher_8945p_measured.zma" \
    usher_8945p_vented_limp:"$zma/usher_8945p_vented_limp.txt"; do
    name=${c%%:*}
    read -r miss rows at <<<"$(worst_miss "$work/a" "$name" "${c#*:}")"
    if [ "$rows" = 61 ] && awk -v m="$miss" 'BEGIN { exit !(m <= 0.10) }'; then
        ok "$name: zload_ohm matches the file within 10 % at all 61 frequencies (worst $miss at $at Hz)"
    else
        bad "$name: zload_ohm against the file: worst $miss at $at Hz over $rows rows"
    fi
done
lib=$work/a/usher_8945p_measured.lib
if grep -q '^\*@ source = impedance curve .*usher_8945p_measured.zma fitted by ampsweep, RMS error' \
    "$lib" && grep -q '^\.subckt zfit_usher_8945p_measured a b' "$lib"; then
    ok "the fitted circuit is written beside the results with its metadata and fit error"
else
    bad "no fitted circuit in $lib"
fi

# The written circuit is a load file anyone can reuse: the same rows.
cp "$lib" "$work/reuse.lib"
sweep "$work/b" "$work/reuse.lib" 2>"$work/b.err"
expect_status "the written circuit sweeps as a load file" 0 $?
if [ "$(grep usher_8945p_measured "$work/a/fr.csv")" = "$(grep usher_8945p_measured "$work/b/fr.csv")" ] &&
    grep -q usher_8945p_measured "$work/b/fr.csv"; then
    ok "the reused circuit gives the same fr.csv rows"
else
    bad "the reused circuit's rows differ"
fi

# A curve no such circuit fits: exit 2 naming the file; the others' rows stay.
sweep "$work/c" "$zma/three_resonances_refused.txt" "$zma/rss265ho4_dats.zma" 2>"$work/c.err"
expect_status "a curve no circuit fits exits 2" 2 $?
if grep -q "three_resonances_refused.txt: no equivalent circuit fits this curve: .* % RMS off .*more than the 10 % allowed" "$work/c.err"; then
    ok "the refusal names the file and the fit error"
else
    bad "the refusal: $(cat "$work/c.err")"
fi
if [ "$(grep -c ',resistor,' "$work/c/fr.csv")" = 61 ] &&
    [ "$(grep -c ',rss265ho4_dats,' "$work/c/fr.csv")" = 61 ] &&
    ! grep -q three_resonances "$work/c/fr.csv" && [ ! -e "$work/c/three_resonances_refused.lib" ]; then
    ok "the resistor's and the good curve's rows are written, the refused curve has none"
else
    bad "rows after a refused curve: $(cut -d, -f2 "$work/c/fr.csv" | sort | uniq -c | tr '\n' ' ')"
fi

# A malformed file: exit 2 naming file and line; the resistor's rows stay.
{
    echo "* Freq(Hz) Impedance(ohms) Phase(degrees)"
    for f in 10 20 40 80 160; do echo "$f 8.0 1.0"; done
    echo "320 8.0 oops"
    for f in 640 1280 2560 5120 10240; do echo "$f 8.0 1.0"; done
} >"$work/bad.zma"
sweep "$work/d" "$work/bad.zma" 2>"$work/d.err"
expect_status "a malformed impedance file exits 2" 2 $?
if grep -q "bad.zma:7: phase 'oops' is not a number" "$work/d.err" &&
    [ "$(grep -c ',resistor,' "$work/d/fr.csv")" = 61 ]; then
    ok "the error names the file and line, and the resistor's rows are written"
else
    bad "malformed file: $(cat "$work/d.err")"
fi

# Only the curve, and it is refused: nothing to sweep, exit 2, no results.
"$bin" sweep --no-plot --quiet --analyses fr --out "$work/e" \
    --load-file "$zma/three_resonances_refused.txt" "$amp" 2>"$work/e.err"
expect_status "a sweep whose only load is refused exits 2" 2 $?
if grep -q "three_resonances_refused.txt: no equivalent circuit" "$work/e.err" && [ ! -e "$work/e/fr.csv" ]; then
    ok "it names the file and writes no results"
else
    bad "only load refused: $(cat "$work/e.err")"
fi
finish
