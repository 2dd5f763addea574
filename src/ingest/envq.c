/*
 * envq.c — the builder thread of the ingest pipeline (see envq.h).
 *
 * Work is passed in batches of about 1 MiB through a ring of NB buffers:
 * the parser fills one while the builder drains another, so the two cores
 * overlap parsing (CSV, fields, normalisation) with interning.  A record
 * is copied into the batch with every string pointer replaced by its
 * offset in the batch; the builder thread turns offsets back into
 * pointers and calls ls__builder_add_post / _add_account / _diag, in the
 * order the parser made the calls.  The builder reports to a private
 * context while the thread runs, so the two threads never write the same
 * message buffer; ls__envq_finish copies a failure over.
 *
 * The parser thread also interns the post ids itself (the post, the one
 * it shares or quotes, the one it replies to; ls__builder_claim_post),
 * CLAIM_GROUP posts at a time with their slots fetched ahead
 * (claim_pending):
 * that namespace belongs to it alone while the builder thread runs, and
 * the others to the builder thread.  Ids are first-seen within a
 * namespace and both threads take the posts in input order, so every id
 * is the one a single thread gives.  Before this split the builder thread
 * did all the interning and was the bottleneck (63% of the samples of a
 * --threads 2 ingest against 37% for the parser, whose share includes
 * the write of the store).  With the texts claimed too, the parser thread
 * became the longer one (57% against 43%) and the peak RSS at 4M rows
 * grew by 7 MB; with the post ids alone the two are about even and the
 * peak is 8 MB below what it was (docs/ingest.md).  A duplicate or an id
 * missing is found here and goes to the builder as a diagnostic.
 *
 * Cost on the parser side: one memcpy of each record's strings,
 * and the hashes of the strings (ls__builder_hash_post), stored after the
 * record with the claimed ids, which moves hashing off the builder
 * thread.  Claiming a group at a time took the claims from 16% of the
 * samples of `network co_retweet` on 1M QUT rows to 10%, prefetching
 * included (each claim is a cache miss in a table of a million ids;
 * asked for ahead of time, the misses overlap).
 * The builder side prefetches in three stages a record apart (hash slot,
 * string offset, string bytes; ls__builder_prefetch_post), so that the
 * cache misses of a post's lookups overlap the work on the posts before.
 *
 * In a projected ingest (`network` on raw files, ctx->ingest_skip with
 * the profiles left out) the builder thread has little to do, so it
 * claims the post ids itself instead, in run_batch (builder_claims).
 *
 * With one thread (--threads 1) and in strict mode, ingest calls the
 * builder directly instead: serialising costs the parser about 10% more
 * instructions, which only pays when another core does the building.
 */
#include "envq.h"

#include <pthread.h>

#define NB 4
#define BATCH_BYTES (256u << 10)
#define BATCH_ENTRIES 8192
/* Posts claimed at a time, and how many records ahead their post-id
 * slots are asked for (claim_pending). */
#define CLAIM_GROUP 64
#define CLAIM_AHEAD 8

enum { OP_POST, OP_ACCT, OP_DIAG, OP_EXPECT };

/* The ids a claimed post carries after its hashes. */
/* The ids a claimed post carries after its hashes; dup: 0, or for a
 * duplicate 1 + the offset of its diagnostic's detail in the batch. */
typedef struct { uint32_t post, ref_post, reply_post; uint64_t dup; } claimed;

typedef struct { uint32_t op, reason; uint64_t line; size_t off; } entry;

typedef struct {
    ls__buf data;
    entry *ent;
    size_t n_ent, ent_cap;
    size_t pend;                 /* entries from here on are not claimed yet */
} batch;

struct ls__envq {
    ls__builder *b;
    const char *file;
    ls_ctx bctx;                 /* the builder's messages while threaded */
    ls_ctx *ctx;                 /* the caller's */
    pthread_t th;
    int started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch bt[NB];
    int free_list[NB], n_free;
    int fifo[NB], f_head, f_count;
    int cur;                     /* batch the parser fills, or -1 */
    int claim_failed;            /* a claim failed (message on ctx) */
    int builder_claims;          /* the builder thread claims the post ids */
    int stop, err;
};

/* ---- serialisation ---- */

static int align8(ls__buf *d)
{
    static const char zeros[8];
    size_t r = d->n % 8;
    return r ? ls__buf_put(d, zeros, 8 - r) : LS_OK;
}

static int put_str(ls__buf *d, ls__str *s)
{
    size_t off = d->n;
    if (s->n && ls__buf_put(d, s->p, s->n)) return LS_ERR_NOMEM;
    s->p = (const char *)(uintptr_t)off;
    return LS_OK;
}

static inline void fix_str(const char *base, ls__str *s) { s->p = base + (uintptr_t)s->p; }

static const ls__str *fix_arr(char *base, const ls__str *a, size_t n)
{
    ls__str *v = (ls__str *)(void *)(base + (uintptr_t)a);
    for (size_t i = 0; i < n; i++) fix_str(base, &v[i]);
    return v;
}

#define REC_STRS(X) X(post_id) X(account_id) X(screen_name) X(display_name) X(ref_post) \
    X(ref_account) X(ref_screen_name) X(reply_post) X(reply_account) X(text) X(lang) X(client) \
    X(account_lang) X(location) X(description) X(profile_url)
#define REC_ARRS(X) X(hashtags, n_hashtags) X(urls, n_urls) X(domains, n_domains) \
    X(mentions, n_mentions) X(images, n_images)
#define ACCT_STRS(X) X(account_id) X(screen_name) X(display_name) X(account_lang) X(location) \
    X(description) X(profile_url)

static int nomem(ls__envq *q);

/* ---- the ring ---- */

static int push_entry(ls__envq *q, batch *bt, uint32_t op, uint32_t reason, uint64_t line, size_t off)
{
    if (bt->n_ent == bt->ent_cap) {
        void *p = bt->ent;
        if (ls__grow(&p, &bt->ent_cap, bt->n_ent + 1, sizeof(entry))) return LS_ERR_NOMEM;
        bt->ent = p;
    }
    bt->ent[bt->n_ent++] = (entry){ op, reason, line, off };
    (void)q;
    return LS_OK;
}

/* Asks for the post-namespace slots (stage 0) or string offsets and
 * bytes (1, 2) of entry k's claim, if it is a post. */
static inline void claim_prefetch(ls__envq *q, const batch *bt, size_t k, int stage)
{
    if (k >= bt->n_ent || bt->ent[k].op != OP_POST) return;
    const ls__rec *r = (const ls__rec *)(const void *)(bt->data.p + bt->ent[k].off);
    ls__builder_prefetch_claim(q->b, r, (const uint64_t *)(const void *)(r + 1), stage);
}

/* Claims the posts queued since the last claim, in order: interns their
 * post ids (this thread owns that namespace), stores the ids after the
 * record and blanks the id strings (the builder thread must not look
 * into this thread's pool); a post the builder must not add (an id
 * missing, a duplicate) becomes a diagnostic in its place.  Claiming a
 * group at a time lets the post-id slots be fetched CLAIM_AHEAD records
 * early, so that their cache misses overlap instead of adding up. */
static int claim_pending(ls__envq *q, batch *bt)
{
    if (q->builder_claims) { bt->pend = bt->n_ent; return LS_OK; }
    size_t from = bt->pend, n = bt->n_ent;
    for (size_t k = from; k < from + CLAIM_AHEAD; k++) claim_prefetch(q, bt, k, 0);
    for (size_t i = from; i < n; i++) {
        claim_prefetch(q, bt, i + CLAIM_AHEAD, 0);
        claim_prefetch(q, bt, i + 2, 1);
        claim_prefetch(q, bt, i + 1, 2);
        entry *en = &bt->ent[i];
        if (en->op != OP_POST) continue;
        char *base = bt->data.p;
        ls__rec *r = (ls__rec *)(void *)(base + en->off), t = *r;
        const uint64_t *h = (const uint64_t *)(const void *)(r + 1);
        size_t cl_off = en->off + sizeof *r + ls__builder_hash_count(r) * sizeof *h;
        fix_str(base, &t.post_id);
        fix_str(base, &t.ref_post);
        fix_str(base, &t.reply_post);
        ls__post_ids ids;
        int st = ls__builder_claim_post(q->b, q->ctx, &t, h, &ids);
        if (st) { q->claim_failed = 1; return st; }
        r->post_id = r->ref_post = r->reply_post = (ls__str){ NULL, 0 };
        claimed cl = { ids.post, ids.ref_post, ids.reply_post, 0 };
        if (ids.skip || ids.dup) {
            size_t at = bt->data.n;
            if (ls__buf_put(&bt->data, ids.detail, strlen(ids.detail) + 1)) {
                q->claim_failed = 1;
                return nomem(q);
            }
            if (ids.skip) {
                *en = (entry){ OP_DIAG, (uint32_t)ids.reason, en->line, at };
                continue;
            }
            /* A duplicate is still added (its strings interned, its
             * profile applied), after its diagnostic. */
            base = bt->data.p;
            cl.dup = (uint64_t)at + 1;
        }
        memcpy(base + cl_off, &cl, sizeof cl);
    }
    bt->pend = n;
    return LS_OK;
}

/* Hands the current batch to the builder thread. */
static int hand_over(ls__envq *q)
{
    int err;
    pthread_mutex_lock(&q->mu);
    if (q->cur >= 0) {
        q->fifo[(q->f_head + q->f_count) % NB] = q->cur;
        q->f_count++;
        q->cur = -1;
        pthread_cond_broadcast(&q->cv);
    }
    err = q->err;
    pthread_mutex_unlock(&q->mu);
    return err;
}

/* Asks for the hash slots of entry k's post (if it is one); only the
 * counts of the record are read, not its (not yet fixed) pointers. */
static inline void prefetch(ls__envq *q, batch *bt, size_t k, int stage)
{
    if (k >= bt->n_ent || bt->ent[k].op != OP_POST) return;
    const ls__rec *r = (const ls__rec *)(const void *)(bt->data.p + bt->ent[k].off);
    ls__builder_prefetch_post(q->b, r, (const uint64_t *)(const void *)(r + 1), stage);
}

static int run_batch(ls__envq *q, batch *bt)
{
    int st = LS_OK;
    char *base = bt->data.p;
    /* The three prefetch stages run one record apart, so that each finds
     * what the stage before asked for already in the cache. */
    prefetch(q, bt, 0, 0);
    prefetch(q, bt, 1, 0);
    prefetch(q, bt, 0, 1);
    for (size_t i = 0; i < bt->n_ent && st == LS_OK; i++) {
        entry *en = &bt->ent[i];
        prefetch(q, bt, i + 2, 0);
        prefetch(q, bt, i + 1, 1);
        prefetch(q, bt, i, 2);
        if (en->op == OP_POST) {
            ls__rec *r = (ls__rec *)(void *)(base + en->off);
#define FIX(f) fix_str(base, &r->f);
            REC_STRS(FIX)
#define FIXA(a, n) r->a = fix_arr(base, r->a, r->n);
            REC_ARRS(FIXA)
            const uint64_t *h = (const uint64_t *)(const void *)(r + 1);
            if (q->builder_claims) {
                st = ls__builder_add_post_h(q->b, r, h, q->file, en->line);
                continue;
            }
            claimed c;
            memcpy(&c, h + ls__builder_hash_count(r), sizeof c);
            ls__post_ids ids = { .post = c.post, .ref_post = c.ref_post, .reply_post = c.reply_post,
                                 .dup = c.dup != 0 };
            if (c.dup) ls__builder_diag(q->b, LS_DIAG_DUPLICATE, q->file, en->line, base + (c.dup - 1));
            st = ls__builder_add_claimed(q->b, r, h, &ids, q->file, en->line);
        } else if (en->op == OP_ACCT) {
            ls__acct *a = (ls__acct *)(void *)(base + en->off);
#define FIXB(f) fix_str(base, &a->f);
            ACCT_STRS(FIXB)
            st = ls__builder_add_account(q->b, a);
        } else if (en->op == OP_EXPECT) {
            if (q->builder_claims) {
                size_t arg[3];
                memcpy(arg, base + en->off, sizeof arg);
                ls__builder_expect_posts_from(q->b, (size_t)en->line, arg[0], arg[1], arg[2]);
            }
            ls__builder_expect_events(q->b, (size_t)en->line);
        } else {
            ls__builder_diag(q->b, (int)en->reason, q->file, en->line, base + en->off);
        }
    }
    return st;
}

/* The batch to fill, waiting for a free one if needed. */
static batch *current(ls__envq *q, int *err)
{
    if (q->cur >= 0) {
        batch *bt = &q->bt[q->cur];
        if (bt->data.n < BATCH_BYTES && bt->n_ent < BATCH_ENTRIES) return bt;
        if ((*err = claim_pending(q, bt))) return NULL;
        if ((*err = hand_over(q))) return NULL;
    }
    pthread_mutex_lock(&q->mu);
    while (!q->n_free && !q->err) pthread_cond_wait(&q->cv, &q->mu);
    *err = q->err;
    if (!*err) q->cur = q->free_list[--q->n_free];
    pthread_mutex_unlock(&q->mu);
    if (*err) return NULL;
    batch *bt = &q->bt[q->cur];
    bt->data.n = 0;
    bt->n_ent = bt->pend = 0;
    return bt;
}

static void *worker(void *arg)
{
    ls__envq *q = arg;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (!q->f_count && !q->stop) pthread_cond_wait(&q->cv, &q->mu);
        if (!q->f_count) { pthread_mutex_unlock(&q->mu); break; }
        int k = q->fifo[q->f_head];
        q->f_head = (q->f_head + 1) % NB;
        q->f_count--;
        int failed = q->err;
        pthread_mutex_unlock(&q->mu);
        int st = failed ? LS_OK : run_batch(q, &q->bt[k]);
        pthread_mutex_lock(&q->mu);
        if (st && !q->err) q->err = st;
        q->free_list[q->n_free++] = k;
        pthread_cond_broadcast(&q->cv);
        pthread_mutex_unlock(&q->mu);
    }
    return NULL;
}

int ls__envq_start(ls__env *e)
{
    ls__envq *q = ls__calloc(1, sizeof *q);
    if (!q) return ls__fail(e->ctx, LS_ERR_NOMEM, "out of memory starting the builder thread");
    q->b = e->b;
    q->file = e->file;
    q->ctx = e->ctx;
    q->cur = -1;
    for (int i = 0; i < NB; i++) q->free_list[q->n_free++] = i;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    /* Who interns the post ids: the parser thread, unless the ingest is
     * projected (`network` on raw files: no profiles, most fields left
     * out), where the builder thread has little else to do.  Either way one
     * thread owns the post namespace for the whole input, and ids are
     * first-seen in input order, so the store is the same.  Measured on the
     * 1M-row QUT file, `network co_retweet` (six alternating runs):
     * 0.80-0.95 s wall with the builder claiming against 0.96-1.14 s; a
     * full QUT ingest, whose builder thread also keeps screen names, was
     * faster with the parser claiming (0.93-1.25 against 1.13-1.36 s). */
    q->builder_claims = (e->ctx->ingest_skip & LS__SKIP_PROFILE) != 0;
    ls__builder_set_ctx(q->b, &q->bctx);
    if (pthread_create(&q->th, NULL, worker, q) != 0) {
        /* No thread: the caller simply runs without one. */
        ls__builder_set_ctx(q->b, q->ctx);
        pthread_mutex_destroy(&q->mu);
        pthread_cond_destroy(&q->cv);
        ls__free(q);
        return LS_OK;
    }
    q->started = 1;
    e->q = q;
    return LS_OK;
}

int ls__envq_finish(ls__env *e)
{
    ls__envq *q = e->q;
    int st, cst = LS_OK;
    if (!q) return LS_OK;
    if (q->cur >= 0 && !q->claim_failed) cst = claim_pending(q, &q->bt[q->cur]);
    hand_over(q);
    pthread_mutex_lock(&q->mu);
    q->stop = 1;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->th, NULL);
    st = q->err;
    ls__builder_set_ctx(q->b, q->ctx);
    if (st) ls__fail(q->ctx, st, "%s", q->bctx.message);
    else st = cst;          /* its message is on ctx already */
    for (int i = 0; i < NB; i++) {
        ls__buf_free(&q->bt[i].data);
        ls__free(q->bt[i].ent);
    }
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
    ls__free(q);
    e->q = NULL;
    return st;
}

static int nomem(ls__envq *q)
{
    /* Only the parser thread writes the caller's context. */
    return ls__fail(q->ctx, LS_ERR_NOMEM, "out of memory queueing records");
}

/* The failure of current(): a claim's (reported already) or the
 * builder thread's. */
static int batch_fail(ls__envq *q, int err)
{
    if (q->claim_failed) return err;
    return err == LS_ERR_NOMEM ? nomem(q) : ls__fail(q->ctx, err, "%s", "builder thread failed");
}

/* Room a post takes in a batch, alignment included. */
static size_t post_bytes(const ls__rec *r, size_t nh)
{
    size_t n = sizeof *r + nh * sizeof(uint64_t) + sizeof(claimed) + 8 * 7;
#define LEN(f) n += r->f.n;
    REC_STRS(LEN)
#define ALEN(a, k) n += r->k * sizeof(ls__str); for (size_t i = 0; i < r->k; i++) n += r->a[i].n;
    REC_ARRS(ALEN)
    return n;
}

/* Copies s to base + *at and makes it an offset (no bounds: the caller
 * reserved post_bytes). */
static inline void copy_str(char *base, size_t *at, ls__str *s)
{
    size_t off = *at;
    if (s->n) memcpy(base + off, s->p, s->n);
    *at += s->n;
    s->p = (const char *)(uintptr_t)off;
}

static void copy_arr(char *base, size_t *at, const ls__str *v, size_t n, const ls__str **out)
{
    size_t a = (*at + 7) & ~(size_t)7;
    *at = a + n * sizeof(ls__str);
    for (size_t i = 0; i < n; i++) {
        ls__str t = v[i];
        copy_str(base, at, &t);
        memcpy(base + a + i * sizeof(ls__str), &t, sizeof t);
    }
    *out = (const ls__str *)(uintptr_t)a;
}

int ls__envq_post(ls__envq *q, const ls__rec *r, uint64_t line)
{
    int err = LS_OK, st = LS_OK;
    uint64_t stack[128], *h = stack;
    size_t nh = ls__builder_hash_count(r);
    /* The hashes, computed here on the parser thread (hashing a text
     * costs about as much as probing for it); the claim follows in
     * claim_pending. */
    if (nh > sizeof stack / sizeof stack[0] && !(h = ls__malloc(nh * sizeof *h))) return nomem(q);
    ls__builder_hash_post(r, h);
    batch *bt = current(q, &err);
    if (!bt) { st = batch_fail(q, err); goto done; }
    ls__buf *d = &bt->data;
    /* One reservation, then plain copies: this runs once per row. */
    if (ls__grow((void **)&d->p, &d->cap, d->n + post_bytes(r, nh) + 1, 1)) { st = nomem(q); goto done; }
    ls__rec c = *r;
    size_t at = d->n;
#define CPY(f) copy_str(d->p, &at, &c.f);
    REC_STRS(CPY)
#define CPYA(a, k) copy_arr(d->p, &at, r->a, r->k, &c.a);
    REC_ARRS(CPYA)
    size_t off = (at + 7) & ~(size_t)7;
    claimed cl = { LS__NONE, LS__NONE, LS__NONE, 0 };
    memcpy(d->p + off, &c, sizeof c);
    memcpy(d->p + off + sizeof c, h, nh * sizeof *h);
    memcpy(d->p + off + sizeof c + nh * sizeof *h, &cl, sizeof cl);
    d->n = off + sizeof c + nh * sizeof *h + sizeof cl;
    if (push_entry(q, bt, OP_POST, 0, line, off)) { st = nomem(q); goto done; }
    if (bt->n_ent - bt->pend >= CLAIM_GROUP) st = claim_pending(q, bt);
done:
    if (h != stack) ls__free(h);
    return st;
}

int ls__envq_account(ls__envq *q, const ls__acct *a)
{
    int err = LS_OK;
    batch *bt = current(q, &err);
    if (!bt) return batch_fail(q, err);
    ls__buf *d = &bt->data;
    ls__acct c = *a;
#define PUTB(f) if (put_str(d, &c.f)) return nomem(q);
    ACCT_STRS(PUTB)
    if (align8(d)) return nomem(q);
    size_t off = d->n;
    if (ls__buf_put(d, &c, sizeof c) || push_entry(q, bt, OP_ACCT, 0, 0, off)) return nomem(q);
    return LS_OK;
}

int ls__envq_diag(ls__envq *q, int reason, uint64_t line, const char *detail)
{
    int err = LS_OK;
    batch *bt = current(q, &err);
    if (!bt) return batch_fail(q, err);
    size_t off = bt->data.n;
    if (ls__buf_put(&bt->data, detail, strlen(detail) + 1) ||
        push_entry(q, bt, OP_DIAG, (uint32_t)reason, line, off))
        return nomem(q);
    return LS_OK;
}

int ls__envq_expect(ls__envq *q, size_t rows_left, size_t posts, size_t ids0, size_t ids_max)
{
    int err = LS_OK;
    size_t arg[3] = { posts, ids0, ids_max };
    if (!q->builder_claims) ls__builder_expect_posts_from(q->b, rows_left, posts, ids0, ids_max);
    batch *bt = current(q, &err);
    if (!bt) return batch_fail(q, err);
    if (align8(&bt->data)) return nomem(q);
    size_t off = bt->data.n;
    if (ls__buf_put(&bt->data, arg, sizeof arg)) return nomem(q);
    return push_entry(q, bt, OP_EXPECT, 0, (uint64_t)rows_left, off) ? nomem(q) : LS_OK;
}
