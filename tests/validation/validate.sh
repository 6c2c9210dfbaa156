#!/usr/bin/env bash
# Validation of the shipped amps against published figures (issue #4): each
# line of figures.tsv names an amp, a sweep, the result column to read, the
# published figure and where it was published. A figure passes when the
# simulated value is within TOL of it ("within"), or at most it ("max").
# Usage: validate.sh AMPSWEEP PROJECT_DIR [TABLE_OUT]
# TABLE_OUT, if given, receives the Markdown table of docs/amps.md.
set -uo pipefail
bin=$1
project=$2
table_out=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
rows=()

while IFS=$'\t' read -r amp netlist options file column load_ohm freq_hz check published unit source; do
    case "$amp" in '' | '#'*) continue ;; esac
    out="$work/$amp-$passes-$failures"
    # options come from this project's own table: split on blanks on purpose
    # shellcheck disable=SC2086
    if ! "$bin" sweep --out "$out" --no-plot $options "$project/$netlist" >"$out.log" 2>&1; then
        failures=$((failures + 1))
        echo "FAIL - $amp $column: the sweep failed: $(tail -3 "$out.log")"
        continue
    fi
    value=$(awk -F, -v col="$column" -v r="$load_ohm" -v f="$freq_hz" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
        ($3 + 0 == r + 0) && ($4 + 0 == f + 0) && c { print $c; exit }' "$out/$file")
    if [ -z "$value" ]; then
        failures=$((failures + 1))
        echo "FAIL - $amp $column: no row for $load_ohm ohm, $freq_hz Hz in $file"
        continue
    fi
    verdict=$(awk -v v="$value" -v p="$published" -v k="$check" 'BEGIN {
        if (k == "max") { print (v <= p) ? "ok" : "FAIL"; exit }
        tol = substr(k, 8) + 0   # "within:0.05"
        r = v / p; print (r >= 1 - tol && r <= 1 + tol) ? "ok" : "FAIL" }')
    ratio=$(awk -v v="$value" -v p="$published" 'BEGIN { printf "%.3f", v / p }')
    line="$amp: $column into $load_ohm ohm at $freq_hz Hz: simulated $value $unit, published $published $unit ($check), ratio $ratio"
    if [ "$verdict" = ok ]; then
        passes=$((passes + 1))
        echo "ok - $line"
    else
        failures=$((failures + 1))
        echo "FAIL - $line"
    fi
    case "$check" in
    max) held="at most" ;;
    *) held="±$(awk -v k="$check" 'BEGIN { printf "%g", 100 * substr(k, 8) }') %" ;;
    esac
    rows+=("| \`$amp\` | $column, $load_ohm Ω, $freq_hz Hz ($options) | $published $unit | $(printf '%.4g' "$value") $unit | $ratio | $held | $source |")
done <"$project/tests/validation/figures.tsv"

if [ -n "$table_out" ]; then
    {
        echo "| amp | figure | published | simulated | ratio | held to | source of the published figure |"
        echo "| --- | --- | --- | --- | --- | --- | --- |"
        printf '%s\n' "${rows[@]}"
    } >"$table_out"
fi
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
