/* Helpers shared by the tests: scratch files in a private temporary folder. */
#ifndef AMPSWEEP_TESTUTIL_H
#define AMPSWEEP_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Write text to NAME inside a fresh scratch folder; return the path in buf.
 * The folder is made on first use and lives until the test process exits. */
static inline const char *tu_write(const char *name, const char *text, char *buf, size_t buflen)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/ampsweep-test-XXXXXX");
        if (!mkdtemp(dir))
            abort();
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
