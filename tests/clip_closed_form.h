/* A sine of amplitude a hard-clipped at +/-vc: its harmonics and mean square
 * from the Fourier series (quarter-wave symmetry, odd harmonics only). With
 * theta = asin(vc / a):
 *   b1 = (2a / pi) (theta + sin theta cos theta)
 *   bk = (4 / pi) [a (sin((k-1) theta) / (2(k-1)) - sin((k+1) theta) / (2(k+1)))
 *                  + vc cos(k theta) / k]                            (k odd)
 *   mean square = (2 / pi) [a^2 (theta / 2 - sin(2 theta) / 4) + vc^2 (pi / 2 - theta)]
 * Checked against a 4096-point DFT of the clipped sine to 1e-6. */
#ifndef AMPSWEEP_CLIP_CLOSED_FORM_H
#define AMPSWEEP_CLIP_CLOSED_FORM_H

#include <math.h>

/* THD over harmonics 2..10, in %. */
static inline double clipped_thd_pct(double a, double vc)
{
    if (a <= vc)
        return 0.0;
    double th = asin(vc / a);
    double b1 = 2 * a / M_PI * (th + sin(th) * cos(th)), h2 = 0.0;
    for (int k = 3; k <= 9; k += 2) {
        double bk = 4 / M_PI *
                    (a * (sin((k - 1) * th) / (2 * (k - 1)) - sin((k + 1) * th) / (2 * (k + 1))) +
                     vc * cos(k * th) / k);
        h2 += bk * bk;
    }
    return 100 * sqrt(h2) / b1;
}

static inline double clipped_mean_square(double a, double vc)
{
    if (a <= vc)
        return a * a / 2;
    double th = asin(vc / a);
    return 2 / M_PI * (a * a * (th / 2 - sin(2 * th) / 4) + vc * vc * (M_PI / 2 - th));
}

/* The amplitude (> vc) at which the THD is thd_pct, by bisection. */
static inline double clipped_amplitude_at(double thd_pct, double vc)
{
    double lo = vc, hi = 10 * vc;
    for (int i = 0; i < 200; i++) {
        double m = 0.5 * (lo + hi);
        if (clipped_thd_pct(m, vc) <= thd_pct)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

#endif
