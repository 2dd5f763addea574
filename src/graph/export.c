/*
 * export.c — writes the coordination graph as CSV, GraphML or GEXF.
 *
 * CSV under --compat qut is what the QUT toolkit writes (Python's csv
 * module with QUOTE_ALL: every field quoted, CRLF line ends), header
 * source,target,weight,edge_type, rows ordered by (source, target) as
 * strings like its SQLite primary key.  Otherwise one undirected row per
 * pair with weight, significance, the layers and a count per layer.
 * GraphML and GEXF name nodes n0, n1, ... and carry the account id as an
 * escaped attribute, so hostile ids can never break the markup.
 */
#include "graph.h"
#include <stdlib.h>

/* Appends a string literal (its length known at compile time). */
#define PUT(b, lit) ls__buf_put((b), (lit), sizeof(lit) - 1)

int ls__graph_format_parse(const char *s)
{
    if (!s) return -1;
    if (strcmp(s, "csv") == 0) return LS_FMT_CSV;
    if (strcmp(s, "graphml") == 0) return LS_FMT_GRAPHML;
    if (strcmp(s, "gexf") == 0) return LS_FMT_GEXF;
    return -1;
}

int ls__xml_escape(ls__buf *b, ls__str s)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    size_t i = 0;
    while (i < s.n) {
        unsigned char c = (unsigned char)s.p[i];
        if (c < 0x80) {
            int rc;
            switch (c) {
            case '&': rc = PUT(b, "&amp;"); break;
            case '<': rc = PUT(b, "&lt;"); break;
            case '>': rc = PUT(b, "&gt;"); break;
            case '"': rc = PUT(b, "&quot;"); break;
            case '\'': rc = PUT(b, "&apos;"); break;
            case '\t': rc = PUT(b, "&#9;"); break;
            case '\n': rc = PUT(b, "&#10;"); break;
            case '\r': rc = PUT(b, "&#13;"); break;
            default: rc = c < 0x20 || c == 0x7f ? ls__buf_put(b, fffd, 3) : ls__buf_putc(b, (char)c);
            }
            if (rc != LS_OK) return rc;
            i++;
            continue;
        }
        size_t k = ls__utf8_valid_prefix(s.p + i, s.n - i);
        if (k == 0) {
            if (ls__buf_put(b, fffd, 3) != LS_OK) return LS_ERR_NOMEM;
            i++;
            continue;
        }
        /* Copy the valid multi-byte run up to the next ASCII byte, but
         * replace U+FFFE/U+FFFF, which XML forbids. */
        size_t j = i;
        while (j < i + k && (unsigned char)s.p[j] >= 0x80) j++;
        for (size_t q = i; q < j;) {
            if (j - q >= 3 && (unsigned char)s.p[q] == 0xEF && (unsigned char)s.p[q + 1] == 0xBF &&
                ((unsigned char)s.p[q + 2] == 0xBE || (unsigned char)s.p[q + 2] == 0xBF)) {
                if (ls__buf_put(b, fffd, 3) != LS_OK) return LS_ERR_NOMEM;
                q += 3;
                continue;
            }
            if (ls__buf_putc(b, s.p[q]) != LS_OK) return LS_ERR_NOMEM;
            q++;
        }
        i = j;
    }
    return LS_OK;
}

int ls__csv_field(ls__buf *b, ls__str s, int quote_all)
{
    int need = quote_all;
    for (size_t i = 0; i < s.n && !need; i++)
        need = s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\n' || s.p[i] == '\r';
    if (!need) return ls__buf_put(b, s.p, s.n);
    if (ls__buf_putc(b, '"') != LS_OK) return LS_ERR_NOMEM;
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] == '"' && ls__buf_putc(b, '"') != LS_OK) return LS_ERR_NOMEM;
        if (ls__buf_putc(b, s.p[i]) != LS_OK) return LS_ERR_NOMEM;
    }
    return ls__buf_putc(b, '"');
}

static ls__str acc_name(const ls_store *st, uint32_t a)
{
    if (a >= st->ns[LS_NS_ACCOUNT].n) return LS__S("?");
    return ls__strtab_get(&st->ns[LS_NS_ACCOUNT], a);
}

/* Names of an edge's evidence ids, "a | b | c" (raw, unescaped). */
static int evidence_text(const ls__graph *g, const ls_store *st, const ls__gedge *e, ls__buf *out)
{
    out->n = 0;
    if (e->ev_layer < 0) return LS_OK;
    int kind = g->directed ? LS_OBJ_POST : ls__layer_obj_kind(e->ev_layer, 0);
    for (int k = 0; k < LS__EV && e->ev[k] != LS__NONE; k++) {
        if (k && PUT(out, " | ") != LS_OK) return LS_ERR_NOMEM;
        if (ls__object_name(st, kind, e->ev[k], g->window_ms, out) != LS_OK) return LS_ERR_NOMEM;
    }
    /* One line per edge: newlines inside texts become spaces. */
    for (size_t i = 0; i < out->n; i++) if (out->p[i] == '\n' || out->p[i] == '\r') out->p[i] = ' ';
    return LS_OK;
}

static int flush(ls__buf *b, FILE *f, int force)
{
    if (!force && b->n < (1u << 16)) return LS_OK;
    if (b->n && fwrite(b->p, 1, b->n, f) != b->n) return LS_ERR_IO;
    b->n = 0;
    return LS_OK;
}

static int fmt_num(ls__buf *b, double x)
{
    char t[32];
    return ls__buf_put(b, t, ls__fmt_g6(t, x));
}

static int fmt_u32(ls__buf *b, uint32_t v)
{
    char t[16];
    return ls__buf_put(b, t, ls__fmt_u32(t, v));
}

/* Sorts edge indexes by (source string, target string), as QUT's SQLite
 * table (primary key user_1, user_2, binary collation) returns them. */
static const ls_store *sort_st;
static const ls__gedge *sort_e;
static int cmp_str(ls__str a, ls__str b)
{
    size_t n = a.n < b.n ? a.n : b.n;
    int c = n ? memcmp(a.p, b.p, n) : 0;
    return c ? c : (a.n < b.n ? -1 : a.n > b.n);
}
static int cmp_qut(const void *x, const void *y)
{
    const ls__gedge *a = &sort_e[*(const size_t *)x], *b = &sort_e[*(const size_t *)y];
    int c = cmp_str(acc_name(sort_st, a->u), acc_name(sort_st, b->u));
    if (!c) c = cmp_str(acc_name(sort_st, a->v), acc_name(sort_st, b->v));
    return c;
}

static int write_csv(ls_ctx *ctx, const ls__graph *g, const ls_store *st, FILE *f, ls__buf *b)
{
    int rc = LS_OK;
    if (g->directed) {
        size_t *ord = ls__malloc((g->n ? g->n : 1) * sizeof *ord);
        if (!ord) return ls__fail(ctx, LS_ERR_NOMEM, "export: out of memory");
        for (size_t i = 0; i < g->n; i++) ord[i] = i;
        sort_st = st; sort_e = g->e;   /* single-threaded CLI path */
        qsort(ord, g->n, sizeof *ord, cmp_qut);
        rc = PUT(b, "\"source\",\"target\",\"weight\",\"edge_type\"\r\n");
        for (int l = 0; l < g->n_layers && rc == LS_OK; l++) {
            int L = g->layers[l];
            for (size_t k = 0; k < g->n && rc == LS_OK; k++) {
                const ls__gedge *e = &g->e[ord[k]];
                if (!e->count[L]) continue;
                ls__csv_field(b, acc_name(st, e->u), 1);
                ls__buf_putc(b, ',');
                ls__csv_field(b, acc_name(st, e->v), 1);
                PUT(b, ",\"");
                fmt_u32(b, e->count[L]);
                PUT(b, "\",\"");
                ls__buf_put(b, ls__layer_name(L), strlen(ls__layer_name(L)));
                PUT(b, "\"\r\n");
                rc = flush(b, f, 0);
            }
        }
        ls__free(ord);
        return rc;
    }
    rc = PUT(b, "source,target,weight,significance,edge_type");
    for (int l = 0; l < g->n_layers; l++) ls__buf_printf(b, ",count_%s", ls__layer_name(g->layers[l]));
    PUT(b, ",evidence\n");
    ls__buf ev = { 0 };
    for (size_t k = 0; k < g->n && rc == LS_OK; k++) {
        const ls__gedge *e = &g->e[k];
        ls__csv_field(b, acc_name(st, e->u), 0);
        ls__buf_putc(b, ',');
        ls__csv_field(b, acc_name(st, e->v), 0);
        ls__buf_putc(b, ',');
        fmt_num(b, e->weight);
        ls__buf_putc(b, ',');
        fmt_num(b, e->sig);
        ls__buf_putc(b, ',');
        int first = 1;
        for (int l = 0; l < g->n_layers; l++)
            if (e->count[g->layers[l]]) {
                if (!first) ls__buf_putc(b, '+');
                const char *name = ls__layer_name(g->layers[l]);
                ls__buf_put(b, name, strlen(name));
                first = 0;
            }
        for (int l = 0; l < g->n_layers; l++) {
            ls__buf_putc(b, ',');
            fmt_u32(b, e->count[g->layers[l]]);
        }
        ls__buf_putc(b, ',');
        if ((rc = evidence_text(g, st, e, &ev)) != LS_OK) break;
        ls__csv_field(b, (ls__str){ ev.p, ev.n }, 0);
        rc = ls__buf_putc(b, '\n');
        if (rc == LS_OK) rc = flush(b, f, 0);
    }
    ls__buf_free(&ev);
    return rc;
}

/* Dense node numbering: accounts that appear in an edge, by account id. */
static int node_map(const ls__graph *g, const ls_store *st, uint32_t **map, uint32_t *nn)
{
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    uint32_t *m = ls__malloc((na ? na : 1) * sizeof *m);
    if (!m) return LS_ERR_NOMEM;
    for (uint32_t a = 0; a < na; a++) m[a] = LS__NONE;
    for (size_t i = 0; i < g->n; i++) {
        if (g->e[i].u < na) m[g->e[i].u] = 0;
        if (g->e[i].v < na) m[g->e[i].v] = 0;
    }
    uint32_t k = 0;
    for (uint32_t a = 0; a < na; a++) if (m[a] == 0) m[a] = k++;
    *map = m; *nn = k;
    return LS_OK;
}

static int write_graphml(const ls__graph *g, const ls_store *st, FILE *f, ls__buf *b,
                         const uint32_t *map)
{
    int rc = LS_OK;
    ls__buf ev = { 0 };
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    ls__buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
        "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
        "  <key id=\"screen_name\" for=\"node\" attr.name=\"screen_name\" attr.type=\"string\"/>\n"
        "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
        "  <key id=\"significance\" for=\"edge\" attr.name=\"significance\" attr.type=\"double\"/>\n"
        "  <key id=\"edge_type\" for=\"edge\" attr.name=\"edge_type\" attr.type=\"string\"/>\n"
        "  <key id=\"evidence\" for=\"edge\" attr.name=\"evidence\" attr.type=\"string\"/>\n");
    for (int l = 0; l < g->n_layers; l++)
        ls__buf_printf(b, "  <key id=\"c%d\" for=\"edge\" attr.name=\"count_%s\" attr.type=\"int\"/>\n",
                       l, ls__layer_name(g->layers[l]));
    ls__buf_printf(b, "  <graph id=\"G\" edgedefault=\"%s\">\n", g->directed ? "directed" : "undirected");
    for (uint32_t a = 0; a < na && rc == LS_OK; a++) {
        if (map[a] == LS__NONE) continue;
        ls__buf_printf(b, "    <node id=\"n%u\"><data key=\"name\">", map[a]);
        ls__xml_escape(b, acc_name(st, a));
        PUT(b, "</data>");
        if (st->acc_screen && st->acc_screen[a] != LS__NONE && st->acc_screen[a] < st->ns[LS_NS_NAME].n) {
            PUT(b, "<data key=\"screen_name\">");
            ls__xml_escape(b, ls__strtab_get(&st->ns[LS_NS_NAME], st->acc_screen[a]));
            PUT(b, "</data>");
        }
        PUT(b, "</node>\n");
        rc = flush(b, f, 0);
    }
    for (size_t k = 0; k < g->n && rc == LS_OK; k++) {
        const ls__gedge *e = &g->e[k];
        ls__buf_printf(b, "    <edge source=\"n%u\" target=\"n%u\"><data key=\"weight\">", map[e->u], map[e->v]);
        fmt_num(b, g->directed ? (double)e->weight : e->weight);
        PUT(b, "</data><data key=\"significance\">");
        fmt_num(b, e->sig);
        PUT(b, "</data><data key=\"edge_type\">");
        int first = 1;
        for (int l = 0; l < g->n_layers; l++)
            if (e->count[g->layers[l]]) {
                ls__buf_printf(b, "%s%s", first ? "" : "+", ls__layer_name(g->layers[l]));
                first = 0;
            }
        PUT(b, "</data><data key=\"evidence\">");
        if ((rc = evidence_text(g, st, e, &ev)) != LS_OK) break;
        ls__xml_escape(b, (ls__str){ ev.p, ev.n });
        PUT(b, "</data>");
        for (int l = 0; l < g->n_layers; l++)
            ls__buf_printf(b, "<data key=\"c%d\">%u</data>", l, e->count[g->layers[l]]);
        rc = PUT(b, "</edge>\n");
        if (rc == LS_OK) rc = flush(b, f, 0);
    }
    if (rc == LS_OK) rc = PUT(b, "  </graph>\n</graphml>\n");
    ls__buf_free(&ev);
    return rc;
}

static int write_gexf(const ls__graph *g, const ls_store *st, FILE *f, ls__buf *b,
                      const uint32_t *map)
{
    int rc = LS_OK;
    ls__buf ev = { 0 };
    uint32_t na = st->ns[LS_NS_ACCOUNT].n;
    ls__buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
        "  <meta><creator>lockstep %s</creator></meta>\n"
        "  <graph mode=\"static\" defaultedgetype=\"%s\">\n"
        "    <attributes class=\"edge\">\n"
        "      <attribute id=\"significance\" title=\"significance\" type=\"double\"/>\n"
        "      <attribute id=\"edge_type\" title=\"edge_type\" type=\"string\"/>\n"
        "      <attribute id=\"evidence\" title=\"evidence\" type=\"string\"/>\n",
        LS_VERSION, g->directed ? "directed" : "undirected");
    for (int l = 0; l < g->n_layers; l++)
        ls__buf_printf(b, "      <attribute id=\"c%d\" title=\"count_%s\" type=\"integer\"/>\n",
                       l, ls__layer_name(g->layers[l]));
    PUT(b, "    </attributes>\n    <nodes>\n");
    for (uint32_t a = 0; a < na && rc == LS_OK; a++) {
        if (map[a] == LS__NONE) continue;
        ls__buf_printf(b, "      <node id=\"n%u\" label=\"", map[a]);
        ls__xml_escape(b, acc_name(st, a));
        rc = PUT(b, "\"/>\n");
        if (rc == LS_OK) rc = flush(b, f, 0);
    }
    PUT(b, "    </nodes>\n    <edges>\n");
    for (size_t k = 0; k < g->n && rc == LS_OK; k++) {
        const ls__gedge *e = &g->e[k];
        ls__buf_printf(b, "      <edge id=\"%zu\" source=\"n%u\" target=\"n%u\" weight=\"", k, map[e->u], map[e->v]);
        fmt_num(b, e->weight);
        PUT(b, "\"><attvalues><attvalue for=\"significance\" value=\"");
        fmt_num(b, e->sig);
        PUT(b, "\"/><attvalue for=\"edge_type\" value=\"");
        int first = 1;
        for (int l = 0; l < g->n_layers; l++)
            if (e->count[g->layers[l]]) {
                ls__buf_printf(b, "%s%s", first ? "" : "+", ls__layer_name(g->layers[l]));
                first = 0;
            }
        PUT(b, "\"/><attvalue for=\"evidence\" value=\"");
        if ((rc = evidence_text(g, st, e, &ev)) != LS_OK) break;
        ls__xml_escape(b, (ls__str){ ev.p, ev.n });
        PUT(b, "\"/>");
        for (int l = 0; l < g->n_layers; l++)
            ls__buf_printf(b, "<attvalue for=\"c%d\" value=\"%u\"/>", l, e->count[g->layers[l]]);
        rc = PUT(b, "</attvalues></edge>\n");
        if (rc == LS_OK) rc = flush(b, f, 0);
    }
    if (rc == LS_OK) rc = PUT(b, "    </edges>\n  </graph>\n</gexf>\n");
    ls__buf_free(&ev);
    return rc;
}

int ls__graph_write(ls_ctx *ctx, const ls__graph *g, const ls_store *st,
                    int format, const char *path)
{
    int rc = LS_OK;
    ls__afile af;
    memset(&af, 0, sizeof af);
    ls__buf b = { 0 };
    uint32_t *map = NULL, nn = 0;
    FILE *f = stdout;
    int to_stdout = strcmp(path, "-") == 0;
    if (!to_stdout) {
        if ((rc = ls__afile_open(ctx, &af, path)) != LS_OK) goto done;
        f = af.f;
    }
    if (format == LS_FMT_CSV) {
        rc = write_csv(ctx, g, st, f, &b);
    } else {
        if (node_map(g, st, &map, &nn) != LS_OK) { rc = ls__fail(ctx, LS_ERR_NOMEM, "export: out of memory"); goto done; }
        rc = format == LS_FMT_GRAPHML ? write_graphml(g, st, f, &b, map) : write_gexf(g, st, f, &b, map);
    }
    if (rc == LS_OK) rc = flush(&b, f, 1);
    if (rc != LS_OK) {
        if (!ctx->message[0] || rc == LS_ERR_IO) ls__fail(ctx, rc, "%s: write failed", path);
        goto done;
    }
    if (!to_stdout) rc = ls__afile_commit(ctx, &af);
    else if (fflush(stdout) != 0) rc = ls__fail(ctx, LS_ERR_IO, "stdout: write failed");
done:
    if (!to_stdout) ls__afile_abort(&af);
    ls__buf_free(&b);
    ls__free(map);
    return rc;
}
