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

static json_object *settings_json(const struct sweep_spec *spec)
{
    json_object *o = json_object_new_object(), *an = json_object_new_array();
    if (spec->analyses & SWEEP_FR)
        json_object_array_add(an, json_object_new_string("fr"));
    if (spec->analyses & SWEEP_LARGE)
        json_object_array_add(an, json_object_new_string("large"));
    json_object_object_add(o, "analyses", an);
    json_object_object_add(o, "loads_ohm", range_json(&spec->loads_ohm));
    json_object *lf = json_object_new_array();
    for (size_t i = 0; i < spec->load_files.len; i++)
        json_object_array_add(lf, json_object_new_string(spec->load_files.items[i]));
    json_object_object_add(o, "load_files", lf);
    json_object *lm = json_object_new_array();
    for (size_t i = 0; i < spec->load_models.len; i++)
        json_object_array_add(lm, json_object_new_string(spec->load_models.items[i]));
    json_object_object_add(o, "load_models", lm);
    json_object_object_add(o, "freqs_hz", range_json(&spec->freqs_hz));
    json_object_object_add(o, "tran_freqs_hz", range_json(&spec->tran_freqs_hz));
    json_object_object_add(o, "thd_limit_pct", num(spec->thd_limit_pct));
    json_object_object_add(o, "ambient_c", num(spec->ambient_c));
    const struct verdict_settings *v = &spec->verdict;
    json_object_object_add(o, "profile", json_object_new_string(verdict_profile_name(v->profile)));
    json_object *spk = json_object_new_object(), *hp = json_object_new_object();
    json_object_object_add(spk, "sensitivity_db_spl_w", num(v->spk_sens_db));
    json_object_object_add(spk, "distance_m", num(v->spk_distance_m));
    json_object_object_add(spk, "target_spl_db", num(v->spk_target_db));
    json_object_object_add(hp, "sensitivity_db_spl_mw", num(v->hp_sens_db));
    json_object_object_add(hp, "target_spl_db", num(v->hp_target_db));
    json_object_object_add(o, "speaker", spk);
    json_object_object_add(o, "headphone", hp);
    json_object_object_add(o, "max_dev_db", num(v->max_dev_db));
    return o;
}

static json_object *verdict_json(const struct verdict *v)
{
    char line[1024];
    verdict_sentence(v, line, sizeof line);
    json_object *o = json_object_new_object(), *cr = json_object_new_object();
    json_object_object_add(o, "load", json_object_new_string(v->load));
    json_object_object_add(o, "load_ohm", num(v->load_ohm));
    json_object_object_add(o, "profile", json_object_new_string(verdict_profile_name(v->profile)));
    json_object_object_add(o, "verdict", json_object_new_string(line));
    int all = 1, known = 1;
    for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
        const struct verdict_check *c = &v->check[k];
        json_object *co = json_object_new_object();
        json_object_object_add(co, "value", num(c->value));
        json_object_object_add(co, "limit", num(c->limit));
        json_object_object_add(co, "pass", c->pass < 0 ? NULL : json_object_new_boolean(c->pass));
        json_object_object_add(cr, verdict_criterion_name((enum verdict_criterion)k), co);
        all = all && c->pass != 0;
        known = known && c->pass >= 0;
    }
    /* fails if any criterion fails; unknown if none fails but one is unknown */
    json_object_object_add(o, "pass",
                           !all    ? json_object_new_boolean(0)
                           : known ? json_object_new_boolean(1)
                                   : NULL);
    json_object_object_add(o, "p_required_w", num(v->p_required_w));
    json_object_object_add(o, "p_available_w", num(v->p_available_w));
    json_object_object_add(o, "spl_db", num(v->spl_db));
    json_object_object_add(o, "criteria", cr);
    return o;
}

static json_object *failures_json(const struct summary_input *in)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; in->failed_paths && i < in->failed_paths->len; i++) {
        json_object *o = json_object_new_object();
        json_object_object_add(o, "netlist", json_object_new_string(in->failed_paths->items[i]));
        json_object_object_add(o, "error", json_object_new_string(in->failed_errors->items[i]));
        json_object_array_add(a, o);
    }
    for (size_t i = 0; in->large && i < in->large->len; i++) {
        const struct large_row *r = &in->large->rows[i];
        if (r->limit != LARGE_FAILED)
            continue;
        json_object *o = json_object_new_object();
        json_object_object_add(o, "amp", json_object_new_string(r->amp));
        json_object_object_add(o, "load", json_object_new_string(r->load));
        json_object_object_add(o, "load_ohm", num(r->load_ohm));
        json_object_object_add(o, "freq_hz", num(r->freq_hz));
        json_object_object_add(o, "error", json_object_new_string(r->error));
        json_object_array_add(a, o);
    }
    return a;
}

enum as_status summary_write(const char *dir, const struct summary_input *in, char *err,
                             size_t errlen)
{
    json_object *root = json_object_new_object(), *amps = json_object_new_array();
    json_object_object_add(root, "settings", settings_json(in->spec));
    for (size_t i = 0; i < in->n_amps; i++) {
        const struct summary_amp *a = &in->amps[i];
        json_object *o = json_object_new_object(), *loads = json_object_new_array();
        json_object_object_add(o, "name", json_object_new_string(a->name));
        json_object_object_add(o, "netlist", json_object_new_string(a->path));
        json_object_object_add(o, "kind", json_object_new_string(a->kind));
        json_object_object_add(o, "source", json_object_new_string(a->source));
        for (size_t k = 0; k < in->n_verdicts; k++)
            if (strcmp(in->verdicts[k].amp, a->name) == 0)
                json_object_array_add(loads, verdict_json(&in->verdicts[k]));
        json_object_object_add(o, "loads", loads);
        json_object_array_add(amps, o);
    }
    json_object_object_add(root, "amps", amps);
    json_object_object_add(root, "failed", failures_json(in));
    char path[4096];
    snprintf(path, sizeof path, "%s/summary.json", dir);
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
