/* csvread: the one CSV reader, the counterpart of csv.c. Exists because the
 * plot and report steps take a results folder as their only input: they
 * must read what any sweep wrote, quoted fields included. */
#include "base/csvread.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Growable array of field start offsets into the decoded text. */
struct offsets {
    size_t *v;
    size_t len, cap;
};

static int push_offset(struct offsets *o, size_t off)
{
    if (o->len == o->cap) {
        size_t cap = o->cap ? 2 * o->cap : 64;
        size_t *v = realloc(o->v, cap * sizeof *v);
        if (!v)
            return -1;
        o->v = v;
        o->cap = cap;
    }
    o->v[o->len++] = off;
    return 0;
}

enum as_status csvr_parse(const char *text, size_t len, const char *name, struct csvr **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    enum as_status st = AS_OK;
    struct offsets offs = {0};
    struct csvr *t = calloc(1, sizeof *t);
    char *dst = malloc(len + 1); /* decoded fields are never longer than the text */
    size_t n = 0, fields_in_row = 0, line = 1, row_line = 1;
    if (!t || !dst) {
        st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", name);
        goto fail;
    }
    size_t i = 0;
    int at_row_start = 1;
    while (i < len) {
        if (at_row_start && (text[i] == '\n' || text[i] == '\r')) { /* blank line */
            line += text[i] == '\n';
            i++;
            continue;
        }
        if (at_row_start)
            row_line = line;
        at_row_start = 0;
        if (push_offset(&offs, n) != 0) {
            st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", name);
            goto fail;
        }
        fields_in_row++;
        if (text[i] == '"') {
            for (i++;; i++) {
                if (i >= len) {
                    st = as_fail(err, errlen, AS_EINPUT, "%s:%zu: unterminated quoted field", name,
                                 row_line);
                    goto fail;
                }
                if (text[i] == '"' && i + 1 < len && text[i + 1] == '"') {
                    dst[n++] = '"';
                    i++;
                } else if (text[i] == '"') {
                    i++;
                    break;
                } else {
                    line += text[i] == '\n';
                    dst[n++] = text[i];
                }
            }
        } else {
            while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                dst[n++] = text[i++];
        }
        dst[n++] = '\0';
        if (i < len && text[i] == ',') {
            i++;
            if (i == len || text[i] == '\n' || text[i] == '\r') {
                /* a trailing comma: one more, empty field */
                if (push_offset(&offs, n) != 0) {
                    st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", name);
                    goto fail;
                }
                dst[n++] = '\0';
                fields_in_row++;
            } else {
                continue;
            }
        }
        if (i < len && text[i] != '\n' && text[i] != '\r') {
            st = as_fail(err, errlen, AS_EINPUT, "%s:%zu: text after a closing quote", name,
                         row_line);
            goto fail;
        }
        /* end of row */
        if (t->n_cols == 0)
            t->n_cols = fields_in_row;
        else if (fields_in_row != t->n_cols) {
            st = as_fail(err, errlen, AS_EINPUT, "%s:%zu: %zu fields, the header has %zu", name,
                         row_line, fields_in_row, t->n_cols);
            goto fail;
        }
        fields_in_row = 0;
        at_row_start = 1;
        if (i < len && text[i] == '\r')
            i++;
        if (i < len && text[i] == '\n') {
            i++;
            line++;
        }
    }
    if (t->n_cols == 0) {
        st = as_fail(err, errlen, AS_EINPUT, "%s: empty file, no header", name);
        goto fail;
    }
    t->text = dst;
    dst = NULL;
    t->cols = malloc(offs.len * sizeof *t->cols);
    if (!t->cols) {
        st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", name);
        goto fail;
    }
    for (size_t k = 0; k < offs.len; k++)
        t->cols[k] = t->text + offs.v[k];
    t->cells = t->cols + t->n_cols;
    t->n_rows = offs.len / t->n_cols - 1;
    free(offs.v);
    *out = t;
    return AS_OK;
fail:
    free(offs.v);
    free(dst);
    csvr_free(t);
    return st;
}

enum as_status csvr_read(const char *path, struct csvr **out, char *err, size_t errlen)
{
    *out = NULL;
    enum as_status st = AS_OK;
    char *buf = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return as_fail(err, errlen, AS_EIO, "%s: cannot read: %s", path, strerror(errno));
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 65536;
            char *b = realloc(buf, cap);
            if (!b) {
                st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            buf = b;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        st = as_fail(err, errlen, AS_EIO, "%s: cannot read: %s", path, strerror(errno));
        goto done;
    }
    st = csvr_parse(buf, len, path, out, err, errlen);
done:
    fclose(fp);
    free(buf);
    return st;
}

int csvr_col(const struct csvr *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (strcmp(t->cols[i], name) == 0)
            return (int)i;
    return -1;
}

const char *csvr_cell(const struct csvr *t, size_t row, int col)
{
    if (col < 0 || row >= t->n_rows)
        return "";
    return t->cells[row * t->n_cols + (size_t)col];
}

double csvr_num(const struct csvr *t, size_t row, int col)
{
    const char *s = csvr_cell(t, row, col);
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end)
        return NAN;
    return v;
}

void csvr_free(struct csvr *t)
{
    if (!t)
        return;
    free(t->cols);
    free(t->text);
    free(t);
}
