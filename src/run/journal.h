/* journal: the record of finished jobs in an output folder, so an
 * interrupted sweep resumes where it stopped (--resume).
 *
 * Each record is a job's key (a hash of everything its result depends on:
 * the netlist's and load's text and the settings) and its result bytes,
 * appended and flushed to disk as the job finishes. A record cut short by a
 * crash is ignored when the journal is read back. The journal does not read
 * the result bytes: their format, and its check, is run/jobs.h's.
 */
#ifndef AMPSWEEP_JOURNAL_H
#define AMPSWEEP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

#define JOURNAL_FILE ".ampsweep-journal"

struct journal;

/* Open dir/JOURNAL_FILE: with resume, read the records already there and
 * append after them; without, start it empty. Caller frees with
 * journal_free. */
enum as_status journal_open(const char *dir, int resume, struct journal **out, char *err,
                            size_t errlen);

/* The result recorded for key, or NULL. Valid until journal_free. */
const void *journal_find(const struct journal *j, uint64_t key, size_t *len);

/* Record a finished job, on disk before this returns. */
enum as_status journal_append(struct journal *j, uint64_t key, const void *data, size_t len,
                              char *err, size_t errlen);

/* Records read back at open. */
size_t journal_count(const struct journal *j);

/* Record i (< journal_count) read back at open: its data and length. Valid
 * until journal_free. */
const void *journal_record(const struct journal *j, size_t i, size_t *len);

/* FNV-1a, 64 bit: fold len bytes into h (start from JOURNAL_HASH_INIT). */
#define JOURNAL_HASH_INIT 1469598103934665603ull
uint64_t journal_hash(uint64_t h, const void *data, size_t len);
uint64_t journal_hash_str(uint64_t h, const char *s);

/* Accepts NULL. */
void journal_free(struct journal *j);

#endif
