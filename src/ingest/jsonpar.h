/*
 * jsonpar.h — parsing batches of JSON lines on several threads, for
 * jsonread.c (private to src/ingest).  The calling thread fills a batch
 * with lines, the pool parses them with json_loadb (the caller's thread
 * takes a share too), and the caller then handles the values in input
 * order.  Worker threads live as long as the pool: a thread started per
 * batch cost as much CPU as the parse itself (each new thread starts with
 * empty malloc caches), and each worker frees the trees it built in the
 * batch before, so memory is freed by the thread that allocated it.
 */
#ifndef LS_INGEST_JSONPAR_H
#define LS_INGEST_JSONPAR_H

#include "jsonutil.h"

#define LS__JS_MAX_THREADS 16

typedef struct ls__jsline {
    size_t off, n;          /* the line inside the batch text */
    uint64_t no;            /* its 1-based line number */
    json_t *v;              /* the value, or NULL (blank or bad line) */
    json_error_t err;       /* jansson's error when v is NULL */
} ls__jsline;

typedef struct ls__jsbatch {
    ls__buf text;
    ls__jsline *ln;
    size_t n, cap;
    size_t from[LS__JS_MAX_THREADS], to[LS__JS_MAX_THREADS];  /* share k */
} ls__jsbatch;

typedef struct ls__jspool ls__jspool;
/* Starts up to nt-1 worker threads (fewer if the system refuses; their
 * shares then fall to the caller).  LS_ERR_NOMEM or LS_OK. */
int  ls__jspool_start(int nt, ls__jspool **out);
/* Frees old's values (if old) and parses b's lines; returns when done.
 * Thread k frees share k of old and parses share k of b. */
void ls__jspool_parse(ls__jspool *p, ls__jsbatch *b, ls__jsbatch *old);
/* Stops and joins the workers; NULL is fine. */
void ls__jspool_stop(ls__jspool *p);
/* Frees the values of lines from..to of b. */
void ls__jsbatch_release(ls__jsbatch *b, size_t from, size_t to);

#endif /* LS_INGEST_JSONPAR_H */
