/*
 * test_detect.c — unit tests of the networks stage (`lockstep detect`) on a
 * hand-built store: an operation (one creation cohort, templated names, one
 * client, office hours in UTC+8, near-duplicate texts, cell-mates and
 * amplifiers retweeting core posts within seconds) next to a fandom that
 * retweets its idol within minutes from diverse accounts, and an organic
 * background.  The operation must be found with the right roles, the fandom
 * must not be reported, outputs must be byte-identical at 1 and 2 threads,
 * igraph must not abort, and the escaping helpers must be exact.
 */
#include "test.h"
#include "det_fixture.h"
#include <igraph/igraph.h>
#include <stdlib.h>
#include <unistd.h>


typedef struct { int64_t t; char acc[32], post[32], ref[32], text[96]; char kind; const char *client; } hev;
static hev *E; static size_t nE;
static uint64_t rs = 12345;
static uint64_t rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
static int hev_cmp(const void *a, const void *b)
{
    const hev *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return strcmp(x->post, y->post);
}
static hev *add(int64_t t, const char *acc, char kind, const char *ref, const char *text, const char *client)
{
    hev *e = &E[nE];
    memset(e, 0, sizeof *e);
    e->t = t; e->kind = kind; e->client = client;
    snprintf(e->acc, sizeof e->acc, "%s", acc);
    snprintf(e->post, sizeof e->post, "p%zu", nE);
    if (ref) snprintf(e->ref, sizeof e->ref, "%s", ref);
    if (text) snprintf(e->text, sizeof e->text, "%s", text);
    nE++;
    return e;
}

#define NCORE 40
#define NAMP 80
#define NFAN 60
#define NORG 300
static const char *const clients[] = { "Twitter for iPhone", "Twitter for Android", "Twitter Web App", "TweetDeck" };

/* An office-hours time for the operation: weekday, 09-18 Beijing. */
static int64_t office_t(void)
{
    int64_t day = (int64_t)(rnd() % 40);
    while ((day % 7) >= 5) day = (int64_t)(rnd() % 40);
    return T0 + day * DAY + (1 + (int64_t)(rnd() % 9)) * 3600000LL + (int64_t)(rnd() % 3600000);
}

static hand_store *build(void)
{
    hand_store *h = hs_new();
    char a[32], txt[96];
    E = calloc(20000, sizeof *E);
    nE = 0;
    /* operation core: each posts 8 templated texts; cell-mates push them. */
    for (int c = 0; c < NCORE; c++) {
        snprintf(a, sizeof a, "core%02d", c);
        for (int k = 0; k < 8; k++) {
            int64_t t = office_t();
            snprintf(txt, sizeof txt, "香港暴徒破坏社会秩序 守护香港 支持警察 第%d条 消息%d", k % 3, (c + k) % 4);
            hev *o = add(t, a, 't', NULL, txt, "Twitter Web App");
            char pid[32];
            snprintf(pid, sizeof pid, "%s", o->post);
            int cell = c / 10 * 10;
            for (int m = 0; m < 3; m++) {
                int mate = cell + (int)((c + 1 + m + k) % 10);
                if (mate == c) continue;
                char b[32];
                snprintf(b, sizeof b, "core%02d", mate);
                add(t + 5000 + (int64_t)(rnd() % 40000), b, 'r', pid, NULL, "Twitter Web App");
            }
        }
    }
    size_t n_core_posts = nE;
    /* amplifiers: 4-6 retweets each of core originals within two minutes */
    for (int i = 0; i < NAMP; i++) {
        snprintf(a, sizeof a, "amp%02d", i);
        int n = 4 + (int)(rnd() % 3);
        for (int k = 0; k < n; k++) {
            hev *o;
            do o = &E[rnd() % n_core_posts]; while (o->kind != 't');
            char pid[32];
            snprintf(pid, sizeof pid, "%s", o->post);
            add(o->t + 10000 + (int64_t)(rnd() % 110000), a, 'r', pid, NULL, "Twitter Web App");
        }
    }
    /* fandom: the idol posts 20 times; each fan retweets about half within
     * one to five minutes, whatever the hour. */
    size_t idol0 = nE;
    for (int k = 0; k < 20; k++) add(T0 + (int64_t)k * 2 * DAY + (int64_t)(rnd() % DAY), "idol", 't', NULL, "new song out now", "Twitter for iPhone");
    for (int f = 0; f < NFAN; f++) {
        snprintf(a, sizeof a, "fan%02d", f);
        for (int k = 0; k < 20; k++) {
            if (rnd() % 2) continue;
            char pid[32];
            snprintf(pid, sizeof pid, "%s", E[idol0 + (size_t)k].post);
            add(E[idol0 + (size_t)k].t + 60000 + (int64_t)(rnd() % 240000), a, 'r', pid, NULL, clients[f % 4]);
        }
        add(T0 + (int64_t)(rnd() % (40 * DAY)), a, 't', NULL, "so happy today", clients[f % 4]);
    }
    /* organic background: a few posts and occasional retweets each */
    size_t org0 = nE;
    for (int i = 0; i < NORG; i++) {
        snprintf(a, sizeof a, "org%03d", i);
        int n = 2 + (int)(rnd() % 6);
        for (int k = 0; k < n; k++) {
            snprintf(txt, sizeof txt, "thoughts %d of %d about lunch", (int)(rnd() % 1000), i);
            if (k > 0 && rnd() % 3 == 0 && nE > org0) {
                hev *o = &E[org0 + rnd() % (nE - org0)];
                if (o->kind == 't') {
                    char pid[32];
                    snprintf(pid, sizeof pid, "%s", o->post);
                    add(o->t + 600000 + (int64_t)(rnd() % 7200000), a, 'r', pid, NULL, clients[i % 4]);
                    continue;
                }
            }
            add(T0 + (int64_t)(rnd() % (40 * DAY)), a, 't', NULL, txt, clients[i % 4]);
        }
    }
    qsort(E, nE, sizeof *E, hev_cmp);
    for (size_t i = 0; i < nE; i++) {
        uint64_t k = hs_ev(h, E[i].t, E[i].acc, E[i].post, E[i].kind, E[i].ref[0] ? E[i].ref : NULL,
                           E[i].text[0] ? E[i].text : NULL, NULL);
        hs_meta(h, k, "en", E[i].client);
    }
    /* profiles */
    static const char *const shapes[] = { "%s_%s", "%s%s", "The%s%s", "%s.%s", "x%sx%s" };
    static const char *const words[] = { "sun", "Moon", "river", "Kate", "bob", "lily", "Max", "zed" };
    for (uint32_t id = 0; id < h->ns[LS_NS_ACCOUNT].n; id++) {
        hs_ns *ns = &h->ns[LS_NS_ACCOUNT];
        char nm[64], acc[64];
        snprintf(acc, sizeof acc, "%.*s", (int)(ns->off[id + 1] - ns->off[id]), ns->blob + ns->off[id]);
        if (!strncmp(acc, "core", 4) || !strncmp(acc, "amp", 3)) {
            snprintf(nm, sizeof nm, "zhang%08llu", (unsigned long long)(rnd() % 100000000));
            h->a_created[id] = 1561939200000LL + (int64_t)(rnd() % (2 * DAY));   /* 2019-07-01 */
            h->a_fol[id] = (int64_t)(rnd() % 3);
        } else {
            snprintf(nm, sizeof nm, shapes[rnd() % 5], words[rnd() % 8], words[rnd() % 8]);
            if (rnd() % 3 == 0) snprintf(nm + strlen(nm), sizeof nm - strlen(nm), "%d", (int)(rnd() % 100));
            h->a_created[id] = 1325376000000LL + (int64_t)(rnd() % (2500 * DAY));
            h->a_fol[id] = 20 + (int64_t)(rnd() % 5000);
        }
        /* A hostile screen name: comma, quote, newline and markup. */
        if (!strcmp(acc, "core00")) snprintf(nm, sizeof nm, "zh,\"a\n<b>&12345678");
        h->a_screen[id] = hs_str(h, LS_NS_NAME, nm);
    }
    free(E);
    return h;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long k = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)k + 1);
    *n = fread(p, 1, (size_t)k, f);
    p[*n] = 0;
    fclose(f);
    return p;
}

/* The number after the first occurrence of key in s, or -1. */
static double json_num(const char *s, const char *key)
{
    const char *p = s ? strstr(s, key) : NULL;
    return p ? strtod(p + strlen(key), NULL) : -1.0;
}

static int run_detect(struct ls_store *st, int threads, char *dir)
{
    ls_ctx *ctx;
    ls_detect_opts o;
    if (ls_ctx_new(&ctx)) return -1;
    ls_ctx_set_threads(ctx, threads);
    ls_detect_opts_default(&o);
    strcpy(dir, "/tmp/ls_test_detect.XXXXXX");
    if (!mkdtemp(dir)) { ls_ctx_free(ctx); return -1; }
    int rc = ls__detect_store(ctx, &o, st, dir, NULL);
    if (rc) fprintf(stderr, "  detect: %s\n", ls_ctx_message(ctx));
    ls_ctx_free(ctx);
    return rc;
}

static void rm_dir(const char *dir)
{
    static const char *const files[] = { "accounts.csv", "networks.json", "edges.csv", "network.gexf" };
    char p[512];
    for (int i = 0; i < 4; i++) { snprintf(p, sizeof p, "%s/%s", dir, files[i]); unlink(p); }
    rmdir(dir);
}

static hand_store *H;
static char dir1[64], dir2[64];

TEST(operation_found_fandom_not)
{
    size_t n;
    char path[128];
    snprintf(path, sizeof path, "%s/accounts.csv", dir1);
    char *csv = slurp(path, &n);
    CHECK(csv != NULL);
    if (!csv) return;
    CHECK(strncmp(csv, "userid,screen_name,network,role,score,evidence\n", 47) == 0);
    int core = 0, amp = 0, fans = 0, org = 0, wrong_role = 0, other_net = 0;
    /* One record at a time, bounded: the hostile name of core00 spans
     * two physical lines inside quotes. */
    for (char *line = strchr(csv, '\n'); line && line[1];) {
        char rec[1024];
        char *l = line + 1, *end = strchr(l, '\n');
        if (!strncmp(l, "core00,", 7) && end) end = strchr(end + 1, '\n');
        size_t k = end ? (size_t)(end - l) : strlen(l);
        if (k >= sizeof rec) k = sizeof rec - 1;
        memcpy(rec, l, k);
        rec[k] = 0;
        line = end;
        l = rec;
        if (!strncmp(l, "core", 4)) { core++; if (!strstr(l, ",core,")) wrong_role++; }
        else if (!strncmp(l, "amp", 3)) { amp++; if (!strstr(l, ",amplifier,")) wrong_role++; }
        else if (!strncmp(l, "fan", 3) || !strncmp(l, "idol", 4)) fans++;
        else org++;
        /* The four cells are one operation: amplification flow merges
         * them into one network. */
        if ((!strncmp(l, "core", 4) || !strncmp(l, "amp", 3)) && !strstr(l, ",N1,")) other_net++;
    }
    CHECK(core >= NCORE * 95 / 100);
    CHECK(amp >= NAMP * 95 / 100);
    CHECK_EQ_INT(fans, 0);
    CHECK_EQ_INT(org, 0);
    CHECK_EQ_INT(wrong_role, 0);
    CHECK_EQ_INT(other_net, 0);
    /* evidence names the cohort and the template */
    CHECK(strstr(csv, "created 2019-07-0") != NULL);
    CHECK(strstr(csv, "name template aaaaa99999999") != NULL);
    free(csv);
    char p[128];
    snprintf(p, sizeof p, "%s/networks.json", dir1);
    char *js = slurp(p, &n);
    CHECK(js && strstr(js, "\"id\": \"N1\""));
    CHECK(js && !strstr(js, "\"id\": \"N2\""));      /* the fandom is not reported */
    /* Both readings are written; the operation's core (0-2 followers) gets
     * hundreds of retweets where the rest (20-5,000 followers) gets a few:
     * the audience gap is far above 10x; it posts in office hours, so it
     * is not active around the clock. */
    CHECK(js && strstr(js, "\"readings\": {\"profile\": "));
    CHECK(json_num(js, "\"audience_gap\": ") >= 0.5);
    CHECK(json_num(js, "\"engagement_per_follower_vs_rest\": ") >= 10.0);
    CHECK(json_num(js, "\"around_the_clock\": ") < 0.1);
    free(js);
    /* hostile names are quoted in the CSV and escaped in the GEXF */
    snprintf(path, sizeof path, "%s/accounts.csv", dir1);
    csv = slurp(path, &n);
    CHECK(csv && strstr(csv, "\ncore00,\"zh,\"\"a\n<b>&12345678\",N1,core,"));
    free(csv);
    snprintf(path, sizeof path, "%s/network.gexf", dir1);
    char *gx = slurp(path, &n);
    CHECK(gx && strstr(gx, "label=\"zh,&quot;a\n&lt;b&gt;&amp;12345678\""));
    free(gx);
}

TEST(deterministic_across_threads)
{
    static const char *const files[] = { "accounts.csv", "networks.json", "edges.csv", "network.gexf" };
    for (int i = 0; i < 4; i++) {
        char p1[128], p2[128];
        size_t n1, n2;
        snprintf(p1, sizeof p1, "%s/%s", dir1, files[i]);
        snprintf(p2, sizeof p2, "%s/%s", dir2, files[i]);
        char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
        CHECK(a && b && n1 == n2 && memcmp(a, b, n1) == 0);
        CHECK(n1 > 0);
        free(a); free(b);
    }
}

TEST(igraph_never_aborts)
{
    ls__igraph_init();
    CHECK(ls__igraph_handler_installed());
    /* An edge to a vertex that does not exist: igraph reports an error
     * through our handler and returns instead of aborting. */
    igraph_t g;
    igraph_vector_int_t e;
    /* An odd-length edge vector is invalid. */
    igraph_vector_int_init(&e, 3);
    VECTOR(e)[0] = 0; VECTOR(e)[1] = 1; VECTOR(e)[2] = 1;
    igraph_error_t r = igraph_create(&g, &e, 2, IGRAPH_UNDIRECTED);
    CHECK(r != IGRAPH_SUCCESS);
    if (r == IGRAPH_SUCCESS) igraph_destroy(&g);
    igraph_vector_int_destroy(&e);
}

TEST(escaping_and_templates)
{
    ls__buf b = { 0 };
    ls__det_csv(&b, "a,b\"c\nd", 7);
    CHECK(b.n == 10 && memcmp(b.p, "\"a,b\"\"c\nd\"", 10) == 0);
    b.n = 0;
    ls__det_csv(&b, "plain", 5);
    CHECK(b.n == 5 && memcmp(b.p, "plain", 5) == 0);
    b.n = 0;
    ls__det_json(&b, "q\"\\\n\x01", 5);
    CHECK(b.n == 15 && memcmp(b.p, "\"q\\\"\\\\\\n\\u0001\"", 15) == 0);
    b.n = 0;
    ls__det_xml(&b, "<a href='x'>&\x02", 14);
    CHECK(b.n == 33 && memcmp(b.p, "&lt;a href=&apos;x&apos;&gt;&amp;", 33) == 0);
    ls__buf_free(&b);
    char t[48];
    ls__det_template(ls__str_c("Zhang12345678"), t, sizeof t);
    CHECK_EQ_STR(t, "Aaaaa99999999");
    ls__det_template(ls__str_c("李_x9"), t, sizeof t);
    CHECK_EQ_STR(t, "x_a9");
    ls__det_template(ls__str_c("abcdef"), t, 4);
    CHECK_EQ_STR(t, "aaa");
    char day[11];
    ls__det_fmt_day(18274, day);   /* 2020-01-13 */
    CHECK_EQ_STR(day, "2020-01-13");
    ls__det_fmt_day(0, day);
    CHECK_EQ_STR(day, "1970-01-01");
}

/* ls__det_fixed must print what printf("%.3f") / ("%.2f") prints. */
TEST(fixed_point_like_printf)
{
    ls__buf b = { 0 };
    char want[64];
    /* Exact ties round to even, as printf does: 1.0625 -> 1.062,
     * 1.1875 -> 1.188 (3 decimals); 0.125 -> 0.12, 0.375 -> 0.38. */
    const float fixed[] = { 0.0f, -0.0f, 1.0625f, 1.1875f, 0.125f, 0.375f, 0.0005f, 0.9995f, 9.9995f,
                            -1.0625f, -0.0001f, 300.0f, 123456.789f, 1e-9f, 2.5f, 1e12f };
    const char *w3[] = { "0.000", "-0.000", "1.062", "1.188", "0.125", "0.375", "0.001", "0.999", "10.000",
                         "-1.062", "-0.000", "300.000", "123456.789", "0.000", "2.500", "999999995904.000" };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        b.n = 0;
        CHECK_EQ_INT(ls__det_fixed(&b, fixed[i], 3), LS_OK);
        CHECK_EQ_STR(b.p, w3[i]);
    }
    b.n = 0;
    ls__det_fixed(&b, 0.125f, 2);
    CHECK_EQ_STR(b.p, "0.12");
    b.n = 0;
    ls__det_fixed(&b, 0.375f, 2);
    CHECK_EQ_STR(b.p, "0.38");
    /* Random floats over many magnitudes, both precisions. */
    uint32_t x = 2463534242u;
    int bad = 0;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        float v = (float)(x % 100000000u) / (float)(1u << (x % 24));
        if (i % 7 == 0) v = (float)(x % 4096) / 4096.0f;     /* many exact ties */
        if (i % 11 == 0) v = -v;
        int dec = 2 + (i & 1);
        b.n = 0;
        ls__det_fixed(&b, v, dec);
        snprintf(want, sizeof want, "%.*f", dec, (double)v);
        if (strcmp(b.p, want) != 0 && bad++ < 5) fprintf(stderr, "  %.9g: %s vs printf %s\n", (double)v, b.p, want);
    }
    CHECK_EQ_INT(bad, 0);
    ls__buf_free(&b);
}

TEST(bad_options)
{
    ls_ctx *ctx;
    ls_detect_opts o;
    ls_ctx_new(&ctx);
    ls_detect_opts_default(&o);
    o.alpha = 0;
    CHECK_EQ_INT(ls__detect_store(ctx, &o, &H->st, "/tmp", NULL), LS_ERR_USAGE);
    ls_detect_opts_default(&o);
    o.layers = "co_retweet,nonsense";
    CHECK_EQ_INT(ls__detect_store(ctx, &o, &H->st, "/tmp", NULL), LS_ERR_USAGE);
    ls_detect_opts_default(&o);
    o.min_score = 2;
    CHECK_EQ_INT(ls__detect_store(ctx, &o, &H->st, "/tmp", NULL), LS_ERR_USAGE);
    CHECK_EQ_INT(ls_detect(ctx, NULL, "/nonexistent/store.lss", "/tmp/ls_test_detect_none", NULL), LS_ERR_IO);
    rmdir("/tmp/ls_test_detect_none");
    ls_ctx_free(ctx);
}

/* The second clustering pass on its own: each operation cell of ten core
 * accounts as its own network (the pairwise merge not run), the fandom as
 * another.  Cells share amplifiers far above chance, so regrouping joins
 * the four cells into one network; the fandom's amplification stays inside
 * it, so it has no flow edge and stays alone.  With only the fandom open
 * nothing may merge. */
TEST(regroup_joins_cells)
{
    ls_ctx *ctx;
    ls__det d;
    ls_detect_opts o;
    ls__igraph_init();
    int ok_open = det_open(&d, &o, &ctx, &H->st) == 0;
    CHECK(ok_open);
    if (!ok_open) { ls__det_free(&d); ls_ctx_free(ctx); return; }
    uint32_t A = d.n_acc, core_net[4] = { 0 }, fan_net = 0;
    d.net_of = malloc(A * sizeof *d.net_of);
    d.role = calloc(A, 1); d.expanded = calloc(A, 1); d.acamp = calloc(A, sizeof *d.acamp);
    /* ls__det_free releases these through ls__free; keep them ours. */
    uint32_t *net_of = d.net_of; uint8_t *role = d.role, *expanded = d.expanded; uint32_t *acamp = d.acamp;
    for (uint32_t id = 0; id < A; id++) {
        char acc[64];
        hs_acc_str(H, id, acc, sizeof acc);
        d.net_of[id] = LS__NONE;
        if (!strncmp(acc, "core", 4)) d.net_of[id] = (uint32_t)(atoi(acc + 4) / 10);
        else if (!strncmp(acc, "fan", 3) || !strcmp(acc, "idol")) d.net_of[id] = 4;
    }
    d.n_net = 5;
    d.net = ls__calloc(5, sizeof *d.net);
    uint8_t open[5] = { 1, 1, 1, 1, 1 }, fan_only[5] = { 0, 0, 0, 0, 1 };
    uint32_t merged = 99;
    CHECK(ls__det_regroup(&d, fan_only, &merged) == LS_OK);
    CHECK_EQ_INT((int)merged, 0);
    CHECK_EQ_INT((int)d.n_net, 5);
    CHECK(ls__det_regroup(&d, open, &merged) == LS_OK);
    CHECK_EQ_INT((int)merged, 3);
    CHECK_EQ_INT((int)d.n_net, 2);
    for (uint32_t id = 0; id < A; id++) {
        char acc[64];
        hs_acc_str(H, id, acc, sizeof acc);
        if (!strncmp(acc, "core", 4)) core_net[atoi(acc + 4) / 10] = d.net_of[id] + 1;
        else if (!strcmp(acc, "idol")) fan_net = d.net_of[id] + 1;
    }
    CHECK(core_net[0] != 0 && core_net[0] == core_net[1] && core_net[0] == core_net[2] && core_net[0] == core_net[3]);
    CHECK(fan_net != 0 && fan_net != core_net[0]);
    /* roles were recomputed for the merged network: its 40 core accounts */
    CHECK_EQ_INT((int)d.net[core_net[0] - 1].n, NCORE);
    d.net_of = NULL; d.role = NULL; d.expanded = NULL; d.acamp = NULL;
    free(net_of); free(role); free(expanded); free(acamp);
    ls__det_free(&d);
    ls_ctx_free(ctx);
}

int main(void)
{
    H = build();
    hs_finish(H);
    int r1 = run_detect(&H->st, 1, dir1), r2 = run_detect(&H->st, 2, dir2);
    if (r1 || r2) { printf("FAIL detect_runs\n"); return 1; }
    RUN(operation_found_fandom_not);
    RUN(deterministic_across_threads);
    RUN(igraph_never_aborts);
    RUN(escaping_and_templates);
    RUN(fixed_point_like_printf);
    RUN(bad_options);
    RUN(regroup_joins_cells);
    if (getenv("KEEP")) printf("kept %s %s\n", dir1, dir2); else { rm_dir(dir1); rm_dir(dir2); }
    hs_free(H);
    TEST_END();
}
