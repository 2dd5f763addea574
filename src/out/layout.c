/*
 * layout.c — the network picture's node positions.  A bounded sample of
 * the network (core accounts first, then by score, so the picture shows
 * the accounts that matter) is laid out with igraph's Fruchterman-Reingold
 * on the run's edges between sampled accounts.  igraph draws the starting
 * positions from its default random generator, so a private PCG32
 * generator with a fixed seed is swapped in for the call: the same run
 * gives the same picture, byte for byte.  igraph's abort-on-error handler
 * is swapped for the ignoring one for the duration, so an igraph failure
 * is a status here, never an abort.  O(iterations x sample^2).
 */
#include "out.h"
#include <igraph/igraph.h>
#include <math.h>

void ls__layout_free(ls__graph_layout *g)
{
    ls__free(g->node); ls__free(g->x); ls__free(g->y); ls__free(g->e);
    memset(g, 0, sizeof *g);
}

static int u64cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Amplification edges between sampled accounts, distinct pairs, sorted. */
static int amp_edges(const ls__rdir *run, const ls_store *st, ls__graph_layout *out, size_t *cap_e)
{
    size_t n_acc = st->ns[LS_NS_ACCOUNT].n, m = 0, cap = 0;
    int32_t *spos = ls__malloc((n_acc ? n_acc : 1) * sizeof *spos);
    uint64_t *pairs = NULL;
    int rc = LS_OK;
    if (!spos) return LS_ERR_NOMEM;
    for (size_t a = 0; a < n_acc; a++) spos[a] = -1;
    for (size_t i = 0; i < out->n; i++) {
        uint32_t acc = run->acc[out->node[i]].acc;
        if (acc != LS__NONE && acc < n_acc) spos[acc] = (int32_t)i;
    }
    for (uint64_t i = 0; i < st->n_events; i++) {
        int kind = st->ev_kind[i];
        if (kind != LS_KIND_RETWEET && kind != LS_KIND_QUOTE) continue;
        uint32_t r = st->ev_ref_account[i];
        if (r == LS__NONE || r >= n_acc) continue;
        int32_t a = spos[st->ev_account[i]], b = spos[r];
        if (a < 0 || b < 0 || a == b) continue;
        if (ls__grow((void **)&pairs, &cap, m + 1, sizeof *pairs) != LS_OK) { rc = LS_ERR_NOMEM; goto done; }
        pairs[m++] = (uint64_t)LS__MIN(a, b) << 32 | (uint32_t)LS__MAX(a, b);
    }
    if (m) qsort(pairs, m, sizeof *pairs, u64cmp);
    for (size_t i = 0; i < m; i++) {
        if (i && pairs[i] == pairs[i - 1]) continue;
        if (ls__grow((void **)&out->e, cap_e, out->n_e + 1, sizeof *out->e) != LS_OK) { rc = LS_ERR_NOMEM; goto done; }
        out->e[out->n_e][0] = (uint32_t)(pairs[i] >> 32);
        out->e[out->n_e][1] = (uint32_t)pairs[i];
        out->n_e++;
    }
done:
    ls__free(spos);
    ls__free(pairs);
    return rc;
}

int ls__layout_network(ls_ctx *ctx, const ls__rdir *run, const ls_store *st, int k,
                       size_t max_nodes, ls__graph_layout *out)
{
    uint32_t *mem = NULL;
    int32_t *pos = NULL;
    size_t n_mem = 0, cap_e = 0;
    int rc = LS_OK;
    memset(out, 0, sizeof *out);
    if (ls__rdir_members(run, k, &mem, &n_mem) != LS_OK) return ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
    out->total = n_mem;
    out->n = LS__MIN(n_mem, max_nodes);
    pos = ls__malloc((run->n_acc ? run->n_acc : 1) * sizeof *pos);
    out->node = ls__malloc((out->n ? out->n : 1) * sizeof *out->node);
    out->x = ls__calloc(out->n ? out->n : 1, sizeof *out->x);
    out->y = ls__calloc(out->n ? out->n : 1, sizeof *out->y);
    if (!pos || !out->node || !out->x || !out->y) goto nomem;
    for (size_t i = 0; i < run->n_acc; i++) pos[i] = -1;
    for (size_t i = 0; i < out->n; i++) { out->node[i] = mem[i]; pos[mem[i]] = (int32_t)i; }
    for (size_t i = 0; i < run->n_edge; i++) {
        int32_t a = pos[run->edge[i].a], b = pos[run->edge[i].b];
        if (a < 0 || b < 0) continue;
        if (ls__grow((void **)&out->e, &cap_e, out->n_e + 1, sizeof *out->e) != LS_OK) goto nomem;
        out->e[out->n_e][0] = (uint32_t)a;
        out->e[out->n_e][1] = (uint32_t)b;
        out->n_e++;
    }
    if (st && amp_edges(run, st, out, &cap_e) != LS_OK) goto nomem;
    if (out->n <= 1) { if (out->n) out->x[0] = out->y[0] = 0.5; goto done; }

    igraph_error_handler_t *old_handler = igraph_set_error_handler(igraph_error_handler_ignore);
    igraph_rng_t rng, *old_rng = igraph_rng_default();
    igraph_vector_int_t ev;
    igraph_matrix_t res;
    igraph_t g;
    int have_rng = 0, have_ev = 0, have_res = 0, have_g = 0;
    if (igraph_rng_init(&rng, &igraph_rngtype_pcg32) != IGRAPH_SUCCESS) goto ig_fail;
    have_rng = 1;
    igraph_rng_seed(&rng, 20200611);
    if (igraph_vector_int_init(&ev, (igraph_integer_t)(2 * out->n_e)) != IGRAPH_SUCCESS) goto ig_fail;
    have_ev = 1;
    for (size_t i = 0; i < out->n_e; i++) {
        VECTOR(ev)[2 * i] = out->e[i][0];
        VECTOR(ev)[2 * i + 1] = out->e[i][1];
    }
    if (igraph_create(&g, &ev, (igraph_integer_t)out->n, IGRAPH_UNDIRECTED) != IGRAPH_SUCCESS) goto ig_fail;
    have_g = 1;
    if (igraph_matrix_init(&res, 0, 0) != IGRAPH_SUCCESS) goto ig_fail;
    have_res = 1;
    igraph_rng_set_default(&rng);
    igraph_error_t e = igraph_layout_fruchterman_reingold(&g, &res, 0, 300, sqrt((double)out->n),
                                                          IGRAPH_LAYOUT_NOGRID, NULL, NULL, NULL, NULL, NULL);
    igraph_rng_set_default(old_rng);
    if (e != IGRAPH_SUCCESS) goto ig_fail;
    double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY;
    for (size_t i = 0; i < out->n; i++) {
        double x = MATRIX(res, i, 0), y = MATRIX(res, i, 1);
        minx = fmin(minx, x); maxx = fmax(maxx, x); miny = fmin(miny, y); maxy = fmax(maxy, y);
    }
    double sx = maxx > minx ? maxx - minx : 1, sy = maxy > miny ? maxy - miny : 1;
    for (size_t i = 0; i < out->n; i++) {
        out->x[i] = (MATRIX(res, i, 0) - minx) / sx;
        out->y[i] = (MATRIX(res, i, 1) - miny) / sy;
    }
    goto ig_done;
ig_fail:
    rc = ls__fail(ctx, LS_ERR_INTERNAL, "igraph layout failed for network %s", run->net[k].id);
ig_done:
    if (have_res) igraph_matrix_destroy(&res);
    if (have_g) igraph_destroy(&g);
    if (have_ev) igraph_vector_int_destroy(&ev);
    if (have_rng) igraph_rng_destroy(&rng);
    igraph_set_error_handler(old_handler);
    goto done;
nomem:
    rc = ls__fail(ctx, LS_ERR_NOMEM, "out of memory");
done:
    ls__free(mem);
    ls__free(pos);
    if (rc != LS_OK) ls__layout_free(out);
    return rc;
}
