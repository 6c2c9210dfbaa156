/* cli: option parsing, defaults and bad command-line values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static enum as_status parse(struct cli_args *a, char *err, size_t errlen, ...)
{
    char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, errlen);
    for (char *s = va_arg(ap, char *); s && argc < 31; s = va_arg(ap, char *))
        argv[argc++] = s;
    va_end(ap);
    argv[argc] = NULL;
    return cli_parse(argc, argv, a, err, errlen);
}

static void sweep_defaults_are_24_loads_31_frequencies_and_both_analyses(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "x.cir", NULL), AS_OK);
    assert_int_equal(a.command, CLI_SWEEP);
    assert_string_equal(a.spec.out_dir, "results");
    assert_int_equal(a.spec.loads_ohm.count, 24);
    assert_true(a.spec.loads_ohm.values[0] == 4.0 && a.spec.loads_ohm.values[23] == 600.0);
    assert_int_equal(a.spec.freqs_hz.count, 31);
    assert_int_equal(a.spec.analyses, SWEEP_FR | SWEEP_LARGE);
    assert_int_equal(a.spec.tran_freqs_hz.count, 3);
    assert_true(a.spec.tran_freqs_hz.values[0] == 20.0 &&
                a.spec.tran_freqs_hz.values[1] == 1000.0 &&
                a.spec.tran_freqs_hz.values[2] == 20000.0);
    assert_true(a.spec.thd_limit_pct == 1.0 && a.spec.ambient_c == 25.0);
    assert_int_equal(a.spec.verdict.profile, VERDICT_AUTO);
    assert_true(a.spec.verdict.spk_sens_db == 87.0 && a.spec.verdict.spk_distance_m == 2.0 &&
                a.spec.verdict.spk_target_db == 100.0);
    assert_true(a.spec.verdict.hp_sens_db == 100.0 && a.spec.verdict.hp_target_db == 110.0);
    assert_int_equal(a.spec.netlists.len, 1);
    cli_free(&a);
}

static void every_verdict_number_can_be_set_on_the_command_line(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "--profile", "speaker",
                           "--speaker-sensitivity", "90", "--distance", "3", "--speaker-spl", "105",
                           "--headphone-sensitivity", "95", "--headphone-spl", "110",
                           "--max-dev-db", "0.5", "--thd-limit", "0.1", "--ambient", "40",
                           "--tran-freqs", "50,5000", "--analyses", "large", "x.cir", NULL),
                     AS_OK);
    const struct verdict_settings *v = &a.spec.verdict;
    assert_int_equal(v->profile, VERDICT_SPEAKER);
    assert_true(v->spk_sens_db == 90 && v->spk_distance_m == 3 && v->spk_target_db == 105);
    assert_true(v->hp_sens_db == 95 && v->hp_target_db == 110 && v->max_dev_db == 0.5);
    assert_true(a.spec.thd_limit_pct == 0.1 && a.spec.ambient_c == 40);
    assert_int_equal(a.spec.tran_freqs_hz.count, 2);
    assert_int_equal(a.spec.analyses, SWEEP_LARGE);
    cli_free(&a);
}

static void a_load_file_alone_replaces_the_default_resistors(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "--load-file", "spk.lib",
                           "--out", "o", "x.cir", NULL),
                     AS_OK);
    assert_int_equal(a.spec.loads_ohm.count, 0);
    assert_int_equal(a.spec.load_files.len, 1);
    cli_free(&a);
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "--load-file", "spk.lib",
                           "--loads", "8,32", "x.cir", NULL),
                     AS_OK);
    assert_int_equal(a.spec.loads_ohm.count, 2);
    cli_free(&a);
}

static void bad_command_lines_are_input_errors(void **state)
{
    (void)state;
    struct {
        const char *args[6];
        const char *needle;
    } cases[] = {
        {{"sweep", "--loads", "0:600:5", "x.cir"}, "--loads"},
        {{"sweep", "--loads", "600:4:5", "x.cir"}, "reversed"},
        {{"sweep", "--freqs", "nan", "x.cir"}, "--freqs"},
        {{"sweep", "--loads", "4:600:-2", "x.cir"}, "COUNT"},
        {{"sweep", "--analyses", "noise", "x.cir"}, "unknown analysis 'noise'"},
        {{"sweep", "--bogus", "x.cir"}, "unknown option '--bogus'"},
        {{"sweep", "--out"}, "needs a value"},
        {{"sweep", "--out", "", "x.cir"}, "empty folder"},
        {{"sweep"}, "no netlist"},
        {{"frobnicate"}, "unknown command 'frobnicate'"},
        {{"check", "--loads", "8", "x.cir"}, "unknown option"},
        {{"sweep", "--thd-limit", "0", "x.cir"}, "--thd-limit: '0' is not a number in (0, 30]"},
        {{"sweep", "--distance", "2m", "x.cir"}, "--distance"},
        {{"sweep", "--profile", "car", "x.cir"}, "--profile: 'car'"},
        {{"sweep", "--tran-freqs", "-5", "x.cir"}, "--tran-freqs"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *argv[8] = {"ampsweep"};
        int argc = 1;
        for (int k = 0; cases[i].args[k]; k++)
            argv[argc++] = (char *)cases[i].args[k];
        struct cli_args a;
        char err[512] = "";
        enum as_status st = cli_parse(argc, argv, &a, err, sizeof err);
        if (st != AS_EINPUT || !strstr(err, cases[i].needle))
            fail_msg("case %zu: status %d, message '%s', wanted '%s'", i, st, err, cases[i].needle);
        cli_free(&a);
    }
}

static void help_is_a_command_not_an_error(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "--help", NULL), AS_OK);
    assert_int_equal(a.command, CLI_HELP);
    cli_free(&a);
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "--help", NULL), AS_OK);
    assert_int_equal(a.command, CLI_HELP);
    assert_int_equal(a.help_for, CLI_SWEEP);
    cli_free(&a);
}

/* Every option of the sweep with a value it accepts. The help must list
 * exactly these, so an option added to the table without a case here fails
 * the_sweep_help_lists_every_option_and_no_other. */
static const struct {
    const char *name, *value; /* value NULL: a flag */
} sweep_options[] = {
    {"out", "o"},
    {"loads", "8,32"},
    {"load-file", "s.lib"},
    {"load-model", "hd600"},
    {"include-dir", "/opt/spice-models"},
    {"freqs", "100"},
    {"analyses", "fr"},
    {"tran-freqs", "1000"},
    {"thd-limit", "3"},
    {"ambient", "40"},
    {"profile", "headphone"},
    {"speaker-sensitivity", "90"},
    {"speaker-sensitivity-2v83", "88"},
    {"distance", "3"},
    {"stereo-gain", "0"},
    {"room-gain", "4"},
    {"speaker-spl", "105"},
    {"headphone-sensitivity", "95"},
    {"headphone-sensitivity-v", "97"},
    {"headphone-spl", "110"},
    {"max-dev-db", "0.5"},
    {"jobs", "2"},
    {"recycle", "7"},
    {"timeout", "60"},
    {"quiet", NULL},
    {"resume", NULL},
    {"shard", "2/3"},
    {"models", "m"},
    {"no-plot", NULL},
};
#define N_SWEEP_OPTIONS (sizeof sweep_options / sizeof *sweep_options)

/* The help of a command as a malloc'd string. */
static char *help_of(enum cli_command c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    cli_help(fp, c);
    fclose(fp);
    return buf;
}

/* The help entry of --name in help: from its line to the next option's
 * (malloc'd; NULL when help lists no --name). */
static char *help_entry(const char *help, const char *name)
{
    char head[64];
    snprintf(head, sizeof head, "--%s ", name);
    const char *p = help;
    while ((p = strstr(p, head)) && !(p[-1] == ' ' && (p[-2] == ' ' || p[-2] == ',')))
        p++;
    if (!p)
        return NULL;
    const char *end = strstr(p, "\n  -");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *e = malloc(n + 1);
    memcpy(e, p, n);
    e[n] = '\0';
    /* the entry's lines joined, without the indentation */
    char *w = e;
    for (const char *r = e; *r; r++) {
        if (*r == '\n') {
            while (r[1] == ' ')
                r++;
            *w++ = ' ';
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return e;
}

static void every_sweep_option_parses_with_a_value_it_accepts(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_SWEEP_OPTIONS; i++) {
        char opt[64];
        snprintf(opt, sizeof opt, "--%s", sweep_options[i].name);
        char *argv[] = {"ampsweep", "sweep", opt, (char *)sweep_options[i].value, "x.cir", NULL};
        if (!sweep_options[i].value) {
            argv[3] = "x.cir";
            argv[4] = NULL;
        }
        struct cli_args a;
        char err[512] = "";
        enum as_status st = cli_parse(sweep_options[i].value ? 5 : 4, argv, &a, err, sizeof err);
        if (st != AS_OK || a.command != CLI_SWEEP)
            fail_msg("%s %s: status %d, '%s'", opt, sweep_options[i].value, st, err);
        cli_free(&a);
    }
}

static void every_option_lands_in_the_spec(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "--out", "o", "--loads",
                           "8,32", "--freqs", "100", "--jobs", "2", "--recycle", "7", "--timeout",
                           "60", "--quiet", "--resume", "--shard", "2/3", "--models", "m",
                           "--no-plot", "--load-model", "hd600", "x.cir", NULL),
                     AS_OK);
    assert_string_equal(a.spec.out_dir, "o");
    assert_int_equal(a.spec.loads_ohm.count, 2);
    assert_int_equal(a.spec.freqs_hz.count, 1);
    assert_int_equal(a.spec.jobs, 2);
    assert_int_equal(a.spec.recycle, 7);
    assert_true(a.spec.timeout_s == 60);
    assert_true(a.spec.quiet && a.spec.resume && a.no_plot);
    assert_int_equal(a.spec.shard_i, 2);
    assert_int_equal(a.spec.shard_n, 3);
    assert_string_equal(a.spec.models_dir, "m");
    assert_int_equal(a.spec.load_models.len, 1);
    cli_free(&a);
}

static void the_sweep_help_lists_every_option_and_no_other(void **state)
{
    (void)state;
    char *help = help_of(CLI_SWEEP);
    size_t listed = 0;
    for (const char *p = help; (p = strstr(p, "\n  --")); p++)
        listed++;
    assert_int_equal(listed, N_SWEEP_OPTIONS); /* and -h, --help */
    assert_non_null(strstr(help, "\n  -h, --help "));
    for (size_t i = 0; i < N_SWEEP_OPTIONS; i++) {
        char *e = help_entry(help, sweep_options[i].name);
        if (!e)
            fail_msg("the help lists no --%s", sweep_options[i].name);
        if (sweep_options[i].value && !strstr(e, " "))
            fail_msg("--%s: no value named in '%s'", sweep_options[i].name, e);
        free(e);
    }
    free(help);
}

/* The help entry of --name says "default TEXT". */
static void assert_help_default(const char *help, const char *name, const char *text)
{
    char *e = help_entry(help, name);
    char want[128];
    snprintf(want, sizeof want, "default %s", text);
    if (!e || !strstr(e, want))
        fail_msg("--%s: wanted '%s' in '%s'", name, want, e ? e : "(not listed)");
    free(e);
}

static void assert_help_default_num(const char *help, const char *name, double v)
{
    char text[64];
    snprintf(text, sizeof text, "%g", v);
    assert_help_default(help, name, text);
}

static void the_help_shows_the_defaults_the_parser_starts_from(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "sweep", "x.cir", NULL), AS_OK);
    const struct sweep_spec *s = &a.spec;
    assert_int_equal(s->recycle, SWEEP_DEFAULT_RECYCLE);
    assert_true(s->timeout_s == SWEEP_DEFAULT_TIMEOUT_S);
    assert_true(s->thd_limit_pct == CLI_DEFAULT_THD_LIMIT_PCT);
    assert_true(s->ambient_c == CLI_DEFAULT_AMBIENT_C);
    assert_true(s->verdict.max_dev_db == VERDICT_MAX_DEV_DB);
    assert_int_equal(s->jobs, 0); /* one per core */
    char *help = help_of(CLI_SWEEP);
    assert_help_default_num(help, "recycle", SWEEP_DEFAULT_RECYCLE);
    assert_help_default_num(help, "timeout", SWEEP_DEFAULT_TIMEOUT_S);
    assert_help_default_num(help, "thd-limit", CLI_DEFAULT_THD_LIMIT_PCT);
    assert_help_default_num(help, "ambient", CLI_DEFAULT_AMBIENT_C);
    assert_help_default_num(help, "speaker-sensitivity", VERDICT_SPK_SENS_DB);
    assert_help_default_num(help, "distance", VERDICT_SPK_DISTANCE_M);
    assert_help_default_num(help, "speaker-spl", VERDICT_SPK_TARGET_DB);
    assert_help_default_num(help, "headphone-sensitivity", VERDICT_HP_SENS_DB);
    assert_help_default_num(help, "headphone-spl", VERDICT_HP_TARGET_DB);
    assert_help_default_num(help, "max-dev-db", VERDICT_MAX_DEV_DB);
    assert_help_default(help, "out", CLI_DEFAULT_OUT);
    assert_help_default(help, "loads", CLI_DEFAULT_LOADS);
    assert_help_default(help, "freqs", CLI_DEFAULT_FREQS);
    assert_help_default(help, "tran-freqs", CLI_DEFAULT_TRAN_FREQS);
    assert_help_default(help, "analyses", CLI_DEFAULT_ANALYSES);
    assert_help_default(help, "profile", CLI_DEFAULT_PROFILE);
    assert_string_equal(verdict_profile_name(s->verdict.profile), CLI_DEFAULT_PROFILE);
    char *e = help_entry(help, "profile"), want[64];
    snprintf(want, sizeof want, "resistors up to %g ohm", VERDICT_RESISTOR_SPEAKER_MAX_OHM);
    assert_non_null(strstr(e, want));
    free(e);
    free(help);
    cli_free(&a);
}

static void each_command_lists_only_its_own_options(void **state)
{
    (void)state;
    char *check = help_of(CLI_CHECK), *plot = help_of(CLI_PLOT), *merge = help_of(CLI_MERGE);
    char *over = help_of(CLI_HELP);
    assert_non_null(strstr(check, "\n  --models DIR "));
    assert_null(strstr(check, "--out"));
    assert_non_null(strstr(plot, "\n  -h, --help "));
    assert_null(strstr(plot, "\n  --"));
    assert_null(strstr(merge, "\n  --"));
    assert_non_null(strstr(over, "\n  merge    "));
    assert_non_null(strstr(over, "\n  help     "));
    free(check);
    free(plot);
    free(merge);
    free(over);
}

static void import_takes_one_deck_and_its_options_anywhere(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512];
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "import", "deck.cir", "--in-node", "n1",
                           "--out-node", "N013", "--name", "amp1", "--kind", "power", "-o",
                           "new.cir", NULL),
                     AS_OK);
    assert_int_equal(a.command, CLI_IMPORT);
    assert_string_equal(a.import_file, "deck.cir");
    assert_string_equal(a.import_in, "n1");
    assert_string_equal(a.import_out, "N013");
    assert_string_equal(a.import_name, "amp1");
    assert_string_equal(a.import_kind, "power");
    assert_string_equal(a.import_output, "new.cir");
    cli_free(&a);
    /* the folders the import's check may include from, as check takes them */
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "import", "--include-dir", "decks",
                           "d.cir", "--include-dir", "lib", "--models", "m", NULL),
                     AS_OK);
    assert_int_equal(a.spec.include_dirs.len, 2);
    assert_string_equal(a.spec.include_dirs.items[0], "decks");
    assert_string_equal(a.spec.include_dirs.items[1], "lib");
    assert_string_equal(a.spec.models_dir, "m");
    cli_free(&a);
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "import", "d.cir", NULL), AS_OK);
    assert_null(a.import_in);
    assert_null(a.import_output);
    cli_free(&a);
    assert_int_equal(
        parse(&a, err, sizeof err, "ampsweep", "import", "--kind", "amp", "d.cir", NULL),
        AS_EINPUT);
    assert_non_null(strstr(err, "--kind: 'amp' is not headphone or power"));
    cli_free(&a);
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "import", "a.cir", "b.cir", NULL),
                     AS_EINPUT);
    assert_non_null(strstr(err, "give one deck"));
    cli_free(&a);
    assert_int_equal(
        parse(&a, err, sizeof err, "ampsweep", "import", "--loads", "8", "a.cir", NULL),
        AS_EINPUT); /* a sweep option */
    cli_free(&a);
    char *imp = help_of(CLI_IMPORT);
    assert_non_null(strstr(imp, "\n  -o, --output FILE "));
    assert_non_null(strstr(imp, "\n  --in-node NODE "));
    assert_non_null(strstr(imp, "\n  --include-dir DIR "));
    assert_null(strstr(imp, "--loads"));
    free(imp);
}

static void option_errors_name_the_option_and_what_is_wrong(void **state)
{
    (void)state;
    struct {
        const char *args[5];
        const char *message;
    } cases[] = {
        {{"sweep", "--bogus", "x.cir"},
         "sweep: unknown option '--bogus' (try ampsweep sweep --help)"},
        {{"sweep", "-x", "x.cir"}, "sweep: unknown option '-x' (try ampsweep sweep --help)"},
        {{"sweep", "--jobs"}, "sweep: option '--jobs' needs a value"},
        {{"check", "--models"}, "check: option '--models' needs a value"},
        {{"sweep", "--quiet=yes", "x.cir"}, "sweep: option '--quiet' takes no value"},
        {{"sweep", "--head", "95", "x.cir"},
         "sweep: option '--head' is ambiguous (--headphone-sensitivity, --headphone-sensitivity-v, "
         "--headphone-spl)"},
        {{"plot", "-x", "d"}, "plot: unknown option '-x' (try ampsweep plot --help)"},
        {{"merge", "o", "--out", "d"}, "merge: unknown option '--out' (try ampsweep merge --help)"},
        {{"sweep", "--jobs", "1.5", "x.cir"}, "--jobs: '1.5' is not a whole number"},
        {{"sweep", "--recycle", "0", "x.cir"}, "--recycle: '0' is not a number in [1, 1e+09]"},
        {{"sweep", "--shard", "4/3", "x.cir"}, "--shard: '4/3' is not I/N with 1 <= I <= N"},
        {{"plot", "a", "b"}, "plot: one results folder, not 'b' too"},
        {{"plot"}, "plot: no results folder given (try ampsweep plot --help)"},
        {{"merge", "o"}, "merge: give the output folder and the shards' folders"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *argv[8] = {"ampsweep"};
        int argc = 1;
        for (int k = 0; cases[i].args[k]; k++)
            argv[argc++] = (char *)cases[i].args[k];
        struct cli_args a;
        char err[512] = "";
        enum as_status st = cli_parse(argc, argv, &a, err, sizeof err);
        if (st != AS_EINPUT || strncmp(err, cases[i].message, strlen(cases[i].message)) != 0)
            fail_msg("case %zu: status %d, message '%s', wanted '%s'", i, st, err,
                     cases[i].message);
        cli_free(&a);
    }
}

static void a_unique_abbreviation_is_the_option(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(
        parse(&a, err, sizeof err, "ampsweep", "sweep", "--rec", "9", "--ou=o", "x.cir", NULL),
        AS_OK);
    assert_int_equal(a.spec.recycle, 9);
    assert_string_equal(a.spec.out_dir, "o");
    cli_free(&a);
}

static void plot_and_merge_take_help_anywhere(void **state)
{
    (void)state;
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "plot", "d", "--help", NULL), AS_OK);
    assert_int_equal(a.command, CLI_HELP);
    assert_int_equal(a.help_for, CLI_PLOT);
    cli_free(&a);
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "merge", "o", "d", "-h", NULL), AS_OK);
    assert_int_equal(a.help_for, CLI_MERGE);
    cli_free(&a);
    assert_int_equal(parse(&a, err, sizeof err, "ampsweep", "merge", "o", "d1", "d2", NULL), AS_OK);
    assert_int_equal(a.command, CLI_MERGE);
    assert_string_equal(a.merge_out, "o");
    assert_int_equal(a.n_merge_dirs, 2);
    assert_string_equal(a.merge_dirs[1], "d2");
    cli_free(&a);
}

static void assert_strv(const struct strv *v, const char *const *want, size_t n)
{
    if (v->len != n)
        fail_msg("%zu strings, wanted %zu", v->len, n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->items[i], want[i]) != 0)
            fail_msg("string %zu: '%s', wanted '%s'", i, v->items[i], want[i]);
}

static void a_shard_records_what_its_results_depend_on_in_full(void **state)
{
    (void)state;
    char *args[] = {"--ou",   "s1", "--shard=1/2", "--thd", "3",     "--quiet",
                    "--jobs", "4",  "--rec",       "5",     "a.cir", "-b.cir"};
    struct strv rec = {0};
    char err[512] = "";
    assert_int_equal(cli_shard_args(12, args, &rec, err, sizeof err), AS_OK);
    /* not --out and --shard, nor how each machine runs it (--quiet, --jobs,
     * --recycle): shards on different machines may differ there; "--" keeps
     * the netlists operands, whatever their names */
    const char *want_all[] = {"--thd-limit", "3", "--", "a.cir", "-b.cir"};
    assert_strv(&rec, want_all, 5);
    strv_free(&rec);
}

static void what_older_shards_recorded_reads_as_todays_record(void **state)
{
    (void)state;
    /* before cli_shard_args, a shard recorded its command line as typed */
    char *old1[] = {"--out", "shards/1", "--shard", "1/3", "--ambient", "40", "x.cir"};
    char *old2[] = {"--shard", "2/3", "--ambient", "40", "--out=shards/2", "x.cir"};
    struct strv r1 = {0}, r2 = {0}, again = {0};
    char err[512] = "";
    assert_int_equal(cli_shard_args(7, old1, &r1, err, sizeof err), AS_OK);
    assert_int_equal(cli_shard_args(6, old2, &r2, err, sizeof err), AS_OK);
    const char *want[] = {"--ambient", "40", "--", "x.cir"};
    assert_strv(&r1, want, 4);
    assert_strv(&r2, want, 4);
    assert_int_equal(cli_shard_args(r1.len, r1.items, &again, err, sizeof err), AS_OK);
    assert_strv(&again, want, 4); /* today's record reads as itself */
    strv_free(&r1);
    strv_free(&r2);
    strv_free(&again);
}

static void a_record_that_does_not_parse_is_an_error(void **state)
{
    (void)state;
    char *args[] = {"--frobnicate", "x.cir"};
    struct strv rec = {0};
    char err[512] = "";
    assert_int_equal(cli_shard_args(2, args, &rec, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "unknown option '--frobnicate'"));
    strv_free(&rec);
}

static void the_merged_sweep_resumes_into_out_with_the_shards_arguments(void **state)
{
    (void)state;
    char *args[] = {"--out", "s1", "--shard", "1/2", "--ambient", "40", "x.cir"};
    struct strv rec = {0}, line = {0};
    struct cli_args a;
    char err[512] = "";
    assert_int_equal(cli_shard_args(7, args, &rec, err, sizeof err), AS_OK);
    assert_int_equal(cli_merged_sweep("/abs/merged", &rec, &line), AS_OK);
    assert_int_equal(cli_parse((int)line.len, line.items, &a, err, sizeof err), AS_OK);
    assert_int_equal(a.command, CLI_SWEEP);
    assert_string_equal(a.spec.out_dir, "/abs/merged");
    assert_true(a.spec.resume);
    assert_int_equal(a.spec.shard_n, 0);
    assert_true(a.spec.ambient_c == 40);
    assert_int_equal(a.spec.netlists.len, 1);
    cli_free(&a);
    strv_free(&rec);
    strv_free(&line);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sweep_defaults_are_24_loads_31_frequencies_and_both_analyses),
        cmocka_unit_test(every_verdict_number_can_be_set_on_the_command_line),
        cmocka_unit_test(a_load_file_alone_replaces_the_default_resistors),
        cmocka_unit_test(bad_command_lines_are_input_errors),
        cmocka_unit_test(help_is_a_command_not_an_error),
        cmocka_unit_test(every_sweep_option_parses_with_a_value_it_accepts),
        cmocka_unit_test(every_option_lands_in_the_spec),
        cmocka_unit_test(the_sweep_help_lists_every_option_and_no_other),
        cmocka_unit_test(the_help_shows_the_defaults_the_parser_starts_from),
        cmocka_unit_test(each_command_lists_only_its_own_options),
        cmocka_unit_test(import_takes_one_deck_and_its_options_anywhere),
        cmocka_unit_test(option_errors_name_the_option_and_what_is_wrong),
        cmocka_unit_test(a_unique_abbreviation_is_the_option),
        cmocka_unit_test(plot_and_merge_take_help_anywhere),
        cmocka_unit_test(a_shard_records_what_its_results_depend_on_in_full),
        cmocka_unit_test(what_older_shards_recorded_reads_as_todays_record),
        cmocka_unit_test(a_record_that_does_not_parse_is_an_error),
        cmocka_unit_test(the_merged_sweep_resumes_into_out_with_the_shards_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
