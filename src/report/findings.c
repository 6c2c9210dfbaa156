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

void findings_ohm(double ohm, char *buf, size_t len)
{
    if (!isfinite(ohm))
        snprintf(buf, len, "? Ω");
    else if (fabs(ohm) < 1000)
        snprintf(buf, len, "%.3g Ω", ohm);
    else {
        double mag = pow(10, floor(log10(fabs(ohm))) - 2);
        snprintf(buf, len, "%.0f Ω", round(ohm / mag) * mag);
    }
}

void findings_load_label(const struct results_load *l, char *buf, size_t len)
{
    char o[32];
    findings_ohm(l->load_ohm, o, sizeof o);
    int n = strcmp(l->load, AS_LOAD_RESISTOR) == 0 ? snprintf(buf, len, "%s", o)
                                                   : snprintf(buf, len, "%s (%s)", l->load, o);
    /* a label cut short by a small buffer still reads; it is only a label */
    if (n < 0 || (size_t)n >= len)
        buf[len - 1] = '\0';
}

const char *findings_cause(const struct results_load *l)
{
    for (int c = 0; c < VERDICT_N_CRITERIA; c++) {
        if (l->crit_pass[c] != 0)
            continue;
        switch ((enum verdict_criterion)c) {
        case VERDICT_POWER:
            if (l->limit && strcmp(l->limit, "current") == 0)
                return "current limit";
            if (l->limit && strcmp(l->limit, "voltage") == 0)
                return "voltage limit";
            if (l->limit && strcmp(l->limit, "slew") == 0)
                return "slew limit";
            return "too quiet";
        case VERDICT_FR_DEVIATION:
            return "response";
        case VERDICT_DAMPING:
            return "damping";
        case VERDICT_THERMAL:
            return "heat";
        case VERDICT_DC_OFFSET:
            return "DC offset";
        case VERDICT_HISS:
            return "hiss";
        case VERDICT_N_CRITERIA:
            break;
        }
    }
    return l->pass == 1 ? "" : "not measured";
}

double findings_target_db(const struct results *r, const char *profile)
{
    const struct verdict_settings *v = &r->settings.verdict;
    return strcmp(profile, verdict_profile_name(VERDICT_SPEAKER)) == 0 ? v->spk_target_db
                                                                       : v->hp_target_db;
}

/* Position of load k among amp a's resistors of the same profile (runs of
 * neighbours print as a range), or -1 for a load file. */
static long resistor_rank(const struct results_amp *a, size_t k)
{
    const struct results_load *l = &a->loads[k];
    if (strcmp(l->load, AS_LOAD_RESISTOR) != 0)
        return -1;
    long rank = 0;
    for (size_t i = 0; i < k; i++)
        rank += strcmp(a->loads[i].load, AS_LOAD_RESISTOR) == 0 &&
                strcmp(a->loads[i].profile, l->profile) == 0;
    return rank;
}

/* "4–9.9 Ω, 16 Ω and bookshelf_8ohm (8 Ω)"-style list of the loads in idx:
 * neighbouring resistors of the sweep as one range. */
static void load_list(const struct results_amp *a, const size_t *idx, size_t n, char *buf,
                      size_t len)
{
    char items[64][96];
    size_t m = 0;
    for (size_t i = 0; i < n && m < 64; i++) {
        size_t j = i;
        long r0 = resistor_rank(a, idx[i]);
        while (r0 >= 0 && j + 1 < n && resistor_rank(a, idx[j + 1]) == r0 + (long)(j + 1 - i))
            j++;
        char lo[32], hi[32];
        findings_load_label(&a->loads[idx[i]], lo, sizeof lo);
        if (j > i) {
            findings_ohm(a->loads[idx[j]].load_ohm, hi, sizeof hi);
            lo[strcspn(lo, " ")] = '\0';
            snprintf(items[m++], sizeof items[0], "%s–%s", lo, hi);
        } else {
            snprintf(items[m++], sizeof items[0], "%s", lo);
        }
        i = j;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < m; i++)
        cat(buf, len, "%s%s", i == 0 ? "" : i + 1 == m ? " and " : ", ", items[i]);
}

/* The loudest clean level of the loads idx[0..n-1], in words. */
static void best_level(const struct results *r, const struct results_amp *a, const size_t *idx,
                       size_t n, const char *profile, char *t, size_t tl)
{
    const struct results_load *b = NULL;
    for (size_t i = 0; i < n; i++) {
        const struct results_load *l = &a->loads[idx[i]];
        if (isfinite(l->spl_db) && (!b || l->spl_db > b->spl_db))
            b = l;
    }
    if (!b)
        return;
    char bl[160], pa[32];
    findings_load_label(b, bl, sizeof bl);
    watts(b->p_available_w, pa, sizeof pa);
    int spk = strcmp(profile, verdict_profile_name(VERDICT_SPEAKER)) == 0;
    cat(t, tl, " At best %.0f dB SPL peaks %s (%s, %s into %s); the target is %.0f dB.", b->spl_db,
        spk ? "at the seat" : "at the ear", b->tier[0] ? b->tier : "no tier", pa, bl,
        findings_target_db(r, profile));
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
    out->answer = n_pass == n ? FINDINGS_YES
                  : n_pass    ? FINDINGS_PARTLY
                  : n_fail    ? FINDINGS_NO
                              : FINDINGS_UNKNOWN;
    char list[1024];
    switch (out->answer) {
    case FINDINGS_YES:
        load_list(a, idx, n, list, sizeof list);
        cat(t, tl, "It passes every criterion into every %s load swept (%s).", what, list);
        break;
    case FINDINGS_PARTLY:
        load_list(a, pass, n_pass, list, sizeof list);
        cat(t, tl, "It passes every criterion into %s, not into every %s load swept.", list, what);
        break;
    case FINDINGS_NO:
        cat(t, tl, "It fails into every %s load swept (%zu load%s)%s.", what, n, n == 1 ? "" : "s",
            n_fail < n ? " that could be judged" : "");
        break;
    default:
        cat(t, tl,
            "Nothing fails into the %s loads (%zu load%s), but not every criterion was "
            "measured.",
            what, n, n == 1 ? "" : "s");
        break;
    }
    best_level(r, a, idx, n, profile, t, tl);
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

/* A load judged as a speaker (a 16 ohm resistor is judged both ways). */
static int is_speaker(const struct results_load *l)
{
    return strcmp(l->profile, verdict_profile_name(VERDICT_SPEAKER)) == 0;
}

/* Whether amp a has load (name, ohm) judged as a speaker. */
static int judged_as_speaker(const struct results_amp *a, const char *load, double ohm)
{
    for (size_t k = 0; k < a->n_loads; k++)
        if (strcmp(a->loads[k].load, load) == 0 && a->loads[k].load_ohm == ohm &&
            is_speaker(&a->loads[k]))
            return 1;
    return 0;
}

/* Headphone amps deliver well under 1 W into speaker loads. */
static void claim_power(const struct results *r, struct findings_claim *c)
{
    c->claim = "Headphone amps deliver well under 1 W into speaker loads.";
    int under = 0, over = 0;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        if (!is_kind(a, AS_AMP_HEADPHONE))
            continue;
        double most = NAN;
        const struct results_load *at = NULL;
        for (size_t k = 0; k < a->n_loads; k++) {
            const struct results_load *l = &a->loads[k];
            if (is_speaker(l) && !isnan(l->p_available_w) &&
                (isnan(most) || l->p_available_w > most)) {
                most = l->p_available_w;
                at = l;
            }
        }
        if (isnan(most))
            continue;
        char w[32], where[160];
        watts(most, w, sizeof w);
        findings_load_label(at, where, sizeof where);
        cat(c->evidence, sizeof c->evidence, "%s: at most %s (into %s, %.0f dB SPL at the seat). ",
            a->name, w, where, at->spl_db);
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
            if (is_speaker(&a->loads[k]) && !isnan(a->loads[k].p_available_w)) {
                char w[32], where[160];
                watts(a->loads[k].p_available_w, w, sizeof w);
                findings_load_label(&a->loads[k], where, sizeof where);
                cat(c->evidence, sizeof c->evidence,
                    "For comparison, power amp %s: %s into %s (%.0f dB SPL). ", a->name, w, where,
                    a->loads[k].spl_db);
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
            "load judged as a speaker are needed).");
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
            if (k > 0 && strcmp(a->loads[k - 1].load, l->load) == 0 &&
                a->loads[k - 1].load_ohm == l->load_ohm)
                continue; /* the same pair judged a second way */
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

/* Of amp a's loads judged with profile: how many, and how many pass. */
static void pass_count(const struct results_amp *a, int speaker, size_t *n, size_t *n_pass,
                       int *known)
{
    *n = *n_pass = 0;
    for (size_t k = 0; k < a->n_loads; k++) {
        const struct results_load *l = &a->loads[k];
        if (is_speaker(l) != speaker)
            continue;
        (*n)++;
        *n_pass += l->pass == 1;
        *known |= l->pass >= 0;
    }
}

static void claim_ranges(const struct results *r, struct findings_claim *c)
{
    c->claim = "Power amps are built for speakers (4–16 Ω) and headphone amps for headphones "
               "(16–600 Ω).";
    int fits = 0, misfits = 0;
    for (size_t i = 0; i < r->n_amps; i++) {
        const struct results_amp *a = &r->amps[i];
        int hp = is_kind(a, AS_AMP_HEADPHONE), pw = is_kind(a, AS_AMP_POWER);
        if (!hp && !pw)
            continue;
        int known = 0;
        size_t ns, nsp, nh, nhp;
        pass_count(a, 1, &ns, &nsp, &known);
        pass_count(a, 0, &nh, &nhp, &known);
        if (!known)
            continue;
        /* a power amp fits when it passes into a speaker; a headphone amp
         * when it passes into a headphone and into no speaker */
        int fit = pw ? nsp > 0 : (nhp > 0 && nsp == 0);
        cat(c->evidence, sizeof c->evidence,
            "%s (%s amp) passes into %zu of %zu speaker loads and %zu of %zu headphone loads. ",
            a->name, a->kind, nsp, ns, nhp, nh);
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
            "Counted as fitting: a power amp that passes into a speaker load; a headphone amp "
            "that passes into a headphone load and into no speaker load. A power amp that also "
            "drives headphones still fits.");
}

/* The hottest device of amp a at 1/8 of its clipping power (the condition
 * heat is judged at) over the loads judged as speakers (speaker 1) or not
 * (0): its tj, tj_max and load. */
static int hottest(const struct results *r, const struct results_amp *a, int speaker, double *tj,
                   double *tj_max, double *ohm, const char **device)
{
    int any = 0;
    for (size_t i = 0; i < r->n_diss; i++) {
        const struct results_diss *d = &r->diss[i];
        if (strcmp(d->amp, a->name) != 0 || strcmp(d->device, "total") == 0 ||
            judged_as_speaker(a, d->load, d->load_ohm) != speaker || isnan(d->tj_eighth_c) ||
            isnan(d->tj_max_c))
            continue;
        if (!any || d->tj_eighth_c - d->tj_max_c > *tj - *tj_max) {
            *tj = d->tj_eighth_c;
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
        if (!is_kind(a, AS_AMP_HEADPHONE) || !hottest(r, a, 1, &tj, &tmax, &ohm, &dev))
            continue;
        int has2 = hottest(r, a, 0, &tj2, &tmax2, &ohm2, &dev2);
        char o[32];
        findings_ohm(ohm, o, sizeof o);
        cat(c->evidence, sizeof c->evidence,
            "%s: device %s reaches %.3g °C into %s at 1/8 power (limit %.3g °C, %s %.3g °C)",
            a->name, dev, tj, o, tmax, tj > tmax ? "over by" : "margin", fabs(tmax - tj));
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
            "Judged at 1/8 of the clipping power, as music plays (the continuous full-power "
            "sine of dissipation.csv's tj_worst_c is a stress case). Counted as supported where "
            "a device exceeds its tj_max; mixed where it runs at least 10 °C hotter than into "
            "headphones but within its limit.");
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
