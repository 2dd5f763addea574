/*
 * test_coaction.c — the co-action layers: hand-built cases for every layer
 * and boundary (|t1 - t2| exactly Δt, the same account twice, empty and
 * mention-only text, posts without links, directed asymmetry), a brute
 * force O(n^2) reference cross-checked on random stores for every layer
 * in both modes, determinism across thread counts, and the spill path
 * forced by a tiny memory budget.
 */
#include "test.h"
#include "hand_store.h"
#include <math.h>

static ls_ctx *ctx;
static hand_store *H;

static const ls__edge *find(const ls__edges *E, hand_store *h, const char *a, const char *b)
{
    uint32_t u = hs_acc(h, a), v = hs_acc(h, b);
    if (!E->directed && u > v) { uint32_t t = u; u = v; v = t; }
    for (size_t i = 0; i < E->n; i++)
        if (E->e[i].u == u && E->e[i].v == v) return &E->e[i];
    return NULL;
}
static long wt(const ls__edges *E, hand_store *h, const char *a, const char *b)
{
    const ls__edge *e = find(E, h, a, b);
    return e ? (long)e->count : 0;
}

static int run(struct ls_store *st, int layer, int qut, int self, int64_t win, ls__edges *E)
{
    ls__co_opts o;
    ls__co_opts_default(&o);
    o.qut = qut; o.self_loops = self; o.window_ms = win;
    return ls__coaction(ctx, st, layer, &o, E);
}

TEST(retweet_window_inclusive)
{
    H = hs_new();
    hs_ev(H, 0, "A", "1", 'r', "X", NULL, NULL);
    hs_ev(H, 60000, "B", "2", 'r', "X", NULL, NULL);     /* exactly Δt after A */
    hs_ev(H, 60001, "C", "3", 'r', "X", NULL, NULL);     /* Δt + 1 ms after A */
    hs_ev(H, 70000, "D", "4", 't', NULL, "hello", NULL); /* not a retweet */
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 1, 0, 60000, &E), LS_OK);
    CHECK(E.directed);
    CHECK_EQ_INT(E.n, 4);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    CHECK_EQ_INT(wt(&E, H, "B", "A"), 1);
    CHECK_EQ_INT(wt(&E, H, "B", "C"), 1);
    CHECK_EQ_INT(wt(&E, H, "C", "B"), 1);
    CHECK_EQ_INT(wt(&E, H, "A", "C"), 0);
    ls__edges_free(&E);
    /* Undirected default mode: same pairs, once each. */
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 2);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    CHECK_EQ_INT(wt(&E, H, "B", "C"), 1);
    /* IDF weight: 3 accounts on X -> 1/log2(3). */
    const ls__edge *e = find(&E, H, "A", "B");
    CHECK(e && fabs(e->weight - 1.0 / log2(3.0)) < 1e-6);
    CHECK(e && e->ev[0] == hs_str(H, LS_NS_POST, "X") && e->ev[1] == LS__NONE);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(same_account_twice_and_asymmetry)
{
    H = hs_new();
    hs_ev(H, 0, "A", "1", 'r', "X", NULL, NULL);
    hs_ev(H, 10, "A", "2", 'r', "X", NULL, NULL);
    hs_ev(H, 20, "B", "3", 'r', "X", NULL, NULL);
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 1, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 2);   /* two distinct posts m1 of A */
    CHECK_EQ_INT(wt(&E, H, "B", "A"), 1);   /* one post of B */
    CHECK_EQ_INT(wt(&E, H, "A", "A"), 0);   /* self-loop not written */
    CHECK_EQ_INT(E.n, 2);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 1, 1, 60000, &E), LS_OK);
    CHECK_EQ_INT(wt(&E, H, "A", "A"), 2);   /* post 1 matches 2 and 2 matches 1 */
    CHECK_EQ_INT(wt(&E, H, "B", "B"), 0);
    CHECK_EQ_INT(E.n, 3);
    ls__edges_free(&E);
    /* Default mode: the pair A-B shares one object. */
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(tweet_text_keys)
{
    H = hs_new();
    hs_ev(H, 0, "A", "1", 't', NULL, "Hello  @bob World", NULL);
    hs_ev(H, 1000, "B", "2", 't', NULL, "hello world", NULL);
    hs_ev(H, 2000, "C", "3", 't', NULL, "@bob", NULL);            /* mention-only */
    hs_ev(H, 3000, "D", "4", 't', NULL, "@alice  ", NULL);        /* mention-only */
    hs_ev(H, 4000, "E", "5", 't', NULL, "", NULL);                /* empty */
    hs_ev(H, 5000, "F", "6", 't', NULL, "", NULL);
    hs_ev(H, 6000, "G", "7", 'r', "1", "hello world", NULL);      /* retweet: excluded */
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_TWEET, 1, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 2);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    CHECK_EQ_INT(wt(&E, H, "B", "A"), 1);
    CHECK_EQ_INT(wt(&E, H, "C", "D"), 0);
    CHECK_EQ_INT(wt(&E, H, "E", "F"), 0);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_TWEET, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(link_reply_quote)
{
    H = hs_new();
    hs_ev(H, 0, "A", "1", 't', NULL, "a", "u:http://x u:http://y");
    hs_ev(H, 100, "B", "2", 't', NULL, "b", "u:http://x u:http://y");
    hs_ev(H, 200, "C", "3", 't', NULL, "c", NULL);              /* no URL */
    hs_ev(H, 300, "D", "4", 't', NULL, "d", NULL);              /* no URL */
    hs_ev(H, 400, "E", "5", 'r', "1", "a", "u:http://x");       /* retweet: no link */
    hs_ev(H, 500, "A", "6", 'p', "P", "re", NULL);
    hs_ev(H, 600, "C", "7", 'p', "P", "re2", NULL);
    hs_ev(H, 700, "B", "8", 'q', "Q", "q1", NULL);
    hs_ev(H, 800, "D", "9", 'q', "Q", "q2", NULL);
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_LINK, 1, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 2);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);   /* two shared URLs, one post m1 */
    CHECK_EQ_INT(wt(&E, H, "C", "D"), 0);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_LINK, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 2);   /* default: two distinct objects */
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_REPLY, 1, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 2);
    CHECK_EQ_INT(wt(&E, H, "A", "C"), 1);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_QUOTE, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    CHECK_EQ_INT(wt(&E, H, "B", "D"), 1);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(hashtag_mention_domain_image_post)
{
    H = hs_new();
    hs_ev(H, 0, "A", "1", 't', NULL, "x", "#a #b @m d:ex.com i:h1");
    hs_ev(H, 10, "B", "2", 't', NULL, "y", "#b #a @m d:ex.com i:h1");
    hs_ev(H, 20, "C", "3", 't', NULL, "z", "#a @n d:other.org i:h2");
    hs_ev(H, 30, "D", "4", 't', NULL, "w", "#a");
    hs_ev(H, 200000, "E", "5", 't', NULL, "v", "#a");
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_HASHTAG, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 2);                     /* {a,b}: A-B; {a}: C-D (E too late) */
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    CHECK_EQ_INT(wt(&E, H, "C", "D"), 1);
    CHECK_EQ_INT(wt(&E, H, "A", "C"), 0);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_MENTION, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_DOMAIN, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    ls__edges_free(&E);
    CHECK_EQ_INT(run(st, LS_L_IMAGE, 0, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 1);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    ls__edges_free(&E);
    /* co_post qut: sliding window; A..D pairwise (6 pairs x 2 directions). */
    CHECK_EQ_INT(run(st, LS_L_POST, 1, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 12);
    CHECK_EQ_INT(wt(&E, H, "A", "E"), 0);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(similar_qut_threshold)
{
    H = hs_new();
    /* 10 distinct words vs one word changed: 9/11 = 0.818 >= 0.8. */
    hs_ev(H, 0, "A", "1", 't', NULL, "one two three four five six seven eight nine ten", NULL);
    hs_ev(H, 5, "B", "2", 't', NULL, "One two three four five six seven eight nine ELEVEN", NULL);
    /* 8 words vs one changed: 7/9 = 0.78 < 0.8. */
    hs_ev(H, 10, "C", "3", 't', NULL, "alpha beta gamma delta epsilon zeta eta theta", NULL);
    hs_ev(H, 15, "D", "4", 't', NULL, "alpha beta gamma delta epsilon zeta eta iota", NULL);
    hs_ev(H, 20, "E", "5", 't', NULL, "@x @y", NULL);
    hs_ev(H, 25, "F", "6", 't', NULL, "@z", NULL);
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_SIMILAR, 1, 0, 60000, &E), LS_OK);
    CHECK_EQ_INT(E.n, 2);
    CHECK_EQ_INT(wt(&E, H, "A", "B"), 1);
    CHECK_EQ_INT(wt(&E, H, "B", "A"), 1);
    CHECK_EQ_INT(wt(&E, H, "C", "D"), 0);
    CHECK_EQ_INT(wt(&E, H, "E", "F"), 0);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(significance_orders_pairs)
{
    H = hs_new();
    char p[32], x[32];
    int64_t t = 0;
    /* A and B retweet 20 posts together; 200 other posts are retweeted
     * by two of 40 background accounts each; C and D share one post. */
    for (int k = 0; k < 220; k++) {
        snprintf(x, sizeof x, "X%d", k);
        char u1[16], u2[16];
        if (k < 20) { strcpy(u1, "A"); strcpy(u2, "B"); }
        else if (k == 20) { strcpy(u1, "C"); strcpy(u2, "D"); }
        else { snprintf(u1, sizeof u1, "bg%d", k % 40); snprintf(u2, sizeof u2, "bg%d", (k * 7 + 3) % 40); }
        snprintf(p, sizeof p, "a%d", k); hs_ev(H, t, u1, p, 'r', x, NULL, NULL);
        snprintf(p, sizeof p, "b%d", k); hs_ev(H, t + 5, u2, p, 'r', x, NULL, NULL);
        t += 1000000;
    }
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 0, 0, 60000, &E), LS_OK);
    const ls__edge *ab = find(&E, H, "A", "B"), *cd = find(&E, H, "C", "D");
    CHECK(ab && cd);
    if (ab && cd) {
        CHECK_EQ_INT(ab->count, 20);
        CHECK_EQ_INT(cd->count, 1);
        CHECK(ab->sig > cd->sig);
        CHECK(ab->sig > 1.0);
    }
    ls__edges_free(&E);
    hs_free(H);
}

TEST(poisson_tail)
{
    /* P(X >= 1 | 1) = 1 - e^-1 = 0.632 -> 0.199 */
    CHECK(fabs(ls__poisson_sf_log10(1, 1.0) - 0.19920) < 1e-4);
    /* P(X >= 5 | 0.1) ~ 7.66e-8 -> 7.1157 */
    CHECK(fabs(ls__poisson_sf_log10(5, 0.1) - 7.1157) < 1e-3);
    CHECK(ls__poisson_sf_log10(0, 3.0) == 0.0);
}

TEST(cap_sampling)
{
    H = hs_new();
    char a[32], p[32];
    for (int k = 0; k < 50; k++) {
        snprintf(a, sizeof a, "acc%d", k); snprintf(p, sizeof p, "p%d", k);
        hs_ev(H, k, a, p, 'r', "VIRAL", NULL, NULL);
    }
    hs_ev(H, 100, "acc1", "q1", 'r', "SMALL", NULL, NULL);
    hs_ev(H, 101, "acc2", "q2", 'r', "SMALL", NULL, NULL);
    struct ls_store *st = hs_finish(H);
    ls__co_opts o;
    ls__co_opts_default(&o);
    o.cap = 10;
    ls__edges E1, E2;
    ls_ctx_set_threads(ctx, 1);
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_RETWEET, &o, &E1), LS_OK);
    ls_ctx_set_threads(ctx, 2);
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_RETWEET, &o, &E2), LS_OK);
    CHECK_EQ_INT(E1.st.objects_capped, 1);
    CHECK_EQ_INT(E1.st.accounts_dropped, 40);
    CHECK_EQ_INT(E1.st.pairs_capped, 50 * 49 / 2 - 10 * 9 / 2);
    /* 45 pairs among the 10 kept accounts, plus acc1-acc2 via SMALL (which
     * may coincide with a kept pair). */
    CHECK(E1.n == 45 || E1.n == 46);
    CHECK(E1.n == E2.n && memcmp(E1.e, E2.e, E1.n * sizeof *E1.e) == 0);
    CHECK(wt(&E1, H, "acc1", "acc2") >= 1);
    ls__edges_free(&E1);
    ls__edges_free(&E2);
    hs_free(H);
}

/* ---- brute force reference ---- */
static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n) { rnd_state = rnd_state * 1103515245u + 12345u; return (rnd_state >> 8) % n; }

static const char *texts[] = {
    "buy now the best product", "Buy NOW the best product @x", "@x @y", "",
    "one two three four five six seven eight nine ten",
    "one two three four five six seven eight nine eleven",
    "one two three four five six seven eight twelve eleven",
    "完全相同的中文句子在这里", "完全相同的中文句子在那里", "hello world",
};

static hand_store *random_store(int n)
{
    hand_store *h = hs_new();
    int64_t t = 0;
    char acc[16], post[16], ref[16], list[256];
    for (int i = 0; i < n; i++) {
        t += rnd(3) == 0 ? 0 : rnd(6000);
        snprintf(acc, sizeof acc, "u%u", rnd(25));
        snprintf(post, sizeof post, "m%d", i);
        snprintf(ref, sizeof ref, "o%u", rnd(12));
        char kinds[] = "trrrqp";
        char kind = kinds[rnd(6)];
        list[0] = 0;
        int nu = (int)rnd(3);
        for (int k = 0; k < nu; k++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "u:http://l%u d:d%u ", rnd(5), rnd(3));
        }
        int nh = (int)rnd(3);
        for (int k = 0; k < nh; k++) { size_t l = strlen(list); snprintf(list + l, sizeof list - l, "#h%u ", rnd(3)); }
        if (rnd(2)) { size_t l = strlen(list); snprintf(list + l, sizeof list - l, "@u%u i:img%u ", rnd(25), rnd(4)); }
        hs_ev(h, t, acc, post, kind, ref, texts[rnd(10)], list);
    }
    return h;
}

/* Does event i carry key material of layer L matching event j (qut)? */
static int share_key(const struct ls_store *st, int L, uint64_t i, uint64_t j, ls__buf *b1, ls__buf *b2)
{
    int nri = st->ev_kind[i] != LS_KIND_RETWEET, nrj = st->ev_kind[j] != LS_KIND_RETWEET;
    switch (L) {
    case LS_L_RETWEET:
        return !nri && !nrj && st->ev_ref_post[i] == st->ev_ref_post[j];
    case LS_L_QUOTE:
        return st->ev_kind[i] == LS_KIND_QUOTE && st->ev_kind[j] == LS_KIND_QUOTE &&
               st->ev_ref_post[i] == st->ev_ref_post[j];
    case LS_L_REPLY:
        return nri && nrj && st->ev_reply_post[i] != LS__NONE && st->ev_reply_post[i] == st->ev_reply_post[j];
    case LS_L_POST: return 1;
    case LS_L_TWEET:
        if (!nri || !nrj || st->ev_text[i] == LS__NONE || st->ev_text[j] == LS__NONE) return 0;
        b1->n = b2->n = 0;
        ls__text_norm_qut(ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[i]), b1);
        ls__text_norm_qut(ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[j]), b2);
        return b1->n > 0 && b1->n == b2->n && memcmp(b1->p, b2->p, b1->n) == 0;
    case LS_L_SIMILAR: {
        if (!nri || !nrj || st->ev_text[i] == LS__NONE || st->ev_text[j] == LS__NONE) return 0;
        uint64_t *h1 = NULL, *h2 = NULL; size_t n1 = 0, c1 = 0, n2 = 0, c2 = 0;
        ls__text_words_qut(ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[i]), &h1, &n1, &c1);
        ls__text_words_qut(ls__strtab_get(&st->ns[LS_NS_TEXT], st->ev_text[j]), &h2, &n2, &c2);
        size_t in = 0;
        for (size_t a = 0; a < n1; a++) for (size_t c = 0; c < n2; c++) in += h1[a] == h2[c];
        int r = n1 && n2 && (double)in / (double)(n1 + n2 - in) >= 0.8;
        ls__free(h1); ls__free(h2);
        return r;
    }
    case LS_L_HASHTAG: {
        if (!nri || !nrj) return 0;
        /* same distinct set, non-empty */
        int any = 0;
        for (int pass = 0; pass < 2; pass++) {
            uint64_t x = pass ? j : i, y = pass ? i : j;
            for (uint32_t k = st->ev_list[x]; k < st->ev_list[x + 1]; k++) {
                if (st->li_type[k] != LS_LI_HASHTAG) continue;
                any = 1;
                int f = 0;
                for (uint32_t q = st->ev_list[y]; q < st->ev_list[y + 1]; q++)
                    f |= st->li_type[q] == LS_LI_HASHTAG && st->li_id[q] == st->li_id[k];
                if (!f) return 0;
            }
        }
        return any;
    }
    default: {
        int ty = L == LS_L_LINK ? LS_LI_URL : L == LS_L_DOMAIN ? LS_LI_DOMAIN
               : L == LS_L_MENTION ? LS_LI_MENTION : LS_LI_IMAGE;
        if (!nri || !nrj) return 0;
        for (uint32_t k = st->ev_list[i]; k < st->ev_list[i + 1]; k++)
            for (uint32_t q = st->ev_list[j]; q < st->ev_list[j + 1]; q++)
                if (st->li_type[k] == ty && st->li_type[q] == ty && st->li_id[k] == st->li_id[q]) return 1;
        return 0;
    }
    }
}

/* Brute-force qut weights: W[u][v] = #posts i of u with some j != i of v. */
static int brute_qut(const struct ls_store *st, int L, int64_t win, int self, const ls__edges *E)
{
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    uint32_t *W = calloc((size_t)na * na, sizeof *W);
    uint8_t *hit = calloc(na, 1);
    ls__buf b1 = { 0 }, b2 = { 0 };
    for (uint64_t i = 0; i < st->n_events; i++) {
        memset(hit, 0, na);
        for (uint64_t j = 0; j < st->n_events; j++) {
            if (j == i || st->ev_post[i] == st->ev_post[j]) continue;
            int64_t d = st->ev_time[i] - st->ev_time[j];
            if (d < 0) d = -d;
            if (d > win) continue;
            if (share_key(st, L, i, j, &b1, &b2)) hit[st->ev_account[j]] = 1;
        }
        for (uint32_t v = 0; v < na; v++) if (hit[v]) W[(size_t)st->ev_account[i] * na + v]++;
    }
    size_t n = 0;
    int ok = 1;
    for (uint32_t u = 0; u < na; u++)
        for (uint32_t v = 0; v < na; v++) {
            uint32_t w = W[(size_t)u * na + v];
            if (!w || (u == v && !self)) continue;
            if (n >= E->n || E->e[n].u != u || E->e[n].v != v || E->e[n].count != w) {
                fprintf(stderr, "  %s: brute %u->%u=%u, got %s%u->%u=%u\n", ls__layer_name(L), u, v, w,
                        n >= E->n ? "(end) " : "", n < E->n ? E->e[n].u : 0,
                        n < E->n ? E->e[n].v : 0, n < E->n ? E->e[n].count : 0);
                ok = 0; goto out;
            }
            n++;
        }
    if (n != E->n) { fprintf(stderr, "  %s: %zu edges, brute %zu\n", ls__layer_name(L), E->n, n); ok = 0; }
out:
    free(W); free(hit); ls__buf_free(&b1); ls__buf_free(&b2);
    return ok;
}

/* Brute-force default mode over the layer's records: count distinct
 * objects per pair with a co-action within the window. */
static int brute_default(const struct ls_store *st, int L, const ls__co_opts *o, const ls__edges *E)
{
    ls__recs R;
    if (ls__records_emit(ctx, st, L, o, &R) != LS_OK) return 0;
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    uint32_t *C = calloc((size_t)na * na, sizeof *C);
    double *Wt = calloc((size_t)na * na, sizeof *Wt);
    uint8_t *seen = calloc((size_t)na * na, 1);
    uint8_t *acc = calloc(na, 1);
    for (size_t a = 0; a < R.n; a++) {
        uint32_t obj = (uint32_t)(R.r[a] >> 32);
        int first = 1;
        for (size_t z = 0; z < a; z++) if ((uint32_t)(R.r[z] >> 32) == obj) first = 0;
        if (!first) continue;
        memset(seen, 0, (size_t)na * na);
        memset(acc, 0, na);
        uint32_t k = 0;
        for (size_t x = a; x < R.n; x++)
            if ((uint32_t)(R.r[x] >> 32) == obj) {
                uint32_t u = st->ev_account[(R.r[x] >> 1) & 0x7fffffff];
                if (!acc[u]) { acc[u] = 1; k++; }
            }
        double w = 1.0 / log2(k < 2 ? 2.0 : (double)k);
        for (size_t x = a; x < R.n; x++) {
            if ((uint32_t)(R.r[x] >> 32) != obj) continue;
            for (size_t y = a; y < R.n; y++) {
                if ((uint32_t)(R.r[y] >> 32) != obj || x == y) continue;
                uint64_t ex = (R.r[x] >> 1) & 0x7fffffff, ey = (R.r[y] >> 1) & 0x7fffffff;
                uint32_t u = st->ev_account[ex], v = st->ev_account[ey];
                int64_t d = st->ev_time[ex] - st->ev_time[ey];
                if (u >= v || (d < 0 ? -d : d) > o->window_ms) continue;
                size_t q = (size_t)u * na + v;
                if (!seen[q]) { seen[q] = 1; C[q]++; Wt[q] += w; }
            }
        }
    }
    size_t n = 0;
    int ok = 1;
    for (uint32_t u = 0; u < na && ok; u++)
        for (uint32_t v = u + 1; v < na; v++) {
            size_t q = (size_t)u * na + v;
            if (!C[q]) continue;
            if (n >= E->n || E->e[n].u != u || E->e[n].v != v || E->e[n].count != C[q] ||
                fabs(E->e[n].weight - Wt[q]) > 1e-4 * (1 + Wt[q])) {
                fprintf(stderr, "  %s default: brute %u-%u=%u, got %u-%u=%u\n", ls__layer_name(L), u, v,
                        C[q], n < E->n ? E->e[n].u : 0, n < E->n ? E->e[n].v : 0, n < E->n ? E->e[n].count : 0);
                ok = 0; break;
            }
            n++;
        }
    if (ok && n != E->n) { fprintf(stderr, "  %s default: %zu edges, brute %zu\n", ls__layer_name(L), E->n, n); ok = 0; }
    free(C); free(Wt); free(seen); free(acc);
    ls__recs_free(&R);
    return ok;
}

static int same_edges(const ls__edges *a, const ls__edges *b)
{
    return a->n == b->n && (a->n == 0 || memcmp(a->e, b->e, a->n * sizeof *a->e) == 0);
}

TEST(random_vs_brute_all_layers)
{
    for (int round = 0; round < 3; round++) {
        hand_store *h = random_store(150 + 50 * round);
        struct ls_store *st = hs_finish(h);
        for (int L = 0; L < LS_L_COUNT; L++) {
            /* co_text (no window, no QUT definition, a size-aware null)
             * has its own hand-computed cases in test_cotext.c. */
            if (L == LS_L_TEXT) continue;
            for (int qut = 0; qut < 2; qut++) {
                ls__co_opts o;
                ls__co_opts_default(&o);
                o.qut = qut;
                o.cap = 0;
                o.self_loops = qut && round == 1;
                o.window_ms = 30000 + 20000 * round;
                ls__edges E1, E2, E3;
                ls_ctx_set_threads(ctx, 1);
                ls_ctx_set_memory(ctx, 0);
                CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E1), LS_OK);
                if (qut && L != LS_L_POST) CHECK(brute_qut(st, L, o.window_ms, o.self_loops, &E1));
                if (qut && L == LS_L_POST) CHECK(brute_qut(st, L, o.window_ms, o.self_loops, &E1));
                if (!qut) CHECK(brute_default(st, L, &o, &E1));
                ls_ctx_set_threads(ctx, 2);
                CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E2), LS_OK);
                CHECK(same_edges(&E1, &E2));
                /* Tiny budget: pair runs spill to disk and are merged. */
                ls_ctx_set_memory(ctx, 1);
                CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E3), LS_OK);
                CHECK(same_edges(&E1, &E3));
                if (E1.st.pairs_emitted > 200) CHECK(E3.st.spill_runs > 0);
                /* 16-byte pair entries (used when ids do not fit in one
                 * word), spilled too: same edges. */
                ls__edges E4, E5;
                o.wide = 1;
                CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E4), LS_OK);
                CHECK(same_edges(&E1, &E4));
                ls_ctx_set_memory(ctx, 0);
                ls_ctx_set_threads(ctx, 1);
                ls__edges_free(&E4);
                CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E4), LS_OK);
                CHECK(same_edges(&E1, &E4));
                o.wide = 0;
                CHECK_EQ_INT(E1.st.pairs_distinct, E1.n);
                /* keep_alpha: exactly the edges with count >= min_weight
                 * and sig >= log10(pairs / alpha), in the same order. */
                /* The cut is set at the sig of one edge with count >= 2,
                 * so that some edges fall on each side of it (0.5 where
                 * there is none: qut mode, or no repeated pair). */
                o.keep_alpha = 0.5;
                for (size_t i = 0, seen = 0; i < E1.n && !qut; i++)
                    if (E1.e[i].count >= 2 && E1.e[i].sig > 0 && ++seen == 2)
                        o.keep_alpha = (double)E1.n / pow(10.0, E1.e[i].sig);
                o.min_weight = 2;
                ls_ctx_set_threads(ctx, 2);
                CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E5), LS_OK);
                CHECK_EQ_INT(E5.st.pairs_distinct, E1.n);
                {
                    double thr = E1.n ? log10((double)E1.n / o.keep_alpha) : 0;
                    size_t k = 0, bad = 0;
                    for (size_t i = 0; i < E1.n; i++) {
                        const ls__edge *e = &E1.e[i];
                        int keep = e->count >= 2 && (qut || e->sig >= (thr < 0 ? 0 : thr));
                        if (!keep) continue;
                        if (k >= E5.n || memcmp(e, &E5.e[k], sizeof *e) != 0) bad++;
                        k++;
                    }
                    CHECK_EQ_INT(bad, 0);
                    CHECK_EQ_INT(k, E5.n);
                }
                if (getenv("TEST_VERBOSE")) fprintf(stderr, "  keep_alpha: %zu of %zu edges\n", E5.n, E1.n);
                /* keep_weak (detect's group test): also the edges with
                 * count >= 2 and sig >= keep_weak whose two accounts have
                 * no edge above the cut; the same at 1 and 2 threads. */
                if (!qut && E1.n) {
                    double thr = log10((double)E1.n / o.keep_alpha);
                    if (thr < 0) thr = 0;
                    o.keep_weak = thr / 3;
                    uint8_t *strong = calloc(st->ns[LS_NS_ACCOUNT].n + 1, 1);
                    for (size_t i = 0; i < E1.n; i++)
                        if (E1.e[i].count >= 2 && E1.e[i].sig >= thr) strong[E1.e[i].u] = strong[E1.e[i].v] = 1;
                    for (int t = 1; t <= 2; t++) {
                        ls__edges E6;
                        ls_ctx_set_threads(ctx, t);
                        CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E6), LS_OK);
                        size_t k = 0, bad = 0, weak = 0;
                        for (size_t i = 0; i < E1.n; i++) {
                            const ls__edge *e = &E1.e[i];
                            int is_strong = e->count >= 2 && e->sig >= thr;
                            int is_weak = o.keep_weak < thr && e->count >= 2 && !is_strong &&
                                          e->sig >= o.keep_weak && !strong[e->u] && !strong[e->v];
                            if (!is_strong && !is_weak) continue;
                            weak += is_weak;
                            if (k >= E6.n || memcmp(e, &E6.e[k], sizeof *e) != 0) bad++;
                            k++;
                        }
                        CHECK_EQ_INT(bad, 0);
                        CHECK_EQ_INT(k, E6.n);
                        if (getenv("TEST_VERBOSE")) fprintf(stderr, "  keep_weak: %zu weak of %zu\n", weak, E6.n);
                        ls__edges_free(&E6);
                    }
                    /* keep_weak_comp: a strong edge takes an account's
                     * weak edges out only when its component of strong
                     * edges has at least keep_weak_comp accounts
                     * (brute-force components here). */
                    {
                        uint32_t na = st->ns[LS_NS_ACCOUNT].n + 1, *comp = calloc(na, sizeof *comp), *csz = calloc(na, sizeof *csz);
                        for (uint32_t a = 0; a < na; a++) comp[a] = a;
                        for (int changed = 1; changed;) {
                            changed = 0;
                            for (size_t i = 0; i < E1.n; i++) {
                                const ls__edge *e = &E1.e[i];
                                if (e->count < 2 || e->sig < thr) continue;
                                uint32_t m = comp[e->u] < comp[e->v] ? comp[e->u] : comp[e->v];
                                if (comp[e->u] != m || comp[e->v] != m) { comp[e->u] = comp[e->v] = m; changed = 1; }
                            }
                        }
                        for (uint32_t a = 0; a < na; a++) csz[comp[a]]++;
                        o.keep_weak_comp = 3;
                        for (int t = 1; t <= 2; t++) {
                            ls__edges E7;
                            ls_ctx_set_threads(ctx, t);
                            CHECK_EQ_INT(ls__coaction(ctx, st, L, &o, &E7), LS_OK);
                            size_t k = 0, bad = 0;
                            for (size_t i = 0; i < E1.n; i++) {
                                const ls__edge *e = &E1.e[i];
                                int is_strong = e->count >= 2 && e->sig >= thr;
                                int su = strong[e->u] && csz[comp[e->u]] >= 3, sv = strong[e->v] && csz[comp[e->v]] >= 3;
                                int is_weak = o.keep_weak < thr && e->count >= 2 && !is_strong && e->sig >= o.keep_weak && !su && !sv;
                                if (!is_strong && !is_weak) continue;
                                if (k >= E7.n || memcmp(e, &E7.e[k], sizeof *e) != 0) bad++;
                                k++;
                            }
                            CHECK_EQ_INT(bad, 0);
                            CHECK_EQ_INT(k, E7.n);
                            ls__edges_free(&E7);
                        }
                        o.keep_weak_comp = 0;
                        free(comp); free(csz);
                    }
                    free(strong);
                    o.keep_weak = 0;
                }
                ls__edges_free(&E4); ls__edges_free(&E5);
                o.keep_alpha = 0; o.min_weight = 1;
                ls_ctx_set_memory(ctx, 0);
                if (getenv("TEST_VERBOSE")) fprintf(stderr, "  %s qut=%d edges=%zu pairs=%llu spills=%llu\n", ls__layer_name(L), qut, E1.n, (unsigned long long)E1.st.pairs_emitted, (unsigned long long)E3.st.spill_runs);
                ls__edges_free(&E1); ls__edges_free(&E2); ls__edges_free(&E3);
            }
        }
        hs_free(h);
    }
}

TEST(bad_input)
{
    H = hs_new();
    hs_ev(H, 1000, "A", "1", 'r', "X", NULL, NULL);
    hs_ev(H, 0, "B", "2", 'r', "X", NULL, NULL);     /* out of time order */
    struct ls_store *st = hs_finish(H);
    ls__edges E;
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 1, 0, 60000, &E), LS_ERR_CORRUPT);
    CHECK_EQ_INT(run(st, LS_L_COUNT, 1, 0, 60000, &E), LS_ERR_USAGE);
    CHECK_EQ_INT(run(st, LS_L_RETWEET, 1, 0, -1, &E), LS_ERR_USAGE);
    CHECK_EQ_INT(ls__layer_parse("co_retweet"), LS_L_RETWEET);
    CHECK_EQ_INT(ls__layer_parse("similar_tweet"), LS_L_SIMILAR);
    CHECK_EQ_INT(ls__layer_parse("nope"), -1);
    hs_free(H);
}

int main(void)
{
    ls_ctx_new(&ctx);
    RUN(retweet_window_inclusive);
    RUN(same_account_twice_and_asymmetry);
    RUN(tweet_text_keys);
    RUN(link_reply_quote);
    RUN(hashtag_mention_domain_image_post);
    RUN(similar_qut_threshold);
    RUN(significance_orders_pairs);
    RUN(poisson_tail);
    RUN(cap_sampling);
    RUN(random_vs_brute_all_layers);
    RUN(bad_input);
    ls_ctx_free(ctx);
    TEST_END();
}
