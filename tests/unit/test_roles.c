/*
 * test_roles.c — unit tests of detect's roles (ls__det_roles in
 * src/networks/groups.c) on a hand-built store with hand-set networks and
 * fused edges: an account that spends most of its activity amplifying the
 * network is an amplifier unless the network amplified its own posts or it
 * co-acts with another member on the same objects (a co-action edge of a
 * layer other than amplification and bare synchrony, inside its network);
 * an amplification edge, an edge to another network or a synchrony edge
 * does not make it core.
 */
#include "test.h"
#include "det_fixture.h"
#include <stdlib.h>


static hand_store *H;

/* au0 posts 10 tweets; x0..x5 retweet six of them each; x6 retweets two and
 * posts four tweets; y0 (another network) posts three tweets. */
static void build(void)
{
    char a[16], p[32], r[32];
    int64_t t = T0;
    H = hs_new();
    for (int k = 0; k < 10; k++) {
        snprintf(p, sizeof p, "au0_%d", k);
        hs_ev(H, t++, "au0", p, 't', NULL, "news", NULL);
    }
    for (int x = 0; x <= 6; x++) {
        snprintf(a, sizeof a, "x%d", x);
        int n_rt = x == 6 ? 2 : 6;
        for (int k = 0; k < n_rt; k++) {
            snprintf(p, sizeof p, "x%d_rt%d", x, k); snprintf(r, sizeof r, "au0_%d", k);
            hs_ev(H, t++, a, p, 'r', r, NULL, NULL);
        }
        for (int k = 0; x == 6 && k < 4; k++) {
            snprintf(p, sizeof p, "x6_t%d", k);
            hs_ev(H, t++, a, p, 't', NULL, "own words", NULL);
        }
    }
    for (int k = 0; k < 3; k++) {
        snprintf(p, sizeof p, "y0_%d", k);
        hs_ev(H, t++, "y0", p, 't', NULL, "elsewhere", NULL);
    }
    hs_finish(H);
}

TEST(amplifiers_unless_amplified_or_coacting)
{
    DET_OPEN_OR_RETURN(&H->st);
    uint32_t au0 = hs_acc(H, "au0"), y0 = hs_acc(H, "y0"), x[7];
    for (int i = 0; i < 7; i++) {
        char a[16];
        snprintf(a, sizeof a, "x%d", i);
        x[i] = hs_acc(H, a);
    }
    CHECK_EQ_INT(det_nets(&d, 2), 0);
    for (uint32_t i = 0; i < d.n_acc; i++) d.net_of[i] = 0;
    d.net_of[y0] = 1;
    /* x1-x2 co-retweet inside the network; x3-au0 only amplify; x4-y0
     * co-retweet across networks; x5-x0 share bare synchrony. */
    d.n_e = 4;
    d.e = ls__calloc(d.n_e, sizeof *d.e);
    det_edge(&d.e[0], x[1], x[2], LS_L_RETWEET);
    det_edge(&d.e[1], x[3], au0, LS__L_AMPLIFY);
    det_edge(&d.e[2], x[4], y0, LS_L_RETWEET);
    det_edge(&d.e[3], x[5], x[0], LS_L_POST);
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(d.role[au0], LS_ROLE_CORE);      /* the network amplified its posts */
    CHECK_EQ_INT(d.role[x[0]], LS_ROLE_AMP);      /* 6 of 6 events amplify the network */
    CHECK_EQ_INT(d.role[x[1]], LS_ROLE_CORE);     /* co-acts with x2 */
    CHECK_EQ_INT(d.role[x[2]], LS_ROLE_CORE);
    CHECK_EQ_INT(d.role[x[3]], LS_ROLE_AMP);      /* its only edge is its amplification */
    CHECK_EQ_INT(d.role[x[4]], LS_ROLE_AMP);      /* its co-action partner is in another network */
    CHECK_EQ_INT(d.role[x[5]], LS_ROLE_AMP);      /* synchrony has no shared object */
    CHECK_EQ_INT(d.role[x[6]], LS_ROLE_CORE);     /* 2 of 6 events amplify */
    CHECK_EQ_INT(d.role[y0], LS_ROLE_CORE);
    CHECK_EQ_INT((int)d.acamp[x[0]], 6);
    CHECK_EQ_INT((int)d.acamp[x[6]], 2);
    /* 8 accounts in network 0: au0, x1, x2, x6 core; x0, x3, x4, x5 amplifiers. */
    CHECK_EQ_INT((int)d.net[0].n, 8);
    CHECK_EQ_INT((int)d.net[0].n_core, 4);
    CHECK_EQ_INT((int)d.net[0].n_amp, 4);
    CHECK_EQ_INT((int)d.net[1].n_core, 1);
    /* Without the edges every account that amplifies the network with most
     * of its activity is an amplifier again. */
    d.n_e = 0;
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(d.role[x[1]], LS_ROLE_AMP);
    CHECK_EQ_INT(d.role[x[2]], LS_ROLE_AMP);
    CHECK_EQ_INT((int)d.net[0].n_amp, 6);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

int main(void)
{
    build();
    RUN(amplifiers_unless_amplified_or_coacting);
    hs_free(H);
    TEST_END();
}
