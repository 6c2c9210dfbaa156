/* zfit: fit a measured impedance curve (spice/zcurve.h) to a speaker's
 * equivalent circuit, so a speaker can be swept as it was measured, and
 * write that circuit as a load file's text (docs/loads.md, "Impedance
 * files").
 *
 * The circuit: the voice coil's Re in series with Le and the semi-inductance
 * R2 || L2; then the motional branch Res || Lces || Cmes when the curve
 * shows a resonance peak; and when it shows two (a vented box), the box
 * and port as Rbox + Lceb + Cmep in series across the motional branch.
 * The least-squares fit is GSL's multifit_nlinear (the only user of GSL).
 * Everything here is plain numbers: struct zfit is the caller's, and the
 * text zfit_lib_text hands out is the caller's to free().
 */
#ifndef AMPSWEEP_ZFIT_H
#define AMPSWEEP_ZFIT_H

#include <stddef.h>

#include "base/name.h"
#include "base/status.h"
#include "spice/zcurve.h"

/* A fit worse than this (RMS, per cent) is refused. */
#define ZFIT_MAX_RMS_PCT 10.0

enum zfit_shape {
    ZFIT_COIL,   /* no resonance peak in the band: the voice coil alone */
    ZFIT_DRIVER, /* one peak: a driver in free air or a sealed box */
    ZFIT_VENTED, /* two peaks: a driver in a vented box */
};

struct zfit {
    enum zfit_shape shape;
    double re_ohm, le_h, r2_ohm, l2_h; /* voice coil */
    double res_ohm, lces_h, cmes_f;    /* motional branch (ZFIT_DRIVER, ZFIT_VENTED) */
    double rbox_ohm, lceb_h, cmep_f;   /* box and port (ZFIT_VENTED) */
    double fs_hz, qms, qes;            /* of the motional branch with re_ohm; NAN for a coil */
    double fb_hz;                      /* box tuning, 1/(2 pi sqrt(Lceb Cmep)); NAN unless vented */
    double rms_err_pct;                /* the fit's error over the curve's band (docs/loads.md) */
    double fmin_hz, fmax_hz;           /* the curve's band */
    size_t n_points;
    double nominal_ohm; /* rated impedance read from the curve (docs/loads.md) */
};

/* Fit curve c into *out. AS_EINPUT when the best fit is worse than
 * ZFIT_MAX_RMS_PCT, with a message naming c's file; *out then still holds
 * that best fit. */
enum as_status zfit_fit(const struct zcurve *c, struct zfit *out, char *err, size_t errlen);

/* The fitted circuit's impedance at freq_hz. */
void zfit_z(const struct zfit *f, double freq_hz, double *re_ohm, double *im_ohm);

/* The load name for a curve file: its file name without folder and
 * extension, each character other than letters, digits, '_', '-' and '.'
 * made '_', at most AS_NAME_MAX long. */
void zfit_name_from_path(const char *path, char name[AS_NAME_MAX + 1]);

/* The text of a load file (docs/netlists.md, "Load files") holding the
 * fitted circuit as subcircuit zfit_NAME, its metadata (name, kind,
 * nominal_ohm, source naming curve_path and the fit error) and comments
 * with every value. *text is malloc'd, the caller frees it. */
enum as_status zfit_lib_text(const struct zfit *f, const char *name, const char *curve_path,
                             char **text, char *err, size_t errlen);

#endif
