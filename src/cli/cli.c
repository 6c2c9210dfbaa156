/* cli: the command-line grammar of ampsweep, its help texts and defaults. */
#include "cli/cli.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/range.h"
#include "spice/netlist.h"

#ifndef AMPSWEEP_MODELS_DIR
#define AMPSWEEP_MODELS_DIR "models"
#endif

void cli_help(FILE *fp, enum cli_command which)
{
    if (which == CLI_SWEEP) {
        fputs("usage: ampsweep sweep [options] NETLIST|FOLDER...\n"
              "\n"
              "Simulate every amp netlist (a folder means every *.cir below it) into every\n"
              "load at every frequency and write the results into the output folder.\n"
              "\n"
              "  --out DIR          output folder (default " CLI_DEFAULT_OUT ")\n"
              "  --loads SPEC       resistive loads in ohms: START:STOP:COUNT log-spaced, or a\n"
              "                     list like 4,8,32,300,600 (default " CLI_DEFAULT_LOADS
              " when no\n"
              "                     --loads or --load-file is given)\n"
              "  --load-file FILE   a two-terminal load subcircuit file (speaker, headphone);\n"
              "                     repeatable; see docs/netlists.md\n"
              "  --load-model NAME  a load file (models/loads/NAME.lib, or a path) scaled to\n"
              "                     each impedance of --loads instead of resistors; repeatable\n"
              "  --freqs SPEC       frequencies in Hz, same forms (default " CLI_DEFAULT_FREQS ")\n"
              "  --analyses LIST    analyses to run, comma-separated: fr (small-signal),\n"
              "                     large (clipping, power, dissipation); default fr,large\n"
              "  --tran-freqs LIST  large-signal frequencies in Hz (default " CLI_DEFAULT_TRAN_FREQS
              ")\n"
              "  --thd-limit PCT    THD that defines clipping, up to 30 (default 1, as AES17)\n"
              "  --ambient C        ambient temperature for junction temperatures (default 25)\n"
              "  --profile P        use profile: speaker, headphone or auto (default auto:\n"
              "                     loads of 16 ohm and below are speakers; load files say)\n"
              "  --speaker-sensitivity DB   dB SPL at 1 W, 1 m (default 87)\n"
              "  --distance M       speaker listening distance in m (default 2)\n"
              "  --speaker-spl DB   peak SPL wanted at the listener (default 100)\n"
              "  --headphone-sensitivity DB dB SPL at 1 mW (default 100)\n"
              "  --headphone-spl DB peak SPL wanted from headphones (default 115)\n"
              "  --max-dev-db DB    allowed peak-to-peak response deviation (default 1)\n"
              "  --jobs N           worker processes (default: one per core)\n"
              "  --recycle K        replace a worker after K jobs (default 50)\n"
              "  --timeout S        give up on one amp x load job after S seconds (default 900)\n"
              "  --quiet            no progress lines\n"
              "  --resume           take the jobs an interrupted sweep into the same --out\n"
              "                     finished from its journal, and run only the rest\n"
              "  --shard I/N        run only the I-th of N equal parts of the jobs, keeping\n"
              "                     them for 'ampsweep merge' (docs/scaling.md)\n"
              "  --models DIR       folder searched for .include/.lib files after the\n"
              "                     netlist's own folder (default the project's models/)\n"
              "  --no-plot          write the result files only: no figures, no report\n"
              "  -h, --help         this help\n"
              "\n"
              "Writes DIR/fr.csv, power.csv, dissipation.csv, verdict.csv and summary.json\n"
              "(every column defined in docs/metrics.md), then, as 'ampsweep plot DIR' does,\n"
              "DIR/plots/ and DIR/report.html.\n"
              "Exit status: 0 all good, 2 bad input (the other netlists' results are still\n"
              "written), 1 internal failure.\n",
              fp);
    } else if (which == CLI_CHECK) {
        fputs("usage: ampsweep check [--models DIR] NETLIST|FOLDER...\n"
              "\n"
              "Validate each amp netlist's metadata and nodes, solve its operating point, and\n"
              "print supply currents, quiescent power, output offset and |Zout| at 1 kHz.\n"
              "\n"
              "  --models DIR       folder searched for .include/.lib files\n"
              "  -h, --help         this help\n"
              "\n"
              "Exit status: 0 all good, 2 bad input (message with file and line), 1 internal\n"
              "failure.\n",
              fp);
    } else if (which == CLI_MERGE) {
        fputs("usage: ampsweep merge OUT DIR...\n"
              "\n"
              "Put together a sweep run as shards ('ampsweep sweep --shard I/N --out DIR ...',\n"
              "one per machine, all with the same other arguments in the same folder): the\n"
              "shards' finished jobs go into OUT, and the sweep's files, figures and report are\n"
              "written there as one run would write them. See docs/scaling.md.\n"
              "\n"
              "Exit status: as for sweep.\n",
              fp);
    } else if (which == CLI_PLOT) {
        fputs("usage: ampsweep plot DIR\n"
              "\n"
              "Read the results folder DIR (written by ampsweep sweep) and write the figures\n"
              "into DIR/plots/ (a gnuplot script per figure, drawn to PNG and SVG; re-render\n"
              "one with 'gnuplot DIR/plots/NAME.gp') and the report DIR/report.html.\n"
              "\n"
              "  -h, --help         this help\n"
              "\n"
              "Exit status: 0 all good, 2 DIR is not a readable results folder, 1 gnuplot or\n"
              "writing failed (the report is still written, naming what is missing).\n",
              fp);
    } else {
        fputs("usage: ampsweep COMMAND [options] ...\n"
              "\n"
              "Simulate headphone and power amplifier netlists with ngspice into loads from\n"
              "4 to 600 ohm and report where each one fails.\n"
              "\n"
              "Commands:\n"
              "  sweep    run the sweep and write result files (ampsweep sweep --help)\n"
              "  check    validate netlists and print their operating point\n"
              "  plot     figures and report.html of a results folder (ampsweep plot --help)\n"
              "  merge    put together a sweep run as shards (ampsweep merge --help)\n"
              "  help     this text, or 'ampsweep help COMMAND'\n"
              "\n"
              "Exit status: 0 all good, 2 bad input, 1 internal failure.\n",
              fp);
    }
}

static enum as_status parse_analyses(const char *text, unsigned *out, char *err, size_t errlen)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    *out = 0;
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "fr") == 0)
            *out |= SWEEP_FR;
        else if (strcmp(t, "large") == 0)
            *out |= SWEEP_LARGE;
        else
            return as_fail(err, errlen, AS_EINPUT,
                           "--analyses: unknown analysis '%s' (known: fr, large)", t);
    }
    if (!*out)
        return as_fail(err, errlen, AS_EINPUT, "--analyses: empty list");
    return AS_OK;
}

/* A number option within [lo, hi] (open at an end marked by *_open). */
static enum as_status parse_num(const char *text, const char *opt, double lo, int lo_open,
                                double hi, double *out, char *err, size_t errlen)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v) || v < lo || (lo_open && v == lo) || v > hi)
        return as_fail(err, errlen, AS_EINPUT, "%s: '%s' is not a number in %c%g, %g]", opt, text,
                       lo_open ? '(' : '[', lo, hi);
    *out = v;
    return AS_OK;
}

static enum as_status parse_profile(const char *text, enum verdict_profile *out, char *err,
                                    size_t errlen)
{
    int p = verdict_profile_parse(text);
    if (p < 0)
        return as_fail(err, errlen, AS_EINPUT, "--profile: '%s' is not speaker, headphone or auto",
                       text);
    *out = (enum verdict_profile)p;
    return AS_OK;
}

/* ampsweep plot [-h] DIR */
static enum as_status parse_plot(int argc, char **argv, struct cli_args *out, char *err,
                                 size_t errlen)
{
    out->command = CLI_PLOT;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            out->command = CLI_HELP;
            out->help_for = CLI_PLOT;
            return AS_OK;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return as_fail(err, errlen, AS_EINPUT,
                           "plot: unknown option '%s' (try ampsweep plot --help)", argv[i]);
        if (out->plot_dir)
            return as_fail(err, errlen, AS_EINPUT, "plot: one results folder, not '%s' too",
                           argv[i]);
        out->plot_dir = argv[i];
    }
    if (!out->plot_dir || !*out->plot_dir)
        return as_fail(err, errlen, AS_EINPUT,
                       "plot: no results folder given (try ampsweep plot --help)");
    return AS_OK;
}

/* ampsweep merge [-h] OUT DIR... */
static enum as_status parse_merge(int argc, char **argv, struct cli_args *out, char *err,
                                  size_t errlen)
{
    out->command = CLI_MERGE;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            out->command = CLI_HELP;
            out->help_for = CLI_MERGE;
            return AS_OK;
        }
        if (argv[i][0] == '-')
            return as_fail(err, errlen, AS_EINPUT,
                           "merge: unknown option '%s' (try ampsweep merge --help)", argv[i]);
    }
    if (argc < 4)
        return as_fail(err, errlen, AS_EINPUT,
                       "merge: give the output folder and the shards' folders (try ampsweep "
                       "merge --help)");
    out->merge_out = argv[2];
    out->merge_dirs = argv + 3;
    out->n_merge_dirs = (size_t)(argc - 3);
    return AS_OK;
}

/* --shard I/N: 1 <= I <= N. */
static enum as_status parse_shard(const char *text, unsigned *i, unsigned *n, char *err,
                                  size_t errlen)
{
    char tail;
    if (sscanf(text, "%u/%u%c", i, n, &tail) != 2 || *n < 1 || *i < 1 || *i > *n)
        return as_fail(err, errlen, AS_EINPUT, "--shard: '%s' is not I/N with 1 <= I <= N", text);
    return AS_OK;
}

enum as_status cli_parse(int argc, char **argv, struct cli_args *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->spec.out_dir = CLI_DEFAULT_OUT;
    out->spec.models_dir = AMPSWEEP_MODELS_DIR;
    out->spec.analyses = SWEEP_FR | SWEEP_LARGE;
    out->spec.thd_limit_pct = CLI_DEFAULT_THD_LIMIT_PCT;
    out->spec.ambient_c = CLI_DEFAULT_AMBIENT_C;
    out->spec.verdict = (struct verdict_settings){.profile = VERDICT_AUTO,
                                                  .spk_sens_db = VERDICT_SPK_SENS_DB,
                                                  .spk_distance_m = VERDICT_SPK_DISTANCE_M,
                                                  .spk_target_db = VERDICT_SPK_TARGET_DB,
                                                  .hp_sens_db = VERDICT_HP_SENS_DB,
                                                  .hp_target_db = VERDICT_HP_TARGET_DB,
                                                  .max_dev_db = VERDICT_MAX_DEV_DB};
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        out->command = CLI_HELP;
        return argc < 2 ? as_fail(err, errlen, AS_EINPUT, "no command given") : AS_OK;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0) {
        out->command = CLI_HELP;
        if (argc > 2 && strcmp(argv[2], "sweep") == 0)
            out->help_for = CLI_SWEEP;
        else if (argc > 2 && strcmp(argv[2], "check") == 0)
            out->help_for = CLI_CHECK;
        else if (argc > 2 && strcmp(argv[2], "plot") == 0)
            out->help_for = CLI_PLOT;
        else if (argc > 2 && strcmp(argv[2], "merge") == 0)
            out->help_for = CLI_MERGE;
        return AS_OK;
    }
    if (strcmp(cmd, "plot") == 0)
        return parse_plot(argc, argv, out, err, errlen);
    if (strcmp(cmd, "merge") == 0)
        return parse_merge(argc, argv, out, err, errlen);
    if (strcmp(cmd, "sweep") == 0)
        out->command = CLI_SWEEP;
    else if (strcmp(cmd, "check") == 0)
        out->command = CLI_CHECK;
    else
        return as_fail(err, errlen, AS_EINPUT, "unknown command '%s' (try ampsweep --help)", cmd);

    enum {
        OPT_OUT = 256,
        OPT_LOADS,
        OPT_LOAD_FILE,
        OPT_LOAD_MODEL,
        OPT_FREQS,
        OPT_ANALYSES,
        OPT_MODELS,
        OPT_TRAN_FREQS,
        OPT_THD_LIMIT,
        OPT_AMBIENT,
        OPT_PROFILE,
        OPT_SPK_SENS,
        OPT_DISTANCE,
        OPT_SPK_SPL,
        OPT_HP_SENS,
        OPT_HP_SPL,
        OPT_MAX_DEV,
        OPT_JOBS,
        OPT_RECYCLE,
        OPT_TIMEOUT,
        OPT_QUIET,
        OPT_NO_PLOT,
        OPT_RESUME,
        OPT_SHARD
    };
    static const struct option sweep_opts[] = {
        {"out", required_argument, NULL, OPT_OUT},
        {"loads", required_argument, NULL, OPT_LOADS},
        {"load-file", required_argument, NULL, OPT_LOAD_FILE},
        {"load-model", required_argument, NULL, OPT_LOAD_MODEL},
        {"freqs", required_argument, NULL, OPT_FREQS},
        {"analyses", required_argument, NULL, OPT_ANALYSES},
        {"models", required_argument, NULL, OPT_MODELS},
        {"tran-freqs", required_argument, NULL, OPT_TRAN_FREQS},
        {"thd-limit", required_argument, NULL, OPT_THD_LIMIT},
        {"ambient", required_argument, NULL, OPT_AMBIENT},
        {"profile", required_argument, NULL, OPT_PROFILE},
        {"speaker-sensitivity", required_argument, NULL, OPT_SPK_SENS},
        {"distance", required_argument, NULL, OPT_DISTANCE},
        {"speaker-spl", required_argument, NULL, OPT_SPK_SPL},
        {"headphone-sensitivity", required_argument, NULL, OPT_HP_SENS},
        {"headphone-spl", required_argument, NULL, OPT_HP_SPL},
        {"max-dev-db", required_argument, NULL, OPT_MAX_DEV},
        {"no-plot", no_argument, NULL, OPT_NO_PLOT},
        {"jobs", required_argument, NULL, OPT_JOBS},
        {"recycle", required_argument, NULL, OPT_RECYCLE},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"quiet", no_argument, NULL, OPT_QUIET},
        {"resume", no_argument, NULL, OPT_RESUME},
        {"shard", required_argument, NULL, OPT_SHARD},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const struct option check_opts[] = {
        {"models", required_argument, NULL, OPT_MODELS},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *loads = NULL, *freqs = CLI_DEFAULT_FREQS, *tran_freqs = CLI_DEFAULT_TRAN_FREQS;
    struct verdict_settings *vs = &out->spec.verdict;
    double num = 0;
    enum as_status st = AS_OK;
    optind = 1;
    opterr = 0;
    int c;
    int sub_argc = argc - 1;
    char **sub_argv = argv + 1;
    const struct option *opts = out->command == CLI_SWEEP ? sweep_opts : check_opts;
    while (st == AS_OK && (c = getopt_long(sub_argc, sub_argv, "+:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            out->help_for = out->command;
            out->command = CLI_HELP;
            return AS_OK;
        case OPT_OUT:
            out->spec.out_dir = optarg;
            break;
        case OPT_LOADS:
            loads = optarg;
            break;
        case OPT_LOAD_FILE:
            st = strv_push(&out->spec.load_files, optarg);
            break;
        case OPT_LOAD_MODEL:
            st = strv_push(&out->spec.load_models, optarg);
            break;
        case OPT_FREQS:
            freqs = optarg;
            break;
        case OPT_ANALYSES:
            st = parse_analyses(optarg, &out->spec.analyses, err, errlen);
            break;
        case OPT_MODELS:
            out->spec.models_dir = optarg;
            break;
        case OPT_TRAN_FREQS:
            tran_freqs = optarg;
            break;
        case OPT_THD_LIMIT:
            /* a clipped sine's THD (harmonics 2..10) never exceeds about 43 % */
            st = parse_num(optarg, "--thd-limit", 0, 1, 30, &out->spec.thd_limit_pct, err, errlen);
            break;
        case OPT_AMBIENT:
            st = parse_num(optarg, "--ambient", -55, 0, 150, &out->spec.ambient_c, err, errlen);
            break;
        case OPT_PROFILE:
            st = parse_profile(optarg, &vs->profile, err, errlen);
            break;
        case OPT_SPK_SENS:
            st = parse_num(optarg, "--speaker-sensitivity", 40, 0, 130, &vs->spk_sens_db, err,
                           errlen);
            break;
        case OPT_DISTANCE:
            st = parse_num(optarg, "--distance", 0, 1, 1000, &vs->spk_distance_m, err, errlen);
            break;
        case OPT_SPK_SPL:
            st = parse_num(optarg, "--speaker-spl", 0, 0, 160, &vs->spk_target_db, err, errlen);
            break;
        case OPT_HP_SENS:
            st = parse_num(optarg, "--headphone-sensitivity", 40, 0, 150, &vs->hp_sens_db, err,
                           errlen);
            break;
        case OPT_HP_SPL:
            st = parse_num(optarg, "--headphone-spl", 0, 0, 160, &vs->hp_target_db, err, errlen);
            break;
        case OPT_MAX_DEV:
            st = parse_num(optarg, "--max-dev-db", 0, 1, 100, &vs->max_dev_db, err, errlen);
            break;
        case OPT_JOBS:
            st = parse_num(optarg, "--jobs", 1, 0, 1024, &num, err, errlen);
            if (st == AS_OK && num != (unsigned)num)
                st = as_fail(err, errlen, AS_EINPUT, "--jobs: '%s' is not a whole number", optarg);
            out->spec.jobs = (unsigned)num;
            break;
        case OPT_RECYCLE:
            st = parse_num(optarg, "--recycle", 1, 0, 1e9, &num, err, errlen);
            if (st == AS_OK && num != (unsigned)num)
                st = as_fail(err, errlen, AS_EINPUT, "--recycle: '%s' is not a whole number",
                             optarg);
            out->spec.recycle = (unsigned)num;
            break;
        case OPT_TIMEOUT:
            st = parse_num(optarg, "--timeout", 0, 1, 1e7, &out->spec.timeout_s, err, errlen);
            break;
        case OPT_QUIET:
            out->spec.quiet = 1;
            break;
        case OPT_RESUME:
            out->spec.resume = 1;
            break;
        case OPT_SHARD:
            st = parse_shard(optarg, &out->spec.shard_i, &out->spec.shard_n, err, errlen);
            break;
        case OPT_NO_PLOT:
            out->no_plot = 1;
            break;
        case ':':
            return as_fail(err, errlen, AS_EINPUT, "%s: option '%s' needs a value", cmd,
                           sub_argv[optind - 1]);
        default:
            return as_fail(err, errlen, AS_EINPUT,
                           "%s: unknown option '%s' (try ampsweep %s --help)", cmd,
                           sub_argv[optind - 1], cmd);
        }
    }
    if (st != AS_OK)
        return st;
    if (optind >= sub_argc)
        return as_fail(err, errlen, AS_EINPUT, "%s: no netlist given (try ampsweep %s --help)", cmd,
                       cmd);
    if (!*out->spec.out_dir)
        return as_fail(err, errlen, AS_EINPUT, "--out: empty folder name");
    if (!loads && (out->spec.load_files.len == 0 || out->spec.load_models.len))
        loads = CLI_DEFAULT_LOADS;
    if (out->command == CLI_SWEEP && loads)
        st = range_parse(loads, "--loads", &out->spec.loads_ohm, err, errlen);
    if (st == AS_OK && out->command == CLI_SWEEP)
        st = range_parse(freqs, "--freqs", &out->spec.freqs_hz, err, errlen);
    if (st == AS_OK && out->command == CLI_SWEEP)
        st = range_parse(tran_freqs, "--tran-freqs", &out->spec.tran_freqs_hz, err, errlen);
    if (st == AS_OK)
        st = netlist_collect(sub_argv + optind, (size_t)(sub_argc - optind), &out->spec.netlists,
                             err, errlen);
    if (st == AS_OK && out->spec.netlists.len == 0)
        st = as_fail(err, errlen, AS_EINPUT, "%s: the folders given hold no *.cir netlist", cmd);
    return st;
}

void cli_free(struct cli_args *a)
{
    if (!a)
        return;
    sweep_spec_free(&a->spec);
}
