#!/usr/bin/env bash
# The main job: set up, build, and sweep every amp netlist in netlists/ over
# the default loads (24 resistors, 4 to 600 ohm) and frequencies (31, 20 Hz
# to 20 kHz), writing into results/. Extra arguments go to 'ampsweep sweep'.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
status=0
build/ampsweep sweep --out results "$@" netlists || status=$?
[ -f results/report.html ] && echo "report: $(pwd)/results/report.html"
exit "$status"
