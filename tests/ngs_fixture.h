/* A cmocka group fixture: one libngspice session for every test of a group
 * (libngspice allows one per process). Include once per test file. */
#ifndef AMPSWEEP_NGS_FIXTURE_H
#define AMPSWEEP_NGS_FIXTURE_H

#include "engine/ngs.h"

static struct ngs *s;

static int open_session(void **state)
{
    (void)state;
    char err[256];
    return ngs_open(&s, err, sizeof err) == AS_OK ? 0 : -1;
}

static int close_session(void **state)
{
    (void)state;
    ngs_free(s);
    return 0;
}

#endif
