/* range: parse "A:B:N" log-spaced ranges and "V1,V2,..." lists into sorted
 * arrays of positive values, with a message for every malformed input. */
#include "base/range.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int parse_value(const char *s, const char *end, double *out)
{
    char buf[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *stop = NULL;
    errno = 0;
    double v = strtod(buf, &stop);
    if (stop == buf || *stop != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static int parse_count(const char *s, const char *end, long *out)
{
    if (s == end)
        return -1;
    for (const char *p = s; p < end; p++)
        if (*p < '0' || *p > '9')
            return -1;
    if (end - s > 9)
        return -1;
    *out = strtol(s, NULL, 10);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static enum as_status parse_range(const char *text, const char *what, struct range *out, char *err,
                                  size_t errlen)
{
    const char *c1 = strchr(text, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2 || strchr(c2 + 1, ':'))
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': a range is START:STOP:COUNT", what, text);
    double a, b;
    long n;
    if (parse_value(text, c1, &a) || parse_value(c1 + 1, c2, &b))
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': START and STOP must be finite numbers",
                       what, text);
    if (parse_count(c2 + 1, c2 + strlen(c2), &n))
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': COUNT must be a whole number", what, text);
    if (a <= 0 || b <= 0)
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': values must be greater than zero", what,
                       text);
    if (a > b)
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': START is above STOP (reversed range)",
                       what, text);
    if (n < 1 || n > RANGE_MAX_COUNT)
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': COUNT must be 1 to %d", what, text,
                       RANGE_MAX_COUNT);
    if (n == 1 && a != b)
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': COUNT 1 needs START equal to STOP", what,
                       text);
    if (n >= 2 && a == b)
        return as_fail(err, errlen, AS_EINPUT, "%s '%s': START equals STOP but COUNT is %ld", what,
                       text, n);
    out->values = malloc((size_t)n * sizeof *out->values);
    if (!out->values)
        return AS_ENOMEM;
    out->count = (size_t)n;
    out->log_spaced = n >= 2;
    for (long i = 0; i < n; i++)
        out->values[i] = n == 1 ? a : a * pow(b / a, (double)i / (double)(n - 1));
    /* the ends are exactly what the user typed, not a pow() rounding of them */
    out->values[n - 1] = b;
    return AS_OK;
}

static enum as_status parse_list(const char *text, const char *what, struct range *out, char *err,
                                 size_t errlen)
{
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    if (n > RANGE_MAX_COUNT)
        return as_fail(err, errlen, AS_EINPUT, "%s: more than %d values", what, RANGE_MAX_COUNT);
    double *v = malloc(n * sizeof *v);
    if (!v)
        return AS_ENOMEM;
    const char *s = text;
    for (size_t i = 0; i < n; i++) {
        const char *end = strchr(s, ',');
        if (!end)
            end = s + strlen(s);
        if (parse_value(s, end, &v[i])) {
            free(v);
            return as_fail(err, errlen, AS_EINPUT, "%s '%s': item %zu is not a finite number", what,
                           text, i + 1);
        }
        if (v[i] <= 0) {
            free(v);
            return as_fail(err, errlen, AS_EINPUT, "%s '%s': values must be greater than zero",
                           what, text);
        }
        s = end + 1;
    }
    qsort(v, n, sizeof *v, cmp_double);
    for (size_t i = 1; i < n; i++) {
        if (v[i] == v[i - 1]) {
            double dup = v[i];
            free(v);
            return as_fail(err, errlen, AS_EINPUT, "%s '%s': %g is listed twice", what, text, dup);
        }
    }
    out->values = v;
    out->count = n;
    out->log_spaced = 0;
    return AS_OK;
}

enum as_status range_parse(const char *text, const char *what, struct range *out, char *err,
                           size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return as_fail(err, errlen, AS_EINPUT, "%s: empty value", what);
    if (strchr(text, ':'))
        return parse_range(text, what, out, err, errlen);
    return parse_list(text, what, out, err, errlen);
}

void range_free(struct range *r)
{
    if (!r)
        return;
    free(r->values);
    r->values = NULL;
    r->count = 0;
}
