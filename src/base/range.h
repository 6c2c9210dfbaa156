/* range: parse the value lists given on the command line.
 *
 * Two forms, for loads in ohms and frequencies in hertz alike:
 *   "A:B:N"      N values log-spaced from A to B inclusive (A <= B, N >= 1;
 *                N == 1 needs A == B)
 *   "V1,V2,..."  the listed values, sorted ascending
 * Every value must be finite and strictly positive; duplicates are an error.
 */
#ifndef AMPSWEEP_RANGE_H
#define AMPSWEEP_RANGE_H

#include <stddef.h>

#include "base/status.h"

/* Largest N a range or list may hold: far beyond any useful sweep, small
 * enough that a typo ("20:20000:31000000") is caught before it allocates. */
#define RANGE_MAX_COUNT 10000

struct range {
    double *values; /* ascending, owned; free with range_free */
    size_t count;
    int log_spaced; /* 1 when given as A:B:N with N >= 2 */
};

/* Parse text into out. what names the option in messages ("--loads").
 * On error out is left empty and err says what is wrong. */
enum as_status range_parse(const char *text, const char *what, struct range *out, char *err,
                           size_t errlen);

/* Release out->values. Accepts NULL. */
void range_free(struct range *r);

#endif
