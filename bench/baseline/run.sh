#!/usr/bin/env bash
# bench/baseline/run.sh: the benchmark's baseline (issue 5). What a competent
# ngspice user would write by hand to get ampsweep's two headline numbers for
# the same netlists, run with the plain `ngspice` binary in batch mode.
#
# Usage: bench/baseline/run.sh OUTDIR NETLIST_OR_FOLDER...
#   (folders are searched recursively for *.cir, sorted; files as given)
# Writes OUTDIR/fr.csv     amp,load_ohm,freq_hz,dev_db
#        OUTDIR/power.csv  amp,load_ohm,freq_hz,p_max_w,thd_pct,runs,end
#          (end: found, ceiling, floor, simfail = a tran stopped short,
#          nogain = no small-signal gain to seed the search)
#        OUTDIR/decks/NAME.cir (the generated deck) and NAME.log (ngspice's
#          output; a BLEV line per transient run: load, frequency, input
#          level in dB re 1 V peak, THD %, power W, DC of v(out) V)
# Compare with ampsweep's results with bench/baseline/compare.sh.
#
# How. Per amp, one deck = the netlist's own lines + the harness's input
# source and load (named as docs/netlists.md reserves them) + one .control
# block, and one `ngspice -b` process, so each netlist is read once per amp:
#   vas_in in 0 dc 0 ac 1 sin(0 0 1000)   the input (AC 1 V; sine altered per run)
#   vas_il out as_lo dc 0                 senses the load current
#   ras_load as_lo 0 {as_rload}           the load, .param as_rload (1e12 = open)
# The loads are stepped with `alterparam as_rload = R` + `reset`; the input
# level of each transient run with `alter @vas_in[sin] = [ 0 A F ]`.
#   - fr.csv: `ac dec 10 20 20k` (the 31 points of --freqs 20:20000:31) with
#     the output open (1 TOhm, as ampsweep), then into each load;
#     dev_db = db(v(out)/v(in)) loaded minus open (docs/metrics.md).
#   - power.csv: at 20 Hz, 1 kHz and 20 kHz into each load, the highest input
#     level whose THD is at most 1 % (ampsweep's default --thd-limit), and
#     the power there, P = (rms of v(out) less its DC)^2 / R.
# Choices, and why:
#   - THD: ngspice's `fourier` with nfreqs = 11 over the last period of the
#     run: 100 * sqrt(sum h2..h10 ^ 2) / h1, as ampsweep defines it (harmonics
#     2-10). fourgridsize = 1024 points a period with linear interpolation
#     (ngspice's default polydegree 1), as ampsweep resamples.
#   - Power: `meas tran rms` and `avg` of v(out) over the last period, the
#     one fourier reads (until 2026-12-06 over the last two: a period more
#     a run than issue 15's "5 settling periods, the 6th measured").
#   - Time step: tmax = 1/200 period (20 steps a period of the 10th
#     harmonic), the step ampsweep uses.
#   - Settling (a fixed rule, the result is not tested): each run starts
#     from the operating point, simulates S periods, then the measured
#     one; S = ceil(SETTLE_S * f) clamped to SETTLE_MIN..SETTLE_MAX. The
#     default is the careful user's of issue 15: 5 periods, whatever the
#     frequency (SETTLE_S=0, SETTLE_MIN=SETTLE_MAX=5). What settles slowly
#     is the DC step a coupling or feedback capacitor is left with when the
#     sine starts; a user who finds the answer moving gives more periods.
#     Measured earlier (2026-11-23): 4-16 periods moved p_max by at most
#     1.1 % against 0.5 s of periods (at least 8, at most 64), which cost
#     3x the time; the old default, and a padded baseline.
#   - Search on the input level in dB, seeded from the netlist's
#     `*@ supply` voltages and the small-signal gain (an `ac` at that
#     frequency into that load): the first level puts the output peak at
#     half the supplies' total span (10 V without supplies). Then 6, 12,
#     24 dB steps up or down until a level within the limit and one over it
#     bracket it (ceiling: still within the limit 20 dB above the first
#     level, reported there, end = ceiling; floor: over the limit 60 dB
#     below it, reported as nan), then Illinois regula falsi on
#     log10(THD / limit) (bisection after three steps on one side; a step
#     of 0.9 TOL across the nearer end when the estimate is within TOL of
#     it). It stops when the bracket is at most TOL_DB = 0.05 dB wide (the
#     same as ampsweep: p_max at most 1.16 % under the exact crossing) and
#     reports the level within the limit.
#   - ampsweep's limit cause (voltage/current/slew), dissipation and THD
#     curve are not reproduced: the baseline gets the two numbers compared.
#   - Nothing in a netlist is run: lines that ngspice would execute
#     (.control/.endc, '*#') or dot commands outside docs/netlists.md's list
#     are refused, in the netlist and in every file it includes, and so are
#     the reserved instance names (?as_*) the deck adds. .include/.lib paths
#     are resolved beside the netlist, then in models/ (MODELS_DIR), and
#     written into the deck as absolute paths; nested includes are resolved
#     by ngspice (relative to the including file), as in ampsweep.
# Environment: MODELS_DIR (default: the repo's models/), NGSPICE (ngspice),
#   SETTLE_S, SETTLE_MIN, SETTLE_MAX, TOL_DB, THD_LIMIT (see above); LOADS
#   and TRAN_FREQS (blank-separated; default 4 8 16 32 100 300 600 and
#   20 1000 20000); JOBS, the ngspice processes run at once (default 1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
models_dir=${MODELS_DIR:-$here/../../models}
ngspice=${NGSPICE:-ngspice}
settle_s=${SETTLE_S:-0}
settle_min=${SETTLE_MIN:-5}
settle_max=${SETTLE_MAX:-5}
tol_db=${TOL_DB:-0.05}
thd_limit=${THD_LIMIT:-1}
loads=${LOADS:-4 8 16 32 100 300 600}
tran_freqs=${TRAN_FREQS:-20 1000 20000}
jobs=${JOBS:-1}

die() { echo "baseline: $*" >&2; exit 2; }
isnum() { [[ $1 =~ ^[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?$ ]]; }

[ $# -ge 2 ] || die "usage: $0 OUTDIR NETLIST_OR_FOLDER..."
for v in "$settle_s" "$settle_min" "$settle_max" "$tol_db" "$thd_limit" "$jobs" $loads $tran_freqs; do
    isnum "$v" || die "not a number: '$v'"
done
command -v "$ngspice" >/dev/null || die "no '$ngspice' (apt-get install -y ngspice)"
[ -d "$models_dir" ] && models_dir=$(cd "$models_dir" && pwd)
out=$1
shift
mkdir -p "$out/decks"

files=()
for t in "$@"; do
    if [ -d "$t" ]; then
        while IFS= read -r f; do files+=("$f"); done < <(find "$t" -type f -name '*.cir' | LC_ALL=C sort)
    elif [ -f "$t" ]; then
        files+=("$t")
    else
        die "$t: no such file or folder"
    fi
done
[ ${#files[@]} -gt 0 ] || die "no *.cir in $*"

# resolve FILE [DIR]: the include target beside DIR, then in models/
resolve() {
    local target=$1 dir=$2 c
    case $target in
    /*) [ -f "$target" ] && { realpath "$target"; return 0; } ;;
    *) for c in "$dir/$target" "$models_dir/$target"; do
        [ -f "$c" ] && { realpath "$c"; return 0; }
    done ;;
    esac
    return 1
}

# The include target of an .include/.inc/.lib line (quotes stripped).
include_target() {
    awk '{ sub(/^[ \t]*[^ \t]+[ \t]+/, "")
           if (substr($0, 1, 1) == "\"" || substr($0, 1, 1) == "'\''") {
               q = substr($0, 1, 1); s = substr($0, 2); i = index(s, q)
               if (i) print substr(s, 1, i - 1)
           } else { split($0, a, /[ \t]+/); print a[1] } }' <<<"$1"
}

# check_lines FILE [FIRST]: refuse what ngspice would execute, from line
# FIRST on (2 for a netlist: its first line is the title). Prints the
# include lines (LINENO<TAB>TEXT) for the caller to resolve.
check_lines() {
    awk -v f="$1" -v first="${2:-1}" '
    BEGIN { ok = " .include .inc .lib .endl .subckt .ends .model .param .func .global .option .options .opt .temp .ic .nodeset .title .end " }
    NR < first { next }
    { l = tolower($0); sub(/\r$/, "", l); sub(/^[ \t]+/, "", l) }
    l ~ /^\*#/ { printf "%s:%d: a \"*#\" line would run a command\n", f, NR > "/dev/stderr"; bad = 1; next }
    l ~ /^\./ {
        split(l, w, /[ \t(]+/)
        if (index(ok, " " w[1] " ") == 0) {
            printf "%s:%d: \"%s\" is refused (an analysis, output or control command)\n", f, NR, w[1] > "/dev/stderr"; bad = 1; next }
        if (w[1] == ".end") exit
        if (w[1] == ".include" || w[1] == ".inc" || (w[1] == ".lib" && split(l, x, /[ \t]+/) >= 3)) print NR "\t" $0
    }
    END { exit bad }' "$1"
}

# scan_included FILE DEPTH: included files pass the same refusals.
scan_included() {
    local file=$1 depth=$2 n text target abs inc
    [ "$depth" -le 10 ] || { echo "baseline: $file: includes nest deeper than 10" >&2; return 1; }
    inc=$(check_lines "$file") || return 1
    while IFS=$'\t' read -r n text; do
        [ -n "$n" ] || continue
        target=$(include_target "$text")
        abs=$(resolve "$target" "$(dirname "$file")") || continue # ngspice will say
        scan_included "$abs" $((depth + 1)) || return 1
    done <<<"$inc"
}

# the .control block; @X@ are filled in below
control_block() {
    cat <<'EOF'
.control
* State lives in the constants plot: vectors created before the first
* analysis are there, found from every plot and changed in place by let;
* the bl_ prefix keeps them clear of the circuit's node names.
set nfreqs = 11
set fourgridsize = 1024
let bl_lim = @THD_LIMIT@
let bl_tol = @TOL_DB@
let bl_target = (@SPAN@) / 2
if bl_target = 0
  let bl_target = 10
end
let bl_nfour = 0
let bl_k = 0
let bl_n = 0
let bl_fk = 0
let bl_dk = 0
let bl_rl = 0
let bl_fr = 0
let bl_g = 0
let bl_x0 = 0
let bl_per = 0
let bl_settle = 0
let bl_tmax = 0
let bl_tstop = 0
let bl_tstart = 0
let bl_t0 = 0
let bl_x = 0
let bl_lvl = 0
let bl_haslo = 0
let bl_hashi = 0
let bl_lo = 0
let bl_hi = 0
let bl_ylo = 0
let bl_yhi = 0
let bl_plo = 0
let bl_thdlo = 0
let bl_step = 0
let bl_side = 0
let bl_streak = 0
let bl_runs = 0
let bl_state = 0
let bl_tend = 0
let bl_thd = 0
let bl_p = 0
let bl_y = 0
let bl_w = 0
* ---- small-signal: open output (1 TOhm), then every load ----
ac dec 10 20 20k
let bl_gopen = db(v(out) / v(in))
set bl_openplot = "$curplot"
foreach r @LOADS@
  alterparam as_rload = $r
  reset
  let bl_rl = $r
  ac dec 10 20 20k
  let bl_dev = db(v(out) / v(in)) - {$bl_openplot}.bl_gopen
  let bl_k = 0
  let bl_n = length(bl_dev)
  while bl_k < bl_n
    let bl_fk = real(frequency[bl_k])
    let bl_dk = bl_dev[bl_k]
    echo BLFR $r $&bl_fk $&bl_dk
    let bl_k = bl_k + 1
  end
* ---- large-signal: the clipping search at each frequency ----
  foreach f @TRAN_FREQS@
    let bl_fr = $f
    ac lin 1 $f $f
    let bl_g = mag(v(out) / v(in))
    let bl_x0 = 0
    if bl_g > 1e-6
      let bl_x0 = 20 * log10(bl_target / bl_g)
    end
    let bl_per = 1 / bl_fr
    let bl_settle = ceil(@SETTLE_S@ * bl_fr)
    if bl_settle < @SETTLE_MIN@
      let bl_settle = @SETTLE_MIN@
    end
    if bl_settle > @SETTLE_MAX@
      let bl_settle = @SETTLE_MAX@
    end
    let bl_tmax = bl_per / 200
    let bl_tstop = (bl_settle + 1) * bl_per
    let bl_tstart = bl_settle * bl_per - 2 * bl_tmax
    let bl_t0 = bl_tstop - bl_per
    let bl_x = bl_x0
    let bl_haslo = 0
    let bl_hashi = 0
    let bl_step = 6
    let bl_side = 0
    let bl_streak = 0
    let bl_runs = 0
    let bl_state = 0
    if bl_g <= 1e-6
      let bl_state = 5
    end
    while bl_state = 0
      let bl_lvl = 10 ^ (bl_x / 20)
      alter @vas_in[sin] = [ 0 $&bl_lvl $&bl_fr ]
      tran $&bl_tmax $&bl_tstop $&bl_tstart $&bl_tmax
      let bl_runs = bl_runs + 1
      let bl_tend = time[length(time) - 1]
      if bl_tend < bl_tstop * (1 - 1e-6)
        let bl_state = 4
        break
      end
      fourier $&bl_fr v(out)
      let bl_nfour = bl_nfour + 1
      set bl_nf = "$&bl_nfour"
      let bl_h = fourier{$bl_nf}1[1]
      let bl_thd = 100 * sqrt(mean(bl_h[2,10] ^ 2) * 9) / bl_h[1]
      meas tran bl_vrms rms v(out) from=$&bl_t0 to=$&bl_tstop
      meas tran bl_vavg avg v(out) from=$&bl_t0 to=$&bl_tstop
      let bl_p = (bl_vrms ^ 2 - bl_vavg ^ 2) / bl_rl
      let bl_y = log10((bl_thd + 1e-12) / bl_lim)
      echo BLEV $r $f $&bl_x $&bl_thd $&bl_p $&bl_vavg
      destroy $curplot
      if bl_thd <= bl_lim
        if bl_haslo = 0 | bl_x > bl_lo
          let bl_lo = bl_x
          let bl_ylo = bl_y
          let bl_plo = bl_p
          let bl_thdlo = bl_thd
        end
        if bl_side = -1 & bl_hashi = 1
          let bl_yhi = bl_yhi / 2
          let bl_streak = bl_streak + 1
        else
          let bl_streak = 1
        end
        let bl_haslo = 1
        let bl_side = -1
      else
        if bl_hashi = 0 | bl_x < bl_hi
          let bl_hi = bl_x
          let bl_yhi = bl_y
        end
        if bl_side = 1 & bl_haslo = 1
          let bl_ylo = bl_ylo / 2
          let bl_streak = bl_streak + 1
        else
          let bl_streak = 1
        end
        let bl_hashi = 1
        let bl_side = 1
      end
      if bl_haslo = 1 & bl_hashi = 1
        let bl_w = bl_hi - bl_lo
        if bl_w <= bl_tol
          let bl_state = 1
        else
          let bl_x = bl_lo + bl_w * bl_ylo / (bl_ylo - bl_yhi)
          if bl_streak >= 3
            let bl_x = bl_lo + bl_w / 2
            let bl_streak = 0
          end
          if bl_x - bl_lo < bl_tol
            let bl_x = bl_lo + 0.9 * bl_tol
          end
          if bl_hi - bl_x < bl_tol
            let bl_x = bl_hi - 0.9 * bl_tol
          end
        end
      else
        if bl_haslo = 1
          if bl_lo >= bl_x0 + 20
            let bl_state = 2
          else
            let bl_x = bl_lo + bl_step
            if bl_x > bl_x0 + 20
              let bl_x = bl_x0 + 20
            end
          end
        else
          if bl_hi <= bl_x0 - 60
            let bl_state = 3
          else
            let bl_x = bl_hi - bl_step
            if bl_x < bl_x0 - 60
              let bl_x = bl_x0 - 60
            end
          end
        end
        let bl_step = 2 * bl_step
      end
    end
    if bl_state = 1 | bl_state = 2
      echo BLPW $r $f $&bl_plo $&bl_thdlo $&bl_runs $&bl_state $&bl_lo
    else
      echo BLPW $r $f nan nan $&bl_runs $&bl_state nan
    end
  end
end
quit
.endc
EOF
}

t_all0=$(date +%s.%N)
printf 'amp,load_ohm,freq_hz,dev_db\n' >"$out/fr.csv"
printf 'amp,load_ohm,freq_hz,p_max_w,thd_pct,runs,end\n' >"$out/power.csv"
seen=" "
status=0
names=()
for f in "${files[@]}"; do
    name=$(awk 'tolower($0) ~ /^\*@[ \t]*name[ \t]*=/ { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t\r]+$/, ""); print; exit }' "$f")
    [[ $name =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || { echo "baseline: $f: no valid '*@ name'" >&2; status=2; continue; }
    case $seen in *" $name "*) die "$f: amp name '$name' used twice" ;; esac
    seen="$seen$name "
    # refusals, in the netlist and what it includes
    includes=$(check_lines "$f" 2) || { status=2; continue; }
    if awk 'NR > 1 { l = tolower($0); sub(/^[ \t]+/, "", l) }
            NR > 1 && l ~ /^[a-z]as_/ { printf "%s:%d: instance names ?as_* are reserved for the harness\n", FILENAME, NR > "/dev/stderr"; bad = 1 }
            END { exit !bad }' "$f"; then
        status=2
        continue
    fi
    dir=$(dirname "$f")
    rewrite="" ok=1
    while IFS=$'\t' read -r n text; do
        [ -n "$n" ] || continue
        target=$(include_target "$text")
        if ! abs=$(resolve "$target" "$dir"); then
            echo "baseline: $f:$n: include '$target' found neither beside the netlist nor in $models_dir" >&2
            ok=0
        elif [[ $abs == *'"'* ]] || ! scan_included "$abs" 1; then
            echo "baseline: $f:$n: '$target' refused" >&2
            ok=0
        fi
        rewrite+="$n"$'\t'"$abs"$'\n'
    done <<<"$includes"
    [ "$ok" -eq 1 ] || { status=2; continue; }
    # supplies: the DC value of each '*@ supply' source
    span="0"
    while read -r s; do
        [ -n "$s" ] || continue
        [[ $s =~ ^[A-Za-z][A-Za-z0-9_]*$ ]] || die "$f: bad '*@ supply = $s'"
        span="$span + abs(@${s}[dc])"
    done < <(awk 'tolower($0) ~ /^\*@[ \t]*supply[ \t]*=/ { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t\r]+$/, ""); print }' "$f")
    deck="$out/decks/$name.cir"
    {
        echo "baseline: $name"
        # the netlist's lines after its title, up to .end, includes made absolute
        rw="$rewrite" awk '
            BEGIN { n = split(ENVIRON["rw"], a, "\n"); for (i = 1; i <= n; i++) if (split(a[i], b, "\t") == 2) abs[b[1]] = b[2] }
            NR == 1 { next }
            { l = tolower($0); sub(/^[ \t]+/, "", l); split(l, w, /[ \t]+/) }
            w[1] == ".end" { exit }
            NR in abs {
                if (w[1] == ".lib") { sec = $0; sub(/^[ \t]*[^ \t]+[ \t]+("[^"]*"|'\''[^'\'']*'\''|[^ \t]+)/, "", sec); print ".lib \"" abs[NR] "\"" sec }
                else print ".include \"" abs[NR] "\""
                next }
            { print }' "$f"
        echo "* added by the baseline (names as docs/netlists.md reserves them)"
        echo "vas_in in 0 dc 0 ac 1 sin(0 0 1000)"
        echo "vas_il out as_lo dc 0"
        echo ".param as_rload = 1e12"
        echo "ras_load as_lo 0 {as_rload}"
        control_block | sed -e "s/@THD_LIMIT@/$thd_limit/" -e "s/@TOL_DB@/$tol_db/" \
            -e "s/@SPAN@/$span/" -e "s/@LOADS@/$loads/" -e "s/@TRAN_FREQS@/$tran_freqs/" \
            -e "s/@SETTLE_S@/$settle_s/" -e "s/@SETTLE_MIN@/$settle_min/g" -e "s/@SETTLE_MAX@/$settle_max/g"
        echo ".end"
    } >"$deck"
    names+=("$name")
done
# run the decks, JOBS at a time (a user with several cores runs several
# ngspice processes: one per netlist, as xargs -P does)
printf '%s\n' "${names[@]}" | xargs -r -P "$jobs" -I{} sh -c \
    '"$0" -b "$1/{}.cir" >"$1/{}.log" 2>&1; echo $? >"$1/{}.rc"' "$ngspice" "$out/decks"
for name in "${names[@]}"; do
    rc=$(cat "$out/decks/$name.rc")
    awk -v amp="$name" '$1 == "BLFR" { printf "%s,%s,%s,%s\n", amp, $2, $3, $4 }' "$out/decks/$name.log" >>"$out/fr.csv"
    awk -v amp="$name" '$1 == "BLPW" {
            e = ($7 == 1) ? "found" : ($7 == 2) ? "ceiling" : ($7 == 3) ? "floor" : ($7 == 4) ? "simfail" : "nogain"
            printf "%s,%s,%s,%s,%s,%s,%s\n", amp, $2, $3, $4, $5, $6, e }' "$out/decks/$name.log" >>"$out/power.csv"
    nerr=$(grep -c 'Error' "$out/decks/$name.log" || true)
    nfr=$(grep -c '^BLFR ' "$out/decks/$name.log" || true)
    npw=$(grep -c '^BLPW ' "$out/decks/$name.log" || true)
    awk -v n="$name" -v r="$rc" -v x="$nfr" -v y="$npw" -v e="$nerr" \
        'BEGIN { printf "baseline: %s: %d fr rows, %d power rows%s%s\n", n, x, y,
                 r ? ", ngspice exit " r : "", e ? ", " e " ngspice errors (see the log)" : "" }' >&2
    nl=$(wc -w <<<"$loads")
    nt=$(wc -w <<<"$tran_freqs")
    [ "$rc" -eq 0 ] && [ "$nerr" -eq 0 ] && [ "$nfr" -eq $((31 * nl)) ] && [ "$npw" -eq $((nl * nt)) ] || status=1
done
t_all1=$(date +%s.%N)
awk -v a="$t_all0" -v b="$t_all1" -v n="${#files[@]}" 'BEGIN { printf "baseline: %d netlists in %.1f s\n", n, b - a }' >&2
exit "$status"
