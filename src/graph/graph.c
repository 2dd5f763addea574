/*
 * graph.c — fuses per-layer co-action edge lists into the coordination
 * graph.  Each layer list is sorted by (u, v), so a k-way merge gives the
 * fused list in the same order, O(total edges).
 */
#include "graph.h"

void ls__graph_free(ls__graph *g)
{
    ls__free(g->e);
    memset(g, 0, sizeof *g);
}

int ls__graph_build(ls_ctx *ctx, const ls__edges *L, int n, ls__graph *g)
{
    memset(g, 0, sizeof *g);
    size_t total = 0;
    if (n > LS_L_COUNT) return ls__fail(ctx, LS_ERR_USAGE, "too many layers");
    for (int i = 0; i < n; i++) {
        total += L[i].n;
        g->layers[g->n_layers++] = L[i].layer;
        if (L[i].directed) g->directed = 1;
    }
    g->e = ls__big_malloc((total ? total : 1) * sizeof *g->e);
    if (!g->e) return ls__fail(ctx, LS_ERR_NOMEM, "graph: out of memory");
    size_t pos[LS_L_COUNT] = { 0 };
    for (;;) {
        int best = -1;
        uint64_t bk = 0;
        for (int i = 0; i < n; i++) {
            if (pos[i] >= L[i].n) continue;
            uint64_t k = (uint64_t)L[i].e[pos[i]].u << 32 | L[i].e[pos[i]].v;
            if (best < 0 || k < bk) { best = i; bk = k; }
        }
        if (best < 0) break;
        ls__gedge *ge = &g->e[g->n++];
        memset(ge, 0, sizeof *ge);
        ge->u = (uint32_t)(bk >> 32);
        ge->v = (uint32_t)bk;
        ge->ev_layer = -1;
        for (int i = 0; i < n; i++) {
            if (pos[i] >= L[i].n) continue;
            const ls__edge *e = &L[i].e[pos[i]];
            if (((uint64_t)e->u << 32 | e->v) != bk) continue;
            ge->count[L[i].layer] += e->count;
            ge->weight += e->weight;
            if (e->sig > ge->sig) ge->sig = e->sig;
            if (ge->ev_layer < 0) {
                ge->ev_layer = (int8_t)L[i].layer;
                memcpy(ge->ev, e->ev, sizeof ge->ev);
            }
            pos[i]++;
        }
    }
    return LS_OK;
}
