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

/* Defaults of the listening model; docs/metrics.md gives the source of each. */
#define VERDICT_SPK_SENS_DB 87.0        /* dB SPL at 1 W, 1 m: a typical bookshelf speaker */
#define VERDICT_SPK_DISTANCE_M 2.0      /* listening distance */
#define VERDICT_SPK_PAIR_GAIN_DB 3.0    /* a stereo pair over one speaker (power sum) */
#define VERDICT_SPK_ROOM_GAIN_DB 3.0    /* room over free field at a 2 m seat */
#define VERDICT_SPK_TARGET_DB 100.0     /* peak SPL at the seat: the "loud" tier */
#define VERDICT_HP_SENS_DB 100.0        /* dB SPL at 1 mW */
#define VERDICT_HP_TARGET_DB 110.0      /* peak SPL at the ear: the "loud" tier */
#define VERDICT_MAX_DEV_DB 1.0          /* peak-to-peak deviation allowed over the band */
#define VERDICT_DAMPING_MIN 8.0         /* the 1/8 rule: |Zout| <= |Zload| / 8 */
#define VERDICT_DC_SPEAKER_MAX_V 0.05   /* output DC offset allowed into speakers */
#define VERDICT_DC_HEADPHONE_MAX_V 0.02 /* ... and into headphones */
/* Hiss: the amp's A-weighted output noise as SPL at the seat or ear. White
 * noise becomes just audible to young ears in silence when its level in
 * the critical band at 3.5 kHz (579 Hz wide, Zwicker) reaches the threshold
 * in quiet there (about -5 dB SPL, ISO 226): 10.4 dB SPL over 20 Hz-20 kHz,
 * 8.3 dB SPL A-weighted (docs/metrics.md) */
#define VERDICT_HISS_MAX_DBA 8.0
#define VERDICT_BAND_LO_HZ 20.0 /* band for fr_deviation and damping */
#define VERDICT_BAND_HI_HZ 20000.0
/* --profile auto on a bare resistor: speakers are rated 4-8 ohm, headphones
 * 32 ohm and up, and 16 ohm is both; the bounds are the geometric means */
#define VERDICT_RESISTOR_SPEAKER_MAX_OHM 11.3 /* sqrt(8 * 16) */
#define VERDICT_RESISTOR_HEADPHONE_MIN_OHM                                                         \
    (2 * VERDICT_RESISTOR_SPEAKER_MAX_OHM) /* ~sqrt(16 * 32) */
#define VERDICT_SENS_VOLTS_SPEAKER 2.83    /* the voltage speaker sensitivities use */

/* The profiles and their names, as written in results and on the command
 * line. */
#define VERDICT_PROFILES(X)                                                                        \
    X(VERDICT_AUTO, "auto")                                                                        \
    X(VERDICT_SPEAKER, "speaker")                                                                  \
    X(VERDICT_HEADPHONE, "headphone")

#define VERDICT_ENUM_(id, name) id,
enum verdict_profile { VERDICT_PROFILES(VERDICT_ENUM_) };

/* Listening tiers: the peak SPL a tier starts at, for speakers (at the seat)
 * and for headphones (at the ear); below the first, "too quiet". */
#define VERDICT_TIERS(X)                                                                           \
    X(VERDICT_TIER_BACKGROUND, "background", 80.0, 95.0)                                           \
    X(VERDICT_TIER_MODERATE, "moderate", 90.0, 105.0)                                              \
    X(VERDICT_TIER_LOUD, "loud", 100.0, 110.0)                                                     \
    X(VERDICT_TIER_REFERENCE, "reference", 105.0, 115.0)
#define VERDICT_TIER_ENUM_(id, name, spk, hp) id,
enum verdict_tier { VERDICT_TIERS(VERDICT_TIER_ENUM_) VERDICT_N_TIERS };
#define VERDICT_TOO_QUIET "too quiet"

struct verdict_settings {
    enum verdict_profile profile;
    double spk_sens_db;      /* dB SPL / 1 W / 1 m */
    double spk_sens_2v83_db; /* dB SPL / 2.83 V / 1 m: replaces spk_sens_db unless NAN */
    double spk_distance_m;
    double spk_pair_gain_db;
    double spk_room_gain_db;
    double spk_target_db;
    double hp_sens_db;   /* dB SPL / 1 mW */
    double hp_sens_v_db; /* dB SPL / 1 Vrms: replaces hp_sens_db unless NAN */
    double hp_target_db;
    double max_dev_db;
};

/* The criteria, in the order they are judged, reported and blamed, with the
 * names verdict.csv, summary.json and the failure map use. */
#define VERDICT_CRITERIA(X)                                                                        \
    X(VERDICT_POWER, "power")                                                                      \
    X(VERDICT_FR_DEVIATION, "fr_deviation")                                                        \
    X(VERDICT_DAMPING, "damping")                                                                  \
    X(VERDICT_THERMAL, "thermal")                                                                  \
    X(VERDICT_DC_OFFSET, "dc_offset")                                                              \
    X(VERDICT_HISS, "hiss")

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
    double sens_db;               /* dB SPL / 1 W / 1 m or / 1 mW, converted if need be */
    double distance_m;            /* speaker: the listening distance; NAN for headphones */
    double gain_db;               /* speaker: stereo pair + room gain; 0 for headphones */
    double target_db;
    double p_required_w;
    double p_available_w;          /* the lowest p_max_w over the large-signal frequencies */
    double spl_db;                 /* peak SPL p_available_w reaches (at the seat or ear) */
    const char *tier;              /* the tier spl_db reaches (static); NULL: not measured */
    char limit[16];                /* what limits p_available_w (power.csv's limit) */
    char hottest[AS_NAME_MAX + 1]; /* device with the least thermal margin */
    struct verdict_check check[VERDICT_N_CRITERIA];
};

/* Required power in W for a target peak SPL. Speaker: sensitivity in dB SPL
 * / 1 W / 1 m, heard at distance_m with gain_db of stereo pair and room
 * added; headphone: dB SPL / 1 mW (distance_m and gain_db ignored). */
double verdict_required_w(enum verdict_profile p, double sens_db, double distance_m, double gain_db,
                          double target_db);

/* SPL reached with p_w (the inverse of verdict_required_w). */
double verdict_spl_db(enum verdict_profile p, double sens_db, double distance_m, double gain_db,
                      double p_w);

/* Sensitivities restated: dB SPL / 2.83 V as dB SPL / 1 W into nominal_ohm
 * (2.83 V is 1 W into 8 ohm, 2 W into 4 ohm), and dB SPL / 1 V as
 * dB SPL / 1 mW (1 V is 3.33 mW into 300 ohm). */
double verdict_sens_w_from_2v83(double sens_2v83_db, double nominal_ohm);
double verdict_sens_mw_from_v(double sens_v_db, double nominal_ohm);

/* The tier spl_db reaches (a static name), VERDICT_TOO_QUIET below the
 * first, NULL for NAN. */
const char *verdict_tier_of(enum verdict_profile p, double spl_db);
const char *verdict_tier_name(enum verdict_tier t);
double verdict_tier_min_db(enum verdict_profile p, enum verdict_tier t);

/* The load a verdict is about, as the rules need it. A load states at most
 * one sensitivity; the others are NAN. */
struct verdict_load {
    const char *name;        /* load name in results */
    double nominal_ohm;      /* the impedance sensitivities are stated into */
    const char *kind;        /* a load file's kind ("speaker", "headphone"); NULL: a resistor */
    double sens_db_spl_w;    /* dB SPL / 1 W / 1 m */
    double sens_db_spl_2v83; /* dB SPL / 2.83 V / 1 m */
    double sens_db_spl_mw;   /* dB SPL / 1 mW */
    double sens_db_spl_v;    /* dB SPL / 1 Vrms */
};

/* The profiles a load is judged with, into out[0..n-1] (n is 1 or 2): the
 * setting; or for VERDICT_AUTO the load file's kind; or for a resistor,
 * speaker up to VERDICT_RESISTOR_SPEAKER_MAX_OHM, headphone from
 * VERDICT_RESISTOR_HEADPHONE_MIN_OHM, and both in between. */
size_t verdict_profiles_for(const struct verdict_settings *set, const struct verdict_load *load,
                            enum verdict_profile out[2]);

/* 1 if freq_hz lies in the band fr_deviation and damping are judged over. */
int verdict_in_band(double freq_hz);

/* Start the verdict of amp into load with profile p (one verdict_profiles_for
 * gave): identity, sensitivity, target and required power; every criterion
 * unknown. */
void verdict_begin(const char *amp, const struct verdict_load *load, enum verdict_profile p,
                   const struct verdict_settings *set, struct verdict *out);

/* The small-signal criteria from the peak-to-peak deviation dev_pp_db and
 * the lowest |Zload| / |Zout| over the band (NAN, NAN: not measured). */
void verdict_judge_fr(struct verdict *v, const struct verdict_settings *set, double dev_pp_db,
                      double damping);

/* The large-signal criteria. p_available_w: the power into the nominal
 * impedance at the lowest output reached over the large-signal frequencies
 * (NAN: not measured everywhere), limit what limits it (power.csv's limit);
 * device: the device with the least thermal margin at 1/8 of the clipping
 * power (NULL: none listed), tj_c its junction temperature there; vdc_v the
 * output's DC at rest (NAN: not measured). Also sets p_available_w, spl_db
 * and tier. */
void verdict_judge_large(struct verdict *v, double p_available_w, const char *limit,
                         const char *device, double tj_c, double tj_max_c, double vdc_v);

/* The hiss criterion from the load's A-weighted output noise in V rms
 * (NAN: not measured): its SPL with the verdict's sensitivity into the
 * nominal impedance, at the seat or ear. */
void verdict_judge_hiss(struct verdict *v, double vnoise_a_v);

/* The limit a DC offset is held to in profile p. */
double verdict_dc_max_v(enum verdict_profile p);

const char *verdict_profile_name(enum verdict_profile p);
const char *verdict_criterion_name(enum verdict_criterion c);

/* The profile called name, or -1. */
int verdict_profile_parse(const char *name);

/* 1 if every criterion passes, 0 if one fails, -1 if none fails but one is
 * unknown. */
int verdict_pass(const struct verdict *v);

/* One line in words, level first, then the first cause:
 * "103 dB peaks at 2 m (loud): yes" or "78 dB peaks at 2 m (too quiet): no,
 * output current limits at 0.161 W (needs 19.9 W)", then each further
 * failed criterion. */
void verdict_sentence(const struct verdict *v, char *buf, size_t len);

#endif
