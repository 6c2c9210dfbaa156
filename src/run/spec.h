/* spec: what a sweep is asked to do, as the command line gives it: the
 * plain settings every part of run/ reads (the sweep, the journal keys,
 * summary.json). Filled by cli_parse; freed with sweep_spec_free.
 */
#ifndef AMPSWEEP_SPEC_H
#define AMPSWEEP_SPEC_H

#include <signal.h>

#include "base/range.h"
#include "base/strv.h"
#include "judge/verdict.h"
#include "spice/spfile.h"

enum sweep_analysis { SWEEP_FR = 1u << 0, SWEEP_LARGE = 1u << 1 };

/* What to sweep. Owned by whoever filled it (cli_parse); sweep_run only reads it. */
struct sweep_spec {
    const char *out_dir;
    const char *models_dir;
    struct strv include_dirs; /* --include-dir: more places includes may come from */
    struct range loads_ohm;   /* resistive loads; count 0 for none */
    struct strv load_files;   /* --load-file paths */
    struct strv load_models;  /* --load-model names or paths: scaled to each of loads_ohm,
                                 which then are not swept as resistors */
    struct range freqs_hz;
    unsigned analyses;          /* enum sweep_analysis bits */
    struct strv netlists;       /* files, folders already expanded */
    struct range tran_freqs_hz; /* large-signal frequencies */
    double thd_limit_pct;
    double ambient_c;
    struct verdict_settings verdict;
    unsigned jobs;             /* worker processes; 0: one per core */
    unsigned recycle;          /* jobs per worker before it is replaced; 0: SWEEP_DEFAULT_RECYCLE */
    double timeout_s;          /* per job; 0: SWEEP_DEFAULT_TIMEOUT_S */
    int quiet;                 /* no progress lines */
    int resume;                /* take finished jobs from the output folder's journal */
    unsigned shard_i, shard_n; /* run only jobs j with j % shard_n == shard_i - 1, keep them
                                  in the journal and write no result files; 0: all */
    volatile sig_atomic_t *stop; /* set (by a signal handler) to stop between jobs; NULL:
                                    never (borrowed) */
};

/* Where the spec's netlists and load files may include from: borrows spec,
 * valid while it is. */
struct spfile_places sweep_spec_places(const struct sweep_spec *spec);

void sweep_spec_free(struct sweep_spec *spec);

#endif
