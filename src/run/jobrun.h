/* jobrun: run a sweep's jobs (run/jobs.h): take what the journal already
 * holds, hand the rest to worker processes (run/pool.h) and record each
 * finished job in the journal as it comes back.
 */
#ifndef AMPSWEEP_JOBRUN_H
#define AMPSWEEP_JOBRUN_H

#include <stdio.h>

#include "base/status.h"
#include "run/jobs.h"
#include "run/journal.h"

/* Run every job of J not in journal, until J->spec->stop is set. The
 * results land in J's amps (a failed job in its amp's st and error); J and
 * journal stay the caller's. *journal_ok is set to 0 when recording a job
 * failed (the sweep goes on without resumability; a warning went to diag).
 * With --resume, a journal written by another build is refused (AS_EINPUT)
 * before any job runs. AS_EINTR when stopped. */
enum as_status jobrun_run(struct jobs *J, struct journal *journal, FILE *diag, int *journal_ok,
                          char *err, size_t errlen);

#endif
