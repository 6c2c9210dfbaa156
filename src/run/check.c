/* check: validate netlists and print their operating point. */
#include "run/check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/deck.h"
#include "engine/fr.h"
#include "engine/ngs.h"
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

static enum as_status check_one(struct ngs *s, const char *path, const char *models_dir, FILE *out,
                                char *err, size_t errlen)
{
    struct netlist *amp = NULL;
    struct fr_open open = {0};
    double f1k = CHECK_ZOUT_FREQ_HZ;
    struct range one = {.values = &f1k, .count = 1};
    enum as_status st = netlist_read(path, models_dir, &amp, err, errlen);
    /* loads the open-output circuit, which the operating point then uses */
    if (st == AS_OK)
        st = fr_measure_open(s, amp, &one, &open, err, errlen);
    if (st == AS_OK)
        st = ngs_run(s, "op", err, errlen);
    if (st != AS_OK)
        goto out;
    fprintf(out, "%s: %s (%s amp), modelled on: %s\n", path, amp->name,
            netlist_kind_name(amp->kind), amp->source);
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
        goto out;
    if (amp->n_supplies == 0)
        fprintf(out, "  no '*@ supply' listed: supply power and dissipation cannot be measured\n");
    else
        fprintf(out, "  quiescent power from the supplies: %.4f W\n", p_total_w);
    double v_out = 0;
    st = node_v(s, "out", &v_out, err, errlen);
    if (st == AS_OK)
        fprintf(out, "  output DC offset: %+.4f mV\n", v_out * 1e3);
    if (st == AS_OK)
        fprintf(out, "  open-output gain at %g Hz: %.3f dB; |Zout|: %.4g ohm\n", open.freq_hz[0],
                open.gain_db[0], open.zout_ohm[0]);
out:
    fr_open_free(&open);
    netlist_free(amp);
    return st;
}

enum as_status check_run(const struct strv *netlists, const char *models_dir, FILE *out, FILE *diag,
                         char *err, size_t errlen)
{
    struct ngs *s = NULL;
    enum as_status worst = ngs_open(&s, err, errlen);
    if (worst != AS_OK)
        return worst;
    size_t n_bad = 0;
    for (size_t i = 0; i < netlists->len; i++) {
        char msg[2048];
        enum as_status st = check_one(s, netlists->items[i], models_dir, out, msg, sizeof msg);
        if (st != AS_OK) {
            fprintf(diag, "ampsweep: error: %s\n", msg);
            n_bad++;
            if (worst == AS_OK)
                worst = st;
            if (st == AS_EDEAD) {
                for (size_t j = i + 1; j < netlists->len; j++, n_bad++)
                    fprintf(diag, "ampsweep: error: %s: not checked: the simulator was lost\n",
                            netlists->items[j]);
                break;
            }
        }
    }
    ngs_free(s);
    if (worst != AS_OK)
        as_fail(err, errlen, worst, "%zu of %zu netlists failed the check", n_bad, netlists->len);
    return worst;
}
