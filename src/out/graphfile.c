/*
 * graphfile.c — one GEXF and one GraphML file per network for Gephi and
 * other graph tools.  Nodes are the network's accounts (core first, by
 * score) with attributes userid, role, score, followers, creation day,
 * cohort size (members of the network created the same day) and the
 * screen-name template; node labels are screen names.  Edges are the run's
 * coordination edges (edges.csv) between members, with their weight.
 * Node ids are n0, n1, ...; every account string is an escaped attribute
 * value, so hostile ids and names cannot break the markup.  File names use
 * the network id reduced to [A-Za-z0-9_-].
 */
#include "out.h"
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef struct gnode {
    uint32_t a;            /* run account index */
    char day[16];          /* creation day or "" */
    uint32_t cohort;
    char tmpl[64];
    long long followers;   /* -1 unknown */
} gnode;

static int day_cmp(const void *x, const void *y) { return strcmp(*(const char *const *)x, *(const char *const *)y); }

static int fill_nodes(const ls__rdir *run, const ls_store *st, const uint32_t *mem, size_t n, gnode *g)
{
    const char **days = ls__malloc((n ? n : 1) * sizeof *days);
    if (!days) return LS_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const ls__racct *a = &run->acc[mem[i]];
        memset(&g[i], 0, sizeof g[i]);
        g[i].a = mem[i];
        g[i].followers = -1;
        if (st && a->acc != LS__NONE) {
            if (st->acc_created[a->acc] != LS__TIME_NONE) ls__fmt_day(st->acc_created[a->acc], g[i].day);
            g[i].followers = st->acc_followers[a->acc];
        }
        ls__outname_template(a->screen_name, strlen(a->screen_name), g[i].tmpl, sizeof g[i].tmpl);
        days[i] = g[i].day;
    }
    /* Cohort size: members sharing the creation day (binary search in the
     * sorted days). */
    qsort(days, n, sizeof *days, day_cmp);
    for (size_t i = 0; i < n; i++) {
        if (!g[i].day[0]) continue;
        size_t lo = 0, hi = n;
        while (lo < hi) { size_t m = (lo + hi) / 2; if (strcmp(days[m], g[i].day) < 0) lo = m + 1; else hi = m; }
        size_t e = lo;
        while (e < n && strcmp(days[e], g[i].day) == 0) e++;
        g[i].cohort = (uint32_t)(e - lo);
    }
    ls__free(days);
    return LS_OK;
}

static const char *role_name(int r) { return r == LS__ROLE_CORE ? "core" : r == LS__ROLE_AMPLIFIER ? "amplifier" : "other"; }

static int gexf(const ls__rdir *run, int k, const gnode *g, size_t n, const int32_t *pos, ls__buf *b)
{
    int rc = ls__buf_printf(b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
        "  <meta><creator>lockstep</creator><description>network ");
    if (rc == LS_OK) rc = ls__html_textc(b, run->net[k].id);
    if (rc == LS_OK) rc = ls__buf_printf(b,
        "</description></meta>\n"
        "  <graph defaultedgetype=\"undirected\" mode=\"static\">\n"
        "    <attributes class=\"node\">\n"
        "      <attribute id=\"0\" title=\"userid\" type=\"string\"/>\n"
        "      <attribute id=\"1\" title=\"role\" type=\"string\"/>\n"
        "      <attribute id=\"2\" title=\"score\" type=\"double\"/>\n"
        "      <attribute id=\"3\" title=\"followers\" type=\"long\"/>\n"
        "      <attribute id=\"4\" title=\"created\" type=\"string\"/>\n"
        "      <attribute id=\"5\" title=\"cohort\" type=\"integer\"/>\n"
        "      <attribute id=\"6\" title=\"name_template\" type=\"string\"/>\n"
        "    </attributes>\n    <nodes>\n");
    for (size_t i = 0; rc == LS_OK && i < n; i++) {
        const ls__racct *a = &run->acc[g[i].a];
        rc = ls__buf_printf(b, "      <node id=\"n%zu\" label=\"", i);
        if (rc == LS_OK) rc = ls__html_textc(b, a->screen_name);
        if (rc == LS_OK) rc = ls__buf_printf(b, "\"><attvalues><attvalue for=\"0\" value=\"");
        if (rc == LS_OK) rc = ls__html_textc(b, a->userid);
        if (rc == LS_OK)
            rc = ls__buf_printf(b, "\"/><attvalue for=\"1\" value=\"%s\"/><attvalue for=\"2\" value=\"%.4f\"/>"
                                "<attvalue for=\"3\" value=\"%lld\"/><attvalue for=\"4\" value=\"%s\"/>"
                                "<attvalue for=\"5\" value=\"%u\"/><attvalue for=\"6\" value=\"",
                                role_name(a->role), a->score, g[i].followers, g[i].day, g[i].cohort);
        if (rc == LS_OK) rc = ls__html_textc(b, g[i].tmpl);
        if (rc == LS_OK) rc = ls__buf_printf(b, "\"/></attvalues></node>\n");
    }
    if (rc == LS_OK) rc = ls__buf_printf(b, "    </nodes>\n    <edges>\n");
    size_t ne = 0;
    for (size_t i = 0; rc == LS_OK && i < run->n_edge; i++) {
        int32_t x = pos[run->edge[i].a], y = pos[run->edge[i].b];
        if (x < 0 || y < 0) continue;
        rc = ls__buf_printf(b, "      <edge id=\"e%zu\" source=\"n%d\" target=\"n%d\" weight=\"%.4f\"/>\n",
                            ne++, LS__MIN(x, y), LS__MAX(x, y), run->edge[i].w);
    }
    if (rc == LS_OK) rc = ls__buf_printf(b, "    </edges>\n  </graph>\n</gexf>\n");
    return rc;
}

static int graphml(const ls__rdir *run, int k, const gnode *g, size_t n, const int32_t *pos, ls__buf *b)
{
    int rc = ls__buf_printf(b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
        "  <key id=\"userid\" for=\"node\" attr.name=\"userid\" attr.type=\"string\"/>\n"
        "  <key id=\"role\" for=\"node\" attr.name=\"role\" attr.type=\"string\"/>\n"
        "  <key id=\"score\" for=\"node\" attr.name=\"score\" attr.type=\"double\"/>\n"
        "  <key id=\"followers\" for=\"node\" attr.name=\"followers\" attr.type=\"long\"/>\n"
        "  <key id=\"created\" for=\"node\" attr.name=\"created\" attr.type=\"string\"/>\n"
        "  <key id=\"cohort\" for=\"node\" attr.name=\"cohort\" attr.type=\"int\"/>\n"
        "  <key id=\"name_template\" for=\"node\" attr.name=\"name_template\" attr.type=\"string\"/>\n"
        "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
        "  <graph id=\"");
    if (rc == LS_OK) rc = ls__html_textc(b, run->net[k].id);
    if (rc == LS_OK) rc = ls__buf_printf(b, "\" edgedefault=\"undirected\">\n");
    for (size_t i = 0; rc == LS_OK && i < n; i++) {
        const ls__racct *a = &run->acc[g[i].a];
        rc = ls__buf_printf(b, "    <node id=\"n%zu\"><data key=\"label\">", i);
        if (rc == LS_OK) rc = ls__html_textc(b, a->screen_name);
        if (rc == LS_OK) rc = ls__buf_printf(b, "</data><data key=\"userid\">");
        if (rc == LS_OK) rc = ls__html_textc(b, a->userid);
        if (rc == LS_OK)
            rc = ls__buf_printf(b, "</data><data key=\"role\">%s</data><data key=\"score\">%.4f</data>"
                                "<data key=\"followers\">%lld</data><data key=\"created\">%s</data>"
                                "<data key=\"cohort\">%u</data><data key=\"name_template\">",
                                role_name(a->role), a->score, g[i].followers, g[i].day, g[i].cohort);
        if (rc == LS_OK) rc = ls__html_textc(b, g[i].tmpl);
        if (rc == LS_OK) rc = ls__buf_printf(b, "</data></node>\n");
    }
    for (size_t i = 0; rc == LS_OK && i < run->n_edge; i++) {
        int32_t x = pos[run->edge[i].a], y = pos[run->edge[i].b];
        if (x < 0 || y < 0) continue;
        rc = ls__buf_printf(b, "    <edge source=\"n%d\" target=\"n%d\"><data key=\"weight\">%.4f</data></edge>\n",
                            LS__MIN(x, y), LS__MAX(x, y), run->edge[i].w);
    }
    if (rc == LS_OK) rc = ls__buf_printf(b, "  </graph>\n</graphml>\n");
    return rc;
}

/* "network_ID" with ID reduced to [A-Za-z0-9_-] (at most 40 bytes); the
 * 1-based position when nothing is left or another network has it. */
static void file_stem(const ls__rdir *run, int k, char out[64])
{
    char s[41];
    size_t m = 0;
    for (const char *p = run->net[k].id; *p && m < 40; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')
            s[m++] = *p;
    s[m] = 0;
    int clash = m == 0;
    for (int j = 0; j < k && !clash; j++) {
        char o[64];
        file_stem(run, j, o);
        if (strcmp(o + 8, s) == 0) clash = 1;
    }
    if (clash) snprintf(out, 64, "network_%d", k + 1);
    else snprintf(out, 64, "network_%s", s);
}

int ls_export_graphs(ls_ctx *ctx, const char *run_dir, const char *store, const char *out_dir)
{
    ls__rdir run;
    ls_store *st = NULL;
    ls__buf b = { 0 }, path = { 0 };
    uint32_t *mem = NULL;
    gnode *g = NULL;
    int32_t *pos = NULL;
    char **names = NULL;
    size_t n_names = 0;
    int rc;
    if ((rc = ls__rdir_load(ctx, run_dir, &run)) != LS_OK) return rc;
    if ((rc = ls__rdir_open_store(ctx, &run, store, &st)) != LS_OK) goto done;
    if ((rc = ls__rdir_attach(ctx, &run, st)) != LS_OK) goto done;
    if (mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
        rc = ls__fail(ctx, LS_ERR_IO, "cannot create %s: %s", out_dir, strerror(errno));
        goto done;
    }
    if (!(pos = ls__malloc((run.n_acc ? run.n_acc : 1) * sizeof *pos)) ||
        !(names = ls__calloc(2 * run.n_net + 1, sizeof *names)))
        goto nomem;
    for (size_t k = 0; k < run.n_net; k++) {
        size_t n;
        char stem[64];
        if (ls__rdir_members(&run, (int)k, &mem, &n) != LS_OK) goto nomem;
        if (!(g = ls__malloc((n ? n : 1) * sizeof *g)) || fill_nodes(&run, st, mem, n, g) != LS_OK) goto nomem;
        for (size_t i = 0; i < run.n_acc; i++) pos[i] = -1;
        for (size_t i = 0; i < n; i++) pos[mem[i]] = (int32_t)i;
        file_stem(&run, (int)k, stem);
        for (int f = 0; f < 2; f++) {
            b.n = 0; path.n = 0;
            rc = f == 0 ? gexf(&run, (int)k, g, n, pos, &b) : graphml(&run, (int)k, g, n, pos, &b);
            if (rc != LS_OK) goto nomem;
            if (!(names[n_names] = ls__malloc(80))) goto nomem;
            snprintf(names[n_names], 80, "%s.%s", stem, f == 0 ? "gexf" : "graphml");
            n_names++;
            if ((rc = ls__buf_printf(&path, "%s/%s", out_dir, names[n_names - 1])) != LS_OK) goto nomem;
            if ((rc = ls__write_file(ctx, path.p, &b)) != LS_OK) goto done;
        }
        ls__free(mem); mem = NULL;
        ls__free(g); g = NULL;
    }
    rc = ls__manifest_update(ctx, out_dir, (const char *const *)names, n_names);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "graphs: out of memory");
done:
    for (size_t i = 0; i < n_names; i++) ls__free(names[i]);
    ls__free(names); ls__free(pos); ls__free(mem); ls__free(g);
    ls__buf_free(&b); ls__buf_free(&path);
    if (st) ls_store_close(st);
    ls__rdir_free(&run);
    return rc;
}
