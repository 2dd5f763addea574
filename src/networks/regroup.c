/*
 * regroup.c — a second clustering pass over networks.  An operation run
 * as many small cells (each posting and amplifying mostly in its own cell,
 * the rest spread over hundreds of sibling cells) splits at the account
 * level into cell-sized clusters: no two cells exchange a large share of
 * their amplification, so the pairwise merge in groups.c does not join
 * them, and each cell alone is too small to show the operation's profile.
 * Here every network that scored below the bar is a node; two nodes are
 * joined when the amplification flow between them is at least two events
 * and LS__MERGE_LIFT (3) times its chance level (the modularity null), weighted by
 * that flow; Leiden (modularity, seeded) then groups the nodes, and each
 * group of networks becomes one network, to be scored as a whole.
 * Networks that already score as coordinated are left alone, so this pass
 * only ever adds candidates.  Deterministic: nodes and edges in id order,
 * seeded Leiden, networks renumbered by smallest account.
 */
#include "networks.h"
#include <igraph/igraph.h>
#include <stdlib.h>

int ls__det_regroup(ls__det *d, const uint8_t *open, uint32_t *merged)
{
    ls_ctx *ctx = d->ctx;
    int rc = LS_OK;
    uint32_t G = d->n_net, A = d->n_acc;
    uint64_t *vol = NULL;
    ls__flow *F = NULL;
    size_t nf = 0, ne = 0;
    double V = 0;
    uint32_t *local = NULL, *glob = NULL, *root = NULL, *netid = NULL, *firstnode = NULL;
    uint64_t *fin = NULL;
    igraph_t g;
    igraph_vector_int_t edges, memb;
    igraph_vector_t w, nw;
    int have_g = 0, have_v = 0;
    *merged = 0;
    if (G < 2) return LS_OK;
    vol = ls__calloc(G, sizeof *vol);
    local = ls__malloc(G * sizeof *local);
    glob = ls__malloc(G * sizeof *glob);
    root = ls__malloc(G * sizeof *root);
    netid = ls__malloc(G * sizeof *netid);
    if (!vol || !local || !glob || !root || !netid) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    if ((rc = ls__det_flow(d, d->net_of, G, &F, &nf, vol, &V)) != LS_OK) goto done;
    /* Keep the significant edges between open networks, in place. */
    for (uint32_t c = 0; c < G; c++) { local[c] = LS__NONE; root[c] = c; }
    for (size_t i = 0; i < nf; i++) {
        uint32_t a = F[i].a, b = F[i].b;
        double chance = V > 0 ? (double)vol[a] * (double)vol[b] / V : 0;
        if (!open[a] || !open[b] || F[i].s < 2 || (double)F[i].s < LS__MERGE_LIFT * chance) continue;
        F[ne++] = F[i];
        local[a] = local[b] = 0;
    }
    if (ne == 0) goto done;
    uint32_t nv = 0;
    for (uint32_t c = 0; c < G; c++) if (local[c] == 0) { glob[nv] = c; local[c] = nv++; }
    if (igraph_vector_int_init(&edges, (igraph_integer_t)(2 * ne))) goto ig_fail;
    if (igraph_vector_init(&w, (igraph_integer_t)ne)) { igraph_vector_int_destroy(&edges); goto ig_fail; }
    if (igraph_vector_init(&nw, nv)) { igraph_vector_int_destroy(&edges); igraph_vector_destroy(&w); goto ig_fail; }
    if (igraph_vector_int_init(&memb, nv)) {
        igraph_vector_int_destroy(&edges); igraph_vector_destroy(&w); igraph_vector_destroy(&nw); goto ig_fail;
    }
    have_v = 1;
    double m2 = 0;
    for (size_t i = 0; i < ne; i++) {
        double x = (double)F[i].s;
        VECTOR(edges)[2 * i] = local[F[i].a];
        VECTOR(edges)[2 * i + 1] = local[F[i].b];
        VECTOR(w)[i] = x;
        VECTOR(nw)[local[F[i].a]] += x;
        VECTOR(nw)[local[F[i].b]] += x;
        m2 += 2.0 * x;
    }
    if (igraph_create(&g, &edges, nv, IGRAPH_UNDIRECTED)) goto ig_fail;
    have_g = 1;
    igraph_rng_seed(igraph_rng_default(), (igraph_uint_t)(d->o->seed ? d->o->seed : 1));
    igraph_integer_t nc = 0;
    igraph_real_t q = 0;
    if (igraph_community_leiden(&g, &w, &nw, d->o->resolution / (m2 > 0 ? m2 : 1), 0.01, 0, -1, &memb, &nc, &q)
        != IGRAPH_SUCCESS) goto ig_fail;
    firstnode = ls__malloc(((size_t)nc + 1) * sizeof *firstnode);
    fin = ls__calloc(nv, sizeof *fin);
    if (!firstnode || !fin) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    for (igraph_integer_t c = 0; c <= nc; c++) firstnode[c] = LS__NONE;
    for (uint32_t i = 0; i < nv; i++) {
        igraph_integer_t c = VECTOR(memb)[i];
        if (c < 0 || c >= nc) { rc = ls__fail(ctx, LS_ERR_INTERNAL, "leiden: membership out of range"); goto done; }
    }
    /* A network's flow to the rest of its community must be a real share
     * (merge_share) of its boundary volume: the merge rule of groups.c,
     * applied to the community instead of to one partner.  A large
     * organic network that touches a group of cells only at its edge
     * stays out of it. */
    for (size_t i = 0; i < ne; i++) {
        uint32_t x = local[F[i].a], y = local[F[i].b];
        if (VECTOR(memb)[x] == VECTOR(memb)[y]) { fin[x] += F[i].s; fin[y] += F[i].s; }
    }
    /* Nodes are in network order: a community's root is its smallest
     * network that passes. */
    for (uint32_t i = 0; i < nv; i++) {
        igraph_integer_t c = VECTOR(memb)[i];
        if (vol[glob[i]] == 0 || (double)fin[i] < d->o->merge_share * (double)vol[glob[i]]) continue;
        if (firstnode[c] == LS__NONE) firstnode[c] = glob[i];
        else { root[glob[i]] = firstnode[c]; (*merged)++; }
    }
    if (!*merged) goto done;
    /* Renumber networks by smallest account, as groups.c does. */
    uint32_t n = 0;
    for (uint32_t c = 0; c < G; c++) netid[c] = LS__NONE;
    for (uint32_t a = 0; a < A; a++) {
        uint32_t c = d->net_of[a];
        if (c == LS__NONE) continue;
        uint32_t r = root[c];
        if (netid[r] == LS__NONE) netid[r] = n++;
        d->net_of[a] = netid[r];
    }
    ls__free(d->net);
    d->n_net = n;
    d->net = ls__calloc(n ? n : 1, sizeof *d->net);
    if (!d->net) { rc = ls__fail(ctx, LS_ERR_NOMEM, "detect: out of memory"); goto done; }
    rc = ls__det_roles(d);
    goto done;
ig_fail:
    rc = ls__fail(ctx, LS_ERR_INTERNAL, "igraph failed in regroup");
done:
    if (have_g) igraph_destroy(&g);
    if (have_v) {
        igraph_vector_int_destroy(&edges); igraph_vector_destroy(&w); igraph_vector_destroy(&nw);
        igraph_vector_int_destroy(&memb);
    }
    ls__free(vol); ls__free(F); ls__free(local); ls__free(glob); ls__free(root); ls__free(netid); ls__free(firstnode); ls__free(fin);
    return rc;
}
