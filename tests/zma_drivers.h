/* The drivers and boxes the impedance files of tests/data/zma/ are made
 * from (tests/zma_gen.c), with the published figures they come from; the
 * fit tests (tests/test_zfit.c) compare what the fit recovers against the
 * element values worked out here.
 *
 * Usher Audio 8945P 7" mid-woofer, maker's datasheet (the figures
 * docs/loads.md uses for bookshelf_8ohm): Re 5.8 ohm, Le 0.237 mH, fs 34.0 Hz,
 * Qms 2.44, Qes 0.388, Vas 37.2 l. The datasheet gives one Le; the files
 * split it into Le 0.06 mH + (L2 0.20 mH || R2 4.0 ohm), chosen so the
 * effective inductance at 1 kHz is 0.242 mH (2 % above 0.237 mH), as a
 * lossy voice coil measures.
 * Dayton Audio RSS265HO-4 10" woofer, Dayton's sheet as tabulated in public
 * design notes and a catalogue entry (the figures of woofer_4ohm): Re
 * 3.5 ohm, fs 26.9 Hz, Qms 3.8, Qes 0.38, Vas 29.4 l; Le not published, the
 * same assumed network as woofer_4ohm: 0.5 mH + (1.0 mH || 6.0 ohm).
 * Vented box for the 8945P: the bookshelf_8ohm design, 20 l tuned to 40 Hz
 * with leakage QL 7, as the electrical analog of Small (JAES 1973): the box
 * compliance Lceb = Lces Vb/Vas in series with the port mass Cmep =
 * 1/((2 pi fb)^2 Lceb) and Rbox = 2 pi fb Lceb/QL, across the motional branch.
 */
#ifndef AMPSWEEP_ZMA_DRIVERS_H
#define AMPSWEEP_ZMA_DRIVERS_H

#include <math.h>

struct zd_driver {
    double re_ohm, le_h, r2_ohm, l2_h; /* voice coil */
    double fs_hz, qms, qes, vas_l;     /* published T/S figures */
    double vb_l, fb_hz, ql;            /* vented box; vb_l 0: free air */
};

/* The circuit elements of a driver (and its box). */
struct zd_elems {
    double res_ohm, lces_h, cmes_f;
    double rbox_ohm, lceb_h, cmep_f; /* 0 in free air */
};

static const struct zd_driver ZD_USHER_8945P = {5.8,   0.06e-3, 4.0, 0.20e-3, 34.0, 2.44,
                                                0.388, 37.2,    0,   0,       0};
static const struct zd_driver ZD_USHER_8945P_VENTED = {5.8,   0.06e-3, 4.0,  0.20e-3, 34.0, 2.44,
                                                       0.388, 37.2,    20.0, 40.0,    7.0};
static const struct zd_driver ZD_RSS265HO4 = {3.5,  0.5e-3, 6.0, 1.0e-3, 26.9, 3.8,
                                              0.38, 29.4,   0,   0,      0};

/* Res = Re Qms/Qes, Cmes = Qes/(2 pi fs Re), Lces = 1/((2 pi fs)^2 Cmes). */
static inline struct zd_elems zd_elems_of(const struct zd_driver *d)
{
    struct zd_elems e = {0};
    double ws = 2 * M_PI * d->fs_hz;
    e.res_ohm = d->re_ohm * d->qms / d->qes;
    e.cmes_f = d->qes / (ws * d->re_ohm);
    e.lces_h = 1 / (ws * ws * e.cmes_f);
    if (d->vb_l > 0) {
        double wb = 2 * M_PI * d->fb_hz;
        e.lceb_h = e.lces_h * d->vb_l / d->vas_l;
        e.cmep_f = 1 / (wb * wb * e.lceb_h);
        e.rbox_ohm = wb * e.lceb_h / d->ql;
    }
    return e;
}

/* The impedance of d at f: re and im, in ohm. */
static inline void zd_z(const struct zd_driver *d, double f, double *re, double *im)
{
    struct zd_elems e = zd_elems_of(d);
    double w = 2 * M_PI * f;
    /* R2 || jwL2 */
    double x2 = w * d->l2_h, den = d->r2_ohm * d->r2_ohm + x2 * x2;
    double zr = d->re_ohm + d->r2_ohm * x2 * x2 / den;
    double zi = w * d->le_h + d->r2_ohm * d->r2_ohm * x2 / den;
    /* motional admittance, plus the box branch */
    double yr = 1 / e.res_ohm, yi = w * e.cmes_f - 1 / (w * e.lces_h);
    if (d->vb_l > 0) {
        double br = e.rbox_ohm, bi = w * e.lceb_h - 1 / (w * e.cmep_f);
        double bd = br * br + bi * bi;
        yr += br / bd;
        yi -= bi / bd;
    }
    double yd = yr * yr + yi * yi;
    *re = zr + yr / yd;
    *im = zi - yi / yd;
}

#endif
