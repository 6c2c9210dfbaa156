/* libFuzzer target: the deck importer (spice/import.c) on any input. It
 * must end in AS_OK or a message naming the file, never a crash or a leak;
 * what it writes must read back through the netlist reader without one
 * either (it may still be refused: an include that is not there). */
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "spice/import.h"
#include "spice/netlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct strv lines = {0}, changes = {0};
    char err[2048] = "";
    struct import_opts o = {0};
    enum as_status st = import_deck(path, &o, &lines, &changes, err, sizeof err);
    if (st != AS_OK && (!err[0] || strncmp(err, path, strlen(path)) != 0))
        abort(); /* every refusal names the file */
    if (st == AS_OK) {
        char out[80];
        snprintf(out, sizeof out, "%s.imported.cir", path);
        FILE *fp = fopen(out, "wb");
        if (!fp)
            abort();
        for (size_t i = 0; i < lines.len; i++)
            fprintf(fp, "%s\n", lines.items[i]);
        fclose(fp);
        struct netlist *n = NULL;
        netlist_read(out, &(struct spfile_places){.models_dir = "/nonexistent-models"}, &n, err,
                     sizeof err);
        netlist_free(n);
    }
    strv_free(&lines);
    strv_free(&changes);
    return 0;
}
