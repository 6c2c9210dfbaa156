/* verdict: profiles, required power, SPL and the four pass/fail criteria.
 *
 * Exists so that every number the report leads with (needs, delivers,
 * reaches, passes) comes from one place with one definition
 * (docs/metrics.md).
 */
#include "verdict.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double verdict_required_w(enum verdict_profile p, double sens_db, double distance_m,
                          double target_db)
{
    if (p == VERDICT_HEADPHONE)
        return 1e-3 * pow(10.0, (target_db - sens_db) / 10.0);
    /* SPL falls 20 log10(d / 1 m) with distance (a point source in free field) */
    return pow(10.0, (target_db - sens_db + 20.0 * log10(distance_m)) / 10.0);
}

double verdict_spl_db(enum verdict_profile p, double sens_db, double distance_m, double p_w)
{
    if (p == VERDICT_HEADPHONE)
        return sens_db + 10.0 * log10(p_w / 1e-3);
    return sens_db + 10.0 * log10(p_w) - 20.0 * log10(distance_m);
}

enum verdict_profile verdict_profile_for(const struct verdict_settings *set,
                                         const struct load_spec *load)
{
    if (set->profile != VERDICT_AUTO)
        return set->profile;
    if (load->file)
        return strcmp(load->file->kind, "headphone") == 0 ? VERDICT_HEADPHONE : VERDICT_SPEAKER;
    return load->nominal_ohm <= VERDICT_AUTO_SPEAKER_MAX_OHM ? VERDICT_SPEAKER : VERDICT_HEADPHONE;
}

const char *verdict_profile_name(enum verdict_profile p)
{
    return p == VERDICT_HEADPHONE ? "headphone" : p == VERDICT_SPEAKER ? "speaker" : "auto";
}

const char *verdict_criterion_name(enum verdict_criterion c)
{
    static const char *const names[VERDICT_N_CRITERIA] = {"power", "fr_deviation", "damping",
                                                          "thermal"};
    return names[c];
}

static int same_load(const char *amp, const struct load_spec *load, const char *row_amp,
                     const char *row_load, double row_ohm)
{
    const char *name = load->file ? load->file->name : LOAD_RESISTOR_NAME;
    return strcmp(row_amp, amp) == 0 && strcmp(row_load, name) == 0 && row_ohm == load->nominal_ohm;
}

static struct verdict_check unknown(double limit)
{
    return (struct verdict_check){.value = NAN, .limit = limit, .pass = -1};
}

/* fr_deviation (peak-to-peak dev_db) and damping (lowest |Zload| / |Zout|)
 * over the band. */
static void judge_fr(const char *amp, const struct load_spec *load,
                     const struct verdict_settings *set, const struct fr_table *fr,
                     struct verdict *v)
{
    double lo = INFINITY, hi = -INFINITY, damp = INFINITY;
    size_t n = 0;
    for (size_t i = 0; fr && i < fr->len; i++) {
        const struct fr_row *r = &fr->rows[i];
        if (!same_load(amp, load, r->amp, r->load, r->load_ohm) ||
            r->freq_hz < VERDICT_BAND_LO_HZ * (1 - 1e-9) ||
            r->freq_hz > VERDICT_BAND_HI_HZ * (1 + 1e-9))
            continue;
        n++;
        lo = fmin(lo, r->dev_db);
        hi = fmax(hi, r->dev_db);
        damp = fmin(damp, r->zload_ohm / r->zout_ohm);
    }
    struct verdict_check *dev = &v->check[VERDICT_FR_DEVIATION];
    struct verdict_check *dmp = &v->check[VERDICT_DAMPING];
    *dev = unknown(set->max_dev_db);
    *dmp = unknown(VERDICT_DAMPING_MIN);
    if (n == 0)
        return;
    *dev = (struct verdict_check){
        .value = hi - lo, .limit = set->max_dev_db, .pass = hi - lo <= set->max_dev_db};
    *dmp = (struct verdict_check){
        .value = damp, .limit = VERDICT_DAMPING_MIN, .pass = damp >= VERDICT_DAMPING_MIN};
}

/* power (lowest p_max_w over frequency) and thermal (the device closest to
 * or furthest over its tj_max_c, at its worst level). */
static void judge_large(const char *amp, const struct load_spec *load,
                        const struct large_table *large, struct verdict *v)
{
    double p_min = INFINITY, margin = INFINITY, tj = NAN, tj_max = NAN;
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
        p_min = fmin(p_min, r->vout_rms_v * r->vout_rms_v / r->load_ohm);
        for (size_t k = 1; k <= r->n_devices; k++)
            if (r->tj_max_c[k] - r->tj_worst_c[k] < margin) {
                margin = r->tj_max_c[k] - r->tj_worst_c[k];
                tj = r->tj_worst_c[k];
                tj_max = r->tj_max_c[k];
                snprintf(v->hottest, sizeof v->hottest, "%s", r->device[k]);
            }
    }
    v->p_available_w = n && !n_failed ? p_min : NAN;
    struct verdict_check *pw = &v->check[VERDICT_POWER];
    struct verdict_check *th = &v->check[VERDICT_THERMAL];
    *pw = unknown(v->p_required_w);
    *th = unknown(NAN);
    if (n && !n_failed)
        *pw = (struct verdict_check){
            .value = p_min, .limit = v->p_required_w, .pass = p_min >= v->p_required_w};
    if (n && !n_failed && isfinite(margin))
        *th = (struct verdict_check){.value = tj, .limit = tj_max, .pass = tj <= tj_max};
}

void verdict_judge(const char *amp, const struct load_spec *load,
                   const struct verdict_settings *set, const struct fr_table *fr,
                   const struct large_table *large, struct verdict *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->amp, sizeof out->amp, "%s", amp);
    snprintf(out->load, sizeof out->load, "%s", load->file ? load->file->name : LOAD_RESISTOR_NAME);
    out->load_ohm = load->nominal_ohm;
    out->profile = verdict_profile_for(set, load);
    if (out->profile == VERDICT_HEADPHONE) {
        double own = load->file ? load->file->sens_db_spl_mw : NAN;
        out->sens_db = isnan(own) ? set->hp_sens_db : own;
        out->distance_m = NAN;
        out->target_db = set->hp_target_db;
    } else {
        double own = load->file ? load->file->sens_db_spl_w : NAN;
        out->sens_db = isnan(own) ? set->spk_sens_db : own;
        out->distance_m = set->spk_distance_m;
        out->target_db = set->spk_target_db;
    }
    out->p_required_w =
        verdict_required_w(out->profile, out->sens_db, out->distance_m, out->target_db);
    judge_fr(amp, load, set, fr, out);
    judge_large(amp, load, large, out);
    out->spl_db = verdict_spl_db(out->profile, out->sens_db, out->distance_m, out->p_available_w);
}

/* "0.61 W" or "31.6 mW" */
static void fmt_power(char *buf, size_t len, double p_w)
{
    if (p_w < 1.0)
        snprintf(buf, len, "%.3g mW", p_w * 1e3);
    else
        snprintf(buf, len, "%.3g W", p_w);
}

void verdict_sentence(const struct verdict *v, char *buf, size_t len)
{
    char have[32], need[32];
    size_t n = 0;
    fmt_power(need, sizeof need, v->p_required_w);
    if (!isfinite(v->p_available_w)) {
        n = (size_t)snprintf(buf, len, "output power into %g ohm not measured; needs %s",
                             v->load_ohm, need);
    } else {
        fmt_power(have, sizeof have, v->p_available_w);
        double margin_db = 10.0 * log10(v->p_available_w / v->p_required_w);
        n = (size_t)snprintf(
            buf, len, "delivers %s into %g ohm, needs %s: %.1f dB %s; reaches %.0f dB SPL", have,
            v->load_ohm, need, fabs(margin_db), margin_db >= 0 ? "to spare" : "short", v->spl_db);
        if (n < len && v->profile == VERDICT_SPEAKER)
            n += (size_t)snprintf(buf + n, len - n, " at %g m", v->distance_m);
    }
    const struct verdict_check *c = v->check;
    if (n < len && c[VERDICT_FR_DEVIATION].pass == 0)
        n += (size_t)snprintf(buf + n, len - n,
                              "; response varies %.2f dB across 20 Hz-20 kHz (limit %.2g dB)",
                              c[VERDICT_FR_DEVIATION].value, c[VERDICT_FR_DEVIATION].limit);
    if (n < len && c[VERDICT_DAMPING].pass == 0)
        n += (size_t)snprintf(buf + n, len - n,
                              "; damping factor falls to %.3g (the 1/8 rule needs %g)",
                              c[VERDICT_DAMPING].value, c[VERDICT_DAMPING].limit);
    if (n < len && c[VERDICT_THERMAL].pass == 0)
        snprintf(buf + n, len - n, "; %s reaches %.0f C at worst, over its %.0f C maximum",
                 v->hottest, c[VERDICT_THERMAL].value, c[VERDICT_THERMAL].limit);
}
