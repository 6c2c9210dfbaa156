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

/* The parse of one text: where it stands and what it has decoded. */
struct parser {
    const char *text, *name;
    size_t len, i;           /* the text and the position in it */
    size_t line, row_line;   /* the current line, and the first line of the row */
    char *dst;               /* the decoded fields, NUL-terminated */
    size_t n, fields_in_row; /* bytes decoded so far; fields of the current row */
    struct offsets offs;     /* where each decoded field starts */
    struct csvr *t;
    char *err;
    size_t errlen;
};

/* Start a field at the decoded position. */
static enum as_status start_field(struct parser *p)
{
    if (push_offset(&p->offs, p->n) != 0)
        return as_fail(p->err, p->errlen, AS_ENOMEM, "%s: out of memory", p->name);
    p->fields_in_row++;
    return AS_OK;
}

/* One field's text, quoted (RFC 4180 "" escapes) or not, decoded. */
static enum as_status decode_field(struct parser *p)
{
    const char *text = p->text;
    if (text[p->i] != '"') {
        while (p->i < p->len && text[p->i] != ',' && text[p->i] != '\n' && text[p->i] != '\r')
            p->dst[p->n++] = text[p->i++];
        p->dst[p->n++] = '\0';
        return AS_OK;
    }
    for (p->i++;; p->i++) {
        if (p->i >= p->len)
            return as_fail(p->err, p->errlen, AS_EINPUT, "%s:%zu: unterminated quoted field",
                           p->name, p->row_line);
        if (text[p->i] == '"' && p->i + 1 < p->len && text[p->i + 1] == '"') {
            p->dst[p->n++] = '"';
            p->i++;
        } else if (text[p->i] == '"') {
            p->i++;
            break;
        } else {
            p->line += text[p->i] == '\n';
            p->dst[p->n++] = text[p->i];
        }
    }
    p->dst[p->n++] = '\0';
    return AS_OK;
}

/* After a field: a comma (*more: another field follows on this row; a comma
 * at the end of a line is one more, empty field) or the end of the row. */
static enum as_status after_field(struct parser *p, int *more)
{
    *more = 0;
    if (p->i < p->len && p->text[p->i] == ',') {
        p->i++;
        if (p->i < p->len && p->text[p->i] != '\n' && p->text[p->i] != '\r') {
            *more = 1;
            return AS_OK;
        }
        enum as_status st = start_field(p);
        if (st != AS_OK)
            return st;
        p->dst[p->n++] = '\0';
    }
    if (p->i < p->len && p->text[p->i] != '\n' && p->text[p->i] != '\r')
        return as_fail(p->err, p->errlen, AS_EINPUT, "%s:%zu: text after a closing quote", p->name,
                       p->row_line);
    return AS_OK;
}

/* The end of a row: as many fields as the header, then past the line end. */
static enum as_status end_row(struct parser *p)
{
    struct csvr *t = p->t;
    if (t->n_cols == 0)
        t->n_cols = p->fields_in_row;
    else if (p->fields_in_row != t->n_cols)
        return as_fail(p->err, p->errlen, AS_EINPUT, "%s:%zu: %zu fields, the header has %zu",
                       p->name, p->row_line, p->fields_in_row, t->n_cols);
    p->fields_in_row = 0;
    if (p->i < p->len && p->text[p->i] == '\r')
        p->i++;
    if (p->i < p->len && p->text[p->i] == '\n') {
        p->i++;
        p->line++;
    }
    return AS_OK;
}

/* One row (blank lines before it skipped); at the end of the text, nothing. */
static enum as_status parse_row(struct parser *p)
{
    while (p->i < p->len && (p->text[p->i] == '\n' || p->text[p->i] == '\r'))
        p->line += p->text[p->i++] == '\n';
    if (p->i >= p->len)
        return AS_OK;
    p->row_line = p->line;
    enum as_status st = AS_OK;
    int more = 1;
    while (st == AS_OK && more) {
        st = start_field(p);
        if (st == AS_OK)
            st = decode_field(p);
        if (st == AS_OK)
            st = after_field(p, &more);
    }
    return st == AS_OK ? end_row(p) : st;
}

/* The decoded text becomes the table's: header names, then the cells. */
static enum as_status finish(struct parser *p)
{
    struct csvr *t = p->t;
    if (t->n_cols == 0)
        return as_fail(p->err, p->errlen, AS_EINPUT, "%s: empty file, no header", p->name);
    t->text = p->dst;
    p->dst = NULL;
    t->cols = malloc(p->offs.len * sizeof *t->cols);
    if (!t->cols)
        return as_fail(p->err, p->errlen, AS_ENOMEM, "%s: out of memory", p->name);
    for (size_t k = 0; k < p->offs.len; k++)
        t->cols[k] = t->text + p->offs.v[k];
    t->cells = t->cols + t->n_cols;
    t->n_rows = p->offs.len / t->n_cols - 1;
    return AS_OK;
}

enum as_status csvr_parse(const char *text, size_t len, const char *name, struct csvr **out,
                          char *err, size_t errlen)
{
    *out = NULL;
    struct parser p = {.text = text,
                       .name = name,
                       .len = len,
                       .line = 1,
                       .row_line = 1,
                       .t = calloc(1, sizeof *p.t),
                       /* decoded fields are never longer than the text */
                       .dst = malloc(len + 1),
                       .err = err,
                       .errlen = errlen};
    enum as_status st =
        p.t && p.dst ? AS_OK : as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", name);
    while (st == AS_OK && p.i < p.len)
        st = parse_row(&p);
    if (st == AS_OK)
        st = finish(&p);
    free(p.offs.v);
    free(p.dst);
    if (st != AS_OK) {
        csvr_free(p.t);
        return st;
    }
    *out = p.t;
    return AS_OK;
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
