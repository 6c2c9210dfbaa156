/* verdict: the listening model (level at the seat or ear, tiers), profiles
 * and the pass/fail criteria.
 *
 * Exists so that every number the report leads with (needs, reaches, which
 * tier, passes, why not) comes from one place with one definition
 * (docs/metrics.md).
 */
#include "judge/verdict.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

double verdict_required_w(enum verdict_profile p, double sens_db, double distance_m, double gain_db,
                          double target_db)
{
    if (p == VERDICT_HEADPHONE)
        return 1e-3 * pow(10.0, (target_db - sens_db) / 10.0);
    /* SPL falls 20 log10(d / 1 m) with distance (a point source), and the
     * pair and the room add gain_db */
    return pow(10.0, (target_db - sens_db + 20.0 * log10(distance_m) - gain_db) / 10.0);
}

double verdict_spl_db(enum verdict_profile p, double sens_db, double distance_m, double gain_db,
                      double p_w)
{
    if (p == VERDICT_HEADPHONE)
        return sens_db + 10.0 * log10(p_w / 1e-3);
    return sens_db + 10.0 * log10(p_w) - 20.0 * log10(distance_m) + gain_db;
}

double verdict_sens_w_from_2v83(double sens_2v83_db, double nominal_ohm)
{
    double p_w = VERDICT_SENS_VOLTS_SPEAKER * VERDICT_SENS_VOLTS_SPEAKER / nominal_ohm;
    return sens_2v83_db - 10.0 * log10(p_w);
}

double verdict_sens_mw_from_v(double sens_v_db, double nominal_ohm)
{
    return sens_v_db - 10.0 * log10(1.0 / nominal_ohm / 1e-3);
}

#define VERDICT_TIER_NAME_(id, name, spk, hp) [id] = name,
#define VERDICT_TIER_SPK_(id, name, spk, hp) [id] = spk,
#define VERDICT_TIER_HP_(id, name, spk, hp) [id] = hp,

const char *verdict_tier_name(enum verdict_tier t)
{
    static const char *const names[VERDICT_N_TIERS] = {VERDICT_TIERS(VERDICT_TIER_NAME_)};
    assert((size_t)t < VERDICT_N_TIERS);
    return names[t];
}

double verdict_tier_min_db(enum verdict_profile p, enum verdict_tier t)
{
    static const double spk[VERDICT_N_TIERS] = {VERDICT_TIERS(VERDICT_TIER_SPK_)};
    static const double hp[VERDICT_N_TIERS] = {VERDICT_TIERS(VERDICT_TIER_HP_)};
    assert((size_t)t < VERDICT_N_TIERS);
    return p == VERDICT_HEADPHONE ? hp[t] : spk[t];
}

const char *verdict_tier_of(enum verdict_profile p, double spl_db)
{
    if (isnan(spl_db))
        return NULL;
    const char *tier = VERDICT_TOO_QUIET;
    for (int t = 0; t < VERDICT_N_TIERS; t++)
        if (spl_db >= verdict_tier_min_db(p, (enum verdict_tier)t))
            tier = verdict_tier_name((enum verdict_tier)t);
    return tier;
}

size_t verdict_profiles_for(const struct verdict_settings *set, const struct verdict_load *load,
                            enum verdict_profile out[2])
{
    if (set->profile != VERDICT_AUTO) {
        out[0] = set->profile;
        return 1;
    }
    if (load->kind) {
        out[0] = strcmp(load->kind, "headphone") == 0 ? VERDICT_HEADPHONE : VERDICT_SPEAKER;
        return 1;
    }
    size_t n = 0;
    if (load->nominal_ohm < VERDICT_RESISTOR_HEADPHONE_MIN_OHM)
        out[n++] = VERDICT_SPEAKER;
    if (load->nominal_ohm > VERDICT_RESISTOR_SPEAKER_MAX_OHM)
        out[n++] = VERDICT_HEADPHONE;
    return n;
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

double verdict_dc_max_v(enum verdict_profile p)
{
    return p == VERDICT_HEADPHONE ? VERDICT_DC_HEADPHONE_MAX_V : VERDICT_DC_SPEAKER_MAX_V;
}

static struct verdict_check unknown(double limit)
{
    return (struct verdict_check){.value = NAN, .limit = limit, .pass = -1};
}

/* The sensitivity in the profile's unit (dB SPL / 1 W / 1 m or / 1 mW):
 * the load's own, else the setting's, each converted from per-volt if that
 * is how it is stated. */
static double sensitivity(const struct verdict_load *load, enum verdict_profile p,
                          const struct verdict_settings *set)
{
    double z = load->nominal_ohm;
    if (p == VERDICT_HEADPHONE) {
        if (!isnan(load->sens_db_spl_mw))
            return load->sens_db_spl_mw;
        if (!isnan(load->sens_db_spl_v))
            return verdict_sens_mw_from_v(load->sens_db_spl_v, z);
        return isnan(set->hp_sens_v_db) ? set->hp_sens_db
                                        : verdict_sens_mw_from_v(set->hp_sens_v_db, z);
    }
    if (!isnan(load->sens_db_spl_w))
        return load->sens_db_spl_w;
    if (!isnan(load->sens_db_spl_2v83))
        return verdict_sens_w_from_2v83(load->sens_db_spl_2v83, z);
    return isnan(set->spk_sens_2v83_db) ? set->spk_sens_db
                                        : verdict_sens_w_from_2v83(set->spk_sens_2v83_db, z);
}

void verdict_begin(const char *amp, const struct verdict_load *load, enum verdict_profile p,
                   const struct verdict_settings *set, struct verdict *out)
{
    assert(p == VERDICT_SPEAKER || p == VERDICT_HEADPHONE);
    memset(out, 0, sizeof *out);
    snprintf(out->amp, sizeof out->amp, "%s", amp);
    snprintf(out->load, sizeof out->load, "%s", load->name);
    out->load_ohm = load->nominal_ohm;
    out->profile = p;
    out->sens_db = sensitivity(load, p, set);
    if (p == VERDICT_HEADPHONE) {
        out->distance_m = NAN;
        out->gain_db = 0.0;
        out->target_db = set->hp_target_db;
    } else {
        out->distance_m = set->spk_distance_m;
        out->gain_db = set->spk_pair_gain_db + set->spk_room_gain_db;
        out->target_db = set->spk_target_db;
    }
    out->p_required_w =
        verdict_required_w(p, out->sens_db, out->distance_m, out->gain_db, out->target_db);
    out->p_available_w = NAN;
    out->spl_db = NAN;
    out->check[VERDICT_POWER] = unknown(out->p_required_w);
    out->check[VERDICT_FR_DEVIATION] = unknown(set->max_dev_db);
    out->check[VERDICT_DAMPING] = unknown(VERDICT_DAMPING_MIN);
    out->check[VERDICT_THERMAL] = unknown(NAN);
    out->check[VERDICT_DC_OFFSET] = unknown(verdict_dc_max_v(p));
    out->check[VERDICT_HISS] = unknown(VERDICT_HISS_MAX_DBA);
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

void verdict_judge_large(struct verdict *v, double p_available_w, const char *limit,
                         const char *device, double tj_c, double tj_max_c, double vdc_v)
{
    v->p_available_w = p_available_w;
    v->spl_db = verdict_spl_db(v->profile, v->sens_db, v->distance_m, v->gain_db, p_available_w);
    v->tier = verdict_tier_of(v->profile, v->spl_db);
    if (isnan(p_available_w))
        return;
    snprintf(v->limit, sizeof v->limit, "%s", limit ? limit : "");
    v->check[VERDICT_POWER] = (struct verdict_check){
        .value = p_available_w, .limit = v->p_required_w, .pass = p_available_w >= v->p_required_w};
    if (!isnan(vdc_v)) {
        double lim = verdict_dc_max_v(v->profile);
        v->check[VERDICT_DC_OFFSET] =
            (struct verdict_check){.value = fabs(vdc_v), .limit = lim, .pass = fabs(vdc_v) <= lim};
    }
    if (!device)
        return;
    snprintf(v->hottest, sizeof v->hottest, "%s", device);
    v->check[VERDICT_THERMAL] =
        (struct verdict_check){.value = tj_c, .limit = tj_max_c, .pass = tj_c <= tj_max_c};
}

void verdict_judge_hiss(struct verdict *v, double vnoise_a_v)
{
    if (isnan(vnoise_a_v))
        return;
    double p_w = vnoise_a_v * vnoise_a_v / v->load_ohm;
    double spl = p_w > 0 ? verdict_spl_db(v->profile, v->sens_db, v->distance_m, v->gain_db, p_w)
                         : -INFINITY;
    v->check[VERDICT_HISS] = (struct verdict_check){
        .value = spl, .limit = VERDICT_HISS_MAX_DBA, .pass = spl <= VERDICT_HISS_MAX_DBA};
}

int verdict_pass(const struct verdict *v)
{
    int known = 1;
    for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
        if (v->check[k].pass == 0)
            return 0;
        known = known && v->check[k].pass > 0;
    }
    return known ? 1 : -1;
}

/* "0.161 W" or "31.6 mW" */
static void fmt_power(char *buf, size_t len, double p_w)
{
    if (p_w < 1.0)
        snprintf(buf, len, "%.3g mW", p_w * 1e3);
    else
        snprintf(buf, len, "%.3g W", p_w);
}

/* What stops the amp short of the power it needs, from power.csv's limit. */
static const char *limit_words(const char *limit)
{
    if (strcmp(limit, "voltage") == 0)
        return "output voltage swing runs out";
    if (strcmp(limit, "current") == 0)
        return "output current limits";
    if (strcmp(limit, "slew") == 0)
        return "slew rate limits";
    return "clips";
}

/* Criterion c's failure in words. */
static int cause(const struct verdict *v, enum verdict_criterion c, char *buf, size_t len)
{
    const struct verdict_check *k = &v->check[c];
    char have[32], need[32];
    switch (c) {
    case VERDICT_POWER:
        fmt_power(have, sizeof have, k->value);
        fmt_power(need, sizeof need, k->limit);
        return snprintf(buf, len, "%s at %s (needs %s)", limit_words(v->limit), have, need);
    case VERDICT_FR_DEVIATION:
        return snprintf(buf, len, "response varies %.2f dB across 20 Hz-20 kHz (limit %.2g dB)",
                        k->value, k->limit);
    case VERDICT_DAMPING:
        return snprintf(buf, len, "damping factor falls to %.3g (the 1/8 rule needs %g)", k->value,
                        k->limit);
    case VERDICT_THERMAL:
        return snprintf(buf, len, "%s reaches %.0f C at 1/8 power, over its %.0f C maximum",
                        v->hottest, k->value, k->limit);
    case VERDICT_DC_OFFSET:
        return snprintf(buf, len, "output DC offset %.3g mV (limit %.3g mV)", k->value * 1e3,
                        k->limit * 1e3);
    case VERDICT_HISS:
        return snprintf(buf, len, "hiss reaches %.0f dB SPL(A)%s (audible above %.0f)", k->value,
                        v->profile == VERDICT_SPEAKER ? " at the seat" : "", k->limit);
    default:
        assert(!"a criterion without words");
        return 0;
    }
}

/* Appends to buf at *n, never past len. */
static void put(size_t len, size_t *n, int wrote)
{
    if (wrote > 0)
        *n = *n + (size_t)wrote < len ? *n + (size_t)wrote : len - 1;
}

void verdict_sentence(const struct verdict *v, char *buf, size_t len)
{
    size_t n = 0;
    assert(len > 0);
    buf[0] = '\0';
    if (isfinite(v->spl_db)) {
        put(len, &n, snprintf(buf, len, "%.0f dB peaks", v->spl_db));
        if (v->profile == VERDICT_SPEAKER)
            put(len, &n, snprintf(buf + n, len - n, " at %g m", v->distance_m));
        put(len, &n, snprintf(buf + n, len - n, " (%s)", v->tier));
    } else {
        char need[32];
        fmt_power(need, sizeof need, v->p_required_w);
        put(len, &n, snprintf(buf, len, "level not measured (needs %s)", need));
    }
    int pass = verdict_pass(v);
    if (pass > 0) {
        snprintf(buf + n, len - n, ": yes");
        return;
    }
    put(len, &n, snprintf(buf + n, len - n, pass < 0 ? ": not judged on" : ": no, "));
    int first = 1;
    for (int c = 0; c < VERDICT_N_CRITERIA; c++) {
        if (v->check[c].pass != (pass < 0 ? -1 : 0))
            continue;
        if (pass < 0)
            put(len, &n,
                snprintf(buf + n, len - n, "%s %s", first ? "" : ",",
                         verdict_criterion_name((enum verdict_criterion)c)));
        else {
            if (!first)
                put(len, &n, snprintf(buf + n, len - n, "; "));
            put(len, &n, cause(v, (enum verdict_criterion)c, buf + n, len - n));
        }
        first = 0;
    }
    if (pass < 0)
        snprintf(buf + n, len - n, " (not measured)");
}
