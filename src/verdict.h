/* verdict: the answer a person wants for one amp and one load: how much power
 * the use needs (profile), how much the amp gives, how loud that is, and
 * pass or fail on four criteria (docs/metrics.md).
 *
 * The arithmetic is separate from the tables so that it can be checked by
 * hand. verdict_judge reads the fr and large rows of one amp and load.
 */
#ifndef AMPSWEEP_VERDICT_H
#define AMPSWEEP_VERDICT_H

#include <stddef.h>

#include "fr.h"
#include "large.h"
#include "loadfile.h"

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

enum verdict_profile { VERDICT_AUTO, VERDICT_SPEAKER, VERDICT_HEADPHONE };

struct verdict_settings {
    enum verdict_profile profile;
    double spk_sens_db; /* dB SPL / 1 W / 1 m */
    double spk_distance_m;
    double spk_target_db;
    double hp_sens_db; /* dB SPL / 1 mW */
    double hp_target_db;
    double max_dev_db;
};

enum verdict_criterion { VERDICT_POWER, VERDICT_FR_DEVIATION, VERDICT_DAMPING, VERDICT_THERMAL };
#define VERDICT_N_CRITERIA 4

/* pass: 1 yes, 0 no, -1 unknown (what it needs was not measured). */
struct verdict_check {
    double value, limit;
    int pass;
};

struct verdict {
    char amp[NETLIST_NAME_MAX + 1];
    char load[NETLIST_NAME_MAX + 1];
    double load_ohm;
    enum verdict_profile profile; /* VERDICT_SPEAKER or VERDICT_HEADPHONE */
    double sens_db;               /* the sensitivity used (profile's unit) */
    double distance_m;            /* speaker: the listening distance; NAN for headphones */
    double target_db;
    double p_required_w;
    double p_available_w;               /* the lowest p_max_w over the large-signal frequencies */
    double spl_db;                      /* peak SPL p_available_w reaches (at distance_m) */
    char hottest[NETLIST_NAME_MAX + 1]; /* device with the least thermal margin */
    struct verdict_check check[VERDICT_N_CRITERIA];
};

/* Required power in W for a target SPL: speaker at distance_m with
 * sensitivity in dB SPL / 1 W / 1 m, headphone with dB SPL / 1 mW
 * (distance_m ignored). */
double verdict_required_w(enum verdict_profile p, double sens_db, double distance_m,
                          double target_db);

/* SPL reached with p_w (the inverse of verdict_required_w). */
double verdict_spl_db(enum verdict_profile p, double sens_db, double distance_m, double p_w);

/* The profile used for a load: the setting, or for VERDICT_AUTO the load
 * file's kind, or for a resistor speaker up to VERDICT_AUTO_SPEAKER_MAX_OHM. */
enum verdict_profile verdict_profile_for(const struct verdict_settings *set,
                                         const struct load_spec *load);

/* Judge amp into load from the rows of fr and large that belong to them
 * (either may be NULL: its criteria are then unknown). */
void verdict_judge(const char *amp, const struct load_spec *load,
                   const struct verdict_settings *set, const struct fr_table *fr,
                   const struct large_table *large, struct verdict *out);

const char *verdict_profile_name(enum verdict_profile p);
const char *verdict_criterion_name(enum verdict_criterion c);

/* One line in words: "delivers 0.61 W into 8 ohm, needs 25 W: 16 dB short;
 * reaches 86 dB SPL at 2 m", then each failed criterion. */
void verdict_sentence(const struct verdict *v, char *buf, size_t len);

#endif
