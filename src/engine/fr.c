/* fr: small-signal frequency-response measurements of an amp into its loads.
 *
 * For each amp: one circuit with the output open (DECK_OPEN_OHM) gives the
 * reference response and, with the input source's AC set to 0 and 1 A of AC
 * current pushed into "out", the output impedance. Each resistive load is
 * then set with "alter" and measured in the same circuit; each subcircuit
 * load gets its own circuit, in which a second copy of the load, driven by
 * 1 A, gives its impedance.
 */
#include "engine/fr.h"

#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deck.h"

/* A requested frequency and the one ngspice simulated may differ only by
 * floating-point rounding of its sweep arithmetic. */
#define FR_FREQ_REL_TOL 1e-9

/* Run one AC analysis. *got is the number of points it produced; only when
 * that is count are they copied into f_sim[first..] and vals[k][first..]. */
static enum as_status run_points(struct ngs *s, const char *cmd, size_t first, size_t count,
                                 const char *const *vecs, size_t n_vecs, double complex **vals,
                                 double *f_sim, size_t *got, char *err, size_t errlen)
{
    double *fs = NULL;
    *got = 0;
    enum as_status st = ngs_run(s, cmd, err, errlen);
    if (st == AS_OK)
        st = ngs_vec_real(s, "frequency", &fs, got, err, errlen);
    if (st == AS_OK && *got == count)
        memcpy(f_sim + first, fs, count * sizeof *fs);
    free(fs);
    for (size_t k = 0; k < n_vecs && st == AS_OK && *got == count; k++) {
        double complex *v = NULL;
        size_t m = 0;
        st = ngs_vec_complex(s, vecs[k], &v, &m, err, errlen);
        if (st == AS_OK && m != count)
            st = as_fail(err, errlen, AS_ESIM, "'%s': vector '%s' has %zu points, not %zu", cmd,
                         vecs[k], m, count);
        if (st == AS_OK)
            memcpy(vals[k] + first, v, count * sizeof *v);
        free(v);
    }
    return st;
}

static int lands_on(const double *f_sim, const double *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(f_sim[i] - f[i]) > FR_FREQ_REL_TOL * f[i])
            return 0;
    return 1;
}

/* Run the AC analysis over freqs and copy the named node vectors out.
 * vals[k] receives n complex values of vecs[k]; f_sim the frequencies. */
static enum as_status ac_measure(struct ngs *s, const struct range *freqs, const char *const *vecs,
                                 size_t n_vecs, double complex **vals, double *f_sim, char *err,
                                 size_t errlen)
{
    size_t n = freqs->count;
    const double *f = freqs->values;
    char cmd[160];
    if (n >= 2 && freqs->log_spaced) {
        /* log-spaced with a whole number of points per decade: one sweep */
        double per_dec = (double)(n - 1) / log10(f[n - 1] / f[0]);
        double k = round(per_dec);
        if (k >= 1 && fabs(per_dec - k) < 1e-9 * k) {
            snprintf(cmd, sizeof cmd, "ac dec %.0f %.17g %.17g", k, f[0], f[n - 1]);
            size_t got = 0;
            enum as_status st =
                run_points(s, cmd, 0, n, vecs, n_vecs, vals, f_sim, &got, err, errlen);
            if (st != AS_OK || (got == n && lands_on(f_sim, f, n)))
                return st;
            /* ngspice's sweep did not land on the requested points: fall
             * back to one analysis per frequency */
        }
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(cmd, sizeof cmd, "ac lin 1 %.17g %.17g", f[i], f[i]);
        size_t got = 0;
        enum as_status st = run_points(s, cmd, i, 1, vecs, n_vecs, vals, f_sim, &got, err, errlen);
        if (st != AS_OK)
            return st;
        if (got != 1 || !lands_on(f_sim + i, f + i, 1))
            return as_fail(err, errlen, AS_ESIM, "'%s' did not simulate that one frequency", cmd);
    }
    return AS_OK;
}

static double db(double complex h)
{
    return 20.0 * log10(cabs(h));
}

static enum as_status alter(struct ngs *s, const char *what, double value, char *err, size_t errlen)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "alter %s = %.17g", what, value);
    return ngs_command(s, cmd, err, errlen);
}

void fr_open_free(struct fr_open *o)
{
    if (!o)
        return;
    free(o->freq_hz);
    free(o->gain_db);
    free(o->zout_ohm);
    memset(o, 0, sizeof *o);
}

/* |Zout| at freqs in the open-output circuit already loaded: input shorted
 * (AC 0 on the source), 1 A into out, then both put back. */
static enum as_status zout_run(struct ngs *s, const struct range *freqs, double complex *z,
                               double *f_sim, char *err, size_t errlen)
{
    const char *vout[] = {"out"};
    enum as_status st = alter(s, DECK_VIN " acmag", 0.0, err, errlen);
    if (st == AS_OK)
        st = alter(s, DECK_IPROBE " acmag", 1.0, err, errlen);
    if (st == AS_OK)
        st = ac_measure(s, freqs, vout, 1, &z, f_sim, err, errlen);
    if (st == AS_OK)
        st = alter(s, DECK_VIN " acmag", 1.0, err, errlen);
    if (st == AS_OK)
        st = alter(s, DECK_IPROBE " acmag", 0.0, err, errlen);
    return st;
}

enum as_status fr_measure_zout(struct ngs *s, const struct netlist *amp, const struct range *freqs,
                               double *zout_ohm, char *err, size_t errlen)
{
    size_t n = freqs->count;
    struct load_spec open = {.nominal_ohm = DECK_OPEN_OHM};
    double complex *z = malloc(n * sizeof *z);
    double *f2 = malloc(n * sizeof *f2);
    enum as_status st =
        z && f2 ? AS_OK : as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", amp->file->path);
    if (st == AS_OK)
        st = deck_load_open(s, amp, DECK_SMALL, "the open-output impedance", err, errlen);
    if (st == AS_OK)
        st = zout_run(s, freqs, z, f2, err, errlen);
    for (size_t i = 0; st == AS_OK && i < n; i++)
        zout_ohm[i] = cabs(z[i]);
    if (st != AS_OK)
        deck_blame(amp, &open, ngs_error_statement(s), err, errlen);
    free(z);
    free(f2);
    return st;
}

/* Load amp's open-output circuit into s and measure the open response. */
enum as_status fr_measure_open(struct ngs *s, const struct netlist *amp, const struct range *freqs,
                               struct fr_open *out, char *err, size_t errlen)
{
    size_t n = freqs->count;
    struct load_spec open = {.nominal_ohm = DECK_OPEN_OHM};
    double complex *h = malloc(n * sizeof *h), *z = malloc(n * sizeof *z);
    double *f2 = malloc(n * sizeof *f2);
    memset(out, 0, sizeof *out);
    out->n = n;
    out->freq_hz = malloc(n * sizeof *out->freq_hz);
    out->gain_db = malloc(n * sizeof *out->gain_db);
    out->zout_ohm = malloc(n * sizeof *out->zout_ohm);
    enum as_status st = AS_OK;
    const char *vout[] = {"out"};
    if (!h || !z || !f2 || !out->freq_hz || !out->gain_db || !out->zout_ohm)
        st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", amp->file->path);
    if (st == AS_OK)
        st = deck_load_open(s, amp, DECK_SMALL, "the open-output response", err, errlen);
    if (st == AS_OK)
        st = ac_measure(s, freqs, vout, 1, &h, out->freq_hz, err, errlen);
    if (st == AS_OK)
        st = zout_run(s, freqs, z, f2, err, errlen);
    for (size_t i = 0; st == AS_OK && i < n; i++) {
        out->gain_db[i] = db(h[i]);
        out->zout_ohm[i] = cabs(z[i]);
        if (!isfinite(out->gain_db[i]))
            st = as_fail(err, errlen, AS_ESIM,
                         "%s: the open-output gain is zero at %g Hz: is 'in' connected to 'out'?",
                         amp->file->path, out->freq_hz[i]);
    }
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", amp->file->path);
    if (st != AS_OK) {
        deck_blame(amp, &open, ngs_error_statement(s), err, errlen);
        fr_open_free(out);
    }
    free(h);
    free(z);
    free(f2);
    return st;
}

enum as_status fr_table_push(struct fr_table *t, const struct fr_row *row)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        struct fr_row *g = realloc(t->rows, cap * sizeof *g);
        if (!g)
            return AS_ENOMEM;
        t->rows = g;
        t->cap = cap;
    }
    t->rows[t->len++] = *row;
    return AS_OK;
}

double fr_a_weight_power(double freq_hz)
{
    /* IEC 61672-1 Annex E: the poles at 20.6, 107.7, 737.9 and 12194 Hz,
     * and +2.00 dB to make it 0 dB at 1 kHz */
    double f2 = freq_hz * freq_hz;
    double ra = 12194.0 * 12194.0 * f2 * f2 /
                ((f2 + 20.6 * 20.6) * sqrt((f2 + 107.7 * 107.7) * (f2 + 737.9 * 737.9)) *
                 (f2 + 12194.0 * 12194.0));
    double a = ra * pow(10.0, 2.0 / 20.0);
    return a * a;
}

void fr_noise_integrate(const double *f_hz, const double *v_rthz, size_t n, double *v_rms,
                        double *v_a_rms)
{
    double sum = 0.0, sum_a = 0.0;
    /* the integrand of d(ln f): v^2 f */
    for (size_t i = 0; i + 1 < n; i++) {
        double du = log(f_hz[i + 1] / f_hz[i]);
        double g0 = v_rthz[i] * v_rthz[i] * f_hz[i];
        double g1 = v_rthz[i + 1] * v_rthz[i + 1] * f_hz[i + 1];
        sum += 0.5 * du * (g0 + g1);
        sum_a += 0.5 * du * (g0 * fr_a_weight_power(f_hz[i]) + g1 * fr_a_weight_power(f_hz[i + 1]));
    }
    *v_rms = sqrt(sum);
    *v_a_rms = sqrt(sum_a);
}

/* The output noise of the circuit loaded in s, input shorted (the input
 * source is ideal), in uV rms. */
static enum as_status noise_measure(struct ngs *s, double *uv, double *uv_a, char *err,
                                    size_t errlen)
{
    char cmd[160];
    double *f = NULL, *v = NULL;
    size_t nf = 0, nv = 0;
    snprintf(cmd, sizeof cmd, "noise v(out) %s dec %d %.17g %.17g", DECK_VIN, FR_NOISE_PER_DECADE,
             FR_NOISE_LO_HZ, FR_NOISE_HI_HZ);
    enum as_status st = ngs_run(s, cmd, err, errlen);
    if (st == AS_OK)
        st = ngs_vec_real(s, "noise1.frequency", &f, &nf, err, errlen);
    if (st == AS_OK)
        st = ngs_vec_real(s, "noise1.onoise_spectrum", &v, &nv, err, errlen);
    if (st == AS_OK && (nf != nv || nf < 2))
        st = as_fail(err, errlen, AS_ESIM, "'%s' gave %zu frequencies and %zu noise points", cmd,
                     nf, nv);
    if (st == AS_OK) {
        fr_noise_integrate(f, v, nf, uv, uv_a);
        *uv *= 1e6;
        *uv_a *= 1e6;
        if (!isfinite(*uv) || *uv > 1e9)
            st = as_fail(err, errlen, AS_ESIM, "'%s': the output noise is not a number", cmd);
    }
    free(f);
    free(v);
    return st;
}

static enum as_status add_rows(struct fr_table *t, const struct netlist *amp,
                               const struct load_spec *load, const struct fr_open *open,
                               const double complex *h, const double *zload, double uv, double uv_a)
{
    for (size_t i = 0; i < open->n; i++) {
        struct fr_row r = {0};
        snprintf(r.amp, sizeof r.amp, "%s", amp->name);
        snprintf(r.load, sizeof r.load, "%s", load->file ? load->file->name : LOAD_RESISTOR_NAME);
        r.load_ohm = load->nominal_ohm;
        r.freq_hz = open->freq_hz[i];
        r.gain_db = db(h[i]);
        r.dev_db = r.gain_db - open->gain_db[i];
        r.zload_ohm = zload ? zload[i] : load->nominal_ohm;
        r.zout_ohm = open->zout_ohm[i];
        r.damping = r.load_ohm / r.zout_ohm; /* +inf for an ideal source */
        r.rule8 = r.zout_ohm <= r.zload_ohm / 8.0;
        r.vnoise_uv = uv;
        r.vnoise_a_uv = uv_a;
        if (fr_table_push(t, &r) != AS_OK)
            return AS_ENOMEM;
    }
    return AS_OK;
}

enum as_status fr_sweep(struct ngs *s, const struct netlist *amp, const struct load_spec *loads,
                        size_t n_loads, const struct range *freqs, struct fr_table *out, char *err,
                        size_t errlen)
{
    size_t n = freqs->count, rows_before = out->len;
    struct fr_open open = {0};
    const struct load_spec *loads_blamed = NULL; /* the load being measured */
    double complex *h = malloc(n * sizeof *h), *zl = malloc(n * sizeof *zl);
    double *f2 = malloc(n * sizeof *f2), *zmag = malloc(n * sizeof *zmag);
    enum as_status st = AS_OK;
    if (!h || !zl || !f2 || !zmag)
        st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", amp->file->path);
    if (st == AS_OK)
        st = fr_measure_open(s, amp, freqs, &open, err, errlen);
    /* resistive loads first, in the circuit fr_measure_open left loaded */
    for (size_t j = 0; j < n_loads && st == AS_OK; j++) {
        if (loads[j].file)
            continue;
        const char *vout[] = {"out"};
        double uv = NAN, uv_a = NAN;
        loads_blamed = &loads[j];
        st = alter(s, DECK_RLOAD, loads[j].nominal_ohm, err, errlen);
        if (st == AS_OK)
            st = ac_measure(s, freqs, vout, 1, &h, f2, err, errlen);
        if (st == AS_OK)
            st = noise_measure(s, &uv, &uv_a, err, errlen);
        if (st == AS_OK)
            st = add_rows(out, amp, &loads[j], &open, h, NULL, uv, uv_a);
    }
    for (size_t j = 0; j < n_loads && st == AS_OK; j++) {
        if (!loads[j].file)
            continue;
        const char *vecs[] = {"out", DECK_ZNODE};
        double complex *vals[] = {h, zl};
        double uv = NAN, uv_a = NAN;
        loads_blamed = &loads[j];
        st = deck_load_into(s, amp, &loads[j], DECK_SMALL, err, errlen);
        if (st == AS_OK)
            st = ac_measure(s, freqs, vecs, 2, vals, f2, err, errlen);
        for (size_t i = 0; i < n && st == AS_OK; i++)
            zmag[i] = cabs(zl[i]);
        if (st == AS_OK)
            st = noise_measure(s, &uv, &uv_a, err, errlen);
        if (st == AS_OK)
            st = add_rows(out, amp, &loads[j], &open, h, zmag, uv, uv_a);
    }
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", amp->file->path);
    if (st != AS_OK) {
        out->len = rows_before;
        deck_blame(amp, loads_blamed, ngs_error_statement(s), err, errlen);
    }
    fr_open_free(&open);
    free(h);
    free(zl);
    free(f2);
    free(zmag);
    return st;
}

void fr_table_free(struct fr_table *t)
{
    if (!t)
        return;
    free(t->rows);
    memset(t, 0, sizeof *t);
}
