/* afile: a file is replaced whole or not at all, and a stage puts a set of
 * files into place together or leaves the folder as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "base/afile.h"
#include "testutil.h"

/* Entries of dir but . and .. (hidden ones included). */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    closedir(d);
    return n;
}

static void fresh_dir(const char *name, char *dir, size_t len)
{
    snprintf(dir, len, "%s/%s", tu_dir(), name);
    assert_int_equal(mkdir(dir, 0777), 0);
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static char *get(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return tu_read(path);
}

static void a_file_is_replaced_only_when_its_writer_saw_no_error(void **state)
{
    (void)state;
    char dir[256], path[512], err[512] = "";
    fresh_dir("single", dir, sizeof dir);
    put(dir, "t.csv", "old\n");
    snprintf(path, sizeof path, "%s/t.csv", dir);
    struct afile *a = NULL;
    assert_int_equal(afile_open(path, &a, err, sizeof err), AS_OK);
    fputs("new\n", afile_fp(a));
    assert_int_equal(afile_commit(a, ENOSPC, err, sizeof err), AS_EIO);
    assert_non_null(strstr(err, "t.csv: cannot write: No space left on device"));
    char *text = get(dir, "t.csv");
    assert_string_equal(text, "old\n");
    free(text);
    assert_int_equal(entries(dir), 1);
    assert_int_equal(afile_open(path, &a, err, sizeof err), AS_OK);
    fputs("new\n", afile_fp(a));
    assert_int_equal(afile_commit(a, 0, err, sizeof err), AS_OK);
    text = get(dir, "t.csv");
    assert_string_equal(text, "new\n");
    free(text);
    assert_int_equal(entries(dir), 1);
    afile_abort(NULL);
}

static void a_stage_moves_every_file_into_place_together(void **state)
{
    (void)state;
    char dir[256], err[512] = "";
    fresh_dir("stage", dir, sizeof dir);
    put(dir, "a.csv", "old a\n");
    put(dir, "keep.txt", "untouched\n");
    struct afile_stage *s = NULL;
    assert_int_equal(afile_stage_open(dir, &s, err, sizeof err), AS_OK);
    put(afile_stage_dir(s), "a.csv", "new a\n");
    put(afile_stage_dir(s), "b.json", "new b\n");
    char *text = get(dir, "a.csv");
    assert_string_equal(text, "old a\n"); /* nothing moves before the commit */
    free(text);
    assert_int_equal(afile_stage_commit(s, err, sizeof err), AS_OK);
    text = get(dir, "a.csv");
    assert_string_equal(text, "new a\n");
    free(text);
    text = get(dir, "b.json");
    assert_string_equal(text, "new b\n");
    free(text);
    text = get(dir, "keep.txt");
    assert_string_equal(text, "untouched\n");
    free(text);
    assert_int_equal(entries(dir), 3); /* the hidden folder is gone */
}

static void an_aborted_stage_leaves_the_folder_as_it_was(void **state)
{
    (void)state;
    char dir[256], err[512] = "";
    fresh_dir("aborted", dir, sizeof dir);
    put(dir, "a.csv", "old a\n");
    struct afile_stage *s = NULL;
    assert_int_equal(afile_stage_open(dir, &s, err, sizeof err), AS_OK);
    put(afile_stage_dir(s), "a.csv", "new a\n");
    put(afile_stage_dir(s), "b.json", "new b\n");
    afile_stage_abort(s);
    char *text = get(dir, "a.csv");
    assert_string_equal(text, "old a\n");
    free(text);
    assert_int_equal(entries(dir), 1);
    afile_stage_abort(NULL);
}

static void a_stage_in_a_folder_that_cannot_hold_it_names_the_folder(void **state)
{
    (void)state;
    char err[512] = "";
    struct afile_stage *s = NULL;
    assert_int_equal(afile_stage_open("/no/such/folder", &s, err, sizeof err), AS_EIO);
    assert_null(s);
    assert_non_null(strstr(err, "/no/such/folder/.ampsweep-stage-"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_file_is_replaced_only_when_its_writer_saw_no_error),
        cmocka_unit_test(a_stage_moves_every_file_into_place_together),
        cmocka_unit_test(an_aborted_stage_leaves_the_folder_as_it_was),
        cmocka_unit_test(a_stage_in_a_folder_that_cannot_hold_it_names_the_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
