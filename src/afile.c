/* afile: the one place result files are put into place, so that every
 * writer (CSV, JSON) gets the same all-or-nothing replacement. */
#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
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
        /* make the rename itself durable */
        char *copy = strdup(a->path);
        int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY) : -1;
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
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
