/* main: ampsweep's entry point. Wires the command line to the sweep and
 * check modules and turns their status into the exit status:
 * 0 all good, 2 bad input (options, netlists, load files), 1 internal. */
#include <stdio.h>

#include "check.h"
#include "cli.h"
#include "status.h"
#include "sweep.h"

static int exit_status(enum as_status st)
{
    if (st == AS_OK)
        return 0;
    return st == AS_EINPUT || st == AS_ESIM ? 2 : 1;
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
        st = check_run(&args.spec.netlists, args.spec.models_dir, stdout, stderr, err, sizeof err);
        if (st != AS_OK)
            fprintf(stderr, "ampsweep: %s\n", err);
    } else {
        st = sweep_run(&args.spec, stderr, err, sizeof err);
        if (st != AS_OK)
            fprintf(stderr, "ampsweep: %s\n", err);
        else
            fprintf(stderr, "ampsweep: results in %s/\n", args.spec.out_dir);
    }
    cli_free(&args);
    return exit_status(st);
}
