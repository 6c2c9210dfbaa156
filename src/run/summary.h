/* summary: summary.json, the sweep in words for people and in numbers for
 * tools: the settings, per amp each load's verdict as a sentence with its
 * criteria, and everything that failed (docs/metrics.md). Its file name
 * and keys are those of results/schema.h, which the reader shares.
 */
#ifndef AMPSWEEP_SUMMARY_H
#define AMPSWEEP_SUMMARY_H

#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"
#include "engine/large.h"
#include "judge/verdict.h"
#include "run/spec.h"

/* An amp that was measured (its rows are in the tables). Borrowed strings. */
struct summary_amp {
    const char *name;
    const char *path;
    const char *kind;
    const char *source;
};

struct summary_input {
    const struct sweep_spec *spec;
    const struct summary_amp *amps;
    size_t n_amps;
    const struct verdict *verdicts; /* any order; grouped under their amp */
    size_t n_verdicts;
    const struct large_table *large;  /* its LARGE_FAILED rows are listed */
    const struct strv *failed_paths;  /* netlists that failed as a whole... */
    const struct strv *failed_errors; /* ...and why (same length) */
};

/* Write dir/summary.json atomically. */
enum as_status summary_write(const char *dir, const struct summary_input *in, char *err,
                             size_t errlen);

#endif
