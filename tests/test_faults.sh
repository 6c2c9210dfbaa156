#!/usr/bin/env bash
# Faults injected into a running sweep (issues #5 and #7): a worker killed
# with SIGKILL in the middle of its job, and a job that hangs past --timeout.
# The sweep must end as docs/ngspice-session.md describes: the killed job
# retried in a fresh worker with the same final files, the hung one killed,
# retried once, then named as failed while every other result is written.
# Usage: test_faults.sh AMPSWEEP PROJECT_DIR
set -uo pipefail
bin=$1
project=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/checks.sh
. "$(dirname "$0")/checks.sh"

engine=(--no-plot --quiet --loads 4,8,16,32,64 --freqs 100,1000 --tran-freqs 1000
    "$project/netlists/headphone/starter_hp.cir" "$project/netlists/power/starter_power.cir")
"$bin" sweep --out "$work/ref" --jobs 2 "${engine[@]}" 2>/dev/null
expect_status "the reference sweep exits 0" 0 $?

# SIGKILL one worker while it simulates (once a job is recorded, so the
# workers are past start-up and in the middle of later jobs).
"$bin" sweep --out "$work/killed" --jobs 2 "${engine[@]}" 2>"$work/err.txt" &
parent=$!
victim=""
for _ in $(seq 600); do
    if [ -s "$work/killed/.ampsweep-journal" ]; then
        victim=$(pgrep -P "$parent" | head -1)
        [ -n "$victim" ] && break
    fi
    sleep 0.05
done
[ -n "$victim" ] && kill -KILL "$victim"
wait "$parent"
expect_status "a sweep whose worker was killed mid-job exits 0" 0 $?
[ -n "$victim" ] && ! kill -0 "$victim" 2>/dev/null && ok "a worker was killed (pid $victim)" ||
    bad "no worker was found to kill"
same_results "$work/killed" "$work/ref" &&
    ok "the killed worker's job is retried in a fresh worker: the files equal the reference" ||
    bad "the files differ from the reference: $(cat "$work/err.txt")"

# A job that hangs: every transient of slow_osc takes minutes; --timeout 2.
"$bin" sweep --no-plot --quiet --out "$work/hung" --timeout 2 --loads 8 --freqs 1000 \
    --tran-freqs 1000 "$project/tests/data/slow_osc.cir" "$project/tests/data/hard_clip.cir" \
    2>"$work/err.txt"
expect_status "a sweep with a job past its timeout exits 2" 2 $?
grep -q "slow_osc.cir: .*timed out after 2 s (tried 2 times, retried in a fresh worker)" "$work/err.txt" &&
    ok "the hung job is named, with its timeout and its retry" || bad "message: $(cat "$work/err.txt")"
grep -q '^hard_clip,resistor,8,1000,' "$work/hung/power.csv" && ! grep -q '^slow_osc,' "$work/hung/power.csv" &&
    grep -q '"netlist": *".*slow_osc.cir"' "$work/hung/summary.json" &&
    ok "the other amp's results are written, and summary.json lists the failure" ||
    bad "results after a timeout: $(cat "$work/hung/power.csv")"
pgrep -f "slow_osc" >/dev/null && bad "a worker of the hung job is still running" ||
    ok "no worker is left running"

finish
