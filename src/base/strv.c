/* strv: growable NULL-terminated string arrays, the shape libngspice wants for
 * a deck, kept in one place so no module hand-rolls its own realloc loop. */
#include "base/strv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum as_status strv_take(struct strv *v, char *s)
{
    if (v->len + 2 > v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        char **items = realloc(v->items, cap * sizeof *items);
        if (!items)
            return AS_ENOMEM;
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = s;
    v->items[v->len] = NULL;
    return AS_OK;
}

enum as_status strv_push(struct strv *v, const char *s)
{
    char *copy = strdup(s);
    if (!copy)
        return AS_ENOMEM;
    enum as_status st = strv_take(v, copy);
    if (st != AS_OK)
        free(copy);
    return st;
}

enum as_status strv_pushf(struct strv *v, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0)
        return AS_ENOMEM;
    enum as_status st = strv_take(v, s);
    if (st != AS_OK)
        free(s);
    return st;
}

enum as_status strv_extend(struct strv *v, const struct strv *src)
{
    for (size_t i = 0; i < src->len; i++) {
        enum as_status st = strv_push(v, src->items[i]);
        if (st != AS_OK)
            return st;
    }
    return AS_OK;
}

void strv_truncate(struct strv *v, size_t len)
{
    while (v->len > len) {
        free(v->items[--v->len]);
        v->items[v->len] = NULL;
    }
}

void strv_free(struct strv *v)
{
    if (!v)
        return;
    strv_truncate(v, 0);
    free(v->items);
    v->items = NULL;
    v->cap = 0;
}
