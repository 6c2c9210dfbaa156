/* gprun: run gnuplot on one script file and wait for it. gnuplot is started
 * with posix_spawnp and an argument vector, never through a shell, so any
 * path (spaces, quotes) reaches it as it is.
 *
 * No ownership: nothing is allocated past the call.
 */
#ifndef AMPSWEEP_GPRUN_H
#define AMPSWEEP_GPRUN_H

#include <stddef.h>

#include "base/status.h"

/* The program started; "gnuplot" unless the environment variable
 * AMPSWEEP_GNUPLOT names another (the tests use it to fake a failure). */
const char *gprun_program(void);

/* Run `gnuplot script`. gnuplot's standard error goes to log_path
 * (created or truncated). AS_EIO with a message naming the script (and the
 * first line gnuplot printed) if gnuplot cannot be started or exits
 * nonzero. */
enum as_status gprun_script(const char *script, const char *log_path, char *err, size_t errlen);

#endif
