/* sweep: run the chosen analyses of every amp netlist into every load and
 * write the result files into the output folder.
 *
 * A bad netlist is reported on the diagnostics stream and skipped; the other
 * netlists' results are still written. See docs/metrics.md for the files.
 */
#ifndef AMPSWEEP_SWEEP_H
#define AMPSWEEP_SWEEP_H

#include <stdio.h>

#include "base/status.h"
#include "run/spec.h"

/* A job is one amp into one load at every frequency, or its open-output
 * swing (run/jobs.h). */
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

#endif
