/* Helpers shared by the tests: scratch files in a private temporary folder. */
#ifndef AMPSWEEP_TESTUTIL_H
#define AMPSWEEP_TESTUTIL_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char tu_dir_path[64];
static pid_t tu_dir_owner;

static inline int tu_remove_entry(const char *path, const struct stat *st, int flag,
                                  struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

/* At exit, the scratch folder and everything in it go, but only in the
 * process that made it (a forked child that exits must not take it). */
static inline void tu_remove_dir(void)
{
    if (tu_dir_path[0] && getpid() == tu_dir_owner)
        nftw(tu_dir_path, tu_remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Write text to NAME inside a fresh scratch folder; return the path in buf.
 * The folder is made on first use and removed when the test process exits. */
static inline const char *tu_write(const char *name, const char *text, char *buf, size_t buflen)
{
    char *dir = tu_dir_path;
    if (!dir[0]) {
        snprintf(tu_dir_path, sizeof tu_dir_path, "/tmp/ampsweep-test-XXXXXX");
        if (!mkdtemp(tu_dir_path))
            abort();
        tu_dir_owner = getpid();
        atexit(tu_remove_dir);
    }
    snprintf(buf, buflen, "%s/%s", dir, name);
    FILE *fp = fopen(buf, "wb");
    if (!fp)
        abort();
    fwrite(text, 1, strlen(text), fp);
    fclose(fp);
    return buf;
}

/* The scratch folder tu_write uses (made if needed). */
static inline const char *tu_dir(void)
{
    char buf[128];
    const char *p = tu_write(".keep", "", buf, sizeof buf);
    static char dir[128];
    snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(p, '/') - p), p);
    return dir;
}

/* Read a whole file into a malloc'd string (NULL if it cannot be read). */
static inline char *tu_read(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, fp) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(fp);
    return s;
}

#endif
