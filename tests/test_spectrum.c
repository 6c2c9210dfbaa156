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
    assert_int_equal(spectrum_analyze(t, x, n, 1000.0, 1e-3, 4, 256, &r, err, sizeof err), AS_OK);
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
    assert_int_equal(spectrum_analyze(t, x, n, 20.0, 0.1, 2, 512, &r, err, sizeof err), AS_OK);
    assert_true(r.thd_pct < 1e-3);
    assert_true(fabs(r.fund_rms - 3.0 / sqrt(2.0)) < 1e-4);
    free(t);
    free(x);
}

static void a_window_outside_the_samples_is_refused(void **state)
{
    (void)state;
    double t[] = {0, 1e-3, 2e-3}, x[] = {0, 1, 0};
    struct spectrum_result r;
    char err[256];
    assert_int_equal(spectrum_analyze(t, x, 3, 1000.0, 0.0, 4, 64, &r, err, sizeof err), AS_ESIM);
    assert_int_equal(spectrum_analyze(t, x, 3, 1000.0, 0.0, 1, 8, &r, err, sizeof err), AS_EINPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thd_of_known_harmonics_matches_within_half_a_percent),
        cmocka_unit_test(a_pure_sine_has_no_distortion),
        cmocka_unit_test(a_window_outside_the_samples_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
