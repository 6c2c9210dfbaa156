/* loads: the list of loads a sweep measures every amp into, built from a
 * struct sweep_spec: the resistors of --loads, each --load-file at its own
 * nominal impedance, and each --load-model scaled to every --loads value
 * (which are then not swept as resistors). Rows tell loads apart by name,
 * so a file named like the resistors or like another file is refused.
 * A --load-file that is a measured impedance curve (.zma, .txt, .csv) is
 * fitted to a circuit (spice/zfit.h), written as OUT/NAME.lib and loaded
 * from there.
 */
#ifndef AMPSWEEP_LOADS_H
#define AMPSWEEP_LOADS_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "base/strv.h"
#include "run/spec.h"
#include "spice/loadfile.h"

/* The loads in sweep order: resistors, then files and models in the order
 * given. Owns the load files that items[].file borrow: both live until
 * loads_free. */
struct loads {
    struct load_spec *items;
    size_t n;
    struct loadfile **files; /* one per --load-file and --load-model; NULL for a failed curve */
    size_t n_files;
    struct strv failed; /* the message of each impedance curve left out */
};

/* Read every load file of spec into *out (zeroed first); each curve's fit
 * is told on diag. A file that cannot be read, or whose name is taken, is
 * an error (a load is an option: a sweep without it is not what was
 * asked); *out is then empty. Only an impedance curve that cannot be read
 * or fitted is left out, its message in out->failed, so the other loads
 * are still swept (the caller reports it: exit 2); with no load left that
 * is the error. */
enum as_status loads_build(const struct sweep_spec *spec, FILE *diag, struct loads *out, char *err,
                           size_t errlen);

/* Frees what *l holds and zeroes it; accepts NULL and a zeroed struct. */
void loads_free(struct loads *l);

#endif
