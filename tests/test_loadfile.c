/* loadfile: user load subcircuits and their metadata. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "spice/loadfile.h"
#include "testutil.h"

#define META "*@ name = spk\n*@ kind = speaker\n*@ nominal_ohm = 8\n*@ source = a test\n"
#define SUB ".subckt spk a b\nre a m 6\nle m b 0.5m\n.ends\n"

static enum as_status read_text(const char *text, struct loadfile **l, char *err, size_t errlen)
{
    char path[256];
    tu_write("load.lib", text, path, sizeof path);
    return loadfile_read(path, NULL, l, err, errlen);
}

static void expect_refused(const char *text, const char *needle)
{
    struct loadfile *l = NULL;
    char err[512] = "";
    assert_int_equal(read_text(text, &l, err, sizeof err), AS_EINPUT);
    assert_null(l);
    if (!strstr(err, "load.lib") || !strstr(err, needle))
        fail_msg("message '%s' lacks the file or '%s'", err, needle);
}

static void a_one_subcircuit_file_is_read(void **state)
{
    (void)state;
    struct loadfile *l = NULL;
    char err[512] = "";
    assert_int_equal(read_text(META "*@ sensitivity_db_spl_w = 87\n" SUB, &l, err, sizeof err),
                     AS_OK);
    assert_string_equal(l->name, "spk");
    assert_string_equal(l->kind, "speaker");
    assert_true(l->nominal_ohm == 8.0);
    assert_true(l->sens_db_spl_w == 87.0);
    assert_true(isnan(l->sens_db_spl_mw));
    assert_string_equal(l->subckt, "spk");
    loadfile_free(l);
}

static void the_subckt_key_picks_among_several(void **state)
{
    (void)state;
    struct loadfile *l = NULL;
    char err[512] = "";
    assert_int_equal(
        read_text(META "*@ subckt = SPK\n.subckt helper a b c\n.ends\n" SUB, &l, err, sizeof err),
        AS_OK);
    assert_string_equal(l->subckt, "spk");
    loadfile_free(l);
}

static void malformed_load_files_are_refused(void **state)
{
    (void)state;
    expect_refused(META "*@ impedance = 8\n" SUB, "load.lib:5: unknown metadata key");
    expect_refused(META "*@ nominal_ohm = -8\n" SUB, "load.lib:5: 'nominal_ohm' is given twice");
    expect_refused("*@ name = x\n*@ kind = speaker\n*@ nominal_ohm = zero\n*@ source = s\n" SUB,
                   "load.lib:3: nominal_ohm must be a positive number");
    expect_refused("*@ name = x\n*@ kind = amp\n*@ nominal_ohm = 8\n*@ source = s\n" SUB,
                   "load.lib:2: kind 'amp'");
    expect_refused("*@ name = x\n*@ kind = speaker\n*@ source = s\n" SUB, "'*@ nominal_ohm");
    expect_refused(META ".subckt a p q\n.ends\n" SUB, "2 subcircuits and no");
    expect_refused(META ".subckt three a b c\nr1 a b 1\n.ends\n",
                   "load.lib:5: load subcircuit 'three' has 3 ports");
    expect_refused(META "r1 a b 8\n" SUB, "load.lib:5: a load file holds only subcircuits");
    expect_refused(META "*@ subckt = nope\n" SUB, "load.lib:5: no .subckt named 'nope'");
    expect_refused(META "*@ sensitivity_db_spl_w = 87\n*@ sensitivity_db_spl_2v83 = 90\n" SUB,
                   "load.lib:6: a second sensitivity");
    expect_refused(META "*@ sensitivity_db_spl_mw = 100\n" SUB,
                   "load.lib:5: 'sensitivity_db_spl_mw' is not a speaker's sensitivity");
}

static void a_sensitivity_may_be_stated_per_volt(void **state)
{
    (void)state;
    struct loadfile *l = NULL;
    char err[512] = "";
    assert_int_equal(read_text(META "*@ sensitivity_db_spl_2v83 = 90\n" SUB, &l, err, sizeof err),
                     AS_OK);
    assert_true(l->sens_db_spl_2v83 == 90.0);
    assert_true(isnan(l->sens_db_spl_w) && isnan(l->sens_db_spl_mw) && isnan(l->sens_db_spl_v));
    loadfile_free(l);
    assert_int_equal(read_text("*@ name = hp\n*@ kind = headphone\n*@ nominal_ohm = 300\n"
                               "*@ source = s\n*@ sensitivity_db_spl_v = 97\n"
                               ".subckt hp a b\nr1 a b 300\n.ends\n",
                               &l, err, sizeof err),
                     AS_OK);
    assert_true(l->sens_db_spl_v == 97.0);
    loadfile_free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_one_subcircuit_file_is_read),
        cmocka_unit_test(the_subckt_key_picks_among_several),
        cmocka_unit_test(malformed_load_files_are_refused),
        cmocka_unit_test(a_sensitivity_may_be_stated_per_volt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
