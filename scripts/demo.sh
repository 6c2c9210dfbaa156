#!/usr/bin/env bash
# The main job: set up, build, and sweep every amp netlist in netlists/ into
# the default loads (24 resistors, 4 to 600 ohm) and every speaker and
# headphone model in models/loads/, at the default frequencies (31, 20 Hz to
# 20 kHz; large-signal at 20 Hz, 1 kHz, 20 kHz), writing into results/.
# Extra arguments go to 'ampsweep sweep'; an interrupted run goes on with
# scripts/demo.sh --resume.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
status=0
load_files=()
for f in models/loads/*.lib; do load_files+=(--load-file "$f"); done
build/ampsweep sweep --out results --loads 4:600:24 "${load_files[@]}" "$@" netlists || status=$?
[ -f results/report.html ] && echo "report: $(pwd)/results/report.html"
exit "$status"
