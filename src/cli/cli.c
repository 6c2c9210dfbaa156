/* cli: the command-line grammar of ampsweep, its help texts and defaults.
 *
 * Everything about an option is one row of the table `options`: its
 * spelling, whether it takes a value, the commands that take it, its help
 * line, its limits and its default. getopt_long's array, each command's
 * --help, the defaults a spec starts from and what a shard records for the
 * merge are all built from that table, so they cannot disagree.
 */
#include "cli/cli.h"

#include <assert.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/range.h"
#include "cli/paths.h"
#include "spice/netlist.h"

/* getopt_long's val of each option; 'h' doubles as the short -h. */
enum opt_id {
    OPT_HELP = 'h',
    OPT_OUTPUT = 'o',
    OPT_OUT = 256,
    OPT_LOADS,
    OPT_LOAD_FILE,
    OPT_LOAD_MODEL,
    OPT_INCLUDE_DIR,
    OPT_FREQS,
    OPT_ANALYSES,
    OPT_TRAN_FREQS,
    OPT_THD_LIMIT,
    OPT_AMBIENT,
    OPT_PROFILE,
    OPT_SPK_SENS,
    OPT_SPK_SENS_2V83,
    OPT_PAIR_GAIN,
    OPT_ROOM_GAIN,
    OPT_HP_SENS_V,
    OPT_DISTANCE,
    OPT_SPK_SPL,
    OPT_HP_SENS,
    OPT_HP_SPL,
    OPT_MAX_DEV,
    OPT_JOBS,
    OPT_RECYCLE,
    OPT_TIMEOUT,
    OPT_QUIET,
    OPT_RESUME,
    OPT_SHARD,
    OPT_MODELS,
    OPT_NO_PLOT,
    OPT_IN_NODE,
    OPT_OUT_NODE,
    OPT_NAME,
    OPT_KIND,
};

/* How an option's value is read, and into what (see the *_field functions). */
enum opt_kind {
    KIND_FLAG,  /* no value: sets an int */
    KIND_TEXT,  /* a string, kept as given (borrowed from argv) */
    KIND_LIST,  /* a string pushed onto a strv: the option repeats */
    KIND_NUM,   /* a number within [lo, hi], (lo, hi] when lo_open */
    KIND_COUNT, /* a whole number within [lo, hi] */
    KIND_OWN,   /* its own parser (parse_own) */
    KIND_HELP,  /* -h, --help */
};

#define FOR_SWEEP (1u << CLI_SWEEP)
#define FOR_CHECK (1u << CLI_CHECK)
#define FOR_IMPORT (1u << CLI_IMPORT)
#define FOR_ALL (FOR_SWEEP | FOR_CHECK | (1u << CLI_PLOT) | (1u << CLI_MERGE) | FOR_IMPORT)
#define NUM_DEFAULT(x) .def_num = (x), .has_def_num = 1
#define NO_DEFAULT .def_text = NULL

struct cli_option {
    const char *name; /* spelled --name */
    int has_arg;      /* no_argument or required_argument */
    enum opt_id id;
    unsigned commands; /* FOR_* bits: the commands that take it */
    enum opt_kind kind;
    const char *metavar; /* the value in the help; NULL for a flag */
    /* The help, one line per '\n' (indented when printed); {default} is
     * replaced by the default, {max} by hi, {extra} by extra. */
    const char *help;
    const char *def_text;        /* the default of a TEXT or OWN option; NULL: none */
    const char *(*def_fn)(void); /* instead, a default known only at run time */
    double def_num;              /* the default of a NUM or COUNT option, when has_def_num */
    int has_def_num;
    double lo, hi; /* NUM, COUNT: the values allowed */
    int lo_open;
    double extra; /* a number the help names */
    /* how this machine runs the sweep, not what it computes: a shard does
     * not record it, so shards may differ in it (cli_shard_args) */
    int per_machine;
};

/* In the order of the help. */
static const struct cli_option options[] = {
    {"out", required_argument, OPT_OUT, FOR_SWEEP, KIND_TEXT, "DIR",
     "output folder (default {default})", .def_text = CLI_DEFAULT_OUT},
    {"loads", required_argument, OPT_LOADS, FOR_SWEEP, KIND_TEXT, "SPEC",
     "resistive loads in ohms: START:STOP:COUNT log-spaced, or a\n"
     "list like 4,8,32,300,600 (default {default} when no\n"
     "--loads or --load-file is given)",
     .def_text = CLI_DEFAULT_LOADS},
    {"load-file", required_argument, OPT_LOAD_FILE, FOR_SWEEP, KIND_LIST, "FILE",
     "a two-terminal load subcircuit file (speaker, headphone),\n"
     "or a measured impedance curve (.zma, .txt, .csv: frequency,\n"
     "|Z|, phase) fitted to one and written as OUT/NAME.lib;\n"
     "repeatable; see docs/netlists.md and docs/loads.md",
     NO_DEFAULT},
    {"load-model", required_argument, OPT_LOAD_MODEL, FOR_SWEEP, KIND_LIST, "NAME",
     "a load file (models/loads/NAME.lib, or a path) scaled to\n"
     "each impedance of --loads instead of resistors; repeatable",
     NO_DEFAULT},
    {"freqs", required_argument, OPT_FREQS, FOR_SWEEP, KIND_TEXT, "SPEC",
     "frequencies in Hz, same forms (default {default})", .def_text = CLI_DEFAULT_FREQS},
    {"analyses", required_argument, OPT_ANALYSES, FOR_SWEEP, KIND_OWN, "LIST",
     "analyses to run, comma-separated: fr (small-signal),\n"
     "large (clipping, power, dissipation); default {default}",
     .def_text = CLI_DEFAULT_ANALYSES},
    {"tran-freqs", required_argument, OPT_TRAN_FREQS, FOR_SWEEP, KIND_TEXT, "LIST",
     "large-signal frequencies in Hz (default {default})", .def_text = CLI_DEFAULT_TRAN_FREQS},
    /* a clipped sine's THD (harmonics 2..10) never exceeds about 43 % */
    {"thd-limit", required_argument, OPT_THD_LIMIT, FOR_SWEEP, KIND_NUM, "PCT",
     "THD that defines clipping, up to {max} (default {default}, as AES17)",
     NUM_DEFAULT(CLI_DEFAULT_THD_LIMIT_PCT), .lo = 0, .lo_open = 1, .hi = 30},
    {"ambient", required_argument, OPT_AMBIENT, FOR_SWEEP, KIND_NUM, "C",
     "ambient temperature for junction temperatures (default {default})",
     NUM_DEFAULT(CLI_DEFAULT_AMBIENT_C), .lo = -55, .hi = 150},
    {"profile", required_argument, OPT_PROFILE, FOR_SWEEP, KIND_OWN, "P",
     "use profile: speaker, headphone or auto (default {default}:\n"
     "load files say; resistors up to {extra} ohm are speakers,\n"
     "from twice that headphones, and both in between)",
     .def_text = CLI_DEFAULT_PROFILE, .extra = VERDICT_RESISTOR_SPEAKER_MAX_OHM},
    {"speaker-sensitivity", required_argument, OPT_SPK_SENS, FOR_SWEEP, KIND_NUM, "DB",
     "dB SPL at 1 W, 1 m (default {default})", NUM_DEFAULT(VERDICT_SPK_SENS_DB), .lo = 40,
     .hi = 130},
    {"speaker-sensitivity-2v83", required_argument, OPT_SPK_SENS_2V83, FOR_SWEEP, KIND_NUM, "DB",
     "dB SPL at 2.83 V, 1 m, instead (2 W into 4 ohm)", NUM_DEFAULT(NAN), .lo = 40, .hi = 130},
    {"distance", required_argument, OPT_DISTANCE, FOR_SWEEP, KIND_NUM, "M",
     "speaker listening distance in m (default {default})", NUM_DEFAULT(VERDICT_SPK_DISTANCE_M),
     .lo = 0, .lo_open = 1, .hi = 1000},
    {"stereo-gain", required_argument, OPT_PAIR_GAIN, FOR_SWEEP, KIND_NUM, "DB",
     "a pair of speakers over one (default {default}; 0 for one)",
     NUM_DEFAULT(VERDICT_SPK_PAIR_GAIN_DB), .lo = 0, .hi = 20},
    {"room-gain", required_argument, OPT_ROOM_GAIN, FOR_SWEEP, KIND_NUM, "DB",
     "the room over free field at the seat (default {default})",
     NUM_DEFAULT(VERDICT_SPK_ROOM_GAIN_DB), .lo = -20, .hi = 20},
    {"speaker-spl", required_argument, OPT_SPK_SPL, FOR_SWEEP, KIND_NUM, "DB",
     "peak SPL wanted at the seat (default {default}: loud)", NUM_DEFAULT(VERDICT_SPK_TARGET_DB),
     .lo = 0, .hi = 160},
    {"headphone-sensitivity", required_argument, OPT_HP_SENS, FOR_SWEEP, KIND_NUM, "DB",
     "dB SPL at 1 mW (default {default})", NUM_DEFAULT(VERDICT_HP_SENS_DB), .lo = 40, .hi = 150},
    {"headphone-sensitivity-v", required_argument, OPT_HP_SENS_V, FOR_SWEEP, KIND_NUM, "DB",
     "dB SPL at 1 Vrms, instead", NUM_DEFAULT(NAN), .lo = 40, .hi = 160},
    {"headphone-spl", required_argument, OPT_HP_SPL, FOR_SWEEP, KIND_NUM, "DB",
     "peak SPL wanted at the ear (default {default}: loud)", NUM_DEFAULT(VERDICT_HP_TARGET_DB),
     .lo = 0, .hi = 160},
    {"max-dev-db", required_argument, OPT_MAX_DEV, FOR_SWEEP, KIND_NUM, "DB",
     "allowed peak-to-peak response deviation (default {default})", NUM_DEFAULT(VERDICT_MAX_DEV_DB),
     .lo = 0, .lo_open = 1, .hi = 100},
    {"jobs", required_argument, OPT_JOBS, FOR_SWEEP, KIND_COUNT, "N",
     "worker processes (default: one per core)", .lo = 1, .hi = 1024, .per_machine = 1},
    {"recycle", required_argument, OPT_RECYCLE, FOR_SWEEP, KIND_COUNT, "K",
     "replace a worker after K jobs (default {default})", NUM_DEFAULT(SWEEP_DEFAULT_RECYCLE),
     .lo = 1, .hi = 1e9, .per_machine = 1},
    {"timeout", required_argument, OPT_TIMEOUT, FOR_SWEEP, KIND_NUM, "S",
     "give up on one amp x load job after S seconds (default {default})",
     NUM_DEFAULT(SWEEP_DEFAULT_TIMEOUT_S), .lo = 0, .lo_open = 1, .hi = 1e7, .per_machine = 1},
    {"quiet", no_argument, OPT_QUIET, FOR_SWEEP, KIND_FLAG, NULL, "no progress lines", NO_DEFAULT,
     .per_machine = 1},
    {"resume", no_argument, OPT_RESUME, FOR_SWEEP, KIND_FLAG, NULL,
     "take the jobs an interrupted sweep into the same --out\n"
     "finished from its journal, and run only the rest",
     NO_DEFAULT, .per_machine = 1},
    {"shard", required_argument, OPT_SHARD, FOR_SWEEP, KIND_OWN, "I/N",
     "run only the I-th of N equal parts of the jobs, keeping\n"
     "them for 'ampsweep merge' (docs/scaling.md)",
     NO_DEFAULT},
    {"models", required_argument, OPT_MODELS, FOR_SWEEP | FOR_CHECK | FOR_IMPORT, KIND_TEXT, "DIR",
     "folder searched for .include/.lib files after the\n"
     "netlist's own folder (default {default})",
     .def_fn = paths_models_dir},
    {"include-dir", required_argument, OPT_INCLUDE_DIR, FOR_SWEEP | FOR_CHECK | FOR_IMPORT,
     KIND_LIST, "DIR",
     "a further folder .include/.lib files may come from (with\n"
     "the netlist's own and --models); repeatable. Nothing\n"
     "outside these folders is ever read (docs/security.md)",
     NO_DEFAULT},
    {"no-plot", no_argument, OPT_NO_PLOT, FOR_SWEEP, KIND_FLAG, NULL,
     "write the result files only: no figures, no report", NO_DEFAULT, .per_machine = 1},
    {"in-node", required_argument, OPT_IN_NODE, FOR_IMPORT, KIND_TEXT, "NODE",
     "the deck's input node (default: the node its SIN, PULSE or\n"
     "AC source drives, behind the generator's resistor)",
     NO_DEFAULT},
    {"out-node", required_argument, OPT_OUT_NODE, FOR_IMPORT, KIND_TEXT, "NODE",
     "the deck's output node (default: where its own load sits)", NO_DEFAULT},
    {"name", required_argument, OPT_NAME, FOR_IMPORT, KIND_TEXT, "NAME",
     "the amp's name (default: the file's name)", NO_DEFAULT},
    {"kind", required_argument, OPT_KIND, FOR_IMPORT, KIND_TEXT, "KIND",
     "headphone or power (default: power when the deck's own\n"
     "load is 16 ohm or less or a subcircuit not named like a\n"
     "headphone, else headphone)",
     NO_DEFAULT},
    {"output", required_argument, OPT_OUTPUT, FOR_IMPORT, KIND_TEXT, "FILE",
     "write the netlist there and check it (default: stdout);\n"
     "a relative .include found beside the deck is rewritten\n"
     "to name the same file from there (outside FILE's folder:\n"
     "give --include-dir the deck's folder)",
     NO_DEFAULT},
    {"help", no_argument, OPT_HELP, FOR_ALL, KIND_HELP, NULL, "this help", NO_DEFAULT},
};
#define N_OPTIONS (sizeof options / sizeof *options)

/* The commands, in the order of the overview. */
struct cli_cmd {
    const char *name;
    enum cli_command id;
    const char *summary; /* its line in the overview */
    /* getopt_long's optstring: "+" stops at the first operand (a sweep's
     * netlists may not be options); plot and merge take -h anywhere */
    const char *optstring;
    const char *usage, *intro, *outro;
};

static const struct cli_cmd commands[] = {
    {"sweep", CLI_SWEEP, "run the sweep and write result files (ampsweep sweep --help)", "+:h",
     "usage: ampsweep sweep [options] NETLIST|FOLDER...",
     "Simulate every amp netlist (a folder means every *.cir below it) into every\n"
     "load at every frequency and write the results into the output folder.",
     "Writes DIR/fr.csv, power.csv, dissipation.csv, verdict.csv and summary.json\n"
     "(every column defined in docs/metrics.md), then, as 'ampsweep plot DIR' does,\n"
     "DIR/plots/ and DIR/report.html.\n"
     "Exit status: 0 all good, 2 bad input (the other netlists' results are still\n"
     "written), 1 internal failure."},
    {"check", CLI_CHECK, "validate netlists and print their operating point", "+:h",
     "usage: ampsweep check [--models DIR] NETLIST|FOLDER...",
     "Validate each amp netlist's metadata and nodes, solve its operating point, and\n"
     "print supply currents, quiescent power, output offset and |Zout| at 1 kHz.",
     "Exit status: 0 all good, 2 bad input (message with file and line), 1 internal\n"
     "failure."},
    {"plot", CLI_PLOT, "figures and report.html of a results folder (ampsweep plot --help)", ":h",
     "usage: ampsweep plot DIR",
     "Read the results folder DIR (written by ampsweep sweep) and write the figures\n"
     "into DIR/plots/ (a gnuplot script per figure, drawn to PNG and SVG; re-render\n"
     "one with 'gnuplot DIR/plots/NAME.gp') and the report DIR/report.html.",
     "Exit status: 0 all good, 2 DIR is not a readable results folder, 1 gnuplot or\n"
     "writing failed (the report is still written, naming what is missing)."},
    {"merge", CLI_MERGE, "put together a sweep run as shards (ampsweep merge --help)", ":h",
     "usage: ampsweep merge OUT DIR...",
     "Put together a sweep run as shards ('ampsweep sweep --shard I/N --out DIR ...',\n"
     "one per machine, all with the same other arguments in the same folder): the\n"
     "shards' finished jobs go into OUT, and the sweep's files, figures and report are\n"
     "written there as one run would write them. See docs/scaling.md.",
     "Exit status: as for sweep."},
    {"import", CLI_IMPORT, "turn a SPICE deck into an amp netlist (ampsweep import --help)",
     ":ho:", "usage: ampsweep import [options] DECK",
     "Rewrite a SPICE deck as people have it (an ngspice example, a KiCad export, an\n"
     "LTspice or PSpice netlist) into an amp netlist (docs/netlists.md): its input\n"
     "source, the generator's resistor, its load, its analyses, outputs and\n"
     ".control blocks are removed (read as text, never run), the input and output\n"
     "nodes are renamed in and out, its DC sources become '*@ supply' lines, the AC\n"
     "values of the sources it keeps are set to 0, and LTspice or PSpice syntax is\n"
     "left to ngspice's compatibility mode ('*@ compat'). Every change is listed at\n"
     "the top of the new netlist and on stderr.",
     "Exit status: 0 the netlist is written (and with -o passes 'ampsweep check'), 2\n"
     "the deck cannot be imported (the message names the line, or the candidates\n"
     "for the input or output and the option that chooses), 1 internal failure."},
    {"help", CLI_HELP, "this text, or 'ampsweep help COMMAND'", "",
     "usage: ampsweep COMMAND [options] ...",
     "Simulate headphone and power amplifier netlists with ngspice into loads from\n"
     "4 to 600 ohm and report where each one fails.",
     "Exit status: 0 all good, 2 bad input, 1 internal failure."},
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

static const struct cli_cmd *command_named(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static const struct cli_cmd *command_of(enum cli_command id)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (commands[i].id == id)
            return &commands[i];
    assert(!"every command has a row");
    return NULL;
}

static const struct cli_option *option_of(int id)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if ((int)options[i].id == id)
            return &options[i];
    return NULL;
}

/* ---- help ---- */

/* The option's default as the help shows it; "" for none. */
static void default_text(const struct cli_option *o, char *buf, size_t len)
{
    if (o->def_fn)
        snprintf(buf, len, "%s", o->def_fn());
    else if (o->def_text)
        snprintf(buf, len, "%s", o->def_text);
    else if (o->has_def_num)
        snprintf(buf, len, "%g", o->def_num);
    else
        snprintf(buf, len, "%s", "");
}

/* o's help with {default}, {max} and {extra} filled in. */
static void help_text(const struct cli_option *o, char *buf, size_t len)
{
    char def[256], max[32], extra[32];
    default_text(o, def, sizeof def);
    snprintf(max, sizeof max, "%g", o->hi);
    snprintf(extra, sizeof extra, "%g", o->extra);
    static const char *const keys[] = {"{default}", "{max}", "{extra}"};
    const char *vals[] = {def, max, extra};
    size_t n = 0;
    for (const char *p = o->help; *p && n + 1 < len;) {
        size_t k = 0;
        while (k < 3 && strncmp(p, keys[k], strlen(keys[k])) != 0)
            k++;
        if (k < 3) {
            n += (size_t)snprintf(buf + n, len - n, "%s", vals[k]);
            p += strlen(keys[k]);
        } else {
            buf[n++] = *p++;
        }
    }
    buf[n < len ? n : len - 1] = '\0';
}

/* "  --name METAVAR" then the help from column 21 (29 for a long name),
 * every further line indented to 21. */
static void help_option(FILE *fp, const struct cli_option *o)
{
    char head[64], text[1024];
    if (o->id < 256)
        snprintf(head, sizeof head, "  -%c, --%s%s%s", (int)o->id, o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
    else
        snprintf(head, sizeof head, "  --%s%s%s", o->name, o->metavar ? " " : "",
                 o->metavar ? o->metavar : "");
    size_t w = strlen(head), col = w <= 20 ? 21 : 29;
    fprintf(fp, "%s%*s", head, (int)(w + 1 > col ? 1 : col - w), "");
    help_text(o, text, sizeof text);
    for (const char *p = text; *p; p++) {
        fputc(*p, fp);
        if (*p == '\n')
            fprintf(fp, "%21s", "");
    }
    fputc('\n', fp);
}

void cli_help(FILE *fp, enum cli_command which)
{
    const struct cli_cmd *c = command_of(which);
    fprintf(fp, "%s\n\n%s\n\n", c->usage, c->intro);
    if (which == CLI_HELP) {
        fputs("Commands:\n", fp);
        for (size_t i = 0; i < N_COMMANDS; i++)
            fprintf(fp, "  %-8s %s\n", commands[i].name, commands[i].summary);
        fputc('\n', fp);
    } else {
        for (size_t i = 0; i < N_OPTIONS; i++)
            if (options[i].commands & (1u << which))
                help_option(fp, &options[i]);
        fputc('\n', fp);
    }
    fprintf(fp, "%s\n", c->outro);
}

/* ---- parsing ---- */

/* One parse: what the options fill, and the texts of the ranges, which are
 * parsed once every option is read. */
struct parse_state {
    struct cli_args *out;
    const struct cli_cmd *cmd;
    const char *loads, *freqs, *tran_freqs; /* borrowed from argv or the table */
};

/* getopt_long's array for the commands in bits: the table's rows, then zeros. */
static void long_options(unsigned bits, struct option lo[N_OPTIONS + 1])
{
    size_t n = 0;
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].commands & bits)
            lo[n++] = (struct option){options[i].name, options[i].has_arg, NULL, options[i].id};
    lo[n] = (struct option){NULL, 0, NULL, 0};
}

/* Where each option's value goes, by kind. The table's kind of an option
 * and these switches agree (an invariant: test_cli parses every option). */
static const char **text_field(struct parse_state *ps, enum opt_id id)
{
    switch (id) {
    case OPT_OUT:
        return &ps->out->spec.out_dir;
    case OPT_LOADS:
        return &ps->loads;
    case OPT_FREQS:
        return &ps->freqs;
    case OPT_TRAN_FREQS:
        return &ps->tran_freqs;
    case OPT_MODELS:
        return &ps->out->spec.models_dir;
    case OPT_IN_NODE:
        return &ps->out->import_in;
    case OPT_OUT_NODE:
        return &ps->out->import_out;
    case OPT_NAME:
        return &ps->out->import_name;
    case OPT_KIND:
        return &ps->out->import_kind;
    case OPT_OUTPUT:
        return &ps->out->import_output;
    default:
        assert(!"a text option without a field");
        return NULL;
    }
}

static struct strv *list_field(struct parse_state *ps, enum opt_id id)
{
    assert(id == OPT_LOAD_FILE || id == OPT_LOAD_MODEL || id == OPT_INCLUDE_DIR);
    struct sweep_spec *s = &ps->out->spec;
    return id == OPT_LOAD_FILE    ? &s->load_files
           : id == OPT_LOAD_MODEL ? &s->load_models
                                  : &s->include_dirs;
}

static double *num_field(struct parse_state *ps, enum opt_id id)
{
    struct sweep_spec *s = &ps->out->spec;
    switch (id) {
    case OPT_THD_LIMIT:
        return &s->thd_limit_pct;
    case OPT_AMBIENT:
        return &s->ambient_c;
    case OPT_SPK_SENS:
        return &s->verdict.spk_sens_db;
    case OPT_DISTANCE:
        return &s->verdict.spk_distance_m;
    case OPT_SPK_SPL:
        return &s->verdict.spk_target_db;
    case OPT_HP_SENS:
        return &s->verdict.hp_sens_db;
    case OPT_HP_SENS_V:
        return &s->verdict.hp_sens_v_db;
    case OPT_SPK_SENS_2V83:
        return &s->verdict.spk_sens_2v83_db;
    case OPT_PAIR_GAIN:
        return &s->verdict.spk_pair_gain_db;
    case OPT_ROOM_GAIN:
        return &s->verdict.spk_room_gain_db;
    case OPT_HP_SPL:
        return &s->verdict.hp_target_db;
    case OPT_MAX_DEV:
        return &s->verdict.max_dev_db;
    case OPT_TIMEOUT:
        return &s->timeout_s;
    default:
        assert(!"a number option without a field");
        return NULL;
    }
}

static unsigned *count_field(struct parse_state *ps, enum opt_id id)
{
    assert(id == OPT_JOBS || id == OPT_RECYCLE);
    return id == OPT_JOBS ? &ps->out->spec.jobs : &ps->out->spec.recycle;
}

static int *flag_field(struct parse_state *ps, enum opt_id id)
{
    switch (id) {
    case OPT_QUIET:
        return &ps->out->spec.quiet;
    case OPT_RESUME:
        return &ps->out->spec.resume;
    case OPT_NO_PLOT:
        return &ps->out->no_plot;
    default:
        assert(!"a flag without a field");
        return NULL;
    }
}

/* A number within the option's limits. */
static enum as_status parse_num(const char *text, const struct cli_option *o, double *out,
                                char *err, size_t errlen)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end || !isfinite(v) || v < o->lo || (o->lo_open && v == o->lo) || v > o->hi)
        return as_fail(err, errlen, AS_EINPUT, "--%s: '%s' is not a number in %c%g, %g]", o->name,
                       text, o->lo_open ? '(' : '[', o->lo, o->hi);
    *out = v;
    return AS_OK;
}

static enum as_status parse_count(const char *text, const struct cli_option *o, unsigned *out,
                                  char *err, size_t errlen)
{
    double v = 0;
    enum as_status st = parse_num(text, o, &v, err, errlen);
    if (st == AS_OK && v != (unsigned)v)
        st = as_fail(err, errlen, AS_EINPUT, "--%s: '%s' is not a whole number", o->name, text);
    if (st == AS_OK)
        *out = (unsigned)v;
    return st;
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

/* --shard I/N: 1 <= I <= N. */
static enum as_status parse_shard(const char *text, unsigned *i, unsigned *n, char *err,
                                  size_t errlen)
{
    char tail;
    if (sscanf(text, "%u/%u%c", i, n, &tail) != 2 || *n < 1 || *i < 1 || *i > *n)
        return as_fail(err, errlen, AS_EINPUT, "--shard: '%s' is not I/N with 1 <= I <= N", text);
    return AS_OK;
}

/* The value text of option o into its place. */
static enum as_status apply_option(struct parse_state *ps, const struct cli_option *o,
                                   const char *text, char *err, size_t errlen)
{
    struct sweep_spec *s = &ps->out->spec;
    switch (o->kind) {
    case KIND_FLAG:
        *flag_field(ps, o->id) = 1;
        return AS_OK;
    case KIND_TEXT:
        *text_field(ps, o->id) = text;
        return AS_OK;
    case KIND_LIST:
        return strv_push(list_field(ps, o->id), text) == AS_OK
                   ? AS_OK
                   : as_fail(err, errlen, AS_ENOMEM, "out of memory");
    case KIND_NUM:
        return parse_num(text, o, num_field(ps, o->id), err, errlen);
    case KIND_COUNT:
        return parse_count(text, o, count_field(ps, o->id), err, errlen);
    case KIND_OWN:
        if (o->id == OPT_ANALYSES)
            return parse_analyses(text, &s->analyses, err, errlen);
        if (o->id == OPT_PROFILE)
            return parse_profile(text, &s->verdict.profile, err, errlen);
        assert(o->id == OPT_SHARD);
        return parse_shard(text, &s->shard_i, &s->shard_n, err, errlen);
    case KIND_HELP:
        assert(!"help is read_options' business, it has no value");
        break;
    }
    return AS_OK;
}

/* Every option's default from the table. --loads is the exception: its
 * default depends on --load-file (finish_sweep). */
static enum as_status set_defaults(struct parse_state *ps, char *err, size_t errlen)
{
    enum as_status st = AS_OK;
    for (size_t i = 0; i < N_OPTIONS && st == AS_OK; i++) {
        const struct cli_option *o = &options[i];
        if (o->id == OPT_LOADS)
            continue;
        if (o->def_fn)
            st = apply_option(ps, o, o->def_fn(), err, errlen);
        else if (o->def_text)
            st = apply_option(ps, o, o->def_text, err, errlen);
        else if (o->has_def_num && o->kind == KIND_NUM)
            *num_field(ps, o->id) = o->def_num;
        else if (o->has_def_num && o->kind == KIND_COUNT)
            *count_field(ps, o->id) = (unsigned)o->def_num;
    }
    return st;
}

/* The names of the options of bits that start with prefix[0..n), ", "
 * between; how many there are. */
static size_t options_starting(unsigned bits, const char *prefix, size_t n, char *buf, size_t len)
{
    size_t count = 0, used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (!(options[i].commands & bits) || strncmp(options[i].name, prefix, n) != 0)
            continue;
        if (used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s--%s", count ? ", " : "",
                                     options[i].name);
        count++;
    }
    return count;
}

/* The message for what getopt_long refused (c is ':' or '?'); arg is the
 * word it stopped at. */
static enum as_status option_error(const struct cli_cmd *cmd, int c, const char *arg, char *err,
                                   size_t errlen)
{
    const char *name = cmd->name;
    const struct cli_option *o = optopt >= 256 ? option_of(optopt) : NULL;
    if (c == ':')
        return as_fail(err, errlen, AS_EINPUT, "%s: option '%s' needs a value", name, arg);
    if (o && o->has_arg == no_argument)
        return as_fail(err, errlen, AS_EINPUT, "%s: option '--%s' takes no value", name, o->name);
    if (optopt > 0 && optopt < 256)
        return as_fail(err, errlen, AS_EINPUT, "%s: unknown option '-%c' (try ampsweep %s --help)",
                       name, optopt, name);
    char names[512];
    if (strncmp(arg, "--", 2) == 0 &&
        options_starting(1u << cmd->id, arg + 2, strcspn(arg + 2, "="), names, sizeof names) > 1)
        return as_fail(err, errlen, AS_EINPUT, "%s: option '%s' is ambiguous (%s)", name, arg,
                       names);
    return as_fail(err, errlen, AS_EINPUT, "%s: unknown option '%s' (try ampsweep %s --help)", name,
                   arg, name);
}

/* The options of sub_argv (sub_argv[0] is the command); *first is the
 * index of the first operand. -h or --help turns the command into its help. */
static enum as_status read_options(struct parse_state *ps, int sub_argc, char **sub_argv,
                                   int *first, char *err, size_t errlen)
{
    struct option lo[N_OPTIONS + 1];
    long_options(1u << ps->cmd->id, lo);
    enum as_status st = AS_OK;
    int c;
    optind = 0; /* 0, not 1: glibc then also forgets the previous parse */
    opterr = 0;
    while (st == AS_OK &&
           (c = getopt_long(sub_argc, sub_argv, ps->cmd->optstring, lo, NULL)) != -1) {
        const struct cli_option *o = option_of(c);
        if (c == OPT_HELP) {
            ps->out->help_for = ps->out->command;
            ps->out->command = CLI_HELP;
            return AS_OK;
        }
        if (!o)
            return option_error(ps->cmd, c, sub_argv[optind - 1], err, errlen);
        st = apply_option(ps, o, optarg, err, errlen);
    }
    *first = optind;
    return st;
}

/* sweep and check: the ranges, then the netlists operands[0..n). */
static enum as_status finish_sweep(struct parse_state *ps, char *const *operands, size_t n,
                                   char *err, size_t errlen)
{
    struct sweep_spec *s = &ps->out->spec;
    const char *name = ps->cmd->name;
    int sweep = ps->out->command == CLI_SWEEP;
    enum as_status st = AS_OK;
    if (n == 0)
        return as_fail(err, errlen, AS_EINPUT, "%s: no netlist given (try ampsweep %s --help)",
                       name, name);
    if (!*s->out_dir)
        return as_fail(err, errlen, AS_EINPUT, "--out: empty folder name");
    /* load files alone replace the resistors; load models scale to them */
    if (!ps->loads && (s->load_files.len == 0 || s->load_models.len))
        ps->loads = option_of(OPT_LOADS)->def_text;
    if (sweep && ps->loads)
        st = range_parse(ps->loads, "--loads", &s->loads_ohm, err, errlen);
    if (st == AS_OK && sweep)
        st = range_parse(ps->freqs, "--freqs", &s->freqs_hz, err, errlen);
    if (st == AS_OK && sweep)
        st = range_parse(ps->tran_freqs, "--tran-freqs", &s->tran_freqs_hz, err, errlen);
    if (st == AS_OK)
        st = netlist_collect(operands, n, &s->netlists, err, errlen);
    if (st == AS_OK && s->netlists.len == 0)
        st = as_fail(err, errlen, AS_EINPUT, "%s: the folders given hold no *.cir netlist", name);
    return st;
}

/* plot DIR */
static enum as_status finish_plot(struct cli_args *out, char *const *operands, size_t n, char *err,
                                  size_t errlen)
{
    if (n > 1)
        return as_fail(err, errlen, AS_EINPUT, "plot: one results folder, not '%s' too",
                       operands[1]);
    if (n == 0 || !*operands[0])
        return as_fail(err, errlen, AS_EINPUT,
                       "plot: no results folder given (try ampsweep plot --help)");
    out->plot_dir = operands[0];
    return AS_OK;
}

/* merge OUT DIR... */
static enum as_status finish_merge(struct cli_args *out, char *const *operands, size_t n, char *err,
                                   size_t errlen)
{
    if (n < 2)
        return as_fail(err, errlen, AS_EINPUT,
                       "merge: give the output folder and the shards' folders (try ampsweep "
                       "merge --help)");
    out->merge_out = operands[0];
    out->merge_dirs = operands + 1;
    out->n_merge_dirs = n - 1;
    return AS_OK;
}

/* import DECK */
static enum as_status finish_import(struct cli_args *out, char *const *operands, size_t n,
                                    char *err, size_t errlen)
{
    if (n != 1 || !*operands[0])
        return as_fail(err, errlen, AS_EINPUT,
                       "import: give one deck to import (try ampsweep import --help)");
    const char *k = out->import_kind;
    if (k && strcmp(k, AS_AMP_HEADPHONE) != 0 && strcmp(k, AS_AMP_POWER) != 0)
        return as_fail(err, errlen, AS_EINPUT, "--kind: '%s' is not headphone or power", k);
    out->import_file = operands[0];
    return AS_OK;
}

/* help [COMMAND]: an unknown command gets the overview. */
static void parse_help(int argc, char **argv, struct cli_args *out)
{
    const struct cli_cmd *c = argc > 2 ? command_named(argv[2]) : NULL;
    out->command = CLI_HELP;
    out->help_for = c ? c->id : CLI_HELP;
}

enum as_status cli_parse(int argc, char **argv, struct cli_args *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct parse_state ps = {.out = out};
    enum as_status st = set_defaults(&ps, err, errlen);
    assert(st == AS_OK); /* the table's defaults parse */
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        out->command = CLI_HELP;
        return argc < 2 ? as_fail(err, errlen, AS_EINPUT, "no command given") : AS_OK;
    }
    ps.cmd = command_named(argv[1]);
    if (!ps.cmd)
        return as_fail(err, errlen, AS_EINPUT, "unknown command '%s' (try ampsweep --help)",
                       argv[1]);
    if (ps.cmd->id == CLI_HELP) {
        parse_help(argc, argv, out);
        return AS_OK;
    }
    out->command = ps.cmd->id;
    int first = 0;
    st = read_options(&ps, argc - 1, argv + 1, &first, err, errlen);
    if (st != AS_OK || out->command == CLI_HELP)
        return st;
    char *const *operands = argv + 1 + first;
    size_t n = (size_t)(argc - 1 - first);
    if (ps.cmd->id == CLI_PLOT)
        return finish_plot(out, operands, n, err, errlen);
    if (ps.cmd->id == CLI_MERGE)
        return finish_merge(out, operands, n, err, errlen);
    if (ps.cmd->id == CLI_IMPORT)
        return finish_import(out, operands, n, err, errlen);
    return finish_sweep(&ps, operands, n, err, errlen);
}

void cli_free(struct cli_args *a)
{
    if (!a)
        return;
    sweep_spec_free(&a->spec);
}

/* ---- shards and the merge ---- */

enum as_status cli_shard_args(size_t n, char *const *args, struct strv *out, char *err,
                              size_t errlen)
{
    const struct cli_cmd *cmd = command_of(CLI_SWEEP);
    struct option lo[N_OPTIONS + 1];
    char prog[] = "sweep";
    char **v = calloc(n + 2, sizeof *v);
    enum as_status st = v ? AS_OK : as_fail(err, errlen, AS_ENOMEM, "out of memory");
    int c;
    long_options(1u << CLI_SWEEP, lo);
    if (v) {
        v[0] = prog;
        memcpy(v + 1, args, n * sizeof *v);
    }
    optind = 0;
    opterr = 0;
    while (st == AS_OK && (c = getopt_long((int)n + 1, v, cmd->optstring, lo, NULL)) != -1) {
        const struct cli_option *o = option_of(c);
        if (!o)
            st = option_error(cmd, c, v[optind - 1], err, errlen);
        else if (o->id != OPT_OUT && o->id != OPT_SHARD && !o->per_machine &&
                 (strv_pushf(out, "--%s", o->name) ||
                  (o->has_arg == required_argument && strv_push(out, optarg))))
            st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    }
    /* "--": the netlists stay operands whatever their names */
    if (st == AS_OK && strv_push(out, "--"))
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    for (int i = optind; st == AS_OK && i < (int)n + 1; i++)
        if (strv_push(out, v[i]))
            st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    free(v);
    return st;
}

enum as_status cli_merged_sweep(const char *out_dir, const struct strv *shard_args,
                                struct strv *out)
{
    /* options first: the sweep takes options only before its first netlist */
    if (strv_push(out, "ampsweep") || strv_push(out, command_of(CLI_SWEEP)->name) ||
        strv_pushf(out, "--%s", option_of(OPT_OUT)->name) || strv_push(out, out_dir) ||
        strv_pushf(out, "--%s", option_of(OPT_RESUME)->name) || strv_extend(out, shard_args))
        return AS_ENOMEM;
    return AS_OK;
}
