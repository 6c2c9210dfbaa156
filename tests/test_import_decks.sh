#!/usr/bin/env bash
# Decks as people have them, imported with no hand edit, deliver the power
# the original deck delivers: within 1 % of what the ngspice program reports
# running the original deck with its own source, load and analyses (its
# .meas or .control lines measure the power into its load, pload, and the
# level at the amp's input, vin_rms). The imported netlist is driven with the
# same level at its input and measured by ampsweep's engine into the same
# load (tests/import_power.c): a resistor, or for a deck whose load is a
# speaker subcircuit, a load file holding that same subcircuit.
#   tests/test_import_decks.sh AMPSWEEP IMPORT_POWER PROJECT_DIR
set -euo pipefail
ampsweep=$1 power=$2 project=$3
if ! command -v ngspice >/dev/null; then
    echo "SKIP: the ngspice program is not installed (scripts/setup.sh --test installs it)"
    exit 77
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$project/tests/data/import/." "$work/"
cd "$work"

fail=0
# deck, its load (ohm, or the load file of its speaker subcircuit), its
# frequency in Hz, ngspice's compatibility mode
# for the original ("-" for none; ngspice -D sets it as a .spiceinit would),
# and the deck the ngspice program runs as the reference: "-" for the deck
# itself. An LTspice deck with Rser= does not load into ngspice 39 in any
# mode, so its reference is the same circuit written out by hand in
# ngspice's syntax (ltspice_export.reference.cir says how).
while read -r deck load freq compat ref; do
    opts=()
    [ "$compat" = "-" ] || opts=(-D "ngbehavior=$compat")
    [ "$ref" != "-" ] || ref=$deck
    ngspice -n -b "${opts[@]}" "$ref" >"$deck.ngspice.log" 2>&1 || true
    pload=$(awk '$1 == "pload" && $2 == "=" {print $3; exit}' "$deck.ngspice.log")
    vrms=$(awk '$1 == "vin_rms" && $2 == "=" {print $3; exit}' "$deck.ngspice.log")
    if [ -z "$pload" ] || [ -z "$vrms" ]; then
        echo "FAIL $deck: ngspice gave no pload/vin_rms:"; tail -20 "$deck.ngspice.log"
        fail=1; continue
    fi
    new="${deck%.*}_imported.cir"
    if ! "$ampsweep" import "$deck" -o "$new" >"$deck.import.log" 2>&1; then
        echo "FAIL $deck: import:"; cat "$deck.import.log"; fail=1; continue
    fi
    vpk=$(awk -v r="$vrms" 'BEGIN {printf "%.9g", r * sqrt(2)}')
    if ! out=$("$power" "$new" "$freq" "$vpk" "$load" 2>&1); then
        echo "FAIL $deck: measuring the imported netlist: $out"; cat "$new"; fail=1; continue
    fi
    pimp=$(sed -n 's/.*p_load_w=\([^ ]*\).*/\1/p' <<<"$out")
    if awk -v a="$pimp" -v b="$pload" 'BEGIN {d = a / b - 1; exit !(d < 0.01 && d > -0.01)}'; then
        echo "ok   $deck: ngspice on $ref $pload W, imported $pimp W ($vpk V peak in, load $load)"
    else
        echo "FAIL $deck: ngspice on $ref $pload W, imported $pimp W ($vpk V peak in, load $load)"
        cat "$new"; fail=1
    fi
done <<'DECKS'
ngspice_example.cir 8 1000 - -
kicad_export.cir 32 1000 - -
ltspice_export.net 8 1000 - ltspice_export.reference.cir
probe_feedback.cir 8 1000 - -
output_relay.cir 8 1000 - -
speaker_model.cir speaker_model.lib 1000 - -
DECKS
exit $fail
