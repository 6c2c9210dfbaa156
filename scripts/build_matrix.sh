#!/usr/bin/env bash
# Build ampsweep (and its tests) with gcc and clang under every CMake build
# type, warnings as errors, each in build-matrix/CC-TYPE/: a user's compiler
# or build type must never meet a warning we have not seen. CI runs it.
#   scripts/build_matrix.sh [TYPE...]   default: Debug Release RelWithDebInfo MinSizeRel
set -euo pipefail
cd "$(dirname "$0")/.."
types=("$@")
[ ${#types[@]} -gt 0 ] || types=(Debug Release RelWithDebInfo MinSizeRel)
mkdir -p build-matrix
status=0
for cc in gcc clang; do
    for t in "${types[@]}"; do
        dir="build-matrix/$cc-$t"
        if CC=$cc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$t" -DAMPSWEEP_WERROR=ON >"$dir.log" 2>&1 &&
            cmake --build "$dir" -j"$(nproc)" >>"$dir.log" 2>&1; then
            echo "build_matrix: $cc $t: ok"
        else
            echo "build_matrix: $cc $t: FAILED ($dir.log)"
            grep -E "error|warning" "$dir.log" | head -20
            status=1
        fi
    done
done
exit "$status"
