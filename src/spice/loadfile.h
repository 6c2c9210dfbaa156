/* loadfile: a two-terminal load subcircuit from a file (--load-file), such as
 * a speaker's or a headphone's equivalent circuit.
 *
 * The file holds one .subckt with two ports (or names the one to use with
 * "*@ subckt = NAME") and metadata: name, kind (speaker or headphone),
 * nominal_ohm, source, and optionally a sensitivity (see docs/netlists.md).
 * loadfile_read returns a struct the caller frees with loadfile_free.
 */
#ifndef AMPSWEEP_LOADFILE_H
#define AMPSWEEP_LOADFILE_H

#include <stddef.h>

#include "base/name.h"
#include "base/status.h"
#include "spice/netlist.h"
#include "spice/spfile.h"

struct loadfile {
    struct spfile *file;
    char name[NETLIST_NAME_MAX + 1];
    char kind[16]; /* "speaker" or "headphone" */
    double nominal_ohm;
    /* the sensitivity, in the one unit the file states it in; the other
     * three are NAN (all four when it states none) */
    double sens_db_spl_w;    /* dB SPL at 1 W / 1 m (speakers) */
    double sens_db_spl_2v83; /* dB SPL at 2.83 V / 1 m (speakers) */
    double sens_db_spl_mw;   /* dB SPL at 1 mW (headphones) */
    double sens_db_spl_v;    /* dB SPL at 1 Vrms (headphones) */
    char *source;            /* what it is modelled on */
    char *subckt;            /* lower-case name of the two-terminal subcircuit */
};

enum as_status loadfile_read(const char *path, const struct spfile_places *places,
                             struct loadfile **out, char *err, size_t errlen);

void loadfile_free(struct loadfile *l);

/* Load name used for plain resistors in results. */
#define LOAD_RESISTOR_NAME AS_LOAD_RESISTOR

/* One load of a sweep or of a deck: a resistor, or a load file's
 * subcircuit. The one description of a load every layer shares. */
struct load_spec {
    double nominal_ohm;          /* the resistance, or the load's nominal_ohm (scaled) */
    const struct loadfile *file; /* NULL for a resistor; else borrowed */
    double scale; /* file's impedance scale (--load-model); 0 or 1: none. The load is seen
                     through an ideal transformer of turns ratio sqrt(scale) */
};

#endif
