/* verdict: the rules of the answer a person wants for one amp and one load:
 * how much power the use needs (profile), how loud what the amp gives is,
 * and pass or fail on four criteria (docs/metrics.md).
 *
 * Plain numbers in, plain numbers out (libm only), so that the rules can be
 * checked by hand and used by whoever holds the numbers: the sweep judges
 * its measured rows with them (run/assess.h), the report reads the names and
 * the profile arithmetic. No ownership: callers pass the structs to fill.
 */
#ifndef AMPSWEEP_VERDICT_H
#define AMPSWEEP_VERDICT_H

#include <stddef.h>

#include "base/name.h"

/* Defaults of the use profiles (issue #3). */
#define VERDICT_SPK_SENS_DB 87.0    /* dB SPL at 1 W, 1 m */
#define VERDICT_SPK_DISTANCE_M 2.0  /* listening distance */
#define VERDICT_SPK_TARGET_DB 100.0 /* peak SPL wanted at the listener */
#define VERDICT_HP_SENS_DB 100.0    /* dB SPL at 1 mW */
#define VERDICT_HP_TARGET_DB 115.0  /* peak SPL wanted at the ear */
#define VERDICT_MAX_DEV_DB 1.0      /* peak-to-peak deviation allowed over the band */
#define VERDICT_DAMPING_MIN 8.0     /* the 1/8 rule: |Zout| <= |Zload| / 8 */
#define VERDICT_BAND_LO_HZ 20.0     /* band for fr_deviation and damping */
#define VERDICT_BAND_HI_HZ 20000.0
#define VERDICT_AUTO_SPEAKER_MAX_OHM 16.0 /* --profile auto: resistors up to this are speakers */

/* The profiles and their names, as written in results and on the command
 * line. */
#define VERDICT_PROFILES(X)                                                                        \
    X(VERDICT_AUTO, "auto")                                                                        \
    X(VERDICT_SPEAKER, "speaker")                                                                  \
    X(VERDICT_HEADPHONE, "headphone")

#define VERDICT_ENUM_(id, name) id,
enum verdict_profile { VERDICT_PROFILES(VERDICT_ENUM_) };

struct verdict_settings {
    enum verdict_profile profile;
    double spk_sens_db; /* dB SPL / 1 W / 1 m */
    double spk_distance_m;
    double spk_target_db;
    double hp_sens_db; /* dB SPL / 1 mW */
    double hp_target_db;
    double max_dev_db;
};

/* The criteria, in the order they are judged, reported and blamed, with the
 * names verdict.csv, summary.json and the failure map use. */
#define VERDICT_CRITERIA(X)                                                                        \
    X(VERDICT_POWER, "power")                                                                      \
    X(VERDICT_FR_DEVIATION, "fr_deviation")                                                        \
    X(VERDICT_DAMPING, "damping")                                                                  \
    X(VERDICT_THERMAL, "thermal")

enum verdict_criterion { VERDICT_CRITERIA(VERDICT_ENUM_) VERDICT_N_CRITERIA };

/* pass: 1 yes, 0 no, -1 unknown (what it needs was not measured). */
struct verdict_check {
    double value, limit;
    int pass;
};

struct verdict {
    char amp[AS_NAME_MAX + 1];
    char load[AS_NAME_MAX + 1];
    double load_ohm;
    enum verdict_profile profile; /* VERDICT_SPEAKER or VERDICT_HEADPHONE */
    double sens_db;               /* the sensitivity used (profile's unit) */
    double distance_m;            /* speaker: the listening distance; NAN for headphones */
    double target_db;
    double p_required_w;
    double p_available_w;          /* the lowest p_max_w over the large-signal frequencies */
    double spl_db;                 /* peak SPL p_available_w reaches (at distance_m) */
    char hottest[AS_NAME_MAX + 1]; /* device with the least thermal margin */
    struct verdict_check check[VERDICT_N_CRITERIA];
};

/* Required power in W for a target SPL: speaker at distance_m with
 * sensitivity in dB SPL / 1 W / 1 m, headphone with dB SPL / 1 mW
 * (distance_m ignored). */
double verdict_required_w(enum verdict_profile p, double sens_db, double distance_m,
                          double target_db);

/* SPL reached with p_w (the inverse of verdict_required_w). */
double verdict_spl_db(enum verdict_profile p, double sens_db, double distance_m, double p_w);

/* The load a verdict is about, as the rules need it. */
struct verdict_load {
    const char *name;      /* load name in results */
    double nominal_ohm;    /* the impedance sensitivities are stated into */
    const char *kind;      /* a load file's kind ("speaker", "headphone"); NULL: a resistor */
    double sens_db_spl_w;  /* the load's own sensitivity, NAN when it has none */
    double sens_db_spl_mw; /* ditto, for headphones */
};

/* The profile used for a load: the setting, or for VERDICT_AUTO the load
 * file's kind, or for a resistor speaker up to VERDICT_AUTO_SPEAKER_MAX_OHM. */
enum verdict_profile verdict_profile_for(const struct verdict_settings *set,
                                         const struct verdict_load *load);

/* 1 if freq_hz lies in the band fr_deviation and damping are judged over. */
int verdict_in_band(double freq_hz);

/* Start the verdict of amp into load: identity, profile, sensitivity,
 * target and required power; every criterion unknown. */
void verdict_begin(const char *amp, const struct verdict_load *load,
                   const struct verdict_settings *set, struct verdict *out);

/* The small-signal criteria from the peak-to-peak deviation dev_pp_db and
 * the lowest |Zload| / |Zout| over the band (NAN, NAN: not measured). */
void verdict_judge_fr(struct verdict *v, const struct verdict_settings *set, double dev_pp_db,
                      double damping);

/* The large-signal criteria from the power into the nominal impedance at the
 * lowest output reached over the large-signal frequencies (NAN: not measured
 * everywhere) and the device with the least thermal margin (device NULL:
 * none listed). Also sets p_available_w and spl_db. */
void verdict_judge_large(struct verdict *v, double p_available_w, const char *device, double tj_c,
                         double tj_max_c);

const char *verdict_profile_name(enum verdict_profile p);
const char *verdict_criterion_name(enum verdict_criterion c);

/* The profile called name, or -1. */
int verdict_profile_parse(const char *name);

/* One line in words: "delivers 0.61 W into 8 ohm, needs 25 W: 16 dB short;
 * reaches 86 dB SPL at 2 m", then each failed criterion. */
void verdict_sentence(const struct verdict *v, char *buf, size_t len);

#endif
