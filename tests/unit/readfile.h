/*
 * readfile.h — the unit tests' whole-file reader: read_file() puts a
 * file's bytes in a buffer (for comparing stores and products byte for
 * byte).  One copy, included by the tests that compare files.
 */
#ifndef LS_TEST_READFILE_H
#define LS_TEST_READFILE_H
#include <stdio.h>

#include "core/core.h"

/* The bytes of path in b (replacing what b held): 0, or -1 if the file
 * cannot be opened, read or buffered whole. */
static int read_file(const char *path, ls__buf *b)
{
    FILE *f = fopen(path, "rb");
    char tmp[65536];
    size_t n;
    int rc = 0;
    b->n = 0;
    if (!f) return -1;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        if (ls__buf_put(b, tmp, n) != LS_OK) { rc = -1; break; }
    if (ferror(f)) rc = -1;
    fclose(f);
    return rc;
}
#endif
