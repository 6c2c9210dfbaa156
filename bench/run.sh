#!/usr/bin/env bash
# Benchmark of the sweep engine (issue #5), not a test: run it on an idle
# machine and read the ratios, measured side by side in one run.
#  1. the same sweep with --jobs 1 and --jobs = cores: wall time, speed-up,
#     parallel efficiency, and that the files are identical;
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

# memory: one worker, small-signal jobs, never recycled
"$bin" sweep --jobs 1 --recycle 1000000 --analyses fr --no-plot --quiet --loads 4:600:300 --freqs 20:20000:31 \
    --out "$work/mem" "${targets[@]}" >/dev/null 2>&1 &
parent=$!
first="" last=""
while kill -0 "$parent" 2>/dev/null; do
    worker=$(pgrep -P "$parent" | head -1 || true)
    if [ -n "$worker" ]; then
        rss=$(awk '/VmRSS/ { print $2 }' "/proc/$worker/status" 2>/dev/null || true)
        [ -n "$rss" ] && { [ -z "$first" ] && first=$rss; last=$rss; }
    fi
    sleep 0.5
done
jobs_run=$(($(wc -l <"$work/mem/verdict.csv") / 4))
awk -v a="$first" -v b="$last" -v n="$jobs_run" 'BEGIN {
    printf "one worker, %d jobs, no recycling: resident memory %.1f MiB at start, %.1f MiB at end (%+.0f %%)\n",
           n, a / 1024, b / 1024, 100 * (b - a) / a }'

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
