/* failmap: works out the failure map from a results folder. Kept apart from
 * the plotting so that the rule deciding a cell's colour can be checked
 * against hand-made results. */
#include "report/failmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "judge/verdict.h"

const char *failmap_code_name(enum failmap_code c)
{
    if (c == FAILMAP_PASS)
        return "pass";
    if (c >= FAILMAP_POWER && c < FAILMAP_UNKNOWN)
        return verdict_criterion_name((enum verdict_criterion)(c - FAILMAP_POWER));
    return "unknown";
}

static int same(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static int is_load(const char *amp, const char *load, double ohm, const char *ra, const char *rl,
                   double rohm)
{
    return strcmp(amp, ra) == 0 && strcmp(load, rl) == 0 && same(ohm, rohm);
}

/* The large-signal frequency nearest f on a log axis (NAN if none). */
static double nearest_tran(const struct results *r, double f)
{
    double best = NAN;
    for (size_t i = 0; i < r->settings.n_tran_freqs_hz; i++) {
        double t = r->settings.tran_freqs_hz[i];
        if (isnan(best) || fabs(log(t / f)) < fabs(log(best / f)))
            best = t;
    }
    return best;
}

/* The limit verdict.csv holds for a criterion of amp and load, judged with
 * the load's profile (NAN if none). */
static double verdict_limit(const struct results *r, const struct results_amp *a,
                            const struct results_load *l, enum verdict_criterion criterion)
{
    const char *name = verdict_criterion_name(criterion);
    for (size_t i = 0; i < r->n_verdicts; i++) {
        const struct results_verdict *v = &r->verdicts[i];
        if (is_load(a->name, l->load, l->load_ohm, v->amp, v->load, v->load_ohm) &&
            strcmp(v->criterion, name) == 0 &&
            (!*v->profile || !*l->profile || strcmp(v->profile, l->profile) == 0))
            return v->limit;
    }
    return NAN;
}

/* Each criterion's state at one cell: 1 fails, 0 passes, -1 unknown. */
static int power_fails(const struct results *r, const struct results_amp *a,
                       const struct results_load *l, double f, double required)
{
    double t = nearest_tran(r, f);
    if (!r->settings.has_large || isnan(t) || isnan(required))
        return -1;
    for (size_t i = 0; i < r->n_power; i++) {
        const struct results_power *p = &r->power[i];
        if (is_load(a->name, l->load, l->load_ohm, p->amp, p->load, p->load_ohm) &&
            same(p->freq_hz, t)) {
            /* the available power of the verdicts: into the nominal impedance
             * at the voltage reached (p_max_w for a resistor) */
            double avail = p->vout_rms_v * p->vout_rms_v / p->load_ohm;
            return isnan(avail) ? -1 : avail < required;
        }
    }
    return -1;
}

static int thermal_fails(const struct results *r, const struct results_amp *a,
                         const struct results_load *l, double f)
{
    double t = nearest_tran(r, f);
    int state = -1;
    if (!r->settings.has_large || isnan(t))
        return -1;
    for (size_t i = 0; i < r->n_diss; i++) {
        const struct results_diss *d = &r->diss[i];
        if (!is_load(a->name, l->load, l->load_ohm, d->amp, d->load, d->load_ohm) ||
            !same(d->freq_hz, t) || strcmp(d->device, "total") == 0)
            continue;
        if (isnan(d->tj_eighth_c) || isnan(d->tj_max_c))
            continue;
        if (d->tj_eighth_c > d->tj_max_c)
            return 1;
        state = 0;
    }
    return state;
}

static int dc_fails(const struct results *r, const struct results_amp *a,
                    const struct results_load *l, double f, double limit)
{
    double t = nearest_tran(r, f);
    if (!r->settings.has_large || isnan(t) || isnan(limit))
        return -1;
    for (size_t i = 0; i < r->n_power; i++) {
        const struct results_power *p = &r->power[i];
        if (is_load(a->name, l->load, l->load_ohm, p->amp, p->load, p->load_ohm) &&
            same(p->freq_hz, t))
            return isnan(p->vout_dc_v) ? -1 : fabs(p->vout_dc_v) > limit;
    }
    return -1;
}

static void fill_amp_load(const struct results *r, const struct results_amp *a,
                          const struct results_load *l, size_t row, const double *freqs,
                          size_t n_freqs, struct failmap_cell *cells)
{
    double required = verdict_limit(r, a, l, VERDICT_POWER);
    double max_dev = verdict_limit(r, a, l, VERDICT_FR_DEVIATION);
    double min_damp = verdict_limit(r, a, l, VERDICT_DAMPING);
    double dc_max = verdict_limit(r, a, l, VERDICT_DC_OFFSET);
    if (isnan(max_dev))
        max_dev = r->settings.verdict.max_dev_db;
    if (isnan(min_damp))
        min_damp = VERDICT_DAMPING_MIN;
    double top_dev = NAN;
    for (size_t i = 0; i < r->n_fr; i++) {
        const struct results_fr *x = &r->fr[i];
        if (is_load(a->name, l->load, l->load_ohm, x->amp, x->load, x->load_ohm) &&
            x->freq_hz >= VERDICT_BAND_LO_HZ * (1 - 1e-9) &&
            x->freq_hz <= VERDICT_BAND_HI_HZ * (1 + 1e-9) && !isnan(x->dev_db) &&
            (isnan(top_dev) || x->dev_db > top_dev))
            top_dev = x->dev_db;
    }
    for (size_t k = 0; k < n_freqs; k++) {
        double f = freqs[k];
        int st[VERDICT_N_CRITERIA] = {
            [VERDICT_POWER] = power_fails(r, a, l, f, required),
            [VERDICT_FR_DEVIATION] = -1,
            [VERDICT_DAMPING] = -1,
            [VERDICT_THERMAL] = thermal_fails(r, a, l, f),
            [VERDICT_DC_OFFSET] = dc_fails(r, a, l, f, dc_max),
            /* hiss is the load's, the same at every frequency */
            [VERDICT_HISS] = l->crit_pass[VERDICT_HISS] < 0 ? -1 : !l->crit_pass[VERDICT_HISS]};
        for (size_t i = 0; i < r->n_fr; i++) {
            const struct results_fr *x = &r->fr[i];
            if (!is_load(a->name, l->load, l->load_ohm, x->amp, x->load, x->load_ohm) ||
                !same(x->freq_hz, f))
                continue;
            if (!isnan(x->dev_db) && !isnan(top_dev))
                st[VERDICT_FR_DEVIATION] = x->dev_db < top_dev - max_dev;
            double ratio = x->zload_ohm / x->zout_ohm; /* inf for an ideal source */
            if (!isnan(ratio))
                st[VERDICT_DAMPING] = ratio < min_damp;
            break;
        }
        enum failmap_code code = FAILMAP_PASS;
        for (int c = 0; c < VERDICT_N_CRITERIA && code == FAILMAP_PASS; c++)
            if (st[c] == 1)
                code = (enum failmap_code)(FAILMAP_POWER + c);
        for (int c = 0; c < VERDICT_N_CRITERIA && code == FAILMAP_PASS; c++)
            if (st[c] < 0)
                code = FAILMAP_UNKNOWN;
        double lo =
            k > 0 ? sqrt(freqs[k - 1] * f) : (n_freqs > 1 ? f * f / sqrt(freqs[1] * f) : f / 1.25);
        double hi = k + 1 < n_freqs ? sqrt(freqs[k + 1] * f)
                                    : (n_freqs > 1 ? f * f / sqrt(freqs[k - 1] * f) : f * 1.25);
        cells[k] = (struct failmap_cell){.amp = a->name,
                                         .load = l->load,
                                         .load_ohm = l->load_ohm,
                                         .freq_hz = f,
                                         .row = row,
                                         .f_lo_hz = lo,
                                         .f_hi_hz = hi,
                                         .code = code};
    }
}

enum as_status failmap_build(const struct results *r, struct failmap **out, char *err,
                             size_t errlen)
{
    *out = NULL;
    const struct results_settings *s = &r->settings;
    const double *freqs = s->has_fr ? s->freqs_hz : s->tran_freqs_hz;
    size_t n_freqs = s->has_fr ? s->n_freqs_hz : s->n_tran_freqs_hz;
    size_t n = 0;
    for (size_t i = 0; i < r->n_amps; i++)
        n += r->amps[i].n_loads * n_freqs;
    struct failmap *m = calloc(1, sizeof *m);
    if (m)
        m->cells = calloc(n + 1, sizeof *m->cells);
    if (!m || !m->cells) {
        failmap_free(m);
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n_amps; i++)
        for (size_t j = 0; j < r->amps[i].n_loads; j++, m->n_cells += n_freqs)
            fill_amp_load(r, &r->amps[i], &r->amps[i].loads[j], j, freqs, n_freqs,
                          m->cells + m->n_cells);
    *out = m;
    return AS_OK;
}

int failmap_varies(const struct failmap *m, const char *amp)
{
    for (size_t i = 1; i < m->n_cells; i++) {
        const struct failmap_cell *x = &m->cells[i], *p = &m->cells[i - 1];
        if (strcmp(x->amp, amp) == 0 && strcmp(p->amp, amp) == 0 && x->row == p->row &&
            x->code != p->code)
            return 1;
    }
    return 0;
}

enum failmap_code failmap_verdict_code(const struct results_load *l)
{
    for (int c = 0; c < VERDICT_N_CRITERIA; c++)
        if (l->crit_pass[c] == 0)
            return (enum failmap_code)(FAILMAP_POWER + c);
    for (int c = 0; c < VERDICT_N_CRITERIA; c++)
        if (l->crit_pass[c] < 0)
            return FAILMAP_UNKNOWN;
    return FAILMAP_PASS;
}

void failmap_free(struct failmap *m)
{
    if (!m)
        return;
    free(m->cells);
    free(m);
}
