/*
 * test_score_coord.c — unit test of the coordination reading of a network's
 * score (src/networks/score.c, docs/detect.md "Two readings"): C =
 * max(near_duplicates, amplification, dense_group) x insularity, and a
 * network whose posting coordination gets no engagement scores 0.
 *
 * Network R, a retweet ring: three seeds post at every hour of day 0; ten
 * ring accounts each retweet one seed post at every hour of day 1 and of
 * day 2.  Forty outsiders, active only in office hours, retweet the seeds
 * 24 times each, more than the ring does (traction: insularity
 * 480 / (480 + 960) = 1/3).  The ring and the seeds act at every hour, the
 * outsiders never at night: around_the_clock 1, so I = 0.7.
 * Amplification = 480 ring retweets / 552 member events.  Expected
 * P = sqrt(480/552 x 1/3 x 0.7).  (Dropping insularity from the
 * amplification term, sqrt(480/552 x 0.7), found genworld's small ring
 * but lost the june2020 operation at scale 1: docs/generality.md.)
 * Network D: ten accounts, five of them a dense group (dense_group 0.5) that
 * post at every hour and get no engagement (insularity 0): P = 0.
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
    CHECK(fabs(R->score_coord - sqrt(480.0 / 552.0 / 3.0 * 0.7)) < 1e-6);
    /* The ring's retweeters each amplify it 48 times: their part is 1. */
    snprintf(s, sizeof s, "r0");
    CHECK(fabs(d.ascore[hs_acc(H, s)] - sqrt(R->score_coord)) < 1e-5);
    CHECK(fabs(D->sig[SIG_DENSE] - 0.5) < 1e-9);
    CHECK(fabs(D->sig[SIG_INSULAR]) < 1e-9);
    CHECK(fabs(D->score_coord) < 1e-9);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

int main(void)
{
    build();
    RUN(coordination_times_insularity);
    hs_free(H);
    TEST_END();
}
