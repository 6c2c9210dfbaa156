#!/usr/bin/env bash
# Build the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan, and
# run each for SECONDS (default 60), starting from its seed corpus.
#   scripts/fuzz.sh [SECONDS] [OUT]    OUT: build folder (default build-fuzz/)
# A crash leaves its input in OUT/ (crash-*) and fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=${2:-build-fuzz}
mkdir -p "$out"
flags=(-g -O1 -std=c11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc)
common=(src/base/status.c src/base/strv.c src/spice/spfile.c)
declare -A sources=(
    [netlist]="src/spice/netlist.c"
    [loadfile]="src/spice/netlist.c src/spice/loadfile.c"
    [range]="src/base/range.c"
    [zcurve]="src/spice/zcurve.c"
    [import]="src/spice/netlist.c src/spice/import.c"
)
status=0
for t in netlist loadfile range zcurve import; do
    # shellcheck disable=SC2086
    clang "${flags[@]}" -o "$out/fuzz_$t" "tests/fuzz/fuzz_$t.c" "${common[@]}" ${sources[$t]} -lm
    work="$out/corpus_$t"
    mkdir -p "$work"
    echo "fuzz: $t for ${seconds} s" >&2
    ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_$t" -max_total_time="$seconds" -max_len=4096 \
        -artifact_prefix="$out/" "$work" "tests/fuzz/corpus_$t" >"$out/fuzz_$t.log" 2>&1 || {
        status=1
        echo "fuzz: $t FAILED, see $out/fuzz_$t.log" >&2
        tail -30 "$out/fuzz_$t.log" >&2
    }
done
exit "$status"
