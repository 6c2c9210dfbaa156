/* loads: turn the load options of a sweep (--loads, --load-file,
 * --load-model) into the one list of struct load_spec every job is
 * numbered by. Kept apart from the sweep so the order of the loads, which
 * is the order of the rows in every file, is decided in one place.
 */
#include "run/loads.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A --load-model argument: a path as it is if it names a file (has a '/' or
 * ends in ".lib"), else MODELS_DIR/loads/NAME.lib. */
static void load_model_path(const struct sweep_spec *spec, const char *name, char *path, size_t len)
{
    size_t n = strlen(name);
    if (strchr(name, '/') || (n > 4 && strcmp(name + n - 4, ".lib") == 0))
        snprintf(path, len, "%s", name);
    else
        snprintf(path, len, "%s/loads/%s.lib", spec->models_dir, name);
}

/* Read file i of spec (load files first, then models) into l->files[i] and
 * check its name against the resistors' and the files before it. */
static enum as_status read_file(const struct sweep_spec *spec, struct loads *l, size_t i, char *err,
                                size_t errlen)
{
    assert(i < l->n_files);
    char path[4096];
    if (i >= spec->load_files.len)
        load_model_path(spec, spec->load_models.items[i - spec->load_files.len], path, sizeof path);
    else
        snprintf(path, sizeof path, "%s", spec->load_files.items[i]);
    struct spfile_places places = sweep_spec_places(spec);
    enum as_status st = loadfile_read(path, &places, &l->files[i], err, errlen);
    const struct loadfile *f = l->files[i];
    if (st == AS_OK && strcmp(f->name, LOAD_RESISTOR_NAME) == 0)
        st = as_fail(err, errlen, AS_EINPUT, "%s: load name '%s' is reserved for resistors",
                     f->file->path, LOAD_RESISTOR_NAME);
    for (size_t j = 0; st == AS_OK && j < i; j++)
        if (strcmp(l->files[j]->name, f->name) == 0)
            st = as_fail(err, errlen, AS_EINPUT, "%s: load name '%s' is already used by %s",
                         f->file->path, f->name, l->files[j]->file->path);
    return st;
}

/* Append one load; the capacity was counted from spec before. */
static void add(struct loads *l, size_t cap, struct load_spec load)
{
    assert(l->n < cap);
    (void)cap; /* with NDEBUG */
    l->items[l->n++] = load;
}

enum as_status loads_build(const struct sweep_spec *spec, struct loads *out, char *err,
                           size_t errlen)
{
    struct loads l = {.n_files = spec->load_files.len + spec->load_models.len};
    size_t n_res = spec->load_models.len ? 0 : spec->loads_ohm.count;
    size_t cap = n_res + spec->load_files.len + spec->load_models.len * spec->loads_ohm.count;
    enum as_status st = AS_OK;
    *out = (struct loads){0};
    l.files = calloc(l.n_files + 1, sizeof *l.files);
    l.items = calloc(cap + 1, sizeof *l.items);
    if (!l.files || !l.items)
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; st == AS_OK && i < n_res; i++)
        add(&l, cap, (struct load_spec){.nominal_ohm = spec->loads_ohm.values[i]});
    for (size_t i = 0; st == AS_OK && i < l.n_files; i++) {
        st = read_file(spec, &l, i, err, errlen);
        const struct loadfile *f = l.files[i];
        if (st == AS_OK && i < spec->load_files.len)
            add(&l, cap, (struct load_spec){.nominal_ohm = f->nominal_ohm, .file = f});
        for (size_t j = 0; st == AS_OK && i >= spec->load_files.len && j < spec->loads_ohm.count;
             j++) {
            double r = spec->loads_ohm.values[j];
            add(&l, cap,
                (struct load_spec){.nominal_ohm = r, .file = f, .scale = r / f->nominal_ohm});
        }
    }
    if (st != AS_OK) {
        loads_free(&l);
        return st;
    }
    assert(l.n == cap);
    *out = l;
    return AS_OK;
}

void loads_free(struct loads *l)
{
    if (!l)
        return;
    for (size_t i = 0; l->files && i < l->n_files; i++)
        loadfile_free(l->files[i]);
    free(l->files);
    free(l->items);
    *l = (struct loads){0};
}
