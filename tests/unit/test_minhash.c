/*
 * test_minhash.c — near-duplicate text: normalisation (NFKC, casefold,
 * URLs, mentions, RT prefix), MinHash estimates, LSH clustering that
 * finds Chinese near-duplicates and keeps unrelated texts apart, QUT's
 * word sets, and the co_similar_tweet layer on a hand store.  The fast
 * signatures (probe table, batch threads) and the parallel clustering are
 * checked against straightforward reference versions of the scheme on
 * random input, at one and two threads, and the text keys shared between
 * co_tweet and co_similar_tweet against keys built per layer.
 */
#include "test.h"
#include "hand_store.h"
#include <math.h>

static ls_ctx *ctx;

static ls__buf norm_buf;
static const char *norm(const char *in, int qut)
{
    norm_buf.n = 0;
    if ((qut ? ls__text_norm_qut : ls__text_norm)(ls__str_c(in), &norm_buf) != LS_OK) return "(error)";
    ls__buf_putc(&norm_buf, 0);
    return norm_buf.p;
}

TEST(normalisation)
{
    CHECK_EQ_STR(norm("RT @someone: Ｈｅｌｌｏ  WORLD https://t.co/xyz @bob!", 0), "hello world !");
    CHECK_EQ_STR(norm("@a @b", 0), "");
    CHECK_EQ_STR(norm("Buy NOW  http://t.co/x @bob!", 0), "buy now !");   /* ASCII path */
    CHECK_EQ_STR(norm("", 0), "");
    CHECK_EQ_STR(norm("Straße", 0), "strasse");
    CHECK_EQ_STR(norm("看这个http://t.co/a 真的", 0), "看这个 真的");
    /* QUT key: lowercase, '@' up to whitespace removed, spaces collapsed;
     * URLs stay. */
    CHECK_EQ_STR(norm("  Hello\t@bob,  World http://x.io ", 1), "hello world http://x.io");
    CHECK_EQ_STR(norm("a@b c", 1), "a c");
    CHECK_EQ_STR(norm("@only", 1), "");
}

static size_t words(const char *s, uint64_t *out)
{
    uint64_t *h = NULL;
    size_t n = 0, cap = 0;
    ls__text_words_qut(ls__str_c(s), &h, &n, &cap);
    if (out) memcpy(out, h, n * sizeof *h);
    ls__free(h);
    return n;
}

TEST(qut_words)
{
    CHECK_EQ_INT(words("the cat the CAT", NULL), 2);           /* a set, lowercased */
    CHECK_EQ_INT(words("don't stop", NULL), 2);                /* don't is one word */
    CHECK_EQ_INT(words("hi!! @bob", NULL), 2);                 /* hi ! ! -> {hi, !} */
    CHECK_EQ_INT(words("3.14 and 1,000", NULL), 3);
    CHECK_EQ_INT(words("@x @y", NULL), 0);
    CHECK_EQ_INT(words("中文字", NULL), 3);                     /* ideographs stand alone */
}

/* Chinese near-duplicates (one character changed) cluster; unrelated
 * texts do not. */
TEST(chinese_near_duplicates)
{
    const char *t[] = {
        "香港的局势正在恶化，外国势力在背后操纵这一切，我们必须保持警惕",
        "香港的局势正在恶化，外国势力在背后操纵这一切，我们必须保持警觉",
        "香港的局势正在恶化，外国势力在背后操纵这一切，我们必须保持警惕！",
        "今天天气很好，我们去公园散步吧，顺便买点水果回家",
        "The weather is nice today, let us walk in the park and buy fruit",
        "The weather is nice today, let us walk in the park and buy fruits",
        "完全无关的另一句话，讲的是足球比赛的结果和球员的表现",
    };
    size_t n = sizeof t / sizeof t[0];
    ls__str s[16];
    ls__buf nb[16];
    memset(nb, 0, sizeof nb);
    for (size_t i = 0; i < n; i++) { ls__text_norm(ls__str_c(t[i]), &nb[i]); s[i] = (ls__str){ nb[i].p, nb[i].n }; }
    uint32_t sig[16 * LS__MH_K];
    uint32_t root[16];
    CHECK_EQ_INT(ls__minhash_texts32(ctx, s, n, 42, sig), LS_OK);
    CHECK_EQ_INT(ls__lsh_cluster(ctx, sig, n, 0.6, root), LS_OK);
    CHECK_EQ_INT(root[0], 0);
    CHECK_EQ_INT(root[1], 0);
    CHECK_EQ_INT(root[2], 0);
    CHECK_EQ_INT(root[3], 3);
    CHECK_EQ_INT(root[4], 4);
    CHECK_EQ_INT(root[5], 4);
    CHECK_EQ_INT(root[6], 6);
    for (size_t i = 0; i < n; i++) ls__buf_free(&nb[i]);
}

/* The MinHash estimate tracks the true Jaccard of sets. */
TEST(minhash_estimate)
{
    uint64_t a[400], b[400];
    for (int i = 0; i < 400; i++) { a[i] = (uint64_t)i * 7919u; b[i] = (uint64_t)(i + 100) * 7919u; }
    /* |a ∩ b| = 300, |a ∪ b| = 500: J = 0.6 */
    uint32_t sa[LS__MH_K], sb[LS__MH_K];
    ls__minhash_set(a, 400, 1, sa);
    ls__minhash_set(b, 400, 1, sb);
    int eq = 0;
    for (int k = 0; k < LS__MH_K; k++) eq += sa[k] == sb[k];
    double est = (double)eq / LS__MH_K;
    CHECK(fabs(est - 0.6) < 0.2);
    ls__minhash_set(a, 0, 1, sa);
    CHECK(sa[0] == UINT32_MAX);
}

TEST(lsh_pairs_distinct)
{
    uint32_t sig[3 * LS__MH_K];
    for (int k = 0; k < LS__MH_K; k++) { sig[k] = (uint32_t)k; sig[LS__MH_K + k] = (uint32_t)k; sig[2 * LS__MH_K + k] = 1000u + (uint32_t)k; }
    uint64_t *p; size_t np;
    CHECK_EQ_INT(ls__lsh_pairs(ctx, sig, 3, &p, &np), LS_OK);
    CHECK_EQ_INT(np, 1);
    if (np == 1) CHECK(p[0] == ((uint64_t)0 << 32 | 1));
    ls__free(p);
}

TEST(similar_layer_default)
{
    hand_store *h = hs_new();
    hs_ev(h, 0, "A", "1", 't', NULL, "香港的局势正在恶化，外国势力在背后操纵这一切，我们必须保持警惕", NULL);
    hs_ev(h, 1000, "B", "2", 't', NULL, "香港的局势正在恶化，外国势力在背后操纵这一切，我们必须保持警觉 http://t.co/x", NULL);
    hs_ev(h, 2000, "C", "3", 't', NULL, "今天天气很好，我们去公园散步吧，顺便买点水果回家", NULL);
    hs_ev(h, 3000, "D", "4", 't', NULL, "@x @y", NULL);
    hs_ev(h, 4000, "E", "5", 't', NULL, "@z", NULL);
    struct ls_store *st = hs_finish(h);
    ls__co_opts o;
    ls__co_opts_default(&o);
    /* sim_threshold 0: the default for character shingles (0.6). */
    ls__edges E;
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_SIMILAR, &o, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    if (E.n == 1) {
        CHECK_EQ_INT(E.e[0].u, hs_acc(h, "A"));
        CHECK_EQ_INT(E.e[0].v, hs_acc(h, "B"));
        CHECK_EQ_INT(E.e[0].ev[0], st->ev_text[0]);   /* the first text represents the cluster */
    }
    ls__edges_free(&E);
    hs_free(h);
}

/* ---- reference versions (the scheme written plainly) ---- */
static uint64_t ref_mix(uint64_t x)
{
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* One-permutation MinHash, optimal densification by probing. */
static void ref_minhash(const uint64_t *h, size_t n, uint64_t seed, uint32_t *sig)
{
    uint32_t orig[LS__MH_K];
    int filled = 0;
    for (int k = 0; k < LS__MH_K; k++) orig[k] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = ref_mix(h[i] ^ seed);
        unsigned bin = (unsigned)(x >> 58);
        uint32_t v = (uint32_t)(x >> 26);
        if (v == UINT32_MAX) v--;
        if (orig[bin] == UINT32_MAX) filled++;
        if (v < orig[bin]) orig[bin] = v;
    }
    for (int k = 0; k < LS__MH_K; k++) sig[k] = orig[k];
    if (filled == 0 || filled == LS__MH_K) return;
    for (int k = 0; k < LS__MH_K; k++) {
        if (orig[k] != UINT32_MAX) continue;
        for (uint64_t att = 0;; att++) {
            unsigned j = (unsigned)(ref_mix(seed ^ ((uint64_t)k << 32 | att) ^ 0xd6e8feb86659fd93ULL) >> 58);
            if (orig[j] != UINT32_MAX) { sig[k] = orig[j]; break; }
        }
    }
}

/* Character 4-gram shingles of a normalised text (code points). */
static size_t ref_shingles(const char *t, uint64_t seed, uint64_t *h)
{
    int32_t cp[512];
    size_t m = 0, n = strlen(t);
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)t[i];
        int k = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        int32_t c = k == 1 ? b : (int32_t)(b & (0x7f >> k));
        for (int q = 1; q < k; q++) c = c << 6 | (t[i + (size_t)q] & 0x3f);
        cp[m++] = c;
        i += (size_t)k;
    }
    if (m == 0) return 0;
    size_t ns = m < 4 ? 1 : m - 3, w = m < 4 ? m : 4;
    for (size_t i = 0; i < ns; i++) h[i] = ls__hash64(cp + i, w * sizeof(int32_t), seed);
    return ns;
}

typedef struct rkv { uint64_t h; uint32_t i; } rkv;
static int rkv_cmp(const void *a, const void *b)
{
    const rkv *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}
static uint32_t rfind(uint32_t *p, uint32_t x) { while (p[x] != x) x = p[x]; return x; }
static void runion(uint32_t *p, uint32_t a, uint32_t b)
{
    a = rfind(p, a); b = rfind(p, b);
    if (a < b) p[b] = a; else if (b < a) p[a] = b;
}
static double rest(const uint32_t *a, const uint32_t *b)
{
    int eq = 0;
    for (int k = 0; k < LS__MH_K; k++) eq += a[k] == b[k];
    return (double)eq / LS__MH_K;
}

/* Bands of 4 values, buckets by the band's 64-bit hash in hash order,
 * texts ascending; compare with the bucket's first, else with the
 * predecessor, skipping texts already joined with the first. */
static void ref_cluster(const uint32_t *sig, size_t n, double thr, uint32_t *root)
{
    rkv *kv = malloc((n ? n : 1) * sizeof *kv);
    for (size_t i = 0; i < n; i++) root[i] = (uint32_t)i;
    for (int b = 0; b < LS__MH_K / 4; b++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            const uint32_t *s = sig + i * LS__MH_K;
            if (s[0] == UINT32_MAX) continue;
            kv[m].h = ls__hash64(s + b * 4, 16, 0xb4d0 + (uint64_t)b);
            kv[m++].i = (uint32_t)i;
        }
        qsort(kv, m, sizeof *kv, rkv_cmp);
        for (size_t s = 0; s < m;) {
            size_t e = s + 1;
            while (e < m && kv[e].h == kv[s].h) e++;
            for (size_t i = s + 1; i < e; i++) {
                const uint32_t *x = sig + (size_t)kv[i].i * LS__MH_K;
                if (rfind(root, kv[s].i) == rfind(root, kv[i].i)) continue;
                if (rest(sig + (size_t)kv[s].i * LS__MH_K, x) >= thr) runion(root, kv[s].i, kv[i].i);
                else if (i > s + 1 && rest(sig + (size_t)kv[i - 1].i * LS__MH_K, x) >= thr)
                    runion(root, kv[i - 1].i, kv[i].i);
            }
            s = e;
        }
    }
    for (size_t i = 0; i < n; i++) root[i] = rfind(root, (uint32_t)i);
    free(kv);
}

static uint64_t rs = 0x2545f4914f6cdd1dULL;
static uint32_t rnd(void)
{
    rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17;
    return (uint32_t)(rs >> 11);
}

/* Signatures of random sets of every size from empty to past full. */
TEST(minhash_matches_reference)
{
    uint64_t h[400];
    uint32_t a[LS__MH_K], b[LS__MH_K];
    int bad = 0;
    for (int it = 0; it < 3000; it++) {
        size_t n = (size_t)it % 400;
        for (size_t i = 0; i < n; i++) h[i] = (uint64_t)rnd() << 32 | rnd();
        uint64_t seed = it % 3 ? 0x10c4573bULL : (uint64_t)rnd();
        ls__minhash_set(h, n, seed, a);
        ref_minhash(h, n, seed, b);
        bad += memcmp(a, b, sizeof a) != 0;
    }
    CHECK_EQ_INT(bad, 0);
    /* Batch signatures of sets (probe table, threads) = one at a time. */
    enum { NS = 2000 };
    uint64_t *all = malloc(NS * 64 * sizeof *all);
    ls__str *sets = malloc(NS * sizeof *sets);
    uint32_t *m1 = malloc(NS * LS__MH_K * sizeof *m1), *m2 = malloc(NS * LS__MH_K * sizeof *m2);
    for (int i = 0; i < NS; i++) {
        size_t n = (size_t)(i % 64);
        for (size_t q = 0; q < n; q++) all[i * 64 + (int)q] = (uint64_t)rnd() << 32 | rnd();
        sets[i] = (ls__str){ (const char *)(all + i * 64), n * sizeof *all };
    }
    ls_ctx_set_threads(ctx, 2);
    ls__minhash_sets32(ctx, sets, NS, 99, m1);
    ls_ctx_set_threads(ctx, 1);
    ls__minhash_sets32(ctx, sets, NS, 99, m2);
    bad = 0;
    for (int i = 0; i < NS; i++) {
        ls__minhash_set(all + i * 64, (size_t)(i % 64), 99, a);
        bad += memcmp(a, m1 + (size_t)i * LS__MH_K, sizeof a) != 0;
        bad += memcmp(a, m2 + (size_t)i * LS__MH_K, sizeof a) != 0;
    }
    CHECK_EQ_INT(bad, 0);
    free(all); free(sets); free(m1); free(m2);
    /* Batch signatures of texts (probe table, threads) = the scheme. */
    static const char *t[] = { "a", "ab", "abc", "abcd", "hello world", "香港的局势正在恶化",
                               "the quick brown fox jumps over the lazy dog", "한국어 텍스트 입니다" };
    enum { NT = 3000 };
    ls__str *s = malloc(NT * sizeof *s);
    char (*buf)[160] = malloc(NT * sizeof *buf);
    uint32_t *s1 = malloc(NT * LS__MH_K * sizeof *s1), *s2 = malloc(NT * LS__MH_K * sizeof *s2);
    for (int i = 0; i < NT; i++) {
        snprintf(buf[i], sizeof buf[i], "%s %u %s", t[i % 8], rnd() % (unsigned)(1 + i), t[(i / 8) % 8]);
        s[i] = ls__str_c(buf[i]);
    }
    ls_ctx_set_threads(ctx, 1);
    CHECK_EQ_INT(ls__minhash_texts32(ctx, s, NT, 77, s1), LS_OK);
    ls_ctx_set_threads(ctx, 2);
    CHECK_EQ_INT(ls__minhash_texts32(ctx, s, NT, 77, s2), LS_OK);
    CHECK(memcmp(s1, s2, NT * LS__MH_K * sizeof *s1) == 0);
    bad = 0;
    for (int i = 0; i < NT; i++) {
        size_t n = ref_shingles(buf[i], 77, h);
        ref_minhash(h, n, 77, a);
        bad += memcmp(a, s1 + (size_t)i * LS__MH_K, sizeof a) != 0;
    }
    CHECK_EQ_INT(bad, 0);
    free(s); free(buf); free(s1); free(s2);
}

/* Clusters of random signatures with planted near-duplicate families
 * (values mutated at random rates, so estimates straddle the threshold),
 * empty signatures, and two families whose first bands share the top 33
 * bits of their hash but not the hash (found by a birthday search), so
 * their buckets meet in one sorted run: the same roots as the reference,
 * at one and two threads. */
TEST(lsh_matches_reference)
{
    enum { N = 6000, FAM = 300 };
    uint32_t *fam = malloc(FAM * LS__MH_K * sizeof *fam);
    uint32_t *sig = malloc(N * LS__MH_K * sizeof *sig);
    uint32_t *r1 = malloc(N * sizeof *r1), *r2 = malloc(N * sizeof *r2), *rr = malloc(N * sizeof *rr);
    for (int round = 0; round < 3; round++) {
        for (int f = 0; f < FAM; f++)
            for (int k = 0; k < LS__MH_K; k++) fam[f * LS__MH_K + k] = rnd() % 1000u;
        for (int k = 1; k < 4; k++) fam[0 * LS__MH_K + k] = fam[1 * LS__MH_K + k] = 7;
        fam[0] = 329870; fam[LS__MH_K] = 904387;   /* colliding first bands */
        for (int i = 0; i < N; i++) {
            uint32_t *s = sig + (size_t)i * LS__MH_K;
            int f = (int)(rnd() % FAM);
            if (i % 7 == 0) f = (int)(rnd() % 2);
            unsigned rate = rnd() % 60;   /* percent of values changed */
            for (int k = 0; k < LS__MH_K; k++) {
                s[k] = fam[f * LS__MH_K + k];
                if (!(f < 2 && k < 4) && rnd() % 100 < rate) s[k] = 1000u + rnd() % 50u;
            }
            if (i % 97 == 5) for (int k = 0; k < LS__MH_K; k++) s[k] = UINT32_MAX;   /* empty */
        }
        double thr = round == 2 ? 0.8 : 0.6;
        ref_cluster(sig, N, thr, rr);
        ls_ctx_set_threads(ctx, 1);
        CHECK_EQ_INT(ls__lsh_cluster(ctx, sig, N, thr, r1), LS_OK);
        ls_ctx_set_threads(ctx, 2);
        CHECK_EQ_INT(ls__lsh_cluster(ctx, sig, N, thr, r2), LS_OK);
        int d1 = 0, d2 = 0, joined = 0;
        for (int i = 0; i < N; i++) { d1 += r1[i] != rr[i]; d2 += r2[i] != rr[i]; joined += rr[i] != (uint32_t)i; }
        CHECK_EQ_INT(d1, 0);
        CHECK_EQ_INT(d2, 0);
        CHECK(joined > N / 10 && joined < N - FAM);   /* the test is not trivial */
    }
    ls_ctx_set_threads(ctx, 0);
    free(fam); free(sig); free(r1); free(r2); free(rr);
}

/* co_tweet and co_similar_tweet give the same records whether they share
 * one set of text keys (built by whichever runs first) or build their own,
 * at one and two threads. */
TEST(shared_text_keys)
{
    hand_store *h = hs_new();
    static const char *tx[] = {
        "Buy NOW http://t.co/a", "buy now", "@x Buy   now!", "香港的局势正在恶化，外国势力在背后操纵", "香港的局势正在恶化，外国势力在背后操纵！",
        "@only", "", "Ｈｅｌｌｏ world", "hello world", "totally different words here",
    };
    char acc[8], post[16];
    for (int i = 0; i < 3000; i++) {
        snprintf(acc, sizeof acc, "a%d", i % 40);
        snprintf(post, sizeof post, "%d", i);
        char text[200];
        int k = (int)(rnd() % 10);
        if (i % 3 == 0) snprintf(text, sizeof text, "%s %u", tx[k], rnd() % 300u);
        else snprintf(text, sizeof text, "%s", tx[k]);
        hs_ev(h, (int64_t)i * 1000, acc, post, i % 5 == 4 ? 'r' : 't', i % 5 == 4 ? "0" : NULL, text, NULL);
    }
    struct ls_store *st = hs_finish(h);
    ls__co_opts o;
    ls__co_opts_default(&o);
    ls__recs own[2], sh[2][2];
    int layers[2] = { LS_L_TWEET, LS_L_SIMILAR };
    for (int l = 0; l < 2; l++) CHECK_EQ_INT(ls__records_emit(ctx, st, layers[l], &o, &own[l]), LS_OK);
    for (int order = 0; order < 2; order++) {
        ls_ctx_set_threads(ctx, order + 1);
        o.text_keys = ls__textkeys_new();
        for (int q = 0; q < 2; q++) {
            int l = order ? 1 - q : q;
            CHECK_EQ_INT(ls__records_emit(ctx, st, layers[l], &o, &sh[order][l]), LS_OK);
        }
        ls__textkeys_free(o.text_keys);
        o.text_keys = NULL;
        for (int l = 0; l < 2; l++) {
            CHECK_EQ_INT(sh[order][l].n, own[l].n);
            CHECK(sh[order][l].n == own[l].n &&
                  memcmp(sh[order][l].r, own[l].r, own[l].n * sizeof *own[l].r) == 0);
            ls__recs_free(&sh[order][l]);
        }
    }
    CHECK(own[0].n > 1000 && own[1].n == own[0].n);   /* same posts, keyed differently */
    ls_ctx_set_threads(ctx, 0);
    for (int l = 0; l < 2; l++) ls__recs_free(&own[l]);
    hs_free(h);
}

/* Every allocation of the text layers failing in turn: each run either
 * succeeds with the full result or reports LS_ERR_NOMEM, and frees what
 * it took (ASan's leak check). */
TEST(allocation_failures)
{
    hand_store *h = hs_new();
    static const char *tx[] = { "Buy NOW http://t.co/a", "buy now", "香港的局势正在恶化，外国势力", "@only", "Ｈｅｌｌｏ world" };
    char acc[8], post[16];
    for (int i = 0; i < 60; i++) {
        snprintf(acc, sizeof acc, "a%d", i % 9);
        snprintf(post, sizeof post, "%d", i);
        hs_ev(h, (int64_t)i * 1000, acc, post, 't', NULL, tx[i % 5], NULL);
    }
    struct ls_store *st = hs_finish(h);
    ls_ctx_set_threads(ctx, 1);
    for (int mode = 0; mode < 4; mode++) {
        ls__co_opts o;
        ls__co_opts_default(&o);
        o.qut = mode == 3;
        int layer = mode == 0 ? LS_L_TWEET : LS_L_SIMILAR;
        ls__recs full;
        CHECK_EQ_INT(ls__records_emit(ctx, st, layer, &o, &full), LS_OK);
        int ok = 0, nomem = 0, other = 0;
        for (uint64_t k = 1; k < 200; k++) {
            if (mode == 2) o.text_keys = ls__textkeys_new();
            ls__recs R;
            ls__alloc_fail_after(k);
            int rc = ls__records_emit(ctx, st, layer, &o, &R);
            ls__alloc_fail_after(0);
            if (rc == LS_OK) {
                ok++;
                CHECK(R.n == full.n && memcmp(R.r, full.r, R.n * sizeof *R.r) == 0);
            } else if (rc == LS_ERR_NOMEM) nomem++;
            else other++;
            ls__recs_free(&R);
            ls__textkeys_free(o.text_keys);
            o.text_keys = NULL;
        }
        CHECK(nomem > 5 && ok > 0);
        CHECK_EQ_INT(other, 0);
        ls__recs_free(&full);
    }
    ls_ctx_set_threads(ctx, 0);
    hs_free(h);
}

int main(void)
{
    ls_ctx_new(&ctx);
    RUN(normalisation);
    RUN(qut_words);
    RUN(chinese_near_duplicates);
    RUN(minhash_estimate);
    RUN(lsh_pairs_distinct);
    RUN(similar_layer_default);
    RUN(minhash_matches_reference);
    RUN(lsh_matches_reference);
    RUN(shared_text_keys);
    RUN(allocation_failures);
    ls_ctx_free(ctx);
    ls__buf_free(&norm_buf);
    TEST_END();
}
