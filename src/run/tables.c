/* tables: one function per result CSV, so that each file's columns are
 * written in exactly one place, next to its header. */
#include "run/tables.h"

#include <stdio.h>

#include "base/csv.h"

static enum as_status open_in(const char *dir, const char *name, const char *header, struct csv **c,
                              char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return csv_open(path, header, c, err, errlen);
}

enum as_status tables_write_fr(const char *dir, const struct fr_table *t, char *err, size_t errlen)
{
    struct csv *c = NULL;
    enum as_status st = open_in(dir, "fr.csv", TABLES_FR_HEADER, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct fr_row *r = &t->rows[i];
        csv_str(c, r->amp);
        csv_str(c, r->load);
        csv_num(c, r->load_ohm);
        csv_num(c, r->freq_hz);
        csv_num(c, r->gain_db);
        csv_num(c, r->dev_db);
        csv_num(c, r->zload_ohm);
        csv_num(c, r->zout_ohm);
        csv_num(c, r->damping);
        csv_int(c, r->rule8);
        csv_end_row(c);
    }
    return csv_commit(c, err, errlen);
}

static void point_key(struct csv *c, const struct large_row *r)
{
    csv_str(c, r->amp);
    csv_str(c, r->load);
    csv_num(c, r->load_ohm);
    csv_num(c, r->freq_hz);
}

enum as_status tables_write_power(const char *dir, const struct large_table *t, char *err,
                                  size_t errlen)
{
    struct csv *c = NULL;
    enum as_status st = open_in(dir, "power.csv", TABLES_POWER_HEADER, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct large_row *r = &t->rows[i];
        point_key(c, r);
        csv_num(c, r->p_max_w);
        csv_num(c, r->vout_rms_v);
        csv_num(c, r->iout_pk_a);
        csv_num(c, r->thd_pct);
        csv_str(c, large_limit_name(r->limit));
        csv_int(c, r->runs);
        csv_end_row(c);
    }
    return csv_commit(c, err, errlen);
}

enum as_status tables_write_dissipation(const char *dir, const struct large_table *t, char *err,
                                        size_t errlen)
{
    struct csv *c = NULL;
    enum as_status st = open_in(dir, "dissipation.csv", TABLES_DISSIPATION_HEADER, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct large_row *r = &t->rows[i];
        for (size_t k = 0; k <= r->n_devices; k++) {
            point_key(c, r);
            csv_str(c, r->device[k]);
            csv_num(c, r->p_quiescent_w[k]);
            csv_num(c, r->p_at_max_w[k]);
            csv_num(c, r->p_worst_w[k]);
            csv_num(c, r->tj_worst_c[k]);
            csv_num(c, r->tj_max_c[k]);
            csv_end_row(c);
        }
    }
    return csv_commit(c, err, errlen);
}

enum as_status tables_write_thd(const char *dir, const struct large_table *t, char *err,
                                size_t errlen)
{
    struct csv *c = NULL;
    enum as_status st = open_in(dir, "thd.csv", TABLES_THD_HEADER, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct large_row *r = &t->rows[i];
        for (size_t k = 0; k < r->n_curve; k++) {
            point_key(c, r);
            csv_num(c, r->curve[k].p_w);
            csv_num(c, r->curve[k].thd_pct);
            csv_end_row(c);
        }
    }
    return csv_commit(c, err, errlen);
}

enum as_status tables_write_verdict(const char *dir, const struct verdict *v, size_t n, char *err,
                                    size_t errlen)
{
    struct csv *c = NULL;
    enum as_status st = open_in(dir, "verdict.csv", TABLES_VERDICT_HEADER, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
            const struct verdict_check *ch = &v[i].check[k];
            csv_str(c, v[i].amp);
            csv_str(c, v[i].load);
            csv_num(c, v[i].load_ohm);
            csv_str(c, verdict_profile_name(v[i].profile));
            csv_str(c, verdict_criterion_name((enum verdict_criterion)k));
            csv_num(c, ch->value);
            csv_num(c, ch->limit);
            if (ch->pass < 0)
                csv_empty(c);
            else
                csv_int(c, ch->pass);
            csv_end_row(c);
        }
    }
    return csv_commit(c, err, errlen);
}
