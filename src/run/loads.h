/* loads: the list of loads a sweep measures every amp into, built from a
 * struct sweep_spec: the resistors of --loads, each --load-file at its own
 * nominal impedance, and each --load-model scaled to every --loads value
 * (which are then not swept as resistors). Rows tell loads apart by name,
 * so a file named like the resistors or like another file is refused.
 */
#ifndef AMPSWEEP_LOADS_H
#define AMPSWEEP_LOADS_H

#include <stddef.h>

#include "base/status.h"
#include "run/spec.h"
#include "spice/loadfile.h"

/* The loads in sweep order: resistors, then files and models in the order
 * given. Owns the load files that items[].file borrow: both live until
 * loads_free. */
struct loads {
    struct load_spec *items;
    size_t n;
    struct loadfile **files; /* one per --load-file and --load-model */
    size_t n_files;
};

/* Read every load file of spec into *out (zeroed first). A file that cannot
 * be read, or whose name is taken, is an error (a load is an option: a
 * sweep without it is not what was asked); *out is then empty. */
enum as_status loads_build(const struct sweep_spec *spec, struct loads *out, char *err,
                           size_t errlen);

/* Frees what *l holds and zeroes it; accepts NULL and a zeroed struct. */
void loads_free(struct loads *l);

#endif
