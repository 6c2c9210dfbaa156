/* assess: the verdict of one amp into one load from the sweep's measured
 * rows: picks out of the fr and large rows the numbers the rules of
 * judge/verdict.h take, and applies them.
 *
 * No ownership: the rows are only read, the verdict is the caller's.
 */
#ifndef AMPSWEEP_ASSESS_H
#define AMPSWEEP_ASSESS_H

#include "engine/fr.h"
#include "engine/large.h"
#include "judge/verdict.h"
#include "spice/loadfile.h"

/* The load as the rules see it. Borrows load's strings. */
struct verdict_load assess_load_of(const struct load_spec *load);

/* Judge amp into load from the rows of fr and large that belong to them
 * (either may be NULL: its criteria are then unknown), once per profile the
 * load is judged with (verdict_profiles_for): returns how many of out[]
 * it filled, 1 or 2. */
size_t assess_judge(const char *amp, const struct load_spec *load,
                    const struct verdict_settings *set, const struct fr_table *fr,
                    const struct large_table *large, struct verdict out[2]);

#endif
