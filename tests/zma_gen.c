/* zma_gen: write the impedance files of tests/data/zma/ from the published
 * driver figures of tests/zma_drivers.h, each in the layout of one
 * measuring tool's export (REW, DATS, LIMP, ARTA), so the fit is tested on
 * curves whose true elements are known. Run as "zma_gen DIR"; the test
 * test_zma_data checks that the files in the tree are what this writes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "zma_drivers.h"

enum layout { REW, DATS, LIMP, ARTA };

/* Seeded noise, the same on every machine: xorshift64* and Box-Muller. */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static double uniform(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 0x2545F4914F6CDD1DULL) >> 11) * (1.0 / 9007199254740992.0);
}

static double gauss(void)
{
    double u = uniform(), v = uniform();
    return sqrt(-2 * log(u > 0 ? u : 1e-300)) * cos(2 * M_PI * v);
}

/* A curve that no driver circuit fits: 6 ohm and three resonances (50 Hz,
 * 500 Hz, 5 kHz, each 30 ohm with Q 3), where the circuit has two at most. */
static void three_resonances(double f, double *re, double *im)
{
    static const double fr[3] = {50, 500, 5000};
    *re = 6;
    *im = 0;
    for (int k = 0; k < 3; k++) {
        double r = 30, q = 3, w0 = 2 * M_PI * fr[k], w = 2 * M_PI * f;
        double c = q / (w0 * r), l = 1 / (w0 * w0 * c);
        double yr = 1 / r, yi = w * c - 1 / (w * l), yd = yr * yr + yi * yi;
        *re += yr / yd;
        *im -= yi / yd;
    }
}

struct curve {
    const char *file, *what;
    const struct zd_driver *driver; /* NULL: three_resonances */
    enum layout layout;
    double f0_hz, f1_hz, step; /* step > 1: per-octave points; < 1: linear step in Hz (-step) */
    double noise_pct, noise_deg;
};

static void header(FILE *fp, const struct curve *c)
{
    switch (c->layout) {
    case REW:
        fprintf(fp,
                "* Impedance data in the layout of a REW text export, written by "
                "tests/zma_gen.c\n* Source: %s\n* Format: %g points per octave\n*\n"
                "* Freq(Hz) Impedance(ohms) Phase(degrees)\n",
                c->what, c->step);
        break;
    case DATS:
        fprintf(fp, "Frequency\tImpedance\tPhase\n");
        break;
    case LIMP:
        fprintf(fp,
                "; Impedance data in the layout of a LIMP export, written by "
                "tests/zma_gen.c\n; %s\n;\nFreq(Hz)  Mag(Ohm)  Phase(Deg)\n",
                c->what);
        break;
    case ARTA:
        fprintf(fp, "\"Frequency (Hz)\",\"Magnitude (Ohm)\",\"Phase (deg)\"\r\n");
        break;
    }
}

static void point(FILE *fp, const struct curve *c, double f)
{
    double re, im;
    if (c->driver)
        zd_z(c->driver, f, &re, &im);
    else
        three_resonances(f, &re, &im);
    double mag = hypot(re, im) * (1 + c->noise_pct / 100 * gauss());
    double ph = atan2(im, re) * 180 / M_PI + c->noise_deg * gauss();
    static const char *const fmt[] = {"%.6g %.6g %.4f\n", "%.6g\t%.6g\t%.4f\n",
                                      "%.6g  %.6g  %.4f\n", "%.6g,%.6g,%.4f\r\n"};
    fprintf(fp, fmt[c->layout], f, mag, ph);
}

static int write_curve(const char *dir, const struct curve *c)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, c->file);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 1;
    header(fp, c);
    if (c->step > 1) { /* from f0 to f1 exactly, about step points per octave */
        double n = round(c->step * log2(c->f1_hz / c->f0_hz));
        for (double k = 0; k <= n; k++)
            point(fp, c, c->f0_hz * pow(c->f1_hz / c->f0_hz, k / n));
    } else
        for (double f = c->f0_hz; f <= c->f1_hz; f += -c->step)
            point(fp, c, f);
    return fclose(fp) != 0;
}

int main(int argc, char **argv)
{
    static const struct curve curves[] = {
        {"usher_8945p_rew.zma", "Usher 8945P datasheet T/S figures, free air", &ZD_USHER_8945P, REW,
         10, 20000, 24, 0, 0},
        {"usher_8945p_measured.zma",
         "Usher 8945P datasheet T/S figures, free air, with seeded noise: 1 % of |Z| and 0.5 "
         "degrees RMS",
         &ZD_USHER_8945P, REW, 10, 20000, 48, 1.0, 0.5},
        {"rss265ho4_dats.zma", "", &ZD_RSS265HO4, DATS, 10, 20000, 20, 0, 0},
        {"usher_8945p_vented_limp.txt",
         "Usher 8945P in a 20 l box tuned to 40 Hz (QL 7), from its datasheet T/S figures",
         &ZD_USHER_8945P_VENTED, LIMP, 10, 20000, 24, 0, 0},
        {"rss265ho4_arta.csv", "", &ZD_RSS265HO4, ARTA, 2, 20000, -2, 0, 0},
        {"three_resonances_refused.txt", "6 ohm with three resonances: no driver circuit fits",
         NULL, REW, 10, 20000, 24, 0, 0},
    };
    if (argc != 2) {
        fprintf(stderr, "usage: zma_gen DIR\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++)
        if (write_curve(argv[1], &curves[i])) {
            fprintf(stderr, "zma_gen: cannot write %s/%s\n", argv[1], curves[i].file);
            return 1;
        }
    return 0;
}
