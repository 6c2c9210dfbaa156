/* zcurve: read a measured impedance curve (--load-file SPEAKER.zma, .txt or
 * .csv): frequency, |Z| and phase per line, as REW, DATS, LIMP and ARTA
 * export them (docs/loads.md, "Impedance files").
 *
 * Comment lines start with '*', ';', '#' or '!'; text lines before the
 * first data line are headers; columns are separated by blanks, tabs,
 * commas or semicolons; the phase is in degrees; columns after the third are
 * ignored. Nothing in the file is run.
 * zcurve_read hands out a struct the caller frees with zcurve_free.
 */
#ifndef AMPSWEEP_ZCURVE_H
#define AMPSWEEP_ZCURVE_H

#include <stddef.h>

#include "base/status.h"

/* Largest file read, and fewest data lines a fit can use. */
#define ZCURVE_MAX_BYTES (16u * 1024u * 1024u)
#define ZCURVE_MIN_POINTS 10

struct zcurve {
    char *path;        /* as given */
    size_t n;          /* data lines, in increasing frequency */
    double *freq_hz;   /* n of them, each > 0 */
    double *mag_ohm;   /* |Z|, each > 0 */
    double *phase_deg; /* within -180 .. 180 */
};

/* 1 if path names an impedance file by its extension (.zma, .txt or .csv,
 * any case), else 0 (a SPICE load file). */
int zcurve_is_curve_path(const char *path);

/* Read path. On success *out is a new curve; on failure *out is NULL and err
 * reads "PATH:LINE: what is wrong" (or "PATH: ..." for the whole file). */
enum as_status zcurve_read(const char *path, struct zcurve **out, char *err, size_t errlen);

/* |Z| at freq_hz, interpolated linearly in log f and log |Z| between the
 * curve's points; NAN outside the curve's band. */
double zcurve_mag_at(const struct zcurve *c, double freq_hz);

/* Accepts NULL. */
void zcurve_free(struct zcurve *c);

#endif
