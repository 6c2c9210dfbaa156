/* Shared by the libFuzzer targets: parsers read files, so each input is
 * written to a private temporary file first. */
#ifndef AMPSWEEP_FUZZ_COMMON_H
#define AMPSWEEP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char fuzz_path[64];

static void fuzz_remove_file(void)
{
    unlink(fuzz_path);
}

/* The path of a file holding data[0..size), rewritten on every call and
 * removed at exit. */
static const char *fuzz_file(const uint8_t *data, size_t size)
{
    char *path = fuzz_path;
    if (!path[0]) {
        snprintf(fuzz_path, sizeof fuzz_path, "/tmp/ampsweep-fuzz-%ld.cir", (long)getpid());
        atexit(fuzz_remove_file);
    }
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (size && fwrite(data, 1, size, fp) != size)
        abort();
    fclose(fp);
    return path;
}

#endif
