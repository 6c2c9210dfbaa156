/* ngs: wraps libngspice so no other module sees its globals, its printed
 * errors, its 1e32 placeholders or its static vector struct.
 *
 * libngspice forces two pieces of process-wide state, kept here and nowhere
 * else: whether a session is open (the simulator is a singleton) and whether
 * ControlledExit has happened (then the library is unusable until exit).
 */
#include "engine/ngs.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ngspice/sharedspice.h>

/* Output kept per call. Past this only error lines are still looked for:
 * the first one is kept in late_err, so no error goes unseen. */
#define NGS_OUTPUT_MAX (1u << 20)

struct ngs {
    char *out; /* captured output of the current call */
    size_t out_len, out_cap;
    int truncated;
    char late_err[256]; /* first error line seen after truncation */
    int dead;
    char label[512];
    char err_stmt[256]; /* statement ngspice quoted with its last error */
    char *save_cmd;     /* "save ..." of ngs_save_only, or NULL: save everything */
};

/* libngspice takes its callbacks' userdata once per process (a second
 * ngSpice_Init crashes it), so the session object is this one instance. */
static struct ngs the_session;
static int process_dead;   /* ControlledExit seen: libngspice is gone for this process */
static int session_open;   /* the simulator is a singleton */
static int library_inited; /* ngSpice_Init done */

static int is_error_line(const char *line);

static void out_append(struct ngs *s, const char *text)
{
    size_t n = strlen(text);
    if (!s->truncated && s->out_len + n + 2 > NGS_OUTPUT_MAX)
        s->truncated = 1;
    if (s->truncated) {
        if (!s->late_err[0] && is_error_line(text))
            snprintf(s->late_err, sizeof s->late_err, "%.255s", text);
        return;
    }
    if (s->out_len + n + 2 > s->out_cap) {
        size_t cap = s->out_cap ? s->out_cap : 4096;
        while (cap < s->out_len + n + 2)
            cap *= 2;
        char *g = realloc(s->out, cap);
        if (!g) {
            s->truncated = 1;
            out_append(s, text); /* still looked at for an error */
            return;
        }
        s->out = g;
        s->out_cap = cap;
    }
    memcpy(s->out + s->out_len, text, n);
    s->out_len += n;
    s->out[s->out_len++] = '\n';
    s->out[s->out_len] = '\0';
}

static void out_reset(struct ngs *s)
{
    s->out_len = 0;
    s->truncated = 0;
    s->late_err[0] = '\0';
    if (s->out)
        s->out[0] = '\0';
}

static int cb_char(char *text, int id, void *user)
{
    (void)id;
    struct ngs *s = user;
    if (s && text)
        out_append(s, text);
    return 0;
}

static int cb_stat(char *text, int id, void *user)
{
    (void)text, (void)id, (void)user;
    return 0;
}

static int cb_exit(int status, NG_BOOL unload, NG_BOOL quit, int id, void *user)
{
    (void)status, (void)unload, (void)quit, (void)id;
    struct ngs *s = user;
    process_dead = 1;
    if (s)
        s->dead = 1;
    return 0;
}

/* 1 if needle occurs in hay, ignoring case. */
static int contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return 0;
}

/* A stderr line that means the call failed. Warnings and notes do not. */
static int is_error_line(const char *line)
{
    if (strncmp(line, "stderr ", 7) != 0)
        return 0;
    line += 7;
    if (strncasecmp(line, "warning", 7) == 0 || strncasecmp(line, "note", 4) == 0)
        return 0;
    return contains_ci(line, "error") || contains_ci(line, "aborted") ||
           contains_ci(line, "cannot recover") || contains_ci(line, "timestep too small");
}

/* A line that says ngspice did not build the circuit the deck describes: a
 * value it defaulted, clamped or ignored, a definition it dropped, a node it
 * found without a DC path (docs/security.md lists them, and the notes that
 * stay notes). Either stream: some device checks print on stdout. */
static int is_changed_line(const char *line)
{
    if (strncmp(line, "stdout ", 7) != 0 && strncmp(line, "stderr ", 7) != 0)
        return 0;
    const char *t = line + 7;
    static const char *const changed[] = {
        "warning",
        "has no value",
        "too few parameters for subcircuit",
        "too many parameters for subcircuit",
        "undefined parameter",
        "cannot compute substitute",
        "not positive definite",
        "dtemp ignored",
        "singular matrix",
    };
    /* harmless: BSIM3's geometry notes change nothing; gmin and source
     * stepping are how the solver finds a valid operating point (a singular
     * matrix met on the way is caught above all the same) */
    static const char *const harmless[] = {
        "pd = 0 is less than w", "ps = 0 is less than w", "gmin",
        "source stepping",       "supplies reduced",
    };
    int hit = 0;
    for (size_t i = 0; i < sizeof changed / sizeof *changed && !hit; i++)
        hit = contains_ci(t, changed[i]);
    if (!hit || contains_ci(t, "singular matrix"))
        return hit;
    for (size_t i = 0; i < sizeof harmless / sizeof *harmless; i++)
        if (contains_ci(t, harmless[i]))
            return 0;
    return 1;
}

/* 1 if the text of line (prefix and all) ends with a colon or "from line":
 * ngspice quotes the statement on the next line. */
static int quotes_next(const char *line)
{
    size_t n = strlen(line);
    while (n && line[n - 1] == ' ')
        n--;
    return (n && line[n - 1] == ':') || (n >= 9 && strncasecmp(line + n - 9, "from line", 9) == 0);
}

/* The name a changed line is about when it names no statement: the word
 * before its first colon ("Warning: r1: resistance to low", "Note: v1: has
 * no value", "r1: Instance temperature specified"), the instance of a
 * subcircuit call ("(instance: xx1)", ngspice adding an 'x'), the .subckt
 * a redefinition names, or the model a clamped parameter belongs to ("of
 * model qmod"). */
static void changed_name(const char *t, char *stmt, size_t len)
{
    stmt[0] = '\0';
    const char *inst = strstr(t, "(instance: ");
    if (inst) {
        inst += 11;
        snprintf(stmt, len, "%.*s", (int)strcspn(inst, ")"), inst);
        return;
    }
    const char *sub = strstr(t, ".subckt ");
    if (sub && contains_ci(t, "redefinition")) {
        snprintf(stmt, len, "%.*s", (int)strcspn(sub, ","), sub);
        return;
    }
    const char *model = strstr(t, " of model ");
    if (model) {
        model += 10;
        snprintf(stmt, len, ".model %.*s", (int)strcspn(model, " "), model);
        return;
    }
    if (!strncasecmp(t, "warning:", 8) || !strncasecmp(t, "note:", 5))
        t = strchr(t, ':') + 1;
    while (*t == ' ')
        t++;
    const char *colon = strchr(t, ':');
    if (colon && colon > t && !memchr(t, ' ', (size_t)(colon - t)))
        snprintf(stmt, len, "%.*s", (int)(colon - t), t);
}

/* Line k (0-based) of the captured output after line, into buf; 0 if none. */
static int line_after(const char *line, int k, char *buf, size_t len)
{
    for (int i = 0; i <= k; i++) {
        const char *nl = strchr(line, '\n');
        if (!nl || !nl[1])
            return 0;
        line = nl + 1;
    }
    size_t n = strcspn(line, "\n");
    snprintf(buf, len, "%.*s", (int)(n < len ? n : len - 1), line);
    return 1;
}

/* If the output says the circuit is not the deck's, write a message quoting
 * it and return AS_EINPUT: a typo must never become a result. err_stmt gets
 * the statement (or name) it is about, for the caller to find in the
 * user's files. */
static enum as_status check_changed(struct ngs *s, const char *what, char *err, size_t errlen)
{
    for (const char *line = s->out ? s->out : ""; *line;) {
        char buf[512], next[512] = "", reason[512] = "";
        size_t n = strcspn(line, "\n");
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), line);
        if (!is_changed_line(buf)) {
            line += n + (line[n] == '\n');
            continue;
        }
        const char *why = "";
        if (quotes_next(buf) && line_after(line, 0, next, sizeof next)) {
            /* "Warning: Model issue on line N :" / the statement / the reason */
            snprintf(s->err_stmt, sizeof s->err_stmt, "%.255s", next + 7);
            if (line_after(line, 1, reason, sizeof reason) && !is_changed_line(reason) &&
                strncmp(reason, buf, 7) == 0)
                why = reason + 7;
        } else {
            changed_name(buf + 7, s->err_stmt, sizeof s->err_stmt);
        }
        return as_fail(err, errlen, AS_EINPUT,
                       "%s: ngspice changed the circuit during %s: '%s%s%s'; refused, as what "
                       "ngspice defaults, clamps or ignores would be measured as the netlist's "
                       "(docs/security.md)",
                       s->label, what, buf + 7, *why ? " " : "", why);
    }
    return AS_OK;
}

/* If the captured output reports an error, write a message quoting up to
 * four stderr lines from the first error on, and return AS_ESIM. ngspice's
 * "Error on line N or its substitute:" counts lines of the composed deck,
 * which mean nothing to the user: the statement it quotes next is kept in
 * err_stmt instead, for the caller to locate in the user's file. */
static enum as_status check_output(struct ngs *s, const char *what, char *err, size_t errlen)
{
    s->err_stmt[0] = '\0';
    if (s->dead)
        return as_fail(err, errlen, AS_EDEAD,
                       "%s: ngspice cannot recover (ControlledExit) during %s; the simulator is "
                       "unusable in this process",
                       s->label, what);
    char quote[600] = "";
    int quoted = 0, want_stmt = 0;
    for (const char *line = s->out ? s->out : ""; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        char buf[512];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), line);
        line = nl ? nl + 1 : line + n;
        int is_stderr = strncmp(buf, "stderr ", 7) == 0;
        if (quoted == 0 && !want_stmt ? !is_error_line(buf) : !is_stderr) {
            if (quoted)
                break;
            continue;
        }
        const char *text = buf + 7;
        if (strncasecmp(text, "error on line", 13) == 0) {
            want_stmt = 1;
            continue;
        }
        if (want_stmt) {
            want_stmt = 0;
            snprintf(s->err_stmt, sizeof s->err_stmt, "%.255s", text);
        }
        size_t used = strlen(quote);
        snprintf(quote + used, sizeof quote - used, "%s%s", quoted ? " / " : "", text);
        if (++quoted == 4)
            break;
    }
    if (quoted)
        return as_fail(err, errlen, AS_ESIM, "%s: ngspice failed during %s: %s", s->label, what,
                       quote);
    if (s->late_err[0])
        return as_fail(err, errlen, AS_ESIM, "%s: ngspice failed during %s: %s", s->label, what,
                       s->late_err + 7);
    return check_changed(s, what, err, errlen);
}

/* ngSpice_Command takes a non-const char *: a copy, whole whatever its
 * length (1 when there is no memory for it, as for a failed command). */
static int command(const char *cmd)
{
    char small[1024], *buf = strlen(cmd) < sizeof small ? small : strdup(cmd);
    if (!buf)
        return 1;
    if (buf == small)
        memcpy(small, cmd, strlen(cmd) + 1);
    int rc = ngSpice_Command(buf);
    if (buf != small)
        free(buf);
    return rc;
}

enum as_status ngs_open(struct ngs **out, char *err, size_t errlen)
{
    *out = NULL;
    if (process_dead)
        return as_fail(err, errlen, AS_EDEAD,
                       "ngspice hit ControlledExit earlier in this process and cannot restart");
    if (session_open)
        return as_fail(err, errlen, AS_EDEAD,
                       "a libngspice session is already open in this "
                       "process (libngspice is one simulator per process)");
    struct ngs *s = &the_session;
    memset(s, 0, sizeof *s);
    snprintf(s->label, sizeof s->label, "ngspice");
    if (!library_inited) {
        library_inited = 1;
        int rc = ngSpice_Init(cb_char, cb_stat, cb_exit, NULL, NULL, NULL, s);
        if (rc != 0 || s->dead)
            return as_fail(err, errlen, AS_EDEAD, "ngSpice_Init failed (%d)", rc);
    }
    session_open = 1;
    *out = s;
    return AS_OK;
}

void ngs_clear(struct ngs *s)
{
    if (!s)
        return;
    free(s->save_cmd);
    s->save_cmd = NULL;
    if (s->dead)
        return;
    /* all print harmless notes when there is nothing to drop */
    command("delete all");
    command("destroy all");
    command("remcirc");
    out_reset(s);
}

enum as_status ngs_load(struct ngs *s, const struct strv *deck, const char *label, char *err,
                        size_t errlen)
{
    if (s->dead)
        return check_output(s, "load", err, errlen);
    ngs_clear(s);
    snprintf(s->label, sizeof s->label, "%s", label ? label : "deck");
    if (deck->len < 2)
        return as_fail(err, errlen, AS_EINPUT, "%s: empty deck", s->label);
    int rc = ngSpice_Circ(deck->items);
    enum as_status st = check_output(s, "circuit load", err, errlen);
    if (st == AS_OK && rc != 0)
        st = as_fail(err, errlen, AS_ESIM, "%s: ngspice refused the circuit (code %d)", s->label,
                     rc);
    return st;
}

enum as_status ngs_compat(struct ngs *s, const char *mode, char *err, size_t errlen)
{
    if (!mode || !*mode) {
        if (!s->dead)
            command("unset ngbehavior");
        return AS_OK;
    }
    size_t n = strlen(mode);
    if (n > 8 || strspn(mode, "abcdefghijklmnopqrstuvwxyz") != n)
        return as_fail(err, errlen, AS_EINPUT, "%s: '%s' is not an ngspice compatibility mode",
                       s->label, mode);
    char cmd[32];
    snprintf(cmd, sizeof cmd, "set ngbehavior=%s", mode);
    return ngs_command(s, cmd, err, errlen);
}

static enum as_status sanity_scan(struct ngs *s, char *err, size_t errlen)
{
    char *plot = ngSpice_CurPlot();
    char **vecs = plot ? ngSpice_AllVecs(plot) : NULL;
    for (size_t i = 0; vecs && vecs[i]; i++) {
        char qual[512];
        snprintf(qual, sizeof qual, "%s.%s", plot, vecs[i]);
        pvector_info v = ngGet_Vec_Info(qual);
        if (!v)
            continue;
        for (int k = 0; k < v->v_length; k++) {
            double re = v->v_realdata ? v->v_realdata[k] : v->v_compdata[k].cx_real;
            double im = v->v_realdata ? 0.0 : v->v_compdata[k].cx_imag;
            if (!isfinite(re) || !isfinite(im) || fabs(re) >= NGS_ABSURD || fabs(im) >= NGS_ABSURD)
                return as_fail(err, errlen, AS_ESIM,
                               "%s: ngspice reported success but '%s' holds %g at point %d: "
                               "an absurd value (a division by zero, a floating node or a "
                               "diverging circuit)",
                               s->label, vecs[i], fabs(re) > fabs(im) ? re : im, k);
        }
    }
    return AS_OK;
}

enum as_status ngs_command(struct ngs *s, const char *cmd, char *err, size_t errlen)
{
    if (s->dead)
        return check_output(s, cmd, err, errlen);
    out_reset(s);
    int rc = command(cmd);
    enum as_status st = check_output(s, cmd, err, errlen);
    if (st == AS_OK && rc != 0)
        st = as_fail(err, errlen, AS_ESIM, "%s: ngspice command '%s' failed (code %d)", s->label,
                     cmd, rc);
    return st;
}

/* Characters a vector name may have to go into a command: ngspice's
 * command line substitutes `...`, $var and !history, and parts a line at
 * ';'. Node names come from the netlist. */
#define NGS_SAVE_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:#+-"

enum as_status ngs_save_only(struct ngs *s, const struct strv *vecs, char *err, size_t errlen)
{
    size_t len = sizeof "save";
    for (size_t k = 0; k < vecs->len; k++) {
        const char *v = vecs->items[k];
        if (!*v || strspn(v, NGS_SAVE_NAME_CHARS) != strlen(v)) {
            free(s->save_cmd); /* not a name to put in a command: save everything */
            s->save_cmd = NULL;
            return AS_OK;
        }
        len += strlen(v) + 1;
    }
    char *cmd = malloc(len);
    if (!cmd)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    char *end = cmd + sprintf(cmd, "save");
    for (size_t k = 0; k < vecs->len; k++)
        end += sprintf(end, " %s", vecs->items[k]);
    free(s->save_cmd);
    s->save_cmd = cmd;
    return AS_OK;
}

/* Before an analysis: drop the plots and every breakpoint, trace and save
 * entry (a halted transient's stop: "time" is no node in an op), then save
 * again what ngs_save_only asked for. */
static enum as_status fresh_analysis(struct ngs *s, char *err, size_t errlen)
{
    command("destroy all");
    command("delete all");
    return s->save_cmd ? ngs_command(s, s->save_cmd, err, errlen) : AS_OK;
}

enum as_status ngs_run(struct ngs *s, const char *analysis, char *err, size_t errlen)
{
    enum as_status st = s->dead ? AS_OK : fresh_analysis(s, err, errlen);
    if (st == AS_OK)
        st = ngs_command(s, analysis, err, errlen);
    if (st != AS_OK)
        return st;
    char *plot = ngSpice_CurPlot();
    if (!plot || strcmp(plot, "const") == 0)
        return as_fail(err, errlen, AS_ESIM, "%s: '%s' produced no results", s->label, analysis);
    return sanity_scan(s, err, errlen);
}

enum as_status ngs_tran_until(struct ngs *s, const char *analysis, const double *bkpt_s,
                              size_t n_bkpt, double t_halt_s, char *err, size_t errlen)
{
    if (s->dead)
        return check_output(s, "transient", err, errlen);
    char stop[64];
    snprintf(stop, sizeof stop, "stop when time > %.17g", t_halt_s);
    enum as_status st = AS_OK;
    if (analysis)
        st = fresh_analysis(s, err, errlen);
    else
        command("delete all"); /* the halt of the run before */
    if (st == AS_OK)
        st = ngs_command(s, stop, err, errlen);
    for (size_t k = 0; k < n_bkpt && st == AS_OK; k++)
        if (!ngSpice_SetBkpt(bkpt_s[k]))
            st = as_fail(err, errlen, AS_ESIM, "%s: ngspice refused a breakpoint at %g s", s->label,
                         bkpt_s[k]);
    const char *what = analysis ? analysis : "resume";
    if (st == AS_OK)
        st = ngs_command(s, what, err, errlen);
    char *plot = st == AS_OK ? ngSpice_CurPlot() : NULL;
    if (st == AS_OK && (!plot || strcmp(plot, "const") == 0))
        st = as_fail(err, errlen, AS_ESIM, "%s: '%s' produced no results", s->label, what);
    if (st == AS_OK)
        st = sanity_scan(s, err, errlen);
    pvector_info t = st == AS_OK ? ngGet_Vec_Info("time") : NULL;
    if (st == AS_OK && (!t || t->v_length < 1 || !t->v_realdata))
        st = as_fail(err, errlen, AS_ESIM, "%s: '%s' made no time vector", s->label, what);
    /* on it or just after: ngspice parses the stop time in its own way */
    if (st == AS_OK && !(t->v_realdata[t->v_length - 1] >= t_halt_s * (1 - 1e-12)))
        st = as_fail(err, errlen, AS_ESIM, "%s: '%s' ended at %g s, before the halt at %g s",
                     s->label, what, t->v_realdata[t->v_length - 1], t_halt_s);
    return st;
}

enum as_status ngs_nodeset(struct ngs *s, struct strv *out, char *err, size_t errlen)
{
    if (s->dead)
        return check_output(s, "nodeset", err, errlen);
    char *plot = ngSpice_CurPlot();
    char **vecs = plot ? ngSpice_AllVecs(plot) : NULL;
    enum as_status st = AS_OK;
    for (size_t i = 0; vecs && vecs[i] && st == AS_OK; i++) {
        char qual[512];
        snprintf(qual, sizeof qual, "%s.%s", plot, vecs[i]);
        pvector_info v = ngGet_Vec_Info(qual);
        /* node voltages only: branch currents and device nodes carry '#' */
        if (!v || v->v_type != 3 /* SV_VOLTAGE */ || v->v_length != 1 || !v->v_realdata ||
            strchr(vecs[i], '#') || !isfinite(v->v_realdata[0]))
            continue;
        if (strv_pushf(out, ".nodeset v(%s)=%.17g", vecs[i], v->v_realdata[0]) != AS_OK)
            st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    }
    return st;
}

static enum as_status get_vec(struct ngs *s, const char *name, pvector_info *v, char *err,
                              size_t errlen)
{
    if (s->dead)
        return check_output(s, "vector read", err, errlen);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", name);
    *v = ngGet_Vec_Info(buf);
    if (!*v || (*v)->v_length <= 0 || (!(*v)->v_realdata && !(*v)->v_compdata))
        return as_fail(err, errlen, AS_ESIM, "%s: ngspice has no vector '%s'", s->label, name);
    return AS_OK;
}

enum as_status ngs_vec_real_from(struct ngs *s, const char *name, size_t from, double **out,
                                 size_t *n, char *err, size_t errlen)
{
    pvector_info v;
    enum as_status st = get_vec(s, name, &v, err, errlen);
    if (st != AS_OK)
        return st;
    /* copy at once: v is libngspice's static struct, overwritten by the next call */
    size_t all = (size_t)v->v_length;
    if (from >= all)
        return as_fail(err, errlen, AS_ESIM, "%s: vector '%s' has %zu points, none from %zu",
                       s->label, name, all, from);
    size_t len = all - from;
    double *d = malloc(len * sizeof *d);
    if (!d)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory reading '%s'", name);
    for (size_t i = 0; i < len; i++)
        d[i] = v->v_realdata ? v->v_realdata[from + i] : v->v_compdata[from + i].cx_real;
    *out = d;
    *n = len;
    return AS_OK;
}

enum as_status ngs_vec_real(struct ngs *s, const char *name, double **out, size_t *n, char *err,
                            size_t errlen)
{
    return ngs_vec_real_from(s, name, 0, out, n, err, errlen);
}

/* re + i im exactly, also for infinities and NaN (re + im * I is not). A
 * complex is laid out as an array of its two parts (C11 6.2.5); CMPLX would
 * say the same, but glibc defines it for GCC only, not for clang 14. */
static double complex complex_of(double re, double im)
{
    double complex z;
    double *part = (double *)&z;
    part[0] = re;
    part[1] = im;
    return z;
}

enum as_status ngs_vec_complex(struct ngs *s, const char *name, double complex **out, size_t *n,
                               char *err, size_t errlen)
{
    pvector_info v;
    enum as_status st = get_vec(s, name, &v, err, errlen);
    if (st != AS_OK)
        return st;
    size_t len = (size_t)v->v_length;
    double complex *d = malloc(len * sizeof *d);
    if (!d)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory reading '%s'", name);
    for (size_t i = 0; i < len; i++)
        d[i] = v->v_compdata ? complex_of(v->v_compdata[i].cx_real, v->v_compdata[i].cx_imag)
                             : complex_of(v->v_realdata[i], 0.0);
    *out = d;
    *n = len;
    return AS_OK;
}

const char *ngs_error_statement(const struct ngs *s)
{
    return s->err_stmt;
}

const char *ngs_output(const struct ngs *s)
{
    return s->out ? s->out : "";
}

int ngs_dead(const struct ngs *s)
{
    return s->dead || process_dead;
}

void ngs_free(struct ngs *s)
{
    if (!s)
        return;
    ngs_clear(s);
    free(s->out);
    memset(s, 0, sizeof *s);
    s->dead = process_dead;
    session_open = 0;
}
