/* merge: one sweep split over machines (--shard I/N) and put back together
 * (ampsweep merge OUT DIR...).
 *
 * A shard runs every N-th job and keeps their results in its folder's
 * journal, beside the sweep's arguments and working folder
 * (MERGE_ARGS_FILE). Merging pools the shards' journals into OUT and runs the
 * same sweep there with --resume: every job is then taken from the journal,
 * so the files are the ones a single run writes.
 */
#ifndef AMPSWEEP_MERGE_H
#define AMPSWEEP_MERGE_H

#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"

#define MERGE_ARGS_FILE ".ampsweep-args"

/* Record in dir the working folder and the sweep's arguments (argv[0..argc),
 * everything after "sweep"). */
enum as_status merge_save_args(const char *dir, int argc, char *const *argv, char *err,
                               size_t errlen);

/* Check that the shard folders dirs[0..n) hold the same sweep (their
 * arguments equal but for --out and --shard), write their journals together
 * into out's journal, and fill args with a command line for that sweep into
 * out: "ampsweep", "sweep", --out OUT (made absolute), --resume, then the
 * recorded arguments without --out/--shard. *cwd (caller frees) is the
 * folder the shards ran in: relative netlist paths are relative to it. */
enum as_status merge_prepare(const char *out, char *const *dirs, size_t n, struct strv *args,
                             char **cwd, char *err, size_t errlen);

#endif
