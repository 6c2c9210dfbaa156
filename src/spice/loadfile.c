/* loadfile: read a user's load subcircuit file and its metadata, so a real
 * speaker or headphone impedance can stand where a resistor would. */
#include "spice/loadfile.h"

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

static enum as_status interpret(struct loadfile *l, char *err, size_t errlen)
{
    const struct spfile *f = l->file;
    static const char *const keys[] = {"name",
                                       "kind",
                                       "nominal_ohm",
                                       "source",
                                       "subckt",
                                       "sensitivity_db_spl_w",
                                       "sensitivity_db_spl_mw"};
    enum { N_KEYS = sizeof keys / sizeof *keys, N_REQUIRED = 4 }; /* the first four */
    int seen[N_KEYS] = {0};
    for (size_t i = 0; i < f->n_meta; i++) {
        const struct spfile_meta *m = &f->meta[i];
        size_t k = 0;
        while (k < N_KEYS && strcmp(m->key, keys[k]) != 0)
            k++;
        if (k == N_KEYS)
            return as_fail(err, errlen, AS_EINPUT,
                           "%s:%d: unknown metadata key '%s' (known: name, kind, nominal_ohm, "
                           "source, subckt, sensitivity_db_spl_w, sensitivity_db_spl_mw)",
                           f->path, m->line, m->key);
        enum as_status st = spfile_meta_once(f, m, &seen[k], err, errlen);
        if (st != AS_OK)
            return st;
        switch (k) {
        case 0:
            st = netlist_take_name(f, m, l->name, err, errlen);
            break;
        case 1:
            if (strcmp(m->value, "speaker") && strcmp(m->value, "headphone"))
                st = as_fail(err, errlen, AS_EINPUT,
                             "%s:%d: kind '%s' must be 'speaker' or 'headphone'", f->path, m->line,
                             m->value);
            else
                strcpy(l->kind, m->value);
            break;
        case 2:
            st = parse_positive(m, f->path, &l->nominal_ohm, err, errlen);
            break;
        case 3:
            if (!(l->source = strdup(m->value)))
                st = AS_ENOMEM;
            break;
        case 4:
            if (!(l->subckt = strdup(m->value)))
                st = AS_ENOMEM;
            break;
        case 5:
            st = parse_positive(m, f->path, &l->sens_db_spl_w, err, errlen);
            break;
        case 6:
            st = parse_positive(m, f->path, &l->sens_db_spl_mw, err, errlen);
            break;
        }
        if (st != AS_OK)
            return st;
    }
    for (size_t k = 0; k < N_REQUIRED; k++)
        if (!seen[k])
            return as_fail(err, errlen, AS_EINPUT, "%s: metadata '*@ %s = ...' is missing", f->path,
                           keys[k]);
    if (f->n_elems)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: a load file holds only subcircuits and models; '%s' stands outside "
                       "any .subckt",
                       f->path, f->elems[0].line, f->elems[0].name);
    const struct spfile_subckt *use = NULL;
    if (l->subckt) {
        for (size_t i = 0; i < f->n_subckts; i++)
            if (strcasecmp(f->subckts[i].name, l->subckt) == 0)
                use = &f->subckts[i];
        if (!use)
            return as_fail(err, errlen, AS_EINPUT, "%s:%d: no .subckt named '%s'", f->path, seen[4],
                           l->subckt);
    } else if (f->n_subckts == 1) {
        use = &f->subckts[0];
    } else {
        return as_fail(err, errlen, AS_EINPUT,
                       "%s: %zu subcircuits and no '*@ subckt = NAME' to say which is the load",
                       f->path, f->n_subckts);
    }
    if (use->n_ports != 2)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: load subcircuit '%s' has %zu ports; a load has exactly 2", f->path,
                       use->line, use->name, use->n_ports);
    free(l->subckt);
    l->subckt = strdup(use->name);
    return l->subckt ? AS_OK : AS_ENOMEM;
}

enum as_status loadfile_read(const char *path, const char *models_dir, struct loadfile **out,
                             char *err, size_t errlen)
{
    *out = NULL;
    struct loadfile *l = calloc(1, sizeof *l);
    if (!l)
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    l->sens_db_spl_w = NAN;
    l->sens_db_spl_mw = NAN;
    enum as_status st = spfile_read(path, 0, models_dir, &l->file, err, errlen);
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
