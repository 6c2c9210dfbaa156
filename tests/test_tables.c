/* tables: each result CSV written from hand-made rows into a scratch folder
 * and read back, with csvread for the exact cells and with results_read for
 * the folder as the report sees it; every header is results/schema.h's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/csvread.h"
#include "results/results.h"
#include "results/schema.h"
#include "run/tables.h"
#include "testutil.h"

/* A fresh folder for one test (under the scratch folder). */
static const char *folder(const char *name)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", tu_dir(), name);
    mkdir(dir, 0777);
    return dir;
}

/* Read table t of dir with csvread and check its header against the schema:
 * the same words in the same order, and the file's first line is the
 * schema's header. */
static struct csvr *read_back(const char *dir, enum results_table t)
{
    const struct results_schema *s = results_schema(t);
    char path[1024], err[512] = "";
    snprintf(path, sizeof path, "%s/%s", dir, s->file);
    char *text = tu_read(path);
    assert_non_null(text);
    size_t hl = strlen(s->header);
    assert_memory_equal(text, s->header, hl);
    assert_int_equal(text[hl], '\n');
    free(text);
    struct csvr *c = NULL;
    assert_int_equal(csvr_read(path, &c, err, sizeof err), AS_OK);
    assert_int_equal(c->n_cols, s->n_cols);
    for (size_t i = 0; i < s->n_cols; i++)
        assert_string_equal(c->cols[i], s->cols[i]);
    return c;
}

static struct large_table *one_large_row(void)
{
    struct large_table *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->rows = calloc(1, sizeof *t->rows);
    assert_non_null(t->rows);
    t->len = t->cap = 1;
    struct large_row *r = &t->rows[0];
    snprintf(r->amp, sizeof r->amp, "amp, \"one\"");
    snprintf(r->load, sizeof r->load, "resistor");
    r->load_ohm = 8;
    r->freq_hz = 1000;
    r->limit = LARGE_VOLTAGE;
    r->p_max_w = 12.5;
    r->vout_rms_v = 10;
    r->iout_pk_a = 1.77;
    r->thd_pct = 0.99;
    r->runs = 6;
    r->n_devices = 1;
    snprintf(r->device[0], sizeof r->device[0], "total");
    snprintf(r->device[1], sizeof r->device[1], "q1");
    r->p_quiescent_w[0] = 1;
    r->p_at_max_w[0] = 9;
    r->p_worst_w[0] = 11;
    r->tj_worst_c[0] = NAN;
    r->tj_max_c[0] = NAN;
    r->p_quiescent_w[1] = 0.5;
    r->p_at_max_w[1] = 4;
    r->p_worst_w[1] = 5.5;
    r->tj_worst_c[1] = 95;
    r->tj_max_c[1] = 150;
    r->n_curve = 2;
    r->curve[0].p_w = 0.5;
    r->curve[0].thd_pct = 0.01;
    r->curve[1].p_w = 12;
    r->curve[1].thd_pct = 0.5;
    return t;
}

static void free_large(struct large_table *t)
{
    free(t->rows);
    free(t);
}

static void fr_csv_has_the_schema_header_and_every_row_in_column_order(void **state)
{
    (void)state;
    const char *dir = folder("fr");
    struct fr_row rows[2] = {{.load_ohm = 8,
                              .freq_hz = 20,
                              .gain_db = 26,
                              .dev_db = -0.25,
                              .zload_ohm = 8.1,
                              .zout_ohm = 0.05,
                              .damping = 160,
                              .rule8 = 1},
                             {.load_ohm = 32, .freq_hz = 20000, .dev_db = NAN, .rule8 = 0}};
    snprintf(rows[0].amp, sizeof rows[0].amp, "a");
    snprintf(rows[0].load, sizeof rows[0].load, "resistor");
    snprintf(rows[1].amp, sizeof rows[1].amp, "b");
    snprintf(rows[1].load, sizeof rows[1].load, "hp_32ohm");
    struct fr_table t = {.rows = rows, .len = 2, .cap = 2};
    char err[512] = "";
    assert_int_equal(tables_write_fr(dir, &t, err, sizeof err), AS_OK);
    struct csvr *c = read_back(dir, RESULTS_FR);
    assert_int_equal(c->n_rows, 2);
    assert_string_equal(csvr_cell(c, 0, RESULTS_FR_AMP), "a");
    assert_string_equal(csvr_cell(c, 0, RESULTS_FR_LOAD), "resistor");
    assert_true(csvr_num(c, 0, RESULTS_FR_LOAD_OHM) == 8);
    assert_true(csvr_num(c, 0, RESULTS_FR_FREQ_HZ) == 20);
    assert_true(csvr_num(c, 0, RESULTS_FR_GAIN_DB) == 26);
    assert_true(csvr_num(c, 0, RESULTS_FR_DEV_DB) == -0.25);
    assert_true(csvr_num(c, 0, RESULTS_FR_ZLOAD_OHM) == 8.1);
    assert_true(csvr_num(c, 0, RESULTS_FR_ZOUT_OHM) == 0.05);
    assert_true(csvr_num(c, 0, RESULTS_FR_DAMPING) == 160);
    assert_string_equal(csvr_cell(c, 0, RESULTS_FR_RULE8), "1");
    assert_string_equal(csvr_cell(c, 1, RESULTS_FR_LOAD), "hp_32ohm");
    assert_true(isnan(csvr_num(c, 1, RESULTS_FR_DEV_DB)));
    assert_string_equal(csvr_cell(c, 1, RESULTS_FR_RULE8), "0");
    csvr_free(c);
}

static void power_dissipation_and_thd_csv_have_the_schema_headers_and_a_row_per_item(void **state)
{
    (void)state;
    const char *dir = folder("large");
    struct large_table *t = one_large_row();
    char err[512] = "";
    assert_int_equal(tables_write_power(dir, t, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_dissipation(dir, t, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_thd(dir, t, err, sizeof err), AS_OK);

    struct csvr *c = read_back(dir, RESULTS_POWER);
    assert_int_equal(c->n_rows, 1);
    assert_string_equal(csvr_cell(c, 0, RESULTS_POWER_AMP), "amp, \"one\"");
    assert_true(csvr_num(c, 0, RESULTS_POWER_P_MAX_W) == 12.5);
    assert_true(csvr_num(c, 0, RESULTS_POWER_IOUT_PK_A) == 1.77);
    assert_string_equal(csvr_cell(c, 0, RESULTS_POWER_LIMIT), large_limit_name(LARGE_VOLTAGE));
    assert_string_equal(csvr_cell(c, 0, RESULTS_POWER_RUNS), "6");
    csvr_free(c);

    c = read_back(dir, RESULTS_DISSIPATION); /* the total, then each device */
    assert_int_equal(c->n_rows, 2);
    assert_string_equal(csvr_cell(c, 0, RESULTS_DISS_DEVICE), "total");
    assert_true(isnan(csvr_num(c, 0, RESULTS_DISS_TJ_WORST_C)));
    assert_string_equal(csvr_cell(c, 1, RESULTS_DISS_DEVICE), "q1");
    assert_true(csvr_num(c, 1, RESULTS_DISS_P_WORST_W) == 5.5);
    assert_true(csvr_num(c, 1, RESULTS_DISS_TJ_MAX_C) == 150);
    csvr_free(c);

    c = read_back(dir, RESULTS_THD); /* a row per level of the curve */
    assert_int_equal(c->n_rows, 2);
    assert_true(csvr_num(c, 0, RESULTS_THD_P_W) == 0.5);
    assert_true(csvr_num(c, 1, RESULTS_THD_THD_PCT) == 0.5);
    assert_true(csvr_num(c, 1, RESULTS_THD_FREQ_HZ) == 1000);
    csvr_free(c);
    free_large(t);
}

static void verdict_csv_has_a_row_per_criterion_named_by_the_judge(void **state)
{
    (void)state;
    const char *dir = folder("verdict");
    struct verdict v = {.load_ohm = 4, .profile = VERDICT_SPEAKER};
    snprintf(v.amp, sizeof v.amp, "a");
    snprintf(v.load, sizeof v.load, "resistor");
    for (int k = 0; k < VERDICT_N_CRITERIA; k++)
        v.check[k] = (struct verdict_check){.value = k, .limit = 10 + k, .pass = k % 3 - 1};
    char err[512] = "";
    assert_int_equal(tables_write_verdict(dir, &v, 1, err, sizeof err), AS_OK);
    struct csvr *c = read_back(dir, RESULTS_VERDICT);
    assert_int_equal(c->n_rows, VERDICT_N_CRITERIA);
    for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
        assert_string_equal(csvr_cell(c, (size_t)k, RESULTS_VERDICT_CRITERION),
                            verdict_criterion_name((enum verdict_criterion)k));
        assert_string_equal(csvr_cell(c, (size_t)k, RESULTS_VERDICT_PROFILE),
                            verdict_profile_name(VERDICT_SPEAKER));
        assert_true(csvr_num(c, (size_t)k, RESULTS_VERDICT_LIMIT) == 10 + k);
        const char *want = v.check[k].pass < 0 ? "" : v.check[k].pass ? "1" : "0";
        assert_string_equal(csvr_cell(c, (size_t)k, RESULTS_VERDICT_PASS), want);
    }
    csvr_free(c);
}

static void results_read_finds_every_column_the_writers_wrote(void **state)
{
    (void)state;
    const char *dir = folder("folder");
    struct large_table *t = one_large_row();
    struct fr_row fr = {.load_ohm = 8, .freq_hz = 1000, .dev_db = -0.5, .rule8 = 1};
    snprintf(fr.amp, sizeof fr.amp, "%s", t->rows[0].amp);
    snprintf(fr.load, sizeof fr.load, "resistor");
    struct fr_table ft = {.rows = &fr, .len = 1, .cap = 1};
    struct verdict v = {.load_ohm = 8, .profile = VERDICT_HEADPHONE};
    snprintf(v.amp, sizeof v.amp, "%s", t->rows[0].amp);
    snprintf(v.load, sizeof v.load, "resistor");
    char err[512] = "";
    assert_int_equal(tables_write_fr(dir, &ft, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_power(dir, t, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_dissipation(dir, t, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_verdict(dir, &v, 1, err, sizeof err), AS_OK);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_SUMMARY_FILE);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\"%s\": {\"%s\": [\"%s\", \"%s\"]}, \"%s\": []}\n", RESULTS_KEY_SETTINGS,
            RESULTS_KEY_ANALYSES, RESULTS_ANALYSIS_FR, RESULTS_ANALYSIS_LARGE, RESULTS_KEY_AMPS);
    fclose(fp);
    struct results *r = NULL;
    assert_int_equal(results_read(dir, &r, err, sizeof err), AS_OK);
    assert_int_equal(r->n_fr, 1);
    assert_true(r->fr[0].dev_db == -0.5);
    assert_int_equal(r->fr[0].rule8, 1);
    assert_int_equal(r->n_power, 1);
    assert_string_equal(r->power[0].amp, "amp, \"one\"");
    assert_true(r->power[0].p_max_w == 12.5);
    assert_string_equal(r->power[0].limit, "voltage");
    assert_int_equal(r->n_diss, 2);
    assert_true(r->diss[1].tj_worst_c == 95);
    assert_int_equal(r->n_verdicts, VERDICT_N_CRITERIA);
    assert_string_equal(r->verdicts[VERDICT_THERMAL].criterion,
                        verdict_criterion_name(VERDICT_THERMAL));
    assert_int_equal(r->verdicts[0].pass, 0); /* a zeroed check: pass 0 */
    results_free(r);
    free_large(t);
}

static void a_table_without_a_schema_column_is_refused_naming_file_and_column(void **state)
{
    (void)state;
    const char *dir = folder("short");
    struct fr_table ft = {0};
    char err[512] = "";
    assert_int_equal(tables_write_fr(dir, &ft, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_verdict(dir, NULL, 0, err, sizeof err), AS_OK);
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, results_schema(RESULTS_FR)->file);
    FILE *fp = fopen(path, "w"); /* fr.csv without its zout_ohm column */
    assert_non_null(fp);
    const struct results_schema *s = results_schema(RESULTS_FR);
    for (size_t i = 0; i < s->n_cols; i++)
        if (i != RESULTS_FR_ZOUT_OHM)
            fprintf(fp, "%s%s", i ? "," : "", s->cols[i]);
    fputc('\n', fp);
    fclose(fp);
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_SUMMARY_FILE);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "{\"%s\": {\"%s\": [\"%s\"]}, \"%s\": []}\n", RESULTS_KEY_SETTINGS,
            RESULTS_KEY_ANALYSES, RESULTS_ANALYSIS_FR, RESULTS_KEY_AMPS);
    fclose(fp);
    struct results *r = NULL;
    assert_int_equal(results_read(dir, &r, err, sizeof err), AS_EINPUT);
    assert_null(r);
    assert_non_null(strstr(err, s->file));
    assert_non_null(strstr(err, s->cols[RESULTS_FR_ZOUT_OHM]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fr_csv_has_the_schema_header_and_every_row_in_column_order),
        cmocka_unit_test(power_dissipation_and_thd_csv_have_the_schema_headers_and_a_row_per_item),
        cmocka_unit_test(verdict_csv_has_a_row_per_criterion_named_by_the_judge),
        cmocka_unit_test(results_read_finds_every_column_the_writers_wrote),
        cmocka_unit_test(a_table_without_a_schema_column_is_refused_naming_file_and_column),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
