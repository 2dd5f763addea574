/*
 * test_net_merge.c — unit test of cluster merging (src/networks/groups.c,
 * merge_clusters through ls__det_networks) and of the layer windows
 * (ls__det_window_s in fuse.c).
 *
 * The world, hand-counted:
 *   ring R: seed s0 posts 10 times; r00..r19 retweet every post (200).
 *   organic o00..o29 retweet every s0 post too (300): the ring's traction.
 *   background b00..b49: 10 posts each, 100 retweets each of the others'
 *   posts (5,000), unclustered.
 *   cell C: c0..c9 post; c0..c4 retweet one s0 post each (5 events to R)
 *   and every c retweets 10 background posts (out_C = 105).
 *   cell D: d0..d9 post; each retweets 4 s0 posts (40 events to R).
 * V = 200 + 300 + 5,000 + 105 + 40 = 5,645 amplifications.
 * Boundary volumes: vol_R = 300 + 5 + 40 = 345, vol_C = 5, vol_D = 40.
 * R-D: flow 40 = all of vol_D; chance vol_D*vol_R/V = 40*345/5,645 = 2.4,
 * 3x = 7.3 <= 40: D amplifies R far beyond chance, so they merge.
 * R-C: flow 5 = all of vol_C; chance 0.31 (3x = 0.92): C merges too,
 * although its 5 events are camouflage retweets of a popular seed.  That is
 * the known gap of genworld mixed_small seed 2 (docs/generality.md): a
 * chance term for the members' own amplification by popularity kept C
 * apart, but lost an operation's cells elsewhere (test_detect
 * operation_found_fandom_not; a scale-0.02 june2020 world, F1 0.998 ->
 * 0.42 with another base for the share), so it was taken out again; this
 * test asserts the rule as it is.
 */
#include "test.h"
#include "det_fixture.h"
#include <stdlib.h>

double ls__det_window_s(const ls_detect_opts *o, int l);

static hand_store *H;

static void build(void)
{
    static det_ev E[8000];
    size_t n = 0;
    char a[16], p[32], r[32];
    for (int i = 0; i < 10; i++) {
        snprintf(p, sizeof p, "s0_%d", i);
        det_ev_add(E, &n, T0 + i * HOUR, "s0", p, 't', NULL);
    }
    for (int k = 0; k < 20; k++)
        for (int i = 0; i < 10; i++) {
            snprintf(a, sizeof a, "r%02d", k); snprintf(p, sizeof p, "r%02d_%d", k, i); snprintf(r, sizeof r, "s0_%d", i);
            det_ev_add(E, &n, T0 + i * HOUR + 300000 + k * 1000, a, p, 'r', r);
        }
    for (int k = 0; k < 30; k++)
        for (int i = 0; i < 10; i++) {
            snprintf(a, sizeof a, "o%02d", k); snprintf(p, sizeof p, "o%02d_%d", k, i); snprintf(r, sizeof r, "s0_%d", i);
            det_ev_add(E, &n, T0 + i * HOUR + 2 * HOUR + k * 1000, a, p, 'r', r);
        }
    for (int k = 0; k < 50; k++)
        for (int i = 0; i < 10; i++) {
            snprintf(a, sizeof a, "b%02d", k); snprintf(p, sizeof p, "b%02d_%d", k, i);
            det_ev_add(E, &n, T0 + i * HOUR + k * 1000 + 500, a, p, 't', NULL);
        }
    for (int k = 0; k < 50; k++)
        for (int j = 1, made = 0; made < 100; j++) {
            int other = (k + j) % 50;
            if (other == k) continue;
            snprintf(a, sizeof a, "b%02d", k); snprintf(p, sizeof p, "b%02d_rt%d", k, made);
            snprintf(r, sizeof r, "b%02d_%d", other, j % 10);
            det_ev_add(E, &n, T0 + DAY + made * 60000 + k * 100, a, p, 'r', r);
            made++;
        }
    for (int k = 0; k < 10; k++) {
        for (int i = 0; i < 3; i++) {
            snprintf(a, sizeof a, "c%d", k); snprintf(p, sizeof p, "c%d_%d", k, i);
            det_ev_add(E, &n, T0 + i * HOUR + k * 1000 + 700, a, p, 't', NULL);
            snprintf(a, sizeof a, "d%d", k); snprintf(p, sizeof p, "d%d_%d", k, i);
            det_ev_add(E, &n, T0 + i * HOUR + k * 1000 + 800, a, p, 't', NULL);
        }
        snprintf(a, sizeof a, "c%d", k);
        if (k < 5) {
            snprintf(p, sizeof p, "c%d_cam", k); snprintf(r, sizeof r, "s0_%d", k);
            det_ev_add(E, &n, T0 + k * HOUR + HOUR / 2, a, p, 'r', r);
        }
        for (int j = 0; j < 10; j++) {
            snprintf(p, sizeof p, "c%d_bg%d", k, j); snprintf(r, sizeof r, "b%02d_%d", (k * 5 + j) % 50, j);
            det_ev_add(E, &n, T0 + 2 * DAY + j * 60000 + k * 100, a, p, 'r', r);
        }
        snprintf(a, sizeof a, "d%d", k);
        for (int i = 0; i < 4; i++) {
            snprintf(p, sizeof p, "d%d_amp%d", k, i); snprintf(r, sizeof r, "s0_%d", (k + i) % 10);
            det_ev_add(E, &n, T0 + ((k + i) % 10) * HOUR + 600000 + k * 100, a, p, 'r', r);
        }
    }
    H = hs_new();
    det_evs_add(H, E, n);
    det_plain_profiles(H, T0);
    hs_finish(H);
}

static uint32_t acc(const char *s) { return hs_acc(H, s); }

TEST(flow_beyond_chance_merges)
{
    DET_OPEN_OR_RETURN(&H->st);
    CHECK_EQ_INT((int)d.n_amp, 200 + 300 + 5000 + 105 + 40);
    d.cluster = ls__malloc(d.n_acc * sizeof *d.cluster);
    CHECK(d.cluster != NULL);
    if (!d.cluster) { ls__det_free(&d); ls_ctx_free(ctx); return; }
    char s[16];
    for (uint32_t a = 0; a < d.n_acc; a++) d.cluster[a] = LS__NONE;
    d.cluster[acc("s0")] = 0;
    for (int k = 0; k < 20; k++) { snprintf(s, sizeof s, "r%02d", k); d.cluster[acc(s)] = 0; }
    for (int k = 0; k < 10; k++) {
        snprintf(s, sizeof s, "c%d", k); d.cluster[acc(s)] = 1;
        snprintf(s, sizeof s, "d%d", k); d.cluster[acc(s)] = 2;
    }
    d.n_clusters = 3;
    CHECK(ls__det_networks(&d) == LS_OK);
    /* One network: R with D, and (the known gap) C. */
    CHECK_EQ_INT((int)d.n_net, 1);
    uint32_t nr = d.net_of[acc("s0")];
    CHECK(nr != LS__NONE);
    CHECK(d.net_of[acc("d0")] == nr);
    CHECK(d.net_of[acc("d9")] == nr);
    CHECK(d.net_of[acc("c0")] == nr);
    CHECK(d.net_of[acc("r19")] == nr);
    CHECK(d.net_of[acc("o00")] == LS__NONE);
    CHECK(d.net_of[acc("b00")] == LS__NONE);
    /* s0, the 20 ring accounts, the 10 of D and the 10 of C. */
    CHECK_EQ_INT((int)d.net[nr].n, 41);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

TEST(reply_layer_uses_the_text_window)
{
    ls_detect_opts o;
    ls_detect_opts_default(&o);
    o.rt_window_s = 45;
    o.text_window_s = 1800;
    CHECK(ls__det_window_s(&o, LS_L_RETWEET) == 45);
    CHECK(ls__det_window_s(&o, LS_L_QUOTE) == 45);
    CHECK(ls__det_window_s(&o, LS_L_REPLY) == 1800);
    CHECK(ls__det_window_s(&o, LS_L_TWEET) == 1800);
}

int main(void)
{
    build();
    RUN(flow_beyond_chance_merges);
    RUN(reply_layer_uses_the_text_window);
    hs_free(H);
    TEST_END();
}
