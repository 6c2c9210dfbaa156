/* afile: replace a file atomically. Writes go to a temporary file beside the
 * target; afile_commit flushes, syncs and renames it into place, so readers
 * see the old file or the complete new one, never a half-written one.
 * A stage does the same for a set of files: they are all written in a
 * hidden folder first, and moved into place only when every one was
 * written, so a full disk leaves the previous set as it was.
 */
#ifndef AMPSWEEP_AFILE_H
#define AMPSWEEP_AFILE_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"

struct afile;

/* Start replacing path. The caller ends with afile_commit or afile_abort,
 * either of which frees a. */
enum as_status afile_open(const char *path, struct afile **out, char *err, size_t errlen);

/* The stream to write to; valid until commit or abort. */
FILE *afile_fp(struct afile *a);

/* Rename into place unless prior_errno (an error the writer already saw) or
 * a flush, sync or rename fails; then the target is left as it was. */
enum as_status afile_commit(struct afile *a, int prior_errno, char *err, size_t errlen);

/* Drop the temporary file. Accepts NULL. */
void afile_abort(struct afile *a);

struct afile_stage;

/* Start a set of files for dir: a hidden folder in dir to write them into.
 * The caller ends with afile_stage_commit or afile_stage_abort, either of
 * which frees s. */
enum as_status afile_stage_open(const char *dir, struct afile_stage **out, char *err,
                                size_t errlen);

/* The folder to write the set's files into; valid until commit or abort. */
const char *afile_stage_dir(const struct afile_stage *s);

/* Move every file of the set into dir (each rename atomic) and remove the
 * hidden folder. */
enum as_status afile_stage_commit(struct afile_stage *s, char *err, size_t errlen);

/* Delete the set's files and folder; dir is left as it was. Accepts NULL. */
void afile_stage_abort(struct afile_stage *s);

#endif
