/* cli: option parsing, defaults and bad command-line values. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "cli.h"

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

static void sweep_defaults_are_24_loads_and_31_frequencies(void **state)
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
    assert_int_equal(a.spec.analyses, SWEEP_FR);
    assert_int_equal(a.spec.netlists.len, 1);
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
        cmocka_unit_test(sweep_defaults_are_24_loads_and_31_frequencies),
        cmocka_unit_test(a_load_file_alone_replaces_the_default_resistors),
        cmocka_unit_test(bad_command_lines_are_input_errors),
        cmocka_unit_test(help_is_a_command_not_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
