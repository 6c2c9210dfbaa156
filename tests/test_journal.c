/* journal: finished jobs survive a restart; a record torn by a crash is
 * dropped, never misread; starting afresh forgets the old records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/journal.h"
#include "testutil.h"

static void open_or_fail(const char *dir, int resume, struct journal **j)
{
    char err[512];
    if (journal_open(dir, resume, j, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
}

static void records_are_found_after_reopening_with_resume(void **state)
{
    (void)state;
    const char *dir = tu_dir();
    struct journal *j;
    char err[512];
    open_or_fail(dir, 0, &j);
    assert_int_equal(journal_append(j, 11, "alpha", 6, err, sizeof err), AS_OK);
    assert_int_equal(journal_append(j, 22, "", 0, err, sizeof err), AS_OK);
    assert_int_equal(journal_append(j, 33, "gamma", 6, err, sizeof err), AS_OK);
    journal_free(j);
    open_or_fail(dir, 1, &j);
    assert_int_equal(journal_count(j), 3);
    size_t len = 99;
    const char *d = journal_find(j, 11, &len);
    assert_non_null(d);
    assert_int_equal(len, 6);
    assert_string_equal(d, "alpha");
    assert_non_null(journal_find(j, 22, &len));
    assert_int_equal(len, 0);
    assert_null(journal_find(j, 44, &len));
    journal_free(j);
    /* without resume the journal starts empty */
    open_or_fail(dir, 0, &j);
    journal_free(j);
    open_or_fail(dir, 1, &j);
    assert_int_equal(journal_count(j), 0);
    journal_free(j);
}

static void a_torn_last_record_is_dropped_and_appending_goes_on(void **state)
{
    (void)state;
    const char *dir = tu_dir();
    struct journal *j;
    char err[512], path[1024];
    open_or_fail(dir, 0, &j);
    assert_int_equal(journal_append(j, 1, "one", 4, err, sizeof err), AS_OK);
    assert_int_equal(journal_append(j, 2, "two", 4, err, sizeof err), AS_OK);
    journal_free(j);
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(truncate(path, sb.st_size - 3), 0); /* a crash mid-write */
    open_or_fail(dir, 1, &j);
    assert_int_equal(journal_count(j), 1);
    size_t len;
    assert_null(journal_find(j, 2, &len));
    assert_int_equal(journal_append(j, 3, "three", 6, err, sizeof err), AS_OK);
    journal_free(j);
    open_or_fail(dir, 1, &j);
    assert_int_equal(journal_count(j), 2);
    assert_string_equal(journal_find(j, 3, &len), "three");
    journal_free(j);
}

static void the_hash_tells_split_strings_apart(void **state)
{
    (void)state;
    uint64_t a = journal_hash_str(journal_hash_str(JOURNAL_HASH_INIT, "ab"), "c");
    uint64_t b = journal_hash_str(journal_hash_str(JOURNAL_HASH_INIT, "a"), "bc");
    assert_true(a != b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(records_are_found_after_reopening_with_resume),
        cmocka_unit_test(a_torn_last_record_is_dropped_and_appending_goes_on),
        cmocka_unit_test(the_hash_tells_split_strings_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
