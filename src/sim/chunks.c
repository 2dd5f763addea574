/*
 * chunks.c — the parallel driver of the tweets writers (IO CSV and the
 * JSON lines of v1 and v2).  Events are stored in time order, so rows are
 * written in index order.  The events are cut into chunks of `chunk`
 * events; nt workers (this thread and nt - 1 others, for the whole file)
 * each take the next chunk not yet taken, format it into a buffer of
 * their own, wait for its turn and put its bytes into the sink, so the
 * bytes are in chunk order and never depend on the thread count or on
 * which worker formatted what.
 *
 * Only the hand-over into the sink is serialised, not the formatting:
 * while one worker copies its chunk into the sink's block, the others go
 * on formatting.  The chunks are small (about a megabyte of text), so a
 * chunk is still in the worker's cache when it is copied, and no thread
 * is spent on copying alone (the driver before started a thread a chunk,
 * in rounds, and this thread copied every formatted byte from memory into
 * the sink: about a CPU second at scale 1, on the path the formatting
 * waited for).
 *
 * Each worker has state of its own (scratch text, caches: tls[t]), used
 * only by that worker.
 */
#include "sim.h"
#include <pthread.h>

#define MAX_THREADS 16

typedef struct {
    ls__sink *sk;
    size_t k_begin, k_end, chunk, n_chunks;
    /* Under mu: the next chunk to take, the chunk whose bytes go to the
     * sink next, and the first error (everyone stops). */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next, turn;
    int st;
} driver;

typedef struct {
    driver *d;
    ls__sim_chunk c;
} worker;

/* Takes chunks until none is left or a worker failed. */
static void *work(void *arg)
{
    worker *wk = arg;
    driver *d = wk->d;
    ls__sim_chunk *c = &wk->c;
    for (;;) {
        pthread_mutex_lock(&d->mu);
        size_t k = d->next;
        int stop = d->st != LS_OK || k >= d->n_chunks;
        if (!stop) d->next++;
        pthread_mutex_unlock(&d->mu);
        if (stop) break;
        c->k0 = d->k_begin + k * d->chunk;
        c->k1 = LS__MIN(c->k0 + d->chunk, d->k_end);
        c->o.n = 0;
        int st = c->fmt(c);
        if (c->o.err && st == LS_OK) st = LS_ERR_NOMEM;
        pthread_mutex_lock(&d->mu);
        while (d->turn != k && d->st == LS_OK) pthread_cond_wait(&d->cv, &d->mu);
        if (d->st != LS_OK) st = LS_OK;   /* someone failed first: stop */
        stop = d->st != LS_OK;
        pthread_mutex_unlock(&d->mu);
        if (stop) break;
        /* Our turn: no other worker touches the sink until we pass it on
         * (the mutex orders the puts). */
        if (st == LS_OK) {
            ls__sink_put(d->sk, c->o.p, c->o.n);
            if (d->sk->err) st = LS_ERR_IO;
        }
        pthread_mutex_lock(&d->mu);
        if (st != LS_OK && d->st == LS_OK) d->st = st;
        d->turn = k + 1;
        pthread_cond_broadcast(&d->cv);
        pthread_mutex_unlock(&d->mu);
    }
    return NULL;
}

int ls__sim_write_chunks(ls_ctx *ctx, ls__sim_world *w, ls__sink *sk, size_t k_begin, size_t k_end, size_t chunk,
                         size_t row_bytes, int (*fmt)(ls__sim_chunk *c), const void *arg, void *const *tls, int nt)
{
    worker wk[MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    driver d;
    int made = 0, started = 0, st = LS_OK;
    LS__UNUSED(ctx);
    nt = LS__MAX(1, LS__MIN(nt, MAX_THREADS));
    chunk = LS__MAX(chunk, (size_t)1);
    memset(wk, 0, sizeof wk);
    memset(&d, 0, sizeof d);
    k_end = LS__MIN(k_end, w->n_ev);
    k_begin = LS__MIN(k_begin, k_end);
    d.sk = sk;
    d.k_begin = k_begin;
    d.k_end = k_end;
    d.chunk = chunk;
    d.n_chunks = (k_end - k_begin + chunk - 1) / chunk;
    /* No more workers than chunks (a small file or the archive's range). */
    nt = (int)LS__MIN((size_t)nt, LS__MAX(d.n_chunks, (size_t)1));
    for (made = 0; made < nt; made++) {
        ls__sim_chunk *c = &wk[made].c;
        wk[made].d = &d;
        c->w = w;
        c->arg = arg;
        c->tls = tls ? tls[made] : NULL;
        c->fmt = fmt;
        /* Sized for a chunk, so it rarely grows (a copy), from a spent
         * event segment where one is free (no fresh pages). */
        size_t cap = LS__MAX(chunk * row_bytes, (size_t)1 << 16);
        char *p = ls__sim_reuse(w, cap);
        if (!p) { st = LS_ERR_NOMEM; goto done; }
        ls__out_init_mem(&c->o, p, cap);
    }
    ls__sim_reuse_end(w);
    if (pthread_mutex_init(&d.mu, NULL) != 0) { st = LS_ERR_NOMEM; goto done; }
    if (pthread_cond_init(&d.cv, NULL) != 0) {
        pthread_mutex_destroy(&d.mu);
        st = LS_ERR_NOMEM;
        goto done;
    }
    /* A worker whose thread cannot start leaves its chunks to the others. */
    for (int t = 1; t < nt; t++)
        if (pthread_create(&tid[started], NULL, work, &wk[t]) == 0) started++;
    work(&wk[0]);
    for (int t = 0; t < started; t++) pthread_join(tid[t], NULL);
    pthread_cond_destroy(&d.cv);
    pthread_mutex_destroy(&d.mu);
    st = d.st;
    if (st == LS_OK && sk->err) st = LS_ERR_IO;
done:
    for (int t = 0; t < made; t++) ls__out_free(&wk[t].c.o);
    return st;
}
