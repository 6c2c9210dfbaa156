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
 * and the run repeated, up to TRAN_SETTLE_MAX_S (at least
 * TRAN_SETTLE_MIN_PERIODS periods), while each quadrupling at least halves
 * the difference. An output that stops getting closer is not periodic (it
 * oscillates, or clipping makes it chaotic): the result says so (settled 0)
 * and its figures describe the last run.
 *
 * A staircase holds several levels in one run, the way an audio analyser
 * steps a level sweep: each change of level is a short ramp at the cosine's
 * peak, where a slow network's steady state does not move to first order,
 * so a level needs TRAN_STEP_SETTLE_PERIODS before its measured period (twice
 * that after a change over TRAN_STEP_BIG_DB); the same test of the measured
 * period against the one before says whether it settled.
 */
#ifndef AMPSWEEP_TRAN_H
#define AMPSWEEP_TRAN_H

#include <stddef.h>

#include "base/status.h"
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
/* Staircases: settling periods of each level after the first; a change over
 * TRAN_STEP_BIG_DB settles twice as long (measured: lm3886_class at 20 Hz,
 * stepping 3 dB into clipping, still differs by 1.7 % of rms from period to
 * period one period after the step, 0.37 % after two); the ramp of the start
 * from rest and of every change of level (a fraction of a period: near a
 * step, and short enough that the cosine stays at its peak; its own start-up
 * term, A ramp / (2 tau), is in tests/test_tran.c's closed form); and the
 * most levels one run holds. */
#define TRAN_STEP_SETTLE_PERIODS 1
#define TRAN_STEP_BIG_DB 1.0
#define TRAN_RAMP_PERIODS 5e-4
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

/* Measure at freq_hz and input amplitude vin_pk_v. *settle_periods is the
 * first settling time tried (0: TRAN_SETTLE_MIN_PERIODS) and receives the one
 * that settled, to start the next measurement of the same point there. A
 * result that is not settled is not an error: the caller decides. With
 * enough_thd_pct > 0, settling stops (unsettled) as soon as the THD is above
 * it: a search only needs to know that such a level is far over its limit. */
enum as_status tran_measure(struct ngs *s, const struct netlist *amp, double freq_hz,
                            double vin_pk_v, double enough_thd_pct, unsigned *settle_periods,
                            struct tran_result *out, char *err, size_t errlen);

/* The levels vin_pk_v[0..n-1] (n at most TRAN_STAIR_MAX) held in turn in
 * one transient run at freq_hz: the first after settle_periods periods
 * (0: TRAN_SETTLE_MIN_PERIODS), each next one after its step's settling. out[k] receives the k-th
 * level's measurement; its settled flag says whether its measured period repeated the one before,
 * and a caller remeasures a level that did not with tran_measure. The run's count and periods are
 * on out[0] (0 on the others). */
enum as_status tran_staircase(struct ngs *s, const struct netlist *amp, double freq_hz,
                              const double *vin_pk_v, size_t n, unsigned settle_periods,
                              struct tran_result *out, char *err, size_t errlen);

/* The operating point with no signal: powers as in tran_measure, levels 0. */
enum as_status tran_quiescent(struct ngs *s, const struct netlist *amp, struct tran_result *out,
                              char *err, size_t errlen);

#endif
