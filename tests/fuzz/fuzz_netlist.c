/* libFuzzer target: the amp-netlist reader (spfile scanner, metadata, the
 * refusal of commands, include handling). Any input must end in AS_OK or a
 * one-line message naming the file, never a crash or a leak. */
#include <string.h>

#include "fuzz_common.h"
#include "spice/netlist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct netlist *n = NULL;
    char err[1024] = "";
    enum as_status st = netlist_read(
        path, &(struct spfile_places){.models_dir = "/nonexistent-models"}, &n, err, sizeof err);
    if (st != AS_OK && (!err[0] || strncmp(err, path, strlen(path)) != 0))
        abort(); /* every refusal names the file */
    if (st == AS_OK && !n)
        abort();
    netlist_free(n);
    return 0;
}
