/* results: reads a results folder back into typed rows. Exists so that the
 * files in the folder are the only interface between the sweep and
 * everything that presents it (plots, report): `ampsweep plot DIR` works on
 * any folder a sweep wrote, today's or last month's. */
#include "results/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "base/csvread.h"

/* What the borrowed strings point into. */
struct keep {
    json_object *summary;
    struct csvr *fr, *power, *diss, *verdict;
};

static const char *const crit_names[4] = {"power", "fr_deviation", "damping", "thermal"};

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
    json_object *o = jobj(root, "settings");
    if (!o)
        return as_fail(err, errlen, AS_EINPUT, "%s: no \"settings\" object", path);
    json_object *an = jarr(o, "analyses");
    for (size_t i = 0; an && i < json_object_array_length(an); i++) {
        const char *a = json_object_get_string(json_object_array_get_idx(an, i));
        s->has_fr |= a && strcmp(a, "fr") == 0;
        s->has_large |= a && strcmp(a, "large") == 0;
    }
    json_object *lf = jarr(o, "load_files");
    s->n_load_files = lf ? json_object_array_length(lf) : 0;
    s->load_files = calloc(s->n_load_files + 1, sizeof *s->load_files);
    if (num_array(jarr(o, "loads_ohm"), &s->loads_ohm, &s->n_loads_ohm) ||
        num_array(jarr(o, "freqs_hz"), &s->freqs_hz, &s->n_freqs_hz) ||
        num_array(jarr(o, "tran_freqs_hz"), &s->tran_freqs_hz, &s->n_tran_freqs_hz) ||
        !s->load_files)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < s->n_load_files; i++) {
        const char *f = json_object_get_string(json_object_array_get_idx(lf, i));
        s->load_files[i] = f ? f : "";
    }
    s->thd_limit_pct = jnum(o, "thd_limit_pct");
    s->ambient_c = jnum(o, "ambient_c");
    s->profile = jstr(o, "profile");
    json_object *spk = jobj(o, "speaker"), *hp = jobj(o, "headphone");
    s->spk_sens_db = spk ? jnum(spk, "sensitivity_db_spl_w") : NAN;
    s->spk_distance_m = spk ? jnum(spk, "distance_m") : NAN;
    s->spk_target_db = spk ? jnum(spk, "target_spl_db") : NAN;
    s->hp_sens_db = hp ? jnum(hp, "sensitivity_db_spl_mw") : NAN;
    s->hp_target_db = hp ? jnum(hp, "target_spl_db") : NAN;
    s->max_dev_db = jnum(o, "max_dev_db");
    return AS_OK;
}

static enum as_status read_amps(json_object *root, struct results *r, const char *path, char *err,
                                size_t errlen)
{
    json_object *amps = jarr(root, "amps");
    if (!amps)
        return as_fail(err, errlen, AS_EINPUT, "%s: no \"amps\" array", path);
    r->n_amps = json_object_array_length(amps);
    r->amps = calloc(r->n_amps + 1, sizeof *r->amps);
    if (!r->amps)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_amps; i++) {
        json_object *a = json_object_array_get_idx(amps, i);
        struct results_amp *ra = &r->amps[i];
        ra->name = jstr(a, "name");
        ra->netlist = jstr(a, "netlist");
        ra->kind = jstr(a, "kind");
        ra->source = jstr(a, "source");
        if (!*ra->name)
            return as_fail(err, errlen, AS_EINPUT, "%s: amp %zu has no name", path, i + 1);
        json_object *loads = jarr(a, "loads");
        ra->n_loads = loads ? json_object_array_length(loads) : 0;
        ra->loads = calloc(ra->n_loads + 1, sizeof *ra->loads);
        if (!ra->loads)
            return as_fail(err, errlen, AS_ENOMEM, "out of memory");
        for (size_t k = 0; k < ra->n_loads; k++) {
            json_object *l = json_object_array_get_idx(loads, k);
            struct results_load *rl = &ra->loads[k];
            rl->load = jstr(l, "load");
            rl->load_ohm = jnum(l, "load_ohm");
            rl->profile = jstr(l, "profile");
            rl->verdict = jstr(l, "verdict");
            rl->pass = jbool(l, "pass");
            rl->p_required_w = jnum(l, "p_required_w");
            rl->p_available_w = jnum(l, "p_available_w");
            rl->spl_db = jnum(l, "spl_db");
            json_object *cr = jobj(l, "criteria");
            for (int c = 0; c < 4; c++) {
                json_object *co = cr ? jobj(cr, crit_names[c]) : NULL;
                rl->crit_pass[c] = co ? jbool(co, "pass") : -1;
            }
        }
    }
    json_object *failed = jarr(root, "failed");
    r->n_failures = failed ? json_object_array_length(failed) : 0;
    r->failures = calloc(r->n_failures + 1, sizeof *r->failures);
    if (!r->failures)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->n_failures; i++) {
        json_object *f = json_object_array_get_idx(failed, i);
        struct results_failure *rf = &r->failures[i];
        json_object *nl = NULL;
        rf->netlist = json_object_object_get_ex(f, "netlist", &nl) ? jstr(f, "netlist") : NULL;
        rf->amp = jstr(f, "amp");
        rf->load = jstr(f, "load");
        rf->load_ohm = jnum(f, "load_ohm");
        rf->freq_hz = jnum(f, "freq_hz");
        rf->error = jstr(f, "error");
    }
    return AS_OK;
}

/* Read DIR/NAME and check that it has the columns named in cols (a
 * comma-separated list); their indexes go to idx. */
static enum as_status read_table(const char *dir, const char *name, const char *cols, int *idx,
                                 struct csvr **out, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    enum as_status st = csvr_read(path, out, err, errlen);
    if (st == AS_EIO)
        st = as_fail(err, errlen, AS_EINPUT, "%s: cannot read it: not a complete results folder",
                     path);
    if (st != AS_OK)
        return st;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", cols);
    char *save = NULL;
    int k = 0;
    for (char *c = strtok_r(buf, ",", &save); c; c = strtok_r(NULL, ",", &save), k++) {
        idx[k] = csvr_col(*out, c);
        if (idx[k] < 0)
            return as_fail(err, errlen, AS_EINPUT, "%s: no column '%s' (docs/metrics.md)", path, c);
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
    int c[10];
    enum as_status st = read_table(
        dir, "fr.csv", "amp,load,load_ohm,freq_hz,gain_db,dev_db,zload_ohm,zout_ohm,damping,rule8",
        c, &k->fr, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->fr;
    r->fr = calloc(t->n_rows + 1, sizeof *r->fr);
    if (!r->fr)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->fr[i] = (struct results_fr){.amp = csvr_cell(t, i, c[0]),
                                       .load = csvr_cell(t, i, c[1]),
                                       .load_ohm = csvr_num(t, i, c[2]),
                                       .freq_hz = csvr_num(t, i, c[3]),
                                       .gain_db = csvr_num(t, i, c[4]),
                                       .dev_db = csvr_num(t, i, c[5]),
                                       .zload_ohm = csvr_num(t, i, c[6]),
                                       .zout_ohm = csvr_num(t, i, c[7]),
                                       .damping = csvr_num(t, i, c[8]),
                                       .rule8 = pass_of(csvr_cell(t, i, c[9]))};
    r->n_fr = t->n_rows;
    return AS_OK;
}

static enum as_status read_large(const char *dir, struct results *r, struct keep *k, char *err,
                                 size_t errlen)
{
    int c[10];
    enum as_status st = read_table(
        dir, "power.csv", "amp,load,load_ohm,freq_hz,p_max_w,vout_rms_v,iout_pk_a,thd_pct,limit", c,
        &k->power, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->power;
    r->power = calloc(t->n_rows + 1, sizeof *r->power);
    if (!r->power)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->power[i] = (struct results_power){.amp = csvr_cell(t, i, c[0]),
                                             .load = csvr_cell(t, i, c[1]),
                                             .load_ohm = csvr_num(t, i, c[2]),
                                             .freq_hz = csvr_num(t, i, c[3]),
                                             .p_max_w = csvr_num(t, i, c[4]),
                                             .vout_rms_v = csvr_num(t, i, c[5]),
                                             .iout_pk_a = csvr_num(t, i, c[6]),
                                             .thd_pct = csvr_num(t, i, c[7]),
                                             .limit = csvr_cell(t, i, c[8])};
    r->n_power = t->n_rows;
    st = read_table(dir, "dissipation.csv",
                    "amp,load,load_ohm,freq_hz,device,p_quiescent_w,p_at_max_w,p_worst_w,"
                    "tj_worst_c,tj_max_c",
                    c, &k->diss, err, errlen);
    if (st != AS_OK)
        return st;
    t = k->diss;
    r->diss = calloc(t->n_rows + 1, sizeof *r->diss);
    if (!r->diss)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->diss[i] = (struct results_diss){.amp = csvr_cell(t, i, c[0]),
                                           .load = csvr_cell(t, i, c[1]),
                                           .load_ohm = csvr_num(t, i, c[2]),
                                           .freq_hz = csvr_num(t, i, c[3]),
                                           .device = csvr_cell(t, i, c[4]),
                                           .p_quiescent_w = csvr_num(t, i, c[5]),
                                           .p_at_max_w = csvr_num(t, i, c[6]),
                                           .p_worst_w = csvr_num(t, i, c[7]),
                                           .tj_worst_c = csvr_num(t, i, c[8]),
                                           .tj_max_c = csvr_num(t, i, c[9])};
    r->n_diss = t->n_rows;
    return AS_OK;
}

static enum as_status read_verdicts(const char *dir, struct results *r, struct keep *k, char *err,
                                    size_t errlen)
{
    int c[8];
    enum as_status st =
        read_table(dir, "verdict.csv", "amp,load,load_ohm,profile,criterion,value,limit,pass", c,
                   &k->verdict, err, errlen);
    if (st != AS_OK)
        return st;
    const struct csvr *t = k->verdict;
    r->verdicts = calloc(t->n_rows + 1, sizeof *r->verdicts);
    if (!r->verdicts)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < t->n_rows; i++)
        r->verdicts[i] = (struct results_verdict){.amp = csvr_cell(t, i, c[0]),
                                                  .load = csvr_cell(t, i, c[1]),
                                                  .load_ohm = csvr_num(t, i, c[2]),
                                                  .profile = csvr_cell(t, i, c[3]),
                                                  .criterion = csvr_cell(t, i, c[4]),
                                                  .value = csvr_num(t, i, c[5]),
                                                  .limit = csvr_num(t, i, c[6]),
                                                  .pass = pass_of(csvr_cell(t, i, c[7]))};
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
    snprintf(path, sizeof path, "%s/summary.json", dir);
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
    if (st == AS_OK && r->settings.has_fr)
        st = read_fr(dir, r, k, err, errlen);
    if (st == AS_OK && r->settings.has_large)
        st = read_large(dir, r, k, err, errlen);
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
