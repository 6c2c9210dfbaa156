/* csv: write one CSV file atomically, with sticky errors.
 *
 * csv_open writes to a temporary file beside the target; csv_commit flushes,
 * syncs and renames it into place, so the target is either the old file or
 * the complete new one, never half-written. After the first write error
 * every later call does nothing and csv_commit reports that error (so a
 * caller checks once, at the end). Fields follow RFC 4180: a field with a
 * comma, quote or line break is quoted. Numbers use %.10g; non-finite
 * values are written "inf", "-inf" and "nan".
 */
#ifndef AMPSWEEP_CSV_H
#define AMPSWEEP_CSV_H

#include <stddef.h>

#include "base/status.h"

struct csv;

/* Start path. header is the first line without its newline. Caller ends
 * with csv_commit or csv_abort, either of which frees the writer. */
enum as_status csv_open(const char *path, const char *header, struct csv **out, char *err,
                        size_t errlen);

void csv_str(struct csv *c, const char *s);
void csv_num(struct csv *c, double v);
void csv_int(struct csv *c, long v);
void csv_empty(struct csv *c); /* an empty field: no value */
void csv_end_row(struct csv *c);

/* Finish: rename into place. Frees c whatever happens. */
enum as_status csv_commit(struct csv *c, char *err, size_t errlen);

/* Drop the temporary file and free c. Accepts NULL. */
void csv_abort(struct csv *c);

#endif
