/* zcurve: impedance files as REW, DATS, LIMP and ARTA write them, and every
 * malformed one refused naming its file and line. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "spice/zcurve.h"
#include "testutil.h"

/* Ten data lines, 10 Hz to 100 Hz, in a layout: sep between columns, eol
 * at each end. */
static void ten_lines(char *buf, size_t len, const char *sep, const char *eol)
{
    size_t used = strlen(buf);
    for (int i = 1; i <= 10; i++)
        used += (size_t)snprintf(buf + used, len - used, "%d%s%g%s%g%s", 10 * i, sep, 6.0 + i, sep,
                                 -4.5 + i, eol);
}

static struct zcurve *read_any(const char *text)
{
    char path[256], err[512] = "";
    struct zcurve *c = NULL;
    tu_write("z.zma", text, path, sizeof path);
    if (zcurve_read(path, &c, err, sizeof err) != AS_OK)
        fail_msg("refused: %s", err);
    return c;
}

/* text holds ten_lines' values: read them back. */
static struct zcurve *read_ok(const char *text)
{
    char path[256], err[512] = "";
    struct zcurve *c = NULL;
    tu_write("z.zma", text, path, sizeof path);
    if (zcurve_read(path, &c, err, sizeof err) != AS_OK)
        fail_msg("refused: %s", err);
    assert_int_equal(c->n, 10);
    assert_true(c->freq_hz[0] == 10 && c->freq_hz[9] == 100);
    assert_true(c->mag_ohm[2] == 9 && c->phase_deg[2] == -1.5);
    return c;
}

static void rew_dats_limp_and_arta_layouts_are_read(void **state)
{
    (void)state;
    struct {
        const char *head, *sep, *eol;
    } layouts[] = {
        {"* Measurement data measured by REW\n* Freq(Hz) Impedance(ohms) Phase(degrees)\n", " ",
         "\n"},
        {"Frequency\tImpedance\tPhase\n", "\t", "\n"},
        {"; LIMP export\n;\nFreq(Hz)  Mag(Ohm)  Phase(Deg)\n", "  ", "\n"},
        {"\"Frequency (Hz)\",\"Magnitude (Ohm)\",\"Phase (deg)\"\r\n", ",", "\r\n"},
        {"\xef\xbb\xbf# freq;ohm;deg\n", ";", "\n"},
        {"", " , ", "\n"},
        {"", ",", "\n"},
    };
    for (size_t i = 0; i < sizeof layouts / sizeof layouts[0]; i++) {
        char text[2048];
        snprintf(text, sizeof text, "%s", layouts[i].head);
        ten_lines(text, sizeof text, layouts[i].sep, layouts[i].eol);
        zcurve_free(read_ok(text));
    }
}

static void decimal_commas_are_read_in_blank_or_semicolon_separated_files(void **state)
{
    (void)state;
    struct zcurve *c = read_any("10,5 7,25 -1,5\n11,5;7,5;2\n12 8 3\n13\t8,5\t-3,25\n"
                                "14 9 0\n15 9 0\n16 9 0\n17 9 0\n18 9 0\n19 9 0\n");
    assert_int_equal(c->n, 10);
    assert_true(c->freq_hz[0] == 10.5 && c->mag_ohm[0] == 7.25 && c->phase_deg[0] == -1.5);
    assert_true(c->freq_hz[1] == 11.5 && c->mag_ohm[1] == 7.5 && c->phase_deg[1] == 2);
    assert_true(c->mag_ohm[3] == 8.5 && c->phase_deg[3] == -3.25);
    zcurve_free(c);
}

static void columns_after_the_third_are_ignored(void **state)
{
    (void)state;
    char text[2048] = "";
    ten_lines(text, sizeof text, " ", " 1.0 2.0\n");
    zcurve_free(read_ok(text));
}

static void only_curve_extensions_are_curves(void **state)
{
    (void)state;
    assert_true(zcurve_is_curve_path("a/speaker.zma"));
    assert_true(zcurve_is_curve_path("SPEAKER.TXT"));
    assert_true(zcurve_is_curve_path("x.csv"));
    assert_false(zcurve_is_curve_path("speaker.lib"));
    assert_false(zcurve_is_curve_path("zma"));
}

static void magnitude_is_interpolated_in_log_log(void **state)
{
    (void)state;
    struct zcurve *c = read_any("10 7 0\n20 8 0\n30 9 0\n40 10 0\n50 11 0\n60 12 0\n70 13 0\n"
                                "80 14 0\n90 15 0\n100 16 0\n");
    assert_true(fabs(zcurve_mag_at(c, 20) - 8) < 1e-12);
    double want = exp(log(7) + log(sqrt(200) / 10) / log(2) * log(8.0 / 7));
    assert_true(fabs(zcurve_mag_at(c, sqrt(200)) - want) < 1e-9);
    assert_true(isnan(zcurve_mag_at(c, 5)));
    assert_true(isnan(zcurve_mag_at(c, 101)));
    zcurve_free(c);
}

/* text is refused; the message names z.zma, line (0: no line) and needle. */
static void expect_refused(const char *text, int line, const char *needle)
{
    char path[256], err[512] = "", where[32];
    struct zcurve *c = NULL;
    tu_write("z.zma", text, path, sizeof path);
    assert_int_equal(zcurve_read(path, &c, err, sizeof err), AS_EINPUT);
    assert_null(c);
    snprintf(where, sizeof where, line ? "z.zma:%d:" : "z.zma:", line);
    if (!strstr(err, where) || !strstr(err, needle))
        fail_msg("message '%s' lacks '%s' or '%s'", err, where, needle);
}

static void malformed_files_are_refused_naming_file_and_line(void **state)
{
    (void)state;
    const char *tail = "30 8 0\n40 8 0\n50 8 0\n60 8 0\n70 8 0\n80 8 0\n90 8 0\n100 8 0\n";
    char text[1024];
    snprintf(text, sizeof text, "* head\n10 8 0\n20 8\n%s", tail);
    expect_refused(text, 3, "2 columns");
    snprintf(text, sizeof text, "10 8 0\n20 8 0\nend of data\n%s", tail);
    expect_refused(text, 3, "not a frequency");
    snprintf(text, sizeof text, "10 8 0\n20 8x 0\n%s", tail);
    expect_refused(text, 2, "|Z| '8x' is not a number");
    snprintf(text, sizeof text, "10 8 0\n20 8 nan\n%s", tail);
    expect_refused(text, 2, "phase 'nan' is not a number");
    snprintf(text, sizeof text, "10 8 0\n10 8 0\n%s", tail);
    expect_refused(text, 2, "not above");
    snprintf(text, sizeof text, "10 8 0\n20,5 8 0\n15 8 0\n%s", tail);
    expect_refused(text, 3, "not above the line before's 20.5 Hz");
    snprintf(text, sizeof text, "10 8 0\n20,5 8,1\n%s", tail);
    expect_refused(text, 2, "2 columns");
    snprintf(text, sizeof text, "10 8 0\n20 -8 0\n%s", tail);
    expect_refused(text, 2, "must be positive");
    snprintf(text, sizeof text, "0 8 0\n20 8 0\n%s", tail);
    expect_refused(text, 1, "must be positive");
    snprintf(text, sizeof text, "10 8 0\n20 8 270\n%s", tail);
    expect_refused(text, 2, "outside -180..180");
    expect_refused("", 0, "0 data lines");
    expect_refused("* only a comment\n10 8 0\n20 8 0\n", 0, "2 data lines");
}

static void a_binary_or_missing_file_is_refused(void **state)
{
    (void)state;
    char path[256], err[512] = "";
    struct zcurve *c = NULL;
    tu_write("bin.zma", "10 8 0\n", path, sizeof path);
    FILE *fp = fopen(path, "ab");
    fputc('\0', fp);
    fclose(fp);
    assert_int_equal(zcurve_read(path, &c, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "bin.zma: holds NUL bytes"));
    assert_int_equal(zcurve_read("/nonexistent/x.zma", &c, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "/nonexistent/x.zma: cannot open"));
    assert_null(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rew_dats_limp_and_arta_layouts_are_read),
        cmocka_unit_test(decimal_commas_are_read_in_blank_or_semicolon_separated_files),
        cmocka_unit_test(columns_after_the_third_are_ignored),
        cmocka_unit_test(only_curve_extensions_are_curves),
        cmocka_unit_test(magnitude_is_interpolated_in_log_log),
        cmocka_unit_test(malformed_files_are_refused_naming_file_and_line),
        cmocka_unit_test(a_binary_or_missing_file_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
