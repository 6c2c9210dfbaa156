/* spfile: the one place that reads user-supplied SPICE text. Everything a
 * netlist or load file (and every file they include) hands to ngspice passes
 * through this scan, so the refusal of anything that would run a command
 * lives here and nowhere else. */
#include "spice/spfile.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Dot commands a user file may hold. Everything else is refused: analyses
 * and output commands belong to the harness, and .control runs commands. */
static const char *const allowed_dot[] = {
    ".include", ".inc",    ".lib",     ".endl", ".subckt", ".ends", ".model",   ".param", ".func",
    ".global",  ".option", ".options", ".opt",  ".temp",   ".ic",   ".nodeset", ".title", NULL,
};

static const char *const analysis_dot[] = {
    ".ac",   ".dc",      ".tran", ".op",    ".noise", ".tf",    ".disto", ".pz",  ".sens", ".four",
    ".meas", ".measure", ".save", ".print", ".plot",  ".probe", ".sp",    ".pss", NULL,
};

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

/* Cut an inline comment: ';' anywhere, '$' or '//' after a blank (ngspice's
 * rules; '$' elsewhere may be part of a name). */
static void cut_inline_comment(char *line)
{
    for (char *p = line; *p; p++) {
        int after_blank = p > line && (p[-1] == ' ' || p[-1] == '\t');
        if (*p == ';' || (after_blank && (*p == '$' || (p[0] == '/' && p[1] == '/')))) {
            *p = '\0';
            return;
        }
    }
}

char *spfile_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Split s (modified) on blanks and "(),=" into v. */
static enum as_status tokenize(char *s, struct strv *v)
{
    for (char *tok = strtok(s, " \t(),="); tok; tok = strtok(NULL, " \t(),=")) {
        enum as_status st = strv_push(v, tok);
        if (st != AS_OK)
            return st;
    }
    return AS_OK;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The places includes may reach, canonical: [0] the read file's folder. */
struct reach {
    char *roots[1 + SPFILE_MAX_PLACES];
    size_t n;
};

/* One file being scanned: the file read, or a file it includes (inlined into
 * the same spfile). */
struct scan {
    struct spfile *f;
    const char *path; /* the file scanned: f->path, or an item of f->included */
    const char *dir;  /* its folder */
    const struct reach *reach;
    int included;        /* include depth: 0 for the file read */
    const char *section; /* .lib FILE SECTION: the section kept (lower case); else NULL */
    int in_section;      /* inside that section now */
    int section_seen;
    int depth; /* .subckt nesting */
    char *err;
    size_t errlen;
    char *stmt; /* the statement being joined from its continuation lines */
    size_t stmt_cap;
    int stmt_line; /* its first line */
    int content;   /* some statement other than the title was seen */
    int ended;     /* .end was seen: the rest of the file is not read */
};

static enum as_status add_meta(struct scan *sc, char *text, int line)
{
    if (sc->included)
        return AS_OK; /* an included file's own metadata describes that file */
    /* text follows "*@": " key = value" */
    char *eq = strchr(text, '=');
    if (!eq)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: metadata line needs the form '*@ key = value'", sc->path, line);
    *eq = '\0';
    char *key = spfile_trim(text), *value = spfile_trim(eq + 1);
    if (!*key || !*value)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: metadata line needs a key and a value ('*@ key = value')", sc->path,
                       line);
    for (char *p = key; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_')
            return as_fail(sc->err, sc->errlen, AS_EINPUT,
                           "%s:%d: metadata key '%s' has a character other than letters, digits "
                           "and '_'",
                           sc->path, line, key);
    struct spfile *f = sc->f;
    struct spfile_meta *m = realloc(f->meta, (f->n_meta + 1) * sizeof *m);
    if (!m)
        return AS_ENOMEM;
    f->meta = m;
    m = &f->meta[f->n_meta];
    m->key = strdup(key);
    m->value = strdup(value);
    m->line = line;
    if (!m->key || !m->value) {
        free(m->key);
        free(m->value);
        return AS_ENOMEM;
    }
    lower(m->key);
    f->n_meta++;
    return AS_OK;
}

/* The include path of an .include/.lib statement: first argument, quotes
 * stripped. Writes into buf; returns 0 or -1 when malformed. */
static int include_target(const char *args, char *buf, size_t buflen, const char **rest)
{
    while (isspace((unsigned char)*args))
        args++;
    const char *start = args, *end;
    if (*args == '"' || *args == '\'') {
        char q = *args;
        start = args + 1;
        end = strchr(start, q);
        if (!end)
            return -1;
        *rest = end + 1;
    } else {
        end = start;
        while (*end && !isspace((unsigned char)*end))
            end++;
        *rest = end;
    }
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= buflen)
        return -1;
    memcpy(buf, start, n);
    buf[n] = '\0';
    return 0;
}

static enum as_status check_defined_once(struct scan *sc, const struct strv *tok, int line);
static enum as_status scan_file(struct scan *parent, const char *path, const char *section,
                                int line);

/* 1 if abs (a canonical path) is root or lies below it. */
static int is_below(const char *abs, const char *root)
{
    size_t n = strlen(root);
    if (n == 1 && root[0] == '/')
        return 1;
    return strncmp(abs, root, n) == 0 && (abs[n] == '/' || abs[n] == '\0');
}

/* target looked up from the folder dir of the including file, then in the
 * other places; absolute paths as they are. *abs: the canonical path found
 * (malloc'd), or NULL when nothing readable is there. */
static char *find_include(const struct reach *r, const char *target, const char *dir)
{
    const char *bases[1 + SPFILE_MAX_PLACES];
    size_t n = 0;
    bases[n++] = dir;
    for (size_t i = 1; i < r->n; i++)
        bases[n++] = r->roots[i];
    for (size_t i = 0; i < n; i++) {
        char cand[PATH_MAX];
        if (target[0] == '/' && i > 0)
            break;
        int len = target[0] == '/' ? snprintf(cand, sizeof cand, "%s", target)
                                   : snprintf(cand, sizeof cand, "%s/%s", bases[i], target);
        if (len < 0 || (size_t)len >= sizeof cand || access(cand, R_OK) != 0)
            continue;
        char *abs = realpath(cand, NULL);
        if (abs)
            return abs;
    }
    return NULL;
}

/* The places of the read, made canonical once: [0] the folder of the file
 * read, then the models folder and the user's folders that exist. */
static enum as_status reach_init(struct reach *r, const char *dir,
                                 const struct spfile_places *places)
{
    const char *want[1 + SPFILE_MAX_PLACES];
    size_t n = 0;
    want[n++] = dir;
    if (places && places->models_dir)
        want[n++] = places->models_dir;
    for (size_t i = 0; places && places->dirs && i < places->dirs->len && n < 1 + SPFILE_MAX_PLACES;
         i++)
        want[n++] = places->dirs->items[i];
    r->n = 0;
    for (size_t i = 0; i < n; i++) {
        char *abs = realpath(want[i], NULL);
        if (abs)
            r->roots[r->n++] = abs;
        else if (i == 0)
            return AS_ENOMEM; /* the folder of a file just read */
    }
    return AS_OK;
}

static void reach_free(struct reach *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->roots[i]);
    r->n = 0;
}

/* .include FILE, .inc FILE or .lib FILE SECTION: found, confined to the
 * places of the read, and inlined. */
static enum as_status scan_include(struct scan *sc, const char *cmd, const char *args, int line)
{
    char target[PATH_MAX], section[128] = "";
    const char *rest = NULL;
    if (include_target(args, target, sizeof target, &rest))
        return as_fail(sc->err, sc->errlen, AS_EINPUT, "%s:%d: %s needs a file name", sc->path,
                       line, cmd);
    if (strcmp(cmd, ".lib") == 0 && sscanf(rest, "%127s", section) != 1)
        return as_fail(sc->err, sc->errlen, AS_EINPUT, "%s:%d: .lib needs a file and a section",
                       sc->path, line);
    lower(section);
    char *abs = find_include(sc->reach, target, sc->dir);
    if (!abs)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: %s file '%s' not found or not readable (looked beside the file, "
                       "in the models folder and in the --include-dir folders)",
                       sc->path, line, cmd, target);
    int allowed = 0;
    for (size_t i = 0; i < sc->reach->n && !allowed; i++)
        allowed = is_below(abs, sc->reach->roots[i]);
    enum as_status st = AS_OK;
    if (!allowed)
        st = as_fail(sc->err, sc->errlen, AS_EINPUT,
                     "%s:%d: %s file '%s' is refused: it lies outside the places a netlist may "
                     "include from (its own folder and below, the models folder, the "
                     "--include-dir folders)",
                     sc->path, line, cmd, target);
    else
        st = scan_file(sc, abs, *section ? section : NULL, line);
    if (st == AS_EINPUT && allowed) {
        /* "NETLIST:LINE: in the included file: INCLUDED:LINE: what" */
        char *inner = strdup(sc->err);
        if (inner)
            snprintf(sc->err, sc->errlen, "%s:%d: in the included file: %s", sc->path, line, inner);
        free(inner);
    }
    free(abs);
    return st;
}

/* Keep stmt in the body, with where it was written. */
static enum as_status push_body(struct scan *sc, const char *stmt, int line, int top)
{
    struct spfile *f = sc->f;
    struct spfile_origin *o = realloc(f->origin, (f->body.len + 1) * sizeof *o);
    if (!o)
        return AS_ENOMEM;
    f->origin = o;
    if (strv_push(&f->body, stmt) != AS_OK)
        return AS_ENOMEM;
    f->n_origin = f->body.len;
    o[f->body.len - 1] = (struct spfile_origin){.path = sc->path, .line = line, .top = top};
    return AS_OK;
}

static enum as_status add_subckt(struct scan *sc, struct strv *tok, int line)
{
    if (tok->len < 2)
        return as_fail(sc->err, sc->errlen, AS_EINPUT, "%s:%d: .subckt needs a name", sc->path,
                       line);
    size_t ports = 0;
    for (size_t i = 1; i < tok->len; i++)
        lower(tok->items[i]);
    for (size_t i = 2; i < tok->len && strcmp(tok->items[i], "params:") != 0; i++)
        ports++;
    struct spfile *f = sc->f;
    struct spfile_subckt *s = realloc(f->subckts, (f->n_subckts + 1) * sizeof *s);
    if (!s)
        return AS_ENOMEM;
    f->subckts = s;
    s = &f->subckts[f->n_subckts];
    s->name = strdup(tok->items[1]);
    if (!s->name)
        return AS_ENOMEM;
    s->n_ports = ports;
    s->line = line;
    f->n_subckts++;
    return AS_OK;
}

static enum as_status add_elem(struct scan *sc, struct strv *tok, int line)
{
    struct spfile *f = sc->f;
    struct spfile_elem *e = realloc(f->elems, (f->n_elems + 1) * sizeof *e);
    if (!e)
        return AS_ENOMEM;
    f->elems = e;
    e = &f->elems[f->n_elems++]; /* counted at once so spfile_free frees it */
    memset(e, 0, sizeof *e);
    e->line = line;
    e->name = strdup(tok->items[0]);
    if (!e->name)
        return AS_ENOMEM;
    lower(e->name);
    for (size_t i = 1; i < tok->len; i++) {
        lower(tok->items[i]);
        if (strv_push(&e->tokens, tok->items[i]) != AS_OK)
            return AS_ENOMEM;
    }
    return AS_OK;
}

static enum as_status scan_dot(struct scan *sc, const char *stmt, struct strv *tok, int line)
{
    const char *cmd = tok->items[0];
    const char *args = stmt + strcspn(stmt, " \t");
    if (strcmp(cmd, ".control") == 0 || strcmp(cmd, ".endc") == 0)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: '%s' is refused: a netlist may not run ngspice commands (the "
                       "harness adds analyses; see docs/netlists.md)",
                       sc->path, line, cmd);
    if (in_list(analysis_dot, cmd))
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: '%s' is refused: analyses and outputs are added by the harness "
                       "(see docs/netlists.md)",
                       sc->path, line, cmd);
    if (!in_list(allowed_dot, cmd))
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: unknown or refused dot command '%s' (docs/netlists.md lists the "
                       "ones a netlist may use)",
                       sc->path, line, cmd);
    if (strcmp(cmd, ".include") == 0 || strcmp(cmd, ".inc") == 0 ||
        (strcmp(cmd, ".lib") == 0 && tok->len >= 3)) /* .lib FILE SECTION */
        return scan_include(sc, cmd, args, line);
    if (strcmp(cmd, ".lib") == 0 || strcmp(cmd, ".endl") == 0)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: library sections belong in a file read with '.lib FILE SECTION'",
                       sc->path, line);
    enum as_status st = AS_OK;
    int top = sc->depth == 0;
    if (top && (strcmp(cmd, ".subckt") == 0 || strcmp(cmd, ".model") == 0))
        st = check_defined_once(sc, tok, line);
    if (st != AS_OK)
        return st;
    if (strcmp(cmd, ".subckt") == 0) {
        if (sc->depth == 0 && !sc->included)
            st = add_subckt(sc, tok, line);
        sc->depth++;
    } else if (strcmp(cmd, ".ends") == 0) {
        if (sc->depth == 0)
            return as_fail(sc->err, sc->errlen, AS_EINPUT, "%s:%d: .ends without a .subckt",
                           sc->path, line);
        sc->depth--;
    }
    if (st == AS_OK)
        st = push_body(sc, stmt, line, top);
    return st;
}

/* A .subckt or .model defined a second time at the top level, in this file
 * or any file it includes: ngspice keeps the first and drops the second
 * with a warning at best (a second .model, without a word). */
static enum as_status check_defined_once(struct scan *sc, const struct strv *tok, int line)
{
    if (tok->len < 2)
        return AS_OK; /* ".subckt" alone fails below; a bare ".model" in ngspice */
    const struct spfile *f = sc->f;
    for (size_t i = 0; i < f->body.len && i < f->n_origin; i++) {
        char a[32], b[128];
        if (!f->origin[i].top || sscanf(f->body.items[i], "%31s %127s", a, b) != 2)
            continue;
        if (strcasecmp(a, tok->items[0]) == 0 && strcasecmp(b, tok->items[1]) == 0)
            return as_fail(sc->err, sc->errlen, AS_EINPUT,
                           "%s:%d: %s '%s' is defined a second time (first at %s:%d); ngspice "
                           "would keep the first",
                           sc->path, line, tok->items[0], tok->items[1], f->origin[i].path,
                           f->origin[i].line);
    }
    return AS_OK;
}

/* In a file read for one section: follow ".lib NAME" ... ".endl". Returns 1
 * when the statement was such a marker or lies outside the section. */
static int section_filter(struct scan *sc, const struct strv *tok)
{
    if (!sc->section)
        return 0;
    const char *cmd = tok->items[0];
    if (strcmp(cmd, ".lib") == 0 && tok->len == 2) {
        char name[128];
        snprintf(name, sizeof name, "%s", tok->items[1]);
        lower(name);
        if (strcmp(name, sc->section) == 0) {
            sc->in_section = 1;
            sc->section_seen = 1;
        }
        return 1;
    }
    if (strcmp(cmd, ".endl") == 0) {
        sc->in_section = 0;
        return 1;
    }
    return !sc->in_section;
}

/* A number as SPICE writes it, strictly: digits with an optional exponent,
 * then at most one scale factor and, for the element's kind, its unit
 * ("4.7k", "10uF", "2.2kohm", "100nH"). ngspice itself ignores any letters
 * after the number ("1q" reads as 1, "2k2" as 2000), so they are refused
 * here. Returns 0 and the value, or -1. */
static int spice_value(const char *tok, char kind, double *out)
{
    static const struct {
        const char *name;
        double factor;
    } scale[] = {{"meg", 1e6}, {"mil", 25.4e-6}, {"t", 1e12}, {"g", 1e9},   {"k", 1e3},
                 {"m", 1e-3},  {"u", 1e-6},      {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}};
    char *end = NULL;
    double v = strtod(tok, &end);
    if (end == tok || !isfinite(v))
        return -1;
    for (size_t i = 0; i < sizeof scale / sizeof *scale; i++)
        if (strncasecmp(end, scale[i].name, strlen(scale[i].name)) == 0) {
            v *= scale[i].factor;
            end += strlen(scale[i].name);
            break;
        }
    const char *units = kind == 'r' ? "ohm|ohms|r" : kind == 'c' ? "f|farad" : "h|henry";
    if (*end) {
        size_t n = strlen(end);
        int ok = 0;
        for (const char *u = units; *u && !ok; u += strcspn(u, "|") + (u[strcspn(u, "|")] == '|'))
            ok = strcspn(u, "|") == n && strncasecmp(u, end, n) == 0;
        if (!ok)
            return -1;
    }
    *out = v;
    return 0;
}

/* What ngspice takes silently for a resistor, capacitor or inductor, each
 * making the circuit another than the file's: no value, a value of zero or
 * below (ngspice makes 0 ohm 1 milliohm and takes a negative C as it is),
 * letters that are no scale or unit, and a second value (the last wins). A
 * value that is a {parameter} or a model name is left to ngspice. */
static enum as_status check_passive(struct scan *sc, const struct strv *tok, int line)
{
    char kind = (char)tolower((unsigned char)tok->items[0][0]);
    if (kind != 'r' && kind != 'c' && kind != 'l')
        return AS_OK;
    const char *what = kind == 'r' ? "resistor" : kind == 'c' ? "capacitor" : "inductor";
    if (tok->len < 4)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: %s '%s' has no value (ngspice would make one up)", sc->path, line,
                       what, tok->items[0]);
    const char *val = tok->items[3];
    if (!isdigit((unsigned char)val[0]) && val[0] != '.' && val[0] != '-' && val[0] != '+')
        return AS_OK; /* {expression} or model name */
    double v;
    if (spice_value(val, kind, &v) != 0)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: %s '%s': value '%s' is not a number with a scale factor (t g meg k "
                       "m u n p f) and unit; ngspice would ignore the rest and read another value",
                       sc->path, line, what, tok->items[0], val);
    if (!(v > 0))
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: %s '%s' has the value %s: it must be above zero (ngspice would %s)",
                       sc->path, line, what, tok->items[0], val,
                       kind == 'r' && v == 0 ? "make it 1 milliohm" : "take it as it is");
    double v2;
    if (tok->len > 4 && spice_value(tok->items[4], kind, &v2) == 0)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: %s '%s' has two values, '%s' and '%s' (ngspice would use the last)",
                       sc->path, line, what, tok->items[0], val, tok->items[4]);
    return AS_OK;
}

/* One logical statement (continuations joined, leading blanks trimmed).
 * Sets *is_end for .end, after which the file is not read further. */
static enum as_status scan_statement(struct scan *sc, const char *stmt, int line, int *is_end)
{
    struct strv tok = {0};
    char *copy = strdup(stmt);
    enum as_status st = copy ? AS_OK : AS_ENOMEM;
    if (st == AS_OK)
        st = tokenize(copy, &tok);
    if (st != AS_OK || tok.len == 0)
        goto out;
    if (stmt[0] == '.')
        lower(tok.items[0]);
    if (section_filter(sc, &tok))
        goto out;
    if (stmt[0] == '.') {
        if (strcmp(tok.items[0], ".end") == 0)
            *is_end = 1;
        else
            st = scan_dot(sc, stmt, &tok, line);
    } else {
        st = check_passive(sc, &tok, line);
        if (st == AS_OK)
            st = push_body(sc, stmt, line, sc->depth == 0);
        if (st == AS_OK && sc->depth == 0 && !sc->included)
            st = add_elem(sc, &tok, line);
    }
out:
    strv_free(&tok);
    free(copy);
    return st;
}

/* SPICE text: no NUL, and no control byte but tab, line feed, form feed
 * and carriage return (binary data has them within its first few hundred
 * bytes). Bytes of 0x80 and up pass: UTF-8 names and comments. */
static int is_text(const char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f')
            return 0;
        if (c == 0x7f)
            return 0;
    }
    return 1;
}

enum as_status spfile_read_text(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return as_fail(err, errlen, AS_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    enum as_status st = AS_OK;
    char *buf = malloc(SPFILE_MAX_BYTES + 1);
    size_t n = 0;
    if (!buf) {
        st = AS_ENOMEM;
        goto out;
    }
    n = fread(buf, 1, SPFILE_MAX_BYTES + 1, fp);
    if (ferror(fp)) {
        st = as_fail(err, errlen, AS_EINPUT, "%s: cannot read: %s", path, strerror(errno));
    } else if (n > SPFILE_MAX_BYTES) {
        st = as_fail(err, errlen, AS_EINPUT, "%s: larger than %u bytes: not a netlist", path,
                     SPFILE_MAX_BYTES);
    } else if (!is_text(buf, n)) {
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s: not a text file (it holds NUL or other control bytes): refused", path);
    }
out:
    fclose(fp);
    if (st != AS_OK) {
        free(buf);
        return st;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return AS_OK;
}

/* Append a '+' continuation line t (trimmed) to the pending statement. */
static enum as_status join_continuation(struct scan *sc, char *t, int lineno)
{
    if (!sc->stmt)
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: continuation line '+' with nothing before it", sc->path, lineno);
    size_t need = strlen(sc->stmt) + strlen(t) + 2;
    if (need > sc->stmt_cap) {
        char *g = realloc(sc->stmt, need);
        if (!g)
            return AS_ENOMEM;
        sc->stmt = g;
        sc->stmt_cap = need;
    }
    strcat(sc->stmt, " ");
    strcat(sc->stmt, spfile_trim(t + 1));
    return AS_OK;
}

/* Scan the pending statement, if any, and drop it. */
static enum as_status flush_statement(struct scan *sc)
{
    if (!sc->stmt)
        return AS_OK;
    enum as_status st = scan_statement(sc, sc->stmt, sc->stmt_line, &sc->ended);
    free(sc->stmt);
    sc->stmt = NULL;
    return st;
}

/* A line that is not a continuation ends the pending statement; unless it
 * is the title, it starts the next one. */
static enum as_status start_statement(struct scan *sc, const char *t, int lineno, int is_title)
{
    enum as_status st = flush_statement(sc);
    if (st != AS_OK || sc->ended || is_title)
        return st;
    sc->content = 1;
    sc->stmt = strdup(t);
    sc->stmt_cap = strlen(t) + 1;
    sc->stmt_line = lineno;
    return sc->stmt ? AS_OK : AS_ENOMEM;
}

/* One physical line (its '\n' already cut), number lineno. */
static enum as_status scan_line(struct scan *sc, char *line, int lineno, int is_title)
{
    size_t ll = strlen(line);
    if (ll && line[ll - 1] == '\r')
        line[--ll] = '\0';
    /* an inline comment ends at the line's end, so cut it before a
     * continuation is joined on (it would swallow the continuation) */
    if (!is_title && line[strspn(line, " \t")] != '*')
        cut_inline_comment(line);
    char *t = spfile_trim(line);
    if (!is_title && t[0] == '*' && t[1] == '#')
        return as_fail(sc->err, sc->errlen, AS_EINPUT,
                       "%s:%d: '*#' lines are refused: ngspice runs them as commands", sc->path,
                       lineno);
    /* blank and comment lines may stand between a statement and its
     * continuation, as ngspice allows */
    int is_comment = !*t || *t == '*' || *t == '#';
    if (!is_title && is_comment)
        return t[0] == '*' && t[1] == '@' ? add_meta(sc, t + 2, lineno) : AS_OK;
    if (*t == '+' && !is_title)
        return join_continuation(sc, t, lineno);
    return start_statement(sc, t, lineno, is_title);
}

/* Scan text line by line up to its end or .end, then the last statement. */
static enum as_status scan_text(struct scan *sc, char *text, int has_title)
{
    enum as_status st = AS_OK;
    int lineno = 0;
    /* strtok_r would merge blank lines and break numbering: split by hand */
    for (char *line = text; line && !sc->ended && st == AS_OK;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        st = scan_line(sc, line, lineno, has_title && lineno == 1);
        line = nl ? nl + 1 : NULL;
    }
    if (st == AS_OK && !sc->ended)
        st = flush_statement(sc);
    return st;
}

/* What a whole file must be: not empty, every .subckt closed. */
static enum as_status check_whole(const struct scan *sc)
{
    if (!sc->content && sc->f->n_meta == 0)
        return as_fail(sc->err, sc->errlen, AS_EINPUT, "%s: empty file: no SPICE statements",
                       sc->path);
    if (sc->depth != 0)
        return as_fail(sc->err, sc->errlen, AS_EINPUT, "%s: a .subckt is not closed by .ends",
                       sc->path);
    return AS_OK;
}

/* An included file, scanned into parent's spfile (its statements inlined).
 * line: the including statement's, for messages. */
static enum as_status scan_file(struct scan *parent, const char *path, const char *section,
                                int line)
{
    struct spfile *f = parent->f;
    if (parent->included >= SPFILE_MAX_INCLUDE_DEPTH)
        return as_fail(parent->err, parent->errlen, AS_EINPUT,
                       "%s:%d: includes nest deeper than %d", parent->path, line,
                       SPFILE_MAX_INCLUDE_DEPTH);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return as_fail(parent->err, parent->errlen, AS_EINPUT,
                       "%s:%d: an included file must be a regular file", parent->path, line);
    if (strv_push(&f->included, path) != AS_OK)
        return AS_ENOMEM;
    struct scan sc = {.f = f,
                      .path = f->included.items[f->included.len - 1],
                      .reach = parent->reach,
                      .included = parent->included + 1,
                      .section = section,
                      .err = parent->err,
                      .errlen = parent->errlen};
    char *text = NULL, *dir = dir_of(sc.path);
    size_t len = 0;
    sc.dir = dir;
    enum as_status st = dir ? spfile_read_text(sc.path, &text, &len, sc.err, sc.errlen) : AS_ENOMEM;
    if (st == AS_OK)
        st = scan_text(&sc, text, 0);
    if (st == AS_OK && sc.depth != 0)
        st = as_fail(sc.err, sc.errlen, AS_EINPUT, "%s: a .subckt is not closed by .ends", sc.path);
    if (st == AS_OK && section && !sc.section_seen)
        st = as_fail(sc.err, sc.errlen, AS_EINPUT, "%s:%d: no section '%s' in %s", parent->path,
                     line, section, sc.path);
    free(sc.stmt);
    free(text);
    free(dir);
    return st;
}

enum as_status spfile_read(const char *path, int has_title, const struct spfile_places *places,
                           struct spfile **out, char *err, size_t errlen)
{
    *out = NULL;
    char *text = NULL, *dir = NULL;
    size_t len = 0;
    struct reach reach = {0};
    enum as_status st = spfile_read_text(path, &text, &len, err, errlen);
    if (st != AS_OK)
        return st;
    struct spfile *f = calloc(1, sizeof *f);
    dir = dir_of(path);
    struct scan sc = {.f = f, .dir = dir, .reach = &reach, .err = err, .errlen = errlen};
    if (!f || !dir || !(f->path = strdup(path)))
        st = AS_ENOMEM;
    if (st == AS_OK) {
        sc.path = f->path;
        st = reach_init(&reach, dir, places);
    }
    if (st == AS_OK)
        st = scan_text(&sc, text, has_title);
    if (st == AS_OK)
        st = check_whole(&sc);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory while reading", path);
    free(sc.stmt);
    free(text);
    free(dir);
    reach_free(&reach);
    if (st != AS_OK)
        spfile_free(f);
    else
        *out = f;
    return st;
}

enum as_status spfile_meta_once(const struct spfile *f, const struct spfile_meta *m, int *seen_line,
                                char *err, size_t errlen)
{
    if (*seen_line)
        return as_fail(err, errlen, AS_EINPUT, "%s:%d: '%s' is given twice (first on line %d)",
                       f->path, m->line, m->key, *seen_line);
    *seen_line = m->line;
    return AS_OK;
}

const struct spfile_elem *spfile_find_elem(const struct spfile *f, const char *name)
{
    for (size_t i = 0; i < f->n_elems; i++)
        if (strcasecmp(f->elems[i].name, name) == 0)
            return &f->elems[i];
    return NULL;
}

int spfile_uses_node(const struct spfile *f, const char *node)
{
    for (size_t i = 0; i < f->n_elems; i++)
        for (size_t j = 0; j < f->elems[i].tokens.len; j++)
            if (strcmp(f->elems[i].tokens.items[j], node) == 0)
                return 1;
    return 0;
}

const struct spfile_origin *spfile_origin_of(const struct spfile *f, const char *word,
                                             const char *word2)
{
    /* lines added to the body by hand (tests) have no origin */
    for (size_t i = 0; i < f->body.len && i < f->n_origin; i++) {
        char a[128] = "", b[128] = "";
        if (sscanf(f->body.items[i], "%127s %127s", a, b) < 1)
            continue;
        if ((word[0] == '.' || f->origin[i].top) && strcasecmp(a, word) == 0 &&
            (!word2 || strcasecmp(b, word2) == 0))
            return &f->origin[i];
    }
    return NULL;
}

const char *spfile_node_with_prefix(const struct spfile *f, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < f->n_elems; i++)
        for (size_t j = 0; j < f->elems[i].tokens.len; j++)
            if (strncmp(f->elems[i].tokens.items[j], prefix, n) == 0)
                return f->elems[i].tokens.items[j];
    return NULL;
}

void spfile_free(struct spfile *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_meta; i++) {
        free(f->meta[i].key);
        free(f->meta[i].value);
    }
    for (size_t i = 0; i < f->n_elems; i++) {
        free(f->elems[i].name);
        strv_free(&f->elems[i].tokens);
    }
    for (size_t i = 0; i < f->n_subckts; i++)
        free(f->subckts[i].name);
    free(f->meta);
    free(f->elems);
    free(f->subckts);
    strv_free(&f->body);
    free(f->origin);
    strv_free(&f->included);
    free(f->path);
    free(f);
}
