/* import: turn a SPICE deck as people have it (an ngspice example, a KiCad
 * export, an LTspice or PSpice netlist, a forum post) into an amp netlist
 * of the convention of docs/netlists.md. Pure text: the deck is read, never
 * simulated, and nothing in it (a .control block least of all) is run.
 *
 * What it does: finds the input node (the node a SIN/AC/PULSE source
 * drives, behind the generator's series resistor if there is one) and the
 * output node (where the deck's own load sits: a resistor, or a
 * two-terminal subcircuit instance such as a speaker model), or takes them
 * from the caller; removes that source, the generator resistor, the load
 * (and the definition of a subcircuit load nothing else uses), every
 * analysis and output statement and every .control block; turns the DC
 * voltage sources that power the circuit into '*@ supply' lines; sets the
 * AC value of every source it keeps to 0; renames only the input and output
 * nodes (and a node already called 'in' or 'out' that is not them); keeps
 * 0 V probe sources (a feedback loop may run through one); keeps an output
 * relay or switch and holds its control source at the level that closes it.
 * LTspice part parameters ngspice does not take even in its LTspice mode
 * (Rser=, Rpar=, Cpar=, Lser= on sources, capacitors and inductors) become
 * explicit parts; the rest of LTspice or PSpice syntax is left to ngspice's
 * compatibility mode, declared with '*@ compat'. Every change is listed.
 */
#ifndef AMPSWEEP_IMPORT_H
#define AMPSWEEP_IMPORT_H

#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"

struct import_opts {
    const char *in_node;  /* NULL: found in the deck */
    const char *out_node; /* NULL: found in the deck */
    const char *name;     /* NULL: the file's name */
    const char *kind;     /* "headphone", "power", or NULL: guessed from the deck's load */
    /* where the new netlist is written (its folder must exist), or NULL: a
     * relative include found beside the deck is rewritten as the path to
     * that file from this file's folder */
    const char *dest;
};

/* Read the deck at path and write the new netlist's lines (title first,
 * ".end" last) into out and one line per change (what, where, why) into
 * changes; both are the caller's and appended to. On failure (AS_EINPUT)
 * err reads "PATH:LINE: what is wrong" or, when the input or output node
 * is ambiguous, names the candidates and the option that chooses. */
enum as_status import_deck(const char *path, const struct import_opts *opts, struct strv *out,
                           struct strv *changes, char *err, size_t errlen);

#endif
