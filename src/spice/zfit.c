/* zfit: turn a measured impedance curve into the equivalent circuit of a
 * speaker, so ampsweep can drive the speaker a user measured. The work is in
 * the starting values, read off the curve as a person would (Re from the
 * smallest resistance, fs and Qms from each peak and its -3 dB width, Le
 * from the high-frequency rise, the box tuning from the dip between two
 * peaks); GSL's trust-region least squares then refines every element at
 * once against the complex impedance.
 */
#include "spice/zfit.h"

#include <complex.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>

#define TWO_PI (2.0 * M_PI)

/* How many elements each shape fits (in log form, so each stays positive). */
static size_t n_params(enum zfit_shape s)
{
    return s == ZFIT_COIL ? 4 : s == ZFIT_DRIVER ? 7 : 10;
}

/* The elements of f in fitting order. */
static void pack(const struct zfit *f, double x[10])
{
    const double v[10] = {f->re_ohm, f->le_h,   f->r2_ohm,   f->l2_h,   f->res_ohm,
                          f->lces_h, f->cmes_f, f->rbox_ohm, f->lceb_h, f->cmep_f};
    for (size_t i = 0; i < n_params(f->shape); i++)
        x[i] = log(v[i]);
}

static void unpack(const double *x, struct zfit *f)
{
    double v[10] = {0};
    for (size_t i = 0; i < n_params(f->shape); i++)
        v[i] = exp(fmax(-60.0, fmin(60.0, x[i])));
    f->re_ohm = v[0], f->le_h = v[1], f->r2_ohm = v[2], f->l2_h = v[3];
    f->res_ohm = v[4], f->lces_h = v[5], f->cmes_f = v[6];
    f->rbox_ohm = v[7], f->lceb_h = v[8], f->cmep_f = v[9];
}

static double complex model_z(const struct zfit *f, double freq_hz)
{
    double complex s = I * TWO_PI * freq_hz;
    double complex z =
        f->re_ohm + s * f->le_h + f->r2_ohm * s * f->l2_h / (f->r2_ohm + s * f->l2_h);
    if (f->shape == ZFIT_COIL)
        return z;
    double complex y = 1.0 / f->res_ohm + 1.0 / (s * f->lces_h) + s * f->cmes_f;
    if (f->shape == ZFIT_VENTED)
        y += 1.0 / (f->rbox_ohm + s * f->lceb_h + 1.0 / (s * f->cmep_f));
    return z + 1.0 / y;
}

void zfit_z(const struct zfit *f, double freq_hz, double *re_ohm, double *im_ohm)
{
    double complex z = model_z(f, freq_hz);
    *re_ohm = creal(z);
    *im_ohm = cimag(z);
}

/* The curve as the fit sees it: complex points and their weights. */
struct fitdata {
    size_t n;
    const double *freq_hz;
    double complex *z;
    double *w; /* sqrt of each point's share of the band in log f, summing to n */
    enum zfit_shape shape;
};

static int residuals(const gsl_vector *x, void *data, gsl_vector *r)
{
    const struct fitdata *d = data;
    struct zfit f = {.shape = d->shape};
    unpack(gsl_vector_const_ptr(x, 0), &f);
    for (size_t i = 0; i < d->n; i++) {
        double complex e = (model_z(&f, d->freq_hz[i]) - d->z[i]) / cabs(d->z[i]) * d->w[i];
        gsl_vector_set(r, 2 * i, isfinite(creal(e)) ? creal(e) : 1e6);
        gsl_vector_set(r, 2 * i + 1, isfinite(cimag(e)) ? cimag(e) : 1e6);
    }
    return GSL_SUCCESS;
}

/* The RMS of the weighted relative complex error of f over d, in per cent. */
static double rms_pct(const struct fitdata *d, const struct zfit *f)
{
    double sum = 0;
    for (size_t i = 0; i < d->n; i++) {
        double e = cabs(model_z(f, d->freq_hz[i]) - d->z[i]) / cabs(d->z[i]) * d->w[i];
        sum += e * e;
    }
    return 100.0 * sqrt(sum / (double)d->n);
}

/* Refine *f (its shape and starting values set) against d. */
static enum as_status refine(const struct fitdata *d, struct zfit *f)
{
    size_t p = n_params(f->shape);
    double x0[10];
    pack(f, x0);
    gsl_multifit_nlinear_parameters fp = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_fdf fdf = {.f = residuals, .n = 2 * d->n, .p = p, .params = (void *)d};
    gsl_multifit_nlinear_workspace *w =
        gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &fp, 2 * d->n, p);
    if (!w)
        return AS_ENOMEM;
    gsl_vector_view xv = gsl_vector_view_array(x0, p);
    int info = 0;
    enum as_status st = AS_OK;
    if (gsl_multifit_nlinear_init(&xv.vector, &fdf, w) != GSL_SUCCESS)
        st = AS_ENOMEM;
    else /* stopping for the iteration limit or no progress still leaves the best point */
        (void)gsl_multifit_nlinear_driver(400, 1e-10, 1e-10, 0.0, NULL, NULL, &info, w);
    if (st == AS_OK)
        unpack(gsl_vector_const_ptr(gsl_multifit_nlinear_position(w), 0), f);
    gsl_multifit_nlinear_free(w);
    return st;
}

/* ---- starting values from the curve ------------------------------------ */

/* 1 if |Z| at i is the largest within a third of an octave either side
 * (the first of equal ones). */
static int is_window_max(const struct fitdata *d, size_t i)
{
    double m = cabs(d->z[i]);
    for (size_t j = i; j-- > 0 && log2(d->freq_hz[i] / d->freq_hz[j]) <= 1.0 / 3.0;)
        if (cabs(d->z[j]) >= m)
            return 0;
    for (size_t j = i + 1; j < d->n && log2(d->freq_hz[j] / d->freq_hz[i]) <= 1.0 / 3.0; j++)
        if (cabs(d->z[j]) > m)
            return 0;
    return 1;
}

/* Up to two resonance peaks of d above 1.5 re0, away from the band's ends:
 * the two highest, in rising frequency; returns how many. */
static size_t find_peaks(const struct fitdata *d, double re0, size_t peak[2])
{
    size_t n = 0;
    for (size_t i = 1; i + 1 < d->n; i++) {
        if (cabs(d->z[i]) < 1.5 * re0 || !is_window_max(d, i))
            continue;
        if (n < 2) {
            peak[n++] = i;
            continue;
        }
        int low0 = cabs(d->z[peak[0]]) < cabs(d->z[peak[1]]);
        if (cabs(d->z[i]) > cabs(d->z[peak[low0 ? 0 : 1]])) {
            if (low0)
                peak[0] = peak[1];
            peak[1] = i;
        }
    }
    return n;
}

/* The frequency where |Z| falls to level walking from peak by step (+1 or
 * -1), not past stop; interpolated in log f; NAN if it never does. */
static double level_crossing(const struct fitdata *d, size_t peak, int step, size_t stop,
                             double level)
{
    for (size_t i = peak; i != stop; i = (size_t)((long)i + step)) {
        size_t j = (size_t)((long)i + step);
        double a = cabs(d->z[i]), b = cabs(d->z[j]);
        if (b <= level) {
            double t = (a - level) / (a - b);
            return d->freq_hz[i] * pow(d->freq_hz[j] / d->freq_hz[i], t);
        }
    }
    return NAN;
}

/* Qms of the peak at index peak over resistance re0, from where |Z| falls to
 * sqrt(Zmax re0) (the -3 dB points of the motional impedance); lo and hi
 * bound the walk. 3 when neither point is found. */
static double peak_q(const struct fitdata *d, size_t peak, size_t lo, size_t hi, double re0)
{
    double zmax = cabs(d->z[peak]), fs = d->freq_hz[peak];
    double level = sqrt(zmax * re0);
    double f1 = level_crossing(d, peak, -1, lo, level);
    double f2 = level_crossing(d, peak, +1, hi, level);
    if (isnan(f1) && isnan(f2))
        return 3.0;
    if (isnan(f1))
        f1 = fs * fs / f2;
    if (isnan(f2))
        f2 = fs * fs / f1;
    return fs * sqrt(zmax / re0) / (f2 - f1);
}

/* Voice coil from the smallest resistance and the top of the band. */
static void start_coil(const struct fitdata *d, struct zfit *f)
{
    double re0 = INFINITY, zmin = INFINITY;
    for (size_t i = 0; i < d->n; i++) {
        re0 = fmin(re0, creal(d->z[i]));
        zmin = fmin(zmin, cabs(d->z[i]));
    }
    if (!(re0 > 0.3 * zmin))
        re0 = 0.9 * zmin;
    double complex zt = d->z[d->n - 1];
    double wt = TWO_PI * d->freq_hz[d->n - 1];
    double leff = fmax(cimag(zt) / wt, 1e-7);
    f->re_ohm = re0;
    f->le_h = 0.5 * leff;
    f->l2_h = leff;
    f->r2_ohm = fmax(creal(zt) - re0, 0.5 * re0);
}

/* The motional branch of one peak: resistance, then C and L from fs, Qms. */
static void start_motional(struct zfit *f, double fs, double zmax, double qms)
{
    f->res_ohm = fmax(zmax - f->re_ohm, 0.1 * f->re_ohm);
    f->cmes_f = qms / (TWO_PI * fs * f->res_ohm);
    f->lces_h = 1.0 / (TWO_PI * fs * TWO_PI * fs * f->cmes_f);
}

/* Two peaks: the dip between them is the box tuning fb; fL fH = fs fb and
 * fL^2 + fH^2 = fs^2 + (1 + alpha) fb^2 (Small's vented-box analysis) give
 * fs and the compliance ratio alpha = Vas/Vb. */
static void start_vented(const struct fitdata *d, struct zfit *f, const size_t pk[2])
{
    size_t dip = pk[0];
    for (size_t i = pk[0]; i <= pk[1]; i++)
        if (cabs(d->z[i]) < cabs(d->z[dip]))
            dip = i;
    double fl = d->freq_hz[pk[0]], fh = d->freq_hz[pk[1]], fb = d->freq_hz[dip];
    double fs = fl * fh / fb;
    double alpha = fmax(0.2, fmin(20.0, (fl * fl + fh * fh - fs * fs) / (fb * fb) - 1.0));
    size_t top = cabs(d->z[pk[0]]) > cabs(d->z[pk[1]]) ? pk[0] : pk[1];
    double q =
        top == pk[0] ? peak_q(d, top, 0, dip, f->re_ohm) : peak_q(d, top, dip, d->n - 1, f->re_ohm);
    start_motional(f, fs, cabs(d->z[top]), fmax(q, 0.5));
    double wb = TWO_PI * fb;
    f->lceb_h = f->lces_h / alpha;
    f->cmep_f = 1.0 / (wb * wb * f->lceb_h);
    f->rbox_ohm = wb * f->lceb_h / 7.0;
}

/* Shape and starting values of *f from d. */
static void start(const struct fitdata *d, struct zfit *f)
{
    size_t pk[2] = {0};
    start_coil(d, f);
    size_t n = find_peaks(d, f->re_ohm, pk);
    f->shape = n == 0 ? ZFIT_COIL : n == 1 ? ZFIT_DRIVER : ZFIT_VENTED;
    if (n == 1)
        start_motional(f, d->freq_hz[pk[0]], cabs(d->z[pk[0]]),
                       fmax(peak_q(d, pk[0], 0, d->n - 1, f->re_ohm), 0.5));
    else if (n == 2)
        start_vented(d, f, pk);
}

/* ---- the fit ----------------------------------------------------------- */

/* Build d from c: complex points and log-frequency weights. */
static enum as_status load_data(const struct zcurve *c, struct fitdata *d)
{
    d->n = c->n;
    d->freq_hz = c->freq_hz;
    d->z = malloc(c->n * sizeof *d->z);
    d->w = malloc(c->n * sizeof *d->w);
    if (!d->z || !d->w)
        return AS_ENOMEM;
    double span = log(c->freq_hz[c->n - 1] / c->freq_hz[0]);
    for (size_t i = 0; i < c->n; i++) {
        double ph = c->phase_deg[i] * M_PI / 180.0;
        d->z[i] = c->mag_ohm[i] * (cos(ph) + I * sin(ph));
        size_t a = i ? i - 1 : i, b = i + 1 < c->n ? i + 1 : i;
        double share = log(c->freq_hz[b] / c->freq_hz[a]) / 2.0 / span;
        d->w[i] = sqrt(share * (double)c->n);
    }
    return AS_OK;
}

/* fs, Qms, Qes, fb of the fitted elements. */
static void derive(struct zfit *f)
{
    f->fs_hz = f->qms = f->qes = f->fb_hz = NAN;
    if (f->shape == ZFIT_COIL)
        return;
    double k = sqrt(f->cmes_f / f->lces_h);
    f->fs_hz = 1.0 / (TWO_PI * sqrt(f->lces_h * f->cmes_f));
    f->qms = f->res_ohm * k;
    f->qes = f->re_ohm * k;
    if (f->shape == ZFIT_VENTED)
        f->fb_hz = 1.0 / (TWO_PI * sqrt(f->lceb_h * f->cmep_f));
}

/* The rated impedance: the largest usual rating whose 80 % the curve's
 * minimum above its highest resonance reaches (IEC 60268-5's rule). */
static double nominal(const struct fitdata *d, const struct zfit *f)
{
    static const double rated[] = {2, 4, 6, 8, 16, 32, 50, 64, 80, 100, 150, 250, 300, 600};
    double fpk = f->shape == ZFIT_COIL ? 0 : fmax(f->fs_hz, isnan(f->fb_hz) ? 0 : f->fb_hz);
    double zmin = INFINITY;
    for (size_t i = 0; i < d->n; i++)
        if (d->freq_hz[i] > 1.5 * fpk)
            zmin = fmin(zmin, cabs(d->z[i]));
    if (!isfinite(zmin))
        zmin = cabs(d->z[d->n - 1]);
    double best = 0;
    for (size_t i = 0; i < sizeof rated / sizeof rated[0]; i++)
        if (0.8 * rated[i] <= zmin)
            best = rated[i];
    return best > 0 ? best : round(zmin / 0.8 * 10.0) / 10.0;
}

static const char *shape_words(enum zfit_shape s)
{
    return s == ZFIT_COIL     ? "a voice coil (Re + Le + R2 || L2; no resonance peak found)"
           : s == ZFIT_DRIVER ? "a driver with one resonance"
                              : "a driver in a vented box (two peaks)";
}

enum as_status zfit_fit(const struct zcurve *c, struct zfit *out, char *err, size_t errlen)
{
    struct fitdata d = {0};
    struct zfit f = {0};
    enum as_status st = load_data(c, &d);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    if (st == AS_OK) {
        start(&d, &f);
        d.shape = f.shape;
        st = refine(&d, &f);
    }
    gsl_set_error_handler(old);
    if (st == AS_OK) {
        derive(&f);
        f.rms_err_pct = rms_pct(&d, &f);
        f.fmin_hz = c->freq_hz[0];
        f.fmax_hz = c->freq_hz[c->n - 1];
        f.n_points = c->n;
        f.nominal_ohm = nominal(&d, &f);
        *out = f;
    }
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", c->path);
    else if (st == AS_OK && !(f.rms_err_pct <= ZFIT_MAX_RMS_PCT))
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s: no equivalent circuit fits this curve: the best fit, as %s, is %.1f %% "
                     "RMS off over %g-%g Hz, more than the %g %% allowed (is it an impedance "
                     "curve: frequency, |Z| in ohm, phase in degrees?)",
                     c->path, shape_words(f.shape), f.rms_err_pct, f.fmin_hz, f.fmax_hz,
                     ZFIT_MAX_RMS_PCT);
    free(d.z);
    free(d.w);
    return st;
}

void zfit_name_from_path(const char *path, char name[AS_NAME_MAX + 1])
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (n > AS_NAME_MAX)
        n = AS_NAME_MAX;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)base[i];
        name[i] = (ch < 128 && (isalnum(ch) || strchr("_-.", ch))) ? (char)ch : '_';
    }
    if (n == 0)
        name[n++] = '_';
    name[n] = '\0';
}

/* The curve's path fit for a comment or metadata line: control characters
 * made '?', at most 200 bytes. */
static void printable(const char *path, char *out, size_t len)
{
    size_t n = 0;
    for (const char *p = path; *p && n + 1 < len && n < 200; p++)
        out[n++] = (unsigned char)*p < 32 || *p == 127 ? '?' : *p;
    out[n] = '\0';
}

/* The comment block of the .lib: where it comes from and every figure. */
static void write_comments(FILE *fp, const struct zfit *f, const char *name, const char *src)
{
    fprintf(fp, "* %s: equivalent circuit fitted by ampsweep to a measured impedance curve.\n",
            name);
    fprintf(fp, "* Curve: %s, %zu points, %g-%g Hz.\n", src, f->n_points, f->fmin_hz, f->fmax_hz);
    fprintf(fp, "* Fit: %s; RMS error %.2f %% of |Z| over the band (docs/loads.md).\n",
            shape_words(f->shape), f->rms_err_pct);
    fprintf(fp,
            "* Voice coil: Re %.4g ohm, Le %.4g mH, semi-inductance R2 %.4g ohm || L2 %.4g mH.\n",
            f->re_ohm, f->le_h * 1e3, f->r2_ohm, f->l2_h * 1e3);
    if (f->shape != ZFIT_COIL)
        fprintf(fp,
                "* Motional: Res %.4g ohm || Lces %.4g mH || Cmes %.4g uF: fs %.4g Hz, Qms %.4g, "
                "Qes %.4g, Qts %.4g.\n",
                f->res_ohm, f->lces_h * 1e3, f->cmes_f * 1e6, f->fs_hz, f->qms, f->qes,
                f->qms * f->qes / (f->qms + f->qes));
    if (f->shape == ZFIT_VENTED)
        fprintf(fp,
                "* Box and port across the motional branch: Rbox %.4g ohm + Lceb %.4g mH + Cmep "
                "%.4g uF: fb %.4g Hz.\n",
                f->rbox_ohm, f->lceb_h * 1e3, f->cmep_f * 1e6, f->fb_hz);
    fprintf(
        fp,
        "* Not modelled: voice-coil heating, nonlinearity, anything the curve does not show.\n");
}

/* The subcircuit: re, le, r2 || l2, then the motional branch (and the box);
 * its name is zfit_ and the load's name with '-' and '.' made '_'. */
static void write_subckt(FILE *fp, const struct zfit *f, const char *name)
{
    const char *coil_end = f->shape == ZFIT_COIL ? "b" : "m";
    char sub[AS_NAME_MAX + 1];
    size_t n = 0;
    for (; name[n] && n < AS_NAME_MAX; n++)
        sub[n] = isalnum((unsigned char)name[n]) ? name[n] : '_';
    sub[n] = '\0';
    fprintf(fp, ".subckt zfit_%s a b\n", sub);
    fprintf(fp, "re a c1 %.9g\nle c1 c2 %.9g\n", f->re_ohm, f->le_h);
    fprintf(fp, "r2 c2 %s %.9g\nl2 c2 %s %.9g\n", coil_end, f->r2_ohm, coil_end, f->l2_h);
    if (f->shape != ZFIT_COIL)
        fprintf(fp, "res m b %.9g\nlces m b %.9g\ncmes m b %.9g\n", f->res_ohm, f->lces_h,
                f->cmes_f);
    if (f->shape == ZFIT_VENTED)
        fprintf(fp, "rbox m x1 %.9g\nlceb x1 x2 %.9g\ncmep x2 b %.9g\n", f->rbox_ohm, f->lceb_h,
                f->cmep_f);
    fprintf(fp, ".ends zfit_%s\n", sub);
}

enum as_status zfit_lib_text(const struct zfit *f, const char *name, const char *curve_path,
                             char **text, char *err, size_t errlen)
{
    char src[256];
    size_t len = 0;
    *text = NULL;
    printable(curve_path, src, sizeof src);
    FILE *fp = open_memstream(text, &len);
    if (!fp)
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", curve_path);
    write_comments(fp, f, name, src);
    fprintf(fp, "*@ name = %s\n*@ kind = %s\n*@ nominal_ohm = %g\n", name,
            f->nominal_ohm <= 16 ? "speaker" : "headphone", f->nominal_ohm);
    fprintf(fp, "*@ source = impedance curve %s fitted by ampsweep, RMS error %.2f %%\n", src,
            f->rms_err_pct);
    write_subckt(fp, f, name);
    if (fclose(fp) != 0 || !*text) {
        free(*text);
        *text = NULL;
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", curve_path);
    }
    return AS_OK;
}
