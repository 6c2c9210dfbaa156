/* report: writes report.html from a results folder and its figures. Exists
 * because the people asking "can my headphone amp drive speakers?" want one
 * page, not five CSV files. The page is plain HTML with an inline style
 * sheet and one small inline script that marks images that failed to load
 * (visible to a reader, and checked by tests/test_report_browser.sh) and
 * records the page's width against the window's (the test fails a page that
 * scrolls sideways). */
#include "report/report.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "base/afile.h"
#include "base/name.h"
#include "judge/verdict.h"
#include "report/findings.h"
#include "results/schema.h"

void report_escape(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", fp);
            break;
        case '<':
            fputs("&lt;", fp);
            break;
        case '>':
            fputs("&gt;", fp);
            break;
        case '"':
            fputs("&quot;", fp);
            break;
        case '\'':
            fputs("&#39;", fp);
            break;
        default:
            fputc(*s, fp);
        }
    }
}

/* printf where every %s argument is escaped: only %s, %d, %zu, %g-style
 * conversions and %% are used in this file, so a tiny formatter does. */
/* A criterion's column heading: its name (judge/verdict.h), shorter for
 * the frequency response. */
static const char *crit_heading(enum verdict_criterion c)
{
    return c == VERDICT_FR_DEVIATION ? "response" : verdict_criterion_name(c);
}

static void html(FILE *fp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            fputc(*p, fp);
            continue;
        }
        char spec[16];
        size_t n = 0;
        spec[n++] = *p++;
        while (*p && !strchr("sdgfze%", *p) && n < 12)
            spec[n++] = *p++;
        if (*p == 'z' && p[1] == 'u') {
            spec[n++] = *p++;
        }
        spec[n++] = *p;
        spec[n] = '\0';
        switch (*p) {
        case 's':
            report_escape(fp, va_arg(ap, const char *));
            break;
        case 'd':
            fprintf(fp, spec, va_arg(ap, int));
            break;
        case 'u':
            fprintf(fp, spec, va_arg(ap, size_t));
            break;
        case 'g':
        case 'f':
        case 'e':
            fprintf(fp, spec, va_arg(ap, double));
            break;
        default:
            fputc('%', fp);
        }
        if (!*p)
            break;
    }
    va_end(ap);
}

static const char *pass_class(int pass)
{
    return pass == 1 ? "pass" : pass == 0 ? "fail" : "unknown";
}

static const char *pass_word(int pass)
{
    return pass == 1 ? "pass" : pass == 0 ? "fail" : "not measured";
}

static void load_label(FILE *fp, const struct results_load *l)
{
    char t[AS_NAME_MAX + 64];
    findings_load_label(l, t, sizeof t);
    html(fp, "%s", t);
}

static void ohm(FILE *fp, double o)
{
    char t[32];
    findings_ohm(o, t, sizeof t);
    html(fp, "%s", t);
}

/* A name that may break after its underscores in a narrow column. */
static void breakable(FILE *fp, const char *name)
{
    for (const char *p = name; *p; p++) {
        char c[2] = {*p, '\0'};
        html(fp, "%s", c);
        if (*p == '_' && p[1])
            fputs("<wbr>", fp);
    }
}

static const char *style =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1200px;margin:1em auto;"
    "padding:0 1em;color:#222;line-height:1.4}"
    "h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}td{overflow-wrap:break-word}"
    "table.matrix{table-layout:fixed;width:100%;font-size:.85em}"
    ".matrix th,.matrix td{padding:.2em .3em;overflow-wrap:anywhere;text-align:center;"
    "vertical-align:middle}"
    ".matrix col.ampcol{width:8.5em}.matrix col.twin{width:11em}.matrix th.ampcol{text-align:left}"
    ".matrix td.cell{padding:0}.matrix td.cell div{padding:.2em .3em}"
    ".matrix td.cell div+div{border-top:2px solid #fff}"
    ".cause{font-size:.9em;color:#333}.use{font-size:.85em;color:#555}"
    "table.verdict{font-size:.9em}"
    "details{margin:.5em 0}summary{cursor:pointer;font-weight:bold}"
    ".pass{background:#d9f2d9}.fail{background:#f8d0d0}.unknown{background:#eeeeee}"
    ".mixed{background:#fbe8c4}"
    "td.c{text-align:center}"
    ".swatch{display:inline-block;width:.9em;height:.9em;border-radius:.2em;"
    "margin-right:.35em;vertical-align:middle}"
    ".amp{border-top:1px solid #ddd;margin:1.5em 0}"
    ".answer{margin:.3em 0}.answer b{display:inline-block;min-width:7em}"
    "figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}"
    "figcaption{color:#444;font-size:.95em}"
    ".broken{display:block;padding:1em;background:#f8d0d0}"
    ".note{color:#555;font-size:.9em}";

/* ---- the matrix: amps x loads ------------------------------------------ */

/* A column of the matrix: a load file, or the resistor nearest want ohm. */
struct mcol {
    const char *load;
    double ohm;
    double want; /* the representative resistance; NAN for a load file */
    int twin;    /* 1: some amp's load here is judged both ways */
};

#define MATRIX_MAX_COLS 24
static const double matrix_ohms[] = {4, 8, 16, 32, 300, 600};

static int has_col(const struct mcol *cols, size_t n, const char *load, double o)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cols[i].load, load) == 0 && cols[i].ohm == o)
            return 1;
    return 0;
}

/* The resistor nearest want ohm (log distance) any amp was swept into. */
static double nearest_swept(const struct results *r, double want)
{
    double best = NAN;
    for (size_t i = 0; i < r->n_amps; i++)
        for (size_t k = 0; k < r->amps[i].n_loads; k++) {
            const struct results_load *l = &r->amps[i].loads[k];
            if (strcmp(l->load, AS_LOAD_RESISTOR) == 0 && l->load_ohm > 0 &&
                (isnan(best) || fabs(log(l->load_ohm / want)) < fabs(log(best / want))))
                best = l->load_ohm;
        }
    return best;
}

/* The load files (judged as speakers first), then the representative
 * resistors. */
static size_t matrix_columns(const struct results *r, struct mcol *cols)
{
    size_t n = 0;
    for (int hp = 0; hp < 2; hp++)
        for (size_t i = 0; i < r->n_amps; i++)
            for (size_t k = 0; k < r->amps[i].n_loads; k++) {
                const struct results_load *l = &r->amps[i].loads[k];
                int is_hp = strcmp(l->profile, verdict_profile_name(VERDICT_HEADPHONE)) == 0;
                if (strcmp(l->load, AS_LOAD_RESISTOR) != 0 && is_hp == hp && n < MATRIX_MAX_COLS &&
                    !has_col(cols, n, l->load, l->load_ohm))
                    cols[n++] = (struct mcol){l->load, l->load_ohm, NAN, 0};
            }
    /* a representative value stands for the swept load nearest it, if one
     * is within a factor of sqrt(2) (halfway to the next value's range) */
    for (size_t w = 0; w < sizeof matrix_ohms / sizeof *matrix_ohms; w++) {
        double want = matrix_ohms[w], o = nearest_swept(r, want);
        if (!isfinite(o) || fabs(log(o / want)) > 0.5 * log(2) + 1e-9)
            continue;
        if (n < MATRIX_MAX_COLS && !has_col(cols, n, AS_LOAD_RESISTOR, o))
            cols[n++] = (struct mcol){AS_LOAD_RESISTOR, o, want, 0};
    }
    for (size_t c = 0; c < n; c++)
        for (size_t i = 0; i < r->n_amps; i++) {
            size_t hits = 0;
            for (size_t k = 0; k < r->amps[i].n_loads; k++)
                hits += strcmp(r->amps[i].loads[k].load, cols[c].load) == 0 &&
                        r->amps[i].loads[k].load_ohm == cols[c].ohm;
            cols[c].twin |= hits > 1;
        }
    return n;
}

static const char *mark(int pass)
{
    return pass == 1 ? "✓" : pass == 0 ? "✗" : "?";
}

/* One cell: per profile the load was judged with, the level, the mark and
 * the first cause (or the tier when it passes). */
static void matrix_cell(FILE *fp, const struct results_amp *a, const struct mcol *c)
{
    const struct results_load *hit[2];
    size_t n = 0;
    for (size_t k = 0; k < a->n_loads && n < 2; k++)
        if (strcmp(a->loads[k].load, c->load) == 0 && a->loads[k].load_ohm == c->ohm)
            hit[n++] = &a->loads[k];
    if (n == 0) {
        html(fp, "<td class=\"c unknown\">not swept</td>");
        return;
    }
    if (n == 1)
        html(fp, "<td class=\"c %s\" title=\"%s\" data-profile=\"%s\">", pass_class(hit[0]->pass),
             hit[0]->verdict, hit[0]->profile);
    else
        html(fp, "<td class=\"cell\">");
    for (size_t i = 0; i < n; i++) {
        const struct results_load *l = hit[i];
        const char *cause = findings_cause(l);
        if (n > 1)
            html(fp,
                 "<div class=\"%s\" title=\"as a %s: %s\" data-profile=\"%s\"><span "
                 "class=\"use\">%s</span> ",
                 pass_class(l->pass), l->profile, l->verdict, l->profile,
                 strcmp(l->profile, verdict_profile_name(VERDICT_SPEAKER)) == 0 ? "spk" : "hp");
        if (isfinite(l->spl_db))
            html(fp, "<b>%.0f dB</b> %s", l->spl_db, mark(l->pass));
        else
            html(fp, "<b>? dB</b> %s", mark(l->pass));
        html(fp, "<br><span class=\"cause\">%s</span>", *cause ? cause : l->tier);
        if (n > 1)
            html(fp, "</div>");
    }
    html(fp, "</td>");
}

static void matrix_head(FILE *fp, const struct mcol *cols, size_t n)
{
    size_t n_files = 0;
    while (n_files < n && isnan(cols[n_files].want))
        n_files++;
    html(fp, "<table class=\"matrix\"><colgroup><col class=\"ampcol\">");
    for (size_t i = 0; i < n; i++)
        fputs(cols[i].twin ? "<col class=\"twin\">" : "<col>", fp);
    html(fp, "</colgroup>\n<tr><th rowspan=\"2\" class=\"ampcol\">amp</th>");
    if (n_files)
        html(fp, "<th colspan=\"%zu\">load models</th>", n_files);
    if (n > n_files)
        html(fp, "<th colspan=\"%zu\">resistors</th>", n - n_files);
    html(fp, "</tr>\n<tr>");
    for (size_t i = 0; i < n; i++) {
        html(fp, "<th>");
        if (isnan(cols[i].want)) {
            breakable(fp, cols[i].load);
            html(fp, "<br><span class=\"note\">");
            ohm(fp, cols[i].ohm);
            html(fp, "</span>");
        } else {
            ohm(fp, cols[i].ohm);
            if (fabs(log(cols[i].ohm / cols[i].want)) > 1e-3) {
                html(fp, "<br><span class=\"note\">for ");
                ohm(fp, cols[i].want);
                html(fp, "</span>");
            }
        }
        html(fp, "</th>");
    }
    html(fp, "</tr>\n");
}

static void section_matrix(FILE *fp, const struct results *r)
{
    const struct verdict_settings *v = &r->settings.verdict;
    html(fp,
         "<h2 id=\"matrix\">How loud, cleanly, and is it enough?</h2>\n"
         "<p>Each cell: the loudest clean level (peak dB SPL within %.3g %% THD) — for a "
         "speaker at a %.3g m seat, a stereo pair in a room (+%.3g dB pair, +%.3g dB room), for "
         "headphones at the ear — then ✓ when the amp passes every criterion (power for "
         "%.3g dB at the seat or %.3g dB at the ear, response, damping, heat at 1/8 power, DC "
         "offset, hiss), or ✗ and the first cause. A 16 Ω-class resistor is judged both as a "
         "speaker (spk) and as a headphone (hp). Hover a cell for its sentence.</p>\n",
         r->settings.thd_limit_pct, v->spk_distance_m, v->spk_pair_gain_db, v->spk_room_gain_db,
         v->spk_target_db, v->hp_target_db);
    struct mcol cols[MATRIX_MAX_COLS];
    size_t n = matrix_columns(r, cols);
    if (r->n_amps == 0 || n == 0) {
        html(fp, "<p>No amp was measured: see the failures below.</p>\n");
        return;
    }
    matrix_head(fp, cols, n);
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        html(fp,
             "<tr><th class=\"ampcol\"><a href=\"#amp-%zu\"><span class=\"swatch\" "
             "style=\"background:%s\"></span>",
             i, plot_amp_colour(i));
        breakable(fp, a->name);
        html(fp, "</a><br><span class=\"note\">%s</span></th>", a->kind);
        for (size_t c = 0; c < n; c++)
            matrix_cell(fp, a, &cols[c]);
        html(fp, "</tr>\n");
    }
    html(fp, "</table>\n<p class=\"note\">Resistor columns are the swept loads nearest 4, 8, 16, "
             "32, 300 and 600 Ω, where one lies within a factor of √2 (\"for\" names the value "
             "a column stands for when it was not swept exactly). Every load is in each amp's "
             "table below, on the failure map and in <code>summary.json</code>.</p>\n");
}

/* ---- per amp ------------------------------------------------------------ */

static void figure(FILE *fp, const struct plot_figure *f)
{
    html(fp, "<figure id=\"fig-%s\">", f->stem);
    if (f->rendered)
        html(fp, "<a href=\"%s/%s.svg\"><img src=\"%s/%s.png\" alt=\"%s\" loading=\"eager\"></a>",
             PLOT_SUBDIR, f->stem, PLOT_SUBDIR, f->stem, f->caption);
    else
        html(fp,
             "<span class=\"broken\">Not drawn: gnuplot failed or did not run on "
             "<code>%s/%s.gp</code> (see <code>%s/%s.log</code>).</span>",
             PLOT_SUBDIR, f->stem, PLOT_SUBDIR, f->stem);
    html(fp, "<figcaption>%s</figcaption></figure>\n", f->caption);
}

/* The figures of amp (-1: of every amp) that are (lead 1) or are not (0)
 * shown with the matrix. */
static void figures_of(FILE *fp, const struct plot_set *figs, int amp, int lead)
{
    for (size_t i = 0; figs && i < figs->n; i++)
        if (figs->figs[i].amp == amp && figs->figs[i].lead == lead)
            figure(fp, &figs->figs[i]);
}

static void amp_answers(FILE *fp, const struct results *r, size_t i)
{
    static const char *const uses[2] = {"speaker", "headphone"};
    static const char *const qs[2] = {"Can it drive speakers?", "Can it drive headphones?"};
    for (int u = 0; u < 2; u++) {
        struct findings_answer_text t;
        findings_answer(r, i, uses[u], &t);
        const char *cls = t.answer == FINDINGS_YES      ? "pass"
                          : t.answer == FINDINGS_NO     ? "fail"
                          : t.answer == FINDINGS_PARTLY ? "mixed"
                                                        : "unknown";
        html(fp,
             "<p class=\"answer\"><b>%s</b> <span class=\"%s\" data-answer=\"%s\">&nbsp;%s"
             "&nbsp;</span> %s</p>\n",
             qs[u], cls, uses[u], findings_answer_name(t.answer), t.text);
    }
}

static void amp_table(FILE *fp, const struct results_amp *a)
{
    html(fp,
         "<details><summary>Every load: %zu verdicts of %s</summary>\n"
         "<table class=\"verdict\"><tr><th>load</th><th>judged as</th><th>level</th>"
         "<th>tier</th><th>verdict</th>",
         a->n_loads, a->name);
    for (int c = 0; c < VERDICT_N_CRITERIA; c++)
        html(fp, "<th>%s</th>", crit_heading((enum verdict_criterion)c));
    html(fp, "<th>in words</th></tr>\n");
    for (size_t k = 0; k < a->n_loads; k++) {
        const struct results_load *l = &a->loads[k];
        html(fp, "<tr><td>");
        load_label(fp, l);
        html(fp, "</td><td>%s</td>", l->profile);
        if (isfinite(l->spl_db))
            html(fp, "<td>%.0f dB</td>", l->spl_db);
        else
            html(fp, "<td>?</td>");
        html(fp, "<td>%s</td><td class=\"%s\">%s</td>", l->tier, pass_class(l->pass),
             pass_word(l->pass));
        for (int c = 0; c < VERDICT_N_CRITERIA; c++)
            html(fp, "<td class=\"c %s\">%s</td>", pass_class(l->crit_pass[c]),
                 mark(l->crit_pass[c]));
        html(fp, "<td class=\"%s\">%s</td></tr>\n", pass_class(l->pass), l->verdict);
    }
    html(fp, "</table></details>\n");
}

static void section_amps(FILE *fp, const struct results *r, const struct plot_set *figs)
{
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        html(fp,
             "<section class=\"amp\" id=\"amp-%zu\"><h2><span class=\"swatch\" "
             "style=\"background:%s\"></span>%s</h2>\n"
             "<p class=\"note\">%s amp, netlist <code>%s</code>. %s</p>\n",
             i, plot_amp_colour(i), a->name, a->kind, a->netlist, a->source);
        amp_answers(fp, r, i);
        amp_table(fp, a);
        figures_of(fp, figs, (int)i, 0);
        html(fp, "</section>\n");
    }
}

static void section_figures(FILE *fp, const struct plot_set *figs)
{
    html(fp, "<h2 id=\"figures\">All amps: figures</h2>\n"
             "<p class=\"note\">Click a figure for its SVG. Each is drawn by a gnuplot script "
             "beside it in <code>plots/</code>; edit it and re-run <code>gnuplot "
             "plots/NAME.gp</code>.</p>\n");
    if (!figs || figs->n == 0) {
        html(fp, "<p>No figures: run <code>ampsweep plot</code> on this folder.</p>\n");
        return;
    }
    figures_of(fp, figs, -1, 0);
}

static void section_claims(FILE *fp, const struct results *r)
{
    struct findings_claim c[FINDINGS_N_CLAIMS];
    findings_claims(r, c);
    html(fp, "<h2 id=\"claims\">Common claims, checked against this simulation</h2>\n"
             "<table class=\"claims\"><tr><th>claim</th><th>here</th><th>the numbers</th></tr>\n");
    for (int i = 0; i < FINDINGS_N_CLAIMS; i++) {
        const char *cls = c[i].verdict == FINDINGS_SUPPORTED ? "pass"
                          : c[i].verdict == FINDINGS_REFUTED ? "fail"
                          : c[i].verdict == FINDINGS_MIXED   ? "mixed"
                                                             : "unknown";
        html(fp, "<tr><td>%s</td><td class=\"%s\">%s</td><td>%s</td></tr>\n", c[i].claim, cls,
             findings_verdict_name(c[i].verdict), c[i].evidence);
    }
    html(fp, "</table>\n");
}

/* The numbers v[0..n-1], or their count and range when many; ohm: as
 * impedances (3 significant digits). */
static void list_nums(FILE *fp, const double *v, size_t n, int ohm)
{
    const char *f = ohm ? "%s%.3g" : "%s%g";
    if (n > 8) {
        html(fp, ohm ? "%zu values, %.3g to %.3g" : "%zu values, %g to %g", n, v[0], v[n - 1]);
        return;
    }
    for (size_t i = 0; i < n; i++)
        html(fp, f, i ? ", " : "", v[i]);
    if (n == 0)
        html(fp, "none");
}

static void settings_model(FILE *fp, const struct verdict_settings *v)
{
    html(fp, "<tr><th>speakers</th><td>");
    if (isfinite(v->spk_sens_2v83_db))
        html(fp, "%g dB SPL at 2.83 V, 1 m", v->spk_sens_2v83_db);
    else
        html(fp, "%g dB SPL at 1 W, 1 m", v->spk_sens_db);
    html(fp,
         " (unless a load file states its own), heard at %g m with +%g dB for a stereo pair "
         "and +%g dB of room gain; %g dB SPL peaks wanted at the seat</td></tr>\n"
         "<tr><th>headphones</th><td>",
         v->spk_distance_m, v->spk_pair_gain_db, v->spk_room_gain_db, v->spk_target_db);
    if (isfinite(v->hp_sens_v_db))
        html(fp, "%g dB SPL at 1 Vrms", v->hp_sens_v_db);
    else
        html(fp, "%g dB SPL at 1 mW", v->hp_sens_db);
    html(fp,
         " (unless a load file states its own); %g dB SPL peaks wanted at the ear</td></tr>\n"
         "<tr><th>tiers (speakers / headphones)</th><td>",
         v->hp_target_db);
    for (int t = 0; t < VERDICT_N_TIERS; t++)
        html(fp, "%s%s from %g / %g dB", t ? ", " : "", verdict_tier_name((enum verdict_tier)t),
             verdict_tier_min_db(VERDICT_SPEAKER, (enum verdict_tier)t),
             verdict_tier_min_db(VERDICT_HEADPHONE, (enum verdict_tier)t));
    html(fp,
         "; below: %s</td></tr>\n<tr><th>heat</th><td>judged at 1/8 of the clipping power "
         "(continuous), as music plays</td></tr>\n"
         "<tr><th>allowed response deviation</th><td>%g dB peak to peak</td></tr>\n",
         VERDICT_TOO_QUIET, v->max_dev_db);
}

static void section_settings(FILE *fp, const struct results *r, const char *dir)
{
    const struct results_settings *s = &r->settings;
    html(fp,
         "<h2 id=\"settings\">Settings</h2>\n<table class=\"settings\">\n"
         "<tr><th>results folder</th><td><code>%s</code></td></tr>\n"
         "<tr><th>analyses</th><td>%s%s%s</td></tr>\n<tr><th>resistive loads (Ω)</th><td>",
         dir, s->has_fr ? "small-signal (fr)" : "", s->has_fr && s->has_large ? ", " : "",
         s->has_large ? "large-signal (large)" : "");
    list_nums(fp, s->loads_ohm, s->n_loads_ohm, 1);
    html(fp, "</td></tr>\n<tr><th>load files</th><td>");
    for (size_t i = 0; i < s->n_load_files; i++)
        html(fp, "%s<code>%s</code>", i ? ", " : "", s->load_files[i]);
    if (!s->n_load_files)
        html(fp, "none");
    html(fp, "</td></tr>\n<tr><th>frequencies (Hz)</th><td>");
    list_nums(fp, s->freqs_hz, s->n_freqs_hz, 0);
    html(fp, "</td></tr>\n<tr><th>large-signal frequencies (Hz)</th><td>");
    list_nums(fp, s->tran_freqs_hz, s->n_tran_freqs_hz, 0);
    html(fp,
         "</td></tr>\n<tr><th>THD limit</th><td>%g %%</td></tr>\n"
         "<tr><th>ambient</th><td>%g °C</td></tr>\n<tr><th>use profile</th><td>%s</td></tr>\n",
         s->thd_limit_pct, s->ambient_c, s->profile);
    settings_model(fp, &s->verdict);
    html(fp, "</table>\n");
}

static void section_failures(FILE *fp, const struct results *r)
{
    if (r->n_failures == 0)
        return;
    html(fp, "<h2 id=\"failures\">What failed to simulate</h2>\n<ul>\n");
    for (size_t i = 0; i < r->n_failures; i++) {
        const struct results_failure *f = &r->failures[i];
        if (f->netlist)
            html(fp, "<li><code>%s</code>: %s</li>\n", f->netlist, f->error);
        else {
            html(fp, "<li>%s into %s ", f->amp, f->load);
            ohm(fp, f->load_ohm);
            html(fp, " at %g Hz: %s</li>\n", f->freq_hz, f->error);
        }
    }
    html(fp, "</ul>\n");
}

enum as_status report_write(const struct results *r, const char *dir, const struct plot_set *figs,
                            char *err, size_t errlen)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/report.html", dir);
    struct afile *f = NULL;
    enum as_status st = afile_open(path, &f, err, errlen);
    if (st != AS_OK)
        return st;
    FILE *fp = afile_fp(f);
    html(fp, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<title>ampsweep report</title>\n<style>");
    fputs(style, fp);
    html(fp,
         "</style></head>\n<body>\n<h1>ampsweep report</h1>\n"
         "<p>%zu amp%s simulated into their loads with ngspice. "
         "<a href=\"#matrix\">The answer</a> · each amp (",
         r->n_amps, r->n_amps == 1 ? "" : "s");
    for (size_t i = 0; i < r->n_amps; i++)
        html(fp, "%s<a href=\"#amp-%zu\">%s</a>", i ? ", " : "", i, r->amps[i].name);
    html(fp,
         ") · <a href=\"#figures\">figures</a> · <a href=\"#claims\">common claims</a> · "
         "<a href=\"#settings\">settings</a>. The numbers are in "
         "<a href=\"%s\">%s</a> and the CSV files beside this page.</p>\n",
         RESULTS_SUMMARY_FILE, RESULTS_SUMMARY_FILE);
    if (r->n_failures)
        html(fp,
             "<p class=\"fail\">&nbsp;%zu failure%s while simulating: see <a "
             "href=\"#failures\">below</a>.</p>\n",
             r->n_failures, r->n_failures == 1 ? "" : "s");
    section_matrix(fp, r);
    figures_of(fp, figs, -1, 1);
    section_amps(fp, r, figs);
    section_figures(fp, figs);
    section_claims(fp, r);
    section_settings(fp, r, dir);
    section_failures(fp, r);
    html(fp, "<script>\n"
             "/* mark every figure that did not load, for the reader and for the browser test */\n"
             "window.addEventListener('load', function () {\n"
             "  var imgs = document.images, ok = 0;\n"
             "  for (var i = 0; i < imgs.length; i++) {\n"
             "    var good = imgs[i].complete && imgs[i].naturalWidth > 0;\n"
             "    imgs[i].setAttribute('data-loaded', good ? 'yes' : 'no');\n"
             "    if (good) { ok++; } else {\n"
             "      var s = document.createElement('span');\n"
             "      s.className = 'broken';\n"
             "      s.textContent = 'Figure missing: ' + imgs[i].getAttribute('src');\n"
             "      imgs[i].parentNode.insertBefore(s, imgs[i]);\n"
             "    }\n"
             "  }\n"
             "  document.body.setAttribute('data-images', ok + '/' + imgs.length);\n"
             "  /* how wide the page is against the window: wider scrolls sideways */\n"
             "  document.body.setAttribute('data-scroll-width', "
             "document.documentElement.scrollWidth);\n"
             "  document.body.setAttribute('data-client-width', "
             "document.documentElement.clientWidth);\n"
             "});\n"
             "</script>\n</body></html>\n");
    return afile_commit(f, ferror(fp) ? EIO : 0, err, errlen);
}
