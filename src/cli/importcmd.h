/* importcmd: 'ampsweep import DECK': the deck rewritten by spice/import
 * into a netlist on stdout or in the -o file, its changes on stderr, and a
 * written file checked as 'ampsweep check' would.
 */
#ifndef AMPSWEEP_IMPORTCMD_H
#define AMPSWEEP_IMPORTCMD_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "cli/cli.h"

/* Run the import of a (CLI_IMPORT). The netlist goes to out unless a names
 * a file; the changes and the check's messages to diag. Borrows a. */
enum as_status importcmd_run(const struct cli_args *a, FILE *out, FILE *diag, char *err,
                             size_t errlen);

#endif
