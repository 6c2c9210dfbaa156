/* range: the "A:B:N" and list forms of --loads and --freqs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/range.h"

static void log_range_has_count_points_with_exact_ends(void **state)
{
    (void)state;
    struct range r;
    char err[256];
    assert_int_equal(range_parse("20:20000:31", "--freqs", &r, err, sizeof err), AS_OK);
    assert_int_equal(r.count, 31);
    assert_true(r.log_spaced);
    assert_true(r.values[0] == 20.0);
    assert_true(r.values[30] == 20000.0);
    /* 10 points per decade: every third point is a power of ten times 2 */
    assert_true(fabs(r.values[10] - 200.0) < 1e-9);
    for (size_t i = 1; i < r.count; i++)
        assert_true(fabs(r.values[i] / r.values[i - 1] - pow(10.0, 0.1)) < 1e-12);
    range_free(&r);
}

static void single_point_range_needs_equal_ends(void **state)
{
    (void)state;
    struct range r;
    char err[256];
    assert_int_equal(range_parse("8:8:1", "--loads", &r, err, sizeof err), AS_OK);
    assert_int_equal(r.count, 1);
    assert_true(r.values[0] == 8.0);
    range_free(&r);
    assert_int_equal(range_parse("4:8:1", "--loads", &r, err, sizeof err), AS_EINPUT);
    assert_int_equal(range_parse("8:8:3", "--loads", &r, err, sizeof err), AS_EINPUT);
}

static void list_is_sorted_ascending(void **state)
{
    (void)state;
    struct range r;
    char err[256];
    assert_int_equal(range_parse("300,8,32,4,600", "--loads", &r, err, sizeof err), AS_OK);
    assert_int_equal(r.count, 5);
    assert_false(r.log_spaced);
    const double want[] = {4, 8, 32, 300, 600};
    for (size_t i = 0; i < 5; i++)
        assert_true(r.values[i] == want[i]);
    range_free(&r);
    assert_int_equal(range_parse("1e3", "--freqs", &r, err, sizeof err), AS_OK);
    assert_true(r.count == 1 && r.values[0] == 1000.0);
    range_free(&r);
}

static void bad_values_are_refused_with_the_option_named(void **state)
{
    (void)state;
    const char *bad[] = {
        "0:600:5",     /* zero */
        "600:4:5",     /* reversed */
        "4:600:-3",    /* negative count */
        "4:600:0",     /* zero count */
        "4:600:2.5",   /* fractional count */
        "nan:600:5",   /* NaN */
        "4:inf:5",     /* infinite */
        "4:600",       /* two fields */
        "4:600:5:7",   /* four fields */
        "4:600:99999", /* too many */
        "8,,32",       /* empty item */
        "8,-4",        /* negative */
        "8,abc",       /* not a number */
        "8,8",         /* duplicate */
        "8ohm",        /* trailing text */
        "",            /* empty */
        "1e999",       /* overflow */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct range r;
        char err[256] = "";
        enum as_status st = range_parse(bad[i], "--loads", &r, err, sizeof err);
        if (st != AS_EINPUT)
            fail_msg("'%s' was accepted", bad[i]);
        assert_non_null(strstr(err, "--loads"));
        assert_null(r.values);
        assert_int_equal(r.count, 0);
    }
}

static void range_free_accepts_null(void **state)
{
    (void)state;
    range_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(log_range_has_count_points_with_exact_ends),
        cmocka_unit_test(single_point_range_needs_equal_ends),
        cmocka_unit_test(list_is_sorted_ascending),
        cmocka_unit_test(bad_values_are_refused_with_the_option_named),
        cmocka_unit_test(range_free_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
