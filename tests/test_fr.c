/* fr: small-signal measurements against closed-form answers.
 *
 * The fixtures are ideal sources behind a known output impedance Zs, so the
 * loaded response is the voltage divider Zl / (Zl + Zs) and the output
 * impedance is Zs: dev_db must match 20 log10 |Zl / (Zl + Zs)| to 0.01 dB
 * and zout_ohm must match |Zs| to 1 %, at every frequency, for resistive
 * loads and for an RLC speaker-like load with a closed-form impedance.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engine/fr.h"
#include "ngs_fixture.h"

#define DEV_TOL_DB 0.01
#define ZOUT_REL_TOL 0.01
#define TWO_PI 6.283185307179586

/* Output impedance of the fixtures. */
static double complex zs_divider_r(double f)
{
    (void)f;
    return 4.7;
}

static double complex zs_divider_rl(double f)
{
    return 2.0 + I * TWO_PI * f * 100e-6;
}

/* tests/data/speaker_rlc.lib */
static double complex z_speaker(double f)
{
    double complex jw = I * TWO_PI * f;
    return 6.0 + jw * 0.4e-3 + 1.0 / (1.0 / 40.0 + 1.0 / (jw * 15e-3) + jw * 400e-6);
}

/* the same load scaled to three times its impedance (--load-model) */
static double complex z_speaker_x3(double f)
{
    return 3.0 * z_speaker(f);
}

/* Impedance scale applied to the load file of sweep_one (1: none). */
static double file_scale = 1.0;

static void check_rows(const struct fr_table *t, const struct range *freqs,
                       double complex (*zs)(double), double complex (*zl)(double))
{
    for (size_t i = 0; i < t->len; i++) {
        const struct fr_row *r = &t->rows[i];
        double f = r->freq_hz;
        assert_true(fabs(f - freqs->values[i % freqs->count]) <= 1e-9 * f);
        double complex zload = zl ? zl(f) : r->load_ohm;
        double want_dev = 20.0 * log10(cabs(zload / (zload + zs(f))));
        double want_zout = cabs(zs(f));
        if (fabs(r->dev_db - want_dev) > DEV_TOL_DB)
            fail_msg("%s into %s %g ohm at %g Hz: dev_db %.5f, divider gives %.5f", r->amp, r->load,
                     r->load_ohm, f, r->dev_db, want_dev);
        if (fabs(r->zout_ohm - want_zout) > ZOUT_REL_TOL * want_zout)
            fail_msg("%s at %g Hz: zout %.5g, want %.5g", r->amp, f, r->zout_ohm, want_zout);
        if (fabs(r->zload_ohm - cabs(zload)) > 1e-6 * cabs(zload))
            fail_msg("%s at %g Hz: zload %.6g, want %.6g", r->load, f, r->zload_ohm, cabs(zload));
        assert_true(fabs(r->damping - r->load_ohm / r->zout_ohm) <= 1e-12 * r->damping);
        assert_int_equal(r->rule8, r->zout_ohm <= r->zload_ohm / 8.0);
        /* the amp's own gain is 0 dB, so gain_db is the deviation */
        assert_true(fabs(r->gain_db - r->dev_db) < 1e-6);
    }
}

static void sweep_one(const char *netlist, const char *freq_spec, const char *load_spec,
                      const char *load_file, double complex (*zs)(double),
                      double complex (*zl)(double))
{
    char err[1024] = "";
    struct netlist *amp = NULL;
    struct loadfile *lf = NULL;
    struct range freqs, loads = {0};
    struct load_spec fl[32];
    size_t n = 0;
    assert_int_equal(netlist_read(netlist, NULL, &amp, err, sizeof err), AS_OK);
    assert_int_equal(range_parse(freq_spec, "--freqs", &freqs, err, sizeof err), AS_OK);
    if (load_spec) {
        assert_int_equal(range_parse(load_spec, "--loads", &loads, err, sizeof err), AS_OK);
        for (size_t i = 0; i < loads.count; i++)
            fl[n++] = (struct load_spec){.nominal_ohm = loads.values[i]};
    }
    if (load_file) {
        assert_int_equal(loadfile_read(load_file, NULL, &lf, err, sizeof err), AS_OK);
        fl[n++] = (struct load_spec){
            .nominal_ohm = lf->nominal_ohm * file_scale, .file = lf, .scale = file_scale};
    }
    struct fr_table t = {0};
    enum as_status st = fr_sweep(s, amp, fl, n, &freqs, &t, err, sizeof err);
    if (st != AS_OK)
        fail_msg("%s", err);
    assert_int_equal(t.len, n * freqs.count);
    check_rows(&t, &freqs, zs, zl);
    fr_table_free(&t);
    range_free(&freqs);
    range_free(&loads);
    loadfile_free(lf);
    netlist_free(amp);
}

/* The white-noise power gain of the A-weighting over 20 Hz-20 kHz, by a
 * fine midpoint rule on a linear grid (independent of the engine's
 * trapezoids in log frequency on ngspice's points). */
static double a_weighted_share(void)
{
    const size_t n = 200000;
    double sum = 0.0, lo = 20.0, hi = 20000.0, df = (hi - lo) / (double)n;
    for (size_t i = 0; i < n; i++)
        sum += fr_a_weight_power(lo + ((double)i + 0.5) * df) * df;
    return sum / (hi - lo);
}

static void output_noise_is_the_thermal_noise_of_the_source_resistance_and_load(void **state)
{
    (void)state;
    /* an ideal source behind 4.7 ohm into R: the output noise is the
     * thermal noise of 4.7 || R, sqrt(4 k T R B) over B = 19980 Hz at
     * ngspice's default 27 C; the A-weighting passes a_weighted_share() of
     * white noise's power (-2.05 dB) */
    const double k_b = 1.380649e-23, t_k = 300.15, bw = 19980.0;
    char err[1024] = "";
    struct netlist *amp = NULL;
    struct range freqs;
    assert_int_equal(netlist_read(TEST_DATA_DIR "/divider_r.cir", NULL, &amp, err, sizeof err),
                     AS_OK);
    assert_int_equal(range_parse("1000", "--freqs", &freqs, err, sizeof err), AS_OK);
    struct load_spec fl[] = {{.nominal_ohm = 8}, {.nominal_ohm = 600}};
    struct fr_table t = {0};
    if (fr_sweep(s, amp, fl, 2, &freqs, &t, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_int_equal(t.len, 2);
    double share = a_weighted_share();
    assert_true(fabs(10 * log10(share) - -2.05) < 0.01);
    for (size_t i = 0; i < t.len; i++) {
        double r = 4.7 * t.rows[i].load_ohm / (4.7 + t.rows[i].load_ohm);
        double want_uv = 1e6 * sqrt(4 * k_b * t_k * r * bw);
        if (!(fabs(t.rows[i].vnoise_uv / want_uv - 1) < 0.002))
            fail_msg("into %g ohm: %.6g uV, want %.6g uV", t.rows[i].load_ohm, t.rows[i].vnoise_uv,
                     want_uv);
        double want_a_uv = want_uv * sqrt(share);
        if (!(fabs(t.rows[i].vnoise_a_uv / want_a_uv - 1) < 0.005))
            fail_msg("into %g ohm: %.6g uV(A), want %.6g uV(A)", t.rows[i].load_ohm,
                     t.rows[i].vnoise_a_uv, want_a_uv);
    }
    fr_table_free(&t);
    range_free(&freqs);
    netlist_free(amp);
}

static void an_ne5532_follower_s_noise_is_its_datasheet_input_noise(void **state)
{
    (void)state;
    /* TI SLOS075: 5 nV/sqrt(Hz) typ at 1 kHz; white over 20 Hz-20 kHz that
     * is 0.707 uV rms (the follower's gain is 1 across the band; the 600 ohm
     * load and the input stage's own resistors add under 0.5 %) */
    char err[1024] = "";
    struct netlist *amp = NULL;
    struct range freqs;
    if (netlist_read(TEST_DATA_DIR "/follower_ne5532.cir",
                     &(struct spfile_places){.models_dir = PROJECT_DIR "/models"}, &amp, err,
                     sizeof err) != AS_OK)
        fail_msg("%s", err);
    assert_int_equal(range_parse("1000", "--freqs", &freqs, err, sizeof err), AS_OK);
    struct load_spec fl[] = {{.nominal_ohm = 600}};
    struct fr_table t = {0};
    if (fr_sweep(s, amp, fl, 1, &freqs, &t, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    double want_uv = 5e-9 * sqrt(19980.0) * 1e6;
    if (!(fabs(t.rows[0].vnoise_uv / want_uv - 1) < 0.01))
        fail_msg("%.5g uV, want %.5g uV", t.rows[0].vnoise_uv, want_uv);
    fr_table_free(&t);
    range_free(&freqs);
    netlist_free(amp);
}

static void resistive_loads_give_the_divider_deviation_and_zout(void **state)
{
    (void)state;
    /* default frequencies: one "ac dec" sweep */
    sweep_one(TEST_DATA_DIR "/divider_r.cir", "20:20000:31", "4:600:24", NULL, zs_divider_r, NULL);
}

static void listed_frequencies_are_the_ones_simulated(void **state)
{
    (void)state;
    /* not a whole number of points per decade: one analysis per frequency */
    sweep_one(TEST_DATA_DIR "/divider_r.cir", "20,77.7,1000,15000", "4,8,32,300,600", NULL,
              zs_divider_r, NULL);
    sweep_one(TEST_DATA_DIR "/divider_r.cir", "20:20000:17", "8", NULL, zs_divider_r, NULL);
}

static void frequency_dependent_zout_is_measured_at_every_frequency(void **state)
{
    (void)state;
    sweep_one(TEST_DATA_DIR "/divider_rl.cir", "20:20000:31", "4,8,16,32,300", NULL, zs_divider_rl,
              NULL);
}

static void rlc_speaker_load_gives_the_divider_deviation_and_its_impedance(void **state)
{
    (void)state;
    sweep_one(TEST_DATA_DIR "/divider_r.cir", "20:20000:31", NULL, TEST_DATA_DIR "/speaker_rlc.lib",
              zs_divider_r, z_speaker);
    sweep_one(TEST_DATA_DIR "/divider_rl.cir", "20:20000:61", NULL,
              TEST_DATA_DIR "/speaker_rlc.lib", zs_divider_rl, z_speaker);
}

static void a_scaled_load_model_has_its_impedance_times_the_scale(void **state)
{
    (void)state;
    file_scale = 3.0;
    sweep_one(TEST_DATA_DIR "/divider_rl.cir", "20:20000:31", NULL,
              TEST_DATA_DIR "/speaker_rlc.lib", zs_divider_rl, z_speaker_x3);
    file_scale = 1.0;
}

static void a_failing_amp_leaves_the_table_as_it_was(void **state)
{
    (void)state;
    char err[1024] = "";
    struct netlist *amp = NULL;
    assert_int_equal(netlist_read(TEST_DATA_DIR "/divider_r.cir", NULL, &amp, err, sizeof err),
                     AS_OK);
    struct range freqs;
    assert_int_equal(range_parse("1000", "--freqs", &freqs, err, sizeof err), AS_OK);
    struct load_spec fl = {.nominal_ohm = 8};
    struct fr_table t = {0};
    assert_int_equal(fr_sweep(s, amp, &fl, 1, &freqs, &t, err, sizeof err), AS_OK);
    assert_int_equal(t.len, 1);
    /* the same amp with a model that does not exist */
    assert_int_equal(strv_push(&amp->file->body, "q9 out in 0 nosuchmodel"), AS_OK);
    assert_int_equal(fr_sweep(s, amp, &fl, 1, &freqs, &t, err, sizeof err), AS_ESIM);
    assert_int_equal(t.len, 1);
    fr_table_free(&t);
    range_free(&freqs);
    netlist_free(amp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(resistive_loads_give_the_divider_deviation_and_zout),
        cmocka_unit_test(output_noise_is_the_thermal_noise_of_the_source_resistance_and_load),
        cmocka_unit_test(an_ne5532_follower_s_noise_is_its_datasheet_input_noise),
        cmocka_unit_test(listed_frequencies_are_the_ones_simulated),
        cmocka_unit_test(frequency_dependent_zout_is_measured_at_every_frequency),
        cmocka_unit_test(rlc_speaker_load_gives_the_divider_deviation_and_its_impedance),
        cmocka_unit_test(a_scaled_load_model_has_its_impedance_times_the_scale),
        cmocka_unit_test(a_failing_amp_leaves_the_table_as_it_was),
    };
    return cmocka_run_group_tests(tests, open_session, close_session);
}
