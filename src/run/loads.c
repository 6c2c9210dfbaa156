/* loads: turn the load options of a sweep (--loads, --load-file,
 * --load-model) into the one list of struct load_spec every job is
 * numbered by. Kept apart from the sweep so the order of the loads, which
 * is the order of the rows in every file, is decided in one place. A
 * measured impedance curve (--load-file SPEAKER.zma) is fitted here
 * (spice/zfit.c) and its circuit written into the output folder, so the
 * load the sweep measures is the file a user can reuse.
 */
#include "run/loads.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"
#include "spice/zcurve.h"
#include "spice/zfit.h"

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

/* Check load name, read from path, against the resistors' and the files
 * before file i. */
static enum as_status check_name(const struct loads *l, size_t i, const char *name,
                                 const char *path, char *err, size_t errlen)
{
    if (strcmp(name, LOAD_RESISTOR_NAME) == 0)
        return as_fail(err, errlen, AS_EINPUT, "%s: load name '%s' is reserved for resistors", path,
                       LOAD_RESISTOR_NAME);
    for (size_t j = 0; j < i; j++)
        if (l->files[j] && strcmp(l->files[j]->name, name) == 0)
            return as_fail(err, errlen, AS_EINPUT, "%s: load name '%s' is already used by %s", path,
                           name, l->files[j]->file->path);
    return AS_OK;
}

/* Write text into path, atomically. */
static enum as_status write_text(const char *path, const char *text, char *err, size_t errlen)
{
    struct afile *a = NULL;
    enum as_status st = afile_open(path, &a, err, errlen);
    if (st != AS_OK)
        return st;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, afile_fp(a)) == n;
    return afile_commit(a, ok ? 0 : errno ? errno : EIO, err, errlen);
}

/* Fit the impedance curve at path, the load file i of spec, and write its
 * circuit as OUT/NAME.lib (its path into lib); the fit is told on diag
 * (with --quiet too: it is a result, not progress). */
static enum as_status fit_curve(const struct sweep_spec *spec, const struct loads *l, size_t i,
                                const char *path, FILE *diag, char *lib, size_t liblen, char *err,
                                size_t errlen)
{
    struct zcurve *c = NULL;
    struct zfit fit;
    char name[AS_NAME_MAX + 1], *text = NULL;
    zfit_name_from_path(path, name);
    enum as_status st = check_name(l, i, name, path, err, errlen);
    if (st == AS_OK)
        st = zcurve_read(path, &c, err, errlen);
    if (st == AS_OK)
        st = zfit_fit(c, &fit, err, errlen);
    if (st == AS_OK)
        st = zfit_lib_text(&fit, name, path, &text, err, errlen);
    snprintf(lib, liblen, "%s/%s.lib", spec->out_dir, name);
    if (st == AS_OK)
        st = write_text(lib, text, err, errlen);
    if (st == AS_OK)
        fprintf(diag,
                "ampsweep: %s: fitted as load '%s', RMS error %.2f %% over %g-%g Hz (%zu points); "
                "its circuit is %s\n",
                path, name, fit.rms_err_pct, fit.fmin_hz, fit.fmax_hz, fit.n_points, lib);
    free(text);
    zcurve_free(c);
    return st;
}

/* Read file i of spec (load files first, then models) into l->files[i] and
 * check its name against the resistors' and the files before it. An
 * impedance curve is fitted and its circuit read from the output folder. */
static enum as_status read_file(const struct sweep_spec *spec, struct loads *l, size_t i,
                                FILE *diag, char *err, size_t errlen)
{
    assert(i < l->n_files);
    char path[4096];
    enum as_status st = AS_OK;
    if (i >= spec->load_files.len)
        load_model_path(spec, spec->load_models.items[i - spec->load_files.len], path, sizeof path);
    else if (zcurve_is_curve_path(spec->load_files.items[i]))
        st = fit_curve(spec, l, i, spec->load_files.items[i], diag, path, sizeof path, err, errlen);
    else
        snprintf(path, sizeof path, "%s", spec->load_files.items[i]);
    struct spfile_places places = sweep_spec_places(spec);
    if (st == AS_OK)
        st = loadfile_read(path, &places, &l->files[i], err, errlen);
    if (st == AS_OK)
        st = check_name(l, i, l->files[i]->name, l->files[i]->file->path, err, errlen);
    return st;
}

/* A load file that failed: an impedance curve's bad input costs only its
 * own load (recorded in l->failed); anything else stops the sweep. */
static enum as_status file_failed(const struct sweep_spec *spec, struct loads *l, size_t i,
                                  enum as_status st, const char *msg)
{
    int curve = i < spec->load_files.len && zcurve_is_curve_path(spec->load_files.items[i]);
    if (st != AS_EINPUT || !curve)
        return st;
    loadfile_free(l->files[i]);
    l->files[i] = NULL;
    return strv_push(&l->failed, msg);
}

/* Append one load; the capacity was counted from spec before. */
static void add(struct loads *l, size_t cap, struct load_spec load)
{
    assert(l->n < cap);
    (void)cap; /* with NDEBUG */
    l->items[l->n++] = load;
}

enum as_status loads_build(const struct sweep_spec *spec, FILE *diag, struct loads *out, char *err,
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
    size_t n_skipped = 0;
    for (size_t i = 0; st == AS_OK && i < l.n_files; i++) {
        st = read_file(spec, &l, i, diag, err, errlen);
        if (st != AS_OK && (st = file_failed(spec, &l, i, st, err)) == AS_OK) {
            n_skipped++;
            continue;
        }
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
    if (st == AS_OK && l.n == 0 && l.failed.len)
        st = as_fail(err, errlen, AS_EINPUT, "%s", l.failed.items[0]);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "out of memory");
    if (st != AS_OK) {
        loads_free(&l);
        return st;
    }
    assert(l.n + n_skipped == cap);
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
    strv_free(&l->failed);
    *l = (struct loads){0};
}
