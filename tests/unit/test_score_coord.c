/*
 * test_score_coord.c — unit test of the coordination reading of a network's
 * score (src/networks/score.c, docs/detect.md "Two readings"): C =
 * max(max(near_duplicates, amplification, dense_group) x insularity,
 * dedicated_amplification), and a network whose posting coordination gets
 * no engagement scores 0.
 *
 * Network R, a retweet ring: three seeds post at every hour of day 0; ten
 * ring accounts each retweet one seed post at every hour of day 1 and of
 * day 2.  Forty outsiders, active only in office hours, retweet the seeds
 * 24 times each, more than the ring does (traction: insularity
 * 480 / (480 + 960) = 1/3).  The ring and the seeds act at every hour, the
 * outsiders never at night: around_the_clock 1, so I = 0.7.
 * Amplification = 480 ring retweets / 552 member events.  The ring
 * accounts are amplifiers (all their activity amplifies the seeds, nobody
 * amplifies them, no co-action edge), so dedicated_amplification is the
 * same 480 / 552 and P = sqrt(480/552 x 0.7): the outsiders' traction does
 * not undo the ring's own amplification.  (Before, C was amplification x
 * insularity and P sqrt(480/552 x 1/3 x 0.7), below the bar.)
 * Network D: ten accounts, five of them a dense group (dense_group 0.5) that
 * post at every hour and get no engagement (insularity 0): P = 0.
 * Network K (its own store), a mutual-push cell: six accounts post at every
 * hour of day 1 and retweet one another's posts at every hour of day 2, so
 * each is amplified by the others and none is an amplifier
 * (dedicated_amplification 0); twelve outsiders retweet the cell's posts
 * 24 times each in office hours (insularity 144 / (144 + 288) = 1/3).  C
 * stays amplification x insularity = 1/2 x 1/3: a cell whose posts draw most
 * of their engagement from outside (in june2020, from amplifiers that serve
 * hundreds of sibling cells) is not judged as a whole on its own.
 * Network G (its own store), the account part of a ring's seeds: two authors
 * post at every hour of day 0; six amplifiers each retweet seed gs 8 times,
 * two of them also gt 8 times; ten outsiders retweet each author 6 times
 * (traction).  The members have no followers (followers 1, I = 0.7);
 * dedicated_amplification = 64 / 112 >= 0.5, so an author's part is also
 * min(1, its amplifiers / half of the network's) x min(1, received / 10):
 * gs 1 (6 of 6, 48 retweets; by received share only 48 / 108), gt 2/3 (2 of
 * 6; by received share 16 / 76).
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
    det_ev *e;
    /* seeds: s<k>_<h> at hour h of day 0 */
    for (int k = 0; k < 3; k++)
        for (int h = 0; h < 24; h++) {
            e = &E[n++];
            e->t = T0 + h * HOUR + k * 1000;
            snprintf(e->acc, sizeof e->acc, "s%d", k);
            snprintf(e->post, sizeof e->post, "s%d_%d", k, h);
            e->kind = 't'; e->ref[0] = 0;
        }
    /* ring: r<m> retweets at every hour of days 1 and 2 */
    for (int m = 0; m < 10; m++)
        for (int dd = 1; dd <= 2; dd++)
            for (int h = 0; h < 24; h++) {
                e = &E[n++];
                e->t = T0 + dd * DAY + h * HOUR + m * 1000;
                snprintf(e->acc, sizeof e->acc, "r%d", m);
                snprintf(e->post, sizeof e->post, "r%d_%d_%d", m, dd, h);
                snprintf(e->ref, sizeof e->ref, "s%d_%d", (m + h) % 3, (h * 7 + m) % 24);
                e->kind = 'r';
            }
    /* outsiders: o<j> retweets 24 seed posts in office hours of day 3 */
    for (int j = 0; j < 40; j++)
        for (int i = 0; i < 24; i++) {
            e = &E[n++];
            e->t = T0 + 3 * DAY + (9 + i / 3) * HOUR + (i % 3) * 60000 + j * 1000;
            snprintf(e->acc, sizeof e->acc, "o%d", j);
            snprintf(e->post, sizeof e->post, "o%d_%d", j, i);
            snprintf(e->ref, sizeof e->ref, "s%d_%d", (i + j) % 3, (i * 5 + j) % 24);
            e->kind = 'r';
        }
    /* dense-group network: d<m> posts at every hour of day 4 */
    for (int m = 0; m < 10; m++)
        for (int h = 0; h < 24; h++) {
            e = &E[n++];
            e->t = T0 + 4 * DAY + h * HOUR + m * 1000;
            snprintf(e->acc, sizeof e->acc, "d%d", m);
            snprintf(e->post, sizeof e->post, "d%d_%d", m, h);
            e->kind = 't'; e->ref[0] = 0;
        }
    H = hs_new();
    det_evs_add(H, E, n);
    det_plain_profiles(H, T0);   /* 100 followers each, no creation burst */
    hs_finish(H);
}

TEST(coordination_times_insularity)
{
    DET_OPEN_OR_RETURN(&H->st);
    CHECK_EQ_INT(det_nets(&d, 2), 0);
    d.adense = ls__calloc(d.n_acc, 1);
    char s[8];
    for (int k = 0; k < 3; k++) { snprintf(s, sizeof s, "s%d", k); d.net_of[hs_acc(H, s)] = 0; }
    for (int m = 0; m < 10; m++) {
        snprintf(s, sizeof s, "r%d", m); d.net_of[hs_acc(H, s)] = 0;
        snprintf(s, sizeof s, "d%d", m); d.net_of[hs_acc(H, s)] = 1;
        if (m < 5) d.adense[hs_acc(H, s)] = 1;
    }
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(ls__det_score(&d), LS_OK);
    const ls__net *R = &d.net[0], *D = &d.net[1];
    CHECK(fabs(R->sig[SIG_AMPLIFY] - 480.0 / 552.0) < 1e-9);
    CHECK(fabs(R->sig[SIG_INSULAR] - 1.0 / 3.0) < 1e-9);
    CHECK(fabs(R->sig[SIG_AROUND] - 1.0) < 1e-9);
    CHECK(fabs(R->sig[SIG_DEDICATED] - 480.0 / 552.0) < 1e-9);
    CHECK(fabs(R->score_coord - sqrt(480.0 / 552.0 * 0.7)) < 1e-6);
    /* The seeds are core, the ring accounts amplifiers. */
    for (int k = 0; k < 3; k++) { snprintf(s, sizeof s, "s%d", k); CHECK_EQ_INT(d.role[hs_acc(H, s)], LS_ROLE_CORE); }
    for (int m = 0; m < 10; m++) { snprintf(s, sizeof s, "r%d", m); CHECK_EQ_INT(d.role[hs_acc(H, s)], LS_ROLE_AMP); }
    /* The ring's retweeters each amplify it 48 times: their part is 1. */
    snprintf(s, sizeof s, "r0");
    CHECK(fabs(d.ascore[hs_acc(H, s)] - sqrt(R->score_coord)) < 1e-5);
    CHECK(fabs(D->sig[SIG_DENSE] - 0.5) < 1e-9);
    CHECK(fabs(D->sig[SIG_INSULAR]) < 1e-9);
    CHECK(fabs(D->score_coord) < 1e-9);
    CHECK(fabs(D->sig[SIG_DEDICATED]) < 1e-9);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

static hand_store *K;

static void build_cell(void)
{
    static det_ev E[1000];
    size_t n = 0;
    det_ev *e;
    /* cell: k<m> posts k<m>_<h> at every hour of day 1, and at every hour
     * of day 2 retweets post h of cell-mate m + 1 + h mod 5 */
    for (int m = 0; m < 6; m++)
        for (int h = 0; h < 24; h++) {
            e = &E[n++];
            e->t = T0 + DAY + h * HOUR + m * 1000;
            snprintf(e->acc, sizeof e->acc, "k%d", m);
            snprintf(e->post, sizeof e->post, "k%d_%d", m, h);
            e->kind = 't'; e->ref[0] = 0;
            e = &E[n++];
            e->t = T0 + 2 * DAY + h * HOUR + m * 1000;
            snprintf(e->acc, sizeof e->acc, "k%d", m);
            snprintf(e->post, sizeof e->post, "k%d_r%d", m, h);
            snprintf(e->ref, sizeof e->ref, "k%d_%d", (m + 1 + h % 5) % 6, h);
            e->kind = 'r';
        }
    /* outsiders: q<j> retweets 24 cell posts in office hours of day 3 */
    for (int j = 0; j < 12; j++)
        for (int i = 0; i < 24; i++) {
            e = &E[n++];
            e->t = T0 + 3 * DAY + (9 + i / 3) * HOUR + (i % 3) * 60000 + j * 1000;
            snprintf(e->acc, sizeof e->acc, "q%d", j);
            snprintf(e->post, sizeof e->post, "q%d_%d", j, i);
            snprintf(e->ref, sizeof e->ref, "k%d_%d", (i + j) % 6, (i * 5 + j) % 24);
            e->kind = 'r';
        }
    K = hs_new();
    det_evs_add(K, E, n);
    det_plain_profiles(K, T0);
    hs_finish(K);
}

TEST(cell_without_amplifiers_needs_insularity)
{
    DET_OPEN_OR_RETURN(&K->st);
    CHECK_EQ_INT(det_nets(&d, 1), 0);
    char s[8];
    for (int m = 0; m < 6; m++) { snprintf(s, sizeof s, "k%d", m); d.net_of[hs_acc(K, s)] = 0; }
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(ls__det_score(&d), LS_OK);
    const ls__net *N = &d.net[0];
    for (int m = 0; m < 6; m++) { snprintf(s, sizeof s, "k%d", m); CHECK_EQ_INT(d.role[hs_acc(K, s)], LS_ROLE_CORE); }
    CHECK_EQ_INT(N->n_amp, 0);
    CHECK(fabs(N->sig[SIG_AMPLIFY] - 0.5) < 1e-9);
    CHECK(fabs(N->sig[SIG_INSULAR] - 1.0 / 3.0) < 1e-9);
    CHECK(fabs(N->sig[SIG_DEDICATED]) < 1e-9);
    CHECK(fabs(N->sig[SIG_AROUND] - 1.0) < 1e-9);
    /* I from the measured anomaly signals (each ramped from its floor);
     * only around_the_clock is anomalous here. */
    double keep = 1;
    static const int anom[] = { SIG_COHORT, SIG_NAME, SIG_FOLLOWERS, SIG_CLIENT, SIG_SCHEDULE, SIG_AROUND, SIG_TARGETS };
    for (size_t i = 0; i < sizeof anom / sizeof anom[0]; i++) {
        double r = (N->sig[anom[i]] - 0.2) / 0.8;
        keep *= 1.0 - 0.7 * (r < 0 ? 0 : r > 1 ? 1 : r);
    }
    CHECK(N->sig[SIG_AUDIENCE] < 1.0 / 3.0);
    CHECK(keep <= 0.3 + 1e-9);
    CHECK(fabs(N->score_coord - sqrt(0.5 / 3.0 * (1.0 - keep))) < 1e-6);
    CHECK(N->score_coord < 0.5);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

static hand_store *G;

static void build_seeds(void)
{
    static det_ev E[400];
    size_t n = 0;
    det_ev *e;
    static const char *au[2] = { "gs", "gt" };
    for (int k = 0; k < 2; k++)
        for (int h = 0; h < 24; h++) {
            e = &E[n++];
            e->t = T0 + h * HOUR + k * 1000;
            snprintf(e->acc, sizeof e->acc, "%s", au[k]);
            snprintf(e->post, sizeof e->post, "%s_%d", au[k], h);
            e->kind = 't'; e->ref[0] = 0;
        }
    /* amplifiers g<m>: 8 retweets of gs on day 1, g0 and g1 also 8 of gt on
     * day 2, every third hour */
    for (int m = 0; m < 6; m++)
        for (int k = 0; k < (m < 2 ? 2 : 1); k++)
            for (int i = 0; i < 8; i++) {
                e = &E[n++];
                e->t = T0 + (1 + k) * DAY + i * 3 * HOUR + m * 1000;
                snprintf(e->acc, sizeof e->acc, "g%d", m);
                snprintf(e->post, sizeof e->post, "g%d_%d_%d", m, k, i);
                snprintf(e->ref, sizeof e->ref, "%s_%d", au[k], (m * 3 + i) % 24);
                e->kind = 'r';
            }
    /* outsiders o<j>: 6 retweets of each author on day 3, every other hour */
    for (int j = 0; j < 10; j++)
        for (int i = 0; i < 12; i++) {
            e = &E[n++];
            e->t = T0 + 3 * DAY + i * 2 * HOUR + j * 1000;
            snprintf(e->acc, sizeof e->acc, "o%d", j);
            snprintf(e->post, sizeof e->post, "o%d_%d", j, i);
            snprintf(e->ref, sizeof e->ref, "%s_%d", au[i % 2], (i * 5 + j) % 24);
            e->kind = 'r';
        }
    G = hs_new();
    det_evs_add(G, E, n);
    det_plain_profiles(G, T0);
    G->a_fol[hs_acc(G, "gs")] = G->a_fol[hs_acc(G, "gt")] = 0;
    for (int m = 0; m < 6; m++) {
        char s[8];
        snprintf(s, sizeof s, "g%d", m);
        G->a_fol[hs_acc(G, s)] = 0;
    }
    hs_finish(G);
}

TEST(seeds_with_traction_are_part_of_their_ring)
{
    DET_OPEN_OR_RETURN(&G->st);
    CHECK_EQ_INT(det_nets(&d, 1), 0);
    char s[8];
    uint32_t gs = hs_acc(G, "gs"), gt = hs_acc(G, "gt");
    d.net_of[gs] = d.net_of[gt] = 0;
    for (int m = 0; m < 6; m++) { snprintf(s, sizeof s, "g%d", m); d.net_of[hs_acc(G, s)] = 0; }
    CHECK_EQ_INT(ls__det_roles(&d), LS_OK);
    CHECK_EQ_INT(ls__det_score(&d), LS_OK);
    const ls__net *N = &d.net[0];
    CHECK_EQ_INT(N->n_amp, 6);
    CHECK_EQ_INT(d.role[gs], LS_ROLE_CORE);
    CHECK_EQ_INT(d.role[gt], LS_ROLE_CORE);
    CHECK(fabs(N->sig[SIG_AMPLIFY] - 64.0 / 112.0) < 1e-9);
    CHECK(fabs(N->sig[SIG_DEDICATED] - 64.0 / 112.0) < 1e-9);
    CHECK(fabs(N->sig[SIG_INSULAR] - 64.0 / 184.0) < 1e-9);
    CHECK(fabs(N->sig[SIG_FOLLOWERS] - 1.0) < 1e-9);
    double P = sqrt(64.0 / 112.0 * 0.7);
    CHECK(fabs(N->score_coord - P) < 1e-6);
    CHECK(fabs(d.ascore[gs] - sqrt(P)) < 1e-5);
    CHECK(fabs(d.ascore[gt] - sqrt(P * 2.0 / 3.0)) < 1e-5);
    /* The amplifiers: all their activity amplifies the network. */
    CHECK(fabs(d.ascore[hs_acc(G, "g5")] - sqrt(P * 0.8)) < 1e-5);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

int main(void)
{
    build();
    RUN(coordination_times_insularity);
    hs_free(H);
    build_cell();
    RUN(cell_without_amplifiers_needs_insularity);
    hs_free(K);
    build_seeds();
    RUN(seeds_with_traction_are_part_of_their_ring);
    hs_free(G);
    TEST_END();
}
