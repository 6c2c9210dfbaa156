/* large: the large-signal measurements of one amp (docs/metrics.md): for
 * each load and each large-signal frequency, the clipping level at a THD
 * limit, the power there, what limits it, and the dissipation of the amp and
 * of each listed output device at quiescence, at that level and at the worst
 * level below it, with junction temperatures.
 *
 * Rows are plain values: they outlive the netlist they came from.
 */
#ifndef AMPSWEEP_LARGE_H
#define AMPSWEEP_LARGE_H

#include <stddef.h>

#include "base/range.h"
#include "base/status.h"
#include "engine/ngs.h"
#include "spice/loadfile.h"
#include "spice/netlist.h"

/* Clipping search (docs/metrics.md). Levels are input amplitudes in dB. */
#define LARGE_TOL_DB 0.05      /* the search stops when pass and fail are this close */
#define LARGE_CEILING_DB 20.0  /* above the seed: no clipping up to here is "none" */
#define LARGE_FLOOR_DB (-60.0) /* below the seed: still over the limit here fails */
#define LARGE_MAX_EVALS 40     /* a search that has not converged by then fails */
/* Levels are tried in batches, each going on with the point's transient
 * run (tran_run_levels): the first batch is the seed alone; a batch holds
 * at most LARGE_BATCH_MAX levels, LARGE_FINE_STEP_DB apart near the limit
 * (under LARGE_TOL_DB, so two neighbours either side of the limit end it).
 * Chosen values, not published ones: the seed puts the output peak at half
 * the supplies' span, where every shipped amp into 8 ohm or more clips
 * mildly (1.9 to 7.7 % THD), so its THD puts the next batch near the
 * crossing; the wide step and the local bracket were tuned on issue 15's
 * sweep (docs/metrics.md). */
#define LARGE_BATCH_MAX 6
#define LARGE_FINE_STEP_DB 0.045
/* A bracket this narrow (dB) is interpolated locally, with a batch of
 * LARGE_BATCH_LOCAL levels; a wider one gets LARGE_BATCH_WIDE levels
 * LARGE_WIDE_STEP_DB apart. */
#define LARGE_LOCAL_DB 1.0
#define LARGE_BATCH_LOCAL 3
#define LARGE_BATCH_WIDE 4
#define LARGE_WIDE_STEP_DB 0.12
/* An over-limit level whose THD is at most this many times the limit puts
 * the crossing near where a hard clipper's would be: as far under that
 * level as a hard clipper's THD falls from that reading to the limit. A
 * wide bracket is then searched with LARGE_BATCH_NEAR levels
 * LARGE_FINE_STEP_DB apart, centred LARGE_NEAR_SKEW_STEPS steps under
 * that guess: real output stages clip softer than a hard clipper, so the
 * crossing is lower (measured on the shipped amps into 8 to 300 ohm at 20
 * Hz to 20 kHz, from 1.9 to 7.7 % THD over the limit: 0.2 dB under the
 * guess to 0.05 dB over it). A miss costs one more batch, not accuracy. */
#define LARGE_CLIP_MODEL_FACTOR 10.0
#define LARGE_BATCH_NEAR 6
#define LARGE_NEAR_SKEW_STEPS 1.5
/* Over the limit at every level so far, that guess is tried this many
 * times; then the search steps down (an amp whose THD does not fall with
 * level is no clipper) */
#define LARGE_NEAR_DOWN_MAX 2
/* A level whose THD+N exceeds this many times its THD (or the limit) has
 * content above the 10th harmonic that clipping does not make: it counts as
 * over the limit. Measured: heavy clipping keeps THD+N within 1.11 x THD
 * (47.3 % against 42.7 %); the 50 kHz oscillation of tests/data/osc_open.cir
 * reads 68 x. */
#define LARGE_HF_RATIO 3.0
/* A search level whose THD is this many times the limit is not settled
 * further: it is over the limit whatever settling would add. Measured on
 * lm3886_class at 20 Hz to 20 kHz: settling moves a level's THD by at most
 * 1.2 % of itself when it is near or over the limit (0.774 to 0.783 %, 3.27
 * to 3.28 %), where 2x would need 50 %. */
#define LARGE_ENOUGH_THD_FACTOR 2.0
/* The search's answer and the level LARGE_TOL_DB over it, measured again
 * from rest, agree with it when their THD is within this fraction of the
 * limit on the right side (THD near 1 % moves 25 % in 0.045 dB, measured:
 * o2_class into 32 ohm at 1 kHz, 0.790 % to 1.003 %; so this is 0.02 dB of
 * level); else the point is searched again from rest. */
#define LARGE_CONFIRM_SLACK 0.1
#define LARGE_NO_SUPPLY_SEED_V 10.0 /* output peak tried first when no supply is listed */
/* After a frequency that clipped, the next starts LARGE_NEAR_SEED_UNDER_DB
 * under its clipping level, from rest, and steps up LARGE_FINE_STEP_DB at a
 * time, at most LARGE_NEAR_STEPS_MAX times, to the limit: the same amp
 * into the same load clips at much the same level at 20 Hz, 1 kHz and 20
 * kHz. Chosen values, measured on issue 15's sweep (docs/metrics.md). */
#define LARGE_NEAR_SEED_UNDER_DB 0.05
#define LARGE_NEAR_STEPS_MAX 6
/* Heat is judged at 1/8 of the clipping power, continuous: the
 * preconditioning of FTC 16 CFR 432 and IEC 62368-1 Annex E (music is far
 * from a full-power sine); the level's input amplitude is 1/sqrt(8) of the
 * clipping level's */
#define LARGE_MUSIC_FRACTION 0.125
#define LARGE_CURVE_MAX 24  /* THD-against-power points kept per row */
#define LARGE_MIN_GAIN 1e-6 /* V/V: less is "no signal reaches out" */
/* An output that reaches at least this fraction of the open-output swing
 * when it clips is voltage-limited; less is current-limited. A chosen rule,
 * not a published one: 0.75 is 2.5 dB of swing lost to the load (an output
 * stage's emitter resistors lose about 1 dB into 4 ohm). docs/metrics.md. */
#define LARGE_VOLTAGE_SWING_FRACTION 0.75
/* Open-output swing this far (dB) under the reference frequency's at a
 * higher frequency: the amp is slew-limited there. */
#define LARGE_SLEW_DROP_DB 1.0
#define LARGE_SLEW_REF_HZ 1000.0

/* LARGE_UNKNOWN: the output clipped, but the open-output search failed at
 * that frequency, so voltage, current and slew cannot be told apart. */
enum large_limit {
    LARGE_NONE,
    LARGE_VOLTAGE,
    LARGE_CURRENT,
    LARGE_SLEW,
    LARGE_UNKNOWN,
    LARGE_FAILED
};

struct large_settings {
    const struct range *freqs_hz; /* the large-signal frequencies */
    double thd_limit_pct;
    double ambient_c;
};

/* One amp, load and frequency. Dissipation arrays: [0] is the whole amp
 * ("total"), [1 + k] is the amp's k-th listed device. */
struct large_row {
    char amp[NETLIST_NAME_MAX + 1];
    char load[NETLIST_NAME_MAX + 1];
    double load_ohm;
    double freq_hz;
    enum large_limit limit;
    char error[512];   /* LARGE_FAILED: why */
    double vin_pk_v;   /* input amplitude at the clipping level */
    double p_max_w;    /* mean v(out) * i(load) there, less its DC part */
    double vout_rms_v; /* rms output there, less its DC */
    double vout_pk_v;
    double iout_pk_a;
    double thd_pct;
    double vout_dc_v; /* v(out) at rest: the output DC offset into this load */
    unsigned runs;    /* transient analyses of the clipping search */
    unsigned periods; /* periods those analyses simulated */
    size_t n_devices;
    char device[1 + NETLIST_MAX_DEVICES][NETLIST_NAME_MAX + 1];
    double p_quiescent_w[1 + NETLIST_MAX_DEVICES];
    double p_at_max_w[1 + NETLIST_MAX_DEVICES];
    double p_worst_w[1 + NETLIST_MAX_DEVICES];
    double tj_worst_c[1 + NETLIST_MAX_DEVICES]; /* NAN for the total */
    /* at 1/8 of the clipping power (LARGE_MUSIC_FRACTION), the condition
     * standards use for music: NAN when not measured */
    double p_eighth_w[1 + NETLIST_MAX_DEVICES];
    double tj_eighth_c[1 + NETLIST_MAX_DEVICES]; /* NAN for the total */
    double tj_max_c[1 + NETLIST_MAX_DEVICES];    /* NAN for the total */
    int dissipation_known;                       /* 0 when the amp lists no supply: total is NAN */
    /* every clean level measured (search and dissipation levels), ascending
     * in power: THD against output power */
    size_t n_curve;
    struct large_curve_point {
        double p_w; /* p_load_ac_w */
        double thd_pct;
    } curve[LARGE_CURVE_MAX];
};

struct large_table {
    struct large_row *rows;
    size_t len, cap;
};

/* The large-signal measurements of one amp, in three parts so that a caller
 * can spread them over processes (run/sweep.c runs each in its own job):
 *
 * large_open_swing: the open-output swing (the output peak at the clipping
 * level, NAN where that failed) at each frequency of set into
 * swing_v[set->freqs_hz->count].
 *
 * large_load: the rows of amp into one load, one per frequency, appended to
 * out; their limit is LARGE_VOLTAGE wherever the output clipped. A point
 * whose simulation fails becomes a LARGE_FAILED row and the others go on; a
 * failure that concerns the whole amp (its circuit does not load, the
 * simulator died, more power leaves than its supplies give) returns an
 * error, and out is left as it was.
 *
 * large_classify: given the rows of every load and the open-output swing,
 * tells voltage, current and slew apart. */
enum as_status large_open_swing(struct ngs *s, const struct netlist *amp,
                                const struct large_settings *set, double *swing_v, char *err,
                                size_t errlen);
enum as_status large_load(struct ngs *s, const struct netlist *amp, const struct load_spec *load,
                          const struct large_settings *set, struct large_table *out, char *err,
                          size_t errlen);
void large_classify(struct large_row *rows, size_t n, const struct range *freqs,
                    const double *swing_v, const double *zout_ohm);

const char *large_limit_name(enum large_limit limit);

/* Append a copy of row (AS_ENOMEM if it cannot grow). */
enum as_status large_table_push(struct large_table *t, const struct large_row *row);

void large_table_free(struct large_table *t);

/* The clipping search on its own, for any function of level: eval returns
 * THD (%) and output peak (V) at the first *n_done (1..n) of n input levels
 * in dB (20 log10 V), ascending, n at most LARGE_BATCH_MAX: it may stop at a
 * level over the limit when the rest, higher, would tell the search nothing
 * (large_batch_done); *evals counts its calls. seed_db is the first level
 * tried; gain (V/V, > 0) is the small-signal gain used to step from an
 * over-limit level to where clipping should begin. */
typedef enum as_status (*large_eval_fn)(void *ctx, const double *level_db, size_t n,
                                        double *thd_pct, double *vout_pk_v, size_t *n_done,
                                        char *err, size_t errlen);

/* 1 when a batch measured in order as far as thd_pct[0..k] need go no
 * further: level k is over the limit, and an earlier level of the batch was
 * within it (the crossing is bracketed) or another was over it too (two
 * give the search its local slope). */
int large_batch_done(const double *thd_pct, size_t k, double thd_limit_pct);

enum large_search_end {
    LARGE_FOUND,   /* *pass_db: highest level tried within the limit, within
                      LARGE_TOL_DB of one over it */
    LARGE_CEILING, /* within the limit at seed + LARGE_CEILING_DB (*pass_db) */
    LARGE_NO_PASS, /* over the limit even at seed + LARGE_FLOOR_DB */
};

enum as_status large_search(large_eval_fn eval, void *ctx, double seed_db, double gain,
                            double thd_limit_pct, enum large_search_end *end, double *pass_db,
                            unsigned *evals, char *err, size_t errlen);

#endif
