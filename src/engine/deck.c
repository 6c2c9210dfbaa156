/* deck: the harness's half of every circuit. Kept apart so that the parts the
 * harness adds (and their names) are defined once, next to each other. */
#include "engine/deck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* "xas_NAME NODE 0 SUB", or for scale k != 1 the same behind an ideal
 * transformer (V1 = n V2, I2 = n I1, n = sqrt(k): Z1 = k Z2, power kept):
 * a 0 V source senses I1, an E source sets V1, an F source feeds n I1. */
static enum as_status subckt_load(struct strv *out, const char *name, const char *tag,
                                  const char *node, const char *sub, double k)
{
    if (k == 1.0)
        return strv_pushf(out, "xas_%s %s 0 %s", name, node, sub);
    double n = sqrt(k);
    enum as_status st = strv_pushf(out, "vas_%ss %s as_%s1 dc 0", tag, node, tag);
    if (st == AS_OK)
        st = strv_pushf(out, "eas_%ss as_%s1 0 as_%s2 0 %.17g", tag, tag, tag, n);
    if (st == AS_OK)
        st = strv_pushf(out, "fas_%ss 0 as_%s2 vas_%ss %.17g", tag, tag, tag, n);
    if (st == AS_OK)
        st = strv_pushf(out, "xas_%s as_%s2 0 %s", name, tag, sub);
    return st;
}

int deck_is_ground(const char *node)
{
    return strcmp(node, "0") == 0 || strcasecmp(node, "gnd") == 0;
}

/* ".probe i(a) i(b) ..." for the large-signal runs. */
static enum as_status add_probes(const struct netlist *amp, struct strv *out)
{
    enum as_status st = AS_OK;
    for (size_t i = 0; i < amp->n_devices && st == AS_OK; i++)
        st = strv_pushf(out, ".probe i(%s)", amp->devices[i].name);
    return st;
}

/* DECK_LARGE's input (deck.h): the envelope times the cosine, in series
 * with DECK_VIN for the small-signal gain. */
static enum as_status add_signal(struct strv *out)
{
    enum as_status st = strv_push(out, DECK_VIN " in as_sg dc 0 ac 1");
    if (st == AS_OK)
        st = strv_push(out, "bas_sg as_sg 0 v = v(as_env) * v(as_osc)");
    if (st == AS_OK)
        st = strv_push(out, DECK_VOSC " as_osc 0 dc 0 sin(0 1 1000 0 0 90)");
    if (st == AS_OK)
        st = strv_push(out, DECK_VENV " as_env 0 dc 0 pwl(0 0 1 0)");
    return st;
}

enum as_status deck_compose(const struct netlist *amp, const struct load_spec *load,
                            enum deck_mode mode, struct strv *out)
{
    enum as_status st;
    if (!load->file)
        st = strv_pushf(out, "ampsweep: %s into %.6g ohm", amp->name, load->nominal_ohm);
    else
        st = strv_pushf(out, "ampsweep: %s into %s", amp->name, load->file->name);
    if (st == AS_OK)
        st = strv_pushf(out, "* amp netlist %s", amp->file->path);
    if (st == AS_OK)
        st = strv_extend(out, &amp->file->body);
    if (st == AS_OK && load->file) {
        st = strv_pushf(out, "* load file %s", load->file->file->path);
        if (st == AS_OK)
            st = strv_extend(out, &load->file->file->body);
    }
    if (st == AS_OK)
        st = strv_push(out, "* added by ampsweep");
    if (st == AS_OK && mode == DECK_SMALL)
        st = strv_push(out, DECK_VIN " in 0 dc 0 ac 1 sin(0 0 1000)");
    if (st == AS_OK && mode == DECK_LARGE)
        st = add_signal(out);
    if (st == AS_OK)
        st = strv_push(out, DECK_IPROBE " 0 out dc 0 ac 0");
    if (st == AS_OK)
        st = strv_push(out, DECK_ISENSE " out " DECK_LNODE " dc 0");
    if (st != AS_OK)
        return st;
    if (!load->file) {
        st = strv_pushf(out, DECK_RLOAD " " DECK_LNODE " 0 %.17g", load->nominal_ohm);
    } else {
        const char *sub = load->file->subckt;
        double k = load->scale > 0 ? load->scale : 1.0;
        st = subckt_load(out, "load", "l", DECK_LNODE, sub, k);
        if (st == AS_OK)
            st = subckt_load(out, "zl", "z", DECK_ZNODE, sub, k);
        if (st == AS_OK)
            st = strv_push(out, "ias_zt 0 " DECK_ZNODE " dc 0 ac 1");
        if (st == AS_OK)
            st = strv_pushf(out, "ras_zt " DECK_ZNODE " 0 %.17g", DECK_OPEN_OHM);
    }
    if (st == AS_OK && mode == DECK_LARGE)
        st = add_probes(amp, out);
    /* Trapezoidal integration rings at a pole far stiffer than the time
     * step (an op-amp model's inner poles, at T/200 a step) after each
     * change of level, and the ringing reads as faint THD: o2_class into 4
     * ohm at 20 Hz, 0.0703 V in, stepped to from its clipping level, reads
     * 1.7e-4 % undamped and 2.5e-6 % damped, where ngspice's fourier of a
     * run from rest at 1600 points a period reads 2.53e-6 %. xmu below 0.5
     * damps it (each step multiplies the ringing by xmu / (1 - xmu), 0.98
     * here); it moves the slow start-up terms tests/test_tran.c checks by
     * at most 0.18 % of themselves, where gear integration moves them 0.25
     * % and xmu = 0.49 0.37 %. The last .options wins: a netlist's own do
     * not undo this. */
    if (st == AS_OK && mode == DECK_LARGE)
        st = strv_push(out, ".options xmu=0.495");
    if (st == AS_OK)
        st = strv_push(out, ".end");
    return st;
}

/* Where stmt (a statement ngspice quoted, or just its name) was written in
 * f, or NULL: an instance or a dot statement (".model dx"), also in the
 * files f includes; a subcircuit call as ngspice names it ("xx1" for x1). */
static const struct spfile_origin *find_statement(const struct spfile *f, const char *stmt)
{
    char w1[128] = "", w2[128] = "";
    if (!f || sscanf(stmt, "%127s %127s", w1, w2) < 1)
        return NULL;
    const struct spfile_origin *o = spfile_origin_of(f, w1, w1[0] == '.' ? w2 : NULL);
    if (!o && (w1[0] == 'x' || w1[0] == 'X') && (w1[1] == 'x' || w1[1] == 'X'))
        o = spfile_origin_of(f, w1 + 1, NULL);
    return o;
}

void deck_blame(const struct netlist *amp, const struct load_spec *load, const char *stmt,
                char *err, size_t errlen)
{
    if (!stmt || !*stmt)
        return;
    const struct spfile_origin *o = find_statement(amp->file, stmt);
    const char *label = amp->file->path;
    if (!o && load && load->file)
        o = find_statement(load->file->file, stmt);
    if (!o)
        return;
    size_t plen = strlen(label);
    /* "LABEL: msg" becomes "PATH:LINE: msg"; a message blamed already stays */
    if (strncmp(err, label, plen) != 0 || strncmp(err + plen, ": ", 2) != 0)
        return;
    char *msg = strdup(err + plen + 2);
    if (msg)
        snprintf(err, errlen, "%s:%d: %s", o->path, o->line, msg);
    free(msg);
}

enum as_status deck_load_into(struct ngs *s, const struct netlist *amp,
                              const struct load_spec *load, enum deck_mode mode, char *err,
                              size_t errlen)
{
    struct strv deck = {0};
    enum as_status st = deck_compose(amp, load, mode, &deck);
    if (st != AS_OK)
        st = as_fail(err, errlen, st, "%s: out of memory", amp->file->path);
    if (st == AS_OK)
        st = ngs_compat(s, amp->compat, err, errlen);
    if (st == AS_OK)
        st = ngs_load(s, &deck, amp->file->path, err, errlen);
    if (st != AS_OK)
        deck_blame(amp, load, ngs_error_statement(s), err, errlen);
    strv_free(&deck);
    return st;
}

/* The open circuit again, with the operating point of the loaded one as
 * .nodeset lines; its own operating point solved. */
static enum as_status reload_from_loaded(struct ngs *s, const struct netlist *amp,
                                         enum deck_mode mode, char *err, size_t errlen)
{
    struct load_spec open = {.nominal_ohm = DECK_OPEN_OHM};
    struct strv deck = {0}, nodeset = {0};
    char cmd[64];
    snprintf(cmd, sizeof cmd, "alter " DECK_RLOAD " = %.17g", DECK_NODESET_OHM);
    enum as_status st = ngs_command(s, cmd, err, errlen);
    if (st == AS_OK)
        st = ngs_run(s, "op", err, errlen);
    if (st == AS_OK)
        st = ngs_nodeset(s, &nodeset, err, errlen);
    if (st == AS_OK && deck_compose(amp, &open, mode, &deck) != AS_OK)
        st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", amp->file->path);
    if (st == AS_OK) {
        strv_truncate(&deck, deck.len - 1); /* ".end" after the nodesets */
        if (strv_extend(&deck, &nodeset) != AS_OK || strv_push(&deck, ".end") != AS_OK)
            st = as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", amp->file->path);
    }
    if (st == AS_OK)
        st = ngs_load(s, &deck, amp->file->path, err, errlen);
    if (st == AS_OK)
        st = ngs_run(s, "op", err, errlen);
    strv_free(&deck);
    strv_free(&nodeset);
    return st;
}

enum as_status deck_load_open(struct ngs *s, const struct netlist *amp, enum deck_mode mode,
                              const char *what, char *err, size_t errlen)
{
    struct load_spec open = {.nominal_ohm = DECK_OPEN_OHM};
    enum as_status st = deck_load_into(s, amp, &open, mode, err, errlen);
    if (st != AS_OK)
        return st;
    char first[1024];
    st = ngs_run(s, "op", first, sizeof first);
    if (st != AS_ESIM)
        return st == AS_OK ? AS_OK : as_fail(err, errlen, st, "%s", first);
    char second[1024];
    st = ngs_compat(s, amp->compat, second, sizeof second);
    if (st == AS_OK)
        st = reload_from_loaded(s, amp, mode, second, sizeof second);
    size_t plen = strlen(amp->file->path);
    const char *why =
        strncmp(second, amp->file->path, plen) == 0 && !strncmp(second + plen, ": ", 2)
            ? second + plen + 2
            : second;
    if (st == AS_ESIM)
        st = as_fail(err, errlen, AS_ESIM,
                     "%s; this was %s, with the output open (%g ohm), and starting from the "
                     "operating point with %g ohm on the output did not help either (%s). Try: a "
                     "DC path at the output (a resistor to ground behind a coupling capacitor), "
                     "'.options gmin=1e-10' or 'itl1=500' in the netlist, or '.nodeset' lines of "
                     "your own",
                     first, what, DECK_OPEN_OHM, DECK_NODESET_OHM, why);
    else if (st != AS_OK)
        st = as_fail(err, errlen, st, "%s", second);
    return st;
}

void deck_power_free(struct deck_power *p)
{
    if (!p)
        return;
    for (size_t k = 0; k < p->n_terms; k++) {
        free(p->terms[k].node);
        free(p->terms[k].ivec);
    }
    free(p->terms);
    memset(p, 0, sizeof *p);
}

/* Add a term; one on ground carries no power and is left out. */
static enum as_status add_term(struct deck_power *p, size_t part, const char *node,
                               const char *ivec, double sign)
{
    if (deck_is_ground(node))
        return AS_OK;
    struct deck_power_term *g = realloc(p->terms, (p->n_terms + 1) * sizeof *g);
    if (!g)
        return AS_ENOMEM;
    p->terms = g;
    struct deck_power_term *t = &p->terms[p->n_terms++];
    t->node = strdup(node);
    t->ivec = strdup(ivec);
    t->sign = sign;
    t->part = part;
    return t->node && t->ivec ? AS_OK : AS_ENOMEM;
}

/* The next top-level statement of ngspice's listing ("stdout    12 : r1
 * a b 100") from *at on, or NULL at its end; subcircuit bodies are
 * skipped. */
static const char *next_stmt(const char **at, int *depth)
{
    while (**at) {
        const char *line = *at;
        *at += strcspn(line, "\n");
        *at += **at == '\n';
        if (strncmp(line, "stdout ", 7) != 0)
            continue;
        line += 7 + strspn(line + 7, " ");
        size_t digits = strspn(line, "0123456789");
        if (!digits || strncmp(line + digits, " : ", 3) != 0)
            continue;
        line += digits + 3;
        if (strncasecmp(line, ".subckt", 7) == 0)
            ++*depth;
        else if (strncasecmp(line, ".ends", 5) == 0 && *depth > 0)
            --*depth;
        else if (*depth == 0)
            return line;
    }
    return NULL;
}

/* The terms of device dev (part) from the probe sources ngspice added for
 * it: on each terminal of a device with more than two, "vcurr_DEV:
 * probe_int_TERM:K_NODE OUTER INNER 0", whose current (vector
 * "DEV:probe_int_TERM#branch") flows into the terminal; on the second node
 * of a two-terminal one only, "vcurr_DEV:TERM_NODE INNER OUTER 0", whose
 * current (vector "DEV#branch") flows into the first node (the instance's
 * own first node) and out of the second. AS_EINPUT: no probe found. */
static enum as_status device_terms(const char *listing, const char *dev, size_t part,
                                   struct deck_power *p)
{
    char prefix[160], node1[128] = "", name[256], a[128], b[128], ivec[300];
    size_t dlen = strlen(dev), n0 = p->n_terms;
    int plen = snprintf(prefix, sizeof prefix, "vcurr_%s:", dev), depth = 0;
    if (plen < 0 || (size_t)plen >= sizeof prefix)
        return AS_EINPUT;
    const char *at = listing, *stmt;
    while (!node1[0] && (stmt = next_stmt(&at, &depth)))
        if (strncasecmp(stmt, dev, dlen) == 0 && stmt[dlen] == ' ')
            sscanf(stmt + dlen, "%127s", node1);
    enum as_status st = AS_OK;
    for (at = listing, depth = 0; st == AS_OK && (stmt = next_stmt(&at, &depth));) {
        if (strncasecmp(stmt, prefix, (size_t)plen) != 0 ||
            sscanf(stmt, "%255s %127s %127s", name, a, b) != 3)
            continue;
        const char *tail = name + plen, *colon = strchr(tail, ':');
        if (strncmp(tail, "probe_int_", 10) == 0 && colon) {
            snprintf(ivec, sizeof ivec, "%s:%.*s#branch", dev, (int)(colon - tail), tail);
            st = add_term(p, part, a, ivec, 1.0);
        } else if (node1[0]) {
            snprintf(ivec, sizeof ivec, "%s#branch", dev);
            st = add_term(p, part, node1, ivec, 1.0);
            if (st == AS_OK)
                st = add_term(p, part, b, ivec, -1.0);
        }
    }
    return st == AS_OK && p->n_terms == n0 ? AS_EINPUT : st; /* none, or all on ground */
}

/* Every vector a run's powers need, once each, after v(out) and the load
 * current. */
static enum as_status save_list(const struct deck_power *p, struct strv *out)
{
    enum as_status st = strv_push(out, "out");
    if (st == AS_OK)
        st = strv_push(out, DECK_ILOAD_VEC);
    for (size_t k = 0; k < p->n_terms && st == AS_OK; k++) {
        const char *names[2] = {p->terms[k].node, p->terms[k].ivec};
        for (int j = 0; j < 2 && st == AS_OK; j++) {
            int seen = 0;
            for (size_t i = 0; i < out->len && !seen; i++)
                seen = strcasecmp(out->items[i], names[j]) == 0;
            if (!seen)
                st = strv_push(out, names[j]);
        }
    }
    return st;
}

enum as_status deck_power_read(struct ngs *s, const struct netlist *amp, struct deck_power *out,
                               char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->n_parts = amp->n_supplies + amp->n_devices;
    enum as_status st = AS_OK;
    for (size_t k = 0; k < amp->n_supplies && st == AS_OK; k++) {
        const struct netlist_supply *sup = &amp->supplies[k];
        char ivec[160];
        snprintf(ivec, sizeof ivec, "%s#branch", sup->name);
        st = add_term(out, k, sup->node_pos, ivec, 1.0);
        if (st == AS_OK)
            st = add_term(out, k, sup->node_neg, ivec, -1.0);
    }
    if (st == AS_OK && amp->n_devices)
        st = ngs_command(s, "listing", err, errlen);
    for (size_t k = 0; k < amp->n_devices && st == AS_OK; k++) {
        st = device_terms(ngs_output(s), amp->devices[k].name, amp->n_supplies + k, out);
        if (st == AS_EINPUT)
            st = as_fail(err, errlen, AS_ESIM,
                         "%s: ngspice's listing shows no current probe on device '%s'",
                         amp->file->path, amp->devices[k].name);
    }
    struct strv saves = {0};
    if (st == AS_OK && (st = save_list(out, &saves)) == AS_OK)
        st = ngs_save_only(s, &saves, err, errlen);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", amp->file->path);
    strv_free(&saves);
    if (st != AS_OK)
        deck_power_free(out);
    return st;
}
