/* csv: the one CSV writer of the project: atomic replacement, sticky errors
 * and RFC 4180 quoting, so no result file is ever left half-written. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct csv {
    FILE *fp;
    char *path;
    char *tmp;
    int fields; /* in the current row */
    int err;    /* first errno seen, 0 if none */
};

static void sticky(struct csv *c, int ok)
{
    if (!ok && !c->err)
        c->err = errno ? errno : EIO;
}

enum as_status csv_open(const char *path, const char *header, struct csv **out, char *err,
                        size_t errlen)
{
    *out = NULL;
    struct csv *c = calloc(1, sizeof *c);
    if (!c || !(c->path = strdup(path)) ||
        asprintf(&c->tmp, "%s.tmp-%ld", path, (long)getpid()) < 0) {
        if (c)
            free(c->path);
        free(c);
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    }
    c->fp = fopen(c->tmp, "w");
    if (!c->fp) {
        enum as_status st =
            as_fail(err, errlen, AS_EIO, "%s: cannot write: %s", c->tmp, strerror(errno));
        free(c->path);
        free(c->tmp);
        free(c);
        return st;
    }
    sticky(c, fputs(header, c->fp) >= 0 && fputc('\n', c->fp) != EOF);
    *out = c;
    return AS_OK;
}

static void sep(struct csv *c)
{
    if (c->fields++ > 0)
        sticky(c, fputc(',', c->fp) != EOF);
}

void csv_str(struct csv *c, const char *s)
{
    if (c->err)
        return;
    sep(c);
    if (!strpbrk(s, ",\"\r\n")) {
        sticky(c, fputs(s, c->fp) >= 0);
        return;
    }
    sticky(c, fputc('"', c->fp) != EOF);
    for (; *s && !c->err; s++) {
        if (*s == '"')
            sticky(c, fputc('"', c->fp) != EOF);
        sticky(c, fputc(*s, c->fp) != EOF);
    }
    sticky(c, fputc('"', c->fp) != EOF);
}

void csv_num(struct csv *c, double v)
{
    if (c->err)
        return;
    sep(c);
    if (isnan(v))
        sticky(c, fputs("nan", c->fp) >= 0);
    else if (isinf(v))
        sticky(c, fputs(v > 0 ? "inf" : "-inf", c->fp) >= 0);
    else
        sticky(c, fprintf(c->fp, "%.10g", v) >= 0);
}

void csv_int(struct csv *c, long v)
{
    if (c->err)
        return;
    sep(c);
    sticky(c, fprintf(c->fp, "%ld", v) >= 0);
}

void csv_end_row(struct csv *c)
{
    if (c->err)
        return;
    sticky(c, fputc('\n', c->fp) != EOF);
    c->fields = 0;
}

static void csv_release(struct csv *c)
{
    free(c->path);
    free(c->tmp);
    free(c);
}

enum as_status csv_commit(struct csv *c, char *err, size_t errlen)
{
    sticky(c, fflush(c->fp) == 0);
    sticky(c, fsync(fileno(c->fp)) == 0);
    sticky(c, fclose(c->fp) == 0);
    c->fp = NULL;
    if (!c->err)
        sticky(c, rename(c->tmp, c->path) == 0);
    enum as_status st = AS_OK;
    if (c->err) {
        st = as_fail(err, errlen, AS_EIO, "%s: cannot write: %s", c->path, strerror(c->err));
        unlink(c->tmp);
    } else {
        /* make the rename itself durable */
        char *copy = strdup(c->path);
        int fd = copy ? open(dirname(copy), O_RDONLY | O_DIRECTORY) : -1;
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        free(copy);
    }
    csv_release(c);
    return st;
}

void csv_abort(struct csv *c)
{
    if (!c)
        return;
    if (c->fp)
        fclose(c->fp);
    unlink(c->tmp);
    csv_release(c);
}
