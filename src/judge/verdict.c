/* verdict: profiles, required power, SPL and the four pass/fail criteria.
 *
 * Exists so that every number the report leads with (needs, delivers,
 * reaches, passes) comes from one place with one definition
 * (docs/metrics.md).
 */
#include "judge/verdict.h"

#include <assert.h>
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
                                         const struct verdict_load *load)
{
    if (set->profile != VERDICT_AUTO)
        return set->profile;
    if (load->kind)
        return strcmp(load->kind, "headphone") == 0 ? VERDICT_HEADPHONE : VERDICT_SPEAKER;
    return load->nominal_ohm <= VERDICT_AUTO_SPEAKER_MAX_OHM ? VERDICT_SPEAKER : VERDICT_HEADPHONE;
}

int verdict_in_band(double freq_hz)
{
    /* the band's ends as simulated may carry rounding of a log-spaced range */
    return freq_hz >= VERDICT_BAND_LO_HZ * (1 - 1e-9) && freq_hz <= VERDICT_BAND_HI_HZ * (1 + 1e-9);
}

#define VERDICT_NAME_(id, name) [id] = name,

const char *verdict_profile_name(enum verdict_profile p)
{
    static const char *const names[] = {VERDICT_PROFILES(VERDICT_NAME_)};
    assert((size_t)p < sizeof names / sizeof *names);
    return names[p];
}

int verdict_profile_parse(const char *name)
{
    static const char *const names[] = {VERDICT_PROFILES(VERDICT_NAME_)};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

const char *verdict_criterion_name(enum verdict_criterion c)
{
    static const char *const names[VERDICT_N_CRITERIA] = {VERDICT_CRITERIA(VERDICT_NAME_)};
    assert((size_t)c < VERDICT_N_CRITERIA);
    return names[c];
}

static struct verdict_check unknown(double limit)
{
    return (struct verdict_check){.value = NAN, .limit = limit, .pass = -1};
}

void verdict_begin(const char *amp, const struct verdict_load *load,
                   const struct verdict_settings *set, struct verdict *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->amp, sizeof out->amp, "%s", amp);
    snprintf(out->load, sizeof out->load, "%s", load->name);
    out->load_ohm = load->nominal_ohm;
    out->profile = verdict_profile_for(set, load);
    if (out->profile == VERDICT_HEADPHONE) {
        double own = load->sens_db_spl_mw;
        out->sens_db = isnan(own) ? set->hp_sens_db : own;
        out->distance_m = NAN;
        out->target_db = set->hp_target_db;
    } else {
        double own = load->sens_db_spl_w;
        out->sens_db = isnan(own) ? set->spk_sens_db : own;
        out->distance_m = set->spk_distance_m;
        out->target_db = set->spk_target_db;
    }
    out->p_required_w =
        verdict_required_w(out->profile, out->sens_db, out->distance_m, out->target_db);
    out->p_available_w = NAN;
    out->spl_db = NAN;
    out->check[VERDICT_POWER] = unknown(out->p_required_w);
    out->check[VERDICT_FR_DEVIATION] = unknown(set->max_dev_db);
    out->check[VERDICT_DAMPING] = unknown(VERDICT_DAMPING_MIN);
    out->check[VERDICT_THERMAL] = unknown(NAN);
}

void verdict_judge_fr(struct verdict *v, const struct verdict_settings *set, double dev_pp_db,
                      double damping)
{
    if (isnan(dev_pp_db))
        return;
    v->check[VERDICT_FR_DEVIATION] = (struct verdict_check){
        .value = dev_pp_db, .limit = set->max_dev_db, .pass = dev_pp_db <= set->max_dev_db};
    v->check[VERDICT_DAMPING] = (struct verdict_check){
        .value = damping, .limit = VERDICT_DAMPING_MIN, .pass = damping >= VERDICT_DAMPING_MIN};
}

void verdict_judge_large(struct verdict *v, double p_available_w, const char *device, double tj_c,
                         double tj_max_c)
{
    v->p_available_w = p_available_w;
    v->spl_db = verdict_spl_db(v->profile, v->sens_db, v->distance_m, p_available_w);
    if (isnan(p_available_w))
        return;
    v->check[VERDICT_POWER] = (struct verdict_check){
        .value = p_available_w, .limit = v->p_required_w, .pass = p_available_w >= v->p_required_w};
    if (!device)
        return;
    snprintf(v->hottest, sizeof v->hottest, "%s", device);
    v->check[VERDICT_THERMAL] =
        (struct verdict_check){.value = tj_c, .limit = tj_max_c, .pass = tj_c <= tj_max_c};
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
