/* netlist: the amp-netlist convention of docs/netlists.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "spice/netlist.h"
#include "testutil.h"

#define HEAD "Amp title\n*@ name = amp1\n*@ kind = headphone\n*@ source = a test\n"
#define BODY "vp vcc 0 12\nvn vee 0 -12\nr1 in out 1k\nq1 vcc in out npn_small\n"

static enum as_status read_text(const char *text, struct netlist **n, char *err, size_t errlen)
{
    char path[256];
    tu_write("amp.cir", text, path, sizeof path);
    return netlist_read(path, &(struct spfile_places){.models_dir = PROJECT_DIR "/models"}, n, err,
                        errlen);
}

static void expect_refused(const char *text, const char *needle)
{
    struct netlist *n = NULL;
    char err[512] = "";
    assert_int_equal(read_text(text, &n, err, sizeof err), AS_EINPUT);
    assert_null(n);
    if (!strstr(err, "amp.cir") || !strstr(err, needle))
        fail_msg("message '%s' lacks the file or '%s'", err, needle);
}

static void complete_metadata_is_read(void **state)
{
    (void)state;
    struct netlist *n = NULL;
    char err[512] = "";
    assert_int_equal(read_text(HEAD "*@ supply = VP\n*@ supply = vn\n"
                                    "*@ device = Q1 tj_max_c=150 rth_ja_k_per_w=62.5\n" BODY,
                               &n, err, sizeof err),
                     AS_OK);
    assert_string_equal(n->name, "amp1");
    assert_int_equal(n->kind, NETLIST_HEADPHONE);
    assert_string_equal(n->source, "a test");
    assert_int_equal(n->n_supplies, 2);
    assert_string_equal(n->supplies[0].name, "vp");
    assert_string_equal(n->supplies[0].node_pos, "vcc");
    assert_string_equal(n->supplies[0].node_neg, "0");
    assert_int_equal(n->n_devices, 1);
    assert_string_equal(n->devices[0].name, "q1");
    assert_true(n->devices[0].tj_max_c == 150.0);
    assert_true(n->devices[0].rth_ja_k_per_w == 62.5);
    netlist_free(n);
}

static void every_metadata_error_names_file_and_line(void **state)
{
    (void)state;
    expect_refused(HEAD "*@ colour = red\n" BODY, "amp.cir:5: unknown metadata key 'colour'");
    expect_refused(HEAD "*@ name = amp2\n" BODY,
                   "amp.cir:5: 'name' is given twice (first on line 2)");
    expect_refused(HEAD "*@ kind = power\n" BODY, "amp.cir:5: 'kind' is given twice");
    expect_refused(HEAD "*@ source = again\n" BODY, "amp.cir:5: 'source' is given twice");
    expect_refused("t\n*@ name = a b\n*@ kind = power\n*@ source = s\n" BODY, "amp.cir:2: name");
    expect_refused("t\n*@ name = a\n*@ kind = tube\n*@ source = s\n" BODY,
                   "amp.cir:3: kind 'tube'");
    expect_refused(HEAD "*@ supply = r1\n" BODY,
                   "amp.cir:5: supply 'r1' is not a top-level voltage");
    expect_refused(HEAD "*@ supply = vx\n" BODY, "amp.cir:5: supply 'vx'");
    expect_refused(HEAD "*@ supply = vp\n*@ supply = VP\n" BODY,
                   "amp.cir:6: supply 'VP' is listed twice");
    expect_refused(HEAD "*@ device = q1 tj_max_c=150\n" BODY, "amp.cir:5: device needs");
    expect_refused(HEAD "*@ device = q1 tj_max_c=150 rth=3\n" BODY,
                   "amp.cir:5: unknown device parameter 'rth'");
    expect_refused(HEAD "*@ device = q1 tj_max_c=-5 rth_ja_k_per_w=3\n" BODY,
                   "amp.cir:5: device parameter");
    expect_refused(HEAD "*@ device = q1 tj_max_c=abc rth_ja_k_per_w=3\n" BODY,
                   "amp.cir:5: device parameter");
    expect_refused(HEAD "*@ device = q9 tj_max_c=150 rth_ja_k_per_w=3\n" BODY,
                   "amp.cir:5: device 'q9' is not");
    expect_refused(HEAD "*@ device = q1 tj_max_c=1 rth_ja_k_per_w=3\n*@ device = q1 tj_max_c=1 "
                        "rth_ja_k_per_w=3\n" BODY,
                   "amp.cir:6: device 'q1' is listed twice");
}

static void missing_metadata_and_nodes_are_refused(void **state)
{
    (void)state;
    expect_refused(HEAD "r1 a out 1\n", "node 'in'");
    expect_refused(HEAD "r1 in a 1\n", "node 'out'");
    expect_refused(HEAD BODY "vas_in in 0 1\n", "amp.cir:9: instance name 'vas_in' is reserved");
    expect_refused(HEAD BODY "r9 out as_zt 1\n", "node name 'as_zt' is reserved");
    expect_refused(HEAD BODY "r9 out as_lo 1\n", "node name 'as_lo' is reserved");
    expect_refused(HEAD "*@ supply = v1\n*@ device = v1 tj_max_c=150 rth_ja_k_per_w=2\n" BODY
                        "v1 a 0 5\n",
                   "'v1' is listed as a supply");
}

static void no_name_takes_the_file_name_no_source_is_a_note_and_no_kind_is_both(void **state)
{
    (void)state;
    struct netlist *n = NULL;
    char err[512] = "";
    assert_int_equal(read_text("t\n*@ name = a\n*@ source = s\n" BODY, &n, err, sizeof err), AS_OK);
    assert_int_equal(n->kind, NETLIST_BOTH);
    assert_string_equal(netlist_kind_name(n->kind), AS_AMP_BOTH);
    netlist_free(n);
    assert_int_equal(read_text("t\n*@ kind = power\n" BODY, &n, err, sizeof err), AS_OK);
    assert_string_equal(n->name, "amp"); /* amp.cir */
    assert_true(n->source_missing);
    assert_non_null(strstr(n->source, "not given"));
    netlist_free(n);
    assert_int_equal(read_text(HEAD BODY, &n, err, sizeof err), AS_OK);
    assert_false(n->source_missing);
    assert_string_equal(n->source, "a test");
    netlist_free(n);
}

static void every_problem_of_a_file_is_reported_at_once(void **state)
{
    (void)state;
    struct netlist *n = NULL;
    char err[2048] = "";
    assert_int_equal(read_text("t\n*@ supply = vnone\n*@ frob = 1\n*@ compat = xyz\n"
                               "r1 a b 1k\n",
                               &n, err, sizeof err),
                     AS_EINPUT);
    assert_null(n);
    const char *want[] = {"amp.cir:2: supply 'vnone'", "amp.cir:3: unknown metadata key 'frob'",
                          "amp.cir:4: compat 'xyz'", "node 'in'", "node 'out'"};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        if (!strstr(err, want[i]))
            fail_msg("'%s' lacks '%s'", err, want[i]);
}

static void compat_names_an_ngspice_mode(void **state)
{
    (void)state;
    struct netlist *n = NULL;
    char err[512] = "";
    assert_int_equal(read_text(HEAD "*@ compat = lta\n" BODY, &n, err, sizeof err), AS_OK);
    assert_string_equal(n->compat, "lta");
    netlist_free(n);
    assert_int_equal(read_text(HEAD BODY, &n, err, sizeof err), AS_OK);
    assert_string_equal(n->compat, "");
    netlist_free(n);
    expect_refused(HEAD "*@ compat = lta\n*@ compat = ps\n" BODY, "'compat' is given twice");
    expect_refused(HEAD "*@ compat = set\n" BODY, "compat 'set' is not an ngspice");
}

static void folders_expand_to_sorted_cir_files(void **state)
{
    (void)state;
    struct strv out = {0};
    char err[256];
    char *args[] = {PROJECT_DIR "/netlists", "plain.cir"};
    assert_int_equal(netlist_collect(args, 2, &out, err, sizeof err), AS_OK);
    assert_true(out.len >= 3);
    for (size_t i = 0; i + 2 < out.len; i++) {
        assert_non_null(strstr(out.items[i], ".cir"));
        assert_true(strcmp(out.items[i], out.items[i + 1]) < 0);
    }
    assert_string_equal(out.items[out.len - 1], "plain.cir");
    strv_free(&out);
}

static void netlist_free_accepts_null(void **state)
{
    (void)state;
    netlist_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(complete_metadata_is_read),
        cmocka_unit_test(every_metadata_error_names_file_and_line),
        cmocka_unit_test(missing_metadata_and_nodes_are_refused),
        cmocka_unit_test(no_name_takes_the_file_name_no_source_is_a_note_and_no_kind_is_both),
        cmocka_unit_test(every_problem_of_a_file_is_reported_at_once),
        cmocka_unit_test(compat_names_an_ngspice_mode),
        cmocka_unit_test(folders_expand_to_sorted_cir_files),
        cmocka_unit_test(netlist_free_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
