/* results: reads a results folder back into typed rows. Exists so that the
 * files in the folder are the only interface between the sweep and
 * everything that presents it (plots, report): `ampsweep plot DIR` works on
 * any folder a sweep wrote, today's or last month's. */
#include "results/results.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/csvread.h"
#include "judge/verdict.h"
#include "results/schema.h"

/* What the borrowed strings point into. */
struct keep {
    json_object *summary;
    struct csvr *fr, *power, *diss, *verdict;
};

static double jnum(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return NAN;
    enum json_type t = json_object_get_type(v);
    if (t != json_type_double && t != json_type_int)
        return NAN;
    return json_object_get_double(v);
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return "";
    return json_object_get_string(v);
}

/* true 1, false 0, null or absent -1 */
static int jbool(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_boolean))
        return -1;
    return json_object_get_boolean(v) ? 1 : 0;
}

static json_object *jarr(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_array))
        return NULL;
    return v;
}

static json_object *jobj(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_object))
        return NULL;
    return v;
}

static int num_array(json_object *a, double **out, size_t *n)
{
    *n = a ? json_object_array_length(a) : 0;
    *out = calloc(*n + 1, sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = json_object_get_double(json_object_array_get_idx(a, i));
    return 0;
}

static enum as_status read_settings(json_object *root, struct results_settings *s, const char *path,
                                    char *err, size_t errlen)
{
    json_object *o = jobj(root, RESULTS_KEY_SETTINGS);
    if (!o)
        return as_fail(err, errlen, AS_EINPUT, "%s: no \"%s\" object", path, RESULTS_KEY_SETTINGS);
    json_object *an = jarr(o, RESULTS_KEY_ANALYSES);
    for (size_t i = 0; an && i < json_object_array_length(an); i++) {
        const char *a = json_object_get_string(json_object_array_get_idx(an, i));
        s->has_fr |= a && strcmp(a, RESULTS_ANALYSIS_FR) == 0;
        s->has_large |= a && strcmp(a, RESULTS_ANALYSIS_LARGE) == 0;
    }
    json_object *lf = jarr(o, RESULTS_KEY_LOAD_FILES);
    s->n_load_files = lf ? json_object_array_length(lf) : 0;
    s->load_files = calloc(s->n_load_files + 1, sizeof *s->load_files);
    if (num_array(jarr(o, RESULTS_KEY_LOADS_OHM), &s->loads_ohm, &s->n_loads_ohm) ||
        num_array(jarr(o, RESULTS_KEY_FREQS_HZ), &s->freqs_hz, &s->n_freqs_hz) ||
        num_array(jarr(o, RESULTS_KEY_TRAN_FREQS_HZ), &s->tran_freqs_hz, &s->n_tran_freqs_hz) ||
        !s->load_files)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_load_files; i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(lf, i));
        s->load_files[i] = f ? f : "";
    }
    s->thd_limit_pct = jnum(o, RESULTS_KEY_THD_LIMIT_PCT);
    s->ambient_c = jnum(o, RESULTS_KEY_AMBIENT_C);
    s->profile = jstr(o, RESULTS_KEY_PROFILE);
    json_object *spk = jobj(o, RESULTS_KEY_SPEAKER), *hp = jobj(o, RESULTS_KEY_HEADPHONE);
    struct verdict_settings *v = &s->verdict;
    int p = s->profile ? verdict_profile_parse(s->profile) : -1;
    v->profile = p < 0 ? VERDICT_AUTO : (enum verdict_profile)p;
    v->spk_sens_db = spk ? jnum(spk, RESULTS_KEY_SENS_DB_SPL_W) : NAN;
    v->spk_sens_2v83_db = spk ? jnum(spk, RESULTS_KEY_SENS_DB_SPL_2V83) : NAN;
    v->spk_distance_m = spk ? jnum(spk, RESULTS_KEY_DISTANCE_M) : NAN;
    v->spk_pair_gain_db = spk ? jnum(spk, RESULTS_KEY_PAIR_GAIN_DB) : NAN;
    v->spk_room_gain_db = spk ? jnum(spk, RESULTS_KEY_ROOM_GAIN_DB) : NAN;
    v->spk_target_db = spk ? jnum(spk, RESULTS_KEY_TARGET_SPL_DB) : NAN;
    v->hp_sens_db = hp ? jnum(hp, RESULTS_KEY_SENS_DB_SPL_MW) : NAN;
    v->hp_sens_v_db = hp ? jnum(hp, RESULTS_KEY_SENS_DB_SPL_V) : NAN;
    v->hp_target_db = hp ? jnum(hp, RESULTS_KEY_TARGET_SPL_DB) : NAN;
    v->max_dev_db = jnum(o, RESULTS_KEY_MAX_DEV_DB);
    return AS_OK;
}

static void read_load(json_object *l, struct results_load *rl)
{
    rl->load = jstr(l, RESULTS_KEY_LOAD);
    rl->load_ohm = jnum(l, RESULTS_KEY_LOAD_OHM);
    rl->profile = jstr(l, RESULTS_KEY_PROFILE);
    rl->verdict = jstr(l, RESULTS_KEY_VERDICT);
    rl->pass = jbool(l, RESULTS_KEY_PASS);
    rl->p_required_w = jnum(l, RESULTS_KEY_P_REQUIRED_W);
    rl->p_available_w = jnum(l, RESULTS_KEY_P_AVAILABLE_W);
    rl->tier = jstr(l, RESULTS_KEY_TIER);
    rl->limit = jstr(l, RESULTS_KEY_LIMIT_CAUSE);
    rl->spl_db = jnum(l, RESULTS_KEY_SPL_DB);
    json_object *cr = jobj(l, RESULTS_KEY_CRITERIA);
    for (int c = 0; c < VERDICT_N_CRITERIA; c++) {
        const char *name = verdict_criterion_name((enum verdict_criterion)c);
        json_object *co = cr ? jobj(cr, name) : NULL;
        rl->crit_pass[c] = co ? jbool(co, RESULTS_KEY_PASS) : -1;
    }
}

static enum as_status read_amps(json_object *root, struct results *r, const char *path, char *err,
                                size_t errlen)
{
    json_object *amps = jarr(root, RESULTS_KEY_AMPS);
    if (!amps)
        return as_fail(err, errlen, AS_EINPUT, "%s: no \"%s\" array", path, RESULTS_KEY_AMPS);
    r->n_amps = json_object_array_length(amps);
    r->amps = calloc(r->n_amps + 1, sizeof *r->amps);
    if (!r->amps)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_amps; i++) {
        json_object *a = json_object_array_get_idx(amps, i);
        struct results_amp *ra = &r->amps[i];
        ra->name = jstr(a, RESULTS_KEY_NAME);
        ra->netlist = jstr(a, RESULTS_KEY_NETLIST);
        ra->kind = jstr(a, RESULTS_KEY_KIND);
        ra->source = jstr(a, RESULTS_KEY_SOURCE);
        if (!*ra->name)
            return as_fail(err, errlen, AS_EINPUT, "%s: amp %zu has no name", path, i + 1);
        json_object *loads = jarr(a, RESULTS_KEY_LOADS);
        ra->n_loads = loads ? json_object_array_length(loads) : 0;
        ra->loads = calloc(ra->n_loads + 1, sizeof *ra->loads);
        if (!ra->loads)
            return as_fail(err, errlen, AS_ENOMEM, "out of memory");
        for (size_t k = 0; k < ra->n_loads; k++)
            read_load(json_object_array_get_idx(loads, k), &ra->loads[k]);
    }
    return AS_OK;
}

static enum as_status read_failures(json_object *root, struct results *r, char *err, size_t errlen)
{
    json_object *failed = jarr(root, RESULTS_KEY_FAILED);
    r->n_failures = failed ? json_object_array_length(failed) : 0;
    r->failures = calloc(r->n_failures + 1, sizeof *r->failures);
    if (!r->failures)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_failures; i++) {
        json_object *f = json_object_array_get_idx(failed, i);
        struct results_failure *rf = &r->failures[i];
        json_object *nl = NULL;
        rf->netlist = json_object_object_get_ex(f, RESULTS_KEY_NETLIST, &nl)
                          ? jstr(f, RESULTS_KEY_NETLIST)
                          : NULL;
        rf->amp = jstr(f, RESULTS_KEY_AMP);
        rf->load = jstr(f, RESULTS_KEY_LOAD);
        rf->load_ohm = jnum(f, RESULTS_KEY_LOAD_OHM);
        rf->freq_hz = jnum(f, RESULTS_KEY_FREQ_HZ);
        rf->error = jstr(f, RESULTS_KEY_ERROR);
    }
    return AS_OK;
}

/* Read the table t of DIR and look each of its schema columns up in its
 * header: idx (room for cap, at least the schema's column count) gets the
 * columns' indexes in schema order. A column the reader needs missing is
 * AS_EINPUT; one in optional (a mask of 1 << column) is -1 instead. */
static enum as_status read_table(const char *dir, enum results_table t, unsigned long optional,
                                 int *idx, size_t cap, struct csvr **out, char *err, size_t errlen)
{
    const struct results_schema *s = results_schema(t);
    assert(cap >= s->n_cols && s->n_cols <= sizeof optional * 8);
    (void)cap; /* only the assert reads it */
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, s->file);
    enum as_status st = csvr_read(path, out, err, errlen);
    if (st == AS_EIO)
        st = as_fail(err, errlen, AS_EINPUT, "%s: cannot read it: not a complete results folder",
                     path);
    if (st != AS_OK)
        return st;
    for (size_t k = 0; k < s->n_cols; k++) {
        idx[k] = csvr_col(*out, s->cols[k]);
        if (idx[k] < 0 && !(optional >> k & 1))
            return as_fail(err, errlen, AS_EINPUT, "%s: no column '%s' (docs/metrics.md)", path,
                           s->cols[k]);
    }
    return AS_OK;
}

static int pass_of(const char *s)
{
    return strcmp(s, "1") == 0 ? 1 : strcmp(s, "0") == 0 ? 0 : -1;
}

static enum as_status read_fr(const char *dir, struct results *r, struct keep *k, char *err,
                              size_t errlen)
{
    int c[RESULTS_FR_N_COLS];
    /* the noise columns came later: a folder without them reads as not measured */
    enum as_status st =
        read_table(dir, RESULTS_FR, 1ul << RESULTS_FR_VNOISE_UV | 1ul << RESULTS_FR_VNOISE_A_UV, c,
                   RESULTS_FR_N_COLS, &k->fr, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->fr;
    r->fr = calloc(t->n_rows + 1, sizeof *r->fr);
    if (!r->fr)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->fr[i] = (struct results_fr){.amp = csvr_cell(t, i, c[RESULTS_FR_AMP]),
                                       .load = csvr_cell(t, i, c[RESULTS_FR_LOAD]),
                                       .load_ohm = csvr_num(t, i, c[RESULTS_FR_LOAD_OHM]),
                                       .freq_hz = csvr_num(t, i, c[RESULTS_FR_FREQ_HZ]),
                                       .gain_db = csvr_num(t, i, c[RESULTS_FR_GAIN_DB]),
                                       .dev_db = csvr_num(t, i, c[RESULTS_FR_DEV_DB]),
                                       .zload_ohm = csvr_num(t, i, c[RESULTS_FR_ZLOAD_OHM]),
                                       .zout_ohm = csvr_num(t, i, c[RESULTS_FR_ZOUT_OHM]),
                                       .damping = csvr_num(t, i, c[RESULTS_FR_DAMPING]),
                                       .rule8 = pass_of(csvr_cell(t, i, c[RESULTS_FR_RULE8])),
                                       .vnoise_uv = csvr_num(t, i, c[RESULTS_FR_VNOISE_UV]),
                                       .vnoise_a_uv = csvr_num(t, i, c[RESULTS_FR_VNOISE_A_UV])};
    r->n_fr = t->n_rows;
    return AS_OK;
}

static enum as_status read_power(const char *dir, struct results *r, struct keep *k, char *err,
                                 size_t errlen)
{
    int c[RESULTS_POWER_N_COLS];
    /* runs and periods are not part of struct results_power (and older
     * folders have neither periods nor vout_dc_v) */
    enum as_status st = read_table(dir, RESULTS_POWER,
                                   1ul << RESULTS_POWER_RUNS | 1ul << RESULTS_POWER_PERIODS |
                                       1ul << RESULTS_POWER_VOUT_DC_V,
                                   c, RESULTS_POWER_N_COLS, &k->power, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->power;
    r->power = calloc(t->n_rows + 1, sizeof *r->power);
    if (!r->power)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->power[i] =
            (struct results_power){.amp = csvr_cell(t, i, c[RESULTS_POWER_AMP]),
                                   .load = csvr_cell(t, i, c[RESULTS_POWER_LOAD]),
                                   .load_ohm = csvr_num(t, i, c[RESULTS_POWER_LOAD_OHM]),
                                   .freq_hz = csvr_num(t, i, c[RESULTS_POWER_FREQ_HZ]),
                                   .p_max_w = csvr_num(t, i, c[RESULTS_POWER_P_MAX_W]),
                                   .vout_rms_v = csvr_num(t, i, c[RESULTS_POWER_VOUT_RMS_V]),
                                   .iout_pk_a = csvr_num(t, i, c[RESULTS_POWER_IOUT_PK_A]),
                                   .thd_pct = csvr_num(t, i, c[RESULTS_POWER_THD_PCT]),
                                   .vout_dc_v = csvr_num(t, i, c[RESULTS_POWER_VOUT_DC_V]),
                                   .limit = csvr_cell(t, i, c[RESULTS_POWER_LIMIT])};
    r->n_power = t->n_rows;
    return AS_OK;
}

static enum as_status read_diss(const char *dir, struct results *r, struct keep *k, char *err,
                                size_t errlen)
{
    int c[RESULTS_DISS_N_COLS];
    enum as_status st = read_table(dir, RESULTS_DISSIPATION,
                                   1ul << RESULTS_DISS_P_EIGHTH_W | 1ul << RESULTS_DISS_TJ_EIGHTH_C,
                                   c, RESULTS_DISS_N_COLS, &k->diss, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->diss;
    r->diss = calloc(t->n_rows + 1, sizeof *r->diss);
    if (!r->diss)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->diss[i] =
            (struct results_diss){.amp = csvr_cell(t, i, c[RESULTS_DISS_AMP]),
                                  .load = csvr_cell(t, i, c[RESULTS_DISS_LOAD]),
                                  .load_ohm = csvr_num(t, i, c[RESULTS_DISS_LOAD_OHM]),
                                  .freq_hz = csvr_num(t, i, c[RESULTS_DISS_FREQ_HZ]),
                                  .device = csvr_cell(t, i, c[RESULTS_DISS_DEVICE]),
                                  .p_quiescent_w = csvr_num(t, i, c[RESULTS_DISS_P_QUIESCENT_W]),
                                  .p_at_max_w = csvr_num(t, i, c[RESULTS_DISS_P_AT_MAX_W]),
                                  .p_eighth_w = csvr_num(t, i, c[RESULTS_DISS_P_EIGHTH_W]),
                                  .p_worst_w = csvr_num(t, i, c[RESULTS_DISS_P_WORST_W]),
                                  .tj_eighth_c = csvr_num(t, i, c[RESULTS_DISS_TJ_EIGHTH_C]),
                                  .tj_worst_c = csvr_num(t, i, c[RESULTS_DISS_TJ_WORST_C]),
                                  .tj_max_c = csvr_num(t, i, c[RESULTS_DISS_TJ_MAX_C])};
    r->n_diss = t->n_rows;
    return AS_OK;
}

static enum as_status read_verdicts(const char *dir, struct results *r, struct keep *k, char *err,
                                    size_t errlen)
{
    int c[RESULTS_VERDICT_N_COLS];
    enum as_status st =
        read_table(dir, RESULTS_VERDICT, 0, c, RESULTS_VERDICT_N_COLS, &k->verdict, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->verdict;
    r->verdicts = calloc(t->n_rows + 1, sizeof *r->verdicts);
    if (!r->verdicts)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->verdicts[i] =
            (struct results_verdict){.amp = csvr_cell(t, i, c[RESULTS_VERDICT_AMP]),
                                     .load = csvr_cell(t, i, c[RESULTS_VERDICT_LOAD]),
                                     .load_ohm = csvr_num(t, i, c[RESULTS_VERDICT_LOAD_OHM]),
                                     .profile = csvr_cell(t, i, c[RESULTS_VERDICT_PROFILE]),
                                     .criterion = csvr_cell(t, i, c[RESULTS_VERDICT_CRITERION]),
                                     .value = csvr_num(t, i, c[RESULTS_VERDICT_VALUE]),
                                     .limit = csvr_num(t, i, c[RESULTS_VERDICT_LIMIT]),
                                     .pass = pass_of(csvr_cell(t, i, c[RESULTS_VERDICT_PASS]))};
    r->n_verdicts = t->n_rows;
    return AS_OK;
}

enum as_status results_read(const char *dir, struct results **out, char *err, size_t errlen)
{
    *out = NULL;
    enum as_status st = AS_OK;
    struct results *r = calloc(1, sizeof *r);
    struct keep *k = calloc(1, sizeof *k);
    if (!r || !k) {
        free(k);
        free(r);
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    }
    r->keep = k;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_SUMMARY_FILE);
    k->summary = json_object_from_file(path);
    if (!k->summary || !json_object_is_type(k->summary, json_type_object)) {
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s: cannot read it as JSON (%s): is %s a results folder?", path,
                     json_util_get_last_err() ? json_util_get_last_err() : "not an object", dir);
        goto fail;
    }
    st = read_settings(k->summary, &r->settings, path, err, errlen);
    if (st == AS_OK)
        st = read_amps(k->summary, r, path, err, errlen);
    if (st == AS_OK)
        st = read_failures(k->summary, r, err, errlen);
    if (st == AS_OK && r->settings.has_fr)
        st = read_fr(dir, r, k, err, errlen);
    if (st == AS_OK && r->settings.has_large)
        st = read_power(dir, r, k, err, errlen);
    if (st == AS_OK && r->settings.has_large)
        st = read_diss(dir, r, k, err, errlen);
    if (st == AS_OK)
        st = read_verdicts(dir, r, k, err, errlen);
    if (st != AS_OK)
        goto fail;
    *out = r;
    return AS_OK;
fail:
    results_free(r);
    return st;
}

int results_amp_index(const struct results *r, const char *name)
{
    for (size_t i = 0; i < r->n_amps; i++)
        if (strcmp(r->amps[i].name, name) == 0)
            return (int)i;
    return -1;
}

double results_ref_freq_hz(const struct results *r)
{
    double best = NAN;
    for (size_t i = 0; r->settings.has_large && i < r->settings.n_tran_freqs_hz; i++) {
        double f = r->settings.tran_freqs_hz[i];
        if (isnan(best) || fabs(log(f / 1000.0)) < fabs(log(best / 1000.0)))
            best = f;
    }
    return best;
}

void results_free(struct results *r)
{
    if (!r)
        return;
    struct keep *k = r->keep;
    if (k) {
        json_object_put(k->summary);
        csvr_free(k->fr);
        csvr_free(k->power);
        csvr_free(k->diss);
        csvr_free(k->verdict);
        free(k);
    }
    free(r->settings.loads_ohm);
    free(r->settings.freqs_hz);
    free(r->settings.tran_freqs_hz);
    free(r->settings.load_files);
    for (size_t i = 0; r->amps && i < r->n_amps; i++)
        free(r->amps[i].loads);
    free(r->amps);
    free(r->failures);
    free(r->fr);
    free(r->power);
    free(r->diss);
    free(r->verdicts);
    free(r);
}
