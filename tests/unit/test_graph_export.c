/*
 * test_graph_export.c — the coordination graph and its files: fusing
 * layers, QUT-style CSV (quoted fields, CRLF, string order), GraphML read
 * back with igraph (hostile ids survive escaping), GEXF structure, XML
 * escaping of invalid characters.
 */
#include "test.h"
#include "hand_store.h"
#include "graph/graph.h"
#include <igraph.h>
#include <stdlib.h>
#include <unistd.h>

static ls_ctx *ctx;
static char dir[] = "/tmp/lockstep-test-graph-XXXXXX";

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    return buf;
}

static const char *HOSTILE = "e<v>i&l\"'\x01\xff";

static hand_store *store(void)
{
    hand_store *h = hs_new();
    hs_ev(h, 0, "b", "1", 'r', "X", NULL, "u:http://l");
    hs_ev(h, 10, "a", "2", 'r', "X", NULL, NULL);
    hs_ev(h, 20, HOSTILE, "3", 'r', "X", NULL, NULL);
    hs_ev(h, 30, "a", "4", 't', NULL, "t", "u:http://l");
    hs_ev(h, 40, "b", "5", 't', NULL, "t", "u:http://l");
    return h;
}

TEST(xml_escape)
{
    ls__buf b = { 0 };
    CHECK_EQ_INT(ls__xml_escape(&b, ls__str_c("a<b>&\"'\x01\xff\xef\xbf\xbe\xe4\xb8\xad")), LS_OK);
    ls__buf_putc(&b, 0);
    CHECK_EQ_STR(b.p, "a&lt;b&gt;&amp;&quot;&apos;\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xe4\xb8\xad");
    ls__buf_free(&b);
}

TEST(qut_csv)
{
    hand_store *h = store();
    struct ls_store *st = hs_finish(h);
    ls__co_opts o;
    ls__co_opts_default(&o);
    o.qut = 1;
    ls__edges E[2];
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_RETWEET, &o, &E[0]), LS_OK);
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_LINK, &o, &E[1]), LS_OK);
    ls__graph g;
    CHECK_EQ_INT(ls__graph_build(ctx, E, 2, &g), LS_OK);
    CHECK(g.directed);
    char path[256];
    snprintf(path, sizeof path, "%s/q.csv", dir);
    CHECK_EQ_INT(ls__graph_write(ctx, &g, st, LS_FMT_CSV, path), LS_OK);
    const char *want =
        "\"source\",\"target\",\"weight\",\"edge_type\"\r\n"
        "\"a\",\"b\",\"1\",\"co_retweet\"\r\n"
        "\"a\",\"e<v>i&l\"\"'\x01\xff\",\"1\",\"co_retweet\"\r\n"
        "\"b\",\"a\",\"1\",\"co_retweet\"\r\n"
        "\"b\",\"e<v>i&l\"\"'\x01\xff\",\"1\",\"co_retweet\"\r\n"
        "\"e<v>i&l\"\"'\x01\xff\",\"a\",\"1\",\"co_retweet\"\r\n"
        "\"e<v>i&l\"\"'\x01\xff\",\"b\",\"1\",\"co_retweet\"\r\n"
        "\"a\",\"b\",\"1\",\"co_link\"\r\n"
        "\"b\",\"a\",\"1\",\"co_link\"\r\n";   /* b's retweet link does not count */
    const char *got = slurp(path);
    CHECK(got && strcmp(got, want) == 0);
    if (got && strcmp(got, want)) fprintf(stderr, "%s", got);
    ls__graph_free(&g);
    ls__edges_free(&E[0]); ls__edges_free(&E[1]);
    hs_free(h);
}

TEST(graphml_igraph_roundtrip)
{
    hand_store *h = store();
    struct ls_store *st = hs_finish(h);
    ls__co_opts o;
    ls__co_opts_default(&o);
    ls__edges E[2];
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_RETWEET, &o, &E[0]), LS_OK);
    CHECK_EQ_INT(ls__coaction(ctx, st, LS_L_LINK, &o, &E[1]), LS_OK);
    ls__graph g;
    CHECK_EQ_INT(ls__graph_build(ctx, E, 2, &g), LS_OK);
    CHECK_EQ_INT(g.n, 3);   /* a-b (retweet + link), a-h, b-h */
    char path[256];
    snprintf(path, sizeof path, "%s/g.graphml", dir);
    CHECK_EQ_INT(ls__graph_write(ctx, &g, st, LS_FMT_GRAPHML, path), LS_OK);
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f) {
        igraph_t ig;
        igraph_set_attribute_table(&igraph_cattribute_table);
        igraph_error_t err = igraph_read_graph_graphml(&ig, f, 0);
        fclose(f);
        CHECK_EQ_INT(err, IGRAPH_SUCCESS);
        if (err == IGRAPH_SUCCESS) {
            CHECK_EQ_INT(igraph_vcount(&ig), 3);
            CHECK_EQ_INT(igraph_ecount(&ig), 3);
            CHECK(!igraph_is_directed(&ig));
            /* Vertex 2 is the hostile id, with control bytes replaced. */
            const char *nm = VAS(&ig, "name", 2);
            CHECK_EQ_STR(nm, "e<v>i&l\"'\xef\xbf\xbd\xef\xbf\xbd");
            CHECK_EQ_STR(VAS(&ig, "name", 0), "b");
            CHECK_EQ_STR(EAS(&ig, "edge_type", 0), "co_retweet+co_link");
            CHECK_EQ_INT((int)EAN(&ig, "count_co_link", 0), 1);
            CHECK(EAN(&ig, "weight", 0) > 1.0);
            /* Evidence of the first layer with a count: the retweeted post. */
            CHECK_EQ_STR(EAS(&ig, "evidence", 0), "post X");
            igraph_destroy(&ig);
        }
    }
    snprintf(path, sizeof path, "%s/g.gexf", dir);
    CHECK_EQ_INT(ls__graph_write(ctx, &g, st, LS_FMT_GEXF, path), LS_OK);
    const char *gx = slurp(path);
    CHECK(gx && strstr(gx, "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">"));
    CHECK(gx && strstr(gx, "label=\"e&lt;v&gt;i&amp;l&quot;&apos;\xef\xbf\xbd\xef\xbf\xbd\""));
    int edges = 0;
    for (const char *p = gx; p && (p = strstr(p, "<edge ")); p++) edges++;
    CHECK_EQ_INT(edges, 3);
    /* Unwritable path: an I/O error, no crash. */
    CHECK(ls__graph_write(ctx, &g, st, LS_FMT_CSV, "/nonexistent-dir/x.csv") != LS_OK);
    CHECK_EQ_INT(ls__graph_format_parse("gexf"), LS_FMT_GEXF);
    CHECK_EQ_INT(ls__graph_format_parse("dot"), -1);
    ls__graph_free(&g);
    ls__edges_free(&E[0]); ls__edges_free(&E[1]);
    hs_free(h);
}

int main(void)
{
    ls_ctx_new(&ctx);
    if (!mkdtemp(dir)) return 1;
    RUN(xml_escape);
    RUN(qut_csv);
    RUN(graphml_igraph_roundtrip);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    ls_ctx_free(ctx);
    TEST_END();
}
