/* check: "ampsweep check": validate amp netlists and report their operating
 * point (supply currents, quiescent power) and |Zout| at 1 kHz, so a person
 * adding an amp learns in plain words what is wrong before a long sweep.
 */
#ifndef AMPSWEEP_CHECK_H
#define AMPSWEEP_CHECK_H

#include <stdio.h>

#include "base/status.h"
#include "base/strv.h"
#include "spice/spfile.h"

/* Frequency of the |Zout| figure that check prints. */
#define CHECK_ZOUT_FREQ_HZ 1000.0

/* A check is an operating point and one AC point: well under a second on
 * every shipped amp, so a netlist still simulating after a minute hangs.
 * It is then killed, tried once more in a fresh worker, and reported. */
#define CHECK_TIMEOUT_S 60.0
/* Netlists per worker before it is replaced (libngspice's memory grows). */
#define CHECK_RECYCLE 50

/* Check every netlist, each in a worker process; the reports go to out in
 * the order given, failures to diag (a netlist that fails, hangs or crashes
 * the simulator is reported and the others are still checked). Returns
 * AS_OK when all pass, else the first failure's code (in the order given)
 * with a one-line summary in err; another code when no worker could run.
 * Borrows everything it is given. */
enum as_status check_run(const struct strv *netlists, const struct spfile_places *places, FILE *out,
                         FILE *diag, char *err, size_t errlen);

#endif
