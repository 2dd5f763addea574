/*
 * jsonstream.h — a large pretty-printed JSON document read row by row
 * (jsonstream.c), for jsonread.c's document mode.
 */
#ifndef LS_INGEST_JSONSTREAM_H
#define LS_INGEST_JSONSTREAM_H

#include "jsonutil.h"

/* The largest skeleton (a top-level object's members other than its
 * rows), and the largest row, kept in memory. */
#define LS__JS_SKEL_MAX ((size_t)1 << 30)

typedef struct ls__jstream ls__jstream;

/* top: a whole top-level value that holds no rows of its own (a row
 * object, a scalar); fns: rows and chat messages. */
int ls__jstream_new(ls__env *e, const ls__js_rows *fns, ls__js_fn top, void *user, ls__jstream **out);
/* Whole lines (each with its '\n'); the first fed line is line `line`. */
void ls__jstream_at(ls__jstream *s, uint64_t line);
int ls__jstream_feed(ls__jstream *s, const char *p, size_t n);
/* After the last line: a document still open is damage (bad_json), its
 * spooled rows are still read. */
int ls__jstream_end(ls__jstream *s);
void ls__jstream_free(ls__jstream *s);

#endif /* LS_INGEST_JSONSTREAM_H */
