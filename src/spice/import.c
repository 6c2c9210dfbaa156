/* import: a deck as people have it, rewritten into the amp-netlist
 * convention (docs/netlists.md) as text. It exists so that a newcomer does
 * not have to rewrite an ngspice, KiCad, LTspice or PSpice deck by hand, and
 * so that the traps such decks hide (a feedback loop through a 0 V probe
 * source, an output relay, a second AC stimulus) are handled once, here.
 * Nothing of the deck is simulated or run; the result is checked by
 * 'ampsweep check' like any netlist. */
#include "spice/import.h"

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/name.h"
#include "spice/spfile.h"

#define IMP_NODE_MAX 128

/* One logical statement of the deck: continuations joined, inline comment
 * cut. Comments are kept as they are (text), elements and dot statements as
 * words split on blanks (case kept; compared ignoring case). */
struct stmt {
    char type; /* 'c' comment, 'e' element, 'd' dot statement */
    char *text;
    struct strv w;
    int line;
    int top;     /* outside any .subckt */
    int removed; /* not written */
};

struct imp {
    const char *path;
    char *title;
    struct stmt *s;
    size_t n, cap;
    struct strv *changes;
    int lt, ps; /* LTspice or PSpice syntax seen */
    long src, rgen, load;
    char in_node[IMP_NODE_MAX], out_node[IMP_NODE_MAX];
    char *err;
    size_t errlen;
};

static int eq(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

static int is_ground(const char *node)
{
    return strcmp(node, "0") == 0 || eq(node, "gnd");
}

static char lead(const struct stmt *s)
{
    return (char)tolower((unsigned char)s->w.items[0][0]);
}

static enum as_status note(struct imp *im, int line, const char *fmt, const char *a, const char *b)
{
    char msg[4096];
    snprintf(msg, sizeof msg, fmt, a, b ? b : "");
    return line > 0 ? strv_pushf(im->changes, "line %d: %s", line, msg)
                    : strv_push(im->changes, msg);
}

/* The element's words joined by one blank (the text it is written as). */
static char *joined(const struct strv *w)
{
    size_t n = 1;
    for (size_t i = 0; i < w->len; i++)
        n += strlen(w->items[i]) + 1;
    char *t = malloc(n);
    if (!t)
        return NULL;
    t[0] = '\0';
    for (size_t i = 0; i < w->len; i++) {
        if (i)
            strcat(t, " ");
        strcat(t, w->items[i]);
    }
    return t;
}

/* ---- reading ---- */

/* ngspice's inline comments: ';' anywhere, '$' or '//' after a blank. */
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

/* "a = b" becomes "a=b" (outside nothing: SPICE has no blanks in values),
 * and LTspice's micro sign becomes 'u'. Rewrites t in place. */
static void normalize(char *t)
{
    char *o = t;
    for (char *p = t; *p;) {
        if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xb5) { /* µ */
            *o++ = 'u';
            p += 2;
        } else if ((unsigned char)p[0] == 0xce && (unsigned char)p[1] == 0xbc) { /* μ */
            *o++ = 'u';
            p += 2;
        } else if (*p == '=') {
            while (o > t && (o[-1] == ' ' || o[-1] == '\t'))
                o--;
            *o++ = *p++;
            while (*p == ' ' || *p == '\t')
                p++;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
}

static struct stmt *push_stmt(struct imp *im, char type, int line)
{
    if (im->n == im->cap) {
        size_t cap = im->cap ? im->cap * 2 : 64;
        struct stmt *g = realloc(im->s, cap * sizeof *g);
        if (!g)
            return NULL;
        im->s = g;
        im->cap = cap;
    }
    struct stmt *s = &im->s[im->n++];
    memset(s, 0, sizeof *s);
    s->type = type;
    s->line = line;
    s->top = 1;
    return s;
}

/* Split text on blanks into s's words; a quoted string or a {...} or
 * '...' expression stays one word. */
static enum as_status split_words(struct stmt *s, char *text)
{
    normalize(text);
    for (char *p = text; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        char *start = p, close = 0;
        int depth = 0;
        for (; *p && (close || depth || (*p != ' ' && *p != '\t')); p++) {
            if (close && *p == close)
                close = 0;
            else if (!close && (*p == '"' || *p == '\''))
                close = *p;
            else if (!close && *p == '{')
                depth++;
            else if (!close && *p == '}' && depth)
                depth--;
        }
        char keep = *p;
        *p = '\0';
        if (strv_push(&s->w, start) != AS_OK)
            return AS_ENOMEM;
        *p = keep;
    }
    return AS_OK;
}

/* A '+' line: joined to the last statement that is not a comment. */
static enum as_status continue_stmt(struct imp *im, const char *t, int lineno)
{
    for (size_t i = im->n; i-- > 0;)
        if (im->s[i].type != 'c') {
            char *copy = strdup(t + 1);
            enum as_status st = copy ? split_words(&im->s[i], copy) : AS_ENOMEM;
            free(copy);
            return st;
        }
    return as_fail(im->err, im->errlen, AS_EINPUT,
                   "%s:%d: continuation line '+' with nothing before it", im->path, lineno);
}

/* One physical line after the title. Sets *ended at .end. */
static enum as_status read_line(struct imp *im, char *line, int lineno, int *ended)
{
    size_t ll = strlen(line);
    if (ll && line[ll - 1] == '\r')
        line[--ll] = '\0';
    char *t = spfile_trim(line);
    if (!*t)
        return AS_OK;
    if (t[0] == '*' && (t[1] == '@' || t[1] == '#'))
        return note(im, lineno, "removed '%s' (metadata and commands are the import's own)", t,
                    NULL);
    if (t[0] == '*' || t[0] == '#') {
        struct stmt *s = push_stmt(im, 'c', lineno);
        return !s || !(s->text = strdup(t)) ? AS_ENOMEM : AS_OK;
    }
    cut_inline_comment(t);
    t = spfile_trim(t);
    if (!*t)
        return AS_OK;
    if (t[0] == '+')
        return continue_stmt(im, t, lineno);
    if (strncasecmp(t, ".end", 4) == 0 && (!t[4] || isspace((unsigned char)t[4]))) {
        *ended = 1;
        return AS_OK;
    }
    struct stmt *s = push_stmt(im, t[0] == '.' ? 'd' : 'e', lineno);
    return s ? split_words(s, t) : AS_ENOMEM;
}

static enum as_status read_deck(struct imp *im)
{
    char *text = NULL;
    size_t len = 0;
    enum as_status st = spfile_read_text(im->path, &text, &len, im->err, im->errlen);
    if (st != AS_OK)
        return st;
    int lineno = 0, ended = 0;
    for (char *line = text; line && !ended && st == AS_OK;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        if (lineno == 1) {
            size_t ll = strlen(line);
            if (ll && line[ll - 1] == '\r')
                line[ll - 1] = '\0';
            im->title = strdup(*spfile_trim(line) ? spfile_trim(line) : "* imported amp");
            st = im->title ? AS_OK : AS_ENOMEM;
        } else {
            st = read_line(im, line, lineno, &ended);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    for (size_t i = 0; i < im->n && st == AS_OK; i++)
        if (im->s[i].type != 'c' && im->s[i].w.len == 0)
            im->s[i].type = 'c'; /* cannot happen: a statement has a word */
    return st;
}

/* ---- dot statements ---- */

static const char *const removed_dot[] = {
    ".tran",    ".ac",   ".dc",    ".op",       ".noise",    ".tf",       ".disto",
    ".pz",      ".sens", ".sp",    ".pss",      ".four",     ".fourier",  ".meas",
    ".measure", ".save", ".print", ".plot",     ".probe",    ".backanno", ".step",
    ".wave",    ".net",  ".width", ".savebias", ".loadbias", ".csparam",  NULL,
};

static const char *const kept_dot[] = {
    ".include", ".inc",    ".lib",     ".endl", ".subckt", ".ends", ".model",   ".param", ".func",
    ".global",  ".option", ".options", ".opt",  ".temp",   ".ic",   ".nodeset", ".title", NULL,
};

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (eq(*list, s))
            return 1;
    return 0;
}

/* LTspice's options ngspice does not know (it would warn, and a warning
 * fails the load): dropped. */
static const char *const lt_options[] = {
    "plotwinsize", "numdgt",   "measdgt",   "nomarch",  "meascplxfmt", "baudrate", "topologycheck",
    "fastaccess",  "ptrantau", "ptranstep", "thev_ind", "sstol",       "noopiter", NULL,
};

static enum as_status options_stmt(struct imp *im, struct stmt *s)
{
    for (size_t i = 1; i < s->w.len;) {
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)strcspn(s->w.items[i], "="), s->w.items[i]);
        if (!in_list(lt_options, key)) {
            i++;
            continue;
        }
        enum as_status st = note(im, s->line, "dropped the LTspice option '%s'%s", s->w.items[i],
                                 " (ngspice has no such option)");
        if (st != AS_OK)
            return st;
        im->lt = 1;
        free(s->w.items[i]);
        memmove(&s->w.items[i], &s->w.items[i + 1], (s->w.len - i) * sizeof *s->w.items);
        s->w.len--;
    }
    if (s->w.len == 1)
        s->removed = 1;
    return AS_OK;
}

/* Marks .control blocks, analyses and outputs removed, .subckt depth, and
 * refuses what neither ngspice nor the convention takes. */
static enum as_status scan_dots(struct imp *im)
{
    int depth = 0, control = 0; /* control: the line of the open .control */
    for (size_t i = 0; i < im->n; i++) {
        struct stmt *s = &im->s[i];
        s->top = depth == 0 && !control;
        if (s->type == 'c') {
            s->removed = control != 0; /* a comment of the .control block */
            continue;
        }
        const char *w0 = s->w.items[0];
        enum as_status st = AS_OK;
        if (control) {
            s->removed = 1;
            if (eq(w0, ".endc")) {
                char end[16];
                snprintf(end, sizeof end, "%d", s->line);
                st = note(im, control, "removed the .control block, lines up to %s%s", end,
                          " (read as text, never run)");
                control = 0;
            }
        } else if (s->type == 'e') {
            continue;
        } else if (eq(w0, ".control")) {
            control = s->line;
            s->removed = 1;
        } else if (in_list(removed_dot, w0)) {
            s->removed = 1;
            im->lt |= eq(w0, ".backanno") || eq(w0, ".step") || eq(w0, ".wave");
            st = note(im, s->line, "removed '%s ...' (%s)", w0,
                      eq(w0, ".step") ? "ampsweep sweeps the load itself; .param defaults stay"
                                      : "ampsweep adds its own analyses");
        } else if (eq(w0, ".lib") && s->w.len == 2) {
            free(s->w.items[0]);
            s->w.items[0] = strdup(".include");
            st = s->w.items[0] ? note(im, s->line, "'.lib %s' read as '.include %s'", s->w.items[1],
                                      s->w.items[1])
                               : AS_ENOMEM;
        } else if (eq(w0, ".option") || eq(w0, ".options") || eq(w0, ".opt")) {
            st = options_stmt(im, s);
        } else if (eq(w0, ".subckt")) {
            s->top = depth == 0;
            depth++;
        } else if (eq(w0, ".ends")) {
            depth = depth > 0 ? depth - 1 : 0;
        } else if (!in_list(kept_dot, w0)) {
            return as_fail(im->err, im->errlen, AS_EINPUT,
                           "%s:%d: '%s' cannot be imported: ngspice does not run it inside an "
                           "amp netlist (docs/netlists.md lists the dot commands one may hold)",
                           im->path, s->line, w0);
        }
        if (st != AS_OK)
            return st;
    }
    return AS_OK;
}

/* ---- LTspice part parameters ---- */

/* Part attributes LTspice writes from its component database: they do not
 * change the circuit, and ngspice refuses them. */
static const char *const lt_attributes[] = {
    "v", "irms", "mfg", "pn", "type", "pppkg", "tol", "pwr", "vpk", "ipk", "rpk", NULL,
};

/* The value of word "key=value" of s if its key is key, removed from s. */
static char *take_param(struct stmt *s, const char *key)
{
    size_t n = strlen(key);
    for (size_t i = 3; i < s->w.len; i++) {
        const char *w = s->w.items[i];
        if (strncasecmp(w, key, n) == 0 && w[n] == '=' && w[n + 1]) {
            char *v = strdup(w + n + 1);
            free(s->w.items[i]);
            memmove(&s->w.items[i], &s->w.items[i + 1], (s->w.len - i) * sizeof *s->w.items);
            s->w.len--;
            return v;
        }
    }
    return NULL;
}

/* Insert after statement at an element of the words of line. */
static enum as_status insert_elem(struct imp *im, size_t at, int line, const char *text)
{
    if (!push_stmt(im, 'e', line))
        return AS_ENOMEM;
    struct stmt made = im->s[im->n - 1];
    memmove(&im->s[at + 2], &im->s[at + 1], (im->n - 2 - at) * sizeof *im->s);
    im->s[at + 1] = made;
    char *copy = strdup(text);
    enum as_status st = copy ? split_words(&im->s[at + 1], copy) : AS_ENOMEM;
    free(copy);
    return st;
}

static enum as_status too_long(struct imp *im, int line)
{
    return as_fail(im->err, im->errlen, AS_EINPUT,
                   "%s:%d: a part's names and values are too long to import", im->path, line);
}

/* Rser= (and Lser=) in series with the part's first terminal, Rpar= and
 * Cpar= across it: explicit parts named after it. */
static enum as_status expand_part(struct imp *im, size_t i)
{
    static const char *const series[] = {"rser", "lser"}, *const across[] = {"rpar", "cpar"};
    enum as_status st = AS_OK;
    for (int k = 0; k < 2 && st == AS_OK; k++) {
        struct stmt *s = &im->s[i];
        char *v = take_param(s, across[k]);
        if (!v)
            continue;
        char line[1024];
        int len = snprintf(line, sizeof line, "%c%s_%s %s %s %s", across[k][0], s->w.items[0],
                           across[k], s->w.items[1], s->w.items[2], v);
        st = len > 0 && (size_t)len < sizeof line ? insert_elem(im, i, im->s[i].line, line)
                                                  : too_long(im, im->s[i].line);
        if (st == AS_OK)
            st = note(im, im->s[i].line, "%s: its LTspice parameter became the part '%s'",
                      im->s[i].w.items[0], line);
        free(v);
        im->lt = 1;
    }
    for (int k = 0; k < 2 && st == AS_OK; k++) {
        struct stmt *s = &im->s[i];
        char *v = take_param(s, series[k]);
        if (!v)
            continue;
        char *name = strdup(s->w.items[0]), *node = NULL;
        if (name && asprintf(&node, "%s_%s", name, series[k]) < 0)
            node = NULL;
        if (name && node) {
            char *old = s->w.items[1];
            s->w.items[1] = strdup(node);
            char line[1024];
            int len =
                snprintf(line, sizeof line, "%c%s %s %s %s", series[k][0], node, node, old, v);
            st = !s->w.items[1]                         ? AS_ENOMEM
                 : len > 0 && (size_t)len < sizeof line ? insert_elem(im, i, im->s[i].line, line)
                                                        : too_long(im, im->s[i].line);
            if (st == AS_OK)
                st = note(im, im->s[i].line, "%s: its LTspice parameter became the part '%s'", name,
                          line);
            free(old);
        } else {
            st = AS_ENOMEM;
        }
        free(name);
        free(node);
        free(v);
        im->lt = 1;
    }
    return st;
}

static enum as_status translate_parts(struct imp *im)
{
    for (size_t i = 0; i < im->n; i++) {
        struct stmt *s = &im->s[i];
        if (s->type != 'e' || s->removed || s->w.len < 3)
            continue;
        char c = lead(s);
        if (c != 'v' && c != 'c' && c != 'l' && c != 'r' && c != 'i')
            continue;
        for (const char *const *a = lt_attributes; *a && c != 'v' && c != 'i'; a++) {
            char *v = take_param(s, *a);
            if (v) {
                im->lt = 1;
                enum as_status st = note(im, s->line,
                                         "%s: dropped the part attribute '%s' (no "
                                         "effect on the circuit)",
                                         s->w.items[0], *a);
                free(v);
                if (st != AS_OK)
                    return st;
                a--; /* the same key may come twice */
            }
        }
        if (c != 'r') {
            enum as_status st = expand_part(im, i);
            if (st != AS_OK)
                return st;
        }
    }
    return AS_OK;
}

/* ---- the circuit as a graph of top-level elements ---- */

static int has_any(const char *w, const char *chars)
{
    return strpbrk(w, chars) != NULL;
}

static int is_number(const char *w)
{
    char *end = NULL;
    strtod(w, &end);
    return end != w;
}

/* How many of s's words after its name are nodes. */
static size_t node_count(const struct stmt *s)
{
    size_t n = s->w.len - 1;
    size_t k;
    switch (lead(s)) {
    case 'r':
    case 'c':
    case 'l':
    case 'v':
    case 'i':
    case 'd':
    case 'b':
    case 'w':
    case 'f':
    case 'h':
        k = 2;
        break;
    case 'e':
    case 'g':
        k = n >= 5 && !has_any(s->w.items[3], "({='") && !has_any(s->w.items[4], "({='") &&
                    !eq(s->w.items[3], "value") && !eq(s->w.items[3], "poly") &&
                    !eq(s->w.items[3], "table") && !eq(s->w.items[3], "vol") &&
                    !eq(s->w.items[3], "cur")
                ? 4
                : 2;
        break;
    case 'q':
    case 'm':
        k = n >= 5 && !strchr(s->w.items[5], '=') && !is_number(s->w.items[5]) ? 4 : 3;
        break;
    case 'j':
    case 'z':
        k = 3;
        break;
    case 's':
    case 't':
    case 'o':
        k = 4;
        break;
    case 'x':
        k = 0;
        while (k + 1 < s->w.len && !strchr(s->w.items[k + 1], '=') &&
               !eq(s->w.items[k + 1], "params:"))
            k++;
        k = k > 0 ? k - 1 : 0; /* the last word before the parameters is the subcircuit */
        break;
    default:
        k = 0;
    }
    return k < n ? k : n;
}

/* The terminal index (1-based word) of node on element s, or 0. */
static size_t terminal_of(const struct stmt *s, const char *node)
{
    size_t k = node_count(s);
    for (size_t j = 1; j <= k; j++)
        if (eq(s->w.items[j], node))
            return j;
    return 0;
}

static int live_elem(const struct stmt *s)
{
    return s->type == 'e' && s->top && !s->removed && s->w.len >= 3;
}

/* A switch's control input (a relay coil's drive). A controlled source's
 * control input is the amp's signal path, so it is not one. */
static int control_terminal(const struct stmt *s, size_t j)
{
    return lead(s) == 's' && j >= 3;
}

/* Connections of node other than element skip: counted, and those through
 * terminals that carry current. */
static void connections(const struct imp *im, const char *node, size_t skip, size_t *all,
                        size_t *current)
{
    *all = *current = 0;
    for (size_t i = 0; i < im->n; i++) {
        const struct stmt *s = &im->s[i];
        if (i == skip || !live_elem(s))
            continue;
        size_t k = node_count(s);
        for (size_t j = 1; j <= k; j++)
            if (eq(s->w.items[j], node)) {
                (*all)++;
                *current += !control_terminal(s, j);
            }
    }
}

/* The only other element on node besides skip, or -1. */
static long sole_neighbour(const struct imp *im, const char *node, size_t skip)
{
    long found = -1;
    for (size_t i = 0; i < im->n; i++)
        if (i != skip && live_elem(&im->s[i]) && terminal_of(&im->s[i], node)) {
            if (found >= 0)
                return -1;
            found = (long)i;
        }
    return found;
}

/* ---- sources and loads ---- */

static int wave_word(const char *w)
{
    static const char *const waves[] = {"sin", "sine", "pulse", "pwl", "sffm", "exp", "am", NULL};
    for (const char *const *p = waves; *p; p++) {
        size_t n = strlen(*p);
        if (strncasecmp(w, *p, n) == 0 && (w[n] == '(' || w[n] == '\0'))
            return 1;
    }
    return 0;
}

/* Index of s's first word that starts a waveform, or 0. */
static size_t wave_at(const struct stmt *s)
{
    for (size_t j = 3; j < s->w.len; j++)
        if (wave_word(s->w.items[j]))
            return j;
    return 0;
}

/* Index of the magnitude after s's "ac" word, or 0. */
static size_t ac_at(const struct stmt *s)
{
    for (size_t j = 3; j + 1 < s->w.len; j++)
        if (eq(s->w.items[j], "ac"))
            return j + 1;
    return 0;
}

static int is_source(const struct stmt *s)
{
    return live_elem(s) && (lead(s) == 'v' || lead(s) == 'i');
}

/* The non-ground node of a source with one grounded node, or NULL. */
static const char *hot_node(const struct stmt *s)
{
    int g1 = is_ground(s->w.items[1]), g2 = is_ground(s->w.items[2]);
    return g1 == g2 ? NULL : g1 ? s->w.items[2] : s->w.items[1];
}

/* A source whose nodes feed nothing but control inputs (a relay's, or a
 * value read by expressions): it delivers no power. */
static int control_source(const struct imp *im, size_t i)
{
    const struct stmt *s = &im->s[i];
    for (int t = 1; t <= 2; t++) {
        size_t all, cur;
        if (is_ground(s->w.items[t]))
            continue;
        connections(im, s->w.items[t], i, &all, &cur);
        if (cur > 0)
            return 0;
    }
    return 1;
}

static int stimulus(const struct imp *im, size_t i)
{
    const struct stmt *s = &im->s[i];
    size_t a = ac_at(s);
    int ac = a && strtod(s->w.items[a], NULL) != 0.0;
    return is_source(s) && (wave_at(s) || ac) && hot_node(s) && !control_source(im, i);
}

/* A SPICE number with its scale factor ("4.7k", "8", "1meg"); NAN if not. */
static double value_of(const char *w)
{
    char *end = NULL;
    double v = strtod(w, &end);
    if (end == w)
        return NAN;
    static const struct {
        const char *s;
        double f;
    } sc[] = {{"meg", 1e6}, {"t", 1e12}, {"g", 1e9},   {"k", 1e3},  {"m", 1e-3},
              {"u", 1e-6},  {"n", 1e-9}, {"p", 1e-12}, {"f", 1e-15}};
    for (size_t i = 0; i < sizeof sc / sizeof *sc; i++)
        if (strncasecmp(end, sc[i].s, strlen(sc[i].s)) == 0)
            return v * sc[i].f;
    return v;
}

static enum as_status list_candidates(struct imp *im, const long *c, size_t n, char *buf,
                                      size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && used < len; k++) {
        const struct stmt *s = &im->s[c[k]];
        used += (size_t)snprintf(buf + used, len - used, "%s'%s' (line %d, node %s)", k ? ", " : "",
                                 s->w.items[0], s->line, hot_node(s) ? hot_node(s) : s->w.items[1]);
    }
    return AS_OK;
}

/* A resistor that is a signal generator's output impedance rather than
 * the amp's input resistor: named so (rs, rsrc, rgen, a source's Rser) or
 * of a generator's usual value (50, 75, 150 or 600 ohm). */
static int generator_resistor(const struct stmt *r)
{
    const char *n = r->w.items[0] + 1;
    size_t len = strlen(n);
    int named =
        ((n[0] == 's' || n[0] == 'S') && (!n[1] || n[1] == '_' || isdigit((unsigned char)n[1]))) ||
        strcasestr(n, "src") || strcasestr(n, "gen") || strcasestr(n, "source") ||
        (len > 5 && eq(n + len - 5, "_rser"));
    double v = r->w.len > 3 ? value_of(r->w.items[3]) : NAN;
    return named || v == 50 || v == 75 || v == 150 || v == 600;
}

/* The input source, its generator resistor and the input node. */
static enum as_status find_input(struct imp *im, const struct import_opts *o)
{
    long c[16];
    size_t n = 0;
    for (size_t i = 0; i < im->n && n < 16; i++)
        if (stimulus(im, i))
            c[n++] = (long)i;
    im->src = im->rgen = -1;
    for (size_t k = 0; k < n; k++) {
        const char *hot = hot_node(&im->s[c[k]]);
        long r = sole_neighbour(im, hot, (size_t)c[k]);
        const struct stmt *rs = r >= 0 ? &im->s[r] : NULL;
        const char *far = NULL;
        if (rs && lead(rs) == 'r' && generator_resistor(rs))
            far = eq(rs->w.items[1], hot) ? rs->w.items[2] : rs->w.items[1];
        if (far && is_ground(far))
            far = NULL;
        if (o->in_node && !eq(o->in_node, hot) && !(far && eq(o->in_node, far)))
            continue;
        if (im->src >= 0 && !o->in_node) {
            char names[1024];
            list_candidates(im, c, n, names, sizeof names);
            return as_fail(im->err, im->errlen, AS_EINPUT,
                           "%s: more than one source could be the input: %s; choose with "
                           "--in-node NODE",
                           im->path, names);
        }
        if (o->in_node && eq(o->in_node, hot))
            far = NULL; /* the generator resistor is then the amp's */
        im->src = c[k];
        im->rgen = far ? r : -1;
        snprintf(im->in_node, sizeof im->in_node, "%s", far ? far : hot);
    }
    if (o->in_node)
        snprintf(im->in_node, sizeof im->in_node, "%s", o->in_node);
    if (im->src < 0 && !o->in_node)
        return as_fail(im->err, im->errlen, AS_EINPUT,
                       "%s: no input source found (a SIN, PULSE, PWL or AC source from a node to "
                       "ground); name the input with --in-node NODE",
                       im->path);
    return AS_OK;
}

/* The DC value of a source ("dc 12", "12", nothing: 0). */
static double dc_value(const struct stmt *s)
{
    if (s->w.len > 4 && eq(s->w.items[3], "dc"))
        return value_of(s->w.items[4]);
    if (s->w.len > 3 && is_number(s->w.items[3]))
        return value_of(s->w.items[3]);
    return 0.0;
}

/* A voltage source that powers the circuit: DC, not 0 V (a probe), not the
 * input, feeding something that draws current. */
static int is_supply(const struct imp *im, size_t i)
{
    const struct stmt *s = &im->s[i];
    double v = is_source(s) && lead(s) == 'v' && !wave_at(s) ? dc_value(s) : 0.0;
    return (long)i != im->src && isfinite(v) && v != 0.0 && !control_source(im, i);
}

/* A node some supply holds (a rail). */
static int supply_node(const struct imp *im, const char *node)
{
    for (size_t i = 0; i < im->n; i++)
        if (is_supply(im, i) && terminal_of(&im->s[i], node))
            return 1;
    return 0;
}

/* Only capacitors on node besides element skip (a Zobel's or an RC's
 * middle, not an amp's output). */
static int only_capacitors(const struct imp *im, const char *node, size_t skip)
{
    for (size_t i = 0; i < im->n; i++)
        if (i != skip && live_elem(&im->s[i]) && terminal_of(&im->s[i], node) &&
            lead(&im->s[i]) != 'c')
            return 0;
    return 1;
}

static int named_load(const char *name)
{
    const char *p = name + 1;
    return strcasestr(name, "load") ||
           ((p[0] == 'l' || p[0] == 'L') && (!p[1] || isdigit((unsigned char)p[1]) || p[1] == '_'));
}

/* A name a speaker's or headphone's model goes by. */
static int named_transducer(const char *name)
{
    static const char *const words[] = {"spk", "speak", "woof", "tweet", "driver", "phone", NULL};
    for (const char *const *w = words; *w; w++)
        if (strcasestr(name, *w))
            return 1;
    return 0;
}

/* A subcircuit instance with two terminals (its name the word after). */
static int two_terminal_x(const struct stmt *s)
{
    return lead(s) == 'x' && node_count(s) == 2 && s->w.len >= 4;
}

/* A load candidate named as the deck's load: a resistor named like a load,
 * a subcircuit whose instance or definition is named like a load, a
 * speaker or a headphone. */
static int load_named(const struct stmt *s)
{
    if (lead(s) != 'x')
        return named_load(s->w.items[0]);
    return named_load(s->w.items[0]) || strcasestr(s->w.items[3], "load") ||
           named_transducer(s->w.items[0]) || named_transducer(s->w.items[3]);
}

/* A resistor or a two-terminal subcircuit (a speaker model) from an amp
 * node to ground that may be the deck's load; its node in *node. */
static int load_candidate(const struct imp *im, size_t i, const char **node)
{
    const struct stmt *s = &im->s[i];
    if (!live_elem(s) || s->w.len < 4 || (lead(s) != 'r' && !two_terminal_x(s)))
        return 0;
    const char *hot = hot_node(s);
    if (!hot || eq(hot, im->in_node) || (im->src >= 0 && terminal_of(&im->s[im->src], hot)) ||
        supply_node(im, hot) || only_capacitors(im, hot, i))
        return 0;
    *node = hot;
    return lead(s) == 'x' || load_named(s) || value_of(s->w.items[3]) <= 1e3;
}

/* Pick among the candidates c[0..n): the only one; else the one named as
 * a load; else, when all are resistors, the lowest resistance if it is
 * under a third of every other. A subcircuit among several with none
 * named makes it ambiguous, rather than a guess. -1: none. */
static long pick_load(const struct imp *im, const long *c, size_t n)
{
    long named = -1, low = -1;
    size_t n_named = 0, n_x = 0;
    for (size_t k = 0; k < n; k++) {
        const struct stmt *s = &im->s[c[k]];
        if (load_named(s)) {
            named = c[k];
            n_named++;
        }
        n_x += lead(s) == 'x';
        if (lead(s) == 'r' &&
            (low < 0 || value_of(s->w.items[3]) < value_of(im->s[low].w.items[3])))
            low = c[k];
    }
    if (n == 1)
        return c[0];
    if (n_named == 1)
        return named;
    if (n_x > 0)
        return -1;
    for (size_t k = 0; low >= 0 && k < n; k++)
        if (c[k] != low && value_of(im->s[c[k]].w.items[3]) < 3 * value_of(im->s[low].w.items[3]))
            return -1;
    return low;
}

/* The candidates c[0..n) as the ambiguity message names them. */
static void describe_loads(const struct imp *im, const long *c, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && used < len; k++) {
        const struct stmt *s = &im->s[c[k]];
        used += (size_t)snprintf(buf + used, len - used, "%s'%s' (line %d, %s%s%s on node %s)",
                                 k ? ", " : "", s->w.items[0], s->line,
                                 lead(s) == 'x' ? "subcircuit " : "", s->w.items[3],
                                 lead(s) == 'x' ? "" : " ohm", hot_node(s));
    }
}

static enum as_status find_output(struct imp *im, const struct import_opts *o)
{
    long c[32];
    size_t n = 0;
    for (size_t i = 0; i < im->n && n < 32; i++) {
        const char *node = NULL;
        if (load_candidate(im, i, &node) && (!o->out_node || eq(node, o->out_node)))
            c[n++] = (long)i;
    }
    im->load = n ? pick_load(im, c, n) : -1;
    if (o->out_node) {
        snprintf(im->out_node, sizeof im->out_node, "%s", o->out_node);
        return im->load >= 0 ? AS_OK
                             : note(im, 0,
                                    "no load on node '%s' (a resistor or a two-terminal "
                                    "subcircuit to ground): nothing removed there%s",
                                    o->out_node, "");
    }
    if (im->load < 0) {
        char names[1024];
        describe_loads(im, c, n, names, sizeof names);
        return as_fail(im->err, im->errlen, AS_EINPUT,
                       n ? "%s: the load is ambiguous: %s; choose the output with --out-node NODE"
                         : "%s: no load found (a resistor of 1 kohm or less, or a two-terminal "
                           "subcircuit such as a speaker model, from the output to ground)%s; "
                           "name the output with --out-node NODE",
                       im->path, names);
    }
    snprintf(im->out_node, sizeof im->out_node, "%s", hot_node(&im->s[im->load]));
    return AS_OK;
}

/* The statements [*from, *to] of the top-level definition of subcircuit
 * name (from .subckt to its .ends); 0 if the deck has none. */
static int subckt_range(const struct imp *im, const char *name, size_t *from, size_t *to)
{
    for (size_t i = 0; i < im->n; i++) {
        const struct stmt *s = &im->s[i];
        if (s->type != 'd' || !s->top || s->removed || !eq(s->w.items[0], ".subckt") ||
            s->w.len < 2 || !eq(s->w.items[1], name))
            continue;
        int depth = 0;
        for (size_t j = i; j < im->n; j++) {
            const struct stmt *e = &im->s[j];
            if (e->type == 'd' && eq(e->w.items[0], ".subckt"))
                depth++;
            else if (e->type == 'd' && eq(e->w.items[0], ".ends") && --depth == 0) {
                *from = i;
                *to = j;
                return 1;
            }
        }
    }
    return 0;
}

/* A load that is a subcircuit instance: its definition removed too, unless
 * another instance (at top level or inside another definition) uses it. */
static enum as_status drop_load_subckt(struct imp *im)
{
    if (im->load < 0 || lead(&im->s[im->load]) != 'x')
        return AS_OK;
    const char *name = im->s[im->load].w.items[3];
    size_t from = 0, to = 0;
    if (!subckt_range(im, name, &from, &to))
        return AS_OK;
    for (size_t i = 0; i < im->n; i++) {
        const struct stmt *s = &im->s[i];
        if ((i < from || i > to) && s->type == 'e' && !s->removed && lead(s) == 'x' &&
            s->w.len > node_count(s) + 1 && eq(s->w.items[node_count(s) + 1], name))
            return note(im, im->s[from].line,
                        "kept the definition of subcircuit '%s': '%s' uses it too", name,
                        s->w.items[0]);
    }
    for (size_t i = from; i <= to; i++)
        im->s[i].removed = 1;
    char end[16];
    snprintf(end, sizeof end, "%d", im->s[to].line);
    return note(im, im->s[from].line,
                "removed the definition of subcircuit '%s', lines up to %s (only the deck's "
                "load used it)",
                name, end);
}

/* ---- rewriting ---- */

struct rename {
    char from[IMP_NODE_MAX], to[IMP_NODE_MAX];
};

struct renames {
    struct rename r[8];
    size_t n;
};

static int node_used(const struct imp *im, const char *node)
{
    for (size_t i = 0; i < im->n; i++)
        if (live_elem(&im->s[i]) && terminal_of(&im->s[i], node))
            return 1;
    return 0;
}

static const char *renamed(const struct renames *m, const char *node)
{
    for (size_t k = 0; k < m->n; k++)
        if (eq(m->r[k].from, node))
            return m->r[k].to;
    return NULL;
}

static void add_rename(struct renames *m, const char *from, const char *to)
{
    if (m->n < sizeof m->r / sizeof *m->r && !renamed(m, from) && !eq(from, to)) {
        snprintf(m->r[m->n].from, IMP_NODE_MAX, "%s", from);
        snprintf(m->r[m->n].to, IMP_NODE_MAX, "%s", to);
        m->n++;
    }
}

/* in and out for the chosen nodes; a node already called so, or one with
 * the harness's prefix, gets a free name. */
static void plan_renames(const struct imp *im, struct renames *m)
{
    const char *want[2] = {"in", "out"}, *chosen[2] = {im->in_node, im->out_node};
    for (int k = 0; k < 2; k++)
        if (!eq(chosen[0], want[k]) && !eq(chosen[1], want[k]) && node_used(im, want[k])) {
            char fresh[IMP_NODE_MAX];
            for (int n = 1; n < 100; n++) {
                snprintf(fresh, sizeof fresh, "%s_%d", want[k], n);
                if (!node_used(im, fresh))
                    break;
            }
            add_rename(m, want[k], fresh);
        }
    add_rename(m, chosen[0], "in");
    add_rename(m, chosen[1], "out");
    for (size_t i = 0; i < im->n; i++) {
        const struct stmt *s = &im->s[i];
        for (size_t j = 1; live_elem(s) && j <= node_count(s); j++)
            if (strncasecmp(s->w.items[j], "as_", 3) == 0) {
                char fresh[IMP_NODE_MAX];
                snprintf(fresh, sizeof fresh, "n%s", s->w.items[j]);
                add_rename(m, s->w.items[j], fresh);
            }
    }
}

/* Node names inside v(a) and v(a,b) of word *w renamed. */
static enum as_status rename_probes(char **w, const struct renames *m)
{
    /* a name of at least one character becomes one of under IMP_NODE_MAX */
    size_t cap = strlen(*w) * IMP_NODE_MAX + 1, o = 0;
    char *out = malloc(cap);
    if (!out)
        return AS_ENOMEM;
    const char *p = *w;
    int changed = 0;
    while (*p) {
        int starts = (p[0] == 'v' || p[0] == 'V') && p[1] == '(' &&
                     (p == *w || !(isalnum((unsigned char)p[-1]) || p[-1] == '_'));
        if (!starts) {
            out[o++] = *p++;
            continue;
        }
        out[o++] = *p++;
        out[o++] = *p++;
        while (*p && *p != ')') {
            size_t n = strcspn(p, ",)");
            char name[IMP_NODE_MAX];
            snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), p);
            const char *to = n < sizeof name ? renamed(m, name) : NULL;
            memcpy(out + o, to ? to : p, to ? strlen(to) : n);
            o += to ? strlen(to) : n;
            changed |= to != NULL;
            p += n;
            if (*p == ',')
                out[o++] = *p++;
        }
    }
    out[o] = '\0';
    if (changed) {
        free(*w);
        *w = out;
    } else {
        free(out);
    }
    return AS_OK;
}

static enum as_status apply_renames(struct imp *im, const struct renames *m)
{
    for (size_t i = 0; i < im->n; i++) {
        struct stmt *s = &im->s[i];
        if (s->type == 'c' || s->removed || !s->top)
            continue;
        size_t k = s->type == 'e' ? node_count(s) : 0;
        for (size_t j = 1; j < s->w.len; j++) {
            const char *to = j <= k ? renamed(m, s->w.items[j]) : NULL;
            char *g = to ? strdup(to) : NULL;
            if (to && !g)
                return AS_ENOMEM;
            if (g) {
                free(s->w.items[j]);
                s->w.items[j] = g;
            } else if (rename_probes(&s->w.items[j], m) != AS_OK) {
                return AS_ENOMEM;
            }
        }
    }
    for (size_t k = 0; k < m->n; k++) {
        enum as_status st = note(im, 0, "node '%s' renamed '%s'", m->r[k].from, m->r[k].to);
        if (st != AS_OK)
            return st;
    }
    return AS_OK;
}

/* A switch's control source with a PULSE or PWL: held at the level it
 * reaches (a relay that closes after a delay is closed for the sweep). */
static enum as_status hold_control(struct imp *im, size_t i)
{
    struct stmt *s = &im->s[i];
    size_t j = wave_at(s);
    if (!j)
        return AS_OK;
    char *rest = joined(&s->w), *open = rest ? strchr(rest, '(') : NULL;
    enum as_status st = rest ? AS_OK : AS_ENOMEM;
    double vals[64];
    size_t n = 0;
    for (char *t = open ? strtok(open + 1, " ,()") : NULL; t && n < 64; t = strtok(NULL, " ,()"))
        if (!isnan(vals[n] = value_of(t)))
            n++;
    int pulse = strncasecmp(s->w.items[j], "pulse", 5) == 0;
    int pwl = strncasecmp(s->w.items[j], "pwl", 3) == 0;
    if (st == AS_OK && (pulse ? n >= 2 : pwl && n >= 2)) {
        char v[64];
        snprintf(v, sizeof v, "%.12g", pulse ? vals[1] : vals[n - 1]);
        strv_truncate(&s->w, 3);
        st = strv_push(&s->w, "dc");
        if (st == AS_OK)
            st = strv_push(&s->w, v);
        if (st == AS_OK)
            st = note(im, s->line,
                      "%s drives only control inputs (a relay or switch): held at "
                      "dc %s, the level it reaches",
                      s->w.items[0], v);
    }
    free(rest);
    return st;
}

/* Kept sources: AC values 0; control sources held; supplies listed. */
static enum as_status fix_sources(struct imp *im, struct strv *supplies)
{
    enum as_status st = AS_OK;
    for (size_t i = 0; i < im->n && st == AS_OK; i++) {
        struct stmt *s = &im->s[i];
        if (!is_source(s))
            continue;
        size_t a = ac_at(s);
        if (a && strtod(s->w.items[a], NULL) != 0.0) {
            free(s->w.items[a]);
            s->w.items[a] = strdup("0");
            st = s->w.items[a] ? note(im, s->line,
                                      "%s: AC value set to 0 (the harness's "
                                      "source is the only stimulus)%s",
                                      s->w.items[0], "")
                               : AS_ENOMEM;
        }
        if (st == AS_OK && control_source(im, i))
            st = hold_control(im, i);
        else if (st == AS_OK && wave_at(s))
            st = note(im, s->line,
                      "%s keeps its waveform '%s...': a second stimulus besides the "
                      "harness's; remove it if it is a generator",
                      s->w.items[0], s->w.items[wave_at(s)]);
        if (st == AS_OK && is_supply(im, i))
            st = strv_push(supplies, s->w.items[0]);
    }
    return st;
}

static enum as_status remove_part(struct imp *im, long i, const char *why)
{
    if (i < 0)
        return AS_OK;
    struct stmt *s = &im->s[i];
    s->removed = 1;
    char *text = joined(&s->w);
    enum as_status st = text ? note(im, s->line, "removed '%s' (%s)", text, why) : AS_ENOMEM;
    free(text);
    return st;
}

/* The amp's name: the option, else the file's name without folder and
 * extension, with what a name may not hold made '_'. */
static void amp_name(const char *path, const char *given, char name[AS_NAME_MAX + 1])
{
    const char *base = strrchr(path, '/');
    base = given ? given : base ? base + 1 : path;
    size_t n = given ? strlen(base) : strcspn(base, ".");
    if (n == 0) {
        base = "imported";
        n = strlen(base);
    }
    if (n > AS_NAME_MAX)
        n = AS_NAME_MAX;
    for (size_t i = 0; i < n; i++)
        name[i] = isalnum((unsigned char)base[i]) || strchr("_-.", base[i]) ? base[i] : '_';
    name[n] = '\0';
}

/* The kind: the option, else from the deck's own load (16 ohm and below: a
 * speaker, so a power amp; a subcircuit: a headphone if named like one,
 * else a speaker). */
static const char *amp_kind(const struct imp *im, const struct import_opts *o)
{
    if (o->kind)
        return o->kind;
    const struct stmt *l = im->load >= 0 ? &im->s[im->load] : NULL;
    if (l && lead(l) == 'x')
        return strcasestr(l->w.items[0], "phone") || strcasestr(l->w.items[3], "phone")
                   ? AS_AMP_HEADPHONE
                   : AS_AMP_POWER;
    double r = l ? value_of(l->w.items[3]) : NAN;
    return isfinite(r) && r > 16.0 ? AS_AMP_HEADPHONE : AS_AMP_POWER;
}

static enum as_status write_header(struct imp *im, const struct import_opts *o,
                                   const struct strv *supplies, struct strv *out)
{
    char name[AS_NAME_MAX + 1];
    amp_name(im->path, o->name, name);
    const char *base = strrchr(im->path, '/');
    base = base ? base + 1 : im->path;
    enum as_status st = strv_push(out, im->title);
    if (st == AS_OK)
        st = strv_pushf(out,
                        "* Imported by 'ampsweep import' from %s. What the import changed:", base);
    for (size_t i = 0; i < im->changes->len && st == AS_OK; i++)
        st = strv_pushf(out, "*   %s", im->changes->items[i]);
    if (st == AS_OK)
        st = strv_pushf(out, "*@ name = %s", name);
    if (st == AS_OK)
        st = strv_pushf(out, "*@ kind = %s", amp_kind(im, o));
    if (st == AS_OK)
        st = strv_pushf(out,
                        "*@ source = the deck %s, imported by ampsweep import (say here what "
                        "real design it is modelled on)",
                        base);
    if (st == AS_OK && (im->lt || im->ps))
        st = strv_pushf(out, "*@ compat = %s", im->lt && im->ps ? "ltpsa" : im->lt ? "lta" : "psa");
    for (size_t i = 0; i < supplies->len && st == AS_OK; i++)
        st = strv_pushf(out, "*@ supply = %s", supplies->items[i]);
    return st;
}

static enum as_status write_body(const struct imp *im, struct strv *out)
{
    enum as_status st = AS_OK;
    for (size_t i = 0; i < im->n && st == AS_OK; i++) {
        const struct stmt *s = &im->s[i];
        if (s->removed)
            continue;
        if (s->type == 'c') {
            st = strv_push(out, s->text);
            continue;
        }
        char *t = joined(&s->w);
        st = t ? strv_push(out, t) : AS_ENOMEM;
        free(t);
    }
    if (st == AS_OK)
        st = strv_push(out, ".end");
    return st;
}

/* PSpice's own marks: a '.probe' of everything, its standard library, the
 * functions only ngspice's PSpice mode defines (limit, stp, pwr, pwrs). */
static void detect_pspice(struct imp *im)
{
    static const char *const fns[] = {"limit(", "stp(", "pwr(", "pwrs(", NULL};
    for (size_t i = 0; i < im->n; i++) {
        const struct stmt *s = &im->s[i];
        for (size_t j = 1; s->type != 'c' && j < s->w.len; j++)
            for (const char *const *f = fns; *f; f++) {
                const char *at = strcasestr(s->w.items[j], *f);
                im->ps |= at && (at == s->w.items[j] || !isalnum((unsigned char)at[-1]));
            }
        if (s->type != 'd')
            continue;
        if (eq(s->w.items[0], ".probe") && (s->w.len == 1 || strchr(s->w.items[1], '*')))
            im->ps = 1;
        if ((eq(s->w.items[0], ".lib") || eq(s->w.items[0], ".include")) && s->w.len > 1 &&
            strcasestr(s->w.items[1], "nom.lib"))
            im->ps = 1;
    }
}

/* The line a change names ("line 12: ..."); changes without one last. */
static long change_line(const char *c)
{
    return strncmp(c, "line ", 5) == 0 ? strtol(c + 5, NULL, 10) : 1L << 30;
}

/* Changes in the order of the deck's lines (stable: insertion). */
static void sort_changes(struct strv *c)
{
    for (size_t i = 1; i < c->len; i++) {
        char *x = c->items[i];
        size_t j = i;
        for (; j > 0 && change_line(c->items[j - 1]) > change_line(x); j--)
            c->items[j] = c->items[j - 1];
        c->items[j] = x;
    }
}

/* ---- relative includes, seen from the new file's folder ---- */

/* The canonical folder of file path (NULL when it cannot be resolved);
 * the caller frees it. */
static char *folder_of(const char *path)
{
    char *copy = strdup(path);
    char *dir = copy ? realpath(dirname(copy), NULL) : NULL;
    free(copy);
    return dir;
}

/* rel: the path to file from folder dir, both canonical (absolute, no
 * "." or ".." parts, no trailing '/'). */
static void relative_path(const char *file, const char *dir, char *rel, size_t len)
{
    size_t k = 0, common = 0, used = 0;
    while (file[k] && file[k] == dir[k])
        k++;
    if (strcmp(dir, "/") == 0)
        common = 0, dir = "";
    else if (dir[k] == '\0' && file[k] == '/')
        common = k;
    else
        for (size_t j = 0; j < k; j++)
            if (dir[j] == '/')
                common = j;
    rel[0] = '\0';
    for (const char *p = dir + common; *p && dir[0]; p++)
        if (*p == '/' && used + 3 < len)
            used += (size_t)snprintf(rel + used, len - used, "../");
    snprintf(rel + used, len - used, "%s", file + common + 1);
}

/* One include's file name (quotes taken off): rewritten when it is
 * relative and found beside the deck, so that it names the same file from
 * the new file's folder. A name found only in the models or --include-dir
 * folders is looked up there from the new file as well, and stays. */
static enum as_status rebase_include(struct imp *im, struct stmt *s, const char *from,
                                     const char *to)
{
    char name[PATH_MAX], cand[PATH_MAX], rel[PATH_MAX];
    const char *w = s->w.items[1];
    size_t n = strlen(w);
    int quoted = n >= 2 && (w[0] == '"' || w[0] == '\'') && w[n - 1] == w[0];
    snprintf(name, sizeof name, "%.*s", (int)(quoted ? n - 2 : n), quoted ? w + 1 : w);
    if (name[0] == '/' || name[0] == '\0' ||
        (size_t)snprintf(cand, sizeof cand, "%s/%s", from, name) >= sizeof cand ||
        access(cand, R_OK) != 0)
        return AS_OK;
    char *file = realpath(cand, NULL);
    if (!file)
        return AS_OK;
    relative_path(file, to, rel, sizeof rel);
    free(file);
    if (strcmp(rel, name) == 0)
        return AS_OK;
    char *nw = malloc(strlen(rel) + 3);
    if (!nw)
        return AS_ENOMEM;
    snprintf(nw, strlen(rel) + 3, strchr(rel, ' ') ? "\"%s\"" : "%s", rel);
    enum as_status st =
        note(im, s->line,
             strncmp(rel, "../", 3) == 0
                 ? "include '%s' rewritten as '%s' (the same file, from the new file's folder; it "
                   "lies outside that folder, so import, check and sweep it with --include-dir "
                   "naming the deck's folder)"
                 : "include '%s' rewritten as '%s' (the same file, from the new file's folder)",
             w, nw);
    free(s->w.items[1]);
    s->w.items[1] = nw;
    return st;
}

static enum as_status rebase_includes(struct imp *im, const char *dest)
{
    if (!dest)
        return AS_OK;
    char *from = folder_of(im->path), *to = folder_of(dest);
    enum as_status st = AS_OK;
    for (size_t i = 0; i < im->n && st == AS_OK && from && to; i++) {
        struct stmt *s = &im->s[i];
        if (s->type == 'd' && !s->removed && s->w.len > 1 &&
            (eq(s->w.items[0], ".include") || eq(s->w.items[0], ".inc") ||
             eq(s->w.items[0], ".lib")))
            st = rebase_include(im, s, from, to);
    }
    free(from);
    free(to);
    return st;
}

static enum as_status convert(struct imp *im, const struct import_opts *o, struct strv *out)
{
    struct strv supplies = {0};
    struct renames m = {0};
    detect_pspice(im);
    enum as_status st = scan_dots(im);
    if (st == AS_OK)
        st = rebase_includes(im, o->dest);
    if (st == AS_OK)
        st = translate_parts(im);
    if (st == AS_OK)
        st = find_input(im, o);
    if (st == AS_OK)
        st = find_output(im, o);
    if (st == AS_OK && im->src >= 0 && eq(im->in_node, im->out_node))
        st = as_fail(im->err, im->errlen, AS_EINPUT, "%s: input and output are the same node '%s'",
                     im->path, im->in_node);
    if (st == AS_OK)
        st = remove_part(im, im->src, "the input source: the harness drives node in");
    if (st == AS_OK)
        st = remove_part(im, im->rgen, "the generator's series resistor");
    if (st == AS_OK)
        st = remove_part(im, im->load, "the deck's load: the harness loads node out");
    if (st == AS_OK)
        st = drop_load_subckt(im);
    if (st == AS_OK && !node_used(im, im->in_node))
        st = as_fail(im->err, im->errlen, AS_EINPUT,
                     "%s: no element of the amp connects to the input node '%s'", im->path,
                     im->in_node);
    if (st == AS_OK && !node_used(im, im->out_node))
        st = as_fail(im->err, im->errlen, AS_EINPUT,
                     "%s: no element of the amp connects to the output node '%s'", im->path,
                     im->out_node);
    if (st == AS_OK)
        plan_renames(im, &m);
    if (st == AS_OK)
        st = apply_renames(im, &m);
    if (st == AS_OK)
        st = fix_sources(im, &supplies);
    if (st == AS_OK) {
        sort_changes(im->changes);
        st = write_header(im, o, &supplies, out);
    }
    if (st == AS_OK)
        st = write_body(im, out);
    strv_free(&supplies);
    return st;
}

enum as_status import_deck(const char *path, const struct import_opts *opts, struct strv *out,
                           struct strv *changes, char *err, size_t errlen)
{
    struct imp im = {.path = path, .changes = changes, .err = err, .errlen = errlen};
    enum as_status st = read_deck(&im);
    if (st == AS_OK)
        st = convert(&im, opts, out);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", path);
    for (size_t i = 0; i < im.n; i++) {
        free(im.s[i].text);
        strv_free(&im.s[i].w);
    }
    free(im.s);
    free(im.title);
    return st;
}
