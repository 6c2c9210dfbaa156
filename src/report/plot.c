/* plot: writes the gnuplot scripts of the figures the issue asks for and
 * has gnuplot draw them. Exists so that the pictures come from the result
 * files alone and stay editable: every figure is a plain script beside its
 * image, reading the CSVs in the results folder.
 *
 * Scripts address columns by name: each reads one table and defines its
 * columns at the top from results/schema.h (c_p_max_w = 5), then uses
 * column(c_p_max_w) and strcol(c_amp), so a script stays readable and a
 * column's position lives in one place.
 *
 * Scripts quote every string from the results as a gnuplot single-quoted
 * string ('' for a quote) and use noenhanced text, so a name cannot change
 * what a script does. */
#include "report/plot.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/csv.h"
#include "base/name.h"
#include "judge/verdict.h"
#include "report/failmap.h"
#include "report/findings.h"
#include "report/gprun.h"
#include "results/schema.h"

/* ---- colours ---------------------------------------------------------- */

static const char *const amp_colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                          "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
#define N_AMP_COLOURS (sizeof amp_colours / sizeof amp_colours[0])

const char *plot_amp_colour(size_t i)
{
    return amp_colours[i % N_AMP_COLOURS];
}

/* The failure map's colours, by enum failmap_code. */
/* pass, then each criterion in judge/verdict.h's order, then unknown */
static const char *const map_colours[] = {"#1a9850", "#d73027", "#fc8d59", "#7b3294",
                                          "#8c510a", "#2c7bb6", "#e7298a", "#bdbdbd"};
_Static_assert(sizeof map_colours / sizeof *map_colours == FAILMAP_N_CODES,
               "a colour for every failure-map code");

/* amp colour mixed towards white (t < 0) or black (t > 0), |t| <= 1 */
static void shade(const char *hex, double t, char out[8])
{
    unsigned rgb = (unsigned)strtoul(hex + 1, NULL, 16);
    unsigned c[3] = {(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255};
    for (int i = 0; i < 3; i++) {
        double v = c[i];
        v = t < 0 ? v + (255 - v) * -t : v * (1 - t);
        c[i] = (unsigned)lround(v);
    }
    snprintf(out, 8, "#%02x%02x%02x", c[0] & 255, c[1] & 255, c[2] & 255);
}

/* ---- failure_map.csv --------------------------------------------------- */

/* The one derived table a figure reads (plots/failure_map.csv): a failure
 * map cell per row, laid out like the result tables (the point first). */
#define MAP_COLUMNS(X)                                                                             \
    X(MAP_AMP, amp)                                                                                \
    X(MAP_LOAD, load)                                                                              \
    X(MAP_LOAD_OHM, load_ohm)                                                                      \
    X(MAP_FREQ_HZ, freq_hz)                                                                        \
    X(MAP_ROW, row)                                                                                \
    X(MAP_F_LO_HZ, f_lo_hz)                                                                        \
    X(MAP_F_HI_HZ, f_hi_hz)                                                                        \
    X(MAP_FIRST_FAIL, first_fail)                                                                  \
    X(MAP_CODE, code)
#define MAP_COL_ENUM_(id, name) id,
enum map_col { MAP_COLUMNS(MAP_COL_ENUM_) MAP_N_COLS };
_Static_assert((int)MAP_AMP == (int)RESULTS_FR_AMP && (int)MAP_LOAD == (int)RESULTS_FR_LOAD &&
                   (int)MAP_LOAD_OHM == (int)RESULTS_FR_LOAD_OHM &&
                   (int)MAP_FREQ_HZ == (int)RESULTS_FR_FREQ_HZ,
               "failure_map.csv starts with the point columns");

static const char *const map_cols[] = {MAP_COLUMNS(RESULTS_COL_NAME_)};
static const struct results_schema map_schema = {
    "failure_map.csv", RESULTS_SCHEMA_HEADER(MAP_COLUMNS), map_cols, MAP_N_COLS};

/* ---- script writer ---------------------------------------------------- */

struct gp {
    struct afile *f;
    FILE *fp;
};

static void gp_printf(struct gp *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void gp_printf(struct gp *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g->fp, fmt, ap);
    va_end(ap);
}

/* s as a gnuplot single-quoted string; control characters become spaces. */
static void gp_str(struct gp *g, const char *s)
{
    fputc('\'', g->fp);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("''", g->fp);
        else
            fputc((unsigned char)*s < 32 ? ' ' : *s, g->fp);
    }
    fputc('\'', g->fp);
}

/* The name a script gives column col of table t: "c_" and its header word
 * (c_p_max_w). Every script defines them for the one table it reads. */
struct colvar {
    char s[48];
};

static struct colvar colvar(const struct results_schema *t, int col)
{
    struct colvar v;
    snprintf(v.s, sizeof v.s, "c_%s", results_col_name(t, col));
    return v;
}

/* Defines the script's column names for table tab: "c_amp = 1", ... */
static void gp_columns(struct gp *g, const struct results_schema *tab)
{
    gp_printf(g, "# the columns of %s, by name\n", tab->file);
    for (size_t i = 0; i < tab->n_cols; i++)
        gp_printf(g, "%s = %zu\n", colvar(tab, (int)i).s, i + 1);
}

static void fmt_ohm(double ohm, char *buf, size_t len)
{
    findings_ohm(ohm, buf, len);
}

static void fmt_power(double w, char *buf, size_t len)
{
    if (w >= 1)
        snprintf(buf, len, "%.3g W", w);
    else
        snprintf(buf, len, "%.3g mW", w * 1e3);
}

/* Opens plots/STEM.gp and writes the preamble: where the data are, the CSV
 * dialect, the names of the columns of table (the one the script reads),
 * the helper functions. */
static enum as_status gp_open(const char *plots, const char *stem, const char *caption,
                              const struct results_schema *table, struct gp *g, char *err,
                              size_t errlen)
{
    char path[PATH_MAX + 128], abs_dir[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.gp", plots, stem);
    enum as_status st = afile_open(path, &g->f, err, errlen);
    if (st != AS_OK)
        return st;
    g->fp = afile_fp(g->f);
    if (!realpath(plots, abs_dir))
        snprintf(abs_dir, sizeof abs_dir, "%s", plots);
    gp_printf(g,
              "# ampsweep figure %s: %s\n"
              "# Written by 'ampsweep plot'; edit it freely and re-render with\n"
              "#     gnuplot %s/%s.gp\n"
              "# from any folder. It reads the CSV files of the results folder one level up\n"
              "# (columns in docs/metrics.md) and writes %s.png and %s.svg beside itself.\n\n",
              stem, caption, PLOT_SUBDIR, stem, stem, stem);
    gp_printf(g, "# this script's folder, from its own path (ARG0)\n"
                 "here = ARG0\n"
                 "i = strlen(here)\n"
                 "while (i > 0 && here[i:i] ne '/') { i = i - 1 }\n"
                 "here = i > 0 ? here[1:i] : (strlen(ARG0) > 0 ? './' : ");
    char fallback[PATH_MAX + 2];
    snprintf(fallback, sizeof fallback, "%s/", abs_dir);
    gp_str(g, fallback);
    gp_printf(g, ")\n"
                 "data = here.'../'\n"
                 "set datafile separator comma\n"
                 "set datafile missing NaN\n");
    gp_columns(g, table);
    /* the point columns are the same in every table a script reads */
    const struct results_schema *pt = results_schema(RESULTS_FR);
    gp_printf(g,
              "# a row of amp a into load l of o ohm; at frequency f\n"
              "is(a, l) = strcol(%s) eq a && strcol(%s) eq l\n"
              "sel(a, l, o) = is(a, l) && abs(column(%s) - o) <= 1e-9 * o\n"
              "at(f) = abs(column(%s) - f) <= 1e-6 * f\n\n",
              colvar(pt, RESULTS_FR_AMP).s, colvar(pt, RESULTS_FR_LOAD).s,
              colvar(pt, RESULTS_FR_LOAD_OHM).s, colvar(pt, RESULTS_FR_FREQ_HZ).s);
    return AS_OK;
}

/* The loop that draws the body twice, into PNG and into SVG. */
static void gp_begin_terminals(struct gp *g, const char *stem, int w, int h)
{
    gp_printf(g,
              "do for [fmt in \"png svg\"] {\n"
              "    if (fmt eq \"png\") {\n"
              "        set terminal pngcairo size %d,%d font \"DejaVu Sans,10\" noenhanced\n"
              "    } else {\n"
              "        set terminal svg size %d,%d font \"DejaVu Sans,10\" noenhanced "
              "background rgb \"white\"\n"
              "    }\n"
              "    set output here.'%s.'.fmt\n",
              w, h, w, h, stem);
}

static void gp_end_terminals(struct gp *g)
{
    gp_printf(g, "    unset output\n}\n");
}

static enum as_status gp_close(struct gp *g, char *err, size_t errlen)
{
    return afile_commit(g->f, ferror(g->fp) ? EIO : 0, err, errlen);
}

/* ---- what the results hold -------------------------------------------- */

/* Distinct devices of an amp in dissipation.csv, "total" left out. */
static size_t device_names(const struct results *r, const char *amp, const char **names, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < r->n_diss; i++) {
        const struct results_diss *d = &r->diss[i];
        if (strcmp(d->amp, amp) != 0 || strcmp(d->device, "total") == 0)
            continue;
        size_t k = 0;
        while (k < n && strcmp(names[k], d->device) != 0)
            k++;
        if (k == n && n < max)
            names[n++] = d->device;
    }
    return n;
}

/* The resistive load of an amp nearest want ohm (log distance), or NAN. */
static double nearest_resistor(const struct results_amp *a, double want)
{
    double best = NAN;
    for (size_t i = 0; i < a->n_loads; i++) {
        double o = a->loads[i].load_ohm;
        if (strcmp(a->loads[i].load, AS_LOAD_RESISTOR) != 0 || !(o > 0))
            continue;
        if (isnan(best) || fabs(log(o / want)) < fabs(log(best / want)))
            best = o;
    }
    return best;
}

/* ---- amps in groups ----------------------------------------------------- */

/* A figure with a key entry per amp draws at most PLOT_MAX_KEYED amps; a
 * sweep of more gets one such figure per group of amps (STEM, STEM_2, ...). */
struct amps_span {
    size_t a0, a1; /* amps a0 .. a1-1 */
};

static void group_stem(const char *base, size_t g, char *out, size_t len)
{
    if (g == 0)
        snprintf(out, len, "%s", base);
    else
        snprintf(out, len, "%s_%zu", base, g + 1);
}

static void group_note(const struct results *r, struct amps_span sp, char *out, size_t len)
{
    out[0] = '\0';
    if (sp.a0 > 0 || sp.a1 < r->n_amps)
        snprintf(out, len, " (amps %zu to %zu of %zu)", sp.a0 + 1, sp.a1, r->n_amps);
}

/* Labelled tics on a log axis from lo to hi: 1-2-5 in each decade, or
 * 1-2-3-4-5-6-8 when the axis spans less than a decade and a half. */
static void gp_log_tics(struct gp *g, const char *axis, double lo, double hi)
{
    static const double wide[] = {1, 2, 5}, narrow[] = {1, 2, 3, 4, 5, 6, 8};
    int fine = hi / lo < 30;
    const double *m = fine ? narrow : wide;
    size_t nm = fine ? 7 : 3, n = 0;
    gp_printf(g, "    set %s (", axis);
    for (double d = pow(10, floor(log10(lo))); d <= hi; d *= 10)
        for (size_t i = 0; i < nm; i++)
            if (m[i] * d >= lo && m[i] * d <= hi)
                gp_printf(g, "%s%.6g", n++ ? ", " : "", m[i] * d);
    gp_printf(g, ")\n");
}

/* The load axis of the figures against the swept resistors: their range
 * with a margin, and labelled tics. */
static void gp_load_axis(struct gp *g, const struct results *r)
{
    const struct results_settings *s = &r->settings;
    double lo = NAN, hi = NAN;
    for (size_t i = 0; i < s->n_loads_ohm; i++)
        if (s->loads_ohm[i] > 0) {
            lo = isnan(lo) ? s->loads_ohm[i] : fmin(lo, s->loads_ohm[i]);
            hi = isnan(hi) ? s->loads_ohm[i] : fmax(hi, s->loads_ohm[i]);
        }
    if (isnan(lo))
        return;
    gp_printf(g, "    set xrange [%.6g:%.6g]\n", lo / 1.15, hi * 1.15);
    gp_log_tics(g, "xtics", lo / 1.15, hi * 1.15);
}

/* ---- figures ---------------------------------------------------------- */

static const char *const dash[] = {"1", "2", "4", "5", "3"};
#define N_DASH 5

/* power_vs_load: p_max_w of power.csv against the resistors, a line per amp
 * of sp at the reference frequency (keyed) and at the other large-signal
 * frequencies (thin, dashed), a point per amp at each load file's nominal
 * impedance, and the power the default speaker and headphone need. */
static enum as_status fig_power(const struct results *r, struct amps_span sp, double ref,
                                const char *plots, const char *stem, const char *caption, char *err,
                                size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = results_schema(RESULTS_POWER);
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    const struct results_settings *s = &r->settings;
    const struct verdict_settings *vs = &s->verdict;
    double p_spk =
        verdict_required_w(VERDICT_SPEAKER, vs->spk_sens_db, vs->spk_distance_m,
                           vs->spk_pair_gain_db + vs->spk_room_gain_db, vs->spk_target_db);
    double p_hp = verdict_required_w(VERDICT_HEADPHONE, vs->hp_sens_db, NAN, 0, vs->hp_target_db);
    gp_begin_terminals(&g, stem, 1100, 640);
    gp_printf(&g,
              "    set title 'Maximum output power at %.3g %% THD against load: solid %.4g Hz%s; "
              "dots: load models'\n"
              "    set xlabel 'load (Ω)'\n    set ylabel 'maximum output power (W)'\n"
              "    set logscale xy\n    set format xy '%%g'\n"
              "    set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
              "    set key outside right top box\n",
              s->thd_limit_pct, ref,
              s->n_tran_freqs_hz > 1 ? ", dashed the other frequencies" : "");
    gp_load_axis(&g, r);
    char pw[64];
    if (isfinite(p_spk)) {
        fmt_power(p_spk, pw, sizeof pw);
        gp_printf(&g,
                  "    set arrow 1 from graph 0, first %.10g to graph 1, first %.10g nohead lw 2 "
                  "dt 2 lc rgb 'black' front\n"
                  "    set label 1 \"a %.3g dB/W speaker\\nneeds %s\\nfor %.3g dB at %.3g m\" at "
                  "graph 1.02, first %.10g left font ',9'\n",
                  p_spk, p_spk, vs->spk_sens_db, pw, vs->spk_target_db, vs->spk_distance_m, p_spk);
    }
    if (isfinite(p_hp)) {
        fmt_power(p_hp, pw, sizeof pw);
        gp_printf(&g,
                  "    set arrow 2 from graph 0, first %.10g to graph 1, first %.10g nohead lw 2 "
                  "dt 4 lc rgb '#666666' front\n"
                  "    set label 2 \"a %.3g dB/mW headphone\\nneeds %s\\nfor %.3g dB\" at graph "
                  "1.02, first %.10g left font ',9'\n",
                  p_hp, p_hp, vs->hp_sens_db, pw, vs->hp_target_db, p_hp);
    }
    gp_printf(&g, "    plot \\\n");
    struct colvar ohm = colvar(tab, RESULTS_POWER_LOAD_OHM),
                  pmax = colvar(tab, RESULTS_POWER_P_MAX_W);
    for (size_t i = sp.a0; i < sp.a1; i++) {
        const char *name = r->amps[i].name, *col = plot_amp_colour(i);
        for (size_t f = 0; f < s->n_tran_freqs_hz; f++) {
            int is_ref = s->tran_freqs_hz[f] == ref;
            gp_printf(&g, "        data.'%s' using %s:(is(", tab->file, ohm.s);
            gp_str(&g, name);
            gp_printf(&g, ", '%s') && at(%.10g) ? column(%s) : NaN) with %s lc rgb '%s' ",
                      AS_LOAD_RESISTOR, s->tran_freqs_hz[f], pmax.s,
                      is_ref ? "linespoints lw 2 pt 7 ps 0.7" : "lines lw 1 dt 2", col);
            if (is_ref) {
                gp_printf(&g, "title ");
                gp_str(&g, name);
                gp_printf(&g, ", \\\n");
            } else {
                gp_printf(&g, "notitle, \\\n");
            }
        }
        gp_printf(&g, "        data.'%s' using %s:(strcol(c_amp) eq ", tab->file, ohm.s);
        gp_str(&g, name);
        gp_printf(&g,
                  " && strcol(c_load) ne '%s' && at(%.10g) ? column(%s) : NaN) with points pt 7 "
                  "ps 1.5 lc rgb '%s' notitle, \\\n",
                  AS_LOAD_RESISTOR, ref, pmax.s, col);
    }
    gp_printf(&g, "        NaN notitle\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* The fr_dev figure's axes for amp a: dev_db from lo to hi (room for the
 * allowed deviation lim), the colour scale over the loads' ohms. */
static void fr_dev_ranges(const struct results *r, const struct results_amp *a, double lim,
                          double *lo, double *hi, double *omin, double *omax)
{
    *lo = 0;
    *hi = 0;
    *omin = NAN;
    *omax = NAN;
    for (size_t i = 0; i < r->n_fr; i++)
        if (strcmp(r->fr[i].amp, a->name) == 0 && isfinite(r->fr[i].dev_db)) {
            *lo = fmin(*lo, r->fr[i].dev_db);
            *hi = fmax(*hi, r->fr[i].dev_db);
        }
    for (size_t i = 0; i < a->n_loads; i++)
        if (a->loads[i].load_ohm > 0) {
            *omin = isnan(*omin) ? a->loads[i].load_ohm : fmin(*omin, a->loads[i].load_ohm);
            *omax = isnan(*omax) ? a->loads[i].load_ohm : fmax(*omax, a->loads[i].load_ohm);
        }
    if (isnan(*omin) || *omin == *omax) {
        *omin = isnan(*omin) ? 1 : *omin / 2;
        *omax = isnan(*omax) ? 1000 : *omax * 2;
    }
    *lo = fmin(*lo, -1.5 * lim);
    *hi = fmax(*hi, 0) + 0.25 * lim;
}

/* fr_dev_AMP: dev_db of fr.csv against frequency for amp ai, a curve per
 * load shaded by its impedance, with the allowed deviation. */
static enum as_status fig_fr_dev(const struct results *r, size_t ai, const char *plots,
                                 const char *stem, const char *caption, char *err, size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = results_schema(RESULTS_FR);
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    const struct results_amp *a = &r->amps[ai];
    double lim = isfinite(r->settings.verdict.max_dev_db) ? r->settings.verdict.max_dev_db : 1;
    double lo, hi, omin, omax;
    fr_dev_ranges(r, a, lim, &lo, &hi, &omin, &omax);
    char light[8], dark[8];
    shade(plot_amp_colour(ai), -0.75, light);
    shade(plot_amp_colour(ai), 0.55, dark);
    gp_begin_terminals(&g, stem, 1000, 620);
    gp_printf(&g, "    set title ");
    char title[256];
    snprintf(title, sizeof title,
             "%s: response change caused by the load (dev_db), a curve per load", a->name);
    gp_str(&g, title);
    gp_printf(&g,
              "\n"
              "    set xlabel 'frequency (Hz)' offset 0,0.5\n"
              "    set ylabel 'gain into the load minus open-output gain (dB)'\n"
              "    set logscale x\n"
              "    set xrange [*:*]\n"
              "    set yrange [%.6g:%.6g]\n"
              "    set grid xtics ytics mxtics lc rgb '#dddddd'\n"
              "    set palette defined (0 '%s', 1 '%s')\n"
              "    set logscale cb\n"
              "    set cbrange [%.6g:%.6g]\n"
              "    set cblabel 'load (Ω)'\n"
              "    set key outside below horizontal maxrows 2\n"
              "    plot \\\n",
              lo, hi, light, dark, omin, omax);
    size_t named = 0;
    for (size_t i = 0; i < a->n_loads; i++) {
        const struct results_load *l = &a->loads[i];
        int res = strcmp(l->load, AS_LOAD_RESISTOR) == 0;
        if (i > 0 && strcmp(a->loads[i - 1].load, l->load) == 0 &&
            a->loads[i - 1].load_ohm == l->load_ohm)
            continue; /* the same load judged a second way: the same curve */
        gp_printf(&g, "        data.'%s' using %s:(sel(", tab->file,
                  colvar(tab, RESULTS_FR_FREQ_HZ).s);
        gp_str(&g, a->name);
        gp_printf(&g, ", ");
        gp_str(&g, l->load);
        gp_printf(&g, ", %.10g) ? column(%s) : NaN) with lines lw 2 lc palette cb %.10g dt %s ",
                  l->load_ohm, colvar(tab, RESULTS_FR_DEV_DB).s, l->load_ohm > 0 ? l->load_ohm : 1,
                  res ? "1" : dash[1 + named % (N_DASH - 1)]);
        if (res || named >= PLOT_MAX_KEYED - 1) {
            gp_printf(&g, "notitle, \\\n");
        } else {
            char t[256], o[32];
            fmt_ohm(l->load_ohm, o, sizeof o);
            snprintf(t, sizeof t, "%s (%s)", l->load, o);
            gp_printf(&g, "title ");
            gp_str(&g, t);
            gp_printf(&g, ", \\\n");
            named++;
        }
    }
    gp_printf(&g,
              "        %.6g with lines lc rgb '#666666' dt 2 title '%.3g dB: the allowed "
              "deviation (--max-dev-db)'\n",
              -lim, -lim);
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* zout: zout_ohm of fr.csv against frequency, a curve per amp (one load's
 * rows: it is measured open), with the 1/8 rule's line for three loads. */
static enum as_status fig_zout(const struct results *r, struct amps_span sp, const char *plots,
                               const char *stem, const char *caption, char *err, size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = results_schema(RESULTS_FR);
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    gp_begin_terminals(&g, stem, 1000, 620);
    gp_printf(&g, "    set title 'Output impedance |Zout| against frequency, with the 1/8 rule "
                  "for 8, 32 and 300 Ω loads'\n"
                  "    set xlabel 'frequency (Hz)' offset 0,0.5\n"
                  "    set ylabel '|Zout| (Ω)'\n    set format y '%%g'\n"
                  "    set logscale xy\n"
                  "    set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
                  "    set key outside below horizontal maxrows 2\n"
                  "    set rmargin 24\n");
    /* the 1/8 rule's lines, named at their right end (the key holds the
     * amps); drawn as constants, so the plot has points when no amp has a
     * measured |Zout| */
    static const double rule_ohm[] = {8, 32, 300};
    for (int k = 0; k < 3; k++)
        gp_printf(&g,
                  "    set label %d '1/8 rule, %g Ω load: %.3g Ω' at graph 1.02, first %.6g left "
                  "font ',9'\n",
                  k + 1, rule_ohm[k], rule_ohm[k] / 8, rule_ohm[k] / 8);
    gp_printf(&g, "    plot \\\n");
    for (int k = 0; k < 3; k++)
        gp_printf(&g, "        %.6g with lines lw 1.5 lc rgb '#444444' dt %d notitle, \\\n",
                  rule_ohm[k] / 8, k + 2);
    for (size_t i = sp.a0; i < sp.a1; i++) {
        const struct results_amp *a = &r->amps[i];
        if (a->n_loads == 0)
            continue;
        /* Zout is measured with the output open: the same in every load's rows */
        gp_printf(&g, "        data.'%s' using %s:(sel(", tab->file,
                  colvar(tab, RESULTS_FR_FREQ_HZ).s);
        gp_str(&g, a->name);
        gp_printf(&g, ", ");
        gp_str(&g, a->loads[0].load);
        gp_printf(&g,
                  ", %.10g) ? column(%s) : NaN) with linespoints lw 2 pt 7 ps 0.6 lc rgb '%s' "
                  "title ",
                  a->loads[0].load_ohm, colvar(tab, RESULTS_FR_ZOUT_OHM).s, plot_amp_colour(i));
        gp_str(&g, a->name);
        gp_printf(&g, ", \\\n");
    }
    gp_printf(&g, "        NaN notitle\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* thd_vs_power: THD against output power at the reference frequency, a
 * panel for the resistors nearest 8 ohm and one for those nearest 32 ohm,
 * a curve per amp of sp from thd.csv (or the clipping points of power.csv
 * when a folder has no thd.csv). */
static enum as_status fig_thd(const struct results *r, struct amps_span sp, const char *dir,
                              const char *plots, const char *stem, const char *caption, char *err,
                              size_t errlen)
{
    /* thd.csv holds every level measured; results written before it
     * existed have only the clipping level, in power.csv */
    const struct results_schema *tab = results_schema(RESULTS_THD);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, tab->file);
    int curve = access(path, R_OK) == 0;
    if (!curve)
        tab = results_schema(RESULTS_POWER);
    struct colvar x = colvar(tab, curve ? RESULTS_THD_P_W : RESULTS_POWER_P_MAX_W);
    struct colvar y = colvar(tab, curve ? RESULTS_THD_THD_PCT : RESULTS_POWER_THD_PCT);
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    double ref = results_ref_freq_hz(r), lim = r->settings.thd_limit_pct;
    gp_begin_terminals(&g, stem, 1200, 560);
    gp_printf(&g,
              "    set multiplot layout 1,2 title \"THD against output power at %.4g Hz "
              "(dashed: the THD limit, --thd-limit)\"\n"
              "    set xlabel 'output power (W)' offset 0,0.5\n    set ylabel 'THD, harmonics 2-10 "
              "(%%)'\n"
              "    set logscale xy\n    set format xy '%%g'\n    set yrange [*:%.6g]\n"
              "    set grid xtics ytics mxtics lc rgb '#dddddd'\n"
              "    set key outside below horizontal maxrows 2\n"
              "    set arrow 1 from graph 0, first %.6g to graph 1, first %.6g nohead lc rgb "
              "'#666666' dt 2 front\n",
              ref, lim * 30, lim, lim);
    static const double want[] = {8, 32};
    for (int k = 0; k < 2; k++) {
        gp_printf(&g, "    set title 'into the resistor nearest %g Ω'\n    plot \\\n", want[k]);
        for (size_t i = sp.a0; i < sp.a1; i++) {
            double o = nearest_resistor(&r->amps[i], want[k]);
            if (isnan(o))
                continue;
            char t[256], os[32];
            fmt_ohm(o, os, sizeof os);
            snprintf(t, sizeof t, "%s (%s)", r->amps[i].name, os);
            gp_printf(&g, "        data.'%s' using %s:(sel(", tab->file, x.s);
            gp_str(&g, r->amps[i].name);
            gp_printf(&g,
                      ", '%s', %.10g) && at(%.10g) ? column(%s) : NaN) with %s pt 7 ps 1.2 "
                      "lw 2 lc rgb '%s' title ",
                      AS_LOAD_RESISTOR, o, ref, y.s, curve ? "linespoints" : "points",
                      plot_amp_colour(i));
            gp_str(&g, t);
            gp_printf(&g, ", \\\n");
        }
        gp_printf(&g, "        NaN notitle\n");
    }
    gp_printf(&g, "    unset multiplot\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* The CSV files keep 10 significant digits, summary.json all of them. */
static int same_ohm(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fabs(b);
}

/* Whether power.csv holds a measured power: at any frequency and load (thd
 * 0), or at freq_hz into a resistor the THD figure draws (thd 1). */
static int power_drawable(const struct results *r, double freq_hz, int thd)
{
    for (size_t i = 0; i < r->n_power; i++) {
        const struct results_power *p = &r->power[i];
        if (!isfinite(p->p_max_w))
            continue;
        if (!thd)
            return 1;
        for (size_t a = 0; a < r->n_amps; a++)
            if (!strcmp(r->amps[a].name, p->amp) && !strcmp(p->load, AS_LOAD_RESISTOR) &&
                p->freq_hz == freq_hz &&
                (same_ohm(p->load_ohm, nearest_resistor(&r->amps[a], 8)) ||
                 same_ohm(p->load_ohm, nearest_resistor(&r->amps[a], 32))))
                return 1;
    }
    return 0;
}

/* ---- levels.csv -------------------------------------------------------- */

/* The second derived table (plots/levels.csv): summary.json's verdict per
 * amp, load and profile, as a table the level figure reads. */
#define LEV_COLUMNS(X)                                                                             \
    X(LEV_AMP, amp)                                                                                \
    X(LEV_LOAD, load)                                                                              \
    X(LEV_LOAD_OHM, load_ohm)                                                                      \
    X(LEV_PROFILE, profile)                                                                        \
    X(LEV_SPL_DB, spl_db)                                                                          \
    X(LEV_TIER, tier)                                                                              \
    X(LEV_PASS, pass)                                                                              \
    X(LEV_LIMIT, limit)                                                                            \
    X(LEV_P_AVAILABLE_W, p_available_w)
enum lev_col { LEV_COLUMNS(MAP_COL_ENUM_) LEV_N_COLS };
_Static_assert((int)LEV_AMP == (int)RESULTS_FR_AMP && (int)LEV_LOAD == (int)RESULTS_FR_LOAD &&
                   (int)LEV_LOAD_OHM == (int)RESULTS_FR_LOAD_OHM,
               "levels.csv starts with the point columns");
static const char *const lev_cols[] = {LEV_COLUMNS(RESULTS_COL_NAME_)};
static const struct results_schema lev_schema = {"levels.csv", RESULTS_SCHEMA_HEADER(LEV_COLUMNS),
                                                 lev_cols, LEV_N_COLS};

static enum as_status write_levels(const struct results *r, const char *plots, char *err,
                                   size_t errlen)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", plots, lev_schema.file);
    struct csv *c = NULL;
    enum as_status st = csv_open(path, lev_schema.header, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < r->n_amps; i++)
        for (size_t k = 0; k < r->amps[i].n_loads; k++) {
            const struct results_load *l = &r->amps[i].loads[k];
            csv_str(c, r->amps[i].name);
            csv_str(c, l->load);
            csv_num(c, l->load_ohm);
            csv_str(c, l->profile);
            csv_num(c, l->spl_db);
            csv_str(c, l->tier);
            if (l->pass >= 0)
                csv_int(c, l->pass);
            else
                csv_empty(c);
            csv_str(c, l->limit);
            csv_num(c, l->p_available_w);
            csv_end_row(c);
        }
    return csv_commit(c, err, errlen);
}

/* The range of spl_db of profile prof over the amps of sp, NAN if none. */
static void level_range(const struct results *r, struct amps_span sp, const char *prof, double *lo,
                        double *hi, double *olo, double *ohi)
{
    *lo = *hi = *olo = *ohi = NAN;
    for (size_t i = sp.a0; i < sp.a1; i++)
        for (size_t k = 0; k < r->amps[i].n_loads; k++) {
            const struct results_load *l = &r->amps[i].loads[k];
            if (strcmp(l->profile, prof) != 0 || !(l->load_ohm > 0))
                continue;
            *olo = isnan(*olo) ? l->load_ohm : fmin(*olo, l->load_ohm);
            *ohi = isnan(*ohi) ? l->load_ohm : fmax(*ohi, l->load_ohm);
            if (!isfinite(l->spl_db))
                continue;
            *lo = isnan(*lo) ? l->spl_db : fmin(*lo, l->spl_db);
            *hi = isnan(*hi) ? l->spl_db : fmax(*hi, l->spl_db);
        }
}

/* The tier bands of profile p behind the data, each named in the right
 * margin, and the target as a dashed line. */
static void level_bands(struct gp *g, enum verdict_profile p, double ylo, double yhi, double target)
{
    static const char *const fill[] = {"#fbe3e3", "#f4f4f4", "#e8f0f8", "#d5e5f3", "#bcd6ec"};
    double lo = ylo;
    for (int t = -1; t < VERDICT_N_TIERS; t++) {
        double hi =
            t + 1 < VERDICT_N_TIERS ? verdict_tier_min_db(p, (enum verdict_tier)(t + 1)) : yhi;
        double a = fmax(lo, ylo), b = fmin(hi, yhi);
        if (b > a) {
            gp_printf(g,
                      "    set object %d rect from graph 0, first %.6g to graph 1, first %.6g "
                      "behind fc rgb '%s' fs solid 1.0 noborder\n"
                      "    set label %d '%s' at graph 1.01, first %.6g left font ',9'\n",
                      t + 2, a, b, fill[t + 1], t + 2,
                      t < 0 ? VERDICT_TOO_QUIET : verdict_tier_name((enum verdict_tier)t),
                      (a + b) / 2);
        }
        lo = hi;
    }
    /* the target is named in the panel's title: a label inside would cover data */
    gp_printf(g,
              "    set arrow 1 from graph 0, first %.6g to graph 1, first %.6g nohead lw 2 "
              "lc rgb '#333333' dt 2 front\n",
              target, target);
}

/* The load files of profile prof as named tics on the top axis; files
 * within 15 % of each other's impedance share one tic. */
static void level_model_tics(struct gp *g, const struct results *r, struct amps_span sp,
                             const char *prof)
{
    const char *seen[32];
    char label[16][160];
    double at[16];
    size_t n = 0, n_tics = 0;
    for (size_t i = sp.a0; i < sp.a1; i++)
        for (size_t k = 0; k < r->amps[i].n_loads && n < 32; k++) {
            const struct results_load *l = &r->amps[i].loads[k];
            if (strcmp(l->profile, prof) != 0 || strcmp(l->load, AS_LOAD_RESISTOR) == 0)
                continue;
            size_t j = 0;
            while (j < n && strcmp(seen[j], l->load) != 0)
                j++;
            if (j < n)
                continue;
            seen[n++] = l->load;
            size_t t = 0;
            while (t < n_tics && fabs(log(at[t] / l->load_ohm)) > log(1.15))
                t++;
            if (t < n_tics) {
                size_t len = strlen(label[t]);
                snprintf(label[t] + len, sizeof label[t] - len, ", %s", l->load);
            } else if (n_tics < 16) {
                at[n_tics] = l->load_ohm;
                snprintf(label[n_tics++], sizeof label[0], "%s", l->load);
            }
        }
    if (n_tics == 0) {
        gp_printf(g, "    unset x2tics\n");
        return;
    }
    gp_printf(g, "    set x2tics rotate by 30 left font ',9' (");
    for (size_t t = 0; t < n_tics; t++) {
        gp_printf(g, "%s", t ? ", " : "");
        gp_str(g, label[t]);
        gp_printf(g, " %.10g", at[t]);
    }
    gp_printf(g, ")\n");
}

/* One panel of the level figure: profile p's levels, a line per amp over
 * the resistors and a point per amp at each load file. */
static void level_panel(struct gp *g, const struct results *r, struct amps_span sp,
                        enum verdict_profile p)
{
    const char *prof = verdict_profile_name(p);
    const struct verdict_settings *vs = &r->settings.verdict;
    double target = p == VERDICT_SPEAKER ? vs->spk_target_db : vs->hp_target_db;
    double lo, hi, olo, ohi;
    level_range(r, sp, prof, &lo, &hi, &olo, &ohi);
    double first = verdict_tier_min_db(p, VERDICT_TIER_BACKGROUND);
    double top = verdict_tier_min_db(p, VERDICT_TIER_REFERENCE);
    double ylo = 5 * floor((isnan(lo) ? first : fmin(lo, first)) / 5) - 5;
    double yhi = 5 * ceil((isnan(hi) ? top : fmax(hi, top)) / 5) + 5;
    double xlo = isnan(olo) ? 4 : olo / 1.25, xhi = isnan(ohi) ? 600 : ohi * 1.25;
    level_bands(g, p, ylo, yhi, target);
    level_model_tics(g, r, sp, prof);
    gp_log_tics(g, "xtics nomirror", xlo, xhi);
    gp_printf(g,
              "    set title \"%s: %s, target %.3g dB (dashed)\\n(filled: passes every "
              "criterion, open: fails one)\"\n"
              "    set xrange [%.6g:%.6g]\n    set x2range [%.6g:%.6g]\n"
              "    set yrange [%.6g:%.6g]\n    plot \\\n",
              p == VERDICT_SPEAKER ? "Speakers" : "Headphones",
              p == VERDICT_SPEAKER ? "peak level at the seat" : "peak level at the ear", target,
              xlo, xhi, xlo, xhi, ylo, yhi);
    struct colvar ohm = colvar(&lev_schema, LEV_LOAD_OHM), spl = colvar(&lev_schema, LEV_SPL_DB),
                  pass = colvar(&lev_schema, LEV_PASS), pr = colvar(&lev_schema, LEV_PROFILE);
    for (size_t i = sp.a0; i < sp.a1; i++) {
        for (int model = 0; model < 2; model++) {
            gp_printf(g, "        here.'%s' using %s:(strcol(%s) eq ", lev_schema.file, ohm.s,
                      pr.s);
            gp_str(g, prof);
            gp_printf(g, " && strcol(c_amp) eq ");
            gp_str(g, r->amps[i].name);
            gp_printf(g,
                      " && (strcol(c_load) eq '%s') == %d ? column(%s) : NaN):(ptype(column(%s))) "
                      "with %s pt variable ps %s lc rgb '%s' ",
                      AS_LOAD_RESISTOR, !model, spl.s, pass.s,
                      model ? "points" : "linespoints lw 2", model ? "1.8" : "1.2",
                      plot_amp_colour(i));
            if (model) {
                gp_printf(g, "notitle, \\\n");
            } else {
                gp_printf(g, "title ");
                gp_str(g, r->amps[i].name);
                gp_printf(g, ", \\\n");
            }
        }
    }
    gp_printf(g, "        NaN notitle\n"
                 "    unset object\n    unset label\n    unset arrow\n");
}

/* spl_vs_load: the loudest clean level against load for the amps of sp,
 * speakers (at the seat) and headphones (at the ear) in two panels with
 * their tiers as bands. */
static enum as_status fig_levels(const struct results *r, struct amps_span sp, const char *plots,
                                 const char *stem, const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &lev_schema, &g, err, errlen);
    if (st != AS_OK)
        return st;
    gp_printf(&g, "# filled: passes every criterion; open: fails one\n"
                  "ptype(p) = p == 1 ? 7 : 6\n");
    gp_begin_terminals(&g, stem, 1200, 620);
    gp_printf(&g, "    set multiplot layout 1,2\n"
                  "    set logscale x\n    set logscale x2\n"
                  "    set xlabel 'load (Ω)' offset 0,0.5\n"
                  "    set ylabel 'loudest clean level, peak SPL (dB)'\n"
                  "    set grid xtics ytics mxtics lc rgb '#cccccc'\n"
                  "    set rmargin 10\n    set tmargin 9\n"
                  "    set key outside below horizontal maxrows 2\n");
    int spk = 0, hp = 0;
    for (size_t i = sp.a0; i < sp.a1; i++)
        for (size_t k = 0; k < r->amps[i].n_loads; k++) {
            spk |= strcmp(r->amps[i].loads[k].profile, verdict_profile_name(VERDICT_SPEAKER)) == 0;
            hp |= strcmp(r->amps[i].loads[k].profile, verdict_profile_name(VERDICT_HEADPHONE)) == 0;
        }
    if (spk || !hp)
        level_panel(&g, r, sp, VERDICT_SPEAKER);
    if (hp)
        level_panel(&g, r, sp, VERDICT_HEADPHONE);
    gp_printf(&g, "    unset multiplot\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* limits_vs_load: why the level is what it is. The output voltage and
 * current at clipping into each resistor at the reference frequency, a
 * line per amp, each point marked with what limits it (power.csv's
 * limit): where the swing limits, the voltage is flat against load; where
 * the current limits, the current is. */
static enum as_status fig_limits(const struct results *r, struct amps_span sp, double ref,
                                 const char *plots, const char *stem, const char *caption,
                                 char *err, size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = results_schema(RESULTS_POWER);
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    gp_printf(&g, "# the point type of a limit\n"
                  "lpt(s) = s eq 'voltage' ? 7 : s eq 'current' ? 9 : s eq 'slew' ? 5 : "
                  "s eq 'none' ? 1 : 3\n");
    gp_begin_terminals(&g, stem, 1100, 860);
    gp_printf(&g,
              "    set multiplot layout 2,1 title 'What limits the output at %.4g Hz, into "
              "resistors'\n"
              "    set logscale xy\n    set format xy '%%g'\n    set xlabel 'load (Ω)'\n"
              "    set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
              "    set lmargin at screen 0.09\n    set rmargin at screen 0.80\n"
              "    set key outside right top box\n",
              ref);
    gp_load_axis(&g, r);
    static const char *const what[2][3] = {
        {"maximum output voltage (V rms)",
         "Output voltage at clipping: flat where the swing "
         "(voltage) limits",
         "vout_rms_v"},
        {"peak output current (A)",
         "Peak output current at clipping: flat where the current "
         "limits",
         "iout_pk_a"}};
    for (int p = 0; p < 2; p++) {
        gp_printf(&g, "    set ylabel '%s'\n    set title '%s'\n    plot \\\n", what[p][0],
                  what[p][1]);
        for (size_t i = sp.a0; i < sp.a1; i++) {
            gp_printf(&g, "        data.'%s' using %s:(is(", tab->file,
                      colvar(tab, RESULTS_POWER_LOAD_OHM).s);
            gp_str(&g, r->amps[i].name);
            gp_printf(&g,
                      ", '%s') && at(%.10g) ? column(c_%s) : NaN):(lpt(strcol(%s))) with "
                      "linespoints lw 2 pt variable ps 1.4 lc rgb '%s' ",
                      AS_LOAD_RESISTOR, ref, what[p][2], colvar(tab, RESULTS_POWER_LIMIT).s,
                      plot_amp_colour(i));
            if (p == 0) {
                gp_printf(&g, "title ");
                gp_str(&g, r->amps[i].name);
            } else {
                gp_printf(&g, "notitle");
            }
            gp_printf(&g, ", \\\n");
        }
        if (p == 1)
            gp_printf(&g, "        keyentry with points pt 7 ps 1.4 lc rgb 'black' title "
                          "'voltage-limited', \\\n"
                          "        keyentry with points pt 9 ps 1.4 lc rgb 'black' title "
                          "'current-limited', \\\n"
                          "        keyentry with points pt 5 ps 1.4 lc rgb 'black' title "
                          "'slew-limited', \\\n"
                          "        keyentry with points pt 1 ps 1.4 lc rgb 'black' title "
                          "'not clipped', \\\n");
        gp_printf(&g, "        NaN notitle\n");
    }
    gp_printf(&g, "    unset multiplot\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* ---- heat, per amp ------------------------------------------------------ */

static const char *const dev_colours[] = {"#08519c", "#e6550d", "#31a354",
                                          "#756bb1", "#8c564b", "#de2d26"};
#define N_DEV_KEYED 6 /* devices keyed in one panel: with the two notes, 8 */

/* Whether amp has a junction temperature at 1/8 power into a resistor at
 * freq_hz (the heat figure's x axis is the resistors'). */
static int amp_has_tj(const struct results *r, const char *amp, double freq_hz)
{
    for (size_t i = 0; i < r->n_diss; i++)
        if (strcmp(r->diss[i].amp, amp) == 0 && r->diss[i].freq_hz == freq_hz &&
            strcmp(r->diss[i].load, AS_LOAD_RESISTOR) == 0 && isfinite(r->diss[i].tj_eighth_c))
            return 1;
    return 0;
}

/* Whether power.csv holds an output voltage into a resistor at freq_hz (the
 * limit figure draws the resistors only). */
static int resistor_drawable(const struct results *r, double freq_hz)
{
    for (size_t i = 0; i < r->n_power; i++)
        if (r->power[i].freq_hz == freq_hz && strcmp(r->power[i].load, AS_LOAD_RESISTOR) == 0 &&
            isfinite(r->power[i].vout_rms_v))
            return 1;
    return 0;
}

/* One amp's panel: each device's tj_eighth_c against the resistors (solid,
 * the judged condition), its tj_worst_c (dashed, the stress case), and each
 * distinct tj_max. */
static void thermal_panel(struct gp *g, const struct results *r, size_t ai, double ref)
{
    const struct results_schema *tab = results_schema(RESULTS_DISSIPATION);
    const char *devs[32];
    size_t n_devs = device_names(r, r->amps[ai].name, devs, 32);
    gp_printf(g, "    set title ");
    gp_str(g, r->amps[ai].name);
    gp_printf(g, " tc rgb '%s'\n    plot \\\n", plot_amp_colour(ai));
    for (size_t d = 0; d < n_devs; d++)
        for (int worst = 0; worst < 2; worst++) {
            gp_printf(g, "        data.'%s' using %s:(is(", tab->file,
                      colvar(tab, RESULTS_DISS_LOAD_OHM).s);
            gp_str(g, r->amps[ai].name);
            gp_printf(g, ", '%s') && at(%.10g) && strcol(%s) eq ", AS_LOAD_RESISTOR, ref,
                      colvar(tab, RESULTS_DISS_DEVICE).s);
            gp_str(g, devs[d]);
            gp_printf(g, " ? column(%s) : NaN) with %s lc rgb '%s' ",
                      colvar(tab, worst ? RESULTS_DISS_TJ_WORST_C : RESULTS_DISS_TJ_EIGHTH_C).s,
                      worst ? "lines lw 1.2 dt 2" : "linespoints lw 2 pt 7 ps 0.8",
                      dev_colours[d % (sizeof dev_colours / sizeof *dev_colours)]);
            if (worst || d >= N_DEV_KEYED) {
                gp_printf(g, "notitle, \\\n");
            } else {
                gp_printf(g, "title ");
                gp_str(g, devs[d]);
                gp_printf(g, ", \\\n");
            }
        }
    double seen[4];
    size_t n_seen = 0;
    for (size_t i = 0; i < r->n_diss && n_seen < 4; i++) {
        const struct results_diss *x = &r->diss[i];
        size_t k = 0;
        while (k < n_seen && seen[k] != x->tj_max_c)
            k++;
        if (strcmp(x->amp, r->amps[ai].name) == 0 && isfinite(x->tj_max_c) && k == n_seen) {
            seen[n_seen++] = x->tj_max_c;
            gp_printf(g, "        %.6g with lines lw 2 lc rgb '#aa0000' dt 4 %s, \\\n", x->tj_max_c,
                      n_seen == 1 ? "title 'tj_max'" : "notitle");
        }
    }
    gp_printf(g, "        keyentry with lines lw 1.2 dt 2 lc rgb '#555555' title 'worst case "
                 "(stress)'\n");
}

/* thermal_vs_load: per amp that lists its devices, a small panel of their
 * junction temperatures at 1/8 of the clipping power, the condition heat
 * is judged at, with the worst-case sine as a stress case. */
static enum as_status fig_thermal(const struct results *r, double ref, const char *plots,
                                  const char *stem, const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st =
        gp_open(plots, stem, caption, results_schema(RESULTS_DISSIPATION), &g, err, errlen);
    if (st != AS_OK)
        return st;
    size_t n = 0;
    for (size_t i = 0; i < r->n_amps; i++)
        n += amp_has_tj(r, r->amps[i].name, ref);
    size_t rows = (n + 1) / 2;
    gp_begin_terminals(&g, stem, 1200, 60 + 340 * (int)(rows ? rows : 1));
    gp_printf(&g,
              "    set multiplot layout %zu,%d title 'Junction temperatures at 1/8 of the "
              "clipping power (solid, as judged) and at the worst-case sine (dashed, a stress "
              "case), against the load (Ω), %.4g Hz, into resistors'\n"
              "    set logscale x\n    set format x '%%g'\n    unset xlabel\n"
              "    set ylabel 'junction temperature (°C)'\n"
              "    set grid xtics ytics mxtics lc rgb '#dddddd'\n"
              "    set offsets 0, 0, graph 0.08, graph 0.05\n"
              "    set key outside below horizontal maxcols 2 samplen 2 box font ',9'\n",
              rows ? rows : 1, n > 1 ? 2 : 1, ref);
    gp_load_axis(&g, r);
    for (size_t i = 0; i < r->n_amps; i++)
        if (amp_has_tj(r, r->amps[i].name, ref))
            thermal_panel(&g, r, i, ref);
    gp_printf(&g, "    unset multiplot\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

static enum as_status write_failure_map(const struct failmap *m, const char *plots, char *err,
                                        size_t errlen)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", plots, map_schema.file);
    struct csv *c = NULL;
    /* the cells in map_schema's order */
    enum as_status st = csv_open(path, map_schema.header, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < m->n_cells; i++) {
        const struct failmap_cell *x = &m->cells[i];
        csv_str(c, x->amp);
        csv_str(c, x->load);
        csv_num(c, x->load_ohm);
        csv_num(c, x->freq_hz);
        csv_int(c, (long)x->row);
        csv_num(c, x->f_lo_hz);
        csv_num(c, x->f_hi_hz);
        csv_str(c, failmap_code_name(x->code));
        csv_int(c, (long)x->code);
        csv_end_row(c);
    }
    return csv_commit(c, err, errlen);
}

/* ---- verdict_map.csv and the failure map of every amp ------------------- */

/* plots/verdict_map.csv: a cell per amp, load and profile of summary.json,
 * placed on the overview map (col, y_lo..y_hi), with its level and the
 * code of its first failing criterion. */
#define VMAP_COLUMNS(X)                                                                            \
    X(VMAP_AMP, amp)                                                                               \
    X(VMAP_LOAD, load)                                                                             \
    X(VMAP_LOAD_OHM, load_ohm)                                                                     \
    X(VMAP_PROFILE, profile)                                                                       \
    X(VMAP_COL, col)                                                                               \
    X(VMAP_Y, y)                                                                                   \
    X(VMAP_Y_LO, y_lo)                                                                             \
    X(VMAP_Y_HI, y_hi)                                                                             \
    X(VMAP_SPL_DB, spl_db)                                                                         \
    X(VMAP_FIRST_FAIL, first_fail)                                                                 \
    X(VMAP_CODE, code)
enum vmap_col { VMAP_COLUMNS(MAP_COL_ENUM_) VMAP_N_COLS };
static const char *const vmap_cols[] = {VMAP_COLUMNS(RESULTS_COL_NAME_)};
static const struct results_schema vmap_schema = {
    "verdict_map.csv", RESULTS_SCHEMA_HEADER(VMAP_COLUMNS), vmap_cols, VMAP_N_COLS};

struct vcol {
    const char *load;
    double ohm;
};
#define VMAP_MAX_COLS 128

/* The map's columns: the load files in order of appearance, then the
 * resistors from the lowest. */
static size_t vmap_columns(const struct results *r, struct vcol *cols)
{
    size_t n = 0;
    for (int res = 0; res < 2; res++)
        for (size_t i = 0; i < r->n_amps; i++)
            for (size_t k = 0; k < r->amps[i].n_loads; k++) {
                const struct results_load *l = &r->amps[i].loads[k];
                if ((strcmp(l->load, AS_LOAD_RESISTOR) == 0) != res)
                    continue;
                size_t j = 0;
                while (j < n && !(strcmp(cols[j].load, l->load) == 0 && cols[j].ohm == l->load_ohm))
                    j++;
                if (j < n || n == VMAP_MAX_COLS)
                    continue;
                /* resistors in order of impedance */
                size_t at = n;
                while (res && at > 0 && strcmp(cols[at - 1].load, AS_LOAD_RESISTOR) == 0 &&
                       cols[at - 1].ohm > l->load_ohm)
                    at--;
                memmove(&cols[at + 1], &cols[at], (n - at) * sizeof *cols);
                cols[at] = (struct vcol){l->load, l->load_ohm};
                n++;
            }
    return n;
}

static size_t vmap_col_of(const struct vcol *cols, size_t n, const struct results_load *l)
{
    for (size_t j = 0; j < n; j++)
        if (strcmp(cols[j].load, l->load) == 0 && cols[j].ohm == l->load_ohm)
            return j;
    return n;
}

static enum as_status write_vmap(const struct results *r, const struct vcol *cols, size_t n_cols,
                                 const char *plots, char *err, size_t errlen)
{
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", plots, vmap_schema.file);
    struct csv *c = NULL;
    enum as_status st = csv_open(path, vmap_schema.header, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        double y = (double)(r->n_amps - 1 - i);
        for (size_t k = 0; k < a->n_loads; k++) {
            const struct results_load *l = &a->loads[k];
            size_t j = vmap_col_of(cols, n_cols, l);
            if (j == n_cols)
                continue;
            int twin = (k > 0 && vmap_col_of(cols, n_cols, &a->loads[k - 1]) == j) ||
                       (k + 1 < a->n_loads && vmap_col_of(cols, n_cols, &a->loads[k + 1]) == j);
            int spk = strcmp(l->profile, verdict_profile_name(VERDICT_SPEAKER)) == 0;
            double lo = twin ? (spk ? y : y - 0.45) : y - 0.45;
            double hi = twin ? (spk ? y + 0.45 : y) : y + 0.45;
            enum failmap_code code = failmap_verdict_code(l);
            csv_str(c, a->name);
            csv_str(c, l->load);
            csv_num(c, l->load_ohm);
            csv_str(c, l->profile);
            csv_int(c, (long)j);
            csv_num(c, (lo + hi) / 2);
            csv_num(c, lo);
            csv_num(c, hi);
            csv_num(c, l->spl_db);
            csv_str(c, failmap_code_name(code));
            csv_int(c, (long)code);
            csv_end_row(c);
        }
    }
    return csv_commit(c, err, errlen);
}

/* The colour of each failure-map code, as a gnuplot function. */
static void gp_code_colours(struct gp *g)
{
    gp_printf(g, "colour(c) = ");
    for (int c = 0; c < FAILMAP_N_CODES - 1; c++)
        gp_printf(g, "c == %d ? 0x%s : ", c, map_colours[c] + 1);
    gp_printf(g, "0x%s\n", map_colours[FAILMAP_N_CODES - 1] + 1);
}

static void gp_code_keys(struct gp *g)
{
    for (int c = 0; c < FAILMAP_N_CODES; c++)
        gp_printf(g, ", \\\n        keyentry with boxes fs solid 1.0 fc rgb '%s' title '%s'",
                  map_colours[c], failmap_code_name((enum failmap_code)c));
    gp_printf(g, "\n");
}

/* failure_map: every amp (rows) into every load (columns), each cell the
 * first criterion its whole-band verdict fails, with its level in dB; a
 * load judged both ways split into its speaker (upper) and headphone
 * (lower) half. */
static enum as_status fig_vmap(const struct results *r, const struct vcol *cols, size_t n_cols,
                               const char *plots, const char *stem, const char *caption, char *err,
                               size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &vmap_schema, &g, err, errlen);
    if (st != AS_OK)
        return st;
    gp_code_colours(&g);
    gp_begin_terminals(&g, stem, 1200, 260 + 46 * (int)r->n_amps);
    gp_printf(&g,
              "    set title 'First failing criterion of each amp into each load, with its "
              "loudest clean level (dB SPL); a load judged both ways: speaker above, headphone "
              "below'\n"
              "    set xrange [-0.5:%zu.5]\n    set yrange [-0.5:%zu.5]\n"
              "    set key outside right top box\n    set tics scale 0\n"
              "    set xtics rotate by 60 right font ',9' (",
              n_cols - 1, r->n_amps - 1);
    for (size_t j = 0; j < n_cols; j++) {
        char t[AS_NAME_MAX + 64], o[32];
        fmt_ohm(cols[j].ohm, o, sizeof o);
        if (strcmp(cols[j].load, AS_LOAD_RESISTOR) == 0)
            snprintf(t, sizeof t, "%s", o);
        else
            snprintf(t, sizeof t, "%s %s", cols[j].load, o);
        gp_str(&g, t);
        gp_printf(&g, " %zu%s", j, j + 1 < n_cols ? ", " : "");
    }
    gp_printf(&g, ")\n    set ytics (");
    for (size_t i = 0; i < r->n_amps; i++) {
        gp_str(&g, r->amps[i].name);
        gp_printf(&g, " %zu%s", r->n_amps - 1 - i, i + 1 < r->n_amps ? ", " : "");
    }
    struct colvar x = colvar(&vmap_schema, VMAP_COL), y = colvar(&vmap_schema, VMAP_Y);
    gp_printf(&g,
              ")\n    plot here.'%s' using %s:%s:(column(%s) - 0.48):(column(%s) + 0.48):%s:%s:"
              "(colour(column(%s))) with boxxyerror fs solid 1.0 noborder lc rgb variable "
              "notitle, \\\n"
              "        here.'%s' using %s:%s:(column(%s) == column(%s) ? sprintf('%%.0f', "
              "column(%s)) : '') with labels font ',8' tc rgb 'white' notitle",
              vmap_schema.file, x.s, y.s, x.s, x.s, colvar(&vmap_schema, VMAP_Y_LO).s,
              colvar(&vmap_schema, VMAP_Y_HI).s, colvar(&vmap_schema, VMAP_CODE).s,
              vmap_schema.file, x.s, y.s, colvar(&vmap_schema, VMAP_SPL_DB).s,
              colvar(&vmap_schema, VMAP_SPL_DB).s, colvar(&vmap_schema, VMAP_SPL_DB).s);
    gp_code_keys(&g);
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* failure_map_AMP: amp ai's loads (rows) by frequency, each cell of
 * failure_map.csv coloured by its code, with a key entry per code. */
static enum as_status fig_failure_map(const struct results *r, const struct failmap *m, size_t ai,
                                      const char *plots, const char *stem, const char *caption,
                                      char *err, size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = &map_schema;
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    const struct results_amp *a = &r->amps[ai];
    double flo = NAN, fhi = NAN;
    for (size_t i = 0; i < m->n_cells; i++)
        if (strcmp(m->cells[i].amp, a->name) == 0) {
            flo = isnan(flo) ? m->cells[i].f_lo_hz : fmin(flo, m->cells[i].f_lo_hz);
            fhi = isnan(fhi) ? m->cells[i].f_hi_hz : fmax(fhi, m->cells[i].f_hi_hz);
        }
    if (isnan(flo)) {
        flo = 10;
        fhi = 30000;
    }
    size_t rows = a->n_loads ? a->n_loads : 1;
    int h = 180 + 20 * (int)rows;
    gp_code_colours(&g);
    gp_begin_terminals(&g, stem, 1100, h < 480 ? 480 : h);
    char title[256];
    snprintf(title, sizeof title, "%s: first failing criterion per load and frequency", a->name);
    gp_printf(&g, "    set title ");
    gp_str(&g, title);
    gp_printf(&g,
              "\n"
              "    set xlabel 'frequency (Hz)'\n"
              "    set ylabel 'load'\n"
              "    set logscale x\n"
              "    set xrange [%.6g:%.6g]\n"
              "    set yrange [-0.5:%zu.5]\n"
              "    set key outside right top box\n"
              "    set ytics (",
              flo, fhi, rows - 1);
    for (size_t i = 0; i < a->n_loads; i++) {
        char t[256], o[32];
        fmt_ohm(a->loads[i].load_ohm, o, sizeof o);
        const struct results_load *l = &a->loads[i], *p = i ? l - 1 : NULL,
                                  *q = i + 1 < a->n_loads ? l + 1 : NULL;
        int twin = (p && !strcmp(p->load, l->load) && p->load_ohm == l->load_ohm) ||
                   (q && !strcmp(q->load, l->load) && q->load_ohm == l->load_ohm);
        snprintf(t, sizeof t, "%s%s%s%s%s", strcmp(l->load, AS_LOAD_RESISTOR) ? l->load : "",
                 strcmp(l->load, AS_LOAD_RESISTOR) ? " " : "", o, twin ? ", as " : "",
                 twin ? l->profile : "");
        gp_str(&g, t);
        gp_printf(&g, " %zu%s", i, i + 1 < a->n_loads ? ", " : "");
    }
    gp_printf(&g,
              ")\n"
              "    plot here.'%s' using (strcol(%s) eq ",
              tab->file, colvar(tab, MAP_AMP).s);
    gp_str(&g, a->name);
    struct colvar row = colvar(tab, MAP_ROW);
    gp_printf(&g,
              " ? column(%s) : NaN):%s:%s:%s:(column(%s) - 0.5):(column(%s) + 0.5)"
              ":(colour(column(%s))) with boxxyerror fs solid 1.0 noborder lc rgb variable "
              "notitle",
              colvar(tab, MAP_FREQ_HZ).s, row.s, colvar(tab, MAP_F_LO_HZ).s,
              colvar(tab, MAP_F_HI_HZ).s, row.s, row.s, colvar(tab, MAP_CODE).s);
    gp_code_keys(&g);
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* ---- the set ---------------------------------------------------------- */

/* A file-name-safe form of an amp name, unique among the amps. */
static void amp_stem(const struct results *r, size_t ai, const char *prefix, char *out, size_t len)
{
    char safe[72];
    const char *n = r->amps[ai].name;
    size_t k = 0;
    int changed = 0;
    for (; n[k] && k < 64; k++) {
        int ok = (n[k] >= 'a' && n[k] <= 'z') || (n[k] >= 'A' && n[k] <= 'Z') ||
                 (n[k] >= '0' && n[k] <= '9') || n[k] == '_' || n[k] == '-' ||
                 (n[k] == '.' && k > 0);
        safe[k] = ok ? n[k] : '_';
        changed |= !ok;
    }
    safe[k] = '\0';
    changed |= n[k] != '\0' || k == 0;
    for (size_t j = 0; j < ai && !changed; j++)
        changed = strncmp(r->amps[j].name, safe, 64) == 0 && strlen(r->amps[j].name) == k;
    if (changed)
        snprintf(out, len, "%s%s_%zu", prefix, safe, ai + 1);
    else
        snprintf(out, len, "%s%s", prefix, safe);
}

/* A new figure at the end of set (grown as needed), for amp (-1: all), or
 * NULL when out of memory. */
static struct plot_figure *add(struct plot_set *set, int amp)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 8;
        struct plot_figure *figs = realloc(set->figs, cap * sizeof *figs);
        if (!figs)
            return NULL;
        set->figs = figs;
        set->cap = cap;
    }
    assert(set->n < set->cap);
    struct plot_figure *f = &set->figs[set->n++];
    memset(f, 0, sizeof *f);
    f->amp = amp;
    return f;
}

/* What every figure step gets: the results, their folder, plots/ in it, and
 * the set the figures join. */
struct plot_job {
    const struct results *r;
    const char *dir, *plots;
    struct plot_set *set;
    double ref; /* results_ref_freq_hz */
};

static enum as_status no_memory(char *err, size_t errlen)
{
    return as_fail(err, errlen, AS_ENOMEM, "out of memory");
}

/* gnuplot refuses a plot without a single point: each step adds its figure
 * only when its file holds a measured number */

/* The figure kinds drawn once per group of PLOT_MAX_KEYED amps. */
enum grouped { G_LEVELS, G_LIMITS, G_POWER, G_ZOUT, G_THD };

static enum as_status grouped_fig(const struct plot_job *j, enum grouped kind, struct amps_span sp,
                                  struct plot_figure *f, char *err, size_t errlen)
{
    const struct results *r = j->r;
    switch (kind) {
    case G_LEVELS:
        return fig_levels(r, sp, j->plots, f->stem, f->caption, err, errlen);
    case G_LIMITS:
        return fig_limits(r, sp, j->ref, j->plots, f->stem, f->caption, err, errlen);
    case G_POWER:
        return fig_power(r, sp, j->ref, j->plots, f->stem, f->caption, err, errlen);
    case G_ZOUT:
        return fig_zout(r, sp, j->plots, f->stem, f->caption, err, errlen);
    case G_THD:
        break;
    }
    return fig_thd(r, sp, j->dir, j->plots, f->stem, f->caption, err, errlen);
}

/* Figure kind with stem base and caption cap (a format with one %s: which
 * amps), once per group of amps; lead: shown with the matrix. */
static enum as_status step_grouped(const struct plot_job *j, enum grouped kind, const char *base,
                                   const char *cap, int lead, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    for (size_t a0 = 0, g = 0; st == AS_OK && a0 < j->r->n_amps; a0 += PLOT_MAX_KEYED, g++) {
        struct amps_span sp = {a0, a0 + PLOT_MAX_KEYED < j->r->n_amps ? a0 + PLOT_MAX_KEYED
                                                                      : j->r->n_amps};
        struct plot_figure *f = add(j->set, -1);
        if (!f)
            return no_memory(err, errlen);
        char note[64];
        group_note(j->r, sp, note, sizeof note);
        group_stem(base, g, f->stem, sizeof f->stem);
        snprintf(f->caption, sizeof f->caption, cap, note);
        f->lead = lead;
        st = grouped_fig(j, kind, sp, f, err, errlen);
    }
    return st;
}

static int any_level(const struct results *r)
{
    for (size_t i = 0; i < r->n_amps; i++)
        for (size_t k = 0; k < r->amps[i].n_loads; k++)
            if (isfinite(r->amps[i].loads[k].spl_db))
                return 1;
    return 0;
}

static enum as_status step_levels(const struct plot_job *j, char *err, size_t errlen)
{
    const struct results *r = j->r;
    if (!r->settings.has_large || !any_level(r))
        return AS_OK;
    enum as_status st = write_levels(r, j->plots, err, errlen);
    if (st != AS_OK)
        return st;
    char cap[512];
    snprintf(cap, sizeof cap,
             "The loudest clean level each amp reaches%%s against load: speakers at a %.3g m "
             "seat (a stereo pair in a room), headphones at the ear, with the listening tiers "
             "as bands and the target dashed. Lines: resistors; points: the load models named "
             "on the top axis; filled where every criterion passes.",
             r->settings.verdict.spk_distance_m);
    st = step_grouped(j, G_LEVELS, "spl_vs_load", cap, 1, err, errlen);
    if (st == AS_OK && resistor_drawable(r, j->ref)) {
        snprintf(cap, sizeof cap,
                 "Why: the output voltage and current each amp%%s reaches at clipping into each "
                 "resistor at %.4g Hz. Where the voltage stays flat as the load falls, the swing "
                 "limits; where the current stays flat, the current limits (each point's "
                 "marker: power.csv's limit).",
                 j->ref);
        st = step_grouped(j, G_LIMITS, "limits_vs_load", cap, 1, err, errlen);
    }
    return st;
}

static enum as_status step_power(const struct plot_job *j, char *err, size_t errlen)
{
    const struct results_settings *s = &j->r->settings;
    if (!s->has_large || !power_drawable(j->r, j->ref, 0))
        return AS_OK;
    char cap[512];
    snprintf(cap, sizeof cap,
             "Maximum output power (at %.3g %% THD) against load%%s, at %.4g Hz (solid) and the "
             "other large-signal frequencies (dashed), with the power a speaker and a headphone "
             "of the default sensitivity need.",
             s->thd_limit_pct, j->ref);
    return step_grouped(j, G_POWER, "power_vs_load", cap, 0, err, errlen);
}

static enum as_status step_fr(const struct plot_job *j, char *err, size_t errlen)
{
    const struct results *r = j->r;
    if (!r->settings.has_fr)
        return AS_OK;
    enum as_status st = AS_OK;
    struct plot_figure *f;
    for (size_t i = 0; st == AS_OK && i < r->n_amps; i++) {
        if (!(f = add(j->set, (int)i)))
            return no_memory(err, errlen);
        amp_stem(r, i, "fr_dev_", f->stem, sizeof f->stem);
        snprintf(f->caption, sizeof f->caption,
                 "%s: how much each load changes the frequency response (dev_db), one curve per "
                 "load, darker for higher impedance.",
                 r->amps[i].name);
        st = fig_fr_dev(r, i, j->plots, f->stem, f->caption, err, errlen);
    }
    if (st != AS_OK)
        return st;
    return step_grouped(j, G_ZOUT, "zout",
                        "Output impedance |Zout| against frequency%s; below a dashed line the amp "
                        "meets the 1/8 rule for that load.",
                        0, err, errlen);
}

static enum as_status step_thd(const struct plot_job *j, char *err, size_t errlen)
{
    if (!j->r->settings.has_large || !power_drawable(j->r, j->ref, 1))
        return AS_OK;
    char cap[512];
    snprintf(cap, sizeof cap,
             "THD against output power%%s at %.4g Hz into the resistive loads nearest 8 and 32 "
             "ohm: every clean level the clipping search and the dissipation search ran (from "
             "about 4 %%%% of full power up to clipping).",
             j->ref);
    return step_grouped(j, G_THD, "thd_vs_power", cap, 0, err, errlen);
}

static enum as_status step_thermal(const struct plot_job *j, char *err, size_t errlen)
{
    int any = 0;
    for (size_t i = 0; i < j->r->n_amps; i++)
        any |= amp_has_tj(j->r, j->r->amps[i].name, j->ref);
    if (!j->r->settings.has_large || !any)
        return AS_OK;
    struct plot_figure *f = add(j->set, -1);
    if (!f)
        return no_memory(err, errlen);
    snprintf(f->stem, sizeof f->stem, "thermal_vs_load");
    snprintf(f->caption, sizeof f->caption,
             "Junction temperature of each listed device against load at %.4g Hz, a panel per "
             "amp: solid at 1/8 of the clipping power (the condition heat is judged at, as "
             "music plays), dashed at the worst-case continuous sine, a stress case no music "
             "makes. Amps that list no device are left out.",
             j->ref);
    return fig_thermal(j->r, j->ref, j->plots, f->stem, f->caption, err, errlen);
}

/* The criteria's names in order, "a, b, c" (judge/verdict.h). */
static void criteria_list(char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int c = 0; c < VERDICT_N_CRITERIA && n < len; c++) {
        int k = snprintf(buf + n, len - n, "%s%s", c ? ", " : "",
                         verdict_criterion_name((enum verdict_criterion)c));
        n += k > 0 ? (size_t)k : 0;
    }
}

/* The overview map of every amp, then a frequency map for each amp whose
 * map changes with frequency (only there does it say more). */
static enum as_status step_failure_maps(const struct plot_job *j, char *err, size_t errlen)
{
    const struct results *r = j->r;
    struct failmap *m = NULL;
    char crit[128];
    criteria_list(crit, sizeof crit);
    struct vcol *cols = calloc(VMAP_MAX_COLS, sizeof *cols);
    size_t n_cols = cols ? vmap_columns(r, cols) : 0;
    enum as_status st = cols ? failmap_build(r, &m, err, errlen) : no_memory(err, errlen);
    if (st == AS_OK)
        st = write_failure_map(m, j->plots, err, errlen);
    if (st == AS_OK && n_cols > 0)
        st = write_vmap(r, cols, n_cols, j->plots, err, errlen);
    struct plot_figure *f = st == AS_OK && n_cols > 0 ? add(j->set, -1) : NULL;
    if (st == AS_OK && n_cols > 0 && !f)
        st = no_memory(err, errlen);
    if (f) {
        snprintf(f->stem, sizeof f->stem, "failure_map");
        snprintf(f->caption, sizeof f->caption,
                 "The failure map: each amp into each load, coloured by the first criterion its "
                 "verdict fails (%s), green where all pass, with the loudest clean level in dB "
                 "SPL.",
                 crit);
        st = fig_vmap(r, cols, n_cols, j->plots, f->stem, f->caption, err, errlen);
    }
    for (size_t i = 0; st == AS_OK && i < r->n_amps; i++) {
        if (!failmap_varies(m, r->amps[i].name))
            continue;
        if (!(f = add(j->set, (int)i))) {
            st = no_memory(err, errlen);
            break;
        }
        amp_stem(r, i, "failure_map_", f->stem, sizeof f->stem);
        snprintf(f->caption, sizeof f->caption,
                 "%s: where in the band it fails, each load and frequency coloured by the first "
                 "criterion that fails there (%s), green where all pass.",
                 r->amps[i].name, crit);
        st = fig_failure_map(r, m, i, j->plots, f->stem, f->caption, err, errlen);
    }
    free(cols);
    failmap_free(m);
    return st;
}

enum as_status plot_write(const struct results *r, const char *dir, struct plot_set **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    char plots[PATH_MAX];
    snprintf(plots, sizeof plots, "%s/%s", dir, PLOT_SUBDIR);
    struct plot_set *set = calloc(1, sizeof *set);
    if (!set)
        return no_memory(err, errlen);
    enum as_status st = AS_OK;
    if (mkdir(plots, 0777) != 0 && errno != EEXIST)
        st = as_fail(err, errlen, AS_EIO, "%s: cannot create: %s", plots, strerror(errno));
    struct plot_job j = {
        .r = r, .dir = dir, .plots = plots, .set = set, .ref = results_ref_freq_hz(r)};
    if (st == AS_OK)
        st = step_levels(&j, err, errlen);
    if (st == AS_OK)
        st = step_power(&j, err, errlen);
    if (st == AS_OK)
        st = step_fr(&j, err, errlen);
    if (st == AS_OK)
        st = step_thd(&j, err, errlen);
    if (st == AS_OK)
        st = step_thermal(&j, err, errlen);
    if (st == AS_OK)
        st = step_failure_maps(&j, err, errlen);
    if (st != AS_OK) {
        plot_set_free(set);
        return st;
    }
    *out = set;
    return AS_OK;
}

enum as_status plot_render(const char *dir, struct plot_set *set, FILE *diag, char *err,
                           size_t errlen)
{
    enum as_status first = AS_OK;
    for (size_t i = 0; i < set->n; i++) {
        char script[PATH_MAX + 128], log[PATH_MAX + 128], msg[1024];
        snprintf(script, sizeof script, "%s/%s/%s.gp", dir, PLOT_SUBDIR, set->figs[i].stem);
        snprintf(log, sizeof log, "%s/%s/%s.log", dir, PLOT_SUBDIR, set->figs[i].stem);
        enum as_status st = gprun_script(script, log, msg, sizeof msg);
        set->figs[i].rendered = st == AS_OK;
        struct stat sb;
        if (st == AS_OK && stat(log, &sb) == 0 && sb.st_size == 0)
            unlink(log); /* keep gnuplot's warnings only */
        if (st != AS_OK) {
            fprintf(diag, "ampsweep: error: %s\n", msg);
            if (first == AS_OK)
                as_fail(err, errlen, st, "%s", msg);
            first = first == AS_OK ? st : first;
        }
    }
    return first;
}

void plot_set_free(struct plot_set *set)
{
    if (!set)
        return;
    free(set->figs);
    free(set);
}
