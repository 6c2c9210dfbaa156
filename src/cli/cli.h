/* cli: parse ampsweep's command line into a command and its spec. Every
 * option value is checked here, so a typo fails before any simulation.
 *
 * One table in cli.c lists every option: its spelling, value, help line,
 * limits and default. The parser, the help texts, the defaults and the
 * arguments a shard records for 'ampsweep merge' are all read from it.
 */
#ifndef AMPSWEEP_CLI_H
#define AMPSWEEP_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "base/strv.h"
#include "run/sweep.h"

enum cli_command { CLI_HELP, CLI_SWEEP, CLI_CHECK, CLI_PLOT, CLI_MERGE, CLI_IMPORT };

/* Defaults (the issue that defines the sweep fixes them; see README). */
#define CLI_DEFAULT_LOADS "4:600:24"
#define CLI_DEFAULT_FREQS "20:20000:31"
#define CLI_DEFAULT_OUT "results"
#define CLI_DEFAULT_TRAN_FREQS "20,1000,20000"
#define CLI_DEFAULT_ANALYSES "fr,large"
#define CLI_DEFAULT_PROFILE "auto"
#define CLI_DEFAULT_THD_LIMIT_PCT 1.0
#define CLI_DEFAULT_AMBIENT_C 25.0

struct cli_args {
    enum cli_command command;
    enum cli_command help_for; /* CLI_HELP: which command's help; CLI_HELP for the overview */
    struct sweep_spec spec;    /* CLI_SWEEP; for CLI_CHECK only netlists and models_dir */
    int no_plot;               /* CLI_SWEEP: --no-plot, no figures or report after the sweep */
    const char *plot_dir;      /* CLI_PLOT: the results folder (borrowed from argv) */
    const char *merge_out;     /* CLI_MERGE: the folder to write (borrowed from argv) */
    char *const *merge_dirs;   /* CLI_MERGE: the shards' folders (borrowed from argv) */
    size_t n_merge_dirs;
    /* CLI_IMPORT (borrowed from argv; NULL when not given) */
    const char *import_file, *import_in, *import_out, *import_name, *import_kind,
        *import_output;
};

/* Parse argv. On error err holds the message (AS_EINPUT). Free with cli_free
 * whatever the result. getopt_long's globals are reset on each call. */
enum as_status cli_parse(int argc, char **argv, struct cli_args *out, char *err, size_t errlen);

/* Print the help for a command (CLI_HELP: the overview). */
void cli_help(FILE *fp, enum cli_command which);

void cli_free(struct cli_args *a);

/* What a shard records for the merge, from the sweep's arguments
 * args[0..n) (everything after "sweep"): every option but --out and
 * --shard, each in its full spelling with its value, then "--" and the
 * netlists. Appended to out (the caller's). Also reads what older shards
 * recorded (their own command line as typed), so it is the merge's filter
 * (merge_args_filter). */
enum as_status cli_shard_args(size_t n, char *const *args, struct strv *out, char *err,
                              size_t errlen);

/* The command line of the merged sweep into out (the caller's): "ampsweep
 * sweep", the output folder out_dir, resuming, then shard_args (as
 * cli_shard_args wrote them). */
enum as_status cli_merged_sweep(const char *out_dir, const struct strv *shard_args,
                                struct strv *out);

#endif
