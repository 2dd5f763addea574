/*
 * coaction.c — one co-action layer by sort and sweep, never an all-pairs
 * join.
 *
 *   1. records (object << 32 | event << 1 | passive) are grouped by
 *      object rank with one stable counting sort (objects renumbered by
 *      rank: same order, dense), 4 bytes a record, each object's run in
 *      time order;
 *   2. threads take objects in chunks and sweep every object's run with a
 *      two-pointer Δt window, emitting pair entries (account pair,
 *      evidence id) into one buffer per thread; at the end each groups
 *      its entries in place by bucket of the first account's id (its top
 *      bits) and sorts and deduplicates each bucket (small: the sort
 *      stays in cache);
 *   3. the threads take buckets in turn: a bucket's sorted buffers from
 *      every thread (and any spilled runs) are merged and the distinct
 *      evidence ids per pair counted;
 *   4. default mode: the same for the significance of each bucket's edges
 *      (dropping those below keep_alpha's cut); the buckets, in order, are
 *      the sorted result.
 * Work is O(records + pairs).  A pair entry is one 64-bit word
 * (u << su | v << bo | evidence) whenever the ids fit, else 16 bytes.
 * Buffers over the memory budget are sorted, deduplicated and spilled to
 * the temporary folder as runs that the destination merges k-way.  The
 * result is sorted by pair, so it is the same for any thread count.
 *
 * Default mode: undirected pairs, evidence id = object, count = distinct
 * objects, weight = sum of 1/log2(n_o) over them (n_o = accounts on the
 * object), significance from a Poisson null (see docs/networks.md), and a
 * per-object cap with deterministic hash sampling.  An object on which
 * some account acted twice can yield one pair many times; those repeats
 * are removed per object before they reach the buffers.
 * --compat qut: directed u1 -> u2, evidence id = u1's post, count =
 * distinct posts m1 with some m2 != m1 of u2 on the same key within Δt.
 */
#include "signals.h"
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAXT 16
#define LP_MAX ((size_t)1 << 20)   /* per-object pair dedup buffer, entries */

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* A spilled run: every bucket of one thread, sorted, back to back in an
 * unlinked temporary file; bucket b is entries off[b]..off[b + 1]. */
typedef struct spill_run { int fd; size_t *off; } spill_run;

typedef struct cjob cjob;
typedef struct cshared {
    ls_ctx *ctx;
    const ls_store *st;
    const ls__co_opts *o;
    int T, layer;
    size_t limit;            /* pair entries a thread may buffer */
    size_t esz;              /* bytes per pair entry: 8 (packed) or 16 */
    unsigned bo, su;         /* packed entry: u << su | v << bo | lo */
    uint64_t vmask, lomask;
    unsigned NB, bshift;     /* buckets; bucket of a pair = u >> bshift */
    float *objw;             /* object weight by rank (default mode) */
    uint32_t *oid;           /* object id of each rank */
    uint32_t *rec;           /* records by object rank, in time order:
                                event << 1 | passive */
    uint32_t *roff;          /* object rank r is rec[roff[r] .. roff[r + 1]) */
    uint32_t nobj;
    uint32_t next_obj;       /* phase 1: next object rank to take */
    const uint32_t *act;     /* phase 4: activity per account */
    uint32_t *activity;      /* phase 1 adds to it (atomically): distinct
                                objects per account, after the cap */
    uint64_t *expo;          /* co_text only: per account, the sum over its
                                distinct objects of (accounts on the object
                                - 1), after the cap (phase 1, atomically) */
    double A;                /* phase 4: sum of activity */
    uint32_t *partners;      /* co_text only: distinct co-actors per
                                account (phase 3, atomically) */
    double lambda_scale;
    int keep_on;             /* phase 4 drops edges with sig < keep_thr */
    double keep_thr;
    double keep_weak;        /* phase 4: ... unless sig >= keep_weak and */
    uint8_t *strong;         /* neither account has an edge >= keep_thr */
    int weak_pass;           /* phase 4's second pass (keep_weak) */
    cjob *jobs;
    unsigned next;           /* phases 3 and 4: next bucket to take */
    ls__edge **be;           /* per bucket: its edges, sorted */
    size_t *bn, *bcap;
} cshared;

struct cjob {
    cshared *sh;
    int tid;
    void *buf;               /* pair entries as emitted, any bucket */
    size_t buffered, bufcap;
    void **out;              /* after partition: bucket b's entries in buf, sorted */
    size_t *nout;
    size_t *bnext, *bend;    /* partition: next free place and end of each part */
    void *scr; size_t scap;  /* sort scratch (entries) */
    spill_run *runs; size_t nruns, capruns;
    uint64_t *seen;          /* one bit per account, all clear between uses */
    /* run scratch */
    int64_t *rt; uint32_t *ra, *rp; uint8_t *rpas; size_t rcap;
    uint64_t *hs, *hs_tmp; size_t hcap, htcap;
    uint64_t *lp, *lp_tmp; size_t nlp, lpcap, lptcap;   /* per-object pairs */
    ls__co_stats st;
    /* phases 3 and 4 */
    double P;                /* sum of counts over all pairs */
    uint64_t npairs;         /* distinct pairs (before min_weight) */
    char msg[256];
    int rc;
};

/* ---- pair entries ---- */

static inline void put_entry(const cshared *sh, void *buf, size_t i, uint32_t u, uint32_t v, uint32_t lo)
{
    if (sh->esz == 8) ((uint64_t *)buf)[i] = (uint64_t)u << sh->su | (uint64_t)v << sh->bo | lo;
    else ((ls__kv *)buf)[i] = (ls__kv){ (uint64_t)u << 32 | v, lo };
}

/* Entry i as (u << 32 | v, lo): packing keeps the order of (pair, lo). */
static inline ls__kv get_entry(const cshared *sh, const void *buf, size_t i)
{
    if (sh->esz == 16) return ((const ls__kv *)buf)[i];
    uint64_t k = ((const uint64_t *)buf)[i];
    return (ls__kv){ (k >> sh->su) << 32 | ((k >> sh->bo) & sh->vmask), k & sh->lomask };
}

/* Scratch of at least n elements of size elem; its contents are not kept. */
static int scratch(void **p, size_t *cap, size_t n, size_t elem)
{
    if (n <= *cap) return LS_OK;
    size_t c = *cap ? *cap : 1024;
    while (c < n) c *= 2;
    ls__free(*p);
    *p = ls__big_malloc(c * elem);
    *cap = *p ? c : 0;
    return *p ? LS_OK : LS_ERR_NOMEM;
}

static size_t unique_u64(uint64_t *v, size_t n)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || v[u - 1] != v[i]) v[u++] = v[i];
    return u;
}

/* Sorts the *n entries of buffer v and drops repeated ones, updating *n;
 * scr is scratch room for *n entries. */
static int sort_unique_in(const cshared *sh, void *v, size_t *n, void *scr)
{
    if (*n < 2) return LS_OK;
    if (sh->esz == 8) {
        ls__radix_u64(v, scr, *n);
        *n = unique_u64(v, *n);
        return LS_OK;
    }
    ls__kv *a = v;
    ls__radix_kv(a, scr, *n);
    size_t u = 0;
    for (size_t i = 0; i < *n; i++)
        if (u == 0 || a[u - 1].hi != a[i].hi || a[u - 1].lo != a[i].lo) a[u++] = a[i];
    *n = u;
    return LS_OK;
}

static int spill(cjob *j);

/* Pair entries go to one buffer per thread, whatever their bucket, and
 * are split by bucket once (partition).  A buffer per bucket (256 of them)
 * grew by doubling on the heap: each doubling copied and, on a virtual
 * machine, faulted in fresh 4 KiB pages at 15-20 us each, which was most
 * of the sweep's time (co_retweet on 1M QUT rows: 0.30 s of CPU for 2.8M
 * entries).  One buffer grows as a huge-page mapping without copies
 * (ls__col_grow). */
static int emit(cjob *j, uint32_t u, uint32_t v, uint32_t lo)
{
    cshared *sh = j->sh;
    if (j->buffered == j->bufcap &&
        ls__col_grow(&j->buf, &j->bufcap, j->buffered + 1, sh->esz) != LS_OK)
        return LS_ERR_NOMEM;
    put_entry(sh, j->buf, j->buffered, u, v, lo);
    if (++j->buffered >= sh->limit) return spill(j);
    return LS_OK;
}

/* The first account of the entry at p, shifted right by shift bits. */
static inline unsigned entry_key(const cshared *sh, const void *p, unsigned shift)
{
    uint64_t w;
    memcpy(&w, p, 8);
    /* A packed entry holds u in its top bits; a wide one (ls__kv) holds
     * u << 32 | v in its first word. */
    uint32_t u = sh->esz == 8 ? (uint32_t)(w >> sh->su) : (uint32_t)(w >> 32);
    return u >> shift;
}

/* Sub-buckets per bucket (bits): the partition goes 16 times finer than
 * the buckets, so that the sort of each part needs little scratch even
 * when most pairs fall in a few buckets (a viral post's million one-time
 * accounts push the bucket width up while the pairs stay among the
 * others: one bucket then held 2M of 2.8M entries, and its sort's scratch
 * was 16 MB of the sweep's peak). */
#define SUB_BITS 4u

/* Groups the buffered entries by sub-bucket in place (an American-flag
 * sort on the top bits of the first account: a count, then each entry
 * swapped straight to its part's next free place), sorts and deduplicates
 * each part, and closes the gaps deduplication left, so that out[b] and
 * nout[b] are bucket b's sorted entries, inside buf (a bucket's parts, in
 * order, cover increasing account ranges).  In place, so that the entries
 * are held once, not twice; their order within a part before its sort
 * does not matter.  The buffer is empty for new entries afterwards. */
static int partition(cjob *j)
{
    const cshared *sh = j->sh;
    unsigned sb = sh->bshift < SUB_BITS ? sh->bshift : SUB_BITS, shift = sh->bshift - sb;
    size_t n = j->buffered, *next = j->bnext, *end = j->bend, S = (size_t)sh->NB << sb;
    size_t big = 0, esz = sh->esz, sum = 0;
    char *a = j->buf;
    unsigned char cur[16], tmp[16];
    if (!n) {
        for (unsigned b = 0; b < sh->NB; b++) { j->out[b] = NULL; j->nout[b] = 0; }
        return LS_OK;
    }
    memset(next, 0, S * sizeof *next);
    for (size_t i = 0; i < n; i++) next[entry_key(sh, a + i * esz, shift)]++;
    for (size_t p = 0; p < S; p++) {
        size_t c = next[p];
        next[p] = sum;
        end[p] = sum += c;
        if (c > big) big = c;
    }
    for (size_t p = 0; p < S; p++) {
        while (next[p] < end[p]) {
            memcpy(cur, a + next[p] * esz, esz);
            size_t d = entry_key(sh, cur, shift);
            while (d != p) {
                char *slot = a + next[d]++ * esz;
                memcpy(tmp, slot, esz);
                memcpy(slot, cur, esz);
                memcpy(cur, tmp, esz);
                d = entry_key(sh, cur, shift);
            }
            memcpy(a + next[p]++ * esz, cur, esz);
        }
    }
    if (scratch(&j->scr, &j->scap, big ? big : 1, esz) != LS_OK) return LS_ERR_NOMEM;
    for (unsigned b = 0; b < sh->NB; b++) {
        size_t first = b ? end[((size_t)b << sb) - 1] : 0, at = first;
        for (size_t p = (size_t)b << sb; p < ((size_t)b + 1) << sb; p++) {
            size_t from = p ? end[p - 1] : 0, c = end[p] - from;
            if (sort_unique_in(sh, a + from * esz, &c, j->scr) != LS_OK) return LS_ERR_NOMEM;
            if (at != from && c) memmove(a + at * esz, a + from * esz, c * esz);
            at += c;
        }
        j->out[b] = a + first * esz;
        j->nout[b] = at - first;
    }
    j->buffered = 0;
    return LS_OK;
}

/* Writes all of b (n bytes) to fd. */
static int write_all(int fd, const void *b, size_t n)
{
    const char *p = b;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Writes every bucket of this thread, sorted, as one run. */
static int spill(cjob *j)
{
    cshared *sh = j->sh;
    char path[700];
    snprintf(path, sizeof path, "%s/lockstep-spill-XXXXXX", ls__tmpdir(sh->ctx));
    if (ls__grow((void **)&j->runs, &j->capruns, j->nruns + 1, sizeof *j->runs) != LS_OK) return LS_ERR_NOMEM;
    spill_run *r = &j->runs[j->nruns];
    r->off = ls__malloc((sh->NB + 1) * sizeof *r->off);
    if (!r->off) return LS_ERR_NOMEM;
    /* Unlinked at once: the file goes away with the descriptor, even if
     * the process dies. */
    r->fd = mkstemp(path);
    if (r->fd < 0) {
        ls__free(r->off);
        snprintf(j->msg, sizeof j->msg, "spill %.200s: %s", path, strerror(errno));
        return LS_ERR_IO;
    }
    unlink(path);
    j->nruns++;
    if (partition(j) != LS_OK) return LS_ERR_NOMEM;
    size_t pos = 0;
    for (unsigned b = 0; b < sh->NB; b++) {
        r->off[b] = pos;
        if (write_all(r->fd, j->out[b], j->nout[b] * sh->esz) != 0) {
            snprintf(j->msg, sizeof j->msg, "spill %.200s: %s", path, strerror(errno));
            return LS_ERR_IO;
        }
        pos += j->nout[b];
        j->nout[b] = 0;
    }
    r->off[sh->NB] = pos;
    j->st.spill_runs++;
    return LS_OK;
}

/* Sorts and deduplicates the pairs of one object collected in j->lp and
 * emits them when the object ends (final) or the buffer stays full. */
static int lp_flush(cjob *j, uint32_t lo, int final)
{
    int rc;
    if (scratch((void **)&j->lp_tmp, &j->lptcap, j->nlp, sizeof *j->lp_tmp) != LS_OK) return LS_ERR_NOMEM;
    ls__radix_u64(j->lp, j->lp_tmp, j->nlp);
    j->nlp = unique_u64(j->lp, j->nlp);
    if (!final && j->nlp <= LP_MAX / 2) return LS_OK;
    for (size_t i = 0; i < j->nlp; i++)
        if ((rc = emit(j, (uint32_t)(j->lp[i] >> 32), (uint32_t)j->lp[i], lo)) != LS_OK) return rc;
    j->nlp = 0;
    return LS_OK;
}

void ls__store_drop_pages(const ls_store *st)
{
#ifdef MADV_DONTNEED
    if (st && st->map && st->map_size) (void)madvise(st->map, st->map_size, MADV_DONTNEED);
#else
    (void)st;
#endif
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
    if (j->sh->o->qut) {
        /* Posts and passive flags are read only by the QUT definitions. */
        uint32_t *p = ls__realloc(j->rp, c * sizeof *p);
        if (!p) return LS_ERR_NOMEM;
        j->rp = p;
        uint8_t *q = ls__realloc(j->rpas, c);
        if (!q) return LS_ERR_NOMEM;
        j->rpas = q;
    }
    j->rcap = c;
    return LS_OK;
}

static inline uint64_t acc_hash(uint64_t seed, uint32_t acc, uint32_t obj)
{
    return mix64(seed ^ mix64(((uint64_t)obj << 32) | acc));
}

/* The distinct accounts of a run are counted with a per-thread bitmap
 * (an eighth of a byte per account, where a stamp array took 4 bytes per
 * account and thread: 9 MB of the 90 MB peak of co_retweet on the viral
 * bench store, with its million one-time accounts).  seen_add sets a's bit
 * and says whether it was clear; seen_clear zeroes the words of the
 * accounts a loop added, which are the only words with bits set. */
static inline int seen_add(cjob *j, uint32_t a)
{
    uint64_t bit = 1ull << (a & 63), *w = &j->seen[a >> 6];
    if (*w & bit) return 0;
    *w |= bit;
    return 1;
}
static inline void seen_clear(cjob *j, uint32_t a) { j->seen[a >> 6] = 0; }

static inline uint32_t rec_event(uint32_t r) { return r >> 1; }

/* The cap-th smallest of acc_hash over the distinct accounts of a run:
 * the accounts kept by the per-object cap are those at or below it.  A
 * buffer of 4 cap hashes is sorted whenever it fills and cut to the cap
 * smallest, whose largest then bounds what can still enter, so memory is
 * O(cap) however large the object (a viral post's million accounts used to
 * take 16 MB of hashes here) and work O(n).  The same value as sorting
 * every distinct account's hash. */
static int cap_threshold(cjob *j, const uint32_t *rec, size_t n, uint32_t obj, uint32_t cap, uint64_t *thr)
{
    const cshared *sh = j->sh;
    const uint32_t *acc = sh->st->ev_account;
    size_t B = 4 * (size_t)cap, q = 0;
    int full = 0;
    uint64_t T = 0;
    if (ls__grow((void **)&j->hs, &j->hcap, B, sizeof *j->hs) != LS_OK ||
        scratch((void **)&j->hs_tmp, &j->htcap, B, sizeof *j->hs_tmp) != LS_OK)
        return LS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = acc[rec_event(rec[i])];
        if (!seen_add(j, a)) continue;
        uint64_t h = acc_hash(sh->o->seed, a, obj);
        /* Once cap hashes <= T are held, a hash >= T cannot change the
         * cap-th smallest. */
        if (full && h >= T) continue;
        j->hs[q++] = h;
        if (q == B) {
            ls__radix_u64(j->hs, j->hs_tmp, q);
            q = cap;
            T = j->hs[cap - 1];
            full = 1;
        }
    }
    for (size_t i = 0; i < n; i++) seen_clear(j, acc[rec_event(rec[i])]);
    ls__radix_u64(j->hs, j->hs_tmp, q);
    *thr = j->hs[cap - 1];   /* q >= cap: the run has more than cap accounts */
    return LS_OK;
}

/* Sweeps one object's run rec[0..n) (sorted by time).  rk is the object's
 * rank (sh->oid[rk] its id).  Only
 * the records the cap keeps are copied into the run arrays, so a viral
 * object costs O(cap) memory beyond its records, not O(n). */
static int sweep_run(cjob *j, uint32_t rk, const uint32_t *rec, size_t n)
{
    cshared *sh = j->sh;
    const ls_store *st = sh->st;
    const ls__co_opts *o = sh->o;
    uint32_t obj = sh->oid[rk];
    uint32_t nacc = st->ns[LS_NS_ACCOUNT].n;
    int rc;
    j->st.objects++;
    /* Distinct accounts (n_o). */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t a = st->ev_account[rec_event(rec[i])];
        if (a >= nacc) {
            for (size_t q = 0; q < i; q++) seen_clear(j, st->ev_account[rec_event(rec[q])]);
            snprintf(j->msg, sizeof j->msg, "store event %u has no valid account", rec_event(rec[i]));
            return LS_ERR_CORRUPT;
        }
        k += (size_t)seen_add(j, a);
    }
    for (size_t i = 0; i < n; i++) seen_clear(j, st->ev_account[rec_event(rec[i])]);
    uint64_t thr = UINT64_MAX;
    int capped = 0;
    if (!o->qut) {
        sh->objw[rk] = (float)(1.0 / log2(k < 2 ? 2.0 : (double)k));
        if (o->cap && k > o->cap && sh->layer == LS_L_TEXT) {
            /* co_text: a text that more accounts posted than the cap is
             * viral or a crowd's, whatever its length; with no window,
             * its posters at any time are no group.  It is left out
             * whole (counted as capped), not sampled: its sampled pairs
             * would be no evidence, and its size would swell the null's
             * exposure of every account on it. */
            j->st.objects_capped++;
            j->st.accounts_dropped += k;
            j->st.pairs_capped += (uint64_t)k * (k - 1) / 2;
            return LS_OK;
        }
        if (o->cap && k > o->cap) {
            /* Keep the accounts whose hash(seed, account, object) is among
             * the cap smallest: deterministic, and independent of which
             * thread handles the object. */
            if ((rc = cap_threshold(j, rec, n, obj, o->cap, &thr)) != LS_OK) return rc;
            capped = 1;
            j->st.objects_capped++;
            j->st.accounts_dropped += k - o->cap;
            j->st.pairs_capped += (uint64_t)k * (k - 1) / 2 - (uint64_t)o->cap * (o->cap - 1) / 2;
            k = o->cap;
        }
    }
    size_t m = 0;
    if (!capped && (rc = grow_run(j, n)) != LS_OK) return rc;
    for (size_t i = 0; i < n; i++) {
        uint32_t ev = rec_event(rec[i]);
        uint32_t a = st->ev_account[ev];
        if (capped && acc_hash(o->seed, a, obj) > thr) continue;
        if (capped && (rc = grow_run(j, m + 1)) != LS_OK) return rc;
        j->ra[m] = a;
        j->rt[m] = st->ev_time[ev];
        if (o->qut) {
            j->rp[m] = st->ev_post[ev];
            j->rpas[m] = (uint8_t)(rec[i] & 1);
        }
        m++;
    }
    if (!o->qut) {
        /* Activity: each kept account once per object, into the shared
         * per-account array (other threads add to it at the same time). */
        for (size_t i = 0; i < m; i++)
            if (seen_add(j, j->ra[i])) {
                __atomic_fetch_add(&sh->activity[j->ra[i]], 1, __ATOMIC_RELAXED);
                if (sh->expo) __atomic_fetch_add(&sh->expo[j->ra[i]], (uint64_t)(k - 1), __ATOMIC_RELAXED);
            }
        for (size_t i = 0; i < m; i++) seen_clear(j, j->ra[i]);
    }
    /* co_text is defined without a window: a campaign's copies of one
     * text spread over hours are one co-action however far apart.  Only
     * the distinct accounts matter then, so each is kept once: an
     * account that posted one text a thousand times (a feed bot) would
     * otherwise make the sweep quadratic in its posts (403,951 records
     * of 302 accounts on one text of the scale-1 june2020 world). */
    int64_t W = o->window_ms;
    if (sh->layer == LS_L_TEXT && !o->qut) {
        W = INT64_MAX;
        size_t q = 0;
        for (size_t i = 0; i < m; i++)
            if (seen_add(j, j->ra[i])) j->ra[q++] = j->ra[i];
        for (size_t i = 0; i < q; i++) seen_clear(j, j->ra[i]);
        m = q;
    }
    int keep_self = o->qut && o->self_loops;
    /* Default mode: when some account acted twice on the object, a pair
     * can recur within it; collect the pairs and emit each once. */
    int dedup = !o->qut && m > k;
    for (size_t i = 0; i < m; i++) {
        uint32_t ai = j->ra[i];
        for (size_t q = i + 1; q < m && j->rt[q] - j->rt[i] <= W; q++) {
            uint32_t aq = j->ra[q];
            if (!o->qut) {
                if (ai == aq) continue;
                j->st.pairs_emitted++;
                uint32_t u = ai < aq ? ai : aq, v = ai < aq ? aq : ai;
                if (!dedup) {
                    if ((rc = emit(j, u, v, rk)) != LS_OK) return rc;
                    continue;
                }
                if (j->nlp == j->lpcap &&
                    ls__grow((void **)&j->lp, &j->lpcap, j->nlp + 1, sizeof *j->lp) != LS_OK)
                    return LS_ERR_NOMEM;
                j->lp[j->nlp++] = (uint64_t)u << 32 | v;
                if (j->nlp >= LP_MAX && (rc = lp_flush(j, rk, 0)) != LS_OK) return rc;
                continue;
            }
            if (j->rp[i] == j->rp[q]) continue;          /* m2 != m1 */
            if (ai == aq && !keep_self) continue;
            if (!j->rpas[i]) {
                j->st.pairs_emitted++;
                if ((rc = emit(j, ai, aq, j->rp[i])) != LS_OK) return rc;
            }
            if (!j->rpas[q]) {
                j->st.pairs_emitted++;
                if ((rc = emit(j, aq, ai, j->rp[q])) != LS_OK) return rc;
            }
        }
    }
    if (dedup && j->nlp && (rc = lp_flush(j, rk, 1)) != LS_OK) return rc;
    return LS_OK;
}

/* Objects are taken in chunks of consecutive ranks, by whichever thread
 * is free: which thread sweeps an object changes only which buffers its
 * pairs pass through, never the merged result. */
#define OBJ_CHUNK 256u

static void *phase1(void *arg)
{
    cjob *j = arg;
    cshared *sh = j->sh;
    int rc = LS_OK;
    for (;;) {
        uint32_t r0 = __atomic_fetch_add(&sh->next_obj, OBJ_CHUNK, __ATOMIC_RELAXED);
        if (r0 >= sh->nobj || rc != LS_OK) break;
        uint32_t r1 = sh->nobj - r0 < OBJ_CHUNK ? sh->nobj : r0 + OBJ_CHUNK;
        for (uint32_t rk = r0; rk < r1 && rc == LS_OK; rk++)
            rc = sweep_run(j, rk, sh->rec + sh->roff[rk], sh->roff[rk + 1] - sh->roff[rk]);
    }
    /* What stays in memory becomes one sorted run per bucket. */
    if (rc == LS_OK) rc = partition(j);
    ls__free(j->scr); j->scr = NULL; j->scap = 0;
    ls__free(j->lp); j->lp = NULL; j->lpcap = 0;
    ls__free(j->lp_tmp); j->lp_tmp = NULL; j->lptcap = 0;
    j->rc = rc;
    return NULL;
}

/* ---- phase 3: aggregation of sorted (pair, id) streams ---- */
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
    cshared *sh = j->sh;
    const ls__co_opts *o = sh->o;
    g->have = 0;
    j->P += g->cur.count;
    if (g->cur.u == g->cur.v && !(o->qut && o->self_loops)) return LS_OK;
    j->npairs++;
    if (sh->partners) {
        __atomic_fetch_add(&sh->partners[g->cur.u], 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&sh->partners[g->cur.v], 1, __ATOMIC_RELAXED);
    }
    if ((double)g->cur.count < o->min_weight) return LS_OK;
    unsigned b = g->cur.u >> sh->bshift;
    if (sh->bn[b] == sh->bcap[b] &&
        ls__big_grow((void **)&sh->be[b], &sh->bcap[b], sh->bn[b] + 1, sizeof **sh->be) != LS_OK)
        return LS_ERR_NOMEM;
    g->cur.weight = (float)g->w;
    sh->be[b][sh->bn[b]++] = g->cur;
    return LS_OK;
}

static int agg_push(agg *g, ls__kv kv)
{
    int rc;
    const cshared *sh = g->j->sh;
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
    if (g->cur.count < LS__EV) g->cur.ev[g->cur.count] = sh->o->qut ? (uint32_t)kv.lo : sh->oid[kv.lo];
    g->cur.count++;
    g->w += sh->o->qut ? 1.0 : (double)sh->objw[kv.lo];
    return LS_OK;
}

/* A sorted run being merged: in memory, or a bucket's segment of a spill
 * file (read with pread, so threads share the descriptor). */
typedef struct rcur {
    const void *mem;
    size_t n, i;             /* entries at mem, next one */
    int fd;                  /* spilled: descriptor, or -1 */
    off_t off;               /* next byte to read */
    size_t left;             /* entries not read yet */
    int err;
    ls__kv head;
    int have;
    uint64_t buf[1024];      /* spilled: 8-byte aligned read buffer */
} rcur;

static int rcur_next(const cshared *sh, rcur *c)
{
    if (c->i >= c->n) {
        if (c->fd < 0 || c->left == 0) return c->have = 0;
        size_t want = LS__MIN(c->left, sizeof c->buf / sh->esz);
        ssize_t got = pread(c->fd, c->buf, want * sh->esz, c->off);
        if (got != (ssize_t)(want * sh->esz)) { c->err = 1; return c->have = 0; }
        c->off += got;
        c->left -= want;
        c->mem = c->buf;
        c->n = want;
        c->i = 0;
    }
    c->head = get_entry(sh, c->mem, c->i++);
    return c->have = 1;
}

/* Merges and counts bucket b; cur: room for T + runs cursors. */
static int merge_bucket(cjob *j, unsigned b, rcur *cur)
{
    cshared *sh = j->sh;
    agg g = { .j = j };
    size_t c = 0;
    int rc = LS_OK;
    for (int t = 0; t < sh->T; t++) {
        cjob *o = &sh->jobs[t];
        if (o->nout[b]) {
            cur[c].mem = o->out[b]; cur[c].n = o->nout[b]; cur[c].i = 0; cur[c].fd = -1;
            cur[c].err = 0;
            c++;
        }
        for (size_t r = 0; r < o->nruns; r++) {
            const spill_run *sr = &o->runs[r];
            if (sr->off[b + 1] == sr->off[b]) continue;
            cur[c].mem = NULL; cur[c].n = cur[c].i = 0; cur[c].fd = sr->fd; cur[c].err = 0;
            cur[c].off = (off_t)(sr->off[b] * sh->esz);
            cur[c].left = sr->off[b + 1] - sr->off[b];
            c++;
        }
    }
    if (c == 1 && cur[0].fd < 0) {
        /* One in-memory run: no merge. */
        for (size_t i = 0; i < cur[0].n && rc == LS_OK; i++) rc = agg_push(&g, get_entry(sh, cur[0].mem, i));
    } else {
        /* k-way merge; the run count is small (threads plus memory / run
         * size), so a linear minimum scan is fine. */
        for (size_t q = 0; q < c; q++) rcur_next(sh, &cur[q]);
        while (rc == LS_OK) {
            int best = -1;
            for (size_t q = 0; q < c; q++) {
                if (!cur[q].have) continue;
                if (best < 0 || cur[q].head.hi < cur[best].head.hi ||
                    (cur[q].head.hi == cur[best].head.hi && cur[q].head.lo < cur[best].head.lo))
                    best = (int)q;
            }
            if (best < 0) break;
            rc = agg_push(&g, cur[best].head);
            rcur_next(sh, &cur[best]);
        }
        for (size_t q = 0; q < c; q++)
            if (cur[q].err && rc == LS_OK) { rc = LS_ERR_IO; snprintf(j->msg, sizeof j->msg, "spill run: read failed"); }
    }
    if (rc == LS_OK) rc = agg_flush(&g);
    /* This bucket's entries are done with (the buffer that holds them
     * goes when every bucket is merged: returning each bucket's pages
     * would split the huge pages under them). */
    for (int t = 0; t < sh->T; t++) {
        cjob *o = &sh->jobs[t];
        o->out[b] = NULL;
        o->nout[b] = 0;
    }
    return rc;
}

static void *phase3(void *arg)
{
    cjob *j = arg;
    cshared *sh = j->sh;
    int rc = LS_OK;
    size_t nc = (size_t)sh->T;
    for (int t = 0; t < sh->T; t++) nc += sh->jobs[t].nruns;
    rcur *cur = ls__malloc(nc * sizeof *cur);
    if (!cur) rc = LS_ERR_NOMEM;
    for (;;) {
        unsigned b = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);
        if (b >= sh->NB || rc != LS_OK) break;
        rc = merge_bucket(j, b, cur);
    }
    ls__free(cur);
    j->rc = rc;
    return NULL;
}

/* ---- phase 4: significance of each bucket's edges ---- */
/* sh->weak_pass 0: computes each edge's significance and keeps the edges
 * above the cut (and, with keep_weak, the weak ones, marking the accounts
 * of the strong ones); 1 (keep_weak only, after every thread has joined):
 * drops the weak edges at a marked account.  Marks are only ever set to 1
 * and read in the next pass: the same at any thread count. */
static void *phase4(void *arg)
{
    cjob *j = arg;
    cshared *sh = j->sh;
    for (;;) {
        unsigned b = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);
        if (b >= sh->NB) break;
        ls__edge *E = sh->be[b];
        size_t n = 0;
        for (size_t i = 0; i < sh->bn[b]; i++) {
            ls__edge *e = &E[i];
            if (sh->weak_pass) {
                if (e->sig < sh->keep_thr && (sh->strong[e->u] || sh->strong[e->v])) continue;
                E[n++] = *e;
                continue;
            }
            if (sh->act && sh->expo) {
                /* co_text: v's objects fall on objects in proportion to
                 * their size, so v meets u on u's objects about
                 * a_v * expo_u / A times, and the other way round: an
                 * account that posts the cries of a crowd meets many. */
                double lam = ((double)sh->act[e->v] * (double)sh->expo[e->u] +
                              (double)sh->act[e->u] * (double)sh->expo[e->v]) / (2.0 * sh->A);
                e->sig = (float)ls__poisson_sf_log10(e->count, lam);
            } else if (sh->act) {
                double lam = sh->lambda_scale * sh->act[e->u] * (double)sh->act[e->v];
                e->sig = (float)ls__poisson_sf_log10(e->count, lam);
            }
            if (sh->strong && e->sig >= sh->keep_thr) {
                __atomic_store_n(&sh->strong[e->u], 1, __ATOMIC_RELAXED);
                __atomic_store_n(&sh->strong[e->v], 1, __ATOMIC_RELAXED);
            }
            if (sh->keep_on && e->sig < sh->keep_thr && (!sh->strong || e->sig < sh->keep_weak)) continue;
            E[n++] = *e;
        }
        sh->bn[b] = n;
    }
    j->rc = LS_OK;
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

static int jobs_failed(ls_ctx *ctx, int layer, int T, const cjob *jobs)
{
    for (int t = 0; t < T; t++)
        if (jobs[t].rc != LS_OK)
            return ls__fail(ctx, jobs[t].rc, "%s: %s", ls__layer_name(layer),
                            jobs[t].msg[0] ? jobs[t].msg : "out of memory");
    return LS_OK;
}

void ls__edges_free(ls__edges *E)
{
    ls__free(E->e);
    ls__free(E->activity);
    ls__free(E->partners);
    memset(E, 0, sizeof *E);
}

/* Bits needed for values 0..max (at least 1). */
static unsigned bits_for(uint64_t max)
{
    unsigned b = 1;
    while (b < 64 && (max >> b)) b++;
    return b;
}

int ls__coaction(ls_ctx *ctx, const ls_store *st, int layer,
                 const ls__co_opts *o, ls__edges *out)
{
    int rc = LS_OK;
    ls__recs R = { 0 };
    uint32_t *rank = NULL;
    cshared sh;
    cjob jobs[MAXT];
    int T = ls__threads(ctx);
    if (T > MAXT) T = MAXT;
    if (T < 1) T = 1;
    memset(out, 0, sizeof *out);
    memset(jobs, 0, sizeof jobs);
    memset(&sh, 0, sizeof sh);
    out->layer = layer;
    out->directed = o->qut;
    if (layer < 0 || layer >= LS_L_COUNT) { rc = ls__fail(ctx, LS_ERR_USAGE, "unknown layer"); goto done; }
    if (o->window_ms < 0) { rc = ls__fail(ctx, LS_ERR_USAGE, "negative window"); goto done; }
    /* Accounts are checked where a run reads them (sweep_run); posts are
     * read only under the QUT definitions.  Reading a column of every
     * event here would make all its pages resident for nothing. */
    for (uint64_t i = 0; o->qut && i < st->n_events; i++)
        if (st->ev_post[i] >= st->ns[LS_NS_POST].n) {
            rc = ls__fail(ctx, LS_ERR_CORRUPT, "store event %llu has no valid post id", (unsigned long long)i);
            goto done;
        }
    for (uint64_t i = 1; i < st->n_events; i++)
        if (st->ev_time[i] < st->ev_time[i - 1]) {
            rc = ls__fail(ctx, LS_ERR_CORRUPT, "store events are not sorted by time (event %llu)",
                          (unsigned long long)i);
            goto done;
        }
    ls__timing("  %s: checks", ls__layer_name(layer));
    if ((rc = ls__records_emit(ctx, st, layer, o, &R)) != LS_OK) goto done;
    ls__timing("  %s: records (%zu)", ls__layer_name(layer), R.n);
    /* The columns that made the records are not read again; the sweep
     * reads accounts and times of the records' events only. */
    ls__store_drop_pages(st);
    uint32_t nacc = st->ns[LS_NS_ACCOUNT].n;
    uint64_t maxobj = 0, nobj = 0;
    int in_order = 1;
    for (size_t i = 0; i < R.n; i++) {
        if ((R.r[i] >> 32) > maxobj) maxobj = R.r[i] >> 32;
        if (i && (uint32_t)R.r[i] < (uint32_t)R.r[i - 1]) in_order = 0;
    }
    if (!in_order) {
        /* Records not emitted in event order: sort them whole, so that the
         * stable distribution below leaves each object's run in order. */
        uint64_t *tmp = ls__big_malloc((R.n ? R.n : 1) * sizeof *tmp);
        if (!tmp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
        ls__radix_u64(R.r, tmp, R.n);
        ls__free(tmp);
    }
    /* Objects by rank (the same order, dense), then the records grouped by
     * rank with a counting sort: one stable pass keeps each object's
     * records in event (time) order, and a record shrinks to 4 bytes, the
     * object being implied by its place.  Replaces a split by thread and
     * a radix sort per thread (3 copies of 8 bytes a record). */
    rank = ls__calloc(maxobj + 1, sizeof *rank);
    if (!rank) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    for (size_t i = 0; i < R.n; i++)
        if (!rank[R.r[i] >> 32]++) nobj++;
    sh.oid = ls__malloc((nobj ? nobj : 1) * sizeof *sh.oid);
    sh.roff = ls__malloc((nobj + 1) * sizeof *sh.roff);
    sh.objw = ls__calloc(nobj ? nobj : 1, sizeof *sh.objw);
    sh.rec = ls__big_malloc((R.n ? R.n : 1) * sizeof *sh.rec);
    if (!sh.oid || !sh.roff || !sh.objw || !sh.rec) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    {
        uint32_t r = 0, at = 0;
        for (uint64_t x = 0; x <= maxobj; x++)
            if (rank[x]) {
                uint32_t c = rank[x];
                sh.oid[r] = (uint32_t)x;
                sh.roff[r] = at;
                rank[x] = at;         /* next free place of object x */
                at += c;
                r++;
            }
        sh.roff[nobj] = at;
        for (size_t i = 0; i < R.n; i++) sh.rec[rank[R.r[i] >> 32]++] = (uint32_t)R.r[i];
    }
    ls__free(rank); rank = NULL;
    sh.nobj = (uint32_t)nobj;
    out->st.records = R.n;
    ls__recs_free(&R);

    sh.ctx = ctx; sh.st = st; sh.o = o; sh.T = T; sh.layer = layer; sh.jobs = jobs;
    /* Pair entries: one word when u, v and the evidence id fit in 64 bits. */
    unsigned ba = bits_for(nacc ? nacc - 1 : 0);
    uint64_t maxlo = o->qut ? (st->ns[LS_NS_POST].n ? st->ns[LS_NS_POST].n - 1 : 0) : (nobj ? nobj - 1 : 0);
    unsigned bo = bits_for(maxlo);
    if (!o->wide && 2 * ba + bo <= 64) {
        sh.esz = 8;
        sh.bo = bo;
        sh.su = ba + bo;
        sh.vmask = (1ULL << ba) - 1;
        sh.lomask = (1ULL << bo) - 1;
    } else sh.esz = sizeof(ls__kv);
    /* Buckets by the top (up to 8) bits of the first account: each sorts
     * in cache, and the buckets in order are the pair order. */
    unsigned lb = ba < 8 ? ba : 8;
    sh.NB = 1u << lb;
    sh.bshift = ba - lb;
    sh.be = ls__calloc(sh.NB, sizeof *sh.be);
    sh.bn = ls__calloc(sh.NB, sizeof *sh.bn);
    sh.bcap = ls__calloc(sh.NB, sizeof *sh.bcap);
    if (!sh.be || !sh.bn || !sh.bcap) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    uint64_t budget = ls__memory_budget(ctx);
    uint64_t fixed = out->st.records * 16 + (uint64_t)nacc * 8 * (uint64_t)T + (o->qut ? 0 : nobj * 8);
    uint64_t avail = budget > fixed + budget / 4 ? budget - fixed : budget / 4;
    /* A buffered entry costs esz bytes, plus up to as much again in the
     * sort scratch. */
    sh.limit = (size_t)(avail / (2 * sh.esz) / (uint64_t)T);
    if (sh.limit < 64) sh.limit = 64;
    for (int t = 0; t < T; t++) {
        cjob *j = &jobs[t];
        j->sh = &sh; j->tid = t;
        j->seen = ls__calloc((size_t)nacc / 64 + 1, sizeof *j->seen);
        j->out = ls__calloc(sh.NB, sizeof *j->out);
        j->nout = ls__calloc(sh.NB, sizeof *j->nout);
        j->bnext = ls__calloc((size_t)sh.NB << SUB_BITS, sizeof *j->bnext);
        j->bend = ls__calloc((size_t)sh.NB << SUB_BITS, sizeof *j->bend);
        if (!j->seen || !j->out || !j->nout || !j->bnext || !j->bend) {
            rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done;
        }
    }
    out->activity = sh.activity = ls__calloc(nacc ? nacc : 1, sizeof *out->activity);
    if (!out->activity) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    if (layer == LS_L_TEXT && !o->qut &&
        (!(sh.expo = ls__calloc(nacc ? nacc : 1, sizeof *sh.expo)) ||
         !(out->partners = sh.partners = ls__calloc(nacc ? nacc : 1, sizeof *out->partners)))) {
        rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done;
    }
    ls__timing("  %s: group by object", ls__layer_name(layer));

    run_threads(T, phase1, jobs);
    ls__free(sh.rec); sh.rec = NULL;
    if ((rc = jobs_failed(ctx, layer, T, jobs)) != LS_OK) goto done;
    ls__store_drop_pages(st);
    ls__timing("  %s: phase1 sweep", ls__layer_name(layer));
    sh.next = 0;
    run_threads(T, phase3, jobs);
    for (int t = 0; t < T; t++) { ls__free(jobs[t].buf); jobs[t].buf = NULL; jobs[t].bufcap = 0; }
    if ((rc = jobs_failed(ctx, layer, T, jobs)) != LS_OK) goto done;
    ls__timing("  %s: merge+count", ls__layer_name(layer));

    /* Totals, activity, then the significance in parallel. */
    double P = 0, A = 0;
    for (int t = 0; t < T; t++) {
        P += jobs[t].P;
        out->st.pairs_distinct += jobs[t].npairs;
        out->st.objects += jobs[t].st.objects;
        out->st.pairs_emitted += jobs[t].st.pairs_emitted;
        out->st.objects_capped += jobs[t].st.objects_capped;
        out->st.accounts_dropped += jobs[t].st.accounts_dropped;
        out->st.pairs_capped += jobs[t].st.pairs_capped;
        out->st.spill_runs += jobs[t].st.spill_runs;
    }
    for (uint32_t a = 0; a < nacc; a++) A += out->activity[a];
    if (!o->qut) {
        /* Significance: lambda_uv = 2 P a_u a_v / A^2 (see docs/networks.md). */
        if (A > 0) {
            out->st.lambda_scale = 2.0 * P / (A * A);
            sh.lambda_scale = out->st.lambda_scale;
            sh.act = out->activity;
            sh.A = A;
        }
        if (o->keep_alpha > 0) {
            sh.keep_on = 1;
            uint64_t np = out->st.pairs_distinct;
            sh.keep_thr = np ? log10((double)np / o->keep_alpha) : 0;
            if (sh.keep_thr < 0) sh.keep_thr = 0;
            if (o->keep_weak > 0 && o->keep_weak < sh.keep_thr) {
                sh.keep_weak = o->keep_weak;
                sh.strong = ls__calloc(nacc ? nacc : 1, 1);
                if (!sh.strong) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
            }
        }
        sh.next = 0;
        run_threads(T, phase4, jobs);
        if (sh.strong && o->keep_weak_comp > 1) {
            /* Components of the strong edges (union-find, smaller root
             * wins: the same at any thread count); accounts in one below
             * keep_weak_comp keep their weak edges. */
            uint32_t *par = ls__malloc((nacc ? nacc : 1) * sizeof *par), *sz = ls__calloc(nacc ? nacc : 1, sizeof *sz);
            if (!par || !sz) { ls__free(par); ls__free(sz); rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
            for (uint32_t a = 0; a < nacc; a++) par[a] = a;
            for (unsigned b = 0; b < sh.NB; b++)
                for (size_t i = 0; i < sh.bn[b]; i++) {
                    const ls__edge *e = &sh.be[b][i];
                    if (e->sig < sh.keep_thr) continue;
                    uint32_t x = e->u, y = e->v;
                    while (par[x] != x) x = par[x] = par[par[x]];
                    while (par[y] != y) y = par[y] = par[par[y]];
                    if (x != y) { if (x < y) par[y] = x; else par[x] = y; }
                }
            for (uint32_t a = 0; a < nacc; a++) {
                uint32_t x = a;
                while (par[x] != x) x = par[x];
                par[a] = x;
                sz[x]++;
            }
            for (uint32_t a = 0; a < nacc; a++)
                if (sh.strong[a] && sz[par[a]] < o->keep_weak_comp) sh.strong[a] = 0;
            ls__free(par); ls__free(sz);
        }
        if (sh.strong) {
            sh.next = 0;
            sh.weak_pass = 1;
            run_threads(T, phase4, jobs);
            ls__free(sh.strong);
            sh.strong = NULL;
        }
    }

    /* Gather: the buckets in order; each is freed once copied, so the
     * edges are held about once, not twice. */
    size_t total = 0, n = 0;
    for (unsigned b = 0; b < sh.NB; b++) total += sh.bn[b];
    out->e = ls__big_malloc((total ? total : 1) * sizeof *out->e);
    if (!out->e) { rc = ls__fail(ctx, LS_ERR_NOMEM, "co-action: out of memory"); goto done; }
    for (unsigned b = 0; b < sh.NB; b++) {
        if (sh.bn[b]) memcpy(out->e + n, sh.be[b], sh.bn[b] * sizeof *out->e);
        n += sh.bn[b];
        ls__free(sh.be[b]); sh.be[b] = NULL;
    }
    out->n = n;
    ls__timing("  %s: significance+gather (%zu edges of %llu pairs, %llu entries)", ls__layer_name(layer), n,
               (unsigned long long)out->st.pairs_distinct, (unsigned long long)out->st.pairs_emitted);
done:
    for (int t = 0; t < MAXT; t++) {
        cjob *j = &jobs[t];
        ls__free(j->buf); ls__free(j->scr);
        ls__free(j->out); ls__free(j->nout); ls__free(j->bnext); ls__free(j->bend);
        for (size_t r = 0; r < j->nruns; r++) { close(j->runs[r].fd); ls__free(j->runs[r].off); }
        ls__free(j->runs);
        ls__free(j->seen);
        ls__free(j->rt); ls__free(j->ra); ls__free(j->rp); ls__free(j->rpas);
        ls__free(j->hs); ls__free(j->hs_tmp);
        ls__free(j->lp); ls__free(j->lp_tmp);
    }
    for (unsigned b = 0; sh.be && b < sh.NB; b++) ls__free(sh.be[b]);
    ls__free(sh.be); ls__free(sh.bn); ls__free(sh.bcap);
    ls__free(sh.expo);
    ls__free(rank);
    ls__free(sh.objw); ls__free(sh.oid); ls__free(sh.roff); ls__free(sh.rec);
    ls__recs_free(&R);
    if (rc != LS_OK) ls__edges_free(out);
    return rc;
}
