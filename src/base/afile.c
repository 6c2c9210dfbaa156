/* afile: the one place result files are put into place, so that every
 * writer (CSV, JSON) gets the same all-or-nothing replacement, file by file
 * and, through a stage, for a whole set of files. */
#include "base/afile.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct afile {
    FILE *fp;
    char *path;
    char *tmp;
};

static void release(struct afile *a)
{
    free(a->path);
    free(a->tmp);
    free(a);
}

enum as_status afile_open(const char *path, struct afile **out, char *err, size_t errlen)
{
    *out = NULL;
    struct afile *a = calloc(1, sizeof *a);
    if (!a || !(a->path = strdup(path)) ||
        asprintf(&a->tmp, "%s.tmp-%ld", path, (long)getpid()) < 0) {
        if (a) {
            a->tmp = NULL;
            release(a);
        }
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    }
    a->fp = fopen(a->tmp, "w");
    if (!a->fp) {
        enum as_status st =
            as_fail(err, errlen, AS_EIO, "%s: cannot write: %s", a->tmp, strerror(errno));
        release(a);
        return st;
    }
    *out = a;
    return AS_OK;
}

FILE *afile_fp(struct afile *a)
{
    return a->fp;
}

/* Make renames in dir durable. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

static void keep_first(int *e, int ok)
{
    if (!ok && !*e)
        *e = errno ? errno : EIO;
}

enum as_status afile_commit(struct afile *a, int prior_errno, char *err, size_t errlen)
{
    int e = prior_errno;
    keep_first(&e, fflush(a->fp) == 0);
    keep_first(&e, fsync(fileno(a->fp)) == 0);
    keep_first(&e, fclose(a->fp) == 0);
    if (!e)
        keep_first(&e, rename(a->tmp, a->path) == 0);
    enum as_status st = AS_OK;
    if (e) {
        st = as_fail(err, errlen, AS_EIO, "%s: cannot write: %s", a->path, strerror(e));
        unlink(a->tmp);
    } else {
        char *copy = strdup(a->path);
        if (copy)
            sync_dir(dirname(copy));
        free(copy);
    }
    release(a);
    return st;
}

void afile_abort(struct afile *a)
{
    if (!a)
        return;
    fclose(a->fp);
    unlink(a->tmp);
    release(a);
}

struct afile_stage {
    char *dir;
    char *stage;
};

static void stage_release(struct afile_stage *s)
{
    free(s->dir);
    free(s->stage);
    free(s);
}

enum as_status afile_stage_open(const char *dir, struct afile_stage **out, char *err, size_t errlen)
{
    *out = NULL;
    struct afile_stage *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir)) ||
        asprintf(&s->stage, "%s/.ampsweep-stage-%ld", dir, (long)getpid()) < 0) {
        if (s) {
            s->stage = NULL;
            stage_release(s);
        }
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", dir);
    }
    if (mkdir(s->stage, 0777) != 0) {
        enum as_status st =
            as_fail(err, errlen, AS_EIO, "%s: cannot create: %s", s->stage, strerror(errno));
        stage_release(s);
        return st;
    }
    *out = s;
    return AS_OK;
}

const char *afile_stage_dir(const struct afile_stage *s)
{
    return s->stage;
}

/* Call fn(stage/name, dir/name) for each entry of the stage but . and ..;
 * stops at the first that fails, and returns errno then (0 if none did). */
static int each_entry(const struct afile_stage *s, int (*fn)(const char *from, const char *to))
{
    DIR *d = opendir(s->stage);
    if (!d)
        return errno;
    int e = 0;
    struct dirent *de;
    while (!e && (de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char *from = NULL, *to = NULL;
        if (asprintf(&from, "%s/%s", s->stage, de->d_name) < 0)
            from = NULL;
        if (asprintf(&to, "%s/%s", s->dir, de->d_name) < 0)
            to = NULL;
        if (!from || !to)
            e = ENOMEM;
        else if (fn(from, to) != 0)
            e = errno ? errno : EIO;
        free(from);
        free(to);
    }
    closedir(d);
    return e;
}

static int unlink_from(const char *from, const char *to)
{
    (void)to;
    return unlink(from);
}

enum as_status afile_stage_commit(struct afile_stage *s, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    int e = each_entry(s, rename);
    if (e)
        st = as_fail(
            err, errlen, AS_EIO,
            "%s: cannot move the new files into place (those already moved are new, the others "
            "old): %s",
            s->dir, strerror(e));
    sync_dir(s->dir);
    afile_stage_abort(s);
    return st;
}

void afile_stage_abort(struct afile_stage *s)
{
    if (!s)
        return;
    each_entry(s, unlink_from);
    rmdir(s->stage);
    stage_release(s);
}
