/* report and findings: the page escapes every string from the results,
 * carries the sentences, answers and claims computed from the numbers,
 * and needs nothing from the network. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "judge/verdict.h"
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
    struct plot_figure figs[2] = {
        {.stem = "zout", .caption = "cap <tion>", .amp = -1, .rendered = 1},
        {.stem = "spl_vs_load", .caption = "levels", .amp = -1, .lead = 1, .rendered = 1}};
    struct plot_set set = {.figs = figs, .n = 2};
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
    assert_non_null(strstr(html, "(needs 20 W) &lt;short&gt;"));
    assert_non_null(strstr(html, "<img src=\"plots/zout.png\""));
    assert_non_null(strstr(html, "href=\"plots/zout.svg\""));
    assert_non_null(strstr(html, "Can it drive speakers?"));
    assert_non_null(strstr(html, "Common claims"));
    free(html);
    results_free(r);
}

static void the_report_opens_with_the_matrix_and_the_lead_figures_then_each_amp(void **state)
{
    (void)state;
    struct results *r = fixture();
    char *html = write_report(r);
    assert_non_null(html);
    const char *matrix = strstr(html, "<table class=\"matrix\">");
    const char *lead = strstr(html, "plots/spl_vs_load.png");
    const char *amp = strstr(html, "<section class=\"amp\"");
    const char *other = strstr(html, "plots/zout.png");
    assert_non_null(matrix);
    assert_non_null(lead);
    assert_non_null(amp);
    assert_non_null(other);
    assert_true(matrix < lead && lead < amp && amp < other);
    /* the long per-amp tables are folded */
    const char *details = strstr(amp, "<details>");
    assert_non_null(details);
    assert_true(strstr(details, "<table class=\"verdict\">") < strstr(details, "</details>"));
    free(html);
    results_free(r);
}

static void a_matrix_cell_holds_the_level_the_mark_and_the_first_cause(void **state)
{
    (void)state;
    struct results *r = fixture();
    char *html = write_report(r);
    assert_non_null(html);
    const char *m = strstr(html, "<table class=\"matrix\">");
    assert_non_null(m);
    /* hp into 8 ohm: 79 dB, fails, the output current limits */
    assert_non_null(strstr(m, "<b>79 dB</b> ✗<br><span class=\"cause\">current limit</span>"));
    /* pw into 8 ohm: loud enough, damping fails */
    assert_non_null(strstr(m, "<b>107 dB</b> ✗<br><span class=\"cause\">damping</span>"));
    /* a pass names the tier */
    assert_non_null(strstr(m, "<b>125 dB</b> ✓<br><span class=\"cause\">reference</span>"));
    /* the sentence is the cell's title */
    assert_non_null(strstr(m, "title=\"79 dB peaks at 2 m (too quiet): no, output current"));
    free(html);
    results_free(r);
}

static void the_16_ohm_column_shows_both_profiles_and_names_the_swept_load(void **state)
{
    (void)state;
    struct results *r = fixture();
    char *html = write_report(r);
    assert_non_null(html);
    const char *m = strstr(html, "<table class=\"matrix\">");
    assert_non_null(m);
    /* the nearest swept load to 16 ohm, rounded, and what it stands for */
    assert_non_null(strstr(m, "<th>15.8 Ω<br><span class=\"note\">for 16 Ω</span></th>"));
    assert_non_null(strstr(m, "<col class=\"twin\">"));
    const char *spk = strstr(m, "<span class=\"use\">spk</span> <b>82 dB</b> ✗");
    const char *hp = strstr(m, "<span class=\"use\">hp</span> <b>125 dB</b> ✓");
    assert_non_null(spk);
    assert_non_null(hp);
    assert_true(spk < hp);
    assert_non_null(strstr(m, "data-profile=\"speaker\""));
    assert_non_null(strstr(m, "data-profile=\"headphone\""));
    /* 8 and 32 ohm were swept exactly: no note; pw was not swept at 15.8 */
    assert_non_null(strstr(m, "<th>8 Ω</th>"));
    assert_non_null(strstr(m, "not swept"));
    free(html);
    results_free(r);
}

static void ohm_values_are_rounded_to_three_significant_digits_everywhere(void **state)
{
    (void)state;
    char t[32];
    findings_ohm(4.97362, t, sizeof t);
    assert_string_equal(t, "4.97 Ω");
    findings_ohm(600, t, sizeof t);
    assert_string_equal(t, "600 Ω");
    findings_ohm(15.8489, t, sizeof t);
    assert_string_equal(t, "15.8 Ω");
    findings_ohm(1234.5, t, sizeof t);
    assert_string_equal(t, "1230 Ω");
    struct results *r = fixture();
    char *html = write_report(r);
    assert_non_null(html);
    assert_null(strstr(html, "15.8489"));
    assert_non_null(strstr(html, "15.8 Ω"));
    free(html);
    results_free(r);
}

static void answers_lead_with_the_level_and_name_the_criteria_that_fail(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct findings_answer_text t;
    findings_answer(r, 0, "speaker", &t);
    assert_int_equal(t.answer, FINDINGS_NO);
    assert_non_null(strstr(t.text, "At best 82 dB SPL peaks at the seat (background, 300 mW "
                                   "into 15.8 Ω); the target is 100 dB."));
    /* neighbouring resistors of the sweep as a range */
    assert_non_null(strstr(t.text, "Fails power into 8–15.8 Ω."));
    findings_answer(r, 0, "headphone", &t);
    assert_int_equal(t.answer, FINDINGS_PARTLY);
    assert_non_null(strstr(t.text, "passes every criterion into 15.8 Ω"));
    assert_non_null(strstr(t.text, "the target is 110 dB"));
    assert_non_null(strstr(t.text, "Fails frequency response into 32 Ω."));
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

static void the_first_cause_is_named_in_a_word_or_two(void **state)
{
    (void)state;
    struct results *r = fixture();
    assert_string_equal(findings_cause(&r->amps[0].loads[0]), "current limit");
    assert_string_equal(findings_cause(&r->amps[0].loads[2]), "");
    assert_string_equal(findings_cause(&r->amps[0].loads[3]), "response");
    assert_string_equal(findings_cause(&r->amps[1].loads[0]), "damping");
    assert_string_equal(findings_cause(&r->amps[1].loads[1]), "heat");
    r->amps[0].loads[0].limit = "voltage";
    assert_string_equal(findings_cause(&r->amps[0].loads[0]), "voltage limit");
    r->amps[0].loads[2].crit_pass[VERDICT_DC_OFFSET] = 0;
    r->amps[0].loads[2].pass = 0;
    assert_string_equal(findings_cause(&r->amps[0].loads[2]), "DC offset");
    results_free(r);
}

static void claims_are_judged_from_the_numbers(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct findings_claim c[FINDINGS_N_CLAIMS];
    findings_claims(r, c);
    /* at most 0.3 W into a speaker load */
    assert_int_equal(c[0].verdict, FINDINGS_SUPPORTED);
    assert_non_null(strstr(c[0].evidence, "at most 300 mW (into 15.8 Ω, 82 dB SPL at the seat)"));
    /* |Zout| 2 ohm */
    assert_int_equal(c[1].verdict, FINDINGS_SUPPORTED);
    assert_non_null(strstr(c[1].evidence, "|Zout| 2 Ω"));
    /* hp at 32 ohm meets the 1/8 rule yet deviates 1.5 dB */
    assert_int_equal(c[2].verdict, FINDINGS_REFUTED);
    assert_non_null(strstr(c[2].evidence, "at most 1.5 dB"));
    /* hp passes into a headphone load and no speaker: fits; pw passes into
     * no speaker load (damping): does not */
    assert_int_equal(c[3].verdict, FINDINGS_MIXED);
    assert_non_null(strstr(c[3].evidence, "passes into 0 of 2 speaker loads and 1 of 2 headphone"));
    /* at 1/8 power: 46.1 C into 8 ohm against 37.8 C into 32: not 10 C hotter */
    assert_int_equal(c[4].verdict, FINDINGS_REFUTED);
    assert_non_null(strstr(c[4].evidence, "46.1 °C into 8 Ω at 1/8 power"));
    r->diss[1].tj_worst_c = 170; /* the stress case does not count */
    findings_claims(r, c);
    assert_int_equal(c[4].verdict, FINDINGS_REFUTED);
    r->diss[1].tj_eighth_c = 60;
    findings_claims(r, c);
    assert_int_equal(c[4].verdict, FINDINGS_MIXED);
    r->diss[1].tj_eighth_c = 170;
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
        cmocka_unit_test(the_report_opens_with_the_matrix_and_the_lead_figures_then_each_amp),
        cmocka_unit_test(a_matrix_cell_holds_the_level_the_mark_and_the_first_cause),
        cmocka_unit_test(the_16_ohm_column_shows_both_profiles_and_names_the_swept_load),
        cmocka_unit_test(ohm_values_are_rounded_to_three_significant_digits_everywhere),
        cmocka_unit_test(answers_lead_with_the_level_and_name_the_criteria_that_fail),
        cmocka_unit_test(the_first_cause_is_named_in_a_word_or_two),
        cmocka_unit_test(claims_are_judged_from_the_numbers),
        cmocka_unit_test(claims_without_the_measurements_are_not_tested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
