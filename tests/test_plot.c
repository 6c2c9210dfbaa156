/* plot and gprun: scripts in a folder whose name has a space and a quote,
 * re-rendered by plain gnuplot from another folder, names quoted, and a
 * gnuplot that fails reported without losing the other figures. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/gprun.h"
#include "report/plot.h"
#include "results/results.h"
#include "results/schema.h"
#include "results_fixture.h"
#include "testutil.h"

static char dir[512];

static struct results *fixture(void)
{
    snprintf(dir, sizeof dir, "%s/with space 'q'", tu_dir());
    fx_write(dir);
    struct results *r = NULL;
    char err[512] = "";
    assert_int_equal(results_read(dir, &r, err, sizeof err), AS_OK);
    return r;
}

static int exists(const char *stem, const char *ext)
{
    char path[1024];
    struct stat sb;
    snprintf(path, sizeof path, "%s/plots/%s.%s", dir, stem, ext);
    return stat(path, &sb) == 0 && sb.st_size > 0;
}

static void plot_draws_every_figure_as_png_and_svg_in_a_folder_with_a_space(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    /* level, limits, power, zout, thd, thermal, the failure map; per amp
     * fr_dev, and a frequency failure map (both amps' maps vary) */
    assert_int_equal(set->n, 11);
    assert_int_equal(plot_render(dir, set, stderr, err, sizeof err), AS_OK);
    for (size_t i = 0; i < set->n; i++) {
        assert_true(set->figs[i].rendered);
        assert_true(exists(set->figs[i].stem, "gp"));
        assert_true(exists(set->figs[i].stem, "png"));
        assert_true(exists(set->figs[i].stem, "svg"));
    }
    assert_true(exists("failure_map", "csv"));
    assert_true(exists("levels", "csv"));
    assert_true(exists("verdict_map", "csv"));
    plot_set_free(set);
    plot_set_free(NULL);
    results_free(r);
}

static void plot_names_per_amp_files_safely_and_quotes_names_in_scripts(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    int found = 0;
    for (size_t i = 0; i < set->n; i++) {
        assert_null(strpbrk(set->figs[i].stem, "'<>&/ "));
        found |= strcmp(set->figs[i].stem, "fr_dev_pw") == 0;
    }
    assert_true(found);
    char path[1024];
    snprintf(path, sizeof path, "%s/plots/zout.gp", dir);
    char *text = tu_read(path);
    assert_non_null(text);
    assert_non_null(strstr(text, "'hp''<b>&'")); /* a quote is doubled in gnuplot */
    assert_non_null(strstr(text, "data.'fr.csv'"));
    free(text);
    plot_set_free(set);
    results_free(r);
}

static void a_script_re_renders_with_plain_gnuplot_from_another_folder(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "", script[1024], log[1024], png[1024];
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    snprintf(script, sizeof script, "%s/plots/power_vs_load.gp", dir);
    snprintf(log, sizeof log, "%s/gnuplot.log", tu_dir());
    snprintf(png, sizeof png, "%s/plots/power_vs_load.png", dir);
    unlink(png);
    char cwd[1024];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir("/"), 0);
    enum as_status st = gprun_script(script, log, err, sizeof err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(st, AS_OK);
    assert_true(exists("power_vs_load", "png"));
    plot_set_free(set);
    results_free(r);
}

static void a_failing_gnuplot_is_reported_and_the_other_figures_still_tried(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    setenv("AMPSWEEP_GNUPLOT", "false", 1);
    FILE *diag = tmpfile();
    enum as_status st = plot_render(dir, set, diag, err, sizeof err);
    unsetenv("AMPSWEEP_GNUPLOT");
    assert_int_equal(st, AS_EIO);
    assert_non_null(strstr(err, "spl_vs_load.gp"));
    for (size_t i = 0; i < set->n; i++)
        assert_false(set->figs[i].rendered);
    assert_true(ftell(diag) > 0);
    fclose(diag);
    setenv("AMPSWEEP_GNUPLOT", "/nonexistent/gnuplot", 1);
    assert_int_equal(gprun_script("x.gp", "/dev/null", err, sizeof err), AS_EIO);
    unsetenv("AMPSWEEP_GNUPLOT");
    assert_non_null(strstr(err, "gnuplot"));
    plot_set_free(set);
    results_free(r);
}

static void every_script_names_its_columns_from_the_schema_and_uses_no_column_numbers(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "", path[1024];
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    for (size_t i = 0; i < set->n; i++) {
        snprintf(path, sizeof path, "%s/plots/%s.gp", dir, set->figs[i].stem);
        char *text = tu_read(path);
        assert_non_null(text);
        for (const char *p = strchr(text, '$'); p; p = strchr(p + 1, '$'))
            assert_false(p[1] >= '0' && p[1] <= '9');
        assert_null(strstr(text, "column(1"));
        assert_null(strstr(text, "strcol(1"));
        assert_non_null(strstr(text, "c_amp = 1\n"));
        assert_non_null(strstr(text, "strcol(c_amp)"));
        free(text);
    }
    /* the power figure reads p_max_w at its place in power.csv */
    const struct results_schema *t = results_schema(RESULTS_POWER);
    char want[64];
    snprintf(want, sizeof want, "c_p_max_w = %d\n", RESULTS_POWER_P_MAX_W + 1);
    snprintf(path, sizeof path, "%s/plots/power_vs_load.gp", dir);
    char *text = tu_read(path);
    assert_non_null(text);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "column(c_p_max_w)"));
    assert_non_null(strstr(text, t->file));
    free(text);
    plot_set_free(set);
    results_free(r);
}

static char *script(const char *stem)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/plots/%s.gp", dir, stem);
    return tu_read(path);
}

static int figure_index(const struct plot_set *set, const char *stem)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->figs[i].stem, stem) == 0)
            return (int)i;
    return -1;
}

static void the_level_and_limit_figures_lead_and_draw_tiers_targets_and_limits(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    int lv = figure_index(set, "spl_vs_load"), lim = figure_index(set, "limits_vs_load");
    assert_true(lv == 0 && lim == 1);
    assert_true(set->figs[lv].lead && set->figs[lim].lead);
    assert_false(set->figs[figure_index(set, "zout")].lead);
    char *t = script("spl_vs_load");
    assert_non_null(t);
    /* two panels, the tiers as bands, the targets of the settings */
    assert_non_null(strstr(t, "set multiplot layout 1,2"));
    assert_non_null(strstr(t, "Speakers: peak level at the seat"));
    assert_non_null(strstr(t, "Headphones: peak level at the ear"));
    assert_non_null(strstr(t, "at the seat, target 100 dB (dashed)"));
    assert_non_null(strstr(t, "at the ear, target 110 dB (dashed)"));
    assert_non_null(strstr(t, "'reference'"));
    assert_non_null(strstr(t, "'too quiet'"));
    assert_non_null(strstr(t, "column(c_spl_db)"));
    free(t);
    t = script("limits_vs_load");
    assert_non_null(t);
    assert_non_null(strstr(t, "column(c_vout_rms_v)"));
    assert_non_null(strstr(t, "column(c_iout_pk_a)"));
    assert_non_null(strstr(t, "lpt(strcol(c_limit))"));
    assert_non_null(strstr(t, "'current-limited'"));
    free(t);
    plot_set_free(set);
    results_free(r);
}

static void
the_heat_figure_shows_an_eighth_of_full_power_and_the_worst_case_as_a_stress_case(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    char *t = script("thermal_vs_load");
    assert_non_null(t);
    assert_non_null(strstr(t, "column(c_tj_eighth_c)"));
    assert_non_null(strstr(t, "column(c_tj_worst_c)"));
    assert_non_null(strstr(t, "'worst case (stress)'"));
    /* a panel per amp that lists devices */
    assert_non_null(strstr(t, "set multiplot layout 1,2"));
    free(t);
    plot_set_free(set);
    results_free(r);
}

static void a_frequency_failure_map_is_drawn_only_for_an_amp_whose_map_varies(void **state)
{
    (void)state;
    struct results *r = fixture();
    /* hp flat into 32 ohm: each of its rows is one colour; pw's damping
     * still fails at 100 Hz only */
    r->fr[5].dev_db = 0;
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    assert_true(figure_index(set, "failure_map") >= 0);
    assert_true(figure_index(set, "failure_map_pw") >= 0);
    size_t n_maps = 0;
    for (size_t i = 0; i < set->n; i++)
        n_maps += strncmp(set->figs[i].stem, "failure_map_", 12) == 0;
    assert_int_equal(n_maps, 1);
    plot_set_free(set);
    results_free(r);
}

static void scripts_show_ohms_to_three_significant_digits(void **state)
{
    (void)state;
    struct results *r = fixture();
    struct plot_set *set = NULL;
    char err[1024] = "";
    assert_int_equal(plot_write(r, dir, &set, err, sizeof err), AS_OK);
    char *t = script("failure_map");
    assert_non_null(t);
    assert_non_null(strstr(t, "'15.8 Ω'"));
    assert_null(strstr(t, "15.8489 Ω"));
    free(t);
    plot_set_free(set);
    results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plot_draws_every_figure_as_png_and_svg_in_a_folder_with_a_space),
        cmocka_unit_test(plot_names_per_amp_files_safely_and_quotes_names_in_scripts),
        cmocka_unit_test(a_script_re_renders_with_plain_gnuplot_from_another_folder),
        cmocka_unit_test(a_failing_gnuplot_is_reported_and_the_other_figures_still_tried),
        cmocka_unit_test(every_script_names_its_columns_from_the_schema_and_uses_no_column_numbers),
        cmocka_unit_test(the_level_and_limit_figures_lead_and_draw_tiers_targets_and_limits),
        cmocka_unit_test(
            the_heat_figure_shows_an_eighth_of_full_power_and_the_worst_case_as_a_stress_case),
        cmocka_unit_test(a_frequency_failure_map_is_drawn_only_for_an_amp_whose_map_varies),
        cmocka_unit_test(scripts_show_ohms_to_three_significant_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
