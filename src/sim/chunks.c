/*
 * chunks.c — the parallel driver of the tweets writers (IO CSV and the
 * JSON lines of v1 and v2).  Events are stored in time order, so rows are
 * written in index order.  Chunks of `chunk` events are formatted into
 * memory in parallel, a round of one chunk a worker at a time, and written
 * in chunk order, so the bytes never depend on the thread count.  There
 * are two banks of chunks: while one round is formatted, this thread
 * writes the previous one, so the disk (the sink writes with O_DIRECT,
 * which waits for the device) and the cores stay busy together.
 *
 * Each worker index has state of its own (scratch text, caches) that its
 * two banks share: a bank's chunk t runs only after the other bank's
 * chunk t has been joined, so two chunks never use it at once.
 */
#include "sim.h"
#include <pthread.h>

#define MAX_THREADS 16

static void *chunk_run(void *arg)
{
    ls__sim_chunk *c = arg;
    c->o.n = 0;
    c->st = c->fmt(c);
    if (c->o.err && c->st == LS_OK) c->st = LS_ERR_NOMEM;
    return NULL;
}

int ls__sim_write_chunks(ls_ctx *ctx, ls__sim_world *w, ls__sink *sk, size_t k_begin, size_t k_end, size_t chunk,
                         size_t row_bytes, int (*fmt)(ls__sim_chunk *c), const void *arg, void *const *tls, int nt)
{
    ls__sim_chunk job[2][MAX_THREADS];
    pthread_t tid[MAX_THREADS];
    int st = LS_OK, made = 0, used[2] = { 0, 0 };
    nt = LS__MAX(1, LS__MIN(nt, MAX_THREADS));
    LS__UNUSED(ctx);
    memset(job, 0, sizeof job);
    for (made = 0; made < 2 * nt; made++) {
        ls__sim_chunk *c = &job[made / nt][made % nt];
        c->w = w;
        c->arg = arg;
        c->tls = tls ? tls[made % nt] : NULL;
        c->fmt = fmt;
        /* Sized for a chunk, so it rarely grows (a copy), from a spent
         * event segment where one is free (no fresh pages). */
        size_t cap = LS__MAX(chunk * row_bytes, (size_t)1 << 16);
        char *p = ls__sim_reuse(w, cap);
        if (!p) { st = LS_ERR_NOMEM; goto done; }
        ls__out_init_mem(&c->o, p, cap);
    }
    ls__sim_reuse_end(w);
    k_end = LS__MIN(k_end, w->n_ev);
    k_begin = LS__MIN(k_begin, k_end);
    size_t per_round = (size_t)nt * chunk, rounds = (k_end - k_begin + per_round - 1) / per_round;
    for (size_t r = 0; r <= rounds && st == LS_OK; r++) {
        int b = (int)(r & 1), started[MAX_THREADS] = { 0 };
        used[b] = 0;
        for (int t = 0; t < nt && r < rounds; t++) {
            size_t k0 = k_begin + r * per_round + (size_t)t * chunk;
            if (k0 >= k_end) break;
            job[b][t].k0 = k0;
            job[b][t].k1 = LS__MIN(k0 + chunk, k_end);
            started[t] = pthread_create(&tid[t], NULL, chunk_run, &job[b][t]) == 0;
            used[b]++;
        }
        /* The previous round goes out while this one is formatted. */
        for (int t = 0; r > 0 && t < used[!b]; t++) {
            if (job[!b][t].st) { st = job[!b][t].st; break; }
            ls__sink_put(sk, job[!b][t].o.p, job[!b][t].o.n);
        }
        /* A chunk whose thread could not start runs here. */
        for (int t = 0; t < used[b]; t++) {
            if (started[t]) pthread_join(tid[t], NULL);
            else chunk_run(&job[b][t]);
        }
    }
    if (st == LS_OK && sk->err) st = LS_ERR_IO;
done:
    for (int t = 0; t < made; t++) ls__out_free(&job[t / nt][t % nt].o);
    return st;
}
