/* csv: atomic replacement, RFC 4180 quoting, sticky errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "base/csv.h"
#include "testutil.h"

static void rows_are_written_with_quoting_and_nonfinite_words(void **state)
{
    (void)state;
    char path[256];
    tu_write("out.csv", "old contents\n", path, sizeof path);
    struct csv *c = NULL;
    char err[256];
    assert_int_equal(csv_open(path, "a,b,c,d", &c, err, sizeof err), AS_OK);
    /* the old file stays whole until commit */
    char *mid = tu_read(path);
    assert_string_equal(mid, "old contents\n");
    free(mid);
    csv_str(c, "plain");
    csv_str(c, "has,comma");
    csv_str(c, "has \"quote\"");
    csv_num(c, 0.5);
    csv_end_row(c);
    csv_num(c, INFINITY);
    csv_num(c, -INFINITY);
    csv_num(c, NAN);
    csv_int(c, -42);
    csv_end_row(c);
    assert_int_equal(csv_commit(c, err, sizeof err), AS_OK);
    char *got = tu_read(path);
    assert_string_equal(got, "a,b,c,d\n"
                             "plain,\"has,comma\",\"has \"\"quote\"\"\",0.5\n"
                             "inf,-inf,nan,-42\n");
    free(got);
}

static void numbers_keep_ten_significant_digits(void **state)
{
    (void)state;
    char path[256];
    tu_write("digits.csv", "", path, sizeof path);
    struct csv *c = NULL;
    char err[256];
    assert_int_equal(csv_open(path, "x", &c, err, sizeof err), AS_OK);
    csv_num(c, 1.0 / 3.0);
    csv_end_row(c);
    csv_num(c, 20000.0);
    csv_end_row(c);
    assert_int_equal(csv_commit(c, err, sizeof err), AS_OK);
    char *got = tu_read(path);
    assert_string_equal(got, "x\n0.3333333333\n20000\n");
    free(got);
}

static void abort_leaves_the_old_file_and_no_temporary(void **state)
{
    (void)state;
    char path[256];
    tu_write("keep.csv", "keep me\n", path, sizeof path);
    struct csv *c = NULL;
    char err[256];
    assert_int_equal(csv_open(path, "h", &c, err, sizeof err), AS_OK);
    csv_str(c, "partial");
    csv_abort(c);
    char *got = tu_read(path);
    assert_string_equal(got, "keep me\n");
    free(got);
    char tmp[300];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    struct stat sb;
    assert_int_not_equal(stat(tmp, &sb), 0);
    csv_abort(NULL);
}

static void unwritable_folder_is_an_io_error_naming_the_file(void **state)
{
    (void)state;
    struct csv *c = NULL;
    char err[256] = "";
    assert_int_equal(csv_open("/nonexistent-folder/x.csv", "h", &c, err, sizeof err), AS_EIO);
    assert_null(c);
    assert_non_null(strstr(err, "/nonexistent-folder/x.csv"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_are_written_with_quoting_and_nonfinite_words),
        cmocka_unit_test(numbers_keep_ten_significant_digits),
        cmocka_unit_test(abort_leaves_the_old_file_and_no_temporary),
        cmocka_unit_test(unwritable_folder_is_an_io_error_naming_the_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
