/*
 * jsonpar.c — a pool of threads that parse batches of JSON lines (see
 * jsonpar.h).  The pool has one generation counter: the caller publishes
 * a batch under the mutex and bumps the generation, each worker parses
 * its share and counts itself done, the caller waits for the count to
 * reach zero.  Which thread parses which line is fixed by the share
 * boundaries, and the caller delivers values in input order, so results
 * never depend on scheduling.
 */
#include "jsonpar.h"

#include <pthread.h>

typedef struct share {
    ls__jspool *pool;
    int k;
} share;

struct ls__jspool {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned gen;           /* bumped once per batch */
    int stop;
    int pending;            /* workers still busy with this generation */
    ls__jsbatch *b, *old;
    int nt;                 /* shares: the caller's plus the workers' */
    int n_workers;          /* threads running shares 1..n_workers */
    pthread_t th[LS__JS_MAX_THREADS];
    share sh[LS__JS_MAX_THREADS];
};

static int blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') return 0;
    return 1;
}

void ls__jsbatch_release(ls__jsbatch *b, size_t from, size_t to)
{
    for (size_t i = from; i < to && i < b->n; i++) {
        json_decref(b->ln[i].v);
        b->ln[i].v = NULL;
    }
}

/* Share k of the current batch: free the old values, parse the new. */
static void run_share(ls__jspool *p, int k)
{
    ls__jsbatch *b = p->b, *old = p->old;
    if (old) ls__jsbatch_release(old, old->from[k], old->to[k]);
    for (size_t i = b->from[k]; i < b->to[k]; i++) {
        ls__jsline *l = &b->ln[i];
        const char *s = b->text.p + l->off;
        l->v = blank(s, l->n) ? NULL : json_loadb(s, l->n, JSON_ALLOW_NUL, &l->err);
    }
}

static void *worker(void *arg)
{
    share *sh = arg;
    ls__jspool *p = sh->pool;
    unsigned seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->gen == seen && !p->stop) pthread_cond_wait(&p->go, &p->mu);
        if (p->stop) break;
        seen = p->gen;
        pthread_mutex_unlock(&p->mu);
        run_share(p, sh->k);
        pthread_mutex_lock(&p->mu);
        if (--p->pending == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int ls__jspool_start(int nt, ls__jspool **out)
{
    ls__jspool *p = ls__calloc(1, sizeof *p);
    *out = NULL;
    if (!p) return LS_ERR_NOMEM;
    if (nt > LS__JS_MAX_THREADS) nt = LS__JS_MAX_THREADS;
    if (nt < 1) nt = 1;
    p->nt = nt;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int k = 1; k < nt; k++) {
        p->sh[k].pool = p;
        p->sh[k].k = k;
        if (pthread_create(&p->th[k], NULL, worker, &p->sh[k]) != 0) break;
        p->n_workers = k;
    }
    *out = p;
    return LS_OK;
}

void ls__jspool_parse(ls__jspool *p, ls__jsbatch *b, ls__jsbatch *old)
{
    size_t per = (b->n + (size_t)p->nt - 1) / (size_t)p->nt, from = 0;
    for (int k = 0; k < p->nt; k++) {
        b->from[k] = from;
        b->to[k] = LS__MIN(b->n, from + per);
        from = b->to[k];
    }
    pthread_mutex_lock(&p->mu);
    p->b = b;
    p->old = old;
    p->pending = p->n_workers;
    p->gen++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    run_share(p, 0);
    for (int k = p->n_workers + 1; k < p->nt; k++) run_share(p, k);
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void ls__jspool_stop(ls__jspool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (int k = 1; k <= p->n_workers; k++) pthread_join(p->th[k], NULL);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    pthread_mutex_destroy(&p->mu);
    ls__free(p);
}
