/* spfile: scanning user SPICE files without running them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>

#include "spice/spfile.h"
#include "testutil.h"

/* Read text as a file named name; return the status and leave err. */
static enum as_status scan(const char *name, const char *text, int has_title, struct spfile **f,
                           char *err, size_t errlen)
{
    char path[256];
    tu_write(name, text, path, sizeof path);
    return spfile_read(path, has_title,
                       &(struct spfile_places){.models_dir = PROJECT_DIR "/models"}, f, err,
                       errlen);
}

/* The file must be refused, and err must name file and line "NAME:LINE:". */
static void expect_refused_at(const char *text, int line, const char *needle)
{
    struct spfile *f = NULL;
    char err[512] = "", where[64];
    assert_int_equal(scan("bad.cir", text, 1, &f, err, sizeof err), AS_EINPUT);
    assert_null(f);
    snprintf(where, sizeof where, "bad.cir:%d:", line);
    if (!strstr(err, where) || !strstr(err, needle))
        fail_msg("message '%s' lacks '%s' or '%s'", err, where, needle);
}

static void metadata_elements_and_subcircuits_are_collected(void **state)
{
    (void)state;
    struct spfile *f = NULL;
    char err[512];
    assert_int_equal(scan("ok.cir",
                          "Title line is not content\n"
                          "*@ Name = demo\n"
                          "* plain comment\n"
                          "R1 IN mid 1k ; inline comment\n"
                          "+ tc1=0\n"
                          ".subckt buf a b\n"
                          "rinside a b 1\n"
                          ".ends\n"
                          "x1 mid OUT buf\n"
                          ".end\n"
                          "r9 after end 1\n",
                          1, &f, err, sizeof err),
                     AS_OK);
    assert_int_equal(f->n_meta, 1);
    assert_string_equal(f->meta[0].key, "name");
    assert_string_equal(f->meta[0].value, "demo");
    assert_int_equal(f->meta[0].line, 2);
    assert_int_equal(f->n_elems, 2); /* r1 and x1: rinside is in a subckt, r9 after .end */
    assert_string_equal(f->elems[0].name, "r1");
    assert_int_equal(f->elems[0].line, 4);
    assert_string_equal(f->elems[0].tokens.items[0], "in");
    assert_int_equal(f->n_subckts, 1);
    assert_string_equal(f->subckts[0].name, "buf");
    assert_int_equal(f->subckts[0].n_ports, 2);
    assert_true(spfile_uses_node(f, "out"));
    assert_false(spfile_uses_node(f, "nowhere"));
    assert_non_null(spfile_find_elem(f, "X1"));
    /* the inline comment was cut before the continuation was joined on;
     * the title and .end are not in the body */
    assert_string_equal(f->body.items[0], "R1 IN mid 1k tc1=0");
    for (size_t i = 0; i < f->body.len; i++)
        assert_null(strstr(f->body.items[i], ".end\n"));
    spfile_free(f);
}

static void includes_are_found_beside_the_file_then_in_models_and_inlined(void **state)
{
    (void)state;
    char lib[256], sec[256];
    tu_write("local.lib", ".model dloc d\n", lib, sizeof lib);
    tu_write("sections.lib",
             ".lib fast\n.model dfast d is=1e-12\n.endl fast\n"
             ".lib slow\n.model dslow d is=1e-15\n.endl\n",
             sec, sizeof sec);
    struct spfile *f = NULL;
    char err[512];
    assert_int_equal(scan("inc.cir",
                          "t\n.include local.lib\n.inc opamp_basic.lib\n.lib 'sections.lib' SLOW\n"
                          "r1 in out 1k\n",
                          1, &f, err, sizeof err),
                     AS_OK);
    /* ngspice never opens a file: every include's statements are in the body */
    for (size_t i = 0; i < f->body.len; i++)
        assert_null(strstr(f->body.items[i], ".inc"));
    assert_string_equal(f->body.items[0], ".model dloc d");
    const struct spfile_origin *o = spfile_origin_of(f, ".model", "dloc");
    assert_non_null(o);
    assert_non_null(strstr(o->path, "/local.lib"));
    assert_int_equal(o->line, 1);
    /* the models folder's op-amp library, found second, with its own lines */
    int from_models = 0;
    for (size_t i = 0; i < f->body.len; i++)
        from_models |= strstr(f->origin[i].path, "/models/opamp_basic.lib") != NULL;
    assert_true(from_models);
    /* .lib FILE SECTION keeps that section only */
    assert_non_null(spfile_origin_of(f, ".model", "dslow"));
    assert_null(spfile_origin_of(f, ".model", "dfast"));
    o = spfile_origin_of(f, "r1", NULL);
    assert_string_equal(o->path, f->path);
    assert_int_equal(o->line, 5);
    /* the elements of included files are not the netlist's own */
    assert_int_equal(f->n_elems, 1);
    spfile_free(f);
    expect_refused_at("t\n.lib sections.lib medium\n", 2, "no section 'medium'");
}

static void includes_cannot_reach_outside_the_netlist_models_and_named_folders(void **state)
{
    (void)state;
    char path[256], outside[256], link[300];
    /* a file outside every place: the scratch folder's parent is not one */
    snprintf(outside, sizeof outside, "%s/../ampsweep-outside-%d.lib", tu_dir(), (int)getpid());
    FILE *fp = fopen(outside, "w");
    assert_non_null(fp);
    fputs("secret line one\n", fp);
    fclose(fp);
    char abs_line[512];
    snprintf(abs_line, sizeof abs_line, "t\n.include %s\n", outside);
    expect_refused_at(abs_line, 2, "outside the places");
    expect_refused_at("t\n.include /etc/passwd\n", 2, "outside the places");
    expect_refused_at("t\n* escape\n.include ../../../../../../etc/passwd\n", 3,
                      "outside the places");
    /* a symbolic link beside the netlist that points out */
    snprintf(link, sizeof link, "%s/link.lib", tu_dir());
    unlink(link);
    assert_int_equal(symlink(outside, link), 0);
    expect_refused_at("t\n.include link.lib\n", 2, "outside the places");
    /* an include in an included file is held to the same places */
    tu_write("hop.lib", ".model dh d\n.include /etc/passwd\n", path, sizeof path);
    expect_refused_at("t\n.include hop.lib\n", 2,
                      "hop.lib:2: .include file '/etc/passwd' is refused");
    /* no message quotes the content of the file outside */
    struct spfile *f = NULL;
    char err[512] = "";
    assert_int_equal(scan("q.cir", abs_line, 1, &f, err, sizeof err), AS_EINPUT);
    assert_null(strstr(err, "secret"));
    /* a folder the user names is a place */
    char dir[256], inc[300];
    snprintf(dir, sizeof dir, "%s/../ampsweep-named-%d", tu_dir(), (int)getpid());
    mkdir(dir, 0777);
    snprintf(inc, sizeof inc, "%s/named.lib", dir);
    fp = fopen(inc, "w");
    assert_non_null(fp);
    fputs(".model dnamed d\n", fp);
    fclose(fp);
    struct strv dirs = {0};
    assert_int_equal(strv_push(&dirs, dir), AS_OK);
    struct spfile_places places = {.dirs = &dirs};
    char net[256];
    tu_write("named.cir", "t\n.include named.lib\n", net, sizeof net);
    assert_int_equal(spfile_read(net, 1, &places, &f, err, sizeof err), AS_OK);
    assert_non_null(spfile_origin_of(f, ".model", "dnamed"));
    spfile_free(f);
    assert_int_equal(spfile_read(net, 1, NULL, &f, err, sizeof err), AS_EINPUT);
    strv_free(&dirs);
    unlink(inc);
    rmdir(dir);
    unlink(link);
    unlink(outside);
}

static void an_included_file_that_is_not_text_is_refused(void **state)
{
    (void)state;
    char path[256];
    tu_write("bin.lib", "", path, sizeof path);
    FILE *fp = fopen(path, "wb");
    fwrite("\x7f"
           "ELF\2\1\1\3",
           1, 8, fp);
    fclose(fp);
    expect_refused_at("t\n.include bin.lib\n", 2, "not a text file");
}

static void every_malformed_input_names_file_and_line(void **state)
{
    (void)state;
    expect_refused_at("t\nr1 in out 1\n.control\nshell rm -rf /\n.endc\n", 3, "'.control'");
    expect_refused_at("t\n.endc\n", 2, "refused");
    expect_refused_at("t\nr1 in out 1\n.tran 1u 1m\n", 3, "analyses");
    expect_refused_at("t\n.save all\n", 2, "'.save'");
    expect_refused_at("t\n.shell ls\n", 2, "unknown or refused");
    expect_refused_at("t\n\n.include nowhere.lib\n", 3, "'nowhere.lib' not found");
    expect_refused_at("t\n.include\n", 2, "needs a file name");
    expect_refused_at("t\n*@ name demo\n", 2, "*@ key = value");
    expect_refused_at("t\n*@ = demo\n", 2, "needs a key and a value");
    expect_refused_at("t\n*@ name =   \n", 2, "needs a key and a value");
    expect_refused_at("t\n*@ na-me = x\n", 2, "has a character");
    expect_refused_at("t\n.ends\n", 2, ".ends without");
    expect_refused_at("t\n+ r1 a b 1\n", 2, "continuation");
}

static void file_level_errors_name_the_file(void **state)
{
    (void)state;
    struct spfile *f = NULL;
    char err[512] = "";
    assert_int_equal(scan("empty.cir", "", 1, &f, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "empty.cir: empty file"));
    assert_int_equal(scan("onlytitle.cir", "title only\n* comment\n", 1, &f, err, sizeof err),
                     AS_EINPUT);
    assert_non_null(strstr(err, "empty file"));
    char path[256];
    tu_write("bin.cir", "", path, sizeof path);
    FILE *fp = fopen(path, "wb");
    fwrite("\x7f"
           "ELF\0\0\1\2",
           1, 8, fp);
    fclose(fp);
    assert_int_equal(spfile_read(path, 1, NULL, &f, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "not a text file"));
    assert_int_equal(spfile_read("/no/such/file.cir", 1, NULL, &f, err, sizeof err), AS_EINPUT);
    assert_non_null(strstr(err, "/no/such/file.cir: cannot open"));
    assert_int_equal(scan("open.cir", "t\n.subckt a p q\nr1 p q 1\n", 1, &f, err, sizeof err),
                     AS_EINPUT);
    assert_non_null(strstr(err, "not closed"));
    assert_null(f);
}

static void included_files_may_not_run_commands_either(void **state)
{
    (void)state;
    char path[256];
    tu_write("evil.lib", ".model d1 d\n.control\nshell touch /tmp/pwned\n.endc\n", path,
             sizeof path);
    tu_write("evil2.lib", "* harmless\n*# shell touch /tmp/pwned\n", path, sizeof path);
    tu_write("outer.lib", ".model d2 d\n.inc evil.lib\n", path, sizeof path);
    expect_refused_at("t\n.include outer.lib\n", 2, "evil.lib:2: '.control' is refused");
    expect_refused_at("t\nr1 in out 1\n.include evil2.lib\n", 3, "evil2.lib:2: '*#' lines are refused");
    expect_refused_at("t\n.include /dev/zero\n", 2, "outside the places");
    char fifo[256];
    tu_write("fifo.lib", "", fifo, sizeof fifo);
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    expect_refused_at("t\n.include fifo.lib\n", 2, "must be a regular file");
    expect_refused_at("t\nr1 in out 1\n*# shell ls\n", 3, "'*#' lines are refused");
}

static void comments_and_blank_lines_do_not_break_continuations(void **state)
{
    (void)state;
    struct spfile *f = NULL;
    char err[512];
    assert_int_equal(scan("cont.cir",
                          "t\n"
                          "rf in out $ feedback resistor\n"
                          "* a comment between\n"
                          "\n"
                          "+ 1k // value\n"
                          "r$2 in out 1k\n",
                          1, &f, err, sizeof err),
                     AS_OK);
    assert_int_equal(f->body.len, 2);
    assert_string_equal(f->body.items[0], "rf in out 1k");
    assert_string_equal(f->body.items[1], "r$2 in out 1k"); /* '$' inside a name stays */
    assert_int_equal(f->elems[0].tokens.len, 3);
    spfile_free(f);
}

static void subcircuit_names_and_ports_are_case_insensitive(void **state)
{
    (void)state;
    struct spfile *f = NULL;
    char err[512];
    assert_int_equal(scan("sub.lib", ".SUBCKT SPK A B PARAMS: re=6\nR1 A B {re}\n.ENDS\n", 0, &f,
                          err, sizeof err),
                     AS_OK);
    assert_string_equal(f->subckts[0].name, "spk");
    assert_int_equal(f->subckts[0].n_ports, 2);
    spfile_free(f);
    expect_refused_at("t\n.lib mysection\n", 2, "library sections");
}

static void spfile_free_accepts_null(void **state)
{
    (void)state;
    spfile_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(metadata_elements_and_subcircuits_are_collected),
        cmocka_unit_test(includes_are_found_beside_the_file_then_in_models_and_inlined),
        cmocka_unit_test(includes_cannot_reach_outside_the_netlist_models_and_named_folders),
        cmocka_unit_test(an_included_file_that_is_not_text_is_refused),
        cmocka_unit_test(every_malformed_input_names_file_and_line),
        cmocka_unit_test(file_level_errors_name_the_file),
        cmocka_unit_test(included_files_may_not_run_commands_either),
        cmocka_unit_test(comments_and_blank_lines_do_not_break_continuations),
        cmocka_unit_test(subcircuit_names_and_ports_are_case_insensitive),
        cmocka_unit_test(spfile_free_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
