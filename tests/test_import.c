/* import: decks as people have them rewritten into the amp-netlist
 * convention, as text. Each result is also read back by netlist_read, the
 * reader every sweep and check uses. (The power the imported decks deliver
 * is tests/test_import_decks.sh's business.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/importcmd.h"
#include "spice/import.h"
#include "spice/netlist.h"
#include "testutil.h"

#define AMP                                                                                        \
    "vcc vcc 0 dc 15\n"                                                                            \
    "vee vee 0 dc -15\n"                                                                           \
    "e1 drv 0 n_in fb 1e4\n"                                                                       \
    "q1 vcc drv n_out qn\n"                                                                        \
    "q2 vee drv n_out qp\n"                                                                        \
    "rf n_out fb 10k\n"                                                                            \
    "rg fb 0 1k\n"                                                                                 \
    ".model qn npn\n"                                                                              \
    ".model qp pnp\n"

struct imported {
    struct strv lines, changes;
    char err[2048];
    enum as_status st;
    char *text; /* lines joined, one per line */
};

static void import_text(const char *deck, const struct import_opts *o, struct imported *r)
{
    char path[256];
    memset(r, 0, sizeof *r);
    tu_write("deck.cir", deck, path, sizeof path);
    struct import_opts none = {0};
    r->st = import_deck(path, o ? o : &none, &r->lines, &r->changes, r->err, sizeof r->err);
    size_t n = 1;
    for (size_t i = 0; i < r->lines.len; i++)
        n += strlen(r->lines.items[i]) + 1;
    r->text = calloc(1, n);
    for (size_t i = 0; i < r->lines.len; i++) {
        strcat(r->text, r->lines.items[i]);
        strcat(r->text, "\n");
    }
}

static void imported_free(struct imported *r)
{
    strv_free(&r->lines);
    strv_free(&r->changes);
    free(r->text);
}

static void has(const char *text, const char *needle)
{
    if (!strstr(text, needle))
        fail_msg("'%s' not in:\n%s", needle, text);
}

static void lacks(const char *text, const char *needle)
{
    if (strstr(text, needle))
        fail_msg("'%s' should not be in:\n%s", needle, text);
}

/* The result passes netlist_read (the convention, metadata included). */
static void reads_as_netlist(const struct imported *r)
{
    char path[256], err[2048] = "";
    struct netlist *n = NULL;
    tu_write("imported.cir", r->text, path, sizeof path);
    if (netlist_read(path, NULL, &n, err, sizeof err) != AS_OK)
        fail_msg("%s\n%s", err, r->text);
    netlist_free(n);
}

static void source_generator_resistor_load_and_control_block_are_removed(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nvsig 1 0 dc 0 ac 1 sin(0 1 1k)\nrs 1 n_in 600\n" AMP
                "rload n_out 0 8\n.tran 1u 10m\n.control\n* the block's own note\nshell rm -rf "
                "/\nrun\n.endc\n"
                ".meas tran x avg v(n_out)\n.end\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    lacks(r.text, "\nvsig");
    lacks(r.text, "\nrs 1");
    lacks(r.text, "\nrload");
    lacks(r.text, "\nshell");
    lacks(r.text, "the block's own note");
    lacks(r.text, "\n.tran");
    lacks(r.text, "\n.meas");
    has(r.text, "e1 drv 0 in fb 1e4");
    has(r.text, "q1 vcc drv out qn");
    has(r.text, "*@ supply = vcc\n*@ supply = vee\n");
    has(r.text, "*@ name = deck\n");
    has(r.text, "*@ kind = power\n"); /* its own load is 8 ohm */
    has(r.text, "*   line 2: removed 'vsig 1 0 dc 0 ac 1 sin(0 1 1k)'");
    has(r.text, ".control block");
    assert_true(r.changes.len >= 6);
    reads_as_netlist(&r);
    imported_free(&r);
}

static void an_ambiguous_input_or_load_names_the_candidates(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nva a 0 sin(0 1 1k)\nvb b 0 sin(0 1 2k)\nr1 a n_in 10k\nr2 b n_in 10k\n" AMP
                "rload n_out 0 8\n",
                NULL, &r);
    assert_int_equal(r.st, AS_EINPUT);
    has(r.err, "'va' (line 2, node a)");
    has(r.err, "'vb' (line 3, node b)");
    has(r.err, "--in-node");
    imported_free(&r);
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" AMP "r8 n_out 0 8\nrx fb2 0 10\nry n_out fb2 1k\n",
                NULL, &r);
    assert_int_equal(r.st, AS_EINPUT);
    has(r.err, "the load is ambiguous: ");
    has(r.err, "'r8' (line 12, 8 ohm on node n_out), 'rx' (line 13, 10 ohm on node fb2)");
    has(r.err, "--out-node");
    imported_free(&r);
    struct import_opts o = {.out_node = "n_out"};
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" AMP "r8 n_out 0 8\nrx fb2 0 10\nry n_out fb2 1k\n", &o,
                &r);
    assert_int_equal(r.st, AS_OK);
    lacks(r.text, "\nr8 ");
    has(r.text, "rx fb2 0 10");
    imported_free(&r);
}

static void an_inverting_amps_input_resistor_is_kept(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nv1 n_in 0 sin(0 1 1k)\nr1 n_in fb 4.7k\n" AMP "rl n_out 0 4\n", NULL, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "r1 in fb 4.7k");
    imported_free(&r);
}

static void probe_sources_stay_with_their_ac_zeroed(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nvs n_in 0 sin(0 1 1k)\nvcc vcc 0 dc 15\nvee vee 0 dc -15\n"
                "e1 drv 0 n_in fb 1e4\nq1 vcc drv st qn\nvloop st n_out dc 0 ac 1\n"
                "rf n_out fb 10k\nrg fb 0 1k\n.model qn npn\nrload n_out 0 8\n"
                "vamb tamb 0 25\nbx x 0 v=v(tamb)*1m\nrx x 0 1k\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "vloop st out dc 0 ac 0\n");
    has(r.text, "vamb tamb 0 25\n");
    lacks(r.text, "supply = vloop");
    lacks(r.text, "supply = vamb"); /* feeds only an expression */
    has(r.text, "*@ supply = vcc\n");
    reads_as_netlist(&r);
    imported_free(&r);
}

static void an_output_relay_stays_closed_and_nodes_called_out_make_room(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nvs in 0 sin(0 1 1k)\nvcc vcc 0 dc 15\ne1 drv 0 in fb 1e4\nq1 vcc drv out qn\n"
                "rf out fb 10k\nrg fb 0 1k\n.model qn npn\n.model sw1 sw(vt=1)\n"
                "vrly coil 0 pulse(0 5 10m 1m 1m 1 2)\ns1 out spk coil 0 sw1\nrspk spk 0 8\n"
                ".ic v(out)=0 v(spk)=0\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "s1 out_1 out coil 0 sw1\n");
    has(r.text, "vrly coil 0 dc 5\n");
    has(r.text, ".ic v(out_1)=0 v(out)=0\n");
    has(r.text, "rf out_1 fb 10k\n");
    lacks(r.text, "supply = vrly");
    reads_as_netlist(&r);
    imported_free(&r);
}

static void ltspice_part_parameters_become_parts_and_set_the_mode(void **state)
{
    (void)state;
    struct imported r;
    import_text("* C:\\amp.asc\nV1 N001 0 SINE(0 1 1k) Rser=50\nV2 vcc 0 15 Rser=0.1\n"
                "C1 N001 n_in 10µ Rser=0.2 Rpar=1Meg mfg=\"A Maker\" V=50\n"
                "vee vee 0 dc -15\ne1 drv 0 n_in fb 1e4\nq1 vcc drv n_out qn\n"
                "rf n_out fb 10k\nrg fb 0 1k\n.model qn npn\nRL n_out 0 {R}\n.param R=8\n"
                ".step param R list 4 8\n.backanno\n.options plotwinsize=0\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "*@ compat = lta\n");
    has(r.text, "V2 V2_rser 0 15\nrV2_rser V2_rser vcc 0.1\n");
    has(r.text, "C1 C1_rser n_in 10u\n");
    has(r.text, "rC1_rser C1_rser in 0.2\n");
    has(r.text, "rC1_rpar in n_in 1Meg\n");
    has(r.text, ".param R=8\n");
    lacks(r.text, "mfg=");
    lacks(r.text, "\n.step");
    lacks(r.text, "\n.backanno");
    lacks(r.text, "\n.options");
    lacks(r.text, "\nRL ");
    reads_as_netlist(&r);
    imported_free(&r);
}

static void pspice_syntax_sets_the_pspice_mode(void **state)
{
    (void)state;
    struct imported r;
    import_text("* Schematics Netlist *\nV_V1 n_in 0 SIN(0 1 1k)\n" AMP
                "E_LIM x 0 VALUE={LIMIT(V(n_out),-1,1)}\nR_X x 0 1k\nR_RL n_out 0 8\n"
                ".PROBE V(*)\n.END\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "*@ compat = psa\n");
    has(r.text, "E_LIM x 0 VALUE={LIMIT(V(out),-1,1)}\n");
    lacks(r.text, "\n.PROBE");
    reads_as_netlist(&r);
    imported_free(&r);
}

static void what_cannot_load_is_refused_with_its_line(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" AMP "rl n_out 0 8\n.machine\n", NULL, &r);
    assert_int_equal(r.st, AS_EINPUT);
    has(r.err, "deck.cir:13: '.machine' cannot be imported");
    imported_free(&r);
    import_text("t\n" AMP "rl n_out 0 8\n", NULL, &r);
    assert_int_equal(r.st, AS_EINPUT);
    has(r.err, "no input source found");
    has(r.err, "--in-node");
    imported_free(&r);
}

static void options_name_the_nodes_name_and_kind(void **state)
{
    (void)state;
    struct imported r;
    struct import_opts o = {
        .in_node = "n_in", .out_node = "n_out", .name = "my amp", .kind = "headphone"};
    import_text("t\n" AMP "rl n_out 0 8\n", &o, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "*@ name = my_amp\n*@ kind = headphone\n");
    has(r.text, "q1 vcc drv out qn\n");
    imported_free(&r);
    import_text("t\n" AMP "rx n_out 0 100k\n", &o, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "no load on node 'n_out' (a resistor or a two-terminal subcircuit to ground): "
                "nothing removed there");
    has(r.text, "rx out 0 100k\n");
    imported_free(&r);
    /* the input chosen by hand: another generator stays, and is named */
    struct import_opts o2 = {.in_node = "n_in"};
    import_text("t\nva n_in 0 sin(0 1 1k)\nvb b 0 sin(0 1 2k)\nrb b fb 10k\n" AMP "rl n_out 0 8\n",
                &o2, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "vb keeps its waveform 'sin(0...': a second stimulus");
    lacks(r.text, "\nva ");
    imported_free(&r);
}

/* A speaker's equivalent circuit as a subcircuit called name (7 lines). */
#define SUB(name)                                                                                  \
    ".subckt " name " a b\nre a m 6\nle m c 0.4m\nres c b 40\nlces c b 15m\ncmes c b 400u\n"       \
    ".ends " name "\n"
#define SPK SUB("spk")

static void a_speaker_subcircuit_on_the_output_is_the_load_and_its_definition_goes(void **state)
{
    (void)state;
    struct imported r;
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SPK AMP "xspk n_out 0 spk\n", NULL, &r);
    assert_int_equal(r.st, AS_OK);
    lacks(r.text, "\nxspk");
    lacks(r.text, "\n.subckt spk");
    lacks(r.text, "\nre a m 6");
    has(r.text, "*   line 3: removed the definition of subcircuit 'spk', lines up to 9 (only the "
                "deck's load used it)\n");
    has(r.text, "*   line 19: removed 'xspk n_out 0 spk' (the deck's load");
    has(r.text, "q1 vcc drv out qn\n");
    has(r.text, "*@ kind = power\n");
    reads_as_netlist(&r);
    imported_free(&r);
    /* used inside another definition too: the definition stays */
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SPK ".subckt pair a b\nx1 a b spk\nx2 a b spk\n"
                ".ends pair\n" AMP "xspeaker n_out 0 spk\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    lacks(r.text, "\nxspeaker");
    has(r.text, "\n.subckt spk a b\n");
    has(r.text, "kept the definition of subcircuit 'spk': 'x1' uses it too");
    reads_as_netlist(&r);
    imported_free(&r);
}

static void a_subcircuit_not_named_as_a_load_is_one_only_when_alone(void **state)
{
    (void)state;
    struct imported r;
    /* the only thing from the output node to ground */
    struct import_opts o = {.out_node = "n_out"};
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SUB("net2") AMP "x7 n_out 0 net2\n", &o, &r);
    assert_int_equal(r.st, AS_OK);
    lacks(r.text, "\nx7 ");
    has(r.text, "removed the definition of subcircuit 'net2'");
    has(r.text, "rg fb 0 1k\n");
    imported_free(&r);
    /* beside another candidate, neither named: no guess */
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SUB("net2") AMP "x7 n_out 0 net2\n", NULL, &r);
    assert_int_equal(r.st, AS_EINPUT);
    has(r.err, "the load is ambiguous: 'rg' (line 16, 1k ohm on node fb), 'x7' (line 19, "
               "subcircuit net2 on node n_out); choose the output with --out-node NODE");
    imported_free(&r);
    /* beside a resistor named as the load: the resistor is the load, the
     * subcircuit stays */
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SUB("net2") AMP "x7 n_out 0 net2\nrload n_out 0 8\n",
                NULL, &r);
    assert_int_equal(r.st, AS_OK);
    lacks(r.text, "\nrload ");
    has(r.text, "x7 out 0 net2\n");
    has(r.text, "\n.subckt net2 a b\n");
    imported_free(&r);
    /* named like a headphone: a headphone amp's load */
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SPK AMP "xphones n_out 0 spk\n", NULL, &r);
    assert_int_equal(r.st, AS_OK);
    has(r.text, "*@ kind = headphone\n");
    imported_free(&r);
    /* two speakers: ambiguous, both named */
    import_text("t\nvs n_in 0 sin(0 1 1k)\n" SPK AMP "xspk1 n_out 0 spk\nrb n_out b 1k\n"
                "xspk2 b 0 spk\n",
                NULL, &r);
    assert_int_equal(r.st, AS_EINPUT);
    has(r.err, "the load is ambiguous: 'rg' (line 16, 1k ohm on node fb), 'xspk1' (line 19, "
               "subcircuit spk on node n_out), 'xspk2' (line 21, subcircuit spk on node b)");
    imported_free(&r);
}

/* Write lines to path, one a line. */
static void write_lines(const struct strv *lines, const char *path)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    for (size_t i = 0; i < lines->len; i++)
        fprintf(fp, "%s\n", lines->items[i]);
    fclose(fp);
}

/* 'ampsweep import DECK -o DEST [--include-dir DIR]', parsed and run as
 * the program runs it (cli/cli.c, cli/importcmd.c); what it says on stderr
 * and its error into said. */
static enum as_status import_command(const char *deck, const char *dest, const char *dir,
                                     char *said, size_t len)
{
    char *argv[] = {"ampsweep",   "import",        (char *)deck, "-o",
                    (char *)dest, "--include-dir", (char *)dir,  NULL};
    struct cli_args a;
    char err[2048] = "";
    FILE *diag = tmpfile();
    assert_non_null(diag);
    enum as_status st = cli_parse(dir ? 7 : 5, argv, &a, err, sizeof err);
    if (st == AS_OK)
        st = importcmd_run(&a, stdout, diag, err, sizeof err);
    rewind(diag);
    size_t n = fread(said, 1, len - 1, diag);
    snprintf(said + n, len - n, "%s", err);
    fclose(diag);
    cli_free(&a);
    return st;
}

static void a_relative_include_names_the_same_file_from_the_new_files_folder(void **state)
{
    (void)state;
    char dir[200], deck[256], lib[256], dest[256], beside[256], buf[256];
    snprintf(dir, sizeof dir, "%s/rebase", tu_dir());
    snprintf(deck, sizeof deck, "%s/decks/deck.cir", dir);
    snprintf(lib, sizeof lib, "%s/decks/models/q.lib", dir);
    snprintf(dest, sizeof dest, "%s/out/power/new.cir", dir);
    snprintf(beside, sizeof beside, "%s/decks/new.cir", dir);
    const char *mk[] = {"", "/decks", "/decks/models", "/out", "/out/power"};
    for (size_t i = 0; i < sizeof mk / sizeof *mk; i++) {
        snprintf(buf, sizeof buf, "%s%s", dir, mk[i]);
        mkdir(buf, 0700);
    }
    tu_write("rebase/decks/models/q.lib", ".model qn npn\n.model qp pnp\n", buf, sizeof buf);
    tu_write("rebase/decks/deck.cir",
             "deck\n.include models/q.lib\n.include opamp_macro.lib\nvin n_in 0 sin(0 1 1k)\n"
             "vcc vcc 0 dc 15\nvee vee 0 dc -15\ne1 drv 0 n_in fb 1e4\nq1 vcc drv n_out qn\n"
             "q2 vee drv n_out qp\nrf n_out fb 10k\nrg fb 0 1k\nrload n_out 0 8\n.end\n",
             buf, sizeof buf);
    struct strv lines = {0}, changes = {0};
    char err[2048];
    struct import_opts o = {.dest = dest};
    assert_int_equal(import_deck(deck, &o, &lines, &changes, err, sizeof err), AS_OK);
    int rewritten = 0, kept_models = 0, noted = 0;
    for (size_t i = 0; i < lines.len; i++) {
        rewritten |= strcmp(lines.items[i], ".include ../../decks/models/q.lib") == 0;
        kept_models |= strcmp(lines.items[i], ".include opamp_macro.lib") == 0;
        noted |= strstr(lines.items[i], "'models/q.lib' rewritten as '../../decks/models/q.lib'") &&
                 lines.items[i][0] == '*';
    }
    /* rewritten, said so in the new file's header; a file found only in
     * the models folder is found there from anywhere, and stays */
    assert_true(rewritten);
    assert_true(kept_models);
    assert_true(noted);
    /* the new file reads, and its include is the very file the deck had,
     * once its folder is one a netlist may include from (docs/netlists.md) */
    write_lines(&lines, dest);
    struct strv dirs = {0};
    snprintf(buf, sizeof buf, "%s/decks", dir);
    assert_int_equal(strv_push(&dirs, buf), AS_OK);
    struct spfile_places places = {.models_dir = PROJECT_DIR "/models", .dirs = &dirs};
    struct netlist *amp = NULL;
    assert_int_equal(netlist_read(dest, &places, &amp, err, sizeof err), AS_OK);
    char *want = realpath(lib, NULL);
    int same = 0;
    for (size_t i = 0; i < amp->file->included.len; i++)
        same |= strcmp(amp->file->included.items[i], want) == 0;
    assert_true(same);
    free(want);
    netlist_free(amp);
    /* the command's own check refuses that include, and its note says what
     * to give; with --include-dir naming the deck's folder it passes */
    char said[8192];
    assert_int_equal(import_command(deck, dest, NULL, said, sizeof said), AS_EINPUT);
    has(said, "so import, check and sweep it with --include-dir naming the deck's folder");
    has(said, "../../decks/models/q.lib");
    lacks(said, "open-output gain");
    assert_int_equal(import_command(deck, dest, buf, said, sizeof said), AS_OK);
    has(said, "checking it:");
    has(said, "open-output gain at 1000 Hz");
    strv_free(&lines);
    strv_free(&changes);
    /* written beside the deck: nothing to rewrite */
    struct strv l2 = {0}, c2 = {0};
    o.dest = beside;
    assert_int_equal(import_deck(deck, &o, &l2, &c2, err, sizeof err), AS_OK);
    int as_is = 0;
    for (size_t i = 0; i < l2.len; i++) {
        as_is |= strcmp(l2.items[i], ".include models/q.lib") == 0;
        assert_null(strstr(l2.items[i], "rewritten as"));
    }
    assert_true(as_is);
    strv_free(&l2);
    strv_free(&c2);
    strv_free(&dirs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_relative_include_names_the_same_file_from_the_new_files_folder),
        cmocka_unit_test(source_generator_resistor_load_and_control_block_are_removed),
        cmocka_unit_test(an_ambiguous_input_or_load_names_the_candidates),
        cmocka_unit_test(an_inverting_amps_input_resistor_is_kept),
        cmocka_unit_test(probe_sources_stay_with_their_ac_zeroed),
        cmocka_unit_test(an_output_relay_stays_closed_and_nodes_called_out_make_room),
        cmocka_unit_test(ltspice_part_parameters_become_parts_and_set_the_mode),
        cmocka_unit_test(pspice_syntax_sets_the_pspice_mode),
        cmocka_unit_test(what_cannot_load_is_refused_with_its_line),
        cmocka_unit_test(options_name_the_nodes_name_and_kind),
        cmocka_unit_test(a_speaker_subcircuit_on_the_output_is_the_load_and_its_definition_goes),
        cmocka_unit_test(a_subcircuit_not_named_as_a_load_is_one_only_when_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
