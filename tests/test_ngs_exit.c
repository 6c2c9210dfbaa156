/* ngs after ControlledExit: libngspice "cannot recover" and the process's
 * simulator is gone. A test executable of its own, since nothing in this
 * process can use libngspice afterwards. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "engine/ngs.h"

static void controlled_exit_makes_every_later_call_fail_as_dead(void **state)
{
    (void)state;
    struct ngs *s = NULL;
    char err[512] = "";
    assert_int_equal(ngs_open(&s, err, sizeof err), AS_OK);
    /* a failed "source" is one of the errors after which ngspice 39 calls
     * ControlledExit ("cannot recover and awaits to be detached") */
    assert_int_equal(ngs_command(s, "source /nonexistent/ampsweep-test.cir", err, sizeof err),
                     AS_EDEAD);
    assert_non_null(strstr(err, "cannot recover"));
    assert_true(ngs_dead(s));
    assert_int_equal(ngs_run(s, "op", err, sizeof err), AS_EDEAD);
    struct strv deck = {0};
    assert_int_equal(strv_push(&deck, "t"), AS_OK);
    assert_int_equal(strv_push(&deck, "r1 a 0 1"), AS_OK);
    assert_int_equal(ngs_load(s, &deck, "after.cir", err, sizeof err), AS_EDEAD);
    strv_free(&deck);
    ngs_free(s);
    /* and no new session can be had in this process */
    assert_int_equal(ngs_open(&s, err, sizeof err), AS_EDEAD);
    assert_null(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(controlled_exit_makes_every_later_call_fail_as_dead),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
