/* sweep: run the chosen analyses of every amp netlist into every load and
 * write the result files into the output folder.
 *
 * A bad netlist is reported on the diagnostics stream and skipped; the other
 * netlists' results are still written. See docs/metrics.md for the files.
 */
#ifndef AMPSWEEP_SWEEP_H
#define AMPSWEEP_SWEEP_H

#include <signal.h>
#include <stdio.h>

#include "base/range.h"
#include "base/status.h"
#include "base/strv.h"
#include "judge/verdict.h"

enum sweep_analysis { SWEEP_FR = 1u << 0, SWEEP_LARGE = 1u << 1 };

/* What to sweep. Owned by whoever filled it (cli_parse); sweep_run only reads it. */
struct sweep_spec {
    const char *out_dir;
    const char *models_dir;
    struct range loads_ohm;  /* resistive loads; count 0 for none */
    struct strv load_files;  /* --load-file paths */
    struct strv load_models; /* --load-model names or paths: scaled to each of loads_ohm,
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

/* A job is one amp into one load at every frequency. */
/* bench/run.sh, one worker over 2,400 small-signal jobs: its private
 * memory grew from 5.3 to 15.4 MiB unrecycled, +20 % at most when replaced
 * every 100 jobs and +11 % every 50. A worker start costs about 3 ms, 1.3 %
 * of 50 of the fastest jobs (5 ms each). */
#define SWEEP_DEFAULT_RECYCLE 50
/* A chosen margin: the default demo averages 2.4 s a job (240 jobs in
 * 283 s on 2 workers); a job 375 times that long is stuck. */
#define SWEEP_DEFAULT_TIMEOUT_S 900.0

/* Run the sweep. Returns AS_OK when every netlist was measured and every
 * file written; otherwise the first failure's code, with err holding a
 * one-line summary (each failure was already printed to diag). */
enum as_status sweep_run(const struct sweep_spec *spec, FILE *diag, char *err, size_t errlen);

void sweep_spec_free(struct sweep_spec *spec);

#endif
