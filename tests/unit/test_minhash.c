/*
 * test_minhash.c — near-duplicate text: normalisation (NFKC, casefold,
 * URLs, mentions, RT prefix), MinHash estimates, LSH clustering that
 * finds Chinese near-duplicates and keeps unrelated texts apart, QUT's
 * word sets, and the co_similar_tweet layer on a hand store.
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

int main(void)
{
    ls_ctx_new(&ctx);
    RUN(normalisation);
    RUN(qut_words);
    RUN(chinese_near_duplicates);
    RUN(minhash_estimate);
    RUN(lsh_pairs_distinct);
    RUN(similar_layer_default);
    ls_ctx_free(ctx);
    ls__buf_free(&norm_buf);
    TEST_END();
}
