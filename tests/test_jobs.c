/* jobs: a job's result survives encoding and decoding exactly; a record
 * cut short, with bytes to spare, of another layout or of another build is
 * refused, never misread; jobs are numbered amp by amp, open-output first;
 * a netlist's '*@ compat' mode is part of its jobs' keys, so a resumed sweep
 * never reuses results computed under another mode. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run/jobs.h"
#include "testutil.h"

/* Two fr rows and one large row, with every byte set (padding included),
 * so a round trip can be compared with memcmp. */
static void sample(struct fr_table *fr, struct large_table *large)
{
    fr->rows = calloc(2, sizeof *fr->rows);
    large->rows = calloc(1, sizeof *large->rows);
    assert_non_null(fr->rows);
    assert_non_null(large->rows);
    fr->len = fr->cap = 2;
    large->len = large->cap = 1;
    strcpy(fr->rows[0].amp, "amp_a");
    strcpy(fr->rows[0].load, "resistor");
    fr->rows[0].freq_hz = 20;
    fr->rows[0].gain_db = -0.01;
    fr->rows[1] = fr->rows[0];
    fr->rows[1].freq_hz = 20000;
    fr->rows[1].rule8 = 1;
    strcpy(large->rows[0].amp, "amp_a");
    large->rows[0].limit = LARGE_FAILED;
    strcpy(large->rows[0].error, "did not converge");
    large->rows[0].tj_worst_c[0] = NAN;
    large->rows[0].n_curve = 1;
    large->rows[0].curve[0].p_w = 1.5;
}

static void encode_sample(struct pool_buf *b)
{
    struct fr_table fr = {0};
    struct large_table large = {0};
    sample(&fr, &large);
    assert_int_equal(jobs_encode_load(b, &fr, &large), AS_OK);
    fr_table_free(&fr);
    large_table_free(&large);
}

static void a_load_record_decodes_to_the_rows_it_was_made_of(void **state)
{
    (void)state;
    struct fr_table fr = {0}, fr2 = {0};
    struct large_table large = {0}, large2 = {0};
    struct pool_buf b = {0};
    char err[512];
    sample(&fr, &large);
    assert_int_equal(jobs_encode_load(&b, &fr, &large), AS_OK);
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr2, &large2, err, sizeof err), AS_OK);
    assert_int_equal(fr2.len, 2);
    assert_int_equal(large2.len, 1);
    assert_memory_equal(fr2.rows, fr.rows, 2 * sizeof *fr.rows);
    assert_memory_equal(large2.rows, large.rows, sizeof *large.rows);
    assert_int_equal(jobs_check_layout(b.data, b.len, err, sizeof err), AS_OK);
    fr_table_free(&fr);
    fr_table_free(&fr2);
    large_table_free(&large);
    large_table_free(&large2);
    free(b.data);
}

static void an_empty_load_record_decodes_to_empty_tables(void **state)
{
    (void)state;
    struct fr_table fr = {0};
    struct large_table large = {0};
    struct pool_buf b = {0};
    char err[512];
    assert_int_equal(jobs_encode_load(&b, &fr, &large), AS_OK);
    assert_int_equal(b.len, JOBS_HEADER_FIELDS * sizeof(uint64_t));
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_OK);
    assert_int_equal(fr.len, 0);
    assert_int_equal(large.len, 0);
    free(b.data);
}

static void an_open_record_decodes_to_its_swing_and_only_with_its_count(void **state)
{
    (void)state;
    double swing[3] = {1.5, NAN, 40.25}, zout[3] = {0.1, 49.9, NAN}, got[3] = {0}, gz[3] = {0};
    struct pool_buf b = {0};
    char err[512];
    assert_int_equal(jobs_encode_open(&b, swing, zout, 3), AS_OK);
    assert_int_equal(jobs_decode_open(b.data, b.len, got, gz, 3, err, sizeof err), AS_OK);
    assert_memory_equal(got, swing, sizeof swing);
    assert_memory_equal(gz, zout, sizeof zout);
    /* a record of two frequencies is not one of three */
    assert_int_equal(jobs_decode_open(b.data, b.len, got, gz, 2, err, sizeof err), AS_EINPUT);
    /* nor is it a load's record */
    struct fr_table fr = {0};
    struct large_table large = {0};
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_EINPUT);
    assert_null(fr.rows);
    free(b.data);
}

static void a_truncated_record_is_refused(void **state)
{
    (void)state;
    struct pool_buf b = {0};
    struct fr_table fr = {0};
    struct large_table large = {0};
    char err[512];
    encode_sample(&b);
    /* one byte short, one row short, and the header alone cut short */
    size_t cuts[] = {b.len - 1, b.len - sizeof(struct large_row), 10, 0};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        err[0] = '\0';
        assert_int_equal(jobs_decode_load(b.data, cuts[i], &fr, &large, err, sizeof err),
                         AS_EINPUT);
        assert_null(fr.rows);
        assert_null(large.rows);
        assert_true(strlen(err) > 0);
    }
    free(b.data);
}

static void an_over_long_record_is_refused(void **state)
{
    (void)state;
    struct pool_buf b = {0};
    struct fr_table fr = {0};
    struct large_table large = {0};
    char err[512];
    encode_sample(&b);
    unsigned char zero = 0;
    assert_int_equal(pool_buf_add(&b, &zero, 1), AS_OK);
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "exactly"));
    free(b.data);
}

/* Set header field f of the record in b to v. */
static void set_field(struct pool_buf *b, enum jobs_header_field f, uint64_t v)
{
    memcpy(b->data + f * sizeof v, &v, sizeof v);
}

static void a_record_of_another_layout_is_refused(void **state)
{
    (void)state;
    char err[512];
    struct fr_table fr = {0};
    struct large_table large = {0};
    const struct {
        enum jobs_header_field f;
        uint64_t v;
    } other[] = {{JOBS_H_MAGIC, 0x4142434445464748ull},
                 {JOBS_H_FORMAT, JOBS_FORMAT + 1},
                 {JOBS_H_KIND, 7},
                 {JOBS_H_DOUBLE, 16},
                 {JOBS_H_FR_ROW, sizeof(struct fr_row) + 8},
                 {JOBS_H_LARGE_ROW, sizeof(struct large_row) - 8},
                 {JOBS_H_LAYOUT, 12345}};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        struct pool_buf b = {0};
        encode_sample(&b);
        set_field(&b, other[i].f, other[i].v);
        assert_int_equal(jobs_check_layout(b.data, b.len, err, sizeof err), AS_EINPUT);
        assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_EINPUT);
        assert_null(fr.rows);
        free(b.data);
    }
}

static void a_record_whose_counts_do_not_match_its_bytes_is_refused(void **state)
{
    (void)state;
    char err[512];
    struct fr_table fr = {0};
    struct large_table large = {0};
    struct pool_buf b = {0};
    encode_sample(&b);
    /* the same bytes, the counts claim huge numbers (no overflow, no read past) */
    set_field(&b, JOBS_H_N_A, UINT64_MAX / 2);
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_EINPUT);
    set_field(&b, JOBS_H_N_A, 2);
    set_field(&b, JOBS_H_N_B, UINT64_MAX);
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_EINPUT);
    free(b.data);
}

/* What the build before record headers wrote: a count, then raw rows. */
static void a_record_of_the_build_before_headers_is_refused(void **state)
{
    (void)state;
    char err[512];
    struct fr_table fr = {0};
    struct large_table large = {0};
    struct pool_buf b = {0};
    uint64_t n = 1, none = 0;
    struct fr_row row = {.freq_hz = 1000};
    assert_int_equal(pool_buf_add(&b, &n, sizeof n), AS_OK);
    assert_int_equal(pool_buf_add(&b, &row, sizeof row), AS_OK);
    assert_int_equal(pool_buf_add(&b, &none, sizeof none), AS_OK);
    assert_int_equal(jobs_check_layout(b.data, b.len, err, sizeof err), AS_EINPUT);
    assert_int_equal(jobs_decode_load(b.data, b.len, &fr, &large, err, sizeof err), AS_EINPUT);
    /* and its open-output record: the bare doubles */
    double swing = 12.0;
    assert_int_equal(jobs_check_layout(&swing, sizeof swing, err, sizeof err), AS_EINPUT);
    double z1 = 0;
    assert_int_equal(jobs_decode_open(&swing, sizeof swing, &swing, &z1, 1, err, sizeof err),
                     AS_EINPUT);
    free(b.data);
}

static void jobs_are_numbered_amp_by_amp_open_output_first(void **state)
{
    (void)state;
    struct sweep_spec spec = {0};
    struct load_spec loads[3] = {{.nominal_ohm = 4}, {.nominal_ohm = 8}, {.nominal_ohm = 16}};
    struct jobs J;
    char err[512];
    assert_int_equal(jobs_init(&J, &spec, loads, 3, 2, err, sizeof err), AS_OK);
    struct netlist *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    assert_int_equal(jobs_add_amp(&J, &a, "a.cir", err, sizeof err), AS_OK);
    assert_null(a);
    assert_int_equal(jobs_add_amp(&J, &b, "b.cir", err, sizeof err), AS_OK);
    assert_int_equal(jobs_per_amp(&J), 4);
    assert_int_equal(jobs_count(&J), 8);
    assert_ptr_equal(jobs_amp_of(&J, 3), &J.amps[0]);
    assert_ptr_equal(jobs_amp_of(&J, 4), &J.amps[1]);
    assert_int_equal(jobs_slot(&J, 4), 0);
    assert_int_equal(jobs_slot(&J, 6), 2);
    /* a failure names its job, and the first one stays */
    jobs_fail(&J, 6, AS_ESIM, "no convergence");
    jobs_fail(&J, 7, AS_EINPUT, "later");
    assert_int_equal(J.amps[1].st, AS_ESIM);
    assert_string_equal(J.amps[1].error, "b.cir: into resistor (8 ohm): no convergence");
    jobs_fail(&J, 0, AS_ESIM, "a.cir: its own message");
    assert_string_equal(J.amps[0].error, "a.cir: its own message");
    jobs_free(&J);
    jobs_free(&J); /* zeroed: freeing again is harmless */
    jobs_free(NULL);
}

/* The keys of amp (read from path as it is now) into 8 ohm: open, load. */
static void keys_of(const char *path, uint64_t keys[2])
{
    struct sweep_spec spec = {0};
    struct load_spec load = {.nominal_ohm = 8};
    struct jobs J;
    struct netlist *amp = NULL;
    char err[1024];
    assert_int_equal(netlist_read(path, NULL, &amp, err, sizeof err), AS_OK);
    assert_int_equal(jobs_init(&J, &spec, &load, 1, 1, err, sizeof err), AS_OK);
    assert_int_equal(jobs_add_amp(&J, &amp, path, err, sizeof err), AS_OK);
    assert_int_equal(jobs_make_keys(&J, err, sizeof err), AS_OK);
    keys[0] = J.keys[0];
    keys[1] = J.keys[1];
    jobs_free(&J);
}

#define AMP_LINES "vcc vcc 0 dc 5\nr1 in out 1k\nr2 out 0 1k\n.end\n"

static void a_compat_line_changes_every_key_of_its_amp_and_other_comments_do_not(void **state)
{
    (void)state;
    char path[256];
    uint64_t plain[2], noted[2], ps[2], lta[2];
    tu_write("amp.cir", "amp\n*@ name = amp\n*@ supply = vcc\n" AMP_LINES, path, sizeof path);
    keys_of(path, plain);
    /* the same file and circuit, another comment and source line */
    tu_write("amp.cir",
             "amp\n*@ name = amp\n*@ source = a note\n* a comment\n*@ supply = vcc\n" AMP_LINES,
             path, sizeof path);
    keys_of(path, noted);
    tu_write("amp.cir", "amp\n*@ name = amp\n*@ compat = ps\n*@ supply = vcc\n" AMP_LINES, path,
             sizeof path);
    keys_of(path, ps);
    tu_write("amp.cir", "amp\n*@ name = amp\n*@ compat = lta\n*@ supply = vcc\n" AMP_LINES, path,
             sizeof path);
    keys_of(path, lta);
    for (int k = 0; k < 2; k++) {
        assert_true(plain[k] == noted[k]);
        assert_true(ps[k] != plain[k]);
        assert_true(lta[k] != plain[k]);
        assert_true(lta[k] != ps[k]);
    }
    assert_true(plain[0] != plain[1]); /* open and loaded jobs keep their own keys */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_load_record_decodes_to_the_rows_it_was_made_of),
        cmocka_unit_test(an_empty_load_record_decodes_to_empty_tables),
        cmocka_unit_test(an_open_record_decodes_to_its_swing_and_only_with_its_count),
        cmocka_unit_test(a_truncated_record_is_refused),
        cmocka_unit_test(an_over_long_record_is_refused),
        cmocka_unit_test(a_record_of_another_layout_is_refused),
        cmocka_unit_test(a_record_whose_counts_do_not_match_its_bytes_is_refused),
        cmocka_unit_test(a_record_of_the_build_before_headers_is_refused),
        cmocka_unit_test(jobs_are_numbered_amp_by_amp_open_output_first),
        cmocka_unit_test(a_compat_line_changes_every_key_of_its_amp_and_other_comments_do_not),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
