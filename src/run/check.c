/* check: validate netlists and print their operating point. Every netlist
 * is simulated in a worker process (run/pool.c), like the sweep's jobs, so
 * a netlist that hangs ngspice costs its own check after CHECK_TIMEOUT_S and
 * one that crashes it costs only itself; the parent prints each netlist's
 * report in the order given, as soon as the ones before it are done.
 *
 * A worker's answer: the status (int32), then the report text and the
 * message, each NUL-terminated; a failure's partial report is kept, so the
 * output reads as if the check ran in the parent.
 */
#include "run/check.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deck.h"
#include "engine/fr.h"
#include "engine/ngs.h"
#include "run/pool.h"
#include "spice/netlist.h"

/* Voltage of node in the current op plot; ground is 0. */
static enum as_status node_v(struct ngs *s, const char *node, double *v, char *err, size_t errlen)
{
    if (deck_is_ground(node)) {
        *v = 0.0;
        return AS_OK;
    }
    double *d = NULL;
    size_t n = 0;
    enum as_status st = ngs_vec_real(s, node, &d, &n, err, errlen);
    if (st == AS_OK)
        *v = d[0];
    free(d);
    return st;
}

/* The supplies' lines and their total power. */
static enum as_status print_supplies(struct ngs *s, const struct netlist *amp, FILE *out, char *err,
                                     size_t errlen)
{
    enum as_status st = AS_OK;
    double p_total_w = 0.0;
    for (size_t i = 0; i < amp->n_supplies && st == AS_OK; i++) {
        const struct netlist_supply *sup = &amp->supplies[i];
        char branch[160];
        double vp = 0, vn = 0, *ib = NULL;
        size_t n = 0;
        snprintf(branch, sizeof branch, "%s#branch", sup->name);
        st = node_v(s, sup->node_pos, &vp, err, errlen);
        if (st == AS_OK)
            st = node_v(s, sup->node_neg, &vn, err, errlen);
        if (st == AS_OK)
            st = ngs_vec_real(s, branch, &ib, &n, err, errlen);
        if (st == AS_OK) {
            /* SPICE current flows into the + node through the source: a
             * source that delivers power carries negative current */
            double p_w = -(vp - vn) * ib[0];
            p_total_w += p_w;
            fprintf(out,
                    "  supply %-10s %+8.3f V, %+10.4f mA out of its + pin, %8.4f W delivered\n",
                    sup->name, vp - vn, -ib[0] * 1e3, p_w);
        }
        free(ib);
    }
    if (st != AS_OK)
        return st;
    if (amp->n_supplies == 0)
        fprintf(out, "  no '*@ supply' listed: supply power and dissipation cannot be measured\n");
    else
        fprintf(out, "  quiescent power from the supplies: %.4f W\n", p_total_w);
    return AS_OK;
}

static enum as_status check_one(struct ngs *s, const char *path, const struct spfile_places *places,
                                FILE *out, char *err, size_t errlen)
{
    struct netlist *amp = NULL;
    struct fr_open open = {0};
    double f1k = CHECK_ZOUT_FREQ_HZ;
    struct range one = {.values = &f1k, .count = 1};
    enum as_status st = netlist_read(path, places, &amp, err, errlen);
    /* loads the open-output circuit, which the operating point then uses */
    if (st == AS_OK)
        st = fr_measure_open(s, amp, &one, &open, err, errlen);
    if (st == AS_OK && (st = ngs_run(s, "op", err, errlen)) != AS_OK)
        deck_blame(amp, NULL, ngs_error_statement(s), err, errlen);
    if (st == AS_OK) {
        fprintf(out, "%s: %s (%s amp), modelled on: %s\n", path, amp->name,
                netlist_kind_name(amp->kind), amp->source);
        if (amp->source_missing)
            fprintf(out, "  note: no '*@ source = ...' line; say what real design or class it "
                         "is modelled on\n");
        st = print_supplies(s, amp, out, err, errlen);
    }
    double v_out = 0;
    if (st == AS_OK)
        st = node_v(s, "out", &v_out, err, errlen);
    if (st == AS_OK)
        fprintf(out, "  output DC offset: %+.4f mV\n", v_out * 1e3);
    if (st == AS_OK)
        fprintf(out, "  open-output gain at %g Hz: %.3f dB; |Zout|: %.4g ohm\n", open.freq_hz[0],
                open.gain_db[0], open.zout_ohm[0]);
    fr_open_free(&open);
    netlist_free(amp);
    return st;
}

/* One netlist's outcome, kept until its turn to be printed. */
struct outcome {
    int ready;
    enum as_status st;
    char *text; /* the report (owned; NULL for none) */
    char msg[2048];
};

struct check {
    const struct strv *netlists;
    const struct spfile_places *places;
    struct ngs *s; /* in a worker: its simulator, opened at its first netlist */
    FILE *out, *diag;
    struct outcome *res; /* per netlist */
    size_t next;         /* the first not printed yet */
    size_t n_bad;
    enum as_status worst;
};

/* In a worker: check netlist job; its report and outcome into out. Only a
 * lost simulator is the job's failure (the pool then retries it). */
static enum as_status check_work(void *ctx, size_t job, struct pool_buf *out, char *err,
                                 size_t errlen)
{
    struct check *C = ctx;
    char *text = NULL;
    size_t len = 0;
    err[0] = '\0';
    enum as_status st = C->s ? AS_OK : ngs_open(&C->s, err, errlen);
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    if (st == AS_OK)
        st = check_one(C->s, C->netlists->items[job], C->places, mem, err, errlen);
    if (mem)
        fclose(mem);
    int32_t st32 = st;
    enum as_status put = pool_buf_add(out, &st32, sizeof st32);
    if (put == AS_OK)
        put = pool_buf_add(out, text ? text : "", text ? len + 1 : 1);
    if (put == AS_OK)
        put = pool_buf_add(out, err, strlen(err) + 1);
    free(text);
    if (st == AS_EDEAD)
        return st;
    return put == AS_OK ? AS_OK : as_fail(err, errlen, put, "out of memory");
}

static void check_worker_exit(void *ctx)
{
    struct check *C = ctx;
    ngs_free(C->s);
    C->s = NULL;
}

/* In the parent: read a worker's answer into o (a malformed one is a failure). */
static void take(struct outcome *o, const char *path, enum as_status st, const void *data,
                 size_t len, const char *err)
{
    const char *p = data, *end = p + len, *text = NULL, *msg = err;
    int32_t st32 = st;
    if (st == AS_OK && len >= sizeof st32) {
        memcpy(&st32, p, sizeof st32);
        text = p + sizeof st32;
        const char *nul = memchr(text, '\0', (size_t)(end - text));
        msg = nul ? nul + 1 : NULL;
        if (!msg || msg >= end || !memchr(msg, '\0', (size_t)(end - msg)))
            text = msg = NULL;
    }
    if (st == AS_OK && !text) {
        st32 = AS_ESIM;
        msg = "the worker's answer could not be read";
    }
    o->st = (enum as_status)st32;
    o->text = text && *text ? strdup(text) : NULL;
    msg = msg && *msg ? msg : "the worker gave no reason";
    /* the worker's messages are check_one's, as printed before check used
     * workers; the pool's own (a crash, a timeout) do not name the netlist */
    if (text || !strncmp(msg, path, strlen(path)))
        snprintf(o->msg, sizeof o->msg, "%s", msg);
    else
        snprintf(o->msg, sizeof o->msg, "%s: %s", path, msg);
    o->ready = 1;
}

/* In the parent: keep a netlist's outcome, then print every one now due. */
static void check_done(void *ctx, size_t job, enum as_status st, const void *data, size_t len,
                       const char *err)
{
    struct check *C = ctx;
    assert(job < C->netlists->len && !C->res[job].ready);
    take(&C->res[job], C->netlists->items[job], st, data, len, err);
    for (; C->next < C->netlists->len && C->res[C->next].ready; C->next++) {
        struct outcome *o = &C->res[C->next];
        if (o->text)
            fputs(o->text, C->out);
        if (o->st == AS_OK)
            continue;
        fflush(C->out); /* the report before its error, as a person reads it */
        /* one line per problem: a netlist's are all reported at once */
        for (const char *m = o->msg; *m;) {
            size_t n = strcspn(m, "\n");
            fprintf(C->diag, "ampsweep: error: %.*s\n", (int)n, m);
            m += n + (m[n] == '\n');
        }
        C->n_bad++;
        if (C->worst == AS_OK)
            C->worst = o->st;
    }
}

enum as_status check_run(const struct strv *netlists, const struct spfile_places *places, FILE *out,
                         FILE *diag, char *err, size_t errlen)
{
    struct check C = {.netlists = netlists, .places = places, .out = out, .diag = diag};
    enum as_status st = AS_OK;
    C.res = calloc(netlists->len + 1, sizeof *C.res);
    if (!C.res)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    unsigned cores = pool_cores();
    struct pool_opts po = {.workers = cores < netlists->len ? cores : (unsigned)netlists->len,
                           .recycle = CHECK_RECYCLE,
                           .timeout_s = CHECK_TIMEOUT_S,
                           .work = check_work,
                           .worker_exit = check_worker_exit,
                           .done = check_done,
                           .ctx = &C,
                           .what = "netlists"};
    if (netlists->len)
        st = pool_run(&po, netlists->len, err, errlen);
    assert(st != AS_OK || C.next == netlists->len);
    for (size_t i = 0; i < netlists->len; i++)
        free(C.res[i].text);
    free(C.res);
    if (st != AS_OK)
        return st;
    if (C.worst != AS_OK)
        as_fail(err, errlen, C.worst, "%zu of %zu netlists failed the check", C.n_bad,
                netlists->len);
    return C.worst;
}
