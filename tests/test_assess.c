/* assess: the criteria read from hand-made fr and large rows of one amp
 * and load: power and its limit at the weakest frequency, heat at 1/8
 * power, the DC offset, and a 16 ohm resistor judged both ways. */
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
    .spk_sens_2v83_db = NAN,
    .spk_distance_m = VERDICT_SPK_DISTANCE_M,
    .spk_pair_gain_db = VERDICT_SPK_PAIR_GAIN_DB,
    .spk_room_gain_db = VERDICT_SPK_ROOM_GAIN_DB,
    .spk_target_db = VERDICT_SPK_TARGET_DB,
    .hp_sens_db = VERDICT_HP_SENS_DB,
    .hp_sens_v_db = NAN,
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
        lr[i].tj_eighth_c[1] = 90;
        lr[i].tj_eighth_c[2] = 110;
        lr[i].vout_dc_v = 0.004;
    }
    /* the verdict reads the voltage: power into the nominal 8 ohm */
    lr[0].vout_rms_v = sqrt(2.0 * 8);
    lr[1].vout_rms_v = sqrt(1.5 * 8);
    lr[2].vout_rms_v = sqrt(1.8 * 8);
    lr[1].limit = LARGE_CURRENT; /* the weakest frequency limits on current */
    lr[2].tj_worst_c[1] = 190;   /* q1 over its maximum on a full-power sine ... */
    lr[2].tj_eighth_c[2] = 160;  /* ... but q2 is the one over at 1/8 power */
    lr[0].vout_dc_v = -0.06;     /* the largest |DC| counts */
    struct large_table lt = {.rows = lr, .len = 3};
    struct load_spec r8 = {.nominal_ohm = 8};
    struct verdict vs[2], v;
    assert_int_equal(assess_judge("a", &r8, &defaults, &ft, &lt, vs), 1);
    v = vs[0];
    assert_int_equal(v.profile, VERDICT_SPEAKER);
    near(v.check[VERDICT_POWER].value, 1.5, 1e-12);
    near(v.check[VERDICT_POWER].limit, 20.05, 1e-3);
    assert_string_equal(v.limit, "current");
    assert_int_equal(v.check[VERDICT_POWER].pass, 0);
    near(v.check[VERDICT_FR_DEVIATION].value, 1.2, 1e-12);
    assert_int_equal(v.check[VERDICT_FR_DEVIATION].pass, 0);
    near(v.check[VERDICT_DAMPING].value, 4.0, 1e-12);
    assert_int_equal(v.check[VERDICT_DAMPING].pass, 0);
    near(v.check[VERDICT_THERMAL].value, 160, 1e-12);
    assert_int_equal(v.check[VERDICT_THERMAL].pass, 0);
    assert_string_equal(v.hottest, "q2");
    near(v.check[VERDICT_DC_OFFSET].value, 0.06, 1e-12);
    assert_int_equal(v.check[VERDICT_DC_OFFSET].pass, 0);
    /* 87 + 1.76 - 6.02 + 6 = 88.7 dB SPL: background */
    char line[512];
    verdict_sentence(&v, line, sizeof line);
    print_message("%s\n", line);
    assert_non_null(strstr(line, "89 dB peaks at 2 m (background): no, output current limits at "
                                 "1.5 W (needs 20 W)"));
    assert_non_null(strstr(line, "q2 reaches 160 C at 1/8 power"));
    /* another load: nothing measured, everything unknown */
    struct load_spec r4 = {.nominal_ohm = 4};
    assess_judge("a", &r4, &defaults, &ft, &lt, vs);
    v = vs[0];
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
    struct verdict vs[2], v;
    assess_judge("a", &r32, &defaults, NULL, &lt, vs);
    v = vs[0];
    assert_int_equal(v.profile, VERDICT_HEADPHONE);
    assert_int_equal(v.check[VERDICT_POWER].pass, -1);
    assert_true(isnan(v.p_available_w));
}

static void a_16_ohm_resistor_is_judged_as_a_speaker_and_as_a_headphone(void **state)
{
    (void)state;
    struct large_row lr;
    memset(&lr, 0, sizeof lr);
    snprintf(lr.amp, sizeof lr.amp, "a");
    snprintf(lr.load, sizeof lr.load, "resistor");
    lr.load_ohm = 16;
    lr.limit = LARGE_VOLTAGE;
    lr.vout_rms_v = 4.0; /* 1 W into 16 ohm */
    lr.vout_dc_v = 0.0;
    struct large_table lt = {.rows = &lr, .len = 1};
    struct load_spec r16 = {.nominal_ohm = 16};
    struct verdict vs[2];
    assert_int_equal(assess_judge("a", &r16, &defaults, NULL, &lt, vs), 2);
    assert_int_equal(vs[0].profile, VERDICT_SPEAKER);
    assert_int_equal(vs[1].profile, VERDICT_HEADPHONE);
    /* 1 W: 87 - 6.02 + 6 = 87 dB at the seat; 100 + 30 = 130 dB at the ear */
    near(vs[0].spl_db, 87 - 20 * log10(2) + 6, 1e-12);
    near(vs[1].spl_db, 130, 1e-12);
    assert_int_equal(vs[0].check[VERDICT_POWER].pass, 0);
    assert_int_equal(vs[1].check[VERDICT_POWER].pass, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_16_ohm_resistor_is_judged_as_a_speaker_and_as_a_headphone),
        cmocka_unit_test(criteria_are_read_from_the_rows_of_the_amp_and_load),
        cmocka_unit_test(a_failed_frequency_leaves_power_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
