/* large: clipping level, maximum power, limit cause and dissipation.
 *
 * Exists to turn "how loud before it distorts, and how hot" into numbers
 * per amp, load and frequency. The clipping search is a plain function of a
 * callback so it can be tested against closed forms without a simulator;
 * everything else drives one transient run per point (tran_run) on a
 * DECK_LARGE circuit.
 */
#include "engine/large.h"

#include <assert.h>
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deck.h"
#include "engine/spectrum.h"
#include "engine/tran.h"

/* Amplitude fractions of the clipping level the dissipation is measured at
 * (then once more at the vertex of a parabola through the largest and its
 * neighbours: docs/metrics.md, "Worst level"); the second is 1/sqrt(8), the
 * 1/8-power level heat is judged at (LARGE_MUSIC_FRACTION). Without 0.8 a
 * device's own worst can read 4.7 % low (portable into 11.9 ohm). */
static const double worst_grid[] = {0.2, 0.35355339059327373, 0.6, 0.8};
#define GRID_EIGHTH 1
#define N_GRID (sizeof worst_grid / sizeof *worst_grid)

const char *large_limit_name(enum large_limit limit)
{
    switch (limit) {
    case LARGE_NONE:
        return "none";
    case LARGE_VOLTAGE:
        return "voltage";
    case LARGE_CURRENT:
        return "current";
    case LARGE_SLEW:
        return "slew";
    case LARGE_UNKNOWN:
        return "unknown";
    case LARGE_FAILED:
        break;
    }
    return "failed";
}

void large_table_free(struct large_table *t)
{
    if (!t)
        return;
    free(t->rows);
    memset(t, 0, sizeof *t);
}

/* The clipping search's state: the bracket [lo, hi] of levels within and
 * over the limit, and what was seen at its ends. */
struct search {
    double lo, hi; /* highest level within the limit, lowest over it */
    double thd_lo, thd_hi, vpk_hi;
    double hi2, thd_hi2; /* the fail level before hi */
    double ceiling, floor_db;
    double limit_pct, log_lim;
    double gain;
    double step_up, step_down;
    int side, streak; /* bracketed batches in a row on the same side of the limit */
    int near_down;    /* batches sent under every level so far by clip_thd_guess */
    /* the local slope of ln THD per dB at a bracket end set by a batch that
     * stayed on one side (both of its nearest levels distorted) */
    int have_slope;
    double slope_x, slope_ln_thd, slope_per_db;
};

static void search_init(struct search *sr, double seed_db, double gain, double thd_limit_pct)
{
    *sr = (struct search){.lo = -INFINITY,
                          .hi = INFINITY,
                          .hi2 = INFINITY,
                          .ceiling = seed_db + LARGE_CEILING_DB,
                          .floor_db = seed_db + LARGE_FLOOR_DB,
                          .limit_pct = thd_limit_pct,
                          .log_lim = log(thd_limit_pct),
                          .gain = gain,
                          .step_up = 6.0,
                          .step_down = 1.0};
}

static int bracketed(const struct search *sr)
{
    return isfinite(sr->lo) && isfinite(sr->hi);
}

/* Narrow the bracket with the THD and output peak measured at level x. */
static void search_record(struct search *sr, double x, double thd, double vpk)
{
    if (thd <= sr->limit_pct) {
        if (x > sr->lo) {
            sr->lo = x;
            sr->thd_lo = thd;
        }
    } else if (x < sr->hi) {
        sr->hi2 = sr->hi;
        sr->thd_hi2 = sr->thd_hi;
        sr->hi = x;
        sr->thd_hi = thd;
        sr->vpk_hi = vpk;
    }
}

/* The input level whose undistorted output would peak where the over-limit
 * output did: where clipping begins (-INFINITY when unknown). */
static double clip_start_db(const struct search *sr)
{
    if (isfinite(sr->hi) && sr->vpk_hi > 0 && sr->gain > 0)
        return 20.0 * log10(sr->vpk_hi / sr->gain);
    return -INFINITY;
}

/* THD grows as a power of the level above clipping's start (xc): fit the
 * power through the bracket, else through the last two levels over the
 * limit, else assume 1.1 (a hard clipper's from 1 % to 13 %, 0.3 to 3 dB
 * over: tests/clip_closed_form.h); kept in 0.5..4. */
static double thd_power(const struct search *sr, double xc)
{
    double p = 1.1;
    if (sr->lo > xc && sr->thd_lo > 0)
        p = (log(sr->thd_hi) - log(sr->thd_lo)) / (log(sr->hi - xc) - log(sr->lo - xc));
    else if (isfinite(sr->hi2))
        p = (log(sr->thd_hi2) - log(sr->thd_hi)) / (log(sr->hi2 - xc) - log(sr->hi - xc));
    return fmin(fmax(p, 0.5), 4.0);
}

/* THD (%, harmonics 3..9) of a sine hard-clipped over_db above where it
 * starts to clip: the Fourier series of a clipped sine, with theta =
 * asin(1 / a), a = 10^(over_db / 20) and the clipping level 1:
 *   b1 = (2a / pi) (theta + sin theta cos theta)
 *   bk = (4 / pi) [a (sin((k-1) theta) / (2(k-1)) - sin((k+1) theta) / (2(k+1)))
 *                  + cos(k theta) / k]                                (k odd) */
static double hardclip_thd_pct(double over_db)
{
    double a = pow(10.0, over_db / 20.0);
    if (a <= 1.0)
        return 0.0;
    double th = asin(1.0 / a), b1 = 2 * a / M_PI * (th + sin(th) * cos(th)), h2 = 0.0;
    for (int k = 3; k <= SPECTRUM_MAX_HARMONIC; k += 2) {
        double bk = 4 / M_PI *
                    (a * (sin((k - 1) * th) / (2 * (k - 1)) - sin((k + 1) * th) / (2 * (k + 1))) +
                     cos(k * th) / k);
        h2 += bk * bk;
    }
    return 100 * sqrt(h2) / b1;
}

/* How far over the start of clipping a hard clipper reaches thd_pct (dB;
 * 0.27 dB at 1 %), by bisection; NAN when it never does. */
static double hardclip_over_db(double thd_pct)
{
    double lo = 0.0, hi = 40.0;
    if (!(hardclip_thd_pct(hi) > thd_pct))
        return NAN;
    while (hi - lo > 1e-4) {
        double mid = 0.5 * (lo + hi);
        if (hardclip_thd_pct(mid) > thd_pct)
            hi = mid;
        else
            lo = mid;
    }
    return 0.5 * (lo + hi);
}

/* Where a hard clipper that reads the lowest over-limit level's THD there
 * crosses the limit, when that THD is at most LARGE_CLIP_MODEL_FACTOR times
 * the limit; else NAN. */
static double clip_thd_guess(const struct search *sr)
{
    double d = hardclip_over_db(sr->limit_pct);
    double d_hi = isfinite(sr->hi) && sr->thd_hi <= LARGE_CLIP_MODEL_FACTOR * sr->limit_pct
                      ? hardclip_over_db(sr->thd_hi)
                      : NAN;
    return isfinite(d) && isfinite(d_hi) && d_hi > d ? sr->hi - d_hi + d : NAN;
}

/* The level inside the bracket where the THD should cross the limit: with
 * both ends near and distorted, THD log-linear in level between them; with
 * a batch's two nearest levels at one end, its local slope from there; with
 * distortion measured over where clipping begins (xc), the power law through
 * the bracket; with the level over the limit at most LARGE_CLIP_MODEL_FACTOR
 * times it, a hard clipper that reads that THD there (*near set: the model
 * is then good to a few hundredths of a dB); with only a far level over the
 * limit, a hard clipper starting at xc; else the middle. */
static double interpolate(const struct search *sr, double xc, int have_xc, int *near)
{
    double w = sr->hi - sr->lo;
    *near = 0;
    if (w <= LARGE_LOCAL_DB && sr->thd_lo > 0)
        return sr->lo + (sr->log_lim - log(sr->thd_lo)) / (log(sr->thd_hi) - log(sr->thd_lo)) * w;
    if (sr->have_slope && (sr->slope_x == sr->lo || sr->slope_x == sr->hi))
        return sr->slope_x + (sr->log_lim - sr->slope_ln_thd) / sr->slope_per_db;
    if (have_xc && sr->lo > xc && sr->thd_lo > 0)
        return xc + (sr->hi - xc) * exp((sr->log_lim - log(sr->thd_hi)) / thd_power(sr, xc));
    double d = hardclip_over_db(sr->limit_pct), g = clip_thd_guess(sr);
    if (isfinite(g)) {
        *near = 1;
        return g;
    }
    if (have_xc && isfinite(d))
        return xc + d;
    if (sr->thd_lo > 0)
        return sr->lo + (sr->log_lim - log(sr->thd_lo)) / (log(sr->thd_hi) - log(sr->thd_lo)) * w;
    return sr->lo + 0.5 * w;
}

/* Bracketed: found when it is narrow enough, else the next batch inside it
 * into x[0..*n-1], ascending. When LARGE_BATCH_LOCAL levels at most
 * LARGE_FINE_STEP_DB apart fill the bracket, the batch fills it and the
 * search ends after it; otherwise levels around where the model puts the
 * crossing (the middle, after three batches in a row on one side of the
 * limit: soft current limiting does not follow the model): in a bracket
 * wider than LARGE_LOCAL_DB, where the model guesses, LARGE_BATCH_WIDE
 * levels LARGE_WIDE_STEP_DB apart, to bracket the crossing that closely
 * whatever the guess missed by; in a narrower one LARGE_BATCH_LOCAL levels
 * LARGE_FINE_STEP_DB apart. Returns 1 when found. */
static int next_in_bracket(struct search *sr, double *x, size_t *n, double xc, int have_xc,
                           enum large_search_end *end, double *pass_db)
{
    double w = sr->hi - sr->lo;
    if (w <= LARGE_TOL_DB) {
        *end = LARGE_FOUND;
        *pass_db = sr->lo;
        return 1;
    }
    size_t fill = (size_t)ceil(w / LARGE_FINE_STEP_DB) - 1;
    if (fill < 1)
        fill = 1;
    int local = w <= LARGE_LOCAL_DB;
    size_t size = local ? LARGE_BATCH_LOCAL : LARGE_BATCH_WIDE;
    double step = local ? LARGE_FINE_STEP_DB : LARGE_WIDE_STEP_DB;
    if (fill <= LARGE_BATCH_LOCAL) {
        for (size_t k = 0; k < fill; k++)
            x[k] = sr->lo + w * (double)(k + 1) / (double)(fill + 1);
        *n = fill;
        return 0;
    }
    double c = sr->lo + 0.5 * w;
    int near = 0;
    if (sr->streak < 3)
        c = interpolate(sr, xc, have_xc, &near);
    else
        sr->streak = 0;
    if (near && !local) { /* a wide bracket, but a near guess: fine steps, mostly under it */
        size = LARGE_BATCH_NEAR, step = LARGE_FINE_STEP_DB;
        c -= LARGE_NEAR_SKEW_STEPS * step;
    }
    double half = 0.5 * (double)(size - 1) * step;
    if (2 * half + step > w) /* a wide batch that does not fit: fine steps */
        step = LARGE_FINE_STEP_DB, half = 0.5 * (double)(size - 1) * step;
    c = fmin(fmax(c, sr->lo + half + 0.5 * step), sr->hi - half - 0.5 * step);
    for (size_t k = 0; k < size; k++)
        x[k] = c - half + (double)k * step;
    *n = size;
    return 0;
}

/* Within the limit at every level so far: the ceiling ends the search,
 * else the next level is a doubling step higher. Returns 1 at the ceiling. */
static int next_upward(struct search *sr, double *x, enum large_search_end *end, double *pass_db)
{
    if (sr->lo >= sr->ceiling) {
        *end = LARGE_CEILING;
        *pass_db = sr->lo;
        return 1;
    }
    *x = fmin(sr->lo + sr->step_up, sr->ceiling);
    sr->step_up *= 2;
    return 0;
}

/* Over the limit at every level so far: the floor ends the search, else the
 * next batch is where clipping begins (xc) and LARGE_BATCH_LOCAL levels
 * around where a hard clipper starting there crosses the limit, or a
 * doubling step lower. Returns 1 at the floor. */
static int next_downward(struct search *sr, double *x, size_t *n, double xc, int have_xc,
                         enum large_search_end *end)
{
    if (sr->hi <= sr->floor_db) {
        *end = LARGE_NO_PASS;
        return 1;
    }
    *n = 1;
    double g = sr->near_down < LARGE_NEAR_DOWN_MAX ? clip_thd_guess(sr) : NAN;
    if (isfinite(g)) { /* near the limit already: fine steps, mostly under the guess */
        sr->near_down++;
        double c = g - LARGE_NEAR_SKEW_STEPS * LARGE_FINE_STEP_DB;
        double x0 = c - 0.5 * (LARGE_BATCH_NEAR - 1) * LARGE_FINE_STEP_DB;
        for (*n = 0; *n < LARGE_BATCH_NEAR; ++*n) {
            double xk = x0 + (double)*n * LARGE_FINE_STEP_DB;
            if (xk >= sr->hi - 0.5 * LARGE_FINE_STEP_DB)
                break;
            x[*n] = xk;
        }
        if (*n > 0)
            return 0;
        *n = 1;
    }
    if (!(have_xc && xc < sr->hi - LARGE_TOL_DB)) {
        x[0] = fmax(sr->hi - sr->step_down, sr->floor_db);
        sr->step_down *= 2;
        return 0;
    }
    x[0] = fmax(xc, sr->floor_db);
    double c = xc + hardclip_over_db(sr->limit_pct);
    for (size_t k = 0; k < LARGE_BATCH_LOCAL && isfinite(c); k++) {
        double xk = c + ((double)k - 0.5 * (LARGE_BATCH_LOCAL - 1)) * LARGE_FINE_STEP_DB;
        if (xk > x[*n - 1] + 0.5 * LARGE_FINE_STEP_DB && xk < sr->hi)
            x[(*n)++] = xk;
    }
    return 0;
}

/* The slope of ln THD between levels a and b of a batch (a nearest the
 * limit), kept when both are distorted and THD rises with level. */
static void keep_slope(struct search *sr, double xa, double ta, double xb, double tb)
{
    double k = ta > 0 && tb > 0 ? (log(tb) - log(ta)) / (xb - xa) : 0;
    sr->have_slope = k > 0 && isfinite(k);
    if (sr->have_slope) {
        sr->slope_x = xa;
        sr->slope_ln_thd = log(ta);
        sr->slope_per_db = k;
    }
}

/* After a batch was tried: 1 when the search has ended (*end, *pass_db),
 * else the next batch into x[0..*n-1]. */
static int search_next(struct search *sr, double *x, size_t *n, enum large_search_end *end,
                       double *pass_db)
{
    double xc = clip_start_db(sr);
    int have_xc = isfinite(xc) && xc < sr->hi - 1e-9;
    *n = 1;
    if (bracketed(sr))
        return next_in_bracket(sr, x, n, xc, have_xc, end, pass_db);
    if (!isfinite(sr->hi))
        return next_upward(sr, x, end, pass_db);
    return next_downward(sr, x, n, xc, have_xc, end);
}

/* Record a batch's levels; a batch wholly on one side of the limit counts
 * towards the streak once. */
static void search_record_batch(struct search *sr, const double *x, const double *thd,
                                const double *vpk, size_t n)
{
    int was = bracketed(sr), side = sr->side, streak = sr->streak;
    for (size_t k = 0; k < n; k++)
        search_record(sr, x[k], thd[k], vpk[k]);
    if (!was || !bracketed(sr))
        return;
    int all_over = thd[0] > sr->limit_pct, all_within = thd[n - 1] <= sr->limit_pct;
    int now = all_over ? 1 : all_within ? -1 : 0;
    sr->have_slope = 0;
    if (all_over && n >= 2)
        keep_slope(sr, x[0], thd[0], x[1], thd[1]);
    else if (all_within && n >= 2)
        keep_slope(sr, x[n - 1], thd[n - 1], x[n - 2], thd[n - 2]);
    sr->side = now;
    sr->streak = now && now == side ? streak + 1 : now ? 1 : 0;
}

int large_batch_done(const double *thd_pct, size_t k, double thd_limit_pct)
{
    /* an earlier level was either within the limit or over it: both end it */
    return k >= 1 && thd_pct[k] > thd_limit_pct;
}

enum as_status large_search(large_eval_fn eval, void *ctx, double seed_db, double gain,
                            double thd_limit_pct, enum large_search_end *end, double *pass_db,
                            unsigned *evals, char *err, size_t errlen)
{
    struct search sr;
    search_init(&sr, seed_db, gain, thd_limit_pct);
    /* the first batch: the seed alone; over the limit, its THD puts the
     * next batch near the crossing (clip_thd_guess) */
    double x[LARGE_BATCH_MAX] = {seed_db};
    size_t n = 1;
    enum as_status st = AS_OK;
    *evals = 0;
    *pass_db = NAN;
    for (int ended = 0; !ended && st == AS_OK;) {
        if (*evals >= LARGE_MAX_EVALS) {
            st = as_fail(err, errlen, AS_ESIM,
                         "the clipping search did not converge in %d batches (%.3f..%.3f dB)",
                         LARGE_MAX_EVALS, sr.lo, sr.hi);
            break;
        }
        double thd[LARGE_BATCH_MAX] = {0}, vpk[LARGE_BATCH_MAX] = {0};
        size_t done = n;
        st = eval(ctx, x, n, thd, vpk, &done, err, errlen);
        ++*evals;
        assert(st != AS_OK || (done >= 1 && done <= n));
        if (st == AS_OK) {
            search_record_batch(&sr, x, thd, vpk, done);
            ended = search_next(&sr, x, &n, end, pass_db);
        }
    }
    return st;
}

static void row_init(struct large_row *row, const struct netlist *amp, const char *load,
                     double load_ohm);

/* One amp into one load at one frequency: the search's view of tran. */
struct point {
    struct ngs *s;
    const struct netlist *amp;
    const struct deck_power *pw;
    double freq_hz;
    double thd_limit_pct;
    struct tran_run run; /* the point's transient run, held between batches */
    unsigned settle;     /* settling periods from rest that worked last */
    unsigned runs;       /* transient analyses so far */
    unsigned periods;    /* periods they simulated */
    int have_best;
    int from_rest;  /* levels after one over the limit in a new run from rest (confirm_best) */
    int last_over;  /* the level before was over the limit */
    int hf_seen;    /* some level had THD+N over LARGE_HF_RATIO x its THD */
    double gain;    /* small-signal gain at the point's frequency (V/V) */
    double best_db; /* highest level within the limit so far */
    struct tran_result best;
    struct large_row *row; /* its curve receives every clean level */
};

/* Keep a clean level on the row's THD-against-power curve. */
static void curve_add(struct large_row *row, const struct tran_result *r)
{
    if (!row || !r->settled || row->n_curve == LARGE_CURVE_MAX || !(r->vin_pk_v > 0))
        return;
    size_t k = row->n_curve++;
    while (k > 0 && row->curve[k - 1].p_w > r->p_load_ac_w) {
        row->curve[k] = row->curve[k - 1];
        k--;
    }
    row->curve[k] = (struct large_curve_point){.p_w = r->p_load_ac_w, .thd_pct = r->thd_pct};
}

/* What the search sees of level level_db, measured as r. */
static void point_take(struct point *p, double level_db, const struct tran_result *r, double *thd,
                       double *vpk)
{
    /* an output that never repeats itself is not a clean sine at any THD, nor
     * one with much more content above the 10th harmonic than below (a
     * parasitic oscillation locked to the signal) */
    int hf = r->thdn_pct > LARGE_HF_RATIO * fmax(r->thd_pct, p->thd_limit_pct);
    p->hf_seen |= hf;
    if (!hf)
        curve_add(p->row, r);
    /* a level far enough over the limit was not settled further: its THD
     * stands (the search's models read it) */
    int far_over = r->thd_pct > LARGE_ENOUGH_THD_FACTOR * p->thd_limit_pct;
    *thd =
        (r->settled || far_over) && !hf ? r->thd_pct : fmax(r->thdn_pct, 10.0 * p->thd_limit_pct);
    *vpk = r->vout_pk_v;
    if (r->settled && !hf && r->thd_pct <= p->thd_limit_pct &&
        (!p->have_best || level_db > p->best_db)) {
        p->have_best = 1;
        p->best_db = level_db;
        p->best = *r;
    }
}

/* A level that did not settle in its batch, measured again until it does:
 * held on when the run holds it (it has been settling since its step), else
 * in a new run from rest, whose cosine start leaves a known, small DC (a
 * step back to it from the batch's last level would leave it as unsettled
 * as before). */
static enum as_status level_again(struct point *p, double vin_pk_v, double enough_thd_pct,
                                  struct tran_result *r, char *err, size_t errlen)
{
    if (!(p->run.halted && p->run.level_v == vin_pk_v))
        tran_run_init(&p->run, p->s, p->amp, p->pw, p->freq_hz);
    unsigned settle = p->settle;
    enum as_status st =
        tran_run_measure(&p->run, vin_pk_v, enough_thd_pct, &settle, r, err, errlen);
    p->runs += r->runs;
    p->periods += r->periods;
    if (st == AS_OK && r->settled && r->thd_pct <= p->thd_limit_pct)
        p->settle = settle;
    return st;
}

/* A batch of the search: its levels in turn, each going on with the
 * point's run, until large_batch_done; a level that did not settle and is
 * not far over the limit is held until it does (level_again). */
static enum as_status point_eval(void *vctx, const double *level_db, size_t n, double *thd,
                                 double *vpk, size_t *n_done, char *err, size_t errlen)
{
    struct point *p = vctx;
    double enough = LARGE_ENOUGH_THD_FACTOR * p->thd_limit_pct;
    enum as_status st = AS_OK;
    assert(n >= 1 && n <= LARGE_BATCH_MAX);
    *n_done = 0;
    for (size_t k = 0; k < n && st == AS_OK; k++) {
        struct tran_result r;
        double vin = pow(10.0, level_db[k] / 20.0);
        if (p->from_rest && p->last_over)
            tran_run_init(&p->run, p->s, p->amp, p->pw, p->freq_hz);
        st = tran_run_step(&p->run, vin, p->settle, enough, &r, err, errlen);
        p->runs += r.runs;
        p->periods += r.periods;
        if (st == AS_OK && !r.settled && !(r.thd_pct > enough))
            st = level_again(p, vin, enough, &r, err, errlen);
        if (st != AS_OK)
            break;
        point_take(p, level_db[k], &r, &thd[k], &vpk[k]);
        p->last_over = thd[k] > p->thd_limit_pct;
        *n_done = k + 1;
        if (large_batch_done(thd, k, p->thd_limit_pct))
            break;
    }
    return st;
}

/* Measure where an unsettled output is an error: a step of the point's
 * run, or, with again, a level measured again as level_again does. */
static enum as_status measure_settled(struct point *p, double vin_pk_v, int again,
                                      struct tran_result *r, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    if (again) {
        st = level_again(p, vin_pk_v, 0, r, err, errlen);
    } else {
        st = tran_run_measure(&p->run, vin_pk_v, 0, &p->settle, r, err, errlen);
        p->runs += r->runs;
        p->periods += r->periods;
    }
    if (st == AS_OK)
        curve_add(p->row, r);
    if (st == AS_OK && !r->settled)
        st = as_fail(err, errlen, AS_ESIM,
                     "the output is not periodic at %g Hz, %g V in: after %u periods its last two "
                     "periods differ by %.2g %% of its rms (it oscillates or has not settled)",
                     p->freq_hz, vin_pk_v, r->settle_periods, 100 * r->mismatch);
    return st;
}

/* The search's answer measured again in a new run from rest, and the level
 * LARGE_TOL_DB over it, stepped to in the same run (*ok: within the limit
 * and over it there too; the first is then the point's best). A run that
 * goes on from levels far over the limit can read a level clean, or
 * distorted, while the DC they pumped into a slow network (a coupling
 * capacitor, a speaker's box) drains too slowly for the settling test to
 * see. Measured: class_a into bookshelf_8ohm read 0.0006 % THD at 2.44 V
 * rms at 1 kHz, where a run from rest reads 25 % and THD crosses 1 % at
 * 1.18 V; and at 20 kHz it crossed 1 % at 1.33 V, where from rest THD
 * reads 0.002 % up to 1.60 V. The dissipation levels go on from this run. */
static enum as_status confirm_best(struct point *p, double best_db, int *ok, char *err,
                                   size_t errlen)
{
    struct tran_result r, over;
    unsigned settle = p->settle;
    double limit = p->thd_limit_pct, enough = LARGE_ENOUGH_THD_FACTOR * limit;
    tran_run_init(&p->run, p->s, p->amp, p->pw, p->freq_hz);
    /* over twice the limit it has failed: not settled further */
    enum as_status st =
        tran_run_measure(&p->run, p->best.vin_pk_v, enough, &settle, &r, err, errlen);
    p->runs += r.runs;
    p->periods += r.periods;
    int hf = r.thdn_pct > LARGE_HF_RATIO * fmax(r.thd_pct, limit);
    *ok = st == AS_OK && r.settled && !hf && r.thd_pct <= (1 + LARGE_CONFIRM_SLACK) * limit;
    if (*ok)
        st = tran_run_measure(&p->run, pow(10.0, (best_db + LARGE_TOL_DB) / 20.0), enough, &settle,
                              &over, err, errlen);
    if (*ok) {
        p->runs += over.runs;
        p->periods += over.periods;
        *ok = st == AS_OK && over.thd_pct > (1 - LARGE_CONFIRM_SLACK) * limit;
    }
    if (*ok && r.thd_pct <= limit)
        p->best = r;
    return st;
}

/* Small-signal gain |v(out) / v(in)| of the loaded circuit at freq_hz. */
static enum as_status ac_gain(struct ngs *s, double freq_hz, double *gain, char *err, size_t errlen)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "ac lin 1 %.17g %.17g", freq_hz, freq_hz);
    double complex *v = NULL;
    size_t n = 0;
    enum as_status st = ngs_run(s, cmd, err, errlen);
    if (st == AS_OK)
        st = ngs_vec_complex(s, "out", &v, &n, err, errlen);
    if (st == AS_OK)
        *gain = cabs(v[0]);
    free(v);
    return st;
}

/* The clipping level near a known one (the previous frequency's, of the
 * same amp into the same load): a new run from rest at seed_db, then up in
 * steps of LARGE_FINE_STEP_DB, each measured in the period after it, to the
 * first level over the limit. *found when that came within
 * LARGE_NEAR_STEPS_MAX steps: the point's best is then the level under it,
 * measured as confirm_best measures (from rest, and no level over the limit
 * before it or before the one over it), so it needs no confirming. A seed
 * over the limit, at most LARGE_CLIP_MODEL_FACTOR times it, is tried once
 * more from rest where a hard clipper reading that THD there would cross
 * the limit, LARGE_NEAR_SKEW_STEPS fine steps lower (real stages clip
 * softer). Else the clean levels stay on the curve and the caller searches
 * as usual. */
static enum as_status near_search(struct point *p, double seed_db, int *found, char *err,
                                  size_t errlen)
{
    enum as_status st = AS_OK;
    double limit = p->thd_limit_pct;
    *found = 0;
    for (int again = 1; st == AS_OK && !*found; again--) {
        double thd = 0, vpk = 0;
        tran_run_init(&p->run, p->s, p->amp, p->pw, p->freq_hz);
        for (unsigned k = 0; k <= LARGE_NEAR_STEPS_MAX && st == AS_OK; k++) {
            double x = seed_db + k * LARGE_FINE_STEP_DB;
            size_t done = 0;
            st = point_eval(p, &x, 1, &thd, &vpk, &done, err, errlen);
            if (st == AS_OK && thd > limit) {
                *found = k > 0 && p->have_best;
                break;
            }
        }
        double d = hardclip_over_db(thd) - hardclip_over_db(limit);
        if (*found || !again || !(thd > limit && thd <= LARGE_CLIP_MODEL_FACTOR * limit && d > 0))
            break;
        seed_db -= d + LARGE_NEAR_SKEW_STEPS * LARGE_FINE_STEP_DB;
    }
    if (st == AS_OK && !*found) { /* the usual search starts afresh */
        p->have_best = 0;
        tran_run_init(&p->run, p->s, p->amp, p->pw, p->freq_hz);
    }
    return st;
}

/* Clipping search at one frequency in the loaded circuit. With near_out_db
 * finite (the previous frequency's clipping level as the undistorted output
 * peak it gives, dB re 1 V) near_search goes first, from that output over
 * this frequency's gain. Otherwise, or when it finds nothing, the first level
 * tried puts the output peak at half the supplies' total span, or at
 * LARGE_NO_SUPPLY_SEED_V when the amp lists no supply, going by the
 * small-signal gain. A stage with no gain at rest (class B without bias) is
 * given its gain by one transient run at a hundredth of that level. */
static enum as_status clip_search(struct point *p, double supply_span_v, double near_out_db,
                                  enum large_search_end *end, char *err, size_t errlen)
{
    double gain = 0, pass_db = 0;
    unsigned evals = 0;
    double target_v = supply_span_v > 0 ? supply_span_v / 2 : LARGE_NO_SUPPLY_SEED_V;
    enum as_status st = ac_gain(p->s, p->freq_hz, &gain, err, errlen);
    if (st == AS_OK && !(gain > LARGE_MIN_GAIN)) {
        struct tran_result r;
        st = measure_settled(p, 0.01 * target_v, 0, &r, err, errlen);
        if (st == AS_OK)
            gain = r.vout_pk_v / r.vin_pk_v;
    }
    if (st == AS_OK && !(gain > LARGE_MIN_GAIN))
        st = as_fail(err, errlen, AS_ESIM, "the gain at %g Hz is %g: no signal reaches 'out'",
                     p->freq_hz, gain);
    int near = 0;
    p->gain = gain;
    if (st == AS_OK && isfinite(near_out_db))
        st = near_search(p, near_out_db - 20.0 * log10(gain) - LARGE_NEAR_SEED_UNDER_DB, &near, err,
                         errlen);
    if (st == AS_OK && near)
        *end = LARGE_FOUND;
    else if (st == AS_OK)
        st = large_search(point_eval, p, 20.0 * log10(target_v / gain), gain, p->thd_limit_pct, end,
                          &pass_db, &evals, err, errlen);
    int confirmed = 1;
    if (st == AS_OK && !near && *end == LARGE_FOUND && p->have_best)
        st = confirm_best(p, pass_db, &confirmed, err, errlen);
    if (st == AS_OK && !confirmed) {
        /* the run went on from levels whose clipping it still shows: search
         * again from where it was, each level after one over the limit in a
         * new run from rest (levels within it pump nothing) */
        p->from_rest = 1;
        p->last_over = 1;
        p->have_best = 0;
        p->row->n_curve = 0;
        st = large_search(point_eval, p, pass_db, gain, p->thd_limit_pct, end, &pass_db, &evals,
                          err, errlen);
    }
    if (st == AS_OK && *end != LARGE_NO_PASS && !p->have_best)
        st = as_fail(err, errlen, AS_ESIM, "internal: search passed without a result");
    return st;
}

/* What the amp dissipates as a whole: supplies minus load, or, when it
 * lists no supply, the sum of its devices. */
static double objective(const struct netlist *amp, const struct tran_result *r)
{
    if (amp->n_supplies)
        return r->p_amp_w;
    double sum = 0;
    for (size_t k = 0; k < amp->n_devices; k++)
        sum += r->p_dev_w[k];
    return sum;
}

/* More power leaving than the listed supplies give means the output is fed
 * from elsewhere: the netlist's metadata is wrong. */
static enum as_status check_fed(const struct netlist *amp, const struct tran_result *r,
                                const char *load, char *err, size_t errlen)
{
    if (!amp->n_supplies)
        return AS_OK;
    double slack = 0.01 * fmax(fabs(r->p_supply_w), fabs(r->p_load_w)) + 1e-6;
    if (r->p_amp_w >= -slack)
        return AS_OK;
    return as_fail(err, errlen, AS_EINPUT,
                   "%s: into %s at %g V in, the load takes %.4g W but the listed supplies give "
                   "%.4g W: the output is fed from a source not listed with '*@ supply'",
                   amp->file->path, load, r->vin_pk_v, r->p_load_w, r->p_supply_w);
}

static void take_dissipation(struct large_row *row, const struct netlist *amp,
                             const struct tran_result *r, double *dst)
{
    assert(amp->n_devices <= NETLIST_MAX_DEVICES);
    dst[0] = row->dissipation_known ? r->p_amp_w : NAN;
    for (size_t k = 0; k < amp->n_devices; k++)
        dst[1 + k] = r->p_dev_w[k];
}

static void keep_worst(struct large_row *row, const struct netlist *amp,
                       const struct tran_result *r)
{
    double d[1 + NETLIST_MAX_DEVICES];
    take_dissipation(row, amp, r, d);
    for (size_t k = 0; k <= amp->n_devices; k++)
        if (!(row->p_worst_w[k] >= d[k]))
            row->p_worst_w[k] = d[k];
}

/* The dissipation grid's levels, upwards, going on from the run that
 * confirmed the clipping level from rest (confirm_best): r[i] at
 * worst_grid[i] of a_clip; a level that did not settle is held on there
 * until it does (level_again) before the next one steps from it. Until
 * 2026-12-06 the grid started a run of its own from rest, as going on from
 * the search cost more then (lm3886_class into 8 ohm at 20 Hz: 48 periods
 * against 17: the DC that heavily clipped search levels pumped into
 * coupling capacitors left the low levels unsettled). */
static enum as_status grid_levels(struct point *p, double a_clip, struct tran_result *r, char *err,
                                  size_t errlen)
{
    enum as_status st = AS_OK;
    for (size_t i = 0; i < N_GRID && st == AS_OK; i++) {
        double vin = worst_grid[i] * a_clip;
        st = tran_run_levels(&p->run, &vin, 1, p->settle, &r[i], err, errlen);
        p->runs += r[i].runs;
        p->periods += r[i].periods;
        if (st == AS_OK && r[i].settled)
            curve_add(p->row, &r[i]);
        else if (st == AS_OK)
            st = measure_settled(p, vin, 1, &r[i], err, errlen);
    }
    return st;
}

/* Dissipation at levels below the clipping level (docs/metrics.md). */
static enum as_status worst_search(struct point *p, struct large_row *row,
                                   const struct tran_result *q, char *err, size_t errlen)
{
    const struct netlist *amp = p->amp;
    double a_clip = p->best.vin_pk_v;
    /* amplitude fractions and objective: quiescence, the grid, clipping */
    double fr[N_GRID + 2], obj[N_GRID + 2];
    fr[0] = 0.0;
    obj[0] = objective(amp, q);
    fr[N_GRID + 1] = 1.0;
    obj[N_GRID + 1] = objective(amp, &p->best);
    struct tran_result g[N_GRID], r;
    /* the grid's 1/8-power level is the one LARGE_MUSIC_FRACTION names */
    assert(fabs(worst_grid[GRID_EIGHTH] * worst_grid[GRID_EIGHTH] - LARGE_MUSIC_FRACTION) < 1e-12);
    enum as_status st = grid_levels(p, a_clip, g, err, errlen);
    for (size_t i = 0; i < N_GRID && st == AS_OK; i++) {
        fr[i + 1] = worst_grid[i];
        st = check_fed(amp, &g[i], row->load, err, errlen);
        if (st == AS_OK) {
            obj[i + 1] = objective(amp, &g[i]);
            keep_worst(row, amp, &g[i]);
            if (i == GRID_EIGHTH)
                take_dissipation(row, amp, &g[i], row->p_eighth_w);
        }
    }
    if (st != AS_OK)
        return st;
    size_t best = 0;
    for (size_t i = 1; i < N_GRID + 2; i++)
        if (obj[i] > obj[best])
            best = i;
    if (best == 0 || best == N_GRID + 1)
        return AS_OK;
    /* vertex of the parabola through the largest and its neighbours */
    double x0 = fr[best - 1], x1 = fr[best], x2 = fr[best + 1];
    double y0 = obj[best - 1], y1 = obj[best], y2 = obj[best + 1];
    double den = (x0 - x1) * (x0 - x2) * (x1 - x2);
    double a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / den;
    double b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / den;
    if (!(a < 0))
        return AS_OK;
    double xv = -b / (2 * a);
    if (!(xv > x0 && xv < x2) || fabs(xv - x1) < 1e-3)
        return AS_OK;
    st = measure_settled(p, xv * a_clip, 0, &r, err, errlen);
    if (st == AS_OK)
        st = check_fed(amp, &r, row->load, err, errlen);
    if (st == AS_OK)
        keep_worst(row, amp, &r);
    return st;
}

/* Everything about one load at one frequency, in the loaded circuit. An
 * error the point survives becomes a LARGE_FAILED row (AS_OK returned); the
 * others are returned. *near_db: on entry the previous frequency's clipping
 * level as clip_search takes it (NAN: none), on return this one's (NAN when
 * it did not clip). */
static enum as_status measure_point(struct ngs *s, const struct netlist *amp,
                                    const struct deck_power *pw, const struct large_settings *set,
                                    double freq_hz, double *near_db, const struct tran_result *q,
                                    int with_dissipation, struct large_row *row, char *err,
                                    size_t errlen)
{
    struct point p = {.s = s,
                      .amp = amp,
                      .pw = pw,
                      .freq_hz = freq_hz,
                      .thd_limit_pct = set->thd_limit_pct,
                      .row = row};
    tran_run_init(&p.run, s, amp, pw, freq_hz);
    enum large_search_end end = LARGE_NO_PASS;
    char msg[512];
    row->freq_hz = freq_hz;
    take_dissipation(row, amp, q, row->p_quiescent_w);
    row->vout_dc_v = q->vout_dc_v;
    enum as_status st = clip_search(&p, q->supply_span_v, *near_db, &end, msg, sizeof msg);
    /* where the next frequency's search may start: the undistorted output
     * this clipping level would give */
    *near_db = st == AS_OK && end == LARGE_FOUND && p.have_best
                   ? 20.0 * log10(p.best.vin_pk_v * p.gain)
                   : NAN;
    if (st == AS_OK && end == LARGE_NO_PASS)
        st = as_fail(msg, sizeof msg, AS_ESIM,
                     "THD is over %g %% at every level down to %g dB under the first one "
                     "tried%s",
                     set->thd_limit_pct, -LARGE_FLOOR_DB,
                     p.hf_seen ? ", with far more content above the 10th harmonic than below: "
                                 "the amp oscillates"
                               : "");
    if (st == AS_OK)
        st = check_fed(amp, &p.best, row->load, msg, sizeof msg);
    if (st == AS_OK) {
        row->vin_pk_v = p.best.vin_pk_v;
        row->p_max_w = p.best.p_load_ac_w;
        row->vout_rms_v = p.best.vout_rms_v;
        row->vout_pk_v = p.best.vout_pk_v;
        row->iout_pk_a = p.best.iout_pk_a;
        row->thd_pct = p.best.thd_pct;
        /* clipped: voltage until large_classify compares with the open swing */
        row->limit = end == LARGE_CEILING ? LARGE_NONE : LARGE_VOLTAGE;
        take_dissipation(row, amp, &p.best, row->p_at_max_w);
        memcpy(row->p_worst_w, row->p_quiescent_w, sizeof row->p_worst_w);
        keep_worst(row, amp, &p.best);
    }
    if (st == AS_OK && with_dissipation && (amp->n_supplies || amp->n_devices))
        st = worst_search(&p, row, q, msg, sizeof msg);
    row->runs = p.runs;
    row->periods = p.periods;
    for (size_t k = 0; st == AS_OK && k < amp->n_devices; k++) {
        const struct netlist_device *d = &amp->devices[k];
        row->tj_worst_c[1 + k] = set->ambient_c + row->p_worst_w[1 + k] * d->rth_ja_k_per_w;
        row->tj_eighth_c[1 + k] = set->ambient_c + row->p_eighth_w[1 + k] * d->rth_ja_k_per_w;
        row->tj_max_c[1 + k] = d->tj_max_c;
    }
    if (st == AS_ESIM) {
        /* nothing half-measured is kept: only the quiescent figures */
        struct large_row q_only;
        row_init(&q_only, amp, row->load, row->load_ohm);
        q_only.freq_hz = freq_hz;
        q_only.runs = row->runs;
        q_only.periods = row->periods;
        memcpy(q_only.p_quiescent_w, row->p_quiescent_w, sizeof q_only.p_quiescent_w);
        q_only.vout_dc_v = row->vout_dc_v;
        *row = q_only;
        row->limit = LARGE_FAILED;
        snprintf(row->error, sizeof row->error, "%s", msg);
        return AS_OK;
    }
    if (st != AS_OK)
        as_fail(err, errlen, st, "%s", msg);
    return st;
}

enum as_status large_table_push(struct large_table *t, const struct large_row *row)
{
    if (t->len == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        struct large_row *g = realloc(t->rows, cap * sizeof *g);
        if (!g)
            return AS_ENOMEM;
        t->rows = g;
        t->cap = cap;
    }
    t->rows[t->len++] = *row;
    return AS_OK;
}

/* A row with the amp, load and device names filled and every value NAN. */
static void row_init(struct large_row *row, const struct netlist *amp, const char *load,
                     double load_ohm)
{
    memset(row, 0, sizeof *row);
    snprintf(row->amp, sizeof row->amp, "%s", amp->name);
    snprintf(row->load, sizeof row->load, "%s", load);
    row->load_ohm = load_ohm;
    row->vin_pk_v = row->p_max_w = row->vout_rms_v = row->vout_pk_v = NAN;
    row->iout_pk_a = row->thd_pct = row->vout_dc_v = NAN;
    assert(amp->n_devices <= NETLIST_MAX_DEVICES);
    row->n_devices = amp->n_devices;
    row->dissipation_known = amp->n_supplies > 0;
    snprintf(row->device[0], sizeof row->device[0], "total");
    for (size_t k = 0; k < amp->n_devices; k++)
        snprintf(row->device[1 + k], sizeof row->device[1 + k], "%s", amp->devices[k].name);
    for (size_t k = 0; k <= NETLIST_MAX_DEVICES; k++)
        row->p_quiescent_w[k] = row->p_at_max_w[k] = row->p_worst_w[k] = row->tj_worst_c[k] =
            row->tj_max_c[k] = row->p_eighth_w[k] = row->tj_eighth_c[k] = NAN;
}

/* Index of the frequency nearest LARGE_SLEW_REF_HZ on a log scale. */
static size_t ref_index(const struct range *f)
{
    size_t best = 0;
    for (size_t i = 1; i < f->count; i++)
        if (fabs(log(f->values[i] / LARGE_SLEW_REF_HZ)) <
            fabs(log(f->values[best] / LARGE_SLEW_REF_HZ)))
            best = i;
    return best;
}

enum as_status large_open_swing(struct ngs *s, const struct netlist *amp,
                                const struct large_settings *set, double *swing_v, char *err,
                                size_t errlen)
{
    const struct range *fs = set->freqs_hz;
    struct tran_result q;
    struct load_spec open = {.nominal_ohm = DECK_OPEN_OHM};
    struct deck_power pw = {0};
    enum as_status st = deck_load_open(s, amp, DECK_LARGE, "the open-output swing", err, errlen);
    if (st == AS_OK)
        st = deck_power_read(s, amp, &pw, err, errlen);
    if (st == AS_OK)
        st = tran_quiescent(s, amp, &pw, &q, err, errlen);
    double near_db = NAN; /* measure_point's */
    for (size_t i = 0; i < fs->count && st == AS_OK; i++) {
        struct large_row row;
        row_init(&row, amp, "open", DECK_OPEN_OHM);
        st = measure_point(s, amp, &pw, set, fs->values[i], &near_db, &q, 0, &row, err, errlen);
        swing_v[i] = row.vout_pk_v; /* NAN when it failed: no load then reads "current" */
    }
    deck_power_free(&pw);
    if (st != AS_OK)
        deck_blame(amp, &open, ngs_error_statement(s), err, errlen);
    return st;
}

enum as_status large_load(struct ngs *s, const struct netlist *amp, const struct load_spec *l,
                          const struct large_settings *set, struct large_table *out, char *err,
                          size_t errlen)
{
    const struct range *fs = set->freqs_hz;
    struct tran_result q;
    struct load_spec dl = *l;
    size_t len0 = out->len;
    struct deck_power pw = {0};
    enum as_status st = deck_load_into(s, amp, &dl, DECK_LARGE, err, errlen);
    if (st == AS_OK)
        st = deck_power_read(s, amp, &pw, err, errlen);
    if (st == AS_OK)
        st = tran_quiescent(s, amp, &pw, &q, err, errlen);
    double near_db = NAN; /* measure_point's */
    for (size_t i = 0; i < fs->count && st == AS_OK; i++) {
        struct large_row row;
        row_init(&row, amp, l->file ? l->file->name : LOAD_RESISTOR_NAME, l->nominal_ohm);
        st = measure_point(s, amp, &pw, set, fs->values[i], &near_db, &q, 1, &row, err, errlen);
        if (st == AS_OK && (st = large_table_push(out, &row)) != AS_OK)
            as_fail(err, errlen, st, "out of memory");
    }
    deck_power_free(&pw);
    if (st != AS_OK) {
        out->len = len0;
        deck_blame(amp, l, ngs_error_statement(s), err, errlen);
    }
    return st;
}

void large_classify(struct large_row *rows, size_t n, const struct range *freqs,
                    const double *swing_v, const double *zout_ohm)
{
    size_t ref = ref_index(freqs);
    for (size_t k = 0; k < n; k++) {
        struct large_row *r = &rows[k];
        size_t i = 0;
        while (i < freqs->count && freqs->values[i] != r->freq_hz)
            i++;
        if (r->limit != LARGE_VOLTAGE || i == freqs->count)
            continue;
        /* the amp's own source voltage at clipping, seen through its output
         * impedance: a voltage limit behind a series resistance reaches its
         * open swing there, a current limit does not */
        double z = zout_ohm && isfinite(zout_ohm[i]) ? zout_ohm[i] : 0.0;
        double v_source = r->vout_pk_v + r->iout_pk_a * z;
        if (isnan(swing_v[i]))
            r->limit = LARGE_UNKNOWN;
        else if (v_source < LARGE_VOLTAGE_SWING_FRACTION * swing_v[i])
            r->limit = LARGE_CURRENT;
        else if (freqs->values[i] > freqs->values[ref] &&
                 swing_v[i] < swing_v[ref] * pow(10.0, -LARGE_SLEW_DROP_DB / 20.0))
            r->limit = LARGE_SLEW;
    }
}
