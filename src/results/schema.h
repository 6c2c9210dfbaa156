/* schema: the names of a results folder, spelled once: each result file's
 * name, its columns in order, and the keys of summary.json (docs/metrics.md
 * describes what they mean). The writers (run/tables.c, run/summary.c), the
 * reader (results/results.c) and the figures (report/plot.c) all take their
 * names from here, so a name cannot drift between them.
 *
 * A table's columns are an X-macro X(ID, name): ID gives the enum constant
 * RESULTS_<ID> (the column's index), name the header word. The first four
 * columns of every per-point table (fr, power, dissipation, thd) are the
 * point: amp, load, load_ohm, freq_hz.
 *
 * Header-only (static inline) so that it adds no object to the build.
 * Ownership: everything results_schema hands out is static and read-only.
 */
#ifndef AMPSWEEP_SCHEMA_H
#define AMPSWEEP_SCHEMA_H

#include <assert.h>
#include <stddef.h>
#include <string.h>

/* ---- the CSV files ----------------------------------------------------- */

#define RESULTS_FR_COLUMNS(X)                                                                      \
    X(FR_AMP, amp)                                                                                 \
    X(FR_LOAD, load)                                                                               \
    X(FR_LOAD_OHM, load_ohm)                                                                       \
    X(FR_FREQ_HZ, freq_hz)                                                                         \
    X(FR_GAIN_DB, gain_db)                                                                         \
    X(FR_DEV_DB, dev_db)                                                                           \
    X(FR_ZLOAD_OHM, zload_ohm)                                                                     \
    X(FR_ZOUT_OHM, zout_ohm)                                                                       \
    X(FR_DAMPING, damping)                                                                         \
    X(FR_RULE8, rule8)                                                                             \
    X(FR_VNOISE_UV, vnoise_uv)                                                                     \
    X(FR_VNOISE_A_UV, vnoise_a_uv)

#define RESULTS_POWER_COLUMNS(X)                                                                   \
    X(POWER_AMP, amp)                                                                              \
    X(POWER_LOAD, load)                                                                            \
    X(POWER_LOAD_OHM, load_ohm)                                                                    \
    X(POWER_FREQ_HZ, freq_hz)                                                                      \
    X(POWER_P_MAX_W, p_max_w)                                                                      \
    X(POWER_VOUT_RMS_V, vout_rms_v)                                                                \
    X(POWER_IOUT_PK_A, iout_pk_a)                                                                  \
    X(POWER_THD_PCT, thd_pct)                                                                      \
    X(POWER_VOUT_DC_V, vout_dc_v)                                                                  \
    X(POWER_LIMIT, limit)                                                                          \
    X(POWER_RUNS, runs)                                                                            \
    X(POWER_PERIODS, periods)

#define RESULTS_DISS_COLUMNS(X)                                                                    \
    X(DISS_AMP, amp)                                                                               \
    X(DISS_LOAD, load)                                                                             \
    X(DISS_LOAD_OHM, load_ohm)                                                                     \
    X(DISS_FREQ_HZ, freq_hz)                                                                       \
    X(DISS_DEVICE, device)                                                                         \
    X(DISS_P_QUIESCENT_W, p_quiescent_w)                                                           \
    X(DISS_P_AT_MAX_W, p_at_max_w)                                                                 \
    X(DISS_P_EIGHTH_W, p_eighth_w)                                                                 \
    X(DISS_P_WORST_W, p_worst_w)                                                                   \
    X(DISS_TJ_EIGHTH_C, tj_eighth_c)                                                               \
    X(DISS_TJ_WORST_C, tj_worst_c)                                                                 \
    X(DISS_TJ_MAX_C, tj_max_c)

#define RESULTS_THD_COLUMNS(X)                                                                     \
    X(THD_AMP, amp)                                                                                \
    X(THD_LOAD, load)                                                                              \
    X(THD_LOAD_OHM, load_ohm)                                                                      \
    X(THD_FREQ_HZ, freq_hz)                                                                        \
    X(THD_P_W, p_w)                                                                                \
    X(THD_THD_PCT, thd_pct)

#define RESULTS_VERDICT_COLUMNS(X)                                                                 \
    X(VERDICT_AMP, amp)                                                                            \
    X(VERDICT_LOAD, load)                                                                          \
    X(VERDICT_LOAD_OHM, load_ohm)                                                                  \
    X(VERDICT_PROFILE, profile)                                                                    \
    X(VERDICT_CRITERION, criterion)                                                                \
    X(VERDICT_VALUE, value)                                                                        \
    X(VERDICT_LIMIT, limit)                                                                        \
    X(VERDICT_PASS, pass)

#define RESULTS_COL_ENUM_(id, name) RESULTS_##id,
enum results_fr_col { RESULTS_FR_COLUMNS(RESULTS_COL_ENUM_) RESULTS_FR_N_COLS };
enum results_power_col { RESULTS_POWER_COLUMNS(RESULTS_COL_ENUM_) RESULTS_POWER_N_COLS };
enum results_diss_col { RESULTS_DISS_COLUMNS(RESULTS_COL_ENUM_) RESULTS_DISS_N_COLS };
enum results_thd_col { RESULTS_THD_COLUMNS(RESULTS_COL_ENUM_) RESULTS_THD_N_COLS };
enum results_verdict_col { RESULTS_VERDICT_COLUMNS(RESULTS_COL_ENUM_) RESULTS_VERDICT_N_COLS };

/* The tables: X(ID, file name, columns X-macro, column count). */
#define RESULTS_TABLES(X)                                                                          \
    X(RESULTS_FR, "fr.csv", RESULTS_FR_COLUMNS, RESULTS_FR_N_COLS)                                 \
    X(RESULTS_POWER, "power.csv", RESULTS_POWER_COLUMNS, RESULTS_POWER_N_COLS)                     \
    X(RESULTS_DISSIPATION, "dissipation.csv", RESULTS_DISS_COLUMNS, RESULTS_DISS_N_COLS)           \
    X(RESULTS_THD, "thd.csv", RESULTS_THD_COLUMNS, RESULTS_THD_N_COLS)                             \
    X(RESULTS_VERDICT, "verdict.csv", RESULTS_VERDICT_COLUMNS, RESULTS_VERDICT_N_COLS)

#define RESULTS_TABLE_ENUM_(id, file, cols, n) id,
enum results_table { RESULTS_TABLES(RESULTS_TABLE_ENUM_) RESULTS_N_TABLES };

/* One CSV file of the folder, or a derived table laid out the same way
 * (report/plot.c's failure_map.csv). */
struct results_schema {
    const char *file;        /* "fr.csv" */
    const char *header;      /* the first line without its newline: "amp,load,..." */
    const char *const *cols; /* the header's words, n_cols of them */
    size_t n_cols;
};

/* For a schema's fields from a columns X-macro: its words, and its header
 * (&",amp,load,..."[1] drops the leading comma). */
#define RESULTS_COL_NAME_(id, name) #name,
#define RESULTS_COL_HEADER_(id, name) "," #name
#define RESULTS_SCHEMA_HEADER(COLS) (&(COLS(RESULTS_COL_HEADER_))[1])

/* The schema of table t. */
static inline const struct results_schema *results_schema(enum results_table t)
{
#define RESULTS_COLS_ARRAY_(id, file, COLS, n)                                                     \
    static const char *const id##_cols_[] = {COLS(RESULTS_COL_NAME_)};                             \
    _Static_assert(sizeof id##_cols_ / sizeof id##_cols_[0] == n, #id ": column count");
    RESULTS_TABLES(RESULTS_COLS_ARRAY_)
#undef RESULTS_COLS_ARRAY_
#define RESULTS_SCHEMA_ENTRY_(id, file, COLS, n)                                                   \
    [id] = {file, RESULTS_SCHEMA_HEADER(COLS), id##_cols_, n},
    static const struct results_schema tables[RESULTS_N_TABLES] = {
        RESULTS_TABLES(RESULTS_SCHEMA_ENTRY_)};
#undef RESULTS_SCHEMA_ENTRY_
    assert((unsigned)t < RESULTS_N_TABLES);
    return &tables[t];
}

/* The header word of column col of s. */
static inline const char *results_col_name(const struct results_schema *s, int col)
{
    assert(col >= 0 && (size_t)col < s->n_cols);
    return s->cols[col];
}

/* The index of the column called name in s, or -1. */
static inline int results_col_index(const struct results_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_cols; i++)
        if (strcmp(s->cols[i], name) == 0)
            return (int)i;
    return -1;
}

/* The point columns have one index in every per-point table, so that
 * whoever writes or addresses a point (run/tables.c, the figures' helpers)
 * needs no table. */
#define RESULTS_SAME_COL_(col)                                                                     \
    ((int)RESULTS_FR_##col == (int)RESULTS_POWER_##col &&                                          \
     (int)RESULTS_FR_##col == (int)RESULTS_DISS_##col &&                                           \
     (int)RESULTS_FR_##col == (int)RESULTS_THD_##col)
_Static_assert(RESULTS_SAME_COL_(AMP) && RESULTS_SAME_COL_(LOAD) && RESULTS_SAME_COL_(LOAD_OHM) &&
                   RESULTS_SAME_COL_(FREQ_HZ),
               "the point columns lead every per-point table");
_Static_assert((int)RESULTS_VERDICT_AMP == (int)RESULTS_FR_AMP &&
                   (int)RESULTS_VERDICT_LOAD == (int)RESULTS_FR_LOAD &&
                   (int)RESULTS_VERDICT_LOAD_OHM == (int)RESULTS_FR_LOAD_OHM,
               "verdict.csv starts with amp, load, load_ohm too");

/* ---- summary.json ------------------------------------------------------ */

#define RESULTS_SUMMARY_FILE "summary.json"

/* the top level */
#define RESULTS_KEY_SETTINGS "settings"
#define RESULTS_KEY_AMPS "amps"
#define RESULTS_KEY_FAILED "failed"

/* "settings" */
#define RESULTS_KEY_ANALYSES "analyses" /* an array of the values below */
#define RESULTS_ANALYSIS_FR "fr"
#define RESULTS_ANALYSIS_LARGE "large"
#define RESULTS_KEY_LOADS_OHM "loads_ohm"
#define RESULTS_KEY_LOAD_FILES "load_files"
#define RESULTS_KEY_LOAD_MODELS "load_models"
#define RESULTS_KEY_FREQS_HZ "freqs_hz"
#define RESULTS_KEY_TRAN_FREQS_HZ "tran_freqs_hz"
#define RESULTS_KEY_THD_LIMIT_PCT "thd_limit_pct"
#define RESULTS_KEY_AMBIENT_C "ambient_c"
#define RESULTS_KEY_PROFILE "profile" /* also a load's */
#define RESULTS_KEY_SPEAKER "speaker"
#define RESULTS_KEY_HEADPHONE "headphone"
#define RESULTS_KEY_SENS_DB_SPL_W "sensitivity_db_spl_w"       /* in "speaker" */
#define RESULTS_KEY_SENS_DB_SPL_2V83 "sensitivity_db_spl_2v83" /* in "speaker" */
#define RESULTS_KEY_DISTANCE_M "distance_m"                    /* in "speaker" */
#define RESULTS_KEY_PAIR_GAIN_DB "stereo_pair_gain_db"         /* in "speaker" */
#define RESULTS_KEY_ROOM_GAIN_DB "room_gain_db"                /* in "speaker" */
#define RESULTS_KEY_TARGET_SPL_DB "target_spl_db"              /* in both */
#define RESULTS_KEY_DC_MAX_V "dc_offset_max_v"                 /* in both */
#define RESULTS_KEY_SENS_DB_SPL_MW "sensitivity_db_spl_mw"     /* in "headphone" */
#define RESULTS_KEY_SENS_DB_SPL_V "sensitivity_db_spl_v"       /* in "headphone" */
#define RESULTS_KEY_MAX_DEV_DB "max_dev_db"
#define RESULTS_KEY_DAMPING_MIN "damping_min"
#define RESULTS_KEY_TIERS "tiers" /* [{ "name", "speaker_spl_db", "headphone_spl_db" }] */
#define RESULTS_KEY_SPEAKER_SPL_DB "speaker_spl_db"
#define RESULTS_KEY_HEADPHONE_SPL_DB "headphone_spl_db"
#define RESULTS_KEY_THERMAL_FRACTION "thermal_power_fraction" /* heat judged at this x p_max */
#define RESULTS_KEY_RESISTOR_SPEAKER_MAX_OHM "resistor_speaker_max_ohm"
#define RESULTS_KEY_RESISTOR_HEADPHONE_MIN_OHM "resistor_headphone_min_ohm"

/* an element of "amps" */
#define RESULTS_KEY_NAME "name"
#define RESULTS_KEY_NETLIST "netlist" /* also a failed netlist's */
#define RESULTS_KEY_KIND "kind"
#define RESULTS_KEY_SOURCE "source"
#define RESULTS_KEY_LOADS "loads"

/* an element of "loads"; "criteria" holds one object per criterion, keyed
 * by verdict_criterion_name (judge/verdict.h) */
#define RESULTS_KEY_LOAD "load" /* also a failed point's */
#define RESULTS_KEY_LOAD_OHM "load_ohm"
#define RESULTS_KEY_VERDICT "verdict"
#define RESULTS_KEY_PASS "pass" /* also a criterion's */
#define RESULTS_KEY_P_REQUIRED_W "p_required_w"
#define RESULTS_KEY_P_AVAILABLE_W "p_available_w"
#define RESULTS_KEY_SPL_DB "spl_db"
#define RESULTS_KEY_TIER "tier"
#define RESULTS_KEY_SENSITIVITY_DB "sensitivity_db" /* per W (speaker) or per mW (headphone) */
#define RESULTS_KEY_GAIN_DB "gain_db"               /* speaker: pair and room */
#define RESULTS_KEY_LIMIT_CAUSE "limit"             /* what limits p_available_w */
#define RESULTS_KEY_CRITERIA "criteria"
#define RESULTS_KEY_VALUE "value" /* in a criterion */
#define RESULTS_KEY_LIMIT "limit" /* in a criterion */

/* an element of "failed": a netlist ("netlist", "error") or a point
 * ("amp", "load", "load_ohm", "freq_hz", "error") */
#define RESULTS_KEY_AMP "amp"
#define RESULTS_KEY_FREQ_HZ "freq_hz"
#define RESULTS_KEY_ERROR "error"

#endif
