/* sweep: the main job. Reads every netlist and load file, runs the
 * small- and large-signal measurements in one libngspice session, judges
 * every amp and load, and writes the result files. A netlist that fails is
 * reported and skipped, never costing the others' results. */
#include "run/sweep.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "engine/fr.h"
#include "engine/ngs.h"
#include "run/assess.h"
#include "run/journal.h"
#include "run/pool.h"
#include "run/summary.h"
#include "run/tables.h"
#include "spice/loadfile.h"
#include "spice/netlist.h"

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

/* One job is one amp into one load (fr and large-signal rows), or one amp's
 * open-output swing (large-signal only). Jobs run in worker processes
 * (pool.c), which inherit everything read here; results come back as bytes
 * and are put together per amp, in job order, so the files do not depend on
 * the number of workers. */
struct amp_jobs {
    struct netlist *amp;
    const char *path;
    enum as_status st; /* first failure of any of its jobs */
    char error[2048];
    double *swing_v;           /* per large-signal frequency, from the open job */
    struct fr_table *fr;       /* per load */
    struct large_table *large; /* per load */
};

struct jobs {
    const struct sweep_spec *spec;
    struct journal *journal;   /* parent: where finished jobs are recorded */
    uint64_t *keys;            /* per job: what its result depends on */
    unsigned char *replayed;   /* per job: taken from the journal */
    enum as_status journal_st; /* the first append that failed stops the journal */
    char journal_err[512];
    FILE *diag;
    const struct load_spec *loads;
    size_t n_loads;
    struct amp_jobs *amps;
    size_t n_amps;
    struct ngs *s; /* in a worker: its simulator, opened at its first job */
};

static size_t jobs_per_amp(const struct jobs *J)
{
    return J->n_loads + 1; /* the open-output job, then one per load */
}

static struct large_settings large_set(const struct sweep_spec *spec)
{
    return (struct large_settings){.freqs_hz = &spec->tran_freqs_hz,
                                   .thd_limit_pct = spec->thd_limit_pct,
                                   .ambient_c = spec->ambient_c};
}

static enum as_status add_table(struct pool_buf *out, const void *rows, size_t n, size_t size)
{
    uint64_t n64 = n;
    enum as_status st = pool_buf_add(out, &n64, sizeof n64);
    return st == AS_OK && n ? pool_buf_add(out, rows, n * size) : st;
}

/* In a worker: run one job. */
static enum as_status job_work(void *ctx, size_t job, struct pool_buf *out, char *err,
                               size_t errlen)
{
    struct jobs *J = ctx;
    const struct sweep_spec *spec = J->spec;
    const struct amp_jobs *a = &J->amps[job / jobs_per_amp(J)];
    size_t slot = job % jobs_per_amp(J);
    struct large_settings set = large_set(spec);
    enum as_status st = J->s ? AS_OK : ngs_open(&J->s, err, errlen);
    if (st != AS_OK)
        return st;
    if (slot == 0) {
        double *swing = calloc(spec->tran_freqs_hz.count + 1, sizeof *swing);
        st = swing ? large_open_swing(J->s, a->amp, &set, swing, err, errlen) : AS_ENOMEM;
        if (st == AS_OK)
            st = pool_buf_add(out, swing, spec->tran_freqs_hz.count * sizeof *swing);
        free(swing);
        return st;
    }
    const struct load_spec *load = &J->loads[slot - 1];
    struct fr_table fr = {0};
    struct large_table large = {0};
    if (spec->analyses & SWEEP_FR)
        st = fr_sweep(J->s, a->amp, load, 1, &spec->freqs_hz, &fr, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = large_load(J->s, a->amp, load, &set, &large, err, errlen);
    if (st == AS_OK)
        st = add_table(out, fr.rows, fr.len, sizeof *fr.rows);
    if (st == AS_OK)
        st = add_table(out, large.rows, large.len, sizeof *large.rows);
    fr_table_free(&fr);
    large_table_free(&large);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "out of memory");
    return st;
}

static void job_worker_exit(void *ctx)
{
    struct jobs *J = ctx;
    ngs_free(J->s);
    J->s = NULL;
}

static int job_skip(void *ctx, size_t job)
{
    const struct jobs *J = ctx;
    if (J->replayed[job])
        return 1;
    if (J->spec->shard_n && job % J->spec->shard_n != J->spec->shard_i - 1)
        return 1; /* another shard's */
    const struct amp_jobs *a = &J->amps[job / jobs_per_amp(J)];
    if (a->st != AS_OK)
        return 1; /* the amp failed already: its other jobs are moot */
    return job % jobs_per_amp(J) == 0 && !(J->spec->analyses & SWEEP_LARGE);
}

/* Read a table written by add_table; *p advances. */
static enum as_status take_table(const unsigned char **p, const unsigned char *end, void **rows,
                                 size_t *n, size_t size)
{
    uint64_t n64;
    if ((size_t)(end - *p) < sizeof n64)
        return AS_ESIM;
    memcpy(&n64, *p, sizeof n64);
    *p += sizeof n64;
    if (n64 > (size_t)(end - *p) / size)
        return AS_ESIM;
    *rows = n64 ? malloc(n64 * size) : NULL;
    if (n64 && !*rows)
        return AS_ENOMEM;
    if (n64)
        memcpy(*rows, *p, n64 * size);
    *p += n64 * size;
    *n = n64;
    return AS_OK;
}

/* In the parent: keep one job's result. */
static void job_done(void *ctx, size_t job, enum as_status st, const void *data, size_t len,
                     const char *err)
{
    struct jobs *J = ctx;
    struct amp_jobs *a = &J->amps[job / jobs_per_amp(J)];
    size_t slot = job % jobs_per_amp(J);
    const unsigned char *p = data, *end = p + len;
    if (st == AS_OK && slot == 0) {
        if (len != J->spec->tran_freqs_hz.count * sizeof *a->swing_v)
            st = AS_ESIM;
        else
            memcpy(a->swing_v, data, len);
    } else if (st == AS_OK) {
        struct fr_table *fr = &a->fr[slot - 1];
        struct large_table *lt = &a->large[slot - 1];
        void *rows = NULL;
        st = take_table(&p, end, &rows, &fr->len, sizeof *fr->rows);
        fr->rows = rows;
        fr->cap = fr->len;
        rows = NULL;
        if (st == AS_OK)
            st = take_table(&p, end, &rows, &lt->len, sizeof *lt->rows);
        lt->rows = rows;
        lt->cap = lt->len;
    }
    if (st != AS_OK && a->st == AS_OK) {
        a->st = st;
        const char *why = err && *err ? err : "a worker's answer could not be read";
        /* the engine's own messages (a crash, a timeout) do not know the job */
        if (!strncmp(why, a->path, strlen(a->path)))
            snprintf(a->error, sizeof a->error, "%s", why);
        else if (slot == 0)
            snprintf(a->error, sizeof a->error, "%s: the open-output job: %s", a->path, why);
        else
            snprintf(a->error, sizeof a->error, "%s: into %s (%g ohm): %s", a->path,
                     J->loads[slot - 1].file ? J->loads[slot - 1].file->name : LOAD_RESISTOR_NAME,
                     J->loads[slot - 1].nominal_ohm, why);
    }
}

/* In the parent: a job a worker finished; recorded before it is kept. */
static void job_done_live(void *ctx, size_t job, enum as_status st, const void *data, size_t len,
                          const char *err)
{
    struct jobs *J = ctx;
    if (st == AS_OK && J->journal_st == AS_OK) {
        /* a journal that cannot be written (a full disk) costs resumability,
         * not the sweep: the results are still gathered and written */
        J->journal_st = journal_append(J->journal, J->keys[job], data, len, J->journal_err,
                                       sizeof J->journal_err);
        if (J->journal_st != AS_OK)
            fprintf(J->diag,
                    "\nampsweep: warning: %s; the sweep goes on, but jobs finished from now on "
                    "are not kept for --resume\n",
                    J->journal_err);
    }
    job_done(ctx, job, st, data, len, err);
}

static uint64_t hash_lines(uint64_t h, const struct strv *lines)
{
    for (size_t i = 0; i < lines->len; i++)
        h = journal_hash_str(h, lines->items[i]);
    return h;
}

static uint64_t hash_num(uint64_t h, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    return journal_hash_str(h, buf);
}

/* Every job's key: the text of its netlist and load and every setting its
 * result depends on (the verdict settings are applied afterwards). */
static void job_keys(struct jobs *J)
{
    const struct sweep_spec *spec = J->spec;
    uint64_t set = journal_hash_str(JOURNAL_HASH_INIT, "ampsweep journal 1");
    set = hash_num(set, spec->analyses);
    for (size_t i = 0; i < spec->freqs_hz.count; i++)
        set = hash_num(set, spec->freqs_hz.values[i]);
    set = journal_hash_str(set, "tran");
    for (size_t i = 0; i < spec->tran_freqs_hz.count; i++)
        set = hash_num(set, spec->tran_freqs_hz.values[i]);
    set = hash_num(hash_num(set, spec->thd_limit_pct), spec->ambient_c);
    for (size_t a = 0; a < J->n_amps; a++) {
        const struct netlist *amp = J->amps[a].amp;
        uint64_t ka = hash_lines(journal_hash_str(set, amp->file->path), &amp->file->body);
        for (size_t slot = 0; slot < jobs_per_amp(J); slot++) {
            uint64_t k = ka;
            if (slot == 0) {
                k = journal_hash_str(k, "open");
            } else {
                const struct load_spec *l = &J->loads[slot - 1];
                k = hash_num(hash_num(k, l->nominal_ohm), l->scale);
                k = l->file ? hash_lines(journal_hash_str(k, l->file->name), &l->file->file->body)
                            : journal_hash_str(k, LOAD_RESISTOR_NAME);
            }
            J->keys[a * jobs_per_amp(J) + slot] = k;
        }
    }
}

/* Run every job not in the journal in worker processes, until spec->stop
 * is set. */
static enum as_status run_jobs(struct jobs *J, FILE *diag, char *err, size_t errlen)
{
    const struct sweep_spec *spec = J->spec;
    size_t n_jobs = J->n_amps * jobs_per_amp(J), n_replayed = 0;
    J->keys = calloc(n_jobs + 1, sizeof *J->keys);
    J->replayed = calloc(n_jobs + 1, 1);
    if (!J->keys || !J->replayed)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    job_keys(J);
    for (size_t job = 0; job < n_jobs; job++) {
        size_t len = 0;
        const void *data = journal_find(J->journal, J->keys[job], &len);
        if (!data)
            continue;
        job_done(J, job, AS_OK, data, len, NULL);
        J->replayed[job] = 1;
        n_replayed++;
    }
    if (spec->resume)
        fprintf(diag, "ampsweep: resuming: %zu of %zu jobs taken from %s/%s\n", n_replayed, n_jobs,
                spec->out_dir, JOURNAL_FILE);
    struct pool_opts po = {.workers = spec->jobs ? spec->jobs : pool_cores(),
                           .recycle = spec->recycle ? spec->recycle : SWEEP_DEFAULT_RECYCLE,
                           .timeout_s =
                               spec->timeout_s > 0 ? spec->timeout_s : SWEEP_DEFAULT_TIMEOUT_S,
                           .work = job_work,
                           .worker_exit = job_worker_exit,
                           .done = job_done_live,
                           .skip = job_skip,
                           .ctx = J,
                           .progress = spec->quiet ? NULL : diag,
                           .what = "jobs (amp x load)",
                           .stop = spec->stop};
    enum as_status st = pool_run(&po, n_jobs, err, errlen);
    if (st == AS_EINTR)
        as_fail(err, errlen, st,
                "interrupted; %s jobs are kept in %s/%s: run the same command with "
                "--resume to go on",
                J->journal_st == AS_OK ? "the finished" : "only some finished", spec->out_dir,
                JOURNAL_FILE);
    return st;
}

/* Put one measured amp's rows into g in load order and judge it. */
static enum as_status gather_amp(const struct jobs *J, struct amp_jobs *a, struct gathered *g,
                                 char *err, size_t errlen)
{
    const struct sweep_spec *spec = J->spec;
    enum as_status st = AS_OK;
    size_t large0 = g->large.len;
    for (size_t l = 0; l < J->n_loads && st == AS_OK; l++) {
        for (size_t i = 0; i < a->fr[l].len && st == AS_OK; i++)
            st = fr_table_push(&g->fr, &a->fr[l].rows[i]);
        for (size_t i = 0; i < a->large[l].len && st == AS_OK; i++)
            st = large_table_push(&g->large, &a->large[l].rows[i]);
    }
    if (st == AS_OK)
        large_classify(g->large.rows + large0, g->large.len - large0, &spec->tran_freqs_hz,
                       a->swing_v);
    struct verdict *v = NULL;
    if (st == AS_OK && !(v = realloc(g->verdicts, (g->n_verdicts + J->n_loads + 1) * sizeof *v)))
        st = AS_ENOMEM;
    if (v)
        g->verdicts = v;
    for (size_t j = 0; st == AS_OK && j < J->n_loads; j++)
        assess_judge(a->amp->name, &J->loads[j], &spec->verdict, &g->fr, &g->large,
                     &g->verdicts[g->n_verdicts++]);
    if (st == AS_OK &&
        (strv_push(&g->names, a->amp->name) || strv_push(&g->paths, a->amp->file->path) ||
         strv_push(&g->kinds, netlist_kind_name(a->amp->kind)) ||
         strv_push(&g->sources, a->amp->source)))
        st = AS_ENOMEM;
    if (st != AS_OK)
        as_fail(err, errlen, st, "out of memory");
    return st;
}

static void amp_jobs_free(struct amp_jobs *a, size_t n_loads)
{
    netlist_free(a->amp);
    free(a->swing_v);
    for (size_t l = 0; a->fr && l < n_loads; l++)
        fr_table_free(&a->fr[l]);
    for (size_t l = 0; a->large && l < n_loads; l++)
        large_table_free(&a->large[l]);
    free(a->fr);
    free(a->large);
}

static enum as_status write_results(const struct sweep_spec *spec, struct gathered *g, char *err,
                                    size_t errlen)
{
    struct afile_stage *stage = NULL;
    enum as_status st = afile_stage_open(spec->out_dir, &stage, err, errlen);
    const char *dir = st == AS_OK ? afile_stage_dir(stage) : NULL;
    if (st == AS_OK && (spec->analyses & SWEEP_FR))
        st = tables_write_fr(dir, &g->fr, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_power(dir, &g->large, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_dissipation(dir, &g->large, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = tables_write_thd(dir, &g->large, err, errlen);
    if (st == AS_OK)
        st = tables_write_verdict(dir, g->verdicts, g->n_verdicts, err, errlen);
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
        st = summary_write(dir, &in, err, errlen);
    free(amps);
    if (st == AS_OK)
        return afile_stage_commit(stage, err, errlen);
    afile_stage_abort(stage);
    char *why = strdup(err);
    as_fail(err, errlen, st, "the results could not be written, and no file in %s/ was changed: %s",
            spec->out_dir, why ? why : "out of memory");
    free(why);
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
    struct jobs J = {.diag = diag};
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
    /* read every netlist first: a bad one is reported and left out */
    J.amps = calloc(spec->netlists.len + 1, sizeof *J.amps);
    if (!J.amps) {
        worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        goto out;
    }
    J.spec = spec;
    J.loads = loads;
    J.n_loads = n_loads;
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
        struct amp_jobs *a = &J.amps[J.n_amps];
        if (st == AS_OK) {
            *a = (struct amp_jobs){.amp = amp, .path = path};
            amp = NULL;
            J.n_amps++;
            a->swing_v = calloc(spec->tran_freqs_hz.count + 1, sizeof *a->swing_v);
            a->fr = calloc(n_loads + 1, sizeof *a->fr);
            a->large = calloc(n_loads + 1, sizeof *a->large);
            if (!a->swing_v || !a->fr || !a->large)
                st = as_fail(msg, sizeof msg, AS_ENOMEM, "out of memory");
        }
        netlist_free(amp);
        if (st != AS_OK) {
            n_bad++;
            note_failure(&worst, st, diag, msg);
            if (strv_push(&g.failed_paths, path) || strv_push(&g.failed_errors, msg))
                worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        }
    }
    st = journal_open(spec->out_dir, spec->resume, &J.journal, err, errlen);
    if (st == AS_OK && J.n_amps)
        st = run_jobs(&J, diag, err, errlen);
    if (st != AS_OK) {
        worst = st;
        goto out;
    }
    if (spec->shard_n) {
        /* a shard's results are its journal; the files come from the merge */
        fprintf(diag,
                "ampsweep: shard %u/%u done: its jobs are in %s/%s; put the shards together "
                "with 'ampsweep merge OUT DIR...'\n",
                spec->shard_i, spec->shard_n, spec->out_dir, JOURNAL_FILE);
        goto out;
    }
    for (size_t i = 0; i < J.n_amps; i++) {
        struct amp_jobs *a = &J.amps[i];
        st = a->st;
        if (st == AS_OK)
            st = gather_amp(&J, a, &g, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "%s", a->error);
        if (st == AS_OK) {
            n_done++;
            fprintf(diag, "ampsweep: [%zu/%zu] %s: done\n", i + 1, J.n_amps, a->amp->name);
            continue;
        }
        n_bad++;
        note_failure(&worst, st, diag, msg);
        if (strv_push(&g.failed_paths, a->path) || strv_push(&g.failed_errors, msg))
            worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    }
    /* a point that could not be measured is a failure the exit status shows */
    size_t n_points_bad = 0;
    for (size_t i = 0; i < g.large.len; i++) {
        const struct large_row *r = &g.large.rows[i];
        if (r->limit != LARGE_FAILED)
            continue;
        n_points_bad++;
        snprintf(msg, sizeof msg, "%s into %s (%g ohm) at %g Hz: %s", r->amp, r->load, r->load_ohm,
                 r->freq_hz, r->error);
        note_failure(&worst, AS_ESIM, diag, msg);
    }
    st = write_results(spec, &g, msg, sizeof msg);
    if (st != AS_OK) {
        size_t used = strlen(msg);
        if (J.journal_st == AS_OK)
            snprintf(msg + used, sizeof msg - used,
                     ". The finished jobs are kept in %s/%s: make room and run the same command "
                     "with --resume to write the results without simulating again",
                     spec->out_dir, JOURNAL_FILE);
        else
            snprintf(msg + used, sizeof msg - used,
                     ". The journal could not be kept either: the sweep must run again");
        if (worst == AS_OK) /* main prints msg, as the last word */
            worst = st;
    }
    if (worst != AS_OK && n_bad && st == AS_OK)
        as_fail(err, errlen, worst, "%zu of %zu netlists failed; results of the other %zu written",
                n_bad, spec->netlists.len, n_done);
    else if (worst != AS_OK && n_points_bad && st == AS_OK)
        as_fail(err, errlen, worst,
                "%zu of %zu large-signal points could not be measured (listed in summary.json); "
                "everything else is written",
                n_points_bad, g.large.len);
    else if (worst != AS_OK)
        as_fail(err, errlen, worst, "%s", msg);
out:
    for (size_t i = 0; J.amps && i < J.n_amps; i++)
        amp_jobs_free(&J.amps[i], n_loads);
    free(J.amps);
    free(J.keys);
    free(J.replayed);
    journal_free(J.journal);
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
