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
static enum as_status read_vec(struct ngs *s, const char *name, size_t from, size_t n_want,
                               double **out, char *err, size_t errlen)
{
    size_t n = 0;
    free(*out);
    *out = NULL;
    enum as_status st = ngs_vec_real_from(s, name, from, out, &n, err, errlen);
    if (st == AS_OK && n != n_want)
        st = as_fail(err, errlen, AS_ESIM, "vector '%s' has %zu points, time has %zu", name, n,
                     n_want);
    return st;
}

/* Largest |x| over time points in [t0, t1] and over that period's m
 * resampled values u (which catch a sine's peak between time points: at 200
 * points a period those alone can read it 1.2e-4 low). */
static double peak(const double *t, const double *x, size_t n, double t0, double t1,
                   const double *u, size_t m)
{
    double pk = 0.0;
    for (size_t k = 0; k < n; k++)
        if (t[k] >= t0 && t[k] <= t1 && fabs(x[k]) > pk)
            pk = fabs(x[k]);
    for (size_t k = 0; k < m; k++)
        if (fabs(u[k]) > pk)
            pk = fabs(u[k]);
    return pk;
}

/* How far the second of two periods of u (spp samples each) is from
 * repeating the first: the rms difference of their DC and harmonics
 * 1..h_max over the rms of the second. Harmonics above the 10th are left
 * out: there the resampling of corners (clipping) differs from period to
 * period by interpolation alone. */
static double period_mismatch(const double *u, size_t spp, int h_max)
{
    const double *a = u, *c = u + spp;
    double d2 = 0.0, x2 = 0.0;
    for (int h = 0; h <= h_max; h++) {
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

/* Settling periods of a level after the change from level from_v: none
 * after a change of at most TRAN_STEP_TINY_DB, one after one of at most
 * TRAN_STEP_ONE_REL of the new level, else two. */
static unsigned step_settle(double from_v, double to_v)
{
    double db = to_v > 0 && from_v > 0 ? fabs(20 * log10(to_v / from_v)) : INFINITY;
    double rel = to_v > 0 && from_v > 0 ? fabs(to_v - from_v) / to_v : INFINITY;
    return db <= TRAN_STEP_TINY_DB    ? 0
           : rel <= TRAN_STEP_ONE_REL ? TRAN_STEP_SETTLE_PERIODS
                                      : 2 * TRAN_STEP_SETTLE_PERIODS;
}

/* A batch of levels in time: level k starts (its step) at step[k] and is
 * measured over [meas[k], meas[k] + period]; the batch ends with the last
 * measured period, at t_end. kink[0..n_kink-1]: where the input's envelope
 * bends, ascending (each step's ramp, and the one before the batch, whose
 * level the first window may still see), for spectrum_resample. */
struct plan {
    double step[TRAN_STAIR_MAX], meas[TRAN_STAIR_MAX];
    double t0, t_end;
    double kink[2 * TRAN_STAIR_MAX + 2];
    size_t n_kink;
};

/* prev_step_s: the run's last step before t0 (NAN: none, a start from rest) */
static void plan_times(struct plan *pl, double t0, double prev_step_s, const unsigned *settle,
                       size_t n, double period)
{
    double ramp = TRAN_RAMP_PERIODS * period;
    pl->t0 = t0;
    pl->n_kink = 0;
    if (!isnan(prev_step_s)) {
        pl->kink[pl->n_kink++] = prev_step_s;
        pl->kink[pl->n_kink++] = prev_step_s + ramp;
    }
    for (size_t k = 0; k < n; k++) {
        pl->step[k] = k ? pl->meas[k - 1] + TRAN_MEASURE_PERIODS * period : t0;
        pl->meas[k] = pl->step[k] + settle[k] * period;
        pl->kink[pl->n_kink++] = pl->step[k];
        pl->kink[pl->n_kink++] = pl->step[k] + ramp;
    }
    pl->t_end = pl->meas[n - 1] + TRAN_MEASURE_PERIODS * period;
}

/* The input's envelope as the alter command of the deck's PWL source: the
 * level held at the batch's start (from_v; 0 from rest), then each level
 * ramped in at its step, a peak of the cosine (the end of the measured
 * period before). Corner times after the start go to bkpt[0..*n_bkpt-1]. */
static int envelope_cmd(char *cmd, size_t len, double from_v, const double *vin_pk_v, size_t n,
                        const struct plan *pl, double period, double *bkpt, size_t *n_bkpt)
{
    size_t used = 0;
    int w = snprintf(cmd, len, "alter @" DECK_VENV "[pwl] = [ 0 %.17g", from_v);
    *n_bkpt = 0;
    for (size_t k = 0; w > 0 && (used += (size_t)w) < len && k < n; k++) {
        double t = pl->step[k], held = k ? vin_pk_v[k - 1] : from_v;
        w = t > 0 ? snprintf(cmd + used, len - used, " %.17g %.17g", t, held) : 0;
        if (w >= 0 && (used += (size_t)w) < len)
            w = snprintf(cmd + used, len - used, " %.17g %.17g", t + TRAN_RAMP_PERIODS * period,
                         vin_pk_v[k]);
        if (k)
            bkpt[(*n_bkpt)++] = t;
        bkpt[(*n_bkpt)++] = t + TRAN_RAMP_PERIODS * period;
    }
    /* the end, and a corner just after it: ngspice's first step after a
     * breakpoint is a tenth of the way to the next one, so the run halts
     * within TRAN_HALT_GAP_PERIODS / 10 of the end, where a next batch
     * steps at the cosine's peak */
    double t_gap = pl->t_end + TRAN_HALT_GAP_PERIODS * period;
    if (w >= 0 && used < len)
        w = snprintf(cmd + used, len - used, " %.17g %.17g %.17g %.17g ]", pl->t_end,
                     vin_pk_v[n - 1], t_gap, vin_pk_v[n - 1]);
    bkpt[(*n_bkpt)++] = pl->t_end;
    bkpt[(*n_bkpt)++] = t_gap;
    return w >= 0 && used + (size_t)w < len;
}

/* Read the run's vectors from point from on: time, v(out), the load
 * current; and the powers, summed from pw's terms. */
static enum as_status read_run(struct ngs *s, const struct deck_power *pw, size_t from,
                               struct run *r, char *err, size_t errlen)
{
    double *v = NULL, *i = NULL;
    enum as_status st = ngs_vec_real_from(s, "time", from, &r->t, &r->n, err, errlen);
    if (st == AS_OK)
        st = read_vec(s, "out", from, r->n, &r->v, err, errlen);
    if (st == AS_OK)
        st = read_vec(s, DECK_ILOAD_VEC, from, r->n, &r->i, err, errlen);
    if (st == AS_OK && pw->n_parts && !(r->p = calloc(pw->n_parts, sizeof *r->p)))
        st = as_fail(err, errlen, AS_ENOMEM, "tran: out of memory");
    for (; st == AS_OK && r->n_p < pw->n_parts; r->n_p++)
        if (!(r->p[r->n_p] = calloc(r->n, sizeof **r->p)))
            st = as_fail(err, errlen, AS_ENOMEM, "tran: out of memory");
    for (size_t k = 0; st == AS_OK && k < pw->n_terms; k++) {
        const struct deck_power_term *tm = &pw->terms[k];
        st = read_vec(s, tm->ivec, from, r->n, &i, err, errlen);
        if (st == AS_OK)
            st = read_vec(s, tm->node, from, r->n, &v, err, errlen);
        for (size_t j = 0; st == AS_OK && j < r->n; j++)
            r->p[tm->part][j] += tm->sign * v[j] * i[j];
    }
    free(v);
    free(i);
    return st;
}

/* Run the batch: go on with r's run, or start one from rest (fresh), until
 * the batch's end; then read what it added. */
static enum as_status run_batch(struct tran_run *tr, int fresh, const double *vin_pk_v, size_t n,
                                const struct plan *pl, struct run *r, char *err, size_t errlen)
{
    double period = 1.0 / tr->freq_hz;
    double tmax = period / (TRAN_STEPS_PER_HARMONIC * SPECTRUM_MAX_HARMONIC);
    /* save from a little before the first level's period before its measured one */
    double t_save = fmax(pl->meas[0] - period - 2.0 * tmax, 0.0);
    char cmd[256], env[128 * (TRAN_STAIR_MAX + 1)];
    double bkpt[2 * TRAN_STAIR_MAX + 2];
    size_t n_bkpt = 0;
    enum as_status st = AS_OK;
    if (!envelope_cmd(env, sizeof env, fresh ? 0.0 : tr->level_v, vin_pk_v, n, pl, period, bkpt,
                      &n_bkpt))
        return as_fail(err, errlen, AS_EINPUT, "tran: %zu levels are too many for one run", n);
    if (fresh) {
        tr->halted = 0;
        tr->from = 0;
        snprintf(cmd, sizeof cmd, "alter @" DECK_VOSC "[sin] = [ 0 1 %.17g 0 0 90 ]", tr->freq_hz);
        st = ngs_command(tr->s, cmd, err, errlen);
    }
    if (st == AS_OK)
        st = ngs_command(tr->s, env, err, errlen);
    snprintf(cmd, sizeof cmd, "tran %.17g %.17g %.17g %.17g", tmax,
             fmax(TRAN_RUN_MAX_PERIODS + 1, pl->t_end * tr->freq_hz + 1) * period, t_save, tmax);
    if (st == AS_OK)
        st = ngs_tran_until(tr->s, fresh ? cmd : NULL, fresh ? NULL : bkpt, fresh ? 0 : n_bkpt,
                            pl->t_end, err, errlen);
    if (st == AS_OK)
        st = read_run(tr->s, tr->pw, tr->from, r, err, errlen);
    if (st == AS_OK && (r->n < 2 || r->t[0] > fmax(pl->meas[0] - period, t_save + 2.0 * tmax)))
        st = as_fail(err, errlen, AS_ESIM, "the transient saved %g..%g s, not %g..%g s",
                     r->n ? r->t[0] : 0.0, r->n ? r->t[r->n - 1] : 0.0, pl->meas[0] - period,
                     pl->t_end);
    if (st != AS_OK)
        return st;
    /* the next batch may measure the period before where this one halted */
    size_t k = r->n - 1;
    while (k > 0 && r->t[k] > r->t[r->n - 1] - period)
        k--;
    tr->from += k;
    tr->t_halt_s = r->t[r->n - 1];
    /* a halt further on would step off the peak: the next batch starts afresh */
    tr->halted = tr->t_halt_s - pl->t_end <= TRAN_HALT_GAP_PERIODS * period;
    tr->level_v = vin_pk_v[n - 1];
    tr->last_step_s = pl->step[n - 1];
    return AS_OK;
}

/* The measurement of the period starting at t0 (s) of a run: THD, output,
 * powers, and whether it repeated the period before, scaled about its mean
 * by before_scale (the change of level when there was no settling). */
static enum as_status measure_window(const struct netlist *amp, const struct run *r,
                                     const struct plan *pl, double freq_hz, double t0,
                                     double before_scale, struct window *w, struct tran_result *out,
                                     char *err, size_t errlen)
{
    const size_t spp = TRAN_SAMPLES_PER_PERIOD;
    /* samples sit half a sample into the window: a step of level at the
     * start of a period (its ramp shorter than that) falls between samples,
     * not on the first one (measured: a first sample on the old level of a
     * 6 dB step read as a mismatch of 3.4e-3 one period after the step) */
    double period = 1.0 / freq_hz, half = 0.5 * period / (double)spp;
    double t1 = t0 + period;
    t0 += half;
    spectrum_resample(r->t, r->v, r->n, pl->kink, pl->n_kink, t0 - period, t1 + half, 2 * spp,
                      w->uv);
    /* after no settling: the period before scaled, its DC and fundamental
     * only (the harmonics of a clipped output change with level, by 25 % in
     * 0.045 dB near 1 % THD; a slow network's start-up term, an exponential
     * over the period, shows in the DC and fundamental first) */
    double m = mean(w->uv, spp);
    for (size_t k = 0; before_scale != 1.0 && k < spp; k++)
        w->uv[k] = m + (w->uv[k] - m) * before_scale;
    out->mismatch = period_mismatch(w->uv, spp, before_scale != 1.0 ? 1 : SPECTRUM_MAX_HARMONIC);
    out->settled = out->mismatch <= TRAN_SETTLED_REL;
    const double *uv = w->uv + spp;
    struct spectrum_result sp;
    enum as_status st = AS_OK;
    if (out->vin_pk_v > 0) {
        st = spectrum_periods(uv, spp, TRAN_MEASURE_PERIODS, &sp, err, errlen);
        out->thd_pct = sp.thd_pct;
        out->thdn_pct = sp.thdn_pct;
    }
    if (st != AS_OK)
        return st;
    spectrum_resample(r->t, r->i, r->n, pl->kink, pl->n_kink, t0, t1 + half, spp, w->ui);
    double v_dc = mean(uv, spp), i_dc = mean(w->ui, spp);
    out->vout_rms_v = sqrt(fmax(mean_product(uv, uv, spp) - v_dc * v_dc, 0.0));
    out->vout_pk_v = peak(r->t, r->v, r->n, t0, t1, uv, spp);
    out->iout_pk_a = peak(r->t, r->i, r->n, t0, t1, w->ui, spp);
    out->p_load_w = mean_product(uv, w->ui, spp);
    out->p_load_ac_w = out->p_load_w - v_dc * i_dc;
    assert(amp->n_devices <= NETLIST_MAX_DEVICES);
    for (size_t k = 0; k < r->n_p; k++) {
        spectrum_resample(r->t, r->p[k], r->n, pl->kink, pl->n_kink, t0, t1 + half, spp, w->up);
        double p = mean(w->up, spp);
        if (k < amp->n_supplies)
            out->p_supply_w -= p; /* the terms give power absorbed */
        else
            out->p_dev_w[k - amp->n_supplies] = p;
    }
    out->p_amp_w = out->p_supply_w - out->p_load_w;
    return AS_OK;
}

void tran_run_init(struct tran_run *tr, struct ngs *s, const struct netlist *amp,
                   const struct deck_power *pw, double freq_hz)
{
    memset(tr, 0, sizeof *tr);
    tr->s = s;
    tr->amp = amp;
    tr->pw = pw;
    tr->freq_hz = freq_hz;
}

/* Levels vin_pk_v[0..n-1], level k measured after settle[k] periods from its
 * step (for a fresh run, the first from rest). */
static enum as_status run_levels(struct tran_run *tr, int fresh, const double *vin_pk_v,
                                 const unsigned *settle, size_t n, struct tran_result *out,
                                 char *err, size_t errlen)
{
    double freq_hz = tr->freq_hz, period = 1.0 / freq_hz;
    if (!(freq_hz > 0) || !isfinite(freq_hz) || n == 0 || n > TRAN_STAIR_MAX)
        return as_fail(err, errlen, AS_EINPUT, "tran: bad frequency %g Hz or %zu levels", freq_hz,
                       n);
    for (size_t k = 0; k < n; k++) {
        memset(&out[k], 0, sizeof out[k]);
        out[k].freq_hz = freq_hz;
        out[k].vin_pk_v = vin_pk_v[k];
        out[k].settle_periods = settle[k];
        if (!(vin_pk_v[k] >= 0) || !isfinite(vin_pk_v[k]))
            return as_fail(err, errlen, AS_EINPUT, "tran: bad level %g V", vin_pk_v[k]);
    }
    struct plan pl;
    plan_times(&pl, fresh ? 0.0 : tr->t_halt_s, fresh ? NAN : tr->last_step_s, settle, n, period);
    if (!fresh && pl.t_end > TRAN_RUN_MAX_PERIODS * period) {
        /* long enough: a new run from rest, its first level settled as one */
        unsigned again[TRAN_STAIR_MAX];
        memcpy(again, settle, n * sizeof *settle);
        if (again[0] < TRAN_SETTLE_MIN_PERIODS)
            again[0] = TRAN_SETTLE_MIN_PERIODS;
        return run_levels(tr, 1, vin_pk_v, again, n, out, err, errlen);
    }
    struct run r = {0};
    struct window *w = malloc(sizeof *w);
    double from_v = fresh ? 0.0 : tr->level_v;
    enum as_status st = w ? AS_OK : as_fail(err, errlen, AS_ENOMEM, "tran: out of memory");
    if (st == AS_OK)
        st = run_batch(tr, fresh, vin_pk_v, n, &pl, &r, err, errlen);
    out[0].runs = fresh ? 1 : 0;
    out[0].periods = (unsigned)lround((pl.t_end - pl.t0) * freq_hz);
    for (size_t k = 0; k < n && st == AS_OK; k++) {
        double before_v = k ? vin_pk_v[k - 1] : from_v;
        double scale = settle[k] == 0 && before_v > 0 ? vin_pk_v[k] / before_v : 1.0;
        st = measure_window(tr->amp, &r, &pl, freq_hz, pl.meas[k], scale, w, &out[k], err, errlen);
    }
    if (st != AS_OK)
        tr->halted = 0; /* the next batch starts afresh */
    free(w);
    run_free(&r);
    return st;
}

enum as_status tran_run_levels(struct tran_run *tr, const double *vin_pk_v, size_t n,
                               unsigned first_settle, struct tran_result *out, char *err,
                               size_t errlen)
{
    unsigned settle[TRAN_STAIR_MAX];
    int fresh = !tr->halted;
    for (size_t k = 0; k < n && k < TRAN_STAIR_MAX; k++)
        settle[k] = k       ? step_settle(vin_pk_v[k - 1], vin_pk_v[k])
                    : fresh ? (first_settle ? first_settle : TRAN_SETTLE_MIN_PERIODS)
                            : step_settle(tr->level_v, vin_pk_v[0]);
    return run_levels(tr, fresh, vin_pk_v, settle, n, out, err, errlen);
}

enum as_status tran_run_step(struct tran_run *tr, double vin_pk_v, unsigned first_settle,
                             double enough_thd_pct, struct tran_result *out, char *err,
                             size_t errlen)
{
    int fresh = !tr->halted;
    unsigned settle = !fresh         ? step_settle(tr->level_v, vin_pk_v)
                      : first_settle ? first_settle
                                     : TRAN_SETTLE_MIN_PERIODS;
    if (!(enough_thd_pct > 0) || settle <= 1)
        return run_levels(tr, fresh, &vin_pk_v, &settle, 1, out, err, errlen);
    unsigned look = 1;
    enum as_status st = run_levels(tr, fresh, &vin_pk_v, &look, 1, out, err, errlen);
    if (st != AS_OK)
        return st;
    if (out->thd_pct > enough_thd_pct) {
        out->settled = 0;
        return AS_OK;
    }
    unsigned runs = out->runs, periods = out->periods;
    unsigned hold = settle - look - TRAN_MEASURE_PERIODS;
    if (tr->halted)
        st = run_levels(tr, 0, &vin_pk_v, &hold, 1, out, err, errlen);
    else { /* the halt slipped: settled from rest instead */
        settle = settle > TRAN_SETTLE_MIN_PERIODS ? settle : TRAN_SETTLE_MIN_PERIODS;
        st = run_levels(tr, 1, &vin_pk_v, &settle, 1, out, err, errlen);
    }
    out->runs += runs;
    out->periods += periods;
    out->settle_periods = settle;
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

enum as_status tran_run_measure(struct tran_run *tr, double vin_pk_v, double enough_thd_pct,
                                unsigned *settle_periods, struct tran_result *out, char *err,
                                size_t errlen)
{
    unsigned cap = settle_cap(tr->freq_hz);
    int fresh = !tr->halted;
    unsigned settle = !fresh            ? step_settle(tr->level_v, vin_pk_v)
                      : *settle_periods ? *settle_periods
                                        : TRAN_SETTLE_MIN_PERIODS;
    if (settle > cap)
        settle = cap;
    unsigned runs = 0, periods = 0;
    double last = INFINITY;
    enum as_status st = run_levels(tr, fresh, &vin_pk_v, &settle, 1, out, err, errlen);
    for (;;) {
        runs += out->runs;
        periods += out->periods;
        if (st != AS_OK || settling_ends(out, settle, cap, last, tr->freq_hz, enough_thd_pct))
            break;
        /* hold the level on: settled four times as long, counted from its
         * step (one period when it was measured right after it) */
        last = out->mismatch;
        unsigned next = settle == 0 ? 1 : settle * 4 > cap ? cap : settle * 4;
        unsigned hold = next - settle - TRAN_MEASURE_PERIODS;
        if (tr->halted &&
            tr->t_halt_s * tr->freq_hz + hold + TRAN_MEASURE_PERIODS <= TRAN_RUN_MAX_PERIODS)
            st = run_levels(tr, 0, &vin_pk_v, &hold, 1, out, err, errlen);
        else { /* past the longest run: settled that long from rest instead */
            next = next > TRAN_SETTLE_MIN_PERIODS ? next : TRAN_SETTLE_MIN_PERIODS;
            st = run_levels(tr, 1, &vin_pk_v, &next, 1, out, err, errlen);
        }
        out->settle_periods = settle = next;
    }
    out->runs = runs;
    out->periods = periods;
    if (st == AS_OK && out->settled && fresh)
        *settle_periods = settle;
    return st;
}

enum as_status tran_measure(struct ngs *s, const struct netlist *amp, const struct deck_power *pw,
                            double freq_hz, double vin_pk_v, double enough_thd_pct,
                            unsigned *settle_periods, struct tran_result *out, char *err,
                            size_t errlen)
{
    struct tran_run tr;
    tran_run_init(&tr, s, amp, pw, freq_hz);
    return tran_run_measure(&tr, vin_pk_v, enough_thd_pct, settle_periods, out, err, errlen);
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

enum as_status tran_quiescent(struct ngs *s, const struct netlist *amp, const struct deck_power *pw,
                              struct tran_result *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->settled = 1;
    double v = 0, i = 0;
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
    assert(pw->n_parts == amp->n_supplies + amp->n_devices);
    for (size_t k = 0; k < pw->n_terms && st == AS_OK; k++) {
        const struct deck_power_term *tm = &pw->terms[k];
        double vt = 0.0, it = 0.0;
        st = value(s, tm->ivec, &it, err, errlen);
        if (st == AS_OK)
            st = value(s, tm->node, &vt, err, errlen);
        double p = tm->sign * vt * it; /* absorbed */
        if (tm->part < amp->n_supplies)
            out->p_supply_w -= p;
        else
            out->p_dev_w[tm->part - amp->n_supplies] += p;
    }
    for (size_t k = 0; k < amp->n_supplies && st == AS_OK; k++) {
        const struct netlist_supply *sup = &amp->supplies[k];
        double vp = 0.0, vn = 0.0;
        if (!deck_is_ground(sup->node_pos))
            st = value(s, sup->node_pos, &vp, err, errlen);
        if (st == AS_OK && !deck_is_ground(sup->node_neg))
            st = value(s, sup->node_neg, &vn, err, errlen);
        out->supply_span_v += fabs(vp - vn);
    }
    out->p_amp_w = out->p_supply_w - out->p_load_w;
    return st;
}
