/* ngs: the libngspice session: runs, copies, error capture, sanity checks,
 * and the memory bound documented in docs/ngspice-session.md. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/ngs.h"
#include "ngs_fixture.h"

static void deck_of(struct strv *d, const char *const *lines)
{
    for (; *lines; lines++)
        assert_int_equal(strv_push(d, *lines), AS_OK);
}

static void operating_point_vectors_are_copied_out(void **state)
{
    (void)state;
    struct strv d = {0};
    const char *lines[] = {"divider", "v1 a 0 dc 10", "r1 a b 3k", "r2 b 0 1k", ".end", NULL};
    deck_of(&d, lines);
    char err[512];
    assert_int_equal(ngs_load(s, &d, "divider", err, sizeof err), AS_OK);
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_OK);
    double *b = NULL, *i = NULL;
    size_t nb = 0, ni = 0;
    assert_int_equal(ngs_vec_real(s, "b", &b, &nb, err, sizeof err), AS_OK);
    /* a second read must not disturb the first copy (ngspice reuses one struct) */
    assert_int_equal(ngs_vec_real(s, "v1#branch", &i, &ni, err, sizeof err), AS_OK);
    assert_int_equal(nb, 1);
    assert_true(fabs(b[0] - 2.5) < 1e-9);      /* 10 V * 1k / 4k */
    assert_true(fabs(i[0] - -2.5e-3) < 1e-12); /* 10 V / 4k, into the + pin */
    free(b);
    free(i);
    assert_int_equal(ngs_vec_real(s, "nosuch", &b, &nb, err, sizeof err), AS_ESIM);
    assert_non_null(strstr(err, "no vector 'nosuch'"));
    strv_free(&d);
}

/* ngs_save_only holds for every analysis (ngs drops ngspice's save entries
 * with its breakpoints before each one) until the next load. */
static void a_save_list_holds_for_every_analysis_until_the_next_load(void **state)
{
    (void)state;
    struct strv d = {0}, keep = {0};
    const char *lines[] = {"divider", "v1 a 0 dc 10", "r1 a b 3k", "r2 b 0 1k", ".end", NULL};
    deck_of(&d, lines);
    assert_int_equal(strv_push(&keep, "b"), AS_OK);
    char err[512];
    double *v = NULL;
    size_t n = 0;
    assert_int_equal(ngs_load(s, &d, "divider", err, sizeof err), AS_OK);
    assert_int_equal(ngs_save_only(s, &keep, err, sizeof err), AS_OK);
    for (int run = 0; run < 2; run++) {
        assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_OK);
        assert_int_equal(ngs_vec_real(s, "b", &v, &n, err, sizeof err), AS_OK);
        free(v);
        assert_int_equal(ngs_vec_real(s, "a", &v, &n, err, sizeof err), AS_ESIM);
    }
    assert_int_equal(ngs_load(s, &d, "divider", err, sizeof err), AS_OK);
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_OK);
    assert_int_equal(ngs_vec_real(s, "a", &v, &n, err, sizeof err), AS_OK);
    free(v);
    /* a name that is no plain name goes into no command: everything saved */
    assert_int_equal(strv_push(&keep, "`echo x`"), AS_OK);
    assert_int_equal(ngs_save_only(s, &keep, err, sizeof err), AS_OK);
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_OK);
    assert_int_equal(ngs_vec_real(s, "a", &v, &n, err, sizeof err), AS_OK);
    free(v);
    assert_null(strstr(ngs_output(s), "stdout x"));
    strv_free(&keep);
    strv_free(&d);
}

static void ngspice_errors_fail_the_call_and_quote_ngspice(void **state)
{
    (void)state;
    struct strv d = {0};
    const char *lines[] = {"bad", "q1 c b 0 nosuchmodel", "v1 c 0 5", "r1 b 0 1k", ".end", NULL};
    deck_of(&d, lines);
    char err[512] = "";
    assert_int_equal(ngs_load(s, &d, "bad.cir", err, sizeof err), AS_ESIM);
    assert_non_null(strstr(err, "bad.cir"));
    assert_non_null(strstr(err, "could not find a valid modelname"));
    assert_string_equal(ngs_error_statement(s), "q1 c b 0 nosuchmodel");
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_ESIM);
    assert_false(ngs_dead(s));
    strv_free(&d);
}

static void absurd_values_reported_as_success_are_caught(void **state)
{
    (void)state;
    /* ngspice writes 1e32 for the division by zero and reports success */
    struct strv d = {0};
    const char *lines[] = {"div0",     "v1 a 0 1", "b1 b 0 v = 1/(v(a)-v(a))",
                           "r1 b 0 1", ".end",     NULL};
    deck_of(&d, lines);
    char err[512] = "";
    assert_int_equal(ngs_load(s, &d, "div0.cir", err, sizeof err), AS_OK);
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_ESIM);
    assert_non_null(strstr(err, "absurd"));
    strv_free(&d);
}

static void a_non_converging_operating_point_fails(void **state)
{
    (void)state;
    struct strv d = {0};
    const char *lines[] = {"conflict", "v1 a 0 1", "v2 a 0 2", ".end", NULL};
    deck_of(&d, lines);
    char err[512] = "";
    assert_int_equal(ngs_load(s, &d, "conflict.cir", err, sizeof err), AS_OK);
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_ESIM);
    assert_non_null(strstr(err, "conflict.cir"));
    strv_free(&d);
}

static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *fp = fopen("/proc/self/statm", "r");
    if (!fp || fscanf(fp, "%ld %ld", &pages, &resident) != 2)
        fail_msg("cannot read /proc/self/statm");
    fclose(fp);
    return resident * sysconf(_SC_PAGESIZE) / 1024;
}

/* Bound documented in docs/ngspice-session.md: measured about 1.1 KiB per
 * circuit load plus AC run with plots and circuit dropped; keeping the plots
 * instead grows about 270 KiB per run of this size. */
#define GROWTH_BOUND_KIB_PER_RUN 4.0

/* uplim() is one of the functions ngspice's LTspice mode adds (ngspice
 * manual, "LTSPICE Compatibility mode"): it loads in mode lta only, and an
 * unset mode is ngspice's own syntax again. */
static void a_compatibility_mode_applies_to_the_next_load_only_while_set(void **state)
{
    (void)state;
    struct strv d = {0};
    const char *lines[] = {"lt",        "v1 a 0 dc 2", "b1 b 0 v=uplim(v(a),1,0.1)",
                           "r1 b 0 1k", ".end",        NULL};
    deck_of(&d, lines);
    char err[512];
    assert_int_equal(ngs_compat(s, "lta", err, sizeof err), AS_OK);
    assert_int_equal(ngs_load(s, &d, "lt.cir", err, sizeof err), AS_OK);
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_OK);
    double *b = NULL;
    size_t nb = 0;
    assert_int_equal(ngs_vec_real(s, "b", &b, &nb, err, sizeof err), AS_OK);
    assert_true(b[0] > 0.9 && b[0] <= 1.0); /* held at the limit 1 */
    free(b);
    struct strv nodes = {0};
    assert_int_equal(ngs_nodeset(s, &nodes, err, sizeof err), AS_OK);
    assert_int_equal(nodes.len, 2); /* a and b; no branch current */
    assert_true(strcmp(nodes.items[0], ".nodeset v(a)=2") == 0 ||
                strcmp(nodes.items[1], ".nodeset v(a)=2") == 0);
    strv_free(&nodes);
    assert_int_equal(ngs_compat(s, NULL, err, sizeof err), AS_OK);
    assert_int_equal(ngs_load(s, &d, "lt.cir", err, sizeof err), AS_ESIM);
    assert_non_null(strstr(err, "uplim"));
    assert_int_equal(ngs_compat(s, "set x", err, sizeof err), AS_EINPUT);
    strv_free(&d);
}

static void memory_growth_per_run_stays_within_the_documented_bound(void **state)
{
    (void)state;
#ifdef __SANITIZE_ADDRESS__
    skip(); /* AddressSanitizer's allocator keeps freed memory in quarantine */
#endif
    struct strv d = {0};
    const char *lines[] = {"rc", "v1 in 0 dc 0 ac 1", "r1 in out 1k", "c1 out 0 1u", ".end", NULL};
    deck_of(&d, lines);
    char err[512];
    const int warmup = 50, runs = 400;
    long before = 0;
    for (int i = 0; i < warmup + runs; i++) {
        if (i == warmup)
            before = rss_kib();
        assert_int_equal(ngs_load(s, &d, "rc", err, sizeof err), AS_OK);
        assert_int_equal(ngs_run(s, "ac dec 10 20 20000", err, sizeof err), AS_OK);
    }
    double per_run = (double)(rss_kib() - before) / runs;
    print_message("resident memory growth: %.2f KiB per load+run over %d runs\n", per_run, runs);
    assert_true(per_run < GROWTH_BOUND_KIB_PER_RUN);
    strv_free(&d);
}

static void only_one_session_per_process(void **state)
{
    (void)state;
    struct ngs *second = NULL;
    char err[256] = "";
    assert_int_equal(ngs_open(&second, err, sizeof err), AS_EDEAD);
    assert_null(second);
    assert_non_null(strstr(err, "already open"));
    ngs_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operating_point_vectors_are_copied_out),
        cmocka_unit_test(a_save_list_holds_for_every_analysis_until_the_next_load),
        cmocka_unit_test(ngspice_errors_fail_the_call_and_quote_ngspice),
        cmocka_unit_test(absurd_values_reported_as_success_are_caught),
        cmocka_unit_test(a_non_converging_operating_point_fails),
        cmocka_unit_test(a_compatibility_mode_applies_to_the_next_load_only_while_set),
        cmocka_unit_test(memory_growth_per_run_stays_within_the_documented_bound),
        cmocka_unit_test(only_one_session_per_process),
    };
    return cmocka_run_group_tests(tests, open_session, close_session);
}
