/* stop: SIGINT and SIGTERM as a request to stop, for the tool's long
 * commands. While caught, a signal only sets the flag stop_flag() returns;
 * the sweep reads it between jobs (run/sweep.h, struct sweep_spec.stop) and
 * ends with AS_EINTR, keeping what it finished. The library layers never
 * install handlers: the tool decides what a signal means.
 */
#ifndef AMPSWEEP_STOP_H
#define AMPSWEEP_STOP_H

#include <signal.h>

/* Catch SIGINT and SIGTERM, the flag cleared. Pair with stop_release. */
void stop_catch(void);

/* Put back the handlers stop_catch replaced. */
void stop_release(void);

/* The flag the handlers set; valid for the life of the process. */
volatile sig_atomic_t *stop_flag(void);

#endif
