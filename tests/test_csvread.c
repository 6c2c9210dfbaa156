/* csvread: reading back what csv.c writes, quoted fields and bad files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "base/csv.h"
#include "base/csvread.h"
#include "testutil.h"

static void csvread_reads_back_quoted_fields_written_by_csv(void **state)
{
    (void)state;
    char path[256], err[256];
    tu_write("q.csv", "", path, sizeof path);
    struct csv *w = NULL;
    assert_int_equal(csv_open(path, "name,value", &w, err, sizeof err), AS_OK);
    csv_str(w, "a, \"quoted\"\nline");
    csv_num(w, 1.5);
    csv_end_row(w);
    csv_str(w, "plain");
    csv_num(w, NAN);
    csv_end_row(w);
    assert_int_equal(csv_commit(w, err, sizeof err), AS_OK);
    struct csvr *t = NULL;
    assert_int_equal(csvr_read(path, &t, err, sizeof err), AS_OK);
    assert_int_equal(t->n_cols, 2);
    assert_int_equal(t->n_rows, 2);
    assert_string_equal(csvr_cell(t, 0, csvr_col(t, "name")), "a, \"quoted\"\nline");
    assert_true(csvr_num(t, 0, csvr_col(t, "value")) == 1.5);
    assert_true(isnan(csvr_num(t, 1, 1)));
    assert_string_equal(csvr_cell(t, 1, 0), "plain");
    csvr_free(t);
}

static void csvread_names_the_line_of_a_row_with_too_few_fields(void **state)
{
    (void)state;
    char err[256] = "";
    struct csvr *t = NULL;
    const char *text = "a,b\n1,2\n3\n";
    assert_int_equal(csvr_parse(text, strlen(text), "x.csv", &t, err, sizeof err), AS_EINPUT);
    assert_null(t);
    assert_non_null(strstr(err, "x.csv:3:"));
}

static void csvread_refuses_an_unterminated_quote_and_an_empty_file(void **state)
{
    (void)state;
    char err[256] = "";
    struct csvr *t = NULL;
    assert_int_equal(csvr_parse("a\n\"x", 4, "u.csv", &t, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "unterminated"));
    assert_int_equal(csvr_parse("", 0, "e.csv", &t, err, sizeof err), AS_EINPUT);
}

static void csvread_treats_missing_columns_and_text_as_nan(void **state)
{
    (void)state;
    char err[256] = "";
    struct csvr *t = NULL;
    const char *text = "a,b\r\nx,\r\n";
    assert_int_equal(csvr_parse(text, strlen(text), "c.csv", &t, err, sizeof err), AS_OK);
    assert_int_equal(csvr_col(t, "nope"), -1);
    assert_true(isnan(csvr_num(t, 0, 0)) && isnan(csvr_num(t, 0, 1)) && isnan(csvr_num(t, 0, -1)));
    assert_string_equal(csvr_cell(t, 0, 1), "");
    csvr_free(t);
    csvr_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csvread_reads_back_quoted_fields_written_by_csv),
        cmocka_unit_test(csvread_names_the_line_of_a_row_with_too_few_fields),
        cmocka_unit_test(csvread_refuses_an_unterminated_quote_and_an_empty_file),
        cmocka_unit_test(csvread_treats_missing_columns_and_text_as_nan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
