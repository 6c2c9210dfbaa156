/* strv: a growable, NULL-terminated array of owned strings.
 *
 * Used for netlist bodies and composed decks (ngSpice_Circ takes a
 * NULL-terminated char * array). A zero-initialised struct strv is empty and
 * valid. The strv owns every string in it; strv_free releases them all.
 */
#ifndef AMPSWEEP_STRV_H
#define AMPSWEEP_STRV_H

#include <stddef.h>

#include "base/status.h"

struct strv {
    char **items; /* items[len] == NULL whenever cap > 0 */
    size_t len;
    size_t cap;
};

/* Append a copy of s. AS_ENOMEM on failure, the strv unchanged. */
enum as_status strv_push(struct strv *v, const char *s);

/* Append a formatted string. */
enum as_status strv_pushf(struct strv *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Append copies of every string of src. */
enum as_status strv_extend(struct strv *v, const struct strv *src);

/* Drop every string past the first len (len <= v->len). */
void strv_truncate(struct strv *v, size_t len);

/* Free every string and the array; v becomes empty. Accepts NULL. */
void strv_free(struct strv *v);

#endif
