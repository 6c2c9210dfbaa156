#!/usr/bin/env bash
# bench/baseline/compare.sh: ampsweep's numbers against the hand-written
# ngspice baseline's (bench/baseline/run.sh), side by side (issue 5).
#
# Usage: bench/baseline/compare.sh AMPSWEEP_OUT BASELINE_OUT
#   AMPSWEEP_OUT: a folder of `ampsweep sweep` (fr.csv, power.csv; only the
#                 rows with load == resistor are compared)
#   BASELINE_OUT: a folder of bench/baseline/run.sh (fr.csv, power.csv)
# Prints per amp the worst |delta dev_db| and the worst relative delta p_max
# (baseline minus ampsweep, over ampsweep), then the worst rows, and lists
# every row that could not be compared: missing on one side, `limit ==
# failed` in ampsweep, or not measured (nan) in the baseline.
# Exit status: 0 when every dev_db agrees within DEV_TOL_DB (0.1 dB) and
# every p_max_w within P_TOL (2 %) and every row was compared; 1 otherwise;
# 2 on bad input.
# Rows are matched on amp, load_ohm (as numbers) and freq_hz within 1e-4
# relative (ngspice's echo prints 6 digits; ampsweep prints 10).
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 AMPSWEEP_OUT BASELINE_OUT" >&2; exit 2; }
a=$1 b=$2
for f in "$a/fr.csv" "$a/power.csv" "$b/fr.csv" "$b/power.csv"; do
    [ -r "$f" ] || { echo "compare: cannot read $f" >&2; exit 2; }
done
dev_tol=${DEV_TOL_DB:-0.1}
p_tol=${P_TOL:-0.02}

awk -F, -v dev_tol="$dev_tol" -v p_tol="$p_tol" '
# the key of a row; a baseline frequency takes the spelling of the ampsweep
# frequency of the same amp and load within 1e-4 relative, if there is one
function key(amp, r, f, canon,   g, n, i, c) {
    g = amp SUBSEP sprintf("%.6g", r + 0)
    if (canon) {
        n = split(freqs[g], c, " ")
        for (i = 1; i <= n; i++) if (abs(c[i] - f) <= 1e-4 * abs(f)) return g SUBSEP c[i]
    } else if (index(" " freqs[g] " ", " " sprintf("%.10g", f + 0) " ") == 0)
        freqs[g] = freqs[g] " " sprintf("%.10g", f + 0)
    return g SUBSEP sprintf("%.10g", f + 0)
}
function col(name,   i) { for (i = 1; i <= NF; i++) if ($i == name) return i; return 0 }
function need(c, name) { if (!c) { printf "compare: %s has no column %s\n", FILENAME, name > "/dev/stderr"; bad_input = 1; exit 2 } }
function isnum(x) { return x ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
function addamp(amp) { if (!(amp in seen)) { seen[amp] = 1; order[++namps] = amp } }
function abs(x) { return x < 0 ? -x : x }
function show(k,   p) { split(k, p, SUBSEP); return sprintf("%-14s %5s ohm %8.6g Hz", p[1], p[2], p[3]) }
FNR == 1 {
    file++
    if (file == 1 || file == 2) { c_amp = col("amp"); c_load = col("load"); c_r = col("load_ohm"); c_f = col("freq_hz"); need(c_amp, "amp"); need(c_load, "load"); need(c_r, "load_ohm"); need(c_f, "freq_hz") }
    else { c_amp = col("amp"); c_r = col("load_ohm"); c_f = col("freq_hz"); need(c_amp, "amp"); need(c_r, "load_ohm"); need(c_f, "freq_hz") }
    if (file == 1 || file == 3) { c_v = col("dev_db"); need(c_v, "dev_db") }
    else { c_v = col("p_max_w"); need(c_v, "p_max_w") }
    if (file == 2) { c_lim = col("limit"); need(c_lim, "limit") }
    if (file == 4) { c_end = col("end") }
    next
}
file == 1 && $c_load == "resistor" { k = key($c_amp, $c_r, $c_f, 0); afr[k] = $c_v; addamp($c_amp) }
file == 2 && $c_load == "resistor" { k = key($c_amp, $c_r, $c_f, 0); apw[k] = $c_v; alim[k] = $c_lim; addamp($c_amp) }
file == 3 { k = key($c_amp, $c_r, $c_f, 1); bfr[k] = $c_v; addamp($c_amp) }
file == 4 { k = key($c_amp, $c_r, $c_f, 1); bpw[k] = $c_v; bend[k] = c_end ? $c_end : ""; addamp($c_amp) }
END {
    if (bad_input) exit 2
    fail = 0; nlist = 0
    for (k in afr) if (!(k in bfr)) { list[++nlist] = "fr     " show(k) "  only in ampsweep"; fail = 1 }
    for (k in bfr) {
        split(k, p, SUBSEP); amp = p[1]
        if (!(k in afr)) { list[++nlist] = "fr     " show(k) "  only in the baseline"; fail = 1; continue }
        if (!isnum(afr[k]) || !isnum(bfr[k])) { list[++nlist] = "fr     " show(k) "  not a number: ampsweep " afr[k] ", baseline " bfr[k]; fail = 1; continue }
        d = bfr[k] - afr[k]
        nfr[amp]++; nfr_all++
        if (!(amp in wfr) || abs(d) > abs(wfr[amp])) { wfr[amp] = d; wfrk[amp] = k }
        if (abs(d) > dev_tol) { nfr_out[amp]++; fail = 1 }
        frd[k] = d
    }
    for (k in apw) if (!(k in bpw)) { list[++nlist] = "power  " show(k) "  only in ampsweep (limit " alim[k] ")"; fail = 1 }
    for (k in bpw) {
        split(k, p, SUBSEP); amp = p[1]
        if (!(k in apw)) { list[++nlist] = "power  " show(k) "  only in the baseline"; fail = 1; continue }
        if (alim[k] == "failed" || !isnum(apw[k]) || !isnum(bpw[k]) || apw[k] + 0 <= 0) {
            list[++nlist] = sprintf("power  %s  not compared: ampsweep %s (limit %s), baseline %s%s", show(k), apw[k], alim[k], bpw[k], bend[k] != "" ? " (" bend[k] ")" : "")
            fail = 1; continue
        }
        r = (bpw[k] - apw[k]) / apw[k]
        npw[amp]++; npw_all++
        if (!(amp in wpw) || abs(r) > abs(wpw[amp])) { wpw[amp] = r; wpwk[amp] = k }
        if (abs(r) > p_tol) { npw_out[amp]++; fail = 1 }
        pwd[k] = r
        sum[amp] += r
    }
    printf "dev_db: baseline minus ampsweep, tolerance %g dB; p_max_w: (baseline - ampsweep) / ampsweep, tolerance %g %%\n\n", dev_tol, 100 * p_tol
    printf "%-14s %8s %14s %10s %8s %16s %12s %10s\n", "amp", "fr rows", "worst |d dev|", "over tol", "p rows", "worst d p_max", "mean d p_max", "over tol"
    for (i = 1; i <= namps; i++) {
        amp = order[i]
        printf "%-14s %8d %11.2e dB %10d %8d %14.2f %% %10.2f %% %10d\n", amp, nfr[amp], abs(wfr[amp]), nfr_out[amp], npw[amp], 100 * wpw[amp], npw[amp] ? 100 * sum[amp] / npw[amp] : 0, npw_out[amp]
    }
    # worst rows: the 8 largest |relative delta p_max|, the 5 largest |delta dev_db|
    printf "\nworst p_max_w rows                             ampsweep W    baseline W     delta\n"
    n = 0; for (k in pwd) { n++; kk[n] = k }
    for (j = 1; j <= 8 && j <= n; j++) {
        m = j; for (q = j + 1; q <= n; q++) if (abs(pwd[kk[q]]) > abs(pwd[kk[m]])) m = q
        t = kk[j]; kk[j] = kk[m]; kk[m] = t
        printf "  %s  %12.6g  %12.6g  %+7.2f %%\n", show(kk[j]), apw[kk[j]], bpw[kk[j]], 100 * pwd[kk[j]]
    }
    printf "\nworst dev_db rows                              ampsweep dB   baseline dB     delta\n"
    n = 0; for (k in frd) { n++; ff[n] = k }
    for (j = 1; j <= 5 && j <= n; j++) {
        m = j; for (q = j + 1; q <= n; q++) if (abs(frd[ff[q]]) > abs(frd[ff[m]])) m = q
        t = ff[j]; ff[j] = ff[m]; ff[m] = t
        printf "  %s  %12.6g  %12.6g  %+.2e dB\n", show(ff[j]), afr[ff[j]], bfr[ff[j]], frd[ff[j]]
    }
    if (nlist) {
        printf "\nnot compared (%d rows%s):\n", nlist, (nlist > 40 ? ", the first 40" : "")
        fflush()
        cmd = "LC_ALL=C sort | head -40"
        for (j = 1; j <= nlist; j++) print "  " list[j] | cmd
        close(cmd)
    }
    printf "\n%d dev_db rows and %d p_max_w rows compared: %s\n", nfr_all, npw_all, fail ? "DISAGREE (see above)" : "all agree within tolerance"
    exit fail
}' "$a/fr.csv" "$a/power.csv" "$b/fr.csv" "$b/power.csv"
