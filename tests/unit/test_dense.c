/*
 * test_dense.c — unit tests of detect's group test (src/networks/dense.c)
 * on hand-made layers: a 12-account group whose pairs are all weak edges
 * (significance 3, below the layer's cut of 8) must be found, its edges
 * promoted and its accounts marked, except for the one account whose
 * strong edges join a component of --min-size (5) accounts (left to the
 * strong graph; an account whose strong component is smaller, which no
 * cluster can hold, stays in the group); a star (one account and its 40
 * fans), a sparse crowd of 100 and a random background must not be; edges
 * above the cut or with one co-action are never promoted; and the result
 * must not depend on the order of the edges.
 */
#include "test.h"
#include "networks/networks.h"
#include <stdlib.h>

#define NACC 700
#define THR 8.0f

static uint64_t rs = 777;
static uint64_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }

static ls__edge *E; static size_t nE, capE;

static void edge(uint32_t u, uint32_t v, uint32_t count, float sig)
{
    if (nE == capE) {
        capE = capE ? 2 * capE : 1024;
        E = realloc(E, capE * sizeof *E);
    }
    memset(&E[nE], 0, sizeof *E);
    E[nE].u = u < v ? u : v;
    E[nE].v = u < v ? v : u;
    E[nE].count = count;
    E[nE].weight = (float)count;
    E[nE].sig = sig;
    nE++;
}

static int in_group(uint32_t a) { return a < 12; }

static void build(void)
{
    nE = 0;
    /* the group: every pair, three co-actions each, weak */
    for (uint32_t u = 0; u < 12; u++)
        for (uint32_t v = u + 1; v < 12; v++) edge(u, v, 3, 3.0f);
    /* account 5 also has strong edges: a chain 5-650-651-652-653, a
     * component of five; account 3 one strong edge, to 661 (two) */
    edge(5, 650, 12, 20.0f);
    for (uint32_t a = 650; a < 653; a++) edge(a, a + 1, 12, 20.0f);
    edge(3, 661, 12, 20.0f);
    /* a pair with one co-action and a huge significance: never evidence */
    edge(0, 660, 1, 5.0f);
    /* a star: 20 and its 40 fans */
    for (uint32_t f = 21; f <= 60; f++) edge(20, f, 2, 2.5f);
    /* a sparse crowd: 100 accounts, about 5% of their pairs */
    for (uint32_t u = 100; u < 200; u++)
        for (uint32_t v = u + 1; v < 200; v++)
            if (rnd() % 20 == 0) edge(u, v, 2, 2.2f);
    /* background: 400 accounts, 1,500 random weak pairs */
    for (int k = 0; k < 1500; k++) {
        uint32_t u = 200 + (uint32_t)(rnd() % 400), v = 200 + (uint32_t)(rnd() % 400);
        if (u != v) edge(u, v, 2, 2.1f);
    }
}

typedef struct { uint8_t *promote; uint8_t dense[NACC]; uint64_t groups, accounts, promoted; } result;

static int run(result *r)
{
    ls_ctx *ctx = NULL;
    ls__det d;
    ls_detect_opts o;
    int rc;
    memset(&d, 0, sizeof d);
    if (ls_ctx_new(&ctx) != LS_OK) return -1;
    ls_detect_opts_default(&o);
    d.ctx = ctx; d.o = &o; d.n_acc = NACC;
    ls__edges L = { 0 };
    L.layer = LS_L_HASHTAG; L.e = E; L.n = nE;
    r->promote = malloc(nE);
    rc = ls__det_dense(&d, LS_L_HASHTAG, &L, THR, r->promote);
    for (uint32_t a = 0; a < NACC; a++) r->dense[a] = d.adense ? d.adense[a] : 0;
    r->groups = d.lst[LS_L_HASHTAG].groups;
    r->accounts = d.lst[LS_L_HASHTAG].group_accounts;
    r->promoted = d.lst[LS_L_HASHTAG].promoted;
    ls__free(d.adense);
    ls_ctx_free(ctx);
    return rc;
}

TEST(group_found_crowds_not)
{
    build();
    result r;
    CHECK_EQ_INT(run(&r), LS_OK);
    CHECK_EQ_INT((int)r.groups, 1);
    CHECK_EQ_INT((int)r.accounts, 11);
    CHECK_EQ_INT((int)r.promoted, 55);   /* C(11, 2): the pairs without account 5 */
    for (uint32_t a = 0; a < NACC; a++) CHECK_EQ_INT(r.dense[a], in_group(a) && a != 5);
    for (size_t i = 0; i < nE; i++) {
        int want = in_group(E[i].u) && in_group(E[i].v) && E[i].u != 5 && E[i].v != 5;
        if (r.promote[i] != want) {
            fprintf(stderr, "  edge %u-%u promote %d\n", E[i].u, E[i].v, r.promote[i]);
            CHECK(r.promote[i] == want);
            break;
        }
    }
    free(r.promote);
}

/* The same edges in reverse order: the same groups and marks. */
TEST(order_does_not_matter)
{
    build();
    result a, b;
    CHECK_EQ_INT(run(&a), LS_OK);
    for (size_t i = 0; i < nE / 2; i++) { ls__edge t = E[i]; E[i] = E[nE - 1 - i]; E[nE - 1 - i] = t; }
    CHECK_EQ_INT(run(&b), LS_OK);
    CHECK_EQ_INT((int)a.groups, (int)b.groups);
    CHECK_EQ_INT((int)a.promoted, (int)b.promoted);
    CHECK(memcmp(a.dense, b.dense, NACC) == 0);
    for (size_t i = 0; i < nE; i++) CHECK_EQ_INT(b.promote[i], a.promote[nE - 1 - i]);
    free(a.promote); free(b.promote);
}

/* A group of four is below --min-size (5): nothing, whatever its density;
 * five accounts with six of their ten pairs (density 0.6, but under four
 * links a member) are not a group either, a clique of five is; and a layer
 * with no weak edges at all is a no-op. */
TEST(small_and_empty)
{
    nE = 0;
    for (uint32_t u = 0; u < 4; u++)
        for (uint32_t v = u + 1; v < 4; v++) edge(u, v, 5, 4.0f);
    static const uint32_t six[6][2] = { { 10, 11 }, { 11, 12 }, { 12, 13 }, { 13, 14 }, { 14, 10 }, { 10, 12 } };
    for (int k = 0; k < 6; k++) edge(six[k][0], six[k][1], 3, 3.0f);
    for (int k = 0; k < 300; k++) {
        uint32_t u = 200 + (uint32_t)(rnd() % 400), v = 200 + (uint32_t)(rnd() % 400);
        if (u != v) edge(u, v, 2, 2.1f);
    }
    result r;
    CHECK_EQ_INT(run(&r), LS_OK);
    CHECK_EQ_INT((int)r.groups, 0);
    CHECK_EQ_INT((int)r.promoted, 0);
    free(r.promote);
    /* the five made a clique: found */
    edge(10, 13, 3, 3.0f); edge(11, 13, 3, 3.0f); edge(11, 14, 3, 3.0f); edge(12, 14, 3, 3.0f);
    CHECK_EQ_INT(run(&r), LS_OK);
    CHECK_EQ_INT((int)r.groups, 1);
    CHECK_EQ_INT((int)r.accounts, 5);
    CHECK_EQ_INT((int)r.promoted, 10);
    free(r.promote);
    nE = 0;
    edge(1, 2, 9, 30.0f);
    CHECK_EQ_INT(run(&r), LS_OK);
    CHECK_EQ_INT((int)r.groups, 0);
    CHECK_EQ_INT(r.promote[0], 0);
    free(r.promote);
}

int main(void)
{
    RUN(group_found_crowds_not);
    RUN(order_does_not_matter);
    RUN(small_and_empty);
    free(E);
    TEST_END();
}
