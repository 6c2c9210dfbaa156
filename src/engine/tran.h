/* tran: one large-signal measurement of a loaded amp: a sine of a given
 * frequency and amplitude on the input, run to steady state, then THD, output
 * level and current, and the power of the load, the supplies and each output
 * device, averaged over whole periods.
 *
 * The circuit must be a DECK_LARGE deck already loaded into the session.
 * Settling rule (docs/metrics.md): start from the operating point, run
 * `settle` periods, then measure TRAN_MEASURE_PERIODS periods; the output is
 * settled when its last two periods differ by at most TRAN_SETTLED_REL of its
 * rms. If not, the settling time is quadrupled and the run repeated, up to
 * TRAN_SETTLE_MAX_S (at least TRAN_SETTLE_MIN_PERIODS periods), while each
 * quadrupling at least halves the difference. An output that stops getting
 * closer is not periodic (it oscillates, or clipping makes it chaotic): the
 * result says so (settled 0) and its figures describe the last run.
 */
#ifndef AMPSWEEP_TRAN_H
#define AMPSWEEP_TRAN_H

#include <stddef.h>

#include "base/status.h"
#include "engine/ngs.h"
#include "spice/netlist.h"

#define TRAN_MEASURE_PERIODS 2
#define TRAN_SETTLE_MIN_PERIODS 4
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
/* tran_settle_startup: the largest start-up DC offset the measured drift
 * may allow, over the output's peak amplitude (an offset of x of the peak
 * makes one side clip early and costs about 2x of p_max: 0.4 % here, a
 * third of what the 0.05 dB search step allows; 0.1 % made the default
 * sweep 57 % slower for no gain on discrete_ab, whose slow drift reads
 * 0.08-0.15 % at every settling), and the settling beyond which no start-up
 * offset that large can be left (1 / (2 pi e S) of the amplitude: 0.06 %). */
#define TRAN_OFFSET_LEFT_REL 2e-3
#define TRAN_STARTUP_MAX_PERIODS 64
/* ... and the level it is found at must be this clean (near clipping the
 * DC of each period carries resampling noise that reads as drift); each
 * try that is not goes 10 dB lower, and after this many the settling is
 * left as it was. */
#define TRAN_STARTUP_CLEAN_THD_PCT 0.3
#define TRAN_STARTUP_TRIES 4
/* Maximum time step: this many steps per period of the highest harmonic
 * counted in THD (the 10th). */
#define TRAN_STEPS_PER_HARMONIC 20
/* Uniform resampling of each measured period. */
#define TRAN_SAMPLES_PER_PERIOD 1024

struct tran_result {
    double freq_hz;
    double vin_pk_v;    /* input sine amplitude */
    double vout_rms_v;  /* rms of v(out) less its DC, over the measured periods */
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
    double mismatch;         /* last two periods' rms difference over their rms */
    double swing_pk_v;       /* half the output's peak-to-peak over the measured periods */
    double offset_left_v;    /* the largest start-up DC offset their DC drift allows */
    unsigned runs;           /* transient analyses this measurement took */
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

/* Raise *settle_periods until, at a clean level (vin_pk_v, or lower until
 * the THD is under TRAN_STARTUP_CLEAN_THD_PCT),
 * no start-up DC offset over TRAN_OFFSET_LEFT_REL of the output's peak can
 * be left (a slow coupling or feedback capacitor; the period test of
 * tran_measure misses a slow drift). At most TRAN_STARTUP_MAX_PERIODS. The
 * offset of a linear network scales with the level, so the settling found
 * holds at every level; it is found at a clean one because near clipping the
 * DC of each period carries resampling noise that reads as drift. Adds the
 * transient runs to *runs. */
enum as_status tran_settle_startup(struct ngs *s, const struct netlist *amp, double freq_hz,
                                   double vin_pk_v, unsigned *settle_periods, unsigned *runs,
                                   char *err, size_t errlen);

/* The operating point with no signal: powers as in tran_measure, levels 0. */
enum as_status tran_quiescent(struct ngs *s, const struct netlist *amp, struct tran_result *out,
                              char *err, size_t errlen);

#endif
