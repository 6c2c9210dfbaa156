/* jobrun: the sweep's jobs through the journal and the worker pool. The
 * parent replays what the journal holds and records what the workers send;
 * a worker opens its own simulator at its first job and measures one amp
 * into one load (or its open-output swing) per job. Kept apart from the job
 * model (run/jobs.c), which is plain data and bytes, and from the sweep,
 * which reads the inputs and writes the files.
 */
#include "run/jobrun.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/ngs.h"
#include "run/pool.h"
#include "run/sweep.h"

struct run {
    struct jobs *J;
    struct journal *journal;   /* parent: where finished jobs are recorded */
    unsigned char *replayed;   /* per job: taken from the journal */
    enum as_status journal_st; /* the first append that failed stops the journal */
    char journal_err[512];
    FILE *diag;
    struct ngs *s; /* in a worker: its simulator, opened at its first job */
};

static struct large_settings large_set(const struct sweep_spec *spec)
{
    return (struct large_settings){.freqs_hz = &spec->tran_freqs_hz,
                                   .thd_limit_pct = spec->thd_limit_pct,
                                   .ambient_c = spec->ambient_c};
}

/* In a worker: the open-output swing of amp a, and its |Zout| at the same
 * frequencies (which tells a voltage limit seen through the amp's own
 * output impedance from a current limit: large_classify). A |Zout| that
 * cannot be measured (an unbiased stage has no small-signal gain) is NAN. */
static enum as_status work_open(struct run *R, const struct jobs_amp *a, struct pool_buf *out,
                                char *err, size_t errlen)
{
    const struct sweep_spec *spec = R->J->spec;
    struct large_settings set = large_set(spec);
    size_t n = spec->tran_freqs_hz.count;
    double *swing = calloc(n + 1, sizeof *swing), *zout = calloc(n + 1, sizeof *zout);
    enum as_status st =
        swing && zout ? large_open_swing(R->s, a->amp, &set, swing, err, errlen) : AS_ENOMEM;
    if (st == AS_OK) {
        char why[512];
        enum as_status zst =
            fr_measure_zout(R->s, a->amp, &spec->tran_freqs_hz, zout, why, sizeof why);
        for (size_t i = 0; zst == AS_ESIM && i < n; i++)
            zout[i] = NAN;
        if (zst != AS_ESIM)
            st = zst == AS_OK ? AS_OK : as_fail(err, errlen, zst, "%s", why);
    }
    if (st == AS_OK)
        st = jobs_encode_open(out, swing, zout, n);
    free(swing);
    free(zout);
    return st;
}

/* In a worker: amp a into one load. */
static enum as_status work_load(struct run *R, const struct jobs_amp *a,
                                const struct load_spec *load, struct pool_buf *out, char *err,
                                size_t errlen)
{
    const struct sweep_spec *spec = R->J->spec;
    struct large_settings set = large_set(spec);
    struct fr_table fr = {0};
    struct large_table large = {0};
    enum as_status st = AS_OK;
    if (spec->analyses & SWEEP_FR)
        st = fr_sweep(R->s, a->amp, load, 1, &spec->freqs_hz, &fr, err, errlen);
    if (st == AS_OK && (spec->analyses & SWEEP_LARGE))
        st = large_load(R->s, a->amp, load, &set, &large, err, errlen);
    if (st == AS_OK)
        st = jobs_encode_load(out, &fr, &large);
    fr_table_free(&fr);
    large_table_free(&large);
    return st;
}

/* In a worker: run one job. */
static enum as_status job_work(void *ctx, size_t job, struct pool_buf *out, char *err,
                               size_t errlen)
{
    struct run *R = ctx;
    const struct jobs_amp *a = jobs_amp_of(R->J, job);
    size_t slot = jobs_slot(R->J, job);
    enum as_status st = R->s ? AS_OK : ngs_open(&R->s, err, errlen);
    if (st != AS_OK)
        return st;
    if (slot == 0)
        st = work_open(R, a, out, err, errlen);
    else
        st = work_load(R, a, &R->J->loads[slot - 1], out, err, errlen);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "out of memory");
    return st;
}

static void job_worker_exit(void *ctx)
{
    struct run *R = ctx;
    ngs_free(R->s);
    R->s = NULL;
}

static int job_skip(void *ctx, size_t job)
{
    const struct run *R = ctx;
    const struct sweep_spec *spec = R->J->spec;
    if (R->replayed[job])
        return 1;
    if (spec->shard_n && job % spec->shard_n != spec->shard_i - 1)
        return 1; /* another shard's */
    if (jobs_amp_of(R->J, job)->st != AS_OK)
        return 1; /* the amp failed already: its other jobs are moot */
    return jobs_slot(R->J, job) == 0 && !(spec->analyses & SWEEP_LARGE);
}

/* In the parent: a job a worker finished. Kept, then recorded: only a
 * record that could be read goes into the journal. */
static void job_done(void *ctx, size_t job, enum as_status st, const void *data, size_t len,
                     const char *err)
{
    struct run *R = ctx;
    char why[1024];
    if (st != AS_OK) {
        jobs_fail(R->J, job, st, err && *err ? err : "the worker gave no reason");
        return;
    }
    st = jobs_take(R->J, job, data, len, why, sizeof why);
    if (st != AS_OK) {
        char msg[1100];
        snprintf(msg, sizeof msg, "a worker's answer could not be read: %s", why);
        jobs_fail(R->J, job, st, msg);
        return;
    }
    if (R->journal_st != AS_OK)
        return;
    /* a journal that cannot be written (a full disk) costs resumability,
     * not the sweep: the results are still gathered and written */
    R->journal_st = journal_append(R->journal, R->J->keys[job], data, len, R->journal_err,
                                   sizeof R->journal_err);
    if (R->journal_st != AS_OK)
        fprintf(R->diag,
                "\nampsweep: warning: %s; the sweep goes on, but jobs finished from now on "
                "are not kept for --resume\n",
                R->journal_err);
}

/* Take every job the journal holds. Any record of another build's layout
 * refuses the whole journal: its bytes would be misread. */
static enum as_status replay(struct run *R, size_t *n_replayed, char *err, size_t errlen)
{
    const struct sweep_spec *spec = R->J->spec;
    char why[512];
    enum as_status st = AS_OK;
    *n_replayed = 0;
    for (size_t i = 0; st == AS_OK && i < journal_count(R->journal); i++) {
        size_t len = 0;
        const void *data = journal_record(R->journal, i, &len);
        st = jobs_check_layout(data, len, why, sizeof why);
    }
    if (st != AS_OK)
        return as_fail(err, errlen, AS_EINPUT,
                       "the journal in %s was written by another version of ampsweep (%s): run "
                       "without --resume",
                       spec->out_dir, why);
    for (size_t job = 0; st == AS_OK && job < jobs_count(R->J); job++) {
        size_t len = 0;
        const void *data = journal_find(R->journal, R->J->keys[job], &len);
        if (!data)
            continue;
        st = jobs_take(R->J, job, data, len, why, sizeof why);
        R->replayed[job] = 1;
        ++*n_replayed;
    }
    if (st != AS_OK)
        return as_fail(err, errlen, st, "%s/%s: a record cannot be read (%s): run without --resume",
                       spec->out_dir, JOURNAL_FILE, why);
    return AS_OK;
}

static enum as_status run_pool(struct run *R, char *err, size_t errlen)
{
    const struct sweep_spec *spec = R->J->spec;
    struct pool_opts po = {.workers = spec->jobs ? spec->jobs : pool_cores(),
                           .recycle = spec->recycle ? spec->recycle : SWEEP_DEFAULT_RECYCLE,
                           .timeout_s =
                               spec->timeout_s > 0 ? spec->timeout_s : SWEEP_DEFAULT_TIMEOUT_S,
                           .work = job_work,
                           .worker_exit = job_worker_exit,
                           .done = job_done,
                           .skip = job_skip,
                           .ctx = R,
                           .progress = spec->quiet ? NULL : R->diag,
                           .what = "jobs (amp x load)",
                           .stop = spec->stop};
    enum as_status st = pool_run(&po, jobs_count(R->J), err, errlen);
    if (st == AS_EINTR)
        as_fail(err, errlen, st,
                "interrupted; %s jobs are kept in %s/%s: run the same command with "
                "--resume to go on",
                R->journal_st == AS_OK ? "the finished" : "only some finished", spec->out_dir,
                JOURNAL_FILE);
    return st;
}

enum as_status jobrun_run(struct jobs *J, struct journal *journal, FILE *diag, int *journal_ok,
                          char *err, size_t errlen)
{
    const struct sweep_spec *spec = J->spec;
    struct run R = {.J = J, .journal = journal, .diag = diag};
    size_t n_jobs = jobs_count(J), n_replayed = 0;
    enum as_status st = jobs_make_keys(J, err, errlen);
    if (st == AS_OK && !(R.replayed = calloc(n_jobs + 1, 1)))
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    if (st == AS_OK)
        st = replay(&R, &n_replayed, err, errlen);
    if (st == AS_OK && spec->resume)
        fprintf(diag, "ampsweep: resuming: %zu of %zu jobs taken from %s/%s\n", n_replayed, n_jobs,
                spec->out_dir, JOURNAL_FILE);
    if (st == AS_OK)
        st = run_pool(&R, err, errlen);
    assert(!R.s); /* the parent never opens a simulator */
    *journal_ok = R.journal_st == AS_OK;
    free(R.replayed);
    return st;
}
