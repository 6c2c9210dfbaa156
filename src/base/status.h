/* Status codes shared by every ampsweep module.
 *
 * Functions that can fail return one of these and write a one-line message
 * into a buffer the caller owns (char *err, size_t errlen). The message names
 * the file and line where there is one. main.c maps codes to exit statuses:
 * AS_EINPUT and AS_ESIM are the user's input (exit 2), AS_EINTR an interrupt
 * (130), the rest are ours (1).
 */
#ifndef AMPSWEEP_STATUS_H
#define AMPSWEEP_STATUS_H

#include <stdarg.h>
#include <stddef.h>

enum as_status {
    AS_OK = 0,
    AS_EINPUT, /* bad user input: option, netlist, load file, metadata */
    AS_ESIM,   /* the circuit does not simulate (ngspice error, absurd result) */
    AS_EDEAD,  /* libngspice hit ControlledExit; this process's session is unusable */
    AS_EIO,    /* reading or writing a file failed */
    AS_ENOMEM, /* out of memory */
    AS_EINTR,  /* stopped by SIGINT or SIGTERM (exit 130); finished work is kept */
};

/* Write a formatted message into err (if errlen > 0) and return code.
 * Lets a failure path read: return as_fail(err, errlen, AS_EINPUT, "...", ...). */
enum as_status as_fail(char *err, size_t errlen, enum as_status code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A short fixed name for a code ("bad input", "simulation failed", ...). */
const char *as_status_name(enum as_status code);

#endif
