/*
 * test_cotext.c — the co_text layer (near-duplicate informative text at
 * any time gap): the information measure of a normalised text, copies
 * hours apart that co_similar_tweet's window misses, short cries left
 * out, one account's repeats counted once, the size-aware null
 * (hand-computed lambda), the co-actor counts the group test reads, a
 * text over the cap left out whole, and no --compat qut definition.
 */
#include "test.h"
#include "hand_store.h"
#include <math.h>

static ls_ctx *ctx;
static hand_store *H;

#define HOUR 3600000LL
#define T1 "Nobody at the summit will tell you that the pipeline was written by lobbyists. Share!"
#define T2 "While you watch the debate, the new tax has already collapsed and nobody says it"
#define T3 "a completely different sentence that one account wrote about the weather today"

static const ls__edge *find(const ls__edges *E, const char *a, const char *b)
{
    uint32_t u = hs_acc(H, a), v = hs_acc(H, b);
    if (u > v) { uint32_t t = u; u = v; v = t; }
    for (size_t i = 0; i < E->n; i++)
        if (E->e[i].u == u && E->e[i].v == v) return &E->e[i];
    return NULL;
}

static int run(struct ls_store *st, int layer, int qut, uint32_t cap, ls__edges *E)
{
    ls__co_opts o;
    ls__co_opts_default(&o);
    o.qut = qut;
    o.window_ms = 3600000;
    if (cap) o.cap = cap;
    return ls__coaction(ctx, st, layer, &o, E);
}

TEST(information)
{
    CHECK_EQ_INT(ls__text_info(LS__S("goal!!! #rfcvatn")), 4);
    CHECK_EQ_INT(ls__text_info(LS__S("we love you so much 💛")), 15);
    /* Hashtags carry no information of their own; digits count. */
    CHECK_EQ_INT(ls__text_info(LS__S("#budget2022 is a distraction. the real story 2x")), 28);
    /* Han counts 3 a character, Hangul syllables 2. */
    CHECK_EQ_INT(ls__text_info(LS__S("这是测试")), 12);
    CHECK_EQ_INT(ls__text_info(LS__S("안녕")), 4);
    CHECK_EQ_INT(ls__text_info(LS__S("")), 0);
    /* Invalid bytes count nothing and do not stop the count. */
    CHECK_EQ_INT(ls__text_info(LS__S("ab\xff" "cd")), 4);
    CHECK(ls__text_info(LS__S("goal goal goal #rfcvatn #leaguenight")) < LS__TEXT_MIN_INFO);
    CHECK(ls__text_info(LS__S(T1)) >= LS__TEXT_MIN_INFO);
}

/* A, B and C each post T1 and T2, hours apart; A posts T1 twice; E posts
 * T3 alone; A and D post the same short cry a second apart. */
static struct ls_store *build(void)
{
    H = hs_new();
    hs_ev(H, 0 * HOUR, "A", "1", 't', NULL, T1, NULL);
    hs_ev(H, 0 * HOUR + 1000, "D", "2", 't', NULL, "GOAL!!! #RFCvATN", NULL);
    hs_ev(H, 0 * HOUR + 2000, "A", "3", 't', NULL, "GOAL!!! #RFCvATN", NULL);
    hs_ev(H, 3 * HOUR, "B", "4", 't', NULL, T1 " 🔥", NULL);
    hs_ev(H, 5 * HOUR, "A", "5", 't', NULL, T1, NULL);
    hs_ev(H, 7 * HOUR, "C", "6", 't', NULL, "@someone " T1, NULL);
    hs_ev(H, 20 * HOUR, "C", "7", 't', NULL, T2, NULL);
    hs_ev(H, 26 * HOUR, "E", "8", 't', NULL, T3, NULL);
    hs_ev(H, 30 * HOUR, "A", "9", 't', NULL, T2 " ‼️", NULL);
    hs_ev(H, 40 * HOUR, "B", "10", 't', NULL, "While you watch the debate, the new tax has REALLY already collapsed and nobody says it", NULL);
    return hs_finish(H);
}

TEST(copies_hours_apart)
{
    struct ls_store *st = build();
    ls__edges E;
    /* co_similar_tweet, one hour: the copies are 2-10 hours apart. */
    CHECK_EQ_INT(run(st, LS_L_SIMILAR, 0, 0, &E), LS_OK);
    CHECK(find(&E, "A", "B") == NULL);
    CHECK(find(&E, "A", "C") == NULL);
    CHECK(find(&E, "A", "D") != NULL);   /* the cry, a second apart */
    ls__edges_free(&E);

    CHECK_EQ_INT(run(st, LS_L_TEXT, 0, 0, &E), LS_OK);
    /* Pairs of A, B, C on two texts; nothing with D (a cry) or E. */
    CHECK_EQ_INT(E.n, 3);
    const ls__edge *ab = find(&E, "A", "B"), *ac = find(&E, "A", "C"), *bc = find(&E, "B", "C");
    CHECK(ab && ac && bc);
    CHECK(find(&E, "A", "D") == NULL);
    CHECK_EQ_INT(ab ? ab->count : 0, 2);
    CHECK_EQ_INT(ac ? ac->count : 0, 2);
    CHECK_EQ_INT(bc ? bc->count : 0, 2);
    /* Objects T1 {A,B,C}, T2 {A,B,C}, T3 {E}: activity 2, 2, 2, 1 (A's
     * second T1 counts once), A = 7; exposure (accounts on the object
     * - 1) 4, 4, 4, 0.  lambda_AB = (2*4 + 2*4) / (2*7) = 8/7. */
    CHECK_EQ_INT(E.activity[hs_acc(H, "A")], 2);
    CHECK_EQ_INT(E.activity[hs_acc(H, "E")], 1);
    CHECK_EQ_INT(E.activity[hs_acc(H, "D")], 0);
    double want = ls__poisson_sf_log10(2, 8.0 / 7.0);
    CHECK(ab && fabs(ab->sig - want) < 1e-5);
    CHECK(fabs(want - (-log10(1.0 - exp(-8.0 / 7.0) * (1.0 + 8.0 / 7.0)))) < 1e-9);
    /* Co-actors: A met B and C. */
    CHECK(E.partners != NULL);
    CHECK_EQ_INT(E.partners ? E.partners[hs_acc(H, "A")] : 0, 2);
    CHECK_EQ_INT(E.partners ? E.partners[hs_acc(H, "E")] : 9, 0);
    CHECK_EQ_INT(E.st.pairs_distinct, 3);
    CHECK_EQ_INT(E.st.objects_capped, 0);
    ls__edges_free(&E);

    /* Other layers report no co-actor counts. */
    CHECK_EQ_INT(run(st, LS_L_SIMILAR, 0, 0, &E), LS_OK);
    CHECK(E.partners == NULL);
    ls__edges_free(&E);
    hs_free(H);
}

TEST(over_the_cap_left_out)
{
    struct ls_store *st = build();
    ls__edges E;
    /* Cap 2: T1 and T2 have 3 accounts each and are left out whole. */
    CHECK_EQ_INT(run(st, LS_L_TEXT, 0, 2, &E), LS_OK);
    CHECK_EQ_INT(E.n, 0);
    CHECK_EQ_INT(E.st.objects_capped, 2);
    CHECK_EQ_INT(E.st.accounts_dropped, 6);
    CHECK_EQ_INT(E.st.pairs_capped, 6);
    /* Left out whole: not in the activity either. */
    CHECK_EQ_INT(E.activity[hs_acc(H, "A")], 0);
    CHECK_EQ_INT(E.activity[hs_acc(H, "E")], 1);
    CHECK_EQ_INT(E.partners ? E.partners[hs_acc(H, "A")] : 9, 0);
    ls__edges_free(&E);
    /* No QUT definition. */
    CHECK_EQ_INT(run(st, LS_L_TEXT, 1, 0, &E), LS_ERR_USAGE);
    hs_free(H);
}

TEST(names)
{
    CHECK_EQ_STR(ls__layer_name(LS_L_TEXT), "co_text");
    CHECK_EQ_INT(ls__layer_parse("co_text"), LS_L_TEXT);
    CHECK_EQ_INT(ls__layer_parse("text"), LS_L_TEXT);
}

int main(void)
{
    ls_ctx_new(&ctx);
    RUN(information);
    RUN(copies_hours_apart);
    RUN(over_the_cap_left_out);
    RUN(names);
    ls_ctx_free(ctx);
    TEST_END();
}
