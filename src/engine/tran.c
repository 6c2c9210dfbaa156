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

/* The vectors of one transient run: time, v(out), the load current and the
 * power of each listed supply and device (supplies first). */
struct run {
    double *t, *v, *i;
    double **p;
    size_t n, n_p;
};

/* One measured period, resampled: the period before it (for the settling
 * test) and the measured one, then the measured one's current and powers. */
struct window {
    double uv[2 * TRAN_SAMPLES_PER_PERIOD];
    double ui[TRAN_SAMPLES_PER_PERIOD], up[TRAN_SAMPLES_PER_PERIOD];
};

static void run_free(struct run *r)
{
    free(r->t);
    free(r->v);
    free(r->i);
    for (size_t k = 0; r->p && k < r->n_p; k++)
        free(r->p[k]);
    free(r->p);
    memset(r, 0, sizeof *r);
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

/* Largest |x| over samples in [t0, t1]. */
static double peak(const double *t, const double *x, size_t n, double t0, double t1)
{
    double pk = 0.0;
    for (size_t k = 0; k < n; k++)
        if (t[k] >= t0 && t[k] <= t1 && fabs(x[k]) > pk)
            pk = fabs(x[k]);
    return pk;
}

/* How far the second of two periods of u (spp samples each) is from
 * repeating the first: the rms difference of their DC and harmonics 1..10
 * over the rms of the second. Harmonics above the 10th are left out: there
 * the resampling of corners (clipping) differs from period to period by
 * interpolation alone. */
static double period_mismatch(const double *u, size_t spp)
{
    const double *a = u, *c = u + spp;
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
    for (size_t k = 0; k < spp; k++)
        x2 += c[k] * c[k];
    if (x2 == 0.0)
        return d2 == 0.0 ? 0.0 : INFINITY;
    return sqrt(d2) / sqrt(x2 / (double)spp);
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

/* Settling periods of staircase level k > 0 after the change from the
 * level before: one, or two after a change of more than
 * TRAN_STEP_BIG_DB. */
static unsigned step_settle(const double *vin_pk_v, size_t k)
{
    double ratio = vin_pk_v[k] > 0 && vin_pk_v[k - 1] > 0 ? vin_pk_v[k] / vin_pk_v[k - 1] : 0;
    return ratio > 0 && fabs(20 * log10(ratio)) <= TRAN_STEP_BIG_DB ? TRAN_STEP_SETTLE_PERIODS
                                                                    : 2 * TRAN_STEP_SETTLE_PERIODS;
}

/* Where each level's measured period starts, in periods, into start[0..n-1]:
 * the first after settle periods, each next one after its own settling. */
static void measured_starts(const double *vin_pk_v, size_t n, unsigned settle, double *start)
{
    start[0] = settle;
    for (size_t k = 1; k < n; k++)
        start[k] = start[k - 1] + TRAN_MEASURE_PERIODS + step_settle(vin_pk_v, k);
}

/* The input's envelope as the alter command of the deck's PWL source: from
 * rest to the first level at the start, then each change ramped at the
 * start of the level's settling (a peak of the cosine, just after the
 * measured period of the level before). */
static int envelope_cmd(char *cmd, size_t len, const double *vin_pk_v, size_t n,
                        const double *start, double period)
{
    size_t used = 0;
    int w = snprintf(cmd, len, "alter @" DECK_VENV "[pwl] = [ 0 0 %.17g %.17g",
                     TRAN_RAMP_PERIODS * period, vin_pk_v[0]);
    for (size_t k = 1; w > 0 && (used += (size_t)w) < len && k < n; k++) {
        double t = (start[k - 1] + TRAN_MEASURE_PERIODS) * period;
        w = snprintf(cmd + used, len - used, " %.17g %.17g %.17g %.17g", t, vin_pk_v[k - 1],
                     t + TRAN_RAMP_PERIODS * period, vin_pk_v[k]);
    }
    if (w > 0 && used < len)
        w = snprintf(cmd + used, len - used, " ]");
    return w > 0 && used + (size_t)w < len;
}

/* Read the run's vectors: time, v(out), the load current, the powers. */
static enum as_status read_run(struct ngs *s, const struct netlist *amp, struct run *r, char *err,
                               size_t errlen)
{
    enum as_status st = ngs_vec_real(s, "time", &r->t, &r->n, err, errlen);
    if (st == AS_OK)
        st = read_vec(s, "out", r->n, &r->v, err, errlen);
    if (st == AS_OK)
        st = read_vec(s, DECK_ILOAD_VEC, r->n, &r->i, err, errlen);
    size_t n_p = amp->n_supplies + amp->n_devices;
    if (st == AS_OK && n_p && !(r->p = calloc(n_p, sizeof *r->p)))
        st = as_fail(err, errlen, AS_ENOMEM, "tran: out of memory");
    for (size_t k = 0; st == AS_OK && k < n_p; k++, r->n_p++) {
        const char *inst =
            k < amp->n_supplies ? amp->supplies[k].name : amp->devices[k - amp->n_supplies].name;
        char name[160];
        snprintf(name, sizeof name, "%s:power", inst);
        st = read_vec(s, name, r->n, &r->p[k], err, errlen);
    }
    return st;
}

/* One transient run holding levels vin_pk_v[0..n-1] (see tran_staircase). */
static enum as_status run_levels(struct ngs *s, const struct netlist *amp, double freq_hz,
                                 const double *vin_pk_v, size_t n, const double *start,
                                 struct run *r, char *err, size_t errlen)
{
    double period = 1.0 / freq_hz;
    double tmax = period / (TRAN_STEPS_PER_HARMONIC * SPECTRUM_MAX_HARMONIC);
    double t_end = (start[n - 1] + TRAN_MEASURE_PERIODS) * period;
    /* save from a little before the first level's period before its measured one */
    double t_save = (start[0] - 1.0) * period - 2.0 * tmax;
    char cmd[256], env[112 * (TRAN_STAIR_MAX + 1)];
    enum as_status st = AS_OK;
    if (!envelope_cmd(env, sizeof env, vin_pk_v, n, start, period))
        return as_fail(err, errlen, AS_EINPUT, "tran: %zu levels are too many for one run", n);
    snprintf(cmd, sizeof cmd, "alter @" DECK_VOSC "[sin] = [ 0 1 %.17g 0 0 90 ]", freq_hz);
    st = ngs_command(s, cmd, err, errlen);
    if (st == AS_OK)
        st = ngs_command(s, env, err, errlen);
    snprintf(cmd, sizeof cmd, "tran %.17g %.17g %.17g %.17g", tmax, t_end, fmax(t_save, 0.0), tmax);
    if (st == AS_OK)
        st = ngs_run(s, cmd, err, errlen);
    if (st == AS_OK)
        st = read_run(s, amp, r, err, errlen);
    if (st == AS_OK && (r->n < 2 || r->t[0] > fmax(t_save + 2.0 * tmax, 0.0) ||
                        r->t[r->n - 1] < t_end * (1 - 1e-12)))
        st = as_fail(err, errlen, AS_ESIM, "'%s' saved %g..%g s, not %g..%g s", cmd,
                     r->n ? r->t[0] : 0.0, r->n ? r->t[r->n - 1] : 0.0, t_save, t_end);
    return st;
}

/* The measurement of the period starting at t0 (s) of a run: THD, output,
 * powers, and whether it repeated the period before. */
static enum as_status measure_window(const struct netlist *amp, const struct run *r, double freq_hz,
                                     double t0, struct window *w, struct tran_result *out,
                                     char *err, size_t errlen)
{
    const size_t spp = TRAN_SAMPLES_PER_PERIOD;
    double period = 1.0 / freq_hz, t1 = t0 + period;
    spectrum_resample(r->t, r->v, r->n, t0 - period, t1, 2 * spp, w->uv);
    out->mismatch = period_mismatch(w->uv, spp);
    out->settled = out->mismatch <= TRAN_SETTLED_REL;
    const double *uv = w->uv + spp;
    struct spectrum_result sp;
    enum as_status st = AS_OK;
    if (out->vin_pk_v > 0) {
        st = spectrum_analyze(r->t, r->v, r->n, freq_hz, t0, TRAN_MEASURE_PERIODS, spp, &sp, err,
                              errlen);
        out->thd_pct = sp.thd_pct;
        out->thdn_pct = sp.thdn_pct;
    }
    if (st != AS_OK)
        return st;
    spectrum_resample(r->t, r->i, r->n, t0, t1, spp, w->ui);
    double v_dc = mean(uv, spp), i_dc = mean(w->ui, spp);
    out->vout_rms_v = sqrt(fmax(mean_product(uv, uv, spp) - v_dc * v_dc, 0.0));
    out->vout_pk_v = peak(r->t, r->v, r->n, t0, t1);
    out->iout_pk_a = peak(r->t, r->i, r->n, t0, t1);
    out->p_load_w = mean_product(uv, w->ui, spp);
    out->p_load_ac_w = out->p_load_w - v_dc * i_dc;
    assert(amp->n_devices <= NETLIST_MAX_DEVICES);
    for (size_t k = 0; k < r->n_p; k++) {
        spectrum_resample(r->t, r->p[k], r->n, t0, t1, spp, w->up);
        double p = mean(w->up, spp);
        if (k < amp->n_supplies)
            out->p_supply_w -= p; /* the probe gives power absorbed */
        else
            out->p_dev_w[k - amp->n_supplies] = p;
    }
    out->p_amp_w = out->p_supply_w - out->p_load_w;
    return AS_OK;
}

enum as_status tran_staircase(struct ngs *s, const struct netlist *amp, double freq_hz,
                              const double *vin_pk_v, size_t n, unsigned settle_periods,
                              struct tran_result *out, char *err, size_t errlen)
{
    if (!(freq_hz > 0) || !isfinite(freq_hz) || n == 0 || n > TRAN_STAIR_MAX)
        return as_fail(err, errlen, AS_EINPUT, "tran: bad frequency %g Hz or %zu levels", freq_hz,
                       n);
    for (size_t k = 0; k < n; k++) {
        memset(&out[k], 0, sizeof out[k]);
        out[k].freq_hz = freq_hz;
        out[k].vin_pk_v = vin_pk_v[k];
        if (!(vin_pk_v[k] >= 0) || !isfinite(vin_pk_v[k]))
            return as_fail(err, errlen, AS_EINPUT, "tran: bad level %g V", vin_pk_v[k]);
    }
    double start[TRAN_STAIR_MAX];
    measured_starts(vin_pk_v, n, settle_periods ? settle_periods : TRAN_SETTLE_MIN_PERIODS, start);
    struct run r = {0};
    struct window *w = malloc(sizeof *w);
    enum as_status st = w ? AS_OK : as_fail(err, errlen, AS_ENOMEM, "tran: out of memory");
    if (st == AS_OK)
        st = run_levels(s, amp, freq_hz, vin_pk_v, n, start, &r, err, errlen);
    out[0].runs = 1;
    out[0].periods = (unsigned)(start[n - 1] + TRAN_MEASURE_PERIODS);
    for (size_t k = 0; k < n && st == AS_OK; k++) {
        out[k].settle_periods =
            (unsigned)(k ? start[k] - start[k - 1] - TRAN_MEASURE_PERIODS : start[0]);
        st = measure_window(amp, &r, freq_hz, start[k] / freq_hz, w, &out[k], err, errlen);
    }
    free(w);
    run_free(&r);
    return st;
}

/* 1 when a run that settled for settle periods (of at most cap) is the
 * last: it settled, it reached the cap, or the mismatch stopped halving
 * (last: the previous run's) after enough time. Slow resonances (a
 * speaker's box, coupling capacitors) decay in time, not in periods: they
 * get TRAN_CHAOS_MIN_S before an output that stops getting closer is called
 * not periodic. A level far over a THD limit (enough_thd_pct > 0) is not
 * settled further. */
static int settling_ends(const struct tran_result *out, unsigned settle, unsigned cap, double last,
                         double freq_hz, double enough_thd_pct)
{
    return out->settled || settle >= cap ||
           (enough_thd_pct > 0 && out->vin_pk_v > 0 && out->thd_pct > enough_thd_pct) ||
           (out->mismatch > 0.5 * last &&
            (settle / freq_hz >= TRAN_CHAOS_MIN_S || settle >= TRAN_CHAOS_MIN_PERIODS));
}

enum as_status tran_measure(struct ngs *s, const struct netlist *amp, double freq_hz,
                            double vin_pk_v, double enough_thd_pct, unsigned *settle_periods,
                            struct tran_result *out, char *err, size_t errlen)
{
    unsigned cap = settle_cap(freq_hz);
    unsigned settle = *settle_periods ? *settle_periods : TRAN_SETTLE_MIN_PERIODS;
    if (settle > cap)
        settle = cap;
    unsigned runs = 0, periods = 0;
    double last = INFINITY;
    enum as_status st;
    for (;;) {
        st = tran_staircase(s, amp, freq_hz, &vin_pk_v, 1, settle, out, err, errlen);
        runs += out->runs;
        periods += out->periods;
        if (st != AS_OK || settling_ends(out, settle, cap, last, freq_hz, enough_thd_pct))
            break;
        last = out->mismatch;
        settle = settle * 4 > cap ? cap : settle * 4;
    }
    out->runs = runs;
    out->periods = periods;
    if (st == AS_OK && out->settled)
        *settle_periods = settle;
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
