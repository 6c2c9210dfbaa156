/* loadfile: read a user's load subcircuit file and its metadata, so a real
 * speaker or headphone impedance can stand where a resistor would. */
#include "spice/loadfile.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static enum as_status parse_positive(const struct spfile_meta *m, const char *path, double *out,
                                     char *err, size_t errlen)
{
    char *end = NULL;
    double v = strtod(m->value, &end);
    if (end == m->value || *end || !isfinite(v) || v <= 0)
        return as_fail(err, errlen, AS_EINPUT, "%s:%d: %s must be a positive number, not '%s'",
                       path, m->line, m->key, m->value);
    *out = v;
    return AS_OK;
}

/* The metadata keys of a load file; the first N_REQUIRED must be given. */
enum load_key {
    KEY_NAME,
    KEY_KIND,
    KEY_NOMINAL_OHM,
    KEY_SOURCE,
    KEY_SUBCKT,
    KEY_SENS_W,
    KEY_SENS_2V83,
    KEY_SENS_MW,
    KEY_SENS_V,
    N_KEYS
};
enum { N_REQUIRED = KEY_SUBCKT }; /* name, kind, nominal_ohm, source */

static const char *const keys[N_KEYS] = {
    [KEY_NAME] = "name",
    [KEY_KIND] = "kind",
    [KEY_NOMINAL_OHM] = "nominal_ohm",
    [KEY_SOURCE] = "source",
    [KEY_SUBCKT] = "subckt",
    [KEY_SENS_W] = "sensitivity_db_spl_w",
    [KEY_SENS_2V83] = "sensitivity_db_spl_2v83",
    [KEY_SENS_MW] = "sensitivity_db_spl_mw",
    [KEY_SENS_V] = "sensitivity_db_spl_v",
};

/* The key of metadata line m, or fail on an unknown one. */
static enum as_status find_key(const struct spfile *f, const struct spfile_meta *m,
                               enum load_key *key, char *err, size_t errlen)
{
    size_t k = 0;
    while (k < N_KEYS && strcmp(m->key, keys[k]) != 0)
        k++;
    if (k == N_KEYS)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: unknown metadata key '%s' (known: name, kind, nominal_ohm, "
                       "source, subckt, sensitivity_db_spl_w, sensitivity_db_spl_2v83, "
                       "sensitivity_db_spl_mw, sensitivity_db_spl_v)",
                       f->path, m->line, m->key);
    *key = (enum load_key)k;
    return AS_OK;
}

/* Take the value of metadata line m, whose key is key, into l. */
static enum as_status take_value(struct loadfile *l, enum load_key key, const struct spfile_meta *m,
                                 char *err, size_t errlen)
{
    const struct spfile *f = l->file;
    enum as_status st = AS_OK;
    switch (key) {
    case KEY_NAME:
        st = netlist_take_name(f, m, l->name, err, errlen);
        break;
    case KEY_KIND:
        if (strcmp(m->value, "speaker") && strcmp(m->value, "headphone"))
            st =
                as_fail(err, errlen, AS_EINPUT, "%s:%d: kind '%s' must be 'speaker' or 'headphone'",
                        f->path, m->line, m->value);
        else
            strcpy(l->kind, m->value);
        break;
    case KEY_NOMINAL_OHM:
        st = parse_positive(m, f->path, &l->nominal_ohm, err, errlen);
        break;
    case KEY_SOURCE:
        if (!(l->source = strdup(m->value)))
            st = AS_ENOMEM;
        break;
    case KEY_SUBCKT:
        if (!(l->subckt = strdup(m->value)))
            st = AS_ENOMEM;
        break;
    case KEY_SENS_W:
        st = parse_positive(m, f->path, &l->sens_db_spl_w, err, errlen);
        break;
    case KEY_SENS_2V83:
        st = parse_positive(m, f->path, &l->sens_db_spl_2v83, err, errlen);
        break;
    case KEY_SENS_MW:
        st = parse_positive(m, f->path, &l->sens_db_spl_mw, err, errlen);
        break;
    case KEY_SENS_V:
        st = parse_positive(m, f->path, &l->sens_db_spl_v, err, errlen);
        break;
    case N_KEYS:
        assert(!"not a key");
        break;
    }
    return st;
}

/* Take every metadata line into l; seen[k] receives the line of key k (0:
 * not given). */
static enum as_status take_meta(struct loadfile *l, int seen[N_KEYS], char *err, size_t errlen)
{
    const struct spfile *f = l->file;
    enum as_status st = AS_OK;
    for (size_t i = 0; i < f->n_meta && st == AS_OK; i++) {
        const struct spfile_meta *m = &f->meta[i];
        enum load_key k = N_KEYS;
        st = find_key(f, m, &k, err, errlen);
        if (st == AS_OK)
            st = spfile_meta_once(f, m, &seen[k], err, errlen);
        if (st == AS_OK)
            st = take_value(l, k, m, err, errlen);
    }
    for (size_t k = 0; st == AS_OK && k < N_REQUIRED; k++)
        if (!seen[k])
            st = as_fail(err, errlen, AS_EINPUT, "%s: metadata '*@ %s = ...' is missing", f->path,
                         keys[k]);
    /* one sensitivity: two could disagree, and which to trust is a guess */
    int first = 0;
    for (size_t k = KEY_SENS_W; st == AS_OK && k <= KEY_SENS_V; k++) {
        if (seen[k] && first)
            st = as_fail(err, errlen, AS_EINPUT,
                         "%s:%d: a second sensitivity ('%s'; line %d gave one already): give "
                         "one, in the unit its data sheet uses",
                         f->path, seen[k], keys[k], first);
        else if (seen[k])
            first = seen[k];
    }
    int speaker = strcmp(l->kind, "speaker") == 0;
    for (size_t k = KEY_SENS_W; st == AS_OK && k <= KEY_SENS_V; k++)
        if (seen[k] && speaker != (k == KEY_SENS_W || k == KEY_SENS_2V83))
            st = as_fail(err, errlen, AS_EINPUT, "%s:%d: '%s' is not a %s's sensitivity (%s)",
                         f->path, seen[k], keys[k], l->kind,
                         speaker ? "sensitivity_db_spl_w or sensitivity_db_spl_2v83"
                                 : "sensitivity_db_spl_mw or sensitivity_db_spl_v");
    return st;
}

/* The load's subcircuit: the one '*@ subckt' names (given on line
 * subckt_line), else the file's only one; it must have 2 ports. */
static enum as_status choose_subckt(const struct loadfile *l, int subckt_line,
                                    const struct spfile_subckt **use, char *err, size_t errlen)
{
    const struct spfile *f = l->file;
    *use = NULL;
    if (l->subckt) {
        for (size_t i = 0; i < f->n_subckts; i++)
            if (strcasecmp(f->subckts[i].name, l->subckt) == 0)
                *use = &f->subckts[i];
        if (!*use)
            return as_fail(err, errlen, AS_EINPUT, "%s:%d: no .subckt named '%s'", f->path,
                           subckt_line, l->subckt);
    } else if (f->n_subckts == 1) {
        *use = &f->subckts[0];
    } else {
        return as_fail(err, errlen, AS_EINPUT,
                       "%s: %zu subcircuits and no '*@ subckt = NAME' to say which is the load",
                       f->path, f->n_subckts);
    }
    if ((*use)->n_ports != 2)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: load subcircuit '%s' has %zu ports; a load has exactly 2", f->path,
                       (*use)->line, (*use)->name, (*use)->n_ports);
    return AS_OK;
}

/* Take the metadata into l, check that only subcircuits and models stand
 * in the file, and name the load's subcircuit in l->subckt. */
static enum as_status interpret(struct loadfile *l, char *err, size_t errlen)
{
    const struct spfile *f = l->file;
    int seen[N_KEYS] = {0};
    const struct spfile_subckt *use = NULL;
    enum as_status st = take_meta(l, seen, err, errlen);
    if (st == AS_OK && f->n_elems)
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s:%d: a load file holds only subcircuits and models; '%s' stands outside "
                     "any .subckt",
                     f->path, f->elems[0].line, f->elems[0].name);
    if (st == AS_OK)
        st = choose_subckt(l, seen[KEY_SUBCKT], &use, err, errlen);
    if (st == AS_OK) {
        free(l->subckt);
        l->subckt = strdup(use->name);
        st = l->subckt ? AS_OK : AS_ENOMEM;
    }
    return st;
}

enum as_status loadfile_read(const char *path, const struct spfile_places *places,
                             struct loadfile **out, char *err, size_t errlen)
{
    *out = NULL;
    struct loadfile *l = calloc(1, sizeof *l);
    if (!l)
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    l->sens_db_spl_w = l->sens_db_spl_2v83 = NAN;
    l->sens_db_spl_mw = l->sens_db_spl_v = NAN;
    enum as_status st = spfile_read(path, 0, places, &l->file, err, errlen);
    if (st == AS_OK)
        st = interpret(l, err, errlen);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", path);
    if (st != AS_OK) {
        loadfile_free(l);
        return st;
    }
    *out = l;
    return AS_OK;
}

void loadfile_free(struct loadfile *l)
{
    if (!l)
        return;
    spfile_free(l->file);
    free(l->source);
    free(l->subckt);
    free(l);
}
