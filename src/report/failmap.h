/* failmap: the failure map. For each amp, a grid of its loads (one row per
 * load and profile: a 16 ohm resistor has two) by frequency in which each
 * cell holds the first criterion (in the order power, fr_deviation,
 * damping, thermal, dc_offset) that fails there, "pass", or "unknown".
 *
 * verdict.csv judges a whole band per load; the map says where in the band
 * it fails. A cell at frequency f of load L fails
 *   power         if the available power at the large-signal frequency
 *                 nearest f (log distance), vout_rms_v^2 / load_ohm as the
 *                 verdicts take it, is below L's required power
 *                 (verdict.csv);
 *   fr_deviation  if dev_db(f) lies more than the allowed deviation below
 *                 the highest dev_db of L in the 20 Hz-20 kHz band (so a
 *                 load fails somewhere on the map exactly when its
 *                 peak-to-peak criterion fails);
 *   damping       if zload_ohm/zout_ohm at f is below the damping limit;
 *   thermal       if any device's tj_eighth_c (at 1/8 of the clipping
 *                 power, the judged condition) exceeds its tj_max_c at the
 *                 large-signal frequency nearest f;
 *   dc_offset     if |vout_dc_v| there exceeds the profile's limit.
 * The limits are verdict.csv's for the load's profile.
 * The frequencies are those of fr.csv, or the large-signal ones when only
 * the large-signal analysis ran.
 *
 * Ownership: failmap_build returns an array the caller frees with
 * failmap_free; its strings are borrowed from the results.
 */
#ifndef AMPSWEEP_FAILMAP_H
#define AMPSWEEP_FAILMAP_H

#include <stddef.h>

#include "base/status.h"
#include "judge/verdict.h"
#include "results/results.h"

/* pass, then one code per criterion in judge/verdict.h's order, then
 * unknown: FAILMAP_POWER + c is the code of criterion c. */
enum failmap_code {
    FAILMAP_PASS = 0,
    FAILMAP_POWER = 1 + VERDICT_POWER,
    FAILMAP_FR_DEVIATION = 1 + VERDICT_FR_DEVIATION,
    FAILMAP_DAMPING = 1 + VERDICT_DAMPING,
    FAILMAP_THERMAL = 1 + VERDICT_THERMAL,
    FAILMAP_DC_OFFSET = 1 + VERDICT_DC_OFFSET,
    FAILMAP_UNKNOWN = 1 + VERDICT_N_CRITERIA
};
#define FAILMAP_N_CODES (FAILMAP_UNKNOWN + 1)

struct failmap_cell {
    const char *amp, *load;
    double load_ohm, freq_hz;
    size_t row;     /* the load's position among the amp's loads (summary.json order) */
    double f_lo_hz; /* the cell's extent on a log frequency axis */
    double f_hi_hz;
    enum failmap_code code;
};

struct failmap {
    struct failmap_cell *cells; /* amps in order, then loads, then frequencies */
    size_t n_cells;
};

enum as_status failmap_build(const struct results *r, struct failmap **out, char *err,
                             size_t errlen);

/* "pass", a criterion's name (verdict_criterion_name), or "unknown". */
const char *failmap_code_name(enum failmap_code c);

/* 1 if a row of amp's map changes its code from one frequency to another:
 * only then does the map say more than the verdict per load. */
int failmap_varies(const struct failmap *m, const char *amp);

/* A whole-band verdict's code: its first failing criterion (summary.json's
 * criteria), else unknown if one is, else pass. */
enum failmap_code failmap_verdict_code(const struct results_load *l);

/* Accepts NULL. */
void failmap_free(struct failmap *m);

#endif
