/* deck: compose the whole ngspice deck for one amp and one load in memory,
 * the amp's own lines plus what the harness adds: the input source, the
 * output-impedance probe, the load, and for subcircuit loads a separate
 * copy of the load to measure its impedance. See docs/netlists.md.
 */
#ifndef AMPSWEEP_DECK_H
#define AMPSWEEP_DECK_H

#include "base/status.h"
#include "base/strv.h"
#include "engine/ngs.h"
#include "spice/loadfile.h"
#include "spice/netlist.h"

/* Names the harness gives its own parts: every instance name has
 * NETLIST_HARNESS_PREFIX after its first letter and every node name starts
 * with it, which netlists may not use (spice/netlist.h). */
#define DECK_VIN "vas_in" /* V source on node in: DC 0, AC 1 (DECK_SMALL: and SIN(0 0 1k)) */
/* DECK_LARGE's signal, in series with DECK_VIN: a B source, the product of
 * an envelope (PWL, 0 at rest) and a unit cosine (SIN with phase 90), so a
 * run starts at the cosine's peak from an operating point at rest and can
 * step its level (engine/tran.h) */
#define DECK_VENV "vas_env"
#define DECK_VOSC "vas_osc"
#define DECK_IPROBE "ias_z"   /* I source into node out: DC 0, AC 0 (1 to measure Zout) */
#define DECK_ISENSE "vas_il"  /* 0 V source from out to the load: the load current */
#define DECK_RLOAD "ras_load" /* resistive load from DECK_LNODE to 0 */
#define DECK_LNODE "as_lo"    /* node between DECK_ISENSE and the load */
#define DECK_ZNODE "as_zt"    /* node of the load-impedance test copy */

/* Vector of the load current, out into the load (A). */
#define DECK_ILOAD_VEC DECK_ISENSE "#branch"

/* "Open" output: a resistor this large stands for no load while keeping a
 * DC path, so an output behind a coupling capacitor does not float. Its
 * effect on any amp here is below 1e-9 relative (Zout < 1e3 ohm). */
#define DECK_OPEN_OHM 1e12

/* The output load whose operating point is passed to the open-output deck
 * as .nodeset when ngspice finds none with the output open
 * (deck_load_open). */
#define DECK_NODESET_OHM 1e6

/* What the deck is for. DECK_LARGE adds ".probe i(NAME)" for every device
 * in amp's metadata: ngspice puts a 0 V source on its terminals
 * (deck_power_read). ngspice's own power probes, ".probe p(NAME)", cost
 * more: a B source each, evaluated at every step. Measured in the ngspice 39
 * program (the O2 deck, 200 periods at 1 kHz into 32 ohm, median of 5): 2.05
 * s of CPU with p() probes and every vector saved, 1.75 s with i() probes
 * and only what deck_power_read saves. */
enum deck_mode { DECK_SMALL, DECK_LARGE };

/* 1 if node is ngspice's ground ("0" or "gnd", any case). */
int deck_is_ground(const char *node);

/* Append the deck's lines to out (which should be empty): title first,
 * ".end" last. */
enum as_status deck_compose(const struct netlist *amp, const struct load_spec *load,
                            enum deck_mode mode, struct strv *out);

/* Compose amp into load for mode and load it into s. On failure err names
 * the user's file and line when ngspice quoted a statement (deck_blame). */
enum as_status deck_load_into(struct ngs *s, const struct netlist *amp,
                              const struct load_spec *load, enum deck_mode mode, char *err,
                              size_t errlen);

/* Load amp's open-output circuit (DECK_OPEN_OHM) for mode into s and make
 * sure ngspice finds its operating point. When it finds none with the
 * output open, the operating point with DECK_NODESET_OHM on the output is
 * solved and the open circuit loaded again starting there (.nodeset of
 * every node). When that fails too, err names the measurement (what, e.g.
 * "the open-output response") and what to try. */
enum as_status deck_load_open(struct ngs *s, const struct netlist *amp, enum deck_mode mode,
                              const char *what, char *err, size_t errlen);

/* If stmt, a statement ngspice quoted with an error (or the name of the
 * instance or .model it is about), is written in amp's file, load's file
 * (load may be NULL) or a file they include, turn err's leading "PATH: "
 * (amp's path, as the engine labels its messages) into that file's
 * "FILE:LINE: ". Anything else leaves err as it is. */
void deck_blame(const struct netlist *amp, const struct load_spec *load, const char *stmt,
                char *err, size_t errlen);

/* How to compute the power each listed supply and device of a loaded
 * DECK_LARGE circuit absorbs, from the vectors of a run: part k's power
 * (supplies first, in amp's order, then devices) is the sum over its terms
 * of sign * v(node) * i(ivec). A supply's terms are its two nodes and its
 * own branch current (absorbed: (v+ - v-) i); a device's are each terminal
 * and the current into it, from its probes; terms on ground are left out.
 * Caller frees with deck_power_free. */
struct deck_power_term {
    char *node; /* node voltage vector */
    char *ivec; /* current vector */
    double sign;
    size_t part;
};
struct deck_power {
    struct deck_power_term *terms;
    size_t n_terms, n_parts;
};

/* Read the probes of the circuit loaded in s (by deck_load_into or
 * deck_load_open for DECK_LARGE; from ngspice's listing) into out, and have
 * every later analysis of it save only what engine/tran reads: v(out), the
 * load current and the terms' vectors. */
enum as_status deck_power_read(struct ngs *s, const struct netlist *amp, struct deck_power *out,
                               char *err, size_t errlen);

/* Accepts NULL. */
void deck_power_free(struct deck_power *p);

#endif
