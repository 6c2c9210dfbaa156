/* jobs: the sweep's work as numbered jobs, and a job's result as bytes.
 *
 * Numbering: amp a (in the order read) owns jobs a * jobs_per_amp(J) ..
 * a * jobs_per_amp(J) + n_loads; within them, slot 0 is the amp's
 * open-output swing (large-signal only) and slot 1 + l its run into load l
 * (small-signal and large-signal rows). Results are put together per amp in
 * slot order, so the files do not depend on which worker ran what, or when.
 *
 * A result record (what a worker sends and what the journal keeps) states
 * its own layout: JOBS_HEADER_FIELDS uint64 values in the writer's byte
 * order (enum jobs_header_field), then the payload: for slot 0 n_a doubles,
 * for a load n_a struct fr_row and n_b struct large_row, as raw bytes. A
 * record is read only when every header field equals this build's and its
 * length is exactly the header's plus the payload's; anything else is
 * refused (a journal of another build is never misread).
 *
 * A job's key (jobs_make_keys) is a hash of everything its result depends
 * on: the netlist's and load's text and the settings.
 */
#ifndef AMPSWEEP_JOBS_H
#define AMPSWEEP_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "engine/fr.h"
#include "engine/large.h"
#include "run/pool.h"
#include "run/spec.h"
#include "spice/netlist.h"

/* Bump when a row field's meaning changes but no size or offset does
 * (2: the open-output record holds |Zout| beside the swing; 3: the
 * large-signal runs start at the cosine's peak and step their levels, so
 * older records were measured another way). */
#define JOBS_FORMAT 3
#define JOBS_MAGIC 0x626f4a7065777341ull /* "AswepJob" read little-endian */

enum jobs_kind { JOBS_KIND_OPEN = 1, JOBS_KIND_LOAD = 2 };

enum jobs_header_field {
    JOBS_H_MAGIC,     /* JOBS_MAGIC: also catches the other byte order */
    JOBS_H_FORMAT,    /* JOBS_FORMAT */
    JOBS_H_KIND,      /* enum jobs_kind */
    JOBS_H_DOUBLE,    /* sizeof(double) */
    JOBS_H_FR_ROW,    /* sizeof(struct fr_row) */
    JOBS_H_LARGE_ROW, /* sizeof(struct large_row) */
    JOBS_H_LAYOUT,    /* hash of the rows' field offsets and sizes */
    JOBS_H_N_A,       /* swing values (open) or fr rows (load) */
    JOBS_H_N_B,       /* |Zout| values (open) or large-signal rows (load) */
    JOBS_HEADER_FIELDS
};

/* One amp's jobs and, as they come back, their results. */
struct jobs_amp {
    struct netlist *amp;       /* owned */
    const char *path;          /* borrowed from the spec */
    enum as_status st;         /* first failure of any of its jobs */
    char error[2048];          /* its message, naming the amp and the job */
    double *swing_v;           /* per large-signal frequency, from slot 0 */
    double *zout_ohm;          /* ditto, |Zout| there; NAN where not measured */
    struct fr_table *fr;       /* per load */
    struct large_table *large; /* per load */
};

/* The job model. jobs_init allocates amps (room for cap_amps) and
 * jobs_make_keys the keys; both are owned and freed by jobs_free. spec and
 * loads are borrowed and must outlive it. */
struct jobs {
    const struct sweep_spec *spec;
    const struct load_spec *loads;
    size_t n_loads;
    struct jobs_amp *amps;
    size_t n_amps, cap_amps;
    uint64_t *keys; /* per job, after jobs_make_keys */
};

enum as_status jobs_init(struct jobs *J, const struct sweep_spec *spec,
                         const struct load_spec *loads, size_t n_loads, size_t cap_amps, char *err,
                         size_t errlen);

/* Add an amp: on AS_OK J owns *amp and *amp is NULL; else *amp is the
 * caller's still. */
enum as_status jobs_add_amp(struct jobs *J, struct netlist **amp, const char *path, char *err,
                            size_t errlen);

size_t jobs_per_amp(const struct jobs *J);
size_t jobs_count(const struct jobs *J);
struct jobs_amp *jobs_amp_of(const struct jobs *J, size_t job);
size_t jobs_slot(const struct jobs *J, size_t job); /* 0: open-output; 1 + l: load l */

/* Every job's key into J->keys. */
enum as_status jobs_make_keys(struct jobs *J, char *err, size_t errlen);

/* Record job's first failure in its amp, naming the job unless why already
 * starts with the amp's path. */
void jobs_fail(const struct jobs *J, size_t job, enum as_status st, const char *why);

/* Decode a record of job into its amp's slot (which then owns the rows). */
enum as_status jobs_take(const struct jobs *J, size_t job, const void *data, size_t len, char *err,
                         size_t errlen);

/* Encoding and decoding. The decoders refuse (AS_EINPUT, with a message)
 * any record whose header differs from this build's, whose kind is not the
 * one asked for, or whose length is not exactly what the header says. */
enum as_status jobs_encode_open(struct pool_buf *out, const double *swing_v, const double *zout_ohm,
                                size_t n);
enum as_status jobs_encode_load(struct pool_buf *out, const struct fr_table *fr,
                                const struct large_table *large);
/* swing_v and zout_ohm have room for n values; the record must hold
 * exactly n of each. */
enum as_status jobs_decode_open(const void *data, size_t len, double *swing_v, double *zout_ohm,
                                size_t n, char *err, size_t errlen);
/* *fr and *large are set to new tables the caller frees (empty on failure). */
enum as_status jobs_decode_load(const void *data, size_t len, struct fr_table *fr,
                                struct large_table *large, char *err, size_t errlen);
/* The header alone: AS_OK when the record was written with this build's
 * layout (either kind). */
enum as_status jobs_check_layout(const void *data, size_t len, char *err, size_t errlen);

/* Frees the amps and keys and zeroes *J; accepts NULL and a zeroed struct. */
void jobs_free(struct jobs *J);

#endif
