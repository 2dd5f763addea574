/*
 * test_links.c — unit test of link capture (src/networks/links.c) and of
 * its term in the coordination reading (score.c, docs/detect.md "Link
 * capture").  One hand-built world, hand-computed numbers:
 *
 * - A laundering network of six accounts l0..l5, split by the clustering
 *   into two networks L1 = {l0,l1,l2} and L2 = {l3,l4,l5} (as genworld2's
 *   shifts are).  Each member posts the same four URLs of a.example and
 *   the same four of b.example, each post in its own words, and one link
 *   to pop.example: 9 link posts.  One organic account posts a.example
 *   once.
 * - A feed-bot family F = f0..f4: each posts the same four feed.example
 *   URLs with the feed's headline, the same text for every bot.
 * - A partisan group P = p0..p4: two posts of p.example and two of
 *   pop.example each; thirty organic accounts post p.example once each.
 * - 100 organic accounts post pop.example four times each.
 * Link entries L = 54 + 20 + 20 + 400 + 30 + 1 = 525.
 *
 * L1, a.example: n = 12, rest = 12 (L2) + 1 = 13, lambda = 27 * 13 / 498 =
 * 0.705; 12 >= 4 lambda and the Poisson tail is far below 1e-3; 3
 * members.  b.example: n = 12, rest 12, lambda 0.651.  pop.example: n = 3,
 * lambda = 27 * 413 / 498 = 22.4, not over.  a.example's pushed posts are
 * L1's 12 and L2's 12 of T = 25, b.example's 24 of 24: both captured.
 * (L1 alone makes under half of a.example's posts: a test asking one
 * network to carry most of a domain would lose both shifts.)  link_capture
 * = 24 / 27 = 8/9, link_relay = 0.  With co_link edges joining every
 * member, link_edges = 1 and the link term of C is 8/9.
 * F: feed.example, lambda 0, captured: link_capture 1, link_relay 1
 * (every post repeats another bot's text for the same URL): C = 0.
 * P: p.example, n = 10, rest 30, lambda = 20 * 30 / 505 = 1.19, over the
 * rest's rate (10 >= 4.75, tail 5e-7), but the pushed posts (10) are
 * under half of its 40: an outlet with readers, not captured;
 * link_capture 0.
 * l0's part: 8 authored captured posts of 9 link posts, counted in full
 * from 10: 8/9 * 0.8.
 * Two more worlds: bare links are relays; decorated headlines ("G0:
 * Headline 1") are relays when their authors have near-duplicate edges.
 */
#include "test.h"
#include "det_fixture.h"
#include <math.h>
#include <stdlib.h>

static hand_store *H;
static int64_t Tn;

static void ev(const char *acc, const char *text, const char *list)
{
    static int seq;
    char post[24];
    snprintf(post, sizeof post, "x%d", seq++);
    /* One event every 7 minutes: hours of the day come round evenly. */
    Tn += 7 * 60000;
    hs_ev(H, Tn, acc, post, 't', NULL, text, list);
}

static void build(void)
{
    char a[16], t[64], l[96];
    H = hs_new();
    Tn = T0;
    for (int k = 0; k < 4; k++) {
        for (int m = 0; m < 6; m++) {
            snprintf(a, sizeof a, "l%d", m);
            snprintf(t, sizeof t, "account %d writes note %d on site a", m, k);
            snprintf(l, sizeof l, "u:a.example/%d d:a.example", k);
            ev(a, t, l);
            snprintf(t, sizeof t, "account %d writes note %d on site b", m, k);
            snprintf(l, sizeof l, "u:b.example/%d d:b.example", k);
            ev(a, t, l);
        }
        for (int m = 0; m < 5; m++) {
            snprintf(a, sizeof a, "f%d", m);
            snprintf(t, sizeof t, "Headline number %d of the feed", k);
            snprintf(l, sizeof l, "u:feed.example/%d d:feed.example", k);
            ev(a, t, l);
        }
    }
    for (int m = 0; m < 6; m++) {
        snprintf(a, sizeof a, "l%d", m);
        snprintf(t, sizeof t, "account %d likes this", m);
        snprintf(l, sizeof l, "u:pop.example/l%d d:pop.example", m);
        ev(a, t, l);
    }
    for (int m = 0; m < 5; m++)
        for (int k = 0; k < 4; k++) {
            snprintf(a, sizeof a, "p%d", m);
            snprintf(t, sizeof t, "partisan %d view %d", m, k);
            if (k < 2) snprintf(l, sizeof l, "u:p.example/%d%d d:p.example", m, k);
            else snprintf(l, sizeof l, "u:pop.example/p%d%d d:pop.example", m, k);
            ev(a, t, l);
        }
    for (int j = 0; j < 100; j++)
        for (int k = 0; k < 4; k++) {
            snprintf(a, sizeof a, "o%d", j);
            snprintf(t, sizeof t, "organic %d post %d", j, k);
            snprintf(l, sizeof l, "u:pop.example/o%d_%d d:pop.example", j, k);
            ev(a, t, l);
        }
    for (int j = 0; j < 30; j++) {
        snprintf(a, sizeof a, "o%d", j);
        snprintf(t, sizeof t, "organic %d reads p", j);
        snprintf(l, sizeof l, "u:p.example/o%d d:p.example", j);
        ev(a, t, l);
    }
    ev("o99", "organic reads a", "u:a.example/9 d:a.example");
    det_plain_profiles(H, T0);
    hs_finish(H);
}

static uint32_t acc(const char *s) { return hs_acc(H, s); }

TEST(capture_relay_and_the_link_term)
{
    DET_OPEN_OR_RETURN(&H->st);
    CHECK_EQ_INT(det_nets(&d, 4), 0);
    char s[8];
    for (int m = 0; m < 6; m++) { snprintf(s, sizeof s, "l%d", m); d.net_of[acc(s)] = m < 3 ? 0 : 1; }
    for (int m = 0; m < 5; m++) {
        snprintf(s, sizeof s, "f%d", m); d.net_of[acc(s)] = 2;
        snprintf(s, sizeof s, "p%d", m); d.net_of[acc(s)] = 3;
    }
    /* co_link edges joining every member of L1, L2 and F (chains). */
    static const char *pairs[][2] = { { "l0", "l1" }, { "l1", "l2" }, { "l3", "l4" }, { "l4", "l5" },
                                      { "f0", "f1" }, { "f1", "f2" }, { "f2", "f3" }, { "f3", "f4" } };
    size_t ne = sizeof pairs / sizeof pairs[0];
    d.e = ls__calloc(ne, sizeof *d.e);
    CHECK(d.e != NULL);
    if (!d.e) { ls__det_free(&d); ls_ctx_free(ctx); return; }
    for (size_t i = 0; i < ne; i++) det_edge(&d.e[i], acc(pairs[i][0]), acc(pairs[i][1]), LS_L_LINK);
    d.n_e = ne;
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(ls__det_score(&d), LS_OK);
    const ls__net *L1 = &d.net[0], *L2 = &d.net[1], *F = &d.net[2], *P = &d.net[3];
    CHECK(fabs(L1->sig[SIG_LINKCAP] - 8.0 / 9.0) < 1e-9);
    CHECK(fabs(L2->sig[SIG_LINKCAP] - 8.0 / 9.0) < 1e-9);
    CHECK(fabs(L1->sig[SIG_RELAY]) < 1e-9);
    CHECK(fabs(L1->link_edges - 1.0) < 1e-9);
    CHECK(fabs(F->sig[SIG_LINKCAP] - 1.0) < 1e-9);
    CHECK(fabs(F->sig[SIG_RELAY] - 1.0) < 1e-9);
    CHECK(fabs(P->sig[SIG_LINKCAP]) < 1e-9);
    /* No engagement anywhere: the other coordination terms are 0, so C is
     * the link term; I from the measured anomalies, link_capture among
     * them. */
    double keep = 1;
    static const int anom[] = { SIG_COHORT, SIG_NAME, SIG_FOLLOWERS, SIG_CLIENT, SIG_SCHEDULE, SIG_AROUND,
                                SIG_TARGETS, SIG_LINKCAP };
    for (size_t i = 0; i < sizeof anom / sizeof anom[0]; i++) {
        if (!d.sig_measurable[anom[i]]) continue;
        double r = (L1->sig[anom[i]] - 0.2) / 0.8;
        keep *= 1.0 - 0.7 * (r < 0 ? 0 : r > 1 ? 1 : r);
    }
    CHECK(d.sig_measurable[SIG_LINKCAP]);
    CHECK(keep <= 1.0 - 0.7 * (8.0 / 9.0 - 0.2) / 0.8 + 1e-9);
    CHECK(fabs(L1->score_coord - sqrt(8.0 / 9.0 * (1.0 - keep))) < 1e-6);
    CHECK(L1->score_coord >= 0.5);
    CHECK(fabs(F->score_coord) < 1e-9);
    CHECK(fabs(P->score_coord) < 1e-9);
    /* l0's part: 8 of 9 link posts authored on captured domains, x 8/10. */
    double part = 8.0 / 9.0 * 0.8;
    CHECK(d.ascore[acc("l0")] >= sqrt(L1->score_coord * part) - 1e-5);
    CHECK(d.ascore[acc("f0")] < 0.5);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

/* A small world in H: four accounts <p>0..<p>3 each post the same four
 * URLs of <p>.example (text fmt with the account's and the URL's number,
 * or no text when fmt is NULL), then 50 organic accounts one pop.example
 * link each. */
static void small_world(const char *p, const char *fmt)
{
    char a[16], t[64], l[96];
    H = hs_new();
    Tn = T0;
    for (int k = 0; k < 4; k++)
        for (int m = 0; m < 4; m++) {
            snprintf(a, sizeof a, "%s%d", p, m);
            if (fmt) snprintf(t, sizeof t, fmt, m, k);
            snprintf(l, sizeof l, "u:%s.example/%d d:%s.example", p, k, p);
            ev(a, fmt ? t : NULL, l);
        }
    for (int j = 0; j < 50; j++) {
        snprintf(a, sizeof a, "o%d", j);
        snprintf(l, sizeof l, "u:pop.example/%d d:pop.example", j);
        ev(a, "organic words", l);
    }
    det_plain_profiles(H, T0);
    hs_finish(H);
}

/* Posts that are the bare link (no words of their own) add nothing to the
 * source: relayed, whatever the others did. */
TEST(bare_links_are_relays)
{
    hand_store *save = H;
    small_world("b", NULL);
    {
        DET_OPEN_OR_RETURN(&H->st);
        CHECK_EQ_INT(det_nets(&d, 1), 0);
        char s[8];
        for (int m = 0; m < 4; m++) { snprintf(s, sizeof s, "b%d", m); d.net_of[acc(s)] = 0; }
        CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
        CHECK_EQ_INT(ls__det_score(&d), LS_OK);
        CHECK(fabs(d.net[0].sig[SIG_LINKCAP] - 1.0) < 1e-9);
        CHECK(fabs(d.net[0].sig[SIG_RELAY] - 1.0) < 1e-9);
        CHECK(fabs(d.net[0].score_coord) < 1e-9);
        ls__det_free(&d);
        ls_ctx_free(ctx);
    }
    hs_free(H);
    H = save;
}

/* Aggregators decorate the feed's headline ("G0: Headline 1"): near-copies,
 * not copies.  Four bots post the same four URLs of g.example with their
 * own prefix; with co_similar_tweet edges among them every captured post
 * is a relay (link_relay 1, no link reading), without them the same posts
 * read as authored (link_relay 0). */
TEST(near_copies_are_relays)
{
    hand_store *save = H;
    small_world("g", "G%d: Headline number %d of the feed");
    for (int with = 0; with < 2; with++) {
        DET_OPEN_OR_RETURN(&H->st);
        CHECK_EQ_INT(det_nets(&d, 1), 0);
        char s[8];
        for (int m = 0; m < 4; m++) { snprintf(s, sizeof s, "g%d", m); d.net_of[acc(s)] = 0; }
        d.e = ls__calloc(6, sizeof *d.e);
        CHECK(d.e != NULL);
        if (!d.e) { ls__det_free(&d); ls_ctx_free(ctx); break; }
        for (int m = 0; m < 3; m++) {
            char u[8], v[8];
            snprintf(u, sizeof u, "g%d", m); snprintf(v, sizeof v, "g%d", m + 1);
            det_edge(&d.e[d.n_e++], acc(u), acc(v), LS_L_LINK);
            if (with) det_edge(&d.e[d.n_e++], acc(u), acc(v), LS_L_SIMILAR);
        }
        CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
        CHECK_EQ_INT(ls__det_score(&d), LS_OK);
        CHECK(fabs(d.net[0].sig[SIG_LINKCAP] - 1.0) < 1e-9);
        CHECK(fabs(d.net[0].sig[SIG_RELAY] - (with ? 1.0 : 0.0)) < 1e-9);
        if (with) CHECK(fabs(d.net[0].score_link) < 1e-9);
        else CHECK(d.net[0].score_link > 0.5);
        ls__det_free(&d);
        ls_ctx_free(ctx);
    }
    hs_free(H);
    H = save;
}

int main(void)
{
    build();
    RUN(capture_relay_and_the_link_term);
    RUN(bare_links_are_relays);
    RUN(near_copies_are_relays);
    hs_free(H);
    TEST_END();
}
