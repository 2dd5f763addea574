/*
 * test_report_stats.c — the report's per-network figures on a hand-built
 * store with hand-computed answers: posts, originals and retweets, the
 * hour-of-week bins, posts per day, follower bins, creation dates, top
 * hashtags/domains/terms (CJK bigrams included) and the example posts
 * (most amplified first, one per distinct text).  Also the SVG writers
 * escape labels, and the picture's layout is the same twice.
 */
#include "test.h"
#include "hand_store.h"
#include "out/report.h"

#define T0 1586741400000LL            /* Monday 2020-04-13 01:30 UTC */
#define DAY 86400000LL

static ls__rdir run;
static ls__racct accs[3];
static ls__rnet nets[2];

static hand_store *fixture(struct ls_store **st)
{
    hand_store *h = hs_new();
    hs_ev(h, T0, "a", "p1", 't', NULL, "\xE9\xA6\x99\xE6\xB8\xAF\xE5\x8A\xA0\xE6\xB2\xB9 hello world", "#hk d:x.org");
    hs_ev(h, T0 + 60000, "b", "p5", 'r', "p1", "RT @a: x", "#hk");
    hs_ev(h, T0 + 120000, "z", "p6", 'r', "p1", "RT @a: x", NULL);
    hs_ev(h, T0 + DAY, "a", "p2", 't', NULL, "hello again world https://t.co/x @someone #hk", "#hk #covid");
    hs_ev(h, T0 + DAY + 10000, "b", "p7", 'r', "p2", "RT @a: y", "#hk");
    hs_ev(h, T0 + 2 * DAY, "c", "p3", 't', NULL, "other", "#x");
    hs_ev(h, T0 + 3 * DAY, "c", "p4", 't', NULL, "other", NULL);
    hs_ev(h, T0 + 3 * DAY + 5, "z", "p8", 'r', "p4", NULL, NULL);
    /* retweets name their author (the hand store leaves it to the test) */
    h->refacc[1] = h->refacc[2] = h->refacc[4] = hs_acc(h, "a");
    h->refacc[7] = hs_acc(h, "c");
    h->a_fol[hs_acc(h, "a")] = 0;
    h->a_fol[hs_acc(h, "b")] = 10;
    h->a_fol[hs_acc(h, "c")] = 6000;
    h->a_created[hs_acc(h, "a")] = 1578873600000LL;   /* 2020-01-13 */
    *st = hs_finish(h);
    memset(&run, 0, sizeof run);
    const char *ids[3] = { "a", "b", "c" };
    int net[3] = { 0, 0, 1 }, role[3] = { LS__ROLE_CORE, LS__ROLE_AMPLIFIER, LS__ROLE_CORE };
    for (int i = 0; i < 3; i++) {
        accs[i] = (ls__racct){ (char *)ids[i], (char *)ids[i], (char *)"", net[i], role[i], 0.5, hs_acc(h, ids[i]) };
    }
    nets[0] = (ls__rnet){ (char *)"N1", NULL, 0.8, 2, 1, 1 };
    nets[1] = (ls__rnet){ (char *)"N2", NULL, 0.6, 1, 1, 0 };
    run.acc = accs; run.n_acc = 3; run.net = nets; run.n_net = 2;
    return h;
}

TEST(network_figures)
{
    ls_ctx *ctx = NULL;
    struct ls_store *st;
    hand_store *h = fixture(&st);
    ls__rstats rs;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__rstats_compute(ctx, &run, st, &rs) == LS_OK);
    const ls__nstats *n = &rs.net[0];
    CHECK_EQ_INT(n->posts, 4);
    CHECK_EQ_INT(n->orig, 2);
    CHECK_EQ_INT(n->amps, 2);
    CHECK_EQ_INT(n->t_first, T0);
    CHECK_EQ_INT(n->t_last, T0 + DAY + 10000);
    CHECK_EQ_INT(n->hours[1], 2);            /* Monday 01h */
    CHECK_EQ_INT(n->hours[25], 2);           /* Tuesday 01h */
    uint64_t sum = 0;
    for (int i = 0; i < 168; i++) sum += n->hours[i];
    CHECK_EQ_INT(sum, 4);
    CHECK_EQ_INT(n->bin_days, 1);
    CHECK_EQ_INT(n->n_days, 2);
    CHECK_EQ_INT(n->day_orig[0], 1); CHECK_EQ_INT(n->day_orig[1], 1);
    CHECK_EQ_INT(n->day_amp[0], 1); CHECK_EQ_INT(n->day_amp[1], 1);
    CHECK_EQ_INT(n->fol_bins[0], 1);         /* a: 0 followers */
    CHECK_EQ_INT(n->fol_bins[2], 1);         /* b: 10 */
    CHECK_EQ_INT(n->n_created, 1);
    CHECK_EQ_INT(n->created[0], 1578873600000LL);
    /* hashtags: hk on 4 posts, covid on 1 */
    CHECK_EQ_INT(n->n_tags, 2);
    ls__str t = ls__strtab_get(&st->ns[LS_NS_HASHTAG], n->tags[0].id);
    CHECK(ls__str_eqc(t, "hk"));
    CHECK_EQ_INT(n->tags[0].n, 4);
    t = ls__strtab_get(&st->ns[LS_NS_HASHTAG], n->tags[1].id);
    CHECK(ls__str_eqc(t, "covid"));
    CHECK_EQ_INT(n->n_doms, 1);
    /* terms of the two originals: hello 2, world 2, then the first CJK
     * bigram; URLs, @mentions and #hashtags are not terms. */
    CHECK(n->n_terms >= 3);
    CHECK(ls__str_eqc(ls__intern_get(&rs.terms, n->terms[0].id), "hello"));
    CHECK_EQ_INT(n->terms[0].n, 2);
    CHECK(ls__str_eqc(ls__intern_get(&rs.terms, n->terms[1].id), "world"));
    CHECK(ls__str_eqc(ls__intern_get(&rs.terms, n->terms[2].id), "\xE9\xA6\x99\xE6\xB8\xAF"));
    CHECK_EQ_INT(n->n_terms, 6);             /* 3 bigrams, hello, world, again */
    for (size_t i = 0; i < n->n_terms; i++) {
        ls__str w = ls__intern_get(&rs.terms, n->terms[i].id);
        CHECK(!ls__str_eqc(w, "https") && !ls__str_eqc(w, "someone") && !ls__str_eqc(w, "covid"));
    }
    /* examples: p1 (amplified twice) before p2 (once) */
    CHECK_EQ_INT(n->n_example, 2);
    CHECK_EQ_INT(n->example[0], 0);
    CHECK_EQ_INT(n->example_amp[0], 2);
    CHECK_EQ_INT(n->example[1], 3);
    CHECK_EQ_INT(n->example_amp[1], 1);
    /* N2: two posts with the same text give one example, the amplified one */
    const ls__nstats *m = &rs.net[1];
    CHECK_EQ_INT(m->posts, 2);
    CHECK_EQ_INT(m->n_example, 1);
    CHECK_EQ_INT(m->example[0], 6);
    CHECK_EQ_INT(m->example_amp[0], 1);
    CHECK_EQ_INT(m->fol_bins[5], 1);         /* 6000 followers: 5k-49k */
    CHECK_EQ_INT(m->n_created, 0);
    ls__rstats_free(&rs);
    ls_ctx_free(ctx);
    hs_free(h);
}

TEST(svg_labels_escaped)
{
    ls__buf b = { 0 };
    const char *labels[2] = { "<script>x</script>", "a\"b" };
    const char *names[1] = { "<img src=x onerror=y>" };
    const char *cls[1] = { "bar" };
    uint64_t v[2] = { 3, 5 };
    CHECK(ls__svg_bars(&b, "t<1>", 2, labels, 1, names, cls, v) == LS_OK);
    ls__buf_putc(&b, 0);
    CHECK(strstr(b.p, "<script") == NULL);
    CHECK(strstr(b.p, "<img") == NULL);
    CHECK(strstr(b.p, "&lt;script&gt;x&lt;/script&gt;") != NULL);
    CHECK(strstr(b.p, "a&quot;b") != NULL);
    CHECK(strstr(b.p, "aria-label=\"t&lt;1&gt;\"") != NULL);
    /* the taller bar is full height (ph = 172), the other 3/5 of it */
    CHECK(strstr(b.p, "height=\"172.0\"") != NULL);
    CHECK(strstr(b.p, "height=\"103.2\"") != NULL);
    b.n = 0;
    uint64_t hours[168] = { 0 };
    hours[1] = 4;                            /* Monday 01h UTC = Monday 09h at UTC+8 */
    CHECK(ls__svg_heatmap(&b, "h", hours, 8) == LS_OK);
    ls__buf_putc(&b, 0);
    CHECK(strstr(b.p, "<title>Mon 09:00 4</title>") != NULL);
    CHECK(strstr(b.p, "fill=\"rgb(153,0,0)\"") != NULL);   /* the peak is darkest */
    ls__buf_free(&b);
}

TEST(layout_is_deterministic)
{
    ls_ctx *ctx = NULL;
    struct ls_store *st;
    hand_store *h = fixture(&st);
    ls__graph_layout g1, g2;
    ls__redge e[1] = { { 0, 1, 1.0 } };
    run.edge = e; run.n_edge = 1;
    CHECK(ls_ctx_new(&ctx) == LS_OK);
    CHECK(ls__layout_network(ctx, &run, st, 0, 10, &g1) == LS_OK);
    CHECK(ls__layout_network(ctx, &run, st, 0, 10, &g2) == LS_OK);
    CHECK_EQ_INT(g1.n, 2);
    CHECK_EQ_INT(g1.total, 2);
    CHECK_EQ_INT(g1.node[0], 0);             /* core first */
    CHECK(g1.n_e >= 2);                      /* the run's edge and the amplification */
    for (size_t i = 0; i < g1.n; i++) {
        CHECK(g1.x[i] == g2.x[i] && g1.y[i] == g2.y[i]);
        CHECK(g1.x[i] >= 0 && g1.x[i] <= 1 && g1.y[i] >= 0 && g1.y[i] <= 1);
    }
    ls__layout_free(&g1);
    ls__layout_free(&g2);
    /* A bound smaller than the network samples it. */
    CHECK(ls__layout_network(ctx, &run, st, 0, 1, &g1) == LS_OK);
    CHECK_EQ_INT(g1.n, 1);
    CHECK_EQ_INT(g1.total, 2);
    ls__layout_free(&g1);
    run.edge = NULL; run.n_edge = 0;
    ls_ctx_free(ctx);
    hs_free(h);
}

int main(void)
{
    RUN(network_figures);
    RUN(svg_labels_escaped);
    RUN(layout_is_deterministic);
    TEST_END();
}
