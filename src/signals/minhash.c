/*
 * minhash.c — near-duplicate text without all-pairs comparison.
 *
 * Signatures are one-permutation MinHash: each shingle is hashed once
 * into one of LS__MH_K bins, keeping the minimum per bin, and empty bins
 * are filled by optimal densification (Shrivastava 2017), so a text of s
 * shingles costs O(s + K).  (Classic K-hash MinHash was 30x slower; the
 * simpler rotation densification made unrelated short texts collide.)  Shingles are 4-grams of code
 * points, which works for Chinese and other scripts without spaces.
 * LSH bands of LSH_R values give candidate pairs; candidates are kept when
 * the estimated Jaccard (share of equal bins) reaches the threshold, and
 * union-find turns kept pairs into clusters.
 */
#include "signals.h"
#include <pthread.h>
#include <utf8proc.h>

#define LSH_R 4
#define LSH_B (LS__MH_K / LSH_R)

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* Runs fn(arg, t, T) for t = 0..T-1, t = 0 on this thread; a thread that
 * cannot be started runs here afterwards, so the work is always done and
 * (as fn must only depend on t and T) the result is the same. */
typedef struct par_tramp { void (*fn)(void *, int, int); void *arg; int t, T; } par_tramp;
static void *par_start(void *p)
{
    par_tramp *q = p;
    q->fn(q->arg, q->t, q->T);
    return NULL;
}

void ls__par_for(int T, void (*fn)(void *arg, int t, int T), void *arg)
{
    enum { MAXT = 16 };
    if (T < 1) T = 1;
    if (T > MAXT) T = MAXT;
    pthread_t th[MAXT];
    par_tramp tr[MAXT];
    int ok[MAXT] = { 0 };
    for (int t = 1; t < T; t++) {
        tr[t] = (par_tramp){ fn, arg, t, T };
        ok[t] = pthread_create(&th[t], NULL, par_start, &tr[t]) == 0;
    }
    fn(arg, 0, T);
    for (int t = 1; t < T; t++) {
        if (ok[t]) pthread_join(th[t], NULL);
        else fn(arg, t, T);
    }
}

/* Bin probed on attempt att for empty bin k (see below). */
static inline unsigned probe_bin(uint64_t seed, int k, uint64_t att)
{
    return (unsigned)(mix64(seed ^ ((uint64_t)k << 32 | att) ^ 0xd6e8feb86659fd93ULL) >> 58);
}

/* The first MH_PROBES probes of every bin for one seed, so that a batch
 * of signatures does not recompute them per text. */
#define MH_PROBES 16
typedef struct mh_probes { uint8_t bin[LS__MH_K][MH_PROBES]; } mh_probes;
static void probes_init(mh_probes *p, uint64_t seed)
{
    for (int k = 0; k < LS__MH_K; k++)
        for (int a = 0; a < MH_PROBES; a++) p->bin[k][a] = (uint8_t)probe_bin(seed, k, (uint64_t)a);
}

static void minhash_core(const uint64_t *h, size_t n, uint64_t seed, const mh_probes *pt,
                         uint32_t *sig)
{
    uint32_t orig[LS__MH_K];
    for (int k = 0; k < LS__MH_K; k++) orig[k] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = mix64(h[i] ^ seed);
        unsigned bin = (unsigned)(x >> 58);            /* top 6 bits: 64 bins */
        /* 32 value bits below the bin bits; UINT32_MAX is kept for
         * "empty". */
        uint32_t v = (uint32_t)(x >> 26);
        if (v == UINT32_MAX) v--;
        if (v < orig[bin]) orig[bin] = v;
    }
    uint64_t full = 0;   /* bit k: bin k has a value */
    for (int k = 0; k < LS__MH_K; k++) {
        sig[k] = orig[k];
        full |= (uint64_t)(orig[k] != UINT32_MAX) << k;
    }
    if (full == 0 || full == UINT64_MAX) return;
    /* Optimal densification: an empty bin k copies the bin found by the
     * probe sequence hash(seed, k, attempt), the same for every text, so
     * two texts agree on k with probability J (unbiased), and unrelated
     * texts do not share whole bands of copied values.  With a probe
     * table, four probes are tested at a time without branching. */
    for (uint64_t empty = ~full; empty; empty &= empty - 1) {
        int k = __builtin_ctzll(empty);
        uint64_t att = 0;
        if (pt) {
            const uint8_t *b = pt->bin[k];
            unsigned hit = 0;
            for (; att < MH_PROBES; att += 4) {
                hit = (unsigned)((full >> b[att]) & 1) | (unsigned)((full >> b[att + 1]) & 1) << 1 |
                      (unsigned)((full >> b[att + 2]) & 1) << 2 | (unsigned)((full >> b[att + 3]) & 1) << 3;
                if (hit) break;
            }
            if (hit) { sig[k] = orig[b[att + (unsigned)__builtin_ctz(hit)]]; continue; }
        }
        for (;; att++) {
            unsigned j = probe_bin(seed, k, att);
            if ((full >> j) & 1) { sig[k] = orig[j]; break; }
            if (att > 4096) {   /* practically unreachable: linear fallback */
                for (int q = 1; q < LS__MH_K; q++)
                    if (orig[(k + q) % LS__MH_K] != UINT32_MAX) { sig[k] = orig[(k + q) % LS__MH_K]; break; }
                break;
            }
        }
    }
}

void ls__minhash_set(const uint64_t *h, size_t n, uint64_t seed, uint32_t *sig)
{
    minhash_core(h, n, seed, NULL, sig);
}

/* Shingle hashes of one normalised text: 4-grams of code points, or the
 * whole text when it is shorter. */
static int shingles(ls__str t, uint64_t seed, uint64_t **h, size_t *cap, size_t *n,
                    int32_t **cp, size_t *cpcap)
{
    size_t m = 0;
    for (size_t i = 0; i < t.n;) {
        int32_t c;
        utf8proc_ssize_t k = 1;
        if ((unsigned char)t.p[i] < 0x80) c = (unsigned char)t.p[i];   /* as utf8proc_iterate */
        else {
            k = utf8proc_iterate((const utf8proc_uint8_t *)t.p + i, (utf8proc_ssize_t)(t.n - i), &c);
            if (k <= 0) { c = 0xFFFD; k = 1; }
        }
        if (m == *cpcap && ls__grow((void **)cp, cpcap, m + 1, sizeof **cp) != LS_OK) return LS_ERR_NOMEM;
        (*cp)[m++] = c;
        i += (size_t)k;
    }
    *n = 0;
    if (m == 0) return LS_OK;
    size_t ns = m < 4 ? 1 : m - 3, w = m < 4 ? m : 4;
    if (ls__grow((void **)h, cap, ns, sizeof **h) != LS_OK) return LS_ERR_NOMEM;
    for (size_t i = 0; i < ns; i++)
        (*h)[i] = ls__hash64(*cp + i, w * sizeof(int32_t), seed);
    *n = ns;
    return LS_OK;
}

typedef struct mh_job {
    const ls__str *texts;
    size_t n;
    uint64_t seed;
    uint32_t *sig;
    int rc[16];
} mh_job;

/* Signatures of texts [n*t/T, n*(t+1)/T). */
static void mh_run(void *arg, int t, int T)
{
    mh_job *j = arg;
    uint64_t *h = NULL; size_t hcap = 0, hn;
    int32_t *cp = NULL; size_t cpcap = 0;
    mh_probes pt;
    probes_init(&pt, j->seed);
    j->rc[t] = LS_OK;
    for (size_t i = j->n * (size_t)t / (size_t)T; i < j->n * (size_t)(t + 1) / (size_t)T; i++) {
        if ((j->rc[t] = shingles(j->texts[i], j->seed, &h, &hcap, &hn, &cp, &cpcap)) != LS_OK) break;
        minhash_core(h, hn, j->seed, &pt, j->sig + i * LS__MH_K);
    }
    ls__free(h);
    ls__free(cp);
}

int ls__minhash_texts32(ls_ctx *ctx, const ls__str *texts, size_t n,
                        uint64_t seed, uint32_t *sig)
{
    int T = ls__threads(ctx);
    if (T > 16) T = 16;
    if (n < 1024) T = 1;
    mh_job j = { texts, n, seed, sig, { 0 } };
    ls__par_for(T, mh_run, &j);
    for (int t = 0; t < T; t++)
        if (j.rc[t] != LS_OK) return ls__fail(ctx, j.rc[t], "minhash: out of memory");
    return LS_OK;
}

typedef struct ms_job {
    const ls__str *sets;
    size_t n;
    uint64_t seed;
    uint32_t *sig;
} ms_job;

static void ms_run(void *arg, int t, int T)
{
    ms_job *j = arg;
    mh_probes pt;
    probes_init(&pt, j->seed);
    for (size_t i = j->n * (size_t)t / (size_t)T; i < j->n * (size_t)(t + 1) / (size_t)T; i++)
        minhash_core((const uint64_t *)(const void *)j->sets[i].p, j->sets[i].n / sizeof(uint64_t),
                     j->seed, &pt, j->sig + i * LS__MH_K);
}

void ls__minhash_sets32(ls_ctx *ctx, const ls__str *sets, size_t n, uint64_t seed, uint32_t *sig)
{
    int T = ls__threads(ctx);
    if (n < 1024) T = 1;
    ms_job j = { sets, n, seed, sig };
    ls__par_for(T, ms_run, &j);
}

int ls__minhash_texts(ls_ctx *ctx, const ls__str *texts, size_t n,
                      uint64_t seed, uint64_t *sig)
{
    /* 32-bit signatures in a scratch buffer, then widened. */
    uint32_t *s32 = ls__big_malloc((n ? n : 1) * LS__MH_K * sizeof *s32);
    if (!s32) return ls__fail(ctx, LS_ERR_NOMEM, "minhash: out of memory");
    int rc = ls__minhash_texts32(ctx, texts, n, seed, s32);
    for (size_t i = 0; rc == LS_OK && i < n * LS__MH_K; i++)
        sig[i] = s32[i] == UINT32_MAX ? UINT64_MAX : s32[i];
    ls__free(s32);
    return rc;
}

static int sig_empty(const uint32_t *s) { return s[0] == UINT32_MAX; }

/* Fills kv with (band hash, index) for band b of every non-empty text. */
static size_t band_keys(const uint32_t *sig, size_t n, int b, ls__kv *kv)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const uint32_t *s = sig + i * LS__MH_K;
        if (sig_empty(s)) continue;
        kv[m].hi = ls__hash64(s + b * LSH_R, LSH_R * sizeof(uint32_t), 0xb4d0 + (uint64_t)b);
        kv[m].lo = i;
        m++;
    }
    return m;
}

void ls__radix_u64_from(uint64_t *a, uint64_t *tmp, size_t n, int lo_bit)
{
    enum { BITS = 11, SIZE = 1 << BITS, PASS = 6 };
    if (n < 2 || lo_bit >= 64) return;
    if (n <= 64) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = a[i];
            size_t j = i;
            while (j > 0 && (a[j - 1] >> lo_bit) > (x >> lo_bit)) { a[j] = a[j - 1]; j--; }
            a[j] = x;
        }
        return;
    }
    int np = (64 - lo_bit + BITS - 1) / BITS;
    static _Thread_local size_t hist[PASS][SIZE];
    memset(hist, 0, sizeof hist);
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i] >> lo_bit;
        for (int p = 0; p < np; p++) hist[p][(k >> (p * BITS)) & (SIZE - 1)]++;
    }
    uint64_t *src = a, *dst = tmp;
    for (int p = 0; p < np; p++) {
        size_t *h = hist[p];
        int sh = lo_bit + p * BITS;
        if (h[(a[0] >> sh) & (SIZE - 1)] == n) continue;   /* constant digit */
        size_t sum = 0;
        for (unsigned d = 0; d < SIZE; d++) { size_t c = h[d]; h[d] = sum; sum += c; }
        for (size_t i = 0; i < n; i++) {
            uint64_t k = src[i];
            dst[h[(k >> sh) & (SIZE - 1)]++] = k;
        }
        uint64_t *t = src; src = dst; dst = t;
    }
    if (src != a) memcpy(a, src, n * sizeof *a);
}

/* ---- clustering ----
 * For each band in turn, texts are grouped by the band's 64-bit hash
 * (buckets, in hash order, texts ascending in each), and in each bucket
 * every text is compared with the bucket's first text and, failing that,
 * with its predecessor; a pair whose estimated Jaccard reaches the
 * threshold is joined (union-find, the smaller index the root).  A text
 * already joined with the bucket's first text is skipped, so the joins
 * depend on the order of buckets and bands, which is kept exactly.
 *
 * The work is split so both cores help and the result is unchanged:
 *   1. keys: x = (top LSH_HBITS bits of the band hash) << ib | index, and
 *      lo[index] = its low 32 bits, on row ranges in parallel;
 *   2. a parallel stable radix sort of x over the hash bits only (the
 *      index order within a run is kept: 3 passes of 11 bits);
 *   3. codes, on run-aligned ranges in parallel: runs that share top bits
 *      but not low bits are split into buckets by (low bits, index), and
 *      each text gets the outcome of its comparisons (join the first,
 *      join the predecessor, neither), which depends on the signatures
 *      only, or "skip" when a snapshot of the roots taken before the band
 *      already has it joined with the first (joins are never undone);
 *   4. the joins, in order, on one thread: a text not yet joined with its
 *      bucket's first is joined as its code says.  This touches only the
 *      root array; the signatures were read in step 3.
 * Comparisons read signatures at random, which dominates: each text also
 * gets a 32-byte fingerprint (the low 4 bits of each value), and a pair
 * whose fingerprints agree in fewer than the needed number of places
 * cannot have that many equal values, so most pairs are rejected from
 * half a cache line without reading the signatures. */
#define LSH_HBITS 33
#define LSH_FP (LS__MH_K / 2)   /* fingerprint bytes per text */
#define LSH_AHEAD 16           /* elements prefetched ahead in step 3 */
enum { C_NONE = 0, C_FIRST = 1, C_PRED = 2, C_SKIP = 3, C_START = 4 };

typedef struct lsh_sh {
    const uint32_t *sig;
    size_t n, m;
    int ib, need, b, T, shift;
    uint64_t imask;
    uint64_t *x, *tmp;
    uint32_t *lo, *root;
    uint8_t *code, *fp, *full;   /* full[i]: signature i is not empty */
    size_t *rows;              /* T + 1 row bounds */
    size_t *pos;               /* T + 1 first key position of each */
    size_t *cut;               /* T + 1 run-aligned bounds in x */
    size_t (*hist)[1 << 11];   /* T histograms of the current pass */
    uint64_t *src, *dst;
    int rc[16];
} lsh_sh;

/* Counts the non-empty signatures of a row range and writes their
 * fingerprints. */
static void lsh_count(void *arg, int t, int T)
{
    lsh_sh *L = arg;
    (void)T;
    size_t c = 0;
    for (size_t i = L->rows[t]; i < L->rows[t + 1]; i++) {
        const uint32_t *s = L->sig + i * LS__MH_K;
        uint8_t *f = L->fp + i * LSH_FP;
        L->full[i] = !sig_empty(s);
        c += L->full[i];
        for (int k = 0; k < LSH_FP; k++) f[k] = (uint8_t)((s[2 * k] & 15) | (s[2 * k + 1] & 15) << 4);
    }
    L->pos[t + 1] = c;
}

static void lsh_keys(void *arg, int t, int T)
{
    lsh_sh *L = arg;
    (void)T;
    size_t m = L->pos[t];
    const int b = L->b, ib = L->ib;
    for (size_t i = L->rows[t]; i < L->rows[t + 1]; i++) {
        /* The flag, not the signature's first line: a band past the
         * first four reads one cache line of each row, not two. */
        if (!L->full[i]) continue;
        const uint32_t *s = L->sig + i * LS__MH_K;
        uint64_t h = ls__hash64(s + b * LSH_R, LSH_R * sizeof(uint32_t), 0xb4d0 + (uint64_t)b);
        L->x[m++] = (h >> (64 - LSH_HBITS)) << ib | i;
        L->lo[i] = (uint32_t)h;
    }
}

static void lsh_hist(void *arg, int t, int T)
{
    lsh_sh *L = arg;
    size_t *h = L->hist[t];
    memset(h, 0, sizeof L->hist[t]);
    for (size_t i = L->m * (size_t)t / (size_t)T; i < L->m * (size_t)(t + 1) / (size_t)T; i++)
        h[(L->src[i] >> L->shift) & 2047]++;
}

static void lsh_scatter(void *arg, int t, int T)
{
    lsh_sh *L = arg;
    size_t *h = L->hist[t];
    for (size_t i = L->m * (size_t)t / (size_t)T; i < L->m * (size_t)(t + 1) / (size_t)T; i++) {
        uint64_t k = L->src[i];
        L->dst[h[(k >> L->shift) & 2047]++] = k;
    }
}

/* Step 2: stable LSD sort of x[0..m) over bits ib..63 (constant digits
 * skipped), histograms and scatters on T contiguous slices. */
static void lsh_sort(lsh_sh *L)
{
    L->src = L->x; L->dst = L->tmp;
    for (int sh = L->ib; sh < 64; sh += 11) {
        L->shift = sh;
        ls__par_for(L->T, lsh_hist, L);
        size_t sum = 0, d0 = (L->src[0] >> sh) & 2047, c0 = 0;
        for (int t = 0; t < L->T; t++) c0 += L->hist[t][d0];
        if (c0 == L->m) continue;   /* constant digit */
        for (unsigned d = 0; d < 2048; d++)
            for (int t = 0; t < L->T; t++) { size_t c = L->hist[t][d]; L->hist[t][d] = sum; sum += c; }
        ls__par_for(L->T, lsh_scatter, L);
        uint64_t *q = L->src; L->src = L->dst; L->dst = q;
    }
    /* The sorted keys are in src: make that x (both are scratch). */
    if (L->src != L->x) { L->tmp = L->x; L->x = L->src; }
}

/* Whether at least need of the LS__MH_K values are equal.  The second
 * half is read only when the first leaves need reachable: unrelated
 * texts are told apart from two of a signature's four cache lines. */
static int sim_ge(const uint32_t *a, const uint32_t *b, int need)
{
    int eq = 0;
    for (int k = 0; k < LS__MH_K / 2; k++) eq += a[k] == b[k];
    if (eq + LS__MH_K / 2 < need) return 0;
    for (int k = LS__MH_K / 2; k < LS__MH_K; k++) eq += a[k] == b[k];
    return eq >= need;
}

/* Whether the fingerprints agree in at least need of their LS__MH_K
 * nibbles (equal values have equal nibbles, so fewer means fewer equal
 * values). */
static int fp_ge(const uint8_t *a, const uint8_t *b, int need)
{
    int eq = 0;
    for (int w = 0; w < LSH_FP / 8; w++) {
        uint64_t x, y;
        memcpy(&x, a + 8 * w, 8);
        memcpy(&y, b + 8 * w, 8);
        x ^= y;
        x |= x >> 1;
        x |= x >> 2;
        x &= 0x1111111111111111ULL;                 /* 1 per differing nibble */
        x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;  /* per byte: 0..2 */
        eq += 16 - (int)((x * 0x0101010101010101ULL) >> 56);
    }
    return eq >= need;
}

static int pair_ge(const lsh_sh *L, uint32_t a, uint32_t b)
{
    return fp_ge(L->fp + (size_t)a * LSH_FP, L->fp + (size_t)b * LSH_FP, L->need) &&
           sim_ge(L->sig + (size_t)a * LS__MH_K, L->sig + (size_t)b * LS__MH_K, L->need);
}

/* Codes of one bucket x[s..e) (ascending indices). */
static void bucket_codes(const lsh_sh *L, const uint64_t *x, uint8_t *code, size_t s, size_t e)
{
    uint32_t f = (uint32_t)(x[s] & L->imask);
    code[s] = C_START;
    for (size_t q = s + 1; q < e; q++) {
        uint32_t i = (uint32_t)(x[q] & L->imask);
        if (L->root[i] == L->root[f]) code[q] = C_SKIP;   /* roots are compressed */
        else if (pair_ge(L, f, i)) code[q] = C_FIRST;
        else if (q > s + 1 && pair_ge(L, (uint32_t)(x[q - 1] & L->imask), i)) code[q] = C_PRED;
        else code[q] = C_NONE;
    }
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Step 3 on x[cut[t]..cut[t+1]). */
static void lsh_codes(void *arg, int t, int T)
{
    lsh_sh *L = arg;
    (void)T;
    uint64_t *x = L->x, *mix = NULL;
    size_t mcap = 0, lo_q = L->cut[t], hi_q = L->cut[t + 1], pf = lo_q;
    const int ib = L->ib;
    L->rc[t] = LS_OK;
#define TOP(q) (x[q] >> ib)
#define IDX(q) ((uint32_t)(x[q] & L->imask))
    for (size_t s = lo_q; s < hi_q;) {
        size_t e = s + 1;
        while (e < hi_q && TOP(e) == TOP(s)) e++;
        /* Fetch the data of multi-text runs a little ahead: random reads
         * dominate. */
        for (size_t want = LS__MIN(hi_q, e + LSH_AHEAD); pf < want; pf++) {
            if (!((pf > lo_q && TOP(pf) == TOP(pf - 1)) || (pf + 1 < hi_q && TOP(pf + 1) == TOP(pf))))
                continue;
            uint32_t i = IDX(pf);
            __builtin_prefetch(&L->lo[i]);
            __builtin_prefetch(&L->root[i]);
            __builtin_prefetch(L->fp + (size_t)i * LSH_FP);
        }
        if (e - s > 1) {
            uint32_t l0 = L->lo[IDX(s)];
            size_t q = s;
            while (q < e && L->lo[IDX(q)] == l0) q++;
            if (q < e) {
                /* Top bits shared by different band hashes: order the run
                 * by (low bits, index), i.e. buckets in hash order. */
                if (ls__grow((void **)&mix, &mcap, e - s, sizeof *mix) != LS_OK) { L->rc[t] = LS_ERR_NOMEM; break; }
                for (q = s; q < e; q++) mix[q - s] = (uint64_t)L->lo[IDX(q)] << 32 | IDX(q);
                qsort(mix, e - s, sizeof *mix, u64_cmp);
                for (q = s; q < e; q++) x[q] = (x[q] & ~L->imask) | (mix[q - s] & 0xffffffffULL);
                for (size_t g = s; g < e;) {
                    size_t h = g + 1;
                    while (h < e && mix[h - s] >> 32 == mix[g - s] >> 32) h++;
                    bucket_codes(L, x, L->code, g, h);
                    g = h;
                }
            } else {
                bucket_codes(L, x, L->code, s, e);
            }
        } else {
            L->code[s] = C_START;
        }
        s = e;
    }
#undef TOP
#undef IDX
    ls__free(mix);
}


/* Smallest count of equal values whose share reaches threshold (65:
 * none does), so that "estimated Jaccard >= threshold" is eq >= need. */
static int need_equal(double threshold)
{
    for (int e = 0; e <= LS__MH_K; e++) if ((double)e / LS__MH_K >= threshold) return e;
    return LS__MH_K + 1;
}

int ls__lsh_cluster(ls_ctx *ctx, const uint32_t *sig, size_t n,
                    double threshold, uint32_t *root)
{
    int rc = LS_OK;
    lsh_sh L;
    memset(&L, 0, sizeof L);
    if (n > UINT32_MAX - 1) return ls__fail(ctx, LS_ERR_LIMIT, "minhash: too many texts");
    for (size_t i = 0; i < n; i++) root[i] = (uint32_t)i;
    if (n == 0) return LS_OK;
    L.sig = sig; L.n = n; L.root = root;
    L.need = need_equal(threshold);
    L.T = ls__threads(ctx);
    if (L.T > 16) L.T = 16;
    if (n < 4096) L.T = 1;
    L.ib = 1;
    while (((uint64_t)1 << L.ib) < n) L.ib++;
    L.imask = ((uint64_t)1 << L.ib) - 1;
    L.x = ls__big_malloc(n * sizeof *L.x);
    L.tmp = ls__big_malloc(n * sizeof *L.tmp);
    L.lo = ls__big_malloc(n * sizeof *L.lo);
    L.code = ls__big_malloc(n);
    L.fp = ls__big_malloc(n * LSH_FP);
    L.full = ls__big_malloc(n);
    L.rows = ls__malloc(3 * ((size_t)L.T + 1) * sizeof *L.rows);
    L.hist = ls__malloc((size_t)L.T * sizeof *L.hist);
    if (!L.x || !L.tmp || !L.lo || !L.code || !L.fp || !L.full || !L.rows || !L.hist) { rc = LS_ERR_NOMEM; goto done; }
    L.pos = L.rows + L.T + 1;
    L.cut = L.pos + L.T + 1;
    for (int t = 0; t <= L.T; t++) L.rows[t] = n * (size_t)t / (size_t)L.T;
    L.pos[0] = 0;
    ls__par_for(L.T, lsh_count, &L);
    for (int t = 0; t < L.T; t++) L.pos[t + 1] += L.pos[t];
    L.m = L.pos[L.T];
    for (int b = 0; b < LSH_B && L.m > 0; b++) {
        L.b = b;
        ls__par_for(L.T, lsh_keys, &L);
        lsh_sort(&L);
        /* Run-aligned slices for step 3. */
        const uint64_t *x = L.x;
        L.cut[0] = 0;
        for (int t = 1; t < L.T; t++) {
            size_t c = LS__MAX(L.cut[t - 1], L.m * (size_t)t / (size_t)L.T);
            while (c > 0 && c < L.m && x[c] >> L.ib == x[c - 1] >> L.ib) c++;
            L.cut[t] = c;
        }
        L.cut[L.T] = L.m;
        ls__par_for(L.T, lsh_codes, &L);
        for (int t = 0; t < L.T; t++) if (L.rc[t] != LS_OK) { rc = L.rc[t]; goto done; }
        /* Step 4. */
        uint32_t f = 0, r0 = 0;
        for (size_t q = 0; q < L.m; q++) {
            uint8_t c = L.code[q];
            uint32_t i = (uint32_t)(x[q] & L.imask);
            if (c == C_START) { f = i; r0 = ls__uf_find(root, f); continue; }
            if (c == C_SKIP || c == C_NONE) continue;
            if (ls__uf_find(root, i) == r0) continue;
            ls__uf_union(root, c == C_FIRST ? f : (uint32_t)(x[q - 1] & L.imask), i);
            r0 = ls__uf_find(root, f);
        }
        /* Compress: parents have smaller indices, so one ascending pass
         * leaves every entry at its root (the snapshot of step 3). */
        for (size_t i = 0; i < n; i++) root[i] = root[root[i]];
    }
    for (size_t i = 0; i < n; i++) root[i] = ls__uf_find(root, (uint32_t)i);
done:
    ls__free(L.x);
    ls__free(L.tmp);
    ls__free(L.lo);
    ls__free(L.code);
    ls__free(L.fp);
    ls__free(L.full);
    ls__free(L.rows);
    ls__free(L.hist);
    if (rc != LS_OK) return ls__fail(ctx, rc, "lsh: out of memory");
    return LS_OK;
}

int ls__lsh_pairs(ls_ctx *ctx, const uint32_t *sig, size_t n,
                  uint64_t **pairs, size_t *n_pairs)
{
    int rc = LS_OK;
    ls__kv *kv = NULL, *tmp = NULL;
    uint64_t *p = NULL, *ptmp = NULL;
    size_t np = 0, pcap = 0;
    *pairs = NULL; *n_pairs = 0;
    if (n == 0) return LS_OK;
    kv = ls__big_malloc(n * sizeof *kv);
    tmp = ls__big_malloc(n * sizeof *tmp);
    if (!kv || !tmp) { rc = LS_ERR_NOMEM; goto done; }
    for (int b = 0; b < LSH_B; b++) {
        size_t m = band_keys(sig, n, b, kv);
        ls__radix_kv(kv, tmp, m);
        for (size_t s = 0; s < m;) {
            size_t e = s + 1;
            while (e < m && kv[e].hi == kv[s].hi) e++;
            for (size_t i = s; i < e; i++)
                for (size_t j = i + 1; j < e; j++) {
                    if ((rc = ls__grow((void **)&p, &pcap, np + 1, sizeof *p)) != LS_OK) goto done;
                    p[np++] = kv[i].lo << 32 | kv[j].lo;   /* kv sorted: i < j */
                }
            s = e;
        }
        /* Deduplicate as we go so that memory follows distinct pairs. */
        if (np > 0) {
            ptmp = ls__realloc(ptmp, np * sizeof *ptmp);
            if (!ptmp) { rc = LS_ERR_NOMEM; goto done; }
            ls__radix_u64(p, ptmp, np);
            size_t u = 0;
            for (size_t i = 0; i < np; i++) if (u == 0 || p[u - 1] != p[i]) p[u++] = p[i];
            np = u;
        }
    }
    *pairs = p; *n_pairs = np; p = NULL;
done:
    ls__free(kv); ls__free(tmp); ls__free(p); ls__free(ptmp);
    if (rc != LS_OK) return ls__fail(ctx, rc, "lsh: out of memory");
    return LS_OK;
}
