/* summary: summary.json written from hand-made settings, verdicts and
 * failures, then read back with results_read: every value comes back under
 * the key results/schema.h names, and what was not measured is null. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "results/results.h"
#include "results/schema.h"
#include "run/summary.h"
#include "run/tables.h"
#include "testutil.h"

static double loads[] = {4, 8};
static double freqs[] = {20, 1000, 20000};
static double tran[] = {1000};

static const char *folder(const char *name)
{
    static char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", tu_dir(), name);
    mkdir(dir, 0777);
    return dir;
}

static struct sweep_spec spec_of(unsigned analyses)
{
    struct sweep_spec s = {0};
    s.loads_ohm = (struct range){.values = loads, .count = 2};
    s.freqs_hz = (struct range){.values = freqs, .count = 3};
    s.tran_freqs_hz = (struct range){.values = tran, .count = 1};
    s.analyses = analyses;
    s.thd_limit_pct = 1;
    s.ambient_c = 40;
    s.verdict = (struct verdict_settings){.profile = VERDICT_AUTO,
                                          .spk_sens_db = 88,
                                          .spk_sens_2v83_db = NAN,
                                          .spk_distance_m = 3,
                                          .spk_pair_gain_db = 3,
                                          .spk_room_gain_db = 2,
                                          .spk_target_db = 101,
                                          .hp_sens_db = 99,
                                          .hp_sens_v_db = 105,
                                          .hp_target_db = 114,
                                          .max_dev_db = 0.5};
    return s;
}

/* A verdict of amp into a resistor of ohm: the criteria pass as given. */
static struct verdict verdict_of(const char *amp, double ohm, const int pass[VERDICT_N_CRITERIA])
{
    struct verdict v = {.load_ohm = ohm,
                        .profile = VERDICT_SPEAKER,
                        .sens_db = 88,
                        .distance_m = 3,
                        .target_db = 101,
                        .p_required_w = 40,
                        .p_available_w = ohm * 2,
                        .spl_db = NAN};
    snprintf(v.amp, sizeof v.amp, "%s", amp);
    snprintf(v.load, sizeof v.load, "resistor");
    for (int k = 0; k < VERDICT_N_CRITERIA; k++)
        v.check[k] = (struct verdict_check){.value = k, .limit = 1, .pass = pass[k]};
    return v;
}

/* Write summary.json and the empty tables results_read wants, read back. */
static struct results *write_and_read(const char *dir, const struct summary_input *in)
{
    char err[512] = "";
    struct fr_table ft = {0};
    struct large_table lt = {0};
    assert_int_equal(summary_write(dir, in, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_fr(dir, &ft, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_power(dir, &lt, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_dissipation(dir, &lt, err, sizeof err), AS_OK);
    assert_int_equal(tables_write_verdict(dir, NULL, 0, err, sizeof err), AS_OK);
    struct results *r = NULL;
    assert_int_equal(results_read(dir, &r, err, sizeof err), AS_OK);
    return r;
}

static void the_settings_round_trip_through_summary_json(void **state)
{
    (void)state;
    struct sweep_spec spec = spec_of(SWEEP_FR | SWEEP_LARGE);
    struct summary_input in = {.spec = &spec};
    struct results *r = write_and_read(folder("settings"), &in);
    const struct results_settings *s = &r->settings;
    assert_true(s->has_fr);
    assert_true(s->has_large);
    assert_int_equal(s->n_loads_ohm, 2);
    assert_true(s->loads_ohm[1] == 8);
    assert_int_equal(s->n_freqs_hz, 3);
    assert_true(s->freqs_hz[2] == 20000);
    assert_int_equal(s->n_tran_freqs_hz, 1);
    assert_true(s->tran_freqs_hz[0] == 1000);
    assert_true(s->thd_limit_pct == 1);
    assert_true(s->ambient_c == 40);
    assert_string_equal(s->profile, verdict_profile_name(VERDICT_AUTO));
    /* every listening assumption is recorded and read back */
    const struct verdict_settings *v = &s->verdict;
    assert_int_equal(v->profile, VERDICT_AUTO);
    assert_true(v->spk_sens_db == 88);
    assert_true(isnan(v->spk_sens_2v83_db));
    assert_true(v->spk_distance_m == 3);
    assert_true(v->spk_pair_gain_db == 3);
    assert_true(v->spk_room_gain_db == 2);
    assert_true(v->spk_target_db == 101);
    assert_true(v->hp_sens_db == 99);
    assert_true(v->hp_sens_v_db == 105);
    assert_true(v->hp_target_db == 114);
    assert_true(v->max_dev_db == 0.5);
    assert_int_equal(r->n_amps, 0);
    assert_int_equal(r->n_failures, 0);
    results_free(r);
}

static void only_the_analyses_that_ran_are_listed(void **state)
{
    (void)state;
    struct sweep_spec spec = spec_of(SWEEP_FR);
    struct summary_input in = {.spec = &spec};
    struct results *r = write_and_read(folder("fr_only"), &in);
    assert_true(r->settings.has_fr);
    assert_false(r->settings.has_large);
    results_free(r);
}

static void each_amp_s_verdicts_and_criteria_round_trip_under_their_amp(void **state)
{
    (void)state;
    struct sweep_spec spec = spec_of(SWEEP_FR | SWEEP_LARGE);
    int all_pass[VERDICT_N_CRITERIA], mixed[VERDICT_N_CRITERIA];
    for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
        all_pass[k] = 1;
        mixed[k] = k == VERDICT_DAMPING ? 0 : k == VERDICT_THERMAL ? -1 : 1;
    }
    struct verdict v[3] = {verdict_of("b", 4, mixed), verdict_of("a", 8, all_pass),
                           verdict_of("b", 8, all_pass)};
    struct summary_amp amps[2] = {{"a", "n/a.cir", "power", "src a"},
                                  {"b", "n/b.cir", "headphone", "src b"}};
    struct summary_input in = {
        .spec = &spec, .amps = amps, .n_amps = 2, .verdicts = v, .n_verdicts = 3};
    struct results *r = write_and_read(folder("amps"), &in);
    assert_int_equal(r->n_amps, 2);
    const struct results_amp *b = &r->amps[results_amp_index(r, "b")];
    assert_string_equal(b->netlist, "n/b.cir");
    assert_string_equal(b->kind, "headphone");
    assert_string_equal(b->source, "src b");
    assert_int_equal(b->n_loads, 2);
    const struct results_load *l = &b->loads[0];
    assert_string_equal(l->load, "resistor");
    assert_true(l->load_ohm == 4);
    assert_string_equal(l->profile, verdict_profile_name(VERDICT_SPEAKER));
    assert_true(strlen(l->verdict) > 0);
    assert_int_equal(l->pass, 0); /* damping fails */
    assert_true(l->p_required_w == 40);
    assert_true(l->p_available_w == 8);
    assert_true(isnan(l->spl_db)); /* null in the file */
    for (int k = 0; k < VERDICT_N_CRITERIA; k++)
        assert_int_equal(l->crit_pass[k], mixed[k]);
    assert_int_equal(b->loads[1].pass, 1);
    assert_int_equal(r->amps[results_amp_index(r, "a")].n_loads, 1);
    results_free(r);
}

static void a_verdict_with_no_failure_but_an_unknown_criterion_is_unknown(void **state)
{
    (void)state;
    struct sweep_spec spec = spec_of(SWEEP_FR | SWEEP_LARGE);
    int pass[VERDICT_N_CRITERIA];
    for (int k = 0; k < VERDICT_N_CRITERIA; k++)
        pass[k] = k == VERDICT_POWER ? -1 : 1;
    struct verdict v = verdict_of("a", 8, pass);
    struct summary_amp amp = {"a", "a.cir", "power", ""};
    struct summary_input in = {
        .spec = &spec, .amps = &amp, .n_amps = 1, .verdicts = &v, .n_verdicts = 1};
    struct results *r = write_and_read(folder("unknown"), &in);
    assert_int_equal(r->amps[0].loads[0].pass, -1);
    assert_int_equal(r->amps[0].loads[0].crit_pass[VERDICT_POWER], -1);
    results_free(r);
}

static void failed_netlists_and_failed_points_round_trip(void **state)
{
    (void)state;
    struct sweep_spec spec = spec_of(SWEEP_LARGE);
    struct strv paths = {0}, errors = {0};
    assert_int_equal(strv_push(&paths, "bad.cir"), AS_OK);
    assert_int_equal(strv_push(&errors, "bad.cir:3: no output"), AS_OK);
    struct large_row *row = calloc(2, sizeof *row);
    assert_non_null(row);
    snprintf(row[0].amp, sizeof row[0].amp, "a");
    snprintf(row[0].load, sizeof row[0].load, "resistor");
    row[0].load_ohm = 4;
    row[0].freq_hz = 1000;
    row[0].limit = LARGE_FAILED;
    snprintf(row[0].error, sizeof row[0].error, "timestep too small");
    row[1] = row[0];
    row[1].limit = LARGE_VOLTAGE; /* measured: not a failure */
    struct large_table lt = {.rows = row, .len = 2, .cap = 2};
    struct summary_input in = {
        .spec = &spec, .large = &lt, .failed_paths = &paths, .failed_errors = &errors};
    struct results *r = write_and_read(folder("failed"), &in);
    assert_int_equal(r->n_failures, 2);
    assert_string_equal(r->failures[0].netlist, "bad.cir");
    assert_string_equal(r->failures[0].error, "bad.cir:3: no output");
    assert_null(r->failures[1].netlist);
    assert_string_equal(r->failures[1].amp, "a");
    assert_string_equal(r->failures[1].load, "resistor");
    assert_true(r->failures[1].load_ohm == 4);
    assert_true(r->failures[1].freq_hz == 1000);
    assert_string_equal(r->failures[1].error, "timestep too small");
    results_free(r);
    free(row);
    strv_free(&paths);
    strv_free(&errors);
}

static void summary_json_spells_its_keys_as_the_schema_does(void **state)
{
    (void)state;
    struct sweep_spec spec = spec_of(SWEEP_FR | SWEEP_LARGE);
    static const int pass[VERDICT_N_CRITERIA] = {1, 0, 1, 1};
    struct verdict v = verdict_of("a", 8, pass);
    struct summary_amp amp = {"a", "a.cir", "power", ""};
    struct summary_input in = {
        .spec = &spec, .amps = &amp, .n_amps = 1, .verdicts = &v, .n_verdicts = 1};
    const char *dir = folder("keys");
    char err[512] = "", path[1024];
    assert_int_equal(summary_write(dir, &in, err, sizeof err), AS_OK);
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_SUMMARY_FILE);
    char *text = tu_read(path);
    assert_non_null(text);
    static const char *const keys[] = {
        RESULTS_KEY_SETTINGS,      RESULTS_KEY_AMPS,          RESULTS_KEY_FAILED,
        RESULTS_KEY_ANALYSES,      RESULTS_KEY_LOADS_OHM,     RESULTS_KEY_LOAD_FILES,
        RESULTS_KEY_LOAD_MODELS,   RESULTS_KEY_FREQS_HZ,      RESULTS_KEY_TRAN_FREQS_HZ,
        RESULTS_KEY_THD_LIMIT_PCT, RESULTS_KEY_AMBIENT_C,     RESULTS_KEY_PROFILE,
        RESULTS_KEY_SPEAKER,       RESULTS_KEY_HEADPHONE,     RESULTS_KEY_SENS_DB_SPL_W,
        RESULTS_KEY_DISTANCE_M,    RESULTS_KEY_TARGET_SPL_DB, RESULTS_KEY_SENS_DB_SPL_MW,
        RESULTS_KEY_MAX_DEV_DB,    RESULTS_KEY_NAME,          RESULTS_KEY_NETLIST,
        RESULTS_KEY_KIND,          RESULTS_KEY_SOURCE,        RESULTS_KEY_LOADS,
        RESULTS_KEY_LOAD,          RESULTS_KEY_LOAD_OHM,      RESULTS_KEY_VERDICT,
        RESULTS_KEY_PASS,          RESULTS_KEY_P_REQUIRED_W,  RESULTS_KEY_P_AVAILABLE_W,
        RESULTS_KEY_SPL_DB,        RESULTS_KEY_CRITERIA,      RESULTS_KEY_VALUE,
        RESULTS_KEY_LIMIT};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted, "\"%s\":", keys[i]);
        assert_non_null(strstr(text, quoted));
    }
    for (int k = 0; k < VERDICT_N_CRITERIA; k++) {
        char quoted[64];
        snprintf(quoted, sizeof quoted,
                 "\"%s\":", verdict_criterion_name((enum verdict_criterion)k));
        assert_non_null(strstr(text, quoted));
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_settings_round_trip_through_summary_json),
        cmocka_unit_test(only_the_analyses_that_ran_are_listed),
        cmocka_unit_test(each_amp_s_verdicts_and_criteria_round_trip_under_their_amp),
        cmocka_unit_test(a_verdict_with_no_failure_but_an_unknown_criterion_is_unknown),
        cmocka_unit_test(failed_netlists_and_failed_points_round_trip),
        cmocka_unit_test(summary_json_spells_its_keys_as_the_schema_does),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
