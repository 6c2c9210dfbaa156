#!/usr/bin/env bash
# No figure's key lists more than 8 series (issue 14): in every gnuplot
# script `ampsweep plot` writes, each plot command holds at most 8 series
# with a title (a keyentry with a title counts; notitle does not; a title
# inside a quoted string does not). Checked on a real sweep
# (tests/data/results_small) and on a hand-made folder of 10 amps, where
# the figures with a key entry per amp must be split into groups of 8. The
# counter itself is checked first on scripts with a known count.
# Usage: test_plot_keys.sh AMPSWEEP PROJECT_DIR
set -uo pipefail
bin=$1
project=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# shellcheck source=tests/checks.sh
. "$(dirname "$0")/checks.sh"
max_keyed=8

# "LINE COUNT" for each plot command of a gnuplot script: the line it
# starts on and how many of its series are keyed.
count_keys() {
    awk '
    function strip(s) { gsub(/\047[^\047]*\047/, "", s); gsub(/"[^"]*"/, "", s); return s }
    {
        line = $0
        if (cont) cmd = cmd " " line
        else if (line ~ /^[ \t]*plot[ \t]/) { cmd = line; start = NR }
        else next
        if (cmd ~ /\\[ \t]*$/) { cont = 1; sub(/\\[ \t]*$/, "", cmd); next }
        cont = 0
        s = strip(cmd); n = 0
        while (match(s, /(^|[^a-z_])(no)?title([^a-z_]|$)/)) {
            if (substr(s, RSTART, RLENGTH) !~ /notitle/) n++
            s = substr(s, RSTART + RLENGTH - 1)
        }
        print start, n
    }' "$1"
}

# Every script of folder $1/plots: at most max_keyed keyed series per plot.
check_folder() { # dir what
    local gp n_cmd=0 worst=0 over=""
    for gp in "$1"/plots/*.gp; do
        while read -r line n; do
            n_cmd=$((n_cmd + 1))
            [ "$n" -gt "$worst" ] && worst=$n
            [ "$n" -gt "$max_keyed" ] && over="$over $(basename "$gp"):$line ($n)"
        done < <(count_keys "$gp")
    done
    if [ "$n_cmd" -eq 0 ]; then
        bad "$2: no plot command found"
    elif [ -z "$over" ]; then
        ok "$2: $n_cmd plot commands, at most $worst keyed series each"
    else
        bad "$2: more than $max_keyed keyed series in$over"
    fi
}

# the counter, on scripts with a known count
{
    echo "set title 'not a plot'"
    printf 'plot \\\n'
    for i in 1 2 3 4 5 6 7 8 9; do printf "    x*%d title 'a title ''%d''', \\\\\n" "$i" "$i"; done
    echo "    x notitle, keyentry with lines title \"k\""
    echo "    plot x title 'notitle', x notitle, x t 'short forms are not used'"
} >"$work/known.gp"
got=$(count_keys "$work/known.gp" | tr '\n' ' ')
if [ "$got" = "2 10 13 1 " ]; then ok "the counter counts titles and keyentries, not notitle or quoted words"; else bad "the counter read '$got', wanted '2 10 13 1 '"; fi

# a real sweep
real="$work/real"
mkdir -p "$real"
cp "$project"/tests/data/results_small/* "$real/"
if "$bin" plot "$real" >"$work/plot1.txt" 2>&1; then ok "ampsweep plot on a real sweep"; else bad "ampsweep plot: $(cat "$work/plot1.txt")"; fi
check_folder "$real" "a real sweep"

# ten amps into 8 and 32 ohm: every figure keyed by amp comes in two parts
many="$work/many"
mkdir -p "$many"
{
    echo "amp,load,load_ohm,freq_hz,gain_db,dev_db,zload_ohm,zout_ohm,damping,rule8" >"$many/fr.csv"
    echo "amp,load,load_ohm,freq_hz,p_max_w,vout_rms_v,iout_pk_a,thd_pct,vout_dc_v,limit,runs" >"$many/power.csv"
    echo "amp,load,load_ohm,freq_hz,device,p_quiescent_w,p_at_max_w,p_eighth_w,p_worst_w,tj_eighth_c,tj_worst_c,tj_max_c" >"$many/dissipation.csv"
    echo "amp,load,load_ohm,profile,criterion,value,limit,pass" >"$many/verdict.csv"
    amps=""
    for i in $(seq 1 10); do
        a="amp$i"
        loads=""
        for o in 8 32; do
            prof=speaker
            [ "$o" = 32 ] && prof=headphone
            p=$(awk -v i="$i" -v o="$o" 'BEGIN { printf "%.4g", i * 8 / o }')
            spl=$(awk -v p="$p" -v o="$o" 'BEGIN { printf "%.4g", o == 8 ? 87 + 10 * log(p) / log(10) : 100 + 10 * log(p * 1000) / log(10) }')
            for f in 100 10000; do echo "$a,resistor,$o,$f,0,-0.1,$o,0.1,$((o * 10)),1" >>"$many/fr.csv"; done
            echo "$a,resistor,$o,1000,$p,3,0.5,0.9,0.001,voltage,5" >>"$many/power.csv"
            echo "$a,resistor,$o,1000,total,0.1,2,1,2,nan,nan,nan" >>"$many/dissipation.csv"
            echo "$a,resistor,$o,1000,q1,0.05,1,0.5,1,40,60,150" >>"$many/dissipation.csv"
            for c in power fr_deviation damping thermal dc_offset; do
                echo "$a,resistor,$o,$prof,$c,1,1,1" >>"$many/verdict.csv"
            done
            loads="$loads${loads:+,}{\"load\":\"resistor\",\"load_ohm\":$o,\"profile\":\"$prof\",\"verdict\":\"$spl dB\",\"pass\":true,\"p_required_w\":1,\"p_available_w\":$p,\"spl_db\":$spl,\"tier\":\"loud\",\"limit\":\"voltage\",\"criteria\":{\"power\":{\"pass\":true},\"fr_deviation\":{\"pass\":true},\"damping\":{\"pass\":true},\"thermal\":{\"pass\":true},\"dc_offset\":{\"pass\":true}}}"
        done
        amps="$amps${amps:+,}{\"name\":\"$a\",\"netlist\":\"n/$a.cir\",\"kind\":\"headphone\",\"source\":\"test\",\"loads\":[$loads]}"
    done
    echo "{\"settings\":{\"analyses\":[\"fr\",\"large\"],\"loads_ohm\":[8,32],\"load_files\":[],\"freqs_hz\":[100,10000],\"tran_freqs_hz\":[1000],\"thd_limit_pct\":1,\"ambient_c\":25,\"profile\":\"auto\",\"speaker\":{\"sensitivity_db_spl_w\":87,\"distance_m\":2,\"stereo_pair_gain_db\":3,\"room_gain_db\":3,\"target_spl_db\":100},\"headphone\":{\"sensitivity_db_spl_mw\":100,\"target_spl_db\":110},\"max_dev_db\":1},\"amps\":[$amps],\"failed\":[]}" >"$many/summary.json"
}
if "$bin" plot "$many" >"$work/plot2.txt" 2>&1; then ok "ampsweep plot on ten amps"; else bad "ampsweep plot on ten amps: $(cat "$work/plot2.txt")"; fi
check_folder "$many" "ten amps"
for stem in spl_vs_load limits_vs_load power_vs_load zout thd_vs_power; do
    if [ -s "$many/plots/$stem.png" ] && [ -s "$many/plots/${stem}_2.png" ]; then
        ok "$stem is drawn in two parts of at most $max_keyed amps"
    else
        bad "$stem: not drawn as $stem and ${stem}_2 ($(ls "$many/plots" | tr '\n' ' '))"
    fi
done

finish
