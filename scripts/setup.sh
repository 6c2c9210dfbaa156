#!/usr/bin/env bash
# Install what ampsweep needs from Debian 12 packages (only what is missing)
# and build it into build/. Called by demo.sh and test.sh; safe to re-run.
#   scripts/setup.sh --test    also what only the tests need (Slurm, munge, and
#                              the ngspice program: tests/test_import_decks.sh
#                              runs the original decks with it)
#   scripts/setup.sh --bench   also what bench/run.sh needs: the ngspice
#                              program (its baseline) and perf
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential clang cmake pkg-config libngspice0-dev libfftw3-dev libjson-c-dev libgsl-dev libcmocka-dev gnuplot-nox chromium
    valgrind procps util-linux help2man)
# --test: what only tests need: a single-node Slurm (tests/test_slurm.sh)
if [ "${1:-}" = "--test" ]; then packages+=(slurm-wlm munge ngspice); fi
if [ "${1:-}" = "--bench" ]; then packages+=(ngspice linux-perf); fi
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# AMPSWEEP_WERROR=ON (scripts/test.sh, CI): warnings stop the build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DAMPSWEEP_WERROR="${AMPSWEEP_WERROR:-OFF}" >/dev/null
cmake --build build -j"$(nproc)"
