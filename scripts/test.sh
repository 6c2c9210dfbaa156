#!/usr/bin/env bash
# Set up, build, and run the whole test suite through ctest.
#   scripts/test.sh              the plain build (build/)
#   scripts/test.sh --sanitize   the same suite built with AddressSanitizer and
#                                UndefinedBehaviorSanitizer (build-sanitize/)
# Other arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
# development and CI build with warnings as errors; a user's build (demo.sh) does not
export AMPSWEEP_WERROR=ON
scripts/setup.sh --test
dir=build
if [ "${1:-}" = "--sanitize" ]; then
    shift
    dir=build-sanitize
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAMPSWEEP_SANITIZE=ON -DAMPSWEEP_WERROR=ON >/dev/null
    cmake --build "$dir" -j"$(nproc)"
    # libngspice is not instrumented and leaks by itself (docs/ngspice-session.md):
    # leaks of the harness's own code are checked by test_valgrind in the plain suite
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --test-dir "$dir" --output-on-failure -j"$(nproc)" "$@"
