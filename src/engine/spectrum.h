/* spectrum: harmonic distortion of a periodic waveform, for the large-signal
 * measurements (THD over harmonics 2 to 10, THD+N).
 *
 * Input is what a transient analysis gives: samples at non-uniform times.
 * spectrum_analyze resamples a whole number of periods uniformly (cubic
 * interpolation) and takes the spectrum with FFTW, so the fundamental and its
 * harmonics fall exactly on FFT bins and no window is needed.
 */
#ifndef AMPSWEEP_SPECTRUM_H
#define AMPSWEEP_SPECTRUM_H

#include <stddef.h>

#include "base/status.h"

/* Harmonics counted in THD: 2 to this, as in AES17 practice (docs/metrics.md). */
#define SPECTRUM_MAX_HARMONIC 10

struct spectrum_result {
    double fund_rms; /* rms of the fundamental */
    double thd_pct;  /* 100 * sqrt(sum of harmonics 2..10 squared) / fundamental */
    double thdn_pct; /* 100 * rms of everything but DC and the fundamental / fundamental */
    double harm_rms[SPECTRUM_MAX_HARMONIC + 1]; /* [k]: rms of harmonic k (k >= 1) */
};

/* Sample x(t) (t ascending, n >= 2) at m uniform times t_start + i * (t_end -
 * t_start) / m, i = 0..m-1, into u: by the cubic through the two time
 * points either side, or, where one of the kink times kink[0..n_kink-1]
 * (ascending; a change of level, where x's slope jumps) would lie inside
 * that cubic's points or they are unevenly spaced (more than 4 times the
 * interval apart or under a quarter of it), by the nearest four or three
 * points that are neither, else by the straight line. Cubic, because
 * linear interpolation of a transient's points is what limits low-level
 * THD: o2_class into 32 ohm at 20 Hz, 1 V in, ngspice's fourier reads
 * 2.77e-6 % THD at 200 points a period with linear interpolation and
 * 1.51e-6 % with cubic, against 1.50e-6 % at 400 or 800 points with
 * either. The caller checks that t covers the window; outside it the end
 * points extend. */
void spectrum_resample(const double *t, const double *x, size_t n, const double *kink,
                       size_t n_kink, double t_start, double t_end, size_t m, double *u);

/* The spectrum of m uniform samples u of a whole number of periods (at
 * least 4 * SPECTRUM_MAX_HARMONIC samples each). */
enum as_status spectrum_periods(const double *u, size_t m, unsigned periods,
                                struct spectrum_result *out, char *err, size_t errlen);

/* Analyse x(t) over [t_start, t_start + periods / freq_hz]: resampled as
 * spectrum_resample does, samples_per_period a period, then as
 * spectrum_periods. t must cover that window's samples (the last is one
 * sample short of its end). */
enum as_status spectrum_analyze(const double *t, const double *x, size_t n, const double *kink,
                                size_t n_kink, double freq_hz, double t_start, unsigned periods,
                                unsigned samples_per_period, struct spectrum_result *out, char *err,
                                size_t errlen);

#endif
