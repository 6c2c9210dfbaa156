/* findings: turns a results folder into sentences a person can act on.
 * Exists so the report's words are computed (and testable) rather than
 * written by hand: every number in a sentence comes from the results. */
#include "report/findings.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/name.h"
#include "judge/verdict.h"

#define SPEAKER_MAX_OHM 16.0 /* the "speaker loads" of the claims: 4-16 ohm */

/* A criterion in the words of a sentence: its name (judge/verdict.h), or
 * more words where the name is a column name. */
static const char *crit_words(enum verdict_criterion c)
{
    switch (c) {
    case VERDICT_FR_DEVIATION:
        return "frequency response";
    case VERDICT_DAMPING:
        return "damping (1/8 rule)";
    default:
        return verdict_criterion_name(c);
    }
}

const char *findings_answer_name(enum findings_answer a)
{
    switch (a) {
    case FINDINGS_YES:
        return "Yes";
    case FINDINGS_PARTLY:
        return "Partly";
    case FINDINGS_NO:
        return "No";
    case FINDINGS_UNKNOWN:
        return "Cannot tell";
    case FINDINGS_NOT_TESTED:
        break;
    }
    return "Not tested";
}

const char *findings_verdict_name(enum findings_verdict v)
{
    switch (v) {
    case FINDINGS_SUPPORTED:
        return "supported";
    case FINDINGS_REFUTED:
        return "refuted";
    case FINDINGS_MIXED:
        return "mixed";
    case FINDINGS_UNTESTED:
        break;
    }
    return "not tested";
}

/* Append to a fixed buffer; a full buffer is cut, never overrun. */
static void cat(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char *buf, size_t len, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, len - n, fmt, ap);
    va_end(ap);
}

static void watts(double w, char *buf, size_t len)
{
    if (isnan(w))
        snprintf(buf, len, "unknown power");
    else if (w >= 1)
        snprintf(buf, len, "%.3g W", w);
    else
        snprintf(buf, len, "%.3g mW", w * 1e3);
}

static void load_label(const struct results_load *l, char *buf, size_t len)
{
    if (strcmp(l->load, AS_LOAD_RESISTOR) == 0)
        snprintf(buf, len, "%.4g Ω", l->load_ohm);
    else
        snprintf(buf, len, "%s (%.4g Ω)", l->load, l->load_ohm);
}

/* "4, 8 and 16 Ω"-style list of the loads in idx. */
static void load_list(const struct results_amp *a, const size_t *idx, size_t n, char *buf,
                      size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        char l[160];
        load_label(&a->loads[idx[i]], l, sizeof l);
        cat(buf, len, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", l);
    }
}

void findings_answer(const struct results *r, size_t ai, const char *profile,
                     struct findings_answer_text *out)
{
    const struct results_amp *a = &r->amps[ai];
    size_t idx[256], pass[256], n = 0, n_pass = 0, n_fail = 0;
    for (size_t i = 0; i < a->n_loads && n < 256; i++) {
        if (strcmp(a->loads[i].profile, profile) != 0)
            continue;
        idx[n++] = i;
        if (a->loads[i].pass == 1)
            pass[n_pass++] = i;
        else if (a->loads[i].pass == 0)
            n_fail++;
    }
    char *t = out->text;
    size_t tl = sizeof out->text;
    t[0] = '\0';
    const char *what = strcmp(profile, verdict_profile_name(VERDICT_SPEAKER)) == 0
                           ? verdict_profile_name(VERDICT_SPEAKER)
                           : verdict_profile_name(VERDICT_HEADPHONE);
    if (n == 0) {
        out->answer = FINDINGS_NOT_TESTED;
        snprintf(t, tl, "This sweep had no load judged as a %s.", what);
        return;
    }
    out->answer = n_pass == n   ? FINDINGS_YES
                  : n_pass      ? FINDINGS_PARTLY
                  : n_fail == n ? FINDINGS_NO
                  : n_fail      ? FINDINGS_NO
                                : FINDINGS_UNKNOWN;
    /* the most power it gives into a load of this use */
    size_t best = idx[0];
    for (size_t i = 0; i < n; i++)
        if (isnan(a->loads[best].p_available_w) ||
            a->loads[idx[i]].p_available_w > a->loads[best].p_available_w)
            best = idx[i];
    const struct results_load *b = &a->loads[best];
    char all[1024], list[1024], pa[32], pr[32], bl[160];
    load_list(a, idx, n, all, sizeof all);
    watts(b->p_available_w, pa, sizeof pa);
    watts(b->p_required_w, pr, sizeof pr);
    load_label(b, bl, sizeof bl);
    switch (out->answer) {
    case FINDINGS_YES:
        cat(t, tl, "It passes every criterion into every %s load swept (%s).", what, all);
        break;
    case FINDINGS_PARTLY:
        load_list(a, pass, n_pass, list, sizeof list);
        cat(t, tl, "It passes every criterion into %s, not into every %s load swept.", list, what);
        break;
    case FINDINGS_NO:
        cat(t, tl, "It fails into every %s load swept (%s)%s.", what, all,
            n_fail < n ? " that could be judged" : "");
        break;
    default:
        cat(t, tl,
            "Nothing fails into the %s loads (%s), but not every criterion "
            "was measured.",
            what, all);
        break;
    }
    if (!isnan(b->p_available_w)) {
        cat(t, tl, " At best it delivers %s (into %s) where %s is needed", pa, bl, pr);
        if (b->p_available_w < b->p_required_w)
            cat(t, tl, ": %.1f dB short.", 10 * log10(b->p_required_w / b->p_available_w));
        else
            cat(t, tl, ".");
    }
    for (int c = 0; c < VERDICT_N_CRITERIA; c++) {
        size_t bad[256], nb = 0;
        for (size_t i = 0; i < n; i++)
            if (a->loads[idx[i]].crit_pass[c] == 0)
                bad[nb++] = idx[i];
        if (!nb)
            continue;
        load_list(a, bad, nb, list, sizeof list);
        cat(t, tl, " Fails %s into %s.", crit_words((enum verdict_criterion)c), list);
    }
}

/* ---- claims ----------------------------------------------------------- */

/* An amp of kind "both" (no *@ kind) counts as either. */
static int is_kind(const struct results_amp *a, const char *kind)
{
    return strcmp(a->kind, kind) == 0 || strcmp(a->kind, AS_AMP_BOTH) == 0;
}

/* Headphone amps deliver well under 1 W into speaker loads. */
static void claim_power(const struct results *r, struct findings_claim *c)
{
    c->claim = "Headphone amps deliver well under 1 W into speaker loads (4–16 Ω).";
    int under = 0, over = 0;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        if (!is_kind(a, AS_AMP_HEADPHONE))
            continue;
        double most = NAN, at = NAN;
        for (size_t k = 0; k < a->n_loads; k++) {
            const struct results_load *l = &a->loads[k];
            if (l->load_ohm <= SPEAKER_MAX_OHM && !isnan(l->p_available_w) &&
                (isnan(most) || l->p_available_w > most)) {
                most = l->p_available_w;
                at = l->load_ohm;
            }
        }
        if (isnan(most))
            continue;
        char w[32];
        watts(most, w, sizeof w);
        cat(c->evidence, sizeof c->evidence, "%s: at most %s (into %.4g Ω). ", a->name, w, at);
        if (most < 1)
            under++;
        else
            over++;
    }
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        if (!is_kind(a, AS_AMP_POWER))
            continue;
        for (size_t k = 0; k < a->n_loads; k++)
            if (a->loads[k].load_ohm <= SPEAKER_MAX_OHM && !isnan(a->loads[k].p_available_w)) {
                char w[32];
                watts(a->loads[k].p_available_w, w, sizeof w);
                cat(c->evidence, sizeof c->evidence,
                    "For comparison, power amp %s: %s into %.4g Ω. ", a->name, w,
                    a->loads[k].load_ohm);
                break;
            }
    }
    c->verdict = !under && !over ? FINDINGS_UNTESTED
                 : !over         ? FINDINGS_SUPPORTED
                 : !under        ? FINDINGS_REFUTED
                                 : FINDINGS_MIXED;
    if (c->verdict == FINDINGS_UNTESTED)
        cat(c->evidence, sizeof c->evidence,
            "No headphone amp was measured into a speaker load (large-signal analysis and a "
            "load of 16 Ω or less are needed).");
}

/* |Zout| of amp a at the fr.csv frequency nearest 1 kHz, and its range
 * over the band (from the rows of its first load: Zout is measured with
 * the output open). */
static int zout_of(const struct results *r, const struct results_amp *a, double *at1k, double *lo,
                   double *hi)
{
    double best_f = NAN;
    *at1k = *lo = *hi = NAN;
    if (a->n_loads == 0)
        return 0;
    for (size_t i = 0; i < r->n_fr; i++) {
        const struct results_fr *x = &r->fr[i];
        if (strcmp(x->amp, a->name) != 0 || strcmp(x->load, a->loads[0].load) != 0 ||
            x->load_ohm != a->loads[0].load_ohm || isnan(x->zout_ohm))
            continue;
        *lo = isnan(*lo) ? x->zout_ohm : fmin(*lo, x->zout_ohm);
        *hi = isnan(*hi) ? x->zout_ohm : fmax(*hi, x->zout_ohm);
        if (isnan(best_f) || fabs(log(x->freq_hz / 1000)) < fabs(log(best_f / 1000))) {
            best_f = x->freq_hz;
            *at1k = x->zout_ohm;
        }
    }
    return !isnan(*at1k);
}

static void claim_zout(const struct results *r, struct findings_claim *c)
{
    c->claim = "Headphone amps have an output impedance from about 0.5 Ω to 50 Ω.";
    int in = 0, out = 0;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        double z, lo, hi;
        if (!is_kind(a, AS_AMP_HEADPHONE) || !zout_of(r, a, &z, &lo, &hi))
            continue;
        int ok = z >= 0.5 && z <= 50;
        cat(c->evidence, sizeof c->evidence,
            "%s: |Zout| %.3g Ω at 1 kHz (%.3g–%.3g Ω over the swept band), %s. ", a->name, z, lo,
            hi,
            ok        ? "inside 0.5–50 Ω"
            : z < 0.5 ? "below 0.5 Ω"
                      : "above 50 Ω");
        in += ok;
        out += !ok;
    }
    c->verdict = !in && !out ? FINDINGS_UNTESTED
                 : !out      ? FINDINGS_SUPPORTED
                 : !in       ? FINDINGS_REFUTED
                             : FINDINGS_MIXED;
    if (c->verdict == FINDINGS_UNTESTED)
        cat(c->evidence, sizeof c->evidence,
            "No headphone amp's small-signal response was measured.");
    else
        cat(c->evidence, sizeof c->evidence,
            "These are the simulated netlists only: the claim is about products on the market.");
}

static double verdict_value(const struct results *r, const char *amp, const char *load, double ohm,
                            const char *criterion)
{
    for (size_t i = 0; i < r->n_verdicts; i++) {
        const struct results_verdict *v = &r->verdicts[i];
        if (strcmp(v->amp, amp) == 0 && strcmp(v->load, load) == 0 && v->load_ohm == ohm &&
            strcmp(v->criterion, criterion) == 0)
            return v->value;
    }
    return NAN;
}

static void claim_rule8(const struct results *r, struct findings_claim *c)
{
    c->claim = "An amp's output impedance should be at most an eighth of the load's (the 1/8 "
               "rule), or the load will change the frequency response audibly (about 1 dB).";
    double limit = isfinite(r->settings.verdict.max_dev_db) ? r->settings.verdict.max_dev_db : 1;
    size_t n_meet = 0, n_break = 0, n_break_bad = 0;
    double max_meet = NAN, max_break = NAN;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        for (size_t k = 0; k < a->n_loads; k++) {
            const struct results_load *l = &a->loads[k];
            double damp = verdict_value(r, a->name, l->load, l->load_ohm,
                                        verdict_criterion_name(VERDICT_DAMPING));
            double dev = verdict_value(r, a->name, l->load, l->load_ohm,
                                       verdict_criterion_name(VERDICT_FR_DEVIATION));
            if (isnan(damp) || isnan(dev))
                continue;
            if (damp >= VERDICT_DAMPING_MIN) {
                n_meet++;
                max_meet = isnan(max_meet) ? dev : fmax(max_meet, dev);
            } else {
                n_break++;
                n_break_bad += dev > limit;
                max_break = isnan(max_break) ? dev : fmax(max_break, dev);
            }
        }
    }
    if (n_meet)
        cat(c->evidence, sizeof c->evidence,
            "%zu amp and load pairs meet the rule; their response changes by at most %.3g dB "
            "peak to peak over the band. ",
            n_meet, max_meet);
    if (n_break)
        cat(c->evidence, sizeof c->evidence,
            "%zu break it; their response changes by up to %.3g dB, more than %.3g dB in %zu of "
            "them. ",
            n_break, max_break, limit, n_break_bad);
    else if (n_meet)
        cat(c->evidence, sizeof c->evidence, "No pair breaks it, so the other half is untested. ");
    if (!n_meet && !n_break) {
        c->verdict = FINDINGS_UNTESTED;
        cat(c->evidence, sizeof c->evidence, "The small-signal analysis did not run.");
    } else if (n_meet && max_meet > limit) {
        c->verdict = FINDINGS_REFUTED;
    } else if (n_break && n_break_bad == 0) {
        c->verdict = FINDINGS_MIXED;
        cat(c->evidence, sizeof c->evidence,
            "Breaking the rule did not cost response flatness here: into a resistor a high "
            "output impedance only lowers the level evenly; it shows with speakers' and "
            "headphones' impedance swings (load files).");
    } else {
        c->verdict = FINDINGS_SUPPORTED;
    }
}

/* The lowest and highest load at which amp a passes every criterion. */
static int pass_range(const struct results_amp *a, double *lo, double *hi, int *in_spk)
{
    int any = 0;
    *lo = *hi = NAN;
    *in_spk = 0;
    for (size_t k = 0; k < a->n_loads; k++) {
        const struct results_load *l = &a->loads[k];
        if (l->pass != 1)
            continue;
        *lo = any ? fmin(*lo, l->load_ohm) : l->load_ohm;
        *hi = any ? fmax(*hi, l->load_ohm) : l->load_ohm;
        *in_spk |= l->load_ohm <= SPEAKER_MAX_OHM;
        any = 1;
    }
    return any;
}

static void claim_ranges(const struct results *r, struct findings_claim *c)
{
    c->claim = "Power amps are built for 4–16 Ω loads and headphone amps for 16–600 Ω.";
    int fits = 0, misfits = 0;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        int hp = is_kind(a, AS_AMP_HEADPHONE), pw = is_kind(a, AS_AMP_POWER);
        if (!hp && !pw)
            continue;
        int known = 0;
        for (size_t k = 0; k < a->n_loads; k++)
            known |= a->loads[k].pass >= 0;
        if (!known)
            continue;
        double lo, hi;
        int in_spk;
        int any = pass_range(a, &lo, &hi, &in_spk);
        int upper = 0; /* passes somewhere above 16 ohm */
        for (size_t k = 0; k < a->n_loads; k++)
            upper |= a->loads[k].pass == 1 && a->loads[k].load_ohm > SPEAKER_MAX_OHM;
        int fit = pw ? in_spk : (upper && !in_spk);
        if (any)
            cat(c->evidence, sizeof c->evidence,
                "%s (%s amp) passes every criterion somewhere between %.4g and %.4g Ω%s. ", a->name,
                a->kind, lo, hi, in_spk ? ", speaker loads included" : ", at no speaker load");
        else
            cat(c->evidence, sizeof c->evidence,
                "%s (%s amp) passes every criterion at no load swept. ", a->name, a->kind);
        fits += fit;
        misfits += !fit;
    }
    c->verdict = !fits && !misfits ? FINDINGS_UNTESTED
                 : !misfits        ? FINDINGS_SUPPORTED
                 : !fits           ? FINDINGS_REFUTED
                                   : FINDINGS_MIXED;
    if (c->verdict == FINDINGS_UNTESTED)
        cat(c->evidence, sizeof c->evidence, "No amp has a complete verdict at any load.");
    else
        cat(c->evidence, sizeof c->evidence,
            "Counted as fitting: a power amp that passes at a 4–16 Ω load; a headphone amp that "
            "passes above 16 Ω and at no speaker load.");
}

/* The hottest device of amp a over loads in (lo, hi]: its tj, tj_max and load. */
static int hottest(const struct results *r, const char *amp, double lo, double hi, double *tj,
                   double *tj_max, double *ohm, const char **device)
{
    int any = 0;
    for (size_t i = 0; i < r->n_diss; i++) {
        const struct results_diss *d = &r->diss[i];
        if (strcmp(d->amp, amp) != 0 || strcmp(d->device, "total") == 0 ||
            !(d->load_ohm > lo && d->load_ohm <= hi) || isnan(d->tj_worst_c) || isnan(d->tj_max_c))
            continue;
        if (!any || d->tj_worst_c - d->tj_max_c > *tj - *tj_max) {
            *tj = d->tj_worst_c;
            *tj_max = d->tj_max_c;
            *ohm = d->load_ohm;
            *device = d->device;
        }
        any = 1;
    }
    return any;
}

static void claim_hot(const struct results *r, struct findings_claim *c)
{
    c->claim = "A headphone amp driving speakers runs hot.";
    int over = 0, warmer = 0, cool = 0;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        double tj, tmax, ohm, tj2 = NAN, tmax2, ohm2;
        const char *dev, *dev2;
        if (!is_kind(a, AS_AMP_HEADPHONE) ||
            !hottest(r, a->name, 0, SPEAKER_MAX_OHM, &tj, &tmax, &ohm, &dev))
            continue;
        int has2 = hottest(r, a->name, SPEAKER_MAX_OHM, INFINITY, &tj2, &tmax2, &ohm2, &dev2);
        cat(c->evidence, sizeof c->evidence,
            "%s: device %s reaches %.3g °C into %.4g Ω (limit %.3g °C, %s %.3g °C)", a->name, dev,
            tj, ohm, tmax, tj > tmax ? "over by" : "margin", fabs(tmax - tj));
        if (has2)
            cat(c->evidence, sizeof c->evidence, "; into headphone loads at most %.3g °C (%s)", tj2,
                dev2);
        cat(c->evidence, sizeof c->evidence, ". ");
        if (tj > tmax)
            over++;
        else if (has2 && tj - tj2 >= 10)
            warmer++;
        else
            cool++;
    }
    c->verdict = !over && !warmer && !cool  ? FINDINGS_UNTESTED
                 : over && !warmer && !cool ? FINDINGS_SUPPORTED
                 : !over && !warmer         ? FINDINGS_REFUTED
                                            : FINDINGS_MIXED;
    if (c->verdict == FINDINGS_UNTESTED)
        cat(c->evidence, sizeof c->evidence,
            "No headphone amp's junction temperatures were measured into a speaker load.");
    else
        cat(c->evidence, sizeof c->evidence,
            "Counted as supported where a device exceeds its tj_max; mixed where it runs at "
            "least 10 °C hotter than into headphones but within its limit.");
}

void findings_claims(const struct results *r, struct findings_claim out[FINDINGS_N_CLAIMS])
{
    memset(out, 0, FINDINGS_N_CLAIMS * sizeof *out);
    claim_power(r, &out[0]);
    claim_zout(r, &out[1]);
    claim_rule8(r, &out[2]);
    claim_ranges(r, &out[3]);
    claim_hot(r, &out[4]);
}
