/* merge: one sweep split over machines (--shard I/N) and put back together
 * (ampsweep merge OUT DIR...).
 *
 * A shard runs every N-th job and keeps their results in its folder's
 * journal, beside the sweep's arguments and working folder
 * (MERGE_ARGS_FILE). Merging pools the shards' journals into OUT; the
 * caller then runs the same sweep there with --resume: every job is taken
 * from the journal, so the files are the ones a single run writes.
 *
 * This module knows no option: the arguments are opaque strings, recorded
 * and compared as the caller (cli/) chooses them.
 */
#ifndef AMPSWEEP_MERGE_H
#define AMPSWEEP_MERGE_H

#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"

#define MERGE_ARGS_FILE ".ampsweep-args"

/* The part of recorded arguments args[0..n) that makes a sweep what it is:
 * appends it to out. Applied to what every shard recorded before the
 * shards are compared, so it may also bring an older recording to today's
 * form. On error err says what is wrong. */
typedef enum as_status (*merge_args_filter)(size_t n, char *const *args, struct strv *out,
                                            char *err, size_t errlen);

/* Record in dir the working folder and args (every string as given; the
 * caller chooses which). */
enum as_status merge_save_args(const char *dir, const struct strv *args, char *err, size_t errlen);

/* Check that the shard folders dirs[0..n) hold the same sweep (the same
 * working folder, and the same arguments once filter (NULL: none) has read
 * them), write their journals together into out's journal (out must
 * exist), and append the first shard's filtered arguments to args. *cwd
 * (caller frees; NULL on error) is the folder the shards ran in: relative
 * paths among the arguments are relative to it. */
enum as_status merge_prepare(const char *out, char *const *dirs, size_t n, merge_args_filter filter,
                             struct strv *args, char **cwd, char *err, size_t errlen);

#endif
