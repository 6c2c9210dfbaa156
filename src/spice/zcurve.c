/* zcurve: read the impedance curve a user measured with REW, DATS, LIMP or
 * ARTA, so a speaker can be swept as it was measured (spice/zfit.c turns
 * the curve into a circuit). Kept apart from the fit so every way a file can
 * be wrong is refused here, naming its line, before any number is fitted.
 */
#include "spice/zcurve.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int zcurve_is_curve_path(const char *path)
{
    static const char *const exts[] = {".zma", ".txt", ".csv"};
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (n > 4 && strcasecmp(path + n - 4, exts[i]) == 0)
            return 1;
    return 0;
}

/* Read fp to its end into *buf (capacity *cap, grown as needed), n bytes
 * into *len; stops past ZCURVE_MAX_BYTES. 0, or an errno. */
static int read_all(FILE *fp, char **buf, size_t *cap, size_t *len)
{
    for (;;) {
        if (*cap - *len < 2) {
            size_t nc = *cap ? *cap * 2 : 64 * 1024;
            char *nb = realloc(*buf, nc);
            if (!nb)
                return ENOMEM;
            *buf = nb;
            *cap = nc;
        }
        size_t got = fread(*buf + *len, 1, *cap - *len - 1, fp);
        *len += got;
        if (got == 0 || *len > ZCURVE_MAX_BYTES)
            return ferror(fp) ? (errno ? errno : EIO) : 0;
    }
}

/* The whole file into *text (NUL-terminated): text only, at most
 * ZCURVE_MAX_BYTES. */
static enum as_status slurp(const char *path, char **text, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    FILE *fp = fopen(path, "rb");
    int e = fp ? read_all(fp, &buf, &cap, &n) : 0;
    if (!fp)
        st = as_fail(err, errlen, AS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    else if (e == ENOMEM)
        st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    else if (e)
        st = as_fail(err, errlen, AS_EINPUT, "%s: cannot read: %s", path, strerror(e));
    else if (n > ZCURVE_MAX_BYTES)
        st = as_fail(err, errlen, AS_EINPUT, "%s: larger than %u bytes: not an impedance file",
                     path, ZCURVE_MAX_BYTES);
    else if (memchr(buf, '\0', n))
        st = as_fail(err, errlen, AS_EINPUT, "%s: holds NUL bytes: not a text file", path);
    if (fp)
        fclose(fp);
    if (st != AS_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *text = buf;
    return AS_OK;
}

/* 1 if line, split on blanks, tabs and semicolons, has two fields or more
 * and a comma inside one of them (not at its end): then commas are
 * decimal marks ("20,5 7,31 -12,0", as European exports write). */
static int decimal_commas(const char *line)
{
    size_t fields = 0;
    int inner = 0;
    for (const char *p = line; *p;) {
        size_t n = strcspn(p, " \t;");
        if (n) {
            fields++;
            const char *c = memchr(p, ',', n);
            inner |= c && c < p + n - 1;
        }
        p += n;
        p += strspn(p, " \t;");
    }
    return fields >= 2 && inner;
}

/* Split line (modified in place) into at most max fields; returns how many
 * there were (all counted). Separators: blanks, tabs, semicolons and
 * commas, or, when commas are decimal marks, all but commas (each then
 * made a '.'). */
static size_t split(char *line, char **fields, size_t max)
{
    int dec = decimal_commas(line);
    const char *seps = dec ? " \t;" : " \t;,";
    size_t n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(line, seps, &save); tok; tok = strtok_r(NULL, seps, &save)) {
        for (char *c = tok; dec && (c = strchr(c, ',')); c++)
            *c = c[1] ? '.' : '\0'; /* a comma ending a field separates */
        if (n < max)
            fields[n] = tok;
        n++;
    }
    return n;
}

/* field as a finite number into *v; 1 if it is one, else 0. */
static int number(const char *field, double *v)
{
    char *end = NULL;
    errno = 0;
    *v = strtod(field, &end);
    return end != field && *end == '\0' && errno == 0 && isfinite(*v);
}

/* Append a point to c (capacity *cap). */
static enum as_status push(struct zcurve *c, size_t *cap, const double v[3])
{
    if (c->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 256;
        double *f = realloc(c->freq_hz, nc * sizeof *f);
        if (f)
            c->freq_hz = f;
        double *m = realloc(c->mag_ohm, nc * sizeof *m);
        if (m)
            c->mag_ohm = m;
        double *p = realloc(c->phase_deg, nc * sizeof *p);
        if (p)
            c->phase_deg = p;
        if (!f || !m || !p)
            return AS_ENOMEM;
        *cap = nc;
    }
    c->freq_hz[c->n] = v[0];
    c->mag_ohm[c->n] = v[1];
    c->phase_deg[c->n] = v[2];
    c->n++;
    return AS_OK;
}

/* Check the values v of data line lineno against the curve so far. */
static enum as_status check_point(const struct zcurve *c, int lineno, const double v[3], char *err,
                                  size_t errlen)
{
    if (v[0] <= 0)
        return as_fail(err, errlen, AS_EINPUT, "%s:%d: frequency %g Hz must be positive", c->path,
                       lineno, v[0]);
    if (c->n && v[0] <= c->freq_hz[c->n - 1])
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: frequency %g Hz is not above the line before's %g Hz (frequencies "
                       "must rise; the decimal mark is '.')",
                       c->path, lineno, v[0], c->freq_hz[c->n - 1]);
    if (v[1] <= 0)
        return as_fail(err, errlen, AS_EINPUT, "%s:%d: |Z| %g ohm must be positive", c->path,
                       lineno, v[1]);
    if (v[2] < -180 || v[2] > 180)
        return as_fail(err, errlen, AS_EINPUT, "%s:%d: phase %g is outside -180..180 degrees",
                       c->path, lineno, v[2]);
    return AS_OK;
}

/* Read one line (modified in place), number lineno, into c. */
static enum as_status take_line(struct zcurve *c, size_t *cap, char *line, int lineno, char *err,
                                size_t errlen)
{
    while (isspace((unsigned char)*line))
        line++;
    if (!*line || strchr("*;#!", *line))
        return AS_OK;
    char *fields[3] = {0};
    double v[3] = {0};
    size_t n = split(line, fields, 3);
    if (n == 0 || !number(fields[0], &v[0])) {
        if (c->n == 0)
            return AS_OK; /* a header line */
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: '%.40s' is not a frequency (a text line after the data began)",
                       c->path, lineno, n ? fields[0] : line);
    }
    if (n < 3)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: %zu column%s; an impedance line holds frequency, |Z| and phase",
                       c->path, lineno, n, n == 1 ? "" : "s");
    for (size_t i = 1; i < 3; i++)
        if (!number(fields[i], &v[i]))
            return as_fail(err, errlen, AS_EINPUT, "%s:%d: %s '%.40s' is not a number", c->path,
                           lineno, i == 1 ? "|Z|" : "phase", fields[i]);
    enum as_status st = check_point(c, lineno, v, err, errlen);
    if (st == AS_OK)
        st = push(c, cap, v);
    return st;
}

/* Parse text (modified in place) into c. */
static enum as_status parse(struct zcurve *c, char *text, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    size_t cap = 0;
    int lineno = 0;
    if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
        text += 3; /* a UTF-8 byte-order mark */
    for (char *line = text; line && st == AS_OK;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        st = take_line(c, &cap, line, ++lineno, err, errlen);
        line = next;
    }
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", c->path);
    else if (st == AS_OK && c->n < ZCURVE_MIN_POINTS)
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s: %zu data line%s; a fit needs at least %d lines of frequency, |Z| and "
                     "phase",
                     c->path, c->n, c->n == 1 ? "" : "s", ZCURVE_MIN_POINTS);
    return st;
}

enum as_status zcurve_read(const char *path, struct zcurve **out, char *err, size_t errlen)
{
    *out = NULL;
    char *text = NULL;
    struct zcurve *c = calloc(1, sizeof *c);
    enum as_status st = c && (c->path = strdup(path)) ? AS_OK : AS_ENOMEM;
    if (st != AS_OK)
        as_fail(err, errlen, st, "%s: out of memory", path);
    if (st == AS_OK)
        st = slurp(path, &text, err, errlen);
    if (st == AS_OK)
        st = parse(c, text, err, errlen);
    free(text);
    if (st != AS_OK) {
        zcurve_free(c);
        return st;
    }
    *out = c;
    return AS_OK;
}

double zcurve_mag_at(const struct zcurve *c, double freq_hz)
{
    if (!(freq_hz >= c->freq_hz[0] && freq_hz <= c->freq_hz[c->n - 1]))
        return NAN;
    size_t i = 1;
    while (i < c->n - 1 && c->freq_hz[i] < freq_hz)
        i++;
    double t = log(freq_hz / c->freq_hz[i - 1]) / log(c->freq_hz[i] / c->freq_hz[i - 1]);
    return exp(log(c->mag_ohm[i - 1]) + t * log(c->mag_ohm[i] / c->mag_ohm[i - 1]));
}

void zcurve_free(struct zcurve *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->freq_hz);
    free(c->mag_ohm);
    free(c->phase_deg);
    free(c);
}
