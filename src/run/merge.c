/* merge: the bookkeeping that lets N machines run one sweep. Kept apart
 * from the sweep: a shard is an ordinary sweep that runs a subset of jobs,
 * and a merge is an ordinary --resume whose journal came from elsewhere.
 * Which arguments a shard records, and the command line of the merged
 * sweep, are cli/'s business: here they are strings to keep and compare.
 *
 * MERGE_ARGS_FILE holds NUL-terminated strings: the working folder, then
 * the arguments.
 */
#include "run/merge.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/afile.h"
#include "run/journal.h"

enum as_status merge_save_args(const char *dir, const struct strv *args, char *err, size_t errlen)
{
    char path[4096], cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return as_fail(err, errlen, AS_EIO, "cannot read the working folder: %s", strerror(errno));
    snprintf(path, sizeof path, "%s/%s", dir, MERGE_ARGS_FILE);
    struct afile *f = NULL;
    enum as_status st = afile_open(path, &f, err, errlen);
    if (st != AS_OK)
        return st;
    int ok = fwrite(cwd, 1, strlen(cwd) + 1, afile_fp(f)) == strlen(cwd) + 1;
    for (size_t i = 0; ok && i < args->len; i++)
        ok = fwrite(args->items[i], 1, strlen(args->items[i]) + 1, afile_fp(f)) ==
             strlen(args->items[i]) + 1;
    return afile_commit(f, ok ? 0 : EIO, err, errlen);
}

/* Read dir's MERGE_ARGS_FILE into v (working folder first). */
static enum as_status read_args(const char *dir, struct strv *v, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, MERGE_ARGS_FILE);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return as_fail(err, errlen, AS_EINPUT, "%s: not a shard's output (no %s): %s", dir,
                       MERGE_ARGS_FILE, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    enum as_status st = AS_OK;
    for (int c; st == AS_OK && (c = fgetc(fp)) != EOF;) {
        if (len + 1 >= cap) {
            char *g = realloc(buf, cap = cap ? 2 * cap : 256);
            if (!g) {
                st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
                break;
            }
            buf = g;
        }
        buf[len++] = (char)c;
        if (c == '\0') {
            st = strv_push(v, buf);
            len = 0;
        }
    }
    fclose(fp);
    free(buf);
    if (st == AS_OK && (len != 0 || v->len < 1))
        st = as_fail(err, errlen, AS_EINPUT, "%s: %s is damaged", dir, MERGE_ARGS_FILE);
    return st;
}

/* dir's record: saved as read (working folder first), args its arguments
 * as filter reads them. */
static enum as_status read_shard(const char *dir, merge_args_filter filter, struct strv *saved,
                                 struct strv *args, char *err, size_t errlen)
{
    char msg[1024] = "";
    enum as_status st = read_args(dir, saved, err, errlen);
    if (st == AS_OK && filter) {
        st = filter(saved->len - 1, saved->items + 1, args, msg, sizeof msg);
        if (st != AS_OK)
            st = as_fail(err, errlen, st, "%s: %s: %s", dir, MERGE_ARGS_FILE, msg);
    }
    for (size_t i = 1; st == AS_OK && !filter && i < saved->len; i++)
        st = strv_push(args, saved->items[i]);
    return st;
}

/* AS_OK when shard b (folder dir_b, record b and arguments bargs) ran the
 * sweep shard a did; otherwise a message naming the first difference. */
static enum as_status same_sweep(const char *dir_a, const struct strv *a, const struct strv *aargs,
                                 const char *dir_b, const struct strv *b, const struct strv *bargs,
                                 char *err, size_t errlen)
{
    const char *what = "not shards of one sweep";
    if (strcmp(a->items[0], b->items[0]) != 0)
        return as_fail(err, errlen, AS_EINPUT, "merge: %s and %s are %s: they ran in %s and %s",
                       dir_a, dir_b, what, a->items[0], b->items[0]);
    size_t k = 0;
    while (k < aargs->len && k < bargs->len && strcmp(aargs->items[k], bargs->items[k]) == 0)
        k++;
    if (k < aargs->len && k < bargs->len)
        return as_fail(err, errlen, AS_EINPUT,
                       "merge: %s and %s are %s: their arguments differ, '%s' against '%s'", dir_a,
                       dir_b, what, aargs->items[k], bargs->items[k]);
    if (k < aargs->len || k < bargs->len)
        return as_fail(err, errlen, AS_EINPUT, "merge: %s and %s are %s: only %s has '%s'", dir_a,
                       dir_b, what, k < aargs->len ? dir_a : dir_b,
                       k < aargs->len ? aargs->items[k] : bargs->items[k]);
    return AS_OK;
}

static enum as_status append_file(FILE *to, const char *from, char *err, size_t errlen)
{
    FILE *fp = fopen(from, "rb");
    if (!fp)
        return as_fail(err, errlen, AS_EINPUT, "%s: cannot read: %s", from, strerror(errno));
    char buf[65536];
    size_t n;
    int ok = 1;
    while (ok && (n = fread(buf, 1, sizeof buf, fp)) > 0)
        ok = fwrite(buf, 1, n, to) == n;
    ok = ok && !ferror(fp);
    fclose(fp);
    return ok ? AS_OK : as_fail(err, errlen, AS_EIO, "%s: cannot copy: %s", from, strerror(errno));
}

/* out's journal: every shard's records, one after the other. */
static enum as_status pool_journals(const char *out, char *const *dirs, size_t n, char *err,
                                    size_t errlen)
{
    char path[4096];
    struct afile *f = NULL;
    snprintf(path, sizeof path, "%s/%s", out, JOURNAL_FILE);
    enum as_status st = afile_open(path, &f, err, errlen);
    for (size_t i = 0; i < n && st == AS_OK; i++) {
        snprintf(path, sizeof path, "%s/%s", dirs[i], JOURNAL_FILE);
        st = append_file(afile_fp(f), path, err, errlen);
    }
    if (f && st == AS_OK)
        st = afile_commit(f, 0, err, errlen);
    else
        afile_abort(f);
    return st;
}

enum as_status merge_prepare(const char *out, char *const *dirs, size_t n, merge_args_filter filter,
                             struct strv *args, char **cwd, char *err, size_t errlen)
{
    struct strv first = {0}, other = {0}, a = {0}, b = {0};
    *cwd = NULL;
    enum as_status st = n ? AS_OK : as_fail(err, errlen, AS_EINPUT, "merge: no shard folder given");
    if (st == AS_OK)
        st = read_shard(dirs[0], filter, &first, &a, err, errlen);
    for (size_t i = 1; i < n && st == AS_OK; i++) {
        strv_free(&other);
        strv_free(&b);
        st = read_shard(dirs[i], filter, &other, &b, err, errlen);
        if (st == AS_OK)
            st = same_sweep(dirs[0], &first, &a, dirs[i], &other, &b, err, errlen);
    }
    if (st == AS_OK)
        st = pool_journals(out, dirs, n, err, errlen);
    if (st == AS_OK && (strv_extend(args, &a) || !(*cwd = strdup(first.items[0]))))
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    strv_free(&first);
    strv_free(&other);
    strv_free(&a);
    strv_free(&b);
    return st;
}
