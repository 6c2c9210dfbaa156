/* jobs: the job model of a sweep (amp x slot numbering), the byte format
 * of a job's result and each job's key. Kept in one place because the
 * three must agree: a worker encodes what the parent decodes, and the
 * journal keeps those bytes across runs (and builds) under the key, so a
 * record must say what layout it was written in and be refused otherwise.
 */
#include "run/jobs.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/journal.h"

/* ---- the model ---- */

enum as_status jobs_init(struct jobs *J, const struct sweep_spec *spec,
                         const struct load_spec *loads, size_t n_loads, size_t cap_amps, char *err,
                         size_t errlen)
{
    *J = (struct jobs){.spec = spec, .loads = loads, .n_loads = n_loads, .cap_amps = cap_amps};
    J->amps = calloc(cap_amps + 1, sizeof *J->amps);
    if (!J->amps)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    return AS_OK;
}

enum as_status jobs_add_amp(struct jobs *J, struct netlist **amp, const char *path, char *err,
                            size_t errlen)
{
    assert(J->n_amps < J->cap_amps);
    struct jobs_amp a = {.amp = *amp, .path = path};
    a.swing_v = calloc(J->spec->tran_freqs_hz.count + 1, sizeof *a.swing_v);
    a.zout_ohm = calloc(J->spec->tran_freqs_hz.count + 1, sizeof *a.zout_ohm);
    a.fr = calloc(J->n_loads + 1, sizeof *a.fr);
    a.large = calloc(J->n_loads + 1, sizeof *a.large);
    if (!a.swing_v || !a.zout_ohm || !a.fr || !a.large) {
        free(a.swing_v);
        free(a.zout_ohm);
        free(a.fr);
        free(a.large);
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    }
    J->amps[J->n_amps++] = a;
    *amp = NULL;
    return AS_OK;
}

size_t jobs_per_amp(const struct jobs *J)
{
    return J->n_loads + 1; /* the open-output job, then one per load */
}

size_t jobs_count(const struct jobs *J)
{
    return J->n_amps * jobs_per_amp(J);
}

struct jobs_amp *jobs_amp_of(const struct jobs *J, size_t job)
{
    assert(job < jobs_count(J));
    return &J->amps[job / jobs_per_amp(J)];
}

size_t jobs_slot(const struct jobs *J, size_t job)
{
    assert(job < jobs_count(J));
    return job % jobs_per_amp(J);
}

void jobs_fail(const struct jobs *J, size_t job, enum as_status st, const char *why)
{
    struct jobs_amp *a = jobs_amp_of(J, job);
    size_t slot = jobs_slot(J, job);
    assert(st != AS_OK);
    if (a->st != AS_OK)
        return;
    a->st = st;
    /* the engine's own messages (a crash, a timeout) do not know the job */
    if (!strncmp(why, a->path, strlen(a->path)))
        snprintf(a->error, sizeof a->error, "%s", why);
    else if (slot == 0)
        snprintf(a->error, sizeof a->error, "%s: the open-output job: %s", a->path, why);
    else
        snprintf(a->error, sizeof a->error, "%s: into %s (%g ohm): %s", a->path,
                 J->loads[slot - 1].file ? J->loads[slot - 1].file->name : LOAD_RESISTOR_NAME,
                 J->loads[slot - 1].nominal_ohm, why);
}

enum as_status jobs_take(const struct jobs *J, size_t job, const void *data, size_t len, char *err,
                         size_t errlen)
{
    struct jobs_amp *a = jobs_amp_of(J, job);
    size_t slot = jobs_slot(J, job);
    if (slot == 0)
        return jobs_decode_open(data, len, a->swing_v, a->zout_ohm, J->spec->tran_freqs_hz.count,
                                err, errlen);
    /* a slot is filled once: the journal's record or the worker's, never both */
    assert(!a->fr[slot - 1].rows && !a->large[slot - 1].rows);
    return jobs_decode_load(data, len, &a->fr[slot - 1], &a->large[slot - 1], err, errlen);
}

void jobs_free(struct jobs *J)
{
    if (!J)
        return;
    for (size_t i = 0; J->amps && i < J->n_amps; i++) {
        struct jobs_amp *a = &J->amps[i];
        netlist_free(a->amp);
        free(a->swing_v);
        free(a->zout_ohm);
        for (size_t l = 0; a->fr && l < J->n_loads; l++)
            fr_table_free(&a->fr[l]);
        for (size_t l = 0; a->large && l < J->n_loads; l++)
            large_table_free(&a->large[l]);
        free(a->fr);
        free(a->large);
    }
    free(J->amps);
    free(J->keys);
    *J = (struct jobs){0};
}

/* ---- keys ---- */

static uint64_t hash_lines(uint64_t h, const struct strv *lines)
{
    for (size_t i = 0; i < lines->len; i++)
        h = journal_hash_str(h, lines->items[i]);
    return h;
}

static uint64_t hash_num(uint64_t h, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return journal_hash_str(h, buf);
}

/* What every job's result depends on besides its amp and load (the verdict
 * settings are applied afterwards). The leading string is only a salt now:
 * the record's header, not the key, guards the layout of the bytes. */
static uint64_t settings_key(const struct sweep_spec *spec)
{
    uint64_t set = journal_hash_str(JOURNAL_HASH_INIT, "ampsweep journal 1");
    set = hash_num(set, spec->analyses);
    for (size_t i = 0; i < spec->freqs_hz.count; i++)
        set = hash_num(set, spec->freqs_hz.values[i]);
    set = journal_hash_str(set, "tran");
    for (size_t i = 0; i < spec->tran_freqs_hz.count; i++)
        set = hash_num(set, spec->tran_freqs_hz.values[i]);
    return hash_num(hash_num(set, spec->thd_limit_pct), spec->ambient_c);
}

enum as_status jobs_make_keys(struct jobs *J, char *err, size_t errlen)
{
    free(J->keys);
    J->keys = calloc(jobs_count(J) + 1, sizeof *J->keys);
    if (!J->keys)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    uint64_t set = settings_key(J->spec);
    for (size_t a = 0; a < J->n_amps; a++) {
        const struct netlist *amp = J->amps[a].amp;
        uint64_t ka = hash_lines(journal_hash_str(set, amp->file->path), &amp->file->body);
        if (amp->compat[0]) /* the mode ngspice parses it in (none: keys as before) */
            ka = journal_hash_str(ka, amp->compat);
        for (size_t slot = 0; slot < jobs_per_amp(J); slot++) {
            uint64_t k = ka;
            if (slot == 0) {
                k = journal_hash_str(k, "open");
            } else {
                const struct load_spec *l = &J->loads[slot - 1];
                k = hash_num(hash_num(k, l->nominal_ohm), l->scale);
                k = l->file ? hash_lines(journal_hash_str(k, l->file->name), &l->file->file->body)
                            : journal_hash_str(k, LOAD_RESISTOR_NAME);
            }
            J->keys[a * jobs_per_amp(J) + slot] = k;
        }
    }
    return AS_OK;
}

/* ---- the record format ---- */

/* Every field's offset and size: a row reordered or retyped at the same
 * size still reads as another layout. */
static uint64_t layout_hash(void)
{
#define F(T, m) offsetof(struct T, m), sizeof(((struct T *)0)->m)
    static const size_t parts[] = {sizeof(double),
                                   sizeof(size_t),
                                   sizeof(int),
                                   sizeof(enum large_limit),
                                   sizeof(struct fr_row),
                                   F(fr_row, amp),
                                   F(fr_row, load),
                                   F(fr_row, load_ohm),
                                   F(fr_row, freq_hz),
                                   F(fr_row, gain_db),
                                   F(fr_row, dev_db),
                                   F(fr_row, zload_ohm),
                                   F(fr_row, zout_ohm),
                                   F(fr_row, damping),
                                   F(fr_row, rule8),
                                   sizeof(struct large_row),
                                   F(large_row, amp),
                                   F(large_row, load),
                                   F(large_row, load_ohm),
                                   F(large_row, freq_hz),
                                   F(large_row, limit),
                                   F(large_row, error),
                                   F(large_row, vin_pk_v),
                                   F(large_row, p_max_w),
                                   F(large_row, vout_rms_v),
                                   F(large_row, vout_pk_v),
                                   F(large_row, iout_pk_a),
                                   F(large_row, thd_pct),
                                   F(large_row, runs),
                                   F(large_row, periods),
                                   F(large_row, n_devices),
                                   F(large_row, device),
                                   F(large_row, p_quiescent_w),
                                   F(large_row, p_at_max_w),
                                   F(large_row, p_worst_w),
                                   F(large_row, tj_worst_c),
                                   F(large_row, tj_max_c),
                                   F(large_row, dissipation_known),
                                   F(large_row, n_curve),
                                   F(large_row, curve),
                                   F(large_curve_point, p_w),
                                   F(large_curve_point, thd_pct)};
#undef F
    return journal_hash(JOURNAL_HASH_INIT, parts, sizeof parts);
}

static void header(uint64_t h[JOBS_HEADER_FIELDS], enum jobs_kind kind, size_t n_a, size_t n_b)
{
    h[JOBS_H_MAGIC] = JOBS_MAGIC;
    h[JOBS_H_FORMAT] = JOBS_FORMAT;
    h[JOBS_H_KIND] = kind;
    h[JOBS_H_DOUBLE] = sizeof(double);
    h[JOBS_H_FR_ROW] = sizeof(struct fr_row);
    h[JOBS_H_LARGE_ROW] = sizeof(struct large_row);
    h[JOBS_H_LAYOUT] = layout_hash();
    h[JOBS_H_N_A] = n_a;
    h[JOBS_H_N_B] = n_b;
}

enum as_status jobs_encode_open(struct pool_buf *out, const double *swing_v, const double *zout_ohm,
                                size_t n)
{
    uint64_t h[JOBS_HEADER_FIELDS];
    header(h, JOBS_KIND_OPEN, n, n);
    enum as_status st = pool_buf_add(out, h, sizeof h);
    if (st == AS_OK)
        st = pool_buf_add(out, swing_v, n * sizeof *swing_v);
    return st == AS_OK ? pool_buf_add(out, zout_ohm, n * sizeof *zout_ohm) : st;
}

enum as_status jobs_encode_load(struct pool_buf *out, const struct fr_table *fr,
                                const struct large_table *large)
{
    uint64_t h[JOBS_HEADER_FIELDS];
    header(h, JOBS_KIND_LOAD, fr->len, large->len);
    enum as_status st = pool_buf_add(out, h, sizeof h);
    if (st == AS_OK)
        st = pool_buf_add(out, fr->rows, fr->len * sizeof *fr->rows);
    if (st == AS_OK)
        st = pool_buf_add(out, large->rows, large->len * sizeof *large->rows);
    return st;
}

enum as_status jobs_check_layout(const void *data, size_t len, char *err, size_t errlen)
{
    uint64_t h[JOBS_HEADER_FIELDS], want[JOBS_HEADER_FIELDS];
    if (len < sizeof h)
        return as_fail(err, errlen, AS_EINPUT, "a result record of %zu bytes has no header", len);
    memcpy(h, data, sizeof h);
    header(want, JOBS_KIND_OPEN, 0, 0); /* the kind is checked on its own */
    if (h[JOBS_H_MAGIC] != want[JOBS_H_MAGIC] || h[JOBS_H_FORMAT] != want[JOBS_H_FORMAT])
        return as_fail(err, errlen, AS_EINPUT, "a result record is not of format %d", JOBS_FORMAT);
    if ((h[JOBS_H_KIND] != JOBS_KIND_OPEN && h[JOBS_H_KIND] != JOBS_KIND_LOAD) ||
        memcmp(h + JOBS_H_DOUBLE, want + JOBS_H_DOUBLE,
               (JOBS_H_LAYOUT + 1 - JOBS_H_DOUBLE) * sizeof *h) != 0)
        return as_fail(err, errlen, AS_EINPUT,
                       "a result record has another layout (rows of %llu and %llu bytes, "
                       "here %zu and %zu)",
                       (unsigned long long)h[JOBS_H_FR_ROW],
                       (unsigned long long)h[JOBS_H_LARGE_ROW], sizeof(struct fr_row),
                       sizeof(struct large_row));
    return AS_OK;
}

/* Check the header of a record of kind whose payload is n_a elements of
 * size_a and n_b of size_b, exactly; *h gets the header. */
static enum as_status check_record(const void *data, size_t len, enum jobs_kind kind,
                                   uint64_t h[JOBS_HEADER_FIELDS], size_t size_a, size_t size_b,
                                   char *err, size_t errlen)
{
    enum as_status st = jobs_check_layout(data, len, err, errlen);
    if (st != AS_OK)
        return st;
    memcpy(h, data, JOBS_HEADER_FIELDS * sizeof *h);
    if (h[JOBS_H_KIND] != (uint64_t)kind)
        return as_fail(err, errlen, AS_EINPUT, "a result record of the wrong kind of job");
    size_t body = len - JOBS_HEADER_FIELDS * sizeof *h;
    /* division first: no count can overflow the product */
    int fits =
        h[JOBS_H_N_A] <= body / size_a && h[JOBS_H_N_B] <= (body - h[JOBS_H_N_A] * size_a) / size_b;
    if (!fits || h[JOBS_H_N_A] * size_a + h[JOBS_H_N_B] * size_b != body)
        return as_fail(err, errlen, AS_EINPUT,
                       "a result record of %zu bytes does not hold exactly the %llu + %llu "
                       "items its header names",
                       len, (unsigned long long)h[JOBS_H_N_A], (unsigned long long)h[JOBS_H_N_B]);
    return AS_OK;
}

enum as_status jobs_decode_open(const void *data, size_t len, double *swing_v, double *zout_ohm,
                                size_t n, char *err, size_t errlen)
{
    uint64_t h[JOBS_HEADER_FIELDS];
    enum as_status st =
        check_record(data, len, JOBS_KIND_OPEN, h, sizeof *swing_v, sizeof *zout_ohm, err, errlen);
    if (st == AS_OK && (h[JOBS_H_N_A] != n || h[JOBS_H_N_B] != n))
        st = as_fail(err, errlen, AS_EINPUT,
                     "an open-output record holds %llu and %llu values where %zu of each are "
                     "wanted",
                     (unsigned long long)h[JOBS_H_N_A], (unsigned long long)h[JOBS_H_N_B], n);
    const unsigned char *p = (const unsigned char *)data + sizeof h;
    if (st == AS_OK && n) {
        memcpy(swing_v, p, n * sizeof *swing_v);
        memcpy(zout_ohm, p + n * sizeof *swing_v, n * sizeof *zout_ohm);
    }
    return st;
}

/* A copy of n rows of size bytes at p, or NULL for none (*st on failure). */
static void *copy_rows(const unsigned char *p, size_t n, size_t size, enum as_status *st)
{
    void *rows = n ? malloc(n * size) : NULL;
    if (n && !rows)
        *st = AS_ENOMEM;
    else if (n)
        memcpy(rows, p, n * size);
    return rows;
}

enum as_status jobs_decode_load(const void *data, size_t len, struct fr_table *fr,
                                struct large_table *large, char *err, size_t errlen)
{
    uint64_t h[JOBS_HEADER_FIELDS];
    *fr = (struct fr_table){0};
    *large = (struct large_table){0};
    enum as_status st = check_record(data, len, JOBS_KIND_LOAD, h, sizeof *fr->rows,
                                     sizeof *large->rows, err, errlen);
    if (st != AS_OK)
        return st;
    const unsigned char *p = (const unsigned char *)data + sizeof h;
    size_t n_fr = h[JOBS_H_N_A], n_large = h[JOBS_H_N_B];
    fr->rows = copy_rows(p, n_fr, sizeof *fr->rows, &st);
    large->rows = copy_rows(p + n_fr * sizeof *fr->rows, n_large, sizeof *large->rows, &st);
    if (st != AS_OK) {
        fr_table_free(fr);
        large_table_free(large);
        *fr = (struct fr_table){0};
        *large = (struct large_table){0};
        return as_fail(err, errlen, st, "out of memory");
    }
    fr->len = fr->cap = n_fr;
    large->len = large->cap = n_large;
    return AS_OK;
}
