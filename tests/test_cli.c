/* cli: option parsing, defaults and bad command-line values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
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
    assert_true(a.spec.verdict.hp_sens_db == 100.0 && a.spec.verdict.hp_target_db == 115.0);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sweep_defaults_are_24_loads_31_frequencies_and_both_analyses),
        cmocka_unit_test(every_verdict_number_can_be_set_on_the_command_line),
        cmocka_unit_test(a_load_file_alone_replaces_the_default_resistors),
        cmocka_unit_test(bad_command_lines_are_input_errors),
        cmocka_unit_test(help_is_a_command_not_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
