/* merge: the bookkeeping that lets N machines run one sweep. Kept apart
 * from the sweep: a shard is an ordinary sweep that runs a subset of jobs,
 * and a merge is an ordinary --resume whose journal came from elsewhere.
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

enum as_status merge_save_args(const char *dir, int argc, char *const *argv, char *err,
                               size_t errlen)
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
    for (int i = 0; ok && i < argc; i++)
        ok = fwrite(argv[i], 1, strlen(argv[i]) + 1, afile_fp(f)) == strlen(argv[i]) + 1;
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

/* Copy the sweep arguments of saved (after the working folder) into out,
 * leaving out --out and --shard with their values. */
static enum as_status strip(const struct strv *saved, struct strv *out)
{
    enum as_status st = AS_OK;
    for (size_t i = 1; i < saved->len && st == AS_OK; i++) {
        const char *a = saved->items[i];
        if (strcmp(a, "--out") == 0 || strcmp(a, "--shard") == 0) {
            i++; /* and its value */
            continue;
        }
        if (strncmp(a, "--out=", 6) == 0 || strncmp(a, "--shard=", 8) == 0)
            continue;
        st = strv_push(out, a);
    }
    return st;
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

enum as_status merge_prepare(const char *out, char *const *dirs, size_t n, struct strv *args,
                             char **cwd, char *err, size_t errlen)
{
    struct strv first = {0}, other = {0}, a = {0}, b = {0};
    char path[PATH_MAX + 64], abs_out[PATH_MAX];
    struct afile *f = NULL;
    *cwd = NULL;
    enum as_status st = n ? AS_OK : as_fail(err, errlen, AS_EINPUT, "merge: no shard folder given");
    if (st == AS_OK)
        st = read_args(dirs[0], &first, err, errlen);
    if (st == AS_OK)
        st = strip(&first, &a);
    for (size_t i = 1; i < n && st == AS_OK; i++) {
        strv_free(&other);
        strv_free(&b);
        st = read_args(dirs[i], &other, err, errlen);
        if (st == AS_OK)
            st = strip(&other, &b);
        int same = st == AS_OK && a.len == b.len && strcmp(first.items[0], other.items[0]) == 0;
        for (size_t k = 0; same && k < a.len; k++)
            same = strcmp(a.items[k], b.items[k]) == 0;
        if (st == AS_OK && !same)
            st = as_fail(err, errlen, AS_EINPUT,
                         "merge: %s and %s are not shards of one sweep (their arguments or "
                         "working folders differ)",
                         dirs[0], dirs[i]);
    }
    /* out's journal: every shard's records, one after the other */
    if (st == AS_OK && !realpath(out, abs_out))
        st = as_fail(err, errlen, AS_EINPUT, "%s: %s", out, strerror(errno));
    if (st == AS_OK) {
        snprintf(path, sizeof path, "%s/%s", abs_out, JOURNAL_FILE);
        st = afile_open(path, &f, err, errlen);
    }
    for (size_t i = 0; i < n && st == AS_OK; i++) {
        char from[4096];
        snprintf(from, sizeof from, "%s/%s", dirs[i], JOURNAL_FILE);
        st = append_file(afile_fp(f), from, err, errlen);
    }
    if (f && st == AS_OK)
        st = afile_commit(f, 0, err, errlen);
    else
        afile_abort(f);
    /* options first: the sweep takes options only before its first netlist */
    if (st == AS_OK &&
        (strv_push(args, "ampsweep") || strv_push(args, "sweep") || strv_push(args, "--out") ||
         strv_push(args, abs_out) || strv_push(args, "--resume") || strv_extend(args, &a) ||
         !(*cwd = strdup(first.items[0]))))
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    strv_free(&first);
    strv_free(&other);
    strv_free(&a);
    strv_free(&b);
    return st;
}
