/* spectrum: THD and THD+N of synthesized waveforms with known harmonics. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>

#include "engine/spectrum.h"

#define TWO_PI 6.283185307179586
/* issue #3: THD of a synthesized waveform within 0.5 % relative */
#define THD_REL_TOL 0.005

/* 1 V peak at f plus 1% of the 3rd, 0.5% of the 5th and 0.2% of the 12th
 * (outside harmonics 2..10: THD+N only), sampled at n non-uniform times. */
static void synth(double f, size_t n, double *t, double *x)
{
    double span = 6.0 / f;
    for (size_t i = 0; i < n; i++) {
        double u = (double)i / (double)(n - 1);
        t[i] = span * (u + 0.3 * u * (1 - u)); /* ascending, non-uniform */
        double w = TWO_PI * f * t[i];
        x[i] = 0.1 + sin(w) + 0.01 * sin(3 * w + 0.4) + 0.005 * sin(5 * w) + 0.002 * sin(12 * w);
    }
}

static void thd_of_known_harmonics_matches_within_half_a_percent(void **state)
{
    (void)state;
    size_t n = 200000;
    double *t = malloc(n * sizeof *t), *x = malloc(n * sizeof *x);
    synth(1000.0, n, t, x);
    struct spectrum_result r;
    char err[256];
    assert_int_equal(spectrum_analyze(t, x, n, NULL, 0, 1000.0, 1e-3, 4, 256, &r, err, sizeof err),
                     AS_OK);
    double want_thd = 100.0 * sqrt(0.01 * 0.01 + 0.005 * 0.005);
    double want_thdn = 100.0 * sqrt(0.01 * 0.01 + 0.005 * 0.005 + 0.002 * 0.002);
    print_message("thd %.5f%% (want %.5f%%), thd+n %.5f%% (want %.5f%%)\n", r.thd_pct, want_thd,
                  r.thdn_pct, want_thdn);
    assert_true(fabs(r.thd_pct - want_thd) <= THD_REL_TOL * want_thd);
    assert_true(fabs(r.thdn_pct - want_thdn) <= THD_REL_TOL * want_thdn);
    assert_true(fabs(r.fund_rms - 1.0 / sqrt(2.0)) < 1e-4);
    assert_true(fabs(r.harm_rms[3] - 0.01 / sqrt(2.0)) < 1e-5);
    free(t);
    free(x);
}

static void a_pure_sine_has_no_distortion(void **state)
{
    (void)state;
    size_t n = 100000;
    double *t = malloc(n * sizeof *t), *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        t[i] = 0.2 * (double)i / (double)(n - 1);
        x[i] = 3.0 * sin(TWO_PI * 20.0 * t[i]);
    }
    struct spectrum_result r;
    char err[256];
    assert_int_equal(spectrum_analyze(t, x, n, NULL, 0, 20.0, 0.1, 2, 512, &r, err, sizeof err),
                     AS_OK);
    assert_true(r.thd_pct < 1e-3);
    assert_true(fabs(r.fund_rms - 3.0 / sqrt(2.0)) < 1e-4);
    free(t);
    free(x);
}

/* A sine with a third harmonic a millionth of it (THD 1e-4 %), at 200
 * non-uniform points a period, as a transient gives them: read within 1 %.
 * Linear interpolation between the same points reads 1.022e-4 %: 2.2 %
 * high (measured). */
static void a_faint_harmonic_reads_true_between_coarse_points(void **state)
{
    (void)state;
    const double f = 20.0, span = 3.0 / f;
    size_t n = 601;
    double *t = malloc(n * sizeof *t), *x = malloc(n * sizeof *x);
    for (size_t i = 0; i < n; i++) {
        double u = (double)i / (double)(n - 1);
        t[i] = span * (u + 0.02 * sin(TWO_PI * 37.0 * u) / (TWO_PI * 37.0));
        double w = TWO_PI * f * t[i];
        x[i] = sin(w) + 1e-6 * sin(3 * w + 0.3);
    }
    struct spectrum_result r;
    char err[256];
    assert_int_equal(spectrum_analyze(t, x, n, NULL, 0, f, 1.0 / f, 1, 1024, &r, err, sizeof err),
                     AS_OK);
    print_message("thd %.6g %% (want 1e-4 %%)\n", r.thd_pct);
    assert_true(fabs(r.thd_pct - 1e-4) <= 0.01 * 1e-4);
    free(t);
    free(x);
}

/* A change of level ramped in between two time points on its corners, and
 * time steps growing from a tenth after it, as ngspice takes them after a
 * breakpoint: past the ramp the resampled wave is the new level's, with no
 * trace of the ramp's slope, when its corners are given as kinks. */
static void no_cubic_reaches_across_a_kink(void **state)
{
    (void)state;
    const double f = 1000.0, T = 1.0 / f, ramp = 2.5e-4 * T, ts = 2.0 * T;
    double t[800], x[800];
    size_t n = 0;
    const double h = T / 200.0;
    for (size_t i = 0; i <= 400; i++)
        t[n++] = h * (double)i; /* up to ts */
    t[n++] = ts + ramp;
    for (double step = 0.1 * h; t[n - 1] + step < 3.0 * T; step = fmin(2.0 * step, h))
        t[n] = t[n - 1] + step, n++;
    for (size_t i = 0; i < n; i++) {
        double a = t[i] <= ts ? 1.0 : t[i] >= ts + ramp ? 2.0 : 1.0 + (t[i] - ts) / ramp;
        x[i] = a * cos(TWO_PI * f * t[i]);
    }
    const double kink[] = {ts, ts + ramp};
    double u[1024], worst_kinked = 0, worst_plain = 0;
    double t0 = ts + 0.5 * T / 1024, t1 = t0 + T;
    spectrum_resample(t, x, n, kink, 2, t0, t1, 1024, u);
    for (size_t i = 0; i < 1024; i++)
        worst_kinked = fmax(worst_kinked, fabs(u[i] - 2.0 * cos(TWO_PI * f * (t0 + i * T / 1024))));
    spectrum_resample(t, x, n, NULL, 0, t0, t1, 1024, u);
    for (size_t i = 0; i < 1024; i++)
        worst_plain = fmax(worst_plain, fabs(u[i] - 2.0 * cos(TWO_PI * f * (t0 + i * T / 1024))));
    print_message("worst error %.3g with the kinks, %.3g without\n", worst_kinked, worst_plain);
    assert_true(worst_kinked < 1e-6);
    assert_true(worst_plain > 1e-3); /* the fixture has a kink to miss */
}

static void a_window_outside_the_samples_is_refused(void **state)
{
    (void)state;
    double t[] = {0, 1e-3, 2e-3}, x[] = {0, 1, 0};
    struct spectrum_result r;
    char err[256];
    assert_int_equal(spectrum_analyze(t, x, 3, NULL, 0, 1000.0, 0.0, 4, 64, &r, err, sizeof err),
                     AS_ESIM);
    assert_int_equal(spectrum_analyze(t, x, 3, NULL, 0, 1000.0, 0.0, 1, 8, &r, err, sizeof err),
                     AS_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thd_of_known_harmonics_matches_within_half_a_percent),
        cmocka_unit_test(a_pure_sine_has_no_distortion),
        cmocka_unit_test(a_faint_harmonic_reads_true_between_coarse_points),
        cmocka_unit_test(no_cubic_reaches_across_a_kink),
        cmocka_unit_test(a_window_outside_the_samples_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
