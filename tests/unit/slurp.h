/*
 * slurp.h — reads a whole byte source (src/ingest/src.c) in reads of a
 * given size, for the tests of sources and archives (test_src.c,
 * test_archive.c): chunk sizes below and above the decoders' buffers are
 * what those tests vary.
 */
#ifndef LS_TEST_SLURP_H
#define LS_TEST_SLURP_H
#include "ingest/ingest.h"

/* Appends everything s gives to got, chunk bytes (at most 70,000) at a
 * time; returns the first failure's status, or LS_OK at the end. */
static int slurp(ls__src *s, ls__buf *got, size_t chunk)
{
    char buf[70000];
    if (chunk > sizeof buf) chunk = sizeof buf;
    for (;;) {
        size_t k = 0;
        int st = ls__src_read(s, buf, chunk, &k);
        if (st) return st;
        if (!k) return LS_OK;
        ls__buf_put(got, buf, k);
    }
}
#endif
