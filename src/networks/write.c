/*
 * write.c — the output files of `lockstep detect` and its summary:
 *   accounts.csv   userid,screen_name,network,role,score,evidence (RFC 4180)
 *   networks.json  {"run": {...}, "networks": [...]}
 *   edges.csv      source,target,weight,edge_type,sig (fused edges between
 *                  reported accounts; edge_type joins the layer names)
 *   network.gexf   the same graph for Gephi; nodes carry network, role, score
 * Ids and names are hostile text: every field is escaped for its format
 * (CSV quoting, JSON escapes, XML entities with control bytes dropped).
 * Rows are sorted (network, role, userid bytes), so the bytes never depend
 * on thread count; no wall-clock time is written.
 */
#include "networks.h"
#include <math.h>
#include <stdlib.h>

int ls__det_fixed(ls__buf *b, float v, int dec)
{
    /* v * 10^dec is exact in a double (24 significant bits times at most
     * 7 for 125), and nearbyint rounds ties to even, as printf rounds the
     * exact value; so the digits are printf's. */
    double x = (double)v * (dec == 3 ? 1000.0 : dec == 2 ? 100.0 : 0.0);
    if ((dec != 2 && dec != 3) || !isfinite(x) || fabs(x) >= 1e15)
        return ls__buf_printf(b, "%.*f", dec, (double)v);
    uint64_t q = (uint64_t)nearbyint(fabs(x));
    char t[32];
    int k = (int)sizeof t;
    for (int i = 0; i < dec; i++) { t[--k] = (char)('0' + q % 10); q /= 10; }
    t[--k] = '.';
    do { t[--k] = (char)('0' + q % 10); q /= 10; } while (q);
    if (signbit(v)) t[--k] = '-';
    return ls__buf_put(b, t + k, sizeof t - (size_t)k);
}

int ls__det_csv(ls__buf *b, const char *p, size_t n)
{
    int q = 0, err = 0;
    for (size_t i = 0; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n') { q = 1; break; }
    /* Values are kept exact (scripts join on ids); only quoting is added. */
    if (!q) return ls__buf_put(b, p, n);
    err |= ls__buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') err |= ls__buf_putc(b, '"');
        err |= ls__buf_putc(b, p[i]);
    }
    err |= ls__buf_putc(b, '"');
    return err ? LS_ERR_NOMEM : LS_OK;
}

int ls__det_json(ls__buf *b, const char *p, size_t n)
{
    int err = ls__buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\') { err |= ls__buf_putc(b, '\\'); err |= ls__buf_putc(b, (char)c); }
        else if (c == '\n') err |= ls__buf_put(b, "\\n", 2);
        else if (c == '\r') err |= ls__buf_put(b, "\\r", 2);
        else if (c == '\t') err |= ls__buf_put(b, "\\t", 2);
        else if (c < 0x20 || c == 0x7f) err |= ls__buf_printf(b, "\\u%04x", c);
        else err |= ls__buf_putc(b, (char)c);
    }
    err |= ls__buf_putc(b, '"');
    return err ? LS_ERR_NOMEM : LS_OK;
}

int ls__det_xml(ls__buf *b, const char *p, size_t n)
{
    int err = 0;
    size_t i = 0;
    /* Most ids and names need no escaping: copy the clean prefix whole. */
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'') break;
        i++;
    }
    if (i && ls__buf_put(b, p, i)) return LS_ERR_NOMEM;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        switch (c) {
        case '&': err |= ls__buf_put(b, "&amp;", 5); break;
        case '<': err |= ls__buf_put(b, "&lt;", 4); break;
        case '>': err |= ls__buf_put(b, "&gt;", 4); break;
        case '"': err |= ls__buf_put(b, "&quot;", 6); break;
        case '\'': err |= ls__buf_put(b, "&apos;", 6); break;
        default:
            /* XML 1.0 has no way to write other control characters. */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
            err |= ls__buf_putc(b, (char)c);
        }
    }
    return err ? LS_ERR_NOMEM : LS_OK;
}

typedef struct { uint32_t label; uint8_t role; ls__str id; uint32_t a; } row;

static int row_cmp(const void *x, const void *y)
{
    const row *p = x, *q = y;
    if (p->label != q->label) return p->label < q->label ? -1 : 1;
    if (p->role != q->role) return p->role < q->role ? -1 : 1;
    size_t n = LS__MIN(p->id.n, q->id.n);
    int c = n ? memcmp(p->id.p, q->id.p, n) : 0;
    if (c) return c;
    if (p->id.n != q->id.n) return p->id.n < q->id.n ? -1 : 1;
    return (p->a > q->a) - (p->a < q->a);
}

static int reported(const ls__det *d, uint32_t a)
{
    uint32_t n = d->net_of[a];
    return n != LS__NONE && d->net[n].label > 0 && d->ascore[a] >= d->report_bar;
}

static int write_buf(ls_ctx *ctx, const char *dir, const char *name, const ls__buf *b)
{
    char path[4096];
    ls__afile af = { 0 };
    int rc;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if ((rc = ls__afile_open(ctx, &af, path)) != LS_OK) return rc;
    if (b->n && fwrite(b->p, 1, b->n, af.f) != b->n) {
        ls__afile_abort(&af);
        return ls__fail(ctx, LS_ERR_IO, "%s: write failed", path);
    }
    if ((rc = ls__afile_commit(ctx, &af)) != LS_OK) ls__afile_abort(&af);
    return rc;
}

/* A large output file written as it is built: the text collects in b and
 * goes to the (atomic) file every MiB, so the file never sits in memory
 * whole. */
typedef struct sfile { ls__afile af; int open; } sfile;

static int sf_open(ls_ctx *ctx, sfile *f, const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int rc = ls__afile_open(ctx, &f->af, path);
    f->open = rc == LS_OK;
    return rc;
}

static int sf_flush(ls_ctx *ctx, sfile *f, ls__buf *b, int force)
{
    if (!force && b->n < (1u << 20)) return LS_OK;
    if (b->n && fwrite(b->p, 1, b->n, f->af.f) != b->n)
        return ls__fail(ctx, LS_ERR_IO, "%s: write failed", f->af.path);
    b->n = 0;
    return LS_OK;
}

static int sf_close(ls_ctx *ctx, sfile *f, ls__buf *b)
{
    int rc = sf_flush(ctx, f, b, 1);
    if (rc == LS_OK) rc = ls__afile_commit(ctx, &f->af);
    if (rc != LS_OK) ls__afile_abort(&f->af);
    f->open = 0;
    return rc;
}

/* Appends a string literal. */
#define PUTS(b, lit) ls__buf_put((b), (lit), sizeof(lit) - 1)

static const char *role_name(int r) { return r == LS_ROLE_AMP ? "amplifier" : "core"; }

static int edge_type(ls__buf *b, const ls__fedge *e)
{
    int err = 0, first = 1;
    for (int l = 0; l < LS__NL; l++) {
        if (!e->cnt[l]) continue;
        const char *name = l == LS__L_AMPLIFY ? "amplify" : ls__layer_name(l);
        if (!first) err |= ls__buf_putc(b, '+');
        err |= ls__buf_put(b, name, strlen(name));
        first = 0;
    }
    return err;
}

static float edge_sig(const ls__fedge *e)
{
    float s = 0;
    for (int l = 0; l < LS__NL; l++) if (e->sig[l] > s) s = e->sig[l];
    return s;
}

int ls__det_write(ls__det *d, const char *dir)
{
    const ls_store *st = d->st;
    const ls_detect_opts *o = d->o;
    ls_ctx *ctx = d->ctx;
    int rc = LS_OK, err = 0;
    ls__buf b = { 0 }, ev = { 0 };
    sfile sf = { 0 };
    row *R = NULL;
    size_t nr = 0;
    uint32_t *cnt_core = NULL, *cnt_amp = NULL;
    R = ls__malloc((d->n_acc ? d->n_acc : 1) * sizeof *R);
    cnt_core = ls__calloc((size_t)d->n_reported + 1, sizeof *cnt_core);
    cnt_amp = ls__calloc((size_t)d->n_reported + 1, sizeof *cnt_amp);
    if (!R || !cnt_core || !cnt_amp) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (uint32_t a = 0; a < d->n_acc; a++) {
        if (!reported(d, a)) continue;
        row *r = &R[nr++];
        r->label = d->net[d->net_of[a]].label;
        r->role = d->role[a];
        r->id = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], a);
        r->a = a;
        if (r->role == LS_ROLE_AMP) cnt_amp[r->label]++; else cnt_core[r->label]++;
    }
    if (nr) qsort(R, nr, sizeof *R, row_cmp);

    /* accounts.csv */
    if ((rc = sf_open(ctx, &sf, dir, "accounts.csv")) != LS_OK) goto done;
    err |= ls__buf_printf(&b, "userid,screen_name,network,role,score,evidence\n");
    for (size_t i = 0; i < nr; i++) {
        uint32_t a = R[i].a;
        uint32_t sn = st->acc_screen ? st->acc_screen[a] : LS__NONE;
        ls__str name = sn != LS__NONE ? ls__strtab_get(&st->ns[LS_NS_NAME], sn) : LS__S("");
        err |= ls__det_csv(&b, R[i].id.p, R[i].id.n);
        err |= ls__buf_putc(&b, ',');
        err |= ls__det_csv(&b, name.p, name.n);
        err |= ls__buf_printf(&b, ",N%u,%s,", R[i].label, role_name(R[i].role));
        err |= ls__det_fixed(&b, d->ascore[a], 3);
        err |= ls__buf_putc(&b, ',');
        ev.n = 0;
        if ((rc = ls__det_evidence(d, a, &ev)) != LS_OK) goto done;
        /* --one-operation: the cell the normal pipeline found it in. */
        if (d->cell && d->cell[a] != LS__NONE)
            err |= ls__buf_printf(&ev, "%scell C%u of %u", ev.n ? "; " : "", d->cell[a] + 1, d->n_cells);
        err |= ls__det_csv(&b, ev.p ? ev.p : "", ev.n);
        err |= ls__buf_putc(&b, '\n');
        if (!err && (rc = sf_flush(ctx, &sf, &b, 0)) != LS_OK) goto done;
    }
    if (err) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    if ((rc = sf_close(ctx, &sf, &b)) != LS_OK) goto done;

    /* edges.csv */
    if ((rc = sf_open(ctx, &sf, dir, "edges.csv")) != LS_OK) goto done;
    err |= ls__buf_printf(&b, "source,target,weight,edge_type,sig\n");
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        if (!reported(d, e->u) || !reported(d, e->v)) continue;
        ls__str su = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], e->u), sv = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], e->v);
        err |= ls__det_csv(&b, su.p, su.n);
        err |= ls__buf_putc(&b, ',');
        err |= ls__det_csv(&b, sv.p, sv.n);
        err |= ls__buf_putc(&b, ',');
        err |= ls__det_fixed(&b, e->w, 3);
        err |= ls__buf_putc(&b, ',');
        err |= edge_type(&b, e);
        err |= ls__buf_putc(&b, ',');
        err |= ls__det_fixed(&b, edge_sig(e), 2);
        err |= ls__buf_putc(&b, '\n');
        if (!err && (rc = sf_flush(ctx, &sf, &b, 0)) != LS_OK) goto done;
    }
    if (err) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    if ((rc = sf_close(ctx, &sf, &b)) != LS_OK) goto done;

    /* network.gexf */
    if ((rc = sf_open(ctx, &sf, dir, "network.gexf")) != LS_OK) goto done;
    err |= ls__buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<gexf xmlns=\"http://gexf.net/1.3\" version=\"1.3\">\n"
        "  <meta><creator>lockstep %s</creator><description>coordination networks</description></meta>\n"
        "  <graph mode=\"static\" defaultedgetype=\"undirected\">\n"
        "    <attributes class=\"node\">\n"
        "      <attribute id=\"0\" title=\"network\" type=\"string\"/>\n"
        "      <attribute id=\"1\" title=\"role\" type=\"string\"/>\n"
        "      <attribute id=\"2\" title=\"score\" type=\"double\"/>\n"
        "    </attributes>\n"
        "    <attributes class=\"edge\">\n"
        "      <attribute id=\"0\" title=\"edge_type\" type=\"string\"/>\n"
        "    </attributes>\n    <nodes>\n", LS_VERSION);
    for (size_t i = 0; i < nr; i++) {
        uint32_t a = R[i].a;
        uint32_t sn = st->acc_screen ? st->acc_screen[a] : LS__NONE;
        ls__str name = sn != LS__NONE ? ls__strtab_get(&st->ns[LS_NS_NAME], sn) : R[i].id;
        err |= ls__buf_printf(&b, "      <node id=\"");
        err |= ls__det_xml(&b, R[i].id.p, R[i].id.n);
        err |= ls__buf_printf(&b, "\" label=\"");
        err |= ls__det_xml(&b, name.p, name.n);
        err |= ls__buf_printf(&b, "\"><attvalues><attvalue for=\"0\" value=\"N%u\"/><attvalue for=\"1\" value=\"%s\"/>"
                              "<attvalue for=\"2\" value=\"", R[i].label, role_name(R[i].role));
        err |= ls__det_fixed(&b, d->ascore[a], 3);
        err |= PUTS(&b, "\"/></attvalues></node>\n");
        if (!err && (rc = sf_flush(ctx, &sf, &b, 0)) != LS_OK) goto done;
    }
    err |= ls__buf_printf(&b, "    </nodes>\n    <edges>\n");
    uint64_t eid = 0;
    for (size_t i = 0; i < d->n_e; i++) {
        const ls__fedge *e = &d->e[i];
        if (!reported(d, e->u) || !reported(d, e->v)) continue;
        ls__str su = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], e->u), sv = ls__strtab_get(&st->ns[LS_NS_ACCOUNT], e->v);
        err |= ls__buf_printf(&b, "      <edge id=\"%llu\" source=\"", (unsigned long long)eid++);
        err |= ls__det_xml(&b, su.p, su.n);
        err |= PUTS(&b, "\" target=\"");
        err |= ls__det_xml(&b, sv.p, sv.n);
        err |= PUTS(&b, "\" weight=\"");
        err |= ls__det_fixed(&b, e->w, 3);
        err |= PUTS(&b, "\"><attvalues><attvalue for=\"0\" value=\"");
        err |= edge_type(&b, e);
        err |= PUTS(&b, "\"/></attvalues></edge>\n");
        if (!err && (rc = sf_flush(ctx, &sf, &b, 0)) != LS_OK) goto done;
    }
    err |= ls__buf_printf(&b, "    </edges>\n  </graph>\n</gexf>\n");
    if (err) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    if ((rc = sf_close(ctx, &sf, &b)) != LS_OK) goto done;

    /* networks.json */
    b.n = 0;
    err |= ls__buf_printf(&b, "{\"run\": {\"version\": \"%s\", \"store\": ", LS_VERSION);
    err |= ls__det_json(&b, st->path ? st->path : "", st->path ? strlen(st->path) : 0);
    {
        uint64_t ck = 0;
        if (st->map && st->map_size >= 32) memcpy(&ck, (const char *)st->map + 24, 8);
        err |= ls__buf_printf(&b, ", \"store_checksum\": \"%016llx\"", (unsigned long long)ck);
    }
    err |= ls__buf_printf(&b, ", \"parameters\": {\"rt_window_s\": %g, \"text_window_s\": %g, \"post_window_s\": %g, "
                          "\"layers\": ", o->rt_window_s, o->text_window_s, o->post_window_s);
    {
        const char *s = "";
        err |= ls__buf_putc(&b, '[');
        for (int l = 0; l < LS__NL; l++) {
            if (!d->lst[l].used) continue;
            err |= ls__buf_printf(&b, "%s\"%s\"", s, l == LS__L_AMPLIFY ? "amplify" : ls__layer_name(l));
            s = ", ";
        }
        err |= ls__buf_putc(&b, ']');
    }
    err |= ls__buf_printf(&b, ", \"alpha\": %g, \"cap\": %u, \"objective\": \"%s\", \"resolution\": %g, \"seed\": %llu, "
                          "\"min_size\": %u, \"min_score\": %g, \"expand_share\": %g, \"expand_min\": %u, "
                          "\"merge_share\": %g, \"one_operation\": %s}",
                          o->alpha, o->cap, o->cpm ? "cpm" : "modularity", o->resolution,
                          (unsigned long long)o->seed, o->min_size, o->min_score, o->expand_share, o->expand_min,
                          o->merge_share, o->one_operation ? "true" : "false");
    {
        uint64_t nacc_rep = nr;
        err |= ls__buf_printf(&b, ", \"counts\": {\"events\": %llu, \"accounts\": %u, \"edges\": %llu, "
                              "\"clusters\": %u, \"candidate_networks\": %u, \"networks\": %u, \"accounts_reported\": %llu, "
                              "\"layers\": {",
                              (unsigned long long)st->n_events, d->n_acc, (unsigned long long)d->n_e, d->n_clusters,
                              d->n_net, d->n_reported, (unsigned long long)nacc_rep);
        const char *s = "";
        for (int l = 0; l < LS__NL; l++) {
            const ls__layer_stat *L = &d->lst[l];
            if (!L->used) continue;
            err |= ls__buf_printf(&b, "%s\"%s\": {\"window_s\": %g, \"records\": %llu, \"pairs\": %llu, "
                                  "\"threshold\": %.2f, \"kept\": %llu, \"objects_capped\": %llu, "
                                  "\"dense_groups\": %llu, \"dense_group_accounts\": %llu, \"dense_edges\": %llu}",
                                  s, l == LS__L_AMPLIFY ? "amplify" : ls__layer_name(l), L->window_s,
                                  (unsigned long long)L->records, (unsigned long long)L->pairs, L->threshold,
                                  (unsigned long long)L->kept, (unsigned long long)L->capped,
                                  (unsigned long long)L->groups, (unsigned long long)L->group_accounts,
                                  (unsigned long long)L->promoted);
            s = ", ";
        }
        err |= ls__buf_printf(&b, "}}, \"signals_unmeasurable\": [");
        s = "";
        for (int k = 0; k < SIG_COUNT; k++) {
            if (d->sig_measurable[k]) continue;
            err |= ls__buf_printf(&b, "%s\"%s\"", s, ls__sig_name[k]);
            s = ", ";
        }
        err |= ls__buf_printf(&b, "], \"signal_coverage\": %.4f, \"scores_renormalised\": %s}, \"networks\": [",
                              d->sig_coverage, d->renormalised ? "true" : "false");
    }
    for (uint32_t lab = 1; lab <= d->n_reported; lab++) {
        const ls__net *N = NULL;
        for (uint32_t n = 0; n < d->n_net; n++) if (d->net[n].label == lab) { N = &d->net[n]; break; }
        if (!N) continue;
        err |= ls__buf_printf(&b, "%s\n  {\"id\": \"N%u\", \"accounts\": %u, \"core\": %u, \"amplifiers\": %u, "
                              "\"expanded\": %u, \"score\": %.3f, \"readings\": {\"profile\": %.3f, "
                              "\"coordination\": %.3f}, \"signals\": {",
                              lab == 1 ? "" : ",", lab, cnt_core[lab] + cnt_amp[lab], cnt_core[lab], cnt_amp[lab],
                              N->n_expanded, N->score, N->score_mean, N->score_coord);
        for (int k = 0; k < SIG_COUNT; k++)
            err |= ls__buf_printf(&b, "%s\"%s\": %.3f", k ? ", " : "", ls__sig_name[k], N->sig[k]);
        err |= ls__buf_printf(&b, "}, \"facts\": {\"utc_offset\": %d, \"office_share\": %.3f, "
                              "\"engagement_inside\": %llu, \"engagement_outside\": %llu, "
                              "\"engagement_per_follower_vs_rest\": %.3f",
                              N->utc_offset, N->office_share, (unsigned long long)N->eng_in,
                              (unsigned long long)N->eng_out, N->reach_ratio);
        if (N->top_cohort_day != INT32_MIN && N->top_cohort_n) {
            char day[11];
            ls__det_fmt_day(N->top_cohort_day, day);
            err |= ls__buf_printf(&b, ", \"top_cohort\": {\"date\": \"%s\", \"accounts\": %u}", day, N->top_cohort_n);
        }
        if (N->top_tmpl != LS__NONE) {
            ls__str t = ls__intern_get(&d->tmpl, N->top_tmpl);
            err |= ls__buf_printf(&b, ", \"top_name_template\": {\"template\": ");
            err |= ls__det_json(&b, t.p, t.n);
            err |= ls__buf_printf(&b, ", \"accounts\": %u}", N->top_tmpl_n);
        }
        if (N->top_client != 0xFFFF) {
            ls__str c = ls__strtab_get(&st->ns[LS_NS_CLIENT], N->top_client);
            err |= ls__buf_printf(&b, ", \"top_client\": {\"client\": ");
            err |= ls__det_json(&b, c.p, c.n);
            err |= ls__buf_printf(&b, ", \"accounts\": %u}", N->top_client_n);
        }
        err |= ls__buf_printf(&b, "}}");
    }
    err |= ls__buf_printf(&b, "%s]}\n", d->n_reported ? "\n" : "");
    if (err) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    rc = write_buf(ctx, dir, "networks.json", &b);
done:
    if (sf.open) ls__afile_abort(&sf.af);
    ls__buf_free(&b); ls__buf_free(&ev);
    ls__free(R); ls__free(cnt_core); ls__free(cnt_amp);
    return rc;
}

void ls__det_summary(const ls__det *d, FILE *f)
{
    uint32_t below = 0;
    for (uint32_t n = 0; n < d->n_net; n++) if (!d->net[n].label) below++;
    if (d->cell) {
        /* --one-operation (oneop.c): the input said what it is. */
        fprintf(f, "lockstep detect: the input taken as one operation (--one-operation): every account "
                "that posted is in N1,\n  reported whatever it scores; the %u group%s found in it are its cells "
                "(\"cell C..\" in the evidence).\n", d->n_cells, d->n_cells == 1 ? "" : "s");
    } else {
        fprintf(f, "lockstep detect: %u network%s of coordinated inauthentic behaviour found",
                d->n_reported, d->n_reported == 1 ? "" : "s");
        fprintf(f, " (%u candidate group%s scored below %.2f and are not reported).\n", below, below == 1 ? "" : "s",
                d->o->min_score);
        /* Not when the input cannot show most signals: the note below says
         * why nothing can score there. */
        if (!d->n_reported && below && (d->sig_coverage >= 1.0 || d->renormalised))
            fprintf(f, "  note: scores compare each group with the rest of the data.  If the input holds only "
                    "accounts\n  already known to be one operation (a takedown archive), there is no rest to "
                    "compare with:\n  --one-operation describes it as one network (docs/detect.md).\n");
    }
    if (d->sig_coverage < 1.0) {
        /* Say plainly when the input cannot show some signals, and what
         * that does to the scores (docs/detect.md, "Inputs without
         * profiles"). */
        fprintf(f, "  note: the input cannot show");
        const char *sep = " ";
        for (int k = 0; k < SIG_COUNT; k++) {
            if (d->sig_measurable[k]) continue;
            fprintf(f, "%s%s", sep, ls__sig_name[k]);
            sep = ", ";
        }
        if (d->renormalised)
            fprintf(f, " (no such fields or activity in it);\n  scores are weighted over the other signals, "
                    "%.0f%% of the usual evidence.\n", 100.0 * d->sig_coverage);
        else
            fprintf(f, " (no such fields or activity in it), so no network can score above %.2f;\n"
                    "  coordinated groups are listed with --min-score 0 (docs/detect.md, \"Inputs without profiles\").\n",
                    d->sig_coverage);
    }
    for (uint32_t lab = 1; lab <= d->n_reported; lab++) {
        const ls__net *N = NULL;
        for (uint32_t n = 0; n < d->n_net; n++) if (d->net[n].label == lab) { N = &d->net[n]; break; }
        if (!N) continue;
        uint32_t core = 0, amp = 0;
        for (uint32_t a = 0; a < d->n_acc; a++) {
            if (d->net_of[a] == LS__NONE || &d->net[d->net_of[a]] != N || d->ascore[a] < d->report_bar) continue;
            if (d->role[a] == LS_ROLE_AMP) amp++; else core++;
        }
        /* Which reading of the evidence carries the score (docs/detect.md,
         * "Two readings"). */
        int coord = N->score_coord > N->score_mean;
        fprintf(f, "  N%u  score %.2f (%s reading)  %u accounts: %u core, %u amplifiers", lab, N->score,
                coord ? "coordination" : "profile", core + amp, core, amp);
        if (N->n_expanded) fprintf(f, " (%u found by expansion)", N->n_expanded);
        fprintf(f, "\n      ");
        /* The three strongest signals: weighted in the profile reading; by
         * value in the coordination reading, where every signal counts in
         * full (coaction and synchrony, which it does not use, left out). */
        int used[SIG_COUNT] = { 0 };
        if (coord) used[SIG_COACTION] = used[SIG_SYNC] = 1;
        for (int r = 0; r < 3; r++) {
            int best = -1;
            for (int k = 0; k < SIG_COUNT; k++) {
                if (used[k]) continue;
                double wk = coord ? 1.0 : ls__sig_weight[k], wb = best < 0 ? 0 : coord ? 1.0 : ls__sig_weight[best];
                if (best < 0 || N->sig[k] * wk > N->sig[best] * wb) best = k;
            }
            if (best < 0 || N->sig[best] <= 0) break;
            used[best] = 1;
            fprintf(f, "%s%s %.2f", r ? ", " : "strongest signals: ", ls__sig_name[best], N->sig[best]);
        }
        if (N->top_cohort_day != INT32_MIN && N->top_cohort_n) {
            char day[11];
            ls__det_fmt_day(N->top_cohort_day, day);
            fprintf(f, "; %u accounts created around %s", N->top_cohort_n, day);
        }
        if (N->sig[SIG_SCHEDULE] >= 0.3) fprintf(f, "; office hours UTC%+d", N->utc_offset);
        if (N->reach_ratio >= 10) fprintf(f, "; %.0fx the engagement per follower of other accounts", N->reach_ratio);
        if (N->eng_in + N->eng_out)
            fprintf(f, "; %.1f%% of engagement from outside", 100.0 * (double)N->eng_out / (double)(N->eng_in + N->eng_out));
        fprintf(f, "\n");
    }
}
