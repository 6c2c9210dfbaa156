/* failmap and results: a hand-made results folder read back, and each
 * cell of its failure map coloured by the first criterion that fails. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "report/failmap.h"
#include "results/results.h"
#include "results_fixture.h"
#include "testutil.h"

static struct results *fixture(void)
{
    char dir[256];
    snprintf(dir, sizeof dir, "%s/fx", tu_dir());
    fx_write(dir);
    struct results *r = NULL;
    char err[512] = "";
    assert_int_equal(results_read(dir, &r, err, sizeof err), AS_OK);
    return r;
}

static enum failmap_code code_at(const struct failmap *m, const char *amp, double ohm, double f)
{
    for (size_t i = 0; i < m->n_cells; i++)
        if (strcmp(m->cells[i].amp, amp) == 0 && m->cells[i].load_ohm == ohm &&
            m->cells[i].freq_hz == f)
            return m->cells[i].code;
    fail_msg("no cell %s %g ohm %g Hz", amp, ohm, f);
    return FAILMAP_UNKNOWN;
}

static void results_read_gives_settings_amps_rows_and_failures(void **state)
{
    (void)state;
    struct results *r = fixture();
    assert_true(r->settings.has_fr && r->settings.has_large);
    assert_int_equal(r->n_amps, 2);
    assert_string_equal(r->amps[0].name, FX_HP);
    assert_int_equal(r->amps[0].n_loads, 4);
    assert_string_equal(r->amps[0].loads[1].profile, "speaker");
    assert_string_equal(r->amps[0].loads[2].profile, "headphone");
    assert_string_equal(r->amps[0].loads[0].tier, "too quiet");
    assert_string_equal(r->amps[0].loads[0].limit, "current");
    assert_int_equal(r->amps[0].loads[0].pass, 0);
    assert_int_equal(r->amps[0].loads[0].crit_pass[3], 1);
    assert_int_equal(r->n_fr, 10);
    assert_int_equal(r->n_power, 5);
    assert_int_equal(r->n_diss, 10);
    assert_int_equal(r->n_verdicts, 6 * VERDICT_N_CRITERIA); /* 6 amp x load x profile */
    assert_int_equal(r->n_failures, 1);
    assert_string_equal(r->failures[0].netlist, "bad<x>.cir");
    assert_true(results_ref_freq_hz(r) == 1000);
    assert_true(isnan(r->diss[0].tj_worst_c));
    results_free(r);
}

static void failmap_colours_each_cell_by_the_first_failing_criterion(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct failmap *m = NULL;
    char err[256];
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    assert_int_equal(m->n_cells, 12);
    /* power comes first even where the response and damping fail too */
    assert_int_equal(code_at(m, FX_HP, 8, 100), FAILMAP_POWER);
    assert_int_equal(code_at(m, FX_HP, 8, 10000), FAILMAP_POWER);
    assert_int_equal(code_at(m, FX_HP, 32, 100), FAILMAP_PASS);
    assert_int_equal(code_at(m, FX_HP, 32, 10000), FAILMAP_FR_DEVIATION);
    assert_int_equal(code_at(m, "pw", 8, 100), FAILMAP_DAMPING);
    assert_int_equal(code_at(m, "pw", 8, 10000), FAILMAP_PASS);
    assert_int_equal(code_at(m, "pw", 32, 100), FAILMAP_THERMAL);
    assert_int_equal(code_at(m, "pw", 32, 10000), FAILMAP_THERMAL);
    /* a load judged both ways has a row per profile, each held to its own
     * limits: 0.3 W is short of a speaker's 19.95 W, plenty for a headphone */
    assert_int_equal(m->cells[2].code, FAILMAP_POWER);
    assert_string_equal(m->cells[4].load, "resistor");
    assert_true(m->cells[4].load_ohm == 15.8489);
    assert_int_equal(m->cells[4].row, 2);
    assert_int_equal(m->cells[4].code, FAILMAP_PASS);
    failmap_free(m);
    failmap_free(NULL);
    results_free(r);
}

static void failmap_judges_heat_at_an_eighth_of_full_power_and_the_dc_offset(void **state)
{
    (void)state;
    struct results *r = fixture();
    /* hp into 15.8 ohm: a worst-case sine over the limit is a stress case,
     * not a failure; 1/8 power decides */
    r->diss[3].tj_worst_c = 170;
    r->power[2].vout_dc_v = 0.05; /* hp into 32 ohm: over the headphone's 20 mV */
    struct failmap *m = NULL;
    char err[256];
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    assert_int_equal(m->cells[4].code, FAILMAP_PASS);
    assert_int_equal(code_at(m, "pw", 32, 100), FAILMAP_THERMAL);
    assert_int_equal(code_at(m, FX_HP, 32, 100), FAILMAP_DC_OFFSET);
    failmap_free(m);
    r->diss[3].tj_eighth_c = 170;
    r->diss[5].tj_eighth_c = 170;
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    assert_int_equal(m->cells[4].code, FAILMAP_THERMAL);
    /* thermal comes before dc_offset */
    assert_int_equal(code_at(m, FX_HP, 32, 100), FAILMAP_THERMAL);
    failmap_free(m);
    results_free(r);
}

static void failmap_says_which_amps_maps_change_with_frequency(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct failmap *m = NULL;
    char err[256];
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    /* hp 32 ohm passes at 100 Hz, fails fr_deviation at 10 kHz */
    assert_true(failmap_varies(m, FX_HP));
    failmap_free(m);
    /* flat into 32 ohm too: every row of hp is one colour, and its map says
     * nothing the verdict per load does not; pw's 8 ohm row still changes
     * (damping fails at 100 Hz only) */
    assert_string_equal(r->fr[5].amp, FX_HP);
    assert_true(r->fr[5].load_ohm == 32 && r->fr[5].freq_hz == 10000);
    r->fr[5].dev_db = 0;
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    assert_false(failmap_varies(m, FX_HP));
    assert_true(failmap_varies(m, "pw"));
    failmap_free(m);
    results_free(r);
}

static void a_whole_band_verdict_is_coded_by_its_first_failing_criterion(void **state)
{
    (void)state;
    struct results *r = fixture();
    assert_int_equal(failmap_verdict_code(&r->amps[0].loads[0]), FAILMAP_POWER);
    assert_int_equal(failmap_verdict_code(&r->amps[0].loads[2]), FAILMAP_PASS);
    assert_int_equal(failmap_verdict_code(&r->amps[0].loads[3]), FAILMAP_FR_DEVIATION);
    assert_int_equal(failmap_verdict_code(&r->amps[1].loads[1]), FAILMAP_THERMAL);
    r->amps[0].loads[2].crit_pass[VERDICT_DC_OFFSET] = -1;
    assert_int_equal(failmap_verdict_code(&r->amps[0].loads[2]), FAILMAP_UNKNOWN);
    results_free(r);
}

static void failmap_cells_tile_the_log_frequency_axis(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct failmap *m = NULL;
    char err[256];
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    /* 100 Hz and 10 kHz meet at 1 kHz, the geometric midpoint */
    assert_true(fabs(m->cells[0].f_hi_hz - 1000) < 1e-6);
    assert_true(fabs(m->cells[1].f_lo_hz - 1000) < 1e-6);
    assert_int_equal(m->cells[2].row, 1);
    failmap_free(m);
    results_free(r);
}

static void failmap_marks_unknown_where_the_large_signal_analysis_did_not_run(void **state)
{
    (void)state;
    struct results *r = fixture();
    r->settings.has_large = 0;
    struct failmap *m = NULL;
    char err[256];
    assert_int_equal(failmap_build(r, &m, err, sizeof err), AS_OK);
    assert_int_equal(code_at(m, FX_HP, 32, 100), FAILMAP_UNKNOWN);
    /* a failure that was measured still shows */
    assert_int_equal(code_at(m, "pw", 8, 100), FAILMAP_DAMPING);
    failmap_free(m);
    results_free(r);
}

static void results_read_says_a_folder_without_summary_is_not_results(void **state)
{
    (void)state;
    struct results *r = NULL;
    char err[512] = "";
    assert_int_equal(results_read(tu_dir(), &r, err, sizeof err), AS_EINPUT);
    assert_null(r);
    assert_non_null(strstr(err, "summary.json"));
    results_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(results_read_gives_settings_amps_rows_and_failures),
        cmocka_unit_test(failmap_colours_each_cell_by_the_first_failing_criterion),
        cmocka_unit_test(failmap_judges_heat_at_an_eighth_of_full_power_and_the_dc_offset),
        cmocka_unit_test(failmap_says_which_amps_maps_change_with_frequency),
        cmocka_unit_test(a_whole_band_verdict_is_coded_by_its_first_failing_criterion),
        cmocka_unit_test(failmap_cells_tile_the_log_frequency_axis),
        cmocka_unit_test(failmap_marks_unknown_where_the_large_signal_analysis_did_not_run),
        cmocka_unit_test(results_read_says_a_folder_without_summary_is_not_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
