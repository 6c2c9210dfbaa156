/* spectrum: THD and THD+N of a transient waveform through FFTW. Resampling a
 * whole number of periods puts every harmonic on an exact bin, so the
 * rectangular window leaks nothing and no window correction is needed. */
#include "engine/spectrum.h"

#include <fftw3.h>
#include <math.h>
#include <string.h>

/* Linear interpolation of x(t) at tq; *k is a search hint, advanced. */
static double interp(const double *t, const double *x, size_t n, double tq, size_t *k)
{
    while (*k + 2 < n && t[*k + 1] < tq)
        (*k)++;
    double t0 = t[*k], t1 = t[*k + 1];
    double a = t1 > t0 ? (tq - t0) / (t1 - t0) : 0.0;
    return x[*k] + a * (x[*k + 1] - x[*k]);
}

void spectrum_resample(const double *t, const double *x, size_t n, double t_start, double t_end,
                       size_t m, double *u)
{
    size_t k = 0;
    for (size_t i = 0; i < m; i++)
        u[i] = interp(t, x, n, t_start + (double)i / ((double)m) * (t_end - t_start), &k);
}

enum as_status spectrum_analyze(const double *t, const double *x, size_t n, double freq_hz,
                                double t_start, unsigned periods, unsigned samples_per_period,
                                struct spectrum_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (n < 2 || !(freq_hz > 0) || periods == 0 || samples_per_period < 4 * SPECTRUM_MAX_HARMONIC)
        return as_fail(err, errlen, AS_EINPUT,
                       "spectrum: need 2+ samples, a positive frequency, 1+ periods and %d+ "
                       "samples a period",
                       4 * SPECTRUM_MAX_HARMONIC);
    double t_end = t_start + periods / freq_hz;
    size_t m = (size_t)periods * samples_per_period;
    double t_last = t_start + (double)(m - 1) / (double)m * (t_end - t_start);
    if (t[0] > t_start || t[n - 1] < t_last * (1 - 1e-12))
        return as_fail(err, errlen, AS_ESIM,
                       "spectrum: samples cover %g..%g s, the analysis window is %g..%g s", t[0],
                       t[n - 1], t_start, t_end);
    double *u = fftw_alloc_real(m);
    fftw_complex *X = fftw_alloc_complex(m / 2 + 1);
    fftw_plan plan = NULL;
    enum as_status st = AS_OK;
    if (!u || !X) {
        st = as_fail(err, errlen, AS_ENOMEM, "spectrum: out of memory");
        goto out;
    }
    plan = fftw_plan_dft_r2c_1d((int)m, u, X, FFTW_ESTIMATE);
    if (!plan) {
        st = as_fail(err, errlen, AS_ENOMEM, "spectrum: FFTW could not plan %zu points", m);
        goto out;
    }
    spectrum_resample(t, x, n, t_start, t_end, m, u);
    fftw_execute(plan);
    /* bin b of an m-point real FFT holds amplitude 2|X[b]|/m, rms sqrt(2)|X[b]|/m */
    double total = 0.0;
    for (size_t b = 1; b <= m / 2; b++) {
        double rms = sqrt(2.0) * hypot(X[b][0], X[b][1]) / (double)m;
        if (b == m / 2 && m % 2 == 0)
            rms /= sqrt(2.0); /* the Nyquist bin has no mirror */
        if (b % periods == 0 && b / periods <= SPECTRUM_MAX_HARMONIC)
            out->harm_rms[b / periods] = rms;
        if (b != periods)
            total += rms * rms;
    }
    out->fund_rms = out->harm_rms[1];
    if (!(out->fund_rms > 0)) {
        st = as_fail(err, errlen, AS_ESIM, "spectrum: no fundamental at %g Hz", freq_hz);
        goto out;
    }
    double h2 = 0.0;
    for (int h = 2; h <= SPECTRUM_MAX_HARMONIC; h++)
        h2 += out->harm_rms[h] * out->harm_rms[h];
    out->thd_pct = 100.0 * sqrt(h2) / out->fund_rms;
    out->thdn_pct = 100.0 * sqrt(total) / out->fund_rms;
out:
    if (plan)
        fftw_destroy_plan(plan);
    fftw_free(u);
    fftw_free(X);
    return st;
}
