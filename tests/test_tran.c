/* tran: large-signal measurements against closed-form answers and against
 * ngspice's own fourier command. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deck.h"
#include "engine/tran.h"
#include "ngs_fixture.h"
#include "spice/netlist.h"

#define TWO_PI 6.283185307179586
/* Averages come from raw time points linearly interpolated; at the default
 * step (200 a period) that reads a sine's mean square about 3e-4 low. */
#define MEAN_REL_TOL 1e-3

/* Read a fixture and load its large-signal deck into r_ohm. */
static struct netlist *load(const char *file, double r_ohm)
{
    char err[1024], path[512];
    snprintf(path, sizeof path, TEST_DATA_DIR "/%s", file);
    struct netlist *amp = NULL;
    if (netlist_read(path, &(struct spfile_places){.models_dir = PROJECT_DIR "/models"}, &amp, err,
                     sizeof err) != AS_OK)
        fail_msg("%s", err);
    struct strv deck = {0};
    struct load_spec dl = {.nominal_ohm = r_ohm};
    assert_int_equal(deck_compose(amp, &dl, DECK_LARGE, &deck), AS_OK);
    if (ngs_load(s, &deck, path, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    strv_free(&deck);
    return amp;
}

static void expect_rel(const char *what, double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("%s: got %.8g, want %.8g (tolerance %g relative)", what, got, want, rel);
}

/* v = 3x + 0.2x^3 with x = A sin: fundamental 3A + 0.15A^3, H3 0.05A^3. */
static void thd_of_a_cubic_matches_closed_form_and_ngspice_fourier(void **state)
{
    (void)state;
    char err[1024];
    struct netlist *amp = load("cubic.cir", 8.0);
    const double a = 1.0, f = 1000.0;
    struct tran_result r;
    unsigned settle = 0;
    if (tran_measure(s, amp, f, a, 0, &settle, &r, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    double want = 100.0 * (0.05 * a * a * a) / (3 * a + 0.15 * a * a * a);
    expect_rel("THD against the closed form", r.thd_pct, want, 0.005);
    /* ngspice's fourier over the last period of the same run, harmonics to the 10th */
    assert_int_equal(ngs_command(s, "set nfreqs=11", err, sizeof err), AS_OK);
    assert_int_equal(ngs_command(s, "fourier 1000 v(out)", err, sizeof err), AS_OK);
    const char *thd = strstr(ngs_output(s), "THD:");
    assert_non_null(thd);
    double ng_thd = strtod(thd + 4, NULL);
    expect_rel("THD against ngspice fourier", r.thd_pct, ng_thd, 0.01);
    /* true power into 8 ohm: fundamental and H3 powers add */
    double h1 = 3 * a + 0.15 * a * a * a, h3 = 0.05 * a * a * a;
    expect_rel("load power", r.p_load_w, (h1 * h1 + h3 * h3) / 2 / 8.0, MEAN_REL_TOL);
    expect_rel("output rms", r.vout_rms_v, sqrt((h1 * h1 + h3 * h3) / 2), MEAN_REL_TOL);
    expect_rel("output peak", r.vout_pk_v, 3 * a + 0.2 * a * a * a, 1e-4);
    expect_rel("current peak", r.iout_pk_a, (3 * a + 0.2 * a * a * a) / 8.0, 1e-4);
    assert_int_equal(r.runs, 1);
    netlist_free(amp);
}

/* i = (10 + 2 vin) / 20 into 10 ohm: supply 5 W, load (25 + A^2/2) / 10,
 * r1 2.5 + A^2/20, and e1 the rest, -A^2/10 (it delivers). */
static void supply_load_and_device_powers_match_closed_form(void **state)
{
    (void)state;
    char err[1024];
    struct netlist *amp = load("fed_stage.cir", 10.0);
    const double a = 2.0;
    struct tran_result r;
    unsigned settle = 0;
    if (tran_measure(s, amp, 50.0, a, 0, &settle, &r, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    expect_rel("supply power", r.p_supply_w, 5.0, MEAN_REL_TOL);
    expect_rel("load power", r.p_load_w, (25 + a * a / 2) / 10, MEAN_REL_TOL);
    expect_rel("r1 power", r.p_dev_w[0], 2.5 + a * a / 20, MEAN_REL_TOL);
    expect_rel("e1 power", r.p_dev_w[1], -a * a / 10, 10 * MEAN_REL_TOL);
    expect_rel("amp dissipation", r.p_amp_w, 5.0 - (25 + a * a / 2) / 10, MEAN_REL_TOL);
    /* the signal alone: a sine of a * 1 V peak into 10 ohm, and its rms */
    expect_rel("signal power", r.p_load_ac_w, a * a / 2 / 10, MEAN_REL_TOL);
    expect_rel("signal rms", r.vout_rms_v, a / sqrt(2), MEAN_REL_TOL);
    struct tran_result q;
    if (tran_quiescent(s, amp, &q, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    expect_rel("quiescent supply power", q.p_supply_w, 5.0, 1e-9);
    expect_rel("quiescent load power", q.p_load_w, 2.5, 1e-9);
    expect_rel("quiescent r1 power", q.p_dev_w[0], 2.5, 1e-9);
    expect_rel("supply span", q.supply_span_v, 10.0, 1e-12);
    assert_true(fabs(q.p_dev_w[1]) < 1e-9);
    netlist_free(amp);
}

/* A 0.1 s coupling time constant needs more than the minimum settling at
 * 20 Hz; settled, the level is the high-pass magnitude. */
static void slow_coupling_settles_before_it_is_measured(void **state)
{
    (void)state;
    char err[1024];
    struct netlist *amp = load("hpf.cir", 1e3);
    const double f = 20.0, wt = TWO_PI * f * 0.1;
    struct tran_result r;
    unsigned settle = 0;
    if (tran_measure(s, amp, f, 1.0, 0, &settle, &r, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_true(settle > TRAN_SETTLE_MIN_PERIODS);
    assert_int_equal(r.settle_periods, settle);
    assert_true(r.runs >= 2);
    expect_rel("settled output rms", r.vout_rms_v, wt / sqrt(1 + wt * wt) / sqrt(2), MEAN_REL_TOL);
    /* the next level starts from the settling that worked: one run */
    if (tran_measure(s, amp, f, 0.5, 0, &settle, &r, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_int_equal(r.runs, 1);
    netlist_free(amp);
}

/* The same 0.1 s coupling at 200 Hz is 20 periods: the output changes far
 * less from period to period than tran_measure's test sees, while the DC
 * offset the sine's start left (A wt / (1 + wt^2), decaying as
 * exp(-t / tau)) is still 0.65 % of the amplitude after 4 periods.
 * tran_settle_startup settles it under TRAN_OFFSET_LEFT_REL, and the DC
 * measured then is the closed form's over the measured periods. */
static void startup_settling_removes_a_slow_drift_the_period_test_misses(void **state)
{
    (void)state;
    char err[1024];
    const double r_load = 1e3, f = 200.0, tau = 0.1, wt = TWO_PI * f * tau;
    const double gain = wt / sqrt(1 + wt * wt), dc0 = wt / (1 + wt * wt);
    struct netlist *amp = load("hpf.cir", r_load);
    struct tran_result r;
    unsigned settle = 0, runs = 0;
    if (tran_measure(s, amp, f, 1.0, 0, &settle, &r, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_int_equal(settle, TRAN_SETTLE_MIN_PERIODS); /* the period test is satisfied */
    assert_true(r.offset_left_v > TRAN_OFFSET_LEFT_REL * gain);
    settle = 0;
    if (tran_settle_startup(s, amp, f, 1.0, &settle, &runs, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_true(settle > TRAN_SETTLE_MIN_PERIODS && settle <= TRAN_STARTUP_MAX_PERIODS);
    assert_true(runs >= 2);
    if (tran_measure(s, amp, f, 1.0, 0, &settle, &r, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    double t0 = settle / f, t1 = t0 + TRAN_MEASURE_PERIODS / f;
    double dc_want = dc0 * tau / (t1 - t0) * (exp(-t0 / tau) - exp(-t1 / tau));
    double dc_got = sqrt(fmax(r.p_load_w - r.p_load_ac_w, 0.0) * r_load);
    expect_rel("DC left over the measured periods", dc_got, dc_want, 0.02);
    assert_true(dc_got <= TRAN_OFFSET_LEFT_REL * gain);
    assert_true(r.offset_left_v <= TRAN_OFFSET_LEFT_REL * r.swing_pk_v);
    netlist_free(amp);
}

/* A level that clips is no place to judge drift: the probe goes 10 dB lower
 * until it is clean, and a clean stage keeps the minimum settling. */
static void startup_settling_is_judged_at_a_clean_level(void **state)
{
    (void)state;
    char err[1024];
    struct netlist *amp = load("hard_clip.cir", 8.0);
    unsigned settle = 0, runs = 0;
    /* 10 V in: 20 V wanted of a stage clipping at 5 V; 1 V in is clean */
    if (tran_settle_startup(s, amp, 1000.0, 10.0, &settle, &runs, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_int_equal(settle, TRAN_SETTLE_MIN_PERIODS);
    assert_int_equal(runs, 3);
    netlist_free(amp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thd_of_a_cubic_matches_closed_form_and_ngspice_fourier),
        cmocka_unit_test(supply_load_and_device_powers_match_closed_form),
        cmocka_unit_test(slow_coupling_settles_before_it_is_measured),
        cmocka_unit_test(startup_settling_removes_a_slow_drift_the_period_test_misses),
        cmocka_unit_test(startup_settling_is_judged_at_a_clean_level),
    };
    return cmocka_run_group_tests(tests, open_session, close_session);
}
