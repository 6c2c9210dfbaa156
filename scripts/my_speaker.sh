#!/usr/bin/env bash
# My speaker (or headphone) file against every amp: sweep every netlist in
# netlists/ into your load file and print where the report is.
# Usage: scripts/my_speaker.sh LOAD.lib [OUT_DIR] [-- extra sweep options]
#   e.g. scripts/my_speaker.sh models/loads/SOMETHING.lib results/mine -- --distance 3
set -euo pipefail
if [ $# -lt 1 ]; then
    sed -n '2,5p' "$0" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
load=$1
out=${2:-results/my_speaker}
shift $(($# < 2 ? 1 : 2))
[ "${1:-}" = "--" ] && shift
[ -x "$root/build/ampsweep" ] || "$root/scripts/setup.sh"
status=0
"$root/build/ampsweep" sweep --out "$out" --load-file "$load" "$@" "$root/netlists" || status=$?
[ -f "$out/report.html" ] && echo "report: $(cd "$out" && pwd)/report.html"
exit "$status"
