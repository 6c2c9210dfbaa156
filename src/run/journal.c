/* journal: append-only record of finished jobs, read back by --resume.
 *
 * Record layout: magic (u32), key (u64), data length (u64), data, then a
 * hash of key and data (u64). A record whose hash does not match, or that
 * ends early, is where reading stops: everything after a torn write is
 * re-run, nothing wrong is ever taken.
 */
#include "run/journal.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define JOURNAL_MAGIC 0x6a53414du /* "MASj" */

struct record {
    uint64_t key;
    unsigned char *data;
    size_t len;
};

struct journal {
    FILE *fp;
    char *path;
    struct record *recs;
    size_t n, cap;
};

uint64_t journal_hash(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

uint64_t journal_hash_str(uint64_t h, const char *s)
{
    return journal_hash(h, s, strlen(s) + 1); /* the NUL keeps "ab","c" apart from "a","bc" */
}

static uint64_t record_check(uint64_t key, const void *data, size_t len)
{
    return journal_hash(journal_hash(JOURNAL_HASH_INIT, &key, sizeof key), data, len);
}

/* Read records until the end or the first damaged one; *good_end is the
 * file offset after the last good record. */
static enum as_status read_back(struct journal *j, FILE *fp, long *good_end)
{
    *good_end = 0;
    for (;;) {
        uint32_t magic;
        uint64_t key, len, check;
        if (fread(&magic, sizeof magic, 1, fp) != 1 || magic != JOURNAL_MAGIC ||
            fread(&key, sizeof key, 1, fp) != 1 || fread(&len, sizeof len, 1, fp) != 1 ||
            len > ((uint64_t)1 << 32))
            return AS_OK;
        unsigned char *data = malloc(len ? len : 1);
        if (!data)
            return AS_ENOMEM;
        if (fread(data, 1, len, fp) != len || fread(&check, sizeof check, 1, fp) != 1 ||
            check != record_check(key, data, len)) {
            free(data);
            return AS_OK;
        }
        assert(j->n <= j->cap);
        if (j->n == j->cap) {
            size_t cap = j->cap ? 2 * j->cap : 64;
            struct record *g = realloc(j->recs, cap * sizeof *g);
            if (!g) {
                free(data);
                return AS_ENOMEM;
            }
            j->recs = g;
            j->cap = cap;
        }
        j->recs[j->n++] = (struct record){.key = key, .data = data, .len = len};
        *good_end = ftell(fp);
    }
}

enum as_status journal_open(const char *dir, int resume, struct journal **out, char *err,
                            size_t errlen)
{
    *out = NULL;
    struct journal *j = calloc(1, sizeof *j);
    enum as_status st = AS_OK;
    if (!j || asprintf(&j->path, "%s/%s", dir, JOURNAL_FILE) < 0) {
        if (j)
            j->path = NULL;
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        goto out;
    }
    long good_end = 0;
    FILE *old = resume ? fopen(j->path, "rb") : NULL;
    if (old) {
        st = read_back(j, old, &good_end);
        fclose(old);
        if (st != AS_OK) {
            as_fail(err, errlen, st, "%s: out of memory", j->path);
            goto out;
        }
        /* drop a torn tail, then append */
        if (truncate(j->path, good_end) != 0) {
            st = as_fail(err, errlen, AS_EIO, "%s: cannot trim: %s", j->path, strerror(errno));
            goto out;
        }
    }
    j->fp = fopen(j->path, old ? "ab" : "wb");
    if (!j->fp)
        st = as_fail(err, errlen, AS_EIO, "%s: cannot write: %s", j->path, strerror(errno));
out:
    if (st != AS_OK) {
        journal_free(j);
        return st;
    }
    *out = j;
    return AS_OK;
}

const void *journal_find(const struct journal *j, uint64_t key, size_t *len)
{
    /* the last record of a key wins (a job re-run after a change of mind) */
    for (size_t i = j->n; i-- > 0;)
        if (j->recs[i].key == key) {
            *len = j->recs[i].len;
            return j->recs[i].data;
        }
    return NULL;
}

size_t journal_count(const struct journal *j)
{
    return j->n;
}

const void *journal_record(const struct journal *j, size_t i, size_t *len)
{
    assert(i < j->n);
    *len = j->recs[i].len;
    return j->recs[i].data;
}

enum as_status journal_append(struct journal *j, uint64_t key, const void *data, size_t len,
                              char *err, size_t errlen)
{
    uint32_t magic = JOURNAL_MAGIC;
    uint64_t len64 = len, check = record_check(key, data, len);
    int ok = fwrite(&magic, sizeof magic, 1, j->fp) == 1 &&
             fwrite(&key, sizeof key, 1, j->fp) == 1 &&
             fwrite(&len64, sizeof len64, 1, j->fp) == 1 &&
             (len == 0 || fwrite(data, 1, len, j->fp) == len) &&
             fwrite(&check, sizeof check, 1, j->fp) == 1 && fflush(j->fp) == 0 &&
             fdatasync(fileno(j->fp)) == 0;
    if (!ok)
        return as_fail(err, errlen, AS_EIO, "%s: cannot write: %s", j->path,
                       strerror(errno ? errno : EIO));
    return AS_OK;
}

void journal_free(struct journal *j)
{
    if (!j)
        return;
    if (j->fp)
        fclose(j->fp);
    for (size_t i = 0; i < j->n; i++)
        free(j->recs[i].data);
    free(j->recs);
    free(j->path);
    free(j);
}
