#!/usr/bin/env bash
# cmake --install into a temporary prefix, then the installed binary alone,
# from an unrelated folder: it finds the models under its own prefix (its
# help names them), checks and sweeps a user's netlist that includes an
# installed model, and the man page and docs are in place.
#   tests/test_install.sh BUILD_DIR PROJECT_DIR
set -uo pipefail
build=$(realpath "$1")
proj=$(realpath "$2")
. "$proj/tests/checks.sh"

work=$(mktemp -d /tmp/ampsweep-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix with space"
cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1
expect_status "cmake --install into a fresh prefix" 0 $?
for f in bin/ampsweep share/man/man1/ampsweep.1 share/ampsweep/models/opamp_basic.lib \
    share/ampsweep/models/loads/bookshelf_8ohm.lib share/ampsweep/netlists/headphone/starter_hp.cir \
    share/doc/ampsweep/README.md share/doc/ampsweep/metrics.md; do
    [ -e "$prefix/$f" ] && ok "installed $f" || bad "installed $f"
done

# the installed tree, moved: it must not lean on the build or the source tree
mv "$prefix" "$work/moved"
prefix="$work/moved"
bin="$prefix/bin/ampsweep"
mkdir "$work/elsewhere"
cd "$work/elsewhere"
"$bin" sweep --help | grep -qF "$prefix/share/ampsweep/models" &&
    ok "the installed binary's models are those under its own prefix" ||
    bad "the installed binary's models are those under its own prefix ($("$bin" sweep --help | grep -A1 -- --models))"

# a user's own netlist, in a folder of its own, including an installed model
cp "$prefix/share/ampsweep/netlists/headphone/starter_hp.cir" my_amp.cir
sed -i 's/^\*@ *name *=.*/*@ name = my_amp/' my_amp.cir
grep -q '^\.include' my_amp.cir || bad "the example includes a model (test premise)"
out=$("$bin" check my_amp.cir 2>&1)
expect_status "the installed binary checks a user's netlist that includes an installed model" 0 $?
"$bin" sweep --quiet --out res --loads 8,300 --freqs 20:20000:5 --tran-freqs 1000 \
    --load-model hp_300ohm my_amp.cir >sweep.log 2>&1
expect_status "the installed binary sweeps it with an installed load model" 0 $?
[ -s res/power.csv ] && [ -s res/report.html ] && ok "results and report written" ||
    { bad "results and report written"; cat sweep.log; }
finish
