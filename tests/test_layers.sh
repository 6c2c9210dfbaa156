#!/usr/bin/env bash
# The layer rules of src/README.md, checked from the #include lines: every
# quoted include of a file in src/LAYER/ names a header of its own layer or
# of a layer that LAYER may use, and nothing includes cli/. Prints every
# include that breaks a rule, and fails if there is one.
#   tests/test_layers.sh [SRC]   (default: the src/ beside this script)
set -euo pipefail
src=${1:-"$(dirname "$0")/../src"}

# The layers each layer may include, besides itself (src/README.md).
declare -A may=(
    [base]=""
    [spice]="base"
    [judge]="base"
    [engine]="base spice"
    [results]="base judge"
    [run]="base spice engine judge results"
    [report]="base judge results"
    [cli]="base spice engine judge results run report"
)

bad=0
for dir in "$src"/*/; do
    layer=$(basename "$dir")
    if [ -z "${may[$layer]+set}" ]; then
        echo "src/$layer/: a folder no layer rule names (add it to src/README.md and here)"
        bad=$((bad + 1))
    fi
done
# every quoted include, as FILE:#include "INC"
n=0
while IFS= read -r hit; do
    file=${hit%%:*}
    file=${file#"$src"/}
    layer=${file%%/*}
    inc=${hit#*\"}
    inc=${inc%%\"*}
    n=$((n + 1))
    to=${inc%%/*}
    [ -n "${may[$layer]+set}" ] || continue
    if [ "$to" = "$inc" ]; then
        echo "src/$file: #include \"$inc\" names no layer (write \"LAYER/$inc\")"
        bad=$((bad + 1))
    elif [ "$to" != "$layer" ] && [[ " ${may[$layer]} " != *" $to "* ]]; then
        echo "src/$file: #include \"$inc\" runs against the rules: $layer/ may use only ${may[$layer]:-libc}"
        bad=$((bad + 1))
    fi
done < <(grep -rH '^#include "' "$src" --include='*.[ch]')

# What only one place may do (src/README.md): the name of a libngspice,
# FFTW, json-c or GSL header, or a call that forks, outside its place.
only() { # WHAT PATTERN PLACE...
    local what=$1 pat=$2
    shift 2
    while IFS= read -r hit; do
        local ok=0
        for p in "$@"; do case "$hit" in "$src/$p"*) ok=1 ;; esac; done
        if [ "$ok" -eq 0 ]; then
            echo "${hit#"$src"/}: $what outside ${*}"
            bad=$((bad + 1))
        fi
    done < <(grep -rlE "$pat" "$src" --include='*.[ch]' || true)
}
only "libngspice" '<ngspice/' engine/ngs.c
only "FFTW" '<fftw3\.h>' engine/spectrum.c
only "json-c" '<json-c/' results/ run/summary.c
only "GSL" '<gsl/' spice/zfit.c
only "fork" '\bfork *\(' run/pool.c
only "signal handlers" '\bsigaction *\(' cli/ run/pool.c

[ "$n" -gt 0 ] || { echo "no include read under $src"; exit 1; }
echo "layers: $n includes read, $bad against the rules"
[ "$bad" -eq 0 ]
