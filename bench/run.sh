#!/usr/bin/env bash
# Benchmark of the sweep engine (issue #5), not a test: run it on an idle
# machine and read the ratios, measured side by side in one run.
#  0. issue 15's sweep (o2_class and lm3886_class into 4, 8, 32 and 300 ohm,
#     31 small-signal and 3 large-signal frequencies): ampsweep --jobs =
#     cores against the careful user's ngspice script (bench/baseline/run.sh
#     with its defaults: 5 settling periods, a 0.05 dB search on fourier's
#     THD), run one netlist at a time and, as such a user with several cores
#     would, one ngspice per core; the transient runs a point costs;
#  1. the same sweep with --jobs 1 and --jobs = cores: wall time, speed-up,
#     parallel efficiency, and that the files are identical; and the
#     baseline (bench/baseline/run.sh: the ngspice program running the
#     control script a user would write) on the same netlists: its wall
#     time, the speed ratios, and whether its numbers agree with ampsweep's
#     (bench/baseline/compare.sh: 0.1 dB and 2 %);
#  2. one worker over many jobs without recycling: its resident memory at the
#     start and the end;
#  3. where the CPU time goes: perf samples of the parallel sweep, each
#     counted as libngspice's when libngspice is on its call stack and as the
#     harness's otherwise.
# Usage: bench/run.sh [netlist or folder...]   (default: netlists/)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench >/dev/null
bin=build/ampsweep
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(netlists)
cores=$(nproc)
sweep=(--no-plot --quiet --loads 4,8,16,32,100,300,600 --freqs 20:20000:31 --tran-freqs 20,1000,20000)

seconds() { # run a command, print its wall time in seconds
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r)"

# 0. issue 15's sweep
pair=(netlists/headphone/o2_class.cir netlists/power/lm3886_class.cir)
small=(--no-plot --quiet --loads 4,8,32,300 --freqs 20:20000:31 --tran-freqs 20,1000,20000)
ta=$(seconds "$bin" sweep --jobs "$cores" --out "$work/s_a" "${small[@]}" "${pair[@]}")
tb1=$(LOADS="4 8 32 300" JOBS=1 seconds bench/baseline/run.sh "$work/s_b1" "${pair[@]}")
tbn=$(LOADS="4 8 32 300" JOBS="$cores" seconds bench/baseline/run.sh "$work/s_bn" "${pair[@]}")
agree=yes
bench/baseline/compare.sh "$work/s_a" "$work/s_bn" >"$work/s_compare.txt" 2>&1 || agree=no
sed 's/^/  /' "$work/s_compare.txt"
awk -v a="$ta" -v b="$tb1" -v c="$tbn" -v n="$cores" -v ok="$agree" 'BEGIN {
    printf "issue 15 sweep: ampsweep --jobs %d %.1f s; careful script %.1f s one at a time (%.2fx), %.1f s %d at a time (%.2fx); numbers agree: %s\n",
           n, a, b, b / a, c, n, c / a, ok }'
runs_of() { # power.csv: transient runs per large-signal point, mean and max
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "runs") c = i; next }
             { s += $c; n++; if ($c > m) m = $c } END { printf "%.1f (max %d) over %d points", s / n, m, n }' "$1"
}
echo "transient runs per point: ampsweep $(runs_of "$work/s_a/power.csv"); script $(runs_of "$work/s_bn/power.csv")"
echo "sweep: ${sweep[*]} ${targets[*]}"
t1=$(seconds "$bin" sweep --jobs 1 --out "$work/j1" "${sweep[@]}" "${targets[@]}")
tn=$(seconds "$bin" sweep --jobs "$cores" --out "$work/jn" "${sweep[@]}" "${targets[@]}")
same=yes
for f in fr.csv power.csv dissipation.csv verdict.csv summary.json; do
    cmp -s "$work/j1/$f" "$work/jn/$f" || same=no
done
awk -v a="$t1" -v b="$tn" -v n="$cores" 'BEGIN {
    printf "--jobs 1: %.1f s   --jobs %d: %.1f s   speed-up %.2f   parallel efficiency %.0f %%\n",
           a, n, b, a / b, 100 * a / b / n }'
echo "identical files for --jobs 1 and --jobs $cores: $same"
tb=$(seconds bench/baseline/run.sh "$work/base" "${targets[@]}")
agree=yes
bench/baseline/compare.sh "$work/jn" "$work/base" >"$work/compare.txt" 2>&1 || agree=no
sed 's/^/  /' "$work/compare.txt"
awk -v a="$t1" -v b="$tn" -v c="$tb" -v n="$cores" -v ok="$agree" 'BEGIN {
    printf "baseline (ngspice batch script): %.1f s   ampsweep is %.2fx as fast with --jobs 1, %.2fx with --jobs %d; numbers agree: %s\n",
           c, c / a, c / b, n, ok }'

# memory: one worker over small-signal jobs (the fastest, so the most jobs
# per second), never recycled and then with the default --recycle; each
# prints the first and the largest private memory (resident, not shared:
# Private_Clean + Private_Dirty) of a worker seen. Plain resident size would
# count the parent's pages a worker shares after fork: the parent grows with
# the results it gathers, and a worker forked late inherits that.
worker_memory() { # label, then sweep options
    local label=$1 parent worker rss first="" most=0
    shift
    rm -rf "$work/mem"
    "$bin" sweep --jobs 1 --analyses fr --no-plot --quiet --loads 4:600:300 --freqs 20:20000:31 \
        --out "$work/mem" "$@" "${targets[@]}" >/dev/null 2>&1 &
    parent=$!
    while kill -0 "$parent" 2>/dev/null; do
        worker=$(pgrep -P "$parent" | head -1 || true)
        rss=$([ -n "$worker" ] && awk '/^Private_(Clean|Dirty):/ { kib += $2 } END { if (NR) print kib }' \
            "/proc/$worker/smaps_rollup" 2>/dev/null || true)
        if [ -n "$rss" ]; then
            [ -n "$first" ] || first=$rss
            [ "$rss" -le "$most" ] || most=$rss
        fi
        sleep 0.2
    done
    awk -v a="$first" -v b="$most" -v n="$((($(wc -l <"$work/mem/fr.csv") - 1) / 31))" -v l="$label" 'BEGIN {
        printf "one worker, %d jobs, %s: private memory %.1f MiB first seen, %.1f MiB at most (%+.0f %%)\n",
               n, l, a / 1024, b / 1024, 100 * (b - a) / a }'
}
worker_memory "no recycling" --recycle 1000000
worker_memory "default --recycle"

# what recycling costs: a fresh worker for every job against the default,
# on the same fast jobs
few=(--jobs 1 --analyses fr --no-plot --quiet --loads 4:600:100 --freqs 20:20000:31)
t_each=$(seconds "$bin" sweep --recycle 1 --out "$work/rc1" "${few[@]}" "${targets[@]}")
t_default=$(seconds "$bin" sweep --out "$work/rcd" "${few[@]}" "${targets[@]}")
n_few=$((($(wc -l <"$work/rcd/fr.csv") - 1) / 31))
awk -v a="$t_each" -v b="$t_default" -v n="$n_few" 'BEGIN {
    printf "a fresh worker per job: %.1f s, default --recycle: %.1f s, for %d jobs: about %.1f ms per worker start\n",
           a, b, n, 1000 * (a - b) / n }'

# CPU: a sample is libngspice's if any frame of its stack is in libngspice
# (its own code, and the libm/libc it calls); the harness's if not but a
# frame is in ampsweep (parsing, FFT, tables, the pool); "other" if neither
# (process start-up, stacks perf could not unwind).
if perf record -q -F 99 --call-graph dwarf,8192 -o "$work/perf.data" -- \
    "$bin" sweep --jobs "$cores" --out "$work/perf" "${sweep[@]}" "${targets[@]}" >/dev/null 2>&1; then
    perf script -i "$work/perf.data" -F comm,pid,ip,sym,dso 2>/dev/null | awk '
        function flush() {
            if (!in_sample) return
            if (ng) c["libngspice"]++; else if (hs) c["harness"]++; else c["other"]++
            total++; in_sample = 0; ng = 0; hs = 0
        }
        /^$/ { flush(); next }
        /^[^ \t]/ { flush(); in_sample = 1; next }
        { if ($0 ~ /libngspice\.so/) ng = 1; else if ($0 ~ /\/ampsweep\)$/) hs = 1 }
        END {
            flush()
            printf "CPU samples of the --jobs %d sweep: %d; libngspice %.1f %%, harness %.1f %%, other %.1f %%\n",
                   '"$cores"', total, 100 * c["libngspice"] / total, 100 * c["harness"] / total,
                   100 * c["other"] / total
        }'
else
    echo "CPU split: perf could not record here (kernel.perf_event_paranoid?), skipped"
fi
