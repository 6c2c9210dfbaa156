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
    if (st == AS_OK)
        st = strv_push(out, DECK_VIN " in 0 dc 0 ac 1 sin(0 0 1000)");
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

void deck_blame(const struct netlist *amp, const struct load_spec *load, const char *stmt,
                char *err, size_t errlen)
{
    char name[128];
    if (!stmt || sscanf(stmt, "%127s", name) != 1)
        return;
    const struct spfile *files[2] = {amp->file, load->file ? load->file->file : NULL};
    for (int i = 0; i < 2; i++) {
        const struct spfile_elem *e = files[i] ? spfile_find_elem(files[i], name) : NULL;
        if (!e)
            continue;
        size_t plen = strlen(files[i]->path);
        char *copy = strdup(err);
        if (copy) {
            /* "PATH: msg" becomes "PATH:LINE: msg" */
            const char *msg = copy;
            if (strncmp(msg, files[i]->path, plen) == 0 && strncmp(msg + plen, ": ", 2) == 0)
                msg += plen + 2;
            snprintf(err, errlen, "%s:%d: %s", files[i]->path, e->line, msg);
            free(copy);
        }
        return;
    }
}
