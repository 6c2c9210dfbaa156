/* check: "ampsweep check": validate amp netlists and report their operating
 * point (supply currents, quiescent power) and |Zout| at 1 kHz, so a person
 * adding an amp learns in plain words what is wrong before a long sweep.
 */
#ifndef AMPSWEEP_CHECK_H
#define AMPSWEEP_CHECK_H

#include <stdio.h>

#include "base/status.h"
#include "base/strv.h"

/* Frequency of the |Zout| figure that check prints. */
#define CHECK_ZOUT_FREQ_HZ 1000.0

/* Check every netlist; the report goes to out, failures to diag. Returns
 * AS_OK when all pass, else the first failure's code. */
enum as_status check_run(const struct strv *netlists, const char *models_dir, FILE *out, FILE *diag,
                         char *err, size_t errlen);

#endif
