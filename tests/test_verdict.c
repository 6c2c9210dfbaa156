/* verdict: the rules on plain numbers: the listening model's arithmetic
 * against hand-computed cases (level from power, distance, pair and room;
 * sensitivity per volt against per watt; tiers), the profiles a load is
 * judged with, names, and the sentence's level-first form. */
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

static struct verdict_load resistor(double ohm)
{
    return (struct verdict_load){.name = "resistor",
                                 .nominal_ohm = ohm,
                                 .sens_db_spl_w = NAN,
                                 .sens_db_spl_2v83 = NAN,
                                 .sens_db_spl_mw = NAN,
                                 .sens_db_spl_v = NAN};
}

static void near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.8g, want %.8g (within %g)", got, want, tol);
}

static void required_power_follows_sensitivity_distance_gain_and_target(void **state)
{
    (void)state;
    /* 90 dB/W/m, 100 dB at 1 m, no gain: 10 dB more is 10 W */
    near(verdict_required_w(VERDICT_SPEAKER, 90, 1, 0, 100), 10.0, 1e-12);
    /* one speaker in free field, 87 dB/W/m, 100 dB at 2 m: 13 dB is 19.95 W
     * at 1 m, twice the distance is 4x: 79.8 W */
    near(verdict_required_w(VERDICT_SPEAKER, 87, 2, 0, 100), 4 * pow(10, 1.3), 1e-9);
    /* a pair in a room (+3 +3 dB) at 2 m is about one speaker at 1 m in free
     * field: 100 dB from 87 dB/W needs 10^((100 - 87 + 6.0206 - 6) / 10) =
     * 20.05 W, the "about 20 W" */
    near(verdict_required_w(VERDICT_SPEAKER, 87, 2, 6, 100), pow(10, (13 + 20 * log10(2) - 6) / 10),
         1e-9);
    near(verdict_required_w(VERDICT_SPEAKER, 87, 2, 6, 100), 20.05, 0.01);
    /* headphones: 100 dB/mW to 110 dB is 10 mW; 110 at 110 is 1 mW */
    near(verdict_required_w(VERDICT_HEADPHONE, 100, NAN, 0, 110), 0.010, 1e-12);
    near(verdict_required_w(VERDICT_HEADPHONE, 110, NAN, 0, 110), 1e-3, 1e-15);
}

static void level_is_the_inverse_of_required_power(void **state)
{
    (void)state;
    /* 40 W into 87 dB/W/m at 2 m with +6 dB: 87 + 16.02 - 6.02 + 6 = 103 dB */
    near(verdict_spl_db(VERDICT_SPEAKER, 87, 2, 6, 40), 87 + 10 * log10(40) - 20 * log10(2) + 6,
         1e-12);
    near(verdict_spl_db(VERDICT_SPEAKER, 87, 2, 6, 40), 103.0, 0.05);
    near(verdict_spl_db(VERDICT_HEADPHONE, 100, NAN, 0, 0.1), 120.0, 1e-12);
    double p = verdict_required_w(VERDICT_SPEAKER, 84, 3, 4, 105);
    near(verdict_spl_db(VERDICT_SPEAKER, 84, 3, 4, p), 105, 1e-12);
}

static void per_volt_sensitivities_restate_through_the_nominal_impedance(void **state)
{
    (void)state;
    /* 2.83 V is 1.0011 W into 8 ohm and 2.002 W into 4 ohm */
    near(verdict_sens_w_from_2v83(90, 8), 90 - 10 * log10(2.83 * 2.83 / 8), 1e-12);
    near(verdict_sens_w_from_2v83(90, 4), 90 - 3.015, 0.001);
    /* Sennheiser HD 600: 97 dB SPL at 1 Vrms into 300 ohm = 3.33 mW, so
     * 97 - 5.23 = 91.8 dB SPL/mW */
    near(verdict_sens_mw_from_v(97, 300), 91.77, 0.01);
    /* a load stating per volt is judged by its per-mW equivalent */
    struct verdict_load hp = resistor(300);
    hp.kind = "headphone";
    hp.sens_db_spl_v = 97;
    struct verdict v;
    verdict_begin("a", &hp, VERDICT_HEADPHONE, &defaults, &v);
    near(v.sens_db, verdict_sens_mw_from_v(97, 300), 1e-12);
    /* the setting per 2.83 V replaces the per-W one, load by load */
    struct verdict_settings s = defaults;
    s.spk_sens_2v83_db = 87;
    struct verdict_load r4 = resistor(4);
    verdict_begin("a", &r4, VERDICT_SPEAKER, &s, &v);
    near(v.sens_db, 87 - 3.015, 0.001);
}

static void tiers_start_at_their_peak_levels(void **state)
{
    (void)state;
    assert_string_equal(verdict_tier_of(VERDICT_SPEAKER, 79.9), VERDICT_TOO_QUIET);
    assert_string_equal(verdict_tier_of(VERDICT_SPEAKER, 82), "background");
    assert_string_equal(verdict_tier_of(VERDICT_SPEAKER, 90), "moderate");
    assert_string_equal(verdict_tier_of(VERDICT_SPEAKER, 103), "loud");
    assert_string_equal(verdict_tier_of(VERDICT_SPEAKER, 105), "reference");
    assert_string_equal(verdict_tier_of(VERDICT_HEADPHONE, 109.9), "moderate");
    assert_string_equal(verdict_tier_of(VERDICT_HEADPHONE, 110), "loud");
    assert_string_equal(verdict_tier_of(VERDICT_HEADPHONE, 120), "reference");
    assert_null(verdict_tier_of(VERDICT_SPEAKER, NAN));
    /* the default targets are the "loud" tier's start */
    near(verdict_tier_min_db(VERDICT_SPEAKER, VERDICT_TIER_LOUD), VERDICT_SPK_TARGET_DB, 0);
    near(verdict_tier_min_db(VERDICT_HEADPHONE, VERDICT_TIER_LOUD), VERDICT_HP_TARGET_DB, 0);
}

static void bare_resistors_are_speakers_to_8_ohm_headphones_from_32_and_16_ohm_both(void **state)
{
    (void)state;
    enum verdict_profile p[2];
    struct verdict_load r;
    r = resistor(8);
    assert_int_equal(verdict_profiles_for(&defaults, &r, p), 1);
    assert_int_equal(p[0], VERDICT_SPEAKER);
    r = resistor(16);
    assert_int_equal(verdict_profiles_for(&defaults, &r, p), 2);
    assert_int_equal(p[0], VERDICT_SPEAKER);
    assert_int_equal(p[1], VERDICT_HEADPHONE);
    r = resistor(32);
    assert_int_equal(verdict_profiles_for(&defaults, &r, p), 1);
    assert_int_equal(p[0], VERDICT_HEADPHONE);
    /* a load file keeps its own kind */
    struct verdict_load f16 = resistor(16);
    f16.kind = "headphone";
    assert_int_equal(verdict_profiles_for(&defaults, &f16, p), 1);
    assert_int_equal(p[0], VERDICT_HEADPHONE);
    /* a profile given is the only one */
    struct verdict_settings forced = defaults;
    forced.profile = VERDICT_HEADPHONE;
    r = resistor(8);
    assert_int_equal(verdict_profiles_for(&forced, &r, p), 1);
    assert_int_equal(p[0], VERDICT_HEADPHONE);
}

static void names_are_spelled_once_and_parse_back(void **state)
{
    (void)state;
    assert_string_equal(verdict_criterion_name(VERDICT_POWER), "power");
    assert_string_equal(verdict_criterion_name(VERDICT_THERMAL), "thermal");
    assert_string_equal(verdict_criterion_name(VERDICT_DC_OFFSET), "dc_offset");
    for (int p = VERDICT_AUTO; p <= VERDICT_HEADPHONE; p++)
        assert_int_equal(verdict_profile_parse(verdict_profile_name((enum verdict_profile)p)), p);
    assert_int_equal(verdict_profile_parse("speakers"), -1);
}

static void a_load_file_s_own_sensitivity_replaces_the_default(void **state)
{
    (void)state;
    struct verdict_load hp = resistor(300);
    hp.kind = "headphone";
    hp.sens_db_spl_mw = 97;
    struct verdict v;
    verdict_begin("a", &hp, VERDICT_HEADPHONE, &defaults, &v);
    near(v.sens_db, 97, 0);
    /* 110 dB from 97 dB/mW: 13 dB over 1 mW is 20.0 mW */
    near(v.p_required_w, 1e-3 * pow(10, 1.3), 1e-15);
    for (int c = 0; c < VERDICT_N_CRITERIA; c++)
        assert_int_equal(v.check[c].pass, -1);
    verdict_judge_large(&v, 0.1, "voltage", "q1", 80, 150, 0.001);
    assert_int_equal(v.check[VERDICT_POWER].pass, 1);
    near(v.spl_db, 97 + 20, 1e-12);
    assert_string_equal(v.tier, "reference");
    assert_int_equal(v.check[VERDICT_THERMAL].pass, 1);
    assert_int_equal(v.check[VERDICT_DC_OFFSET].pass, 1);
}

static void dc_offset_is_held_to_50_mv_into_speakers_and_20_mv_into_headphones(void **state)
{
    (void)state;
    struct verdict v;
    struct verdict_load r = resistor(16);
    verdict_begin("a", &r, VERDICT_SPEAKER, &defaults, &v);
    verdict_judge_large(&v, 50, "voltage", NULL, NAN, NAN, -0.03);
    assert_int_equal(v.check[VERDICT_DC_OFFSET].pass, 1);
    near(v.check[VERDICT_DC_OFFSET].value, 0.03, 1e-15);
    verdict_begin("a", &r, VERDICT_HEADPHONE, &defaults, &v);
    verdict_judge_large(&v, 50, "voltage", NULL, NAN, NAN, -0.03);
    assert_int_equal(v.check[VERDICT_DC_OFFSET].pass, 0);
    near(v.check[VERDICT_DC_OFFSET].limit, 0.02, 0);
}

static void the_sentence_leads_with_the_level_and_the_first_cause(void **state)
{
    (void)state;
    char line[512];
    struct verdict v;
    struct verdict_load spk = resistor(8);
    spk.kind = "speaker";
    spk.sens_db_spl_w = 87;
    /* 40 W: 103 dB at 2 m, loud, passes on everything measured */
    verdict_begin("a", &spk, VERDICT_SPEAKER, &defaults, &v);
    verdict_judge_fr(&v, &defaults, 0.1, 100);
    verdict_judge_large(&v, 40, "voltage", "u1", 90, 150, 0.002);
    verdict_judge_hiss(&v, 50e-6);
    verdict_sentence(&v, line, sizeof line);
    assert_string_equal(line, "103 dB peaks at 2 m (loud): yes");
    /* 0.25 W, current-limited: 87 - 6.02 - 6.02 + 6 = 81 dB, background,
     * and the cause */
    verdict_begin("a", &spk, VERDICT_SPEAKER, &defaults, &v);
    verdict_judge_fr(&v, &defaults, 0.1, 3);
    verdict_judge_large(&v, 0.25, "current", "u1", 90, 150, 0.002);
    verdict_sentence(&v, line, sizeof line);
    assert_string_equal(line, "81 dB peaks at 2 m (background): no, output current limits at "
                              "250 mW (needs 20 W); damping factor falls to 3 (the 1/8 rule "
                              "needs 8)");
    /* nothing measured but the response */
    verdict_begin("a", &spk, VERDICT_SPEAKER, &defaults, &v);
    verdict_judge_fr(&v, &defaults, 0.1, 100);
    verdict_sentence(&v, line, sizeof line);
    assert_non_null(strstr(line, "level not measured (needs 20 W): not judged on power"));
}

static void hiss_is_the_noise_s_spl_through_the_sensitivity_against_8_dba(void **state)
{
    (void)state;
    struct verdict v;
    /* 100 dB/mW into 32 ohm, 1 uV(A): 1e-12 / 32 W = 3.125e-11 mW, so
     * 100 - 105.05 = -5.05 dB SPL(A): inaudible */
    struct verdict_load hp = resistor(32);
    hp.kind = "headphone";
    verdict_begin("a", &hp, VERDICT_HEADPHONE, &defaults, &v);
    verdict_judge_hiss(&v, 1e-6);
    near(v.check[VERDICT_HISS].value, 100 + 10 * log10(1e-12 / 32 / 1e-3), 1e-9);
    assert_int_equal(v.check[VERDICT_HISS].pass, 1);
    /* a 124 dB/mW in-ear monitor at 30 ohm, 5 uV(A): 124 - 90.8 = 33.2 dB */
    struct verdict_load iem = resistor(30);
    iem.kind = "headphone";
    iem.sens_db_spl_mw = 124;
    verdict_begin("a", &iem, VERDICT_HEADPHONE, &defaults, &v);
    verdict_judge_hiss(&v, 5e-6);
    near(v.check[VERDICT_HISS].value, 33.2, 0.05);
    assert_int_equal(v.check[VERDICT_HISS].pass, 0);
    /* a speaker pair at 2 m, 87 dB/W, 100 uV(A) into 8 ohm: 87 - 89.0 - 6.02 + 6 = -2 dB */
    struct verdict_load spk = resistor(8);
    verdict_begin("a", &spk, VERDICT_SPEAKER, &defaults, &v);
    verdict_judge_hiss(&v, 100e-6);
    near(v.check[VERDICT_HISS].value, 87 + 10 * log10(1e-8 / 8) - 20 * log10(2) + 6, 1e-9);
    assert_int_equal(v.check[VERDICT_HISS].pass, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(required_power_follows_sensitivity_distance_gain_and_target),
        cmocka_unit_test(level_is_the_inverse_of_required_power),
        cmocka_unit_test(per_volt_sensitivities_restate_through_the_nominal_impedance),
        cmocka_unit_test(tiers_start_at_their_peak_levels),
        cmocka_unit_test(bare_resistors_are_speakers_to_8_ohm_headphones_from_32_and_16_ohm_both),
        cmocka_unit_test(names_are_spelled_once_and_parse_back),
        cmocka_unit_test(a_load_file_s_own_sensitivity_replaces_the_default),
        cmocka_unit_test(dc_offset_is_held_to_50_mv_into_speakers_and_20_mv_into_headphones),
        cmocka_unit_test(the_sentence_leads_with_the_level_and_the_first_cause),
        cmocka_unit_test(hiss_is_the_noise_s_spl_through_the_sensitivity_against_8_dba),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
