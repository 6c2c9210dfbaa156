/* strv: the NULL-terminated string arrays decks are built from. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/strv.h"

static void push_keeps_order_and_a_null_terminator(void **state)
{
    (void)state;
    struct strv v = {0};
    for (int i = 0; i < 100; i++)
        assert_int_equal(strv_pushf(&v, "line %d", i), AS_OK);
    assert_int_equal(v.len, 100);
    assert_string_equal(v.items[0], "line 0");
    assert_string_equal(v.items[99], "line 99");
    assert_null(v.items[100]);
    strv_truncate(&v, 10);
    assert_int_equal(v.len, 10);
    assert_null(v.items[10]);
    struct strv w = {0};
    assert_int_equal(strv_push(&w, "first"), AS_OK);
    assert_int_equal(strv_extend(&w, &v), AS_OK);
    assert_int_equal(w.len, 11);
    assert_string_equal(w.items[10], "line 9");
    strv_free(&v);
    strv_free(&w);
    assert_int_equal(v.len, 0);
    assert_null(v.items);
}

static void strv_free_accepts_null_and_empty(void **state)
{
    (void)state;
    struct strv v = {0};
    strv_free(&v);
    strv_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(push_keeps_order_and_a_null_terminator),
        cmocka_unit_test(strv_free_accepts_null_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
