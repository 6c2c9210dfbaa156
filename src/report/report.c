/* report: writes report.html from a results folder and its figures. Exists
 * because the people asking "can my headphone amp drive speakers?" want one
 * page, not five CSV files. The page is plain HTML with an inline style
 * sheet and one small inline script that marks images that failed to load
 * (visible to a reader, and checked by tests/test_report_browser.sh). */
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
    if (strcmp(l->load, AS_LOAD_RESISTOR) == 0)
        html(fp, "%g Ω", l->load_ohm);
    else
        html(fp, "%s %g Ω", l->load, l->load_ohm);
}

static const char *style =
    "body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:1200px;margin:1em auto;"
    "padding:0 1em;color:#222;line-height:1.4}"
    "h1{font-size:1.6em}h2{border-bottom:2px solid #ccc;padding-bottom:.2em;margin-top:1.6em}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f3f3f3}"
    ".pass{background:#d9f2d9}.fail{background:#f8d0d0}.unknown{background:#eeeeee}"
    ".mixed{background:#fbe8c4}"
    "td.c{text-align:center}"
    ".swatch{display:inline-block;width:.9em;height:.9em;border-radius:.2em;"
    "margin-right:.35em;vertical-align:middle}"
    ".amp{border:1px solid #ddd;border-radius:.4em;padding:.5em 1em;margin:.8em 0}"
    ".answer{margin:.3em 0}.answer b{display:inline-block;min-width:7em}"
    "figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}"
    "figcaption{color:#444;font-size:.95em}"
    ".broken{display:block;padding:1em;background:#f8d0d0}"
    ".note{color:#555;font-size:.9em}";

static void section_answers(FILE *fp, const struct results *r)
{
    html(fp, "<h2 id=\"answers\">Can it drive speakers? Can it drive headphones?</h2>\n");
    if (r->n_amps == 0)
        html(fp, "<p>No amp was measured: see the failures below.</p>\n");
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        html(fp,
             "<div class=\"amp\"><h3><span class=\"swatch\" style=\"background:%s\"></span>%s"
             "</h3>\n<p class=\"note\">%s amp, netlist <code>%s</code>. %s</p>\n",
             plot_amp_colour(i), a->name, a->kind, a->netlist, a->source);
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
        html(fp, "</div>\n");
    }
}

static void section_verdicts(FILE *fp, const struct results *r)
{
    html(fp, "<h2 id=\"verdicts\">Verdicts</h2>\n"
             "<p>Each amp into each load, judged on power, frequency-response deviation, damping "
             "(the 1/8 rule) and junction temperature (docs/metrics.md). Green passes, red "
             "fails, grey was not measured; hover a cell of the overview for its sentence.</p>\n");
    /* overview: amps x loads */
    html(fp, "<table class=\"overview\"><tr><th>amp</th>");
    const struct results_amp *widest = NULL;
    for (size_t i = 0; i < r->n_amps; i++)
        if (!widest || r->amps[i].n_loads > widest->n_loads)
            widest = &r->amps[i];
    for (size_t k = 0; widest && k < widest->n_loads; k++) {
        html(fp, "<th>");
        load_label(fp, &widest->loads[k]);
        html(fp, "</th>");
    }
    html(fp, "</tr>\n");
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        html(fp, "<tr><th><span class=\"swatch\" style=\"background:%s\"></span>%s</th>",
             plot_amp_colour(i), a->name);
        for (size_t k = 0; k < a->n_loads; k++)
            html(fp, "<td class=\"c %s\" title=\"%s\">%s</td>", pass_class(a->loads[k].pass),
                 a->loads[k].verdict,
                 a->loads[k].pass == 1   ? "✓"
                 : a->loads[k].pass == 0 ? "✗"
                                         : "?");
        html(fp, "</tr>\n");
    }
    html(fp, "</table>\n");
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        html(fp,
             "<h3><span class=\"swatch\" style=\"background:%s\"></span>%s</h3>\n"
             "<table class=\"verdict\"><tr><th>load</th><th>use</th><th>verdict</th>",
             plot_amp_colour(i), a->name);
        for (int c = 0; c < VERDICT_N_CRITERIA; c++)
            html(fp, "<th>%s</th>", crit_heading((enum verdict_criterion)c));
        html(fp, "<th>in words</th></tr>\n");
        for (size_t k = 0; k < a->n_loads; k++) {
            const struct results_load *l = &a->loads[k];
            html(fp, "<tr><td>");
            load_label(fp, l);
            html(fp, "</td><td>%s</td><td class=\"%s\">%s</td>", l->profile, pass_class(l->pass),
                 pass_word(l->pass));
            for (int c = 0; c < VERDICT_N_CRITERIA; c++)
                html(fp, "<td class=\"c %s\">%s</td>", pass_class(l->crit_pass[c]),
                     l->crit_pass[c] == 1   ? "✓"
                     : l->crit_pass[c] == 0 ? "✗"
                                            : "?");
            html(fp, "<td class=\"%s\">%s</td></tr>\n", pass_class(l->pass), l->verdict);
        }
        html(fp, "</table>\n");
    }
}

static void section_figures(FILE *fp, const struct plot_set *figs)
{
    html(fp, "<h2 id=\"figures\">Figures</h2>\n"
             "<p class=\"note\">Click a figure for its SVG. Each is drawn by a gnuplot script "
             "beside it in <code>plots/</code>; edit it and re-run <code>gnuplot "
             "plots/NAME.gp</code>.</p>\n");
    if (!figs || figs->n == 0) {
        html(fp, "<p>No figures: run <code>ampsweep plot</code> on this folder.</p>\n");
        return;
    }
    for (size_t i = 0; i < figs->n; i++) {
        const struct plot_figure *f = &figs->figs[i];
        html(fp, "<figure id=\"fig-%s\">", f->stem);
        if (f->rendered)
            html(fp,
                 "<a href=\"%s/%s.svg\"><img src=\"%s/%s.png\" alt=\"%s\" loading=\"eager\"></a>",
                 PLOT_SUBDIR, f->stem, PLOT_SUBDIR, f->stem, f->caption);
        else
            html(fp,
                 "<span class=\"broken\">Not drawn: gnuplot failed or did not run on "
                 "<code>%s/%s.gp</code> (see <code>%s/%s.log</code>).</span>",
                 PLOT_SUBDIR, f->stem, PLOT_SUBDIR, f->stem);
        html(fp, "<figcaption>%s</figcaption></figure>\n", f->caption);
    }
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

static void list_nums(FILE *fp, const double *v, size_t n)
{
    if (n > 8) {
        html(fp, "%zu values, %g to %g", n, v[0], v[n - 1]);
        return;
    }
    for (size_t i = 0; i < n; i++)
        html(fp, "%s%g", i ? ", " : "", v[i]);
    if (n == 0)
        html(fp, "none");
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
    list_nums(fp, s->loads_ohm, s->n_loads_ohm);
    html(fp, "</td></tr>\n<tr><th>load files</th><td>");
    for (size_t i = 0; i < s->n_load_files; i++)
        html(fp, "%s<code>%s</code>", i ? ", " : "", s->load_files[i]);
    if (!s->n_load_files)
        html(fp, "none");
    html(fp, "</td></tr>\n<tr><th>frequencies (Hz)</th><td>");
    list_nums(fp, s->freqs_hz, s->n_freqs_hz);
    html(fp, "</td></tr>\n<tr><th>large-signal frequencies (Hz)</th><td>");
    list_nums(fp, s->tran_freqs_hz, s->n_tran_freqs_hz);
    html(fp,
         "</td></tr>\n<tr><th>THD limit</th><td>%g %%</td></tr>\n"
         "<tr><th>ambient</th><td>%g °C</td></tr>\n<tr><th>use profile</th><td>%s</td></tr>\n"
         "<tr><th>speaker</th><td>%g dB SPL at 1 W, 1 m; %g dB SPL wanted at %g m</td></tr>\n"
         "<tr><th>headphone</th><td>%g dB SPL at 1 mW; %g dB SPL wanted</td></tr>\n"
         "<tr><th>allowed response deviation</th><td>%g dB peak to peak</td></tr>\n</table>\n",
         s->thd_limit_pct, s->ambient_c, s->profile, s->verdict.spk_sens_db,
         s->verdict.spk_target_db, s->verdict.spk_distance_m, s->verdict.hp_sens_db,
         s->verdict.hp_target_db, s->verdict.max_dev_db);
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
        else
            html(fp, "<li>%s into %s %g Ω at %g Hz: %s</li>\n", f->amp, f->load, f->load_ohm,
                 f->freq_hz, f->error);
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
         "<a href=\"#answers\">Answers</a> · <a href=\"#verdicts\">verdicts</a> · "
         "<a href=\"#figures\">figures</a> · <a href=\"#claims\">common claims</a> · "
         "<a href=\"#settings\">settings</a>. The numbers are in "
         "<a href=\"%s\">%s</a> and the CSV files beside this page.</p>\n",
         r->n_amps, r->n_amps == 1 ? "" : "s", RESULTS_SUMMARY_FILE, RESULTS_SUMMARY_FILE);
    if (r->n_failures)
        html(fp,
             "<p class=\"fail\">&nbsp;%zu failure%s while simulating: see <a "
             "href=\"#failures\">below</a>.</p>\n",
             r->n_failures, r->n_failures == 1 ? "" : "s");
    section_answers(fp, r);
    section_verdicts(fp, r);
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
             "});\n"
             "</script>\n</body></html>\n");
    return afile_commit(f, ferror(fp) ? EIO : 0, err, errlen);
}
