/* csv: the one CSV writer of the project: atomic replacement, sticky errors
 * and RFC 4180 quoting, so no result file is ever left half-written. */
#include "base/csv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"

struct csv {
    struct afile *file;
    FILE *fp;   /* afile_fp(file) */
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
    if (!c)
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    enum as_status st = afile_open(path, &c->file, err, errlen);
    if (st != AS_OK) {
        free(c);
        return st;
    }
    c->fp = afile_fp(c->file);
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

void csv_empty(struct csv *c)
{
    if (!c->err)
        sep(c);
}

void csv_end_row(struct csv *c)
{
    if (c->err)
        return;
    sticky(c, fputc('\n', c->fp) != EOF);
    c->fields = 0;
}

enum as_status csv_commit(struct csv *c, char *err, size_t errlen)
{
    enum as_status st = afile_commit(c->file, c->err, err, errlen);
    free(c);
    return st;
}

void csv_abort(struct csv *c)
{
    if (!c)
        return;
    afile_abort(c->file);
    free(c);
}
