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

/* ".probe p(a) p(b) ..." and ".save ..." for the large-signal runs. */
static enum as_status add_probes(const struct netlist *amp, struct strv *out)
{
    enum as_status st = strv_push(out, ".save v(in) v(out) " DECK_ILOAD_VEC);
    for (size_t i = 0; i < amp->n_supplies && st == AS_OK; i++) {
        const struct netlist_supply *sup = &amp->supplies[i];
        st = strv_pushf(out, ".probe p(%s)", sup->name);
        const char *nodes[2] = {sup->node_pos, sup->node_neg};
        for (int k = 0; k < 2 && st == AS_OK; k++)
            if (!deck_is_ground(nodes[k]))
                st = strv_pushf(out, ".save v(%s)", nodes[k]);
    }
    for (size_t i = 0; i < amp->n_devices && st == AS_OK; i++)
        st = strv_pushf(out, ".probe p(%s)", amp->devices[i].name);
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
