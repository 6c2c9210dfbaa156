/* tran: one large-signal measurement of a loaded amp: a sine of a given
 * frequency and amplitude on the input, run to steady state, then THD, output
 * level and current, and the power of the load, the supplies and each output
 * device, averaged over a whole period.
 *
 * The circuit must be a DECK_LARGE deck already loaded into the session.
 * Start (docs/metrics.md, "Settling"): the sine starts at its peak (a
 * cosine) from the operating point. A first-order network of time constant
 * tau is then left with a start-up DC offset of A / (1 + (w tau)^2), not the
 * A w tau / (1 + (w tau)^2) of a sine that starts at zero; after S periods
 * at most A exp(-2) / (pi^2 S^2) of it is left, whatever tau: 0.15 % at
 * S = 3 (TRAN_SETTLE_MIN_PERIODS), under the 0.2 % that costs 0.4 % of
 * p_max. Settling rule: run `settle` periods, then measure one; the output
 * is settled when the measured period differs from the one before by at
 * most TRAN_SETTLED_REL of its rms. If not, the settling time is quadrupled
 * (the level held on in the same run), up to TRAN_SETTLE_MAX_S (at least
 * TRAN_SETTLE_MIN_PERIODS periods), while each quadrupling at least halves
 * the difference. An output that stops getting closer is not periodic (it
 * oscillates, or clipping makes it chaotic): the result says so (settled 0)
 * and its figures describe the last run.
 *
 * A staircase holds several levels in one run, the way an audio analyser
 * steps a level sweep: each change of level is a short ramp at the cosine's
 * peak, where a slow network's steady state does not move to first order,
 * so a level needs TRAN_STEP_SETTLE_PERIODS before its measured period (twice
 * that after a change of more than TRAN_STEP_ONE_REL, none after one of at most
 * TRAN_STEP_TINY_DB); the same test of the measured period against the one
 * before (after no settling, the one before scaled by the change) says
 * whether it settled. A run is held
 * between levels (struct tran_run): ngspice halts at the end of a measured
 * period and goes on from there with the next level the caller chooses.
 */
#ifndef AMPSWEEP_TRAN_H
#define AMPSWEEP_TRAN_H

#include <stddef.h>

#include "base/status.h"
#include "engine/deck.h"
#include "engine/ngs.h"
#include "spice/netlist.h"

#define TRAN_MEASURE_PERIODS 1
#define TRAN_SETTLE_MIN_PERIODS 3
#define TRAN_SETTLE_MAX_S 2.0
#define TRAN_SETTLE_MAX_PERIODS 1024
/* Settling simulated before an output that stops getting closer is called
 * not periodic: this long, or this many periods at high frequencies. */
#define TRAN_CHAOS_MIN_S 0.1
#define TRAN_CHAOS_MIN_PERIODS 256
/* Above what interpolation of clipped waveforms alone produces (about 1e-3
 * on the starter amps); a 0.2 % change of the output is still far below
 * what moves THD by 0.05 dB of level. */
#define TRAN_SETTLED_REL 2e-3
/* Staircases: settling periods of each level after the first; the ramp of
 * the start from rest and of every change of level (a fraction of a
 * period: near a step, and short enough that the cosine stays at its peak
 * and that it ends before the first sample of a window, half a sample in;
 * its own start-up term, A ramp / (2 tau), is in tests/test_tran.c's closed
 * form); and the most levels one run holds. */
#define TRAN_STEP_SETTLE_PERIODS 1
/* A change of level of at most this fraction of the new level settles one
 * period, a larger one two. A step leaves a first-order network of time
 * constant tau a start-up term dA / (1 + (w tau)^2) decaying with tau; the
 * settling test after one period sees its mean change from the settling
 * period to the measured one, and lets through at most TRAN_SETTLED_REL of
 * the rms: over every tau, the largest term it lets through averages
 * 0.167 % of the level at 0.44 (tau = 1.64 periods), under the 0.2 % that
 * costs 0.4 % of p_max (0.197 % at 0.6). What it does not let through is
 * held on (measured: lm3886_class at 20 Hz, stepping 3 dB into clipping,
 * differs by 1.7 % of rms from period to period one period after the step,
 * 0.37 % after two). Until 2026-12-06 the limit was 1 dB (0.11 to 0.12 of
 * the level), and the dissipation levels' steps (0.25 to 0.43) settled two
 * periods. */
#define TRAN_STEP_ONE_REL 0.44
/* A change of level this small (dB) is measured in the period right after
 * it. Its start-up term, a DC of dA / (1 + (w tau)^2) decaying with tau,
 * averages at most 0.080 dA over that period, whatever tau (largest at tau
 * = 0.157 period; tests/test_tran.c measures it there): 0.093 % of the
 * level at 0.1 dB, under the 0.15 % left after a start from rest. The
 * settling test then compares the DC and fundamental of that period with
 * the period before scaled about its mean by the change (the harmonics of
 * a clipped output change with level: by 25 % in 0.045 dB near 1 % THD).
 * A level held on (no change) is measured in the next period, against the
 * one before as usual. On issue 15's sweep (power.csv's periods, all 24
 * points): 501 against 577 with a settling period after these steps. */
#define TRAN_STEP_TINY_DB 0.1
#define TRAN_RAMP_PERIODS 2.5e-4
#define TRAN_STAIR_MAX 16
/* Maximum time step: this many steps per period of the highest harmonic
 * counted in THD (the 10th). */
#define TRAN_STEPS_PER_HARMONIC 20
/* Uniform resampling of each measured period. */
#define TRAN_SAMPLES_PER_PERIOD 1024

struct tran_result {
    double freq_hz;
    double vin_pk_v;    /* input sine amplitude */
    double vout_rms_v;  /* rms of v(out) less its DC, over the measured period */
    double vout_pk_v;   /* max |v(out)| */
    double vout_dc_v;   /* tran_quiescent only: v(out) at the operating point */
    double iout_pk_a;   /* max |load current| */
    double thd_pct;     /* harmonics 2..10 of v(out) */
    double thdn_pct;    /* everything but DC and the fundamental */
    double p_load_w;    /* mean of v(out) * load current (DC included: heat in the load) */
    double p_load_ac_w; /* p_load_w less mean(v) * mean(i): the signal's power */
    double p_supply_w;  /* mean power delivered by the listed supplies together */
    double p_amp_w;     /* p_supply_w - p_load_w: what the amp dissipates */
    double p_dev_w[NETLIST_MAX_DEVICES]; /* mean power absorbed by each listed device */
    double supply_span_v;    /* tran_quiescent only: sum of |V| of the listed supplies */
    unsigned settle_periods; /* periods simulated before the measured ones */
    int settled;             /* 0: the output never repeated itself (see above) */
    double mismatch;  /* measured period's rms difference from the one before, over its rms */
    unsigned runs;    /* transient analyses this measurement took */
    unsigned periods; /* periods those analyses simulated */
};

/* A transient run held between batches of levels, so that a search, which
 * decides each batch from the one before, goes on where the run halted
 * instead of starting again from rest: each next level is a step like
 * those of a staircase. Plain values, no memory of its own. Valid while
 * nothing else runs on the session: another analysis or load ends the run,
 * and the caller must tran_run_init again before the next batch. A batch
 * that would take a run past TRAN_RUN_MAX_PERIODS starts a new one from
 * rest: ngspice clears memory in proportion to a run's stop time (measured:
 * 28 % of a sweep's time in memset at 8192 periods, 1.3 % at 128), and a
 * point takes 30 to 60 periods. */
#define TRAN_RUN_MAX_PERIODS 128
/* How soon after the end of a batch's last measured period the run halts
 * (at most; a step there is 2 pi 1e-5 rad off the peak) */
#define TRAN_HALT_GAP_PERIODS 1e-5
struct tran_run {
    struct ngs *s;
    const struct netlist *amp;
    const struct deck_power *pw;
    double freq_hz;
    int halted;      /* a run is halted at t_halt_s, holding level_v */
    double t_halt_s; /* at, or a tiny step after, the end of the last measured period */
    double level_v;
    double last_step_s; /* the halted run's last step of level (its ramp bends the input) */
    size_t from;        /* the run's first point the next batch may need */
};

void tran_run_init(struct tran_run *tr, struct ngs *s, const struct netlist *amp,
                   const struct deck_power *pw, double freq_hz);

/* The levels vin_pk_v[0..n-1] (n at most TRAN_STAIR_MAX) in turn: going on
 * with tr's run, each after its step's settling; with no run halted, in a
 * new one that starts from rest, the first level after first_settle periods
 * (0: TRAN_SETTLE_MIN_PERIODS). out[k] receives the k-th level's
 * measurement; its settled flag says whether its measured period repeated
 * the one before (a caller measures a level that did not again with
 * tran_run_measure). The cost is on out[0]: runs 1 when a new run started,
 * periods simulated (0 on the others). On error the run is ended. */
enum as_status tran_run_levels(struct tran_run *tr, const double *vin_pk_v, size_t n,
                               unsigned first_settle, struct tran_result *out, char *err,
                               size_t errlen);

/* One level of a search, as tran_run_levels with n = 1, but looked at after
 * one settling period first when its settling is longer (a start from
 * rest, or a change of more than TRAN_STEP_ONE_REL): a level whose THD is
 * then over enough_thd_pct is not settled further (settled 0: its THD says
 * no more than that it is far over the limit), and any other is held on
 * in the same run to its full settling, at no period more than without the
 * look. The search's seed is mostly far over the limit (it puts the output
 * at half the supplies' span): 666 periods in all against 726 without the
 * look on issue 15's sweep when it came in. Its answer is confirmed from
 * rest (engine/large.c). */
enum as_status tran_run_step(struct tran_run *tr, double vin_pk_v, unsigned first_settle,
                             double enough_thd_pct, struct tran_result *out, char *err,
                             size_t errlen);

/* One level held until it settles, by the settling rule with its
 * quadrupling counted from the level's step: going on with tr's run, or in
 * a new one that starts from rest after *settle_periods (0:
 * TRAN_SETTLE_MIN_PERIODS), which then receives the settling that worked.
 * enough_thd_pct as tran_measure. out's runs and periods are the cost. */
enum as_status tran_run_measure(struct tran_run *tr, double vin_pk_v, double enough_thd_pct,
                                unsigned *settle_periods, struct tran_result *out, char *err,
                                size_t errlen);

/* Measure at freq_hz and input amplitude vin_pk_v, in a new run. *settle_periods is the
 * first settling time tried (0: TRAN_SETTLE_MIN_PERIODS) and receives the one
 * that settled, to start the next measurement of the same point there. A
 * result that is not settled is not an error: the caller decides. With
 * enough_thd_pct > 0, settling stops (unsettled) as soon as the THD is above
 * it: a search only needs to know that such a level is far over its limit. */
enum as_status tran_measure(struct ngs *s, const struct netlist *amp, const struct deck_power *pw,
                            double freq_hz, double vin_pk_v, double enough_thd_pct,
                            unsigned *settle_periods, struct tran_result *out, char *err,
                            size_t errlen);

/* The operating point with no signal: powers as in tran_measure, levels 0. */
enum as_status tran_quiescent(struct ngs *s, const struct netlist *amp, const struct deck_power *pw,
                              struct tran_result *out, char *err, size_t errlen);

#endif
