/* main: ampsweep's entry point. Wires the command line to the sweep, check
 * and plot/report modules and turns their status into the exit status:
 * 0 all good, 2 bad input (options, netlists, load files), 130 interrupted,
 * 1 internal. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/status.h"
#include "cli/cli.h"
#include "cli/importcmd.h"
#include "cli/stop.h"
#include "report/plot.h"
#include "report/report.h"
#include "results/results.h"
#include "results/schema.h"
#include "run/check.h"
#include "run/merge.h"
#include "run/sweep.h"

static int exit_status(enum as_status st)
{
    if (st == AS_OK)
        return 0;
    if (st == AS_EINTR)
        return 130; /* as a shell reports a command ended by SIGINT */
    return st == AS_EINPUT || st == AS_ESIM ? 2 : 1;
}

/* Figures and report of the results folder dir. The report is written even
 * when gnuplot fails (it names the figures missing). */
static enum as_status plot_and_report(const char *dir, char *err, size_t errlen)
{
    struct results *r = NULL;
    struct plot_set *figs = NULL;
    char msg[2048] = "";
    enum as_status st = results_read(dir, &r, err, errlen);
    if (st == AS_OK)
        st = plot_write(r, dir, &figs, err, errlen);
    if (st == AS_OK)
        st = plot_render(dir, figs, stderr, err, errlen);
    if (r) {
        enum as_status rst = report_write(r, dir, figs, msg, sizeof msg);
        if (rst != AS_OK && st == AS_OK)
            st = as_fail(err, errlen, rst, "%s", msg);
        else if (rst != AS_OK)
            fprintf(stderr, "ampsweep: error: %s\n", msg);
        else
            fprintf(stderr, "ampsweep: report in %s/report.html\n", dir);
    }
    plot_set_free(figs);
    results_free(r);
    return st;
}

/* summary.json is the last file a sweep writes, always by a rename: a new
 * inode or time means this sweep wrote its results. */
static void stamp(const char *dir, struct stat *sb)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, RESULTS_SUMMARY_FILE);
    if (stat(path, sb) != 0)
        *sb = (struct stat){0};
}

static int results_replaced(const struct stat *before, const struct stat *after)
{
    return after->st_ino != 0 &&
           (after->st_ino != before->st_ino || after->st_mtim.tv_sec != before->st_mtim.tv_sec ||
            after->st_mtim.tv_nsec != before->st_mtim.tv_nsec);
}

/* The sweep, then its figures and report unless --no-plot. */
static enum as_status sweep_and_plot(struct cli_args *args, char *err, size_t errlen)
{
    struct stat before, after;
    stamp(args->spec.out_dir, &before);
    stop_catch();
    args->spec.stop = stop_flag();
    enum as_status st = sweep_run(&args->spec, stderr, err, errlen);
    stop_release();
    if (st != AS_OK)
        fprintf(stderr, "ampsweep: %s\n", err);
    else if (!args->spec.shard_n)
        fprintf(stderr, "ampsweep: results in %s/\n", args->spec.out_dir);
    stamp(args->spec.out_dir, &after);
    if (!args->no_plot && results_replaced(&before, &after)) {
        char perr[2048];
        enum as_status pst = plot_and_report(args->spec.out_dir, perr, sizeof perr);
        if (pst != AS_OK) {
            fprintf(stderr, "ampsweep: plot: %s (the result files in %s/ are complete)\n", perr,
                    args->spec.out_dir);
            /* the sweep's own failure decides the exit status first */
            st = st == AS_OK ? (pst == AS_EINPUT ? AS_EIO : pst) : st;
        }
    }
    return st;
}

/* ampsweep merge OUT DIR...: the shards' sweep, run again in OUT from their
 * journals, in the folder the shards ran in. */
static enum as_status merge(const struct cli_args *m, char *err, size_t errlen)
{
    struct strv shard_args = {0}, argv2 = {0};
    struct cli_args args;
    char *cwd = NULL, abs_out[PATH_MAX];
    int parsed = 0;
    enum as_status st = mkdir(m->merge_out, 0777) == 0 || errno == EEXIST
                            ? AS_OK
                            : as_fail(err, errlen, AS_EINPUT, "%s: cannot create: %s", m->merge_out,
                                      strerror(errno));
    /* absolute: the sweep runs in the shards' working folder */
    if (st == AS_OK && !realpath(m->merge_out, abs_out))
        st = as_fail(err, errlen, AS_EINPUT, "%s: %s", m->merge_out, strerror(errno));
    if (st == AS_OK)
        st = merge_prepare(abs_out, m->merge_dirs, m->n_merge_dirs, cli_shard_args, &shard_args,
                           &cwd, err, errlen);
    if (st == AS_OK && cli_merged_sweep(abs_out, &shard_args, &argv2) != AS_OK)
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    if (st == AS_OK && chdir(cwd) != 0)
        st = as_fail(err, errlen, AS_EINPUT, "%s: the shards' working folder: %s", cwd,
                     strerror(errno));
    if (st == AS_OK) {
        st = cli_parse((int)argv2.len, argv2.items, &args, err, errlen);
        parsed = 1;
    }
    if (st == AS_OK)
        st = sweep_and_plot(&args, err, errlen);
    else
        fprintf(stderr, "ampsweep: merge: %s\n", err);
    if (parsed)
        cli_free(&args);
    strv_free(&shard_args);
    strv_free(&argv2);
    free(cwd);
    return st;
}

/* A shard records how it was run (argv[0..argc), after "sweep"), for the
 * merge. */
static enum as_status save_shard_args(const char *dir, int argc, char **argv, char *err,
                                      size_t errlen)
{
    struct strv rec = {0};
    enum as_status st = cli_shard_args((size_t)argc, argv, &rec, err, errlen);
    if (st == AS_OK)
        st = merge_save_args(dir, &rec, err, errlen);
    strv_free(&rec);
    return st;
}

int main(int argc, char **argv)
{
    struct cli_args args;
    char err[2048] = "";
    enum as_status st = cli_parse(argc, argv, &args, err, sizeof err);
    if (st != AS_OK) {
        fprintf(stderr, "ampsweep: %s\n", err);
        if (args.command == CLI_HELP)
            cli_help(stderr, CLI_HELP);
    } else if (args.command == CLI_HELP) {
        cli_help(stdout, args.help_for);
    } else if (args.command == CLI_CHECK) {
        struct spfile_places places = sweep_spec_places(&args.spec);
        st = check_run(&args.spec.netlists, &places, stdout, stderr, err, sizeof err);
        if (st != AS_OK)
            fprintf(stderr, "ampsweep: %s\n", err);
    } else if (args.command == CLI_PLOT) {
        st = plot_and_report(args.plot_dir, err, sizeof err);
        if (st != AS_OK)
            fprintf(stderr, "ampsweep: plot: %s\n", err);
    } else if (args.command == CLI_MERGE) {
        st = merge(&args, err, sizeof err);
    } else if (args.command == CLI_IMPORT) {
        st = importcmd_run(&args, stdout, stderr, err, sizeof err);
        if (st != AS_OK)
            fprintf(stderr, "ampsweep: import: %s\n", err);
    } else {
        st = sweep_and_plot(&args, err, sizeof err);
        char serr[1024];
        if (args.spec.shard_n &&
            save_shard_args(args.spec.out_dir, argc - 2, argv + 2, serr, sizeof serr) != AS_OK) {
            fprintf(stderr, "ampsweep: %s\n", serr);
            st = st == AS_OK ? AS_EIO : st;
        }
    }
    cli_free(&args);
    return exit_status(st);
}
