/* sweep: the main job. Reads every netlist and load file, runs the
 * small- and large-signal measurements in one libngspice session, judges
 * every amp and load, and writes the result files. A netlist that fails is
 * reported and skipped, never costing the others' results. */
#include "sweep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fr.h"
#include "loadfile.h"
#include "netlist.h"
#include "ngs.h"
#include "summary.h"
#include "tables.h"

static enum as_status make_dir(const char *dir, char *err, size_t errlen)
{
    char *copy = strdup(dir);
    if (!copy)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    enum as_status st = AS_OK;
    for (char *p = copy + 1; st == AS_OK; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            st = as_fail(err, errlen, AS_EINPUT, "%s: cannot create output folder: %s", copy,
                         strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    free(copy);
    return st;
}

/* Fail before any simulation if the output folder cannot take files. */
static enum as_status probe_out_dir(const char *dir, char *err, size_t errlen)
{
    enum as_status st = make_dir(dir, err, errlen);
    if (st != AS_OK)
        return st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/.ampsweep-write-test", dir);
    FILE *fp = fopen(probe, "w");
    if (!fp)
        return as_fail(err, errlen, AS_EINPUT, "%s: output folder is not writable: %s", dir,
                       strerror(errno));
    fclose(fp);
    unlink(probe);
    return AS_OK;
}

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

/* Keep the first failure's code for the exit status. */
static void note_failure(enum as_status *worst, enum as_status st, FILE *diag, const char *msg)
{
    fprintf(diag, "ampsweep: error: %s\n", msg);
    if (*worst == AS_OK)
        *worst = st;
}

/* What the sweep gathers: result tables and, per amp measured, what
 * summary.json names it by (copied: netlists are freed as the sweep goes). */
struct gathered {
    struct fr_table fr;
    struct large_table large;
    struct verdict *verdicts;
    size_t n_verdicts;
    struct strv names, paths, kinds, sources;
    struct strv failed_paths, failed_errors;
};

static void gathered_free(struct gathered *g)
{
    fr_table_free(&g->fr);
    large_table_free(&g->large);
    free(g->verdicts);
    strv_free(&g->names);
    strv_free(&g->paths);
    strv_free(&g->kinds);
    strv_free(&g->sources);
    strv_free(&g->failed_paths);
    strv_free(&g->failed_errors);
}

/* Measure one amp and judge it into every load. */
static enum as_status sweep_amp(const struct sweep_spec *spec, struct ngs *s,
                                const struct netlist *amp, const struct load_spec *loads,
                                size_t n_loads, FILE *diag, struct gathered *g, char *err,
                                size_t errlen)
{
    enum as_status st = AS_OK;
    size_t fr_len0 = g->fr.len;
    if (spec->analyses & SWEEP_FR)
        st = fr_sweep(s, amp, loads, n_loads, &spec->freqs_hz, &g->fr, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE)) {
        struct large_settings set = {.freqs_hz = &spec->tran_freqs_hz,
                                     .thd_limit_pct = spec->thd_limit_pct,
                                     .ambient_c = spec->ambient_c,
                                     .progress = diag};
        st = large_sweep(s, amp, loads, n_loads, &set, &g->large, err, errlen);
        if (st != AS_OK)
            g->fr.len = fr_len0; /* nothing of a failed amp is kept */
    }
    struct verdict *v = NULL;
    if (st == AS_OK && !(v = realloc(g->verdicts, (g->n_verdicts + n_loads + 1) * sizeof *v)))
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    if (v)
        g->verdicts = v;
    for (size_t j = 0; st == AS_OK && j < n_loads; j++)
        verdict_judge(amp->name, &loads[j], &spec->verdict, &g->fr, &g->large,
                      &g->verdicts[g->n_verdicts++]);
    if (st == AS_OK &&
        (strv_push(&g->names, amp->name) || strv_push(&g->paths, amp->file->path) ||
         strv_push(&g->kinds, netlist_kind_name(amp->kind)) || strv_push(&g->sources, amp->source)))
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    return st;
}

static enum as_status write_results(const struct sweep_spec *spec, struct gathered *g, char *err,
                                    size_t errlen)
{
    enum as_status st = AS_OK;
    if (spec->analyses & SWEEP_FR)
        st = tables_write_fr(spec->out_dir, &g->fr, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_power(spec->out_dir, &g->large, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_dissipation(spec->out_dir, &g->large, err, errlen);
    if (st == AS_OK)
        st = tables_write_verdict(spec->out_dir, g->verdicts, g->n_verdicts, err, errlen);
    struct summary_amp *amps = calloc(g->paths.len + 1, sizeof *amps);
    if (st == AS_OK && !amps)
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; st == AS_OK && i < g->paths.len; i++)
        amps[i] = (struct summary_amp){.name = g->names.items[i],
                                       .path = g->paths.items[i],
                                       .kind = g->kinds.items[i],
                                       .source = g->sources.items[i]};
    struct summary_input in = {.spec = spec,
                               .amps = amps,
                               .n_amps = g->paths.len,
                               .verdicts = g->verdicts,
                               .n_verdicts = g->n_verdicts,
                               .large = &g->large,
                               .failed_paths = &g->failed_paths,
                               .failed_errors = &g->failed_errors};
    if (st == AS_OK)
        st = summary_write(spec->out_dir, &in, err, errlen);
    free(amps);
    return st;
}

enum as_status sweep_run(const struct sweep_spec *spec, FILE *diag, char *err, size_t errlen)
{
    enum as_status worst = AS_OK, st;
    char msg[2048];
    size_t n_files = spec->load_files.len + spec->load_models.len;
    size_t n_res = spec->load_models.len ? 0 : spec->loads_ohm.count;
    size_t n_loads = n_res + spec->load_files.len + spec->load_models.len * spec->loads_ohm.count;
    size_t n_bad = 0, n_done = 0;
    struct loadfile **files = calloc(n_files + 1, sizeof *files);
    struct load_spec *loads = calloc(n_loads + 1, sizeof *loads);
    struct gathered g = {0};
    struct strv all_names = {0}, name_paths = {0};
    struct ngs *s = NULL;
    if (!files || !loads) {
        worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        goto out;
    }
    st = probe_out_dir(spec->out_dir, err, errlen);
    if (st != AS_OK) {
        worst = st;
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < n_res; i++)
        loads[k++] = (struct load_spec){.nominal_ohm = spec->loads_ohm.values[i]};
    for (size_t i = 0; i < n_files; i++) {
        int is_model = i >= spec->load_files.len;
        char path[4096];
        if (is_model)
            load_model_path(spec, spec->load_models.items[i - spec->load_files.len], path,
                            sizeof path);
        else
            snprintf(path, sizeof path, "%s", spec->load_files.items[i]);
        st = loadfile_read(path, spec->models_dir, &files[i], msg, sizeof msg);
        /* rows tell loads apart by name: resistors and each file need their own */
        if (st == AS_OK && strcmp(files[i]->name, LOAD_RESISTOR_NAME) == 0)
            st = as_fail(msg, sizeof msg, AS_EINPUT, "%s: load name '%s' is reserved for resistors",
                         files[i]->file->path, LOAD_RESISTOR_NAME);
        for (size_t j = 0; st == AS_OK && j < i; j++)
            if (strcmp(files[j]->name, files[i]->name) == 0)
                st = as_fail(msg, sizeof msg, AS_EINPUT, "%s: load name '%s' is already used by %s",
                             files[i]->file->path, files[i]->name, files[j]->file->path);
        if (st != AS_OK) {
            /* a load is an option: without it the sweep is not what was asked */
            worst = as_fail(err, errlen, st, "%s", msg);
            goto out;
        }
        if (!is_model) {
            loads[k++] = (struct load_spec){.nominal_ohm = files[i]->nominal_ohm, .file = files[i]};
            continue;
        }
        for (size_t j = 0; j < spec->loads_ohm.count; j++) {
            double r = spec->loads_ohm.values[j];
            loads[k++] = (struct load_spec){
                .nominal_ohm = r, .file = files[i], .scale = r / files[i]->nominal_ohm};
        }
    }
    st = ngs_open(&s, err, errlen);
    if (st != AS_OK) {
        worst = st;
        goto out;
    }
    for (size_t i = 0; i < spec->netlists.len; i++) {
        const char *path = spec->netlists.items[i];
        struct netlist *amp = NULL;
        st = netlist_read(path, spec->models_dir, &amp, msg, sizeof msg);
        for (size_t j = 0; st == AS_OK && j < all_names.len; j++)
            if (strcmp(all_names.items[j], amp->name) == 0)
                st = as_fail(msg, sizeof msg, AS_EINPUT, "%s: amp name '%s' is already used by %s",
                             path, amp->name, name_paths.items[j]);
        if (st == AS_OK && (strv_push(&all_names, amp->name) || strv_push(&name_paths, path)))
            st = as_fail(msg, sizeof msg, AS_ENOMEM, "out of memory");
        if (st == AS_OK)
            st = sweep_amp(spec, s, amp, loads, n_loads, diag, &g, msg, sizeof msg);
        if (st == AS_OK)
            fprintf(diag, "ampsweep: [%zu/%zu] %s: done\n", i + 1, spec->netlists.len, amp->name);
        netlist_free(amp);
        if (st != AS_OK) {
            n_bad++;
            note_failure(&worst, st, diag, msg);
            if (strv_push(&g.failed_paths, path) || strv_push(&g.failed_errors, msg))
                worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        } else {
            n_done++;
        }
        if (st == AS_EDEAD) {
            /* libngspice is gone for this process: say what was not run */
            for (size_t j = i + 1; j < spec->netlists.len; j++, n_bad++) {
                fprintf(diag, "ampsweep: error: %s: not run: the simulator was lost\n",
                        spec->netlists.items[j]);
                strv_push(&g.failed_paths, spec->netlists.items[j]);
                strv_push(&g.failed_errors, "not run: the simulator was lost");
            }
            break;
        }
    }
    st = write_results(spec, &g, msg, sizeof msg);
    if (st != AS_OK)
        note_failure(&worst, st, diag, msg);
    if (worst != AS_OK && n_bad && st == AS_OK)
        as_fail(err, errlen, worst, "%zu of %zu netlists failed; results of the other %zu written",
                n_bad, spec->netlists.len, n_done);
    else if (worst != AS_OK)
        as_fail(err, errlen, worst, "%s", msg);
out:
    ngs_free(s);
    for (size_t i = 0; files && i < spec->load_files.len + spec->load_models.len; i++)
        loadfile_free(files[i]);
    free(files);
    free(loads);
    gathered_free(&g);
    strv_free(&all_names);
    strv_free(&name_paths);
    return worst;
}

void sweep_spec_free(struct sweep_spec *spec)
{
    if (!spec)
        return;
    range_free(&spec->loads_ohm);
    range_free(&spec->freqs_hz);
    range_free(&spec->tran_freqs_hz);
    strv_free(&spec->load_files);
    strv_free(&spec->load_models);
    strv_free(&spec->netlists);
}
