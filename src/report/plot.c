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
    snprintf(buf, len, "%.4g Ω", ohm);
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

/* Distinct load names of an amp, in summary.json order (borrowed). */
static size_t load_names(const struct results_amp *a, const char **names, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < a->n_loads; i++) {
        size_t k = 0;
        while (k < n && strcmp(names[k], a->loads[i].load) != 0)
            k++;
        if (k == n && n < max)
            names[n++] = a->loads[i].load;
    }
    return n;
}

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

/* ---- figures ---------------------------------------------------------- */

static const char *const dash[] = {"1", "2", "4", "5", "3"};
#define N_DASH 5

/* power_vs_load: p_max_w of power.csv against load, a curve per amp, load
 * kind and large-signal frequency, with the power each profile needs. */
static enum as_status fig_power(const struct results *r, const char *plots, const char *stem,
                                const char *caption, char *err, size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = results_schema(RESULTS_POWER);
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    const struct results_settings *s = &r->settings;
    int spk = strcmp(s->profile, verdict_profile_name(VERDICT_HEADPHONE)) != 0;
    int hp = strcmp(s->profile, verdict_profile_name(VERDICT_SPEAKER)) != 0;
    const struct verdict_settings *vs = &s->verdict;
    double p_spk =
        verdict_required_w(VERDICT_SPEAKER, vs->spk_sens_db, vs->spk_distance_m,
                           vs->spk_pair_gain_db + vs->spk_room_gain_db, vs->spk_target_db);
    double p_hp = verdict_required_w(VERDICT_HEADPHONE, vs->hp_sens_db, NAN, 0, vs->hp_target_db);
    gp_begin_terminals(&g, stem, 1100, 680);
    gp_printf(&g,
              "    set title 'Maximum output power at %.3g %% THD against load'\n"
              "    set xlabel 'load (Ω)'\n"
              "    set ylabel 'maximum output power (W)'\n"
              "    set logscale xy\n"
              "    set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
              "    set key below box opaque maxrows 6\n"
              "    plot \\\n",
              s->thd_limit_pct);
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        const char *names[32];
        size_t n_names = load_names(a, names, 32);
        for (size_t l = 0; l < n_names; l++)
            for (size_t f = 0; f < s->n_tran_freqs_hz; f++) {
                double fr = s->tran_freqs_hz[f];
                gp_printf(&g, "        data.'%s' using %s:(is(", tab->file,
                          colvar(tab, RESULTS_POWER_LOAD_OHM).s);
                gp_str(&g, a->name);
                gp_printf(&g, ", ");
                gp_str(&g, names[l]);
                gp_printf(&g,
                          ") && at(%.10g) ? column(%s) : NaN) with linespoints lw 2 lc rgb '%s' "
                          "dt %s pt %zu title ",
                          fr, colvar(tab, RESULTS_POWER_P_MAX_W).s, plot_amp_colour(i),
                          dash[f % N_DASH], 5 + 2 * (l % 4));
                char title[256];
                snprintf(title, sizeof title, "%s%s%s, %.6g Hz", a->name,
                         strcmp(names[l], AS_LOAD_RESISTOR) ? " into " : "",
                         strcmp(names[l], AS_LOAD_RESISTOR) ? names[l] : "", fr);
                gp_str(&g, title);
                gp_printf(&g, ", \\\n");
            }
    }
    char pw[64], line[512];
    if (spk && isfinite(p_spk)) {
        fmt_power(p_spk, pw, sizeof pw);
        snprintf(line, sizeof line, "speakers need %s (%.3g dB SPL/W/m, %.3g dB SPL at %.3g m)", pw,
                 vs->spk_sens_db, vs->spk_target_db, vs->spk_distance_m);
        gp_printf(&g, "        %.10g with lines lw 2 lc rgb 'black' dt 2 title ", p_spk);
        gp_str(&g, line);
        gp_printf(&g, ", \\\n");
    }
    if (hp && isfinite(p_hp)) {
        fmt_power(p_hp, pw, sizeof pw);
        snprintf(line, sizeof line, "headphones need %s (%.3g dB SPL/mW, %.3g dB SPL)", pw,
                 vs->hp_sens_db, vs->hp_target_db);
        gp_printf(&g, "        %.10g with lines lw 2 lc rgb '#666666' dt 4 title ", p_hp);
        gp_str(&g, line);
        gp_printf(&g, ", \\\n");
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
              "    set xlabel 'frequency (Hz)'\n"
              "    set ylabel 'gain into the load minus open-output gain (dB)'\n"
              "    set logscale x\n"
              "    set xrange [*:*]\n"
              "    set yrange [%.6g:%.6g]\n"
              "    set grid xtics ytics mxtics lc rgb '#dddddd'\n"
              "    set palette defined (0 '%s', 1 '%s')\n"
              "    set logscale cb\n"
              "    set cbrange [%.6g:%.6g]\n"
              "    set cblabel 'load (Ω)'\n"
              "    set key bottom left box opaque\n"
              "    plot \\\n",
              lo, hi, light, dark, omin, omax);
    size_t named = 0;
    for (size_t i = 0; i < a->n_loads; i++) {
        const struct results_load *l = &a->loads[i];
        int res = strcmp(l->load, AS_LOAD_RESISTOR) == 0;
        gp_printf(&g, "        data.'%s' using %s:(sel(", tab->file,
                  colvar(tab, RESULTS_FR_FREQ_HZ).s);
        gp_str(&g, a->name);
        gp_printf(&g, ", ");
        gp_str(&g, l->load);
        gp_printf(&g, ", %.10g) ? column(%s) : NaN) with lines lw 2 lc palette cb %.10g dt %s ",
                  l->load_ohm, colvar(tab, RESULTS_FR_DEV_DB).s, l->load_ohm > 0 ? l->load_ohm : 1,
                  res ? "1" : dash[1 + named % (N_DASH - 1)]);
        if (res) {
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
static enum as_status fig_zout(const struct results *r, const char *plots, const char *stem,
                               const char *caption, char *err, size_t errlen)
{
    struct gp g;
    const struct results_schema *tab = results_schema(RESULTS_FR);
    enum as_status st = gp_open(plots, stem, caption, tab, &g, err, errlen);
    if (st != AS_OK)
        return st;
    gp_begin_terminals(&g, stem, 1000, 620);
    gp_printf(&g, "    set title 'Output impedance |Zout| against frequency, with the 1/8 rule "
                  "for 8, 32 and 300 Ω loads'\n"
                  "    set xlabel 'frequency (Hz)'\n"
                  "    set ylabel '|Zout| (Ω)'\n"
                  "    set logscale xy\n"
                  "    set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
                  "    set key outside right top box opaque\n"
                  "    plot \\\n");
    for (size_t i = 0; i < r->n_amps; i++) {
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
    static const double rule_ohm[] = {8, 32, 300};
    for (int k = 0; k < 3; k++)
        gp_printf(&g,
                  "        %.6g with lines lw 1.5 lc rgb '#444444' dt %d title '1/8 rule for "
                  "%g Ω: |Zout| ≤ %.4g Ω'%s\n",
                  rule_ohm[k] / 8, k + 2, rule_ohm[k], rule_ohm[k] / 8, k < 2 ? ", \\" : "");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* thd_vs_power: THD against output power at the reference frequency into
 * the resistors nearest 8 and 32 ohm, a curve per amp and load from thd.csv
 * (or the clipping points of power.csv when a folder has no thd.csv). */
static enum as_status fig_thd(const struct results *r, const char *dir, const char *plots,
                              const char *stem, const char *caption, char *err, size_t errlen)
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
    double ref = results_ref_freq_hz(r);
    gp_begin_terminals(&g, stem, 1000, 620);
    gp_printf(&g,
              "    set title \"THD against output power at %.4g Hz into 8 Ω and 32 Ω\"\n"
              "    set xlabel 'output power (W)'\n"
              "    set ylabel 'THD, harmonics 2-10 (%%)'\n"
              "    set logscale xy\n"
              "    set format xy '%%g'\n"
              "    set yrange [*:%.6g]\n"
              "    set grid xtics ytics mxtics lc rgb '#dddddd'\n"
              "    set key outside right top box opaque\n"
              "    plot \\\n",
              ref, r->settings.thd_limit_pct * 30);
    static const double want[] = {8, 32};
    for (size_t i = 0; i < r->n_amps; i++)
        for (int k = 0; k < 2; k++) {
            double o = nearest_resistor(&r->amps[i], want[k]);
            if (isnan(o))
                continue;
            char t[256];
            snprintf(t, sizeof t, "%s into %.4g Ω", r->amps[i].name, o);
            gp_printf(&g, "        data.'%s' using %s:(sel(", tab->file, x.s);
            gp_str(&g, r->amps[i].name);
            gp_printf(&g,
                      ", 'resistor', %.10g) && at(%.10g) ? column(%s) : NaN) with %s pt %d ps 1.5 "
                      "lw 2 lc rgb '%s' title ",
                      o, ref, y.s, curve ? "linespoints" : "points", k ? 9 : 7, plot_amp_colour(i));
            gp_str(&g, t);
            gp_printf(&g, ", \\\n");
        }
    gp_printf(&g, "        %.6g with lines lc rgb '#666666' dt 2 title 'THD limit (--thd-limit)'\n",
              r->settings.thd_limit_pct);
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

/* The curves of column col of dissipation.csv against load: each amp's
 * total (devices 0) or each of its devices (devices 1), a curve per load
 * kind, at the reference frequency. */
static void thermal_series(struct gp *g, const struct results *r, int col, int devices)
{
    const struct results_schema *tab = results_schema(RESULTS_DISSIPATION);
    double ref = results_ref_freq_hz(r);
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        const char *names[32], *devs[32];
        size_t n_names = load_names(a, names, 32);
        size_t n_devs = devices ? device_names(r, a->name, devs, 32) : 1;
        if (!devices)
            devs[0] = "total";
        for (size_t l = 0; l < n_names; l++)
            for (size_t d = 0; d < n_devs; d++) {
                gp_printf(g, "        data.'%s' using %s:(is(", tab->file,
                          colvar(tab, RESULTS_DISS_LOAD_OHM).s);
                gp_str(g, a->name);
                gp_printf(g, ", ");
                gp_str(g, names[l]);
                gp_printf(g, ") && at(%.10g) && strcol(%s) eq ", ref,
                          colvar(tab, RESULTS_DISS_DEVICE).s);
                gp_str(g, devs[d]);
                gp_printf(g,
                          " ? column(%s) : NaN) with linespoints lw 2 lc rgb '%s' dt %s pt %zu "
                          "title ",
                          colvar(tab, col).s, plot_amp_colour(i), dash[l % N_DASH],
                          4 + 2 * (d % 6));
                char t[256];
                snprintf(t, sizeof t, "%s %s%s%s", a->name, devs[d],
                         strcmp(names[l], AS_LOAD_RESISTOR) ? " into " : "",
                         strcmp(names[l], AS_LOAD_RESISTOR) ? names[l] : "");
                gp_str(g, t);
                gp_printf(g, ", \\\n");
            }
    }
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
                (p->load_ohm == nearest_resistor(&r->amps[a], 8) ||
                 p->load_ohm == nearest_resistor(&r->amps[a], 32)))
                return 1;
    }
    return 0;
}

/* Whether dissipation.csv holds a number to draw at freq_hz: a dissipation
 * (tj 0) or a device's junction temperature (tj 1); an amp without supplies
 * has none. */
static int thermal_drawable(const struct results *r, double freq_hz, int tj)
{
    for (size_t i = 0; i < r->n_diss; i++)
        if (r->diss[i].freq_hz == freq_hz &&
            isfinite(tj ? r->diss[i].tj_worst_c : r->diss[i].p_worst_w))
            return 1;
    return 0;
}

/* The lower panel of the thermal figure: each device's junction
 * temperature, and each distinct limit once. */
static void thermal_tj_panel(struct gp *g, const struct results *r)
{
    gp_printf(g, "    set ylabel 'junction temperature (°C)'\n"
                 "    set title 'junction temperature of each device; dashed: its limit tj_max'\n"
                 "    plot \\\n");
    thermal_series(g, r, RESULTS_DISS_TJ_WORST_C, 1);
    double seen[16];
    size_t n_seen = 0;
    for (size_t i = 0; i < r->n_diss && n_seen < 16; i++) {
        double t = r->diss[i].tj_max_c;
        size_t k = 0;
        while (k < n_seen && seen[k] != t)
            k++;
        if (isfinite(t) && k == n_seen) {
            seen[n_seen++] = t;
            gp_printf(g,
                      "        %.6g with lines lw 1.5 lc rgb '#444444' dt 2 title 'tj_max %.4g "
                      "°C', \\\n",
                      t, t);
        }
    }
    gp_printf(g, "        NaN notitle\n");
}

/* thermal_vs_load: p_worst_w of dissipation.csv against load (totals and
 * devices), and below it each device's tj_worst_c with its limit when any
 * was measured. */
static enum as_status fig_thermal(const struct results *r, const char *plots, const char *stem,
                                  const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st =
        gp_open(plots, stem, caption, results_schema(RESULTS_DISSIPATION), &g, err, errlen);
    if (st != AS_OK)
        return st;
    double ref = results_ref_freq_hz(r);
    int with_tj = thermal_drawable(r, ref, 1);
    gp_begin_terminals(&g, stem, 1100, with_tj ? 900 : 500);
    gp_printf(&g,
              "    set multiplot layout %d,1 title 'Heat at the worst signal level, %.4g Hz'\n"
              "    set logscale x\n"
              "    set xlabel 'load (Ω)'\n"
              "    set grid xtics ytics mxtics lc rgb '#dddddd'\n"
              "    set key outside right top box opaque\n"
              "    set ylabel 'dissipation (W)'\n"
              "    set title 'the whole amp (total) and each output device'\n"
              "    plot \\\n",
              with_tj ? 2 : 1, ref);
    thermal_series(&g, r, RESULTS_DISS_P_WORST_W, 0);
    thermal_series(&g, r, RESULTS_DISS_P_WORST_W, 1);
    gp_printf(&g, "        NaN notitle\n");
    if (with_tj)
        thermal_tj_panel(&g, r);
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
    int h = 220 + 26 * (int)rows;
    gp_printf(&g, "colour(c) = ");
    for (int c = 0; c < FAILMAP_N_CODES - 1; c++)
        gp_printf(&g, "c == %d ? 0x%s : ", c, map_colours[c] + 1);
    gp_printf(&g, "0x%s\n", map_colours[FAILMAP_N_CODES - 1] + 1);
    gp_begin_terminals(&g, stem, 1000, h < 480 ? 480 : h);
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
              "    set key outside right top box opaque\n"
              "    set ytics (",
              flo, fhi, rows - 1);
    for (size_t i = 0; i < a->n_loads; i++) {
        char t[256], o[32];
        fmt_ohm(a->loads[i].load_ohm, o, sizeof o);
        if (strcmp(a->loads[i].load, AS_LOAD_RESISTOR) == 0)
            snprintf(t, sizeof t, "%s", o);
        else
            snprintf(t, sizeof t, "%s %s", a->loads[i].load, o);
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
    for (int c = 0; c < FAILMAP_N_CODES; c++)
        gp_printf(&g, ", \\\n        keyentry with boxes fs solid 1.0 fc rgb '%s' title '%s'",
                  map_colours[c], failmap_code_name((enum failmap_code)c));
    gp_printf(&g, "\n");
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

static enum as_status step_power(const struct plot_job *j, char *err, size_t errlen)
{
    const struct results_settings *s = &j->r->settings;
    if (!s->has_large || !power_drawable(j->r, j->ref, 0))
        return AS_OK;
    struct plot_figure *f = add(j->set, -1);
    if (!f)
        return no_memory(err, errlen);
    snprintf(f->stem, sizeof f->stem, "power_vs_load");
    snprintf(f->caption, sizeof f->caption,
             "Maximum output power (at %.3g %% THD) against load for every amp, at each "
             "large-signal frequency, with the power the speaker and headphone profiles need.",
             s->thd_limit_pct);
    return fig_power(j->r, j->plots, f->stem, f->caption, err, errlen);
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
    if (!(f = add(j->set, -1)))
        return no_memory(err, errlen);
    snprintf(f->stem, sizeof f->stem, "zout");
    snprintf(f->caption, sizeof f->caption,
             "Output impedance |Zout| against frequency for every amp; below a dashed line "
             "the amp meets the 1/8 rule for that load.");
    return fig_zout(r, j->plots, f->stem, f->caption, err, errlen);
}

static enum as_status step_thd(const struct plot_job *j, char *err, size_t errlen)
{
    if (!j->r->settings.has_large || !power_drawable(j->r, j->ref, 1))
        return AS_OK;
    struct plot_figure *f = add(j->set, -1);
    if (!f)
        return no_memory(err, errlen);
    snprintf(f->stem, sizeof f->stem, "thd_vs_power");
    snprintf(f->caption, sizeof f->caption,
             "THD against output power at %.4g Hz into the resistive loads nearest 8 and 32 "
             "ohm: every clean level the clipping search and the dissipation search ran "
             "(from about 4 %% of full power up to clipping).",
             j->ref);
    return fig_thd(j->r, j->dir, j->plots, f->stem, f->caption, err, errlen);
}

static enum as_status step_thermal(const struct plot_job *j, char *err, size_t errlen)
{
    if (!j->r->settings.has_large || !thermal_drawable(j->r, j->ref, 0))
        return AS_OK;
    struct plot_figure *f = add(j->set, -1);
    if (!f)
        return no_memory(err, errlen);
    snprintf(f->stem, sizeof f->stem, "thermal_vs_load");
    snprintf(f->caption, sizeof f->caption,
             "Dissipation and junction temperature against load at %.4g Hz, at the signal "
             "level that heats each device most.",
             j->ref);
    return fig_thermal(j->r, j->plots, f->stem, f->caption, err, errlen);
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

static enum as_status step_failure_maps(const struct plot_job *j, char *err, size_t errlen)
{
    const struct results *r = j->r;
    struct failmap *m = NULL;
    enum as_status st = failmap_build(r, &m, err, errlen);
    if (st == AS_OK)
        st = write_failure_map(m, j->plots, err, errlen);
    char crit[128];
    criteria_list(crit, sizeof crit);
    for (size_t i = 0; st == AS_OK && i < r->n_amps; i++) {
        struct plot_figure *f = add(j->set, (int)i);
        if (!f) {
            st = no_memory(err, errlen);
            break;
        }
        amp_stem(r, i, "failure_map_", f->stem, sizeof f->stem);
        snprintf(f->caption, sizeof f->caption,
                 "%s: the failure map, each load and frequency coloured by the first criterion "
                 "that fails there (%s), green where all pass.",
                 r->amps[i].name, crit);
        st = fig_failure_map(r, m, i, j->plots, f->stem, f->caption, err, errlen);
    }
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
