/*
 * coaction.c — one co-action layer by sort and sweep, never an all-pairs
 * join.
 *
 *   1. records (object << 32 | event << 1 | passive) are split by object
 *      hash over T threads;
 *   2. each thread radix-sorts its records (object, then time rank) and
 *      sweeps every object's run with a two-pointer Δt window, emitting
 *      pair entries (account pair, evidence id) into one buffer per
 *      destination thread (chosen by pair hash);
 *   3. each destination sorts its entries by (pair, evidence id) and
 *      counts distinct evidence ids per pair.
 * Work is O(records + pairs).  Pair buffers over the memory budget are
 * sorted, deduplicated and spilled to the temporary folder as runs that
 * the destination merges k-way.  The result is sorted by pair, so it is
 * the same for any thread count.
 *
 * Default mode: undirected pairs, evidence id = object, count = distinct
 * objects, weight = sum of 1/log2(n_o) over them (n_o = accounts on the
 * object), significance from a Poisson null (see docs/networks.md), and a
 * per-object cap with deterministic hash sampling.
 * --compat qut: directed u1 -> u2, evidence id = u1's post, count =
 * distinct posts m1 with some m2 != m1 of u2 on the same key within Δt.
 */
#include "signals.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAXT 16

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

typedef struct spill_run { int dest; char *path; size_t n; } spill_run;

typedef struct cjob cjob;
typedef struct cshared {
    ls_ctx *ctx;
    const ls_store *st;
    const ls__co_opts *o;
    int T, layer;
    size_t limit;            /* pair entries a thread may buffer */
    float *objw;             /* object weight (default mode) */
    cjob *jobs;
    unsigned spill_id;
    pthread_mutex_t lock;
} cshared;

struct cjob {
    cshared *sh;
    int tid;
    uint64_t *rec, *tmp;     /* this thread's records */
    size_t nrec;
    ls__kv *out[MAXT];       /* pair entries by destination */
    size_t nout[MAXT], capout[MAXT];
    size_t buffered;
    spill_run *runs; size_t nruns, capruns;
    uint32_t *stamp, *activity;
    uint32_t cur_stamp;
    /* run scratch */
    int64_t *rt; uint32_t *ra, *rp; uint8_t *rpas; size_t rcap;
    uint64_t *hs, *hs_tmp; size_t hcap;
    ls__co_stats st;
    double s2;               /* sum of n_o (n_o - 1) over kept accounts */
    /* phase 2 */
    ls__edge *edges; size_t nedges, capedges;
    char msg[256];
    int rc;
};

static int spill(cjob *j);

static int emit(cjob *j, uint64_t pair, uint32_t lo)
{
    int d = j->sh->T == 1 ? 0 : (int)((mix64(pair) >> 32) % (uint64_t)j->sh->T);
    if (j->nout[d] == j->capout[d] &&
        ls__big_grow((void **)&j->out[d], &j->capout[d], j->nout[d] + 1, sizeof(ls__kv)) != LS_OK)
        return LS_ERR_NOMEM;
    j->out[d][j->nout[d]++] = (ls__kv){ pair, lo };
    j->st.pairs_emitted++;
    if (++j->buffered >= j->sh->limit) return spill(j);
    return LS_OK;
}

/* Sorts v[0..n) by (hi, lo) and drops repeated entries; returns new n. */
static size_t sort_unique(ls__kv *v, size_t n, ls__kv *tmp)
{
    ls__radix_kv(v, tmp, n);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || v[u - 1].hi != v[i].hi || v[u - 1].lo != v[i].lo) v[u++] = v[i];
    return u;
}

/* Writes every destination buffer of this thread as a sorted run. */
static int spill(cjob *j)
{
    cshared *sh = j->sh;
    for (int d = 0; d < sh->T; d++) {
        if (j->nout[d] == 0) continue;
        ls__kv *tmp = ls__malloc(j->nout[d] * sizeof *tmp);
        if (!tmp) return LS_ERR_NOMEM;
        size_t n = sort_unique(j->out[d], j->nout[d], tmp);
        ls__free(tmp);
        pthread_mutex_lock(&sh->lock);
        unsigned id = sh->spill_id++;
        pthread_mutex_unlock(&sh->lock);
        char path[700];
        snprintf(path, sizeof path, "%s/lockstep-spill-%ld-%u.run", ls__tmpdir(sh->ctx),
                 (long)getpid(), id);
        FILE *f = fopen(path, "wb");
        if (!f) { snprintf(j->msg, sizeof j->msg, "spill %.200s: %s", path, strerror(errno)); return LS_ERR_IO; }
        size_t w = fwrite(j->out[d], sizeof(ls__kv), n, f);
        int bad = w != n || fclose(f) != 0;
        if (bad) { unlink(path); snprintf(j->msg, sizeof j->msg, "spill %.200s: write failed", path); return LS_ERR_IO; }
        if (ls__grow((void **)&j->runs, &j->capruns, j->nruns + 1, sizeof *j->runs) != LS_OK) {
            unlink(path); return LS_ERR_NOMEM;
        }
        char *p = ls__strdup(path);
        if (!p) { unlink(path); return LS_ERR_NOMEM; }
        j->runs[j->nruns++] = (spill_run){ d, p, n };
        j->st.spill_runs++;
        j->nout[d] = 0;
    }
    j->buffered = 0;
    return LS_OK;
}

static int grow_run(cjob *j, size_t n)
{
    if (n <= j->rcap) return LS_OK;
    size_t c = n + n / 2 + 16;
    int64_t *t = ls__realloc(j->rt, c * sizeof *t);
    if (!t) return LS_ERR_NOMEM;
    j->rt = t;
    uint32_t *a = ls__realloc(j->ra, c * sizeof *a);
    if (!a) return LS_ERR_NOMEM;
    j->ra = a;
    uint32_t *p = ls__realloc(j->rp, c * sizeof *p);
    if (!p) return LS_ERR_NOMEM;
    j->rp = p;
    uint8_t *q = ls__realloc(j->rpas, c);
    if (!q) return LS_ERR_NOMEM;
    j->rpas = q;
    j->rcap = c;
    return LS_OK;
}

static inline uint64_t acc_hash(uint64_t seed, uint32_t acc, uint32_t obj)
{
    return mix64(seed ^ mix64(((uint64_t)obj << 32) | acc));
}

/* Sweeps one object's run rec[s..e) (sorted by time). */
static int sweep_run(cjob *j, uint32_t obj, const uint64_t *rec, size_t n)
{
    cshared *sh = j->sh;
    const ls_store *st = sh->st;
    const ls__co_opts *o = sh->o;
    int rc;
    if ((rc = grow_run(j, n)) != LS_OK) return rc;
    j->st.objects++;
    /* Distinct accounts (n_o) with a per-thread stamp array. */
    if (++j->cur_stamp == 0) {
        memset(j->stamp, 0, st->ns[LS_NS_ACCOUNT].n * sizeof *j->stamp);
        j->cur_stamp = 1;
    }
    uint32_t stamp = j->cur_stamp;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t ev = (uint32_t)(rec[i] >> 1) & 0x7fffffffu;
        uint32_t a = st->ev_account[ev];
        j->ra[i] = a;
        j->rt[i] = st->ev_time[ev];
        j->rp[i] = st->ev_post[ev];
        j->rpas[i] = (uint8_t)(rec[i] & 1);
        if (j->stamp[a] != stamp) { j->stamp[a] = stamp; k++; }
    }
    size_t m = n;
    if (!o->qut) {
        sh->objw[obj] = (float)(1.0 / log2(k < 2 ? 2.0 : (double)k));
        if (o->cap && k > o->cap) {
            /* Keep the accounts whose hash(seed, account, object) is among
             * the cap smallest: deterministic, and independent of which
             * thread handles the object. */
            if (ls__grow((void **)&j->hs, &j->hcap, k, sizeof *j->hs) != LS_OK) return LS_ERR_NOMEM;
            uint64_t *ht = ls__malloc(k * sizeof *ht);
            if (!ht) return LS_ERR_NOMEM;
            size_t q = 0;
            if (++j->cur_stamp == 0) { memset(j->stamp, 0, st->ns[LS_NS_ACCOUNT].n * sizeof *j->stamp); j->cur_stamp = 1; }
            for (size_t i = 0; i < n; i++)
                if (j->stamp[j->ra[i]] != j->cur_stamp) {
                    j->stamp[j->ra[i]] = j->cur_stamp;
                    j->hs[q++] = acc_hash(o->seed, j->ra[i], obj);
                }
            ls__radix_u64(j->hs, ht, q);
            uint64_t thr = j->hs[o->cap - 1];
            ls__free(ht);
            m = 0;
            for (size_t i = 0; i < n; i++) {
                if (acc_hash(o->seed, j->ra[i], obj) > thr) continue;
                j->ra[m] = j->ra[i]; j->rt[m] = j->rt[i]; j->rp[m] = j->rp[i]; j->rpas[m] = j->rpas[i];
                m++;
            }
            j->st.objects_capped++;
            j->st.accounts_dropped += k - o->cap;
            j->st.pairs_capped += (uint64_t)k * (k - 1) / 2 - (uint64_t)o->cap * (o->cap - 1) / 2;
            k = o->cap;
        }
        /* Activity: each kept account once per object. */
        if (++j->cur_stamp == 0) { memset(j->stamp, 0, st->ns[LS_NS_ACCOUNT].n * sizeof *j->stamp); j->cur_stamp = 1; }
        for (size_t i = 0; i < m; i++)
            if (j->stamp[j->ra[i]] != j->cur_stamp) { j->stamp[j->ra[i]] = j->cur_stamp; j->activity[j->ra[i]]++; }
        j->s2 += (double)k * (double)(k - 1);
    }
    int64_t W = o->window_ms;
    int keep_self = o->qut && o->self_loops;
    for (size_t i = 0; i < m; i++) {
        uint32_t ai = j->ra[i];
        for (size_t q = i + 1; q < m && j->rt[q] - j->rt[i] <= W; q++) {
            uint32_t aq = j->ra[q];
            if (!o->qut) {
                if (ai == aq) continue;
                uint64_t pair = ai < aq ? (uint64_t)ai << 32 | aq : (uint64_t)aq << 32 | ai;
                if ((rc = emit(j, pair, obj)) != LS_OK) return rc;
                continue;
            }
            if (j->rp[i] == j->rp[q]) continue;          /* m2 != m1 */
            if (ai == aq && !keep_self) continue;
            if (!j->rpas[i] && (rc = emit(j, (uint64_t)ai << 32 | aq, j->rp[i])) != LS_OK) return rc;
            if (!j->rpas[q] && (rc = emit(j, (uint64_t)aq << 32 | ai, j->rp[q])) != LS_OK) return rc;
        }
    }
    return LS_OK;
}

static void *phase1(void *arg)
{
    cjob *j = arg;
    int rc = LS_OK;
    ls__radix_u64(j->rec, j->tmp, j->nrec);
    ls__free(j->tmp); j->tmp = NULL;
    for (size_t s = 0; s < j->nrec && rc == LS_OK;) {
        uint32_t obj = (uint32_t)(j->rec[s] >> 32);
        size_t e = s + 1;
        while (e < j->nrec && (uint32_t)(j->rec[e] >> 32) == obj) e++;
        rc = sweep_run(j, obj, j->rec + s, e - s);
        s = e;
    }
    ls__free(j->rec); j->rec = NULL;
    j->rc = rc;
    return NULL;
}

/* ---- phase 2: aggregation of sorted (pair, id) streams ---- */
typedef struct agg {
    cjob *j;
    int have;
    uint64_t pair, last_lo;
    ls__edge cur;
    double w;
} agg;

static int agg_flush(agg *g)
{
    if (!g->have) return LS_OK;
    cjob *j = g->j;
    if (j->nedges == j->capedges &&
        ls__big_grow((void **)&j->edges, &j->capedges, j->nedges + 1, sizeof *j->edges) != LS_OK)
        return LS_ERR_NOMEM;
    g->cur.weight = (float)g->w;
    j->edges[j->nedges++] = g->cur;
    g->have = 0;
    return LS_OK;
}

static int agg_push(agg *g, ls__kv kv)
{
    int rc;
    if (g->have && g->pair == kv.hi) {
        if (g->last_lo == kv.lo) return LS_OK;   /* duplicate evidence */
    } else {
        if ((rc = agg_flush(g)) != LS_OK) return rc;
        g->have = 1;
        g->pair = kv.hi;
        memset(&g->cur, 0, sizeof g->cur);
        g->cur.u = (uint32_t)(kv.hi >> 32);
        g->cur.v = (uint32_t)kv.hi;
        for (int e = 0; e < LS__EV; e++) g->cur.ev[e] = LS__NONE;
        g->w = 0;
    }
    g->last_lo = kv.lo;
    if (g->cur.count < LS__EV) g->cur.ev[g->cur.count] = (uint32_t)kv.lo;
    g->cur.count++;
    g->w += g->j->sh->o->qut ? 1.0 : (double)g->j->sh->objw[kv.lo];
    return LS_OK;
}

typedef struct rcur { FILE *f; ls__kv buf[512]; size_t n, i; ls__kv *mem; size_t memn; } rcur;

static int rcur_peek(rcur *c, ls__kv *out)
{
    if (c->mem) {
        if (c->i >= c->memn) return 0;
        *out = c->mem[c->i];
        return 1;
    }
    if (c->i >= c->n) {
        c->n = fread(c->buf, sizeof(ls__kv), 512, c->f);
        c->i = 0;
        if (c->n == 0) return 0;
    }
    *out = c->buf[c->i];
    return 1;
}

static void *phase2(void *arg)
{
    cjob *j = arg;
    cshared *sh = j->sh;
    int d = j->tid, rc = LS_OK;
    agg g = { .j = j };
    size_t total = 0, nfiles = 0;
    ls__kv *all = NULL, *tmp = NULL;
    rcur *cur = NULL;
    for (int t = 0; t < sh->T; t++) {
        total += sh->jobs[t].nout[d];
        for (size_t r = 0; r < sh->jobs[t].nruns; r++) nfiles += sh->jobs[t].runs[r].dest == d;
    }
    all = ls__big_malloc((total ? total : 1) * sizeof *all);
    tmp = ls__big_malloc((total ? total : 1) * sizeof *tmp);
    if (!all || !tmp) { rc = LS_ERR_NOMEM; goto done; }
    size_t k = 0;
    for (int t = 0; t < sh->T; t++) {
        cjob *o = &sh->jobs[t];
        if (o->nout[d]) memcpy(all + k, o->out[d], o->nout[d] * sizeof *all);
        k += o->nout[d];
        ls__free(o->out[d]); o->out[d] = NULL; o->nout[d] = 0;
    }
    total = sort_unique(all, total, tmp);
    ls__free(tmp); tmp = NULL;
    if (nfiles == 0) {
        for (size_t i = 0; i < total && rc == LS_OK; i++) rc = agg_push(&g, all[i]);
    } else {
        /* k-way merge of the spilled runs and the in-memory run; the run
         * count is small (memory / run size), so a linear minimum scan is
         * fine. */
        size_t nc = nfiles + 1, c = 0;
        cur = ls__calloc(nc, sizeof *cur);
        if (!cur) { rc = LS_ERR_NOMEM; goto done; }
        for (int t = 0; t < sh->T && rc == LS_OK; t++)
            for (size_t r = 0; r < sh->jobs[t].nruns; r++) {
                spill_run *sr = &sh->jobs[t].runs[r];
                if (sr->dest != d) continue;
                cur[c].f = fopen(sr->path, "rb");
                if (!cur[c].f) { rc = LS_ERR_IO; snprintf(j->msg, sizeof j->msg, "spill %.200s: %s", sr->path, strerror(errno)); break; }
                c++;
            }
        cur[c].mem = all; cur[c].memn = total; c++;
        while (rc == LS_OK) {
            int best = -1;
            ls__kv bk = { 0, 0 }, x;
            for (size_t q = 0; q < c; q++)
                if (rcur_peek(&cur[q], &x) &&
                    (best < 0 || x.hi < bk.hi || (x.hi == bk.hi && x.lo < bk.lo))) { best = (int)q; bk = x; }
            if (best < 0) break;
            cur[best].i++;
            rc = agg_push(&g, bk);
        }
        for (size_t q = 0; q < c; q++) if (cur[q].f) fclose(cur[q].f);
    }
    if (rc == LS_OK) rc = agg_flush(&g);
done:
    ls__free(all); ls__free(tmp); ls__free(cur);
    j->rc = rc;
    return NULL;
}

static void run_threads(int T, void *(*fn)(void *), cjob *jobs)
{
    pthread_t th[MAXT];
    int ok[MAXT] = { 0 };
    for (int t = 1; t < T; t++) ok[t] = pthread_create(&th[t], NULL, fn, &jobs[t]) == 0;
    fn(&jobs[0]);
    for (int t = 1; t < T; t++) {
        if (ok[t]) pthread_join(th[t], NULL);
        else fn(&jobs[t]);   /* could not start a thread: same work here */
    }
}

double ls__poisson_sf_log10(uint32_t c, double lambda)
{
    if (c == 0) return 0.0;
    if (lambda <= 0) return 300.0;
    /* log P(X = k) = -lambda + k ln(lambda) - lgamma(k + 1). */
    double lt = -lambda + c * log(lambda) - lgamma((double)c + 1.0);
    double p;
    if ((double)c > lambda) {
        /* Upper tail from k = c: terms shrink, sum until negligible. */
        double s = 1.0, term = 1.0;
        for (uint32_t k = c + 1; k < c + 100000; k++) {
            term *= lambda / k;
            s += term;
            if (term < s * 1e-15) break;
        }
        double l10 = -(lt + log(s)) / log(10.0);
        return l10 > 300 ? 300 : (l10 < 0 ? 0 : l10);
    }
    /* c <= lambda: P(X >= c) = 1 - P(X < c), not small. */
    double cdf = 0, term = exp(-lambda);
    for (uint32_t k = 0; k < c; k++) { cdf += term; term *= lambda / (k + 1); }
    p = 1.0 - cdf;
    if (p <= 0) return 0;
    double l10 = -log10(p);
    return l10 < 0 ? 0 : l10;
}

void ls__edges_free(ls__edges *E)
{
    ls__free(E->e);
    ls__free(E->activity);
    memset(E, 0, sizeof *E);
}

int ls__coaction(ls_ctx *ctx, const ls_store *st, int layer,
                 const ls__co_opts *o, ls__edges *out)
{
    int rc = LS_OK;
    ls__recs R = { 0 };
    cshared sh;
    cjob jobs[MAXT];
    int T = ls__threads(ctx);
    if (T > MAXT) T = MAXT;
    if (T < 1) T = 1;
    memset(out, 0, sizeof *out);
    memset(jobs, 0, sizeof jobs);
    memset(&sh, 0, sizeof sh);
    pthread_mutex_init(&sh.lock, NULL);
    out->layer = layer;
    out->directed = o->qut;
    if (layer < 0 || layer >= LS_L_COUNT) { rc = ls__fail(ctx, LS_ERR_USAGE, "unknown layer"); goto done; }
    if (o->window_ms < 0) { rc = ls__fail(ctx, LS_ERR_USAGE, "negative window"); goto done; }
    for (uint64_t i = 0; i < st->n_events; i++)
        if (st->ev_account[i] >= st->ns[LS_NS_ACCOUNT].n || st->ev_post[i] >= st->ns[LS_NS_POST].n) {
            rc = ls__fail(ctx, LS_ERR_CORRUPT, "store event %llu has no valid account or post id",
                          (unsigned long long)i);
            goto done;
        }
    for (uint64_t i = 1; i < st->n_events; i++)
        if (st->ev_time[i] < st->ev_time[i - 1]) {
            rc = ls__fail(ctx, LS_ERR_CORRUPT, "store events are not sorted by time (event %llu)",
                          (unsigned long long)i);
            goto done;
        }
    if ((rc = ls__records_emit(ctx, st, layer, o, &R)) != LS_OK) goto done;
    uint32_t nacc = st->ns[LS_NS_ACCOUNT].n;
    uint64_t maxobj = 0;
    for (size_t i = 0; i < R.n; i++) if ((R.r[i] >> 32) > maxobj) maxobj = R.r[i] >> 32;

    sh.ctx = ctx; sh.st = st; sh.o = o; sh.T = T; sh.layer = layer; sh.jobs = jobs;
    uint64_t budget = ls__memory_budget(ctx);
    uint64_t fixed = (uint64_t)R.n * 16 + (uint64_t)nacc * 8 * (uint64_t)T + (maxobj + 1) * 4;
    uint64_t avail = budget > fixed + budget / 4 ? budget - fixed : budget / 4;
    /* A buffered entry costs about 16 bytes plus 16 more when sorted. */
    sh.limit = (size_t)(avail / 32 / (uint64_t)T);
    if (sh.limit < 64) sh.limit = 64;
    if (!o->qut) {
        sh.objw = ls__calloc(maxobj + 1, sizeof *sh.objw);
        if (!sh.objw) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    }
    /* Split records by object hash. */
    size_t cnt[MAXT] = { 0 };
    for (size_t i = 0; i < R.n; i++) cnt[T == 1 ? 0 : (mix64(R.r[i] >> 32) % (uint64_t)T)]++;
    for (int t = 0; t < T; t++) {
        cjob *j = &jobs[t];
        j->sh = &sh; j->tid = t;
        j->rec = ls__big_malloc((cnt[t] ? cnt[t] : 1) * sizeof *j->rec);
        j->tmp = ls__big_malloc((cnt[t] ? cnt[t] : 1) * sizeof *j->tmp);
        j->stamp = ls__calloc(nacc ? nacc : 1, sizeof *j->stamp);
        j->activity = ls__calloc(nacc ? nacc : 1, sizeof *j->activity);
        if (!j->rec || !j->tmp || !j->stamp || !j->activity) {
            rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done;
        }
    }
    for (size_t i = 0; i < R.n; i++) {
        int t = T == 1 ? 0 : (int)(mix64(R.r[i] >> 32) % (uint64_t)T);
        jobs[t].rec[jobs[t].nrec++] = R.r[i];
    }
    out->st.records = R.n;
    ls__recs_free(&R);

    run_threads(T, phase1, jobs);
    for (int t = 0; t < T; t++)
        if (jobs[t].rc != LS_OK) {
            rc = ls__fail(ctx, jobs[t].rc, "%s: %s", ls__layer_name(layer),
                          jobs[t].msg[0] ? jobs[t].msg : "out of memory");
            goto done;
        }
    run_threads(T, phase2, jobs);
    for (int t = 0; t < T; t++)
        if (jobs[t].rc != LS_OK) {
            rc = ls__fail(ctx, jobs[t].rc, "%s: %s", ls__layer_name(layer),
                          jobs[t].msg[0] ? jobs[t].msg : "out of memory");
            goto done;
        }

    /* Gather: destinations hold disjoint pair sets, each sorted; merge. */
    size_t total = 0;
    double s2 = 0, P = 0, A = 0;
    for (int t = 0; t < T; t++) {
        total += jobs[t].nedges;
        s2 += jobs[t].s2;
        out->st.objects += jobs[t].st.objects;
        out->st.pairs_emitted += jobs[t].st.pairs_emitted;
        out->st.objects_capped += jobs[t].st.objects_capped;
        out->st.accounts_dropped += jobs[t].st.accounts_dropped;
        out->st.pairs_capped += jobs[t].st.pairs_capped;
        out->st.spill_runs += jobs[t].st.spill_runs;
    }
    out->e = ls__big_malloc((total ? total : 1) * sizeof *out->e);
    out->activity = ls__calloc(nacc ? nacc : 1, sizeof *out->activity);
    if (!out->e || !out->activity) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    for (uint32_t a = 0; a < nacc; a++) {
        for (int t = 0; t < T; t++) out->activity[a] += jobs[t].activity[a];
        A += out->activity[a];
    }
    size_t pos[MAXT] = { 0 };
    size_t n = 0;
    for (;;) {
        int best = -1;
        for (int t = 0; t < T; t++) {
            if (pos[t] >= jobs[t].nedges) continue;
            const ls__edge *x = &jobs[t].edges[pos[t]];
            if (best < 0) { best = t; continue; }
            const ls__edge *b = &jobs[best].edges[pos[best]];
            if (x->u < b->u || (x->u == b->u && x->v < b->v)) best = t;
        }
        if (best < 0) break;
        ls__edge e = jobs[best].edges[pos[best]++];
        P += e.count;
        if (e.u == e.v && !(o->qut && o->self_loops)) continue;
        if ((double)e.count < o->min_weight) continue;
        out->e[n++] = e;
    }
    out->n = n;
    /* Significance: lambda_uv = 2 P a_u a_v / A^2 (see docs/networks.md). */
    if (!o->qut && A > 0) {
        out->st.lambda_scale = 2.0 * P / (A * A);
        for (size_t i = 0; i < n; i++) {
            ls__edge *e = &out->e[i];
            double lam = out->st.lambda_scale * out->activity[e->u] * (double)out->activity[e->v];
            e->sig = (float)ls__poisson_sf_log10(e->count, lam);
        }
    }
    (void)s2;
done:
    for (int t = 0; t < MAXT; t++) {
        cjob *j = &jobs[t];
        ls__free(j->rec); ls__free(j->tmp);
        for (int d = 0; d < MAXT; d++) ls__free(j->out[d]);
        for (size_t r = 0; r < j->nruns; r++) { unlink(j->runs[r].path); ls__free(j->runs[r].path); }
        ls__free(j->runs);
        ls__free(j->stamp); ls__free(j->activity);
        ls__free(j->rt); ls__free(j->ra); ls__free(j->rp); ls__free(j->rpas);
        ls__free(j->hs); ls__free(j->hs_tmp);
        ls__free(j->edges);
    }
    ls__free(sh.objw);
    ls__recs_free(&R);
    pthread_mutex_destroy(&sh.lock);
    if (rc != LS_OK) ls__edges_free(out);
    return rc;
}
