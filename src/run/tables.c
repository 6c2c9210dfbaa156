/* tables: one function per result CSV, so that each file's columns are
 * written in exactly one place. The header and the order of the cells come
 * from results/schema.h: every cell names its schema column, and a row that
 * skips, repeats or reorders a column stops at an assert. */
#include "run/tables.h"

#include <assert.h>
#include <stdio.h>

#include "base/csv.h"
#include "results/schema.h"

/* A row being written: the next column the schema expects. */
struct row {
    struct csv *c;
    const struct results_schema *s;
    int next;
};

static enum as_status open_table(const char *dir, enum results_table t, struct row *w, char *err,
                                 size_t errlen)
{
    char path[4096];
    w->s = results_schema(t);
    w->next = 0;
    w->c = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, w->s->file);
    return csv_open(path, w->s->header, &w->c, err, errlen);
}

static void next_col(struct row *w, int col)
{
    assert(col == w->next && (size_t)col < w->s->n_cols);
    (void)col; /* only the assert reads it */
    w->next++;
}

static void put_str(struct row *w, int col, const char *s)
{
    next_col(w, col);
    csv_str(w->c, s);
}

static void put_num(struct row *w, int col, double v)
{
    next_col(w, col);
    csv_num(w->c, v);
}

static void put_int(struct row *w, int col, long v)
{
    next_col(w, col);
    csv_int(w->c, v);
}

static void put_empty(struct row *w, int col)
{
    next_col(w, col);
    csv_empty(w->c);
}

static void end_row(struct row *w)
{
    assert((size_t)w->next == w->s->n_cols);
    csv_end_row(w->c);
    w->next = 0;
}

enum as_status tables_write_fr(const char *dir, const struct fr_table *t, char *err, size_t errlen)
{
    struct row w;
    enum as_status st = open_table(dir, RESULTS_FR, &w, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct fr_row *r = &t->rows[i];
        put_str(&w, RESULTS_FR_AMP, r->amp);
        put_str(&w, RESULTS_FR_LOAD, r->load);
        put_num(&w, RESULTS_FR_LOAD_OHM, r->load_ohm);
        put_num(&w, RESULTS_FR_FREQ_HZ, r->freq_hz);
        put_num(&w, RESULTS_FR_GAIN_DB, r->gain_db);
        put_num(&w, RESULTS_FR_DEV_DB, r->dev_db);
        put_num(&w, RESULTS_FR_ZLOAD_OHM, r->zload_ohm);
        put_num(&w, RESULTS_FR_ZOUT_OHM, r->zout_ohm);
        put_num(&w, RESULTS_FR_DAMPING, r->damping);
        put_int(&w, RESULTS_FR_RULE8, r->rule8);
        put_num(&w, RESULTS_FR_VNOISE_UV, r->vnoise_uv);
        put_num(&w, RESULTS_FR_VNOISE_A_UV, r->vnoise_a_uv);
        end_row(&w);
    }
    return csv_commit(w.c, err, errlen);
}

/* The point columns, the same four at the start of every per-point table
 * (results/schema.h asserts their indexes agree). */
static void point_key(struct row *w, const struct large_row *r)
{
    put_str(w, RESULTS_POWER_AMP, r->amp);
    put_str(w, RESULTS_POWER_LOAD, r->load);
    put_num(w, RESULTS_POWER_LOAD_OHM, r->load_ohm);
    put_num(w, RESULTS_POWER_FREQ_HZ, r->freq_hz);
}

enum as_status tables_write_power(const char *dir, const struct large_table *t, char *err,
                                  size_t errlen)
{
    struct row w;
    enum as_status st = open_table(dir, RESULTS_POWER, &w, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct large_row *r = &t->rows[i];
        point_key(&w, r);
        put_num(&w, RESULTS_POWER_P_MAX_W, r->p_max_w);
        put_num(&w, RESULTS_POWER_VOUT_RMS_V, r->vout_rms_v);
        put_num(&w, RESULTS_POWER_IOUT_PK_A, r->iout_pk_a);
        put_num(&w, RESULTS_POWER_THD_PCT, r->thd_pct);
        put_num(&w, RESULTS_POWER_VOUT_DC_V, r->vout_dc_v);
        put_str(&w, RESULTS_POWER_LIMIT, large_limit_name(r->limit));
        put_int(&w, RESULTS_POWER_RUNS, r->runs);
        put_int(&w, RESULTS_POWER_PERIODS, r->periods);
        end_row(&w);
    }
    return csv_commit(w.c, err, errlen);
}

enum as_status tables_write_dissipation(const char *dir, const struct large_table *t, char *err,
                                        size_t errlen)
{
    struct row w;
    enum as_status st = open_table(dir, RESULTS_DISSIPATION, &w, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct large_row *r = &t->rows[i];
        for (size_t k = 0; k <= r->n_devices; k++) {
            point_key(&w, r);
            put_str(&w, RESULTS_DISS_DEVICE, r->device[k]);
            put_num(&w, RESULTS_DISS_P_QUIESCENT_W, r->p_quiescent_w[k]);
            put_num(&w, RESULTS_DISS_P_AT_MAX_W, r->p_at_max_w[k]);
            put_num(&w, RESULTS_DISS_P_EIGHTH_W, r->p_eighth_w[k]);
            put_num(&w, RESULTS_DISS_P_WORST_W, r->p_worst_w[k]);
            put_num(&w, RESULTS_DISS_TJ_EIGHTH_C, r->tj_eighth_c[k]);
            put_num(&w, RESULTS_DISS_TJ_WORST_C, r->tj_worst_c[k]);
            put_num(&w, RESULTS_DISS_TJ_MAX_C, r->tj_max_c[k]);
            end_row(&w);
        }
    }
    return csv_commit(w.c, err, errlen);
}

enum as_status tables_write_thd(const char *dir, const struct large_table *t, char *err,
                                size_t errlen)
{
    struct row w;
    enum as_status st = open_table(dir, RESULTS_THD, &w, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct large_row *r = &t->rows[i];
        for (size_t k = 0; k < r->n_curve; k++) {
            point_key(&w, r);
            put_num(&w, RESULTS_THD_P_W, r->curve[k].p_w);
            put_num(&w, RESULTS_THD_THD_PCT, r->curve[k].thd_pct);
            end_row(&w);
        }
    }
    return csv_commit(w.c, err, errlen);
}

enum as_status tables_write_verdict(const char *dir, const struct verdict *v, size_t n, char *err,
                                    size_t errlen)
{
    struct row w;
    enum as_status st = open_table(dir, RESULTS_VERDICT, &w, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
            const struct verdict_check *ch = &v[i].check[k];
            put_str(&w, RESULTS_VERDICT_AMP, v[i].amp);
            put_str(&w, RESULTS_VERDICT_LOAD, v[i].load);
            put_num(&w, RESULTS_VERDICT_LOAD_OHM, v[i].load_ohm);
            put_str(&w, RESULTS_VERDICT_PROFILE, verdict_profile_name(v[i].profile));
            put_str(&w, RESULTS_VERDICT_CRITERION,
                    verdict_criterion_name((enum verdict_criterion)k));
            put_num(&w, RESULTS_VERDICT_VALUE, ch->value);
            put_num(&w, RESULTS_VERDICT_LIMIT, ch->limit);
            if (ch->pass < 0)
                put_empty(&w, RESULTS_VERDICT_PASS);
            else
                put_int(&w, RESULTS_VERDICT_PASS, ch->pass);
            end_row(&w);
        }
    }
    return csv_commit(w.c, err, errlen);
}
