/* spectrum: THD and THD+N of a transient waveform through FFTW. Resampling a
 * whole number of periods puts every harmonic on an exact bin, so the
 * rectangular window leaks nothing and no window correction is needed; the
 * resampling is cubic, as ngspice's fourier can be (polydegree), because
 * linear interpolation between a transient's time points is what limits
 * low-level THD (spectrum.h). */
#include "engine/spectrum.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1 when a kink lies strictly inside (ta, tb), beyond a hair of the span
 * (a time point that ngspice put on a breakpoint may miss it by an ulp).
 * kink is ascending; *h is a hint, moved to the first kink past ta. */
static int kink_inside(const double *kink, size_t n_kink, size_t *h, double ta, double tb)
{
    double eps = 1e-6 * (tb - ta);
    while (*h > 0 && kink[*h - 1] > ta + eps)
        (*h)--;
    while (*h < n_kink && kink[*h] <= ta + eps)
        (*h)++;
    return *h < n_kink && kink[*h] < tb - eps;
}

/* 1 when the len points from t are spaced within a factor 4 of h, the
 * interval interpolated: a cubic through two points far closer than that
 * (a batch's end and the corner just after it, 1e-5 period apart) turns
 * the solver's tolerance into a slope, and overshoots. */
static int even(const double *t, size_t len, double h)
{
    for (size_t j = 1; j < len; j++) {
        double d = t[j] - t[j - 1];
        if (!(d >= 0.25 * h && d <= 4.0 * h))
            return 0;
    }
    return 1;
}

/* Where resampling is: the interval [t[k], t[k + 1]] and its interpolant,
 * points first..first+len-1 (len 2: the straight line) with the inverse
 * of each point's Lagrange denominator; h is kink_inside's hint. */
struct cursor {
    size_t k, h, first, len;
    int chosen; /* the interpolant is k's */
    double inv_den[4];
};

/* The interpolant of [t[k], t[k + 1]]: the cubic through the two points
 * either side, else through the nearest four or three around it that no
 * kink separates and that are evenly spaced, else the straight line. */
static void choose(const double *t, size_t n, const double *kink, size_t n_kink, struct cursor *c)
{
    static const struct {
        size_t back, len;
    } stencil[] = {{1, 4}, {0, 4}, {2, 4}, {1, 3}, {0, 3}};
    c->first = c->k;
    c->len = 2;
    for (size_t i = 0; i < sizeof stencil / sizeof stencil[0]; i++) {
        size_t back = stencil[i].back, len = stencil[i].len;
        if (c->k < back || c->k - back + len > n)
            continue;
        size_t first = c->k - back;
        if (even(t + first, len, t[c->k + 1] - t[c->k]) &&
            !kink_inside(kink, n_kink, &c->h, t[first], t[first + len - 1])) {
            c->first = first;
            c->len = len;
            break;
        }
    }
    for (size_t j = 0; c->len > 2 && j < c->len; j++) {
        double den = 1.0;
        for (size_t m = 0; m < c->len; m++)
            if (m != j)
                den *= t[c->first + j] - t[c->first + m];
        c->inv_den[j] = 1.0 / den;
    }
    c->chosen = 1;
}

/* x(tq), t[0] <= tq <= t[n - 1] away from the ends, by c's interpolant for
 * the interval holding tq (c advanced there). */
static double interp(const double *t, const double *x, size_t n, const double *kink, size_t n_kink,
                     double tq, struct cursor *c)
{
    while (c->k + 2 < n && t[c->k + 1] < tq) {
        c->k++;
        c->chosen = 0;
    }
    if (!c->chosen)
        choose(t, n, kink, n_kink, c);
    if (c->len == 2) {
        double t0 = t[c->k], t1 = t[c->k + 1];
        double a = t1 > t0 ? (tq - t0) / (t1 - t0) : 0.0;
        return x[c->k] + a * (x[c->k + 1] - x[c->k]);
    }
    double d[4], sum = 0.0;
    for (size_t m = 0; m < c->len; m++)
        d[m] = tq - t[c->first + m];
    for (size_t j = 0; j < c->len; j++) {
        double w = c->inv_den[j];
        for (size_t m = 0; m < c->len; m++)
            if (m != j)
                w *= d[m];
        sum += w * x[c->first + j];
    }
    return sum;
}

void spectrum_resample(const double *t, const double *x, size_t n, const double *kink,
                       size_t n_kink, double t_start, double t_end, size_t m, double *u)
{
    struct cursor c = {0};
    for (size_t i = 0; i < m; i++)
        u[i] = interp(t, x, n, kink, n_kink, t_start + (double)i / ((double)m) * (t_end - t_start),
                      &c);
}

enum as_status spectrum_periods(const double *u, size_t m, unsigned periods,
                                struct spectrum_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (periods == 0 || m < (size_t)periods * 4 * SPECTRUM_MAX_HARMONIC)
        return as_fail(err, errlen, AS_EINPUT, "spectrum: need 1+ periods and %d+ samples a period",
                       4 * SPECTRUM_MAX_HARMONIC);
    /* planned on a buffer of FFTW's own, aligned as its SIMD code wants */
    double *in = fftw_alloc_real(m);
    fftw_complex *X = fftw_alloc_complex(m / 2 + 1);
    fftw_plan plan = NULL;
    enum as_status st = AS_OK;
    if (!in || !X) {
        st = as_fail(err, errlen, AS_ENOMEM, "spectrum: out of memory");
        goto out;
    }
    plan = fftw_plan_dft_r2c_1d((int)m, in, X, FFTW_ESTIMATE);
    if (!plan) {
        st = as_fail(err, errlen, AS_ENOMEM, "spectrum: FFTW could not plan %zu points", m);
        goto out;
    }
    memcpy(in, u, m * sizeof *in);
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
        st = as_fail(err, errlen, AS_ESIM, "spectrum: no fundamental");
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
    fftw_free(in);
    fftw_free(X);
    return st;
}

enum as_status spectrum_analyze(const double *t, const double *x, size_t n, const double *kink,
                                size_t n_kink, double freq_hz, double t_start, unsigned periods,
                                unsigned samples_per_period, struct spectrum_result *out, char *err,
                                size_t errlen)
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
    double *u = malloc(m * sizeof *u);
    if (!u)
        return as_fail(err, errlen, AS_ENOMEM, "spectrum: out of memory");
    spectrum_resample(t, x, n, kink, n_kink, t_start, t_end, m, u);
    enum as_status st = spectrum_periods(u, m, periods, out, err, errlen);
    free(u);
    return st;
}
