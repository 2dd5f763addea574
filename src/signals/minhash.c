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

void ls__minhash_set(const uint64_t *h, size_t n, uint64_t seed, uint32_t *sig)
{
    uint32_t orig[LS__MH_K];
    int filled = 0;
    for (int k = 0; k < LS__MH_K; k++) orig[k] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = mix64(h[i] ^ seed);
        unsigned bin = (unsigned)(x >> 58);            /* top 6 bits: 64 bins */
        /* 32 value bits below the bin bits; UINT32_MAX is kept for
         * "empty". */
        uint32_t v = (uint32_t)(x >> 26);
        if (v == UINT32_MAX) v--;
        if (orig[bin] == UINT32_MAX) filled++;
        if (v < orig[bin]) orig[bin] = v;
    }
    for (int k = 0; k < LS__MH_K; k++) sig[k] = orig[k];
    if (filled == 0 || filled == LS__MH_K) return;
    /* Optimal densification: an empty bin k copies the bin found by the
     * probe sequence hash(seed, k, attempt), the same for every text, so
     * two texts agree on k with probability J (unbiased), and unrelated
     * texts do not share whole bands of copied values. */
    for (int k = 0; k < LS__MH_K; k++) {
        if (orig[k] != UINT32_MAX) continue;
        for (uint64_t att = 0;; att++) {
            unsigned j = (unsigned)(mix64(seed ^ ((uint64_t)k << 32 | att) ^ 0xd6e8feb86659fd93ULL) >> 58);
            if (orig[j] != UINT32_MAX) { sig[k] = orig[j]; break; }
            if (att > 4096) {   /* practically unreachable: linear fallback */
                for (int q = 1; q < LS__MH_K; q++)
                    if (orig[(k + q) % LS__MH_K] != UINT32_MAX) { sig[k] = orig[(k + q) % LS__MH_K]; break; }
                break;
            }
        }
    }
}

/* Shingle hashes of one normalised text: 4-grams of code points, or the
 * whole text when it is shorter. */
static int shingles(ls__str t, uint64_t seed, uint64_t **h, size_t *cap, size_t *n,
                    int32_t **cp, size_t *cpcap)
{
    size_t m = 0;
    for (size_t i = 0; i < t.n;) {
        int32_t c;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t.p + i,
                                              (utf8proc_ssize_t)(t.n - i), &c);
        if (k <= 0) { c = 0xFFFD; k = 1; }
        if (ls__grow((void **)cp, cpcap, m + 1, sizeof **cp) != LS_OK) return LS_ERR_NOMEM;
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
    size_t lo, hi;
    uint64_t seed;
    uint32_t *sig;
    int rc;
} mh_job;

static void *mh_run(void *arg)
{
    mh_job *j = arg;
    uint64_t *h = NULL; size_t hcap = 0, hn;
    int32_t *cp = NULL; size_t cpcap = 0;
    j->rc = LS_OK;
    for (size_t i = j->lo; i < j->hi; i++) {
        if ((j->rc = shingles(j->texts[i], j->seed, &h, &hcap, &hn, &cp, &cpcap)) != LS_OK) break;
        ls__minhash_set(h, hn, j->seed, j->sig + i * LS__MH_K);
    }
    ls__free(h);
    ls__free(cp);
    return NULL;
}

int ls__minhash_texts32(ls_ctx *ctx, const ls__str *texts, size_t n,
                        uint64_t seed, uint32_t *sig)
{
    int T = ls__threads(ctx);
    if (T > 16) T = 16;
    if (n < 1024) T = 1;
    mh_job jobs[16];
    pthread_t th[16];
    int started[16] = { 0 };
    for (int t = 0; t < T; t++) {
        jobs[t] = (mh_job){ texts, n * (size_t)t / (size_t)T, n * (size_t)(t + 1) / (size_t)T,
                            seed, sig, LS_OK };
        if (t > 0 && pthread_create(&th[t], NULL, mh_run, &jobs[t]) == 0) started[t] = 1;
    }
    mh_run(&jobs[0]);
    int rc = jobs[0].rc;
    for (int t = 1; t < T; t++) {
        if (started[t]) pthread_join(th[t], NULL);
        else mh_run(&jobs[t]);   /* no thread: do it here, same result */
        if (jobs[t].rc != LS_OK) rc = jobs[t].rc;
    }
    if (rc != LS_OK) return ls__fail(ctx, rc, "minhash: out of memory");
    return LS_OK;
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

static double est_jaccard(const uint32_t *a, const uint32_t *b)
{
    int eq = 0;
    for (int k = 0; k < LS__MH_K; k++) eq += a[k] == b[k];
    return (double)eq / LS__MH_K;
}

static uint32_t uf_find(uint32_t *p, uint32_t x)
{
    while (p[x] != x) { p[x] = p[p[x]]; x = p[x]; }
    return x;
}
static void uf_union(uint32_t *p, uint32_t a, uint32_t b)
{
    a = uf_find(p, a); b = uf_find(p, b);
    if (a == b) return;
    if (a < b) p[b] = a; else p[a] = b;   /* the smaller index is the root */
}

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

int ls__lsh_cluster(ls_ctx *ctx, const uint32_t *sig, size_t n,
                    double threshold, uint32_t *root)
{
    int rc = LS_OK;
    ls__kv *kv = NULL, *tmp = NULL;
    if (n > UINT32_MAX - 1) return ls__fail(ctx, LS_ERR_LIMIT, "minhash: too many texts");
    for (size_t i = 0; i < n; i++) root[i] = (uint32_t)i;
    if (n == 0) return LS_OK;
    kv = ls__big_malloc(n * sizeof *kv);
    tmp = ls__big_malloc(n * sizeof *tmp);
    if (!kv || !tmp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "lsh: out of memory"); goto done; }
    for (int b = 0; b < LSH_B; b++) {
        size_t m = band_keys(sig, n, b, kv);
        ls__radix_kv(kv, tmp, m);
        /* Within a bucket compare each text with the bucket's first text
         * and with its predecessor: linear in the bucket size, and chains
         * of near duplicates still join. */
        for (size_t s = 0; s < m;) {
            size_t e = s + 1;
            while (e < m && kv[e].hi == kv[s].hi) e++;
            for (size_t i = s + 1; i < e; i++) {
                const uint32_t *x = sig + kv[i].lo * LS__MH_K;
                /* Already joined (through an earlier band): skip the
                 * 64-value comparison. */
                if (uf_find(root, (uint32_t)kv[s].lo) == uf_find(root, (uint32_t)kv[i].lo)) continue;
                if (est_jaccard(sig + kv[s].lo * LS__MH_K, x) >= threshold)
                    uf_union(root, (uint32_t)kv[s].lo, (uint32_t)kv[i].lo);
                else if (i > s + 1 && est_jaccard(sig + kv[i - 1].lo * LS__MH_K, x) >= threshold)
                    uf_union(root, (uint32_t)kv[i - 1].lo, (uint32_t)kv[i].lo);
            }
            s = e;
        }
    }
    for (size_t i = 0; i < n; i++) root[i] = uf_find(root, (uint32_t)i);
done:
    ls__free(kv);
    ls__free(tmp);
    return rc;
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
