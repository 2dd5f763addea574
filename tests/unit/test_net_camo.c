/*
 * test_net_camo.c — unit test of camouflage targets (src/networks/camo.c
 * and the parts of score.c that use it): a popular outside account that a
 * network's amplifiers retweet as camouflage, and a fan of it, are not
 * members however much of the popular account's engagement the camouflage
 * makes; the voice the amplifiers exist for still is.
 *
 * The world, hand-counted (network N = v0, f0, g0, a00..a19):
 *   voice v0 posts 10 times; a00..a19 retweet every v0 post (200);
 *   o00..o19 retweet v0_0 once each (20): its traction outside.
 *   famous f0 posts 20 times; a00..a19 retweet every f0 post (400, the
 *   camouflage); o00..o29 retweet 10 f0 posts each (300).  f0 gets
 *   400 + 12 = 412 of its 712 amplifications from N (58%), and every
 *   amplifier retweets it 20 times: both old rules made it a member.
 *   famous f1 (outside N) posts 10 times; a00..a19 retweet every f1 post
 *   (200); o00..o29 retweet 5 f1 posts each (150).
 *   fan g0 posts 20 times and retweets 12 f0 posts (all its amplification).
 * Camouflage rate of N over v0, f0 (members with no own amplification of
 * N) and f1: (200 + 400 + 200) / (21 + 301 + 151) = 800 / 473 = 1.691.
 *   v0: 200 >= 3 x 1.691 x (20 + 1) = 106.6: amplified beyond popularity.
 *   f0: 400 <  3 x 1.691 x (300 + 1) = 1,527: a camouflage target.
 * ownamp: a00 retweets 10 v0 posts (counted) and 20 f0 posts (not): 10;
 * g0's 12 retweets are all of f0: 0, so they are no part (it is not an
 * amplifier by role).
 */
#include "test.h"
#include "det_fixture.h"
#include <math.h>
#include <stdlib.h>

static hand_store *H;

static void build(void)
{
    static det_ev E[4000];
    size_t n = 0;
    char a[16], p[32], r[32];
    for (int i = 0; i < 10; i++) {
        snprintf(p, sizeof p, "v0_%d", i); det_ev_add(E, &n, T0 + i * HOUR, "v0", p, 't', NULL);
        snprintf(p, sizeof p, "f1_%d", i); det_ev_add(E, &n, T0 + i * HOUR + 1000, "f1", p, 't', NULL);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(p, sizeof p, "f0_%d", i); det_ev_add(E, &n, T0 + i * HOUR + 2000, "f0", p, 't', NULL);
        snprintf(p, sizeof p, "g0_%d", i); det_ev_add(E, &n, T0 + i * HOUR + 3000, "g0", p, 't', NULL);
    }
    for (int k = 0; k < 20; k++) {
        snprintf(a, sizeof a, "a%02d", k);
        for (int i = 0; i < 10; i++) {
            snprintf(p, sizeof p, "a%02d_v%d", k, i); snprintf(r, sizeof r, "v0_%d", i);
            det_ev_add(E, &n, T0 + i * HOUR + 600000 + k * 1000, a, p, 'r', r);
            snprintf(p, sizeof p, "a%02d_f1_%d", k, i); snprintf(r, sizeof r, "f1_%d", i);
            det_ev_add(E, &n, T0 + i * HOUR + 900000 + k * 1000, a, p, 'r', r);
        }
        for (int i = 0; i < 20; i++) {
            snprintf(p, sizeof p, "a%02d_f0_%d", k, i); snprintf(r, sizeof r, "f0_%d", i);
            det_ev_add(E, &n, T0 + i * HOUR + 1200000 + k * 1000, a, p, 'r', r);
        }
    }
    for (int k = 0; k < 30; k++) {
        snprintf(a, sizeof a, "o%02d", k);
        for (int i = 0; i < 10; i++) {
            snprintf(p, sizeof p, "o%02d_f0_%d", k, i); snprintf(r, sizeof r, "f0_%d", (k + i) % 20);
            det_ev_add(E, &n, T0 + ((k + i) % 20) * HOUR + 2 * HOUR + k * 1000, a, p, 'r', r);
        }
        for (int i = 0; i < 5; i++) {
            snprintf(p, sizeof p, "o%02d_f1_%d", k, i); snprintf(r, sizeof r, "f1_%d", (k + i) % 10);
            det_ev_add(E, &n, T0 + ((k + i) % 10) * HOUR + 3 * HOUR + k * 1000, a, p, 'r', r);
        }
        if (k < 20) {
            snprintf(p, sizeof p, "o%02d_v", k);
            det_ev_add(E, &n, T0 + 4 * HOUR + k * 1000, a, p, 'r', "v0_0");
        }
    }
    for (int i = 0; i < 12; i++) {
        snprintf(p, sizeof p, "g0_f0_%d", i); snprintf(r, sizeof r, "f0_%d", i);
        det_ev_add(E, &n, T0 + i * HOUR + 5 * HOUR, "g0", p, 'r', r);
    }
    H = hs_new();
    det_evs_add(H, E, n);
    det_plain_profiles(H, T0);
    hs_finish(H);
}

static uint32_t acc(const char *s) { return hs_acc(H, s); }

/* The network N as described above, roles set. */
static int set_network(ls__det *d)
{
    char s[8];
    if (det_nets(d, 1) != 0) return -1;
    d->net_of[acc("v0")] = d->net_of[acc("f0")] = d->net_of[acc("g0")] = 0;
    for (int k = 0; k < 20; k++) { snprintf(s, sizeof s, "a%02d", k); d->net_of[acc(s)] = 0; }
    return ls__det_roles(d) == LS_OK ? 0 : -1;
}

TEST(camouflage_rate_and_beyond)
{
    DET_OPEN_OR_RETURN(&H->st);
    CHECK_EQ_INT((int)d.n_amp, 200 + 400 + 200 + 300 + 150 + 20 + 12);
    CHECK_EQ_INT(set_network(&d), 0);
    CHECK_EQ_INT(d.role[acc("a00")], LS_ROLE_AMP);
    CHECK(d.role[acc("f0")] != LS_ROLE_AMP);
    CHECK(d.role[acc("g0")] != LS_ROLE_AMP);   /* 12 of 32 posts amplify N */
    CHECK_EQ_INT((int)d.acamp[acc("a00")], 30);
    CHECK_EQ_INT((int)d.acamp[acc("g0")], 12);
    uint8_t *beyond = ls__calloc(d.n_acc, 1);
    uint32_t *ownamp = ls__calloc(d.n_acc, sizeof *ownamp);
    CHECK(beyond && ownamp);
    if (beyond && ownamp) {
        CHECK_EQ_INT(ls__det_camouflage(&d, beyond, ownamp), LS_OK);
        CHECK_EQ_INT(beyond[acc("v0")], 1);
        CHECK_EQ_INT(beyond[acc("f0")], 0);
        CHECK_EQ_INT(beyond[acc("f1")], 0);    /* not a member */
        CHECK_EQ_INT(beyond[acc("a00")], 0);   /* nobody amplifies it */
        CHECK_EQ_INT((int)ownamp[acc("a00")], 10);
        CHECK_EQ_INT((int)ownamp[acc("a19")], 10);
        CHECK_EQ_INT((int)ownamp[acc("g0")], 0);
        CHECK_EQ_INT((int)ownamp[acc("o00")], 0);
    }
    ls__free(beyond); ls__free(ownamp);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

/* With the previous rules f0 (58% of its engagement from N, retweeted by
 * every amplifier) and g0 (all its amplification on N's posts) scored as
 * (nearly) as v0 does; now only their profile reading is left. */
TEST(camouflage_target_and_fan_score_below_the_bar)
{
    DET_OPEN_OR_RETURN(&H->st);
    CHECK_EQ_INT(set_network(&d), 0);
    CHECK_EQ_INT(ls__det_score(&d), LS_OK);
    float v0 = d.ascore[acc("v0")], a00 = d.ascore[acc("a00")];
    float f0 = d.ascore[acc("f0")], g0 = d.ascore[acc("g0")];
    fprintf(stderr, "  coord %.4f profile %.4f; v0 %.4f a00 %.4f f0 %.4f g0 %.4f\n",
            d.net[0].score_coord, d.net[0].score_mean, v0, a00, f0, g0);
    /* v0 and the amplifiers have part 1 in the coordination reading: their
     * score is sqrt(C).  f0 and g0 have part 0 and keep the profile
     * reading (0.17 here); the old rules gave f0 at least 0.58 and g0 1,
     * over sqrt(C x 0.25). */
    double full = sqrt(d.net[0].score_coord), quarter = sqrt(d.net[0].score_coord * 0.25);
    CHECK(d.net[0].score_coord > 0.2);
    CHECK(fabs(v0 - full) < 1e-4);
    CHECK(fabs(a00 - sqrt(d.net[0].score_coord * 0.75)) < 1e-4);   /* 30 of its 40 retweets on N */
    CHECK(f0 < quarter);
    CHECK(g0 < quarter);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

int main(void)
{
    build();
    RUN(camouflage_rate_and_beyond);
    RUN(camouflage_target_and_fan_score_below_the_bar);
    hs_free(H);
    TEST_END();
}
