/* results: a results folder read back (fr.csv, power.csv, dissipation.csv,
 * verdict.csv and summary.json, named and laid out as results/schema.h
 * spells them and docs/metrics.md defines them), so that
 * plots and the report take the folder as their only input and work on any
 * results folder, not just the sweep that just ran.
 *
 * Ownership: results_read returns a struct the caller frees with
 * results_free. Every string in it (names, sentences, settings) is borrowed
 * from the parsed files the struct keeps, and is valid until results_free.
 * Strings come from files and netlists nobody vouches for: whoever prints
 * them into another language (HTML, gnuplot) escapes them.
 */
#ifndef AMPSWEEP_RESULTS_H
#define AMPSWEEP_RESULTS_H

#include <stddef.h>

#include "base/status.h"
#include "judge/verdict.h"

struct results_fr {
    const char *amp, *load;
    double load_ohm, freq_hz, gain_db, dev_db, zload_ohm, zout_ohm, damping;
    double vnoise_uv, vnoise_a_uv; /* the load's output noise, the same on each of its rows */
    int rule8; /* 0/1, -1 when the cell is empty */
};

struct results_power {
    const char *amp, *load;
    double load_ohm, freq_hz, p_max_w, vout_rms_v, iout_pk_a, thd_pct, vout_dc_v;
    const char *limit; /* voltage, current, slew, none or failed */
};

struct results_diss {
    const char *amp, *load;
    double load_ohm, freq_hz;
    const char *device; /* "total" or an instance name */
    double p_quiescent_w, p_at_max_w, p_eighth_w, p_worst_w, tj_eighth_c, tj_worst_c, tj_max_c;
};

struct results_verdict {
    const char *amp, *load;
    double load_ohm;
    const char *profile, *criterion;
    double value, limit;
    int pass; /* 1, 0, or -1 unknown */
};

/* One amp and load of summary.json. Numbers not measured are NAN. */
struct results_load {
    const char *load;
    double load_ohm;
    const char *profile; /* speaker or headphone */
    const char *verdict; /* the sentence */
    int pass;            /* 1, 0, or -1 unknown */
    double p_required_w, p_available_w, spl_db;
    const char *tier;  /* the tier spl_db reaches; "": not measured */
    const char *limit; /* what limits p_available_w (power.csv's limit); "": not measured */
    int crit_pass[VERDICT_N_CRITERIA]; /* by enum verdict_criterion: 1, 0, -1 */
};

struct results_amp {
    const char *name, *netlist, *kind, *source;
    struct results_load *loads;
    size_t n_loads;
};

/* A whole netlist (amp NULL) or one large-signal point that failed. */
struct results_failure {
    const char *netlist; /* NULL for a point */
    const char *amp, *load;
    double load_ohm, freq_hz;
    const char *error;
};

struct results_settings {
    int has_fr, has_large; /* the analyses that ran */
    double *loads_ohm, *freqs_hz, *tran_freqs_hz;
    size_t n_loads_ohm, n_freqs_hz, n_tran_freqs_hz;
    const char **load_files;
    size_t n_load_files;
    double thd_limit_pct, ambient_c;
    const char *profile;
    /* the listening model the verdicts used; profile parsed (VERDICT_AUTO
     * if unknown), a number not recorded NAN */
    struct verdict_settings verdict;
};

struct results {
    struct results_settings settings;
    struct results_amp *amps;
    size_t n_amps;
    struct results_failure *failures;
    size_t n_failures;
    struct results_fr *fr; /* empty when the small-signal analysis did not run */
    size_t n_fr;
    struct results_power *power; /* empty when the large-signal analysis did not run */
    size_t n_power;
    struct results_diss *diss;
    size_t n_diss;
    struct results_verdict *verdicts;
    size_t n_verdicts;
    void *keep; /* the parsed files the strings point into */
};

/* Read the results folder dir. Only the files of the analyses summary.json
 * says ran are read (a stale file of an earlier sweep is ignored). A missing
 * or malformed file is AS_EINPUT naming it. */
enum as_status results_read(const char *dir, struct results **out, char *err, size_t errlen);

/* Index of an amp by name in r->amps, or -1. */
int results_amp_index(const struct results *r, const char *name);

/* The large-signal frequency nearest 1 kHz (log distance), the reference
 * frequency of docs/metrics.md; NAN when none ran. */
double results_ref_freq_hz(const struct results *r);

/* Accepts NULL. */
void results_free(struct results *r);

#endif
