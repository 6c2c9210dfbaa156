#!/usr/bin/env bash
# Compare two amps on one load: sweep both netlists into a single load (a
# resistance in ohms, or a load file) and print where the report is.
# Usage: scripts/compare_two.sh AMP1.cir AMP2.cir LOAD [OUT_DIR] [-- extra sweep options]
#   LOAD is a number (ohms, e.g. 32) or a .lib load file (docs/netlists.md).
set -euo pipefail
if [ $# -lt 3 ]; then
    sed -n '2,5p' "$0" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
amp1=$1 amp2=$2 load=$3
out=${4:-results/compare}
shift $(($# < 4 ? 3 : 4))
[ "${1:-}" = "--" ] && shift
[ -x "$root/build/ampsweep" ] || "$root/scripts/setup.sh"
if [[ $load =~ ^[0-9.]+$ ]]; then
    load_opt=(--loads "$load")
else
    load_opt=(--load-file "$load")
fi
status=0
"$root/build/ampsweep" sweep --out "$out" "${load_opt[@]}" "$@" "$amp1" "$amp2" || status=$?
[ -f "$out/report.html" ] && echo "report: $(cd "$out" && pwd)/report.html"
exit "$status"
