/* pool: run numbered jobs in worker processes.
 *
 * libngspice is one simulator per process with global state that grows and
 * can abort, so every simulation runs in a forked worker; the parent only
 * hands out job numbers and collects result bytes over pipes. A worker is
 * replaced after `recycle` jobs; one that dies, hangs past `timeout_s` or
 * reports AS_EDEAD costs its job one retry in a fresh worker, then the job is
 * reported failed. Workers inherit the parent's memory at fork, so the jobs'
 * inputs need no serialising; results come back as bytes.
 */
#ifndef AMPSWEEP_POOL_H
#define AMPSWEEP_POOL_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "base/status.h"

/* Growable byte buffer a job appends its result to. */
struct pool_buf {
    unsigned char *data;
    size_t len, cap;
};

enum as_status pool_buf_add(struct pool_buf *b, const void *data, size_t len);

/* Runs in a worker: do job number job and append its result to out. err
 * (errlen bytes) carries the message of a failure back to the parent. */
typedef enum as_status (*pool_work_fn)(void *ctx, size_t job, struct pool_buf *out, char *err,
                                       size_t errlen);

/* Runs in the parent when a job ends for good: st AS_OK with its result
 * bytes (valid during the call), or the failure and its message. */
typedef void (*pool_done_fn)(void *ctx, size_t job, enum as_status st, const void *data, size_t len,
                             const char *err);

/* Runs in the parent before a job is handed out: nonzero skips it (it is
 * then neither worked nor reported). NULL: nothing is skipped. */
typedef int (*pool_skip_fn)(void *ctx, size_t job);

/* Runs in a worker as it ends (close what it opened). May be NULL. */
typedef void (*pool_exit_fn)(void *ctx);

struct pool_opts {
    unsigned workers; /* processes at once (>= 1) */
    unsigned recycle; /* jobs per worker before it is replaced (0: never) */
    double timeout_s; /* per job (0: none) */
    pool_work_fn work;
    pool_exit_fn worker_exit;
    pool_done_fn done;
    pool_skip_fn skip;
    void *ctx;
    FILE *progress;   /* progress lines; NULL for none */
    const char *what; /* what the jobs are, for progress lines ("points") */
    /* set (by a signal handler) to stop: workers are killed, and the jobs not
     * yet done are neither worked nor reported; NULL: never */
    volatile sig_atomic_t *stop;
};

/* Run jobs 0..n_jobs-1, handing them out in order. Returns AS_OK when every
 * job was worked or skipped (failed jobs are reported through done, not
 * here); AS_EINTR when *stop was set; an error when the pool itself cannot
 * go on (no fork, no pipe). */
enum as_status pool_run(const struct pool_opts *o, size_t n_jobs, char *err, size_t errlen);

/* Number of online processors (at least 1). */
unsigned pool_cores(void);

#endif
