/*
 * test_score_part.c — unit test of an account's part in its network's
 * coordination (src/networks/score.c): an edge of a co-action layer is a
 * part when that layer is how the network coordinates, i.e. at least half
 * of its members have an edge of the layer to another member.  Then the
 * account scores sqrt(P) (P = the network's coordination reading); a member
 * without a part keeps its profile-side score.
 *
 * Three networks of ten accounts, A, B and C, built alike: every member
 * posts at every hour and replies to a member of its own network at every
 * hour (insularity 1; quiet-hours share 6/24, against 0 for a background
 * that posts only in office hours: around_the_clock 1), and four of its
 * members are marked as a dense group (dense_group 0.4, under the 0.5 from
 * which the mark is a part).  So C = 0.4, I = 0.7 and P = sqrt(0.28) in
 * each.  They differ only in their edges:
 *   A: co_hashtag edges link a0..a5 (6 of 10), a co_retweet edge a6-a7 (2);
 *   B: co_hashtag edges link b0..b3 (4 of 10), plus one to a9 in A;
 *   C: synchrony edges (no shared object) link all ten.
 * Expected: a0..a5 score sqrt(P); every other member far below it.
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
    const char nets[3] = { 'a', 'b', 'c' };
    for (int k = 0; k < 3; k++)
        for (int m = 0; m < 10; m++)
            for (int h = 0; h < 24; h++) {
                det_ev *e = &E[n++];
                e->t = T0 + h * HOUR + m * 1000 + k * 100;
                snprintf(e->acc, sizeof e->acc, "%c%d", nets[k], m);
                snprintf(e->post, sizeof e->post, "%c%d_%d", nets[k], m, h);
                e->kind = 't';
                e->ref[0] = 0;
                e = &E[n++];
                e->t = T0 + DAY + h * HOUR + m * 1000 + k * 100;
                snprintf(e->acc, sizeof e->acc, "%c%d", nets[k], m);
                snprintf(e->post, sizeof e->post, "%c%d_r%d", nets[k], m, h);
                snprintf(e->ref, sizeof e->ref, "%c%d_%d", nets[k], (m + 1) % 10, h);
                e->kind = 'p';
            }
    for (int g = 0; g < 6; g++)
        for (int i = 0; i < 24; i++) {
            det_ev *e = &E[n++];
            e->t = T0 + (9 + i / 3) * HOUR + (i % 3) * 60000 + g * 1000;
            snprintf(e->acc, sizeof e->acc, "g%d", g);
            snprintf(e->post, sizeof e->post, "g%d_%d", g, i);
            e->kind = 't';
            e->ref[0] = 0;
        }
    H = hs_new();
    det_evs_add(H, E, n);
    /* Profiles: everyone has 100 followers and a creation date 40 days
     * apart from the next (no burst); no names, no clients. */
    det_plain_profiles(H, T0);
    hs_finish(H);
}

static uint32_t acc(const char *s) { return hs_acc(H, s); }

TEST(layer_edges_are_a_part_when_the_layer_is_the_network)
{
    DET_OPEN_OR_RETURN(&H->st);
    CHECK_EQ_INT(det_nets(&d, 3), 0);
    d.adense = ls__calloc(d.n_acc, 1);
    char s[8];
    for (int k = 0; k < 3; k++)
        for (int m = 0; m < 10; m++) {
            snprintf(s, sizeof s, "%c%d", "abc"[k], m);
            d.net_of[acc(s)] = (uint32_t)k;
            if (m >= 6) d.adense[acc(s)] = 1;
        }
    d.e = ls__calloc(32, sizeof *d.e);
    d.n_e = 0;
    for (int m = 0; m < 5; m++) {
        char u[8], v[8];
        snprintf(u, sizeof u, "a%d", m); snprintf(v, sizeof v, "a%d", m + 1);
        det_edge(&d.e[d.n_e++], acc(u), acc(v), LS_L_HASHTAG);
    }
    det_edge(&d.e[d.n_e++], acc("a6"), acc("a7"), LS_L_RETWEET);
    for (int m = 0; m < 3; m++) {
        char u[8], v[8];
        snprintf(u, sizeof u, "b%d", m); snprintf(v, sizeof v, "b%d", m + 1);
        det_edge(&d.e[d.n_e++], acc(u), acc(v), LS_L_HASHTAG);
    }
    det_edge(&d.e[d.n_e++], acc("b4"), acc("a9"), LS_L_HASHTAG);
    for (int m = 0; m < 9; m++) {
        char u[8], v[8];
        snprintf(u, sizeof u, "c%d", m); snprintf(v, sizeof v, "c%d", m + 1);
        det_edge(&d.e[d.n_e++], acc(u), acc(v), LS_L_POST);
    }
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(ls__det_score(&d), LS_OK);
    /* The three networks read alike: C = 0.4 x 1, I = 0.7 x 1. */
    for (int k = 0; k < 3; k++) {
        CHECK(fabs(d.net[k].sig[SIG_DENSE] - 0.4) < 1e-9);
        CHECK(fabs(d.net[k].sig[SIG_INSULAR] - 1.0) < 1e-9);
        CHECK(fabs(d.net[k].sig[SIG_AROUND] - 1.0) < 1e-9);
        CHECK(fabs(d.net[k].score_coord - sqrt(0.4 * 0.7)) < 1e-6);
    }
    double full = sqrt(sqrt(0.4 * 0.7));   /* sqrt(P x 1) = 0.7274 */
    for (int k = 0; k < 3; k++)
        for (int m = 0; m < 10; m++) {
            snprintf(s, sizeof s, "%c%d", "abc"[k], m);
            float sc = d.ascore[acc(s)];
            if (k == 0 && m < 6) {
                if (fabs(sc - full) > 1e-5) fprintf(stderr, "  %s: %.4f, expected %.4f\n", s, sc, full);
                CHECK(fabs(sc - full) < 1e-5);
            } else {
                if (sc > full - 0.2) fprintf(stderr, "  %s: %.4f, expected under %.4f\n", s, sc, full - 0.2);
                CHECK(sc < full - 0.2);
            }
        }
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

int main(void)
{
    build();
    RUN(layer_edges_are_a_part_when_the_layer_is_the_network);
    hs_free(H);
    TEST_END();
}
