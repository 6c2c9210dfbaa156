#!/usr/bin/env bash
# End-to-end checks of the ampsweep program (src/cli/main.c wiring): exit
# statuses, output files, and that a bad netlist costs nothing of the good
# ones. Usage: test_main.sh AMPSWEEP PROJECT_DIR
set -uo pipefail
bin=$1
project=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/checks.sh
. "$(dirname "$0")/checks.sh"

# A netlist that ngspice rejects, among good ones.
cat >"$work/broken.cir" <<'CIR'
Broken amp
*@ name = broken
*@ kind = power
*@ source = test: a transistor whose model does not exist
q1 out in 0 nosuchmodel
r1 out 0 1k
CIR

"$bin" sweep --out "$work/out" --loads 8,32 --freqs 100,1000 --tran-freqs 1000 \
    "$project/netlists" "$work/broken.cir" 2>"$work/err.txt"
expect_status "a bad netlist among good ones exits 2" 2 $?
if grep -q "broken.cir:5: .*could not find a valid modelname" "$work/err.txt"; then
    ok "the error names the bad file and line and quotes ngspice"
else
    bad "the error names the bad file and line: $(cat "$work/err.txt")"
fi
n_good=$(find "$project/netlists" -name '*.cir' | wc -l)
rows=$(($(wc -l <"$work/out/fr.csv") - 1))
if [ "$rows" -eq $((n_good * 2 * 2)) ]; then
    ok "the good netlists' rows are all written ($rows)"
else
    bad "fr.csv has $rows rows, wanted $((n_good * 4))"
fi
if [ "$(head -1 "$work/out/fr.csv")" = \
    "amp,load,load_ohm,freq_hz,gain_db,dev_db,zload_ohm,zout_ohm,damping,rule8,vnoise_uv,vnoise_a_uv" ]; then
    ok "fr.csv has exactly the documented columns"
else
    bad "fr.csv header: $(head -1 "$work/out/fr.csv")"
fi
if ls "$work/out" | grep -q tmp; then bad "a temporary file was left behind"; else ok "no temporary file is left"; fi
expect_header() { # file header
    if [ "$(head -1 "$work/out/$1")" = "$2" ]; then
        ok "$1 has exactly the documented columns"
    else
        bad "$1 header: $(head -1 "$work/out/$1")"
    fi
}
expect_header power.csv \
    "amp,load,load_ohm,freq_hz,p_max_w,vout_rms_v,iout_pk_a,thd_pct,vout_dc_v,limit,runs,periods"
expect_header dissipation.csv \
    "amp,load,load_ohm,freq_hz,device,p_quiescent_w,p_at_max_w,p_eighth_w,p_worst_w,tj_eighth_c,tj_worst_c,tj_max_c"
expect_header verdict.csv "amp,load,load_ohm,profile,criterion,value,limit,pass"
expect_header thd.csv "amp,load,load_ohm,freq_hz,p_w,thd_pct"
rows=$(($(wc -l <"$work/out/power.csv") - 1))
[ "$rows" -eq $((n_good * 2)) ] && ok "power.csv has a row per good amp, load and frequency" ||
    bad "power.csv has $rows rows, wanted $((n_good * 2))"
rows=$(($(wc -l <"$work/out/verdict.csv") - 1))
[ "$rows" -eq $((n_good * 2 * 6)) ] && ok "verdict.csv has six criteria per good amp and load" ||
    bad "verdict.csv has $rows rows, wanted $((n_good * 12))"
grep -q ',failed,' "$work/out/power.csv" && bad "a shipped netlist failed a large-signal point" ||
    ok "no shipped netlist fails a large-signal point"
grep -q '"verdict": *"[0-9]* dB peaks' "$work/out/summary.json" && ok "summary.json gives verdicts in words, level first" ||
    bad "summary.json: $(head -c 400 "$work/out/summary.json")"
grep -q '"netlist": *".*broken.cir"' "$work/out/summary.json" &&
    ok "summary.json lists the netlist that failed" || bad "summary.json misses the failed netlist"

# the default loads and frequencies (the large-signal analysis, slower, is
# exercised above)
"$bin" sweep --out "$work/out2" --analyses fr "$project/netlists" 2>/dev/null
expect_status "the default sweep of the shipped netlists exits 0" 0 $?
rows=$(($(wc -l <"$work/out2/fr.csv") - 1))
if [ "$rows" -eq $((n_good * 24 * 31)) ]; then
    ok "the default sweep is 24 loads x 31 frequencies per amp"
else
    bad "default sweep has $rows rows, wanted $((n_good * 24 * 31))"
fi

"$bin" check "$project/netlists" >"$work/check.txt" 2>&1
expect_status "every shipped netlist passes check" 0 $?
grep -q "quiescent power from the supplies" "$work/check.txt" && ok "check reports quiescent power" ||
    bad "check output: $(cat "$work/check.txt")"

"$bin" check "$project/docs/template_amp.cir" >/dev/null 2>&1
expect_status "the template netlist of docs/netlists.md passes check" 0 $?

"$bin" check "$work/missing.cir" 2>"$work/err.txt"
expect_status "a missing netlist exits 2" 2 $?
grep -q "missing.cir: cannot open" "$work/err.txt" && ok "the missing file is named" ||
    bad "message: $(cat "$work/err.txt")"

touch "$work/afile"
"$bin" sweep --out "$work/afile/sub" "$project/netlists" 2>"$work/err.txt"
expect_status "an output folder that cannot be made exits 2" 2 $?
grep -q "cannot create output folder" "$work/err.txt" && ok "the folder is named" ||
    bad "message: $(cat "$work/err.txt")"

cp "$project/tests/data/speaker_rlc.lib" "$work/same_name.lib"
"$bin" sweep --out "$work/out3" --load-file "$project/tests/data/speaker_rlc.lib" \
    --load-file "$work/same_name.lib" "$project/netlists" 2>"$work/err.txt"
expect_status "two load files with one name exit 2" 2 $?
grep -q "load name 'speaker_rlc' is already used" "$work/err.txt" && ok "the clash is named" ||
    bad "message: $(cat "$work/err.txt")"

"$bin" sweep --out "$work/out4" --analyses fr --freqs 1000 --loads 4,16 \
    --load-model "$project/tests/data/speaker_rlc.lib" "$project/netlists" 2>/dev/null
expect_status "a load model scaled to a list of impedances exits 0" 0 $?
if grep -q '^[^,]*,speaker_rlc,4,' "$work/out4/fr.csv" && grep -q '^[^,]*,speaker_rlc,16,' "$work/out4/fr.csv" &&
    ! grep -q ',resistor,' "$work/out4/fr.csv"; then
    ok "--load-model replaces the resistors by the model at each impedance"
else
    bad "--load-model rows: $(cat "$work/out4/fr.csv")"
fi

"$bin" sweep --loads 4:600:0 "$project/netlists" 2>/dev/null
expect_status "a bad --loads value exits 2" 2 $?
"$bin" --help >/dev/null
expect_status "--help exits 0" 0 $?
"$bin" sweep --help | grep -q -- "--load-file" && ok "sweep --help describes the options" ||
    bad "sweep --help"
"$bin" 2>/dev/null
expect_status "no command exits 2" 2 $?

# plots and report (issue 6): the sweep above had a bad netlist, yet its
# results were written, so the figures and report follow them
for f in spl_vs_load limits_vs_load power_vs_load zout thd_vs_power thermal_vs_load failure_map; do
    [ -s "$work/out/plots/$f.png" ] && [ -s "$work/out/plots/$f.svg" ] && [ -s "$work/out/plots/$f.gp" ] ||
        bad "the sweep did not draw plots/$f"
done
ls "$work/out/plots/" | grep -q '^failure_map\.png$' && ls "$work/out/plots/" | grep -q '^fr_dev_.*\.png$' &&
    ok "the sweep draws every figure, per amp ones included" || bad "plots: $(ls "$work/out/plots")"
grep -q "broken.cir" "$work/out/report.html" && ok "the sweep writes report.html, naming the failed netlist" ||
    bad "report.html missing or silent about broken.cir"
"$bin" sweep --quiet --out "$work/nosupply" --loads 8,32 --freqs 1000 --tran-freqs 1000 \
    "$project/tests/data/hard_clip.cir" 2>"$work/err.txt"
expect_status "a sweep of an amp without supplies, figures and all, exits 0" 0 $?
[ -s "$work/nosupply/plots/power_vs_load.png" ] && [ ! -e "$work/nosupply/plots/thermal_vs_load.gp" ] &&
    [ -s "$work/nosupply/report.html" ] && ok "a figure with no number to draw is left out, the others drawn" ||
    bad "figures without dissipation: $(ls "$work/nosupply/plots") $(cat "$work/err.txt")"
"$bin" sweep --no-plot --out "$work/out5" --analyses fr --loads 8 --freqs 1000 "$project/netlists" 2>/dev/null
expect_status "sweep --no-plot exits 0" 0 $?
[ -f "$work/out5/fr.csv" ] && [ ! -e "$work/out5/report.html" ] && [ ! -e "$work/out5/plots" ] &&
    ok "--no-plot writes the results and no figures" || bad "--no-plot: $(ls "$work/out5")"
"$bin" plot "$work/out5" 2>"$work/err.txt"
expect_status "ampsweep plot on a small-signal-only folder exits 0" 0 $?
[ -s "$work/out5/plots/zout.png" ] && [ ! -e "$work/out5/plots/power_vs_load.gp" ] &&
    ok "plot draws only the figures the results hold" || bad "plot of fr only: $(ls "$work/out5/plots")"
cp "$work/out5/fr.csv" "$work/fr_before.csv"
AMPSWEEP_GNUPLOT=false "$bin" sweep --out "$work/out5" --analyses fr --loads 8 --freqs 1000 \
    "$project/netlists" 2>"$work/err.txt"
expect_status "a sweep whose plots fail exits 1" 1 $?
grep -q "plot: .*gnuplot\|plot: .*false failed" "$work/err.txt" && grep -q "result files .* are complete" "$work/err.txt" &&
    ok "the plot failure is named and the results said to be complete" || bad "message: $(cat "$work/err.txt")"
cmp -s "$work/out5/fr.csv" "$work/fr_before.csv" && ok "a plot failure keeps the results" ||
    bad "fr.csv changed or lost after a plot failure"
"$bin" plot "$work" 2>"$work/err.txt"
expect_status "ampsweep plot on a folder that is not results exits 2" 2 $?
grep -q "summary.json" "$work/err.txt" && ok "the missing summary.json is named" ||
    bad "message: $(cat "$work/err.txt")"
mkdir -p "$work/a b"
cp "$work/out5/"*.csv "$work/out5/summary.json" "$work/a b/"
"$bin" plot "$work/a b" 2>/dev/null && (cd / && gnuplot "$work/a b/plots/zout.gp") &&
    ok "a folder with a space plots, and a script re-renders with plain gnuplot from /" ||
    bad "plot in a folder with a space"

"$bin" sweep --no-plot --quiet --out "$work/osc" --analyses large --loads 1e6 --tran-freqs 1000 \
    "$project/tests/data/osc_open.cir" "$project/tests/data/hard_clip.cir" 2>"$work/err.txt"
expect_status "a large-signal point that cannot be measured exits 2" 2 $?
grep -q "osc_open into resistor (1e+06 ohm) at 1000 Hz: .*oscillates" "$work/err.txt" &&
    grep -q "1 of 2 large-signal points could not be measured" "$work/err.txt" &&
    grep -q '^hard_clip,' "$work/osc/power.csv" &&
    ok "the failed point is named and the others are written" || bad "message: $(cat "$work/err.txt")"

# Circuits that do not simulate: each named, exit 2, the good amp written.
bad_head=$'*@ kind = power\n*@ source = test: a circuit that cannot simulate\n'
printf 'Singular\n*@ name = singular\n%sv1 in 0 dc 1\nv2 in 0 dc 2\nr1 in out 1k\n' "$bad_head" \
    >"$work/singular.cir"
printf 'Absurd\n*@ name = absurd\n%sr1 in out 1e-300\nr2 out 0 1e300\n' "$bad_head" >"$work/absurd.cir"
"$bin" sweep --no-plot --quiet --out "$work/badsim" --loads 8 --freqs 1000 --tran-freqs 1000 \
    "$work/singular.cir" "$work/absurd.cir" "$project/tests/data/no_dc_solution.cir" \
    "$project/tests/data/chatter.cir" "$project/tests/data/hard_clip.cir" 2>"$work/err.txt"
expect_status "circuits that cannot simulate exit 2" 2 $?
grep -q "singular.cir: ngspice failed" "$work/err.txt" &&
    grep -q "absurd.cir: ngspice reported success but .* an absurd value" "$work/err.txt" &&
    grep -q "no_dc_solution.cir: ngspice failed during op: .*op failed" "$work/err.txt" &&
    grep -q '^hard_clip,' "$work/badsim/power.csv" &&
    ok "each is named with ngspice's reason, and the good amp is written" ||
    bad "message: $(cat "$work/err.txt")"
grep -q "chatter into resistor (8 ohm) at 1000 Hz: .*chatter.cir: ngspice failed during tran .*Timestep too small" \
    "$work/err.txt" && grep -q '^chatter,resistor,8,1000,nan,.*,failed,' "$work/badsim/power.csv" &&
    grep -q '^chatter,resistor,8,1000,' "$work/badsim/fr.csv" &&
    ok "a transient that stops mid-run fails its point only, named with ngspice's reason" ||
    bad "timestep too small: $(cat "$work/err.txt")"

# The engine: the same files whatever --jobs is, and an interrupted sweep
# resumed gives the files of an uninterrupted one.
engine=(--no-plot --quiet --loads 4,8,16,32,64 --freqs 100,1000 --tran-freqs 1000
    "$project/netlists/headphone/starter_hp.cir" "$project/netlists/power/starter_power.cir")
"$bin" sweep --out "$work/j2" --jobs 2 "${engine[@]}" 2>/dev/null
expect_status "a sweep with 2 workers exits 0" 0 $?
"$bin" sweep --out "$work/j1" --jobs 1 "${engine[@]}" 2>/dev/null &
pid=$!
for _ in $(seq 300); do # until a job is recorded, then interrupt
    [ -s "$work/j1/.ampsweep-journal" ] && break
    sleep 0.1
done
kill -INT "$pid"
wait "$pid"
expect_status "an interrupted sweep exits 130" 130 $?
[ -e "$work/j1/power.csv" ] && bad "an interrupted sweep wrote result files" ||
    ok "an interrupted sweep writes no result files"
"$bin" sweep --out "$work/j1" --jobs 1 --resume "${engine[@]}" 2>"$work/resume.txt"
expect_status "the resumed sweep exits 0" 0 $?
if grep -q "resuming: [1-9][0-9]* of 12 jobs taken" "$work/resume.txt"; then
    ok "the resumed sweep takes the finished jobs from the journal"
else
    bad "resume message: $(cat "$work/resume.txt")"
fi
same_results "$work/j1" "$work/j2" && ok "1 worker, interrupted and resumed, writes the files of 2 workers uninterrupted" ||
    bad "the resumed files differ from the uninterrupted ones"

shards_ok=1
for i in 1 2 3; do
    "$bin" sweep --out "$work/shard$i" --shard "$i/3" --jobs 1 "${engine[@]}" 2>/dev/null || shards_ok=0
    [ -e "$work/shard$i/power.csv" ] && shards_ok=0
done
[ "$shards_ok" -eq 1 ] && ok "three shards run and write only their journals" || bad "shard runs"
"$bin" merge "$work/merged" "$work/shard1" "$work/shard2" "$work/shard3" 2>"$work/merge.txt"
expect_status "merging the shards exits 0" 0 $?
grep -q "resuming: 12 of 12 jobs taken" "$work/merge.txt" && ok "the merge simulates nothing again" ||
    bad "merge message: $(cat "$work/merge.txt")"
same_results "$work/merged" "$work/j2" && ok "three shards merged write the files of one run" ||
    bad "the merged files differ from the single run's"
"$bin" sweep --out "$work/other" --shard 1/2 --jobs 1 --no-plot --quiet --loads 8 --tran-freqs 1000 \
    "$project/netlists/headphone/starter_hp.cir" 2>/dev/null
"$bin" merge "$work/merged2" "$work/shard1" "$work/other" 2>"$work/err.txt"
expect_status "merging shards of different sweeps exits 2" 2 $?
grep -q "not shards of one sweep" "$work/err.txt" && ok "the mismatch is named" ||
    bad "message: $(cat "$work/err.txt")"

finish
