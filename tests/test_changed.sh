#!/usr/bin/env bash
# A typo never becomes a result (docs/security.md): each netlist below holds
# one thing ngspice would quietly change (a value it defaults or clamps, a
# parameter it ignores, a definition it drops) or take without a word (a
# zero resistor, a negative capacitor, a value with letters ngspice skips).
# `ampsweep check` must exit 2 naming the file and line (the included file's,
# for an include), and a sweep of all of them beside a good netlist must
# still write the good one's results.
#   tests/test_changed.sh AMPSWEEP PROJECT_DIR
set -uo pipefail
bin=$1
project=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/checks.sh"

# case NAME LINE_OF_THE_FAULT "WHAT THE MESSAGE SAYS" "THE LINES"
n=0
case_() {
    local name=$1 line=$2 says=$3 body=$4
    printf 'Fixture %s\n*@ name = %s\n*@ kind = headphone\n*@ source = test: %s\n' \
        "$name" "$name" "$says" >"$work/$name.cir"
    printf 'eamp src 0 in 0 1\nrs src out 4.7\n%b\n' "$body" >>"$work/$name.cir"
    n=$((n + 1))
    out=$("$bin" check "$work/$name.cir" 2>&1)
    status=$?
    if [ "$status" -eq 2 ] && grep -qF "$name.cir:$line:" <<<"$out" && grep -qiF "$says" <<<"$out"; then
        ok "$name: exit 2, names $name.cir:$line, says '$says'"
    else
        bad "$name: exit 2, names $name.cir:$line, says '$says' (exit $status: $out)"
    fi
}
# what ngspice says it changed
case_ misspelt_model_param 8 "unrecognized parameter (nn) - ignored" \
    'dx out 0 dmod\n.model dmod d(is=1e-14 nn=2)'
case_ source_without_value 8 "has no value" 'vz out z 0\nvq z 0\nrq z 0 1k'
case_ subckt_too_few_nodes 10 "too few parameters" \
    '.subckt two a b\nr1 a b 1k\n.ends\nxq out two'
case_ subckt_defined_twice 10 "defined a second time" \
    '.subckt two a b\nr1 a b 1k\n.ends\n.subckt two a b\nr1 a b 2k\n.ends\nxq out 0 two'
case_ grading_clamped 8 "limited" \
    'qx 0 out 0 qmod\n.model qmod npn(bf=100 mjc=1.5)'
case_ both_temperatures 7 "dtemp ignored" 'rt out 0 1k temp=30 dtemp=5'
case_ model_defined_twice 9 "defined a second time" \
    'dx out 0 dmod\n.model dmod d(is=1e-14)\n.model dmod d(is=1e-12)'
# what ngspice would take without a word
case_ resistor_no_value 7 "has no value" 'rx out 0'
case_ resistor_zero 7 "must be above zero" 'rx out 0 0'
case_ capacitor_negative 7 "must be above zero" 'cx out 0 -1u'
case_ unknown_suffix 7 "not a number with a scale factor" 'rx out 0 1q'
case_ two_values 7 "two values" 'rx out 0 1k 2k'
case_ digits_after_scale 7 "not a number with a scale factor" 'rx out 0 2k2'

# a fault in an included file is named there
printf '* a model library\n.model dmod d(is=1e-14 nn=2)\n' >"$work/parts.lib"
printf 'Fixture\n*@ name = via_include\n*@ kind = headphone\n*@ source = test\n' >"$work/via_include.cir"
printf 'eamp src 0 in 0 1\nrs src out 4.7\n.include parts.lib\ndx out 0 dmod\n' >>"$work/via_include.cir"
out=$("$bin" check "$work/via_include.cir" 2>&1)
status=$?
if [ "$status" -eq 2 ] && grep -qF "parts.lib:2:" <<<"$out"; then
    ok "a fault in an included file names that file and line"
else
    bad "a fault in an included file names that file and line (exit $status: $out)"
fi

# values written the ways people write them are not faults
printf 'Fixture\n*@ name = good\n*@ kind = headphone\n*@ source = test\n' >"$work/good.cir"
printf 'eamp src 0 in 0 1\nrs src mid 2.2ohm\nl1 mid out 100nH\nc1 out 0 10pF\nr2 out 0 4.7k tc1=1m\n' >>"$work/good.cir"
printf '.param rb=1meg\nr3 out 0 {rb}\nr4 out 0 1e6\n' >>"$work/good.cir"
"$bin" check "$work/good.cir" >/dev/null 2>"$work/good.err"
expect_status "values like 2.2ohm, 100nH, 10pF, 4.7k tc1=1m, {rb}, 1e6 pass" 0 $?
[ -s "$work/good.err" ] && cat "$work/good.err"

# one sweep of all of them: the good netlist's results are still written
"$bin" sweep --quiet --no-plot --out "$work/res" --loads 8,32 --freqs 100,1000 \
    --analyses fr "$work"/*.cir >/dev/null 2>"$work/sweep.err"
expect_status "a sweep of them all exits 2" 2 $?
rows=$(grep -c '^good,' "$work/res/fr.csv" 2>/dev/null)
if [ "${rows:-0}" -eq 4 ]; then ok "the good netlist's 4 rows are written"; else
    bad "the good netlist's 4 rows are written (${rows:-0})"
fi
others=$(grep -vc '^good,\|^amp,' "$work/res/fr.csv" 2>/dev/null)
[ "${others:-0}" -eq 0 ] && ok "no row of a changed circuit is written" ||
    bad "no row of a changed circuit is written (${others} rows)"
finish
