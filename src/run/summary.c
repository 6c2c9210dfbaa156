/* summary: builds summary.json with json-c. Exists so the verdicts a person
 * reads and the numbers a script reads come out of one document. Values
 * that were not measured are null (JSON has no NaN). */
#include "run/summary.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "base/afile.h"
#include "engine/large.h"
#include "results/schema.h"

static json_object *num(double v)
{
    return isfinite(v) ? json_object_new_double(v) : NULL;
}

static json_object *range_json(const struct range *r)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < r->count; i++)
        json_object_array_add(a, json_object_new_double(r->values[i]));
    return a;
}

/* Every assumption of the listening model (judge/verdict.h). */
static void listening_json(json_object *o, const struct verdict_settings *v)
{
    json_object_object_add(o, RESULTS_KEY_PROFILE,
                           json_object_new_string(verdict_profile_name(v->profile)));
    json_object *spk = json_object_new_object(), *hp = json_object_new_object();
    json_object_object_add(spk, RESULTS_KEY_SENS_DB_SPL_W, num(v->spk_sens_db));
    json_object_object_add(spk, RESULTS_KEY_SENS_DB_SPL_2V83, num(v->spk_sens_2v83_db));
    json_object_object_add(spk, RESULTS_KEY_DISTANCE_M, num(v->spk_distance_m));
    json_object_object_add(spk, RESULTS_KEY_PAIR_GAIN_DB, num(v->spk_pair_gain_db));
    json_object_object_add(spk, RESULTS_KEY_ROOM_GAIN_DB, num(v->spk_room_gain_db));
    json_object_object_add(spk, RESULTS_KEY_TARGET_SPL_DB, num(v->spk_target_db));
    json_object_object_add(spk, RESULTS_KEY_DC_MAX_V, num(verdict_dc_max_v(VERDICT_SPEAKER)));
    json_object_object_add(hp, RESULTS_KEY_SENS_DB_SPL_MW, num(v->hp_sens_db));
    json_object_object_add(hp, RESULTS_KEY_SENS_DB_SPL_V, num(v->hp_sens_v_db));
    json_object_object_add(hp, RESULTS_KEY_TARGET_SPL_DB, num(v->hp_target_db));
    json_object_object_add(hp, RESULTS_KEY_DC_MAX_V, num(verdict_dc_max_v(VERDICT_HEADPHONE)));
    json_object_object_add(o, RESULTS_KEY_SPEAKER, spk);
    json_object_object_add(o, RESULTS_KEY_HEADPHONE, hp);
    json_object *tiers = json_object_new_array();
    for (int t = 0; t < VERDICT_N_TIERS; t++) {
        json_object *to = json_object_new_object();
        json_object_object_add(to, RESULTS_KEY_NAME,
                               json_object_new_string(verdict_tier_name((enum verdict_tier)t)));
        json_object_object_add(to, RESULTS_KEY_SPEAKER_SPL_DB,
                               num(verdict_tier_min_db(VERDICT_SPEAKER, (enum verdict_tier)t)));
        json_object_object_add(to, RESULTS_KEY_HEADPHONE_SPL_DB,
                               num(verdict_tier_min_db(VERDICT_HEADPHONE, (enum verdict_tier)t)));
        json_object_array_add(tiers, to);
    }
    json_object_object_add(o, RESULTS_KEY_TIERS, tiers);
    json_object_object_add(o, RESULTS_KEY_RESISTOR_SPEAKER_MAX_OHM,
                           num(VERDICT_RESISTOR_SPEAKER_MAX_OHM));
    json_object_object_add(o, RESULTS_KEY_RESISTOR_HEADPHONE_MIN_OHM,
                           num(VERDICT_RESISTOR_HEADPHONE_MIN_OHM));
    json_object_object_add(o, RESULTS_KEY_THERMAL_FRACTION, num(LARGE_MUSIC_FRACTION));
    json_object_object_add(o, RESULTS_KEY_MAX_DEV_DB, num(v->max_dev_db));
    json_object_object_add(o, RESULTS_KEY_DAMPING_MIN, num(VERDICT_DAMPING_MIN));
}

static json_object *settings_json(const struct sweep_spec *spec)
{
    json_object *o = json_object_new_object(), *an = json_object_new_array();
    if (spec->analyses & SWEEP_FR)
        json_object_array_add(an, json_object_new_string(RESULTS_ANALYSIS_FR));
    if (spec->analyses & SWEEP_LARGE)
        json_object_array_add(an, json_object_new_string(RESULTS_ANALYSIS_LARGE));
    json_object_object_add(o, RESULTS_KEY_ANALYSES, an);
    json_object_object_add(o, RESULTS_KEY_LOADS_OHM, range_json(&spec->loads_ohm));
    json_object *lf = json_object_new_array();
    for (size_t i = 0; i < spec->load_files.len; i++)
        json_object_array_add(lf, json_object_new_string(spec->load_files.items[i]));
    json_object_object_add(o, RESULTS_KEY_LOAD_FILES, lf);
    json_object *lm = json_object_new_array();
    for (size_t i = 0; i < spec->load_models.len; i++)
        json_object_array_add(lm, json_object_new_string(spec->load_models.items[i]));
    json_object_object_add(o, RESULTS_KEY_LOAD_MODELS, lm);
    json_object_object_add(o, RESULTS_KEY_FREQS_HZ, range_json(&spec->freqs_hz));
    json_object_object_add(o, RESULTS_KEY_TRAN_FREQS_HZ, range_json(&spec->tran_freqs_hz));
    json_object_object_add(o, RESULTS_KEY_THD_LIMIT_PCT, num(spec->thd_limit_pct));
    json_object_object_add(o, RESULTS_KEY_AMBIENT_C, num(spec->ambient_c));
    listening_json(o, &spec->verdict);
    return o;
}

static json_object *verdict_json(const struct verdict *v)
{
    char line[1024];
    verdict_sentence(v, line, sizeof line);
    json_object *o = json_object_new_object(), *cr = json_object_new_object();
    json_object_object_add(o, RESULTS_KEY_LOAD, json_object_new_string(v->load));
    json_object_object_add(o, RESULTS_KEY_LOAD_OHM, num(v->load_ohm));
    json_object_object_add(o, RESULTS_KEY_PROFILE,
                           json_object_new_string(verdict_profile_name(v->profile)));
    json_object_object_add(o, RESULTS_KEY_VERDICT, json_object_new_string(line));
    for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
        const struct verdict_check *c = &v->check[k];
        json_object *co = json_object_new_object();
        json_object_object_add(co, RESULTS_KEY_VALUE, num(c->value));
        json_object_object_add(co, RESULTS_KEY_LIMIT, num(c->limit));
        json_object_object_add(co, RESULTS_KEY_PASS,
                               c->pass < 0 ? NULL : json_object_new_boolean(c->pass));
        json_object_object_add(cr, verdict_criterion_name((enum verdict_criterion)k), co);
    }
    int pass = verdict_pass(v);
    json_object_object_add(o, RESULTS_KEY_PASS, pass < 0 ? NULL : json_object_new_boolean(pass));
    json_object_object_add(o, RESULTS_KEY_P_REQUIRED_W, num(v->p_required_w));
    json_object_object_add(o, RESULTS_KEY_P_AVAILABLE_W, num(v->p_available_w));
    json_object_object_add(o, RESULTS_KEY_SPL_DB, num(v->spl_db));
    json_object_object_add(o, RESULTS_KEY_TIER, v->tier ? json_object_new_string(v->tier) : NULL);
    json_object_object_add(o, RESULTS_KEY_SENSITIVITY_DB, num(v->sens_db));
    json_object_object_add(o, RESULTS_KEY_GAIN_DB, num(v->gain_db));
    json_object_object_add(o, RESULTS_KEY_LIMIT_CAUSE,
                           v->limit[0] ? json_object_new_string(v->limit) : NULL);
    json_object_object_add(o, RESULTS_KEY_CRITERIA, cr);
    return o;
}

static json_object *failures_json(const struct summary_input *in)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; in->failed_paths && i < in->failed_paths->len; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, RESULTS_KEY_NETLIST,
                               json_object_new_string(in->failed_paths->items[i]));
        json_object_object_add(o, RESULTS_KEY_ERROR,
                               json_object_new_string(in->failed_errors->items[i]));
        json_object_array_add(a, o);
    }
    for (size_t i = 0; in->large && i < in->large->len; i++) {
        const struct large_row *r = &in->large->rows[i];
        if (r->limit != LARGE_FAILED)
            continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, RESULTS_KEY_AMP, json_object_new_string(r->amp));
        json_object_object_add(o, RESULTS_KEY_LOAD, json_object_new_string(r->load));
        json_object_object_add(o, RESULTS_KEY_LOAD_OHM, num(r->load_ohm));
        json_object_object_add(o, RESULTS_KEY_FREQ_HZ, num(r->freq_hz));
        json_object_object_add(o, RESULTS_KEY_ERROR, json_object_new_string(r->error));
        json_object_array_add(a, o);
    }
    return a;
}

enum as_status summary_write(const char *dir, const struct summary_input *in, char *err,
                             size_t errlen)
{
    json_object *root = json_object_new_object(), *amps = json_object_new_array();
    json_object_object_add(root, RESULTS_KEY_SETTINGS, settings_json(in->spec));
    for (size_t i = 0; i < in->n_amps; i++) {
        const struct summary_amp *a = &in->amps[i];
        json_object *o = json_object_new_object(), *loads = json_object_new_array();
        json_object_object_add(o, RESULTS_KEY_NAME, json_object_new_string(a->name));
        json_object_object_add(o, RESULTS_KEY_NETLIST, json_object_new_string(a->path));
        json_object_object_add(o, RESULTS_KEY_KIND, json_object_new_string(a->kind));
        json_object_object_add(o, RESULTS_KEY_SOURCE, json_object_new_string(a->source));
        for (size_t k = 0; k < in->n_verdicts; k++)
            if (strcmp(in->verdicts[k].amp, a->name) == 0)
                json_object_array_add(loads, verdict_json(&in->verdicts[k]));
        json_object_object_add(o, RESULTS_KEY_LOADS, loads);
        json_object_array_add(amps, o);
    }
    json_object_object_add(root, RESULTS_KEY_AMPS, amps);
    json_object_object_add(root, RESULTS_KEY_FAILED, failures_json(in));
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_SUMMARY_FILE);
    struct afile *f = NULL;
    enum as_status st = afile_open(path, &f, err, errlen);
    if (st == AS_OK) {
        const char *text = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
                                                                    JSON_C_TO_STRING_NOSLASHESCAPE);
        int ok = text && fputs(text, afile_fp(f)) >= 0 && fputc('\n', afile_fp(f)) != EOF;
        st = afile_commit(f, ok ? 0 : EIO, err, errlen);
    }
    json_object_put(root);
    return st;
}
