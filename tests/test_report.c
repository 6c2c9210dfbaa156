/* report and findings: the page escapes every string from the results,
 * carries the sentences, answers and claims computed from the numbers,
 * and needs nothing from the network. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "report/findings.h"
#include "report/report.h"
#include "results/results.h"
#include "results_fixture.h"
#include "testutil.h"

static char dir[512];

static struct results *fixture(void)
{
    snprintf(dir, sizeof dir, "%s/rep", tu_dir());
    fx_write(dir);
    struct results *r = NULL;
    char err[512] = "";
    assert_int_equal(results_read(dir, &r, err, sizeof err), AS_OK);
    return r;
}

static char *write_report(struct results *r)
{
    char err[512] = "", path[1024];
    struct plot_figure fig = {.stem = "zout", .caption = "cap <tion>", .amp = -1, .rendered = 1};
    struct plot_set set = {.figs = &fig, .n = 1};
    assert_int_equal(report_write(r, dir, &set, err, sizeof err), AS_OK);
    snprintf(path, sizeof path, "%s/report.html", dir);
    return tu_read(path);
}

static void report_escapes_every_string_from_the_results(void **state)
{
    (void)state;
    struct results *r = fixture();
    char *html = write_report(r);
    assert_non_null(html);
    assert_null(strstr(html, "<script>alert"));
    assert_null(strstr(html, "<b>&"));
    assert_non_null(strstr(html, "hp&#39;&lt;b&gt;&amp;"));
    assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(html, "bad&lt;x&gt;.cir: bad &amp; broken") ||
                    strstr(html, "bad&lt;x&gt;.cir</code>: bad &amp; broken"));
    assert_non_null(strstr(html, "cap &lt;tion&gt;"));
    free(html);
    results_free(r);
}

static void report_is_self_contained_with_verdict_sentences_and_figures(void **state)
{
    (void)state;
    struct results *r = fixture();
    char *html = write_report(r);
    assert_non_null(html);
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "<script src"));
    assert_non_null(strstr(html, "needs 79.8 W &lt;short&gt;"));
    assert_non_null(strstr(html, "<img src=\"plots/zout.png\""));
    assert_non_null(strstr(html, "href=\"plots/zout.svg\""));
    assert_non_null(strstr(html, "Can it drive speakers?"));
    assert_non_null(strstr(html, "Common claims"));
    free(html);
    results_free(r);
}

static void answers_name_the_criteria_that_fail_and_the_power_shortfall(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct findings_answer_text t;
    findings_answer(r, 0, "speaker", &t);
    assert_int_equal(t.answer, FINDINGS_NO);
    assert_non_null(strstr(t.text, "160 mW"));
    assert_non_null(strstr(t.text, "79.8 W"));
    assert_non_null(strstr(t.text, "27.0 dB short"));
    assert_non_null(strstr(t.text, "Fails power into 8 Ω"));
    findings_answer(r, 1, "headphone", &t);
    assert_int_equal(t.answer, FINDINGS_NO);
    assert_non_null(strstr(t.text, "Fails thermal into 32 Ω"));
    r->amps[1].loads[1].pass = 1;
    findings_answer(r, 1, "headphone", &t);
    assert_int_equal(t.answer, FINDINGS_YES);
    r->amps[1].n_loads = 1; /* only the 8 ohm speaker load is left */
    findings_answer(r, 1, "headphone", &t);
    assert_int_equal(t.answer, FINDINGS_NOT_TESTED);
    results_free(r);
}

static void claims_are_judged_from_the_numbers(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct findings_claim c[FINDINGS_N_CLAIMS];
    findings_claims(r, c);
    /* 0.16 W into 8 ohm */
    assert_int_equal(c[0].verdict, FINDINGS_SUPPORTED);
    assert_non_null(strstr(c[0].evidence, "160 mW"));
    /* |Zout| 2 ohm */
    assert_int_equal(c[1].verdict, FINDINGS_SUPPORTED);
    assert_non_null(strstr(c[1].evidence, "|Zout| 2 Ω"));
    /* hp at 32 ohm meets the 1/8 rule yet deviates 1.5 dB */
    assert_int_equal(c[2].verdict, FINDINGS_REFUTED);
    assert_non_null(strstr(c[2].evidence, "at most 1.5 dB"));
    /* neither amp passes anywhere */
    assert_int_equal(c[3].verdict, FINDINGS_REFUTED);
    /* 85 C into 8 ohm against 60 C into 32: hotter, within the limit */
    assert_int_equal(c[4].verdict, FINDINGS_MIXED);
    assert_non_null(strstr(c[4].evidence, "85 °C"));
    r->diss[1].tj_worst_c = 170;
    findings_claims(r, c);
    assert_int_equal(c[4].verdict, FINDINGS_SUPPORTED);
    results_free(r);
}

static void claims_without_the_measurements_are_not_tested(void **state)
{
    (void)state;
    struct results *r = fixture();
    r->n_fr = r->n_power = r->n_diss = r->n_verdicts = 0;
    for (size_t i = 0; i < r->n_amps; i++)
        for (size_t k = 0; k < r->amps[i].n_loads; k++) {
            r->amps[i].loads[k].p_available_w = NAN;
            r->amps[i].loads[k].pass = -1;
        }
    struct findings_claim c[FINDINGS_N_CLAIMS];
    findings_claims(r, c);
    for (int i = 0; i < FINDINGS_N_CLAIMS; i++)
        assert_int_equal(c[i].verdict, FINDINGS_UNTESTED);
    results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_escapes_every_string_from_the_results),
        cmocka_unit_test(report_is_self_contained_with_verdict_sentences_and_figures),
        cmocka_unit_test(answers_name_the_criteria_that_fail_and_the_power_shortfall),
        cmocka_unit_test(claims_are_judged_from_the_numbers),
        cmocka_unit_test(claims_without_the_measurements_are_not_tested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
