/* spectrum: harmonic distortion of a periodic waveform, for the large-signal
 * measurements (THD over harmonics 2 to 10, THD+N).
 *
 * Input is what a transient analysis gives: samples at non-uniform times.
 * spectrum_analyze resamples a whole number of periods uniformly (linear
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
 * t_start) / m, i = 0..m-1, by linear interpolation into u. The caller
 * checks that t covers the window; outside it the end segments extend. */
void spectrum_resample(const double *t, const double *x, size_t n, double t_start, double t_end,
                       size_t m, double *u);

/* Analyse x(t) over [t_start, t_start + periods / freq_hz]. t is ascending and
 * must cover that window's samples (the last is one sample short of its
 * end); samples_per_period (>= 4 * SPECTRUM_MAX_HARMONIC) sets the uniform
 * resampling. */
enum as_status spectrum_analyze(const double *t, const double *x, size_t n, double freq_hz,
                                double t_start, unsigned periods, unsigned samples_per_period,
                                struct spectrum_result *out, char *err, size_t errlen);

#endif
