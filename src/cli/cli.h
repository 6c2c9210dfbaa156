/* cli: parse ampsweep's command line into a command and its spec. Every
 * option value is checked here, so a typo fails before any simulation. */
#ifndef AMPSWEEP_CLI_H
#define AMPSWEEP_CLI_H

#include <stdio.h>

#include "base/status.h"
#include "base/strv.h"
#include "run/sweep.h"

enum cli_command { CLI_HELP, CLI_SWEEP, CLI_CHECK, CLI_PLOT, CLI_MERGE };

/* Defaults (the issue that defines the sweep fixes them; see README). */
#define CLI_DEFAULT_LOADS "4:600:24"
#define CLI_DEFAULT_FREQS "20:20000:31"
#define CLI_DEFAULT_OUT "results"
#define CLI_DEFAULT_TRAN_FREQS "20,1000,20000"
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
};

/* Parse argv. On error err holds the message (AS_EINPUT). Free with cli_free
 * whatever the result. */
enum as_status cli_parse(int argc, char **argv, struct cli_args *out, char *err, size_t errlen);

/* Print the help for a command (CLI_HELP: the overview). */
void cli_help(FILE *fp, enum cli_command which);

void cli_free(struct cli_args *a);

#endif
