/* pool: every job answered once, the same results whatever the number of
 * workers, and a crash, a hang or a lost simulator costing one job only. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run/pool.h"

#define N_JOBS 40

/* What the test's jobs do, by job number. */
enum behaviour { SQUARE, CRASH, CRASH_ONCE, HANG, DEAD, FAIL };

struct ctx {
    enum behaviour how[N_JOBS];
    char marker[256]; /* CRASH_ONCE: crashes while this file does not exist */
    int answers[N_JOBS];
    long value[N_JOBS];
    pid_t pid[N_JOBS];
    enum as_status status[N_JOBS];
    char err[N_JOBS][128];
};

static enum as_status work(void *vctx, size_t job, struct pool_buf *out, char *err, size_t errlen)
{
    struct ctx *c = vctx;
    switch (c->how[job]) {
    case CRASH_ONCE:
        if (access(c->marker, F_OK) != 0) {
            FILE *fp = fopen(c->marker, "w");
            if (fp)
                fclose(fp);
            raise(SIGKILL);
        }
        break;
    case CRASH:
        /* SIGKILL: cmocka catches SIGSEGV in this process and its children */
        raise(SIGKILL);
        break;
    case HANG:
        sleep(30);
        break;
    case DEAD:
        return as_fail(err, errlen, AS_EDEAD, "simulator lost on job %zu", job);
    case FAIL:
        return as_fail(err, errlen, AS_ESIM, "job %zu: bad circuit", job);
    case SQUARE:
        break;
    }
    long v = (long)(job * job);
    pid_t pid = getpid();
    pool_buf_add(out, &v, sizeof v);
    return pool_buf_add(out, &pid, sizeof pid);
}

static void done(void *vctx, size_t job, enum as_status st, const void *data, size_t len,
                 const char *err)
{
    struct ctx *c = vctx;
    c->answers[job]++;
    c->status[job] = st;
    snprintf(c->err[job], sizeof c->err[job], "%s", err ? err : "");
    if (st == AS_OK && len == sizeof(long) + sizeof(pid_t)) {
        memcpy(&c->value[job], data, sizeof(long));
        memcpy(&c->pid[job], (const char *)data + sizeof(long), sizeof(pid_t));
    }
}

static void run(struct ctx *c, unsigned workers, unsigned recycle, double timeout_s)
{
    struct pool_opts o = {.workers = workers,
                          .recycle = recycle,
                          .timeout_s = timeout_s,
                          .work = work,
                          .done = done,
                          .ctx = c};
    char err[256];
    if (pool_run(&o, N_JOBS, err, sizeof err) != AS_OK)
        fail_msg("%s", err);
    for (size_t j = 0; j < N_JOBS; j++)
        if (c->answers[j] != 1)
            fail_msg("job %zu answered %d times", j, c->answers[j]);
}

static void every_job_is_answered_once_with_the_same_results_for_1_and_3_workers(void **state)
{
    (void)state;
    static struct ctx one, three;
    run(&one, 1, 0, 0);
    run(&three, 3, 0, 0);
    for (size_t j = 0; j < N_JOBS; j++) {
        assert_int_equal(one.status[j], AS_OK);
        assert_int_equal(one.value[j], (long)(j * j));
        assert_int_equal(three.value[j], one.value[j]);
    }
}

static void a_worker_is_replaced_after_recycle_jobs(void **state)
{
    (void)state;
    static struct ctx c;
    run(&c, 1, 4, 0);
    size_t distinct = 0;
    for (size_t j = 0; j < N_JOBS; j++)
        distinct += j == 0 || c.pid[j] != c.pid[j - 1];
    assert_int_equal(distinct, N_JOBS / 4);
}

static void a_crash_fails_its_job_only_after_one_retry(void **state)
{
    (void)state;
    static struct ctx c;
    c.how[7] = CRASH;
    c.how[8] = FAIL;
    c.how[9] = DEAD;
    snprintf(c.marker, sizeof c.marker, "/tmp/ampsweep-test-pool-%ld", (long)getpid());
    unlink(c.marker);
    c.how[10] = CRASH_ONCE;
    run(&c, 2, 0, 0);
    unlink(c.marker);
    assert_int_equal(c.status[7], AS_ESIM);
    assert_non_null(strstr(c.err[7], "died of signal 9"));
    assert_int_equal(c.status[8], AS_ESIM); /* an error of the job itself: not retried */
    assert_string_equal(c.err[8], "job 8: bad circuit");
    assert_int_equal(c.status[9], AS_EDEAD);
    assert_int_equal(c.status[10], AS_OK); /* the retry in a fresh worker succeeded */
    for (size_t j = 0; j < N_JOBS; j++)
        if (j < 7 || j > 10)
            assert_int_equal(c.value[j], (long)(j * j));
}

static void a_hung_job_is_killed_at_the_timeout(void **state)
{
    (void)state;
    static struct ctx c;
    c.how[3] = HANG;
    time_t t0 = time(NULL);
    run(&c, 2, 0, 0.3);
    assert_true(time(NULL) - t0 < 10);
    assert_int_equal(c.status[3], AS_ESIM);
    assert_non_null(strstr(c.err[3], "timed out"));
    assert_int_equal(c.value[4], 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_job_is_answered_once_with_the_same_results_for_1_and_3_workers),
        cmocka_unit_test(a_worker_is_replaced_after_recycle_jobs),
        cmocka_unit_test(a_crash_fails_its_job_only_after_one_retry),
        cmocka_unit_test(a_hung_job_is_killed_at_the_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
