/* sweep: the main job, orchestrated. Probes the output folder, builds the
 * load list (run/loads.c), reads every netlist, runs the jobs in forked
 * worker processes through the journal (run/jobrun.c, run/pool.c: the parent
 * never simulates), then gathers, judges and writes the result files
 * (run/gather.c). A netlist that fails is reported and skipped, never
 * costing the others' results.
 */
#include "run/sweep.h"

#include <stdlib.h>
#include <string.h>

#include "run/gather.h"
#include "run/jobrun.h"
#include "run/jobs.h"
#include "run/journal.h"
#include "run/loads.h"
#include "run/outdir.h"
#include "spice/netlist.h"

/* One sweep as it goes. */
struct sweep {
    const struct sweep_spec *spec;
    FILE *diag;
    struct loads loads;
    struct jobs jobs;
    struct journal *journal;
    struct gather g;
    enum as_status worst; /* the first failure's code, for the exit status */
    size_t n_bad, n_done, n_points_bad;
    int journal_ok;
};

/* Report a failure and keep the first one's code. */
static void note_failure(struct sweep *S, enum as_status st, const char *msg)
{
    fprintf(S->diag, "ampsweep: error: %s\n", msg);
    if (S->worst == AS_OK)
        S->worst = st;
}

/* A netlist that failed as a whole: reported, and listed in summary.json. */
static void amp_failed(struct sweep *S, enum as_status st, const char *path, const char *msg,
                       char *err, size_t errlen)
{
    S->n_bad++;
    note_failure(S, st, msg);
    if (gather_failed(&S->g, path, msg) != AS_OK)
        S->worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
}

/* Read netlist path into the jobs; an amp's name must be its own. */
static enum as_status read_amp(struct sweep *S, const char *path, char *msg, size_t msglen)
{
    struct jobs *J = &S->jobs;
    struct netlist *amp = NULL;
    struct spfile_places places = sweep_spec_places(S->spec);
    enum as_status st = netlist_read(path, &places, &amp, msg, msglen);
    for (size_t j = 0; st == AS_OK && j < J->n_amps; j++)
        if (strcmp(J->amps[j].amp->name, amp->name) == 0)
            st = as_fail(msg, msglen, AS_EINPUT, "%s: amp name '%s' is already used by %s", path,
                         amp->name, J->amps[j].path);
    if (st == AS_OK)
        st = jobs_add_amp(J, &amp, path, msg, msglen);
    netlist_free(amp);
    return st;
}

/* Read every netlist first: a bad one is reported and left out. */
static enum as_status read_amps(struct sweep *S, char *err, size_t errlen)
{
    const struct sweep_spec *spec = S->spec;
    enum as_status st =
        jobs_init(&S->jobs, spec, S->loads.items, S->loads.n, spec->netlists.len, err, errlen);
    for (size_t i = 0; st == AS_OK && i < spec->netlists.len; i++) {
        char msg[2048];
        enum as_status one = read_amp(S, spec->netlists.items[i], msg, sizeof msg);
        if (one != AS_OK)
            amp_failed(S, one, spec->netlists.items[i], msg, err, errlen);
    }
    return st;
}

/* Gather every measured amp, in the order read; report the failed ones. */
static void gather_all(struct sweep *S, char *err, size_t errlen)
{
    const struct jobs *J = &S->jobs;
    for (size_t i = 0; i < J->n_amps; i++) {
        const struct jobs_amp *a = &J->amps[i];
        char msg[2048];
        enum as_status st = a->st;
        if (st == AS_OK)
            st = gather_amp(&S->g, J, a, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "%s", a->error);
        if (st == AS_OK) {
            S->n_done++;
            fprintf(S->diag, "ampsweep: [%zu/%zu] %s: done\n", i + 1, J->n_amps, a->amp->name);
        } else {
            amp_failed(S, st, a->path, msg, err, errlen);
        }
    }
}

/* A point that could not be measured is a failure the exit status shows. */
static void report_points(struct sweep *S)
{
    for (size_t i = 0; i < S->g.large.len; i++) {
        const struct large_row *r = &S->g.large.rows[i];
        if (r->limit != LARGE_FAILED)
            continue;
        char msg[2048];
        S->n_points_bad++;
        snprintf(msg, sizeof msg, "%s into %s (%g ohm) at %g Hz: %s", r->amp, r->load, r->load_ohm,
                 r->freq_hz, r->error);
        note_failure(S, AS_ESIM, msg);
    }
}

/* Write the files; then the one-line summary of how it went into err. */
static void write_and_sum_up(struct sweep *S, char *err, size_t errlen)
{
    const struct sweep_spec *spec = S->spec;
    char msg[2048];
    enum as_status st = gather_write(&S->g, spec, msg, sizeof msg);
    if (st != AS_OK) {
        size_t used = strlen(msg);
        if (S->journal_ok)
            snprintf(msg + used, sizeof msg - used,
                     ". The finished jobs are kept in %s/%s: make room and run the same command "
                     "with --resume to write the results without simulating again",
                     spec->out_dir, JOURNAL_FILE);
        else
            snprintf(msg + used, sizeof msg - used,
                     ". The journal could not be kept either: the sweep must run again");
        if (S->worst == AS_OK) /* main prints msg, as the last word */
            S->worst = st;
    }
    if (S->worst != AS_OK && S->n_bad && st == AS_OK)
        as_fail(err, errlen, S->worst,
                "%zu of %zu netlists failed; results of the other %zu written", S->n_bad,
                spec->netlists.len, S->n_done);
    else if (S->worst != AS_OK && S->n_points_bad && st == AS_OK)
        as_fail(err, errlen, S->worst,
                "%zu of %zu large-signal points could not be measured (listed in summary.json); "
                "everything else is written",
                S->n_points_bad, S->g.large.len);
    else if (S->worst != AS_OK && S->loads.failed.len && st == AS_OK)
        as_fail(err, errlen, S->worst,
                "%zu impedance curve%s could not be loaded (the error above names it); the other "
                "loads' results are written",
                S->loads.failed.len, S->loads.failed.len == 1 ? "" : "s");
    else if (S->worst != AS_OK)
        as_fail(err, errlen, S->worst, "%s", msg);
}

enum as_status sweep_run(const struct sweep_spec *spec, FILE *diag, char *err, size_t errlen)
{
    struct sweep S = {.spec = spec, .diag = diag, .journal_ok = 1};
    /* a load is an option: without it the sweep is not what was asked */
    enum as_status st = outdir_probe(spec->out_dir, err, errlen);
    if (st == AS_OK)
        st = loads_build(spec, diag, &S.loads, err, errlen);
    for (size_t i = 0; st == AS_OK && i < S.loads.failed.len; i++)
        note_failure(&S, AS_EINPUT, S.loads.failed.items[i]);
    if (st == AS_OK)
        st = read_amps(&S, err, errlen);
    if (st == AS_OK)
        st = journal_open(spec->out_dir, spec->resume, &S.journal, err, errlen);
    if (st == AS_OK && S.jobs.n_amps)
        st = jobrun_run(&S.jobs, S.journal, diag, &S.journal_ok, err, errlen);
    if (st != AS_OK) {
        S.worst = st;
    } else if (spec->shard_n) {
        /* a shard's results are its journal; the files come from the merge */
        fprintf(diag,
                "ampsweep: shard %u/%u done: its jobs are in %s/%s; put the shards together "
                "with 'ampsweep merge OUT DIR...'\n",
                spec->shard_i, spec->shard_n, spec->out_dir, JOURNAL_FILE);
        if (S.loads.failed.len)
            as_fail(err, errlen, S.worst, "%s", S.loads.failed.items[0]);
    } else {
        gather_all(&S, err, errlen);
        report_points(&S);
        write_and_sum_up(&S, err, errlen);
    }
    jobs_free(&S.jobs);
    journal_free(S.journal);
    loads_free(&S.loads);
    gather_free(&S.g);
    return S.worst;
}

struct spfile_places sweep_spec_places(const struct sweep_spec *spec)
{
    return (struct spfile_places){.models_dir = spec->models_dir, .dirs = &spec->include_dirs};
}

void sweep_spec_free(struct sweep_spec *spec)
{
    if (!spec)
        return;
    strv_free(&spec->include_dirs);
    range_free(&spec->loads_ohm);
    range_free(&spec->freqs_hz);
    range_free(&spec->tran_freqs_hz);
    strv_free(&spec->load_files);
    strv_free(&spec->load_models);
    strv_free(&spec->netlists);
}
