/* afile: replace a file atomically. Writes go to a temporary file beside the
 * target; afile_commit flushes, syncs and renames it into place, so readers
 * see the old file or the complete new one, never a half-written one.
 */
#ifndef AMPSWEEP_AFILE_H
#define AMPSWEEP_AFILE_H

#include <stddef.h>
#include <stdio.h>

#include "status.h"

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

#endif
