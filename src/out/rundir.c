/*
 * rundir.c — reads the run folder `lockstep detect` writes: accounts.csv
 * (userid,screen_name,network,role,score,evidence), networks.json (parsed
 * with jansson and kept, so later additions such as narratives, traction
 * and linked are available to the report as they appear) and edges.csv
 * (first two columns, or source/target, are account ids; a "weight"
 * column when present).  Columns are found by header name so that extra
 * columns do not matter.  Reads are streamed through ingest's CSV reader,
 * which already copes with quoting, BOMs and CRLF.
 */
#include "out.h"
#include "../ingest/ingest.h"
#include <stdlib.h>

static int col(const ls__csv_row *h, const char *name)
{
    for (size_t i = 0; i < h->n; i++)
        if (ls__str_eqc(h->f[i], name)) return (int)i;
    return -1;
}

static char *dup_str(ls__str s)
{
    char *p = ls__malloc(s.n + 1);
    if (p) { memcpy(p, s.p, s.n); p[s.n] = 0; }
    return p;
}

static int net_index(ls__rdir *run, ls__str id, int create)
{
    for (size_t k = 0; k < run->n_net; k++)
        if (ls__str_eqc(id, run->net[k].id)) return (int)k;
    if (!create || id.n == 0) return -1;
    size_t cap = run->n_net;
    if (ls__grow((void **)&run->net, &cap, run->n_net + 1, sizeof *run->net) != LS_OK) return -2;
    ls__rnet *n = &run->net[run->n_net];
    memset(n, 0, sizeof *n);
    if (!(n->id = dup_str(id))) return -2;
    return (int)run->n_net++;
}

static int load_networks(ls_ctx *ctx, ls__rdir *run, const char *path)
{
    json_error_t err;
    FILE *f = fopen(path, "rb");
    if (!f) return LS_OK;                       /* optional */
    run->root = json_loadf(f, 0, &err);
    fclose(f);
    if (!run->root)
        return ls__fail(ctx, LS_ERR_PARSE, "%s:%d: %s", path, err.line, err.text);
    json_t *nets = json_object_get(run->root, "networks"), *it;
    size_t i;
    json_array_foreach(nets, i, it) {
        json_t *id = json_object_get(it, "id");
        char tmp[32];
        ls__str s;
        if (json_is_string(id)) s = ls__str_c(json_string_value(id));
        else if (json_is_integer(id)) {
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(id));
            s = ls__str_c(tmp);
        } else continue;
        int k = net_index(run, s, 1);
        if (k == -2) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
        if (k < 0) continue;
        run->net[k].obj = it;
        run->net[k].score = json_number_value(json_object_get(it, "score"));
    }
    json_t *r = json_object_get(run->root, "run");
    const char *sp = json_string_value(json_object_get(r, "store"));
    if (!sp) sp = json_string_value(json_object_get(r, "store_path"));
    if (!sp) {
        json_t *in = json_object_get(r, "inputs");
        if (json_is_array(in) && json_array_size(in) == 1) {
            json_t *x = json_array_get(in, 0);
            sp = json_is_string(x) ? json_string_value(x) : json_string_value(json_object_get(x, "path"));
        }
    }
    if (sp && !(run->store_path = ls__strdup(sp))) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    return LS_OK;
}

static int load_accounts(ls_ctx *ctx, ls__rdir *run, const char *path)
{
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__csv_row row;
    size_t cap = 0;
    int rc, cu, cs, cn, cr, csc, ce;
    if ((rc = ls__src_open(ctx, path, &src)) != LS_OK) return rc;
    if ((rc = ls__csv_new(src, &c)) != LS_OK || (rc = ls__csv_next(c, &row)) != LS_OK) {
        rc = ls__fail(ctx, rc, "%s: cannot read", path);
        goto done;
    }
    cu = col(&row, "userid"); cs = col(&row, "screen_name"); cn = col(&row, "network");
    cr = col(&row, "role"); csc = col(&row, "score"); ce = col(&row, "evidence");
    if (cu < 0 || cn < 0) {
        rc = ls__fail(ctx, LS_ERR_FORMAT, "%s:1: not an accounts file (needs userid and network columns)", path);
        goto done;
    }
    for (;;) {
        if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__fail(ctx, rc, "%s: bad CSV", path); goto done; }
        if (row.n == 0) break;
        if (row.n == 1 && row.f[0].n == 0) continue;
        ls__str f[6] = { { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 }, { "", 0 } };
        int cols[6] = { cu, cs, cn, cr, csc, ce };
        for (int k = 0; k < 6; k++) if (cols[k] >= 0 && (size_t)cols[k] < row.n) f[k] = row.f[cols[k]];
        if ((rc = ls__grow((void **)&run->acc, &cap, run->n_acc + 1, sizeof *run->acc)) != LS_OK) goto nomem;
        ls__racct *a = &run->acc[run->n_acc];
        memset(a, 0, sizeof *a);
        a->acc = LS__NONE;
        if (!(a->userid = dup_str(f[0])) || !(a->screen_name = dup_str(f[1])) ||
            !(a->evidence = dup_str(f[5]))) {
            ls__free(a->userid); ls__free(a->screen_name); ls__free(a->evidence);
            goto nomem;
        }
        run->n_acc++;
        a->role = ls__str_eqc(f[3], "core") ? LS__ROLE_CORE
                : ls__str_eqc(f[3], "amplifier") ? LS__ROLE_AMPLIFIER : LS__ROLE_OTHER;
        char num[64];
        size_t m = LS__MIN(f[4].n, sizeof num - 1);
        memcpy(num, f[4].p, m); num[m] = 0;
        a->score = strtod(num, NULL);
        if (!(a->score >= 0)) a->score = 0;     /* also catches NaN */
        if (a->score > 1) a->score = 1;
        a->net = net_index(run, f[2], 1);
        if (a->net == -2) goto nomem;
        if (a->net >= 0) {
            ls__rnet *nt = &run->net[a->net];
            nt->n_accounts++;
            if (a->role == LS__ROLE_CORE) nt->n_core++;
            else if (a->role == LS__ROLE_AMPLIFIER) nt->n_amp++;
        }
    }
    rc = LS_OK;
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
done:
    ls__csv_free(c);
    ls__src_close(src);
    return rc;
}

static int load_edges(ls_ctx *ctx, ls__rdir *run, const char *path, const ls__intern *ids)
{
    ls__src *src = NULL;
    ls__csv *c = NULL;
    ls__csv_row row;
    size_t cap = 0;
    int rc, ca, cb, cw;
    FILE *probe = fopen(path, "rb");
    if (!probe) return LS_OK;                   /* optional */
    fclose(probe);
    if ((rc = ls__src_open(ctx, path, &src)) != LS_OK) return rc;
    if ((rc = ls__csv_new(src, &c)) != LS_OK || (rc = ls__csv_next(c, &row)) != LS_OK) {
        rc = ls__fail(ctx, rc, "%s: cannot read", path);
        goto done;
    }
    ca = col(&row, "source"); cb = col(&row, "target"); cw = col(&row, "weight");
    if (ca < 0 || cb < 0) { ca = 0; cb = 1; }
    for (;;) {
        if ((rc = ls__csv_next(c, &row)) != LS_OK) { rc = ls__fail(ctx, rc, "%s: bad CSV", path); goto done; }
        if (row.n == 0) break;
        if (row.n <= (size_t)LS__MAX(ca, cb)) continue;
        uint32_t a = ls__intern_find(ids, row.f[ca]), b = ls__intern_find(ids, row.f[cb]);
        if (a == LS__NONE || b == LS__NONE || a == b) continue;
        double w = 1;
        if (cw >= 0 && (size_t)cw < row.n) {
            char num[64];
            size_t m = LS__MIN(row.f[cw].n, sizeof num - 1);
            memcpy(num, row.f[cw].p, m); num[m] = 0;
            w = strtod(num, NULL);
            if (!(w > 0)) w = 1;
        }
        if ((rc = ls__grow((void **)&run->edge, &cap, run->n_edge + 1, sizeof *run->edge)) != LS_OK) {
            rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
            goto done;
        }
        run->edge[run->n_edge++] = (ls__redge){ LS__MIN(a, b), LS__MAX(a, b), w };
    }
    rc = LS_OK;
done:
    ls__csv_free(c);
    ls__src_close(src);
    return rc;
}

int ls__rdir_load(ls_ctx *ctx, const char *dir, ls__rdir *run)
{
    ls__buf p = { 0 };
    ls__intern ids;
    int rc;
    memset(run, 0, sizeof *run);
    ls__intern_init(&ids);
    if (!(run->dir = ls__strdup(dir))) { rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory"); goto done; }
    if ((rc = ls__buf_printf(&p, "%s/networks.json", dir)) != LS_OK) goto nomem;
    if ((rc = load_networks(ctx, run, p.p)) != LS_OK) goto done;
    p.n = 0;
    if ((rc = ls__buf_printf(&p, "%s/accounts.csv", dir)) != LS_OK) goto nomem;
    if ((rc = load_accounts(ctx, run, p.p)) != LS_OK) goto done;
    /* userid -> first row index, for the edges. */
    for (size_t i = 0; i < run->n_acc; i++) {
        uint32_t id;
        if ((rc = ls__intern_put(&ids, ls__str_c(run->acc[i].userid), &id)) != LS_OK) goto nomem;
        if (id != i) {  /* a repeated userid keeps its first row; keep indices aligned */
            ls__buf uniq = { 0 };
            if ((rc = ls__buf_printf(&uniq, "\x01dup%zu", i)) != LS_OK) goto nomem;
            rc = ls__intern_put(&ids, (ls__str){ uniq.p, uniq.n }, &id);
            ls__buf_free(&uniq);
            if (rc != LS_OK) goto nomem;
        }
    }
    p.n = 0;
    if ((rc = ls__buf_printf(&p, "%s/edges.csv", dir)) != LS_OK) goto nomem;
    rc = load_edges(ctx, run, p.p, &ids);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
done:
    ls__intern_free(&ids);
    ls__buf_free(&p);
    if (rc != LS_OK) ls__rdir_free(run);    /* callers need not free a failed load */
    return rc;
}

int ls__rdir_attach(ls_ctx *ctx, ls__rdir *run, ls_store *st)
{
    LS__UNUSED(ctx);
    for (size_t i = 0; i < run->n_acc; i++)
        run->acc[i].acc = ls__strtab_find(&st->ns[LS_NS_ACCOUNT], ls__str_c(run->acc[i].userid));
    return LS_OK;
}

int ls__rdir_open_store(ls_ctx *ctx, const ls__rdir *run, const char *override, ls_store **out)
{
    const char *p = override ? override : run->store_path;
    *out = NULL;
    if (!p)
        return ls__fail(ctx, LS_ERR_USAGE, "%s/networks.json does not name the store; give --store PATH",
                        run->dir);
    /* A relative store path in networks.json is relative to where detect
     * ran; when that is not here, try it next to the run folder. */
    FILE *probe = fopen(p, "rb");
    if (!probe && !override && p[0] != '/') {
        ls__buf alt = { 0 };
        const char *slash = strrchr(run->dir, '/');
        int rc = slash ? ls__buf_printf(&alt, "%.*s/%s", (int)(slash - run->dir), run->dir, p)
                       : ls__buf_printf(&alt, "%s", p);
        if (rc == LS_OK && (probe = fopen(alt.p, "rb")) != NULL) {
            fclose(probe);
            rc = ls_store_open(ctx, alt.p, out);
            ls__buf_free(&alt);
            return rc;
        }
        ls__buf_free(&alt);
    } else if (probe) fclose(probe);
    return ls_store_open(ctx, p, out);
}

static const ls__rdir *g_sort_run;   /* qsort has no context argument */
static int member_cmp(const void *x, const void *y)
{
    const ls__racct *a = &g_sort_run->acc[*(const uint32_t *)x], *b = &g_sort_run->acc[*(const uint32_t *)y];
    if (a->role != b->role) return a->role < b->role ? -1 : 1;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    int c = strcmp(a->userid, b->userid);
    if (c) return c;
    return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

int ls__rdir_members(const ls__rdir *run, int k, uint32_t **out, size_t *n)
{
    size_t m = 0;
    *out = NULL; *n = 0;
    for (size_t i = 0; i < run->n_acc; i++) m += run->acc[i].net == k;
    uint32_t *v = ls__malloc((m ? m : 1) * sizeof *v);
    if (!v) return LS_ERR_NOMEM;
    m = 0;
    for (size_t i = 0; i < run->n_acc; i++) if (run->acc[i].net == k) v[m++] = (uint32_t)i;
    g_sort_run = run;
    qsort(v, m, sizeof *v, member_cmp);
    *out = v; *n = m;
    return LS_OK;
}

void ls__rdir_free(ls__rdir *run)
{
    for (size_t i = 0; i < run->n_acc; i++) {
        ls__free(run->acc[i].userid); ls__free(run->acc[i].screen_name); ls__free(run->acc[i].evidence);
    }
    for (size_t k = 0; k < run->n_net; k++) ls__free(run->net[k].id);
    ls__free(run->acc); ls__free(run->net); ls__free(run->edge);
    ls__free(run->dir); ls__free(run->store_path);
    json_decref(run->root);
    memset(run, 0, sizeof *run);
}
