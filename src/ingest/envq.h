/*
 * envq.h — the ingest pipeline's second thread (private to src/ingest):
 * the parser thread serialises what it would hand the builder (posts,
 * accounts, diagnostics) into batches, in order, and one builder thread
 * replays them.  The builder sees exactly the calls it would see without
 * the thread, in the same order, so the store is byte-identical.
 */
#ifndef LS_INGEST_ENVQ_H
#define LS_INGEST_ENVQ_H
#include "ingest.h"

typedef struct ls__envq ls__envq;
/* Starts the builder thread for e (sets e->q). */
int  ls__envq_start(ls__env *e);
int  ls__envq_post(ls__envq *q, const ls__rec *r, uint64_t line);
int  ls__envq_account(ls__envq *q, const ls__acct *a);
int  ls__envq_diag(ls__envq *q, int reason, uint64_t line, const char *detail);
/* The size hint (env.c): ls__builder_expect_posts_from on the thread that
 * claims the post ids, ls__builder_expect_events(b, rows_left) on the
 * builder thread in turn. */
int  ls__envq_expect(ls__envq *q, size_t rows_left, size_t posts, size_t ids0, size_t ids_max);
/* Hands over what is left, waits for the builder thread, stops it and
 * clears e->q.  Returns the builder's first failure (message on e->ctx). */
int  ls__envq_finish(ls__env *e);
#endif
