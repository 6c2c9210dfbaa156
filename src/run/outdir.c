/* outdir: make the output folder and check that it takes files, before the
 * sweep spends any time simulating (a full or read-only disk is found at
 * once). Kept apart from the sweep: it is plain file-system work.
 */
#include "run/outdir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p */
static enum as_status make_dir(const char *dir, char *err, size_t errlen)
{
    char *copy = strdup(dir);
    if (!copy)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    enum as_status st = AS_OK;
    for (char *p = copy + 1; st == AS_OK; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            st = as_fail(err, errlen, AS_EINPUT, "%s: cannot create output folder: %s", copy,
                         strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    free(copy);
    return st;
}

enum as_status outdir_probe(const char *dir, char *err, size_t errlen)
{
    enum as_status st = make_dir(dir, err, errlen);
    if (st != AS_OK)
        return st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/.ampsweep-write-test", dir);
    FILE *fp = fopen(probe, "w");
    if (!fp)
        return as_fail(err, errlen, AS_EINPUT, "%s: output folder is not writable: %s", dir,
                       strerror(errno));
    fclose(fp);
    unlink(probe);
    return AS_OK;
}
