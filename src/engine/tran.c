/* tran: a sine through the amp to steady state, and what it does there.
 *
 * Exists so that the searches in the large-signal module see one function
 * from input level to THD and powers, with the settling rule, the window
 * arithmetic and the vector names of the power probes kept in one place.
 * Every average is taken over whole periods resampled uniformly, where the
 * mean of samples is exact for a periodic waveform.
 */
#include "engine/tran.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deck.h"
#include "engine/spectrum.h"

/* Buffers of one measurement: raw vectors and their resampled window. */
struct bufs {
    double *t, *v, *i, *p; /* raw time, v(out), load current, a power vector */
    size_t n, n_p;
    double *uv, *ui, *up; /* resampled */
};

static void bufs_free(struct bufs *b)
{
    free(b->t);
    free(b->v);
    free(b->i);
    free(b->p);
    free(b->uv);
    free(b->ui);
    free(b->up);
    memset(b, 0, sizeof *b);
}

static double mean(const double *u, size_t m)
{
    double sum = 0.0;
    for (size_t k = 0; k < m; k++)
        sum += u[k];
    return sum / (double)m;
}

static double mean_product(const double *a, const double *b, size_t m)
{
    double sum = 0.0;
    for (size_t k = 0; k < m; k++)
        sum += a[k] * b[k];
    return sum / (double)m;
}

/* Read vector name, which must have one value per time point. */
static enum as_status read_vec(struct ngs *s, const char *name, size_t n_want, double **out,
                               char *err, size_t errlen)
{
    size_t n = 0;
    free(*out);
    *out = NULL;
    enum as_status st = ngs_vec_real(s, name, out, &n, err, errlen);
    if (st == AS_OK && n != n_want)
        st = as_fail(err, errlen, AS_ESIM, "vector '%s' has %zu points, time has %zu", name, n,
                     n_want);
    return st;
}

/* Mean over the window of the power vector "NAME:power". */
static enum as_status mean_power(struct ngs *s, const char *inst, struct bufs *b, double t0,
                                 double t1, size_t m, double *p_w, char *err, size_t errlen)
{
    char name[160];
    snprintf(name, sizeof name, "%s:power", inst);
    enum as_status st = read_vec(s, name, b->n, &b->p, err, errlen);
    if (st == AS_OK) {
        spectrum_resample(b->t, b->p, b->n, t0, t1, m, b->up);
        *p_w = mean(b->up, m);
    }
    return st;
}

/* Largest |x| over samples in [t0, t1]. */
static double peak(const double *t, const double *x, size_t n, double t0, double t1)
{
    double pk = 0.0;
    for (size_t k = 0; k < n; k++)
        if (t[k] >= t0 && t[k] <= t1 && fabs(x[k]) > pk)
            pk = fabs(x[k]);
    return pk;
}

/* How far the last two periods of u (spp samples each) are from repeating:
 * the rms difference of their DC and harmonics 1..10 over the rms of the
 * window. Harmonics above the 10th are left out: there the resampling of
 * corners (clipping) differs from period to period by interpolation alone. */
static double period_mismatch(const double *u, size_t spp, size_t periods)
{
    assert(periods >= 2);
    const double *a = u + (periods - 2) * spp, *c = u + (periods - 1) * spp;
    double d2 = 0.0, x2 = 0.0;
    for (int h = 0; h <= SPECTRUM_MAX_HARMONIC; h++) {
        double re = 0.0, im = 0.0;
        for (size_t k = 0; k < spp; k++) {
            double ph = 2.0 * M_PI * h * (double)k / (double)spp;
            re += (c[k] - a[k]) * cos(ph);
            im -= (c[k] - a[k]) * sin(ph);
        }
        /* rms of that component of the difference: DC |X|/n, others sqrt(2)|X|/n */
        double rms = hypot(re, im) / (double)spp * (h ? M_SQRT2 : 1.0);
        d2 += rms * rms;
    }
    for (size_t k = 0; k < periods * spp; k++)
        x2 += u[k] * u[k];
    if (x2 == 0.0)
        return d2 == 0.0 ? 0.0 : INFINITY;
    return sqrt(d2) / sqrt(x2 / (double)(periods * spp));
}

/* The largest DC offset a start-up transient could still leave after
 * settle periods, given drift, the change of DC from one measured period to
 * the next, and amp, the output's peak amplitude. Model: a first-order
 * network (a coupling or feedback capacitor) of time constant tau periods is
 * left with an offset of at most amp / (2 pi tau) when the sine starts (the
 * lead of a sine through one pole), decaying as exp(-t / tau). After S
 * periods that is R = R0 exp(-S / tau), drifting R (1 - exp(-1 / tau)) per
 * period. Of the tau that fit both the drift and the bound on R0, the
 * largest leaves the most. 0 when none fits. */
static double start_offset_left(double drift, double amp, unsigned settle)
{
    double left = 0.0;
    drift = fabs(drift);
    if (drift == 0.0)
        return 0.0;
    for (double tau = 0.05; tau < 1e7; tau *= 1.02) {
        double r = drift / -expm1(-1.0 / tau);
        if (r <= amp * exp(-(double)settle / tau) / (2.0 * M_PI * tau))
            left = r; /* r grows with tau: the last that fits is the largest */
    }
    return left;
}

static unsigned settle_cap(double freq_hz)
{
    double cap = floor(TRAN_SETTLE_MAX_S * freq_hz);
    if (cap > TRAN_SETTLE_MAX_PERIODS)
        cap = TRAN_SETTLE_MAX_PERIODS;
    if (cap < TRAN_SETTLE_MIN_PERIODS)
        cap = TRAN_SETTLE_MIN_PERIODS;
    return (unsigned)cap;
}

/* One transient run settling for settle periods; fills b and the resampled
 * v(out) window. */
static enum as_status run_once(struct ngs *s, double freq_hz, unsigned settle, struct bufs *b,
                               double *t0, double *t1, char *err, size_t errlen)
{
    double period = 1.0 / freq_hz;
    double tmax = period / (TRAN_STEPS_PER_HARMONIC * SPECTRUM_MAX_HARMONIC);
    *t0 = settle * period;
    *t1 = *t0 + TRAN_MEASURE_PERIODS * period;
    /* save from a little before the window, so that it is covered */
    double t_save = *t0 - 2.0 * tmax;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "tran %.17g %.17g %.17g %.17g", tmax, *t1, t_save, tmax);
    enum as_status st = ngs_run(s, cmd, err, errlen);
    size_t n = 0;
    free(b->t);
    b->t = NULL;
    if (st == AS_OK)
        st = ngs_vec_real(s, "time", &b->t, &n, err, errlen);
    b->n = n;
    if (st == AS_OK)
        st = read_vec(s, "out", n, &b->v, err, errlen);
    if (st == AS_OK)
        st = read_vec(s, DECK_ILOAD_VEC, n, &b->i, err, errlen);
    if (st == AS_OK && (n < 2 || b->t[0] > *t0 || b->t[n - 1] < *t1 * (1 - 1e-12)))
        st = as_fail(err, errlen, AS_ESIM, "'%s' saved %g..%g s, not the window %g..%g s", cmd,
                     n ? b->t[0] : 0.0, n ? b->t[n - 1] : 0.0, *t0, *t1);
    return st;
}

/* Allocate the resampled windows of b, m samples each; 0 when out of memory. */
static int bufs_alloc(struct bufs *b, size_t m)
{
    b->uv = malloc(m * sizeof *b->uv);
    b->ui = malloc(m * sizeof *b->ui);
    b->up = malloc(m * sizeof *b->up);
    return b->uv && b->ui && b->up;
}

/* The settling of the first run: *settle_periods, or the least when 0, at
 * most cap. */
static unsigned first_settle(unsigned settle_periods, unsigned cap)
{
    unsigned settle = settle_periods ? settle_periods : TRAN_SETTLE_MIN_PERIODS;
    return settle > cap ? cap : settle;
}

/* From the resampled v(out) window of a run that settled for settle
 * periods: how far its last two periods are from repeating, whether that
 * counts as settled, its swing and the start-up offset its drift allows. */
static void judge_window(const struct bufs *b, unsigned settle, struct tran_result *out)
{
    const size_t spp = TRAN_SAMPLES_PER_PERIOD, m = TRAN_MEASURE_PERIODS * spp;
    out->mismatch = period_mismatch(b->uv, spp, TRAN_MEASURE_PERIODS);
    out->settled = out->mismatch <= TRAN_SETTLED_REL;
    double lo = b->uv[0], hi = b->uv[0];
    for (size_t k = 1; k < m; k++) {
        lo = fmin(lo, b->uv[k]);
        hi = fmax(hi, b->uv[k]);
    }
    const double *last_period = b->uv + (TRAN_MEASURE_PERIODS - 1) * spp;
    out->swing_pk_v = (hi - lo) / 2.0;
    out->offset_left_v = start_offset_left(mean(last_period, spp) - mean(last_period - spp, spp),
                                           out->swing_pk_v, settle);
}

/* 1 if the THD of the window from t0 is already above enough_thd_pct: far
 * over a THD limit, settling further changes nothing. */
static int far_over(const struct bufs *b, double freq_hz, double t0, double enough_thd_pct)
{
    struct spectrum_result sp1;
    char e1[128];
    return spectrum_analyze(b->t, b->v, b->n, freq_hz, t0, TRAN_MEASURE_PERIODS,
                            TRAN_SAMPLES_PER_PERIOD, &sp1, e1, sizeof e1) == AS_OK &&
           sp1.thd_pct > enough_thd_pct;
}

/* 1 when a run that settled for settle periods (of at most cap) is the
 * last: it settled, it reached the cap, or the mismatch stopped halving
 * (last: the previous run's) after enough time. Slow resonances (a
 * speaker's box, coupling capacitors) decay in time, not in periods: they
 * get TRAN_CHAOS_MIN_S before an output that stops getting closer is called
 * not periodic. */
static int settling_ends(const struct tran_result *out, unsigned settle, unsigned cap, double last,
                         double freq_hz)
{
    return out->settled || settle >= cap ||
           (out->mismatch > 0.5 * last &&
            (settle / freq_hz >= TRAN_CHAOS_MIN_S || settle >= TRAN_CHAOS_MIN_PERIODS));
}

/* The settling rule (tran.h): runs from *settle periods, quadrupled up to
 * cap, until settling_ends; *settle receives the last run's settling, b and
 * [*t0, *t1] its window, out its mismatch and run count. */
static enum as_status settle_runs(struct ngs *s, double freq_hz, double vin_pk_v,
                                  double enough_thd_pct, unsigned *settle, unsigned cap,
                                  struct bufs *b, double *t0, double *t1, struct tran_result *out,
                                  char *err, size_t errlen)
{
    const size_t m = TRAN_MEASURE_PERIODS * TRAN_SAMPLES_PER_PERIOD;
    double last = INFINITY;
    enum as_status st = AS_OK;
    for (;;) {
        st = run_once(s, freq_hz, *settle, b, t0, t1, err, errlen);
        out->runs++;
        if (st != AS_OK)
            break;
        spectrum_resample(b->t, b->v, b->n, *t0, *t1, m, b->uv);
        judge_window(b, *settle, out);
        if (!out->settled && enough_thd_pct > 0 && vin_pk_v > 0 &&
            far_over(b, freq_hz, *t0, enough_thd_pct))
            break;
        if (settling_ends(out, *settle, cap, last, freq_hz))
            break;
        last = out->mismatch;
        *settle = *settle * 4 > cap ? cap : *settle * 4;
    }
    return st;
}

/* THD and THD+N of v(out) over the window from t0. */
static enum as_status measure_thd(const struct bufs *b, double freq_hz, double t0,
                                  struct tran_result *out, char *err, size_t errlen)
{
    struct spectrum_result sp;
    enum as_status st = spectrum_analyze(b->t, b->v, b->n, freq_hz, t0, TRAN_MEASURE_PERIODS,
                                         TRAN_SAMPLES_PER_PERIOD, &sp, err, errlen);
    if (st == AS_OK) {
        out->thd_pct = sp.thd_pct;
        out->thdn_pct = sp.thdn_pct;
    }
    return st;
}

/* Output level, peaks and load power over the window [t0, t1]. */
static void measure_output(struct bufs *b, double t0, double t1, struct tran_result *out)
{
    const size_t m = TRAN_MEASURE_PERIODS * TRAN_SAMPLES_PER_PERIOD;
    spectrum_resample(b->t, b->i, b->n, t0, t1, m, b->ui);
    double v_dc = mean(b->uv, m), i_dc = mean(b->ui, m);
    out->vout_rms_v = sqrt(fmax(mean_product(b->uv, b->uv, m) - v_dc * v_dc, 0.0));
    out->vout_pk_v = peak(b->t, b->v, b->n, t0, t1);
    out->iout_pk_a = peak(b->t, b->i, b->n, t0, t1);
    out->p_load_w = mean_product(b->uv, b->ui, m);
    out->p_load_ac_w = out->p_load_w - v_dc * i_dc;
}

/* Mean power of the listed supplies (delivered) and devices (absorbed)
 * over the window [t0, t1]. */
static enum as_status measure_powers(struct ngs *s, const struct netlist *amp, struct bufs *b,
                                     double t0, double t1, struct tran_result *out, char *err,
                                     size_t errlen)
{
    const size_t m = TRAN_MEASURE_PERIODS * TRAN_SAMPLES_PER_PERIOD;
    enum as_status st = AS_OK;
    assert(amp->n_devices <= NETLIST_MAX_DEVICES);
    for (size_t k = 0; k < amp->n_supplies && st == AS_OK; k++) {
        double p = 0.0;
        st = mean_power(s, amp->supplies[k].name, b, t0, t1, m, &p, err, errlen);
        out->p_supply_w -= p; /* the probe gives power absorbed */
    }
    for (size_t k = 0; k < amp->n_devices && st == AS_OK; k++)
        st = mean_power(s, amp->devices[k].name, b, t0, t1, m, &out->p_dev_w[k], err, errlen);
    return st;
}

enum as_status tran_measure(struct ngs *s, const struct netlist *amp, double freq_hz,
                            double vin_pk_v, double enough_thd_pct, unsigned *settle_periods,
                            struct tran_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->freq_hz = freq_hz;
    out->vin_pk_v = vin_pk_v;
    if (!(freq_hz > 0) || !isfinite(freq_hz) || !(vin_pk_v >= 0) || !isfinite(vin_pk_v))
        return as_fail(err, errlen, AS_EINPUT, "tran: bad frequency %g Hz or level %g V", freq_hz,
                       vin_pk_v);
    struct bufs b = {0};
    char cmd[160];
    snprintf(cmd, sizeof cmd, "alter @" DECK_VIN "[sin] = [ 0 %.17g %.17g ]", vin_pk_v, freq_hz);
    enum as_status st = ngs_command(s, cmd, err, errlen);
    if (!bufs_alloc(&b, TRAN_MEASURE_PERIODS * TRAN_SAMPLES_PER_PERIOD) && st == AS_OK)
        st = as_fail(err, errlen, AS_ENOMEM, "tran: out of memory");
    unsigned cap = settle_cap(freq_hz);
    unsigned settle = first_settle(*settle_periods, cap);
    double t0 = 0, t1 = 0;
    if (st == AS_OK)
        st = settle_runs(s, freq_hz, vin_pk_v, enough_thd_pct, &settle, cap, &b, &t0, &t1, out, err,
                         errlen);
    out->settle_periods = settle;
    if (st == AS_OK && out->settled)
        *settle_periods = settle;
    if (st == AS_OK && vin_pk_v > 0)
        st = measure_thd(&b, freq_hz, t0, out, err, errlen);
    if (st == AS_OK)
        measure_output(&b, t0, t1, out);
    if (st == AS_OK)
        st = measure_powers(s, amp, &b, t0, t1, out, err, errlen);
    out->p_amp_w = out->p_supply_w - out->p_load_w;
    bufs_free(&b);
    return st;
}

enum as_status tran_settle_startup(struct ngs *s, const struct netlist *amp, double freq_hz,
                                   double vin_pk_v, unsigned *settle_periods, unsigned *runs,
                                   char *err, size_t errlen)
{
    unsigned most = settle_cap(freq_hz);
    if (most > TRAN_STARTUP_MAX_PERIODS)
        most = TRAN_STARTUP_MAX_PERIODS;
    unsigned settle = *settle_periods;
    enum as_status st = AS_OK;
    for (int tries = 0; st == AS_OK && tries < TRAN_STARTUP_TRIES;) {
        struct tran_result r;
        st = tran_measure(s, amp, freq_hz, vin_pk_v, TRAN_STARTUP_CLEAN_THD_PCT, &settle, &r, err,
                          errlen);
        *runs += r.runs;
        if (st != AS_OK)
            break;
        if (!r.settled || r.thd_pct > TRAN_STARTUP_CLEAN_THD_PCT) {
            /* not clean (clipping, or no repeat): try 10 dB lower */
            vin_pk_v *= 0.31622776601683794;
            settle = *settle_periods;
            tries++;
            continue;
        }
        *settle_periods = r.settle_periods;
        if (r.offset_left_v <= TRAN_OFFSET_LEFT_REL * r.swing_pk_v || r.settle_periods >= most)
            break;
        settle = r.settle_periods * 4 > most ? most : r.settle_periods * 4;
    }
    return st;
}

/* The first value of vector name in the current plot. */
static enum as_status value(struct ngs *s, const char *name, double *v, char *err, size_t errlen)
{
    double *d = NULL;
    size_t n = 0;
    enum as_status st = ngs_vec_real(s, name, &d, &n, err, errlen);
    if (st == AS_OK && n == 0)
        st = as_fail(err, errlen, AS_ESIM, "ngspice's vector '%s' is empty", name);
    if (st == AS_OK)
        *v = d[0];
    free(d);
    return st;
}

enum as_status tran_quiescent(struct ngs *s, const struct netlist *amp, struct tran_result *out,
                              char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->settled = 1;
    double v = 0, i = 0;
    char name[160];
    enum as_status st = ngs_run(s, "op", err, errlen);
    if (st == AS_OK)
        st = value(s, "out", &v, err, errlen);
    if (st == AS_OK)
        st = value(s, DECK_ILOAD_VEC, &i, err, errlen);
    out->vout_rms_v = 0.0;
    out->vout_pk_v = fabs(v);
    out->vout_dc_v = v;
    out->iout_pk_a = fabs(i);
    out->p_load_w = v * i;
    for (size_t k = 0; k < amp->n_supplies && st == AS_OK; k++) {
        const struct netlist_supply *sup = &amp->supplies[k];
        double p = 0.0, vp = 0.0, vn = 0.0;
        snprintf(name, sizeof name, "%s:power", sup->name);
        st = value(s, name, &p, err, errlen);
        out->p_supply_w -= p;
        if (st == AS_OK && !deck_is_ground(sup->node_pos))
            st = value(s, sup->node_pos, &vp, err, errlen);
        if (st == AS_OK && !deck_is_ground(sup->node_neg))
            st = value(s, sup->node_neg, &vn, err, errlen);
        out->supply_span_v += fabs(vp - vn);
    }
    for (size_t k = 0; k < amp->n_devices && st == AS_OK; k++) {
        snprintf(name, sizeof name, "%s:power", amp->devices[k].name);
        st = value(s, name, &out->p_dev_w[k], err, errlen);
    }
    out->p_amp_w = out->p_supply_w - out->p_load_w;
    return st;
}
