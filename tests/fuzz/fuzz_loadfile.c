/* libFuzzer target: the load-file reader. */
#include <string.h>

#include "fuzz_common.h"
#include "spice/loadfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct loadfile *l = NULL;
    char err[1024] = "";
    enum as_status st = loadfile_read(
        path, &(struct spfile_places){.models_dir = "/nonexistent-models"}, &l, err, sizeof err);
    if (st != AS_OK && (!err[0] || strncmp(err, path, strlen(path)) != 0))
        abort();
    loadfile_free(l);
    return 0;
}
