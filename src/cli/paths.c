/* paths: finds the models folder from the running binary's own location
 * (/proc/self/exe), so that `cmake --install` and the Debian package give a
 * tool that works from any folder, with no setting to get wrong. */
#include "cli/paths.h"

#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The source tree's models/ (a build-folder binary) and the installed
 * models relative to the binary's folder: both set by CMakeLists.txt. */
#ifndef AMPSWEEP_MODELS_DIR
#define AMPSWEEP_MODELS_DIR "models"
#endif
#ifndef AMPSWEEP_MODELS_FROM_BIN
#define AMPSWEEP_MODELS_FROM_BIN "../share/ampsweep/models"
#endif

static int is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *paths_models_dir(void)
{
    static char installed[PATH_MAX];
    char exe[PATH_MAX], joined[PATH_MAX + 64];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return AMPSWEEP_MODELS_DIR;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return AMPSWEEP_MODELS_DIR;
    *slash = '\0';
    int len = snprintf(joined, sizeof joined, "%s/%s", exe, AMPSWEEP_MODELS_FROM_BIN);
    if (len < 0 || (size_t)len >= sizeof joined || !is_dir(joined) || !realpath(joined, installed))
        return AMPSWEEP_MODELS_DIR;
    return installed;
}
