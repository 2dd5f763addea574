/*
 * tmpdir.h — the unit tests' scratch folder: `dir` (each test program
 * fills it with mkdtemp in main) and path_in(), a path inside it.  Up to
 * four paths from path_in() are valid at once.
 */
#ifndef LS_TEST_TMPDIR_H
#define LS_TEST_TMPDIR_H
#include <stdio.h>

static char dir[256];

static const char *path_in(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}
#endif
