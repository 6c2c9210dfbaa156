/* assess: the four criteria read from hand-made fr and large rows of one
 * amp and load. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "run/assess.h"

static const struct verdict_settings defaults = {
    .profile = VERDICT_AUTO,
    .spk_sens_db = VERDICT_SPK_SENS_DB,
    .spk_distance_m = VERDICT_SPK_DISTANCE_M,
    .spk_target_db = VERDICT_SPK_TARGET_DB,
    .hp_sens_db = VERDICT_HP_SENS_DB,
    .hp_target_db = VERDICT_HP_TARGET_DB,
    .max_dev_db = VERDICT_MAX_DEV_DB,
};

static void near(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.8g, want %.8g", got, want);
}

static struct fr_row fr(double f, double dev, double zload, double zout)
{
    struct fr_row r = {.amp = "a",
                       .load = "resistor",
                       .load_ohm = 8,
                       .freq_hz = f,
                       .dev_db = dev,
                       .zload_ohm = zload,
                       .zout_ohm = zout};
    return r;
}

static void criteria_are_read_from_the_rows_of_the_amp_and_load(void **state)
{
    (void)state;
    struct fr_row frs[] = {
        fr(10, -5.0, 8, 0.01),   /* below the band: ignored */
        fr(20, -1.2, 8, 2.0),    /* damping 4 */
        fr(1000, 0.0, 8, 0.1),   /* damping 80 */
        fr(20000, -0.3, 8, 0.5), /* damping 16 */
    };
    struct fr_table ft = {.rows = frs, .len = 4};
    struct large_row lr[3];
    memset(lr, 0, sizeof lr);
    for (int i = 0; i < 3; i++) {
        snprintf(lr[i].amp, sizeof lr[i].amp, "a");
        snprintf(lr[i].load, sizeof lr[i].load, "resistor");
        lr[i].load_ohm = 8;
        lr[i].limit = LARGE_VOLTAGE;
        lr[i].n_devices = 2;
        snprintf(lr[i].device[1], sizeof lr[i].device[1], "q1");
        snprintf(lr[i].device[2], sizeof lr[i].device[2], "q2");
        lr[i].tj_max_c[1] = lr[i].tj_max_c[2] = 150;
        lr[i].tj_worst_c[1] = 100;
        lr[i].tj_worst_c[2] = 120;
    }
    /* the verdict reads the voltage: power into the nominal 8 ohm */
    lr[0].vout_rms_v = sqrt(2.0 * 8);
    lr[1].vout_rms_v = sqrt(1.5 * 8);
    lr[2].vout_rms_v = sqrt(1.8 * 8);
    lr[2].tj_worst_c[2] = 160; /* q2 over its maximum at one frequency */
    struct large_table lt = {.rows = lr, .len = 3};
    struct load_spec r8 = {.nominal_ohm = 8};
    struct verdict v;
    assess_judge("a", &r8, &defaults, &ft, &lt, &v);
    assert_int_equal(v.profile, VERDICT_SPEAKER);
    near(v.check[VERDICT_POWER].value, 1.5, 1e-12);
    near(v.check[VERDICT_POWER].limit, 79.81, 1e-3);
    assert_int_equal(v.check[VERDICT_POWER].pass, 0);
    near(v.check[VERDICT_FR_DEVIATION].value, 1.2, 1e-12);
    assert_int_equal(v.check[VERDICT_FR_DEVIATION].pass, 0);
    near(v.check[VERDICT_DAMPING].value, 4.0, 1e-12);
    assert_int_equal(v.check[VERDICT_DAMPING].pass, 0);
    near(v.check[VERDICT_THERMAL].value, 160, 1e-12);
    assert_int_equal(v.check[VERDICT_THERMAL].pass, 0);
    assert_string_equal(v.hottest, "q2");
    /* 10 log10(1.5 / 79.81) = -17.26 dB; 87 + 1.76 - 6.02 = 82.7 dB SPL */
    char line[512];
    verdict_sentence(&v, line, sizeof line);
    print_message("%s\n", line);
    assert_non_null(strstr(line, "delivers 1.5 W into 8 ohm, needs 79.8 W: 17.3 dB short; "
                                 "reaches 83 dB SPL at 2 m"));
    assert_non_null(strstr(line, "q2 reaches 160 C"));
    /* another load: nothing measured, everything unknown */
    struct load_spec r4 = {.nominal_ohm = 4};
    assess_judge("a", &r4, &defaults, &ft, &lt, &v);
    for (int c = 0; c < VERDICT_N_CRITERIA; c++)
        assert_int_equal(v.check[c].pass, -1);
}

static void a_failed_frequency_leaves_power_unknown(void **state)
{
    (void)state;
    struct large_row lr[2];
    memset(lr, 0, sizeof lr);
    for (int i = 0; i < 2; i++) {
        snprintf(lr[i].amp, sizeof lr[i].amp, "a");
        snprintf(lr[i].load, sizeof lr[i].load, "resistor");
        lr[i].load_ohm = 32;
        lr[i].vout_rms_v = sqrt(0.1 * 32);
    }
    lr[1].limit = LARGE_FAILED;
    struct large_table lt = {.rows = lr, .len = 2};
    struct load_spec r32 = {.nominal_ohm = 32};
    struct verdict v;
    assess_judge("a", &r32, &defaults, NULL, &lt, &v);
    assert_int_equal(v.profile, VERDICT_HEADPHONE);
    assert_int_equal(v.check[VERDICT_POWER].pass, -1);
    assert_true(isnan(v.p_available_w));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(criteria_are_read_from_the_rows_of_the_amp_and_load),
        cmocka_unit_test(a_failed_frequency_leaves_power_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
