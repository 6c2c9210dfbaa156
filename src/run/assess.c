/* assess: turns one amp's measured rows into its verdict per load. Kept
 * out of judge/ so that the rules stay plain arithmetic on numbers and the
 * report can use them without the engine's row types. */
#include "run/assess.h"

#include <math.h>
#include <string.h>

struct verdict_load assess_load_of(const struct load_spec *load)
{
    const struct loadfile *f = load->file;
    return (struct verdict_load){.name = f ? f->name : LOAD_RESISTOR_NAME,
                                 .nominal_ohm = load->nominal_ohm,
                                 .kind = f ? f->kind : NULL,
                                 .sens_db_spl_w = f ? f->sens_db_spl_w : NAN,
                                 .sens_db_spl_2v83 = f ? f->sens_db_spl_2v83 : NAN,
                                 .sens_db_spl_mw = f ? f->sens_db_spl_mw : NAN,
                                 .sens_db_spl_v = f ? f->sens_db_spl_v : NAN};
}

static int same_load(const char *amp, const struct verdict_load *load, const char *row_amp,
                     const char *row_load, double row_ohm)
{
    return strcmp(row_amp, amp) == 0 && strcmp(row_load, load->name) == 0 &&
           row_ohm == load->nominal_ohm;
}

/* fr_deviation (peak-to-peak dev_db) and damping (lowest |Zload| / |Zout|)
 * over the band, and hiss from the load's output noise. */
static void judge_fr(const char *amp, const struct verdict_load *load,
                     const struct verdict_settings *set, const struct fr_table *fr,
                     struct verdict *v)
{
    double lo = INFINITY, hi = -INFINITY, damp = INFINITY, noise_a_uv = NAN;
    size_t n = 0;
    for (size_t i = 0; fr && i < fr->len; i++) {
        const struct fr_row *r = &fr->rows[i];
        if (!same_load(amp, load, r->amp, r->load, r->load_ohm) || !verdict_in_band(r->freq_hz))
            continue;
        n++;
        lo = fmin(lo, r->dev_db);
        hi = fmax(hi, r->dev_db);
        damp = fmin(damp, r->zload_ohm / r->zout_ohm);
        noise_a_uv = r->vnoise_a_uv; /* the same on every row of the load */
    }
    if (n)
        verdict_judge_fr(v, set, hi - lo, damp);
    verdict_judge_hiss(v, noise_a_uv * 1e-6);
}

/* power (into the nominal impedance, lowest over frequency, and what
 * limits it there), thermal (the device closest to or furthest over its
 * tj_max_c at 1/8 of the clipping power) and the DC offset at rest (the
 * largest over the rows, which differ only by the operating point's
 * tolerance). */
static void judge_large(const char *amp, const struct verdict_load *load,
                        const struct large_table *large, struct verdict *v)
{
    double p_min = INFINITY, margin = INFINITY, tj = NAN, tj_max = NAN, vdc = NAN;
    const char *hottest = NULL, *limit = NULL;
    size_t n = 0, n_failed = 0;
    for (size_t i = 0; large && i < large->len; i++) {
        const struct large_row *r = &large->rows[i];
        if (!same_load(amp, load, r->amp, r->load, r->load_ohm))
            continue;
        n++;
        if (r->limit == LARGE_FAILED) {
            n_failed++;
            continue;
        }
        /* power into the nominal impedance at the output voltage reached: the
         * convention sensitivities are stated in (a speaker at its box
         * resonance takes little power at full voltage, and is no quieter) */
        double p = r->vout_rms_v * r->vout_rms_v / r->load_ohm;
        if (p < p_min) {
            p_min = p;
            limit = large_limit_name(r->limit);
        }
        if (!(fabs(vdc) >= fabs(r->vout_dc_v)))
            vdc = r->vout_dc_v;
        for (size_t k = 1; k <= r->n_devices; k++)
            if (r->tj_max_c[k] - r->tj_eighth_c[k] < margin) {
                margin = r->tj_max_c[k] - r->tj_eighth_c[k];
                tj = r->tj_eighth_c[k];
                tj_max = r->tj_max_c[k];
                hottest = r->device[k];
            }
    }
    if (n && !n_failed)
        verdict_judge_large(v, p_min, limit, isfinite(margin) ? hottest : NULL, tj, tj_max, vdc);
    else
        verdict_judge_large(v, NAN, NULL, NULL, NAN, NAN, NAN);
}

size_t assess_judge(const char *amp, const struct load_spec *load,
                    const struct verdict_settings *set, const struct fr_table *fr,
                    const struct large_table *large, struct verdict out[2])
{
    struct verdict_load vl = assess_load_of(load);
    enum verdict_profile p[2];
    size_t n = verdict_profiles_for(set, &vl, p);
    for (size_t i = 0; i < n; i++) {
        verdict_begin(amp, &vl, p[i], set, &out[i]);
        judge_fr(amp, &vl, set, fr, &out[i]);
        judge_large(amp, &vl, large, &out[i]);
    }
    return n;
}
