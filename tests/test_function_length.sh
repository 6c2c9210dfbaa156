#!/usr/bin/env bash
# No function in src/ longer than 80 lines (src/README.md): a long function
# is split into named steps. Reads clang-formatted C, where a function's
# body opens with '{' and closes with '}' in the first column (tables of
# data are initialisers, not functions, and are not counted).
#   tests/test_function_length.sh [SRC] [MAX]
set -euo pipefail
src=${1:-"$(dirname "$0")/../src"}
max=${2:-80}
long=$(for f in "$src"/*/*.c; do
    awk -v F="${f#"$src"/}" -v MAX="$max" '
        /^\{/ { start = NR; name = prev }
        /^\}/ { if (start && NR - start - 1 > MAX) printf "src/%s: %d lines: %s\n", F, NR - start - 1, name; start = 0 }
        { prev = $0 }' "$f"
done)
n=$(grep -c '^\{' "$src"/*/*.c | awk -F: '{s += $2} END {print s}')
if [ -n "$long" ]; then
    echo "$long"
    echo "functions: $n read, $(wc -l <<<"$long") over $max lines"
    exit 1
fi
echo "functions: $n read, none over $max lines"
