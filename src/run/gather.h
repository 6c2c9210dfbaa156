/* gather: what a sweep puts together from its measured amps, and the
 * writing of the result files from it. The amps are gathered in the order
 * read and each amp's rows in load order, so the files do not depend on how
 * the jobs were run.
 */
#ifndef AMPSWEEP_GATHER_H
#define AMPSWEEP_GATHER_H

#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"
#include "engine/fr.h"
#include "engine/large.h"
#include "judge/verdict.h"
#include "run/jobs.h"
#include "run/spec.h"

/* Result tables, verdicts and, per amp measured, what summary.json names it
 * by; the netlists that failed as a whole and why. Everything is copied in
 * (the jobs may be freed first) and owned until gather_free. Start zeroed. */
struct gather {
    struct fr_table fr;
    struct large_table large;
    struct verdict *verdicts;
    size_t n_verdicts;
    struct strv names, paths, kinds, sources;
    struct strv failed_paths, failed_errors;
};

/* Put one measured amp's rows into g in load order, classify its
 * large-signal limits and judge it into every load of J. */
enum as_status gather_amp(struct gather *g, const struct jobs *J, const struct jobs_amp *a,
                          char *err, size_t errlen);

/* Note a netlist that failed as a whole, for summary.json. */
enum as_status gather_failed(struct gather *g, const char *path, const char *why);

/* Write every result file of spec's analyses into spec->out_dir, all or
 * none: on failure no file there was changed. */
enum as_status gather_write(const struct gather *g, const struct sweep_spec *spec, char *err,
                            size_t errlen);

/* Frees what g holds and zeroes it; accepts NULL. */
void gather_free(struct gather *g);

#endif
