/* plot: writes the gnuplot scripts of the figures the issue asks for and
 * has gnuplot draw them. Exists so that the pictures come from the result
 * files alone and stay editable: every figure is a plain script beside its
 * image, reading the CSVs in the results folder.
 *
 * Scripts quote every string from the results as a gnuplot single-quoted
 * string ('' for a quote) and use noenhanced text, so a name cannot change
 * what a script does. */
#include "report/plot.h"

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
#include "judge/verdict.h"
#include "report/failmap.h"
#include "report/gprun.h"

/* ---- colours ---------------------------------------------------------- */

static const char *const amp_colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                          "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
#define N_AMP_COLOURS (sizeof amp_colours / sizeof amp_colours[0])

const char *plot_amp_colour(size_t i)
{
    return amp_colours[i % N_AMP_COLOURS];
}

/* The failure map's colours, by enum failmap_code. */
static const char *const map_colours[FAILMAP_N_CODES] = {"#1a9850", "#d73027", "#fc8d59",
                                                         "#7b3294", "#8c510a", "#bdbdbd"};

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
 * dialect, the helper functions. */
static enum as_status gp_open(const char *plots, const char *stem, const char *caption,
                              struct gp *g, char *err, size_t errlen)
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
                 "set datafile missing NaN\n"
                 "# a row of amp a into load l of o ohm; at frequency f\n"
                 "is(a, l) = strcol(1) eq a && strcol(2) eq l\n"
                 "sel(a, l, o) = is(a, l) && abs(column(3) - o) <= 1e-9 * o\n"
                 "at(f) = abs(column(4) - f) <= 1e-6 * f\n\n");
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
        if (strcmp(a->loads[i].load, "resistor") != 0 || !(o > 0))
            continue;
        if (isnan(best) || fabs(log(o / want)) < fabs(log(best / want)))
            best = o;
    }
    return best;
}

/* ---- figures ---------------------------------------------------------- */

static const char *const dash[] = {"1", "2", "4", "5", "3"};
#define N_DASH 5

static enum as_status fig_power(const struct results *r, const char *plots, const char *stem,
                                const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &g, err, errlen);
    if (st != AS_OK)
        return st;
    const struct results_settings *s = &r->settings;
    int spk = strcmp(s->profile, "headphone") != 0, hp = strcmp(s->profile, "speaker") != 0;
    double p_spk =
        verdict_required_w(VERDICT_SPEAKER, s->spk_sens_db, s->spk_distance_m, s->spk_target_db);
    double p_hp = verdict_required_w(VERDICT_HEADPHONE, s->hp_sens_db, NAN, s->hp_target_db);
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
                gp_printf(&g, "        data.'power.csv' using 3:(is(");
                gp_str(&g, a->name);
                gp_printf(&g, ", ");
                gp_str(&g, names[l]);
                gp_printf(&g,
                          ") && at(%.10g) ? $5 : NaN) with linespoints lw 2 lc rgb '%s' dt %s "
                          "pt %zu title ",
                          fr, plot_amp_colour(i), dash[f % N_DASH], 5 + 2 * (l % 4));
                char title[256];
                snprintf(title, sizeof title, "%s%s%s, %.6g Hz", a->name,
                         strcmp(names[l], "resistor") ? " into " : "",
                         strcmp(names[l], "resistor") ? names[l] : "", fr);
                gp_str(&g, title);
                gp_printf(&g, ", \\\n");
            }
    }
    char pw[64], line[512];
    if (spk) {
        fmt_power(p_spk, pw, sizeof pw);
        snprintf(line, sizeof line, "speakers need %s (%.3g dB SPL/W/m, %.3g dB SPL at %.3g m)", pw,
                 s->spk_sens_db, s->spk_target_db, s->spk_distance_m);
        gp_printf(&g, "        %.10g with lines lw 2 lc rgb 'black' dt 2 title ", p_spk);
        gp_str(&g, line);
        gp_printf(&g, ", \\\n");
    }
    if (hp) {
        fmt_power(p_hp, pw, sizeof pw);
        snprintf(line, sizeof line, "headphones need %s (%.3g dB SPL/mW, %.3g dB SPL)", pw,
                 s->hp_sens_db, s->hp_target_db);
        gp_printf(&g, "        %.10g with lines lw 2 lc rgb '#666666' dt 4 title ", p_hp);
        gp_str(&g, line);
        gp_printf(&g, ", \\\n");
    }
    gp_printf(&g, "        NaN notitle\n");
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

static enum as_status fig_fr_dev(const struct results *r, size_t ai, const char *plots,
                                 const char *stem, const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &g, err, errlen);
    if (st != AS_OK)
        return st;
    const struct results_amp *a = &r->amps[ai];
    double lo = 0, hi = 0, omin = NAN, omax = NAN;
    for (size_t i = 0; i < r->n_fr; i++)
        if (strcmp(r->fr[i].amp, a->name) == 0 && isfinite(r->fr[i].dev_db)) {
            lo = fmin(lo, r->fr[i].dev_db);
            hi = fmax(hi, r->fr[i].dev_db);
        }
    for (size_t i = 0; i < a->n_loads; i++)
        if (a->loads[i].load_ohm > 0) {
            omin = isnan(omin) ? a->loads[i].load_ohm : fmin(omin, a->loads[i].load_ohm);
            omax = isnan(omax) ? a->loads[i].load_ohm : fmax(omax, a->loads[i].load_ohm);
        }
    if (isnan(omin) || omin == omax) {
        omin = isnan(omin) ? 1 : omin / 2;
        omax = isnan(omax) ? 1000 : omax * 2;
    }
    double lim = isfinite(r->settings.max_dev_db) ? r->settings.max_dev_db : 1;
    lo = fmin(lo, -1.5 * lim);
    hi = fmax(hi, 0) + 0.25 * lim;
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
        int res = strcmp(l->load, "resistor") == 0;
        gp_printf(&g, "        data.'fr.csv' using 4:(sel(");
        gp_str(&g, a->name);
        gp_printf(&g, ", ");
        gp_str(&g, l->load);
        gp_printf(&g, ", %.10g) ? $6 : NaN) with lines lw 2 lc palette cb %.10g dt %s ",
                  l->load_ohm, l->load_ohm > 0 ? l->load_ohm : 1,
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

static enum as_status fig_zout(const struct results *r, const char *plots, const char *stem,
                               const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &g, err, errlen);
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
        gp_printf(&g, "        data.'fr.csv' using 4:(sel(");
        gp_str(&g, a->name);
        gp_printf(&g, ", ");
        gp_str(&g, a->loads[0].load);
        gp_printf(&g, ", %.10g) ? $8 : NaN) with linespoints lw 2 pt 7 ps 0.6 lc rgb '%s' title ",
                  a->loads[0].load_ohm, plot_amp_colour(i));
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

static enum as_status fig_thd(const struct results *r, const char *dir, const char *plots,
                              const char *stem, const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &g, err, errlen);
    if (st != AS_OK)
        return st;
    /* thd.csv holds every level measured; results written before it
     * existed have only the clipping level, in power.csv */
    char path[4096];
    snprintf(path, sizeof path, "%s/thd.csv", dir);
    int curve = access(path, R_OK) == 0;
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
            gp_printf(&g, "        data.'%s' using 5:(sel(", curve ? "thd.csv" : "power.csv");
            gp_str(&g, r->amps[i].name);
            gp_printf(&g,
                      ", 'resistor', %.10g) && at(%.10g) ? $%d : NaN) with %s pt %d ps 1.5 "
                      "lw 2 lc rgb '%s' title ",
                      o, ref, curve ? 6 : 8, curve ? "linespoints" : "points", k ? 9 : 7,
                      plot_amp_colour(i));
            gp_str(&g, t);
            gp_printf(&g, ", \\\n");
        }
    gp_printf(&g, "        %.6g with lines lc rgb '#666666' dt 2 title 'THD limit (--thd-limit)'\n",
              r->settings.thd_limit_pct);
    gp_end_terminals(&g);
    return gp_close(&g, err, errlen);
}

static void thermal_series(struct gp *g, const struct results *r, const char *col, int devices)
{
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
                gp_printf(g, "        data.'dissipation.csv' using 3:(is(");
                gp_str(g, a->name);
                gp_printf(g, ", ");
                gp_str(g, names[l]);
                gp_printf(g, ") && at(%.10g) && strcol(5) eq ", ref);
                gp_str(g, devs[d]);
                gp_printf(g, " ? %s : NaN) with linespoints lw 2 lc rgb '%s' dt %s pt %zu title ",
                          col, plot_amp_colour(i), dash[l % N_DASH], 4 + 2 * (d % 6));
                char t[256];
                snprintf(t, sizeof t, "%s %s%s%s", a->name, devs[d],
                         strcmp(names[l], "resistor") ? " into " : "",
                         strcmp(names[l], "resistor") ? names[l] : "");
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
            if (!strcmp(r->amps[a].name, p->amp) && !strcmp(p->load, "resistor") &&
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
    thermal_series(g, r, "$9", 1);
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

static enum as_status fig_thermal(const struct results *r, const char *plots, const char *stem,
                                  const char *caption, char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &g, err, errlen);
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
    thermal_series(&g, r, "$8", 0);
    thermal_series(&g, r, "$8", 1);
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
    snprintf(path, sizeof path, "%s/failure_map.csv", plots);
    struct csv *c = NULL;
    enum as_status st = csv_open(
        path, "amp,load,load_ohm,freq_hz,row,f_lo_hz,f_hi_hz,first_fail,code", &c, err, errlen);
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

static enum as_status fig_failure_map(const struct results *r, const struct failmap *m, size_t ai,
                                      const char *plots, const char *stem, const char *caption,
                                      char *err, size_t errlen)
{
    struct gp g;
    enum as_status st = gp_open(plots, stem, caption, &g, err, errlen);
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
        if (strcmp(a->loads[i].load, "resistor") == 0)
            snprintf(t, sizeof t, "%s", o);
        else
            snprintf(t, sizeof t, "%s %s", a->loads[i].load, o);
        gp_str(&g, t);
        gp_printf(&g, " %zu%s", i, i + 1 < a->n_loads ? ", " : "");
    }
    gp_printf(&g, ")\n"
                  "    plot here.'failure_map.csv' using (strcol(1) eq ");
    gp_str(&g, a->name);
    gp_printf(&g, " ? $4 : NaN):5:6:7:($5 - 0.5):($5 + 0.5):(colour($9)) with boxxyerror "
                  "fs solid 1.0 noborder lc rgb variable notitle");
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

static struct plot_figure *add(struct plot_set *set, int amp)
{
    struct plot_figure *f = &set->figs[set->n++];
    memset(f, 0, sizeof *f);
    f->amp = amp;
    return f;
}

enum as_status plot_write(const struct results *r, const char *dir, struct plot_set **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    enum as_status st = AS_OK;
    struct failmap *m = NULL;
    char plots[PATH_MAX];
    snprintf(plots, sizeof plots, "%s/%s", dir, PLOT_SUBDIR);
    struct plot_set *set = calloc(1, sizeof *set);
    if (set)
        set->figs = calloc(4 + 2 * r->n_amps + 1, sizeof *set->figs);
    if (!set || !set->figs) {
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        goto fail;
    }
    if (mkdir(plots, 0777) != 0 && errno != EEXIST) {
        st = as_fail(err, errlen, AS_EIO, "%s: cannot create: %s", plots, strerror(errno));
        goto fail;
    }
    const struct results_settings *s = &r->settings;
    struct plot_figure *f;
    /* gnuplot refuses a plot without a single point: a figure is drawn only
     * when its file holds a measured number */
    double ref = results_ref_freq_hz(r);
    if (s->has_large && power_drawable(r, ref, 0)) {
        f = add(set, -1);
        snprintf(f->stem, sizeof f->stem, "power_vs_load");
        snprintf(f->caption, sizeof f->caption,
                 "Maximum output power (at %.3g %% THD) against load for every amp, at each "
                 "large-signal frequency, with the power the speaker and headphone profiles need.",
                 s->thd_limit_pct);
        st = fig_power(r, plots, f->stem, f->caption, err, errlen);
    }
    for (size_t i = 0; st == AS_OK && s->has_fr && i < r->n_amps; i++) {
        f = add(set, (int)i);
        amp_stem(r, i, "fr_dev_", f->stem, sizeof f->stem);
        snprintf(f->caption, sizeof f->caption,
                 "%s: how much each load changes the frequency response (dev_db), one curve per "
                 "load, darker for higher impedance.",
                 r->amps[i].name);
        st = fig_fr_dev(r, i, plots, f->stem, f->caption, err, errlen);
    }
    if (st == AS_OK && s->has_fr) {
        f = add(set, -1);
        snprintf(f->stem, sizeof f->stem, "zout");
        snprintf(f->caption, sizeof f->caption,
                 "Output impedance |Zout| against frequency for every amp; below a dashed line "
                 "the amp meets the 1/8 rule for that load.");
        st = fig_zout(r, plots, f->stem, f->caption, err, errlen);
    }
    if (st == AS_OK && s->has_large && power_drawable(r, ref, 1)) {
        f = add(set, -1);
        snprintf(f->stem, sizeof f->stem, "thd_vs_power");
        snprintf(f->caption, sizeof f->caption,
                 "THD against output power at %.4g Hz into the resistive loads nearest 8 and 32 "
                 "ohm: every clean level the clipping search and the dissipation search ran "
                 "(from about 4 %% of full power up to clipping).",
                 ref);
        st = fig_thd(r, dir, plots, f->stem, f->caption, err, errlen);
    }
    if (st == AS_OK && s->has_large && thermal_drawable(r, ref, 0)) {
        f = add(set, -1);
        snprintf(f->stem, sizeof f->stem, "thermal_vs_load");
        snprintf(f->caption, sizeof f->caption,
                 "Dissipation and junction temperature against load at %.4g Hz, at the signal "
                 "level that heats each device most.",
                 ref);
        st = fig_thermal(r, plots, f->stem, f->caption, err, errlen);
    }
    if (st == AS_OK)
        st = failmap_build(r, &m, err, errlen);
    if (st == AS_OK)
        st = write_failure_map(m, plots, err, errlen);
    for (size_t i = 0; st == AS_OK && i < r->n_amps; i++) {
        f = add(set, (int)i);
        amp_stem(r, i, "failure_map_", f->stem, sizeof f->stem);
        snprintf(f->caption, sizeof f->caption,
                 "%s: the failure map, each load and frequency coloured by the first criterion "
                 "that fails there (power, fr_deviation, damping, thermal), green where all pass.",
                 r->amps[i].name);
        st = fig_failure_map(r, m, i, plots, f->stem, f->caption, err, errlen);
    }
    if (st != AS_OK)
        goto fail;
    failmap_free(m);
    *out = set;
    return AS_OK;
fail:
    failmap_free(m);
    plot_set_free(set);
    return st;
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
