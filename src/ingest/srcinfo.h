/*
 * srcinfo.h — byte counters of a source, for the end-of-run summary of
 * ingest (private to src/ingest/src.c and ingest.c).
 */
#ifndef LS_INGEST_SRCINFO_H
#define LS_INGEST_SRCINFO_H
#include "ingest.h"

/* Bytes read from the file (compressed size) and bytes handed out
 * (decompressed size) so far. */
uint64_t ls__src_raw_bytes(const ls__src *s);
uint64_t ls__src_out_bytes(const ls__src *s);
/* Size of the file in bytes (compressed size), 0 when unknown (stdin, a
 * pipe). */
uint64_t ls__src_total_bytes(const ls__src *s);
/* A source that reads inner's decompressed bytes as its raw ones (the
 * compressions and UTF-16 recognised again: UTF-16 text inside gzip), and
 * owns inner (closed with it, or at once on failure). */
int ls__src_wrap(ls__src *inner, ls__src **out);
/* Invalid UTF-16 sequences replaced by U+FFFD so far (UTF-16 input). */
uint64_t ls__src_replaced(const ls__src *s);
/* "plain", "gzip", "zstd", "bzip2", "xz", "lzip", "lz4" or "utf-16". */
const char *ls__src_kind(const ls__src *s);
#endif
