/* gather: the measured amps' rows put together and judged, then written as
 * the result files in one staged commit (base/afile.h), so a sweep that
 * cannot write leaves the folder as it was. Kept apart from the sweep,
 * which decides what is measured; this decides what is written.
 */
#include "run/gather.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"
#include "run/assess.h"
#include "run/summary.h"
#include "run/tables.h"

static enum as_status push_rows(struct gather *g, const struct jobs *J, const struct jobs_amp *a)
{
    enum as_status st = AS_OK;
    for (size_t l = 0; l < J->n_loads && st == AS_OK; l++) {
        for (size_t i = 0; i < a->fr[l].len && st == AS_OK; i++)
            st = fr_table_push(&g->fr, &a->fr[l].rows[i]);
        for (size_t i = 0; i < a->large[l].len && st == AS_OK; i++)
            st = large_table_push(&g->large, &a->large[l].rows[i]);
    }
    return st;
}

enum as_status gather_amp(struct gather *g, const struct jobs *J, const struct jobs_amp *a,
                          char *err, size_t errlen)
{
    const struct sweep_spec *spec = J->spec;
    size_t large0 = g->large.len;
    enum as_status st = push_rows(g, J, a);
    if (st == AS_OK)
        large_classify(g->large.rows + large0, g->large.len - large0, &spec->tran_freqs_hz,
                       a->swing_v, a->zout_ohm);
    struct verdict *v = NULL;
    if (st == AS_OK && !(v = realloc(g->verdicts, (g->n_verdicts + 2 * J->n_loads + 1) * sizeof *v)))
        st = AS_ENOMEM;
    if (v)
        g->verdicts = v;
    for (size_t j = 0; st == AS_OK && j < J->n_loads; j++)
        g->n_verdicts += assess_judge(a->amp->name, &J->loads[j], &spec->verdict, &g->fr,
                                      &g->large, &g->verdicts[g->n_verdicts]);
    if (st == AS_OK &&
        (strv_push(&g->names, a->amp->name) || strv_push(&g->paths, a->amp->file->path) ||
         strv_push(&g->kinds, netlist_kind_name(a->amp->kind)) ||
         strv_push(&g->sources, a->amp->source)))
        st = AS_ENOMEM;
    if (st != AS_OK)
        as_fail(err, errlen, st, "out of memory");
    return st;
}

enum as_status gather_failed(struct gather *g, const char *path, const char *why)
{
    if (strv_push(&g->failed_paths, path) || strv_push(&g->failed_errors, why))
        return AS_ENOMEM;
    assert(g->failed_paths.len == g->failed_errors.len);
    return AS_OK;
}

static enum as_status write_tables(const struct gather *g, const struct sweep_spec *spec,
                                   const char *dir, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    if (spec->analyses & SWEEP_FR)
        st = tables_write_fr(dir, &g->fr, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_power(dir, &g->large, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_dissipation(dir, &g->large, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_thd(dir, &g->large, err, errlen);
    if (st == AS_OK)
        st = tables_write_verdict(dir, g->verdicts, g->n_verdicts, err, errlen);
    return st;
}

static enum as_status write_summary(const struct gather *g, const struct sweep_spec *spec,
                                    const char *dir, char *err, size_t errlen)
{
    assert(g->names.len == g->paths.len && g->kinds.len == g->paths.len &&
           g->sources.len == g->paths.len);
    struct summary_amp *amps = calloc(g->paths.len + 1, sizeof *amps);
    if (!amps)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (size_t i = 0; i < g->paths.len; i++)
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
    enum as_status st = summary_write(dir, &in, err, errlen);
    free(amps);
    return st;
}

enum as_status gather_write(const struct gather *g, const struct sweep_spec *spec, char *err,
                            size_t errlen)
{
    struct afile_stage *stage = NULL;
    enum as_status st = afile_stage_open(spec->out_dir, &stage, err, errlen);
    const char *dir = st == AS_OK ? afile_stage_dir(stage) : NULL;
    if (st == AS_OK)
        st = write_tables(g, spec, dir, err, errlen);
    if (st == AS_OK)
        st = write_summary(g, spec, dir, err, errlen);
    if (st == AS_OK)
        return afile_stage_commit(stage, err, errlen);
    afile_stage_abort(stage);
    char *why = strdup(err);
    as_fail(err, errlen, st, "the results could not be written, and no file in %s/ was changed: %s",
            spec->out_dir, why ? why : "out of memory");
    free(why);
    return st;
}

void gather_free(struct gather *g)
{
    if (!g)
        return;
    fr_table_free(&g->fr);
    large_table_free(&g->large);
    free(g->verdicts);
    strv_free(&g->names);
    strv_free(&g->paths);
    strv_free(&g->kinds);
    strv_free(&g->sources);
    strv_free(&g->failed_paths);
    strv_free(&g->failed_errors);
    *g = (struct gather){0};
}
