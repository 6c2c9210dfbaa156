/* Shared by the libFuzzer targets: parsers read files, so each input is
 * written to a private temporary file first. */
#ifndef AMPSWEEP_FUZZ_COMMON_H
#define AMPSWEEP_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The path of a file holding data[0..size), rewritten on every call. */
static const char *fuzz_file(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/ampsweep-fuzz-%ld.cir", (long)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    if (size && fwrite(data, 1, size, fp) != size)
        abort();
    fclose(fp);
    return path;
}

#endif
