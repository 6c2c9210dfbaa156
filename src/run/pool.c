/* pool: worker processes for the simulations, so that one bad circuit, one
 * crash or one hang costs one job and never the sweep, and every core works.
 *
 * Protocol: the parent writes a job number (uint64) to a worker's pipe; the
 * worker answers with a frame: header (job, status, message length, data
 * length), the message, the data. A worker that ends (recycled, or its pipe
 * closed) simply exits; one that dies shows as end-of-file on its pipe.
 */
#include "run/pool.h"

#include <assert.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define POOL_ERR_MAX 2048
#define POOL_RETRIES 1

struct frame {
    uint64_t job;
    int32_t status;
    uint32_t err_len;
    uint64_t data_len;
};

struct worker {
    pid_t pid; /* 0: no process */
    int to_fd, from_fd;
    long job; /* in progress; -1 idle */
    unsigned jobs_done;
    double deadline;
};

enum as_status pool_buf_add(struct pool_buf *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len)
            cap *= 2;
        unsigned char *g = realloc(b->data, cap);
        if (!g)
            return AS_ENOMEM;
        b->data = g;
        b->cap = cap;
    }
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    return AS_OK;
}

unsigned pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int read_full(int fd, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

static int write_full(int fd, const void *buf, size_t len)
{
    size_t put = 0;
    while (put < len) {
        ssize_t r = write(fd, (const char *)buf + put, len - put);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        put += (size_t)r;
    }
    return 0;
}

/* The worker's life: jobs in, frames out, until its pipe closes. */
static void worker_main(const struct pool_opts *o, int in_fd, int out_fd)
{
    struct pool_buf b = {0};
    char err[POOL_ERR_MAX];
    uint64_t job;
    while (read_full(in_fd, &job, sizeof job) == 0) {
        b.len = 0;
        err[0] = '\0';
        enum as_status st = o->work(o->ctx, (size_t)job, &b, err, sizeof err);
        struct frame f = {.job = job,
                          .status = st,
                          .err_len = (uint32_t)strnlen(err, sizeof err),
                          .data_len = st == AS_OK ? b.len : 0};
        if (write_full(out_fd, &f, sizeof f) || write_full(out_fd, err, f.err_len) ||
            write_full(out_fd, b.data, f.data_len) || st == AS_EDEAD)
            break; /* the parent is gone, or so is this process's simulator */
    }
    if (o->worker_exit)
        o->worker_exit(o->ctx);
    free(b.data);
}

static void close_worker(struct worker *w, int kill_it)
{
    if (!w->pid)
        return;
    if (kill_it)
        kill(w->pid, SIGKILL);
    close(w->to_fd);
    close(w->from_fd);
    int status;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    w->job = -1;
}

static enum as_status spawn(const struct pool_opts *o, struct worker *ws, size_t i, char *err,
                            size_t errlen)
{
    int down[2], up[2];
    if (pipe(down) != 0)
        return as_fail(err, errlen, AS_EIO, "cannot make a pipe: %s", strerror(errno));
    if (pipe(up) != 0) {
        close(down[0]);
        close(down[1]);
        return as_fail(err, errlen, AS_EIO, "cannot make a pipe: %s", strerror(errno));
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(down[0]);
        close(down[1]);
        close(up[0]);
        close(up[1]);
        return as_fail(err, errlen, AS_EIO, "cannot start a worker: %s", strerror(errno));
    }
    if (pid == 0) {
        /* the worker: keep only its own two pipe ends */
        for (size_t k = 0; k < o->workers; k++)
            if (ws[k].pid) {
                close(ws[k].to_fd);
                close(ws[k].from_fd);
            }
        close(down[1]);
        close(up[0]);
        worker_main(o, down[0], up[1]);
        _exit(0); /* a forked worker ends here: no atexit, no stdio flush */
    }
    close(down[0]);
    close(up[1]);
    ws[i] = (struct worker){.pid = pid, .to_fd = down[1], .from_fd = up[0], .job = -1};
    return AS_OK;
}

struct run {
    const struct pool_opts *o;
    size_t n_jobs, next, finished, failed;
    unsigned char *attempts;
    size_t *retry; /* jobs to hand out again, before the next new one */
    size_t n_retry;
    double t0, last_progress;
};

/* The next job to hand out, or -1. */
static long next_job(struct run *r)
{
    if (r->n_retry)
        return (long)r->retry[--r->n_retry];
    while (r->next < r->n_jobs) {
        size_t j = r->next++;
        if (!r->o->skip || !r->o->skip(r->o->ctx, j))
            return (long)j;
        r->finished++;
    }
    return -1;
}

/* A job whose worker died, hung or lost its simulator: once more, then failed. */
static void lost(struct run *r, size_t job, enum as_status st, const char *why)
{
    assert(job < r->n_jobs);
    if (r->attempts[job] < POOL_RETRIES) {
        r->attempts[job]++;
        assert(r->n_retry < r->n_jobs + 1); /* the capacity of retry */
        r->retry[r->n_retry++] = job;
        return;
    }
    char msg[POOL_ERR_MAX + 64];
    /* why is a worker's message, at most POOL_ERR_MAX long */
    snprintf(msg, sizeof msg, "%.*s (tried %d times, retried in a fresh worker)", POOL_ERR_MAX, why,
             POOL_RETRIES + 1);
    r->finished++;
    r->failed++;
    r->o->done(r->o->ctx, job, st, NULL, 0, msg);
}

static void progress(struct run *r, int final)
{
    FILE *fp = r->o->progress;
    double t = now_s();
    int tty = fp && isatty(fileno(fp));
    if (!fp || (!final && t - r->last_progress < (tty ? 0.5 : 10.0)))
        return;
    r->last_progress = t;
    double rate = r->finished / (t - r->t0 > 1e-9 ? t - r->t0 : 1e-9);
    double eta = rate > 0 ? (double)(r->n_jobs - r->finished) / rate : 0;
    fprintf(fp, "%sampsweep: %zu/%zu %s, %.2f/s, ETA %.0f s, %zu failed%s", tty ? "\r" : "",
            r->finished, r->n_jobs, r->o->what ? r->o->what : "jobs", rate, eta, r->failed,
            tty ? (final ? "\033[K\n" : "\033[K") : "\n");
    fflush(fp);
}

/* Worker w sent no usable frame header for job (it died, or its answer is
 * not for that job): end it and count the job lost, with the cause. */
static void lost_worker(struct run *r, struct worker *w, size_t job)
{
    char msg[POOL_ERR_MAX + 64];
    int status = 0;
    kill(w->pid, SIGKILL);
    close(w->to_fd);
    close(w->from_fd);
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    w->job = -1;
    if (WIFSIGNALED(status))
        snprintf(msg, sizeof msg, "the worker died of signal %d (%s)", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    else
        snprintf(msg, sizeof msg, "the worker ended without an answer");
    lost(r, job, AS_ESIM, msg);
}

/* Worker w answered job with frame f, message err and data: report it (a
 * worker whose simulator died loses the job instead), and recycle w when it
 * has done its share. */
static void deliver(struct run *r, struct worker *w, size_t job, const struct frame *f,
                    const char *err, const unsigned char *data)
{
    w->job = -1;
    w->jobs_done++;
    if (f->status == AS_EDEAD) {
        close_worker(w, 0);
        lost(r, job, AS_EDEAD, err);
        return;
    }
    r->finished++;
    if (f->status != AS_OK)
        r->failed++;
    r->o->done(r->o->ctx, job, (enum as_status)f->status, data, f->data_len, err);
    if (r->o->recycle && w->jobs_done >= r->o->recycle)
        close_worker(w, 0);
}

/* Read one frame from worker w, which poll said is readable. */
static void collect(struct run *r, struct worker *w)
{
    assert(w->pid && w->job >= 0);
    struct frame f;
    size_t job = (size_t)w->job;
    if (read_full(w->from_fd, &f, sizeof f) != 0 || f.job != job || f.err_len >= POOL_ERR_MAX) {
        lost_worker(r, w, job);
        return;
    }
    char err[POOL_ERR_MAX];
    unsigned char *data = f.data_len ? malloc(f.data_len) : NULL;
    if (read_full(w->from_fd, err, f.err_len) != 0 || (f.data_len && !data) ||
        read_full(w->from_fd, data, f.data_len) != 0) {
        close_worker(w, 1);
        lost(r, job, AS_ESIM, "the worker's answer was cut short");
    } else {
        err[f.err_len] = '\0';
        deliver(r, w, job, &f, err, data);
    }
    free(data);
}

/* 1 if slot w has a worker with a job in progress. */
static int busy(const struct worker *w)
{
    return w->pid && w->job >= 0;
}

/* Hand jobs to slot i until it is busy or no job is left, starting a worker
 * when the slot has none. A worker that cannot take its job loses it and
 * the slot tries again with a fresh one. */
static enum as_status fill_slot(struct run *r, struct worker *ws, size_t i, char *err,
                                size_t errlen)
{
    const struct pool_opts *o = r->o;
    enum as_status st = AS_OK;
    assert(i < o->workers);
    while (!busy(&ws[i])) {
        long job = next_job(r);
        if (job < 0)
            break;
        if (!ws[i].pid && (st = spawn(o, ws, i, err, errlen)) != AS_OK)
            break;
        uint64_t j = (uint64_t)job;
        if (write_full(ws[i].to_fd, &j, sizeof j) != 0) {
            close_worker(&ws[i], 1);
            lost(r, (size_t)job, AS_ESIM, "the worker could not take the job");
            continue;
        }
        ws[i].job = job;
        ws[i].deadline = o->timeout_s > 0 ? now_s() + o->timeout_s : 0;
    }
    return st;
}

/* Hand out work to every idle slot; the number of busy ones into *n_busy. */
static enum as_status hand_out(struct run *r, struct worker *ws, size_t *n_busy, char *err,
                               size_t errlen)
{
    enum as_status st = AS_OK;
    for (size_t i = 0; i < r->o->workers && st == AS_OK; i++)
        st = fill_slot(r, ws, i, err, errlen);
    *n_busy = 0;
    for (size_t i = 0; i < r->o->workers; i++)
        *n_busy += busy(&ws[i]);
    return st;
}

/* Wait for an answer, a deadline or the next progress line: poll's result
 * (errno as poll left it). pfd receives one entry per busy slot, in slot
 * order. */
static int wait_for_workers(const struct run *r, const struct worker *ws, struct pollfd *pfd)
{
    double t = now_s(), wait_s = 1.0;
    size_t n = 0;
    for (size_t i = 0; i < r->o->workers; i++) {
        if (!busy(&ws[i]))
            continue;
        pfd[n++] = (struct pollfd){.fd = ws[i].from_fd, .events = POLLIN};
        if (ws[i].deadline > 0 && ws[i].deadline - t < wait_s)
            wait_s = ws[i].deadline - t;
    }
    return poll(pfd, n, wait_s > 0 ? (int)(wait_s * 1000) + 1 : 0);
}

/* After wait_for_workers: take the answer of every busy slot poll found
 * readable, and end the workers past their deadline (the job is lost). */
static void serve_workers(struct run *r, struct worker *ws, const struct pollfd *pfd)
{
    double t = now_s();
    for (size_t i = 0, k = 0; i < r->o->workers; i++) {
        if (!busy(&ws[i]))
            continue;
        short ev = pfd[k++].revents;
        if (ev & (POLLIN | POLLHUP | POLLERR)) {
            collect(r, &ws[i]);
        } else if (ws[i].deadline > 0 && t >= ws[i].deadline) {
            size_t job = (size_t)ws[i].job;
            char msg[128];
            snprintf(msg, sizeof msg, "timed out after %g s", r->o->timeout_s);
            close_worker(&ws[i], 1);
            lost(r, job, AS_ESIM, msg);
        }
    }
}

/* Hand out jobs and take the answers until every job is done, *stop is set
 * or the pool itself fails. */
static enum as_status run_jobs(struct run *r, struct worker *ws, struct pollfd *pfd, char *err,
                               size_t errlen)
{
    const struct pool_opts *o = r->o;
    enum as_status st = AS_OK;
    for (;;) {
        if (o->stop && *o->stop) {
            st = as_fail(err, errlen, AS_EINTR, "interrupted: %zu of %zu jobs done", r->finished,
                         r->n_jobs);
            break;
        }
        size_t n_busy = 0;
        st = hand_out(r, ws, &n_busy, err, errlen);
        if (st != AS_OK || n_busy == 0)
            break;
        int rc = wait_for_workers(r, ws, pfd);
        if (o->stop && *o->stop)
            continue; /* a worker killed by the same signal is no failure of its job */
        if (rc < 0 && errno != EINTR) {
            st = as_fail(err, errlen, AS_EIO, "poll: %s", strerror(errno));
            break;
        }
        serve_workers(r, ws, pfd);
        progress(r, 0);
    }
    return st;
}

enum as_status pool_run(const struct pool_opts *o, size_t n_jobs, char *err, size_t errlen)
{
    struct run r = {.o = o, .n_jobs = n_jobs, .t0 = now_s()};
    struct worker *ws = calloc(o->workers + 1, sizeof *ws);
    struct pollfd *pfd = calloc(o->workers + 1, sizeof *pfd);
    r.attempts = calloc(n_jobs + 1, 1);
    r.retry = calloc(n_jobs + 1, sizeof *r.retry);
    enum as_status st = AS_OK;
    /* a worker that dies must not take the parent with it through SIGPIPE */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
    sigaction(SIGPIPE, &ign, &old_pipe);
    if (!ws || !pfd || !r.attempts || !r.retry)
        st = as_fail(err, errlen, AS_ENOMEM, "out of memory");
    if (st == AS_OK) {
        r.last_progress = r.t0;
        for (size_t i = 0; i < o->workers; i++)
            ws[i].job = -1;
        st = run_jobs(&r, ws, pfd, err, errlen);
    }
    if (st == AS_OK)
        progress(&r, 1);
    for (size_t i = 0; ws && i < o->workers; i++)
        close_worker(&ws[i], st != AS_OK);
    sigaction(SIGPIPE, &old_pipe, NULL);
    free(ws);
    free(pfd);
    free(r.attempts);
    free(r.retry);
    return st;
}
