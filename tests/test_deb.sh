#!/usr/bin/env bash
# The Debian package: cpack -G DEB builds it from the build folder, apt-get
# installs it (its declared dependencies must already be satisfiable on this
# machine), the installed ampsweep checks an installed example netlist and
# the man page is there; then the package is removed again.
#   tests/test_deb.sh BUILD_DIR PROJECT_DIR
# Exits 77 (skipped) where the test cannot install packages (not root).
set -uo pipefail
build=$(realpath "$1")
proj=$(realpath "$2")
. "$proj/tests/checks.sh"
[ "$(id -u)" -eq 0 ] || { echo "SKIP: installing a package needs root"; exit 77; }
command -v cpack >/dev/null || { echo "SKIP: cpack not installed"; exit 77; }

work=$(mktemp -d /tmp/ampsweep-deb.XXXXXX)
cleanup() {
    dpkg -s ampsweep >/dev/null 2>&1 && dpkg -r ampsweep >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
if dpkg -s ampsweep >/dev/null 2>&1; then
    echo "SKIP: an ampsweep package is installed already; this test would replace it"
    exit 77
fi

(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >cpack.log 2>&1)
deb=$(ls "$work"/ampsweep_*.deb 2>/dev/null | head -1)
if [ -n "$deb" ]; then ok "cpack built $(basename "$deb")"; else
    bad "cpack built a .deb"
    cat "$work/cpack.log"
    finish
    exit
fi
deps=$(dpkg-deb -f "$deb" Depends)
case "$deps" in *libngspice0*) ok "it depends on libngspice0 ($deps)" ;;
*) bad "it depends on libngspice0 (Depends: $deps)" ;; esac
case "$deps" in *gnuplot*) ok "it depends on gnuplot" ;; *) bad "it depends on gnuplot" ;; esac

if DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$deb" \
    >"$work/apt.log" 2>&1; then
    ok "apt-get installed it"
else
    bad "apt-get installed it"
    tail -20 "$work/apt.log"
fi
cd "$work"
out=$(/usr/bin/ampsweep check /usr/share/ampsweep/netlists/headphone/starter_hp.cir 2>&1)
expect_status "the installed ampsweep checks an installed example" 0 $?
grep -q "starter_hp" <<<"$out" || bad "check names the amp: $out"
[ -f /usr/share/man/man1/ampsweep.1.gz ] || [ -f /usr/share/man/man1/ampsweep.1 ] &&
    ok "the man page is installed" || bad "the man page is installed"
finish
