/* merge: shards' records saved and read back, their journals pooled, and
 * shards of different sweeps refused with the difference named. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run/journal.h"
#include "run/merge.h"
#include "testutil.h"

/* A fresh folder dir/name with a journal holding text; its path in buf. */
static const char *shard_dir(const char *name, const char *journal, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s", tu_dir(), name);
    if (mkdir(buf, 0777) != 0)
        fail_msg("mkdir %s", buf);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", buf, JOURNAL_FILE);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(journal, fp);
    fclose(fp);
    return buf;
}

static void save(const char *dir, const char *const *args, size_t n)
{
    struct strv v = {0};
    char err[512] = "";
    for (size_t i = 0; i < n; i++)
        assert_int_equal(strv_push(&v, args[i]), AS_OK);
    if (merge_save_args(dir, &v, err, sizeof err) != AS_OK)
        fail_msg("merge_save_args: %s", err);
    strv_free(&v);
}

static void saved_arguments_come_back_with_the_working_folder_and_pooled_journals(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX], out[PATH_MAX], cwd[PATH_MAX], err[512] = "";
    const char *args[] = {"--loads", "8", "", "x.cir"}; /* any strings, the empty one too */
    shard_dir("rt1", "one\n", a, sizeof a);
    shard_dir("rt2", "two\n", b, sizeof b);
    shard_dir("rt-out", "", out, sizeof out);
    save(a, args, 4);
    save(b, args, 4);
    char *dirs[] = {a, b};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 2, NULL, &got, &ran_in, err, sizeof err), AS_OK);
    assert_int_equal(got.len, 4);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(got.items[i], args[i]);
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_string_equal(ran_in, cwd);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof path, "%s/%s", out, JOURNAL_FILE);
    char *j = tu_read(path);
    assert_string_equal(j, "one\ntwo\n");
    free(j);
    free(ran_in);
    strv_free(&got);
}

/* merge_prepare's message for shards a and b saved with args_a and args_b. */
static void assert_refused(const char *tag, const char *const *args_a, size_t na,
                           const char *const *args_b, size_t nb, const char *message)
{
    char a[PATH_MAX], b[PATH_MAX], out[PATH_MAX], name[64], err[1024] = "";
    snprintf(name, sizeof name, "%s-a", tag);
    shard_dir(name, "", a, sizeof a);
    snprintf(name, sizeof name, "%s-b", tag);
    shard_dir(name, "", b, sizeof b);
    snprintf(name, sizeof name, "%s-out", tag);
    shard_dir(name, "", out, sizeof out);
    save(a, args_a, na);
    save(b, args_b, nb);
    char *dirs[] = {a, b};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 2, NULL, &got, &ran_in, err, sizeof err), AS_EINPUT);
    if (!strstr(err, "are not shards of one sweep") || !strstr(err, message))
        fail_msg("'%s', wanted '%s'", err, message);
    assert_null(ran_in);
    strv_free(&got);
}

static void shards_of_different_sweeps_are_refused_naming_the_difference(void **state)
{
    (void)state;
    const char *eight[] = {"--loads", "8", "x.cir"}, *sixteen[] = {"--loads", "16", "x.cir"};
    const char *more[] = {"--loads", "8", "x.cir", "y.cir"};
    assert_refused("diff", eight, 3, sixteen, 3, "their arguments differ, '8' against '16'");
    assert_refused("more", eight, 3, more, 4, "-b has 'y.cir'");
    assert_refused("less", more, 4, eight, 3, "-a has 'y.cir'");
}

static void shards_run_in_different_folders_are_refused(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX], out[PATH_MAX], cwd[PATH_MAX], err[1024] = "";
    const char *args[] = {"x.cir"};
    shard_dir("cwd-a", "", a, sizeof a);
    shard_dir("cwd-b", "", b, sizeof b);
    shard_dir("cwd-out", "", out, sizeof out);
    save(a, args, 1);
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(tu_dir()), 0);
    save(b, args, 1);
    assert_int_equal(chdir(cwd), 0);
    char *dirs[] = {a, b};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 2, NULL, &got, &ran_in, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "not shards of one sweep: they ran in"));
    strv_free(&got);
}

static void a_folder_without_a_record_is_not_a_shard(void **state)
{
    (void)state;
    char a[PATH_MAX], out[PATH_MAX], err[1024] = "";
    shard_dir("norec", "", a, sizeof a);
    shard_dir("norec-out", "", out, sizeof out);
    char *dirs[] = {a};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 1, NULL, &got, &ran_in, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "not a shard's output (no " MERGE_ARGS_FILE ")"));
    strv_free(&got);
}

static void a_record_cut_short_is_damaged(void **state)
{
    (void)state;
    char a[PATH_MAX], out[PATH_MAX], path[PATH_MAX + 64], err[1024] = "";
    shard_dir("cut", "", a, sizeof a);
    shard_dir("cut-out", "", out, sizeof out);
    snprintf(path, sizeof path, "%s/%s", a, MERGE_ARGS_FILE);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("/work", fp); /* no NUL after the working folder */
    fclose(fp);
    char *dirs[] = {a};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 1, NULL, &got, &ran_in, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, MERGE_ARGS_FILE " is damaged"));
    strv_free(&got);
}

/* A filter that drops every "drop" and its next string, and refuses "bad". */
static enum as_status drop_pairs(size_t n, char *const *args, struct strv *out, char *err,
                                 size_t errlen)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(args[i], "bad") == 0)
            return as_fail(err, errlen, AS_EINPUT, "'bad' is no argument");
        if (strcmp(args[i], "drop") == 0)
            i++;
        else if (strv_push(out, args[i]) != AS_OK)
            return AS_ENOMEM;
    }
    return AS_OK;
}

static void the_callers_filter_decides_what_is_compared_and_handed_back(void **state)
{
    (void)state;
    char a[PATH_MAX], b[PATH_MAX], out[PATH_MAX], err[1024] = "";
    const char *args_a[] = {"drop", "1", "keep"}, *args_b[] = {"keep", "drop", "2"};
    shard_dir("filt-a", "", a, sizeof a);
    shard_dir("filt-b", "", b, sizeof b);
    shard_dir("filt-out", "", out, sizeof out);
    save(a, args_a, 3);
    save(b, args_b, 3);
    char *dirs[] = {a, b};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 2, drop_pairs, &got, &ran_in, err, sizeof err),
                     AS_OK);
    assert_int_equal(got.len, 1);
    assert_string_equal(got.items[0], "keep");
    free(ran_in);
    strv_free(&got);
}

static void a_filters_refusal_names_the_shard(void **state)
{
    (void)state;
    char a[PATH_MAX], out[PATH_MAX], err[1024] = "";
    const char *args[] = {"bad"};
    shard_dir("refuse", "", a, sizeof a);
    shard_dir("refuse-out", "", out, sizeof out);
    save(a, args, 1);
    char *dirs[] = {a};
    struct strv got = {0};
    char *ran_in = NULL;
    assert_int_equal(merge_prepare(out, dirs, 1, drop_pairs, &got, &ran_in, err, sizeof err),
                     AS_EINPUT);
    char want[PATH_MAX + 128];
    snprintf(want, sizeof want, "%s: %s: 'bad' is no argument", a, MERGE_ARGS_FILE);
    assert_string_equal(err, want);
    strv_free(&got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(saved_arguments_come_back_with_the_working_folder_and_pooled_journals),
        cmocka_unit_test(shards_of_different_sweeps_are_refused_naming_the_difference),
        cmocka_unit_test(shards_run_in_different_folders_are_refused),
        cmocka_unit_test(a_folder_without_a_record_is_not_a_shard),
        cmocka_unit_test(a_record_cut_short_is_damaged),
        cmocka_unit_test(the_callers_filter_decides_what_is_compared_and_handed_back),
        cmocka_unit_test(a_filters_refusal_names_the_shard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
