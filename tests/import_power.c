/* import_power: the power an amp netlist delivers into a load at one input
 * level, measured by ampsweep's own engine (engine/tran.c) exactly as a
 * sweep measures it. tests/test_import_decks.sh compares it with what
 * ngspice reports for the original deck.
 *   import_power NETLIST FREQ_HZ VIN_PK_V LOAD
 * LOAD is a resistance in ohm, or a load file (a speaker's subcircuit, as
 * --load-file takes it). Prints "p_load_w=... vout_rms_v=... thd_pct=...".
 * Exit 2 on any failure. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/deck.h"
#include "engine/ngs.h"
#include "engine/tran.h"
#include "spice/loadfile.h"
#include "spice/netlist.h"

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: import_power NETLIST FREQ_HZ VIN_PK_V LOAD_OHM|LOAD_FILE\n");
        return 2;
    }
    char err[2048] = "";
    struct spfile_places places = {.models_dir = PROJECT_DIR "/models"};
    struct netlist *amp = NULL;
    struct ngs *s = NULL;
    struct loadfile *file = NULL;
    char *end = NULL;
    struct load_spec load = {.nominal_ohm = strtod(argv[4], &end)};
    struct tran_result r = {0};
    struct deck_power pw = {0};
    unsigned settle = 0;
    enum as_status st = netlist_read(argv[1], &places, &amp, err, sizeof err);
    if (st == AS_OK && (end == argv[4] || *end)) {
        st = loadfile_read(argv[4], &places, &file, err, sizeof err);
        load = (struct load_spec){.nominal_ohm = file ? file->nominal_ohm : 0, .file = file};
    }
    if (st == AS_OK)
        st = ngs_open(&s, err, sizeof err);
    if (st == AS_OK)
        st = deck_load_into(s, amp, &load, DECK_LARGE, err, sizeof err);
    if (st == AS_OK)
        st = deck_power_read(s, amp, &pw, err, sizeof err);
    if (st == AS_OK)
        st = tran_measure(s, amp, &pw, atof(argv[2]), atof(argv[3]), 0, &settle, &r, err,
                          sizeof err);
    if (st == AS_OK && !r.settled)
        snprintf(err, sizeof err, "%s: the output did not settle", argv[1]);
    if (st == AS_OK && r.settled)
        printf("p_load_w=%.9g vout_rms_v=%.9g thd_pct=%.6g\n", r.p_load_w, r.vout_rms_v, r.thd_pct);
    else
        fprintf(stderr, "import_power: %s\n", err);
    int rc = st == AS_OK && r.settled ? 0 : 2;
    ngs_free(s);
    deck_power_free(&pw);
    netlist_free(amp);
    loadfile_free(file);
    return rc;
}
