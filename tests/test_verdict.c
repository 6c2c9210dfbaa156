/* verdict: the rules on plain numbers: profile arithmetic against
 * hand-computed cases, profiles, names and the four criteria. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "judge/verdict.h"

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

static void required_power_follows_sensitivity_distance_and_target(void **state)
{
    (void)state;
    /* 90 dB/W/m, 100 dB at 1 m: 10 dB more is 10 W */
    near(verdict_required_w(VERDICT_SPEAKER, 90, 1, 100), 10.0, 1e-12);
    /* 87 dB/W/m, 100 dB at 2 m: 13 dB is 19.95 W at 1 m, twice the distance is 4x */
    near(verdict_required_w(VERDICT_SPEAKER, 87, 2, 100), 4 * pow(10, 1.3), 1e-12);
    near(verdict_required_w(VERDICT_SPEAKER, 87, 2, 100), 79.81, 1e-3);
    /* headphones: 100 dB/mW to 115 dB is 10^1.5 mW = 31.6 mW; 110 at 110 is 1 mW */
    near(verdict_required_w(VERDICT_HEADPHONE, 100, NAN, 115), 0.031623, 1e-4);
    near(verdict_required_w(VERDICT_HEADPHONE, 110, NAN, 110), 1e-3, 1e-12);
}

static void spl_is_the_inverse_of_required_power(void **state)
{
    (void)state;
    /* 1 W into 87 dB/W/m heard at 2 m: 87 - 6.02 dB */
    near(verdict_spl_db(VERDICT_SPEAKER, 87, 2, 1.0), 87 - 20 * log10(2), 1e-12);
    near(verdict_spl_db(VERDICT_HEADPHONE, 100, NAN, 0.1), 120.0, 1e-12);
    double p = verdict_required_w(VERDICT_SPEAKER, 84, 3, 105);
    near(verdict_spl_db(VERDICT_SPEAKER, 84, 3, p), 105, 1e-12);
}

static void auto_profile_calls_16_ohm_and_below_speakers_and_trusts_load_files(void **state)
{
    (void)state;
    struct verdict_load r8 = {.name = "resistor", .nominal_ohm = 8},
                        r16 = {.name = "resistor", .nominal_ohm = 16},
                        r32 = {.name = "resistor", .nominal_ohm = 32};
    assert_int_equal(verdict_profile_for(&defaults, &r8), VERDICT_SPEAKER);
    assert_int_equal(verdict_profile_for(&defaults, &r16), VERDICT_SPEAKER);
    assert_int_equal(verdict_profile_for(&defaults, &r32), VERDICT_HEADPHONE);
    struct verdict_load f16 = {.name = "hp", .nominal_ohm = 16, .kind = "headphone"};
    assert_int_equal(verdict_profile_for(&defaults, &f16), VERDICT_HEADPHONE);
    struct verdict_settings forced = defaults;
    forced.profile = VERDICT_HEADPHONE;
    assert_int_equal(verdict_profile_for(&forced, &r8), VERDICT_HEADPHONE);
}

static void names_are_spelled_once_and_parse_back(void **state)
{
    (void)state;
    assert_string_equal(verdict_criterion_name(VERDICT_POWER), "power");
    assert_string_equal(verdict_criterion_name(VERDICT_THERMAL), "thermal");
    for (int p = VERDICT_AUTO; p <= VERDICT_HEADPHONE; p++)
        assert_int_equal(verdict_profile_parse(verdict_profile_name((enum verdict_profile)p)), p);
    assert_int_equal(verdict_profile_parse("speakers"), -1);
}

static void a_load_file_s_own_sensitivity_replaces_the_default(void **state)
{
    (void)state;
    struct verdict_load hp = {.name = "hp",
                              .nominal_ohm = 300,
                              .kind = "headphone",
                              .sens_db_spl_w = NAN,
                              .sens_db_spl_mw = 97};
    struct verdict v;
    verdict_begin("a", &hp, &defaults, &v);
    near(v.sens_db, 97, 0);
    /* 115 dB from 97 dB/mW: 18 dB over 1 mW is 63.1 mW */
    near(v.p_required_w, 1e-3 * pow(10, 1.8), 1e-12);
    for (int c = 0; c < VERDICT_N_CRITERIA; c++)
        assert_int_equal(v.check[c].pass, -1);
    verdict_judge_large(&v, 0.1, "q1", 80, 150);
    assert_int_equal(v.check[VERDICT_POWER].pass, 1);
    near(v.spl_db, 97 + 20, 1e-12);
    assert_int_equal(v.check[VERDICT_THERMAL].pass, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(required_power_follows_sensitivity_distance_and_target),
        cmocka_unit_test(spl_is_the_inverse_of_required_power),
        cmocka_unit_test(auto_profile_calls_16_ohm_and_below_speakers_and_trusts_load_files),
        cmocka_unit_test(names_are_spelled_once_and_parse_back),
        cmocka_unit_test(a_load_file_s_own_sensitivity_replaces_the_default),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
